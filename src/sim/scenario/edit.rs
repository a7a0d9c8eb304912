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
}
