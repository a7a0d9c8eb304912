//! The client side: starting requests, picking services, sending attempts, timeouts,
//! retries and backoff.
//!
//! Client-side randomness (arrivals, the service picked, request-path network delay,
//! jitter, think time, throttling draws) comes from the client's own stream.

use super::event::Event;
use super::{run_series, Request, Sim};
use crate::sim::output::outcome::Outcome;
use crate::sim::policy::budget::Class;
use crate::sim::scenario::{Arrival, Route, Workload};
use crate::sim::Micros;

/// Pending timeouts before stale ones are looked for.
const STALE_TIMEOUTS: usize = 4096;

impl Sim {
    /// A client starts a logical request; open-loop clients also schedule their next one.
    pub(super) fn start_request(&mut self, client: u32) {
        let now = self.now;
        let req = match self.free.pop() {
            Some(r) => r,
            None => {
                self.reqs.push(Request::default());
                (self.reqs.len() - 1) as u32
            }
        };
        let gen = self.reqs[req as usize].gen;
        let svc = match &self.sc.route() {
            Route::Weighted(cum) if cum.len() > 1 => {
                let u = self.clients[client as usize].unit();
                cum.iter().position(|&c| u < c).unwrap_or(cum.len() - 1) as u8
            }
            _ => 0,
        };
        let draw = if self.draws_kind {
            (self.clients[client as usize].next_u64() >> 48) as u16
        } else {
            0
        };
        self.reqs[req as usize] = Request {
            client,
            gen,
            start: now,
            sent: now,
            svc,
            draw,
            ..Request::default()
        };
        self.totals.requests += 1;
        let series = run_series(&mut self.series, &mut self.svcs, self.shares_series);
        series.at(now).started += 1;
        self.gauges.advance(series, now);
        self.gauges.in_flight += 1;
        self.start_call(req);

        if self.sc.workload() == Workload::Service {
            let next = match self.sc.clients().arrival {
                Arrival::Poisson(_) => self.next_poisson(client, now),
                Arrival::Interval(every) => Some(now + every),
                Arrival::Burst(_) | Arrival::ClosedLoop(_) => None,
            };
            if let Some(t) = next.filter(|&t| t < self.sc.duration()) {
                self.queue.push(t, Event::Start { client });
            }
        }
    }

    /// The request's current call (to `reqs[req].svc`) begins: fresh attempts and jitter
    /// state, a ratio budget's deposit, then the first attempt.
    fn start_call(&mut self, req: u32) {
        let r = &mut self.reqs[req as usize];
        r.attempts = 0;
        r.cost = 0;
        r.acquired = false;
        r.sleep = self.sc.policy().backoff.initial_sleep() as u32;
        let (client, svc) = (r.client, r.svc as usize);
        self.svcs[svc].totals.calls_started += 1;
        if let Some(b) = &mut self.budgets {
            let i = b.spec().index(client, svc, self.sc.services().len());
            b.call_started(i, self.now);
            self.budget_changed(svc, i);
        }
        self.send(req);
    }

    /// The next Poisson arrival of `client` after `from`, honouring load windows (the rate
    /// is piecewise constant, so by memorylessness a draw that crosses a window edge is
    /// redrawn from the edge at the new rate). `None` if the rate stays zero.
    pub(super) fn next_poisson(&mut self, client: u32, from: Micros) -> Option<Micros> {
        let Arrival::Poisson(rate_per_s) = self.sc.clients().arrival else {
            return None;
        };
        let rng = &mut self.clients[client as usize];
        let mut t = from as f64;
        loop {
            let (mult, edge) = load_at(&self.sc.clients().load, t);
            let rate = rate_per_s * mult / 1e6; // per µs
            if rate > 0.0 {
                let next = t + rng.exponential(1.0 / rate);
                if next < edge {
                    return Some(crate::sim::random::dist::to_micros(next));
                }
            }
            if !edge.is_finite() || edge >= self.sc.duration() as f64 {
                return None;
            }
            t = edge;
        }
    }

    /// Send the request's next attempt.
    pub(super) fn send(&mut self, req: u32) {
        match self.sc.workload() {
            Workload::Service => self.send_attempt(req),
            Workload::Occ => self.occ_send_read(req),
        }
    }

