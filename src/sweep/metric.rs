//! What a sweep measures: the run summary's numeric fields, by name.
//!
//! The names are read from the summary's own JSON (serde), so they cannot drift from it:
//! each top-level number (`availability`, `amplification`, `downtime_ms`, …) and each number
//! of a nested object, by its dotted path (`latency_ms.p99`, `success_latency_ms.p50`,
//! `breaker_transitions.opened`). Left out: `seed` (which run it was, not a measurement),
//! text (`stop`) and the per-service list (`services`), whose length depends on the
//! scenario.
//!
//! A field that may be `null` (`time_to_recover_ms` when the service never recovered,
//! `peak_after_fault_per_s` without a fault, a latency when no request ended that way)
//! gives no value for that run: see [`Stats`](crate::sweep::Stats) for how that counts.

use serde_json::Value;

use crate::sim::output::histogram::Quantiles;
use crate::sim::output::summary::{Summary, Transitions};
use crate::sim::Stop;

/// What a sweep measures when no metric is named: success, cost, recovery, the herd after
/// the fault, the tail latency of successes and time down.
pub const DEFAULT_METRICS: &[&str] = &[
    "availability",
    "amplification",
    "time_to_recover_ms",
    "peak_after_fault_per_s",
    "success_latency_ms.p99",
    "downtime_ms",
];

/// Summary fields that are numbers but not measurements.
const NOT_METRICS: &[&str] = &["seed"];

/// A numeric summary field, by its dotted path; only [`Metric::parse`] makes one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Metric {
    name: String,
}

impl Metric {
    /// The metric called `name`, or a message listing every name allowed.
    pub fn parse(name: &str) -> Result<Metric, String> {
        let all = names();
        if all.iter().any(|n| n == name) {
            Ok(Metric { name: name.into() })
        } else {
            Err(format!(
                "unknown metric \"{}\"; allowed: {}",
                crate::sim::scenario::bounds::shorten(name),
                all.join(", ")
            ))
        }
    }

    /// [`DEFAULT_METRICS`].
    pub fn defaults() -> Vec<Metric> {
        DEFAULT_METRICS
            .iter()
            .map(|n| Metric { name: (*n).into() })
            .collect()
    }

    /// Its name, the dotted path in the summary's JSON.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its value in a summary serialised as JSON; `None` where it is `null`.
    pub fn of(&self, summary: &Value) -> Option<f64> {
        self.name
            .split('.')
            .try_fold(summary, |v, key| v.get(key))
            .and_then(Value::as_f64)
    }
}

/// Every metric's name, in alphabetical order (a nested one by its object's name, then
/// its own): what `--metric` takes.
pub fn names() -> Vec<String> {
    let mut out = Vec::new();
    let Ok(Value::Object(top)) = serde_json::to_value(exemplar()) else {
        return out;
    };
    for (key, v) in &top {
        match v {
            Value::Number(_) if !NOT_METRICS.contains(&key.as_str()) => out.push(key.clone()),
            Value::Object(inner) => out.extend(
                (inner.iter())
                    .filter(|(_, x)| x.is_number())
                    .map(|(k, _)| format!("{key}.{k}")),
            ),
            _ => {}
        }
    }
    out
}

/// A summary with every optional number present, so that its JSON shows every numeric
/// field as a number. Written out field by field (no `..`): a field added to [`Summary`]
/// does not compile here until it is given a value, and then it is a metric.
fn exemplar() -> Summary {
    let q = Quantiles {
        p50: Some(0.0),
        p90: Some(0.0),
        p99: Some(0.0),
        max: Some(0.0),
    };
    Summary {
        requests: 0,
        attempts: 0,
        amplification: 0.0,
        succeeded: 0,
        failed: 0,
        in_flight_at_end: 0,
        peak_arrivals_per_s: 0.0,
        peak_after_fault_per_s: Some(0.0),
        capacity_per_s: Some(0.0),
        completion_ms: Some(0.0),
        latency_ms: q,
        success_latency_ms: q,
        failure_latency_ms: q,
        oldest_in_flight_ms: Some(0.0),
        goodput_per_s: 0.0,
        availability: Some(0.0),
        downtime_ms: 0.0,
        uptime: Some(0.0),
        time_to_recover_ms: Some(0.0),
        wasted_work_ms: 0.0,
        events: 0,
        seed: 0,
        end_ms: 0.0,
        stop: Some(Stop::Drained),
        rejected_by_breaker: 0,
        collateral_rejections: 0,
        breaker_transitions: Transitions::default(),
        budget_denied_retries: 0,
        throttled: 0,
        lost_writes: 0,
        rpo_ms: Some(0.0),
        rto_ms: Some(0.0),
        stale_reads: 0,
        services: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_the_summary_numbers_and_their_nested_percentiles() {
        let all = names();
        for n in [
            "availability",
            "amplification",
            "time_to_recover_ms",
            "downtime_ms",
            "uptime",
            "peak_after_fault_per_s",
            "succeeded",
            "events",
            "latency_ms.p99",
            "success_latency_ms.p50",
            "failure_latency_ms.max",
            "breaker_transitions.opened",
        ] {
            assert!(all.iter().any(|x| x == n), "{n} in {all:?}");
        }
        for n in [
            "seed",
            "stop",
            "services",
            "latency_ms",
            "breaker_transitions",
        ] {
            assert!(!all.iter().any(|x| x == n), "{n} is not a metric");
        }
        for n in DEFAULT_METRICS {
            assert_eq!(Metric::parse(n).unwrap().name(), *n);
        }
        assert_eq!(
            Metric::defaults()
                .iter()
                .map(Metric::name)
                .collect::<Vec<_>>(),
            DEFAULT_METRICS
        );
    }

    #[test]
    fn an_unknown_metric_lists_the_valid_ones() {
        let e = Metric::parse("avail").unwrap_err();
        assert!(e.starts_with("unknown metric \"avail\"; allowed: "), "{e}");
        assert!(
            e.contains("availability") && e.contains("latency_ms.p99"),
            "{e}"
        );
        assert!(Metric::parse("seed").is_err());
        assert!(Metric::parse("latency_ms").is_err());
    }

    #[test]
    fn values_are_read_from_the_json_and_null_is_none() {
        let s = serde_json::json!({"availability": 0.5, "latency_ms": {"p99": 12.5},
                                   "time_to_recover_ms": null});
        let m = |n: &str| Metric::parse(n).unwrap().of(&s);
        assert_eq!(m("availability"), Some(0.5));
        assert_eq!(m("latency_ms.p99"), Some(12.5));
        assert_eq!(m("time_to_recover_ms"), None);
        assert_eq!(m("downtime_ms"), None);
    }
}
