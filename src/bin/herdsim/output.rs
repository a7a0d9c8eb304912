//! Output: summary JSON, mean/min/max over runs, the time series as CSV, and text.

use std::borrow::Cow;
use std::fmt::Write as _;

use herdsim::sim::output::histogram::Quantiles;
use herdsim::sim::{Scenario, Stop, Summary};
use herdsim::units::{count, duration_ms, percent, sig3};
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
    let names: Vec<Cow<str>> = cols.iter().map(|(k, _)| csv_cell(k)).collect();
    let mut out = names.join(",") + "\n";
    for v in values {
        let mut row = Vec::new();
        flatten("", v, &mut row);
        let cells: Vec<Cow<str>> = row.iter().map(|(_, x)| csv_cell(x)).collect();
        out += &(cells.join(",") + "\n");
    }
    out
}

/// A CSV field, quoted if it holds a comma, a quote or a line break (a service's name may).
pub fn csv_cell(s: &str) -> Cow<'_, str> {
    if s.contains([',', '"', '\n', '\r']) {
        Cow::Owned(format!("\"{}\"", s.replace('"', "\"\"")))
    } else {
        Cow::Borrowed(s)
    }
}

/// `s` with its control characters (and the bidirectional overrides, which reorder what
/// follows) written as escapes, `\x1b` or `\u{202e}`: names come from a scenario file, and
/// printed as they are they could move the cursor, recolour or clear the terminal.
pub fn escape(s: &str) -> Cow<'_, str> {
    let hidden = |c: char| c.is_control() || BIDI.iter().any(|r| r.contains(&c));
    if !s.chars().any(hidden) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        let _ = match c {
            c if c.is_ascii_control() => write!(out, "\\x{:02x}", u32::from(c)),
            c if hidden(c) => write!(out, "\\u{{{:x}}}", u32::from(c)),
            c => write!(out, "{c}"),
        };
    }
    Cow::Owned(out)
}

/// The characters that change the direction of the text after them (Unicode's bidi
/// marks, embeddings, overrides and isolates).
const BIDI: [std::ops::RangeInclusive<char>; 4] = [
    '\u{61c}'..='\u{61c}',
    '\u{200e}'..='\u{200f}',
    '\u{202a}'..='\u{202e}',
    '\u{2066}'..='\u{2069}',
];

/// Every leaf of `v` (not an object or a list) as text, by its dotted path.
fn flatten(prefix: &str, v: &Value, out: &mut Vec<(String, String)>) {
    leaves(prefix, v, &mut |k, x| {
        let text = match x {
            Value::Number(n) => n.to_string(),
            Value::String(s) => s.clone(),
            Value::Bool(b) => b.to_string(),
            _ => String::new(),
        };
        out.push((k, text));
    });
}

/// Every number of `v` by its dotted path; `None` where it is `null`.
fn flatten_numbers(prefix: &str, v: &Value, out: &mut Vec<(String, Option<f64>)>) {
    leaves(prefix, v, &mut |k, x| out.push((k, x.as_f64())));
}

/// Call `leaf` with the dotted path and value of every leaf of `v`, in order.
fn leaves(prefix: &str, v: &Value, leaf: &mut dyn FnMut(String, &Value)) {
    let path = |k: &dyn std::fmt::Display| {
        if prefix.is_empty() {
            k.to_string()
        } else {
            format!("{prefix}.{k}")
        }
    };
    match v {
        Value::Object(m) => m.iter().for_each(|(k, x)| leaves(&path(k), x, leaf)),
        Value::Array(items) => {
            (items.iter().enumerate()).for_each(|(i, x)| leaves(&path(&i), x, leaf))
        }
        x => leaf(prefix.to_string(), x),
    }
}

