//! Recommendations: the analytic panel against the engine's own runs, and `herdsim tune`
//! and `herdsim advise` as a user runs them.

use herdsim::sim::scenario::config::*;
use herdsim::sim::scenario::presets;
use herdsim::suite::{Metric, SCENARIOS};
use herdsim::sweep::Vary;
use herdsim::tune::analysis::{analyse, Options};
use herdsim::tune::lints::lints;
use herdsim::tune::search::{Constraint, Objective, Over, Spec, Tuner};
use serde_json::Value;

use crate::cli::{bad, ok_json, ok_text};
use crate::common::{base, summary, valid};

/// 40 clients sent at once into a service that is `fault` for the whole minute: every
/// attempt times out (black hole) or is refused at once (down), 1 ms each way.
fn failing(fault: FaultConfig, jitter: JitterConfig, attempts: Option<u32>) -> ScenarioConfig {
    let mut c = base();
    c.clients.count = 40;
    c.duration_ms = 60_000.0;
    c.service.network_delay = DistConfig::Constant { ms: 1.0 };
    c.faults = vec![fault];
    c.policy.timeout_ms = Some(1000.0);
    c.policy.deadline_ms = Some(5000.0);
    c.policy.max_attempts = attempts;
    c.policy.backoff = BackoffConfig {
        kind: ScheduleConfig::Exponential,
        base_ms: 100.0,
        multiplier: 2.0,
        cap_ms: 1000.0,
        ..BackoffConfig::default()
    };
    c.policy.jitter = jitter;
    c
}

#[test]
fn attempts_that_fit_are_what_the_engine_sends_when_everything_fails() {
    let hole = FaultConfig::Blackhole {
        start_ms: 0.0,
        end_ms: 60_000.0,
    };
    let down = FaultConfig::Down {
        start_ms: 0.0,
        end_ms: 60_000.0,
    };
    // no jitter: one schedule, so every request makes exactly the attempts that fit
    // (by hand in the analysis' tests: timeouts at 1.1, 2.3, 3.7 s, the next at 5.5 s;
    // refusals every 2 ms plus sleeps up to 5.516 s)
    for (fault, field, want) in [(hole.clone(), 0, 4), (down, 2, 8)] {
        let c = failing(fault, JitterConfig::None, None);
        let a = analyse(&valid(&c), &Options::default());
        let fit = [
            a.attempts.timeouts_shortest_sleeps,
            a.attempts.timeouts_longest_sleeps,
            a.attempts.fast_failures,
        ][field]
            .unwrap();
        let s = summary(&c, 1);
        assert_eq!(s.requests, 40);
        assert_eq!(fit, want);
        assert_eq!(s.amplification, f64::from(fit), "{c:?}");
        // refusals come back faster than timeouts: they bound the worst case
        assert_eq!(a.amplification.per_layer, Some(8.0));
    }
    // full jitter: between the attempts that fit with the longest and the shortest sleeps
    let c = failing(hole, JitterConfig::Full, Some(10));
    let a = analyse(&valid(&c), &Options::default());
    let (lo, hi) = (
        a.attempts.timeouts_longest_sleeps.unwrap(),
        a.attempts.timeouts_shortest_sleeps.unwrap(),
    );
    assert_eq!((lo, hi), (4, 5));
    let s = summary(&c, 3);
    assert!(
        s.amplification > f64::from(lo) && s.amplification < f64::from(hi),
        "{}",
        s.amplification
    );
}

fn spec() -> Spec {
    Spec {
        policy: presets::config("aws-sdk-standard").unwrap(),
        unlock: vec![Vary::parse("policy.max_attempts=1..2:2").unwrap()],
        require: vec![Constraint::parse("amplification<=1.001").unwrap()],
        objective: Objective::parse("minimise", "failed_requests").unwrap(),
        pareto: Some([
            (Metric::FailedRequests, Over::Sum),
            (Metric::Amplification, Over::Worst),
        ]),
        seeds: vec![1],
        refine: false,
    }
}

#[test]
fn tune_json_is_the_library_report_and_its_best_meets_every_constraint() {
    let text = ok_text(&[
        "tune",
        "--preset",
        "aws-sdk-standard",
        "--unlock",
        "policy.max_attempts=1..2:2",
        "--require",
        "amplification<=1.001",
        "--pareto",
        "failed_requests,amplification",
        "--seeds",
        "1",
        "--grid",
        "--format",
        "json",
    ]);
    let report = Tuner::run(spec()).unwrap();
    assert_eq!(text, serde_json::to_string_pretty(&report).unwrap() + "\n");
    // one attempt never amplifies; two do in the outage: only one attempt is feasible
    let best = &report.candidates[report.best.unwrap()];
    assert_eq!(best.settings[0].text, "1");
    for row in &best.scorecard.rows {
        assert_eq!(row.stat(Metric::Amplification).mean, Some(1.0));
    }
    let other = &report.candidates[1];
    assert!(!other.feasible && !other.violations.is_empty());
    assert_eq!(best.scorecard.rows.len(), SCENARIOS.len());
    assert_eq!(report.apply, [("policy.max_attempts".into(), "1".into())]);
    let json: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["search"], "grid");
    assert_eq!(
        json["comparison"]["deltas"].as_array().unwrap().len(),
        SCENARIOS.len()
    );
    assert!(json["pareto"]["front"].as_array().is_some());
}

