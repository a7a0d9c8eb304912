//! The sweep: a form for one or two fields (a known field's path fills in a range around
//! its value), the chart of the metric chosen, the point clicked with its figures, and
//! opening that point's scenario as A or as B.

use std::rc::Rc;

use yew::prelude::*;

use super::chart::SweepCanvas;
use super::state::{AxisForm, Field, SweepResult, TuneAction};
use crate::sim::ScenarioConfig;
use crate::sweep::knobs;
use crate::ui::export;
use crate::ui::state::Which;
use crate::work::Work;

/// Props of [`SweepForm`].
#[derive(Properties, PartialEq)]
pub struct SweepFormProps {
    /// The two axes as typed.
    pub axes: [AxisForm; 2],
    /// Seeds a point as typed.
    pub seeds: String,
    /// The scenario swept (A).
    pub base: Rc<ScenarioConfig>,
    /// A field typed in.
    pub on_field: Callback<TuneAction>,
    /// Run pressed.
    pub on_run: Callback<()>,
    /// A task is running.
    pub busy: bool,
}

/// The sweep's form.
#[function_component(SweepForm)]
pub fn sweep_form(p: &SweepFormProps) -> Html {
    let options = use_memo(p.base.clone(), |base| knobs(base));
    let input = |f: Field| {
        let (on_field, base) = (p.on_field.clone(), p.base.clone());
        Callback::from(move |e: InputEvent| {
            let el: web_sys::HtmlInputElement = e.target_unchecked_into();
            on_field.emit(TuneAction::Form(f, el.value(), base.clone()));
        })
    };
    let check = |n: usize| {
        let (on_field, base) = (p.on_field.clone(), p.base.clone());
        Callback::from(move |e: Event| {
            let el: web_sys::HtmlInputElement = e.target_unchecked_into();
            let v = if el.checked() { "log" } else { "linear" };
            on_field.emit(TuneAction::Form(Field::Log(n), v.into(), base.clone()));
        })
    };
    let axis = |n: usize| {
        let a = &p.axes[n];
        let legend = if n == 0 { "Vary" } else { "and (optional)" };
        html! {
            <fieldset class="axis">
                <legend>{legend}</legend>
                <input id={format!("vary-path-{n}")} class="path" list="knobs" value={a.path.clone()}
                    placeholder="a field, e.g. policy.backoff.base_ms" aria-label={format!("{legend}: field")}
                    oninput={input(Field::Path(n))} />
                <label>{"from "}<input id={format!("vary-lo-{n}")} class="num" value={a.lo.clone()} oninput={input(Field::Lo(n))} /></label>
                <label>{"to "}<input id={format!("vary-hi-{n}")} class="num" value={a.hi.clone()} oninput={input(Field::Hi(n))} /></label>
                <label>{"in "}<input id={format!("vary-steps-{n}")} class="num" value={a.steps.clone()} oninput={input(Field::Steps(n))} />{" steps"}</label>
                <label><input type="checkbox" id={format!("vary-log-{n}")} checked={a.log} onchange={check(n)} />{" log spacing"}</label>
            </fieldset>
        }
    };
    html! {
        <div class="tune-form" id="sweep-form">
            { axis(0) }
            { axis(1) }
            <div class="tune-run">
                <label>{"seeds a point "}<input id="sweep-seeds" class="num" value={p.seeds.clone()} oninput={input(Field::Seeds)} /></label>
                <button id="run-sweep" class="primary" disabled={p.busy} onclick={p.on_run.reform(|_| ())}>{"Run sweep"}</button>
            </div>
            <datalist id="knobs">
                { for options.iter().map(|k| html! {
                    <option value={k.path.clone()}>{format!("{} (now {})", k.field.label, crate::sim::scenario::bounds::fmt_value(k.value))}</option>
                }) }
            </datalist>
        </div>
    }
}

/// Props of [`SweepView`].
#[derive(Properties, PartialEq)]
pub struct SweepViewProps {
    /// The sweep.
    pub result: SweepResult,
    /// The metric shown.
    pub metric: String,
    /// The point chosen.
    pub picked: Option<usize>,
    /// Dark theme.
    pub dark: bool,
    /// Resize epoch.
    pub epoch: u32,
    /// What the view does.
    pub dispatch: Callback<TuneAction>,
    /// Open a point's scenario as A or B.
    pub on_open: Callback<(Which, Box<ScenarioConfig>)>,
}

/// A finished sweep: metric, chart, the point chosen.
#[function_component(SweepView)]
pub fn sweep_view(p: &SweepViewProps) -> Html {
    let table = p.result.table.clone();
    let on_metric = p.dispatch.reform(|e: Event| {
        let el: web_sys::HtmlSelectElement = e.target_unchecked_into();
        TuneAction::Metric(el.value())
    });
    let point = p.picked.and_then(|i| {
        let Work::Sweep { sweep, .. } = &*p.result.work else {
            return None;
        };
        Some((i, sweep.point_config(i).ok()?))
    });
    let download = |ext: &'static str| {
        let table = table.clone();
        Callback::from(move |_| {
            let (mime, text) = match ext {
                "csv" => ("text/csv", table.to_csv()),
                _ => ("application/json", table.to_json()),
            };
            if let Err(e) = export::download(&format!("herdsim-sweep.{ext}"), mime, &text) {
                gloo::console::error!(format!("export: {e}"));
            }
        })
    };
    html! {
        <div class="sweep-result">
            <div class="export-bar">
                <label for="sweep-metric">{"Show"}</label>
                <select id="sweep-metric" onchange={on_metric}>
                    { for table.metrics().iter().map(|m| html! {
                        <option value={m.clone()} selected={*m == p.metric}>{m.clone()}</option>
                    }) }
                </select>
                <span class="hint">{"click a point to choose it"}</span>
                <button class="small" id="sweep-csv" onclick={download("csv")}>{"CSV"}</button>
                <button class="small" id="sweep-json" onclick={download("json")}>{"JSON"}</button>
            </div>
            <SweepCanvas table={table.clone()} metric={p.metric.clone()} dark={p.dark} epoch={p.epoch}
                picked={p.picked} on_pick={p.dispatch.reform(TuneAction::Pick)} />
            if let Some((i, cfg)) = point {
                <div class="picked" id="sweep-picked" role="status">
                    <p>{ crate::charts::sweep::readout(&table, &p.metric, i).unwrap_or_default() }</p>
                    <button id="open-a" onclick={{
                        let (on_open, cfg) = (p.on_open.clone(), cfg.clone());
                        Callback::from(move |_| on_open.emit((Which::A, Box::new(cfg.clone()))))
                    }}>{"Open as A"}</button>
                    <button id="open-b" onclick={{
                        let (on_open, cfg) = (p.on_open.clone(), cfg.clone());
                        Callback::from(move |_| on_open.emit((Which::B, Box::new(cfg.clone()))))
                    }}>{"Compare as B"}</button>
                </div>
            }
        </div>
    }
}
