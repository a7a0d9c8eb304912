//! Strict reading of a scenario document (a `serde_json::Value`) into the config types.
//!
//! serde_json's own reader is lenient where a user's typo should be an error, and its
//! messages speak Rust ("invalid type: string \"10\", expected f64"). This reader is a small
//! `Deserializer` over a parsed `Value` (a format may choose what it accepts, as serde_yaml
//! does) that:
//!
//! - reads a struct only from an object, never from a list (derived structs accept both);
//! - reads a list only where a list is expected (`faults`, `clients.load`, `services`);
//! - takes a whole-number float (`1e3`, `5.0`) wherever an integer is expected;
//! - gives an object's `type` first, so that a tagged type (see
//!   [`tagged`](crate::sim::scenario::tagged)) reads its fields here, unbuffered, and refuses
//!   fields given to a type that takes none (`{"type": "full", "factr": 0.3}`);
//! - refuses documents nested deeper than [`MAX_DEPTH`] before recursing into them;
//! - keeps the full dotted path of every problem, also inside tagged types, and words it
//!   plainly, with the allowed range from [`bounds`](crate::sim::scenario::bounds);
//! - hands a [`RawJson`] field its value as it is (lists included), for documents that
//!   embed JSON read later by its own rules (a tour's `--set`-style overrides).

use std::fmt;

use serde::de::value::StrDeserializer;
use serde::de::{self, DeserializeOwned, DeserializeSeed, Deserializer, Unexpected, Visitor};
use serde_json::Value;

use crate::sim::scenario::bounds::{self, fmt_value, shorten, MAX_DEPTH};

/// What was found where something else was expected.
#[derive(Clone, Debug, PartialEq)]
enum Got {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Text(String),
    Object,
    List,
    Other(String),
}

impl Got {
    fn from_unexpected(u: Unexpected<'_>) -> Got {
        match u {
            Unexpected::Bool(b) => Got::Bool(b),
            Unexpected::Unsigned(n) => Got::Int(n.into()),
            Unexpected::Signed(n) => Got::Int(n.into()),
            Unexpected::Float(f) => Got::Float(f),
            Unexpected::Char(c) => Got::Text(c.to_string()),
            Unexpected::Str(s) => Got::Text(s.to_string()),
            Unexpected::Unit | Unexpected::Option => Got::Null,
            Unexpected::Map | Unexpected::StructVariant => Got::Object,
            Unexpected::Seq | Unexpected::TupleVariant => Got::List,
            other => Got::Other(other.to_string()),
        }
    }

    fn of(v: &Value) -> Got {
        match v {
            Value::Null => Got::Null,
            Value::Bool(b) => Got::Bool(*b),
            Value::Number(n) => match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => Got::Int(u.into()),
                (_, Some(i)) => Got::Int(i.into()),
                _ => Got::Float(n.as_f64().unwrap_or(f64::NAN)),
            },
            Value::String(s) => Got::Text(s.clone()),
            Value::Array(_) => Got::List,
            Value::Object(_) => Got::Object,
        }
    }
}

impl fmt::Display for Got {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Got::Null => write!(f, "null"),
            Got::Bool(b) => write!(f, "{b}"),
            Got::Int(n) => write!(f, "{n}"),
            Got::Float(x) => match beyond_integers(*x) {
                Some(words) => write!(f, "{words}"),
                None => write!(f, "{}", fmt_value(*x)),
            },
            Got::Text(s) => write!(f, "the text {:?}", shorten(s)),
            Got::Object => write!(f, "an object"),
            Got::List => write!(f, "a list"),
            Got::Other(s) => write!(f, "{s}"),
        }
    }
}

/// A whole number too large for 64 bits (`18446744073709551616`), which JSON reading
/// keeps only as the nearest float: in words, not as that float's digits.
fn beyond_integers(x: f64) -> Option<String> {
    let about = || {
        let e = format!("{:.1e}", x.abs());
        e.replace(".0e", "e")
    };
    if x >= 18_446_744_073_709_551_616.0 {
        Some(format!(
            "a number more than {} (about {})",
            u64::MAX,
            about()
        ))
    } else if x < -9_223_372_036_854_775_808.0 {
        Some(format!(
            "a number less than {} (about -{})",
            i64::MIN,
            about()
        ))
    } else {
        None
    }
}

