//! Parsing and validation: user JSON → [`ScenarioConfig`] → [`Scenario`].
//!
//! Every error names the field by its JSON path (the same dotted path `--set` takes), the
//! value given, and what is allowed. Validation reports every bad field, not just the first.

use std::fmt;

use serde::Serialize;

mod model;
mod policy;
mod resilience;

pub use resilience::MAX_GUARD_MB;

use crate::sim::random::dist::{to_micros, Dist};
use crate::sim::scenario::config::*;
use crate::sim::scenario::*;
use crate::sim::Micros;

/// Largest client count.
pub const MAX_CLIENTS: u32 = 1_000_000;
/// Longest run (ms): one day.
pub const MAX_DURATION_MS: f64 = 86_400_000.0;
/// Longest single delay, timeout or service time parameter (ms): one hour.
pub const MAX_DELAY_MS: f64 = 3_600_000.0;
/// Smallest memory budget (MB).
pub const MIN_MEMORY_MB: f64 = 16.0;
/// Largest memory budget (MB): what a wasm32 page can address, with room to spare.
pub const MAX_MEMORY_MB: f64 = 3072.0;
/// Most metric buckets in a run.
pub const MAX_BUCKETS: f64 = 100_000.0;

/// One bad field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// Dotted JSON path, e.g. `clients.count` or `faults.0.end_ms`.
    pub path: String,
    /// The value given.
    pub value: String,
    /// What is allowed.
    pub allowed: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} = {}: allowed {}",
            self.path, self.value, self.allowed
        )
    }
}

/// Why a scenario could not be built.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum ScenarioError {
    /// Not JSON, or not shaped like a scenario (wrong type, unknown field).
    Parse {
        /// Dotted path where it went wrong (empty for the document itself).
        path: String,
        /// The parser's message.
        message: String,
    },
    /// Well-formed, but some values are out of range.
    Invalid(Vec<FieldError>),
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScenarioError::Parse { path, message } if path.is_empty() || path == "." => {
                write!(f, "{message}")
            }
            ScenarioError::Parse { path, message } => write!(f, "{path}: {message}"),
            ScenarioError::Invalid(errs) => {
                let lines: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
                write!(f, "{}", lines.join("\n"))
            }
        }
    }
}

impl std::error::Error for ScenarioError {}

fn dotted(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let parts: Vec<String> = path
        .iter()
        .filter_map(|s| match s {
            Segment::Seq { index } => Some(index.to_string()),
            Segment::Map { key } => Some(key.clone()),
            Segment::Enum { variant } => Some(variant.clone()),
            Segment::Unknown => None,
        })
        .collect();
    parts.join(".")
}

impl ScenarioConfig {
    /// Parse a scenario from JSON text.
    pub fn from_json(text: &str) -> Result<ScenarioConfig, ScenarioError> {
        let de = &mut serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize(de).map_err(|e| ScenarioError::Parse {
            path: dotted(e.path()),
            message: e.inner().to_string(),
        })
    }

    /// Read a scenario from a JSON value (after `--set` edits, say).
    pub fn from_value(value: serde_json::Value) -> Result<ScenarioConfig, ScenarioError> {
        serde_path_to_error::deserialize(value).map_err(|e| ScenarioError::Parse {
            path: dotted(e.path()),
            message: e.inner().to_string(),
        })
    }

