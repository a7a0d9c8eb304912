//! The scorecard: a row per suite scenario, each metric aggregated over the seeds.

use serde::Serialize;

use crate::suite::metrics::{Metric, PerMetric, RunFigures};

/// One metric over K runs: mean, min and max of the runs that have a figure, and how many
/// do not.
///
/// A missing figure is left out of the mean, min and max (no request, none succeeded), except
/// for the time to recover, where it means *never recovered* and counts as infinitely long:
/// one run that never recovered makes the mean and the max `None` ("never"), and the min is
/// the fastest run that did recover (`None` if none did). Nothing is ever NaN.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Stat {
    /// Mean over the runs with a figure (`None`: none has one; time to recover: some run
    /// never recovered).
    pub mean: Option<f64>,
    /// Smallest figure.
    pub min: Option<f64>,
    /// Largest figure (`None` for time to recover when some run never recovered).
    pub max: Option<f64>,
    /// Runs without a figure (time to recover: runs that never recovered).
    pub missing: u32,
}

impl Stat {
    /// The figures of some runs, in order (the mean sums them in that order), missing
    /// ones counted as infinite if `missing_is_infinite`.
    pub fn of(values: impl IntoIterator<Item = Option<f64>>, missing_is_infinite: bool) -> Stat {
        let (mut sum, mut n, mut missing) = (0.0, 0u32, 0u32);
        let (mut min, mut max): (Option<f64>, Option<f64>) = (None, None);
        for v in values {
            match v {
                Some(x) => {
                    sum += x;
                    n += 1;
                    min = Some(min.map_or(x, |m| m.min(x)));
                    max = Some(max.map_or(x, |m| m.max(x)));
                }
                None => missing += 1,
            }
        }
        let mean = (n > 0).then(|| sum / f64::from(n));
        if missing_is_infinite && missing > 0 {
            return Stat {
                mean: None,
                min,
                max: None,
                missing,
            };
        }
        Stat {
            mean,
            min,
            max,
            missing,
        }
    }
}

/// One suite scenario under one policy, over K seeds.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Row {
    /// The suite scenario.
    pub scenario: String,
    /// Whose policy ran (the name of the scenario it came from).
    pub policy: String,
    /// Runs aggregated (K).
    pub runs: u32,
    /// Of those, runs stopped by their event or memory budget (partial figures).
    pub partial_runs: u32,
    /// Each metric over the runs.
    #[serde(flatten)]
    pub stats: PerMetric<Stat>,
}

impl Row {
    /// Row `scenario` of policy `policy` from its runs' figures (in seed order).
    pub fn of(scenario: &str, policy: &str, runs: &[RunFigures]) -> Row {
        Row {
            scenario: scenario.into(),
            policy: policy.into(),
            runs: runs.len() as u32,
            partial_runs: runs.iter().filter(|r| r.partial).count() as u32,
            stats: PerMetric::from_fn(|m| {
                Stat::of(runs.iter().map(|r| r.get(m)), m.missing_is_infinite())
            }),
        }
    }

    /// Metric `m` over the runs.
    pub fn stat(&self, m: Metric) -> &Stat {
        self.stats.get(m)
    }
}

/// One policy through every suite scenario: a row per scenario, in suite order.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Scorecard {
    /// Whose policy ran (the name of the scenario it came from).
    pub policy: String,
    /// The seeds each scenario ran with.
    pub seeds: Vec<u64>,
    /// A row per suite scenario.
    pub rows: Vec<Row>,
}

impl Scorecard {
    /// The row of suite scenario `name`.
    pub fn row(&self, name: &str) -> Option<&Row> {
        self.rows.iter().find(|r| r.scenario == name)
    }
}

/// The mean of metric `m` of a stat, as people read it: its unit, `never (2/5)` for a time
/// to recover some of the `runs` never reached, the metric's words when no run has one.
pub fn show_mean(m: Metric, s: &Stat, runs: u32) -> String {
    match s.mean {
        Some(x) => m.quantity().show(x),
        None if m.missing_is_infinite() && s.missing < runs => {
            format!("{} ({}/{runs})", m.missing_words(), s.missing)
        }
        None => m.missing_words().into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stats_leave_out_missing_figures_but_never_recovered_is_infinite() {
        let s = Stat::of([Some(1.0), None, Some(3.0)], false);
        assert_eq!(
            s,
            Stat {
                mean: Some(2.0),
                min: Some(1.0),
                max: Some(3.0),
                missing: 1
            }
        );
        let t = Stat::of([Some(1.0), None, Some(3.0)], true);
        assert_eq!(
            (t.mean, t.min, t.max, t.missing),
            (None, Some(1.0), None, 1)
        );
        let none = Stat::of([None, None], true);
        assert_eq!((none.mean, none.min, none.max), (None, None, None));
        assert_eq!(Stat::of([None], false).mean, None);
        assert_eq!(show_mean(Metric::TimeToRecover, &t, 3), "never (1/3)");
        assert_eq!(show_mean(Metric::TimeToRecover, &none, 2), "never");
        assert_eq!(show_mean(Metric::SuccessP50, &none, 2), "none succeeded");
        assert_eq!(show_mean(Metric::Availability, &s, 3), "200.00%");
    }
}
