//! Recommendations: the analytic panel of scenario A's policy (each retry's delay against
//! the timeout and deadline, what fits, worst-case amplification, the budget's threshold,
//! Little's law, and the lints that apply), the tuner's search as `herdsim tune` takes it,
//! and its report: the best feasible policy with what it beats and its scorecard, the
//! Pareto front, and Apply.

use std::rc::Rc;

use yew::prelude::*;

use crate::ui::hooks::use_fitted_canvas;

use super::scores;
use super::state::{Field, SearchForm};
use crate::charts::pareto;
use crate::sim::ScenarioConfig;
use crate::suite::{Scorecard, Verdict};
use crate::tune::analysis::{self, Fit, Options};
use crate::tune::lints;
use crate::tune::search::Report;
use crate::units::duration_ms;

/// Props of [`Advice`].
#[derive(Properties, PartialEq)]
pub struct AdviceProps {
    /// The scenario whose policy is read.
    pub a: Rc<ScenarioConfig>,
    /// Layers retrying alike.
    pub layers: u32,
}

/// The analytic panel and the lints.
#[function_component(Advice)]
pub fn advice(p: &AdviceProps) -> Html {
    let found = use_memo((p.a.clone(), p.layers), |(a, layers)| {
        let sc = a
            .validate()
            .map_err(|_| "Scenario A does not validate (see its controls).".to_string())?;
        let opt = Options {
            layers: *layers,
            arrival_per_s: None,
        };
        opt.check().map_err(|e| format!("Layers: {e}."))?;
        Ok::<_, String>((analysis::analyse(&sc, &opt), lints::lints(&sc, *layers)))
    });
    let (a, found) = match &*found {
        Ok(f) => f,
        Err(why) => return html! { <p class="error" id="advice-error">{why.clone()}</p> },
    };
    let ms = |x: f64| duration_ms(x);
    html! {
        <section class="advice" id="advice" aria-label="The policy on paper">
            <h3>{"Scenario A's policy on paper"}</h3>
            if a.schedule.is_empty() {
                <p>{"No retries: one attempt per request."}</p>
            } else {
                <table class="scores" id="schedule-table">
                    <caption>{format!("Delay before each retry; timeout {}, deadline {}", a.timeout_ms.map_or("none".into(), ms), a.deadline_ms.map_or("none".into(), ms))}</caption>
                    <thead><tr>
                        { for ["retry", "min", "median", "max", "total (mean)", "sent if all time out", "deadline"].iter().map(|h| html! { <th scope="col">{*h}</th> }) }
                    </tr></thead>
                    <tbody>
                        { for a.schedule.iter().map(|s| html! {
                            <tr>
                                <th scope="row">{s.retry}</th>
                                <td>{ms(s.delay.min_ms)}</td><td>{ms(s.delay.median_ms)}</td><td>{ms(s.delay.max_ms)}</td>
                                <td>{ms(s.cumulative_mean_ms)}</td>
                                <td>{ s.sent_after_timeouts_ms.map_or("never (no timeout)".into(), |[lo, hi]| if lo == hi { ms(lo) } else { format!("{} – {}", ms(lo), ms(hi)) }) }</td>
                                <td class={match s.within_deadline { Fit::Never if a.deadline_ms.is_some() => "worse", _ => "" }}>{ match (a.deadline_ms, s.within_deadline) {
                                    (None, _) => "no deadline",
                                    (_, Fit::Always) => "fits",
                                    (_, Fit::Sometimes) => "sometimes",
                                    (_, Fit::Never) => "too late",
                                } }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            }
            <ul class="findings" id="findings">
                { for a.findings().into_iter().map(|l| html! { <li>{l}</li> }) }
            </ul>
            <h3>{ if found.is_empty() { "No lint applies".to_string() } else { format!("Lints ({})", found.len()) } }</h3>
            <ul class="lints" id="lints">
                { for found.iter().map(|l| html! {
                    <li data-lint={l.id.name()}>
                        <strong>{l.id.name()}</strong>{": "}{l.message.clone()}
                        <p class="hint">{format!("Why: {} Source: {}", l.reason, l.source)}</p>
                    </li>
                }) }
            </ul>
        </section>
    }
}

/// Props of [`SearchPanel`].
#[derive(Properties, PartialEq)]
pub struct SearchPanelProps {
    /// The form.
    pub form: SearchForm,
    /// A task is running.
    pub busy: bool,
    /// A field typed in.
    pub on_field: Callback<(Field, String)>,
    /// Search pressed.
    pub on_run: Callback<()>,
}

/// The search's form.
#[function_component(SearchPanel)]
pub fn search_panel(p: &SearchPanelProps) -> Html {
    let text = |f: Field| {
        let on_field = p.on_field.clone();
        Callback::from(move |e: InputEvent| {
            let el: web_sys::HtmlInputElement = e.target_unchecked_into();
            on_field.emit((f, el.value()));
        })
    };
    let area = |f: Field| {
        let on_field = p.on_field.clone();
        Callback::from(move |e: InputEvent| {
            let el: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
            on_field.emit((f, el.value()));
        })
    };
    let goal = {
        let on_field = p.on_field.clone();
        Callback::from(move |e: Event| {
            let el: web_sys::HtmlSelectElement = e.target_unchecked_into();
            on_field.emit((Field::Goal, el.value()));
        })
    };
    let f = &p.form;
    html! {
        <div class="tune-form search-form" id="search-form">
            <label class="block">{"Unlock (one field a line, PATH=LO..HI:STEPS[:log])"}
                <textarea id="search-unlock" rows="3" value={f.unlock.clone()} oninput={area(Field::Unlock)} /></label>
            <label class="block">{"Require, in every scenario (METRIC<=VALUE, :mean for the mean)"}
                <textarea id="search-require" rows="3" value={f.require.clone()} oninput={area(Field::Require)} /></label>
            <div class="tune-run">
                <select id="search-goal" onchange={goal} aria-label="goal">
                    { for ["minimise", "maximise"].iter().map(|g| html! { <option value={*g} selected={f.goal == *g}>{*g}</option> }) }
                </select>
                <input id="search-objective" class="metric" value={f.objective.clone()} oninput={text(Field::Objective)} aria-label="objective metric" list="suite-metrics" />
                <label>{"Pareto "}<input id="search-pareto" class="metric" value={f.pareto.clone()} oninput={text(Field::Pareto)} /></label>
                <label>{"seeds a scenario "}<input id="search-seeds" class="num" value={f.seeds.clone()} oninput={text(Field::SearchSeeds)} /></label>
                <label>{"layers "}<input id="search-layers" class="num" value={f.layers.clone()} oninput={text(Field::Layers)} /></label>
                <button id="run-search" class="primary" disabled={p.busy} onclick={p.on_run.reform(|_| ())}>{"Search"}</button>
            </div>
            <datalist id="suite-metrics">
                { for crate::suite::Metric::ALL.iter().map(|m| html! { <option value={m.key()}>{m.label()}</option> }) }
            </datalist>
        </div>
    }
}

/// Props of [`ReportView`].
#[derive(Properties, PartialEq)]
pub struct ReportViewProps {
    /// The report.
    pub report: Rc<Report>,
    /// Dark theme.
    pub dark: bool,
    /// Resize epoch.
    pub epoch: u32,
    /// Apply pressed: the best policy's settings as `--set` pairs.
    pub on_apply: Callback<Vec<(String, String)>>,
    /// Apply and export pressed: the same pairs, then the Export tab.
    pub on_export: Callback<Vec<(String, String)>>,
}

/// A finished search.
#[function_component(ReportView)]
pub fn report_view(p: &ReportViewProps) -> Html {
    let r = &p.report;
    let feasible = r.candidates.iter().filter(|c| c.feasible).count();
    let best = r.best.and_then(|b| r.candidates.get(b));
    let apply = {
        let (on_apply, pairs) = (p.on_apply.clone(), r.apply.clone());
        Callback::from(move |_| on_apply.emit(pairs.clone()))
    };
    let export = {
        let (on_export, pairs) = (p.on_export.clone(), r.apply.clone());
        Callback::from(move |_| on_export.emit(pairs.clone()))
    };
    let card: Option<Scorecard> = best.map(|b| b.scorecard.clone());
    html! {
        <div class="report" id="search-report">
            <p id="search-summary">{format!(
                "Search: {}, {} candidates, {} feasible; {}; {} seed{} a scenario.",
                r.search, r.candidates.len(), feasible, r.objective.text(), r.seeds.len(),
                if r.seeds.len() == 1 { "" } else { "s" }
            )}</p>
            if let Some(b) = best {
                <div class="picked" id="search-best">
                    <p><strong>{"Best feasible: "}</strong>{ b.settings.iter().map(|s| format!("{} = {}", s.path, s.text)).collect::<Vec<_>>().join(", ") }</p>
                    <button id="apply-best" class="primary" onclick={apply}>{"Apply to A"}</button>
                    <button id="export-best" onclick={export}>{"Apply and export"}</button>
                </div>
                <table class="scores" id="search-beats">
                    <caption>{"What it beats the current policy by"}</caption>
                    <thead><tr>{ for ["metric", "over the scenarios", "current", "best", "best − current"].iter().map(|h| html! { <th scope="col">{*h}</th> }) }</tr></thead>
                    <tbody>
                        { for r.beats.iter().map(|b| {
                            let q = b.metric.quantity();
                            let class = match b.verdict { Some(Verdict::Better) => "better", Some(Verdict::Worse) => "worse", _ => "same" };
                            let show = |v: Option<f64>| v.map_or("—".into(), |v| q.show(v));
                            html! {
                                <tr>
                                    <th scope="row">{b.metric.label()}</th><td>{b.over.word()}</td>
                                    <td>{show(b.current)}</td><td>{show(b.best)}</td>
                                    <td class={class}><span class="delta">{ b.delta.map_or("—".into(), |d| q.delta(d)) }{ match b.verdict { Some(Verdict::Better) => " better", Some(Verdict::Worse) => " worse", _ => "" } }</span></td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            } else {
                <p class="error" id="search-none" role="status">{"No candidate meets every constraint: loosen one, or unlock another field. The closest are on the Pareto front."}</p>
            }
            if let Some(card) = &card {
                { scores::scorecard(card, "search-scorecard") }
            }
            <ParetoCanvas report={r.clone()} dark={p.dark} epoch={p.epoch} />
        </div>
    }
}

/// Props of [`ParetoCanvas`].
#[derive(Properties, PartialEq)]
pub struct ParetoProps {
    /// The report.
    pub report: Rc<Report>,
    /// Dark theme.
    pub dark: bool,
    /// Resize epoch.
    pub epoch: u32,
}

/// The Pareto front on a canvas.
#[function_component(ParetoCanvas)]
pub fn pareto_canvas(p: &ParetoProps) -> Html {
    let (canvas, drawn) = use_fitted_canvas(
        "pareto",
        (p.report.clone(), p.epoch),
        p.dark,
        |(report, _), area, pal| pareto::draw(area, report, pal).map_err(|e| e.to_string()),
    );
    html! {
        <figure class="chart-box">
            <canvas id="chart-pareto" ref={canvas} class="chart" role="img" data-drawn={drawn.to_string()}
                aria-label="Every candidate policy on the two metrics, the Pareto front joined, the best ringed"></canvas>
        </figure>
    }
}
