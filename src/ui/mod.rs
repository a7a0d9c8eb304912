//! The page: a thin Yew shell over `sim` and `charts` (wasm only). State lives in one
//! reducer ([`state`]); effects start runs (debounced, in chunks), keep the share link and
//! localStorage up to date, and listen to the keyboard.

mod chart;
mod controls;
mod export;
mod runner;
pub mod state;
mod summary;

use std::cell::Cell;
use std::rc::Rc;

use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::charts::Kind;
use crate::share;
use crate::sim::edit::{apply, Edit};
use crate::sim::presets;
use chart::ChartCanvas;
use controls::Controls;
use state::{Action, Side, State, Status, Which};
use summary::{ServicesTable, SummaryTable};

/// localStorage key of the last state.
const STORAGE_KEY: &str = "herdsim.state";
/// Quiet time after an edit before the run starts (ms): short, so a dragged slider animates.
const DEBOUNCE_MS: u32 = 30;

/// Mount the app on the page body.
pub fn start() {
    yew::Renderer::<App>::new().render();
}

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

fn storage() -> Option<web_sys::Storage> {
    window()?.local_storage().ok().flatten()
}

/// The state to open with: the link's, else the stored one, else the defaults (with a
/// message when a link or stored state could not be read).
fn initial() -> State {
    let hash = window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    if hash.len() > 1 {
        return match share::decode(&hash) {
            Ok(s) => State::from_shared(s),
            Err(e) => State {
                notice: Some(format!("{e} The default scenario is open instead.")),
                ..State::default()
            },
        };
    }
    match storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten()) {
        Some(saved) => match share::decode(&saved) {
            Ok(s) => State::from_shared(s),
            Err(_) => State {
                notice: Some("The saved state could not be read; the defaults are open.".into()),
                ..State::default()
            },
        },
        None => State::default(),
    }
}