/// A human-readable summary: success first, durations in human units, the herd after the
/// last disturbance against what the service can serve; "no fault" and "never recovered"
/// told apart by the scenario's fault windows and load spikes.
pub fn text(sc: &Scenario, s: &Summary) -> String {
    let name = escape(sc.name());
    let disturbed = sc.disturbances().next().is_some() || s.rpo_ms.is_some();
    let dur = |v: Option<f64>| v.map_or("-".to_string(), duration_ms);
    let pct = |v: Option<f64>| v.map_or("-".to_string(), percent);
    let quant = |q: &Quantiles| {
        format!(
            "p50 {}  p90 {}  p99 {}  max {}",
            dur(q.p50),
            dur(q.p90),
            dur(q.p99),
            dur(q.max)
        )
    };
    let stop = s.stop.map_or("running".to_string(), |x| {
        serde_json::to_value(x)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    });
    let stop = if s.stop == Some(Stop::Drained) && s.in_flight_at_end > 0 {
        format!(
            "drained: nothing more could happen, {} requests wait forever",
            count(s.in_flight_at_end)
        )
    } else {
        stop
    };
    let mut out = format!(
        "scenario {name} (seed {}), stopped at {} ({stop})\n",
        s.seed,
        duration_ms(s.end_ms)
    );
    let mut line = |label: &str, text: String| {
        let _ = writeln!(out, "{label:<13}{text}");
    };
    line(
        "requests",
        format!(
            "{}  succeeded {}  failed {}  in flight at end {}",
            count(s.requests),
            count(s.succeeded),
            count(s.failed),
            count(s.in_flight_at_end)
        ),
    );
    line(
        "availability",
        format!(
            "{}  downtime {}  uptime {}  goodput {}/s",
            pct(s.availability),
            duration_ms(s.downtime_ms),
            pct(s.uptime),
            sig3(s.goodput_per_s)
        ),
    );
    let failed = if s.failed > 0 {
        quant(&s.failure_latency_ms)
    } else {
        "none failed".into()
    };
    let ok = if s.succeeded > 0 {
        quant(&s.success_latency_ms)
    } else {
        "none succeeded".into()
    };
    line("latency", format!("succeeded {ok}"));
    line("", format!("failed    {failed}"));
    line("", format!("all       {}", quant(&s.latency_ms)));
    line(
        "attempts",
        format!(
            "{}  amplification {}×  peak arrivals {}/s",
            count(s.attempts),
            sig3(s.amplification),
            sig3(s.peak_arrivals_per_s)
        ),
    );
    let cap = s.capacity_per_s;
    let of_capacity = |peak: f64| match cap {
        Some(c) if c > 0.0 => format!(" = {}× capacity {}/s", sig3(peak / c), sig3(c)),
        _ => String::new(),
    };
    let (after, recovery) = if disturbed {
        (
            s.peak_after_fault_per_s
                .map_or("no bucket after it".into(), |p| {
                    format!("peak arrivals {}/s{}", sig3(p), of_capacity(p))
                }),
            s.time_to_recover_ms.map_or("never recovered".into(), |ms| {
                if ms == 0.0 {
                    "at once when the last disturbance ended".into()
                } else {
                    format!("{} after the last disturbance ended", duration_ms(ms))
                }
            }),
        )
    } else {
        ("no fault".into(), "no fault".into())
    };
    line("after fault", after);
    line("recovery", recovery);
    if sc.replicated() {
        line(
            "failover",
            format!(
                "lost writes {} (RPO {})  first write after the crash {} (RTO)  stale reads {}",
                count(s.lost_writes),
                s.rpo_ms.map_or("-, no crash".into(), duration_ms),
                s.rto_ms.map_or("-".into(), |ms| duration_ms(ms) + " later"),
                count(s.stale_reads)
            ),
        );
    }
    line(
        "completion",
        format!(
            "{}  wasted work {}",
            dur(s.completion_ms),
            duration_ms(s.wasted_work_ms)
        ),
    );
    if let Some(ms) = s.oldest_in_flight_ms {
        line(
            "oldest",
            format!("{} in flight when the run stopped", duration_ms(ms)),
        );
    }
    line("events", count(s.events));
    out + &guards_text(sc, s)
}