    fn send_attempt(&mut self, req: u32) {
        let now = self.now;
        let r = &mut self.reqs[req as usize];
        r.attempts += 1;
        r.sent = now;
        r.trial = 0;
        let (gen, retry, start, client, svc) =
            (r.gen, r.attempts > 1, r.start, r.client, r.svc as usize);
        // the client's own guards first: its breaker, then adaptive throttling
        if self.breakers.is_some() || self.budgets.is_some() {
            if let Some(outcome) = self.guard_attempt(req, client, svc) {
                // ends through the queue (no recursion into a retry), a microsecond later:
                // a client that retries or starts its next request at once still lets
                // simulated time move on (and its breaker's timer fire)
                return self.queue.push(now + 1, Event::Reply { req, gen, outcome });
            }
        }
        let s = &self.sc.services()[svc];
        let delay = s.network.sample(&mut self.clients[client as usize]);
        self.totals.attempts += 1;
        self.queue.push(
            now + delay,
            Event::Arrive {
                req,
                gen,
                retry,
                svc: svc as u8,
            },
        );
        let p = &self.sc.policy();
        let deadline = p.deadline.map(|d| start + d);
        match (p.timeout.map(|t| now + t), deadline) {
            (Some(t), Some(d)) if d < t => self.queue.push(d, Event::Deadline { req, gen }),
            (Some(t), _) => {
                self.drop_stale_timeouts();
                self.timeouts.push_back((t, req, gen));
            }
            (None, Some(d)) => self.queue.push(d, Event::Deadline { req, gen }),
            (None, None) => {}
        }
    }

    /// Timeouts of attempts that already ended wait in the FIFO until they expire: when
    /// they outnumber the requests in flight, drop them (each request has at most one live
    /// timeout, so this costs O(1) per timeout set, amortized), so that memory follows the
    /// requests in flight and not how many attempts ended within one timeout.
    fn drop_stale_timeouts(&mut self) {
        let n = self.timeouts.len();
        if n >= STALE_TIMEOUTS && n > 2 * self.in_flight() as usize {
            let reqs = &self.reqs;
            self.timeouts.retain(|&(_, r, g)| reqs[r as usize].gen == g);
        }
    }

    /// The current attempt of `req` ended with `outcome`: record it, then retry, move on to
    /// the next call of a sequence, or finish.
    pub(super) fn attempt_ended(&mut self, req: u32, outcome: Outcome) {
        let now = self.now;
        let r = &mut self.reqs[req as usize];
        r.gen = r.gen.wrapping_add(1);
        let r = *r;
        let svc = r.svc as usize;
        if outcome == Outcome::Success {
            self.totals.slowest_success = self.totals.slowest_success.max(now - r.sent);
        }
        if self.keeps_record {
            if outcome.was_sent() {
                self.attempt_latency.record(now - r.sent);
            }
            self.raster.record(r.client, r.sent, now, outcome);
        }
        let st = &mut self.svcs[svc];
        *st.series.at(now).count_mut(outcome) += 1;
        let p = &self.sc.policy();
        let retryable = match outcome {
            Outcome::Success | Outcome::Throttled => false,
            Outcome::Timeout => p.retry_on.timeout,
            Outcome::Error => p.retry_on.error,
            Outcome::Rejected => p.retry_on.rejected,
            Outcome::Refused => p.retry_on.refused,
            Outcome::ShortCircuit => p.retry_on.breaker_open,
        };
        if self.breakers.is_some() || self.budgets.is_some() {
            self.guard_outcome(&r, outcome, retryable);
        }
        if outcome == Outcome::Success {
            return self.call_succeeded(req);
        }
        let p = &self.sc.policy();
        let deadline = p.deadline.map(|d| r.start + d).unwrap_or(Micros::MAX);
        if !retryable || r.attempts >= p.max_attempts || now >= deadline {
            return self.finish(req, false);
        }
        if self.budgets.is_some() && !self.budget_allows_retry(req, outcome) {
            return self.finish(req, false);
        }
        let p = &self.sc.policy();
        let backoff = if outcome == Outcome::Rejected {
            p.backoff.throttled()
        } else {
            p.backoff
        };
        let rng = &mut self.clients[r.client as usize];
        let mut sleep = u64::from(r.sleep);
        let delay = backoff.sleep(r.attempts, &mut sleep, rng);
        self.reqs[req as usize].sleep = sleep as u32;
        if now + delay >= deadline {
            return self.finish(req, false);
        }
        if delay == 0 && outcome != Outcome::ShortCircuit {
            self.send(req);
        } else {
            self.queue
                .push(now + delay, Event::Send { req, gen: r.gen });
        }
    }

