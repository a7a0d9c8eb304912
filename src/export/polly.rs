//! .NET Polly v8 (src/Polly.Core: Retry/RetryStrategyOptions.cs, RetryHelper.cs,
//! CircuitBreaker/CircuitBreakerStrategyOptions.cs; read at 8.7.0).
//!
//! `MaxRetryAttempts` counts retries. Built-in delays, `attempt` being 0-based: Constant
//! `Delay`, Linear `(attempt + 1)·Delay`, Exponential `2^attempt·Delay` (the factor is
//! fixed at 2); `UseJitter` makes Constant and Linear ±25% and Exponential
//! `DecorrelatedJitterBackoffV2`; `MaxDelay` caps them. A `DelayGenerator` replaces the
//! delay (not capped by `MaxDelay`), so any stateless herdsim schedule is written as one.
//! The breaker trips on `FailureRatio` of the calls in `SamplingDuration` once
//! `MinimumThroughput` (≥ 2) is reached, is open for `BreakDuration` (≥ 0.5 s), and lets
//! one trial through half-open. The first strategy added is the outermost.

use super::text::{csharp, num};
use super::{additive, Report};
use crate::sim::scenario::config::{CheckConfig, TripConfig, WindowConfig};
use crate::sim::scenario::config::{JitterConfig, ScheduleConfig};

/// The pipeline builder.
pub fn export(r: &mut Report) -> String {
    let cfg = r.cfg;
    let p = &cfg.policy;
    let mut stages = Vec::new();
    if let Some(d) = p.deadline_ms {
        r.exact(
            "deadline",
            "AddTimeout outside the retry: it cancels the attempt in flight too",
        );
        stages.push(format!(
            "    .AddTimeout({}) // the whole call, retries included",
            csharp(d)
        ));
    } else {
        r.exact("deadline", "none");
    }
    match r.attempts() {
        Some(1) => {
            r.exact("max_attempts", "1 attempt: no retry strategy");
            r.exact("backoff", "no retries, no delay");
        }
        n => stages.push(retry(r, n)),
    }
    if r.has_breaker() {
        stages.push(breaker(r));
    }
    match p.timeout_ms {
        Some(t) => {
            r.exact("timeout", "AddTimeout inside the retry: per attempt");
            stages.push(format!("    .AddTimeout({}) // each attempt", csharp(t)));
        }
        None => r.exact("timeout", "none: each attempt waits as long as it takes"),
    }
    r.no_budget("Polly has no retry budget (a rate limiter limits calls, not retries)");
    format!(
        "// herdsim policy \"{name}\" for {version}\n\
         using Polly;\nusing Polly.CircuitBreaker;\nusing Polly.Retry;\nusing Polly.Timeout;\n\n\
         // outermost first\nResiliencePipeline pipeline = new ResiliencePipelineBuilder()\n{stages}\n    .Build();\n",
        name = cfg.name,
        version = super::Library::Polly.version(),
        stages = stages.join("\n"),
    )
}

