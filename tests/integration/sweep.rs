//! Parameter sweeps (`herdsim::sweep`, run by `herdsim::batch::sweep`): points land in the
//! scenario as `--set` puts them, the metrics are every number of the summary, known
//! effects show at every step for every seed, and threads never change the table.

use herdsim::batch;
use herdsim::sim::scenario::{edit, presets};
use herdsim::sim::{ScenarioConfig, Sim};
use herdsim::sweep::{metric_names, Metric, Sweep, Table, Vary};
use serde_json::Value;

fn vary(s: &str) -> Vary {
    Vary::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

fn metrics(names: &[&str]) -> Vec<Metric> {
    names.iter().map(|n| Metric::parse(n).unwrap()).collect()
}

fn table(base: ScenarioConfig, axes: &[&str], seeds: u32, m: &[&str]) -> Table {
    let s = Sweep::new(
        base,
        axes.iter().map(|a| vary(a)).collect(),
        seeds,
        metrics(m),
    )
    .unwrap_or_else(|e| panic!("{axes:?}: {e}"));
    let run = batch::sweep(&s, None, |_| {}).unwrap();
    assert!(run.partial.is_empty(), "{:?}", run.partial);
    run.table
}

/// retry-storm's 87% load with 200 clients (ten times the rate each) over 30 s.
fn small_storm() -> ScenarioConfig {
    let mut c = presets::config("retry-storm").unwrap();
    c.clients.count = 200;
    c.clients.arrival = herdsim::sim::scenario::config::ArrivalConfig::Poisson { rate_per_s: 5.0 };
    c.duration_ms = 30_000.0;
    c
}

/// Each point's figures rise above the last point's at every step, for every seed: the
/// smallest at a point is above the largest at the point before.
fn rises_for_every_seed(t: &Table, metric: &str) {
    let col = t.column(metric).unwrap();
    for (i, w) in col.windows(2).enumerate() {
        assert_eq!(
            w[1].count,
            t.seeds() as usize,
            "point {}: every seed has one",
            i + 1
        );
        assert!(
            w[1].min > w[0].max,
            "{metric} at point {} ({:?}) is not above point {} ({:?})",
            i + 2,
            w[1],
            i + 1,
            w[0]
        );
    }
}

#[test]
fn more_attempts_raise_amplification_at_every_step_for_every_seed() {
    let t = table(
        small_storm(),
        &["policy.max_attempts=1..5:5"],
        4,
        &["amplification"],
    );
    rises_for_every_seed(&t, "amplification");
    // one attempt is no retry at all
    assert_eq!(t.points()[0].stats[0].max, Some(1.0));
}

#[test]
fn a_bigger_herd_meets_the_returning_service_harder_for_every_seed() {
    let t = table(
        presets::config("herd-no-jitter").unwrap(),
        &["clients.count=100..400:4"],
        4,
        &["peak_after_fault_per_s"],
    );
    rises_for_every_seed(&t, "peak_after_fault_per_s");
}

#[test]
fn points_land_in_the_scenario_as_set_puts_them_and_seeds_follow_its_seed() {
    let mut base = presets::config("herd-no-jitter").unwrap();
    base.clients.count = 50;
    base.seed = 40;
    let s = Sweep::new(
        base.clone(),
        vec![
            vary("policy.timeout_ms=10..1000:3:log"),
            vary("clients.count=10..20:3"),
        ],
        3,
        Metric::defaults(),
    )
    .unwrap();
    assert_eq!(s.points(), 9);
    let timeouts: Vec<Option<f64>> = (0..9)
        .map(|i| s.point_config(i).unwrap().policy.timeout_ms)
        .collect();
    let want = [10.0, 100.0, 1000.0].map(Some);
    assert_eq!(timeouts, want.map(|t| [t; 3]).concat());
    let counts: Vec<u32> = (0..3)
        .map(|i| s.point_config(i).unwrap().clients.count)
        .collect();
    assert_eq!(counts, [10, 15, 20]);
    // point 5 is the base with --set policy.timeout_ms=100 --set clients.count=15
    let mut doc = serde_json::to_value(&base).unwrap();
    edit::set(&mut doc, "policy.timeout_ms", "100").unwrap();
    edit::set(&mut doc, "clients.count", "15").unwrap();
    assert_eq!(
        s.point_config(4).unwrap(),
        ScenarioConfig::from_value(doc).unwrap()
    );
    let seeds: Vec<u64> = s.jobs().filter(|j| j.point == 4).map(|j| j.seed).collect();
    assert_eq!(seeds, [40, 41, 42]);
}

#[test]
fn a_points_figures_are_those_of_its_runs_one_by_one() {
    let mut base = presets::config("metastable").unwrap();
    base.clients.count = 100;
    let m = ["attempts", "time_to_recover_ms", "latency_ms.p99"];
    let s = Sweep::new(
        base.clone(),
        vec![vary("clients.count=200..300:2")],
        6,
        metrics(&m),
    )
    .unwrap();
    let t = batch::sweep(&s, None, |_| {}).unwrap().table;
    let mut at_300 = base;
    at_300.clients.count = 300;
    let sc = at_300.validate().unwrap();
    let runs: Vec<Value> = (0..6)
        .map(|k| serde_json::to_value(Sim::new(&sc, at_300.seed + k).run_to_summary()).unwrap())
        .collect();
    for (c, name) in m.iter().enumerate() {
        let mut xs: Vec<f64> = runs
            .iter()
            .filter_map(|r| Metric::parse(name).unwrap().of(r))
            .collect();
        let st = t.points()[1].stats[c];
        assert_eq!(st.count, xs.len(), "{name}");
        assert_eq!(
            st.mean,
            Some(xs.iter().sum::<f64>() / xs.len() as f64),
            "{name}"
        );
        xs.sort_by(f64::total_cmp);
        assert_eq!((st.min, st.max), (xs.first().copied(), xs.last().copied()));
        // linear between the nearest ranks, by hand: h = (n - 1) p
        let at = |p: f64| {
            let h = (xs.len() - 1) as f64 * p;
            let i = h.floor() as usize;
            xs[i] + (h - i as f64) * (xs.get(i + 1).unwrap_or(&xs[i]) - xs[i])
        };
        let near =
            |a: Option<f64>, b: f64| a.is_some_and(|a| (a - b).abs() <= 1e-9 * b.abs().max(1.0));
        assert!(
            near(st.p10, at(0.1)) && near(st.p90, at(0.9)),
            "{name}: {st:?}"
        );
    }
}

#[test]
fn threads_do_not_change_the_table() {
    let mut base = presets::config("herd-full-jitter").unwrap();
    base.clients.count = 60;
    let s = Sweep::new(
        base,
        vec![
            vary("policy.backoff.base_ms=50..800:3:log"),
            vary("policy.max_attempts=2..4:2"),
        ],
        5,
        Metric::defaults(),
    )
    .unwrap();
    let json = |threads| {
        let run = batch::sweep(&s, threads, |_| {}).unwrap();
        run.table.to_json()
    };
    let one = json(Some(1));
    assert_eq!(json(None), one);
    assert_eq!(json(Some(3)), one);
    assert_eq!(json(Some(7)), one);
    // and it tells progress once a run, up to every run
    let seen = std::sync::Mutex::new(Vec::new());
    batch::sweep(&s, Some(2), |n| seen.lock().unwrap().push(n)).unwrap();
    let mut seen = seen.into_inner().unwrap();
    seen.sort_unstable();
    assert_eq!(seen, (1..=s.runs()).collect::<Vec<_>>());
}

#[test]
fn the_metrics_are_every_number_of_every_golden_summary() {
    let names = metric_names();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let mut files = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        // the summaries (not the exports' folder)
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let summary: Value = serde_json::from_str(&text).unwrap();
        let Value::Object(top) = &summary else {
            panic!("{path:?}")
        };
        let mut numbers = Vec::new();
        for (k, v) in top {
            match v {
                Value::Number(_) if k != "seed" => numbers.push(k.clone()),
                Value::Object(inner) => numbers.extend(
                    inner
                        .iter()
                        .filter(|(_, x)| x.is_number())
                        .map(|(j, _)| format!("{k}.{j}")),
                ),
                _ => {}
            }
        }
        for n in &numbers {
            assert!(names.contains(n), "{path:?}: {n} is not a metric");
        }
        // and every metric is a field there (a number or null)
        for n in &names {
            let v = n.split('.').try_fold(&summary, |v, k| v.get(k));
            assert!(
                v.is_some_and(|v| v.is_number() || v.is_null()),
                "{path:?}: {n}"
            );
        }
        files += 1;
    }
    assert!(files >= 20, "{files} golden summaries");
}
