//! Work for the page's web workers, as plain data: a [`Task`] (a sweep, the fault suite
//! for some policies, or a stage of the tuner's search) is sent once to each worker, which [prepares](Task::prepare) it into
//! [`Work`] (every scenario checked and built, as the page's own copy is), then runs its
//! jobs by number ([`Work::run`]) and sends back each job's [`Output`]. The page puts the
//! outputs, in job order, into the sweep's table or the scorecards
//! ([`Work::finish`]).
//!
//! A worker also takes one big run off the page's thread ([`Request::Run`]): it sends
//! back the run's record as bytes ([`record_bytes`]), which the page reads back
//! ([`read_record`]) into the very record a run on the page would have made.
//!
//! Pure like [`sim`](crate::sim): the same functions, on the same jobs, as the CLI's
//! [`batch`](crate::batch) runs on every core, so the page's results are the CLI's.
//! Messages are JSON ([`Request`], [`Reply`]) and a record's bytes; numbers survive the
//! round trip exactly.
//! Scenarios travel as documents and are read by the same strict reader as a file (one
//! copy of that code in the page's .wasm, not a second from serde's derive).
//!
//! ```
//! use herdsim::sim::scenario::presets;
//! use herdsim::work::{document, Finished, Task};
//!
//! let mut base = presets::config("retry-storm").unwrap();
//! base.clients.count = 30;
//! base.duration_ms = 1000.0;
//! let task = Task::Sweep {
//!     base: document(&base),
//!     vary: vec!["policy.max_attempts=1..2:2".into()],
//!     seeds: 2,
//!     metrics: vec!["amplification".into()],
//! };
//! let work = task.prepare().unwrap();
//! assert_eq!(work.jobs(), 4);
//! let outputs: Vec<_> = (0..work.jobs()).map(|j| work.run(j).unwrap()).collect();
//! let Finished::Sweep(table) = work.finish(outputs).unwrap() else { panic!() };
//! assert_eq!(table.points()[0].stats[0].mean, Some(1.0)); // one attempt a request
//! ```

use std::borrow::Cow;
use std::cell::OnceCell;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::sim::output::histogram::Histogram;
use crate::sim::output::incident::Incident;
use crate::sim::output::metrics::Series;
use crate::sim::output::record::Raster;
use crate::sim::{RunRecord, Scenario, ScenarioConfig, Sim, Stop, Summary};
use crate::suite::{Plan, RunFigures, Scorecard};
use crate::sweep::bands::Bands;
use crate::sweep::{Metric, Stats, Sweep, Table, Vary};

/// What the page asks its workers to do, as sent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Task {
    /// A sweep (as `herdsim sweep`): the base scenario, each axis as `--vary` takes it, K
    /// seeds a point, the metrics by name.
    Sweep {
        /// The base scenario (as a document: read as strictly as a file).
        base: Value,
        /// The axes, `PATH=LO..HI:STEPS[:log]`.
        vary: Vec<String>,
        /// Seeds a point.
        seeds: u32,
        /// Summary fields measured.
        metrics: Vec<String>,
    },
    /// The fault suite for each policy (as `herdsim scorecard`), with these seeds.
    Suite {
        /// Scenarios whose client policy is scored, one scorecard each (as documents).
        policies: Vec<Value>,
        /// The seeds of every suite scenario.
        seeds: Vec<u64>,
    },
    /// One scenario over K seeds (its seed, seed + 1, …), each run measured as a sweep's
    /// point is (the page's "run K seeds").
    Seeds {
        /// The scenario (as a document).
        base: Value,
        /// How many seeds.
        seeds: u32,
        /// Summary fields measured.
        metrics: Vec<String>,
    },
    /// Runs of scenarios, each read to its figures (a stage of the tuner's search).
    Runs {
        /// The scenarios (as documents).
        configs: Vec<Value>,
        /// Each run: a scenario (an index into `configs`) and a seed.
        runs: Vec<(usize, u64)>,
    },
}

/// A task checked and ready: its jobs can be run in any order, anywhere.
#[derive(Clone, Debug)]
pub enum Work {
    /// A sweep (each point checked by [`Sweep::new`]); a point's scenario is built when a
    /// job first needs it (in the worker, not on the page's main thread).
    Sweep {
        /// The sweep.
        sweep: Sweep,
        /// Point `i`'s scenario, once built.
        scenarios: Vec<OnceCell<Scenario>>,
    },
    /// Plans of the fault suite, their jobs one after another.
    Suite(Vec<Plan>),
    /// Scenarios and the (scenario, seed) runs of them.
    Runs(Vec<Scenario>, Vec<(usize, u64)>),
    /// A scenario, its first seed and seed count, the metrics measured.
    Seeds(Box<Scenario>, u64, u32, Vec<Metric>),
}

