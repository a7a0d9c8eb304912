//! The service side: faults, admission, the queue, workers and responses, for each of the
//! scenario's services.
//!
//! Server-side randomness (service time, error draws, response network delay) comes from
//! each service's own stream.

use std::collections::VecDeque;

use super::config::{Abandoned, QueueDiscipline};
use super::engine::{Event, Outcome, Sim};
use super::metrics::{Gauges, Series};
use super::queue::EventQueue;
use super::rng::{Entity, Rng};
use super::scenario::{FaultKind, Scenario, Service};
use super::Micros;

/// An attempt waiting for a worker.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Waiting {
    req: u32,
    gen: u32,
}

/// An attempt being worked on.
#[derive(Clone, Copy, Debug)]
struct InService {
    req: u32,
    gen: u32,
    start: Micros,
}

/// Per-service totals.
#[derive(Clone, Debug, Default)]
pub(crate) struct ServiceTotals {
    /// Service time spent on attempts whose client had given up.
    pub wasted: Micros,
    /// Calls to this service rejected by a breaker.
    pub short_circuited: u64,
    /// Of those, rejected while this service had no fault.
    pub collateral: u64,
    /// Retries to this service a budget refused.
    pub budget_denied: u64,
    /// Breaker transitions of this service's breakers: open, half-open, closed.
    pub transitions: [u64; 3],
}

/// Mutable state of one service.
pub(crate) struct ServiceState {
    rng: Rng,
    busy: u32,
    waiting: VecDeque<Waiting>,
    slots: Vec<InService>,
    free_slots: Vec<u32>,
    /// This service's series: arrivals, outcomes of calls to it, queue, workers, breakers.
    pub series: Series,
    pub gauges: Gauges,
    pub totals: ServiceTotals,
}

impl ServiceState {
    pub(crate) fn new(sc: &Scenario, i: usize, seed: u64) -> ServiceState {
        ServiceState {
            rng: Rng::stream(seed, Entity::Service(i as u32)),
            busy: 0,
            waiting: VecDeque::new(),
            slots: Vec::new(),
            free_slots: Vec::new(),
            series: Series::new(sc.bucket),
            gauges: Gauges::default(),
            totals: ServiceTotals::default(),
        }
    }

    /// Capacity faults change how many workers may be busy: wake the queue at their edges.
    pub(crate) fn schedule_capacity_edges(sc: &Scenario, i: usize, q: &mut EventQueue<Event>) {
        for f in sc.services[i]
            .faults
            .iter()
            .filter(|f| matches!(f.kind, FaultKind::Capacity(_)))
        {
            q.push(f.start, Event::Capacity { svc: i as u8 });
            q.push(f.end, Event::Capacity { svc: i as u8 });
        }
    }

    /// The service's random stream.
    pub(crate) fn rng(&mut self) -> &mut Rng {
        &mut self.rng
    }

    pub(crate) fn bytes(&self) -> usize {
        self.waiting.capacity() * std::mem::size_of::<Waiting>()
            + self.slots.capacity() * std::mem::size_of::<InService>()
            + self.free_slots.capacity() * 4
    }
}

/// The faults in force at one instant, folded together.
struct Active {
    down: bool,
    blackhole: bool,
    error_rate: f64,
    slow: f64,
    kept: f64,
}

fn active(s: &Service, t: Micros) -> Active {
    let mut a = Active {
        down: false,
        blackhole: false,
        error_rate: 0.0,
        slow: 1.0,
        kept: 1.0,
    };
    for f in s
        .faults
        .iter()
        .take_while(|f| f.start <= t)
        .filter(|f| f.covers(t))
    {
        match f.kind {
            FaultKind::Down => a.down = true,
            FaultKind::Blackhole => a.blackhole = true,
            // independent error sources: P(ok) multiplies
            FaultKind::ErrorRate(p) => a.error_rate = 1.0 - (1.0 - a.error_rate) * (1.0 - p),
            FaultKind::Slow(m) => a.slow *= m,
            FaultKind::Capacity(lost) => a.kept *= 1.0 - lost,
        }
    }
    a
}

impl Sim {
    fn workers_now(&self, svc: usize, a: &Active) -> u32 {
        match self.sc.services[svc].workers {
            None => u32::MAX,
            Some(w) => (f64::from(w) * a.kept).round() as u32,
        }
    }

    fn reply(&mut self, svc: usize, req: u32, gen: u32, outcome: Outcome) {
        let d = self.sc.services[svc]
            .network
            .sample(&mut self.svcs[svc].rng);
        self.queue
            .push(self.now + d, Event::Reply { req, gen, outcome });
    }

