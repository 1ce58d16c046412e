//! Score results: every node's points, maxima, layers, status and explanation.

use crate::assessment::{Layer, Unit};
use crate::diagnostics::Diagnostics;
use crate::engine::Cell;
use crate::index::AdjustmentKind;
use crate::node::Channel;
use crate::text::{Lang, Text};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The format tag written in every result.
pub const RESULT_FORMAT: &str = "chiso.result/1";

/// Which layers the `achieved` figures use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum View {
    /// Self-assessment only (tự chấm); survey leaves use the survey.
    #[serde(rename = "self")]
    SelfAssessment,
    /// Latest appraisal round only; survey leaves use the survey.
    Appraised,
    /// What enters the index: latest appraisal, else self-assessment; plus survey.
    #[default]
    Final,
}

impl std::str::FromStr for View {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "self" => Ok(View::SelfAssessment),
            "appraised" => Ok(View::Appraised),
            "final" => Ok(View::Final),
            o => Err(format!(
                "unknown layer '{o}' (use self, appraised or final)"
            )),
        }
    }
}

/// The scored assessment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ScoreResult {
    /// Format tag, `chiso.result/1`.
    pub format: String,
    /// Index id.
    pub index: String,
    /// Index version.
    pub index_version: String,
    /// The unit.
    pub unit: Unit,
    /// The unit type the assessment named, and what it leaves out (absent when none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_type: Option<UnitTypeRef>,
    /// The rounding the index applies to every leaf's points before adding them
    /// (`policies.leaf_rounding`; absent when leaf points are exact).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leaf_rounding: Option<crate::index::LeafRounding>,
    /// Year.
    pub year: Option<i32>,
    /// View used for `achieved`.
    pub view: View,
    /// The whole index.
    pub total: Total,
    /// Every node below the root, in tree order.
    pub nodes: Vec<NodeResult>,
    /// Bonus and penalty blocks.
    pub adjustments: Vec<AdjustmentResult>,
    /// Warnings about the input (never errors: those stop scoring).
    pub diagnostics: Diagnostics,
}

impl ScoreResult {
    /// The node with `code`.
    pub fn node(&self, code: &str) -> Option<&NodeResult> {
        self.nodes.iter().find(|n| n.code == code)
    }
}

/// The whole index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Total {
    /// Σ criteria, before bonus and penalty.
    pub criteria_points: Option<Decimal>,
    /// Final points: criteria + bonus − penalty, floored at 0.
    pub achieved: Option<Decimal>,
    /// Maximum over applicable criteria.
    pub applicable_max: Option<Decimal>,
    /// Declared maximum.
    pub max_points: Option<Decimal>,
    /// `achieved / applicable_max × 100`, exact.
    pub percent: Option<Decimal>,
    /// Band of the percent.
    pub band: Option<BandRef>,
    /// Total in the self-assessment view.
    pub self_points: Option<Decimal>,
    /// Total in the appraised view.
    pub appraised_points: Option<Decimal>,
    /// Total in the final view.
    pub final_points: Option<Decimal>,
    /// Scored, missing or not applicable.
    pub status: Status,
}

/// The unit type a result was scored for ([`crate::index::UnitType`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct UnitTypeRef {
    /// Code.
    pub code: String,
    /// Name.
    pub title: Text,
    /// Codes declared not applicable to the type (with their subtrees): they are out of
    /// both the points and the maximum.
    pub not_applicable: Vec<String>,
    /// Why.
    pub reason: Text,
}

/// A band reached.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct BandRef {
    /// Code.
    pub code: String,
    /// Name.
    pub label: Text,
}

/// One node's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct NodeResult {
    /// Code.
    pub code: String,
    /// Name.
    pub title: Text,
    /// Depth (top-level nodes are 1).
    pub depth: usize,
    /// Parent code (`null` for top-level nodes).
    pub parent: Option<String>,
    /// Whether the node is scored by a rule.
    pub leaf: bool,
    /// Channel.
    pub channel: Channel,
    /// Declared maximum.
    pub max_points: Option<Decimal>,
    /// Maximum over applicable parts.
    pub applicable_max: Option<Decimal>,
    /// Points in the chosen view.
    pub achieved: Option<Decimal>,
    /// `achieved / applicable_max × 100`.
    pub percent: Option<Decimal>,
    /// Points from self-assessment.
    pub self_points: Option<Decimal>,
    /// Points from the latest appraisal.
    pub appraised_points: Option<Decimal>,
    /// Points entering the index.
    pub final_points: Option<Decimal>,
    /// Appraised − self.
    pub delta: Option<Decimal>,
    /// Status.
    pub status: Status,
    /// Layer the chosen view read (leaves).
    pub source: Option<Layer>,
    /// Why these points, in the words of the criterion (leaves); for a block left out
    /// for the unit type, why it does not apply.
    pub explanation: Option<Text>,
    /// Verbatim scoring text.
    pub scoring_text: Option<Text>,
}

/// Status of a node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Status {
    /// Scored.
    Scored,
    /// No value.
    Missing,
    /// Không áp dụng.
    NotApplicable,
    /// Evidence required but not attached.
    EvidenceMissing {
        /// Whether an explanation (giải trình) was given.
        explained: bool,
    },
}

impl Status {
    pub(crate) fn of_cell(c: &Cell) -> Status {
        match c {
            Cell::Value { .. } => Status::Scored,
            Cell::Missing => Status::Missing,
            Cell::NotApplicable => Status::NotApplicable,
        }
    }

    /// Short label.
    pub fn label(&self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Status::Scored, Lang::Vi) => "đã chấm",
            (Status::Scored, Lang::En) => "scored",
            (Status::Missing, Lang::Vi) => "thiếu",
            (Status::Missing, Lang::En) => "missing",
            (Status::NotApplicable, Lang::Vi) => "không áp dụng",
            (Status::NotApplicable, Lang::En) => "not applicable",
            (Status::EvidenceMissing { explained: false }, Lang::Vi) => {
                "thiếu TLKC, cần giải trình"
            }
            (Status::EvidenceMissing { explained: false }, Lang::En) => {
                "no evidence, explanation required"
            }
            (Status::EvidenceMissing { explained: true }, Lang::Vi) => "thiếu TLKC, đã giải trình",
            (Status::EvidenceMissing { explained: true }, Lang::En) => "no evidence, explained",
        }
    }
}

/// A bonus or penalty block's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AdjustmentResult {
    /// Code.
    pub code: String,
    /// Name.
    pub title: Text,
    /// Bonus or penalty.
    pub kind: AdjustmentKind,
    /// Cap.
    pub cap: Decimal,
    /// Points applied (after the cap).
    pub points: Decimal,
    /// Layer used.
    pub source: Option<Layer>,
}
