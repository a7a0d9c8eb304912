//! The scorecard: a row per fault scenario, each metric's mean over the seeds; A/B with
//! B − A under each pair, better in green and worse in red (in words too); the library
//! presets as one table per scenario.

use yew::prelude::*;

use super::state::Scores;
use crate::suite::{show_mean, Comparison, LibraryTable, Metric, Row, Scorecard, Verdict};

fn head(first: &str) -> Html {
    html! {
        <thead><tr>
            <th scope="col">{first.to_string()}</th>
            { for Metric::ALL.iter().map(|m| html! { <th scope="col" title={m.help()}>{m.label()}</th> }) }
        </tr></thead>
    }
}

fn cells(r: &Row) -> Html {
    html! {
        { for Metric::ALL.iter().map(|&m| html! { <td>{show_mean(m, r.stat(m), r.runs)}</td> }) }
    }
}

fn seeds(s: &[u64]) -> String {
    match s {
        [one] => format!("1 seed ({one})"),
        [first, .., last] => format!("{} seeds ({first}–{last})", s.len()),
        [] => String::new(),
    }
}

/// A scorecard as a table with this id.
pub fn scorecard(card: &Scorecard, id: &str) -> Html {
    html! {
        <table class="scores" id={id.to_string()}>
            <caption>{format!("The policy of {} through the fault suite, {}", card.policy, seeds(&card.seeds))}</caption>
            { head("scenario") }
            <tbody>
                { for card.rows.iter().map(|r| html! {
                    <tr><th scope="row">{r.scenario.clone()}</th>{ cells(r) }</tr>
                }) }
            </tbody>
        </table>
    }
}

fn ab(c: &Comparison) -> Html {
    let verdict = |v: Option<Verdict>| match v {
        Some(Verdict::Better) => ("better", "better"),
        Some(Verdict::Worse) => ("worse", "worse"),
        _ => ("same", ""),
    };
    html! {
        <table class="scores" id="scorecard-ab">
            <caption>{format!("A: {} · B: {} · {} · under each pair, B − A", c.a.policy, c.b.policy, seeds(&c.a.seeds))}</caption>
            { head("scenario") }
            <tbody>
                { for c.deltas.iter().filter_map(|d| {
                    let (ra, rb) = (c.a.row(&d.scenario)?, c.b.row(&d.scenario)?);
                    Some(html! {
                        <tr>
                            <th scope="row">{d.scenario.clone()}</th>
                            { for Metric::ALL.iter().map(|&m| {
                                let delta = d.deltas.get(m);
                                let (class, word) = verdict(delta.verdict);
                                let diff = delta.delta.map(|x| m.quantity().delta(x)).unwrap_or_default();
                                html! {
                                    <td class={class}>
                                        <span class="ab">{format!("{} → {}", show_mean(m, ra.stat(m), ra.runs), show_mean(m, rb.stat(m), rb.runs))}</span>
                                        <span class="delta">{diff}{ if word.is_empty() { String::new() } else { format!(" {word}") } }</span>
                                    </td>
                                }
                            }) }
                        </tr>
                    })
                }) }
            </tbody>
        </table>
    }
}

fn libraries(t: &LibraryTable) -> Html {
    html! {
        <div id="scorecard-libraries">
            <p class="hint">{format!("Each library preset's policy through the same faults, {}.", seeds(&t.seeds))}</p>
            { for t.scenarios.iter().map(|s| html! {
                <table class="scores">
                    <caption><strong>{s.scenario.clone()}</strong>{format!(": {}", s.description)}</caption>
                    { head("policy") }
                    <tbody>
                        { for s.rows.iter().map(|r| html! {
                            <tr><th scope="row">{r.policy.clone()}</th>{ cells(r) }</tr>
                        }) }
                    </tbody>
                </table>
            }) }
        </div>
    }
}

/// A finished scorecard.
pub fn scores(s: &Scores) -> Html {
    match s {
        Scores::One(card) => scorecard(card, "scorecard"),
        Scores::AB(c) => ab(c),
        Scores::Libraries(t) => libraries(t),
    }
}
