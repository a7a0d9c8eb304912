//! Export a scenario's client policy (timeouts, retries, backoff, jitter, breaker, budget)
//! as configuration for a real library, with a fidelity report: what maps exactly, what is
//! approximated and how, what the library cannot express, and its foot-guns that apply.
//!
//! Each library has its own module, written from the library's own source at the version
//! it names ([`Library::version`]). An exporter also says what the library would do with
//! the configuration it wrote ([`Export::as_library`]): the same policy where every
//! mapping is exact, otherwise the policy as the library would run it (its own jitter,
//! its clamps, nothing where it has no equivalent), so the scorecard can show the
//! difference.
//!
//! ```
//! use herdsim::export::{export, Library, Status};
//! use herdsim::sim::scenario::presets;
//!
//! let cfg = presets::config("grpc-retry-throttling").unwrap();
//! let e = export(&cfg, Library::Grpc).unwrap();
//! assert!(e.snippet.contains("\"maxAttempts\": 4"));
//! let budget = e.fidelity.iter().find(|f| f.parameter == "budget").unwrap();
//! assert_eq!(budget.status, Status::Exact);
//! ```

mod aws;
mod backon;
mod cenkalti;
mod envoy;
mod failsafe;
mod gobreaker;
mod grpc;
mod polly;
mod resilience4j;
mod tenacity;
mod text;
mod urllib3;

use serde::Serialize;

use crate::sim::scenario::config::{BackoffConfig, JitterConfig, ScheduleConfig};
use crate::sim::scenario::config::{BreakerScopeConfig, BudgetConfig};
use crate::sim::{Scenario, ScenarioConfig, ScenarioError};

/// A library herdsim exports to (in the order of [`IDS`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Library {
    /// Go `github.com/cenkalti/backoff/v4`.
    CenkaltiV4,
    /// Go `github.com/cenkalti/backoff/v5`.
    CenkaltiV5,
    /// Go `github.com/sony/gobreaker/v2`.
    Gobreaker,
    /// Go `github.com/failsafe-go/failsafe-go`.
    FailsafeGo,
    /// Python tenacity.
    Tenacity,
    /// Python urllib3's `Retry`.
    Urllib3,
    /// Rust backon (with tower's retry budget).
    Backon,
    /// Java resilience4j (Spring Boot `application.yml`).
    Resilience4j,
    /// .NET Polly v8.
    Polly,
    /// A gRPC service config.
    Grpc,
    /// The AWS SDKs' shared settings.
    AwsSdk,
    /// An Envoy route's `retry_policy`.
    Envoy,
}

impl Library {
    /// Every library, in the order menus list them.
    pub const ALL: [Library; 12] = [
        Library::CenkaltiV4,
        Library::CenkaltiV5,
        Library::Gobreaker,
        Library::FailsafeGo,
        Library::Tenacity,
        Library::Urllib3,
        Library::Backon,
        Library::Resilience4j,
        Library::Polly,
        Library::Grpc,
        Library::AwsSdk,
        Library::Envoy,
    ];

