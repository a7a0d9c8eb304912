//! A side's run status: a progress bar with Cancel while it runs, a line when it was
//! cancelled or failed.

use yew::prelude::*;

use super::state::{Status, Which};
use crate::sim::RunRecord;

/// What the user should know about a finished run: the scenario's warnings and, when the
/// run stopped at a budget, that its results are partial.
pub fn run_notes(rec: &RunRecord) -> Vec<String> {
    let mut notes = rec.scenario.warnings();
    if let Some(why) = rec.summary.stop.and_then(|s| s.partial_reason()) {
        notes.push(format!(
            "{why} (at {:.1} s of simulated time).",
            rec.summary.end_ms / 1000.0
        ));
    }
    notes
}

/// Props: the side and its status.
#[derive(Properties, PartialEq)]
pub struct ProgressProps {
    /// A or B.
    pub which: Which,
    /// Where its run stands.
    pub status: Status,
    /// Notes on its latest result ([`run_notes`]).
    #[prop_or_default]
    pub notes: Vec<String>,
    /// Cancel pressed.
    pub on_cancel: Callback<Which>,
}

/// The progress of one side's run.
#[function_component(Progress)]
pub fn progress(p: &ProgressProps) -> Html {
    let (w, label) = (p.which, p.which.label());
    let l = label.to_lowercase();
    match &p.status {
        Status::Running(f) => html! {
            <div class="progress">
                <label for={format!("progress-{l}")}>{format!("Running {label}: {:.0} %", f * 100.0)}</label>
                <progress id={format!("progress-{l}")} max="1" value={f.to_string()}></progress>
                <button id={format!("cancel-{l}")} onclick={p.on_cancel.reform(move |_| w)}>{"Cancel"}</button>
            </div>
        },
        Status::Cancelled => html! {
            <p class="hint" id={format!("cancelled-{l}")}>{format!("Run {label} cancelled; showing the previous result.")}</p>
        },
        Status::Failed(e) => html! { <p class="error" role="alert">{format!("{label}: {e}")}</p> },
        Status::Pending | Status::Done if p.notes.is_empty() => html! {},
        Status::Pending | Status::Done => html! {
            <div class="notes" id={format!("notes-{l}")} role="status">
                { for p.notes.iter().map(|n| html! { <p class="hint">{format!("{label}: {n}")}</p> }) }
            </div>
        },
    }
}
