//! What runs: a policy through the suite as a list of (scenario, seed) jobs, kept apart
//! from putting their figures together, so the CLI can run the jobs on every core and the
//! page in web workers, and both get the same scorecard.

use std::fmt;

use crate::sim::scenario::config::ScenarioConfig;
use crate::sim::scenario::presets;
use crate::sim::{Scenario, ScenarioError, Sim};
use crate::suite::metrics::RunFigures;
use crate::suite::policy::{apply_policy, LIBRARY_PRESETS};
use crate::suite::scenarios::{SuiteScenario, SCENARIOS};
use crate::suite::scorecard::{Row, Scorecard};

/// Why a plan could not be made or finished.
#[derive(Clone, Debug, PartialEq)]
pub enum SuiteError {
    /// No seeds to run.
    NoSeeds,
    /// The policy does not make a valid scenario of this suite scenario's world.
    Invalid {
        /// The suite scenario.
        scenario: &'static str,
        /// The policy's name.
        policy: String,
        /// What validation said.
        error: ScenarioError,
    },
    /// The figures handed back are not those of the plan's jobs (count or seeds).
    Figures(String),
}

impl fmt::Display for SuiteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SuiteError::NoSeeds => write!(f, "no seeds to run"),
            SuiteError::Invalid {
                scenario,
                policy,
                error,
            } => write!(
                f,
                "the policy of {policy} in suite scenario {scenario}: {error}"
            ),
            SuiteError::Figures(why) => write!(f, "figures do not match the jobs: {why}"),
        }
    }
}

impl std::error::Error for SuiteError {}

/// One suite scenario with the policy under test: the config (what a worker is sent) and
/// the validated scenario (what runs).
#[derive(Clone, Debug)]
struct Planned {
    suite: &'static SuiteScenario,
    config: ScenarioConfig,
    scenario: Scenario,
}

/// A policy through every suite scenario over some seeds: validated, ready to run.
#[derive(Clone, Debug)]
pub struct Plan {
    policy: String,
    rows: Vec<Planned>,
    seeds: Vec<u64>,
}

/// One run of a plan: suite scenario `row` (its index in [`SCENARIOS`]) with `seed`.
#[derive(Clone, Copy, Debug)]
pub struct Job<'a> {
    /// The row (suite scenario) it belongs to.
    pub row: usize,
    /// The seed.
    pub seed: u64,
    /// The scenario as config: what to send to a worker.
    pub config: &'a ScenarioConfig,
    /// The same, validated: what runs here.
    pub scenario: &'a Scenario,
}

impl Job<'_> {
    /// Run it to the end (single-threaded, pure) and read its figures.
    pub fn run(&self) -> RunFigures {
        RunFigures::of(&Sim::new(self.scenario, self.seed).run_to_summary())
    }
}

/// Run a job sent as its config and seed (what a web worker does): validate, run, read
/// the figures. The same figures as [`Job::run`] for the same job.
pub fn run_config(config: &ScenarioConfig, seed: u64) -> Result<RunFigures, ScenarioError> {
    let scenario = config.validate()?;
    Ok(RunFigures::of(&Sim::new(&scenario, seed).run_to_summary()))
}

/// Seeds `first`, `first + 1`, … (`k` of them); `None` past the largest seed.
pub fn seeds(first: u64, k: u32) -> Option<Vec<u64>> {
    (0..k).map(|i| first.checked_add(u64::from(i))).collect()
}

impl Plan {
    /// The policy of `policy_from` (see [`apply_policy`]) through every suite scenario,
    /// each with every one of `seeds`; the scorecard names the policy after
    /// `policy_from.name`.
    pub fn new(policy_from: &ScenarioConfig, seeds: &[u64]) -> Result<Plan, SuiteError> {
        if seeds.is_empty() {
            return Err(SuiteError::NoSeeds);
        }
        let rows = SCENARIOS
            .iter()
            .map(|suite| {
                let config = apply_policy(&suite.config(), policy_from);
                let scenario = config.validate().map_err(|error| SuiteError::Invalid {
                    scenario: suite.name,
                    policy: policy_from.name.clone(),
                    error,
                })?;
                Ok(Planned {
                    suite,
                    config,
                    scenario,
                })
            })
            .collect::<Result<_, SuiteError>>()?;
        Ok(Plan {
            policy: policy_from.name.clone(),
            rows,
            seeds: seeds.to_vec(),
        })
    }

    /// Whose policy it runs.
    pub fn policy(&self) -> &str {
        &self.policy
    }

