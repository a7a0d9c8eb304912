//! The lecture presets do what their descriptions say, and the A/B knobs their descriptions
//! point at change the outcome.

use herdsim::sim::metrics::Series;
use herdsim::sim::{presets, ScenarioConfig, Summary};

use crate::common::{run, summary};

fn preset(name: &str) -> ScenarioConfig {
    presets::config(name).unwrap()
}

/// Successful attempts and all attempt outcomes from `from_s` on.
fn outcomes_after(series: &Series, from_s: f64) -> (u64, u64) {
    let first = (from_s / series.width_s()).ceil() as usize;
    series
        .buckets
        .iter()
        .skip(first)
        .fold((0, 0), |(ok, all), b| (ok + b.success, all + b.outcomes()))
}

/// Peak arrivals per second from `from_s` on.
fn peak_after(series: &Series, from_s: f64) -> f64 {
    let first = (from_s / series.width_s()).ceil() as usize;
    series
        .buckets
        .iter()
        .skip(first)
        .map(|b| (b.first_attempts + b.retries) as f64 / series.width_s())
        .fold(0.0, f64::max)
}

#[test]
fn herd_without_jitter_comes_back_in_waves_and_full_jitter_spreads_them() {
    let none = run(&preset("herd-no-jitter"), 1);
    let full = run(&preset("herd-full-jitter"), 1);
    let (n, f) = (none.summary(), full.summary());
    assert!(
        f.availability.unwrap() > n.availability.unwrap() + 0.3,
        "full {:?} vs none {:?}",
        f.availability,
        n.availability
    );
    assert!(
        n.time_to_recover_ms.unwrap() > 10_000.0,
        "no jitter recovers slowly: {:?}",
        n.time_to_recover_ms
    );
    assert!(
        f.time_to_recover_ms.unwrap() < 1_000.0,
        "full jitter recovers at once: {:?}",
        f.time_to_recover_ms
    );
    // after the outage the un-jittered herd arrives in spikes several times taller
    let (pn, pf) = (
        peak_after(&none.series(), 10.0),
        peak_after(&full.series(), 10.0),
    );
    assert!(
        pn > 3.0 * pf,
        "peak after recovery: no jitter {pn}/s, full jitter {pf}/s"
    );
}

#[test]
fn without_a_timeout_a_black_hole_stalls_every_client_for_good() {
    let c = preset("no-timeout-hang");
    let sim = run(&c, 1);
    let s = sim.summary();
    assert_eq!(
        s.in_flight_at_end,
        u64::from(c.clients.count),
        "every client is stuck"
    );
    assert_eq!(
        outcomes_after(&sim.series(), 25.0).0,
        0,
        "nothing succeeds after the black hole"
    );
    assert_eq!(s.time_to_recover_ms, None);
    let mut fixed = c.clone();
    fixed.policy.timeout_ms = Some(500.0);
    let sim = run(&fixed, 1);
    let s = sim.summary();
    assert!(
        s.time_to_recover_ms.unwrap() < 2_000.0,
        "with a timeout it recovers: {:?}",
        s.time_to_recover_ms
    );
    let before = (outcomes_after(&sim.series(), 0.0).0 - outcomes_after(&sim.series(), 20.0).0)
        as f64
        / 20.0;
    let after = outcomes_after(&sim.series(), 30.0).0 as f64 / 30.0;
    assert!(
        after > 0.9 * before,
        "successes per second: {before} before, {after} after"
    );
}

fn collapsed(s: &Summary, series: &Series, after_s: f64) -> bool {
    let (ok, all) = outcomes_after(series, after_s);
    s.time_to_recover_ms.is_none() && (ok as f64) < 0.05 * all as f64
}

#[test]
fn retry_storm_keeps_the_service_down_until_retries_or_the_queue_are_limited() {
    let c = preset("retry-storm");
    let sim = run(&c, 1);
    assert!(
        collapsed(&sim.summary(), &sim.series(), 30.0),
        "{:?}",
        sim.summary()
    );
    for (knob, value) in [("max_attempts=1", 1u32), ("queue_capacity=200", 200)] {
        let mut fixed = c.clone();
        if knob.starts_with("max") {
            fixed.policy.max_attempts = Some(value);
        } else {
            fixed.service.queue_capacity = Some(value);
        }
        let sim = run(&fixed, 1);
        let s = sim.summary();
        assert!(
            s.time_to_recover_ms.is_some_and(|t| t < 20_000.0),
            "{knob}: {:?}",
            s.time_to_recover_ms
        );
        assert!(!collapsed(&s, &sim.series(), 30.0), "{knob}");
    }
}

#[test]
fn metastable_service_stays_collapsed_with_retries_and_recovers_without() {
    let c = preset("metastable");
    let sim = run(&c, 1);
    let s = sim.summary();
    assert!(
        collapsed(&s, &sim.series(), 40.0),
        "collapsed after the spike: {s:?}"
    );
    assert!(
        s.wasted_work_ms > 1e6,
        "the server keeps working for clients that left"
    );
    let before = outcomes_after(&sim.series(), 0.0).0 - outcomes_after(&sim.series(), 20.0).0;
    assert!(before > 700, "healthy before the spike: {before} successes");
    let mut single = c.clone();
    single.policy.max_attempts = Some(1);
    let sim = run(&single, 1);
    let s = sim.summary();
    assert!(
        s.time_to_recover_ms.is_some_and(|t| t < 30_000.0),
        "one attempt recovers: {:?}",
        s.time_to_recover_ms
    );
    let (ok, all) = outcomes_after(&sim.series(), 60.0);
    assert!(ok as f64 > 0.95 * all as f64, "healthy again: {ok}/{all}");
}

/// Means over seeds of (calls, completion ms) for an OCC preset with 100 clients.
fn occ(name: &str) -> (f64, f64) {
    let seeds = 10;
    let (mut calls, mut done) = (0.0, 0.0);
    for seed in 0..seeds {
        let s = summary(&preset(name), seed);
        assert_eq!(s.succeeded, 100, "{name}: every client's update lands");
        calls += s.attempts as f64;
        done += s.completion_ms.unwrap();
    }
    (calls / seeds as f64, done / seeds as f64)
}

/// The conclusions of "Exponential Backoff And Jitter": no-jitter exponential is the clear
/// loser in work and time; equal jitter does slightly more work than full jitter and takes
/// much longer; full jitter uses less work than decorrelated but slightly more time.
#[test]
fn occ_presets_reproduce_the_aws_blog_conclusions() {
    let none = occ("aws-occ-none");
    let expo = occ("aws-occ-exponential");
    let equal = occ("aws-occ-equal");
    let full = occ("aws-occ-full");
    let decor = occ("aws-occ-decorrelated");
    assert!(
        expo.0 > 1.5 * full.0 && expo.1 > 5.0 * full.1,
        "exponential {expo:?} vs full {full:?}"
    );
    assert!(none.0 > expo.0, "no backoff does the most work: {none:?}");
    assert!(
        equal.0 > full.0 && equal.0 < 1.2 * full.0 && equal.1 > 1.2 * full.1,
        "equal {equal:?} vs full {full:?}"
    );
    assert!(
        decor.0 > full.0 && decor.1 < full.1,
        "decorrelated {decor:?} vs full {full:?}"
    );
}