#[test]
fn tune_text_names_the_best_what_it_beats_and_how_to_apply_it() {
    let text = ok_text(&[
        "tune",
        "--preset",
        "aws-sdk-standard",
        "--unlock",
        "policy.max_attempts=1..1:1",
        "--seeds=1",
        "--grid",
    ]);
    for needle in [
        "tune: the policy of aws-sdk-standard",
        "unlocked: policy.max_attempts=1..1:1",
        "search: grid (1 on the grid), 1 of 1 feasible",
        "objective: minimise failed_requests (sum over the scenarios)",
        "best: policy.max_attempts = 1",
        "apply: --set policy.max_attempts=1",
        "against the current policy (policy.max_attempts = 3)",
        "amplification",
        "its scorecard: the policy of policy.max_attempts = 1",
    ] {
        assert!(text.contains(needle), "{needle}:\n{text}");
    }
}

#[test]
fn tune_bad_input_exits_2_naming_the_flag() {
    let u = "policy.max_attempts=1..5:5";
    bad(
        &["tune", "--preset", "gobreaker"],
        None,
        &["tune needs --unlock"],
    );
    bad(
        &[
            "tune",
            "--preset",
            "gobreaker",
            "--unlock",
            "clients.count=1..5:5",
        ],
        None,
        &["--unlock clients.count: only fields under policy, breaker or budget"],
    );
    bad(
        &[
            "tune",
            "--preset",
            "gobreaker",
            "--unlock",
            u,
            "--unlock",
            "policy.backoff.base_ms=1..100:100",
            "--seeds",
            "10",
        ],
        None,
        &["--unlock and --seeds:", "allowed at most 20000"],
    );
    bad(
        &[
            "tune",
            "--preset",
            "gobreaker",
            "--unlock",
            "budget.token_ratio=0.1..0.2:2",
        ],
        None,
        &["--unlock point 1 of 2 (budget.token_ratio = 0.1)"],
    );
    bad(
        &["tune", "--preset", "nope", "--unlock", u],
        None,
        &["unknown preset `nope`"],
    );
    bad(
        &[
            "tune",
            "--preset",
            "gobreaker",
            "--unlock",
            u,
            "--require",
            "p99<=2000",
        ],
        None,
        &["--require unknown metric \"p99\"", "success_p99_ms"],
    );
}

#[test]
fn advise_json_is_the_library_panel_and_lints() {
    for (preset, layers) in [("herd-no-jitter", "1"), ("grpc-retry-throttling", "3")] {
        // compared as text: floats read back may lose their last bit
        let got = ok_text(&[
            "advise", "--preset", preset, "--layers", layers, "--format", "json",
        ]);
        let sc = presets::config(preset).unwrap().validate().unwrap();
        let opt = Options {
            layers: layers.parse().unwrap(),
            arrival_per_s: None,
        };
        let want = serde_json::json!({
            "scenario": preset,
            "analysis": analyse(&sc, &opt),
            "lints": lints(&sc, opt.layers),
        });
        assert_eq!(
            got,
            serde_json::to_string_pretty(&want).unwrap() + "\n",
            "{preset}"
        );
    }
    let herd = ok_json(&["advise", "--preset", "herd-no-jitter", "--format", "json"]);
    let ids: Vec<&str> = herd["lints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"no-jitter"), "{ids:?}");
    let grpc = ok_json(&[
        "advise",
        "--preset",
        "grpc-retry-throttling",
        "--format",
        "json",
    ]);
    assert_eq!(grpc["analysis"]["budget"]["type"], "grpc");
}

#[test]
fn advise_text_shows_the_schedule_the_thresholds_and_the_lints() {
    let text = ok_text(&[
        "advise",
        "--preset",
        "aws-sdk-standard",
        "--layers",
        "2",
        "--rate",
        "100",
    ]);
    for needle in [
        "advise: aws-sdk-standard",
        "delay before each retry",
        "attempts that fit:",
        "worst-case amplification: 3 attempts per request at 100% failure; through 2 layers retrying alike: 9",
        "budget: the AWS retry quota drains at failure rates above",
        "load (Little's law): 100/s ×",
        "retries-at-several-layers:",
        "why: ",
        "source: ",
    ] {
        assert!(text.contains(needle), "{needle}:\n{text}");
    }
    let quiet = ok_text(&["advise", "--preset", "herd-full-jitter"]);
    assert!(!quiet.contains("no-jitter"), "{quiet}");
    bad(&["advise"], None, &["advise needs a scenario FILE"]);
    bad(
        &["advise", "--preset", "herd-no-jitter", "--layers", "0"],
        None,
        &["--layers must be a whole number from 1 to 10"],
    );
}

#[test]
fn help_lists_tune_and_advise_with_their_flags() {
    let h = ok_text(&["help", "tune"]);
    assert_eq!(ok_text(&["tune", "--help"]), h);
    for f in [
        "--unlock PATH=LO..HI:STEPS[:log]",
        "--require METRIC<=VALUE[:mean]",
        "--minimise METRIC",
        "--maximise METRIC",
        "--pareto M1,M2",
        "--seeds K",
        "--grid",
        "--format FORMAT",
        "coarse to fine",
    ] {
        assert!(h.contains(f), "{f}:\n{h}");
    }
    for m in Metric::ALL {
        assert!(h.contains(m.key()), "{}", m.key());
    }
    let a = ok_text(&["help", "advise"]);
    assert!(a.contains("--layers L") && a.contains("--rate R"), "{a}");
    let all = ok_text(&["--help"]);
    assert!(all.contains("herdsim tune") && all.contains("herdsim advise"));
}
