//! The service side: faults, admission, the queue, workers and responses, for each of the
//! scenario's services.
//!
//! Server-side randomness (service time, error draws, response network delay) comes from
//! each service's own stream.

use std::collections::VecDeque;

use super::cluster::{Cluster, Target};
use super::event::Event;
use super::queue::EventQueue;
use crate::sim::output::metrics::{Gauges, Series};
use crate::sim::output::outcome::Outcome;
use crate::sim::output::totals::ServiceTotals;
use crate::sim::random::rng::{Entity, Rng};
use crate::sim::scenario::config::{Abandoned, QueueDiscipline};
use crate::sim::scenario::{Fault, FaultKind, Service};
use crate::sim::Micros;

/// Where a service's step happens: its scenario entry, the time, and the event queue
/// its answers and workers' completions go to.
pub(super) struct At<'a> {
    pub spec: &'a Service,
    pub now: Micros,
    pub queue: &'a mut EventQueue<Event>,
}

/// An attempt waiting for a worker.
#[derive(Clone, Copy, Debug)]
struct Waiting {
    req: u32,
    gen: u32,
    to: To,
}

/// An attempt being worked on.
#[derive(Clone, Copy, Debug)]
struct InService {
    req: u32,
    gen: u32,
    start: Micros,
    to: To,
}

/// Where in a replicated service an attempt goes (bits); 0 for a service of one node.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct To(u8);

impl To {
    const PRIMARY: u8 = 1;
    const WRITE: u8 = 2;
    const STALE: u8 = 4;

    fn of(t: Target) -> To {
        To(match t {
            Target::Primary { write: true } => To::PRIMARY | To::WRITE,
            Target::Primary { write: false } => To::PRIMARY,
            Target::Replica { stale: true } => To::STALE,
            Target::Replica { stale: false } => 0,
        })
    }

    fn has(self, bit: u8) -> bool {
        self.0 & bit != 0
    }
}

/// What the engine knows of an arriving attempt's request.
#[derive(Clone, Copy, Debug)]
pub(super) struct Call {
    /// Its client.
    pub client: u32,
    /// Its 16-bit draw, which makes it a write or a read (see [`Cluster::route`]).
    pub draw: u16,
}

/// Mutable state of one service, and the logic of its side of an attempt: admission, the
/// queue, workers and answers. The engine hands it the scenario's [`Service`], the time,
/// the event queue and whether a request is still waiting for this attempt (`live`).
pub(super) struct ServiceState {
    /// Its index in the scenario (`Event`s name it).
    id: u8,
    faults: FaultTimeline,
    rng: Rng,
    busy: u32,
    waiting: VecDeque<Waiting>,
    slots: Vec<InService>,
    free_slots: Vec<u32>,
    /// Its primary and replicas, when replicated.
    cluster: Option<Box<Cluster>>,
    /// This service's series: arrivals, outcomes of calls to it, queue, workers, breakers.
    pub series: Series,
    pub gauges: Gauges,
    pub totals: ServiceTotals,
}

impl ServiceState {
    pub(super) fn new(
        spec: &Service,
        i: usize,
        seed: u64,
        bucket: Option<Micros>,
        (duration, clients): (Micros, u32),
    ) -> ServiceState {
        ServiceState {
            id: i as u8,
            faults: FaultTimeline::new(&spec.faults),
            cluster: spec.replication.as_ref().map(|r| {
                Box::new(Cluster::new(
                    r,
                    &spec.faults,
                    i as u32,
                    seed,
                    duration,
                    clients,
                ))
            }),
            rng: Rng::stream(seed, Entity::Service(i as u32)),
            busy: 0,
            waiting: VecDeque::new(),
            slots: Vec::new(),
            free_slots: Vec::new(),
            series: Series::new(bucket),
            gauges: Gauges::default(),
            totals: ServiceTotals::default(),
        }
    }

