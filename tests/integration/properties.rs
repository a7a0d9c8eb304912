//! Invariants over random valid scenarios: no panic, conservation of requests, counters that
//! agree with each other, determinism, and the jitter bounds of every mode; with several
//! services, breakers and budgets too; and that a breaker never makes an illegal transition.

use herdsim::sim::policy::backoff::{Backoff, Jitter, Schedule};
use herdsim::sim::policy::breaker::{BreakerSpec, Breakers, Permit, State, Transition};
use herdsim::sim::random::rng::{Entity, Rng};
use herdsim::sim::scenario::config::*;
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
        (0.0..1.5f64, 0.0..1.0f64)
            .prop_map(|(min, w)| JitterConfig::Multiplier { min, max: min + w }),
        Just(JitterConfig::DecorrelatedV2),
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
                replication: None,
            },
            faults,
            policy,
            ..ScenarioConfig::default()
        }
    }
}

fn breaker_cfg() -> impl Strategy<Value = BreakerConfig> {
    let trip = prop_oneof![
        (1..6u32).prop_map(|failures| TripConfig::Consecutive { failures }),
        (
            1..30u32,
            1..40u32,
            prop::option::of(0.0..1.0f64),
            prop::option::of(1.0..200.0f64),
            0.0..1.0f64,
            any::<bool>(),
            any::<bool>(),
            1..20u32
        )
            .prop_map(
                |(
                    calls,
                    min_calls,
                    failure_rate,
                    slow_call_ms,
                    slow_call_rate,
                    time,
                    on_failure,
                    buckets,
                )| TripConfig::Rate {
                    window: if time {
                        WindowConfig::Time {
                            ms: f64::from(calls) * 50.0,
                            buckets,
                        }
                    } else {
                        WindowConfig::Count { calls }
                    },
                    min_calls,
                    failure_rate: failure_rate.or(if slow_call_ms.is_none() {
                        Some(0.5)
                    } else {
                        None
                    }),
                    slow_call_ms,
                    slow_call_rate,
                    check: if on_failure {
                        CheckConfig::OnFailure
                    } else {
                        CheckConfig::EveryCall
                    },
                }
            ),
    ];
    let scope = prop_oneof![
        Just(BreakerScopeConfig::PerService),
        Just(BreakerScopeConfig::Global),
        Just(BreakerScopeConfig::SharedPerService),
        Just(BreakerScopeConfig::SharedGlobal),
    ];
    (
        scope,
        trip,
        1.0..500.0f64,
        1.0..3.0f64,
        1..5u32,
        0..5u32,
        any::<(bool, bool, bool, bool)>(),
    )
        .prop_map(
            |(scope, trip, open_ms, open_multiplier, calls, fewer, f)| BreakerConfig {
                scope,
                trip,
                open_ms,
                open_multiplier,
                open_max_ms: open_ms * 4.0,
                half_open_calls: calls,
                half_open_successes: Some(calls.saturating_sub(fewer).max(1)),
                failure_on: FailureOnConfig {
                    timeout: f.0,
                    error: f.1,
                    rejected: f.2,
                    refused: f.3,
                },
            },
        )
}

fn budget_cfg() -> impl Strategy<Value = BudgetConfig> {
    let scope = prop_oneof![
        Just(BudgetScopeConfig::Shared),
        Just(BudgetScopeConfig::PerClient)
    ];
    (0..5u8, scope, 0.0..1.0f64).prop_map(|(kind, scope, x)| match kind {
        0 => BudgetConfig::None,
        1 => BudgetConfig::Grpc {
            max_tokens: 2.0 + 20.0 * x,
            token_ratio: 0.05 + x / 2.0,
            scope,
        },
        2 => BudgetConfig::Aws {
            capacity: 50.0 * x,
            retry_cost: 5.0,
            timeout_cost: 10.0,
            throttling_cost: 5.0,
            success_refund: 1.0,
            scope,
        },
        3 => BudgetConfig::Ratio {
            percent: 1.0 + 50.0 * x,
            min_per_s: 5.0 * x,
            ttl_ms: 1000.0 + 9000.0 * x,
            scope,
        },
        _ => BudgetConfig::Adaptive {
            k: 1.0 + x,
            window_ms: 100.0 + 2000.0 * x,
            scope,
        },
    })
}

