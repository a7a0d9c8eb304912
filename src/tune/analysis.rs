//! The analytic panel: what a scenario's policy does on paper, computed from its
//! validated [`Scenario`] with the engine's own rules (no run).
//!
//! - The delay schedule: each retry's sleep ([`delays`](crate::tune::delays)), the
//!   cumulative sleep, and when retry `k` goes out if every attempt times out
//!   (`k·timeout + sleeps so far`), against the deadline.
//! - Attempts that fit: the engine sends retry `k` only if the failure that precedes it
//!   and the end of its sleep both come before the deadline, so with every attempt timing
//!   out, retry `k` goes iff `k·T + S_k < D` (`T` the timeout, `S_k` the first `k`
//!   sleeps, `D` the deadline); without a timeout a hung attempt never ends (one attempt);
//!   without a deadline every attempt fits.
//! - Worst-case amplification: attempts per request when every attempt fails with a
//!   retried outcome, the shortest sleeps and, for a fast failure, a round trip at the
//!   shortest network delay; with `L` layers each retrying so, `attempts^L`.
//! - The budget's threshold: the per-attempt failure rate above which the budget drains
//!   and retries stop (see [`BudgetThreshold`]).
//! - Little's law: requests in flight = arrival rate × time in the system, healthy and in
//!   the worst case.
//!
//! Beyond the 50th retry ([`MAX_ROWS`]) each sleep is taken to be the 50th's: exact once
//! the schedule has reached its cap, as every growing schedule has by then unless its
//! multiplier is close to 1.

use serde::Serialize;

use crate::sim::policy::budget::BudgetKind;
use crate::sim::random::dist::Dist;
use crate::sim::scenario::{Arrival, Route, Scenario};
use crate::tune::delays::{delays, Delay};
use crate::units::{count, duration_ms, percent, sig3};

/// Most retries the schedule lists.
pub const MAX_ROWS: u32 = 50;
/// Most layers [`Options::layers`] takes.
pub const MAX_LAYERS: u32 = 10;

/// What the panel is asked beyond the scenario.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Options {
    /// Layers of the call chain that each retry like this policy (1 to [`MAX_LAYERS`]).
    pub layers: u32,
    /// The arrival rate for Little's law (requests/s); `None`: the scenario's offered rate.
    pub arrival_per_s: Option<f64>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            layers: 1,
            arrival_per_s: None,
        }
    }
}

impl Options {
    /// Check the options: the message names the field.
    pub fn check(&self) -> Result<(), String> {
        if !(1..=MAX_LAYERS).contains(&self.layers) {
            return Err(format!(
                "layers must be a whole number from 1 to {MAX_LAYERS}, got {}",
                self.layers
            ));
        }
        if let Some(r) = self.arrival_per_s {
            if !(r.is_finite() && r >= 0.0) {
                return Err(format!(
                    "arrival_per_s must be a finite number of requests/s, at least 0, got {r}"
                ));
            }
        }
        Ok(())
    }
}

/// One retry of the schedule.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Step {
    /// The retry (1: the second attempt).
    pub retry: u32,
    /// Its sleep.
    pub delay: Delay,
    /// The shortest total sleep up to and including this one (ms).
    pub cumulative_min_ms: f64,
    /// The mean total sleep (ms): the sum of the means.
    pub cumulative_mean_ms: f64,
    /// The longest total sleep (ms): every sleep at its longest.
    pub cumulative_max_ms: f64,
    /// When this retry goes out if every attempt before it timed out, at the shortest and
    /// the longest sleeps (ms from the request's start); `None` without a timeout.
    pub sent_after_timeouts_ms: Option<[f64; 2]>,
    /// Whether it goes out before the deadline when every attempt times out: `always`,
    /// `sometimes` (depending on the draws) or `never`.
    pub within_deadline: Fit,
}

/// Whether a retry fits before the deadline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Fit {
    /// Whatever the draws.
    Always,
    /// With short draws, not long ones.
    Sometimes,
    /// Not even with the shortest.
    Never,
}

/// How many attempts a request makes when every one fails (`None`: no bound).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Attempts {
    /// Every attempt times out, the sleeps at their shortest (the most attempts).
    pub timeouts_shortest_sleeps: Option<u32>,
    /// Every attempt times out, the sleeps at their longest (the fewest).
    pub timeouts_longest_sleeps: Option<u32>,
    /// Every attempt fails fast (a refusal: one round trip at the shortest network
    /// delay), the sleeps at their shortest.
    pub fast_failures: Option<u32>,
}

/// Attempts per request when everything fails, per layer and through `layers` layers.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Amplification {
    /// Attempts per request at one layer (`None`: unbounded).
    pub per_layer: Option<f64>,
    /// Layers retrying so.
    pub layers: u32,
    /// `per_layer^layers`: attempts that reach the bottom per request at the top.
    pub total: Option<f64>,
}