    /// Capacity faults change how many workers may be busy: wake the queue at their edges;
    /// and a replicated service's primary crashes at its crash times.
    pub(super) fn schedule_edges(&self, spec: &Service, q: &mut EventQueue<Event>) {
        for t in self.cluster.iter().flat_map(|c| c.crash_times()) {
            q.push(t, Event::Crash { svc: self.id });
        }
        for f in spec
            .faults
            .iter()
            .filter(|f| matches!(f.kind, FaultKind::Capacity(_)))
        {
            q.push(f.start, Event::Capacity { svc: self.id });
            q.push(f.end, Event::Capacity { svc: self.id });
        }
    }

    /// Whether a fault window covers `t`.
    pub(super) fn faulty_at(&self, t: Micros) -> bool {
        self.faults.at(t).any
    }

    /// The service's random stream.
    pub(super) fn rng(&mut self) -> &mut Rng {
        &mut self.rng
    }

    /// The crashes of its primary so far, if replicated.
    pub(super) fn incidents(&self, now: Micros) -> &[crate::sim::output::incident::Incident] {
        self.cluster.as_ref().map_or(&[], |c| c.incidents(now))
    }

    pub(super) fn bytes(&self) -> usize {
        self.cluster.as_ref().map_or(0, |c| c.bytes())
            + self.waiting.capacity() * std::mem::size_of::<Waiting>()
            + self.slots.capacity() * std::mem::size_of::<InService>()
            + self.free_slots.capacity() * 4
    }

    /// Answer `outcome` to attempt `(req, gen)` after the response's network delay.
    fn reply(&mut self, at: &mut At<'_>, req: u32, gen: u32, outcome: Outcome) {
        self.reply_after(at, 0, req, gen, outcome);
    }

    /// Answer `outcome` `wait` µs from now, plus the network delay.
    fn reply_after(&mut self, at: &mut At<'_>, wait: Micros, req: u32, gen: u32, outcome: Outcome) {
        let d = at.spec.network.sample(&mut self.rng);
        at.queue
            .push(at.now + wait + d, Event::Reply { req, gen, outcome });
    }

    /// What a crashed primary answers: refused, or nothing.
    fn cut_off(&mut self, at: &mut At<'_>, req: u32, gen: u32) {
        self.cut_off_after(at, 0, req, gen);
    }

    /// What a primary that crashes `wait` µs from now answers then: refused, or nothing.
    fn cut_off_after(&mut self, at: &mut At<'_>, wait: Micros, req: u32, gen: u32) {
        if self.cluster.as_ref().is_some_and(|c| c.refuses()) {
            self.reply_after(at, wait, req, gen, Outcome::Refused);
        }
    }

    /// The primary crashes: the attempts waiting for it are cut off (those for a replica
    /// keep their place), as are those in service, when they would have finished.
    pub(super) fn crash(&mut self, at: &mut At<'_>) {
        let Some(c) = self.cluster.as_mut() else {
            return;
        };
        c.crash(at.now);
        let (cut, kept): (Vec<Waiting>, Vec<Waiting>) =
            self.waiting.drain(..).partition(|w| w.to.has(To::PRIMARY));
        self.waiting.extend(kept);
        self.gauges.advance(&mut self.series, at.now);
        self.gauges.queue -= cut.len() as u64;
        for w in cut {
            self.cut_off(at, w.req, w.gen);
        }
    }

    /// An attempt reaches the service; `live`: its client still waits for it.
    pub(super) fn arrive(
        &mut self,
        at: &mut At<'_>,
        (req, gen, call): (u32, u32, Call),
        retry: bool,
        live: bool,
    ) {
        let b = self.series.at(at.now);
        if retry {
            b.retries += 1;
        } else {
            b.first_attempts += 1;
        }
        let a = *self.faults.at(at.now);
        if a.blackhole {
            return;
        }
        if a.down {
            return self.reply(at, req, gen, Outcome::Refused);
        }
        let to = match self.cluster.as_mut() {
            Some(c) => {
                let to = To::of(c.route(at.now, call.draw, call.client));
                if to.has(To::PRIMARY) && c.primary_down(at.now) {
                    return self.cut_off(at, req, gen);
                }
                to
            }
            None => To::default(),
        };
        if at.spec.abandoned == Abandoned::Drop && !live {
            return;
        }
        if self.busy < workers_now(at.spec, &a) && self.waiting.is_empty() {
            self.begin(at, (req, gen, to), &a);
        } else if at
            .spec
            .queue_capacity
            .is_none_or(|c| self.waiting.len() < c as usize)
        {
            self.gauges.advance(&mut self.series, at.now);
            self.gauges.queue += 1;
            self.waiting.push_back(Waiting { req, gen, to });
        } else {
            self.reply(at, req, gen, Outcome::Rejected);
        }
    }

