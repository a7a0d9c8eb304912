//! One definition per numeric field: its range, unit, label and whether `null` is allowed,
//! read by validation (the check and its message), by the messages of parsing ("must be a
//! number of milliseconds") and by the page's controls (the range a control shows and its
//! box's `min`/`max`). The range shown is the range accepted because both read this table.
//!
//! Keys are dotted paths with list indices written `N`; fields of shapes that live at
//! several places are keyed by shape: `service.` for a service model (`service` or
//! `services.N.service`), `faults.N.` for any fault list, `dist.` for a distribution
//! (`service_time`, `network_delay`, `think`). [`for_path`] maps a concrete path to its entry.
//!
//! Some bounds depend on another field (`cap_ms` at least `base_ms`): the table keeps the
//! static range and says so in [`Field::after`]; validation narrows the range only when the
//! other field is itself valid, so no message shows a range nothing satisfies.
//!
//! The sizes of lists are bounded too ([`MAX_LOAD_WINDOWS`], [`MAX_FAULTS`],
//! [`MAX_SERVICES`](crate::sim::scenario::MAX_SERVICES)), and checked before anything else, so
//! validating a document costs time in proportion to its size.

/// Longest run (ms): one day.
pub const MAX_DURATION_MS: f64 = 86_400_000.0;
/// Longest single delay, timeout or service time parameter (ms): one hour.
pub const MAX_DELAY_MS: f64 = 3_600_000.0;
/// Largest client count.
pub const MAX_CLIENTS: f64 = 1_000_000.0;
/// Most metric buckets in a run (`bucket_ms` is at least `duration_ms` / this).
pub const MAX_BUCKETS: f64 = 100_000.0;
/// Smallest memory budget (MB).
pub const MIN_MEMORY_MB: f64 = 16.0;
/// Largest memory budget (MB): what a wasm32 page can address, with room to spare.
pub const MAX_MEMORY_MB: f64 = 3072.0;
/// Most load windows (`clients.load`).
pub const MAX_LOAD_WINDOWS: usize = 1_000;
/// Most fault windows in one list (`faults`, `services.N.faults`).
pub const MAX_FAULTS: usize = 1_000;
/// Deepest nesting of a scenario document (a real one is 6 levels deep).
pub const MAX_DEPTH: usize = 64;
/// Most segments of a dotted path (`--set`, the page's edits).
pub const MAX_PATH_SEGMENTS: usize = 32;

/// `u64::MAX` as the nearest `f64` (2^64), for the range of `u64` fields.
const U64_TOP: f64 = 18_446_744_073_709_551_615.0;

/// One numeric field.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Field {
    /// Dotted key (see the module's notes).
    pub key: &'static str,
    /// For a field whose range depends on the tagged type it belongs to (a normal's
    /// `mean_ms` may be 0, an exponential's may not): that type.
    pub variant: Option<&'static str>,
    /// Short label for the page.
    pub label: &'static str,
    /// Unit: `ms`, `/s`, `%`, `×`, or empty.
    pub unit: &'static str,
    /// Lower bound.
    pub min: f64,
    /// Whether `min` itself is allowed.
    pub min_inclusive: bool,
    /// Upper bound.
    pub max: f64,
    /// Whether `max` itself is allowed.
    pub max_inclusive: bool,
    /// A whole number.
    pub whole: bool,
    /// `null` is allowed and means this ("none", "unlimited").
    pub null: Option<&'static str>,
    /// Another field that narrows the range ("at least policy.backoff.base_ms").
    pub after: Option<&'static str>,
}

const fn f(key: &'static str, label: &'static str, unit: &'static str) -> Field {
    Field {
        key,
        variant: None,
        label,
        unit,
        min: 0.0,
        min_inclusive: true,
        max: f64::INFINITY,
        max_inclusive: true,
        whole: false,
        null: None,
        after: None,
    }
}

