//! What each sampled client is doing at the cursor: the herd as people, not as a line.
//! Read from the run's raster (every attempt of the first clients, with when it was sent,
//! when it ended and whether it ended its request), indexed once per run so that the
//! states at a time cost one binary search per client — cheap enough for every frame.
//!
//! The states, for a client at time `t`:
//! - [`ClientState::InFlight`]: one of its attempts was sent at or before `t` and ends after.
//! - [`ClientState::BackingOff`]: its last attempt so far ended and did not end its request
//!   (the request will be retried, or was cut off by the end of the run).
//! - [`ClientState::Succeeded`] / [`ClientState::GaveUp`]: its last attempt so far ended its
//!   request, with success / without. Shown for the flash after the attempt ended, and for
//!   good when the client sends nothing more (its work is done: a herd's tally fills up).
//! - [`ClientState::Waiting`]: before its first attempt, and between requests once the
//!   flash after the last one is over (thinking, or waiting for its next arrival).
//!
//! A cell is also *lit* for the flash after each attempt is sent, so a client lights up
//! when it sends (an attempt to a down service is refused within milliseconds: in flight
//! alone would show for less than a frame). The flash is [`FLASH`] (250 ms of simulated
//! time, four frames at the default 4× speed), longer at faster speeds ([`flash_at`]) so
//! that it lasts at least a sixteenth of a real second.

use crate::sim::output::record::Raster;
use crate::sim::{Micros, Outcome, RunRecord};

/// How long a cell stays lit after its client sends, and shows a request's outcome after
/// it ended, at the default speed: 250 ms of simulated time.
pub const FLASH: Micros = 250_000;

/// The flash at `speed` × real time: [`FLASH`], or 62.5 ms of real time when that is longer
/// (from 4× up: 500 ms of simulated time at 8×, 1.25 s at 20×), so a flash spans about four
/// frames at 60 frames per second whatever the speed.
///
/// ```
/// use herdsim::playback::clients::{flash_at, FLASH};
/// assert_eq!(flash_at(1.0), FLASH);
/// assert_eq!(flash_at(4.0), FLASH);
/// assert_eq!(flash_at(20.0), 1_250_000);
/// ```
pub fn flash_at(speed: f64) -> Micros {
    let real = if speed.is_finite() {
        speed * 62_500.0
    } else {
        0.0
    };
    FLASH.max(real.round() as Micros)
}

/// The window of the synchrony measure ([`ClientIndex::peak_sync`]): 50 ms.
pub const SYNC_WINDOW: Micros = 50_000;

/// What a sampled client is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ClientState {
    /// Nothing to do yet, or between requests.
    Waiting,
    /// An attempt is on its way or being served.
    InFlight,
    /// Sleeping before its next attempt.
    BackingOff,
    /// Its request just succeeded (or its work is done, the last one having succeeded).
    Succeeded,
    /// Its request just gave up (or its work is done, the last one having failed).
    GaveUp,
}

impl ClientState {
    /// Every state, in the order the legend shows them.
    pub const ALL: [ClientState; 5] = [
        ClientState::InFlight,
        ClientState::BackingOff,
        ClientState::Waiting,
        ClientState::Succeeded,
        ClientState::GaveUp,
    ];

    /// Its name in the legend.
    pub fn name(self) -> &'static str {
        match self {
            ClientState::Waiting => "waiting",
            ClientState::InFlight => "in flight",
            ClientState::BackingOff => "backing off",
            ClientState::Succeeded => "succeeded",
            ClientState::GaveUp => "gave up",
        }
    }

    /// Its name in class names and data attributes (`in-flight`).
    pub fn key(self) -> &'static str {
        match self {
            ClientState::Waiting => "waiting",
            ClientState::InFlight => "in-flight",
            ClientState::BackingOff => "backing-off",
            ClientState::Succeeded => "succeeded",
            ClientState::GaveUp => "gave-up",
        }
    }
}

/// One client at one time: its state, and whether it sent an attempt within the flash.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cell {
    /// What it is doing.
    pub state: ClientState,
    /// It sent an attempt within the flash before the time.
    pub lit: bool,
}

