//! Internally tagged config types (`{"type": "rate", "min_calls": 3}`) read without serde's
//! buffer, so the strict reader sees every field with its own path.
//!
//! serde's derive reads an internally tagged enum by buffering the whole object, then reads
//! the chosen variant's fields from that buffer: a problem inside is reported without the
//! field it is about, and a variant that takes no fields ignores any given (serde issue
//! #2123). [`tagged_enum!`] declares such a type once and derives two readers from the one
//! definition: the type itself (serialized with its `type` tag) and a private copy that
//! serde reads externally tagged. [`deserialize`] reads the object's `type` first, then hands
//! the remaining fields, unbuffered, to that copy's variant, which reads them through the
//! same deserializer as the rest of the document (the strict reader gives `type` first;
//! any other deserializer whose object has `type` elsewhere is buffered into a
//! `serde_json::Value` first).

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{MapDeserializer, StrDeserializer};
use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, VariantAccess, Visitor,
};
use serde::Deserialize;
use serde_json::Value;

use crate::sim::scenario::bounds::shorten;

/// Declare an internally tagged config enum (tag `type`, variants in snake_case, unknown
/// fields refused). Write it as a plain enum of unit and struct variants, with doc comments
/// and `#[serde(default …)]` field attributes; no `#[default]` variant (write `Default` out).
macro_rules! tagged_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident $({
                    $( $(#[$fmeta:meta])* $field:ident : $ty:ty ),* $(,)?
                })?
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(serde::Serialize)]
        #[serde(tag = "type", rename_all = "snake_case")]
        pub enum $name {
            $( $(#[$vmeta])* $variant $({ $( $(#[$fmeta])* $field: $ty ),* })? ),*
        }

        const _: () = {
            /// The same type, externally tagged, for serde to read one variant's fields.
            #[derive(serde::Deserialize)]
            #[serde(rename_all = "snake_case", deny_unknown_fields)]
            enum Fields {
                $( $(#[$vmeta])* $variant $({ $( $(#[$fmeta])* $field: $ty ),* })? ),*
            }

            impl From<Fields> for $name {
                fn from(f: Fields) -> $name {
                    match f {
                        $( Fields::$variant $({ $($field),* })? => $name::$variant $({ $($field),* })? ),*
                    }
                }
            }

            impl<'de> serde::Deserialize<'de> for $name {
                fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<$name, D::Error> {
                    $crate::sim::scenario::tagged::deserialize::<D, Fields>(d, stringify!($name))
                        .map(Into::into)
                }
            }
        };
    };
}
pub(crate) use tagged_enum;

/// Read an internally tagged `S` (an externally tagged enum) from an object with a `type`.
pub fn deserialize<'de, D, S>(d: D, name: &'static str) -> Result<S, D::Error>
where
    D: Deserializer<'de>,
    S: Deserialize<'de>,
{
    d.deserialize_map(Tagged {
        name,
        _s: PhantomData,
    })
}

struct Tagged<S> {
    name: &'static str,
    _s: PhantomData<S>,
}

impl<'de, S: Deserialize<'de>> Visitor<'de> for Tagged<S> {
    type Value = S;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // the words the strict reader turns into "an object with a `type`"
        write!(f, "internally tagged enum {}", self.name)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<S, A::Error> {
        let variants = variants::<S>();
        let first: Option<String> = map.next_key()?;
        match first.as_deref() {
            None => Err(de::Error::missing_field("type")),
            // the tag first: the fields follow in `map`, read where they stand
            Some("type") => {
                let tag = map.next_value_seed(Tag(variants))?;
                S::deserialize(Variant {
                    tag: &tag,
                    rest: map,
                })
            }
            // elsewhere (another deserializer, keys as written): buffer, then the same
            Some(k) => {
                let mut entries = vec![(k.to_string(), map.next_value::<Value>()?)];
                while let Some((k, v)) = map.next_entry::<String, Value>()? {
                    entries.push((k, v));
                }
                let at = entries.iter().position(|(k, _)| k == "type");
                let Some((_, tag)) = at.map(|i| entries.remove(i)) else {
                    return Err(de::Error::missing_field("type"));
                };
                let tag = Tag(variants).deserialize(tag).map_err(de::Error::custom)?;
                let rest = MapDeserializer::<_, serde_json::Error>::new(entries.into_iter());
                S::deserialize(Variant { tag: &tag, rest }).map_err(de::Error::custom)
            }
        }
    }
}

/// The `type` of a tagged object: a text naming one of `variants`.
struct Tag(&'static [&'static str]);

