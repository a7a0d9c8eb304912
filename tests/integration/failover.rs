//! Replicated services: lost writes, RPO and RTO against hand-computed values, sync
//! replication losing nothing, restores from backup, stale reads, and the availability of
//! randomly crashing nodes against MTBF / (MTBF + MTTR), alone and as a pair.

use herdsim::sim::output::incident::Recovery;
use herdsim::sim::scenario::config::*;
use herdsim::sim::scenario::presets;
use herdsim::sim::RunRecord;

use crate::common::{base, run, summary};

/// One client writing every 10 ms from 0 (each write takes 1 ms, no network delay, no
/// retries); the primary crashes at 1,005 ms, between two writes, and is repaired at 60 s.
fn writer(failover: FailoverConfig, mode: ReplicationMode) -> ScenarioConfig {
    let mut c = base();
    c.duration_ms = 3_000.0;
    c.clients.arrival = ArrivalConfig::Interval { every_ms: 10.0 };
    c.service.service_time = DistConfig::Constant { ms: 1.0 };
    c.service.replication = Some(ReplicationConfig {
        replicas: 1,
        mode,
        lag: DistConfig::Constant { ms: 250.0 },
        writes: 1.0,
        failover,
        ..ReplicationConfig::default()
    });
    c.faults = vec![FaultConfig::Crash {
        start_ms: 1_005.0,
        end_ms: 60_000.0,
        node: CrashNode::Primary,
    }];
    c
}

/// Health checks every 100 ms, 3 to trip, promotion in 200 ms.
fn automatic() -> FailoverConfig {
    FailoverConfig::Automatic {
        health_check_interval_ms: 100.0,
        failures_to_trip: 3,
        promotion: DistConfig::Constant { ms: 200.0 },
    }
}

fn record(c: &ScenarioConfig) -> RunRecord {
    run(c, 1).record()
}

#[test]
fn async_failover_loses_the_writes_within_the_lag_and_recovers_after_detection_and_promotion() {
    let r = record(&writer(automatic(), ReplicationMode::Async));
    let [o] = r.incidents[0][..] else {
        panic!("one incident: {:?}", r.incidents)
    };
    // writes answered at 1 ms past each 10 ms; the replica has each 250 ms later, so
    // those answered in (1,005 − 250, 1,005] = 761, 771, …, 1,001 ms are lost: 25 writes,
    // the oldest 244 ms before the crash
    assert_eq!(o.lost_writes, 25);
    assert_eq!(o.rpo(), 244_000);
    // detection: 3 checks × 100 ms; promotion 200 ms: back at 1,505 ms; the next write
    // arrives at 1,510 and is answered at 1,511 ms: RTO 506 ms
    assert_eq!(o.crash, 1_005_000);
    assert_eq!(o.detected, Some(1_305_000));
    assert_eq!(o.back, Some(1_505_000));
    assert_eq!((o.recovery, o.primary), (Recovery::Promoted, 1));
    assert_eq!(o.first_write, Some(1_511_000));
    let s = &r.summary;
    assert_eq!(s.lost_writes, 25);
    assert_eq!(s.rpo_ms, Some(244.0));
    assert_eq!(s.rto_ms, Some(506.0));
    assert_eq!(s.services[0].lost_writes, 25);
    assert_eq!(s.services[0].rto_ms, Some(506.0));
    // the writes arriving in [1,010, 1,500] ms are refused: 50 requests failed
    assert_eq!(s.failed, 50);
    assert_eq!(s.requests, 300);
}

#[test]
fn sync_replication_loses_nothing_and_answers_a_lag_later() {
    let mut c = writer(automatic(), ReplicationMode::Sync);
    if let Some(r) = &mut c.service.replication {
        r.replicas = 2;
    }
    let s = summary(&c, 1);
    assert_eq!(s.lost_writes, 0);
    assert_eq!(s.rpo_ms, Some(0.0));
    // the first write after the promotion is made at 1,511 ms and answered once the
    // other replica has it, 250 ms later
    assert_eq!(s.rto_ms, Some(756.0));
    // every successful write took the 1 ms of work plus the 250 ms lag
    assert_eq!(s.success_latency_ms.p50, Some(251.0));
    // the 25 writes made within the lag before the crash are never answered (refused at
    // the crash), and the 50 arriving during the outage are refused
    assert_eq!(s.failed, 75);
    // with one replica, the promoted one has none left up (the old primary is down until
    // 60 s): it answers writes at once, as MySQL's semi-synchronous replication falls back
    // to asynchronous
    let s = summary(&writer(automatic(), ReplicationMode::Sync), 1);
    assert_eq!((s.lost_writes, s.rto_ms), (0, Some(506.0)));
    for seed in 1..=3 {
        let s = summary(&presets::config("failover-sync-replica").unwrap(), seed);
        assert_eq!(s.lost_writes, 0, "seed {seed}");
        let a = summary(&presets::config("failover-async-replica").unwrap(), seed);
        assert!(a.lost_writes > 10, "seed {seed}: {}", a.lost_writes);
    }
}

