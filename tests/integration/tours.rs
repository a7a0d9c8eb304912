//! Tour files: every shipped tour reads, each step's scenarios run and say what the
//! narration says they do at the shipped seed; a bad tour gets a message naming the step
//! and the field; a step's link reads back and garbage is refused.

use herdsim::charts::Kind;
use herdsim::sim::{Scenario, Sim, Summary};
use herdsim::tour::{self, EventName, Source, Tour, TourLink, Until};
use proptest::prelude::*;
use serde_json::{json, Value};

fn shipped() -> Tour {
    Tour::from_json(tour::json("handling-failures").expect("shipped")).expect("valid")
}

/// A small valid tour: step 1 a preset alone, step 2 an A/B pair with an override.
fn good() -> Value {
    json!({
        "name": "t",
        "title": "A tour",
        "steps": [
            {
                "title": "One",
                "narration": "It goes down and comes back.",
                "scenario": {"preset": "herd-no-jitter"},
                "charts": ["arrivals", "outcomes"]
            },
            {
                "title": "Two",
                "narration": "With a timeout.",
                "scenario": {"preset": "no-timeout-hang"},
                "b": {"preset": "no-timeout-hang", "set": {"policy.timeout_ms": 5000}},
                "charts": ["outcomes", "overlay"],
                "speed": 2,
                "question": "What changes?",
                "until": {"event": "recovered", "service": "service"}
            }
        ]
    })
}

/// The message for a tour that must be refused.
fn refused(doc: &Value) -> herdsim::tour::TourError {
    match Tour::from_json(&doc.to_string()) {
        Err(e) => e,
        Ok(_) => panic!("should be refused: {doc}"),
    }
}

/// `good()` with `f` applied, which must be refused naming step `step` and `field`.
fn refused_at(f: impl FnOnce(&mut Value), step: usize, field: &str) -> String {
    let mut doc = good();
    f(&mut doc);
    let e = refused(&doc);
    let m = e.to_string();
    assert_eq!(e.step(), Some(step), "{m}");
    assert!(m.starts_with(&format!("step {step}: ")), "{m}");
    assert!(m.contains(field), "{m} should name {field}");
    m
}

#[test]
fn the_small_tour_reads_with_defaults_filled_in() {
    let t = Tour::from_json(&good().to_string()).unwrap();
    assert_eq!((t.name(), t.title(), t.steps().len()), ("t", "A tour", 2));
    let one = t.step(1).unwrap();
    assert_eq!(one.charts(), &[Kind::Arrivals, Kind::Outcomes]);
    // a 60 s run plays in 15 s by default
    assert_eq!(one.speed(), 4.0);
    assert!(one.b().is_none() && one.until().is_none() && one.question().is_none());
    let two = t.step(2).unwrap();
    assert_eq!(two.speed(), 2.0);
    assert_eq!(two.question(), Some("What changes?"));
    let b = two.b().unwrap();
    assert_eq!(
        b.source(),
        &Source::Preset {
            name: "no-timeout-hang".into(),
            set: vec![("policy.timeout_ms".into(), "5000".into())]
        }
    );
    // the override reached the validated scenario; A kept the preset's (none)
    assert_eq!(b.scenario().policy().timeout, Some(5_000_000));
    assert_eq!(two.scenario().scenario().policy().timeout, None);
    assert_eq!(
        two.until(),
        Some(&Until::Event {
            event: EventName::Recovered,
            service: "service".into()
        })
    );
    assert!(t.step(0).is_none() && t.step(3).is_none());
}

#[test]
fn a_whole_scenario_may_stand_in_for_a_preset() {
    let mut doc = good();
    let whole: Value =
        serde_json::from_str(herdsim::sim::scenario::presets::json("gobreaker").unwrap()).unwrap();
    doc["steps"][0]["scenario"] = whole;
    doc["steps"][0]["charts"] = json!(["breakers", "outcomes", "arrivals"]);
    doc["steps"][0]["until"] = json!({"event": "breaker_opened", "service": "service"});
    let t = Tour::from_json(&doc.to_string()).unwrap();
    let s = t.step(1).unwrap().scenario();
    assert_eq!(s.source(), &Source::Inline);
    assert_eq!(s.scenario().name(), "gobreaker");
    assert!(s.scenario().breaker().is_some());
}

