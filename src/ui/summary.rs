//! The summary table.

use yew::prelude::*;

use crate::sim::Summary;

/// Props: the summary to show.
#[derive(Properties, PartialEq)]
pub struct SummaryProps {
    /// The run's summary.
    pub summary: Summary,
}

fn opt(v: Option<f64>, unit: &str) -> String {
    v.map_or("—".into(), |x| format!("{x:.1} {unit}"))
}

/// Key figures of a run.
#[function_component(SummaryTable)]
pub fn summary_table(p: &SummaryProps) -> Html {
    let s = &p.summary;
    let rows: Vec<(&str, String)> = vec![
        ("requests", s.requests.to_string()),
        ("attempts", s.attempts.to_string()),
        ("amplification", format!("{:.2}×", s.amplification)),
        ("succeeded", s.succeeded.to_string()),
        ("failed", s.failed.to_string()),
        ("in flight at end", s.in_flight_at_end.to_string()),
        (
            "availability",
            s.availability
                .map_or("—".into(), |a| format!("{:.2} %", a * 100.0)),
        ),
        ("goodput", format!("{:.1} /s", s.goodput_per_s)),
        ("peak arrivals", format!("{:.0} /s", s.peak_arrivals_per_s)),
        ("latency p50", opt(s.latency_ms.p50, "ms")),
        ("latency p99", opt(s.latency_ms.p99, "ms")),
        ("completion", opt(s.completion_ms, "ms")),
        ("time to recover", opt(s.time_to_recover_ms, "ms")),
        ("wasted work", format!("{:.1} s", s.wasted_work_ms / 1000.0)),
        ("events", s.events.to_string()),
    ];
    html! {
        <table id="summary" class="summary">
            { for rows.into_iter().map(|(k, v)| html! { <tr><th scope="row">{k}</th><td data-field={k}>{v}</td></tr> }) }
        </table>
    }
}
