//! The one strict JSON reader behind every JSON document chiso reads (index, assessment,
//! scenario, costs, plan target, sensitivity spec, records mapping, survey definition, the
//! WASM entry points); public through [`crate::load`].
//!
//! Before anything is built, one pass over the text ([`scan`]) refuses documents beyond
//! [`crate::limits::MAX_JSON_VALUES`], [`crate::limits::MAX_JSON_CONTAINERS`] and
//! [`crate::limits::MAX_JSON_DEPTH`], every key written twice in one object (JSON leaves
//! the choice open; `serde_json` would silently keep the last) and every number beyond the
//! exact range. Only then does `serde_json` build the value.

#[cfg(any(feature = "lean", test))]
mod digits;
mod encoding;
pub(crate) mod path;
mod scan;
pub(crate) mod untracked;
pub mod write;

use crate::diagnostics::{Diagnostic, Diagnostics, Problem};
use crate::limits::{
    MAX_INPUT_BYTES, MAX_JSON_CONTAINERS, MAX_JSON_DEPTH, MAX_JSON_PROBLEMS, MAX_JSON_VALUES,
};
use scan::{Found, Limits, Report, Stop};
use serde_json::Value;

pub(crate) use encoding::{decode, decode_vec};

/// The limits of [`crate::limits`].
const LIMITS: Limits = Limits {
    values: MAX_JSON_VALUES,
    containers: MAX_JSON_CONTAINERS,
    depth: MAX_JSON_DEPTH,
    problems: MAX_JSON_PROBLEMS,
};

/// The UTF-8 byte order mark as a character.
const BOM: char = '\u{feff}';

/// A file or text larger than [`MAX_INPUT_BYTES`]; `found` when the size is known.
pub(crate) fn too_big(found: Option<u64>) -> Diagnostic {
    Diagnostic::error(
        "$",
        None,
        Problem::LimitExceeded {
            what: "file size / kích thước tệp".into(),
            limit: MAX_INPUT_BYTES,
            found,
            unit: "bytes / byte".into(),
        },
    )
}

/// `text` without a leading byte order mark, if it is not too large.
fn body(text: &str) -> Result<&str, Diagnostics> {
    if text.len() as u64 > MAX_INPUT_BYTES {
        return Err(Diagnostics(vec![too_big(Some(text.len() as u64))]));
    }
    Ok(text.strip_prefix(BOM).unwrap_or(text))
}

/// Whether `serde_json` may parse `text`: `Err` on a limit, a duplicate key or a number
/// out of range; `Ok(true)` when the text is well-formed, `Ok(false)` when it is not JSON
/// (the parser words the syntax error, stopping at or before the byte this pass did).
pub(crate) fn check(text: &str) -> Result<bool, Diagnostics> {
    let report = scan::scan(body(text)?, LIMITS);
    diagnose(&report, &LIMITS)?;
    Ok(report.stop.is_none())
}

/// Parses `text` (a leading byte order mark allowed) after [`check`].
pub(crate) fn parse(text: &str) -> Result<Value, Diagnostics> {
    let well_formed = check(text)?;
    let parsed = serde_json::from_str::<Value>(body(text)?);
    debug_assert!(
        well_formed == parsed.is_ok() || well_formed,
        "the scan is stricter than serde_json"
    );
    parsed.map_err(|e| Diagnostics(vec![syntax(&e)]))
}

/// A syntax error of `serde_json` as one diagnostic at `$` with line and column.
pub(crate) fn syntax(e: &serde_json::Error) -> Diagnostic {
    Diagnostic::error(
        "$",
        None,
        Problem::Syntax {
            line: e.line(),
            column: e.column(),
            detail: strip_position(&e.to_string()),
        },
    )
}

/// `serde_json`'s message without its " at line L column C".
pub(crate) fn strip_position(s: &str) -> String {
    match s.find(" at line ") {
        Some(i) => s[..i].to_owned(),
        None => s.to_owned(),
    }
}

fn diagnose(r: &Report, l: &Limits) -> Result<(), Diagnostics> {
    let limit = |what: &str, limit: u64, found: Option<u64>, unit: &str| Problem::LimitExceeded {
        what: what.into(),
        limit,
        found,
        unit: unit.into(),
    };
    let mut out = Vec::new();
    if let Some(Stop::Depth(path)) = &r.stop {
        out.push(Diagnostic::error(
            short_path(path),
            None,
            limit(
                "JSON nesting depth / độ sâu lồng nhau của JSON",
                l.depth as u64,
                None,
                "levels / cấp",
            ),
        ));
    }
    if r.containers > l.containers {
        out.push(Diagnostic::error(
            "$",
            None,
            limit(
                "number of JSON objects and lists / số đối tượng và danh sách JSON",
                l.containers,
                Some(r.containers),
                "",
            ),
        ));
    }
    if r.values > l.values {
        out.push(Diagnostic::error(
            "$",
            None,
            limit(
                "number of JSON values / số giá trị JSON",
                l.values,
                Some(r.values),
                "",
            ),
        ));
    }
    if !out.is_empty() {
        return Err(Diagnostics(out));
    }
    for f in &r.found {
        out.push(match f {
            Found::Duplicate {
                path, key, code, ..
            } => Diagnostic::error(
                path.as_str(),
                code.as_deref(),
                Problem::DuplicateKey {
                    key: crate::text::excerpt(key),
                },
            ),
            Found::TooLarge { path, text, code } => {
                let mut d = too_large(path, text);
                d.code = code.clone();
                d
            }
            Found::Inexact { path, text, code } => Diagnostic::error(
                path.as_str(),
                code.as_deref(),
                Problem::UnreadableValue {
                    text: crate::text::excerpt(text),
                    detail: "a JSON number keeps about 15 significant digits and 28 decimal places; \
                             write this one in quotes (\"0.1234…\") to keep every digit / \
                             số JSON chỉ giữ được khoảng 15 chữ số có nghĩa và 28 chữ số thập phân; \
                             hãy viết số này trong dấu ngoặc kép (\"0.1234…\") để giữ đủ mọi chữ số"
                        .into(),
                },
            ),
        });
    }
    if r.found_total > r.found.len() {
        out.push(Diagnostic::error(
            "$",
            None,
            limit(
                &format!(
                    "problems listed (the first {n} are shown) / số lỗi liệt kê (chỉ hiện {n} lỗi đầu)",
                    n = r.found.len()
                ),
                l.problems as u64,
                Some(r.found_total as u64),
                "",
            ),
        ));
    }
    if out.is_empty() {
        Ok(())
    } else {
        Err(Diagnostics(out))
    }
}

/// A number no chiso document can hold, at `path`.
pub(crate) fn too_large(path: &str, text: &str) -> Diagnostic {
    Diagnostic::error(
        path,
        None,
        Problem::UnreadableValue {
            text: crate::text::excerpt(text),
            detail: "too large (limit 10¹⁵) / quá lớn (giới hạn 10¹⁵)".into(),
        },
    )
}

/// A JSON path cut to its first and last segments when very long (a 64-deep path).
fn short_path(path: &str) -> String {
    const KEEP: usize = 60;
    if path.chars().count() <= 2 * KEEP {
        return path.to_owned();
    }
    let head: String = path.chars().take(KEEP).collect();
    let tail: Vec<char> = path.chars().rev().take(KEEP).collect();
    let tail: String = tail.into_iter().rev().collect();
    format!("{head}…{tail}")
}

#[cfg(test)]
mod tests;
