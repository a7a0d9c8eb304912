//! The model against formulas: queueing theory where it applies, exact timelines where the
//! scenario is deterministic.

use herdsim::sim::scenario::config::*;
use herdsim::sim::Outcome;

use crate::common::{base, run, summary};

fn close(got: f64, want: f64, rel: f64) -> bool {
    (got - want).abs() <= rel * want.abs()
}

/// M/M/1 at ρ = 0.5: mean response time 1/(μ − λ), response time exponential, and
/// Little's law for the time-averaged number in the system.
#[test]
fn mm1_response_time_matches_queueing_theory() {
    let mut c = base();
    c.duration_ms = 4_000_000.0;
    c.clients.count = 10;
    c.clients.arrival = ArrivalConfig::Poisson { rate_per_s: 5.0 }; // λ = 50/s in all
    c.service.service_time = DistConfig::Exponential { mean_ms: 10.0 }; // μ = 100/s
    let sim = run(&c, 2024);
    let (lambda, mu) = (50.0, 100.0);
    let want_mean_ms = 1000.0 / (mu - lambda);
    let h = sim.request_latency();
    let mean_ms = h.mean().unwrap() / 1000.0;
    assert!(h.count() > 190_000, "enough samples: {}", h.count());
    assert!(
        close(mean_ms, want_mean_ms, 0.05),
        "mean response {mean_ms} ms, theory {want_mean_ms} ms"
    );
    // the response time of M/M/1 FIFO is exponential with rate μ − λ
    let q = |p: f64| h.quantile(p).unwrap() as f64 / 1000.0;
    assert!(
        close(q(0.5), want_mean_ms * std::f64::consts::LN_2, 0.05),
        "p50 {}",
        q(0.5)
    );
    assert!(
        close(q(0.99), want_mean_ms * 100f64.ln(), 0.05),
        "p99 {}",
        q(0.99)
    );
    // Little: L = λ·W
    let s = sim.series();
    let area: u64 = s.buckets.iter().map(|b| b.in_flight_area).sum();
    let l = area as f64 / (sim.summary().end_ms * 1000.0);
    assert!(
        close(l, lambda * want_mean_ms / 1000.0, 0.05),
        "time-averaged in system {l}"
    );
}

/// Independent failures with probability p and n retries: mean attempts per request is
/// (1 − p^(n+1)) / (1 − p), availability 1 − p^(n+1).
#[test]
fn retries_against_independent_failures_follow_the_geometric_formula() {
    for (p, n) in [(0.3, 3u32), (0.5, 1), (0.1, 5)] {
        let mut c = base();
        c.duration_ms = 200_000.0;
        c.clients.count = 100;
        c.clients.arrival = ArrivalConfig::Poisson { rate_per_s: 10.0 };
        c.service.workers = None;
        c.faults = vec![FaultConfig::ErrorRate {
            start_ms: 0.0,
            end_ms: 200_000.0,
            rate: p,
        }];
        c.policy.max_attempts = Some(n + 1);
        let s = summary(&c, 99);
        let want = (1.0 - p.powi(n as i32 + 1)) / (1.0 - p);
        assert!(
            close(s.amplification, want, 0.02),
            "p={p} n={n}: {} attempts/request, formula {want}",
            s.amplification
        );
        let avail = s.availability.unwrap();
        assert!(
            close(avail, 1.0 - p.powi(n as i32 + 1), 0.01),
            "p={p} n={n}: availability {avail}"
        );
    }
}

/// Against a refusing service, un-jittered exponential backoff gives an exact timeline:
/// 4 attempts of one round trip each, plus sleeps of 100, 200 and 400 ms.
#[test]
fn backoff_timeline_is_exact_without_jitter() {
    let mut c = base();
    c.clients.count = 20;
    c.service.network_delay = DistConfig::Constant { ms: 1.0 };
    c.faults = vec![FaultConfig::Down {
        start_ms: 0.0,
        end_ms: 60_000.0,
    }];
    c.policy.max_attempts = Some(4);
    c.policy.backoff = BackoffConfig {
        kind: ScheduleConfig::Exponential,
        base_ms: 100.0,
        multiplier: 2.0,
        cap_ms: 10_000.0,
        ..BackoffConfig::default()
    };
    let sim = run(&c, 1);
    let s = sim.summary();
    assert_eq!((s.requests, s.failed, s.attempts), (20, 20, 80));
    assert_eq!(s.latency_ms.p50, Some(4.0 * 2.0 + 700.0));
    assert_eq!(s.latency_ms.max, Some(708.0));
    let refused: u64 = sim.series().buckets.iter().map(|b| b.refused).sum();
    assert_eq!(refused, 80);
}

