//! The commands and their flags, each defined once: a [`Flag`] has its name, value name,
//! help, allowed values, whether it may repeat and how it updates [`Args`]; a [`Cmd`]
//! its usage lines and flags (`run` and `sweep` share the definitions of the flags they
//! both take). The parser (`args.rs`) and the help text both read them, after ripgrep's
//! `flags/defs.rs`.

use std::fmt;
use std::path::PathBuf;

use herdsim::sweep::{self, Metric, Vary};

/// What `run` or `sweep` prints.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
pub enum Format {
    Json,
    Csv,
    Text,
}

/// `--format`'s words, in the order of [`Format`].
const FORMATS: &[&str] = &["json", "csv", "text"];

/// The arguments of `run` and `sweep`, as the flags leave them (each command reads the
/// fields of the flags it takes).
#[derive(Debug, PartialEq)]
pub struct Args {
    pub file: Option<PathBuf>,
    pub preset: Option<String>,
    pub seed: Option<u64>,
    pub runs: u32,
    pub sets: Vec<(String, String)>,
    pub format: Format,
    /// `scorecard`'s own flags (its scenario, `--seeds`, `--set` and `--format` are the
    /// fields above).
    pub scorecard: crate::scorecard::Extra,
    /// `tune`'s and `advise`'s own flags.
    pub tune: crate::tune::Extra,
    /// `sweep`: the axes, in order.
    pub varies: Vec<Vary>,
    /// `sweep`: seeds a point.
    pub seeds: u32,
    /// `sweep`: the metrics, in order (none: [`sweep::DEFAULT_METRICS`]).
    pub metrics: Vec<Metric>,
    /// `sweep`: threads (none: one per core).
    pub threads: Option<usize>,
    /// `export --to`.
    pub export_to: Option<herdsim::export::Library>,
    /// `run --target`: an uptime target (percent) the text report measures the downtime by.
    pub target: Option<f64>,
}

impl Default for Args {
    fn default() -> Args {
        Args {
            file: None,
            preset: None,
            seed: None,
            runs: 1,
            sets: vec![],
            format: Format::Json,
            scorecard: crate::scorecard::Extra::default(),
            tune: crate::tune::Extra::default(),
            varies: vec![],
            seeds: 1,
            metrics: vec![],
            threads: None,
            export_to: None,
            target: None,
        }
    }
}

/// What a flag's value may be; read by its error messages and its help.
#[derive(Debug, PartialEq)]
pub enum Values {
    /// A whole number in `min..=max`.
    Whole { min: u64, max: u64 },
    /// One of these words.
    OneOf(&'static [&'static str]),
    /// Free text of this shape.
    Shape(&'static str),
    /// No value: the flag alone switches something on.
    Switch,
}

impl fmt::Display for Values {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Values::Whole { min, max } => write!(f, "a whole number from {min} to {max}"),
            Values::OneOf(words) => write!(f, "one of {}", words.join(", ")),
            Values::Shape(s) => f.write_str(s),
            Values::Switch => f.write_str("no value"),
        }
    }
}

/// One option of a command.
pub struct Flag {
    /// Its long name, without the dashes.
    pub name: &'static str,
    /// Its value's name in the help, e.g. `N`.
    pub value: &'static str,
    /// One line for the help.
    pub help: &'static str,
    pub values: Values,
    /// Whether it may be given more than once (each adds to the last); otherwise a second
    /// one is refused.
    pub repeats: bool,
    /// Check the raw value and record it.
    pub update: fn(&Flag, String, &mut Args) -> Result<(), String>,
}

impl fmt::Debug for Flag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "--{}", self.name)
    }
}

impl PartialEq for Flag {
    fn eq(&self, other: &Flag) -> bool {
        self.name == other.name
    }
}

impl Flag {
    /// The message for a value it does not allow.
    pub fn invalid(&self, raw: &str) -> String {
        format!("--{} must be {}, got \"{raw}\"", self.name, self.values)
    }

    /// `raw` as a whole number within [`Values::Whole`]'s range.
    pub fn whole(&self, raw: &str) -> Result<u64, String> {
        match self.values {
            Values::Whole { min, max } => raw
                .parse()
                .ok()
                .filter(|n| (min..=max).contains(n))
                .ok_or_else(|| self.invalid(raw)),
            _ => Err(self.invalid(raw)),
        }
    }

