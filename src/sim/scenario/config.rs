//! The scenario as users write it: plain serde data, every field defaulted, times in
//! milliseconds. [`ScenarioConfig::validate`](crate::sim::scenario::validate) turns it into the typed
//! [`Scenario`](crate::sim::scenario::Scenario) the engine runs.

use serde::{Deserialize, Serialize};

use crate::sim::scenario::tagged::tagged_enum;

pub use crate::sim::scenario::replication_config::*;
pub use crate::sim::scenario::resilience_config::*;

/// A whole scenario. Unknown fields are errors, so a typo never goes unnoticed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScenarioConfig {
    /// Short name (the preset's name for presets).
    pub name: String,
    /// One line saying what the scenario shows.
    pub description: String,
    /// Seed of every random stream in the run.
    pub seed: u64,
    /// Simulated time to run (ms). No request starts after it; the run stops there.
    pub duration_ms: f64,
    /// Width of a metrics bucket (ms); `null` picks one from the run's length.
    pub bucket_ms: Option<f64>,
    /// Stop after this many events, whatever else happens.
    pub max_events: u64,
    /// Stop when the engine's state (requests in flight, pending events, queues) would
    /// outgrow this many megabytes, keeping the results so far.
    pub max_memory_mb: f64,
    /// What the clients do.
    pub workload: WorkloadConfig,
    /// Who calls and when.
    pub clients: ClientsConfig,
    /// The service they call (ignored by the OCC workload), when `services` is empty.
    pub service: ServiceConfig,
    /// Fault windows on the service, when `services` is empty.
    pub faults: Vec<FaultConfig>,
    /// Several named services, each with its own model and faults; when given, `service`
    /// and `faults` must be left out.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<ServiceEntryConfig>,
    /// How a request uses the services.
    #[serde(skip_serializing_if = "RouteConfig::is_default")]
    pub route: RouteConfig,
    /// Timeouts, retries, backoff and jitter.
    pub policy: PolicyConfig,
    /// Circuit breakers.
    #[serde(skip_serializing_if = "BreakerConfig::is_off")]
    pub breaker: BreakerConfig,
    /// Retry budget or client-side throttling.
    #[serde(skip_serializing_if = "BudgetConfig::is_none")]
    pub budget: BudgetConfig,
}

/// One of several services.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServiceEntryConfig {
    /// Name (letters, digits, `-`, `_`; unique).
    pub name: String,
    /// Share of requests sent here by the `weighted` route (relative, ≥ 0).
    pub weight: f64,
    /// The service model.
    pub service: ServiceConfig,
    /// Its fault windows.
    pub faults: Vec<FaultConfig>,
}

impl Default for ServiceEntryConfig {
    fn default() -> Self {
        ServiceEntryConfig {
            name: "service".into(),
            weight: 1.0,
            service: ServiceConfig::default(),
            faults: Vec::new(),
        }
    }
}

/// How a request uses the services.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RouteConfig {
    /// Each request calls one service, picked at random by weight.
    #[default]
    Weighted,
    /// Each request calls every service in order (each call with its own retries) and
    /// succeeds only if every call does.
    Sequence,
}

impl RouteConfig {
    fn is_default(&self) -> bool {
        *self == RouteConfig::Weighted
    }
}

impl BreakerConfig {
    /// True when no breaker is configured.
    pub fn is_off(&self) -> bool {
        self.scope == BreakerScopeConfig::None
    }
}

impl BudgetConfig {
    /// True when no budget is configured.
    pub fn is_none(&self) -> bool {
        *self == BudgetConfig::None
    }
}

impl Default for ScenarioConfig {
    fn default() -> Self {
        ScenarioConfig {
            name: "custom".into(),
            description: String::new(),
            seed: 1,
            duration_ms: 60_000.0,
            bucket_ms: None,
            max_events: 500_000_000,
            max_memory_mb: 256.0,
            workload: WorkloadConfig::Service,
            clients: ClientsConfig::default(),
            service: ServiceConfig::default(),
            faults: Vec::new(),
            services: Vec::new(),
            route: RouteConfig::Weighted,
            policy: PolicyConfig::default(),
            breaker: BreakerConfig::default(),
            budget: BudgetConfig::None,
        }
    }
}

/// The kind of work each request does.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkloadConfig {
    /// Requests to a service with workers and a queue.
    #[default]
    Service,
    /// Optimistic-concurrency updates of one row (read, then conditional write), as in the
    /// AWS Architecture blog's "Exponential Backoff And Jitter" experiment.
    Occ,
}

