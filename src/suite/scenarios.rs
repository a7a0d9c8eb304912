//! The six fault scenarios of the suite: one shared world and, for each scenario, the one
//! fault window or load window that disturbs it.
//!
//! # The world
//!
//! 500 clients, each an open-loop Poisson source of 1 request/s (500 requests/s offered),
//! call one service of 8 workers with an exponential service time of mean 10 ms
//! (capacity 8 × 1000 / 10 = **800 attempts/s**, so the healthy service runs at 62.5%
//! load), a FIFO queue of 100 and a constant 2 ms one-way network delay. The run lasts
//! **120 s** in 500 ms buckets; every disturbance starts at **20 s**, so the level before it
//! (which recovery is measured against) has 40 buckets, and even the longest one (the 60 s
//! overload, ending at 80 s) leaves 40 s to recover in, the shortest (10 s) 90 s. 120 s is
//! also long enough for the longest backoff of the library presets' policies (tenacity's
//! and cenkalti's 60 s caps) to come round at least once after a fault.
//!
//! Open-loop arrivals are the point: clients keep sending whatever the service answers,
//! as many independent users do, so an overload cannot throttle itself by slowing its
//! clients down (a closed loop would); it is also the only arrival pattern load windows
//! scale ([`LoadWindowConfig`] acts on Poisson arrivals).
//!
//! The client policy of [`world`] (1 s timeout, 3 attempts, exponential backoff from
//! 100 ms with full jitter, no breaker or budget) is a placeholder:
//! [`apply_policy`](crate::suite::apply_policy) replaces it with the policy under test.

use crate::sim::scenario::config::{
    ArrivalConfig, ClientsConfig, DistConfig, FaultConfig, LoadWindowConfig, ScenarioConfig,
    ServiceConfig,
};

/// When every disturbance starts (ms).
pub const FAULT_START_MS: f64 = 20_000.0;
/// How long a suite run lasts (ms).
pub const DURATION_MS: f64 = 120_000.0;
/// The width of a metrics bucket (ms): peaks are rates over one bucket.
pub const BUCKET_MS: f64 = 500.0;
/// Clients in the world.
pub const CLIENTS: u32 = 500;
/// Requests per second each client starts (Poisson).
pub const RATE_PER_CLIENT_S: f64 = 1.0;
/// Workers of the service.
pub const WORKERS: u32 = 8;
/// Mean service time of an attempt (ms, exponential).
pub const SERVICE_MS: f64 = 10.0;
/// What the healthy service can serve, attempts per second: [`WORKERS`] × 1000 /
/// [`SERVICE_MS`] (what `Scenario::total_capacity_per_s` gives for [`world`]).
pub const CAPACITY_PER_S: f64 = WORKERS as f64 * 1000.0 / SERVICE_MS;

/// The world every suite scenario shares (see the module's documentation), with a
/// placeholder policy and no disturbance.
pub fn world() -> ScenarioConfig {
    ScenarioConfig {
        name: "suite-world".into(),
        description: "The fault suite's world: 500 clients at 1 request/s each (Poisson, \
                      open loop) to a service of 8 workers × 10 ms (800 attempts/s, 62.5% \
                      load), queue 100, 2 ms network delay; 120 s, disturbed from 20 s."
            .into(),
        seed: 1,
        duration_ms: DURATION_MS,
        bucket_ms: Some(BUCKET_MS),
        clients: ClientsConfig {
            count: CLIENTS,
            arrival: ArrivalConfig::Poisson {
                rate_per_s: RATE_PER_CLIENT_S,
            },
            start_spread_ms: 0.0,
            load: Vec::new(),
        },
        service: ServiceConfig {
            workers: Some(WORKERS),
            queue_capacity: Some(100),
            service_time: DistConfig::Exponential {
                mean_ms: SERVICE_MS,
            },
            network_delay: DistConfig::Constant { ms: 2.0 },
            ..ServiceConfig::default()
        },
        ..ScenarioConfig::default()
    }
}

/// What disturbs a suite scenario's world.
#[derive(Clone, Debug, PartialEq)]
pub enum Disturbance {
    /// A fault window on the service.
    Fault(FaultConfig),
    /// A window that multiplies the clients' arrival rate.
    Load(LoadWindowConfig),
}