/// `AddRetry(...)` for `attempts` (None: no limit).
fn retry(r: &mut Report, attempts: Option<u32>) -> String {
    let p = &r.cfg.policy;
    let b = r.backoff().clone();
    let j = r.jitter().clone();
    let mut o = Vec::new();
    match attempts {
        Some(n) => {
            r.exact(
                "max_attempts",
                format!("MaxRetryAttempts {}: retries, so {n} attempts", n - 1),
            );
            o.push(format!("MaxRetryAttempts = {},", n - 1));
        }
        None => {
            r.exact("max_attempts", "no limit: MaxRetryAttempts int.MaxValue");
            o.push("MaxRetryAttempts = int.MaxValue,".into());
        }
    }
    let polly_jitter = JitterConfig::Multiplier {
        min: 0.75,
        max: 1.25,
    };
    let builtin = match (b.kind, &j) {
        (ScheduleConfig::None, _) => Some(("Constant", false)),
        (ScheduleConfig::Constant | ScheduleConfig::Linear, JitterConfig::None) => Some((
            if b.kind == ScheduleConfig::Constant {
                "Constant"
            } else {
                "Linear"
            },
            false,
        )),
        (ScheduleConfig::Constant | ScheduleConfig::Linear, j) if *j == polly_jitter => Some((
            if b.kind == ScheduleConfig::Constant {
                "Constant"
            } else {
                "Linear"
            },
            true,
        )),
        (ScheduleConfig::Exponential, JitterConfig::None) if b.multiplier == 2.0 => {
            Some(("Exponential", false))
        }
        (ScheduleConfig::Exponential, JitterConfig::DecorrelatedV2) if b.multiplier == 2.0 => {
            Some(("Exponential", true))
        }
        _ => None,
    };
    r.plain_schedule_only();
    match builtin {
        Some((kind, jitter)) => {
            r.exact("backoff", format!("BackoffType {kind}, Delay and MaxDelay"));
            r.exact(
                "jitter",
                if jitter {
                    "UseJitter: Polly's own rule, the one simulated"
                } else {
                    "none"
                },
            );
            let delay = if b.kind == ScheduleConfig::None {
                0.0
            } else {
                b.base_ms
            };
            o.push(format!("BackoffType = DelayBackoffType.{kind},"));
            o.push(format!("Delay = {},", csharp(delay)));
            // a constant delay needs no cap (Polly caps after its ±25%)
            if b.kind != ScheduleConfig::Constant && b.kind != ScheduleConfig::None {
                o.push(format!("MaxDelay = {},", csharp(b.cap_ms.max(delay))));
                if jitter && b.kind == ScheduleConfig::Linear {
                    r.approx(
                        "backoff.cap_ms",
                        "Polly caps the jittered delay, so at the cap the ±25% is cut to −25%..0",
                    );
                }
            }
            o.push(format!("UseJitter = {jitter},"));
        }
        None => {
            let (lo, span) = match additive(&j) {
                Some((floor, spread)) => {
                    r.exact("jitter", "a DelayGenerator draws the policy's jitter");
                    (floor, spread)
                }
                None => {
                    r.approx("jitter", "decorrelated jitter keeps state between retries: the DelayGenerator draws full jitter over the schedule instead");
                    r.as_library.policy.jitter = JitterConfig::Full;
                    (0.0, 1.0)
                }
            };
            let d = match b.kind {
                ScheduleConfig::Constant => num(b.base_ms),
                ScheduleConfig::Linear => format!(
                    "Math.Min({}, {} * (args.AttemptNumber + 1))",
                    num(b.cap_ms),
                    num(b.base_ms)
                ),
                _ => format!(
                    "Math.Min({}, {} * Math.Pow({}, args.AttemptNumber))",
                    num(b.cap_ms),
                    num(b.base_ms),
                    num(b.multiplier)
                ),
            };
            r.exact("backoff", "a DelayGenerator computes d(n) (AttemptNumber is 0-based); MaxDelay does not cap it, so it caps itself");
            o.push("// d(n) in ms for retry n = AttemptNumber + 1, then the jitter".into());
            o.push(format!(
                "DelayGenerator = args =>\n    {{\n        double d = {d};\n        double sleep = d * ({} + {} * Random.Shared.NextDouble());\n        return new ValueTask<TimeSpan?>(TimeSpan.FromMilliseconds(sleep));\n    }},",
                num(lo),
                num(span)
            ));
        }
    }
    r.exact(
        "retry_on",
        format!("ShouldHandle: the exceptions of {}", r.retried()),
    );
    let mut handle =
        "new PredicateBuilder().Handle<HttpRequestException>().Handle<TimeoutRejectedException>()"
            .to_string();
    if p.retry_on.breaker_open {
        handle += ".Handle<BrokenCircuitException>()";
    } else if r.has_breaker() {
        r.warn("Polly's default ShouldHandle retries every exception, BrokenCircuitException (the breaker's rejection) included; the snippet lists the ones to retry, as the policy does");
    }
    o.push(format!("ShouldHandle = {handle},"));
    format!(
        "    .AddRetry(new RetryStrategyOptions\n    {{\n{}\n    }})",
        o.iter()
            .map(|l| format!("        {}", l.replace('\n', "\n        ")))
            .collect::<Vec<_>>()
            .join("\n")
    )
}

