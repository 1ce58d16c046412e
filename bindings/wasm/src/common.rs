//! What every call of the binding shares: the error JavaScript receives ([`ApiError`],
//! one [`DiagnosticView`] per problem, located by JSON path or by row, column and record)
//! and the JSON helpers (parse with a path, write compactly).

// An error is built once per failed call and handed to JavaScript; boxing it would only
// add an allocation.
#![allow(clippy::result_large_err)]

use chiso::diagnostics::{Diagnostic, Diagnostics, Problem, Severity};
use chiso::Lang;
use serde::{Deserialize, Serialize};

/// An error for JavaScript: a stable `code` (the problem's type tag), where it is, and
/// every diagnostic found, in both languages.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApiError {
    /// Stable machine code of the first error, e.g. `unknown_code`, `syntax`.
    pub code: String,
    /// JSON path of the first error.
    pub path: String,
    /// Criterion code of the first error, if any.
    pub criterion: Option<String>,
    /// Vietnamese message of the first error (with location).
    pub message_vi: String,
    /// English message of the first error (with location).
    pub message_en: String,
    /// Every problem (errors and warnings).
    pub diagnostics: Vec<DiagnosticView>,
    /// The first error is a shape error read without path tracking (the browser's form
    /// module, feature `lean`): the same call in the analysis module names its exact path.
    pub unlocated: bool,
}

/// One diagnostic as JavaScript sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DiagnosticView {
    /// `error` or `warning`.
    pub severity: &'static str,
    /// Stable problem code.
    pub code: String,
    /// JSON path.
    pub path: String,
    /// Criterion code.
    pub criterion: Option<String>,
    /// File, if known.
    pub file: Option<String>,
    /// Message in Vietnamese.
    pub vi: String,
    /// Message in English.
    pub en: String,
    /// Row of a record file (dossiers, answer sheet), when the problem is in one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<u64>,
    /// Column of a record file, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// The record's own key (`MaHoSo` of a dossier, respondent id of an answer sheet).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    /// A shape error read without path tracking (feature `lean`, see [`crate::load`]):
    /// the analysis module's same call names its exact path. Written only when true.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub unlocated: bool,
}

/// The problem's stable code: its serde `type` tag. Read by a serializer that keeps only
/// that tag and stops there (serializing the whole problem into a `serde_json::Value` cost
/// ~15 KB of WebAssembly for one string).
fn problem_code(p: &Problem) -> String {
    // The domain's stable code for coded problems (records_due_before_receipt…), the
    // serde `type` tag otherwise — read without serializing.
    p.stable_code().to_owned()
}

impl DiagnosticView {
    pub(crate) fn of(d: &Diagnostic) -> Self {
        // The form's module (neither records nor analysis) only meets JSON paths and
        // argument names, never a record file's rows.
        #[cfg(not(any(feature = "records", feature = "analysis")))]
        let (row, column, record) = (None, None, None);
        #[cfg(any(feature = "records", feature = "analysis"))]
        let (row, column, record) = locate(&d.path);
        DiagnosticView {
            severity: match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            },
            code: problem_code(&d.problem),
            path: d.path.clone(),
            criterion: d.code.clone(),
            file: d.file.clone(),
            vi: d.message(Lang::Vi),
            en: d.message(Lang::En),
            row,
            column,
            record,
            unlocated: false,
        }
    }

    /// Marks a shape error of the lean loaders as [`unlocated`](Self::unlocated).
    pub(crate) fn mark_unlocated(mut self) -> Self {
        self.unlocated = cfg!(feature = "lean") && self.code == "structure";
        self
    }
}

/// Row, column and record key of a record-file location as the library writes it:
/// `row 12, column "NgayHenTra", MaHoSo "H21.17-0001"` (dossiers) or
/// `row 17, column q9_sat_3` (answer sheets). Other paths (JSON paths) give nothing.
#[cfg(any(feature = "records", feature = "analysis"))]
pub(crate) fn locate(path: &str) -> (Option<u64>, Option<String>, Option<String>) {
    let rest = match (path.strip_prefix("row "), path.strip_prefix("rows ")) {
        (Some(r), _) => r,
        // A duplicate names both rows (`rows 3 and 7, column "MaHoSo"`): the later one.
        (None, Some(r)) => r.split_once(" and ").map_or(r, |(_, b)| b),
        (None, None) => return (None, None, None),
    };
    let mut parts = rest.split(", ");
    let row = parts.next().and_then(|n| n.parse().ok());
    let (mut column, mut record) = (None, None);
    for p in parts {
        let unquote = |v: &str| {
            v.strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .unwrap_or(v)
                .to_owned()
        };
        if let Some(c) = p.strip_prefix("column ") {
            column = Some(unquote(c));
        } else if let Some(m) = p.strip_prefix("MaHoSo ") {
            record = Some(unquote(m));
        }
    }
    (row, column, record)
}

