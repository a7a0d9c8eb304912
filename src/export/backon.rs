//! Rust backon 1.5 (src/backoff/exponential.rs, constant.rs) and tower 0.5's `TpsBudget`
//! (tower/src/retry/budget/tps_budget.rs).
//!
//! `ExponentialBuilder`: the first delay is `min_delay`, then ×`factor` up to `max_delay`;
//! `with_jitter()` adds `U(0, 1)·d`, so a sleep is `d·U(1, 2)` (the cap applies before
//! jitter); `with_max_times(n)` is n retries. tower's `TpsBudget::new(ttl, min_per_sec,
//! retry_percent)` is Finagle's retry budget, herdsim's ratio budget: `deposit()` per
//! request, `withdraw()` before each retry.

use super::text::{num, rust};
use super::Report;
use crate::sim::scenario::config::BudgetConfig;
use crate::sim::scenario::config::{JitterConfig, ScheduleConfig};

/// The builder, the retry call and the budget.
pub fn export(r: &mut Report) -> String {
    let b = r.backoff().clone();
    // backon draws d·s·U(1, 2): the scale s that gives the policy's jitter, if one does
    let (scale, jitter) = match *r.jitter() {
        JitterConfig::None => {
            r.exact("jitter", "no with_jitter()");
            (1.0, false)
        }
        JitterConfig::Multiplier { min, max } if min > 0.0 && (max - 2.0 * min).abs() < 1e-9 => {
            r.exact(
                "jitter",
                "with_jitter(): d · U(1, 2), on delays scaled to the policy's lower factor",
            );
            (min, true)
        }
        JitterConfig::Equal => {
            r.exact(
                "jitter",
                "equal jitter U(d/2, d) = with_jitter() on halved delays",
            );
            (0.5, true)
        }
        JitterConfig::Proportional { factor } if (factor - 1.0 / 3.0).abs() < 1e-9 => {
            r.exact("jitter", "± 1/3 = with_jitter() on delays × 2/3");
            (2.0 / 3.0, true)
        }
        ref j => {
            // keep the mean: backon's mean is 1.5 · s · d
            let mean = match *j {
                JitterConfig::Full => 0.5,
                JitterConfig::Multiplier { min, max } => (min + max) / 2.0,
                _ => 1.0,
            };
            r.approx(
                "jitter",
                "backon's only jitter is d · U(1, 2): delays scaled so the mean sleep stays the policy's (the spread is max/min = 2)",
            );
            let s = mean / 1.5;
            r.as_library.policy.jitter = JitterConfig::Multiplier {
                min: s,
                max: 2.0 * s,
            };
            return finish(r, s, true, &b);
        }
    };
    finish(r, scale, jitter, &b)
}

