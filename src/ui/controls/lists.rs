//! Editable lists of time windows: fault windows (a small timeline, then one row per window)
//! and load spikes of Poisson arrivals.

use serde_json::Value;
use yew::prelude::*;

use super::fields::{tagged, Num};
use super::FAULTS;
use crate::sim::scenario::bounds;
use crate::sim::scenario::edit::{get, Edit};
use crate::sim::ScenarioConfig;

const FAULT_HELP: &str = "down: connection refused (fails fast); blackhole: no response ever; error_rate: a fraction of attempts fail; slow: service time × multiplier; capacity: a fraction of workers lost.";

/// The windows of the list at `path` (`faults` or `clients.load`): a timeline over the run,
/// a row per window, and an Add button.
pub(super) fn windows(cfg: &ScenarioConfig, path: &str, doc: &Value, e: &Callback<Edit>) -> Html {
    let dur = cfg.duration_ms.max(1.0);
    let is_load = path.ends_with("load");
    let items = get(doc, path).as_array().cloned().unwrap_or_default();
    let span = |v: &Value, k: &str| v.get(k).and_then(Value::as_f64).unwrap_or(0.0);
    let (what, add_label, add_id) = if is_load {
        ("load spike", "Add load spike", "add-load")
    } else {
        ("fault", "Add fault window", "add-fault")
    };
    let add = {
        let (e, path) = (e.clone(), path.to_string());
        Callback::from(move |_| e.emit(Edit::Add(path.clone())))
    };
    let window = |p: &str, key: &'static str| {
        let field = match (is_load, key == "start_ms") {
            (true, true) => bounds::LOAD_START,
            (true, false) => bounds::LOAD_END,
            (false, true) => bounds::FAULT_START,
            (false, false) => bounds::FAULT_END,
        };
        Num {
            path: "",
            field,
            slider: (0.0, dur),
            step: 100.0,
            restore: 0.0,
            help: if key == "start_ms" {
                "Start of the window."
            } else {
                "End of the window (exclusive)."
            },
        }
        .render(&format!("{p}.{key}"), doc, e)
    };
    let rows = items.iter().enumerate().map(|(i, _)| {
        let p = format!("{path}.{i}");
        let remove = {
            let (e, path) = (e.clone(), path.to_string());
            Callback::from(move |_| e.emit(Edit::Remove(path.clone(), i)))
        };
        let head = if is_load {
            Num {
                path: "",
                field: bounds::LOAD_MULTIPLIER,
                slider: (0.0, 10.0),
                step: 0.1,
                restore: 0.0,
                help: "The Poisson arrival rate is multiplied by this during the window (a load spike above 1, a lull below).",
            }
            .render(&format!("{p}.multiplier"), doc, e)
        } else {
            tagged(&p, &format!("fault {}", i + 1), FAULTS, doc, e, FAULT_HELP)
        };
        html! {
            <div class="fault">
                if is_load { <span class="label">{format!("spike {}", i + 1)}</span> }
                { head }
                { window(&p, "start_ms") }
                { window(&p, "end_ms") }
                <button class="remove" onclick={remove} aria-label={format!("Remove {what} {}", i + 1)}>{"Remove"}</button>
            </div>
        }
    });
    html! {
        <>
            <div class={classes!("timeline", is_load.then_some("load"))} aria-hidden="true">
                { for items.iter().map(|w| {
                    let (a, b) = (span(w, "start_ms"), span(w, "end_ms"));
                    let style = format!("left:{:.2}%;width:{:.2}%", 100.0 * a / dur, (100.0 * (b.min(dur) - a) / dur).max(0.5));
                    html! { <span class="window" style={style}></span> }
                }) }
            </div>
            { for rows }
            <button id={add_id} onclick={add}>{add_label}</button>
        </>
    }
}