#[test]
fn every_file_in_static_tours_validates_and_is_shipped() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/static/tours");
    let mut files = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let t = Tour::from_json(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let stem = path.file_stem().unwrap().to_str().unwrap();
        assert_eq!(path.extension().and_then(|e| e.to_str()), Some("json"));
        assert_eq!(t.name(), stem, "a tour is named after its file");
        assert_eq!(
            tour::json(stem),
            Some(text.as_str()),
            "{stem} is compiled in"
        );
        files += 1;
    }
    assert_eq!(files, tour::TOURS.len());
}

/// The summaries of each step's A and B, every distinct scenario run once.
fn run_steps(t: &Tour) -> Vec<(Summary, Option<Summary>)> {
    let mut done: Vec<(Scenario, u64, Summary)> = Vec::new();
    let mut run = |s: &tour::StepScenario| {
        if let Some((_, _, sum)) = done
            .iter()
            .find(|(sc, seed, _)| sc == s.scenario() && *seed == s.seed())
        {
            return sum.clone();
        }
        let sum = Sim::new(s.scenario(), s.seed()).run_to_summary();
        done.push((s.scenario().clone(), s.seed(), sum.clone()));
        sum
    };
    t.steps()
        .iter()
        .map(|st| (run(st.scenario()), st.b().map(&mut run)))
        .collect()
}

fn pct(x: Option<f64>) -> f64 {
    (x.unwrap() * 1000.0).round() / 10.0
}

fn secs(ms: f64) -> f64 {
    (ms / 100.0).round() / 10.0
}

