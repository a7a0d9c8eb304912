//! Runs a scenario in chunks between browser frames, so the page never freezes, reporting
//! progress through a callback.

use std::rc::Rc;

use yew::platform::spawn_local;
use yew::Callback;

use super::state::{Action, RunResult};
use crate::sim::{presets, Sim};

/// Events per chunk: a few milliseconds of work, so the page stays responsive.
const CHUNK: u64 = 200_000;

/// Start run `id` of preset `name` with its own seed; report through `dispatch`.
pub fn run_preset(id: u64, name: String, dispatch: Callback<Action>) {
    let scenario = match presets::config(&name).and_then(|c| c.validate().map(|s| (s, c.seed))) {
        Ok(s) => s,
        Err(e) => return dispatch.emit(Action::Failed(id, e.to_string())),
    };
    dispatch.emit(Action::Started(id));
    spawn_local(async move {
        let (scenario, seed) = scenario;
        let mut sim = Sim::new(&scenario, seed);
        loop {
            let p = sim.step(CHUNK);
            if p.stopped.is_some() {
                break;
            }
            dispatch.emit(Action::Progress(id, p.fraction()));
            gloo::timers::future::TimeoutFuture::new(0).await;
        }
        let result = RunResult {
            summary: sim.summary(),
            series: sim.series().clone(),
            scenario,
        };
        dispatch.emit(Action::Finished(id, Rc::new(result)));
    });
}
