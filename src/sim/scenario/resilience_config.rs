//! Circuit breakers and retry budgets as users write them (plain serde data, every field
//! defaulted, times in milliseconds). Validation turns them into
//! [`BreakerSpec`](crate::sim::policy::breaker::BreakerSpec) and
//! [`BudgetSpec`](crate::sim::policy::budget::BudgetSpec).

use serde::{Deserialize, Serialize};

use crate::sim::scenario::tagged::tagged_enum;

/// A circuit breaker in front of the services. `scope: none` (the default) disables it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BreakerConfig {
    /// Who keeps a breaker, and for what.
    pub scope: BreakerScopeConfig,
    /// When a closed breaker opens.
    pub trip: TripConfig,
    /// How long an opened breaker rejects calls before it lets trial calls through (ms).
    pub open_ms: f64,
    /// The open time is multiplied by this on each trip that follows a failed trial
    /// (1 = always `open_ms`; resilience4j `IntervalFunction.ofExponentialBackoff`).
    pub open_multiplier: f64,
    /// Longest open time when it grows (ms).
    pub open_max_ms: f64,
    /// Trial calls let through while half-open (gobreaker `MaxRequests`, resilience4j
    /// `permittedNumberOfCallsInHalfOpenState`, Polly: 1).
    pub half_open_calls: u32,
    /// Trial successes that close the breaker; it re-opens as soon as more than
    /// `half_open_calls − half_open_successes` trials fail (so with both equal, any failure
    /// re-opens it, as in gobreaker and Polly). `null` = all trials.
    pub half_open_successes: Option<u32>,
    /// Which outcomes count as failures.
    pub failure_on: FailureOnConfig,
}

impl Default for BreakerConfig {
    fn default() -> Self {
        BreakerConfig {
            scope: BreakerScopeConfig::None,
            trip: TripConfig::default(),
            open_ms: 5_000.0,
            open_multiplier: 1.0,
            open_max_ms: 60_000.0,
            half_open_calls: 1,
            half_open_successes: None,
            failure_on: FailureOnConfig::default(),
        }
    }
}

/// Who keeps a breaker.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BreakerScopeConfig {
    /// No breaker.
    #[default]
    None,
    /// Each client keeps one breaker per service.
    PerService,
    /// Each client keeps one breaker for all services.
    Global,
    /// One breaker per service shared by every client (a gateway or sidecar).
    SharedPerService,
    /// One breaker for everything, shared by every client.
    SharedGlobal,
}

tagged_enum! {
/// When a closed breaker trips.
#[derive(Clone, Debug, PartialEq)]
pub enum TripConfig {
    /// After this many failures in a row (gobreaker's default `ReadyToTrip` is
    /// `ConsecutiveFailures > 5`, i.e. 6).
    Consecutive {
        /// Failures in a row, 1..=1,000,000.
        #[serde(default = "six")]
        failures: u32,
    },
    /// When the failure rate or the slow-call rate over a sliding window reaches its
    /// threshold (resilience4j, Polly's advanced breaker).
    Rate {
        /// The sliding window.
        #[serde(default)]
        window: WindowConfig,
        /// No decision before this many calls are in the window.
        #[serde(default = "hundred")]
        min_calls: u32,
        /// Trip when failures / calls ≥ this (0..=1); `null` = never on failures.
        #[serde(default = "half_opt")]
        failure_rate: Option<f64>,
        /// A call slower than this is slow (ms); `null` = no slow-call rule.
        #[serde(default)]
        slow_call_ms: Option<f64>,
        /// Trip when slow calls / calls ≥ this (0..=1).
        #[serde(default = "one")]
        slow_call_rate: f64,
        /// When the rule is checked: after every call (resilience4j) or only after a
        /// failure (Polly).
        #[serde(default)]
        check: CheckConfig,
    },
}
}

impl Default for TripConfig {
    fn default() -> Self {
        TripConfig::Consecutive { failures: 6 }
    }
}

tagged_enum! {
/// A sliding window of calls.
#[derive(Clone, Debug, PartialEq)]
pub enum WindowConfig {
    /// The last `calls` calls (resilience4j `COUNT_BASED`).
    Count {
        /// Calls in the window, 1..=10,000.
        #[serde(default = "hundred")]
        calls: u32,
    },
    /// Calls that ended in the last `ms`, kept in `buckets` equal buckets (resilience4j
    /// `TIME_BASED`: one bucket per second; Polly: 10 buckets).
    Time {
        /// Window length (ms).
        #[serde(default = "ten_seconds")]
        ms: f64,
        /// Buckets, 1..=1000.
        #[serde(default = "ten")]
        buckets: u32,
    },
}
}

impl Default for WindowConfig {
    fn default() -> Self {
        WindowConfig::Count { calls: 100 }
    }
}

