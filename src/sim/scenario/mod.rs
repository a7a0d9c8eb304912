//! The scenario, from what the user edits to what the engine runs:
//!
//! - [`config`]: the plain serde data a user writes (JSON, the page's controls, links);
//! - [`bounds`]: the range, unit and label of every numeric field, read by validation,
//!   its messages and the page's controls;
//! - [`validate`]: the one conversion from config into a [`Scenario`], naming the field,
//!   the value and the allowed range of every problem;
//! - the typed [`Scenario`] itself (this module): integer microseconds, no invalid states,
//!   built only by validation, so the engine can trust it;
//! - [`edit`]: changes by JSON path (`--set`, the page's controls);
//! - [`presets`]: the scenarios shipped with the app and the CLI.

use crate::sim::policy::backoff::Backoff;
use crate::sim::policy::breaker::BreakerSpec;
use crate::sim::policy::budget::BudgetSpec;
use crate::sim::random::dist::Dist;
use crate::sim::scenario::config::{Abandoned, CrashNode, QueueDiscipline};
use crate::sim::Micros;

pub mod bounds;
pub mod config;
pub mod edit;
pub mod intervene;
pub mod presets;
mod replication_config;
mod resilience_config;
pub(crate) mod tagged;
pub mod validate;

/// Everything the engine needs for one run (except the seed, given to the engine).
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    /// Name, for reports.
    name: String,
    /// Simulated time to run.
    duration: Micros,
    /// Metrics bucket width; `None` = automatic (grows with the run).
    bucket: Option<Micros>,
    /// Event budget.
    max_events: u64,
    /// Memory budget of the engine's state (bytes).
    max_memory: usize,
    /// Kind of work.
    workload: Workload,
    /// Client population.
    clients: Clients,
    /// The services (at least one, at most [`MAX_SERVICES`]).
    services: Vec<Service>,
    /// How a request uses them.
    route: Route,
    /// Client policy.
    policy: Policy,
    /// Circuit breakers, if any.
    breaker: Option<BreakerSpec>,
    /// Retry budget or throttling, if any.
    budget: Option<BudgetSpec>,
}

/// Read-only access: a `Scenario` is made only by validation and never edited after.
impl Scenario {
    /// Name, for reports.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Simulated time to run.
    pub fn duration(&self) -> Micros {
        self.duration
    }

    /// Metrics bucket width; `None` = automatic (grows with the run).
    pub fn bucket(&self) -> Option<Micros> {
        self.bucket
    }

    /// Event budget.
    pub fn max_events(&self) -> u64 {
        self.max_events
    }

    /// Memory budget of the engine's state (bytes).
    pub fn max_memory(&self) -> usize {
        self.max_memory
    }

    /// Kind of work.
    pub fn workload(&self) -> Workload {
        self.workload
    }

    /// Client population.
    pub fn clients(&self) -> &Clients {
        &self.clients
    }

    /// The services (at least one, at most [`MAX_SERVICES`]).
    pub fn services(&self) -> &[Service] {
        &self.services
    }

    /// How a request uses them.
    pub fn route(&self) -> &Route {
        &self.route
    }

    /// Client policy.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Circuit breakers, if any.
    pub fn breaker(&self) -> Option<BreakerSpec> {
        self.breaker
    }

    /// Retry budget or throttling, if any.
    pub fn budget(&self) -> Option<BudgetSpec> {
        self.budget
    }

    /// Breakers in each breaker group: per service (per-service scopes) or, for breakers
    /// that guard every service, all of them; 0 without breakers.
    pub fn breakers_per_group(&self) -> usize {
        let (clients, services) = (self.clients.count, self.services.len());
        self.breaker.map_or(0, |b| {
            let n = b.scope.count(clients, services);
            if b.scope.per_service() {
                n / services
            } else {
                n
            }
        })
    }

    /// Budgets per service (0 without a budget) and the unit of their level.
    pub fn budgets_per_service(&self) -> (usize, &'static str) {
        self.budget.map_or((0, ""), |b| {
            let n = if b.per_client {
                self.clients.count as usize
            } else {
                1
            };
            (n, b.unit())
        })
    }
}

/// Most services in a scenario.
pub const MAX_SERVICES: usize = 16;

/// How a request uses the services.
#[derive(Clone, Debug, PartialEq)]
pub enum Route {
    /// One service per request, picked by weight: cumulative weights, normalised to end at 1.
    Weighted(Vec<f64>),
    /// Every service, in order; the request succeeds if every call does.
    Sequence,
}

/// Kind of work, see [`WorkloadConfig`](crate::sim::scenario::config::WorkloadConfig).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Workload {
    /// Requests to a service with workers and a queue.
    Service,
    /// Optimistic-concurrency updates of one row.
    Occ,
}