    /// The position of `raw` among [`Values::OneOf`]'s words.
    pub fn one_of(&self, raw: &str) -> Result<usize, String> {
        match self.values {
            Values::OneOf(words) => words
                .iter()
                .position(|w| *w == raw)
                .ok_or_else(|| self.invalid(raw)),
            _ => Err(self.invalid(raw)),
        }
    }
}

/// The most runs `--runs` takes: enough for a distribution, few enough to finish.
pub const MAX_RUNS: u64 = 10_000;

/// `--preset NAME`, the scenario or policy of a preset, said as `help` (every command
/// that reads a scenario has it).
pub const fn preset_flag(help: &'static str) -> Flag {
    Flag {
        name: "preset",
        value: "NAME",
        help,
        values: Values::Shape("a preset's name (herdsim presets lists them)"),
        repeats: false,
        update: |_, v, r| {
            r.preset = Some(v);
            Ok(())
        },
    }
}

/// `--format text|json`, text the default, said as `help` (the commands that print a
/// report or JSON: tune, advise, export, uptime).
pub const fn text_or_json(help: &'static str) -> Flag {
    Flag {
        name: "format",
        value: "FORMAT",
        help,
        values: Values::OneOf(&["text", "json"]),
        repeats: false,
        update: |f, v, r| {
            r.format = [Format::Text, Format::Json][f.one_of(&v)?];
            Ok(())
        },
    }
}

/// `--seed N`, the (first) seed, said as `help`.
pub const fn seed_flag(help: &'static str) -> Flag {
    Flag {
        name: "seed",
        value: "N",
        help,
        values: Values::Whole {
            min: 0,
            max: u64::MAX,
        },
        repeats: false,
        update: |f, v, r| {
            r.seed = Some(f.whole(&v)?);
            Ok(())
        },
    }
}

const PRESET: Flag = preset_flag("start from a preset instead of a file");

const SEED: Flag = seed_flag("the seed (default: the scenario's)");

const RUNS: Flag = Flag {
    name: "runs",
    value: "K",
    help: "K runs, seeds N, N+1, ...: mean, min and max (csv: a row per run)",
    values: Values::Whole {
        min: 1,
        max: MAX_RUNS,
    },
    repeats: false,
    update: |f, v, r| {
        r.runs = u32::try_from(f.whole(&v)?).map_err(|_| f.invalid(&v))?;
        Ok(())
    },
};

const SET: Flag = Flag {
    name: "set",
    value: "PATH=VALUE",
    help: "override a scenario field (VALUE is read as JSON, or else as a string)",
    values: Values::Shape("a field path and a value joined by =, e.g. clients.count=1000"),
    repeats: true,
    update: |f, v, r| {
        let (path, val) = v.split_once('=').ok_or_else(|| f.invalid(&v))?;
        r.sets.push((path.trim().to_string(), val.to_string()));
        Ok(())
    },
};

const FORMAT: Flag = Flag {
    name: "format",
    value: "FORMAT",
    help: "json: the summary, csv: the time series, text: a report",
    values: Values::OneOf(FORMATS),
    repeats: false,
    update: |f, v, r| {
        r.format = [Format::Json, Format::Csv, Format::Text][f.one_of(&v)?];
        Ok(())
    },
};

const TARGET: Flag = Flag {
    name: "target",
    value: "PERCENT",
    help: "text report: the downtime's share of a month's budget at this uptime target",
    values: Values::Shape("a percentage from 0 to 100, e.g. 99.9"),
    repeats: false,
    update: |f, v, r| {
        r.target = Some(herdsim::uptime::read_target(&v).map_err(|_| f.invalid(&v))?);
        Ok(())
    },
};

const RUN_FLAGS: &[Flag] = &[PRESET, SEED, RUNS, SET, FORMAT, TARGET];

/// Most `--vary` a sweep takes: a line or a grid.
pub const MAX_VARY: usize = sweep::MAX_AXES;

const VARY: Flag = Flag {
    name: "vary",
    value: "PATH=LO..HI:STEPS[:log]",
    help: "vary a numeric field over STEPS values from LO to HI (once: a line, twice: a grid)",
    values: Values::Shape(
        "a field path as --set takes it, LO..HI and STEPS from 1 to 100; :log for log \
         spacing; e.g. policy.max_attempts=1..5:5",
    ),
    repeats: true,
    update: |_, v, r| {
        r.varies
            .push(Vary::parse(&v).map_err(|e| format!("--vary {e}"))?);
        Ok(())
    },
};

