//! Playback: a time cursor that sweeps simulated time over a finished run, as a view over
//! its [`RunRecord`](crate::sim::RunRecord) (the simulation itself runs to completion
//! first). Pure data like the scenario: no clock, no browser — the page's frame loop says
//! how much real time passed ([`Playback::advance`]), as the engine's caller says how far
//! to run. Counters at the cursor are in [`counters`], each sampled client's state in
//! [`clients`]; where a chart's plot lies, for the cover that hides what the cursor has not
//! reached yet, in [`plot_box`].

pub mod clients;
pub mod counters;
pub mod plot_box;

use crate::charts::moments::Moment;
use crate::sim::Micros;

/// Playback speeds offered, times real time (the fastest for runs of minutes and hours: a
/// 30 min run plays in 30 s at 60×, a 9 h one in 27 s at 1,200×).
pub const SPEEDS: [f64; 11] = [
    0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 12.0, 20.0, 60.0, 300.0, 1200.0,
];

/// The default speed's index in [`SPEEDS`]: 4×, so a 60 s run plays in 15 s.
pub const DEFAULT_SPEED: usize = 4;

/// A moment closer than this after the cursor is the one the cursor is at, not the next
/// (a step lands on a moment; the next step must move on).
const SAME_MOMENT: Micros = 1_000;

/// The state of a playback: where the cursor is, how fast it moves and whether it does.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Playback {
    /// The cursor (µs of simulated time), within `0..=end`.
    pub cursor: Micros,
    /// The end of the run (µs): where the cursor stops.
    pub end: Micros,
    /// Index of the speed in [`SPEEDS`].
    pub speed: usize,
    /// The cursor moves.
    pub playing: bool,
    /// Where the cursor pauses on its way (a tour step's `until`), once.
    pub stop_at: Option<Micros>,
}

impl Playback {
    /// A playback of a run ending at `end` µs, paused at the end: the whole result shows.
    ///
    /// ```
    /// use herdsim::playback::Playback;
    /// let mut p = Playback::new(60_000_000);
    /// assert!(p.at_end() && !p.playing);
    /// p.toggle(); // play from the end starts again from 0
    /// assert_eq!(p.cursor, 0);
    /// p.advance(1_000.0); // one real second at 4×
    /// assert_eq!(p.cursor, 4_000_000);
    /// ```
    pub fn new(end: Micros) -> Playback {
        Playback {
            cursor: end,
            end,
            speed: DEFAULT_SPEED,
            playing: false,
            stop_at: None,
        }
    }

    /// Play from 0 at about `speed` × real time (the nearest of [`SPEEDS`]), pausing at
    /// `stop_at` on the way, as a tour step starts.
    ///
    /// ```
    /// use herdsim::playback::Playback;
    /// let mut p = Playback::new(60_000_000);
    /// p.cue(3.0, Some(10_000_000));
    /// assert_eq!((p.cursor, p.speed(), p.playing), (0, 4.0, true));
    /// for _ in 0..3 {
    ///     p.advance(1_000.0); // 12 s at 4×, but it pauses at 10 s
    /// }
    /// assert_eq!((p.cursor, p.playing, p.stop_at), (10_000_000, false, None));
    /// p.toggle();
    /// p.advance(1_000.0); // and plays on from there
    /// assert_eq!(p.cursor, 14_000_000);
    /// ```
    pub fn cue(&mut self, speed: f64, stop_at: Option<Micros>) {
        self.cursor = 0;
        self.playing = self.end > 0;
        self.speed = nearest_speed(speed);
        self.stop_at = stop_at.filter(|t| *t > 0 && *t < self.end);
    }

    /// The same playback over a run ending at `end` (a new run): its cursor kept where it
    /// fits, at the end otherwise; a playback at the end stays at the end.
    pub fn with_end(self, end: Micros) -> Playback {
        let cursor = if self.at_end() || self.cursor > end {
            end
        } else {
            self.cursor
        };
        Playback {
            cursor,
            end,
            playing: self.playing && cursor < end,
            stop_at: self.stop_at.filter(|t| *t < end),
            ..self
        }
    }

