//! Python tenacity 9.1 (tenacity/wait.py, stop.py, __init__.py).
//!
//! The wait after attempt `n` (1-based) is computed with `attempt_number = n`:
//! `wait_exponential(multiplier, max, exp_base)` gives `multiplier · exp_base^(n−1)` up to
//! `max`, `wait_random_exponential` a uniform draw below it, `wait_incrementing(start,
//! increment, max)` `start + increment·(n−1)`; waits add up with `+`. So every stateless
//! herdsim jitter is a sum of a fixed part and a random part on the same schedule.
//! `stop_after_attempt(n)` counts the first call; the default stop is `stop_never`.

use super::text::{num, seconds};
use super::{additive, Report};
use crate::sim::scenario::config::{JitterConfig, ScheduleConfig};

/// The `@retry` decorator.
pub fn export(r: &mut Report) -> String {
    let cfg = r.cfg;
    let b = r.backoff().clone();
    let parts = additive(r.jitter());
    let (floor, spread) = match parts {
        Some(p) => {
            r.exact(
                "jitter",
                "a fixed part plus a uniform part on the same schedule, added with +",
            );
            p
        }
        None => {
            r.approx(
                "jitter",
                "no decorrelated jitter: wait_random_exponential, full jitter on the schedule",
            );
            r.as_library.policy.jitter = JitterConfig::Full;
            (0.0, 1.0)
        }
    };
    let exp = |k: f64, random: bool| {
        format!(
            "{}(multiplier={}, exp_base={}, max={})",
            if random {
                "wait_random_exponential"
            } else {
                "wait_exponential"
            },
            seconds(b.base_ms * k),
            num(b.multiplier),
            seconds(b.cap_ms * k)
        )
    };
    let mut waits = Vec::new();
    match b.kind {
        ScheduleConfig::None => {
            r.exact("backoff", "wait_none(): retry at once");
            waits.push("wait_none()".to_string());
        }
        ScheduleConfig::Constant => {
            r.exact("backoff", "wait_fixed (+ wait_random for the jitter)");
            if floor > 0.0 {
                waits.push(format!("wait_fixed({})", seconds(b.base_ms * floor)));
            }
            if spread > 0.0 {
                waits.push(format!("wait_random(0, {})", seconds(b.base_ms * spread)));
            }
        }
        ScheduleConfig::Linear if spread > 0.0 => {
            // no random incrementing wait: any callable of the retry state is a wait
            r.exact(
                "backoff",
                "a wait callable: min(cap, base · n) times the jitter's factor (tenacity takes any callable as wait)",
            );
            waits.push(format!(
                "(lambda rs: min({}, {} * rs.attempt_number) * ({} + {} * random.random()))",
                seconds(b.cap_ms),
                seconds(b.base_ms),
                num(floor),
                num(spread)
            ));
        }
        ScheduleConfig::Linear => {
            r.exact("backoff", "wait_incrementing(start, increment, max)");
            waits.push(format!(
                "wait_incrementing(start={s}, increment={s}, max={})",
                seconds(b.cap_ms * floor),
                s = seconds(b.base_ms * floor)
            ));
        }
        ScheduleConfig::Exponential => {
            r.exact(
                "backoff",
                "wait_exponential / wait_random_exponential: multiplier · exp_base^(n−1), capped",
            );
            if floor > 0.0 {
                waits.push(exp(floor, false));
            }
            if spread > 0.0 {
                waits.push(exp(spread, true));
            }
        }
    }
    if waits.is_empty() {
        waits.push("wait_none()".into());
    }
    r.plain_schedule_only();
    let mut stops = Vec::new();
    match r.attempts() {
        Some(n) => {
            r.exact(
                "max_attempts",
                format!("stop_after_attempt({n}): attempts, the first included"),
            );
            stops.push(format!("stop_after_attempt({n})"));
        }
        None => r.exact("max_attempts", "no limit"),
    }
    match cfg.policy.deadline_ms {
        Some(d) => {
            r.approx(
                "deadline",
                "stop_before_delay: no retry starts whose sleep would end past it, but an attempt in flight is not cut off",
            );
            stops.push(format!("stop_before_delay({})", seconds(d)));
        }
        None => r.exact("deadline", "none"),
    }
    if stops.is_empty() {
        stops.push("stop_never".into());
        r.warn("tenacity's default stop is stop_never: with no attempt limit or deadline, it retries forever");
    }
    let timeout = match cfg.policy.timeout_ms {
        Some(t) => {
            r.exact(
                "timeout",
                "tenacity has none: the call sets it (requests' timeout=, asyncio.timeout), as the snippet shows",
            );
            format!(
                "    # each attempt: requests.get(url, timeout={})\n",
                seconds(t)
            )
        }
        None => {
            r.exact("timeout", "none: each attempt waits as long as it takes");
            String::new()
        }
    };
    r.exact(
        "retry_on",
        format!(
            "retry_if_exception_type: list the exceptions of {}",
            r.retried()
        ),
    );
    r.warn(
        "tenacity's default retry is any exception: name the ones to retry, as the snippet does",
    );
    r.no_breaker("pybreaker or purgatory, around the call, are the usual Python breakers");
    r.no_budget("nothing in tenacity limits retries across calls");
    format!(
        "# herdsim policy \"{name}\" for {version}\n\
         import random\n\
         from tenacity import (retry, retry_if_exception_type, stop_after_attempt, stop_before_delay,\n\
         \x20                     stop_never, wait_exponential, wait_fixed, wait_incrementing, wait_none,\n\
         \x20                     wait_random, wait_random_exponential)\n\n\
         @retry(\n\
         \x20   stop={stop},\n\
         \x20   wait={wait},\n\
         \x20   retry=retry_if_exception_type((ConnectionError, TimeoutError)),  # {retried}\n\
         \x20   reraise=True,\n)\n\
         def call():\n{timeout}\
         \x20   ...\n",
        name = cfg.name,
        version = super::Library::Tenacity.version(),
        stop = stops.join(" | "),
        wait = waits.join(" + "),
        retried = r.retried(),
    )
}
