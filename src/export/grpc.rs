//! A gRPC service config (gRFC A6 client retries, as revised in 2024 by grpc/proposal
//! #452; grpc-go since 1.69, grpc-java since 1.71).
//!
//! Retry `n` waits `min(initialBackoff · backoffMultiplier^(n−1), maxBackoff) · U(0.8,
//! 1.2)`; `maxAttempts` counts the first attempt, must be at least 2, and above 5 is
//! treated as 5. `timeout` is the deadline of the whole call, retries included: A6 has no
//! per-attempt timeout. `retryThrottling` is herdsim's gRPC budget: tokens start at
//! `maxTokens` (≤ 1000), a retryable failure costs 1, a success gives `tokenRatio` (3
//! decimals), and retries stop while tokens ≤ `maxTokens / 2`.

use serde_json::{json, Value};

use super::text::{num, proto};
use super::Report;
use crate::sim::scenario::config::BudgetConfig;
use crate::sim::scenario::config::{JitterConfig, ScheduleConfig};

/// gRPC's limit on `maxAttempts`.
const MAX_ATTEMPTS: u32 = 5;

/// The service config as JSON.
pub fn export(r: &mut Report) -> String {
    let cfg = r.cfg;
    let p = &cfg.policy;
    let mut method = json!({ "name": [{}] });
    match p.deadline_ms {
        Some(d) => {
            r.exact(
                "deadline",
                "timeout: the whole call's deadline, retries included",
            );
            method["timeout"] = json!(proto(d));
        }
        None => r.exact("deadline", "none: no timeout"),
    }
    match p.timeout_ms {
        Some(_) => {
            r.missing(
                "timeout",
                "gRPC has no per-attempt timeout: an attempt lasts until the call's deadline",
            );
            r.as_library.policy.timeout_ms = None;
            if p.deadline_ms.is_none() {
                r.warn("with no per-attempt timeout and no deadline, a call to a server that never answers waits forever: set a deadline on every call");
            }
        }
        None => r.exact("timeout", "none"),
    }
    let attempts = r.attempts();
    let on = &p.retry_on;
    let coded = on.error || on.rejected || on.refused;
    if attempts != Some(1) && !coded {
        r.missing(
            "retry_on",
            format!(
                "gRPC retries status codes only, and {} have none it retries: no retryPolicy",
                r.retried()
            ),
        );
        r.approx("max_attempts", "1 attempt: no retryPolicy");
        r.as_library.policy.max_attempts = Some(1);
    } else if attempts != Some(1) {
        let n = match attempts {
            Some(n) if n <= MAX_ATTEMPTS => {
                r.exact(
                    "max_attempts",
                    format!("maxAttempts {n}, the first included"),
                );
                n
            }
            Some(n) => {
                r.approx(
                    "max_attempts",
                    format!("maxAttempts above 5 is treated as 5: {n} becomes 5"),
                );
                MAX_ATTEMPTS
            }
            None => {
                r.approx("max_attempts", "no unlimited form: 5, the most gRPC allows");
                MAX_ATTEMPTS
            }
        };
        if attempts.is_none_or(|a| a > MAX_ATTEMPTS) {
            r.warn("gRPC clamps maxAttempts to 5 (grpc-go lets the client raise it with WithMaxCallAttempts)");
            r.as_library.policy.max_attempts = Some(MAX_ATTEMPTS);
        }
        method["retryPolicy"] = retry_policy(r, n);
    } else {
        r.exact("max_attempts", "1 attempt: no retryPolicy");
    }
    let mut config = json!({ "methodConfig": [method] });
    match &cfg.budget {
        BudgetConfig::Grpc {
            max_tokens,
            token_ratio,
            ..
        } => {
            r.exact(
                "budget",
                "retryThrottling: the same token rule, one bucket per channel (server name)",
            );
            let ratio = (token_ratio * 1000.0).round() / 1000.0;
            if ratio != *token_ratio {
                r.approx("budget.token_ratio", "tokenRatio keeps 3 decimals");
            }
            config["retryThrottling"] =
                json!({ "maxTokens": whole(*max_tokens), "tokenRatio": ratio });
        }
        BudgetConfig::None => {}
        _ => r.no_budget(
            "gRPC's retryThrottling (the gRPC budget) is its only retry limit across calls",
        ),
    }
    r.no_breaker("gRPC has none (xDS outlier detection ejects servers, it does not break calls)");
    let body = serde_json::to_string_pretty(&config).unwrap_or_default();
    body + "\n"
}

/// `retryPolicy` with `attempts` (2..=5).
fn retry_policy(r: &mut Report, attempts: u32) -> Value {
    let b = r.backoff().clone();
    let grpc_jitter = JitterConfig::Multiplier { min: 0.8, max: 1.2 };
    let (initial, multiplier, max) = match b.kind {
        ScheduleConfig::Exponential => {
            r.exact(
                "backoff",
                "initialBackoff × backoffMultiplier^(n−1) up to maxBackoff",
            );
            (b.base_ms, b.multiplier, b.cap_ms)
        }
        ScheduleConfig::Constant => {
            r.exact("backoff", "backoffMultiplier 1: the same delay every time");
            (b.base_ms, 1.0, b.base_ms)
        }
        ScheduleConfig::Linear => {
            r.linear_as_doubling();
            (b.base_ms, 2.0, b.cap_ms)
        }
        ScheduleConfig::None => {
            r.approx("backoff", "initialBackoff must be above 0: 1 ms");
            r.as_library.policy.backoff.kind = ScheduleConfig::Constant;
            r.as_library.policy.backoff.base_ms = 1.0;
            r.as_library.policy.backoff.cap_ms = 1.0;
            (1.0, 1.0, 1.0)
        }
    };
    let (initial, max) = (initial.max(1.0), max.max(initial.max(1.0)));
    if *r.jitter() == grpc_jitter {
        r.exact("jitter", "× U(0.8, 1.2): gRPC's own rule");
    } else {
        r.approx(
            "jitter",
            "gRPC's jitter is fixed: each delay × U(0.8, 1.2) (before the 2024 revision of A6: U(0, d))",
        );
        r.as_library.policy.jitter = grpc_jitter;
    }
    r.plain_schedule_only();
    let on = &r.cfg.policy.retry_on;
    let mut codes = Vec::new();
    if on.refused || on.rejected {
        codes.push("UNAVAILABLE");
    }
    if on.error {
        codes.push("INTERNAL");
    }
    if on.timeout {
        r.approx(
            "retry_on.timeout",
            "DEADLINE_EXCEEDED is never retried: the deadline is the whole call's",
        );
        r.as_library.policy.retry_on.timeout = false;
    }
    r.exact(
        "retry_on",
        format!(
            "retryableStatusCodes {} for {}",
            codes.join(", "),
            r.retried()
        ),
    );
    json!({
        "maxAttempts": attempts,
        "initialBackoff": proto(initial),
        "maxBackoff": proto(max),
        "backoffMultiplier": whole(multiplier),
        "retryableStatusCodes": codes,
    })
}

/// A number as JSON, a whole one without a fraction (`2`, not `2.0`).
fn whole(m: f64) -> Value {
    if m.fract() == 0.0 && m.abs() < 1e15 {
        json!(m as i64)
    } else {
        serde_json::from_str(&num(m)).unwrap_or(json!(m))
    }
}
