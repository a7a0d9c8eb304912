//! herdsim: a seeded discrete-event simulation of many clients retrying against services.
//!
//! - [`sim`]: the pure core (no clock, no I/O): scenario, engine, model, metrics.
//! - [`charts`]: plotters drawings of a run, generic over the drawing backend.
//! - [`suite`]: the fault suite and its scorecard (pure, like the simulation).
//! - [`tour`]: tour files, the lecture as guided steps (pure data, like the scenario).
//! - [`sweep`]: parameter sweeps over many seeds, pure like the scenario (the CLI runs them
//!   on every core with [`batch::sweep`], the page in web workers).
//! - [`tune`]: recommendations: the analytic panel, lints, and a search for the best
//!   policy over the fault suite (pure; its runs are jobs like the suite's).
//! - [`export`]: the policy as configuration for real libraries, with a fidelity report
//!   (pure: text in, text out).
//! - [`keymap`]: the page's keys, one table read by the handler and the list of keys.
//! - [`playback`]: a time cursor over a finished run, and the counters at it.
//! - [`uptime`]: uptime targets, the downtime they allow, series and parallel availability.
//! - [`work`]: sweeps and the suite as jobs for the page's web workers (pure data).
//! - `ui` (wasm only): the Yew page.
#![warn(missing_docs)]

#[cfg(not(target_arch = "wasm32"))]
pub mod batch;
pub mod charts;
pub mod export;
pub mod keymap;
pub mod playback;
pub mod share;
pub mod sim;
pub mod suite;
pub mod sweep;
pub mod tour;
pub mod tune;
#[cfg(target_arch = "wasm32")]
pub mod ui;
pub mod units;
pub mod uptime;
pub mod work;
