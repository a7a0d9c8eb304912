//! The AWS SDKs' shared retry settings (AWS SDKs and Tools Reference Guide, "Retry
//! behavior"; botocore botocore/retries/standard.py and quota.py).
//!
//! Only two settings are shared by every SDK: `retry_mode` (`legacy`, `standard`,
//! `adaptive`) and `max_attempts` (the first attempt included). The rest is fixed by the
//! mode: standard waits `U(0, min(1 s · 2^(n−1), 20 s))` and keeps a retry quota of 500
//! (a retry costs 5, after a timeout 10; a success without retries gives back 1). The
//! 2026 update (`AWS_NEW_RETRIES_2026=true`) starts at 50 ms, 1 s after throttling, with
//! retries costing 14 (5 after throttling).

use super::Report;
use crate::sim::scenario::config::WorkloadConfig;
use crate::sim::scenario::presets;
use crate::sim::ScenarioConfig;

/// The config file section, the environment and boto3's `Config`.
pub fn export(r: &mut Report) -> String {
    let cfg = r.cfg;
    let modes = [
        ("standard", "aws-sdk-standard"),
        ("standard, 2026 retries", "aws-sdk-2026"),
    ];
    let fixed: Vec<(&str, ScenarioConfig)> = modes
        .iter()
        .filter_map(|(m, p)| presets::config(p).ok().map(|c| (*m, c)))
        .collect();
    // the mode whose fixed rules are the policy's, if one is; else standard
    let same = |c: &ScenarioConfig| {
        let (a, b) = (&c.policy, &cfg.policy);
        a.backoff == b.backoff && a.jitter == b.jitter && c.budget == cfg.budget
    };
    let (mode, rules) = match fixed.iter().find(|(_, c)| same(c)).or(fixed.first()) {
        Some((m, c)) => (*m, c.clone()),
        None => ("standard", cfg.clone()),
    };
    let new_retries = mode.contains("2026");
    if fixed.iter().any(|(_, c)| same(c)) {
        r.exact("backoff", format!("the {mode} mode's own schedule"));
        r.exact("jitter", "full jitter, the SDKs' own");
        r.exact("budget", "the mode's retry quota");
    } else {
        r.approx(
            "backoff",
            "fixed by the SDK: U(0, min(1 s · 2^(n−1), 20 s)) in standard mode (aws-sdk-go-v2 lets code set MaxBackoff, and a custom Backoff the rest)",
        );
        r.approx("jitter", "fixed by the SDK: full jitter");
        if r.has_budget() {
            r.approx(
                "budget",
                "fixed by the SDK: a quota of 500, 5 a retry, 10 after a timeout",
            );
        } else {
            r.approx(
                "budget",
                "the SDK keeps its retry quota (500) whatever the policy says",
            );
        }
        let q = &mut r.as_library;
        q.policy.backoff = rules.policy.backoff.clone();
        q.policy.jitter = rules.policy.jitter.clone();
        // (an OCC workload has no budgets to simulate)
        if cfg.workload == WorkloadConfig::Service {
            q.budget = rules.budget.clone();
        }
    }
    let attempts = match r.attempts() {
        Some(n) => {
            r.exact(
                "max_attempts",
                format!("max_attempts {n}, the first included"),
            );
            n
        }
        None => {
            r.approx(
                "max_attempts",
                "no unlimited form: 10 (the quota stops retries anyway)",
            );
            r.as_library.policy.max_attempts = Some(10);
            10
        }
    };
    match cfg.policy.timeout_ms {
        Some(_) => r.approx(
            "timeout",
            "read_timeout bounds each wait for data, not a whole attempt (boto3 Config; both default to 60 s)",
        ),
        None => {
            r.exact("timeout", "none (the SDK's own default is a 60 s read timeout)");
        }
    }
    r.no_deadline("no overall deadline in the SDK settings");
    r.approx(
        "retry_on",
        "the SDK decides: throttling, transient errors (5xx, connection errors) and timeouts",
    );
    r.no_breaker("the SDKs have none");
    r.warn("max_attempts in the config file counts the first attempt; boto3's Config(retries={'max_attempts': N}) counts retries only (total_max_attempts counts attempts)");
    if !new_retries {
        r.warn("botocore's default mode is legacy (5 attempts, no quota): set retry_mode = standard explicitly");
    }
    let timeout = cfg
        .policy
        .timeout_ms
        .map(|t| {
            format!(
                ", connect_timeout={s}, read_timeout={s}",
                s = super::text::seconds(t)
            )
        })
        .unwrap_or_default();
    format!(
        "# herdsim policy \"{name}\" for {version}\n\
         # ~/.aws/config\n[default]\nretry_mode = standard\nmax_attempts = {attempts}\n\n\
         # or in the environment\n# AWS_RETRY_MODE=standard\n# AWS_MAX_ATTEMPTS={attempts}\n{env}\n\
         # or in code (boto3)\n# Config(retries={{\"mode\": \"standard\", \"total_max_attempts\": {attempts}}}{timeout})\n",
        name = cfg.name,
        version = super::Library::AwsSdk.version(),
        env = if new_retries { "# AWS_NEW_RETRIES_2026=true\n" } else { "" },
    )
}
