//! What every chart shares: the head above the plot (title and legend, so a legend never
//! covers data), axes whose ticks are chosen for the room they have and labelled so that
//! neighbours differ, the shaded and labelled fault windows and load spikes of time charts,
//! and the mapping from a pixel back to the x value under it (for the page's hover read-out).

use std::ops::Range;

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::pattern::{Dash, Glyph, Hatch, KeyLine, Patch, Shape};
use super::style::{Palette, FAULT, FONT, SPIKE};
use crate::sim::output::metrics::{Bucket, Series};
use crate::sim::scenario::{FaultKind, Scenario};
use crate::sim::RunRecord;
use crate::units::sig3;

/// An axis (linear or logarithmic `R`) ticked at the values of its [`Layout`], and only
/// there. (plotters' `WithKeyPoints` does the same but then takes no label formatter.)
pub struct Ticked<R> {
    inner: R,
    points: Vec<f64>,
}

impl<R: Ranged<ValueType = f64>> Ticked<R> {
    /// `inner` ticked at `ticks`.
    pub fn new(inner: impl Into<R>, ticks: &[(f64, String)]) -> Ticked<R> {
        Ticked {
            inner: inner.into(),
            points: ticks.iter().map(|t| t.0).collect(),
        }
    }
}

impl<R: Ranged<ValueType = f64>> Ranged for Ticked<R> {
    type ValueType = f64;
    type FormatOption = DefaultFormatting;

    fn range(&self) -> Range<f64> {
        self.inner.range()
    }

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.inner.map(value, limit)
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.points.clone()
        }
    }

    fn axis_pixel_range(&self, limit: (i32, i32)) -> Range<i32> {
        self.inner.axis_pixel_range(limit)
    }
}

/// A chart with a linear x and y axis.
pub type Linear<'a, DB> =
    ChartContext<'a, DB, Cartesian2d<Ticked<RangedCoordf64>, Ticked<RangedCoordf64>>>;
/// A drawing error of backend `DB`.
pub type Error<DB> = DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>;

/// Where a chart's plot landed: the pixel span of the x axis and the values at its ends.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Frame {
    /// Left and right pixel of the plotting area.
    pub px: (i32, i32),
    /// x values at those pixels.
    pub x: (f64, f64),
    /// The x axis is logarithmic.
    pub log: bool,
}

impl Frame {
    /// The frame of a chart whose x axis runs over `x`, linearly.
    pub fn of<DB: DrawingBackend, CT: CoordTranslate>(
        chart: &ChartContext<DB, CT>,
        x: (f64, f64),
    ) -> Frame {
        let (xs, _) = chart.plotting_area().get_pixel_range();
        Frame {
            px: (xs.start, xs.end),
            x,
            log: false,
        }
    }
    /// The x value at pixel column `px`, if it lies on the plot.
    ///
    /// ```
    /// use herdsim::charts::frame::Frame;
    /// let f = Frame { px: (100, 300), x: (0.0, 60.0), log: false };
    /// assert_eq!(f.x_at(200), Some(30.0));
    /// assert_eq!(f.x_at(50), None);
    /// let f = Frame { px: (0, 200), x: (1.0, 100.0), log: true };
    /// assert!((f.x_at(100).unwrap() - 10.0).abs() < 1e-9);
    /// ```
    pub fn x_at(&self, px: i32) -> Option<f64> {
        let (a, b) = self.px;
        if b <= a || px < a || px > b {
            return None;
        }
        let f = (px - a) as f64 / (b - a) as f64;
        Some(if self.log {
            (self.x.0.ln() + f * (self.x.1.ln() - self.x.0.ln())).exp()
        } else {
            self.x.0 + f * (self.x.1 - self.x.0)
        })
    }
}

/// The width of `text` at font size `px` (pixels), estimated at 0.64 em a character (the
/// digits of DejaVu Sans, the widest common sans-serif), so a layout made with it does not
/// collide.
pub fn text_w(text: &str, px: f64) -> f64 {
    text.chars().count() as f64 * 0.64 * px
}

/// How an axis is ticked.
#[derive(Clone, Debug, PartialEq)]
pub enum Ticks {
    /// Round values (steps of 1, 2 or 5 × 10ⁿ, at least `min_step` apart), as many as fit.
    Nice {
        /// The smallest step (1 for counts of things).
        min_step: f64,
    },
    /// These values with these labels (every other one dropped while they do not fit).
    Fixed(Vec<(f64, String)>),
}

/// An axis: its range, description and ticks.
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    /// Lower end.
    pub lo: f64,
    /// Upper end.
    pub hi: f64,
    /// What it measures ("time (s)").
    pub desc: String,
    /// Its ticks.
    pub ticks: Ticks,
    /// Logarithmic.
    pub log: bool,
    /// Its values are milliseconds, labelled in human units (`500 ms`, `2 s`).
    pub ms: bool,
}

