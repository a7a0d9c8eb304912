//! The fault suite and its scorecard: each scenario has the fault the issue describes, the
//! policy under test is all a scenario lends the suite, policies do across the faults what
//! they are known to do, the scorecard is the mean (min, max) of its single runs however
//! they ran, A/B says which way is better, the libraries view has every library, and the
//! `herdsim scorecard` command says so too.

use std::sync::OnceLock;

use herdsim::batch::run_plans;
use herdsim::sim::scenario::config::*;
use herdsim::sim::scenario::{presets, Arrival, FaultKind, LoadWindow};
use herdsim::sim::{Sim, Summary};
use herdsim::suite::*;
use serde_json::Value;

use crate::cli::{bad, herdsim, ok_json, ok_text};
use crate::common::{summary, valid};

const S: u64 = 1_000_000;

/// The scorecard of `cfg`'s policy over `seeds`, its jobs on every core.
fn card(cfg: &ScenarioConfig, seeds: &[u64]) -> Scorecard {
    let plan = Plan::new(cfg, seeds).unwrap_or_else(|e| panic!("{e}"));
    run_plans(&[plan]).remove(0)
}

/// A preset's policy, renamed and edited.
fn policy(preset: &str, name: &str, edit: impl FnOnce(&mut ScenarioConfig)) -> ScenarioConfig {
    let mut cfg = presets::config(preset).unwrap();
    cfg.name = name.into();
    edit(&mut cfg);
    cfg
}

#[test]
fn each_scenario_has_exactly_the_fault_the_issue_describes() {
    let names: Vec<&str> = SCENARIOS.iter().map(|s| s.name).collect();
    assert_eq!(
        names,
        [
            "short-outage",
            "long-overload",
            "brownout",
            "slow-dependency",
            "load-spike",
            "black-hole"
        ]
    );
    // (name, fault or load window as the engine sees it)
    let fault = |start: u64, secs: u64, kind| {
        (
            vec![herdsim::sim::scenario::Fault {
                start: start * S,
                end: (start + secs) * S,
                kind,
            }],
            vec![],
        )
    };
    let load = |start: u64, secs: u64, multiplier| {
        (
            vec![],
            vec![LoadWindow {
                start: start * S,
                end: (start + secs) * S,
                multiplier,
            }],
        )
    };
    let want = [
        ("short-outage", fault(20, 10, FaultKind::Down)),
        ("long-overload", load(20, 60, 2.0)),
        ("brownout", fault(20, 30, FaultKind::ErrorRate(0.2))),
        ("slow-dependency", fault(20, 30, FaultKind::Slow(5.0))),
        ("load-spike", load(20, 10, 2.0)),
        ("black-hole", fault(20, 10, FaultKind::Blackhole)),
    ];
    for (s, (name, (faults, loads))) in SCENARIOS.iter().zip(want) {
        assert_eq!(s.name, name);
        let cfg = s.config();
        let sc = valid(&cfg);
        assert_eq!(sc.name(), name);
        let got: Vec<_> = sc.faults().copied().collect();
        assert_eq!(got, faults, "{name}");
        assert_eq!(sc.clients().load, loads, "{name}");
        assert_eq!(sc.disturbances().count(), 1, "{name}: one disturbance");
        assert_eq!(sc.services().len(), 1, "{name}");
        assert!(
            !s.description.is_empty() && !s.description.contains('\n'),
            "{name}: a one-line description"
        );
        // the same world under every one
        assert_eq!(sc.total_capacity_per_s(), Some(800.0), "{name}");
        assert_eq!(sc.duration(), 120 * S, "{name}");
        assert_eq!(sc.clients().count, 500, "{name}");
        assert_eq!(sc.clients().arrival, Arrival::Poisson(1.0), "{name}");
    }
}