/// The failure rate at which the budget stops retries, per its rules
/// ([`crate::sim::policy::budget`]). Rates are per attempt, failures independent.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum BudgetThreshold {
    /// gRPC retry throttling (gRFC A6). A retryable failure costs 1 token, a success adds
    /// `token_ratio` = r. At failure rate p the expected change per attempt is
    /// `(1 − p)·r − p`, negative exactly when `p > r / (1 + r)`: above it the tokens fall
    /// to `max_tokens / 2` and retries stop (whatever `max_tokens`, which only sets how
    /// long it takes).
    Grpc {
        /// tokenRatio.
        token_ratio: f64,
        /// maxTokens.
        max_tokens: f64,
        /// r / (1 + r).
        failure_rate: f64,
    },
    /// The AWS SDK retry quota. A retry takes its cost c; a success gives back the
    /// request's last cost, or `refund` if it needed no retry. With m attempts and all
    /// failures of one kind, a request changes the capacity on average by
    /// `E(p) = (1 − p)·refund − c·(1 − p)·Σ_{k=2..m} (k − 2)·p^{k−1} − c·(m − 1)·p^m`
    /// (a first-attempt success refunds; one at attempt k took k − 1 costs and got one
    /// back; a request that fails every attempt took m − 1). The quota drains where
    /// `E(p) < 0`: the threshold is its root (bisection; m = 2 gives
    /// `(√(1 + 4c·refund) − 1) / (2c)` with refund 1, 0.358 for c = 5). `None`: with
    /// one attempt there are no retries to stop.
    Aws {
        /// Attempts per request used (`max_attempts`, 1000 when unlimited: the series
        /// has converged).
        attempts: u32,
        /// The threshold when every failure is an error or refusal (`retry_cost`).
        errors: Option<f64>,
        /// When every failure is a timeout (`timeout_cost`).
        timeouts: Option<f64>,
        /// When every failure is a queue-full rejection (`throttling_cost`).
        throttling: Option<f64>,
    },
    /// A ratio budget (Finagle, tower): retries per second may be `percent`% of requests
    /// per second plus `min_per_s`. A request makes `R(p) = p + p² + … + p^{m−1}`
    /// retries on average, so retries are refused once `R(p) > percent/100 + min_per_s
    /// / λ`, λ the requests per second one budget sees; `p/(1 − p)` for unlimited
    /// attempts, so `f/(1 + f)` as for gRPC. `None`: even every attempt failing stays
    /// within it.
    Ratio {
        /// The share of requests one budget sees per second (`None`: unknown, the
        /// reserve left out).
        requests_per_s: Option<f64>,
        /// The threshold.
        failure_rate: Option<f64>,
    },
    /// SRE-book adaptive throttling: an attempt is rejected locally with probability
    /// `max(0, (requests − K·accepts) / (requests + 1))`, which is above 0 once the share
    /// of attempts the service answered (success or error) falls below 1/K: when more
    /// than `1 − 1/K` of the attempts go unanswered (timeouts, refusals, rejections).
    Adaptive {
        /// The multiplier K.
        k: f64,
        /// 1 − 1/K.
        unanswered_rate: f64,
    },
}

impl BudgetThreshold {
    /// In words, naming the budget's fields.
    pub fn words(&self) -> String {
        let pct = |p: Option<f64>| {
            p.map_or("never (the budget covers every retry)".into(), |p| {
                format!("above {}", crate::units::percent(p))
            })
        };
        match *self {
            BudgetThreshold::Grpc {
                token_ratio,
                failure_rate,
                ..
            } => format!(
                "gRPC throttling stops retries when more than {} of attempts fail \
                 (budget.token_ratio r = {token_ratio}: r / (1 + r))",
                crate::units::percent(failure_rate)
            ),
            BudgetThreshold::Aws {
                attempts,
                errors,
                timeouts,
                throttling,
            } => format!(
                "the AWS retry quota drains at failure rates {} for errors \
                 (budget.retry_cost), {} for timeouts (budget.timeout_cost), {} for \
                 rejections (budget.throttling_cost), with {attempts} attempts",
                pct(errors),
                pct(timeouts),
                pct(throttling)
            ),
            BudgetThreshold::Ratio {
                requests_per_s,
                failure_rate,
            } => format!(
                "the ratio budget refuses retries at failure rates {} (budget.percent{})",
                pct(failure_rate),
                if requests_per_s.is_some() {
                    " and budget.min_per_s"
                } else {
                    "; budget.min_per_s left out: no arrival rate"
                }
            ),
            BudgetThreshold::Adaptive { k, unanswered_rate } => format!(
                "adaptive throttling rejects attempts locally once more than {} of them \
                 go unanswered (budget.k = {k}: 1 − 1/K)",
                crate::units::percent(unanswered_rate)
            ),
        }
    }
}

/// One service's share of the load.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ServiceLoad {
    /// Its name.
    pub name: String,
    /// Calls per second it receives when healthy (first attempts).
    pub calls_per_s: Option<f64>,
    /// What it can serve (attempts/s).
    pub capacity_per_s: Option<f64>,
    /// calls / capacity.
    pub utilisation: Option<f64>,
}