/// One job's result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Output {
    /// A sweep run: each metric's value, and why the run stopped early if it did.
    Values(Vec<Option<f64>>, Option<String>),
    /// A suite run's figures.
    Figures(RunFigures),
    /// One of K seeds: each metric's value, why the run stopped early if it did, and its
    /// time series (for the bands of [`Bands`]).
    Seeded(Vec<Option<f64>>, Option<String>, Series),
}

/// A finished task.
#[derive(Clone, Debug, PartialEq)]
pub enum Finished {
    /// The sweep's table.
    Sweep(Table),
    /// A scorecard per policy, in the task's order.
    Suite(Vec<Scorecard>),
    /// Each run's figures, in the task's order.
    Runs(Vec<RunFigures>),
    /// Each metric (by name) over the seeds, and each chart's lines over them.
    Seeds(Vec<(String, Stats)>, Bands),
}

/// The page to a worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Request {
    /// Run job `job` of task `task` (the task itself comes with the first job a worker
    /// gets of it).
    Job {
        /// The task's number (the page's count of tasks started).
        task: u64,
        /// The task, if this worker has not been sent it yet.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        setup: Option<Task>,
        /// Which job.
        job: usize,
    },
    /// One run of a scenario (a document) for the page's results: answered with
    /// [`Reply::Progress`] now and then, and at the end with its record's bytes
    /// ([`record_bytes`]).
    Run(Value),
}

/// A worker to the page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reply {
    /// Loaded, waiting for jobs.
    Ready,
    /// Job `job` of task `task` is done (or could not be).
    Done {
        /// The task's number.
        task: u64,
        /// The job.
        job: usize,
        /// Its output, or why there is none.
        output: Result<Output, String>,
    },
    /// A run is this far (0 to 1).
    Progress(f64),
    /// The worker cannot work (it did not load, or a run could not start).
    Fatal(String),
}

/// A worker's answer to a [`Request`]: a reply, or a run's record as bytes.
#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
    /// A reply, to send as JSON.
    Reply(Reply),
    /// A run's record ([`record_bytes`]).
    Record(Vec<u8>),
}

/// Events a run takes between two looks at its progress (a millisecond or two of work).
pub const STEP: u64 = 20_000;

/// What a record's bytes hold, in order: all of the record but the scenario (the page has
/// it) and what the scenario gives. Borrowed to write, owned when read.
#[derive(Serialize, Deserialize)]
struct Parts<'a> {
    seed: u64,
    summary: Cow<'a, Summary>,
    series: Cow<'a, Series>,
    services: Cow<'a, [Series]>,
    request_latency: Cow<'a, Histogram>,
    success_latency: Cow<'a, Histogram>,
    attempt_latency: Cow<'a, Histogram>,
    raster: Cow<'a, Raster>,
    incidents: Cow<'a, [Vec<Incident>]>,
}

/// A run's record as bytes (compact and exact: every number as the run made it). The
/// scenario is not in them: the page has it, and [`read_record`] takes it back.
pub fn record_bytes(r: &RunRecord) -> Vec<u8> {
    let parts = Parts {
        seed: r.seed,
        summary: Cow::Borrowed(&r.summary),
        series: Cow::Borrowed(&r.series),
        services: Cow::Borrowed(&r.services),
        request_latency: Cow::Borrowed(&r.request_latency),
        success_latency: Cow::Borrowed(&r.success_latency),
        attempt_latency: Cow::Borrowed(&r.attempt_latency),
        raster: Cow::Borrowed(&r.raster),
        incidents: Cow::Borrowed(&r.incidents),
    };
    postcard::to_allocvec(&parts).unwrap_or_default()
}

/// The record of a run of `scenario` from its [bytes](record_bytes).
pub fn read_record(scenario: Scenario, bytes: &[u8]) -> Result<RunRecord, String> {
    let p = postcard::from_bytes::<Parts>(bytes)
        .map_err(|e| format!("a run's record that does not read: {e}"))?;
    Ok(RunRecord {
        breakers_per_group: scenario.breakers_per_group(),
        budgets_per_service: scenario.budgets_per_service(),
        scenario,
        seed: p.seed,
        summary: p.summary.into_owned(),
        series: p.series.into_owned(),
        services: p.services.into_owned(),
        request_latency: p.request_latency.into_owned(),
        success_latency: p.success_latency.into_owned(),
        attempt_latency: p.attempt_latency.into_owned(),
        raster: p.raster.into_owned(),
        incidents: p.incidents.into_owned(),
    })
}

