//! Page state and its reducer: plain data plus an [`Action`] enum. Side effects (running
//! the simulation, drawing) live in components and effects, never here.

use std::rc::Rc;

use yew::Reducible;

use crate::sim::metrics::Series;
use crate::sim::{presets, Scenario, Summary};

/// A finished run, shared by the summary and the charts.
#[derive(Debug, PartialEq)]
pub struct RunResult {
    /// The scenario that ran.
    pub scenario: Scenario,
    /// Its summary.
    pub summary: Summary,
    /// Its time series.
    pub series: Series,
}

/// Where the current run stands.
#[derive(Clone, Debug, PartialEq)]
pub enum Status {
    /// Nothing run yet.
    Idle,
    /// Running: fraction of simulated time done.
    Running(f64),
    /// Finished.
    Done(Rc<RunResult>),
    /// The scenario could not run.
    Failed(String),
}

/// Everything the page shows.
#[derive(Clone, Debug, PartialEq)]
pub struct State {
    /// Selected preset.
    pub preset: String,
    /// Current run number: results of older runs are ignored.
    pub run_id: u64,
    /// Run status.
    pub status: Status,
}

impl Default for State {
    fn default() -> Self {
        State {
            preset: presets::names().next().unwrap_or_default().to_string(),
            run_id: 0,
            status: Status::Idle,
        }
    }
}

/// What can happen.
pub enum Action {
    /// Pick a preset.
    SelectPreset(String),
    /// A run starts.
    Started(u64),
    /// Run `id` progressed.
    Progress(u64, f64),
    /// Run `id` finished.
    Finished(u64, Rc<RunResult>),
    /// Run `id` failed.
    Failed(u64, String),
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::SelectPreset(p) => s.preset = p,
            Action::Started(id) => {
                s.run_id = id;
                s.status = Status::Running(0.0);
            }
            Action::Progress(id, f) if id == s.run_id => s.status = Status::Running(f),
            Action::Finished(id, r) if id == s.run_id => s.status = Status::Done(r),
            Action::Failed(id, e) if id == s.run_id => s.status = Status::Failed(e),
            Action::Progress(..) | Action::Finished(..) | Action::Failed(..) => return self,
        }
        Rc::new(s)
    }
}
