//! What each command does: load, override, validate, run, print. Errors are a
//! [`Failure`]: bad input or I/O, which `main` turns into the exit status.

use std::io::{Read, Write};

use herdsim::batch::run_seeds;
use herdsim::sim::{scenario::presets, ScenarioConfig, ScenarioError, Sim, Stop};
use herdsim::sweep::{Metric, Sweep, SweepError};
use serde_json::Value;

use crate::args;
use crate::defs::{Args, Format};
use crate::output;

/// Why a command failed.
pub enum Failure {
    /// Bad arguments, scenario or preset name: exit status 2.
    Input(String),
    /// Reading or writing failed: exit status 1.
    Io(String),
}

/// Print `text` on standard output.
pub fn emit(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|_| out.flush())
        .map_err(|e| Failure::Io(format!("writing output: {e}")))
}

/// `herdsim presets`: one line a preset, its name and description.
pub fn preset_list() -> String {
    let mut out = String::new();
    for name in presets::names() {
        let desc = presets::config(name)
            .map(|c| c.description)
            .unwrap_or_default();
        out += &format!("{name:<22} {desc}\n");
    }
    out
}

/// `herdsim show NAME`: the preset's scenario as JSON.
pub fn show(name: &str) -> Result<(), Failure> {
    preset_json(name)?;
    let cfg = presets::config(name).map_err(|e| Failure::Input(e.to_string()))?;
    let json = serde_json::to_string_pretty(&cfg).map_err(|e| Failure::Io(e.to_string()))?;
    emit(&(json + "\n"))
}

pub fn input_error(e: ScenarioError) -> Failure {
    Failure::Input(match e {
        ScenarioError::Invalid(errs) if errs.len() > 1 => {
            format!(
                "invalid scenario:\n  {}",
                errs.iter()
                    .map(|e| e.to_string())
                    .collect::<Vec<_>>()
                    .join("\n  ")
            )
        }
        e => format!("invalid scenario: {e}"),
    })
}

/// The preset called `name`, as JSON text.
fn preset_json(name: &str) -> Result<&'static str, Failure> {
    presets::json(name).ok_or_else(|| {
        Failure::Input(format!(
            "unknown preset `{name}`; allowed: {}",
            presets::names().collect::<Vec<_>>().join(", ")
        ))
    })
}

/// The scenario document: a file, standard input, or a preset, as a JSON value.
pub fn load(r: &Args) -> Result<Value, Failure> {
    let text = match (&r.file, &r.preset) {
        (_, Some(name)) => preset_json(name)?.to_string(),
        (Some(f), None) if f.as_os_str() == "-" => {
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .map_err(|e| Failure::Io(format!("reading standard input: {e}")))?;
            s
        }
        (Some(f), None) => std::fs::read_to_string(f)
            .map_err(|e| Failure::Input(format!("cannot read {}: {e}", f.display())))?,
        (None, None) => return Err(Failure::Input("no scenario given".into())),
    };
    // Parse as a scenario first so that syntax errors carry the field path.
    let cfg = ScenarioConfig::from_json(&text).map_err(input_error)?;
    serde_json::to_value(cfg).map_err(|e| Failure::Io(e.to_string()))
}

/// `herdsim run`: one run or several, in the format asked for.
pub fn run(r: &Args) -> Result<(), Failure> {
    let mut doc = load(r)?;
    for (path, value) in &r.sets {
        args::apply_set(&mut doc, path, value).map_err(Failure::Input)?;
    }
    let cfg = ScenarioConfig::from_value(doc).map_err(input_error)?;
    let scenario = cfg.validate().map_err(input_error)?;
    if r.target.is_some() && r.format != Format::Text {
        return Err(Failure::Input(
            "--target measures the text report's downtime: give --format text too".into(),
        ));
    }
    for w in scenario.warnings() {
        note!("herdsim: warning: {w}");
    }
    let first_seed = r.seed.unwrap_or(cfg.seed);
    let seeds: Vec<u64> = (0..r.runs)
        .map(|k| first_seed.checked_add(u64::from(k)))
        .collect::<Option<_>>()
        .ok_or_else(|| {
            Failure::Input(format!(
                "--runs {} from seed {first_seed} goes past the largest seed, {}",
                r.runs,
                u64::MAX
            ))
        })?;
    // one run keeps its engine (for the CSV time series); several run side by side, one
    // per core, and come back in seed order
    let (sim, results) = if r.runs == 1 {
        let mut sim = Sim::new(&scenario, seeds[0]);
        sim.run();
        let s = sim.summary();
        (Some(sim), vec![s])
    } else {
        (None, run_seeds(&scenario, &seeds, Sim::run_to_summary))
    };
    let mut summaries = Vec::new();
    for (seed, s) in seeds.iter().zip(&results) {
        if let Some(why) = s.stop.and_then(Stop::partial_reason) {
            note!(
                "herdsim: warning: seed {seed}: {why} ({} events, stopped at {})",
                herdsim::units::count(s.events),
                herdsim::units::duration_ms(s.end_ms)
            );
        }
        summaries.push(serde_json::to_value(s).map_err(|e| Failure::Io(e.to_string()))?);
    }
    let Some(s) = results.last().cloned() else {
        return Ok(());
    };
    let text = match (r.format, r.runs) {
        (Format::Json, 1) => pretty(&summaries[0])?,
        (Format::Json, _) => pretty(&output::aggregate(&summaries))?,
        (Format::Csv, 1) => sim.map(|x| x.record().to_csv()).unwrap_or_default(),
        (Format::Csv, _) => output::summaries_csv(&summaries),
        (Format::Text, 1) => output::text(&scenario, &s),
        (Format::Text, _) => {
            let services: Vec<&str> = s.services.iter().map(|x| x.name.as_str()).collect();
            output::aggregate_text(
                &cfg.name,
                &seeds,
                &services,
                scenario.disturbances().next().is_some(),
                &output::aggregate(&summaries),
            )
        }
    };
    // the downtime against a target: the run's, or the mean of the runs'
    let mean_downtime = results.iter().map(|s| s.downtime_ms).sum::<f64>() / results.len() as f64;
    let what = if results.len() > 1 {
        "mean downtime"
    } else {
        "downtime"
    };
    let budget = r
        .target
        .map(|t| crate::uptime::budget_text(what, mean_downtime, t));
    emit(&(text + &budget.unwrap_or_default()))
}

