//! Command-line arguments and `--set`.
//!
//! lexopt splits the command line into options and values (`--seed 9`, `--seed=9`, `--`);
//! this reads them against the definitions in [`crate::defs`], whose words every message
//! uses.

use std::ffi::OsString;

use lexopt::Arg::{Long, Short, Value};
use serde_json::Value as Json;

use crate::defs::{Args, Cmd, Format, Values, COMMANDS, HELP, MAX_VARY, PRESETS, RUN, SHOW, SWEEP};

/// What to do.
#[derive(Debug, PartialEq)]
pub enum Command {
    Run(Args),
    Sweep(Args),
    Presets,
    Show(String),
    /// Help for one command, or for all (`None`).
    Help(Option<&'static Cmd>),
    Version,
    /// `scorecard`: its arguments, as `run`'s flags leave them (see `scorecard.rs`).
    Scorecard(Args),
    /// `tune` (see `tune.rs`).
    Tune(Args),
    /// `advise` (see `tune.rs`).
    Advise(Args),
    /// `export` (see `export.rs`).
    Export(Args),
    /// `uptime`: the target and the format.
    Uptime(f64, Format),
}

/// `cmd`, if nothing follows it (`herdsim --version extra` is refused).
fn alone(p: &mut lexopt::Parser, cmd: Command) -> Result<Command, String> {
    match p.next().map_err(lex_error)? {
        None => Ok(cmd),
        Some(Value(v)) => Err(format!(
            "unexpected argument “{}” after the option; see herdsim --help",
            v.to_string_lossy()
        )),
        Some(opt) => Err(format!(
            "unexpected option {} after the first; see herdsim --help",
            name(&opt)
        )),
    }
}

/// Parse the arguments after the program name.
pub fn parse<I>(args: I) -> Result<Command, String>
where
    I: IntoIterator,
    I::Item: Into<OsString>,
{
    let mut p = lexopt::Parser::from_args(args);
    let cmd = match p.next().map_err(lex_error)? {
        None => return Ok(Command::Help(None)),
        Some(Short('h') | Long("help")) => return alone(&mut p, Command::Help(None)),
        Some(Short('V') | Long("version")) => return alone(&mut p, Command::Version),
        Some(Value(v)) => text(v)?,
        Some(opt) => return Err(format!("unknown option {}; see herdsim --help", name(&opt))),
    };
    match command(&cmd)?.name {
        "run" => parse_scenario_command(&mut p, &RUN)
            .map(|a| a.map_or(Command::Help(Some(&RUN)), Command::Run)),
        "sweep" => parse_scenario_command(&mut p, &SWEEP)
            .map(|a| a.map_or(Command::Help(Some(&SWEEP)), Command::Sweep)),
        "scorecard" => crate::scorecard::parse(&mut p),
        "tune" => crate::tune::parse_tune(&mut p),
        "advise" => crate::tune::parse_advise(&mut p),
        "export" => crate::export::parse(&mut p),
        "uptime" => crate::uptime::parse(&mut p),
        "presets" => Ok(match positionals(&mut p, &PRESETS, 0)? {
            None => Command::Help(Some(&PRESETS)),
            Some(_) => Command::Presets,
        }),
        "show" => match positionals(&mut p, &SHOW, 1)? {
            None => Ok(Command::Help(Some(&SHOW))),
            Some(mut v) => v
                .pop()
                .map(Command::Show)
                .ok_or_else(|| "show needs a PRESET name; herdsim presets lists them".to_string()),
        },
        // the one command left: help
        _ => match positionals(&mut p, &HELP, 1)? {
            None => Ok(Command::Help(Some(&HELP))),
            Some(mut v) => match v.pop() {
                None => Ok(Command::Help(None)),
                Some(c) => command(&c).map(|c| Command::Help(Some(c))),
            },
        },
    }
}

/// The command called `name`.
fn command(name: &str) -> Result<&'static Cmd, String> {
    COMMANDS
        .iter()
        .copied()
        .find(|c| c.name == name)
        .ok_or_else(|| {
            let names: Vec<&str> = COMMANDS.iter().map(|c| c.name).collect();
            format!("unknown command \"{name}\"; allowed: {}", names.join(", "))
        })
}

