//! JSON text → `serde_json::Value`, refusing a key given twice in one object.
//!
//! `serde_json::Value` keeps the last of two equal keys (`{"seed": 1, "seed": 2}` runs
//! with seed 2), so the check runs while the text is read: each object's keys are looked up
//! in the map being built, once each, and the path to the object is kept on one stack, so
//! the cost stays in proportion to the text. serde_json's own depth limit (128) still holds.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::sim::scenario::bounds::shorten;

/// Why a text did not read.
#[derive(Debug)]
pub enum TextError {
    /// Not JSON (or more than one document).
    Syntax(serde_json::Error),
    /// A key given twice in the object at `object` (a dotted path, empty for the document).
    Duplicate {
        /// The object's path.
        object: String,
        /// The key.
        key: String,
    },
}

impl TextError {
    /// The dotted path of the repeated field.
    pub fn path(&self) -> String {
        match self {
            TextError::Syntax(_) => String::new(),
            TextError::Duplicate { object, key } if object.is_empty() => shorten(key),
            TextError::Duplicate { object, key } => format!("{object}.{}", shorten(key)),
        }
    }
}

impl fmt::Display for TextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TextError::Syntax(e) => write!(f, "{e}"),
            TextError::Duplicate { object, key } => {
                let at = if object.is_empty() {
                    String::new()
                } else {
                    format!("{object}: ")
                };
                write!(
                    f,
                    "{at}the field `{}` is given twice (each field may appear once)",
                    shorten(key)
                )
            }
        }
    }
}

/// Read one JSON document from `text` (nothing but whitespace after it), refusing
/// duplicate keys at any depth.
pub fn parse(text: &str) -> Result<Value, TextError> {
    let mut path = Vec::new();
    let mut dup = None;
    let mut de = serde_json::Deserializer::from_str(text);
    let read = Unique {
        path: &mut path,
        dup: &mut dup,
    }
    .deserialize(&mut de)
    .and_then(|v| de.end().map(|()| v));
    match (read, dup) {
        (_, Some((object, key))) => Err(TextError::Duplicate { object, key }),
        (Ok(v), None) => Ok(v),
        (Err(e), None) => Err(TextError::Syntax(e)),
    }
}

/// A value at the path in `path`; a duplicate found inside is kept in `dup`.
struct Unique<'a> {
    path: &'a mut Vec<String>,
    dup: &'a mut Option<(String, String)>,
}

impl Unique<'_> {
    fn child(&mut self) -> Unique<'_> {
        Unique {
            path: &mut *self.path,
            dup: &mut *self.dup,
        }
    }
}

impl<'de> DeserializeSeed<'de> for Unique<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Unique<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a JSON value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Value, E> {
        Ok(Value::from(n))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Value, E> {
        Ok(Value::from(n))
    }
    fn visit_f64<E>(self, x: f64) -> Result<Value, E> {
        Ok(Value::from(x))
    }
    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_string()))
    }
    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        loop {
            self.path.push(items.len().to_string());
            let next = seq.next_element_seed(self.child());
            self.path.pop();
            match next? {
                Some(v) => items.push(v),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<Value, A::Error> {
        let mut m = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if m.contains_key(&key) {
                let object: Vec<String> = self.path.iter().map(|p| shorten(p)).collect();
                *self.dup = Some((object.join("."), key));
                return Err(de::Error::custom("a key given twice"));
            }
            self.path.push(key);
            let v = map.next_value_seed(self.child());
            let key = self.path.pop().unwrap_or_default();
            m.insert(key, v?);
        }
        Ok(Value::Object(m))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_json_as_serde_json_does_and_refuses_a_key_twice() {
        let text = r#"{"a": [1, -2, 0.5, "x", null, true, {"b": {}}], "c": 18446744073709551616}"#;
        let want: Value = serde_json::from_str(text).unwrap();
        assert_eq!(parse(text).unwrap(), want);
        let e = parse(r#"{"a": [{"b": 1}, {"b": 2, "c": {"d": 1, "d": 1}}]}"#).unwrap_err();
        assert_eq!(e.path(), "a.1.c.d");
        assert!(matches!(parse("{} {}"), Err(TextError::Syntax(_))));
        assert!(matches!(parse("[1,"), Err(TextError::Syntax(_))));
    }
}
