//! Counters the engine keeps as a run goes, read by the summary.

use crate::sim::Micros;

/// Totals kept as the run goes.
#[derive(Clone, Debug, Default)]
pub(crate) struct Totals {
    pub requests: u64,
    pub attempts: u64,
    pub succeeded: u64,
    pub failed: u64,
    pub last_end: Option<Micros>,
    /// Breaker transitions: to open, to half-open, to closed.
    pub transitions: [u64; 3],
    /// The longest a successful attempt took (µs): how long a healthy answer can take.
    pub slowest_success: Micros,
}

/// Per-service totals.
#[derive(Clone, Debug, Default)]
pub(crate) struct ServiceTotals {
    /// Service time spent on attempts whose client had given up.
    pub wasted: Micros,
    /// Calls to this service rejected by a breaker.
    pub short_circuited: u64,
    /// Of those, rejected while this service had no fault.
    pub collateral: u64,
    /// Retries to this service a budget refused.
    pub budget_denied: u64,
    /// Breaker transitions of this service's breakers: open, half-open, closed.
    pub transitions: [u64; 3],
    /// Calls to this service that started (a request's first attempt there and its
    /// retries make one call).
    pub calls_started: u64,
    /// Calls to this service that succeeded.
    pub calls_succeeded: u64,
}