/// The positional arguments of `cmd` (a command without flags), refusing more than
/// `most`; `None` if one of them asks for help.
fn positionals(
    p: &mut lexopt::Parser,
    cmd: &Cmd,
    most: usize,
) -> Result<Option<Vec<String>>, String> {
    let mut got = vec![];
    while let Some(arg) = p.next().map_err(lex_error)? {
        match arg {
            Short('h') | Long("help") => return Ok(None),
            Value(v) => got.push(v),
            opt => return Err(unknown(cmd, &opt)),
        }
    }
    if let Some(extra) = got.get(most) {
        let extra = extra.to_string_lossy();
        let name = cmd.name;
        return Err(match most {
            0 => format!("{name} takes no arguments, got \"{extra}\""),
            _ => format!(
                "{name} takes one argument ({}), got a second: \"{extra}\"",
                cmd.usage.first().map_or("", |u| u.0)
            ),
        });
    }
    got.into_iter()
        .map(text)
        .collect::<Result<_, _>>()
        .map(Some)
}

/// The flags and scenario of `run` or `sweep`; `None` if one of them asks for help.
/// Read `cmd`'s flags (each defined once in its [`Cmd`]) and its one scenario FILE into `r`:
/// `None` when `--help` is asked. A flag given twice, a missing value, text that is not
/// UTF-8 and a second FILE are refused, naming the flag.
pub fn read_flags(p: &mut lexopt::Parser, cmd: &Cmd, mut r: Args) -> Result<Option<Args>, String> {
    let mut seen: Vec<&str> = vec![];
    while let Some(arg) = p.next().map_err(lex_error)? {
        match arg {
            Short('h') | Long("help") => return Ok(None),
            Long(name) => {
                let Some(flag) = cmd.flags.iter().find(|f| f.name == name) else {
                    return Err(unknown(cmd, &Long(name)));
                };
                let switch = flag.values == Values::Switch;
                if !flag.repeats && seen.contains(&flag.name) {
                    let once = if switch {
                        "once is enough"
                    } else {
                        "it takes one value"
                    };
                    return Err(format!("--{} is given twice; {once}", flag.name));
                }
                seen.push(flag.name);
                let raw = if switch {
                    String::new()
                } else {
                    let raw = p.value().map_err(|_| {
                        format!(
                            "--{} needs a value: {} is {}",
                            flag.name, flag.value, flag.values
                        )
                    })?;
                    raw.into_string().map_err(|v| {
                        format!(
                            "--{} must be valid UTF-8, got \"{}\"",
                            flag.name,
                            v.to_string_lossy()
                        )
                    })?
                };
                (flag.update)(flag, raw, &mut r)?;
            }
            Value(v) if r.file.is_none() => r.file = Some(v.into()),
            Value(v) => {
                return Err(format!(
                    "{} takes one scenario FILE, got a second: \"{}\"",
                    cmd.name,
                    v.to_string_lossy()
                ))
            }
            opt => return Err(unknown(cmd, &opt)),
        }
    }
    Ok(Some(r))
}

fn parse_scenario_command(p: &mut lexopt::Parser, cmd: &Cmd) -> Result<Option<Args>, String> {
    let Some(r) = read_flags(p, cmd, Args::default())? else {
        return Ok(None);
    };
    match (&r.file, &r.preset) {
        (None, None) => {
            return Err(format!(
                "{} needs a scenario FILE, - for standard input, or --preset NAME",
                cmd.name
            ))
        }
        (Some(_), Some(_)) => {
            return Err("give either a scenario FILE or --preset NAME, not both".into())
        }
        _ => {}
    }
    if cmd.name == SWEEP.name {
        if r.varies.is_empty() {
            return Err(
                "sweep needs --vary PATH=LO..HI:STEPS, e.g. --vary policy.max_attempts=1..5:5"
                    .into(),
            );
        }
        if r.varies.len() > MAX_VARY {
            return Err(format!(
                "--vary is given {} times; a sweep varies at most {MAX_VARY} fields (a line or a grid)",
                r.varies.len()
            ));
        }
        if let [a, b] = &r.varies[..] {
            if a.path() == b.path() {
                return Err(format!(
                    "--vary {} is given twice; vary a field once",
                    a.path()
                ));
            }
        }
    }
    Ok(Some(r))
}

/// `--name` or `-c` as the user typed it.
fn name(arg: &lexopt::Arg) -> String {
    match arg {
        Short(c) => format!("-{c}"),
        Long(l) => format!("--{l}"),
        Value(v) => v.to_string_lossy().into_owned(),
    }
}