#[test]
fn the_long_overload_offers_more_than_capacity_for_60_s() {
    let s = scenario("long-overload").unwrap();
    let sc = valid(&s.config());
    let capacity = sc.total_capacity_per_s().unwrap();
    let Arrival::Poisson(rate) = sc.clients().arrival else {
        panic!("open-loop Poisson arrivals");
    };
    let base = f64::from(sc.clients().count) * rate;
    let [w] = sc.clients().load[..] else {
        panic!("one load window");
    };
    assert_eq!(w.end - w.start, 60 * S);
    assert!(
        base < capacity,
        "healthy below capacity: {base} vs {capacity}"
    );
    assert!(
        base * w.multiplier > 1.2 * capacity,
        "{} offered vs {capacity}",
        base * w.multiplier
    );
    // and the clients do send that much: first attempts alone, whatever the answers
    let mut sim = Sim::new(&sc, 1);
    sim.run();
    let series = sim.series();
    let width = series.width;
    let in_window: u64 = (series.buckets.iter().enumerate())
        .filter(|(i, _)| (w.start..w.end).contains(&(*i as u64 * width)))
        .map(|(_, b)| b.first_attempts)
        .sum();
    let offered = in_window as f64 / 60.0;
    assert!(
        offered > 1.2 * capacity,
        "{offered} first attempts/s over the 60 s vs capacity {capacity}"
    );
}

#[test]
fn apply_policy_copies_the_policy_breaker_and_budget_and_nothing_else() {
    const POLICY: [&str; 3] = ["policy", "breaker", "budget"];
    let json = |c: &ScenarioConfig| match serde_json::to_value(c).unwrap() {
        Value::Object(m) => m,
        _ => unreachable!(),
    };
    for p in presets::PRESETS {
        let from = presets::config(p.name).unwrap();
        for s in SCENARIOS {
            let world = s.config();
            let got = apply_policy(&world, &from);
            assert_eq!(got.policy, from.policy, "{} in {}", p.name, s.name);
            assert_eq!(got.breaker, from.breaker, "{} in {}", p.name, s.name);
            assert_eq!(got.budget, from.budget, "{} in {}", p.name, s.name);
            // every other field is the world's (compared as JSON: every field there is)
            let (g, w) = (json(&got), json(&world));
            let keys = |m: &serde_json::Map<String, Value>| {
                let mut k: Vec<String> = m
                    .keys()
                    .filter(|k| !POLICY.contains(&k.as_str()))
                    .cloned()
                    .collect();
                k.sort();
                k
            };
            assert_eq!(keys(&g), keys(&w), "{} in {}", p.name, s.name);
            for k in keys(&w) {
                assert_eq!(g[&k], w[&k], "{k}: {} in {}", p.name, s.name);
            }
            assert_eq!(got.clients, world.clients);
            assert_eq!(got.faults, world.faults);
            assert_eq!(got.seed, world.seed);
            valid(&got);
        }
    }
}

#[test]
fn full_jitter_lowers_the_herd_after_a_short_outage_for_every_seed() {
    // the AWS SDK's standard backoff (3 attempts, 1 s × 2^(n−1)) without its retry quota,
    // which would cut the retries that make the herd
    let jittered = policy("aws-sdk-standard", "full-jitter", |c| {
        c.budget = BudgetConfig::None;
    });
    let plain = policy("aws-sdk-standard", "no-jitter", |c| {
        c.budget = BudgetConfig::None;
        c.policy.jitter = JitterConfig::None;
    });
    let world = scenario("short-outage").unwrap().config();
    for seed in 1..=3 {
        let peak = |p: &ScenarioConfig| {
            let f = run_config(&apply_policy(&world, p), seed).unwrap();
            f.get(Metric::PeakAfterFault).unwrap()
        };
        let (with, without) = (peak(&jittered), peak(&plain));
        // measured: 1.51–1.75× with jitter, 1.83–1.99× without (seeds 1–6)
        assert!(
            with * 1.05 < without,
            "seed {seed}: peak after the outage / capacity {with} with full jitter, {without} without"
        );
        assert!(without > 1.0, "seed {seed}: the herd is more than capacity");
    }
}

