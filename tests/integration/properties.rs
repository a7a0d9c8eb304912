//! Invariants over random valid scenarios: no panic, conservation of requests, counters that
//! agree with each other, determinism, and the jitter bounds of every mode.

use herdsim::sim::backoff::{Backoff, Jitter, Schedule};
use herdsim::sim::config::*;
use herdsim::sim::rng::{Entity, Rng};
use herdsim::sim::{ScenarioConfig, Sim};
use proptest::prelude::*;

fn dist() -> impl Strategy<Value = DistConfig> {
    prop_oneof![
        (0.0..50.0f64).prop_map(|ms| DistConfig::Constant { ms }),
        (0.0..20.0f64, 0.0..40.0f64).prop_map(|(a, b)| DistConfig::Uniform {
            min_ms: a,
            max_ms: a + b
        }),
        (0.1..40.0f64).prop_map(|mean_ms| DistConfig::Exponential { mean_ms }),
        (1.0..30.0f64, 1.05..10.0f64).prop_map(|(m, r)| DistConfig::Lognormal {
            mean_ms: m,
            p99_ms: m * r
        }),
        (0.0..20.0f64, 0.0..5.0f64).prop_map(|(m, sd)| DistConfig::Normal {
            mean_ms: m,
            sd_ms: sd
        }),
    ]
}

fn arrival() -> impl Strategy<Value = ArrivalConfig> {
    prop_oneof![
        (0.1..20.0f64).prop_map(|rate_per_s| ArrivalConfig::Poisson { rate_per_s }),
        (20.0..2000.0f64).prop_map(|every_ms| ArrivalConfig::Interval { every_ms }),
        (0.0..1000.0f64).prop_map(|at_ms| ArrivalConfig::Burst { at_ms }),
        dist().prop_map(|think| ArrivalConfig::ClosedLoop { think }),
    ]
}

fn fault(finite_workers: bool) -> impl Strategy<Value = FaultConfig> {
    (0.0..4000.0f64, 1.0..3000.0f64, 0..5u8, 0.0..1.0f64).prop_map(move |(s, len, kind, x)| {
        let (start_ms, end_ms) = (s, s + len);
        match kind {
            0 => FaultConfig::Down { start_ms, end_ms },
            1 => FaultConfig::Blackhole { start_ms, end_ms },
            2 => FaultConfig::ErrorRate {
                start_ms,
                end_ms,
                rate: x,
            },
            3 if finite_workers => FaultConfig::Capacity {
                start_ms,
                end_ms,
                lost: x,
            },
            _ => FaultConfig::Slow {
                start_ms,
                end_ms,
                multiplier: 0.5 + 4.0 * x,
            },
        }
    })
}

fn jitter() -> impl Strategy<Value = JitterConfig> {
    prop_oneof![
        Just(JitterConfig::None),
        Just(JitterConfig::Full),
        Just(JitterConfig::Equal),
        Just(JitterConfig::Decorrelated),
        (0.0..1.0f64).prop_map(|factor| JitterConfig::Proportional { factor }),
    ]
}

prop_compose! {
    fn policy()(timeout in prop::option::of(1.0..300.0f64), deadline in prop::option::of(1.0..2000.0f64),
                attempts in prop::option::of(1..6u32), kind in 0..4u8, base in 1.0..100.0f64,
                mult in 1.0..3.0f64, cap in 0.0..2000.0f64, jitter in jitter(),
                retry in any::<(bool, bool, bool, bool)>()) -> PolicyConfig {
        let kind = [ScheduleConfig::None, ScheduleConfig::Constant, ScheduleConfig::Linear, ScheduleConfig::Exponential][kind as usize];
        PolicyConfig {
            timeout_ms: timeout,
            deadline_ms: deadline,
            max_attempts: attempts,
            retry_on: RetryOnConfig { error: retry.0, timeout: retry.1, rejected: retry.2, refused: retry.3, breaker_open: false },
            backoff: BackoffConfig { kind, base_ms: base, multiplier: mult, cap_ms: base + cap, ..BackoffConfig::default() },
            jitter,
        }
    }
}

