//! Lints: a policy's known mistakes, each with the fields it names, why it matters and
//! where that is written down. [`lints`] returns only those that apply.

use serde::Serialize;

use crate::sim::policy::backoff::Jitter;
use crate::sim::scenario::Scenario;
use crate::tune::analysis::p999;
use crate::units::duration_ms;

/// The outage a breaker is measured against when the scenario has no fault window: the
/// fault suite's short outage (ms).
pub const TYPICAL_OUTAGE_MS: f64 = 10_000.0;

/// Which mistake.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LintId {
    /// No jitter on a schedule many clients share.
    NoJitter,
    /// No per-attempt timeout.
    NoTimeout,
    /// A timeout shorter than a service's p99.9.
    TimeoutBelowP999,
    /// Retries at more than one layer.
    RetriesAtSeveralLayers,
    /// Unlimited attempts and no budget.
    UnboundedAttempts,
    /// A breaker whose open time is shorter than the typical outage.
    BreakerOpenShorterThanOutage,
    /// Retrying calls the breaker rejected.
    RetryOnBreakerOpen,
}

impl LintId {
    /// Every lint, in the order [`lints`] lists them.
    pub const ALL: [LintId; 7] = [
        LintId::NoJitter,
        LintId::NoTimeout,
        LintId::TimeoutBelowP999,
        LintId::RetriesAtSeveralLayers,
        LintId::UnboundedAttempts,
        LintId::BreakerOpenShorterThanOutage,
        LintId::RetryOnBreakerOpen,
    ];

    /// Its name, as in JSON (`no-jitter`).
    pub fn name(self) -> &'static str {
        match self {
            LintId::NoJitter => "no-jitter",
            LintId::NoTimeout => "no-timeout",
            LintId::TimeoutBelowP999 => "timeout-below-p999",
            LintId::RetriesAtSeveralLayers => "retries-at-several-layers",
            LintId::UnboundedAttempts => "unbounded-attempts",
            LintId::BreakerOpenShorterThanOutage => "breaker-open-shorter-than-outage",
            LintId::RetryOnBreakerOpen => "retry-on-breaker-open",
        }
    }

    /// Why it matters, in a sentence or two.
    pub fn reason(self) -> &'static str {
        match self {
            LintId::NoJitter => "Clients that fail together and back off by the same schedule retry together: each retry is a wave as large as the first, and a service just back from an outage is knocked down again. Jitter spreads them out.",
            LintId::NoTimeout => "An attempt to a service that hangs never ends: the request waits, holds its resources, and is never retried; under a black hole every client gets stuck.",
            LintId::TimeoutBelowP999 => "A timeout shorter than the p99.9 of a healthy attempt times out at least 0.1% of good attempts and retries them, adding load for nothing; pick the timeout from the latency distribution and an acceptable false-timeout rate.",
            LintId::RetriesAtSeveralLayers => "When each layer of a call chain retries, the attempts multiply: with N attempts at each of L layers one request at the top becomes N^L at the bottom, just when the bottom is failing.",
            LintId::UnboundedAttempts => "Without a cap on attempts or a retry budget, every failing request keeps retrying for as long as it may: amplification is bounded only by time, and an outage becomes a retry storm.",
            LintId::BreakerOpenShorterThanOutage => "An open time shorter than the outage lets the breaker half-open into it again and again: each time trial calls go out, fail, and it opens once more, so the service keeps getting load while it is down.",
            LintId::RetryOnBreakerOpen => "A call the breaker rejected says the service is known to be failing: retrying it spends attempts (and backoff time) on rejections and keeps the client knocking while the breaker is meant to give the service a rest.",
        }
    }

    /// Where that is written down.
    pub fn source(self) -> &'static str {
        match self {
            LintId::NoJitter => "AWS Architecture Blog, Marc Brooker, \"Exponential Backoff And Jitter\" (2015)",
            LintId::NoTimeout => "Amazon Builders' Library, Marc Brooker, \"Timeouts, retries, and backoff with jitter\" (2019); Google SRE book, chapter 22 \"Addressing Cascading Failures\" (deadlines)",
            LintId::TimeoutBelowP999 => "Amazon Builders' Library, \"Timeouts, retries, and backoff with jitter\" (2019): choose an acceptable false-timeout rate such as 0.1% and use the downstream's p99.9",
            LintId::RetriesAtSeveralLayers => "Google SRE book, chapter 22 \"Addressing Cascading Failures\" (retries at multiple levels amplify); Amazon Builders' Library, \"Timeouts, retries, and backoff with jitter\" (retry at a single point in the stack)",
            LintId::UnboundedAttempts => "gRFC A6 \"gRPC Retry Design\" (maxAttempts is required and capped at 5; retry throttling); Google SRE book, chapter 21 \"Handling Overload\" (a per-request retry limit of 3 and a per-client retry budget)",
            LintId::BreakerOpenShorterThanOutage => "Microsoft Azure Architecture Center, \"Circuit Breaker pattern\" (the open timeout should match the expected recovery time); resilience4j CircuitBreaker docs (waitDurationInOpenState, exponential backoff of the wait)",
            LintId::RetryOnBreakerOpen => "Microsoft Azure Architecture Center, \"Retry pattern\" and \"Circuit Breaker pattern\" (retry logic should stop when the breaker says the fault is not transient); Polly v8 docs (a retry outside the breaker sees BrokenCircuitException, retried unless ShouldHandle excludes it)",
        }
    }
}

