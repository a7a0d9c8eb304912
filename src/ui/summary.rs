//! The summary table: each metric with a short explanation on hover; with a comparison,
//! columns A, B, B − A and B / A, the difference coloured by whether it is better or worse
//! for that metric.
//!
//! Every row is one [`Row`] in [`ROWS`]: its JSON field, label, [`Quantity`] (how it reads),
//! [`Better`] (which way is good), explanation and value. A new metric is one line there
//! (a per-service one, one line in [`SERVICE_COLUMNS`]).

use std::rc::Rc;

use yew::prelude::*;

use crate::sim::output::summary::ServiceSummary;
use crate::sim::{RunRecord, Summary};
use crate::units::{ratio, Quantity};

/// Which way a metric is good: decides the colour of a B − A difference.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Better {
    /// More is better (succeeded, availability, goodput).
    Higher,
    /// Less is better (failed, peak arrivals, latency, time to recover).
    Lower,
    /// Neither: more or fewer says nothing good or bad by itself (requests, events).
    Neutral,
}

impl Better {
    /// The class of a difference `d` (B − A) that reads as `text`: `better`, `worse`, or
    /// none when it reads as zero or the metric is neutral.
    fn class(self, d: f64, text: &str) -> Option<&'static str> {
        let zero = !text.starts_with(['+', '−']);
        match self {
            _ if zero => None,
            Better::Higher if d > 0.0 => Some("better"),
            Better::Lower if d < 0.0 => Some("better"),
            Better::Neutral => None,
            _ => Some("worse"),
        }
    }

    fn words(self) -> &'static str {
        match self {
            Better::Higher => " Higher is better.",
            Better::Lower => " Lower is better.",
            Better::Neutral => "",
        }
    }
}

/// What an empty value means for a metric.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Blank {
    /// Not measurable, or nothing to measure: `—`.
    Dash,
    /// A recovery: `no fault` when nothing disturbed the run, else `never recovered`.
    Recovery,
    /// A figure after the last fault: `no fault` when nothing disturbed the run, else `—`.
    AfterFault,
    /// Nothing of the kind there: these words (`none in flight`, `unlimited`).
    Words(&'static str),
}

/// One metric of the summary table.
pub struct Row {
    /// The summary's JSON field (the cells' `data-field`).
    pub key: &'static str,
    /// Label.
    pub label: &'static str,
    /// How its figures read.
    pub kind: Quantity,
    /// Which way is good.
    pub better: Better,
    /// What it means (the row's tooltip).
    pub help: &'static str,
    /// Its value in a summary, `None` when it has none.
    pub value: fn(&Summary) -> Option<f64>,
    /// What `None` means.
    pub blank: Blank,
    /// Shown only when some run has it (breakers, budgets); always if `None`.
    pub when: Option<fn(&Summary) -> bool>,
}

impl Row {
    /// A row shown always, whose `None` reads `—`.
    pub const fn new(
        key: &'static str,
        label: &'static str,
        kind: Quantity,
        better: Better,
        help: &'static str,
        value: fn(&Summary) -> Option<f64>,
    ) -> Row {
        Row {
            key,
            label,
            kind,
            better,
            help,
            value,
            blank: Blank::Dash,
            when: None,
        }
    }

    /// The same row, its `None` read as a recovery (`no fault`, `never recovered`).
    pub const fn recovery(mut self) -> Row {
        self.blank = Blank::Recovery;
        self
    }

    /// The same row, its `None` read as `no fault` when nothing disturbed the run.
    pub const fn after_fault(mut self) -> Row {
        self.blank = Blank::AfterFault;
        self
    }

    /// The same row, its `None` read as `words`.
    pub const fn none_reads(mut self, words: &'static str) -> Row {
        self.blank = Blank::Words(words);
        self
    }

    /// The same row, shown only when some run has `when`.
    pub const fn when(mut self, when: fn(&Summary) -> bool) -> Row {
        self.when = Some(when);
        self
    }
}