    /// The current call succeeded: the next call of a sequence (unless the request's
    /// deadline has come), or the request is done.
    fn call_succeeded(&mut self, req: u32) {
        let now = self.now;
        let deadline = self.sc.policy().deadline;
        let r = &mut self.reqs[req as usize];
        self.svcs[r.svc as usize].totals.calls_succeeded += 1;
        if *self.sc.route() == Route::Sequence && (r.step as usize) + 1 < self.sc.services().len() {
            if deadline.is_some_and(|d| now >= r.start + d) {
                return self.finish(req, false);
            }
            r.step += 1;
            r.svc = r.step;
            self.start_call(req);
        } else {
            self.finish(req, true);
        }
    }

    /// Would a budget let this request retry after `outcome`? Counts a refusal.
    fn budget_allows_retry(&mut self, req: u32, outcome: Outcome) -> bool {
        let now = self.now;
        let r = self.reqs[req as usize];
        let services = self.sc.services().len();
        let Some(b) = &mut self.budgets else {
            return true;
        };
        let i = b.spec().index(r.client, r.svc as usize, services);
        let mut cost = r.cost;
        if b.allow_retry(i, now, class(outcome), &mut cost) {
            let rm = &mut self.reqs[req as usize];
            rm.cost = cost;
            rm.acquired = matches!(
                b.spec().kind,
                crate::sim::policy::budget::BudgetKind::Aws { .. }
            );
            self.budget_changed(r.svc as usize, i);
            true
        } else {
            let st = &mut self.svcs[r.svc as usize];
            st.totals.budget_denied += 1;
            st.series.at(now).budget_denied += 1;
            false
        }
    }

    /// The request is over: record it, free its slot, and (closed loop) think, then start
    /// the next one.
    pub(super) fn finish(&mut self, req: u32, ok: bool) {
        let now = self.now;
        let r = &mut self.reqs[req as usize];
        r.gen = r.gen.wrapping_add(1);
        let (client, start) = (r.client, r.start);
        if self.keeps_record {
            self.raster.request_ended(client);
        }
        self.req_latency.record(now - start);
        if ok {
            self.ok_latency.record(now - start);
        } else {
            self.failed_latency.record(now - start);
        }
        let series = run_series(&mut self.series, &mut self.svcs, self.shares_series);
        let b = series.at(now);
        if ok {
            b.succeeded += 1;
            self.totals.succeeded += 1;
        } else {
            b.failed += 1;
            self.totals.failed += 1;
        }
        self.totals.last_end = Some(now);
        self.gauges.advance(series, now);
        self.gauges.in_flight -= 1;
        self.free.push(req);
        if let (Workload::Service, Arrival::ClosedLoop(think)) =
            (self.sc.workload(), &self.sc.clients().arrival)
        {
            // at least a microsecond: a client never starts its next request at the very
            // instant the last one ended (which could spin without time moving on)
            let t = now + think.sample(&mut self.clients[client as usize]).max(1);
            if t < self.sc.duration() {
                self.queue.push(t, Event::Start { client });
            }
        }
    }
}

/// How a budget classifies an outcome.
pub(super) fn class(o: Outcome) -> Class {
    match o {
        Outcome::Success => Class::Success,
        Outcome::Timeout => Class::Timeout,
        Outcome::Rejected => Class::Throttling,
        Outcome::Error => Class::Error,
        Outcome::Refused | Outcome::ShortCircuit | Outcome::Throttled => Class::Unanswered,
    }
}

/// The load multiplier in force at `t` and the time it next changes (∞ if never).
///
/// The windows are sorted and do not overlap (validation), so their ends are sorted too:
/// the first window ending after `t` is found by binary search, not by a scan per draw.
fn load_at(windows: &[crate::sim::scenario::LoadWindow], t: f64) -> (f64, f64) {
    let i = windows.partition_point(|w| w.end as f64 <= t);
    match windows.get(i) {
        Some(w) if t < w.start as f64 => (1.0, w.start as f64),
        Some(w) => (w.multiplier, w.end as f64),
        None => (1.0, f64::INFINITY),
    }
}