    /// A worker takes the attempt.
    fn begin(&mut self, at: &mut At<'_>, (req, gen, to): (u32, u32, To), a: &Active) {
        let base = at.spec.service_time.sample(&mut self.rng);
        let factor = a.slow * (1.0 + at.spec.load_factor * f64::from(self.busy));
        let dur = if factor == 1.0 {
            base
        } else {
            crate::sim::random::dist::to_micros(base as f64 * factor)
        };
        self.gauges.advance(&mut self.series, at.now);
        self.gauges.busy += 1;
        self.busy += 1;
        let rec = InService {
            req,
            gen,
            start: at.now,
            to,
        };
        let slot = match self.free_slots.pop() {
            Some(i) => {
                self.slots[i as usize] = rec;
                i
            }
            None => {
                self.slots.push(rec);
                (self.slots.len() - 1) as u32
            }
        };
        at.queue
            .push(at.now + dur, Event::Done { svc: self.id, slot });
    }

    /// A worker finishes the attempt in `slot`: answer (unless nobody is listening), then
    /// take the next attempt. `live(req, gen)`: a client still waits for that attempt;
    /// `client(req)`: the request's client.
    pub(super) fn done(
        &mut self,
        at: &mut At<'_>,
        slot: u32,
        live: impl Fn(u32, u32) -> bool,
        client: impl Fn(u32) -> u32,
    ) {
        let InService {
            req,
            gen,
            start,
            to,
        } = self.slots[slot as usize];
        self.free_slots.push(slot);
        self.gauges.advance(&mut self.series, at.now);
        self.gauges.busy -= 1;
        self.busy -= 1;
        let a = *self.faults.at(at.now);
        if !live(req, gen) {
            // The client gave up already: the work was for nothing and nobody reads a reply.
            self.totals.wasted += at.now - start;
        } else if !a.blackhole {
            let failed = a.error_rate > 0.0 && self.rng.unit() < a.error_rate;
            match self.cluster.as_mut() {
                _ if failed => self.reply(at, req, gen, Outcome::Error),
                None => self.reply(at, req, gen, Outcome::Success),
                Some(c) if to.has(To::PRIMARY) && c.cut_off(start, at.now) => {
                    self.cut_off(at, req, gen)
                }
                Some(c) if to.has(To::WRITE) => match c.write(at.now, client(req)) {
                    Ok(wait) => self.reply_after(at, wait, req, gen, Outcome::Success),
                    Err(crash) => self.cut_off_after(at, crash, req, gen),
                },
                Some(c) => {
                    if to.has(To::STALE) {
                        c.stale_reads += 1;
                    }
                    self.reply(at, req, gen, Outcome::Success)
                }
            }
        }
        self.dispatch_with(at, &a, live);
    }

    /// Start waiting attempts while workers are free (after a capacity change).
    pub(super) fn dispatch(&mut self, at: &mut At<'_>, live: impl Fn(u32, u32) -> bool) {
        let a = *self.faults.at(at.now);
        self.dispatch_with(at, &a, live);
    }

    fn dispatch_with(&mut self, at: &mut At<'_>, a: &Active, live: impl Fn(u32, u32) -> bool) {
        let workers = workers_now(at.spec, a);
        while self.busy < workers {
            let next = match at.spec.discipline {
                QueueDiscipline::Fifo => self.waiting.pop_front(),
                QueueDiscipline::Lifo => self.waiting.pop_back(),
            };
            let Some(Waiting { req, gen, to }) = next else {
                break;
            };
            self.gauges.advance(&mut self.series, at.now);
            self.gauges.queue -= 1;
            if at.spec.abandoned == Abandoned::Drop && !live(req, gen) {
                continue;
            }
            self.begin(at, (req, gen, to), a);
        }
    }