use Better::{Higher, Lower, Neutral};
use Quantity::{Count, Duration, Multiplier, Rate, Share};

fn n(x: u64) -> Option<f64> {
    Some(x as f64)
}
fn failover(s: &Summary) -> bool {
    s.rpo_ms.is_some() || s.stale_reads > 0
}
fn breakers(s: &Summary) -> bool {
    s.rejected_by_breaker > 0 || s.breaker_transitions.opened > 0
}

/// The rows, in page order.
#[rustfmt::skip]
pub const ROWS: &[Row] = &[
    Row::new("requests", "requests", Count, Neutral, "Logical requests started (each may make several attempts).", |s| n(s.requests)),
    Row::new("succeeded", "succeeded", Count, Higher, "Requests that ended with a success.", |s| n(s.succeeded)),
    Row::new("failed", "failed", Count, Lower, "Requests that gave up (attempts, deadline or a non-retried failure).", |s| n(s.failed)),
    Row::new("in_flight_at_end", "in flight at end", Count, Lower, "Requests still going when the run stopped.", |s| n(s.in_flight_at_end)),
    Row::new("availability", "availability", Share, Higher, "Succeeded / requests; a difference in percentage points (pp).", |s| s.availability),
    Row::new("downtime_ms", "downtime", Duration, Lower, "Time in bad buckets: fewer than half of the attempts that ended in it succeeded, or nothing has ended for longer than the slowest attempt took while requests waited (clients hung, or sleeping between the waves of a herd).", |s| Some(s.downtime_ms)),
    Row::new("uptime", "uptime", Share, Higher, "Good buckets / (good + bad); buckets with nothing in flight are left out.", |s| s.uptime),
    Row::new("goodput_per_s", "goodput", Rate, Higher, "Successful requests per second over the run.", |s| Some(s.goodput_per_s)),
    Row::new("success_latency_ms.p50", "success latency p50", Duration, Lower, "Median end-to-end latency of the requests that succeeded, retries and backoff included.", |s| s.success_latency_ms.p50).none_reads("none succeeded"),
    Row::new("success_latency_ms.p99", "success latency p99", Duration, Lower, "99th percentile of the latency of the requests that succeeded.", |s| s.success_latency_ms.p99).none_reads("none succeeded"),
    Row::new("failure_latency_ms.p50", "failure latency p50", Duration, Neutral, "Median time a failed request took to give up (an instant breaker rejection is fast, not good).", |s| s.failure_latency_ms.p50).none_reads("none failed"),
    Row::new("latency_ms.p99", "latency p99, all", Duration, Neutral, "99th percentile of the latency of every ended request, failures included.", |s| s.latency_ms.p99),
    Row::new("oldest_in_flight_ms", "oldest in flight", Duration, Lower, "Age of the oldest request still waiting when the run stopped: a hung client shows here.", |s| s.oldest_in_flight_ms).none_reads("none in flight"),
    Row::new("attempts", "attempts", Count, Neutral, "Attempts sent: first attempts plus retries.", |s| n(s.attempts)),
    Row::new("amplification", "amplification", Multiplier, Lower, "Attempts per request: how much retries multiply the load.", |s| Some(s.amplification)),
    Row::new("capacity_per_s", "capacity", Rate, Neutral, "What the services can serve: workers × 1000 / mean service time (ms), summed over services.", |s| s.capacity_per_s).none_reads("unlimited"),
    Row::new("peak_after_fault_per_s", "peak after fault", Rate, Lower, "Highest arrival rate in one bucket after the last fault or load spike ends: the herd meeting the returning service.", |s| s.peak_after_fault_per_s).after_fault(),
    Row::new("peak_after_fault_capacity", "peak after fault / capacity", Multiplier, Lower, "The herd after the fault as a multiple of what the services can serve: above 1×, they cannot keep up.", |s| s.peak_after_fault_per_s.zip(s.capacity_per_s).filter(|(_, c)| *c > 0.0).map(|(p, c)| p / c)).after_fault(),
    Row::new("peak_arrivals_per_s", "peak arrivals", Rate, Lower, "Highest rate of attempts arriving in one bucket over the whole run, the outage included (when jittered clients retry sooner).", |s| Some(s.peak_arrivals_per_s)),
    Row::new("time_to_recover_ms", "time to recover", Duration, Lower, "After the last fault or spike ends, time until the success rate is back to 95% of its level before: “no fault” if nothing disturbed the run, “never recovered” if it was not back by the end.", |s| s.time_to_recover_ms).recovery(),
    Row::new("completion_ms", "completion", Duration, Lower, "When the last request ended; — if none did.", |s| s.completion_ms),
    Row::new("wasted_work_ms", "wasted work", Duration, Lower, "Service time spent on attempts whose client had already given up.", |s| Some(s.wasted_work_ms)),
    Row::new("lost_writes", "lost writes", Count, Lower, "Writes answered to the client and then lost when the primary crashed: those the promoted replica had not received yet (asynchronous replication), or made since the last backup (a restore).", |s| n(s.lost_writes)).when(failover),
    Row::new("rpo_ms", "RPO", Duration, Lower, "Recovery point: the time span of the writes lost in a crash, from the oldest lost write to the crash (the longest over the run's crashes).", |s| s.rpo_ms).when(failover),
    Row::new("rto_ms", "RTO", Duration, Lower, "Recovery time: from a crash of the primary to the first successful write after it (the longest over the run's crashes).", |s| s.rto_ms).recovery().when(failover),
    Row::new("stale_reads", "stale reads", Count, Lower, "Reads answered by a replica that had not yet received the reading client's own last write.", |s| n(s.stale_reads)).when(failover),
    Row::new("rejected_by_breaker", "rejected by breaker", Count, Neutral, "Calls a circuit breaker rejected on the client (never sent).", |s| n(s.rejected_by_breaker)).when(breakers),
    Row::new("collateral_rejections", "collateral rejections", Count, Lower, "Breaker rejections of calls to a service that had no fault at the time: the price of a breaker that guards more than the failing service.", |s| n(s.collateral_rejections)).when(breakers),
    Row::new("breaker_transitions.opened", "breaker trips", Count, Neutral, "Times a breaker opened (from closed or after a failed trial).", |s| n(s.breaker_transitions.opened)).when(breakers),
    Row::new("budget_denied_retries", "retries denied", Count, Neutral, "Retries a retry budget refused (or adaptive throttling rejected).", |s| n(s.budget_denied_retries)).when(|s| s.budget_denied_retries > 0),
    Row::new("throttled", "throttled", Count, Neutral, "Attempts adaptive throttling rejected on the client.", |s| n(s.throttled)).when(|s| s.throttled > 0),
    Row::new("events", "events", Count, Neutral, "Simulation events processed.", |s| n(s.events)),
];

