//! `herdsim scorecard`: a client policy through the fault suite ([`herdsim::suite`]), every
//! (scenario, seed) job side by side on all cores; A/B with `--vs`; every library preset
//! with `--libraries`. Its flags fill [`Args`] (the scenario, `--seed`, `--seeds` as
//! `runs`, `--set`, `--format`) and [`Extra`] (the rest).

pub mod table;

use std::path::PathBuf;

use herdsim::batch::run_plans;
use herdsim::sim::ScenarioConfig;
use herdsim::suite::{self, Comparison, LibraryTable, Metric, Plan, Scorecard, SCENARIOS};

use crate::args::{self, Command};
use crate::commands::{emit, input_error, load, Failure};
use crate::defs::{preset_flag, seed_flag, Args, Flag, Format, Values, SCORECARD};

/// `scorecard`'s flags beyond those it shares with `run`.
#[derive(Debug, Default, PartialEq)]
pub struct Extra {
    /// `--vs FILE`: policy B from a file (`-`: standard input).
    pub vs_file: Option<PathBuf>,
    /// `--vs-preset NAME`: policy B from a preset.
    pub vs_preset: Option<String>,
    /// `--libraries`: every library preset's policy instead of one.
    pub libraries: bool,
    /// `--as-library LIBRARY`: policy B is A as that library runs its export.
    pub as_library: Option<herdsim::export::Library>,
}

/// Seeds a scorecard runs unless `--seeds` says otherwise.
pub const DEFAULT_SEEDS: u32 = 5;
/// Most seeds `--seeds` takes (the libraries view runs 60 jobs a seed).
pub const MAX_SEEDS: u64 = 1000;

/// The top-level fields a `--set` may change: the policy is all a scorecard takes.
const POLICY_FIELDS: &[&str] = &["policy", "breaker", "budget"];

/// `--format`'s words, in the order of [`Format`].
const FORMATS: &[&str] = &["json", "csv", "text"];

pub const FLAGS: &[Flag] = &[
    preset_flag("take the policy of a preset instead of a file"),
    Flag {
        name: "seeds",
        value: "K",
        help: "K seeds per scenario (default 5): means, min and max over them",
        values: Values::Whole {
            min: 1,
            max: MAX_SEEDS,
        },
        repeats: false,
        update: |f, v, r| {
            r.runs = u32::try_from(f.whole(&v)?).map_err(|_| f.invalid(&v))?;
            Ok(())
        },
    },
    seed_flag("the first seed (default 1): seeds N, N+1, ... for every scenario and policy"),
    Flag {
        name: "set",
        value: "PATH=VALUE",
        help: "override a policy field of the scenario first (policy.*, breaker.*, budget.*)",
        values: Values::Shape("a path under policy, breaker or budget and a value joined by =, e.g. policy.jitter.type=none"),
        repeats: true,
        update: |f, v, r| {
            let (path, val) = v.split_once('=').ok_or_else(|| f.invalid(&v))?;
            let path = path.trim();
            let top = path.split('.').next().unwrap_or_default();
            if !POLICY_FIELDS.contains(&top) {
                return Err(format!(
                    "--set {path}: a scorecard takes only the policy of the scenario, so only \
                     paths under policy, breaker or budget can change it (the world is the suite's)"
                ));
            }
            r.sets.push((path.to_string(), val.to_string()));
            Ok(())
        },
    },
    Flag {
        name: "vs",
        value: "FILE2",
        help: "policy B from a scenario file (- for standard input): A/B with B − A",
        values: Values::Shape("a scenario file's path"),
        repeats: false,
        update: |_, v, r| {
            r.scorecard.vs_file = Some(v.into());
            Ok(())
        },
    },
    Flag {
        name: "vs-preset",
        value: "NAME2",
        help: "policy B from a preset: A/B with B − A",
        values: Values::Shape("a preset's name (herdsim presets lists them)"),
        repeats: false,
        update: |_, v, r| {
            r.scorecard.vs_preset = Some(v);
            Ok(())
        },
    },
    Flag {
        name: "as-library",
        value: "LIBRARY",
        help: "policy B: A as LIBRARY runs it once exported (herdsim export --to LIBRARY): A/B",
        values: Values::OneOf(&herdsim::export::IDS),
        repeats: false,
        update: |f, v, r| {
            r.scorecard.as_library = Some(herdsim::export::Library::ALL[f.one_of(&v)?]);
            Ok(())
        },
    },
    Flag {
        name: "libraries",
        value: "",
        help: "every real library preset's policy (no scenario given), one table",
        values: Values::Switch,
        repeats: false,
        update: |_, _, r| {
            r.scorecard.libraries = true;
            Ok(())
        },
    },
    Flag {
        name: "format",
        value: "FORMAT",
        help: "text: aligned tables (the default), csv: a row per scenario, json: see below",
        values: Values::OneOf(FORMATS),
        repeats: false,
        update: |f, v, r| {
            r.format = [Format::Json, Format::Csv, Format::Text][f.one_of(&v)?];
            Ok(())
        },
    },
];

