//! Time-bucketed series: counters per bucket and time-averaged gauges.
//!
//! With an automatic width the series starts at 1 ms buckets and coarsens (×5, ×2, ×5, …:
//! 1, 5, 10, 50, 100, 500 ms, 1 s, 5 s, …) whenever the run outgrows [`AUTO_BUCKETS`], so a
//! run that ends after 2 s and one that lasts an hour both get a few hundred buckets.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::sim::output::outcome::Outcome;
use crate::sim::Micros;

/// Most buckets an automatic series keeps.
pub const AUTO_BUCKETS: usize = 600;

/// Counts for one bucket. Attempt counts are at the service (arrivals) or at the client
/// (outcomes); request counts are logical requests; `*_area` are gauge integrals (value·µs).
/// A service's own series counts its arrivals, the outcomes of calls to it, its queue and
/// workers, its breakers and budget; the run's series adds up the services' and counts
/// requests, requests in flight and breakers that guard every service.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Bucket {
    /// First attempts arriving at the service.
    pub first_attempts: u64,
    /// Retries arriving at the service.
    pub retries: u64,
    /// Attempts that succeeded (as seen by the client).
    pub success: u64,
    /// Attempts that timed out.
    pub timeout: u64,
    /// Attempts answered with an error.
    pub error: u64,
    /// Attempts rejected by a full queue.
    pub rejected: u64,
    /// Attempts refused (service down).
    pub refused: u64,
    /// Calls rejected by the client's circuit breaker (never sent).
    pub short_circuited: u64,
    /// Attempts rejected locally by adaptive throttling (never sent).
    pub throttled: u64,
    /// Retries a retry budget refused.
    pub budget_denied: u64,
    /// Breakers that opened.
    pub breakers_opened: u64,
    /// Logical requests started.
    pub started: u64,
    /// Logical requests that succeeded.
    pub succeeded: u64,
    /// Logical requests that failed.
    pub failed: u64,
    /// ∫ queue length dt.
    pub queue_area: u64,
    /// ∫ busy workers dt.
    pub busy_area: u64,
    /// ∫ requests in flight dt.
    pub in_flight_area: u64,
    /// ∫ open breakers dt.
    pub open_area: u64,
    /// ∫ half-open breakers dt.
    pub half_open_area: u64,
    /// ∫ budget level dt, summed over the budgets (in the budget's unit).
    pub budget_area: f64,
}

impl Bucket {
    /// Attempts that ended in this bucket, any outcome (calls rejected on the client side
    /// included: they are failures the client sees).
    pub fn outcomes(&self) -> u64 {
        Outcome::ALL.iter().map(|&o| self.count(o)).sum()
    }

    /// The count of attempts that ended with `o`.
    pub fn count(&self, o: Outcome) -> u64 {
        let mut b = *self;
        *b.count_mut(o)
    }

    /// The counter of attempts that ended with `o`: the one outcome → counter mapping.
    pub fn count_mut(&mut self, o: Outcome) -> &mut u64 {
        match o {
            Outcome::Success => &mut self.success,
            Outcome::Timeout => &mut self.timeout,
            Outcome::Error => &mut self.error,
            Outcome::Rejected => &mut self.rejected,
            Outcome::Refused => &mut self.refused,
            Outcome::ShortCircuit => &mut self.short_circuited,
            Outcome::Throttled => &mut self.throttled,
        }
    }

    /// Add `o` to this bucket.
    pub fn merge(&mut self, o: &Bucket) {
        self.first_attempts += o.first_attempts;
        self.retries += o.retries;
        self.success += o.success;
        self.timeout += o.timeout;
        self.error += o.error;
        self.rejected += o.rejected;
        self.refused += o.refused;
        self.short_circuited += o.short_circuited;
        self.throttled += o.throttled;
        self.budget_denied += o.budget_denied;
        self.breakers_opened += o.breakers_opened;
        self.started += o.started;
        self.succeeded += o.succeeded;
        self.failed += o.failed;
        self.queue_area += o.queue_area;
        self.busy_area += o.busy_area;
        self.in_flight_area += o.in_flight_area;
        self.open_area += o.open_area;
        self.half_open_area += o.half_open_area;
        self.budget_area += o.budget_area;
    }
}

