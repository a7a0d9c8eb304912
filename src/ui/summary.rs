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
    ("rejected_by_breaker", "rejected by breaker", "", "Calls a circuit breaker rejected on the client (never sent).", |s| Some(s.rejected_by_breaker as f64)),
    ("collateral_rejections", "collateral rejections", "", "Breaker rejections of calls to a service that had no fault at the time: the price of a breaker that guards more than the failing service.", |s| Some(s.collateral_rejections as f64)),
    ("breaker_transitions.opened", "breaker trips", "", "Times a breaker opened (from closed or after a failed trial).", |s| Some(s.breaker_transitions.opened as f64)),
    ("budget_denied_retries", "retries denied", "", "Retries a retry budget refused (or adaptive throttling rejected).", |s| Some(s.budget_denied_retries as f64)),
    ("throttled", "throttled", "", "Attempts adaptive throttling rejected on the client.", |s| Some(s.throttled as f64)),
    ("events", "events", "", "Simulation events processed.", |s| Some(s.events as f64)),
];

/// Metrics that are shown only when some run has them (breakers, budgets).
fn shown(key: &str, runs: &[&Summary]) -> bool {
    let guard = |s: &Summary| match key {
        "rejected_by_breaker" | "collateral_rejections" | "breaker_transitions.opened" => {
            s.rejected_by_breaker > 0 || s.breaker_transitions.opened > 0
        }
        "budget_denied_retries" => s.budget_denied_retries > 0,
        "throttled" => s.throttled > 0,
        _ => true,
    };
    runs.iter().any(|s| guard(s))
}

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
    let runs: Vec<&Summary> = std::iter::once(&p.a).chain(p.b.as_ref()).collect();
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
            <tbody>{ for METRICS.iter().filter(|m| shown(m.0, &runs)).map(row) }</tbody>
        </table>
    }
}

/// One row per service (several services only): attempts, availability, breaker
/// rejections (collateral among them) and recovery, for A (and B).
#[function_component(ServicesTable)]
pub fn services_table(p: &SummaryProps) -> Html {
    let sides: Vec<(&str, &Summary)> = std::iter::once(("A", &p.a))
        .chain(p.b.as_ref().map(|b| ("B", b)))
        .filter(|(_, s)| s.services.len() > 1)
        .collect();
    if sides.is_empty() {
        return html! {};
    }
    let pct = |v: Option<f64>| v.map_or("—".to_string(), |a| format!("{:.2}%", a * 100.0));
    let ms = |v: Option<f64>| v.map_or("—".to_string(), |a| format!("{} ms", sig(a)));
    html! {
        <table id="services" class="summary services" title="Each service: attempts that reached it, the share of its attempts that succeeded, calls to it a breaker rejected (collateral: while it had no fault), and its recovery after its own faults.">
            <thead><tr>
                if p.b.is_some() { <th scope="col">{"run"}</th> }
                <th scope="col">{"service"}</th><th scope="col">{"attempts"}</th><th scope="col">{"availability"}</th>
                <th scope="col">{"rejected by breaker"}</th><th scope="col">{"collateral"}</th><th scope="col">{"recovery"}</th>
            </tr></thead>
            <tbody>
                { for sides.iter().flat_map(|(side, s)| s.services.iter().map(move |x| html! {
                    <tr data-service={x.name.clone()} data-side={side.to_lowercase()}>
                        if p.b.is_some() { <td>{*side}</td> }
                        <th scope="row">{x.name.clone()}</th>
                        <td>{x.attempts}</td>
                        <td data-field="attempt_success_rate">{pct(x.attempt_success_rate)}</td>
                        <td data-field="rejected_by_breaker">{x.rejected_by_breaker}</td>
                        <td data-field="collateral_rejections">{x.collateral_rejections}</td>
                        <td>{ms(x.time_to_recover_ms)}</td>
                    </tr>
                })) }
            </tbody>
        </table>
    }
}
