//! Command-line arguments and `--set` overrides.

use serde_json::Value;

pub const USAGE: &str = "\
herdsim: simulate clients retrying against a service

usage:
  herdsim run FILE|-  [options]   run a scenario file (- reads standard input)
  herdsim run --preset NAME [options]
  herdsim presets                 list the presets
  herdsim show PRESET             print a preset's scenario JSON

options for run:
  --preset NAME        start from a preset instead of a file
  --seed N             seed (default: the scenario's)
  --runs K             K runs with seeds N, N+1, ..., summarised as mean/min/max
  --set PATH=VALUE     override a scenario field by its JSON path, e.g.
                       --set clients.count=1000 --set policy.jitter.type=full
                       (VALUE is JSON if it parses as JSON, else a string)
  --format json|csv|text   summary as JSON, time series as CSV, or text (default json)
";

/// What to do.
#[derive(Debug, PartialEq)]
pub enum Command {
    Run(RunArgs),
    Presets,
    Show(String),
    Help,
}

#[derive(Debug, PartialEq, Eq, Clone, Copy)]
pub enum Format {
    Json,
    Csv,
    Text,
}

#[derive(Debug, PartialEq)]
pub struct RunArgs {
    pub file: Option<String>,
    pub preset: Option<String>,
    pub seed: Option<u64>,
    pub runs: u32,
    pub sets: Vec<(String, String)>,
    pub format: Format,
}

/// Parse the arguments after the program name.
pub fn parse(args: &[String]) -> Result<Command, String> {
    let Some(cmd) = args.first() else {
        return Ok(Command::Help);
    };
    let rest = &args[1..];
    match cmd.as_str() {
        "-h" | "--help" | "help" => Ok(Command::Help),
        "presets" => Ok(Command::Presets),
        "show" => match rest {
            [name] => Ok(Command::Show(name.clone())),
            _ => Err("show takes one preset name: herdsim show PRESET".into()),
        },
        "run" => parse_run(rest).map(Command::Run),
        other => Err(format!(
            "unknown command `{other}`; allowed: run, presets, show"
        )),
    }
}

fn parse_run(args: &[String]) -> Result<RunArgs, String> {
    let mut r = RunArgs {
        file: None,
        preset: None,
        seed: None,
        runs: 1,
        sets: vec![],
        format: Format::Json,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |flag: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match a.as_str() {
            "--preset" => r.preset = Some(value("--preset")?),
            "--seed" => {
                let v = value("--seed")?;
                r.seed = Some(
                    v.parse()
                        .map_err(|_| format!("--seed = {v}: allowed 0..={}", u64::MAX))?,
                );
            }
            "--runs" => {
                let v = value("--runs")?;
                r.runs = v
                    .parse()
                    .ok()
                    .filter(|k| (1..=10_000).contains(k))
                    .ok_or(format!("--runs = {v}: allowed 1..=10000"))?;
            }
            "--set" => {
                let v = value("--set")?;
                let (path, val) = v
                    .split_once('=')
                    .ok_or(format!("--set = {v}: allowed PATH=VALUE"))?;
                r.sets.push((path.trim().to_string(), val.to_string()));
            }
            "--format" => {
                let v = value("--format")?;
                r.format = match v.as_str() {
                    "json" => Format::Json,
                    "csv" => Format::Csv,
                    "text" => Format::Text,
                    _ => return Err(format!("--format = {v}: allowed json, csv, text")),
                };
            }
            s if s.starts_with("--") => {
                return Err(format!("unknown option `{s}`; see herdsim --help"))
            }
            s if r.file.is_none() => r.file = Some(s.to_string()),
            s => {
                return Err(format!(
                    "unexpected argument `{s}`: run takes one scenario file"
                ))
            }
        }
    }
    match (&r.file, &r.preset) {
        (None, None) => {
            Err("run needs a scenario FILE, - for standard input, or --preset NAME".into())
        }
        (Some(_), Some(_)) => Err("give either a scenario FILE or --preset NAME, not both".into()),
        _ => Ok(r),
    }
}

/// `--set path=value`: the library's [`herdsim::sim::edit::set`], with the flag in messages.
pub fn apply_set(doc: &mut Value, path: &str, raw: &str) -> Result<(), String> {
    herdsim::sim::edit::set(doc, path, raw).map_err(|e| format!("--set {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn parses_a_full_run_line() {
        let c = parse(&s(&[
            "run", "-", "--seed", "9", "--runs", "3", "--set", "a.b=1", "--format", "csv",
        ]))
        .unwrap();
        let Command::Run(r) = c else { panic!() };
        assert_eq!(r.file.as_deref(), Some("-"));
        assert_eq!((r.seed, r.runs, r.format), (Some(9), 3, Format::Csv));
        assert_eq!(r.sets, vec![("a.b".to_string(), "1".to_string())]);
    }

    #[test]
    fn bad_arguments_say_what_is_allowed() {
        for (args, needle) in [
            (vec!["run"], "needs a scenario"),
            (vec!["run", "f", "--preset", "x"], "not both"),
            (vec!["run", "f", "--runs", "0"], "1..=10000"),
            (vec!["run", "f", "--format", "xml"], "json, csv, text"),
            (vec!["run", "f", "--seed", "-1"], "--seed = -1"),
            (vec!["frobnicate"], "unknown command"),
            (vec!["run", "f", "--bogus"], "unknown option"),
        ] {
            let e = parse(&s(&args)).unwrap_err();
            assert!(e.contains(needle), "{args:?}: {e}");
        }
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