    /// The seeds of every row.
    pub fn seeds(&self) -> &[u64] {
        &self.seeds
    }

    /// Each suite scenario with the policy applied, in suite order.
    pub fn configs(&self) -> impl Iterator<Item = &ScenarioConfig> + '_ {
        self.rows.iter().map(|r| &r.config)
    }

    /// Every validated scenario, in suite order (for their warnings).
    pub fn scenarios(&self) -> impl Iterator<Item = &Scenario> + '_ {
        self.rows.iter().map(|r| &r.scenario)
    }

    /// Every job: row by row, each row's seeds in order. [`Plan::scorecard`] takes their
    /// figures in this order, however they were run.
    pub fn jobs(&self) -> Vec<Job<'_>> {
        self.rows
            .iter()
            .enumerate()
            .flat_map(|(row, p)| {
                self.seeds.iter().map(move |&seed| Job {
                    row,
                    seed,
                    config: &p.config,
                    scenario: &p.scenario,
                })
            })
            .collect()
    }

    /// The scorecard of the jobs' figures, given in the order of [`Plan::jobs`].
    pub fn scorecard(&self, figures: &[RunFigures]) -> Result<Scorecard, SuiteError> {
        let k = self.seeds.len();
        if figures.len() != self.rows.len() * k {
            return Err(SuiteError::Figures(format!(
                "{} jobs, {} figures",
                self.rows.len() * k,
                figures.len()
            )));
        }
        let rows = self
            .rows
            .iter()
            .zip(figures.chunks(k))
            .map(|(p, runs)| {
                let got: Vec<u64> = runs.iter().map(|r| r.seed).collect();
                if got != self.seeds {
                    return Err(SuiteError::Figures(format!(
                        "{}: seeds {got:?}, not {:?}",
                        p.suite.name, self.seeds
                    )));
                }
                Ok(Row::of(p.suite.name, &self.policy, runs))
            })
            .collect::<Result<_, _>>()?;
        Ok(Scorecard {
            policy: self.policy.clone(),
            seeds: self.seeds.clone(),
            rows,
        })
    }

    /// Run every job here, one after the other, and make the scorecard (the page's and
    /// the tests' simplest way; the CLI spreads the jobs over the cores instead).
    pub fn run(&self) -> Scorecard {
        let figures: Vec<RunFigures> = self.jobs().iter().map(Job::run).collect();
        // the figures are the jobs', in order
        self.scorecard(&figures)
            .expect("figures of the plan's jobs")
    }
}

/// A plan per library preset ([`LIBRARY_PRESETS`]), in that order.
pub fn library_plans(seeds: &[u64]) -> Result<Vec<Plan>, SuiteError> {
    LIBRARY_PRESETS
        .iter()
        .map(|name| {
            let cfg = presets::config(name).map_err(|error| SuiteError::Invalid {
                scenario: "-",
                policy: (*name).into(),
                error,
            })?;
            Plan::new(&cfg, seeds)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jobs_are_row_by_row_and_figures_must_match_them() {
        let cfg = presets::config("gobreaker").unwrap();
        let plan = Plan::new(&cfg, &[4, 2]).unwrap();
        let jobs = plan.jobs();
        assert_eq!(jobs.len(), SCENARIOS.len() * 2);
        assert_eq!((jobs[0].row, jobs[0].seed), (0, 4));
        assert_eq!((jobs[1].row, jobs[1].seed), (0, 2));
        assert_eq!((jobs[2].row, jobs[2].seed), (1, 4));
        assert_eq!(jobs[2].config.name, SCENARIOS[1].name);
        assert_eq!(plan.policy(), "gobreaker");
        let fake = |seed| RunFigures {
            seed,
            partial: false,
            values: crate::suite::PerMetric::from_fn(|_| Some(1.0)),
        };
        let good: Vec<RunFigures> = jobs.iter().map(|j| fake(j.seed)).collect();
        let card = plan.scorecard(&good).unwrap();
        assert_eq!(card.rows.len(), SCENARIOS.len());
        assert!(plan.scorecard(&good[1..]).is_err());
        let mut swapped = good.clone();
        swapped.swap(0, 1);
        assert!(plan.scorecard(&swapped).is_err());
        assert_eq!(Plan::new(&cfg, &[]).unwrap_err(), SuiteError::NoSeeds);
        assert_eq!(seeds(u64::MAX - 1, 2), Some(vec![u64::MAX - 1, u64::MAX]));
        assert_eq!(seeds(u64::MAX, 2), None);
    }
}