/// Parse `scorecard`'s arguments (after the command's name).
pub fn parse(p: &mut lexopt::Parser) -> Result<Command, String> {
    let defaults = Args {
        runs: DEFAULT_SEEDS,
        format: Format::Text,
        ..Args::default()
    };
    let Some(r) = args::read_flags(p, &SCORECARD, defaults)? else {
        return Ok(Command::Help(Some(&SCORECARD)));
    };
    check(&r)?;
    Ok(Command::Scorecard(r))
}

/// The combinations of flags that make sense.
fn check(r: &Args) -> Result<(), String> {
    let x = &r.scorecard;
    if x.libraries {
        let given = [
            (r.file.is_some(), "a scenario FILE"),
            (r.preset.is_some(), "--preset"),
            (x.vs_file.is_some(), "--vs"),
            (x.vs_preset.is_some(), "--vs-preset"),
            (x.as_library.is_some(), "--as-library"),
            (!r.sets.is_empty(), "--set"),
        ];
        if let Some((_, what)) = given.iter().find(|g| g.0) {
            return Err(format!(
                "--libraries runs the library presets' own policies: it takes no {what}"
            ));
        }
        return Ok(());
    }
    match (&r.file, &r.preset) {
        (None, None) => {
            return Err(
                "scorecard needs a scenario FILE, - for standard input, --preset NAME, \
                        or --libraries"
                    .into(),
            )
        }
        (Some(_), Some(_)) => {
            return Err("give either a scenario FILE or --preset NAME, not both".into())
        }
        _ => {}
    }
    let bs = [
        x.vs_file.is_some(),
        x.vs_preset.is_some(),
        x.as_library.is_some(),
    ];
    if bs.iter().filter(|b| **b).count() > 1 {
        return Err(
            "give one policy B: --vs FILE2, --vs-preset NAME2 or --as-library LIBRARY".into(),
        );
    }
    let stdin = |f: &Option<PathBuf>| f.as_ref().is_some_and(|f| f.as_os_str() == "-");
    if stdin(&r.file) && stdin(&x.vs_file) {
        return Err(
            "--vs - and a scenario - both read standard input: give one of them a file".into(),
        );
    }
    Ok(())
}

