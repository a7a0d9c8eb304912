//! `herdsim tune` (the best policy over the fault suite, [`herdsim::tune::search`], each
//! stage's jobs on every core) and `herdsim advise` (the analytic panel and the lints,
//! [`herdsim::tune::analysis`], [`herdsim::tune::lints`]). Their flags fill [`Args`]
//! (the scenario, `--seed`, `--seeds` as `runs`, `--format`) and [`Extra`].

use herdsim::batch::{run_jobs, threads_for, within_memory};
use herdsim::suite::{self, Metric, RunFigures, Verdict};
use herdsim::sweep::Vary;
use herdsim::tune::analysis::{self, Analysis, Fit, Options};
use herdsim::tune::lints::{self, Lint};
use herdsim::tune::search::{self, Constraint, Objective, Over, Report, Spec, Tuner};
use herdsim::units::{count, duration_ms, sig3};

use crate::args::{self, Command};
use crate::commands::{emit, input_error, load, Failure};
use crate::defs::{preset_flag, seed_flag, text_or_json, Args, Flag, Format, Values, ADVISE, TUNE};
use crate::output::escape;
use crate::scorecard::table::{render, scorecard_text, Line};

/// `tune`'s and `advise`'s flags beyond those they share with `run`.
#[derive(Debug, PartialEq)]
pub struct Extra {
    /// `--unlock`: the axes, in order.
    pub unlock: Vec<Vary>,
    /// `--require`: the constraints.
    pub require: Vec<Constraint>,
    /// `--minimise` / `--maximise`.
    pub objective: Option<Objective>,
    /// `--pareto M1,M2`.
    pub pareto: Option<[(Metric, Over); 2]>,
    /// `--grid`: no finer second stage.
    pub grid_only: bool,
    /// `advise --layers`.
    pub layers: u32,
    /// `advise --rate`.
    pub rate: Option<f64>,
}

impl Default for Extra {
    fn default() -> Extra {
        Extra {
            unlock: vec![],
            require: vec![],
            objective: None,
            pareto: None,
            grid_only: false,
            layers: 1,
            rate: None,
        }
    }
}

/// Seeds per suite scenario unless `--seeds` says otherwise.
pub const DEFAULT_SEEDS: u32 = 2;

const PRESET: Flag = preset_flag("start from the policy of a preset instead of a file");

fn objective(goal: &str, v: &str, r: &mut Args) -> Result<(), String> {
    if r.tune.objective.is_some() {
        return Err("give one objective: --minimise or --maximise, once".into());
    }
    r.tune.objective = Some(Objective::parse(goal, v).map_err(|e| format!("--{goal} {e}"))?);
    Ok(())
}

