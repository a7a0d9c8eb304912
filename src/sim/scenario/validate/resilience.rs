//! Validation of circuit breakers and retry budgets, including the memory they need: a
//! breaker or budget per client can be large at a million clients, so a scenario whose
//! breakers and budgets would need more than [`MAX_GUARD_MB`] is refused with a message
//! rather than failing in the page.

use super::{after, Check};
use crate::sim::policy::breaker::{BreakerSpec, Breakers, FailureOn, Scope, Trip, Window};
use crate::sim::policy::budget::{BudgetKind, BudgetSpec};
use crate::sim::scenario::bounds as bd;
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
                c.whole("breaker.trip.failures", &bd::TRIP_FAILURES, *failures);
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
                        c.whole("breaker.trip.window.calls", &bd::WINDOW_CALLS, *calls);
                        Window::Count((*calls).clamp(1, 10_000))
                    }
                    WindowConfig::Time { ms, buckets } => {
                        let span = c.ms("breaker.trip.window.ms", &bd::WINDOW_MS, *ms);
                        c.whole("breaker.trip.window.buckets", &bd::WINDOW_BUCKETS, *buckets);
                        Window::Time {
                            span,
                            buckets: (*buckets).clamp(1, 1000),
                        }
                    }
                };
                c.whole("breaker.trip.min_calls", &bd::MIN_CALLS, *min_calls);
                let failure_rate =
                    failure_rate.map(|r| c.num("breaker.trip.failure_rate", &bd::FAILURE_RATE, r));
                let slow_call =
                    slow_call_ms.map(|t| c.ms("breaker.trip.slow_call_ms", &bd::SLOW_CALL, t));
                let slow_rate = c.num(
                    "breaker.trip.slow_call_rate",
                    &bd::SLOW_CALL_RATE,
                    *slow_call_rate,
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
        let open = c.ms("breaker.open_ms", &bd::OPEN, b.open_ms);
        let open_multiplier = c.num(
            "breaker.open_multiplier",
            &bd::OPEN_MULTIPLIER,
            b.open_multiplier,
        );
        let floor = after(&bd::OPEN, b.open_ms, |x| x);
        let open_max = c.ms(
            "breaker.open_max_ms",
            &bd::OPEN_MAX.narrowed_below(floor, true),
            b.open_max_ms,
        );
        let calls = b.half_open_calls;
        c.whole("breaker.half_open_calls", &bd::HALF_OPEN_CALLS, calls);
        let successes = b.half_open_successes.unwrap_or(calls);
        let top = after(&bd::HALF_OPEN_CALLS, f64::from(calls), |x| x);
        c.whole(
            "breaker.half_open_successes",
            &bd::HALF_OPEN_SUCCESSES.narrowed_above(top),
            successes,
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
        let cost = |c: &mut Check, path: &str, field: &bd::Field, v: f64| -> u8 {
            let ok = field.contains(v);
            c.num(path, field, v);
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
                    max: c.num("budget.max_tokens", &bd::MAX_TOKENS, *max_tokens),
                    ratio: c.num("budget.token_ratio", &bd::TOKEN_RATIO, *token_ratio),
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
                    capacity: c.num("budget.capacity", &bd::CAPACITY, *capacity),
                    retry_cost: cost(c, "budget.retry_cost", &bd::RETRY_COST, *retry_cost),
                    timeout_cost: cost(c, "budget.timeout_cost", &bd::TIMEOUT_COST, *timeout_cost),
                    throttling_cost: cost(
                        c,
                        "budget.throttling_cost",
                        &bd::THROTTLING_COST,
                        *throttling_cost,
                    ),
                    refund: c.num(
                        "budget.success_refund",
                        &bd::SUCCESS_REFUND,
                        *success_refund,
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
                    fraction: c.num("budget.percent", &bd::PERCENT, *percent) / 100.0,
                    min_per_s: c.num("budget.min_per_s", &bd::MIN_PER_S, *min_per_s),
                    ttl: c.ms("budget.ttl_ms", &bd::TTL, *ttl_ms),
                },
                scope,
            ),
            BudgetConfig::Adaptive {
                k,
                window_ms,
                scope,
            } => (
                BudgetKind::Adaptive {
                    k: c.num("budget.k", &bd::K, *k),
                    window: c.ms("budget.window_ms", &bd::THROTTLE_WINDOW, *window_ms),
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
