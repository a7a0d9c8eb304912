//! The tuning view's state: the sweep's form as typed, what runs in the workers, and the
//! last sweep and scorecard. Plain data and a reducer; the workers live in the pool
//! (`ui/pool.rs`) and report here through [`TuneAction`]s.

use std::rc::Rc;

use yew::Reducible;

use crate::sim::ScenarioConfig;
use crate::suite::{Comparison, LibraryTable, Scorecard};
use crate::sweep::{knobs, Table, Vary};
use crate::tune::search::{Constraint, Objective, Over, Report, Spec};
use crate::work::{Finished, Task, Work};

/// Which tool is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    /// A sweep of one or two fields.
    Sweep,
    /// The fault suite's scorecard.
    Scorecard,
    /// The tuner's search and the analytic panel.
    Recommend,
    /// Scenario A's policy as a library's configuration.
    Export,
}

/// One axis of the sweep as typed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AxisForm {
    /// The field's path (empty: no such axis).
    pub path: String,
    /// From.
    pub lo: String,
    /// To.
    pub hi: String,
    /// How many values.
    pub steps: String,
    /// Spaced logarithmically.
    pub log: bool,
}

impl AxisForm {
    /// As `--vary` takes it, or `None` for an axis left empty.
    pub fn vary(&self) -> Option<String> {
        let path = self.path.trim();
        (!path.is_empty()).then(|| {
            let log = if self.log { ":log" } else { "" };
            format!(
                "{path}={}..{}:{}{log}",
                self.lo.trim(),
                self.hi.trim(),
                self.steps.trim()
            )
        })
    }

    /// Take `text` (`PATH=LO..HI:STEPS[:log]`) apart into the form's fields.
    fn from_vary(text: &str) -> AxisForm {
        let (path, rest) = text.split_once('=').unwrap_or((text, ""));
        let (range, tail) = rest.split_once(':').unwrap_or((rest, ""));
        let (lo, hi) = range.split_once("..").unwrap_or((range, ""));
        let (steps, log) = tail.split_once(':').unwrap_or((tail, ""));
        AxisForm {
            path: path.into(),
            lo: lo.into(),
            hi: hi.into(),
            steps: steps.into(),
            log: log == "log",
        }
    }
}

/// A field of the form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// Axis `n`'s path: a known field fills in a range around its value.
    Path(usize),
    /// Axis `n`'s lower end.
    Lo(usize),
    /// Axis `n`'s upper end.
    Hi(usize),
    /// Axis `n`'s steps.
    Steps(usize),
    /// Axis `n`'s spacing ("log" or not).
    Log(usize),
    /// Seeds a point of the sweep.
    Seeds,
    /// Seeds a suite scenario of the scorecard.
    SuiteSeeds,
    /// The search's unlocked fields, one a line.
    Unlock,
    /// Its constraints, one a line.
    Require,
    /// Its objective's goal (`minimise` or `maximise`).
    Goal,
    /// Its objective's metric (`METRIC[:sum|:worst|:mean]`).
    Objective,
    /// The Pareto front's two metrics (`M1,M2`).
    Pareto,
    /// Seeds a suite scenario of the search.
    SearchSeeds,
    /// Layers retrying alike (the analytic panel).
    Layers,
}

/// What is running, or ran last.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum What {
    /// The sweep.
    Sweep,
    /// Scenario A's policy through the suite.
    Score,
    /// A's and B's.
    ScoreAB,
    /// Every library preset's.
    Libraries,
    /// A stage of the tuner's search.
    Search(u8),
    /// Scenario A over K seeds.
    Seeds,
}

/// Scenario A over K seeds: each metric's figures.
#[derive(Clone, Debug, PartialEq)]
pub struct SeedsResult {
    /// The scenario run.
    pub config: ScenarioConfig,
    /// How many seeds (from its seed on).
    pub seeds: u32,
    /// Each metric by name, over the seeds.
    pub stats: Vec<(String, crate::sweep::Stats)>,
    /// Each chart's lines over the seeds, and the scenario they ran (its fault windows).
    pub bands: Option<(Rc<crate::sweep::bands::Bands>, Rc<crate::sim::Scenario>)>,
}

