//! The `herdsim` command as a user runs it.

use std::ffi::OsStr;
use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

pub(crate) fn herdsim<S: AsRef<OsStr>>(args: &[S], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_herdsim"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("herdsim runs");
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    child.wait_with_output().unwrap()
}

pub(crate) fn ok_json(args: &[&str]) -> Value {
    let out = herdsim(args, None);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON output")
}

/// Exit status 2 and a message containing every `needle`.
pub(crate) fn bad(args: &[&str], stdin: Option<&str>, needles: &[&str]) {
    let out = herdsim(args, stdin);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{args:?} should fail with 2: {err}"
    );
    assert!(out.stdout.is_empty(), "nothing on stdout when failing");
    assert!(!err.contains("panicked"), "{err}");
    for n in needles {
        assert!(
            err.contains(n),
            "{args:?}: message {err:?} should mention {n:?}"
        );
    }
}

#[test]
fn presets_lists_every_preset_with_a_description() {
    let out = herdsim(&["presets"], None);
    let text = String::from_utf8(out.stdout).unwrap();
    let names: Vec<&str> = text
        .lines()
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(
        names,
        herdsim::sim::scenario::presets::names().collect::<Vec<_>>()
    );
    assert!(
        text.lines().all(|l| l.split_whitespace().count() > 3),
        "each line has a description"
    );
}

#[test]
fn show_prints_a_scenario_that_runs_from_stdin() {
    let out = herdsim(&["show", "aws-occ-full"], None);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let shown: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(shown["clients"]["count"], 100);
    let out = herdsim(
        &["run", "-", "--set", "clients.count=20", "--format", "json"],
        Some(&text),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (s["requests"].as_u64(), s["succeeded"].as_u64()),
        (Some(20), Some(20))
    );
}

#[test]
fn run_json_has_every_summary_field() {
    let s = ok_json(&[
        "run",
        "--preset",
        "herd-full-jitter",
        "--set",
        "clients.count=300",
        "--seed",
        "4",
    ]);
    for f in [
        "requests",
        "attempts",
        "amplification",
        "succeeded",
        "failed",
        "in_flight_at_end",
        "peak_arrivals_per_s",
        "completion_ms",
        "latency_ms",
        "goodput_per_s",
        "availability",
        "time_to_recover_ms",
        "wasted_work_ms",
        "events",
        "seed",
    ] {
        assert!(s.get(f).is_some(), "summary lacks {f}");
    }
    for q in ["p50", "p90", "p99", "max"] {
        assert!(s["latency_ms"][q].is_number(), "latency_ms.{q}");
    }
    assert_eq!(
        (s["requests"].as_u64(), s["seed"].as_u64()),
        (Some(300), Some(4))
    );
    assert_eq!(
        s,
        ok_json(&[
            "run",
            "--preset",
            "herd-full-jitter",
            "--set",
            "clients.count=300",
            "--seed",
            "4"
        ])
    );
}

/// Three seeds (10, 11, 12) of a small preset.
const THREE_RUNS: [&str; 9] = [
    "run",
    "--preset",
    "aws-occ-full",
    "--set",
    "clients.count=30",
    "--seed",
    "10",
    "--runs",
    "3",
];

#[test]
fn runs_summarise_mean_min_and_max_over_seeds() {
    let agg = ok_json(&THREE_RUNS);
    assert_eq!(agg["runs"], 3);
    // the same line without --runs, one seed at a time
    let one = |seed: &str| ok_json(&[&THREE_RUNS[..6], &[seed]].concat());
    let attempts: Vec<f64> = ["10", "11", "12"]
        .iter()
        .map(|s| one(s)["attempts"].as_f64().unwrap())
        .collect();
    assert_eq!(
        agg["mean"]["attempts"].as_f64(),
        Some(attempts.iter().sum::<f64>() / 3.0)
    );
    assert_eq!(
        agg["min"]["attempts"].as_f64(),
        Some(attempts.iter().copied().fold(f64::INFINITY, f64::min))
    );
    assert_eq!(
        agg["max"]["attempts"].as_f64(),
        Some(attempts.iter().copied().fold(0.0, f64::max))
    );
    assert!(
        agg["mean"]["latency_ms"]["p99"].is_number(),
        "nested fields are summarised too"
    );
    assert_eq!(agg["mean"]["seed"].as_f64(), Some(11.0));
}

