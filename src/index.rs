//! The index definition: one versioned criteria set (bộ tiêu chí) with its legal basis.

use crate::band::{Band, TiePolicy};
use crate::node::{Aggregation, Node};
use crate::text::Text;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The format tag written in every index file.
pub const INDEX_FORMAT: &str = "chiso.index/1";

/// One criteria set: an index for one unit level, one version, some years.
///
/// The tree below the root is made of [`Node`]s keyed by stable codes ("1", "1.1",
/// "1.1.4"); the root is the index itself (its total).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IndexDefinition {
    /// Format tag, always `chiso.index/1`.
    pub format: String,
    /// Stable identifier, e.g. `pci-2013`, `par-camau-1880-2013-department`.
    pub id: String,
    /// Name of the index.
    pub title: Text,
    /// Version of this criteria set (of the decision, not of chiso).
    pub version: String,
    /// The legal acts (or published methodology) the numbers come from.
    pub legal_basis: Vec<LegalBasis>,
    /// Unit levels this set applies to.
    pub unit_levels: Vec<UnitLevel>,
    /// Years the set is in force for.
    pub years: YearRange,
    /// Whether the set is complete, partial, provisional or an illustration.
    pub completeness: Completeness,
    /// Free notes: caveats, what is not publicly available.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Text>,
    /// Maximum points of the whole index (100 for PAR INDEX); `null` when the
    /// source gives no maximum (PAPI).
    #[serde(default)]
    pub max_points: Option<Decimal>,
    /// How the top-level nodes add up to the total.
    #[serde(default)]
    pub aggregation: Aggregation,
    /// Policies for missing values and missing evidence.
    #[serde(default)]
    pub policies: Policies,
    /// Result bands (xếp loại), checked against the index percent.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bands: Vec<Band>,
    /// How ties are ranked.
    #[serde(default)]
    pub tie_policy: TiePolicy,
    /// Bonus and penalty blocks applied after the criteria sum (provincial sets).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub adjustments: Vec<Adjustment>,
    /// The top-level nodes (lĩnh vực / dimensions / groups).
    pub nodes: Vec<Node>,
}

/// A legal act or published methodology.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LegalBasis {
    /// Number of the act, e.g. `876/QĐ-BNV`; or the publication name.
    pub decision: String,
    /// Date of signing (ISO `YYYY-MM-DD`) when known.
    #[serde(default)]
    pub date: Option<String>,
    /// Issuing body, e.g. `Bộ Nội vụ`.
    pub issuer: String,
    /// Where the text (or a faithful copy) can be read.
    pub url: String,
    /// Which part of the act: `Phụ lục I`, `Bảng 2`…
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<String>,
}

/// Administrative level of the assessed unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum UnitLevel {
    /// Bộ, cơ quan ngang bộ.
    Ministry,
    /// UBND cấp tỉnh.
    Province,
    /// Sở, ban, ngành.
    Department,
    /// UBND cấp huyện (until mid-2025).
    District,
    /// UBND cấp xã, phường.
    Commune,
    /// Phòng thuộc UBND huyện.
    DistrictDivision,
    /// Cơ quan Trung ương đóng trên địa bàn.
    CentralAgency,
    /// Đơn vị sự nghiệp công lập.
    PublicServiceUnit,
}

/// Inclusive range of years.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct YearRange {
    /// First year.
    pub from: i32,
    /// Last year; `null` while still in force.
    #[serde(default)]
    pub to: Option<i32>,
}

impl YearRange {
    /// Whether `year` lies in the range.
    pub fn contains(&self, year: i32) -> bool {
        year >= self.from && self.to.is_none_or(|t| year <= t)
    }
}

/// How much of the source the file encodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Completeness {
    /// Every criterion of the source is encoded.
    Complete,
    /// Only part of the source is public or encoded; the file says which part.
    Partial,
    /// Numbers are provisional (e.g. portal behaviour, not a legal text).
    Provisional,
    /// An illustration built for documentation and tests, not an official set.
    Example,
}

/// Declared policies: what to do with gaps in the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Policies {
    /// A leaf without any value.
    #[serde(default)]
    pub missing_value: MissingValuePolicy,
    /// A leaf that needs evidence (tài liệu kiểm chứng) but has none.
    #[serde(default)]
    pub missing_evidence: MissingEvidencePolicy,
}

/// What a leaf without a value contributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MissingValuePolicy {
    /// The leaf scores 0 and is reported as missing (PAR INDEX: not declared, not credited).
    #[default]
    Zero,
    /// The leaf is missing and so is every ancestor (PAPI: no imputation).
    Propagate,
}

/// What a leaf lacking required evidence contributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MissingEvidencePolicy {
    /// Not credited: 0 points; an explanation (giải trình) is required (Công văn 383/384/BNV-CCHC).
    #[default]
    NotCredited,
    /// Credited, but flagged as needing an explanation.
    Flag,
    /// Evidence is not tracked by this index (survey-based indices).
    Ignore,
}

/// A bonus (điểm thưởng / điểm cộng) or penalty (điểm phạt / điểm trừ) block,
/// applied after the criteria sum and capped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Adjustment {
    /// Code of the block, e.g. `IV` or `bonus`.
    pub code: String,
    /// Name of the block.
    pub title: Text,
    /// Bonus adds, penalty subtracts.
    pub kind: AdjustmentKind,
    /// Most points the block can add or subtract.
    pub cap: Decimal,
    /// Scoring wording, verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scoring_text: Option<Text>,
}

/// Direction of an [`Adjustment`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AdjustmentKind {
    /// Adds points.
    Bonus,
    /// Subtracts points; the total is floored at 0.
    Penalty,
}
