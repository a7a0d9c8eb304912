//! Java resilience4j 2.x through Spring Boot's `application.yml` (resilience4j-core
//! IntervalFunction.java, RetryConfig.java, CircuitBreakerConfig.java, the Spring
//! properties classes; read at v2.4.0).
//!
//! Retry: `maxAttempts` counts the first call; with `enableExponentialBackoff` and
//! `enableRandomizedWait` the wait is `min(randomize(waitDuration · multiplier^(n−1)),
//! exponentialMaxWaitDuration)`, `randomize(c) = U(c·(1 − f), c·(1 + f))` with Spring's
//! `randomizedWaitFactor` in [0, 1): the cap applies after randomising. Every exception is
//! retried unless told otherwise, `CallNotPermittedException` included. Circuit breaker:
//! a COUNT_BASED or TIME_BASED (seconds) window, judged after every call once
//! `minimumNumberOfCalls` are in; half-open lets `permittedNumberOfCallsInHalfOpenState`
//! through and re-opens if their failure rate reaches the threshold. TimeLimiter bounds
//! each attempt (the Spring aspects put Retry outside CircuitBreaker outside TimeLimiter).

use super::text::{num, spring};
use super::{around, Report};
use crate::sim::scenario::config::{CheckConfig, TripConfig, WindowConfig};
use crate::sim::scenario::config::{JitterConfig, ScheduleConfig};

/// Spring's bound on `randomizedWaitFactor` is [0, 1): the largest it takes.
const MAX_FACTOR: f64 = 0.99;

