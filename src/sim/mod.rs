//! The pure simulation core: scenario, engine, model and metrics.
//!
//! No web crate, no clock, no I/O. Time is an integer number of microseconds, events are
//! ordered by (time, sequence), and every entity draws from its own stream keyed by
//! (seed, entity id), so a seed gives the same run natively and in wasm.
//!
//! ```
//! use herdsim::sim::{presets, Sim};
//! let mut cfg = presets::config("retry-storm").unwrap();
//! cfg.clients.count = 200;
//! let scenario = cfg.validate().unwrap();
//! let a = Sim::new(&scenario, 42).run_to_summary();
//! let b = Sim::new(&scenario, 42).run_to_summary();
//! assert_eq!(a, b); // same seed, same run
//! ```

pub mod backoff;
pub mod breaker;
pub mod budget;
mod client;
pub mod config;
pub mod dist;
pub mod edit;
pub mod engine;
mod guard;
pub mod histogram;
pub mod metrics;
mod occ;
pub mod presets;
pub mod queue;
pub mod record;
mod resilience_config;
pub mod rng;
pub mod scenario;
mod service;
pub mod summary;
pub mod validate;
mod ziggurat;

/// Simulated time and durations, in microseconds.
pub type Micros = u64;

pub use config::ScenarioConfig;
pub use engine::{Outcome, Progress, Sim, Stop};
pub use record::RunRecord;
pub use scenario::Scenario;
pub use summary::Summary;
pub use validate::{FieldError, ScenarioError};

impl Sim {
    /// Run to the end and return the summary.
    pub fn run_to_summary(mut self) -> Summary {
        self.run();
        self.summary()
    }
}