/// Most warnings `sweep` prints about its points before running (the rest are counted).
const MAX_POINT_WARNINGS: usize = 3;

/// `herdsim sweep`: every point's runs on every core, the table in the format asked for.
pub fn sweep(r: &Args) -> Result<(), Failure> {
    let mut doc = load(r)?;
    for (path, value) in &r.sets {
        args::apply_set(&mut doc, path, value).map_err(Failure::Input)?;
    }
    let mut cfg = ScenarioConfig::from_value(doc).map_err(input_error)?;
    if let Some(seed) = r.seed {
        cfg.seed = seed;
    }
    let metrics = if r.metrics.is_empty() {
        Metric::defaults()
    } else {
        r.metrics.clone()
    };
    let sweep = Sweep::new(cfg, r.varies.clone(), r.seeds, metrics).map_err(|e| {
        Failure::Input(match e {
            SweepError::Vary(e) => format!("--vary {e}"),
            SweepError::Seeds(m) => format!("--seeds {}: {m}", r.seeds),
            SweepError::Runs(m) => format!("--vary and --seeds: {m}"),
            SweepError::Axes(m) => format!("--vary: {m}"),
            SweepError::Metrics(m) => format!("--metric: {m}"),
            SweepError::Missing(m) => m,
            e @ SweepError::Point { .. } => format!("invalid scenario at {e}"),
        })
    })?;
    let points = sweep.points();
    let mut warned = 0;
    for i in 0..points {
        let Ok(scenario) = sweep.point_scenario(i) else {
            continue;
        };
        for w in scenario.warnings() {
            warned += 1;
            if warned <= MAX_POINT_WARNINGS {
                note!(
                    "herdsim: warning: point {} of {points} ({}): {w}",
                    i + 1,
                    sweep.point_label(i)
                );
            }
        }
    }
    if warned > MAX_POINT_WARNINGS {
        note!(
            "herdsim: warning: and {} more warnings like these",
            warned - MAX_POINT_WARNINGS
        );
    }
    let runs = sweep.runs();
    let progress = Progress::new(runs);
    let done = herdsim::batch::sweep(&sweep, r.threads, |n| progress.tell(n))
        .map_err(|e| Failure::Input(format!("invalid scenario at {e}")))?;
    progress.end();
    let mut reasons: Vec<&str> = done.partial.iter().map(|(_, why)| *why).collect();
    reasons.dedup();
    for why in reasons {
        let of: Vec<_> = done.partial.iter().filter(|(_, w)| *w == why).collect();
        if let Some((job, _)) = of.first() {
            note!(
                "herdsim: warning: {} of {runs} runs stopped early: {why} (the first: point {} \
                 of {points} ({}), seed {})",
                of.len(),
                job.point + 1,
                sweep.point_label(job.point),
                job.seed
            );
        }
    }
    emit(&match r.format {
        Format::Csv => done.table.to_csv(),
        _ => done.table.to_json(),
    })
}

/// A line on standard error saying how many runs have finished, kept up to date while a
/// sweep runs, when standard error is a terminal (nothing in a pipe or a file).
struct Progress {
    total: usize,
    shown: std::sync::atomic::AtomicUsize,
    on: bool,
}

impl Progress {
    fn new(total: usize) -> Progress {
        use std::io::IsTerminal;
        Progress {
            total,
            shown: 0.into(),
            on: std::io::stderr().is_terminal(),
        }
    }

    /// `done` runs have finished: redraw the line at each whole percent.
    fn tell(&self, done: usize) {
        use std::sync::atomic::Ordering;
        let pct = done * 100 / self.total.max(1);
        if self.on && self.shown.fetch_max(pct + 1, Ordering::Relaxed) < pct + 1 {
            let mut err = std::io::stderr().lock();
            let _ = write!(
                err,
                "\rherdsim: sweep: {} of {} runs ({pct}%)",
                herdsim::units::count(done as u64),
                herdsim::units::count(self.total as u64)
            );
            let _ = err.flush();
        }
    }

    /// Clear the line.
    fn end(&self) {
        if self.on {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K");
            let _ = err.flush();
        }
    }
}

fn pretty(v: &Value) -> Result<String, Failure> {
    serde_json::to_string_pretty(v)
        .map(|s| s + "\n")
        .map_err(|e| Failure::Io(e.to_string()))
}
