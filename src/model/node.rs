//! Nodes of a criteria tree: lĩnh vực → tiêu chí → tiêu chí thành phần, of any depth.

use crate::rule::Rule;
use crate::text::Text;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One node of the tree. A node has either `children` (and an `aggregation`) or a `rule`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Node {
    /// Stable code, e.g. `1.1.4`, `D5.2`, `CKMB`.
    pub code: String,
    /// Name of the criterion.
    pub title: Text,
    /// Maximum points (điểm tối đa); `null` where the source gives none (PAPI).
    #[serde(default)]
    pub max_points: Option<Decimal>,
    /// Scoring wording verbatim from the source (cách chấm điểm).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scoring_text: Option<Text>,
    /// Evidence the unit must attach (tài liệu kiểm chứng). Empty = none required.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Text>,
    /// Who produces the score.
    #[serde(default)]
    pub channel: Channel,
    /// Agency that verifies the figures (đơn vị phối hợp xác minh), when named.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verifier: Option<String>,
    /// Notes (caveats, source status).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Text>,
    /// How the children add up (only for nodes with children).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aggregation: Option<Aggregation>,
    /// Child nodes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Node>,
    /// Scoring rule (only for leaves).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<Rule>,
}

/// Who scores a leaf.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// Self-assessed by the unit, then appraised (thẩm định) by the council.
    #[default]
    Appraised,
    /// Scored by the sociological survey (điều tra xã hội học).
    Survey,
}

/// How a node's value is formed from its children's values.
///
/// With `rescale_to_max`, the aggregate is converted to the node's scale:
/// `aggregate / aggregate maximum × node maximum`.
// The browser's form module (feature `lean`) reads it by hand (`rule/lean.rs`, called by
// `model/lean.rs`) without serde's `Content` buffer; the derived reader everywhere else.
// (Not a doc comment: the schema's description is the doc comment.)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "method", rename_all = "snake_case", deny_unknown_fields)]
pub enum Aggregation {
    /// Σ children (PAR INDEX, PAPI).
    Sum {
        /// Convert to the node's maximum.
        #[serde(default)]
        rescale_to_max: bool,
    },
    /// Σ wᵢ · childᵢ (PCI).
    WeightedSum {
        /// Weight per child code.
        weights: BTreeMap<String, Decimal>,
        /// Convert to the node's maximum.
        #[serde(default)]
        rescale_to_max: bool,
    },
    /// Σ wᵢ · childᵢ / Σ wᵢ over applicable children.
    WeightedMean {
        /// Weight per child code.
        weights: BTreeMap<String, Decimal>,
        /// Convert to the node's maximum.
        #[serde(default)]
        rescale_to_max: bool,
    },
}

impl Default for Aggregation {
    fn default() -> Self {
        Aggregation::Sum {
            rescale_to_max: false,
        }
    }
}

impl Aggregation {
    /// Whether the aggregate is converted to the node's maximum.
    pub fn rescales(&self) -> bool {
        match self {
            Aggregation::Sum { rescale_to_max }
            | Aggregation::WeightedSum { rescale_to_max, .. }
            | Aggregation::WeightedMean { rescale_to_max, .. } => *rescale_to_max,
        }
    }

    /// The declared weights, if any.
    pub fn weights(&self) -> Option<&BTreeMap<String, Decimal>> {
        match self {
            Aggregation::Sum { .. } => None,
            Aggregation::WeightedSum { weights, .. }
            | Aggregation::WeightedMean { weights, .. } => Some(weights),
        }
    }
}
