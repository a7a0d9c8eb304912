//! The control panel, grouped as the model is: Clients, Service(s) and faults, Client
//! policy, Circuit breaker, Retry budget. Every control edits one field of the scenario by
//! its JSON path; each shows its unit, its allowed range and a tooltip saying what it means
//! and what it is called in common libraries.

mod fields;
mod guards;
mod lists;
mod services;

use serde_json::Value;
use yew::prelude::*;

use crate::sim::scenario::bounds;
use crate::sim::scenario::edit::Edit;
use crate::sim::ScenarioConfig;
use fields::{checks, choice, number, seed, tagged, Num};

const CLIENTS: &[Num] = &[
    Num { path: "clients.count", field: bounds::CLIENTS, slider: (1.0, 20_000.0), step: 1.0, restore: 0.0,
        help: "Number of independent clients, each with its own random stream." },
    Num { path: "clients.start_spread_ms", field: bounds::START_SPREAD, slider: (0.0, 10_000.0), step: 10.0, restore: 0.0,
        help: "First requests start at a uniform random time in [0, spread] (after the burst time); not used by Poisson arrivals." },
    Num { path: "duration_ms", field: bounds::DURATION, slider: (1000.0, 300_000.0), step: 1000.0, restore: 0.0,
        help: "Simulated time to run. No request starts after it." },
];

const SEED_HELP: &str =
    "Seed of every random stream: the same seed gives the same run, here and in the CLI.";

const POLICY: &[Num] = &[
    Num { path: "policy.timeout_ms", field: bounds::TIMEOUT, slider: (10.0, 10_000.0), step: 10.0, restore: 1000.0,
        help: "Per-attempt timeout. gRPC: per-attempt deadline; AWS SDK: attempt timeout; Polly: TimeoutStrategyOptions.Timeout; Go: http.Client.Timeout." },
    Num { path: "policy.deadline_ms", field: bounds::DEADLINE, slider: (100.0, 120_000.0), step: 100.0, restore: 10_000.0,
        help: "Overall time per request, retries and backoff included. cenkalti/backoff MaxElapsedTime; tenacity stop_after_delay; gRPC call deadline." },
    Num { path: "policy.max_attempts", field: bounds::MAX_ATTEMPTS, slider: (1.0, 15.0), step: 1.0, restore: 3.0,
        help: "Attempts per request, the first included. tenacity stop_after_attempt(n); gRPC maxAttempts; AWS SDK max_attempts (3); urllib3 Retry(total=n−1); cenkalti WithMaxRetries(n−1)." },
    Num { path: "policy.backoff.base_ms", field: bounds::BASE, slider: (0.0, 2000.0), step: 5.0, restore: 0.0,
        help: "First retry delay. cenkalti/backoff InitialInterval (500 ms); tenacity wait_exponential multiplier; gRPC initialBackoff; Polly Delay; AWS SDK base (50 ms in the 2026 update)." },
    Num { path: "policy.backoff.multiplier", field: bounds::MULTIPLIER, slider: (1.0, 4.0), step: 0.1, restore: 0.0,
        help: "Growth of the exponential schedule: base · multiplier^(n−1). cenkalti/backoff Multiplier (1.5); gRPC backoffMultiplier; tenacity exp_base (2)." },
    Num { path: "policy.backoff.cap_ms", field: bounds::CAP, slider: (0.0, 60_000.0), step: 100.0, restore: 0.0,
        help: "Largest delay. cenkalti/backoff MaxInterval (60 s); gRPC maxBackoff; tenacity wait max; Polly MaxDelay; AWS SDK max backoff (20 s)." },
];

const THROTTLE_BASE: Num = Num { path: "policy.backoff.throttle_base_ms", field: bounds::THROTTLE_BASE, slider: (0.0, 5000.0), step: 50.0, restore: 1000.0,
    help: "First delay after a throttling rejection (a full queue), when it differs from the base delay. AWS SDK: 1,000 ms (THROTTLING_BASE in the 2026 update; 500 ms in Java/JS before)." };

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
pub(super) const DISTS: &[(&str, &str)] = &[
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
    ("multiplier", r#"{"type":"multiplier","min":0.8,"max":1.2}"#),
    ("decorrelated_v2", r#"{"type":"decorrelated_v2"}"#),
];
pub(super) const FAULTS: &[(&str, &str)] = &[
    ("down", r#"{"type":"down"}"#),
    ("blackhole", r#"{"type":"blackhole"}"#),
    ("error_rate", r#"{"type":"error_rate","rate":0.5}"#),
    ("slow", r#"{"type":"slow","multiplier":3}"#),
    ("capacity", r#"{"type":"capacity","lost":0.5}"#),
    ("crash", r#"{"type":"crash"}"#),
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
                { seed(SEED_HELP, &doc, e) }
                if matches!(p.config.clients.arrival, crate::sim::scenario::config::ArrivalConfig::Poisson { .. }) {
                    { lists::windows(&p.config, "clients.load", &doc, e) }
                }
            </fieldset>
            { services::services(&p.config, &doc, e) }
            <fieldset><legend>{"Client policy"}</legend>
                { nums(&POLICY[..3]) }
                { checks("policy.retry_on", &["timeout", "error", "rejected", "refused", "breaker_open"], "retry on", &doc, e,
                    "Which failed outcomes are retried. gRPC retryableStatusCodes; urllib3 Retry(connect, read, status_forcelist); tenacity retry_if_exception_type; breaker_open: retry calls the client's own breaker rejected (Polly and resilience4j retry those by default).") }
                { choice("policy.backoff.type", "backoff", &["none", "constant", "linear", "exponential"], &doc, e,
                    "Delay schedule before retry n: none (retry at once), constant (base), linear (base · n), exponential (base · multiplier^(n−1)), always capped.") }
                { nums(&POLICY[3..]) }
                { number(&THROTTLE_BASE, &doc, e) }
                { checks("policy.backoff", &["immediate_first"], "urllib3", &doc, e,
                    "The first retry goes at once and the schedule starts at the second: urllib3's get_backoff_time (0, 2f, 4f, …).") }
                { tagged("policy.jitter", "jitter", JITTERS, &doc, e,
                    "Randomisation of each delay d. full: U(0, d) (AWS Full Jitter, tenacity wait_random_exponential); equal: d/2 + U(0, d/2); decorrelated: min(cap, U(base, 3 · previous)) (AWS Decorrelated Jitter); proportional: d · U(1 − r, 1 + r) (cenkalti/backoff RandomizationFactor 0.5); multiplier: d · U(min, max) (gRPC 0.8–1.2, backon with_jitter 1–2, Polly ±25%: 0.75–1.25); decorrelated_v2: Polly v8 exponential with UseJitter.") }
            </fieldset>
            { guards::breaker(&doc, e) }
            { guards::budget(&doc, e) }
        </section>
    }
}
