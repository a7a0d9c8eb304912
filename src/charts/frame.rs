//! What every chart shares: the frame (title, axes, grid in the palette's colours), the
//! shaded fault windows of time charts, the legend, and the mapping from a pixel back to
//! the x value under it (for the page's hover read-out).

use plotters::chart::MeshStyle;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::style::{num, Palette, FAULT, FONT, SPIKE};
use crate::sim::output::metrics::{Bucket, Series};
use crate::sim::scenario::Scenario;

/// A chart with a linear x and y axis.
pub type Linear<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

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
    /// The frame of a linear chart.
    pub fn of<DB: DrawingBackend>(chart: &Linear<DB>, x: (f64, f64)) -> Frame {
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

/// Shaded windows `(start s, end s, is_fault)` of a scenario: faults and load spikes.
pub fn windows(sc: &Scenario) -> Vec<(f64, f64, bool)> {
    let s = |t: u64| t as f64 / 1e6;
    let faults = sc.faults().map(|f| (s(f.start), s(f.end), true));
    let spikes = sc.spikes().map(|(a, b)| (s(a), s(b), false));
    faults.chain(spikes).collect()
}

/// A time chart from 0 to `end_s` seconds and 0 to `top`, with its mesh drawn and the
/// scenario's fault windows shaded.
pub fn time_chart<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    title: &str,
    y_desc: &str,
    end_s: f64,
    top: f64,
    sc: &Scenario,
    pal: &Palette,
) -> Result<Linear<'a, DB>, DrawingAreaErrorKind<DB::ErrorType>> {
    let end_s = end_s.max(1e-3);
    let top = if top.is_finite() && top > 0.0 {
        top
    } else {
        1.0
    };
    let mut chart = linear(
        area,
        title,
        "time (s)",
        y_desc,
        (0.0, end_s),
        (0.0, top),
        pal,
    )?;
    chart.draw_series(windows(sc).into_iter().map(|(a, b, fault)| {
        let c = if fault { FAULT } else { SPIKE };
        Rectangle::new([(a, 0.0), (b.min(end_s), top)], c.mix(0.15).filled())
    }))?;
    Ok(chart)
}

/// A time chart of `rows` horizontal bands (no y labels: the caller names the bands), with
/// the scenario's fault windows shaded.
pub fn time_bands<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    title: &str,
    end_s: f64,
    rows: f64,
    sc: &Scenario,
    pal: &Palette,
) -> Result<Linear<'a, DB>, DrawingAreaErrorKind<DB::ErrorType>> {
    let end_s = end_s.max(1e-3);
    let mut chart =
        builder(area, title, pal.px(12), pal)?.build_cartesian_2d(0.0..end_s, 0.0..rows)?;
    house_style(&mut chart.configure_mesh(), pal)
        .x_desc("time (s)")
        .disable_y_mesh()
        .y_label_formatter(&|_| String::new())
        .x_label_formatter(&|v| num(*v))
        .draw()?;
    chart.draw_series(windows(sc).into_iter().map(|(a, b, fault)| {
        let c = if fault { FAULT } else { SPIKE };
        Rectangle::new([(a, 0.0), (b.min(end_s), rows)], c.mix(0.15).filled())
    }))?;
    Ok(chart)
}

/// A linear chart with title, axis descriptions and a light grid.
pub fn linear<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    title: &str,
    x_desc: &str,
    y_desc: &str,
    x: (f64, f64),
    y: (f64, f64),
    pal: &Palette,
) -> Result<Linear<'a, DB>, DrawingAreaErrorKind<DB::ErrorType>> {
    let mut chart =
        builder(area, title, pal.px(60), pal)?.build_cartesian_2d(x.0..x.1, y.0..y.1)?;
    house_style(&mut chart.configure_mesh(), pal)
        .x_desc(x_desc)
        .y_desc(y_desc)
        .x_label_formatter(&|v| num(*v))
        .y_label_formatter(&|v| num(*v))
        .draw()?;
    Ok(chart)
}

/// A chart builder with the house title, margins and label areas (`y_area` pixels for
/// the y labels), on an area filled with the background.
pub fn builder<'a, 'b, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    title: &str,
    y_area: u32,
    pal: &Palette,
) -> Result<ChartBuilder<'a, 'b, DB>, DrawingAreaErrorKind<DB::ErrorType>> {
    area.fill(&pal.bg)?;
    let mut b = ChartBuilder::on(area);
    b.caption(title, (FONT, pal.font(18)).into_font().color(&pal.ink))
        .margin(pal.px(8))
        .x_label_area_size(pal.px(36))
        .y_label_area_size(y_area);
    Ok(b)
}

/// The house style of a mesh: fonts, axis and grid in the palette's colours.
pub fn house_style<'m, 'a, 'b, X: Ranged, Y: Ranged, DB: DrawingBackend>(
    mesh: &'m mut MeshStyle<'a, 'b, X, Y, DB>,
    pal: &Palette,
) -> &'m mut MeshStyle<'a, 'b, X, Y, DB> {
    mesh.axis_desc_style((FONT, pal.font(14)).into_font().color(&pal.ink))
        .label_style((FONT, pal.font(12)).into_font().color(&pal.ink))
        .axis_style(pal.ink)
        .bold_line_style(pal.grid)
        .light_line_style(pal.bg)
}

/// Draw the legend of the labelled series in the upper right corner.
pub fn legend<'a, DB: DrawingBackend + 'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
    pal: &Palette,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    legend_at(chart, pal, SeriesLabelPosition::UpperRight)
}

/// Draw the legend of the labelled series at `pos`.
pub fn legend_at<'a, DB: DrawingBackend + 'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
    pal: &Palette,
    pos: SeriesLabelPosition,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    chart
        .configure_series_labels()
        .position(pos)
        .background_style(pal.bg.mix(0.85))
        .border_style(pal.ink.mix(0.3))
        .label_font((FONT, pal.font(13)).into_font().color(&pal.ink))
        .draw()
}

/// A legend swatch.
pub fn swatch(c: RGBColor, pal: &Palette) -> impl Fn((i32, i32)) -> Rectangle<(i32, i32)> {
    let (h, w) = (pal.px(5) as i32, pal.px(12) as i32);
    move |(x, y)| Rectangle::new([(x, y - h), (x + w, y + h)], c.filled())
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
