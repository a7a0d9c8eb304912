//! What the scorecard measures: each [`Metric`] with its unit and which way is better,
//! the figures one run gives ([`RunFigures`], read from its [`Summary`]), and a value per
//! metric ([`PerMetric`]).

use serde::{Deserialize, Serialize};

use crate::sim::output::outcome::Stop;
use crate::sim::Summary;
use crate::units::Quantity;

/// Which way a metric is good: decides whether a B − A difference is better or worse.
/// (The page's summary table has its own, in `ui::summary`; this one is pure.)
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Better {
    /// More is better (availability).
    Higher,
    /// Less is better (latency, amplification, the herd, time to recover).
    Lower,
    /// Neither: more or fewer says nothing good or bad by itself (requests a breaker or a
    /// budget failed: shedding load on purpose).
    Neutral,
}

/// How B compares with A on one metric.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// B is better.
    Better,
    /// B is worse.
    Worse,
    /// Exactly the same figure.
    Same,
}

impl Better {
    /// The verdict on going from `a` to `b`; `None` for a neutral metric or when either is
    /// missing. With `missing_is_infinite` (time to recover: missing = never), a missing
    /// figure counts as larger than any other, and two missing are the same.
    pub fn verdict(
        self,
        a: Option<f64>,
        b: Option<f64>,
        missing_is_infinite: bool,
    ) -> Option<Verdict> {
        let inf = |x: Option<f64>| match x {
            None if missing_is_infinite => Some(f64::INFINITY),
            x => x,
        };
        let (a, b) = (inf(a)?, inf(b)?);
        let up = match b.partial_cmp(&a)? {
            std::cmp::Ordering::Equal => return Some(Verdict::Same),
            std::cmp::Ordering::Greater => true,
            std::cmp::Ordering::Less => false,
        };
        match (self, up) {
            (Better::Neutral, _) => None,
            (Better::Higher, true) | (Better::Lower, false) => Some(Verdict::Better),
            _ => Some(Verdict::Worse),
        }
    }
}

/// One column of the scorecard.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Metric {
    /// Requests that succeeded / requests started (the summary's `availability`).
    Availability,
    /// Requests that failed: gave up after their last attempt, on a failure not retried,
    /// at their deadline, or when a breaker or budget stopped them (the summary's
    /// `failed`).
    FailedRequests,
    /// Median end-to-end latency of the requests that succeeded (ms).
    SuccessP50,
    /// 99th percentile of the same (ms).
    SuccessP99,
    /// Attempts / requests.
    Amplification,
    /// The highest arrival rate in one bucket after the disturbance ended, over the
    /// service's capacity.
    PeakAfterFault,
    /// Time from the end of the disturbance until the attempt success rate is back to 95%
    /// of its level before it, and stays there (ms); missing = never recovered.
    TimeToRecover,
    /// Calls a circuit breaker rejected (never sent).
    RejectedByBreaker,
    /// Retries a retry budget refused (and retries adaptive throttling rejected).
    BudgetDeniedRetries,
}

impl Metric {
    /// Every metric, in the order of the scorecard's columns.
    pub const ALL: [Metric; 9] = [
        Metric::Availability,
        Metric::FailedRequests,
        Metric::SuccessP50,
        Metric::SuccessP99,
        Metric::Amplification,
        Metric::PeakAfterFault,
        Metric::TimeToRecover,
        Metric::RejectedByBreaker,
        Metric::BudgetDeniedRetries,
    ];