/// One attempt, as the index keeps it.
#[derive(Clone, Copy, Debug)]
struct Attempt {
    sent: Micros,
    ended: Micros,
    /// The latest end of this attempt and the client's earlier-sent ones: a client with
    /// several requests at once (open loop) is in flight while any of them is.
    reach: Micros,
    outcome: Outcome,
    last: bool,
}

/// The sampled clients' attempts, by client and in the order they were sent.
#[derive(Clone, Debug, Default)]
pub struct ClientIndex {
    /// `attempts[starts[c]..starts[c + 1]]` are client `c`'s.
    starts: Vec<usize>,
    attempts: Vec<Attempt>,
    complete_until: Option<Micros>,
}

impl ClientIndex {
    /// The index of a run's raster.
    pub fn of(rec: &RunRecord) -> ClientIndex {
        ClientIndex::of_raster(&rec.raster)
    }

    /// The index of a raster.
    pub fn of_raster(raster: &Raster) -> ClientIndex {
        let rows = raster.rows as usize;
        let open = || raster.open.iter().filter(|o| (o.0 as usize) < rows);
        let mut starts = vec![0usize; rows + 1];
        for d in raster.dots.iter().filter(|d| (d.client as usize) < rows) {
            starts[d.client as usize + 1] += 1;
        }
        for o in open() {
            starts[o.0 as usize + 1] += 1;
        }
        for c in 0..rows {
            starts[c + 1] += starts[c];
        }
        let mut next = starts.clone();
        let blank = Attempt {
            sent: 0,
            ended: 0,
            reach: 0,
            outcome: Outcome::Success,
            last: false,
        };
        let mut attempts = vec![blank; starts[rows]];
        // still in flight when the run stopped: in flight from then on (a hang)
        for &(c, sent) in open() {
            let i = &mut next[c as usize];
            attempts[*i] = Attempt {
                sent,
                ended: Micros::MAX,
                reach: 0,
                outcome: Outcome::Timeout,
                last: false,
            };
            *i += 1;
        }
        for d in raster.dots.iter().filter(|d| (d.client as usize) < rows) {
            let i = &mut next[d.client as usize];
            attempts[*i] = Attempt {
                sent: d.sent,
                ended: d.ended.max(d.sent),
                reach: 0,
                outcome: d.outcome,
                last: d.last,
            };
            *i += 1;
        }
        for c in 0..rows {
            let mine = &mut attempts[starts[c]..starts[c + 1]];
            // in the order they ended already, so nearly sorted by sending time
            mine.sort_by_key(|a| (a.sent, a.ended));
            let mut reach = 0;
            for a in mine {
                reach = reach.max(a.ended);
                a.reach = reach;
            }
        }
        // the raster keeps attempts in the order they ended, up to its cap
        let complete_until =
            (raster.dropped > 0).then(|| raster.dots.last().map_or(0, |d| d.ended));
        ClientIndex {
            starts,
            attempts,
            complete_until,
        }
    }

    /// When the raster's cap cut the sample short: attempts that ended after this were not
    /// kept, so later states are incomplete. `None` when every attempt was kept.
    pub fn complete_until(&self) -> Option<Micros> {
        self.complete_until
    }

