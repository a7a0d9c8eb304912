//! The animation frame loop: while `running`, call `on_frame` once per browser frame with
//! the real milliseconds since the previous one (requestAnimationFrame's timestamps), and
//! nothing while stopped. Only the component that uses it re-renders each frame.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::window;

type Frame = Closure<dyn FnMut(f64)>;

/// Run `on_frame(elapsed_ms)` every animation frame while `running`.
#[hook]
pub fn use_frames(running: bool, on_frame: Callback<f64>) {
    let latest = use_mut_ref(|| on_frame.clone());
    *latest.borrow_mut() = on_frame;
    use_effect_with(running, move |running| {
        let stopped = Rc::new(Cell::new(!*running));
        let id = Rc::new(Cell::new(0));
        let slot: Rc<RefCell<Option<Frame>>> = Rc::default();
        if *running {
            let (slot2, stopped2, id2) = (slot.clone(), stopped.clone(), id.clone());
            let last = Cell::new(None::<f64>);
            let frame = Closure::<dyn FnMut(f64)>::new(move |ts: f64| {
                if stopped2.get() {
                    return;
                }
                if let Some(prev) = last.replace(Some(ts)) {
                    let on_frame = latest.borrow().clone();
                    on_frame.emit(ts - prev);
                }
                if stopped2.get() {
                    return;
                }
                if let (Some(w), Some(f)) = (window(), slot2.borrow().as_ref()) {
                    id2.set(
                        w.request_animation_frame(f.as_ref().unchecked_ref())
                            .unwrap_or(0),
                    );
                }
            });
            if let Some(w) = window() {
                id.set(
                    w.request_animation_frame(frame.as_ref().unchecked_ref())
                        .unwrap_or(0),
                );
            }
            *slot.borrow_mut() = Some(frame);
        }
        move || {
            stopped.set(true);
            if let Some(w) = window() {
                let _ = w.cancel_animation_frame(id.get());
            }
            // the closure may be the one running now (a frame that paused at the end):
            // drop it after this task, not during its own call
            let held = slot.borrow_mut().take();
            if held.is_some() {
                gloo::timers::callback::Timeout::new(0, move || drop(held)).forget();
            }
        }
    });
}
