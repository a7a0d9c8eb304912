//! The page: a thin Yew shell over `sim` and `charts` (wasm only). State lives in one
//! reducer ([`state`]); side effects live in named hooks ([`hooks`]: runs, the share link,
//! the saved state, copying, keys, files); the toolbar, notice and progress are components.

mod backend;
mod chart;
mod clients;
mod controls;
mod export;
mod hooks;
mod key_list;
mod notice;
mod offline;
mod player;
mod pool;
mod presenter;
mod progress;
mod results;
mod runner;
pub mod state;
mod summary;
mod toolbar;
mod tuning;
mod uptime;
mod worker;

use std::rc::Rc;

use yew::prelude::*;

use crate::keymap::{Command, Mode};
use crate::share;
use crate::sim::scenario::edit::{apply, Edit};
use crate::sim::scenario::intervene::Lever;
use crate::sim::scenario::presets;
use controls::Controls;
use hooks::Runs;
use key_list::KeyList;
use notice::NoticeBar;
use presenter::Presenter;
use progress::Progress;
use state::{Action, Source, State, Status, Which};
use toolbar::Toolbar;

/// Mount the app on the page body (and keep its files for offline use); in a web worker,
/// answer the page's jobs instead.
pub fn start() {
    use wasm_bindgen::JsCast;
    if let Ok(scope) = js_sys::global().dyn_into::<web_sys::DedicatedWorkerGlobalScope>() {
        return worker::serve(scope);
    }
    offline::register();
    yew::Renderer::<App>::new().render();
}

/// The state to open with: the link's, else the saved one, else the defaults; a link or
/// saved state that does not open leaves the defaults open with a notice, and is held.
fn initial() -> State {
    let opened = match (hooks::address_link(), hooks::read_saved()) {
        (Some(link), _) => hooks::open(Source::Link, &link),
        (None, Some(saved)) => hooks::open(Source::Saved, &saved),
        (None, None) => return State::default(),
    };
    Rc::unwrap_or_clone(yew::Reducible::reduce(Rc::new(State::default()), opened))
}

/// "running", "failed" or "done": the page's status, for tests and the bench.
fn status(state: &State) -> &'static str {
    let sides = || std::iter::once(&state.a).chain(state.b.as_ref());
    if sides().any(|s| matches!(s.status, Status::Running(_) | Status::Pending)) {
        "running"
    } else if sides().any(|s| matches!(s.status, Status::Failed(_))) {
        "failed"
    } else {
        "done"
    }
}

