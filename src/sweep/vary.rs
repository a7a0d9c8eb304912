//! One axis of a sweep: a numeric scenario field, by the path `--set` takes, and the
//! values it goes through, read strictly from `PATH=LO..HI:STEPS[:log]`.
//!
//! - `STEPS` values from `LO` to `HI` (both included), evenly spaced, or evenly spaced in
//!   the logarithm with `:log` (`10..1000:3:log` is 10, 100, 1000); `STEPS` is 1 to
//!   [`MAX_STEPS`], and 1 step is one value, written `LO..LO:1`.
//! - `LO` and `HI` are finite numbers, `LO` below `HI`; `:log` needs both above 0.
//! - Values between the ends are rounded to 12 significant digits (`0..1:11` gives 0.3,
//!   not 0.30000000000000004; `:log` gives 100, not 99.99999999999997); the ends are as
//!   given.
//! - A field that holds a whole number (`policy.max_attempts`, `clients.count`) takes whole
//!   `LO` and `HI`, and the values between are rounded to the nearest whole number (halves
//!   away from zero). Steps that would round to a value already taken are **refused**, not
//!   merged, so a sweep always has the points it was asked for: the message says how many
//!   steps give distinct values (`1..3` has 3).
//!
//! Each value is kept as the text `--set PATH=TEXT` would take (`3`, `0.25`) and the number
//! that text reads as, so a point of a sweep is exactly `herdsim run --set PATH=TEXT`.
//!
//! Whether the field's range allows the values, and the type a field belongs to (a normal
//! distribution's `mean_ms` may be 0, an exponential's may not), depend on the scenario:
//! [`Sweep::new`](crate::sweep::Sweep::new) checks them before any run.

use std::fmt;

use crate::sim::scenario::bounds::{self, Field};
use crate::sim::scenario::validate::text;

/// Most values on one axis.
pub const MAX_STEPS: u32 = 100;

/// How `--vary` is written, for messages and help.
pub const SHAPE: &str = "PATH=LO..HI:STEPS[:log], e.g. policy.max_attempts=1..5:5";

/// Significant digits of the values between the ends.
const DIGITS: usize = 12;

/// One axis: a numeric field and its values in order, from `LO` to `HI`.
#[derive(Clone, Debug, PartialEq)]
pub struct Vary {
    /// As given, for messages.
    given: String,
    path: String,
    lo: f64,
    hi: f64,
    log: bool,
    /// The field's entry in the bounds table (without the scenario's variant).
    field: &'static Field,
    /// Each value as `--set` takes it.
    texts: Vec<String>,
    /// Each value as that text reads.
    values: Vec<f64>,
}

/// Why a `--vary` text was refused: the text (shortened) and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VaryError {
    /// The text given, at most 40 characters of it.
    pub given: String,
    /// What is wrong, naming the part (`STEPS must be …`).
    pub problem: String,
}

impl fmt::Display for VaryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.given, self.problem)
    }
}

impl std::error::Error for VaryError {}

