//! A canvas sized to its width on this screen ([`fit_canvas`]) and drawn whenever its
//! inputs change: the tuning view's charts (a sweep, the Pareto front, 20 seeds' bands).

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, IntoDrawingArea};
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use crate::charts::style::Palette;
use crate::ui::backend::PageBackend;
use crate::ui::chart::fit_canvas;

/// Where such a chart draws.
pub type Area = DrawingArea<PageBackend<'static>, Shift>;

/// Draw `draw(deps, area, palette)` on the returned node's canvas when mounted and
/// whenever `deps` or the theme change (a message names `chart` if it fails); the count
/// of drawings goes in the canvas's `data-drawn`.
#[hook]
pub fn use_fitted_canvas<D, F>(chart: &'static str, deps: D, dark: bool, draw: F) -> (NodeRef, u32)
where
    D: PartialEq + 'static,
    F: Fn(&D, &Area, &Palette) -> Result<(), String> + 'static,
{
    let canvas = use_node_ref();
    let drawn = use_state(|| 0u32);
    {
        let (canvas, drawn) = (canvas.clone(), drawn.clone());
        use_effect_with((deps, dark), move |(deps, dark)| {
            if let Some(el) = canvas.cast::<HtmlCanvasElement>() {
                let scale = fit_canvas(&el);
                let pal = if *dark { Palette::DARK } else { Palette::LIGHT };
                if let Some(backend) = PageBackend::canvas(el) {
                    let area = backend.into_drawing_area();
                    if let Err(e) = draw(deps, &area, &pal.scaled(scale)) {
                        gloo::console::error!(format!("{chart} chart: {e}"));
                    }
                }
            }
            drawn.set(*drawn + 1);
        });
    }
    (canvas, *drawn)
}