/// What went wrong, in the terms serde reports it.
#[derive(Clone, Debug)]
enum Problem {
    /// A value of the wrong type or out of the type's range.
    Mismatch {
        got: Got,
        expected: String,
    },
    UnknownField {
        field: String,
        allowed: &'static [&'static str],
    },
    MissingField(&'static str),
    UnknownVariant {
        got: String,
        allowed: &'static [&'static str],
    },
    DuplicateField(&'static str),
    Length {
        len: usize,
        expected: String,
    },
    TooDeep,
    Other(String),
}

/// A problem reading the document, at a dotted path.
#[derive(Clone, Debug)]
pub struct ReadError {
    path: Option<String>,
    problem: Problem,
}

impl ReadError {
    fn new(problem: Problem) -> ReadError {
        ReadError {
            path: None,
            problem,
        }
    }

    /// The dotted path of the problem (empty for the document itself).
    pub fn path(&self) -> &str {
        self.path.as_deref().unwrap_or_default()
    }

    /// Give the error the path of the value being read, unless it has one already.
    fn at(mut self, path: &str) -> ReadError {
        if self.path.is_none() {
            self.path = Some(path.to_string());
        }
        self
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// The plain words for serde's name of a type.
fn words(expected: &str) -> String {
    match expected {
        "f64" | "f32" => "a number".into(),
        "u8" | "u16" | "u32" | "u64" | "i8" | "i16" | "i32" | "i64" => "a whole number".into(),
        "a boolean" => "true or false".into(),
        "a string" => "a text".into(),
        "a sequence" => "a list".into(),
        "a map" => "an object".into(),
        e if e.starts_with("struct ") => "an object".into(),
        e if e.starts_with("internally tagged enum") => "an object with a `type`".into(),
        e if e.starts_with("unit variant") || e.starts_with("enum ") => "a text".into(),
        e => e.to_string(),
    }
}

fn list(names: &[&str]) -> String {
    names.join(", ")
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.path();
        let subject = if path.is_empty() {
            "the document"
        } else {
            path
        };
        let at = if path.is_empty() {
            String::new()
        } else {
            format!("{path}: ")
        };
        match &self.problem {
            Problem::Mismatch { got, expected } => {
                match bounds::for_path(path, None).filter(|_| !path.is_empty()) {
                    // a number out of range or not whole: the range, as validation says it
                    Some(b) if matches!(got, Got::Int(_) | Got::Float(_)) => {
                        write!(f, "{path} = {got}: allowed {}", b.allowed())
                    }
                    Some(b) => write!(f, "{path} must be {}, got {got}", b.kind()),
                    None if *got == Got::List && expected == "any value" => write!(
                        f,
                        "{subject} must not be a list (lists are allowed only at faults, clients.load, services and services.N.faults)"
                    ),
                    None => write!(f, "{subject} must be {}, got {got}", words(expected)),
                }
            }
            Problem::UnknownField { field, allowed: [] } => {
                write!(
                    f,
                    "{at}unknown field `{}`; this takes no fields",
                    shorten(field)
                )
            }
            Problem::UnknownField { field, allowed } => {
                write!(
                    f,
                    "{at}unknown field `{}`; allowed: {}",
                    shorten(field),
                    list(allowed)
                )
            }
            Problem::MissingField(field) => write!(f, "{at}the field `{field}` is missing"),
            Problem::UnknownVariant { got, allowed } => write!(
                f,
                "{subject} must be one of {}; got {:?}",
                list(allowed),
                shorten(got)
            ),
            Problem::DuplicateField(field) => write!(f, "{at}the field `{field}` is given twice"),
            Problem::Length { len, expected } => {
                write!(f, "{at}{len} items, where {expected} was expected")
            }
            Problem::TooDeep => write!(
                f,
                "{subject} is nested deeper than {MAX_DEPTH} levels (a scenario is about 6)"
            ),
            Problem::Other(msg) => write!(f, "{at}{msg}"),
        }
    }
}

impl std::error::Error for ReadError {}

impl de::Error for ReadError {
    fn custom<T: fmt::Display>(msg: T) -> ReadError {
        ReadError::new(Problem::Other(msg.to_string()))
    }
    fn invalid_type(unexp: Unexpected<'_>, exp: &dyn de::Expected) -> ReadError {
        ReadError::new(Problem::Mismatch {
            got: Got::from_unexpected(unexp),
            expected: exp.to_string(),
        })
    }
    fn invalid_value(unexp: Unexpected<'_>, exp: &dyn de::Expected) -> ReadError {
        Self::invalid_type(unexp, exp)
    }
    fn invalid_length(len: usize, exp: &dyn de::Expected) -> ReadError {
        ReadError::new(Problem::Length {
            len,
            expected: exp.to_string(),
        })
    }
    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> ReadError {
        ReadError::new(Problem::UnknownVariant {
            got: variant.to_string(),
            allowed: expected,
        })
    }
    fn unknown_field(field: &str, expected: &'static [&'static str]) -> ReadError {
        ReadError::new(Problem::UnknownField {
            field: field.to_string(),
            allowed: expected,
        })
    }
    fn missing_field(field: &'static str) -> ReadError {
        ReadError::new(Problem::MissingField(field))
    }
    fn duplicate_field(field: &'static str) -> ReadError {
        ReadError::new(Problem::DuplicateField(field))
    }
}