/// One lint that applies.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Lint {
    /// Which one.
    pub id: LintId,
    /// What is wrong here, naming the fields and their values.
    pub message: String,
    /// Why it matters.
    pub reason: &'static str,
    /// Where that is written down.
    pub source: &'static str,
}

fn lint(id: LintId, message: String) -> Lint {
    Lint {
        id,
        message,
        reason: id.reason(),
        source: id.source(),
    }
}

/// A duration in µs, as people read it.
fn us(x: f64) -> String {
    duration_ms(x / 1000.0)
}

/// Every lint that applies to `sc`, whose policy runs at `layers` layers of a call chain
/// (1: only here), in the order of [`LintId::ALL`].
pub fn lints(sc: &Scenario, layers: u32) -> Vec<Lint> {
    let p = sc.policy();
    let retries = p.max_attempts > 1 && {
        let r = p.retry_on;
        r.error || r.timeout || r.rejected || r.refused || r.breaker_open
    };
    let attempts = if p.max_attempts == u32::MAX {
        "unlimited".to_string()
    } else {
        p.max_attempts.to_string()
    };
    let mut out = Vec::new();
    let clients = sc.clients().count;
    let flat = match p.backoff.jitter {
        Jitter::None => Some("none"),
        Jitter::Proportional(0.0) => Some("proportional with factor 0"),
        Jitter::Multiplier(a, b) if a == b => Some("a multiplier with min = max"),
        _ => None,
    };
    if let (Some(how), true, true) = (flat, retries, clients > 1) {
        out.push(lint(
            LintId::NoJitter,
            format!(
                "policy.jitter is {how}: the {} clients (clients.count) share one \
                 policy.backoff schedule and, after a common failure, retry at the same \
                 moments",
                crate::units::count(u64::from(clients))
            ),
        ));
    }
    if p.timeout.is_none() {
        let end = match p.deadline {
            Some(d) => format!(
                "only policy.deadline_ms ({}) ends a hung attempt, and then it is not retried",
                us(d as f64)
            ),
            None => "and there is no policy.deadline_ms: a hung attempt waits forever".into(),
        };
        out.push(lint(
            LintId::NoTimeout,
            format!("policy.timeout_ms is null (no per-attempt timeout): {end}"),
        ));
    }
    if let Some(t) = p.timeout {
        for s in sc.services() {
            let rtt = 2.0
                * match s.network {
                    crate::sim::random::dist::Dist::Constant(v) => v as f64,
                    crate::sim::random::dist::Dist::Uniform(lo, _) => lo as f64,
                    _ => 0.0,
                };
            let q = p999(&s.service_time) + rtt;
            if (t as f64) < q {
                out.push(lint(
                    LintId::TimeoutBelowP999,
                    format!(
                        "policy.timeout_ms ({}) is shorter than the p99.9 of a healthy attempt \
                         to service {} (at least {}: its service time's p99.9 plus the \
                         shortest round trip, before any queueing)",
                        us(t as f64),
                        s.name,
                        us(q)
                    ),
                ));
            }
        }
    }
    if layers > 1 && retries {
        let total = if p.max_attempts == u32::MAX {
            "without bound".to_string()
        } else {
            let n = libm::pow(f64::from(p.max_attempts), f64::from(layers));
            format!("up to {} attempts", crate::units::sig3(n))
        };
        out.push(lint(
            LintId::RetriesAtSeveralLayers,
            format!(
                "{layers} layers each retry with policy.max_attempts = {attempts}: one request \
                 at the top sends {total} to the bottom"
            ),
        ));
    }
    if p.max_attempts == u32::MAX && retries && sc.budget().is_none() {
        let bound = match p.deadline {
            Some(d) => format!(
                "only policy.deadline_ms ({}) stops a request's retries",
                us(d as f64)
            ),
            None => "nothing but success stops a request's retries".into(),
        };
        out.push(lint(
            LintId::UnboundedAttempts,
            format!("policy.max_attempts is null (unlimited) and budget is none: {bound}"),
        ));
    }
    if let Some(b) = sc.breaker() {
        let longest = if b.open_multiplier > 1.0 {
            b.open_max.max(b.open)
        } else {
            b.open
        } as f64;
        let (outage, whose) = match sc
            .faults()
            .map(|f| (f.end - f.start) as f64)
            .reduce(f64::max)
        {
            Some(o) => (o, "the scenario's longest fault window"),
            None => (TYPICAL_OUTAGE_MS * 1000.0, "the fault suite's short outage"),
        };
        if longest < outage {
            let what = if b.open_multiplier > 1.0 {
                format!(
                    "breaker.open_max_ms ({}), the longest breaker.open_ms grows to,",
                    us(longest)
                )
            } else {
                format!("breaker.open_ms ({})", us(longest))
            };
            out.push(lint(
                LintId::BreakerOpenShorterThanOutage,
                format!(
                    "{what} is shorter than the typical outage ({}: {whose}): the breaker \
                     half-opens into the outage and sends trial calls that fail",
                    us(outage)
                ),
            ));
        }
    }
    if p.retry_on.breaker_open && p.max_attempts > 1 && sc.breaker().is_some() {
        out.push(lint(
            LintId::RetryOnBreakerOpen,
            "policy.retry_on.breaker_open is true: calls the breaker rejected are retried \
             after the backoff, spending attempts on rejections"
                .into(),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::scenario::config::{BreakerScopeConfig, JitterConfig};
    use crate::sim::scenario::presets;
    use crate::sim::ScenarioConfig;

    fn ids(cfg: &ScenarioConfig, layers: u32) -> Vec<LintId> {
        lints(&cfg.validate().unwrap(), layers)
            .iter()
            .map(|l| l.id)
            .collect()
    }

    fn preset(name: &str) -> ScenarioConfig {
        presets::config(name).unwrap()
    }

    #[test]
    fn no_jitter_fires_on_the_herd_without_jitter_only() {
        assert!(ids(&preset("herd-no-jitter"), 1).contains(&LintId::NoJitter));
        assert!(!ids(&preset("herd-full-jitter"), 1).contains(&LintId::NoJitter));
        let mut one = preset("herd-no-jitter");
        one.clients.count = 1;
        assert!(
            !ids(&one, 1).contains(&LintId::NoJitter),
            "one client shares with nobody"
        );
        let mut flat = preset("herd-full-jitter");
        flat.policy.jitter = JitterConfig::Multiplier { min: 1.0, max: 1.0 };
        assert!(ids(&flat, 1).contains(&LintId::NoJitter));
    }

    #[test]
    fn no_timeout_fires_without_a_timeout_only() {
        let hang = preset("no-timeout-hang");
        assert_eq!(hang.policy.timeout_ms, None);
        let l = lints(&hang.validate().unwrap(), 1);
        let t = l.iter().find(|l| l.id == LintId::NoTimeout).unwrap();
        assert!(
            t.message.contains("policy.timeout_ms is null"),
            "{}",
            t.message
        );
        assert!(!ids(&preset("herd-full-jitter"), 1).contains(&LintId::NoTimeout));
    }

    #[test]
    fn a_timeout_below_the_p999_fires_and_a_long_one_does_not() {
        // the default service: exponential of mean 20 ms (p99.9 = 138 ms) and 1 ms each way
        let mut c = ScenarioConfig::default();
        c.policy.timeout_ms = Some(100.0);
        let l = lints(&c.validate().unwrap(), 1);
        let t = l.iter().find(|l| l.id == LintId::TimeoutBelowP999).unwrap();
        assert!(t.message.contains("at least 140 ms"), "{}", t.message);
        c.policy.timeout_ms = Some(141.0);
        assert!(!ids(&c, 1).contains(&LintId::TimeoutBelowP999));
    }

    #[test]
    fn layers_fire_only_above_one_with_retries() {
        let c = preset("aws-sdk-standard");
        assert!(!ids(&c, 1).contains(&LintId::RetriesAtSeveralLayers));
        let l = lints(&c.validate().unwrap(), 3);
        let m = l
            .iter()
            .find(|l| l.id == LintId::RetriesAtSeveralLayers)
            .unwrap();
        assert!(m.message.contains("up to 27 attempts"), "{}", m.message);
        let mut once = c.clone();
        once.policy.max_attempts = Some(1);
        assert!(!ids(&once, 3).contains(&LintId::RetriesAtSeveralLayers));
    }

    #[test]
    fn unbounded_attempts_fire_without_a_budget_only() {
        let mut c = preset("herd-full-jitter");
        c.policy.max_attempts = None;
        assert!(ids(&c, 1).contains(&LintId::UnboundedAttempts));
        c.budget = preset("grpc-retry-throttling").budget;
        assert!(!ids(&c, 1).contains(&LintId::UnboundedAttempts));
        assert!(!ids(&preset("herd-full-jitter"), 1).contains(&LintId::UnboundedAttempts));
    }

    #[test]
    fn a_short_open_time_fires_against_the_outage() {
        // gobreaker's 60 s open time is longer than any outage of its preset
        let g = preset("gobreaker");
        assert!(!ids(&g, 1).contains(&LintId::BreakerOpenShorterThanOutage));
        let mut short = g.clone();
        short.breaker.open_ms = 1000.0;
        short.breaker.open_multiplier = 1.0;
        assert!(ids(&short, 1).contains(&LintId::BreakerOpenShorterThanOutage));
        // with growth, the longest open time counts
        short.breaker.open_multiplier = 2.0;
        short.breaker.open_max_ms = 600_000.0;
        assert!(!ids(&short, 1).contains(&LintId::BreakerOpenShorterThanOutage));
    }

    #[test]
    fn retrying_breaker_rejections_fires_with_a_breaker_only() {
        let mut c = preset("gobreaker");
        assert!(!ids(&c, 1).contains(&LintId::RetryOnBreakerOpen));
        c.policy.retry_on.breaker_open = true;
        c.policy.max_attempts = Some(3);
        c.policy.backoff = Default::default();
        assert!(ids(&c, 1).contains(&LintId::RetryOnBreakerOpen));
        c.breaker.scope = BreakerScopeConfig::None;
        assert!(!ids(&c, 1).contains(&LintId::RetryOnBreakerOpen));
    }

    #[test]
    fn every_lint_has_a_name_a_reason_and_a_source() {
        for id in LintId::ALL {
            assert_eq!(serde_json::to_value(id).unwrap(), id.name());
            assert!(id.reason().len() > 40 && id.source().len() > 20, "{id:?}");
        }
    }
}
