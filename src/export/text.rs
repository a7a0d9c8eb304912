//! Numbers and durations as each language writes them.

/// A number as its shortest exact decimal (`0.5`, `100`, `1.5`).
pub fn num(x: f64) -> String {
    let x = if x == 0.0 { 0.0 } else { x };
    format!("{x}")
}

/// A duration for people (`500 ms`, `2 s`).
pub fn ms(ms: f64) -> String {
    crate::units::duration_ms(ms)
}

/// Whole microseconds of `ms` (the engine's resolution).
fn micros(ms: f64) -> u64 {
    (ms * 1000.0).round().max(0.0) as u64
}

/// The duration as a count of the coarsest whole unit among `units` (`(name, µs)`,
/// coarsest first; the last must be 1 µs).
fn whole<'a>(ms: f64, units: &[(&'a str, u64)]) -> (u64, &'a str) {
    let us = micros(ms);
    for &(name, size) in units {
        if us % size == 0 {
            return (us / size, name);
        }
    }
    (us, units[units.len() - 1].0)
}

/// Go: `500 * time.Millisecond`, `2 * time.Second`, `0`.
pub fn go(ms: f64) -> String {
    if micros(ms) == 0 {
        return "0".into();
    }
    let (n, unit) = whole(
        ms,
        &[
            ("time.Minute", 60_000_000),
            ("time.Second", 1_000_000),
            ("time.Millisecond", 1_000),
            ("time.Microsecond", 1),
        ],
    );
    if n == 1 {
        unit.to_string()
    } else {
        format!("{n} * {unit}")
    }
}

/// A protobuf JSON duration: seconds with a trailing `s` (`0.1s`, `2s`).
pub fn proto(ms: f64) -> String {
    let us = micros(ms);
    let (s, frac) = (us / 1_000_000, us % 1_000_000);
    if frac == 0 {
        return format!("{s}s");
    }
    let f = format!("{frac:06}");
    format!("{s}.{}s", f.trim_end_matches('0'))
}

/// Seconds as a decimal (`0.5`, `2`), for Python.
pub fn seconds(ms: f64) -> String {
    let p = proto(ms);
    p[..p.len() - 1].to_string()
}

/// A Spring Boot duration (`500ms`, `60s`).
pub fn spring(ms: f64) -> String {
    let (n, unit) = whole(ms, &[("s", 1_000_000), ("ms", 1_000), ("us", 1)]);
    format!("{n}{unit}")
}

/// C#: `TimeSpan.FromSeconds(2)`, `TimeSpan.FromMilliseconds(500)`.
pub fn csharp(ms: f64) -> String {
    let (n, unit) = whole(
        ms,
        &[
            ("FromSeconds", 1_000_000),
            ("FromMilliseconds", 1_000),
            ("FromMicroseconds", 1),
        ],
    );
    format!("TimeSpan.{unit}({n})")
}

/// Rust: `Duration::from_secs(2)`, `Duration::from_millis(500)`.
pub fn rust(ms: f64) -> String {
    let (n, unit) = whole(
        ms,
        &[
            ("from_secs", 1_000_000),
            ("from_millis", 1_000),
            ("from_micros", 1),
        ],
    );
    format!("Duration::{unit}({n})")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_take_the_coarsest_whole_unit() {
        assert_eq!(go(500.0), "500 * time.Millisecond");
        assert_eq!(go(1000.0), "time.Second");
        assert_eq!(go(900_000.0), "15 * time.Minute");
        assert_eq!(go(0.0), "0");
        assert_eq!(go(0.25), "250 * time.Microsecond");
        assert_eq!(proto(100.0), "0.1s");
        assert_eq!(proto(2000.0), "2s");
        assert_eq!(proto(25.0), "0.025s");
        assert_eq!(seconds(1500.0), "1.5");
        assert_eq!(spring(60_000.0), "60s");
        assert_eq!(spring(500.0), "500ms");
        assert_eq!(csharp(2000.0), "TimeSpan.FromSeconds(2)");
        assert_eq!(rust(100.0), "Duration::from_millis(100)");
        assert_eq!(num(0.5), "0.5");
        assert_eq!(num(-0.0), "0");
    }
}