/// `AddCircuitBreaker(...)`.
fn breaker(r: &mut Report) -> String {
    let b = r.cfg.breaker.clone();
    let mut o = Vec::new();
    let (ratio, sampling, throughput) = match &b.trip {
        TripConfig::Consecutive { failures } => {
            r.approx(
                "breaker.trip",
                format!("no consecutive-failure rule: FailureRatio 1.0 of at least {} calls in 30 s (every call in the window failed)", (*failures).max(2)),
            );
            (1.0, 30_000.0, (*failures).max(2))
        }
        TripConfig::Rate {
            window,
            min_calls,
            failure_rate,
            slow_call_ms,
            check,
            ..
        } => {
            let sampling = match window {
                WindowConfig::Time { ms, .. } => {
                    r.exact(
                        "breaker.trip.window",
                        "SamplingDuration: the same time window",
                    );
                    *ms
                }
                WindowConfig::Count { calls } => {
                    r.approx(
                        "breaker.trip.window",
                        format!("no window of the last {calls} calls: a 30 s SamplingDuration"),
                    );
                    30_000.0
                }
            };
            if slow_call_ms.is_some() {
                r.missing("breaker.trip.slow_call_ms", "no slow-call rule: a timeout inside the breaker turns slow calls into failures");
            }
            if *check == CheckConfig::EveryCall {
                r.approx(
                    "breaker.trip.check",
                    "Polly judges the ratio when a failure is recorded, not after every call",
                );
                if let TripConfig::Rate { check, .. } = &mut r.as_library.breaker.trip {
                    *check = CheckConfig::OnFailure;
                }
            }
            let rate = failure_rate.unwrap_or(1.0);
            if failure_rate.is_none() {
                r.approx(
                    "breaker.trip",
                    "a failure ratio cannot be switched off: FailureRatio 1.0 (every call failed)",
                );
            } else if *min_calls < 2 {
                r.approx("breaker.trip", "MinimumThroughput is at least 2");
            } else {
                r.exact(
                    "breaker.trip",
                    format!(
                        "FailureRatio {} once MinimumThroughput {min_calls} calls",
                        num(rate)
                    ),
                );
            }
            (rate, sampling.max(500.0), (*min_calls).max(2))
        }
    };
    // the rule Polly runs: a ratio of the calls of a time window, judged on failures
    let polly_trip = match b.trip.clone() {
        TripConfig::Rate {
            window,
            slow_call_rate,
            ..
        } => TripConfig::Rate {
            window: match window {
                WindowConfig::Time { buckets, .. } => WindowConfig::Time {
                    ms: sampling,
                    buckets,
                },
                WindowConfig::Count { .. } => WindowConfig::Time {
                    ms: sampling,
                    buckets: 10,
                },
            },
            min_calls: throughput,
            failure_rate: Some(ratio),
            slow_call_ms: None,
            slow_call_rate,
            check: CheckConfig::OnFailure,
        },
        TripConfig::Consecutive { .. } => TripConfig::Rate {
            window: WindowConfig::Time {
                ms: sampling,
                buckets: 10,
            },
            min_calls: throughput,
            failure_rate: Some(ratio),
            slow_call_ms: None,
            slow_call_rate: 1.0,
            check: CheckConfig::OnFailure,
        },
    };
    r.as_library.breaker.trip = polly_trip;
    o.push(format!("FailureRatio = {},", num(ratio)));
    o.push(format!(
        "SamplingDuration = {},",
        super::text::csharp(sampling)
    ));
    o.push(format!("MinimumThroughput = {throughput},"));
    let open = b.open_ms.max(500.0);
    if b.open_ms < 500.0 {
        r.approx("breaker.open_ms", "BreakDuration is at least 0.5 s");
        r.as_library.breaker.open_ms = open;
    } else {
        r.exact(
            "breaker.open_ms",
            format!("BreakDuration {}", super::text::ms(b.open_ms)),
        );
    }
    o.push(format!("BreakDuration = {},", csharp(open)));
    if b.open_multiplier != 1.0 {
        r.approx(
            "breaker.open_multiplier",
            "a BreakDurationGenerator grows the break with the half-open attempts so far",
        );
        o.push(format!(
            "BreakDurationGenerator = args => new ValueTask<TimeSpan>(TimeSpan.FromMilliseconds(Math.Min({}, {} * Math.Pow({}, args.HalfOpenAttempts)))),",
            num(b.open_max_ms),
            num(open),
            num(b.open_multiplier)
        ));
    }
    if b.half_open_calls != 1 || b.half_open_successes.is_some_and(|s| s != 1) {
        r.missing("breaker.half_open_calls", format!("Polly lets one trial through half-open, not {}: its result alone closes or re-opens the breaker", b.half_open_calls));
        r.as_library.breaker.half_open_calls = 1;
        r.as_library.breaker.half_open_successes = None;
    } else {
        r.exact("breaker.half_open_calls", "one trial, as Polly does");
    }
    r.warn("Polly's breaker lets exactly one call through when half-open: one unlucky trial keeps it open another BreakDuration");
    r.exact(
        "breaker.failure_on",
        "ShouldHandle: the exceptions that count as failures",
    );
    o.push("ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>().Handle<TimeoutRejectedException>(),".into());
    format!(
        "    .AddCircuitBreaker(new CircuitBreakerStrategyOptions\n    {{\n{}\n    }})",
        o.iter()
            .map(|l| format!("        {l}"))
            .collect::<Vec<_>>()
            .join("\n")
    )
}