impl Axis {
    /// A linear axis from `lo` to `hi` with round ticks.
    pub fn new(lo: f64, hi: f64, desc: &str) -> Axis {
        let hi = if hi.is_finite() && hi > lo {
            hi
        } else {
            lo + 1.0
        };
        Axis {
            lo,
            hi,
            desc: desc.to_string(),
            ticks: Ticks::Nice { min_step: 0.0 },
            log: false,
            ms: false,
        }
    }

    /// The same axis, its values milliseconds labelled in human units: ms below a second,
    /// seconds above (`0.001 ms`, `250 ms`, `2 s`, `1,000 s`).
    pub fn in_ms(mut self) -> Axis {
        self.ms = true;
        if let Ticks::Fixed(t) = &mut self.ticks {
            for (v, label) in t.iter_mut() {
                *label = ms_tick(*v, *v, *v);
            }
        }
        self
    }

    /// A logarithmic axis from `lo` to `hi` (both above 0) ticked at the powers of ten.
    pub fn log(lo: f64, hi: f64, desc: &str) -> Axis {
        Axis {
            ticks: Ticks::Fixed(log_ticks(lo, hi)),
            log: true,
            ..Axis::new(lo, hi, desc)
        }
    }

    /// Where `v` lies along the axis, 0 at `lo` and 1 at `hi`.
    pub fn frac(&self, v: f64) -> f64 {
        if self.log {
            (v / self.lo).ln() / (self.hi / self.lo).ln()
        } else {
            (v - self.lo) / (self.hi - self.lo)
        }
    }

    /// Ticks at least `step` apart (1: whole numbers only).
    pub fn min_step(mut self, step: f64) -> Axis {
        self.ticks = Ticks::Nice { min_step: step };
        self
    }

    /// These ticks.
    pub fn fixed(mut self, ticks: Vec<(f64, String)>) -> Axis {
        self.ticks = Ticks::Fixed(ticks);
        self
    }

    /// The ticks for an axis `len` pixels long whose labels need `room(label)` pixels
    /// between neighbours.
    pub fn resolve(&self, len: f64, room: impl Fn(&str) -> f64) -> Vec<(f64, String)> {
        let fits = |t: &[(f64, String)]| {
            t.windows(2).all(|w| {
                let gap = (self.frac(w[1].0) - self.frac(w[0].0)).abs() * len;
                gap >= room(&w[0].1).max(room(&w[1].1))
            })
        };
        match &self.ticks {
            Ticks::Nice { min_step } => {
                let mut best = Vec::new();
                for max in (1..=12).rev() {
                    let (vals, step) = nice_ticks(self.lo, self.hi, max, *min_step);
                    let label = |v| {
                        if self.ms {
                            ms_tick(v, step, self.hi)
                        } else {
                            tick_label(v, step)
                        }
                    };
                    let t: Vec<_> = vals.into_iter().map(|v| (v, label(v))).collect();
                    best = t;
                    if fits(&best) {
                        break;
                    }
                }
                best
            }
            Ticks::Fixed(all) => {
                let mut every = 1;
                loop {
                    let t: Vec<_> = all.iter().step_by(every).cloned().collect();
                    if t.len() <= 1 || fits(&t) {
                        return t;
                    }
                    every += 1;
                }
            }
        }
    }
}

/// Round tick values in `[lo, hi]`: a step of 1, 2 or 5 × 10ⁿ (at least `min_step`) giving
/// at most about `max` ticks; the values and the step.
///
/// ```
/// use herdsim::charts::frame::nice_ticks;
/// assert_eq!(nice_ticks(0.0, 10.0, 5, 0.0), (vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0], 2.0));
/// assert_eq!(nice_ticks(0.0, 3.0, 12, 1.0).0, vec![0.0, 1.0, 2.0, 3.0]);
/// ```
pub fn nice_ticks(lo: f64, hi: f64, max: usize, min_step: f64) -> (Vec<f64>, f64) {
    let span = hi - lo;
    if !(span > 0.0 && span.is_finite()) {
        return (vec![lo], 1.0);
    }
    let raw = (span / max.max(1) as f64).max(min_step);
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw * (1.0 - 1e-9))
        .unwrap_or(10.0 * mag);
    let first = (lo / step - 1e-9).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    ((first..=last).map(|k| k as f64 * step).collect(), step)
}

/// A tick label for `v` on an axis ticked every `step`: short (`40k`, `1.2M`) with just
/// enough decimals that neighbouring ticks differ (`0.0002`, `2.5k`).
///
/// ```
/// use herdsim::charts::frame::tick_label;
/// assert_eq!(tick_label(9500.0, 500.0), "9.5k");
/// assert_eq!(tick_label(10_000.0, 500.0), "10k");
/// assert_eq!(tick_label(0.0004, 0.0002), "0.0004");
/// assert_eq!(tick_label(120.0, 20.0), "120");
/// ```
pub fn tick_label(v: f64, step: f64) -> String {
    let a = v.abs();
    let (unit, suffix) = if a >= 1e9 {
        (1e9, "G")
    } else if a >= 1e6 {
        (1e6, "M")
    } else if a >= 1e3 {
        (1e3, "k")
    } else {
        (1.0, "")
    };
    let s = tick_decimals(v / unit, step / unit);
    format!("{s}{suffix}")
}

