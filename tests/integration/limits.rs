//! Runs that end, in memory: the memory budget stops a runaway cleanly with partial
//! results, validation warns before such a run, and the event budget still applies.

use herdsim::sim::scenario::config::ArrivalConfig;
use herdsim::sim::{scenario::presets, ScenarioConfig, Sim, Stop};

/// 1,000 clients each starting a request every microsecond: requests pile up without end.
fn runaway() -> ScenarioConfig {
    let mut c = ScenarioConfig::default();
    c.clients.count = 1000;
    c.clients.arrival = ArrivalConfig::Interval { every_ms: 0.001 };
    c
}

#[test]
fn a_runaway_stops_at_the_memory_budget_with_its_partial_results() {
    let mut cfg = runaway();
    cfg.max_memory_mb = 32.0;
    let sc = cfg.validate().expect("valid");
    let mut sim = Sim::new(&sc, 1);
    sim.run();
    let s = sim.summary();
    assert_eq!(s.stop, Some(Stop::MemoryBudget));
    assert!(s.end_ms < 60_000.0, "stopped early, at {} ms", s.end_ms);
    // partial results are still consistent
    assert!(s.requests > 0);
    assert_eq!(s.requests, s.succeeded + s.failed + s.in_flight_at_end);
    // the overshoot is at most one growth of each vector past the budget
    let budget = 32 * 1024 * 1024;
    assert!(
        sim.growing_bytes() <= 3 * budget,
        "{} bytes for a {budget}-byte budget",
        sim.growing_bytes()
    );
    assert!(Stop::MemoryBudget
        .partial_reason()
        .unwrap()
        .contains("max_memory_mb"));
}

#[test]
fn a_larger_memory_budget_lets_the_same_run_go_further() {
    let run = |mb: f64| {
        let mut cfg = runaway();
        cfg.max_memory_mb = mb;
        Sim::new(&cfg.validate().expect("valid"), 1).run_to_summary()
    };
    let (small, large) = (run(16.0), run(64.0));
    assert_eq!(small.stop, Some(Stop::MemoryBudget));
    assert!(
        large.requests > 2 * small.requests,
        "{} vs {}",
        large.requests,
        small.requests
    );
}

#[test]
fn validation_warns_when_the_offered_load_could_outgrow_the_memory_budget() {
    let sc = runaway().validate().expect("valid");
    let w = sc.warnings();
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].contains("max_memory_mb"), "{}", w[0]);
    // the lecture presets as shipped fit their budget
    for name in [
        "retry-storm",
        "herd-no-jitter",
        "metastable",
        "budget-vs-storm",
    ] {
        let sc = presets::config(name).unwrap().validate().unwrap();
        assert!(sc.warnings().is_empty(), "{name}: {:?}", sc.warnings());
    }
}

#[test]
fn the_memory_budget_is_validated_by_name() {
    let cfg = ScenarioConfig {
        max_memory_mb: 0.5,
        ..ScenarioConfig::default()
    };
    let err = cfg.validate().unwrap_err().to_string();
    assert!(err.contains("max_memory_mb"), "{err}");
}

#[test]
fn a_preset_at_a_million_clients_stops_cleanly_within_its_budgets() {
    // tenacity never stops retrying: at 1,000,000 clients requests pile up while the
    // service is down; the run must stop at the memory budget, not abort
    let mut cfg = presets::config("tenacity-random-exponential").unwrap();
    cfg.clients.count = 1_000_000;
    cfg.max_memory_mb = 64.0;
    let sc = cfg.validate().unwrap();
    assert!(!sc.warnings().is_empty());
    let s = Sim::new(&sc, 1).run_to_summary();
    assert_eq!(s.stop, Some(Stop::MemoryBudget));
    assert_eq!(s.requests, s.succeeded + s.failed + s.in_flight_at_end);
}

fn from_json(text: &str) -> herdsim::sim::Scenario {
    ScenarioConfig::from_json(text)
        .and_then(|c| c.validate())
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn timeouts_of_ended_attempts_do_not_pile_up_against_the_memory_budget() {
    // 100 closed-loop clients, each attempt answered in 0.1 ms but timing out after an
    // hour: millions of attempts end within one timeout, only 100 are ever in flight
    let sc = from_json(
        r#"{"duration_ms": 3000, "max_memory_mb": 16,
            "clients": {"count": 100, "arrival": {"type": "closed_loop", "think": {"type": "constant", "ms": 0}}},
            "service": {"workers": null, "service_time": {"type": "constant", "ms": 0.1},
                        "network_delay": {"type": "constant", "ms": 0}},
            "policy": {"timeout_ms": 3600000}}"#,
    );
    let mut sim = Sim::new(&sc, 1);
    sim.run();
    let s = sim.summary();
    assert_eq!(s.stop, Some(Stop::Duration), "{:?}", s.stop);
    assert!(s.requests > 1_000_000, "{}", s.requests);
    assert!(
        sim.growing_bytes() < 4 << 20,
        "{} bytes",
        sim.growing_bytes()
    );
}

#[test]
fn a_run_stuck_at_one_instant_keeps_only_what_is_pending() {
    // one client retrying an always-failing, zero-time call without limit: simulated time
    // never moves; the event budget stops it, and the queue does not grow meanwhile
    let sc = from_json(
        r#"{"max_events": 3000000,
            "clients": {"count": 1, "arrival": {"type": "burst", "at_ms": 0}},
            "service": {"service_time": {"type": "constant", "ms": 0}, "network_delay": {"type": "constant", "ms": 0}},
            "faults": [{"type": "error_rate", "rate": 1, "start_ms": 0, "end_ms": 60000}],
            "policy": {"max_attempts": null, "timeout_ms": null, "backoff": {"base_ms": 0, "cap_ms": 0}}}"#,
    );
    let mut sim = Sim::new(&sc, 1);
    sim.run();
    assert_eq!(sim.summary().stop, Some(Stop::EventBudget));
    assert!(
        sim.growing_bytes() < 1 << 20,
        "{} bytes",
        sim.growing_bytes()
    );
}
