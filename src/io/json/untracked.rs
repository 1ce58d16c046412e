//! The deserializer of the untracked readers ([`crate::load::index_definition_untracked`],
//! [`crate::load::assessment_untracked`], [`crate::load::value_untracked`] and the browser's
//! rule reader, `model/rule/lean.rs`): a [`serde_json::Value`] read as `serde_json` reads
//! it, except that a struct never goes through its sequence visitor.
//!
//! serde derives two readers for every struct: from an object (`visit_map`) and from an
//! array of its fields in order (`visit_seq`). `serde_json`'s value deserializer can call
//! both, so both are compiled for every struct of the index and assessment model — in the
//! browser's form module, where every byte delays the first paint. Here an array given for
//! a struct is paired with the struct's field names and read as the object it stands for
//! (not generic: one copy for all structs), so no struct's `visit_seq` is compiled; and each
//! typed request (`deserialize_string`, `deserialize_seq`, …) is answered as `serde_json`
//! answers it, not through `deserialize_any`, so a visitor's refusals of other kinds are
//! not compiled either. The same values and the same refusals with the same messages (the
//! tests compare both on every shipped index and assessment and ~28,000 malformed
//! neighbours), but one: an array too short for its struct is refused naming the missing
//! field (`missing field `value``) where serde names the length (`invalid length 0, …`).
//! 22 KB less WebAssembly in the form's module.
//!
//! With feature `lean` (the form's module) two more differences remove core's float
//! printing (24 KB): the readers' error is their own type (`serde_json`'s messages word
//! for word, but a value named without `serde::de::Unexpected`'s `Display`, whose float
//! arm links `f64`'s), and a float reaches `rust_decimal`'s visitor as the text its
//! `visit_f64` would read from `f64::to_string`, written by `digits::display`.

use serde::de::value::StringDeserializer;
use serde::de::{
    DeserializeSeed, Deserializer, EnumAccess, Error as _, IntoDeserializer, MapAccess, SeqAccess,
    Unexpected, VariantAccess, Visitor,
};
use serde_json::{map, Map, Value as Json};

#[cfg(not(feature = "lean"))]
pub(crate) use serde_json::Error;

#[cfg(feature = "lean")]
pub(crate) use lean_error::Error;

/// A JSON value to deserialize from (see the module's documentation).
pub(crate) struct Untracked(pub(crate) Json);

/// What `serde_json` names a value of this kind in an error.
fn unexpected(v: &Json) -> Unexpected<'_> {
    match v {
        Json::Null => Unexpected::Unit,
        Json::Bool(b) => Unexpected::Bool(*b),
        Json::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => Unexpected::Unsigned(u),
            (None, Some(i), _) => Unexpected::Signed(i),
            (None, None, Some(f)) => Unexpected::Float(f),
            (None, None, None) => Unexpected::Other("number"),
        },
        Json::String(s) => Unexpected::Str(s),
        Json::Array(_) => Unexpected::Seq,
        Json::Object(_) => Unexpected::Map,
    }
}

/// `v` refused as `serde_json` refuses a value of the wrong kind (for the lean readers,
/// `model/lean.rs`).
#[cfg(any(feature = "lean", test))]
pub(crate) fn invalid_type(v: &Json, expected: &dyn serde::de::Expected) -> Error {
    Error::invalid_type(unexpected(v), expected)
}

/// A number handed to `visitor` as `serde_json` hands it (`visit_u64`, `visit_i64`,
/// `visit_f64`), but for a decimal in the browser's form module (see [`float`]).
fn number<'de, V: Visitor<'de>>(n: &serde_json::Number, visitor: V) -> Result<V::Value, Error> {
    match (n.as_u64(), n.as_i64(), n.as_f64()) {
        (Some(u), _, _) => visitor.visit_u64(u),
        (None, Some(i), _) => visitor.visit_i64(i),
        (None, None, Some(f)) => float(f, visitor),
        (None, None, None) => Err(Error::invalid_type(Unexpected::Other("number"), &visitor)),
    }
}

#[cfg(not(feature = "lean"))]
fn float<'de, V: Visitor<'de>>(f: f64, visitor: V) -> Result<V::Value, Error> {
    visitor.visit_f64(f)
}

