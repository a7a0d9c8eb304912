//! The service side: faults, admission, the queue, workers and responses.
//!
//! Server-side randomness (service time, error draws, response network delay) comes from
//! the service's own stream.

use std::collections::VecDeque;

use super::config::{Abandoned, QueueDiscipline};
use super::engine::{Event, Outcome, Sim};
use super::queue::EventQueue;
use super::rng::{Entity, Rng};
use super::scenario::{FaultKind, Scenario};
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

/// Mutable state of the service.
pub(crate) struct ServiceState {
    rng: Rng,
    busy: u32,
    waiting: VecDeque<Waiting>,
    slots: Vec<InService>,
    free_slots: Vec<u32>,
}

impl ServiceState {
    pub(crate) fn new(_sc: &Scenario, seed: u64) -> ServiceState {
        ServiceState {
            rng: Rng::stream(seed, Entity::Service(0)),
            busy: 0,
            waiting: VecDeque::new(),
            slots: Vec::new(),
            free_slots: Vec::new(),
        }
    }

    /// Capacity faults change how many workers may be busy: wake the queue at their edges.
    pub(crate) fn schedule_capacity_edges(&self, sc: &Scenario, q: &mut EventQueue<Event>) {
        for f in sc
            .faults
            .iter()
            .filter(|f| matches!(f.kind, FaultKind::Capacity(_)))
        {
            q.push(f.start, Event::Capacity);
            q.push(f.end, Event::Capacity);
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

fn active(sc: &Scenario, t: Micros) -> Active {
    let mut a = Active {
        down: false,
        blackhole: false,
        error_rate: 0.0,
        slow: 1.0,
        kept: 1.0,
    };
    for f in sc
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
    fn workers_now(&self, a: &Active) -> u32 {
        match self.sc.service.workers {
            None => u32::MAX,
            Some(w) => (f64::from(w) * a.kept).round() as u32,
        }
    }

    fn reply(&mut self, req: u32, gen: u32, outcome: Outcome) {
        let d = self.sc.service.network.sample(&mut self.svc.rng);
        self.queue
            .push(self.now + d, Event::Reply { req, gen, outcome });
    }

    fn is_live(&self, req: u32, gen: u32) -> bool {
        self.reqs[req as usize].gen == gen
    }

    /// An attempt reaches the service.
    pub(crate) fn arrive(&mut self, req: u32, gen: u32, retry: bool) {
        let b = self.series.at(self.now);
        if retry {
            b.retries += 1;
        } else {
            b.first_attempts += 1;
        }
        let a = active(&self.sc, self.now);
        if a.blackhole {
            return;
        }
        if a.down {
            return self.reply(req, gen, Outcome::Refused);
        }
        if self.sc.service.abandoned == Abandoned::Drop && !self.is_live(req, gen) {
            return;
        }
        if self.svc.busy < self.workers_now(&a) && self.svc.waiting.is_empty() {
            self.begin(req, gen, &a);
        } else if self
            .sc
            .service
            .queue_capacity
            .is_none_or(|c| self.svc.waiting.len() < c as usize)
        {
            self.gauges.advance(&mut self.series, self.now);
            self.gauges.queue += 1;
            self.svc.waiting.push_back(Waiting { req, gen });
        } else {
            self.reply(req, gen, Outcome::Rejected);
        }
    }

    /// A worker takes the attempt.
    fn begin(&mut self, req: u32, gen: u32, a: &Active) {
        let now = self.now;
        let s = &self.sc.service;
        let base = s.service_time.sample(&mut self.svc.rng);
        let factor = a.slow * (1.0 + s.load_factor * f64::from(self.svc.busy));
        let dur = if factor == 1.0 {
            base
        } else {
            super::dist::to_micros(base as f64 * factor)
        };
        self.gauges.advance(&mut self.series, now);
        self.gauges.busy += 1;
        self.svc.busy += 1;
        let rec = InService {
            req,
            gen,
            start: now,
        };
        let slot = match self.svc.free_slots.pop() {
            Some(i) => {
                self.svc.slots[i as usize] = rec;
                i
            }
            None => {
                self.svc.slots.push(rec);
                (self.svc.slots.len() - 1) as u32
            }
        };
        self.queue.push(now + dur, Event::Done { slot });
    }

    /// A worker finishes: answer (unless nobody is listening), then take the next attempt.
    pub(crate) fn done(&mut self, slot: u32) {
        let now = self.now;
        let InService { req, gen, start } = self.svc.slots[slot as usize];
        self.svc.free_slots.push(slot);
        self.gauges.advance(&mut self.series, now);
        self.gauges.busy -= 1;
        self.svc.busy -= 1;
        let a = active(&self.sc, now);
        if !self.is_live(req, gen) {
            // The client gave up already: the work was for nothing and nobody reads a reply.
            self.totals.wasted += now - start;
        } else if !a.blackhole {
            let failed = a.error_rate > 0.0 && self.svc.rng.unit() < a.error_rate;
            self.reply(
                req,
                gen,
                if failed {
                    Outcome::Error
                } else {
                    Outcome::Success
                },
            );
        }
        self.dispatch_with(&a);
    }

    /// Start waiting attempts while workers are free.
    pub(crate) fn dispatch(&mut self) {
        let a = active(&self.sc, self.now);
        self.dispatch_with(&a);
    }

    fn dispatch_with(&mut self, a: &Active) {
        let workers = self.workers_now(a);
        while self.svc.busy < workers {
            let next = match self.sc.service.discipline {
                QueueDiscipline::Fifo => self.svc.waiting.pop_front(),
                QueueDiscipline::Lifo => self.svc.waiting.pop_back(),
            };
            let Some(Waiting { req, gen }) = next else {
                break;
            };
            self.gauges.advance(&mut self.series, self.now);
            self.gauges.queue -= 1;
            if self.sc.service.abandoned == Abandoned::Drop && !self.is_live(req, gen) {
                continue;
            }
            self.begin(req, gen, a);
        }
    }
}
