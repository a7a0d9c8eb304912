//! Scenario files: chosen with Open… or dropped onto the page; at most [`MAX_FILE`] bytes,
//! checked before reading; then read and validated as every scenario is
//! (`ScenarioConfig::from_json`, then `validate`); the page's A/B export opens as A and B.
//! A bad file leaves everything as it was.

use std::cell::Cell;
use std::rc::Rc;

use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use yew::platform::spawn_local;
use yew::prelude::*;

use super::window;
use crate::sim::{ScenarioConfig, ScenarioError};
use crate::ui::state::Action;

/// Largest scenario file read (bytes): a scenario is a few kilobytes.
pub const MAX_FILE: f64 = 1024.0 * 1024.0;

/// Opening files.
pub struct Files {
    /// Open this file (from the file picker).
    pub open: Callback<web_sys::File>,
    /// A file is being dragged over the page.
    pub dragging: bool,
}

/// Read `text` as a scenario, with what is wrong in words for the notice.
fn scenario(text: &str) -> Result<ScenarioConfig, String> {
    let cfg = ScenarioConfig::from_json(text).map_err(|e| match e {
        ScenarioError::Invalid(_) => format!("it is not a herdsim scenario: {e}"),
        // the reader's own plain words ("not JSON: …", "ends too early", "unknown field")
        _ => format!("it does not read as a scenario: {e}."),
    })?;
    cfg.validate()
        .map_err(|e| format!("some of its values are not allowed: {e}"))?;
    Ok(cfg)
}

/// The page's A/B export (`{"a": {"scenario", "summary"}, "b": …}`): both scenarios, or
/// `None` when `text` is not one (then it reads as one scenario).
fn pair(text: &str) -> Option<Result<(ScenarioConfig, ScenarioConfig), String>> {
    let doc: serde_json::Value = serde_json::from_str(text).ok()?;
    let map = doc.as_object().filter(|m| m.len() == 2)?;
    let (a, b) = (map.get("a")?, map.get("b")?);
    if !a.is_object() || !b.is_object() {
        return None;
    }
    let one = |side: &str, v: &serde_json::Value| {
        scenario(&v.to_string()).map_err(|e| format!("its scenario {side}: {e}"))
    };
    Some(one("A", a).and_then(|a| Ok((a, one("B", b)?))))
}

/// What reading `text` gives: the action that opens it (or says why not).
fn read(name: String, text: &str) -> Action {
    match pair(text) {
        Some(Ok((a, b))) => Action::ImportBoth {
            name,
            a: Box::new(a),
            b: Box::new(b),
        },
        Some(Err(e)) => Action::Import { name, read: Err(e) },
        None => Action::Import {
            name,
            read: scenario(text).map(Box::new),
        },
    }
}

fn open_file(file: web_sys::File, dispatch: Callback<Action>) {
    let name = file.name();
    let size = file.size();
    if size > MAX_FILE {
        return dispatch.emit(Action::Import {
            name,
            read: Err(format!(
                "it is {:.1} MB, and a scenario file is at most 1 MB.",
                size / MAX_FILE
            )),
        });
    }
    spawn_local(async move {
        let file = gloo::file::File::from(file);
        dispatch.emit(match gloo::file::futures::read_as_text(&file).await {
            Ok(text) => read(name, &text),
            Err(e) => Action::Import {
                name,
                read: Err(format!("the browser could not read it ({e}).")),
            },
        });
    });
}

/// The first file an event carries, if any.
fn dropped(e: &web_sys::DragEvent) -> Option<web_sys::File> {
    e.data_transfer()?.files()?.get(0)
}

/// Whether a drag carries files (their names are only readable on drop).
fn carries_files(e: &web_sys::DragEvent) -> bool {
    e.data_transfer()
        .is_some_and(|dt| dt.types().includes(&"Files".into(), 0))
}

/// Open files from the picker and from drops onto the page.
#[hook]
pub fn use_files(dispatch: Callback<Action>) -> Files {
    let dragging = use_state_eq(|| false);
    {
        let (dragging, dispatch) = (dragging.clone(), dispatch.clone());
        use_effect_with((), move |_| {
            let doc = window().and_then(|w| w.document());
            // enter and leave fire for every element crossed: count them
            let depth = Rc::new(Cell::new(0i32));
            let listen = |kind: &'static str, f: Box<dyn Fn(&web_sys::DragEvent)>| {
                doc.as_ref().map(|doc| {
                    EventListener::new_with_options(
                        doc,
                        kind,
                        EventListenerOptions::enable_prevent_default(),
                        move |e| {
                            if let Some(e) = e.dyn_ref::<web_sys::DragEvent>() {
                                if carries_files(e) {
                                    f(e)
                                }
                            }
                        },
                    )
                })
            };
            let listeners = [
                listen("dragenter", {
                    let (depth, dragging) = (depth.clone(), dragging.clone());
                    Box::new(move |e| {
                        e.prevent_default();
                        depth.set(depth.get() + 1);
                        dragging.set(true);
                    })
                }),
                listen("dragover", {
                    Box::new(move |e| {
                        // allow the drop, as a copy
                        e.prevent_default();
                        if let Some(dt) = e.data_transfer() {
                            dt.set_drop_effect("copy");
                        }
                    })
                }),
                listen("dragleave", {
                    let (depth, dragging) = (depth.clone(), dragging.clone());
                    Box::new(move |_| {
                        depth.set((depth.get() - 1).max(0));
                        if depth.get() == 0 {
                            dragging.set(false);
                        }
                    })
                }),
                listen("drop", {
                    let dragging = dragging.clone();
                    Box::new(move |e| {
                        // never let the browser navigate to the file instead
                        e.prevent_default();
                        depth.set(0);
                        dragging.set(false);
                        if let Some(file) = dropped(e) {
                            open_file(file, dispatch.clone());
                        }
                    })
                }),
            ];
            move || drop(listeners)
        });
    }
    let open = use_callback(dispatch, |file: web_sys::File, dispatch| {
        open_file(file, dispatch.clone())
    });
    Files {
        open,
        dragging: *dragging,
    }
}
