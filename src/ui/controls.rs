//! The control panel, grouped as the model is: Clients, Service, Faults, Client policy.
//! Every control edits one field of the scenario by its JSON path; each shows its unit,
//! its allowed range and a tooltip saying what it means and what it is called in common
//! libraries.

use serde_json::Value;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::sim::edit::{get, Edit};
use crate::sim::ScenarioConfig;

/// A numeric field.
struct Num {
    path: &'static str,
    label: &'static str,
    unit: &'static str,
    min: f64,
    max: f64,
    /// Slider range (the box accepts the whole allowed range).
    slider: (f64, f64),
    step: f64,
    /// The field may be `null`: the checkbox label ("none", "unlimited") and the value
    /// restored when it is unticked.
    null: Option<(&'static str, f64)>,
    help: &'static str,
}

const CLIENTS: &[Num] = &[
    Num { path: "clients.count", label: "clients", unit: "", min: 1.0, max: 1e6, slider: (1.0, 20_000.0), step: 1.0, null: None,
        help: "Number of independent clients, each with its own random stream." },
    Num { path: "clients.start_spread_ms", label: "start spread", unit: "ms", min: 0.0, max: 1e9, slider: (0.0, 10_000.0), step: 10.0, null: None,
        help: "First requests start at a uniform random time in [0, spread] (after the burst time); not used by Poisson arrivals." },
    Num { path: "duration_ms", label: "duration", unit: "ms", min: 1.0, max: 86_400_000.0, slider: (1000.0, 300_000.0), step: 1000.0, null: None,
        help: "Simulated time to run. No request starts after it." },
    Num { path: "seed", label: "seed", unit: "", min: 0.0, max: 9e15, slider: (0.0, 100.0), step: 1.0, null: None,
        help: "Seed of every random stream: the same seed gives the same run, here and in the CLI." },
];

const SERVICE: &[Num] = &[
    Num { path: "service.workers", label: "workers", unit: "", min: 1.0, max: 1e6, slider: (1.0, 64.0), step: 1.0, null: Some(("unlimited", 8.0)),
        help: "Attempts served at once (server concurrency, thread pool size)." },
    Num { path: "service.queue_capacity", label: "queue capacity", unit: "", min: 0.0, max: 1e7, slider: (0.0, 5000.0), step: 10.0, null: Some(("unbounded", 100.0)),
        help: "Attempts that may wait for a worker; a full queue rejects at once (HTTP 503 / gRPC RESOURCE_EXHAUSTED)." },
    Num { path: "service.load_factor", label: "load factor k", unit: "", min: 0.0, max: 100.0, slider: (0.0, 0.2), step: 0.005, null: None,
        help: "Service time × (1 + k · attempts already in service): latency grows with load." },
];

const POLICY: &[Num] = &[
    Num { path: "policy.timeout_ms", label: "timeout", unit: "ms", min: 0.001, max: 86_400_000.0, slider: (10.0, 10_000.0), step: 10.0, null: Some(("none", 1000.0)),
        help: "Per-attempt timeout. gRPC: per-attempt deadline; AWS SDK: attempt timeout; Polly: TimeoutStrategyOptions.Timeout; Go: http.Client.Timeout." },
    Num { path: "policy.deadline_ms", label: "deadline", unit: "ms", min: 0.001, max: 86_400_000.0, slider: (100.0, 120_000.0), step: 100.0, null: Some(("none", 10_000.0)),
        help: "Overall time per request, retries and backoff included. cenkalti/backoff MaxElapsedTime; tenacity stop_after_delay; gRPC call deadline." },
    Num { path: "policy.max_attempts", label: "max attempts", unit: "", min: 1.0, max: 1e6, slider: (1.0, 15.0), step: 1.0, null: Some(("unlimited", 3.0)),
        help: "Attempts per request, the first included. tenacity stop_after_attempt(n); gRPC maxAttempts; AWS SDK max_attempts (3); urllib3 Retry(total=n−1); cenkalti WithMaxRetries(n−1)." },
    Num { path: "policy.backoff.base_ms", label: "base delay", unit: "ms", min: 0.0, max: 86_400_000.0, slider: (0.0, 2000.0), step: 5.0, null: None,
        help: "First retry delay. cenkalti/backoff InitialInterval (500 ms); tenacity wait_exponential multiplier; gRPC initialBackoff; Polly Delay; AWS SDK base (50 ms in the 2026 update)." },
    Num { path: "policy.backoff.multiplier", label: "multiplier", unit: "×", min: 1.0, max: 100.0, slider: (1.0, 4.0), step: 0.1, null: None,
        help: "Growth of the exponential schedule: base · multiplier^(n−1). cenkalti/backoff Multiplier (1.5); gRPC backoffMultiplier; tenacity exp_base (2)." },
    Num { path: "policy.backoff.cap_ms", label: "cap", unit: "ms", min: 0.0, max: 86_400_000.0, slider: (0.0, 60_000.0), step: 100.0, null: None,
        help: "Largest delay. cenkalti/backoff MaxInterval (60 s); gRPC maxBackoff; tenacity wait max; Polly MaxDelay; AWS SDK max backoff (20 s)." },
];

/// Tagged types and their starting values when picked.
const ARRIVALS: &[(&str, &str)] = &[
    ("poisson", r#"{"type":"poisson","rate_per_s":1}"#),
    ("interval", r#"{"type":"interval","every_ms":1000}"#),
    ("burst", r#"{"type":"burst","at_ms":0}"#),
    (
        "closed_loop",
        r#"{"type":"closed_loop","think":{"type":"constant","ms":0}}"#,
    ),
];
const DISTS: &[(&str, &str)] = &[
    ("constant", r#"{"type":"constant","ms":10}"#),
    ("uniform", r#"{"type":"uniform","min_ms":5,"max_ms":15}"#),
    ("exponential", r#"{"type":"exponential","mean_ms":10}"#),
    (
        "lognormal",
        r#"{"type":"lognormal","mean_ms":10,"p99_ms":50}"#,
    ),
    ("normal", r#"{"type":"normal","mean_ms":10,"sd_ms":2}"#),
];
const JITTERS: &[(&str, &str)] = &[
    ("none", r#"{"type":"none"}"#),
    ("full", r#"{"type":"full"}"#),
    ("equal", r#"{"type":"equal"}"#),
    ("decorrelated", r#"{"type":"decorrelated"}"#),
    ("proportional", r#"{"type":"proportional","factor":0.5}"#),
];
const FAULTS: &[(&str, &str)] = &[
    ("down", r#"{"type":"down"}"#),
    ("blackhole", r#"{"type":"blackhole"}"#),
    ("error_rate", r#"{"type":"error_rate","rate":0.5}"#),
    ("slow", r#"{"type":"slow","multiplier":3}"#),
    ("capacity", r#"{"type":"capacity","lost":0.5}"#),
];

/// Props of the panel.
#[derive(Properties, PartialEq)]
pub struct ControlsProps {
    /// The scenario edited.
    pub config: ScenarioConfig,
    /// Which side ("A" or "B"), for labels.
    pub side: &'static str,
    /// The last refused edit.
    pub error: Option<String>,
    /// Edits.
    pub on_edit: Callback<Edit>,
}

/// The control panel.
#[function_component(Controls)]
pub fn controls(p: &ControlsProps) -> Html {
    let doc = serde_json::to_value(&p.config).unwrap_or(Value::Null);
    let e = &p.on_edit;
    let nums = |fields: &[Num]| fields.iter().map(|f| number(f, &doc, e)).collect::<Html>();
    html! {
        <section class="controls" aria-label={format!("Controls of scenario {}", p.side)}>
            if let Some(err) = &p.error {
                <p class="error" role="alert" id="edit-error">{err}</p>
            }
            <fieldset><legend>{"Clients"}</legend>
                { tagged("clients.arrival", "arrivals", ARRIVALS, &doc, e,
                    "How each client sends requests: Poisson (open loop, rate per client), fixed interval, one burst at a time, or closed loop (next request after the previous one ends, plus think time).") }
                { nums(CLIENTS) }
            </fieldset>
            <fieldset><legend>{"Service"}</legend>
                { nums(SERVICE) }
                { choice("service.queue", "queue order", &["fifo", "lifo"], &doc, e, "Which waiting attempt a free worker takes: oldest (FIFO) or newest (LIFO, which keeps fresh requests inside their timeout under overload).") }
                { tagged("service.service_time", "service time", DISTS, &doc, e, "Work per attempt. Lognormal is given by its mean and 99th percentile.") }
                { tagged("service.network_delay", "network delay", DISTS, &doc, e, "One-way delay of each message (request and response each draw one).") }
                { choice("service.abandoned", "abandoned work", &["keep", "drop"], &doc, e, "What the server does with an attempt whose client already gave up: keep working on it (wasted work) or drop it before starting (deadline propagation).") }
            </fieldset>
            <fieldset><legend>{"Faults"}</legend>
                { faults(&p.config, &doc, e) }
            </fieldset>
            <fieldset><legend>{"Client policy"}</legend>
                { nums(&POLICY[..3]) }
                { retry_on(&doc, e) }
                { choice("policy.backoff.type", "backoff", &["none", "constant", "linear", "exponential"], &doc, e,
                    "Delay schedule before retry n: none (retry at once), constant (base), linear (base · n), exponential (base · multiplier^(n−1)), always capped.") }
                { nums(&POLICY[3..]) }
                { tagged("policy.jitter", "jitter", JITTERS, &doc, e,
                    "Randomisation of each delay d. full: U(0, d) (AWS Full Jitter, tenacity wait_random_exponential); equal: d/2 + U(0, d/2); decorrelated: min(cap, U(base, 3 · previous)) (AWS Decorrelated Jitter); proportional: d · U(1 − r, 1 + r) (cenkalti/backoff RandomizationFactor 0.5, gRPC ±0.2).") }
            </fieldset>
        </section>
    }
}

fn fmt(v: f64) -> String {
    crate::sim::validate::fmt_num(v)
}

/// A bound as a short label (`1M`, `86.4M`).
fn short(v: f64) -> String {
    crate::charts::style::num(v)
}

fn id(path: &str) -> String {
    format!("f-{}", path.replace('.', "-"))
}

fn number(f: &Num, doc: &Value, e: &Callback<Edit>) -> Html {
    number_at(f.path, f, doc, e)
}

/// A numeric control at `path` (which may differ from `f.path` inside lists).
fn number_at(path: &str, f: &Num, doc: &Value, e: &Callback<Edit>) -> Html {
    let v = get(doc, path);
    let is_null = v.is_null() && f.null.is_some();
    let value = v.as_f64().unwrap_or(0.0);
    let set = |path: String| {
        let e = e.clone();
        Callback::from(move |ev: InputEvent| {
            let el: HtmlInputElement = ev.target_unchecked_into();
            if !el.value().is_empty() {
                e.emit(Edit::Set(path.clone(), el.value()));
            }
        })
    };
    let on_change = {
        let (e, path) = (e.clone(), path.to_string());
        Callback::from(move |ev: Event| {
            let el: HtmlInputElement = ev.target_unchecked_into();
            e.emit(Edit::Set(
                path.clone(),
                if el.value().is_empty() {
                    "null".into()
                } else {
                    el.value()
                },
            ));
        })
    };
    let range = format!(
        "{} … {}{}",
        short(f.min),
        short(f.max),
        if f.unit.is_empty() {
            String::new()
        } else {
            format!(" {}", f.unit)
        }
    );
    let tip = format!(
        "{} Allowed: {range}{}.",
        f.help,
        f.null.map_or(String::new(), |(n, _)| format!(", or {n}"))
    );
    let fid = id(path);
    html! {
        <div class="field" title={tip.clone()}>
            <label for={fid.clone()}>{f.label}{ if f.unit.is_empty() { html!{} } else { html!{ <span class="unit">{format!(" ({})", f.unit)}</span> } } }</label>
            <input type="range" aria-label={format!("{} slider", f.label)} min={f.slider.0.to_string()} max={f.slider.1.to_string()} step={f.step.to_string()}
                value={value.to_string()} disabled={is_null} oninput={set(path.to_string())} data-path={path.to_string()} />
            <input type="number" id={fid} min={f.min.to_string()} max={f.max.to_string()} step="any" value={if is_null { String::new() } else { fmt(value) }}
                disabled={is_null} onchange={on_change} aria-describedby={format!("{}-range", id(path))} />
            if let Some((label, restore)) = f.null {
                <label class="null"><input type="checkbox" checked={is_null} onchange={{
                    let (e, path) = (e.clone(), path.to_string());
                    Callback::from(move |ev: Event| {
                        let el: HtmlInputElement = ev.target_unchecked_into();
                        e.emit(Edit::Set(path.clone(), if el.checked() { "null".into() } else { fmt(restore) }));
                    })
                }} />{label}</label>
            }
            <span class="range" id={format!("{}-range", id(path))}>{range}</span>
        </div>
    }
}

/// A select that sets a plain string field.
fn choice(
    path: &'static str,
    label: &str,
    options: &[&'static str],
    doc: &Value,
    e: &Callback<Edit>,
    help: &str,
) -> Html {
    let current = get(doc, path).as_str().unwrap_or_default().to_string();
    let on_change = {
        let e = e.clone();
        Callback::from(move |ev: Event| {
            let el: web_sys::HtmlSelectElement = ev.target_unchecked_into();
            e.emit(Edit::Set(path.into(), format!("\"{}\"", el.value())));
        })
    };
    html! {
        <div class="field" title={help.to_string()}>
            <label for={id(path)}>{label}</label>
            <select id={id(path)} onchange={on_change}>
                { for options.iter().map(|o| html! { <option value={*o} selected={*o == current}>{*o}</option> }) }
            </select>
        </div>
    }
}

/// A tagged object (distribution, arrivals, jitter): a type select, then a number box for
/// each numeric parameter of the current type.
fn tagged(
    path: &str,
    label: &str,
    kinds: &[(&'static str, &'static str)],
    doc: &Value,
    e: &Callback<Edit>,
    help: &'static str,
) -> Html {
    let obj = get(doc, path);
    let current = obj
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let on_change = {
        let (e, path, old) = (e.clone(), path.to_string(), obj.clone());
        let kinds: Vec<(String, String)> = kinds
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        Callback::from(move |ev: Event| {
            let el: web_sys::HtmlSelectElement = ev.target_unchecked_into();
            if let Some((_, init)) = kinds.iter().find(|(k, _)| *k == el.value()) {
                let mut v: Value = serde_json::from_str(init).unwrap_or(Value::Null);
                // a fault keeps its window when its type changes
                if let Some(m) = v.as_object_mut() {
                    for key in ["start_ms", "end_ms"] {
                        if let Some(x) = old.get(key) {
                            m.insert(key.into(), x.clone());
                        }
                    }
                    e.emit(Edit::Replace(path.clone(), v));
                }
            }
        })
    };
    let params: Vec<(String, f64)> = obj
        .as_object()
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| v.as_f64().map(|x| (k.clone(), x)))
                .collect()
        })
        .unwrap_or_default();
    html! {
        <div class="tagged" title={help.to_string()}>
            <div class="field">
                <label for={id(path)}>{label}</label>
                <select id={id(path)} onchange={on_change}>
                    { for kinds.iter().map(|(k, _)| html! { <option value={*k} selected={*k == current}>{*k}</option> }) }
                </select>
            </div>
            { for params.into_iter().filter(|(k, _)| k != "start_ms" && k != "end_ms").map(|(k, _)| {
                let f = Num { path: "", label: param_label(&k), unit: param_unit(&k), min: 0.0, max: 1e9,
                    slider: param_slider(&k), step: 0.01, null: None, help };
                number_at(&format!("{path}.{k}"), &f, doc, e)
            }) }
        </div>
    }
}

fn param_label(k: &str) -> &'static str {
    match k {
        "rate_per_s" => "rate per client",
        "every_ms" => "every",
        "at_ms" => "at",
        "ms" => "value",
        "min_ms" => "min",
        "max_ms" => "max",
        "mean_ms" => "mean",
        "p99_ms" => "p99",
        "sd_ms" => "sd",
        "factor" => "factor r",
        "rate" => "error rate",
        "multiplier" => "latency ×",
        "lost" => "workers lost",
        _ => "value",
    }
}

fn param_unit(k: &str) -> &'static str {
    match k {
        "rate_per_s" => "/s",
        k if k.ends_with("_ms") || k == "ms" => "ms",
        _ => "",
    }
}

fn param_slider(k: &str) -> (f64, f64) {
    match k {
        "rate_per_s" => (0.0, 10.0),
        "factor" | "rate" | "lost" => (0.0, 1.0),
        "multiplier" => (1.0, 20.0),
        _ => (0.0, 1000.0),
    }
}

fn retry_on(doc: &Value, e: &Callback<Edit>) -> Html {
    let boxes = ["timeout", "error", "rejected", "refused"].map(|k| {
        let path = format!("policy.retry_on.{k}");
        let checked = get(doc, &path).as_bool().unwrap_or(false);
        let e = e.clone();
        let on = Callback::from(move |ev: Event| {
            let el: HtmlInputElement = ev.target_unchecked_into();
            e.emit(Edit::Set(path.clone(), el.checked().to_string()));
        });
        html! { <label><input type="checkbox" checked={checked} onchange={on} />{k}</label> }
    });
    html! {
        <div class="field retry-on" title="Which failed outcomes are retried. gRPC retryableStatusCodes; urllib3 Retry(status_forcelist, connect, read); tenacity retry_if_exception_type.">
            <span class="label">{"retry on"}</span>{ for boxes }
        </div>
    }
}

fn faults(cfg: &ScenarioConfig, doc: &Value, e: &Callback<Edit>) -> Html {
    let dur = cfg.duration_ms.max(1.0);
    let add = {
        let e = e.clone();
        Callback::from(move |_| e.emit(Edit::AddFault))
    };
    let window = |path: String, key: &'static str, label: &'static str| {
        Num {
            path: "",
            label,
            unit: "ms",
            min: 0.0,
            max: 86_400_000.0,
            slider: (0.0, dur),
            step: 100.0,
            null: None,
            help: if key == "start_ms" {
                "Start of the window."
            } else {
                "End of the window (exclusive)."
            },
        }
        .render(&format!("{path}.{key}"), doc, e)
    };
    html! {
        <>
            <div class="timeline" aria-hidden="true">
                { for cfg.faults.iter().map(|f| {
                    let (a, b) = f.window();
                    let style = format!("left:{:.2}%;width:{:.2}%", 100.0 * a / dur, (100.0 * (b.min(dur) - a) / dur).max(0.5));
                    html! { <span class="window" style={style}></span> }
                }) }
            </div>
            { for (0..cfg.faults.len()).map(|i| {
                let path = format!("faults.{i}");
                let remove = { let e = e.clone(); Callback::from(move |_| e.emit(Edit::RemoveFault(i))) };
                html! {
                    <div class="fault">
                        { tagged(&path, &format!("fault {}", i + 1), FAULTS, doc, e,
                            "down: connection refused (fails fast); blackhole: no response ever; error_rate: a fraction of attempts fail; slow: service time × multiplier; capacity: a fraction of workers lost.") }
                        { window(path.clone(), "start_ms", "start") }
                        { window(path.clone(), "end_ms", "end") }
                        <button class="remove" onclick={remove} aria-label={format!("Remove fault {}", i + 1)}>{"Remove"}</button>
                    </div>
                }
            }) }
            <button id="add-fault" onclick={add}>{"Add fault window"}</button>
        </>
    }
}

impl Num {
    fn render(&self, path: &str, doc: &Value, e: &Callback<Edit>) -> Html {
        number_at(path, self, doc, e)
    }
}
