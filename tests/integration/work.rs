//! The page's web-worker jobs (`herdsim::work`): a task sent as JSON, prepared in the
//! worker and run job by job, gives exactly the CLI's table and scorecards; bad messages
//! get an answer naming what is wrong.

use herdsim::batch;
use herdsim::charts::{pareto, style::Palette};
use herdsim::sim::scenario::presets;
use herdsim::sim::Sim;
use herdsim::suite::Plan;
use herdsim::sweep::{Metric, Stats, Sweep, Vary};
use herdsim::tune::search::{Constraint, Objective, Over, Spec, Tuner};
use herdsim::work::{self, document, Answer, Finished, Output, Reply, Request, Task};
use plotters::prelude::*;

/// What a worker answers `text` with, when the answer is a reply.
fn serve(text: &str, prepared: &mut Option<(u64, Result<herdsim::work::Work, String>)>) -> Reply {
    match work::serve(text, prepared, &mut |_| {}) {
        Answer::Reply(r) => r,
        Answer::Record(_) => panic!("a record for {text}"),
    }
}

/// Every job of `task` as a worker does it: each request a JSON message, each reply read
/// back from JSON; the task goes with the first job only.
fn through_a_worker(task: &Task) -> Finished {
    let work = task.clone().prepare().expect("task");
    let mut prepared = None;
    let outputs: Vec<Output> = (0..work.jobs())
        .rev() // any order: here backwards
        .map(|job| {
            let req = Request::Job {
                task: 7,
                setup: (job + 1 == work.jobs()).then(|| task.clone()),
                job,
            };
            let sent = serde_json::to_string(&req).unwrap();
            let reply = serde_json::to_string(&serve(&sent, &mut prepared)).unwrap();
            match serde_json::from_str(&reply).unwrap() {
                Reply::Done {
                    task: 7,
                    job: j,
                    output,
                } if j == job => output.unwrap(),
                other => panic!("{other:?}"),
            }
        })
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    work.finish(outputs).expect("finished")
}

#[test]
fn a_sweep_in_workers_is_the_cli_sweep() {
    let mut base = presets::config("retry-storm").unwrap();
    base.clients.count = 60;
    base.duration_ms = 5000.0;
    let vary = [
        "policy.max_attempts=1..3:3",
        "policy.timeout_ms=100..400:2:log",
    ];
    let metrics = ["amplification", "availability", "latency_ms.p99"];
    let task = Task::Sweep {
        base: document(&base),
        vary: vary.iter().map(|v| v.to_string()).collect(),
        seeds: 3,
        metrics: metrics.iter().map(|m| m.to_string()).collect(),
    };
    let cli = Sweep::new(
        base,
        vary.iter().map(|v| Vary::parse(v).unwrap()).collect(),
        3,
        metrics.iter().map(|m| Metric::parse(m).unwrap()).collect(),
    )
    .unwrap();
    let cli = batch::sweep(&cli, None, |_| {}).unwrap().table;
    assert_eq!(cli.points().len(), 6);
    assert_eq!(through_a_worker(&task), Finished::Sweep(cli));
}

#[test]
fn the_suite_in_workers_is_the_cli_scorecard() {
    let a = presets::config("backon-exponential").unwrap();
    let mut b = a.clone();
    b.name = "no-retries".into();
    b.policy.max_attempts = Some(1);
    let task = Task::Suite {
        policies: vec![document(&a), document(&b)],
        seeds: vec![1],
    };
    let plans = [Plan::new(&a, &[1]).unwrap(), Plan::new(&b, &[1]).unwrap()];
    let cli = batch::run_plans(&plans);
    assert_eq!(cli.len(), 2);
    assert_ne!(cli[0], cli[1]);
    assert_eq!(through_a_worker(&task), Finished::Suite(cli));
}