/// A task in the workers.
#[derive(Clone, Debug)]
pub struct Job {
    /// Which.
    pub what: What,
    /// The work, checked (a point's scenario comes from it).
    pub work: Rc<Work>,
    /// Jobs done.
    pub done: usize,
    /// Jobs in all.
    pub total: usize,
    /// Workers running it.
    pub workers: usize,
}

impl PartialEq for Job {
    fn eq(&self, o: &Job) -> bool {
        (self.what, self.done, self.total, self.workers) == (o.what, o.done, o.total, o.workers)
            && Rc::ptr_eq(&self.work, &o.work)
    }
}

/// A finished sweep.
#[derive(Clone, Debug)]
pub struct SweepResult {
    /// Its work (each point's scenario).
    pub work: Rc<Work>,
    /// Its table.
    pub table: Rc<Table>,
}

impl PartialEq for SweepResult {
    fn eq(&self, o: &SweepResult) -> bool {
        Rc::ptr_eq(&self.table, &o.table)
    }
}

/// A finished scorecard.
#[derive(Clone, Debug, PartialEq)]
pub enum Scores {
    /// One policy.
    One(Scorecard),
    /// A and B.
    AB(Box<Comparison>),
    /// The library presets.
    Libraries(LibraryTable),
}

/// The tuning view.
#[derive(Clone, Debug, PartialEq)]
pub struct Tune {
    /// The tool shown.
    pub tab: Tab,
    /// The sweep's two axes.
    pub axes: [AxisForm; 2],
    /// Seeds a point.
    pub seeds: String,
    /// Seeds a suite scenario.
    pub suite_seeds: String,
    /// The running task.
    pub job: Option<Job>,
    /// Why the last task was refused or failed.
    pub error: Option<String>,
    /// The last sweep.
    pub sweep: Option<SweepResult>,
    /// The metric its chart shows.
    pub metric: String,
    /// The point chosen on it.
    pub picked: Option<usize>,
    /// The last scorecard.
    pub scores: Option<Rc<Scores>>,
    /// The search as typed.
    pub search: SearchForm,
    /// The last search's report.
    pub report: Option<Rc<Report>>,
    /// Scenario A over K seeds, and the scenario it ran (pending until it finishes).
    pub seeded: Option<Rc<SeedsResult>>,
    /// The scenario of the K-seed run in the workers.
    pub seeding: Option<Box<ScenarioConfig>>,
    /// The library the Export panel writes for.
    pub library: crate::export::Library,
}

/// The tuner's search as typed: each field as `herdsim tune` takes it.
#[derive(Clone, Debug, PartialEq)]
pub struct SearchForm {
    /// `--unlock` lines.
    pub unlock: String,
    /// `--require` lines.
    pub require: String,
    /// `minimise` or `maximise`.
    pub goal: String,
    /// The objective's metric.
    pub objective: String,
    /// `--pareto`.
    pub pareto: String,
    /// Seeds a scenario.
    pub seeds: String,
    /// Layers retrying alike.
    pub layers: String,
}

impl Default for SearchForm {
    fn default() -> SearchForm {
        SearchForm {
            unlock: "policy.max_attempts=1..4:4\npolicy.backoff.base_ms=10..1000:3:log".into(),
            require: "amplification<=1.25\nsuccess_p99_ms<=2000\ntime_to_recover_ms<=5000".into(),
            goal: "minimise".into(),
            objective: "failed_requests".into(),
            pareto: "failed_requests,amplification".into(),
            seeds: "1".into(),
            layers: "1".into(),
        }
    }
}