/// A series of equal-width buckets from time 0.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Series {
    /// Bucket width (µs).
    pub width: Micros,
    /// Buckets; bucket `i` covers `[i·width, (i+1)·width)`.
    pub buckets: Vec<Bucket>,
    #[serde(skip)]
    auto: bool,
    /// The last bucket used, `(start, end, index)`: time moves forward, so it is nearly
    /// always the next one asked for, and a hit saves a 64-bit division.
    #[serde(skip)]
    cur: (Micros, Micros, usize),
}

impl PartialEq for Series {
    fn eq(&self, other: &Self) -> bool {
        self.width == other.width && self.buckets == other.buckets
    }
}

impl Series {
    /// A series of fixed `width`, or automatic if `None`.
    pub fn new(width: Option<Micros>) -> Series {
        Series {
            width: width.unwrap_or(1000).max(1),
            buckets: Vec::new(),
            auto: width.is_none(),
            cur: (0, 0, 0),
        }
    }

    /// The bucket holding time `t` (created, or the series coarsened, as needed).
    #[inline]
    pub fn at(&mut self, t: Micros) -> &mut Bucket {
        let (lo, hi, i) = self.cur;
        if lo <= t && t < hi {
            return &mut self.buckets[i];
        }
        self.locate(t)
    }

    #[cold]
    fn locate(&mut self, t: Micros) -> &mut Bucket {
        // most often the bucket after the last one (no division: dozens of cycles)
        let (_, hi, last) = self.cur;
        let mut i = if hi > 0 && t >= hi && t - hi < self.width {
            last + 1
        } else {
            (t / self.width) as usize
        };
        if i >= self.buckets.len() {
            while self.auto && i >= AUTO_BUCKETS {
                self.coarsen();
                i = (t / self.width) as usize;
            }
            if self.auto && self.buckets.capacity() < AUTO_BUCKETS {
                // an automatic series never holds more: one allocation of the final size
                // rather than doubling past it
                self.buckets
                    .reserve_exact(AUTO_BUCKETS - self.buckets.len());
            }
            self.buckets.resize(i + 1, Bucket::default());
        }
        let lo = i as Micros * self.width;
        self.cur = (lo, lo + self.width, i);
        &mut self.buckets[i]
    }

    /// The buckets from the one holding `t` to the one holding `end - 1` (`t < end`),
    /// created as needed, or only to the last one this width allows when the series must
    /// coarsen before `end`; with the end of the first one and the width.
    fn span(&mut self, t: Micros, end: Micros) -> (Micros, Micros, &mut [Bucket]) {
        self.at(t);
        let (_, first_end, first) = self.cur;
        if end <= first_end {
            // most often: within one bucket
            return (first_end, self.width, &mut self.buckets[first..=first]);
        }
        let mut last = ((end - 1) / self.width) as usize;
        if self.auto {
            last = last.min(AUTO_BUCKETS - 1);
        }
        if last >= self.buckets.len() {
            self.buckets.resize(last + 1, Bucket::default());
        }
        (first_end, self.width, &mut self.buckets[first..=last])
    }

    fn coarsen(&mut self) {
        let mut lead = self.width;
        while lead >= 10 {
            lead /= 10;
        }
        let k = if lead == 1 { 5 } else { 2 };
        self.width *= k;
        self.cur = (0, 0, 0);
        // in place (bucket j is written after the k it merges have been read, all at or
        // after j), so an automatic series keeps its one allocation for the whole run
        let (k, n) = (k as usize, self.buckets.len());
        for j in 0..n.div_ceil(k) {
            let mut b = Bucket::default();
            self.buckets[j * k..n.min(j * k + k)]
                .iter()
                .for_each(|x| b.merge(x));
            self.buckets[j] = b;
        }
        self.buckets.truncate(n.div_ceil(k));
    }

    /// Make the series cover the run up to its end at `t` (exclusive), so that series of
    /// one run share a width.
    pub fn cover(&mut self, t: Micros) {
        self.at(t.saturating_sub(1));
    }

