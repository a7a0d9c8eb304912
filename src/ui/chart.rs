//! A chart on a canvas: drawn once mounted and whenever its run changes (plotters-canvas
//! reads the size from the DOM), with a read-out of the value under the cursor, and PNG
//! (drawn again offscreen at a chosen multiple of its size on screen) and SVG export.

use std::rc::Rc;

use gloo::timers::callback::Timeout;
use plotters::prelude::IntoDrawingArea;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use super::backend::PageBackend;
use super::export;
use crate::charts::style::{Palette, PRESENTER_SCALE};
use crate::charts::{self, Frame, Kind};
use crate::playback::plot_box::{Cover, PlotBox};
use crate::share::files;
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
    /// Bumped when the window is resized: redraw at the new size.
    #[prop_or_default]
    pub epoch: u32,
    /// PNG export size, times the size on screen (CSS pixels).
    #[prop_or(2)]
    pub scale: u32,
    /// On a presenter's slide: as high as the slide makes the canvas (CSS), text and lines
    /// at [`PRESENTER_SCALE`] for the back of a room.
    #[prop_or_default]
    pub presenter: bool,
}

/// A presenter's chart has text and lines at [`PRESENTER_SCALE`] (20 px tick labels, 30 px
/// titles, 3 px lines) on a chart at least this wide (CSS px; a third of a 1920 px stage); less on a
/// narrower one (a phone), so the plot keeps its room.
const PRESENTER_WIDTH: f64 = 560.0;

/// The canvas size in device pixels and the palette scale for a chart `css_w` CSS pixels
/// wide in a window `view_h` CSS pixels high, on a page whose text is `font_px`: height in
/// proportion (within bounds), text and lines scaled as the page's text is (it grows on
/// large screens) and by the pixel density, so a chart reads alike on a laptop, a
/// projector and 4K.
fn geometry(css_w: f64, view_h: f64, font_px: f64, dpr: f64) -> (u32, u32, f64) {
    let ok = |v: f64, lo: f64, hi: f64, or: f64| if v.is_finite() { v.clamp(lo, hi) } else { or };
    let css_w = ok(css_w, 320.0, 8000.0, 800.0);
    let dpr = ok(dpr, 1.0, 4.0, 1.0);
    let css_h = (css_w * 0.4)
        .min(ok(view_h, 400.0, 5000.0, 800.0) * 0.45)
        .max(240.0);
    let scale = dpr * ok(font_px / 14.0, 1.0, 2.0, 1.0);
    (
        (css_w * dpr).round() as u32,
        (css_h * dpr).round() as u32,
        scale,
    )
}

/// The window's pixel density and height (CSS px).
fn screen() -> (f64, f64) {
    let win = web_sys::window();
    let dpr = win.as_ref().map_or(1.0, |w| w.device_pixel_ratio());
    let view_h = win
        .as_ref()
        .and_then(|w| w.inner_height().ok()?.as_f64())
        .unwrap_or(800.0);
    (dpr, view_h)
}

/// Size a workbench chart's canvas as [`geometry`] says for its width on this screen;
/// the palette scale to draw it at.
pub(super) fn fit_canvas(el: &HtmlCanvasElement) -> f64 {
    let (dpr, view_h) = screen();
    let (w, h, scale) = geometry(f64::from(el.client_width()), view_h, root_font_px(), dpr);
    el.set_width(w);
    el.set_height(h);
    scale
}

/// The page's base font size in CSS pixels (it follows the viewport, see style.css).
fn root_font_px() -> f64 {
    let w = web_sys::window();
    w.as_ref()
        .and_then(|w| {
            let root = w.document()?.document_element()?;
            let css = w.get_computed_style(&root).ok()??;
            css.get_property_value("font-size").ok()
        })
        .and_then(|v| v.trim_end_matches("px").parse().ok())
        .unwrap_or(14.0)
}

