//! One drawing backend for every chart the page draws: the canvas (on screen and for PNG
//! export) or SVG (the SVG export). The charts are generic over the backend, so each
//! backend type compiles the whole chart code into the .wasm once more; drawing both
//! through this one type keeps a single copy (the size budget), at the cost of a `match`
//! per drawing call.

use std::fmt;

use plotters::prelude::SVGBackend;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// The canvas or an SVG document.
pub enum PageBackend<'a> {
    /// A canvas element.
    Canvas(Canvas),
    /// An SVG document written into a string.
    Svg(SVGBackend<'a>),
}

impl PageBackend<'static> {
    /// Draw on canvas `el` (`None` if it has no 2D context).
    pub fn canvas(el: HtmlCanvasElement) -> Option<PageBackend<'static>> {
        let ctx = el.get_context("2d").ok()??.dyn_into().ok()?;
        let backend = CanvasBackend::with_canvas_object(el)?;
        Some(PageBackend::Canvas(Canvas {
            backend,
            ctx,
            stroking: None,
        }))
    }
}

/// plotters' canvas backend, with each run of lines of one style stroked as one path: a
/// hatched chart draws thousands of short lines, and a stroke (and its style set again)
/// for each was most of its time.
pub struct Canvas {
    backend: CanvasBackend,
    ctx: CanvasRenderingContext2d,
    /// The style of the path of lines begun and not stroked yet.
    stroking: Option<((u8, u8, u8), u64, u32)>,
}

impl Canvas {
    /// Stroke the lines so far, before anything else is drawn.
    fn flush(&mut self) {
        if self.stroking.take().is_some() {
            self.ctx.stroke();
        }
    }

    /// A line, as plotters' canvas backend draws it (a horizontal or vertical one on the
    /// pixel's middle), added to the path of lines of its style.
    fn line(&mut self, from: BackendCoord, to: BackendCoord, color: BackendColor, width: u32) {
        if color.alpha == 0.0 {
            return;
        }
        let style = (color.rgb, color.alpha.to_bits(), width);
        if self.stroking != Some(style) {
            self.flush();
            let (r, g, b) = color.rgb;
            let css = format!("rgba({r},{g},{b},{})", color.alpha);
            self.ctx.set_stroke_style_str(&css);
            self.ctx.set_line_width(f64::from(width));
            self.ctx.begin_path();
            self.stroking = Some(style);
        }
        let (mut a, mut b) = ((from.0 as f64, from.1 as f64), (to.0 as f64, to.1 as f64));
        if from.0 == to.0 {
            (a.0, b.0) = (a.0 - 0.5, b.0 - 0.5);
        }
        if from.1 == to.1 {
            (a.1, b.1) = (a.1 - 0.5, b.1 - 0.5);
        }
        self.ctx.move_to(a.0, a.1);
        self.ctx.line_to(b.0, b.1);
    }
}

impl Drop for Canvas {
    fn drop(&mut self) {
        self.flush();
    }
}

/// A backend's error, as text.
#[derive(Debug)]
pub struct PageError(String);

impl fmt::Display for PageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PageError {}

type Res<T = ()> = Result<T, DrawingErrorKind<PageError>>;

fn map<T, E: std::error::Error + Send + Sync>(r: Result<T, DrawingErrorKind<E>>) -> Res<T> {
    r.map_err(|e| match e {
        DrawingErrorKind::DrawingError(e) => {
            DrawingErrorKind::DrawingError(PageError(e.to_string()))
        }
        DrawingErrorKind::FontError(e) => DrawingErrorKind::FontError(e),
    })
}

/// The same call on whichever backend it is.
macro_rules! each {
    ($self:ident, $b:ident => $call:expr) => {
        match $self {
            PageBackend::Canvas(c) => {
                c.flush();
                let $b = &mut c.backend;
                map($call)
            }
            PageBackend::Svg($b) => map($call),
        }
    };
}

impl DrawingBackend for PageBackend<'_> {
    type ErrorType = PageError;

    fn get_size(&self) -> (u32, u32) {
        match self {
            PageBackend::Canvas(c) => c.backend.get_size(),
            PageBackend::Svg(b) => b.get_size(),
        }
    }
    fn ensure_prepared(&mut self) -> Res {
        each!(self, b => b.ensure_prepared())
    }
    fn present(&mut self) -> Res {
        each!(self, b => b.present())
    }
    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Res {
        each!(self, b => b.draw_pixel(point, color))
    }
    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Res {
        match self {
            PageBackend::Canvas(c) => {
                c.line(from, to, style.color(), style.stroke_width());
                Ok(())
            }
            PageBackend::Svg(b) => map(b.draw_line(from, to, style)),
        }
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Res {
        each!(self, b => b.draw_rect(upper_left, bottom_right, style, fill))
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Res {
        each!(self, b => b.draw_path(path, style))
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Res {
        each!(self, b => b.draw_circle(center, radius, style, fill))
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Res {
        each!(self, b => b.fill_polygon(vert, style))
    }
    fn draw_text<T: BackendTextStyle>(&mut self, text: &str, style: &T, pos: BackendCoord) -> Res {
        each!(self, b => b.draw_text(text, style, pos))
    }
    fn estimate_text_size<T: BackendTextStyle>(&self, text: &str, style: &T) -> Res<(u32, u32)> {
        match self {
            PageBackend::Canvas(c) => map(c.backend.estimate_text_size(text, style)),
            PageBackend::Svg(b) => map(b.estimate_text_size(text, style)),
        }
    }
    fn blit_bitmap(&mut self, pos: BackendCoord, size: (u32, u32), src: &[u8]) -> Res {
        each!(self, b => b.blit_bitmap(pos, size, src))
    }
}
