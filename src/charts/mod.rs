//! Charts of a run, drawn with plotters on any [`DrawingBackend`](plotters::prelude::DrawingBackend):
//! a canvas in the page, SVG natively (tests) and for export. Charts read `sim` result types
//! only, and every one follows the same shape: a pure data-preparation function (tested
//! against formulas) and a `draw_*` function over a drawing area.

pub mod arrivals;
pub mod style;

use plotters::prelude::*;

/// Result of drawing a chart.
pub type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// Render `draw` to an SVG string of the given size (for tests and export).
pub fn to_svg<F>(size: (u32, u32), draw: F) -> Result<String, String>
where
    F: for<'a> FnOnce(
        &DrawingArea<SVGBackend<'a>, plotters::coord::Shift>,
    ) -> DrawResult<SVGBackend<'a>>,
{
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, size).into_drawing_area();
        draw(&root).map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(out)
}
