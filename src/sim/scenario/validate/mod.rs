//! Parsing and validation: user JSON → [`ScenarioConfig`] → [`Scenario`].
//!
//! Every error names the field by its JSON path (the same dotted path `--set` takes), the
//! value given, and what is allowed. Validation reports every bad field, not just the first.

use std::fmt;

use serde::Serialize;

mod model;
mod policy;
mod read;
mod replication;
mod resilience;
pub mod text;

pub use read::{RawJson, ReadError};
pub use resilience::MAX_GUARD_MB;

use crate::sim::random::dist::{to_micros, Dist};
use crate::sim::scenario::bounds::{self, Field};
use crate::sim::scenario::config::*;
use crate::sim::scenario::*;
use crate::sim::Micros;

pub use crate::sim::scenario::bounds::{MAX_BUCKETS, MAX_DELAY_MS, MAX_DURATION_MS};
/// Largest client count.
pub const MAX_CLIENTS: u32 = bounds::MAX_CLIENTS as u32;

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
        /// What is wrong, in a sentence naming the path.
        message: String,
    },
    /// Well-formed, but some values are out of range.
    Invalid(Vec<FieldError>),
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScenarioError::Parse { message, .. } => write!(f, "{message}"),
            ScenarioError::Invalid(errs) => {
                let lines: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
                write!(f, "{}", lines.join("\n"))
            }
        }
    }
}

impl std::error::Error for ScenarioError {}

impl From<ReadError> for ScenarioError {
    fn from(e: ReadError) -> ScenarioError {
        ScenarioError::Parse {
            path: e.path().to_string(),
            message: e.to_string(),
        }
    }
}

/// Read a `T` from `v` as strictly as a scenario is read (see [`read`]): unknown fields,
/// lists in place of objects and the like are refused, with the dotted path.
pub fn read_strict<T: serde::de::DeserializeOwned>(v: &serde_json::Value) -> Result<T, ReadError> {
    read::read(v)
}

/// serde_json's syntax error in plain words, with its line and column (for any document
/// read with [`text::parse`]).
pub fn syntax_message(e: &serde_json::Error) -> String {
    match syntax(e) {
        ScenarioError::Parse { message, .. } => message,
        other => other.to_string(),
    }
}

/// serde_json's syntax error in plain words, with its line and column.
fn syntax(e: &serde_json::Error) -> ScenarioError {
    let msg = e.to_string();
    let place = format!("line {} column {}", e.line(), e.column());
    let message = if msg.starts_with("trailing characters") {
        format!("text after the end of the JSON document, at {place}")
    } else if msg.starts_with("recursion limit exceeded") {
        format!("the document is nested deeper than 128 levels, at {place}")
    } else if msg.starts_with("number out of range") {
        format!("a number too large to represent, at {place}")
    } else if e.is_eof() {
        format!("the document ends too early, at {place}")
    } else {
        format!("not JSON: {msg}")
    };
    ScenarioError::Parse {
        path: String::new(),
        message,
    }
}

/// The page's exported document `{"scenario": {...}, "summary": {...}}`: its scenario.
fn unwrap_export(v: serde_json::Value) -> serde_json::Value {
    match v {
        serde_json::Value::Object(mut m)
            if m.get("scenario").is_some_and(|s| s.is_object())
                && m.keys().all(|k| k == "scenario" || k == "summary") =>
        {
            m.remove("scenario").unwrap_or_default()
        }
        v => v,
    }
}

impl ScenarioConfig {
    /// Parse a scenario from JSON text: a scenario document, or the document the page
    /// exports (`{"scenario": …, "summary": …}`, whose summary is ignored). Anything after
    /// the document is an error, and so are a field given twice in one object and every
    /// field serde would otherwise ignore or take in another shape (see [`read`]).
    pub fn from_json(text: &str) -> Result<ScenarioConfig, ScenarioError> {
        let value = text::parse(text).map_err(|e| match e {
            text::TextError::Syntax(e) => syntax(&e),
            dup => ScenarioError::Parse {
                path: dup.path(),
                message: dup.to_string(),
            },
        })?;
        Self::from_value(unwrap_export(value))
    }

    /// Read a scenario from a JSON value (after `--set` edits, say), as strictly.
    pub fn from_value(value: serde_json::Value) -> Result<ScenarioConfig, ScenarioError> {
        Ok(read::read(&value)?)
    }

