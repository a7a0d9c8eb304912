//! The fault suite and its scorecard: a policy is only good if it is good across failures.
//!
//! Pure like [`crate::sim`] (no I/O, no threads, no clock), so the page can run it in web
//! workers as the CLI runs it on every core:
//!
//! - [`scenarios`]: one shared world (500 open-loop clients, a service of capacity
//!   800 attempts/s, 120 s) and six ways it goes wrong from 20 s: a short outage, a long
//!   overload, a brownout, a slow dependency, a load spike and a black hole
//!   ([`SCENARIOS`]);
//! - [`policy`]: [`apply_policy`] carries a client policy (timeouts, retries, backoff,
//!   jitter, breaker, budget) from any scenario into that world; [`LIBRARY_PRESETS`];
//! - [`plan`]: what runs, a [`Plan`] of (scenario, seed) [`Job`]s, kept apart from
//!   [`Plan::scorecard`], which puts their [`RunFigures`] together;
//! - [`metrics`] and [`scorecard`]: a [`Row`] per scenario, each [`Metric`] as a [`Stat`]
//!   (mean, min, max) over the seeds;
//! - [`compare`]: A/B ([`Comparison`]: B − A and whether it is better) and the
//!   libraries view ([`LibraryTable`]).
//!
//! ```
//! use herdsim::sim::scenario::presets;
//! use herdsim::suite::{Comparison, Metric, Plan, Verdict};
//!
//! // backon's defaults (4 attempts, exponential backoff, no jitter) against no retries
//! let backon = presets::config("backon-exponential").unwrap();
//! let mut once = backon.clone();
//! once.name = "no-retries".into();
//! once.policy.max_attempts = Some(1);
//!
//! // what runs: a (scenario, seed) job per row and seed, to run anywhere in any order;
//! // their figures go back in the jobs' order
//! let plan = Plan::new(&once, &[1]).unwrap();
//! let figures: Vec<_> = plan.jobs().iter().map(|job| job.run()).collect();
//! let b = plan.scorecard(&figures).unwrap();
//! for row in &b.rows {
//!     assert_eq!(row.stat(Metric::Amplification).mean, Some(1.0));
//! }
//! let a = Plan::new(&backon, &[1]).unwrap().run();
//! let ab = Comparison::of(a, b);
//! let outage = &ab.deltas[0];
//! assert_eq!(outage.scenario, "short-outage");
//! assert_eq!(outage.deltas.amplification.verdict, Some(Verdict::Better));
//! ```

pub mod compare;
pub mod metrics;
pub mod plan;
pub mod policy;
pub mod scenarios;
pub mod scorecard;

pub use compare::{Comparison, Delta, LibraryTable, RowDelta, ScenarioRows};
pub use metrics::{Better, Metric, PerMetric, RunFigures, Verdict};
pub use plan::{library_plans, run_config, seeds, Job, Plan, SuiteError};
pub use policy::{apply_policy, LIBRARY_PRESETS};
pub use scenarios::{scenario, world, Disturbance, SuiteScenario, SCENARIOS};
pub use scorecard::{show_mean, Row, Scorecard, Stat};