pub const TUNE_FLAGS: &[Flag] = &[
    PRESET,
    Flag {
        name: "unlock",
        value: "PATH=LO..HI:STEPS[:log]",
        help: "search a policy field over STEPS values from LO to HI (as sweep --vary)",
        values: Values::Shape(
            "a path under policy, breaker or budget, LO..HI and STEPS from 1 to 100; :log for \
             log spacing; e.g. policy.max_attempts=1..5:5",
        ),
        repeats: true,
        update: |_, v, r| {
            let a = Vary::parse(&v).map_err(|e| format!("--unlock {e}"))?;
            let top = a.path().split('.').next().unwrap_or_default();
            if !search::POLICY_FIELDS.contains(&top) {
                return Err(format!(
                    "--unlock {}: only fields under policy, breaker or budget can be unlocked \
                     (the suite's world is fixed)",
                    a.path()
                ));
            }
            r.tune.unlock.push(a);
            Ok(())
        },
    },
    Flag {
        name: "require",
        value: "METRIC<=VALUE[:mean]",
        help: "a constraint, in every scenario (:mean: on the mean over them); may use >=",
        values: Values::Shape("a scorecard metric, <= or >=, a number; e.g. amplification<=1.2"),
        repeats: true,
        update: |_, v, r| {
            r.tune
                .require
                .push(Constraint::parse(&v).map_err(|e| format!("--require {e}"))?);
            Ok(())
        },
    },
    Flag {
        name: "minimise",
        value: "METRIC[:sum|:worst|:mean]",
        help: "what the best policy minimises (default: failed_requests, summed)",
        values: Values::Shape("a scorecard metric, then how the scenarios add up"),
        repeats: false,
        update: |_, v, r| objective("minimise", &v, r),
    },
    Flag {
        name: "maximise",
        value: "METRIC[:sum|:worst|:mean]",
        help: "what the best policy maximises instead",
        values: Values::Shape("a scorecard metric, then how the scenarios add up"),
        repeats: false,
        update: |_, v, r| objective("maximise", &v, r),
    },
    Flag {
        name: "pareto",
        value: "M1,M2",
        help: "the Pareto front of two metrics (each may take :sum, :worst or :mean)",
        values: Values::Shape("two scorecard metrics joined by a comma"),
        repeats: false,
        update: |f, v, r| {
            let Some((a, b)) = v.split_once(',') else {
                return Err(f.invalid(&v));
            };
            let read = |m: &str| Over::parse_metric(m).map_err(|e| format!("--pareto {e}"));
            r.tune.pareto = Some([read(a)?, read(b)?]);
            Ok(())
        },
    },
    Flag {
        name: "seeds",
        value: "K",
        help: "K seeds per scenario and candidate (default 2)",
        values: Values::Whole {
            min: 1,
            max: search::MAX_SEEDS as u64,
        },
        repeats: false,
        update: |f, v, r| {
            r.runs = u32::try_from(f.whole(&v)?).map_err(|_| f.invalid(&v))?;
            Ok(())
        },
    },
    seed_flag("the first seed (default 1)"),
    Flag {
        name: "grid",
        value: "",
        help: "run the grid only, not the finer grid around its best point",
        values: Values::Switch,
        repeats: false,
        update: |_, _, r| {
            r.tune.grid_only = true;
            Ok(())
        },
    },
    text_or_json("text: the best policy and tables (the default), json: the whole report"),
];

pub const ADVISE_FLAGS: &[Flag] = &[
    PRESET,
    Flag {
        name: "layers",
        value: "L",
        help: "layers of the call chain that each retry like this (default 1)",
        values: Values::Whole {
            min: 1,
            max: analysis::MAX_LAYERS as u64,
        },
        repeats: false,
        update: |f, v, r| {
            r.tune.layers = u32::try_from(f.whole(&v)?).map_err(|_| f.invalid(&v))?;
            Ok(())
        },
    },
    Flag {
        name: "rate",
        value: "R",
        help: "the arrival rate for Little's law, requests/s (default: the scenario's)",
        values: Values::Shape("a number of requests per second, at least 0"),
        repeats: false,
        update: |f, v, r| {
            let x: f64 = v
                .trim()
                .parse()
                .ok()
                .filter(|x: &f64| x.is_finite() && *x >= 0.0)
                .ok_or_else(|| f.invalid(&v))?;
            r.tune.rate = Some(x);
            Ok(())
        },
    },
    text_or_json("text: the panel and the lints (the default), json: both as data"),
];

fn scenario_given(r: &Args, name: &str) -> Result<(), String> {
    match (&r.file, &r.preset) {
        (None, None) => Err(format!(
            "{name} needs a scenario FILE, - for standard input, or --preset NAME"
        )),
        (Some(_), Some(_)) => Err("give either a scenario FILE or --preset NAME, not both".into()),
        _ => Ok(()),
    }
}

