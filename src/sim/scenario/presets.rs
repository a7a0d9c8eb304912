//! The scenarios shipped with the app and the CLI (`static/presets/*.json`, compiled in),
//! in menu groups. The presets that reproduce a library's defaults say where each value
//! comes from, here and in their description.

use crate::sim::scenario::config::ScenarioConfig;
use crate::sim::scenario::validate::ScenarioError;

/// A preset scenario.
#[derive(Clone, Copy, Debug)]
pub struct Preset {
    /// Its name (and file name).
    pub name: &'static str,
    /// The menu group it belongs to.
    pub group: &'static str,
    /// Its JSON text.
    pub json: &'static str,
}

/// AWS SDK standard retry mode ("Retry Behavior 2.0"): 3 attempts; full jitter on
/// `min(1 s · 2^(n−1), 20 s)` (botocore and the Rust SDK; Java and JS use 100 ms); a retry
/// quota of 500 per client where a retry costs 5 (10 after a timeout) and a success gives
/// back its last cost, or 1 if it needed no retry.
/// Source: botocore `botocore/retries/standard.py`, `botocore/retries/quota.py`; smithy-rs
/// `aws-smithy-runtime/src/client/retries/token_bucket.rs`; AWS SDKs and Tools Reference
/// Guide, "Retry behavior".
pub const AWS_SDK_STANDARD: &str = include_str!("../../../static/presets/aws-sdk-standard.json");

/// The AWS SDKs' retry behavior update of 2026 ("Retry Behavior 2.1",
/// `AWS_NEW_RETRIES_2026`): base 50 ms, 1,000 ms after a throttling error, cap 20 s before
/// full jitter; a retry costs 14 (timeouts too), a throttled retry 5; refund as before.
/// Source: botocore 1.44 `botocore/retries/standard.py` (`RetryQuotaChecker`:
/// `_RETRY_COST = 14`, `_THROTTLING_RETRY_COST = 5`; `ExponentialBackoff`:
/// `non_throttling_base_scale 0.05`, `throttling_base_scale 1`); aws-sdk-go-v2
/// `aws/retry/retry2026_test.go`; AWS Developer Tools Blog, "Announcing updated retry
/// behavior for AWS SDKs and Tools".
pub const AWS_SDK_2026: &str = include_str!("../../../static/presets/aws-sdk-2026.json");

/// gRPC retries with retry throttling, gRFC A6's example service config: `maxAttempts` 4,
/// `initialBackoff` 0.1 s, `maxBackoff` 1 s, `backoffMultiplier` 2, retryable `UNAVAILABLE`;
/// delay `min(initial · mult^(n−1), max) · U(0.8, 1.2)` (A6 as revised by
/// grpc/proposal#452 in 2024, as grpc-go and grpc-java do); `retryThrottling` `maxTokens` 10,
/// `tokenRatio` 0.1.
/// Source: grpc/proposal `A6-client-retries.md`; grpc-go `clientconn.go` (`retryThrottler`),
/// `stream.go` (`shouldRetry`).
pub const GRPC_RETRY_THROTTLING: &str =
    include_str!("../../../static/presets/grpc-retry-throttling.json");

/// Go cenkalti/backoff v4 `NewExponentialBackOff()` defaults: `InitialInterval` 500 ms,
/// `Multiplier` 1.5, `MaxInterval` 60 s (capping the interval, not the randomized delay),
/// `RandomizationFactor` 0.5, `MaxElapsedTime` 15 min, no attempt limit.
/// Source: github.com/cenkalti/backoff/v4 `exponential.go` (`NextBackOff`,
/// `getRandomValueFromInterval`, `incrementCurrentInterval`), `retry.go`.
pub const CENKALTI_BACKOFF_V4: &str =
    include_str!("../../../static/presets/cenkalti-backoff-v4.json");

/// Python tenacity `@retry(wait=wait_random_exponential(multiplier=1, max=60))`: wait
/// `uniform(0, min(1 · 2^(attempt−1), 60))` seconds, the cap before the draw; tenacity's
/// defaults stop never and retry any exception.
/// Source: tenacity 9.2 `tenacity/wait.py` (`wait_exponential`, `wait_random_exponential`),
/// `tenacity/__init__.py` (`BaseRetrying` defaults).
pub const TENACITY_RANDOM_EXPONENTIAL: &str =
    include_str!("../../../static/presets/tenacity-random-exponential.json");

/// Python urllib3 `Retry.DEFAULT = Retry(3)`: 3 retries of connection errors and read
/// timeouts, no status retries (`status_forcelist=None`), `backoff_factor` 0; with a factor
/// `f` the sleeps are `0, 2f, 4f, …` (the first retry is always immediate).
/// Source: urllib3 2.x `urllib3/util/retry.py` (`Retry.__init__`, `get_backoff_time`,
/// `is_retry`, `Retry.DEFAULT`).
pub const URLLIB3_RETRY: &str = include_str!("../../../static/presets/urllib3-retry.json");

