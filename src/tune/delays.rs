//! The distribution of each retry's sleep, computed from the formulas the engine draws
//! with ([`Backoff::sleep`], [`jitter`](crate::sim::policy::backoff::jitter)), not by
//! sampling.
//!
//! With `d = Backoff::delay(n)` (integer µs, already capped) the engine draws a whole
//! number of µs uniformly from an interval `{lo, …, hi}` for every stateless jitter mode,
//! so min = `lo`, max = `hi` and the median and the mean are both `(lo + hi) / 2`
//! (the middle of an odd count of values, the average of the two middle ones of an even
//! count):
//!
//! | jitter | lo | hi |
//! |---|---|---|
//! | none | `d` | `d` |
//! | full | 0 | `d` |
//! | equal | `⌊d/2⌋` | `d` |
//! | proportional r | `d − round(r·d)` (at least 0) | `d + round(r·d)` |
//! | multiplier [a, b] | `round(a·d)` | `round(b·d)` (lo if below it) |
//!
//! An immediate first retry (urllib3) sleeps 0.
//!
//! **Decorrelated** (`s_n = min(cap, U(base, 3·s_{n−1}))`, `s_0 = base`) is a Markov
//! chain: in units of the base, `Y_n = min(c, U(1, 3·Y_{n−1}))` with `c = cap / base`.
//! Its min is the base and its max `min(cap, base·3^n)` (every draw at the bottom or the
//! top), exactly. Its median and mean come from the chain's distribution, computed by
//! the recursion, for `1 ≤ y < c`,
//!
//! ```text
//! P(Y_n ≤ y) = P(Y_{n−1} ≤ y/3) + (y − 1) · E[1 / (3·Y_{n−1} − 1); Y_{n−1} > y/3]
//! ```
//!
//! (a draw `U(1, 3x)` is below `y` surely when `3x ≤ y`, else with probability
//! `(y − 1)/(3x − 1)`), and `P(Y_n = c)` the rest. The distribution is held at
//! [`GRID`] log-spaced points from 1 to `min(c, 3^n)`, uniform between neighbours (the
//! expectation over a cell is then exact: `m/(3(b − a)) · ln((3b − 1)/(3a − 1))`), plus
//! the atom at the cap. The first retry is exact (`U(1, 3)`: median 2·base); later
//! medians are within about 10⁻⁴ relative of the chain's (the tests compare them with
//! the second retry's closed form and with the engine's own draws). The engine draws
//! whole µs; the chain is continuous, which differs by at most 1 µs.
//!
//! **Decorrelated v2** (Polly): `sleep_n = min(cap, base · (f(n−1+U_n) − f(n−2+U_{n−1}))
//! / 1.4)`, `f(t) = 2^t · tanh(√(4t))`, independent `U_k ~ U(0, 1)`, `f(prev) = 0` for
//! the first retry, clamped at 0. The first retry is monotone in `U_1`: min 0, median
//! `base·f(½)/1.4`, max `base·f(1)/1.4`. Later: min 0 (`U_n = 0`, `U_{n−1} = 1`), max
//! `base·(f(n) − f(n−2))/1.4`; the median solves `P(D ≤ y) = ∫₀¹ clamp(f⁻¹(y +
//! f(n−2+v)) − (n−1), 0, 1) dv = ½` (Simpson's rule over `v`, bisection for `y` and
//! `f⁻¹`); the mean is `∫_{n−1}^{n} f − ∫_{n−2}^{n−1} f` over 1.4 (Simpson), or, when
//! the cap can bind, `∫₀^cap P(D > y) dy`. The engine keeps `f(prev)` as an `f32`, a
//! relative difference below 10⁻⁷.

use serde::Serialize;

use crate::sim::policy::backoff::{Backoff, Jitter};

/// Points of the decorrelated chain's grid.
pub const GRID: usize = 4096;

/// One retry's sleep: min, median, max and mean (ms).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Delay {
    /// The shortest sleep the engine can draw (ms).
    pub min_ms: f64,
    /// The median sleep (ms).
    pub median_ms: f64,
    /// The longest (ms).
    pub max_ms: f64,
    /// The mean (ms).
    pub mean_ms: f64,
}

