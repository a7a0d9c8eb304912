//! Work for the page's web workers, as plain data: a [`Task`] (a sweep, the fault suite
//! for some policies, or a stage of the tuner's search) is sent once to each worker, which [prepares](Task::prepare) it into
//! [`Work`] (every scenario checked and built, as the page's own copy is), then runs its
//! jobs by number ([`Work::run`]) and sends back each job's [`Output`]. The page puts the
//! outputs, in job order, into the sweep's table or the scorecards
//! ([`Work::finish`]).
//!
//! Pure like [`sim`](crate::sim): the same functions, on the same jobs, as the CLI's
//! [`batch`](crate::batch) runs on every core, so the page's results are the CLI's.
//! Messages are JSON ([`Request`], [`Reply`]); numbers survive the round trip exactly.
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

use std::cell::OnceCell;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::sim::{Scenario, ScenarioConfig, Sim, Stop};
use crate::suite::{Plan, RunFigures, Scorecard};
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
    /// Each metric (by name) over the seeds.
    Seeds(Vec<(String, Stats)>),
}

/// The page to a worker: run job `job` of task `task` (the task itself comes with the
/// first job a worker gets of it).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Request {
    /// The task's number (the page's count of tasks started).
    pub task: u64,
    /// The task, if this worker has not been sent it yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub setup: Option<Task>,
    /// Which job.
    pub job: usize,
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
    /// The worker cannot work (it did not load).
    Fatal(String),
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
                let s = Sim::new(scenario, first + j as u64).run_to_summary();
                let json = serde_json::to_value(&s).unwrap_or(Value::Null);
                let partial = s.stop.and_then(Stop::partial_reason).map(str::to_string);
                Ok(Output::Values(
                    metrics.iter().map(|m| m.of(&json)).collect(),
                    partial,
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
                        Output::Figures(_) => Err(wrong()),
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                let table = sweep.table(&values).map_err(|e| e.to_string())?;
                Ok(Finished::Sweep(table))
            }
            Work::Seeds(_, _, _, metrics) => {
                let mut per: Vec<Vec<Option<f64>>> = vec![Vec::new(); metrics.len()];
                for o in outputs {
                    let Output::Values(v, _) = o else {
                        return Err(wrong());
                    };
                    for (column, x) in per.iter_mut().zip(v) {
                        column.push(x);
                    }
                }
                Ok(Finished::Seeds(
                    (metrics.iter().zip(per))
                        .map(|(m, xs)| (m.name().to_string(), Stats::of(&xs)))
                        .collect(),
                ))
            }
            Work::Suite(_) | Work::Runs(..) => {
                let figures = (outputs.into_iter())
                    .map(|o| match o {
                        Output::Figures(f) => Ok(f),
                        Output::Values(..) => Err(wrong()),
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
/// last sent (by number), so each worker checks a task once.
pub fn serve(request: &str, prepared: &mut Option<(u64, Result<Work, String>)>) -> Reply {
    let request: Request = match serde_json::from_str(request) {
        Ok(r) => r,
        Err(e) => return Reply::Fatal(format!("a message the worker does not read: {e}")),
    };
    if let Some(task) = request.setup {
        *prepared = Some((request.task, task.prepare()));
    }
    let output = match prepared {
        Some((n, work)) if *n == request.task => match work {
            Ok(work) => work.run(request.job),
            Err(e) => Err(e.clone()),
        },
        _ => Err(format!("task {} was not sent to this worker", request.task)),
    };
    Reply::Done {
        task: request.task,
        job: request.job,
        output,
    }
}
