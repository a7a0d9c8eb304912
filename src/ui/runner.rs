//! Runs a scenario, reporting progress through the reducer. A small run goes in chunks
//! between browser tasks on the page, so the page never freezes; a big one goes to a web
//! worker of its side ([`Offload`]): one of more than [`PAGE_CLIENTS`] clients (building
//! a million clients alone takes the page's thread 70 ms or more), or one that is not done
//! after its first slice of work here (it starts afresh there: the same seed, the same
//! result). A newer run (or Cancel) supersedes the running one: its token moves on, and
//! the old loop stops at its next chunk, or the busy worker is stopped.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use wasm_bindgen::{JsCast, JsValue};
use yew::platform::spawn_local;
use yew::Callback;

use super::pool::{self, Handle};
use super::state::{Action, Which};
use crate::sim::{Scenario, ScenarioConfig, Sim};
use crate::work::{self, Reply, Request, STEP};

/// Wall-clock time of one slice of work before the page gets the thread back (ms): long
/// enough that yielding costs little, short enough that the page stays responsive (with
/// the rest of its task, under 50 ms).
pub const SLICE_MS: f64 = 30.0;
/// Most clients of a run the page starts on its own thread.
pub const PAGE_CLIENTS: u32 = 10_000;

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

/// One run, as its side knows it.
#[derive(Clone)]
pub struct Run {
    which: Which,
    id: u64,
    token: Rc<Cell<u64>>,
    dispatch: Callback<Action>,
    /// When it started (ms), to time the round trip.
    t0: f64,
}

impl Run {
    fn current(&self) -> bool {
        self.token.get() == self.id
    }

    fn failed(&self, why: String) {
        if self.current() {
            self.dispatch.emit(Action::Failed(self.which, self.id, why));
        }
    }

    /// Hand the record over, then time the whole round trip once the charts are drawn (in
    /// effects right after this render).
    fn finished(self, record: crate::sim::RunRecord) {
        if !self.current() {
            return;
        }
        (self.dispatch).emit(Action::Finished(self.which, self.id, Rc::new(record)));
        spawn_local(async move {
            gloo::timers::future::TimeoutFuture::new(0).await;
            (self.dispatch).emit(Action::Timed(self.which, now_ms() - self.t0));
        });
    }
}

/// Start run `id` of `cfg` for side `which`; `token` holds the id of the run that may go on.
pub fn start(
    which: Which,
    id: u64,
    cfg: &ScenarioConfig,
    token: Rc<Cell<u64>>,
    dispatch: Callback<Action>,
    offload: &Offload,
) {
    token.set(id);
    // a worker still busy with the run this one supersedes is stopped, whoever runs this one
    offload.stop();
    let scenario = match cfg.validate() {
        Ok(s) => s,
        Err(e) => return dispatch.emit(Action::Failed(which, id, e.to_string())),
    };
    dispatch.emit(Action::Started(which, id, scenario.warnings()));
    let run = Run {
        which,
        id,
        token,
        dispatch,
        t0: now_ms(),
    };
    let doc = work::document(cfg);
    if scenario.clients().count > PAGE_CLIENTS && offload.run(&run, &doc, &scenario) {
        return;
    }
    let (seed, offload) = (cfg.seed, offload.clone());
    spawn_local(async move {
        let mut sim = Sim::new(&scenario, seed);
        let mut first = true;
        loop {
            let slice = now_ms();
            let mut p = sim.step(STEP);
            while p.stopped.is_none() && now_ms() - slice < SLICE_MS {
                p = sim.step(STEP);
            }
            if !run.current() {
                return;
            }
            if p.stopped.is_some() {
                break;
            }
            if std::mem::take(&mut first) && offload.run(&run, &doc, &scenario) {
                return;
            }
            (run.dispatch).emit(Action::Progress(run.which, run.id, p.fraction()));
            yield_to_browser().await;
            if !run.current() {
                return;
            }
        }
        let record = sim.record();
        run.finished(record);
    });
}

/// A side's web worker for big runs: started when first needed and kept for the next,
/// stopped (and started afresh next time) when its run is superseded while it works.
#[derive(Clone, Default)]
pub struct Offload(Rc<RefCell<Worker>>);

#[derive(Default)]
struct Worker {
    handle: Option<Handle>,
    ready: bool,
    /// The run it works on (or will, once ready) and its scenario, to read its record.
    run: Option<(Run, Scenario)>,
    /// The request to send once it is ready.
    waiting: Option<String>,
    /// It could not be started: the page runs everything itself.
    broken: bool,
}

impl Offload {
    /// Run `doc` (validated as `scenario`) in the worker; false if there is no worker.
    fn run(&self, run: &Run, doc: &serde_json::Value, scenario: &Scenario) -> bool {
        let Ok(text) = serde_json::to_string(&Request::Run(doc.clone())) else {
            return false;
        };
        let mut w = self.0.borrow_mut();
        if w.broken {
            return false;
        }
        if w.handle.is_none() {
            match self.spawn() {
                Ok(h) => (w.handle, w.ready) = (Some(h), false),
                Err(_) => {
                    w.broken = true;
                    return false;
                }
            }
        }
        w.run = Some((run.clone(), scenario.clone()));
        match &w.handle {
            Some(h) if w.ready => {
                h.send(&text);
            }
            _ => w.waiting = Some(text),
        }
        true
    }

    /// Stop the run in the worker, if there is one (a worker still loading keeps loading,
    /// and forgets the run it was to do).
    pub fn stop(&self) {
        let mut w = self.0.borrow_mut();
        if w.run.take().is_some() && w.ready {
            w.handle = None;
        }
        w.waiting = None;
    }

    fn spawn(&self) -> Result<Handle, String> {
        let me = Rc::downgrade(&self.0);
        let on_message = {
            let me = me.clone();
            move |data: JsValue| heard(&me, data)
        };
        let on_error = move || {
            let why = Reply::Fatal("a web worker did not load".into());
            heard(
                &me,
                JsValue::from_str(&serde_json::to_string(&why).unwrap_or_default()),
            )
        };
        Handle::start(on_message, on_error)
    }
}

/// A message from a side's worker: its state moves on inside the borrow, the page hears
/// of it after.
fn heard(me: &Weak<RefCell<Worker>>, data: JsValue) {
    let Some(me) = me.upgrade() else { return };
    let mut w = me.borrow_mut();
    if let Some(bytes) = data.dyn_ref::<js_sys::Uint8Array>() {
        let Some((run, scenario)) = w.run.take() else {
            return;
        };
        drop(w);
        match work::read_record(scenario, &bytes.to_vec()) {
            Ok(record) => run.finished(record),
            Err(why) => run.failed(why),
        }
        return;
    }
    match pool::reply(&data) {
        Reply::Ready => {
            w.ready = true;
            let text = w.waiting.take();
            if let (Some(h), Some(text)) = (&w.handle, text) {
                h.send(&text);
            }
        }
        Reply::Progress(f) => {
            if let Some((run, _)) = w.run.clone() {
                drop(w);
                if run.current() {
                    (run.dispatch).emit(Action::Progress(run.which, run.id, f));
                }
            }
        }
        Reply::Fatal(why) => {
            // start afresh next time
            w.handle = None;
            let run = w.run.take();
            drop(w);
            if let Some((run, _)) = run {
                run.failed(why);
            }
        }
        Reply::Done { .. } => {}
    }
}
