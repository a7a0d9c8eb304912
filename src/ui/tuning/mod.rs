//! The tuning view: sweeps and the fault suite's scorecard of scenario A's policy, run in
//! web workers ([`Pool`]) so the page stays responsive, with progress and Cancel. A
//! sweep's point opens as A or B in the workbench.

mod chart;
mod export;
mod recommend;
mod scores;
mod seeds;
pub mod state;
mod sweep;

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use crate::sim::scenario::edit;
use crate::sim::scenario::presets;
use crate::sim::ScenarioConfig;
use crate::suite::LIBRARY_PRESETS;
use crate::tune::search::Tuner;
use crate::ui::pool::{Event, Pool};
use crate::ui::state::Which;
use crate::units::count;
use crate::work::{Finished, Task};
use export::ExportPanel;
use recommend::{Advice, ReportView, SearchPanel};
pub use seeds::SeedsPanel;
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
    /// Open a scenario as A or B (and show it).
    pub on_open: Callback<(Which, Box<ScenarioConfig>)>,
    /// Replace scenario A, staying in this view.
    pub on_replace_a: Callback<Box<ScenarioConfig>>,
}

/// The tuning view.
#[function_component(Tuning)]
pub fn tuning(p: &TuningProps) -> Html {
    let t = &*p.tune;
    let dispatch = p.tune.dispatcher().to_callback();
    let start = {
        let (pool, dispatch) = (p.pool.clone(), dispatch.clone());
        Callback::from(move |(what, task): (What, Result<Task, String>)| {
            start(&pool, &dispatch, what, task)
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
            What::Search(1) => "Search, the grid",
            What::Search(_) => "Search, the finer grid",
            What::Seeds => "Seeds of A",
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
        Tab::Export => {
            let on_library = dispatch.reform(TuneAction::Library);
            let on_simulate = {
                let (start, a, tune, dispatch) =
                    (start.clone(), p.a.clone(), p.tune.clone(), dispatch.clone());
                Callback::from(move |as_library: ScenarioConfig| {
                    dispatch.emit(TuneAction::Tab(Tab::Scorecard));
                    start.emit((
                        What::ScoreAB,
                        tune.suite_task(vec![(*a).clone(), as_library]),
                    ));
                })
            };
            html! {
                <>
                    <p class="hint">{"Scenario A's client policy as configuration for the library you will use, with what maps exactly, what is approximated, what the library cannot express and its foot-guns. To export a recommended policy, press Apply and export under it (Recommend tab)."}</p>
                    <ExportPanel a={p.a.clone()} library={t.library} {on_library} {on_simulate} {busy} />
                    { for progress }
                    { error(&t.error) }
                </>
            }
        }
        Tab::Recommend => {
            let run = {
                let (pool, dispatch, a, tune) = (
                    p.pool.clone(),
                    dispatch.clone(),
                    p.a.clone(),
                    p.tune.clone(),
                );
                Callback::from(move |_| match tune.search.spec(&a) {
                    Ok(spec) => match Tuner::new(spec) {
                        Ok(t) => search(&pool, Rc::new(RefCell::new(t)), &dispatch),
                        Err(e) => dispatch
                            .emit(TuneAction::Refused(format!("{}: {}", e.field, e.message))),
                    },
                    Err(e) => dispatch.emit(TuneAction::Refused(e)),
                })
            };
            let on_field = {
                let (dispatch, a) = (dispatch.clone(), p.a.clone());
                Callback::from(move |(f, v): (Field, String)| {
                    dispatch.emit(TuneAction::Form(f, v, a.clone()))
                })
            };
            let on_apply = {
                let (on_open, dispatch, a) = (p.on_open.clone(), dispatch.clone(), p.a.clone());
                Callback::from(
                    move |pairs: Vec<(String, String)>| match applied(&a, &pairs) {
                        Ok(cfg) => on_open.emit((Which::A, Box::new(cfg))),
                        Err(e) => dispatch.emit(TuneAction::Refused(e)),
                    },
                )
            };
            let on_export = {
                let (replace, dispatch, a) =
                    (p.on_replace_a.clone(), dispatch.clone(), p.a.clone());
                Callback::from(
                    move |pairs: Vec<(String, String)>| match applied(&a, &pairs) {
                        Ok(cfg) => {
                            replace.emit(Box::new(cfg));
                            dispatch.emit(TuneAction::Tab(Tab::Export));
                        }
                        Err(e) => dispatch.emit(TuneAction::Refused(e)),
                    },
                )
            };
            html! {
                <>
                    <p class="hint">{"Search the fields you unlock of scenario A's policy over the fault suite (a coarse grid, then a finer one around its best), keep the policies that meet every constraint, and pick the best for the objective."}</p>
                    <SearchPanel form={t.search.clone()} {busy} {on_field} on_run={run} />
                    { for progress }
                    { error(&t.error) }
                    if let Some(r) = &t.report {
                        <ReportView report={r.clone()} dark={p.dark} epoch={p.epoch} {on_apply} {on_export} />
                    }
                    <Advice a={p.a.clone()} layers={t.search.layers()} />
                </>
            }
        }
    };
    html! {
        <div class="tuning" id="tuning" data-busy={busy.to_string()}>
            <div role="tablist" class="tabs">
                { tab(Tab::Sweep, "Sweep", "tab-sweep") }
                { tab(Tab::Scorecard, "Scorecard", "tab-scorecard") }
                { tab(Tab::Recommend, "Recommend", "tab-recommend") }
                { tab(Tab::Export, "Export", "tab-export") }
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

/// Start `task` in the workers as `what` (or say why it cannot start); the view hears of
/// its progress and its end.
fn start(pool: &Pool, dispatch: &Callback<TuneAction>, what: What, task: Result<Task, String>) {
    let on_event = dispatch.reform(|e| match e {
        Event::Progress(done, total) => TuneAction::Progress(done, total),
        Event::Finished(r) => TuneAction::Finished(r),
    });
    match task.and_then(|task| pool.start(task, on_event)) {
        Ok(work) => dispatch.emit(TuneAction::Started(what, work, pool.workers())),
        Err(e) => dispatch.emit(TuneAction::Refused(e)),
    }
}

/// `a` with each `--set PATH=VALUE` pair applied, read and checked as a file is.
fn applied(a: &ScenarioConfig, pairs: &[(String, String)]) -> Result<ScenarioConfig, String> {
    let mut doc = crate::work::document(a);
    for (path, value) in pairs {
        edit::set(&mut doc, path, value)?;
    }
    let cfg = ScenarioConfig::from_value(doc).map_err(|e| e.to_string())?;
    cfg.validate().map_err(|e| e.to_string())?;
    Ok(cfg)
}

/// Run the tuner's search stage by stage in the workers: a stage's runs are one task,
/// whose figures go back to the tuner, which makes the next stage or the report.
fn search(pool: &Pool, tuner: Rc<RefCell<Tuner>>, dispatch: &Callback<TuneAction>) {
    let (task, stage) = {
        let t = tuner.borrow();
        let jobs = t.jobs();
        let task = Task::runs(jobs.iter().map(|j| (j.job.config, j.job.seed)));
        (task, t.stage().unwrap_or(1))
    };
    let on_event = {
        let (pool, dispatch) = (pool.clone(), dispatch.clone());
        Callback::from(move |e: Event| match e {
            Event::Progress(done, total) => dispatch.emit(TuneAction::Progress(done, total)),
            Event::Finished(Ok(f)) => {
                let Finished::Runs(figures) = &*f else {
                    return dispatch.emit(TuneAction::Finished(Ok(f)));
                };
                let taken = tuner.borrow_mut().take(figures);
                let report = tuner.borrow().report();
                match (taken, report) {
                    (Err(e), _) => dispatch.emit(TuneAction::Finished(Err(e.message))),
                    (Ok(()), Some(r)) => dispatch.emit(TuneAction::Recommended(Rc::new(r))),
                    (Ok(()), None) => search(&pool, tuner.clone(), &dispatch),
                }
            }
            Event::Finished(Err(e)) => dispatch.emit(TuneAction::Finished(Err(e))),
        })
    };
    match pool.start(task, on_event) {
        Ok(work) => dispatch.emit(TuneAction::Started(
            What::Search(stage),
            work,
            pool.workers(),
        )),
        Err(e) => dispatch.emit(TuneAction::Refused(e)),
    }
}
