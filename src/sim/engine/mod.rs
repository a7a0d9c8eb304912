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
//! the circuit breakers and retry budgets (see [`breaker`](crate::sim::policy::breaker) and
//! [`budget`](crate::sim::policy::budget)).

use std::borrow::Cow;
use std::collections::VecDeque;

mod client;
mod cluster;
mod event;
mod guard;
mod occ;
pub mod queue;
mod service;

use event::Event;
use queue::EventQueue;
use service::{At, Call, ServiceState};

use crate::sim::output::histogram::Histogram;
use crate::sim::output::metrics::{Gauges, Series};
use crate::sim::output::outcome::{Outcome, Stop};
use crate::sim::output::record::{Raster, RunRecord};
use crate::sim::output::summary::Summary;
use crate::sim::output::totals::Totals;
use crate::sim::output::view::RunView;
use crate::sim::policy::breaker::Breakers;
use crate::sim::policy::budget::Budgets;
use crate::sim::random::rng::{Entity, Rng};
use crate::sim::scenario::{Arrival, Scenario, Workload};
use crate::sim::Micros;

/// One logical request: a call to a service (or one call per service, in sequence), each
/// a first attempt plus retries.
#[derive(Clone, Copy, Debug, Default)]
struct Request {
    pub client: u32,
    /// Bumped when an attempt ends and when the request ends: older events go stale.
    pub gen: u32,
    /// Attempts of the current call so far (those a breaker or throttle rejected included).
    pub attempts: u32,
    /// Jitter state ([`Backoff::sleep`](crate::sim::policy::backoff::Backoff::sleep)'s, which fits in
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
    /// A draw that makes the request a write or a read at a replicated service (0 when no
    /// service is replicated).
    pub draw: u16,
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

/// A simulation run in progress.
///
/// ```
/// use herdsim::sim::{scenario::presets, Sim};
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
    sc: Scenario,
    seed: u64,
    now: Micros,
    queue: EventQueue<Event>,
    /// Per-attempt timeouts `(time, req, gen)`, in time order.
    timeouts: VecDeque<(Micros, u32, u32)>,
    clients: Vec<Rng>,
    reqs: Vec<Request>,
    free: Vec<u32>,
    svcs: Vec<ServiceState>,
    breakers: Option<Breakers>,
    budgets: Option<Budgets>,
    row_version: u32,
    series: Series,
    gauges: Gauges,
    req_latency: Histogram,
    ok_latency: Histogram,
    failed_latency: Histogram,
    attempt_latency: Histogram,
    totals: Totals,
    raster: Raster,
    /// Whether what only a [`RunRecord`] reads is kept (the raster, the attempt latencies):
    /// not in a run that only a summary will read ([`Sim::run_to_summary`]).
    keeps_record: bool,
    /// The run's own counts and gauges go to its one service's series, not to `series`
    /// (see [`Sim::run_to_summary`]).
    shares_series: bool,
    /// Some service is replicated: each request draws whether it is a write.
    draws_kind: bool,
    events: u64,
    stopped: Option<Stop>,
}

/// Events between checks of the memory budget.
const MEMORY_CHECK: u64 = 1024;

impl Sim {
    /// A run of `scenario` with `seed`, at time 0 with its first events scheduled.
    pub fn new(scenario: &Scenario, seed: u64) -> Sim {
        let sc = scenario.clone();
        let n = sc.clients().count;
        let services = sc.services().len();
        let mut sim = Sim {
            clients: (0..n)
                .map(|i| Rng::stream(seed, Entity::Client(i)))
                .collect(),
            svcs: (sc.services().iter().enumerate())
                .map(|(i, spec)| ServiceState::new(spec, i, seed, sc.bucket(), (sc.duration(), n)))
                .collect(),
            draws_kind: sc.replicated(),
            breakers: sc
                .breaker()
                .map(|b| Breakers::new(b, b.scope.count(n, services))),
            budgets: sc.budget().map(|b| Budgets::new(b, b.count(n, services))),
            series: Series::new(sc.bucket()),
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
            ok_latency: Histogram::default(),
            failed_latency: Histogram::default(),
            attempt_latency: Histogram::default(),
            totals: Totals::default(),
            raster: Raster::new(n),
            keeps_record: true,
            shares_series: false,
            events: 0,
            stopped: None,
        };
        sim.schedule_first_requests();
        for (st, spec) in sim.svcs.iter().zip(sim.sc.services()) {
            st.schedule_edges(spec, &mut sim.queue);
        }
        sim.init_budget_gauges();
        sim
    }

