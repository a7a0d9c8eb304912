//! The keyboard: `r` run, `c` compare or close B, `[` and `]` previous / next preset, `t`
//! theme; not while typing in a field, nor with Ctrl, Alt or ⌘ (Ctrl+C copies).

use gloo::events::EventListener;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::window;

/// What the keys do.
#[derive(Clone)]
pub struct Keys {
    /// `r`.
    pub run: Callback<()>,
    /// `c`.
    pub compare: Callback<()>,
    /// `[` (−1) and `]` (+1).
    pub preset_step: Callback<i32>,
    /// `t`.
    pub theme: Callback<()>,
}

/// Listen to the keyboard once; the keys always do what the latest render said.
#[hook]
pub fn use_keys(keys: Keys) {
    let latest = use_mut_ref(|| keys.clone());
    *latest.borrow_mut() = keys;
    use_effect_with((), move |_| {
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
                // a copy, not a borrow: the callbacks re-render, which updates `latest`
                let keys = latest.borrow().clone();
                match e.key().as_str() {
                    "r" => keys.run.emit(()),
                    "c" => keys.compare.emit(()),
                    "[" => keys.preset_step.emit(-1),
                    "]" => keys.preset_step.emit(1),
                    "t" => keys.theme.emit(()),
                    _ => {}
                }
            })
        });
        move || drop(listener)
    });
}
