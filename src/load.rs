//! Reading index and assessment files: JSON syntax, then shape (with JSON paths), all
//! problems reported at once where the format allows.

use crate::assessment::{Assessment, Entry, ASSESSMENT_FORMAT};
use crate::diagnostics::{Diagnostic, Diagnostics, Problem};
use crate::index::{IndexDefinition, INDEX_FORMAT};
use crate::node::Node;
use serde::de::DeserializeOwned;
use serde_json::Value as Json;

fn syntax(e: &serde_json::Error) -> Diagnostic {
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

fn strip_position(s: &str) -> String {
    match s.find(" at line ") {
        Some(i) => s[..i].to_owned(),
        None => s.to_owned(),
    }
}

/// Deserializes `value` as `T`; on failure returns a diagnostic at `prefix` + the
/// inner JSON path.
pub(crate) fn typed<T: DeserializeOwned>(
    value: Json,
    prefix: &str,
    code: Option<&str>,
) -> Result<T, Box<Diagnostic>> {
    serde_path_to_error::deserialize::<_, T>(value).map_err(|e| {
        let inner = e.path().to_string();
        let path = if inner == "." || inner.is_empty() {
            prefix.to_owned()
        } else {
            format!("{prefix}.{inner}")
        };
        Box::new(Diagnostic::error(
            path,
            code,
            Problem::Structure {
                detail: strip_position(&e.into_inner().to_string()),
            },
        ))
    })
}

/// Parses JSON text; a syntax error becomes one diagnostic at `$` with line and column.
pub(crate) fn parse(text: &str) -> Result<Json, Diagnostics> {
    serde_json::from_str::<Json>(text).map_err(|e| Diagnostics(vec![syntax(&e)]))
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
                found: found.into(),
            },
        )
    })
}

/// Parses an index definition. On failure every node with a shape problem is reported.
///
/// ```
/// let err = chiso::load::index_definition(r#"{"format":"chiso.index/1"}"#).unwrap_err();
/// assert!(err.render(chiso::Lang::En).contains("missing field"));
/// ```
pub fn index_definition(text: &str) -> Result<IndexDefinition, Diagnostics> {
    let v = parse(text)?;
    if let Some(d) = check_format(&v, INDEX_FORMAT) {
        return Err(Diagnostics(vec![d]));
    }
    match typed::<IndexDefinition>(v.clone(), "$", None) {
        Ok(def) => Ok(def),
        Err(first) => {
            // Report every malformed node, not only the first one serde met.
            let mut all = Diagnostics::default();
            let mut top = v.clone();
            if let Some(obj) = top.as_object_mut() {
                if obj.contains_key("nodes") {
                    obj.insert("nodes".into(), Json::Array(Vec::new()));
                }
            }
            if let Err(d) = typed::<IndexDefinition>(top, "$", None) {
                all.push(*d);
            }
            if let Some(nodes) = v.get("nodes").and_then(Json::as_array) {
                for (i, n) in nodes.iter().enumerate() {
                    collect_node_errors(n, &format!("$.nodes[{i}]"), &mut all);
                }
            }
            if all.is_empty() {
                all.push(*first);
            }
            Err(all)
        }
    }
}

fn collect_node_errors(n: &Json, path: &str, out: &mut Diagnostics) {
    let code = n.get("code").and_then(Json::as_str).map(str::to_owned);
    let mut shallow = n.clone();
    if let Some(obj) = shallow.as_object_mut() {
        if obj.contains_key("children") {
            obj.insert("children".into(), Json::Array(Vec::new()));
        }
    }
    if let Err(d) = typed::<Node>(shallow, path, code.as_deref()) {
        out.push(*d);
    }
    if let Some(children) = n.get("children").and_then(Json::as_array) {
        for (i, c) in children.iter().enumerate() {
            collect_node_errors(c, &format!("{path}.children[{i}]"), out);
        }
    }
}

/// Parses an assessment; every malformed entry is reported.
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
    let mut errors = Diagnostics::default();
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
            let path = format!("$.{section}[\"{code}\"]");
            match typed::<Entry>(value, &path, Some(&code)) {
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
    if errors.is_empty() {
        Ok(a)
    } else {
        Err(errors)
    }
}

/// Reads a file to a string, as a diagnostic on failure.
pub fn read_file(path: &std::path::Path) -> Result<String, Diagnostics> {
    std::fs::read_to_string(path).map_err(|e| {
        Diagnostics(vec![Diagnostic::error(
            "$",
            None,
            Problem::Io {
                detail: e.to_string(),
            },
        )
        .in_file(path.display().to_string())])
    })
}
