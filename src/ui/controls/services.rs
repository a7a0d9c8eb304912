//! The service controls: one service and its faults, or several, each with its model,
//! weight and faults, and the route that says how a request uses them.

use serde_json::Value;
use yew::prelude::*;

use super::fields::{choice, tagged, text, Num};
use super::{lists, DISTS};
use crate::sim::scenario::bounds;
use crate::sim::scenario::edit::Edit;
use crate::sim::ScenarioConfig;

/// The numeric fields of a service model, relative to its path.
const MODEL: &[Num] = &[
    Num { path: "workers", field: bounds::WORKERS, slider: (1.0, 64.0), step: 1.0, restore: 8.0,
        help: "Attempts served at once (server concurrency, thread pool size)." },
    Num { path: "queue_capacity", field: bounds::QUEUE_CAPACITY, slider: (0.0, 5000.0), step: 10.0, restore: 100.0,
        help: "Attempts that may wait for a worker; a full queue rejects at once (HTTP 503 / gRPC RESOURCE_EXHAUSTED: a throttling error to the AWS SDKs)." },
    Num { path: "load_factor", field: bounds::LOAD_FACTOR, slider: (0.0, 0.2), step: 0.005, restore: 0.0,
        help: "Service time × (1 + k · attempts already in service): latency grows with load." },
];

const WEIGHT: Num = Num { path: "", field: bounds::WEIGHT, slider: (0.0, 10.0), step: 0.1, restore: 0.0,
    help: "Share of requests sent to this service when the route is weighted (relative to the other weights)." };

/// A service model at `prefix` (`service` or `services.N.service`).
fn model(prefix: &str, doc: &Value, e: &Callback<Edit>) -> Html {
    let at = |k: &str| format!("{prefix}.{k}");
    html! {
        <>
            { for MODEL.iter().map(|f| f.render(&at(f.path), doc, e)) }
            { choice(&at("queue"), "queue order", &["fifo", "lifo"], doc, e, "Which waiting attempt a free worker takes: oldest (FIFO) or newest (LIFO, which keeps fresh requests inside their timeout under overload).") }
            { tagged(&at("service_time"), "service time", DISTS, doc, e, "Work per attempt. Lognormal is given by its mean and 99th percentile.") }
            { tagged(&at("network_delay"), "network delay", DISTS, doc, e, "One-way delay of each message (request and response each draw one).") }
            { choice(&at("abandoned"), "abandoned work", &["keep", "drop"], doc, e, "What the server does with an attempt whose client already gave up: keep working on it (wasted work) or drop it before starting (deadline propagation).") }
        </>
    }
}

/// The Service and Faults groups, or the Services group.
pub(super) fn services(cfg: &ScenarioConfig, doc: &Value, e: &Callback<Edit>) -> Html {
    let add = {
        let e = e.clone();
        Callback::from(move |_| e.emit(Edit::Add("services".into())))
    };
    if cfg.services.is_empty() {
        return html! {
            <>
                <fieldset><legend>{"Service"}</legend>
                    { model("service", doc, e) }
                    <button id="add-service" onclick={add} title="Split into several named services, each with its own model and faults">{"Add a service"}</button>
                </fieldset>
                <fieldset><legend>{"Faults"}</legend>
                    { lists::windows(cfg, "faults", doc, e) }
                </fieldset>
            </>
        };
    }
    let rows = cfg.services.iter().enumerate().map(|(i, s)| {
        let p = format!("services.{i}");
        let remove = {
            let e = e.clone();
            Callback::from(move |_| e.emit(Edit::Remove("services".into(), i)))
        };
        html! {
            <details class="service" open={true}>
                <summary>{ format!("{} ({} fault{})", s.name, s.faults.len(), if s.faults.len() == 1 { "" } else { "s" }) }</summary>
                { text(&format!("{p}.name"), "name", doc, e, "The service's name in charts and summaries: letters, digits, - and _.") }
                { WEIGHT.render(&format!("{p}.weight"), doc, e) }
                { model(&format!("{p}.service"), doc, e) }
                <div class="sub">{"faults"}</div>
                { lists::windows(cfg, &format!("{p}.faults"), doc, e) }
                <button class="remove" onclick={remove} aria-label={format!("Remove service {}", s.name)}>{"Remove service"}</button>
            </details>
        }
    });
    html! {
        <fieldset><legend>{"Services"}</legend>
            { choice("route", "route", &["weighted", "sequence"], doc, e,
                "weighted: each request calls one service, picked at random by weight; sequence: each request calls every service in order (each call with its own retries) and succeeds only if all do.") }
            { for rows }
            <button id="add-service" onclick={add}>{"Add a service"}</button>
        </fieldset>
    }
}
