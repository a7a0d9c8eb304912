//! The service controls: one service and its faults, or several, each with its model,
//! weight and faults, and the route that says how a request uses them.

use serde_json::Value;
use yew::prelude::*;

use super::fields::{choice, id, tagged, text, Num};
use super::{lists, DISTS};
use crate::sim::scenario::bounds;
use crate::sim::scenario::edit::{get, Edit};
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

/// The numeric fields of a service's replication, relative to its path.
const REPLICATION: &[Num] = &[
    Num { path: "replicas", field: bounds::REPLICAS, slider: (0.0, 4.0), step: 1.0, restore: 1.0,
        help: "Replicas besides the primary: each gets every write, after its lag; one is promoted when the primary crashes." },
    Num { path: "writes", field: bounds::WRITES, slider: (0.0, 1.0), step: 0.05, restore: 1.0,
        help: "Share of requests that are writes (they go to the primary); the others are reads." },
];

/// What brings a service back after its primary crashes.
const FAILOVERS: &[(&str, &str)] = &[
    ("automatic", r#"{"type":"automatic"}"#),
    ("manual", r#"{"type":"manual"}"#),
    ("none", r#"{"type":"none"}"#),
    ("restore_from_backup", r#"{"type":"restore_from_backup"}"#),
];

/// A service's replication at `path` (`….replication`), or a button that adds it.
fn replication(path: &str, doc: &Value, e: &Callback<Edit>) -> Html {
    let set = |value: &'static str| {
        let (e, path) = (e.clone(), path.to_string());
        Callback::from(move |_| e.emit(Edit::Set(path.clone(), value.into())))
    };
    if !get(doc, path).is_object() {
        return html! {
            <button id={format!("{}-add", id(path))} onclick={set("{}")} title="Give the service a primary and a replica, so that a crash fault can take the primary down and a failover bring it back">{"Add a replica (replication)"}</button>
        };
    }
    let at = |k: &str| format!("{path}.{k}");
    let failover = at("failover");
    // the failover's own duration: the promotion, the runbook or the restore
    let step = ["promotion", "runbook", "restore"]
        .into_iter()
        .find(|k| get(doc, &format!("{failover}.{k}")).is_object());
    html! {
        <>
            <div class="sub">{"replication"}</div>
            { for REPLICATION.iter().map(|f| f.render(&at(f.path), doc, e)) }
            { choice(&at("mode"), "replication", &["async", "sync"], doc, e, "async: a write is answered at once and reaches the replicas after their lag (writes within the lag are lost if the primary dies); sync: it is answered once a replica has it (slower, nothing answered is lost).") }
            { tagged(&at("lag"), "lag", DISTS, doc, e, "Time for a write to reach a replica (each applies writes in order).") }
            { choice(&at("reads"), "reads from", &["primary", "replicas"], doc, e, "Reads from replicas keep working while the primary is down, but may miss the client's own last write (a stale read).") }
            { choice(&at("while_down"), "while down", &["refused", "timeout"], doc, e, "What a call to a crashed primary gets: refused at once, or no answer until the client's timeout.") }
            { tagged(&failover, "failover", FAILOVERS, doc, e, "automatic: health checks notice after interval × failures, then a replica is promoted; manual: an alert, then a person's runbook; none: wait for the primary to come back; restore_from_backup: rebuild from the last backup, losing the writes since.") }
            if let Some(k) = step {
                { tagged(&format!("{failover}.{k}"), k, DISTS, doc, e, "How long this step takes.") }
            }
            <button class="remove" id={format!("{}-remove", id(path))} onclick={set("null")}>{"Remove replication"}</button>
        </>
    }
}

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
            { replication(&at("replication"), doc, e) }
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