/// A replication (primary, replicas, failover, random crashes or none) and a crash fault
/// for it.
fn replication_cfg() -> impl Strategy<Value = (ReplicationConfig, FaultConfig)> {
    (
        (
            0..3u32,
            any::<bool>(),
            dist(),
            0.0..1.0f64,
            any::<bool>(),
            any::<bool>(),
        ),
        (
            0..4u8,
            prop::option::of((1000.0..5000.0f64, 1.0..2000.0f64)),
        ),
        (0.0..3000.0f64, 1.0..3000.0f64, any::<bool>()),
    )
        .prop_map(
            |(
                (replicas, sync, lag, writes, from_replicas, timeout),
                (failover, random),
                (start, len, replica),
            )| {
                let failover = match failover {
                    0 if replicas > 0 => FailoverConfig::Automatic {
                        health_check_interval_ms: 100.0,
                        failures_to_trip: 2,
                        promotion: DistConfig::Constant { ms: 50.0 },
                    },
                    1 if replicas > 0 => FailoverConfig::Manual {
                        alert_after_ms: 50.0,
                        runbook: DistConfig::Uniform {
                            min_ms: 10.0,
                            max_ms: 100.0,
                        },
                    },
                    2 => FailoverConfig::None,
                    _ => FailoverConfig::RestoreFromBackup {
                        alert_after_ms: 50.0,
                        backup_every_ms: 1000.0,
                        restore: DistConfig::Constant { ms: 100.0 },
                    },
                };
                let r = ReplicationConfig {
                    replicas,
                    mode: if sync {
                        ReplicationMode::Sync
                    } else {
                        ReplicationMode::Async
                    },
                    lag,
                    writes,
                    reads: if from_replicas {
                        ReadsFrom::Replicas
                    } else {
                        ReadsFrom::Primary
                    },
                    while_down: if timeout {
                        WhileDown::Timeout
                    } else {
                        WhileDown::Refused
                    },
                    failover,
                    random_crashes: random
                        .map(|(mtbf_ms, mttr_ms)| RandomCrashesConfig { mtbf_ms, mttr_ms }),
                };
                let node = if replica && replicas > 0 {
                    CrashNode::Replica
                } else {
                    CrashNode::Primary
                };
                (
                    r,
                    FaultConfig::Crash {
                        start_ms: start,
                        end_ms: start + len,
                        node,
                    },
                )
            },
        )
}

prop_compose! {
    /// A random scenario with one to three services (by weight or in sequence), a breaker
    /// (or none), a budget (or none), and its first service replicated (or not).
    fn guarded_scenario()(base in scenario(), extra in prop::collection::vec((dist(), prop::option::of(1..8u32), 0.0..3.0f64,
                              prop::collection::vec(fault(true), 0..2)), 0..3),
                          sequence in any::<bool>(), breaker in prop::option::of(breaker_cfg()), budget in budget_cfg(),
                          retry_open in any::<bool>(), replicated in prop::option::of(replication_cfg())) -> ScenarioConfig {
        let mut c = base;
        c.workload = WorkloadConfig::Service;
        if let Some((r, crash)) = replicated {
            c.service.replication = Some(r);
            c.faults.push(crash);
        }
        if !extra.is_empty() {
            let first = ServiceEntryConfig { name: "s0".into(), weight: 1.0, service: c.service.clone(), faults: std::mem::take(&mut c.faults) };
            let first = ServiceEntryConfig {
                faults: first.faults.into_iter().filter(|f| !matches!(f, FaultConfig::Capacity { .. }) || first.service.workers.is_some()).collect(),
                ..first
            };
            c.services = std::iter::once(first)
                .chain(extra.into_iter().enumerate().map(|(i, (time, workers, weight, faults))| ServiceEntryConfig {
                    name: format!("s{}", i + 1),
                    weight,
                    service: ServiceConfig { workers: Some(workers.unwrap_or(4)), service_time: time, ..ServiceConfig::default() },
                    faults,
                }))
                .collect();
            c.service = ServiceConfig::default();
            c.route = if sequence { RouteConfig::Sequence } else { RouteConfig::Weighted };
            c.services[0].weight += 0.1;
        }
        if let Some(b) = breaker {
            c.breaker = b;
            c.policy.retry_on.breaker_open = retry_open && c.policy.backoff.kind != ScheduleConfig::None;
        }
        c.budget = budget;
        c
    }
}

