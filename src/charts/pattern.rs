//! How series tell apart without colour (a greyscale print, a washed-out projector, a
//! colour-blind reader): a dash pattern per line, a shape per point, a hatching per filled
//! area. Each is drawn the same way in the chart and in its legend key
//! ([`Mark`](super::frame::Mark)), so the legend still explains the chart in greyscale.

use std::f64::consts::SQRT_2;

use plotters::element::{Drawable, PointCollection};
use plotters::prelude::*;
use plotters_backend::{BackendCoord, DrawingErrorKind};

use super::frame::Error;
use super::style::Palette;

/// How a line is stroked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dash {
    /// Unbroken.
    Solid,
    /// Dashes about three times as long as their gaps.
    Dashed,
    /// Short dots.
    Dotted,
}

impl Dash {
    /// Dash and gap length in pixels at `pal`'s scale; `None` for a solid line.
    pub fn pattern(self, pal: &Palette) -> Option<(u32, u32)> {
        match self {
            Dash::Solid => None,
            Dash::Dashed => Some((pal.px(9), pal.px(4))),
            Dash::Dotted => Some((pal.px(2), pal.px(3))),
        }
    }
}

/// The width of a data series' line: 2 px at scale 1, 3 px at the presenter's scale.
pub fn series_width(pal: &Palette) -> u32 {
    pal.px(2)
}

/// Draw a line through `pts` (in `chart`'s coordinates) in `style`, dashed as `dash` says.
pub fn line<DB, CT>(
    chart: &mut ChartContext<DB, CT>,
    pts: Vec<CT::From>,
    style: ShapeStyle,
    dash: Dash,
    pal: &Palette,
) -> Result<(), Error<DB>>
where
    DB: DrawingBackend,
    CT: CoordTranslate,
    CT::From: Clone + 'static,
{
    match dash.pattern(pal) {
        None => chart.draw_series(LineSeries::new(pts, style))?,
        Some((on, off)) => chart.draw_series(DashedLineSeries::new(pts, on, off, style))?,
    };
    Ok(())
}

/// The radius (pixels at scale 1) of the shapes marking a line series.
pub const SHAPE_R: u32 = 4;

/// Where to put the shapes of line series `i` of `n` through `pts` (in `chart`'s
/// coordinates): at the first point past every 60 pixels along the x axis (at scale 1),
/// series `i` starting `i / n` of that later than series 0, so lines that run together do
/// not stack their shapes.
pub fn spaced<DB, CT>(
    chart: &ChartContext<DB, CT>,
    pts: &[CT::From],
    i: usize,
    n: usize,
    pal: &Palette,
) -> Vec<CT::From>
where
    DB: DrawingBackend,
    CT: CoordTranslate,
    CT::From: Clone,
{
    let area = chart.plotting_area();
    let step = f64::from(pal.px(60));
    let left = f64::from(area.get_pixel_range().0.start);
    let mut next = left + step * (i as f64 + 0.5) / n.max(1) as f64;
    let mut out = Vec::new();
    for p in pts {
        let x = f64::from(area.map_coordinate(p).0);
        if x >= next {
            out.push(p.clone());
            while next <= x {
                next += step;
            }
        }
    }
    out
}

/// Draw line series `i` of `n` through `pts` in `color`, dashed as `dash`, and marked
/// with `shape` now and then along it ([`spaced`]).
pub fn shaped_line<DB, CT>(
    chart: &mut ChartContext<DB, CT>,
    pts: Vec<CT::From>,
    color: RGBColor,
    (dash, shape): (Dash, Shape),
    (i, n): (usize, usize),
    pal: &Palette,
) -> Result<(), Error<DB>>
where
    DB: DrawingBackend,
    CT: CoordTranslate,
    CT::From: Clone + 'static,
{
    let at = spaced(chart, &pts, i, n, pal);
    line(chart, pts, color.stroke_width(series_width(pal)), dash, pal)?;
    chart.draw_series(
        at.into_iter()
            .map(|p| Glyph::new(p, shape, SHAPE_R, color, pal)),
    )?;
    Ok(())
}

