//! The window size: charts redraw at their new size once a resize settles.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use yew::prelude::*;

use super::window;

/// A number that goes up 150 ms after each burst of window resizes.
#[hook]
pub fn use_resize_epoch() -> u32 {
    let epoch = use_state(|| 0u32);
    {
        let epoch = epoch.clone();
        use_effect_with((), move |_| {
            let pending = Rc::new(RefCell::new(None::<Timeout>));
            let count = Rc::new(Cell::new(0u32));
            let listener = window().map(|w| {
                EventListener::new(&w, "resize", move |_| {
                    let (epoch, count) = (epoch.clone(), count.clone());
                    *pending.borrow_mut() = Some(Timeout::new(150, move || {
                        count.set(count.get() + 1);
                        epoch.set(count.get());
                    }));
                })
            });
            move || drop(listener)
        });
    }
    *epoch
}
