//! The results: summary tables and charts, for one run or A and B side by side; with A
//! and B, what differs between their scenarios above the table.

use yew::prelude::*;

use super::chart::ChartCanvas;
use super::player::{PlaybackBar, Remote};
use super::state::State;
use super::summary::{ServicesTable, Shown, SummaryTable};
use super::uptime::UptimePanel;
use crate::charts::Kind;
use crate::sim::scenario::edit::differences;
use crate::sim::scenario::presets;
use crate::sim::ScenarioConfig;

/// Scales offered for PNG export, times the chart's size on screen.
pub const PNG_SCALES: [u32; 3] = [2, 3, 4];

/// Props of [`Differs`].
#[derive(Properties, PartialEq)]
pub struct DiffersProps {
    /// Scenario A.
    pub a: ScenarioConfig,
    /// Scenario B.
    pub b: ScenarioConfig,
}

/// What differs between A and B, field by field (`clients 2,000 → 4,000`).
#[function_component(Differs)]
pub fn differs(p: &DiffersProps) -> Html {
    let items = use_memo((p.a.clone(), p.b.clone()), |(a, b)| differences(a, b));
    const SHOWN: usize = 8;
    let all: Vec<String> = items
        .iter()
        .map(|d| format!("{} {} → {}", d.field, d.before, d.after))
        .collect();
    html! {
        <p id="differs" class="differs" title={all.join("; ")}>
            if items.is_empty() {
                {"A and B are the same scenario, with the same seed."}
            } else {
                <span class="lead">{"B differs from A in: "}</span>
                { for items.iter().take(SHOWN).enumerate().map(|(i, d)| html! {
                    <>
                        if i > 0 { {" · "} }
                        <span class="difference"><strong>{d.field.clone()}</strong>{format!(" {} → {}", d.before, d.after)}</span>
                    </>
                }) }
                if items.len() > SHOWN {
                    {format!(" · and {} more (hover to see all)", items.len() - SHOWN)}
                }
            }
        </p>
    }
}

/// Props of [`Edited`].
#[derive(Properties, PartialEq)]
pub struct EditedProps {
    /// The scenario shown.
    pub config: ScenarioConfig,
    /// "A" or "B".
    pub side: &'static str,
    /// Say which side (when comparing).
    #[prop_or_default]
    pub labelled: bool,
}

/// An edited preset, marked with what was changed: `herd-no-jitter · edited: clients 4,000`
/// (nothing when it is a preset as it comes, or not a preset at all).
#[function_component(Edited)]
pub fn edited(p: &EditedProps) -> Html {
    let items = use_memo(p.config.clone(), |cfg| {
        presets::config(&cfg.name)
            .map(|preset| differences(&preset, cfg))
            .unwrap_or_default()
    });
    if items.is_empty() {
        return html! {};
    }
    const SHOWN: usize = 6;
    let mut text: Vec<String> = items.iter().take(SHOWN).map(|d| d.to_string()).collect();
    if items.len() > SHOWN {
        text.push(format!("{} more", items.len() - SHOWN));
    }
    let all: Vec<String> = items
        .iter()
        .map(|d| format!("{} {} → {}", d.field, d.before, d.after))
        .collect();
    html! {
        <p class="edited" id={format!("edited-{}", p.side.to_lowercase())} title={format!("Changed from the preset: {}", all.join("; "))}>
            if p.labelled { <strong>{format!("{}: ", p.side)}</strong> }
            {format!("{} · edited: {}", p.config.name, text.join(", "))}
        </p>
    }
}

/// The choice of PNG export scale, above the charts.
fn png_scale(scale: u32, on_scale: &Callback<u32>) -> Html {
    let on_change = on_scale.reform(|e: Event| {
        let el: web_sys::HtmlSelectElement = e.target_unchecked_into();
        el.value().parse().unwrap_or(2)
    });
    html! {
        <div class="export-bar">
            <label for="png-scale">{"PNG export at"}</label>
            <select id="png-scale" onchange={on_change} title="Size of each chart's PNG download, times its size on screen (for slides)">
                { for PNG_SCALES.iter().map(|s| html! {
                    <option value={s.to_string()} selected={*s == scale}>{format!("{s}×")}</option>
                }) }
            </select>
            <span class="hint">{"the size on screen (PNG and SVG buttons under each chart)"}</span>
        </div>
    }
}

/// Summary and charts: one column, or A and B side by side with the overlay on top.
pub fn results(state: &State, epoch: u32, on_scale: &Callback<u32>, remote: &Remote) -> Html {
    let dark = state.dark;
    let scale = state.png_scale;
    let a = state.a.result.clone();
    let b = state.b.as_ref().and_then(|b| b.result.clone());
    match (a, state.b.as_ref(), b) {
        (None, _, _) => html! { <p class="hint">{"Running…"}</p> },
        (Some(a), None, _) => html! {
            <>
                <SummaryTable a={Shown::of(&a)} />
                <ServicesTable a={Shown::of(&a)} />
                { png_scale(scale, on_scale) }
                <PlaybackBar a={a.clone()} remote={remote.clone()} />
                <div class="charts">
                    { for Kind::for_run(&a, None).into_iter().map(|k| html! { <ChartCanvas kind={k} record={a.clone()} side="A" dark={dark} {epoch} {scale} /> }) }
                </div>
                <UptimePanel downtimes={vec![("", a.summary.downtime_ms)]} />
            </>
        },
        (Some(a), Some(_), None) => html! {
            <>
                <SummaryTable a={Shown::of(&a)} />
                <p class="hint">{"Running B…"}</p>
            </>
        },
        (Some(a), Some(side_b), Some(b)) => html! {
            <>
                <Differs a={state.a.config.clone()} b={side_b.config.clone()} />
                <SummaryTable a={Shown::of(&a)} b={Some(Shown::of(&b))} />
                <ServicesTable a={Shown::of(&a)} b={Some(Shown::of(&b))} />
                { png_scale(scale, on_scale) }
                <PlaybackBar a={a.clone()} b={Some(b.clone())} remote={remote.clone()} />
                { for Kind::overlays(&a, &b).into_iter().map(|k| html! { <ChartCanvas kind={k} record={a.clone()} peer={Some(b.clone())} side="AB" dark={dark} {epoch} {scale} /> }) }
                <div class="charts ab">
                    { for Kind::for_run(&a, Some(&b)).into_iter().map(|k| html! {
                        <div class="pair">
                            <ChartCanvas kind={k} record={a.clone()} peer={Some(b.clone())} side="A" dark={dark} {epoch} {scale} />
                            <ChartCanvas kind={k} record={b.clone()} peer={Some(a.clone())} side="B" dark={dark} {epoch} {scale} />
                        </div>
                    }) }
                </div>
                <UptimePanel downtimes={vec![("A", a.summary.downtime_ms), ("B", b.summary.downtime_ms)]} />
            </>
        },
    }
}