/// The shape of a point marker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// A disc.
    Circle,
    /// A square.
    Square,
    /// A triangle, point up.
    Triangle,
    /// A square on its corner.
    Diamond,
    /// An ×.
    Cross,
    /// A +.
    Plus,
    /// A triangle, point down.
    TriangleDown,
}

impl Shape {
    /// Shapes in turn, for series told apart by index (services).
    pub const CYCLE: [Shape; 7] = [
        Shape::Circle,
        Shape::Square,
        Shape::Triangle,
        Shape::Diamond,
        Shape::Cross,
        Shape::TriangleDown,
        Shape::Plus,
    ];
}

/// A point marker of shape `shape`, about `r` pixels from its centre to its edge, at `at`.
/// The × and + are stroked `stroke` pixels wide; the others are filled.
pub struct Glyph<C> {
    at: C,
    shape: Shape,
    r: u32,
    stroke: u32,
    color: RGBColor,
    key: bool,
}

impl<C> Glyph<C> {
    /// A marker of `shape` and `color` at `at`, sized for `pal`: radius `r` at scale 1.
    pub fn new(at: C, shape: Shape, r: u32, color: RGBColor, pal: &Palette) -> Glyph<C> {
        Glyph {
            at,
            shape,
            r: pal.px(r),
            stroke: series_width(pal),
            color,
            key: false,
        }
    }

    /// The same marker for a legend key: a disc drawn as a polygon, so that every `<circle>`
    /// of an SVG chart is a data point.
    pub fn in_key(mut self) -> Glyph<C> {
        self.key = true;
        self
    }
}

impl<'a, C: 'a> PointCollection<'a, C> for &'a Glyph<C> {
    type Point = &'a C;
    type IntoIter = std::iter::Once<&'a C>;
    fn point_iter(self) -> Self::IntoIter {
        std::iter::once(&self.at)
    }
}

impl<C, DB: DrawingBackend> Drawable<DB> for Glyph<C> {
    fn draw<I: Iterator<Item = BackendCoord>>(
        &self,
        mut pos: I,
        backend: &mut DB,
        _: (u32, u32),
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        let Some((x, y)) = pos.next() else {
            return Ok(());
        };
        let r = f64::from(self.r);
        let fill = self.color.filled();
        let at = |dx: f64, dy: f64| (x + dx.round() as i32, y + dy.round() as i32);
        let poly = |pts: &[(f64, f64)]| pts.iter().map(|p| at(p.0, p.1)).collect::<Vec<_>>();
        match self.shape {
            Shape::Circle if self.key => {
                let pts: Vec<(f64, f64)> = (0..16)
                    .map(|k| {
                        let a = f64::from(k) * std::f64::consts::PI / 8.0;
                        (r * a.cos(), r * a.sin())
                    })
                    .collect();
                backend.fill_polygon(poly(&pts), &fill)
            }
            Shape::Circle => backend.draw_circle((x, y), self.r, &fill, true),
            Shape::Square => {
                let s = r * 0.9;
                backend.draw_rect(at(-s, -s), at(s, s), &fill, true)
            }
            Shape::Triangle => {
                let s = r * 1.3;
                backend.fill_polygon(
                    poly(&[(0.0, -s), (s * 0.87, s * 0.5), (-s * 0.87, s * 0.5)]),
                    &fill,
                )
            }
            Shape::TriangleDown => {
                let s = r * 1.3;
                backend.fill_polygon(
                    poly(&[(-s * 0.87, -s * 0.5), (s * 0.87, -s * 0.5), (0.0, s)]),
                    &fill,
                )
            }
            Shape::Diamond => {
                let s = r * 1.3;
                backend.fill_polygon(poly(&[(0.0, -s), (s, 0.0), (0.0, s), (-s, 0.0)]), &fill)
            }
            Shape::Cross | Shape::Plus => {
                let style = self.color.stroke_width(self.stroke);
                let s = r * 1.1;
                let arms = if self.shape == Shape::Cross {
                    [((-s, -s), (s, s)), ((-s, s), (s, -s))]
                } else {
                    [((-s, 0.0), (s, 0.0)), ((0.0, -s), (0.0, s))]
                };
                for (a, b) in arms {
                    backend.draw_line(at(a.0, a.1), at(b.0, b.1), &style)?;
                }
                Ok(())
            }
        }
    }
}

