//! A metric over the seeds of one point: mean, min, max, p10 and p90.
//!
//! - A seed whose run has no value for the metric (`null` in its summary: never recovered,
//!   no fault, none failed) is **left out** of all five figures, which are taken over the
//!   seeds that have one; [`Stats::count`] says how many did. With none, every figure is
//!   `None` (`null` in JSON, an empty CSV cell): never NaN. This is what `herdsim run
//!   --runs K` does with its mean, min and max.
//! - The mean is the sum in seed order divided by the count (the same arithmetic as
//!   `--runs`, so the same figure to the last bit).
//! - Percentiles interpolate linearly between the two nearest ranks ([`percentile`]: R's
//!   type 7, numpy's default): for sorted values x₀ ≤ … ≤ xₙ₋₁ and h = (n − 1)·p, the
//!   percentile is x⌊h⌋ + (h − ⌊h⌋)(x⌊h⌋₊₁ − x⌊h⌋). p10 of 1, 2, 3, 4, 5 is 1.4; of a
//!   single value, that value.

/// Mean, min, max, p10 and p90 of one metric over one point's seeds.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Stats {
    /// Seeds that had a value (the others are left out of every figure).
    pub count: usize,
    /// The mean of those values.
    pub mean: Option<f64>,
    /// The smallest.
    pub min: Option<f64>,
    /// The largest.
    pub max: Option<f64>,
    /// The 10th percentile (see [`percentile`]).
    pub p10: Option<f64>,
    /// The 90th percentile.
    pub p90: Option<f64>,
}

impl Stats {
    /// The figures of `values`, one per seed in seed order, `None` where a run had no value.
    ///
    /// ```
    /// use herdsim::sweep::Stats;
    /// let s = Stats::of(&[Some(3.0), None, Some(1.0), Some(2.0)]);
    /// assert_eq!((s.count, s.mean, s.min, s.max), (3, Some(2.0), Some(1.0), Some(3.0)));
    /// assert_eq!(Stats::of(&[None, None]).mean, None);
    /// ```
    pub fn of(values: &[Option<f64>]) -> Stats {
        let mut xs: Vec<f64> = values.iter().flatten().copied().collect();
        if xs.is_empty() {
            return Stats::default();
        }
        let mean = xs.iter().sum::<f64>() / xs.len() as f64;
        xs.sort_by(f64::total_cmp);
        Stats {
            count: xs.len(),
            mean: Some(mean),
            min: xs.first().copied(),
            max: xs.last().copied(),
            p10: percentile(&xs, 0.1),
            p90: percentile(&xs, 0.9),
        }
    }

    /// The figures by their names in the output (`mean`, `min`, `max`, `p10`, `p90`).
    pub fn figures(&self) -> [(&'static str, Option<f64>); 5] {
        [
            ("mean", self.mean),
            ("min", self.min),
            ("max", self.max),
            ("p10", self.p10),
            ("p90", self.p90),
        ]
    }
}

/// The `p` quantile (0 ≤ p ≤ 1) of `sorted` (ascending), interpolated linearly between the
/// nearest ranks (see the module's notes); `None` for no values.
///
/// ```
/// use herdsim::sweep::percentile;
/// let xs = [1.0, 2.0, 3.0, 4.0, 5.0];
/// assert_eq!(percentile(&xs, 0.1), Some(1.4));
/// assert_eq!(percentile(&xs, 0.5), Some(3.0));
/// ```
pub fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let h = last as f64 * p.clamp(0.0, 1.0);
    let i = (h.floor() as usize).min(last);
    let frac = h - i as f64;
    let lo = sorted[i];
    Some(match sorted.get(i + 1) {
        Some(&hi) if frac > 0.0 => lo + frac * (hi - lo),
        _ => lo,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-12)
    }

    #[test]
    fn percentiles_interpolate_between_the_nearest_ranks() {
        // by hand: h = (n - 1) p
        let xs = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert!(close(percentile(&xs, 0.1), 1.4)); // h 0.4
        assert!(close(percentile(&xs, 0.9), 4.6)); // h 3.6
        assert_eq!(percentile(&xs, 0.0), Some(1.0));
        assert_eq!(percentile(&xs, 1.0), Some(5.0));
        let ys = [10.0, 20.0, 40.0, 80.0];
        assert!(close(percentile(&ys, 0.1), 13.0)); // h 0.3: 10 + 0.3 × 10
        assert!(close(percentile(&ys, 0.9), 68.0)); // h 2.7: 40 + 0.7 × 40
        let ten: Vec<f64> = (1..=10).map(f64::from).collect();
        assert!(close(percentile(&ten, 0.1), 1.9)); // h 0.9
        assert!(close(percentile(&ten, 0.9), 9.1)); // h 8.1
        assert_eq!(percentile(&[7.0], 0.1), Some(7.0));
        assert_eq!(percentile(&[7.0], 0.9), Some(7.0));
        assert_eq!(percentile(&[], 0.5), None);
        assert_eq!(percentile(&[2.0, 2.0, 2.0], 0.9), Some(2.0));
    }

    #[test]
    fn stats_leave_out_missing_values_and_count_the_rest() {
        let s = Stats::of(&[
            Some(5.0),
            None,
            Some(1.0),
            Some(3.0),
            None,
            Some(2.0),
            Some(4.0),
        ]);
        assert_eq!(s.count, 5);
        assert_eq!(s.mean, Some(3.0));
        assert_eq!((s.min, s.max), (Some(1.0), Some(5.0)));
        assert!(close(s.p10, 1.4) && close(s.p90, 4.6));
        let none = Stats::of(&[None, None, None]);
        assert_eq!(none, Stats::default());
        assert!(none.figures().iter().all(|(_, v)| v.is_none()));
        let one = Stats::of(&[Some(0.25)]);
        assert_eq!(
            one.figures().map(|(_, v)| v),
            [Some(0.25); 5],
            "one seed: every figure is its value"
        );
        // the mean is the sum in seed order over the count, as --runs takes it
        let xs = [0.1, 0.2, 0.3];
        let s = Stats::of(&xs.map(Some));
        assert_eq!(s.mean, Some((0.1 + 0.2 + 0.3) / 3.0));
    }
}
