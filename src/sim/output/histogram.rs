//! A log-linear histogram of durations (µs), HDR-style: exact below 128 µs, then 64
//! sub-buckets per power of two, so any quantile is within 1.6% of the true value.
//! Count, sum, min and max are exact.

use serde::{Deserialize, Serialize};

use crate::sim::Micros;

const LINEAR: u64 = 128;
const SUB_BITS: u32 = 6;
const SUBS: usize = 1 << SUB_BITS;
/// Buckets needed for every `u64` (the counts grow up to the highest one used).
#[cfg(test)]
const BUCKETS: usize = LINEAR as usize + (64 - 7) * SUBS;

/// Durations recorded one by one; quantiles and a CDF read back.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Histogram {
    /// Counts per bucket, up to the highest bucket recorded (the vector grows on demand:
    /// most runs touch a few hundred of the 3,776 buckets).
    counts: Vec<u64>,
    count: u64,
    sum: u128,
    min: Micros,
    max: Micros,
}

impl Default for Histogram {
    fn default() -> Self {
        Histogram {
            counts: Vec::new(),
            count: 0,
            sum: 0,
            min: Micros::MAX,
            max: 0,
        }
    }
}

#[inline]
fn index(v: u64) -> usize {
    if v < LINEAR {
        return v as usize;
    }
    let e = 63 - v.leading_zeros(); // >= 7
    let sub = (v >> (e - SUB_BITS)) as usize - SUBS;
    LINEAR as usize + (e as usize - 7) * SUBS + sub
}

/// The smallest value that lands in bucket `i`, and the largest.
fn bounds(i: usize) -> (u64, u64) {
    if i < LINEAR as usize {
        return (i as u64, i as u64);
    }
    let j = i - LINEAR as usize;
    let e = (j / SUBS) as u32 + 7;
    let sub = (j % SUBS) as u64 + SUBS as u64;
    let lo = sub << (e - SUB_BITS);
    (lo, lo + ((1u64 << (e - SUB_BITS)) - 1))
}

/// The p50/p90/p99/max of a histogram, in milliseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Quantiles {
    /// Median.
    pub p50: Option<f64>,
    /// 90th percentile.
    pub p90: Option<f64>,
    /// 99th percentile.
    pub p99: Option<f64>,
    /// Largest value.
    pub max: Option<f64>,
}

impl Histogram {
    /// Record one value.
    #[inline]
    pub fn record(&mut self, v: Micros) {
        let i = index(v);
        if i >= self.counts.len() {
            self.counts.resize(i + 1, 0);
        }
        self.counts[i] += 1;
        self.count += 1;
        self.sum += u128::from(v);
        self.min = self.min.min(v);
        self.max = self.max.max(v);
    }

    /// Number of values.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Exact mean (µs), if any value.
    pub fn mean(&self) -> Option<f64> {
        (self.count > 0).then(|| self.sum as f64 / self.count as f64)
    }

    /// Exact largest value.
    pub fn max(&self) -> Option<Micros> {
        (self.count > 0).then_some(self.max)
    }

    /// The `q`-quantile (0 < q ≤ 1): the smallest recorded bucket holding at least
    /// `ceil(q · count)` values at or below it, reported at the bucket's midpoint and clamped
    /// to the exact min and max.
    ///
    /// ```
    /// use herdsim::sim::output::histogram::Histogram;
    /// let mut h = Histogram::default();
    /// for v in 1..=1000 { h.record(v * 1000); }
    /// let p50 = h.quantile(0.5).unwrap() as f64;
    /// assert!((p50 / 500_000.0 - 1.0).abs() < 0.016);
    /// ```
    pub fn quantile(&self, q: f64) -> Option<Micros> {
        if self.count == 0 {
            return None;
        }
        let rank = ((q * self.count as f64).ceil() as u64).clamp(1, self.count);
        let Some(i) = self.bucket_of_rank(rank) else {
            return Some(self.max);
        };
        let (lo, hi) = bounds(i);
        Some((lo + (hi - lo) / 2).clamp(self.min, self.max))
    }