impl SearchForm {
    /// The search of `policy`'s parameters the form describes, or what is wrong with it,
    /// naming the field (and line).
    pub fn spec(&self, policy: &ScenarioConfig) -> Result<Spec, String> {
        let lines = |text: &str| {
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect::<Vec<_>>()
        };
        let unlock = (lines(&self.unlock).iter().enumerate())
            .map(|(i, l)| Vary::parse(l).map_err(|e| format!("Unlock, line {}: {e}", i + 1)))
            .collect::<Result<Vec<_>, _>>()?;
        if unlock.is_empty() {
            return Err(
                "Unlock: at least one field to search, e.g. policy.max_attempts=1..4:4".into(),
            );
        }
        let require = (lines(&self.require).iter().enumerate())
            .map(|(i, l)| Constraint::parse(l).map_err(|e| format!("Require, line {}: {e}", i + 1)))
            .collect::<Result<Vec<_>, _>>()?;
        let objective = Objective::parse(self.goal.trim(), self.objective.trim())
            .map_err(|e| format!("Objective: {e}"))?;
        let pareto = match self.pareto.trim() {
            "" => None,
            p => {
                let (a, b) = p.split_once(',').ok_or(
                    "Pareto: two metrics joined by a comma, e.g. failed_requests,amplification",
                )?;
                let read =
                    |m: &str| Over::parse_metric(m.trim()).map_err(|e| format!("Pareto: {e}"));
                Some([read(a)?, read(b)?])
            }
        };
        let k = seeds("Seeds a scenario", &self.seeds, 100)?;
        Ok(Spec {
            policy: policy.clone(),
            unlock,
            require,
            objective,
            pareto,
            seeds: crate::suite::seeds(1, k).ok_or("Seeds a scenario: too many")?,
            refine: true,
        })
    }

    /// Layers retrying alike, as typed (0, which the panel refuses, if it does not read).
    pub fn layers(&self) -> u32 {
        self.layers.trim().parse().unwrap_or(0)
    }
}

impl Default for Tune {
    fn default() -> Tune {
        Tune {
            tab: Tab::Sweep,
            axes: [
                AxisForm {
                    path: "policy.max_attempts".into(),
                    lo: "1".into(),
                    hi: "6".into(),
                    steps: "6".into(),
                    log: false,
                },
                AxisForm::default(),
            ],
            seeds: "5".into(),
            suite_seeds: "3".into(),
            job: None,
            error: None,
            sweep: None,
            metric: "amplification".into(),
            picked: None,
            scores: None,
            search: SearchForm::default(),
            report: None,
            seeded: None,
            seeding: None,
            library: crate::export::Library::CenkaltiV4,
        }
    }
}

impl Tune {
    /// The sweep of `base` the form describes, every summary metric measured.
    pub fn sweep_task(&self, base: &ScenarioConfig) -> Result<Task, String> {
        let vary: Vec<String> = self.axes.iter().filter_map(AxisForm::vary).collect();
        if vary.is_empty() {
            return Err("Vary: choose a field to vary".into());
        }
        Ok(Task::Sweep {
            base: crate::work::document(base),
            vary,
            seeds: seeds("seeds a point", &self.seeds, crate::sweep::MAX_SEEDS)?,
            metrics: crate::sweep::metric_names(),
        })
    }

    /// The suite for these policies.
    pub fn suite_task(&self, policies: Vec<ScenarioConfig>) -> Result<Task, String> {
        let k = seeds("seeds a scenario", &self.suite_seeds, 100)?;
        let seeds = crate::suite::seeds(1, k).ok_or("seeds a scenario: too many")?;
        let policies = policies.iter().map(crate::work::document).collect();
        Ok(Task::Suite { policies, seeds })
    }
}

/// A count of seeds as typed, from 1 to `max`.
fn seeds(field: &str, text: &str, max: u32) -> Result<u32, String> {
    match text.trim().parse::<u32>() {
        Ok(k) if (1..=max).contains(&k) => Ok(k),
        _ => Err(format!(
            "{field}: a whole number from 1 to {max}, not “{}”",
            crate::sim::scenario::bounds::shorten(text.trim())
        )),
    }
}

/// What can happen in the tuning view.
pub enum TuneAction {
    /// Show a tool.
    Tab(Tab),
    /// A field of the form typed in; `base` is the scenario (for a range around a field's
    /// value when a known field's path is chosen).
    Form(Field, String, Rc<ScenarioConfig>),
    /// A task started in the workers.
    Started(What, Rc<Work>, usize),
    /// Jobs done of the running task.
    Progress(usize, usize),
    /// The running task ended.
    Finished(Result<Rc<Finished>, String>),
    /// It was cancelled.
    Cancelled,
    /// A task was refused before it started.
    Refused(String),
    /// Show this metric on the sweep's chart.
    Metric(String),
    /// Choose a point of the sweep.
    Pick(Option<usize>),
    /// The search finished.
    Recommended(Rc<Report>),
    /// K seeds of this scenario start.
    Seeding(Box<ScenarioConfig>),
    /// The Export panel writes for this library.
    Library(crate::export::Library),
}

