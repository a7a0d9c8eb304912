//! Colours and fonts shared by every chart, chosen to stay distinguishable for common colour
//! blindness (Okabe–Ito palette) and readable on a projector.

use plotters::style::RGBColor;

use super::pattern::{Hatch, Shape};

/// The scale ([`Palette::scaled`]) of the presenter's charts at 1920×1080 (CSS pixels,
/// device pixel ratio 1): the smallest at which every text of a chart is at least 20 px
/// (the smallest, tick labels and the names of windows and moments, are 12 px at scale 1),
/// its title at least 28 px (18 px at scale 1: 30 px) and every data line at least 3 px
/// (2 px at scale 1). The tick labels decide it: 20 / 12 = 5/3.
pub const PRESENTER_SCALE: f64 = 5.0 / 3.0;

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
/// Calls a breaker rejected on the client (a grey that reads on both themes).
pub const SHORT_CIRCUIT: RGBColor = RGBColor(120, 120, 120);
/// Attempts throttled on the client.
pub const THROTTLED: RGBColor = RGBColor(240, 228, 66);
/// A third series (busy workers, scenario B).
pub const THIRD: RGBColor = RGBColor(0, 158, 115);

/// Background and ink of a chart (the page's light or dark, high-contrast theme), and the
/// scale of its text and lines: 1 for a chart about 700 pixels wide, more on a large or
/// high-density canvas, so labels stay readable on a projector or a 4K screen.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Palette {
    /// Background.
    pub bg: RGBColor,
    /// Text and axes.
    pub ink: RGBColor,
    /// Grid lines.
    pub grid: RGBColor,
    /// Size of text, margins and lines relative to the design size.
    pub scale: f64,
}

impl Palette {
    /// Dark text on white.
    pub const LIGHT: Palette = Palette {
        bg: RGBColor(255, 255, 255),
        ink: INK,
        grid: RGBColor(225, 225, 225),
        scale: 1.0,
    };
    /// White text on near-black, for projectors and dark rooms.
    pub const DARK: Palette = Palette {
        bg: RGBColor(12, 12, 12),
        ink: RGBColor(245, 245, 245),
        grid: RGBColor(70, 70, 70),
        scale: 1.0,
    };

    /// This palette at `scale`.
    pub fn scaled(self, scale: f64) -> Palette {
        Palette {
            scale: if scale.is_finite() {
                scale.clamp(0.5, 8.0)
            } else {
                1.0
            },
            ..self
        }
    }

    /// A length (pixels at scale 1) at this palette's scale.
    pub fn px(&self, v: u32) -> u32 {
        (f64::from(v) * self.scale).round().max(1.0) as u32
    }

    /// A font size (pixels at scale 1) at this palette's scale.
    pub fn font(&self, v: u32) -> f64 {
        f64::from(v) * self.scale
    }
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
        ShortCircuit => SHORT_CIRCUIT,
        Throttled => THROTTLED,
    }
}
/// The hatching of an attempt outcome's bars (success plain; and the breaker states of
/// the same colours: closed as success, half-open as throttled, open as error).
pub fn outcome_hatch(o: crate::sim::Outcome) -> Hatch {
    use crate::sim::Outcome::*;
    match o {
        Success => Hatch::Solid,
        Timeout => Hatch::Rising,
        Error => Hatch::Falling,
        Rejected => Hatch::Crossed,
        Refused => Hatch::Level,
        ShortCircuit => Hatch::LevelRising,
        Throttled => Hatch::LevelFalling,
    }
}

/// The shape of an attempt outcome's dots.
pub fn outcome_shape(o: crate::sim::Outcome) -> Shape {
    use crate::sim::Outcome::*;
    match o {
        Success => Shape::Circle,
        Timeout => Shape::Triangle,
        Error => Shape::Cross,
        Rejected => Shape::Square,
        Refused => Shape::Diamond,
        ShortCircuit => Shape::Plus,
        Throttled => Shape::TriangleDown,
    }
}

/// The marker shape of service `i`'s lines (with its colour, [`service_color`]).
pub fn service_shape(i: usize) -> Shape {
    Shape::CYCLE[i % Shape::CYCLE.len()]
}

/// The colour of service `i` (the Okabe–Ito palette, in turn).
pub fn service_color(i: usize) -> RGBColor {
    const C: [RGBColor; 7] = [FIRST, RETRY, SUCCESS, SPIKE, REFUSED, ERROR, SHORT_CIRCUIT];
    C[i % C.len()]
}

/// Font family.
pub const FONT: &str = "sans-serif";

/// A short axis label: `12`, `2.5`, `40k`, `1.2M`, `3G`; beyond that `9e15`.
pub fn num(v: f64) -> String {
    let a = v.abs();
    if a >= 1e12 {
        let e = a.log10().floor() as i32;
        return format!("{}e{e}", num(v / 10f64.powi(e)));
    }
    let (x, suffix) = if a >= 1e9 {
        (v / 1e9, "G")
    } else if a >= 1e6 {
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
    use super::*;

    #[test]
    fn at_the_presenters_scale_ticks_are_20_px_titles_28_and_lines_3() {
        let pal = Palette::DARK.scaled(PRESENTER_SCALE);
        assert!(pal.font(12) >= 20.0 - 1e-9 && pal.font(18) >= 28.0);
        assert!(crate::charts::pattern::series_width(&pal) >= 3);
        // and it is the smallest such scale: a little less and the ticks are under 20 px
        assert!(Palette::DARK.scaled(PRESENTER_SCALE * 0.99).font(12) < 20.0);
    }

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
            (86.4e6, "86.4M"),
            (2.5e9, "2.5G"),
            (9e15, "9e15"),
        ];
        for (v, want) in cases {
            assert_eq!(super::num(v), want);
        }
    }
}
