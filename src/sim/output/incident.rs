//! Crashes of a replicated service's primary and what they cost: the data lost (RPO) and
//! the time to the first successful write afterwards (RTO).

use serde::{Deserialize, Serialize};

use crate::sim::scenario::config::CrashNode;
use crate::sim::scenario::{Fault, FaultKind};
use crate::sim::Micros;

/// How an outage of a primary ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Recovery {
    /// A replica was promoted.
    Promoted,
    /// The crashed primary came back, data intact.
    Restarted,
    /// The primary was rebuilt from the last backup.
    Restored,
    /// Not within the run.
    NotYet,
}

/// One crash of a service's primary, from the crash to the first successful write after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Incident {
    /// When the primary crashed (µs).
    pub crash: Micros,
    /// When the crash was noticed (health checks failing, or the alert); `None` when
    /// nobody needs to notice (failover `none`) or not within the run.
    pub detected: Option<Micros>,
    /// When the service has a primary again; `None`: not within the run.
    pub back: Option<Micros>,
    /// The node that is primary from `back` on (0 the first primary, 1… its replicas).
    pub primary: u8,
    /// How it ended.
    pub recovery: Recovery,
    /// Answered writes lost: those the new primary never got (or made since the last
    /// backup, for a restore).
    pub lost_writes: u64,
    /// When the oldest lost write was answered.
    pub oldest_lost: Option<Micros>,
    /// When the first write after the crash was answered.
    pub first_write: Option<Micros>,
}

impl Incident {
    /// The time span of the writes lost (µs): from the oldest lost write to the crash.
    pub fn rpo(&self) -> Micros {
        self.oldest_lost.map_or(0, |o| self.crash.saturating_sub(o))
    }

    /// From the crash to the first successful write afterwards (µs); `None` if none came.
    pub fn rto(&self) -> Option<Micros> {
        self.first_write.map(|w| w - self.crash)
    }
}

/// A service's disturbance windows for recovery metrics: its `faults`, a crash of its
/// primary lasting from the crash until the service is back (not until the crashed node
/// is: a failover ends the disturbance sooner), or until `now` if it is not back yet;
/// random crashes come in through the `incidents` too.
pub fn disturbances<'a>(
    faults: &'a [Fault],
    incidents: &'a [Incident],
    now: Micros,
) -> impl Iterator<Item = (Micros, Micros)> + 'a {
    let crash = |f: &Fault| f.kind == FaultKind::Crash(CrashNode::Primary);
    (faults.iter().filter(move |f| !crash(f)))
        .map(|f| (f.start, f.end))
        .chain(
            incidents
                .iter()
                .map(move |o| (o.crash, o.back.map_or(now, |b| b.min(now)))),
        )
}
