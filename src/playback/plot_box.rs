//! Where a chart's plot lies on its canvas, found while it is drawn: [`PlotBox`] wraps any
//! drawing backend, passes every call on and notes the vertical grid lines (drawn in the
//! palette's grid colour from the plot's top to its bottom). The page uses the box to
//! cover, each frame, the part of a time chart right of the playback cursor, without
//! drawing the chart again (the charts themselves know nothing of playback).

use std::cell::Cell;
use std::rc::Rc;

use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};

/// A backend that draws with `B` and records the vertical extent of lines of one colour.
pub struct PlotBox<B> {
    inner: B,
    grid: (u8, u8, u8),
    rows: Rc<Cell<Option<(i32, i32)>>>,
}

/// What a [`PlotBox`] found, readable after the drawing area that owns it is gone.
#[derive(Clone, Debug, Default)]
pub struct Rows(Rc<Cell<Option<(i32, i32)>>>);

impl Rows {
    /// The pixel rows `(top, bottom)` the vertical grid lines spanned, if any was drawn.
    pub fn get(&self) -> Option<(i32, i32)> {
        self.0.get()
    }
}

impl<B: DrawingBackend> PlotBox<B> {
    /// Draw with `inner`, noting vertical lines of colour `grid` (RGB); the rows found.
    pub fn new(inner: B, grid: (u8, u8, u8)) -> (PlotBox<B>, Rows) {
        let rows = Rows::default();
        let b = PlotBox {
            inner,
            grid,
            rows: rows.0.clone(),
        };
        (b, rows)
    }

    fn note(&mut self, from: BackendCoord, to: BackendCoord, color: BackendColor) {
        if color.rgb != self.grid || from.0 != to.0 || from.1 == to.1 {
            return;
        }
        let (a, b) = (from.1.min(to.1), from.1.max(to.1));
        self.rows.set(Some(match self.rows.get() {
            Some((t, u)) => (t.min(a), u.max(b)),
            None => (a, b),
        }));
    }
}

type Res<B> = Result<(), DrawingErrorKind<<B as DrawingBackend>::ErrorType>>;

impl<B: DrawingBackend> DrawingBackend for PlotBox<B> {
    type ErrorType = B::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }
    fn ensure_prepared(&mut self) -> Res<B> {
        self.inner.ensure_prepared()
    }
    fn present(&mut self) -> Res<B> {
        self.inner.present()
    }
    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Res<B> {
        self.inner.draw_pixel(point, color)
    }
    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Res<B> {
        self.note(from, to, style.color());
        self.inner.draw_line(from, to, style)
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Res<B> {
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Res<B> {
        let points: Vec<BackendCoord> = path.into_iter().collect();
        for w in points.windows(2) {
            self.note(w[0], w[1], style.color());
        }
        self.inner.draw_path(points, style)
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Res<B> {
        self.inner.draw_circle(center, radius, style, fill)
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Res<B> {
        self.inner.fill_polygon(vert, style)
    }
    fn draw_text<T: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &T,
        pos: BackendCoord,
    ) -> Res<B> {
        self.inner.draw_text(text, style, pos)
    }
    fn estimate_text_size<T: BackendTextStyle>(
        &self,
        text: &str,
        style: &T,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        self.inner.estimate_text_size(text, style)
    }
    fn blit_bitmap(&mut self, pos: BackendCoord, size: (u32, u32), src: &[u8]) -> Res<B> {
        self.inner.blit_bitmap(pos, size, src)
    }
}

/// Where the cover of a time chart goes, in fractions of the canvas: the plot's left and
/// right, top and bottom, and the x values at its left and right (seconds).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cover {
    /// Left edge of the plot (fraction of the width).
    pub left: f64,
    /// Right edge of the plot.
    pub right: f64,
    /// Top edge of the plot (fraction of the height).
    pub top: f64,
    /// Bottom edge of the plot.
    pub bottom: f64,
    /// x value at the left edge.
    pub x0: f64,
    /// x value at the right edge.
    pub x1: f64,
}

impl Cover {
    /// The cover of a plot whose x pixels `px` show values `x`, over rows `rows`, on a
    /// canvas of `size` pixels.
    pub fn of(px: (i32, i32), x: (f64, f64), rows: (i32, i32), size: (u32, u32)) -> Cover {
        let (w, h) = (f64::from(size.0.max(1)), f64::from(size.1.max(1)));
        Cover {
            left: f64::from(px.0) / w,
            right: f64::from(px.1) / w,
            top: f64::from(rows.0) / h,
            bottom: f64::from(rows.1 + 1) / h,
            x0: x.0,
            x1: x.1,
        }
    }

    /// The CSS custom properties that place the cover (unitless fractions and seconds;
    /// style.css computes its left edge from the cursor's `--play-t` and the canvas box).
    pub fn css(&self) -> String {
        format!(
            "--pl:{:.5};--pw:{:.5};--pt:{:.5};--ph:{:.5};--x0:{};--x1:{}",
            self.left,
            self.right - self.left,
            self.top,
            self.bottom - self.top,
            self.x0,
            self.x1
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::style::Palette;
    use crate::charts::{self, Kind};
    use crate::sim::{scenario::presets, Sim};
    use plotters::prelude::{IntoDrawingArea, SVGBackend};

    #[test]
    fn the_box_of_a_time_chart_is_its_plot() {
        let mut cfg = presets::config("herd-no-jitter").unwrap();
        cfg.clients.count = 200;
        let mut sim = Sim::new(&cfg.validate().unwrap(), 1);
        sim.run();
        let rec = sim.record();
        let pal = Palette::LIGHT;
        let g = pal.grid;
        let size = (900, 360);
        for kind in [Kind::Arrivals, Kind::Gauges, Kind::Raster, Kind::Outcomes] {
            let mut svg = String::new();
            let (frame, rows) = {
                let (b, rows) =
                    PlotBox::new(SVGBackend::with_string(&mut svg, size), (g.0, g.1, g.2));
                let f = charts::draw(kind, &b.into_drawing_area(), &rec, None, &pal).unwrap();
                (f, rows.get())
            };
            let (top, bottom) = rows.unwrap_or_else(|| panic!("{kind:?}: no grid"));
            // below the title and legend, above the x labels
            assert!(
                top > 40 && bottom < 330 && bottom - top > 150,
                "{kind:?} {top} {bottom}"
            );
            let c = Cover::of(frame.px, frame.x, (top, bottom), size);
            assert!(c.left > 0.0 && c.right < 1.0 && c.left < c.right, "{c:?}");
            assert!(c.x0 < 0.0 && (c.x1 - rec.end_s()).abs() < 1e-9);
            assert!(c.css().contains("--pl:") && c.css().contains("--x1:"));
        }
    }
}