#[test]
fn k_seeds_in_workers_are_the_runs_of_those_seeds() {
    let mut base = presets::config("herd-full-jitter").unwrap();
    base.clients.count = 200;
    base.seed = 11;
    let metrics = ["availability", "amplification", "time_to_recover_ms"];
    let task = Task::Seeds {
        base: document(&base),
        seeds: 4,
        metrics: metrics.iter().map(|m| m.to_string()).collect(),
    };
    let Finished::Seeds(got, bands) = through_a_worker(&task) else {
        panic!()
    };
    let sc = base.validate().unwrap();
    // each chart's lines over the seeds: per bucket, the median and p10–p90 of the runs'
    // own series (the very series a run on the page charts)
    let series: Vec<_> = (11..=14)
        .map(|seed| {
            let mut sim = Sim::new(&sc, seed);
            sim.run();
            sim.record().series
        })
        .collect();
    assert_eq!(bands, herdsim::sweep::bands::Bands::of(&series));
    assert_eq!(bands.seeds, 4);
    let first = &bands.lines[0];
    assert_eq!(first.name, "first attempts");
    // a herd: every client's first attempt at once, so its median has the whole herd
    let per_s = |s: &herdsim::sim::output::metrics::Series, i: usize| {
        s.buckets
            .get(i)
            .map_or(0.0, |b| b.first_attempts as f64 / s.width_s())
    };
    let w = series.iter().map(|s| s.width).max().unwrap();
    assert!(series.iter().all(|s| s.width == w), "one width here");
    for i in 0..first.median.len() {
        let mut v: Vec<f64> = series
            .iter()
            .filter(|s| s.buckets.len() > i)
            .map(|s| per_s(s, i))
            .collect();
        v.sort_by(f64::total_cmp);
        assert_eq!(first.runs[i], v.len());
        assert_eq!(
            first.median[i],
            herdsim::sweep::percentile(&v, 0.5).unwrap(),
            "bucket {i}"
        );
        assert!(first.p10[i] <= first.median[i] && first.median[i] <= first.p90[i]);
    }
    let sent: f64 = first.median.iter().map(|v| v * bands.width_s).sum();
    assert!(
        (sent - 200.0).abs() < 1e-6,
        "{sent}: every client's first attempt once"
    );
    let runs = batch::run_seeds(&sc, &[11, 12, 13, 14], Sim::run_to_summary);
    for (name, stats) in &got {
        let m = Metric::parse(name).unwrap();
        let xs: Vec<Option<f64>> = runs
            .iter()
            .map(|s| m.of(&serde_json::to_value(s).unwrap()))
            .collect();
        assert_eq!(*stats, Stats::of(&xs), "{name}");
    }
    assert_eq!(got.len(), 3);
    // the seeds differ, so the spread is real
    assert!(got[0].1.min < got[0].1.max, "{got:?}");
}

#[test]
fn a_search_in_workers_is_the_cli_search() {
    let spec = || Spec {
        policy: presets::config("aws-sdk-standard").unwrap(),
        unlock: vec![Vary::parse("policy.max_attempts=1..3:2").unwrap()],
        require: vec![Constraint::parse("amplification<=1.2").unwrap()],
        objective: Objective::parse("minimise", "failed_requests").unwrap(),
        pareto: Some([
            Over::parse_metric("failed_requests").unwrap(),
            Over::parse_metric("amplification").unwrap(),
        ]),
        seeds: vec![1],
        refine: false,
    };
    let mut tuner = Tuner::new(spec()).unwrap();
    while !tuner.finished() {
        let jobs = tuner.jobs();
        let task = Task::runs(jobs.iter().map(|j| (j.job.config, j.job.seed)));
        let Task::Runs { configs, runs } = &task else {
            panic!()
        };
        // each scenario once, with its seeds
        assert_eq!((configs.len(), runs.len()), (jobs.len(), jobs.len()));
        let Finished::Runs(figures) = through_a_worker(&task) else {
            panic!()
        };
        tuner.take(&figures).unwrap();
    }
    let report = tuner.report().unwrap();
    assert_eq!(report, Tuner::run(spec()).unwrap());
    // the page's chart of its front: every candidate a point, the front, the best ringed
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, (800, 400)).into_drawing_area();
        pareto::draw(&area, &report, &Palette::LIGHT).unwrap();
    }
    assert!(svg.contains("Pareto front: failed_requests against amplification"));
    let front = report.pareto.as_ref().unwrap().front.len();
    assert!(front >= 1 && front <= report.candidates.len());
    // a disc per feasible candidate (the legend's are polygons)
    let feasible = report.candidates.iter().filter(|c| c.feasible).count();
    assert_eq!(svg.matches("<circle").count(), feasible, "{svg}");
}

