//! The tuner: the policy parameters a user unlocks, searched over the fault suite for the
//! best policy that meets the user's constraints.
//!
//! **Search: coarse to fine.** Stage 1 runs the current policy and every point of the
//! grid of the unlocked axes (each `PATH=LO..HI:STEPS[:log]`, as `herdsim sweep --vary`
//! reads it). Stage 2 runs a finer grid around stage 1's best point: on each axis,
//! [`FINE_STEPS`] values from the grid value below the best to the one above (or from the
//! best to its neighbour at an end of the axis; log spacing kept, whole fields rounded),
//! leaving out points already run and points whose policy does not validate. The best of
//! both stages wins. (A grid finds the best of its points, not between them; the second
//! stage looks between them, near the best, for 5^axes runs more at most.) With
//! `refine: false` only the grid runs.
//!
//! Each stage is a list of jobs, (candidate, suite [`Job`]), to run anywhere in any order
//! ([`Tuner::jobs`]); their [`RunFigures`] go back in job order ([`Tuner::take`]), as
//! with [`Plan`]. After the last stage [`Tuner::report`] gives every candidate's
//! scorecard, its feasibility (the violated constraints named), the Pareto front of two
//! metrics, the best feasible candidate and a [`Comparison`] of it against the current
//! policy.
//!
//! ```
//! use herdsim::sim::scenario::presets;
//! use herdsim::suite::{Metric, RunFigures, PerMetric};
//! use herdsim::sweep::Vary;
//! use herdsim::tune::search::{Constraint, Objective, Spec, Tuner};
//!
//! let spec = Spec {
//!     policy: presets::config("aws-sdk-standard").unwrap(),
//!     unlock: vec![Vary::parse("policy.max_attempts=1..3:3").unwrap()],
//!     require: vec![Constraint::parse("amplification<=1.15").unwrap()],
//!     objective: Objective::parse("minimise", "failed_requests").unwrap(),
//!     pareto: None,
//!     seeds: vec![1],
//!     refine: true,
//! };
//! let mut tuner = Tuner::new(spec).unwrap();
//! while !tuner.finished() {
//!     // stand-in figures (a real caller runs `job.run()`): more attempts, fewer failures
//!     let figures: Vec<RunFigures> = tuner
//!         .jobs()
//!         .iter()
//!         .map(|j| {
//!             let n = f64::from(j.job.config.policy.max_attempts.unwrap_or(1));
//!             RunFigures {
//!                 seed: j.job.seed,
//!                 partial: false,
//!                 values: PerMetric::from_fn(|m| match m {
//!                     Metric::FailedRequests => Some(100.0 / n),
//!                     Metric::Amplification => Some(1.0 + 0.1 * (n - 1.0)),
//!                     _ => Some(0.0),
//!                 }),
//!             }
//!         })
//!         .collect();
//!     tuner.take(&figures).unwrap();
//! }
//! let report = tuner.report().unwrap();
//! let best = &report.candidates[report.best.unwrap()];
//! assert_eq!(best.settings[0].text, "2"); // 3 attempts amplify 1.2×: infeasible
//! assert_eq!(report.apply, [("policy.max_attempts".to_string(), "2".to_string())]);
//! ```

use std::fmt;

use serde::Serialize;
use serde_json::Value;

use crate::sim::scenario::{bounds, edit};
use crate::sim::ScenarioConfig;
use crate::suite::{
    Better, Comparison, Job, Metric, Plan, RunFigures, Scorecard, Verdict, SCENARIOS,
};
use crate::sweep::Vary;

/// Most runs a search may make (candidates × suite scenarios × seeds, both stages at
/// their largest): about 5 minutes on 2 cores in a release build.
pub const MAX_RUNS: usize = 20_000;
/// Most unlocked parameters.
pub const MAX_UNLOCK: usize = 3;
/// Most seeds per suite scenario.
pub const MAX_SEEDS: usize = 100;
/// Most constraints.
pub const MAX_REQUIRE: usize = 16;
/// Values per axis in the finer grid of stage 2.
pub const FINE_STEPS: u32 = 5;
/// The top-level fields an unlocked path may lie under: the policy is all the suite takes.
pub const POLICY_FIELDS: [&str; 3] = ["policy", "breaker", "budget"];

/// Why a search was refused or could not go on: the field (`unlock`, `require`,
/// `objective`, `pareto`, `seeds`, `runs`, `figures`) and what is wrong.
#[derive(Clone, Debug, PartialEq)]
pub struct TuneError {
    /// The field of [`Spec`] (or `figures`) at fault.
    pub field: &'static str,
    /// What is wrong, naming the value.
    pub message: String,
}

impl fmt::Display for TuneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for TuneError {}

fn fail(field: &'static str, message: String) -> TuneError {
    TuneError { field, message }
}

/// A suite metric by its JSON name ([`Metric::key`]).
pub fn metric(key: &str) -> Result<Metric, String> {
    Metric::ALL
        .iter()
        .copied()
        .find(|m| m.key() == key.trim())
        .ok_or_else(|| {
            let keys: Vec<&str> = Metric::ALL.iter().map(|m| m.key()).collect();
            format!(
                "unknown metric \"{}\"; allowed: {}",
                bounds::shorten(key),
                keys.join(", ")
            )
        })
}

