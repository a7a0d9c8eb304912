//! The pure simulation core, in five rooms, each using only the ones below it:
//!
//! - [`engine`]: the event loop and its entities (clients, services, breakers' and
//!   budgets' side of an attempt, the OCC workload) and the event queue;
//! - [`output`]: what a run produces (outcomes, series, histograms, summary, record),
//!   read from a read-only view of the engine;
//! - [`scenario`]: config → validation → the typed scenario; edits and presets;
//! - [`policy`]: backoff, breakers and budgets, each usable on its own;
//! - [`random`]: seeded streams and distributions.
//!
//! No web crate, no clock, no I/O. Time is an integer number of microseconds, events are
//! ordered by (time, sequence), and every entity draws from its own stream keyed by
//! (seed, entity id), so a seed gives the same run natively and in wasm.
//!
//! ```
//! use herdsim::sim::{scenario::presets, Sim};
//! let mut cfg = presets::config("retry-storm").unwrap();
//! cfg.clients.count = 200;
//! let scenario = cfg.validate().unwrap();
//! let a = Sim::new(&scenario, 42).run_to_summary();
//! let b = Sim::new(&scenario, 42).run_to_summary();
//! assert_eq!(a, b); // same seed, same run
//! ```

pub mod engine;
pub mod output;
pub mod policy;
pub mod random;
pub mod scenario;

/// Simulated time and durations, in microseconds.
pub type Micros = u64;

pub use engine::{Progress, Sim};
pub use output::outcome::{Outcome, Stop};
pub use output::record::RunRecord;
pub use output::summary::Summary;
pub use scenario::config::ScenarioConfig;
pub use scenario::validate::{FieldError, ScenarioError};
pub use scenario::Scenario;
