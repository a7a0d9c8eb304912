//! The widgets every control is made of: a number with slider, box and range; a select of
//! a string field; a tagged object (type select plus its numeric parameters); checkboxes.

use serde_json::Value;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::sim::scenario::bounds::{self, Field};
use crate::sim::scenario::edit::{get, Edit};

/// A numeric control: its field's range, unit, label and `null` meaning come from the
/// bounds table (so the range shown is the range validation accepts); the slider, step,
/// restored value and help are the page's own.
pub(super) struct Num {
    pub path: &'static str,
    pub field: Field,
    /// Slider range, kept inside the field's range (the box accepts the whole range).
    pub slider: (f64, f64),
    pub step: f64,
    /// The value restored when the field's "none"/"unlimited" box is unticked.
    pub restore: f64,
    pub help: &'static str,
}

pub(super) fn fmt(v: f64) -> String {
    bounds::fmt_value(v)
}

pub(super) fn id(path: &str) -> String {
    format!("f-{}", path.replace('.', "-"))
}

pub(super) fn number(f: &Num, doc: &Value, e: &Callback<Edit>) -> Html {
    number_at(f.path, f, doc, e)
}

/// A numeric control at `path` (which may differ from `f.path` inside lists). `null`
/// (none, unlimited) is chosen only with its checkbox: an emptied box is refused with a
/// message and shows the last good value again.
pub(super) fn number_at(path: &str, f: &Num, doc: &Value, e: &Callback<Edit>) -> Html {
    let b = &f.field;
    let v = get(doc, path);
    let is_null = v.is_null() && b.null.is_some();
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
        let last = fmt(value);
        Callback::from(move |ev: Event| {
            let el: HtmlInputElement = ev.target_unchecked_into();
            let typed = el.value();
            if typed.trim().is_empty() {
                // refused by the edit with its message; the box shows the last good value
                el.set_value(&last);
            }
            e.emit(Edit::Set(path.clone(), typed));
        })
    };
    let range = b.range_label();
    let tip = format!("{} Allowed: {}.", f.help, b.allowed());
    let (lo, hi) = (
        f.slider.0.max(b.min),
        f.slider.1.min(b.max).max(f.slider.0.max(b.min)),
    );
    let fid = id(path);
    html! {
        <div class="field" title={tip.clone()}>
            <label for={fid.clone()}>{b.label}{ if b.unit.is_empty() { html!{} } else { html!{ <span class="unit">{format!(" ({})", b.unit)}</span> } } }</label>
            <input type="range" aria-label={format!("{} slider", b.label)} min={lo.to_string()} max={hi.to_string()} step={f.step.to_string()}
                value={value.to_string()} disabled={is_null} oninput={set(path.to_string())} data-path={path.to_string()} />
            <input type="number" id={fid} min={b.min.to_string()} max={b.max.to_string()} step="any" value={if is_null { String::new() } else { fmt(value) }}
                disabled={is_null} onchange={on_change} aria-describedby={format!("{}-range", id(path))} />
            if let Some(label) = b.null {
                <label class="null"><input type="checkbox" checked={is_null} onchange={{
                    let (e, path, restore) = (e.clone(), path.to_string(), f.restore);
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

/// The seed: a text box holding the whole number exactly. A number box and its slider go
/// through `f64`, which keeps integers only up to 2^53 (a larger seed showed rounded, in
/// e-notation, with a `max` of 18446744073709552000, a seed nobody can give); this box
/// shows the document's `u64` digit for digit and sends what is typed as typed, refused
/// by validation with its plain message when it is not a seed.
pub(super) fn seed(help: &str, doc: &Value, e: &Callback<Edit>) -> Html {
    const PATH: &str = "seed";
    let b = &bounds::SEED;
    let shown = match get(doc, PATH) {
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    };
    let on_change = {
        let (e, last) = (e.clone(), shown.clone());
        Callback::from(move |ev: Event| {
            let el: HtmlInputElement = ev.target_unchecked_into();
            let typed = el.value().trim().to_string();
            if typed.parse::<u64>().is_err() {
                // refused by the edit with its message; the box shows the last good seed
                el.set_value(&last);
            }
            e.emit(Edit::Set(PATH.into(), typed));
        })
    };
    let fid = id(PATH);
    let tip = format!("{help} Allowed: {}.", b.allowed());
    html! {
        <div class="field" title={tip}>
            <label for={fid.clone()}>{b.label}</label>
            <input type="text" id={fid.clone()} inputmode="numeric" pattern="[0-9]*" value={shown}
                onchange={on_change} aria-describedby={format!("{fid}-range")} />
            <span class="range" id={format!("{fid}-range")}>{b.range_label()}</span>
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
            { for params.into_iter().filter(|(k, _)| k != "start_ms" && k != "end_ms").filter_map(|(k, _)| {
                let at = format!("{path}.{k}");
                let field = *bounds::for_path(&at, Some(current.as_str()))?;
                let f = Num { path: "", field, slider: param_slider(&k), step: 0.01, restore: 0.0, help };
                Some(number_at(&at, &f, doc, e))
            }) }
        </div>
    }
}

/// Slider range of a tagged type's parameter (its allowed range is the bounds table's).
fn param_slider(k: &str) -> (f64, f64) {
    match k {
        "rate_per_s" => (0.0, 10.0),
        "factor" | "rate" | "lost" | "token_ratio" => (0.0, 1.0),
        "multiplier" => (1.0, 20.0),
        "every_ms" => (10.0, 10_000.0),
        "at_ms" => (0.0, 60_000.0),
        "min" | "max" => (0.0, 2.0),
        "max_tokens" => (1.0, 100.0),
        "capacity" => (0.0, 1000.0),
        "retry_cost" | "timeout_cost" | "throttling_cost" => (0.0, 20.0),
        "success_refund" => (0.0, 10.0),
        "percent" | "min_per_s" => (0.0, 100.0),
        "ttl_ms" => (1000.0, 60_000.0),
        "calls" => (1.0, 500.0),
        "buckets" => (1.0, 60.0),
        "k" => (1.0, 4.0),
        "window_ms" => (1000.0, 300_000.0),
        _ => (0.0, 1000.0),
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
