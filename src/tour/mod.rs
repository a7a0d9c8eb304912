//! Tours: the lecture as an ordered list of slides, each a scenario (or an A/B pair) with
//! its narration, charts, playback speed, an optional question for the room and an
//! optional moment that ends its playback. Pure data (no web crate, no I/O), like the
//! scenario:
//!
//! - [`file`]: what a tour file holds (`static/tours/*.json`), plain serde data;
//! - [`Tour::from_json`]: the one strict reading and check of it into a [`Tour`] (private
//!   fields: only this makes one), every step's scenarios validated by the scenario's own
//!   rules and messages, prefixed with the step and the field (`step 2: steps.1.scenario.set:
//!   policy.timeout_ms = 0: allowed …`); bounded work on any input;
//! - [`link`]: a step's own link fragment, `tour=<name>&step=<n>`;
//! - [`TOURS`]: the tours shipped with the app, compiled in like the presets.

use std::fmt;

use serde::Serialize;

use crate::charts::Kind;
use crate::sim::{Micros, Scenario, ScenarioConfig};

mod check;
pub mod file;
pub mod link;

pub use file::EventName;
pub use link::{Pull, TourLink};

use crate::charts::moments::moments;
use crate::sim::scenario::intervene::toggle;
use crate::sim::RunRecord;

/// Largest tour file read (bytes).
pub const MAX_TOUR_BYTES: usize = 256 * 1024;
/// Most steps in a tour.
pub const MAX_STEPS: usize = 40;
/// Longest narration (characters): one or two short sentences.
pub const MAX_NARRATION: usize = 300;
/// Longest title of a tour or a step (characters).
pub const MAX_TITLE: usize = 100;
/// Longest question to the room (characters).
pub const MAX_QUESTION: usize = 200;
/// Most overrides (`set` entries) of one scenario.
pub const MAX_SETS: usize = 32;
/// Slowest and fastest playback, × real time.
pub const SPEED_RANGE: (f64, f64) = (0.25, 1200.0);
/// A step without a `speed` plays its run in about this many seconds of real time (within
/// [`SPEED_RANGE`]): 4× for a 60 s run.
pub const DEFAULT_PLAY_S: f64 = 15.0;

/// The tours shipped with the app (`static/tours/*.json`, compiled in): name and JSON text.
pub const TOURS: &[(&str, &str)] = &[(
    "handling-failures",
    include_str!("../../static/tours/handling-failures.json"),
)];

/// The JSON text of the shipped tour `name`.
pub fn json(name: &str) -> Option<&'static str> {
    TOURS.iter().find(|t| t.0 == name).map(|t| t.1)
}

/// Why a tour file was refused: where (the step, counted from 1, and the dotted path in the
/// file) and what, in a sentence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TourError {
    step: Option<usize>,
    path: String,
    message: String,
}

impl TourError {
    /// The step the problem is in, counted from 1 as the slides are (`None` for the tour's
    /// own fields and for the text as a whole).
    pub fn step(&self) -> Option<usize> {
        self.step
    }

    /// The dotted path in the file (`steps.3.charts.1`; empty for the document).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The message, without the step (which [`Display`](fmt::Display) puts first).
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for TourError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.step {
            Some(n) => write!(f, "step {n}: {}", self.message),
            None => write!(f, "{}", self.message),
        }
    }
}

impl std::error::Error for TourError {}

/// A checked tour: only [`Tour::from_json`] makes one.
#[derive(Clone, Debug, PartialEq)]
pub struct Tour {
    name: String,
    title: String,
    steps: Vec<Step>,
}

impl Tour {
    /// Its name (file name, `tour=` of its links).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its title.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// Its steps, in order (at least one, at most [`MAX_STEPS`]).
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// Step `n`, counted from 1 as the slides and links are.
    pub fn step(&self, n: usize) -> Option<&Step> {
        n.checked_sub(1).and_then(|i| self.steps.get(i))
    }

    /// The link of step `n` (counted from 1), if the tour has it.
    pub fn link(&self, n: usize) -> Option<TourLink> {
        self.step(n)?;
        TourLink::new(&self.name, n).ok()
    }

    /// The step a link opens in this tour, or why it opens none here.
    pub fn open(&self, link: &TourLink) -> Result<&Step, String> {
        if link.tour() != self.name {
            return Err(format!(
                "the link is to the tour `{}`, not `{}`",
                link.tour(),
                self.name
            ));
        }
        self.step(link.step()).ok_or_else(|| {
            format!(
                "the tour `{}` has {} steps; the link asks for step {}",
                self.name,
                self.steps.len(),
                link.step()
            )
        })
    }
}

/// One checked step.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    title: String,
    narration: String,
    a: StepScenario,
    b: Option<StepScenario>,
    charts: Vec<Kind>,
    speed: f64,
    question: Option<String>,
    until: Option<Until>,
}

impl Step {
    /// Its title.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// One or two short sentences said over the run.
    pub fn narration(&self) -> &str {
        &self.narration
    }

    /// Its scenario (A of a pair).
    pub fn scenario(&self) -> &StepScenario {
        &self.a
    }

