//! Circuit breakers: the state machine of each breaker and compact storage for many.
//!
//! A breaker is closed (calls pass), open (calls are rejected at once) or half-open (a few
//! trial calls pass). It trips from closed to open by one of two rules:
//! - consecutive failures reach `k` (sony/gobreaker: `ConsecutiveFailures > 5`, i.e. 6);
//! - over a sliding window of the last N calls or of the last T (in buckets), with at
//!   least `min_calls` calls in it, failures / calls ≥ the failure threshold or slow calls /
//!   calls ≥ the slow threshold (resilience4j; Polly checks only after a failure).
//!
//! After the open time it goes half-open and lets `calls` trials through; `successes`
//! trial successes close it, and it re-opens as soon as more than `calls − successes`
//! trials fail (with both equal: any failure, as in gobreaker and Polly; resilience4j's
//! "failure rate of the 10 trials ≥ 50%" is `calls` 10, `successes` 6, decided as soon as
//! the outcome is certain rather than after the tenth). A re-opened breaker waits
//! `open · multiplier^(trips − 1)`, at most `open_max`. Every transition clears the
//! counts and bumps the breaker's generation (as gobreaker does), so a timer set for an
//! older state is recognised and ignored. Results of calls let through in an earlier state
//! are ignored while half-open or open: a trial carries the tag of its half-open period.
//!
//! Storage: 16 bytes per breaker, plus, for window rules, a 24-byte summary and the
//! window's buckets (2 bits per call of a count window, 3 × 4 bytes per time bucket).

use crate::sim::policy::backoff::{Backoff, Jitter, Schedule};
use crate::sim::Micros;

/// Who keeps a breaker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Each client keeps one breaker per service.
    PerService,
    /// Each client keeps one breaker for all services.
    Global,
    /// One breaker per service, shared by all clients.
    SharedPerService,
    /// One breaker for everything, shared by all clients.
    SharedGlobal,
}

impl Scope {
    /// Number of breakers for `clients` clients and `services` services.
    pub fn count(self, clients: u32, services: usize) -> usize {
        match self {
            Scope::PerService => clients as usize * services,
            Scope::Global => clients as usize,
            Scope::SharedPerService => services,
            Scope::SharedGlobal => 1,
        }
    }

    /// The breaker that guards `client`'s calls to service `svc`.
    #[inline]
    pub fn index(self, client: u32, svc: usize, services: usize) -> usize {
        match self {
            Scope::PerService => client as usize * services + svc,
            Scope::Global => client as usize,
            Scope::SharedPerService => svc,
            Scope::SharedGlobal => 0,
        }
    }

    /// The service breaker `i` guards (per-service scopes; the inverse of
    /// [`Scope::index`]), or `None` for breakers that guard every service.
    pub fn service_of(self, i: usize, services: usize) -> Option<usize> {
        match self {
            Scope::PerService => Some(i % services.max(1)),
            Scope::SharedPerService => Some(i),
            Scope::Global | Scope::SharedGlobal => None,
        }
    }

    /// True when each breaker guards one service (its state belongs to that service).
    pub fn per_service(self) -> bool {
        matches!(self, Scope::PerService | Scope::SharedPerService)
    }
}

/// A sliding window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Window {
    /// The last `n` calls.
    Count(u32),
    /// Calls that ended in the last `span` µs, in `buckets` aligned buckets.
    Time {
        /// Window length.
        span: Micros,
        /// Buckets.
        buckets: u32,
    },
}

/// When a closed breaker trips.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Trip {
    /// After this many failures in a row.
    Consecutive(u32),
    /// On a failure rate or slow-call rate over a window.
    Rate {
        /// The window.
        window: Window,
        /// Calls needed in the window before any decision.
        min_calls: u32,
        /// Trip when failures / calls ≥ this.
        failure_rate: Option<f64>,
        /// Calls longer than this (µs) are slow.
        slow_call: Option<Micros>,
        /// Trip when slow / calls ≥ this.
        slow_rate: f64,
        /// Check only after a failure (Polly) rather than after every call.
        on_failure_only: bool,
    },
}

