//! Parameter sweeps: one or two numeric scenario fields varied over a grid, K seeds a
//! point, each metric's mean, min, max, p10 and p90 over the seeds. Pure like
//! [`sim`](crate::sim) (no I/O, no threads, no clock), so the CLI (`herdsim sweep`, every
//! core through [`batch::sweep`](crate::batch::sweep)) and the page (web workers) run the
//! same points with the same seeds and get the same table.
//!
//! - [`Vary`]: one axis, read strictly from `PATH=LO..HI:STEPS[:log]`.
//! - [`Sweep::new`]: the one check of a whole sweep (sizes, each field's range, every
//!   point's scenario) before any run: a [`Sweep`] is valid by construction.
//! - The work: [`Sweep::runs`] runs, run `j` being [`Sweep::job`]`(j)`: point
//!   [`Sweep::point_config`]`(point)` with `seed`. Run them anywhere, in any order, with
//!   [`Sim`](crate::sim::Sim); [`Sweep::measure`] turns each summary into the metrics'
//!   values and [`Sweep::table`] the values of every run, in job order, into a [`Table`].
//!
//! Points are the grid of the axes, row-major: the first axis changes slowest. Point `i`
//! is the base scenario with each axis's value set by [`edit::set`] (exactly `--set
//! PATH=VALUE`); its seeds are the scenario's seed, seed + 1, …, seed + K − 1 (as
//! `herdsim run --runs K`).
//!
//! ```
//! use herdsim::sim::{scenario::presets, Sim};
//! use herdsim::sweep::{Metric, Sweep, Vary};
//!
//! let mut base = presets::config("retry-storm").unwrap();
//! base.clients.count = 50;
//! base.duration_ms = 2000.0;
//! let axes = vec![Vary::parse("policy.max_attempts=1..3:3").unwrap()];
//! let metrics = vec![Metric::parse("amplification").unwrap()];
//! let sweep = Sweep::new(base, axes, 2, metrics).unwrap();
//! assert_eq!((sweep.points(), sweep.runs()), (3, 6));
//! let measured: Vec<_> = (0..sweep.runs())
//!     .map(|j| {
//!         let job = sweep.job(j).unwrap();
//!         let scenario = sweep.point_scenario(job.point).unwrap();
//!         sweep.measure(&Sim::new(&scenario, job.seed).run_to_summary())
//!     })
//!     .collect();
//! let table = sweep.table(&measured).unwrap();
//! assert_eq!(table.points()[0].stats[0].mean, Some(1.0)); // one attempt each
//! ```

use std::fmt;

use serde_json::Value;

use crate::sim::scenario::{bounds, edit};
use crate::sim::{Scenario, ScenarioConfig, Summary};

pub mod bands;
mod knobs;
mod metric;
mod stats;
mod table;
mod vary;

pub use knobs::{knobs, Knob};
pub use metric::{names as metric_names, Metric, DEFAULT_METRICS};
pub use stats::{percentile, Stats};
pub use table::{Row, Table};
pub use vary::{Vary, VaryError, MAX_STEPS, SHAPE};

/// Most axes: a line or a grid.
pub const MAX_AXES: usize = 2;
/// Most seeds a point (as `herdsim run --runs`).
pub const MAX_SEEDS: u32 = 10_000;
/// Most runs in a sweep (points × seeds): about as long as a run of 100,000 small
/// scenarios takes, minutes on a laptop for a preset of 2,000 clients.
pub const MAX_RUNS: usize = 100_000;

/// Why a sweep was refused.
#[derive(Clone, Debug, PartialEq)]
pub enum SweepError {
    /// An axis that does not read, or whose values its field does not allow.
    Vary(VaryError),
    /// Too few or too many axes, or one field on two.
    Axes(String),
    /// Too few or too many seeds, or seeds past the largest.
    Seeds(String),
    /// More runs (points × seeds) than [`MAX_RUNS`].
    Runs(String),
    /// No metric, or one named twice.
    Metrics(String),
    /// A point or a table asked of a sweep that does not have it.
    Missing(String),
    /// A point whose scenario does not validate.
    Point {
        /// The point's index (from 0; messages count from 1).
        point: usize,
        /// How many points there are.
        of: usize,
        /// The point's values, `path = value, …`.
        at: String,
        /// What is wrong, naming the field (the scenario's own message).
        message: String,
    },
}

