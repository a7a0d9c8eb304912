//! The engine: state, the event loop and the stepping API.
//!
//! The engine never reads a clock: the caller says how far to go ([`Sim::step`],
//! [`Sim::run_until`], [`Sim::run`]) and gets a [`Progress`] back, so the same engine serves
//! the CLI (run to the end), the page (chunks between frames) and tests.
//!
//! Events run in time order; events at the same instant run in the order they were
//! scheduled, except per-attempt timeouts, which run after everything else due at their
//! instant (so an answer arriving exactly at the timeout counts). Timeouts all have the
//! same length, so they expire in the order they are set and wait in a plain FIFO rather
//! than the event queue: a quarter of all events, handled in O(1).
//!
//! State is plain vectors indexed by id: clients' random streams, requests in flight
//! (recycled through a free list), one [`ServiceState`] per service, and, when configured,
//! the circuit breakers and retry budgets (see [`breaker`](super::breaker) and
//! [`budget`](super::budget)).

use std::collections::VecDeque;

use serde::Serialize;

use super::breaker::Breakers;
use super::budget::Budgets;
use super::histogram::Histogram;
use super::metrics::{Gauges, Series};
use super::queue::EventQueue;
use super::rng::{Entity, Rng};
use super::scenario::{Arrival, Scenario, Workload};
use super::service::ServiceState;
use super::summary::Summary;
use super::Micros;

/// How an attempt ended, as the client sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The service answered with success.
    Success,
    /// The client stopped waiting.
    Timeout,
    /// The service answered with an error (OCC: the write lost the race).
    Error,
    /// The service's queue was full.
    Rejected,
    /// Connection refused: the service was down.
    Refused,
    /// The client's circuit breaker rejected the call (never sent).
    ShortCircuit,
    /// Adaptive throttling rejected the attempt locally (never sent).
    Throttled,
}

impl Outcome {
    /// Every outcome, in chart order.
    pub const ALL: [Outcome; 7] = [
        Outcome::Success,
        Outcome::Timeout,
        Outcome::Error,
        Outcome::Rejected,
        Outcome::Refused,
        Outcome::ShortCircuit,
        Outcome::Throttled,
    ];

    /// True for outcomes of attempts that were sent to a service.
    pub fn was_sent(self) -> bool {
        !matches!(self, Outcome::ShortCircuit | Outcome::Throttled)
    }
}

/// Events. Owners carry a generation number so that stale events (a timeout for an
/// attempt that already got its answer, say) are recognised and skipped.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Event {
    /// A client starts a new logical request.
    Start { client: u32 },
    /// A request sends its next attempt (after backoff).
    Send { req: u32, gen: u32 },
    /// An attempt reaches service `svc`.
    Arrive {
        req: u32,
        gen: u32,
        retry: bool,
        svc: u8,
    },
    /// A worker of service `svc` finishes the attempt in slot `slot`.
    Done { svc: u8, slot: u32 },
    /// The service's answer reaches the client.
    Reply {
        req: u32,
        gen: u32,
        outcome: Outcome,
    },
    /// The request's deadline ends the attempt (when it comes before the attempt's timeout).
    Deadline { req: u32, gen: u32 },
    /// A capacity fault of service `svc` starts or ends: re-check its queue.
    Capacity { svc: u8 },
    /// Breaker `idx`'s open time (of generation `gen`) is over.
    BreakerTimer { idx: u32, gen: u32 },
    /// OCC: the read reaches the row.
    OccRead { req: u32 },
    /// OCC: the read's answer (the version) reaches the client.
    OccReadReply { req: u32, version: u32 },
    /// OCC: the conditional write reaches the row.
    OccWrite { req: u32, version: u32 },
}

