//! Editing a scenario document by field path, as the CLI's `--set path=value` and the
//! page's controls do: the edited document then goes through the same validation as a file.

use serde_json::{json, Value};

use crate::sim::scenario::bounds::{shorten, MAX_PATH_SEGMENTS};
use crate::sim::scenario::validate::text::{parse, TextError};
use crate::sim::ScenarioConfig;

/// Set the field at dotted `path` (object keys, or array indices) to `raw`, read as JSON
/// if it parses as JSON and as a string otherwise. Missing objects on the way are created;
/// an unknown field then fails validation with its name.
///
/// Refused with a message: an empty value (clearing a field never means `null`: write
/// `null`), a path of more than [`MAX_PATH_SEGMENTS`] segments, and a value nested deeper
/// than serde_json reads (128 levels) or a number too large for a float (`1e400`), which
/// would otherwise be taken as a string.
pub fn set(doc: &mut Value, path: &str, raw: &str) -> Result<(), String> {
    let parts: Vec<&str> = path.split('.').collect();
    if parts.len() > MAX_PATH_SEGMENTS {
        return Err(format!(
            "{}…: a path of {} segments; allowed at most {MAX_PATH_SEGMENTS}",
            path.chars().take(40).collect::<String>(),
            parts.len()
        ));
    }
    if path.is_empty() || parts.iter().any(|p| p.is_empty()) {
        return Err(format!(
            "{path}={}: allowed a dotted path such as clients.count",
            shorten(raw)
        ));
    }
    if raw.trim().is_empty() {
        return Err(format!(
            "{path}: no value given; allowed a number, a text, true/false, or null where a field can be none"
        ));
    }
    let new: Value = match parse(raw) {
        Ok(v) => v,
        Err(TextError::Duplicate { object, key }) => {
            // named by its place in the document, below `path`
            let object = if object.is_empty() {
                path.to_string()
            } else {
                format!("{path}.{object}")
            };
            return Err(TextError::Duplicate { object, key }.to_string());
        }
        Err(TextError::Syntax(e)) if e.to_string().starts_with("recursion limit exceeded") => {
            return Err(format!(
                "{path}: the value is nested deeper than 128 levels; a scenario is about 6 deep"
            ))
        }
        Err(TextError::Syntax(e)) if e.to_string().starts_with("number out of range") => {
            let allowed = crate::sim::scenario::bounds::for_path(path, None)
                .map_or(String::new(), |b| format!("; allowed {}", b.allowed()));
            return Err(format!(
                "{path} = {}: a number too large to represent{allowed}",
                shorten(raw)
            ));
        }
        Err(TextError::Syntax(_)) => Value::String(raw.to_string()),
    };
    let mut cur = doc;
    for (i, part) in parts.iter().enumerate() {
        let here = parts[..=i].join(".");
        let last = i + 1 == parts.len();
        cur = match cur {
            Value::Object(map) => {
                if last {
                    map.insert(part.to_string(), new);
                    return Ok(());
                }
                map.entry(part.to_string())
                    .or_insert_with(|| Value::Object(Default::default()))
            }
            Value::Array(items) => {
                let len = items.len();
                let idx: usize = part
                    .parse()
                    .map_err(|_| format!("{here}: `{part}` is not an index (0..{len})"))?;
                if len == 0 {
                    return Err(empty_list(&parts[..i].join("."), idx));
                }
                let slot = items
                    .get_mut(idx)
                    .ok_or(format!("{here}: index {idx} out of range (0..{len})"))?;
                if last {
                    *slot = new;
                    return Ok(());
                }
                slot
            }
            other => return Err(format!("{here}: cannot go inside {other}")),
        };
    }
    Ok(())
}

/// Item `idx` of the empty list at `list` does not exist: say so, and how to give the list.
fn empty_list(list: &str, idx: usize) -> String {
    let example = if list.ends_with("faults") {
        r#"[{"type":"down","start_ms":5000,"end_ms":10000}]"#
    } else if list == "clients.load" {
        r#"[{"start_ms":5000,"end_ms":10000,"multiplier":2}]"#
    } else if list == "services" {
        r#"[{"name":"a"},{"name":"b"}]"#
    } else {
        "[...]"
    };
    format!(
        "{list}.{idx}: index {idx} out of range: {list} is an empty list; give the whole list \
         instead, e.g. --set '{list}={example}'"
    )
}

