//! What a run produces, as plain data: how attempts and runs end ([`outcome`]), time
//! series ([`metrics`]), latency histograms, the summary and the record of a finished run.
//! Built from a read-only [`RunView`](view::RunView) of the engine, never from its
//! internals.

pub mod histogram;
pub mod incident;
pub mod metrics;
pub mod outcome;
pub mod record;
pub mod summary;
pub mod totals;
pub mod view;
