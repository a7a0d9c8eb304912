//! The summary's health figures against what is known of the run: downtime of a fault
//! window, success latency against all latency, the herd after an outage, the nominal
//! capacity, a hang, per-service availability as callers see it.

use herdsim::sim::scenario::config::*;
use herdsim::sim::scenario::presets;

use crate::common::{base, summary};

/// Poisson clients against a comfortable service, 30 s, 100 ms buckets.
fn steady() -> ScenarioConfig {
    let mut c = base();
    c.duration_ms = 30_000.0;
    c.bucket_ms = Some(100.0);
    c.clients.count = 20;
    c.clients.arrival = ArrivalConfig::Poisson { rate_per_s: 5.0 }; // 100/s in all
    c.service.workers = Some(4);
    c.service.service_time = DistConfig::Exponential { mean_ms: 10.0 }; // 400/s capacity
    c
}

#[test]
fn downtime_of_a_fault_window_without_retries_is_the_window() {
    for (seed, fault) in [
        (
            1,
            FaultConfig::Down {
                start_ms: 10_000.0,
                end_ms: 20_000.0,
            },
        ),
        (
            2,
            FaultConfig::ErrorRate {
                start_ms: 5_000.0,
                end_ms: 12_500.0,
                rate: 1.0,
            },
        ),
    ] {
        let (start, end) = fault.window();
        let mut c = steady();
        c.faults = vec![fault];
        let s = summary(&c, seed);
        let want = end - start;
        assert!(
            (s.downtime_ms - want).abs() <= 100.0,
            "seed {seed}: downtime {} ms, fault window {want} ms",
            s.downtime_ms
        );
        let up = s.uptime.unwrap();
        assert!((up - (1.0 - want / 30_000.0)).abs() <= 0.01, "uptime {up}");
    }
}

#[test]
fn a_healthy_run_has_no_downtime_at_any_load_or_bucket() {
    // light load, long requests against fine buckets: many buckets where nothing ends
    // while a request is in flight, none of them downtime
    for (seed, rate, bucket) in [(3, 0.05, 1.0), (4, 0.5, 5.0), (5, 4.0, 100.0)] {
        let mut c = steady();
        c.bucket_ms = Some(bucket);
        c.clients.arrival = ArrivalConfig::Poisson { rate_per_s: rate };
        c.service.service_time = DistConfig::Exponential { mean_ms: 30.0 };
        let s = summary(&c, seed);
        assert_eq!(s.downtime_ms, 0.0, "seed {seed} rate {rate}");
        assert_eq!(s.uptime, Some(1.0));
        assert_eq!(s.failed, 0);
    }
}

#[test]
fn success_latency_is_all_latency_when_nothing_fails() {
    // M/M/1 at ρ = 0.5
    let mut c = steady();
    c.duration_ms = 200_000.0;
    c.bucket_ms = None;
    c.clients.arrival = ArrivalConfig::Poisson { rate_per_s: 2.5 };
    c.service.workers = Some(1);
    let s = summary(&c, 11);
    assert_eq!(s.failed, 0);
    assert!(s.succeeded > 9_000);
    assert_eq!(s.success_latency_ms, s.latency_ms);
    assert_eq!(s.failure_latency_ms.p50, None);
    assert_eq!(s.failure_latency_ms.max, None);
    // and apart when some fail: failures here are instant refusals
    c.faults = vec![FaultConfig::Down {
        start_ms: 50_000.0,
        end_ms: 60_000.0,
    }];
    let s = summary(&c, 11);
    assert!(s.failed > 400, "{}", s.failed); // λ = 50/s over 10 s
    assert_eq!(s.failure_latency_ms.max, Some(0.0), "a refusal is instant");
    assert!(s.success_latency_ms.p50.unwrap() > 5.0);
    assert!(s.latency_ms.p50 <= s.success_latency_ms.p50);
}

#[test]
fn full_jitter_meets_the_returning_service_with_a_smaller_herd() {
    let run = |name: &str, seed: u64| {
        let mut c = presets::config(name).unwrap();
        c.clients.count = 1_000;
        summary(&c, seed)
    };
    for seed in 0..10 {
        let (none, full) = (run("herd-no-jitter", seed), run("herd-full-jitter", seed));
        let (n, f) = (
            none.peak_after_fault_per_s.unwrap(),
            full.peak_after_fault_per_s.unwrap(),
        );
        assert!(f < n, "seed {seed}: full jitter {f}/s, none {n}/s");
        // the synchronized herd is many times what the service serves; the jittered one is not
        let cap = none.capacity_per_s.unwrap();
        assert!(
            n > 5.0 * cap && f < 2.0 * cap,
            "seed {seed}: {n} {f} vs {cap}"
        );
        // the peak over the whole run is during the outage and says the opposite
        assert!(full.peak_arrivals_per_s > f);
        // clients sleeping between the synchronized waves are not being served: downtime
        assert!(
            none.downtime_ms > full.downtime_ms + 5_000.0 && none.uptime < full.uptime,
            "seed {seed}: downtime {} vs {} ms, uptime {:?} vs {:?}",
            none.downtime_ms,
            full.downtime_ms,
            none.uptime,
            full.uptime
        );
    }
    let quiet = summary(&base(), 1);
    assert_eq!(quiet.peak_after_fault_per_s, None, "no disturbance");
}