impl Delay {
    fn uniform(lo: u64, hi: u64) -> Delay {
        let hi = hi.max(lo);
        let mid = (lo as f64 + hi as f64) / 2.0 / 1000.0;
        Delay {
            min_ms: lo as f64 / 1000.0,
            median_ms: mid,
            max_ms: hi as f64 / 1000.0,
            mean_ms: mid,
        }
    }
}

/// The sleep before each of retries 1 to `retries` (the sleep before attempt `n + 1`
/// is entry `n − 1`), for the backoff after an error, refusal or timeout (not the
/// throttling base some policies use after a queue-full rejection).
pub fn delays(b: &Backoff, retries: u32) -> Vec<Delay> {
    match b.jitter {
        Jitter::Decorrelated => decorrelated(b, retries),
        Jitter::DecorrelatedV2 => (1..=retries).map(|n| polly_v2(b, n)).collect(),
        j => (1..=retries)
            .map(|n| {
                if b.immediate_first && n == 1 {
                    return Delay::uniform(0, 0);
                }
                let d = b.delay(n);
                let (lo, hi) = match j {
                    Jitter::Full => (0, d),
                    Jitter::Equal => (d / 2, d),
                    Jitter::Proportional(r) => {
                        let spread = libm::round(d as f64 * r) as u64;
                        (d.saturating_sub(spread), d.saturating_add(spread))
                    }
                    Jitter::Multiplier(a, m) => (
                        libm::round(d as f64 * a) as u64,
                        libm::round(d as f64 * m) as u64,
                    ),
                    _ => (d, d),
                };
                Delay::uniform(lo, hi)
            })
            .collect(),
    }
}

/// A distribution on `[1, top]` in units of the base: `below[j]` = P(Y < y[j]) at
/// log-spaced points `y`, uniform within each cell, and an atom at `top` when `top` is
/// the cap.
struct Chain {
    y: Vec<f64>,
    below: Vec<f64>,
    atom: f64,
}

impl Chain {
    /// P(Y ≤ t) for t in [1, top): interpolated within its cell.
    fn cdf(&self, t: f64) -> f64 {
        if t < 1.0 {
            return 0.0;
        }
        let last = self.y.len() - 1;
        if t >= self.y[last] {
            return 1.0;
        }
        let j = self
            .y
            .partition_point(|&v| v <= t)
            .saturating_sub(1)
            .min(last - 1);
        let (a, b) = (self.y[j], self.y[j + 1]);
        let w = (t - a) / (b - a);
        self.below[j] + w * (self.below[j + 1] - self.below[j])
    }

    /// E[1/(3Y − 1); Y > t] for t ≥ 1/3, with `suffix[j]` that expectation over cells
    /// j and above plus the atom.
    fn tail(&self, t: f64, suffix: &[f64]) -> f64 {
        let last = self.y.len() - 1;
        if t < 1.0 {
            return suffix[0];
        }
        if t >= self.y[last] {
            return 0.0;
        }
        let j = self
            .y
            .partition_point(|&v| v <= t)
            .saturating_sub(1)
            .min(last - 1);
        let (a, b) = (self.y[j], self.y[j + 1]);
        let m = self.below[j + 1] - self.below[j];
        let part = cell(t, b, m * (b - t) / (b - a));
        part + suffix[j + 1]
    }

    fn suffix(&self) -> Vec<f64> {
        let n = self.y.len();
        let mut s = vec![0.0; n];
        let top = self.y[n - 1];
        s[n - 1] = self.atom / (3.0 * top - 1.0);
        for j in (0..n - 1).rev() {
            let m = self.below[j + 1] - self.below[j];
            s[j] = s[j + 1] + cell(self.y[j], self.y[j + 1], m);
        }
        s
    }

    fn median(&self) -> f64 {
        let last = self.y.len() - 1;
        if self.below[last] < 0.5 {
            return self.y[last];
        }
        let j = self.below.partition_point(|&p| p < 0.5).clamp(1, last);
        let (p, q) = (self.below[j - 1], self.below[j]);
        let (a, b) = (self.y[j - 1], self.y[j]);
        if q <= p {
            return a;
        }
        a + (0.5 - p) / (q - p) * (b - a)
    }

