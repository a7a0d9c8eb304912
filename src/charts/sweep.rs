//! A sweep's table drawn: one axis as a line (the mean over the seeds) with its spread
//! (p10–p90 darker, min–max lighter) at each point; two as a heatmap (a cell per point,
//! coloured by the mean on a scale shown beside it). Points sit at equal steps, as the
//! sweep spaced them (linear or logarithmic), and each is labelled with its value.
//!
//! Both return a [`Cells`], which maps a pixel back to the point under it, so the page
//! can read a cell out on hover and open it on a click.

use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::frame::{builder, head, layout, mesh, Axis, Error, Key, Mark, Ticked};
use super::pattern::{self, Dash};
use super::style::{Palette, FIRST, FONT};
use crate::sweep::{Stats, Table};
use crate::units::sig3;

/// The plot's pixels and its grid of points, to find the point under a pixel.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cells {
    /// Left and right edges of the plot (pixels).
    pub x: (i32, i32),
    /// Top and bottom edges.
    pub y: (i32, i32),
    /// Points across (the last axis's steps).
    pub cols: usize,
    /// Rows (the first axis's steps with two axes; 1 with one).
    pub rows: usize,
}

impl Cells {
    /// The point (its index in the table) under pixel `(px, py)`, if any: with one axis
    /// the nearest point across the whole height of the plot.
    pub fn at(&self, px: i32, py: i32) -> Option<usize> {
        let inside = |v: i32, (a, b): (i32, i32)| v >= a && v < b && b > a;
        if !inside(px, self.x) || !inside(py, self.y) {
            return None;
        }
        let frac = |v: i32, (a, b): (i32, i32)| f64::from(v - a) / f64::from(b - a);
        let col = ((frac(px, self.x) * self.cols as f64) as usize).min(self.cols - 1);
        // rows run bottom up: the first axis's first value at the bottom
        let from_top = ((frac(py, self.y) * self.rows as f64) as usize).min(self.rows - 1);
        Some((self.rows - 1 - from_top) * self.cols + col)
    }
}

/// The metric's figures at every point, or `None` if the table does not have it.
fn column(table: &Table, metric: &str) -> Option<Vec<Stats>> {
    table.column(metric)
}

/// An axis of `n` points at equal steps, each labelled with its value to three
/// significant digits (a log-spaced step is `35.3553390593` as `--set` takes it).
fn steps(texts: Vec<String>, desc: &str) -> Axis {
    let n = texts.len();
    let short = |t: String| t.parse::<f64>().map_or(t, sig3);
    Axis::new(-0.5, n as f64 - 0.5, desc).fixed(
        texts
            .into_iter()
            .enumerate()
            .map(|(i, t)| (i as f64, short(t)))
            .collect(),
    )
}

/// The values of axis `a` in point order of the grid (its own steps).
fn axis_texts(table: &Table, a: usize) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    for p in table.points() {
        if let Some(t) = p.texts.get(a) {
            if !seen.contains(t) {
                seen.push(t.clone());
            }
        }
    }
    seen
}

/// Draw the sweep: a line with its spread for one axis, a heatmap for two; the point
/// `picked` (an index into the table) ringed.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    table: &Table,
    metric: &str,
    picked: Option<usize>,
    pal: &Palette,
) -> Result<Cells, Error<DB>> {
    let Some(stats) = column(table, metric) else {
        super::frame::message(
            area,
            metric,
            &["This sweep did not measure it.".into()],
            pal,
        )?;
        return Ok(Cells {
            x: (0, 0),
            y: (0, 0),
            cols: 1,
            rows: 1,
        });
    };
    let stats = &stats[..];
    match table.vary() {
        [x] => line(area, table, stats, x, metric, picked, pal),
        [y, x] => heatmap(area, table, stats, (y, x), metric, picked, pal),
        _ => {
            let why = "A sweep of one or two fields is drawn.".to_string();
            super::frame::message(area, metric, &[why], pal)?;
            Ok(Cells {
                x: (0, 0),
                y: (0, 0),
                cols: 1,
                rows: 1,
            })
        }
    }
}