/// A black hole with a timeout: every attempt costs exactly the timeout; the deadline cuts
/// the second attempt short.
#[test]
fn timeouts_and_deadlines_bound_the_wait_exactly() {
    let mut c = base();
    c.clients.count = 5;
    c.faults = vec![FaultConfig::Blackhole {
        start_ms: 0.0,
        end_ms: 60_000.0,
    }];
    c.policy.timeout_ms = Some(100.0);
    c.policy.max_attempts = Some(3);
    c.policy.backoff = BackoffConfig {
        kind: ScheduleConfig::Constant,
        base_ms: 50.0,
        multiplier: 1.0,
        cap_ms: 50.0,
        ..BackoffConfig::default()
    };
    let sim = run(&c, 1);
    assert_eq!(sim.summary().latency_ms.max, Some(3.0 * 100.0 + 2.0 * 50.0));
    assert_eq!(sim.attempt_latency().max(), Some(100_000));

    c.policy.deadline_ms = Some(250.0);
    let s = summary(&c, 1);
    assert_eq!(
        (s.attempts, s.latency_ms.max),
        (10, Some(250.0)),
        "attempt at 0 and 150 ms, deadline at 250 ms"
    );
    c.policy.deadline_ms = Some(120.0);
    let s = summary(&c, 1);
    assert_eq!(
        (s.attempts, s.latency_ms.max),
        (5, Some(100.0)),
        "a backoff that would cross the deadline gives up at once"
    );
    c.policy.deadline_ms = Some(80.0);
    let s = summary(&c, 1);
    assert_eq!(
        (s.attempts, s.latency_ms.max),
        (5, Some(80.0)),
        "the deadline ends the first attempt early"
    );
}

/// Without a timeout a black hole holds every request until the end of the run.
#[test]
fn no_timeout_means_waiting_forever() {
    let mut c = base();
    c.clients.count = 7;
    c.faults = vec![FaultConfig::Blackhole {
        start_ms: 0.0,
        end_ms: 1.0,
    }];
    let s = summary(&c, 1);
    assert_eq!(
        (s.in_flight_at_end, s.succeeded, s.end_ms),
        (7, 0, 60_000.0)
    );
}

/// A full queue rejects at once: one in service, `capacity` waiting, the rest rejected.
#[test]
fn a_full_queue_rejects_the_overflow() {
    let mut c = base();
    c.clients.count = 50;
    c.service.queue_capacity = Some(10);
    let sim = run(&c, 1);
    let s = sim.summary();
    assert_eq!((s.succeeded, s.failed), (11, 39));
    assert_eq!(
        sim.series().buckets.iter().map(|b| b.rejected).sum::<u64>(),
        39
    );
    assert_eq!(s.completion_ms, Some(110.0), "11 served back to back");
}

/// Losing half the workers halves throughput; a 3× slowdown triples service time; the load
/// factor adds `k · (attempts already in service)` to each attempt's work.
#[test]
fn capacity_slow_and_load_factor_scale_work_exactly() {
    let mut c = base();
    c.clients.count = 100;
    c.service.workers = Some(4);
    assert_eq!(summary(&c, 1).completion_ms, Some(250.0));
    c.faults = vec![FaultConfig::Capacity {
        start_ms: 0.0,
        end_ms: 60_000.0,
        lost: 0.5,
    }];
    assert_eq!(summary(&c, 1).completion_ms, Some(500.0));
    c.faults = vec![FaultConfig::Slow {
        start_ms: 0.0,
        end_ms: 60_000.0,
        multiplier: 3.0,
    }];
    assert_eq!(summary(&c, 1).completion_ms, Some(750.0));
    c.faults.clear();
    c.service.workers = None;
    c.service.service_time = DistConfig::Constant { ms: 1000.0 };
    c.service.load_factor = 0.01;
    assert_eq!(
        summary(&c, 1).completion_ms,
        Some(1000.0 * (1.0 + 0.01 * 99.0))
    );
}