    fn schedule_first_requests(&mut self) {
        let spread = self.sc.clients().start_spread;
        let (poisson, burst_at) = match (self.sc.workload(), &self.sc.clients().arrival) {
            (Workload::Occ, _) => (false, 0),
            (Workload::Service, Arrival::Poisson(_)) => (true, 0),
            (Workload::Service, Arrival::Burst(at)) => (false, *at),
            (Workload::Service, Arrival::Interval(_) | Arrival::ClosedLoop(_)) => (false, 0),
        };
        for client in 0..self.sc.clients().count {
            let first = if poisson {
                self.next_poisson(client, 0)
            } else {
                Some(burst_at + self.clients[client as usize].range_inclusive(0, spread))
            };
            match first {
                Some(t) if t < self.sc.duration() => self.queue.push(t, Event::Start { client }),
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
            duration: self.sc.duration(),
        }
    }

    fn advance(&mut self, until: Micros, max_events: u64) -> Progress {
        let mut done = 0;
        while self.stopped.is_none() && done < max_events {
            if self.timeouts.is_empty() {
                done += self.run_queue(until, max_events - done);
                if done >= max_events {
                    break;
                }
            }
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
                let end = match self.sc.workload() {
                    Workload::Service => self.sc.duration(),
                    Workload::Occ => self.now,
                };
                self.stop(Stop::Drained, end);
                break;
            };
            if t > self.sc.duration() {
                self.stop(Stop::Duration, self.sc.duration());
                break;
            }
            if t > until {
                self.now = self.now.max(until);
                break;
            }
            if self.events >= self.sc.max_events() {
                self.stop(Stop::EventBudget, self.now);
                break;
            }
            // One event adds at most a few requests, events and queue entries: checking
            // every MEMORY_CHECK events bounds the overshoot to one growth of a vector.
            if self.events % MEMORY_CHECK == 0 && self.growing_bytes() > self.sc.max_memory() {
                self.stop(Stop::MemoryBudget, self.now);
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

    /// The fast path of [`Sim::advance`]: handle up to `max` events straight from the
    /// queue while no timeout is pending and none of the loop's checks can apply (the next
    /// event is not after `until` nor the end, the event budget is not reached, no memory
    /// check is due). Returns the events handled; the general loop takes over from there,
    /// making its checks in its order, so a run goes exactly as by the general loop alone.
    #[inline]
    fn run_queue(&mut self, until: Micros, max: u64) -> u64 {
        let budget = self.sc.max_events().saturating_sub(self.events);
        // the general loop checks memory before the event after each multiple of MEMORY_CHECK
        let to_check = match self.events % MEMORY_CHECK {
            0 => 0,
            k => MEMORY_CHECK - k,
        };
        let n = max.min(budget).min(to_check);
        let limit = until.min(self.sc.duration());
        let mut done = 0;
        while done < n && self.timeouts.is_empty() {
            let Some((t, ev)) = self.queue.pop_at_most(limit) else {
                break;
            };
            self.now = t;
            self.events += 1;
            done += 1;
            self.handle(ev);
        }
        done
    }

    fn stop(&mut self, why: Stop, at: Micros) {
        self.now = at;
        let series = run_series(&mut self.series, &mut self.svcs, self.shares_series);
        self.gauges.advance(series, at);
        series.cover(at);
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

    #[inline(always)]
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
            } => {
                let (st, mut at, reqs) = self.service(svc);
                let r = &reqs[req as usize];
                let call = Call {
                    client: r.client,
                    draw: r.draw,
                };
                st.arrive(&mut at, (req, gen, call), retry, r.gen == gen);
            }
            Event::Done { svc, slot } => {
                let (st, mut at, reqs) = self.service(svc);
                st.done(
                    &mut at,
                    slot,
                    |r, g| reqs[r as usize].gen == g,
                    |r| reqs[r as usize].client,
                );
            }
            Event::Crash { svc } => {
                let (st, mut at, _) = self.service(svc);
                st.crash(&mut at);
            }
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
            Event::Capacity { svc } => {
                let (st, mut at, reqs) = self.service(svc);
                st.dispatch(&mut at, |r, g| reqs[r as usize].gen == g);
            }
            Event::BreakerTimer { idx, gen } => self.breaker_timer(idx as usize, gen),
            Event::OccRead { req } => self.occ_read(req),
            Event::OccReadReply { req, version } => self.occ_read_reply(req, version),
            Event::OccWrite { req, version } => self.occ_write(req, version),
        }
    }

    /// Service `svc`'s state, where its step happens, and the requests (whose generation
    /// says whether a client still waits for an attempt).
    fn service(&mut self, svc: u8) -> (&mut ServiceState, At<'_>, &[Request]) {
        let at = At {
            spec: &self.sc.services()[svc as usize],
            now: self.now,
            queue: &mut self.queue,
        };
        (&mut self.svcs[svc as usize], at, &self.reqs)
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
        Summary::of(&self.view())
    }

    /// Run to the end and return the summary, as a sweep does with each of its runs. The
    /// engine is used up, so from here on it keeps nothing that only a [`RunRecord`] reads,
    /// and the run's series takes in the services' in place, not in a copy.
    ///
    /// A run of one service that starts here keeps one series, not two: the run's own
    /// counts (requests started and ended, in flight, breakers over every service) go to
    /// the service's series, which then is the run's. Those are fields the service never
    /// writes and its summary never reads, and the sum is the one adding the two series
    /// bucket by bucket would give (integers; the one float, the budget level, is the
    /// service's alone), so the summary is the same, for half the bucket keeping.
    pub fn run_to_summary(mut self) -> Summary {
        self.keeps_record = false;
        self.shares_series = self.events == 0 && self.svcs.len() == 1;
        self.run();
        if self.shares_series {
            return Summary::of(&self.view_with(Cow::Borrowed(&self.svcs[0].series)));
        }
        let mut series = std::mem::replace(&mut self.series, Series::new(None));
        for st in &self.svcs {
            series.absorb(&st.series);
        }
        Summary::of(&self.view_with(Cow::Owned(series)))
    }

    /// Everything charts and exports need, copied out of the engine.
    pub fn record(&self) -> RunRecord {
        let mut view = self.view();
        // only the record's client grid needs them (not a summary, not a sweep's runs)
        if self.raster.dropped == 0 {
            view.open_attempts = self.open_attempts();
        }
        RunRecord::of(&view)
    }

    /// The per-client raster so far.
    pub fn raster(&self) -> &Raster {
        &self.raster
    }

    /// The run's series with every service's series added in.
    fn merged_series(&self) -> Series {
        let mut s = self.series.clone();
        for st in &self.svcs {
            s.absorb(&st.series);
        }
        s
    }

    /// The requests still going (not in the free list).
    fn live(&self) -> impl Iterator<Item = &Request> {
        let mut free = vec![false; self.reqs.len()];
        for &r in &self.free {
            free[r as usize] = true;
        }
        (self.reqs.iter().zip(free))
            .filter(|(_, free)| !free)
            .map(|(r, _)| r)
    }

    /// When the oldest request still in flight started, if any is.
    fn oldest_start(&self) -> Option<Micros> {
        self.live().map(|r| r.start).min()
    }

    /// The sampled clients' attempts in flight now (client, sent): a live request whose
    /// current attempt has no dot yet (one backing off or waiting has the dot of the attempt
    /// it last sent).
    fn open_attempts(&self) -> Vec<(u32, Micros)> {
        let rows = self.raster.rows;
        let ended: std::collections::HashSet<(u32, Micros)> = self
            .raster
            .dots
            .iter()
            .map(|d| (d.client, d.sent))
            .collect();
        let mut open: Vec<(u32, Micros)> = self
            .live()
            .filter(|r| r.client < rows && r.attempts > 0)
            .map(|r| (r.client, r.sent))
            .filter(|k| !ended.contains(k))
            .collect();
        open.sort_unstable();
        open
    }

    /// What output code may read of the run.
    fn view(&self) -> RunView<'_> {
        self.view_with(Cow::Owned(self.merged_series()))
    }