    /// The name `--to` takes.
    pub fn id(self) -> &'static str {
        IDS[self as usize]
    }

    /// The library as people name it.
    pub fn name(self) -> &'static str {
        match self {
            Library::CenkaltiV4 => "Go cenkalti/backoff v4",
            Library::CenkaltiV5 => "Go cenkalti/backoff v5",
            Library::Gobreaker => "Go sony/gobreaker v2",
            Library::FailsafeGo => "Go failsafe-go",
            Library::Tenacity => "Python tenacity",
            Library::Urllib3 => "Python urllib3 Retry",
            Library::Backon => "Rust backon (+ tower retry budget)",
            Library::Resilience4j => "Java resilience4j (application.yml)",
            Library::Polly => ".NET Polly v8",
            Library::Grpc => "gRPC service config",
            Library::AwsSdk => "AWS SDK retry settings",
            Library::Envoy => "Envoy route retry_policy",
        }
    }

    /// The version whose field names and formulas the export follows.
    pub fn version(self) -> &'static str {
        match self {
            Library::CenkaltiV4 => "github.com/cenkalti/backoff/v4 v4.3.0",
            Library::CenkaltiV5 => "github.com/cenkalti/backoff/v5 v5.0.3",
            Library::Gobreaker => "github.com/sony/gobreaker/v2 v2.4.0",
            Library::FailsafeGo => "github.com/failsafe-go/failsafe-go v0.9.7",
            Library::Tenacity => "tenacity 9.1",
            Library::Urllib3 => "urllib3 2.7",
            Library::Backon => "backon 1.5 (tower 0.5 for the budget)",
            Library::Resilience4j => "resilience4j 2.4 (resilience4j-spring-boot3)",
            Library::Polly => "Polly.Core 8.7",
            Library::Grpc => {
                "gRFC A6 as revised in 2024 (grpc/proposal #452; grpc-go and grpc-java)"
            }
            Library::AwsSdk => {
                "AWS SDKs standard retry mode (botocore 1.3x; 2026 retries: botocore 1.43)"
            }
            Library::Envoy => "Envoy v3 API (route.v3.RetryPolicy, cluster.v3.CircuitBreakers)",
        }
    }

    /// The name of the file a download of the snippet gets.
    pub fn file_name(self) -> &'static str {
        match self {
            Library::CenkaltiV4 | Library::CenkaltiV5 => "retry.go",
            Library::Gobreaker => "breaker.go",
            Library::FailsafeGo => "policy.go",
            Library::Tenacity | Library::Urllib3 => "retry.py",
            Library::Backon => "retry.rs",
            Library::Resilience4j => "application.yml",
            Library::Polly => "Pipeline.cs",
            Library::Grpc => "service_config.json",
            Library::AwsSdk => "config",
            Library::Envoy => "route.yaml",
        }
    }

    /// The library named `id` (as [`Library::id`] gives it), or a message listing them.
    pub fn parse(id: &str) -> Result<Library, String> {
        Library::ALL
            .into_iter()
            .find(|l| l.id() == id.trim())
            .ok_or_else(|| {
                let ids: Vec<&str> = Library::ALL.iter().map(|l| l.id()).collect();
                format!(
                    "unknown library \"{}\"; allowed: {}",
                    id.trim(),
                    ids.join(", ")
                )
            })
    }
}

/// Each library's id, in the order of [`Library::ALL`] (`--to`'s words).
pub const IDS: [&str; 12] = [
    "cenkalti-v4",
    "cenkalti-v5",
    "gobreaker",
    "failsafe-go",
    "tenacity",
    "urllib3",
    "backon",
    "resilience4j",
    "polly",
    "grpc",
    "aws-sdk",
    "envoy",
];

/// How faithfully a parameter maps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The library does exactly what herdsim simulated.
    Exact,
    /// The library does something close; the note says what and how far.
    Approximated,
    /// The library has no way to say it.
    NotExpressible,
}

impl Status {
    /// The status as the report shows it.
    pub fn label(self) -> &'static str {
        match self {
            Status::Exact => "exact",
            Status::Approximated => "approximated",
            Status::NotExpressible => "not expressible",
        }
    }
}

/// One line of the fidelity report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Fidelity {
    /// The policy's parameter (`max_attempts`, `backoff`, `jitter`, `timeout`, …).
    pub parameter: String,
    /// How faithfully it maps.
    pub status: Status,
    /// What the library does with it, in a sentence.
    pub note: String,
}

/// A policy exported to one library.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Export {
    /// The library's id ([`Library::id`]).
    pub library: &'static str,
    /// The version the export follows.
    pub version: &'static str,
    /// Ready-to-paste configuration or code.
    pub snippet: String,
    /// Parameter by parameter, how faithful the snippet is.
    pub fidelity: Vec<Fidelity>,
    /// The library's foot-guns that apply to this policy.
    pub warnings: Vec<String>,
    /// The scenario with the policy as the library would run the snippet (see the module
    /// docs); equal to the input's policy when every mapping is exact.
    #[serde(skip)]
    pub as_library: ScenarioConfig,
}

impl Export {
    /// Whether the library would run a different policy from the one simulated.
    pub fn differs(&self, from: &ScenarioConfig) -> bool {
        let (a, b) = (&self.as_library, from);
        a.policy != b.policy || a.breaker != b.breaker || a.budget != b.budget
    }

    /// The report as text: the version, each parameter and the warnings.
    pub fn report_text(&self) -> String {
        let mut out = format!("{}: {}\n", self.library, self.version);
        let width = (self.fidelity.iter())
            .map(|f| f.parameter.len())
            .max()
            .unwrap_or(0);
        for f in &self.fidelity {
            out += &format!(
                "  {:width$}  {:15}  {}\n",
                f.parameter,
                f.status.label(),
                f.note
            );
        }
        for w in &self.warnings {
            out += &format!("  warning: {w}\n");
        }
        out
    }
}