/// A (the AWS SDK's standard policy without its retry quota) against B (with it), two seeds.
fn budget_ab() -> &'static Comparison {
    static AB: OnceLock<Comparison> = OnceLock::new();
    AB.get_or_init(|| {
        let a = policy("aws-sdk-standard", "no-quota", |c| {
            c.budget = BudgetConfig::None
        });
        let b = presets::config("aws-sdk-standard").unwrap();
        let plans = [
            Plan::new(&a, &[1, 2]).unwrap(),
            Plan::new(&b, &[1, 2]).unwrap(),
        ];
        let mut cards = run_plans(&plans).into_iter();
        Comparison::of(cards.next().unwrap(), cards.next().unwrap())
    })
}

#[test]
fn a_retry_budget_lowers_amplification_in_the_long_overload() {
    let ab = budget_ab();
    let (a, b) = (
        ab.a.row("long-overload").unwrap(),
        ab.b.row("long-overload").unwrap(),
    );
    let amp = |r: &Row| *r.stat(Metric::Amplification);
    // measured: 1.60 without the quota, 1.21 with it
    assert!(
        amp(b).max.unwrap() + 0.2 < amp(a).min.unwrap(),
        "every seed: {:?} with the budget, {:?} without",
        amp(b),
        amp(a)
    );
    assert!(b.stat(Metric::BudgetDeniedRetries).min.unwrap() > 1000.0);
    assert_eq!(a.stat(Metric::BudgetDeniedRetries).max, Some(0.0));
}

#[test]
fn no_retries_amplify_nothing_in_any_scenario() {
    let once = policy("backon-exponential", "one-attempt", |c| {
        c.policy.max_attempts = Some(1);
    });
    let card = card(&once, &[1, 2]);
    assert_eq!(card.rows.len(), SCENARIOS.len());
    for row in &card.rows {
        let a = row.stat(Metric::Amplification);
        assert_eq!(
            (a.mean, a.min, a.max, a.missing),
            (Some(1.0), Some(1.0), Some(1.0), 0),
            "{}",
            row.scenario
        );
    }
}

/// Mean of the figures that are there.
fn mean(xs: &[Option<f64>]) -> Option<f64> {
    let got: Vec<f64> = xs.iter().flatten().copied().collect();
    (!got.is_empty()).then(|| got.iter().sum::<f64>() / got.len() as f64)
}