/// How a filled area is hatched (lines in the ink colour over its fill). None has vertical
/// lines: on bars a few pixels wide they would come and go from bar to bar like data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hatch {
    /// Plain fill.
    Solid,
    /// Lines rising to the right: `/`.
    Rising,
    /// Lines falling to the right: `\`.
    Falling,
    /// Both diagonals: `×`.
    Crossed,
    /// Horizontal lines.
    Level,
    /// Horizontal lines and lines rising to the right.
    LevelRising,
    /// Horizontal lines and lines falling to the right.
    LevelFalling,
}

/// A box between corners `a` and `b`, filled with `color` and hatched with `hatch`. The
/// lines lie on one lattice of the whole canvas, so neighbouring bars hatch as one area.
pub struct Patch<C> {
    corners: [C; 2],
    color: RGBColor,
    hatch: Hatch,
    ink: ShapeStyle,
    gap: i32,
}

impl<C> Patch<C> {
    /// A box of `color` hatched with `hatch` in `pal`'s ink.
    pub fn new(a: C, b: C, color: RGBColor, hatch: Hatch, pal: &Palette) -> Patch<C> {
        Patch {
            corners: [a, b],
            color,
            hatch,
            ink: pal.ink.mix(0.5).stroke_width(pal.px(2)),
            gap: pal.px(7) as i32,
        }
    }
}

impl<'a, C: 'a> PointCollection<'a, C> for &'a Patch<C> {
    type Point = &'a C;
    type IntoIter = &'a [C; 2];
    fn point_iter(self) -> Self::IntoIter {
        &self.corners
    }
}

impl<C, DB: DrawingBackend> Drawable<DB> for Patch<C> {
    fn draw<I: Iterator<Item = BackendCoord>>(
        &self,
        mut pos: I,
        backend: &mut DB,
        _: (u32, u32),
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        let (Some(a), Some(b)) = (pos.next(), pos.next()) else {
            return Ok(());
        };
        let (x0, y0, x1, y1) = (a.0.min(b.0), a.1.min(b.1), a.0.max(b.0), a.1.max(b.1));
        backend.draw_rect((x0, y0), (x1, y1), &self.color.filled(), true)?;
        for (from, to) in stripes((x0, y0, x1, y1), self.hatch, self.gap) {
            backend.draw_line(from, to, &self.ink)?;
        }
        Ok(())
    }
}

/// The hatch lines of `hatch` clipped to the box `(x0, y0, x1, y1)` (pixels): lines `gap`
/// pixels apart on a lattice anchored at the canvas origin.
///
/// ```
/// use herdsim::charts::pattern::{stripes, Hatch};
/// assert!(stripes((0, 0, 30, 30), Hatch::Solid, 6).is_empty());
/// assert_eq!(stripes((0, 0, 30, 30), Hatch::Level, 6).len(), 4); // y = 6, 12, 18, 24
/// // diagonals 6 px apart cross an axis every 8 px: x + y = 8, 16, 24, 32, …
/// assert!(stripes((0, 0, 30, 30), Hatch::Rising, 6).contains(&((0, 24), (24, 0))));
/// assert!(stripes((0, 0, 30, 30), Hatch::Rising, 6).contains(&((2, 30), (30, 2))));
/// ```
pub fn stripes(
    bx: (i32, i32, i32, i32),
    hatch: Hatch,
    gap: i32,
) -> Vec<(BackendCoord, BackendCoord)> {
    let (x0, y0, x1, y1) = bx;
    let gap = gap.max(2);
    let diag = ((f64::from(gap) * SQRT_2).round() as i32).max(2);
    // the multiples of `step` strictly inside (lo, hi)
    let within = |lo: i32, hi: i32, step: i32| {
        (lo.div_euclid(step)..=hi.div_euclid(step))
            .map(move |k| k * step)
            .filter(move |&c| c > lo && c < hi)
    };
    let mut out = Vec::new();
    let (level, rising, falling) = match hatch {
        Hatch::Solid => (false, false, false),
        Hatch::Rising => (false, true, false),
        Hatch::Falling => (false, false, true),
        Hatch::Crossed => (false, true, true),
        Hatch::Level => (true, false, false),
        Hatch::LevelRising => (true, true, false),
        Hatch::LevelFalling => (true, false, true),
    };
    if level {
        out.extend(within(y0, y1, gap).map(|y| ((x0, y), (x1, y))));
    }
    if rising {
        // x + y = c
        for c in within(x0 + y0, x1 + y1, diag) {
            let (a, b) = ((c - y1).max(x0), (c - y0).min(x1));
            if b > a {
                out.push(((a, c - a), (b, c - b)));
            }
        }
    }
    if falling {
        // x − y = c
        for c in within(x0 - y1, x1 - y0, diag) {
            let (a, b) = ((c + y0).max(x0), (c + y1).min(x1));
            if b > a {
                out.push(((a, a - c), (b, b - c)));
            }
        }
    }
    out
}