/// The page.
#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(initial);
    let dispatch = {
        let state = state.clone();
        Callback::from(move |a: Action| state.dispatch(a))
    };
    let tokens = use_memo((), |_| [Rc::new(Cell::new(0u64)), Rc::new(Cell::new(0u64))]);
    // the preset menu with each preset's description, parsed once rather than on every
    // render (the page renders on every progress step of a run)
    let menu = use_memo((), |_| {
        presets::groups()
            .into_iter()
            .map(|(group, names)| {
                let items: Vec<(&'static str, String)> = names
                    .into_iter()
                    .map(|n| {
                        (
                            n,
                            presets::config(n)
                                .map(|c| c.description)
                                .unwrap_or_default(),
                        )
                    })
                    .collect();
                (group, items)
            })
            .collect::<Vec<_>>()
    });
    let next_id = use_mut_ref(|| 0u64);
    let timers = use_mut_ref(|| (None::<Timeout>, None::<Timeout>));
    let token = |w: Which| tokens[(w == Which::B) as usize].clone();

    // Start a run of side `w` now.
    let run = {
        let (dispatch, next_id, tokens) = (dispatch.clone(), next_id.clone(), tokens.clone());
        Rc::new(move |w: Which, cfg: &crate::sim::ScenarioConfig| {
            *next_id.borrow_mut() += 1;
            let id = *next_id.borrow();
            runner::start(
                w,
                id,
                cfg,
                tokens[(w == Which::B) as usize].clone(),
                dispatch.clone(),
            );
        })
    };

    // Re-run a side (debounced) whenever its scenario changes.
    {
        let (run, timers) = (run.clone(), timers.clone());
        let deps = (
            state.a.config.clone(),
            state.b.as_ref().map(|b| b.config.clone()),
        );
        use_effect_with(deps, move |(a, b)| {
            let mut t = timers.borrow_mut();
            let (run_a, a) = (run.clone(), a.clone());
            t.0 = Some(Timeout::new(DEBOUNCE_MS, move || run_a(Which::A, &a)));
            t.1 = b.clone().map(|b| {
                let run_b = run.clone();
                Timeout::new(DEBOUNCE_MS, move || run_b(Which::B, &b))
            });
        });
    }

    // Keep the link and localStorage in step with what is shown.
    {
        let shared = state.to_shared();
        use_effect_with(shared, |s| {
            let enc = share::encode(s);
            if let Some(h) = window().and_then(|w| w.history().ok()) {
                let _ = h.replace_state_with_url(
                    &wasm_bindgen::JsValue::NULL,
                    "",
                    Some(&format!("#{enc}")),
                );
            }
            if let Some(st) = storage() {
                let _ = st.set_item(STORAGE_KEY, &enc);
            }
        });
    }

    // Charts redraw at their new size once a window resize settles.
    let epoch = use_state(|| 0u32);
    {
        let epoch = epoch.clone();
        use_effect_with((), move |_| {
            let pending = Rc::new(std::cell::RefCell::new(None::<Timeout>));
            let count = Rc::new(Cell::new(0u32));
            let listener = window().map(|w| {
                EventListener::new(&w, "resize", move |_| {
                    let (epoch, count) = (epoch.clone(), count.clone());
                    *pending.borrow_mut() = Some(Timeout::new(150, move || {
                        count.set(count.get() + 1);
                        epoch.set(count.get());
                    }));
                })
            });
            move || drop(listener)
        });
    }

    // A link pasted into this tab's address bar.
    {
        let dispatch = dispatch.clone();
        use_effect_with((), move |_| {
            let listener = window().map(|w| {
                EventListener::new(&w, "hashchange", move |_| {
                    let hash = window()
                        .and_then(|w| w.location().hash().ok())
                        .unwrap_or_default();
                    match share::decode(&hash) {
                        Ok(s) => dispatch.emit(Action::Restore(Box::new(State::from_shared(s)))),
                        Err(e) => dispatch.emit(Action::Restore(Box::new(State {
                            notice: Some(format!("{e} The default scenario is open instead.")),
                            ..State::default()
                        }))),
                    }
                })
            });
            move || drop(listener)
        });
    }

    let editing = state.editing;
    let side = state.side(editing).clone();
    // Memoised on the scenario, so the control panel does not re-render on run progress.
    let on_edit = {
        let dispatcher = state.dispatcher();
        use_callback(side.config.clone(), move |e: Edit, cfg| {
            match apply(cfg, &e) {
                Ok(next) => dispatcher.dispatch(Action::Edit(Box::new(next))),
                Err(msg) => dispatcher.dispatch(Action::Refused(msg)),
            }
        })
    };
    let on_preset = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: Event| {
            let el: web_sys::HtmlSelectElement = e.target_unchecked_into();
            dispatch.emit(Action::Preset(el.value()));
        })
    };
    let rerun = {
        let (run, state) = (run.clone(), state.clone());
        Callback::from(move |_: ()| {
            run(Which::A, &state.a.config);
            if let Some(b) = &state.b {
                run(Which::B, &b.config);
            }
        })
    };
    let compare = {
        let (dispatch, comparing) = (dispatch.clone(), state.b.is_some());
        Callback::from(move |_: ()| {
            dispatch.emit(if comparing {
                Action::CloseB
            } else {
                Action::Compare
            })
        })
    };
    let cancel = |w: Which| {
        let (dispatch, token) = (dispatch.clone(), token(w));
        Callback::from(move |_| {
            token.set(token.get() + 1);
            dispatch.emit(Action::Cancel(w));
        })
    };
    let switch_preset = {
        let (dispatch, current) = (dispatch.clone(), side.config.name.clone());
        Callback::from(move |step: i32| {
            let names: Vec<&str> = presets::names().collect();
            let i = names.iter().position(|n| *n == current).unwrap_or(0) as i32;
            let j = (i + step).rem_euclid(names.len() as i32) as usize;
            dispatch.emit(Action::Preset(names[j].to_string()));
        })
    };

    // Keyboard: r run, c compare, [ and ] previous / next preset, t theme.
    {
        let (rerun, compare, switch_preset, dispatch) = (
            rerun.clone(),
            compare.clone(),
            switch_preset.clone(),
            dispatch.clone(),
        );
        use_effect_with(
            (
                state.b.is_some(),
                side.config.name.clone(),
                state.a.config.clone(),
            ),
            move |_| {
                let listener = window().and_then(|w| w.document()).map(|doc| {
                    EventListener::new(&doc, "keydown", move |e| {
                        let Some(e) = e.dyn_ref::<web_sys::KeyboardEvent>() else {
                            return;
                        };
                        let typing = e
                            .target()
                            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                            .is_some_and(|el| {
                                matches!(el.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA")
                            });
                        if typing || e.ctrl_key() || e.meta_key() || e.alt_key() {
                            return;
                        }
                        match e.key().as_str() {
                            "r" => rerun.emit(()),
                            "c" => compare.emit(()),
                            "[" => switch_preset.emit(-1),
                            "]" => switch_preset.emit(1),
                            "t" => dispatch.emit(Action::ToggleTheme),
                            _ => {}
                        }
                    })
                });
                move || drop(listener)
            },
        );
    }

    let copy_link = {
        let dispatch = dispatch.clone();
        Callback::from(move |_| {
            let Some(w) = window() else { return };
            let url = w.location().href().unwrap_or_default();
            let _ = w.navigator().clipboard().write_text(&url);
            dispatch.emit(Action::Notice(Some(
                "Link copied: it opens exactly this view.".into(),
            )));
        })
    };
    let export_csv = {
        let side = side.clone();
        Callback::from(move |_| {
            if let Some(r) = &side.result {
                let _ = export::download(
                    &format!("herdsim-{}.csv", r.scenario.name),
                    "text/csv",
                    &r.to_csv(),
                );
            }
        })
    };
    let export_json = {
        let side = side.clone();
        Callback::from(move |_| {
            if let Some(r) = &side.result {
                let doc = serde_json::json!({ "scenario": side.config, "summary": r.summary });
                let text = serde_json::to_string_pretty(&doc).unwrap_or_default();
                let _ = export::download(
                    &format!("herdsim-{}.json", r.scenario.name),
                    "application/json",
                    &text,
                );
            }
        })
    };

    let sides: Vec<(Which, &Side)> = std::iter::once((Which::A, &state.a))
        .chain(state.b.as_ref().map(|b| (Which::B, b)))
        .collect();
    let status = if sides
        .iter()
        .any(|(_, s)| matches!(s.status, Status::Running(_) | Status::Pending))
    {
        "running"
    } else if sides
        .iter()
        .any(|(_, s)| matches!(s.status, Status::Failed(_)))
    {
        "failed"
    } else {
        "done"
    };
    let progress = sides.iter().map(|&(w, s)| {
        let l = w.label().to_lowercase();
        match &s.status {
            Status::Running(f) => html! {
                <div class="progress">
                    <label for={format!("progress-{l}")}>{format!("Running {}: {:.0} %", w.label(), f * 100.0)}</label>
                    <progress id={format!("progress-{l}")} max="1" value={f.to_string()}></progress>
                    <button id={format!("cancel-{l}")} onclick={cancel(w)}>{"Cancel"}</button>
                </div>
            },
            Status::Cancelled => html! { <p class="hint" id={format!("cancelled-{l}")}>{format!("Run {} cancelled; showing the previous result.", w.label())}</p> },
            Status::Failed(e) => html! { <p class="error" role="alert">{format!("{}: {e}", w.label())}</p> },
            _ => html! {},
        }
    });
    let last_ms = |w: Which| {
        state
            .side(w)
            .last_ms
            .map(|m| format!("{m:.1}"))
            .unwrap_or_default()
    };
    let tabs = state.b.as_ref().map(|_| {
        let tab = |w: Which| {
            let dispatch = dispatch.clone();
            html! {
                <button role="tab" id={format!("tab-{}", w.label().to_lowercase())} aria-selected={(editing == w).to_string()}
                    class={classes!("tab", (editing == w).then_some("active"))}
                    onclick={Callback::from(move |_| dispatch.emit(Action::EditSide(w)))}>{format!("Edit {}", w.label())}</button>
            }
        };
        html! { <div role="tablist" class="tabs">{tab(Which::A)}{tab(Which::B)}</div> }
    });

    html! {
        <main data-status={status} data-theme={if state.dark { "dark" } else { "light" }} data-last-ms-a={last_ms(Which::A)}
            data-last-ms-b={last_ms(Which::B)} data-timed-run-a={state.a.timed_run.to_string()}
            data-comparing={state.b.is_some().to_string()}>
            <header>
                <div class="brand"><h1>{"herdsim"}</h1><p>{"Clients, retries and the thundering herd, simulated in your browser."}</p></div>
                <div class="toolbar" role="toolbar" aria-label="Actions">
                    <label for="preset">{format!("Preset ({})", editing.label())}</label>
                    <select id="preset" onchange={on_preset} title="Shortcut: [ and ] switch presets">
                        { for menu.iter().map(|(group, items)| html! {
                            <optgroup label={*group}>
                                { for items.iter().map(|(n, d)| html! {
                                    <option value={*n} title={d.clone()} selected={*n == side.config.name}>{*n}</option>
                                }) }
                            </optgroup>
                        }) }
                    </select>
                    <button id="run" onclick={rerun.reform(|_| ())} title="Run again (shortcut: r)">{"Run"}</button>
                    <button id="compare" onclick={compare.reform(|_| ())} aria-pressed={state.b.is_some().to_string()} title="Copy this scenario into B and compare (shortcut: c)">
                        { if state.b.is_some() { "Close B" } else { "Compare" } }
                    </button>
                    <button id="copy-link" onclick={copy_link} title="Copy a link that opens exactly this view">{"Copy link"}</button>
                    <button id="export-csv" onclick={export_csv} title="Time series of the edited scenario as CSV">{"CSV"}</button>
                    <button id="export-json" onclick={export_json} title="Scenario and summary as JSON">{"JSON"}</button>
                    <button id="theme" onclick={dispatch.reform(|_| Action::ToggleTheme)} aria-pressed={state.dark.to_string()} title="Light or high-contrast dark theme (shortcut: t)">
                        { if state.dark { "Light theme" } else { "Dark theme" } }
                    </button>
                </div>
            </header>
            if let Some(n) = &state.notice {
                <div class="notice" role="status" id="notice">
                    <span>{n}</span>
                    <button class="small" onclick={dispatch.reform(|_| Action::Notice(None))} aria-label="Dismiss">{"×"}</button>
                </div>
            }
            <p id="description" class="description">{side.config.description.clone()}</p>
            { for progress }
            <div class="layout">
                <aside class="panel">
                    { tabs.unwrap_or_default() }
                    <Controls config={side.config.clone()} side={editing.label()} error={side.error.clone()} on_edit={on_edit} />
                </aside>
                <section class="results" aria-label="Results">
                    { results(&state, *epoch) }
                </section>
            </div>
        </main>
    }
}