/// How a metric's means over the suite scenarios make one figure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Over {
    /// Their sum (counts: failed requests over the whole suite).
    Sum,
    /// The worst of them (latencies, amplification, recovery).
    Worst,
    /// Their mean.
    Mean,
}

impl Over {
    /// The default for `m`: the sum of a count, else the worst.
    pub fn default_for(m: Metric) -> Over {
        match m {
            Metric::FailedRequests | Metric::RejectedByBreaker | Metric::BudgetDeniedRetries => {
                Over::Sum
            }
            _ => Over::Worst,
        }
    }

    /// `sum`, `worst` or `mean`.
    pub fn word(self) -> &'static str {
        match self {
            Over::Sum => "sum",
            Over::Worst => "worst",
            Over::Mean => "mean",
        }
    }

    /// Read `METRIC[:sum|:worst|:mean]`.
    pub fn parse_metric(s: &str) -> Result<(Metric, Over), String> {
        let (key, over) = match s.rsplit_once(':') {
            Some((k, o)) => (k, Some(o.trim())),
            None => (s, None),
        };
        let m = metric(key)?;
        let over = match over {
            None => Over::default_for(m),
            Some("sum") => Over::Sum,
            Some("worst") => Over::Worst,
            Some("mean") => Over::Mean,
            Some(o) => {
                return Err(format!(
                    "after the metric only :sum, :worst or :mean may follow, got \":{}\"",
                    bounds::shorten(o)
                ))
            }
        };
        Ok((m, over))
    }
}

/// The figure of metric `m` over a scorecard's rows: `None` if a row has none (no
/// figure, or never recovered), which ranks worst.
pub fn aggregate(card: &Scorecard, m: Metric, over: Over) -> Option<f64> {
    let xs: Vec<f64> = card
        .rows
        .iter()
        .map(|r| r.stat(m).mean)
        .collect::<Option<_>>()?;
    if xs.is_empty() {
        return None;
    }
    Some(match over {
        Over::Sum => xs.iter().sum(),
        Over::Mean => xs.iter().sum::<f64>() / xs.len() as f64,
        Over::Worst if m.better() == Better::Higher => {
            xs.iter().copied().fold(f64::INFINITY, f64::min)
        }
        Over::Worst => xs.iter().copied().fold(f64::NEG_INFINITY, f64::max),
    })
}

/// `≤` or `≥`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    /// At most the bound.
    AtMost,
    /// At least the bound.
    AtLeast,
}

/// Where a constraint must hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// In every suite scenario (the mean over its seeds).
    Every,
    /// On the mean over the suite scenarios.
    Mean,
}

/// A constraint: `metric op bound`, in every scenario or on the mean.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Constraint {
    /// The suite metric.
    pub metric: Metric,
    /// `≤` or `≥`.
    pub op: Op,
    /// The bound, in the metric's unit (ms, a share, a multiple, a count).
    pub bound: f64,
    /// Where it must hold.
    pub scope: Scope,
}

impl Constraint {
    /// Read `METRIC<=VALUE` or `METRIC>=VALUE`, then optionally `:every` (the default) or
    /// `:mean`: `amplification<=1.2`, `time_to_recover_ms<=5000`,
    /// `availability>=0.99:mean`.
    pub fn parse(s: &str) -> Result<Constraint, String> {
        let shape = "METRIC<=VALUE or METRIC>=VALUE, then :every or :mean";
        let (key, op, rest) = if let Some((k, r)) = s.split_once("<=") {
            (k, Op::AtMost, r)
        } else if let Some((k, r)) = s.split_once(">=") {
            (k, Op::AtLeast, r)
        } else {
            return Err(format!("\"{}\" is not {shape}", bounds::shorten(s)));
        };
        let metric = metric(key)?;
        let (value, scope) = match rest.split_once(':') {
            None => (rest, Scope::Every),
            Some((v, "every")) => (v, Scope::Every),
            Some((v, "mean")) => (v, Scope::Mean),
            Some((_, other)) => {
                return Err(format!(
                    "after the value only :every or :mean may follow, got \":{}\"",
                    bounds::shorten(other)
                ))
            }
        };
        let bound = value
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .ok_or_else(|| {
                format!(
                    "the bound of {} must be a finite number, got \"{}\"",
                    metric.key(),
                    bounds::shorten(value)
                )
            })?;
        Ok(Constraint {
            metric,
            op,
            bound,
            scope,
        })
    }

    /// As it reads back: `amplification<=1.2` (`:mean` when on the mean).
    pub fn text(&self) -> String {
        let op = match self.op {
            Op::AtMost => "<=",
            Op::AtLeast => ">=",
        };
        let scope = match self.scope {
            Scope::Every => "",
            Scope::Mean => ":mean",
        };
        format!(
            "{}{op}{}{scope}",
            self.metric.key(),
            bounds::fmt_value(self.bound)
        )
    }

    fn holds(&self, x: f64) -> bool {
        match self.op {
            Op::AtMost => x <= self.bound,
            Op::AtLeast => x >= self.bound,
        }
    }

