//! Reading files and JSON documents.
//!
//! Every file chiso reads whole goes through [`read_file`] (or [`read_bytes`] for bytes
//! already in memory): bounded by [`MAX_INPUT_BYTES`](crate::limits::MAX_INPUT_BYTES),
//! UTF-8 with an optional byte order mark, anything else named. Every JSON document goes
//! through [`json`] (or [`json_as`], or [`check_json`] before a parser of its own):
//! limits, duplicate keys and numbers out of range are refused before anything is built.
//! Then the shape, with JSON paths — for an index and an assessment every malformed node
//! or entry at once.

use crate::assessment::{Assessment, Entry, ASSESSMENT_FORMAT};
use crate::diagnostics::{Diagnostic, Diagnostics, Problem};
use crate::index::{IndexDefinition, INDEX_FORMAT};
use crate::limits::{MAX_INPUT_BYTES, MAX_JSON_PROBLEMS, MAX_NODES};
use crate::node::Node;
use serde::de::DeserializeOwned;
use serde_json::Value as Json;

/// Deserializes `value` as `T`; on failure returns a diagnostic at `prefix` + the
/// inner JSON path.
pub(crate) fn typed<T: DeserializeOwned>(
    value: Json,
    prefix: &str,
    code: Option<&str>,
) -> Result<T, Box<Diagnostic>> {
    serde_path_to_error::deserialize::<_, T>(value).map_err(|e| shape(e, prefix, code))
}

/// [`typed`] without taking the value (no copy of a large document).
pub(crate) fn typed_ref<T: DeserializeOwned>(
    value: &Json,
    prefix: &str,
    code: Option<&str>,
) -> Result<T, Box<Diagnostic>> {
    serde_path_to_error::deserialize::<_, T>(value).map_err(|e| shape(e, prefix, code))
}

fn shape(
    e: serde_path_to_error::Error<serde_json::Error>,
    prefix: &str,
    code: Option<&str>,
) -> Box<Diagnostic> {
    let path = json_path(prefix, e.path());
    let detail = crate::json::strip_position(&e.into_inner().to_string());
    if let Some(number) = too_large_decimal(&detail) {
        let mut d = crate::json::too_large(&path, &number);
        d.code = code.map(str::to_owned);
        return Box::new(d);
    }
    Box::new(Diagnostic::error(
        path,
        code,
        Problem::Structure {
            detail: excerpts(&detail),
        },
    ))
}

/// The JSON path of a deserializer's position below `prefix`: `$.nodes[3].rule`, and a
/// key that is not a plain name in brackets and quotes (`$.leaves["1.1.4"]`), so a code
/// with dots is not read as nested keys.
fn json_path(prefix: &str, path: &serde_path_to_error::Path) -> String {
    use crate::json::path::{push_index, push_member};
    use serde_path_to_error::Segment;
    let mut out = prefix.to_owned();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => push_index(&mut out, *index),
            Segment::Map { key } | Segment::Enum { variant: key } => push_member(&mut out, key),
            Segment::Unknown => out.push_str(".?"),
        }
    }
    out
}

/// The number of a decimal the deserializer refused because it is beyond the exact range
/// (`1e30`, `"1e30"`, 30 digits), rather than because it is not a number.
fn too_large_decimal(detail: &str) -> Option<String> {
    let rest = detail.strip_prefix("invalid value: ")?;
    let (found, expected) = rest.split_once(", expected ")?;
    if !expected.contains("Decimal") {
        return None;
    }
    let number = found
        .split_once('`')
        .and_then(|(_, r)| r.split_once('`'))
        .or_else(|| found.split_once('"').and_then(|(_, r)| r.rsplit_once('"')))
        .map(|(n, _)| n.trim())?;
    let x: f64 = number.parse().ok()?;
    // The decimal type holds magnitudes below 2⁹⁶ ≈ 7.9·10²⁸.
    (x.is_nan() || x.abs() >= 7.9e28).then(|| number.to_owned())
}

