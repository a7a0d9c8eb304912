//! Python urllib3 2.x `Retry` (src/urllib3/util/retry.py, 2.5 to 2.7).
//!
//! `total` counts retries. The sleep before a retry is 0 for the first, then
//! `backoff_factor · 2^(k−1)` after `k` consecutive errors, plus `U(0, backoff_jitter)`,
//! clamped to `backoff_max` (120 s): retries 1, 2, 3, … wait 0, 2f, 4f, … — herdsim's
//! exponential ×2 from `f·2` with `immediate_first`. Only methods in `allowed_methods`
//! are retried (not POST, by default), and error statuses only if in `status_forcelist`.

use super::text::seconds;
use super::Report;
use crate::sim::scenario::config::{JitterConfig, ScheduleConfig};

/// The `Retry(...)` and the pool's `Timeout`.
pub fn export(r: &mut Report) -> String {
    let cfg = r.cfg;
    let p = &cfg.policy;
    let b = r.backoff().clone();
    // urllib3's sleep for retry n ≥ 2 is f · 2^(n−1), herdsim's base · m^(n−1)
    let (factor, max) = match b.kind {
        ScheduleConfig::None => {
            r.exact("backoff", "backoff_factor 0: every retry at once");
            (0.0, b.cap_ms.max(0.0))
        }
        ScheduleConfig::Constant => {
            r.approx(
                "backoff",
                format!(
                    "backoff_factor {} with backoff_max {}: every retry but the first waits {}",
                    seconds(b.base_ms / 2.0),
                    seconds(b.base_ms),
                    super::text::ms(b.base_ms)
                ),
            );
            (b.base_ms / 2.0, b.base_ms)
        }
        ScheduleConfig::Exponential if b.multiplier == 2.0 => {
            r.exact(
                "backoff",
                "backoff_factor = the base: retry n ≥ 2 waits f · 2^(n−1) up to backoff_max",
            );
            (b.base_ms, b.cap_ms)
        }
        ScheduleConfig::Exponential | ScheduleConfig::Linear => {
            let d2 = r.delay_ms(2);
            r.approx(
                "backoff",
                format!(
                    "urllib3 doubles every time: backoff_factor {} matches retry 2 ({}), later retries grow ×2",
                    seconds(d2 / 2.0),
                    super::text::ms(d2)
                ),
            );
            (d2 / 2.0, b.cap_ms)
        }
    };
    if !b.immediate_first && b.kind != ScheduleConfig::None {
        r.approx(
            "backoff.immediate_first",
            "urllib3's first retry goes at once (no sleep, no jitter)",
        );
        r.warn("urllib3's first retry has no delay whatever backoff_factor says: a herd retries its first failure all at once");
    }
    if *r.jitter() == JitterConfig::None {
        r.exact("jitter", "none: backoff_jitter 0");
    } else {
        r.missing(
            "jitter",
            "backoff_jitter adds U(0, J) seconds, the same J at every retry, not a share of the delay: the snippet leaves it at 0; set J to spread the retries",
        );
    }
    if let Some(t) = b.throttle_base_ms {
        r.approx(
            "backoff.throttle_base_ms",
            format!(
                "no separate delay after throttling ({}); a Retry-After header is honoured instead",
                super::text::ms(t)
            ),
        );
    }
    // the schedule urllib3 runs, unless it is the policy's own
    let same = b.kind == ScheduleConfig::None
        || (b.kind == ScheduleConfig::Exponential && b.multiplier == 2.0 && b.immediate_first);
    let q = &mut r.as_library.policy;
    if !same {
        q.backoff.kind = ScheduleConfig::Exponential;
        q.backoff.base_ms = factor;
        q.backoff.multiplier = 2.0;
        q.backoff.cap_ms = max;
        q.backoff.immediate_first = true;
    }
    q.backoff.throttle_base_ms = None;
    q.jitter = JitterConfig::None;
    let total = match r.attempts() {
        Some(n) => {
            r.exact(
                "max_attempts",
                format!("total={}: retries, so {n} attempts", n - 1),
            );
            (n - 1).to_string()
        }
        None => {
            r.approx(
                "max_attempts",
                "no unlimited form (total=None falls back on the other counts): total=999999",
            );
            r.as_library.policy.max_attempts = Some(1_000_000);
            "999999".to_string()
        }
    };
    let timeout = match p.timeout_ms {
        Some(t) => {
            r.exact(
                "timeout",
                "Timeout(total=…) on the pool: per request attempt",
            );
            format!("Timeout(total={})", seconds(t))
        }
        None => {
            r.exact("timeout", "none: Timeout(total=None)");
            "Timeout(total=None)".to_string()
        }
    };
    r.no_deadline("no overall deadline: retries stop only when counted out");
    let on = &p.retry_on;
    let forcelist = match (on.error, on.rejected) {
        (true, true) => "[429, 500, 502, 503, 504]",
        (true, false) => "[500, 502, 504]",
        (false, true) => "[429, 503]",
        (false, false) => "None",
    };
    r.exact(
        "retry_on",
        format!(
            "connect={}, read={} and status_forcelist={forcelist}",
            if on.refused { "None" } else { "0" },
            if on.timeout { "None" } else { "0" }
        ),
    );
    r.warn("urllib3 retries only the methods in allowed_methods (HEAD, GET, PUT, DELETE, OPTIONS, TRACE by default: not POST); the snippet allows every method, as the simulation does");
    r.warn("urllib3 retries no error status unless status_forcelist names it (Retry.DEFAULT retries none)");
    r.no_breaker("nothing in urllib3 breaks the circuit");
    r.no_budget("nothing in urllib3 limits retries across requests");
    format!(
        "# herdsim policy \"{name}\" for {version}\n\
         import urllib3\nfrom urllib3.util import Retry, Timeout\n\n\
         retry = Retry(\n\
         \x20   total={total},  # retries, not attempts\n\
         \x20   connect={connect},\n\
         \x20   read={read},\n\
         \x20   status_forcelist={forcelist},\n\
         \x20   allowed_methods=None,  # every method, POST included\n\
         \x20   backoff_factor={factor},  # sleeps 0, 2f, 4f, ...\n\
         \x20   backoff_max={max},\n\
         \x20   backoff_jitter=0.0,  # U(0, J) seconds added to every sleep\n\
         \x20   raise_on_status=False,\n)\n\
         http = urllib3.PoolManager(retries=retry, timeout={timeout})\n",
        name = cfg.name,
        version = super::Library::Urllib3.version(),
        connect = if on.refused { "None" } else { "0" },
        read = if on.timeout { "None" } else { "0" },
        factor = seconds(factor),
        max = seconds(max),
    )
}