    /// Check every field and build the typed scenario.
    pub fn validate(&self) -> Result<Scenario, ScenarioError> {
        let mut c = Check::default();
        let duration = c.ms(
            "duration_ms",
            self.duration_ms,
            Bound::Above(0.0),
            MAX_DURATION_MS,
        );
        let bucket = self.bucket_ms.map(|b| {
            let lo = self.duration_ms / MAX_BUCKETS;
            let lo = if lo.is_finite() { lo.max(0.1) } else { 0.1 };
            c.ms("bucket_ms", b, Bound::AtLeast(lo), MAX_DURATION_MS)
        });
        c.ok(
            "max_events",
            self.max_events,
            self.max_events >= 1,
            "at least 1",
        );
        let max_memory_mb = c.num(
            "max_memory_mb",
            self.max_memory_mb,
            Bound::AtLeast(MIN_MEMORY_MB),
            MAX_MEMORY_MB,
        );
        let clients = self.clients_typed(&mut c);
        let (services, route) = self.services_typed(&mut c);
        let policy = self.policy_typed(&mut c);
        let breaker = self.breaker_typed(&mut c);
        let budget = self.budget_typed(&mut c);
        self.check_guard_memory(&mut c, services.len(), &breaker, &budget);
        self.check_no_spin(&mut c, &policy, &breaker, &budget);
        if !c.errors.is_empty() {
            return Err(ScenarioError::Invalid(c.errors));
        }
        Ok(Scenario {
            name: self.name.clone(),
            duration,
            bucket,
            max_events: self.max_events,
            max_memory: (max_memory_mb * 1024.0 * 1024.0) as usize,
            workload: match self.workload {
                WorkloadConfig::Service => Workload::Service,
                WorkloadConfig::Occ => Workload::Occ,
            },
            clients,
            services,
            route,
            policy,
            breaker,
            budget,
        })
    }
}

impl ScenarioConfig {
    /// Refuse configurations in which a client could act again and again without simulated
    /// time moving on much: a rejection by its own breaker or throttle ends in a
    /// microsecond, so retrying it needs a real backoff, and a closed-loop client behind a
    /// breaker or throttle needs a think time.
    fn check_no_spin(
        &self,
        c: &mut Check,
        policy: &Policy,
        breaker: &Option<crate::sim::policy::breaker::BreakerSpec>,
        budget: &Option<crate::sim::policy::budget::BudgetSpec>,
    ) {
        use crate::sim::policy::backoff::{Jitter, Schedule};
        let b = &policy.backoff;
        let stateful = matches!(b.jitter, Jitter::Decorrelated | Jitter::DecorrelatedV2);
        let zero_delay = b.base == 0
            || (b.schedule == Schedule::None && !stateful)
            || matches!(b.jitter, Jitter::Multiplier(_, hi) if hi == 0.0);
        if breaker.is_some() && policy.retry_on.breaker_open && zero_delay {
            c.ok(
                "policy.retry_on.breaker_open",
                "true",
                false,
                "false unless the backoff waits (a rejection retried at once would spin)",
            );
        }
        let throttles = matches!(
            budget.map(|b| b.kind),
            Some(crate::sim::policy::budget::BudgetKind::Adaptive { .. })
        );
        if let ArrivalConfig::ClosedLoop { think } = &self.clients.arrival {
            let never_waits = match *think {
                DistConfig::Constant { ms } => ms <= 0.0,
                DistConfig::Uniform { max_ms, .. } => max_ms <= 0.0,
                DistConfig::Normal { mean_ms, sd_ms } => mean_ms <= 0.0 && sd_ms <= 0.0,
                _ => false,
            };
            if never_waits
                && (breaker.is_some() || throttles)
                && self.workload == WorkloadConfig::Service
            {
                c.ok(
                    "clients.arrival.think",
                    "0",
                    false,
                    "a think time above 0 with a breaker or adaptive throttling (a rejected call ends at once, and the client would start the next at once)",
                );
            }
        }
    }
}

/// Lower bound of a range check.
#[derive(Clone, Copy)]
enum Bound {
    /// `>= x`
    AtLeast(f64),
    /// `> x`
    Above(f64),
}

/// Collects field errors.
#[derive(Default)]
struct Check {
    errors: Vec<FieldError>,
}

/// Format a number the way a user typed it: no trailing `.0`.
pub fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// A bound for a message, to 3 decimals, rounded inwards (a lower bound up, an upper bound
/// down) so that every value the message allows is accepted.
fn fmt_bound(v: f64, upper: bool) -> String {
    let scaled = v * 1000.0;
    let r = if upper { scaled.floor() } else { scaled.ceil() };
    if (r - scaled).abs() < 1e-6 {
        fmt_num(v)
    } else {
        fmt_num(r / 1000.0)
    }
}

