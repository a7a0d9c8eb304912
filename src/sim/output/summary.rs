//! The run summary. Its JSON field names are a public interface: scripts depend on them.

use serde::{Deserialize, Serialize};

use crate::sim::output::histogram::Quantiles;
use crate::sim::output::incident::{self, Incident};
use crate::sim::output::metrics::{Bucket, Series};
use crate::sim::output::outcome::Stop;
use crate::sim::output::view::RunView;
use crate::sim::Micros;

/// Share of the pre-fault success rate that counts as recovered.
pub const RECOVERED: f64 = 0.95;

/// What a run did, in numbers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Logical requests started.
    pub requests: u64,
    /// Attempts sent (first attempts plus retries).
    pub attempts: u64,
    /// attempts / requests.
    pub amplification: f64,
    /// Requests that succeeded.
    pub succeeded: u64,
    /// Requests that failed (retries exhausted, not retryable, or deadline).
    pub failed: u64,
    /// Requests still going when the run stopped.
    pub in_flight_at_end: u64,
    /// Highest rate of attempts arriving at the service over one bucket.
    pub peak_arrivals_per_s: f64,
    /// Highest rate of attempts arriving over one bucket that starts after the last
    /// disturbance (fault window or load spike) ends: the herd meeting the returning
    /// service; `null` without a disturbance (or no bucket after it).
    pub peak_after_fault_per_s: Option<f64>,
    /// What the services can serve, attempts per second: the sum over services of
    /// workers × 1000 / mean service time in ms; `null` if any has unlimited workers.
    pub capacity_per_s: Option<f64>,
    /// When the last request ended (ms); `null` if none ended.
    pub completion_ms: Option<f64>,
    /// End-to-end latency of ended requests (retries and backoff included), ms.
    pub latency_ms: Quantiles,
    /// End-to-end latency of the requests that succeeded, ms.
    pub success_latency_ms: Quantiles,
    /// End-to-end latency of the requests that failed, ms.
    pub failure_latency_ms: Quantiles,
    /// Age of the oldest request still in flight when the run stopped (ms): a hung client;
    /// `null` if none is.
    pub oldest_in_flight_ms: Option<f64>,
    /// Successful requests per second of simulated time.
    pub goodput_per_s: f64,
    /// succeeded / requests; `null` before any request.
    pub availability: Option<f64>,
    /// Time in bad buckets (ms): buckets where fewer than half of the attempts that ended
    /// succeeded, or where none ended while requests were in flight, for longer than the
    /// slowest successful attempt took (a hang, or clients sleeping after failures).
    pub downtime_ms: f64,
    /// good / (good + bad) buckets; buckets with nothing in flight and nothing ended are
    /// idle and left out; `null` if every bucket is idle.
    pub uptime: Option<f64>,
    /// After the last disturbance (fault window or load spike) ends: time until the
    /// per-bucket attempt success rate is back to ≥ 95% of its level before the first one
    /// and stays there; `null` if it never is, or nothing was disturbed.
    pub time_to_recover_ms: Option<f64>,
    /// Service time spent on attempts whose client had given up before they finished (ms).
    pub wasted_work_ms: f64,
    /// Events processed (stale ones included).
    pub events: u64,
    /// The run's seed.
    pub seed: u64,
    /// Simulated time when the run stopped (ms).
    pub end_ms: f64,
    /// Why it stopped: `drained`, `duration`, or `event_budget` or `memory_budget`
    /// (partial results).
    pub stop: Option<Stop>,
    /// Calls rejected by a circuit breaker (never sent).
    pub rejected_by_breaker: u64,
    /// Of those, calls rejected while their service had no fault: the breaker's collateral.
    pub collateral_rejections: u64,
    /// Breaker state changes.
    pub breaker_transitions: Transitions,
    /// Retries a retry budget refused (and retries adaptive throttling rejected).
    pub budget_denied_retries: u64,
    /// Attempts adaptive throttling rejected locally (first attempts and retries).
    pub throttled: u64,
    /// Answered writes lost when a replicated service's primary crashed (those the
    /// promoted replica lacked, or made since the last backup).
    pub lost_writes: u64,
    /// The longest time span of writes lost in one crash (ms): from the oldest lost write
    /// to the crash (0 when none was lost); `null` without a crash.
    pub rpo_ms: Option<f64>,
    /// The longest time from a crash of a primary to the first successful write after it
    /// (ms); `null` without a crash, or when some crash had no successful write after it.
    pub rto_ms: Option<f64>,
    /// Reads answered from a replica that lacked the reading client's own last write.
    pub stale_reads: u64,
    /// One summary per service.
    pub services: Vec<ServiceSummary>,
}

