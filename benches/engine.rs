//! `make bench`: engine throughput (events per second, engine time only) on the benchmark
//! scenarios. Timing is measured here and never asserted in tests; the figures go in
//! BENCHMARKS.md. Writes `target/bench/engine.json` as well as printing a table.

mod occ_reference;

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

/// Time per run of the reference and of herdsim's `aws-occ-full`, side by side.
struct PerRun {
    clients: u32,
    runs: u64,
    /// Microseconds per run in each repetition: the reference's, herdsim's.
    reference_us: Vec<f64>,
    herdsim_us: Vec<f64>,
    /// Mean events and attempts per run.
    reference_events: f64,
    herdsim_events: f64,
    reference_attempts: f64,
    herdsim_attempts: f64,
}

/// Per-run cost (issue 12 §4): `reps` repetitions, each timing `runs` runs of the
/// minimal reference ([`occ_reference`]) and `runs` runs of herdsim's `aws-occ-full` with
/// `clients` clients as a sweep pays for them (`Sim::new(..).run_to_summary()`: set-up,
/// run and summary), one thread, the two interleaved (and which goes first alternating)
/// so that both see the same spells of the shared machine.
fn bench_per_run(clients: u32, runs: u64, reps: usize) -> PerRun {
    let mut cfg = presets::config("aws-occ-full").expect("preset");
    cfg.clients.count = clients;
    let sc = cfg.validate().expect("valid");
    // µs per run, events and attempts in all
    let reference = || {
        let t = Instant::now();
        let (mut events, mut attempts) = (0, 0);
        for seed in 0..runs {
            let r = std::hint::black_box(occ_reference::run(clients, seed));
            (events, attempts) = (events + r.events, attempts + r.attempts);
        }
        (
            t.elapsed().as_secs_f64() * 1e6 / runs as f64,
            events,
            attempts,
        )
    };
    let herdsim = || {
        let t = Instant::now();
        let (mut events, mut attempts) = (0, 0);
        for seed in 0..runs {
            let s = std::hint::black_box(Sim::new(&sc, seed).run_to_summary());
            (events, attempts) = (events + s.events, attempts + s.attempts);
        }
        (
            t.elapsed().as_secs_f64() * 1e6 / runs as f64,
            events,
            attempts,
        )
    };
    // warm up both (caches, the ziggurat tables, the allocator)
    let (_, ref_events, ref_attempts) = reference();
    let (_, herd_events, herd_attempts) = herdsim();
    let per_run = |n: u64| n as f64 / runs as f64;
    let mut out = PerRun {
        clients,
        runs,
        reference_us: Vec::new(),
        herdsim_us: Vec::new(),
        reference_events: per_run(ref_events),
        herdsim_events: per_run(herd_events),
        reference_attempts: per_run(ref_attempts),
        herdsim_attempts: per_run(herd_attempts),
    };
    for rep in 0..reps {
        let (r, h) = if rep % 2 == 0 {
            let r = reference().0;
            (r, herdsim().0)
        } else {
            let h = herdsim().0;
            (reference().0, h)
        };
        out.reference_us.push(r);
        out.herdsim_us.push(h);
    }
    out
}

/// The smallest and largest of `xs`.
fn range(xs: &[f64]) -> (f64, f64) {
    xs.iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &x| {
            (lo.min(x), hi.max(x))
        })
}

/// The median of `xs`.
fn median(xs: &[f64]) -> f64 {
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
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
    // the per-run cost against the minimal reference
    let per_run = (filter.is_empty() || filter.iter().any(|f| "per-run".contains(f.as_str())))
        .then(|| bench_per_run(100, 200, 9));
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
    let mut per_run_json = String::from("null");
    if let Some(p) = &per_run {
        let ratios: Vec<f64> = (p.herdsim_us.iter().zip(&p.reference_us))
            .map(|(h, r)| h / r)
            .collect();
        let (r, h, x) = (range(&p.reference_us), range(&p.herdsim_us), range(&ratios));
        println!(
            "per run, aws-occ-full with {} clients, {} runs x {} repetitions, one thread, interleaved:",
            p.clients,
            p.runs,
            ratios.len()
        );
        println!(
            "  {:<38} {:>7.1}-{:<7.1} us/run (median {:.1}), {:.0} events, {:.0} attempts/run",
            "reference (benches/occ_reference.rs)",
            r.0,
            r.1,
            median(&p.reference_us),
            p.reference_events,
            p.reference_attempts
        );
        println!(
            "  {:<38} {:>7.1}-{:<7.1} us/run (median {:.1}), {:.0} events, {:.0} attempts/run",
            "herdsim (Sim::new + run + summary)",
            h.0,
            h.1,
            median(&p.herdsim_us),
            p.herdsim_events,
            p.herdsim_attempts
        );
        println!(
            "  herdsim / reference, per repetition: {:.2}-{:.2}x (median {:.2}x; target <= 1.3x)",
            x.0,
            x.1,
            median(&ratios)
        );
        per_run_json = format!(
            "{{\"scenario\":\"aws-occ-full, {} clients\",\"runs\":{},\"repetitions\":{},\
             \"reference_us_per_run\":[{:.1},{:.1}],\"herdsim_us_per_run\":[{:.1},{:.1}],\
             \"ratio\":[{:.3},{:.3}],\"ratio_median\":{:.3},\
             \"reference_events_per_run\":{:.1},\"herdsim_events_per_run\":{:.1},\
             \"reference_attempts_per_run\":{:.1},\"herdsim_attempts_per_run\":{:.1}}}",
            p.clients,
            p.runs,
            ratios.len(),
            r.0,
            r.1,
            h.0,
            h.1,
            x.0,
            x.1,
            median(&ratios),
            p.reference_events,
            p.herdsim_events,
            p.reference_attempts,
            p.herdsim_attempts
        );
    }
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/target/bench");
    if std::fs::create_dir_all(dir).is_ok() {
        let _ = std::fs::write(
            format!("{dir}/engine.json"),
            format!(
                "{{\"throughput\":[{}],\n\"per_run\":{per_run_json}}}\n",
                json.join(",\n")
            ),
        );
    }
}