#[test]
fn bad_tasks_and_messages_are_answered_in_words() {
    let base = presets::config("retry-storm").unwrap();
    let bad = |vary: &str, metric: &str| {
        Task::Sweep {
            base: document(&base),
            vary: vec![vary.into()],
            seeds: 2,
            metrics: vec![metric.into()],
        }
        .prepare()
        .unwrap_err()
    };
    assert!(bad("policy.nope=1..2:2", "amplification").contains("policy.nope"));
    assert!(bad("policy.max_attempts=0..2:2", "amplification").contains("policy.max_attempts"));
    assert!(bad("policy.max_attempts=1..2:2", "speed").contains("unknown metric"));
    let none = Task::Suite {
        policies: vec![],
        seeds: vec![1],
    };
    assert_eq!(none.prepare().unwrap_err(), "no policy to score");

    let mut prepared = None;
    let Reply::Fatal(why) = serve("{not json", &mut prepared) else {
        panic!()
    };
    assert!(why.contains("does not read"), "{why}");
    // a job of a task this worker was never sent, and a job past the end
    let ask = |task: u64, setup: Option<Task>, job: usize, prepared: &mut _| {
        let text = serde_json::to_string(&Request::Job { task, setup, job }).unwrap();
        match serve(&text, prepared) {
            Reply::Done { output, .. } => output,
            other => panic!("{other:?}"),
        }
    };
    assert!(ask(3, None, 0, &mut prepared)
        .unwrap_err()
        .contains("not sent"));
    let task = Task::Sweep {
        base: document(&base),
        vary: vec!["policy.max_attempts=1..2:2".into()],
        seeds: 1,
        metrics: vec!["amplification".into()],
    };
    let past = ask(4, Some(task), 2, &mut prepared).unwrap_err();
    assert_eq!(past, "job 3 of 2: no such job");
}

#[test]
fn a_run_in_a_worker_gives_the_pages_own_record() {
    // a run sent as the page sends it: progress on the way, then the record's bytes,
    // read back (with the page's own copy of the scenario) into the very record a run on
    // the page makes: every series, histogram and dot to the last bit
    for (name, clients) in [
        ("retry-storm", 300),
        ("breaker-per-service-vs-global", 200),
        ("budget-vs-storm", 200),
    ] {
        let mut cfg = presets::config(name).unwrap();
        cfg.clients.count = clients;
        let scenario = cfg.validate().unwrap();
        let mut sim = Sim::new(&scenario, cfg.seed);
        sim.run();
        let on_page = sim.record();

        let text = serde_json::to_string(&Request::Run(document(&cfg))).unwrap();
        let mut seen = Vec::new();
        let answer = work::serve(&text, &mut None, &mut |f| seen.push(f));
        let Answer::Record(bytes) = answer else {
            panic!("{name}: {answer:?}")
        };
        let back = work::read_record(scenario, &bytes).unwrap();
        assert_eq!(back, on_page, "{name}");
        assert!(
            !back.raster.dots.is_empty() && back.summary.events > work::STEP,
            "{name}"
        );
        assert!(!seen.is_empty(), "{name}: no progress");
        assert!(
            seen.windows(2).all(|w| w[0] <= w[1]) && seen.iter().all(|f| (0.0..=1.0).contains(f)),
            "{name}: {seen:?}"
        );
    }
    // a scenario that does not check, and bytes that do not read, are named
    let mut bad = presets::config("retry-storm").unwrap();
    bad.clients.count = 0;
    let text = serde_json::to_string(&Request::Run(document(&bad))).unwrap();
    let Answer::Reply(Reply::Fatal(why)) = work::serve(&text, &mut None, &mut |_| {}) else {
        panic!()
    };
    assert!(why.contains("clients.count"), "{why}");
    let sc = presets::config("retry-storm").unwrap().validate().unwrap();
    let why = work::read_record(sc, &[1, 2, 3]).unwrap_err();
    assert!(why.contains("does not read"), "{why}");
}