/// Little's law at the arrival rate.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Load {
    /// Requests per second (`None`: a burst, no rate).
    pub arrival_per_s: Option<f64>,
    /// Time in the system of a healthy request: round trips and service times (means),
    /// queueing left out (ms).
    pub healthy_ms: f64,
    /// arrival × healthy time: requests in flight when healthy.
    pub in_flight: Option<f64>,
    /// Mean time until a request gives up when every attempt times out (ms; `None`: it
    /// never does, no timeout and no deadline).
    pub worst_ms: Option<f64>,
    /// arrival × that time: requests in flight while the service hangs.
    pub worst_in_flight: Option<f64>,
    /// Attempts per second sent while every attempt fails fast (arrival × worst-case
    /// amplification at one layer).
    pub worst_attempts_per_s: Option<f64>,
    /// Each service's share.
    pub services: Vec<ServiceLoad>,
}

/// The whole panel.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Analysis {
    /// The per-attempt timeout (ms; `None`: none).
    pub timeout_ms: Option<f64>,
    /// The request's deadline (ms; `None`: none).
    pub deadline_ms: Option<f64>,
    /// Attempts allowed (`None`: unlimited).
    pub max_attempts: Option<u32>,
    /// A row per retry, at most [`MAX_ROWS`].
    pub schedule: Vec<Step>,
    /// More retries are allowed than the schedule lists.
    pub schedule_truncated: bool,
    /// How many attempts fit.
    pub attempts: Attempts,
    /// Worst-case amplification.
    pub amplification: Amplification,
    /// The budget's threshold, if there is a budget.
    pub budget: Option<BudgetThreshold>,
    /// Little's law.
    pub load: Load,
}

const MS: f64 = 1000.0;

impl Analysis {
    /// The panel's findings in words, a line each (services indented under the load):
    /// attempts that fit, worst-case amplification, the budget's threshold, Little's law.
    /// The CLI's `herdsim advise` prints them; the page shows them.
    pub fn findings(&self) -> Vec<String> {
        let ms = duration_ms;
        let bound = |x: Option<u32>| x.map_or("unbounded".into(), |n| count(u64::from(n)));
        let mut out = String::new();
        let at = &self.attempts;
        out += &format!(
            "attempts that fit: {} if every attempt times out (shortest sleeps), {} (longest); \
             {} if every attempt fails fast\n",
            bound(at.timeouts_shortest_sleeps),
            bound(at.timeouts_longest_sleeps),
            bound(at.fast_failures)
        );
        let amp = &self.amplification;
        out += &format!(
            "worst-case amplification: {} attempts per request at 100% failure",
            amp.per_layer.map_or("unbounded".into(), sig3)
        );
        if amp.layers > 1 {
            out += &format!(
                "; through {} layers retrying alike: {}",
                amp.layers,
                amp.total.map_or("unbounded".into(), sig3)
            );
        }
        out += "\n";
        out += &match &self.budget {
            None => "budget: none (retries never stop on their own)\n".into(),
            Some(b) => format!("budget: {}\n", b.words()),
        };
        let l = &self.load;
        match (l.arrival_per_s, l.in_flight) {
            (Some(rate), Some(inf)) => {
                out += &format!(
                    "load (Little's law): {}/s × {} = {} requests in flight when healthy",
                    sig3(rate),
                    ms(l.healthy_ms),
                    sig3(inf)
                );
                match (l.worst_ms, l.worst_in_flight) {
                    (Some(w), Some(wi)) => {
                        out += &format!(
                            "; {}/s × {} = {} while every attempt times out",
                            sig3(rate),
                            ms(w),
                            sig3(wi)
                        )
                    }
                    _ => out += "; without bound while the service hangs (no timeout or deadline)",
                }
                if let Some(ap) = l.worst_attempts_per_s {
                    out += &format!("; {}/s attempts while every attempt fails fast", sig3(ap));
                }
                out += "\n";
                for s in &l.services {
                    if let (Some(c), Some(cap), Some(u)) =
                        (s.calls_per_s, s.capacity_per_s, s.utilisation)
                    {
                        out += &format!(
                            "  {}: {}/s of a capacity of {}/s ({} busy)\n",
                            s.name,
                            sig3(c),
                            sig3(cap),
                            percent(u)
                        );
                    }
                }
            }
            _ => out += "load: no arrival rate (a burst): give --rate for Little's law\n",
        }
        out.lines().map(str::to_string).collect()
    }
}

