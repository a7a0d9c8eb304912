//! A chart on a canvas: drawn once mounted and whenever its run changes (plotters-canvas
//! reads the size from the DOM), with a read-out of the value under the cursor and PNG /
//! SVG export.

use std::cell::Cell;
use std::rc::Rc;

use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use super::export;
use crate::charts::style::Palette;
use crate::charts::{self, Frame, Kind};
use crate::sim::RunRecord;

/// Props: what to draw.
#[derive(Properties, PartialEq)]
pub struct ChartProps {
    /// Which chart.
    pub kind: Kind,
    /// The run.
    pub record: Rc<RunRecord>,
    /// The other side of an A/B comparison (shared axes; the overlay's B).
    #[prop_or_default]
    pub peer: Option<Rc<RunRecord>>,
    /// "A" or "B" (ids and file names).
    pub side: &'static str,
    /// Dark theme.
    pub dark: bool,
}

/// Canvas height in CSS pixels.
const HEIGHT: u32 = 300;

/// One chart.
#[function_component(ChartCanvas)]
pub fn chart_canvas(p: &ChartProps) -> Html {
    let canvas = use_node_ref();
    let frame = use_mut_ref(|| None::<Frame>);
    let drawn = use_state(|| 0u32);
    let readout = use_state(String::new);
    let pal = if p.dark {
        Palette::DARK
    } else {
        Palette::LIGHT
    };
    {
        let (canvas, frame, drawn) = (canvas.clone(), frame.clone(), drawn.clone());
        let deps = (p.kind, p.record.clone(), p.peer.clone(), p.dark);
        use_effect_with(deps, move |(kind, rec, peer, _)| {
            if let Some(el) = canvas.cast::<HtmlCanvasElement>() {
                el.set_width(el.client_width().max(320) as u32);
                el.set_height(HEIGHT);
                if let Some(backend) = CanvasBackend::with_canvas_object(el) {
                    match charts::draw(
                        *kind,
                        &backend.into_drawing_area(),
                        rec,
                        peer.as_deref(),
                        &pal,
                    ) {
                        Ok(f) => *frame.borrow_mut() = Some(f),
                        Err(e) => gloo::console::error!(format!("chart {}: {e}", kind.id())),
                    }
                }
            }
            drawn.set(*drawn + 1);
        });
    }
    let on_move = {
        let (frame, readout, canvas) = (frame.clone(), readout.clone(), canvas.clone());
        let (kind, rec, peer) = (p.kind, p.record.clone(), p.peer.clone());
        Callback::from(move |e: MouseEvent| {
            let (Some(f), Some(el)) = (*frame.borrow(), canvas.cast::<HtmlCanvasElement>()) else {
                return;
            };
            // canvas pixels = CSS pixels here (the canvas is sized to its client width)
            let scale = el.width() as f64 / el.client_width().max(1) as f64;
            let px = (e.offset_x() as f64 * scale) as i32;
            readout.set(
                f.x_at(px)
                    .map(|x| charts::readout(kind, &rec, peer.as_deref(), x))
                    .unwrap_or_default(),
            );
        })
    };
    let on_leave = {
        let readout = readout.clone();
        Callback::from(move |_| readout.set(String::new()))
    };
    let name = format!("herdsim-{}-{}", p.kind.id(), p.side.to_lowercase());
    let on_png = {
        let (canvas, name) = (canvas.clone(), name.clone());
        Callback::from(move |_| {
            if let Some(url) = canvas
                .cast::<HtmlCanvasElement>()
                .and_then(|c| c.to_data_url().ok())
            {
                report(export::download_url(&format!("{name}.png"), &url));
            }
        })
    };
    let on_svg = {
        let (kind, rec, peer, name) = (p.kind, p.record.clone(), p.peer.clone(), name.clone());
        let width = Rc::new(Cell::new(0u32));
        let canvas = canvas.clone();
        Callback::from(move |_| {
            width.set(
                canvas
                    .cast::<HtmlCanvasElement>()
                    .map_or(900, |c| c.width()),
            );
            match charts::svg(kind, &rec, peer.as_deref(), &pal, (width.get(), HEIGHT)) {
                Ok(svg) => report(export::download(
                    &format!("{name}.svg"),
                    "image/svg+xml",
                    &svg,
                )),
                Err(e) => report(Err(e)),
            }
        })
    };
    let id = format!("chart-{}-{}", p.kind.id(), p.side.to_lowercase());
    html! {
        <figure class="chart-box">
            <canvas id={id} ref={canvas} class="chart" role="img" aria-label={p.kind.description()}
                data-drawn={drawn.to_string()} onmousemove={on_move} onmouseleave={on_leave}></canvas>
            <figcaption>
                <span class="readout" aria-live="polite"><strong class="side-tag">{p.side}</strong>{" "}{ (*readout).clone() }</span>
                <span class="exports">
                    <button class="small" onclick={on_png} title="Download this chart as PNG">{"PNG"}</button>
                    <button class="small" onclick={on_svg} title="Download this chart as SVG (vector)">{"SVG"}</button>
                </span>
            </figcaption>
        </figure>
    }
}

fn report(r: Result<(), String>) {
    if let Err(e) = r {
        gloo::console::error!(format!("export: {e}"));
    }
}
