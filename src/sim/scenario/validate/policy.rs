//! Validation of the client policy: timeouts, attempts, backoff and jitter, circuit
//! breakers and retry budgets.

use super::{Bound, Check, MAX_DELAY_MS, MAX_DURATION_MS};
use crate::sim::policy::backoff::{Backoff, Jitter, Schedule};
use crate::sim::scenario::config::*;
use crate::sim::scenario::*;

impl ScenarioConfig {
    pub(super) fn policy_typed(&self, c: &mut Check) -> Policy {
        let p = &self.policy;
        let timeout = p
            .timeout_ms
            .map(|t| c.ms("policy.timeout_ms", t, Bound::Above(0.0), MAX_DELAY_MS));
        let deadline = p
            .deadline_ms
            .map(|t| c.ms("policy.deadline_ms", t, Bound::Above(0.0), MAX_DURATION_MS));
        if let Some(n) = p.max_attempts {
            c.ok(
                "policy.max_attempts",
                n,
                (1..=1_000_000).contains(&n),
                "1..=1000000, or null for unlimited",
            );
        }
        let b = &p.backoff;
        let base = c.ms(
            "policy.backoff.base_ms",
            b.base_ms,
            Bound::AtLeast(0.0),
            MAX_DELAY_MS,
        );
        let multiplier = c.num(
            "policy.backoff.multiplier",
            b.multiplier,
            Bound::AtLeast(1.0),
            100.0,
        );
        let cap = c.ms(
            "policy.backoff.cap_ms",
            b.cap_ms,
            Bound::AtLeast(b.base_ms.max(0.0)),
            MAX_DELAY_MS,
        );
        let jitter = match p.jitter {
            JitterConfig::None => Jitter::None,
            JitterConfig::Full => Jitter::Full,
            JitterConfig::Equal => Jitter::Equal,
            JitterConfig::Decorrelated => {
                if base == 0 {
                    c.ok(
                        "policy.backoff.base_ms",
                        0,
                        false,
                        "more than 0 with decorrelated jitter",
                    );
                }
                Jitter::Decorrelated
            }
            JitterConfig::Proportional { factor } => Jitter::Proportional(c.num(
                "policy.jitter.factor",
                factor,
                Bound::AtLeast(0.0),
                1.0,
            )),
            JitterConfig::Multiplier { min, max } => {
                let lo = c.num("policy.jitter.min", min, Bound::AtLeast(0.0), 10.0);
                let hi = c.num("policy.jitter.max", max, Bound::AtLeast(min.max(0.0)), 10.0);
                Jitter::Multiplier(lo, hi.max(lo))
            }
            JitterConfig::DecorrelatedV2 => Jitter::DecorrelatedV2,
        };
        let throttle_base = b.throttle_base_ms.map(|t| {
            c.ms(
                "policy.backoff.throttle_base_ms",
                t,
                Bound::AtLeast(0.0),
                MAX_DELAY_MS,
            )
        });
        let schedule = match b.kind {
            ScheduleConfig::None => Schedule::None,
            ScheduleConfig::Constant => Schedule::Constant,
            ScheduleConfig::Linear => Schedule::Linear,
            ScheduleConfig::Exponential => Schedule::Exponential,
        };
        let r = p.retry_on;
        Policy {
            timeout,
            deadline,
            max_attempts: p.max_attempts.unwrap_or(u32::MAX),
            retry_on: RetryOn {
                error: r.error,
                timeout: r.timeout,
                rejected: r.rejected,
                refused: r.refused,
                breaker_open: r.breaker_open,
            },
            backoff: Backoff {
                schedule,
                base,
                multiplier,
                cap,
                jitter,
                throttle_base,
                immediate_first: b.immediate_first,
            },
        }
    }
}