    /// Where `card` breaks it: a violation per scenario (every) or one (mean). A missing
    /// figure breaks it, except a never-recovered time against `>=`.
    pub fn violations(&self, card: &Scorecard) -> Vec<Violation> {
        let check = |x: Option<f64>| match x {
            Some(x) => self.holds(x),
            None => self.metric.missing_is_infinite() && self.op == Op::AtLeast,
        };
        let v = |scenario: Option<String>, value| Violation {
            constraint: self.text(),
            scenario,
            value,
        };
        match self.scope {
            Scope::Every => card
                .rows
                .iter()
                .filter(|r| !check(r.stat(self.metric).mean))
                .map(|r| v(Some(r.scenario.clone()), r.stat(self.metric).mean))
                .collect(),
            Scope::Mean => {
                let x = aggregate(card, self.metric, Over::Mean);
                if check(x) {
                    vec![]
                } else {
                    vec![v(None, x)]
                }
            }
        }
    }
}

/// One broken constraint.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Violation {
    /// The constraint, as it reads ([`Constraint::text`]).
    pub constraint: String,
    /// The scenario where it broke (`None`: on the mean).
    pub scenario: Option<String>,
    /// The figure there (`None`: none, or never recovered).
    pub value: Option<f64>,
}

/// Minimise or maximise.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Goal {
    /// Smaller is better.
    Minimise,
    /// Larger is better.
    Maximise,
}

/// What the best policy minimises or maximises: a metric over the suite scenarios.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Objective {
    /// Which way.
    pub goal: Goal,
    /// The metric.
    pub metric: Metric,
    /// Over the scenarios.
    pub over: Over,
}

impl Objective {
    /// `goal` is `minimise` or `maximise`; `metric` is `METRIC[:sum|:worst|:mean]`
    /// (default: the sum of a count, else the worst).
    pub fn parse(goal: &str, metric: &str) -> Result<Objective, String> {
        let goal = match goal {
            "minimise" | "minimize" => Goal::Minimise,
            "maximise" | "maximize" => Goal::Maximise,
            g => {
                return Err(format!(
                    "the goal must be minimise or maximise, got \"{}\"",
                    bounds::shorten(g)
                ))
            }
        };
        let (metric, over) = Over::parse_metric(metric)?;
        Ok(Objective { goal, metric, over })
    }

    /// In words: `minimise failed_requests (sum over the scenarios)`.
    pub fn text(&self) -> String {
        let g = match self.goal {
            Goal::Minimise => "minimise",
            Goal::Maximise => "maximise",
        };
        format!(
            "{g} {} ({} over the scenarios)",
            self.metric.key(),
            self.over.word()
        )
    }

    /// Whether `a` is better than `b` (a missing figure is worst).
    fn better(&self, a: Option<f64>, b: Option<f64>) -> bool {
        match (a, b) {
            (Some(a), Some(b)) => match self.goal {
                Goal::Minimise => a < b,
                Goal::Maximise => a > b,
            },
            (Some(_), None) => true,
            _ => false,
        }
    }
}

/// What to search.
#[derive(Clone, Debug, PartialEq)]
pub struct Spec {
    /// The current policy: the scenario whose `policy`, `breaker` and `budget` the
    /// candidates start from ([`apply_policy`](crate::suite::apply_policy)).
    pub policy: ScenarioConfig,
    /// The unlocked parameters (1 to [`MAX_UNLOCK`], under policy, breaker or budget).
    pub unlock: Vec<Vary>,
    /// The constraints (at most [`MAX_REQUIRE`]).
    pub require: Vec<Constraint>,
    /// What the best feasible candidate minimises or maximises.
    pub objective: Objective,
    /// Two metrics for the Pareto front, each over the scenarios as given.
    pub pareto: Option<[(Metric, Over); 2]>,
    /// The seeds every suite scenario runs with (1 to [`MAX_SEEDS`]).
    pub seeds: Vec<u64>,
    /// Run stage 2, the finer grid around the best point.
    pub refine: bool,
}

/// One unlocked field's value in a candidate.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Setting {
    /// The path (as `--set` takes it).
    pub path: String,
    /// The value as `--set` takes it.
    pub text: String,
    /// The value (`None`: the current policy does not have the field).
    pub value: Option<f64>,
}

struct Candidate {
    settings: Vec<Setting>,
    stage: u8,
    plan: Plan,
    card: Option<Scorecard>,
}

/// One job of a stage: a candidate's suite job.
#[derive(Clone, Copy, Debug)]
pub struct TuneJob<'a> {
    /// The candidate (0: the current policy; see [`Report::candidates`]).
    pub candidate: usize,
    /// The suite job: what runs (`job.config` and `job.seed` for a worker).
    pub job: Job<'a>,
}

impl TuneJob<'_> {
    /// Run it here (single-threaded, pure).
    pub fn run(&self) -> RunFigures {
        self.job.run()
    }
}

/// A search in progress: made by [`Tuner::new`], fed stage by stage.
pub struct Tuner {
    spec: Spec,
    doc: Value,
    candidates: Vec<Candidate>,
    /// The candidates of the stage running, in job order.
    pending: Vec<usize>,
    stage: u8,
    skipped: Vec<String>,
}

impl fmt::Debug for Tuner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Tuner(stage {}, {} candidates)",
            self.stage,
            self.candidates.len()
        )
    }
}

/// The cartesian product of `lists`, the first changing slowest.
fn product<T: Clone>(lists: &[Vec<T>]) -> Vec<Vec<T>> {
    lists.iter().fold(vec![vec![]], |acc, list| {
        acc.iter()
            .flat_map(|prefix| {
                list.iter().map(move |x| {
                    let mut p = prefix.clone();
                    p.push(x.clone());
                    p
                })
            })
            .collect()
    })
}

