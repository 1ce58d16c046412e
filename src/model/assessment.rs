//! Assessment input: one unit's values per leaf and per layer, with evidence.

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The format tag written in every assessment file.
pub const ASSESSMENT_FORMAT: &str = "chiso.assessment/1";

/// One unit's assessment against one index.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Assessment {
    /// Format tag, always `chiso.assessment/1`.
    pub format: String,
    /// `id` of the index this assessment answers.
    pub index: String,
    /// `version` of the index it was made for. Optional; when given, an index of another
    /// version refuses the assessment instead of scoring it against different criteria.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index_version: Option<String>,
    /// The assessed unit.
    pub unit: Unit,
    /// The unit's type (loại đơn vị), one of the index's `unit_types` (e.g. a department
    /// without a survey sample): the criteria the index declares not applicable to that
    /// type leave both the points and the maximum. Absent: every criterion applies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_type: Option<String>,
    /// Year assessed.
    #[serde(default)]
    pub year: Option<i32>,
    /// Entries keyed by criterion code. Leaves carry values; any node may be marked
    /// not applicable.
    #[serde(default)]
    pub entries: BTreeMap<String, Entry>,
    /// Bonus / penalty points keyed by adjustment code.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub adjustments: BTreeMap<String, Entry>,
}

impl Assessment {
    /// An empty assessment of `unit` against the index with id `index`.
    ///
    /// ```
    /// use chiso::{Assessment, Entry, Value};
    /// let mut a = Assessment::new("pci-2013", "Đà Nẵng");
    /// a.year = Some(2016);
    /// a.entries.insert("transparency".into(), Entry::self_value(Value::Number("7.2".parse().unwrap())));
    /// assert_eq!(a.format, chiso::assessment::ASSESSMENT_FORMAT);
    /// ```
    pub fn new(index: impl Into<String>, unit: impl Into<String>) -> Self {
        Assessment {
            format: ASSESSMENT_FORMAT.into(),
            index: index.into(),
            unit: Unit {
                name: unit.into(),
                ..Default::default()
            },
            ..Default::default()
        }
    }
}

/// The assessed unit.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    /// Name, e.g. "Sở Tư pháp".
    pub name: String,
    /// Optional identifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Ranking block (khối), e.g. "sở", "xã".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub block: Option<String>,
}

/// Everything recorded for one criterion.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// Present when the criterion does not apply to this unit (không áp dụng); it
    /// then leaves both the achieved points and the maximum.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_applicable: Option<NotApplicable>,
    /// Self-assessment (tự chấm).
    #[serde(default, rename = "self", skip_serializing_if = "Option::is_none")]
    pub self_assessment: Option<LayerEntry>,
    /// Appraisal, round 1 (thẩm định lần 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appraisal_1: Option<LayerEntry>,
    /// Appraisal, round 2 (thẩm định lần 2), final.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appraisal_2: Option<LayerEntry>,
    /// Sociological survey (điều tra xã hội học).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub survey: Option<LayerEntry>,
}

impl Entry {
    /// An entry with only a self-assessed value.
    pub fn self_value(value: Value) -> Self {
        Entry {
            self_assessment: Some(LayerEntry::new(value)),
            ..Default::default()
        }
    }

    /// The layer entry for `layer`.
    pub fn layer(&self, layer: Layer) -> Option<&LayerEntry> {
        match layer {
            Layer::SelfAssessment => self.self_assessment.as_ref(),
            Layer::Appraisal1 => self.appraisal_1.as_ref(),
            Layer::Appraisal2 => self.appraisal_2.as_ref(),
            Layer::Survey => self.survey.as_ref(),
        }
    }

    /// The slot of `layer`, to fill, change or clear.
    ///
    /// ```
    /// use chiso::assessment::{Entry, Layer, LayerEntry, Value};
    /// let mut e = Entry::default();
    /// *e.layer_mut(Layer::Appraisal1) = Some(LayerEntry::new(Value::YesNo(true)));
    /// assert!(e.layer(Layer::Appraisal1).is_some());
    /// ```
    pub fn layer_mut(&mut self, layer: Layer) -> &mut Option<LayerEntry> {
        match layer {
            Layer::SelfAssessment => &mut self.self_assessment,
            Layer::Appraisal1 => &mut self.appraisal_1,
            Layer::Appraisal2 => &mut self.appraisal_2,
            Layer::Survey => &mut self.survey,
        }
    }

    /// The latest appraisal round present.
    pub fn latest_appraisal(&self) -> Option<(Layer, &LayerEntry)> {
        self.appraisal_2
            .as_ref()
            .map(|e| (Layer::Appraisal2, e))
            .or(self.appraisal_1.as_ref().map(|e| (Layer::Appraisal1, e)))
    }

    /// Every layer present, in workflow order.
    pub fn layers(&self) -> impl Iterator<Item = (Layer, &LayerEntry)> {
        Layer::ALL
            .into_iter()
            .filter_map(|l| self.layer(l).map(|e| (l, e)))
    }
}

/// Why a criterion does not apply.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NotApplicable {
    /// The reason, e.g. "Không có thủ tục hành chính".
    #[serde(default)]
    pub reason: String,
}