    /// The speed, times real time.
    pub fn speed(&self) -> f64 {
        SPEEDS[self.speed.min(SPEEDS.len() - 1)]
    }

    /// The cursor is at the end of the run.
    pub fn at_end(&self) -> bool {
        self.cursor >= self.end
    }

    /// The cursor in seconds.
    pub fn cursor_s(&self) -> f64 {
        self.cursor as f64 / 1e6
    }

    /// Move the cursor by `real_ms` milliseconds of real time at the speed; it stops (and
    /// pauses) at the end. Nothing moves while paused.
    pub fn advance(&mut self, real_ms: f64) {
        if !self.playing || real_ms.is_nan() || real_ms <= 0.0 {
            return;
        }
        // a frame that comes late (a background tab) moves at most a real second
        let step = (real_ms.min(1_000.0) * 1_000.0 * self.speed()).round() as Micros;
        let next = self.cursor.saturating_add(step).min(self.end);
        match self.stop_at {
            Some(stop) if self.cursor < stop && next >= stop => {
                self.cursor = stop;
                self.stop_at = None;
                self.playing = false;
            }
            _ => self.cursor = next,
        }
        if self.at_end() {
            self.playing = false;
        }
    }

    /// Play or pause; playing from the end starts again from 0.
    pub fn toggle(&mut self) {
        if self.playing {
            self.playing = false;
        } else {
            if self.at_end() {
                self.cursor = 0;
            }
            self.playing = self.end > 0;
        }
    }

    /// Put the cursor at `t` µs (clamped to the run); playing goes on from there.
    pub fn seek(&mut self, t: Micros) {
        self.cursor = t.min(self.end);
        if self.at_end() {
            self.playing = false;
        }
    }

    /// Back to 0, playing.
    pub fn restart(&mut self) {
        self.cursor = 0;
        self.playing = self.end > 0;
    }

    /// Faster (`+1`) or slower (`-1`), within [`SPEEDS`].
    pub fn change_speed(&mut self, by: i32) {
        let i = self.speed as i32 + by;
        self.speed = i.clamp(0, SPEEDS.len() as i32 - 1) as usize;
    }

    /// The first of `moments` after the cursor (by more than a millisecond), if any.
    pub fn next_of<'a>(&self, moments: &'a [Moment]) -> Option<&'a Moment> {
        let after = self.cursor.saturating_add(SAME_MOMENT);
        moments
            .iter()
            .filter(|m| (m.at_ms * 1_000.0).round() as Micros >= after)
            .min_by(|a, b| a.at_ms.total_cmp(&b.at_ms))
    }

    /// Step to the next of `moments` after the cursor and pause there (to talk about it);
    /// with none left, to the end. The moment stepped to, if one.
    pub fn next_moment<'a>(&mut self, moments: &'a [Moment]) -> Option<&'a Moment> {
        let next = self.next_of(moments);
        // from the end there is no next moment: start over from the first
        let next = match next {
            None if self.at_end() => {
                self.cursor = 0;
                moments.iter().min_by(|a, b| a.at_ms.total_cmp(&b.at_ms))
            }
            n => n,
        };
        self.playing = false;
        self.cursor = match next {
            Some(m) => ((m.at_ms * 1_000.0).round() as Micros).min(self.end),
            None => self.end,
        };
        next
    }
}