impl fmt::Display for SweepError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SweepError::Vary(e) => write!(f, "{e}"),
            SweepError::Axes(m)
            | SweepError::Seeds(m)
            | SweepError::Runs(m)
            | SweepError::Metrics(m)
            | SweepError::Missing(m) => f.write_str(m),
            SweepError::Point {
                point,
                of,
                at,
                message,
            } => write!(f, "point {} of {of} ({at}): {message}", point + 1),
        }
    }
}

impl std::error::Error for SweepError {}

impl From<VaryError> for SweepError {
    fn from(e: VaryError) -> SweepError {
        SweepError::Vary(e)
    }
}

/// One run of a sweep: which point, which seed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Job {
    /// The point's index.
    pub point: usize,
    /// The seed's place among the point's seeds (0 to K − 1).
    pub k: u32,
    /// The seed.
    pub seed: u64,
}

/// A checked sweep: base scenario, axes, seeds and metrics. Only [`Sweep::new`] makes one.
#[derive(Clone, Debug, PartialEq)]
pub struct Sweep {
    /// The base scenario as a document, which each point edits.
    doc: Value,
    axes: Vec<Vary>,
    seeds: u32,
    first_seed: u64,
    metrics: Vec<Metric>,
}

impl Sweep {
    /// Check a sweep of `base` over `axes` (1 to [`MAX_AXES`], each path once), `seeds`
    /// seeds a point (1 to [`MAX_SEEDS`]) from `base.seed`, measuring `metrics` (at least
    /// one, each once): at most [`MAX_RUNS`] runs; each axis's ends within its field's
    /// range (as the scenario's type of the field has it); every point's scenario valid.
    pub fn new(
        base: ScenarioConfig,
        axes: Vec<Vary>,
        seeds: u32,
        metrics: Vec<Metric>,
    ) -> Result<Sweep, SweepError> {
        if axes.is_empty() || axes.len() > MAX_AXES {
            return Err(SweepError::Axes(format!(
                "a sweep varies 1 or {MAX_AXES} fields, got {}",
                axes.len()
            )));
        }
        if let [a, b] = &axes[..] {
            if a.path() == b.path() {
                return Err(SweepError::Axes(format!(
                    "{} is varied twice; vary it once",
                    a.path()
                )));
            }
        }
        if !(1..=MAX_SEEDS).contains(&seeds) {
            return Err(SweepError::Seeds(format!(
                "seeds must be a whole number from 1 to {MAX_SEEDS}, got {seeds}"
            )));
        }
        let first_seed = base.seed;
        if first_seed.checked_add(u64::from(seeds) - 1).is_none() {
            return Err(SweepError::Seeds(format!(
                "{seeds} seeds from seed {first_seed} go past the largest seed, {}",
                u64::MAX
            )));
        }
        let points: usize = axes.iter().map(|a| a.values().len()).product();
        let runs = points * seeds as usize;
        if runs > MAX_RUNS {
            let grid: Vec<String> = axes.iter().map(|a| a.values().len().to_string()).collect();
            return Err(SweepError::Runs(format!(
                "{} points × {seeds} seeds = {runs} runs; allowed at most {MAX_RUNS}: \
                 fewer steps or seeds",
                grid.join(" × ")
            )));
        }
        if metrics.is_empty() {
            return Err(SweepError::Metrics(
                "a sweep measures at least one metric".into(),
            ));
        }
        for (i, m) in metrics.iter().enumerate() {
            if metrics[..i].contains(m) {
                return Err(SweepError::Metrics(format!(
                    "metric {} is named twice",
                    m.name()
                )));
            }
        }
        let doc = serde_json::to_value(&base).map_err(|e| SweepError::Missing(e.to_string()))?;
        for a in &axes {
            if let Some(field) = bounds::for_path(a.path(), variant(&doc, a.path())) {
                a.check_range(field)?;
            }
        }
        let sweep = Sweep {
            doc,
            axes,
            seeds,
            first_seed,
            metrics,
        };
        for i in 0..points {
            sweep.point_scenario(i)?;
        }
        Ok(sweep)
    }

    /// The axes.
    pub fn axes(&self) -> &[Vary] {
        &self.axes
    }

    /// The metrics, in order.
    pub fn metrics(&self) -> &[Metric] {
        &self.metrics
    }

    /// Seeds a point.
    pub fn seeds(&self) -> u32 {
        self.seeds
    }

    /// The first seed of every point: the base scenario's seed.
    pub fn first_seed(&self) -> u64 {
        self.first_seed
    }