const SEEDS: Flag = Flag {
    name: "seeds",
    value: "K",
    help: "K seeds a point, N, N+1, ... as run --runs K (default 1)",
    values: Values::Whole {
        min: 1,
        max: sweep::MAX_SEEDS as u64,
    },
    repeats: false,
    update: |f, v, r| {
        r.seeds = u32::try_from(f.whole(&v)?).map_err(|_| f.invalid(&v))?;
        Ok(())
    },
};

const METRIC: Flag = Flag {
    name: "metric",
    value: "NAME",
    help: "a summary figure to measure (default: those listed below)",
    values: Values::Shape("a numeric field of the summary, listed below"),
    repeats: true,
    update: |_, v, r| {
        let m = Metric::parse(&v).map_err(|e| format!("--metric: {e}"))?;
        if r.metrics.contains(&m) {
            return Err(format!("--metric {} is given twice", m.name()));
        }
        r.metrics.push(m);
        Ok(())
    },
};

const SWEEP_FORMAT: Flag = Flag {
    name: "format",
    value: "FORMAT",
    help: "json: every point's figures, csv: a row per point",
    values: Values::OneOf(&["json", "csv"]),
    repeats: false,
    update: |f, v, r| {
        r.format = [Format::Json, Format::Csv][f.one_of(&v)?];
        Ok(())
    },
};

/// Most threads `--threads` takes.
pub const MAX_THREADS: u64 = 1024;

const THREADS: Flag = Flag {
    name: "threads",
    value: "N",
    help: "run on N threads (default: one per core); the figures do not depend on it",
    values: Values::Whole {
        min: 1,
        max: MAX_THREADS,
    },
    repeats: false,
    update: |f, v, r| {
        r.threads = Some(usize::try_from(f.whole(&v)?).map_err(|_| f.invalid(&v))?);
        Ok(())
    },
};

const SWEEP_FLAGS: &[Flag] = &[
    PRESET,
    VARY,
    SEEDS,
    METRIC,
    SEED,
    SET,
    SWEEP_FORMAT,
    THREADS,
];

/// A command: its name, usage lines, flags and what it does.
pub struct Cmd {
    pub name: &'static str,
    /// (arguments after `herdsim NAME`, what that does), one per usage line.
    pub usage: &'static [(&'static str, &'static str)],
    pub about: &'static str,
    pub flags: &'static [Flag],
    /// More help after the options, if any.
    pub notes: Option<fn() -> String>,
}

impl fmt::Debug for Cmd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

impl PartialEq for Cmd {
    fn eq(&self, other: &Cmd) -> bool {
        self.name == other.name
    }
}

pub const RUN: Cmd = Cmd {
    name: "run",
    usage: &[
        ("FILE [options]", "run a scenario file"),
        ("- [options]", "run the scenario on standard input"),
        ("--preset NAME [options]", "run a preset"),
    ],
    about: "run a scenario and print its summary, time series or report",
    flags: RUN_FLAGS,
    notes: None,
};

pub const SWEEP: Cmd = Cmd {
    name: "sweep",
    usage: &[
        (
            "FILE --vary PATH=LO..HI:STEPS [options]",
            "run a scenario file at every point of a range",
        ),
        (
            "- --vary PATH=LO..HI:STEPS [options]",
            "the same, the scenario on standard input",
        ),
        (
            "--preset NAME --vary PATH=LO..HI:STEPS [options]",
            "the same, from a preset",
        ),
    ],
    about: "run a scenario over a range of one or two fields, K seeds a point, and print \
            each metric's mean, min, max, p10 and p90 over the seeds",
    flags: SWEEP_FLAGS,
    notes: Some(sweep_notes),
};