/// A tick label for `v` milliseconds on an axis ticked every `step` ms that reaches `top`
/// ms: in seconds when the axis reaches 2 s, else in ms, with just enough decimals that
/// neighbours differ.
///
/// ```
/// use herdsim::charts::frame::ms_tick;
/// assert_eq!(ms_tick(1500.0, 500.0, 6000.0), "1.5 s");
/// assert_eq!(ms_tick(250.0, 50.0, 400.0), "250 ms");
/// assert_eq!(ms_tick(0.001, 0.001, 0.001), "0.001 ms");
/// assert_eq!(ms_tick(10_000.0, 10_000.0, 10_000.0), "10 s");
/// ```
pub fn ms_tick(v: f64, step: f64, top: f64) -> String {
    if top >= 2000.0 || v >= 1000.0 {
        format!(
            "{} s",
            crate::units::group_int(&tick_decimals(v / 1000.0, step / 1000.0))
        )
    } else {
        format!("{} ms", tick_decimals(v, step))
    }
}

/// `v` with just enough decimals that neighbours `step` apart differ, no suffix.
fn tick_decimals(v: f64, step: f64) -> String {
    let decimals = if step > 0.0 {
        ((1.0 / step).log10() - 1e-9).ceil().clamp(0.0, 9.0) as usize
    } else {
        0
    };
    let s = format!("{v:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" {
        "0".into()
    } else {
        s
    }
}

/// Ticks of a logarithmic axis over `[lo, hi]`: the powers of ten (and their doubles and
/// fives when there are few), labelled `0.001`, `0.01`, … `1k`, `10k`.
///
/// ```
/// use herdsim::charts::frame::log_ticks;
/// let t = log_ticks(0.0005, 0.2);
/// assert_eq!(t.iter().map(|x| x.1.as_str()).collect::<Vec<_>>(), ["0.001", "0.01", "0.1"]);
/// ```
pub fn log_ticks(lo: f64, hi: f64) -> Vec<(f64, String)> {
    let label = |v: f64| {
        if v >= 1000.0 {
            tick_label(v, v)
        } else {
            sig3(v)
        }
    };
    let (a, b) = (lo.log10().ceil() as i32, hi.log10().floor() as i32);
    let tens: Vec<f64> = (a..=b).map(|e| 10f64.powi(e)).collect();
    let vals: Vec<f64> = if tens.len() >= 3 {
        tens
    } else {
        (a - 1..=b)
            .flat_map(|e| [1.0, 2.0, 5.0].map(|m| m * 10f64.powi(e)))
            .filter(|v| (lo..=hi).contains(v))
            .collect()
    };
    vals.into_iter().map(|v| (v, label(v))).collect()
}

/// How a legend entry shows its series: as the chart draws it, in colour and in dash,
/// shape or hatching, so the legend still explains the chart in greyscale.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// A filled box (bars, areas), hatched as the series is.
    Fill(Hatch),
    /// A line, dashed as the series is.
    Line(Dash),
    /// A solid line with the series' point shape on it.
    Shaped(Shape),
    /// The series' point shape alone (dots).
    Dot(Shape),
    /// A translucent box (shaded windows).
    Shade,
    /// A thin vertical line under a small triangle (a marked moment).
    Marker,
}

impl Mark {
    /// A plain filled box.
    pub const BOX: Mark = Mark::Fill(Hatch::Solid);
    /// A solid line.
    pub const LINE: Mark = Mark::Line(Dash::Solid);
    /// A dashed line.
    pub const DASHED: Mark = Mark::Line(Dash::Dashed);

    /// The width of the key's swatch: lines are longer, so that their dashes show.
    pub fn swatch(self, pal: &Palette) -> f64 {
        match self {
            Mark::Line(_) | Mark::Shaped(_) => pal.font(26),
            _ => pal.font(14),
        }
    }
}

/// A legend entry.
#[derive(Clone, Debug, PartialEq)]
pub struct Key {
    /// What the series is.
    pub name: String,
    /// Its colour.
    pub color: RGBColor,
    /// How it is drawn.
    pub mark: Mark,
}

impl Key {
    /// An entry.
    pub fn new(name: impl Into<String>, color: RGBColor, mark: Mark) -> Key {
        Key {
            name: name.into(),
            color,
            mark,
        }
    }
}

