//! Client policies, each usable on its own: backoff and jitter schedules, the circuit
//! breaker state machine, and retry budgets.

pub mod backoff;
pub mod breaker;
pub mod budget;
