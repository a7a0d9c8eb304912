//! Numbers as people read them, one definition for the text report, the page and the
//! charts: durations in human units, counts grouped in thousands, rates and shares to
//! three significant figures, and differences of shares in percentage points.

/// A duration given in milliseconds, in the largest unit that keeps it readable:
/// `0.42 ms`, `12.3 ms`, `31.3 s`, `5 min 12 s`, `45 h 14 min`, `5 days 3 h`.
///
/// ```
/// use herdsim::units::duration_ms;
/// assert_eq!(duration_ms(162_858_100.0), "45 h 14 min");
/// assert_eq!(duration_ms(31_326.2), "31.3 s");
/// assert_eq!(duration_ms(0.001), "0.001 ms");
/// assert_eq!(duration_ms(250.0), "250 ms");
/// ```
pub fn duration_ms(ms: f64) -> String {
    if !ms.is_finite() {
        return "—".into();
    }
    if ms < 0.0 {
        return format!("−{}", duration_ms(-ms));
    }
    const S: f64 = 1000.0;
    const MIN: f64 = 60.0 * S;
    const H: f64 = 60.0 * MIN;
    const DAY: f64 = 24.0 * H;
    // two units from a minute on, whole numbers of each (rounded to the smaller one)
    let two = |big: f64, big_name: &str, small: f64, small_name: &str| {
        let total = (ms / small).round();
        let per = (big / small).round();
        let (a, b) = ((total / per).floor(), total % per);
        let plural = |n: f64, name: &str| {
            if name == "day" && n != 1.0 {
                "days".to_string()
            } else {
                name.to_string()
            }
        };
        if b == 0.0 {
            format!("{a} {}", plural(a, big_name))
        } else {
            format!("{a} {} {b} {}", plural(a, big_name), plural(b, small_name))
        }
    };
    if ms >= 100.0 * H {
        two(DAY, "day", H, "h")
    } else if ms >= H - 30.0 * S {
        two(H, "h", MIN, "min")
    } else if ms >= MIN - 0.05 * S {
        two(MIN, "min", S, "s")
    } else if ms >= S - 0.5 {
        format!("{} s", sig3(ms / S))
    } else {
        format!("{} ms", sig3(ms))
    }
}

/// At least three significant figures, trailing zeros dropped, never exponent notation:
/// `31.3`, `250`, `0.00123`, `26,790`.
pub fn sig3(x: f64) -> String {
    if !x.is_finite() {
        return "—".into();
    }
    let a = x.abs();
    let decimals = if a >= 100.0 || a == 0.0 {
        0
    } else if a >= 10.0 {
        1
    } else if a >= 1.0 {
        2
    } else {
        // enough decimals for three significant figures, at most 9
        (2 - a.log10().floor() as i32).clamp(3, 9) as usize
    };
    let s = format!("{x:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    let s = if s == "-0" { "0".to_string() } else { s };
    group_int(&s)
}

/// Group the integer part of a decimal number in thousands: `1234567.5` → `1,234,567.5`.
pub fn group_int(s: &str) -> String {
    let (sign, rest) = s.strip_prefix('-').map_or(("", s), |r| ("-", r));
    let (int, frac) = rest
        .split_once('.')
        .map_or((rest, None), |(i, f)| (i, Some(f)));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{out}.{f}"),
        None => format!("{sign}{out}"),
    }
}

/// A whole count grouped in thousands: `1234567` → `1,234,567`.
pub fn count(n: u64) -> String {
    group_int(&n.to_string())
}

/// A share 0..=1 as a percentage to two decimals: `0.98765` → `98.77%`.
pub fn percent(share: f64) -> String {
    format!("{:.2}%", share * 100.0)
}

/// A difference of two shares (0..=1) in percentage points, signed: `+50.45 pp`.
pub fn points(delta: f64) -> String {
    // the sign of what is shown: a difference that reads as 0.00 pp carries none
    let pp = (delta * 10_000.0).round() / 100.0;
    let sign = if pp > 0.0 {
        "+"
    } else if pp < 0.0 {
        "−"
    } else {
        ""
    };
    format!("{sign}{:.2} pp", pp.abs())
}

/// What kind of figure a number is, which decides how it and a difference of two of
/// them read: the page's summary table and the text report declare each metric's kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Quantity {
    /// A whole number of things: `1,234`; a difference `+1,234`.
    Count,
    /// Milliseconds, in human units ([`duration_ms`]): `31.3 s`; a difference `+2 min 5 s`.
    Duration,
    /// A rate per second: `26,790 /s`; a difference `−120 /s`.
    Rate,
    /// A share 0..=1, as a percentage ([`percent`]): `98.77%`; a difference in
    /// percentage points ([`points`]): `+50.45 pp`.
    Share,
    /// A multiplier: `1.41×`; a difference `+0.41×`.
    Multiplier,
}

