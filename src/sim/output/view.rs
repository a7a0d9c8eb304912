//! A read-only view of a run, the only way output code sees the engine.

use std::borrow::Cow;

use crate::sim::output::histogram::Histogram;
use crate::sim::output::incident::Incident;
use crate::sim::output::metrics::Series;
use crate::sim::output::outcome::Stop;
use crate::sim::output::record::Raster;
use crate::sim::output::totals::{ServiceTotals, Totals};
use crate::sim::scenario::Scenario;
use crate::sim::Micros;

/// What the summary and the record read of a run (finished or not).
pub(crate) struct RunView<'a> {
    /// The scenario.
    pub scenario: &'a Scenario,
    /// The seed.
    pub seed: u64,
    /// Simulated time reached.
    pub now: Micros,
    /// Events processed.
    pub events: u64,
    /// Why it stopped, once it has.
    pub stopped: Option<Stop>,
    /// Requests started and not yet ended.
    pub in_flight: u64,
    /// Run-wide counters.
    pub totals: &'a Totals,
    /// The run's series with every service's added in.
    pub series: Cow<'a, Series>,
    /// Each service's series and counters, in the scenario's order.
    pub services: Vec<(&'a Series, &'a ServiceTotals)>,
    /// Each service's crashes so far (empty unless replicated).
    pub incidents: Vec<&'a [Incident]>,
    /// Each service's stale reads.
    pub stale_reads: Vec<u64>,
    /// End-to-end latency of requests.
    pub request_latency: &'a Histogram,
    /// End-to-end latency of requests that succeeded.
    pub success_latency: &'a Histogram,
    /// End-to-end latency of requests that failed.
    pub failure_latency: &'a Histogram,
    /// When the oldest request still in flight started.
    pub oldest_start: Option<Micros>,
    /// Latency of single attempts.
    pub attempt_latency: &'a Histogram,
    /// The per-client raster.
    pub raster: &'a Raster,
    /// The sampled clients' attempts still in flight: client and when sent (filled for a
    /// record only).
    pub open_attempts: Vec<(u32, Micros)>,
    /// Breakers per breaker group (see [`RunRecord`](super::record::RunRecord)).
    pub breakers_per_group: usize,
    /// Budgets per service and the unit of their level.
    pub budgets_per_service: (usize, &'static str),
}
