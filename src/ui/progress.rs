//! A side's run status: a progress bar with Cancel while it runs, a line when it was
//! cancelled or failed.

use yew::prelude::*;

use super::state::{Status, Which};

/// Props: the side and its status.
#[derive(Properties, PartialEq)]
pub struct ProgressProps {
    /// A or B.
    pub which: Which,
    /// Where its run stands.
    pub status: Status,
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
        Status::Pending | Status::Done => html! {},
    }
}