/// Every figure the shipped narration quotes, from the runs at the shipped seeds: if the
/// engine or a preset changes what a run does, this fails and the narration is rewritten.
#[test]
fn the_shipped_tour_follows_the_lecture_and_its_narration_is_true() {
    let t = shipped();
    assert_eq!(t.steps().len(), 14);
    let runs = run_steps(&t);
    for (i, (step, (a, b))) in t.steps().iter().zip(&runs).enumerate() {
        let n = i + 1;
        assert!(a.requests > 0, "step {n} runs");
        assert!(b.is_some() == step.b().is_some());
        // the preset named in the narration's step is the one the step runs
        let name = step.scenario().scenario().name().to_string();
        let want = [
            "no-timeout-hang",
            "no-timeout-hang",
            "retry-storm",
            "herd-no-jitter",
            "herd-no-jitter",
            "gobreaker",
            "breaker-per-service-vs-global",
            "swamped-cant-recover",
            "budget-vs-storm",
            "herd-no-jitter",
            "failover-async-replica",
            "failover-herd",
            "failover-manual-runbook",
            "restore-from-backup",
        ][i];
        assert_eq!(name, want, "step {n}");
        assert!(step.narration().chars().count() <= tour::MAX_NARRATION);
    }
    let nar = |n: usize| t.step(n).unwrap().narration().to_string();
    let has =
        |n: usize, s: &str| assert!(nar(n).contains(s), "step {n} should say {s:?}: {}", nar(n));
    let ab = |n: usize| {
        let (a, b) = &runs[n - 1];
        (a.clone(), b.clone().unwrap_or_else(|| a.clone()))
    };

    // 1. no timeout: every client hangs, never recovers
    let (a, _) = ab(1);
    assert_eq!(
        t.step(1).unwrap().scenario().scenario().policy().timeout,
        None
    );
    assert_eq!(a.in_flight_at_end, 200);
    assert_eq!(a.time_to_recover_ms, None);
    assert_eq!(secs(a.downtime_ms), 39.4);
    has(1, "all 200 clients wait forever");
    has(1, "39.4 s of downtime");
    // 2. a 5 s timeout (B)
    let (a, b) = ab(2);
    assert_eq!(
        t.step(2).unwrap().b().unwrap().scenario().policy().timeout,
        Some(5_000_000)
    );
    assert_eq!(b.time_to_recover_ms, Some(5000.0));
    assert_eq!((secs(b.downtime_ms), secs(a.downtime_ms)), (4.4, 39.4));
    assert_eq!((b.succeeded, a.succeeded), (43_719, 15_872));
    has(2, "Downtime 4.4 s instead of 39.4 s");
    has(2, "43,719 requests succeed instead of 15,872");
    // 3. the retry storm, against no retries (B)
    let (a, b) = ab(3);
    assert_eq!((a.amplification * 100.0).round(), 365.0);
    let ratio = a.peak_after_fault_per_s.unwrap() / a.capacity_per_s.unwrap();
    assert_eq!((ratio * 10.0).round(), 63.0);
    assert_eq!(a.time_to_recover_ms, None);
    assert_eq!((pct(a.availability), pct(b.availability)), (33.5, 68.6));
    assert_eq!(secs(b.time_to_recover_ms.unwrap()), 14.2);
    has(3, "3.65 attempts a request");
    has(3, "6.3× capacity");
    has(3, "14.2 s after (68.6%)");
    // 4. backoff without jitter: waves at 20.6× capacity
    let (a, _) = ab(4);
    let ratio = a.peak_after_fault_per_s.unwrap() / a.capacity_per_s.unwrap();
    assert_eq!((ratio * 10.0).round(), 206.0);
    assert_eq!(secs(a.time_to_recover_ms.unwrap()), 21.6);
    assert_eq!(pct(a.availability), 44.7);
    has(4, "20.6× its capacity");
    has(4, "recovers 21.6 s after the outage and 44.7%");
    // 5. full jitter (B)
    let (a, b) = ab(5);
    let ratio = b.peak_after_fault_per_s.unwrap() / b.capacity_per_s.unwrap();
    assert_eq!((ratio * 100.0).round(), 123.0);
    assert_eq!(b.time_to_recover_ms, Some(0.0));
    assert_eq!((pct(b.availability), pct(a.availability)), (95.2, 44.7));
    has(5, "1.23× capacity instead of 20.6×");
    has(5, "95.2% of requests succeed (44.7% without)");
    // 6. one breaker: closed → open → half-open → closed, once each
    let (a, _) = ab(6);
    let tr = a.breaker_transitions;
    assert_eq!((tr.opened, tr.half_opened, tr.closed), (1, 1, 1));
    assert_eq!(a.time_to_recover_ms, Some(45_000.0));
    assert_eq!(a.collateral_rejections, 44_756);
    has(6, "45 s after the service came back");
    has(6, "44,756 calls");
    // 7. a global breaker per client against one per service (B)
    let (a, b) = ab(7);
    let collateral = |s: &Summary, svc: &str| {
        s.services
            .iter()
            .find(|x| x.name == svc)
            .unwrap()
            .collateral_rejections
    };
    assert_eq!(
        collateral(&a, "users") + collateral(&a, "search"),
        13_977,
        "collateral rejections of the healthy services"
    );
    // (the run's total, 14,648, also counts payments calls rejected after payments is back)
    assert_eq!(a.collateral_rejections, 14_648);
    for svc in ["users", "search"] {
        assert_eq!(collateral(&b, svc), 0);
        let avail = b.services.iter().find(|x| x.name == svc).unwrap();
        assert_eq!(
            (avail.request_availability.unwrap() * 10_000.0).round(),
            9999.0
        );
    }
    assert_eq!((pct(a.availability), pct(b.availability)), (72.7, 88.4));
    has(7, "13,977 calls to the healthy users and search");
    has(7, "99.99%");
    has(7, "from 72.7% to 88.4%");
    // 8. swamped: the breaker keeps reopening; not retrying it (B) recovers
    let (a, b) = ab(8);
    assert_eq!(a.breaker_transitions.opened, 38);
    assert_eq!(a.time_to_recover_ms, None);
    let ratio = a.peak_after_fault_per_s.unwrap() / a.capacity_per_s.unwrap();
    assert_eq!((ratio * 100.0).round(), 276.0);
    assert_eq!(b.time_to_recover_ms, Some(2000.0));
    has(8, "38 openings, never recovered");
    has(8, "2.76× capacity");
    has(8, "recovers 2 s after");
    // 9. the budget against none (B)
    let (a, b) = ab(9);
    assert_eq!(a.budget_denied_retries, 18_862);
    assert_eq!((a.amplification * 100.0).round(), 100.0);
    assert_eq!(secs(a.time_to_recover_ms.unwrap()), 14.2);
    assert_eq!(b.time_to_recover_ms, None);
    assert_eq!((pct(a.availability), pct(b.availability)), (68.6, 33.5));
    has(9, "denies 18,862 retries");
    has(9, "never does (33.5%)");
    // 10. the month's allowance at 99.9%: the lecture's month of 4.3125 weeks
    let (a, b) = ab(10);
    let allowance_s = herdsim::uptime::allowed_s(99.9, herdsim::uptime::Period::Month);
    assert_eq!(herdsim::uptime::duration(allowance_s), "43 min 28.2 s");
    has(10, "43 min 28 s");
    assert_eq!((a.downtime_ms, b.downtime_ms), (30_000.0, 10_000.0));
    let fits = |ms: f64| {
        herdsim::uptime::incidents_allowed(ms / 1000.0, 99.9, herdsim::uptime::Period::Month)
    };
    assert_eq!(
        (fits(a.downtime_ms), fits(b.downtime_ms)),
        (Some(86), Some(260))
    );
    has(10, "30 s of downtime without jitter and 10 s with it");
    has(10, "covers 86 such outages, or 260");
    // 11. failover: async (A) loses the writes within the lag, sync (B) none; RTO 8.01 s
    let (a, b) = ab(11);
    assert_eq!(
        (secs(a.rto_ms.unwrap()), secs(b.rto_ms.unwrap())),
        (8.0, 8.0)
    );
    assert_eq!((a.rto_ms.unwrap() / 10.0).round(), 801.0);
    has(11, "8.01 s after the crash");
    assert_eq!((a.lost_writes, b.lost_writes), (100, 0));
    assert_eq!(secs(a.rpo_ms.unwrap()), 0.9);
    has(11, "the last 0.9 s of writes, 100 of them");
    let ms3 = |v: Option<f64>| herdsim::units::duration_ms(v.unwrap());
    assert_eq!(
        (ms3(b.success_latency_ms.p50), ms3(a.success_latency_ms.p50)),
        ("11.3 ms".into(), "7.39 ms".into())
    );
    has(11, "(11.3 ms, not 7.39 ms)");
    // 12. the herd at the new primary, without and with jitter
    let (a, b) = ab(12);
    let cap = a.capacity_per_s.unwrap();
    let x = |p: Option<f64>| herdsim::units::sig3(p.unwrap() / cap);
    assert_eq!(
        (x(a.peak_after_fault_per_s), x(b.peak_after_fault_per_s)),
        ("7.03".into(), "0.881".into())
    );
    assert_eq!(
        (a.time_to_recover_ms, b.time_to_recover_ms),
        (Some(4400.0), Some(0.0))
    );
    has(12, "at 7.03× its capacity: it recovers 4.4 s after");
    has(12, "the peak is 0.88× capacity and it recovers at once");
    // 13. a manual runbook: minutes of downtime, a fifth of the month's budget
    let (a, _) = ab(13);
    let down_s = a.downtime_ms / 1000.0;
    assert_eq!(herdsim::uptime::duration(down_s), "8 min 15 s");
    let share = herdsim::uptime::budget_share(down_s, 99.9, herdsim::uptime::Period::Month);
    assert_eq!((share * 100.0).round(), 19.0);
    assert_eq!(fits(a.downtime_ms), Some(5));
    has(13, "8 min 15 s of downtime, 19% of a month's budget");
    has(13, "Five such incidents");
    // 14. a restore: hours of RPO
    let (a, _) = ab(14);
    assert_eq!(a.lost_writes, 26_683);
    assert_eq!(herdsim::units::duration_ms(a.rpo_ms.unwrap()), "3 h");
    assert_eq!(herdsim::units::duration_ms(a.rto_ms.unwrap()), "1 h 5 min");
    has(14, "26,683 writes, an RPO of 3 h; the RTO is 1 h 5 min");
}