/// The panel for `sc` (validated) with `opt` (checked with [`Options::check`]; out of
/// range values are clamped).
pub fn analyse(sc: &Scenario, opt: &Options) -> Analysis {
    let p = sc.policy();
    let m = p.max_attempts;
    let limited = m != u32::MAX;
    let rows = m.saturating_sub(1).min(MAX_ROWS);
    let ds = delays(&p.backoff, rows);
    let t = p.timeout.map(|t| t as f64);
    let d = p.deadline.map(|d| d as f64);
    let (mut cmin, mut cmean, mut cmax) = (0.0, 0.0, 0.0);
    let schedule: Vec<Step> = ds
        .iter()
        .zip(1..)
        .map(|(delay, retry)| {
            cmin += delay.min_ms;
            cmean += delay.mean_ms;
            cmax += delay.max_ms;
            let sent = t.map(|t| {
                let k = f64::from(retry) * t / MS;
                [k + cmin, k + cmax]
            });
            let within = match (sent, d) {
                (_, None) => Fit::Always,
                (None, Some(_)) => Fit::Never,
                (Some([lo, hi]), Some(d)) => {
                    let d = d / MS;
                    if hi < d {
                        Fit::Always
                    } else if lo < d {
                        Fit::Sometimes
                    } else {
                        Fit::Never
                    }
                }
            };
            Step {
                retry,
                delay: *delay,
                cumulative_min_ms: cmin,
                cumulative_mean_ms: cmean,
                cumulative_max_ms: cmax,
                sent_after_timeouts_ms: sent,
                within_deadline: within,
            }
        })
        .collect();
    let sleeps = |f: fn(&Delay) -> f64| -> Vec<f64> { ds.iter().map(|x| f(x) * MS).collect() };
    let (short, long, mean) = (
        sleeps(|x| x.min_ms),
        sleeps(|x| x.max_ms),
        sleeps(|x| x.mean_ms),
    );
    let rtt = sc
        .services()
        .iter()
        .map(|s| 2.0 * dist_min(&s.network))
        .fold(f64::INFINITY, f64::min);
    let rtt = if rtt.is_finite() { rtt } else { 0.0 };
    let on_timeouts = |s: &[f64]| match t {
        None => Some(1),
        Some(t) => fit(t, s, m, d),
    };
    let attempts = Attempts {
        timeouts_shortest_sleeps: on_timeouts(&short),
        timeouts_longest_sleeps: on_timeouts(&long),
        fast_failures: fit(rtt, &short, m, d),
    };
    let r = p.retry_on;
    let fast = r.error || r.refused || r.rejected;
    let per_layer = if !(fast || r.timeout) || m == 1 {
        Some(1)
    } else {
        let a = if fast {
            attempts.fast_failures
        } else {
            Some(1)
        };
        let b = if r.timeout {
            attempts.timeouts_shortest_sleeps
        } else {
            Some(1)
        };
        a.zip(b).map(|(a, b)| a.max(b))
    };
    let layers = opt.layers.clamp(1, MAX_LAYERS);
    let per_layer = per_layer.map(f64::from);
    let amplification = Amplification {
        per_layer,
        layers,
        total: per_layer.map(|a| libm::pow(a, f64::from(layers))),
    };
    let load = load(sc, opt, t, d, &mean, per_layer);
    let budget = sc
        .budget()
        .map(|b| threshold(b.kind, m, per_budget_rate(sc, &load, b.per_client)));
    Analysis {
        timeout_ms: t.map(|t| t / MS),
        deadline_ms: d.map(|d| d / MS),
        max_attempts: limited.then_some(m),
        schedule_truncated: m.saturating_sub(1) > rows,
        schedule,
        attempts,
        amplification,
        budget,
        load,
    }
}

/// Attempts that fit when every attempt fails after `fail` µs and retry k sleeps
/// `sleeps[k − 1]` µs (the last one for every retry past the list): retry k goes iff
/// `k·fail + S_k < deadline`. `None`: no bound.
fn fit(fail: f64, sleeps: &[f64], m: u32, deadline: Option<f64>) -> Option<u32> {
    let limited = m != u32::MAX;
    let Some(d) = deadline else {
        return limited.then_some(m);
    };
    let mut s = 0.0;
    for (k, sleep) in (1..).zip(sleeps) {
        if k >= m {
            return Some(m);
        }
        s += sleep;
        if f64::from(k) * fail + s >= d {
            return Some(k);
        }
    }
    let k0 = sleeps.len() as u32;
    if k0 + 1 >= m {
        return Some(m);
    }
    let step = fail + sleeps.last().copied().unwrap_or(0.0);
    if step <= 0.0 {
        return limited.then_some(m);
    }
    // retries k0 + j for j ≥ 1 go while k0·fail + s + j·step < d
    let room = d - f64::from(k0) * fail - s;
    let more = (libm::ceil(room / step) - 1.0).max(0.0);
    let total = f64::from(k0) + 1.0 + more;
    Some(if total >= f64::from(m) {
        m
    } else {
        total as u32
    })
}

/// The smallest value a duration distribution draws (µs).
fn dist_min(d: &Dist) -> f64 {
    match *d {
        Dist::Constant(v) => v as f64,
        Dist::Uniform(lo, _) => lo as f64,
        _ => 0.0,
    }
}

