//! The per-client view: the sampled clients' states add up and follow the run, and the
//! herd shows as people. Without jitter, most of the sample sends within 50 ms of each
//! other after the outage (and the whole grid lights up at once); with full jitter only a
//! few ever do.

use herdsim::playback::clients::{tally, ClientIndex, ClientState, FLASH, SYNC_WINDOW};
use herdsim::sim::scenario::presets;
use herdsim::sim::{Micros, Outcome, RunRecord, Sim};

fn record(preset: &str, seed: u64) -> RunRecord {
    let c = presets::config(preset).unwrap();
    let mut sim = Sim::new(&c.validate().unwrap(), seed);
    sim.run();
    sim.record()
}

/// When the last fault ends (µs).
fn fault_end(rec: &RunRecord) -> Micros {
    rec.scenario.faults().map(|f| f.end).max().unwrap()
}

fn end(rec: &RunRecord) -> Micros {
    (rec.summary.end_ms * 1_000.0).round() as Micros
}

/// Times of the frames a 60 frames per second playback at 4× draws from `from` to the end.
fn frames(rec: &RunRecord, from: Micros) -> impl Iterator<Item = Micros> {
    (from..=end(rec)).step_by(66_667)
}

#[test]
fn an_unjittered_herd_sends_as_one_after_the_outage_and_a_jittered_one_never_does() {
    // measured, seeds 0..5: 54–60 of 100 within 50 ms (the 100 ms start spread splits
    // the rest), at 11.38–11.42 s, the wave after the outage; with full jitter 5–8
    for seed in 0..5 {
        let rec = record("herd-no-jitter", seed);
        let s = ClientIndex::of(&rec).peak_sync(fault_end(&rec), SYNC_WINDOW);
        assert!(s.share >= 0.45, "seed {seed}: {s:?}");
        assert!(
            (11_000_000..12_000_000).contains(&s.at),
            "seed {seed}: {s:?}"
        );
        let rec = record("herd-full-jitter", seed);
        let s = ClientIndex::of(&rec).peak_sync(fault_end(&rec), SYNC_WINDOW);
        assert!(s.share <= 0.15, "seed {seed}: {s:?}");
    }
}

#[test]
fn the_grid_lights_up_at_once_without_jitter_and_a_few_at_a_time_with_it() {
    // what a viewer sees: cells lit (sent within the 250 ms flash) in the frames of a 4×
    // playback after the outage. Measured, seeds 0..5: all 100 at once without jitter; at
    // most 13–16 with full jitter
    for seed in 0..5 {
        let most = |preset| {
            let rec = record(preset, seed);
            let ix = ClientIndex::of(&rec);
            frames(&rec, fault_end(&rec))
                .map(|t| tally(&ix.cells_at(t, FLASH)).1)
                .max()
                .unwrap()
        };
        let (none, full) = (most("herd-no-jitter"), most("herd-full-jitter"));
        assert!(none >= 90, "seed {seed}: {none}");
        assert!(full <= 25, "seed {seed}: {full}");
    }
}

#[test]
fn each_client_has_one_state_and_the_herd_is_done_at_the_end() {
    for preset in ["herd-no-jitter", "herd-full-jitter"] {
        let rec = record(preset, 1);
        let ix = ClientIndex::of(&rec);
        let rows = rec.raster.rows as usize;
        assert_eq!(rows, 100);
        let mut done = 0;
        for t in frames(&rec, 0) {
            let states = ix.states_at(t);
            let (n, lit) = tally(&ix.cells_at(t, FLASH));
            assert_eq!(states.len(), rows);
            assert_eq!(n.iter().sum::<usize>(), rows, "{preset} at {t}: {n:?}");
            assert!(lit <= rows);
            // one request per client (a burst): once it ended, the client is done for good
            let now = n[3] + n[4];
            assert!(now >= done, "{preset} at {t}: {n:?}");
            done = now;
            if t < fault_end(&rec) {
                assert!(!states.contains(&ClientState::Succeeded), "{preset} at {t}");
            }
        }
        let last = ix.states_at(end(&rec));
        let ok = (0..rec.raster.rows)
            .filter(|&c| {
                let mine = rec.raster.dots.iter().rfind(|d| d.client == c);
                mine.is_some_and(|d| d.outcome == Outcome::Success)
            })
            .count();
        let count = |s| last.iter().filter(|&&x| x == s).count();
        assert_eq!(count(ClientState::Succeeded), ok, "{preset}");
        assert_eq!(count(ClientState::GaveUp), rows - ok, "{preset}");
    }
}

#[test]
fn hung_clients_are_in_flight_to_the_end_not_waiting() {
    use herdsim::playback::clients::{ClientIndex, ClientState};
    use herdsim::sim::{scenario::presets, Sim};
    // no timeout and a black hole: every request sent into it waits for ever
    let cfg = presets::config("no-timeout-hang").unwrap();
    let mut sim = Sim::new(&cfg.validate().unwrap(), cfg.seed);
    sim.run();
    let rec = sim.record();
    let end = (rec.summary.end_ms * 1_000.0) as u64;
    let ix = ClientIndex::of(&rec);
    let at_end = ix.states_at(end);
    let hung = at_end
        .iter()
        .filter(|s| **s == ClientState::InFlight)
        .count();
    assert_eq!(
        hung,
        rec.raster.open.len(),
        "one open attempt per hung client"
    );
    assert!(
        hung as u32 == rec.raster.rows.min(rec.summary.in_flight_at_end as u32),
        "every sampled client hangs: {hung} of {} ({} requests in flight at the end)",
        rec.raster.rows,
        rec.summary.in_flight_at_end
    );
    // and each has hung since it sent into the black hole, after it began
    for &(c, sent) in &rec.raster.open {
        assert!(
            (19_000_000..25_000_000).contains(&sent),
            "client {c} sent at {sent}"
        );
        let mid = (sent + end) / 2;
        assert_eq!(ix.states_at(mid)[c as usize], ClientState::InFlight);
    }
}