    /// The second scenario of an A/B pair.
    pub fn b(&self) -> Option<&StepScenario> {
        self.b.as_ref()
    }

    /// The charts to show (two or three, no chart twice).
    pub fn charts(&self) -> &[Kind] {
        &self.charts
    }

    /// Playback speed × real time (the default when the file gives none).
    pub fn speed(&self) -> f64 {
        self.speed
    }

    /// A question to ask the room before the result shows.
    pub fn question(&self) -> Option<&str> {
        self.question.as_deref()
    }

    /// What ends the step's playback (else the end of the run).
    pub fn until(&self) -> Option<&Until> {
        self.until.as_ref()
    }

    /// Its scenarios (A, and B of a pair) with the interventions `pulls` made in order,
    /// on both sides alike, and what each did ("service down at 30 s"); or why one cannot
    /// be made.
    pub fn with_pulls(
        &self,
        pulls: &[Pull],
    ) -> Result<(ScenarioConfig, Option<ScenarioConfig>, Vec<String>), String> {
        let mut a = self.a.config.clone();
        let mut b = self.b.as_ref().map(|b| b.config.clone());
        let mut said = Vec::with_capacity(pulls.len());
        for &(lever, at_ms) in pulls {
            let pulled = toggle(&a, lever, at_ms as f64)?;
            a = pulled.config;
            said.push(pulled.said);
            if let Some(b) = b.as_mut() {
                *b = toggle(b, lever, at_ms as f64)?.config;
            }
        }
        Ok((a, b, said))
    }

    /// Where its playback stops in these runs of its scenarios (µs), and why in words: its
    /// `until` time, or the earliest time its `until` event happens in any of them, with
    /// the moment's label (`None`: it plays to the end).
    pub fn stop_at(&self, runs: &[&RunRecord]) -> Option<(Micros, String)> {
        match self.until.as_ref()? {
            Until::Time(t) => Some((
                *t,
                format!("at {}", crate::units::duration_ms(*t as f64 / 1e3)),
            )),
            Until::Event { event, service } => runs
                .iter()
                .flat_map(|r| moments(r))
                .filter(|m| m.kind == *event && m.service.as_ref().is_none_or(|s| s == service))
                .map(|m| ((m.at_ms * 1_000.0).round() as Micros, m.label))
                .min_by_key(|m| m.0),
        }
    }
}

/// Where a step's scenario came from.
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    /// A preset, with the overrides (path, value as JSON text) applied in this order.
    Preset {
        /// The preset's name.
        name: String,
        /// The overrides, as `--set path=value` takes them.
        set: Vec<(String, String)>,
    },
    /// A whole scenario written in the tour.
    Inline,
}

/// A step's scenario: where it came from, the config (for the workbench, "explore from
/// here", and the seed) and the validated scenario the engine runs.
#[derive(Clone, Debug, PartialEq)]
pub struct StepScenario {
    source: Source,
    config: ScenarioConfig,
    scenario: Scenario,
}

impl StepScenario {
    /// Where it came from.
    pub fn source(&self) -> &Source {
        &self.source
    }

    /// The config, overrides applied: what the workbench opens.
    pub fn config(&self) -> &ScenarioConfig {
        &self.config
    }

    /// The validated scenario.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// The seed of its run.
    pub fn seed(&self) -> u64 {
        self.config.seed
    }
}

/// What ends a step's playback.
#[derive(Clone, Debug, PartialEq)]
pub enum Until {
    /// This simulated time (within the run).
    Time(Micros),
    /// The first such event of this service (of every scenario of the step).
    Event {
        /// The event.
        event: EventName,
        /// The service's name.
        service: String,
    },
}

impl Tour {
    /// Read and check a tour file. Refused, with a message naming the step and field: text
    /// over [`MAX_TOUR_BYTES`], anything but one JSON document, a key given twice, an
    /// unknown field, a missing or mistyped one, more than [`MAX_STEPS`] steps, a missing
    /// preset, an override or scenario the scenario's validation refuses, an unknown or
    /// unsuitable chart, a speed outside [`SPEED_RANGE`], an `until` outside the run or
    /// naming a service the scenario does not have.
    pub fn from_json(text: &str) -> Result<Tour, TourError> {
        check::tour::<check::Strict>(text)
    }

    /// The shipped tour `name` (see [`TOURS`]), checked as [`Tour::from_json`] checks any
    /// tour, but read without serde's strict reader (the tests read every shipped tour
    /// strictly and compare): the page's build needs no more. `None` if no such tour.
    pub fn shipped(name: &str) -> Option<Result<Tour, TourError>> {
        json(name).map(check::tour::<check::Trusted>)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_tour_reads_and_is_named_as_listed() {
        for (name, text) in TOURS {
            let tour = Tour::from_json(text).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(tour.name(), *name);
            assert_eq!(json(name), Some(*text));
            assert_eq!(Tour::shipped(name), Some(Ok(tour)), "{name}: read alike");
        }
        assert_eq!(json("nope"), None);
        assert!(Tour::shipped("nope").is_none());
    }
}