    /// The smallest bucket with at least `rank` values (1 ≤ rank ≤ count) at or below it,
    /// found from whichever end is nearer: a tail quantile scans a few buckets from the
    /// top, not the whole run of buckets from zero. `None` only if the counts add up to
    /// less than `count` (a histogram read from bytes that do not hold together).
    fn bucket_of_rank(&self, rank: u64) -> Option<usize> {
        if rank <= self.count / 2 {
            let mut seen = 0;
            return self.counts.iter().position(|&c| {
                seen += c;
                seen >= rank
            });
        }
        // `above` holds the values in the buckets above `i`: bucket `i` has
        // `count − above` at or below it, so when that falls short of `rank` the bucket
        // above is the one
        let mut above = 0u64;
        for (i, &c) in self.counts.iter().enumerate().rev() {
            if self.count.saturating_sub(above) < rank {
                return Some(i + 1);
            }
            above = above.saturating_add(c);
        }
        (!self.counts.is_empty()).then_some(0)
    }

    /// p50, p90, p99 and max in milliseconds.
    pub fn quantiles_ms(&self) -> Quantiles {
        let ms = |v: Option<Micros>| v.map(|v| v as f64 / 1000.0);
        Quantiles {
            p50: ms(self.quantile(0.5)),
            p90: ms(self.quantile(0.9)),
            p99: ms(self.quantile(0.99)),
            max: ms(self.max()),
        }
    }

    /// The empirical CDF: `(upper bound of bucket in µs, fraction ≤ it)` for every
    /// non-empty bucket, in increasing order.
    pub fn cdf(&self) -> Vec<(Micros, f64)> {
        let mut out = Vec::new();
        let mut seen = 0;
        for (i, &c) in self.counts.iter().enumerate() {
            if c > 0 {
                seen += c;
                out.push((bounds(i).1.min(self.max), seen as f64 / self.count as f64));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_lands_in_a_bucket_that_contains_it() {
        let mut v = 1u64;
        let mut vals: Vec<u64> = (0..300).collect();
        while v < u64::MAX / 3 {
            vals.extend([v, v + 1, v * 3 / 2, v * 2 - 1]);
            v *= 2;
        }
        vals.push(u64::MAX);
        for v in vals {
            let i = index(v);
            let (lo, hi) = bounds(i);
            assert!(lo <= v && v <= hi, "{v} in bucket {i} = [{lo}, {hi}]");
            assert!(i < BUCKETS);
            if lo >= LINEAR {
                assert!((hi - lo) as f64 / lo as f64 <= 1.0 / 64.0);
            }
        }
    }

    #[test]
    fn quantiles_are_within_the_bucket_error() {
        let mut h = Histogram::default();
        let data: Vec<u64> = (0..100_000u64)
            .map(|i| (i * 7919) % 1_000_003 + 50)
            .collect();
        data.iter().for_each(|&v| h.record(v));
        let mut sorted = data.clone();
        sorted.sort_unstable();
        for q in [0.5, 0.9, 0.99, 0.999] {
            let exact = sorted[(q * data.len() as f64).ceil() as usize - 1] as f64;
            let got = h.quantile(q).unwrap() as f64;
            assert!(
                (got - exact).abs() / exact < 0.016,
                "q={q}: {got} vs {exact}"
            );
        }
        assert_eq!(h.max(), sorted.last().copied());
        let mean = data.iter().sum::<u64>() as f64 / data.len() as f64;
        assert_eq!(h.mean(), Some(mean));
        let cdf = h.cdf();
        assert_eq!(cdf.last().unwrap().1, 1.0);
        assert!(cdf.windows(2).all(|w| w[0].0 < w[1].0 && w[0].1 < w[1].1));
    }

    #[test]
    fn every_rank_is_found_from_either_end_as_by_a_scan_from_zero() {
        // uneven counts with gaps, and ranks on both sides of the middle
        let mut h = Histogram::default();
        for (i, v) in [0u64, 3, 3, 70, 900, 900, 900, 50_000, 7_000_000]
            .iter()
            .enumerate()
        {
            for _ in 0..=i {
                h.record(*v);
            }
        }
        for rank in 1..=h.count {
            let mut seen = 0;
            let want = h.counts.iter().position(|&c| {
                seen += c;
                seen >= rank
            });
            assert_eq!(h.bucket_of_rank(rank), want, "rank {rank}");
        }
    }

    #[test]
    fn empty_histogram_has_no_quantiles() {
        let h = Histogram::default();
        assert_eq!(h.quantiles_ms(), Quantiles::default());
        assert!(h.cdf().is_empty());
    }
}