/// `text` cut short with an ellipsis so that it is at most `width` pixels wide at font size
/// `size` (as [`text_w`] estimates); unchanged when it fits.
///
/// ```
/// use herdsim::charts::frame::{ellipsize, text_w};
/// assert_eq!(ellipsize("retries", 10.0, 100.0), "retries");
/// let cut = ellipsize("breaker-per-service-vs-global", 10.0, 100.0);
/// assert!(cut.ends_with('…') && text_w(&cut, 10.0) <= 100.0, "{cut}");
/// ```
pub fn ellipsize(text: &str, size: f64, width: f64) -> String {
    if text_w(text, size) <= width {
        return text.to_string();
    }
    let keep = ((width / (0.64 * size)).floor() as usize).saturating_sub(1);
    let cut: String = text.chars().take(keep).collect();
    format!("{}…", cut.trim_end_matches([' ', '·', ':', ',']))
}

/// Words of `text` in lines of at most `width` pixels at font size `size`, a word too
/// long for a line of its own cut short.
fn wrap(text: &str, size: f64, width: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        match lines.last_mut() {
            Some(l) if text_w(&format!("{l} {word}"), size) <= width => {
                l.push(' ');
                l.push_str(word);
            }
            _ => lines.push(ellipsize(word, size, width)),
        }
    }
    lines
}

/// The lines of a chart's title at font size `size` within `width` pixels: one when it
/// fits; else two, broken before the scenario's name (at ` · `) when both halves fit, or
/// between the words where the longer line is shortest; with no such break, after the
/// most words that fit, what is left cut short with an ellipsis. A title never shrinks,
/// so it stays as large as every other chart's.
///
/// ```
/// use herdsim::charts::frame::title_lines;
/// assert_eq!(title_lines("Arrivals at the service", 20.0, 400.0), ["Arrivals at the service"]);
/// assert_eq!(
///     title_lines("Arrivals at the service · herd-full-jitter", 20.0, 400.0),
///     ["Arrivals at the service", "herd-full-jitter"]
/// );
/// assert_eq!(title_lines("Queue, workers and requests in flight", 20.0, 400.0).len(), 2);
/// ```
pub fn title_lines(title: &str, size: f64, width: f64) -> Vec<String> {
    if text_w(title, size) <= width {
        return vec![title.to_string()];
    }
    if let Some((a, b)) = title.split_once(" · ") {
        if text_w(a, size) <= width && text_w(b, size) <= width {
            return vec![a.to_string(), b.to_string()];
        }
    }
    let words: Vec<&str> = title.split(' ').filter(|w| !w.is_empty()).collect();
    let balanced = (1..words.len())
        .map(|k| {
            let trim = |s: String| s.trim_matches(['·', ' ']).to_string();
            (trim(words[..k].join(" ")), trim(words[k..].join(" ")))
        })
        .filter(|(a, b)| !a.is_empty() && !b.is_empty())
        .filter(|(a, b)| text_w(a, size) <= width && text_w(b, size) <= width)
        .min_by(|x, y| {
            let longer = |p: &(String, String)| text_w(&p.0, size).max(text_w(&p.1, size));
            longer(x).total_cmp(&longer(y))
        });
    if let Some((a, b)) = balanced {
        return vec![a, b];
    }
    let mut lines = wrap(title, size, width).into_iter();
    let first = lines.next().unwrap_or_default();
    let rest: Vec<String> = lines.collect();
    let first = first.trim_end_matches([' ', '·']).to_string();
    let rest = rest.join(" ");
    let rest = rest.trim_start_matches(['·', ' ']);
    if rest.is_empty() {
        vec![first]
    } else {
        vec![first, ellipsize(rest, size, width)]
    }
}

/// The legend's rows within `width` pixels: each entry's row and x offset in it, and each
/// row's width (entries flow left to right and wrap; a name too long for a row is cut
/// short, see [`key_name`]).
pub fn legend_rows(keys: &[Key], width: f64, pal: &Palette) -> (Vec<(usize, f64)>, Vec<f64>) {
    let (gap, sep) = (pal.font(5), pal.font(16));
    let mut place = Vec::new();
    let mut rows = vec![0.0f64];
    for k in keys {
        let w = k.mark.swatch(pal) + gap + text_w(&key_name(k, width, pal), pal.font(13));
        let row = rows.len() - 1;
        let x = if rows[row] == 0.0 {
            0.0
        } else {
            rows[row] + sep
        };
        if x > 0.0 && x + w > width {
            rows.push(w);
            place.push((row + 1, 0.0));
        } else {
            rows[row] = x + w;
            place.push((row, x));
        }
    }
    (place, rows)
}

/// The name a legend `width` pixels wide shows for `k`: its name, cut short if the entry
/// would not fit a row on its own.
pub fn key_name(k: &Key, width: f64, pal: &Palette) -> String {
    let room = width - k.mark.swatch(pal) - pal.font(5);
    ellipsize(&k.name, pal.font(13), room)
}

