//! Go `github.com/sony/gobreaker/v2` v2.4.0 (v2/gobreaker.go, v2/counter.go).
//!
//! `ReadyToTrip(counts)` decides on each failure while closed (default:
//! `ConsecutiveFailures > 5`); `Interval` clears the counts while closed (0: never), and
//! with `BucketPeriod` (since v2.2.0) they roll over a window instead; `Timeout` is the
//! open time (default 60 s); `MaxRequests` trials while half-open, all of which must
//! succeed to close it, any failure re-opening it. No retries: gobreaker only breaks.

use super::text::{go, num};
use super::Report;
use crate::sim::scenario::config::{BreakerScopeConfig, CheckConfig, TripConfig, WindowConfig};

/// The breaker as `gobreaker.Settings`.
pub fn export(r: &mut Report) -> String {
    let cfg = r.cfg;
    let b = &cfg.breaker;
    if b.scope == BreakerScopeConfig::None {
        r.missing(
            "breaker",
            "the policy has no breaker: the snippet is a starting point with herdsim's default breaker settings",
        );
    }
    let (ready, interval) = match &b.trip {
        TripConfig::Consecutive { failures } => {
            r.exact(
                "breaker.trip",
                format!("counts.ConsecutiveFailures >= {failures}"),
            );
            (
                format!("counts.ConsecutiveFailures >= {failures}"),
                "\tInterval:    0, // counts are never cleared while closed\n".to_string(),
            )
        }
        TripConfig::Rate {
            window,
            min_calls,
            failure_rate,
            slow_call_ms,
            check,
            ..
        } => {
            let rate = failure_rate.unwrap_or(1.0);
            if *check == CheckConfig::EveryCall {
                r.approx(
                    "breaker.trip.check",
                    "ReadyToTrip is asked on failures only, not after every call",
                );
                if let TripConfig::Rate { check, .. } = &mut r.as_library.breaker.trip {
                    *check = CheckConfig::OnFailure;
                }
            }
            let interval = match window {
                WindowConfig::Time { ms, buckets } => {
                    let period = ms / f64::from((*buckets).max(1));
                    r.exact(
                        "breaker.trip.window",
                        format!(
                            "a rolling window of {} in {buckets} buckets (Interval with BucketPeriod, v2.2.0 and later)",
                            super::text::ms(*ms)
                        ),
                    );
                    format!(
                        "\tInterval:     {},\n\tBucketPeriod: {},\n",
                        go(*ms),
                        go(period)
                    )
                }
                WindowConfig::Count { calls } => {
                    r.approx(
                        "breaker.trip.window",
                        format!(
                            "no window of the last {calls} calls: the counts cover every call since the breaker last closed (Interval 0)"
                        ),
                    );
                    "\tInterval:    0,\n".to_string()
                }
            };
            if failure_rate.is_none() {
                r.approx(
                    "breaker.trip",
                    "the policy trips on slow calls only, which gobreaker cannot see: ReadyToTrip never trips",
                );
                r.as_library.breaker.scope = BreakerScopeConfig::None;
            } else {
                r.exact(
                    "breaker.trip",
                    format!(
                        "counts.Requests >= {min_calls} and failures / requests >= {}",
                        num(rate)
                    ),
                );
            }
            if slow_call_ms.is_some() {
                r.missing(
                    "breaker.trip.slow_call_ms",
                    "no slow-call rule: only calls that fail count",
                );
            }
            let ready = if failure_rate.is_none() {
                "false // the policy trips on slow calls only".to_string()
            } else {
                format!(
                    "counts.Requests >= {min_calls} &&\n\t\t\tfloat64(counts.TotalFailures)/float64(counts.Requests) >= {}",
                    num(rate)
                )
            };
            (ready, interval)
        }
    };
    r.exact(
        "breaker.open_ms",
        format!("Timeout {}", super::text::ms(b.open_ms)),
    );
    if b.open_multiplier != 1.0 {
        r.missing(
            "breaker.open_multiplier",
            format!(
                "the open time never grows: always {}",
                super::text::ms(b.open_ms)
            ),
        );
        r.as_library.breaker.open_multiplier = 1.0;
    }
    match b.half_open_successes {
        Some(s) if s != b.half_open_calls => {
            r.approx(
                "breaker.half_open_successes",
                format!(
                    "MaxRequests {} trials must all succeed to close (not {s}), and one failure re-opens it",
                    b.half_open_calls
                ),
            );
            r.as_library.breaker.half_open_successes = None;
        }
        _ => r.exact(
            "breaker.half_open_calls",
            format!(
                "MaxRequests {}: all must succeed, one failure re-opens",
                b.half_open_calls
            ),
        ),
    }
    r.exact(
        "breaker.failure_on",
        "IsSuccessful decides: the snippet's says which errors count",
    );
    match b.scope {
        BreakerScopeConfig::SharedPerService | BreakerScopeConfig::SharedGlobal => r.exact(
            "breaker.scope",
            format!(
                "{}: one CircuitBreaker value shared by every goroutine",
                super::breaker_scope(b.scope)
            ),
        ),
        BreakerScopeConfig::PerService | BreakerScopeConfig::Global => r.exact(
            "breaker.scope",
            format!(
                "{}: one CircuitBreaker per client",
                super::breaker_scope(b.scope)
            ),
        ),
        BreakerScopeConfig::None => {}
    }
    if r.attempts() != Some(1) {
        r.approx(
            "max_attempts",
            "gobreaker does not retry: put the retry loop (cenkalti-v4, cenkalti-v5 or failsafe-go) around cb.Execute; the simulation keeps the policy's retries",
        );
    }
    if !cfg.policy.retry_on.breaker_open && r.has_breaker() {
        r.warn("a retry loop around cb.Execute retries gobreaker.ErrOpenState and ErrTooManyRequests unless told not to: stop on them, as the policy does");
    }
    r.no_budget("nothing in gobreaker limits retries");
    let failure_on = &b.failure_on;
    let counted: Vec<&str> = [
        (failure_on.timeout, "timeouts"),
        (failure_on.error, "error answers"),
        (failure_on.rejected, "queue-full rejections"),
        (failure_on.refused, "refused connections"),
    ]
    .iter()
    .filter(|x| x.0)
    .map(|x| x.1)
    .collect();
    let body = format!(
        "var cb = gobreaker.NewCircuitBreaker[any](gobreaker.Settings{{\n\
         \tName:        \"{service}\",\n\
         \tMaxRequests: {trials},\n{interval}\
         \tTimeout:     {open},\n\
         \tReadyToTrip: func(counts gobreaker.Counts) bool {{\n\
         \t\treturn {ready}\n\t}},\n\
         \tIsSuccessful: func(err error) bool {{\n\
         \t\treturn err == nil // count as failures only: {counted}\n\t}},\n\
         }})\n",
        service = cfg.name,
        trials = b.half_open_calls,
        open = go(b.open_ms),
        counted = counted.join(", "),
    );
    super::go_file(
        &format!(
            "// herdsim policy \"{}\" for {}",
            cfg.name,
            super::Library::Gobreaker.version()
        ),
        &["github.com/sony/gobreaker/v2"],
        &body,
    )
}
