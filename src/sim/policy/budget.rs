//! Retry budgets and client-side throttling, each exactly as its source defines it.
//!
//! - gRPC retry throttling (gRFC A6): tokens start at `max`; every retryable failure costs 1
//!   (before the attempts check, as grpc-go does, so even a last attempt's failure
//!   counts), every success adds `ratio`, both clamped to `[0, max]`; a retry is allowed
//!   only while tokens > max / 2.
//! - The AWS SDK retry quota (botocore `retries/quota.py` and `standard.py`, smithy-rs
//!   `token_bucket.rs`): a retry takes its cost from the capacity (after a timeout the
//!   timeout cost, after a throttling error the throttling cost, otherwise the retry cost)
//!   or is refused if the capacity is short; a success gives back the request's last
//!   acquisition, or `refund` if it needed no retry; capacity never exceeds its start.
//! - A ratio budget (Finagle `RetryBudget`, tower `TpsBudget`): each request deposits 1,
//!   each retry withdraws `100 / percent`, on top of a reserve of `min_per_s · ttl ·
//!   withdrawal`; deposits and withdrawals expire after `ttl` (a window of 10 slices, as
//!   Finagle's `WindowedAdder`); a retry is allowed while the balance covers a withdrawal.
//! - Client-side adaptive throttling (Google SRE book, "Handling Overload"): every attempt
//!   is rejected locally with probability max(0, (requests − K · accepts) / (requests + 1)),
//!   counted over the window (10 slices); `requests` counts every attempt the client made,
//!   rejected locally or not, `accepts` those the service answered (success or error).
//!
//! Budgets are kept per service, shared by all clients or one per client.

use crate::sim::Micros;

/// Slices of a windowed budget.
pub const SLICES: usize = 10;

/// A validated budget.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum BudgetKind {
    /// gRPC retry throttling.
    Grpc {
        /// `maxTokens`.
        max: f64,
        /// `tokenRatio`.
        ratio: f64,
    },
    /// The AWS retry quota.
    Aws {
        /// Initial and largest capacity.
        capacity: f64,
        /// Cost of a retry after an error or refusal.
        retry_cost: u8,
        /// Cost of a retry after a timeout.
        timeout_cost: u8,
        /// Cost of a retry after a throttling rejection.
        throttling_cost: u8,
        /// Given back by a success with no retry.
        refund: f64,
    },
    /// Finagle / tower ratio budget.
    Ratio {
        /// Retries as a fraction of requests (0.2 = 20%).
        fraction: f64,
        /// Always-available retries per second.
        min_per_s: f64,
        /// Time to live of deposits and withdrawals.
        ttl: Micros,
    },
    /// SRE-book adaptive throttling.
    Adaptive {
        /// Accepts multiplier K.
        k: f64,
        /// Window.
        window: Micros,
    },
}

/// A validated budget configuration.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BudgetSpec {
    /// Which budget.
    pub kind: BudgetKind,
    /// One per client (per service), or one per service shared by all clients.
    pub per_client: bool,
}

impl BudgetSpec {
    /// The unit of [`Budgets::level`], for charts.
    pub fn unit(&self) -> &'static str {
        match self.kind {
            BudgetKind::Grpc { .. } => "tokens",
            BudgetKind::Aws { .. } => "quota capacity",
            BudgetKind::Ratio { .. } => "retries available",
            BudgetKind::Adaptive { .. } => "P(local rejection)",
        }
    }

    /// Number of budgets for `clients` clients and `services` services.
    pub fn count(&self, clients: u32, services: usize) -> usize {
        if self.per_client {
            clients as usize * services
        } else {
            services
        }
    }

    /// The budget of `client`'s calls to service `svc`.
    #[inline]
    pub fn index(&self, client: u32, svc: usize, services: usize) -> usize {
        if self.per_client {
            client as usize * services + svc
        } else {
            svc
        }
    }

    /// Bytes `n` budgets take (for validation's memory check).
    pub fn bytes_for(&self, n: usize) -> usize {
        let per = match self.kind {
            BudgetKind::Grpc { .. } | BudgetKind::Aws { .. } => 16,
            BudgetKind::Ratio { .. } | BudgetKind::Adaptive { .. } => {
                8 + std::mem::size_of::<Slices>()
            }
        };
        per.saturating_mul(n)
    }
}

/// What ended an attempt, as a budget classifies it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    /// A success.
    Success,
    /// A timeout.
    Timeout,
    /// A throttling rejection (the service's queue was full).
    Throttling,
    /// Any other failure the service answered (an error).
    Error,
    /// A failure without an answer from the service (refused).
    Unanswered,
}