/// Client population.
#[derive(Clone, Debug, PartialEq)]
pub struct Clients {
    /// Number of clients.
    pub count: u32,
    /// Arrival pattern.
    pub arrival: Arrival,
    /// First requests spread uniformly over this span.
    pub start_spread: Micros,
    /// Rate multipliers (Poisson arrivals), sorted, non-overlapping.
    pub load: Vec<LoadWindow>,
}

/// Arrival pattern.
#[derive(Clone, Debug, PartialEq)]
pub enum Arrival {
    /// Poisson with this many requests per second per client.
    Poisson(f64),
    /// One request per client every this many µs.
    Interval(Micros),
    /// One request per client at this time.
    Burst(Micros),
    /// Next request after the previous one ends plus a think time.
    ClosedLoop(Dist),
}

/// The Poisson rate is multiplied by `multiplier` during `[start, end)`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LoadWindow {
    /// Start.
    pub start: Micros,
    /// End, exclusive.
    pub end: Micros,
    /// Multiplier.
    pub multiplier: f64,
}

/// One service: its model and its faults.
#[derive(Clone, Debug, PartialEq)]
pub struct Service {
    /// Name, for reports.
    pub name: String,
    /// Concurrent attempts; `None` = unlimited.
    pub workers: Option<u32>,
    /// Waiting room; `None` = unbounded.
    pub queue_capacity: Option<u32>,
    /// Queue order.
    pub discipline: QueueDiscipline,
    /// Work per attempt.
    pub service_time: Dist,
    /// Service time × (1 + load_factor · attempts already in service).
    pub load_factor: f64,
    /// One-way network delay.
    pub network: Dist,
    /// Fate of attempts whose client gave up.
    pub abandoned: Abandoned,
    /// Fault windows, sorted by start.
    pub faults: Vec<Fault>,
    /// Its primary, replicas and failover; `None`: a single node.
    pub replication: Option<Replication>,
}

/// Most replicas of a service.
pub const MAX_REPLICAS: u32 = 4;

/// A primary and its replicas (see
/// [`ReplicationConfig`](crate::sim::scenario::config::ReplicationConfig)).
#[derive(Clone, Debug, PartialEq)]
pub struct Replication {
    /// Replicas besides the primary, at most [`MAX_REPLICAS`].
    pub replicas: u8,
    /// A write is answered once a replica has it.
    pub sync: bool,
    /// Time for a write to reach a replica.
    pub lag: Dist,
    /// A request is a write when its 16-bit draw is below this (share × 65,536).
    pub writes: u32,
    /// Reads go to the replicas.
    pub reads_from_replicas: bool,
    /// Calls to a primary that is down are refused (otherwise they get no answer).
    pub refuse_while_down: bool,
    /// What brings the service back.
    pub failover: Failover,
    /// Random crashes of every node: mean time between failures and to repair.
    pub random_crashes: Option<(Micros, Micros)>,
}

/// What brings a service back after its primary crashes.
#[derive(Clone, Debug, PartialEq)]
pub enum Failover {
    /// After `detect`, the first replica that is up is promoted in `promote`.
    Promote {
        /// From the crash to its detection (health checks × failures, or the alert).
        detect: Micros,
        /// Promotion (automatic) or the runbook's steps (manual).
        promote: Dist,
        /// A person does it (the runbook), for reports.
        manual: bool,
    },
    /// Wait for the crashed primary to come back.
    None,
    /// After `detect`, restore the primary from the last backup in `restore`.
    Restore {
        /// From the crash to the alert.
        detect: Micros,
        /// Time between backups.
        every: Micros,
        /// The restore.
        restore: Dist,
    },
}

impl Service {
    /// What the service can serve when healthy, in attempts per second: workers × 1000 /
    /// mean service time in ms (`None` with unlimited workers or no service time). The
    /// load factor is left out: this is the nominal capacity an operator would quote.
    pub fn capacity_per_s(&self) -> Option<f64> {
        let mean_us = self.service_time.mean();
        match self.workers {
            Some(w) if mean_us > 0.0 => Some(f64::from(w) * 1e6 / mean_us),
            _ => None,
        }
    }
}

/// A fault window `[start, end)`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Fault {
    /// Start.
    pub start: Micros,
    /// End, exclusive.
    pub end: Micros,
    /// What goes wrong.
    pub kind: FaultKind,
}

impl Fault {
    /// Whether the window covers `t`.
    #[inline]
    pub fn covers(&self, t: Micros) -> bool {
        self.start <= t && t < self.end
    }
}

/// What goes wrong.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum FaultKind {
    /// Connection refused.
    Down,
    /// No response ever.
    Blackhole,
    /// Attempts fail with this probability.
    ErrorRate(f64),
    /// Service time multiplier.
    Slow(f64),
    /// Fraction of workers lost.
    Capacity(f64),
    /// A node crashes (see [`Replication`]); the window ends when it is back.
    Crash(CrashNode),
}

