//! The page's build inside a web worker (`static/worker.js` loads it there): it answers
//! the page's requests with [`work::serve`](crate::work::serve), one at a time, and says
//! [`Reply::Ready`] once it listens. A run's record goes back as bytes, its buffer handed
//! over rather than copied; its progress at most every [`PROGRESS_MS`].

use std::cell::RefCell;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use crate::work::{self, Answer, Reply};

/// Least time between two progress replies of a run (ms).
pub const PROGRESS_MS: f64 = 100.0;

/// Listen for jobs in this worker.
pub fn serve(scope: DedicatedWorkerGlobalScope) {
    let prepared = RefCell::new(None);
    let to_page = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        let Some(text) = e.data().as_string() else {
            return post(&to_page, &Reply::Fatal("a message that is not text".into()));
        };
        let mut said = js_sys::Date::now();
        let mut progress = |f: f64| {
            let now = js_sys::Date::now();
            if now - said >= PROGRESS_MS {
                said = now;
                post(&to_page, &Reply::Progress(f));
            }
        };
        match work::serve(&text, &mut prepared.borrow_mut(), &mut progress) {
            Answer::Reply(reply) => post(&to_page, &reply),
            Answer::Record(bytes) => {
                let array = js_sys::Uint8Array::from(&bytes[..]);
                let moved = js_sys::Array::of1(&array.buffer());
                if let Err(e) = to_page.post_message_with_transfer(&array, &moved) {
                    post(
                        &to_page,
                        &Reply::Fatal(format!("a record not sent ({e:?})")),
                    );
                }
            }
        }
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // the handler lives as long as the worker
    on_message.forget();
    post(&scope, &Reply::Ready);
}

fn post(scope: &DedicatedWorkerGlobalScope, reply: &Reply) {
    let text = serde_json::to_string(reply)
        .unwrap_or_else(|e| format!("{{\"fatal\":\"a reply that does not write: {e}\"}}"));
    let _ = scope.post_message(&JsValue::from_str(&text));
}
