//! The keyboard: one listener on the document that looks keys up in [`keymap::BINDINGS`]
//! whatever control had focus last (a menu chosen with the mouse, a slider just dragged),
//! except where a text field types them ([`keymap::command`] says which). A key the page
//! acts on has its default prevented (PageDown does not also scroll, `r` does not retype
//! the preset menu); every other key is left to the browser.

use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::window;
use crate::keymap::{self, Command, Focus, Mode};

/// What had focus: the event's target.
fn focus(e: &web_sys::KeyboardEvent) -> Focus {
    let Some(el) = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return Focus::Page;
    };
    let editable = el
        .dyn_ref::<web_sys::HtmlElement>()
        .is_some_and(|h| h.is_content_editable());
    Focus::of(
        &el.tag_name(),
        el.get_attribute("type").as_deref(),
        editable,
    )
}

/// Listen to the keyboard once; `mode` (which keys work) and `on_command` are always the
/// latest render's, and `on_command` answers whether it acted on the command (Escape with
/// nothing open does nothing, and is left to the browser).
#[hook]
pub fn use_keys(mode: Mode, on_command: Callback<Command, bool>) {
    let latest = use_mut_ref(|| (mode, on_command.clone()));
    *latest.borrow_mut() = (mode, on_command);
    use_effect_with((), move |_| {
        let listener = window().and_then(|w| w.document()).map(|doc| {
            let options = EventListenerOptions::enable_prevent_default();
            EventListener::new_with_options(&doc, "keydown", options, move |e| {
                let Some(e) = e.dyn_ref::<web_sys::KeyboardEvent>() else {
                    return;
                };
                if e.default_prevented() || e.is_composing() {
                    return;
                }
                let modified = e.ctrl_key() || e.meta_key() || e.alt_key();
                // a copy, not a borrow: the callback re-renders, which updates `latest`
                let (mode, on_command) = latest.borrow().clone();
                let Some(command) = keymap::command(&e.key(), mode, focus(e), modified) else {
                    return;
                };
                if on_command.emit(command) {
                    e.prevent_default();
                }
            })
        });
        move || drop(listener)
    });
}