/// Run a scenario (a document, read as strictly as a file) to its record's bytes,
/// telling `progress` how far it is every [`STEP`] events.
pub fn run_record(doc: &Value, progress: &mut dyn FnMut(f64)) -> Result<Vec<u8>, String> {
    let cfg = read(doc)?;
    let scenario = cfg.validate().map_err(|e| e.to_string())?;
    let mut sim = Sim::new(&scenario, cfg.seed);
    loop {
        let p = sim.step(STEP);
        if p.stopped.is_some() {
            break;
        }
        progress(p.fraction());
    }
    Ok(record_bytes(&sim.record()))
}

/// A scenario as a task carries it.
pub fn document(config: &ScenarioConfig) -> Value {
    serde_json::to_value(config).unwrap_or(Value::Null)
}

/// A scenario a task carries, read as strictly as a file is.
fn read(doc: &Value) -> Result<ScenarioConfig, String> {
    ScenarioConfig::from_value(doc.clone()).map_err(|e| e.to_string())
}

impl Task {
    /// Runs of these (scenario, seed) pairs, each scenario sent once however many seeds
    /// it runs with (consecutive runs of one scenario, as a plan's jobs come).
    pub fn runs<'a>(jobs: impl IntoIterator<Item = (&'a ScenarioConfig, u64)>) -> Task {
        let (mut configs, mut runs) = (Vec::new(), Vec::new());
        let mut last: Option<&ScenarioConfig> = None;
        for (config, seed) in jobs {
            if !last.is_some_and(|l| std::ptr::eq(l, config)) {
                configs.push(document(config));
                last = Some(config);
            }
            runs.push((configs.len() - 1, seed));
        }
        Task::Runs { configs, runs }
    }

    /// Check the task and build every scenario it runs; a message naming what is wrong
    /// otherwise.
    pub fn prepare(self) -> Result<Work, String> {
        match self {
            Task::Sweep {
                base,
                vary,
                seeds,
                metrics,
            } => {
                let axes = (vary.iter().map(|v| Vary::parse(v)))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| e.to_string())?;
                let metrics =
                    (metrics.iter().map(|m| Metric::parse(m))).collect::<Result<Vec<_>, _>>()?;
                let sweep =
                    Sweep::new(read(&base)?, axes, seeds, metrics).map_err(|e| e.to_string())?;
                let scenarios = (0..sweep.points()).map(|_| OnceCell::new()).collect();
                Ok(Work::Sweep { sweep, scenarios })
            }
            Task::Suite { policies, seeds } => {
                if policies.is_empty() {
                    return Err("no policy to score".into());
                }
                let plans = (policies.iter())
                    .map(|p| Plan::new(&read(p)?, &seeds).map_err(|e| e.to_string()))
                    .collect::<Result<_, _>>()?;
                Ok(Work::Suite(plans))
            }
            Task::Seeds {
                base,
                seeds,
                metrics,
            } => {
                let cfg = read(&base)?;
                if !(1..=crate::sweep::MAX_SEEDS).contains(&seeds)
                    || cfg.seed.checked_add(u64::from(seeds)).is_none()
                {
                    return Err(format!(
                        "seeds: a whole number from 1 to {}, from seed {}",
                        crate::sweep::MAX_SEEDS,
                        cfg.seed
                    ));
                }
                let metrics =
                    (metrics.iter().map(|m| Metric::parse(m))).collect::<Result<Vec<_>, _>>()?;
                let scenario = cfg.validate().map_err(|e| e.to_string())?;
                Ok(Work::Seeds(Box::new(scenario), cfg.seed, seeds, metrics))
            }
            Task::Runs { configs, runs } => {
                let scenarios = (configs.iter())
                    .map(|c| read(c)?.validate().map_err(|e| e.to_string()))
                    .collect::<Result<Vec<_>, _>>()?;
                if let Some((i, _)) = runs.iter().find(|(i, _)| *i >= scenarios.len()) {
                    return Err(format!(
                        "run of scenario {i}: there are {}",
                        scenarios.len()
                    ));
                }
                Ok(Work::Runs(scenarios, runs))
            }
        }
    }
}

impl Work {
    /// How many jobs.
    pub fn jobs(&self) -> usize {
        match self {
            Work::Sweep { sweep, .. } => sweep.runs(),
            Work::Suite(plans) => plans.iter().map(|p| p.jobs().len()).sum(),
            Work::Runs(_, runs) => runs.len(),
            Work::Seeds(_, _, k, _) => *k as usize,
        }
    }