/// Rust backon `ExponentialBuilder::default()`: `min_delay` 1 s, `factor` 2, `max_delay`
/// 60 s, `max_times` 3 (retries: 4 attempts), no jitter (`with_jitter()` adds `U(0, d)`
/// after the cap).
/// Source: backon 1.6 `src/backoff/exponential.rs`, `src/retry.rs`.
pub const BACKON_EXPONENTIAL: &str =
    include_str!("../../../static/presets/backon-exponential.json");

/// .NET Polly v8 defaults: `RetryStrategyOptions` (`MaxRetryAttempts` 3, `BackoffType`
/// constant, `Delay` 2 s, `UseJitter` false, `ShouldHandle` every exception but
/// cancellation) around `CircuitBreakerStrategyOptions` (`FailureRatio` 0.1,
/// `MinimumThroughput` 100, `SamplingDuration` 30 s in 10 rolling windows, `BreakDuration`
/// 5 s, one half-open probe, checked when a failure is recorded).
/// Source: App-vNext/Polly `src/Polly.Core/Retry/RetryStrategyOptions.TResult.cs`,
/// `Retry/RetryHelper.cs`, `CircuitBreaker/CircuitBreakerConstants.cs`,
/// `CircuitBreaker/Controller/AdvancedCircuitBehavior.cs`,
/// `CircuitBreaker/Health/RollingHealthMetrics.cs`.
pub const POLLY_V8: &str = include_str!("../../../static/presets/polly-v8.json");

/// Java resilience4j `CircuitBreakerConfig.ofDefaults()`: count-based window of 100,
/// `minimumNumberOfCalls` 100, `failureRateThreshold` 50%, `slowCallDurationThreshold`
/// 60 s at `slowCallRateThreshold` 100%, `waitDurationInOpenState` 60 s,
/// `permittedNumberOfCallsInHalfOpenState` 10 (re-opens at ≥ 50% of them failed); with
/// `RetryConfig.ofDefaults()` (`maxAttempts` 3, `waitDuration` 500 ms) around it.
/// Source: resilience4j `CircuitBreakerConfig.java`, `CircuitBreakerMetrics.java`,
/// `CircuitBreakerStateMachine.java`, `RetryConfig.java`.
pub const RESILIENCE4J_BREAKER: &str =
    include_str!("../../../static/presets/resilience4j-breaker.json");

/// Go sony/gobreaker `NewCircuitBreaker(Settings{})`: `ReadyToTrip` on
/// `ConsecutiveFailures > 5`, `Timeout` 60 s, `MaxRequests` 1 (closed after that many
/// consecutive half-open successes; any half-open failure re-opens), `Interval` 0.
/// Source: github.com/sony/gobreaker `gobreaker.go` (`NewCircuitBreaker`,
/// `defaultReadyToTrip`, `onSuccess`, `onFailure`, `currentState`).
pub const GOBREAKER: &str = include_str!("../../../static/presets/gobreaker.json");

