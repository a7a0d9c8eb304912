//! The widgets every control is made of: a number with slider, box and range; a select of
//! a string field; a tagged object (type select plus its numeric parameters); checkboxes.

use serde_json::Value;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::sim::edit::{get, Edit};

/// A numeric field.
pub(super) struct Num {
    pub path: &'static str,
    pub label: &'static str,
    pub unit: &'static str,
    pub min: f64,
    pub max: f64,
    /// Slider range (the box accepts the whole allowed range).
    pub slider: (f64, f64),
    pub step: f64,
    /// The field may be `null`: the checkbox label ("none", "unlimited") and the value
    /// restored when it is unticked.
    pub null: Option<(&'static str, f64)>,
    pub help: &'static str,
}

pub(super) fn fmt(v: f64) -> String {
    crate::sim::validate::fmt_num(v)
}

/// A bound as a short label (`1M`, `86.4M`).
pub(super) fn short(v: f64) -> String {
    crate::charts::style::num(v)
}

pub(super) fn id(path: &str) -> String {
    format!("f-{}", path.replace('.', "-"))
}

pub(super) fn number(f: &Num, doc: &Value, e: &Callback<Edit>) -> Html {
    number_at(f.path, f, doc, e)
}

/// A numeric control at `path` (which may differ from `f.path` inside lists).
pub(super) fn number_at(path: &str, f: &Num, doc: &Value, e: &Callback<Edit>) -> Html {
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

/// A select that sets a plain string field (the first option when the field is absent).
pub(super) fn choice(
    path: &str,
    label: &str,
    options: &[&'static str],
    doc: &Value,
    e: &Callback<Edit>,
    help: &str,
) -> Html {
    // a field left out (a default not written) shows the first option
    let current = get(doc, path)
        .as_str()
        .filter(|v| options.contains(v))
        .unwrap_or(options.first().copied().unwrap_or_default())
        .to_string();
    let on_change = {
        let (e, path) = (e.clone(), path.to_string());
        Callback::from(move |ev: Event| {
            let el: web_sys::HtmlSelectElement = ev.target_unchecked_into();
            e.emit(Edit::Set(path.clone(), format!("\"{}\"", el.value())));
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
pub(super) fn tagged(
    path: &str,
    label: &str,
    kinds: &[(&'static str, &'static str)],
    doc: &Value,
    e: &Callback<Edit>,
    help: &'static str,
) -> Html {
    tagged_with(path, label, kinds, doc, e, help, true)
}

/// A tagged object's type select, and with `params_too` a number box for each numeric
/// parameter of the current type (without: the caller lays its fields out).
pub(super) fn tagged_with(
    path: &str,
    label: &str,
    kinds: &[(&'static str, &'static str)],
    doc: &Value,
    e: &Callback<Edit>,
    help: &'static str,
    params_too: bool,
) -> Html {
    let obj = get(doc, path);
    let current = obj
        .get("type")
        .and_then(Value::as_str)
        .filter(|v| kinds.iter().any(|(k, _)| k == v))
        .or(kinds.first().map(|k| k.0))
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
                // a fault keeps its window and a budget its scope when the type changes
                if let Some(m) = v.as_object_mut() {
                    if m.len() > 1 || m.get("type").and_then(Value::as_str) != Some("none") {
                        for key in ["start_ms", "end_ms", "scope"] {
                            if let Some(x) = old.get(key) {
                                m.insert(key.into(), x.clone());
                            }
                        }
                    }
                    e.emit(Edit::Replace(path.clone(), v));
                }
            }
        })
    };
    let params: Vec<(String, f64)> = obj
        .as_object()
        .filter(|_| params_too)
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
                let (min, max, slider) = param_bounds(&k);
                let f = Num { path: "", label: param_label(path, &k), unit: param_unit(&k), min, max,
                    slider, step: 0.01, null: None, help };
                number_at(&format!("{path}.{k}"), &f, doc, e)
            }) }
        </div>
    }
}

fn param_label(path: &str, k: &str) -> &'static str {
    match k {
        "ms" if path.ends_with("window") => "length",
        "calls" => "calls",
        "buckets" => "buckets",
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
        "min" => "min factor",
        "max" => "max factor",
        "max_tokens" => "max tokens",
        "token_ratio" => "token ratio",
        "capacity" => "capacity",
        "retry_cost" => "retry cost",
        "timeout_cost" => "timeout cost",
        "throttling_cost" => "throttling cost",
        "success_refund" => "refund",
        "percent" => "retry %",
        "min_per_s" => "min retries",
        "ttl_ms" => "ttl",
        "k" => "K",
        "window_ms" => "window",
        _ => "value",
    }
}