/// Read a `T` from `v`, strictly (see the module's notes).
pub fn read<T: DeserializeOwned>(v: &Value) -> Result<T, ReadError> {
    if let Some(path) = too_deep(v) {
        return Err(ReadError::new(Problem::TooDeep).at(&path));
    }
    T::deserialize(Reader {
        v,
        path: String::new(),
    })
}

/// The path of the first value nested deeper than [`MAX_DEPTH`] (without recursing).
fn too_deep(v: &Value) -> Option<String> {
    let mut stack = vec![(v, 0usize)];
    while let Some((x, depth)) = stack.pop() {
        if depth > MAX_DEPTH {
            return Some(String::new());
        }
        match x {
            Value::Array(a) => stack.extend(a.iter().map(|y| (y, depth + 1))),
            Value::Object(m) => stack.extend(m.values().map(|y| (y, depth + 1))),
            _ => {}
        }
    }
    None
}

/// The newtype name under which [`RawJson`] asks for its value as it is.
const RAW_JSON: &str = "$herdsim::RawJson";

/// A JSON value kept as it is by the strict reader (lists and all): for a part of a
/// document that its own rules read later, such as a tour's overrides, which go through
/// [`edit::set`](crate::sim::scenario::edit::set) and scenario validation. Any other
/// deserializer reads it as a plain `serde_json::Value`.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(transparent)]
pub struct RawJson(pub Value);

impl<'de> de::Deserialize<'de> for RawJson {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<RawJson, D::Error> {
        struct Raw;
        impl<'de> Visitor<'de> for Raw {
            type Value = RawJson;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "any JSON value")
            }
            fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<RawJson, D::Error> {
                de::Deserialize::deserialize(d).map(RawJson)
            }
        }
        d.deserialize_newtype_struct(RAW_JSON, Raw)
    }
}

/// A value handed over as it is, with this reader's error type.
struct AsIs(Value);

impl<'de> Deserializer<'de> for AsIs {
    type Error = ReadError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.0
            .deserialize_any(visitor)
            .map_err(|e| ReadError::new(Problem::Other(e.to_string())))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

/// The deserializer: a value and its dotted path.
struct Reader<'a> {
    v: &'a Value,
    path: String,
}

impl Reader<'_> {
    fn mismatch<'de, V: Visitor<'de>>(&self, visitor: &V) -> ReadError {
        ReadError::new(Problem::Mismatch {
            got: Got::of(self.v),
            expected: format!("{}", visitor as &dyn de::Expected),
        })
        .at(&self.path)
    }
}