/// Export `cfg`'s policy to `library`. The scenario must validate first: an export of a
/// policy herdsim would not run would mean nothing.
pub fn export(cfg: &ScenarioConfig, library: Library) -> Result<Export, ScenarioError> {
    let sc = cfg.validate()?;
    let mut r = Report::new(cfg, sc);
    let snippet = match library {
        Library::CenkaltiV4 => cenkalti::v4(&mut r),
        Library::CenkaltiV5 => cenkalti::v5(&mut r),
        Library::Gobreaker => gobreaker::export(&mut r),
        Library::FailsafeGo => failsafe::export(&mut r),
        Library::Tenacity => tenacity::export(&mut r),
        Library::Urllib3 => urllib3::export(&mut r),
        Library::Backon => backon::export(&mut r),
        Library::Resilience4j => resilience4j::export(&mut r),
        Library::Polly => polly::export(&mut r),
        Library::Grpc => grpc::export(&mut r),
        Library::AwsSdk => aws::export(&mut r),
        Library::Envoy => envoy::export(&mut r),
    };
    r.as_library.name = format!("{} as {} runs it", cfg.name, library.id());
    Ok(Export {
        library: library.id(),
        version: library.version(),
        snippet,
        fidelity: r.fidelity,
        warnings: r.warnings,
        as_library: r.as_library,
    })
}

/// What an exporter fills in: the report's lines, its warnings, and the policy as the
/// library will run it (a copy of the input's, changed where the mapping is not exact).
struct Report<'a> {
    cfg: &'a ScenarioConfig,
    /// The same, validated.
    sc: Scenario,
    fidelity: Vec<Fidelity>,
    warnings: Vec<String>,
    as_library: ScenarioConfig,
}

impl<'a> Report<'a> {
    fn new(cfg: &'a ScenarioConfig, sc: Scenario) -> Report<'a> {
        Report {
            cfg,
            sc,
            fidelity: Vec::new(),
            warnings: Vec::new(),
            as_library: cfg.clone(),
        }
    }

    fn line(&mut self, parameter: &str, status: Status, note: impl Into<String>) {
        self.fidelity.push(Fidelity {
            parameter: parameter.to_string(),
            status,
            note: note.into(),
        });
    }

    fn exact(&mut self, parameter: &str, note: impl Into<String>) {
        self.line(parameter, Status::Exact, note);
    }

    fn approx(&mut self, parameter: &str, note: impl Into<String>) {
        self.line(parameter, Status::Approximated, note);
    }

    fn missing(&mut self, parameter: &str, note: impl Into<String>) {
        self.line(parameter, Status::NotExpressible, note);
    }

    fn warn(&mut self, w: impl Into<String>) {
        self.warnings.push(w.into());
    }

    /// Attempts per request (first included), `None` for no limit.
    fn attempts(&self) -> Option<u32> {
        self.cfg.policy.max_attempts
    }

    fn backoff(&self) -> &'a BackoffConfig {
        &self.cfg.policy.backoff
    }

