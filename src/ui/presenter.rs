//! The presenter: a tour step on a 16:9 stage — its title, narration and question, then its
//! two or three charts played back from the start (pausing at the step's `until`), the
//! counters at the cursor, and the levers that break things live. Everything it shows is
//! the page's state (the step's scenarios are A and B), so Esc leaves it on the workbench
//! exactly there ("explore from here").

use std::rc::Rc;

use yew::prelude::*;

use super::chart::ChartCanvas;
use super::player::{Cue, Grids, PlaybackBar, Remote, RESULTS_ID};
use super::state::{Action, Presenting, Side};
use crate::charts::Kind;
use crate::sim::scenario::intervene::{target, Lever};
use crate::sim::RunRecord;

/// Props: the step and the page's state around it.
#[derive(Properties, PartialEq)]
pub struct PresenterProps {
    /// The tour and step.
    pub present: Presenting,
    /// Scenario A of the step, with its run.
    pub a: Side,
    /// Scenario B of a pair.
    pub b: Option<Side>,
    /// Dark theme.
    pub dark: bool,
    /// Bumped on resize.
    pub epoch: u32,
    /// Where the keys and levers reach the playback bar.
    pub remote: Remote,
    /// What the buttons do.
    pub dispatch: Callback<Action>,
    /// Full screen, or not.
    pub on_full_screen: Callback<()>,
}

/// A chart of the step: one run's, or A and B overlaid.
fn chart(kind: Kind, a: &Rc<RunRecord>, b: Option<&Rc<RunRecord>>, p: &PresenterProps) -> Html {
    let (dark, epoch) = (p.dark, p.epoch);
    let one = |rec: &Rc<RunRecord>, peer: Option<&Rc<RunRecord>>, side: &'static str| {
        html! {
            <ChartCanvas kind={kind} record={rec.clone()} peer={peer.cloned()} {side} {dark} {epoch} presenter=true />
        }
    };
    match (kind, b) {
        (Kind::Overlay | Kind::ServicesOverlay, Some(b)) => {
            html! { <div class="slide-chart">{ one(a, Some(b), "AB") }</div> }
        }
        (_, Some(b)) => html! {
            <div class="slide-chart pair">{ one(a, Some(b), "A") }{ one(b, Some(a), "B") }</div>
        },
        (_, None) => html! { <div class="slide-chart">{ one(a, None, "A") }</div> },
    }
}