    /// The view, with the run's merged `series`.
    fn view_with<'a>(&'a self, series: Cow<'a, Series>) -> RunView<'a> {
        RunView {
            scenario: &self.sc,
            seed: self.seed,
            now: self.now,
            events: self.events,
            stopped: self.stopped,
            in_flight: self.in_flight(),
            totals: &self.totals,
            series,
            services: self.svcs.iter().map(|s| (&s.series, &s.totals)).collect(),
            incidents: self.svcs.iter().map(|s| s.incidents(self.now)).collect(),
            stale_reads: self.svcs.iter().map(ServiceState::stale_reads).collect(),
            request_latency: &self.req_latency,
            success_latency: &self.ok_latency,
            failure_latency: &self.failed_latency,
            oldest_start: self.oldest_start(),
            attempt_latency: &self.attempt_latency,
            raster: &self.raster,
            open_attempts: Vec::new(),
            breakers_per_group: self.sc.breakers_per_group(),
            budgets_per_service: self.sc.budgets_per_service(),
        }
    }

    /// Bytes of engine state (clients, requests, queue), for memory reports.
    pub fn state_bytes(&self) -> usize {
        self.clients.capacity() * std::mem::size_of::<Rng>()
            + self.growing_bytes()
            + self.breakers.as_ref().map_or(0, Breakers::bytes)
            + self.budgets.as_ref().map_or(0, Budgets::bytes)
    }

    /// Bytes of the state that grows with the run (requests in flight, pending events
    /// and timeouts, service queues): what the memory budget limits.
    pub fn growing_bytes(&self) -> usize {
        self.reqs.capacity() * std::mem::size_of::<Request>()
            + self.free.capacity() * 4
            + self.queue.capacity_bytes()
            + self.timeouts.capacity() * 16
            + self.svcs.iter().map(ServiceState::bytes).sum::<usize>()
    }
}

/// The series the run's own counts and gauges go to: its own, or, when it `shares` it, its
/// one service's (see [`Sim::run_to_summary`]).
#[inline]
fn run_series<'a>(
    own: &'a mut Series,
    svcs: &'a mut [ServiceState],
    shares: bool,
) -> &'a mut Series {
    if shares {
        &mut svcs[0].series
    } else {
        own
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
