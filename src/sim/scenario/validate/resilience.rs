//! Validation of circuit breakers and retry budgets, including the memory they need: a
//! breaker or budget per client can be large at a million clients, so a scenario whose
//! breakers and budgets would need more than [`MAX_GUARD_MB`] is refused with a message
//! rather than failing in the page.

use super::{Bound, Check, MAX_DELAY_MS};
use crate::sim::policy::breaker::{BreakerSpec, Breakers, FailureOn, Scope, Trip, Window};
use crate::sim::policy::budget::{BudgetKind, BudgetSpec};
use crate::sim::scenario::config::*;

/// Most memory breakers and budgets together may take (MB).
pub const MAX_GUARD_MB: usize = 256;

impl ScenarioConfig {
    /// The typed breaker, if any.
    pub(super) fn breaker_typed(&self, c: &mut Check) -> Option<BreakerSpec> {
        let b = &self.breaker;
        let scope = match b.scope {
            BreakerScopeConfig::None => return None,
            BreakerScopeConfig::PerService => Scope::PerService,
            BreakerScopeConfig::Global => Scope::Global,
            BreakerScopeConfig::SharedPerService => Scope::SharedPerService,
            BreakerScopeConfig::SharedGlobal => Scope::SharedGlobal,
        };
        if self.workload == WorkloadConfig::Occ {
            c.ok("breaker.scope", "on", false, "none with the occ workload");
        }
        let trip = match &b.trip {
            TripConfig::Consecutive { failures } => {
                c.whole("breaker.trip.failures", *failures, 1, 1_000_000);
                Trip::Consecutive(*failures)
            }
            TripConfig::Rate {
                window,
                min_calls,
                failure_rate,
                slow_call_ms,
                slow_call_rate,
                check,
            } => {
                let window = match window {
                    WindowConfig::Count { calls } => {
                        c.whole("breaker.trip.window.calls", *calls, 1, 10_000);
                        Window::Count((*calls).clamp(1, 10_000))
                    }
                    WindowConfig::Time { ms, buckets } => {
                        let span = c.ms(
                            "breaker.trip.window.ms",
                            *ms,
                            Bound::AtLeast(1.0),
                            MAX_DELAY_MS,
                        );
                        c.whole("breaker.trip.window.buckets", *buckets, 1, 1000);
                        Window::Time {
                            span,
                            buckets: (*buckets).clamp(1, 1000),
                        }
                    }
                };
                c.whole("breaker.trip.min_calls", *min_calls, 1, 1_000_000);
                let failure_rate = failure_rate
                    .map(|r| c.num("breaker.trip.failure_rate", r, Bound::AtLeast(0.0), 1.0));
                let slow_call = slow_call_ms.map(|t| {
                    c.ms(
                        "breaker.trip.slow_call_ms",
                        t,
                        Bound::AtLeast(0.0),
                        MAX_DELAY_MS,
                    )
                });
                let slow_rate = c.num(
                    "breaker.trip.slow_call_rate",
                    *slow_call_rate,
                    Bound::AtLeast(0.0),
                    1.0,
                );
                if failure_rate.is_none() && slow_call.is_none() {
                    c.ok(
                        "breaker.trip.failure_rate",
                        "null",
                        false,
                        "a rate in 0..=1 (or a slow_call_ms)",
                    );
                }
                Trip::Rate {
                    window,
                    min_calls: *min_calls,
                    failure_rate,
                    slow_call,
                    slow_rate,
                    on_failure_only: *check == CheckConfig::OnFailure,
                }
            }
        };
        let open = c.ms(
            "breaker.open_ms",
            b.open_ms,
            Bound::Above(0.0),
            MAX_DELAY_MS,
        );
        let open_multiplier = c.num(
            "breaker.open_multiplier",
            b.open_multiplier,
            Bound::AtLeast(1.0),
            100.0,
        );
        let open_max = c.ms(
            "breaker.open_max_ms",
            b.open_max_ms,
            Bound::AtLeast(b.open_ms.max(0.0)),
            MAX_DELAY_MS,
        );
        let calls = b.half_open_calls;
        c.whole("breaker.half_open_calls", calls, 1, 10_000);
        let successes = b.half_open_successes.unwrap_or(calls);
        c.ok(
            "breaker.half_open_successes",
            successes,
            (1..=calls.max(1)).contains(&successes),
            format!(
                "1..={} (breaker.half_open_calls), or null for all",
                calls.max(1)
            ),
        );
        let f = b.failure_on;
        let spec = BreakerSpec {
            scope,
            trip,
            open,
            open_multiplier,
            open_max,
            half_open_calls: calls.clamp(1, 10_000),
            half_open_successes: successes.clamp(1, calls.clamp(1, 10_000)),
            failure_on: FailureOn {
                timeout: f.timeout,
                error: f.error,
                rejected: f.rejected,
                refused: f.refused,
            },
        };
        Some(spec)
    }

