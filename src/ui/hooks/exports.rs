//! Exports of the side being edited: CSV of its time series, JSON of scenario and summary.

use yew::prelude::*;

use crate::ui::export;
use crate::ui::state::Side;

/// The export buttons' callbacks.
pub struct Exports {
    /// Time series as CSV.
    pub csv: Callback<()>,
    /// Scenario and (when it is this scenario's) summary as JSON (a file the page and
    /// the CLI open again).
    pub json: Callback<()>,
}

/// Exports of `side`'s latest result.
#[hook]
pub fn use_exports(side: &Side) -> Exports {
    let csv = {
        let result = side.result.clone();
        Callback::from(move |_| {
            if let Some(r) = &result {
                let name = format!("herdsim-{}.csv", r.scenario.name());
                let _ = export::download(&name, "text/csv", &r.to_csv());
            }
        })
    };
    let json = {
        let (result, config) = (side.result.clone(), side.config.clone());
        Callback::from(move |_| {
            // the summary only when it is this scenario's (not a previous run's, after an
            // edit whose run has not finished or was cancelled)
            let current = config.validate().ok();
            let summary = result
                .as_ref()
                .filter(|r| r.seed == config.seed && current.as_ref() == Some(&r.scenario))
                .map(|r| &r.summary);
            let doc = serde_json::json!({ "scenario": config, "summary": summary });
            let text = serde_json::to_string_pretty(&doc).unwrap_or_default();
            let name = format!("herdsim-{}.json", config.name);
            let _ = export::download(&name, "application/json", &text);
        })
    };
    Exports { csv, json }
}
