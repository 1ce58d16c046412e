//! Compact JSON text, byte for byte what `serde_json::to_string` writes, from a small
//! `serde` serializer that appends to a `String`: `chiso::write::json`.
//!
//! `serde_json`'s serializer writes through `io::Write` with a boxed error on every step,
//! and each `Serialize` type instantiates its generic steps (`serialize_entry` alone came in
//! 31 copies, 8.5 KB of the form's WebAssembly). Here a step is a push onto the string, the
//! error is a unit, and the shared work (a key, an escaped string, an integer) is one
//! non-generic function each; no `core::fmt` is involved. Floats (which no model type holds)
//! are written by `serde_json` itself, so the output stays identical for every value.
//!
//! The score result, which the form writes after every change and whose warnings may hold
//! any [`Problem`](crate::Problem), is written by hand instead ([`result`]: no serializer
//! at all), ~9 KB less WebAssembly than its derived `Serialize` through this serializer.

use serde::ser::{self, Impossible, Serialize};

#[path = "write_definition.rs"]
mod write_definition;
#[path = "write_problem.rs"]
mod write_problem;
#[path = "write_result.rs"]
mod write_result;

pub use write_definition::{definition, nodes};
pub(crate) use write_problem::problem;
pub use write_result::result;

/// `value` as compact JSON text, exactly as `serde_json::to_string` writes it; `None`
/// where `serde_json` fails too (a map key that is not a string, number, bool or unit
/// variant; an error raised by a `Serialize` impl).
///
/// ```
/// let v = serde_json::json!({"a": [1, "x\"y", null], "b": {"c": true}});
/// assert_eq!(chiso::write::json(&v).unwrap(), serde_json::to_string(&v).unwrap());
/// ```
pub fn json<T: Serialize + ?Sized>(value: &T) -> Option<String> {
    let mut w = Writer(String::with_capacity(128));
    value.serialize(&mut w).ok()?;
    Some(w.0)
}

/// The text written so far.
struct Writer(String);

/// A value `serde_json` cannot write either (the message is not kept: callers only need
/// to know that writing failed).
#[derive(Debug)]
pub struct Error;

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("value not writable as JSON")
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: std::fmt::Display>(_msg: T) -> Self {
        Error
    }
}

type Res = Result<(), Error>;

/// `s` as a JSON string: quoted, with `"`, `\` and control characters escaped as
/// `serde_json` escapes them (`\b \t \n \f \r`, else `\u00xx` in lower-case hex).
fn push_str(out: &mut String, s: &str) {
    out.push('"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let short = match b {
            b'"' => b'"',
            b'\\' => b'\\',
            0x08 => b'b',
            0x09 => b't',
            0x0a => b'n',
            0x0c => b'f',
            0x0d => b'r',
            0x00..=0x1f => b'u',
            _ => continue,
        };
        // `i` is at an ASCII byte, so both slices end on character boundaries.
        out.push_str(&s[start..i]);
        out.push('\\');
        out.push(short as char);
        if short == b'u' {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("00");
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 0xf) as usize] as char);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// An exact decimal as `Decimal`'s `Serialize` writes it, a JSON string (`"68.570"`,
/// `"-0.5"`, `"3"`; a negative zero keeps its sign), without the `core::fmt` machinery.
fn push_decimal(out: &mut String, d: crate::Decimal) {
    out.push('"');
    let scale = d.scale() as usize;
    let mut m = d.mantissa().unsigned_abs();
    let mut digits = [0u8; 40];
    let mut n = 0;
    while m > 0 || n <= scale {
        digits[n] = b'0' + (m % 10) as u8;
        m /= 10;
        n += 1;
    }
    if d.is_sign_negative() {
        out.push('-');
    }
    for i in (0..n).rev() {
        out.push(digits[i] as char);
        if i == scale && scale > 0 {
            out.push('.');
        }
    }
    out.push('"');
}

/// An unsigned integer in decimal digits.
fn push_u128(out: &mut String, mut n: u128) {
    let mut buf = [0u8; 39];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &buf[i..] {
        out.push(d as char);
    }
}

/// A signed integer in decimal digits.
fn push_i128(out: &mut String, n: i128) {
    if n < 0 {
        out.push('-');
    }
    push_u128(out, n.unsigned_abs());
}