impl From<Diagnostics> for ApiError {
    fn from(ds: Diagnostics) -> Self {
        let views: Vec<DiagnosticView> = ds.0.iter().map(DiagnosticView::of).collect();
        let first = ds
            .errors()
            .next()
            .or(ds.0.first())
            .map(DiagnosticView::of)
            .unwrap_or_else(|| DiagnosticView {
                severity: "error",
                code: "invalid".into(),
                path: "$".into(),
                criterion: None,
                file: None,
                vi: "dữ liệu không hợp lệ".into(),
                en: "invalid input".into(),
                row: None,
                column: None,
                record: None,
                unlocated: false,
            });
        ApiError {
            code: first.code,
            path: first.path,
            criterion: first.criterion,
            message_vi: first.vi,
            message_en: first.en,
            diagnostics: views,
            unlocated: false,
        }
    }
}

impl ApiError {
    /// Marks the shape errors of the lean loaders (feature `lean`) as unlocated, so the
    /// page re-runs the call in the analysis module for their exact JSON path.
    pub(crate) fn mark_unlocated(mut self) -> Self {
        self.diagnostics = self
            .diagnostics
            .into_iter()
            .map(DiagnosticView::mark_unlocated)
            .collect();
        self.unlocated = self.diagnostics.iter().any(|d| d.unlocated);
        self
    }
}

impl From<Diagnostic> for ApiError {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d]).into()
    }
}

impl From<Box<Diagnostic>> for ApiError {
    fn from(d: Box<Diagnostic>) -> Self {
        Diagnostics(vec![*d]).into()
    }
}

pub(crate) fn usage(path: &str, vi: String, en: String) -> ApiError {
    ApiError {
        code: "usage".into(),
        path: path.into(),
        criterion: None,
        message_vi: vi.clone(),
        message_en: en.clone(),
        diagnostics: vec![DiagnosticView {
            severity: "error",
            code: "usage".into(),
            path: path.into(),
            criterion: None,
            file: None,
            vi,
            en,
            row: None,
            column: None,
            record: None,
            unlocated: false,
        }],
        unlocated: false,
    }
}

/// Result type of the API.
pub type ApiResult<T> = Result<T, ApiError>;

/// `v` as compact JSON, byte for byte what `serde_json::to_string` writes, by the
/// library's small serializer ([`chiso::write::json`], 1.9 KB less WebAssembly than
/// `serde_json`'s). The score result has its own hand-written writer
/// ([`chiso::write::result`]).
pub(crate) fn to_json<T: Serialize + ?Sized>(v: &T) -> String {
    // Our result types serialise infallibly (string keys, no non-finite floats).
    chiso::write::json(v).unwrap_or_else(|| "null".into())
}

/// Parses `text` as `T`, reporting syntax and shape errors with their JSON path under
/// `path`. Goes through `serde_json::Value`, like `chiso::load`, so the WASM module holds
/// one deserialiser per type. With feature `lean` without path tracking ([`crate::load`]).
#[cfg(feature = "lean")]
pub(crate) fn parse_json<T: for<'de> Deserialize<'de>>(text: &str, path: &str) -> ApiResult<T> {
    crate::load::argument(text, path).map_err(|ds| ApiError::from(ds).mark_unlocated())
}

/// Parses `text` as `T`, reporting syntax and shape errors with their JSON path under
/// `path`. Goes through `serde_json::Value`, like `chiso::load`, so the WASM module holds
/// one deserialiser per type.
#[cfg(not(feature = "lean"))]
pub(crate) fn parse_json<T: for<'de> Deserialize<'de>>(text: &str, path: &str) -> ApiResult<T> {
    // chiso's strict JSON reader (limits, duplicate keys, numbers, syntax), then the
    // typed value, every path written the library's way under `path`.
    Ok(chiso::load::json_at(text, path)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_code_is_the_problems_serde_tag() {
        for text in [
            r#"{"type":"unknown_code"}"#,
            r#"{"type":"structure","detail":"missing field `id`"}"#,
            r#"{"type":"override_same_as_base"}"#,
            r#"{"type":"wrong_format","expected":"chiso.index/1","found":"x"}"#,
        ] {
            let p: Problem = serde_json::from_str(text).unwrap();
            let whole = serde_json::to_value(&p).unwrap();
            assert_eq!(problem_code(&p), whole["type"].as_str().unwrap(), "{text}");
        }
    }
}