/// The three instances (retry, circuitbreaker, timelimiter) of one backend.
pub fn export(r: &mut Report) -> String {
    let cfg = r.cfg;
    let p = &cfg.policy;
    let b = r.backoff().clone();
    let mut retry = Vec::new();
    match r.attempts() {
        Some(n) => {
            r.exact(
                "max_attempts",
                format!("maxAttempts {n}, the first included"),
            );
            retry.push(format!("maxAttempts: {n}"));
        }
        None => {
            r.approx(
                "max_attempts",
                "no unlimited form: maxAttempts 2147483647 (Integer.MAX_VALUE)",
            );
            retry.push("maxAttempts: 2147483647".into());
        }
    }
    let a = around(r.jitter(), MAX_FACTOR);
    let (wait, exponential) = match b.kind {
        ScheduleConfig::None => (0.0, false),
        ScheduleConfig::Constant => (b.base_ms * a.scale, false),
        ScheduleConfig::Linear | ScheduleConfig::Exponential => (b.base_ms * a.scale, true),
    };
    match b.kind {
        ScheduleConfig::Linear => r.linear_as_doubling(),
        ScheduleConfig::None => r.exact("backoff", "waitDuration 0: retry at once"),
        _ => r.exact("backoff", "waitDuration × exponentialBackoffMultiplier^(n−1), capped at exponentialMaxWaitDuration"),
    }
    retry.push(format!("waitDuration: {}", spring(wait.max(0.0))));
    if exponential {
        let m = if b.kind == ScheduleConfig::Linear {
            2.0
        } else {
            b.multiplier
        };
        retry.push("enableExponentialBackoff: true".into());
        retry.push(format!("exponentialBackoffMultiplier: {}", num(m)));
        retry.push(format!("exponentialMaxWaitDuration: {}", spring(b.cap_ms)));
    }
    let jittered = a.factor > 0.0 && wait > 0.0;
    if jittered {
        retry.push("enableRandomizedWait: true".into());
        retry.push(format!("randomizedWaitFactor: {}", num(a.factor)));
    }
    let at_cap = exponential && b.cap_ms < f64::INFINITY;
    match (a.exact, jittered) {
        (_, false) => r.exact("jitter", "none"),
        (true, true) if !at_cap => r.exact("jitter", a.note),
        _ => r.approx(
            "jitter",
            format!(
                "{}; resilience4j caps the randomised wait at exponentialMaxWaitDuration (after randomising), so once the schedule reaches the cap most waits are the cap itself",
                a.note
            ),
        ),
    }
    if jittered && (!a.exact || at_cap) {
        // resilience4j never waits past the cap: herdsim's ± factor caps before it
        let q = &mut r.as_library.policy;
        q.backoff.base_ms = wait;
        q.backoff.cap_ms = (b.cap_ms / (1.0 + a.factor)).max(wait);
        q.jitter = JitterConfig::Proportional { factor: a.factor };
    }
    r.plain_schedule_only();
    r.exact(
        "retry_on",
        format!("retryExceptions: the exceptions of {}", r.retried()),
    );
    let mut retried = "retryExceptions:\n          - java.io.IOException\n          - java.util.concurrent.TimeoutException".to_string();
    if p.retry_on.breaker_open {
        retried += "\n          - io.github.resilience4j.circuitbreaker.CallNotPermittedException";
    }
    retry.push(retried);
    if !p.retry_on.breaker_open {
        retry.push("ignoreExceptions:\n          - io.github.resilience4j.circuitbreaker.CallNotPermittedException".into());
        if r.has_breaker() {
            r.warn("resilience4j's Retry retries every exception by default, CallNotPermittedException (the breaker's rejection) included; the snippet ignores it, as the policy does");
        }
    }
    let mut out = format!(
        "# herdsim policy \"{}\" for {}\n# @Retry(name = \"backend\") @CircuitBreaker(name = \"backend\") @TimeLimiter(name = \"backend\")\nresilience4j:\n  retry:\n    instances:\n      backend:\n",
        cfg.name,
        super::Library::Resilience4j.version()
    );
    for l in &retry {
        out += &format!("        {l}\n");
    }
    if r.has_breaker() {
        out += "  circuitbreaker:\n    instances:\n      backend:\n";
        for l in breaker(r) {
            out += &format!("        {l}\n");
        }
    }
    match p.timeout_ms {
        Some(t) => {
            r.exact(
                "timeout",
                "TimeLimiter timeoutDuration: per attempt (inside Retry)",
            );
            out += &format!(
                "  timelimiter:\n    instances:\n      backend:\n        timeoutDuration: {}\n        cancelRunningFuture: true\n",
                spring(t)
            );
        }
        None => {
            r.exact("timeout", "none: no TimeLimiter");
            r.warn("without @TimeLimiter an attempt waits as long as the call does (TimeLimiter's own default is 1 s once it is added)");
        }
    }
    r.no_deadline(
        "no overall deadline in Retry (the Spring aspect puts TimeLimiter inside it, per attempt)",
    );
    r.no_budget(
        "nothing in resilience4j limits retries across calls (a Bulkhead limits concurrency)",
    );
    out
}