/// The requests per second of the scenario's clients when healthy (`healthy_us` per
/// request for a closed loop).
fn offered(sc: &Scenario, healthy_us: f64) -> Option<f64> {
    let n = f64::from(sc.clients().count);
    match &sc.clients().arrival {
        Arrival::Poisson(r) => Some(n * r),
        Arrival::Interval(every) => Some(n * 1e6 / (*every).max(1) as f64),
        Arrival::Burst(_) => None,
        Arrival::ClosedLoop(think) => Some(n * 1e6 / (think.mean() + healthy_us).max(1.0)),
    }
}

/// Each service's share of the requests: its weight (one service per request), or all of
/// them (each request calls every service in turn).
fn shares(sc: &Scenario) -> Vec<f64> {
    match sc.route() {
        Route::Sequence => vec![1.0; sc.services().len()],
        Route::Weighted(cum) => {
            let mut prev = 0.0;
            cum.iter()
                .map(|&c| {
                    let s = c - prev;
                    prev = c;
                    s
                })
                .collect()
        }
    }
}

fn load(
    sc: &Scenario,
    opt: &Options,
    t: Option<f64>,
    d: Option<f64>,
    mean_sleeps: &[f64],
    per_layer: Option<f64>,
) -> Load {
    let shares = shares(sc);
    let call_us: Vec<f64> = sc
        .services()
        .iter()
        .map(|s| 2.0 * s.network.mean() + s.service_time.mean())
        .collect();
    let healthy_us: f64 = match sc.route() {
        Route::Sequence => call_us.iter().sum(),
        Route::Weighted(_) => call_us.iter().zip(&shares).map(|(c, s)| c * s).sum(),
    };
    let rate = opt.arrival_per_s.or_else(|| offered(sc, healthy_us));
    // every attempt times out: the mean time to give up, at the mean sleeps
    let m = sc.policy().max_attempts;
    let worst_us = match t {
        None => d,
        Some(t) => fit(t, mean_sleeps, m, d).map(|a| {
            let sleeps: f64 = (0..a.saturating_sub(1) as usize)
                .map(|k| {
                    mean_sleeps
                        .get(k)
                        .or(mean_sleeps.last())
                        .copied()
                        .unwrap_or(0.0)
                })
                .sum();
            let life = f64::from(a) * t + sleeps;
            d.map_or(life, |d| life.min(d))
        }),
    };
    let services = sc
        .services()
        .iter()
        .zip(&shares)
        .map(|(s, share)| {
            let calls = rate.map(|r| r * share);
            let cap = s.capacity_per_s();
            ServiceLoad {
                name: s.name.clone(),
                calls_per_s: calls,
                capacity_per_s: cap,
                utilisation: calls.zip(cap).filter(|c| c.1 > 0.0).map(|(c, k)| c / k),
            }
        })
        .collect();
    Load {
        arrival_per_s: rate,
        healthy_ms: healthy_us / MS,
        in_flight: rate.map(|r| r * healthy_us / 1e6),
        worst_ms: worst_us.map(|w| w / MS),
        worst_in_flight: rate.zip(worst_us).map(|(r, w)| r * w / 1e6),
        worst_attempts_per_s: rate.zip(per_layer).map(|(r, a)| r * a),
        services,
    }
}

/// The requests per second one budget sees: the busiest service's calls, over the
/// clients when each keeps its own.
fn per_budget_rate(sc: &Scenario, load: &Load, per_client: bool) -> Option<f64> {
    let busiest = load
        .services
        .iter()
        .filter_map(|s| s.calls_per_s)
        .fold(None, |a: Option<f64>, c| Some(a.map_or(c, |a| a.max(c))))?;
    Some(if per_client {
        busiest / f64::from(sc.clients().count.max(1))
    } else {
        busiest
    })
}

/// Attempts an unlimited policy is taken to make in the AWS quota's series.
const AWS_UNLIMITED: u32 = 1000;

fn threshold(kind: BudgetKind, m: u32, per_budget: Option<f64>) -> BudgetThreshold {
    match kind {
        BudgetKind::Grpc { max, ratio } => BudgetThreshold::Grpc {
            token_ratio: ratio,
            max_tokens: max,
            failure_rate: ratio / (1.0 + ratio),
        },
        BudgetKind::Aws {
            retry_cost,
            timeout_cost,
            throttling_cost,
            refund,
            ..
        } => {
            let m = m.min(AWS_UNLIMITED);
            let root = |c: u8| (m > 1).then(|| aws_threshold(f64::from(c), refund, m));
            BudgetThreshold::Aws {
                attempts: m,
                errors: root(retry_cost),
                timeouts: root(timeout_cost),
                throttling: root(throttling_cost),
            }
        }
        BudgetKind::Ratio {
            fraction,
            min_per_s,
            ..
        } => {
            let allowed = fraction
                + per_budget
                    .filter(|&r| r > 0.0)
                    .map_or(0.0, |r| min_per_s / r);
            let retries = |p: f64| -> f64 {
                if m == u32::MAX {
                    if p >= 1.0 {
                        f64::INFINITY
                    } else {
                        p / (1.0 - p)
                    }
                } else {
                    (1..m).map(|k| libm::pow(p, f64::from(k))).sum()
                }
            };
            let failure_rate = (retries(1.0) > allowed).then(|| bisect(|p| retries(p) - allowed));
            BudgetThreshold::Ratio {
                requests_per_s: per_budget,
                failure_rate,
            }
        }
        BudgetKind::Adaptive { k, .. } => BudgetThreshold::Adaptive {
            k,
            unanswered_rate: (1.0 - 1.0 / k).max(0.0),
        },
    }
}