/// One logical request: a call to a service (or one call per service, in sequence), each
/// a first attempt plus retries.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Request {
    pub client: u32,
    /// Bumped when an attempt ends and when the request ends: older events go stale.
    pub gen: u32,
    /// Attempts of the current call so far (those a breaker or throttle rejected included).
    pub attempts: u32,
    /// Jitter state ([`Backoff::sleep`](super::backoff::Backoff::sleep)'s, which fits in
    /// 32 bits: the previous sleep in µs, at most an hour, or an `f32`).
    pub sleep: u32,
    /// When the request started.
    pub start: Micros,
    /// When the current attempt was sent.
    pub sent: Micros,
    /// The service of the current call.
    pub svc: u8,
    /// Position of the current call in a sequence.
    pub step: u8,
    /// What the current call last took from an AWS retry quota (when `acquired`).
    pub cost: u8,
    /// The current call took something from an AWS retry quota.
    pub acquired: bool,
    /// The trial tag of the half-open breaker period the current attempt went through
    /// (0: not a trial).
    pub trial: u16,
}

/// Why a run stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stop {
    /// Nothing left to happen.
    Drained,
    /// Simulated time reached the scenario's duration.
    Duration,
    /// The event budget ran out before the end: the results cover only part of the run.
    EventBudget,
}

/// Where a run stands after a call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    /// Simulated time reached (µs).
    pub now: Micros,
    /// Events processed so far.
    pub events: u64,
    /// `Some` once the run is over.
    pub stopped: Option<Stop>,
    /// The scenario's duration, for progress bars.
    pub duration: Micros,
}

impl Progress {
    /// Fraction of the simulated duration covered, 0..=1 (1 once stopped).
    pub fn fraction(&self) -> f64 {
        if self.stopped.is_some() {
            1.0
        } else {
            (self.now as f64 / self.duration.max(1) as f64).min(1.0)
        }
    }
}

/// Totals kept as the run goes.
#[derive(Clone, Debug, Default)]
pub(crate) struct Totals {
    pub requests: u64,
    pub attempts: u64,
    pub succeeded: u64,
    pub failed: u64,
    pub last_end: Option<Micros>,
    /// Breaker transitions: to open, to half-open, to closed.
    pub transitions: [u64; 3],
}

/// A simulation run in progress.
///
/// ```
/// use herdsim::sim::{presets, Sim};
/// let sc = presets::config("herd-full-jitter").unwrap().validate().unwrap();
/// let mut sim = Sim::new(&sc, 7);
/// let p = sim.step(10_000); // the page runs in chunks like this
/// assert_eq!(p.events, 10_000);
/// let p = sim.run();
/// assert!(p.stopped.is_some());
/// let s = sim.summary();
/// assert_eq!(s.requests, s.succeeded + s.failed + s.in_flight_at_end);
/// ```
pub struct Sim {
    pub(crate) sc: Scenario,
    pub(crate) seed: u64,
    pub(crate) now: Micros,
    pub(crate) queue: EventQueue<Event>,
    /// Per-attempt timeouts `(time, req, gen)`, in time order.
    pub(crate) timeouts: VecDeque<(Micros, u32, u32)>,
    pub(crate) clients: Vec<Rng>,
    pub(crate) reqs: Vec<Request>,
    pub(crate) free: Vec<u32>,
    pub(crate) svcs: Vec<ServiceState>,
    pub(crate) breakers: Option<Breakers>,
    pub(crate) budgets: Option<Budgets>,
    pub(crate) row_version: u32,
    pub(crate) series: Series,
    pub(crate) gauges: Gauges,
    pub(crate) req_latency: Histogram,
    pub(crate) attempt_latency: Histogram,
    pub(crate) totals: Totals,
    pub(crate) raster: super::record::Raster,
    pub(crate) events: u64,
    pub(crate) stopped: Option<Stop>,
}