    /// Clients sampled (0 without a raster).
    pub fn rows(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    fn of_client(&self, c: usize) -> &[Attempt] {
        &self.attempts[self.starts[c]..self.starts[c + 1]]
    }

    /// Client `c` at `t` with a flash of `flash` µs.
    fn cell(&self, c: usize, t: Micros, flash: Micros) -> Cell {
        let mine = self.of_client(c);
        let k = mine.partition_point(|a| a.sent <= t);
        let Some(p) = k.checked_sub(1).map(|i| mine[i]) else {
            return Cell {
                state: ClientState::Waiting,
                lit: false,
            };
        };
        let lit = t - p.sent < flash;
        let state = if p.reach > t {
            ClientState::InFlight
        } else if !p.last {
            ClientState::BackingOff
        } else if t - p.ended < flash || k == mine.len() {
            if p.outcome == Outcome::Success {
                ClientState::Succeeded
            } else {
                ClientState::GaveUp
            }
        } else {
            ClientState::Waiting
        };
        Cell { state, lit }
    }

    /// Every sampled client at `t` with a flash of `flash` µs, into `out` (cleared first):
    /// no allocation once `out` has grown to the sample.
    ///
    /// ```
    /// use herdsim::playback::clients::{ClientIndex, ClientState::*, FLASH};
    /// use herdsim::sim::output::record::Raster;
    /// use herdsim::sim::Outcome;
    /// let mut r = Raster::new(2);
    /// // client 0: refused at 0–10 ms, retried at 1 s, succeeds at 1.02 s
    /// r.record(0, 0, 10_000, Outcome::Refused);
    /// r.record(0, 1_000_000, 1_020_000, Outcome::Success);
    /// r.request_ended(0);
    /// let ix = ClientIndex::of_raster(&r);
    /// let at = |t| ix.states_at(t);
    /// assert_eq!(at(5_000), [InFlight, Waiting]);
    /// assert_eq!(at(500_000), [BackingOff, Waiting]);
    /// assert_eq!(at(1_010_000), [InFlight, Waiting]);
    /// assert_eq!(at(1_100_000), [Succeeded, Waiting]);
    /// assert_eq!(at(60_000_000), [Succeeded, Waiting], "done for good");
    /// let mut cells = Vec::new();
    /// ix.cells_into(100_000, FLASH, &mut cells);
    /// assert!(cells[0].lit && !cells[1].lit, "sent within the last 250 ms");
    /// ```
    pub fn cells_into(&self, t: Micros, flash: Micros, out: &mut Vec<Cell>) {
        out.clear();
        out.extend((0..self.rows()).map(|c| self.cell(c, t, flash)));
    }

    /// Every sampled client at `t` with a flash of `flash` µs.
    pub fn cells_at(&self, t: Micros, flash: Micros) -> Vec<Cell> {
        let mut out = Vec::with_capacity(self.rows());
        self.cells_into(t, flash, &mut out);
        out
    }

    /// Every sampled client's state at `t` (with the default [`FLASH`]).
    pub fn states_at(&self, t: Micros) -> Vec<ClientState> {
        (0..self.rows())
            .map(|c| self.cell(c, t, FLASH).state)
            .collect()
    }

    /// Synchrony: the most sampled clients that send an attempt within one window of
    /// `window` µs starting at or after `from` (say, when a fault ends), and when that
    /// window starts. A herd without jitter comes back as one; jitter spreads it out.
    pub fn peak_sync(&self, from: Micros, window: Micros) -> Synchrony {
        let mut sends: Vec<(Micros, u32)> = (0..self.rows())
            .flat_map(|c| {
                let mine = self.of_client(c);
                let k = mine.partition_point(|a| a.sent < from);
                mine[k..].iter().map(move |a| (a.sent, c as u32))
            })
            .collect();
        sends.sort_unstable();
        // a sliding window over the sends, counting each client once
        let mut inside = vec![0u32; self.rows()];
        let (mut distinct, mut best) = (0u32, Synchrony::default());
        let mut first = 0;
        for &(t, c) in &sends {
            while sends[first].0 + window <= t {
                let i = &mut inside[sends[first].1 as usize];
                *i -= 1;
                distinct -= u32::from(*i == 0);
                first += 1;
            }
            let i = &mut inside[c as usize];
            distinct += u32::from(*i == 0);
            *i += 1;
            if distinct > best.clients {
                best = Synchrony {
                    clients: distinct,
                    share: f64::from(distinct) / self.rows().max(1) as f64,
                    at: sends[first].0,
                };
            }
        }
        best
    }
}

/// The result of [`ClientIndex::peak_sync`].
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Synchrony {
    /// Clients that sent within the window.
    pub clients: u32,
    /// Their share of the sample.
    pub share: f64,
    /// When the window starts (µs).
    pub at: Micros,
}

/// How many cells are in each state ([`ClientState::ALL`]'s order) and how many are lit.
pub fn tally(cells: &[Cell]) -> ([usize; 5], usize) {
    let mut n = [0; 5];
    for c in cells {
        if let Some(i) = ClientState::ALL.iter().position(|s| *s == c.state) {
            n[i] += 1;
        }
    }
    (n, cells.iter().filter(|c| c.lit).count())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{scenario::presets, Sim};
    use ClientState::*;

    #[test]
    fn an_open_loop_client_is_in_flight_while_any_of_its_requests_is() {
        let mut r = Raster::new(1);
        // a long attempt 0–900 ms, and a short one 100–200 ms that ended first
        r.record(0, 100_000, 200_000, Outcome::Success);
        r.request_ended(0);
        r.record(0, 0, 900_000, Outcome::Timeout);
        r.request_ended(0);
        let ix = ClientIndex::of_raster(&r);
        assert_eq!(ix.states_at(150_000), [InFlight]);
        assert_eq!(ix.states_at(500_000), [InFlight], "the long one still is");
        assert_eq!(
            ix.states_at(950_000),
            [Succeeded],
            "the latest sent ended well"
        );
        // a request that ended, a flash, then the next request
        let mut r = Raster::new(1);
        r.record(0, 0, 10_000, Outcome::Error);
        r.request_ended(0);
        r.record(0, 2_000_000, 2_010_000, Outcome::Success);
        r.request_ended(0);
        let ix = ClientIndex::of_raster(&r);
        assert_eq!(ix.states_at(100_000), [GaveUp]);
        assert_eq!(ix.states_at(1_000_000), [Waiting], "thinking");
        assert_eq!(ix.cells_at(1_000_000, 2_000_000)[0].state, GaveUp);
    }

    #[test]
    fn a_sample_cut_by_the_cap_says_until_when_it_is_complete() {
        let mut r = Raster::new(1);
        let cap = crate::sim::output::record::RASTER_MAX_DOTS as Micros;
        for i in 0..=cap {
            r.record(0, 10 * i, 10 * i + 5, Outcome::Refused);
        }
        assert_eq!(r.dropped, 1);
        // the request ended with the dropped attempt: no kept dot is marked in its place
        r.request_ended(0);
        assert!(!r.dots.last().unwrap().last);
        assert_eq!(
            ClientIndex::of_raster(&r).complete_until(),
            Some(10 * (cap - 1) + 5)
        );
        r.dropped = 0;
        assert_eq!(ClientIndex::of_raster(&r).complete_until(), None);
    }

    #[test]
    fn no_raster_no_cells() {
        let ix = ClientIndex::of_raster(&Raster::new(0));
        assert_eq!(ix.rows(), 0);
        assert!(ix.states_at(1).is_empty());
        assert_eq!(ix.peak_sync(0, SYNC_WINDOW), Synchrony::default());
        assert_eq!(ClientIndex::default().rows(), 0);
    }

    #[test]
    fn the_herd_backs_off_together_in_the_outage_and_is_done_at_the_end() {
        let mut cfg = presets::config("herd-no-jitter").unwrap();
        cfg.clients.count = 200;
        let mut sim = Sim::new(&cfg.validate().unwrap(), 1);
        sim.run();
        let rec = sim.record();
        let ix = ClientIndex::of(&rec);
        assert_eq!(ix.rows(), 100);
        // 5 s into the outage, between two waves: everyone sleeps
        let (n, lit) = tally(&ix.cells_at(5_000_000, FLASH));
        assert_eq!((n[1], lit), (100, 0), "{n:?}");
        // drained: every request ended, every client is done
        let end = (rec.summary.end_ms * 1_000.0) as Micros;
        let (n, _) = tally(&ix.cells_at(end, FLASH));
        assert_eq!(n[3] + n[4], 100, "{n:?}");
        let ok = (0..100)
            .filter(|&c| {
                let mine = rec.raster.dots.iter().rfind(|d| d.client == c);
                mine.is_some_and(|d| d.outcome == Outcome::Success)
            })
            .count();
        assert_eq!(n[3], ok);
    }
}