impl Field {
    const fn at_least(mut self, v: f64) -> Field {
        self.min = v;
        self.min_inclusive = true;
        self
    }
    const fn above(mut self, v: f64) -> Field {
        self.min = v;
        self.min_inclusive = false;
        self
    }
    const fn at_most(mut self, v: f64) -> Field {
        self.max = v;
        self.max_inclusive = true;
        self
    }
    const fn below(mut self, v: f64) -> Field {
        self.max = v;
        self.max_inclusive = false;
        self
    }
    const fn whole(mut self) -> Field {
        self.whole = true;
        self
    }
    const fn or_null(mut self, meaning: &'static str) -> Field {
        self.null = Some(meaning);
        self
    }
    const fn after(mut self, note: &'static str) -> Field {
        self.after = Some(note);
        self
    }
    const fn variant(mut self, v: &'static str) -> Field {
        self.variant = Some(v);
        self
    }

    /// Whether `v` is in the static range.
    pub fn contains(&self, v: f64) -> bool {
        let lo = if self.min_inclusive {
            v >= self.min
        } else {
            v > self.min
        };
        let hi = if self.max_inclusive {
            v <= self.max
        } else {
            v < self.max
        };
        lo && hi && (!self.whole || v.fract() == 0.0)
    }

    /// The same field with a lower bound raised to `lo` (kept inside the static range).
    pub fn narrowed_below(&self, lo: f64, inclusive: bool) -> Field {
        let mut g = *self;
        if lo.is_finite() && lo > g.min && lo <= g.max {
            g.min = lo;
            g.min_inclusive = inclusive;
        } else if lo.is_finite() && lo == g.min {
            g.min_inclusive &= inclusive;
        }
        g
    }

    /// The same field with an upper bound lowered to `hi` (kept inside the static range).
    pub fn narrowed_above(&self, hi: f64) -> Field {
        let mut g = *self;
        if hi.is_finite() && hi < g.max && hi >= g.min {
            g.max = hi;
            g.max_inclusive = true;
        }
        g
    }

    /// The two ends as written (see [`fmt_bound`]): with more digits only where fewer
    /// would show a range nothing satisfies (`more than 0.001 and at most 0.001`).
    fn ends(&self) -> (String, String) {
        for digits in 4..=17 {
            let lo = fmt_bound(self.min, false, self.whole, digits);
            let hi = fmt_bound(self.max, true, self.whole, digits);
            let (Ok(a), Ok(b)) = (lo.parse::<f64>(), hi.parse::<f64>()) else {
                return (lo, hi);
            };
            if a < b || (a == b && self.min_inclusive && self.max_inclusive) {
                return (lo, hi);
            }
        }
        (fmt_value(self.min), fmt_value(self.max))
    }

    /// What the field must be, for "must be …" messages: "a number of milliseconds".
    pub fn kind(&self) -> String {
        let what = if self.whole {
            "a whole number"
        } else {
            "a number"
        };
        let of = match self.unit {
            "ms" => " of milliseconds",
            "/s" => " per second",
            "%" => " (a percentage)",
            _ => "",
        };
        let null = self
            .null
            .map_or(String::new(), |n| format!(" (or null for {n})"));
        format!("{what}{of}{null}")
    }

    /// The allowed range in words, for messages: `1..=1000000`, `more than 0 and at most
    /// 3600000 ms (1 h)`, with `, or null for none` when `null` is allowed. Bounds are
    /// written with at most 3 decimals, rounded inwards, so every value shown is accepted.
    pub fn allowed(&self) -> String {
        let (lo, hi) = self.ends();
        let unit = if self.unit.is_empty() || self.unit == "×" {
            String::new()
        } else {
            format!(" {}", self.unit)
        };
        let range = match (self.min_inclusive, self.max_inclusive) {
            (true, true) => format!("{lo}..={hi}{unit}"),
            (false, true) => format!("more than {lo} and at most {hi}{unit}"),
            (true, false) => format!("at least {lo} and less than {hi}{unit}"),
            (false, false) => format!("more than {lo} and less than {hi}{unit}"),
        };
        let gloss = if self.unit == "ms" && self.max >= 1000.0 && self.max.is_finite() {
            format!(" (up to {})", human_ms(self.max))
        } else {
            String::new()
        };
        let whole = if self.whole { "a whole number " } else { "" };
        let after = self.after.map_or(String::new(), |a| format!(", {a}"));
        let null = self
            .null
            .map_or(String::new(), |n| format!(", or null for {n}"));
        format!("{whole}{range}{gloss}{after}{null}")
    }