/// `title` for the chart of `rec`: when the chart is one side of an A/B comparison (`peer`
/// given), with the name of the run's scenario after it ("Arrivals at the service ·
/// herd-full-jitter"), so a slide says which run it shows.
pub fn title_of(title: &str, rec: &RunRecord, peer: Option<&RunRecord>) -> String {
    match peer {
        Some(_) => format!("{title} · {}", rec.scenario.name()),
        None => title.to_string(),
    }
}

/// What an overlay of A and B calls each: its scenario's name, or `A · name` and `B · name`
/// when both have the same.
pub fn side_names(a: &RunRecord, b: &RunRecord) -> [String; 2] {
    let (na, nb) = (a.scenario.name(), b.scenario.name());
    if na == nb {
        [format!("A · {na}"), format!("B · {nb}")]
    } else {
        [na.to_string(), nb.to_string()]
    }
}

/// Fill the area, draw the title (on two lines if need be, see [`title_lines`]) and the
/// legend of `keys` above the plot; the pixel row where the plot may begin.
pub fn head<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    keys: &[Key],
    pal: &Palette,
) -> Result<u32, Error<DB>> {
    area.fill(&pal.bg)?;
    let (w, _) = area.dim_in_pixel();
    let w = f64::from(w);
    let pad = pal.font(6);
    let size = pal.font(18);
    let font = (FONT, size).into_font().color(&pal.ink);
    let line_h = (size * 1.2).round();
    let lines = title_lines(title, size, w - 2.0 * pad);
    for (i, line) in lines.iter().enumerate() {
        area.draw(&Text::new(
            line.clone(),
            ((w / 2.0) as i32, (pad + line_h * i as f64) as i32),
            font.pos(Pos::new(HPos::Center, VPos::Top)),
        ))?;
    }
    let mut y = pad + line_h * (lines.len() - 1) as f64 + size + pad;
    if keys.is_empty() {
        return Ok(y.round() as u32);
    }
    let room = w - 2.0 * pad - pal.font(12);
    let (place, rows) = legend_rows(keys, room, pal);
    let row_h = (pal.font(13) * 1.5).round();
    let widest = rows.iter().cloned().fold(0.0, f64::max);
    let left = |row: usize| ((w - rows[row]) / 2.0).round();
    let (bl, br) = (
        (w - widest) / 2.0 - pal.font(6),
        (w + widest) / 2.0 + pal.font(6),
    );
    let bottom = y + row_h * rows.len() as f64;
    area.draw(&Rectangle::new(
        [(bl as i32, y as i32), (br as i32, bottom as i32)],
        pal.ink.mix(0.25),
    ))?;
    let label = (FONT, pal.font(13))
        .into_font()
        .color(&pal.ink)
        .pos(Pos::new(HPos::Left, VPos::Center));
    let (gap, h) = (pal.font(5), pal.font(5));
    for (k, &(row, dx)) in keys.iter().zip(&place) {
        let x0 = left(row) + dx;
        let sw = k.mark.swatch(pal);
        let cy = y + row_h * (row as f64 + 0.5);
        let p = |x: f64, y: f64| (x as i32, y as i32);
        let r = |x0: f64, x1: f64, h: f64| [p(x0, cy - h), p(x1, cy + h)];
        let thin = pal.font(1).max(1.0);
        match k.mark {
            Mark::Fill(hatch) => area.draw(&Patch::new(
                p(x0, cy - h),
                p(x0 + sw, cy + h),
                k.color,
                hatch,
                pal,
            ))?,
            Mark::Shade => area.draw(&Rectangle::new(
                r(x0, x0 + sw, h),
                k.color.mix(0.25).filled(),
            ))?,
            Mark::Line(dash) => {
                area.draw(&KeyLine::new(p(x0, cy), p(x0 + sw, cy), k.color, dash, pal))?
            }
            Mark::Shaped(shape) => {
                area.draw(&KeyLine::new(
                    p(x0, cy),
                    p(x0 + sw, cy),
                    k.color,
                    Dash::Solid,
                    pal,
                ))?;
                area.draw(&Glyph::new(p(x0 + sw / 2.0, cy), shape, 4, k.color, pal).in_key())?;
            }
            Mark::Dot(shape) => {
                area.draw(&Glyph::new(p(x0 + sw / 2.0, cy), shape, 4, k.color, pal).in_key())?
            }
            Mark::Marker => {
                let (x, t) = (x0 + sw / 2.0, pal.font(4));
                area.draw(&Rectangle::new(
                    [
                        ((x - thin / 2.0) as i32, (cy - h) as i32),
                        ((x + thin / 2.0).max(x + 1.0) as i32, (cy + h + 1.0) as i32),
                    ],
                    k.color.filled(),
                ))?;
                area.draw(&Polygon::new(
                    vec![
                        ((x - t) as i32, (cy - h) as i32),
                        ((x + t) as i32, (cy - h) as i32),
                        (x as i32, (cy - h + t * 1.4) as i32),
                    ],
                    k.color.filled(),
                ))?;
            }
        }
        area.draw(&Text::new(
            key_name(k, room, pal),
            ((x0 + sw + gap) as i32, cy as i32),
            label.clone(),
        ))?;
    }
    y = bottom + pad;
    Ok(y.round() as u32)
}

