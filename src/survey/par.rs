//! Hand-off to PAR INDEX: a unit's SIPAS index becomes the value of the SIPAS
//! criterion of a PAR INDEX assessment, and the criterion's own rule turns it into
//! points, so a department sees how its survey moves its PAR score.
//!
//! The index is a percent. How it maps to points is the criterion's rule (reference
//! `sipas.md` §6: nationally, how the index maps to the 10 SIPAS points is not public):
//!
//! | rule of the criterion | value given | points |
//! |---|---|---|
//! | `survey` | `percent` = the index | `max × index / 100` |
//! | `tiers` measuring a percent | `percent` = the index | the tier the index falls in |
//! | `tiers` measuring a number | `number` = the index | the tier the index falls in |
//! | `proportional` | `percent` = the index | `max × min(1, index / threshold)` (and its gate) |
//! | `score` | `number` = the index | the index itself, checked against the maximum |
//! | any other rule (yes/no, levels, counts…) | — | an error: the rule does not take an index |

use super::estimate::{SurveyResult, UnitResult};
use crate::assessment::{Entry, LayerEntry, Value};
use crate::diagnostics::{Diagnostic, Problem};
use crate::engine::Index;
use crate::node::Channel;
use crate::rule::{Measure, Outcome, Rule};
use crate::text::{Lang, Text};
use rust_decimal::Decimal;
use std::fmt;

/// Why an index cannot be handed to a criterion.
#[derive(Debug, Clone, PartialEq)]
pub enum HandOffError {
    /// The PAR index has no criterion with this code.
    UnknownCode {
        /// The code.
        code: String,
    },
    /// The criterion is scored from sub-criteria.
    NotALeaf {
        /// The code.
        code: String,
    },
    /// The criterion's rule does not take a survey index.
    RuleTakesNoIndex {
        /// The code.
        code: String,
        /// The rule type.
        rule: &'static str,
    },
    /// The unit has no index (no valid answers).
    NoIndex {
        /// The unit.
        unit: String,
    },
    /// The rule refuses the index (e.g. above a `score` rule's maximum).
    Rule {
        /// The code.
        code: String,
        /// What the rule says.
        problem: Problem,
    },
}

impl HandOffError {
    /// Stable code.
    pub fn code(&self) -> &'static str {
        match self {
            HandOffError::UnknownCode { .. } => "survey_par_unknown_code",
            HandOffError::NotALeaf { .. } => "survey_par_not_a_leaf",
            HandOffError::RuleTakesNoIndex { .. } => "survey_par_rule_takes_no_index",
            HandOffError::NoIndex { .. } => "survey_par_no_index",
            HandOffError::Rule { .. } => "survey_par_rule",
        }
    }

    /// Message in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        use HandOffError::*;
        match (self, lang) {
            (UnknownCode { code }, Lang::Vi) => format!("bộ chỉ số CCHC không có tiêu chí {code}"),
            (UnknownCode { code }, Lang::En) => format!("the PAR index has no criterion {code}"),
            (NotALeaf { code }, Lang::Vi) => format!("tiêu chí {code} được tính từ các tiêu chí thành phần, không nhận trực tiếp chỉ số SIPAS"),
            (NotALeaf { code }, Lang::En) => format!("criterion {code} is computed from sub-criteria and cannot take the SIPAS index"),
            (RuleTakesNoIndex { code, rule }, Lang::Vi) => format!("cách chấm \"{rule}\" của tiêu chí {code} không nhận một chỉ số (%)"),
            (RuleTakesNoIndex { code, rule }, Lang::En) => format!("the \"{rule}\" rule of criterion {code} does not take an index (%)"),
            (NoIndex { unit }, Lang::Vi) => format!("đơn vị \"{unit}\" không có chỉ số SIPAS (không có câu trả lời hợp lệ)"),
            (NoIndex { unit }, Lang::En) => format!("unit \"{unit}\" has no SIPAS index (no valid answers)"),
            (Rule { code, problem }, Lang::Vi) => format!("tiêu chí {code}: {}", problem.message(lang)),
            (Rule { code, problem }, Lang::En) => format!("criterion {code}: {}", problem.message(lang)),
        }
    }

    /// This error as a [`Diagnostic`] naming the criterion.
    pub fn to_diagnostic(&self) -> Diagnostic {
        let code = match self {
            HandOffError::UnknownCode { code }
            | HandOffError::NotALeaf { code }
            | HandOffError::RuleTakesNoIndex { code, .. }
            | HandOffError::Rule { code, .. } => Some(code.as_str()),
            HandOffError::NoIndex { .. } => None,
        };
        let problem = match self {
            HandOffError::Rule { problem, .. } => problem.clone(),
            HandOffError::UnknownCode { .. } => Problem::UnknownCode,
            HandOffError::NotALeaf { .. } => Problem::ValueOnParent,
            other => Problem::Coded {
                code: other.code().to_owned(),
                text: String::new(),
                vi: other.message(Lang::Vi),
                en: other.message(Lang::En),
            },
        };
        Diagnostic::error("$", code, problem)
    }
}