/// The client population.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ClientsConfig {
    /// Number of clients, 1..=1,000,000.
    pub count: u32,
    /// When each client starts requests.
    pub arrival: ArrivalConfig,
    /// First requests start at a uniform random time in `[0, start_spread_ms]` (burst:
    /// after `at_ms`); not used by Poisson arrivals.
    pub start_spread_ms: f64,
    /// Windows that multiply the Poisson arrival rate (load spikes).
    pub load: Vec<LoadWindowConfig>,
}

impl Default for ClientsConfig {
    fn default() -> Self {
        ClientsConfig {
            count: 100,
            arrival: ArrivalConfig::default(),
            start_spread_ms: 0.0,
            load: Vec::new(),
        }
    }
}

tagged_enum! {
/// Arrival pattern of one client's requests.
#[derive(Clone, Debug, PartialEq)]
pub enum ArrivalConfig {
    /// Open loop: a Poisson process of this rate per client, whatever the responses.
    Poisson {
        /// Requests per second per client.
        #[serde(default = "one")]
        rate_per_s: f64,
    },
    /// Open loop: one request every `every_ms` per client.
    Interval {
        /// Period (ms).
        #[serde(default = "thousand")]
        every_ms: f64,
    },
    /// Every client sends one request at `at_ms` (plus the start spread).
    Burst {
        /// When (ms).
        #[serde(default)]
        at_ms: f64,
    },
    /// Closed loop: the next request starts when the previous one ends plus a think time.
    ClosedLoop {
        /// Think time between requests.
        #[serde(default = "DistConfig::zero")]
        think: DistConfig,
    },
}
}

fn one() -> f64 {
    1.0
}
fn thousand() -> f64 {
    1000.0
}

impl Default for ArrivalConfig {
    fn default() -> Self {
        ArrivalConfig::Poisson { rate_per_s: 1.0 }
    }
}

/// The arrival rate is multiplied by `multiplier` during `[start_ms, end_ms)`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LoadWindowConfig {
    /// Start (ms).
    pub start_ms: f64,
    /// End (ms), exclusive.
    pub end_ms: f64,
    /// Rate multiplier, 0..=1000.
    pub multiplier: f64,
}

impl Default for LoadWindowConfig {
    fn default() -> Self {
        LoadWindowConfig {
            start_ms: 0.0,
            end_ms: 10_000.0,
            multiplier: 2.0,
        }
    }
}

tagged_enum! {
/// A distribution of durations (ms).
#[derive(Clone, Debug, PartialEq)]
pub enum DistConfig {
    /// Always `ms`.
    Constant {
        /// Value (ms).
        #[serde(default)]
        ms: f64,
    },
    /// Uniform in `[min_ms, max_ms]`.
    Uniform {
        /// Lower bound (ms).
        #[serde(default)]
        min_ms: f64,
        /// Upper bound (ms).
        #[serde(default)]
        max_ms: f64,
    },
    /// Exponential with mean `mean_ms`.
    Exponential {
        /// Mean (ms).
        #[serde(default)]
        mean_ms: f64,
    },
    /// Lognormal with the given mean and 99th percentile.
    Lognormal {
        /// Mean (ms).
        #[serde(default)]
        mean_ms: f64,
        /// 99th percentile (ms); must lie in (mean, 14.97 × mean].
        #[serde(default)]
        p99_ms: f64,
    },
    /// `|Normal(mean_ms, sd_ms)|`: a normal folded at zero.
    Normal {
        /// Mean (ms).
        #[serde(default)]
        mean_ms: f64,
        /// Standard deviation (ms).
        #[serde(default)]
        sd_ms: f64,
    },
}
}

impl DistConfig {
    /// A constant zero.
    pub fn zero() -> DistConfig {
        DistConfig::Constant { ms: 0.0 }
    }
}

/// The service model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServiceConfig {
    /// Attempts served at once; `null` = unlimited.
    pub workers: Option<u32>,
    /// Attempts that may wait for a worker; a full queue rejects at once. `null` = unbounded.
    pub queue_capacity: Option<u32>,
    /// Which waiting attempt a free worker takes.
    pub queue: QueueDiscipline,
    /// Work per attempt.
    pub service_time: DistConfig,
    /// Service time × (1 + load_factor · attempts already in service).
    pub load_factor: f64,
    /// One-way network delay; each message (request or response) draws one.
    pub network_delay: DistConfig,
    /// What the server does with an attempt whose client has already given up.
    pub abandoned: Abandoned,
    /// A primary with replicas, failover and backups; `null`: one node that `crash`
    /// faults cannot take down.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replication: Option<ReplicationConfig>,
}

