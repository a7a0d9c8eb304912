//! Uptime targets and the downtime they allow, the reverse, and the availability of
//! components in series and in parallel (issue 14, "the uptime budget"). Pure arithmetic.
//!
//! Periods are where calculators differ. A day is 24 h and a week 7 days everywhere; the
//! lecture's table (and the calculator it comes from) takes a month as 4.3125 weeks
//! (30.1875 days), a quarter as 3 such months and a year as 12 (362.25 days), so that
//! 99.9% allows 43 min 28 s a month and 8 h 41 min 38 s a year; a calendar-average month
//! (365.25 / 12 = 30.4375 days) allows 43 min 50 s, and a 365-day year 8 h 45 min 36 s.
//!
//! ```
//! use herdsim::uptime::{allowed_s, Period};
//! // the lecture: 99.9% → 1 min 26 s a day, 10 min 4.8 s a week, 43 min 28 s a month
//! assert!((allowed_s(99.9, Period::Day) - 86.4).abs() < 1e-9);
//! assert!((allowed_s(99.9, Period::Week) - 604.8).abs() < 1e-9);
//! assert_eq!(allowed_s(99.9, Period::Month).round(), 2608.0);
//! ```

use serde::Serialize;

/// A period a downtime budget is counted over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Period {
    /// 24 hours.
    Day,
    /// 7 days.
    Week,
    /// 4.3125 weeks (30.1875 days), as the lecture's table.
    Month,
    /// 3 months.
    Quarter,
    /// 12 months (362.25 days).
    Year,
}

impl Period {
    /// Every period, shortest first.
    pub const ALL: [Period; 5] = [
        Period::Day,
        Period::Week,
        Period::Month,
        Period::Quarter,
        Period::Year,
    ];

    /// Its name as tables and JSON write it.
    pub fn key(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Week => "week",
            Period::Month => "month",
            Period::Quarter => "quarter",
            Period::Year => "year",
        }
    }

    /// Its length in days.
    pub fn days(self) -> f64 {
        const MONTH: f64 = 7.0 * 4.3125;
        match self {
            Period::Day => 1.0,
            Period::Week => 7.0,
            Period::Month => MONTH,
            Period::Quarter => 3.0 * MONTH,
            Period::Year => 12.0 * MONTH,
        }
    }

    fn seconds(self) -> f64 {
        self.days() * 86_400.0
    }
}

/// The targets the page offers (percent).
pub const TARGETS: [f64; 6] = [99.0, 99.5, 99.9, 99.95, 99.99, 99.999];

/// Why a target does not read.
pub fn check_target(percent: f64) -> Result<f64, String> {
    if percent.is_finite() && (0.0..=100.0).contains(&percent) {
        Ok(percent)
    } else {
        Err(format!(
            "an uptime target is a percentage from 0 to 100, got {percent}"
        ))
    }
}

/// A target as people write it, `99.9` or `99.9%`.
pub fn read_target(raw: &str) -> Result<f64, String> {
    let t = raw.trim().trim_end_matches('%').trim();
    let percent = t
        .parse::<f64>()
        .map_err(|_| format!("an uptime target is a percentage such as 99.9, got \"{raw}\""))?;
    check_target(percent)
}

/// The share of the downtime `percent` allows in `period` that an incident of `downtime_s`
/// uses (above 1: more than the budget); infinite for a 100% target.
pub fn budget_share(downtime_s: f64, percent: f64, period: Period) -> f64 {
    downtime_s / allowed_s(percent, period)
}

/// How many incidents of `downtime_s` the downtime `percent` allows in `period` fits
/// (whole ones); `None` for an incident without downtime.
pub fn incidents_allowed(downtime_s: f64, percent: f64, period: Period) -> Option<u64> {
    (downtime_s > 0.0).then(|| (allowed_s(percent, period) / downtime_s + 1e-9).floor() as u64)
}

/// A share as a percentage with as many decimals as it needs to show its nines
/// (`0.999975` → `99.9975%`, `0.999` → `99.9%`), six at most.
pub fn nines(share: f64) -> String {
    let p = share * 100.0;
    // exact with few decimals (99.9975): as is; else two decimals past its nines
    let exact = (1..=4).find(|&d| {
        let t = 10f64.powi(d);
        ((p * t).round() / t - p).abs() < 1e-9
    });
    let decimals = exact.unwrap_or_else(|| {
        let fraction = format!("{:.12}", p.fract());
        let nines = fraction.chars().skip(2).take_while(|&c| c == '9').count();
        nines as i32 + 2
    });
    format!("{p:.*}%", decimals.clamp(1, 8) as usize)
}