impl Sim {
    /// A run of `scenario` with `seed`, at time 0 with its first events scheduled.
    pub fn new(scenario: &Scenario, seed: u64) -> Sim {
        let sc = scenario.clone();
        let n = sc.clients.count;
        let services = sc.services.len();
        let mut sim = Sim {
            clients: (0..n)
                .map(|i| Rng::stream(seed, Entity::Client(i)))
                .collect(),
            svcs: (0..services)
                .map(|i| ServiceState::new(&sc, i, seed))
                .collect(),
            breakers: sc
                .breaker
                .map(|b| Breakers::new(b, b.scope.count(n, services))),
            budgets: sc.budget.map(|b| Budgets::new(b, b.count(n, services))),
            series: Series::new(sc.bucket),
            sc,
            seed,
            now: 0,
            queue: EventQueue::default(),
            timeouts: VecDeque::new(),
            reqs: Vec::new(),
            free: Vec::new(),
            row_version: 0,
            gauges: Gauges::default(),
            req_latency: Histogram::default(),
            attempt_latency: Histogram::default(),
            totals: Totals::default(),
            raster: super::record::Raster::new(n),
            events: 0,
            stopped: None,
        };
        sim.schedule_first_requests();
        for i in 0..services {
            ServiceState::schedule_capacity_edges(&sim.sc, i, &mut sim.queue);
        }
        sim.init_budget_gauges();
        sim
    }

    fn schedule_first_requests(&mut self) {
        let spread = self.sc.clients.start_spread;
        let (poisson, burst_at) = match (self.sc.workload, &self.sc.clients.arrival) {
            (Workload::Occ, _) => (false, 0),
            (Workload::Service, Arrival::Poisson(_)) => (true, 0),
            (Workload::Service, Arrival::Burst(at)) => (false, *at),
            (Workload::Service, Arrival::Interval(_) | Arrival::ClosedLoop(_)) => (false, 0),
        };
        for client in 0..self.sc.clients.count {
            let first = if poisson {
                self.next_poisson(client, 0)
            } else {
                Some(burst_at + self.clients[client as usize].range_inclusive(0, spread))
            };
            match first {
                Some(t) if t < self.sc.duration => self.queue.push(t, Event::Start { client }),
                _ => {}
            }
        }
    }

    /// Process up to `max_events` events.
    pub fn step(&mut self, max_events: u64) -> Progress {
        self.advance(Micros::MAX, max_events)
    }

    /// Process every event up to and including simulated time `t` (µs).
    pub fn run_until(&mut self, t: Micros) -> Progress {
        self.advance(t, u64::MAX)
    }

    /// Run to the end (duration reached, nothing left, or event budget spent).
    pub fn run(&mut self) -> Progress {
        self.advance(Micros::MAX, u64::MAX)
    }

    /// Where the run stands.
    pub fn progress(&self) -> Progress {
        Progress {
            now: self.now,
            events: self.events,
            stopped: self.stopped,
            duration: self.sc.duration,
        }
    }

    fn advance(&mut self, until: Micros, max_events: u64) -> Progress {
        let mut done = 0;
        while self.stopped.is_none() && done < max_events {
            let timeout = self.timeouts.front().map(|e| e.0);
            // With no timeout pending, nothing can be scheduled before the queue's next event
            // is handled, so the queue may move forward to it at once.
            let queued = if timeout.is_some() {
                self.queue.peek_time()
            } else {
                self.queue.advance_to_next()
            };
            let Some(t) = (match (queued, timeout) {
                (Some(q), Some(o)) => Some(q.min(o)),
                (q, o) => q.or(o),
            }) else {
                // A service run observes its whole duration (an idle tail is part of the
                // picture); an OCC run is over when every client is done.
                let end = match self.sc.workload {
                    Workload::Service => self.sc.duration,
                    Workload::Occ => self.now,
                };
                self.stop(Stop::Drained, end);
                break;
            };
            if t > self.sc.duration {
                self.stop(Stop::Duration, self.sc.duration);
                break;
            }
            if t > until {
                self.now = self.now.max(until);
                break;
            }
            if self.events >= self.sc.max_events {
                self.stop(Stop::EventBudget, self.now);
                break;
            }
            self.now = t;
            self.events += 1;
            done += 1;
            if queued == Some(t) {
                let Some((_, ev)) = self.queue.pop() else {
                    break;
                };
                self.handle(ev);
            } else if let Some((_, req, gen)) = self.timeouts.pop_front() {
                if self.reqs[req as usize].gen == gen {
                    self.attempt_ended(req, Outcome::Timeout);
                }
            }
        }
        self.progress()
    }

