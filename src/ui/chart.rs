//! A canvas that draws chart 1 once mounted (plotters-canvas reads its size from the DOM).

use std::rc::Rc;

use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use super::state::RunResult;
use crate::charts::arrivals;

/// Props: the run to draw.
#[derive(Properties, PartialEq)]
pub struct ChartProps {
    /// The finished run.
    pub result: Rc<RunResult>,
}

/// Chart 1 on a canvas.
#[function_component(ArrivalsChart)]
pub fn arrivals_chart(p: &ChartProps) -> Html {
    let canvas = use_node_ref();
    {
        let canvas = canvas.clone();
        use_effect_with(p.result.clone(), move |r| {
            if let Some(el) = canvas.cast::<HtmlCanvasElement>() {
                el.set_width(el.client_width().max(320) as u32);
                el.set_height(360);
                if let Some(backend) = CanvasBackend::with_canvas_object(el) {
                    let end_s = r.summary.end_ms / 1000.0;
                    if let Err(e) =
                        arrivals::draw(&backend.into_drawing_area(), &r.series, &r.scenario, end_s)
                    {
                        gloo::console::error!(format!("chart: {e}"));
                    }
                }
            }
        });
    }
    html! { <canvas id="chart" ref={canvas} class="chart" role="img" aria-label="Arrivals at the service per second: first attempts and retries"></canvas> }
}