/// Parse `tune`'s arguments (after the command's name).
pub fn parse_tune(p: &mut lexopt::Parser) -> Result<Command, String> {
    let defaults = Args {
        runs: DEFAULT_SEEDS,
        format: Format::Text,
        ..Args::default()
    };
    let Some(r) = args::read_flags(p, &TUNE, defaults)? else {
        return Ok(Command::Help(Some(&TUNE)));
    };
    scenario_given(&r, "tune")?;
    if r.tune.unlock.is_empty() {
        return Err(
            "tune needs --unlock PATH=LO..HI:STEPS, e.g. --unlock policy.max_attempts=1..5:5"
                .into(),
        );
    }
    Ok(Command::Tune(r))
}

/// Parse `advise`'s arguments.
pub fn parse_advise(p: &mut lexopt::Parser) -> Result<Command, String> {
    let defaults = Args {
        format: Format::Text,
        ..Args::default()
    };
    let Some(r) = args::read_flags(p, &ADVISE, defaults)? else {
        return Ok(Command::Help(Some(&ADVISE)));
    };
    scenario_given(&r, "advise")?;
    Ok(Command::Advise(r))
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<String, Failure> {
    serde_json::to_string_pretty(v)
        .map(|s| s + "\n")
        .map_err(|e| Failure::Io(e.to_string()))
}

/// `herdsim tune`.
pub fn tune(r: &Args) -> Result<(), Failure> {
    let policy = herdsim::sim::ScenarioConfig::from_value(load(r)?).map_err(input_error)?;
    let first = r.seed.unwrap_or(1);
    let seeds = suite::seeds(first, r.runs).ok_or_else(|| {
        Failure::Input(format!(
            "--seeds {} from seed {first} goes past the largest seed, {}",
            r.runs,
            u64::MAX
        ))
    })?;
    let x = &r.tune;
    let default_objective = Objective::parse("minimise", "failed_requests")
        .map_err(|e| Failure::Input(e.to_string()))?;
    let spec = Spec {
        policy,
        unlock: x.unlock.clone(),
        require: x.require.clone(),
        objective: x.objective.unwrap_or(default_objective),
        pareto: x.pareto,
        seeds,
        refine: !x.grid_only,
    };
    let mut tuner = Tuner::new(spec).map_err(|e| {
        Failure::Input(match e.field {
            "runs" => format!("--unlock and --seeds: {}", e.message),
            "policy" => format!("the scenario's policy: {}", e.message),
            f => format!("--{f} {}", e.message),
        })
    })?;
    while !tuner.finished() {
        let figures: Vec<RunFigures> = {
            let jobs = tuner.jobs();
            let memory = jobs
                .iter()
                .map(|j| j.job.scenario.max_memory())
                .max()
                .unwrap_or(0);
            let threads = threads_for(jobs.len()).min(within_memory(memory));
            run_jobs(&jobs, threads, |j| j.run())
        };
        tuner
            .take(&figures)
            .map_err(|e| Failure::Io(e.to_string()))?;
    }
    let report = tuner
        .report()
        .ok_or_else(|| Failure::Io("the search did not finish".into()))?;
    emit(&match r.format {
        Format::Json => to_json(&report)?,
        _ => tune_text(&report),
    })
}

fn settings(c: &search::Evaluated) -> String {
    c.settings
        .iter()
        .map(|s| format!("{} = {}", s.path, s.text))
        .collect::<Vec<_>>()
        .join(", ")
}

fn figure(m: Metric, x: Option<f64>) -> String {
    x.map_or_else(|| m.missing_words().into(), |x| m.quantity().show(x))
}

/// The report as people read it.
pub fn tune_text(r: &Report) -> String {
    let o = &r.objective;
    let n = r.candidates.len();
    let feasible = r.candidates.iter().filter(|c| c.feasible).count();
    let stage2 = r.candidates.iter().filter(|c| c.stage == 2).count();
    let mut out = format!(
        "tune: the policy of {} through the fault suite, {} seed(s) a scenario; unlocked: {}\n\
         search: {} ({} on the grid{}), {feasible} of {n} feasible\n",
        escape(&r.current.scorecard.policy),
        r.seeds.len(),
        r.unlocked.join(", "),
        r.search,
        n - stage2,
        if r.search == "grid" {
            String::new()
        } else {
            format!(", then {stage2} on a finer grid around the best")
        },
    );
    out += &format!(
        "require: {}\nobjective: {}\n\n",
        if r.require.is_empty() {
            "nothing".to_string()
        } else {
            r.require.join(", ") + " (in every scenario unless :mean)"
        },
        o.text()
    );
    match r.best {
        None => {
            out += "no candidate meets every constraint. The closest:\n";
            let mut by: Vec<&search::Evaluated> = r.candidates.iter().collect();
            by.sort_by_key(|c| c.violations.len());
            for c in by.iter().take(3) {
                let v = &c.violations[..c.violations.len().min(3)];
                let words: Vec<String> = v
                    .iter()
                    .map(|v| {
                        format!(
                            "{} broken{} ({})",
                            v.constraint,
                            v.scenario
                                .as_ref()
                                .map_or(" on the mean".to_string(), |s| format!(" in {s}")),
                            v.value.map_or("no figure".into(), sig3)
                        )
                    })
                    .collect();
                out += &format!("  {}: {}\n", settings(c), words.join("; "));
            }
        }
        Some(b) => {
            let best = &r.candidates[b];
            out += &format!(
                "best: {} ({}: {})\napply: {}\n\n",
                settings(best),
                o.metric.key(),
                figure(o.metric, best.objective),
                r.apply
                    .iter()
                    .map(|(p, v)| format!("--set {p}={v}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            );
            out += &format!(
                "against the current policy ({}), over the scenarios:\n",
                settings(&r.current)
            );
            let head: Vec<String> = ["metric", "over", "current", "best", "best − current"]
                .iter()
                .map(|s| s.to_string())
                .collect();
            let lines: Vec<Line> = r
                .beats
                .iter()
                .map(|b| {
                    let q = b.metric.quantity();
                    let mark = match b.verdict {
                        Some(Verdict::Better) => " ✓",
                        Some(Verdict::Worse) => " ✗",
                        _ => "",
                    };
                    Line::Cells(vec![
                        b.metric.label().into(),
                        format!("{:?}", b.over).to_lowercase(),
                        figure(b.metric, b.current),
                        figure(b.metric, b.best),
                        b.delta.map_or("—".into(), |d| q.delta(d)) + mark,
                    ])
                })
                .collect();
            out += &render(&head, &lines, 2);
            out += "\nits ";
            out += &scorecard_text(&best.scorecard);
        }
    }
    if let Some(p) = &r.pareto {
        let [(ma, oa), (mb, ob)] = p.axes;
        out += &format!(
            "\npareto front ({} {}, {} {}) of the {} candidates:\n",
            ma.key(),
            format!("{oa:?}").to_lowercase(),
            mb.key(),
            format!("{ob:?}").to_lowercase(),
            if p.feasible_only {
                "feasible"
            } else {
                "(none feasible) "
            }
        );
        let head = vec![
            ma.label().to_string(),
            mb.label().to_string(),
            "candidate".into(),
        ];
        let lines: Vec<Line> = p
            .front
            .iter()
            .map(|&(i, x, y)| {
                Line::Cells(vec![
                    ma.quantity().show(x),
                    mb.quantity().show(y),
                    settings(&r.candidates[i]),
                ])
            })
            .collect();
        out += &render(&head, &lines, 0);
    }
    for s in &r.skipped {
        out += &format!("skipped (does not validate): {s}\n");
    }
    out
}

/// `herdsim advise`.
pub fn advise(r: &Args) -> Result<(), Failure> {
    let cfg = herdsim::sim::ScenarioConfig::from_value(load(r)?).map_err(input_error)?;
    let sc = cfg.validate().map_err(input_error)?;
    let opt = Options {
        layers: r.tune.layers,
        arrival_per_s: r.tune.rate,
    };
    opt.check().map_err(Failure::Input)?;
    let a = analysis::analyse(&sc, &opt);
    let found = lints::lints(&sc, opt.layers);
    emit(&match r.format {
        Format::Json => to_json(&serde_json::json!({
            "scenario": cfg.name,
            "analysis": a,
            "lints": found,
        }))?,
        _ => advise_text(&cfg.name, &a, &found),
    })
}

fn ms(x: f64) -> String {
    duration_ms(x)
}

/// The panel and the lints as people read them.
pub fn advise_text(name: &str, a: &Analysis, found: &[Lint]) -> String {
    let mut out = format!(
        "advise: {}: timeout {}, deadline {}, {} attempts\n\n",
        escape(name),
        a.timeout_ms.map_or("none".into(), ms),
        a.deadline_ms.map_or("none".into(), ms),
        a.max_attempts
            .map_or("unlimited".into(), |m| count(u64::from(m)))
    );
    if a.schedule.is_empty() {
        out += "no retries: one attempt per request\n";
    } else {
        out += "delay before each retry, and when it goes out if every attempt times out:\n";
        let head: Vec<String> = [
            "retry",
            "min",
            "median",
            "max",
            "mean",
            "total min",
            "total mean",
            "total max",
            "sent (timeouts)",
            "deadline",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let lines: Vec<Line> = a
            .schedule
            .iter()
            .map(|s| {
                let d = &s.delay;
                Line::Cells(vec![
                    s.retry.to_string(),
                    ms(d.min_ms),
                    ms(d.median_ms),
                    ms(d.max_ms),
                    ms(d.mean_ms),
                    ms(s.cumulative_min_ms),
                    ms(s.cumulative_mean_ms),
                    ms(s.cumulative_max_ms),
                    s.sent_after_timeouts_ms
                        .map_or("never (no timeout)".into(), |[lo, hi]| {
                            if lo == hi {
                                ms(lo)
                            } else {
                                format!("{} – {}", ms(lo), ms(hi))
                            }
                        }),
                    match (a.deadline_ms, s.within_deadline) {
                        (None, _) => "no deadline",
                        (_, Fit::Always) => "fits",
                        (_, Fit::Sometimes) => "sometimes",
                        (_, Fit::Never) => "too late",
                    }
                    .into(),
                ])
            })
            .collect();
        out += &render(&head, &lines, 0);
        if a.schedule_truncated {
            out += &format!("(the first {} retries)\n", a.schedule.len());
        }
    }
    out += "\n";
    for line in a.findings() {
        out += &escape(&line);
        out += "\n";
    }
    if found.is_empty() {
        out += "\nlints: none apply\n";
    } else {
        out += &format!("\nlints ({}):\n", found.len());
        for f in found {
            out += &format!(
                "  {}: {}\n    why: {}\n    source: {}\n",
                f.id.name(),
                f.message,
                f.reason,
                f.source
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tune_args(v: &[&str]) -> Result<Args, String> {
        match args::parse(std::iter::once("tune").chain(v.iter().copied()))? {
            Command::Tune(r) => Ok(r),
            c => panic!("{v:?} gave {c:?}"),
        }
    }

    fn advise_args(v: &[&str]) -> Result<Args, String> {
        match args::parse(std::iter::once("advise").chain(v.iter().copied()))? {
            Command::Advise(r) => Ok(r),
            c => panic!("{v:?} gave {c:?}"),
        }
    }

    #[test]
    fn parses_a_full_tune_line_and_its_defaults() {
        let r = tune_args(&[
            "--preset",
            "aws-sdk-standard",
            "--unlock",
            "policy.max_attempts=1..5:5",
            "--unlock=policy.backoff.base_ms=10..1000:3:log",
            "--require",
            "amplification<=1.2",
            "--require=time_to_recover_ms<=5000:mean",
            "--maximise",
            "availability:mean",
            "--pareto",
            "failed_requests,success_p99_ms",
            "--seeds",
            "3",
            "--seed",
            "7",
            "--grid",
            "--format",
            "json",
        ])
        .unwrap();
        assert_eq!(r.tune.unlock.len(), 2);
        assert_eq!(r.tune.require[1].text(), "time_to_recover_ms<=5000:mean");
        let o = r.tune.objective.unwrap();
        assert_eq!((o.metric, o.over), (Metric::Availability, Over::Mean));
        assert_eq!(
            r.tune.pareto,
            Some([
                (Metric::FailedRequests, Over::Sum),
                (Metric::SuccessP99, Over::Worst)
            ])
        );
        assert_eq!((r.runs, r.seed, r.format), (3, Some(7), Format::Json));
        assert!(r.tune.grid_only);
        let d = tune_args(&["f", "--unlock", "policy.max_attempts=1..2:2"]).unwrap();
        assert_eq!(
            (d.runs, d.format, d.tune.objective),
            (2, Format::Text, None)
        );
        assert_eq!(TUNE_FLAGS.len(), 10, "a new flag wants a line above");
    }

    #[test]
    fn bad_tune_and_advise_arguments_name_the_flag() {
        let u = "policy.max_attempts=1..5:5";
        for (args, needle) in [
            (vec!["f"], "tune needs --unlock PATH=LO..HI:STEPS"),
            (vec!["--unlock", u], "tune needs a scenario FILE"),
            (
                vec!["f", "--unlock", "clients.count=1..5:5"],
                "--unlock clients.count: only fields under policy, breaker or budget",
            ),
            (
                vec!["f", "--unlock", "policy.max_attempts=1..5"],
                "--unlock policy.max_attempts=1..5: the number of steps is missing",
            ),
            (
                vec!["f", "--unlock", u, "--require", "amplification<1"],
                "--require \"amplification<1\" is not METRIC<=VALUE",
            ),
            (
                vec!["f", "--unlock", u, "--require", "nope<=1"],
                "--require unknown metric \"nope\"",
            ),
            (
                vec!["f", "--unlock", u, "--minimise", "x"],
                "--minimise unknown metric \"x\"",
            ),
            (
                vec![
                    "f",
                    "--unlock",
                    u,
                    "--minimise",
                    "failed_requests",
                    "--maximise",
                    "availability",
                ],
                "give one objective",
            ),
            (
                vec!["f", "--unlock", u, "--pareto", "availability"],
                "--pareto must be two scorecard metrics joined by a comma",
            ),
            (
                vec!["f", "--unlock", u, "--seeds", "0"],
                "--seeds must be a whole number from 1 to 100",
            ),
            (
                vec!["f", "--unlock", u, "--format", "csv"],
                "--format must be one of text, json",
            ),
            (
                vec!["f", "--unlock", u, "--layers", "2"],
                "unknown option --layers for tune",
            ),
        ] {
            let e = args::parse(std::iter::once("tune").chain(args.iter().copied())).unwrap_err();
            assert!(e.contains(needle), "{args:?}: {e}");
        }
        for (args, needle) in [
            (vec![], "advise needs a scenario FILE"),
            (
                vec!["f", "--layers", "0"],
                "--layers must be a whole number from 1 to 10",
            ),
            (vec!["f", "--layers", "11"], "got \"11\""),
            (
                vec!["f", "--rate", "-1"],
                "--rate must be a number of requests per second",
            ),
            (vec!["f", "--rate", "inf"], "--rate must be"),
            (
                vec!["f", "--unlock", "x"],
                "unknown option --unlock for advise",
            ),
        ] {
            let e = args::parse(std::iter::once("advise").chain(args.iter().copied())).unwrap_err();
            assert!(e.contains(needle), "{args:?}: {e}");
        }
        let a = advise_args(&["--preset", "herd-no-jitter", "--layers=3", "--rate", "50"]).unwrap();
        assert_eq!(
            (a.tune.layers, a.tune.rate, a.format),
            (3, Some(50.0), Format::Text)
        );
    }
}