    /// The typed budget, if any.
    pub(super) fn budget_typed(&self, c: &mut Check) -> Option<BudgetSpec> {
        let cost = |c: &mut Check, path: &str, v: f64| -> u8 {
            let ok = (0.0..=255.0).contains(&v) && v.fract() == 0.0;
            c.ok(path, super::fmt_num(v), ok, "a whole number 0..=255");
            if ok {
                v as u8
            } else {
                0
            }
        };
        let (kind, scope) = match &self.budget {
            BudgetConfig::None => return None,
            BudgetConfig::Grpc {
                max_tokens,
                token_ratio,
                scope,
            } => (
                BudgetKind::Grpc {
                    max: c.num(
                        "budget.max_tokens",
                        *max_tokens,
                        Bound::AtLeast(1.0),
                        1000.0,
                    ),
                    ratio: c.num(
                        "budget.token_ratio",
                        *token_ratio,
                        Bound::AtLeast(0.001),
                        1.0,
                    ),
                },
                scope,
            ),
            BudgetConfig::Aws {
                capacity,
                retry_cost,
                timeout_cost,
                throttling_cost,
                success_refund,
                scope,
            } => (
                BudgetKind::Aws {
                    capacity: c.num("budget.capacity", *capacity, Bound::AtLeast(0.0), 1e6),
                    retry_cost: cost(c, "budget.retry_cost", *retry_cost),
                    timeout_cost: cost(c, "budget.timeout_cost", *timeout_cost),
                    throttling_cost: cost(c, "budget.throttling_cost", *throttling_cost),
                    refund: c.num(
                        "budget.success_refund",
                        *success_refund,
                        Bound::AtLeast(0.0),
                        1e6,
                    ),
                },
                scope,
            ),
            BudgetConfig::Ratio {
                percent,
                min_per_s,
                ttl_ms,
                scope,
            } => (
                BudgetKind::Ratio {
                    fraction: c.num("budget.percent", *percent, Bound::Above(0.0), 1000.0) / 100.0,
                    min_per_s: c.num("budget.min_per_s", *min_per_s, Bound::AtLeast(0.0), 1e6),
                    ttl: c.ms("budget.ttl_ms", *ttl_ms, Bound::AtLeast(1000.0), 60_000.0),
                },
                scope,
            ),
            BudgetConfig::Adaptive {
                k,
                window_ms,
                scope,
            } => (
                BudgetKind::Adaptive {
                    k: c.num("budget.k", *k, Bound::AtLeast(1.0), 100.0),
                    window: c.ms(
                        "budget.window_ms",
                        *window_ms,
                        Bound::AtLeast(10.0),
                        MAX_DELAY_MS,
                    ),
                },
                scope,
            ),
        };
        if self.workload == WorkloadConfig::Occ {
            c.ok("budget.type", "set", false, "none with the occ workload");
        }
        Some(BudgetSpec {
            kind,
            per_client: *scope == BudgetScopeConfig::PerClient,
        })
    }

    /// Refuse breakers and budgets that would not fit in memory.
    pub(super) fn check_guard_memory(
        &self,
        c: &mut Check,
        services: usize,
        breaker: &Option<BreakerSpec>,
        budget: &Option<BudgetSpec>,
    ) {
        let n = self.clients.count;
        let b = breaker.map_or(0, |s| Breakers::bytes_for(&s, s.scope.count(n, services)));
        let g = budget.map_or(0, |s| s.bytes_for(s.count(n, services)));
        let mb = (b + g).div_ceil(1 << 20);
        if mb > MAX_GUARD_MB {
            c.ok(
                "breaker.scope",
                format!(
                    "{} with {n} clients",
                    serde_json::to_string(&self.breaker.scope).unwrap_or_default()
                ),
                false,
                format!(
                    "breakers and budgets that fit in {MAX_GUARD_MB} MB (these need {mb} MB): fewer clients, a shared scope or a smaller window"
                ),
            );
        }
    }
}
