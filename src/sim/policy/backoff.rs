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
//! | multiplier [a, b] | `d · U(a, b)` (gRPC since 2024: [0.8, 1.2]; backon: [1, 2]; Polly constant/linear: [0.75, 1.25]) |
//! | decorrelated v2 | Polly v8's `DecorrelatedJitterBackoffV2`: `t = n − 1 + U(0, 1)`, `f(t) = 2^t · tanh(√(4t))`, sleep `min(cap, base · (f(t) − f(previous t)) / 1.4)` (ignores `d`) |
//!
//! Two schedule options follow libraries: a separate first delay after a throttling
//! rejection (the AWS SDKs' throttling base), and an immediate first retry with the
//! schedule starting at the second (urllib3: `0, 2f, 4f, …`).

use crate::sim::random::rng::Rng;
use crate::sim::Micros;

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
    /// `d · U(a, b)` with `0 ≤ a ≤ b`.
    Multiplier(f64, f64),
    /// Polly v8's `DecorrelatedJitterBackoffV2`.
    DecorrelatedV2,
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
    /// First delay after a throttling rejection (µs), if it differs from `base`.
    pub throttle_base: Option<Micros>,
    /// Retry 1 goes at once (urllib3); retry n ≥ 2 waits `d(n)`.
    pub immediate_first: bool,
}

impl Backoff {
    /// A schedule with jitter and no library-specific option.
    pub fn new(
        schedule: Schedule,
        base: Micros,
        multiplier: f64,
        cap: Micros,
        jitter: Jitter,
    ) -> Backoff {
        Backoff {
            schedule,
            base,
            multiplier,
            cap,
            jitter,
            throttle_base: None,
            immediate_first: false,
        }
    }

    /// The schedule after a throttling rejection: its own base if it has one.
    pub fn throttled(&self) -> Backoff {
        Backoff {
            base: self.throttle_base.unwrap_or(self.base),
            ..*self
        }
    }

    /// The un-jittered delay before retry `n` (n ≥ 1).
    ///
    /// ```
    /// use herdsim::sim::policy::backoff::{Backoff, Jitter, Schedule};
    /// let b = Backoff::new(Schedule::Exponential, 100, 2.0, 500, Jitter::None);
    /// assert_eq!([1, 2, 3, 4].map(|n| b.delay(n)), [100, 200, 400, 500]);
    /// let urllib3 = Backoff { immediate_first: true, ..b };
    /// assert_eq!([1, 2, 3, 4].map(|n| urllib3.delay(n)), [0, 200, 400, 500]);
    /// ```
    pub fn delay(&self, n: u32) -> Micros {
        let n = n.max(1);
        if self.immediate_first && n == 1 {
            return 0;
        }
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
                    crate::sim::random::dist::to_micros(d)
                }
            }
        }
    }

    /// The sleep before retry `n`. `state` is the request's jitter state (decorrelated:
    /// the previous sleep, at most the cap; decorrelated v2: the previous `f(t)` as `f32`
    /// bits; either fits in 32 bits; start it at [`Backoff::initial_sleep`]) and is updated.
    pub fn sleep(&self, n: u32, state: &mut Micros, rng: &mut Rng) -> Micros {
        if self.immediate_first && n <= 1 {
            return 0;
        }
        match self.jitter {
            Jitter::Decorrelated => {
                let hi = state.saturating_mul(3).max(self.base);
                let s = rng.range_inclusive(self.base, hi).min(self.cap);
                *state = s;
                s
            }
            Jitter::DecorrelatedV2 => {
                // Polly's attempt index is 0 for the first retry
                let t = f64::from(n.max(1) - 1) + rng.unit();
                let next = libm::exp2(t) * libm::tanh(libm::sqrt(4.0 * t));
                // kept as f32 bits so that a request's state fits in 32 bits
                let prev = f64::from(f32::from_bits(*state as u32));
                *state = u64::from((next as f32).to_bits());
                let d = (next - prev) / 1.4 * self.base as f64;
                if d.is_finite() {
                    (d.max(0.0) as Micros).min(self.cap)
                } else {
                    self.cap
                }
            }
            j => jitter(j, self.delay(n), rng),
        }
    }

    /// The starting value of a request's jitter state.
    pub fn initial_sleep(&self) -> Micros {
        match self.jitter {
            Jitter::DecorrelatedV2 => u64::from(0f32.to_bits()),
            _ => self.base,
        }
    }
}

