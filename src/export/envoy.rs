//! An Envoy route's `retry_policy` and its cluster's `retry_budget` (v3 API:
//! envoy.config.route.v3.RetryPolicy, envoy.config.cluster.v3.CircuitBreakers; the backoff
//! in source/common/common/backoff_strategy.cc, `JitteredExponentialBackOffStrategy`).
//!
//! `num_retries` counts retries (default 1); `per_try_timeout` bounds each attempt; the
//! route's `timeout` (default 15 s, 0 = none) covers the whole request, retries included.
//! Retry `k` waits `U[0, I_k)` with `I_1 = base_interval` and `I_{k+1} = 2·I_k` up to
//! `max_interval` (default 10 × base): herdsim's full jitter on an exponential ×2. (The
//! docs' `(2^k − 1)·base` is the older code's.) Without a `retry_budget` a cluster allows
//! 3 retries in flight at once (`max_retries`); a budget allows `budget_percent` of the
//! requests in flight, at least `min_retry_concurrency`.

use super::text::{num, proto};
use super::Report;
use crate::sim::scenario::config::BudgetConfig;
use crate::sim::scenario::config::{JitterConfig, ScheduleConfig};

/// Envoy's cap on retries when the policy has none.
const UNLIMITED: u32 = 10;

/// The route and the cluster's circuit breaker thresholds, as YAML.
pub fn export(r: &mut Report) -> String {
    let cfg = r.cfg;
    let p = &cfg.policy;
    let b = r.backoff().clone();
    let retries = match r.attempts() {
        Some(n) => {
            r.exact(
                "max_attempts",
                format!("num_retries {}: retries, so {n} attempts", n - 1),
            );
            n - 1
        }
        None => {
            r.approx(
                "max_attempts",
                format!("no unlimited form: num_retries {UNLIMITED}"),
            );
            r.as_library.policy.max_attempts = Some(UNLIMITED + 1);
            UNLIMITED
        }
    };
    let timeout = match p.deadline_ms {
        Some(d) => {
            r.exact(
                "deadline",
                "the route's timeout: the whole request, retries included",
            );
            proto(d)
        }
        None => {
            r.exact("deadline", "none: timeout 0s");
            r.warn("an Envoy route's timeout defaults to 15 s, retries included; the snippet sets 0s (none) to match the policy");
            "0s".to_string()
        }
    };
    let per_try = match p.timeout_ms {
        Some(t) => {
            r.exact("timeout", "per_try_timeout: each attempt");
            format!("    per_try_timeout: {}\n", proto(t))
        }
        None => {
            r.exact(
                "timeout",
                "none: no per_try_timeout (only the route's timeout)",
            );
            String::new()
        }
    };
    let (base, max) = match b.kind {
        ScheduleConfig::None => (1.0, 1.0),
        ScheduleConfig::Constant => (b.base_ms.max(1.0), b.base_ms.max(1.0)),
        _ => (b.base_ms.max(1.0), b.cap_ms.max(b.base_ms.max(1.0))),
    };
    let exact = match (b.kind, r.jitter()) {
        (ScheduleConfig::Exponential, JitterConfig::Full) => b.multiplier == 2.0,
        (ScheduleConfig::Constant, JitterConfig::Full) => true,
        _ => false,
    };
    if exact {
        r.exact("backoff", "base_interval doubling up to max_interval");
        r.exact("jitter", "full jitter: Envoy's own U[0, interval)");
    } else {
        r.approx(
            "backoff",
            "Envoy's backoff is fixed: an interval doubling from base_interval up to max_interval",
        );
        r.approx(
            "jitter",
            "Envoy's jitter is fixed: full jitter U[0, interval)",
        );
        let q = &mut r.as_library.policy;
        q.backoff.kind = if b.kind == ScheduleConfig::Constant {
            ScheduleConfig::Constant
        } else {
            ScheduleConfig::Exponential
        };
        q.backoff.base_ms = base;
        q.backoff.multiplier = 2.0;
        q.backoff.cap_ms = max;
        q.jitter = JitterConfig::Full;
    }
    r.plain_schedule_only();
    let on = &p.retry_on;
    let mut conditions = Vec::new();
    if on.error {
        conditions.push("5xx");
    } else {
        if on.refused {
            conditions.extend(["connect-failure", "refused-stream", "reset"]);
        }
        if on.timeout || on.rejected {
            conditions.push("gateway-error");
        }
    }
    let every = on.error && on.timeout && on.rejected && on.refused;
    let refused_only = on.refused && !on.error && !on.timeout && !on.rejected;
    if every || refused_only || conditions.is_empty() {
        r.exact(
            "retry_on",
            format!("\"{}\" for {}", conditions.join(","), r.retried()),
        );
    } else {
        r.approx(
            "retry_on",
            format!(
                "Envoy names conditions, not outcomes: \"{}\" retries a little more than {}",
                conditions.join(","),
                r.retried()
            ),
        );
    }
    let mut cluster = String::from("circuit_breakers:\n  thresholds:\n  - priority: DEFAULT\n");
    match &cfg.budget {
        BudgetConfig::Ratio { percent, .. } => {
            r.approx(
                "budget",
                format!("retry_budget: retries in flight at most {}% of the requests in flight (at least 3), not {}% of the requests of a time window", num(*percent), num(*percent)),
            );
            cluster += &format!(
                "    retry_budget:\n      budget_percent: {{ value: {} }}\n      min_retry_concurrency: 3\n",
                num(*percent)
            );
        }
        BudgetConfig::None => {
            cluster +=
                "    max_retries: 3 # the default: at most 3 retries in flight per cluster\n";
            r.warn("with no retry_budget, an Envoy cluster lets at most 3 retries be in flight at once (circuit_breakers max_retries): under load most retries are skipped, which the simulation does not do");
        }
        _ => r.no_budget(
            "Envoy's retry_budget (a share of the requests in flight) is nearest the ratio budget",
        ),
    }
    if r.has_breaker() {
        r.missing(
            "breaker",
            "Envoy's circuit_breakers are concurrency limits, not a closed/open/half-open breaker (outlier_detection ejects hosts instead)",
        );
        r.as_library.breaker.scope = crate::sim::scenario::config::BreakerScopeConfig::None;
    }
    r.warn("Envoy's circuit_breakers are limits on connections, requests and retries in flight, not a breaker that opens and closes");
    format!(
        "# herdsim policy \"{name}\" for {version}\n\
         # route (envoy.config.route.v3.Route)\n\
         route:\n  cluster: service\n  timeout: {timeout}\n  retry_policy:\n\
         \x20   retry_on: \"{on}\"\n\
         \x20   num_retries: {retries}\n{per_try}\
         \x20   retry_back_off:\n      base_interval: {base}\n      max_interval: {max}\n\
         ---\n# cluster (envoy.config.cluster.v3.Cluster)\n{cluster}",
        name = cfg.name,
        version = super::Library::Envoy.version(),
        on = conditions.join(","),
        base = proto(base),
        max = proto(max),
    )
}
