//! A presenter's intervention is the same run as its fault written in the scenario, and it
//! forks the run at its time: everything before is what the run without it did.

use herdsim::sim::scenario::config::{FaultConfig, LoadWindowConfig};
use herdsim::sim::scenario::intervene::{toggle, Lever, SLOW_MULTIPLIER, SPIKE_MULTIPLIER};
use herdsim::sim::scenario::presets;
use herdsim::sim::{RunRecord, ScenarioConfig, Sim};

fn run(cfg: &ScenarioConfig) -> RunRecord {
    let mut sim = Sim::new(&cfg.validate().unwrap(), cfg.seed);
    sim.run();
    sim.record()
}

/// The whole buckets of `a` and `b` that end by `t_ms` are the same, and some later differ.
fn forks_at(a: &RunRecord, b: &RunRecord, t_ms: f64, what: &str) {
    let (sa, sb) = (&a.series, &b.series);
    assert_eq!(sa.width, sb.width, "{what}");
    let before = ((t_ms * 1_000.0) as u64 / sa.width) as usize;
    assert!(before > 0, "{what}");
    let first = sa.buckets.iter().zip(&sb.buckets).position(|(x, y)| x != y);
    assert!(
        first.is_some_and(|i| i >= before),
        "{what}: identical before {t_ms} ms and changed after (first change in bucket {first:?} of width {} µs)",
        sa.width
    );
}

#[test]
fn taking_the_service_down_at_the_cursor_is_the_same_fault_written_in_the_scenario() {
    let cfg = presets::config("herd-no-jitter").unwrap();
    let pulled = toggle(&cfg, Lever::Down, 15_000.0).unwrap();
    assert_eq!(pulled.said, "service down at 15 s");
    let mut written = cfg.clone();
    written.faults.push(FaultConfig::Down {
        start_ms: 15_000.0,
        end_ms: cfg.duration_ms,
    });
    assert_eq!(pulled.config, written);
    let (with, plain) = (run(&pulled.config), run(&cfg));
    assert_eq!(with, run(&written), "the same run, series and all");
    forks_at(&plain, &with, 15_000.0, "down at 15 s");
    assert!(with.summary.succeeded < plain.summary.succeeded);
    // and brought back at 40 s: a 10 s outage, as if written so
    let back = toggle(&pulled.config, Lever::Down, 20_000.0).unwrap();
    assert_eq!(back.said, "service back at 20 s");
    if let Some(FaultConfig::Down { end_ms, .. }) = written.faults.last_mut() {
        *end_ms = 20_000.0;
    }
    assert_eq!(back.config, written);
    let ten = run(&back.config);
    forks_at(&with, &ten, 20_000.0, "back at 20 s");
    assert!(ten.summary.succeeded > with.summary.succeeded);
}

#[test]
fn every_lever_forks_the_run_at_its_time_and_only_then() {
    let mut cfg = presets::config("retry-storm").unwrap();
    cfg.clients.count = cfg.clients.count.min(300);
    let plain = run(&cfg);
    let at = cfg.duration_ms * 0.6;
    for lever in Lever::ALL {
        let pulled = toggle(&cfg, lever, at).unwrap();
        let mut written = cfg.clone();
        let end = cfg.duration_ms;
        match lever {
            Lever::Down => written.faults.push(FaultConfig::Down {
                start_ms: at,
                end_ms: end,
            }),
            Lever::Blackhole => written.faults.push(FaultConfig::Blackhole {
                start_ms: at,
                end_ms: end,
            }),
            Lever::Slow => written.faults.push(FaultConfig::Slow {
                start_ms: at,
                end_ms: end,
                multiplier: SLOW_MULTIPLIER,
            }),
            Lever::Spike => written.clients.load.push(LoadWindowConfig {
                start_ms: at,
                end_ms: end,
                multiplier: SPIKE_MULTIPLIER,
            }),
        }
        assert_eq!(pulled.config, written, "{lever:?}");
        forks_at(&plain, &run(&pulled.config), at, pulled.said.as_str());
    }
}