/// The index in [`SPEEDS`] of the speed nearest `speed` (by ratio); the default for a
/// speed that is not a positive number.
pub fn nearest_speed(speed: f64) -> usize {
    if !(speed.is_finite() && speed > 0.0) {
        return DEFAULT_SPEED;
    }
    let off = |s: f64| (s / speed).ln().abs();
    (0..SPEEDS.len())
        .min_by(|&a, &b| off(SPEEDS[a]).total_cmp(&off(SPEEDS[b])))
        .unwrap_or(DEFAULT_SPEED)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::moments::{moments, MomentKind};
    use crate::sim::{scenario::presets, Sim};

    #[test]
    fn a_sixty_second_run_plays_in_fifteen_seconds_at_the_default_speed() {
        let mut p = Playback::new(60_000_000);
        p.toggle();
        for _ in 0..(15 * 60 - 1) {
            p.advance(1_000.0 / 60.0);
            assert!(p.playing);
        }
        p.advance(1_000.0 / 60.0 + 1.0);
        assert!(p.at_end() && !p.playing, "{p:?}");
    }

    #[test]
    fn pause_seek_restart_and_speeds() {
        let mut p = Playback::new(10_000_000);
        p.toggle();
        p.advance(500.0);
        assert_eq!(p.cursor, 2_000_000);
        p.toggle();
        p.advance(500.0);
        assert_eq!(p.cursor, 2_000_000, "paused: nothing moves");
        p.seek(7_000_000);
        assert_eq!((p.cursor, p.playing), (7_000_000, false));
        p.seek(99_000_000);
        assert!(p.at_end());
        p.restart();
        assert_eq!((p.cursor, p.playing), (0, true));
        for _ in 0..20 {
            p.change_speed(1);
        }
        assert_eq!(p.speed(), 1200.0);
        for _ in 0..20 {
            p.change_speed(-1);
        }
        assert_eq!(p.speed(), 0.25);
        // a frame a minute late moves one real second
        p.advance(60_000.0);
        assert_eq!(p.cursor, 250_000);
    }

    #[test]
    fn speeds_round_to_the_nearest_offered() {
        assert_eq!(SPEEDS[nearest_speed(4.0)], 4.0);
        assert_eq!(SPEEDS[nearest_speed(100.0)], 60.0);
        assert_eq!(SPEEDS[nearest_speed(5000.0)], 1200.0);
        assert_eq!(SPEEDS[nearest_speed(0.01)], 0.25);
        assert_eq!(SPEEDS[nearest_speed(10.0)], 12.0);
        assert_eq!(SPEEDS[nearest_speed(7.0)], 8.0);
        assert_eq!(SPEEDS[nearest_speed(1.5)], 2.0);
        assert_eq!(nearest_speed(f64::NAN), DEFAULT_SPEED);
        assert_eq!(nearest_speed(-1.0), DEFAULT_SPEED);
    }

    #[test]
    fn a_new_run_keeps_the_cursor_where_it_fits() {
        let mut p = Playback::new(10_000_000);
        assert!(p.with_end(20_000_000).at_end());
        p.seek(5_000_000);
        assert_eq!(p.with_end(20_000_000).cursor, 5_000_000);
        assert_eq!(p.with_end(3_000_000).cursor, 3_000_000);
    }

    #[test]
    fn next_moment_steps_through_the_herds_waves_in_order() {
        let mut cfg = presets::config("herd-no-jitter").unwrap();
        cfg.clients.count = 500;
        let mut sim = Sim::new(&cfg.validate().unwrap(), 1);
        sim.run();
        let rec = sim.record();
        let m = moments(&rec);
        let mut p = Playback::new((rec.summary.end_ms * 1_000.0) as Micros);
        p.seek(0);
        let mut seen = Vec::new();
        while let Some(at) = p.next_moment(&m) {
            seen.push((at.kind, p.cursor));
            assert!(!p.playing);
            if seen.len() > m.len() {
                break;
            }
        }
        assert_eq!(seen.len(), m.len(), "each moment once, then the end");
        assert!(p.at_end());
        assert_eq!(seen[0].0, MomentKind::RetryWave);
        assert!(
            seen[0].1 >= 10_000_000,
            "the first wave is after the outage"
        );
        assert!(seen.windows(2).all(|w| w[0].1 <= w[1].1));
        // from the end, the first moment again
        assert_eq!(p.next_moment(&m).map(|m| m.kind), Some(seen[0].0));
    }
}
