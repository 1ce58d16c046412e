//! JSON Schemas of the file formats, generated from the Rust types.

use schemars::schema_for;

/// Which document a schema describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Document {
    /// An index definition (`criteria/**/*.json`).
    Index,
    /// An assessment.
    Assessment,
    /// A score result.
    Result,
    /// A sensitivity / uncertainty analysis spec (`chiso sensitivity --spec`).
    Sensitivity,
}

impl Document {
    /// All documents.
    pub const ALL: [Document; 4] = [
        Document::Index,
        Document::Assessment,
        Document::Result,
        Document::Sensitivity,
    ];

    /// File name under `criteria/schema/`.
    pub fn file_name(self) -> &'static str {
        match self {
            Document::Index => "index.schema.json",
            Document::Assessment => "assessment.schema.json",
            Document::Result => "result.schema.json",
            Document::Sensitivity => "sensitivity.schema.json",
        }
    }

    /// Parses `index`, `assessment` or `result`.
    pub fn parse(s: &str) -> Option<Document> {
        match s {
            "index" => Some(Document::Index),
            "assessment" => Some(Document::Assessment),
            "result" => Some(Document::Result),
            "sensitivity" => Some(Document::Sensitivity),
            _ => None,
        }
    }
}

/// The schema of `doc`, pretty-printed with a trailing newline.
///
/// ```
/// let s = chiso::schema::schema_json(chiso::schema::Document::Index);
/// assert!(s.contains("\"max_points\""));
/// ```
pub fn schema_json(doc: Document) -> String {
    let schema = match doc {
        Document::Index => schema_for!(crate::index::IndexDefinition),
        Document::Assessment => schema_for!(crate::assessment::Assessment),
        Document::Result => schema_for!(crate::result::ScoreResult),
        Document::Sensitivity => schema_for!(crate::sensitivity::Spec),
    };
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}
