//! When a replicated service's nodes are down and who is primary: worked out once, when
//! the run starts, from the `crash` faults, the random crashes and the failover. None of it
//! depends on the traffic, so it is a plain timeline the run looks things up in.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::sim::output::incident::{Incident, Recovery};
use crate::sim::random::dist::Dist;
use crate::sim::random::rng::{Entity, Rng};
use crate::sim::scenario::config::CrashNode;
use crate::sim::scenario::{Failover, Fault, FaultKind, Replication};
use crate::sim::Micros;

/// Most random crashes drawn per node: a bound on the timeline's size whatever the MTBF.
const MAX_RANDOM_CRASHES: usize = 100_000;

/// The cluster's timeline.
#[derive(Debug)]
pub(super) struct Timeline {
    /// The primary's outages in time order (they never overlap); their runtime fields
    /// (lost writes, first write) are filled in as the run goes.
    pub incidents: Vec<Incident>,
    /// Per node, its down windows `[start, end)`, sorted and disjoint.
    down: Vec<Vec<(Micros, Micros)>>,
}

/// What happens to the cluster, in time order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Ev {
    /// Node `node` goes down until `until`.
    Down { node: u8, until: Micros },
    /// A `crash` fault: the primary, or the first replica up, goes down until `until`.
    Crash { replica: bool, until: Micros },
    /// Node `node` is back (if `gen` is still its generation).
    Back { node: u8, gen: u32 },
    /// Outage `outage` is noticed.
    Detect { outage: usize },
    /// Node `node` is promoted in outage `outage`.
    Promoted { outage: usize, node: u8 },
    /// The primary is restored from backup in outage `outage`.
    Restored { outage: usize },
}

/// The state of the cluster while the timeline is worked out.
struct Build<'a> {
    spec: &'a Replication,
    rng: Rng,
    now: Micros,
    seq: u64,
    events: BinaryHeap<Reverse<(Micros, u64, Ev)>>,
    /// A node is down while `now < until[node]`.
    until: Vec<Micros>,
    gen: Vec<u32>,
    down: Vec<Vec<(Micros, Micros)>>,
    primary: u8,
    /// The outage in progress.
    open: Option<Incident>,
    /// The outage in progress waits for any node to come back (none was up to promote).
    waiting: bool,
    done: Vec<Incident>,
}

impl Timeline {
    /// The timeline of service `svc` (its replication `spec` and `faults`) over `duration`.
    pub fn new(
        spec: &Replication,
        faults: &[Fault],
        svc: u32,
        seed: u64,
        duration: Micros,
    ) -> Timeline {
        let nodes = 1 + usize::from(spec.replicas);
        let mut b = Build {
            spec,
            rng: Rng::stream(seed, Entity::Failover(svc)),
            now: 0,
            seq: 0,
            events: BinaryHeap::new(),
            until: vec![0; nodes],
            gen: vec![0; nodes],
            down: vec![Vec::new(); nodes],
            primary: 0,
            open: None,
            waiting: false,
            done: Vec::new(),
        };
        for f in faults {
            if let FaultKind::Crash(node) = f.kind {
                let replica = node == CrashNode::Replica;
                b.push(
                    f.start,
                    Ev::Crash {
                        replica,
                        until: f.end,
                    },
                );
            }
        }
        if let Some((mtbf, mttr)) = spec.random_crashes {
            for node in 0..nodes as u8 {
                let mut rng = Rng::stream(seed, Entity::Node(svc, node));
                let (up, repair) = (
                    Dist::Exponential(mtbf as f64),
                    Dist::Exponential(mttr as f64),
                );
                let mut t: Micros = 0;
                for _ in 0..MAX_RANDOM_CRASHES {
                    t = t.saturating_add(up.sample(&mut rng));
                    if t >= duration {
                        break;
                    }
                    let until = t + repair.sample(&mut rng).max(1);
                    b.push(t, Ev::Down { node, until });
                    t = until;
                }
            }
        }
        while let Some(Reverse((t, _, ev))) = b.events.pop() {
            if t > duration {
                break;
            }
            b.now = t;
            b.handle(ev);
        }
        if let Some(open) = b.open.take() {
            b.done.push(open);
        }
        Timeline {
            incidents: b.done,
            down: b.down,
        }
    }

    /// The outage covering `t`, if any.
    pub fn outage_at(&self, t: Micros) -> Option<&Incident> {
        let i = self.incidents.partition_point(|o| o.crash <= t);
        let o = self.incidents.get(i.checked_sub(1)?)?;
        o.back.is_none_or(|b| t < b).then_some(o)
    }

    /// The node that is primary at `t` (during an outage: the crashed one).
    pub fn primary_at(&self, t: Micros) -> u8 {
        let i = self
            .incidents
            .partition_point(|o| o.back.is_some_and(|b| b <= t));
        i.checked_sub(1).map_or(0, |i| self.incidents[i].primary)
    }

    /// When node `n` is up at or after `t`: `t`, or the end of the down window covering it.
    pub fn up_from(&self, n: usize, t: Micros) -> Micros {
        let w = &self.down[n];
        let i = w.partition_point(|d| d.0 <= t);
        match i.checked_sub(1).map(|i| w[i]) {
            Some((_, end)) if t < end => end,
            _ => t,
        }
    }

