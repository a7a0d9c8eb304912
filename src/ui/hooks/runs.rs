//! Runs: each side re-runs (debounced) whenever its scenario changes; Run re-runs both;
//! Cancel stops one. A newer run supersedes an older one through the side's token.

use std::cell::Cell;
use std::rc::Rc;

use gloo::timers::callback::Timeout;
use yew::prelude::*;

use crate::sim::ScenarioConfig;
use crate::ui::runner;
use crate::ui::state::{Action, State, Which};

/// Quiet time after an edit before the run starts (ms): short, so a dragged slider animates.
const DEBOUNCE_MS: u32 = 30;

/// What the page can ask of the runs.
pub struct Runs {
    /// Run A (and B) again now.
    pub rerun: Callback<()>,
    /// Stop the run of a side (its previous result stays).
    pub cancel: Callback<Which>,
}

/// Starts runs: one token per side holds the id of the run that may go on.
#[derive(Clone)]
struct Starter {
    tokens: [Rc<Cell<u64>>; 2],
    /// Each side's web worker for big runs.
    offloads: [runner::Offload; 2],
    next_id: Rc<Cell<u64>>,
    dispatch: Callback<Action>,
}

impl Starter {
    fn token(&self, w: Which) -> &Rc<Cell<u64>> {
        &self.tokens[(w == Which::B) as usize]
    }

    fn offload(&self, w: Which) -> &runner::Offload {
        &self.offloads[(w == Which::B) as usize]
    }

    fn start(&self, w: Which, cfg: &ScenarioConfig) {
        let id = self.next_id.get() + 1;
        self.next_id.set(id);
        let token = self.token(w).clone();
        runner::start(w, id, cfg, token, self.dispatch.clone(), self.offload(w));
    }

    /// Stop side `w`'s run at its next chunk (run ids start at 1).
    fn stop(&self, w: Which) {
        self.token(w).set(0);
        self.offload(w).stop();
    }
}

/// Keep both sides' runs in step with their scenarios.
#[hook]
pub fn use_runs(state: &State, dispatch: Callback<Action>) -> Runs {
    let starter = (*use_memo((), move |_| Starter {
        tokens: Default::default(),
        offloads: Default::default(),
        next_id: Rc::new(Cell::new(0)),
        dispatch,
    }))
    .clone();
    let a = state.a.config.clone();
    let b = state.b.as_ref().map(|b| b.config.clone());
    {
        let starter = starter.clone();
        use_effect_with(a.clone(), move |cfg| {
            let cfg = cfg.clone();
            let t = Timeout::new(DEBOUNCE_MS, move || starter.start(Which::A, &cfg));
            move || drop(t)
        });
    }
    {
        let starter = starter.clone();
        use_effect_with(b.clone(), move |cfg| {
            let t = match cfg.clone() {
                Some(cfg) => Some(Timeout::new(DEBOUNCE_MS, move || {
                    starter.start(Which::B, &cfg)
                })),
                // B closed: its run, if any, need not go on
                None => {
                    starter.stop(Which::B);
                    None
                }
            };
            move || drop(t)
        });
    }
    let rerun = {
        let starter = starter.clone();
        use_callback((a, b), move |_: (), (a, b)| {
            starter.start(Which::A, a);
            if let Some(b) = b {
                starter.start(Which::B, b);
            }
        })
    };
    let cancel = use_callback((), move |w: Which, _| {
        starter.stop(w);
        starter.dispatch.emit(Action::Cancel(w));
    });
    Runs { rerun, cancel }
}