    /// Coarsen an automatic series until its buckets are at least `width` wide (on the
    /// same 1-5-10 ladder, so exactly `width` when that is on it).
    pub fn coarsen_to(&mut self, width: Micros) {
        while self.auto && self.width < width {
            self.coarsen();
        }
    }

    /// Add `other` bucket by bucket (coarsening whichever is finer to the other's width).
    pub fn absorb(&mut self, other: &Series) {
        if other.width < self.width && other.auto {
            // a copy only when it must be coarsened (a run's series share their width)
            let mut other = other.clone();
            other.coarsen_to(self.width);
            return self.absorb(&other);
        }
        self.coarsen_to(other.width);
        if other.width != self.width {
            return;
        }
        if self.buckets.len() < other.buckets.len() {
            self.buckets.resize(other.buckets.len(), Bucket::default());
        }
        for (a, b) in self.buckets.iter_mut().zip(&other.buckets) {
            a.merge(b);
        }
    }

    /// Width in seconds.
    pub fn width_s(&self) -> f64 {
        self.width as f64 / 1e6
    }

    /// The time series as CSV: one row per bucket, counts per bucket and time-averaged
    /// gauges, the columns of [`COLUMNS`] that the run's series shows.
    pub fn to_csv(&self) -> String {
        let run: Vec<&Column> = COLUMNS.iter().filter(|c| c.in_run).collect();
        let mut out = String::from("t_ms,width_ms");
        for c in &run {
            out.push(',');
            out += c.name;
        }
        out.push('\n');
        let w = self.width as f64;
        for (i, b) in self.buckets.iter().enumerate() {
            let _ = write!(out, "{},{}", self.start_ms(i), w / 1000.0);
            for c in &run {
                out.push(',');
                c.write(&mut out, b, w);
            }
            out.push('\n');
        }
        out
    }

    /// Start of bucket `i` in milliseconds.
    pub fn start_ms(&self, i: usize) -> f64 {
        (i as u64 * self.width) as f64 / 1000.0
    }
}

/// One CSV column: its name and its value in a bucket (counts as they are, gauges as
/// time averages over the bucket's width). The one table every CSV export reads.
pub struct Column {
    /// Header name.
    pub name: &'static str,
    /// Shown in the run's series.
    pub in_run: bool,
    /// Shown per service (as `<service>.<name>`) when there are several.
    pub per_service: bool,
    value: fn(&Bucket) -> Cell,
}

enum Cell {
    Count(u64),
    Area(f64),
}

impl Column {
    /// Append this column's value in bucket `b` of width `w` µs.
    pub fn write(&self, out: &mut String, b: &Bucket, w: f64) {
        let _ = match (self.value)(b) {
            Cell::Count(n) => write!(out, "{n}"),
            Cell::Area(a) => write!(out, "{:.3}", a / w),
        };
    }
}

const fn col(
    name: &'static str,
    in_run: bool,
    per_service: bool,
    value: fn(&Bucket) -> Cell,
) -> Column {
    Column {
        name,
        in_run,
        per_service,
        value,
    }
}