/// `herdsim scorecard`.
pub fn run(r: &Args) -> Result<(), Failure> {
    let first = r.seed.unwrap_or(1);
    let seeds = suite::seeds(first, r.runs).ok_or_else(|| {
        Failure::Input(format!(
            "--seeds {} from seed {first} goes past the largest seed, {}",
            r.runs,
            u64::MAX
        ))
    })?;
    let x = &r.scorecard;
    let text = if x.libraries {
        let plans = suite::library_plans(&seeds).map_err(|e| Failure::Input(e.to_string()))?;
        let cards = run_finished(&plans);
        let table = LibraryTable::of(&cards);
        match r.format {
            Format::Json => to_json(&table)?,
            Format::Csv => table::libraries_csv(&table),
            Format::Text => table::libraries_text(&table),
        }
    } else {
        let a = policy(r)?;
        let b = match (&x.vs_file, &x.vs_preset, x.as_library) {
            (_, _, Some(l)) => Some(
                herdsim::export::export(&a, l)
                    .map_err(input_error)?
                    .as_library,
            ),
            (None, None, None) => None,
            (file, preset, None) => Some(policy(&Args {
                file: file.clone(),
                preset: preset.clone(),
                ..Args::default()
            })?),
        };
        let plans = std::iter::once(&a)
            .chain(&b)
            .map(|cfg| Plan::new(cfg, &seeds))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| Failure::Input(e.to_string()))?;
        let mut cards = run_finished(&plans).into_iter();
        match (cards.next(), cards.next()) {
            (Some(a), None) => match r.format {
                Format::Json => to_json(&a)?,
                Format::Csv => table::scorecard_csv(&a),
                Format::Text => table::scorecard_text(&a),
            },
            (Some(a), Some(b)) => {
                let ab = Comparison::of(a, b);
                match r.format {
                    Format::Json => to_json(&ab)?,
                    Format::Csv => table::comparison_csv(&ab),
                    Format::Text => table::comparison_text(&ab),
                }
            }
            // a plan per policy, a scorecard per plan
            _ => String::new(),
        }
    };
    emit(&text)
}

/// The scenario of `r` (file, standard input or preset) with its `--set`s, for its policy.
fn policy(r: &Args) -> Result<ScenarioConfig, Failure> {
    let mut doc = load(r)?;
    for (path, value) in &r.sets {
        args::apply_set(&mut doc, path, value).map_err(Failure::Input)?;
    }
    ScenarioConfig::from_value(doc).map_err(input_error)
}

/// Run every job of `plans` on all cores, after the scenarios' warnings (once each), and
/// warn of runs stopped by a budget.
fn run_finished(plans: &[Plan]) -> Vec<Scorecard> {
    let mut warned: Vec<String> = vec![];
    for w in plans
        .iter()
        .flat_map(|p| p.scenarios())
        .flat_map(|s| s.warnings())
    {
        if !warned.contains(&w) {
            note!("herdsim: warning: {w}");
            warned.push(w);
        }
    }
    let cards = run_plans(plans);
    for card in &cards {
        for row in card.rows.iter().filter(|r| r.partial_runs > 0) {
            note!(
                "herdsim: warning: the policy of {} in {}: {} of {} runs stopped at their event or memory budget: their figures are partial",
                crate::output::escape(&card.policy),
                row.scenario,
                row.partial_runs,
                row.runs,
            );
        }
    }
    cards
}

/// `v` as pretty JSON, its fields in the order of the type (scenario first).
fn to_json<T: serde::Serialize>(v: &T) -> Result<String, Failure> {
    serde_json::to_string_pretty(v)
        .map(|s| s + "\n")
        .map_err(|e| Failure::Io(e.to_string()))
}

