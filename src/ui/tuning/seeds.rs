//! "Run 20 seeds" beside a run's results: scenario A over 20 seeds in the web workers,
//! each headline metric as its mean with the spread over the seeds (p10–p90, min–max),
//! and each time chart's lines as their median with the p10–p90 band, so one seed's luck
//! is not read as the policy's effect.

use std::rc::Rc;

use yew::prelude::*;

use crate::ui::hooks::use_fitted_canvas;

use super::state::{Tune, TuneAction, What};
use crate::sim::{Scenario, ScenarioConfig};
use crate::sweep::bands::{Bands, GROUPS};
use crate::sweep::DEFAULT_METRICS;
use crate::ui::pool::Pool;
use crate::units::{duration_ms, percent, sig3};
use crate::work::{document, Task};

/// Seeds a "run K seeds" runs.
pub const SEEDS: u32 = 20;

/// Props of [`SeedsPanel`].
#[derive(Properties, PartialEq)]
pub struct SeedsPanelProps {
    /// The tuning state (where the result is kept).
    pub tune: UseReducerHandle<Tune>,
    /// Scenario A.
    pub a: Rc<ScenarioConfig>,
    /// The web workers.
    pub pool: Pool,
    /// Dark theme.
    pub dark: bool,
    /// Bumped on a resize.
    pub epoch: u32,
}

/// A metric's figure as people read it.
fn show(metric: &str, v: Option<f64>) -> String {
    let Some(v) = v else { return "—".into() };
    if metric == "availability" || metric == "uptime" {
        percent(v)
    } else if metric.ends_with("_ms") || metric.contains("_ms.") {
        duration_ms(v)
    } else if metric == "amplification" {
        format!("{}×", sig3(v))
    } else {
        sig3(v)
    }
}

/// The button, its progress, and the figures over the seeds.
#[function_component(SeedsPanel)]
pub fn seeds_panel(p: &SeedsPanelProps) -> Html {
    let t = &*p.tune;
    let dispatch = p.tune.dispatcher().to_callback();
    let run = {
        let (pool, a, dispatch) = (p.pool.clone(), p.a.clone(), dispatch.clone());
        Callback::from(move |_| {
            let task = Task::Seeds {
                base: document(&a),
                seeds: SEEDS,
                metrics: DEFAULT_METRICS.iter().map(|m| m.to_string()).collect(),
            };
            dispatch.emit(TuneAction::Seeding(Box::new((*a).clone())));
            super::start(&pool, &dispatch, What::Seeds, Ok(task));
        })
    };
    let busy = t.job.is_some();
    let running = t.job.as_ref().filter(|j| j.what == What::Seeds);
    let shown = t.seeded.as_ref().filter(|r| r.config == *p.a);
    html! {
        <div class="seeds" id="seeds">
            <button id="run-seeds" disabled={busy} onclick={run}
                title="Run scenario A with 20 seeds in the background: each figure's mean and spread">{format!("Run {SEEDS} seeds")}</button>
            if let Some(j) = running {
                <label for="seeds-bar">{format!(" {} of {} seeds ", j.done, j.total)}</label>
                <progress id="seeds-bar" max={j.total.max(1).to_string()} value={j.done.to_string()}></progress>
            }
            if let Some(r) = shown {
                <table class="scores" id="seeds-table">
                    <caption>{format!("Over {} seeds ({}–{}): the mean, and the spread one seed's luck can give", r.seeds, r.config.seed, r.config.seed + u64::from(r.seeds) - 1)}</caption>
                    <thead><tr>{ for ["metric", "mean", "p10–p90", "min–max", "seeds with a value"].iter().map(|h| html! { <th scope="col">{*h}</th> }) }</tr></thead>
                    <tbody>
                        { for r.stats.iter().map(|(m, s)| html! {
                            <tr data-metric={m.clone()}>
                                <th scope="row">{m.clone()}</th>
                                <td>{show(m, s.mean)}</td>
                                <td>{format!("{} – {}", show(m, s.p10), show(m, s.p90))}</td>
                                <td>{format!("{} – {}", show(m, s.min), show(m, s.max))}</td>
                                <td>{s.count}</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
                if let Some((bands, scenario)) = &r.bands {
                    <div class="charts" id="seeds-charts">
                        { for (0..GROUPS.len()).map(|group| html! {
                            <BandsCanvas bands={bands.clone()} scenario={scenario.clone()} {group} dark={p.dark} epoch={p.epoch} />
                        }) }
                    </div>
                }
            }
        </div>
    }
}

/// Props of [`BandsCanvas`].
#[derive(Properties, PartialEq)]
struct BandsCanvasProps {
    bands: Rc<Bands>,
    scenario: Rc<Scenario>,
    /// Which chart of [`GROUPS`].
    group: usize,
    dark: bool,
    epoch: u32,
}

/// One time chart over the seeds (`charts::bands`), drawn when mounted and on a change.
#[function_component(BandsCanvas)]
fn bands_canvas(p: &BandsCanvasProps) -> Html {
    let deps = (p.bands.clone(), p.scenario.clone(), p.group, p.epoch);
    let (canvas, drawn) = use_fitted_canvas("seeds", deps, p.dark, |(b, sc, g, _), area, pal| {
        crate::charts::bands::draw(area, b, *g, sc, pal)
            .map(|_| ())
            .map_err(|e| e.to_string())
    });
    let g = GROUPS[p.group.min(GROUPS.len() - 1)];
    html! {
        <figure class="chart-box">
            <canvas ref={canvas} id={format!("chart-seeds-{}", p.group)} class="chart" data-drawn={drawn.to_string()}
                role="img" aria-label={format!("{} over {} seeds: medians and p10–p90 bands", g.title, p.bands.seeds)}></canvas>
        </figure>
    }
}
