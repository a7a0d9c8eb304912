//! The presets that reproduce real libraries: each one's delay bounds per attempt, attempt
//! limit, breaker and budget, against the library's own formula written out here again
//! (sources in `src/sim/presets.rs` and each preset's description).

use herdsim::sim::policy::backoff::Backoff;
use herdsim::sim::policy::breaker::{Permit, Scope, State, Transition, Trip, Window};
use herdsim::sim::policy::budget::BudgetKind;
use herdsim::sim::random::rng::{Entity, Rng};
use herdsim::sim::{scenario::presets, Scenario};

fn scenario(name: &str) -> Scenario {
    presets::config(name).unwrap().validate().unwrap()
}

/// Smallest and largest of many draws of the sleep before retry `n` (ms), each from a
/// fresh request that made the earlier retries (so stateful jitter evolves as in a run).
fn range(b: &Backoff, n: u32) -> (f64, f64) {
    let mut rng = Rng::stream(5, Entity::Client(9));
    let (mut lo, mut hi) = (f64::MAX, 0.0f64);
    for _ in 0..3000 {
        let mut st = b.initial_sleep();
        for k in 1..n {
            b.sleep(k, &mut st, &mut rng);
        }
        let ms = b.sleep(n, &mut st, &mut rng) as f64 / 1000.0;
        lo = lo.min(ms);
        hi = hi.max(ms);
    }
    (lo, hi)
}

/// The draws of retry `n` span `[lo, hi]` ms: within it, and reaching both ends (1%).
fn spans(b: &Backoff, n: u32, lo: f64, hi: f64) {
    let (a, z) = range(b, n);
    let tol = 0.01 * (hi - lo).max(1.0);
    assert!(
        a >= lo - 0.001 && z <= hi + 0.001,
        "retry {n}: [{a}, {z}] outside [{lo}, {hi}]"
    );
    assert!(
        a <= lo + tol && z >= hi - tol,
        "retry {n}: [{a}, {z}] does not cover [{lo}, {hi}]"
    );
}

#[test]
fn aws_sdk_standard_full_jitter_on_one_second_base_and_the_2_0_quota() {
    let sc = scenario("aws-sdk-standard");
    assert_eq!(sc.policy().max_attempts, 3);
    for n in 1..=8 {
        // botocore: rand * min(1 * 2^(attempt-1), 20)
        spans(
            &sc.policy().backoff,
            n,
            0.0,
            (1000.0 * 2f64.powi(n as i32 - 1)).min(20_000.0),
        );
    }
    let Some(b) = sc.budget() else { panic!() };
    assert_eq!(
        b.kind,
        BudgetKind::Aws {
            capacity: 500.0,
            retry_cost: 5,
            timeout_cost: 10,
            throttling_cost: 5,
            refund: 1.0
        }
    );
    assert!(!b.per_client);
}

#[test]
fn aws_sdk_2026_fifty_ms_base_one_second_after_throttling_and_cost_14() {
    let sc = scenario("aws-sdk-2026");
    let b = sc.policy().backoff;
    for n in 1..=10 {
        spans(&b, n, 0.0, (50.0 * 2f64.powi(n as i32 - 1)).min(20_000.0));
        spans(
            &b.throttled(),
            n,
            0.0,
            (1000.0 * 2f64.powi(n as i32 - 1)).min(20_000.0),
        );
    }
    let Some(BudgetKind::Aws {
        retry_cost,
        timeout_cost,
        throttling_cost,
        capacity,
        ..
    }) = sc.budget().map(|b| b.kind)
    else {
        panic!()
    };
    assert_eq!(
        (capacity, retry_cost, timeout_cost, throttling_cost),
        (500.0, 14, 14, 5)
    );
}

#[test]
fn grpc_a6_multiplies_the_capped_delay_by_0_8_to_1_2_and_throttles() {
    let sc = scenario("grpc-retry-throttling");
    assert_eq!(sc.policy().max_attempts, 4);
    for n in 1..=6 {
        let d = (100.0 * 2f64.powi(n as i32 - 1)).min(1000.0);
        spans(&sc.policy().backoff, n, 0.8 * d, 1.2 * d);
    }
    let r = sc.policy().retry_on;
    assert!(
        r.refused && r.rejected && !r.timeout && !r.error,
        "UNAVAILABLE only"
    );
    assert_eq!(
        sc.budget().map(|b| b.kind),
        Some(BudgetKind::Grpc {
            max: 10.0,
            ratio: 0.1
        })
    );
}

#[test]
fn cenkalti_randomizes_half_either_side_of_an_interval_capped_at_60_s() {
    let sc = scenario("cenkalti-backoff-v4");
    assert_eq!(sc.policy().max_attempts, u32::MAX, "no attempt limit");
    assert_eq!(
        sc.policy().deadline,
        Some(900_000_000),
        "MaxElapsedTime 15 min"
    );
    let mut interval = 500.0f64;
    for n in 1..=16 {
        spans(&sc.policy().backoff, n, 0.5 * interval, 1.5 * interval);
        interval = (interval * 1.5).min(60_000.0);
    }
}