/// Which outcomes are failures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FailureOn {
    /// Timeouts.
    pub timeout: bool,
    /// Errors.
    pub error: bool,
    /// Queue-full rejections.
    pub rejected: bool,
    /// Refused connections.
    pub refused: bool,
}

/// A validated breaker configuration.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BreakerSpec {
    /// Who keeps breakers.
    pub scope: Scope,
    /// The trip rule.
    pub trip: Trip,
    /// First open time (µs).
    pub open: Micros,
    /// Growth of the open time on repeated trips (≥ 1).
    pub open_multiplier: f64,
    /// Longest open time (µs).
    pub open_max: Micros,
    /// Trial calls while half-open (≥ 1).
    pub half_open_calls: u32,
    /// Trial successes that close it (1..=half_open_calls).
    pub half_open_successes: u32,
    /// What counts as a failure.
    pub failure_on: FailureOn,
}

impl BreakerSpec {
    /// The open time after trip `n` (n ≥ 1) is this schedule's delay before retry `n`:
    /// `open · multiplier^(n−1)`, at most `open_max` (and never below `open`).
    pub fn open_time(&self) -> Backoff {
        Backoff::new(
            Schedule::Exponential,
            self.open,
            self.open_multiplier,
            self.open_max.max(self.open),
            Jitter::None,
        )
    }
}

/// A breaker's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Calls pass.
    Closed,
    /// Calls are rejected.
    Open,
    /// Trial calls pass.
    HalfOpen,
}

/// What a breaker says to a call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Permit {
    /// Go ahead (closed).
    Allowed,
    /// Go ahead as a trial of the half-open period with this tag (its result counts only
    /// while that period lasts).
    Trial(u16),
    /// Rejected (open, or half-open with every trial taken).
    Rejected,
}

impl Permit {
    /// The trial tag, if the call was let through as a trial.
    pub fn trial(self) -> Option<u16> {
        match self {
            Permit::Trial(t) => Some(t),
            _ => None,
        }
    }
}

/// The tag of a breaker's current half-open period: its generation folded into 1..=65535.
fn tag(gen: u32) -> u16 {
    (gen % 65_535) as u16 + 1
}

/// A change of state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transition {
    /// Opened (from closed or half-open) until this time; `gen` is the new generation, for
    /// the timer that makes it half-open.
    Opened {
        /// State before.
        from: State,
        /// End of the open time.
        until: Micros,
        /// The breaker's generation now.
        gen: u32,
    },
    /// Went half-open.
    HalfOpened,
    /// Closed again.
    Closed,
}

/// One breaker: 16 bytes.
#[derive(Clone, Copy, Debug)]
struct Cell {
    state: State,
    /// Trips since it was last closed (for the growing open time).
    trips: u8,
    half_calls: u16,
    half_ok: u16,
    half_fail: u16,
    consecutive: u32,
    gen: u32,
}

/// Summary of a breaker's window.
#[derive(Clone, Copy, Debug, Default)]
struct Summary {
    calls: u32,
    fails: u32,
    slows: u32,
    /// Count window: next slot. Time window: unused.
    head: u32,
    /// Time window: index of the newest bucket (time / bucket width).
    epoch: u64,
}

/// Many breakers with one configuration.
///
/// ```
/// use herdsim::sim::policy::breaker::*;
/// let spec = BreakerSpec {
///     scope: Scope::SharedGlobal, trip: Trip::Consecutive(2), open: 1_000, open_multiplier: 1.0,
///     open_max: 1_000, half_open_calls: 1, half_open_successes: 1,
///     failure_on: FailureOn { timeout: true, error: true, rejected: true, refused: true },
/// };
/// let mut b = Breakers::new(spec, 1);
/// assert_eq!(b.permit(0), Permit::Allowed);
/// assert_eq!(b.record(0, 10, true, false, None), None);
/// let Some(Transition::Opened { until, gen, .. }) = b.record(0, 20, true, false, None) else { panic!() };
/// assert_eq!((until, b.state(0)), (1_020, State::Open));
/// assert_eq!(b.permit(0), Permit::Rejected);
/// assert_eq!(b.timer(0, gen), Some(Transition::HalfOpened));
/// let trial = b.permit(0);
/// assert_eq!(b.permit(0), Permit::Rejected);
/// assert_eq!(b.record(0, 1_030, false, false, trial.trial()), Some(Transition::Closed));
/// ```
#[derive(Clone, Debug)]
pub struct Breakers {
    spec: BreakerSpec,
    cells: Vec<Cell>,
    sums: Vec<Summary>,
    /// Window buckets: `words` u32 per breaker.
    arena: Vec<u32>,
    words: usize,
}