/// Counts of breaker state changes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transitions {
    /// To open (from closed or half-open).
    pub opened: u64,
    /// To half-open.
    pub half_opened: u64,
    /// To closed.
    pub closed: u64,
}

impl Transitions {
    fn of(t: [u64; 3]) -> Transitions {
        Transitions {
            opened: t[0],
            half_opened: t[1],
            closed: t[2],
        }
    }
}

/// What one service saw.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceSummary {
    /// Its name.
    pub name: String,
    /// Attempts that arrived at it.
    pub attempts: u64,
    /// Attempts to it that succeeded.
    pub succeeded_attempts: u64,
    /// Attempts to it that failed (timeout, error, rejected, refused, or rejected on the
    /// client side by a breaker or throttle).
    pub failed_attempts: u64,
    /// Attempts to it that succeeded / all attempts to it that ended; `null` if none ended.
    pub attempt_success_rate: Option<f64>,
    /// Calls to it that succeeded / calls to it that started (those still going count as
    /// not succeeded, as in the run's `availability`), a call being a request's first
    /// attempt at this service and its retries: its availability as its callers see it.
    /// (With a sequence route, a request calls a later service only once the earlier calls
    /// succeeded.) `null` if no call started.
    pub request_availability: Option<f64>,
    /// What it can serve: workers × 1000 / mean service time in ms; `null` if unlimited.
    pub capacity_per_s: Option<f64>,
    /// Highest rate of attempts arriving at it over one bucket.
    pub peak_arrivals_per_s: f64,
    /// Highest rate over one bucket after its last fault (or a load spike) ends; `null`
    /// if nothing disturbed it.
    pub peak_after_fault_per_s: Option<f64>,
    /// Calls to it rejected by a breaker.
    pub rejected_by_breaker: u64,
    /// Of those, rejected while it had no fault.
    pub collateral_rejections: u64,
    /// Retries to it a budget refused.
    pub budget_denied_retries: u64,
    /// State changes of the breakers that guard only this service.
    pub breaker_transitions: Transitions,
    /// Service time spent on attempts whose client had given up (ms).
    pub wasted_work_ms: f64,
    /// After its last fault (or a load spike) ends, time until its success rate is back
    /// to 95% of its level before; `null` if never or nothing disturbed it.
    pub time_to_recover_ms: Option<f64>,
    /// Answered writes lost when its primary crashed.
    pub lost_writes: u64,
    /// The longest time span of writes lost in one of its crashes (ms); `null` without one.
    pub rpo_ms: Option<f64>,
    /// The longest time from a crash of its primary to its first successful write after
    /// it (ms); `null` without a crash, or when some crash had none after it.
    pub rto_ms: Option<f64>,
    /// Reads answered by its replicas that lacked the client's own last write.
    pub stale_reads: u64,
}