#[test]
fn tenacity_waits_uniform_up_to_two_to_the_attempt_capped_at_60() {
    let sc = scenario("tenacity-random-exponential");
    assert_eq!(sc.policy().max_attempts, u32::MAX, "stop_never");
    for n in 1..=9 {
        spans(
            &sc.policy().backoff,
            n,
            0.0,
            (1000.0 * 2f64.powi(n as i32 - 1)).min(60_000.0),
        );
    }
}

#[test]
fn urllib3_retries_three_times_at_once_and_its_factor_skips_the_first() {
    let sc = scenario("urllib3-retry");
    assert_eq!(sc.policy().max_attempts, 4);
    for n in 1..=3 {
        spans(&sc.policy().backoff, n, 0.0, 0.0);
    }
    let r = sc.policy().retry_on;
    assert!(r.refused && r.timeout && !r.error && !r.rejected);
    // with backoff_factor 0.1 (the urllib3 docs' example): 0.0, 0.2, 0.4, 0.8 s
    let b = Backoff {
        base: 100_000,
        immediate_first: true,
        ..sc.policy().backoff
    };
    let b = Backoff {
        schedule: herdsim::sim::policy::backoff::Schedule::Exponential,
        ..b
    };
    assert_eq!(
        [1, 2, 3, 4].map(|n| b.delay(n)),
        [0, 200_000, 400_000, 800_000]
    );
}

#[test]
fn backon_waits_1_2_4_seconds_for_its_three_retries() {
    let sc = scenario("backon-exponential");
    assert_eq!(sc.policy().max_attempts, 4, "max_times 3 counts retries");
    for (n, want) in [(1, 1000.0), (2, 2000.0), (3, 4000.0), (7, 60_000.0)] {
        spans(&sc.policy().backoff, n, want, want);
    }
}

#[test]
fn polly_retries_every_2_s_and_breaks_on_a_tenth_of_100_calls_for_5_s() {
    let sc = scenario("polly-v8");
    assert_eq!(
        sc.policy().max_attempts,
        4,
        "MaxRetryAttempts 3 plus the first"
    );
    for n in 1..=3 {
        spans(&sc.policy().backoff, n, 2000.0, 2000.0);
    }
    assert!(
        sc.policy().retry_on.breaker_open,
        "BrokenCircuitException is retried"
    );
    let b = sc.breaker().unwrap();
    assert_eq!(b.scope, Scope::SharedPerService);
    assert_eq!(
        b.trip,
        Trip::Rate {
            window: Window::Time {
                span: 30_000_000,
                buckets: 10
            },
            min_calls: 100,
            failure_rate: Some(0.1),
            slow_call: None,
            slow_rate: 1.0,
            on_failure_only: true
        }
    );
    assert_eq!(
        (b.open, b.half_open_calls, b.half_open_successes),
        (5_000_000, 1, 1)
    );
}

#[test]
fn resilience4j_defaults_trip_at_half_of_100_calls_and_wait_60_s() {
    let sc = scenario("resilience4j-breaker");
    let b = sc.breaker().unwrap();
    assert_eq!(
        b.trip,
        Trip::Rate {
            window: Window::Count(100),
            min_calls: 100,
            failure_rate: Some(0.5),
            slow_call: Some(60_000_000),
            slow_rate: 1.0,
            on_failure_only: false
        }
    );
    assert_eq!(
        (b.open, b.half_open_calls, b.half_open_successes),
        (60_000_000, 10, 6)
    );
    assert_eq!(sc.policy().max_attempts, 3, "RetryConfig maxAttempts 3");
    spans(&sc.policy().backoff, 1, 500.0, 500.0);
}

#[test]
fn gobreaker_defaults_through_the_engine_cut_the_service_off_for_60_s() {
    let sc = scenario("gobreaker");
    let b = sc.breaker().unwrap();
    assert_eq!(b.trip, Trip::Consecutive(6));
    assert_eq!((b.open, b.half_open_calls), (60_000_000, 1));
    assert_eq!(sc.policy().max_attempts, 1);
    // one shared breaker: the outage at 20 s trips it at once, it stays open 60 s, one
    // probe at 80 s closes it
    let mut breakers = herdsim::sim::policy::breaker::Breakers::new(b, 1);
    let mut opened_at = None;
    for k in 0..6u64 {
        if let Some(Transition::Opened { until, .. }) =
            breakers.record(0, 20_000_000 + k, true, false, None)
        {
            opened_at = Some(until - 60_000_000);
        }
    }
    assert_eq!(opened_at, Some(20_000_005));
    assert_eq!(breakers.permit(0), Permit::Rejected);
    let s = herdsim::sim::Sim::new(&sc, 1).run_to_summary();
    let t = s.breaker_transitions;
    assert_eq!((t.opened, t.half_opened, t.closed), (1, 1, 1));
    // every call between the trip and the probe 60 s later was rejected: about 60 s of
    // the 1,000/s load
    assert!(
        (55_000..62_000).contains(&s.rejected_by_breaker),
        "{}",
        s.rejected_by_breaker
    );
    assert_eq!(breakers.state(0), State::Open);
}
