//! Ziggurat samplers (Marsaglia & Tsang 2000, "The Ziggurat Method for Generating Random
//! Variables") for the standard normal and the unit exponential: one 64-bit draw, a table
//! lookup and a multiply in about 99% of cases, where Box–Muller or inversion needs a
//! logarithm (and a cosine) every time. Network delays and service times are drawn on
//! almost every event, so this is most of the engine's floating-point cost.
//!
//! The 256-layer tables are built once from the published constants with the pure-Rust
//! `libm`, so they (and every draw) are bit-identical natively and in wasm.

use std::sync::OnceLock;

use super::unit;

/// Layers (the low 8 bits of a draw pick one).
const N: usize = 256;

/// The x coordinates of the layers' right edges (`x[0]` is the base layer's virtual width)
/// and the density at each.
struct Table {
    x: [f64; N + 1],
    f: [f64; N + 1],
}

impl Table {
    /// Layers of equal area `v` under a decreasing density `pdf` whose last right edge is
    /// `r`; `inverse(y)` is the x where the density is `y`.
    fn build(r: f64, v: f64, pdf: fn(f64) -> f64, inverse: fn(f64) -> f64) -> Table {
        let mut x = [0.0; N + 1];
        x[0] = v / pdf(r);
        x[1] = r;
        for i in 1..N - 1 {
            x[i + 1] = inverse(v / x[i] + pdf(x[i]));
        }
        x[N] = 0.0;
        let mut f = [0.0; N + 1];
        for i in 0..=N {
            f[i] = pdf(x[i]);
        }
        Table { x, f }
    }
}

fn normal_pdf(x: f64) -> f64 {
    libm::exp(-x * x / 2.0)
}

fn exp_pdf(x: f64) -> f64 {
    libm::exp(-x)
}

/// Normal: the tail starts at R; V is each layer's area (unnormalised density).
const NORM_R: f64 = 3.654_152_885_361_009;
const NORM_V: f64 = 0.004_928_673_233_99;
/// Exponential.
const EXP_R: f64 = 7.697_117_470_131_05;
const EXP_V: f64 = 0.003_949_659_822_581_557;

fn normal_table() -> &'static Table {
    static T: OnceLock<Table> = OnceLock::new();
    T.get_or_init(|| {
        Table::build(NORM_R, NORM_V, normal_pdf, |y| {
            libm::sqrt(-2.0 * libm::log(y))
        })
    })
}

fn exp_table() -> &'static Table {
    static T: OnceLock<Table> = OnceLock::new();
    T.get_or_init(|| Table::build(EXP_R, EXP_V, exp_pdf, |y| -libm::log(y)))
}

/// A standard normal draw.
#[inline]
pub fn normal(next: &mut impl FnMut() -> u64) -> f64 {
    let t = normal_table();
    loop {
        let bits = next();
        let i = (bits & 0xff) as usize;
        // the top 53 bits as a uniform in [-1, 1)
        let u = (bits >> 11) as f64 * (2.0 / (1u64 << 53) as f64) - 1.0;
        let x = u * t.x[i];
        if x.abs() < t.x[i + 1] {
            return x;
        }
        if i == 0 {
            // the tail beyond R (Marsaglia 1964)
            loop {
                let a = -libm::log(1.0 - unit(next())) / NORM_R;
                let b = -libm::log(1.0 - unit(next()));
                if 2.0 * b >= a * a {
                    return if u < 0.0 { -(NORM_R + a) } else { NORM_R + a };
                }
            }
        }
        if t.f[i + 1] + (t.f[i] - t.f[i + 1]) * unit(next()) < normal_pdf(x) {
            return x;
        }
    }
}

/// A unit-mean exponential draw.
#[inline]
pub fn exponential(next: &mut impl FnMut() -> u64) -> f64 {
    let t = exp_table();
    loop {
        let bits = next();
        let i = (bits & 0xff) as usize;
        let u = (bits >> 11) as f64 * (1.0 / (1u64 << 53) as f64);
        let x = u * t.x[i];
        if x < t.x[i + 1] {
            return x;
        }
        if i == 0 {
            // memoryless: the tail beyond R is R plus another unit exponential
            return EXP_R - libm::log(1.0 - unit(next()));
        }
        if t.f[i + 1] + (t.f[i] - t.f[i + 1]) * unit(next()) < exp_pdf(x) {
            return x;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::random::rng::{Entity, Rng};

    #[test]
    fn the_layers_close_at_zero_with_equal_areas() {
        for (t, v, r) in [
            (normal_table(), NORM_V, NORM_R),
            (exp_table(), EXP_V, EXP_R),
        ] {
            // the recurrence from R down lands (almost exactly) on x = 0 at the top layer
            assert!(
                t.x[N - 1] > 0.0 && t.x[N - 1] < 0.3,
                "top edge {}",
                t.x[N - 1]
            );
            assert!((t.x[N - 1] * (t.f[N] - t.f[N - 1]) - v).abs() < 1e-6 * v.max(1e-3) + 1e-9);
            assert_eq!(t.x[1], r);
            assert!(t.x.windows(2).all(|w| w[0] > w[1]), "edges decrease");
        }
    }

    /// Empirical CDF against the exact one at many points (a Kolmogorov–Smirnov distance).
    fn ks(mut draw: impl FnMut(&mut Rng) -> f64, cdf: impl Fn(f64) -> f64, points: &[f64]) -> f64 {
        let mut rng = Rng::stream(42, Entity::Client(9));
        let n = 400_000;
        let mut xs: Vec<f64> = (0..n).map(|_| draw(&mut rng)).collect();
        xs.sort_by(f64::total_cmp);
        points
            .iter()
            .map(|&p| {
                let below = xs.partition_point(|&x| x < p) as f64 / n as f64;
                (below - cdf(p)).abs()
            })
            .fold(0.0, f64::max)
    }

    #[test]
    fn normal_draws_follow_the_normal_cdf_including_the_tails() {
        let points: Vec<f64> = (-45..=45).map(|k| k as f64 / 10.0).collect();
        let phi = |x: f64| 0.5 * (1.0 + libm::erf(x / std::f64::consts::SQRT_2));
        // 1.36/sqrt(n) is the 5% critical value of the KS statistic
        assert!(
            ks(|r: &mut Rng| normal(&mut || r.next_u64()), phi, &points) < 1.36 / 400_000f64.sqrt()
        );
        let mut rng = Rng::stream(1, Entity::Service(0));
        let beyond = (0..2_000_000)
            .filter(|_| normal(&mut || rng.next_u64()).abs() > 3.0)
            .count() as f64
            / 2e6;
        assert!((beyond - 0.0026998).abs() < 0.0003, "P(|Z| > 3) = {beyond}");
    }

    #[test]
    fn exponential_draws_follow_the_exponential_cdf_including_the_tail() {
        let points: Vec<f64> = (0..=100).map(|k| k as f64 / 10.0).collect();
        assert!(
            ks(
                |r: &mut Rng| exponential(&mut || r.next_u64()),
                |x| 1.0 - libm::exp(-x),
                &points
            ) < 1.36 / 400_000f64.sqrt()
        );
        let mut rng = Rng::stream(2, Entity::Service(0));
        let beyond = (0..2_000_000)
            .filter(|_| exponential(&mut || rng.next_u64()) > 8.0)
            .count() as f64
            / 2e6;
        assert!(
            (beyond - libm::exp(-8.0)).abs() < 0.0001,
            "P(X > 8) = {beyond}"
        );
    }
}
