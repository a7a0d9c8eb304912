//! The client policy under test, carried from any scenario into the suite's world, and
//! the presets whose policies are real libraries' defaults.

use crate::sim::scenario::config::ScenarioConfig;

/// `world` with the client policy of `policy_from`, and nothing else of it.
///
/// The policy is exactly three fields of a scenario, copied whole:
///
/// - `policy`: the per-attempt timeout (`timeout_ms`), the request deadline
///   (`deadline_ms`), the attempts (`max_attempts`), which outcomes are retried
///   (`retry_on`), the backoff schedule (`backoff`: type, base, multiplier, cap, throttling
///   base, immediate first retry) and its `jitter`;
/// - `breaker`: the circuit breaker (scope, trip rule, open time and its growth, half-open
///   trials, what counts as a failure), `scope: none` for none;
/// - `budget`: the retry budget or client-side throttling, `none` for none.
///
/// Everything else is the world's: its name, description and seed, the duration and
/// buckets, the event and memory budgets, the workload, the clients (count, arrivals,
/// load windows), the services and their faults, and the route.
///
/// Breaker scopes are copied as they are. The suite's world has one service, so a breaker
/// kept per client per service (`per_service`) is the same as one per client for
/// everything (`global`), and one shared per service (`shared_per_service`) the same as
/// one shared for everything (`shared_global`): each guards the one service. A budget is
/// always kept per service, so its scope (`shared` or `per_client`) means what it means
/// anywhere.
///
/// ```
/// use herdsim::sim::scenario::presets;
/// use herdsim::suite::{apply_policy, SCENARIOS};
///
/// let world = SCENARIOS[0].config();
/// let polly = presets::config("polly-v8").unwrap();
/// let tested = apply_policy(&world, &polly);
/// assert_eq!(tested.breaker, polly.breaker);
/// assert_eq!(tested.clients, world.clients);
/// assert_eq!(tested.faults, world.faults);
/// ```
pub fn apply_policy(world: &ScenarioConfig, policy_from: &ScenarioConfig) -> ScenarioConfig {
    ScenarioConfig {
        policy: policy_from.policy.clone(),
        breaker: policy_from.breaker.clone(),
        budget: policy_from.budget.clone(),
        ..world.clone()
    }
}

/// The presets whose policy is a real library's documented defaults (the presets menu's
/// group "Real libraries' defaults"), in menu order: the libraries view runs the suite
/// with each one's policy.
pub const LIBRARY_PRESETS: &[&str] = &[
    "aws-sdk-standard",
    "aws-sdk-2026",
    "grpc-retry-throttling",
    "cenkalti-backoff-v4",
    "tenacity-random-exponential",
    "urllib3-retry",
    "backon-exponential",
    "polly-v8",
    "resilience4j-breaker",
    "gobreaker",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::scenario::presets::PRESETS;

    #[test]
    fn the_library_presets_are_the_real_libraries_group() {
        let group: Vec<&str> = PRESETS
            .iter()
            .filter(|p| p.group == "Real libraries' defaults")
            .map(|p| p.name)
            .collect();
        assert_eq!(group, LIBRARY_PRESETS);
    }
}