impl Default for ServiceConfig {
    fn default() -> Self {
        ServiceConfig {
            workers: Some(8),
            queue_capacity: Some(100),
            queue: QueueDiscipline::Fifo,
            service_time: DistConfig::Exponential { mean_ms: 20.0 },
            load_factor: 0.0,
            network_delay: DistConfig::Constant { ms: 1.0 },
            abandoned: Abandoned::Keep,
            replication: None,
        }
    }
}

/// Queue order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QueueDiscipline {
    /// Oldest first.
    #[default]
    Fifo,
    /// Newest first.
    Lifo,
}

/// Server behaviour for attempts whose client gave up.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Abandoned {
    /// Serve them anyway: the work is wasted.
    #[default]
    Keep,
    /// Discard them before starting work (as a server that checks the request deadline);
    /// work already started runs to the end.
    Drop,
}

tagged_enum! {
/// A fault on the service during `[start_ms, end_ms)` (ms; start 0 and end 10,000 by default).
#[derive(Clone, Debug, PartialEq)]
pub enum FaultConfig {
    /// Connection refused: arriving attempts fail fast (after the round trip).
    Down {
        /// Start (ms).
        #[serde(default)]
        start_ms: f64,
        /// End (ms), exclusive.
        #[serde(default = "ten_seconds")]
        end_ms: f64,
    },
    /// Arriving attempts and outgoing responses vanish: only a timeout ends the wait.
    Blackhole {
        /// Start (ms).
        #[serde(default)]
        start_ms: f64,
        /// End (ms), exclusive.
        #[serde(default = "ten_seconds")]
        end_ms: f64,
    },
    /// Each attempt finishing in the window fails with probability `rate` (0..=1).
    ErrorRate {
        /// Start (ms).
        #[serde(default)]
        start_ms: f64,
        /// End (ms), exclusive.
        #[serde(default = "ten_seconds")]
        end_ms: f64,
        /// Probability, 0..=1.
        #[serde(default = "half")]
        rate: f64,
    },
    /// Service time × `multiplier` for attempts starting in the window.
    Slow {
        /// Start (ms).
        #[serde(default)]
        start_ms: f64,
        /// End (ms), exclusive.
        #[serde(default = "ten_seconds")]
        end_ms: f64,
        /// Latency multiplier, 0.01..=1000.
        #[serde(default = "three")]
        multiplier: f64,
    },
    /// A fraction `lost` of the workers is gone.
    Capacity {
        /// Start (ms).
        #[serde(default)]
        start_ms: f64,
        /// End (ms), exclusive.
        #[serde(default = "ten_seconds")]
        end_ms: f64,
        /// Fraction of workers lost, 0..=1.
        #[serde(default = "half")]
        lost: f64,
    },
    /// A node of a replicated service crashes at `start_ms` and is back, repaired, at
    /// `end_ms`; its `replication.failover` says what the service does meanwhile.
    Crash {
        /// Start (ms).
        #[serde(default)]
        start_ms: f64,
        /// When the crashed node is back (ms), exclusive.
        #[serde(default = "ten_seconds")]
        end_ms: f64,
        /// Which node.
        #[serde(default)]
        node: CrashNode,
    },
}
}

impl FaultConfig {
    /// `(start_ms, end_ms)` of the window.
    pub fn window(&self) -> (f64, f64) {
        let mut f = self.clone();
        let (s, e) = f.window_mut();
        (*s, *e)
    }

    /// The window's start and end (ms), to move them.
    pub fn window_mut(&mut self) -> (&mut f64, &mut f64) {
        match self {
            FaultConfig::Down { start_ms, end_ms }
            | FaultConfig::Blackhole { start_ms, end_ms }
            | FaultConfig::ErrorRate {
                start_ms, end_ms, ..
            }
            | FaultConfig::Slow {
                start_ms, end_ms, ..
            }
            | FaultConfig::Capacity {
                start_ms, end_ms, ..
            }
            | FaultConfig::Crash {
                start_ms, end_ms, ..
            } => (start_ms, end_ms),
        }
    }
}

fn ten_seconds() -> f64 {
    10_000.0
}

fn half() -> f64 {
    0.5
}
fn three() -> f64 {
    3.0
}

