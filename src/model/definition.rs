//! The index definition: one versioned criteria set (bộ tiêu chí) with its legal basis.

use crate::band::{Band, TiePolicy};
use crate::display::Rounding;
use crate::engine::{aggregate, Cell, FlatNode, Index};
use crate::node::{Aggregation, Node};
use crate::text::Text;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::HashMap;

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
    /// Unit types (loại đơn vị) to which some blocks do not apply, declared once here
    /// rather than in every assessment (Thanh Hóa 2024: departments without a survey
    /// sample are scored out of 84 instead of 100). An assessment names its type in
    /// `unit_type`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unit_types: Vec<UnitType>,
    /// The top-level nodes (lĩnh vực / dimensions / groups).
    pub nodes: Vec<Node>,
}

/// A kind of unit, inside the index's unit levels, to which some areas, criteria or
/// sub-criteria do not apply (không áp dụng): they leave both its points and its
/// maximum, so its percent and band use the applicable maximum.
///
/// ```
/// let json = r#"{ "code": "khong_khao_sat",
///   "title": { "vi": "Sở không có mẫu điều tra xã hội học", "en": "Department without a survey sample" },
///   "not_applicable": ["8"],
///   "reason": { "vi": "không có mẫu khảo sát", "en": "no survey sample" },
///   "max_points": "84" }"#;
/// let t: chiso::index::UnitType = serde_json::from_str(json).unwrap();
/// assert_eq!(t.not_applicable, ["8"]);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UnitType {
    /// Stable code, named by assessments in `unit_type`.
    pub code: String,
    /// Name of the unit type.
    pub title: Text,
    /// Codes of the nodes (with their subtrees) that do not apply to this type.
    pub not_applicable: Vec<String>,
    /// Why they do not apply; every excluded node's explanation quotes it.
    pub reason: Text,
    /// The maximum the source states for this type (e.g. 84), checked against the
    /// maxima of the criteria that apply; `null` when the source states none.
    #[serde(default)]
    pub max_points: Option<Decimal>,
    /// Notes: which units the source names, source status.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Text>,
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
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Policies {
    /// A leaf without any value.
    #[serde(default)]
    pub missing_value: MissingValuePolicy,
    /// A leaf that needs evidence (tài liệu kiểm chứng) but has none.
    #[serde(default)]
    pub missing_evidence: MissingEvidencePolicy,
    /// Rounding the source itself applies to every leaf's points before they are added
    /// (the QĐ 766 portal: each indicator score to 2 decimals, half up). Absent: leaf
    /// points are exact, which is what every other index wants.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leaf_rounding: Option<LeafRounding>,
}

/// How the source rounds each leaf's points before adding them, when that rounding is
/// part of the index and not only of its display: groups and totals are then sums of
/// rounded leaf points, exactly as the source forms them.
///
/// chiso keeps full precision everywhere else; declare this only when the published
/// figures show it (QĐ 766, Gia Lai 2026: the group scores are the sums of the 2-decimal
/// indicator scores in 149 of 149 units; rounding the exact sums misses 73 of the 149
/// MDSH groups). Every rounded leaf says so in its explanation, in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LeafRounding {
    /// Decimal places kept (at most 28, the most a decimal has).
    pub decimals: u32,
    /// How the extra digits go: `half_up` (away from zero at the half), `half_even`,
    /// `truncate`; `exact` keeps every digit (the same as no policy).
    pub mode: Rounding,
    /// Whose rounding this is, quoted in each rounded leaf's explanation ("như Cổng
    /// DVCQG" / "as the national public service portal does").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Text>,
}

impl LeafRounding {
    /// `points` rounded as declared.
    ///
    /// ```
    /// use chiso::display::Rounding;
    /// let json = r#"{ "decimals": 2, "mode": "half_up",
    ///   "source": { "vi": "như Cổng DVCQG", "en": "as the national public service portal does" } }"#;
    /// let r: chiso::index::LeafRounding = serde_json::from_str(json).unwrap();
    /// assert_eq!((r.decimals, r.mode), (2, Rounding::HalfUp));
    /// // 6 × 603/654 = 5.5321… → 5.53; 0.165 → 0.17 (half up, not to even).
    /// assert_eq!(r.apply("5.5321".parse().unwrap()), "5.53".parse().unwrap());
    /// assert_eq!(r.apply("0.165".parse().unwrap()), "0.17".parse().unwrap());
    /// ```
    pub fn apply(&self, points: Decimal) -> Decimal {
        crate::display::round(points, self.decimals, self.mode)
    }
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

impl AdjustmentKind {
    /// The kind in words, as tables and explanations head a block: "Điểm thưởng" /
    /// "Bonus", "Điểm trừ" / "Penalty".
    ///
    /// ```
    /// use chiso::{index::AdjustmentKind, Lang};
    /// assert_eq!(AdjustmentKind::Penalty.name(Lang::Vi), "Điểm trừ");
    /// assert_eq!(AdjustmentKind::Bonus.name(Lang::En), "Bonus");
    /// ```
    pub fn name(self, lang: crate::Lang) -> &'static str {
        match self {
            AdjustmentKind::Bonus => lang.pick("Điểm thưởng", "Bonus"),
            AdjustmentKind::Penalty => lang.pick("Điểm trừ", "Penalty"),
        }
    }

    /// The kind as index files write it: `bonus`, `penalty`.
    ///
    /// ```
    /// assert_eq!(chiso::index::AdjustmentKind::Bonus.key(), "bonus");
    /// ```
    pub fn key(self) -> &'static str {
        match self {
            AdjustmentKind::Bonus => "bonus",
            AdjustmentKind::Penalty => "penalty",
        }
    }
}