impl<'de> DeserializeSeed<'de> for Tag {
    type Value = String;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for Tag {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a string")
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<String, E> {
        if self.0.contains(&s) {
            Ok(s.to_string())
        } else {
            Err(E::unknown_variant(s, self.0))
        }
    }
}

/// One variant, chosen by its tag, with the object's other fields still to read.
struct Variant<'t, M> {
    tag: &'t str,
    rest: M,
}

impl<'de, M: MapAccess<'de>> Deserializer<'de> for Variant<'_, M> {
    type Error = M::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, M::Error> {
        visitor.visit_enum(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

impl<'de, M: MapAccess<'de>> EnumAccess<'de> for Variant<'_, M> {
    type Error = M::Error;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self), M::Error> {
        let v = seed.deserialize(StrDeserializer::<M::Error>::new(self.tag))?;
        Ok((v, self))
    }
}

impl<'de, M: MapAccess<'de>> VariantAccess<'de> for Variant<'_, M> {
    type Error = M::Error;

    fn unit_variant(mut self) -> Result<(), M::Error> {
        // serde would ignore these (issue #2123)
        match self.rest.next_key::<String>()? {
            None => Ok(()),
            Some(field) => Err(de::Error::custom(format_args!(
                "unknown field `{}`; type `{}` takes no fields",
                shorten(&field),
                self.tag
            ))),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, _: T) -> Result<T::Value, M::Error> {
        Err(de::Error::custom("a tagged type has no newtype variants"))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _: usize, _: V) -> Result<V::Value, M::Error> {
        Err(de::Error::custom("a tagged type has no tuple variants"))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, M::Error> {
        visitor.visit_map(self.rest)
    }
}

/// The variant names of an externally tagged `S`, as its derive passes them to
/// `deserialize_enum` (asked of a deserializer that answers nothing else).
fn variants<'de, S: Deserialize<'de>>() -> &'static [&'static str] {
    match S::deserialize(Probe) {
        Err(Names(names)) => names,
        Ok(_) => &[],
    }
}

struct Probe;

#[derive(Debug)]
struct Names(&'static [&'static str]);

impl fmt::Display for Names {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.join(", "))
    }
}

impl std::error::Error for Names {}

impl de::Error for Names {
    fn custom<T: fmt::Display>(_: T) -> Names {
        Names(&[])
    }
}

impl<'de> Deserializer<'de> for Probe {
    type Error = Names;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Names> {
        Err(Names(&[]))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Names> {
        Err(Names(variants))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct
        identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use crate::sim::scenario::config::{DistConfig, JitterConfig};
    use serde_json::json;

    #[test]
    fn any_deserializer_reads_the_tag_wherever_it_stands() {
        let d: DistConfig =
            serde_json::from_str(r#"{"mean_ms": 5, "type": "exponential"}"#).expect("type last");
        assert_eq!(d, DistConfig::Exponential { mean_ms: 5.0 });
        let d: DistConfig =
            serde_json::from_str(r#"{"type": "uniform", "max_ms": 2}"#).expect("type first");
        assert_eq!(
            d,
            DistConfig::Uniform {
                min_ms: 0.0,
                max_ms: 2.0
            }
        );
        let j = JitterConfig::Multiplier { min: 1.0, max: 2.0 };
        let back: JitterConfig = serde_json::from_value(json!(j)).expect("round trip");
        assert_eq!(back, j);
        for bad in [
            r#"{"type": "full", "factor": 1}"#,
            r#"{"factor": 1, "type": "full"}"#,
            r#"{"type": "fll"}"#,
            r#"{"factor": 1}"#,
        ] {
            assert!(serde_json::from_str::<JitterConfig>(bad).is_err(), "{bad}");
        }
    }
}