    fn mean(&self) -> f64 {
        let n = self.y.len();
        let cells: f64 = (0..n - 1)
            .map(|j| (self.below[j + 1] - self.below[j]) * (self.y[j] + self.y[j + 1]) / 2.0)
            .sum();
        cells + self.atom * self.y[n - 1]
    }
}

/// ∫ over [a, b] of 1/(3x − 1) times a density of mass `m` spread uniformly on it.
fn cell(a: f64, b: f64, m: f64) -> f64 {
    if b <= a || m == 0.0 {
        return 0.0;
    }
    m / (3.0 * (b - a)) * libm::log((3.0 * b - 1.0) / (3.0 * a - 1.0))
}

fn decorrelated(b: &Backoff, retries: u32) -> Vec<Delay> {
    let base = b.base.max(1) as f64;
    let c = (b.cap as f64 / base).max(1.0);
    let mut out = Vec::new();
    let mut prev: Option<Chain> = None;
    for n in 1..=retries {
        if b.immediate_first && n == 1 {
            // the engine returns 0 without touching the chain's state
            out.push(Delay::uniform(0, 0));
            continue;
        }
        let top = libm::pow(3.0, f64::from(n.min(60))).min(c);
        let ms = |x: f64| x * base / 1000.0;
        if top <= 1.0 {
            out.push(Delay::uniform(b.base, b.base));
            continue;
        }
        let y: Vec<f64> = (0..GRID)
            .map(|i| libm::exp(libm::log(top) * i as f64 / (GRID - 1) as f64))
            .collect();
        let below: Vec<f64> = match &prev {
            // Y_1 = min(c, U(1, 3))
            None => y.iter().map(|&v| ((v - 1.0) / 2.0).min(1.0)).collect(),
            Some(p) => {
                let suffix = p.suffix();
                y.iter()
                    .map(|&v| (p.cdf(v / 3.0) + (v - 1.0) * p.tail(v / 3.0, &suffix)).min(1.0))
                    .collect()
            }
        };
        let atom = if top >= c { 1.0 - below[GRID - 1] } else { 0.0 };
        let chain = Chain { y, below, atom };
        out.push(Delay {
            min_ms: ms(1.0),
            median_ms: ms(chain.median()),
            max_ms: ms(top),
            mean_ms: ms(chain.mean()),
        });
        prev = Some(chain);
    }
    out
}

/// Polly's `f(t) = 2^t · tanh(√(4t))`.
fn f(t: f64) -> f64 {
    libm::exp2(t) * libm::tanh(libm::sqrt(4.0 * t.max(0.0)))
}