impl Quantity {
    /// `x` as people read this kind of figure.
    pub fn show(self, x: f64) -> String {
        if !x.is_finite() {
            return "—".into();
        }
        match self {
            Quantity::Count if x >= 0.0 && x.fract() == 0.0 && x < 1e18 => count(x as u64),
            Quantity::Count => sig3(x),
            Quantity::Duration => duration_ms(x),
            Quantity::Rate => format!("{} /s", sig3(x)),
            Quantity::Share => percent(x),
            Quantity::Multiplier => format!("{}×", sig3(x)),
        }
    }

    /// A difference `d` (B − A) of two such figures, signed (`+`, `−`, none for zero):
    /// shares in percentage points, the rest in their own unit.
    pub fn delta(self, d: f64) -> String {
        if !d.is_finite() {
            return "—".into();
        }
        if self == Quantity::Share {
            return points(d);
        }
        let text = self.show(d.abs());
        // a difference that reads as zero carries no sign
        let zero = text.trim_start_matches(['0', '.', ',']).is_empty()
            || text.starts_with("0 ")
            || text.starts_with("0×");
        let sign = if zero {
            ""
        } else if d > 0.0 {
            "+"
        } else {
            "−"
        };
        format!("{sign}{text}")
    }
}

/// A ratio of two figures (B / A): `1.41×`, `0.5×`.
pub fn ratio(r: f64) -> String {
    Quantity::Multiplier.show(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_pick_readable_units() {
        assert_eq!(duration_ms(0.0), "0 ms");
        assert_eq!(duration_ms(0.000_42), "0.00042 ms");
        assert_eq!(duration_ms(12.34), "12.3 ms");
        assert_eq!(duration_ms(999.9), "1 s");
        assert_eq!(duration_ms(1500.0), "1.5 s");
        assert_eq!(duration_ms(59_990.0), "1 min");
        assert_eq!(duration_ms(312_000.0), "5 min 12 s");
        assert_eq!(duration_ms(3_600_000.0), "1 h");
        assert_eq!(duration_ms(86_400_000.0), "24 h");
        assert_eq!(duration_ms(100.0 * 3_600_000.0), "4 days 4 h");
        assert_eq!(duration_ms(-1500.0), "−1.5 s");
        assert_eq!(duration_ms(f64::NAN), "—");
    }

    #[test]
    fn numbers_keep_three_figures_and_group_thousands() {
        assert_eq!(sig3(26_790.4), "26,790");
        assert_eq!(sig3(1.406), "1.41");
        assert_eq!(sig3(0.001), "0.001");
        assert_eq!(sig3(-1234.0), "-1,234");
        assert_eq!(sig3(1e20), "100,000,000,000,000,000,000");
        assert_eq!(count(1_234_567), "1,234,567");
        assert_eq!(percent(0.98765), "98.77%");
        assert_eq!(points(0.504_5), "+50.45 pp");
        assert_eq!(points(-0.01), "−1.00 pp");
        assert_eq!(points(0.000_01), "0.00 pp", "no sign, so no colour");
        assert_eq!(points(-0.000_04), "0.00 pp");
    }

    #[test]
    fn quantities_and_their_differences_read_in_their_own_units() {
        use Quantity::*;
        assert_eq!(Count.show(1_234_567.0), "1,234,567");
        assert_eq!(Count.delta(-1500.0), "−1,500");
        assert_eq!(Count.delta(0.0), "0");
        assert_eq!(Duration.show(162_858_100.0), "45 h 14 min");
        assert_eq!(Duration.delta(31_326.2), "+31.3 s");
        assert_eq!(Duration.delta(-125_000.0), "−2 min 5 s");
        assert_eq!(Duration.delta(0.0), "0 ms");
        assert_eq!(Rate.show(26_790.4), "26,790 /s");
        assert_eq!(Rate.delta(-120.0), "−120 /s");
        assert_eq!(Share.show(0.4955), "49.55%");
        assert_eq!(Share.delta(0.504_5), "+50.45 pp");
        assert_eq!(Multiplier.show(1.406), "1.41×");
        assert_eq!(Multiplier.delta(0.41), "+0.41×");
        assert_eq!(Multiplier.delta(0.0), "0×");
        assert_eq!(ratio(0.5), "0.5×");
        assert_eq!(Duration.show(f64::NAN), "—");
    }
}