impl fmt::Display for HandOffError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for HandOffError {}

/// The value a criterion with `rule` takes for a SIPAS index of `index` percent
/// (`code` names the criterion in errors).
///
/// ```
/// use chiso::survey::par::criterion_value;
/// use chiso::{rule::Rule, Value};
/// let rule: Rule = serde_json::from_str(r#"{"type": "survey"}"#).unwrap();
/// let v = criterion_value(&rule, "10", "86.5".parse().unwrap()).unwrap();
/// assert_eq!(v, Value::Percent("86.5".parse().unwrap()));
/// ```
pub fn criterion_value(rule: &Rule, code: &str, index: Decimal) -> Result<Value, HandOffError> {
    match rule {
        Rule::Survey { .. }
        | Rule::Proportional { .. }
        | Rule::Tiers {
            measure: Measure::Percent,
            ..
        } => Ok(Value::Percent(index)),
        Rule::Tiers {
            measure: Measure::Number,
            ..
        }
        | Rule::Score { .. } => Ok(Value::Number(index)),
        other => Err(HandOffError::RuleTakesNoIndex {
            code: code.to_owned(),
            rule: other.type_name(),
        }),
    }
}

/// A unit's SIPAS index handed to a PAR INDEX criterion.
#[derive(Debug, Clone, PartialEq)]
pub struct HandOff {
    /// The criterion code.
    pub code: String,
    /// The value given to the criterion.
    pub value: Value,
    /// Points the criterion's rule gives (`None` when the rule makes it not applicable).
    pub points: Option<Decimal>,
    /// Why, in the words of the criterion.
    pub explanation: Text,
    /// The assessment entry to insert under `code`: the `survey` layer for a criterion
    /// scored by the survey channel, else the self-assessment, with a note naming the
    /// survey, the aggregation and the respondents.
    pub entry: Entry,
}

/// Hands `unit`'s index (from `result`) to criterion `code` of the PAR `index`.
///
/// ```
/// use chiso::survey::{estimate, par::criterion_entry, read_csv, ReadOptions, Survey};
/// let dir = env!("CARGO_MANIFEST_DIR");
/// let survey = Survey::from_file(format!("{dir}/criteria/sipas/sipas-1001-2023-q9.survey.json").as_ref()).unwrap();
/// let csv = std::fs::read(format!("{dir}/examples-data/sipas-sample.csv")).unwrap();
/// let answers = read_csv(&survey, csv.as_slice(), &ReadOptions::default()).unwrap();
/// let result = estimate(&survey, &answers).unwrap();
/// let par = chiso::Index::from_file(format!("{dir}/criteria/examples/department-example.json").as_ref()).unwrap();
/// // Criterion 4.1 of the example is a `survey` rule worth 20 points: 20 × index / 100.
/// let h = criterion_entry(&par, "4.1", &result.units[0], &result).unwrap();
/// assert_eq!(h.points, Some(result.units[0].index.unwrap() * chiso::Decimal::from(20) / chiso::Decimal::from(100)));
/// ```
pub fn criterion_entry(
    index: &Index,
    code: &str,
    unit: &UnitResult,
    result: &SurveyResult,
) -> Result<HandOff, HandOffError> {
    let node = index.node(code).ok_or_else(|| HandOffError::UnknownCode {
        code: code.to_owned(),
    })?;
    let rule = node.rule.as_ref().ok_or_else(|| HandOffError::NotALeaf {
        code: code.to_owned(),
    })?;
    let sipas = unit.index.ok_or_else(|| HandOffError::NoIndex {
        unit: unit.unit.clone(),
    })?;
    let value = criterion_value(rule, code, sipas)?;
    let outcome = rule
        .evaluate(node.max, &value)
        .map_err(|problem| HandOffError::Rule {
            code: code.to_owned(),
            problem,
        })?;
    let (points, explanation) = match outcome {
        Outcome::Scored {
            points,
            explanation,
        } => (Some(points), explanation),
        Outcome::NotApplicable { explanation } => (None, explanation),
    };
    let mut layer = LayerEntry::new(value.clone());
    layer.note = Some(format!(
        "SIPAS {}% — {}: {} người trả lời, phiếu {} ({}), tổng hợp \"{}\" (chiso survey) / {} respondents, survey {}, aggregation \"{}\"",
        sipas.normalize(),
        unit.unit,
        unit.respondents,
        result.survey,
        result.survey_version,
        result.aggregation.method(),
        unit.respondents,
        result.survey,
        result.aggregation.method(),
    ));
    let entry = match node.channel {
        Channel::Survey => Entry {
            survey: Some(layer),
            ..Default::default()
        },
        Channel::Appraised => Entry {
            self_assessment: Some(layer),
            ..Default::default()
        },
    };
    Ok(HandOff {
        code: code.to_owned(),
        value,
        points,
        explanation,
        entry,
    })
}