#[test]
fn without_failover_the_service_waits_for_the_primary_and_loses_nothing() {
    let mut c = writer(FailoverConfig::None, ReplicationMode::Async);
    c.faults = vec![FaultConfig::Crash {
        start_ms: 1_005.0,
        end_ms: 2_000.0,
        node: CrashNode::Primary,
    }];
    let r = record(&c);
    let o = r.incidents[0][0];
    assert_eq!(
        (o.recovery, o.primary, o.detected),
        (Recovery::Restarted, 0, None)
    );
    assert_eq!(o.back, Some(2_000_000));
    assert_eq!(r.summary.lost_writes, 0);
    assert_eq!(r.summary.rto_ms, Some(996.0)); // the write at 2,000 ms, answered at 2,001
}

#[test]
fn a_restore_loses_every_write_since_the_last_backup() {
    let mut c = writer(
        FailoverConfig::RestoreFromBackup {
            alert_after_ms: 100.0,
            backup_every_ms: 1_000.0,
            restore: DistConfig::Constant { ms: 300.0 },
        },
        ReplicationMode::Async,
    );
    if let Some(r) = &mut c.service.replication {
        r.replicas = 0;
    }
    c.faults = vec![FaultConfig::Crash {
        start_ms: 2_505.0,
        end_ms: 60_000.0,
        node: CrashNode::Primary,
    }];
    c.duration_ms = 4_000.0;
    let r = record(&c);
    let o = r.incidents[0][0];
    // backups at 0, 1 s, 2 s: the writes answered at 2,001, 2,011, …, 2,501 ms are lost
    assert_eq!(o.lost_writes, 51);
    assert_eq!(o.rpo(), 504_000);
    // alert at 2,605, restored at 2,905; the write at 2,910 is answered at 2,911 ms
    assert_eq!((o.detected, o.back), (Some(2_605_000), Some(2_905_000)));
    assert_eq!(o.recovery, Recovery::Restored);
    assert_eq!(r.summary.rto_ms, Some(406.0));
}

#[test]
fn reads_from_an_async_replica_miss_the_readers_own_writes_and_from_the_primary_never() {
    // 100 clients, half writes, reads to the replica: a read within the lag of the
    // client's own write is stale
    let mut c = presets::config("failover-async-replica").unwrap();
    c.faults.clear();
    let stale = summary(&c, 1).stale_reads;
    assert!(stale > 100, "{stale}");
    // a lag of zero: a replica has every write when it is made
    if let Some(r) = &mut c.service.replication {
        r.lag = DistConfig::Constant { ms: 0.0 };
    }
    assert_eq!(summary(&c, 1).stale_reads, 0);
    if let Some(r) = &mut c.service.replication {
        r.lag = DistConfig::Constant { ms: 1000.0 };
        r.reads = ReadsFrom::Primary;
    }
    assert_eq!(summary(&c, 1).stale_reads, 0);
}

