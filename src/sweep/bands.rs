//! A scenario's time series over many seeds ("run 20 seeds"): each chart's lines as the
//! median per time bucket, with the p10–p90 band, so a presenter shows what the policy
//! does rather than what one seed happened to do.
//!
//! Runs of one scenario may bucket differently (an automatic width grows with the run,
//! and a drained run ends when its last request does): every run is put on the coarsest
//! width among them first (widths are multiples of one another, 1, 5, 10, 50 ms, …), and a
//! bucket's quantiles are over the runs that reached it. A fine `bucket_ms` is
//! [thinned](thin) to a chart's resolution first.
//!
//! ```
//! use herdsim::sim::{scenario::presets, Sim};
//! use herdsim::sweep::bands::{Bands, GROUPS};
//!
//! let mut cfg = presets::config("herd-full-jitter").unwrap();
//! cfg.clients.count = 50;
//! let sc = cfg.validate().unwrap();
//! let series: Vec<_> = (1..=5).map(|seed| {
//!     let mut sim = Sim::new(&sc, seed);
//!     sim.run();
//!     sim.record().series
//! }).collect();
//! let bands = Bands::of(&series);
//! let first = &bands.lines[0]; // first attempts a second
//! let sent: f64 = first.median.iter().map(|v| v * bands.width_s).sum();
//! assert!(sent > 0.0 && first.p10.iter().zip(&first.p90).all(|(a, b)| a <= b));
//! assert_eq!(bands.lines.len(), GROUPS.iter().map(|g| g.lines.len()).sum::<usize>());
//! ```

use crate::sim::output::metrics::{Bucket, Series};
use crate::sim::Micros;
use crate::sweep::percentile;

/// A line of a chart: its name and its value in a bucket `width` µs wide.
#[derive(Clone, Copy, Debug)]
pub struct Line {
    /// As the chart's legend names it.
    pub name: &'static str,
    /// Its value in a bucket.
    pub of: fn(&Bucket, Micros) -> f64,
}

/// A chart of lines.
#[derive(Clone, Copy, Debug)]
pub struct Group {
    /// The chart's title (the single-run chart's).
    pub title: &'static str,
    /// The y axis.
    pub unit: &'static str,
    /// Its lines.
    pub lines: &'static [Line],
}

fn per_s(n: u64, w: Micros) -> f64 {
    n as f64 * 1e6 / w as f64
}

/// The charts "run 20 seeds" draws: the single run's arrivals, outcomes and gauges.
pub const GROUPS: [Group; 3] = [
    Group {
        title: "Arrivals at the service",
        unit: "attempts / s",
        lines: &[
            Line {
                name: "first attempts",
                of: |b, w| per_s(b.first_attempts, w),
            },
            Line {
                name: "retries",
                of: |b, w| per_s(b.retries, w),
            },
        ],
    },
    Group {
        title: "Outcomes of attempts",
        unit: "attempts / s",
        lines: &[
            Line {
                name: "success",
                of: |b, w| per_s(b.success, w),
            },
            Line {
                name: "failed (any way)",
                of: |b, w| per_s(b.outcomes() - b.success, w),
            },
        ],
    },
    Group {
        title: "Requests in flight and queue",
        unit: "count",
        lines: &[
            Line {
                name: "in flight",
                of: |b, w| b.in_flight_area as f64 / w as f64,
            },
            Line {
                name: "queue length",
                of: |b, w| b.queue_area as f64 / w as f64,
            },
        ],
    },
];

/// One line over the seeds: per bucket, the median and the p10–p90 band.
#[derive(Clone, Debug, PartialEq)]
pub struct Band {
    /// The line's name.
    pub name: &'static str,
    /// Median per bucket.
    pub median: Vec<f64>,
    /// 10th percentile per bucket.
    pub p10: Vec<f64>,
    /// 90th percentile per bucket.
    pub p90: Vec<f64>,
    /// Runs that reached each bucket.
    pub runs: Vec<usize>,
}

/// Every line of [`GROUPS`], in order, over the seeds.
#[derive(Clone, Debug, PartialEq)]
pub struct Bands {
    /// Bucket width (s); bucket `i` starts at `i · width_s`.
    pub width_s: f64,
    /// How many runs.
    pub seeds: usize,
    /// The lines.
    pub lines: Vec<Band>,
}

