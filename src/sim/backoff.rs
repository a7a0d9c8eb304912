//! Backoff schedules and jitter.
//!
//! `n` is the retry number: 1 for the first retry (the second attempt). The schedule gives
//! a delay `d(n)`; jitter turns it into the sleep actually taken:
//!
//! | jitter | sleep |
//! |---|---|
//! | none | `d` |
//! | full | `U(0, d)` (AWS Architecture blog, "Exponential Backoff And Jitter") |
//! | equal | `d/2 + U(0, d/2)` (same blog) |
//! | decorrelated | `min(cap, U(base, 3 · previous sleep))`, previous starting at `base` (same blog; ignores `d`) |
//! | proportional r | `U(d − r·d, d + r·d)` (cenkalti/backoff `RandomizationFactor`; may exceed the cap by `r`, as there) |

use super::rng::Rng;
use super::Micros;

/// The shape of the delay before jitter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Schedule {
    /// Retry at once.
    None,
    /// `d(n) = base`.
    Constant,
    /// `d(n) = min(cap, base · n)`.
    Linear,
    /// `d(n) = min(cap, base · multiplier^(n−1))`.
    Exponential,
}

/// How the delay is randomised.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Jitter {
    /// `d` exactly.
    None,
    /// `U(0, d)`.
    Full,
    /// `d/2 + U(0, d/2)`.
    Equal,
    /// `min(cap, U(base, 3 · previous))`.
    Decorrelated,
    /// `U(d·(1−r), d·(1+r))` with `r` in `[0, 1]`.
    Proportional(f64),
}

/// A validated backoff policy.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Backoff {
    /// Delay shape.
    pub schedule: Schedule,
    /// First delay (µs); also the floor of decorrelated jitter.
    pub base: Micros,
    /// Growth factor of the exponential schedule (≥ 1).
    pub multiplier: f64,
    /// Largest delay of the schedule (µs).
    pub cap: Micros,
    /// Randomisation.
    pub jitter: Jitter,
}

impl Backoff {
    /// The un-jittered delay before retry `n` (n ≥ 1).
    ///
    /// ```
    /// use herdsim::sim::backoff::{Backoff, Jitter, Schedule};
    /// let b = Backoff { schedule: Schedule::Exponential, base: 100, multiplier: 2.0, cap: 500, jitter: Jitter::None };
    /// assert_eq!([1, 2, 3, 4].map(|n| b.delay(n)), [100, 200, 400, 500]);
    /// ```
    pub fn delay(&self, n: u32) -> Micros {
        let n = n.max(1);
        match self.schedule {
            Schedule::None => 0,
            Schedule::Constant => self.base,
            Schedule::Linear => self.base.saturating_mul(u64::from(n)).min(self.cap),
            Schedule::Exponential => {
                let cap = self.cap as f64;
                // base · multiplier^(n−1): by repeated multiplication (exact IEEE steps, and
                // no `pow` call on the hot path) until the cap is reached, or by `pow` for
                // the rare long retry sequence
                let d = if n <= 64 {
                    let mut d = self.base as f64;
                    for _ in 1..n {
                        if d >= cap {
                            break;
                        }
                        d *= self.multiplier;
                    }
                    d
                } else {
                    self.base as f64 * libm::pow(self.multiplier, f64::from(n - 1))
                };
                if d >= cap {
                    self.cap
                } else {
                    (d + 0.5) as Micros
                }
            }
        }
    }

    /// The sleep before retry `n`. `prev` is the request's previous sleep (decorrelated
    /// jitter's state; start it at [`Backoff::initial_sleep`]) and is updated.
    pub fn sleep(&self, n: u32, prev: &mut Micros, rng: &mut Rng) -> Micros {
        let s = match self.jitter {
            Jitter::Decorrelated => {
                let hi = prev.saturating_mul(3).max(self.base);
                rng.range_inclusive(self.base, hi).min(self.cap)
            }
            j => jitter(j, self.delay(n), rng),
        };
        *prev = s;
        s
    }

    /// The starting value of a request's decorrelated-jitter state.
    pub fn initial_sleep(&self) -> Micros {
        self.base
    }
}

/// Apply a (stateless) jitter mode to delay `d`. Decorrelated jitter needs state: use
/// [`Backoff::sleep`]; here it returns `d` unchanged.
pub fn jitter(j: Jitter, d: Micros, rng: &mut Rng) -> Micros {
    match j {
        Jitter::None | Jitter::Decorrelated => d,
        Jitter::Full => rng.range_inclusive(0, d),
        Jitter::Equal => d / 2 + rng.range_inclusive(0, d - d / 2),
        Jitter::Proportional(r) => {
            let spread = libm::round(d as f64 * r) as Micros;
            rng.range_inclusive(d.saturating_sub(spread), d.saturating_add(spread))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::rng::Entity;

    fn b(schedule: Schedule, jitter: Jitter) -> Backoff {
        Backoff {
            schedule,
            base: 5_000,
            multiplier: 2.0,
            cap: 2_000_000,
            jitter,
        }
    }

    #[test]
    fn schedules_follow_their_formulas() {
        let e = b(Schedule::Exponential, Jitter::None);
        for n in 1..40 {
            let want = (5_000.0 * 2f64.powi(n as i32 - 1)).min(2_000_000.0) as u64;
            assert_eq!(e.delay(n), want, "n={n}");
        }
        assert_eq!(b(Schedule::Linear, Jitter::None).delay(3), 15_000);
        assert_eq!(b(Schedule::Linear, Jitter::None).delay(1_000), 2_000_000);
        assert_eq!(b(Schedule::Constant, Jitter::None).delay(9), 5_000);
        assert_eq!(b(Schedule::None, Jitter::Full).delay(9), 0);
        assert_eq!(e.delay(u32::MAX), 2_000_000, "huge n saturates at the cap");
    }

    #[test]
    fn jitter_means_are_as_documented() {
        let mut r = Rng::stream(3, Entity::Client(0));
        let d = 10_000;
        let mean = |j: Jitter, r: &mut Rng| {
            (0..100_000).map(|_| jitter(j, d, r) as f64).sum::<f64>() / 100_000.0
        };
        assert!((mean(Jitter::Full, &mut r) - 5_000.0).abs() < 60.0);
        assert!((mean(Jitter::Equal, &mut r) - 7_500.0).abs() < 40.0);
        assert!((mean(Jitter::Proportional(0.5), &mut r) - 10_000.0).abs() < 60.0);
        assert_eq!(mean(Jitter::None, &mut r), 10_000.0);
    }

    #[test]
    fn decorrelated_walks_between_base_and_three_times_previous() {
        let bo = b(Schedule::Exponential, Jitter::Decorrelated);
        let mut r = Rng::stream(8, Entity::Client(2));
        let mut prev = bo.initial_sleep();
        let mut reached_cap = false;
        for n in 1..200 {
            let before = prev;
            let s = bo.sleep(n, &mut prev, &mut r);
            assert!(
                s >= bo.base && s <= (3 * before).min(bo.cap),
                "n={n} s={s} prev={before}"
            );
            assert_eq!(prev, s);
            reached_cap |= s > bo.cap / 2;
        }
        assert!(reached_cap, "a long walk gets near the cap");
    }
}