/// A window of [`SLICES`] slices of `width` µs, summing what was added in the last
/// `SLICES` slices.
#[derive(Clone, Copy, Debug, Default)]
struct Slices {
    /// Slice index (time / width) of the newest slice.
    epoch: u64,
    vals: [[f64; 2]; SLICES],
}

impl Slices {
    fn roll(&mut self, now: Micros, width: Micros) {
        let e = now / width.max(1);
        if e >= self.epoch + SLICES as u64 {
            self.vals = [[0.0; 2]; SLICES];
        } else {
            for k in self.epoch + 1..=e {
                self.vals[(k % SLICES as u64) as usize] = [0.0; 2];
            }
        }
        self.epoch = self.epoch.max(e);
    }

    fn add(&mut self, now: Micros, width: Micros, which: usize, v: f64) {
        self.roll(now, width);
        self.vals[(self.epoch % SLICES as u64) as usize][which] += v;
    }

    fn sum(&mut self, now: Micros, width: Micros, which: usize) -> f64 {
        self.roll(now, width);
        self.vals.iter().map(|s| s[which]).sum()
    }
}

/// Many budgets with one configuration.
///
/// ```
/// use herdsim::sim::policy::budget::*;
/// // gRFC A6's example: maxTokens 10, tokenRatio 0.1
/// let spec = BudgetSpec { kind: BudgetKind::Grpc { max: 10.0, ratio: 0.1 }, per_client: false };
/// let mut b = Budgets::new(spec, 1);
/// let mut cost = 0;
/// for _ in 0..4 { b.failed(0, 0, Class::Error); }           // 10 → 6 tokens
/// assert!(b.allow_retry(0, 0, Class::Error, &mut cost));    // 6 > 5
/// b.failed(0, 0, Class::Error);                              // 5 tokens
/// assert!(!b.allow_retry(0, 0, Class::Error, &mut cost));   // 5 is not > 5
/// b.succeeded(0, 0, None);                                   // 5.1
/// assert!(b.allow_retry(0, 0, Class::Error, &mut cost));
/// ```
#[derive(Clone, Debug)]
pub struct Budgets {
    spec: BudgetSpec,
    /// Tokens (gRPC) or capacity (AWS).
    level: Vec<f64>,
    /// Windows (ratio: deposits − withdrawals; adaptive: requests, accepts).
    windows: Vec<Slices>,
    /// Level last reported by [`Budgets::refresh`].
    last: Vec<f64>,
}

impl Budgets {
    /// `n` budgets, full.
    pub fn new(spec: BudgetSpec, n: usize) -> Budgets {
        let (level, windows) = match spec.kind {
            BudgetKind::Grpc { max, .. } => (vec![max; n], Vec::new()),
            BudgetKind::Aws { capacity, .. } => (vec![capacity; n], Vec::new()),
            BudgetKind::Ratio { .. } | BudgetKind::Adaptive { .. } => {
                (Vec::new(), vec![Slices::default(); n])
            }
        };
        Budgets {
            spec,
            level,
            windows,
            last: vec![0.0; n],
        }
    }

    /// The change of budget `i`'s level since the last call (the first call gives its
    /// level), for a gauge that sums levels.
    pub fn refresh(&mut self, i: usize, now: Micros) -> f64 {
        let l = self.level(i, now);
        let d = l - self.last[i];
        self.last[i] = l;
        d
    }

    /// The configuration.
    pub fn spec(&self) -> &BudgetSpec {
        &self.spec
    }

    /// Bytes held.
    pub fn bytes(&self) -> usize {
        (self.level.capacity() + self.last.capacity()) * 8
            + self.windows.capacity() * std::mem::size_of::<Slices>()
    }

    fn width(&self) -> Micros {
        match self.spec.kind {
            BudgetKind::Ratio { ttl, .. } => ttl / SLICES as u64,
            BudgetKind::Adaptive { window, .. } => window / SLICES as u64,
            _ => 1,
        }
    }

    /// A request (one call to a service) starts: the ratio budget takes its deposit.
    pub fn call_started(&mut self, i: usize, now: Micros) {
        if let BudgetKind::Ratio { .. } = self.spec.kind {
            let w = self.width();
            self.windows[i].add(now, w, 0, 1.0);
        }
    }

    /// An attempt is about to go out: false if adaptive throttling rejects it locally.
    /// `u` is a uniform draw in [0, 1) from the client's stream.
    pub fn admit(&mut self, i: usize, now: Micros, u: f64) -> bool {
        let BudgetKind::Adaptive { k, .. } = self.spec.kind else {
            return true;
        };
        let w = self.width();
        let win = &mut self.windows[i];
        let requests = win.sum(now, w, 0);
        let accepts = win.sum(now, w, 1);
        let p = ((requests - k * accepts) / (requests + 1.0)).max(0.0);
        win.add(now, w, 0, 1.0);
        u >= p
    }