/// A capacity fault that ends restores the workers and the queue drains at full speed.
#[test]
fn capacity_returns_when_the_window_ends() {
    let mut c = base();
    c.clients.count = 40;
    c.service.workers = Some(2);
    c.faults = vec![FaultConfig::Capacity {
        start_ms: 0.0,
        end_ms: 100.0,
        lost: 1.0,
    }];
    // nothing runs for 100 ms, then 40 attempts on 2 workers take 200 ms
    assert_eq!(summary(&c, 1).completion_ms, Some(300.0));
}

/// The OCC protocol: one uncontended update takes four messages; with two clients and no
/// backoff, the second write loses and the client wins on its next read–write.
#[test]
fn occ_protocol_follows_the_message_timeline() {
    let mut c = base();
    c.workload = WorkloadConfig::Occ;
    c.service.network_delay = DistConfig::Constant { ms: 10.0 };
    c.policy.max_attempts = None;
    let s = summary(&c, 1);
    assert_eq!((s.attempts, s.completion_ms), (1, Some(40.0)));
    c.clients.count = 2;
    let sim = run(&c, 1);
    let s = sim.summary();
    assert_eq!(
        (s.succeeded, s.attempts, s.completion_ms),
        (2, 3, Some(80.0))
    );
    let b = &sim.series().buckets;
    let (ok, conflicts) = (
        b.iter().map(|b| b.success).sum::<u64>(),
        b.iter().map(|b| b.error).sum::<u64>(),
    );
    assert_eq!((ok, conflicts), (2, 1));
}

/// Wasted work: with `keep`, the server finishes attempts whose client timed out; with
/// `drop`, it discards those still waiting.
#[test]
fn abandoned_work_is_wasted_or_dropped() {
    let mut c = base();
    c.clients.count = 10; // 10 × 10 ms of work, clients give up after 25 ms
    c.policy.timeout_ms = Some(25.0);
    let keep = summary(&c, 1);
    assert_eq!((keep.succeeded, keep.wasted_work_ms), (2, 80.0));
    c.service.abandoned = Abandoned::Drop;
    let drop = summary(&c, 1);
    // served: #0 (0–10), #1 (10–20), #2 (20–30; its client gave up at 25); the rest dropped
    assert_eq!(
        (drop.succeeded, drop.wasted_work_ms, drop.completion_ms),
        (2, 10.0, Some(25.0))
    );
}

/// Outcome names are stable (they appear in exports).
#[test]
fn outcomes_serialise_in_snake_case() {
    assert_eq!(
        serde_json::to_string(&Outcome::Refused).unwrap(),
        "\"refused\""
    );
}

/// A request in sequence ends at its deadline, even when a call succeeds at that very
/// instant: the next service never sees it.
#[test]
fn a_sequence_stops_at_its_deadline() {
    let mut c = base();
    c.policy.timeout_ms = Some(10.0);
    c.policy.deadline_ms = Some(10.0);
    let a = ServiceEntryConfig {
        name: "a".into(),
        weight: 1.0,
        service: c.service.clone(),
        faults: vec![],
    };
    let b = ServiceEntryConfig {
        name: "b".into(),
        ..a.clone()
    };
    c.services = vec![a, b];
    c.service = ServiceConfig::default();
    c.route = RouteConfig::Sequence;
    let s = summary(&c, 1);
    assert_eq!((s.succeeded, s.failed), (0, 1));
    assert_eq!(s.services[0].succeeded_attempts, 1, "a answered at 10 ms");
    assert_eq!(s.services[1].attempts, 0, "b was never called");
    // with a little more time the sequence completes: two calls of 10 ms
    c.policy.deadline_ms = Some(25.0);
    let s = summary(&c, 1);
    assert_eq!((s.succeeded, s.services[1].attempts), (1, 1));
    assert_eq!(s.latency_ms.max, Some(20.0));
}
