//! Go `github.com/failsafe-go/failsafe-go` v0.9.7 (retrypolicy, circuitbreaker, timeout,
//! budget; `failsafe.With(outer, …, inner)`).
//!
//! `WithBackoffFactor(delay, max, factor)` grows the delay by `factor` up to `max`;
//! `WithJitterFactor(f)` then draws `U(delay·(1 − f), delay·(1 + f))` (not validated;
//! negative results clamp to 0), so the cap applies before jitter as in herdsim.
//! `WithMaxAttempts(n)` counts the first attempt (-1: no limit). A `timeout` outside the
//! retry policy cancels everything inside it (a deadline); one inside, each attempt. The
//! breaker's `WithSuccessThresholdRatio(s, n)` lets `n` trials through, closes on `s`
//! successes and re-opens once more than `n − s` fail. A `budget` limits retries in flight
//! to a share of executions (`WithMaxRate`), with a floor (`WithMinConcurrency`).

use super::text::{go, ms, num};
use super::{around, Report, Status};
use crate::sim::scenario::config::ScheduleConfig;
use crate::sim::scenario::config::{BudgetConfig, CheckConfig, TripConfig, WindowConfig};

/// The retry policy, breaker, timeouts and budget as failsafe-go builders.
pub fn export(r: &mut Report) -> String {
    let cfg = r.cfg;
    let p = &cfg.policy;
    let mut retry = vec!["retrypolicy.NewBuilder[any]()".to_string()];
    match r.attempts() {
        Some(n) => {
            r.exact(
                "max_attempts",
                format!("WithMaxAttempts({n}), the first included"),
            );
            retry.push(format!("WithMaxAttempts({n})"));
        }
        None => {
            r.exact("max_attempts", "no limit: WithMaxRetries(-1)");
            retry.push("WithMaxRetries(-1)".into());
        }
    }
    let b = r.backoff().clone();
    let a = around(r.jitter(), 1.0);
    match b.kind {
        ScheduleConfig::None => {
            r.exact("backoff", "no delay");
        }
        ScheduleConfig::Constant => {
            r.exact("backoff", "WithDelay: the same delay every time");
            retry.push(format!("WithDelay({})", go(b.base_ms * a.scale)));
        }
        ScheduleConfig::Exponential | ScheduleConfig::Linear => {
            let m = if b.kind == ScheduleConfig::Linear {
                r.linear_as_doubling();
                2.0
            } else {
                r.exact("backoff", "WithBackoffFactor(delay, maxDelay, factor)");
                b.multiplier
            };
            retry.push(format!(
                "WithBackoffFactor({}, {}, {})",
                go(b.base_ms * a.scale),
                go(b.cap_ms * a.scale),
                num(m)
            ));
        }
    }
    if b.kind != ScheduleConfig::None && a.factor > 0.0 {
        retry.push(format!("WithJitterFactor({})", num(a.factor)));
    }
    r.jitter_around(&a);
    r.plain_schedule_only();
    r.exact(
        "retry_on",
        format!("HandleIf: the snippet retries {}", r.retried()),
    );
    retry.push("HandleIf(func(_ any, err error) bool { return retryable(err) })".into());
    if !p.retry_on.breaker_open && r.has_breaker() {
        retry.push("AbortOnErrors(circuitbreaker.ErrOpen)".into());
        r.warn("failsafe-go's retry policy handles every error by default, the breaker's circuitbreaker.ErrOpen included; the snippet aborts on it, as the policy does");
    }
    let mut budget_line = String::new();
    match &cfg.budget {
        BudgetConfig::None => {}
        BudgetConfig::Ratio { percent, .. } => {
            r.approx(
                "budget",
                format!(
                    "budget.WithMaxRate({}): retries in flight at most {}% of executions in flight (a concurrency share, not {}% of the requests of a time window), at least 3 at once",
                    num(percent / 100.0),
                    num(*percent),
                    num(*percent)
                ),
            );
            retry.push("WithBudget(retryBudget)".into());
            budget_line = format!(
                "retryBudget := budget.NewBuilder().WithMaxRate({}).WithMinConcurrency(3).Build()\n",
                num(percent / 100.0)
            );
        }
        _ => r.no_budget("its budget limits retries in flight as a share of executions (the ratio budget is the nearest)"),
    }
    retry.push("Build()".into());
    let mut policies = Vec::new();
    let mut decls = String::new();
    if let Some(d) = p.deadline_ms {
        r.exact(
            "deadline",
            format!(
                "timeout.New({}) outside the retry policy: it cancels the attempt in flight too",
                ms(d)
            ),
        );
        decls += &format!("deadline := timeout.New[any]({})\n", go(d));
        policies.push("deadline");
    } else {
        r.exact("deadline", "none");
    }
    decls += &budget_line;
    decls += &format!("retry := {}\n", retry.join(".\n\t"));
    policies.push("retry");
    if r.has_breaker() {
        decls += &breaker(r);
        policies.push("breaker");
    }
    match p.timeout_ms {
        Some(t) => {
            r.exact(
                "timeout",
                "timeout.New inside the retry policy: per attempt",
            );
            decls += &format!("attempt := timeout.New[any]({})\n", go(t));
            policies.push("attempt");
        }
        None => r.exact("timeout", "none: each attempt waits as long as it takes"),
    }
    let mut imports = vec!["github.com/failsafe-go/failsafe-go".to_string()];
    for (used, pkg) in [
        (!budget_line.is_empty(), "budget"),
        (decls.contains("circuitbreaker."), "circuitbreaker"),
        (true, "retrypolicy"),
        (decls.contains("timeout."), "timeout"),
    ] {
        if used {
            imports.push(format!("github.com/failsafe-go/failsafe-go/{pkg}"));
        }
    }
    let imports: Vec<&str> = imports.iter().map(String::as_str).collect();
    let inner: String = decls.lines().map(|l| format!("\t{l}\n")).collect();
    let body = format!(
        "// retryable reports whether an error is one the policy retries: {retried}\n\
         func retryable(err error) bool {{ return err != nil }}\n\n\
         // newExecutor's policies run outermost first: result, err := newExecutor().Get(call)\n\
         func newExecutor() failsafe.Executor[any] {{\n{inner}\
         \treturn failsafe.With[any]({policies})\n}}\n",
        retried = r.retried(),
        policies = policies.join(", "),
    );
    super::go_file(
        &format!(
            "// herdsim policy \"{}\" for {}",
            cfg.name,
            super::Library::FailsafeGo.version()
        ),
        &imports,
        &body,
    )
}