/// A short line for a legend key from `from` to `to` (pixels), stroked and dashed as the
/// series it names; drawn as separate segments.
pub struct KeyLine {
    ends: [BackendCoord; 2],
    style: ShapeStyle,
    dash: Option<(u32, u32)>,
}

impl KeyLine {
    /// A key line in `color`, as wide as a series line and dashed as `dash`.
    pub fn new(
        from: BackendCoord,
        to: BackendCoord,
        color: RGBColor,
        dash: Dash,
        pal: &Palette,
    ) -> KeyLine {
        KeyLine {
            ends: [from, to],
            style: color.stroke_width(series_width(pal)),
            dash: dash.pattern(pal),
        }
    }
}

impl<'a> PointCollection<'a, BackendCoord> for &'a KeyLine {
    type Point = &'a BackendCoord;
    type IntoIter = &'a [BackendCoord; 2];
    fn point_iter(self) -> Self::IntoIter {
        &self.ends
    }
}

impl<DB: DrawingBackend> Drawable<DB> for KeyLine {
    fn draw<I: Iterator<Item = BackendCoord>>(
        &self,
        mut pos: I,
        backend: &mut DB,
        _: (u32, u32),
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        let (Some(a), Some(b)) = (pos.next(), pos.next()) else {
            return Ok(());
        };
        // horizontal keys only: from the left end to the right
        let (x0, x1, y) = (a.0.min(b.0), a.0.max(b.0), a.1);
        let Some((on, off)) = self.dash else {
            return backend.draw_line((x0, y), (x1, y), &self.style);
        };
        let (on, off) = (on as i32, off as i32);
        let mut x = x0;
        while x < x1 {
            backend.draw_line((x, y), ((x + on).min(x1), y), &self.style)?;
            x += on + off;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagonal_stripes_stay_in_their_box_and_line_up_across_neighbours() {
        let (a, b) = ((10, 40, 17, 90), (17, 40, 24, 90));
        for h in [
            Hatch::Rising,
            Hatch::Falling,
            Hatch::Crossed,
            Hatch::LevelFalling,
        ] {
            for bx in [a, b] {
                let s = stripes(bx, h, 6);
                assert!(!s.is_empty(), "{h:?}");
                for (p, q) in s {
                    for (x, y) in [p, q] {
                        assert!(
                            x >= bx.0 && x <= bx.2 && y >= bx.1 && y <= bx.3,
                            "{h:?} {p:?} {q:?}"
                        );
                    }
                }
            }
        }
        // a rising line leaving box a on its right edge enters box b at the same point
        let ends: Vec<_> = stripes(a, Hatch::Rising, 6)
            .into_iter()
            .map(|s| s.1)
            .collect();
        let starts: Vec<_> = stripes(b, Hatch::Rising, 6)
            .into_iter()
            .map(|s| s.0)
            .collect();
        let on_edge: Vec<_> = ends
            .iter()
            .filter(|p| p.0 == 17 && p.1 > 40 && p.1 < 90)
            .collect();
        assert!(!on_edge.is_empty());
        assert!(
            on_edge.iter().all(|p| starts.contains(p)),
            "{on_edge:?} {starts:?}"
        );
    }
}