/// A day of one client's Poisson calls (one per second, no retries, refused at once while
/// the service is down) to nodes that crash at random: availability per hour, as batch
/// means, against `expected`.
fn random_crash_availability(replicas: u32, expected: f64) {
    let mut c = base();
    c.duration_ms = 86_400_000.0;
    c.bucket_ms = Some(60_000.0);
    c.clients.arrival = ArrivalConfig::Poisson { rate_per_s: 1.0 };
    c.service.service_time = DistConfig::Constant { ms: 1.0 };
    c.service.replication = Some(ReplicationConfig {
        replicas,
        failover: if replicas == 0 {
            FailoverConfig::None
        } else {
            FailoverConfig::Automatic {
                health_check_interval_ms: 1.0,
                failures_to_trip: 1,
                promotion: DistConfig::Constant { ms: 0.0 },
            }
        },
        random_crashes: Some(RandomCrashesConfig {
            mtbf_ms: 120_000.0,
            mttr_ms: 40_000.0,
        }),
        ..ReplicationConfig::default()
    });
    let r = record(&c);
    // Poisson arrivals see time averages: the share of calls that succeed estimates the
    // share of time the service is up
    let hours: Vec<f64> = r
        .series
        .buckets
        .chunks(60)
        .map(|h| {
            let ok: u64 = h.iter().map(|b| b.success).sum();
            let all: u64 = h.iter().map(|b| b.outcomes()).sum();
            ok as f64 / all as f64
        })
        .collect();
    let n = hours.len() as f64;
    let mean = hours.iter().sum::<f64>() / n;
    let sd = (hours.iter().map(|h| (h - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    let se = sd / n.sqrt();
    assert_eq!(n, 24.0);
    assert!(se < 0.02, "se {se}");
    assert!(
        (mean - expected).abs() < 3.0 * se,
        "measured {mean} ± {se}, expected {expected}"
    );
    let incidents = &r.incidents[0];
    assert!(incidents.len() > 100, "{}", incidents.len());
}

#[test]
fn a_randomly_crashing_node_is_up_mtbf_over_mtbf_plus_mttr_of_the_time() {
    // 120 s / (120 s + 40 s)
    random_crash_availability(0, 0.75);
}

#[test]
fn a_pair_of_randomly_crashing_nodes_with_failover_is_up_as_the_parallel_formula_says() {
    // 1 − (1 − 0.75)²
    let a = herdsim::uptime::parallel(&[0.75, 0.75], 0.0);
    assert!((a - 0.9375).abs() < 1e-12);
    random_crash_availability(1, a);
}

#[test]
fn a_node_that_stays_down_holds_no_writes_for_it() {
    // the crashed primary never comes back within the run: after the failover the new
    // primary's only replica is down, and the writes log must not keep every write for it
    // (1,000 writes a second for 100 s would be about 4.8 MB of it)
    let mut c = presets::config("failover-herd").unwrap();
    c.duration_ms = 120_000.0;
    c.faults[0] = FaultConfig::Crash {
        start_ms: 20_000.0,
        end_ms: 600_000.0,
        node: CrashNode::Primary,
    };
    let sim = run(&c, 1);
    assert!(sim.summary().succeeded > 90_000);
    // against the same run without replication, down while the failover took
    let mut plain = c.clone();
    plain.service.replication = None;
    plain.faults[0] = FaultConfig::Down {
        start_ms: 20_000.0,
        end_ms: 27_000.0,
    };
    let (with, without) = (sim.growing_bytes(), run(&plain, 1).growing_bytes());
    assert!(
        with < without + (256 << 10),
        "{with} bytes against {without}"
    );
}

/// `failover-async-replica` with its crashes replaced by `crashes` (node, start s, end s).
fn crashes(list: &[(CrashNode, f64, f64)]) -> ScenarioConfig {
    let mut c = presets::config("failover-async-replica").unwrap();
    c.faults = list
        .iter()
        .map(|&(node, start, end)| FaultConfig::Crash {
            start_ms: start * 1000.0,
            end_ms: end * 1000.0,
            node,
        })
        .collect();
    c
}

#[test]
fn a_replica_promoted_after_being_down_lacks_every_write_it_missed() {
    // the replica is down from 10 s to 40 s, the primary crashes at 30 s: nothing is up to
    // promote until the replica is back at 40 s, and it never got the writes of 10–30 s
    let r = record(&crashes(&[
        (CrashNode::Replica, 10.0, 40.0),
        (CrashNode::Primary, 30.0, 100.0),
    ]));
    let o = r.incidents[0][0];
    assert_eq!((o.recovery, o.primary), (Recovery::Promoted, 1));
    // back at 40 s, promoted in 5 s
    assert_eq!(o.back, Some(45_000_000));
    // about 100 writes a second (200 clients, 1 request/s, half of them writes) for 20 s
    assert!((1_800..2_200).contains(&o.lost_writes), "{}", o.lost_writes);
    assert!(o.rpo() > 19_900_000 && o.rpo() <= 20_000_000, "{}", o.rpo());
}

#[test]
fn a_primary_back_before_its_crash_is_noticed_ends_the_outage() {
    // the replica is down; the primary is back at 32 s, before the health checks would
    // have noticed (33 s): it carries on, data intact
    let r = record(&crashes(&[
        (CrashNode::Replica, 0.0, 58.0),
        (CrashNode::Primary, 30.0, 32.0),
    ]));
    let o = r.incidents[0][0];
    assert_eq!(
        (o.recovery, o.primary, o.detected),
        (Recovery::Restarted, 0, None)
    );
    assert_eq!(o.back, Some(32_000_000));
    assert_eq!(o.lost_writes, 0);
    let rto = o.rto().unwrap();
    assert!((2_000_000..2_100_000).contains(&rto), "{rto}");
}