/// The AWS quota's expected change per request at failure rate p (see
/// [`BudgetThreshold::Aws`]).
fn aws_drift(p: f64, c: f64, refund: f64, m: u32) -> f64 {
    let series: f64 = (2..=m)
        .map(|k| f64::from(k - 2) * libm::pow(p, f64::from(k - 1)))
        .sum();
    (1.0 - p) * refund - c * (1.0 - p) * series - c * f64::from(m - 1) * libm::pow(p, f64::from(m))
}

fn aws_threshold(c: f64, refund: f64, m: u32) -> f64 {
    if aws_drift(0.0, c, refund, m) <= 0.0 {
        return 0.0;
    }
    // the first sign change on a grid, then bisection within it
    let n = 1000;
    let mut lo = 0.0;
    for i in 1..=n {
        let p = f64::from(i) / f64::from(n);
        if aws_drift(p, c, refund, m) <= 0.0 {
            let mut a = lo;
            let mut b = p;
            for _ in 0..60 {
                let mid = (a + b) / 2.0;
                if aws_drift(mid, c, refund, m) > 0.0 {
                    a = mid;
                } else {
                    b = mid;
                }
            }
            return (a + b) / 2.0;
        }
        lo = p;
    }
    1.0
}

/// The root in [0, 1] of an increasing `g` with g(0) ≤ 0 < g(1).
fn bisect(g: impl Fn(f64) -> f64) -> f64 {
    let (mut a, mut b) = (0.0, 1.0);
    for _ in 0..60 {
        let mid = (a + b) / 2.0;
        if g(mid) < 0.0 {
            a = mid;
        } else {
            b = mid;
        }
    }
    (a + b) / 2.0
}