/// `herdsim help sweep`'s notes: what a point is, the output, the metrics.
fn sweep_notes() -> String {
    let paragraphs = [
        format!(
            "points: the grid of the --vary ranges, the first changing slowest. A point is \
             the scenario with --set PATH=VALUE for each range's value, run with seeds N, \
             N+1, ..., N+K-1 (N: --seed or the scenario's); at most {} runs (points x K) in \
             all. A field that holds a whole number (policy.max_attempts, clients.count) \
             takes whole LO and HI; the values between are rounded, and steps that would \
             repeat one are refused.",
            herdsim::sweep::MAX_RUNS
        ),
        "csv: the --vary paths, then for each metric M: M_mean, M_min, M_max, M_p10, M_p90 \
         and M_count, one row per point. json: {\"vary\": [PATH, ...], \"seeds\": K, \
         \"points\": [{\"values\": {PATH: VALUE, ...}, \"mean\": {M: ..., ...}, \"min\": \
         {...}, \"max\": {...}, \"p10\": {...}, \"p90\": {...}, \"count\": {...}}, ...]}."
            .to_string(),
        "count is how many of the K seeds had a value: a null in a run's summary (never \
         recovered, no fault, none failed) is left out of that point's figures, and a \
         figure no seed had is null in json, empty in csv. p10 and p90 interpolate linearly \
         between the nearest ranks."
            .to_string(),
    ];
    let mut out = String::new();
    for p in paragraphs {
        out += "\n";
        out += &wrap(&p, 88);
    }
    out += "\nmetrics (--metric NAME):\n";
    out += &wrap(&sweep::metric_names().join(", "), 88);
    out += "without --metric:\n";
    out += &wrap(&sweep::DEFAULT_METRICS.join(", "), 88);
    out
}

/// `text` in lines of at most `width` characters, indented by two spaces.
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            out += &format!("  {line}\n");
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line += word;
    }
    if !line.is_empty() {
        out += &format!("  {line}\n");
    }
    out
}

pub const PRESETS: Cmd = Cmd {
    name: "presets",
    usage: &[("", "list the presets, one line each")],
    about: "list the built-in scenarios with a line on what each shows",
    flags: &[],
    notes: None,
};

pub const SHOW: Cmd = Cmd {
    name: "show",
    usage: &[("PRESET", "print a preset's scenario JSON")],
    about: "print a preset's scenario as JSON (edit it, then herdsim run FILE)",
    flags: &[],
    notes: None,
};

pub const HELP: Cmd = Cmd {
    name: "help",
    usage: &[("[COMMAND]", "this help, or a command's")],
    about: "print the help for everything, or for one command",
    flags: &[],
    notes: None,
};

pub const SCORECARD: Cmd = Cmd {
    name: "scorecard",
    usage: &[
        (
            "FILE [options]",
            "score a scenario's client policy across the fault suite",
        ),
        ("--preset NAME [options]", "score a preset's policy"),
        (
            "--preset A --vs-preset B",
            "A/B, B − A (--vs FILE for a file)",
        ),
        (
            "--libraries [options]",
            "every real library preset's policy, one table",
        ),
    ],
    about: "run a client policy through six fault scenarios over K seeds, a row per scenario",
    flags: crate::scorecard::FLAGS,
    notes: Some(crate::scorecard::notes),
};

pub const TUNE: Cmd = Cmd {
    name: "tune",
    usage: &[
        (
            "FILE --unlock PATH=LO..HI:STEPS [options]",
            "search a scenario's policy over the fault suite",
        ),
        (
            "--preset NAME --unlock PATH=LO..HI:STEPS [options]",
            "the same, from a preset's policy",
        ),
    ],
    about: "search the unlocked policy fields, coarse to fine, over the fault suite for the \
            best policy that meets the constraints; print it, its scorecard, what it beats and \
            the Pareto front",
    flags: crate::tune::TUNE_FLAGS,
    notes: Some(tune_notes),
};

/// `herdsim help tune`'s notes.
fn tune_notes() -> String {
    let metrics: Vec<&str> = herdsim::suite::Metric::ALL
        .iter()
        .map(|m| m.key())
        .collect();
    let paragraphs = [
        format!(
            "search: stage 1 runs the current policy and every point of the grid of the \
             --unlock ranges (the first changing slowest) through the six suite scenarios \
             (herdsim help scorecard), K seeds each. Stage 2 (unless --grid) runs a finer grid \
             around stage 1's best point: {} values per field from its grid neighbour below to \
             the one above. The best is the feasible candidate (every --require holds) with \
             the best objective; ties go to the earlier. At most {} runs in all (both stages \
             at their largest).",
            herdsim::tune::search::FINE_STEPS,
            herdsim::tune::search::MAX_RUNS
        ),
        "figures: each scenario's mean over the seeds. --require holds in every scenario, or \
         with :mean on the mean of the scenarios; a scenario without a figure (none \
         succeeded, never recovered) breaks it. An objective or Pareto metric adds the \
         scenarios up as :sum, :worst or :mean (default: the sum of a count such as \
         failed_requests, else the worst)."
            .to_string(),
        "json: {\"search\", \"unlocked\", \"require\", \"objective\", \"seeds\", \"current\", \
         \"candidates\": [{\"settings\": [{\"path\", \"text\", \"value\"}], \"stage\", \
         \"feasible\", \"objective\", \"violations\": [{\"constraint\", \"scenario\", \
         \"value\"}], \"scorecard\"}], \"best\" (an index into candidates, or null), \
         \"pareto\": {\"axes\", \"feasible_only\", \"front\": [[INDEX, X, Y], ...]}, \
         \"comparison\" (as scorecard --vs: A the current policy, B the best), \"beats\", \
         \"apply\": [[PATH, VALUE], ...], \"skipped\"}."
            .to_string(),
    ];
    let mut out = String::new();
    for p in paragraphs {
        out += "\n";
        out += &wrap(&p, 88);
    }
    out += "\nmetrics (--require, --minimise, --maximise, --pareto):\n";
    out += &wrap(&metrics.join(", "), 88);
    out
}