/// When a rate rule is checked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckConfig {
    /// After every recorded call (resilience4j).
    #[default]
    EveryCall,
    /// Only after a failure (Polly).
    OnFailure,
}

/// Outcomes a breaker counts as failures (the others count as successes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FailureOnConfig {
    /// Timeouts.
    pub timeout: bool,
    /// Error answers.
    pub error: bool,
    /// Queue-full rejections.
    pub rejected: bool,
    /// Refused connections.
    pub refused: bool,
}

impl Default for FailureOnConfig {
    fn default() -> Self {
        FailureOnConfig {
            timeout: true,
            error: true,
            rejected: true,
            refused: true,
        }
    }
}

tagged_enum! {
/// A retry budget or client-side throttle (`{"type": "none"}` by default).
#[derive(Clone, Debug, PartialEq)]
pub enum BudgetConfig {
    /// No budget.
    None,
    /// gRPC retry throttling (gRFC A6): tokens start at `max_tokens`; a retryable failure
    /// costs 1, a success adds `token_ratio`; retries only while tokens > max_tokens / 2.
    Grpc {
        /// `maxTokens`, 1..=1000.
        #[serde(default = "ten_f")]
        max_tokens: f64,
        /// `tokenRatio`, 0.001..=1.
        #[serde(default = "tenth")]
        token_ratio: f64,
        /// Who shares a budget.
        #[serde(default)]
        scope: BudgetScopeConfig,
    },
    /// The AWS SDK retry quota: a retry takes `retry_cost` (`timeout_cost` after a timeout,
    /// `throttling_cost` after a rejection); a success gives back the request's last cost,
    /// or `success_refund` if it made no retry.
    Aws {
        /// Initial and largest capacity (500).
        #[serde(default = "five_hundred")]
        capacity: f64,
        /// Cost of a retry after an error or refusal (5; 14 in the 2026 update).
        #[serde(default = "five")]
        retry_cost: f64,
        /// Cost of a retry after a timeout (10; 14 in the 2026 update).
        #[serde(default = "ten_f")]
        timeout_cost: f64,
        /// Cost of a retry after a throttling rejection (5).
        #[serde(default = "five")]
        throttling_cost: f64,
        /// Given back by a success that needed no retry (1).
        #[serde(default = "one")]
        success_refund: f64,
        /// Who shares a budget.
        #[serde(default)]
        scope: BudgetScopeConfig,
    },
    /// A ratio budget (Finagle `RetryBudget`, tower `TpsBudget`): retries may use
    /// `percent` % of the requests of the last `ttl_ms`, plus `min_per_s` per second.
    Ratio {
        /// Retries as a percentage of requests, 0..=1000 (20).
        #[serde(default = "twenty")]
        percent: f64,
        /// Retries always allowed per second (10).
        #[serde(default = "ten_f")]
        min_per_s: f64,
        /// How long a deposit or withdrawal counts (ms), 1,000..=60,000 (10,000).
        #[serde(default = "ten_seconds")]
        ttl_ms: f64,
        /// Who shares a budget.
        #[serde(default)]
        scope: BudgetScopeConfig,
    },
    /// Client-side adaptive throttling (Google SRE book, "Handling Overload"): every attempt
    /// is rejected locally with probability max(0, (requests − k · accepts) / (requests + 1))
    /// over the last `window_ms`.
    Adaptive {
        /// The accepts multiplier K (2).
        #[serde(default = "two")]
        k: f64,
        /// Window (ms) (120,000: two minutes).
        #[serde(default = "two_minutes")]
        window_ms: f64,
        /// Who shares a budget.
        #[serde(default)]
        scope: BudgetScopeConfig,
    },
}
}

// written out: a `#[default]` variant would be copied into tagged_enum!'s reader
#[allow(clippy::derivable_impls)]
impl Default for BudgetConfig {
    fn default() -> Self {
        BudgetConfig::None
    }
}

/// Who shares a retry budget (always one per service).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BudgetScopeConfig {
    /// All clients share one budget per service (one process with many callers).
    #[default]
    Shared,
    /// Each client keeps its own budget per service.
    PerClient,
}

fn six() -> u32 {
    6
}
fn ten() -> u32 {
    10
}
fn hundred() -> u32 {
    100
}
fn one() -> f64 {
    1.0
}
fn two() -> f64 {
    2.0
}
fn five() -> f64 {
    5.0
}
fn tenth() -> f64 {
    0.1
}
fn ten_f() -> f64 {
    10.0
}
fn twenty() -> f64 {
    20.0
}
fn five_hundred() -> f64 {
    500.0
}
fn half_opt() -> Option<f64> {
    Some(0.5)
}
fn ten_seconds() -> f64 {
    10_000.0
}
fn two_minutes() -> f64 {
    120_000.0
}
