//! The page's build inside a web worker (`static/worker.js` loads it there): it answers
//! the page's job requests with [`work::serve`](crate::work::serve), one at a time, and
//! says [`Reply::Ready`] once it listens.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use crate::work::{self, Reply};

/// Listen for jobs in this worker.
pub fn serve(scope: DedicatedWorkerGlobalScope) {
    let prepared = RefCell::new(None);
    let to_page = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        let reply = match e.data().as_string() {
            Some(text) => work::serve(&text, &mut prepared.borrow_mut()),
            None => Reply::Fatal("a message that is not text".into()),
        };
        post(&to_page, &reply);
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