/// Apply a (stateless) jitter mode to delay `d`. Decorrelated jitter needs state: use
/// [`Backoff::sleep`]; here it returns `d` unchanged.
pub fn jitter(j: Jitter, d: Micros, rng: &mut Rng) -> Micros {
    match j {
        Jitter::None | Jitter::Decorrelated | Jitter::DecorrelatedV2 => d,
        Jitter::Multiplier(a, b) => {
            let (lo, hi) = (libm::round(d as f64 * a), libm::round(d as f64 * b));
            rng.range_inclusive(lo as Micros, hi as Micros)
        }
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
    use crate::sim::random::rng::Entity;

    fn b(schedule: Schedule, jitter: Jitter) -> Backoff {
        Backoff::new(schedule, 5_000, 2.0, 2_000_000, jitter)
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

    #[test]
    fn multiplier_jitter_scales_the_capped_delay() {
        // gRPC since 2024: min(initial · mult^(n−1), max) · U(0.8, 1.2), so up to 1.2 × max
        let g = Backoff::new(
            Schedule::Exponential,
            100_000,
            2.0,
            1_000_000,
            Jitter::Multiplier(0.8, 1.2),
        );
        let mut r = Rng::stream(4, Entity::Client(1));
        let mut st = g.initial_sleep();
        for n in 1..8 {
            let d = g.delay(n) as f64;
            let draws: Vec<f64> = (0..4000)
                .map(|_| g.sleep(n, &mut st, &mut r) as f64)
                .collect();
            let (lo, hi) = draws
                .iter()
                .fold((f64::MAX, 0.0f64), |a, &x| (a.0.min(x), a.1.max(x)));
            assert!(
                lo >= 0.8 * d - 1.0 && hi <= 1.2 * d + 1.0,
                "n={n} [{lo}, {hi}] d={d}"
            );
            assert!(
                lo < 0.82 * d && hi > 1.18 * d,
                "n={n}: the whole range is used"
            );
        }
    }

    #[test]
    fn throttled_base_and_an_immediate_first_retry() {
        let mut aws = Backoff::new(Schedule::Exponential, 50_000, 2.0, 20_000_000, Jitter::None);
        aws.throttle_base = Some(1_000_000);
        assert_eq!(aws.delay(2), 100_000);
        assert_eq!(aws.throttled().delay(2), 2_000_000);
        assert_eq!(aws.throttled().delay(9), 20_000_000);
        let mut r = Rng::stream(1, Entity::Client(0));
        let u = Backoff {
            immediate_first: true,
            ..Backoff::new(
                Schedule::Exponential,
                100_000,
                2.0,
                120_000_000,
                Jitter::Full,
            )
        };
        let mut st = u.initial_sleep();
        assert_eq!(
            u.sleep(1, &mut st, &mut r),
            0,
            "urllib3 retries at once the first time"
        );
        assert!(u.sleep(2, &mut st, &mut r) <= 200_000);
    }

    #[test]
    fn polly_decorrelated_v2_stays_within_its_formula_bounds() {
        // sleep n = base · (f(t_n) − f(t_{n−1})) / 1.4 with t_n in [n−1, n), f(t) = 2^t · tanh(√(4t))
        let f = |t: f64| 2f64.powf(t) * (4.0 * t).sqrt().tanh();
        let base = 1_000_000.0;
        let p = Backoff::new(
            Schedule::Exponential,
            base as u64,
            2.0,
            u64::MAX / 4,
            Jitter::DecorrelatedV2,
        );
        let mut r = Rng::stream(6, Entity::Client(3));
        let mut medians = vec![];
        for n in 1..=6u32 {
            let mut draws: Vec<f64> = (0..4000)
                .map(|_| {
                    // a fresh request walks to retry n
                    let mut st = p.initial_sleep();
                    for k in 1..n {
                        p.sleep(k, &mut st, &mut r);
                    }
                    p.sleep(n, &mut st, &mut r) as f64
                })
                .collect();
            let hi = if n == 1 {
                f(1.0)
            } else {
                f(n as f64) - f(n as f64 - 2.0)
            } * base
                / 1.4;
            assert!(draws.iter().all(|&x| x >= 0.0 && x <= hi + 1.0), "n={n}");
            draws.sort_by(f64::total_cmp);
            medians.push(draws[2000]);
        }
        // the first retry's median is about the base (the 1/1.4 scaling is chosen for that:
        // f(0.5) / 1.4 = 0.897), and from the third retry on medians double
        assert!(
            medians[0] > 0.85 * base && medians[0] < 0.95 * base,
            "{medians:?}"
        );
        for n in 2..medians.len() {
            let r = medians[n] / medians[n - 1];
            assert!(
                r > 1.7 && r < 2.3,
                "retry {}: ratio {r} ({medians:?})",
                n + 1
            );
        }
    }
}