/// `c` laid over the background at opacity `a` (a band's shade, and its legend swatch).
fn shade(c: RGBColor, a: f64, pal: &Palette) -> RGBColor {
    let m = |x: u8, bg: u8| (f64::from(x) * a + f64::from(bg) * (1.0 - a)).round() as u8;
    RGBColor(m(c.0, pal.bg.0), m(c.1, pal.bg.1), m(c.2, pal.bg.2))
}

fn title(metric: &str, by: &str, seeds: u32) -> String {
    let s = if seeds == 1 { "" } else { "s" };
    format!("{metric} by {by}, {seeds} seed{s} a point")
}

fn line<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    table: &Table,
    stats: &[Stats],
    path: &str,
    metric: &str,
    picked: Option<usize>,
    pal: &Palette,
) -> Result<Cells, Error<DB>> {
    // on the dark theme's near-black the bands need more of the colour to be seen
    let (a_in, a_out) = if pal.bg.0 < 128 {
        (0.7, 0.35)
    } else {
        (0.45, 0.18)
    };
    let (inner, outer) = (shade(FIRST, a_in, pal), shade(FIRST, a_out, pal));
    let keys = [
        Key::new("mean", FIRST, Mark::LINE),
        Key::new("p10–p90", inner, Mark::BOX),
        Key::new("min–max", outer, Mark::BOX),
    ];
    let top = head(area, &title(metric, path, table.seeds()), &keys, pal)?;
    let (lo, hi) = stats
        .iter()
        .flat_map(|s| [s.min, s.max])
        .flatten()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        });
    let (lo, hi) = if lo.is_finite() { (lo, hi) } else { (0.0, 1.0) };
    // a flat line (every point alike, often all 0) gets an axis around its value, not
    // one a billionth wide
    let pad = if hi > lo {
        ((hi - lo) * 0.08).max(hi.abs() * 0.02)
    } else if hi != 0.0 {
        hi.abs() * 0.1
    } else {
        1.0
    };
    let lo = if lo >= 0.0 {
        (lo - pad).max(0.0)
    } else {
        lo - pad
    };
    let x = steps(axis_texts(table, 0), path);
    let y = Axis::new(lo, hi + pad, metric);
    let l = layout(area, top, &x, &y, pal);
    let xs = Ticked::<RangedCoordf64>::new(x.lo..x.hi, &l.x);
    let ys = Ticked::<RangedCoordf64>::new(y.lo..y.hi, &l.y);
    let mut chart = builder(area, &l).build_cartesian_2d(xs, ys)?;
    mesh(&mut chart, &l, &x.desc, &y.desc, pal)?;
    let at = |f: fn(&Stats) -> Option<f64>| -> Vec<(f64, f64)> {
        (stats.iter().enumerate())
            .filter_map(|(i, s)| f(s).map(|v| (i as f64, v)))
            .collect()
    };
    for (upper, lower, color) in [
        (at(|s| s.max), at(|s| s.min), outer),
        (at(|s| s.p90), at(|s| s.p10), inner),
    ] {
        let ring: Vec<(f64, f64)> = upper.into_iter().chain(lower.into_iter().rev()).collect();
        chart.draw_series(std::iter::once(Polygon::new(ring, color.filled())))?;
    }
    let mean = at(|s| s.mean);
    let style = FIRST.stroke_width(pattern::series_width(pal));
    pattern::line(&mut chart, mean.clone(), style, Dash::Solid, pal)?;
    if let Some(p) = picked.and_then(|i| mean.iter().find(|p| p.0 == i as f64)) {
        let ring = pal.ink.stroke_width(pal.px(2));
        chart.draw_series(std::iter::once(Circle::new(*p, pal.px(9), ring)))?;
    }
    chart.draw_series(
        mean.into_iter()
            .map(|p| Circle::new(p, pal.px(4), FIRST.filled())),
    )?;
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    Ok(Cells {
        x: (xr.start, xr.end),
        y: (yr.start, yr.end),
        cols: stats.len().max(1),
        rows: 1,
    })
}