/// A deserializer's message with every quoted piece of the file (between backticks or
/// double quotes) cut to a short escaped excerpt, and control characters escaped.
fn excerpts(detail: &str) -> String {
    let max = crate::text::MAX_EXCERPT_CHARS;
    let mut out = String::with_capacity(detail.len().min(400));
    let mut close: Option<char> = None;
    let mut inside = 0usize;
    let mut escaped = false;
    for c in detail.chars() {
        match close {
            Some(end) if c == end && !escaped => {
                close = None;
                if inside > max {
                    out.push('…');
                }
                out.push(c);
                continue;
            }
            Some(_) => {
                escaped = c == '\\' && !escaped;
                inside += 1;
                if inside > max {
                    continue;
                }
            }
            None if c == '`' || c == '"' => {
                close = Some(c);
                inside = 0;
                escaped = false;
                out.push(c);
                continue;
            }
            None => {}
        }
        if c.is_control() {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out
}

/// Parses JSON text strictly (see [`json`]); pub(crate) name kept for the loaders.
pub(crate) fn parse(text: &str) -> Result<Json, Diagnostics> {
    crate::json::parse(text)
}

/// Parses JSON text — the one strict reader behind every JSON document chiso reads.
///
/// Before anything is built, one pass over the text refuses what `serde_json` would
/// accept silently or at any cost: a key written twice in one object (`duplicate_key` at
/// the object's JSON path, naming the key; every one at once, up to
/// [`MAX_JSON_PROBLEMS`](crate::limits::MAX_JSON_PROBLEMS)), a number beyond the exact
/// range ("too large (limit 10¹⁵)"), more values, objects or nesting than
/// [`crate::limits`] allows (`limit_exceeded`). A leading byte order mark is skipped. A
/// syntax error is one diagnostic at `$` with its line and column.
///
/// ```
/// let v = chiso::load::json("\u{feff}{\"a\": [1, 2]}").unwrap();
/// assert_eq!(v["a"][1], 2);
///
/// let err = chiso::load::json(r#"{"code": "1.1", "max_points": "2", "max_points": "3"}"#).unwrap_err();
/// assert_eq!(err.0[0].path, "$");
/// assert_eq!(err.0[0].code.as_deref(), Some("1.1"));
/// assert!(err.render(chiso::Lang::En).contains("key \"max_points\" is used twice"));
/// ```
pub fn json(text: &str) -> Result<Json, Diagnostics> {
    crate::json::parse(text)
}

/// The checks of [`json`] without building anything, for a parser that deserializes
/// straight from the text: `Err` on a duplicate key, a number out of range or a limit;
/// `Ok` otherwise — also when the text is not JSON, which the caller's parser then reports.
///
/// ```
/// assert!(chiso::load::check_json(r#"{"seed": 1, "seed": 2}"#).is_err());
/// assert!(chiso::load::check_json(r#"{"seed": 1"#).is_ok()); // the parser words it
/// ```
pub fn check_json(text: &str) -> Result<(), Diagnostics> {
    crate::json::check(text).map(|_| ())
}

/// Parses JSON text strictly ([`json`]) into `T`; a shape error names its JSON path.
///
/// ```
/// #[derive(Debug, serde::Deserialize)]
/// struct Target { points: chiso::Decimal }
/// let t: Target = chiso::load::json_as(r#"{"points": "2.5"}"#).unwrap();
/// assert_eq!(t.points.to_string(), "2.5");
/// let err = chiso::load::json_as::<Target>(r#"{"points": 1e30}"#).unwrap_err();
/// assert!(err.render(chiso::Lang::En).contains("too large (limit 10¹⁵)"));
/// ```
pub fn json_as<T: DeserializeOwned>(text: &str) -> Result<T, Diagnostics> {
    json_at(text, "$")
}

/// [`json_as`] for a document that is one argument among several (a binding's
/// `overrides`, `costs`): every problem is located under `prefix` instead of `$`, written
/// as every chiso path is.
///
/// ```
/// let err = chiso::load::json_at::<Vec<chiso::Decimal>>(r#"["1", {}]"#, "$overrides")
///     .unwrap_err();
/// assert_eq!(err.0[0].path, "$overrides[1]");
/// let err = chiso::load::json_at::<Vec<chiso::Decimal>>(r#"["1", "1", ]"#, "$overrides")
///     .unwrap_err();
/// assert!(err.0[0].path.starts_with("$overrides"));
/// ```
pub fn json_at<T: DeserializeOwned>(text: &str, prefix: &str) -> Result<T, Diagnostics> {
    let under = |mut d: Diagnostic| {
        if let Some(rest) = d.path.strip_prefix('$') {
            d.path = format!("{prefix}{rest}");
        }
        d
    };
    let v = json(text).map_err(|ds| Diagnostics(ds.0.into_iter().map(under).collect()))?;
    typed(v, prefix, None).map_err(|d| Diagnostics(vec![*d]))
}

/// A wrong `format` field, if present (a missing one is left to the shape check).
pub(crate) fn check_format(v: &Json, expected: &str) -> Option<Diagnostic> {
    let found = v.get("format").and_then(Json::as_str)?;
    (found != expected).then(|| {
        Diagnostic::error(
            "$.format",
            None,
            Problem::WrongFormat {
                expected: expected.into(),
                found: crate::text::excerpt(found),
            },
        )
    })
}

/// Problems collected up to [`MAX_JSON_PROBLEMS`], then counted.
#[derive(Default)]
struct Listed {
    list: Diagnostics,
    more: usize,
}

impl Listed {
    fn push(&mut self, d: Diagnostic) {
        if self.list.len() < MAX_JSON_PROBLEMS {
            self.list.push(d);
        } else {
            self.more += 1;
        }
    }

    /// The problems, with a last one saying how many were not listed.
    fn finish(mut self) -> Diagnostics {
        if self.more > 0 {
            let shown = self.list.len();
            self.list.push(Diagnostic::error(
                "$",
                None,
                Problem::LimitExceeded {
                    what: format!("problems listed (the first {shown} are shown) / số lỗi liệt kê (chỉ hiện {shown} lỗi đầu)"),
                    limit: MAX_JSON_PROBLEMS as u64,
                    found: Some((shown + self.more) as u64),
                    unit: String::new(),
                },
            ));
        }
        self.list
    }
}

/// Criteria (members of `nodes` and `children` lists) in an index document, counted
/// before the typed tree is built.
fn count_nodes(v: &Json) -> usize {
    let mut n = 0;
    let mut todo: Vec<&Json> = match v.get("nodes") {
        Some(Json::Array(a)) => a.iter().collect(),
        _ => Vec::new(),
    };
    while let Some(node) = todo.pop() {
        n += 1;
        if let Some(Json::Array(children)) = node.get("children") {
            todo.extend(children.iter());
        }
    }
    n
}

/// The shape problem of `v` as a `T`, judged with the list under `key` emptied (its
/// items are judged one by one): only an object with such a list is copied, without it.
fn shape_without<T: DeserializeOwned>(
    v: &Json,
    key: &str,
    path: &str,
    code: Option<&str>,
) -> Option<Diagnostic> {
    let judged = match v {
        Json::Object(map) if matches!(map.get(key), Some(Json::Array(a)) if !a.is_empty()) => {
            let shallow = map.iter().map(|(k, x)| match x {
                Json::Array(_) if k == key => (k.clone(), Json::Array(Vec::new())),
                _ => (k.clone(), x.clone()),
            });
            typed::<T>(Json::Object(shallow.collect()), path, code)
        }
        _ => typed_ref::<T>(v, path, code),
    };
    judged.err().map(|d| *d)
}

/// The checks every index file gets before its shape: the strict reader, the `format`
/// and the number of criteria (counted before any tree is built).
fn index_value(text: &str) -> Result<Json, Diagnostics> {
    let v = parse(text)?;
    if let Some(d) = check_format(&v, INDEX_FORMAT) {
        return Err(Diagnostics(vec![d]));
    }
    let nodes = count_nodes(&v);
    if nodes > MAX_NODES {
        return Err(Diagnostics(vec![Diagnostic::error(
            "$.nodes",
            None,
            Problem::LimitExceeded {
                what: "number of criteria / số tiêu chí".into(),
                limit: MAX_NODES as u64,
                found: Some(nodes as u64),
                unit: String::new(),
            },
        )]));
    }
    Ok(v)
}

/// [`index_definition`] without path tracking, for a browser module where the tracking
/// costs more than it gives: the same strict reader, `format` and size checks, then plain
/// `serde`. A well-formed file gives exactly what [`index_definition`] gives; a shape
/// error is one `structure` diagnostic at `$` — ask [`index_definition`] for its path.
///
/// ```
/// let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"),
///     "/criteria/examples/department-example.json")).unwrap();
/// assert_eq!(chiso::load::index_definition_untracked(&text).unwrap(),
///            chiso::load::index_definition(&text).unwrap());
/// let bad = text.replacen("\"max_points\"", "\"max_pointz\"", 1);
/// assert_eq!(chiso::load::index_definition_untracked(&bad).unwrap_err().0[0].path, "$");
/// ```
pub fn index_definition_untracked(text: &str) -> Result<IndexDefinition, Diagnostics> {
    let v = index_value(text)?;
    readers::index_definition(v).map_err(unlocated)
}

/// [`assessment`] without path tracking (see [`index_definition_untracked`]).
pub fn assessment_untracked(text: &str) -> Result<Assessment, Diagnostics> {
    let v = parse(text)?;
    if let Some(d) = check_format(&v, ASSESSMENT_FORMAT) {
        return Err(Diagnostics(vec![d]));
    }
    readers::assessment(v).map_err(unlocated)
}

/// `T` from a value [`json`] has read, without path tracking, as the untracked readers
/// above read it (see [`index_definition_untracked`]): a shape error is one `structure`
/// diagnostic at `$`.
///
/// ```
/// let v = chiso::load::json(r#"{"percent": "85"}"#).unwrap();
/// let value: chiso::assessment::Value = chiso::load::value_untracked(v).unwrap();
/// assert_eq!(value, chiso::load::json_as(r#"{"percent": "85"}"#).unwrap());
/// let v = chiso::load::json(r#"{"percent": true}"#).unwrap();
/// let err = chiso::load::value_untracked::<chiso::assessment::Value>(v).unwrap_err();
/// assert_eq!((err.0[0].path.as_str(), err.0[0].problem.stable_code()), ("$", "structure"));
/// ```
pub fn value_untracked<T: DeserializeOwned>(v: Json) -> Result<T, Diagnostics> {
    untracked(v)
}

/// The readers of a checked index and assessment: by hand in the browser's form module
/// (`model/lean.rs`: the same values and messages without serde's derived visitors), the
/// derived ones through the untracked deserializer everywhere else.
#[cfg(feature = "lean")]
use crate::model::lean as readers;
#[cfg(not(feature = "lean"))]
mod readers {
    use crate::json::untracked::{Error, Untracked};
    use serde::Deserialize;
    use serde_json::Value as Json;

    pub(super) fn index_definition(v: Json) -> Result<crate::index::IndexDefinition, Error> {
        Deserialize::deserialize(Untracked(v))
    }

    pub(super) fn assessment(v: Json) -> Result<crate::assessment::Assessment, Error> {
        Deserialize::deserialize(Untracked(v))
    }
}

/// Plain `serde` on a checked value, read by [`crate::json::untracked`] (no struct's
/// sequence reader compiled); a shape error is one unlocated diagnostic at `$`.
fn untracked<T: DeserializeOwned>(v: Json) -> Result<T, Diagnostics> {
    T::deserialize(crate::json::untracked::Untracked(v)).map_err(unlocated)
}

/// A shape error of the untracked readers: one `structure` diagnostic at `$`.
fn unlocated(e: crate::json::untracked::Error) -> Diagnostics {
    Diagnostics(vec![Diagnostic::error(
        "$",
        None,
        Problem::Structure {
            detail: e.to_string(),
        },
    )])
}

/// Parses an index definition. On failure every node with a shape problem is reported
/// (up to [`MAX_JSON_PROBLEMS`](crate::limits::MAX_JSON_PROBLEMS)).
///
/// ```
/// let err = chiso::load::index_definition(r#"{"format":"chiso.index/1"}"#).unwrap_err();
/// assert!(err.render(chiso::Lang::En).contains("missing field"));
/// ```
pub fn index_definition(text: &str) -> Result<IndexDefinition, Diagnostics> {
    let v = index_value(text)?;
    match typed_ref::<IndexDefinition>(&v, "$", None) {
        Ok(def) => Ok(def),
        Err(first) => {
            // Report every malformed node, not only the first one serde met.
            let mut all = Listed::default();
            if let Some(d) = shape_without::<IndexDefinition>(&v, "nodes", "$", None) {
                all.push(d);
            }
            if let Some(nodes) = v.get("nodes").and_then(Json::as_array) {
                for (i, n) in nodes.iter().enumerate() {
                    collect_node_errors(n, &format!("$.nodes[{i}]"), &mut all);
                }
            }
            if all.list.is_empty() {
                all.push(*first);
            }
            Err(all.finish())
        }
    }
}

fn collect_node_errors(n: &Json, path: &str, out: &mut Listed) {
    let code = n
        .get("code")
        .and_then(Json::as_str)
        .map(crate::text::excerpt);
    if let Some(d) = shape_without::<Node>(n, "children", path, code.as_deref()) {
        out.push(d);
    }
    if let Some(children) = n.get("children").and_then(Json::as_array) {
        for (i, c) in children.iter().enumerate() {
            collect_node_errors(c, &format!("{path}.children[{i}]"), out);
        }
    }
}

/// Parses an assessment; every malformed entry is reported (up to
/// [`MAX_JSON_PROBLEMS`](crate::limits::MAX_JSON_PROBLEMS)).
///
/// ```
/// let a = chiso::load::assessment(r#"{"format":"chiso.assessment/1","index":"x","unit":{"name":"Sở Tư pháp"},
///   "entries":{"1.1":{"self":{"value":{"yes_no":true}}}}}"#).unwrap();
/// assert_eq!(a.entries.len(), 1);
/// ```
pub fn assessment(text: &str) -> Result<Assessment, Diagnostics> {
    let mut v = parse(text)?;
    if let Some(d) = check_format(&v, ASSESSMENT_FORMAT) {
        return Err(Diagnostics(vec![d]));
    }
    let mut errors = Listed::default();
    let mut take = |key: &str| -> Vec<(String, Json)> {
        match v.as_object_mut().and_then(|o| o.get_mut(key)) {
            Some(Json::Object(map)) => std::mem::take(map).into_iter().collect(),
            _ => Vec::new(),
        }
    };
    let entries = take("entries");
    let adjustments = take("adjustments");
    let mut a: Assessment = match typed(v, "$", None) {
        Ok(a) => a,
        Err(d) => {
            errors.push(*d);
            Assessment::default()
        }
    };
    for (section, items) in [("entries", entries), ("adjustments", adjustments)] {
        for (code, value) in items {
            let path = crate::json::path::keyed(section, &code);
            match typed::<Entry>(value, &path, Some(&crate::text::excerpt(&code))) {
                Ok(e) => {
                    let target = if section == "entries" {
                        &mut a.entries
                    } else {
                        &mut a.adjustments
                    };
                    target.insert(code, e);
                }
                Err(d) => errors.push(*d),
            }
        }
    }
    if errors.list.is_empty() {
        Ok(a)
    } else {
        Err(errors.finish())
    }
}

/// Reads a whole text file for the loaders — at most
/// [`MAX_INPUT_BYTES`](crate::limits::MAX_INPUT_BYTES), so an endless stream
/// (`/dev/zero`) or a huge file is refused without growing memory — as UTF-8 text without
/// its byte order mark. A folder, a UTF-16 file, a spreadsheet or binary data is named
/// as such. Diagnostics name the file.
///
/// ```
/// let dir = std::env::temp_dir().join("chiso-read-file-doc");
/// std::fs::create_dir_all(&dir).unwrap();
/// let path = dir.join("bom.json");
/// std::fs::write(&path, b"\xEF\xBB\xBF{}").unwrap();
/// assert_eq!(chiso::load::read_file(&path).unwrap(), "{}");
/// let err = chiso::load::read_file(&dir).unwrap_err();
/// assert!(err.render(chiso::Lang::En).contains("this is a folder, not a file"));
/// ```
pub fn read_file(path: &std::path::Path) -> Result<String, Diagnostics> {
    use std::io::Read;
    let name = path.display().to_string();
    let fail = |p: Problem| Diagnostics(vec![Diagnostic::error("$", None, p).in_file(&name)]);
    let io = |e: std::io::Error| {
        fail(Problem::Io {
            detail: e.to_string(),
        })
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.is_dir() {
        return Err(fail(Problem::Io {
            detail: "Is a directory".into(),
        }));
    }
    if meta.is_file() && meta.len() > MAX_INPUT_BYTES {
        return Err(Diagnostics(vec![
            crate::json::too_big(Some(meta.len())).in_file(&name)
        ]));
    }
    let file = std::fs::File::open(path).map_err(io)?;
    // A regular file's size is known; a stream grows the buffer as it comes.
    let guess = if meta.is_file() {
        meta.len() as usize + 1
    } else {
        1 << 16
    };
    let mut bytes = Vec::with_capacity(guess);
    let mut limited = file.take(MAX_INPUT_BYTES + 1);
    let mut chunk = vec![0u8; 1 << 16];
    loop {
        let n = match limited.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(io(e)),
        };
        // Grow by doubling, but never past the limit + 1 (`Take` stops there).
        if bytes.len() + n > bytes.capacity() {
            let want = (bytes.capacity() * 2)
                .max(bytes.len() + n)
                .min(MAX_INPUT_BYTES as usize + 1);
            bytes.reserve_exact(want - bytes.len());
        }
        bytes.extend_from_slice(&chunk[..n]);
    }
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(Diagnostics(vec![crate::json::too_big(None).in_file(&name)]));
    }
    crate::json::decode_vec(bytes).map_err(|found| fail(Problem::NotUtf8 { found }))
}

/// Bytes received whole (the WASM binding, a library user's buffer) as text, with the
/// checks of [`read_file`]: at most [`MAX_INPUT_BYTES`](crate::limits::MAX_INPUT_BYTES),
/// UTF-8 (a byte order mark skipped), anything else named.
///
/// ```
/// assert_eq!(chiso::load::read_bytes(b"\xEF\xBB\xBF[1]").unwrap(), "[1]");
/// let utf16: Vec<u8> = "{}".encode_utf16().flat_map(u16::to_le_bytes).collect();
/// let err = chiso::load::read_bytes(&utf16).unwrap_err();
/// assert!(err.render(chiso::Lang::En).contains("UTF-16 LE"));
/// ```
pub fn read_bytes(bytes: &[u8]) -> Result<&str, Diagnostics> {
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(Diagnostics(vec![crate::json::too_big(Some(
            bytes.len() as u64
        ))]));
    }
    crate::json::decode(bytes).map_err(|found| {
        Diagnostics(vec![Diagnostic::error(
            "$",
            None,
            Problem::NotUtf8 { found },
        )])
    })
}