/// The circuit breaker builder.
fn breaker(r: &mut Report) -> String {
    let b = &r.cfg.breaker;
    let mut chain = vec!["circuitbreaker.NewBuilder[any]()".to_string()];
    match &b.trip {
        TripConfig::Consecutive { failures } => {
            r.exact(
                "breaker.trip",
                format!("WithFailureThreshold({failures}): {failures} failures in a row"),
            );
            chain.push(format!("WithFailureThreshold({failures})"));
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
            if failure_rate.is_none() {
                r.approx(
                    "breaker.trip.failure_rate",
                    "a rate threshold cannot be switched off: 1.0 (every call failed)",
                );
            }
            match window {
                WindowConfig::Time { ms: w, buckets } => {
                    // failsafe-go keeps 10 buckets and judges after every result
                    let same = *buckets == 10 && *check == CheckConfig::EveryCall;
                    r.line(
                        "breaker.trip",
                        if same && failure_rate.is_some() {
                            Status::Exact
                        } else {
                            Status::Approximated
                        },
                        format!(
                            "WithFailureRateThreshold({}, {min_calls}, {})",
                            num(rate),
                            ms(*w)
                        ),
                    );
                    chain.push(format!(
                        "WithFailureRateThreshold({}, {min_calls}, {})",
                        num(rate),
                        go(*w)
                    ));
                }
                WindowConfig::Count { calls } => {
                    let threshold = (rate * f64::from(*calls)).ceil().max(1.0) as u32;
                    r.approx(
                        "breaker.trip",
                        format!("WithFailureThresholdRatio({threshold}, {calls}): {threshold} failures among the last {calls} calls, with no minimum number of calls (not {min_calls})"),
                    );
                    chain.push(format!("WithFailureThresholdRatio({threshold}, {calls})"));
                }
            }
            if slow_call_ms.is_some() {
                r.missing(
                    "breaker.trip.slow_call_ms",
                    "no slow-call rule: only failures count",
                );
            }
        }
    }
    r.exact("breaker.open_ms", format!("WithDelay({})", ms(b.open_ms)));
    chain.push(format!("WithDelay({})", go(b.open_ms)));
    if b.open_multiplier != 1.0 {
        r.missing(
            "breaker.open_multiplier",
            "the snippet's delay does not grow (WithDelayFunc could)",
        );
        r.as_library.breaker.open_multiplier = 1.0;
    }
    let s = b.half_open_successes.unwrap_or(b.half_open_calls);
    r.exact(
        "breaker.half_open_calls",
        format!(
            "WithSuccessThresholdRatio({s}, {}): trials {}, successes to close {s}",
            b.half_open_calls, b.half_open_calls
        ),
    );
    chain.push(format!(
        "WithSuccessThresholdRatio({s}, {})",
        b.half_open_calls
    ));
    r.exact(
        "breaker.failure_on",
        "HandleIf: the snippet's predicate says which errors count",
    );
    chain.push("HandleIf(func(_ any, err error) bool { return err != nil })".into());
    chain.push("Build()".into());
    format!("breaker := {}\n", chain.join(".\n\t"))
}