/// A float as `serde_json` writes it (shortest digits; `null` when not finite).
fn push_float<F: Serialize>(out: &mut String, v: F) -> Res {
    out.push_str(&serde_json::to_string(&v).map_err(|_| Error)?);
    Ok(())
}

/// The separator before an element or entry, `,` but before the first.
fn comma(out: &mut String, first: &mut bool) {
    if !*first {
        out.push(',');
    }
    *first = false;
}

/// An object key and its colon.
fn push_key(out: &mut String, first: &mut bool, key: &str) {
    comma(out, first);
    push_str(out, key);
    out.push(':');
}

/// An array or object being written; `close` is what ends it (`]`, `}`, or `}}` for an
/// enum variant's array or object inside `{"Variant":…}`).
pub struct Compound<'a> {
    w: &'a mut Writer,
    first: bool,
    close: &'static str,
}

impl<'a> Compound<'a> {
    fn open(w: &'a mut Writer, variant: Option<&str>, open: char, close: &'static str) -> Self {
        if let Some(v) = variant {
            w.0.push('{');
            push_str(&mut w.0, v);
            w.0.push(':');
        }
        w.0.push(open);
        Compound {
            w,
            first: true,
            close,
        }
    }

    // Not inlined: one call per field in each derived `serialize`, not its whole body.
    #[inline(never)]
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Res {
        comma(&mut self.w.0, &mut self.first);
        value.serialize(&mut *self.w)
    }

    // Not inlined: one call per field in each derived `serialize`, not its whole body.
    #[inline(never)]
    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Res {
        push_key(&mut self.w.0, &mut self.first, key);
        value.serialize(&mut *self.w)
    }

    fn finish(self) -> Res {
        self.w.0.push_str(self.close);
        Ok(())
    }
}