    /// Its field name in JSON (and the CSV columns' stem).
    pub fn key(self) -> &'static str {
        match self {
            Metric::Availability => "availability",
            Metric::FailedRequests => "failed_requests",
            Metric::SuccessP50 => "success_p50_ms",
            Metric::SuccessP99 => "success_p99_ms",
            Metric::Amplification => "amplification",
            Metric::PeakAfterFault => "peak_after_fault_vs_capacity",
            Metric::TimeToRecover => "time_to_recover_ms",
            Metric::RejectedByBreaker => "rejected_by_breaker",
            Metric::BudgetDeniedRetries => "budget_denied_retries",
        }
    }

    /// A short column heading.
    pub fn label(self) -> &'static str {
        match self {
            Metric::Availability => "availability",
            Metric::FailedRequests => "failed",
            Metric::SuccessP50 => "success p50",
            Metric::SuccessP99 => "success p99",
            Metric::Amplification => "amplification",
            Metric::PeakAfterFault => "peak/capacity",
            Metric::TimeToRecover => "recovery",
            Metric::RejectedByBreaker => "by breaker",
            Metric::BudgetDeniedRetries => "by budget",
        }
    }

    /// What it means, in a sentence.
    pub fn help(self) -> &'static str {
        match self {
            Metric::Availability => "Requests that succeeded / requests started.",
            Metric::FailedRequests => "Requests that failed: out of attempts, a failure not retried, the deadline, or stopped by a breaker or budget.",
            Metric::SuccessP50 => "Median end-to-end latency of the requests that succeeded, retries and backoff included.",
            Metric::SuccessP99 => "99th percentile of the latency of the requests that succeeded.",
            Metric::Amplification => "Attempts per request: how much retries multiply the load.",
            Metric::PeakAfterFault => "Highest arrival rate in one 500 ms bucket after the disturbance ended, as a multiple of the service's capacity: above 1×, the herd is more than it can serve.",
            Metric::TimeToRecover => "From the end of the disturbance until the attempt success rate is back to 95% of its level before, for good; never if it is not back by the end of the run.",
            Metric::RejectedByBreaker => "Calls a circuit breaker rejected on the client: failed without being sent.",
            Metric::BudgetDeniedRetries => "Retries a retry budget refused (or adaptive throttling rejected): requests failed instead of retried.",
        }
    }

    /// How its figures read.
    pub fn quantity(self) -> Quantity {
        match self {
            Metric::Availability => Quantity::Share,
            Metric::SuccessP50 | Metric::SuccessP99 | Metric::TimeToRecover => Quantity::Duration,
            Metric::Amplification | Metric::PeakAfterFault => Quantity::Multiplier,
            Metric::FailedRequests | Metric::RejectedByBreaker | Metric::BudgetDeniedRetries => {
                Quantity::Count
            }
        }
    }

    /// Which way is good.
    pub fn better(self) -> Better {
        match self {
            Metric::Availability => Better::Higher,
            Metric::RejectedByBreaker | Metric::BudgetDeniedRetries => Better::Neutral,
            _ => Better::Lower,
        }
    }

    /// Whether a run without a figure counts as infinitely bad rather than as no data:
    /// only for the time to recover, where none means never recovered.
    pub fn missing_is_infinite(self) -> bool {
        self == Metric::TimeToRecover
    }

    /// What a missing figure means, in words.
    pub fn missing_words(self) -> &'static str {
        match self {
            Metric::TimeToRecover => "never",
            Metric::SuccessP50 | Metric::SuccessP99 => "none succeeded",
            _ => "—",
        }
    }
}

/// A metric serializes as its key (`"failed_requests"`).
impl Serialize for Metric {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.key())
    }
}

/// One value per metric, named by [`Metric::key`] in JSON.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct PerMetric<T> {
    pub availability: T,
    pub failed_requests: T,
    pub success_p50_ms: T,
    pub success_p99_ms: T,
    pub amplification: T,
    pub peak_after_fault_vs_capacity: T,
    pub time_to_recover_ms: T,
    pub rejected_by_breaker: T,
    pub budget_denied_retries: T,
}

impl<T> PerMetric<T> {
    /// `f` of every metric.
    pub fn from_fn(mut f: impl FnMut(Metric) -> T) -> PerMetric<T> {
        PerMetric {
            availability: f(Metric::Availability),
            failed_requests: f(Metric::FailedRequests),
            success_p50_ms: f(Metric::SuccessP50),
            success_p99_ms: f(Metric::SuccessP99),
            amplification: f(Metric::Amplification),
            peak_after_fault_vs_capacity: f(Metric::PeakAfterFault),
            time_to_recover_ms: f(Metric::TimeToRecover),
            rejected_by_breaker: f(Metric::RejectedByBreaker),
            budget_denied_retries: f(Metric::BudgetDeniedRetries),
        }
    }