impl Check {
    fn ok(&mut self, path: &str, value: impl fmt::Display, ok: bool, allowed: impl Into<String>) {
        if !ok {
            self.errors.push(FieldError {
                path: path.into(),
                value: value.to_string(),
                allowed: allowed.into(),
            });
        }
    }

    /// A whole number in `lo..=hi`.
    fn whole(&mut self, path: &str, v: u32, lo: u32, hi: u32) {
        self.ok(path, v, (lo..=hi).contains(&v), format!("{lo}..={hi}"));
    }

    /// A plain number in the range; the number itself, or the bound if out of range.
    fn num(&mut self, path: &str, v: f64, lo: Bound, hi: f64) -> f64 {
        let (ok, allowed) = match lo {
            Bound::AtLeast(l) => (
                v >= l && v <= hi,
                format!("{}..={}", fmt_bound(l, false), fmt_bound(hi, true)),
            ),
            Bound::Above(l) => (
                v > l && v <= hi,
                format!(
                    "more than {} and at most {}",
                    fmt_bound(l, false),
                    fmt_bound(hi, true)
                ),
            ),
        };
        self.ok(path, fmt_num(v), ok, allowed);
        if ok {
            v
        } else {
            hi
        }
    }

    /// Milliseconds in the range, as microseconds.
    fn ms(&mut self, path: &str, v: f64, lo: Bound, hi: f64) -> Micros {
        to_micros(self.num(path, v, lo, hi) * 1000.0)
    }

    fn window(&mut self, p: &str, start_ms: f64, end_ms: f64) -> (Micros, Micros) {
        let start = self.ms(
            &format!("{p}.start_ms"),
            start_ms,
            Bound::AtLeast(0.0),
            MAX_DURATION_MS,
        );
        let end = self.ms(
            &format!("{p}.end_ms"),
            end_ms,
            Bound::Above(start_ms.max(0.0)),
            MAX_DURATION_MS,
        );
        (start, end.max(start))
    }

    fn dist(&mut self, p: &str, d: &DistConfig) -> Dist {
        let max = MAX_DELAY_MS;
        match *d {
            DistConfig::Constant { ms } => {
                Dist::Constant(self.ms(&format!("{p}.ms"), ms, Bound::AtLeast(0.0), max))
            }
            DistConfig::Uniform { min_ms, max_ms } => {
                let lo = self.ms(&format!("{p}.min_ms"), min_ms, Bound::AtLeast(0.0), max);
                let hi = self.ms(
                    &format!("{p}.max_ms"),
                    max_ms,
                    Bound::AtLeast(min_ms.max(0.0)),
                    max,
                );
                Dist::Uniform(lo, hi.max(lo))
            }
            DistConfig::Exponential { mean_ms } => Dist::Exponential(
                self.num(&format!("{p}.mean_ms"), mean_ms, Bound::Above(0.0), max) * 1000.0,
            ),
            DistConfig::Lognormal { mean_ms, p99_ms } => {
                let mean = self.num(&format!("{p}.mean_ms"), mean_ms, Bound::Above(0.0), max);
                let top = mean * Dist::lognormal_max_ratio();
                let p99 = self.num(
                    &format!("{p}.p99_ms"),
                    p99_ms,
                    Bound::Above(mean),
                    top.min(max * 15.0),
                );
                Dist::lognormal(mean * 1000.0, p99 * 1000.0)
                    .unwrap_or(Dist::Constant(to_micros(mean * 1000.0)))
            }
            DistConfig::Normal { mean_ms, sd_ms } => Dist::FoldedNormal {
                mean: self.num(&format!("{p}.mean_ms"), mean_ms, Bound::AtLeast(0.0), max) * 1000.0,
                sd: self.num(&format!("{p}.sd_ms"), sd_ms, Bound::AtLeast(0.0), max) * 1000.0,
            },
        }
    }
}