/// A colour of the scale at `f` (0 to 1): viridis, from dark blue through green to
/// yellow, readable in greys and by colour-blind eyes.
pub fn scale_color(f: f64) -> RGBColor {
    const STOPS: [(u8, u8, u8); 5] = [
        (68, 1, 84),
        (59, 82, 139),
        (33, 145, 140),
        (94, 201, 98),
        (253, 231, 37),
    ];
    let f = if f.is_finite() {
        f.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let x = f * (STOPS.len() - 1) as f64;
    let i = (x.floor() as usize).min(STOPS.len() - 2);
    let t = x - i as f64;
    let mix = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * t).round() as u8;
    let (a, b) = (STOPS[i], STOPS[i + 1]);
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

fn heatmap<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    table: &Table,
    stats: &[Stats],
    (y_path, x_path): (&str, &str),
    metric: &str,
    picked: Option<usize>,
    pal: &Palette,
) -> Result<Cells, Error<DB>> {
    let by = format!("{y_path} and {x_path}");
    let top = head(area, &title(metric, &by, table.seeds()), &[], pal)?;
    let (cols_t, rows_t) = (axis_texts(table, 1), axis_texts(table, 0));
    let (cols, rows) = (cols_t.len().max(1), rows_t.len().max(1));
    let x = steps(cols_t, x_path);
    let y = steps(rows_t, y_path);
    let mut l = layout(area, top, &x, &y, pal);
    // the colour scale right of the plot: a bar and its labels
    let bar = pal.px(16);
    let label_size = pal.font(12);
    let means: Vec<f64> = stats.iter().filter_map(|s| s.mean).collect();
    let lo = means.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = means.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let (lo, hi) = if lo.is_finite() { (lo, hi) } else { (0.0, 0.0) };
    let label_w = [sig3(lo), sig3(hi)]
        .iter()
        .map(|t| super::frame::text_w(t, label_size))
        .fold(0.0, f64::max);
    l.right += bar + pal.px(12) + label_w.ceil() as u32;
    let xs = Ticked::<RangedCoordf64>::new(x.lo..x.hi, &l.x);
    let ys = Ticked::<RangedCoordf64>::new(y.lo..y.hi, &l.y);
    let mut chart = builder(area, &l).build_cartesian_2d(xs, ys)?;
    mesh(&mut chart, &l, &x.desc, &y.desc, pal)?;
    let span = hi - lo;
    chart.draw_series(stats.iter().enumerate().map(|(i, s)| {
        let (r, c) = ((i / cols) as f64, (i % cols) as f64);
        let color = match s.mean {
            Some(m) if span > 0.0 => scale_color((m - lo) / span),
            Some(_) => scale_color(0.5),
            None => pal.grid,
        };
        Rectangle::new([(c - 0.5, r - 0.5), (c + 0.5, r + 0.5)], color.filled())
    }))?;
    if let Some(i) = picked.filter(|i| *i < stats.len()) {
        // a light edge inside a dark one: seen on the darkest and the lightest colours
        let (r, c) = ((i / cols) as f64, (i % cols) as f64);
        for (inset, color, width) in [(0.47, pal.ink, 4), (0.47, pal.bg, 2)] {
            chart.draw_series(std::iter::once(Rectangle::new(
                [(c - inset, r - inset), (c + inset, r + inset)],
                color.stroke_width(pal.px(width)),
            )))?;
        }
    }
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    // the scale: top is the highest mean
    let x0 = xr.end + pal.px(8) as i32;
    let (t, b) = (yr.start, yr.end);
    let n = 48;
    for k in 0..n {
        let y0 = t + (b - t) * k / n;
        let y1 = t + (b - t) * (k + 1) / n;
        let f = 1.0 - (f64::from(k) + 0.5) / f64::from(n);
        area.draw(&Rectangle::new(
            [(x0, y0), (x0 + bar as i32, y1)],
            scale_color(f).filled(),
        ))?;
    }
    area.draw(&Rectangle::new(
        [(x0, t), (x0 + bar as i32, b)],
        pal.ink.stroke_width(1),
    ))?;
    let style = (FONT, label_size).into_font().color(&pal.ink);
    let lx = x0 + bar as i32 + pal.px(4) as i32;
    area.draw(&Text::new(
        sig3(hi),
        (lx, t),
        style.pos(Pos::new(HPos::Left, VPos::Top)),
    ))?;
    area.draw(&Text::new(
        sig3(lo),
        (lx, b),
        style.pos(Pos::new(HPos::Left, VPos::Bottom)),
    ))?;
    Ok(Cells {
        x: (xr.start, xr.end),
        y: (yr.start, yr.end),
        cols,
        rows,
    })
}

