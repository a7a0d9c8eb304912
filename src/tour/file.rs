//! What a tour file holds: plain serde data, read as strictly as a scenario (unknown fields,
//! a key given twice, a list in place of an object are errors). [`Tour`](super::Tour) is
//! the checked form, made from it only by [`Tour::from_json`](super::Tour::from_json).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::sim::scenario::validate::RawJson;

/// A whole tour file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TourFile {
    /// Short name: the file's name and the `tour=` of its links (letters, digits, `-`, `_`).
    pub name: String,
    /// The title shown to the room.
    pub title: String,
    /// The slides, in order (1 to [`MAX_STEPS`](super::MAX_STEPS)).
    pub steps: Vec<StepFile>,
}

/// One step (slide) of a tour.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepFile {
    /// Its title.
    pub title: String,
    /// One or two short sentences said over the run.
    pub narration: String,
    /// The scenario: `{"preset": NAME, "set": {PATH: VALUE, …}}` or a whole scenario
    /// object (as a scenario file holds).
    pub scenario: RawJson,
    /// A second scenario in the same forms, shown beside the first (an A/B pair).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub b: Option<RawJson>,
    /// Two or three chart ids ([`Kind::id`](crate::charts::Kind::id)).
    pub charts: Vec<String>,
    /// Playback speed × real time; `null` or left out for the default (a run plays in
    /// about [`DEFAULT_PLAY_S`](super::DEFAULT_PLAY_S) seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speed: Option<f64>,
    /// A question to ask the room before the result shows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question: Option<String>,
    /// What ends the step's playback: `{"time_ms": N}` or `{"event": E, "service": S}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<UntilFile>,
}

/// A preset and overrides: `{"preset": "herd-no-jitter", "set": {"clients.count": 4000}}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PresetFile {
    /// The preset's name (`herdsim presets` lists them).
    pub preset: String,
    /// Field path → value, as `--set path=value` takes them; applied in the order of the
    /// paths (so `policy.jitter` comes before `policy.jitter.type`).
    #[serde(default)]
    pub set: BTreeMap<String, RawJson>,
}

/// What ends a step's playback, as written: `time_ms` alone, or `event` and `service`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UntilFile {
    /// Stop at this simulated time (ms).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_ms: Option<f64>,
    /// Stop at the first such event of `service`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<EventName>,
    /// The service the event is about (a name in the step's scenario; `service` for a
    /// scenario with one service).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
}

/// A notable moment of a run that can end a step's playback: the moments the charts
/// mark ([`MomentKind`](crate::charts::moments::MomentKind)), by the same names.
pub use crate::charts::moments::MomentKind as EventName;
