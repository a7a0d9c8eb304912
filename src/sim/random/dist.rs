//! Validated duration distributions, sampled in integer microseconds.

use crate::sim::random::rng::Rng;
use crate::sim::Micros;

/// The 99th percentile of the standard normal distribution.
pub const Z99: f64 = 2.326_347_874_040_841;

/// Samples never exceed this (about 115 days), which keeps time arithmetic far from overflow.
pub const MAX_SAMPLE: Micros = 10_000_000_000_000;

/// A distribution of durations. Built by validation, so its parameters are always sane.
#[derive(Clone, Debug, PartialEq)]
pub enum Dist {
    /// Always the same value.
    Constant(Micros),
    /// Uniform over `[lo, hi]`.
    Uniform(Micros, Micros),
    /// Exponential with this mean (µs).
    Exponential(f64),
    /// Lognormal: `exp(mu + sigma · Z)`, in µs.
    LogNormal {
        /// Mean of the logarithm.
        mu: f64,
        /// Standard deviation of the logarithm.
        sigma: f64,
    },
    /// `|Normal(mean, sd)|`, in µs: a normal folded at zero, as in the AWS backoff simulator.
    FoldedNormal {
        /// Mean (µs).
        mean: f64,
        /// Standard deviation (µs).
        sd: f64,
    },
}

impl Dist {
    /// The lognormal with the given mean and 99th percentile, if one exists: it needs
    /// `mean < p99 <= mean · e^(Z99²/2)` (about 14.97 × the mean).
    ///
    /// ```
    /// use herdsim::sim::random::dist::Dist;
    /// let Some(Dist::LogNormal { mu, sigma }) = Dist::lognormal(10.0, 50.0) else { panic!() };
    /// assert!(((mu + sigma * sigma / 2.0).exp() - 10.0).abs() < 1e-9);
    /// assert!(((mu + 2.326_347_874_040_841 * sigma).exp() - 50.0).abs() < 1e-9);
    /// ```
    pub fn lognormal(mean: f64, p99: f64) -> Option<Dist> {
        // ln p99 - ln mean = Z·σ - σ²/2  →  σ = Z - sqrt(Z² - 2·ln(p99/mean)) (the smaller root)
        let gap = libm::log(p99 / mean);
        let disc = Z99 * Z99 - 2.0 * gap;
        if !(gap > 0.0 && disc >= 0.0 && mean > 0.0) {
            return None;
        }
        let sigma = Z99 - libm::sqrt(disc);
        Some(Dist::LogNormal {
            mu: libm::log(mean) - sigma * sigma / 2.0,
            sigma,
        })
    }

    /// The largest p99/mean ratio a lognormal can have.
    pub fn lognormal_max_ratio() -> f64 {
        libm::exp(Z99 * Z99 / 2.0)
    }

    /// One sample, rounded to whole microseconds.
    #[inline]
    pub fn sample(&self, rng: &mut Rng) -> Micros {
        let x = match *self {
            Dist::Constant(v) => return v,
            Dist::Uniform(lo, hi) => return rng.range_inclusive(lo, hi),
            Dist::Exponential(mean) => rng.exponential(mean),
            Dist::LogNormal { mu, sigma } => libm::exp(mu + sigma * rng.std_normal()),
            Dist::FoldedNormal { mean, sd } => (mean + sd * rng.std_normal()).abs(),
        };
        to_micros(x)
    }

    /// The mean, in µs.
    pub fn mean(&self) -> f64 {
        match *self {
            Dist::Constant(v) => v as f64,
            Dist::Uniform(lo, hi) => (lo as f64 + hi as f64) / 2.0,
            Dist::Exponential(m) => m,
            Dist::LogNormal { mu, sigma } => libm::exp(mu + sigma * sigma / 2.0),
            Dist::FoldedNormal { mean, sd } => {
                // E|X| for X ~ N(m, s²)
                let r = mean / sd;
                sd * (2.0 / std::f64::consts::PI).sqrt() * libm::exp(-r * r / 2.0)
                    + mean * libm::erf(r / std::f64::consts::SQRT_2)
            }
        }
    }
}

/// Round a non-negative float of microseconds to the nearest integer, clamped to
/// [`MAX_SAMPLE`]. (`x + 0.5` truncated: an exact IEEE operation everywhere, and inlined,
/// where `f64::round` is a call into the C library on baseline x86-64. It is truncated
/// as a signed integer, the same integer below 2^63: one instruction there, where the
/// unsigned conversion takes a dozen.)
#[inline]
pub fn to_micros(x: f64) -> Micros {
    if x.is_nan() || x <= 0.0 {
        0
    } else if x >= MAX_SAMPLE as f64 {
        MAX_SAMPLE
    } else {
        (x + 0.5) as i64 as Micros
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::random::rng::Entity;

    fn sample_mean(d: &Dist, n: usize) -> f64 {
        let mut r = Rng::stream(5, Entity::Client(0));
        (0..n).map(|_| d.sample(&mut r) as f64).sum::<f64>() / n as f64
    }

    #[test]
    fn sample_means_match_the_formula() {
        let dists = [
            Dist::Constant(1000),
            Dist::Uniform(100, 300),
            Dist::Exponential(5000.0),
            Dist::lognormal(10_000.0, 60_000.0).unwrap(),
            Dist::FoldedNormal {
                mean: 10_000.0,
                sd: 2_000.0,
            },
            Dist::FoldedNormal {
                mean: 0.0,
                sd: 1_000.0,
            },
        ];
        for d in &dists {
            let (got, want) = (sample_mean(d, 200_000), d.mean());
            assert!(
                (got - want).abs() / want < 0.02,
                "{d:?}: sample mean {got}, formula {want}"
            );
        }
    }

    #[test]
    fn lognormal_p99_is_as_asked() {
        let d = Dist::lognormal(10_000.0, 80_000.0).unwrap();
        let mut r = Rng::stream(1, Entity::Client(1));
        let mut v: Vec<Micros> = (0..100_000).map(|_| d.sample(&mut r)).collect();
        v.sort_unstable();
        let p99 = v[98_999] as f64;
        assert!((p99 / 80_000.0 - 1.0).abs() < 0.05, "p99 {p99}");
    }

    #[test]
    fn lognormal_rejects_impossible_shapes() {
        assert!(Dist::lognormal(10.0, 10.0).is_none());
        assert!(Dist::lognormal(10.0, 5.0).is_none());
        assert!(Dist::lognormal(10.0, 10.0 * Dist::lognormal_max_ratio() * 1.01).is_none());
        assert!(Dist::lognormal(10.0, 10.0 * Dist::lognormal_max_ratio() * 0.99).is_some());
    }

    #[test]
    fn to_micros_rounds_and_clamps() {
        assert_eq!(to_micros(-3.0), 0);
        assert_eq!(to_micros(f64::NAN), 0);
        assert_eq!(to_micros(2.5), 3);
        assert_eq!(to_micros(1e300), MAX_SAMPLE);
    }
}