    /// Whether node `n` is up at `t`.
    pub fn is_up(&self, n: usize, t: Micros) -> bool {
        self.up_from(n, t) == t
    }

    /// The first crash of the primary in `(a, b]`, if one comes.
    pub fn crash_in(&self, a: Micros, b: Micros) -> Option<Micros> {
        let i = self.incidents.partition_point(|o| o.crash <= a);
        self.incidents.get(i).map(|o| o.crash).filter(|&c| c <= b)
    }

    /// Nodes: the primary and its replicas.
    pub fn nodes(&self) -> usize {
        self.down.len()
    }

    /// Bytes held.
    pub fn bytes(&self) -> usize {
        self.incidents.capacity() * std::mem::size_of::<Incident>()
            + self.down.iter().map(|d| d.capacity() * 16).sum::<usize>()
    }
}

impl Build<'_> {
    fn push(&mut self, t: Micros, ev: Ev) {
        self.events.push(Reverse((t, self.seq, ev)));
        self.seq += 1;
    }

    fn up(&self, n: usize) -> bool {
        self.now >= self.until[n]
    }

    fn handle(&mut self, ev: Ev) {
        let outage = self.done.len();
        match ev {
            Ev::Down { node, until } => self.down(node, until),
            Ev::Crash { replica, until } => {
                let node = if replica {
                    (0..self.until.len() as u8).find(|&n| n != self.primary && self.up(n.into()))
                } else {
                    Some(self.primary)
                };
                if let Some(node) = node {
                    self.down(node, until);
                }
            }
            Ev::Back { node, gen } if gen == self.gen[usize::from(node)] => {
                if self.open.is_none() {
                    return;
                }
                let restore = matches!(self.spec.failover, Failover::Restore { .. });
                // the primary back before its crash was noticed (the health checks pass
                // again), or while nothing else can take over: the outage is over
                let unnoticed = self.open.is_some_and(|o| o.detected.is_none());
                if node == self.primary
                    && !restore
                    && (self.waiting || unnoticed || self.spec.failover == Failover::None)
                {
                    self.finish(node, Recovery::Restarted);
                } else if self.waiting && !restore {
                    self.waiting = false;
                    self.promote();
                }
            }
            Ev::Back { .. } => {}
            Ev::Detect { outage: o } if o == outage && self.open.is_some() => {
                if let Some(open) = &mut self.open {
                    open.detected = Some(self.now);
                }
                match &self.spec.failover {
                    Failover::Restore { restore, .. } => {
                        let t = self.now + restore.sample(&mut self.rng);
                        self.push(t, Ev::Restored { outage });
                    }
                    _ => self.promote(),
                }
            }
            Ev::Promoted { outage: o, node } if o == outage && self.open.is_some() => {
                if self.up(node.into()) {
                    self.finish(node, Recovery::Promoted);
                } else {
                    self.promote();
                }
            }
            Ev::Restored { outage: o } if o == outage && self.open.is_some() => {
                // a rebuilt machine takes the crashed one's place
                let p = usize::from(self.primary);
                self.until[p] = self.now;
                self.gen[p] += 1;
                if let Some(w) = self.down[p].last_mut() {
                    w.1 = w.1.min(self.now);
                }
                self.finish(self.primary, Recovery::Restored);
            }
            Ev::Detect { .. } | Ev::Promoted { .. } | Ev::Restored { .. } => {}
        }
    }

    /// Node `node` goes down until `until` (or stays down longer).
    fn down(&mut self, node: u8, until: Micros) {
        let n = usize::from(node);
        if !self.up(n) {
            if until <= self.until[n] {
                return;
            }
            if let Some(w) = self.down[n].last_mut() {
                w.1 = until;
            }
        } else {
            self.down[n].push((self.now, until));
        }
        self.until[n] = until;
        self.gen[n] += 1;
        let gen = self.gen[n];
        self.push(until, Ev::Back { node, gen });
        if node == self.primary && self.open.is_none() {
            self.open = Some(Incident {
                crash: self.now,
                detected: None,
                back: None,
                primary: node,
                recovery: Recovery::NotYet,
                lost_writes: 0,
                oldest_lost: None,
                first_write: None,
            });
            let outage = self.done.len();
            match self.spec.failover {
                Failover::Promote { detect, .. } | Failover::Restore { detect, .. } => {
                    self.push(self.now + detect, Ev::Detect { outage });
                }
                Failover::None => {}
            }
        }
    }

    /// Promote the first replica that is up; with none, keep the primary if it is back,
    /// else wait for a node to come back.
    fn promote(&mut self) {
        let candidate =
            (0..self.until.len() as u8).find(|&n| n != self.primary && self.up(n.into()));
        let Some(node) = candidate else {
            if self.up(self.primary.into()) {
                self.finish(self.primary, Recovery::Restarted);
            } else {
                self.waiting = true;
            }
            return;
        };
        let took = match &self.spec.failover {
            Failover::Promote { promote, .. } => promote.sample(&mut self.rng),
            _ => 0,
        };
        let outage = self.done.len();
        self.push(self.now + took, Ev::Promoted { outage, node });
    }

    fn finish(&mut self, node: u8, recovery: Recovery) {
        if let Some(mut o) = self.open.take() {
            o.back = Some(self.now);
            o.primary = node;
            o.recovery = recovery;
            self.done.push(o);
        }
        self.primary = node;
        self.waiting = false;
    }
}