impl Vary {
    /// Read `PATH=LO..HI:STEPS[:log]` (see the module's notes).
    ///
    /// ```
    /// use herdsim::sweep::Vary;
    /// let v = Vary::parse("policy.backoff.base_ms=10..1000:3:log").unwrap();
    /// assert_eq!(v.values(), [10.0, 100.0, 1000.0]);
    /// let n = Vary::parse("policy.max_attempts=1..5:3").unwrap();
    /// assert_eq!(n.texts(), ["1", "3", "5"]);
    /// let e = Vary::parse("policy.max_attempts=1..5:0").unwrap_err();
    /// assert!(e.to_string().contains("STEPS must be a whole number from 1 to 100, got \"0\""));
    /// ```
    pub fn parse(given: &str) -> Result<Vary, VaryError> {
        let fail = |problem: String| VaryError {
            given: bounds::shorten(given),
            problem,
        };
        let Some((path, spec)) = given.split_once('=') else {
            return Err(fail(format!("not {SHAPE}")));
        };
        let path = path.trim();
        let field = numeric_field(path).map_err(fail)?;
        let mut parts = spec.split(':');
        let range = parts.next().unwrap_or_default();
        let Some((lo_text, hi_text)) = range.split_once("..") else {
            return Err(fail(format!(
                "the range must be LO..HI, e.g. 1..5, got \"{}\"",
                bounds::shorten(range)
            )));
        };
        let number = |name: &str, t: &str| {
            t.trim()
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .ok_or_else(|| {
                    fail(format!(
                        "{name} must be a finite number, got \"{}\"",
                        bounds::shorten(t)
                    ))
                })
        };
        let (lo, hi) = (number("LO", lo_text)?, number("HI", hi_text)?);
        let Some(steps_text) = parts.next() else {
            return Err(fail(format!(
                "the number of steps is missing: write LO..HI:STEPS, e.g. {range}:5"
            )));
        };
        let steps = steps_text
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=MAX_STEPS).contains(n))
            .ok_or_else(|| {
                fail(format!(
                    "STEPS must be a whole number from 1 to {MAX_STEPS}, got \"{}\"",
                    bounds::shorten(steps_text)
                ))
            })?;
        let log = match parts.next().map(str::trim) {
            None => false,
            Some("log") => true,
            Some(other) => {
                return Err(fail(format!(
                    "after STEPS only :log may follow (log spacing), got \"{}\"",
                    bounds::shorten(other)
                )))
            }
        };
        if let Some(extra) = parts.next() {
            return Err(fail(format!(
                "nothing may follow :log, got \":{}\"",
                bounds::shorten(extra)
            )));
        }
        if steps == 1 && lo != hi {
            return Err(fail(format!(
                "1 step is a single value: write LO..LO:1, got {}..{}",
                bounds::fmt_value(lo),
                bounds::fmt_value(hi)
            )));
        }
        if steps > 1 && lo >= hi {
            return Err(fail(format!(
                "LO must be less than HI, got {}..{}",
                bounds::fmt_value(lo),
                bounds::fmt_value(hi)
            )));
        }
        if log && (lo <= 0.0 || hi <= 0.0) {
            return Err(fail(format!(
                "log spacing needs LO and HI above 0, got {}..{}",
                bounds::fmt_value(lo),
                bounds::fmt_value(hi)
            )));
        }
        if field.whole && (lo.fract() != 0.0 || hi.fract() != 0.0) {
            return Err(fail(format!(
                "{path} is a whole number: LO and HI must be whole, got {}..{}",
                bounds::fmt_value(lo),
                bounds::fmt_value(hi)
            )));
        }
        let texts = spaced(lo, hi, steps, log, field.whole);
        if let Some(repeated) = first_repeat(&texts) {
            let most = (1..steps)
                .rev()
                .find(|&s| first_repeat(&spaced(lo, hi, s, log, field.whole)).is_none())
                .unwrap_or(1);
            let what = if field.whole {
                format!("{path} is a whole number and ")
            } else {
                String::new()
            };
            return Err(fail(format!(
                "{what}{steps} steps from {} to {} give the value {repeated} twice; \
                 at most {most} steps give distinct values",
                bounds::fmt_value(lo),
                bounds::fmt_value(hi)
            )));
        }
        let values = texts.iter().map(|t| read_number(t)).collect();
        Ok(Vary {
            given: given.to_string(),
            path: path.to_string(),
            lo,
            hi,
            log,
            field,
            texts,
            values,
        })
    }

    /// The field's path, as `--set` takes it.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The values in order, from `LO` to `HI`.
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// The values as `--set PATH=TEXT` takes them (`3`, `0.25`), in order.
    pub fn texts(&self) -> &[String] {
        &self.texts
    }

    /// Whether the field holds a whole number (its values are whole).
    pub fn whole(&self) -> bool {
        self.field.whole
    }

    /// Whether the values are spaced evenly in the logarithm.
    pub fn log(&self) -> bool {
        self.log
    }

    /// The text it was read from.
    pub fn given(&self) -> &str {
        &self.given
    }

    /// `LO` and `HI` against `field`'s range (the scenario's entry for this path): the
    /// message names the field, the end and the range allowed.
    pub(crate) fn check_range(&self, field: &Field) -> Result<(), VaryError> {
        for (end, v) in [("LO", self.lo), ("HI", self.hi)] {
            if !field.contains(v) {
                return Err(VaryError {
                    given: bounds::shorten(&self.given),
                    problem: format!(
                        "{} = {} ({end}): allowed {}",
                        self.path,
                        bounds::fmt_value(v),
                        field.allowed()
                    ),
                });
            }
        }
        Ok(())
    }
}