/// Most buckets a line keeps: a chart's resolution, whatever the scenario's `bucket_ms`.
pub const MAX_BUCKETS: usize = 600;

/// A run's series as the bands need it: at most [`MAX_BUCKETS`] over the scenario's
/// `duration`, adjacent buckets summed (by the same factor for every run of the scenario,
/// so that they line up), so that K seeds of a fine `bucket_ms` stay small to send and
/// to hold.
pub fn thin(s: Series, duration: Micros) -> Series {
    let per = s.width.max(1).saturating_mul(MAX_BUCKETS as Micros);
    let k = duration.div_ceil(per).max(1);
    if k == 1 {
        return s;
    }
    let mut out = Series::new(Some(s.width.saturating_mul(k)));
    out.buckets = coarsen(&s, out.width);
    out
}

/// `s`'s buckets summed into buckets `w` µs wide (a multiple of its own width).
fn coarsen(s: &Series, w: Micros) -> Vec<Bucket> {
    let k = (w / s.width.max(1)).max(1) as usize;
    (s.buckets.chunks(k))
        .map(|c| {
            let mut b = Bucket::default();
            for x in c {
                b.merge(x);
            }
            b
        })
        .collect()
}

impl Bands {
    /// The bands of runs whose series are `series`.
    pub fn of(series: &[Series]) -> Bands {
        let w = series.iter().map(|s| s.width).max().unwrap_or(1).max(1);
        let runs: Vec<Vec<Bucket>> = series.iter().map(|s| coarsen(s, w)).collect();
        let n = runs.iter().map(Vec::len).max().unwrap_or(0);
        let lines = (GROUPS.iter().flat_map(|g| g.lines))
            .map(|line| {
                let mut band = Band {
                    name: line.name,
                    median: Vec::with_capacity(n),
                    p10: Vec::with_capacity(n),
                    p90: Vec::with_capacity(n),
                    runs: Vec::with_capacity(n),
                };
                for i in 0..n {
                    let mut v: Vec<f64> = (runs.iter())
                        .filter_map(|r| r.get(i).map(|b| (line.of)(b, w)))
                        .collect();
                    v.sort_by(f64::total_cmp);
                    let q = |p| percentile(&v, p).unwrap_or(0.0);
                    band.median.push(q(0.5));
                    band.p10.push(q(0.1));
                    band.p90.push(q(0.9));
                    band.runs.push(v.len());
                }
                band
            })
            .collect();
        Bands {
            width_s: w as f64 / 1e6,
            seeds: series.len(),
            lines,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{scenario::presets, Sim};

    #[test]
    fn a_fine_bucket_is_thinned_to_a_charts_resolution_and_keeps_its_counts() {
        let mut cfg = presets::config("retry-storm").unwrap();
        cfg.clients.count = 100;
        cfg.bucket_ms = Some(1.0);
        let sc = cfg.validate().unwrap();
        let runs: Vec<Series> = (1..=3)
            .map(|seed| {
                let mut sim = Sim::new(&sc, seed);
                sim.run();
                sim.series()
            })
            .collect();
        assert!(runs[0].buckets.len() > 10 * MAX_BUCKETS);
        let thinned: Vec<Series> = runs
            .iter()
            .map(|s| thin(s.clone(), sc.duration()))
            .collect();
        for (s, t) in runs.iter().zip(&thinned) {
            assert!(t.buckets.len() <= MAX_BUCKETS, "{}", t.buckets.len());
            assert_eq!(t.width, thinned[0].width, "one width for every seed");
            let sum = |s: &Series, f: fn(&Bucket) -> u64| s.buckets.iter().map(f).sum::<u64>();
            assert_eq!(sum(s, |b| b.retries), sum(t, |b| b.retries));
            assert_eq!(sum(s, |b| b.in_flight_area), sum(t, |b| b.in_flight_area));
        }
        // the bands of the thinned runs: a chart's resolution
        let bands = Bands::of(&thinned);
        assert!(bands.lines.iter().all(|l| l.median.len() <= MAX_BUCKETS));
        assert!((bands.width_s - thinned[0].width_s()).abs() < 1e-12);
        // a series already coarse enough is left as it is
        let auto = presets::config("retry-storm").unwrap().validate().unwrap();
        let mut sim = Sim::new(&auto, 1);
        sim.run();
        let s = sim.series();
        assert_eq!(thin(s.clone(), auto.duration()), s);
    }
}