/// The p99.9 of a duration distribution (µs): exact for every kind the engine draws
/// (folded normal by bisection on its CDF).
pub fn p999(d: &Dist) -> f64 {
    const Q: f64 = 0.999;
    /// The standard normal's 99.9th percentile.
    const Z999: f64 = 3.090_232_306_167_813_5;
    match *d {
        Dist::Constant(v) => v as f64,
        Dist::Uniform(lo, hi) => lo as f64 + Q * (hi as f64 - lo as f64),
        Dist::Exponential(m) => -m * libm::log(1.0 - Q),
        Dist::LogNormal { mu, sigma } => libm::exp(mu + sigma * Z999),
        Dist::FoldedNormal { mean, sd } => {
            let phi = |x: f64| 0.5 * (1.0 + libm::erf(x / std::f64::consts::SQRT_2));
            let cdf = |q: f64| phi((q - mean) / sd) - phi((-q - mean) / sd);
            let (mut a, mut b) = (0.0, mean.abs() + 10.0 * sd);
            for _ in 0..100 {
                let mid = (a + b) / 2.0;
                if cdf(mid) < Q {
                    a = mid;
                } else {
                    b = mid;
                }
            }
            (a + b) / 2.0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::scenario::presets;
    use crate::sim::ScenarioConfig;

    fn of(cfg: &ScenarioConfig, layers: u32) -> Analysis {
        let opt = Options {
            layers,
            ..Options::default()
        };
        analyse(&cfg.validate().unwrap(), &opt)
    }

    fn base() -> ScenarioConfig {
        let mut c = ScenarioConfig::default();
        c.policy.timeout_ms = Some(1000.0);
        c.policy.deadline_ms = Some(5000.0);
        c.policy.max_attempts = Some(10);
        c.policy.backoff.base_ms = 100.0;
        c.policy.backoff.multiplier = 2.0;
        c.policy.backoff.cap_ms = 1000.0;
        c
    }

    #[test]
    fn attempts_that_fit_follow_the_engine_rule_by_hand() {
        // full jitter: sleeps U(0, d), d = 100, 200, 400, 800, 1000, …; timeout 1 s,
        // deadline 5 s. Shortest sleeps (0): retry k at k·1 s < 5 s: k = 1..4 → 5 attempts.
        // Longest: 1.1, 2.3, 3.7, 5.5 s → retries 1..3 → 4 attempts.
        let a = of(&base(), 1);
        assert_eq!(a.attempts.timeouts_shortest_sleeps, Some(5));
        assert_eq!(a.attempts.timeouts_longest_sleeps, Some(4));
        let s = &a.schedule;
        assert_eq!(s.len(), 9);
        assert_eq!(s[2].sent_after_timeouts_ms, Some([3000.0, 3700.0]));
        assert_eq!(s[2].within_deadline, Fit::Always);
        assert_eq!(s[3].sent_after_timeouts_ms, Some([4000.0, 5500.0]));
        assert_eq!(s[3].within_deadline, Fit::Sometimes);
        assert_eq!(s[4].within_deadline, Fit::Never);
        assert_eq!(
            (s[3].cumulative_min_ms, s[3].cumulative_max_ms),
            (0.0, 1500.0)
        );
        assert_eq!(s[3].cumulative_mean_ms, 750.0);
        // fast failures: a 2 ms round trip (1 ms each way) and sleeps of 0 at the
        // shortest: retry k at k·2 ms < 5 s → all 10 attempts
        assert_eq!(a.attempts.fast_failures, Some(10));
        assert_eq!(a.amplification.per_layer, Some(10.0));
        assert_eq!(of(&base(), 3).amplification.total, Some(1000.0));
    }

    #[test]
    fn no_timeout_is_one_attempt_and_no_deadline_every_attempt() {
        let mut c = base();
        c.policy.timeout_ms = None;
        let a = of(&c, 1);
        assert_eq!(a.attempts.timeouts_shortest_sleeps, Some(1));
        assert_eq!(a.schedule[0].within_deadline, Fit::Never);
        c.policy.deadline_ms = None;
        c.policy.timeout_ms = Some(1000.0);
        assert_eq!(of(&c, 1).attempts.timeouts_longest_sleeps, Some(10));
        // unlimited attempts, no deadline: no bound; with a deadline and no jitter
        // (sleeps 100, 200, 400, 800, 1000, 1000, …) and a 1 s timeout: retry k goes at
        // k + S_k: 1.1, 2.3, 3.7, 5.5 s: 4 attempts by the deadline
        c.policy.max_attempts = None;
        assert_eq!(of(&c, 1).amplification.per_layer, None);
        c.policy.deadline_ms = Some(5000.0);
        c.policy.jitter = crate::sim::scenario::config::JitterConfig::None;
        let a = of(&c, 1);
        assert_eq!(a.attempts.timeouts_shortest_sleeps, Some(4));
        assert!(a.schedule_truncated);
        // fast failures at a 2 ms round trip: 0.102, 0.304, 0.706, 1.508, 2.51, 3.512,
        // 4.514, 5.516 s → 8 attempts (the last rows extrapolated at the cap)
        assert_eq!(a.attempts.fast_failures, Some(8));
        // a long deadline: past the 50 listed retries, one more per (2 ms + 1 s)
        c.policy.deadline_ms = Some(100_000.0);
        let a = of(&c, 1);
        // S_50 = 0.1 + 0.2 + 0.4 + 0.8 + 46 × 1 = 47.5 s at 50 × 2 ms = 0.1 s → 47.6 s;
        // then retry 50 + j goes while 47.6 + j·1.002 < 100: j ≤ 52 → 1 + 50 + 52
        assert_eq!(a.attempts.fast_failures, Some(103));
    }

    #[test]
    fn nothing_retried_is_one_attempt() {
        let mut c = base();
        c.policy.retry_on = crate::sim::scenario::config::RetryOnConfig {
            error: false,
            timeout: false,
            rejected: false,
            refused: false,
            breaker_open: false,
        };
        assert_eq!(of(&c, 2).amplification.total, Some(1.0));
    }

    #[test]
    fn grpc_threshold_is_r_over_1_plus_r() {
        let a = of(&presets::config("grpc-retry-throttling").unwrap(), 1);
        let Some(BudgetThreshold::Grpc {
            token_ratio,
            failure_rate,
            ..
        }) = a.budget
        else {
            panic!("{:?}", a.budget)
        };
        assert_eq!(failure_rate, token_ratio / (1.0 + token_ratio));
        // the preset's 0.1: 1/11
        assert!((failure_rate - 1.0 / 11.0).abs() < 1e-12);
    }

    #[test]
    fn aws_threshold_solves_the_drift_by_hand() {
        // m = 2, refund 1, cost 5: 1 − p − 5p² = 0 → p = (√21 − 1)/10
        assert!((aws_threshold(5.0, 1.0, 2) - (21f64.sqrt() - 1.0) / 10.0).abs() < 1e-9);
        // m = 3, cost 10: (1 − p) − 10(1 − p)p² − 20p³ = 0; check the root is one
        let p = aws_threshold(10.0, 1.0, 3);
        assert!((1.0 - p - 10.0 * (1.0 - p) * p * p - 20.0 * p.powi(3)).abs() < 1e-9);
        assert!(p > 0.0 && p < 0.3, "{p}");
        // no refund: any failure drains it
        assert_eq!(aws_threshold(5.0, 0.0, 3), 0.0);
        let a = of(&presets::config("aws-sdk-standard").unwrap(), 1);
        let Some(BudgetThreshold::Aws {
            attempts,
            errors,
            timeouts,
            ..
        }) = a.budget
        else {
            panic!("{:?}", a.budget)
        };
        assert_eq!(attempts, 3);
        let (e, t) = (errors.unwrap(), timeouts.unwrap());
        assert!(t < e, "a timeout costs more, so the quota drains sooner");
        assert!((aws_drift(e, 5.0, 1.0, 3)).abs() < 1e-9);
    }

    #[test]
    fn ratio_threshold_is_f_over_1_plus_f_when_unlimited() {
        let mut c = base();
        c.policy.max_attempts = None;
        c.budget = crate::sim::scenario::config::BudgetConfig::Ratio {
            percent: 20.0,
            min_per_s: 0.0,
            ttl_ms: 10_000.0,
            scope: Default::default(),
        };
        let Some(BudgetThreshold::Ratio { failure_rate, .. }) = of(&c, 1).budget else {
            panic!()
        };
        assert!((failure_rate.unwrap() - 0.2 / 1.2).abs() < 1e-9);
        // two attempts: p = 0.2 retries per request at p = 0.2; a reserve of 10/s over
        // 100 requests/s (100 clients at 1/s) adds 0.1: p = 0.3
        c.policy.max_attempts = Some(2);
        if let crate::sim::scenario::config::BudgetConfig::Ratio { min_per_s, .. } = &mut c.budget {
            *min_per_s = 10.0;
        }
        let Some(BudgetThreshold::Ratio {
            failure_rate,
            requests_per_s,
        }) = of(&c, 1).budget
        else {
            panic!()
        };
        assert_eq!(requests_per_s, Some(100.0));
        assert!((failure_rate.unwrap() - 0.3).abs() < 1e-9);
        // 20% + a reserve covering more than one retry a request: never
        if let crate::sim::scenario::config::BudgetConfig::Ratio { min_per_s, .. } = &mut c.budget {
            *min_per_s = 100.0;
        }
        assert!(matches!(
            of(&c, 1).budget,
            Some(BudgetThreshold::Ratio {
                failure_rate: None,
                ..
            })
        ));
    }

    #[test]
    fn adaptive_threshold_is_one_minus_one_over_k() {
        let mut c = base();
        c.budget = crate::sim::scenario::config::BudgetConfig::Adaptive {
            k: 2.0,
            window_ms: 120_000.0,
            scope: Default::default(),
        };
        assert_eq!(
            of(&c, 1).budget,
            Some(BudgetThreshold::Adaptive {
                k: 2.0,
                unanswered_rate: 0.5
            })
        );
    }

    #[test]
    fn littles_law_by_hand() {
        // 100 clients at 1/s; a call: 1 ms each way + 20 ms service = 22 ms → 2.2 in flight;
        // 8 workers × 1000 / 20 ms = 400/s: 25% busy
        let a = of(&base(), 1);
        let l = &a.load;
        assert_eq!(l.arrival_per_s, Some(100.0));
        assert!((l.healthy_ms - 22.0).abs() < 1e-9);
        assert!((l.in_flight.unwrap() - 2.2).abs() < 1e-9);
        assert_eq!(l.services[0].utilisation, Some(0.25));
        // every attempt times out, mean sleeps 50, 100, 200, 400 ms: 5 attempts at 1 s +
        // … = 5.75 s, but the deadline ends it at 5 s → 500 in flight
        assert_eq!(l.worst_ms, Some(5000.0));
        assert!((l.worst_in_flight.unwrap() - 500.0).abs() < 1e-9);
        assert_eq!(l.worst_attempts_per_s, Some(1000.0));
        let opt = Options {
            layers: 1,
            arrival_per_s: Some(10.0),
        };
        let b = analyse(&base().validate().unwrap(), &opt);
        assert!((b.load.in_flight.unwrap() - 0.22).abs() < 1e-12);
        assert!(Options { layers: 0, ..opt }
            .check()
            .unwrap_err()
            .contains("layers"));
        assert!(Options {
            arrival_per_s: Some(f64::NAN),
            ..opt
        }
        .check()
        .is_err());
    }

    #[test]
    fn p999_by_hand() {
        assert!((p999(&Dist::Exponential(10.0)) - 10.0 * 1000f64.ln()).abs() < 1e-9);
        assert_eq!(p999(&Dist::Uniform(0, 1000)), 999.0);
        assert_eq!(p999(&Dist::Constant(7)), 7.0);
        // |N(0, 1)|: P(|Z| ≤ q) = 0.999 at q = z(0.9995) = 3.2905
        let q = p999(&Dist::FoldedNormal { mean: 0.0, sd: 1.0 });
        assert!((q - 3.290_526_731).abs() < 1e-6, "{q}");
        let Some(ln) = Dist::lognormal(10.0, 50.0) else {
            panic!()
        };
        let Dist::LogNormal { mu, sigma } = ln else {
            panic!()
        };
        assert!((p999(&ln) - (mu + 3.090_232_306 * sigma).exp()).abs() < 1e-6);
    }
}