/// One chart.
#[function_component(ChartCanvas)]
pub fn chart_canvas(p: &ChartProps) -> Html {
    let canvas = use_node_ref();
    let frame = use_mut_ref(|| None::<Frame>);
    let drawn = use_state(|| 0u32);
    let readout = use_state(String::new);
    // where the playback cover goes (time charts only), found while drawing
    let cover = use_state(|| None::<String>);
    let theme = if p.dark {
        Palette::DARK
    } else {
        Palette::LIGHT
    };
    // the palette of the last drawing (its scale), for the SVG export
    let drawn_pal = use_mut_ref(|| theme);
    {
        let (canvas, frame, drawn, drawn_pal, cover) = (
            canvas.clone(),
            frame.clone(),
            drawn.clone(),
            drawn_pal.clone(),
            cover.clone(),
        );
        let deps = (
            p.kind,
            p.record.clone(),
            p.peer.clone(),
            p.dark,
            p.epoch,
            p.presenter,
        );
        use_effect_with(deps, move |(kind, rec, peer, _, _, presenter)| {
            // each chart draws in a task of its own, so a heavy run's charts do not hold
            // the page's thread all together (a newer drawing replaces one not yet done)
            let (kind, rec, peer, presenter) = (*kind, rec.clone(), peer.clone(), *presenter);
            let t = Timeout::new(0, move || {
                if let Some(el) = canvas.cast::<HtmlCanvasElement>() {
                    let (dpr, view_h) = screen();
                    let (w, h, scale) = if presenter {
                        let ok = |v: i32, lo: f64| f64::from(v).clamp(lo, 8000.0);
                        (
                            (ok(el.client_width(), 200.0) * dpr).round() as u32,
                            (ok(el.client_height(), 150.0) * dpr).round() as u32,
                            dpr * PRESENTER_SCALE
                                * (f64::from(el.client_width()) / PRESENTER_WIDTH).clamp(0.5, 1.0),
                        )
                    } else {
                        geometry(f64::from(el.client_width()), view_h, root_font_px(), dpr)
                    };
                    el.set_width(w);
                    el.set_height(h);
                    let pal = theme.scaled(scale);
                    *drawn_pal.borrow_mut() = pal;
                    let el2 = el.clone();
                    if let Some(canvas) = PageBackend::canvas(el) {
                        let g = pal.grid;
                        let (backend, rows) = PlotBox::new(canvas, (g.0, g.1, g.2));
                        match charts::draw(
                            kind,
                            &backend.into_drawing_area(),
                            &rec,
                            peer.as_deref(),
                            &pal,
                        ) {
                            Ok(f) => {
                                *frame.borrow_mut() = Some(f);
                                let timed = !matches!(kind, Kind::Latency | Kind::Schedule);
                                // the canvas's box in its figure (CSS px), where the cover goes
                                let at = format!(
                                    ";--cl:{}px;--ct:{}px;--cw:{}px;--cht:{}px",
                                    el2.offset_left(),
                                    el2.offset_top(),
                                    el2.client_width(),
                                    el2.client_height()
                                );
                                cover.set(
                                    rows.get()
                                        .filter(|_| timed)
                                        .map(|r| Cover::of(f.px, f.x, r, (w, h)).css() + &at),
                                );
                            }
                            Err(e) => gloo::console::error!(format!("chart {}: {e}", kind.id())),
                        }
                    }
                }
                drawn.set(*drawn + 1);
            });
            move || drop(t)
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
    let scenario = match &p.peer {
        Some(b) if p.side == "AB" => files::pair(p.record.scenario.name(), b.scenario.name()),
        _ => p.record.scenario.name().to_string(),
    };
    let name = |ext: &str| files::name(&scenario, &[p.side, p.kind.id()], ext);
    let on_png = {
        let (kind, rec, peer, name) = (p.kind, p.record.clone(), p.peer.clone(), name("png"));
        let (canvas, scale) = (canvas.clone(), p.scale);
        Callback::from(move |_| {
            let Some(el) = canvas.cast::<HtmlCanvasElement>() else {
                return;
            };
            report(
                png(kind, &rec, peer.as_deref(), theme, &el, scale)
                    .and_then(|url| export::download_url(&name, &url)),
            );
        })
    };
    let on_svg = {
        let (kind, rec, peer, name) = (p.kind, p.record.clone(), p.peer.clone(), name("svg"));
        let (canvas, drawn_pal) = (canvas.clone(), drawn_pal.clone());
        Callback::from(move |_| {
            let size = canvas
                .cast::<HtmlCanvasElement>()
                .map_or((900, 380), |c| (c.width(), c.height()));
            let pal = *drawn_pal.borrow();
            match svg(kind, &rec, peer.as_deref(), &pal, size) {
                Ok(svg) => report(export::download(&name, "image/svg+xml", &svg)),
                Err(e) => report(Err(e)),
            }
        })
    };
    let id = format!("chart-{}-{}", p.kind.id(), p.side.to_lowercase());
    html! {
        <figure class="chart-box">
            if let Some(c) = &*cover {
                <div class="play-cover" aria-hidden="true" style={c.clone()}></div>
            }
            <canvas id={id} ref={canvas} class="chart" role="img" aria-label={p.kind.description()}
                data-drawn={drawn.to_string()} onmousemove={on_move} onmouseleave={on_leave}></canvas>
            <figcaption>
                <span class="readout" aria-live="polite"><strong class="side-tag">{p.side}</strong>{" "}{ (*readout).clone() }</span>
                <span class="exports">
                    <button class="small" onclick={on_png} title={format!("Download this chart as PNG, {}× its size on screen", p.scale)}>{"PNG"}</button>
                    <button class="small" onclick={on_svg} title="Download this chart as SVG (vector)">{"SVG"}</button>
                </span>
            </figcaption>
        </figure>
    }
}

/// The chart drawn again on a canvas `scale` times `shown`'s size in CSS pixels (text and
/// lines scaled alike), as a PNG `data:` URL: an export sharper than the screen, for slides.
fn png(
    kind: Kind,
    rec: &RunRecord,
    peer: Option<&RunRecord>,
    theme: Palette,
    shown: &HtmlCanvasElement,
    scale: u32,
) -> Result<String, String> {
    use wasm_bindgen::JsCast;
    let win = web_sys::window().ok_or("no window")?;
    let view_h = win
        .inner_height()
        .ok()
        .and_then(|h| h.as_f64())
        .unwrap_or(800.0);
    let (w, h, pal_scale) = geometry(
        f64::from(shown.client_width()),
        view_h,
        root_font_px(),
        f64::from(scale),
    );
    let el: HtmlCanvasElement = win
        .document()
        .ok_or("no document")?
        .create_element("canvas")
        .map_err(|e| format!("{e:?}"))?
        .dyn_into()
        .map_err(|_| "not a canvas".to_string())?;
    el.set_width(w);
    el.set_height(h);
    let backend = PageBackend::canvas(el.clone()).ok_or("no 2d context")?;
    // through the same wrapper as on screen: one copy of the chart code in the .wasm
    let g = theme.grid;
    let (backend, _) = PlotBox::new(backend, (g.0, g.1, g.2));
    charts::draw(
        kind,
        &backend.into_drawing_area(),
        rec,
        peer,
        &theme.scaled(pal_scale),
    )
    .map_err(|e| format!("chart {}: {e}", kind.id()))?;
    el.to_data_url().map_err(|e| format!("{e:?}"))
}

/// The chart as an SVG document, drawn through the page's one backend type (see
/// [`PageBackend`]) and the same wrapper as on screen.
fn svg(
    kind: Kind,
    rec: &RunRecord,
    peer: Option<&RunRecord>,
    pal: &Palette,
    size: (u32, u32),
) -> Result<String, String> {
    let mut out = String::new();
    {
        let svg = PageBackend::Svg(plotters::prelude::SVGBackend::with_string(&mut out, size));
        let g = pal.grid;
        let (backend, _) = PlotBox::new(svg, (g.0, g.1, g.2));
        let root = backend.into_drawing_area();
        charts::draw(kind, &root, rec, peer, pal)
            .map_err(|e| format!("chart {}: {e}", kind.id()))?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(out)
}

fn report(r: Result<(), String>) {
    if let Err(e) = r {
        gloo::console::error!(format!("export: {e}"));
    }
}
