//! The results: summary tables and charts, for one run or A and B side by side.

use yew::prelude::*;

use super::chart::ChartCanvas;
use super::state::State;
use super::summary::{ServicesTable, SummaryTable};
use crate::charts::Kind;

/// Summary and charts: one column, or A and B side by side with the overlay on top.
pub fn results(state: &State, epoch: u32) -> Html {
    let dark = state.dark;
    let a = state.a.result.clone();
    let b = state.b.as_ref().and_then(|b| b.result.clone());
    match (a, state.b.is_some(), b) {
        (None, _, _) => html! { <p class="hint">{"Running…"}</p> },
        (Some(a), false, _) => html! {
            <>
                <SummaryTable a={a.summary.clone()} />
                <ServicesTable a={a.summary.clone()} />
                <div class="charts">
                    { for Kind::for_run(&a, None).into_iter().map(|k| html! { <ChartCanvas kind={k} record={a.clone()} side="A" dark={dark} {epoch} /> }) }
                </div>
            </>
        },
        (Some(a), true, None) => html! {
            <>
                <SummaryTable a={a.summary.clone()} />
                <p class="hint">{"Running B…"}</p>
            </>
        },
        (Some(a), true, Some(b)) => html! {
            <>
                <SummaryTable a={a.summary.clone()} b={Some(b.summary.clone())} />
                <ServicesTable a={a.summary.clone()} b={Some(b.summary.clone())} />
                { for Kind::overlays(&a, &b).into_iter().map(|k| html! { <ChartCanvas kind={k} record={a.clone()} peer={Some(b.clone())} side="AB" dark={dark} {epoch} /> }) }
                <div class="charts ab">
                    { for Kind::for_run(&a, Some(&b)).into_iter().map(|k| html! {
                        <div class="pair">
                            <ChartCanvas kind={k} record={a.clone()} peer={Some(b.clone())} side="A" dark={dark} {epoch} />
                            <ChartCanvas kind={k} record={b.clone()} peer={Some(a.clone())} side="B" dark={dark} {epoch} />
                        </div>
                    }) }
                </div>
            </>
        },
    }
}
