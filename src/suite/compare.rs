//! Two policies side by side (A/B: B − A per row and metric, and whether that is better),
//! and every library preset's policy in one table.

use serde::Serialize;

use crate::suite::metrics::{Better, Metric, PerMetric, Verdict};
use crate::suite::scenarios::SCENARIOS;
use crate::suite::scorecard::{Row, Scorecard};

/// How B's mean compares with A's on one metric of one row.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Delta {
    /// A's mean.
    pub a: Option<f64>,
    /// B's mean.
    pub b: Option<f64>,
    /// B − A; `None` when either is missing.
    pub delta: Option<f64>,
    /// Whether B is better, worse or the same ([`Metric::better`]); `None` for a neutral
    /// metric or a missing mean, except that a time to recover of never is worse than any
    /// other and the same as never.
    pub verdict: Option<Verdict>,
}

impl Delta {
    /// Metric `m` from row `a` to row `b`.
    pub fn of(m: Metric, a: &Row, b: &Row) -> Delta {
        let (x, y) = (a.stat(m).mean, b.stat(m).mean);
        Delta {
            a: x,
            b: y,
            delta: x.zip(y).map(|(x, y)| y - x),
            verdict: m.better().verdict(x, y, m.missing_is_infinite()),
        }
    }
}

/// One suite scenario, A against B.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RowDelta {
    /// The suite scenario.
    pub scenario: String,
    /// Each metric's means and difference.
    #[serde(flatten)]
    pub deltas: PerMetric<Delta>,
}

/// Two scorecards side by side.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Comparison {
    /// Policy A's scorecard.
    pub a: Scorecard,
    /// Policy B's.
    pub b: Scorecard,
    /// Which way each metric is good.
    pub better: PerMetric<Better>,
    /// A row per suite scenario both have, in A's order: B − A.
    pub deltas: Vec<RowDelta>,
}

impl Comparison {
    /// B against A, row by row (rows matched by scenario).
    pub fn of(a: Scorecard, b: Scorecard) -> Comparison {
        let deltas = a
            .rows
            .iter()
            .filter_map(|ra| {
                let rb = b.row(&ra.scenario)?;
                Some(RowDelta {
                    scenario: ra.scenario.clone(),
                    deltas: PerMetric::from_fn(|m| Delta::of(m, ra, rb)),
                })
            })
            .collect();
        Comparison {
            a,
            b,
            better: PerMetric::from_fn(Metric::better),
            deltas,
        }
    }
}

/// Every library preset's scorecard in one table, grouped by suite scenario: for each
/// scenario, one row per library, so the libraries read against each other fault by fault.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LibraryTable {
    /// The seeds of every run.
    pub seeds: Vec<u64>,
    /// The policies, in row order within each group.
    pub policies: Vec<String>,
    /// A group per suite scenario, in suite order.
    pub scenarios: Vec<ScenarioRows>,
}

/// One suite scenario under each policy.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScenarioRows {
    /// The suite scenario.
    pub scenario: String,
    /// What goes wrong in it.
    pub description: String,
    /// A row per policy, in the table's order.
    pub rows: Vec<Row>,
}

impl LibraryTable {
    /// The table of `cards` (one per policy, in that order; the same seeds).
    pub fn of(cards: &[Scorecard]) -> LibraryTable {
        let scenarios = SCENARIOS
            .iter()
            .map(|s| ScenarioRows {
                scenario: s.name.into(),
                description: s.description.into(),
                rows: cards
                    .iter()
                    .filter_map(|c| c.row(s.name).cloned())
                    .collect(),
            })
            .collect();
        LibraryTable {
            seeds: cards.first().map(|c| c.seeds.clone()).unwrap_or_default(),
            policies: cards.iter().map(|c| c.policy.clone()).collect(),
            scenarios,
        }
    }
}
