//! Page state and its reducer: plain data plus an [`Action`] enum. Side effects (running
//! the simulation, drawing, the address bar, storage, files) live in the hooks
//! (`ui/hooks/`), never here: the reducer only turns what they report into state.

use std::rc::Rc;

use yew::Reducible;

use crate::share::Shared;
use crate::sim::scenario::intervene::Lever;
use crate::sim::{scenario::presets, Micros, RunRecord, ScenarioConfig};
use crate::tour::{Pull, Tour, TourLink};

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
    /// The warnings of the scenario being run (from its validation when the run started).
    pub warnings: Vec<String>,
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
            warnings: Vec::new(),
        }
    }

    /// Its result is a finished run of exactly this scenario and seed (not a previous
    /// run's, after an edit whose run has not finished or was cancelled).
    pub fn shows_current(&self) -> bool {
        self.status == Status::Done
            && self.result.as_ref().is_some_and(|r| {
                r.seed == self.config.seed && self.config.validate().is_ok_and(|s| s == r.scenario)
            })
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
    /// A message (about a link, the saved state, a file, the clipboard), shown until
    /// dismissed or replaced.
    pub notice: Option<Notice>,
    /// The address bar shows a link (or the browser keeps a saved state) that could not be
    /// opened: neither is overwritten until the user restores the saved state or edits.
    pub held: bool,
    /// Scenario B as it was when last closed, so that Undo can bring it back whatever
    /// happened since (another notice, Compare).
    pub closed_b: Option<Box<Side>>,
    /// PNG exports are this many times the chart's size on screen.
    pub png_scale: u32,
    /// Presenting a tour (the workbench shows the step's scenarios when it ends).
    pub present: Option<Presenting>,
}

/// A tour being presented: which step, what was done in it.
#[derive(Clone, Debug, PartialEq)]
pub struct Presenting {
    /// The tour.
    pub tour: Rc<Tour>,
    /// The step shown, counted from 1.
    pub step: usize,
    /// The interventions made in this step, in order (its link replays them).
    pub pulls: Vec<Pull>,
    /// What the last intervention did, in words.
    pub said: Option<String>,
    /// The step's question was asked and its answer revealed (true without a question).
    pub revealed: bool,
    /// Bumped when the step's playback starts from its beginning (a new step, a reveal, a
    /// rewind): the playback bar starts over once per cue.
    pub cue: u64,
    /// The step's first run has not finished yet (charts of the previous step would show).
    pub fresh: bool,
    /// The screen is blacked out.
    pub blank: bool,
}

impl Presenting {
    /// The link to this step with its interventions.
    pub fn link(&self) -> Option<TourLink> {
        self.tour
            .link(self.step)?
            .with_pulls(self.pulls.clone())
            .ok()
    }
}
/// A message for the user, with what it offers to do.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    /// What happened, in plain words.
    pub text: String,
    /// Something went wrong (shown as an alert) or just so (a status).
    pub problem: bool,
    /// What the notice offers.
    pub offer: Offer,
}

impl Notice {
    /// A status message.
    pub fn info(text: impl Into<String>) -> Notice {
        Notice {
            text: text.into(),
            problem: false,
            offer: Offer::Nothing,
        }
    }

    /// A problem, with nothing to offer but the message.
    pub fn problem(text: impl Into<String>) -> Notice {
        Notice {
            text: text.into(),
            problem: true,
            offer: Offer::Nothing,
        }
    }
}

/// What a notice offers besides dismissing it.
#[derive(Clone, Debug, PartialEq)]
pub enum Offer {
    /// Nothing.
    Nothing,
    /// A button that opens the state saved in this browser.
    RestoreSaved,
    /// A button that brings back scenario B as it was when closed.
    UndoCloseB,
    /// A selected text field holding a link to copy by hand (no clipboard access).
    CopyByHand(String),
    /// A button that runs again with the next seed (A's seed + 1, and B's).
    NextSeed(u64),
}

