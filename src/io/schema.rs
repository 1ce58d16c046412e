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
    /// A what-if scenario (`chiso.scenario/1`).
    Scenario,
    /// The output of `chiso whatif` (`chiso.whatif/1`).
    WhatIf,
    /// Costs of improvements for the planner (`chiso.costs/1`).
    Costs,
    /// A plan (`chiso.plan/1`).
    Plan,
    /// The points-still-available table (`chiso.headroom/1`).
    Headroom,
    /// A survey definition (`chiso.survey/1`, `criteria/sipas/`).
    Survey,
    /// The output of `chiso survey` (`chiso.survey-result/1`).
    SurveyResult,
}

impl Document {
    /// All documents.
    pub const ALL: [Document; 11] = [
        Document::Index,
        Document::Assessment,
        Document::Result,
        Document::Scenario,
        Document::WhatIf,
        Document::Costs,
        Document::Plan,
        Document::Headroom,
        Document::Sensitivity,
        Document::Survey,
        Document::SurveyResult,
    ];

    /// File name under `criteria/schema/`.
    pub fn file_name(self) -> &'static str {
        match self {
            Document::Index => "index.schema.json",
            Document::Assessment => "assessment.schema.json",
            Document::Result => "result.schema.json",
            Document::Sensitivity => "sensitivity.schema.json",
            Document::Scenario => "scenario.schema.json",
            Document::WhatIf => "whatif.schema.json",
            Document::Costs => "costs.schema.json",
            Document::Plan => "plan.schema.json",
            Document::Headroom => "headroom.schema.json",
            Document::Survey => "survey.schema.json",
            Document::SurveyResult => "survey-result.schema.json",
        }
    }

    /// The name `chiso schema` takes: `index`, `assessment`, `result`, `sensitivity`,
    /// `scenario`, `whatif`, `costs`, `plan`, `headroom`, `survey`, `survey-result`.
    pub fn name(self) -> &'static str {
        match self {
            Document::Index => "index",
            Document::Assessment => "assessment",
            Document::Result => "result",
            Document::Sensitivity => "sensitivity",
            Document::Scenario => "scenario",
            Document::WhatIf => "whatif",
            Document::Costs => "costs",
            Document::Plan => "plan",
            Document::Headroom => "headroom",
            Document::Survey => "survey",
            Document::SurveyResult => "survey-result",
        }
    }

    /// The document of a [`name`](Document::name).
    ///
    /// ```
    /// use chiso::schema::Document;
    /// assert_eq!(Document::parse("costs"), Some(Document::Costs));
    /// assert!(Document::ALL.iter().all(|d| Document::parse(d.name()) == Some(*d)));
    /// ```
    pub fn parse(s: &str) -> Option<Document> {
        Document::ALL.into_iter().find(|d| d.name() == s)
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
        Document::Scenario => schema_for!(crate::scenario::Scenario),
        Document::WhatIf => schema_for!(crate::scenario::WhatIf),
        Document::Costs => schema_for!(crate::planner::Costs),
        Document::Plan => schema_for!(crate::planner::Plan),
        Document::Headroom => schema_for!(crate::planner::Headroom),
        Document::Survey => schema_for!(crate::survey::Questionnaire),
        Document::SurveyResult => schema_for!(crate::survey::SurveyResult),
    };
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}
