//! Notable moments found where the model says they happen: the waves of an un-jittered
//! herd at the cumulative backoff schedule, a breaker opening when its service goes down
//! and closing an open time later, recovery at the summary's figure, a hang declared
//! collapsed.

use herdsim::charts::moments::{moments, Moment, MomentKind, COLLAPSE_AFTER};
use herdsim::sim::scenario::presets;
use herdsim::sim::{RunRecord, Sim};

fn record(preset: &str) -> RunRecord {
    let c = presets::config(preset).unwrap();
    let mut sim = Sim::new(&c.validate().unwrap(), c.seed);
    sim.run();
    sim.record()
}

fn of(m: &[Moment], kind: MomentKind) -> Vec<f64> {
    m.iter()
        .filter(|x| x.kind == kind)
        .map(|x| x.at_ms)
        .collect()
}

#[test]
fn an_unjittered_herd_comes_back_in_waves_at_its_backoff_schedule() {
    let rec = record("herd-no-jitter");
    let b = &rec.scenario.policy().backoff;
    let (base, cap) = (b.base as f64 / 1000.0, b.cap as f64 / 1000.0);
    // every client failed at t = 0 (within the 100 ms start spread); retry n sleeps
    // min(base · 2^(n−1), cap), so the herd returns at the cumulative sums, until its
    // attempts run out
    let retries = rec.scenario.policy().max_attempts as i32 - 1;
    let mut t = 0.0;
    let schedule: Vec<f64> = (1..=retries)
        .map(|n| {
            t += (base * 2f64.powi(n - 1)).min(cap);
            t
        })
        .filter(|&t| t >= 10_000.0 && t < rec.summary.end_ms)
        .collect();
    let waves = of(&moments(&rec), MomentKind::RetryWave);
    assert_eq!(waves.len(), schedule.len(), "{waves:?} vs {schedule:?}");
    let width = rec.series.width as f64 / 1000.0;
    for (got, want) in waves.iter().zip(&schedule) {
        // the wave's bucket, allowing the start spread and one bucket
        assert!(
            *got >= want - width && *got <= want + 100.0 + width,
            "wave at {got} ms, schedule {want} ms"
        );
    }
    // with full jitter the same herd never exceeds the wave threshold
    assert_eq!(
        of(&moments(&record("herd-full-jitter")), MomentKind::RetryWave),
        Vec::<f64>::new()
    );
}

#[test]
fn a_breaker_opens_when_its_service_goes_down_and_closes_an_open_time_later() {
    let rec = record("gobreaker");
    let m = moments(&rec);
    let fault = rec.scenario.services()[0].faults[0];
    let open = rec.scenario.breaker().unwrap().open as f64 / 1000.0;
    let width = rec.series.width as f64 / 1000.0;
    let opened = of(&m, MomentKind::BreakerOpened);
    let closed = of(&m, MomentKind::BreakerClosed);
    let start = fault.start as f64 / 1000.0;
    assert_eq!(opened.len(), 1);
    assert!(
        opened[0] >= start - width && opened[0] <= start + width,
        "{opened:?}"
    );
    // one breaker, one trial after the open time, and the service is back by then
    assert!(
        closed[0] >= opened[0] + open && closed[0] <= opened[0] + open + 2.0 * width,
        "closed {closed:?}, opened {opened:?}, open for {open} ms"
    );
    assert!(m
        .iter()
        .any(|x| x.kind == MomentKind::BreakerOpened && x.label == "breaker opened"));
}

#[test]
fn recovery_collapse_and_budgets_are_marked_where_the_summary_puts_them() {
    let rec = record("herd-no-jitter");
    let end = rec.scenario.disturbances().map(|w| w.1).max().unwrap() as f64 / 1000.0;
    let ttr = rec.summary.time_to_recover_ms.unwrap();
    assert_eq!(of(&moments(&rec), MomentKind::Recovered), vec![end + ttr]);
    // a hang never recovers: declared collapsed once it is still down COLLAPSE_AFTER later
    let hang = record("no-timeout-hang");
    let f = hang.scenario.services()[0].faults[0];
    let after = (f.end + COLLAPSE_AFTER.max(f.end - f.start)) as f64 / 1000.0;
    assert_eq!(hang.summary.time_to_recover_ms, None);
    assert_eq!(of(&moments(&hang), MomentKind::Collapsed), vec![after]);
    assert!(of(&moments(&hang), MomentKind::Recovered).is_empty());
    // the retry budget runs dry during the slowdown it is there for
    let budget = record("budget-vs-storm");
    let f = budget.scenario.services()[0].faults[0];
    let dry = of(&moments(&budget), MomentKind::BudgetEmpty);
    assert_eq!(dry.len(), 1);
    assert!(
        dry[0] >= f.start as f64 / 1000.0 && dry[0] < f.end as f64 / 1000.0,
        "{dry:?}"
    );
}

#[test]
fn every_moment_kind_has_the_name_a_tour_uses() {
    for k in MomentKind::ALL {
        let json = serde_json::to_value(k).unwrap();
        assert_eq!(json.as_str(), Some(k.id()));
    }
}

#[test]
fn a_failover_is_marked_at_its_crash_detection_promotion_and_first_write() {
    // failover-async-replica: crash at 30 s, 3 health checks a second apart, promotion in
    // 5 s; the first write is the RTO after the crash
    let rec = record("failover-async-replica");
    let m = moments(&rec);
    assert_eq!(of(&m, MomentKind::Crash), vec![30_000.0]);
    assert_eq!(of(&m, MomentKind::CrashDetected), vec![33_000.0]);
    assert_eq!(of(&m, MomentKind::PrimaryBack), vec![38_000.0]);
    let rto = rec.summary.rto_ms.unwrap();
    assert_eq!(of(&m, MomentKind::FirstWrite), vec![30_000.0 + rto]);
    let label = |k| {
        m.iter()
            .find(|x| x.kind == k)
            .map(|x| x.label.clone())
            .unwrap()
    };
    assert_eq!(label(MomentKind::PrimaryBack), "replica 1 promoted");
    assert!(label(MomentKind::Crash).contains(&format!("{} writes lost", rec.summary.lost_writes)));
    assert_eq!(label(MomentKind::FirstWrite), "first write: RTO 8.01 s");
    // a restart and a restore say so; a scenario without replication has none of them
    let restore = moments(&record("restore-from-backup"));
    assert!(restore.iter().any(|x| x.label == "restored from backup"));
    let none = moments(&record("herd-no-jitter"));
    assert!(!none
        .iter()
        .any(|x| matches!(x.kind, MomentKind::Crash | MomentKind::FirstWrite)));
}