    /// How many points: the product of the axes' steps.
    pub fn points(&self) -> usize {
        self.axes.iter().map(|a| a.values().len()).product()
    }

    /// How many runs: points × seeds.
    pub fn runs(&self) -> usize {
        self.points() * self.seeds as usize
    }

    /// Run `j` (0 to [`runs`](Sweep::runs) − 1): point `j / K`, seed `first_seed + j % K`.
    pub fn job(&self, j: usize) -> Option<Job> {
        if j >= self.runs() {
            return None;
        }
        let k = (j % self.seeds as usize) as u32;
        Some(Job {
            point: j / self.seeds as usize,
            k,
            seed: self.first_seed + u64::from(k),
        })
    }

    /// Every run, in job order.
    pub fn jobs(&self) -> impl Iterator<Item = Job> + '_ {
        (0..self.runs()).filter_map(|j| self.job(j))
    }

    /// Each axis's place (an index into its values) at point `i`.
    fn coordinates(&self, i: usize) -> Vec<usize> {
        let mut rest = i;
        let mut at = vec![0; self.axes.len()];
        for (slot, a) in at.iter_mut().zip(&self.axes).rev() {
            let n = a.values().len();
            *slot = rest % n;
            rest /= n;
        }
        at
    }

    /// Each axis's value at point `i`, as `--set` takes it, in axis order.
    pub fn point_texts(&self, i: usize) -> Vec<&str> {
        (self.coordinates(i).into_iter().zip(&self.axes))
            .map(|(c, a)| a.texts()[c].as_str())
            .collect()
    }

    /// Each axis's value at point `i`, in axis order.
    pub fn point_values(&self, i: usize) -> Vec<f64> {
        (self.coordinates(i).into_iter().zip(&self.axes))
            .map(|(c, a)| a.values()[c])
            .collect()
    }

    /// Point `i`'s values in words: `policy.max_attempts = 3, budget.token_ratio = 0.1`.
    pub fn point_label(&self, i: usize) -> String {
        (self.axes.iter().zip(self.point_texts(i)))
            .map(|(a, t)| format!("{} = {t}", a.path()))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Point `i`'s scenario: the base with each axis's value set by [`edit::set`] (as
    /// `--set PATH=VALUE` does), read and validated. A sweep made by [`Sweep::new`] has
    /// checked every point, so this fails only for `i` ≥ [`points`](Sweep::points).
    pub fn point_config(&self, i: usize) -> Result<ScenarioConfig, SweepError> {
        self.point(i).map(|(cfg, _)| cfg)
    }

    /// Point `i`'s validated scenario, ready for [`Sim::new`](crate::sim::Sim::new).
    pub fn point_scenario(&self, i: usize) -> Result<Scenario, SweepError> {
        self.point(i).map(|(_, sc)| sc)
    }

    fn point(&self, i: usize) -> Result<(ScenarioConfig, Scenario), SweepError> {
        if i >= self.points() {
            return Err(SweepError::Missing(format!(
                "point {} of {}: no such point",
                i + 1,
                self.points()
            )));
        }
        let fail = |message: String| SweepError::Point {
            point: i,
            of: self.points(),
            at: self.point_label(i),
            message,
        };
        let mut doc = self.doc.clone();
        for (a, text) in self.axes.iter().zip(self.point_texts(i)) {
            edit::set(&mut doc, a.path(), text).map_err(fail)?;
        }
        let cfg = ScenarioConfig::from_value(doc).map_err(|e| fail(e.to_string()))?;
        let sc = cfg.validate().map_err(|e| fail(one_line(&e.to_string())))?;
        Ok((cfg, sc))
    }

    /// The metrics' values in one run's summary, in metric order (`None` where `null`).
    pub fn measure(&self, summary: &Summary) -> Vec<Option<f64>> {
        let json = serde_json::to_value(summary).unwrap_or(Value::Null);
        self.metrics.iter().map(|m| m.of(&json)).collect()
    }

    /// The table of a finished sweep from `measured`: what [`measure`](Sweep::measure)
    /// gave for each run, in job order (all [`runs`](Sweep::runs) of them).
    pub fn table(&self, measured: &[Vec<Option<f64>>]) -> Result<Table, SweepError> {
        let k = self.seeds as usize;
        let m = self.metrics.len();
        if measured.len() != self.runs() || measured.iter().any(|v| v.len() != m) {
            return Err(SweepError::Missing(format!(
                "a table needs {} runs of {m} values each, got {}",
                self.runs(),
                measured.len()
            )));
        }
        let points = (0..self.points())
            .map(|i| {
                let runs = &measured[i * k..(i + 1) * k];
                let stats = (0..m)
                    .map(|c| Stats::of(&runs.iter().map(|r| r[c]).collect::<Vec<_>>()))
                    .collect();
                let texts: Vec<String> =
                    self.point_texts(i).into_iter().map(String::from).collect();
                let values = texts.iter().map(|t| number(t)).collect();
                Row {
                    texts,
                    values,
                    stats,
                }
            })
            .collect();
        Ok(Table {
            vary: self.axes.iter().map(|a| a.path().to_string()).collect(),
            seeds: self.seeds,
            metrics: self.metrics.iter().map(|m| m.name().to_string()).collect(),
            points,
        })
    }
}

/// The `type` of the object holding `path`'s field in `doc` (a distribution's `normal`),
/// which picks the field's range in the bounds table.
fn variant<'a>(doc: &'a Value, path: &str) -> Option<&'a str> {
    let parent = path.rsplit_once('.')?.0;
    doc.pointer(&format!("/{}", parent.replace('.', "/")))?
        .get("type")?
        .as_str()
}