impl Tuner {
    /// Check `spec` (every message names its field) and make stage 1: the current policy
    /// and every grid point, each valid in every suite scenario.
    pub fn new(spec: Spec) -> Result<Tuner, TuneError> {
        if spec.unlock.is_empty() || spec.unlock.len() > MAX_UNLOCK {
            return Err(fail(
                "unlock",
                format!(
                    "unlock 1 to {MAX_UNLOCK} parameters, got {}",
                    spec.unlock.len()
                ),
            ));
        }
        for (i, a) in spec.unlock.iter().enumerate() {
            let top = a.path().split('.').next().unwrap_or_default();
            if !POLICY_FIELDS.contains(&top) {
                return Err(fail(
                    "unlock",
                    format!(
                        "{}: only fields under policy, breaker or budget can be unlocked (the \
                         suite's world is fixed)",
                        a.path()
                    ),
                ));
            }
            if spec.unlock[..i].iter().any(|b| b.path() == a.path()) {
                return Err(fail("unlock", format!("{} is unlocked twice", a.path())));
            }
        }
        if spec.require.len() > MAX_REQUIRE {
            return Err(fail(
                "require",
                format!(
                    "at most {MAX_REQUIRE} constraints, got {}",
                    spec.require.len()
                ),
            ));
        }
        if spec.seeds.is_empty() || spec.seeds.len() > MAX_SEEDS {
            return Err(fail(
                "seeds",
                format!("1 to {MAX_SEEDS} seeds, got {}", spec.seeds.len()),
            ));
        }
        if let Some([(a, _), (b, _)]) = spec.pareto {
            if a == b {
                return Err(fail(
                    "pareto",
                    format!("two different metrics, got {} twice", a.key()),
                ));
            }
        }
        let grid: usize = spec.unlock.iter().map(|a| a.values().len()).product();
        let fine = if spec.refine {
            (FINE_STEPS as usize).pow(spec.unlock.len() as u32)
        } else {
            0
        };
        let runs = (1 + grid + fine) * SCENARIOS.len() * spec.seeds.len();
        if runs > MAX_RUNS {
            return Err(fail(
                "runs",
                format!(
                    "(1 current + {grid} grid + up to {fine} finer candidates) × {} scenarios \
                     × {} seeds = up to {runs} runs; allowed at most {MAX_RUNS}: fewer \
                     unlock steps or seeds",
                    SCENARIOS.len(),
                    spec.seeds.len()
                ),
            ));
        }
        let doc = serde_json::to_value(&spec.policy).map_err(|e| fail("policy", e.to_string()))?;
        let current: Vec<Setting> = spec
            .unlock
            .iter()
            .map(|a| {
                let v = edit::get(&doc, a.path());
                Setting {
                    path: a.path().into(),
                    text: match v.as_f64() {
                        Some(x) => bounds::fmt_value(x),
                        None if v.is_null() => "—".into(),
                        None => v.to_string(),
                    },
                    value: v.as_f64(),
                }
            })
            .collect();
        let plan =
            Plan::new(&spec.policy, &spec.seeds).map_err(|e| fail("policy", e.to_string()))?;
        let mut t = Tuner {
            doc,
            candidates: vec![Candidate {
                settings: current,
                stage: 1,
                plan,
                card: None,
            }],
            pending: vec![0],
            stage: 1,
            skipped: vec![],
            spec,
        };
        let axes: Vec<Vec<(String, f64)>> = t
            .spec
            .unlock
            .iter()
            .map(|a| {
                a.texts()
                    .iter()
                    .cloned()
                    .zip(a.values().iter().copied())
                    .collect()
            })
            .collect();
        let points = product(&axes);
        let of = points.len();
        for (i, point) in points.into_iter().enumerate() {
            let c = t.candidate(&point, 1).map_err(|e| {
                fail(
                    "unlock",
                    format!(
                        "point {} of {of} ({}): {e}",
                        i + 1,
                        label(&t.spec.unlock, &point)
                    ),
                )
            })?;
            t.pending.push(t.candidates.len());
            t.candidates.push(c);
        }
        Ok(t)
    }

    /// The candidate with the unlocked fields at `point`'s values.
    fn candidate(&self, point: &[(String, f64)], stage: u8) -> Result<Candidate, String> {
        let mut doc = self.doc.clone();
        for (a, (text, _)) in self.spec.unlock.iter().zip(point) {
            edit::set(&mut doc, a.path(), text)?;
        }
        let mut cfg = ScenarioConfig::from_value(doc).map_err(|e| e.to_string())?;
        cfg.name = label(&self.spec.unlock, point);
        let plan = Plan::new(&cfg, &self.spec.seeds).map_err(|e| e.to_string())?;
        Ok(Candidate {
            settings: self
                .spec
                .unlock
                .iter()
                .zip(point)
                .map(|(a, (text, v))| Setting {
                    path: a.path().into(),
                    text: text.clone(),
                    value: Some(*v),
                })
                .collect(),
            stage,
            plan,
            card: None,
        })
    }

    /// The stage running: 1 (the grid), 2 (the finer grid); `None` when finished.
    pub fn stage(&self) -> Option<u8> {
        (!self.pending.is_empty()).then_some(self.stage)
    }