impl Summary {
    /// The summary of a run so far.
    pub(crate) fn of(sim: &RunView) -> Summary {
        let t = sim.totals;
        let series = &sim.series;
        let end_s = sim.now as f64 / 1e6;
        let ratio = |a: u64, b: u64| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let peak = peak_arrivals(series);
        let windows: Vec<(Micros, Micros)> = (0..sim.services.len())
            .flat_map(|i| disturbances(sim, i))
            .chain(sim.scenario.spikes())
            .collect();
        let services: Vec<ServiceSummary> = sim
            .services
            .iter()
            .zip(sim.scenario.services())
            .enumerate()
            .map(|(i, (&(series, totals), s))| {
                let incidents = sim.incidents.get(i).copied().unwrap_or(&[]);
                let sum = series.buckets.iter().fold(Bucket::default(), |mut a, b| {
                    a.merge(b);
                    a
                });
                let ended = sum.outcomes();
                let w: Vec<(Micros, Micros)> =
                    disturbances(sim, i).chain(sim.scenario.spikes()).collect();
                ServiceSummary {
                    name: s.name.clone(),
                    attempts: sum.first_attempts + sum.retries,
                    succeeded_attempts: sum.success,
                    failed_attempts: ended - sum.success,
                    attempt_success_rate: (ended > 0).then(|| ratio(sum.success, ended)),
                    request_availability: (totals.calls_started > 0)
                        .then(|| ratio(totals.calls_succeeded, totals.calls_started)),
                    capacity_per_s: sim.scenario.capacity_per_s(i),
                    peak_arrivals_per_s: peak_arrivals(series),
                    peak_after_fault_per_s: peak_after(series, &w),
                    rejected_by_breaker: totals.short_circuited,
                    collateral_rejections: totals.collateral,
                    budget_denied_retries: totals.budget_denied,
                    breaker_transitions: Transitions::of(totals.transitions),
                    wasted_work_ms: totals.wasted as f64 / 1000.0,
                    time_to_recover_ms: time_to_recover(series, &w).map(|us| us as f64 / 1000.0),
                    lost_writes: incidents.iter().map(|o| o.lost_writes).sum(),
                    rpo_ms: rpo(incidents.iter()),
                    rto_ms: rto(incidents.iter()),
                    stale_reads: sim.stale_reads.get(i).copied().unwrap_or(0),
                }
            })
            .collect();
        let total = |f: fn(&ServiceSummary) -> u64| services.iter().map(f).sum::<u64>();
        let throttled = series.buckets.iter().map(|b| b.throttled).sum();
        let capacity = sim.scenario.total_capacity_per_s();
        let health = Health::of(series, t.slowest_success);
        Summary {
            requests: t.requests,
            attempts: t.attempts,
            amplification: ratio(t.attempts, t.requests),
            succeeded: t.succeeded,
            failed: t.failed,
            in_flight_at_end: sim.in_flight,
            peak_arrivals_per_s: peak,
            peak_after_fault_per_s: peak_after(series, &windows),
            capacity_per_s: capacity,
            completion_ms: t.last_end.map(|e| e as f64 / 1000.0),
            latency_ms: sim.request_latency.quantiles_ms(),
            success_latency_ms: sim.success_latency.quantiles_ms(),
            failure_latency_ms: sim.failure_latency.quantiles_ms(),
            oldest_in_flight_ms: sim.oldest_start.map(|s| (sim.now - s) as f64 / 1000.0),
            goodput_per_s: if end_s > 0.0 {
                t.succeeded as f64 / end_s
            } else {
                0.0
            },
            availability: (t.requests > 0).then(|| ratio(t.succeeded, t.requests)),
            downtime_ms: (health.bad * series.width) as f64 / 1000.0,
            uptime: health.uptime(),
            time_to_recover_ms: time_to_recover(series, &windows).map(|us| us as f64 / 1000.0),
            wasted_work_ms: services.iter().map(|s| s.wasted_work_ms).sum(),
            events: sim.events,
            seed: sim.seed,
            end_ms: sim.now as f64 / 1000.0,
            stop: sim.stopped,
            rejected_by_breaker: total(|s| s.rejected_by_breaker),
            collateral_rejections: total(|s| s.collateral_rejections),
            breaker_transitions: Transitions::of(t.transitions),
            budget_denied_retries: total(|s| s.budget_denied_retries),
            throttled,
            lost_writes: total(|s| s.lost_writes),
            rpo_ms: rpo(sim.incidents.iter().flat_map(|i| i.iter())),
            rto_ms: rto(sim.incidents.iter().flat_map(|i| i.iter())),
            stale_reads: total(|s| s.stale_reads),
            services,
        }
    }
}

/// Service `i`'s disturbance windows ([`incident::disturbances`]).
fn disturbances<'a>(sim: &'a RunView, i: usize) -> impl Iterator<Item = (Micros, Micros)> + 'a {
    let faults = sim
        .scenario
        .services()
        .get(i)
        .map_or(&[][..], |s| &s.faults[..]);
    let incidents = sim.incidents.get(i).copied().unwrap_or(&[]);
    incident::disturbances(faults, incidents, sim.now)
}

/// The longest RPO of `incidents` (ms); `None` without one.
fn rpo<'a>(incidents: impl Iterator<Item = &'a Incident>) -> Option<f64> {
    incidents.map(|o| o.rpo() as f64 / 1000.0).reduce(f64::max)
}

/// The longest RTO of `incidents` (ms); `None` without one, or if one never recovered.
fn rto<'a>(mut incidents: impl Iterator<Item = &'a Incident>) -> Option<f64> {
    let first = incidents.next()?.rto()?;
    incidents.try_fold(first as f64 / 1000.0, |m, o| {
        Some(m.max(o.rto()? as f64 / 1000.0))
    })
}

/// Highest rate of arrivals over one bucket of `series` (per second).
fn peak_arrivals(series: &Series) -> f64 {
    let peak = series
        .buckets
        .iter()
        .map(|b| b.first_attempts + b.retries)
        .max()
        .unwrap_or(0);
    peak as f64 / series.width_s()
}

/// Highest rate of arrivals (per second) over one bucket that starts at or after the end
/// of the last of `windows`; `None` without windows or without such a bucket.
pub fn peak_after(series: &Series, windows: &[(Micros, Micros)]) -> Option<f64> {
    let last_end = windows.iter().map(|w| w.1).max()?;
    let after = last_end.div_ceil(series.width) as usize;
    let peak = (series.buckets.get(after..)?.iter())
        .map(|b| b.first_attempts + b.retries)
        .max()?;
    Some(peak as f64 / series.width_s())
}