pub const ADVISE: Cmd = Cmd {
    name: "advise",
    usage: &[
        (
            "FILE [options]",
            "the analytic panel and the lints of a scenario's policy",
        ),
        ("--preset NAME [options]", "the same, of a preset"),
    ],
    about: "print, without a run, each retry's delay against the timeout and the deadline, the \
            attempts that fit, worst-case amplification, the failure rate at which the budget \
            stops retries, Little's-law load, and the lints that apply",
    flags: crate::tune::ADVISE_FLAGS,
    notes: None,
};

pub const EXPORT: Cmd = Cmd {
    name: "export",
    usage: &[
        (
            "FILE --to LIBRARY [options]",
            "a scenario's client policy as the library's configuration",
        ),
        (
            "--preset NAME --to LIBRARY [options]",
            "the same, of a preset",
        ),
    ],
    about: "write the client policy (timeouts, retries, backoff, jitter, breaker, budget) as \
            ready-to-paste configuration for a library, with a fidelity report: what maps \
            exactly, what is approximated and how, what the library cannot express, and its \
            foot-guns that apply",
    flags: crate::export::FLAGS,
    notes: Some(export_notes),
};

/// `herdsim help export`'s notes.
fn export_notes() -> String {
    let mut out = String::from("\nlibraries:\n");
    for l in herdsim::export::Library::ALL {
        out += &format!("  {:14} {} ({})\n", l.id(), l.name(), l.version());
    }
    out += "\n";
    out += &wrap(
        "json: {\"library\", \"version\", \"snippet\", \"fidelity\": [{\"parameter\", \"status\": \
         \"exact\"|\"approximated\"|\"not_expressible\", \"note\"}], \"warnings\": [...]}. \
         herdsim scorecard --as-library LIBRARY runs the policy as the library would run the \
         snippet (B) against the policy as simulated (A).",
        88,
    );
    out
}

pub const UPTIME: Cmd = Cmd {
    name: "uptime",
    usage: &[(
        "TARGET [options]",
        "the downtime an uptime target allows (e.g. 99.9)",
    )],
    about: "print the downtime an uptime target allows per day, week, month, quarter and year, \
            with the length of each period",
    flags: crate::uptime::FLAGS,
    notes: Some(|| {
        wrap(
            "json: {\"target_percent\", \"downtime_allowed_s\": {\"day\", \"week\", \"month\", \
             \"quarter\", \"year\"}, \"period_days\": {the same keys}}.",
            88,
        )
    }),
};

pub const COMMANDS: &[&Cmd] = &[
    &RUN, &SWEEP, &SCORECARD, &TUNE, &ADVISE, &EXPORT, &UPTIME, &PRESETS, &SHOW, &HELP,
];

/// `herdsim --version`'s line.
pub fn version() -> String {
    format!("herdsim {}\n", env!("CARGO_PKG_VERSION"))
}