/// `f⁻¹(x)` (f is increasing from f(0) = 0), by bisection.
fn f_inv(x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    let (mut lo, mut hi) = (0.0, 1.0);
    while f(hi) < x && hi < 2000.0 {
        hi *= 2.0;
    }
    // hi ≤ 2048: 52 halvings reach the spacing of doubles there
    for _ in 0..52 {
        let mid = (lo + hi) / 2.0;
        if f(mid) < x {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    (lo + hi) / 2.0
}

/// Simpson's rule for `g` over [a, b] with `n` (even) intervals.
fn simpson(g: impl Fn(f64) -> f64, a: f64, b: f64, n: usize) -> f64 {
    let h = (b - a) / n as f64;
    let mut s = g(a) + g(b);
    for i in 1..n {
        let w = if i % 2 == 1 { 4.0 } else { 2.0 };
        s += w * g(a + h * i as f64);
    }
    s * h / 3.0
}

/// Retry `n` of Polly's decorrelated v2, in units of base / 1.4: P(D ≤ y).
fn v2_cdf(n: u32, y: f64) -> f64 {
    let k = f64::from(n - 1);
    if n == 1 {
        return f_inv(y).clamp(0.0, 1.0);
    }
    simpson(
        |v| (f_inv(y + f(k - 1.0 + v)) - k).clamp(0.0, 1.0),
        0.0,
        1.0,
        64,
    )
}

fn polly_v2(b: &Backoff, n: u32) -> Delay {
    if b.immediate_first && n == 1 {
        return Delay::uniform(0, 0);
    }
    let unit = b.base as f64 / 1.4;
    let cap = b.cap as f64 / unit;
    let k = f64::from(n - 1);
    let top = if n == 1 {
        f(1.0)
    } else {
        f(k + 1.0) - f(k - 1.0)
    };
    let median = if n == 1 {
        f(0.5)
    } else {
        let (mut lo, mut hi) = (0.0, top);
        // 2^-40 of the range: far below a microsecond for any base the bounds allow
        for _ in 0..40 {
            let mid = (lo + hi) / 2.0;
            if v2_cdf(n, mid) < 0.5 {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        (lo + hi) / 2.0
    };
    let mean = if top <= cap {
        let hi = simpson(f, k, k + 1.0, 256);
        let lo = if n == 1 {
            0.0
        } else {
            simpson(f, k - 1.0, k, 256)
        };
        hi - lo
    } else {
        simpson(|y| 1.0 - v2_cdf(n, y), 0.0, cap, 32)
    };
    let ms = |x: f64| (x * unit).min(b.cap as f64) / 1000.0;
    Delay {
        min_ms: 0.0,
        median_ms: ms(median),
        max_ms: ms(top),
        mean_ms: ms(mean),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::policy::backoff::Schedule;
    use crate::sim::random::rng::{Entity, Rng};

    fn bo(jitter: Jitter) -> Backoff {
        Backoff::new(Schedule::Exponential, 100_000, 2.0, 1_000_000, jitter)
    }

    /// The engine's own draws of retry `n`'s sleep over `walks` fresh requests (ms),
    /// sorted.
    fn sampled(b: &Backoff, n: u32, walks: usize) -> Vec<f64> {
        let mut r = Rng::stream(11, Entity::Client(5));
        let mut v: Vec<f64> = (0..walks)
            .map(|_| {
                let mut st = b.initial_sleep();
                for k in 1..n {
                    b.sleep(k, &mut st, &mut r);
                }
                b.sleep(n, &mut st, &mut r) as f64 / 1000.0
            })
            .collect();
        v.sort_by(f64::total_cmp);
        v
    }

    #[test]
    fn stateless_modes_are_uniform_between_their_ends() {
        // d = 100, 200, 400, 800, 1000 ms
        let full = delays(&bo(Jitter::Full), 5);
        let want = [100.0, 200.0, 400.0, 800.0, 1000.0];
        for (d, w) in full.iter().zip(want) {
            assert_eq!((d.min_ms, d.median_ms, d.max_ms), (0.0, w / 2.0, w));
        }
        let eq = delays(&bo(Jitter::Equal), 2);
        assert_eq!(
            (eq[1].min_ms, eq[1].median_ms, eq[1].max_ms),
            (100.0, 150.0, 200.0)
        );
        let none = delays(&bo(Jitter::None), 3);
        assert_eq!(none[2].median_ms, 400.0);
        assert_eq!(none[2].min_ms, none[2].max_ms);
        let p = delays(&bo(Jitter::Proportional(0.5)), 1);
        assert_eq!(
            (p[0].min_ms, p[0].max_ms, p[0].mean_ms),
            (50.0, 150.0, 100.0)
        );
        let m = delays(&bo(Jitter::Multiplier(0.8, 1.2)), 5);
        // the cap first, then the multiplier: up to 1.2 × the cap
        assert_eq!((m[4].min_ms, m[4].max_ms), (800.0, 1200.0));
        let u = Backoff {
            immediate_first: true,
            ..bo(Jitter::Full)
        };
        let ud = delays(&u, 2);
        assert_eq!((ud[0].max_ms, ud[1].max_ms), (0.0, 200.0));
    }

    #[test]
    fn stateless_medians_match_the_engine_draws() {
        for j in [Jitter::Full, Jitter::Equal, Jitter::Proportional(0.3)] {
            let b = bo(j);
            let exact = delays(&b, 3);
            for n in 1..=3 {
                let s = sampled(&b, n, 20_001);
                let d = exact[n as usize - 1];
                assert!(s[0] >= d.min_ms && s[20_000] <= d.max_ms, "{j:?} {n}");
                let tol = 0.02 * d.max_ms;
                assert!(
                    (s[10_000] - d.median_ms).abs() < tol,
                    "{j:?} {n}: {} vs {d:?}",
                    s[10_000]
                );
            }
        }
    }

    #[test]
    fn decorrelated_first_retries_match_their_closed_forms() {
        // no cap in reach: Y_1 ~ U(1, 3), median 2 bases, mean 2 bases
        let b = Backoff::new(
            Schedule::Exponential,
            100_000,
            2.0,
            1_000_000_000,
            Jitter::Decorrelated,
        );
        let d = delays(&b, 2);
        assert!((d[0].median_ms - 200.0).abs() < 1e-6, "{d:?}");
        assert!((d[0].mean_ms - 200.0).abs() < 1e-6);
        assert_eq!((d[0].min_ms, d[0].max_ms), (100.0, 300.0));
        // E[Y_2] = (1 + 3·E[Y_1]) / 2 = 3.5 bases
        assert!((d[1].mean_ms - 350.0).abs() < 0.05, "{d:?}");
        assert_eq!(d[1].max_ms, 900.0);
        // the second retry's CDF on [3, 9] in closed form (by hand from the recursion):
        // (y/3 − 1)/2 + (y − 1)·ln(8/(y − 1))/6; the median is where it is ½
        let y = d[1].median_ms / 100.0;
        let cdf = (y / 3.0 - 1.0) / 2.0 + (y - 1.0) * (8.0 / (y - 1.0)).ln() / 6.0;
        assert!(
            (3.0..9.0).contains(&y) && (cdf - 0.5).abs() < 1e-4,
            "y={y} cdf={cdf}"
        );
    }

    #[test]
    fn decorrelated_medians_and_means_match_the_engine_draws() {
        // the cap binds from the third retry on (100 ms · 3^3 > 2 s)
        let b = Backoff::new(
            Schedule::Exponential,
            100_000,
            2.0,
            2_000_000,
            Jitter::Decorrelated,
        );
        let exact = delays(&b, 6);
        for n in 1..=6u32 {
            let s = sampled(&b, n, 40_001);
            let d = exact[n as usize - 1];
            let mean = s.iter().sum::<f64>() / s.len() as f64;
            assert!(
                (s[20_000] - d.median_ms).abs() < 0.015 * d.median_ms,
                "n={n}: {} vs {d:?}",
                s[20_000]
            );
            assert!(
                (mean - d.mean_ms).abs() < 0.01 * d.mean_ms,
                "n={n}: {mean} vs {d:?}"
            );
            assert!(s[0] >= d.min_ms && s[40_000] <= d.max_ms + 0.001, "n={n}");
        }
        assert_eq!(exact[5].max_ms, 2000.0);
    }

    #[test]
    fn polly_v2_matches_its_formula_and_the_engine_draws() {
        let b = Backoff::new(
            Schedule::Exponential,
            1_000_000,
            2.0,
            u64::MAX / 4,
            Jitter::DecorrelatedV2,
        );
        let exact = delays(&b, 5);
        // the first retry: f(½)/1.4 bases, f(1)/1.4 at most
        let f_half = 2f64.powf(0.5) * 2f64.sqrt().tanh();
        assert!((exact[0].median_ms - 1000.0 * f_half / 1.4).abs() < 1e-6);
        assert!((exact[0].max_ms - 1000.0 * 2.0 * 2f64.tanh() / 1.4).abs() < 1e-6);
        for n in 1..=5u32 {
            let s = sampled(&b, n, 20_001);
            let d = exact[n as usize - 1];
            let mean = s.iter().sum::<f64>() / s.len() as f64;
            assert!(
                (s[10_000] - d.median_ms).abs() < 0.02 * d.median_ms,
                "n={n}: {} vs {d:?}",
                s[10_000]
            );
            assert!(
                (mean - d.mean_ms).abs() < 0.02 * d.mean_ms,
                "n={n}: {mean} vs {d:?}"
            );
            assert!(s[20_000] <= d.max_ms + 0.001, "n={n}");
        }
        // with a cap that binds, medians and maxima stop at it
        let capped = Backoff {
            cap: 3_000_000,
            ..b
        };
        let c = delays(&capped, 5);
        assert_eq!(c[4].max_ms, 3000.0);
        let s = sampled(&capped, 5, 20_001);
        let mean = s.iter().sum::<f64>() / s.len() as f64;
        assert!(
            (mean - c[4].mean_ms).abs() < 0.02 * c[4].mean_ms,
            "{mean} vs {:?}",
            c[4]
        );
    }
}