    fn stop(&mut self, why: Stop, at: Micros) {
        self.now = at;
        self.gauges.advance(&mut self.series, at);
        self.series.cover(at);
        for s in &mut self.svcs {
            s.gauges.advance(&mut s.series, at);
            s.series.cover(at);
        }
        // an event at exactly the end may have coarsened one series: all share its width
        let width = self
            .svcs
            .iter()
            .map(|s| s.series.width)
            .fold(self.series.width, Micros::max);
        self.series.coarsen_to(width);
        for s in &mut self.svcs {
            s.series.coarsen_to(width);
        }
        self.stopped = Some(why);
    }

    fn handle(&mut self, ev: Event) {
        match ev {
            Event::Start { client } => self.start_request(client),
            Event::Send { req, gen } => {
                if self.reqs[req as usize].gen == gen {
                    self.send(req);
                }
            }
            Event::Arrive {
                req,
                gen,
                retry,
                svc,
            } => self.arrive(req, gen, retry, svc as usize),
            Event::Done { svc, slot } => self.done(svc as usize, slot),
            Event::Reply { req, gen, outcome } => {
                if self.reqs[req as usize].gen == gen {
                    self.attempt_ended(req, outcome);
                }
            }
            Event::Deadline { req, gen } => {
                if self.reqs[req as usize].gen == gen {
                    self.attempt_ended(req, Outcome::Timeout);
                }
            }
            Event::Capacity { svc } => self.dispatch(svc as usize),
            Event::BreakerTimer { idx, gen } => self.breaker_timer(idx as usize, gen),
            Event::OccRead { req } => self.occ_read(req),
            Event::OccReadReply { req, version } => self.occ_read_reply(req, version),
            Event::OccWrite { req, version } => self.occ_write(req, version),
        }
    }

    /// The scenario being run.
    pub fn scenario(&self) -> &Scenario {
        &self.sc
    }

    /// The seed of this run.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The time series of the whole run so far (every service's added up). Each service's
    /// own series is in [`Sim::record`].
    pub fn series(&self) -> Series {
        self.merged_series()
    }

    /// End-to-end latency of logical requests (retries and backoff included).
    pub fn request_latency(&self) -> &Histogram {
        &self.req_latency
    }

    /// Latency of single attempts (a timed-out attempt counts its timeout).
    pub fn attempt_latency(&self) -> &Histogram {
        &self.attempt_latency
    }

    /// Requests started and not yet ended.
    pub fn in_flight(&self) -> u64 {
        (self.reqs.len() - self.free.len()) as u64
    }

    /// The summary of the run so far.
    pub fn summary(&self) -> Summary {
        Summary::of(self, &self.merged_series())
    }

    /// Bytes of engine state (clients, requests, queue), for memory reports.
    pub fn state_bytes(&self) -> usize {
        self.clients.capacity() * std::mem::size_of::<Rng>()
            + self.reqs.capacity() * std::mem::size_of::<Request>()
            + self.free.capacity() * 4
            + self.queue.capacity_bytes()
            + self.timeouts.capacity() * 16
            + self.svcs.iter().map(ServiceState::bytes).sum::<usize>()
            + self.breakers.as_ref().map_or(0, Breakers::bytes)
            + self.budgets.as_ref().map_or(0, Budgets::bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_stay_small() {
        assert!(
            std::mem::size_of::<Event>() <= 12,
            "{}",
            std::mem::size_of::<Event>()
        );
        assert!(std::mem::size_of::<Request>() <= 40);
    }
}