/// What one incident of `downtime_s` (of run `side`, or of this run when empty) costs
/// against `target`, in a sentence: its share of a month's budget and how many such
/// incidents a month, a quarter and a year allow.
pub fn incident_cost(side: &str, downtime_s: f64, target: f64) -> String {
    let who = if side.is_empty() {
        "This run's".to_string()
    } else {
        format!("Run {side}'s")
    };
    if downtime_s <= 0.0 {
        return format!("{who} downtime is 0: nothing spent of the budget.");
    }
    let month = allowed_s(target, Period::Month);
    if month <= 0.0 {
        return format!(
            "{who} downtime, {}, is over a {target}% target, which allows none.",
            duration(downtime_s)
        );
    }
    let fits = |p| {
        incidents_allowed(downtime_s, target, p).map_or("any number".into(), crate::units::count)
    };
    format!(
        "{who} downtime, {}, used {} of a month's budget at {target}% ({}). The target allows {} such incidents a month, {} a quarter and {} a year.",
        duration(downtime_s),
        crate::units::percent(budget_share(downtime_s, target, Period::Month)),
        duration(month),
        fits(Period::Month),
        fits(Period::Quarter),
        fits(Period::Year)
    )
}

/// The downtime `percent` uptime allows in `period` (seconds).
pub fn allowed_s(percent: f64, period: Period) -> f64 {
    (1.0 - percent / 100.0) * period.seconds()
}

/// The uptime (percent) that `downtime_s` of downtime in `period` leaves.
pub fn uptime_percent(downtime_s: f64, period: Period) -> f64 {
    100.0 * (1.0 - downtime_s / period.seconds())
}

/// The table of one target: what `herdsim uptime --format json` prints.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Budget {
    /// The target (percent).
    pub target_percent: f64,
    /// Downtime allowed per period (seconds), by [`Period::key`].
    pub downtime_allowed_s: Periods,
    /// Each period's length (days).
    pub period_days: Periods,
}

/// One number per period.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Periods {
    /// A day.
    pub day: f64,
    /// A week.
    pub week: f64,
    /// A month.
    pub month: f64,
    /// A quarter.
    pub quarter: f64,
    /// A year.
    pub year: f64,
}

impl Periods {
    fn of(f: impl Fn(Period) -> f64) -> Periods {
        Periods {
            day: f(Period::Day),
            week: f(Period::Week),
            month: f(Period::Month),
            quarter: f(Period::Quarter),
            year: f(Period::Year),
        }
    }
}

impl Budget {
    /// The budget of `percent` uptime.
    pub fn of(percent: f64) -> Budget {
        Budget {
            target_percent: percent,
            // to the µs: 99.95% is not exact in binary, 43.2 s should read 43.2
            downtime_allowed_s: Periods::of(|p| (allowed_s(percent, p) * 1e6).round() / 1e6),
            period_days: Periods::of(Period::days),
        }
    }
}

/// Availability of components that must all be up (in series): the product.
pub fn series(availabilities: &[f64]) -> f64 {
    availabilities.iter().product()
}

/// Availability of redundant components, any one enough (in parallel), when a share
/// `correlated` (0..=1) of each one's downtime is common to all (a zone, a deploy, a
/// shared dependency): `1 − (c · min uᵢ + Π (1 − c) · uᵢ)` with `uᵢ = 1 − Aᵢ`. With
/// `c = 0` it is the textbook `1 − Π (1 − Aᵢ)`.
///
/// ```
/// use herdsim::uptime::parallel;
/// // two 99.5% instances in independent zones: 99.9975% on paper
/// assert!((parallel(&[0.995, 0.995], 0.0) - 0.999975).abs() < 1e-12);
/// // a tenth of their downtime shared: about 99.95%
/// assert!((parallel(&[0.995, 0.995], 0.1) - (1.0 - (0.0005 + 0.0045 * 0.0045))).abs() < 1e-12);
/// ```
pub fn parallel(availabilities: &[f64], correlated: f64) -> f64 {
    let c = correlated.clamp(0.0, 1.0);
    let u: Vec<f64> = availabilities.iter().map(|a| 1.0 - a).collect();
    let common = u.iter().copied().fold(f64::INFINITY, f64::min);
    if !common.is_finite() {
        return 1.0;
    }
    let independent: f64 = u.iter().map(|ui| (1.0 - c) * ui).product();
    1.0 - (c * common + independent)
}