    /// An attempt that went out succeeded; `cost` is what its request last took from an
    /// AWS quota (`None` if it took nothing: no retry).
    pub fn succeeded(&mut self, i: usize, now: Micros, cost: Option<u8>) {
        match self.spec.kind {
            BudgetKind::Grpc { max, ratio } => self.level[i] = (self.level[i] + ratio).min(max),
            BudgetKind::Aws {
                capacity, refund, ..
            } => {
                let back = cost.map_or(refund, f64::from);
                self.level[i] = (self.level[i] + back).min(capacity);
            }
            BudgetKind::Adaptive { .. } => {
                let w = self.width();
                self.windows[i].add(now, w, 1, 1.0);
            }
            BudgetKind::Ratio { .. } => {}
        }
    }

    /// An attempt that went out failed with a retryable outcome of class `class`. (gRPC
    /// charges it whatever happens next; an error answer is an accept for adaptive
    /// throttling.)
    pub fn failed(&mut self, i: usize, now: Micros, class: Class) {
        match self.spec.kind {
            BudgetKind::Grpc { .. } => self.level[i] = (self.level[i] - 1.0).max(0.0),
            BudgetKind::Adaptive { .. } if class == Class::Error => {
                let w = self.width();
                self.windows[i].add(now, w, 1, 1.0);
            }
            _ => {}
        }
    }

    /// An attempt failed with an outcome that is not retried: only adaptive throttling
    /// notes an error answer as an accept.
    pub fn failed_for_good(&mut self, i: usize, now: Micros, class: Class) {
        if let (BudgetKind::Adaptive { .. }, Class::Error) = (self.spec.kind, class) {
            let w = self.width();
            self.windows[i].add(now, w, 1, 1.0);
        }
    }

    /// May the request retry after a failure of class `class`? If yes, an AWS quota takes
    /// the retry's cost, recorded in `cost` (the request's last acquisition).
    pub fn allow_retry(&mut self, i: usize, now: Micros, class: Class, cost: &mut u8) -> bool {
        match self.spec.kind {
            BudgetKind::Grpc { max, .. } => self.level[i] > max / 2.0,
            BudgetKind::Aws {
                retry_cost,
                timeout_cost,
                throttling_cost,
                ..
            } => {
                let c = match class {
                    Class::Timeout => timeout_cost,
                    Class::Throttling => throttling_cost,
                    _ => retry_cost,
                };
                if self.level[i] >= f64::from(c) {
                    self.level[i] -= f64::from(c);
                    *cost = c;
                    true
                } else {
                    false
                }
            }
            BudgetKind::Ratio { .. } => {
                let (balance, withdrawal) = self.ratio_balance(i, now);
                if balance >= withdrawal {
                    let w = self.width();
                    self.windows[i].add(now, w, 0, -withdrawal);
                    true
                } else {
                    false
                }
            }
            BudgetKind::Adaptive { .. } => true,
        }
    }

    /// A ratio budget's balance at `now` (its reserve plus the deposits less the
    /// withdrawals of the window) and what one retry withdraws.
    fn ratio_balance(&mut self, i: usize, now: Micros) -> (f64, f64) {
        let BudgetKind::Ratio {
            fraction,
            min_per_s,
            ttl,
        } = self.spec.kind
        else {
            return (0.0, 1.0);
        };
        let withdrawal = 1.0 / fraction.max(1e-9);
        let reserve = min_per_s * ttl as f64 / 1e6 * withdrawal;
        let w = self.width();
        (reserve + self.windows[i].sum(now, w, 0), withdrawal)
    }

    /// The budget's level at `now`, in its own unit: tokens (gRPC), capacity (AWS), retries
    /// the balance allows now (ratio), or the local rejection probability (adaptive).
    pub fn level(&mut self, i: usize, now: Micros) -> f64 {
        match self.spec.kind {
            BudgetKind::Grpc { .. } | BudgetKind::Aws { .. } => self.level[i],
            BudgetKind::Ratio { .. } => {
                let (balance, withdrawal) = self.ratio_balance(i, now);
                (balance / withdrawal).max(0.0)
            }
            BudgetKind::Adaptive { k, .. } => {
                let w = self.width();
                let win = &mut self.windows[i];
                let (r, a) = (win.sum(now, w, 0), win.sum(now, w, 1));
                ((r - k * a) / (r + 1.0)).max(0.0)
            }
        }
    }
}