impl<'de> Deserializer<'de> for Reader<'_> {
    type Error = ReadError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        let r = match self.v {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => {
                if let Some(u) = n.as_u64() {
                    visitor.visit_u64(u)
                } else if let Some(i) = n.as_i64() {
                    visitor.visit_i64(i)
                } else {
                    let x = n.as_f64().unwrap_or(f64::NAN);
                    // a whole-number float is an integer wherever one is expected (`1e3`)
                    if x.fract() == 0.0 && (0.0..18_446_744_073_709_551_616.0).contains(&x) {
                        visitor.visit_u64(x as u64)
                    } else if x.fract() == 0.0 && (-9_223_372_036_854_775_808.0..0.0).contains(&x) {
                        visitor.visit_i64(x as i64)
                    } else {
                        visitor.visit_f64(x)
                    }
                }
            }
            Value::String(s) => visitor.visit_str::<ReadError>(s),
            // lists are read only where a list is expected (`deserialize_seq`)
            Value::Array(_) => return Err(self.mismatch(&visitor)),
            Value::Object(m) => visitor.visit_map(MapReader::new(m, &self.path)),
        };
        r.map_err(|e| e.at(&self.path))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        match self.v {
            Value::Null => visitor
                .visit_none()
                .map_err(|e: ReadError| e.at(&self.path)),
            _ => {
                let path = self.path.clone();
                visitor.visit_some(self).map_err(|e| e.at(&path))
            }
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        match self.v {
            Value::Null => visitor
                .visit_unit()
                .map_err(|e: ReadError| e.at(&self.path)),
            _ => Err(self.mismatch(&visitor)),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        let path = self.path.clone();
        if name == RAW_JSON {
            return visitor
                .visit_newtype_struct(AsIs(self.v.clone()))
                .map_err(|e| e.at(&path));
        }
        visitor.visit_newtype_struct(self).map_err(|e| e.at(&path))
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        match self.v {
            Value::Array(a) => visitor
                .visit_seq(SeqReader {
                    items: a.iter().enumerate(),
                    path: &self.path,
                })
                .map_err(|e| e.at(&self.path)),
            _ => Err(self.mismatch(&visitor)),
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        match self.v {
            Value::Object(m) => visitor
                .visit_map(MapReader::new(m, &self.path))
                .map_err(|e| e.at(&self.path)),
            _ => Err(self.mismatch(&visitor)),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        // an object only: derived structs would also take a list of their fields in order
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        match self.v {
            Value::String(s) => visitor
                .visit_enum(StrDeserializer::<ReadError>::new(s))
                .map_err(|e| e.at(&self.path)),
            _ => Err(self.mismatch(&visitor)),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        match self.v {
            Value::String(s) => visitor
                .visit_str(s)
                .map_err(|e: ReadError| e.at(&self.path)),
            _ => Err(self.mismatch(&visitor)),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char bytes byte_buf tuple
        tuple_struct
    }
}

struct MapReader<'a, 'p> {
    entries: std::vec::IntoIter<(&'a String, &'a Value)>,
    value: Option<(&'a String, &'a Value)>,
    path: &'p str,
}

impl<'a, 'p> MapReader<'a, 'p> {
    /// The entries of `m`, its `type` first (a tagged type reads its tag before its fields).
    fn new(m: &'a serde_json::Map<String, Value>, path: &'p str) -> Self {
        let tag = m.get_key_value("type");
        let entries: Vec<_> = tag
            .into_iter()
            .chain(m.iter().filter(|(k, _)| *k != "type"))
            .collect();
        MapReader {
            entries: entries.into_iter(),
            value: None,
            path,
        }
    }
}

impl<'de> de::MapAccess<'de> for MapReader<'_, '_> {
    type Error = ReadError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, ReadError> {
        match self.entries.next() {
            Some((k, v)) => {
                self.value = Some((k, v));
                seed.deserialize(StrDeserializer::<ReadError>::new(k))
                    .map(Some)
                    .map_err(|e| e.at(self.path))
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, ReadError> {
        let (k, v) = self
            .value
            .take()
            .ok_or_else(|| ReadError::new(Problem::Other("a value without a key".into())))?;
        let path = join(self.path, k);
        seed.deserialize(Reader {
            v,
            path: path.clone(),
        })
        .map_err(|e| e.at(&path))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

struct SeqReader<'a, 'p> {
    items: std::iter::Enumerate<std::slice::Iter<'a, Value>>,
    path: &'p str,
}

impl<'de> de::SeqAccess<'de> for SeqReader<'_, '_> {
    type Error = ReadError;

    fn next_element_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, ReadError> {
        match self.items.next() {
            Some((i, v)) => {
                let path = join(self.path, &i.to_string());
                seed.deserialize(Reader {
                    v,
                    path: path.clone(),
                })
                .map(Some)
                .map_err(|e| e.at(&path))
            }
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}
