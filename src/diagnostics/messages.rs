//! The messages of [`Problem`], in Vietnamese and English, as data: `messages.json`, one entry per `type` tag with a
//! Vietnamese and an English template (or a list of them, the first whose `unless` does not
//! match chosen), filled from the problem's own JSON fields.
//!
//! A template names the fields it shows, with a formatter: `{text}` (a string or an
//! integer as it is), `{value:number}` (a decimal in the language's notation),
//! `{limit:power10}`, `{what:what}`, `{both:range}`, `{what:both}`, `{unit:unit}`,
//! `{detail:io}`, `{detail:io_write}`, `{detail:syntax}`, `{detail:structure}`,
//! `{missing:list}`, `{count:last}`; `{{` and `}}` are braces. An alternative
//! `{"unless": ["field", v1, v2…], …}` is skipped when the field is one of the values (an
//! absent field is `null`).
//!
//! Natively the catalog is embedded and read once. The form's WebAssembly module (feature
//! `served-messages`) leaves it out: it is served beside the module and handed over with
//! [`set_messages`]. Without a catalog, or with a template that does not fit, a message is
//! the problem's stable code — never a panic.

use super::{words, Problem};
use crate::text::Lang;
use serde_json::Value;
use std::sync::OnceLock;

static CATALOG: OnceLock<Value> = OnceLock::new();

/// The catalog shipped with this version of chiso (`src/diagnostics/messages.json`).
#[cfg(any(not(feature = "served-messages"), test))]
pub(super) const EMBEDDED: &str = include_str!("messages.json");

// Unit tests built with `served-messages` (`cargo test --features lean --lib` unifies the form
// module's features into this crate) read the embedded catalog too, as a page has it once
// `set_messages` ran; the path without a catalog is tested with `render(None, …)`.
#[cfg(any(not(feature = "served-messages"), test))]
pub(super) fn catalog() -> Option<&'static Value> {
    Some(CATALOG.get_or_init(|| serde_json::from_str(EMBEDDED).unwrap_or(Value::Null)))
}

#[cfg(all(feature = "served-messages", not(test)))]
pub(super) fn catalog() -> Option<&'static Value> {
    CATALOG.get()
}

/// Hands the message catalog (the text of `messages.json`, served beside the form's
/// WebAssembly module) to a build without an embedded one. Returns whether it was taken:
/// `false` for a text that is not a JSON object, or when a catalog is already in place.
pub fn set_messages(text: &str) -> bool {
    match serde_json::from_str::<Value>(text) {
        Ok(v @ Value::Object(_)) => CATALOG.set(v).is_ok(),
        _ => false,
    }
}

impl Problem {
    /// Human message in `lang`, in the words of the criterion (from the catalog; the
    /// problem's stable code when there is none).
    pub fn message(&self, lang: Lang) -> String {
        render(catalog(), self, lang)
    }
}

/// `p`'s message in `lang` from `catalog`, else its stable code.
pub(super) fn render(catalog: Option<&Value>, p: &Problem, lang: Lang) -> String {
    let mut json = String::new();
    crate::io::json::write::problem(&mut json, p);
    let fields = serde_json::from_str::<Value>(&json).unwrap_or(Value::Null);
    catalog
        .and_then(|c| choose(&c[p.tag()], &fields))
        .and_then(|t| t[lang.pick("vi", "en")].as_str())
        .and_then(|t| fill(t, &fields, lang))
        .unwrap_or_else(|| p.stable_code().to_owned())
}

/// The entry's template object: the entry itself, or the first alternative whose
/// `unless` does not match the fields.
fn choose<'a>(entry: &'a Value, fields: &Value) -> Option<&'a Value> {
    match entry {
        Value::Array(alternatives) => alternatives.iter().find(|a| match a.get("unless") {
            Some(Value::Array(u)) => match u.split_first() {
                Some((Value::String(f), values)) => !values.contains(&fields[f.as_str()]),
                _ => false,
            },
            _ => true,
        }),
        Value::Object(_) => Some(entry),
        _ => None,
    }
}

/// A piece of a template: literal text (a doubled brace is one brace) or a placeholder
/// `(field, formatter)`.
enum Piece<'t> {
    Text(&'t str),
    Field(&'t str, &'t str),
}

/// Hands `each` the pieces of `template` in order; `None` when its braces do not pair or
/// `each` says `None`.
fn pieces<'t>(template: &'t str, mut each: impl FnMut(Piece<'t>) -> Option<()>) -> Option<()> {
    let mut rest = template;
    while let Some(i) = rest.find(['{', '}']) {
        each(Piece::Text(&rest[..i]))?;
        let brace = rest.as_bytes()[i];
        rest = &rest[i + 1..];
        if rest.as_bytes().first() == Some(&brace) {
            each(Piece::Text(&rest[..1]))?;
            rest = &rest[1..];
            continue;
        }
        if brace == b'}' {
            return None;
        }
        let end = rest.find('}')?;
        let inner = &rest[..end];
        let (name, format) = inner.split_once(':').unwrap_or((inner, ""));
        each(Piece::Field(name, format))?;
        rest = &rest[end + 1..];
    }
    each(Piece::Text(rest))
}

/// The placeholders of a template, `(field, formatter)`, in order; `None` when its braces
/// do not pair.
#[cfg(test)]
pub(super) fn placeholders(template: &str) -> Option<Vec<(&str, &str)>> {
    let mut out = Vec::new();
    pieces(template, |p| {
        if let Piece::Field(name, format) = p {
            out.push((name, format));
        }
        Some(())
    })?;
    Some(out)
}

/// `template` with its placeholders filled from `fields`; `None` when a field is missing
/// or does not fit its formatter.
fn fill(template: &str, fields: &Value, lang: Lang) -> Option<String> {
    let mut out = String::with_capacity(template.len() + 32);
    pieces(template, |p| {
        match p {
            Piece::Text(t) => out.push_str(t),
            Piece::Field(name, format) => out.push_str(&field(&fields[name], format, lang)?),
        }
        Some(())
    })?;
    Some(out)
}

/// One field's value through its formatter.
fn field(v: &Value, format: &str, lang: Lang) -> Option<String> {
    if let Value::Array(items) = v {
        let items: Option<Vec<&str>> = items.iter().map(Value::as_str).collect();
        return (format == "list").then(|| items.map(|i| i.join(", ")))?;
    }
    if let Value::Number(n) = v {
        return match format {
            "" => Some(n.to_string()),
            "last" => n.as_u64().map(|c| c.saturating_sub(1).to_string()),
            _ => None,
        };
    }
    let s = v.as_str()?;
    Some(match format {
        "" => s.to_owned(),
        "number" => crate::display::plain(s.parse().ok()?, lang),
        "power10" => words::power_of_ten(s.parse().ok()?, lang),
        "what" => words::what(s, lang),
        "both" => words::both(s, lang),
        "unit" => words::unit(s, lang),
        "range" => match lang {
            Lang::Vi => s.to_owned(),
            Lang::En => words::range_en(s),
        },
        "io" => words::io(s, lang),
        "io_write" => words::io_write(s, lang),
        "syntax" => words::syntax(s, lang),
        "structure" => words::structure(s, lang),
        _ => return None,
    })
}