/// A duration for the table: `7 min 12 s`, `10 min 4.8 s`, `8 h 41 min 38 s`, `8.64 s`.
pub fn duration(seconds: f64) -> String {
    let s = seconds.max(0.0);
    let (h, rest) = ((s / 3600.0).floor(), s % 3600.0);
    let (m, sec) = ((rest / 60.0).floor(), rest % 60.0);
    // seconds to 2 decimals, without trailing zeros; whole seconds once an hour is reached
    let sec = if h > 0.0 {
        format!("{}", sec.round())
    } else {
        let t = format!("{:.2}", sec);
        t.trim_end_matches('0').trim_end_matches('.').to_string()
    };
    match (h > 0.0, m > 0.0) {
        (true, _) => format!("{h} h {m} min {sec} s"),
        (false, true) => format!("{m} min {sec} s"),
        (false, false) => format!("{sec} s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lecture's table, day and week at four targets, to the tenth of a second.
    #[test]
    fn the_table_is_the_lectures() {
        let table = [
            (99.5, 7.0 * 60.0 + 12.0, 50.0 * 60.0 + 24.0),
            (99.9, 60.0 + 26.4, 10.0 * 60.0 + 4.8),
            (99.95, 43.2, 5.0 * 60.0 + 2.4),
            (99.99, 8.64, 60.48),
        ];
        for (t, day, week) in table {
            assert!((allowed_s(t, Period::Day) - day).abs() < 0.05, "{t}: day");
            assert!(
                (allowed_s(t, Period::Week) - week).abs() < 0.05,
                "{t}: week"
            );
        }
        // and the month, quarter and year of the lecture's calculator at 99.9%
        assert_eq!(duration(allowed_s(99.9, Period::Month)), "43 min 28.2 s");
        assert_eq!(
            duration(allowed_s(99.9, Period::Quarter)),
            "2 h 10 min 25 s"
        );
        assert_eq!(duration(allowed_s(99.9, Period::Year)), "8 h 41 min 38 s");
        assert_eq!(duration(allowed_s(99.5, Period::Day)), "7 min 12 s");
        assert_eq!(duration(allowed_s(99.99, Period::Week)), "1 min 0.48 s");
    }

    #[test]
    fn downtime_and_uptime_are_inverse() {
        for t in TARGETS {
            for p in Period::ALL {
                let back = uptime_percent(allowed_s(t, p), p);
                assert!((back - t).abs() < 1e-9, "{t} {p:?}");
            }
        }
        assert_eq!(uptime_percent(0.0, Period::Day), 100.0);
    }

    #[test]
    fn series_multiplies_and_parallel_is_bounded_by_correlation() {
        assert!((series(&[0.999, 0.999]) - 0.998001).abs() < 1e-12);
        // fully correlated: no better than the best one; independent: the textbook figure
        assert!((parallel(&[0.995, 0.99], 1.0) - 0.995).abs() < 1e-12);
        assert!((parallel(&[0.9, 0.9, 0.9], 0.0) - 0.999).abs() < 1e-12);
        let mut last = 1.0;
        for c in [0.0, 0.05, 0.1, 0.5, 1.0] {
            let a = parallel(&[0.995, 0.995], c);
            assert!(a <= last + 1e-15, "more shared downtime never helps");
            last = a;
        }
        assert!(check_target(100.5).is_err() && check_target(f64::NAN).is_err());
    }

    #[test]
    fn an_incident_uses_its_share_of_the_budget() {
        // 8 s against 99.9%: a month allows 2,608.2 s, so 0.31% of it, 326 such incidents
        let month = allowed_s(99.9, Period::Month);
        assert!((budget_share(8.0, 99.9, Period::Month) - 8.0 / month).abs() < 1e-15);
        assert_eq!(incidents_allowed(8.0, 99.9, Period::Month), Some(326));
        // exactly the budget: one incident; a day at 99.9% allows 86.4 s
        assert_eq!(incidents_allowed(86.4, 99.9, Period::Day), Some(1));
        assert_eq!(incidents_allowed(86.5, 99.9, Period::Day), Some(0));
        assert_eq!(incidents_allowed(0.0, 99.9, Period::Day), None);
        assert_eq!(read_target(" 99.95% "), Ok(99.95));
        let s = incident_cost("", 8.0, 99.9);
        assert!(
            s.contains("0.31% of a month") && s.contains("326 such incidents a month"),
            "{s}"
        );
        assert!(incident_cost("B", 1.0, 100.0).contains("allows none"));
        assert_eq!(nines(parallel(&[0.995, 0.995], 0.0)), "99.9975%");
        assert_eq!(nines(0.999), "99.9%");
        assert_eq!(nines(1.0 - 600.0 / 2_608_200.0), "99.977%");
        assert_eq!(nines(0.5), "50.0%");
        assert!(read_target("nines").is_err() && read_target("101").is_err());
    }
}