/// The page.
#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(initial);
    let dispatch = state.dispatcher().to_callback();
    let fragment = use_memo(state.to_shared(), share::encode);
    // the address bar (and Copy link) shows the tour step's own link while presenting
    let tour_link = state.present.as_ref().and_then(|p| p.link());
    let address = use_memo((fragment.clone(), tour_link), |(f, link)| {
        link.as_ref()
            .map_or_else(|| (**f).clone(), |l| l.fragment())
    });
    let Runs { rerun, cancel } = hooks::use_runs(&state, dispatch.clone());
    hooks::use_share_link(address.clone(), state.held, dispatch.clone());
    let restore = hooks::use_saved_state(fragment.clone(), state.held, dispatch.clone());
    let copy = hooks::use_copy_link(address, dispatch.clone());
    let files = hooks::use_files(dispatch.clone());
    let epoch = hooks::use_resize_epoch();

    let editing = state.editing;
    let side = state.side(editing);
    let exports = hooks::use_exports(&state);
    // Run: say so when nothing changed (same seed, same result), and run again anyway
    let run = {
        let (dispatch, rerun) = (dispatch.clone(), rerun.clone());
        Callback::from(move |_: ()| {
            dispatch.emit(Action::Rerun);
            rerun.emit(());
        })
    };
    let comparing = state.b.is_some();
    let compare = dispatch.reform(move |_| {
        if comparing {
            Action::CloseB
        } else {
            Action::Compare
        }
    });
    let preset_step = {
        let (dispatch, current) = (dispatch.clone(), side.config.name.clone());
        Callback::from(move |step: i32| {
            let names: Vec<&str> = presets::names().collect();
            let i = names.iter().position(|n| *n == current).unwrap_or(0) as i32;
            let j = (i + step).rem_euclid(names.len() as i32) as usize;
            dispatch.emit(Action::Preset(names[j].to_string()));
        })
    };
    let theme = dispatch.reform(|_| Action::ToggleTheme);
    // the list of keys: a view of the page, not of the scenario, so not in the reducer
    let key_list = use_state(|| false);
    let show_keys = {
        let key_list = key_list.clone();
        Callback::from(move |show: bool| key_list.set(show))
    };
    // the playback bar leaves its key handler here (it re-renders alone while playing)
    let remote: player::Remote = use_memo((), |_| player::Link::default());
    let presenting = state.present.is_some();
    let mode = if presenting {
        Mode::Presenter
    } else {
        Mode::Workbench
    };
    let present = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: ()| {
            dispatch.emit(hooks::open_tour("tour=handling-failures&step=1"))
        })
    };
    hooks::use_keys(mode, {
        let remote = remote.clone();
        let (run, compare, theme) = (run.clone(), compare.clone(), theme.clone());
        let (open, show_keys) = (*key_list, show_keys.clone());
        let dispatch = dispatch.clone();
        Callback::from(move |command: Command| {
            match command {
                Command::NextStep => dispatch.emit(Action::StepBy(1)),
                Command::PreviousStep => dispatch.emit(Action::StepBy(-1)),
                Command::Pull(d) => {
                    let (Some(lever), Some(t)) = (Lever::of_digit(d), remote.cursor.get()) else {
                        return false;
                    };
                    dispatch.emit(Action::Pull(lever, t));
                }
                Command::Undo => dispatch.emit(Action::UndoPull),
                Command::Rewind => dispatch.emit(Action::Rewind),
                Command::Blank => dispatch.emit(Action::Blank),
                Command::FullScreen => full_screen::toggle(),
                Command::Close if !open && presenting => {
                    full_screen::leave();
                    dispatch.emit(Action::LeavePresenter);
                }
                Command::Run => run.emit(()),
                Command::Compare => compare.emit(()),
                Command::PreviousPreset => preset_step.emit(-1),
                Command::NextPreset => preset_step.emit(1),
                Command::Theme => theme.emit(()),
                Command::ShowKeys => show_keys.emit(!open),
                Command::Close if open => show_keys.emit(false),
                Command::Close => return false,
                Command::PlayPause | Command::Slower | Command::Faster | Command::NextMoment => {
                    let Some(bar) = remote.keys.borrow().clone() else {
                        return false;
                    };
                    bar.emit(command);
                }
            }
            true
        })
    });
    // memoised on the scenario, so the control panel does not re-render on run progress
    let on_edit = use_callback(side.config.clone(), {
        let dispatch = dispatch.clone();
        move |e: Edit, cfg| match apply(cfg, &e) {
            Ok(next) => dispatch.emit(Action::Edit(Box::new(next))),
            Err(msg) => dispatch.emit(Action::Refused(msg)),
        }
    });
    let last_ms = |w: Which| {
        let ms = state.side(w).last_ms;
        ms.map(|m| format!("{m:.1}")).unwrap_or_default()
    };
    let tab = |w: Which| {
        let active = editing == w;
        html! {
            <button role="tab" id={format!("tab-{}", w.label().to_lowercase())} aria-selected={active.to_string()}
                class={classes!("tab", active.then_some("active"))}
                onclick={dispatch.reform(move |_| Action::EditSide(w))}>{format!("Edit {}", w.label())}</button>
        }
    };

    // the tuning view: its own state, kept while the results are shown
    let tuning_shown = use_state(|| false);
    let tune = use_reducer(tuning::state::Tune::default);
    let pool = (*use_memo((), |_| pool::Pool::default())).clone();
    let on_open = {
        let (dispatch, tuning_shown) = (dispatch.clone(), tuning_shown.clone());
        Callback::from(move |(w, cfg): (Which, Box<crate::sim::ScenarioConfig>)| {
            dispatch.emit(Action::OpenAs(w, cfg));
            tuning_shown.set(false);
        })
    };
    // scenario A replaced from the tuning view, which stays shown (Apply and export)
    let on_replace_a = {
        let dispatch = dispatch.clone();
        Callback::from(move |cfg: Box<crate::sim::ScenarioConfig>| {
            dispatch.emit(Action::OpenAs(Which::A, cfg))
        })
    };
    let view_tab = |tuning: bool, label: &str, id: &str| {
        let active = *tuning_shown == tuning;
        let shown = tuning_shown.clone();
        html! {
            <button role="tab" id={id.to_string()} aria-selected={active.to_string()}
                class={classes!("tab", active.then_some("active"))}
                onclick={Callback::from(move |_| shown.set(tuning))}>{label.to_string()}</button>
        }
    };
    let a_config = use_memo(state.a.config.clone(), |c| c.clone());
    let b_config = use_memo(state.b.as_ref().map(|b| b.config.clone()), |c| {
        c.clone().map(Rc::new)
    });

    let blank = state.present.as_ref().is_some_and(|p| p.blank);
    let main_attrs = (status(&state), if state.dark { "dark" } else { "light" });
    if let Some(p) = &state.present {
        return html! {
            <main data-status={main_attrs.0} data-theme={main_attrs.1} data-comparing={comparing.to_string()}
                data-mode="presenter" data-blank={blank.to_string()} class="presenting">
                if let Some(n) = &state.notice {
                    <NoticeBar notice={n.clone()} on_dismiss={dispatch.reform(|_| Action::Notice(None))}
                        on_restore={restore} on_undo={dispatch.reform(|_| Action::UndoCloseB)}
                        on_next_seed={dispatch.reform(|_| Action::NextSeed)} />
                }
                <Presenter present={p.clone()} a={state.a.clone()} b={state.b.clone()} dark={state.dark}
                    {epoch} remote={remote.clone()} dispatch={dispatch.clone()}
                    on_full_screen={Callback::from(|_| full_screen::toggle())} />
                if *key_list {
                    <KeyList {mode} on_close={show_keys.reform(|_| false)} />
                }
            </main>
        };
    }

    html! {
        <main data-status={status(&state)} data-mode="workbench" data-theme={if state.dark { "dark" } else { "light" }}
            data-last-ms-a={last_ms(Which::A)} data-last-ms-b={last_ms(Which::B)}
            data-timed-run-a={state.a.timed_run.to_string()} data-comparing={comparing.to_string()}
            data-held={state.held.to_string()} class={classes!(files.dragging.then_some("dropping"))}>
            <header>
                <div class="brand"><h1>{"herdsim"}</h1><p>{"Clients, retries and the thundering herd, simulated in your browser."}</p></div>
                <Toolbar {editing} preset={side.config.name.clone()} {comparing} dark={state.dark}
                    on_preset={dispatch.reform(Action::Preset)} on_run={run} on_compare={compare}
                    on_copy={copy} on_open={files.open} on_csv={exports.csv} on_json={exports.json}
                    on_theme={theme} on_keys={show_keys.reform(|_| true)} on_present={present} />
            </header>
            if let Some(n) = &state.notice {
                <NoticeBar notice={n.clone()} on_dismiss={dispatch.reform(|_| Action::Notice(None))}
                    on_restore={restore} on_undo={dispatch.reform(|_| Action::UndoCloseB)}
                    on_next_seed={dispatch.reform(|_| Action::NextSeed)} />
            }
            <p id="description" class="description">{side.config.description.clone()}</p>
            <results::Edited config={state.a.config.clone()} side="A" labelled={comparing} />
            if let Some(b) = &state.b {
                <results::Edited config={b.config.clone()} side="B" labelled=true />
            }
            { for std::iter::once((Which::A, &state.a)).chain(state.b.as_ref().map(|b| (Which::B, b))).map(|(w, s)| html! {
                <Progress which={w} status={s.status.clone()} on_cancel={cancel.clone()}
                    notes={progress::run_notes(s)} />
            }) }
            <div class="layout">
                <aside class="panel">
                    if comparing {
                        <div role="tablist" class="tabs">{tab(Which::A)}{tab(Which::B)}</div>
                    }
                    <Controls config={side.config.clone()} side={editing.label()} error={side.error.clone()} {on_edit} />
                </aside>
                <section class="results" id={player::RESULTS_ID} aria-label="Results" data-play="end">
                    <div role="tablist" class="tabs views">
                        { view_tab(false, "Results", "view-results") }
                        { view_tab(true, "Sweep and scorecard", "view-tuning") }
                    </div>
                    if *tuning_shown {
                        <tuning::Tuning tune={tune.clone()} a={a_config.clone()} b={(*b_config).clone()}
                            dark={state.dark} {epoch} pool={pool.clone()} on_open={on_open.clone()} {on_replace_a} />
                    } else {
                        <tuning::SeedsPanel tune={tune.clone()} a={a_config.clone()} pool={pool.clone()}
                            dark={state.dark} {epoch} />
                        { results::results(&state, epoch, &dispatch.reform(Action::PngScale), &remote) }
                    }
                </section>
            </div>
            if *key_list {
                <KeyList {mode} on_close={show_keys.reform(|_| false)} />
            }
            if files.dragging {
                <div class="drop-hint" aria-hidden="true"><p>{format!("Drop a scenario JSON file to open it as {}", editing.label())}</p></div>
            }
        </main>
    }
}

/// Full screen for the presenter (the browser may refuse: nothing happens then).
mod full_screen {
    fn document() -> Option<web_sys::Document> {
        web_sys::window()?.document()
    }

    /// Full screen, or back.
    pub fn toggle() {
        let Some(doc) = document() else { return };
        if doc.fullscreen_element().is_some() {
            doc.exit_fullscreen();
        } else if let Some(root) = doc.document_element() {
            let _ = root.request_fullscreen();
        }
    }

    /// Out of full screen, if in it.
    pub fn leave() {
        if let Some(doc) = document().filter(|d| d.fullscreen_element().is_some()) {
            doc.exit_fullscreen();
        }
    }
}