#[test]
fn capacity_is_workers_over_mean_service_time() {
    let mut c = steady();
    c.faults = vec![FaultConfig::Down {
        start_ms: 1_000.0,
        end_ms: 2_000.0,
    }];
    let s = summary(&c, 1);
    assert_eq!(s.capacity_per_s, Some(4.0 * 1000.0 / 10.0));
    assert_eq!(s.services[0].capacity_per_s, s.capacity_per_s);
    c.service.service_time = DistConfig::Uniform {
        min_ms: 2.0,
        max_ms: 6.0,
    };
    assert_eq!(summary(&c, 1).capacity_per_s, Some(1000.0));
    c.service.workers = None;
    assert_eq!(summary(&c, 1).capacity_per_s, None, "unlimited workers");
    // an optimistic-concurrency run has no workers to serve it: no capacity to quote
    let mut occ = presets::config("aws-occ-full").unwrap();
    occ.clients.count = 20;
    let s = summary(&occ, 1);
    assert_eq!(
        (s.capacity_per_s, s.services[0].capacity_per_s),
        (None, None)
    );
}

#[test]
fn a_hang_is_downtime_and_its_oldest_request_shows_its_age() {
    let mut c = presets::config("no-timeout-hang").unwrap();
    c.clients.count = 50;
    let s = summary(&c, 2);
    let (start, end) = c.faults[0].window();
    // every client is stuck from the black hole on: the rest of the run is down
    let stuck = s.end_ms - start;
    assert!(
        s.downtime_ms >= stuck - 2_000.0 && s.downtime_ms <= stuck + 1_000.0,
        "downtime {} ms of {stuck} ms stuck",
        s.downtime_ms
    );
    let oldest = s.oldest_in_flight_ms.unwrap();
    assert!(oldest > s.end_ms - end, "oldest in flight {oldest} ms");
    // with a timeout the clients are stuck until it fires, then come back: downtime is
    // the time stuck, within the fault's first stall (the slowest answer) and a bucket
    for (timeout, stuck) in [
        (1_000.0, end - start),
        (10_000.0, 10_000.0),
        (30_000.0, 30_000.0),
    ] {
        c.policy.timeout_ms = Some(timeout);
        let s = summary(&c, 2);
        assert!(
            s.downtime_ms >= stuck - 1_000.0 && s.downtime_ms <= stuck + 1_000.0,
            "timeout {timeout} ms: downtime {} ms, stuck {stuck} ms",
            s.downtime_ms
        );
        assert!(s.oldest_in_flight_ms.is_none_or(|ms| ms < 3.0 * timeout));
    }
}

#[test]
fn per_service_figures_say_what_they_measure() {
    // two services picked half and half; one fails half its attempts; 3 attempts a call
    let mut c = steady();
    c.duration_ms = 100_000.0;
    c.policy.max_attempts = Some(3);
    c.policy.retry_on.error = true;
    let entry = |name: &str, faults| ServiceEntryConfig {
        name: name.into(),
        weight: 1.0,
        service: c.service.clone(),
        faults,
    };
    let flaky = vec![FaultConfig::ErrorRate {
        start_ms: 0.0,
        end_ms: 100_000.0,
        rate: 0.5,
    }];
    c.services = vec![entry("ok", Vec::new()), entry("flaky", flaky)];
    c.service = ServiceConfig::default();
    let s = summary(&c, 5);
    let (ok, flaky) = (&s.services[0], &s.services[1]);
    assert_eq!(ok.attempt_success_rate, Some(1.0));
    assert_eq!(ok.request_availability, Some(1.0));
    let near = |got: Option<f64>, want: f64| (got.unwrap() - want).abs() < 0.02;
    assert!(
        near(flaky.attempt_success_rate, 0.5),
        "{:?}",
        flaky.attempt_success_rate
    );
    // a call fails only when all three attempts do
    assert!(
        near(flaky.request_availability, 1.0 - 0.125),
        "{:?}",
        flaky.request_availability
    );
    // in sequence, each request calls both: the run's availability is the product
    c.route = RouteConfig::Sequence;
    let s = summary(&c, 5);
    let (ok, flaky) = (&s.services[0], &s.services[1]);
    assert_eq!(ok.request_availability, Some(1.0));
    assert!(near(flaky.request_availability, 0.875));
    assert!(near(s.availability, 0.875));
}