/// A run as the tables show it: its summary, and whether anything disturbed it (for the
/// words of a recovery that has no figure).
#[derive(Clone, Debug, PartialEq)]
pub struct Shown {
    /// The summary.
    pub summary: Summary,
    /// The scenario has a fault or a load spike.
    pub disturbed: bool,
    /// Each service has a fault of its own or there is a load spike, in order.
    pub services_disturbed: Vec<bool>,
}

impl Shown {
    /// What the tables need of `r`.
    pub fn of(r: &Rc<RunRecord>) -> Shown {
        let spiked = r.scenario.spikes().next().is_some();
        Shown {
            summary: r.summary.clone(),
            disturbed: !r.disturbances().is_empty(),
            services_disturbed: r
                .scenario
                .services()
                .iter()
                .map(|s| spiked || !s.faults.is_empty())
                .collect(),
        }
    }
}

/// A value in words: its figure, or what its absence means.
fn cell(v: Option<f64>, kind: Quantity, blank: Blank, disturbed: bool) -> String {
    match (v, blank) {
        (Some(x), _) => kind.show(x),
        (None, Blank::Recovery) if !disturbed => "no fault".into(),
        (None, Blank::Recovery) => "never recovered".into(),
        (None, Blank::AfterFault) if !disturbed => "no fault".into(),
        (None, Blank::Dash | Blank::AfterFault) => "—".into(),
        (None, Blank::Words(w)) => w.into(),
    }
}

