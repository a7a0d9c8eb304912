//! Go `github.com/cenkalti/backoff`, v4.3.0 and v5.0.3 (exponential.go, retry.go, tries.go).
//!
//! `ExponentialBackOff` randomises the current interval `i` as `U(i·(1 − f), i·(1 + f))`
//! (`RandomizationFactor` f, not validated: 1 is accepted), then multiplies it by
//! `Multiplier` up to `MaxInterval`; the cap applies before randomising, as herdsim's
//! proportional jitter does. v4: `WithMaxRetries(b, n)` is n retries, and
//! `MaxElapsedTime` (default 15 min, 0 = never) stops when elapsed + next sleep would pass
//! it. v5: `Retry(ctx, op, WithBackOff(b), WithMaxTries(n), WithMaxElapsedTime(d))`,
//! `WithMaxTries` counting every attempt (0 = no limit) and the 15 min default moved into
//! `Retry`.

use super::text::{go, num};
use super::{around, Report};
use crate::sim::scenario::config::ScheduleConfig;

/// The `ExponentialBackOff` fields for the policy's schedule and jitter, reported.
fn exponential(r: &mut Report) -> String {
    let b = r.backoff().clone();
    let a = around(r.jitter(), 1.0);
    let (base, mult, cap) = match b.kind {
        ScheduleConfig::None => (0.0, 1.0, 0.0),
        ScheduleConfig::Constant => (b.base_ms, 1.0, b.base_ms),
        ScheduleConfig::Linear => (b.base_ms, 2.0, b.cap_ms),
        ScheduleConfig::Exponential => (b.base_ms, b.multiplier, b.cap_ms),
    };
    let (init, max) = (base * a.scale, cap * a.scale);
    match b.kind {
        ScheduleConfig::Linear => r.linear_as_doubling(),
        _ => r.exact(
            "backoff",
            "InitialInterval, Multiplier and MaxInterval give the same schedule",
        ),
    }
    r.jitter_around(&a);
    r.plain_schedule_only();
    format!(
        "\tb.InitialInterval = {}\n\tb.RandomizationFactor = {}\n\tb.Multiplier = {}\n\tb.MaxInterval = {}\n",
        go(init),
        num(a.factor),
        num(mult),
        go(max)
    )
}

/// The per-attempt timeout and the retried outcomes, which live in the operation.
fn operation(r: &mut Report) -> String {
    let mut out = String::new();
    match r.cfg.policy.timeout_ms {
        Some(t) => {
            r.exact(
                "timeout",
                "the library has none: the operation sets it on its context, as the snippet does",
            );
            out += &format!(
                "\t\tctx, cancel := context.WithTimeout(ctx, {}) // per attempt\n\t\tdefer cancel()\n",
                go(t)
            );
        }
        None => r.exact("timeout", "none: each attempt waits as long as it takes"),
    }
    r.exact(
        "retry_on",
        format!(
            "the operation decides: it returns backoff.Permanent(err) for anything but {}",
            r.retried()
        ),
    );
    out
}

/// The breaker and the budget, which cenkalti has not.
fn not_here(r: &mut Report) {
    r.no_breaker("export it with gobreaker or failsafe-go");
    r.no_budget("nothing in cenkalti limits retries across requests");
}