/// The circuit breaker's properties.
fn breaker(r: &mut Report) -> Vec<String> {
    let b = r.cfg.breaker.clone();
    let mut out = Vec::new();
    let threshold = match &b.trip {
        TripConfig::Consecutive { failures } => {
            r.exact(
                "breaker.trip",
                format!("COUNT_BASED window of {failures} at 100%: all of the last {failures} calls failed = {failures} in a row"),
            );
            out.push("slidingWindowType: COUNT_BASED".to_string());
            out.push(format!("slidingWindowSize: {failures}"));
            out.push(format!("minimumNumberOfCalls: {failures}"));
            out.push("failureRateThreshold: 100".into());
            1.0
        }
        TripConfig::Rate {
            window,
            min_calls,
            failure_rate,
            slow_call_ms,
            slow_call_rate,
            check,
        } => {
            match window {
                WindowConfig::Count { calls } => {
                    r.exact(
                        "breaker.trip.window",
                        format!("COUNT_BASED, the last {calls} calls"),
                    );
                    out.push("slidingWindowType: COUNT_BASED".into());
                    out.push(format!("slidingWindowSize: {calls}"));
                }
                WindowConfig::Time { ms, buckets } => {
                    let s = (ms / 1000.0).round().max(1.0);
                    if (s * 1000.0 - ms).abs() < 1e-9 && f64::from(*buckets) == s {
                        r.exact(
                            "breaker.trip.window",
                            format!("TIME_BASED, the last {s} s (in 1 s buckets)"),
                        );
                    } else {
                        r.approx(
                            "breaker.trip.window",
                            format!("TIME_BASED windows are whole seconds in 1 s buckets: {s} s"),
                        );
                    }
                    out.push("slidingWindowType: TIME_BASED".into());
                    out.push(format!("slidingWindowSize: {s}"));
                }
            }
            out.push(format!("minimumNumberOfCalls: {min_calls}"));
            let rate = failure_rate.unwrap_or(1.0);
            out.push(format!("failureRateThreshold: {}", num(rate * 100.0)));
            if failure_rate.is_some() {
                r.exact(
                    "breaker.trip",
                    format!("failureRateThreshold {}%", num(rate * 100.0)),
                );
            } else {
                r.approx(
                    "breaker.trip",
                    "the failure rate cannot be switched off: failureRateThreshold 100 (every call failed)",
                );
                if let TripConfig::Rate { failure_rate, .. } = &mut r.as_library.breaker.trip {
                    *failure_rate = Some(1.0);
                }
            }
            if let Some(s) = slow_call_ms {
                r.exact(
                    "breaker.trip.slow_call_ms",
                    "slowCallDurationThreshold and slowCallRateThreshold",
                );
                out.push(format!("slowCallDurationThreshold: {}", spring(*s)));
                out.push(format!(
                    "slowCallRateThreshold: {}",
                    num(slow_call_rate * 100.0)
                ));
            }
            if *check == CheckConfig::OnFailure {
                r.approx(
                    "breaker.trip.check",
                    "resilience4j judges the rate after every call, not only after failures",
                );
                if let TripConfig::Rate { check, .. } = &mut r.as_library.breaker.trip {
                    *check = CheckConfig::EveryCall;
                }
            }
            rate
        }
    };
    r.exact(
        "breaker.open_ms",
        format!("waitDurationInOpenState {}", spring(b.open_ms)),
    );
    out.push(format!("waitDurationInOpenState: {}", spring(b.open_ms)));
    if b.open_multiplier != 1.0 {
        r.exact("breaker.open_multiplier", "enableExponentialBackoff on the open state, up to exponentialMaxWaitDurationInOpenState");
        out.push("enableExponentialBackoff: true".into());
        out.push(format!(
            "exponentialBackoffMultiplier: {}",
            num(b.open_multiplier)
        ));
        out.push(format!(
            "exponentialMaxWaitDurationInOpenState: {}",
            spring(b.open_max_ms)
        ));
    }
    let n = b.half_open_calls;
    out.push(format!("permittedNumberOfCallsInHalfOpenState: {n}"));
    // half-open re-opens when failures / n ≥ threshold, so it closes on at least
    // n − ceil(threshold · n) + 1 successes
    let closes_on = n - ((threshold * f64::from(n)).ceil() as u32).min(n) + 1;
    let wanted = b.half_open_successes.unwrap_or(n);
    if wanted.min(n) == closes_on.min(n) {
        r.exact(
            "breaker.half_open_calls",
            format!(
                "{n} trials; with the {}% threshold {closes_on} successes close it",
                num(threshold * 100.0)
            ),
        );
    } else {
        r.approx(
            "breaker.half_open_successes",
            format!("{n} trials judged by the failure-rate threshold: {closes_on} successes close it, not {wanted}"),
        );
        r.as_library.breaker.half_open_successes = Some(closes_on.min(n));
    }
    out.push("automaticTransitionFromOpenToHalfOpenEnabled: true".into());
    r.exact(
        "breaker.failure_on",
        "recordExceptions: the exceptions that count as failures",
    );
    out.push("recordExceptions:\n          - java.io.IOException\n          - java.util.concurrent.TimeoutException".into());
    out
}
