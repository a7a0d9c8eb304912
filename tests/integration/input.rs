//! Whatever a user types, pastes or asks for gets a clear answer: strict parsing, plain
//! messages naming the innermost field, bounds from one table, bounded validation cost.

use herdsim::sim::scenario::bounds::{self, Field};
use herdsim::sim::scenario::edit;
use herdsim::sim::{scenario::presets, ScenarioConfig, ScenarioError};
use proptest::prelude::*;
use serde_json::{json, Value};

/// The message for a document, which must be refused (by parsing or by validation).
fn refused(doc: &str) -> String {
    match ScenarioConfig::from_json(doc) {
        Err(e) => e.to_string(),
        Ok(cfg) => match cfg.validate() {
            Err(e) => e.to_string(),
            Ok(_) => panic!("{doc} should be refused"),
        },
    }
}

fn opens(doc: &str) -> ScenarioConfig {
    let cfg = ScenarioConfig::from_json(doc).unwrap_or_else(|e| panic!("{doc}: {e}"));
    cfg.validate().unwrap_or_else(|e| panic!("{doc}: {e}"));
    cfg
}

#[test]
fn an_unknown_field_in_a_jitter_variant_is_refused() {
    let m = refused(r#"{"policy": {"jitter": {"type": "full", "factr": 0.3}}}"#);
    assert!(m.contains("policy.jitter") && m.contains("factr"), "{m}");
    let m = refused(r#"{"policy": {"jitter": {"type": "proportional", "factr": 0.3}}}"#);
    assert!(m.contains("factr") && m.contains("factor"), "{m}");
    let m = refused(r#"{"budget": {"type": "none", "max_tokens": 3}}"#);
    assert!(m.contains("budget") && m.contains("max_tokens"), "{m}");
    // the same fields, rightly placed, open
    opens(r#"{"policy": {"jitter": {"type": "full"}}, "budget": {"type": "none"}}"#);
    opens(r#"{"policy": {"jitter": {"type": "proportional", "factor": 0.3}}}"#);
    // a breaker left off may carry its settings
    opens(r#"{"breaker": {"scope": "none", "trip": {"type": "consecutive", "failures": 3}}}"#);
}

#[test]
fn a_whole_float_is_a_valid_integer() {
    let cfg = opens(r#"{"clients": {"count": 1e3}, "service": {"workers": 4.0}}"#);
    assert_eq!((cfg.clients.count, cfg.service.workers), (1000, Some(4)));
    // inside a tagged type too (serde buffers its fields)
    let cfg = opens(
        r#"{"breaker": {"scope": "global", "trip": {"type": "consecutive", "failures": 6e0}}}"#,
    );
    assert_eq!(
        cfg.breaker.trip,
        herdsim::sim::scenario::config::TripConfig::Consecutive { failures: 6 }
    );
    let m = refused(r#"{"clients": {"count": 1.5}}"#);
    assert!(
        m.contains("clients.count = 1.5") && m.contains("whole number"),
        "{m}"
    );
    let m = refused(r#"{"clients": {"count": -5}}"#);
    assert!(
        m.contains("clients.count = -5") && m.contains("1..=1000000"),
        "{m}"
    );
    assert!(!m.contains("u32") && !m.contains("invalid value"), "{m}");
}

#[test]
fn text_after_the_document_is_refused() {
    let m = refused(r#"{"clients": {"count": 5}} {"clients": {"count": 6}}"#);
    assert!(m.contains("after the end of the JSON document"), "{m}");
    assert!(refused(r#"{"clients": {"count": 5}} x"#).contains("line 1"));
    opens("{\"clients\": {\"count\": 5}}\n\n");
}

#[test]
fn an_array_in_place_of_an_object_is_refused() {
    for (doc, path) in [
        (r#"{"clients": [100]}"#, "clients"),
        (
            r#"{"policy": {"backoff": ["exponential", 100, 2, 1000]}}"#,
            "policy.backoff",
        ),
        (
            r#"{"policy": {"jitter": ["proportional", 0.5]}}"#,
            "policy.jitter",
        ),
        (
            r#"{"clients": {"arrival": {"type": "closed_loop", "think": ["constant", 5]}}}"#,
            "clients.arrival.think",
        ),
        ("[]", "the document"),
    ] {
        let m = refused(doc);
        assert!(m.contains(path) && m.contains("list"), "{doc}: {m}");
    }
}

#[test]
fn the_page_export_document_opens() {
    let cfg = presets::config("metastable").unwrap();
    let export = json!({"scenario": cfg, "summary": {"requests": 5, "latency_ms": {"p50": 1}}});
    assert_eq!(opens(&export.to_string()), cfg);
    assert_eq!(opens(&json!({ "scenario": cfg }).to_string()), cfg);
    // anything else beside the scenario is not an export, and is refused as a scenario
    let m = refused(&json!({"scenario": cfg, "notes": 1}).to_string());
    assert!(m.contains("unknown field"), "{m}");
}

#[test]
fn messages_name_the_innermost_field_in_plain_words() {
    for (doc, want) in [
        (
            r#"{"faults": [{"type": "down", "end_ms": "10"}]}"#,
            r#"faults.0.end_ms must be a number of milliseconds, got the text "10""#,
        ),
        (
            r#"{"services": [{"name": "a", "faults": [{"type": "slow", "multiplier": true}]}, {"name": "b"}]}"#,
            "services.0.faults.0.multiplier must be a number, got true",
        ),
        (
            r#"{"breaker": {"scope": "global", "trip": {"type": "rate", "window": {"type": "time", "ms": "x"}}}}"#,
            r#"breaker.trip.window.ms must be a number of milliseconds, got the text "x""#,
        ),
        (
            r#"{"policy": {"timeout_ms": "1000"}}"#,
            "policy.timeout_ms must be a number of milliseconds (or null for none)",
        ),
        (
            r#"{"route": "weightd"}"#,
            r#"route must be one of weighted, sequence; got "weightd""#,
        ),
        (
            r#"{"clients": {"cout": 5}}"#,
            "clients: unknown field `cout`; allowed: count, arrival, start_spread_ms, load",
        ),
        (
            r#"{"policy": {"jitter": {}}}"#,
            "policy.jitter: the field `type` is missing",
        ),
    ] {
        let m = refused(doc);
        assert!(m.contains(want), "{doc}:\n  {m}\nshould contain\n  {want}");
        for rust in [
            "invalid type",
            "expected f64",
            "expected u32",
            "invalid value",
        ] {
            assert!(!m.contains(rust), "{m}");
        }
    }
}

/// The message for a preset with `--set` edits, which must be refused.
fn refused_with(preset: &str, sets: &[(&str, &str)]) -> String {
    let mut doc = serde_json::to_value(presets::config(preset).unwrap()).unwrap();
    for (path, raw) in sets {
        edit::set(&mut doc, path, raw).unwrap_or_else(|e| panic!("{path}: {e}"));
    }
    refused(&doc.to_string())
}

#[test]
fn messages_inside_tagged_types_name_the_exact_field() {
    let r4j = |sets: &[(&str, &str)]| refused_with("resilience4j-breaker", sets);
    // min_calls given the value failure_rate happens to have
    let m = r4j(&[("breaker.trip.min_calls", "0.5")]);
    assert!(
        m.starts_with("breaker.trip.min_calls = 0.5") && m.contains("whole number"),
        "{m}"
    );
    assert!(!m.contains("failure_rate"), "{m}");
    // two nulls: only min_calls may not be null
    let m = r4j(&[
        ("breaker.trip.failure_rate", "null"),
        ("breaker.trip.min_calls", "null"),
    ]);
    assert_eq!(m, "breaker.trip.min_calls must be a whole number, got null");
    // a field of the trip rule given to its window: the window is named
    let m = r4j(&[(
        "breaker.trip.window",
        r#"{"type":"count","calls":5,"min_calls":3}"#,
    )]);
    assert_eq!(
        m,
        "breaker.trip.window: unknown field `min_calls`; allowed: calls"
    );
    let m = r4j(&[("breaker.trip.check", "abc")]);
    assert!(
        m.starts_with("breaker.trip.check must be one of every_call, on_failure"),
        "{m}"
    );
    let m = r4j(&[("breaker.trip.type", "rat")]);
    assert!(m.starts_with("breaker.trip.type must be one of"), "{m}");
    let m = r4j(&[("breaker.trip.type", "5")]);
    assert_eq!(m, "breaker.trip.type must be a text, got 5");
    // several fields of the same value in one distribution: the one that is wrong
    let m = refused(
        r#"{"service": {"service_time": {"type": "uniform", "min_ms": 2, "max_ms": [2]}}}"#,
    );
    assert!(m.starts_with("service.service_time.max_ms"), "{m}");
    let m = refused(
        r#"{"services": [{"name": "a"}, {"name": "b", "faults": [{"type": "down", "end_ms": 5e3, "rate": 0.5}]}]}"#,
    );
    assert!(
        m.starts_with("services.1.faults.0: unknown field `rate`"),
        "{m}"
    );
}

#[test]
fn an_overlapping_load_window_is_named_by_its_place_in_the_list() {
    let m = refused(
        r#"{"clients": {"load": [{"start_ms": 5000, "end_ms": 6000, "multiplier": 2},
            {"start_ms": 7000, "end_ms": 8000, "multiplier": 2},
            {"start_ms": 0, "end_ms": 5500, "multiplier": 2}]}}"#,
    );
    assert!(
        m.starts_with("clients.load.0.start_ms = 5000")
            && m.contains("before clients.load.2 ends, at 5500 ms"),
        "{m}"
    );
    assert!(!m.contains("load.1"), "{m}");
    // fault windows may overlap; their messages too name the window as given
    let m = refused(
        r#"{"faults": [{"type": "down", "start_ms": 9000, "end_ms": 9500},
            {"type": "slow", "start_ms": 100, "end_ms": 50}]}"#,
    );
    assert!(m.starts_with("faults.1.end_ms = 50"), "{m}");
}

#[test]
fn a_long_bad_text_is_shortened_in_messages() {
    let long = "x ".repeat(1_000_000);
    for doc in [
        json!({"services": [{"name": long}, {"name": "b"}]}),
        json!({"services": [{"name": "a"}, {"name": "a"}, {"name": long}, {"name": long}]}),
        json!({"clients": {long.clone(): 1}}),
        json!({"route": long}),
        json!({"policy": {"jitter": {"type": long}}}),
        json!({"policy": {"jitter": {"type": "full", long.clone(): 1}}}),
    ] {
        let m = refused(&doc.to_string());
        assert!(
            m.len() < 400 && m.contains("x x x"),
            "{}…",
            &m[..400.min(m.len())]
        );
    }
}

/// The two ends of a range in a message: `more than A and at most B`, `A..=B`.
fn range_ends(m: &str) -> (f64, f64) {
    let ns: Vec<f64> = numbers(m.split(": allowed ").nth(1).unwrap_or(m))
        .iter()
        .filter_map(|n| n.parse().ok())
        .collect();
    assert!(ns.len() >= 2, "{m}");
    (ns[0], ns[1])
}

#[test]
fn a_narrowed_range_is_never_shown_empty_or_with_float_noise() {
    for mean in [
        1e-300, 1e-12, 1e-7, 1e-4, 0.00011, 0.0003, 0.001, 0.07, 1.0, 3.3,
    ] {
        let doc = json!({"service": {"service_time":
            {"type": "lognormal", "mean_ms": mean, "p99_ms": 1e7}}});
        let m = refused(&doc.to_string());
        let (lo, hi) = range_ends(&m);
        assert!(
            m.contains("more than ") && lo < hi && lo >= mean && hi <= mean * 14.97,
            "{mean}: {m}"
        );
        for n in numbers(&m) {
            let digits = n.split('e').next().unwrap().replace(['.', '-'], "");
            assert!(
                digits.trim_start_matches('0').len() <= 8,
                "{mean}: {n} in {m}"
            );
        }
    }
    let m = refused(
        r#"{"service": {"service_time": {"type": "lognormal", "mean_ms": 0.0001, "p99_ms": 1}}}"#,
    );
    assert!(
        m.contains("more than 0.0001 and at most 0.001496 ms"),
        "{m}"
    );
    // large enough bounds keep 3 decimals, rounded inwards
    let m = refused(
        r#"{"service": {"service_time": {"type": "uniform", "min_ms": 2.00049, "max_ms": 1}}}"#,
    );
    assert!(m.contains("2.001..=3600000 ms"), "{m}");
}

#[test]
fn setting_an_item_of_an_empty_list_says_how_to_give_the_list() {
    let mut doc = serde_json::to_value(presets::config("metastable").unwrap()).unwrap();
    let m = edit::set(&mut doc, "faults.0.end_ms", "1").unwrap_err();
    assert!(
        m.contains("faults is an empty list") && m.contains("--set 'faults=[{"),
        "{m}"
    );
    assert!(!m.contains("out of range (0..0)"), "{m}");
    // the example given is itself a valid edit
    let example = m
        .split("--set 'faults=")
        .nth(1)
        .unwrap()
        .trim_end_matches('\'');
    edit::set(&mut doc, "faults", example).unwrap();
    let cfg = ScenarioConfig::from_value(doc).unwrap();
    assert_eq!(cfg.faults.len(), 1);
    cfg.validate().unwrap();
}

#[test]
fn numbers_beyond_what_json_reading_keeps_are_named_plainly() {
    let mut doc = serde_json::to_value(presets::config("metastable").unwrap()).unwrap();
    for raw in ["1e400", "-1e400"] {
        let m = edit::set(&mut doc, "clients.count", raw).unwrap_err();
        assert!(
            m.starts_with(&format!(
                "clients.count = {raw}: a number too large to represent"
            )) && m.contains("1..=1000000"),
            "{m}"
        );
        assert!(!m.contains("the text"), "{m}");
    }
    let m = refused(r#"{"clients": {"count": 1e400}}"#);
    assert!(
        m.contains("a number too large to represent, at line 1"),
        "{m}"
    );
    // an integer beyond 64 bits: in words, never as the float it became
    let m = refused(r#"{"seed": 18446744073709551616}"#);
    assert_eq!(
        m,
        "seed = a number more than 18446744073709551615 (about 1.8e19): allowed a whole number 0..=18446744073709551615"
    );
    assert!(!m.contains("1.8446744073709552e19"), "{m}");
    let m = refused(r#"{"max_events": -99999999999999999999}"#);
    assert!(m.contains("a number less than -9223372036854775808"), "{m}");
    assert_eq!(opens(r#"{"seed": 18446744073709551615}"#).seed, u64::MAX);
}

#[test]
fn a_field_given_twice_is_refused_at_any_depth() {
    let m = refused(r#"{"seed": 1, "seed": 2}"#);
    assert!(m.starts_with("the field `seed` is given twice"), "{m}");
    let e = ScenarioConfig::from_json(
        r#"{"faults": [{"type": "down"}, {"type": "slow", "multiplier": 2, "multiplier": 3}]}"#,
    )
    .unwrap_err();
    assert!(
        e.to_string()
            .starts_with("faults.1: the field `multiplier` is given twice"),
        "{e}"
    );
    assert!(matches!(e, ScenarioError::Parse { ref path, .. } if path == "faults.1.multiplier"));
    // an export's scenario too; equal keys in different objects are fine
    let m = refused(r#"{"scenario": {"clients": {"count": 5, "count": 5}}}"#);
    assert!(m.starts_with("scenario.clients: the field `count`"), "{m}");
    opens(r#"{"service": {"workers": 2}, "services": [], "clients": {"count": 2}}"#);
    // a --set value is read the same way
    let mut doc = json!({});
    let m = edit::set(&mut doc, "faults", r#"[{"type": "down", "type": "slow"}]"#).unwrap_err();
    assert!(
        m.starts_with("faults.0: the field `type` is given twice"),
        "{m}"
    );
    // a huge repeated key is shortened, and the check is linear in the text
    let long = "k".repeat(1_000_000);
    let m = refused(&format!(r#"{{"{long}": 1, "{long}": 2}}"#));
    assert!(m.len() < 200, "{}", &m[..200]);
    let many: Vec<String> = (0..200_000).map(|i| format!("\"k{i}\": {i}")).collect();
    let m = refused(&format!("{{\"name\": {{{}, \"k7\": 0}}}}", many.join(", ")));
    assert!(m.starts_with("name: the field `k7` is given twice"), "{m}");
}

/// The page's seed box shows the document's number as its text and sends what is typed;
/// both must keep every digit of a u64 (beyond 2^53, where f64 stops).
#[test]
fn the_seed_control_keeps_every_digit() {
    assert_eq!(bounds::SEED.range_label(), "0 … 18,446,744,073,709,551,615");
    assert!(bounds::SEED.allowed().ends_with("0..=18446744073709551615"));
    let cfg = presets::config("metastable").unwrap();
    for typed in [
        "9007199254740993",
        "18446744073709551615",
        "12345678901234567891",
    ] {
        let next = edit::apply(&cfg, &edit::Edit::Set("seed".into(), typed.into())).unwrap();
        assert_eq!(next.seed.to_string(), typed);
        let doc = serde_json::to_value(&next).unwrap();
        // what the box shows: the number's own text, not an f64 (no e-notation, no rounding)
        assert_eq!(edit::get(&doc, "seed").to_string(), typed);
    }
    for (typed, says) in [
        ("abc", r#"seed must be a whole number, got the text "abc""#),
        (
            "-1",
            "seed = -1: allowed a whole number 0..=18446744073709551615",
        ),
        (
            "18446744073709551616",
            "a number more than 18446744073709551615",
        ),
        ("1.5", "seed = 1.5: allowed a whole number"),
    ] {
        let m = edit::apply(&cfg, &edit::Edit::Set("seed".into(), typed.into())).unwrap_err();
        assert!(m.contains(says), "{typed}: {m}");
    }
}

/// Documents that between them hold every numeric field of the table.
fn contexts() -> Vec<Value> {
    let svc = |dist: Value| {
        json!({"workers": 4, "queue_capacity": 10, "load_factor": 0.1,
               "service_time": dist, "network_delay": {"type": "constant", "ms": 1}})
    };
    let faults = json!([
        {"type": "error_rate", "start_ms": 10, "end_ms": 20, "rate": 0.5},
        {"type": "slow", "start_ms": 30, "end_ms": 40, "multiplier": 3},
        {"type": "capacity", "start_ms": 50, "end_ms": 60, "lost": 0.5},
    ]);
    let full = json!({
        "seed": 3, "duration_ms": 1000, "bucket_ms": 100, "max_events": 100000, "max_memory_mb": 64,
        "clients": {"count": 10, "start_spread_ms": 5, "arrival": {"type": "poisson", "rate_per_s": 2},
                    "load": [{"start_ms": 100, "end_ms": 200, "multiplier": 2}]},
        "services": [
            {"name": "a", "weight": 1, "service": svc(json!({"type": "uniform", "min_ms": 1, "max_ms": 5})), "faults": faults},
            {"name": "b", "weight": 2, "service": svc(json!({"type": "lognormal", "mean_ms": 10, "p99_ms": 50}))},
        ],
        "policy": {"timeout_ms": 100, "deadline_ms": 500, "max_attempts": 3,
                   "backoff": {"type": "exponential", "base_ms": 10, "multiplier": 2, "cap_ms": 100, "throttle_base_ms": 20},
                   "jitter": {"type": "multiplier", "min": 0.8, "max": 1.2}},
        "breaker": {"scope": "global", "open_ms": 100, "open_multiplier": 2, "open_max_ms": 1000,
                    "half_open_calls": 3, "half_open_successes": 2,
                    "trip": {"type": "rate", "window": {"type": "time", "ms": 1000, "buckets": 10},
                             "min_calls": 10, "failure_rate": 0.5, "slow_call_ms": 50, "slow_call_rate": 0.5}},
        "budget": {"type": "aws", "capacity": 500, "retry_cost": 5, "timeout_cost": 10, "throttling_cost": 5, "success_refund": 1},
    });
    let with = |edits: &[(&str, Value)]| {
        let mut d = full.clone();
        for (p, v) in edits {
            edit::set(&mut d, p, &v.to_string()).unwrap();
        }
        d
    };
    let replicated = |failover: Value| {
        with(&[(
            "services.1.service.replication",
            json!({"replicas": 2, "writes": 0.5, "lag": {"type": "uniform", "min_ms": 1, "max_ms": 5},
                   "random_crashes": {"mtbf_ms": 60000, "mttr_ms": 1000}, "failover": failover}),
        )])
    };
    vec![
        replicated(
            json!({"type": "automatic", "health_check_interval_ms": 10, "failures_to_trip": 2,
                          "promotion": {"type": "constant", "ms": 50}}),
        ),
        replicated(json!({"type": "manual", "alert_after_ms": 10,
                          "runbook": {"type": "exponential", "mean_ms": 50}})),
        replicated(
            json!({"type": "restore_from_backup", "alert_after_ms": 10, "backup_every_ms": 5000,
                          "restore": {"type": "constant", "ms": 50}}),
        ),
        full.clone(),
        with(&[
            (
                "clients.arrival",
                json!({"type": "interval", "every_ms": 10}),
            ),
            (
                "services.0.service.service_time",
                json!({"type": "exponential", "mean_ms": 10}),
            ),
            (
                "services.1.service.service_time",
                json!({"type": "normal", "mean_ms": 10, "sd_ms": 2}),
            ),
            (
                "policy.jitter",
                json!({"type": "proportional", "factor": 0.5}),
            ),
            (
                "breaker.trip",
                json!({"type": "consecutive", "failures": 5}),
            ),
            (
                "budget",
                json!({"type": "grpc", "max_tokens": 10, "token_ratio": 0.1}),
            ),
        ]),
        with(&[
            ("clients.arrival", json!({"type": "burst", "at_ms": 10})),
            ("breaker.trip.window", json!({"type": "count", "calls": 10})),
            (
                "budget",
                json!({"type": "ratio", "percent": 20, "min_per_s": 10, "ttl_ms": 10000}),
            ),
        ]),
        with(&[
            (
                "clients.arrival",
                json!({"type": "closed_loop", "think": {"type": "constant", "ms": 5}}),
            ),
            (
                "budget",
                json!({"type": "adaptive", "k": 2, "window_ms": 120000}),
            ),
        ]),
        json!({"faults": [{"type": "down", "start_ms": 1, "end_ms": 5}],
               "service": {"service_time": {"type": "normal", "mean_ms": 10, "sd_ms": 2}}}),
    ]
}

/// Every numeric leaf of `v`: its path and the tagged type of the object holding it.
fn leaves(v: &Value, path: &str, kind: Option<&str>, out: &mut Vec<(String, Option<String>)>) {
    match v {
        Value::Number(_) => out.push((path.to_string(), kind.map(str::to_string))),
        Value::Object(m) => {
            let k = m.get("type").and_then(Value::as_str);
            for (key, x) in m {
                let p = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                leaves(x, &p, k, out);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                leaves(x, &format!("{path}.{i}"), kind, out);
            }
        }
        _ => {}
    }
}

/// The numbers of a message, in order (`-1.5`, `1e308` and `3600000` each one number).
fn numbers(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for ch in s.replace("..=", " ..= ").chars() {
        if ch.is_ascii_digit()
            || ch == '.'
            || ch == 'e' && !cur.is_empty()
            || ch == '-' && cur.ends_with('e')
        {
            cur.push(ch);
        } else {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            if ch == '-' {
                cur.push(ch);
            }
        }
    }
    out.push(cur);
    out.into_iter()
        .filter(|n| n.chars().any(|c| c.is_ascii_digit()))
        .collect()
}

fn assert_plain(m: &str) {
    for bad in ["inf", "NaN", "invalid type", "invalid value"] {
        assert!(!m.contains(bad), "{m}");
    }
    for n in numbers(m) {
        assert!(n.len() <= 21, "a {}-digit number in {m}", n.len());
    }
}

#[test]
fn messages_never_show_impossible_bounds() {
    // the table's own ranges
    for f in bounds::ALL {
        assert_plain(&f.allowed());
        assert!(f.min < f.max, "{}", f.key);
    }
    let mut seen: Vec<&str> = Vec::new();
    for doc in contexts() {
        let cfg = ScenarioConfig::from_value(doc.clone()).unwrap_or_else(|e| panic!("{e}"));
        cfg.validate().unwrap_or_else(|e| panic!("{doc}: {e}"));
        let mut out = Vec::new();
        leaves(&doc, "", None, &mut out);
        for (path, kind) in out {
            let f: &Field = bounds::for_path(&path, kind.as_deref())
                .unwrap_or_else(|| panic!("{path} has no entry in the bounds table"));
            seen.push(f.key);
            let step = if f.whole { 1.0 } else { 0.5 };
            let mut tries = vec![f.min - step, 1e308, -1e308, 2e19, 4.5e15];
            if f.max.is_finite() && f.max < 1e15 {
                tries.push(f.max + step);
                tries.push(f.max * 1e6);
            }
            if f.whole {
                tries.push(f.min + 0.5);
            }
            for x in tries {
                let mut d = doc.clone();
                edit::set(&mut d, &path, &x.to_string()).unwrap();
                let err = ScenarioConfig::from_value(d).and_then(|c| c.validate().map(|_| ()));
                let Err(e) = err else { continue };
                let m = e.to_string();
                assert_plain(&m);
                if let ScenarioError::Invalid(errs) = &e {
                    for fe in errs {
                        // a range's lower end never above its upper end
                        let ns: Vec<f64> = numbers(&fe.allowed)
                            .iter()
                            .filter_map(|n| n.parse().ok())
                            .collect();
                        let a = fe.allowed.trim_start_matches("a whole number ");
                        let ranged = a.contains("..=")
                            || (a.starts_with("more than") || a.starts_with("at least"))
                                && a.contains(" and ");
                        if ranged {
                            assert!(ns.len() >= 2 && ns[0] <= ns[1], "{path}={x}: {fe}");
                        }
                    }
                }
            }
        }
    }
    for f in bounds::ALL {
        assert!(
            seen.contains(&f.key),
            "{} not covered by the contexts",
            f.key
        );
    }
}

#[test]
fn deep_set_paths_are_refused_not_overflowed() {
    let mut doc = serde_json::to_value(presets::config("metastable").unwrap()).unwrap();
    let deep_path = vec!["a"; 15_500].join(".");
    let m = edit::set(&mut doc, &deep_path, "1").unwrap_err();
    assert!(m.contains("at most 32"), "{m}");
    let deep_value = format!("{}{}", "[".repeat(15_500), "]".repeat(15_500));
    let m = edit::set(&mut doc, "name", &deep_value).unwrap_err();
    assert!(m.contains("128 levels"), "{m}");
    // within serde_json's limit but deeper than any scenario: refused when read
    let nested = format!("{}{}", "[".repeat(100), "]".repeat(100));
    edit::set(&mut doc, "name", &nested).unwrap();
    let m = ScenarioConfig::from_value(doc).unwrap_err().to_string();
    assert!(m.contains("nested deeper than"), "{m}");
    let m = refused(&format!(
        "{}{}",
        "{\"a\":".repeat(15_500),
        "}".repeat(15_500)
    ));
    assert!(m.contains("128 levels"), "{m}");
    // clearing a value is never a silent null
    let mut doc = json!({"policy": {"timeout_ms": 100}});
    assert!(edit::set(&mut doc, "policy.timeout_ms", "")
        .unwrap_err()
        .contains("no value"));
    assert_eq!(doc["policy"]["timeout_ms"], 100);
}

#[test]
fn validation_is_linear_in_the_number_of_windows() {
    let windows = |n: usize| -> Vec<Value> {
        (0..n)
            .map(|i| json!({"start_ms": i * 10, "end_ms": i * 10 + 5, "multiplier": 2}))
            .collect()
    };
    // too many: refused by the limit, before any window is looked at
    let mut doc = json!({"duration_ms": 200_000, "clients": {"load": windows(10_000)}});
    let cfg = ScenarioConfig::from_value(doc.clone()).unwrap();
    let errs = match cfg.validate() {
        Err(ScenarioError::Invalid(errs)) => errs,
        other => panic!("{other:?}"),
    };
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].to_string().contains("at most 1000 load windows"),
        "{}",
        errs[0]
    );
    doc["clients"]["load"] = json!([]);
    doc["faults"] = Value::Array(
        (0..10_000)
            .map(|i| json!({"type": "down", "start_ms": i, "end_ms": i + 1}))
            .collect(),
    );
    let m = refused(&doc.to_string());
    assert!(m.contains("at most 1000 fault windows"), "{m}");
    let many: Vec<Value> = (0..5_000).map(|_| json!({"name": "same"})).collect();
    let m = refused(&json!({ "services": many }).to_string());
    assert!(
        m.contains("at most 16 services") && !m.contains("no other service"),
        "{m}"
    );
    // the most allowed: valid, and the engine's per-draw window lookup is a binary search,
    // so a run crossing all of them with a thousand clients ends promptly
    let doc = json!({"duration_ms": 20_000, "max_events": 20_000,
                     "clients": {"count": 1000, "load": windows(1_000)}});
    let sc = opens(&doc.to_string()).validate().unwrap();
    let mut sim = herdsim::sim::Sim::new(&sc, 1);
    sim.run();
    assert!(sim.summary().events <= 20_000);
}

/// A random JSON value: numbers of every size, texts, lists, objects.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("finite", |x| x.is_finite())
            .prop_map(|x| json!(x)),
        prop_oneof![
            Just(0.0),
            Just(1.0),
            Just(1e3),
            Just(-1.0),
            Just(0.5),
            Just(1e308)
        ]
        .prop_map(|x| json!(x)),
        "[a-z_]{0,8}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,6}|type|ms|mean_ms|start_ms", inner, 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// The paths of every value in `v`.
fn paths(v: &Value, path: &str, out: &mut Vec<String>) {
    if !path.is_empty() {
        out.push(path.to_string());
    }
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                paths(
                    x,
                    &if path.is_empty() {
                        k.clone()
                    } else {
                        format!("{path}.{k}")
                    },
                    out,
                );
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                paths(
                    x,
                    &if path.is_empty() {
                        i.to_string()
                    } else {
                        format!("{path}.{i}")
                    },
                    out,
                );
            }
        }
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// A preset with one value replaced by anything: an answer, never a panic.
    #[test]
    fn a_mutated_preset_is_read_or_refused_never_a_panic(
        preset in 0usize..64, at in any::<prop::sample::Index>(), value in any_json(),
    ) {
        let names: Vec<&str> = presets::names().collect();
        let json = presets::json(names[preset % names.len()]).unwrap();
        let mut doc: Value = serde_json::from_str(json).unwrap();
        let mut all = Vec::new();
        paths(&doc, "", &mut all);
        let path = at.get(&all).clone();
        edit::set(&mut doc, &path, &value.to_string()).unwrap();
        if let Ok(cfg) = ScenarioConfig::from_value(doc.clone()) {
            let _ = cfg.validate();
        }
        let _ = ScenarioConfig::from_json(&doc.to_string());
    }

    /// `--set` with any path and any text: an error, or a document that reads and
    /// validates or is refused with a message.
    #[test]
    fn any_set_is_an_answer_never_a_panic(
        segs in prop::collection::vec("clients|count|faults|services|0|1|7|policy|jitter|type|x|load|breaker|trip|window|budget", 0..40),
        raw in "[a-z0-9\\[\\]{}\":,.-]{0,12}",
    ) {
        let mut doc = serde_json::to_value(presets::config("metastable").unwrap()).unwrap();
        let path = segs.join(".");
        if edit::set(&mut doc, &path, &raw).is_ok() {
            if let Ok(cfg) = ScenarioConfig::from_value(doc) {
                let _ = cfg.validate().map_err(|e| e.to_string());
            }
        }
    }
}