/// Where the plot goes and how its axes are ticked, for a chart on `area` whose head ends
/// at pixel row `top`.
pub struct Layout {
    /// Rows above the plot (title and legend).
    pub top: u32,
    /// Width of the y labels and description.
    pub y_area: u32,
    /// Height of the x labels and description.
    pub x_area: u32,
    /// Margin right of the plot (room for the last x label).
    pub right: u32,
    /// Margin below and left.
    pub margin: u32,
    /// The x ticks.
    pub x: Vec<(f64, String)>,
    /// The y ticks.
    pub y: Vec<(f64, String)>,
    /// The y axis's description fits along the plot (on a short chart it would run into
    /// the title: it is left out, the ticks and title say enough).
    pub y_desc: bool,
}

/// Lay out a chart of axes `x` and `y` below row `top` of `area`.
pub fn layout<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    top: u32,
    x: &Axis,
    y: &Axis,
    pal: &Palette,
) -> Layout {
    let (w, h) = area.dim_in_pixel();
    let (w, h) = (f64::from(w), f64::from(h));
    let margin = pal.px(8);
    let m = f64::from(margin);
    let x_area = pal.px(36);
    let lab = pal.font(12);
    let plot_h = (h - f64::from(top) - m - f64::from(x_area)).max(20.0);
    let yt = y.resolve(plot_h, |_| lab * 1.8);
    let widest = yt.iter().map(|t| text_w(&t.1, lab)).fold(0.0, f64::max);
    let y_desc = !y.desc.is_empty() && text_w(&y.desc, pal.font(14)) <= plot_h;
    let desc = if y_desc { pal.font(14) * 1.4 } else { 0.0 };
    // labels end 10 px left of the axis (plotters' tick label distance)
    let y_area = (widest + desc + 14.0).ceil();
    let plot_w = (w - m - y_area - m).max(20.0);
    let xt = x.resolve(plot_w, |l| text_w(l, lab) + pal.font(12));
    // the last label is centred on its tick: keep the right margin wide enough for it
    let right = xt.last().map_or(m, |(v, l)| {
        let from_end = (1.0 - x.frac(*v)) * plot_w;
        m.max(text_w(l, lab) / 2.0 - from_end + 2.0)
    });
    Layout {
        top,
        y_area: y_area as u32,
        x_area,
        right: right.ceil() as u32,
        margin,
        x: xt,
        y: yt,
        y_desc,
    }
}

/// The label of tick value `v` in `ticks`.
fn label_of(ticks: &[(f64, String)], v: f64) -> String {
    ticks
        .iter()
        .min_by(|a, b| (a.0 - v).abs().total_cmp(&(b.0 - v).abs()))
        .map(|t| t.1.clone())
        .unwrap_or_default()
}

/// A linear chart: title and legend above, axes ticked to fit, a light grid.
pub fn linear<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    title: &str,
    keys: &[Key],
    x: Axis,
    y: Axis,
    pal: &Palette,
) -> Result<Linear<'a, DB>, Error<DB>> {
    let top = head(area, title, keys, pal)?;
    let l = layout(area, top, &x, &y, pal);
    let xs = Ticked::<RangedCoordf64>::new(x.lo..x.hi, &l.x);
    let ys = Ticked::<RangedCoordf64>::new(y.lo..y.hi, &l.y);
    let mut chart = builder(area, &l).build_cartesian_2d(xs, ys)?;
    mesh(&mut chart, &l, &x.desc, &y.desc, pal)?;
    Ok(chart)
}

/// A chart builder on `area` with the margins and label areas of `l`.
pub fn builder<'a, 'b, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    l: &Layout,
) -> ChartBuilder<'a, 'b, DB> {
    let mut b = ChartBuilder::on(area);
    b.margin_top(l.top + l.margin / 2)
        .margin_left(l.margin)
        .margin_bottom(l.margin)
        .margin_right(l.right)
        .x_label_area_size(l.x_area)
        .y_label_area_size(l.y_area);
    b
}