impl Breakers {
    /// `n` closed breakers.
    pub fn new(spec: BreakerSpec, n: usize) -> Breakers {
        let words = Self::words_per_breaker(&spec);
        let rate = matches!(spec.trip, Trip::Rate { .. });
        Breakers {
            spec,
            cells: vec![
                Cell {
                    state: State::Closed,
                    trips: 0,
                    half_calls: 0,
                    half_ok: 0,
                    half_fail: 0,
                    consecutive: 0,
                    gen: 0,
                };
                n
            ],
            sums: if rate {
                vec![Summary::default(); n]
            } else {
                Vec::new()
            },
            arena: vec![0; words * n],
            words,
        }
    }

    fn words_per_breaker(spec: &BreakerSpec) -> usize {
        match spec.trip {
            Trip::Consecutive(_) => 0,
            Trip::Rate {
                window: Window::Count(n),
                ..
            } => (2 * n as usize).div_ceil(32),
            Trip::Rate {
                window: Window::Time { buckets, .. },
                ..
            } => 3 * buckets as usize,
        }
    }

    /// Bytes `n` breakers of `spec` take (for validation's memory check).
    pub fn bytes_for(spec: &BreakerSpec, n: usize) -> usize {
        let per = std::mem::size_of::<Cell>()
            + match spec.trip {
                Trip::Consecutive(_) => 0,
                Trip::Rate { .. } => std::mem::size_of::<Summary>(),
            }
            + 4 * Self::words_per_breaker(spec);
        per.saturating_mul(n)
    }

    /// The configuration.
    pub fn spec(&self) -> &BreakerSpec {
        &self.spec
    }

