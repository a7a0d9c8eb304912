//! Scenario builders shared by the test modules.
#![allow(dead_code)]

use herdsim::sim::scenario::config::*;
use herdsim::sim::{Scenario, ScenarioConfig, Sim, Summary};

/// A quiet baseline: one worker, no queue limit, no network delay, no timeout, no retries.
pub fn base() -> ScenarioConfig {
    let mut c = ScenarioConfig::default();
    c.clients.count = 1;
    c.clients.arrival = ArrivalConfig::Burst { at_ms: 0.0 };
    c.service = ServiceConfig {
        workers: Some(1),
        queue_capacity: None,
        queue: QueueDiscipline::Fifo,
        service_time: DistConfig::Constant { ms: 10.0 },
        load_factor: 0.0,
        network_delay: DistConfig::Constant { ms: 0.0 },
        abandoned: Abandoned::Keep,
        replication: None,
    };
    c.policy = PolicyConfig {
        timeout_ms: None,
        deadline_ms: None,
        max_attempts: Some(1),
        retry_on: RetryOnConfig::default(),
        backoff: BackoffConfig {
            kind: ScheduleConfig::None,
            base_ms: 0.0,
            multiplier: 1.0,
            cap_ms: 0.0,
            ..BackoffConfig::default()
        },
        jitter: JitterConfig::None,
    };
    c
}

/// Validate or fail the test with the validation message.
pub fn valid(c: &ScenarioConfig) -> Scenario {
    c.validate()
        .unwrap_or_else(|e| panic!("scenario should be valid: {e}"))
}

/// Run to the end; the finished engine.
pub fn run(c: &ScenarioConfig, seed: u64) -> Sim {
    let mut sim = Sim::new(&valid(c), seed);
    sim.run();
    sim
}

/// Run to the end; the summary.
pub fn summary(c: &ScenarioConfig, seed: u64) -> Summary {
    run(c, seed).summary()
}

/// The cases run natively and in wasm: (preset, seed, client count).
pub const CROSS_PLATFORM: &[(&str, u64, u32)] = &[
    ("herd-no-jitter", 7, 400),
    ("herd-full-jitter", 8, 400),
    ("no-timeout-hang", 2, 100),
    ("retry-storm", 11, 200),
    ("metastable", 3, 400),
    ("aws-occ-decorrelated", 5, 60),
    ("aws-occ-equal", 6, 60),
    // several services, breakers, budgets and the library jitters
    ("breaker-per-service-vs-global", 4, 150),
    ("swamped-cant-recover", 9, 300),
    ("budget-vs-storm", 12, 200),
    ("polly-v8", 13, 100),
    ("grpc-retry-throttling", 14, 100),
    ("cenkalti-backoff-v4", 15, 100),
];

/// A preset with its client count set, run with `seed`: the summary as JSON text (compared
/// as text: parsing floats back is not guaranteed to round-trip the last bit).
pub fn preset_summary_json(name: &str, seed: u64, clients: u32) -> String {
    let mut c = herdsim::sim::scenario::presets::config(name).expect("preset");
    c.clients.count = clients;
    serde_json::to_string(&summary(&c, seed)).expect("summary serialises")
}
