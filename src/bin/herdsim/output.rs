//! Output: summary JSON, mean/min/max over runs, the time series as CSV, and text.

use std::fmt::Write as _;

use herdsim::sim::Summary;
use serde_json::{Map, Value};

/// Mean, min and max of every numeric field over several summaries (nested objects
/// recurse; a field that is `null` in some runs is summarised over the others, and stays
/// `null` if it is `null` in all). Non-numeric fields are left out.
pub fn aggregate(values: &[Value]) -> Value {
    let mut out = Map::new();
    out.insert("runs".into(), Value::from(values.len()));
    for (name, pick) in [("mean", Pick::Mean), ("min", Pick::Min), ("max", Pick::Max)] {
        out.insert(
            name.into(),
            fold(values.iter().collect(), pick).unwrap_or(Value::Null),
        );
    }
    Value::Object(out)
}

#[derive(Clone, Copy)]
enum Pick {
    Mean,
    Min,
    Max,
}

fn fold(values: Vec<&Value>, pick: Pick) -> Option<Value> {
    let first = values.iter().find(|v| !v.is_null())?;
    match first {
        Value::Object(obj) => {
            let mut out = Map::new();
            for key in obj.keys() {
                let field: Vec<&Value> = values.iter().filter_map(|v| v.get(key)).collect();
                let all_null = field.iter().all(|v| v.is_null());
                match fold(field, pick) {
                    Some(v) => drop(out.insert(key.clone(), v)),
                    None if all_null => drop(out.insert(key.clone(), Value::Null)),
                    None => {}
                }
            }
            Some(Value::Object(out))
        }
        // lists (the services) are summarised item by item
        Value::Array(first) => {
            let items = (0..first.len())
                .map(|i| {
                    let item: Vec<&Value> = values.iter().filter_map(|v| v.get(i)).collect();
                    fold(item, pick).unwrap_or(Value::Null)
                })
                .collect();
            Some(Value::Array(items))
        }
        Value::Number(_) | Value::Null => {
            let nums: Vec<f64> = values.iter().filter_map(|v| v.as_f64()).collect();
            let x = match pick {
                Pick::Mean => nums.iter().sum::<f64>() / nums.len() as f64,
                Pick::Min => nums.iter().copied().fold(f64::INFINITY, f64::min),
                Pick::Max => nums.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            };
            Some(serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number))
        }
        _ => None,
    }
}

/// One CSV row per run of the flattened numeric summary fields.
pub fn summaries_csv(values: &[Value]) -> String {
    let mut cols = Vec::new();
    if let Some(first) = values.first() {
        flatten("", first, &mut cols);
    }
    let names: Vec<String> = cols.iter().map(|(k, _)| k.clone()).collect();
    let mut out = names.join(",") + "\n";
    for v in values {
        let mut row = Vec::new();
        flatten("", v, &mut row);
        let cells: Vec<String> = row.into_iter().map(|(_, x)| x).collect();
        out += &(cells.join(",") + "\n");
    }
    out
}

fn flatten(prefix: &str, v: &Value, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, x, out);
            }
        }
        Value::Number(n) => out.push((prefix.to_string(), n.to_string())),
        Value::Null => out.push((prefix.to_string(), String::new())),
        Value::String(s) => out.push((prefix.to_string(), s.clone())),
        Value::Bool(b) => out.push((prefix.to_string(), b.to_string())),
        Value::Array(items) => {
            for (i, x) in items.iter().enumerate() {
                flatten(&format!("{prefix}.{i}"), x, out);
            }
        }
    }
}

/// A human-readable summary.
pub fn text(name: &str, s: &Summary) -> String {
    let opt = |v: Option<f64>| v.map_or("-".to_string(), |x| format!("{x:.1}"));
    let pct = |v: Option<f64>| v.map_or("-".to_string(), |x| format!("{:.2}%", x * 100.0));
    let l = &s.latency_ms;
    format!(
        "scenario {name} (seed {seed}), stopped at {end:.1} ms ({stop})\n\
         requests     {req}  succeeded {ok}  failed {bad}  in flight at end {fl}\n\
         attempts     {att}  amplification {amp:.3}  peak arrivals {peak:.0}/s\n\
         availability {avail}  goodput {good:.1}/s  completion {comp} ms\n\
         latency ms   p50 {p50}  p90 {p90}  p99 {p99}  max {max}\n\
         recovery     {ttr} ms after the last disturbance  wasted work {waste:.1} ms\n\
         events       {ev}\n",
        seed = s.seed,
        end = s.end_ms,
        stop = s.stop.map_or("running".to_string(), |x| {
            serde_json::to_value(x)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()
        }),
        req = s.requests,
        ok = s.succeeded,
        bad = s.failed,
        fl = s.in_flight_at_end,
        att = s.attempts,
        amp = s.amplification,
        peak = s.peak_arrivals_per_s,
        avail = pct(s.availability),
        good = s.goodput_per_s,
        comp = opt(s.completion_ms),
        p50 = opt(l.p50),
        p90 = opt(l.p90),
        p99 = opt(l.p99),
        max = opt(l.max),
        ttr = opt(s.time_to_recover_ms),
        waste = s.wasted_work_ms,
        ev = s.events,
    ) + &guards_text(s)
}