    /// Reads answered from a replica that lacked the client's own last write.
    pub(super) fn stale_reads(&self) -> u64 {
        self.cluster.as_ref().map_or(0, |c| c.stale_reads)
    }
}

/// Workers available under the faults in force.
fn workers_now(spec: &Service, a: &Active) -> u32 {
    match spec.workers {
        None => u32::MAX,
        Some(w) => (f64::from(w) * a.kept).round() as u32,
    }
}

/// The faults in force at one instant, folded together.
#[derive(Clone, Copy, Debug)]
struct Active {
    /// Some fault window covers the instant.
    any: bool,
    down: bool,
    blackhole: bool,
    error_rate: f64,
    slow: f64,
    kept: f64,
}

const HEALTHY: Active = Active {
    any: false,
    down: false,
    blackhole: false,
    error_rate: 0.0,
    slow: 1.0,
    kept: 1.0,
};

/// The faults of `faults` (sorted by start) in force at `t`.
fn fold(faults: &[Fault], t: Micros) -> Active {
    let mut a = HEALTHY;
    for f in faults
        .iter()
        .take_while(|f| f.start <= t)
        .filter(|f| f.covers(t))
    {
        a.any = true;
        match f.kind {
            FaultKind::Down => a.down = true,
            FaultKind::Blackhole => a.blackhole = true,
            // independent error sources: P(ok) multiplies
            FaultKind::ErrorRate(p) => a.error_rate = 1.0 - (1.0 - a.error_rate) * (1.0 - p),
            FaultKind::Slow(m) => a.slow *= m,
            FaultKind::Capacity(lost) => a.kept *= 1.0 - lost,
            // what a crash does depends on the failover: see the cluster
            FaultKind::Crash(_) => {}
        }
    }
    a
}

/// A service's faults as a timeline of constant stretches, folded once when the run
/// starts: looking up the faults in force costs a binary search, however many windows
/// the scenario has.
struct FaultTimeline {
    /// Every window edge, sorted, without repeats.
    edges: Vec<Micros>,
    /// `states[0]` holds before the first edge, `states[k]` from `edges[k − 1]` on.
    states: Vec<Active>,
}

impl FaultTimeline {
    fn new(faults: &[Fault]) -> FaultTimeline {
        let mut edges: Vec<Micros> = faults.iter().flat_map(|f| [f.start, f.end]).collect();
        edges.sort_unstable();
        edges.dedup();
        let states = std::iter::once(HEALTHY)
            .chain(edges.iter().map(|&t| fold(faults, t)))
            .collect();
        FaultTimeline { edges, states }
    }

    fn at(&self, t: Micros) -> &Active {
        &self.states[self.edges.partition_point(|&e| e <= t)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::random::rng::{Entity, Rng};

    #[test]
    fn the_fault_timeline_gives_what_folding_every_window_gives() {
        let mut rng = Rng::stream(5, Entity::Service(0));
        let kinds = [
            FaultKind::Down,
            FaultKind::Blackhole,
            FaultKind::ErrorRate(0.3),
            FaultKind::Slow(2.0),
            FaultKind::Capacity(0.5),
            FaultKind::Crash(crate::sim::scenario::config::CrashNode::Primary),
        ];
        let mut faults: Vec<Fault> = (0..200)
            .map(|i| {
                let start = rng.range_inclusive(0, 10_000);
                Fault {
                    start,
                    end: start + rng.range_inclusive(1, 2_000),
                    kind: kinds[i % kinds.len()],
                }
            })
            .collect();
        faults.sort_by_key(|f| f.start);
        let timeline = FaultTimeline::new(&faults);
        for t in (0..13_000).step_by(7).chain([0, 10_000, 12_000]) {
            let (a, b) = (timeline.at(t), fold(&faults, t));
            assert_eq!(
                (a.any, a.down, a.blackhole, a.error_rate, a.slow, a.kept),
                (b.any, b.down, b.blackhole, b.error_rate, b.slow, b.kept),
                "t = {t}"
            );
        }
    }
}
