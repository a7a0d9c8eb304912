//! The control panel, grouped as the model is: Clients, Service, Faults, Client policy.
//! Every control edits one field of the scenario by its JSON path; each shows its unit,
//! its allowed range and a tooltip saying what it means and what it is called in common
//! libraries.

mod fields;
mod lists;

use serde_json::Value;
use yew::prelude::*;

use crate::sim::edit::Edit;
use crate::sim::ScenarioConfig;
use fields::{choice, number, retry_on, tagged, Num};

const CLIENTS: &[Num] = &[
    Num { path: "clients.count", label: "clients", unit: "", min: 1.0, max: 1e6, slider: (1.0, 20_000.0), step: 1.0, null: None,
        help: "Number of independent clients, each with its own random stream." },
    Num { path: "clients.start_spread_ms", label: "start spread", unit: "ms", min: 0.0, max: 1e9, slider: (0.0, 10_000.0), step: 10.0, null: None,
        help: "First requests start at a uniform random time in [0, spread] (after the burst time); not used by Poisson arrivals." },
    Num { path: "duration_ms", label: "duration", unit: "ms", min: 1.0, max: 86_400_000.0, slider: (1000.0, 300_000.0), step: 1000.0, null: None,
        help: "Simulated time to run. No request starts after it." },
    Num { path: "seed", label: "seed", unit: "", min: 0.0, max: 9e15, slider: (0.0, 100.0), step: 1.0, null: None,
        help: "Seed of every random stream: the same seed gives the same run, here and in the CLI." },
];

const SERVICE: &[Num] = &[
    Num { path: "service.workers", label: "workers", unit: "", min: 1.0, max: 1e6, slider: (1.0, 64.0), step: 1.0, null: Some(("unlimited", 8.0)),
        help: "Attempts served at once (server concurrency, thread pool size)." },
    Num { path: "service.queue_capacity", label: "queue capacity", unit: "", min: 0.0, max: 1e7, slider: (0.0, 5000.0), step: 10.0, null: Some(("unbounded", 100.0)),
        help: "Attempts that may wait for a worker; a full queue rejects at once (HTTP 503 / gRPC RESOURCE_EXHAUSTED)." },
    Num { path: "service.load_factor", label: "load factor k", unit: "", min: 0.0, max: 100.0, slider: (0.0, 0.2), step: 0.005, null: None,
        help: "Service time × (1 + k · attempts already in service): latency grows with load." },
];

const POLICY: &[Num] = &[
    Num { path: "policy.timeout_ms", label: "timeout", unit: "ms", min: 0.001, max: 86_400_000.0, slider: (10.0, 10_000.0), step: 10.0, null: Some(("none", 1000.0)),
        help: "Per-attempt timeout. gRPC: per-attempt deadline; AWS SDK: attempt timeout; Polly: TimeoutStrategyOptions.Timeout; Go: http.Client.Timeout." },
    Num { path: "policy.deadline_ms", label: "deadline", unit: "ms", min: 0.001, max: 86_400_000.0, slider: (100.0, 120_000.0), step: 100.0, null: Some(("none", 10_000.0)),
        help: "Overall time per request, retries and backoff included. cenkalti/backoff MaxElapsedTime; tenacity stop_after_delay; gRPC call deadline." },
    Num { path: "policy.max_attempts", label: "max attempts", unit: "", min: 1.0, max: 1e6, slider: (1.0, 15.0), step: 1.0, null: Some(("unlimited", 3.0)),
        help: "Attempts per request, the first included. tenacity stop_after_attempt(n); gRPC maxAttempts; AWS SDK max_attempts (3); urllib3 Retry(total=n−1); cenkalti WithMaxRetries(n−1)." },
    Num { path: "policy.backoff.base_ms", label: "base delay", unit: "ms", min: 0.0, max: 86_400_000.0, slider: (0.0, 2000.0), step: 5.0, null: None,
        help: "First retry delay. cenkalti/backoff InitialInterval (500 ms); tenacity wait_exponential multiplier; gRPC initialBackoff; Polly Delay; AWS SDK base (50 ms in the 2026 update)." },
    Num { path: "policy.backoff.multiplier", label: "multiplier", unit: "×", min: 1.0, max: 100.0, slider: (1.0, 4.0), step: 0.1, null: None,
        help: "Growth of the exponential schedule: base · multiplier^(n−1). cenkalti/backoff Multiplier (1.5); gRPC backoffMultiplier; tenacity exp_base (2)." },
    Num { path: "policy.backoff.cap_ms", label: "cap", unit: "ms", min: 0.0, max: 86_400_000.0, slider: (0.0, 60_000.0), step: 100.0, null: None,
        help: "Largest delay. cenkalti/backoff MaxInterval (60 s); gRPC maxBackoff; tenacity wait max; Polly MaxDelay; AWS SDK max backoff (20 s)." },
];

