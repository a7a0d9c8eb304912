//! Recommendations (issue 12 §3): what a policy does on paper, what is wrong with it, and
//! which policy to use instead. Pure like [`sim`](crate::sim) (no threads, no clock, no
//! I/O): the page runs the search's jobs in web workers, the CLI (`herdsim tune`) with
//! [`batch::run_jobs`](crate::batch::run_jobs), and both get the same report.
//!
//! - [`analysis`]: the analytic panel, exact: each retry's sleep against the timeout and
//!   the deadline, how many attempts fit, worst-case amplification (`attempts^layers`),
//!   the failure rate at which a budget stops retries, Little's law
//!   ([`analyse`](analysis::analyse));
//! - [`delays`]: each retry's sleep (min, median, max, mean) from the jitter formulas the
//!   engine draws with;
//! - [`lints`]: known mistakes, each with the fields it names, a reason and a source,
//!   listed only when they apply ([`lints::lints`]);
//! - [`search`]: constraints, an objective and unlocked parameters searched coarse to
//!   fine over the fault suite: stages of (candidate, suite job), the Pareto front, the
//!   best feasible policy with its scorecard and what it beats ([`search::Tuner`]).
//!
//! ```
//! use herdsim::sim::scenario::presets;
//! use herdsim::tune::{analysis, lints};
//!
//! let herd = presets::config("herd-no-jitter").unwrap().validate().unwrap();
//! let panel = analysis::analyse(&herd, &analysis::Options::default());
//! assert_eq!(panel.schedule[0].delay.min_ms, panel.schedule[0].delay.max_ms); // no jitter
//! let found = lints::lints(&herd, 1);
//! assert!(found.iter().any(|l| l.id == lints::LintId::NoJitter));
//! ```

pub mod analysis;
pub mod delays;
pub mod lints;
pub mod search;
