//! The lecture presets do what their descriptions say, and the A/B knobs their descriptions
//! point at change the outcome.

use herdsim::sim::output::metrics::Series;
use herdsim::sim::{scenario::presets, ScenarioConfig, Summary};

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

#[test]
fn a_global_breaker_cuts_off_healthy_services_and_per_service_breakers_do_not() {
    let global = summary(&preset("breaker-per-service-vs-global"), 1);
    let mut c = preset("breaker-per-service-vs-global");
    c.breaker.scope = herdsim::sim::scenario::config::BreakerScopeConfig::PerService;
    let per = summary(&c, 1);
    let by = |s: &Summary, name: &str| s.services.iter().find(|x| x.name == name).unwrap().clone();
    for healthy in ["users", "search"] {
        let (g, p) = (by(&global, healthy), by(&per, healthy));
        assert!(
            g.collateral_rejections > 1000,
            "{healthy}: global breakers reject its calls: {}",
            g.collateral_rejections
        );
        assert!(
            g.attempt_success_rate.unwrap() < 0.9,
            "{healthy}: {:?}",
            g.attempt_success_rate
        );
        assert!(
            g.request_availability.unwrap() < 0.95,
            "{healthy}: its callers see the rejections: {:?}",
            g.request_availability
        );
        assert_eq!(
            p.rejected_by_breaker, 0,
            "{healthy}: per-service breakers leave it alone"
        );
        assert_eq!(p.attempt_success_rate, Some(1.0));
        // (the calls still going at the end count as not succeeded)
        assert!(
            p.request_availability.unwrap() > 0.999,
            "{:?}",
            p.request_availability
        );
    }
    // both cut off payments while it is down
    assert!(by(&per, "payments").rejected_by_breaker > 1000);
    assert!(per.availability.unwrap() > global.availability.unwrap() + 0.1);
}

#[test]
fn a_breaker_whose_waiting_retries_rush_in_keeps_the_service_swamped() {
    let swamped = run(&preset("swamped-cant-recover"), 1);
    let s = swamped.summary();
    // it flaps all run long and goodput after the slowdown stays far below the load
    assert!(
        s.breaker_transitions.opened >= 20,
        "{:?}",
        s.breaker_transitions
    );
    let (ok, all) = outcomes_after(&swamped.series(), 40.0);
    assert!(
        (ok as f64) < 0.6 * all as f64,
        "after 40 s only {ok} of {all} attempts succeed"
    );
    let mut c = preset("swamped-cant-recover");
    c.policy.retry_on.breaker_open = false;
    let calm = summary(&c, 1);
    assert!(
        calm.time_to_recover_ms.unwrap() < 10_000.0,
        "{:?}",
        calm.time_to_recover_ms
    );
    assert!(
        calm.breaker_transitions.opened <= 5,
        "{:?}",
        calm.breaker_transitions
    );
    assert!(calm.availability.unwrap() > s.availability.unwrap() + 0.3);
}

#[test]
fn a_retry_budget_stops_the_storm_that_keeps_the_service_down_without_it() {
    let with = summary(&preset("budget-vs-storm"), 1);
    let mut c = preset("budget-vs-storm");
    c.budget = herdsim::sim::scenario::config::BudgetConfig::None;
    let without = summary(&c, 1);
    assert!(with.amplification < 1.05, "{}", with.amplification);
    assert!(with.budget_denied_retries > 1000);
    assert!(
        with.time_to_recover_ms.unwrap() < 30_000.0,
        "{:?}",
        with.time_to_recover_ms
    );
    assert!(without.amplification > 3.0, "{}", without.amplification);
    assert_eq!(without.time_to_recover_ms, None, "the storm never ends");
    assert!(with.goodput_per_s > 1.5 * without.goodput_per_s);
}