    /// Check every field and build the typed scenario.
    pub fn validate(&self) -> Result<Scenario, ScenarioError> {
        let mut c = Check::default();
        // sizes first, so that the checks below cost time in proportion to the document
        self.check_sizes(&mut c);
        if !c.errors.is_empty() {
            return Err(ScenarioError::Invalid(c.errors));
        }
        let duration = c.ms("duration_ms", &bounds::DURATION, self.duration_ms);
        let bucket = self.bucket_ms.map(|b| {
            let lo = after(&bounds::DURATION, self.duration_ms, |d| d / MAX_BUCKETS);
            c.ms("bucket_ms", &bounds::BUCKET.narrowed_below(lo, true), b)
        });
        c.ok(
            "max_events",
            self.max_events,
            self.max_events >= 1,
            bounds::MAX_EVENTS.allowed(),
        );
        let max_memory_mb = c.num("max_memory_mb", &bounds::MAX_MEMORY, self.max_memory_mb);
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
    /// The lengths of the lists against their limits.
    fn check_sizes(&self, c: &mut Check) {
        let n = self.clients.load.len();
        c.ok(
            "clients.load",
            format!("{n} windows"),
            n <= bounds::MAX_LOAD_WINDOWS,
            format!("at most {} load windows", bounds::MAX_LOAD_WINDOWS),
        );
        let n = self.services.len();
        c.ok(
            "services",
            format!("{n} services"),
            n <= MAX_SERVICES,
            format!("at most {MAX_SERVICES} services"),
        );
        let lists = std::iter::once(("faults".to_string(), self.faults.len())).chain(
            self.services
                .iter()
                .enumerate()
                .take(MAX_SERVICES + 1)
                .map(|(i, s)| (format!("services.{i}.faults"), s.faults.len())),
        );
        for (path, n) in lists {
            c.ok(
                &path,
                format!("{n} faults"),
                n <= bounds::MAX_FAULTS,
                format!("at most {} fault windows", bounds::MAX_FAULTS),
            );
        }
    }

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

/// A dependent bound: `f(dep)` when `dep` is valid for its own `field`, else nothing
/// (`NAN`, which [`Field::narrowed_below`] ignores): a range is never narrowed by a value
/// that is itself refused, so no message shows a range nothing satisfies.
fn after(field: &Field, dep: f64, f: impl Fn(f64) -> f64) -> f64 {
    if field.contains(dep) {
        f(dep)
    } else {
        f64::NAN
    }
}

/// Collects field errors.
#[derive(Default)]
struct Check {
    errors: Vec<FieldError>,
}

/// Format a number the way a user typed it: no trailing `.0`, no 309-digit numbers.
pub fn fmt_num(v: f64) -> String {
    bounds::fmt_value(v)
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

    /// A whole number in the range of `field`.
    fn whole(&mut self, path: &str, field: &Field, v: u32) {
        self.num(path, field, f64::from(v));
    }

    /// A number in the range of `field`; the number itself, or the field's upper bound if
    /// out of range (so that what follows has a number to work with).
    fn num(&mut self, path: &str, field: &Field, v: f64) -> f64 {
        let ok = field.contains(v);
        self.ok(path, fmt_num(v), ok, field.allowed());
        if ok {
            v
        } else {
            field.max
        }
    }

    /// Milliseconds in the range of `field`, as microseconds.
    fn ms(&mut self, path: &str, field: &Field, v: f64) -> Micros {
        to_micros(self.num(path, field, v) * 1000.0)
    }

    /// A window `[start, end)` of a list whose start and end are `fields`.
    fn window(
        &mut self,
        p: &str,
        (start_f, end_f): (&Field, &Field),
        start_ms: f64,
        end_ms: f64,
    ) -> (Micros, Micros) {
        let start = self.ms(&format!("{p}.start_ms"), start_f, start_ms);
        let lo = after(start_f, start_ms, |s| s);
        let end = self.ms(
            &format!("{p}.end_ms"),
            &end_f.narrowed_below(lo, false),
            end_ms,
        );
        (start, end.max(start))
    }

    fn dist(&mut self, p: &str, d: &DistConfig) -> Dist {
        use bounds::{DIST_MAX, DIST_MEAN, DIST_MIN, DIST_MS, DIST_NORMAL_MEAN, DIST_P99, DIST_SD};
        match *d {
            DistConfig::Constant { ms } => {
                Dist::Constant(self.ms(&format!("{p}.ms"), &DIST_MS, ms))
            }
            DistConfig::Uniform { min_ms, max_ms } => {
                let lo = self.ms(&format!("{p}.min_ms"), &DIST_MIN, min_ms);
                let floor = after(&DIST_MIN, min_ms, |m| m);
                let hi = self.ms(
                    &format!("{p}.max_ms"),
                    &DIST_MAX.narrowed_below(floor, true),
                    max_ms,
                );
                Dist::Uniform(lo, hi.max(lo))
            }
            DistConfig::Exponential { mean_ms } => {
                Dist::Exponential(self.num(&format!("{p}.mean_ms"), &DIST_MEAN, mean_ms) * 1000.0)
            }
            DistConfig::Lognormal { mean_ms, p99_ms } => {
                let mean = self.num(&format!("{p}.mean_ms"), &DIST_MEAN, mean_ms);
                let lo = after(&DIST_MEAN, mean_ms, |m| m);
                let top = after(&DIST_MEAN, mean_ms, |m| m * Dist::lognormal_max_ratio());
                let field = DIST_P99.narrowed_below(lo, false).narrowed_above(top);
                let p99 = self.num(&format!("{p}.p99_ms"), &field, p99_ms);
                Dist::lognormal(mean * 1000.0, p99 * 1000.0)
                    .unwrap_or(Dist::Constant(to_micros(mean * 1000.0)))
            }
            DistConfig::Normal { mean_ms, sd_ms } => Dist::FoldedNormal {
                mean: self.num(&format!("{p}.mean_ms"), &DIST_NORMAL_MEAN, mean_ms) * 1000.0,
                sd: self.num(&format!("{p}.sd_ms"), &DIST_SD, sd_ms) * 1000.0,
            },
        }
    }
}
