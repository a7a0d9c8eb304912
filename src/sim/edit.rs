//! Editing a scenario document by field path, as the CLI's `--set path=value` and the
//! page's controls do: the edited document then goes through the same validation as a file.

use serde_json::Value;

/// Set the field at dotted `path` (object keys, or array indices) to `raw`, read as JSON
/// if it parses as JSON and as a string otherwise. Missing objects on the way are created;
/// an unknown field then fails validation with its name.
pub fn set(doc: &mut Value, path: &str, raw: &str) -> Result<(), String> {
    let new: Value = serde_json::from_str(raw).unwrap_or_else(|_| Value::String(raw.to_string()));
    let parts: Vec<&str> = path.split('.').collect();
    if path.is_empty() || parts.iter().any(|p| p.is_empty()) {
        return Err(format!(
            "{path}={raw}: allowed a dotted path such as clients.count"
        ));
    }
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
        assert!(set(&mut d, "clients..count", "1")
            .unwrap_err()
            .contains("dotted path"));
        assert!(set(&mut d, "clients.count.x", "1")
            .unwrap_err()
            .contains("cannot go inside 500"));
    }
}