/// What a unit type leaves out, on the flattened index.
impl Index {
    /// The declared unit type with `code`.
    pub fn unit_type(&self, code: &str) -> Option<&UnitType> {
        self.definition().unit_types.iter().find(|t| t.code == code)
    }

    /// Which nodes ([`Index::nodes`] order) do not apply to `unit_type`: the nodes its
    /// declaration lists and their subtrees. All `false` without a unit type, or for a
    /// type the index does not declare ([`Index::check_assessment`] reports that).
    ///
    /// ```
    /// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/criteria/par-index/thanhhoa-2024-department-parts.json");
    /// let index = chiso::Index::from_file(path.as_ref()).unwrap();
    /// let out = index.excluded(Some("khong_co_mau_khao_sat"));
    /// let area8 = index.position("8").unwrap();
    /// assert!(out[area8] && !out[0]);
    /// ```
    pub fn excluded(&self, unit_type: Option<&str>) -> Vec<bool> {
        let listed = unit_type
            .and_then(|c| {
                self.definition()
                    .unit_types
                    .iter()
                    .position(|t| t.code == c)
            })
            .and_then(|k| self.unit_types.get(k))
            .map(Vec::as_slice)
            .unwrap_or_default();
        exclusion_mask(self.nodes(), listed)
    }

    /// The maximum of the whole index for `unit_type`: every applicable leaf at its
    /// maximum, aggregated as scoring does (`None` when a maximum is not known).
    ///
    /// ```
    /// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/criteria/par-index/thanhhoa-2024-department-parts.json");
    /// let index = chiso::Index::from_file(path.as_ref()).unwrap();
    /// assert_eq!(index.applicable_max(None), Some(100.into()));
    /// assert_eq!(index.applicable_max(Some("khong_co_mau_khao_sat")), Some(84.into()));
    /// ```
    pub fn applicable_max(&self, unit_type: Option<&str>) -> Option<Decimal> {
        applicable_root(self.nodes(), &self.excluded(unit_type)).max()
    }

    /// Whether the node at `position` (or an ancestor) is listed as not applicable to
    /// the unit type `unit_type`; walks the ancestors only.
    pub(crate) fn excluded_at(&self, unit_type: Option<&str>, position: usize) -> bool {
        let Some(k) = unit_type.and_then(|c| {
            self.definition()
                .unit_types
                .iter()
                .position(|t| t.code == c)
        }) else {
            return false;
        };
        let Some(listed) = self.unit_types.get(k) else {
            return false;
        };
        let mut at = Some(position);
        while let Some(p) = at.filter(|&p| p != 0) {
            if listed.contains(&p) {
                return true;
            }
            at = self.nodes()[p].parent;
        }
        false
    }
}

/// Why a node does not apply to the unit type `t`, in both languages.
pub(crate) fn unit_type_reason(t: &UnitType) -> Text {
    Text::new(
        format!(
            "không áp dụng cho loại đơn vị \"{}\" ({}), theo khai báo của bộ chỉ số: {}",
            t.title.vi, t.code, t.reason.vi
        ),
        format!(
            "not applicable to the unit type \"{}\" ({}), as the index declares: {}",
            if t.title.en.is_empty() {
                &t.title.vi
            } else {
                &t.title.en
            },
            t.code,
            if t.reason.en.is_empty() {
                &t.reason.vi
            } else {
                &t.reason.en
            }
        ),
    )
}

/// Node positions by code. The key is a `Cow` as in the JSON scanner's map of a large
/// object's keys (`io/json/scan.rs`), so the form's WebAssembly module links one
/// `HashMap` (issue 13).
pub(crate) type Positions = HashMap<Cow<'static, str>, usize>;

/// Each node's position by code (the last one of a code written twice).
pub(crate) fn positions(nodes: &[FlatNode]) -> Positions {
    let mut by_code = Positions::with_capacity(nodes.len());
    for (i, n) in nodes.iter().enumerate() {
        by_code.insert(Cow::Owned(n.code.clone()), i);
    }
    by_code
}

/// Positions of the listed codes (unknown codes and the root are skipped: validation
/// reports them).
pub(crate) fn listed_positions(by_code: &Positions, codes: &[String]) -> Vec<usize> {
    codes
        .iter()
        .filter_map(|c| by_code.get(c.as_str()).copied())
        .filter(|&p| p != 0)
        .collect()
}

/// The listed positions and every node below them.
pub(crate) fn exclusion_mask(nodes: &[FlatNode], listed: &[usize]) -> Vec<bool> {
    let mut mask = vec![false; nodes.len()];
    for &p in listed {
        if let Some(m) = mask.get_mut(p) {
            *m = true;
        }
    }
    // Pre-order: a parent comes before its children.
    for i in 1..nodes.len() {
        if nodes[i].parent.is_some_and(|p| mask[p]) {
            mask[i] = true;
        }
    }
    mask
}

/// The root cell when every leaf outside `excluded` sits at its maximum and the
/// excluded ones are not applicable: its `max()` is the applicable maximum, and it is
/// [`Cell::NotApplicable`] when nothing applies.
pub(crate) fn applicable_root(nodes: &[FlatNode], excluded: &[bool]) -> Cell {
    let mut cells: Vec<Cell> = nodes
        .iter()
        .zip(excluded)
        .map(|(n, &x)| match (x, n.max) {
            (true, _) => Cell::NotApplicable,
            (false, max) => Cell::Value {
                achieved: max.unwrap_or_default(),
                max,
            },
        })
        .collect();
    aggregate(nodes, &mut cells);
    cells.first().copied().unwrap_or(Cell::NotApplicable)
}