/// v4.3.0.
pub fn v4(r: &mut Report) -> String {
    let fields = exponential(r);
    let op = operation(r);
    let (wrap, attempts) = match r.attempts() {
        Some(n) => {
            r.exact(
                "max_attempts",
                format!("WithMaxRetries(b, {}): retries, so {n} attempts", n - 1),
            );
            (
                format!("backoff.WithMaxRetries(b, {})", n - 1),
                format!("{n} attempts"),
            )
        }
        None => {
            r.exact("max_attempts", "no limit: no WithMaxRetries");
            ("b".to_string(), "no attempt limit".to_string())
        }
    };
    let elapsed = match r.cfg.policy.deadline_ms {
        Some(d) => {
            r.approx(
                "deadline",
                format!(
                    "MaxElapsedTime {}: no retry starts whose sleep would end past it, but an attempt in flight is not cut off (the operation's context can do that)",
                    super::text::ms(d)
                ),
            );
            format!("\tb.MaxElapsedTime = {}\n", go(d))
        }
        None => {
            r.exact("deadline", "none: MaxElapsedTime = 0 (never stops)");
            r.warn("cenkalti/backoff v4's MaxElapsedTime defaults to 15 minutes, after which Retry gives up; the snippet sets 0 (no limit) to match the policy");
            "\tb.MaxElapsedTime = 0 // the default, 15 minutes, would give up after 15 min\n"
                .to_string()
        }
    };
    if r.attempts().is_none() && !r.has_budget() {
        r.warn("with no attempt limit and no budget, every client retries until it succeeds: an outage becomes a retry storm");
    }
    not_here(r);
    let body = format!(
        "func retry(ctx context.Context, call func(context.Context) error) error {{\n\
         \tb := backoff.NewExponentialBackOff()\n{fields}{elapsed}\
         \treturn backoff.Retry(func() error {{\n{op}\
         \t\treturn call(ctx) // return backoff.Permanent(err) for errors not to retry\n\
         \t}}, backoff.WithContext({wrap}, ctx))\n}}\n"
    );
    super::go_file(
        &format!(
            "// herdsim policy \"{}\" ({attempts}) for {}",
            r.cfg.name,
            super::Library::CenkaltiV4.version()
        ),
        &["github.com/cenkalti/backoff/v4"],
        &body,
    )
}

/// v5.0.3.
pub fn v5(r: &mut Report) -> String {
    let fields = exponential(r);
    let op = operation(r);
    let mut opts = vec!["backoff.WithBackOff(b)".to_string()];
    let attempts = match r.attempts() {
        Some(n) => {
            r.exact(
                "max_attempts",
                format!("WithMaxTries({n}): every attempt, the first included"),
            );
            opts.push(format!("backoff.WithMaxTries({n})"));
            format!("{n} attempts")
        }
        None => {
            r.exact("max_attempts", "no limit: no WithMaxTries");
            "no attempt limit".to_string()
        }
    };
    match r.cfg.policy.deadline_ms {
        Some(d) => {
            r.approx(
                "deadline",
                format!(
                    "WithMaxElapsedTime({}): no retry starts whose sleep would end past it, but an attempt in flight is not cut off (the operation's context can do that)",
                    super::text::ms(d)
                ),
            );
            opts.push(format!("backoff.WithMaxElapsedTime({})", go(d)));
        }
        None => {
            r.exact("deadline", "none: WithMaxElapsedTime(0) (never stops)");
            r.warn("cenkalti/backoff v5's Retry gives up after 15 minutes (DefaultMaxElapsedTime) unless told otherwise; the snippet passes WithMaxElapsedTime(0) to match the policy");
            opts.push("backoff.WithMaxElapsedTime(0)".into());
        }
    }
    if r.attempts().is_none() && !r.has_budget() {
        r.warn("with no attempt limit and no budget, every client retries until it succeeds: an outage becomes a retry storm");
    }
    not_here(r);
    let body = format!(
        "func retry[T any](ctx context.Context, call func(context.Context) (T, error)) (T, error) {{\n\
         \tb := backoff.NewExponentialBackOff()\n{fields}\
         \treturn backoff.Retry(ctx, func() (T, error) {{\n{op}\
         \t\treturn call(ctx) // return backoff.Permanent(err) for errors not to retry\n\
         \t}},\n\t\t{})\n}}\n",
        opts.join(",\n\t\t")
    );
    super::go_file(
        &format!(
            "// herdsim policy \"{}\" ({attempts}) for {}",
            r.cfg.name,
            super::Library::CenkaltiV5.version()
        ),
        &["github.com/cenkalti/backoff/v5"],
        &body,
    )
}
