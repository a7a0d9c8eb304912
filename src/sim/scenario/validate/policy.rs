//! Validation of the client policy: timeouts, attempts, backoff and jitter, circuit
//! breakers and retry budgets.

use super::{after, Check};
use crate::sim::policy::backoff::{Backoff, Jitter, Schedule};
use crate::sim::scenario::bounds as bd;
use crate::sim::scenario::config::*;
use crate::sim::scenario::*;

impl ScenarioConfig {
    pub(super) fn policy_typed(&self, c: &mut Check) -> Policy {
        let p = &self.policy;
        let timeout = p
            .timeout_ms
            .map(|t| c.ms("policy.timeout_ms", &bd::TIMEOUT, t));
        let deadline = p
            .deadline_ms
            .map(|t| c.ms("policy.deadline_ms", &bd::DEADLINE, t));
        if let Some(n) = p.max_attempts {
            c.whole("policy.max_attempts", &bd::MAX_ATTEMPTS, n);
        }
        let b = &p.backoff;
        let base = c.ms("policy.backoff.base_ms", &bd::BASE, b.base_ms);
        let multiplier = c.num("policy.backoff.multiplier", &bd::MULTIPLIER, b.multiplier);
        let floor = after(&bd::BASE, b.base_ms, |x| x);
        let cap = c.ms(
            "policy.backoff.cap_ms",
            &bd::CAP.narrowed_below(floor, true),
            b.cap_ms,
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
            JitterConfig::Proportional { factor } => {
                Jitter::Proportional(c.num("policy.jitter.factor", &bd::JITTER_FACTOR, factor))
            }
            JitterConfig::Multiplier { min, max } => {
                let lo = c.num("policy.jitter.min", &bd::JITTER_MIN, min);
                let floor = after(&bd::JITTER_MIN, min, |x| x);
                let hi = c.num(
                    "policy.jitter.max",
                    &bd::JITTER_MAX.narrowed_below(floor, true),
                    max,
                );
                Jitter::Multiplier(lo, hi.max(lo))
            }
            JitterConfig::DecorrelatedV2 => Jitter::DecorrelatedV2,
        };
        let throttle_base = b
            .throttle_base_ms
            .map(|t| c.ms("policy.backoff.throttle_base_ms", &bd::THROTTLE_BASE, t));
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