#[test]
fn the_scorecard_is_the_mean_min_and_max_of_its_single_runs_however_they_ran() {
    // Polly's breaker (rejections) and its never-recovering cases; two seeds
    let from = presets::config("polly-v8").unwrap();
    let seeds = [5, 6];
    let plan = Plan::new(&from, &seeds).unwrap();
    let threaded = run_plans(std::slice::from_ref(&plan)).remove(0);
    // every run again, here, from the suite's configs with the policy applied
    let summaries: Vec<Vec<Summary>> = SCENARIOS
        .iter()
        .map(|s| {
            let cfg = apply_policy(&s.config(), &from);
            seeds.iter().map(|&k| summary(&cfg, k)).collect()
        })
        .collect();
    // as the page would: each job's figures made elsewhere (here in reverse order), put
    // back in the jobs' order; a job sent as its config and seed gives the same figures
    let jobs = plan.jobs();
    let mut back: Vec<(usize, RunFigures)> = (jobs.iter().enumerate().rev())
        .map(|(i, j)| (i, RunFigures::of(&summaries[j.row][i % seeds.len()])))
        .collect();
    back.sort_by_key(|x| x.0);
    let figures: Vec<RunFigures> = back.into_iter().map(|x| x.1).collect();
    for i in [0, jobs.len() - 1] {
        assert_eq!(
            run_config(jobs[i].config, jobs[i].seed).unwrap(),
            figures[i]
        );
    }
    assert_eq!(plan.scorecard(&figures).unwrap(), threaded);
    assert_eq!(threaded.policy, "polly-v8");
    assert_eq!(threaded.seeds, seeds);
    // each row against its runs' summaries, computed here from the summaries alone
    for ((s, row), runs) in SCENARIOS.iter().zip(&threaded.rows).zip(&summaries) {
        assert_eq!(row.scenario, s.name);
        assert_eq!(row.runs, 2);
        let pick = |f: fn(&Summary) -> Option<f64>| runs.iter().map(f).collect::<Vec<_>>();
        let cases: [(Metric, Vec<Option<f64>>); 9] = [
            (Metric::Availability, pick(|s| s.availability)),
            (Metric::FailedRequests, pick(|s| Some(s.failed as f64))),
            (Metric::SuccessP50, pick(|s| s.success_latency_ms.p50)),
            (Metric::SuccessP99, pick(|s| s.success_latency_ms.p99)),
            (Metric::Amplification, pick(|s| Some(s.amplification))),
            (
                Metric::PeakAfterFault,
                pick(|s| Some(s.peak_after_fault_per_s? / s.capacity_per_s?)),
            ),
            (Metric::TimeToRecover, pick(|s| s.time_to_recover_ms)),
            (
                Metric::RejectedByBreaker,
                pick(|s| Some(s.rejected_by_breaker as f64)),
            ),
            (
                Metric::BudgetDeniedRetries,
                pick(|s| Some(s.budget_denied_retries as f64)),
            ),
        ];
        for (m, xs) in cases {
            let st = row.stat(m);
            let what = format!("{} {}: {st:?} from {xs:?}", s.name, m.key());
            let never = m == Metric::TimeToRecover && xs.contains(&None);
            let want = if never { None } else { mean(&xs) };
            match (st.mean, want) {
                (Some(x), Some(y)) => assert!((x - y).abs() <= 1e-9 * y.abs().max(1.0), "{what}"),
                (x, y) => assert_eq!(x, y, "{what}"),
            }
            let lo = xs.iter().flatten().copied().reduce(f64::min);
            let hi = xs.iter().flatten().copied().reduce(f64::max);
            assert_eq!(st.min, lo, "{what}");
            assert_eq!(st.max, if never { None } else { hi }, "{what}");
            assert_eq!(
                st.missing as usize,
                xs.iter().filter(|x| x.is_none()).count(),
                "{what}"
            );
        }
    }
    let breaker = |name: &str| {
        threaded
            .row(name)
            .unwrap()
            .stat(Metric::RejectedByBreaker)
            .mean
    };
    assert!(
        breaker("short-outage").unwrap() > 0.0,
        "Polly's breaker opens in the outage"
    );
}

#[test]
fn ab_deltas_are_b_minus_a_and_say_which_way_is_better() {
    let ab = budget_ab();
    assert_eq!(ab.deltas.len(), SCENARIOS.len());
    for d in &ab.deltas {
        let (ra, rb) = (
            ab.a.row(&d.scenario).unwrap(),
            ab.b.row(&d.scenario).unwrap(),
        );
        for m in Metric::ALL {
            let x = d.deltas.get(m);
            let (a, b) = (ra.stat(m).mean, rb.stat(m).mean);
            assert_eq!((x.a, x.b), (a, b));
            assert_eq!(
                x.delta,
                a.zip(b).map(|(a, b)| b - a),
                "{} {}",
                d.scenario,
                m.key()
            );
            let want = match (m.better(), x.delta) {
                (_, Some(0.0)) => Some(Verdict::Same),
                (Better::Neutral, _) => None,
                (Better::Higher, Some(d)) if d > 0.0 => Some(Verdict::Better),
                (Better::Lower, Some(d)) if d < 0.0 => Some(Verdict::Better),
                (_, Some(_)) => Some(Verdict::Worse),
                // never recovered in A or B
                (_, None) => x.verdict,
            };
            assert_eq!(x.verdict, want, "{} {}", d.scenario, m.key());
        }
    }
    // the budget: fewer attempts per request is better, more retries denied is neither
    let overload = ab
        .deltas
        .iter()
        .find(|d| d.scenario == "long-overload")
        .unwrap();
    let amp = overload.deltas.get(Metric::Amplification);
    assert!(amp.delta.unwrap() < -0.2);
    assert_eq!(amp.verdict, Some(Verdict::Better));
    let denied = overload.deltas.get(Metric::BudgetDeniedRetries);
    assert!(denied.delta.unwrap() > 0.0);
    assert_eq!(denied.verdict, None);
    assert_eq!(Metric::Availability.better(), Better::Higher);
    assert_eq!(Metric::TimeToRecover.better(), Better::Lower);
}

