//! Replication, failover and backups of a service as users write them (plain serde data,
//! every field defaulted, times in milliseconds). Validation turns them into
//! [`Replication`](crate::sim::scenario::Replication).

use serde::{Deserialize, Serialize};

use crate::sim::scenario::config::DistConfig;
use crate::sim::scenario::tagged::tagged_enum;

/// A primary and its replicas: where writes and reads go, how writes reach the replicas,
/// and what happens when the primary crashes (a `crash` fault, or `random_crashes`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReplicationConfig {
    /// Replicas besides the primary (0 to 4).
    pub replicas: u32,
    /// How a write reaches the replicas.
    pub mode: ReplicationMode,
    /// Time for a write to reach a replica, drawn per write and replica; a replica applies
    /// writes in order. With `sync` the write's answer waits for the first replica to have it.
    pub lag: DistConfig,
    /// Share of requests that are writes (0..=1); the others are reads.
    pub writes: f64,
    /// Where reads go.
    pub reads: ReadsFrom,
    /// What a call to the primary gets while it is down.
    pub while_down: WhileDown,
    /// What brings the service back when its primary crashes.
    pub failover: FailoverConfig,
    /// Crashes drawn at random for every node (primary and replicas); `null`: only the
    /// `crash` faults.
    pub random_crashes: Option<RandomCrashesConfig>,
}

impl Default for ReplicationConfig {
    fn default() -> Self {
        ReplicationConfig {
            replicas: 1,
            mode: ReplicationMode::Async,
            lag: DistConfig::Uniform {
                min_ms: 100.0,
                max_ms: 1000.0,
            },
            writes: 1.0,
            reads: ReadsFrom::Primary,
            while_down: WhileDown::Refused,
            failover: FailoverConfig::default(),
            random_crashes: None,
        }
    }
}

/// How writes reach the replicas.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReplicationMode {
    /// The write is answered at once and reaches the replicas after their lag: writes
    /// within the lag are lost if the primary dies.
    #[default]
    Async,
    /// The write is answered once a replica has it: slower, nothing answered is lost.
    /// (While no replica is up, writes are answered at once, as MySQL's semi-synchronous
    /// replication falls back to asynchronous.)
    Sync,
}

/// Where reads go.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReadsFrom {
    /// To the primary, like writes.
    #[default]
    Primary,
    /// To the replicas in turn (to the primary while none is up): a read that misses the
    /// reading client's own last write is a stale read.
    Replicas,
}

/// What a call to a primary that is down gets.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WhileDown {
    /// Connection refused: the call fails fast.
    #[default]
    Refused,
    /// No answer: only the client's timeout ends the wait.
    Timeout,
}

tagged_enum! {
/// What brings a service back after its primary crashes.
#[derive(Clone, Debug, PartialEq)]
pub enum FailoverConfig {
    /// Health checks notice after `health_check_interval_ms × failures_to_trip`; then the
    /// first replica that is up is promoted, which takes `promotion`.
    Automatic {
        /// Time between health checks (ms).
        #[serde(default = "second")]
        health_check_interval_ms: f64,
        /// Failed checks in a row that declare the primary dead.
        #[serde(default = "three")]
        failures_to_trip: u32,
        /// Time to promote a replica.
        #[serde(default = "promotion")]
        promotion: DistConfig,
    },
    /// A runbook: an alert fires `alert_after_ms` after the crash, then a person promotes
    /// the first replica that is up, which takes `runbook`.
    Manual {
        /// Time from the crash to the alert (ms).
        #[serde(default = "two_minutes")]
        alert_after_ms: f64,
        /// Time the person's steps take.
        #[serde(default = "runbook")]
        runbook: DistConfig,
    },
    /// Nothing: the service waits for the crashed primary to come back (the end of its
    /// `crash` window, or its repair time), data intact.
    None,
    /// No replica takes over: after the alert the primary is rebuilt from the last backup,
    /// which takes `restore`; writes since that backup are lost.
    RestoreFromBackup {
        /// Time from the crash to the alert (ms).
        #[serde(default = "two_minutes")]
        alert_after_ms: f64,
        /// A backup is taken every this many ms (at 0, every, 2 × every, …).
        #[serde(default = "hour")]
        backup_every_ms: f64,
        /// Time the restore takes.
        #[serde(default = "restore")]
        restore: DistConfig,
    },
}
}

impl Default for FailoverConfig {
    fn default() -> Self {
        FailoverConfig::Automatic {
            health_check_interval_ms: second(),
            failures_to_trip: three(),
            promotion: promotion(),
        }
    }
}

/// Crashes drawn at random: each node stays up for an exponential time with mean
/// `mtbf_ms`, then is down (repairing) for an exponential time with mean `mttr_ms`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RandomCrashesConfig {
    /// Mean time between failures (ms).
    pub mtbf_ms: f64,
    /// Mean time to repair (ms).
    pub mttr_ms: f64,
}

impl Default for RandomCrashesConfig {
    fn default() -> Self {
        RandomCrashesConfig {
            mtbf_ms: 600_000.0,
            mttr_ms: 60_000.0,
        }
    }
}

/// Which node a `crash` fault takes down.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CrashNode {
    /// The node that is primary when the crash comes.
    #[default]
    Primary,
    /// The first replica that is up when the crash comes.
    Replica,
}

fn second() -> f64 {
    1_000.0
}
fn three() -> u32 {
    3
}
fn two_minutes() -> f64 {
    120_000.0
}
fn hour() -> f64 {
    3_600_000.0
}
fn promotion() -> DistConfig {
    DistConfig::Constant { ms: 5_000.0 }
}
fn runbook() -> DistConfig {
    DistConfig::Uniform {
        min_ms: 300_000.0,
        max_ms: 900_000.0,
    }
}
fn restore() -> DistConfig {
    DistConfig::Constant { ms: 1_800_000.0 }
}