/// Buckets of a run sorted into good, bad and idle: see [`Health::of`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Health {
    /// Buckets where the run served.
    pub good: u64,
    /// Buckets where it failed or hung.
    pub bad: u64,
    /// Buckets with nothing in flight and nothing ended.
    pub idle: u64,
}

impl Health {
    /// Sort the buckets of `series`. A bucket where attempts ended is bad when fewer than
    /// half of them succeeded, good otherwise. A bucket with nothing in flight and nothing
    /// ended is idle. A bucket where none ended while requests were in flight is bad when
    /// the last bucket where something ended was bad (clients waiting on failures: timeouts
    /// to come, or a herd sleeping between its waves), and otherwise once nothing has ended
    /// for at least `slowest` µs (the longest a successful attempt took) before it starts
    /// (a hang). In a run where every attempt succeeds that never happens (every attempt in
    /// flight would have ended), so a bucket width or a long request alone is never
    /// downtime.
    pub fn of(series: &Series, slowest: Micros) -> Health {
        let w = series.width;
        let mut h = Health::default();
        // end of the last bucket in which something ended or nothing was in flight, and
        // whether it was bad
        let (mut since, mut failing) = (0, false);
        for (i, b) in series.buckets.iter().enumerate() {
            let start = i as Micros * w;
            let ended = b.outcomes();
            let bad = if ended > 0 {
                since = start + w;
                failing = 2 * b.success < ended;
                failing
            } else if b.in_flight_area == 0 {
                h.idle += 1;
                (since, failing) = (start + w, false);
                continue;
            } else {
                failing || start - since >= slowest
            };
            if bad {
                h.bad += 1;
            } else {
                h.good += 1;
            }
        }
        h
    }

    /// good / (good + bad), `None` if every bucket was idle.
    pub fn uptime(&self) -> Option<f64> {
        let n = self.good + self.bad;
        (n > 0).then(|| self.good as f64 / n as f64)
    }
}

/// Time (µs) from the end of the last window until the success rate (successful attempts
/// over attempts that ended, per bucket) is back to [`RECOVERED`] × its level before the
/// first window, and stays there for the rest of the run. Buckets with no outcomes are
/// skipped; a level before the first window that cannot be measured counts as 100%.
pub fn time_to_recover(series: &Series, windows: &[(Micros, Micros)]) -> Option<Micros> {
    let first_start = windows.iter().map(|w| w.0).min()?;
    let last_end = windows.iter().map(|w| w.1).max()?;
    let w = series.width;
    let (mut ok, mut all) = (0, 0);
    for b in series.buckets.iter().take((first_start / w) as usize) {
        ok += b.success;
        all += b.outcomes();
    }
    let level = if all == 0 {
        1.0
    } else {
        ok as f64 / all as f64
    };
    let threshold = RECOVERED * level;
    let after = last_end.div_ceil(w) as usize;
    // Walk back from the end over buckets with outcomes while they are healthy.
    let mut recovered_from = None;
    for (i, b) in series.buckets.iter().enumerate().skip(after).rev() {
        if b.outcomes() == 0 {
            continue;
        }
        if (b.success as f64) < threshold * b.outcomes() as f64 {
            break;
        }
        recovered_from = Some(i);
    }
    let i = recovered_from? as u64;
    Some((i * w).saturating_sub(last_end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(rates: &[(u64, u64)]) -> Series {
        let mut s = Series::new(Some(1000));
        for (i, &(ok, bad)) in rates.iter().enumerate() {
            let b = s.at(i as u64 * 1000);
            b.success = ok;
            b.timeout = bad;
        }
        s
    }

    #[test]
    fn recovery_is_measured_from_the_window_end_to_the_first_lasting_healthy_bucket() {
        // healthy, fault in buckets 2..4, bad until 6, a lucky bucket 5, healthy from 7
        let s = series(&[
            (10, 0),
            (10, 0),
            (0, 10),
            (0, 10),
            (0, 10),
            (10, 0),
            (3, 7),
            (10, 0),
            (0, 0),
            (10, 0),
        ]);
        assert_eq!(time_to_recover(&s, &[(2000, 4500)]), Some(7000 - 4500));
        assert_eq!(time_to_recover(&s, &[]), None);
        let never = series(&[(10, 0), (0, 10), (10, 0), (1, 9)]);
        assert_eq!(time_to_recover(&never, &[(1000, 2000)]), None);
    }

    #[test]
    fn the_level_before_the_fault_sets_the_bar() {
        // 80% before: the bar is 0.95 × 80% = 76%
        let s = series(&[(8, 2), (0, 10), (77, 23)]);
        assert_eq!(time_to_recover(&s, &[(1000, 2000)]), Some(0));
        let s = series(&[(8, 2), (0, 10), (75, 25)]);
        assert_eq!(time_to_recover(&s, &[(1000, 2000)]), None);
    }
}