/// Client policy.
#[derive(Clone, Debug, PartialEq)]
pub struct Policy {
    /// Per-attempt timeout.
    pub timeout: Option<Micros>,
    /// Overall deadline of a request.
    pub deadline: Option<Micros>,
    /// Attempts per request (`u32::MAX` = unlimited).
    pub max_attempts: u32,
    /// Retryable outcomes.
    pub retry_on: RetryOn,
    /// Backoff and jitter.
    pub backoff: Backoff,
}

/// Which failed outcomes are retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryOn {
    /// Errors.
    pub error: bool,
    /// Timeouts.
    pub timeout: bool,
    /// Queue-full rejections.
    pub rejected: bool,
    /// Connection refused.
    pub refused: bool,
    /// Rejected by the client's own circuit breaker.
    pub breaker_open: bool,
}

/// Bytes of engine state per request in flight (the request, its pending events and
/// timeout), as measured on a run stopped by the memory budget.
pub const BYTES_PER_REQUEST: f64 = 128.0;

impl Scenario {
    /// The most requests that could be in flight at once if the services stopped
    /// answering: every attempt waits its whole timeout, every retry its longest backoff
    /// (Little's law over the offered load, at most every request the run can start).
    pub fn worst_in_flight(&self) -> f64 {
        let dur = self.duration as f64;
        let p = &self.policy;
        let attempts = f64::from(p.max_attempts);
        let wait = p.timeout.map_or(dur, |t| t as f64);
        let backoff = p.backoff.base.max(p.backoff.cap) as f64;
        let calls = match self.route {
            Route::Sequence => self.services.len() as f64,
            Route::Weighted(_) => 1.0,
        };
        let mut life = calls * (attempts * wait + (attempts - 1.0) * backoff);
        if let Some(d) = p.deadline {
            life = life.min(d as f64);
        }
        let life = life.min(dur);
        let n = f64::from(self.clients.count);
        let peak = self
            .clients
            .load
            .iter()
            .map(|w| w.multiplier)
            .fold(1.0, f64::max);
        let (rate, total) = match &self.clients.arrival {
            Arrival::Poisson(r) => (n * r * peak / 1e6, n * r * peak * dur / 1e6),
            Arrival::Interval(every) => {
                let every = (*every).max(1) as f64;
                (n / every, n * (dur / every).ceil())
            }
            Arrival::Burst(_) | Arrival::ClosedLoop(_) => return n,
        };
        (rate * life).min(total).max(0.0)
    }

    /// Warnings about the run before it starts: today, an offered load that could hold
    /// far more requests in flight than the memory budget allows (the run would stop at
    /// the budget with partial results).
    pub fn warnings(&self) -> Vec<String> {
        let worst = self.worst_in_flight();
        let need = worst * BYTES_PER_REQUEST;
        let budget = self.max_memory as f64;
        if need > 2.0 * budget {
            vec![format!(
                "if the services stop answering, up to {} requests could be in flight \
                 (about {} MB), more than max_memory_mb = {} allows: the run may stop at \
                 the memory budget with partial results (lower clients.count or the \
                 timeout, or raise max_memory_mb)",
                group(worst),
                group(need / 1048576.0),
                group(budget / 1048576.0)
            )]
        } else {
            Vec::new()
        }
    }

    /// Time windows of disturbance (faults of every service and load spikes), for
    /// recovery metrics.
    pub fn disturbances(&self) -> impl Iterator<Item = (Micros, Micros)> + '_ {
        self.services
            .iter()
            .flat_map(|s| s.faults.iter().map(|f| (f.start, f.end)))
            .chain(self.spikes())
    }

    /// Whether a service is replicated (its primary can crash and fail over).
    pub fn replicated(&self) -> bool {
        self.services.iter().any(|s| s.replication.is_some())
    }

    /// Load spikes (multiplier above 1).
    pub fn spikes(&self) -> impl Iterator<Item = (Micros, Micros)> + '_ {
        self.clients
            .load
            .iter()
            .filter(|w| w.multiplier > 1.0)
            .map(|w| (w.start, w.end))
    }

    /// What service `i` can serve when healthy, in attempts per second
    /// ([`Service::capacity_per_s`]); `None` for an OCC workload, where no worker serves
    /// (the row's conflicts limit it, not a queue), or an unknown service.
    pub fn capacity_per_s(&self, i: usize) -> Option<f64> {
        match self.workload {
            Workload::Occ => None,
            Workload::Service => self.services.get(i)?.capacity_per_s(),
        }
    }

    /// What the services can serve together: the sum of their capacities when every one
    /// has one.
    pub fn total_capacity_per_s(&self) -> Option<f64> {
        (0..self.services.len())
            .map(|i| self.capacity_per_s(i))
            .sum()
    }

    /// Every fault window of every service.
    pub fn faults(&self) -> impl Iterator<Item = &Fault> + '_ {
        self.services.iter().flat_map(|s| s.faults.iter())
    }
}

/// A number rounded to a whole and grouped in thousands: 1234567.8 → "1,234,568".
fn group(x: f64) -> String {
    bounds::grouped(&format!("{:.0}", x.clamp(0.0, 1e18)))
}
