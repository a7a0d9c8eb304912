//! Colours and fonts shared by every chart, chosen to stay distinguishable for common colour
//! blindness (Okabe–Ito palette) and readable on a projector.

use plotters::style::RGBColor;

/// First attempts.
pub const FIRST: RGBColor = RGBColor(0, 114, 178);
/// Retries.
pub const RETRY: RGBColor = RGBColor(230, 159, 0);
/// Fault windows (drawn translucent).
pub const FAULT: RGBColor = RGBColor(213, 94, 0);
/// Load spikes (drawn translucent).
pub const SPIKE: RGBColor = RGBColor(204, 121, 167);
/// Axis and text (light theme).
pub const INK: RGBColor = RGBColor(40, 40, 40);
/// Successes.
pub const SUCCESS: RGBColor = RGBColor(0, 158, 115);
/// Timeouts.
pub const TIMEOUT: RGBColor = RGBColor(230, 159, 0);
/// Errors.
pub const ERROR: RGBColor = RGBColor(213, 94, 0);
/// Rejections (queue full).
pub const REJECTED: RGBColor = RGBColor(204, 121, 167);
/// Refusals (service down).
pub const REFUSED: RGBColor = RGBColor(86, 180, 233);
/// A third series (busy workers, scenario B).
pub const THIRD: RGBColor = RGBColor(0, 158, 115);

/// Background and ink of a chart: the page's light or dark (high-contrast) theme.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Palette {
    /// Background.
    pub bg: RGBColor,
    /// Text and axes.
    pub ink: RGBColor,
    /// Grid lines.
    pub grid: RGBColor,
}

impl Palette {
    /// Dark text on white.
    pub const LIGHT: Palette = Palette {
        bg: RGBColor(255, 255, 255),
        ink: INK,
        grid: RGBColor(225, 225, 225),
    };
    /// White text on near-black, for projectors and dark rooms.
    pub const DARK: Palette = Palette {
        bg: RGBColor(12, 12, 12),
        ink: RGBColor(245, 245, 245),
        grid: RGBColor(70, 70, 70),
    };
}

/// The colour of an attempt outcome.
pub fn outcome_color(o: crate::sim::Outcome) -> RGBColor {
    use crate::sim::Outcome::*;
    match o {
        Success => SUCCESS,
        Timeout => TIMEOUT,
        Error => ERROR,
        Rejected => REJECTED,
        Refused => REFUSED,
    }
}
/// Font family.
pub const FONT: &str = "sans-serif";

/// A short axis label: `12`, `2.5`, `40k`, `1.2M`.
pub fn num(v: f64) -> String {
    let a = v.abs();
    let (x, suffix) = if a >= 1e6 {
        (v / 1e6, "M")
    } else if a >= 1e3 {
        (v / 1e3, "k")
    } else {
        (v, "")
    };
    let s = if x.fract().abs() < 1e-9 {
        format!("{x:.0}")
    } else {
        format!("{x:.1}")
    };
    format!("{}{suffix}", s.trim_end_matches(".0"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn labels_are_short() {
        let cases = [
            (0.0, "0"),
            (2.5, "2.5"),
            (12.0, "12"),
            (20000.0, "20k"),
            (1500.0, "1.5k"),
            (1.2e6, "1.2M"),
            (-3000.0, "-3k"),
        ];
        for (v, want) in cases {
            assert_eq!(super::num(v), want);
        }
    }
}
