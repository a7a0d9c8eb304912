//! The circuit breaker and retry budget controls, each field named after its counterpart
//! in gobreaker, resilience4j, Polly, gRPC and the AWS SDKs.

use serde_json::Value;
use yew::prelude::*;

use super::fields::{checks, choice, tagged, tagged_with, Num};
use crate::sim::scenario::bounds::{self as b, Field};
use crate::sim::scenario::edit::{get, Edit};

const SCOPES: &[&str] = &[
    "none",
    "per_service",
    "global",
    "shared_per_service",
    "shared_global",
];

const TRIPS: &[(&str, &str)] = &[
    ("consecutive", r#"{"type":"consecutive","failures":6}"#),
    (
        "rate",
        r#"{"type":"rate","window":{"type":"count","calls":100},"min_calls":100,"failure_rate":0.5}"#,
    ),
];
const WINDOWS: &[(&str, &str)] = &[
    ("count", r#"{"type":"count","calls":100}"#),
    ("time", r#"{"type":"time","ms":10000,"buckets":10}"#),
];
const BUDGETS: &[(&str, &str)] = &[
    ("none", r#"{"type":"none"}"#),
    (
        "grpc",
        r#"{"type":"grpc","max_tokens":10,"token_ratio":0.1}"#,
    ),
    (
        "aws",
        r#"{"type":"aws","capacity":500,"retry_cost":5,"timeout_cost":10,"throttling_cost":5,"success_refund":1}"#,
    ),
    (
        "ratio",
        r#"{"type":"ratio","percent":20,"min_per_s":10,"ttl_ms":10000}"#,
    ),
    (
        "adaptive",
        r#"{"type":"adaptive","k":2,"window_ms":120000}"#,
    ),
];

/// A control of `field` (range, unit, label from the bounds table); `restore` is the value
/// its "none" box gives back when unticked.
fn num(field: Field, slider: (f64, f64), step: f64, restore: f64, help: &'static str) -> Num {
    Num {
        path: "",
        field,
        slider,
        step,
        restore,
        help,
    }
}

/// The Circuit breaker group.
pub(super) fn breaker(doc: &Value, e: &Callback<Edit>) -> Html {
    let scope = get(doc, "breaker.scope")
        .as_str()
        .unwrap_or("none")
        .to_string();
    let at = |path: &str, f: Num| f.render(path, doc, e);
    let body = (scope != "none").then(|| {
        let trip = get(doc, "breaker.trip.type").as_str().unwrap_or_default().to_string();
        let rule = if trip == "rate" {
            html! {
                <>
                    { tagged("breaker.trip.window", "window", WINDOWS, doc, e,
                        "The sliding window: the last N calls (resilience4j COUNT_BASED slidingWindowSize, 100) or the calls of the last T in buckets (resilience4j TIME_BASED: one bucket per second; Polly SamplingDuration 30 s in 10).") }
                    { at("breaker.trip.min_calls", num(b::MIN_CALLS, (1.0, 200.0), 1.0, 0.0,
                        "No decision before this many calls are in the window. resilience4j minimumNumberOfCalls (100); Polly MinimumThroughput (100).")) }
                    { at("breaker.trip.failure_rate", num(b::FAILURE_RATE, (0.0, 1.0), 0.01, 0.5,
                        "Trip when failures / calls reaches this. resilience4j failureRateThreshold (50%); Polly FailureRatio (0.1).")) }
                    { at("breaker.trip.slow_call_ms", num(b::SLOW_CALL, (0.0, 5000.0), 10.0, 1000.0,
                        "A call slower than this is slow. resilience4j slowCallDurationThreshold (60 s).")) }
                    { at("breaker.trip.slow_call_rate", num(b::SLOW_CALL_RATE, (0.0, 1.0), 0.01, 0.0,
                        "Trip when slow calls / calls reaches this. resilience4j slowCallRateThreshold (100%).")) }
                    { choice("breaker.trip.check", "check", &["every_call", "on_failure"], doc, e,
                        "When the rule is checked: after every call (resilience4j) or only after a failure (Polly).") }
                </>
            }
        } else {
            at("breaker.trip.failures", num(b::TRIP_FAILURES, (1.0, 20.0), 1.0, 0.0,
                "Trip after this many consecutive failures. gobreaker ReadyToTrip default: ConsecutiveFailures > 5 (the 6th)."))
        };
        html! {
            <>
                { tagged_with("breaker.trip", "trip on", TRIPS, doc, e,
                    "consecutive: failures in a row (gobreaker); rate: a failure or slow-call rate over a sliding window (resilience4j, Polly).", false) }
                { rule }
                { at("breaker.open_ms", num(b::OPEN, (100.0, 60_000.0), 100.0, 0.0,
                    "How long it rejects calls before letting trials through. gobreaker Timeout (60 s); resilience4j waitDurationInOpenState (60 s); Polly BreakDuration (5 s).")) }
                { at("breaker.open_multiplier", num(b::OPEN_MULTIPLIER, (1.0, 4.0), 0.1, 0.0,
                    "The open time is multiplied by this after each failed trial, up to the max (resilience4j IntervalFunction.ofExponentialBackoff; Polly BreakDurationGenerator). 1 = constant.")) }
                { at("breaker.open_max_ms", num(b::OPEN_MAX, (1000.0, 300_000.0), 1000.0, 0.0,
                    "Longest open time when it grows.")) }
                { at("breaker.half_open_calls", num(b::HALF_OPEN_CALLS, (1.0, 20.0), 1.0, 0.0,
                    "Calls let through while half-open. gobreaker MaxRequests (1); resilience4j permittedNumberOfCallsInHalfOpenState (10); Polly: 1.")) }
                { at("breaker.half_open_successes", num(b::HALF_OPEN_SUCCESSES, (1.0, 20.0), 1.0, 1.0,
                    "Trial successes that close it; it re-opens once more than trials − successes fail. All: any failure re-opens (gobreaker, Polly); resilience4j's 50% of 10 is 6.")) }
                { checks("breaker.failure_on", &["timeout", "error", "rejected", "refused"], "failures", doc, e,
                    "Outcomes the breaker counts as failures. gobreaker IsSuccessful; resilience4j recordExceptions; Polly ShouldHandle (exceptions only by default: an HTTP error status is a result).") }
            </>
        }
    });
    html! {
        <fieldset><legend>{"Circuit breaker"}</legend>
            { choice("breaker.scope", "scope", SCOPES, doc, e,
                "Who keeps a breaker: per_service (each client, one per service), global (each client, one for everything), shared_per_service (one per service for all clients: a gateway or sidecar), shared_global (one for everything).") }
            { body.unwrap_or_default() }
        </fieldset>
    }
}

/// The Retry budget group.
pub(super) fn budget(doc: &Value, e: &Callback<Edit>) -> Html {
    let kind = get(doc, "budget.type")
        .as_str()
        .unwrap_or("none")
        .to_string();
    html! {
        <fieldset><legend>{"Retry budget"}</legend>
            { tagged("budget", "budget", BUDGETS, doc, e,
                "grpc: retry throttling (gRFC A6 maxTokens, tokenRatio); aws: the SDK retry quota (capacity 500, retry cost 5 or 14, timeout cost 10, refund on success); ratio: Finagle RetryBudget / tower TpsBudget (20% of requests + 10/s over 10 s); adaptive: the SRE book's client-side throttling (reject with p = max(0, (requests − K·accepts)/(requests + 1)) over 2 min).") }
            if kind != "none" {
                { choice("budget.scope", "shared by", &["shared", "per_client"], doc, e,
                    "shared: one budget per service for all clients (one process with many callers); per_client: each client keeps its own.") }
            }
        </fieldset>
    }
}
