//! A replicated service: its primary and replicas, the writes on their way to the
//! replicas, and what a crash of the primary loses.
//!
//! Who is up and who is primary comes from a [`Timeline`] worked out when the run starts;
//! the traffic-dependent part lives here: every answered write is logged with the time each
//! replica that is up has it (a replica applies writes in order, each `lag` after it was
//! made), so when the primary crashes the writes the promoted replica lacks are the lost
//! ones, and a read from a replica that lacks the reader's own last write is a stale read.
//!
//! A replica that is down misses the writes made meanwhile ([`Missed`]): it has them when
//! it is back, if the primary still is; promoted before that, it lacks them all.
//!
//! Simplifications, stated: the service's workers serve every node (the replicas add no
//! capacity of their own); after a crash the surviving replicas are in step with the new
//! primary at once; a node that comes back has caught up at once; a read is routed, and
//! judged stale or not, when it arrives.

mod timeline;

use std::collections::VecDeque;

use timeline::Timeline;

use crate::sim::output::incident::{Incident, Recovery};
use crate::sim::random::rng::{Entity, Rng};
use crate::sim::scenario::{Failover, Fault, Replication, MAX_REPLICAS};
use crate::sim::Micros;

/// Nodes at most: the primary and its replicas.
const MAX_NODES: usize = 1 + MAX_REPLICAS as usize;

/// An answered write on its way to the replicas.
#[derive(Clone, Copy, Debug)]
struct Entry {
    /// When it was answered.
    ack: Micros,
    /// When each node has it.
    has: [Micros; MAX_NODES],
}

/// The writes a node missed while it was down.
#[derive(Clone, Copy, Debug)]
struct Missed {
    /// The sequence number of the first.
    from: u64,
    /// When the first was answered.
    oldest: Micros,
    /// When the node is back (and has them, if the primary still is up).
    until: Micros,
}

/// Where an attempt goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Target {
    /// The primary: a write, or a read.
    Primary { write: bool },
    /// A replica; `stale`: it lacks the reading client's own last write.
    Replica { stale: bool },
}

/// The cluster of one replicated service.
pub(super) struct Cluster {
    spec: Replication,
    timeline: Timeline,
    /// Replication lags.
    rng: Rng,
    /// Answered writes some node does not have yet, oldest first.
    log: VecDeque<Entry>,
    /// The sequence number of `log[0]`.
    base: u64,
    /// When each node has the last write logged.
    has: [Micros; MAX_NODES],
    /// Per client: 1 + the sequence number of its last answered write (0: none); kept
    /// only when reads go to replicas.
    last_write: Vec<u64>,
    /// Replica reads so far (to take the replicas in turn).
    turn: u32,
    /// Per node, the writes it missed while down and the time it is back: it has them
    /// then, if the primary is still up to give them (so the log need not keep them).
    missed: [Option<Missed>; MAX_NODES],
    /// When the last write was answered: writes are answered in the order they were made.
    last_ack: Micros,
    /// Writes answered since the last backup, and when the oldest was: (backup, count,
    /// oldest), the backup being the index of the last one (time / every).
    since_backup: (u64, u64, Option<Micros>),
    /// Crashes handled so far.
    crashes: usize,
    /// The first incident still waiting for its first write.
    waiting_write: usize,
    /// Reads answered from a replica that lacked the client's own last write.
    pub stale_reads: u64,
}

impl Cluster {
    pub fn new(
        spec: &Replication,
        faults: &[Fault],
        svc: u32,
        seed: u64,
        duration: Micros,
        clients: u32,
    ) -> Cluster {
        Cluster {
            timeline: Timeline::new(spec, faults, svc, seed, duration),
            spec: spec.clone(),
            rng: Rng::stream(seed, Entity::Replication(svc)),
            log: VecDeque::new(),
            base: 0,
            has: [0; MAX_NODES],
            last_write: if spec.reads_from_replicas {
                vec![0; clients as usize]
            } else {
                Vec::new()
            },
            turn: 0,
            missed: [None; MAX_NODES],
            last_ack: 0,
            since_backup: (0, 0, None),
            crashes: 0,
            waiting_write: 0,
            stale_reads: 0,
        }
    }