/// The read-out of point `i`: its values and the metric's figures over the seeds.
pub fn readout(table: &Table, metric: &str, i: usize) -> Option<String> {
    let p = table.points().get(i)?;
    let at: Vec<String> = (table.vary().iter().zip(&p.texts))
        .map(|(a, t)| format!("{a} = {t}"))
        .collect();
    let s = column(table, metric)?.get(i).copied()?;
    let f = |v: Option<f64>| v.map_or("–".into(), sig3);
    let figures = match s.mean {
        None => "no seed had a value".into(),
        Some(_) => format!(
            "mean {}, p10–p90 {}–{}, min–max {}–{} ({} of {} seeds)",
            f(s.mean),
            f(s.p10),
            f(s.p90),
            f(s.min),
            f(s.max),
            s.count,
            table.seeds()
        ),
    };
    Some(format!("{}: {metric} {figures}", at.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::scenario::presets;
    use crate::sweep::{Metric, Sweep, Vary};

    /// A table of `axes` over retry-storm, 3 seeds a point, whose amplification at point
    /// `i`, seed `k` is `i + k` (made up: nothing runs).
    fn table(axes: &[&str]) -> Table {
        let axes = axes.iter().map(|a| Vary::parse(a).unwrap()).collect();
        let metric = vec![Metric::parse("amplification").unwrap()];
        let s = Sweep::new(presets::config("retry-storm").unwrap(), axes, 3, metric).unwrap();
        let measured: Vec<Vec<Option<f64>>> = s
            .jobs()
            .map(|j| vec![Some((j.point + j.k as usize) as f64)])
            .collect();
        s.table(&measured).unwrap()
    }

    fn svg(t: &Table, metric: &str) -> (String, Cells) {
        let mut out = String::new();
        let cells = {
            let area = SVGBackend::with_string(&mut out, (800, 400)).into_drawing_area();
            draw(&area, t, metric, None, &Palette::LIGHT).unwrap()
        };
        (out, cells)
    }

    /// Every text the SVG draws.
    fn texts(svg: &str) -> Vec<String> {
        svg.split("</text>")
            .filter_map(|s| Some(s.rsplit_once('>')?.1.trim().to_string()))
            .collect()
    }

    #[test]
    fn a_line_has_a_point_per_step_labelled_with_its_value() {
        let t = table(&["policy.max_attempts=1..5:5"]);
        let (svg, cells) = svg(&t, "amplification");
        assert_eq!((cells.cols, cells.rows), (5, 1));
        let texts = texts(&svg);
        for v in 1..=5 {
            assert!(texts.contains(&v.to_string()), "label {v}: {texts:?}");
        }
        assert!(texts.contains(&"amplification by policy.max_attempts, 3 seeds a point".into()));
        // the middle of each fifth of the plot is that point, whatever the height
        let w = cells.x.1 - cells.x.0;
        for i in 0..5 {
            let px = cells.x.0 + w * (2 * i + 1) / 10;
            assert_eq!(cells.at(px, cells.y.0), Some(i as usize));
            assert_eq!(cells.at(px, cells.y.1 - 1), Some(i as usize));
        }
        assert_eq!(cells.at(cells.x.0 - 1, cells.y.0), None);
        assert_eq!(cells.at(cells.x.1, cells.y.0), None);
        let r = readout(&t, "amplification", 2).unwrap();
        // seeds give 2, 3, 4: mean 3, p10 2.2, p90 3.8
        assert_eq!(
            r,
            "policy.max_attempts = 3: amplification mean 3, p10–p90 2.2–3.8, min–max 2–4 (3 of 3 seeds)"
        );
    }

    #[test]
    fn a_flat_line_has_an_axis_around_its_value() {
        let axes = vec![Vary::parse("policy.max_attempts=1..3:3").unwrap()];
        let metric = vec![Metric::parse("availability").unwrap()];
        let s = Sweep::new(presets::config("retry-storm").unwrap(), axes, 2, metric).unwrap();
        for v in [0.0, 5.0] {
            let t = s.table(&vec![vec![Some(v)]; s.runs()]).unwrap();
            let texts = texts(&svg(&t, "availability").0);
            let ticks: Vec<f64> = texts.iter().filter_map(|t| t.parse().ok()).collect();
            // ticks of tenths around the value (0 to 1, or 4.5 to 5.5), none a billionth
            let near = |lo: f64, hi: f64| ticks.iter().any(|&y| lo <= y && y <= hi);
            assert!(near(v - 0.5, v - 0.1) || v == 0.0, "{v}: {ticks:?}");
            assert!(near(v + 0.1, v + 0.5), "{v}: {ticks:?}");
            assert!(
                !texts.iter().any(|t| t.contains("0.0000")),
                "{v}: {texts:?}"
            );
        }
    }

    #[test]
    fn a_heatmap_has_a_cell_per_point_rows_bottom_up() {
        let t = table(&[
            "policy.max_attempts=1..3:3",
            "policy.timeout_ms=100..1000:4:log",
        ]);
        let (svg, cells) = svg(&t, "amplification");
        assert_eq!((cells.cols, cells.rows), (4, 3));
        // the scale's ends are the lowest and highest means (1 and 12)
        let texts = texts(&svg);
        assert!(
            texts.contains(&"1".into()) && texts.contains(&"12".into()),
            "{texts:?}"
        );
        // log steps 100 × 10^(k/3): 100, 215.443469003, 464.158883361, 1000, in three digits
        for t in ["100", "215", "464", "1,000"] {
            assert!(texts.contains(&t.into()), "{t}: {texts:?}");
        }
        let (w, h) = (cells.x.1 - cells.x.0, cells.y.1 - cells.y.0);
        let centre = |c: i32, r_from_top: i32| {
            (
                cells.x.0 + w * (2 * c + 1) / 8,
                cells.y.0 + h * (2 * r_from_top + 1) / 6,
            )
        };
        // bottom left is the first point; top right the last
        let (x, y) = centre(0, 2);
        assert_eq!(cells.at(x, y), Some(0));
        let (x, y) = centre(3, 0);
        assert_eq!(cells.at(x, y), Some(11));
        let (x, y) = centre(1, 1);
        assert_eq!(cells.at(x, y), Some(5));
        let r = readout(&t, "amplification", 5).unwrap();
        // the read-out gives the value exactly, as --set takes it
        let at =
            "policy.max_attempts = 2, policy.timeout_ms = 215.443469003: amplification mean 6,";
        assert!(r.starts_with(at), "{r}");
        assert_eq!(scale_color(0.0), RGBColor(68, 1, 84));
        assert_eq!(scale_color(1.0), RGBColor(253, 231, 37));
    }

    #[test]
    fn a_metric_not_measured_says_so() {
        let t = table(&["policy.max_attempts=1..2:2"]);
        let (svg, _) = svg(&t, "availability");
        assert!(svg.contains("This sweep did not measure it."));
        assert_eq!(readout(&t, "availability", 0), None);
    }
}