fn finish(
    r: &mut Report,
    scale: f64,
    jitter: bool,
    b: &crate::sim::scenario::config::BackoffConfig,
) -> String {
    let cfg = r.cfg;
    let mut chain = Vec::new();
    match b.kind {
        ScheduleConfig::None => {
            r.exact("backoff", "ConstantBuilder with no delay");
            chain.push("ConstantBuilder::default()".to_string());
            chain.push("with_delay(Duration::ZERO)".into());
        }
        ScheduleConfig::Constant => {
            r.exact("backoff", "ConstantBuilder: the same delay every time");
            chain.push("ConstantBuilder::default()".to_string());
            chain.push(format!("with_delay({})", rust(b.base_ms * scale)));
        }
        ScheduleConfig::Exponential | ScheduleConfig::Linear => {
            let m = if b.kind == ScheduleConfig::Linear {
                r.linear_as_doubling();
                2.0
            } else {
                r.exact(
                    "backoff",
                    "ExponentialBuilder: min_delay × factor^(n−1) up to max_delay",
                );
                b.multiplier
            };
            chain.push("ExponentialBuilder::default()".to_string());
            chain.push(format!("with_min_delay({})", rust(b.base_ms * scale)));
            chain.push(format!("with_factor({})", float(m)));
            chain.push(format!("with_max_delay({})", rust(b.cap_ms * scale)));
        }
    }
    if jitter {
        chain.push("with_jitter()".into());
    }
    r.plain_schedule_only();
    match r.attempts() {
        Some(n) => {
            r.exact(
                "max_attempts",
                format!("with_max_times({}): retries, so {n} attempts", n - 1),
            );
            chain.push(format!("with_max_times({})", n - 1));
        }
        None => {
            r.exact("max_attempts", "no limit: without_max_times()");
            chain.push("without_max_times()".into());
        }
    }
    if let Some(d) = cfg.policy.deadline_ms {
        r.approx(
            "deadline",
            "with_total_delay limits the time spent sleeping, not the time since the first attempt (wrap the whole call in tokio::time::timeout for that)",
        );
        chain.push(format!("with_total_delay(Some({}))", rust(d)));
    } else {
        r.exact("deadline", "none");
    }
    let call = match cfg.policy.timeout_ms {
        Some(t) => {
            r.exact(
                "timeout",
                "backon has none: tokio::time::timeout around each attempt, as the snippet does",
            );
            format!("tokio::time::timeout({}, call()).await?", rust(t))
        }
        None => {
            r.exact("timeout", "none: each attempt waits as long as it takes");
            "call().await".to_string()
        }
    };
    r.exact(
        "retry_on",
        format!("when(): the snippet retries {}", r.retried()),
    );
    let (budget, when) = match &cfg.budget {
        BudgetConfig::None => (String::new(), "is_retryable(e)".to_string()),
        BudgetConfig::Ratio {
            percent,
            min_per_s,
            ttl_ms,
            ..
        } => {
            r.exact(
                "budget",
                "tower's TpsBudget (Finagle's retry budget): deposit() per request, withdraw() before each retry",
            );
            (
                format!(
                    "/// The retry budget: one per service, shared by every caller.\n\
                     pub fn retry_budget() -> Arc<TpsBudget> {{\n    \
                     Arc::new(TpsBudget::new({}, {}, {}))\n}}\n\n",
                    rust(*ttl_ms),
                    min_per_s.round(),
                    float(percent / 100.0)
                ),
                "is_retryable(e) && budget.withdraw()".to_string(),
            )
        }
        _ => {
            r.no_budget("tower's TpsBudget is the ratio budget");
            (String::new(), "is_retryable(e)".to_string())
        }
    };
    r.no_breaker("a tower layer or the failsafe crate would add one");
    let (param, deposit) = if budget.is_empty() {
        ("", "")
    } else {
        (",\n    budget: &TpsBudget", "    budget.deposit();\n")
    };
    format!(
        "// herdsim policy \"{name}\" for {version}\n\
         use std::future::Future;\nuse std::sync::Arc;\nuse std::time::Duration;\n\n\
         use backon::{{ConstantBuilder, ExponentialBuilder, Retryable}};\n\
         use tower::retry::budget::{{Budget, TpsBudget}};\n\n\
         {budget}\
         /// `call` under the policy; `is_retryable` says which errors to retry: {retried}.\n\
         pub async fn with_retries<T, E, Fut>(\n    mut call: impl FnMut() -> Fut,\n    \
         is_retryable: impl Fn(&E) -> bool{param},\n) -> Result<T, E>\n\
         where\n    Fut: Future<Output = Result<T, E>>,\n    E: From<tokio::time::error::Elapsed>,\n{{\n\
         \x20   let backoff = {chain};\n\
         {deposit}\
         \x20   (|| async {{ {call} }})\n\
         \x20       .retry(backoff)\n\
         \x20       .when(|e| {when})\n\
         \x20       .await\n}}\n",
        name = cfg.name,
        version = super::Library::Backon.version(),
        chain = chain.join("\n        ."),
        retried = r.retried(),
    )
}

/// An `f32` literal: with a point (`2.0`, not `2`).
fn float(x: f64) -> String {
    let s = num(x);
    if s.contains('.') || s.contains('e') {
        s
    } else {
        s + ".0"
    }
}