/// Summary and charts: one column, or A and B side by side with the overlay on top.
fn results(state: &State, epoch: u32) -> Html {
    let dark = state.dark;
    let a = state.a.result.clone();
    let b = state.b.as_ref().and_then(|b| b.result.clone());
    match (a, state.b.is_some(), b) {
        (None, _, _) => html! { <p class="hint">{"Running…"}</p> },
        (Some(a), false, _) => html! {
            <>
                <SummaryTable a={a.summary.clone()} />
                <ServicesTable a={a.summary.clone()} />
                <div class="charts">
                    { for Kind::for_run(&a, None).into_iter().map(|k| html! { <ChartCanvas kind={k} record={a.clone()} side="A" dark={dark} {epoch} /> }) }
                </div>
            </>
        },
        (Some(a), true, None) => html! {
            <>
                <SummaryTable a={a.summary.clone()} />
                <p class="hint">{"Running B…"}</p>
            </>
        },
        (Some(a), true, Some(b)) => html! {
            <>
                <SummaryTable a={a.summary.clone()} b={Some(b.summary.clone())} />
                <ServicesTable a={a.summary.clone()} b={Some(b.summary.clone())} />
                <ChartCanvas kind={Kind::Overlay} record={a.clone()} peer={Some(b.clone())} side="AB" dark={dark} {epoch} />
                <div class="charts ab">
                    { for Kind::for_run(&a, Some(&b)).into_iter().map(|k| html! {
                        <div class="pair">
                            <ChartCanvas kind={k} record={a.clone()} peer={Some(b.clone())} side="A" dark={dark} {epoch} />
                            <ChartCanvas kind={k} record={b.clone()} peer={Some(a.clone())} side="B" dark={dark} {epoch} />
                        </div>
                    }) }
                </div>
            </>
        },
    }
}