/// Props: the runs to show.
#[derive(Properties, PartialEq)]
pub struct SummaryProps {
    /// Scenario A's run.
    pub a: Shown,
    /// Scenario B's, when comparing.
    #[prop_or_default]
    pub b: Option<Shown>,
}

/// Key figures of a run, or of two.
#[function_component(SummaryTable)]
pub fn summary_table(p: &SummaryProps) -> Html {
    let runs: Vec<&Summary> = std::iter::once(&p.a.summary)
        .chain(p.b.as_ref().map(|b| &b.summary))
        .collect();
    let row = |m: &Row| {
        let at = |r: &Shown| (m.value)(&r.summary);
        let a = at(&p.a);
        let show = |r: &Shown| cell(at(r), m.kind, m.blank, r.disturbed);
        let cells = match &p.b {
            None => html! { <td data-field={m.key}>{show(&p.a)}</td> },
            Some(b_run) => {
                let b = at(b_run);
                let delta = a.zip(b).map(|(a, b)| b - a);
                let text = delta.map_or("—".into(), |d| m.kind.delta(d));
                let class = delta.and_then(|d| m.better.class(d, &text));
                let verdict = match class {
                    Some("better") => "better for this metric",
                    Some(_) => "worse for this metric",
                    None => "",
                };
                let r = a.zip(b).filter(|(a, _)| *a != 0.0).map(|(a, b)| b / a);
                html! {
                    <>
                        <td data-field={m.key} data-side="a">{show(&p.a)}</td>
                        <td data-field={m.key} data-side="b">{show(b_run)}</td>
                        <td data-field={m.key} data-side="delta" class={classes!(class)} title={verdict}>{text}</td>
                        <td data-field={m.key} data-side="ratio">{r.map_or("—".into(), ratio)}</td>
                    </>
                }
            }
        };
        let help = format!("{}{}", m.help, m.better.words());
        html! { <tr title={help}><th scope="row">{m.label}</th>{cells}</tr> }
    };
    let shown = |m: &&Row| m.when.is_none_or(|f| runs.iter().any(|s| f(s)));
    html! {
        <>
            <table id="summary" class={classes!("summary", p.b.is_none().then_some("single"))}>
                if p.b.is_some() {
                    <thead><tr><th></th><th scope="col">{"A"}</th><th scope="col">{"B"}</th><th scope="col">{"B − A"}</th><th scope="col">{"B / A"}</th></tr></thead>
                }
                <tbody>{ for ROWS.iter().filter(shown).map(row) }</tbody>
            </table>
            if p.b.is_some() {
                <p class="hint legend" id="delta-legend">
                    {"B − A in "}<span class="better">{"green"}</span>{" is better for that metric, in "}
                    <span class="worse">{"red"}</span>{" worse (fewer failed requests is better, a higher peak is worse); uncoloured says neither; “—”: not measurable."}
                </p>
            }
        </>
    }
}

/// One column of the per-service table: its JSON field, header, kind, value and what
/// `None` means. A new per-service figure is one line in [`SERVICE_COLUMNS`].
pub struct Column {
    /// The service summary's JSON field (the cells' `data-field`).
    pub key: &'static str,
    /// Header.
    pub label: &'static str,
    /// How its figures read.
    pub kind: Quantity,
    /// Its value for a service.
    pub value: fn(&ServiceSummary) -> Option<f64>,
    /// What `None` means.
    pub blank: Blank,
    /// Failover figures: shown only when some service had a crash or a stale read.
    pub failover: bool,
}