/// One change made in the control panel.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    /// Set the field at a dotted path to a JSON value written as text.
    Set(String, String),
    /// Replace the object at a dotted path (switching a tagged type, e.g. a distribution).
    Replace(String, Value),
    /// Append a new item with sensible values to the list at a dotted path (`faults`,
    /// `clients.load`, `services.N.faults`, or `services`: a single service becomes the
    /// first of two).
    Add(String),
    /// Remove item `i` of the list at a dotted path (the last but one service removed
    /// turns the scenario back into a single `service`).
    Remove(String, usize),
}

/// Add a service: a scenario with one `service` gets a `services` list of it and a new one.
fn add_service(cfg: &mut ScenarioConfig) {
    use crate::sim::scenario::config::{ServiceConfig, ServiceEntryConfig};
    if cfg.services.is_empty() {
        cfg.services.push(ServiceEntryConfig {
            name: "service".into(),
            weight: 1.0,
            service: std::mem::take(&mut cfg.service),
            faults: std::mem::take(&mut cfg.faults),
        });
        cfg.service = ServiceConfig::default();
    }
    let name = (2..)
        .map(|k| format!("service-{k}"))
        .find(|n| cfg.services.iter().all(|s| &s.name != n))
        .unwrap_or_default();
    cfg.services.push(ServiceEntryConfig {
        name,
        ..ServiceEntryConfig::default()
    });
}

/// Remove service `i`; one left becomes the scenario's single `service` again.
fn remove_service(cfg: &mut ScenarioConfig, i: usize) -> Result<(), String> {
    if i >= cfg.services.len() {
        return Err(format!("services.{i}: no such service"));
    }
    cfg.services.remove(i);
    if cfg.services.len() == 1 {
        let last = cfg.services.remove(0);
        cfg.service = last.service;
        cfg.faults = last.faults;
    }
    Ok(())
}

/// A new item for the list at `path`: a window in the first half of the run.
fn new_item(cfg: &ScenarioConfig, path: &str) -> Value {
    let end = cfg.duration_ms.min(20_000.0);
    let start = (end / 4.0).round();
    let stop = (start * 2.0).max(start + 1.0);
    if path.ends_with("load") {
        json!({"start_ms": start, "end_ms": stop, "multiplier": 2.0})
    } else {
        json!({"type": "down", "start_ms": start, "end_ms": stop})
    }
}

/// Apply `e` to `cfg`: the new valid scenario, or a message.
pub fn apply(cfg: &ScenarioConfig, e: &Edit) -> Result<ScenarioConfig, String> {
    let mut next = cfg.clone();
    match e {
        Edit::Add(path) if path == "services" => add_service(&mut next),
        Edit::Remove(path, i) if path == "services" => remove_service(&mut next, *i)?,
        _ => return apply_to_document(cfg, e),
    }
    next.validate().map_err(|e| e.to_string())?;
    Ok(next)
}

fn apply_to_document(cfg: &ScenarioConfig, e: &Edit) -> Result<ScenarioConfig, String> {
    let mut doc = serde_json::to_value(cfg).map_err(|e| e.to_string())?;
    match e {
        Edit::Set(path, raw) => set(&mut doc, path, raw)?,
        Edit::Replace(path, v) => set(&mut doc, path, &v.to_string())?,
        Edit::Add(path) => match doc.pointer_mut(&pointer(path)) {
            Some(Value::Array(list)) => list.push(new_item(cfg, path)),
            _ => return Err(format!("{path}: not a list")),
        },
        Edit::Remove(path, i) => match doc.pointer_mut(&pointer(path)) {
            Some(Value::Array(list)) if *i < list.len() => {
                list.remove(*i);
            }
            _ => return Err(format!("{path}.{i}: no such item")),
        },
    }
    let next = ScenarioConfig::from_value(doc).map_err(|e| e.to_string())?;
    next.validate().map_err(|e| e.to_string())?;
    Ok(next)
}

fn pointer(path: &str) -> String {
    format!("/{}", path.replace('.', "/"))
}

/// The value at a dotted path of the scenario document.
pub fn get(doc: &Value, path: &str) -> Value {
    doc.pointer(&pointer(path)).cloned().unwrap_or(Value::Null)
}

/// A field in which two scenarios differ, in words: `clients`, `2,000`, `4,000`. Shown as
/// `clients 4,000` (an edited preset) or `clients 2,000 → 4,000` (A against B).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difference {
    /// The field, by its label on the page where it has one (`clients`, `timeout`), else
    /// by its path (`service.service_time.mean`).
    pub field: String,
    /// Its value in the first scenario.
    pub before: String,
    /// Its value in the second.
    pub after: String,
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.field, self.after)
    }
}