prop_compose! {
    fn scenario()(count in 1..200u32, arrival in arrival(), spread in 0.0..500.0f64,
                  workers in prop::option::of(1..16u32), queue in prop::option::of(0..64u32), lifo in any::<bool>(),
                  service in dist(), network in dist(), load_factor in 0.0..0.05f64, drop in any::<bool>(),
                  occ in prop::bool::weighted(0.15), duration in 500.0..6000.0f64, bucket in prop::option::of(5.0..500.0f64),
                  policy in policy())
                 (faults in prop::collection::vec(fault(workers.is_some()), 0..3),
                  count in Just(count), arrival in Just(arrival), spread in Just(spread), workers in Just(workers),
                  queue in Just(queue), lifo in Just(lifo), service in Just(service), network in Just(network),
                  load_factor in Just(load_factor), drop in Just(drop), occ in Just(occ), duration in Just(duration),
                  bucket in Just(bucket), policy in Just(policy)) -> ScenarioConfig {
        ScenarioConfig {
            name: "prop".into(),
            description: String::new(),
            seed: 0,
            duration_ms: duration,
            bucket_ms: bucket,
            max_events: 3_000_000,
            workload: if occ { WorkloadConfig::Occ } else { WorkloadConfig::Service },
            clients: ClientsConfig { count: if occ { count.min(30) } else { count }, arrival, start_spread_ms: spread, load: vec![] },
            service: ServiceConfig {
                workers,
                queue_capacity: queue,
                queue: if lifo { QueueDiscipline::Lifo } else { QueueDiscipline::Fifo },
                service_time: service,
                load_factor,
                network_delay: network,
                abandoned: if drop { Abandoned::Drop } else { Abandoned::Keep },
            },
            faults,
            policy,
            ..ScenarioConfig::default()
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// Every random valid scenario validates, runs without panicking, conserves requests,
    /// keeps its counters consistent, and repeats exactly with the same seed.
    #[test]
    fn random_scenarios_conserve_requests_and_repeat(cfg in scenario(), seed in any::<u64>()) {
        let sc = cfg.validate().map_err(|e| TestCaseError::fail(format!("valid scenario rejected: {e}")))?;
        let mut sim = Sim::new(&sc, seed);
        let p = sim.run();
        prop_assert!(p.stopped.is_some());
        let s = sim.summary();
        prop_assert_eq!(s.requests, s.succeeded + s.failed + s.in_flight_at_end);
        prop_assert!(s.attempts >= s.succeeded + s.failed);
        prop_assert!(s.events <= sc.max_events);
        if let Some(max_attempts) = cfg.policy.max_attempts {
            prop_assert!(s.attempts <= s.requests * u64::from(max_attempts));
        }
        let b = &sim.series().buckets;
        let total = |f: fn(&herdsim::sim::metrics::Bucket) -> u64| b.iter().map(f).sum::<u64>();
        prop_assert_eq!(total(|b| b.started), s.requests);
        prop_assert_eq!(total(|b| b.succeeded), s.succeeded);
        prop_assert_eq!(total(|b| b.failed), s.failed);
        prop_assert!(total(|b| b.first_attempts) <= s.requests);
        prop_assert!(total(|b| b.first_attempts + b.retries) <= s.attempts);
        prop_assert!(total(|b| b.outcomes()) <= s.attempts);
        prop_assert!(total(|b| b.success) >= s.succeeded);
        if let Some(max) = s.latency_ms.max {
            prop_assert!(max <= s.end_ms);
        }
        prop_assert_eq!(Sim::new(&sc, seed).run_to_summary(), s.clone());
        // stepping in chunks gives the same run as one call
        let mut chunked = Sim::new(&sc, seed);
        while chunked.step(997).stopped.is_none() {}
        prop_assert_eq!(chunked.summary(), s);
    }

    /// Every jitter mode stays within its documented bounds.
    #[test]
    fn jitter_stays_within_its_bounds(base in 0u64..50_000, extra in 0u64..5_000_000, mult in 1.0..4.0f64,
                                      n in 1u32..40, prev_mult in 0u64..1000, r in 0.0..1.0f64, seed in any::<u64>()) {
        let cap = base + extra;
        let mut rng = Rng::stream(seed, Entity::Client(0));
        let mk = |jitter| Backoff::new(Schedule::Exponential, base, mult, cap, jitter);
        let d = mk(Jitter::None).delay(n);
        prop_assert!(d <= cap);
        let mut prev = 0;
        for _ in 0..20 {
            let full = mk(Jitter::Full).sleep(n, &mut prev, &mut rng);
            prop_assert!(full <= d);
            let equal = mk(Jitter::Equal).sleep(n, &mut prev, &mut rng);
            prop_assert!(equal >= d / 2 && equal <= d);
            let prop = mk(Jitter::Proportional(r)).sleep(n, &mut prev, &mut rng);
            let spread = (d as f64 * r).round() as u64;
            prop_assert!(prop >= d - spread.min(d) && prop <= d + spread);
        }
        if base > 0 {
            let b = mk(Jitter::Decorrelated);
            let mut prev = base * (1 + prev_mult % 50);
            for _ in 0..20 {
                let before = prev;
                let s = b.sleep(n, &mut prev, &mut rng);
                prop_assert!(s >= base.min(cap) && s <= cap.min(3 * before.max(base)), "s={} base={} cap={} prev={}", s, base, cap, before);
            }
        }
    }
}
