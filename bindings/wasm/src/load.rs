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

use chiso::assessment::Assessment;
use chiso::diagnostics::{Diagnostic, Diagnostics};
use chiso::Index;
use serde::de::DeserializeOwned;

/// An index from its text, as [`chiso::Index::from_json`] builds it; a shape error is one
/// unlocated diagnostic at `$` ([`chiso::load::index_definition_untracked`]).
pub fn index(text: &str) -> Result<Index, Diagnostics> {
    Index::new(chiso::load::index_definition_untracked(text)?)
}

/// An assessment from its text, as [`chiso::load::assessment`] builds it; a shape error is
/// one unlocated diagnostic at `$` ([`chiso::load::assessment_untracked`]).
pub fn assessment(text: &str) -> Result<Assessment, Diagnostics> {
    chiso::load::assessment_untracked(text)
}

/// `T` from a JSON argument of a call (`$value`, `$record`, `$target`): the strict reader,
/// then plain `serde` ([`chiso::load::value_untracked`]); problems located under `path`.
pub fn argument<T: DeserializeOwned>(text: &str, path: &str) -> Result<T, Diagnostics> {
    chiso::load::json(text)
        .and_then(chiso::load::value_untracked)
        .map_err(|ds| {
            Diagnostics(
                ds.0.into_iter()
                    .map(|d| Diagnostic {
                        path: format!("{path}{}", d.path.strip_prefix('$').unwrap_or(&d.path)),
                        ..d
                    })
                    .collect(),
            )
        })
}