/// Breaker and budget figures (when there are any) and one line per service (when there
/// are several).
fn guards_text(sc: &Scenario, s: &Summary) -> String {
    let mut out = String::new();
    let t = s.breaker_transitions;
    if t.opened > 0 || s.rejected_by_breaker > 0 {
        let _ = writeln!(
            out,
            "breakers     rejected {}  of them collateral {}  opened {}  half-opened {}  closed {}",
            count(s.rejected_by_breaker),
            count(s.collateral_rejections),
            count(t.opened),
            count(t.half_opened),
            count(t.closed)
        );
    }
    if s.budget_denied_retries > 0 || s.throttled > 0 {
        let _ = writeln!(
            out,
            "budget       retries denied {}  throttled {}",
            count(s.budget_denied_retries),
            count(s.throttled)
        );
    }
    if s.services.len() > 1 {
        let pct = |v: Option<f64>| v.map_or("-".to_string(), percent);
        let spikes = sc.spikes().next().is_some();
        for (x, spec) in s.services.iter().zip(sc.services()) {
            let recovery = match x.time_to_recover_ms {
                Some(ms) => duration_ms(ms),
                None if spikes || !spec.faults.is_empty() => "never recovered".into(),
                None => "no fault".into(),
            };
            let _ = writeln!(
                out,
                "service {:<12} attempts {}  attempt success {}  request availability {}  rejected by breaker {} (collateral {})  recovery {}",
                escape(&x.name),
                count(x.attempts),
                pct(x.attempt_success_rate),
                pct(x.request_availability),
                count(x.rejected_by_breaker),
                count(x.collateral_rejections),
                recovery,
            );
        }
    }
    out
}

/// Mean / min / max over the runs (with `seeds`) of scenario `name`, which calls
/// `services`, as a table: one row a figure, columns aligned, numbers rounded by [`figure`].
pub fn aggregate_text(
    name: &str,
    seeds: &[u64],
    services: &[&str],
    disturbed: bool,
    agg: &Value,
) -> String {
    let mut cols = [vec![], vec![], vec![]];
    for (col, pick) in cols.iter_mut().zip(["mean", "min", "max"]) {
        flatten_numbers("", &agg[pick], col);
    }
    let [mean, min, max] = cols;
    let mut rows: Vec<[String; 4]> = vec![["field", "mean", "min", "max"].map(String::from)];
    for ((k, a), ((_, b), (_, c))) in mean.into_iter().zip(min.into_iter().zip(max)) {
        // every run has its own seed: they are named above instead
        if k != "seed" {
            let blank = blank_words(&k, disturbed);
            let leaf = k.rsplit('.').next().unwrap_or_default();
            // durations in human units, shares as percentages, other figures rounded
            let show = |x: Option<f64>| match x {
                None => blank.to_string(),
                Some(x) if k.split('.').any(|p| p.ends_with("_ms")) => duration_ms(x),
                Some(x) if SHARES.contains(&leaf) => percent(x),
                x => figure(x),
            };
            rows.push([k.clone(), show(a), show(b), show(c)]);
        }
    }
    let mut widths = [0; 4];
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let seed = |x: Option<&u64>| x.map_or("-".into(), u64::to_string);
    let mut out = format!(
        "scenario {}: {} runs, seeds {} to {}\n",
        escape(name),
        seeds.len(),
        seed(seeds.first()),
        seed(seeds.last()),
    );
    if services.len() > 1 {
        let names: Vec<String> = (services.iter().enumerate())
            .map(|(i, x)| format!("{i} {}", escape(x)))
            .collect();
        let _ = writeln!(out, "services: {}", names.join(", "));
    }
    let [w0, w1, w2, w3] = widths;
    for [k, a, b, c] in &rows {
        let _ = writeln!(out, "{k:<w0$}  {a:>w1$}  {b:>w2$}  {c:>w3$}");
    }
    out
}