    fn jitter(&self) -> &'a JitterConfig {
        &self.cfg.policy.jitter
    }

    fn has_breaker(&self) -> bool {
        self.cfg.breaker.scope != BreakerScopeConfig::None
    }

    fn has_budget(&self) -> bool {
        self.cfg.budget != BudgetConfig::None
    }

    /// The outcomes the policy retries, in words.
    fn retried(&self) -> String {
        let r = &self.cfg.policy.retry_on;
        let names: Vec<&str> = [
            (r.error, "error answers"),
            (r.timeout, "timeouts"),
            (r.rejected, "queue-full rejections"),
            (r.refused, "refused connections"),
            (r.breaker_open, "the breaker's own rejections"),
        ]
        .iter()
        .filter(|(on, _)| *on)
        .map(|(_, n)| *n)
        .collect();
        if names.is_empty() {
            "nothing".into()
        } else {
            names.join(", ")
        }
    }

    /// The un-jittered delay before retry `n` as the engine computes it (ms).
    fn delay_ms(&self, n: u32) -> f64 {
        self.sc.policy().backoff.delay(n) as f64 / 1000.0
    }

    /// Report a library without a circuit breaker: the policy's breaker, if any, is lost.
    fn no_breaker(&mut self, instead: &str) {
        if self.has_breaker() {
            self.missing(
                "breaker",
                format!("this library has no circuit breaker; {instead}"),
            );
            self.as_library.breaker.scope = BreakerScopeConfig::None;
        }
    }

    /// Report a budget the library cannot express: the policy's budget, if any, is lost.
    fn no_budget(&mut self, instead: &str) {
        if self.has_budget() {
            self.missing(
                "budget",
                format!("this library cannot express this budget; {instead}"),
            );
            self.as_library.budget = BudgetConfig::None;
        }
    }

    /// A linear schedule where the library has none: reported, and run as an exponential
    /// ×2 from the same base (what the snippets write instead).
    fn linear_as_doubling(&mut self) {
        self.approx(
            "backoff",
            "no linear schedule: exponential ×2 from the same base (retry 3 waits 4× the base, not 3×)",
        );
        let b = &mut self.as_library.policy.backoff;
        b.kind = ScheduleConfig::Exponential;
        b.multiplier = 2.0;
    }

    /// The jitter written as ± `a.factor` around `a.scale · d` (cenkalti, failsafe-go,
    /// where the cap applies before randomising, as in herdsim): reported, and where the
    /// library's rule is not the policy's (an approximated jitter, or a schedule the
    /// library changed), the policy as the library runs it.
    fn jitter_around(&mut self, a: &Around) {
        if a.exact {
            self.exact("jitter", a.note);
        } else {
            self.approx("jitter", a.note);
        }
        if !a.exact || self.as_library.policy.backoff.kind != self.backoff().kind {
            let q = &mut self.as_library.policy;
            q.backoff.base_ms = self.cfg.policy.backoff.base_ms * a.scale;
            q.backoff.cap_ms = self.cfg.policy.backoff.cap_ms * a.scale;
            q.jitter = JitterConfig::Proportional { factor: a.factor };
        }
    }

    /// A library with no overall deadline: reported, and the policy's, if any, is lost.
    fn no_deadline(&mut self, why: &str) {
        if self.cfg.policy.deadline_ms.is_some() {
            self.missing("deadline", why);
            self.as_library.policy.deadline_ms = None;
        } else {
            self.exact("deadline", "none");
        }
    }

    /// The policy's throttling base and immediate first retry, which only the AWS SDKs and
    /// urllib3 have: reported as approximated (the library uses the plain schedule).
    fn plain_schedule_only(&mut self) {
        let b = self.backoff();
        if let Some(t) = b.throttle_base_ms {
            self.approx(
                "backoff.throttle_base_ms",
                format!(
                    "no separate first delay after throttling ({}): every retry follows the schedule",
                    text::ms(t)
                ),
            );
            self.as_library.policy.backoff.throttle_base_ms = None;
        }
        if b.immediate_first {
            self.approx(
                "backoff.immediate_first",
                "the first retry waits the schedule's first delay instead of going at once",
            );
            self.as_library.policy.backoff.immediate_first = false;
        }
    }
}

/// A jitter written as "a delay `scale · d`, randomised by ± `factor`" (cenkalti,
/// resilience4j, failsafe-go): `U(s·d·(1 − f), s·d·(1 + f))`.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Around {
    /// What the interval is multiplied by.
    scale: f64,
    /// The randomisation factor.
    factor: f64,
    /// Whether `U(s·d·(1 ± f))` is exactly the policy's jitter.
    exact: bool,
    /// How the jitter was written (for the report).
    note: &'static str,
}

/// The policy's jitter as ± `factor` around `scale · d`, with the factor at most
/// `max_factor` (a library's bound; resilience4j's is below 1).
fn around(j: &JitterConfig, max_factor: f64) -> Around {
    let (scale, factor, exact, note) = match *j {
        JitterConfig::None => (1.0, 0.0, true, "no randomisation: factor 0"),
        JitterConfig::Proportional { factor } => (1.0, factor, true, "± factor: the same rule"),
        // U(0, d) = U(d/2 · (1 − 1), d/2 · (1 + 1))
        JitterConfig::Full => (
            0.5,
            1.0,
            true,
            "full jitter U(0, d) written as ±100% around d/2 (intervals halved)",
        ),
        // d/2 + U(0, d/2) = U(d/2, d) = 3d/4 · (1 ± 1/3)
        JitterConfig::Equal => (
            0.75,
            1.0 / 3.0,
            true,
            "equal jitter U(d/2, d) written as ±1/3 around 3d/4 (intervals × 0.75)",
        ),
        JitterConfig::Multiplier { min, max } if min + max > 0.0 => (
            (min + max) / 2.0,
            (max - min) / (max + min),
            true,
            "d · U(min, max) written as ± (max − min)/(max + min) around d · (min + max)/2",
        ),
        JitterConfig::Multiplier { .. } => (0.0, 0.0, true, "d · U(0, 0): no delay"),
        JitterConfig::Decorrelated | JitterConfig::DecorrelatedV2 => (
            0.5,
            1.0,
            false,
            "no decorrelated jitter: written as full jitter over the schedule (±100% around d/2)",
        ),
    };
    if factor > max_factor {
        return Around {
            scale,
            factor: max_factor,
            exact: false,
            note: "the factor is above what the library accepts: the largest it takes instead",
        };
    }
    Around {
        scale,
        factor,
        exact,
        note,
    }
}