/// A score layer.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Layer {
    /// Tự chấm.
    #[serde(rename = "self")]
    SelfAssessment,
    /// Thẩm định lần 1.
    #[serde(rename = "appraisal_1")]
    Appraisal1,
    /// Thẩm định lần 2.
    #[serde(rename = "appraisal_2")]
    Appraisal2,
    /// Điều tra xã hội học.
    Survey,
}

impl Layer {
    /// All layers in workflow order.
    pub const ALL: [Layer; 4] = [
        Layer::SelfAssessment,
        Layer::Appraisal1,
        Layer::Appraisal2,
        Layer::Survey,
    ];

    /// JSON key of the layer.
    pub fn key(self) -> &'static str {
        match self {
            Layer::SelfAssessment => "self",
            Layer::Appraisal1 => "appraisal_1",
            Layer::Appraisal2 => "appraisal_2",
            Layer::Survey => "survey",
        }
    }

    /// Name of the layer in Vietnamese / English.
    pub fn name(self, lang: crate::Lang) -> &'static str {
        match (self, lang) {
            (Layer::SelfAssessment, crate::Lang::Vi) => "tự chấm",
            (Layer::Appraisal1, crate::Lang::Vi) => "thẩm định lần 1",
            (Layer::Appraisal2, crate::Lang::Vi) => "thẩm định lần 2",
            (Layer::Survey, crate::Lang::Vi) => "điều tra xã hội học",
            (Layer::SelfAssessment, crate::Lang::En) => "self-assessment",
            (Layer::Appraisal1, crate::Lang::En) => "appraisal round 1",
            (Layer::Appraisal2, crate::Lang::En) => "appraisal round 2",
            (Layer::Survey, crate::Lang::En) => "survey",
        }
    }
}

/// One layer's record for a criterion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LayerEntry {
    /// The value the criterion's rule needs.
    pub value: Value,
    /// Evidence documents (tài liệu kiểm chứng).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<EvidenceRef>,
    /// Note of the unit or the appraiser (ghi chú).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Explanation (giải trình) for missing or incomplete evidence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation: Option<String>,
}

impl LayerEntry {
    /// A layer entry with a value and nothing else.
    pub fn new(value: Value) -> Self {
        LayerEntry {
            value,
            evidence: Vec::new(),
            note: None,
            explanation: None,
        }
    }
}

/// A reference to an evidence document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EvidenceRef {
    /// Title of the document, e.g. "Kế hoạch CCHC năm 2024".
    pub title: String,
    /// Number and date, e.g. "125/KH-UBND ngày 15/12/2023".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// Link to the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

/// The value a rule needs. Decimals are best written as strings ("3.7").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Value {
    /// Yes / no (Có / Không).
    YesNo(bool),
    /// Named conditions, all of which must hold (AND).
    Conditions(BTreeMap<String, bool>),
    /// A named option: a timeliness outcome or a level key.
    Option(String),
    /// A number: a count, a percent or another measure.
    Number(Decimal),
    /// A percent (0–100).
    Percent(Decimal),
    /// A ratio given by its parts.
    Ratio {
        /// Numerator (tử số).
        numerator: Decimal,
        /// Denominator (mẫu số).
        denominator: Decimal,
    },
    /// Counts per incident kind or severity.
    Counts(BTreeMap<String, Decimal>),
    /// Survey answers: count (or share) of respondents per option.
    Answers(BTreeMap<String, Decimal>),
    /// Points given directly (discretionary judgement, supplied survey or index score).
    Points(Decimal),
}

impl Value {
    /// The kind name used in messages and schemas.
    pub fn kind(&self) -> ValueKind {
        match self {
            Value::YesNo(_) => ValueKind::YesNo,
            Value::Conditions(_) => ValueKind::Conditions,
            Value::Option(_) => ValueKind::Option,
            Value::Number(_) => ValueKind::Number,
            Value::Percent(_) => ValueKind::Percent,
            Value::Ratio { .. } => ValueKind::Ratio,
            Value::Counts(_) => ValueKind::Counts,
            Value::Answers(_) => ValueKind::Answers,
            Value::Points(_) => ValueKind::Points,
        }
    }
}

/// Kinds of [`Value`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    /// `yes_no`
    YesNo,
    /// `conditions`
    Conditions,
    /// `option`
    Option,
    /// `number`
    Number,
    /// `percent`
    Percent,
    /// `ratio`
    Ratio,
    /// `counts`
    Counts,
    /// `answers`
    Answers,
    /// `points`
    Points,
}

impl ValueKind {
    /// JSON key of the kind.
    pub fn key(self) -> &'static str {
        match self {
            ValueKind::YesNo => "yes_no",
            ValueKind::Conditions => "conditions",
            ValueKind::Option => "option",
            ValueKind::Number => "number",
            ValueKind::Percent => "percent",
            ValueKind::Ratio => "ratio",
            ValueKind::Counts => "counts",
            ValueKind::Answers => "answers",
            ValueKind::Points => "points",
        }
    }
}

impl std::fmt::Display for ValueKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}
