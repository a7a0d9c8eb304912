//! How things end: an attempt ([`Outcome`]) and a run ([`Stop`]).

use serde::{Deserialize, Serialize};

/// How an attempt ended, as the client sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The service answered with success.
    Success,
    /// The client stopped waiting.
    Timeout,
    /// The service answered with an error (OCC: the write lost the race).
    Error,
    /// The service's queue was full.
    Rejected,
    /// Connection refused: the service was down.
    Refused,
    /// The client's circuit breaker rejected the call (never sent).
    ShortCircuit,
    /// Adaptive throttling rejected the attempt locally (never sent).
    Throttled,
}

impl Outcome {
    /// Every outcome, in chart order.
    pub const ALL: [Outcome; 7] = [
        Outcome::Success,
        Outcome::Timeout,
        Outcome::Error,
        Outcome::Rejected,
        Outcome::Refused,
        Outcome::ShortCircuit,
        Outcome::Throttled,
    ];

    /// True for outcomes of attempts that were sent to a service.
    pub fn was_sent(self) -> bool {
        !matches!(self, Outcome::ShortCircuit | Outcome::Throttled)
    }
}

/// Why a run stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stop {
    /// Nothing left to happen.
    Drained,
    /// Simulated time reached the scenario's duration.
    Duration,
    /// The event budget ran out before the end: the results cover only part of the run.
    EventBudget,
    /// Requests in flight and pending events would have outgrown the memory budget: the
    /// results cover only part of the run.
    MemoryBudget,
}

impl Stop {
    /// Why the results cover only part of the run, in plain words; `None` when the run
    /// ended as planned.
    pub fn partial_reason(self) -> Option<&'static str> {
        match self {
            Stop::Drained | Stop::Duration => None,
            Stop::EventBudget => {
                Some("the run stopped at its event budget (max_events): results are partial")
            }
            Stop::MemoryBudget => Some(
                "the run stopped at its memory budget (max_memory_mb): requests in flight, \
                 pending events and queues outgrew it; results are partial",
            ),
        }
    }
}