/// What differs from `a` to `b`, field by field: its name first (`scenario`), then in the
/// order of their paths (the description aside):
/// a switched type (`jitter none → full`) as one item, not as each of its parameters; a
/// list of another length as its length (`faults 1 → 2`).
pub fn differences(a: &ScenarioConfig, b: &ScenarioConfig) -> Vec<Difference> {
    let (Ok(mut x), Ok(mut y)) = (serde_json::to_value(a), serde_json::to_value(b)) else {
        return Vec::new();
    };
    for doc in [&mut x, &mut y] {
        if let Some(map) = doc.as_object_mut() {
            map.remove("description");
        }
    }
    let mut out = Vec::new();
    walk("", &x, &y, &mut out);
    // another scenario altogether first
    out.sort_by_key(|d| d.field != "scenario");
    out
}

fn walk(path: &str, a: &Value, b: &Value, out: &mut Vec<Difference>) {
    if a == b {
        return;
    }
    let at = |k: &str| {
        if path.is_empty() {
            k.to_string()
        } else {
            format!("{path}.{k}")
        }
    };
    let item = |before: String, after: String| Difference {
        field: label(path),
        before,
        after,
    };
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            if x.get("type") != y.get("type") {
                return out.push(item(kind(a), kind(b)));
            }
            let keys = x.keys().chain(y.keys().filter(|k| !x.contains_key(*k)));
            for k in keys {
                let none = Value::Null;
                let (p, q) = (x.get(k).unwrap_or(&none), y.get(k).unwrap_or(&none));
                walk(&at(k), p, q, out);
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                walk(&at(&i.to_string()), p, q, out);
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            out.push(item(x.len().to_string(), y.len().to_string()))
        }
        (Value::Object(_), _) | (_, Value::Object(_)) => out.push(item(kind(a), kind(b))),
        _ => out.push(item(value(path, a), value(path, b))),
    }
}

/// An object (a tagged type, a breaker) in one word: its type or scope, `none` if absent.
fn kind(v: &Value) -> String {
    match v {
        Value::Null => "none".into(),
        Value::Object(m) => m
            .get("type")
            .or(m.get("scope"))
            .and_then(Value::as_str)
            .unwrap_or("set")
            .to_string(),
        Value::Array(items) => items.len().to_string(),
        other => value("", other),
    }
}

/// A field's label: the page's own for a field the bounds table names at exactly this
/// path (with `breaker` or `budget` before it), else the path, without `policy.`, the
/// `_ms` ending (the value carries its unit) and underscores.
fn label(path: &str) -> String {
    use crate::sim::scenario::bounds::{for_path, key_of};
    if let Some(f) = for_path(path, None).filter(|f| key_of(path) == path && f.key == path) {
        return match path.split('.').next() {
            Some(group @ ("breaker" | "budget")) => format!("{group} {}", f.label),
            _ => f.label.to_string(),
        };
    }
    if path == "name" {
        return "scenario".into();
    }
    let p = path.strip_prefix("policy.").unwrap_or(path);
    let p = p.strip_suffix("_ms").unwrap_or(p);
    if p.is_empty() {
        "scenario".into()
    } else {
        p.replace('_', " ")
    }
}