/// Draw the axes, tick labels of `l` and grid in the house style.
pub fn mesh<DB: DrawingBackend, X, Y>(
    chart: &mut ChartContext<DB, Cartesian2d<X, Y>>,
    l: &Layout,
    x_desc: &str,
    y_desc: &str,
    pal: &Palette,
) -> Result<(), Error<DB>>
where
    X: Ranged<ValueType = f64, FormatOption = DefaultFormatting>,
    Y: Ranged<ValueType = f64, FormatOption = DefaultFormatting>,
{
    let (xl, yl) = (|v: &f64| label_of(&l.x, *v), |v: &f64| label_of(&l.y, *v));
    let mut m = chart.configure_mesh();
    m.axis_desc_style((FONT, pal.font(14)).into_font().color(&pal.ink))
        .label_style((FONT, pal.font(12)).into_font().color(&pal.ink))
        .axis_style(pal.ink)
        .bold_line_style(pal.grid)
        .light_line_style(pal.bg)
        .x_label_formatter(&xl)
        .y_label_formatter(&yl);
    if !x_desc.is_empty() {
        m.x_desc(x_desc);
    }
    if !y_desc.is_empty() && l.y_desc {
        m.y_desc(y_desc);
    }
    m.draw()
}

/// A box `(x0, y0, x1, y1)` in pixels of a chart's drawing area (a label placed).
pub type Bx = (f64, f64, f64, f64);

/// A shaded window of a time chart: a fault of a service or a load spike.
#[derive(Clone, Debug, PartialEq)]
pub struct Window {
    /// Start (s).
    pub start: f64,
    /// End (s).
    pub end: f64,
    /// A fault (else a load spike).
    pub fault: bool,
    /// What happens ("payments down", "load ×2").
    pub label: String,
}

/// What a fault does, in a word or two.
pub fn fault_name(k: FaultKind) -> String {
    match k {
        FaultKind::Down => "down".into(),
        FaultKind::Blackhole => "black hole".into(),
        FaultKind::ErrorRate(p) => format!("{}% errors", sig3(p * 100.0)),
        FaultKind::Slow(m) => format!("slow ×{}", sig3(m)),
        FaultKind::Capacity(f) => format!("{}% workers lost", sig3(f * 100.0)),
        FaultKind::Crash(crate::sim::scenario::config::CrashNode::Primary) => "node down".into(),
        FaultKind::Crash(crate::sim::scenario::config::CrashNode::Replica) => "replica down".into(),
    }
}

/// The shaded windows of a scenario: every service's faults (named after the service when
/// there are several) and the load spikes.
pub fn windows(sc: &Scenario) -> Vec<Window> {
    let s = |t: u64| t as f64 / 1e6;
    let many = sc.services().len() > 1;
    let faults = sc.services().iter().flat_map(|svc| {
        svc.faults.iter().map(move |f| Window {
            start: s(f.start),
            end: s(f.end),
            fault: true,
            label: if many {
                format!("{} {}", svc.name, fault_name(f.kind))
            } else {
                fault_name(f.kind)
            },
        })
    });
    let spikes = sc
        .clients()
        .load
        .iter()
        .filter(|w| w.multiplier > 1.0)
        .map(|w| Window {
            start: s(w.start),
            end: s(w.end),
            fault: false,
            label: format!("load ×{}", sig3(w.multiplier)),
        });
    faults.chain(spikes).collect()
}

/// The legend entries of a scenario's windows: one for faults, one for load spikes.
pub fn window_keys(sc: &Scenario) -> Vec<Key> {
    let w = windows(sc);
    let mut keys = Vec::new();
    if w.iter().any(|w| w.fault) {
        keys.push(Key::new("fault", FAULT, Mark::Shade));
    }
    if w.iter().any(|w| !w.fault) {
        keys.push(Key::new("load spike", SPIKE, Mark::Shade));
    }
    keys
}

/// The share of the time axis left of t = 0, so the first bucket (the burst of first
/// attempts) stands clear of the y axis.
pub const LEAD: f64 = 0.015;

/// A time chart from 0 to `end_s` seconds with y axis `y`, title and legend (`keys` and
/// the scenario's windows), mesh drawn and the scenario's windows shaded. Call
/// [`label_windows`] once the series are drawn.
pub fn time_chart<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    title: &str,
    keys: &[Key],
    y: Axis,
    end_s: f64,
    sc: &Scenario,
    pal: &Palette,
) -> Result<Linear<'a, DB>, Error<DB>> {
    let end_s = end_s.max(1e-3);
    let mut keys = keys.to_vec();
    keys.extend(window_keys(sc));
    let x = Axis::new(-end_s * LEAD, end_s, "time (s)");
    let (y0, y1) = (y.lo, y.hi);
    let mut chart = linear(area, title, &keys, x, y, pal)?;
    chart.draw_series(windows(sc).into_iter().map(|w| {
        let c = if w.fault { FAULT } else { SPIKE };
        Rectangle::new(
            [(w.start, y0), (w.end.min(end_s), y1)],
            c.mix(0.15).filled(),
        )
    }))?;
    Ok(chart)
}

/// The x range of a time chart ending at `end_s` (for its [`Frame`]).
pub fn time_range(end_s: f64) -> (f64, f64) {
    let end_s = end_s.max(1e-3);
    (-end_s * LEAD, end_s)
}