impl Reducible for Tune {
    type Action = TuneAction;

    fn reduce(self: Rc<Self>, action: TuneAction) -> Rc<Self> {
        let mut s = Rc::unwrap_or_clone(self);
        match action {
            TuneAction::Tab(t) => s.tab = t,
            TuneAction::Form(f, v, base) => match f {
                Field::Path(n) => {
                    let known = knobs(&base).into_iter().find(|k| k.path == v.trim());
                    s.axes[n] = match known {
                        Some(k) if v.trim() != s.axes[n].path => AxisForm::from_vary(&k.suggest()),
                        _ => AxisForm {
                            path: v,
                            ..s.axes[n].clone()
                        },
                    };
                }
                Field::Lo(n) => s.axes[n].lo = v,
                Field::Hi(n) => s.axes[n].hi = v,
                Field::Steps(n) => s.axes[n].steps = v,
                Field::Log(n) => s.axes[n].log = v == "log",
                Field::Seeds => s.seeds = v,
                Field::SuiteSeeds => s.suite_seeds = v,
                Field::Unlock => s.search.unlock = v,
                Field::Require => s.search.require = v,
                Field::Goal => s.search.goal = v,
                Field::Objective => s.search.objective = v,
                Field::Pareto => s.search.pareto = v,
                Field::SearchSeeds => s.search.seeds = v,
                Field::Layers => s.search.layers = v,
            },
            TuneAction::Started(what, work, workers) => {
                s.error = None;
                s.job = Some(Job {
                    what,
                    total: work.jobs(),
                    work,
                    done: 0,
                    workers,
                });
            }
            TuneAction::Progress(done, total) => {
                if let Some(j) = &mut s.job {
                    (j.done, j.total) = (done, total);
                }
            }
            TuneAction::Finished(result) => {
                let Some(job) = s.job.take() else {
                    return Rc::new(s);
                };
                match (result.as_deref(), job.what) {
                    (Err(e), _) => s.error = Some(e.clone()),
                    (Ok(Finished::Sweep(table)), What::Sweep) => {
                        s.sweep = Some(SweepResult {
                            work: job.work,
                            table: Rc::new(table.clone()),
                        });
                        s.picked = None;
                    }
                    (Ok(Finished::Suite(cards)), what) => {
                        s.scores = Some(Rc::new(match (what, &cards[..]) {
                            (What::ScoreAB, [a, b]) => {
                                Scores::AB(Box::new(Comparison::of(a.clone(), b.clone())))
                            }
                            (What::Libraries, cards) => Scores::Libraries(LibraryTable::of(cards)),
                            (_, [one, ..]) => Scores::One(one.clone()),
                            (_, []) => return Rc::new(s),
                        }));
                    }
                    (Ok(Finished::Seeds(stats, bands)), What::Seeds) => {
                        if let Some(config) = s.seeding.take() {
                            let scenario = config.validate().ok().map(Rc::new);
                            s.seeded = Some(Rc::new(SeedsResult {
                                seeds: job.total as u32,
                                bands: scenario.map(|sc| (Rc::new(bands.clone()), sc)),
                                config: *config,
                                stats: stats.clone(),
                            }));
                        }
                    }
                    (Ok(_), _) => s.error = Some("a result of the wrong kind".into()),
                }
            }
            TuneAction::Cancelled => s.job = None,
            TuneAction::Refused(e) => s.error = Some(e),
            TuneAction::Metric(m) => s.metric = m,
            TuneAction::Pick(p) => s.picked = p,
            TuneAction::Seeding(cfg) => s.seeding = Some(cfg),
            TuneAction::Library(l) => s.library = l,
            TuneAction::Recommended(r) => {
                s.job = None;
                s.report = Some(r);
            }
        }
        Rc::new(s)
    }
}