    /// Whether every stage has run.
    pub fn finished(&self) -> bool {
        self.pending.is_empty()
    }

    /// The jobs of the stage running, candidate by candidate, each candidate's jobs in
    /// [`Plan::jobs`] order; empty when finished. [`Tuner::take`] wants their figures in
    /// this order.
    pub fn jobs(&self) -> Vec<TuneJob<'_>> {
        self.pending
            .iter()
            .flat_map(|&i| {
                self.candidates[i]
                    .plan
                    .jobs()
                    .into_iter()
                    .map(move |job| TuneJob { candidate: i, job })
            })
            .collect()
    }

    /// The figures of [`Tuner::jobs`], in their order: score the stage's candidates and
    /// make the next stage (or finish).
    pub fn take(&mut self, figures: &[RunFigures]) -> Result<(), TuneError> {
        let per = SCENARIOS.len() * self.spec.seeds.len();
        if figures.len() != self.pending.len() * per {
            return Err(fail(
                "figures",
                format!(
                    "{} jobs in this stage, {} figures",
                    self.pending.len() * per,
                    figures.len()
                ),
            ));
        }
        let cards = self
            .pending
            .iter()
            .zip(figures.chunks(per))
            .map(|(&i, f)| self.candidates[i].plan.scorecard(f))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| fail("figures", e.to_string()))?;
        for (&i, card) in self.pending.iter().zip(cards) {
            self.candidates[i].card = Some(card);
        }
        self.pending.clear();
        if self.stage == 1 && self.spec.refine {
            self.stage = 2;
            self.refine();
        }
        Ok(())
    }

    /// Stage 2's candidates: the finer grid around stage 1's best point.
    fn refine(&mut self) {
        let Some(best) = self.best_of(|c| c.stage == 1) else {
            return;
        };
        let axes: Vec<Vec<(String, f64)>> = self
            .spec
            .unlock
            .iter()
            .zip(&self.candidates[best].settings)
            .map(|(a, s)| fine_axis(a, s.value.unwrap_or(f64::NAN)))
            .collect();
        for point in product(&axes) {
            let seen = self.candidates[1..].iter().any(|c| {
                c.settings
                    .iter()
                    .zip(&point)
                    .all(|(s, (_, v))| s.value == Some(*v))
            });
            if seen {
                continue;
            }
            match self.candidate(&point, 2) {
                Ok(c) => {
                    self.pending.push(self.candidates.len());
                    self.candidates.push(c);
                }
                Err(e) => self
                    .skipped
                    .push(format!("{}: {e}", label(&self.spec.unlock, &point))),
            }
        }
    }

    /// The index of the best scored candidate among those `keep` picks: feasible before
    /// infeasible, then fewer violations, then the objective, then the earlier.
    fn best_of(&self, keep: impl Fn(&Candidate) -> bool) -> Option<usize> {
        let mut best: Option<(usize, usize, Option<f64>)> = None;
        for (i, c) in self.candidates.iter().enumerate().skip(1) {
            let Some(card) = &c.card else { continue };
            if !keep(c) {
                continue;
            }
            let v = self.violations(card).len();
            let o = aggregate(card, self.spec.objective.metric, self.spec.objective.over);
            let better = match best {
                None => true,
                Some((_, bv, bo)) => v < bv || (v == bv && self.spec.objective.better(o, bo)),
            };
            if better {
                best = Some((i, v, o));
            }
        }
        best.map(|b| b.0)
    }

    fn violations(&self, card: &Scorecard) -> Vec<Violation> {
        self.spec
            .require
            .iter()
            .flat_map(|c| c.violations(card))
            .collect()
    }

    /// The report, once [`finished`](Tuner::finished).
    pub fn report(&self) -> Option<Report> {
        if !self.finished() {
            return None;
        }
        let eval = |c: &Candidate| -> Option<Evaluated> {
            let card = c.card.clone()?;
            let violations = self.violations(&card);
            Some(Evaluated {
                settings: c.settings.clone(),
                stage: c.stage,
                feasible: violations.is_empty(),
                objective: aggregate(&card, self.spec.objective.metric, self.spec.objective.over),
                violations,
                scorecard: card,
            })
        };
        let current = eval(&self.candidates[0])?;
        let candidates: Vec<Evaluated> = self.candidates[1..].iter().filter_map(eval).collect();
        let best = self
            .best_of(|_| true)
            .map(|i| i - 1)
            .filter(|&i| candidates[i].feasible);
        let pareto = self.spec.pareto.map(|axes| pareto(&candidates, axes));
        let comparison = best
            .map(|b| Comparison::of(current.scorecard.clone(), candidates[b].scorecard.clone()));
        let beats = best
            .map(|b| {
                Metric::ALL
                    .iter()
                    .map(|&m| {
                        let over = Over::default_for(m);
                        let a = aggregate(&current.scorecard, m, over);
                        let b = aggregate(&candidates[b].scorecard, m, over);
                        Beat {
                            metric: m,
                            over,
                            current: a,
                            best: b,
                            delta: a.zip(b).map(|(a, b)| b - a),
                            verdict: m.better().verdict(a, b, m.missing_is_infinite()),
                        }
                    })
                    .collect()
            })
            .unwrap_or_default();
        let apply = best
            .map(|b| {
                candidates[b]
                    .settings
                    .iter()
                    .map(|s| (s.path.clone(), s.text.clone()))
                    .collect()
            })
            .unwrap_or_default();
        Some(Report {
            search: if self.spec.refine {
                "coarse-to-fine"
            } else {
                "grid"
            },
            unlocked: self
                .spec
                .unlock
                .iter()
                .map(|a| a.given().to_string())
                .collect(),
            require: self.spec.require.iter().map(Constraint::text).collect(),
            objective: self.spec.objective,
            seeds: self.spec.seeds.clone(),
            current,
            candidates,
            best,
            pareto,
            comparison,
            beats,
            apply,
            skipped: self.skipped.clone(),
        })
    }

    /// Every stage run here, one job after the other (the tests' and a small page's way;
    /// the CLI runs each stage's jobs on every core).
    pub fn run(spec: Spec) -> Result<Report, TuneError> {
        let mut t = Tuner::new(spec)?;
        while !t.finished() {
            let figures: Vec<RunFigures> = t.jobs().iter().map(TuneJob::run).collect();
            t.take(&figures)?;
        }
        t.report()
            .ok_or_else(|| fail("figures", "the search did not finish".into()))
    }
}

