//! Page state and its reducer: plain data plus an [`Action`] enum. Side effects (running
//! the simulation, drawing, storage) live in components and effects, never here.

use std::rc::Rc;

use yew::Reducible;

use crate::share::Shared;
use crate::sim::{presets, RunRecord, ScenarioConfig};

/// Scenario A or B.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Which {
    /// The main scenario.
    A,
    /// The comparison.
    B,
}

impl Which {
    /// "A" or "B".
    pub fn label(self) -> &'static str {
        match self {
            Which::A => "A",
            Which::B => "B",
        }
    }
}

/// Where a side's run stands.
#[derive(Clone, Debug, PartialEq)]
pub enum Status {
    /// Waiting for the (debounced) run to start.
    Pending,
    /// Running: fraction of simulated time done.
    Running(f64),
    /// Finished.
    Done,
    /// Stopped by the user; the previous result (if any) stays on screen.
    Cancelled,
    /// The scenario could not run.
    Failed(String),
}

/// One scenario with its latest result.
#[derive(Clone, Debug, PartialEq)]
pub struct Side {
    /// The scenario as edited (always valid: invalid edits are refused with a message).
    pub config: ScenarioConfig,
    /// Latest finished run.
    pub result: Option<Rc<RunRecord>>,
    /// Run status.
    pub status: Status,
    /// Run number: results of older runs are ignored.
    pub run_id: u64,
    /// The last refused edit's message.
    pub error: Option<String>,
    /// Wall-clock milliseconds of the last run + redraw (for the bench).
    pub last_ms: Option<f64>,
    /// Run number that `last_ms` measured.
    pub timed_run: u64,
}

impl Side {
    /// A side showing `config`, not yet run.
    pub fn new(config: ScenarioConfig) -> Side {
        Side {
            config,
            result: None,
            status: Status::Pending,
            run_id: 0,
            error: None,
            last_ms: None,
            timed_run: 0,
        }
    }
}

/// Everything the page shows.
#[derive(Clone, Debug, PartialEq)]
pub struct State {
    /// Scenario A.
    pub a: Side,
    /// Scenario B, when comparing.
    pub b: Option<Side>,
    /// Which side the controls edit.
    pub editing: Which,
    /// Dark (high-contrast) theme.
    pub dark: bool,
    /// A message about the link or stored state (shown until dismissed).
    pub notice: Option<String>,
}

/// The preset the page opens with.
pub const DEFAULT_PRESET: &str = "herd-no-jitter";

impl Default for State {
    fn default() -> Self {
        let cfg = presets::config(DEFAULT_PRESET).unwrap_or_default();
        State {
            a: Side::new(cfg),
            b: None,
            editing: Which::A,
            dark: false,
            notice: None,
        }
    }
}

impl State {
    /// The side `w` (B falls back to A when not comparing).
    pub fn side(&self, w: Which) -> &Side {
        match (w, &self.b) {
            (Which::B, Some(b)) => b,
            _ => &self.a,
        }
    }

    fn side_mut(&mut self, w: Which) -> Option<&mut Side> {
        match w {
            Which::A => Some(&mut self.a),
            Which::B => self.b.as_mut(),
        }
    }

    /// The state a share link restores.
    pub fn from_shared(s: Shared) -> State {
        let b = s.b.map(Side::new);
        let editing = if s.editing == "b" && b.is_some() {
            Which::B
        } else {
            Which::A
        };
        State {
            a: Side::new(s.a),
            b,
            editing,
            dark: s.theme == "dark",
            notice: None,
        }
    }

    /// What a share link holds.
    pub fn to_shared(&self) -> Shared {
        Shared {
            a: self.a.config.clone(),
            b: self.b.as_ref().map(|b| b.config.clone()),
            editing: if self.editing == Which::B { "b" } else { "a" }.into(),
            theme: if self.dark { "dark" } else { "light" }.into(),
        }
    }
}

/// What can happen.
pub enum Action {
    /// Load a preset into the side being edited.
    Preset(String),
    /// The side being edited takes this (valid) scenario.
    Edit(Box<ScenarioConfig>),
    /// An edit was refused.
    Refused(String),
    /// Copy A into B and edit B.
    Compare,
    /// Stop comparing.
    CloseB,
    /// Edit this side.
    EditSide(Which),
    /// Switch theme.
    ToggleTheme,
    /// Replace everything (a share link, stored state).
    Restore(Box<State>),
    /// Show or clear a notice.
    Notice(Option<String>),
    /// Run `id` of a side started.
    Started(Which, u64),
    /// Progress of run `id`.
    Progress(Which, u64, f64),
    /// Run `id` finished.
    Finished(Which, u64, Rc<RunRecord>),
    /// Run `id` failed.
    Failed(Which, u64, String),
    /// Stop the running run of a side.
    Cancel(Which),
    /// Time of the last run + redraw of a side.
    Timed(Which, f64),
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        let editing = s.editing;
        match action {
            Action::Preset(name) => match presets::config(&name) {
                Ok(cfg) => {
                    if let Some(side) = s.side_mut(editing) {
                        side.config = cfg;
                        side.error = None;
                    }
                }
                Err(e) => s.notice = Some(e.to_string()),
            },
            Action::Edit(cfg) => {
                if let Some(side) = s.side_mut(editing) {
                    side.config = *cfg;
                    side.error = None;
                }
            }
            Action::Refused(msg) => {
                if let Some(side) = s.side_mut(editing) {
                    side.error = Some(msg);
                }
            }
            Action::Compare => {
                let mut b = s.a.clone();
                b.error = None;
                s.b = Some(b);
                s.editing = Which::B;
            }
            Action::CloseB => {
                s.b = None;
                s.editing = Which::A;
            }
            Action::EditSide(w) => s.editing = if s.b.is_some() { w } else { Which::A },
            Action::ToggleTheme => s.dark = !s.dark,
            Action::Restore(state) => return Rc::new(*state),
            Action::Notice(n) => s.notice = n,
            Action::Started(w, id) => match s.side_mut(w) {
                Some(side) => {
                    side.run_id = id;
                    side.status = Status::Running(0.0);
                }
                None => return self,
            },
            Action::Progress(w, id, f) => match s.side_mut(w) {
                Some(side) if side.run_id == id && matches!(side.status, Status::Running(_)) => {
                    side.status = Status::Running(f)
                }
                _ => return self,
            },
            Action::Finished(w, id, r) => match s.side_mut(w) {
                Some(side) if side.run_id == id && side.status != Status::Cancelled => {
                    side.status = Status::Done;
                    side.result = Some(r);
                }
                _ => return self,
            },
            Action::Failed(w, id, e) => match s.side_mut(w) {
                Some(side) if side.run_id == id => side.status = Status::Failed(e),
                _ => return self,
            },
            Action::Cancel(w) => match s.side_mut(w) {
                Some(side) if matches!(side.status, Status::Running(_) | Status::Pending) => {
                    side.status = Status::Cancelled
                }
                _ => return self,
            },
            Action::Timed(w, ms) => match s.side_mut(w) {
                Some(side) => {
                    side.last_ms = Some(ms);
                    side.timed_run = side.run_id;
                }
                None => return self,
            },
        }
        Rc::new(s)
    }
}
