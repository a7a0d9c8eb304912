//! Validation of a service's replication, failover and backups.

use super::Check;
use crate::sim::scenario::bounds as b;
use crate::sim::scenario::config::*;
use crate::sim::scenario::{Failover, Replication};

impl Check {
    /// `r`, the `replication` of the service model at path `p`.
    pub(super) fn replication(&mut self, p: &str, r: &ReplicationConfig) -> Replication {
        let p = format!("{p}.replication");
        self.whole(&format!("{p}.replicas"), &b::REPLICAS, r.replicas);
        let writes = self.num(&format!("{p}.writes"), &b::WRITES, r.writes);
        let f = format!("{p}.failover");
        let failover = match &r.failover {
            FailoverConfig::Automatic {
                health_check_interval_ms,
                failures_to_trip,
                promotion,
            } => {
                let every = self.ms(
                    &format!("{f}.health_check_interval_ms"),
                    &b::HEALTH_CHECK,
                    *health_check_interval_ms,
                );
                self.whole(
                    &format!("{f}.failures_to_trip"),
                    &b::FAILURES_TO_TRIP,
                    *failures_to_trip,
                );
                Failover::Promote {
                    detect: every * u64::from((*failures_to_trip).min(100)),
                    promote: self.dist(&format!("{f}.promotion"), promotion),
                    manual: false,
                }
            }
            FailoverConfig::Manual {
                alert_after_ms,
                runbook,
            } => Failover::Promote {
                detect: self.ms(
                    &format!("{f}.alert_after_ms"),
                    &b::ALERT_AFTER,
                    *alert_after_ms,
                ),
                promote: self.dist(&format!("{f}.runbook"), runbook),
                manual: true,
            },
            FailoverConfig::None => Failover::None,
            FailoverConfig::RestoreFromBackup {
                alert_after_ms,
                backup_every_ms,
                restore,
            } => Failover::Restore {
                detect: self.ms(
                    &format!("{f}.alert_after_ms"),
                    &b::ALERT_AFTER,
                    *alert_after_ms,
                ),
                every: self.ms(
                    &format!("{f}.backup_every_ms"),
                    &b::BACKUP_EVERY,
                    *backup_every_ms,
                ),
                restore: self.dist(&format!("{f}.restore"), restore),
            },
        };
        if matches!(failover, Failover::Promote { .. }) {
            self.ok(
                &format!("{p}.replicas"),
                r.replicas,
                r.replicas >= 1,
                "at least 1 with failover automatic or manual (a replica to promote)",
            );
        }
        let random_crashes = r.random_crashes.as_ref().map(|rc| {
            let q = format!("{p}.random_crashes");
            (
                self.ms(&format!("{q}.mtbf_ms"), &b::MTBF, rc.mtbf_ms),
                self.ms(&format!("{q}.mttr_ms"), &b::MTTR, rc.mttr_ms),
            )
        });
        Replication {
            replicas: r.replicas.min(crate::sim::scenario::MAX_REPLICAS) as u8,
            sync: r.mode == ReplicationMode::Sync,
            lag: self.dist(&format!("{p}.lag"), &r.lag),
            writes: (writes * 65_536.0).round() as u32,
            reads_from_replicas: r.reads == ReadsFrom::Replicas,
            refuse_while_down: r.while_down == WhileDown::Refused,
            failover,
            random_crashes,
        }
    }
}
