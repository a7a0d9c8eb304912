//! Exports: CSV of the time series, JSON of scenario and summary, named after the scenario
//! and side (`herd-no-jitter-A.csv`). With A and B, each file holds both: the CSV stacks A's
//! rows over B's under one header with a first column `side` (filter or pivot on it in a
//! spreadsheet), the JSON is `{"a": {"scenario", "summary"}, "b": …}`.

use yew::prelude::*;

use crate::share::files;
use crate::ui::export;
use crate::ui::state::{Side, State};

/// The export buttons' callbacks.
pub struct Exports {
    /// Time series as CSV.
    pub csv: Callback<()>,
    /// Scenario and (when it is this scenario's) summary as JSON (one side's file opens
    /// again in the page and in the CLI).
    pub json: Callback<()>,
}

/// `{"scenario": …, "summary": …}` of a side; the summary only when it is this scenario's
/// (not a previous run's, after an edit whose run has not finished or was cancelled).
fn document(side: &Side) -> serde_json::Value {
    let summary = side
        .result
        .as_ref()
        .filter(|_| side.shows_current())
        .map(|r| &r.summary);
    serde_json::json!({ "scenario": side.config, "summary": summary })
}

/// The sides to export with their labels, and the file's base name and side part.
fn sides(state: &State) -> (Vec<(&'static str, Side)>, String, &'static str) {
    let mut out = vec![("A", state.a.clone())];
    if let Some(b) = &state.b {
        out.push(("B", b.clone()));
    }
    let (name, part) = match &state.b {
        Some(b) => (files::pair(&state.a.config.name, &b.config.name), "AB"),
        None => (state.a.config.name.clone(), "A"),
    };
    (out, name, part)
}

/// Exports of what is shown: A, or A and B.
#[hook]
pub fn use_exports(state: &State) -> Exports {
    let csv = {
        let (sides, name, part) = sides(state);
        Callback::from(move |_| {
            let tables: Vec<(&str, String)> = sides
                .iter()
                .filter_map(|(l, s)| s.result.as_ref().map(|r| (*l, r.to_csv())))
                .collect();
            let text = match tables.as_slice() {
                [] => return,
                [(_, one)] if sides.len() == 1 => one.clone(),
                many => files::stack_csv(
                    &many
                        .iter()
                        .map(|(l, t)| (*l, t.as_str()))
                        .collect::<Vec<_>>(),
                ),
            };
            let _ = export::download(&files::name(&name, &[part], "csv"), "text/csv", &text);
        })
    };
    let json = {
        let (sides, name, part) = sides(state);
        Callback::from(move |_| {
            let doc = match sides.as_slice() {
                [(_, a)] => document(a),
                [(_, a), (_, b)] => serde_json::json!({ "a": document(a), "b": document(b) }),
                _ => return,
            };
            let text = serde_json::to_string_pretty(&doc).unwrap_or_default();
            let name = files::name(&name, &[part], "json");
            let _ = export::download(&name, "application/json", &text);
        })
    };
    Exports { csv, json }
}