/// A `--set` text as the JSON number it reads as.
fn number(text: &str) -> Value {
    crate::sim::scenario::validate::text::parse(text).unwrap_or(Value::Null)
}

/// Several lines of a scenario's message as one.
fn one_line(s: &str) -> String {
    s.lines().collect::<Vec<_>>().join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::scenario::presets;

    fn small() -> ScenarioConfig {
        let mut c = presets::config("retry-storm").unwrap();
        c.clients.count = 20;
        c.duration_ms = 1000.0;
        c
    }

    fn vary(s: &str) -> Vary {
        Vary::parse(s).unwrap()
    }

    fn sweep(axes: &[&str], seeds: u32) -> Result<Sweep, SweepError> {
        Sweep::new(
            small(),
            axes.iter().map(|a| vary(a)).collect(),
            seeds,
            Metric::defaults(),
        )
    }

    #[test]
    fn points_are_the_grid_row_major_and_jobs_run_each_seed() {
        let s = sweep(
            &["policy.max_attempts=1..3:3", "policy.timeout_ms=100..400:2"],
            2,
        )
        .unwrap();
        assert_eq!((s.points(), s.runs()), (6, 12));
        let grid: Vec<Vec<f64>> = (0..6).map(|i| s.point_values(i)).collect();
        assert_eq!(
            grid,
            [
                [1.0, 100.0],
                [1.0, 400.0],
                [2.0, 100.0],
                [2.0, 400.0],
                [3.0, 100.0],
                [3.0, 400.0]
            ]
        );
        assert_eq!(
            s.point_label(3),
            "policy.max_attempts = 2, policy.timeout_ms = 400"
        );
        let cfg = s.point_config(3).unwrap();
        assert_eq!(cfg.policy.max_attempts, Some(2));
        assert_eq!(cfg.policy.timeout_ms, Some(400.0));
        let seed = small().seed;
        assert_eq!(
            s.job(3),
            Some(Job {
                point: 1,
                k: 1,
                seed: seed + 1
            })
        );
        assert_eq!(s.job(12), None);
        assert_eq!(s.jobs().count(), 12);
        assert!(s.point_config(6).is_err());
    }

    #[test]
    fn a_point_is_the_base_with_set_applied() {
        let s = sweep(&["policy.timeout_ms=10..1000:3:log"], 1).unwrap();
        let mut doc = serde_json::to_value(small()).unwrap();
        edit::set(&mut doc, "policy.timeout_ms", "100").unwrap();
        let by_hand = ScenarioConfig::from_value(doc).unwrap();
        assert_eq!(s.point_config(1).unwrap(), by_hand);
    }

    #[test]
    fn sizes_are_bounded_before_any_run() {
        let e = |axes: &[&str], seeds| sweep(axes, seeds).unwrap_err().to_string();
        assert_eq!(e(&[], 1), "a sweep varies 1 or 2 fields, got 0");
        assert!(e(
            &[
                "policy.max_attempts=1..2:2",
                "policy.timeout_ms=1..2:2",
                "clients.count=1..2:2"
            ],
            1
        )
        .contains("got 3"));
        assert!(e(
            &["policy.max_attempts=1..2:2", "policy.max_attempts=3..4:2"],
            1
        )
        .contains("policy.max_attempts is varied twice"));
        assert!(e(&["policy.max_attempts=1..2:2"], 0).contains("from 1 to 10000, got 0"));
        assert_eq!(
            e(
                &["policy.timeout_ms=1..100:100", "clients.count=1..100:100"],
                11
            ),
            "100 × 100 points × 11 seeds = 110000 runs; allowed at most 100000: fewer steps or seeds"
        );
        let mut base = small();
        base.seed = u64::MAX - 1;
        let e = Sweep::new(
            base,
            vec![vary("policy.max_attempts=1..2:2")],
            3,
            Metric::defaults(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("go past the largest seed"), "{e}");
        let twice = vec![Metric::parse("uptime").unwrap(); 2];
        let e = Sweep::new(small(), vec![vary("policy.max_attempts=1..2:2")], 1, twice);
        assert!(e
            .unwrap_err()
            .to_string()
            .contains("metric uptime is named twice"));
        let e = Sweep::new(small(), vec![vary("policy.max_attempts=1..2:2")], 1, vec![]);
        assert!(e.unwrap_err().to_string().contains("at least one metric"));
    }

    #[test]
    fn values_outside_the_field_or_invalid_points_are_refused_naming_them() {
        let e = sweep(&["policy.timeout_ms=0..100:3"], 1)
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "policy.timeout_ms=0..100:3: policy.timeout_ms = 0 (LO): allowed more than 0 \
             and at most 3600000 ms (up to 1 h), or null for none"
        );
        let e = sweep(&["clients.count=1..2000000:3"], 1)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("clients.count = 2000000 (HI): allowed a whole number 1..=1000000"),
            "{e}"
        );
        // the range of the field as the scenario's type has it: a normal's mean may be 0
        let mut base = small();
        base.service.service_time = crate::sim::scenario::config::DistConfig::Normal {
            mean_ms: 7.0,
            sd_ms: 1.0,
        };
        let ok = Sweep::new(
            base,
            vec![vary("service.service_time.mean_ms=0..10:3")],
            1,
            Metric::defaults(),
        );
        assert!(ok.is_ok(), "{ok:?}");
        let e = sweep(&["service.service_time.mean_ms=0..10:3"], 1).unwrap_err();
        assert!(e.to_string().contains("(LO): allowed more than 0"), "{e}");
        // a field that depends on another: the point and the field are named
        let e = sweep(&["policy.backoff.cap_ms=0..10:2"], 1);
        assert!(e.is_ok(), "retry-storm's base is 0: {e:?}");
        let e = sweep(&["policy.backoff.base_ms=0..10:2"], 1).unwrap_err();
        assert_eq!(
            e.to_string(),
            "point 2 of 2 (policy.backoff.base_ms = 10): policy.backoff.cap_ms = 0: \
             allowed 10..=3600000 ms (up to 1 h), and at least policy.backoff.base_ms"
        );
        assert!(matches!(
            e,
            SweepError::Point {
                point: 1,
                of: 2,
                ..
            }
        ));
        // a field of another type than the scenario's: its own message
        let e = sweep(&["policy.jitter.factor=0..1:2"], 1)
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("point 1 of 2 (policy.jitter.factor = 0): "),
            "{e}"
        );
        assert!(e.contains("factor"), "{e}");
    }

    #[test]
    fn the_table_aggregates_each_points_seeds_in_job_order() {
        let s = Sweep::new(
            small(),
            vec![vary("policy.max_attempts=1..2:2")],
            3,
            vec![
                Metric::parse("availability").unwrap(),
                Metric::parse("uptime").unwrap(),
            ],
        )
        .unwrap();
        let measured: Vec<Vec<Option<f64>>> = (0..6)
            .map(|j| vec![Some(j as f64), (j % 2 == 0).then_some(1.0)])
            .collect();
        let t = s.table(&measured).unwrap();
        assert_eq!(t.points().len(), 2);
        let a = &t.points()[1].stats[0];
        assert_eq!(
            (a.mean, a.min, a.max, a.count),
            (Some(4.0), Some(3.0), Some(5.0), 3)
        );
        assert_eq!(t.points()[1].stats[1].count, 1); // only run 4 had one
        assert_eq!(t.points()[1].values, [serde_json::json!(2)]);
        assert!(s.table(&measured[..5]).is_err());
    }
}
