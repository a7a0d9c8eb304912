//! The tuning view: sweeps and the fault suite's scorecard of scenario A's policy, run in
//! web workers ([`Pool`]) so the page stays responsive, with progress and Cancel. A
//! sweep's point opens as A or B in the workbench.

mod chart;
mod scores;
pub mod state;
mod sweep;

use std::rc::Rc;

use yew::prelude::*;

use crate::sim::scenario::presets;
use crate::sim::ScenarioConfig;
use crate::suite::LIBRARY_PRESETS;
use crate::ui::pool::{Event, Pool};
use crate::ui::state::Which;
use crate::units::count;
use crate::work::Task;
use state::{Field, Tab, Tune, TuneAction, What};
use sweep::{SweepForm, SweepView};

/// Props of [`Tuning`].
#[derive(Properties, PartialEq)]
pub struct TuningProps {
    /// The view's state.
    pub tune: UseReducerHandle<Tune>,
    /// Scenario A (swept; its policy scored).
    pub a: Rc<ScenarioConfig>,
    /// Scenario B, when comparing (scored against A).
    pub b: Option<Rc<ScenarioConfig>>,
    /// Dark theme.
    pub dark: bool,
    /// Resize epoch.
    pub epoch: u32,
    /// The web workers.
    pub pool: Pool,
    /// Open a scenario as A or B.
    pub on_open: Callback<(Which, Box<ScenarioConfig>)>,
}

/// The tuning view.
#[function_component(Tuning)]
pub fn tuning(p: &TuningProps) -> Html {
    let t = &*p.tune;
    let dispatch = p.tune.dispatcher().to_callback();
    let start = {
        let (pool, dispatch) = (p.pool.clone(), dispatch.clone());
        Callback::from(move |(what, task): (What, Result<Task, String>)| {
            let on_event = dispatch.reform(|e| match e {
                Event::Progress(done, total) => TuneAction::Progress(done, total),
                Event::Finished(r) => TuneAction::Finished(r),
            });
            match task.and_then(|task| pool.start(task, on_event)) {
                Ok(work) => dispatch.emit(TuneAction::Started(what, work, pool.workers())),
                Err(e) => dispatch.emit(TuneAction::Refused(e)),
            }
        })
    };
    let cancel = {
        let (pool, dispatch) = (p.pool.clone(), dispatch.clone());
        Callback::from(move |_| {
            pool.cancel();
            dispatch.emit(TuneAction::Cancelled);
        })
    };
    let busy = t.job.is_some();
    let tab = |which: Tab, label: &str, id: &str| {
        let active = t.tab == which;
        html! {
            <button role="tab" id={id.to_string()} aria-selected={active.to_string()}
                class={classes!("tab", active.then_some("active"))}
                onclick={dispatch.reform(move |_| TuneAction::Tab(which))}>{label.to_string()}</button>
        }
    };
    let progress = t.job.as_ref().map(|j| {
        let what = match j.what {
            What::Sweep => "Sweep",
            What::Score | What::ScoreAB => "Scorecard",
            What::Libraries => "Libraries",
        };
        let workers = if j.workers == 1 { "web worker" } else { "web workers" };
        html! {
            <div class="progress" id="tune-progress">
                <label for="tune-bar">{format!("{what}: {} of {} runs on {} {workers}", count(j.done as u64), count(j.total as u64), j.workers)}</label>
                <progress id="tune-bar" max={j.total.max(1).to_string()} value={j.done.to_string()}></progress>
                <button id="cancel-tune" onclick={cancel.clone()}>{"Cancel"}</button>
            </div>
        }
    });
    let body = match t.tab {
        Tab::Sweep => {
            let run = {
                let (start, a, tune) = (start.clone(), p.a.clone(), p.tune.clone());
                Callback::from(move |_| start.emit((What::Sweep, tune.sweep_task(&a))))
            };
            html! {
                <>
                    <p class="hint">{"Vary one or two numeric fields of scenario A (edit it on the left) over K seeds a point: a line with its spread for one field, a heatmap for two."}</p>
                    <SweepForm axes={t.axes.clone()} seeds={t.seeds.clone()} base={p.a.clone()}
                        on_field={dispatch.clone()} on_run={run} {busy} />
                    { for progress.clone() }
                    { error(&t.error) }
                    if let Some(r) = &t.sweep {
                        <SweepView result={r.clone()} metric={t.metric.clone()} picked={t.picked}
                            dark={p.dark} epoch={p.epoch} dispatch={dispatch.clone()} on_open={p.on_open.clone()} />
                    }
                </>
            }
        }
        Tab::Scorecard => {
            let go = |what: What| {
                let (start, a, b, tune) = (start.clone(), p.a.clone(), p.b.clone(), p.tune.clone());
                Callback::from(move |_| {
                    let policies = match (what, &b) {
                        (What::ScoreAB, Some(b)) => vec![(*a).clone(), (**b).clone()],
                        (What::Libraries, _) => LIBRARY_PRESETS
                            .iter()
                            .filter_map(|n| presets::config(n).ok())
                            .collect(),
                        _ => vec![(*a).clone()],
                    };
                    start.emit((what, tune.suite_task(policies)));
                })
            };
            let on_seeds = {
                let (dispatch, a) = (dispatch.clone(), p.a.clone());
                Callback::from(move |e: InputEvent| {
                    let el: web_sys::HtmlInputElement = e.target_unchecked_into();
                    dispatch.emit(TuneAction::Form(Field::SuiteSeeds, el.value(), a.clone()));
                })
            };
            html! {
                <>
                    <p class="hint">{"The client policy of scenario A (timeouts, retries, backoff, jitter, breaker, budget) through six faults in one world: 500 clients at 1 request/s each to a service of capacity 800/s for 2 min, disturbed from 20 s."}</p>
                    <div class="tune-form">
                        <div class="tune-run">
                            <label>{"seeds a scenario "}<input id="suite-seeds" class="num" value={t.suite_seeds.clone()} oninput={on_seeds} /></label>
                            <button id="run-score" class="primary" disabled={busy} onclick={go(What::Score)}>{"Score A's policy"}</button>
                            if p.b.is_some() {
                                <button id="run-score-ab" disabled={busy} onclick={go(What::ScoreAB)}>{"A vs B"}</button>
                            }
                            <button id="run-libraries" disabled={busy} onclick={go(What::Libraries)}>{"Every library's defaults"}</button>
                        </div>
                    </div>
                    { for progress }
                    { error(&t.error) }
                    if let Some(s) = &t.scores {
                        { scores::scores(s) }
                    }
                </>
            }
        }
    };
    html! {
        <div class="tuning" id="tuning" data-busy={busy.to_string()}>
            <div role="tablist" class="tabs">
                { tab(Tab::Sweep, "Sweep", "tab-sweep") }
                { tab(Tab::Scorecard, "Scorecard", "tab-scorecard") }
            </div>
            { body }
        </div>
    }
}

fn error(e: &Option<String>) -> Html {
    match e {
        Some(e) => html! { <p class="error" role="alert" id="tune-error">{e.clone()}</p> },
        None => html! {},
    }
}
