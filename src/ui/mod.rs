//! The page: a thin Yew shell over `sim` and `charts` (wasm only).

mod chart;
mod runner;
mod state;
mod summary;

use yew::prelude::*;

use crate::sim::presets;
use chart::ArrivalsChart;
use state::{Action, State, Status};
use summary::SummaryTable;

/// Mount the app on the page body.
pub fn start() {
    yew::Renderer::<App>::new().render();
}

/// The page.
#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(State::default);
    let dispatch = {
        let state = state.clone();
        Callback::from(move |a: Action| state.dispatch(a))
    };
    let on_select = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: Event| {
            let el: web_sys::HtmlSelectElement = e.target_unchecked_into();
            dispatch.emit(Action::SelectPreset(el.value()));
        })
    };
    let on_run = {
        let (dispatch, preset, next) = (dispatch.clone(), state.preset.clone(), state.run_id + 1);
        Callback::from(move |_| runner::run_preset(next, preset.clone(), dispatch.clone()))
    };
    let description = presets::config(&state.preset)
        .map(|c| c.description)
        .unwrap_or_default();
    let (status, body) = match &state.status {
        Status::Idle => (
            "idle",
            html! { <p class="hint">{"Pick a preset and press Run."}</p> },
        ),
        Status::Running(f) => (
            "running",
            html! { <progress id="progress" max="1" value={f.to_string()}>{format!("{:.0} %", f * 100.0)}</progress> },
        ),
        Status::Done(r) => (
            "done",
            html! { <div class="result"><ArrivalsChart result={r.clone()} /><SummaryTable summary={r.summary.clone()} /></div> },
        ),
        Status::Failed(e) => ("failed", html! { <p class="error" role="alert">{e}</p> }),
    };
    html! {
        <main data-status={status}>
            <header><h1>{"herdsim"}</h1><p>{"Clients, retries and the thundering herd — simulated in your browser."}</p></header>
            <section class="controls">
                <label for="preset">{"Preset"}</label>
                <select id="preset" onchange={on_select}>
                    { for presets::names().map(|n| html! { <option value={n} selected={n == state.preset}>{n}</option> }) }
                </select>
                <button id="run" onclick={on_run} disabled={status == "running"}>{"Run"}</button>
            </section>
            <p id="description" class="description">{description}</p>
            {body}
        </main>
    }
}