#[test]
fn every_until_of_the_shipped_tour_can_happen_in_its_run() {
    let t = shipped();
    let mut events = 0;
    for (i, step) in t.steps().iter().enumerate() {
        let sides: Vec<&Scenario> = std::iter::once(step.scenario().scenario())
            .chain(step.b().map(|b| b.scenario()))
            .collect();
        match step.until() {
            Some(Until::Event { event, service }) => {
                events += 1;
                for s in &sides {
                    assert!(
                        s.services().iter().any(|x| &x.name == service),
                        "step {}: {service} is a service of {}",
                        i + 1,
                        s.name()
                    );
                }
                if matches!(event, EventName::BreakerClosed | EventName::BreakerOpened) {
                    let sum = Sim::new(sides[0], step.scenario().seed()).run_to_summary();
                    let svc = sum.services.iter().find(|x| &x.name == service).unwrap();
                    assert!(svc.breaker_transitions.closed >= 1, "step {}", i + 1);
                }
            }
            Some(Until::Time(t)) => {
                assert!(sides.iter().all(|s| *t <= s.duration()), "step {}", i + 1)
            }
            None => {}
        }
    }
    assert!(events >= 1, "the tour ends a step on an event");
}

#[test]
fn every_step_of_the_shipped_tour_has_a_link_that_opens_it() {
    let t = shipped();
    for n in 1..=t.steps().len() {
        let link = t.link(n).unwrap();
        assert_eq!(link.fragment(), format!("tour=handling-failures&step={n}"));
        let back = TourLink::parse(&format!("#{}", link.fragment())).unwrap();
        assert_eq!(back, link);
        assert!(std::ptr::eq(t.open(&back).unwrap(), t.step(n).unwrap()));
    }
    assert!(t.link(0).is_none() && t.link(15).is_none());
    let past = TourLink::parse("tour=handling-failures&step=15").unwrap();
    assert!(t.open(&past).unwrap_err().contains("has 14 steps"));
    let other = TourLink::parse("tour=other&step=1").unwrap();
    assert!(t.open(&other).unwrap_err().contains("`other`"));
    for garbage in [
        "tour=handling-failures",
        "tour=handling-failures&step=four",
        "tour=handling-failures&step=4&x=1",
        "tour=handling failures&step=4",
        "v2.abcdef",
        "&&&",
        "tour=handling-failures&step=4&step=4",
    ] {
        assert!(TourLink::parse(garbage).is_err(), "{garbage}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Any text: an error or a link that writes back to the same text (less the `#`).
    #[test]
    fn a_fragment_reads_back_or_is_refused_never_a_panic(text in ".{0,80}") {
        if let Ok(link) = TourLink::parse(&text) {
            let back = TourLink::parse(&link.fragment()).unwrap();
            prop_assert_eq!(back, link);
        }
    }

    /// Bytes cut off anywhere in the shipped tour: refused with a message, never a panic.
    #[test]
    fn a_cut_off_tour_is_refused(cut in 0usize..1000) {
        let text = tour::json("handling-failures").unwrap();
        let end = (cut * text.len() / 1000).min(text.len() - 1);
        let end = (0..=end).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
        prop_assert!(Tour::from_json(&text[..end]).is_err());
    }
}

#[test]
fn an_unknown_field_names_the_step_and_the_field() {
    let m = refused_at(
        |d| d["steps"][1]["narrattion"] = json!("x"),
        2,
        "steps.1: unknown field `narrattion`",
    );
    assert!(m.contains("allowed: title, narration"), "{m}");
    let m = refused_at(
        |d| d["steps"][0]["until"] = json!({"time": 5}),
        1,
        "steps.0.until: unknown field `time`",
    );
    assert!(m.contains("time_ms"), "{m}");
    // inside the preset form too
    refused_at(
        |d| d["steps"][0]["scenario"]["sett"] = json!({}),
        1,
        "steps.0.scenario: unknown field `sett`; allowed: preset, set",
    );
    // and the tour's own fields, which belong to no step
    let mut doc = good();
    doc["titel"] = json!("x");
    let e = refused(&doc);
    assert_eq!(e.step(), None);
    assert!(e.to_string().contains("unknown field `titel`"), "{e}");
}

#[test]
fn an_unknown_preset_is_refused_with_the_presets_there_are() {
    let m = refused_at(
        |d| d["steps"][1]["b"]["preset"] = json!("no-timeout-hangs"),
        2,
        "steps.1.b.preset: unknown preset `no-timeout-hangs`",
    );
    assert!(
        m.contains("allowed: herd-no-jitter, herd-full-jitter"),
        "{m}"
    );
}

#[test]
fn a_bad_override_gets_the_scenarios_own_message_after_the_step_and_field() {
    let m = refused_at(
        |d| d["steps"][1]["b"]["set"]["policy.timeout_ms"] = json!(0),
        2,
        "steps.1.b.set: policy.timeout_ms = 0: allowed more than 0",
    );
    assert!(m.ends_with("or null for none"), "{m}");
    let mut doc = good();
    doc["steps"][1]["b"]["set"]["policy.timeout_ms"] = json!(0);
    assert_eq!(refused(&doc).path(), "steps.1.b.set.policy.timeout_ms");
    // a field the overrides did not touch is the preset's (here its retries of an open
    // breaker, refused once an override takes the backoff's wait away)
    doc["steps"][1]["b"] =
        json!({"preset": "swamped-cant-recover", "set": {"policy.backoff.base_ms": 0}});
    let e = refused(&doc);
    assert!(
        e.to_string().starts_with(
            "step 2: steps.1.b (preset swamped-cant-recover): policy.retry_on.breaker_open = true"
        ),
        "{e}"
    );
    assert_eq!(e.path(), "steps.1.b.policy.retry_on.breaker_open");
    // a wrong type, as the scenario reader words it
    refused_at(
        |d| d["steps"][1]["b"]["set"]["policy.timeout_ms"] = json!("soon"),
        2,
        "steps.1.b.set: policy.timeout_ms must be a number of milliseconds",
    );
    // a misspelt path
    refused_at(
        |d| d["steps"][0]["scenario"]["set"] = json!({"policy.timout_ms": 5}),
        1,
        "steps.0.scenario.set: policy: unknown field `timout_ms`",
    );
    // a path the document cannot have, refused by `--set`'s own rules
    refused_at(
        |d| d["steps"][0]["scenario"]["set"] = json!({"faults.7.end_ms": 5}),
        1,
        "steps.0.scenario.set: faults.7: index 7 out of range",
    );
    // a bad field of a whole scenario
    refused_at(
        |d| {
            let mut whole: Value = serde_json::from_str(
                herdsim::sim::scenario::presets::json("herd-no-jitter").unwrap(),
            )
            .unwrap();
            whole["clients"]["count"] = json!(0);
            d["steps"][0]["scenario"] = whole;
        },
        1,
        "steps.0.scenario: clients.count = 0: allowed",
    );
    // lists and objects are values `set` may give (the whole budget, a faults list)
    let mut doc = good();
    doc["steps"][0]["scenario"]["set"] = json!({
        "faults": [{"type": "down", "start_ms": 0, "end_ms": 5000}],
        "budget": {"type": "none"}
    });
    let t = Tour::from_json(&doc.to_string()).unwrap();
    let faults: Vec<_> = t.step(1).unwrap().scenario().scenario().faults().collect();
    assert_eq!(faults.len(), 1);
    assert_eq!(faults[0].end, 5_000_000);
}

#[test]
fn charts_are_two_or_three_known_ids_that_the_step_can_draw() {
    refused_at(
        |d| d["steps"][0]["charts"] = json!(["arrivals", "outcomes", "gauges", "latency"]),
        1,
        "steps.0.charts: 4 charts; allowed 2 or 3",
    );
    refused_at(
        |d| d["steps"][0]["charts"] = json!(["arrivals"]),
        1,
        "steps.0.charts: 1 charts; allowed 2 or 3",
    );
    let m = refused_at(
        |d| d["steps"][1]["charts"][1] = json!("arrival"),
        2,
        "steps.1.charts.1: unknown chart `arrival`",
    );
    let allowed: Vec<&str> = Kind::ALL.iter().map(|k| k.id()).collect();
    assert!(
        m.ends_with(&format!("allowed: {}", allowed.join(", "))),
        "{m}"
    );
    refused_at(
        |d| d["steps"][0]["charts"] = json!(["outcomes", "outcomes"]),
        1,
        "steps.0.charts.1: `outcomes` is given twice",
    );
    refused_at(
        |d| d["steps"][0]["charts"] = json!(["arrivals", "overlay"]),
        1,
        "steps.0.charts.1: `overlay` would be empty: it compares A and B",
    );
    refused_at(
        |d| d["steps"][0]["charts"] = json!(["arrivals", "breakers"]),
        1,
        "steps.0.charts.1: `breakers` would be empty: the step's scenario has no breaker",
    );
    refused_at(
        |d| d["steps"][0]["charts"] = json!(["budget", "arrivals"]),
        1,
        "steps.0.charts.0: `budget` would be empty",
    );
    refused_at(
        |d| d["steps"][0]["charts"] = json!(["services", "arrivals"]),
        1,
        "steps.0.charts.0: `services` would be empty",
    );
    refused_at(
        |d| d["steps"][0]["charts"] = json!("arrivals"),
        1,
        "steps.0.charts must be a list",
    );
}

#[test]
fn a_speed_out_of_range_is_refused_with_the_range() {
    for bad in [json!(5000), json!(0.1), json!(0), json!(-1)] {
        refused_at(
            |d| d["steps"][1]["speed"] = bad.clone(),
            2,
            "steps.1.speed = ",
        );
    }
    let m = refused_at(
        |d| d["steps"][1]["speed"] = json!(1200.5),
        2,
        "steps.1.speed = 1200.5",
    );
    assert!(m.contains("allowed 0.25..=1200"), "{m}");
    refused_at(
        |d| d["steps"][1]["speed"] = json!("fast"),
        2,
        "steps.1.speed must be a number, got the text \"fast\"",
    );
    // the ends are allowed; null is the default
    for ok in [json!(0.25), json!(20), json!(null)] {
        let mut doc = good();
        doc["steps"][1]["speed"] = ok.clone();
        Tour::from_json(&doc.to_string()).unwrap_or_else(|e| panic!("{ok}: {e}"));
    }
}

#[test]
fn an_until_must_name_a_service_and_a_moment_the_step_has() {
    let m = refused_at(
        |d| d["steps"][1]["until"]["service"] = json!("payments"),
        2,
        "steps.1.until.service = \"payments\": allowed a service of the step's scenario: service",
    );
    assert!(!m.contains("b scenario"), "{m}");
    // a service of A that B does not have
    let m = refused_at(
        |d| {
            d["steps"][1]["scenario"] = json!({"preset": "breaker-per-service-vs-global"});
            d["steps"][1]["until"] = json!({"event": "recovered", "service": "payments"});
        },
        2,
        "steps.1.until.service = \"payments\"",
    );
    assert!(m.contains("b scenario: service"), "{m}");
    let m = refused_at(
        |d| d["steps"][1]["until"]["event"] = json!("breaker_tripped"),
        2,
        "steps.1.until.event must be one of breaker_opened, breaker_closed, recovered, retry_wave, budget_empty, collapsed",
    );
    assert!(m.contains("breaker_tripped"), "{m}");
    refused_at(
        |d| d["steps"][1]["until"]["event"] = json!("breaker_opened"),
        2,
        "steps.1.until.event = \"breaker_opened\": it can never happen: the step's scenario has no breaker",
    );
    refused_at(
        |d| d["steps"][1]["until"]["event"] = json!("budget_empty"),
        2,
        "steps.1.until.event = \"budget_empty\"",
    );
    refused_at(
        |d| d["steps"][1]["until"] = json!({"time_ms": 60001}),
        2,
        "steps.1.until.time_ms = 60001: allowed more than 0 and at most 60000 ms",
    );
    refused_at(
        |d| d["steps"][1]["until"] = json!({"time_ms": 0}),
        2,
        "steps.1.until.time_ms = 0",
    );
    refused_at(
        |d| d["steps"][1]["until"] = json!({"time_ms": 5000, "event": "recovered"}),
        2,
        "steps.1.until: give either time_ms, or event and service, not both",
    );
    refused_at(
        |d| d["steps"][1]["until"] = json!({"event": "recovered"}),
        2,
        "steps.1.until: `event` needs the `service`",
    );
    refused_at(
        |d| d["steps"][1]["until"] = json!({}),
        2,
        "steps.1.until is empty",
    );
}

#[test]
fn a_key_given_twice_is_refused_where_it_is() {
    let text = good().to_string().replacen(
        "\"title\":\"Two\"",
        "\"title\":\"Two\",\"title\":\"Three\"",
        1,
    );
    assert_ne!(text, good().to_string());
    let e = Tour::from_json(&text).unwrap_err();
    assert_eq!(e.step(), Some(2));
    assert_eq!(e.path(), "steps.1.title");
    assert!(
        e.to_string()
            .starts_with("step 2: steps.1: the field `title` is given twice"),
        "{e}"
    );
    // inside an override's value as well
    let text = good()
        .to_string()
        .replacen("5000}", "5000, \"policy.timeout_ms\": 6000}", 1);
    let e = Tour::from_json(&text).unwrap_err();
    assert_eq!(e.step(), Some(2));
    assert!(
        e.to_string().contains("`policy.timeout_ms` is given twice"),
        "{e}"
    );
}

#[test]
fn oversized_or_non_json_input_is_refused_before_any_work() {
    let mut doc = good();
    doc["title"] = json!("x".repeat(tour::MAX_TOUR_BYTES));
    let e = refused(&doc);
    assert_eq!(e.step(), None);
    assert!(e.to_string().contains("at most 262,144 (256 KB)"), "{e}");
    for text in ["", "not json", "{\"name\": ", "[1, 2]", "null", "{} {}"] {
        let e = Tour::from_json(text).unwrap_err();
        assert_eq!(e.step(), None, "{text}");
        let m = e.to_string();
        assert!(
            m.contains("not JSON")
                || m.contains("ends too early")
                || m.contains("must be an object")
                || m.contains("text after the end"),
            "{text}: {m}"
        );
    }
    // too many steps: counted before any is read
    let mut doc = good();
    let one = doc["steps"][0].clone();
    doc["steps"] = Value::Array(vec![one; tour::MAX_STEPS + 1]);
    let e = refused(&doc);
    assert!(
        e.to_string().contains("steps: 41 steps; allowed 1 to 40"),
        "{e}"
    );
    doc["steps"] = json!([]);
    assert!(refused(&doc).to_string().contains("steps: 0 steps"));
    // a tour nested far deeper than any tour is refused by the reader, not the stack
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(Tour::from_json(&deep).is_err());
}

#[test]
fn texts_are_short_and_names_fit_a_link() {
    refused_at(
        |d| d["steps"][0]["narration"] = json!("A sentence. ".repeat(30)),
        1,
        "steps.0.narration: 360 characters; allowed 1 to 300",
    );
    refused_at(
        |d| d["steps"][0]["title"] = json!("  "),
        1,
        "steps.0.title is empty",
    );
    refused_at(
        |d| d["steps"][1]["question"] = json!("?".repeat(201)),
        2,
        "steps.1.question: 201 characters",
    );
    let mut doc = good();
    doc["name"] = json!("handling failures");
    let m = refused(&doc).to_string();
    assert!(
        m.starts_with("name = \"handling failures\": allowed 1 to 64 letters"),
        "{m}"
    );
}

#[test]
fn the_readme_example_is_a_valid_tour() {
    let readme = include_str!("../../README.md");
    let section = &readme[readme.find("## Tours").expect("a Tours section")..];
    let start = section.find("```json\n").expect("an example") + 8;
    let end = start + section[start..].find("```").unwrap();
    let t = Tour::from_json(&section[start..end]).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(t.steps().len(), 1);
    // and the message it quotes is the one a tour gets
    let mut doc: Value = serde_json::from_str(&section[start..end]).unwrap();
    let step = doc["steps"][0].clone();
    doc["steps"] = json!([step.clone(), step.clone(), step.clone(), step]);
    doc["steps"][3]["scenario"]["set"] = json!({"policy.timeout_ms": 0});
    let m = refused(&doc).to_string();
    let prose = section.replace("\n  ", " ");
    assert!(prose.contains(&format!("`{m}`")), "the README quotes {m}");
}

#[test]
fn a_scenario_is_a_preset_and_overrides_or_a_whole_scenario() {
    refused_at(
        |d| d["steps"][0]["scenario"] = json!("herd-no-jitter"),
        1,
        "steps.0.scenario must be an object: {\"preset\": NAME, \"set\": {PATH: VALUE, …}} or a whole scenario; got a text",
    );
    refused_at(
        |d| d["steps"][0]["scenario"]["set"] = json!(["clients.count", 5]),
        1,
        "steps.0.scenario: set must be an object, got a list",
    );
    refused_at(
        |d| d["steps"][0]["scenario"]["preset"] = json!(5),
        1,
        "steps.0.scenario: preset must be a text, got 5",
    );
    refused_at(
        |d| {
            let set: serde_json::Map<String, Value> = (0..=tour::MAX_SETS)
                .map(|i| (format!("services.{i}.name"), json!("x")))
                .collect();
            d["steps"][0]["scenario"]["set"] = Value::Object(set);
        },
        1,
        "steps.0.scenario.set: 33 overrides; allowed at most 32",
    );
    refused_at(
        |d| {
            d["steps"][0]
                .as_object_mut()
                .unwrap()
                .remove("scenario")
                .expect("the step has a scenario");
        },
        1,
        "steps.0: the field `scenario` is missing",
    );
}