/// Where a state to open comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// The link the page was opened with.
    Link,
    /// A link pasted into the address bar of the open page.
    PastedLink,
    /// The state saved in this browser.
    Saved,
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
            held: false,
            closed_b: None,
            png_scale: 2,
            present: None,
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
            held: false,
            closed_b: None,
            png_scale: 2,
            present: None,
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
    /// A scenario (a sweep's point) opens as A, or as B beside A (edited from then on).
    OpenAs(Which, Box<ScenarioConfig>),
    /// Copy A into B and edit B.
    Compare,
    /// Stop comparing (with a notice that can undo it).
    CloseB,
    /// Bring back the B that the last Close B closed.
    UndoCloseB,
    /// Edit this side.
    EditSide(Which),
    /// Switch theme.
    ToggleTheme,
    /// A link or the saved state, decoded (`saved`: whether the browser keeps a saved state
    /// that can be restored instead). The one way a link or saved state is opened.
    Open {
        /// Where it came from.
        from: Source,
        /// The decoded state, or what is wrong with it.
        decoded: Result<Box<Shared>, String>,
        /// A saved state that reads is there to restore.
        saved: bool,
    },
    /// A scenario file, read and validated, for the side being edited.
    Import {
        /// The file's name.
        name: String,
        /// The scenario, or what is wrong with the file.
        read: Result<Box<ScenarioConfig>, String>,
    },
    /// The page's A/B export, read and validated: A and B take its two scenarios.
    ImportBoth {
        /// The file's name.
        name: String,
        /// Scenario A.
        a: Box<ScenarioConfig>,
        /// Scenario B.
        b: Box<ScenarioConfig>,
    },
    /// Show or clear a notice.
    Notice(Option<Notice>),
    /// Run `id` of a side started, with its scenario's warnings.
    Started(Which, u64, Vec<String>),
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
    /// Run pressed: if nothing changed since the runs on screen, say that the same seed
    /// gives the same result and offer the next seed.
    Rerun,
    /// Every side's seed + 1 (which runs them again).
    NextSeed,
    /// PNG exports at this scale.
    PngScale(u32),
    /// Present step `step` (from 1) of a tour, with these interventions replayed; `from`
    /// says whether a link asked (a bad one leaves the page as it is, with a notice).
    Present {
        /// The tour.
        tour: Rc<Tour>,
        /// The step, counted from 1.
        step: usize,
        /// Interventions to replay.
        pulls: Vec<Pull>,
    },
    /// A tour link that could not be opened, and why.
    BadTourLink(String),
    /// Presenting: the next step (or the answer to this one's question), or the previous.
    StepBy(i32),
    /// Presenting: pull a lever at this time of the run (µs).
    Pull(Lever, Micros),
    /// Presenting: undo the last intervention.
    UndoPull,
    /// Presenting: the step from its start, without interventions.
    Rewind,
    /// Presenting: black the screen, or show it.
    Blank,
    /// Stop presenting: the workbench, on the step's scenarios.
    LeavePresenter,
}

impl Action {
    /// Whether this is the user changing what is shown (which releases a held link).
    fn is_edit(&self) -> bool {
        matches!(
            self,
            Action::Preset(_)
                | Action::Edit(_)
                | Action::OpenAs(..)
                | Action::Compare
                | Action::CloseB
                | Action::UndoCloseB
                | Action::NextSeed
                | Action::Import { read: Ok(_), .. }
                | Action::ImportBoth { .. }
                | Action::Present { .. }
                | Action::StepBy(_)
                | Action::Pull(..)
                | Action::UndoPull
                | Action::Rewind
        )
    }
}

/// `text` ending with a full stop.
fn sentence(text: &str) -> String {
    let t = text.trim_end();
    if t.ends_with(['.', '!', '?']) {
        t.to_string()
    } else {
        format!("{t}.")
    }
}