/// Name each shaded window at the top of the plot, inside the window where it fits,
/// skipping a name that would run into one already placed; the boxes of the names placed
/// (pixels of the drawing area), for markers to keep clear of.
pub fn label_windows<DB: DrawingBackend>(
    chart: &mut Linear<DB>,
    sc: &Scenario,
    pal: &Palette,
) -> Result<Vec<Bx>, Error<DB>> {
    let (xs, ys) = chart.plotting_area().get_pixel_range();
    let x_range = chart.x_range();
    let (lo, hi) = (x_range.start, x_range.end);
    let px = |t: f64| xs.start as f64 + (t - lo) / (hi - lo) * (xs.end - xs.start) as f64;
    let size = pal.font(12);
    let (pad, row_h) = (pal.font(3), (size * 1.3).round());
    let mut placed: Vec<(f64, f64, f64)> = Vec::new(); // x0, x1, row
    let mut boxes = Vec::new();
    for w in windows(sc) {
        let tw = text_w(&w.label, size);
        let (a, b) = (px(w.start), px(w.end.min(hi)));
        // start inside the window, or end at its right edge (or the plot's)
        let x0 = if a + pad + tw <= xs.end as f64 {
            a + pad
        } else {
            b.min(xs.end as f64) - pad - tw
        };
        let x1 = x0 + tw;
        if x0 < xs.start as f64 {
            continue;
        }
        let Some(row) = (0..2).map(f64::from).find(|&r| {
            !placed
                .iter()
                .any(|p| p.2 == r && x0 < p.1 + pad && p.0 < x1 + pad)
        }) else {
            continue;
        };
        placed.push((x0, x1, row));
        let y = ys.start as f64 + pad + row * row_h;
        boxes.push((x0 - pad, y - 1.0, x1 + pad, y + size + 1.0));
        let style = (FONT, size)
            .into_font()
            .color(&pal.ink)
            .pos(Pos::new(HPos::Left, VPos::Top));
        let root = chart.plotting_area().strip_coord_spec();
        let (ox, oy) = (xs.start, ys.start);
        root.draw(&Rectangle::new(
            [
                ((x0 - pad) as i32 - ox, (y - 1.0) as i32 - oy),
                ((x1 + pad) as i32 - ox, (y + size + 1.0) as i32 - oy),
            ],
            pal.bg.mix(0.5).filled(),
        ))?;
        root.draw(&Text::new(
            w.label.clone(),
            (x0 as i32 - ox, y as i32 - oy),
            style,
        ))?;
    }
    Ok(boxes)
}

/// A chart with no data to plot: its title and a sentence saying why (each of `lines`
/// wrapped to the chart's width, never shrunk).
pub fn message<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    lines: &[String],
    pal: &Palette,
) -> Result<(), Error<DB>> {
    let top = f64::from(head(area, title, &[], pal)?);
    let (w, h) = area.dim_in_pixel();
    let (w, h) = (f64::from(w), f64::from(h));
    let size = pal.font(15);
    let lines: Vec<String> = lines.iter().flat_map(|l| wrap(l, size, w * 0.9)).collect();
    let row_h = size * 1.5;
    let y0 = top + (h - top - row_h * lines.len() as f64) / 2.0;
    let style = (FONT, size)
        .into_font()
        .color(&pal.ink)
        .pos(Pos::new(HPos::Center, VPos::Top));
    for (i, l) in lines.iter().enumerate() {
        area.draw(&Text::new(
            l.clone(),
            ((w / 2.0) as i32, (y0 + row_h * i as f64) as i32),
            style.clone(),
        ))?;
    }
    Ok(())
}

/// Per-second rates of a count over the buckets of `s`.
pub fn rates(s: &Series, count: impl Fn(&Bucket) -> u64) -> Vec<f64> {
    let w = s.width_s();
    s.buckets.iter().map(|b| count(b) as f64 / w).collect()
}

/// Index of the bucket of `s` under time `t` (s), if the series reaches it.
pub fn bucket_at(s: &Series, t: f64) -> Option<usize> {
    let i = (t / s.width_s()).floor();
    (i >= 0.0 && (i as usize) < s.buckets.len()).then_some(i as usize)
}

/// Per-bucket values as points at the buckets' midpoints (seconds).
pub fn midpoints(values: Vec<f64>, width_s: f64) -> impl Iterator<Item = (f64, f64)> + Clone {
    values
        .into_iter()
        .enumerate()
        .map(move |(k, v)| ((k as f64 + 0.5) * width_s, v))
}

/// The largest value of `f` over the record and its peer (so A and B share axes).
pub fn peak<T>(items: impl IntoIterator<Item = T>, f: impl Fn(T) -> f64) -> f64 {
    items.into_iter().map(f).fold(0.0, f64::max)
}
