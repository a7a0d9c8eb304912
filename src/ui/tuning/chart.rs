//! A sweep's chart on a canvas (`charts::sweep`): drawn when mounted and whenever its
//! table, metric or size changes; the point under the cursor read out; a click picks it.

use std::rc::Rc;

use plotters::prelude::IntoDrawingArea;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use crate::ui::hooks::use_fitted_canvas;

use crate::charts::style::Palette;
use crate::charts::sweep::{self, Cells};
use crate::sweep::Table;
use crate::ui::backend::PageBackend;
use crate::ui::export;

/// Props of [`SweepCanvas`].
#[derive(Properties, PartialEq)]
pub struct SweepCanvasProps {
    /// The table.
    pub table: Rc<Table>,
    /// The metric shown.
    pub metric: String,
    /// Dark theme.
    pub dark: bool,
    /// Bumped on a resize.
    pub epoch: u32,
    /// The point chosen (ringed).
    pub picked: Option<usize>,
    /// A point was clicked (`None`: outside the points).
    pub on_pick: Callback<Option<usize>>,
}

/// The sweep's chart.
#[function_component(SweepCanvas)]
pub fn sweep_canvas(p: &SweepCanvasProps) -> Html {
    let cells = use_mut_ref(|| None::<Cells>);
    let readout = use_state(String::new);
    let pal = if p.dark {
        Palette::DARK
    } else {
        Palette::LIGHT
    };
    let (canvas, drawn) = {
        let cells = cells.clone();
        let deps = (p.table.clone(), p.metric.clone(), p.epoch, p.picked);
        use_fitted_canvas(
            "sweep",
            deps,
            p.dark,
            move |(table, metric, _, picked), area, pal| {
                let drawn = sweep::draw(area, table, metric, *picked, pal);
                *cells.borrow_mut() = Some(drawn.map_err(|e| e.to_string())?);
                Ok(())
            },
        )
    };
    // the point under a mouse event, in canvas pixels
    let point_at = {
        let (canvas, cells) = (canvas.clone(), cells.clone());
        move |e: &MouseEvent| {
            let el = canvas.cast::<HtmlCanvasElement>()?;
            let c = (*cells.borrow())?;
            let sx = f64::from(el.width()) / f64::from(el.client_width().max(1));
            let sy = f64::from(el.height()) / f64::from(el.client_height().max(1));
            let px = (f64::from(e.offset_x()) * sx) as i32;
            let py = (f64::from(e.offset_y()) * sy) as i32;
            c.at(px, py)
        }
    };
    let on_move = {
        let (readout, table, metric, point_at) = (
            readout.clone(),
            p.table.clone(),
            p.metric.clone(),
            point_at.clone(),
        );
        Callback::from(move |e: MouseEvent| {
            let text = point_at(&e).and_then(|i| sweep::readout(&table, &metric, i));
            readout.set(text.unwrap_or_default());
        })
    };
    let on_leave = {
        let readout = readout.clone();
        Callback::from(move |_| readout.set(String::new()))
    };
    let on_click = {
        let on_pick = p.on_pick.clone();
        Callback::from(move |e: MouseEvent| on_pick.emit(point_at(&e)))
    };
    let on_svg = {
        let (canvas, table, metric, picked) =
            (canvas.clone(), p.table.clone(), p.metric.clone(), p.picked);
        Callback::from(move |_| {
            let size = canvas
                .cast::<HtmlCanvasElement>()
                .map_or((900, 380), |c| (c.width(), c.height()));
            let mut out = String::new();
            let drawn = {
                let svg = plotters::prelude::SVGBackend::with_string(&mut out, size);
                let area = PageBackend::Svg(svg).into_drawing_area();
                let scale = f64::from(size.0) / 900.0;
                sweep::draw(&area, &table, &metric, picked, &pal.scaled(scale.max(1.0)))
                    .map_err(|e| e.to_string())
                    .and_then(|_| area.present().map_err(|e| e.to_string()))
            };
            let name = format!("herdsim-sweep-{}.svg", metric.replace('.', "-"));
            if let Err(e) = drawn.and_then(|_| export::download(&name, "image/svg+xml", &out)) {
                gloo::console::error!(format!("export: {e}"));
            }
        })
    };
    html! {
        <figure class="chart-box">
            <canvas id="chart-sweep" ref={canvas} class="chart pickable" role="img"
                aria-label={format!("{} over the sweep's points; click a point to choose it", p.metric)}
                data-drawn={drawn.to_string()} onmousemove={on_move} onmouseleave={on_leave} onclick={on_click}></canvas>
            <figcaption>
                <span class="readout" id="sweep-readout" aria-live="polite">{ (*readout).clone() }</span>
                <span class="exports">
                    <button class="small" id="sweep-svg" onclick={on_svg} title="Download this chart as SVG (vector)">{"SVG"}</button>
                </span>
            </figcaption>
        </figure>
    }
}