/// What `herdsim help scorecard` says after the flags: the suite, the columns, the JSON.
pub fn notes() -> String {
    let mut out = String::from(
        "\nwhat runs:\n  The client policy of the scenario (its policy, breaker and budget fields: timeouts,\n  \
         deadline, attempts, retry_on, backoff, jitter, breaker, budget) replaces the policy of\n  \
         each suite scenario. They share one world: 500 clients at 1 request/s each (Poisson,\n  \
         open loop) to a service of 8 workers × 10 ms (capacity 800 attempts/s, 62.5% load),\n  \
         queue 100, 2 ms network delay, 120 s in 500 ms buckets; each is disturbed from 20 s:\n",
    );
    let width = SCENARIOS.iter().map(|s| s.name.len()).max().unwrap_or(0);
    for s in SCENARIOS {
        out += &format!("    {:<width$}  {}\n", s.name, s.description);
    }
    out +=
        "  Every scenario runs with seeds N, N+1, ... (--seed, --seeds); every job on all cores.\n";
    let mut line = String::from("  --libraries: the policies of");
    for (i, name) in suite::LIBRARY_PRESETS.iter().enumerate() {
        let last = i + 1 == suite::LIBRARY_PRESETS.len();
        let word = format!(" {name}{}", if last { "." } else { "," });
        if line.len() + word.len() > 90 {
            out += &(line + "\n");
            line = String::from("   ");
        }
        line += &word;
    }
    out += &(line + "\n\ncolumns (text: the mean over the seeds):\n");
    let width = Metric::ALL.iter().map(|m| m.key().len()).max().unwrap_or(0);
    for m in Metric::ALL {
        out += &format!("  {:<width$}  {}\n", m.key(), m.help());
    }
    out += "\njson:\n  \
        a scorecard: {\"policy\": NAME, \"seeds\": [N, ...], \"rows\": [ROW, ...]}, a row per scenario\n  \
        ROW: {\"scenario\", \"policy\", \"runs\", \"partial_runs\" (stopped by a budget), and for each\n    \
        column above {\"mean\", \"min\", \"max\", \"missing\"}}: over the runs with a figure;\n    \
        missing counts those without (none succeeded; for time_to_recover_ms, never\n    \
        recovered: then mean and max are null, min the fastest that did)\n  \
        --vs: {\"a\": SCORECARD, \"b\": SCORECARD, \"better\": {COLUMN: \"higher\"|\"lower\"|\"neutral\"},\n    \
        \"deltas\": [{\"scenario\", COLUMN: {\"a\", \"b\", \"delta\" (b - a of the means),\n    \
        \"verdict\": \"better\"|\"worse\"|\"same\"|null (for b)}}, ...]}\n  \
        --libraries: {\"seeds\", \"policies\": [PRESET, ...], \"scenarios\": [{\"scenario\",\n    \
        \"description\", \"rows\": [ROW, ...] (a row per policy)}, ...]}\n\
        \ncsv: a row per scenario (--libraries: per scenario and policy; --vs: a column side, a\n  \
        and b rows, then b-a rows of the deltas), COLUMN_mean, _min, _max, _missing (--vs: and\n  \
        _verdict) columns; an empty cell where there is no figure.\n";
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scorecard(v: &[&str]) -> Result<Args, String> {
        match args::parse(std::iter::once("scorecard").chain(v.iter().copied()))? {
            Command::Scorecard(r) => Ok(r),
            c => panic!("{v:?} gave {c:?}"),
        }
    }

    #[test]
    fn defaults_are_five_seeds_from_1_as_text() {
        let r = scorecard(&["--preset", "gobreaker"]).unwrap();
        assert_eq!((r.runs, r.seed, r.format), (5, None, Format::Text));
        assert_eq!(r.preset.as_deref(), Some("gobreaker"));
        assert_eq!(r.scorecard, Extra::default());
        let r = scorecard(&["--libraries"]).unwrap();
        assert!(r.scorecard.libraries);
    }

    #[test]
    fn every_flag_takes_its_value_after_an_equals_sign_too() {
        for (flag, value) in [
            ("seeds", "3"),
            ("seed", "9"),
            ("set", "policy.max_attempts=1"),
            ("vs", "b.json"),
            ("vs-preset", "polly-v8"),
            ("as-library", "grpc"),
            ("format", "json"),
        ] {
            let base = ["a.json"];
            let (long, joined) = (format!("--{flag}"), format!("--{flag}={value}"));
            let apart = scorecard(&[&base[..], &[&long, value]].concat());
            assert_eq!(
                apart,
                scorecard(&[&base[..], &[&joined]].concat()),
                "--{flag}"
            );
            assert_ne!(apart, scorecard(&base), "--{flag} did something");
        }
        let joined = scorecard(&["--preset=polly-v8"]).unwrap();
        assert_eq!(joined.preset.as_deref(), Some("polly-v8"));
        assert_eq!(FLAGS.len(), 9, "a new flag wants a line above");
    }
}