/// The notice for a link or saved state that could not be opened.
fn unreadable(from: Source, why: &str, saved: bool) -> Notice {
    let kept = if saved {
        " Your last saved state is kept: restore it, or carry on here."
    } else {
        ""
    };
    let text = match from {
        Source::Link => format!("{why} The default scenario is open instead.{kept}"),
        Source::PastedLink => format!("{why} Nothing was changed.{kept}"),
        Source::Saved => format!(
            "The state saved in this browser could not be read ({}); the default scenario \
             is open. The saved state is left as it is until you edit.",
            why.trim_end_matches('.')
        ),
    };
    Notice {
        text,
        problem: true,
        offer: if saved && from != Source::Saved {
            Offer::RestoreSaved
        } else {
            Offer::Nothing
        },
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        let editing = s.editing;
        if action.is_edit() && s.held {
            // the user chose to carry on here: the link and saved state follow again, and
            // the offer to restore the saved state is over (it is about to be overwritten)
            s.held = false;
            if s.notice
                .as_ref()
                .is_some_and(|n| n.offer == Offer::RestoreSaved)
            {
                s.notice = None;
            }
        }
        if action.is_edit()
            && s.notice.as_ref().is_some_and(|n| {
                matches!(n.offer, Offer::NextSeed(_)) || (!n.problem && n.offer == Offer::Nothing)
            })
        {
            // "nothing changed" is over once something changes, and so is a plain status
            // ("Opened calm.json as scenario A" no longer describes what is on screen)
            s.notice = None;
        }
        match action {
            Action::Preset(name) => match presets::config(&name) {
                Ok(cfg) => {
                    if let Some(side) = s.side_mut(editing) {
                        side.config = cfg;
                        side.error = None;
                    }
                }
                Err(e) => s.notice = Some(Notice::problem(e.to_string())),
            },
            Action::Edit(cfg) => {
                if let Some(side) = s.side_mut(editing) {
                    side.config = *cfg;
                    side.error = None;
                }
            }
            Action::OpenAs(w, cfg) => {
                match (w, s.b.as_mut()) {
                    (Which::A, _) => s.a.config = *cfg,
                    (Which::B, Some(b)) => b.config = *cfg,
                    (Which::B, None) => s.b = Some(Side::new(*cfg)),
                }
                if let Some(side) = s.side_mut(w) {
                    side.error = None;
                }
                s.editing = w;
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
                // a B closed before stays within reach: this B is a new copy of A
                s.notice = s.closed_b.as_ref().map(|_| Notice {
                    text: "Scenario B is a new copy of A; the B you closed can still come back."
                        .into(),
                    problem: false,
                    offer: Offer::UndoCloseB,
                });
            }
            Action::CloseB => {
                if let Some(b) = s.b.take() {
                    s.closed_b = Some(Box::new(b));
                    s.notice = Some(Notice {
                        text: "Scenario B is closed.".into(),
                        problem: false,
                        offer: Offer::UndoCloseB,
                    });
                }
                s.editing = Which::A;
            }
            Action::UndoCloseB => match s.closed_b.take() {
                Some(b) => {
                    s.b = Some(*b);
                    s.editing = Which::B;
                    if s.notice
                        .as_ref()
                        .is_some_and(|n| n.offer == Offer::UndoCloseB)
                    {
                        s.notice = None;
                    }
                }
                None => return self,
            },
            Action::EditSide(w) => s.editing = if s.b.is_some() { w } else { Which::A },
            Action::ToggleTheme => s.dark = !s.dark,
            Action::Open {
                from,
                decoded,
                saved,
            } => match decoded {
                Ok(shared) => return Rc::new(State::from_shared(*shared)),
                Err(why) => {
                    s.notice = Some(unreadable(from, &why, saved));
                    s.held = true;
                }
            },
            Action::Import { name, read } => match read {
                Ok(cfg) => {
                    if let Some(side) = s.side_mut(editing) {
                        side.config = *cfg;
                        side.error = None;
                    }
                    s.notice = Some(Notice::info(format!(
                        "Opened “{name}” as scenario {}.",
                        editing.label()
                    )));
                }
                Err(why) => {
                    s.notice = Some(Notice::problem(format!(
                        "“{name}” could not be opened: {} Nothing was changed.",
                        sentence(&why)
                    )))
                }
            },
            Action::ImportBoth { name, a, b } => {
                s.a.config = *a;
                s.a.error = None;
                match s.b.as_mut() {
                    Some(side) => {
                        side.config = *b;
                        side.error = None;
                    }
                    None => s.b = Some(Side::new(*b)),
                }
                s.notice = Some(Notice::info(format!(
                    "Opened “{name}” as scenarios A and B."
                )));
            }
            Action::Notice(n) => s.notice = n,
            Action::Started(w, id, warnings) => match s.side_mut(w) {
                Some(side) => {
                    side.run_id = id;
                    side.status = Status::Running(0.0);
                    side.warnings = warnings;
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
            Action::Rerun => {
                let sides = || std::iter::once(&s.a).chain(s.b.as_ref());
                if !sides().all(Side::shows_current) {
                    return self;
                }
                let next = s.a.config.seed.wrapping_add(1);
                let seeds = match &s.b {
                    Some(b) if b.config.seed != s.a.config.seed => format!(
                        "A with seed {}, B with seed {}",
                        s.a.config.seed, b.config.seed
                    ),
                    Some(_) => format!("A and B with seed {}", s.a.config.seed),
                    None => format!("seed {}", s.a.config.seed),
                };
                s.notice = Some(Notice {
                    text: format!(
                        "Nothing changed since the last run ({seeds}), so it gives the same \
                         result: a scenario with the same seed always does. For another draw \
                         of chance, try the next seed."
                    ),
                    problem: false,
                    offer: Offer::NextSeed(next),
                });
            }
            Action::NextSeed => {
                for side in std::iter::once(&mut s.a).chain(s.b.as_mut()) {
                    side.config.seed = side.config.seed.wrapping_add(1);
                    side.error = None;
                }
            }
            Action::PngScale(k) => s.png_scale = k.clamp(1, 8),
            Action::Present { tour, step, pulls } => match open_step(&mut s, tour, step, pulls) {
                Ok(()) => s.notice = None,
                Err(e) => s.notice = Some(Notice::problem(e)),
            },
            Action::BadTourLink(why) => {
                s.notice = Some(Notice::problem(format!(
                    "{} The workbench is open instead.",
                    sentence(&why)
                )))
            }
            Action::StepBy(by) => {
                let Some(p) = s.present.clone() else {
                    return self;
                };
                if by > 0 && !p.revealed {
                    if let Some(p) = s.present.as_mut() {
                        p.revealed = true;
                        p.cue += 1;
                    }
                } else {
                    let last = p.tour.steps().len() as i64;
                    let to = (p.step as i64 + i64::from(by)).clamp(1, last) as usize;
                    if to == p.step {
                        s.notice = Some(Notice::info(if by > 0 {
                            "This is the last step: Esc explores it in the workbench."
                        } else {
                            "This is the first step."
                        }));
                    } else if let Err(e) = open_step(&mut s, p.tour.clone(), to, Vec::new()) {
                        s.notice = Some(Notice::problem(e));
                    }
                }
            }
            Action::Pull(lever, at) => {
                let Some(p) = s.present.clone() else {
                    return self;
                };
                if p.pulls.len() >= crate::tour::link::MAX_PULLS {
                    s.notice = Some(Notice::problem(format!(
                        "A step holds at most {} interventions: undo one (u) or rewind (r).",
                        crate::tour::link::MAX_PULLS
                    )));
                    return Rc::new(s);
                }
                let mut pulls = p.pulls.clone();
                pulls.push((lever, at / 1_000));
                if let Err(e) = replay(&mut s, &pulls) {
                    s.notice = Some(Notice::problem(e));
                }
            }
            Action::UndoPull => {
                let Some(p) = s.present.clone() else {
                    return self;
                };
                let mut pulls = p.pulls.clone();
                if pulls.pop().is_none() {
                    s.notice = Some(Notice::info("No intervention to undo in this step."));
                } else if let Err(e) = replay(&mut s, &pulls) {
                    s.notice = Some(Notice::problem(e));
                }
            }
            Action::Rewind => {
                let Some(p) = s.present.clone() else {
                    return self;
                };
                if let Err(e) = replay(&mut s, &[]) {
                    s.notice = Some(Notice::problem(e));
                }
                if let Some(now) = s.present.as_mut() {
                    now.cue = p.cue + 1;
                    now.revealed = true;
                }
            }
            Action::Blank => match s.present.as_mut() {
                Some(p) => p.blank = !p.blank,
                None => return self,
            },
            Action::LeavePresenter => {
                if s.present.take().is_none() {
                    return self;
                }
            }
        }
        if let Some(p) = s.present.as_mut() {
            // the step's own run is on screen
            if p.fresh && s.a.shows_current() && s.b.as_ref().is_none_or(Side::shows_current) {
                p.fresh = false;
            }
        }
        Rc::new(s)
    }
}

/// Show step `step` of `tour` with `pulls` replayed: its scenarios in A (and B), the
/// interventions made, the question asked (if any) before the playback starts.
fn open_step(s: &mut State, tour: Rc<Tour>, step: usize, pulls: Vec<Pull>) -> Result<(), String> {
    let st = tour.step(step).ok_or_else(|| {
        format!(
            "The tour “{}” has {} steps, not {step}.",
            tour.title(),
            tour.steps().len()
        )
    })?;
    let (a, b, said) = st.with_pulls(&pulls)?;
    let cue = s.present.as_ref().map_or(0, |p| p.cue) + 1;
    let revealed = st.question().is_none();
    // as an edit does: a side whose scenario is unchanged keeps its run (no new run starts)
    s.a.config = a;
    s.a.error = None;
    s.b = match (s.b.take(), b) {
        (Some(mut side), Some(b)) => {
            side.config = b;
            side.error = None;
            Some(side)
        }
        (None, Some(b)) => Some(Side::new(b)),
        (_, None) => None,
    };
    s.editing = Which::A;
    s.present = Some(Presenting {
        tour,
        step,
        pulls,
        said: said.last().cloned(),
        revealed,
        cue,
        fresh: true,
        blank: false,
    });
    Ok(())
}

/// The step's scenarios again with only `pulls` made (undo, rewind); the runs on screen
/// stay until the new ones finish.
fn replay(s: &mut State, pulls: &[Pull]) -> Result<(), String> {
    let Some(p) = s.present.as_mut() else {
        return Ok(());
    };
    let st = p.tour.step(p.step).ok_or("the step is gone")?;
    let (a, b, said) = st.with_pulls(pulls)?;
    p.pulls = pulls.to_vec();
    p.said = said.last().cloned();
    s.a.config = a;
    if let (Some(side), Some(b)) = (s.b.as_mut(), b) {
        side.config = b;
    }
    Ok(())
}