/// A leaf value in words: durations in human units, counts grouped, `null` by what it
/// means for this field (`unlimited`, `none`).
fn value(path: &str, v: &Value) -> String {
    use crate::sim::scenario::bounds::for_path;
    use crate::units;
    let field = for_path(path, None);
    match v {
        Value::Null => field.and_then(|f| f.null).unwrap_or("none").to_string(),
        Value::Bool(b) => if *b { "on" } else { "off" }.to_string(),
        Value::String(s) => s.clone(),
        Value::Number(n) => {
            let x = n.as_f64().unwrap_or(f64::NAN);
            let unit = field.map_or(if path.ends_with("_ms") { "ms" } else { "" }, |f| f.unit);
            match unit {
                "ms" => units::duration_ms(x),
                "" => units::sig3(x),
                "×" | "%" => format!("{}{unit}", units::sig3(x)),
                _ => format!("{} {unit}", units::sig3(x)),
            }
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sets_numbers_strings_and_array_items_and_names_bad_paths() {
        let mut d = json!({"clients": {"count": 1}, "faults": [{"type": "down"}]});
        set(&mut d, "clients.count", "500").unwrap();
        set(&mut d, "faults.0.type", "slow").unwrap();
        set(&mut d, "policy.timeout_ms", "null").unwrap();
        assert_eq!(
            d,
            json!({"clients": {"count": 500}, "faults": [{"type": "slow"}], "policy": {"timeout_ms": null}})
        );
        assert!(set(&mut d, "faults.3.type", "down")
            .unwrap_err()
            .contains("index 3 out of range (0..1)"));
        let mut e = json!({"faults": []});
        let m = set(&mut e, "faults.0.end_ms", "1").unwrap_err();
        assert!(m.contains("faults is an empty list"), "{m}");
        assert!(set(&mut d, "clients..count", "1")
            .unwrap_err()
            .contains("dotted path"));
        assert!(set(&mut d, "clients.count.x", "1")
            .unwrap_err()
            .contains("cannot go inside 500"));
    }

    #[test]
    fn edits_are_validated_and_refusals_name_the_field() {
        let cfg = crate::sim::scenario::presets::config("herd-no-jitter").unwrap();
        let next = apply(&cfg, &Edit::Set("clients.count".into(), "500".into())).unwrap();
        assert_eq!(next.clients.count, 500);
        let err = apply(&cfg, &Edit::Set("clients.count".into(), "0".into())).unwrap_err();
        assert!(err.contains("clients.count") && err.contains('0'), "{err}");
        let err = apply(&cfg, &Edit::Set("clients.nope".into(), "1".into())).unwrap_err();
        assert!(err.contains("nope"), "{err}");
        let n = cfg.faults.len();
        let more = apply(&cfg, &Edit::Add("faults".into())).unwrap();
        assert_eq!(more.faults.len(), n + 1);
        assert_eq!(
            apply(&more, &Edit::Remove("faults".into(), n)).unwrap(),
            cfg
        );
        // one service becomes two, keeping its model and faults; back again
        let two = apply(&cfg, &Edit::Add("services".into())).unwrap();
        assert_eq!(two.services.len(), 2);
        assert_eq!(two.services[0].service, cfg.service);
        assert_eq!(two.services[0].faults, cfg.faults);
        assert!(two.faults.is_empty());
        let three = apply(&two, &Edit::Add("services".into())).unwrap();
        assert_eq!(three.services[2].name, "service-3");
        let faulted = apply(&three, &Edit::Add("services.2.faults".into())).unwrap();
        assert_eq!(faulted.services[2].faults.len(), 1);
        let back = apply(&two, &Edit::Remove("services".into(), 1)).unwrap();
        assert_eq!(back, cfg);
        let spiked = apply(&cfg, &Edit::Add("clients.load".into())).unwrap();
        assert_eq!(spiked.clients.load.len(), 1);
        assert!(apply(&cfg, &Edit::Remove("faults".into(), 9)).is_err());
        assert!(apply(&cfg, &Edit::Add("seed".into())).is_err());
        let dist = apply(
            &cfg,
            &Edit::Replace(
                "service.service_time".into(),
                json!({"type": "constant", "ms": 5.0}),
            ),
        )
        .unwrap();
        assert_eq!(
            dist.service.service_time,
            crate::sim::scenario::config::DistConfig::Constant { ms: 5.0 }
        );
        assert_eq!(
            get(
                &serde_json::to_value(&dist).unwrap(),
                "service.service_time.ms"
            ),
            json!(5.0)
        );
    }

    #[test]
    fn differences_name_fields_in_words() {
        use crate::sim::scenario::presets;
        let a = presets::config("herd-no-jitter").unwrap();
        assert!(differences(&a, &a).is_empty());
        let b = apply(&a, &Edit::Set("clients.count".into(), "4000".into())).unwrap();
        let b = apply(&b, &Edit::Set("policy.timeout_ms".into(), "1500".into())).unwrap();
        let b = apply(
            &b,
            &Edit::Replace("policy.jitter".into(), json!({"type": "full"})),
        )
        .unwrap();
        let b = apply(&b, &Edit::Add("faults".into())).unwrap();
        let b = ScenarioConfig {
            description: "changed".into(),
            seed: a.seed + 1,
            ..b
        };
        let d = differences(&a, &b);
        let words: Vec<String> = d.iter().map(|d| d.to_string()).collect();
        assert_eq!(
            words,
            [
                "clients 4,000".to_string(),
                "faults 2".into(),
                "jitter full".into(),
                "timeout 1.5 s".into(),
                "seed 2".into(),
            ],
            "{d:?}"
        );
        assert_eq!(d[3].before, "1 s");
        assert_eq!(d[2].before, "none");
        let other = presets::config("herd-full-jitter").unwrap();
        let d = differences(&a, &other);
        assert_eq!(d[0].to_string(), "scenario herd-full-jitter");
        let unlimited = apply(&a, &Edit::Set("policy.max_attempts".into(), "null".into())).unwrap();
        assert_eq!(
            differences(&a, &unlimited)[0].to_string(),
            "max attempts unlimited"
        );
    }
}
