//! The numeric fields of a scenario that a sweep can vary ([`knobs`]), each with a range
//! to start from ([`Knob::suggest`]): what the page offers beside the free-text path.

use serde_json::Value;

use crate::sim::scenario::bounds::{self, Field};
use crate::sim::ScenarioConfig;

/// Fields a sweep may vary but that do not describe the system: how long, how fine, how
/// much the run may use.
const NOT_KNOBS: &[&str] = &[
    "seed",
    "duration_ms",
    "bucket_ms",
    "max_events",
    "max_memory_mb",
];

/// One numeric field of a scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Knob {
    /// Its path, as `--vary` and `--set` take it.
    pub path: String,
    /// Its entry in the table of bounds.
    pub field: &'static Field,
    /// Its value in the scenario.
    pub value: f64,
}

/// Every numeric field the scenario has (with a value: not a `null` one), in document
/// order, the policy's, breaker's and budget's first (what tuning is about).
pub fn knobs(config: &ScenarioConfig) -> Vec<Knob> {
    let mut out = Vec::new();
    if let Ok(doc) = serde_json::to_value(config) {
        walk(&doc, String::new(), None, &mut out);
    }
    let tuning = |k: &Knob| {
        !["policy.", "breaker.", "budget."]
            .iter()
            .any(|p| k.path.starts_with(p))
    };
    out.sort_by_key(tuning); // stable: document order within each group
    out
}

fn walk(v: &Value, path: String, variant: Option<&str>, out: &mut Vec<Knob>) {
    match v {
        Value::Number(n) => {
            let (Some(value), false) = (n.as_f64(), NOT_KNOBS.contains(&path.as_str())) else {
                return;
            };
            if let Some(field) = bounds::for_path(&path, variant) {
                out.push(Knob { path, field, value });
            }
        }
        Value::Object(map) => {
            let variant = map.get("type").and_then(Value::as_str);
            for (k, v) in map {
                walk(v, join(&path, k), variant, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                walk(v, join(&path, &i.to_string()), None, out);
            }
        }
        _ => {}
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.into()
    } else {
        format!("{path}.{key}")
    }
}

impl Knob {
    /// A range around its value, as `--vary` takes it: a whole field from half to twice
    /// its value (every whole number up to 10 steps); a fraction (a field at most 1) from
    /// 0 to 1 in tenths; any other from a quarter to four times its value in 9 log-spaced
    /// steps; kept within the field's bounds.
    pub fn suggest(&self) -> String {
        let f = self.field;
        let v = self.value;
        let lowest = if f.min_inclusive { f.min } else { f.min + 1.0 };
        // an open upper end: a thousandth of the range below it
        let top = if f.max_inclusive {
            f.max
        } else {
            f.max - (f.max - f.min) / 1000.0
        };
        let (lo, hi, steps, log) = if f.whole {
            let lo = (v / 2.0).floor().max(lowest).max(f.min.ceil());
            let hi = (v * 2.0).max(lo + 1.0).min(top);
            (lo, hi, ((hi - lo) as u32 + 1).min(10), false)
        } else if f.max <= 1.0 {
            (f.min, f.max, 11, false)
        } else if v > 0.0 {
            let lo = (v / 4.0).max(f.min);
            (lo, (v * 4.0).min(top), 9, lo > 0.0)
        } else {
            (f.min, f.min + 1000.0_f64.min(f.max - f.min), 5, false)
        };
        let log = if log { ":log" } else { "" };
        format!(
            "{}={}..{}:{steps}{log}",
            self.path,
            bounds::fmt_value(lo),
            bounds::fmt_value(hi)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::scenario::presets;
    use crate::sweep::Vary;

    #[test]
    fn every_preset_knob_suggests_a_range_that_reads_and_holds_its_value_or_bounds() {
        for name in presets::names() {
            let cfg = presets::config(name).unwrap();
            let all = knobs(&cfg);
            assert!(!all.is_empty(), "{name}");
            for k in &all {
                assert!(!NOT_KNOBS.contains(&k.path.as_str()));
                let text = k.suggest();
                let vary = Vary::parse(&text).unwrap_or_else(|e| panic!("{name}: {text}: {e}"));
                assert_eq!(vary.path(), k.path);
                assert!(vary.values().len() >= 2, "{text}");
                for v in vary.values() {
                    assert!(k.field.contains(*v), "{name}: {text}: {v}");
                }
            }
        }
    }

    #[test]
    fn the_policy_comes_first_with_its_values() {
        let cfg = presets::config("retry-storm").unwrap();
        let all = knobs(&cfg);
        let attempts = all
            .iter()
            .find(|k| k.path == "policy.max_attempts")
            .unwrap();
        assert_eq!(Some(attempts.value), cfg.policy.max_attempts.map(f64::from));
        assert!(all[0].path.starts_with("policy."), "{:?}", all[0]);
        let first_other = all
            .iter()
            .position(|k| !k.path.starts_with("policy."))
            .unwrap();
        assert!(all[first_other..]
            .iter()
            .all(|k| !k.path.starts_with("policy.")));
        assert!(all.iter().any(|k| k.path == "clients.count"));
        assert!(all.iter().all(|k| k.path != "seed"));
    }
}