    /// When the primary crashes, in time order (the run schedules an event at each).
    pub fn crash_times(&self) -> impl Iterator<Item = Micros> + '_ {
        self.timeline.incidents.iter().map(|o| o.crash)
    }

    /// Whether the primary is down at `t`.
    pub fn primary_down(&self, t: Micros) -> bool {
        self.timeline.outage_at(t).is_some()
    }

    /// Calls to a primary that is down are refused (otherwise they get no answer).
    pub fn refuses(&self) -> bool {
        self.spec.refuse_while_down
    }

    /// Whether an attempt to the primary begun at `start` was cut off by a crash by `now`.
    pub fn cut_off(&self, start: Micros, now: Micros) -> bool {
        self.timeline.crash_in(start, now).is_some()
    }

    /// The incidents so far (crashes up to `now`).
    pub fn incidents(&self, now: Micros) -> &[Incident] {
        let n = self.timeline.incidents.partition_point(|o| o.crash <= now);
        &self.timeline.incidents[..n]
    }

    /// Where an attempt arriving at `now` goes: a request whose 16-bit `draw` is below the
    /// write share is a write; reads go to the replicas in turn if so configured and one
    /// is up.
    pub fn route(&mut self, now: Micros, draw: u16, client: u32) -> Target {
        let write = u32::from(draw) < self.spec.writes;
        if write || !self.spec.reads_from_replicas {
            return Target::Primary { write };
        }
        let primary = usize::from(self.timeline.primary_at(now));
        let nodes = self.timeline.nodes();
        let up = |n: &usize| *n != primary && self.timeline.is_up(*n, now);
        let count = (0..nodes).filter(up).count();
        if count == 0 {
            return Target::Primary { write: false };
        }
        let pick = (self.turn as usize) % count;
        self.turn = self.turn.wrapping_add(1);
        let node = (0..nodes).filter(up).nth(pick).unwrap_or(primary);
        Target::Replica {
            stale: self.lacks_last_write(node, client, now),
        }
    }

    /// Whether node `n` lacks client `client`'s last answered write at `now`.
    fn lacks_last_write(&self, n: usize, client: u32, now: Micros) -> bool {
        let Some(&s) = self.last_write.get(client as usize) else {
            return false;
        };
        let Some(seq) = s.checked_sub(1) else {
            return false;
        };
        match seq.checked_sub(self.base) {
            Some(i) => self.log.get(i as usize).is_some_and(|e| e.has[n] > now),
            None => false,
        }
    }

    /// The primary has made client `client`'s write at `now`: log it, and return how much
    /// later it is answered (with sync replication, when the first replica has it, and
    /// never before an earlier write), or, if the primary crashes first, `Err` with how much
    /// later that is (the write is never answered).
    pub fn write(&mut self, now: Micros, client: u32) -> Result<Micros, Micros> {
        let primary = usize::from(self.timeline.primary_at(now));
        let mut e = Entry {
            ack: now,
            has: [now; MAX_NODES],
        };
        let mut first: Option<Micros> = None;
        let mut down = [false; MAX_NODES];
        for n in (0..self.timeline.nodes()).filter(|&n| n != primary) {
            let lag = self.spec.lag.sample(&mut self.rng);
            // a node that is down is counted in `missed`, not in the log (which would
            // otherwise keep every write until it is back)
            if !self.timeline.is_up(n, now) {
                down[n] = true;
                continue;
            }
            let at = (now + lag).max(self.has[n]);
            e.has[n] = at;
            first = Some(first.map_or(at, |f| f.min(at)));
        }
        let delay = if self.spec.sync {
            first.map_or(0, |f| f - now)
        } else {
            0
        };
        let ack = (now + delay).max(self.last_ack);
        if let Some(crash) = self.timeline.crash_in(now, ack) {
            return Err(crash - now);
        }
        e.ack = ack;
        self.last_ack = ack;
        self.has = e.has;
        while self
            .log
            .front()
            .is_some_and(|f| f.has.iter().all(|&h| h <= now))
        {
            self.log.pop_front();
            self.base += 1;
        }
        let seq = self.base + self.log.len() as u64;
        self.log.push_back(e);
        for (n, m) in self.missed.iter_mut().enumerate() {
            if down[n] {
                let until = self.timeline.up_from(n, now);
                match m {
                    Some(m) if m.until == until => {}
                    _ => {
                        *m = Some(Missed {
                            from: seq,
                            oldest: ack,
                            until,
                        })
                    }
                }
            } else if m.is_some_and(|m| m.until <= now) {
                *m = None;
            }
        }
        if let Some(w) = self.last_write.get_mut(client as usize) {
            *w = self.base + self.log.len() as u64;
        }
        if let Failover::Restore { every, .. } = self.spec.failover {
            let backup = e.ack / every.max(1);
            if self.since_backup.0 != backup {
                self.since_backup = (backup, 0, None);
            }
            self.since_backup.1 += 1;
            self.since_backup.2.get_or_insert(e.ack);
        }
        let incidents = &mut self.timeline.incidents;
        while let Some(o) = incidents.get_mut(self.waiting_write) {
            if o.crash > e.ack {
                break;
            }
            o.first_write = Some(e.ack);
            self.waiting_write += 1;
        }
        Ok(ack - now)
    }

    /// The primary crashes now: count what it takes with it, then start afresh (the
    /// surviving nodes in step with the new primary).
    pub fn crash(&mut self, now: Micros) {
        let Some(o) = self.timeline.incidents.get(self.crashes).copied() else {
            return;
        };
        self.crashes += 1;
        let (lost, oldest) = match o.recovery {
            Recovery::Promoted => {
                let n = usize::from(o.primary);
                let lost = self.log.iter().filter(|e| e.ack <= now && e.has[n] > now);
                let (mut count, mut oldest) =
                    (lost.clone().count() as u64, lost.map(|e| e.ack).min());
                // and what it missed while down, if it is not back yet
                if let Some(m) = self.missed[n].filter(|m| m.until > now) {
                    count += (self.base + self.log.len() as u64).saturating_sub(m.from);
                    oldest = Some(oldest.map_or(m.oldest, |o| o.min(m.oldest)));
                }
                (count, oldest)
            }
            Recovery::Restored => match self.spec.failover {
                Failover::Restore { every, .. } if self.since_backup.0 == now / every.max(1) => {
                    (self.since_backup.1, self.since_backup.2)
                }
                _ => (0, None),
            },
            Recovery::Restarted | Recovery::NotYet => (0, None),
        };
        if let Some(inc) = self.timeline.incidents.get_mut(self.crashes - 1) {
            inc.lost_writes = lost;
            inc.oldest_lost = oldest;
        }
        self.base += self.log.len() as u64;
        self.log.clear();
        self.has = [now; MAX_NODES];
        self.missed = [None; MAX_NODES];
        self.since_backup.1 = 0;
        self.since_backup.2 = None;
    }

    /// Bytes held, for the memory budget.
    pub fn bytes(&self) -> usize {
        self.log.capacity() * std::mem::size_of::<Entry>()
            + self.last_write.capacity() * 8
            + self.timeline.bytes()
    }
}