    fn is_live(&self, req: u32, gen: u32) -> bool {
        self.reqs[req as usize].gen == gen
    }

    /// An attempt reaches service `svc`.
    pub(crate) fn arrive(&mut self, req: u32, gen: u32, retry: bool, svc: usize) {
        let now = self.now;
        let st = &mut self.svcs[svc];
        let b = st.series.at(now);
        if retry {
            b.retries += 1;
        } else {
            b.first_attempts += 1;
        }
        let a = active(&self.sc.services[svc], now);
        if a.blackhole {
            return;
        }
        if a.down {
            return self.reply(svc, req, gen, Outcome::Refused);
        }
        let s = &self.sc.services[svc];
        if s.abandoned == Abandoned::Drop && !self.is_live(req, gen) {
            return;
        }
        let cap = s.queue_capacity;
        let st = &self.svcs[svc];
        if st.busy < self.workers_now(svc, &a) && st.waiting.is_empty() {
            self.begin(svc, req, gen, &a);
        } else if cap.is_none_or(|c| st.waiting.len() < c as usize) {
            let st = &mut self.svcs[svc];
            st.gauges.advance(&mut st.series, now);
            st.gauges.queue += 1;
            st.waiting.push_back(Waiting { req, gen });
        } else {
            self.reply(svc, req, gen, Outcome::Rejected);
        }
    }

    /// A worker takes the attempt.
    fn begin(&mut self, svc: usize, req: u32, gen: u32, a: &Active) {
        let now = self.now;
        let s = &self.sc.services[svc];
        let st = &mut self.svcs[svc];
        let base = s.service_time.sample(&mut st.rng);
        let factor = a.slow * (1.0 + s.load_factor * f64::from(st.busy));
        let dur = if factor == 1.0 {
            base
        } else {
            super::dist::to_micros(base as f64 * factor)
        };
        st.gauges.advance(&mut st.series, now);
        st.gauges.busy += 1;
        st.busy += 1;
        let rec = InService {
            req,
            gen,
            start: now,
        };
        let slot = match st.free_slots.pop() {
            Some(i) => {
                st.slots[i as usize] = rec;
                i
            }
            None => {
                st.slots.push(rec);
                (st.slots.len() - 1) as u32
            }
        };
        self.queue.push(
            now + dur,
            Event::Done {
                svc: svc as u8,
                slot,
            },
        );
    }

    /// A worker finishes: answer (unless nobody is listening), then take the next attempt.
    pub(crate) fn done(&mut self, svc: usize, slot: u32) {
        let now = self.now;
        let st = &mut self.svcs[svc];
        let InService { req, gen, start } = st.slots[slot as usize];
        st.free_slots.push(slot);
        st.gauges.advance(&mut st.series, now);
        st.gauges.busy -= 1;
        st.busy -= 1;
        let a = active(&self.sc.services[svc], now);
        if !self.is_live(req, gen) {
            // The client gave up already: the work was for nothing and nobody reads a reply.
            self.svcs[svc].totals.wasted += now - start;
        } else if !a.blackhole {
            let failed = a.error_rate > 0.0 && self.svcs[svc].rng.unit() < a.error_rate;
            let outcome = if failed {
                Outcome::Error
            } else {
                Outcome::Success
            };
            self.reply(svc, req, gen, outcome);
        }
        self.dispatch_with(svc, &a);
    }

    /// Start waiting attempts of service `svc` while workers are free.
    pub(crate) fn dispatch(&mut self, svc: usize) {
        let a = active(&self.sc.services[svc], self.now);
        self.dispatch_with(svc, &a);
    }

    fn dispatch_with(&mut self, svc: usize, a: &Active) {
        let workers = self.workers_now(svc, a);
        let (discipline, abandoned) = {
            let s = &self.sc.services[svc];
            (s.discipline, s.abandoned)
        };
        while self.svcs[svc].busy < workers {
            let now = self.now;
            let st = &mut self.svcs[svc];
            let next = match discipline {
                QueueDiscipline::Fifo => st.waiting.pop_front(),
                QueueDiscipline::Lifo => st.waiting.pop_back(),
            };
            let Some(Waiting { req, gen }) = next else {
                break;
            };
            st.gauges.advance(&mut st.series, now);
            st.gauges.queue -= 1;
            if abandoned == Abandoned::Drop && !self.is_live(req, gen) {
                continue;
            }
            self.begin(svc, req, gen, a);
        }
    }
}