/// A non-integer number: to `rust_decimal`'s visitor as the text its `visit_f64` would
/// read (`f64::to_string`, written here without core's float printing, see
/// `digits::display`), with the same refusal; to any other visitor as an `f64`.
#[cfg(feature = "lean")]
fn float<'de, V: Visitor<'de>>(f: f64, visitor: V) -> Result<V::Value, Error> {
    if decimal_visitor::<V>() {
        let text = super::digits::display(f);
        return match <rust_decimal::Decimal as std::str::FromStr>::from_str(&text) {
            Ok(_) => visitor.visit_str(&text),
            Err(_) => Err(Error::invalid_value(Unexpected::Float(f), &visitor)),
        };
    }
    visitor.visit_f64(f)
}

/// Whether `V` is `rust_decimal`'s visitor, decided at compile time: the type's name is a
/// constant, compared in whole words so the optimiser folds the comparison and compiles
/// one branch (a `str` comparison stays a call at `opt-level = "z"`, and the decimal's
/// `visit_f64` with it).
#[cfg(feature = "lean")]
#[inline(always)]
fn decimal_visitor<V>() -> bool {
    const NAME: &[u8; 35] = b"rust_decimal::serde::DecimalVisitor";
    let name = std::any::type_name::<V>().as_bytes();
    let word = |b: &[u8], i: usize| {
        u64::from_le_bytes([
            b[i],
            b[i + 1],
            b[i + 2],
            b[i + 3],
            b[i + 4],
            b[i + 5],
            b[i + 6],
            b[i + 7],
        ])
    };
    name.len() == NAME.len()
        && word(name, 0) == word(NAME, 0)
        && word(name, 8) == word(NAME, 8)
        && word(name, 16) == word(NAME, 16)
        && word(name, 24) == word(NAME, 24)
        && word(name, 27) == word(NAME, 27)
}

/// The error of the untracked readers in the browser's form module: `serde_json`'s
/// messages, word for word, but a value named without `serde::de::Unexpected`'s own
/// `Display`, whose float arm links core's float printing even where `serde_json` words
/// floats itself.
#[cfg(feature = "lean")]
mod lean_error {
    use serde::de::{Expected, Unexpected};
    use std::fmt;

    /// A message, as `serde_json::Error` keeps one without a position (boxed: one word,
    /// as small in every `Result` as `serde_json`'s).
    #[derive(Debug)]
    #[allow(clippy::box_collection)]
    pub(crate) struct Error(Box<String>);

    impl fmt::Display for Error {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(&self.0)
        }
    }

    impl std::error::Error for Error {}

    /// A value named as `serde_json` names it in an error.
    fn named(u: &Unexpected<'_>) -> String {
        match *u {
            Unexpected::Bool(b) => format!("boolean `{b}`"),
            Unexpected::Unsigned(i) => format!("integer `{i}`"),
            Unexpected::Signed(i) => format!("integer `{i}`"),
            Unexpected::Float(x) => format!(
                "floating point `{}`",
                match serde_json::Number::from_f64(x) {
                    Some(n) => n.to_string(),
                    None if x.is_nan() => "NaN".to_owned(),
                    None if x < 0.0 => "-inf".to_owned(),
                    None => "inf".to_owned(),
                }
            ),
            Unexpected::Char(c) => format!("character `{c}`"),
            Unexpected::Str(s) => format!("string {s:?}"),
            Unexpected::Bytes(_) => "byte array".to_owned(),
            Unexpected::Unit => "null".to_owned(),
            Unexpected::Option => "Option value".to_owned(),
            Unexpected::NewtypeStruct => "newtype struct".to_owned(),
            Unexpected::Seq => "sequence".to_owned(),
            Unexpected::Map => "map".to_owned(),
            Unexpected::Enum => "enum".to_owned(),
            Unexpected::UnitVariant => "unit variant".to_owned(),
            Unexpected::NewtypeVariant => "newtype variant".to_owned(),
            Unexpected::TupleVariant => "tuple variant".to_owned(),
            Unexpected::StructVariant => "struct variant".to_owned(),
            Unexpected::Other(other) => other.to_owned(),
        }
    }

    impl serde::de::Error for Error {
        fn custom<T: fmt::Display>(msg: T) -> Self {
            Error(Box::new(msg.to_string()))
        }

        fn invalid_type(u: Unexpected<'_>, exp: &dyn Expected) -> Self {
            Error(Box::new(format!(
                "invalid type: {}, expected {exp}",
                named(&u)
            )))
        }

        fn invalid_value(u: Unexpected<'_>, exp: &dyn Expected) -> Self {
            Error(Box::new(format!(
                "invalid value: {}, expected {exp}",
                named(&u)
            )))
        }
    }
}