    /// Number of breakers.
    pub fn len(&self) -> usize {
        self.cells.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// State of breaker `i`.
    pub fn state(&self, i: usize) -> State {
        self.cells[i].state
    }

    /// Bytes held.
    pub fn bytes(&self) -> usize {
        Self::bytes_for(&self.spec, self.cells.len())
    }

    /// May a call pass breaker `i`?
    #[inline]
    pub fn permit(&mut self, i: usize) -> Permit {
        let c = &mut self.cells[i];
        match c.state {
            State::Closed => Permit::Allowed,
            State::Open => Permit::Rejected,
            State::HalfOpen => {
                if u32::from(c.half_calls) < self.spec.half_open_calls {
                    c.half_calls += 1;
                    Permit::Trial(tag(c.gen))
                } else {
                    Permit::Rejected
                }
            }
        }
    }

    /// The open time has passed (a timer set at an `Opened` transition of generation
    /// `gen`): go half-open, unless the breaker has moved on since.
    pub fn timer(&mut self, i: usize, gen: u32) -> Option<Transition> {
        let c = self.cells[i];
        if c.state != State::Open || c.gen != gen {
            return None;
        }
        self.set(i, State::HalfOpen);
        Some(Transition::HalfOpened)
    }

    /// Record a call through breaker `i` that ended at `now`: a failure or not, slow or not,
    /// and, if it was let through as a trial, its tag ([`Permit::Trial`]). A trial counts
    /// only in the half-open period that let it through. Returns the transition it caused.
    pub fn record(
        &mut self,
        i: usize,
        now: Micros,
        failure: bool,
        slow: bool,
        trial: Option<u16>,
    ) -> Option<Transition> {
        let spec = self.spec;
        let c = self.cells[i];
        match c.state {
            State::Open => None,
            State::HalfOpen if trial != Some(tag(c.gen)) => None,
            State::HalfOpen => {
                let c = &mut self.cells[i];
                if failure {
                    c.half_fail += 1;
                    let allowed = spec.half_open_calls - spec.half_open_successes;
                    (u32::from(c.half_fail) > allowed).then(|| self.open(i, now, State::HalfOpen))
                } else {
                    c.half_ok += 1;
                    (u32::from(c.half_ok) >= spec.half_open_successes).then(|| {
                        self.cells[i].trips = 0;
                        self.set(i, State::Closed);
                        Transition::Closed
                    })
                }
            }
            State::Closed => {
                let trip = match spec.trip {
                    Trip::Consecutive(k) => {
                        let c = &mut self.cells[i];
                        c.consecutive = if failure { c.consecutive + 1 } else { 0 };
                        c.consecutive >= k
                    }
                    Trip::Rate {
                        window,
                        min_calls,
                        failure_rate,
                        slow_call,
                        slow_rate,
                        on_failure_only,
                    } => {
                        let slow = slow && slow_call.is_some();
                        let s = self.push(i, window, now, failure, slow);
                        let min = match window {
                            Window::Count(n) => min_calls.min(n),
                            Window::Time { .. } => min_calls,
                        };
                        (failure || !on_failure_only)
                            && s.calls >= min.max(1)
                            && (failure_rate
                                .is_some_and(|r| f64::from(s.fails) >= r * f64::from(s.calls))
                                || (slow_call.is_some()
                                    && f64::from(s.slows) >= slow_rate * f64::from(s.calls)))
                    }
                };
                trip.then(|| self.open(i, now, State::Closed))
            }
        }
    }

    /// Open breaker `i` (from `from`) at `now`.
    fn open(&mut self, i: usize, now: Micros, from: State) -> Transition {
        let spec = self.spec;
        let c = &mut self.cells[i];
        c.trips = c.trips.saturating_add(1);
        let wait = spec.open_time().delay(u32::from(c.trips));
        self.set(i, State::Open);
        Transition::Opened {
            from,
            until: now.saturating_add(wait),
            gen: self.cells[i].gen,
        }
    }

    /// Enter `state`: counts cleared, generation bumped.
    fn set(&mut self, i: usize, state: State) {
        let c = &mut self.cells[i];
        c.state = state;
        c.gen = c.gen.wrapping_add(1);
        c.half_calls = 0;
        c.half_ok = 0;
        c.half_fail = 0;
        c.consecutive = 0;
        if !self.sums.is_empty() {
            self.sums[i] = Summary::default();
            self.arena[i * self.words..(i + 1) * self.words].fill(0);
        }
    }

    /// Add a call to breaker `i`'s window; its summary after.
    fn push(&mut self, i: usize, window: Window, now: Micros, fail: bool, slow: bool) -> Summary {
        let words = &mut self.arena[i * self.words..(i + 1) * self.words];
        let s = &mut self.sums[i];
        match window {
            Window::Count(n) => {
                // 2 bits per call: failure, slow
                let slot = s.head as usize;
                let (w, shift) = (slot / 16, 2 * (slot % 16));
                if s.calls == n {
                    let old = (words[w] >> shift) & 3;
                    s.fails -= old & 1;
                    s.slows -= old >> 1;
                } else {
                    s.calls += 1;
                }
                let new = u32::from(fail) | u32::from(slow) << 1;
                words[w] = (words[w] & !(3 << shift)) | new << shift;
                s.fails += u32::from(fail);
                s.slows += u32::from(slow);
                s.head = (s.head + 1) % n;
            }
            Window::Time { span, buckets } => {
                let width = (span / u64::from(buckets)).max(1);
                let epoch = now / width;
                let b = u64::from(buckets);
                if s.calls == 0 || epoch >= s.epoch + b {
                    words.fill(0);
                    *s = Summary {
                        epoch,
                        ..Summary::default()
                    };
                } else {
                    // clear the buckets that fell out of the window
                    for e in s.epoch + 1..=epoch {
                        let k = 3 * (e % b) as usize;
                        s.calls -= words[k];
                        s.fails -= words[k + 1];
                        s.slows -= words[k + 2];
                        words[k..k + 3].fill(0);
                    }
                    s.epoch = s.epoch.max(epoch);
                }
                let k = 3 * (epoch % b) as usize;
                words[k] += 1;
                words[k + 1] += u32::from(fail);
                words[k + 2] += u32::from(slow);
                s.calls += 1;
                s.fails += u32::from(fail);
                s.slows += u32::from(slow);
            }
        }
        *s
    }
}
