//! Runs a scenario in chunks between browser tasks, so the page never freezes, reporting
//! progress through the reducer. A newer run (or Cancel) supersedes the running one: its
//! token moves on and the old loop stops at its next chunk.

use std::cell::Cell;
use std::rc::Rc;

use yew::platform::spawn_local;
use yew::Callback;

use super::state::{Action, Which};
use crate::sim::{ScenarioConfig, Sim};

/// Events per step: a millisecond or two of work in wasm, between looks at the clock.
pub const STEP: u64 = 20_000;
/// Wall-clock time of one slice of work before the page gets the thread back (ms): long
/// enough that yielding costs little, short enough that the page stays responsive.
pub const SLICE_MS: f64 = 40.0;

/// Give the thread back to the browser for one task (it renders and handles input if it
/// needs to), then resume: a message to ourselves through a `MessageChannel`, which, unlike
/// `setTimeout(0)`, is not clamped to 4 ms when nested.
async fn yield_to_browser() {
    let promise = js_sys::Promise::new(
        &mut |resolve, _reject| match web_sys::MessageChannel::new() {
            Ok(ch) => {
                ch.port1().set_onmessage(Some(&resolve));
                if ch
                    .port2()
                    .post_message(&wasm_bindgen::JsValue::NULL)
                    .is_err()
                {
                    let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
                }
            }
            Err(_) => {
                let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
            }
        },
    );
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Milliseconds since the page loaded.
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Start run `id` of `cfg` for side `which`; `token` holds the id of the run that may go on.
pub fn start(
    which: Which,
    id: u64,
    cfg: &ScenarioConfig,
    token: Rc<Cell<u64>>,
    dispatch: Callback<Action>,
) {
    token.set(id);
    let scenario = match cfg.validate() {
        Ok(s) => s,
        Err(e) => return dispatch.emit(Action::Failed(which, id, e.to_string())),
    };
    let seed = cfg.seed;
    let t0 = now_ms();
    dispatch.emit(Action::Started(which, id, scenario.warnings()));
    spawn_local(async move {
        let mut sim = Sim::new(&scenario, seed);
        loop {
            let slice = now_ms();
            let mut p = sim.step(STEP);
            while p.stopped.is_none() && now_ms() - slice < SLICE_MS {
                p = sim.step(STEP);
            }
            if token.get() != id {
                return;
            }
            if p.stopped.is_some() {
                break;
            }
            dispatch.emit(Action::Progress(which, id, p.fraction()));
            yield_to_browser().await;
            if token.get() != id {
                return;
            }
        }
        let record = Rc::new(sim.record());
        dispatch.emit(Action::Finished(which, id, record));
        // the charts draw in effects right after this render; time the whole round trip
        gloo::timers::future::TimeoutFuture::new(0).await;
        dispatch.emit(Action::Timed(which, now_ms() - t0));
    });
}