impl<'a> ser::Serializer for &'a mut Writer {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    fn serialize_bool(self, v: bool) -> Res {
        self.0.push_str(if v { "true" } else { "false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Res {
        self.serialize_i128(v.into())
    }
    fn serialize_i16(self, v: i16) -> Res {
        self.serialize_i128(v.into())
    }
    fn serialize_i32(self, v: i32) -> Res {
        self.serialize_i128(v.into())
    }
    fn serialize_i64(self, v: i64) -> Res {
        self.serialize_i128(v.into())
    }
    fn serialize_i128(self, v: i128) -> Res {
        push_i128(&mut self.0, v);
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Res {
        self.serialize_u128(v.into())
    }
    fn serialize_u16(self, v: u16) -> Res {
        self.serialize_u128(v.into())
    }
    fn serialize_u32(self, v: u32) -> Res {
        self.serialize_u128(v.into())
    }
    fn serialize_u64(self, v: u64) -> Res {
        self.serialize_u128(v.into())
    }
    fn serialize_u128(self, v: u128) -> Res {
        push_u128(&mut self.0, v);
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Res {
        push_float(&mut self.0, v)
    }
    fn serialize_f64(self, v: f64) -> Res {
        push_float(&mut self.0, v)
    }
    fn serialize_char(self, v: char) -> Res {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Res {
        push_str(&mut self.0, v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Res {
        let mut seq = Compound::open(self, None, '[', "]");
        for b in v {
            seq.element(b)?;
        }
        seq.finish()
    }
    fn serialize_none(self) -> Res {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Res {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Res {
        self.0.push_str("null");
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Res {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Res {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Res {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Res {
        let mut map = Compound::open(self, None, '{', "}");
        map.field(variant, value)?;
        map.finish()
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'a>, Error> {
        Ok(Compound::open(self, None, '[', "]"))
    }
    fn serialize_tuple(self, len: usize) -> Result<Compound<'a>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Compound<'a>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>, Error> {
        Ok(Compound::open(self, Some(variant), '[', "]}"))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'a>, Error> {
        Ok(Compound::open(self, None, '{', "}"))
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Compound<'a>, Error> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>, Error> {
        Ok(Compound::open(self, Some(variant), '{', "}}"))
    }
}

impl ser::SerializeSeq for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Res {
        self.element(value)
    }
    fn end(self) -> Res {
        self.finish()
    }
}

impl ser::SerializeTuple for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Res {
        self.element(value)
    }
    fn end(self) -> Res {
        self.finish()
    }
}

impl ser::SerializeTupleStruct for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Res {
        self.element(value)
    }
    fn end(self) -> Res {
        self.finish()
    }
}

impl ser::SerializeTupleVariant for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Res {
        self.element(value)
    }
    fn end(self) -> Res {
        self.finish()
    }
}

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Res {
        comma(&mut self.w.0, &mut self.first);
        key.serialize(Key(&mut self.w.0))?;
        self.w.0.push(':');
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Res {
        value.serialize(&mut *self.w)
    }
    fn end(self) -> Res {
        self.finish()
    }
}

impl ser::SerializeStruct for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Res {
        self.field(key, value)
    }
    fn end(self) -> Res {
        self.finish()
    }
}

impl ser::SerializeStructVariant for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Res {
        self.field(key, value)
    }
    fn end(self) -> Res {
        self.finish()
    }
}

/// A map key, written as `serde_json` writes one: a string; a number, bool or float
/// quoted; anything else refused.
struct Key<'a>(&'a mut String);

impl Key<'_> {
    fn quoted(self, f: impl FnOnce(&mut String)) -> Res {
        self.0.push('"');
        f(self.0);
        self.0.push('"');
        Ok(())
    }
}

impl ser::Serializer for Key<'_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Impossible<(), Error>;
    type SerializeTuple = Impossible<(), Error>;
    type SerializeTupleStruct = Impossible<(), Error>;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = Impossible<(), Error>;
    type SerializeStruct = Impossible<(), Error>;
    type SerializeStructVariant = Impossible<(), Error>;

    fn serialize_bool(self, v: bool) -> Res {
        self.quoted(|o| o.push_str(if v { "true" } else { "false" }))
    }
    fn serialize_i8(self, v: i8) -> Res {
        self.serialize_i128(v.into())
    }
    fn serialize_i16(self, v: i16) -> Res {
        self.serialize_i128(v.into())
    }
    fn serialize_i32(self, v: i32) -> Res {
        self.serialize_i128(v.into())
    }
    fn serialize_i64(self, v: i64) -> Res {
        self.serialize_i128(v.into())
    }
    fn serialize_i128(self, v: i128) -> Res {
        self.quoted(|o| push_i128(o, v))
    }
    fn serialize_u8(self, v: u8) -> Res {
        self.serialize_u128(v.into())
    }
    fn serialize_u16(self, v: u16) -> Res {
        self.serialize_u128(v.into())
    }
    fn serialize_u32(self, v: u32) -> Res {
        self.serialize_u128(v.into())
    }
    fn serialize_u64(self, v: u64) -> Res {
        self.serialize_u128(v.into())
    }
    fn serialize_u128(self, v: u128) -> Res {
        self.quoted(|o| push_u128(o, v))
    }
    fn serialize_f32(self, v: f32) -> Res {
        float_key(self.0, v)
    }
    fn serialize_f64(self, v: f64) -> Res {
        float_key(self.0, v)
    }
    fn serialize_char(self, v: char) -> Res {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Res {
        push_str(self.0, v);
        Ok(())
    }
    fn serialize_bytes(self, _v: &[u8]) -> Res {
        Err(Error)
    }
    fn serialize_none(self) -> Res {
        Err(Error)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Res {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Res {
        Err(Error)
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Res {
        Err(Error)
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Res {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Res {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Res {
        Err(Error)
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(Error)
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, Error> {
        Err(Error)
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Err(Error)
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(Error)
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(Error)
    }
    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, Error> {
        Err(Error)
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(Error)
    }
}

/// A float map key as `serde_json` writes one: its digits quoted; refused when not finite.
fn float_key<F: Serialize + Copy + Into<f64>>(out: &mut String, v: F) -> Res {
    if !v.into().is_finite() {
        return Err(Error);
    }
    out.push('"');
    push_float(out, v)?;
    out.push('"');
    Ok(())
}

#[cfg(test)]
#[path = "tests_write.rs"]
mod tests;

#[cfg(test)]
#[path = "tests_write_definition.rs"]
mod tests_definition;