/// Tagged types and their starting values when picked.
const ARRIVALS: &[(&str, &str)] = &[
    ("poisson", r#"{"type":"poisson","rate_per_s":1}"#),
    ("interval", r#"{"type":"interval","every_ms":1000}"#),
    ("burst", r#"{"type":"burst","at_ms":0}"#),
    (
        "closed_loop",
        r#"{"type":"closed_loop","think":{"type":"constant","ms":0}}"#,
    ),
];
const DISTS: &[(&str, &str)] = &[
    ("constant", r#"{"type":"constant","ms":10}"#),
    ("uniform", r#"{"type":"uniform","min_ms":5,"max_ms":15}"#),
    ("exponential", r#"{"type":"exponential","mean_ms":10}"#),
    (
        "lognormal",
        r#"{"type":"lognormal","mean_ms":10,"p99_ms":50}"#,
    ),
    ("normal", r#"{"type":"normal","mean_ms":10,"sd_ms":2}"#),
];
const JITTERS: &[(&str, &str)] = &[
    ("none", r#"{"type":"none"}"#),
    ("full", r#"{"type":"full"}"#),
    ("equal", r#"{"type":"equal"}"#),
    ("decorrelated", r#"{"type":"decorrelated"}"#),
    ("proportional", r#"{"type":"proportional","factor":0.5}"#),
];
pub(super) const FAULTS: &[(&str, &str)] = &[
    ("down", r#"{"type":"down"}"#),
    ("blackhole", r#"{"type":"blackhole"}"#),
    ("error_rate", r#"{"type":"error_rate","rate":0.5}"#),
    ("slow", r#"{"type":"slow","multiplier":3}"#),
    ("capacity", r#"{"type":"capacity","lost":0.5}"#),
];

/// Props of the panel.
#[derive(Properties, PartialEq)]
pub struct ControlsProps {
    /// The scenario edited.
    pub config: ScenarioConfig,
    /// Which side ("A" or "B"), for labels.
    pub side: &'static str,
    /// The last refused edit.
    pub error: Option<String>,
    /// Edits.
    pub on_edit: Callback<Edit>,
}

/// The control panel.
#[function_component(Controls)]
pub fn controls(p: &ControlsProps) -> Html {
    let doc = serde_json::to_value(&p.config).unwrap_or(Value::Null);
    let e = &p.on_edit;
    let nums = |fields: &[Num]| fields.iter().map(|f| number(f, &doc, e)).collect::<Html>();
    html! {
        <section class="controls" aria-label={format!("Controls of scenario {}", p.side)}>
            if let Some(err) = &p.error {
                <p class="error" role="alert" id="edit-error">{err}</p>
            }
            <fieldset><legend>{"Clients"}</legend>
                { tagged("clients.arrival", "arrivals", ARRIVALS, &doc, e,
                    "How each client sends requests: Poisson (open loop, rate per client), fixed interval, one burst at a time, or closed loop (next request after the previous one ends, plus think time).") }
                { nums(CLIENTS) }
                if matches!(p.config.clients.arrival, crate::sim::config::ArrivalConfig::Poisson { .. }) {
                    { lists::windows(&p.config, "clients.load", &doc, e) }
                }
            </fieldset>
            <fieldset><legend>{"Service"}</legend>
                { nums(SERVICE) }
                { choice("service.queue", "queue order", &["fifo", "lifo"], &doc, e, "Which waiting attempt a free worker takes: oldest (FIFO) or newest (LIFO, which keeps fresh requests inside their timeout under overload).") }
                { tagged("service.service_time", "service time", DISTS, &doc, e, "Work per attempt. Lognormal is given by its mean and 99th percentile.") }
                { tagged("service.network_delay", "network delay", DISTS, &doc, e, "One-way delay of each message (request and response each draw one).") }
                { choice("service.abandoned", "abandoned work", &["keep", "drop"], &doc, e, "What the server does with an attempt whose client already gave up: keep working on it (wasted work) or drop it before starting (deadline propagation).") }
            </fieldset>
            <fieldset><legend>{"Faults"}</legend>
                { lists::windows(&p.config, "faults", &doc, e) }
            </fieldset>
            <fieldset><legend>{"Client policy"}</legend>
                { nums(&POLICY[..3]) }
                { retry_on(&doc, e) }
                { choice("policy.backoff.type", "backoff", &["none", "constant", "linear", "exponential"], &doc, e,
                    "Delay schedule before retry n: none (retry at once), constant (base), linear (base · n), exponential (base · multiplier^(n−1)), always capped.") }
                { nums(&POLICY[3..]) }
                { tagged("policy.jitter", "jitter", JITTERS, &doc, e,
                    "Randomisation of each delay d. full: U(0, d) (AWS Full Jitter, tenacity wait_random_exponential); equal: d/2 + U(0, d/2); decorrelated: min(cap, U(base, 3 · previous)) (AWS Decorrelated Jitter); proportional: d · U(1 − r, 1 + r) (cenkalti/backoff RandomizationFactor 0.5, gRPC ±0.2).") }
            </fieldset>
        </section>
    }
}