/// The per-service columns, in page order.
#[rustfmt::skip]
pub const SERVICE_COLUMNS: &[Column] = &[
    Column { key: "attempts", label: "attempts", kind: Count, value: |x| n(x.attempts), blank: Blank::Dash, failover: false },
    Column { key: "attempt_success_rate", label: "attempt success", kind: Share, value: |x| x.attempt_success_rate, blank: Blank::Dash, failover: false },
    Column { key: "request_availability", label: "request availability", kind: Share, value: |x| x.request_availability, blank: Blank::Dash, failover: false },
    Column { key: "capacity_per_s", label: "capacity", kind: Rate, value: |x| x.capacity_per_s, blank: Blank::Words("unlimited"), failover: false },
    Column { key: "peak_after_fault_per_s", label: "peak after fault", kind: Rate, value: |x| x.peak_after_fault_per_s, blank: Blank::AfterFault, failover: false },
    Column { key: "rejected_by_breaker", label: "rejected by breaker", kind: Count, value: |x| n(x.rejected_by_breaker), blank: Blank::Dash, failover: false },
    Column { key: "collateral_rejections", label: "collateral", kind: Count, value: |x| n(x.collateral_rejections), blank: Blank::Dash, failover: false },
    Column { key: "time_to_recover_ms", label: "recovery", kind: Duration, value: |x| x.time_to_recover_ms, blank: Blank::Recovery, failover: false },
    Column { key: "lost_writes", label: "lost writes", kind: Count, value: |x| n(x.lost_writes), blank: Blank::Dash, failover: true },
    Column { key: "rpo_ms", label: "RPO", kind: Duration, value: |x| x.rpo_ms, blank: Blank::Words("no crash"), failover: true },
    Column { key: "rto_ms", label: "RTO", kind: Duration, value: |x| x.rto_ms, blank: Blank::Words("no crash or none after"), failover: true },
    Column { key: "stale_reads", label: "stale reads", kind: Count, value: |x| n(x.stale_reads), blank: Blank::Dash, failover: true },
];

/// One row per service (several services only): attempts, their success rate, breaker
/// rejections (collateral among them) and recovery, for A (and B).
#[function_component(ServicesTable)]
pub fn services_table(p: &SummaryProps) -> Html {
    let sides: Vec<(&str, &Shown)> = std::iter::once(("A", &p.a))
        .chain(p.b.as_ref().map(|b| ("B", b)))
        .filter(|(_, s)| s.summary.services.len() > 1)
        .collect();
    if sides.is_empty() {
        return html! {};
    }
    let crashed = sides.iter().any(|(_, s)| {
        s.summary
            .services
            .iter()
            .any(|x| x.rpo_ms.is_some() || x.stale_reads > 0)
    });
    let columns: Vec<&Column> = SERVICE_COLUMNS
        .iter()
        .filter(|c| crashed || !c.failover)
        .collect();
    let columns = &columns;
    html! {
        <table id="services" class="summary services" title="Each service: attempts that reached it, the share of its attempts that succeeded, the share of calls to it (a first attempt and its retries) that succeeded, what it can serve, the highest arrival rate after its last fault, calls to it a breaker rejected (collateral: while it had no fault), and its recovery after its own faults (“no fault” if it had none).">
            <thead><tr>
                if p.b.is_some() { <th scope="col">{"run"}</th> }
                <th scope="col">{"service"}</th>
                { for columns.iter().map(|c| html! { <th scope="col">{c.label}</th> }) }
            </tr></thead>
            <tbody>
                { for sides.iter().flat_map(|(side, s)| s.summary.services.iter().enumerate().map(move |(i, x)| {
                    let disturbed = s.services_disturbed.get(i).copied().unwrap_or(true);
                    html! {
                        <tr data-service={x.name.clone()} data-side={side.to_lowercase()}>
                            if p.b.is_some() { <td>{*side}</td> }
                            <th scope="row">{x.name.clone()}</th>
                            { for columns.iter().map(|c| html! {
                                <td data-field={c.key}>{cell((c.value)(x), c.kind, c.blank, disturbed)}</td>
                            }) }
                        </tr>
                    }
                })) }
            </tbody>
        </table>
    }
}