/// The bounds table's entry for `path`, if it is a numeric field one may vary.
fn numeric_field(path: &str) -> Result<&'static Field, String> {
    if path == "seed" {
        return Err(
            "seed: each point runs its seeds from the scenario's seed on; vary another field"
                .into(),
        );
    }
    let segments = path.split('.').count();
    if segments > bounds::MAX_PATH_SEGMENTS {
        return Err(format!(
            "a path of {segments} segments; allowed at most {}",
            bounds::MAX_PATH_SEGMENTS
        ));
    }
    bounds::for_path(path, None).ok_or_else(|| {
        format!(
            "PATH \"{}\" is not a numeric scenario field; vary one such as \
             policy.max_attempts, policy.backoff.base_ms, policy.timeout_ms, clients.count, \
             breaker.trip.failure_rate or budget.token_ratio",
            bounds::shorten(path)
        )
    })
}

/// `steps` values from `lo` to `hi` as `--set` texts: whole numbers for a whole field,
/// else 12 significant digits between the ends and the ends as given.
fn spaced(lo: f64, hi: f64, steps: u32, log: bool, whole: bool) -> Vec<String> {
    let last = steps.saturating_sub(1);
    (0..steps)
        .map(|i| {
            let v = if i == 0 {
                lo
            } else if i == last {
                hi
            } else {
                let t = f64::from(i) / f64::from(last);
                let v = if log {
                    let (a, b) = (libm::log(lo), libm::log(hi));
                    libm::exp(a + (b - a) * t)
                } else {
                    lo * (1.0 - t) + hi * t
                };
                significant(v)
            };
            if whole {
                format!("{:.0}", libm::round(v))
            } else {
                // Rust's shortest text that reads back as `v`, never an exponent
                format!("{v}")
            }
        })
        .collect()
}

/// `v` to [`DIGITS`] significant digits (Rust's own formatting: the same on every target).
fn significant(v: f64) -> f64 {
    format!("{v:.*e}", DIGITS - 1).parse().unwrap_or(v)
}

/// The first text that comes twice (the values increase, so a repeat is next to itself).
fn first_repeat(texts: &[String]) -> Option<&str> {
    texts
        .windows(2)
        .find(|w| read_number(&w[0]) >= read_number(&w[1]))
        .map(|w| w[1].as_str())
}

