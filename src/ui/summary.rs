//! The summary table: each metric with a short explanation on hover; with a comparison,
//! columns A, B, B − A and B / A.

use yew::prelude::*;

use crate::sim::Summary;

/// Props: the summaries to show.
#[derive(Properties, PartialEq)]
pub struct SummaryProps {
    /// Scenario A's summary.
    pub a: Summary,
    /// Scenario B's, when comparing.
    #[prop_or_default]
    pub b: Option<Summary>,
}

/// `(JSON field, label, unit, explanation, value)`.
type Metric = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    fn(&Summary) -> Option<f64>,
);

const METRICS: &[Metric] = &[
    ("requests", "requests", "", "Logical requests started (each may make several attempts).", |s| Some(s.requests as f64)),
    ("attempts", "attempts", "", "Attempts sent: first attempts plus retries.", |s| Some(s.attempts as f64)),
    ("amplification", "amplification", "×", "Attempts per request: how much retries multiply the load.", |s| Some(s.amplification)),
    ("succeeded", "succeeded", "", "Requests that ended with a success.", |s| Some(s.succeeded as f64)),
    ("failed", "failed", "", "Requests that gave up (attempts, deadline or a non-retried failure).", |s| Some(s.failed as f64)),
    ("in_flight_at_end", "in flight at end", "", "Requests still going when the run stopped.", |s| Some(s.in_flight_at_end as f64)),
    ("availability", "availability", "%", "Succeeded / requests.", |s| s.availability.map(|a| a * 100.0)),
    ("goodput_per_s", "goodput", "/s", "Successful requests per second over the run.", |s| Some(s.goodput_per_s)),
    ("peak_arrivals_per_s", "peak arrivals", "/s", "Highest rate of attempts arriving at the service in one bucket.", |s| Some(s.peak_arrivals_per_s)),
    ("latency_ms.p50", "latency p50", "ms", "Median end-to-end latency of requests, retries and backoff included.", |s| s.latency_ms.p50),
    ("latency_ms.p99", "latency p99", "ms", "99th percentile of end-to-end request latency.", |s| s.latency_ms.p99),
    ("completion_ms", "completion", "ms", "When the last request ended.", |s| s.completion_ms),
    ("time_to_recover_ms", "time to recover", "ms", "After the last fault or spike ends, time until the success rate is back to 95% of its level before; — if never.", |s| s.time_to_recover_ms),
    ("wasted_work_ms", "wasted work", "ms", "Service time spent on attempts whose client had already given up.", |s| Some(s.wasted_work_ms)),
    ("events", "events", "", "Simulation events processed.", |s| Some(s.events as f64)),
];

fn show(v: Option<f64>, unit: &str) -> String {
    match v {
        None => "—".into(),
        Some(x) if x.fract() == 0.0 && x.abs() < 1e15 && unit.is_empty() => format!("{x:.0}"),
        Some(x) => format!(
            "{}{}{unit}",
            sig(x),
            if unit.is_empty() || unit == "×" || unit == "%" {
                ""
            } else {
                " "
            }
        ),
    }
}

/// Three significant figures at least, never exponent notation.
fn sig(x: f64) -> String {
    let a = x.abs();
    if a >= 100.0 || a == 0.0 {
        format!("{x:.1}")
    } else if a >= 1.0 {
        format!("{x:.2}")
    } else {
        format!("{x:.3}")
    }
}

/// Key figures of a run, or of two.
#[function_component(SummaryTable)]
pub fn summary_table(p: &SummaryProps) -> Html {
    let row = |&(key, label, unit, help, f): &Metric| {
        let a = f(&p.a);
        let cells = match &p.b {
            None => html! { <td data-field={key}>{show(a, unit)}</td> },
            Some(b) => {
                let b = f(b);
                let delta = a.zip(b).map(|(a, b)| b - a);
                let ratio = a.zip(b).filter(|(a, _)| *a != 0.0).map(|(a, b)| b / a);
                html! {
                    <>
                        <td data-field={key} data-side="a">{show(a, unit)}</td>
                        <td data-field={key} data-side="b">{show(b, unit)}</td>
                        <td data-field={key} data-side="delta">{delta.map_or("—".into(), |d| format!("{}{}", if d > 0.0 { "+" } else { "" }, show(Some(d), unit)))}</td>
                        <td data-field={key} data-side="ratio">{ratio.map_or("—".into(), |r| format!("{}×", sig(r)))}</td>
                    </>
                }
            }
        };
        html! { <tr title={help}><th scope="row">{label}</th>{cells}</tr> }
    };
    html! {
        <table id="summary" class={classes!("summary", p.b.is_none().then_some("single"))}>
            if p.b.is_some() {
                <thead><tr><th></th><th scope="col">{"A"}</th><th scope="col">{"B"}</th><th scope="col">{"B − A"}</th><th scope="col">{"B / A"}</th></tr></thead>
            }
            <tbody>{ for METRICS.iter().map(row) }</tbody>
        </table>
    }
}