fn seq<'de, V: Visitor<'de>>(items: Vec<Json>, visitor: V) -> Result<V::Value, Error> {
    let len = items.len();
    let mut access = Seq(items.into_iter());
    let out = visitor.visit_seq(&mut access)?;
    match access.0.len() {
        0 => Ok(out),
        _ => Err(Error::invalid_length(len, &"fewer elements in array")),
    }
}

fn object<'de, V: Visitor<'de>>(m: Map<String, Json>, visitor: V) -> Result<V::Value, Error> {
    let len = m.len();
    let mut access = Object {
        entries: m.into_iter(),
        value: None,
    };
    let out = visitor.visit_map(&mut access)?;
    match access.entries.len() {
        0 => Ok(out),
        _ => Err(Error::invalid_length(len, &"fewer elements in map")),
    }
}

/// A struct written as an array: its elements under the struct's field names, in order
/// (not generic: one copy for every struct; also the lean readers', `model/lean.rs`).
pub(crate) fn fields(
    items: Vec<Json>,
    names: &'static [&'static str],
) -> Result<Map<String, Json>, Error> {
    if items.len() > names.len() {
        return Err(Error::invalid_length(
            items.len(),
            &"fewer elements in array",
        ));
    }
    let mut m = Map::new();
    for (name, item) in names.iter().zip(items) {
        m.insert((*name).to_owned(), item);
    }
    Ok(m)
}

impl<'de> Deserializer<'de> for Untracked {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Json::Null => visitor.visit_unit(),
            Json::Bool(b) => visitor.visit_bool(b),
            Json::Number(n) => number(&n, visitor),
            Json::String(s) => visitor.visit_string(s),
            Json::Array(items) => seq(items, visitor),
            Json::Object(m) => object(m, visitor),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Json::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.0 {
            Json::Object(m) => {
                let mut entries = m.into_iter();
                match (entries.next(), entries.next()) {
                    (Some((variant, value)), None) => visitor.visit_enum(Variant {
                        variant,
                        value: Some(value),
                    }),
                    _ => Err(Error::invalid_value(
                        Unexpected::Map,
                        &"map with a single key",
                    )),
                }
            }
            Json::String(variant) => visitor.visit_enum(Variant {
                variant,
                value: None,
            }),
            other => Err(Error::invalid_type(unexpected(&other), &"string or map")),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        names: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.0 {
            Json::Object(m) => object(m, visitor),
            Json::Array(items) => object(fields(items, names)?, visitor),
            other => Err(Error::invalid_type(unexpected(&other), &visitor)),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Json::Bool(b) => visitor.visit_bool(b),
            other => Err(Error::invalid_type(unexpected(&other), &visitor)),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Json::String(s) => visitor.visit_string(s),
            other => Err(Error::invalid_type(unexpected(&other), &visitor)),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_string(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_string(visitor)
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_string(visitor)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Json::Array(items) => seq(items, visitor),
            other => Err(Error::invalid_type(unexpected(&other), &visitor)),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Json::Object(m) => object(m, visitor),
            other => Err(Error::invalid_type(unexpected(&other), &visitor)),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Json::Null => visitor.visit_unit(),
            other => Err(Error::invalid_type(unexpected(&other), &visitor)),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_byte_buf(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Json::String(s) => visitor.visit_string(s),
            Json::Array(items) => seq(items, visitor),
            other => Err(Error::invalid_type(unexpected(&other), &visitor)),
        }
    }

    // Numbers as `serde_json` reads them: its own number, anything else refused.
    fn deserialize_i8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor)
    }
    fn deserialize_i16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor)
    }
    fn deserialize_i32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor)
    }
    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor)
    }
    fn deserialize_i128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor)
    }
    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor)
    }
    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor)
    }
    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor)
    }
    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor)
    }
    fn deserialize_u128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor)
    }
    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor)
    }
    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor)
    }
}

impl Untracked {
    fn number<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Json::Number(n) => number(&n, visitor),
            other => Err(Error::invalid_type(unexpected(&other), &visitor)),
        }
    }
}

struct Seq(std::vec::IntoIter<Json>);