    /// The value of metric `m`.
    pub fn get(&self, m: Metric) -> &T {
        match m {
            Metric::Availability => &self.availability,
            Metric::FailedRequests => &self.failed_requests,
            Metric::SuccessP50 => &self.success_p50_ms,
            Metric::SuccessP99 => &self.success_p99_ms,
            Metric::Amplification => &self.amplification,
            Metric::PeakAfterFault => &self.peak_after_fault_vs_capacity,
            Metric::TimeToRecover => &self.time_to_recover_ms,
            Metric::RejectedByBreaker => &self.rejected_by_breaker,
            Metric::BudgetDeniedRetries => &self.budget_denied_retries,
        }
    }
}

/// What the scorecard reads of one run: small, and serde both ways, so a web worker can
/// send it back instead of the whole summary.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunFigures {
    /// The run's seed.
    pub seed: u64,
    /// The run stopped at its event or memory budget: its figures are of a partial run.
    pub partial: bool,
    /// Each metric's figure; `None` where the run has none (no request, none succeeded, no
    /// bucket after the fault, never recovered).
    #[serde(flatten)]
    pub values: PerMetric<Option<f64>>,
}

impl RunFigures {
    /// The figures of a run with summary `s`.
    pub fn of(s: &Summary) -> RunFigures {
        let values = PerMetric::from_fn(|m| match m {
            Metric::Availability => s.availability,
            Metric::FailedRequests => Some(s.failed as f64),
            Metric::SuccessP50 => s.success_latency_ms.p50,
            Metric::SuccessP99 => s.success_latency_ms.p99,
            Metric::Amplification => Some(s.amplification),
            Metric::PeakAfterFault => s
                .peak_after_fault_per_s
                .zip(s.capacity_per_s)
                .filter(|&(_, c)| c > 0.0)
                .map(|(p, c)| p / c),
            Metric::TimeToRecover => s.time_to_recover_ms,
            Metric::RejectedByBreaker => Some(s.rejected_by_breaker as f64),
            Metric::BudgetDeniedRetries => Some(s.budget_denied_retries as f64),
        });
        RunFigures {
            seed: s.seed,
            partial: s.stop.and_then(Stop::partial_reason).is_some(),
            values,
        }
    }

    /// The figure of metric `m`.
    pub fn get(&self, m: Metric) -> Option<f64> {
        *self.values.get(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_the_json_names_and_get_reads_from_fn() {
        let per = PerMetric::from_fn(|m| m.key());
        let json = serde_json::to_value(&per).unwrap();
        for m in Metric::ALL {
            assert_eq!(json[m.key()], m.key());
            assert_eq!(*per.get(m), m.key());
        }
        assert_eq!(json.as_object().unwrap().len(), Metric::ALL.len());
    }

    #[test]
    fn verdicts_follow_the_direction_and_never_is_worst() {
        use Verdict::{Same, Worse};
        let better = Some(Verdict::Better);
        let l = Better::Lower;
        assert_eq!(l.verdict(Some(2.0), Some(1.0), false), better);
        assert_eq!(l.verdict(Some(1.0), Some(2.0), false), Some(Worse));
        assert_eq!(l.verdict(Some(1.0), Some(1.0), false), Some(Same));
        assert_eq!(Better::Higher.verdict(Some(0.9), Some(0.95), false), better);
        assert_eq!(Better::Neutral.verdict(Some(1.0), Some(2.0), false), None);
        assert_eq!(
            Better::Neutral.verdict(Some(1.0), Some(1.0), false),
            Some(Same)
        );
        assert_eq!(l.verdict(None, Some(2.0), false), None);
        // time to recover: never is worse than any time, never = never
        assert_eq!(l.verdict(None, Some(9e9), true), better);
        assert_eq!(l.verdict(Some(0.0), None, true), Some(Worse));
        assert_eq!(l.verdict(None, None, true), Some(Same));
    }
}
