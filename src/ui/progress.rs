//! A side's run status: a progress bar with Cancel while it runs, a line when it was
//! cancelled or failed.

use yew::prelude::*;

use super::state::{Side, Status, Which};

/// What the user should know about a side: its scenario's warnings (from the moment its
/// run starts) and, when its last run stopped at a budget, that those results are partial.
pub fn run_notes(side: &Side) -> Vec<String> {
    let mut notes = side.warnings.clone();
    let rec = side.result.as_deref();
    if let Some(why) = rec.and_then(|r| r.summary.stop?.partial_reason()) {
        let at = crate::units::duration_ms(rec.map_or(0.0, |r| r.summary.end_ms));
        notes.push(format!("{why} (at {at} of simulated time)."));
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
    let status = match &p.status {
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
        Status::Pending | Status::Done => html! {},
    };
    html! {
        <>
            { status }
            if !p.notes.is_empty() {
                <div class="notes" id={format!("notes-{l}")} role="status">
                    { for p.notes.iter().map(|n| html! { <p class="hint">{format!("{label}: {n}")}</p> }) }
                </div>
            }
        </>
    }
}