/// One scenario of the suite: the [`world`] and one [`Disturbance`].
#[derive(Clone, Debug, PartialEq)]
pub struct SuiteScenario {
    /// Its name (letters and `-`), the scenario config's name too.
    pub name: &'static str,
    /// One line saying what goes wrong.
    pub description: &'static str,
    /// What goes wrong, and when.
    pub disturbance: Disturbance,
}

impl SuiteScenario {
    /// The world with this scenario's disturbance, named after it (the placeholder policy
    /// of [`world`]; see [`apply_policy`](crate::suite::apply_policy)).
    pub fn config(&self) -> ScenarioConfig {
        let mut cfg = world();
        cfg.name = self.name.into();
        cfg.description = self.description.into();
        match &self.disturbance {
            Disturbance::Fault(f) => cfg.faults.push(f.clone()),
            Disturbance::Load(w) => cfg.clients.load.push(w.clone()),
        }
        cfg
    }
}

const START: f64 = FAULT_START_MS;
const TEN_S: f64 = 10_000.0;
const THIRTY_S: f64 = 30_000.0;
const SIXTY_S: f64 = 60_000.0;

/// The suite, in the order of the scorecard's rows.
pub const SCENARIOS: &[SuiteScenario] = &[
    SuiteScenario {
        name: "short-outage",
        description: "The service is down (connections refused) for 10 s, from 20 s to 30 s.",
        disturbance: Disturbance::Fault(FaultConfig::Down {
            start_ms: START,
            end_ms: START + TEN_S,
        }),
    },
    SuiteScenario {
        name: "long-overload",
        description: "Open-loop arrivals double for 60 s, from 20 s to 80 s: 1,000/s for a \
                      capacity of 800/s.",
        disturbance: Disturbance::Load(LoadWindowConfig {
            start_ms: START,
            end_ms: START + SIXTY_S,
            multiplier: 2.0,
        }),
    },
    SuiteScenario {
        name: "brownout",
        description: "20% of attempts fail with an error for 30 s, from 20 s to 50 s.",
        disturbance: Disturbance::Fault(FaultConfig::ErrorRate {
            start_ms: START,
            end_ms: START + THIRTY_S,
            rate: 0.2,
        }),
    },
    SuiteScenario {
        name: "slow-dependency",
        description: "Attempts take 5× as long for 30 s, from 20 s to 50 s: capacity falls to \
                      160/s.",
        disturbance: Disturbance::Fault(FaultConfig::Slow {
            start_ms: START,
            end_ms: START + THIRTY_S,
            multiplier: 5.0,
        }),
    },
    SuiteScenario {
        name: "load-spike",
        description: "Arrivals double for 10 s, from 20 s to 30 s: 1,000/s, 125% of capacity.",
        disturbance: Disturbance::Load(LoadWindowConfig {
            start_ms: START,
            end_ms: START + TEN_S,
            multiplier: 2.0,
        }),
    },
    SuiteScenario {
        name: "black-hole",
        description: "The service answers nothing for 10 s, from 20 s to 30 s: only timeouts \
                      end the wait.",
        disturbance: Disturbance::Fault(FaultConfig::Blackhole {
            start_ms: START,
            end_ms: START + TEN_S,
        }),
    },
];

/// The suite scenario called `name`.
pub fn scenario(name: &str) -> Option<&'static SuiteScenario> {
    SCENARIOS.iter().find(|s| s.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_scenario_is_the_world_plus_one_disturbance_and_validates() {
        for s in SCENARIOS {
            let cfg = s.config();
            let sc = cfg.validate().unwrap_or_else(|e| panic!("{}: {e}", s.name));
            assert_eq!(sc.total_capacity_per_s(), Some(CAPACITY_PER_S));
            assert_eq!(sc.disturbances().count(), 1, "{}", s.name);
            let mut undisturbed = cfg.clone();
            undisturbed.faults.clear();
            undisturbed.clients.load.clear();
            undisturbed.name = world().name;
            undisturbed.description = world().description;
            assert_eq!(undisturbed, world(), "{}", s.name);
        }
        assert_eq!(scenario("brownout").map(|s| s.name), Some("brownout"));
        assert!(scenario("nope").is_none());
    }
}