/// `path = value, …` of a point.
fn label(axes: &[Vary], point: &[(String, f64)]) -> String {
    axes.iter()
        .zip(point)
        .map(|(a, (t, _))| format!("{} = {t}", a.path()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Axis `a`'s finer values around `v`: [`FINE_STEPS`] from its grid neighbour below to the
/// one above (fewer when a whole field has fewer distinct values); `v` alone off the grid.
fn fine_axis(a: &Vary, v: f64) -> Vec<(String, f64)> {
    let vals = a.values();
    let texts = a.texts();
    let Some(i) = vals.iter().position(|&x| x == v) else {
        return vec![];
    };
    let (lo, hi) = (i.saturating_sub(1), (i + 1).min(vals.len() - 1));
    let alone = vec![(texts[i].clone(), v)];
    if lo == hi {
        return alone;
    }
    let steps = if lo < i && i < hi {
        FINE_STEPS
    } else {
        FINE_STEPS.div_ceil(2)
    };
    for s in (2..=steps).rev() {
        let spec = format!(
            "{}={}..{}:{s}{}",
            a.path(),
            texts[lo],
            texts[hi],
            if a.log() { ":log" } else { "" }
        );
        if let Ok(f) = Vary::parse(&spec) {
            return f
                .texts()
                .iter()
                .cloned()
                .zip(f.values().iter().copied())
                .collect();
        }
    }
    alone
}

/// A candidate's figures.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Evaluated {
    /// The unlocked fields' values.
    pub settings: Vec<Setting>,
    /// The stage that ran it (1: the grid, and the current policy; 2: the finer grid).
    pub stage: u8,
    /// Every constraint holds.
    pub feasible: bool,
    /// The objective's figure (`None`: a scenario had none).
    pub objective: Option<f64>,
    /// The constraints it breaks, where.
    pub violations: Vec<Violation>,
    /// Its scorecard: each scenario's stats over the seeds.
    pub scorecard: Scorecard,
}

/// How the best candidate compares with the current policy on one metric, over the
/// scenarios ([`Over::default_for`]).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Beat {
    /// The metric.
    pub metric: Metric,
    /// Over the scenarios.
    pub over: Over,
    /// The current policy's figure.
    pub current: Option<f64>,
    /// The best candidate's.
    pub best: Option<f64>,
    /// best − current.
    pub delta: Option<f64>,
    /// Whether the best is better ([`Better::verdict`]).
    pub verdict: Option<Verdict>,
}

/// The Pareto front of two metrics.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Pareto {
    /// The metrics and how each is taken over the scenarios.
    pub axes: [(Metric, Over); 2],
    /// Of the feasible candidates (all of them if none is feasible).
    pub feasible_only: bool,
    /// The candidates no other beats on both (indices into [`Report::candidates`]), by
    /// the first metric; each with its two figures.
    pub front: Vec<(usize, f64, f64)>,
}

fn pareto(cands: &[Evaluated], axes: [(Metric, Over); 2]) -> Pareto {
    let feasible_only = cands.iter().any(|c| c.feasible);
    let sign = |m: Metric| {
        if m.better() == Better::Higher {
            -1.0
        } else {
            1.0
        }
    };
    let pts: Vec<(usize, f64, f64)> = cands
        .iter()
        .enumerate()
        .filter(|(_, c)| c.feasible || !feasible_only)
        .filter_map(|(i, c)| {
            let x = aggregate(&c.scorecard, axes[0].0, axes[0].1)?;
            let y = aggregate(&c.scorecard, axes[1].0, axes[1].1)?;
            Some((i, x, y))
        })
        .collect();
    let (sx, sy) = (sign(axes[0].0), sign(axes[1].0));
    let dominated = |&(_, x, y): &(usize, f64, f64)| {
        pts.iter().any(|&(_, a, b)| {
            sx * a <= sx * x && sy * b <= sy * y && (sx * a < sx * x || sy * b < sy * y)
        })
    };
    let mut front: Vec<(usize, f64, f64)> = pts.iter().filter(|p| !dominated(p)).copied().collect();
    front.sort_by(|a, b| (sx * a.1).total_cmp(&(sx * b.1)).then(a.0.cmp(&b.0)));
    Pareto {
        axes,
        feasible_only,
        front,
    }
}