/// One step of a breaker's life: a call (failure?, slow?) some µs later, or a timer that
/// may be stale.
#[derive(Clone, Copy, Debug)]
enum Op {
    Call { dt: u64, fail: bool, slow: bool },
    Timer { stale: bool },
}

fn ops() -> impl Strategy<Value = Vec<Op>> {
    prop::collection::vec(
        prop_oneof![
            4 => (0u64..3000, any::<bool>(), any::<bool>()).prop_map(|(dt, fail, slow)| Op::Call { dt, fail, slow }),
            1 => any::<bool>().prop_map(|stale| Op::Timer { stale }),
        ],
        1..300,
    )
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
        prop_assert!(s.events <= sc.max_events());
        if let Some(max_attempts) = cfg.policy.max_attempts {
            prop_assert!(s.attempts <= s.requests * u64::from(max_attempts));
        }
        let b = &sim.series().buckets;
        let total = |f: fn(&herdsim::sim::output::metrics::Bucket) -> u64| b.iter().map(f).sum::<u64>();
        prop_assert_eq!(total(|b| b.started), s.requests);
        prop_assert_eq!(total(|b| b.succeeded), s.succeeded);
        prop_assert_eq!(total(|b| b.failed), s.failed);
        prop_assert!(total(|b| b.first_attempts) <= s.requests);
        prop_assert!(total(|b| b.first_attempts + b.retries) <= s.attempts);
        prop_assert!(total(|b| b.outcomes()) <= s.attempts);
        prop_assert!(total(|b| b.success) >= s.succeeded);
        // health: downtime fits in the run, uptime is a share, oldest request fits too
        prop_assert!(s.downtime_ms <= s.end_ms + sim.series().width as f64 / 1000.0);
        prop_assert!(s.uptime.is_none_or(|u| (0.0..=1.0).contains(&u)));
        prop_assert!(s.oldest_in_flight_ms.is_none_or(|o| o <= s.end_ms));
        prop_assert_eq!(s.oldest_in_flight_ms.is_some(), s.in_flight_at_end > 0);
        prop_assert_eq!(s.success_latency_ms.max.is_some(), s.succeeded > 0);
        prop_assert_eq!(s.failure_latency_ms.max.is_some(), s.failed > 0);
        prop_assert!(s.latency_ms.max >= s.success_latency_ms.max);
        prop_assert!(s.peak_after_fault_per_s.is_none_or(|p| p <= s.peak_arrivals_per_s));
        if let Some(max) = s.latency_ms.max {
            prop_assert!(max <= s.end_ms);
        }
        prop_assert_eq!(Sim::new(&sc, seed).run_to_summary(), s.clone());
        // stepping in chunks gives the same run as one call
        let mut chunked = Sim::new(&sc, seed);
        while chunked.step(997).stopped.is_none() {}
        prop_assert_eq!(chunked.summary(), s);
    }

    /// With several services, breakers and budgets: the same conservation and repetition,
    /// and their own counters agree (breaker transitions follow the legal cycle; collateral
    /// rejections are breaker rejections; nothing is counted without its mechanism).
    #[test]
    fn random_guarded_scenarios_keep_their_invariants(cfg in guarded_scenario(), seed in any::<u64>()) {
        let sc = cfg.validate().map_err(|e| TestCaseError::fail(format!("valid scenario rejected: {e}")))?;
        let mut sim = Sim::new(&sc, seed);
        prop_assert!(sim.run().stopped.is_some());
        let s = sim.summary();
        prop_assert_eq!(s.requests, s.succeeded + s.failed + s.in_flight_at_end);
        prop_assert!(s.collateral_rejections <= s.rejected_by_breaker);
        // every series of the run shares one bucket width (rows line up in charts and CSV)
        let rec = sim.record();
        prop_assert!(rec.services.iter().all(|x| x.width == rec.series.width));
        prop_assert!(s.services.iter().map(|x| x.attempts).sum::<u64>() <= s.attempts);
        let t = s.breaker_transitions;
        let breakers = sc.breaker().map_or(0, |b| b.scope.count(sc.clients().count, sc.services().len())) as u64;
        prop_assert!(t.closed <= t.half_opened && t.half_opened <= t.opened && t.opened <= t.half_opened + breakers, "{:?}", t);
        if sc.breaker().is_none() {
            prop_assert_eq!((s.rejected_by_breaker, t.opened), (0, 0));
        }
        if sc.budget().is_none() {
            prop_assert_eq!((s.budget_denied_retries, s.throttled), (0, 0));
        }
        if let Some(m) = cfg.policy.max_attempts {
            // attempts per call: a sequence makes one call per service
            let calls = if cfg.route == RouteConfig::Sequence { sc.services().len() as u64 } else { 1 };
            prop_assert!(s.attempts <= s.requests * calls * u64::from(m));
        }
        // failover: lost writes and stale reads are attempts the service answered; an RPO
        // and an RTO only after a crash, and never longer than the run
        for (x, spec) in s.services.iter().zip(sc.services()) {
            prop_assert!(x.lost_writes + x.stale_reads <= x.attempts);
            if spec.replication.is_none() {
                prop_assert_eq!((x.lost_writes, x.rpo_ms, x.rto_ms, x.stale_reads), (0, None, None, 0));
            }
            prop_assert!(x.rpo_ms.is_none_or(|r| (0.0..=s.end_ms).contains(&r)));
            prop_assert!(x.rto_ms.is_none_or(|r| (0.0..=s.end_ms).contains(&r)));
            prop_assert!(x.rto_ms.is_none() || x.rpo_ms.is_some(), "an RTO needs a crash");
            if x.lost_writes > 0 {
                prop_assert!(x.rpo_ms.is_some());
            }
        }
        prop_assert_eq!(Sim::new(&sc, seed).run_to_summary(), s.clone());
        let mut chunked = Sim::new(&sc, seed);
        while chunked.step(501).stopped.is_none() {}
        prop_assert_eq!(chunked.summary(), s);
    }

    /// A breaker only ever goes closed → open → half-open → (open | closed), says so in
    /// its transitions, rejects every call while open, and lets at most its trial calls
    /// through while half-open.
    #[test]
    fn breakers_only_make_legal_transitions(cfg in breaker_cfg(), ops in ops()) {
        let full = ScenarioConfig { breaker: cfg, ..ScenarioConfig::default() };
        let spec: BreakerSpec = full.validate().map_err(|e| TestCaseError::fail(e.to_string()))?.breaker().unwrap();
        let mut b = Breakers::new(spec, 1);
        let (mut now, mut gen, mut trials) = (0u64, 0u32, 0u32);
        for op in ops {
            let before = b.state(0);
            let t = match op {
                Op::Timer { stale } => b.timer(0, if stale { gen.wrapping_add(1) } else { gen }),
                Op::Call { dt, fail, slow } => {
                    now += dt;
                    let p = b.permit(0);
                    match before {
                        State::Open => prop_assert_eq!(p, Permit::Rejected),
                        State::Closed => prop_assert_eq!(p, Permit::Allowed),
                        State::HalfOpen => {
                            if p.trial().is_some() { trials += 1; }
                            prop_assert!(trials <= spec.half_open_calls);
                        }
                    }
                    if p == Permit::Rejected { None } else { b.record(0, now, fail, slow, p.trial()) }
                }
            };
            let after = b.state(0);
            match t {
                None => prop_assert_eq!(before, after),
                Some(Transition::Opened { from, gen: g, until }) => {
                    prop_assert!(matches!(before, State::Closed | State::HalfOpen));
                    prop_assert_eq!(from, before);
                    prop_assert_eq!(after, State::Open);
                    prop_assert!(until > now && until <= now + spec.open_max.max(spec.open));
                    gen = g;
                }
                Some(Transition::HalfOpened) => {
                    prop_assert_eq!((before, after), (State::Open, State::HalfOpen));
                    trials = 0;
                }
                Some(Transition::Closed) => prop_assert_eq!((before, after), (State::HalfOpen, State::Closed)),
            }
        }
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