/// The number a `--set` text reads as (the same reading `edit::set` does).
fn read_number(t: &str) -> f64 {
    text::parse(t)
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(f64::NAN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spacing_is_linear_or_logarithmic_with_exact_ends() {
        let v = |s: &str| Vary::parse(s).unwrap().values().to_vec();
        assert_eq!(
            v("policy.backoff.base_ms=10..1000:3:log"),
            [10.0, 100.0, 1000.0]
        );
        assert_eq!(
            v("policy.backoff.base_ms=1..10000:5:log"),
            [1.0, 10.0, 100.0, 1000.0, 10000.0]
        );
        assert_eq!(
            v("breaker.trip.failure_rate=0..1:11"),
            [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]
        );
        assert_eq!(v("policy.timeout_ms=100..100:1"), [100.0]);
        assert_eq!(v("budget.token_ratio=0.1..0.3:3"), [0.1, 0.2, 0.3]);
        // negative numbers and exponents read as numbers
        assert_eq!(v("policy.backoff.base_ms=-5..5:3"), [-5.0, 0.0, 5.0]);
        assert_eq!(
            v("policy.backoff.base_ms=1e1..1e3:3:log"),
            [10.0, 100.0, 1000.0]
        );
    }

    #[test]
    fn whole_fields_get_whole_values_and_texts() {
        let a = Vary::parse("policy.max_attempts=1..5:5").unwrap();
        assert_eq!(a.values(), [1.0, 2.0, 3.0, 4.0, 5.0]);
        assert_eq!(a.texts(), ["1", "2", "3", "4", "5"]);
        assert!(a.whole());
        // 1, 3.25, 5.5, 7.75, 10 rounded (halves away from zero)
        let b = Vary::parse("clients.count=1..10:5").unwrap();
        assert_eq!(b.texts(), ["1", "3", "6", "8", "10"]);
        let c = Vary::parse("clients.count=10..100000:5:log").unwrap();
        assert_eq!(c.texts(), ["10", "100", "1000", "10000", "100000"]);
        // a float field's texts read back as its values
        let d = Vary::parse("policy.backoff.base_ms=0..1:4").unwrap();
        assert_eq!(d.texts(), ["0", "0.333333333333", "0.666666666667", "1"]);
    }

    #[test]
    fn every_refusal_names_the_part_that_is_wrong() {
        for (given, needle) in [
            ("policy.max_attempts", "not PATH=LO..HI:STEPS[:log]"),
            ("policy.nope=1..2:2", "PATH \"policy.nope\" is not a numeric scenario field"),
            ("policy.jitter.type=1..2:2", "is not a numeric scenario field"),
            ("=1..2:2", "PATH \"\" is not a numeric"),
            ("seed=1..5:5", "seed: each point runs its seeds"),
            ("policy.max_attempts=1-5:5", "the range must be LO..HI, e.g. 1..5, got \"1-5\""),
            ("policy.max_attempts=x..5:5", "LO must be a finite number, got \"x\""),
            ("policy.max_attempts=1..inf:5", "HI must be a finite number, got \"inf\""),
            ("policy.max_attempts=1..NaN:5", "HI must be a finite number"),
            ("policy.max_attempts=1..5", "the number of steps is missing: write LO..HI:STEPS, e.g. 1..5:5"),
            ("policy.max_attempts=1..5:0", "STEPS must be a whole number from 1 to 100, got \"0\""),
            ("policy.max_attempts=1..5:101", "STEPS must be a whole number from 1 to 100, got \"101\""),
            ("policy.max_attempts=1..5:2.5", "got \"2.5\""),
            ("policy.max_attempts=1..5:", "STEPS must be a whole number"),
            ("policy.max_attempts=1..5:5:lin", "after STEPS only :log may follow (log spacing), got \"lin\""),
            ("policy.max_attempts=1..5:5:log:x", "nothing may follow :log, got \":x\""),
            ("policy.max_attempts=1..5:1", "1 step is a single value: write LO..LO:1, got 1..5"),
            ("policy.max_attempts=5..1:5", "LO must be less than HI, got 5..1"),
            ("policy.max_attempts=3..3:2", "LO must be less than HI, got 3..3"),
            ("policy.backoff.base_ms=0..100:3:log", "log spacing needs LO and HI above 0, got 0..100"),
            ("policy.max_attempts=1.5..5:3", "policy.max_attempts is a whole number: LO and HI must be whole, got 1.5..5"),
            ("policy.max_attempts=1..3:10", "policy.max_attempts is a whole number and 10 steps from 1 to 3 give the value 1 twice; at most 3 steps give distinct values"),
            ("clients.count=1..10:10:log", "at most 6 steps give distinct values"),
            ("policy.backoff.base_ms=1..1.000000000001:5", "give the value 1 twice"),
        ] {
            let e = Vary::parse(given).unwrap_err().to_string();
            assert!(e.contains(needle), "{given}: {e}");
            assert!(e.starts_with(&bounds::shorten(given)), "{given}: {e}");
        }
        let long = format!("policy.max_attempts=1..5:{}", "9".repeat(200));
        let e = Vary::parse(&long).unwrap_err().to_string();
        assert!(e.len() < 200, "{e}");
    }

    #[test]
    fn ranges_are_checked_against_the_field() {
        let v = Vary::parse("policy.max_attempts=0..5:6").unwrap();
        let e = v
            .check_range(&bounds::MAX_ATTEMPTS)
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "policy.max_attempts=0..5:6: policy.max_attempts = 0 (LO): allowed a whole \
             number 1..=1000000, or null for unlimited"
        );
        let v = Vary::parse("breaker.trip.failure_rate=0.5..2:4").unwrap();
        let e = v
            .check_range(&bounds::FAILURE_RATE)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("breaker.trip.failure_rate = 2 (HI): allowed 0..=1"),
            "{e}"
        );
        assert!(Vary::parse("policy.max_attempts=1..5:5")
            .unwrap()
            .check_range(&bounds::MAX_ATTEMPTS)
            .is_ok());
    }
}