/// A finished search.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    /// `coarse-to-fine` or `grid`.
    pub search: &'static str,
    /// The unlocked axes as given.
    pub unlocked: Vec<String>,
    /// The constraints, as they read.
    pub require: Vec<String>,
    /// The objective.
    pub objective: Objective,
    /// The seeds of every suite scenario.
    pub seeds: Vec<u64>,
    /// The current policy.
    pub current: Evaluated,
    /// Every candidate run, stage 1's grid first, then stage 2's.
    pub candidates: Vec<Evaluated>,
    /// The best feasible candidate (an index into `candidates`); `None`: none is feasible.
    pub best: Option<usize>,
    /// The Pareto front, if two metrics were asked for.
    pub pareto: Option<Pareto>,
    /// The current policy (A) against the best (B).
    pub comparison: Option<Comparison>,
    /// What the best beats the current policy by, metric by metric.
    pub beats: Vec<Beat>,
    /// The best candidate as `--set PATH=VALUE` pairs: what applying it changes.
    pub apply: Vec<(String, String)>,
    /// Stage 2 points left out, with why (their policy does not validate).
    pub skipped: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::scenario::presets;
    use crate::suite::PerMetric;

    fn spec(unlock: &[&str], require: &[&str]) -> Spec {
        Spec {
            policy: presets::config("aws-sdk-standard").unwrap(),
            unlock: unlock.iter().map(|u| Vary::parse(u).unwrap()).collect(),
            require: require
                .iter()
                .map(|r| Constraint::parse(r).unwrap())
                .collect(),
            objective: Objective::parse("minimise", "failed_requests").unwrap(),
            pareto: Some([
                (Metric::FailedRequests, Over::Sum),
                (Metric::Amplification, Over::Worst),
            ]),
            seeds: vec![1],
            refine: true,
        }
    }

    /// Stand-in figures from a candidate's base delay b (ms): failed = (b − 380)², the
    /// amplification 1 + b/1000, the same in every scenario.
    fn feed(t: &mut Tuner) -> usize {
        let figures: Vec<RunFigures> = t
            .jobs()
            .iter()
            .map(|j| {
                let b = j.job.config.policy.backoff.base_ms;
                RunFigures {
                    seed: j.job.seed,
                    partial: false,
                    values: PerMetric::from_fn(|m| match m {
                        Metric::FailedRequests => Some((b - 380.0).powi(2)),
                        Metric::Amplification => Some(1.0 + b / 1000.0),
                        _ => Some(1.0),
                    }),
                }
            })
            .collect();
        let n = figures.len();
        t.take(&figures).unwrap();
        n
    }

    #[test]
    fn coarse_then_fine_finds_the_best_between_grid_points() {
        let mut t = Tuner::new(spec(&["policy.backoff.base_ms=100..500:3"], &[])).unwrap();
        assert_eq!(t.stage(), Some(1));
        // the current policy and 100, 300, 500 ms, each through the 6 scenarios
        assert_eq!(feed(&mut t), 4 * SCENARIOS.len());
        // best of the grid: 300 (6,400); the finer grid 100..500:5 adds 200 and 400
        assert_eq!(t.stage(), Some(2));
        assert_eq!(feed(&mut t), 2 * SCENARIOS.len());
        assert!(t.finished() && t.jobs().is_empty());
        let r = t.report().unwrap();
        let texts: Vec<&str> = r
            .candidates
            .iter()
            .map(|c| c.settings[0].text.as_str())
            .collect();
        assert_eq!(texts, ["100", "300", "500", "200", "400"]);
        assert_eq!(r.best, Some(4));
        assert_eq!(r.candidates[4].objective, Some(400.0 * 6.0));
        assert_eq!(
            r.apply,
            [("policy.backoff.base_ms".to_string(), "400".to_string())]
        );
        // the current policy's own value, as --set takes it
        assert_eq!(r.current.settings[0].text, "1000");
        // failed falls and amplification rises from 100 to 400 ms: those four are the
        // front, by failed requests (the first metric); 500 is beaten by 400 on both
        let front: Vec<usize> = r
            .pareto
            .as_ref()
            .unwrap()
            .front
            .iter()
            .map(|p| p.0)
            .collect();
        assert_eq!(front, [4, 1, 3, 0]);
        let beat = r
            .beats
            .iter()
            .find(|b| b.metric == Metric::FailedRequests)
            .unwrap();
        assert_eq!(beat.current, Some(620.0f64.powi(2) * 6.0));
        assert_eq!(beat.verdict, Some(Verdict::Better));
        assert!(r.comparison.is_some());
    }

    #[test]
    fn constraints_decide_feasibility_and_name_where_they_break() {
        let s = spec(
            &["policy.backoff.base_ms=100..500:3"],
            &["amplification<=1.25"],
        );
        let mut t = Tuner::new(grid(s)).unwrap();
        feed(&mut t);
        let r = t.report().unwrap();
        // 300 and 500 amplify 1.3× and 1.5×: only 100 is feasible
        assert_eq!(r.best, Some(0));
        let v = &r.candidates[1].violations;
        assert_eq!(v.len(), SCENARIOS.len());
        assert_eq!(v[0].constraint, "amplification<=1.25");
        assert_eq!(v[0].scenario.as_deref(), Some("short-outage"));
        assert_eq!(v[0].value, Some(1.3));
        assert_eq!(r.search, "grid");
        // the mean scope gives one violation
        let c = Constraint::parse("amplification<=1.25:mean").unwrap();
        assert_eq!(c.violations(&r.candidates[1].scorecard).len(), 1);
        // nothing feasible: no best, no comparison, nothing to apply
        let none = spec(
            &["policy.backoff.base_ms=100..500:3"],
            &["amplification<=1.01"],
        );
        let mut t = Tuner::new(grid(none)).unwrap();
        feed(&mut t);
        let r = t.report().unwrap();
        assert_eq!(
            (r.best, r.comparison.is_none(), r.apply.len()),
            (None, true, 0)
        );
        assert!(!r.pareto.unwrap().feasible_only);
    }

    /// The spec without stage 2.
    fn grid(s: Spec) -> Spec {
        Spec { refine: false, ..s }
    }

    #[test]
    fn bad_specs_name_their_field() {
        let err = |s: Spec| Tuner::new(s).unwrap_err();
        let e = err(spec(&["clients.count=1..5:5"], &[]));
        assert_eq!(e.field, "unlock");
        assert!(
            e.message
                .contains("only fields under policy, breaker or budget"),
            "{e}"
        );
        let e = err(spec(
            &["policy.max_attempts=1..5:5", "policy.max_attempts=1..3:3"],
            &[],
        ));
        assert!(e.message.contains("unlocked twice"), "{e}");
        assert_eq!(err(spec(&[], &[])).field, "unlock");
        let mut s = spec(&["policy.max_attempts=1..5:5"], &[]);
        s.seeds = vec![];
        assert_eq!(err(s).field, "seeds");
        let e = err(spec(
            &[
                "policy.max_attempts=1..100:100",
                "policy.backoff.base_ms=1..100:100",
            ],
            &[],
        ));
        assert_eq!(e.field, "runs");
        assert!(e.message.contains("allowed at most 20000"), "{e}");
        // a grid point whose policy does not validate: named, with the field
        let e = err(spec(&["budget.token_ratio=0.1..0.2:2"], &[]));
        assert_eq!(e.field, "unlock");
        assert!(
            e.message
                .contains("point 1 of 2 (budget.token_ratio = 0.1)"),
            "{e}"
        );
        let mut s = spec(&["policy.max_attempts=1..5:5"], &[]);
        s.pareto = Some([
            (Metric::Availability, Over::Sum),
            (Metric::Availability, Over::Worst),
        ]);
        assert_eq!(err(s).field, "pareto");
        let mut t = Tuner::new(spec(&["policy.max_attempts=1..2:2"], &[])).unwrap();
        assert_eq!(t.take(&[]).unwrap_err().field, "figures");
    }

    #[test]
    fn constraints_and_objectives_read_strictly() {
        let c = Constraint::parse("time_to_recover_ms<=5000").unwrap();
        assert_eq!(
            (c.metric, c.op, c.bound, c.scope),
            (Metric::TimeToRecover, Op::AtMost, 5000.0, Scope::Every)
        );
        assert_eq!(
            Constraint::parse("availability>=0.99:mean").unwrap().text(),
            "availability>=0.99:mean"
        );
        for (bad, needle) in [
            ("amplification<1.2", "is not METRIC<=VALUE"),
            (
                "amp<=1.2",
                "unknown metric \"amp\"; allowed: availability, failed_requests",
            ),
            (
                "amplification<=x",
                "the bound of amplification must be a finite number, got \"x\"",
            ),
            ("amplification<=inf", "finite"),
            ("amplification<=1:some", "only :every or :mean"),
        ] {
            let e = Constraint::parse(bad).unwrap_err();
            assert!(e.contains(needle), "{bad}: {e}");
        }
        let o = Objective::parse("maximise", "availability").unwrap();
        assert_eq!((o.goal, o.over), (Goal::Maximise, Over::Worst));
        assert_eq!(
            Objective::parse("minimise", "failed_requests")
                .unwrap()
                .over,
            Over::Sum
        );
        assert_eq!(
            Objective::parse("minimise", "success_p99_ms:mean")
                .unwrap()
                .over,
            Over::Mean
        );
        assert!(Objective::parse("minimise", "success_p99_ms:max")
            .unwrap_err()
            .contains(":sum, :worst or :mean"));
        // a never-recovered scenario fails a recovery bound
        let mut card = Plan::new(&presets::config("gobreaker").unwrap(), &[1]).unwrap();
        let figs: Vec<RunFigures> = card
            .jobs()
            .iter()
            .map(|j| RunFigures {
                seed: j.seed,
                partial: false,
                values: PerMetric::from_fn(|m| {
                    (m != Metric::TimeToRecover || j.row > 0).then_some(1.0)
                }),
            })
            .collect();
        let sc = card.scorecard(&figs).unwrap();
        let v = c.violations(&sc);
        assert_eq!((v.len(), v[0].value), (1, None));
        assert_eq!(aggregate(&sc, Metric::TimeToRecover, Over::Worst), None);
        card = Plan::new(&presets::config("gobreaker").unwrap(), &[1]).unwrap();
        assert_eq!(card.seeds(), [1]);
    }
}