/// The help for `cmd`, or for everything.
pub fn help(cmd: Option<&Cmd>) -> String {
    let mut out = String::new();
    let cmds: Vec<&Cmd> = match cmd {
        Some(c) => {
            out += &format!("herdsim {}: {}\n\nusage:\n", c.name, c.about);
            vec![c]
        }
        None => {
            out += "herdsim: simulate clients retrying against services\n\nusage:\n";
            COMMANDS.to_vec()
        }
    };
    let mut lines: Vec<(String, &str)> = cmds
        .iter()
        .flat_map(|c| {
            c.usage.iter().map(|(args, what)| {
                (
                    format!("herdsim {} {args}", c.name).trim_end().into(),
                    *what,
                )
            })
        })
        .collect();
    if cmd.is_none() {
        lines.push(("herdsim --version".into(), "print the version"));
    }
    out += &columns(&lines);
    for c in cmds {
        let mut rows: Vec<(String, &str)> = vec![];
        let mut allowed = vec![];
        for f in c.flags {
            let again = if f.repeats { "; may repeat" } else { "" };
            if f.values == Values::Switch {
                rows.push((format!("--{}", f.name), f.help));
                allowed.push(None);
                continue;
            }
            rows.push((format!("--{} {}", f.name, f.value), f.help));
            allowed.push(Some(format!("{} is {}{again}", f.value, f.values)));
        }
        if cmd.is_some() {
            rows.push(("-h, --help".into(), "print this help"));
        }
        if rows.is_empty() {
            continue;
        }
        out += &format!("\noptions for {}:\n", c.name);
        // each flag's allowed values on the line under its help
        let mut text = String::new();
        let table = columns(&rows);
        let width = rows.iter().map(|(l, _)| l.len()).max().unwrap_or(0) + 4;
        for (i, line) in table.lines().enumerate() {
            text += line;
            text.push('\n');
            if let Some(Some(a)) = allowed.get(i) {
                text += &format!("{:width$}{a}\n", "");
            }
        }
        out += &text;
    }
    if let Some(notes) = cmd.and_then(|c| c.notes) {
        out += &notes();
    }
    if cmd.is_none() {
        out += "\nexit status: 0 done, 2 bad input (arguments, scenario, preset), 1 I/O failure\n";
    }
    out
}

/// Two aligned columns, indented by two spaces.
fn columns(rows: &[(String, &str)]) -> String {
    let width = rows.iter().map(|(l, _)| l.len()).max().unwrap_or(0);
    rows.iter()
        .map(|(l, r)| format!("  {l:<width$}  {r}").trim_end().to_string() + "\n")
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_shows_every_flag_with_its_allowed_values() {
        let all = help(None);
        let run = help(Some(&RUN));
        for f in RUN.flags {
            let line = format!("--{} {}", f.name, f.value);
            assert!(all.contains(&line) && run.contains(&line), "{line}");
            assert!(run.contains(&f.values.to_string()), "{f:?}");
        }
        assert!(run.contains("PATH=VALUE is a field path and a value joined by =, e.g. clients.count=1000; may repeat"));
        assert!(run.contains("K is a whole number from 1 to 10000\n"));
        for c in COMMANDS {
            assert!(all.contains(&format!("herdsim {}", c.name)), "{c:?}");
            assert!(help(Some(c)).starts_with(&format!("herdsim {}: ", c.name)));
        }
        assert!(!help(Some(&SHOW)).contains("--seed"));
    }

    #[test]
    fn sweep_help_shows_its_flags_the_output_and_every_metric() {
        let h = help(Some(&SWEEP));
        for f in SWEEP.flags {
            let line = format!("--{} {}", f.name, f.value);
            assert!(h.contains(&line) && help(None).contains(&line), "{line}");
            assert!(h.contains(&f.values.to_string()), "{f:?}");
        }
        assert!(
            h.contains(&format!("STEPS from 1 to {}", sweep::MAX_STEPS)),
            "{h}"
        );
        assert!(
            h.contains(&format!("at most {} runs", sweep::MAX_RUNS)),
            "{h}"
        );
        assert!(
            h.contains(&format!("from 1 to {}", sweep::MAX_SEEDS)),
            "{h}"
        );
        let metrics = h.split("metrics (--metric NAME):").nth(1).unwrap();
        let (all, defaults) = metrics.split_once("without --metric:").unwrap();
        let words = |t: &str| -> Vec<String> {
            t.split([',', ' ', '\n'])
                .filter(|w| !w.is_empty())
                .map(String::from)
                .collect()
        };
        assert_eq!(words(all), sweep::metric_names());
        assert_eq!(words(defaults), sweep::DEFAULT_METRICS);
        assert!(h.contains("M_count, one row per point"), "{h}");
        assert!(h
            .lines()
            .skip_while(|l| !l.starts_with("  points:"))
            .all(|l| l.len() <= 90));
        assert!(!help(Some(&RUN)).contains("metrics ("));
    }
}