/// Breaker and budget figures (when there are any) and one line per service (when there
/// are several).
fn guards_text(s: &Summary) -> String {
    let mut out = String::new();
    let t = s.breaker_transitions;
    if t.opened > 0 || s.rejected_by_breaker > 0 {
        let _ = writeln!(
            out,
            "breakers     rejected {}  of them collateral {}  opened {}  half-opened {}  closed {}",
            s.rejected_by_breaker, s.collateral_rejections, t.opened, t.half_opened, t.closed
        );
    }
    if s.budget_denied_retries > 0 || s.throttled > 0 {
        let _ = writeln!(
            out,
            "budget       retries denied {}  throttled {}",
            s.budget_denied_retries, s.throttled
        );
    }
    if s.services.len() > 1 {
        for x in &s.services {
            let _ = writeln!(
                out,
                "service {:<12} attempts {}  availability {}  rejected by breaker {} (collateral {})  recovery {} ms",
                x.name,
                x.attempts,
                x.availability.map_or("-".into(), |a| format!("{:.2}%", a * 100.0)),
                x.rejected_by_breaker,
                x.collateral_rejections,
                x.time_to_recover_ms.map_or("-".into(), |v| format!("{v:.1}")),
            );
        }
    }
    out
}

/// Mean / min / max as a text table.
pub fn aggregate_text(agg: &Value) -> String {
    let (mut mean, mut min, mut max) = (vec![], vec![], vec![]);
    flatten("", &agg["mean"], &mut mean);
    flatten("", &agg["min"], &mut min);
    flatten("", &agg["max"], &mut max);
    let mut out = format!(
        "{} runs\n{:<22} {:>14} {:>14} {:>14}\n",
        agg["runs"], "field", "mean", "min", "max"
    );
    for ((k, a), ((_, b), (_, c))) in mean.iter().zip(min.iter().zip(max.iter())) {
        let _ = writeln!(out, "{k:<22} {a:>14.14} {b:>14.14} {c:>14.14}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn aggregate_takes_mean_min_max_of_every_number_and_recurses() {
        let runs = [
            json!({"a": 1, "n": {"p": 2.0}, "x": null, "s": "drained"}),
            json!({"a": 3, "n": {"p": 4.0}, "x": 10, "s": "drained"}),
        ];
        let agg = aggregate(&runs);
        assert_eq!(agg["runs"], json!(2));
        assert_eq!(agg["mean"], json!({"a": 2.0, "n": {"p": 3.0}, "x": 10.0}));
        assert_eq!(agg["min"], json!({"a": 1.0, "n": {"p": 2.0}, "x": 10.0}));
        assert_eq!(agg["max"], json!({"a": 3.0, "n": {"p": 4.0}, "x": 10.0}));
        let all_null = aggregate(&[json!({"x": null})]);
        assert_eq!(all_null["mean"], json!({"x": null}));
        // lists of objects (services) by position
        let svc = aggregate(&[
            json!({"s": [{"a": 1}, {"a": 5}]}),
            json!({"s": [{"a": 3}, {"a": 7}]}),
        ]);
        assert_eq!(svc["mean"], json!({"s": [{"a": 2.0}, {"a": 6.0}]}));
        assert_eq!(svc["max"], json!({"s": [{"a": 3.0}, {"a": 7.0}]}));
    }

    #[test]
    fn summaries_csv_has_a_header_and_a_row_per_run() {
        let csv = summaries_csv(&[
            json!({"a": 1, "l": {"p50": 2}}),
            json!({"a": 3, "l": {"p50": null}}),
        ]);
        assert_eq!(csv, "a,l.p50\n1,2\n3,\n");
        let csv = summaries_csv(&[json!({"s": [{"a": 1}, {"a": 2}]})]);
        assert_eq!(csv, "s.0.a,s.1.a\n1,2\n");
    }
}