/// Every CSV column, in order.
pub const COLUMNS: &[Column] = &[
    col("first_attempts", true, false, |b| {
        Cell::Count(b.first_attempts)
    }),
    col("retries", true, false, |b| Cell::Count(b.retries)),
    col("arrivals", false, true, |b| {
        Cell::Count(b.first_attempts + b.retries)
    }),
    col("success", true, true, |b| Cell::Count(b.success)),
    col("failures", false, true, |b| {
        Cell::Count(b.outcomes() - b.success)
    }),
    col("timeout", true, false, |b| Cell::Count(b.timeout)),
    col("error", true, false, |b| Cell::Count(b.error)),
    col("rejected", true, false, |b| Cell::Count(b.rejected)),
    col("refused", true, false, |b| Cell::Count(b.refused)),
    col("requests_started", true, false, |b| Cell::Count(b.started)),
    col("requests_succeeded", true, false, |b| {
        Cell::Count(b.succeeded)
    }),
    col("requests_failed", true, false, |b| Cell::Count(b.failed)),
    col("queue_len", true, false, |b| {
        Cell::Area(b.queue_area as f64)
    }),
    col("busy_workers", true, false, |b| {
        Cell::Area(b.busy_area as f64)
    }),
    col("in_flight", true, false, |b| {
        Cell::Area(b.in_flight_area as f64)
    }),
    col("short_circuited", true, true, |b| {
        Cell::Count(b.short_circuited)
    }),
    col("throttled", true, false, |b| Cell::Count(b.throttled)),
    col("budget_denied", true, false, |b| {
        Cell::Count(b.budget_denied)
    }),
    col("breakers_opened", true, false, |b| {
        Cell::Count(b.breakers_opened)
    }),
    col("breakers_open", true, true, |b| {
        Cell::Area(b.open_area as f64)
    }),
    col("breakers_half_open", true, false, |b| {
        Cell::Area(b.half_open_area as f64)
    }),
    col("budget_level", true, true, |b| Cell::Area(b.budget_area)),
];

/// Gauges integrated over time into a series.
#[derive(Clone, Debug, Default)]
pub struct Gauges {
    /// Attempts waiting in the service queue.
    pub queue: u64,
    /// Busy workers.
    pub busy: u64,
    /// Logical requests in flight.
    pub in_flight: u64,
    /// Open breakers.
    pub open: u64,
    /// Half-open breakers.
    pub half_open: u64,
    /// Budget level, summed over budgets.
    pub budget: f64,
    last: Micros,
}

impl Gauges {
    /// Credit the current values for the time since the last call; call before changing them.
    #[inline]
    pub fn advance(&mut self, series: &mut Series, now: Micros) {
        if now <= self.last {
            return;
        }
        if self.queue == 0
            && self.busy == 0
            && self.in_flight == 0
            && self.open == 0
            && self.half_open == 0
            && self.budget == 0.0
        {
            self.last = now;
            return;
        }
        // bucket by bucket, as many at once as the series' width allows
        let mut t = self.last;
        while t < now {
            let (mut edge, width, buckets) = series.span(t, now);
            for bucket in buckets {
                let end = edge.min(now);
                let dt = end - t;
                bucket.queue_area += self.queue * dt;
                bucket.busy_area += self.busy * dt;
                bucket.in_flight_area += self.in_flight * dt;
                bucket.open_area += self.open * dt;
                bucket.half_open_area += self.half_open * dt;
                if self.budget != 0.0 {
                    // adding a zero would change nothing (an area is never −0.0)
                    bucket.budget_area += self.budget * dt as f64;
                }
                t = end;
                edge += width;
            }
        }
        self.last = now;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_series_coarsens_by_five_then_two_and_keeps_totals() {
        let mut s = Series::new(None);
        let mut total = 0;
        for t in (0..3_600_000_000u64).step_by(777_777) {
            s.at(t).first_attempts += 1;
            total += 1;
        }
        assert!(s.buckets.len() <= AUTO_BUCKETS);
        assert_eq!(
            s.buckets.iter().map(|b| b.first_attempts).sum::<u64>(),
            total
        );
        let mut w = s.width;
        while w % 10 == 0 {
            w /= 10;
        }
        assert!(
            w == 1 || w == 5,
            "width {} is on the 1-5-10 ladder",
            s.width
        );
        assert_eq!(
            s.width, 10_000_000,
            "an hour in ≤600 buckets needs 10 s buckets"
        );
    }

    #[test]
    fn gauge_areas_split_across_bucket_edges() {
        let mut s = Series::new(Some(1000));
        let mut g = Gauges::default();
        g.advance(&mut s, 500);
        g.queue = 2;
        g.busy = 1;
        g.advance(&mut s, 2_500); // 2 × 2000 µs of queue, split 500 / 1000 / 500
        assert_eq!(
            s.buckets.iter().map(|b| b.queue_area).collect::<Vec<_>>(),
            vec![1000, 2000, 1000]
        );
        assert_eq!(s.buckets.iter().map(|b| b.busy_area).sum::<u64>(), 2000);
    }
}