impl<'de> SeqAccess<'de> for Seq {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        self.0
            .next()
            .map(|v| seed.deserialize(Untracked(v)))
            .transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct Object {
    entries: map::IntoIter,
    value: Option<Json>,
}

impl<'de> MapAccess<'de> for Object {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        match self.entries.next() {
            Some((key, value)) => {
                self.value = Some(value);
                let key: StringDeserializer<Error> = key.into_deserializer();
                seed.deserialize(key).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, Error> {
        match self.value.take() {
            Some(v) => seed.deserialize(Untracked(v)),
            None => Err(Error::custom("value is missing")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

struct Variant {
    variant: String,
    value: Option<Json>,
}

impl<'de> EnumAccess<'de> for Variant {
    type Error = Error;
    type Variant = Payload;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Payload), Error> {
        let name: StringDeserializer<Error> = self.variant.into_deserializer();
        Ok((seed.deserialize(name)?, Payload(self.value)))
    }
}

struct Payload(Option<Json>);

impl<'de> VariantAccess<'de> for Payload {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        match self.0 {
            Some(v) => serde::Deserialize::deserialize(Untracked(v)),
            None => Ok(()),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        match self.0 {
            Some(v) => seed.deserialize(Untracked(v)),
            None => Err(Error::invalid_type(
                Unexpected::UnitVariant,
                &"newtype variant",
            )),
        }
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Some(Json::Array(items)) if items.is_empty() => visitor.visit_unit(),
            Some(Json::Array(items)) => seq(items, visitor),
            Some(other) => Err(Error::invalid_type(unexpected(&other), &"tuple variant")),
            None => Err(Error::invalid_type(
                Unexpected::UnitVariant,
                &"tuple variant",
            )),
        }
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _names: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.0 {
            Some(Json::Object(m)) => object(m, visitor),
            Some(other) => Err(Error::invalid_type(unexpected(&other), &"struct variant")),
            None => Err(Error::invalid_type(
                Unexpected::UnitVariant,
                &"struct variant",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Untracked;
    use crate::assessment::Assessment;
    use crate::index::IndexDefinition;
    use serde::de::DeserializeOwned;
    use serde_json::{json, Value as Json};
    use std::fmt::Debug;
    use std::path::PathBuf;

    /// Every shipped document of `format`, as JSON values.
    fn shipped(format: &str) -> Vec<Json> {
        let mut out = Vec::new();
        let mut dirs = vec![PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("criteria")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let p = entry.unwrap().path();
                if p.is_dir() {
                    dirs.push(p);
                } else if p.extension().is_some_and(|x| x == "json") {
                    let v: Json =
                        serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
                    if v.get("format").and_then(Json::as_str) == Some(format) {
                        out.push(v);
                    }
                }
            }
        }
        out
    }

    /// `serde_json`'s value deserializer and this one agree: the same value, or both
    /// refuse with the same message (but for a struct written as a too short array).
    /// Returns whether it was read.
    fn same<T: DeserializeOwned + PartialEq + Debug>(v: &Json) -> bool {
        let theirs = T::deserialize(v.clone());
        let ours = T::deserialize(Untracked(v.clone()));
        match (&theirs, &ours) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "{v}"),
            // A struct written as a too short array: serde names the length, this
            // reader (which reads the array as the object it stands for) the field.
            (Err(a), Err(b)) if a.to_string().starts_with("invalid length") => {
                let b = b.to_string();
                assert!(
                    b.starts_with("missing field") || b.starts_with("invalid length"),
                    "{v}: {b}"
                );
            }
            (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{v}"),
            _ => panic!("{v}: serde_json {theirs:?}, untracked {ours:?}"),
        }
        theirs.is_ok()
    }

    /// Each member of every object under `v` (down to `depth`) removed, or replaced by
    /// null, a string, a number, a fraction, true, an empty list and an empty object.
    fn neighbours(v: &Json, depth: usize, out: &mut Vec<Json>) {
        let Some(map) = v.as_object() else { return };
        for key in map.keys() {
            for replacement in [
                None,
                Some(json!(null)),
                Some(json!("x")),
                Some(json!(3)),
                Some(json!(-2)),
                Some(json!(0.5)),
                Some(json!(0.1)),
                Some(json!(79_228_162_514_264_337_593_543_950_336.0)),
                Some(json!(true)),
                Some(json!([])),
                Some(json!({})),
            ] {
                let mut m = map.clone();
                match replacement {
                    Some(r) => m.insert(key.clone(), r),
                    None => m.remove(key),
                };
                out.push(Json::Object(m));
            }
            if depth > 0 {
                let mut inner = Vec::new();
                match &map[key] {
                    Json::Array(items) => {
                        for (i, item) in items.iter().enumerate().take(2) {
                            let mut below = Vec::new();
                            neighbours(item, depth - 1, &mut below);
                            inner.extend(below.into_iter().map(|b| {
                                let mut items = items.clone();
                                items[i] = b;
                                Json::Array(items)
                            }));
                        }
                    }
                    o @ Json::Object(_) => neighbours(o, depth - 1, &mut inner),
                    _ => {}
                }
                out.extend(inner.into_iter().map(|b| {
                    let mut m = map.clone();
                    m.insert(key.clone(), b);
                    Json::Object(m)
                }));
            }
        }
    }

    #[test]
    fn every_shipped_index_and_its_malformed_neighbours_read_as_serde_json_reads_them() {
        let indices = shipped(crate::index::INDEX_FORMAT);
        assert!(indices.len() >= 5, "{} indices", indices.len());
        let (mut read, mut refused) = (0, 0);
        for v in &indices {
            assert!(same::<IndexDefinition>(v));
            let mut near = Vec::new();
            neighbours(v, 3, &mut near);
            for n in near.iter().take(3000) {
                if same::<IndexDefinition>(n) {
                    read += 1;
                } else {
                    refused += 1;
                }
            }
        }
        assert!(
            read > 100 && refused > 1000,
            "{read} read, {refused} refused"
        );
    }

    #[test]
    fn every_shipped_assessment_and_its_malformed_neighbours_read_as_serde_json_reads_them() {
        let assessments = shipped(crate::assessment::ASSESSMENT_FORMAT);
        assert!(assessments.len() >= 3, "{} assessments", assessments.len());
        let (mut read, mut refused) = (0, 0);
        for v in &assessments {
            assert!(same::<Assessment>(v));
            let mut near = Vec::new();
            neighbours(v, 4, &mut near);
            for n in &near {
                if same::<Assessment>(n) {
                    read += 1;
                } else {
                    refused += 1;
                }
            }
        }
        assert!(read > 50 && refused > 500, "{read} read, {refused} refused");
    }

    #[test]
    fn floats_read_as_serde_json_reads_them() {
        use rust_decimal::Decimal;
        // Decimals (the form module reads them from the float's text without core's float
        // printing), integers, strings and values given a float: the same result or the
        // same message.
        let mut rng = super::super::digits::tests::Rng::new(0x2545_f491_4f6c_dd1d);
        let mut floats = vec![
            0.0,
            -0.0,
            0.1,
            0.5,
            -2.5,
            1e-7,
            1e21,
            1e300,
            5e-324,
            (1u64 << 50) as f64 + 0.25,
            -((1u64 << 50) as f64 + 7.25),
            79_228_162_514_264_337_593_543_950_336.0,
            7.922816251426433e28,
            1e28,
            123456.78901234,
        ];
        for _ in 0..20_000 {
            let x = f64::from_bits(rng.next());
            if x.is_finite() {
                floats.push(x);
                floats.push(x / 2f64.powi(x.abs().log2().floor() as i32 - 20));
            }
        }
        fn both<T: DeserializeOwned + PartialEq + Debug>(v: &Json) {
            let theirs = T::deserialize(v.clone()).map_err(|e| e.to_string());
            let ours = T::deserialize(Untracked(v.clone())).map_err(|e| e.to_string());
            assert_eq!(theirs, ours, "{v}");
        }
        for x in floats {
            let v = json!(x);
            both::<Decimal>(&v);
            both::<Option<Decimal>>(&v);
            both::<u32>(&v);
            both::<String>(&v);
            both::<Json>(&v);
            both::<Vec<Decimal>>(&json!([x, x]));
        }
    }

    #[test]
    fn a_struct_written_as_an_array_reads_as_its_object() {
        use crate::assessment::Unit;
        // serde reads a struct from an array of its fields in order; so does this reader,
        // through the field names (no sequence reader per struct).
        for v in [
            json!(["Sở Tư pháp", "stp", "sở"]),
            json!(["Sở Tư pháp"]),
            json!(["Sở Tư pháp", null]),
            json!([]),
            json!(["a", "b", "c", "d"]),
            json!([1]),
        ] {
            let theirs = Unit::deserialize(v.clone());
            let ours = Unit::deserialize(Untracked(v.clone()));
            match (&theirs, &ours) {
                (Ok(a), Ok(b)) => assert_eq!(a, b, "{v}"),
                (Err(_), Err(_)) => {}
                _ => panic!("{v}: serde_json {theirs:?}, untracked {ours:?}"),
            }
        }
        let unit = Unit::deserialize(Untracked(json!(["Sở Tư pháp", "stp"]))).unwrap();
        assert_eq!(
            (unit.name.as_str(), unit.id.as_deref()),
            ("Sở Tư pháp", Some("stp"))
        );
    }

    use serde::Deserialize;
}