/// A jitter written as "a delay `d`, plus `U(0, spread · d)`" on the same schedule, the
/// additive form of tenacity and backon, as `(floor, spread)`: `U(floor·d, (floor + spread)·d)`.
fn additive(j: &JitterConfig) -> Option<(f64, f64)> {
    match *j {
        JitterConfig::None => Some((1.0, 0.0)),
        JitterConfig::Full => Some((0.0, 1.0)),
        JitterConfig::Equal => Some((0.5, 0.5)),
        JitterConfig::Proportional { factor } => Some((1.0 - factor, 2.0 * factor)),
        JitterConfig::Multiplier { min, max } => Some((min, max - min)),
        JitterConfig::Decorrelated | JitterConfig::DecorrelatedV2 => None,
    }
}

/// A Go file: `package retry`, the imports (`"time"` only if the body uses it) and the body.
fn go_file(header: &str, imports: &[&str], body: &str) -> String {
    let mut std = Vec::new();
    if body.contains("context.") {
        std.push("\"context\"");
    }
    if body.contains("time.") {
        std.push("\"time\"");
    }
    let mut out = format!("{header}\npackage retry\n\nimport (\n");
    for i in &std {
        out += &format!("\t{i}\n");
    }
    if !std.is_empty() {
        out += "\n";
    }
    for i in imports {
        out += &format!("\t\"{i}\"\n");
    }
    out + ")\n\n" + body
}

/// The scope of a breaker as words for a comment.
fn breaker_scope(scope: BreakerScopeConfig) -> &'static str {
    match scope {
        BreakerScopeConfig::None => "none",
        BreakerScopeConfig::PerService => "one per client per service",
        BreakerScopeConfig::Global => "one per client for every service",
        BreakerScopeConfig::SharedPerService => "one per service shared by every caller",
        BreakerScopeConfig::SharedGlobal => "one shared by every caller for every service",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_library_parses_from_its_own_id_and_a_wrong_one_is_listed() {
        for (i, l) in Library::ALL.into_iter().enumerate() {
            assert_eq!(Library::parse(l.id()), Ok(l));
            assert_eq!(l as usize, i, "ALL is in declaration order");
        }
        let e = Library::parse("hystrix").unwrap_err();
        assert!(
            e.contains("hystrix") && e.contains("cenkalti-v4, cenkalti-v5"),
            "{e}"
        );
    }

    /// The ± form reproduces each jitter's bounds: `U(s·d·(1 − f), s·d·(1 + f))` against
    /// the jitter's own interval, at d = 1.
    #[test]
    fn around_gives_each_jitter_its_own_interval() {
        let cases = [
            (JitterConfig::None, (1.0, 1.0)),
            (JitterConfig::Full, (0.0, 1.0)),
            (JitterConfig::Equal, (0.5, 1.0)),
            (JitterConfig::Proportional { factor: 0.3 }, (0.7, 1.3)),
            (JitterConfig::Multiplier { min: 0.8, max: 1.2 }, (0.8, 1.2)),
            (JitterConfig::Multiplier { min: 1.0, max: 2.0 }, (1.0, 2.0)),
        ];
        for (j, (lo, hi)) in cases {
            let a = around(&j, 1.0);
            assert!(a.exact, "{j:?}");
            let (l, h) = (a.scale * (1.0 - a.factor), a.scale * (1.0 + a.factor));
            assert!(
                (l - lo).abs() < 1e-12 && (h - hi).abs() < 1e-12,
                "{j:?}: {l}..{h}"
            );
            let (floor, spread) = additive(&j).unwrap();
            assert!((floor - lo).abs() < 1e-12 && (floor + spread - hi).abs() < 1e-12);
        }
        let capped = around(&JitterConfig::Full, 0.99);
        assert!(!capped.exact && capped.factor == 0.99);
        assert!(!around(&JitterConfig::Decorrelated, 1.0).exact);
    }
}