    /// The range as the page shows it under a control: `> 0 … 3,600,000 ms`.
    pub fn range_label(&self) -> String {
        let (lo, hi) = self.ends();
        let (lo, hi) = (grouped(&lo), grouped(&hi));
        let unit = if self.unit.is_empty() {
            String::new()
        } else {
            format!(" {}", self.unit)
        };
        // a long span of milliseconds also in a unit one reads at a glance
        let gloss = if self.unit == "ms" && self.max >= 60_000.0 && self.max.is_finite() {
            format!(" ({})", human_ms(self.max))
        } else {
            String::new()
        };
        format!(
            "{}{lo} … {}{hi}{unit}{gloss}",
            if self.min_inclusive { "" } else { "> " },
            if self.max_inclusive { "" } else { "< " },
        )
    }
}

/// A number as a user would type it: no trailing `.0`, no float noise, exponent notation
/// for very large or very small numbers (never a 309-digit number).
pub fn fmt_value(v: f64) -> String {
    if !v.is_finite() {
        return format!("{v}");
    }
    let a = v.abs();
    if a >= 1e15 || (a != 0.0 && a < 1e-6) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

/// At most 40 characters of a text a user gave, then `…`, for messages: a 2 MB name is
/// never echoed whole.
pub fn shorten(s: &str) -> String {
    match s.char_indices().nth(40) {
        Some((at, _)) => format!("{}…", &s[..at]),
        None => s.to_string(),
    }
}

/// A bound to 3 decimals, or to `digits` significant digits if that shows more (a small
/// bound: 0.001497, 1.497e-299), rounded inwards (a lower bound up, an upper bound down) so
/// that every value the message allows is accepted; `u64::MAX` exactly.
fn fmt_bound(v: f64, upper: bool, whole: bool, digits: usize) -> String {
    if whole && v >= U64_TOP {
        return u64::MAX.to_string();
    }
    if !v.is_finite() || v == 0.0 || v.abs() >= 1e15 {
        return fmt_value(v);
    }
    // the digits before the point, 3 after it, and at least `digits` in all
    let mag = v.abs().log10().floor() as i32;
    let sig = (mag + 4).max(digits as i32).clamp(1, 17);
    let at = |x: f64| -> f64 {
        format!("{x:.*e}", (sig - 1) as usize)
            .parse()
            .unwrap_or(f64::NAN)
    };
    let inward = |x: f64| if upper { x <= v } else { x >= v };
    let near = at(v);
    if near == v {
        return fmt_value(v);
    }
    if inward(near) {
        return fmt_value(near);
    }
    // one unit of the last digit inwards
    let unit = 10f64.powi(mag + 1 - sig);
    let stepped = at(if upper { near - unit } else { near + unit });
    if inward(stepped) {
        fmt_value(stepped)
    } else {
        fmt_value(v)
    }
}

/// Thousands separators in the integer part of a plain number (`3600000` → `3,600,000`).
pub(crate) fn grouped(s: &str) -> String {
    let (sign, rest) = s.strip_prefix('-').map_or(("", s), |r| ("-", r));
    if rest.contains('e') {
        return s.to_string();
    }
    let (int, frac) = rest.split_once('.').map_or((rest, ""), |(a, b)| (a, b));
    let mut out = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if frac.is_empty() {
        format!("{sign}{out}")
    } else {
        format!("{sign}{out}.{frac}")
    }
}

/// Milliseconds in the largest whole unit that fits: `1 h`, `1 day`, `60 s`, `1.5 min`.
pub fn human_ms(ms: f64) -> String {
    let units = [
        (86_400_000.0, "day"),
        (3_600_000.0, "h"),
        (60_000.0, "min"),
        (1000.0, "s"),
    ];
    for (size, name) in units {
        if ms >= size {
            let n = ms / size;
            let n = (n * 100.0).round() / 100.0;
            let plural = if name == "day" && n != 1.0 { "s" } else { "" };
            return format!("{} {name}{plural}", fmt_value(n));
        }
    }
    format!("{} ms", fmt_value(ms))
}

macro_rules! table {
    ($($(#[$doc:meta])* $name:ident = $e:expr;)*) => {
        $($(#[$doc])* pub const $name: Field = $e;)*
        /// Every field, in document order.
        pub const ALL: &[Field] = &[$($name),*];
    };
}

table! {
    /// `seed`.
    SEED = f("seed", "seed", "").whole().at_most(U64_TOP);
    /// `duration_ms`.
    DURATION = f("duration_ms", "duration", "ms").above(0.0).at_most(MAX_DURATION_MS);
    /// `bucket_ms`.
    BUCKET = f("bucket_ms", "bucket", "ms").at_least(0.1).at_most(MAX_DURATION_MS)
        .or_null("automatic").after("and at least duration_ms / 100000");
    /// `max_events`.
    MAX_EVENTS = f("max_events", "event budget", "").whole().at_least(1.0).at_most(U64_TOP);
    /// `max_memory_mb`.
    MAX_MEMORY = f("max_memory_mb", "memory budget", "MB").at_least(MIN_MEMORY_MB).at_most(MAX_MEMORY_MB);
    /// `clients.count`.
    CLIENTS = f("clients.count", "clients", "").whole().at_least(1.0).at_most(MAX_CLIENTS);
    /// `clients.start_spread_ms`.
    START_SPREAD = f("clients.start_spread_ms", "start spread", "ms").at_most(MAX_DURATION_MS);
    /// `clients.arrival.rate_per_s` (Poisson).
    RATE_PER_S = f("clients.arrival.rate_per_s", "rate per client", "/s").above(0.0).at_most(10_000.0);
    /// `clients.arrival.every_ms` (interval).
    EVERY = f("clients.arrival.every_ms", "every", "ms").at_least(0.001).at_most(MAX_DURATION_MS);
    /// `clients.arrival.at_ms` (burst).
    AT = f("clients.arrival.at_ms", "at", "ms").at_most(MAX_DURATION_MS);
    /// Start of a load window.
    LOAD_START = f("clients.load.N.start_ms", "start", "ms").below(MAX_DURATION_MS);
    /// End of a load window.
    LOAD_END = f("clients.load.N.end_ms", "end", "ms").above(0.0).at_most(MAX_DURATION_MS)
        .after("and more than its start_ms");
    /// Rate multiplier of a load window.
    LOAD_MULTIPLIER = f("clients.load.N.multiplier", "rate ×", "").at_most(1000.0);
    /// Weight of a service on the weighted route.
    WEIGHT = f("services.N.weight", "weight", "").at_most(1e6);
    /// Workers of a service.
    WORKERS = f("service.workers", "workers", "").whole().at_least(1.0).at_most(1e6).or_null("unlimited");
    /// Queue capacity of a service.
    QUEUE_CAPACITY = f("service.queue_capacity", "queue capacity", "").whole().at_most(1e7).or_null("unbounded");
    /// Load factor of a service.
    LOAD_FACTOR = f("service.load_factor", "load factor k", "").at_most(100.0);
    /// Replicas of a replicated service.
    REPLICAS = f("service.replication.replicas", "replicas", "").whole().at_most(4.0);
    /// Share of requests that are writes.
    WRITES = f("service.replication.writes", "writes", "").at_most(1.0);
    /// Time between health checks.
    HEALTH_CHECK = f("service.replication.failover.health_check_interval_ms", "health check every", "ms").at_least(1.0).at_most(MAX_DELAY_MS);
    /// Failed health checks that declare the primary dead.
    FAILURES_TO_TRIP = f("service.replication.failover.failures_to_trip", "failed checks", "").whole().at_least(1.0).at_most(100.0);
    /// Time from a crash to the alert.
    ALERT_AFTER = f("service.replication.failover.alert_after_ms", "alert after", "ms").at_most(MAX_DELAY_MS);
    /// Time between backups.
    BACKUP_EVERY = f("service.replication.failover.backup_every_ms", "backup every", "ms").at_least(1000.0).at_most(MAX_DURATION_MS);
    /// Mean time between random crashes of a node.
    MTBF = f("service.replication.random_crashes.mtbf_ms", "MTBF", "ms").at_least(1000.0).at_most(1e12);
    /// Mean time to repair a node.
    MTTR = f("service.replication.random_crashes.mttr_ms", "MTTR", "ms").at_least(1.0).at_most(MAX_DURATION_MS);
    /// A constant distribution's value.
    DIST_MS = f("dist.ms", "value", "ms").at_most(MAX_DELAY_MS);
    /// A uniform distribution's lower end.
    DIST_MIN = f("dist.min_ms", "min", "ms").at_most(MAX_DELAY_MS);
    /// A uniform distribution's upper end.
    DIST_MAX = f("dist.max_ms", "max", "ms").at_most(MAX_DELAY_MS).after("and at least its min_ms");
    /// An exponential or lognormal distribution's mean.
    DIST_MEAN = f("dist.mean_ms", "mean", "ms").above(0.0).at_most(MAX_DELAY_MS);
    /// A folded normal's mean (may be 0).
    DIST_NORMAL_MEAN = f("dist.mean_ms", "mean", "ms").variant("normal").at_most(MAX_DELAY_MS);
    /// A lognormal's 99th percentile.
    DIST_P99 = f("dist.p99_ms", "p99", "ms").above(0.0).at_most(MAX_DELAY_MS * 14.97)
        .after("and more than its mean_ms and at most 14.97 × its mean_ms");
    /// A folded normal's standard deviation.
    DIST_SD = f("dist.sd_ms", "sd", "ms").at_most(MAX_DELAY_MS);
    /// Start of a fault window.
    FAULT_START = f("faults.N.start_ms", "start", "ms").below(MAX_DURATION_MS);
    /// End of a fault window.
    FAULT_END = f("faults.N.end_ms", "end", "ms").above(0.0).at_most(MAX_DURATION_MS)
        .after("and more than its start_ms");
    /// Error probability of an `error_rate` fault.
    FAULT_RATE = f("faults.N.rate", "error rate", "").at_most(1.0);
    /// Latency multiplier of a `slow` fault.
    FAULT_MULTIPLIER = f("faults.N.multiplier", "latency ×", "").at_least(0.01).at_most(1000.0);
    /// Fraction of workers a `capacity` fault takes.
    FAULT_LOST = f("faults.N.lost", "workers lost", "").at_most(1.0);
    /// `policy.timeout_ms`.
    TIMEOUT = f("policy.timeout_ms", "timeout", "ms").above(0.0).at_most(MAX_DELAY_MS).or_null("none");
    /// `policy.deadline_ms`.
    DEADLINE = f("policy.deadline_ms", "deadline", "ms").above(0.0).at_most(MAX_DURATION_MS).or_null("none");
    /// `policy.max_attempts`.
    MAX_ATTEMPTS = f("policy.max_attempts", "max attempts", "").whole().at_least(1.0).at_most(1e6).or_null("unlimited");
    /// `policy.backoff.base_ms`.
    BASE = f("policy.backoff.base_ms", "base delay", "ms").at_most(MAX_DELAY_MS);
    /// `policy.backoff.multiplier`.
    MULTIPLIER = f("policy.backoff.multiplier", "multiplier", "×").at_least(1.0).at_most(100.0);
    /// `policy.backoff.cap_ms`.
    CAP = f("policy.backoff.cap_ms", "cap", "ms").at_most(MAX_DELAY_MS).after("and at least policy.backoff.base_ms");
    /// `policy.backoff.throttle_base_ms`.
    THROTTLE_BASE = f("policy.backoff.throttle_base_ms", "throttled base", "ms").at_most(MAX_DELAY_MS).or_null("same as base");
    /// Proportional jitter's factor.
    JITTER_FACTOR = f("policy.jitter.factor", "factor r", "").at_most(1.0);
    /// Multiplier jitter's lower factor.
    JITTER_MIN = f("policy.jitter.min", "min factor", "").at_most(10.0);
    /// Multiplier jitter's upper factor.
    JITTER_MAX = f("policy.jitter.max", "max factor", "").at_most(10.0).after("and at least policy.jitter.min");
    /// Consecutive failures that trip a breaker.
    TRIP_FAILURES = f("breaker.trip.failures", "failures in a row", "").whole().at_least(1.0).at_most(1e6);
    /// Calls in a count window.
    WINDOW_CALLS = f("breaker.trip.window.calls", "calls", "").whole().at_least(1.0).at_most(10_000.0);
    /// Length of a time window.
    WINDOW_MS = f("breaker.trip.window.ms", "length", "ms").at_least(1.0).at_most(MAX_DELAY_MS);
    /// Buckets of a time window.
    WINDOW_BUCKETS = f("breaker.trip.window.buckets", "buckets", "").whole().at_least(1.0).at_most(1000.0);
    /// Calls before a rate rule decides.
    MIN_CALLS = f("breaker.trip.min_calls", "min calls", "").whole().at_least(1.0).at_most(1e6);
    /// Failure rate that trips.
    FAILURE_RATE = f("breaker.trip.failure_rate", "failure rate", "").at_most(1.0).or_null("off");
    /// Slow-call threshold.
    SLOW_CALL = f("breaker.trip.slow_call_ms", "slow call", "ms").at_most(MAX_DELAY_MS).or_null("off");
    /// Slow-call rate that trips.
    SLOW_CALL_RATE = f("breaker.trip.slow_call_rate", "slow rate", "").at_most(1.0);
    /// Open time.
    OPEN = f("breaker.open_ms", "open for", "ms").above(0.0).at_most(MAX_DELAY_MS);
    /// Growth of the open time.
    OPEN_MULTIPLIER = f("breaker.open_multiplier", "open growth", "×").at_least(1.0).at_most(100.0);
    /// Longest open time.
    OPEN_MAX = f("breaker.open_max_ms", "open max", "ms").at_most(MAX_DELAY_MS).after("and at least breaker.open_ms");
    /// Trial calls while half-open.
    HALF_OPEN_CALLS = f("breaker.half_open_calls", "trial calls", "").whole().at_least(1.0).at_most(10_000.0);
    /// Trial successes that close.
    HALF_OPEN_SUCCESSES = f("breaker.half_open_successes", "successes to close", "").whole().at_least(1.0)
        .at_most(10_000.0).or_null("all").after("and at most breaker.half_open_calls");
    /// gRPC `maxTokens`.
    MAX_TOKENS = f("budget.max_tokens", "max tokens", "").at_least(1.0).at_most(1000.0);
    /// gRPC `tokenRatio`.
    TOKEN_RATIO = f("budget.token_ratio", "token ratio", "").at_least(0.001).at_most(1.0);
    /// AWS capacity.
    CAPACITY = f("budget.capacity", "capacity", "").at_most(1e6);
    /// AWS retry cost.
    RETRY_COST = f("budget.retry_cost", "retry cost", "").whole().at_most(255.0);
    /// AWS timeout cost.
    TIMEOUT_COST = f("budget.timeout_cost", "timeout cost", "").whole().at_most(255.0);
    /// AWS throttling cost.
    THROTTLING_COST = f("budget.throttling_cost", "throttling cost", "").whole().at_most(255.0);
    /// AWS refund on success.
    SUCCESS_REFUND = f("budget.success_refund", "refund", "").at_most(1e6);
    /// Ratio budget percentage.
    PERCENT = f("budget.percent", "retry %", "%").above(0.0).at_most(1000.0);
    /// Ratio budget's retries always allowed.
    MIN_PER_S = f("budget.min_per_s", "min retries", "/s").at_most(1e6);
    /// Ratio budget's time to live.
    TTL = f("budget.ttl_ms", "ttl", "ms").at_least(1000.0).at_most(60_000.0);
    /// Adaptive throttling's K.
    K = f("budget.k", "K", "").at_least(1.0).at_most(100.0);
    /// Adaptive throttling's window.
    THROTTLE_WINDOW = f("budget.window_ms", "window", "ms").at_least(10.0).at_most(MAX_DELAY_MS);
}

/// The table's key for a concrete path: indices become `N`, a service model's fields
/// `service.…`, a fault list's `faults.N.…`, a distribution's `dist.…`.
pub fn key_of(path: &str) -> String {
    let parts: Vec<&str> = path
        .split('.')
        .map(|p| {
            if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) {
                "N"
            } else {
                p
            }
        })
        .collect();
    let n = parts.len();
    if n >= 2
        && matches!(
            parts[n - 2],
            "service_time"
                | "network_delay"
                | "think"
                | "lag"
                | "promotion"
                | "runbook"
                | "restore"
        )
    {
        return format!("dist.{}", parts[n - 1]);
    }
    let joined = parts.join(".");
    if let Some(rest) = joined.strip_prefix("services.N.service.") {
        return format!("service.{rest}");
    }
    if let Some(rest) = joined.strip_prefix("services.N.faults.") {
        return format!("faults.{rest}");
    }
    joined
}

/// The entry for a concrete path, inside a tagged object of type `variant` if known.
pub fn for_path(path: &str, variant: Option<&str>) -> Option<&'static Field> {
    let key = key_of(path);
    let mut all = ALL.iter().filter(|f| f.key == key);
    let exact = all
        .clone()
        .find(|f| f.variant.is_some() && f.variant == variant);
    exact.or_else(|| all.find(|f| f.variant.is_none()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_ranges_are_not_empty() {
        for (i, a) in ALL.iter().enumerate() {
            assert!(a.min < a.max, "{}", a.key);
            assert!(
                ALL[..i]
                    .iter()
                    .all(|b| (b.key, b.variant) != (a.key, a.variant)),
                "{} twice",
                a.key
            );
        }
    }

    #[test]
    fn concrete_paths_find_their_entry() {
        let key = |p: &str| for_path(p, None).map(|f| f.key);
        assert_eq!(key("services.3.service.workers"), Some("service.workers"));
        assert_eq!(key("services.3.faults.12.end_ms"), Some("faults.N.end_ms"));
        assert_eq!(key("clients.arrival.think.sd_ms"), Some("dist.sd_ms"));
        assert_eq!(
            key("clients.load.0.multiplier"),
            Some("clients.load.N.multiplier")
        );
        assert_eq!(key("nope"), None);
        let normal = for_path("service.service_time.mean_ms", Some("normal")).unwrap();
        assert!(normal.min_inclusive);
        assert!(
            !for_path("service.service_time.mean_ms", Some("exponential"))
                .unwrap()
                .min_inclusive
        );
    }

    #[test]
    fn ranges_read_plainly() {
        assert_eq!(CLIENTS.allowed(), "a whole number 1..=1000000");
        assert_eq!(
            TIMEOUT.allowed(),
            "more than 0 and at most 3600000 ms (up to 1 h), or null for none"
        );
        assert_eq!(TIMEOUT.range_label(), "> 0 … 3,600,000 ms (1 h)");
        assert_eq!(DURATION.range_label(), "> 0 … 86,400,000 ms (1 day)");
        assert_eq!(TTL.allowed(), "1000..=60000 ms (up to 1 min)");
        assert_eq!(SEED.allowed(), "a whole number 0..=18446744073709551615");
        assert_eq!(fmt_value(1e308), "1e308");
        assert_eq!(human_ms(MAX_DURATION_MS), "1 day");
        // rounded inwards, to 3 decimals or 4 significant digits, never to an empty range
        assert_eq!(fmt_bound(0.0014999, true, false, 4), "0.001499");
        assert_eq!(fmt_bound(0.00011, false, false, 4), "0.00011");
        assert_eq!(fmt_bound(2.00049, true, false, 4), "2");
        assert_eq!(fmt_bound(2.00049, false, false, 4), "2.001");
        assert_eq!(fmt_bound(1e-300 * 14.97, true, false, 4), "1.497e-299");
        let tiny = DIST_P99
            .narrowed_below(1e-4, false)
            .narrowed_above(1e-4 * 14.97);
        assert_eq!(tiny.allowed(), "more than 0.0001 and at most 0.001497 ms, and more than its mean_ms and at most 14.97 × its mean_ms");
        let thin = DIST_MAX.narrowed_below(1.0001, true).narrowed_above(1.0004);
        assert_eq!(
            thin.allowed(),
            "1.0001..=1.0004 ms, and at least its min_ms"
        );
    }
}