    /// Run job `j` to its end (what a worker does with a [`Request`]).
    pub fn run(&self, j: usize) -> Result<Output, String> {
        let missing = || format!("job {} of {}: no such job", j + 1, self.jobs());
        match self {
            Work::Sweep { sweep, scenarios } => {
                let job = sweep.job(j).ok_or_else(missing)?;
                let scenario = match scenarios[job.point].get() {
                    Some(sc) => sc,
                    None => {
                        let sc = sweep.point_scenario(job.point).map_err(|e| e.to_string())?;
                        scenarios[job.point].get_or_init(|| sc)
                    }
                };
                let s = Sim::new(scenario, job.seed).run_to_summary();
                let partial = s.stop.and_then(Stop::partial_reason).map(str::to_string);
                Ok(Output::Values(sweep.measure(&s), partial))
            }
            Work::Suite(plans) => {
                let mut rest = j;
                for plan in plans {
                    let jobs = plan.jobs();
                    match jobs.get(rest) {
                        Some(job) => return Ok(Output::Figures(job.run())),
                        None => rest -= jobs.len(),
                    }
                }
                Err(missing())
            }
            Work::Seeds(scenario, first, k, metrics) => {
                if j >= *k as usize {
                    return Err(missing());
                }
                let mut sim = Sim::new(scenario, first + j as u64);
                sim.run();
                let s = sim.summary();
                let json = serde_json::to_value(&s).unwrap_or(Value::Null);
                let partial = s.stop.and_then(Stop::partial_reason).map(str::to_string);
                Ok(Output::Seeded(
                    metrics.iter().map(|m| m.of(&json)).collect(),
                    partial,
                    crate::sweep::bands::thin(sim.series(), scenario.duration()),
                ))
            }
            Work::Runs(scenarios, runs) => {
                let &(i, seed) = runs.get(j).ok_or_else(missing)?;
                let s = Sim::new(&scenarios[i], seed).run_to_summary();
                Ok(Output::Figures(RunFigures::of(&s)))
            }
        }
    }

    /// The table or scorecards of every job's output, in job order.
    pub fn finish(&self, outputs: Vec<Output>) -> Result<Finished, String> {
        if outputs.len() != self.jobs() {
            return Err(format!(
                "{} results for {} jobs",
                outputs.len(),
                self.jobs()
            ));
        }
        let wrong = || "a result of the wrong kind".to_string();
        match self {
            Work::Sweep { sweep, .. } => {
                let values = (outputs.into_iter())
                    .map(|o| match o {
                        Output::Values(v, _) => Ok(v),
                        _ => Err(wrong()),
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                let table = sweep.table(&values).map_err(|e| e.to_string())?;
                Ok(Finished::Sweep(table))
            }
            Work::Seeds(_, _, _, metrics) => {
                let mut per: Vec<Vec<Option<f64>>> = vec![Vec::new(); metrics.len()];
                let mut series = Vec::with_capacity(outputs.len());
                for o in outputs {
                    let Output::Seeded(v, _, s) = o else {
                        return Err(wrong());
                    };
                    for (column, x) in per.iter_mut().zip(v) {
                        column.push(x);
                    }
                    series.push(s);
                }
                Ok(Finished::Seeds(
                    (metrics.iter().zip(per))
                        .map(|(m, xs)| (m.name().to_string(), Stats::of(&xs)))
                        .collect(),
                    Bands::of(&series),
                ))
            }
            Work::Suite(_) | Work::Runs(..) => {
                let figures = (outputs.into_iter())
                    .map(|o| match o {
                        Output::Figures(f) => Ok(f),
                        _ => Err(wrong()),
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                let Work::Suite(plans) = self else {
                    return Ok(Finished::Runs(figures));
                };
                let mut rest = &figures[..];
                let mut cards = Vec::with_capacity(plans.len());
                for plan in plans {
                    let (mine, next) = rest.split_at(plan.jobs().len());
                    cards.push(plan.scorecard(mine).map_err(|e| e.to_string())?);
                    rest = next;
                }
                Ok(Finished::Suite(cards))
            }
        }
    }
}

/// What a worker does with one message from the page: `prepared` keeps the task it was
/// last sent (by number), so each worker checks a task once; a run tells `progress` how
/// far it is.
pub fn serve(
    request: &str,
    prepared: &mut Option<(u64, Result<Work, String>)>,
    progress: &mut dyn FnMut(f64),
) -> Answer {
    let (task, setup, job) = match serde_json::from_str(request) {
        Ok(Request::Job { task, setup, job }) => (task, setup, job),
        Ok(Request::Run(doc)) => {
            return match run_record(&doc, progress) {
                Ok(bytes) => Answer::Record(bytes),
                Err(e) => Answer::Reply(Reply::Fatal(e)),
            }
        }
        Err(e) => {
            let why = format!("a message the worker does not read: {e}");
            return Answer::Reply(Reply::Fatal(why));
        }
    };
    if let Some(t) = setup {
        *prepared = Some((task, t.prepare()));
    }
    let output = match prepared {
        Some((n, work)) if *n == task => match work {
            Ok(work) => work.run(job),
            Err(e) => Err(e.clone()),
        },
        _ => Err(format!("task {task} was not sent to this worker")),
    };
    Answer::Reply(Reply::Done { task, job, output })
}
