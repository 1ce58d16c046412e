//! Reading an index and an assessment without path tracking, for the browser's form module
//! (feature `lean`).
//!
//! The library's loaders ([`chiso::load`]) track the JSON path of every value they
//! deserialize, so a shape error names `$.nodes[3].rule.tiers[1].points`. That tracking
//! costs about 180 KiB of WebAssembly (a wrapped deserializer per type) for a path only
//! needed when the file is wrong. Here the same strict reader ([`chiso::load::json`]:
//! limits, duplicate keys, numbers out of range) and the same `format` and size checks come
//! first, then plain `serde` on the document. Well-formed files (nearly every file) load to
//! exactly what the library's loader builds (a test checks both on every shipped file);
//! a shape error is one `structure` diagnostic at `$` (the binding marks it `unlocated`):
//! the page re-runs the same call in the analysis module, which has the library's located
//! loader, for the exact JSON path (the second pass; `bindings/web/src/engines.js`).

use chiso::assessment::{Assessment, ASSESSMENT_FORMAT};
use chiso::diagnostics::{Diagnostic, Diagnostics, Problem};
use chiso::index::{IndexDefinition, INDEX_FORMAT};
use chiso::Index;
use serde::de::DeserializeOwned;
use serde_json::Value as Json;

/// An index from its text, as [`chiso::Index::from_json`] builds it; a shape error is one
/// unlocated diagnostic at `$`.
pub fn index(text: &str) -> Result<Index, Diagnostics> {
    let v = chiso::load::json(text)?;
    format(&v, INDEX_FORMAT)?;
    let nodes = count_nodes(&v);
    if nodes > chiso::limits::MAX_NODES {
        // The library's loader words the limit; it runs only for such a file.
        return Err(Diagnostics(vec![Diagnostic::error(
            "$.nodes",
            None,
            Problem::LimitExceeded {
                what: "number of criteria / số tiêu chí".into(),
                limit: chiso::limits::MAX_NODES as u64,
                found: Some(nodes as u64),
                unit: String::new(),
            },
        )]));
    }
    Index::new(plain::<IndexDefinition>(v)?)
}

/// An assessment from its text, as [`chiso::load::assessment`] builds it; a shape error is
/// one unlocated diagnostic at `$`.
pub fn assessment(text: &str) -> Result<Assessment, Diagnostics> {
    let v = chiso::load::json(text)?;
    format(&v, ASSESSMENT_FORMAT)?;
    plain(v)
}

/// `T` from a JSON argument of a call (`$value`, `$record`, `$target`): the strict reader,
/// then plain `serde`; problems located under `path`.
pub fn argument<T: DeserializeOwned>(text: &str, path: &str) -> Result<T, Diagnostics> {
    let v = chiso::load::json(text).map_err(|ds| {
        Diagnostics(
            ds.0.into_iter()
                .map(|d| Diagnostic {
                    path: format!("{path}{}", d.path.strip_prefix('$').unwrap_or(&d.path)),
                    ..d
                })
                .collect(),
        )
    })?;
    T::deserialize(v).map_err(|e| unlocated(path, &e))
}

fn plain<T: DeserializeOwned>(v: Json) -> Result<T, Diagnostics> {
    T::deserialize(v).map_err(|e| unlocated("$", &e))
}

fn unlocated(path: &str, e: &serde_json::Error) -> Diagnostics {
    Diagnostics(vec![Diagnostic::error(
        path,
        None,
        Problem::Structure {
            detail: e.to_string(),
        },
    )])
}

/// A wrong `format` field (a missing one is left to the shape check), as the library says it.
fn format(v: &Json, expected: &str) -> Result<(), Diagnostics> {
    match v.get("format").and_then(Json::as_str) {
        Some(found) if found != expected => Err(Diagnostics(vec![Diagnostic::error(
            "$.format",
            None,
            Problem::WrongFormat {
                expected: expected.into(),
                found: chiso::text::excerpt(found),
            },
        )])),
        _ => Ok(()),
    }
}

/// Criteria (members of `nodes` and `children` lists), counted before the tree is built.
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