#[test]
fn the_libraries_view_has_a_row_per_library_preset_in_every_scenario() {
    let plans = library_plans(&[1, 2]).unwrap();
    let names: Vec<&str> = plans.iter().map(Plan::policy).collect();
    assert_eq!(names, LIBRARY_PRESETS);
    assert_eq!(LIBRARY_PRESETS.len(), 10);
    for (plan, name) in plans.iter().zip(LIBRARY_PRESETS) {
        let p = presets::config(name).unwrap();
        for cfg in plan.configs() {
            assert_eq!(
                (&cfg.policy, &cfg.breaker, &cfg.budget),
                (&p.policy, &p.breaker, &p.budget)
            );
        }
    }
    // put together from stand-in figures (the real runs are the CLI test's)
    let cards: Vec<Scorecard> = plans
        .iter()
        .map(|p| {
            let figures: Vec<RunFigures> = (p.jobs().iter())
                .map(|j| RunFigures {
                    seed: j.seed,
                    partial: false,
                    values: PerMetric::from_fn(|_| Some(j.row as f64)),
                })
                .collect();
            p.scorecard(&figures).unwrap()
        })
        .collect();
    let table = LibraryTable::of(&cards);
    assert_eq!(table.policies, LIBRARY_PRESETS);
    assert_eq!(table.seeds, [1, 2]);
    assert_eq!(table.scenarios.len(), SCENARIOS.len());
    for (i, (group, s)) in table.scenarios.iter().zip(SCENARIOS).enumerate() {
        assert_eq!(group.scenario, s.name);
        let policies: Vec<&str> = group.rows.iter().map(|r| r.policy.as_str()).collect();
        assert_eq!(policies, LIBRARY_PRESETS, "{}", s.name);
        for r in &group.rows {
            assert_eq!(r.scenario, s.name);
            assert_eq!(r.stat(Metric::Availability).mean, Some(i as f64));
        }
    }
}

// ---- herdsim scorecard ----

/// Every metric of a row in JSON has mean, min, max and missing.
fn assert_row_shape(row: &Value) {
    for m in Metric::ALL {
        let st = &row[m.key()];
        for k in ["mean", "min", "max", "missing"] {
            assert!(st.get(k).is_some(), "{}.{k} in {row}", m.key());
        }
    }
    for k in ["scenario", "policy", "runs", "partial_runs"] {
        assert!(row.get(k).is_some(), "{k} in {row}");
    }
}

#[test]
fn scorecard_json_is_the_library_scorecard_with_a_row_per_scenario() {
    let text = ok_text(&[
        "scorecard",
        "--preset",
        "backon-exponential",
        "--set",
        "policy.max_attempts=1",
        "--seeds",
        "2",
        "--seed",
        "3",
        "--format",
        "json",
    ]);
    let got: Value = serde_json::from_str(&text).unwrap();
    let rows = got["rows"].as_array().unwrap();
    let names: Vec<&str> = rows
        .iter()
        .map(|r| r["scenario"].as_str().unwrap())
        .collect();
    assert_eq!(names, SCENARIOS.iter().map(|s| s.name).collect::<Vec<_>>());
    rows.iter().for_each(assert_row_shape);
    assert_eq!(got["seeds"], serde_json::json!([3, 4]));
    assert_eq!(got["policy"], "backon-exponential");
    assert!(rows.iter().all(|r| r["amplification"]["mean"] == 1.0));
    // the --set took effect, and the figures are the library's own (compared as text:
    // floats read back may lose their last bit)
    let mut cfg = presets::config("backon-exponential").unwrap();
    cfg.policy.max_attempts = Some(1);
    let card = Plan::new(&cfg, &[3, 4]).unwrap().run();
    assert_eq!(text, serde_json::to_string_pretty(&card).unwrap() + "\n");
}