/// The step's slide.
#[function_component(Presenter)]
pub fn presenter(p: &PresenterProps) -> Html {
    let pr = &p.present;
    let Some(step) = pr.tour.step(pr.step) else {
        return html! {};
    };
    let n = pr.tour.steps().len();
    let d = &p.dispatch;
    let current = p.a.shows_current() && p.b.as_ref().is_none_or(Side::shows_current);
    let a = p.a.result.clone();
    let b = p.b.as_ref().and_then(|b| b.result.clone());
    let ready = !pr.fresh && a.is_some() && (p.b.is_none() || b.is_some());
    let (_, service) = target(&p.a.config);
    let pull = |lever: Lever| {
        let (d, remote) = (d.clone(), p.remote.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(t) = remote.cursor.get() {
                d.emit(Action::Pull(lever, t));
            }
        })
    };
    let body = match (&a, pr.revealed, ready) {
        (_, false, _) => html! {
            <div class="slide-question" id="slide-question">
                <p class="question">{step.question().unwrap_or_default()}</p>
                <p class="slide-hint">{"Ask the room, then → or Space to run it."}</p>
            </div>
        },
        (Some(a), true, true) => {
            let runs: Vec<&RunRecord> = std::iter::once(a.as_ref()).chain(b.as_deref()).collect();
            let cue = current.then(|| Cue {
                id: pr.cue,
                speed: step.speed(),
                stop: step
                    .stop_at(&runs)
                    .map(|(t, why)| (t, format!("Paused: {why}"))),
            });
            // a step about the clients shows them as people (the live grid) in place of
            // their raster
            let people = step.charts().contains(&Kind::Raster) && a.raster.rows > 0;
            let kinds: Vec<Kind> = step
                .charts()
                .iter()
                .copied()
                .filter(|k| !(people && *k == Kind::Raster))
                .collect();
            let grids = if people { Grids::Shown } else { Grids::Hidden };
            html! {
                <section class="slide-body" id={RESULTS_ID} aria-label="Results" data-play="end">
                    <PlaybackBar a={a.clone()} b={b.clone()} remote={p.remote.clone()} {cue} {grids} />
                    <div class={classes!("slide-charts", format!("n{}", kinds.len()), b.is_some().then_some("ab"))}>
                        { for kinds.iter().map(|k| chart(*k, a, b.as_ref(), p)) }
                    </div>
                </section>
            }
        }
        _ => html! { <p class="slide-wait" id="slide-wait">{"Simulating…"}</p> },
    };
    let levers = Lever::ALL.map(|l| {
        html! {
            <button class="lever" id={format!("lever-{}", l.code())} onclick={pull(l)} disabled={!ready || !pr.revealed}
                title={format!("{} at the playback cursor (key {})", l.about(&service), l.digit())}>
                <kbd>{l.digit()}</kbd>{" "}{l.about(&service)}
            </button>
        }
    });
    html! {
        <div class="presenter" id="presenter" data-step={pr.step.to_string()} data-steps={n.to_string()}
            data-revealed={pr.revealed.to_string()} data-ready={ready.to_string()}
            data-pulls={pr.pulls.len().to_string()}>
            <div class="stage">
                <header class="slide-head">
                    <p class="slide-where"><span class="slide-tour">{pr.tour.title().to_string()}</span>
                        <span class="slide-count" id="slide-count">{format!("{} / {n}", pr.step)}</span></p>
                    <h2 class="slide-title" id="slide-title">{step.title().to_string()}</h2>
                    // the narration tells the answer: it waits for the question to be asked
                    if pr.revealed {
                        <p class="narration" id="slide-narration">{step.narration().to_string()}</p>
                    }
                </header>
                { body }
                <footer class="slide-foot">
                    <div class="levers" role="group" aria-label="Interventions at the playback cursor">
                        { for levers }
                        <button class="lever" id="lever-undo" onclick={d.reform(|_| Action::UndoPull)}
                            disabled={pr.pulls.is_empty()} title="Undo the last intervention (u)"><kbd>{"u"}</kbd>{" undo"}</button>
                        <button class="lever" id="lever-rewind" onclick={d.reform(|_| Action::Rewind)}
                            title="The step from its start, without interventions (r)"><kbd>{"r"}</kbd>{" rewind"}</button>
                    </div>
                    if let Some(said) = &pr.said {
                        <p class="said" id="slide-said" aria-live="polite">{said.clone()}</p>
                    }
                    <nav class="slide-nav" aria-label="Steps">
                        <button id="slide-prev" onclick={d.reform(|_| Action::StepBy(-1))} disabled={pr.step <= 1} title="Previous step (← or Page Up)">{"←"}</button>
                        <button id="slide-next" onclick={d.reform(|_| Action::StepBy(1))} title="Next step (→, Space or Page Down)">{ if pr.revealed { "→" } else { "Run it →" } }</button>
                        <button id="slide-full" onclick={p.on_full_screen.reform(|_| ())} title="Full screen (f)">{"Full screen"}</button>
                        <button id="slide-explore" onclick={d.reform(|_| Action::LeavePresenter)} title="Back to the workbench on this step's scenarios (Esc)">{"Explore (Esc)"}</button>
                    </nav>
                </footer>
            </div>
            if pr.blank {
                <div class="slide-blank" id="slide-blank" onclick={d.reform(|_| Action::Blank)}></div>
            }
        </div>
    }
}