/// The client's failure-handling policy.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PolicyConfig {
    /// Per-attempt timeout (ms); `null` = wait forever.
    pub timeout_ms: Option<f64>,
    /// Overall deadline per request, retries and backoff included (ms); `null` = none.
    pub deadline_ms: Option<f64>,
    /// Attempts per request, first included; `null` = unlimited.
    pub max_attempts: Option<u32>,
    /// Which failed outcomes are retried.
    pub retry_on: RetryOnConfig,
    /// Delay schedule before each retry.
    pub backoff: BackoffConfig,
    /// Randomisation of that delay.
    pub jitter: JitterConfig,
}

impl Default for PolicyConfig {
    fn default() -> Self {
        PolicyConfig {
            timeout_ms: Some(1000.0),
            deadline_ms: None,
            max_attempts: Some(3),
            retry_on: RetryOnConfig::default(),
            backoff: BackoffConfig::default(),
            jitter: JitterConfig::Full,
        }
    }
}

/// Which outcomes are retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RetryOnConfig {
    /// The service answered with an error.
    pub error: bool,
    /// The attempt timed out.
    pub timeout: bool,
    /// The service's queue was full.
    pub rejected: bool,
    /// The connection was refused (service down).
    pub refused: bool,
    /// The client's circuit breaker rejected the call (Polly's retry retries these by
    /// default; most setups do not).
    pub breaker_open: bool,
}

impl Default for RetryOnConfig {
    fn default() -> Self {
        RetryOnConfig {
            error: true,
            timeout: true,
            rejected: true,
            refused: true,
            breaker_open: false,
        }
    }
}

/// Delay schedule: `d(n)` for retry `n` (1 = first retry).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BackoffConfig {
    /// `none`, `constant` (base), `linear` (base · n), `exponential` (base · multiplier^(n−1)).
    #[serde(rename = "type")]
    pub kind: ScheduleConfig,
    /// First delay (ms).
    pub base_ms: f64,
    /// Growth factor of the exponential schedule.
    pub multiplier: f64,
    /// Largest delay (ms).
    pub cap_ms: f64,
    /// First delay after a throttling rejection (ms), when it differs from `base_ms`
    /// (the AWS SDKs: 1,000 ms); `null` = `base_ms`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub throttle_base_ms: Option<f64>,
    /// The first retry goes at once and the schedule starts at the second (urllib3).
    #[serde(skip_serializing_if = "is_false")]
    pub immediate_first: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Default for BackoffConfig {
    fn default() -> Self {
        BackoffConfig {
            kind: ScheduleConfig::Exponential,
            base_ms: 100.0,
            multiplier: 2.0,
            cap_ms: 10_000.0,
            throttle_base_ms: None,
            immediate_first: false,
        }
    }
}

/// Shape of the backoff schedule.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScheduleConfig {
    /// Retry at once.
    None,
    /// Always `base_ms`.
    Constant,
    /// `base_ms · n`, capped.
    Linear,
    /// `base_ms · multiplier^(n−1)`, capped.
    #[default]
    Exponential,
}

tagged_enum! {
/// Jitter applied to the schedule.
#[derive(Clone, Debug, PartialEq)]
pub enum JitterConfig {
    /// No randomisation.
    None,
    /// `U(0, d)`.
    Full,
    /// `d/2 + U(0, d/2)`.
    Equal,
    /// `min(cap, U(base, 3 · previous sleep))`.
    Decorrelated,
    /// `d · U(1 − factor, 1 + factor)`.
    Proportional {
        /// Randomisation factor, 0..=1.
        #[serde(default = "half")]
        factor: f64,
    },
    /// `d · U(min, max)` (gRPC since 2024: 0.8–1.2; backon: 1–2).
    Multiplier {
        /// Lower factor, 0..=10.
        #[serde(default = "point_eight")]
        min: f64,
        /// Upper factor, `min`..=10.
        #[serde(default = "one_point_two")]
        max: f64,
    },
    /// Polly v8's exponential backoff with jitter (`DecorrelatedJitterBackoffV2`): medians
    /// near `base · 2^(n−1)`, spread by a decorrelated random walk.
    DecorrelatedV2,
}
}

// written out: a `#[default]` variant would be copied into tagged_enum!'s reader
#[allow(clippy::derivable_impls)]
impl Default for JitterConfig {
    fn default() -> Self {
        JitterConfig::Full
    }
}

fn point_eight() -> f64 {
    0.8
}
fn one_point_two() -> f64 {
    1.2
}
