//! What the run looks like at the cursor: the counters a presenter reads out while the
//! cursor sweeps (requests in flight, queue, busy workers, each breaker group's states,
//! budget level, the share of attempts that succeeded in the last second). Read from the
//! bucketed series, so a value is the time average over the bucket under the cursor.

use crate::charts::guards;
use crate::sim::output::metrics::{Bucket, Series};
use crate::sim::{Micros, RunRecord};
use crate::units::{count, sig3};

/// The window of [`Counters::success_share`].
pub const LAST: Micros = 1_000_000;

/// Breakers of one group at the cursor (mean counts over the bucket, rounded).
#[derive(Clone, Debug, PartialEq)]
pub struct Breakers {
    /// The service ("all services" for breakers that guard every service).
    pub name: String,
    /// Closed.
    pub closed: u64,
    /// Half-open.
    pub half_open: u64,
    /// Open.
    pub open: u64,
}

/// The counters at one time.
#[derive(Clone, Debug, PartialEq)]
pub struct Counters {
    /// Requests in flight (mean over the bucket).
    pub in_flight: f64,
    /// Queue length (mean over the bucket).
    pub queue: f64,
    /// Busy workers (mean over the bucket).
    pub busy: f64,
    /// Breaker states per breaker group; empty without a breaker.
    pub breakers: Vec<Breakers>,
    /// Mean budget level of each service with a budget `(service, level)`, and its unit.
    pub budget: Option<(Vec<(String, f64)>, &'static str)>,
    /// Share of the attempts that ended in the last second before the cursor and
    /// succeeded; `None` when none ended.
    pub success_share: Option<f64>,
}

/// The bucket of `s` under `t` µs (the last one at or after the end).
fn bucket(s: &Series, t: Micros) -> Option<&Bucket> {
    let i = (t / s.width.max(1)) as usize;
    s.buckets.get(i.min(s.buckets.len().saturating_sub(1)))
}

/// The mean of an `∫ x dt` field over its bucket.
fn mean(area: u64, s: &Series) -> f64 {
    area as f64 / s.width.max(1) as f64
}

/// The counters of `rec` at `t` µs.
pub fn counters_at(rec: &RunRecord, t: Micros) -> Counters {
    let s = &rec.series;
    let b = bucket(s, t).copied().unwrap_or_default();
    let n = rec.breakers_per_group as f64;
    let breakers = guards::bands(rec)
        .into_iter()
        .map(|(name, s)| {
            let b = bucket(s, t).copied().unwrap_or_default();
            let open = mean(b.open_area, s).clamp(0.0, n).round();
            let half = mean(b.half_open_area, s).clamp(0.0, n - open).round();
            Breakers {
                name,
                closed: (n - open - half).max(0.0) as u64,
                half_open: half as u64,
                open: open as u64,
            }
        })
        .collect();
    let budget = (rec.budgets_per_service.0 > 0).then(|| {
        let per = rec.budgets_per_service.0 as f64;
        let levels = rec
            .scenario
            .services()
            .iter()
            .zip(&rec.services)
            .map(|(svc, s)| {
                let b = bucket(s, t).copied().unwrap_or_default();
                (
                    svc.name.clone(),
                    b.budget_area / s.width.max(1) as f64 / per,
                )
            })
            .collect();
        (levels, rec.budgets_per_service.1)
    });
    // the buckets that ended in the second before the cursor (the one under it included)
    let w = s.width.max(1);
    let last = (t / w) as usize;
    let first = (t.saturating_sub(LAST) / w) as usize;
    let (ok, ended) = s
        .buckets
        .iter()
        .enumerate()
        .skip(first)
        .take_while(|(i, _)| *i <= last)
        .fold((0u64, 0u64), |(ok, all), (_, b)| {
            (ok + b.success, all + b.outcomes())
        });
    Counters {
        in_flight: mean(b.in_flight_area, s),
        queue: mean(b.queue_area, s),
        busy: mean(b.busy_area, s),
        breakers,
        budget,
        success_share: (ended > 0).then(|| ok as f64 / ended as f64),
    }
}

impl Counters {
    /// The counters as short labelled texts (`("in flight", "2,000")`), in the order the
    /// page shows them.
    pub fn texts(&self) -> Vec<(String, String)> {
        let whole = |v: f64| count(v.round() as u64);
        let mut out = vec![
            ("in flight".to_string(), whole(self.in_flight)),
            ("queue".to_string(), whole(self.queue)),
            ("busy workers".to_string(), whole(self.busy)),
        ];
        let many = self.breakers.len() > 1;
        for b in &self.breakers {
            let label = if many {
                format!("{} breakers", b.name)
            } else {
                "breakers".to_string()
            };
            out.push((
                label,
                format!(
                    "{} closed · {} half-open · {} open",
                    count(b.closed),
                    count(b.half_open),
                    count(b.open)
                ),
            ));
        }
        if let Some((levels, unit)) = &self.budget {
            let many = levels.len() > 1;
            for (name, level) in levels {
                let label = if many {
                    format!("{name} budget")
                } else {
                    "budget".to_string()
                };
                out.push((label, format!("{} {unit}", sig3(*level))));
            }
        }
        out.push((
            "succeeded, last 1 s".to_string(),
            self.success_share
                .map_or("–".to_string(), |p| format!("{}%", sig3(p * 100.0))),
        ));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{scenario::presets, Sim};

    fn record(name: &str, clients: u32) -> RunRecord {
        let mut cfg = presets::config(name).unwrap();
        cfg.clients.count = clients;
        let mut sim = Sim::new(&cfg.validate().unwrap(), 1);
        sim.run();
        sim.record()
    }

    #[test]
    fn gauges_are_the_bucket_averages_of_a_hand_built_series() {
        let mut rec = record("herd-no-jitter", 50);
        let w = 100_000;
        let b = |in_flight: u64, success: u64, error: u64| Bucket {
            in_flight_area: in_flight * w,
            queue_area: 3 * w / 2,
            busy_area: 4 * w,
            success,
            error,
            ..Bucket::default()
        };
        rec.series = Series::new(Some(w));
        rec.series.buckets = (0..20).map(|i| b(i, 1, i % 2)).collect();
        let c = counters_at(&rec, 1_250_000);
        assert_eq!((c.in_flight, c.queue, c.busy), (12.0, 1.5, 4.0));
        // the second before 1.25 s: buckets 2..=12, 11 successes, 5 errors (odd i)
        assert_eq!(c.success_share, Some(11.0 / 16.0));
        // past the end: the last bucket
        assert_eq!(counters_at(&rec, 99_000_000).in_flight, 19.0);
        assert!(c.breakers.is_empty() && c.budget.is_none());
        assert_eq!(c.texts()[0], ("in flight".to_string(), "12".to_string()));
    }

    #[test]
    fn the_whole_herd_is_in_flight_in_the_middle_of_the_outage() {
        let rec = record("herd-no-jitter", 2_000);
        // down from 0 to 10 s: every client waits, nothing succeeds
        let c = counters_at(&rec, 5_000_000);
        assert_eq!(c.in_flight.round(), 2_000.0);
        // (between two waves nothing ends at all: no share to give)
        assert_eq!(c.success_share, None);
        assert_eq!(counters_at(&rec, 6_400_000).success_share, Some(0.0));
        assert_eq!((c.queue, c.busy), (0.0, 0.0));
        // back up, the service is busy with the waves
        let later = (100..600)
            .map(|k| counters_at(&rec, k * 100_000))
            .find(|c| c.busy > 0.0 && c.success_share.unwrap_or(0.0) > 0.0);
        assert!(later.is_some());
    }

    #[test]
    fn breakers_of_each_service_add_up_and_open_in_the_outage() {
        let rec = record("breaker-per-service-vs-global", 300);
        let before = counters_at(&rec, 1_000_000);
        let n = rec.breakers_per_group as u64;
        assert!(!before.breakers.is_empty());
        for b in &before.breakers {
            assert_eq!(b.closed + b.half_open + b.open, n, "{b:?}");
        }
        let most_open = (0..rec.summary.end_ms as u64 / 100)
            .map(|k| counters_at(&rec, k * 100_000))
            .map(|c| c.breakers.iter().map(|b| b.open).max().unwrap_or(0))
            .max()
            .unwrap();
        assert!(most_open > 0);
    }

    #[test]
    fn the_budget_level_is_read_in_its_unit() {
        let rec = record("budget-vs-storm", 300);
        let c = counters_at(&rec, 500_000);
        let (levels, unit) = c.budget.clone().unwrap();
        assert_eq!(unit, "tokens");
        assert!(levels[0].1 > 0.0);
        assert!(c
            .texts()
            .iter()
            .any(|(k, v)| k == "budget" && v.ends_with("tokens")));
    }
}