/// Every preset, in menu order.
pub const PRESETS: &[Preset] = &[
    Preset {
        name: "herd-no-jitter",
        group: "The thundering herd and overload",
        json: include_str!("../../../static/presets/herd-no-jitter.json"),
    },
    Preset {
        name: "herd-full-jitter",
        group: "The thundering herd and overload",
        json: include_str!("../../../static/presets/herd-full-jitter.json"),
    },
    Preset {
        name: "no-timeout-hang",
        group: "The thundering herd and overload",
        json: include_str!("../../../static/presets/no-timeout-hang.json"),
    },
    Preset {
        name: "retry-storm",
        group: "The thundering herd and overload",
        json: include_str!("../../../static/presets/retry-storm.json"),
    },
    Preset {
        name: "metastable",
        group: "The thundering herd and overload",
        json: include_str!("../../../static/presets/metastable.json"),
    },
    Preset {
        name: "breaker-per-service-vs-global",
        group: "Breakers and budgets",
        json: include_str!("../../../static/presets/breaker-per-service-vs-global.json"),
    },
    Preset {
        name: "swamped-cant-recover",
        group: "Breakers and budgets",
        json: include_str!("../../../static/presets/swamped-cant-recover.json"),
    },
    Preset {
        name: "budget-vs-storm",
        group: "Breakers and budgets",
        json: include_str!("../../../static/presets/budget-vs-storm.json"),
    },
    Preset {
        name: "aws-occ-none",
        group: "AWS blog: optimistic concurrency",
        json: include_str!("../../../static/presets/aws-occ-none.json"),
    },
    Preset {
        name: "aws-occ-exponential",
        group: "AWS blog: optimistic concurrency",
        json: include_str!("../../../static/presets/aws-occ-exponential.json"),
    },
    Preset {
        name: "aws-occ-equal",
        group: "AWS blog: optimistic concurrency",
        json: include_str!("../../../static/presets/aws-occ-equal.json"),
    },
    Preset {
        name: "aws-occ-full",
        group: "AWS blog: optimistic concurrency",
        json: include_str!("../../../static/presets/aws-occ-full.json"),
    },
    Preset {
        name: "aws-occ-decorrelated",
        group: "AWS blog: optimistic concurrency",
        json: include_str!("../../../static/presets/aws-occ-decorrelated.json"),
    },
    Preset {
        name: "failover-async-replica",
        group: "Failover and backups",
        json: include_str!("../../../static/presets/failover-async-replica.json"),
    },
    Preset {
        name: "failover-sync-replica",
        group: "Failover and backups",
        json: include_str!("../../../static/presets/failover-sync-replica.json"),
    },
    Preset {
        name: "failover-manual-runbook",
        group: "Failover and backups",
        json: include_str!("../../../static/presets/failover-manual-runbook.json"),
    },
    Preset {
        name: "restore-from-backup",
        group: "Failover and backups",
        json: include_str!("../../../static/presets/restore-from-backup.json"),
    },
    Preset {
        name: "failover-herd",
        group: "Failover and backups",
        json: include_str!("../../../static/presets/failover-herd.json"),
    },
    Preset {
        name: "aws-sdk-standard",
        group: "Real libraries' defaults",
        json: AWS_SDK_STANDARD,
    },
    Preset {
        name: "aws-sdk-2026",
        group: "Real libraries' defaults",
        json: AWS_SDK_2026,
    },
    Preset {
        name: "grpc-retry-throttling",
        group: "Real libraries' defaults",
        json: GRPC_RETRY_THROTTLING,
    },
    Preset {
        name: "cenkalti-backoff-v4",
        group: "Real libraries' defaults",
        json: CENKALTI_BACKOFF_V4,
    },
    Preset {
        name: "tenacity-random-exponential",
        group: "Real libraries' defaults",
        json: TENACITY_RANDOM_EXPONENTIAL,
    },
    Preset {
        name: "urllib3-retry",
        group: "Real libraries' defaults",
        json: URLLIB3_RETRY,
    },
    Preset {
        name: "backon-exponential",
        group: "Real libraries' defaults",
        json: BACKON_EXPONENTIAL,
    },
    Preset {
        name: "polly-v8",
        group: "Real libraries' defaults",
        json: POLLY_V8,
    },
    Preset {
        name: "resilience4j-breaker",
        group: "Real libraries' defaults",
        json: RESILIENCE4J_BREAKER,
    },
    Preset {
        name: "gobreaker",
        group: "Real libraries' defaults",
        json: GOBREAKER,
    },
];

/// The JSON text of preset `name`.
pub fn json(name: &str) -> Option<&'static str> {
    PRESETS.iter().find(|p| p.name == name).map(|p| p.json)
}

/// The names of all presets, in menu order.
pub fn names() -> impl Iterator<Item = &'static str> {
    PRESETS.iter().map(|p| p.name)
}

/// The menu groups, in order, each with its presets.
pub fn groups() -> Vec<(&'static str, Vec<&'static str>)> {
    let mut out: Vec<(&'static str, Vec<&'static str>)> = Vec::new();
    for p in PRESETS {
        match out.last_mut() {
            Some((g, names)) if *g == p.group => names.push(p.name),
            _ => out.push((p.group, vec![p.name])),
        }
    }
    out
}

/// Preset `name` as a config, or an error naming the allowed presets.
pub fn config(name: &str) -> Result<ScenarioConfig, ScenarioError> {
    match json(name) {
        Some(text) => ScenarioConfig::from_json(text),
        None => Err(ScenarioError::Parse {
            path: "preset".into(),
            message: format!(
                "unknown preset `{name}`; allowed: {}",
                names().collect::<Vec<_>>().join(", ")
            ),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_parses_validates_and_is_named_after_its_file() {
        for p in PRESETS {
            let name = p.name;
            let cfg = config(name).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(cfg.name, name);
            assert!(!cfg.description.is_empty(), "{name} has a description");
            cfg.validate().unwrap_or_else(|e| panic!("{name}: {e}"));
        }
        assert!(config("nope").is_err());
        // every file in static/presets is in the menu once, and groups are contiguous
        let files = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/static/presets"))
            .unwrap()
            .count();
        assert_eq!(files, PRESETS.len());
        let grouped: usize = groups().iter().map(|g| g.1.len()).sum();
        assert_eq!(grouped, PRESETS.len());
        assert_eq!(groups().len(), 5);
    }
}