fn param_unit(k: &str) -> &'static str {
    match k {
        "rate_per_s" | "min_per_s" => "/s",
        "percent" => "%",
        k if k.ends_with("_ms") || k == "ms" => "ms",
        _ => "",
    }
}

/// Allowed range (as validation checks it) and slider range of a parameter.
fn param_bounds(k: &str) -> (f64, f64, (f64, f64)) {
    use crate::sim::validate::{MAX_DELAY_MS, MAX_DURATION_MS};
    match k {
        "rate_per_s" => (0.0, 10_000.0, (0.0, 10.0)),
        "factor" | "rate" | "lost" => (0.0, 1.0, (0.0, 1.0)),
        "multiplier" => (0.01, 1000.0, (1.0, 20.0)),
        "every_ms" => (0.001, MAX_DURATION_MS, (10.0, 10_000.0)),
        "at_ms" => (0.0, MAX_DURATION_MS, (0.0, 60_000.0)),
        "min" | "max" => (0.0, 10.0, (0.0, 2.0)),
        "max_tokens" => (1.0, 1000.0, (1.0, 100.0)),
        "token_ratio" => (0.001, 1.0, (0.0, 1.0)),
        "capacity" => (0.0, 1e6, (0.0, 1000.0)),
        "retry_cost" | "timeout_cost" | "throttling_cost" => (0.0, 255.0, (0.0, 20.0)),
        "success_refund" => (0.0, 1e6, (0.0, 10.0)),
        "percent" => (0.0, 1000.0, (0.0, 100.0)),
        "min_per_s" => (0.0, 1e6, (0.0, 100.0)),
        "ttl_ms" => (1000.0, 60_000.0, (1000.0, 60_000.0)),
        "calls" => (1.0, 10_000.0, (1.0, 500.0)),
        "buckets" => (1.0, 1000.0, (1.0, 60.0)),
        "k" => (1.0, 100.0, (1.0, 4.0)),
        "window_ms" => (10.0, MAX_DELAY_MS, (1000.0, 300_000.0)),
        _ => (0.0, MAX_DELAY_MS, (0.0, 1000.0)),
    }
}

/// Checkboxes for the boolean fields `keys` of the object at `path`.
pub(super) fn checks(
    path: &str,
    keys: &[&str],
    label: &str,
    doc: &Value,
    e: &Callback<Edit>,
    help: &str,
) -> Html {
    let boxes = keys.iter().map(|k| {
        let p = format!("{path}.{k}");
        let checked = get(doc, &p).as_bool().unwrap_or(false);
        let e = e.clone();
        let pid = id(&p);
        let on = Callback::from(move |ev: Event| {
            let el: HtmlInputElement = ev.target_unchecked_into();
            e.emit(Edit::Set(p.clone(), el.checked().to_string()));
        });
        html! { <label><input type="checkbox" id={pid} checked={checked} onchange={on} />{k.replace('_', " ")}</label> }
    });
    html! {
        <div class="field checks" title={help.to_string()}>
            <span class="label">{label}</span>{ for boxes }
        </div>
    }
}

/// A text field (a name).
pub(super) fn text(path: &str, label: &str, doc: &Value, e: &Callback<Edit>, help: &str) -> Html {
    let value = get(doc, path).as_str().unwrap_or_default().to_string();
    let on_change = {
        let (e, path) = (e.clone(), path.to_string());
        Callback::from(move |ev: Event| {
            let el: HtmlInputElement = ev.target_unchecked_into();
            let json = serde_json::to_string(&el.value()).unwrap_or_default();
            e.emit(Edit::Set(path.clone(), json));
        })
    };
    html! {
        <div class="field" title={help.to_string()}>
            <label for={id(path)}>{label}</label>
            <input type="text" id={id(path)} value={value} onchange={on_change} maxlength="32" />
        </div>
    }
}

impl Num {
    /// Render at `path` (which may differ from `self.path` inside lists).
    pub(super) fn render(&self, path: &str, doc: &Value, e: &Callback<Edit>) -> Html {
        number_at(path, self, doc, e)
    }
}
