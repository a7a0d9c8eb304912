//! The engine's side of circuit breakers and retry budgets: asking them before an attempt
//! goes out, telling them how it ended, their timers, and their gauges and counts.

use super::client::class;
use super::event::Event;
use super::{run_series, Request, Sim};
use crate::sim::output::outcome::Outcome;
use crate::sim::policy::breaker::{Permit, State, Transition};

impl Sim {
    /// Before attempt of `req` to `svc` goes out: adaptive throttling (the application's
    /// layer) may reject it locally, then the breaker may. `Some(outcome)` if rejected.
    pub(super) fn guard_attempt(&mut self, req: u32, client: u32, svc: usize) -> Option<Outcome> {
        let now = self.now;
        let services = self.sc.services().len();
        if let Some(b) = &mut self.budgets {
            let i = b.spec().index(client, svc, services);
            if matches!(
                b.spec().kind,
                crate::sim::policy::budget::BudgetKind::Adaptive { .. }
            ) {
                let u = self.clients[client as usize].unit();
                let admitted = b.admit(i, now, u);
                self.budget_changed(svc, i);
                if !admitted {
                    if self.reqs[req as usize].attempts > 1 {
                        let st = &mut self.svcs[svc];
                        st.totals.budget_denied += 1;
                        st.series.at(now).budget_denied += 1;
                    }
                    return Some(Outcome::Throttled);
                }
            }
        }
        if let Some(b) = &mut self.breakers {
            let i = b.spec().scope.index(client, svc, services);
            match b.permit(i) {
                Permit::Allowed => {}
                Permit::Trial(tag) => self.reqs[req as usize].trial = tag,
                Permit::Rejected => {
                    let healthy = !self.svcs[svc].faulty_at(now);
                    let t = &mut self.svcs[svc].totals;
                    t.short_circuited += 1;
                    t.collateral += u64::from(healthy);
                    return Some(Outcome::ShortCircuit);
                }
            }
        }
        None
    }

    /// An attempt of request `r` ended with `outcome`: tell its breaker and budget.
    pub(super) fn guard_outcome(&mut self, r: &Request, outcome: Outcome, retryable: bool) {
        if !outcome.was_sent() {
            return;
        }
        let now = self.now;
        let svc = r.svc as usize;
        let services = self.sc.services().len();
        if let Some(b) = &mut self.breakers {
            let spec = *b.spec();
            let i = spec.scope.index(r.client, svc, services);
            let f = spec.failure_on;
            let failure = match outcome {
                Outcome::Timeout => f.timeout,
                Outcome::Error => f.error,
                Outcome::Rejected => f.rejected,
                Outcome::Refused => f.refused,
                _ => false,
            };
            let slow = match spec.trip {
                crate::sim::policy::breaker::Trip::Rate {
                    slow_call: Some(s), ..
                } => now - r.sent > s,
                _ => false,
            };
            let trial = (r.trial != 0).then_some(r.trial);
            if let Some(t) = b.record(i, now, failure, slow, trial) {
                self.breaker_transition(i, t);
            }
        }
        if let Some(b) = &mut self.budgets {
            let i = b.spec().index(r.client, svc, services);
            match outcome {
                Outcome::Success => b.succeeded(i, now, r.acquired.then_some(r.cost)),
                _ if retryable => b.failed(i, now, class(outcome)),
                _ => b.failed_for_good(i, now, class(outcome)),
            }
            self.budget_changed(svc, i);
        }
    }

    /// Breaker `i` changed state: gauges, counts, and the timer of an open breaker.
    pub(super) fn breaker_transition(&mut self, i: usize, t: Transition) {
        let now = self.now;
        let svc = self
            .breakers
            .as_ref()
            .and_then(|b| b.spec().scope.service_of(i, self.sc.services().len()));
        let (series, gauges, totals) = match svc {
            Some(s) => {
                let st = &mut self.svcs[s];
                (
                    &mut st.series,
                    &mut st.gauges,
                    Some(&mut st.totals.transitions),
                )
            }
            None => (
                run_series(&mut self.series, &mut self.svcs, self.shares_series),
                &mut self.gauges,
                None,
            ),
        };
        gauges.advance(series, now);
        let k = match t {
            Transition::Opened { from, until, gen } => {
                gauges.open += 1;
                if from == State::HalfOpen {
                    gauges.half_open -= 1;
                }
                series.at(now).breakers_opened += 1;
                self.queue
                    .push(until, Event::BreakerTimer { idx: i as u32, gen });
                0
            }
            Transition::HalfOpened => {
                gauges.open -= 1;
                gauges.half_open += 1;
                1
            }
            Transition::Closed => {
                gauges.half_open -= 1;
                2
            }
        };
        if let Some(tr) = totals {
            tr[k] += 1;
        }
        self.totals.transitions[k] += 1;
    }

    /// A breaker's open time is over.
    pub(super) fn breaker_timer(&mut self, i: usize, gen: u32) {
        let t = self.breakers.as_mut().and_then(|b| b.timer(i, gen));
        if let Some(t) = t {
            self.breaker_transition(i, t);
        }
    }

    /// Budget `i` (of service `svc`) may have changed: move the service's budget gauge.
    pub(super) fn budget_changed(&mut self, svc: usize, i: usize) {
        let now = self.now;
        if let Some(b) = &mut self.budgets {
            let delta = b.refresh(i, now);
            if delta != 0.0 {
                let st = &mut self.svcs[svc];
                st.gauges.advance(&mut st.series, now);
                // a sum of float changes: keep rounding from taking it below zero
                st.gauges.budget = (st.gauges.budget + delta).max(0.0);
            }
        }
    }

    /// Start every service's budget gauge at its budgets' initial levels.
    pub(super) fn init_budget_gauges(&mut self) {
        let Some(b) = &mut self.budgets else {
            return;
        };
        let services = self.sc.services().len();
        let clients = if b.spec().per_client {
            self.sc.clients().count
        } else {
            1
        };
        for c in 0..clients {
            for s in 0..services {
                let i = b.spec().index(c, s, services);
                self.svcs[s].gauges.budget += b.refresh(i, 0);
            }
        }
    }
}