pub fn unknown(cmd: &Cmd, arg: &lexopt::Arg) -> String {
    let flags: Vec<String> = cmd.flags.iter().map(|f| format!("--{}", f.name)).collect();
    let allowed = if flags.is_empty() {
        "it takes only --help".to_string()
    } else {
        format!("allowed: {}, --help", flags.join(", "))
    };
    format!("unknown option {} for {}; {allowed}", name(arg), cmd.name)
}

/// A positional argument as text.
pub fn text(v: OsString) -> Result<String, String> {
    v.into_string()
        .map_err(|v| format!("argument \"{}\" is not valid UTF-8", v.to_string_lossy()))
}

/// lexopt's errors in the words of the other messages.
pub fn lex_error(e: lexopt::Error) -> String {
    match e {
        lexopt::Error::UnexpectedValue { option, value } => {
            format!(
                "{option} takes no value, got \"{}\"",
                value.to_string_lossy()
            )
        }
        e => e.to_string(),
    }
}

/// `--set path=value`: the library's [`herdsim::sim::scenario::edit::set`], with the flag in messages.
pub fn apply_set(doc: &mut Json, path: &str, raw: &str) -> Result<(), String> {
    herdsim::sim::scenario::edit::set(doc, path, raw).map_err(|e| format!("--set {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::defs::Format;
    use serde_json::json;
    use std::path::PathBuf;

    fn run(v: &[&str]) -> Result<Args, String> {
        match parse(std::iter::once("run").chain(v.iter().copied()))? {
            Command::Run(r) => Ok(r),
            c => panic!("{v:?} gave {c:?}"),
        }
    }

    #[test]
    fn parses_a_full_run_line() {
        let r = run(&[
            "-", "--seed", "9", "--runs", "3", "--set", "a.b=1", "--format", "csv", "--set",
            "c=x=y",
        ])
        .unwrap();
        assert_eq!(r.file, Some(PathBuf::from("-")));
        assert_eq!((r.seed, r.runs, r.format), (Some(9), 3, Format::Csv));
        assert_eq!(
            r.sets,
            vec![("a.b".into(), "1".into()), ("c".into(), "x=y".into())]
        );
    }

    #[test]
    fn every_flag_takes_its_value_after_an_equals_sign_too() {
        for (flag, value) in [
            ("preset", "x"),
            ("seed", "9"),
            ("runs", "3"),
            ("set", "a=1"),
            ("format", "text"),
            ("target", "99.9"),
        ] {
            let file: &[&str] = if flag == "preset" { &[] } else { &["f"] };
            let (long, joined) = (format!("--{flag}"), format!("--{flag}={value}"));
            let apart = [file, &[&long, value]].concat();
            let joined = [file, &[&joined]].concat();
            assert_eq!(run(&apart), run(&joined), "--{flag}");
            assert_ne!(run(&apart), run(file), "--{flag} did something");
        }
        assert_eq!(RUN.flags.len(), 6, "a new flag wants a line above");
    }

    #[test]
    fn bad_arguments_say_what_is_allowed() {
        for (args, needle) in [
            (vec!["run"], "needs a scenario"),
            (vec!["run", "f", "--preset", "x"], "not both"),
            (
                vec!["run", "f", "--runs", "0"],
                "--runs must be a whole number from 1 to 10000, got \"0\"",
            ),
            (vec!["run", "f", "--runs", "1.5"], "got \"1.5\""),
            (
                vec!["run", "f", "--format", "xml"],
                "--format must be one of json, csv, text, got \"xml\"",
            ),
            (
                vec!["run", "f", "--seed", "-1"],
                "--seed must be a whole number from 0 to 18446744073709551615, got \"-1\"",
            ),
            (
                vec!["run", "f", "--seed", "18446744073709551616"],
                "got \"1844",
            ),
            (
                vec!["run", "f", "--seed"],
                "--seed needs a value: N is a whole",
            ),
            (
                vec!["run", "f", "--set", "x"],
                "--set must be a field path and a value joined by =",
            ),
            (
                vec!["run", "f", "--seed", "1", "--seed", "2"],
                "--seed is given twice",
            ),
            (
                vec!["run", "--preset", "a", "--preset=b"],
                "--preset is given twice",
            ),
            (
                vec!["run", "f", "g"],
                "one scenario FILE, got a second: \"g\"",
            ),
            (
                vec!["run", "f", "--bogus"],
                "unknown option --bogus for run; allowed: --preset",
            ),
            (vec!["run", "f", "-x"], "unknown option -x"),
            (
                vec!["frobnicate"],
                "unknown command \"frobnicate\"; allowed: run, sweep, scorecard, tune, advise, export, uptime, presets, show, help",
            ),
            (vec!["--bogus"], "unknown option --bogus"),
            (vec!["show"], "needs a PRESET"),
            (
                vec!["show", "a", "b"],
                "show takes one argument (PRESET), got a second: \"b\"",
            ),
            (
                vec!["show", "--seed", "1"],
                "unknown option --seed for show",
            ),
            (
                vec!["presets", "x"],
                "presets takes no arguments, got \"x\"",
            ),
            (
                vec!["help", "run", "x"],
                "help takes one argument ([COMMAND])",
            ),
            (vec!["help", "nope"], "unknown command \"nope\""),
        ] {
            let e = parse(&args).unwrap_err();
            assert!(e.contains(needle), "{args:?}: {e}");
        }
    }

    fn sweep(v: &[&str]) -> Result<Args, String> {
        match parse(std::iter::once("sweep").chain(v.iter().copied()))? {
            Command::Sweep(r) => Ok(r),
            c => panic!("{v:?} gave {c:?}"),
        }
    }

    #[test]
    fn parses_a_full_sweep_line() {
        let r = sweep(&[
            "--preset",
            "retry-storm",
            "--vary",
            "policy.max_attempts=1..5:5",
            "--vary=policy.timeout_ms=10..1000:3:log",
            "--seeds",
            "7",
            "--metric",
            "uptime",
            "--metric=latency_ms.p99",
            "--set",
            "clients.count=10",
            "--seed",
            "3",
            "--format",
            "csv",
            "--threads",
            "1",
        ])
        .unwrap();
        let paths: Vec<&str> = r.varies.iter().map(|v| v.path()).collect();
        assert_eq!(paths, ["policy.max_attempts", "policy.timeout_ms"]);
        assert_eq!(r.varies[1].values(), [10.0, 100.0, 1000.0]);
        let metrics: Vec<&str> = r.metrics.iter().map(|m| m.name()).collect();
        assert_eq!(metrics, ["uptime", "latency_ms.p99"]);
        assert_eq!(
            (r.seeds, r.seed, r.format, r.threads),
            (7, Some(3), Format::Csv, Some(1))
        );
        assert_eq!(r.sets, vec![("clients.count".into(), "10".into())]);
        // defaults: one seed, json, every core, the default metrics (left empty here)
        let d = sweep(&["f", "--vary", "policy.max_attempts=1..2:2"]).unwrap();
        assert_eq!((d.seeds, d.format, d.threads), (1, Format::Json, None));
        assert!(d.metrics.is_empty());
    }

    #[test]
    fn every_sweep_flag_takes_its_value_after_an_equals_sign_too() {
        let v = ["--vary", "policy.max_attempts=1..2:2"];
        for (flag, value) in [
            ("preset", "x"),
            ("vary", "policy.timeout_ms=1..2:2"),
            ("seeds", "3"),
            ("metric", "uptime"),
            ("seed", "9"),
            ("set", "a=1"),
            ("format", "csv"),
            ("threads", "2"),
        ] {
            let file: &[&str] = if flag == "preset" {
                &v
            } else {
                &["f", v[0], v[1]]
            };
            let (long, joined) = (format!("--{flag}"), format!("--{flag}={value}"));
            let apart = [file, &[&long, value]].concat();
            let joined = [file, &[&joined]].concat();
            assert_eq!(sweep(&apart), sweep(&joined), "--{flag}");
            assert_ne!(sweep(&apart), sweep(file), "--{flag} did something");
        }
        assert_eq!(SWEEP.flags.len(), 8, "a new flag wants a line above");
    }

    #[test]
    fn bad_sweep_arguments_name_the_flag_and_what_is_allowed() {
        let v = "policy.max_attempts=1..5:5";
        for (args, needle) in [
            (vec!["f"], "sweep needs --vary PATH=LO..HI:STEPS"),
            (vec![], "sweep needs a scenario FILE"),
            (vec!["--vary", v], "sweep needs a scenario FILE"),
            (vec!["f", "g", "--vary", v], "sweep takes one scenario FILE, got a second: \"g\""),
            (vec!["f", "--vary", "x"], "--vary x: not PATH=LO..HI:STEPS[:log]"),
            (
                vec!["f", "--vary", "policy.max_attempts=1..5:0"],
                "--vary policy.max_attempts=1..5:0: STEPS must be a whole number from 1 to 100, got \"0\"",
            ),
            (vec!["f", "--vary"], "--vary needs a value: PATH=LO..HI:STEPS[:log] is a field path"),
            (
                vec!["f", "--vary", v, "--vary", "policy.timeout_ms=1..2:2", "--vary", "clients.count=1..2:2"],
                "--vary is given 3 times; a sweep varies at most 2 fields",
            ),
            (
                vec!["f", "--vary", v, "--vary", "policy.max_attempts=2..3:2"],
                "--vary policy.max_attempts is given twice",
            ),
            (vec!["f", "--vary", v, "--seeds", "0"], "--seeds must be a whole number from 1 to 10000, got \"0\""),
            (vec!["f", "--vary", v, "--seeds", "10001"], "from 1 to 10000, got \"10001\""),
            (vec!["f", "--vary", v, "--metric", "nope"], "--metric: unknown metric \"nope\"; allowed: amplification,"),
            (vec!["f", "--vary", v, "--metric", "uptime", "--metric", "uptime"], "--metric uptime is given twice"),
            (vec!["f", "--vary", v, "--format", "text"], "--format must be one of json, csv, got \"text\""),
            (vec!["f", "--vary", v, "--threads", "0"], "--threads must be a whole number from 1 to 1024"),
            (vec!["f", "--vary", v, "--runs", "2"], "unknown option --runs for sweep; allowed: --preset, --vary"),
            (vec!["f", "--vary", v, "--seeds", "2", "--seeds", "3"], "--seeds is given twice"),
        ] {
            let e = parse(std::iter::once("sweep").chain(args.iter().copied())).unwrap_err();
            assert!(e.contains(needle), "{args:?}: {e}");
        }
        // run does not take sweep's flags
        let e = parse(["run", "f", "--vary", v]).unwrap_err();
        assert!(e.contains("unknown option --vary for run"), "{e}");
    }

    #[test]
    fn help_and_version_win_wherever_they_stand() {
        let help = |v: &[&str]| parse(v).unwrap();
        for v in [&[][..], &["--help"], &["-h"], &["help"]] {
            assert_eq!(help(v), Command::Help(None), "{v:?}");
        }
        for (c, v) in [
            (&RUN, &["run", "--help"][..]),
            (&RUN, &["run", "f", "--seed", "1", "-h"]),
            (&SWEEP, &["sweep", "--help"]),
            (
                &SWEEP,
                &["sweep", "f", "--vary", "policy.max_attempts=1..2:2", "-h"],
            ),
            (&SWEEP, &["help", "sweep"]),
            (&RUN, &["help", "run"]),
            (&PRESETS, &["presets", "-h"]),
            (&SHOW, &["show", "x", "--help"]),
            (&SHOW, &["help", "show"]),
            (&SHOW, &["show", "a", "b", "-h"]),
            (&HELP, &["help", "--help"]),
        ] {
            assert_eq!(help(v), Command::Help(Some(c)), "{v:?}");
        }
        assert_eq!(help(&["--version"]), Command::Version);
        assert_eq!(help(&["-V"]), Command::Version);
        // after `--`, `--help` is a file name
        let r = run(&["--", "--help"]).unwrap();
        assert_eq!(r.file, Some(PathBuf::from("--help")));
    }

    #[test]
    fn set_edits_objects_and_arrays() {
        let mut d = json!({"clients": {"count": 5}, "faults": [{"end_ms": 1}]});
        apply_set(&mut d, "clients.count", "1000").unwrap();
        apply_set(&mut d, "faults.0.end_ms", "2.5").unwrap();
        apply_set(&mut d, "policy.jitter.type", "full").unwrap();
        apply_set(&mut d, "policy.timeout_ms", "null").unwrap();
        assert_eq!(
            d,
            json!({"clients": {"count": 1000}, "faults": [{"end_ms": 2.5}],
                   "policy": {"jitter": {"type": "full"}, "timeout_ms": null}})
        );
        assert!(apply_set(&mut d, "faults.3.end_ms", "1")
            .unwrap_err()
            .contains("out of range"));
        assert!(apply_set(&mut d, "clients.count.x", "1")
            .unwrap_err()
            .contains("cannot go inside"));
        assert!(apply_set(&mut d, "a..b", "1").is_err());
    }
}