#[test]
fn csv_is_the_time_series_and_text_is_readable() {
    let out = herdsim(
        &[
            "run",
            "--preset",
            "herd-no-jitter",
            "--set",
            "clients.count=200",
            "--format",
            "csv",
        ],
        None,
    );
    let csv = String::from_utf8(out.stdout).unwrap();
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(
        &header[..4],
        &["t_ms", "width_ms", "first_attempts", "retries"]
    );
    let rows: Vec<Vec<f64>> = lines
        .map(|l| l.split(',').map(|x| x.parse().unwrap()).collect())
        .collect();
    assert!(rows.iter().all(|r| r.len() == header.len()));
    assert_eq!(
        rows.iter().map(|r| r[2]).sum::<f64>(),
        200.0,
        "every client's first attempt is in the series"
    );
    let out = herdsim(
        &[
            "run",
            "--preset",
            "herd-no-jitter",
            "--set",
            "clients.count=200",
            "--format",
            "text",
        ],
        None,
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("requests     200") && text.contains("amplification"),
        "{text}"
    );
}

#[test]
fn bad_input_exits_2_naming_the_field_the_value_and_what_is_allowed() {
    // services, breakers and budgets
    let set = |kv: &str| {
        [
            "run",
            "--preset",
            "breaker-per-service-vs-global",
            "--set",
            kv,
        ]
        .map(String::from)
    };
    for (kv, want) in [
        (
            "breaker.half_open_successes=20",
            vec!["breaker.half_open_successes = 20", "1..=3"],
        ),
        (
            "breaker.scope=sideways",
            vec!["breaker.scope", "sideways", "per_service"],
        ),
        (
            "breaker.trip.failures=0",
            vec!["breaker.trip", "unknown field `failures`"],
        ),
        (
            "breaker.open_multiplier=0.5",
            vec!["breaker.open_multiplier = 0.5", "1..=100"],
        ),
        (
            "services.1.name=users",
            vec!["services.1.name = \"users\"", "a name no other service has"],
        ),
        (
            "services.2.weight=-1",
            vec!["services.2.weight = -1", "0..="],
        ),
        (
            "service.workers=3",
            vec!["service", "left out when services is given"],
        ),
        (
            "budget={\"type\":\"aws\",\"retry_cost\":3.5}",
            vec!["budget.retry_cost = 3.5", "whole number 0..=255"],
        ),
        (
            "budget={\"type\":\"ratio\",\"ttl_ms\":100}",
            vec!["budget.ttl_ms = 100", "1000..=60000"],
        ),
    ] {
        let args = set(kv);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        bad(&args, None, &want);
    }
    // a client that would spin without simulated time moving is refused
    bad(
        &[
            "run",
            "--preset",
            "polly-v8",
            "--set",
            "policy.backoff.base_ms=0",
        ],
        None,
        &[
            "policy.retry_on.breaker_open = true",
            "unless the backoff waits",
        ],
    );
    bad(
        &[
            "run",
            "--preset",
            "gobreaker",
            "--set",
            "clients.arrival={\"type\":\"closed_loop\"}",
        ],
        None,
        &["clients.arrival.think = 0", "think time above 0"],
    );
    // breakers for a million clients that would not fit in a browser tab are refused
    bad(
        &[
            "run",
            "--preset",
            "breaker-per-service-vs-global",
            "--set",
            "clients.count=1000000",
            "--set",
            "breaker.scope=per_service",
            "--set",
            "breaker.trip.window.calls=10000",
        ],
        None,
        &[
            "breaker.scope = \"per_service\" with 1000000 clients",
            "256 MB",
            "7267 MB",
        ],
    );
    bad(
        &["run", "-"],
        Some("{ not json"),
        &["invalid scenario", "key must be a string"],
    );
    bad(
        &["run", "-"],
        Some(r#"{"clients": {"cout": 5}}"#),
        &["clients", "unknown field `cout`", "count"],
    );
    bad(
        &["run", "-"],
        Some(r#"{"clients": {"count": 0}}"#),
        &["clients.count = 0", "1..=1000000"],
    );
    bad(
        &["run", "-"],
        Some(r#"{"clients": {"count": -4}}"#),
        &["clients.count", "-4"],
    );
    bad(
        &["run", "-"],
        Some(r#"{"policy": {"jitter": {"type": "fancy"}}}"#),
        &["policy.jitter", "fancy", "full"],
    );
    bad(
        &["run", "-"],
        Some(r#"{"faults": [{"type": "down", "start_ms": 50, "end_ms": 10}]}"#),
        &["faults.0.end_ms = 10", "more than 50"],
    );
    bad(
        &[
            "run",
            "--preset",
            "metastable",
            "--set",
            "service.service_time.type=lognormal",
        ],
        None,
        &["service.service_time", "unknown field `ms`", "mean_ms"],
    );
    bad(
        &[
            "run",
            "--preset",
            "metastable",
            "--set",
            r#"service.service_time={"type":"lognormal","mean_ms":10}"#,
        ],
        None,
        &[
            "service.service_time.p99_ms = 0",
            "more than 10 and at most 149.684",
        ],
    );
    bad(
        &["run", "--preset", "nope"],
        None,
        &["unknown preset `nope`", "herd-no-jitter"],
    );
    bad(
        &[
            "run",
            "--preset",
            "metastable",
            "--set",
            "clients.count=2000000",
        ],
        None,
        &["clients.count = 2000000", "1..=1000000"],
    );
    bad(
        &["run", "--preset", "metastable", "--set", "clients.bogus=1"],
        None,
        &["unknown field `bogus`"],
    );
    bad(
        &[
            "run",
            "--preset",
            "metastable",
            "--set",
            "faults.3.end_ms=1",
        ],
        None,
        &["faults.3", "out of range"],
    );
    bad(
        &["run", "/no/such/file.json"],
        None,
        &["cannot read /no/such/file.json"],
    );
    bad(&["show", "nope"], None, &["unknown preset"]);
    bad(
        &["run", "--preset", "metastable", "--runs", "0"],
        None,
        &["--runs must be a whole number from 1 to 10000, got \"0\""],
    );
}

#[test]
fn several_bad_fields_are_all_reported() {
    let input = r#"{"duration_ms": -1, "clients": {"count": 0}, "policy": {"max_attempts": 0}}"#;
    bad(
        &["run", "-"],
        Some(input),
        &[
            "duration_ms = -1",
            "clients.count = 0",
            "policy.max_attempts = 0",
        ],
    );
}

/// Success, nothing on stderr: standard output as text.
pub(crate) fn ok_text(args: &[&str]) -> String {
    let out = herdsim(args, None);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{args:?}: {err}");
    assert!(err.is_empty(), "{args:?}: {err}");
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

#[test]
fn help_for_every_command_goes_to_stdout_and_exits_0() {
    let everything = ok_text(&["--help"]);
    for args in [&[][..], &["-h"], &["help"]] {
        assert_eq!(ok_text(args), everything, "{args:?}");
    }
    for cmd in ["run", "sweep", "presets", "show"] {
        assert!(everything.contains(&format!("herdsim {cmd}")), "{cmd}");
    }
    for f in [
        "--preset NAME",
        "--seed N",
        "--runs K",
        "--set PATH=VALUE",
        "--format FORMAT",
    ] {
        assert!(everything.contains(f), "{f}");
    }
    for (cmd, has, lacks) in [
        ("run", "--seed N", "herdsim show"),
        ("sweep", "--vary PATH=LO..HI:STEPS[:log]", "herdsim show"),
        ("presets", "herdsim presets", "--seed"),
        ("show", "herdsim show PRESET", "--seed"),
    ] {
        let help = ok_text(&[cmd, "--help"]);
        assert!(help.starts_with(&format!("herdsim {cmd}: ")), "{help}");
        assert!(help.contains(has) && !help.contains(lacks), "{cmd}: {help}");
        assert!(help.contains("-h, --help"), "{cmd}: {help}");
        assert_eq!(ok_text(&[cmd, "-h"]), help, "{cmd} -h");
        assert_eq!(ok_text(&["help", cmd]), help, "help {cmd}");
    }
    // help wins over the rest of a valid line, and runs nothing
    assert_eq!(
        ok_text(&["run", "--preset", "metastable", "--seed", "3", "-h"]),
        ok_text(&["run", "--help"])
    );
}

#[test]
fn version_prints_the_package_version() {
    let want = format!("herdsim {}\n", env!("CARGO_PKG_VERSION"));
    assert_eq!(ok_text(&["--version"]), want);
    assert_eq!(ok_text(&["-V"]), want);
}

#[test]
fn every_option_takes_its_value_after_equals_or_as_the_next_argument() {
    let base = [
        "run",
        "--preset",
        "aws-occ-full",
        "--set",
        "clients.count=20",
    ];
    let with = |extra: &[&str]| ok_text(&[&base[..], extra].concat());
    let seed_9 = with(&["--seed", "9"]);
    assert_eq!(with(&["--seed=9"]), seed_9);
    assert_ne!(with(&["--seed=10"]), seed_9, "the seed is read");
    assert_eq!(
        ok_text(&[
            "run",
            "--preset=aws-occ-full",
            "--set=clients.count=20",
            "--seed=9",
            "--runs=2",
            "--format=csv"
        ]),
        with(&["--seed", "9", "--runs", "2", "--format", "csv"])
    );
}

#[test]
fn set_may_repeat_and_each_takes_effect() {
    let s = ok_json(&[
        "run",
        "--preset",
        "aws-occ-full",
        "--set",
        "clients.count=40",
        "--set",
        "policy.max_attempts=1",
    ]);
    assert_eq!(s["requests"], 40);
    assert_eq!(
        s["attempts"], 40,
        "one attempt each: the second --set counted"
    );
}

#[test]
fn a_repeated_single_valued_option_is_refused_with_exit_2() {
    let base = ["run", "--preset", "aws-occ-full"];
    for (extra, flag) in [
        (&["--seed", "1", "--seed", "2"][..], "--seed"),
        (&["--seed=1", "--seed=1"], "--seed"),
        (&["--runs", "2", "--runs", "3"], "--runs"),
        (&["--format", "json", "--format", "csv"], "--format"),
        (&["--preset", "metastable"], "--preset"),
    ] {
        let args = [&base[..], extra].concat();
        bad(
            &args,
            None,
            &[&format!("{flag} is given twice"), "one value"],
        );
    }
}

#[test]
fn extra_positional_arguments_are_refused_with_exit_2() {
    bad(
        &["run", "a.json", "b.json"],
        None,
        &["run takes one scenario FILE", "\"b.json\""],
    );
    bad(
        &["show", "aws-occ-full", "metastable"],
        None,
        &["show takes one argument", "\"metastable\""],
    );
    bad(
        &["presets", "all"],
        None,
        &["presets takes no arguments", "\"all\""],
    );
    bad(
        &["help", "run", "now"],
        None,
        &["help takes one argument", "\"now\""],
    );
    bad(
        &["frobnicate"],
        None,
        &[
            "unknown command \"frobnicate\"",
            "run, sweep, scorecard, tune, advise, export, uptime, presets, show",
        ],
    );
}

#[test]
fn bad_numbers_and_words_name_the_option_the_value_and_what_is_allowed() {
    let run = |extra: &[&'static str]| [&["run", "--preset", "aws-occ-full"][..], extra].concat();
    for (extra, want) in [
        (
            &["--seed", "x"][..],
            "--seed must be a whole number from 0 to 18446744073709551615, got \"x\"",
        ),
        (&["--seed", "-1"], "got \"-1\""),
        (
            &["--seed", "18446744073709551616"],
            "got \"18446744073709551616\"",
        ),
        (&["--seed"], "--seed needs a value: N is a whole number"),
        (
            &["--runs", "10001"],
            "--runs must be a whole number from 1 to 10000",
        ),
        (&["--runs", "2.5"], "got \"2.5\""),
        (
            &["--format", "xml"],
            "--format must be one of json, csv, text, got \"xml\"",
        ),
        (
            &["--set", "clients.count"],
            "--set must be a field path and a value joined by =",
        ),
        (
            &["--sed", "1"],
            "unknown option --sed for run; allowed: --preset, --seed",
        ),
    ] {
        bad(&run(extra), None, &[want]);
    }
    // the biggest seed is a seed
    let s = ok_json(&run(&[
        "--seed",
        "18446744073709551615",
        "--set",
        "clients.count=5",
    ]));
    assert_eq!(s["seed"].as_u64(), Some(u64::MAX));
}

/// The cells of a table row (text separated by two spaces or more: a duration such as
/// `1 min 30 s` is one cell) with the character position where each ends.
fn cells(line: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let (mut cell, mut spaces, mut end) = (String::new(), 0, 0);
    for (i, c) in line.chars().enumerate() {
        if c == ' ' {
            spaces += 1;
            continue;
        }
        if spaces >= 2 && !cell.is_empty() {
            out.push((end, std::mem::take(&mut cell)));
        } else if spaces == 1 && !cell.is_empty() {
            cell.push(' ');
        }
        spaces = 0;
        cell.push(c);
        end = i + 1;
    }
    if !cell.is_empty() {
        out.push((end, cell));
    }
    out
}

/// Find the end (in characters) of each cell of `line`.
fn cell_ends(line: &str) -> Vec<usize> {
    cells(line).into_iter().map(|(end, _)| end).collect()
}

#[test]
fn text_format_of_runs_is_an_aligned_table_of_rounded_figures() {
    let text = ok_text(&[&THREE_RUNS[..], &["--format", "text"]].concat());
    let json = ok_json(&THREE_RUNS);
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("scenario aws-occ-full: 3 runs, seeds 10 to 12")
    );
    let header = lines.next().unwrap();
    assert_eq!(
        header.split_whitespace().collect::<Vec<_>>(),
        ["field", "mean", "min", "max"]
    );
    let ends = cell_ends(header);
    let rows: Vec<&str> = lines.collect();
    assert!(rows.len() > 20, "{text}");
    let mut fields = vec![];
    for row in &rows {
        // numbers right-aligned under their heading
        assert_eq!(&cell_ends(row)[1..], &ends[1..], "{row:?} in\n{text}");
        let cells: Vec<String> = cells(row).into_iter().map(|(_, c)| c).collect();
        assert_eq!(cells.len(), 4, "{row}");
        let duration = cells[0].split('.').any(|p| p.ends_with("_ms"));
        let share = [
            "availability",
            "uptime",
            "attempt_success_rate",
            "request_availability",
        ]
        .iter()
        .any(|f| cells[0].ends_with(f));
        for c in &cells[1..] {
            // a missing figure says what it means in words (or `-`: not measured)
            if c.chars().all(|ch| ch.is_alphabetic() || ch == ' ') {
                assert!(
                    [
                        "-",
                        "no fault",
                        "never recovered",
                        "none in flight",
                        "none succeeded",
                        "none failed",
                        "unlimited"
                    ]
                    .contains(&c.as_str()),
                    "{row}"
                );
                continue;
            }
            if share {
                let pct = c
                    .strip_suffix('%')
                    .unwrap_or_else(|| panic!("a share as a percentage: {row}"));
                assert!(
                    pct.split_once('.').is_some_and(|(_, d)| d.len() == 2),
                    "{row}"
                );
                continue;
            }
            if duration {
                // a duration in human units
                let unit = c.rsplit(' ').next().unwrap();
                assert!(
                    *c == "-" || ["ms", "s", "min", "h"].contains(&unit),
                    "{row}"
                );
                continue;
            }
            assert!(*c == "-" || c.parse::<f64>().is_ok(), "{row}");
            // four significant digits, or one decimal where the whole part has more
            if let Some((_, decimals)) = c.split_once('.') {
                let digits = c.trim_start_matches(['-', '0', '.']).replace('.', "");
                assert!(decimals.len() == 1 || digits.len() <= 4, "{row}");
            }
        }
        fields.push(cells[0].clone());
    }
    // the field names are left-aligned: every number column starts past the longest
    let widest = fields.iter().map(|f| f.len()).max().unwrap();
    assert!(header.find("mean").unwrap() > widest);
    // the figures are the JSON's, rounded
    let row = |name: &str| {
        rows.iter()
            .map(|r| cells(r).into_iter().map(|(_, c)| c).collect::<Vec<_>>())
            .find(|c| c[0] == name)
            .unwrap_or_else(|| panic!("no row {name}"))
    };
    for (name, col, pointer) in [
        ("amplification", 1, "/mean/amplification"),
        ("goodput_per_s", 2, "/min/goodput_per_s"),
    ] {
        let got: f64 = row(name)[col].parse().unwrap();
        let want = json.pointer(pointer).and_then(Value::as_f64).unwrap();
        assert!(
            (got - want).abs() <= want.abs() * 1e-3,
            "{name}: {got} vs {want}"
        );
    }
    let p99 = json.pointer("/max/latency_ms/p99").and_then(Value::as_f64);
    assert_eq!(
        row("latency_ms.p99")[3],
        herdsim::units::duration_ms(p99.unwrap())
    );
    assert!(
        !fields.iter().any(|f| f == "seed"),
        "each run has its seed, named in the first line"
    );
}

#[test]
fn control_characters_in_names_are_escaped_in_text_output() {
    let evil = "herd\u{1b}[2J\u{1b}]0;owned\u{7}\u{202e}";
    let escaped = "herd\\x1b[2J\\x1b]0;owned\\x07\\u{202e}";
    let name = format!("name={evil}");
    let base = [
        "run",
        "--preset",
        "aws-occ-full",
        "--set",
        "clients.count=10",
    ];
    for extra in [
        &["--format", "text"][..],
        &["--format", "text", "--runs", "2"],
    ] {
        let args = [&base[..], &["--set", &name], extra].concat();
        let out = herdsim(&args, None);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains(&format!("scenario {escaped}")), "{text}");
        assert!(
            !text
                .chars()
                .any(|c| (c.is_control() && c != '\n') || c == '\u{202e}'),
            "{text:?}"
        );
    }
    // and in messages: a preset name the user typed
    bad(
        &["run", "--preset", evil],
        None,
        &[&format!("unknown preset `{escaped}`")],
    );
    let out = herdsim(&["run", "--preset", evil], None);
    assert!(!String::from_utf8_lossy(&out.stderr).contains('\u{1b}'));
}

#[cfg(unix)]
#[test]
fn arguments_that_are_not_utf8_are_refused_not_a_crash() {
    use std::os::unix::ffi::OsStrExt;
    let not_utf8 = OsStr::from_bytes(b"scen\xffario.json");
    let out = herdsim(&[OsStr::new("run"), not_utf8], None);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("cannot read scen\u{fffd}ario.json"), "{err}");
    let out = herdsim(
        &[
            OsStr::new("run"),
            OsStr::new("-"),
            OsStr::new("--seed"),
            not_utf8,
        ],
        None,
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("--seed must be valid UTF-8"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn a_runaway_warns_first_then_stops_at_the_memory_budget_with_exit_0() {
    let doc = r#"{"clients":{"count":1000,"arrival":{"type":"interval","every_ms":0.001}},"max_memory_mb":16}"#;
    let out = herdsim(&["run", "-"], Some(doc));
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    let warn = err
        .find("could be in flight")
        .expect("a warning before the run");
    let stop = err
        .find("memory budget (max_memory_mb)")
        .expect("the partial-results note");
    assert!(warn < stop, "{err}");
    let s: Value = serde_json::from_slice(&out.stdout).expect("the partial summary");
    assert_eq!(s["stop"], "memory_budget");
}

#[test]
fn a_full_standard_error_loses_the_message_not_the_exit_status() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        return; // no /dev/full on this system
    };
    let out = Command::new(env!("CARGO_BIN_EXE_herdsim"))
        .args(["run", "--preset", "retry-storm", "--set", "clients.count=x"])
        .stderr(full)
        .output()
        .expect("herdsim runs");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn nothing_may_follow_help_or_version() {
    bad(&["--version", "extra"], None, &["extra"]);
    bad(&["--help", "--seed"], None, &["--seed"]);
}

#[test]
fn runs_never_wrap_past_the_largest_seed() {
    bad(
        &[
            "run",
            "--preset",
            "aws-occ-full",
            "--seed",
            "18446744073709551615",
            "--runs",
            "3",
        ],
        None,
        &["largest seed"],
    );
}

#[test]
fn the_text_report_tells_a_hang_a_herd_and_no_fault_apart() {
    let report = |preset: &str, clients: &str| {
        ok_text(&[
            "run", "--preset", preset, "--set", clients, "--format", "text",
        ])
    };
    let line = |text: &str, label: &str| {
        text.lines()
            .find(|l| l.starts_with(label))
            .unwrap_or_else(|| panic!("no {label} line in\n{text}"))
            .to_string()
    };
    // a hang: downtime, the oldest request's age, never recovered, human units
    let hang = report("no-timeout-hang", "clients.count=50");
    assert!(line(&hang, "availability").contains("downtime 3"), "{hang}");
    assert!(line(&hang, "oldest").contains(" s in flight"), "{hang}");
    assert_eq!(line(&hang, "recovery"), "recovery     never recovered");
    assert!(line(&hang, "latency").starts_with("latency      succeeded p50 "));
    assert!(!hang.contains(".0 ms"), "no raw milliseconds:\n{hang}");
    // a herd: the peak after the outage as a multiple of capacity
    let herd = report("herd-no-jitter", "clients.count=1000");
    let after = line(&herd, "after fault");
    assert!(after.contains("× capacity 800/s"), "{after}");
    // no disturbance at all
    let calm = ok_text(&[
        "run",
        "--preset",
        "herd-no-jitter",
        "--set",
        "clients.count=10",
        "--set",
        "faults=[]",
        "--format",
        "text",
    ]);
    assert_eq!(line(&calm, "recovery"), "recovery     no fault");
    assert_eq!(line(&calm, "after fault"), "after fault  no fault");
}

/// A sweep of metastable's client count, six seeds a point, three metrics (one of them
/// `null` in some runs).
const SWEEP_300: [&str; 14] = [
    "sweep",
    "--preset",
    "metastable",
    "--vary",
    "clients.count=200..300:2",
    "--seeds",
    "6",
    "--metric",
    "attempts",
    "--metric",
    "time_to_recover_ms",
    "--metric",
    "latency_ms.p99",
    "--format=json",
];

#[test]
fn a_sweep_point_is_run_with_set_and_runs_k() {
    let sweep = ok_json(&SWEEP_300);
    let point = &sweep["points"][1];
    assert_eq!(point["values"], serde_json::json!({"clients.count": 300}));
    let at = [
        "run",
        "--preset",
        "metastable",
        "--set",
        "clients.count=300",
    ];
    let runs = ok_json(&[&at[..], &["--runs", "6"]].concat());
    for m in ["attempts", "time_to_recover_ms", "latency_ms.p99"] {
        let ptr = format!("/{}", m.replace('.', "/"));
        for f in ["mean", "min", "max"] {
            let want = runs[f].pointer(&ptr).unwrap();
            assert_eq!(&point[f][m], want, "{f} of {m}");
        }
    }
    // p10, p90 and count from the six runs one by one (seeds 1 to 6, metastable's own)
    let seed = herdsim::sim::scenario::presets::config("metastable")
        .unwrap()
        .seed;
    let ttr: Vec<Option<f64>> = (seed..seed + 6)
        .map(|s| ok_json(&[&at[..], &["--seed", &s.to_string()]].concat()))
        .map(|r| r["time_to_recover_ms"].as_f64())
        .collect();
    let mut had: Vec<f64> = ttr.iter().flatten().copied().collect();
    assert!(
        !had.is_empty() && had.len() < 6,
        "some seeds recover and some never do: {ttr:?}"
    );
    assert_eq!(point["count"]["time_to_recover_ms"], had.len());
    assert_eq!(point["count"]["attempts"], 6);
    had.sort_by(f64::total_cmp);
    let h = (had.len() - 1) as f64 * 0.9;
    let (i, frac) = (h.floor() as usize, h - h.floor());
    let p90 = had[i] + frac * (had.get(i + 1).unwrap_or(&had[i]) - had[i]);
    let got = point["p90"]["time_to_recover_ms"].as_f64().unwrap();
    assert!((got - p90).abs() < 1e-9, "{got} against {p90} of {had:?}");
}

#[test]
fn sweep_json_has_exactly_the_documented_shape() {
    let v = ok_json(&[
        "sweep",
        "--preset",
        "aws-occ-full",
        "--set",
        "clients.count=20",
        "--vary",
        "policy.max_attempts=1..3:2",
        "--vary",
        "policy.backoff.base_ms=10..1000:3:log",
        "--seeds",
        "2",
    ]);
    let keys = |v: &Value| -> Vec<String> { v.as_object().unwrap().keys().cloned().collect() };
    let mut top = keys(&v);
    top.sort();
    assert_eq!(top, ["points", "seeds", "vary"]);
    assert_eq!(
        v["vary"],
        serde_json::json!(["policy.max_attempts", "policy.backoff.base_ms"])
    );
    assert_eq!(v["seeds"], 2);
    let points = v["points"].as_array().unwrap();
    assert_eq!(points.len(), 6);
    let defaults: Vec<&str> = herdsim::sweep::DEFAULT_METRICS.to_vec();
    let mut sorted_defaults = defaults.clone();
    sorted_defaults.sort();
    for (i, p) in points.iter().enumerate() {
        let mut k = keys(p);
        k.sort();
        assert_eq!(k, ["count", "max", "mean", "min", "p10", "p90", "values"]);
        let (attempts, base) = ([1, 3][i / 3], [10, 100, 1000][i % 3]);
        let want = serde_json::json!({
            "policy.max_attempts": attempts,
            "policy.backoff.base_ms": base,
        });
        assert_eq!(p["values"], want, "point {i}: row-major, values in order");
        for f in ["mean", "min", "max", "p10", "p90", "count"] {
            let mut m = keys(&p[f]);
            m.sort();
            assert_eq!(m, sorted_defaults, "{f}: the default metrics");
            for x in p[f].as_object().unwrap().values() {
                assert!(x.is_number() || x.is_null(), "{f}: {x}");
            }
        }
    }
}

#[test]
fn sweep_csv_has_a_header_and_a_row_per_point() {
    let out = herdsim(
        &[
            "sweep",
            "--preset",
            "herd-full-jitter",
            "--set",
            "clients.count=50",
            "--vary",
            "clients.count=10..50:3",
            "--vary",
            "policy.timeout_ms=500..1500:2",
            "--metric",
            "uptime",
            "--metric",
            "success_latency_ms.p50",
            "--seeds",
            "2",
            "--format",
            "csv",
        ],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut header = vec!["clients.count".to_string(), "policy.timeout_ms".into()];
    for m in ["uptime", "success_latency_ms.p50"] {
        for f in ["mean", "min", "max", "p10", "p90", "count"] {
            header.push(format!("{m}_{f}"));
        }
    }
    assert_eq!(lines[0], header.join(","));
    assert_eq!(lines.len(), 1 + 3 * 2, "a row per point");
    let firsts: Vec<(&str, &str)> = lines[1..]
        .iter()
        .map(|l| {
            let mut c = l.split(',');
            (c.next().unwrap(), c.next().unwrap())
        })
        .collect();
    assert_eq!(
        firsts,
        [
            ("10", "500"),
            ("10", "1500"),
            ("30", "500"),
            ("30", "1500"),
            ("50", "500"),
            ("50", "1500")
        ]
    );
    for l in &lines[1..] {
        assert_eq!(l.split(',').count(), header.len(), "{l}");
    }
}

#[test]
fn sweep_output_does_not_depend_on_threads() {
    let line = [
        "sweep",
        "--preset",
        "herd-no-jitter",
        "--set",
        "clients.count=80",
        "--vary",
        "policy.backoff.base_ms=100..400:4",
        "--seeds",
        "3",
    ];
    let out = |threads: &[&str]| {
        let o = herdsim(&[&line[..], threads].concat(), None);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        o.stdout
    };
    let all = out(&[]);
    assert_eq!(out(&[]), all, "twice the same");
    assert_eq!(out(&["--threads", "1"]), all);
    assert_eq!(out(&["--threads=5"]), all);
    let csv = out(&["--format", "csv", "--threads", "1"]);
    assert_eq!(out(&["--format", "csv"]), csv);
}

#[test]
fn bad_sweep_input_exits_2_naming_the_flag_or_the_field() {
    fn sw<'a>(rest: &[&'a str]) -> Vec<&'a str> {
        [&["sweep", "--preset", "retry-storm"][..], rest].concat()
    }
    for (args, needles) in [
        (sw(&[]), &["sweep needs --vary PATH=LO..HI:STEPS"][..]),
        (
            sw(&["--vary", "policy.max_attempts=1..5"]),
            &["--vary policy.max_attempts=1..5: the number of steps is missing"],
        ),
        (
            sw(&["--vary", "policy.timeout_ms=0..100:3"]),
            &["--vary policy.timeout_ms=0..100:3: policy.timeout_ms = 0 (LO): allowed more than 0"],
        ),
        (
            sw(&["--vary", "clients.count=1..3:5"]),
            &["clients.count is a whole number", "at most 3 steps give distinct values"],
        ),
        (
            sw(&["--vary", "policy.backoff.base_ms=0..10:2"]),
            &[
                "invalid scenario at point 2 of 2 (policy.backoff.base_ms = 10)",
                "policy.backoff.cap_ms = 0: allowed 10..=3600000 ms",
            ],
        ),
        (
            sw(&["--vary", "policy.max_attempts=1..2:2", "--metric", "goodput"]),
            &["--metric: unknown metric \"goodput\"; allowed:", "goodput_per_s"],
        ),
        (
            sw(&[
                "--vary",
                "policy.timeout_ms=1..100:100",
                "--vary",
                "clients.count=1..100:100",
                "--seeds",
                "11",
            ]),
            &["100 × 100 points × 11 seeds = 110000 runs; allowed at most 100000"],
        ),
        (
            sw(&["--vary", "policy.max_attempts=1..2:2", "--seeds", "0"]),
            &["--seeds must be a whole number from 1 to 10000, got \"0\""],
        ),
        (
            sw(&["--vary", "policy.max_attempts=1..2:2", "--set", "clients.count=0"]),
            &["clients.count = 0: allowed a whole number 1..=1000000"],
        ),
    ] {
        bad(&args, None, needles);
    }
}

/// `herdsim uptime`: the lecture's table (day and week at four targets, to the tenth of a
/// second), each period's length, and a bad target named.
#[test]
fn uptime_prints_the_lectures_table_with_its_periods() {
    for (t, day, week) in [
        ("99.5", 432.0, 3024.0),
        ("99.9", 86.4, 604.8),
        ("99.95", 43.2, 302.4),
        ("99.99", 8.64, 60.48),
    ] {
        let v = ok_json(&["uptime", t, "--format", "json"]);
        assert_eq!(v["target_percent"].as_f64(), t.parse().ok());
        let got = |p: &str| v["downtime_allowed_s"][p].as_f64().unwrap();
        assert!(
            (got("day") - day).abs() < 0.05 && (got("week") - week).abs() < 0.05,
            "{t}: {v}"
        );
        assert!(
            got("day") < got("week") && got("week") < got("month") && got("quarter") < got("year")
        );
        for (p, days) in [
            ("day", 1.0),
            ("week", 7.0),
            ("month", 30.1875),
            ("quarter", 90.5625),
            ("year", 362.25),
        ] {
            assert_eq!(v["period_days"][p].as_f64(), Some(days), "{p}");
        }
    }
    let text = ok_text(&["uptime", "99.9"]);
    assert!(
        text.contains("10 min 4.8 s")
            && text.contains("43 min 28.2 s")
            && text.contains("8 h 41 min 38 s"),
        "{text}"
    );
    assert!(
        text.contains("30.1875 days") && text.contains("calendar month"),
        "{text}"
    );
    bad(&["uptime", "ninety"], None, &["uptime", "ninety"]);
    bad(&["uptime", "100.5"], None, &["0 to 100"]);
    bad(&["uptime"], None, &["target percentage"]);
}

/// `herdsim run --target`: the report measures the run's downtime against the target's
/// monthly budget (43 min 28.2 s at 99.9%), and names the flag when it is wrong.
#[test]
fn run_target_reports_the_downtimes_share_of_the_monthly_budget() {
    let s = ok_json(&["run", "--preset", "failover-async-replica"]);
    let downtime_s = s["downtime_ms"].as_f64().unwrap() / 1000.0;
    assert!(downtime_s > 0.0);
    let text = ok_text(&[
        "run",
        "--preset",
        "failover-async-replica",
        "--format",
        "text",
        "--target",
        "99.9",
    ]);
    let share = 100.0 * downtime_s / (0.001 * 30.1875 * 86_400.0);
    let monthly = (0.001 * 30.1875 * 86_400.0 / downtime_s).floor();
    assert!(
        text.contains(&format!("{share:.2}% of a month at 99.9%"))
            && text.contains("43 min 28.2 s allowed")
            && text.contains(&format!("{} a month", monthly as u64)),
        "{text}"
    );
    // and the failover line: what was lost and when writes came back
    let lost = s["lost_writes"].as_u64().unwrap();
    assert!(
        lost > 0 && text.contains(&format!("lost writes {lost} (RPO")),
        "{text}"
    );
    bad(
        &[
            "run",
            "--preset",
            "failover-herd",
            "--format",
            "text",
            "--target",
            "101",
        ],
        None,
        &["--target", "0 to 100", "101"],
    );
    bad(
        &["run", "--preset", "failover-herd", "--target", "99.9"],
        None,
        &["--target", "--format text"],
    );
}
