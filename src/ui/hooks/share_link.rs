//! The link in the address bar: it follows what is shown (unless a link that could not be
//! opened is held there), and a link pasted into it opens.

use std::rc::Rc;

use gloo::events::EventListener;
use yew::prelude::*;

use super::{open, window};
use crate::ui::state::{Action, Source};

/// The fragment in the address bar (with its `#`), if there is one.
pub fn address_link() -> Option<String> {
    window()
        .and_then(|w| w.location().hash().ok())
        .filter(|h| h.len() > 1)
}

/// Write `fragment` to the address bar unless `held`; open links pasted into it.
#[hook]
pub fn use_share_link(fragment: Rc<String>, held: bool, dispatch: Callback<Action>) {
    use_effect_with((fragment, held), |(fragment, held)| {
        if !*held {
            if let Some(h) = window().and_then(|w| w.history().ok()) {
                let url = format!("#{fragment}");
                let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
            }
        }
    });
    use_effect_with((), move |_| {
        let listener = window().map(|w| {
            EventListener::new(&w, "hashchange", move |_| {
                if let Some(link) = address_link() {
                    dispatch.emit(open(Source::PastedLink, &link));
                }
            })
        });
        move || drop(listener)
    });
}
