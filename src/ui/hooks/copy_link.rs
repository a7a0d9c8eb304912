//! Copy link: through the Clipboard API where the browser offers it; where it does not
//! (`navigator.clipboard` is undefined outside HTTPS and localhost, a classroom LAN say) or
//! refuses the write, the link is shown selected in a text field to copy by hand. Nothing
//! here can throw: every call into the page goes through `Reflect`/`Function::call`.

use std::rc::Rc;

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use yew::platform::spawn_local;
use yew::prelude::*;

use super::window;
use crate::ui::state::{Action, Notice, Offer};

/// The address that opens `fragment` on this page.
fn full_link(fragment: &str) -> String {
    let loc = window().map(|w| w.location());
    let part = |f: fn(&web_sys::Location) -> Result<String, JsValue>| {
        loc.as_ref().and_then(|l| f(l).ok()).unwrap_or_default()
    };
    format!(
        "{}{}{}#{fragment}",
        part(web_sys::Location::origin),
        part(web_sys::Location::pathname),
        part(web_sys::Location::search)
    )
}

/// `navigator.clipboard.writeText(text)`'s promise, or `None` where there is no clipboard.
pub fn write_text(text: &str) -> Option<js_sys::Promise> {
    let nav = window()?.navigator();
    let clipboard = js_sys::Reflect::get(&nav, &"clipboard".into()).ok()?;
    if clipboard.is_undefined() || clipboard.is_null() {
        return None;
    }
    let write: js_sys::Function = js_sys::Reflect::get(&clipboard, &"writeText".into())
        .ok()?
        .dyn_into()
        .ok()?;
    match write.call1(&clipboard, &text.into()) {
        Ok(p) => p.dyn_into().ok(),
        // it threw: same as a refusal
        Err(e) => Some(js_sys::Promise::reject(&e)),
    }
}

fn by_hand(link: String, why: &str) -> Action {
    Action::Notice(Some(Notice {
        text: format!("{why} The link is selected below: copy it with Ctrl+C (⌘C on a Mac)."),
        problem: false,
        offer: Offer::CopyByHand(link),
    }))
}

/// The Copy link button's callback.
#[hook]
pub fn use_copy_link(fragment: Rc<String>, dispatch: Callback<Action>) -> Callback<()> {
    use_callback((fragment, dispatch), |_: (), (fragment, dispatch)| {
        let link = full_link(fragment);
        let Some(promise) = write_text(&link) else {
            return dispatch.emit(by_hand(
                link,
                "This browser does not let pages use the clipboard here (only over HTTPS or on localhost).",
            ));
        };
        let dispatch = dispatch.clone();
        spawn_local(async move {
            dispatch.emit(match JsFuture::from(promise).await {
                Ok(_) => Action::Notice(Some(Notice::info(
                    "Link copied: it opens exactly this view.",
                ))),
                Err(_) => by_hand(link, "The browser did not let the page copy the link."),
            });
        });
    })
}