/// Summary fields that are shares 0..=1 (shown as percentages).
const SHARES: &[&str] = &[
    "availability",
    "uptime",
    "attempt_success_rate",
    "request_availability",
];

/// What a missing figure of summary field `key` (a dotted path) means, in words: `-`
/// only where no run measured it.
fn blank_words(key: &str, disturbed: bool) -> &'static str {
    let leaf = key
        .split('.')
        .find(|p| p.ends_with("_ms") || p.ends_with("_per_s"));
    match leaf.unwrap_or(key) {
        "time_to_recover_ms" | "peak_after_fault_per_s" if !disturbed => "no fault",
        "time_to_recover_ms" => "never recovered",
        "oldest_in_flight_ms" => "none in flight",
        "success_latency_ms" => "none succeeded",
        "failure_latency_ms" => "none failed",
        "capacity_per_s" => "unlimited",
        _ => "-",
    }
}

/// A figure for reading: whole numbers as they are, others to four significant digits
/// with at least one decimal (an exponent for the very large and very small); `-` for none.
pub fn figure(x: Option<f64>) -> String {
    let Some(x) = x else {
        return "-".into();
    };
    let a = x.abs();
    if x.fract() == 0.0 && a < 1e15 {
        format!("{x:.0}")
    } else if !(1e-3..1e15).contains(&a) {
        format!("{x:.3e}")
    } else {
        // 1e-3 <= a < 1e15: digits before the point, 1 - 3 ..= 15
        let digits = a.log10().floor() as i32 + 1;
        let decimals = (4 - digits).max(1) as usize;
        format!("{x:.decimals$}")
    }
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
        let csv = summaries_csv(&[json!({"name": "a,\"b\"", "n": 1})]);
        assert_eq!(csv, "n,name\n1,\"a,\"\"b\"\"\"\n");
    }

    #[test]
    fn escape_shows_control_and_direction_characters_as_escapes() {
        assert!(matches!(escape("users-2 ü"), Cow::Borrowed("users-2 ü")));
        assert_eq!(escape("a\u{1b}[2Jb\n\t\u{7f}"), "a\\x1b[2Jb\\x0a\\x09\\x7f");
        assert_eq!(
            escape("x\u{9b}y\u{202e}z\u{2066}"),
            "x\\u{9b}y\\u{202e}z\\u{2066}"
        );
    }

    #[test]
    fn figures_are_rounded_for_reading() {
        for (x, want) in [
            (Some(171.0), "171"),
            (Some(-3.0), "-3"),
            (Some(5.566666666666666), "5.567"),
            (Some(11.5), "11.50"),
            (Some(618.2839), "618.3"),
            (Some(1700.6666666666667), "1700.7"),
            (Some(89997.94), "89997.9"),
            (Some(0.17553191489361702), "0.1755"),
            (Some(0.0012345), "0.001234"),
            (Some(0.000123456), "1.235e-4"),
            (Some(1.5e20), "1.500e20"),
            (None, "-"),
        ] {
            assert_eq!(figure(x), want);
        }
    }

    #[test]
    fn aggregate_text_is_a_table_in_aligned_columns() {
        let agg = aggregate(&[
            json!({"seed": 4, "attempts": 10, "latency_ms": {"p99": 1234.56789}, "ttr": null}),
            json!({"seed": 5, "attempts": 13, "latency_ms": {"p99": 2.0}, "ttr": null}),
        ]);
        let t = aggregate_text("n\u{1b}", &[4, 5], &["a", "b"], false, &agg);
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines[0], "scenario n\\x1b: 2 runs, seeds 4 to 5");
        assert_eq!(lines[1], "services: 0 a, 1 b");
        assert_eq!(
            &lines[2..],
            [
                "field             mean   min     max",
                "attempts         11.50    10      13",
                "latency_ms.p99  618 ms  2 ms  1.23 s",
                "ttr                  -     -       -",
            ]
        );
    }
}