#[test]
fn scorecard_text_has_a_row_per_scenario_in_aligned_columns() {
    let text = ok_text(&["scorecard", "--preset", "gobreaker", "--seeds", "1"]);
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].contains("gobreaker") && lines[0].contains("1 seed"),
        "{text}"
    );
    let head = lines[1];
    for m in Metric::ALL {
        assert!(head.contains(m.label()), "{} in {head}", m.label());
    }
    for (line, s) in lines[2..].iter().zip(SCENARIOS) {
        assert!(line.starts_with(s.name), "{line}");
        // figures right-aligned under their headings
        let width = |l: &str| l.trim_end().chars().count();
        assert_eq!(width(line), width(head), "{line}\n{head}");
        assert!(
            line.contains('%') && line.contains(" ms") && line.contains('×'),
            "{line}"
        );
    }
    assert!(text.contains("world: 500 clients"));
}

#[test]
fn scorecard_vs_puts_two_policies_side_by_side_with_b_minus_a() {
    // (the CSV's shape is a unit test of scorecard/table.rs)
    let b = serde_json::to_string(&policy("aws-sdk-standard", "no-quota", |c| {
        c.budget = BudgetConfig::None;
    }))
    .unwrap();
    let run = |format: &str| {
        let args = [
            "scorecard",
            "--preset",
            "aws-sdk-standard",
            "--vs",
            "-",
            "--seeds",
            "1",
            "--format",
            format,
        ];
        let out = herdsim(&args, Some(&b));
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let json: Value = serde_json::from_str(&run("json")).unwrap();
    assert_eq!(json["a"]["policy"], "aws-sdk-standard");
    assert_eq!(json["b"]["policy"], "no-quota");
    assert_eq!(json["better"]["availability"], "higher");
    assert_eq!(json["better"]["time_to_recover_ms"], "lower");
    let deltas = json["deltas"].as_array().unwrap();
    assert_eq!(deltas.len(), SCENARIOS.len());
    for d in deltas {
        let x = &d["amplification"];
        let (a, b) = (x["a"].as_f64().unwrap(), x["b"].as_f64().unwrap());
        assert!((x["delta"].as_f64().unwrap() - (b - a)).abs() < 1e-12);
    }
    let text = run("text");
    assert_eq!(
        text.lines().filter(|l| l.contains("B − A")).count(),
        SCENARIOS.len()
    );
}

#[test]
fn scorecard_libraries_has_every_library_preset_in_every_scenario() {
    let json = ok_json(&[
        "scorecard",
        "--libraries",
        "--seeds",
        "1",
        "--format",
        "json",
    ]);
    assert_eq!(json["policies"], serde_json::json!(LIBRARY_PRESETS));
    let groups = json["scenarios"].as_array().unwrap();
    assert_eq!(groups.len(), SCENARIOS.len());
    for (g, s) in groups.iter().zip(SCENARIOS) {
        assert_eq!(g["scenario"], s.name);
        let rows = g["rows"].as_array().unwrap();
        let policies: Vec<&str> = rows.iter().map(|r| r["policy"].as_str().unwrap()).collect();
        assert_eq!(policies, LIBRARY_PRESETS);
        rows.iter().for_each(assert_row_shape);
    }
}

#[test]
fn scorecard_bad_input_exits_2_naming_the_flag() {
    for (args, needles) in [
        (
            &["scorecard"][..],
            &["needs a scenario FILE", "--libraries"][..],
        ),
        (
            &["scorecard", "--preset", "gobreaker", "--seeds", "0"],
            &["--seeds must be a whole number from 1 to 1000, got \"0\""],
        ),
        (
            &["scorecard", "--preset", "gobreaker", "--seeds", "many"],
            &["--seeds", "\"many\""],
        ),
        (
            &["scorecard", "--preset", "gobreaker", "--seeds"],
            &["--seeds needs a value"],
        ),
        (
            &["scorecard", "--preset", "gobreaker", "--format", "xml"],
            &["--format must be one of json, csv, text"],
        ),
        (
            &["scorecard", "--preset", "nope"],
            &["unknown preset `nope`"],
        ),
        (
            &["scorecard", "--preset", "gobreaker", "--vs-preset", "nope"],
            &["unknown preset `nope`"],
        ),
        (
            &["scorecard", "f.json", "--preset", "gobreaker"],
            &["not both"],
        ),
        (
            &[
                "scorecard",
                "--preset",
                "gobreaker",
                "--vs",
                "b.json",
                "--vs-preset",
                "polly-v8",
            ],
            &["give one policy B", "--vs FILE2", "--vs-preset NAME2"],
        ),
        (
            &["scorecard", "--libraries", "--preset", "gobreaker"],
            &["--libraries", "--preset"],
        ),
        (
            &["scorecard", "--libraries", "--vs-preset", "gobreaker"],
            &["--libraries", "--vs-preset"],
        ),
        (
            &["scorecard", "--libraries", "--libraries"],
            &["--libraries is given twice"],
        ),
        (
            &["scorecard", "--libraries=yes"],
            &["--libraries takes no value"],
        ),
        (
            &[
                "scorecard",
                "--preset",
                "gobreaker",
                "--set",
                "clients.count=5",
            ],
            &["--set clients.count", "policy, breaker or budget"],
        ),
        (
            &[
                "scorecard",
                "--preset",
                "gobreaker",
                "--set",
                "policy.timeout_ms=0",
            ],
            &["policy.timeout_ms"],
        ),
        (
            &["scorecard", "--preset", "gobreaker", "--runs", "3"],
            &["unknown option --runs for scorecard", "--seeds"],
        ),
        (
            &[
                "scorecard",
                "--preset",
                "gobreaker",
                "--seed",
                "18446744073709551615",
                "--seeds",
                "2",
            ],
            &["--seeds 2 from seed 18446744073709551615"],
        ),
        (
            &["scorecard", "a.json", "b.json"],
            &["one scenario FILE, got a second: \"b.json\""],
        ),
        (
            &["scorecard", "missing.json"],
            &["cannot read missing.json"],
        ),
    ] {
        bad(args, None, needles);
    }
    bad(
        &["scorecard", "-", "--vs", "-"],
        None,
        &["--vs - and a scenario - both read standard input"],
    );
}

#[test]
fn scorecard_help_lists_its_flags_and_its_json() {
    let help = ok_text(&["help", "scorecard"]);
    assert_eq!(ok_text(&["scorecard", "--help"]), help);
    for f in [
        "--preset NAME",
        "--seeds K",
        "--seed N",
        "--set PATH=VALUE",
        "--vs FILE2",
        "--vs-preset NAME2",
        "--libraries",
        "--format FORMAT",
    ] {
        assert!(help.contains(f), "{f}");
    }
    for s in SCENARIOS {
        assert!(
            help.contains(s.name) && help.contains(s.description),
            "{}",
            s.name
        );
    }
    for m in Metric::ALL {
        assert!(help.contains(m.key()), "{}", m.key());
    }
    for word in [
        "\"rows\"",
        "\"deltas\"",
        "\"verdict\"",
        "\"policies\"",
        "\"missing\"",
    ] {
        assert!(help.contains(word), "{word}");
    }
    assert!(ok_text(&["--help"]).contains("herdsim scorecard --libraries"));
}
