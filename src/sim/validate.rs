//! Parsing and validation: user JSON → [`ScenarioConfig`] → [`Scenario`].
//!
//! Every error names the field by its JSON path (the same dotted path `--set` takes), the
//! value given, and what is allowed. Validation reports every bad field, not just the first.

use std::fmt;

use serde::Serialize;

use super::backoff::{Backoff, Jitter, Schedule};
use super::config::*;
use super::dist::{to_micros, Dist};
use super::scenario::*;
use super::Micros;

/// Largest client count.
pub const MAX_CLIENTS: u32 = 1_000_000;
/// Longest run (ms): one day.
pub const MAX_DURATION_MS: f64 = 86_400_000.0;
/// Longest single delay, timeout or service time parameter (ms): one hour.
pub const MAX_DELAY_MS: f64 = 3_600_000.0;
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
        let clients = self.clients_typed(&mut c);
        let service = self.service_typed(&mut c);
        let faults = self.faults_typed(&mut c);
        let policy = self.policy_typed(&mut c);
        if !c.errors.is_empty() {
            return Err(ScenarioError::Invalid(c.errors));
        }
        Ok(Scenario {
            name: self.name.clone(),
            duration,
            bucket,
            max_events: self.max_events,
            workload: match self.workload {
                WorkloadConfig::Service => Workload::Service,
                WorkloadConfig::Occ => Workload::Occ,
            },
            clients,
            service,
            faults,
            policy,
        })
    }

    fn clients_typed(&self, c: &mut Check) -> Clients {
        let k = &self.clients;
        c.ok(
            "clients.count",
            k.count,
            (1..=MAX_CLIENTS).contains(&k.count),
            format!("1..={MAX_CLIENTS}"),
        );
        let arrival = match &k.arrival {
            ArrivalConfig::Poisson { rate_per_s } => Arrival::Poisson(c.num(
                "clients.arrival.rate_per_s",
                *rate_per_s,
                Bound::Above(0.0),
                10_000.0,
            )),
            ArrivalConfig::Interval { every_ms } => Arrival::Interval(c.ms(
                "clients.arrival.every_ms",
                *every_ms,
                Bound::AtLeast(0.001),
                MAX_DURATION_MS,
            )),
            ArrivalConfig::Burst { at_ms } => Arrival::Burst(c.ms(
                "clients.arrival.at_ms",
                *at_ms,
                Bound::AtLeast(0.0),
                MAX_DURATION_MS,
            )),
            ArrivalConfig::ClosedLoop { think } => {
                Arrival::ClosedLoop(c.dist("clients.arrival.think", think))
            }
        };
        let start_spread = c.ms(
            "clients.start_spread_ms",
            k.start_spread_ms,
            Bound::AtLeast(0.0),
            MAX_DURATION_MS,
        );
        let mut load = Vec::new();
        for (i, w) in k.load.iter().enumerate() {
            let p = format!("clients.load.{i}");
            let (start, end) = c.window(&p, w.start_ms, w.end_ms);
            let multiplier = c.num(
                &format!("{p}.multiplier"),
                w.multiplier,
                Bound::AtLeast(0.0),
                1000.0,
            );
            load.push(LoadWindow {
                start,
                end,
                multiplier,
            });
        }
        load.sort_by_key(|w| w.start);
        for (i, pair) in load.windows(2).enumerate() {
            if pair[1].start < pair[0].end {
                let v = fmt_num(pair[1].start as f64 / 1000.0);
                c.ok(
                    &format!("clients.load.{}.start_ms", i + 1),
                    v,
                    false,
                    "load windows that do not overlap",
                );
            }
        }
        Clients {
            count: k.count,
            arrival,
            start_spread,
            load,
        }
    }

    fn service_typed(&self, c: &mut Check) -> Service {
        let s = &self.service;
        if let Some(w) = s.workers {
            c.ok(
                "service.workers",
                w,
                (1..=1_000_000).contains(&w),
                "1..=1000000, or null for unlimited",
            );
        }
        if let Some(q) = s.queue_capacity {
            c.ok(
                "service.queue_capacity",
                q,
                q <= 10_000_000,
                "0..=10000000, or null for unbounded",
            );
        }
        Service {
            workers: s.workers,
            queue_capacity: s.queue_capacity,
            discipline: s.queue,
            service_time: c.dist("service.service_time", &s.service_time),
            load_factor: c.num(
                "service.load_factor",
                s.load_factor,
                Bound::AtLeast(0.0),
                100.0,
            ),
            network: c.dist("service.network_delay", &s.network_delay),
            abandoned: s.abandoned,
        }
    }

    fn faults_typed(&self, c: &mut Check) -> Vec<Fault> {
        let mut out = Vec::new();
        for (i, f) in self.faults.iter().enumerate() {
            let p = format!("faults.{i}");
            let (start_ms, end_ms) = f.window();
            let (start, end) = c.window(&p, start_ms, end_ms);
            let kind = match *f {
                FaultConfig::Down { .. } => FaultKind::Down,
                FaultConfig::Blackhole { .. } => FaultKind::Blackhole,
                FaultConfig::ErrorRate { rate, .. } => FaultKind::ErrorRate(c.num(
                    &format!("{p}.rate"),
                    rate,
                    Bound::AtLeast(0.0),
                    1.0,
                )),
                FaultConfig::Slow { multiplier, .. } => FaultKind::Slow(c.num(
                    &format!("{p}.multiplier"),
                    multiplier,
                    Bound::AtLeast(0.01),
                    1000.0,
                )),
                FaultConfig::Capacity { lost, .. } => {
                    if self.service.workers.is_none() {
                        c.ok(
                            &format!("{p}.type"),
                            "capacity",
                            false,
                            "only when service.workers is a number",
                        );
                    }
                    FaultKind::Capacity(c.num(&format!("{p}.lost"), lost, Bound::AtLeast(0.0), 1.0))
                }
            };
            out.push(Fault { start, end, kind });
        }
        out.sort_by_key(|f| f.start);
        out
    }

    fn policy_typed(&self, c: &mut Check) -> Policy {
        let p = &self.policy;
        let timeout = p
            .timeout_ms
            .map(|t| c.ms("policy.timeout_ms", t, Bound::Above(0.0), MAX_DELAY_MS));
        let deadline = p
            .deadline_ms
            .map(|t| c.ms("policy.deadline_ms", t, Bound::Above(0.0), MAX_DURATION_MS));
        if let Some(n) = p.max_attempts {
            c.ok(
                "policy.max_attempts",
                n,
                (1..=1_000_000).contains(&n),
                "1..=1000000, or null for unlimited",
            );
        }
        let b = &p.backoff;
        let base = c.ms(
            "policy.backoff.base_ms",
            b.base_ms,
            Bound::AtLeast(0.0),
            MAX_DELAY_MS,
        );
        let multiplier = c.num(
            "policy.backoff.multiplier",
            b.multiplier,
            Bound::AtLeast(1.0),
            100.0,
        );
        let cap = c.ms(
            "policy.backoff.cap_ms",
            b.cap_ms,
            Bound::AtLeast(b.base_ms.max(0.0)),
            MAX_DELAY_MS,
        );
        let jitter = match p.jitter {
            JitterConfig::None => Jitter::None,
            JitterConfig::Full => Jitter::Full,
            JitterConfig::Equal => Jitter::Equal,
            JitterConfig::Decorrelated => {
                if base == 0 {
                    c.ok(
                        "policy.backoff.base_ms",
                        0,
                        false,
                        "more than 0 with decorrelated jitter",
                    );
                }
                Jitter::Decorrelated
            }
            JitterConfig::Proportional { factor } => Jitter::Proportional(c.num(
                "policy.jitter.factor",
                factor,
                Bound::AtLeast(0.0),
                1.0,
            )),
        };
        let schedule = match b.kind {
            ScheduleConfig::None => Schedule::None,
            ScheduleConfig::Constant => Schedule::Constant,
            ScheduleConfig::Linear => Schedule::Linear,
            ScheduleConfig::Exponential => Schedule::Exponential,
        };
        let r = p.retry_on;
        Policy {
            timeout,
            deadline,
            max_attempts: p.max_attempts.unwrap_or(u32::MAX),
            retry_on: RetryOn {
                error: r.error,
                timeout: r.timeout,
                rejected: r.rejected,
                refused: r.refused,
            },
            backoff: Backoff {
                schedule,
                base,
                multiplier,
                cap,
                jitter,
            },
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
