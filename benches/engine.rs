//! `make bench`: engine throughput (events per second, engine time only) on the benchmark
//! scenarios. Timing is measured here and never asserted in tests; the figures go in
//! BENCHMARKS.md. Writes `target/bench/engine.json` as well as printing a table.

use std::time::Instant;

use herdsim::batch::{run_seeds, threads_for};
use herdsim::sim::scenario::config::ArrivalConfig;
use herdsim::sim::{scenario::presets, Sim};
use herdsim::sweep::{Metric, Sweep, Vary};

struct Case {
    label: String,
    events: u64,
    secs: f64,
    state_mb: f64,
}

fn bench(label: &str, preset: &str, clients: u32, runs: u64) -> Case {
    let mut cfg = presets::config(preset).expect("preset");
    cfg.clients.count = clients;
    let sc = cfg.validate().expect("valid");
    let (mut events, mut secs, mut state) = (0, 0.0, 0usize);
    for seed in 0..runs {
        let mut sim = Sim::new(&sc, seed);
        let t = Instant::now();
        let p = sim.run();
        secs += t.elapsed().as_secs_f64();
        events += p.events;
        state = state.max(sim.state_bytes());
    }
    Case {
        label: label.into(),
        events,
        secs,
        state_mb: state as f64 / 1e6,
    }
}

/// `runs` seeds of a preset side by side, one per core, as `herdsim run --runs` does (the
/// same [`run_seeds`]): events per second of wall-clock time (engine and its set-up, all
/// threads together).
fn bench_parallel(label: &str, preset: &str, clients: u32, runs: u64) -> Case {
    let mut cfg = presets::config(preset).expect("preset");
    cfg.clients.count = clients;
    let sc = cfg.validate().expect("valid");
    let seeds: Vec<u64> = (0..runs).collect();
    let t = Instant::now();
    let events = run_seeds(&sc, &seeds, |mut sim| sim.run().events);
    Case {
        label: format!("{label} ({} threads)", threads_for(seeds.len())),
        events: events.iter().sum(),
        secs: t.elapsed().as_secs_f64(),
        state_mb: 0.0,
    }
}

/// A CLI-style sweep, as `herdsim sweep` runs it (the same [`herdsim::batch::sweep`]):
/// retry-storm's 87% load with 200 clients over 30 s, `policy.max_attempts` 1..5 by
/// `policy.timeout_ms` 100..400 (20 points) × 5 seeds; events per second of wall-clock
/// time, validation and the metrics included, on `threads` (`None`: every core).
fn bench_sweep(threads: Option<usize>) -> Case {
    let mut base = presets::config("retry-storm").expect("preset");
    base.clients.count = 200;
    base.clients.arrival = ArrivalConfig::Poisson { rate_per_s: 5.0 };
    base.duration_ms = 30_000.0;
    let axes = ["policy.max_attempts=1..5:5", "policy.timeout_ms=100..400:4"]
        .map(|a| Vary::parse(a).expect("axis"))
        .to_vec();
    let events = Metric::parse("events").expect("metric");
    let sweep = Sweep::new(base, axes, 5, vec![events]).expect("sweep");
    let t = Instant::now();
    let run = herdsim::batch::sweep(&sweep, threads, |_| {}).expect("runs");
    let secs = t.elapsed().as_secs_f64();
    let total: f64 = (run.table.points().iter())
        .map(|p| p.stats[0].mean.unwrap_or(0.0) * f64::from(sweep.seeds()))
        .sum();
    let n = threads.unwrap_or_else(|| threads_for(sweep.runs()));
    Case {
        label: format!("sweep retry-storm 200, 20 points x 5 seeds ({n} threads)"),
        events: total.round() as u64,
        secs,
        state_mb: 0.0,
    }
}

fn main() {
    // `cargo bench -- occ` runs only the cases whose label contains "occ"; cargo's own
    // `--bench` flag is ignored.
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let all: [(&str, &str, u32, u64); 5] = [
        ("retry-storm, 10,000 clients", "retry-storm", 10_000, 3),
        ("retry-storm, 100,000 clients", "retry-storm", 100_000, 1),
        (
            "aws-occ-full, 100 clients x 100 runs",
            "aws-occ-full",
            100,
            100,
        ),
        // breakers and budgets: 3 services and a breaker per client; gRPC throttling
        (
            "breaker-per-service-vs-global, 20,000",
            "breaker-per-service-vs-global",
            20_000,
            1,
        ),
        (
            "budget-vs-storm, 10,000 clients",
            "budget-vs-storm",
            10_000,
            3,
        ),
    ];
    let mut cases: Vec<Case> = all
        .iter()
        .filter(|c| filter.is_empty() || filter.iter().any(|f| c.0.contains(f.as_str())))
        .map(|&(label, preset, clients, runs)| bench(label, preset, clients, runs))
        .collect();
    // many small runs are independent: herdsim run --runs K spreads them over the cores
    if filter.is_empty() || filter.iter().any(|f| "aws-occ-full".contains(f.as_str())) {
        cases.push(bench_parallel(
            "aws-occ-full, 100 clients x 100 runs",
            "aws-occ-full",
            100,
            100,
        ));
    }
    // a sweep's runs as one job list: every core against one
    if filter.is_empty() || filter.iter().any(|f| "sweep".contains(f.as_str())) {
        let one = bench_sweep(Some(1));
        let all = bench_sweep(None);
        let rate = |c: &Case| c.events as f64 / c.secs;
        println!(
            "sweep speed-up over one thread: {:.2}x",
            rate(&all) / rate(&one)
        );
        cases.push(one);
        cases.push(all);
    }
    println!(
        "{:<52} {:>14} {:>10} {:>14} {:>12}",
        "scenario", "events", "seconds", "events/s", "state MB"
    );
    let mut json = Vec::new();
    for c in &cases {
        let rate = c.events as f64 / c.secs;
        println!(
            "{:<52} {:>14} {:>10.3} {:>14.0} {:>12.1}",
            c.label, c.events, c.secs, rate, c.state_mb
        );
        json.push(format!(
            "{{\"scenario\":\"{}\",\"events\":{},\"seconds\":{:.4},\"events_per_s\":{:.0},\"state_mb\":{:.2}}}",
            c.label, c.events, c.secs, rate, c.state_mb
        ));
    }
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/target/bench");
    if std::fs::create_dir_all(dir).is_ok() {
        let _ = std::fs::write(
            format!("{dir}/engine.json"),
            format!("[{}]\n", json.join(",\n")),
        );
    }
}
