//! The rule library: typed scoring rules, evaluated exactly, each explaining its points.
//!
//! Every rule turns one [`Value`] into points on the node's scale (0 ≤ points ≤ max)
//! and an explanation in the words of the criterion, in Vietnamese and English.
//!
//! One file per rule kind: the choice kinds (yes/no, timeliness, levels, discretionary)
//! in `choice.rs`, `tiers.rs`, `proportional.rs`, `deductions.rs`, the entered values
//! (survey, score) in `entered.rs`; the words of explanations in `words.rs` and the most
//! points a rule can award in `most.rs`. This file holds the [`Rule`] enum, the
//! [`Outcome`], the input bound ([`INPUT_LIMIT`]), the checks the kinds share, and the
//! dispatch of [`Rule::evaluate`] and [`Rule::points`] to one function per kind.

use crate::assessment::{Value, ValueKind};
use crate::diagnostics::Problem;
use crate::interval::{Bound, Interval};
use crate::text::{Lang, Text};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

mod choice;
mod deductions;
mod entered;
#[cfg(any(feature = "lean", test))]
pub(crate) mod lean;
mod most;
mod proportional;
mod tiers;
mod words;

pub use choice::{Award, Condition, Level};
pub use entered::SurveyOption;
pub use proportional::{proportional_points, ZeroDenominator};
pub use tiers::{Measure, Tier};
use words::both;
pub(crate) use words::{num, pts};

/// A scoring rule. The JSON `type` field names the variant.
// The browser's form module (feature `lean`) reads it by hand (`rule/lean.rs`, called by
// `model/lean.rs`) without serde's `Content` buffer; the derived reader everywhere else.
// (Not a doc comment: the schema's description is the doc comment.)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Rule {
    /// Yes / no, optionally an AND of named conditions
    /// ("Xác định đầy đủ nhiệm vụ và có bố trí kinh phí: 1 / … hoặc không bố trí kinh phí: 0").
    YesNo {
        /// Conditions that must all hold for "yes"; empty = a single yes/no.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        conditions: Vec<Condition>,
        /// Award when yes.
        yes: Award,
        /// Award when no.
        no: Award,
    },
    /// On time / late / not done ("Ban hành kịp thời: 1 / không kịp thời: 0,5 / Không ban hành: 0").
    Timeliness {
        /// Award when done on time (value `on_time`).
        on_time: Award,
        /// Award when done late (value `late`).
        late: Award,
        /// Award when not done (value `not_done`).
        not_done: Award,
    },
    /// Tiers over a number with explicit bounds ("trên 90%: 2 / từ 70% - 90%: 1 / Dưới 70%: 0").
    Tiers {
        /// What the number measures.
        measure: Measure,
        /// The tiers; their ranges must not overlap.
        tiers: Vec<Tier>,
    },
    /// Points proportional to a ratio: `max × min(1, ratio / threshold)`, optionally gated
    /// ("Đạt từ 98% trở lên … x 3/[Tổng số]; Đạt dưới 98%: 0 điểm").
    Proportional {
        /// Ratio (in percent) at or above which full marks are given; default 100.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        threshold_percent: Option<Decimal>,
        /// Gate: below this percent the criterion scores 0.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        gate: Option<Bound>,
        /// What a zero denominator yields.
        zero_denominator: ZeroDenominator,
        /// What the numerator counts.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        numerator: Option<Text>,
        /// What the denominator counts.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        denominator: Option<Text>,
    },
    /// Named levels, each worth points or a percent of the maximum
    /// ("Thực hiện tốt: 2,5 / Có thực hiện đầy đủ: 2,0 / … chưa đầy đủ: 1 / Không thực hiện: 0").
    Levels {
        /// The levels.
        levels: Vec<Level>,
    },
    /// Maximum minus deductions per incident or severity, floored at 0
    /// ("vi phạm nhẹ: Trừ 50% điểm / vi phạm nghiêm trọng: 0 điểm").
    Deductions {
        /// Severities (or incident kinds) and what each occurrence deducts.
        severities: Vec<Level>,
    },
    /// The appraiser enters points in [0, max], on a step.
    Discretionary {
        /// Allowed step, e.g. 0.25.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        step: Option<Decimal>,
    },
    /// Survey-derived: mean percent of the answers × max (A/B/C/D = 100/60/20/0 by
    /// default); or a survey score supplied as such.
    Survey {
        /// Answer options and their percent.
        #[serde(default = "entered::default_survey_options")]
        options: Vec<SurveyOption>,
    },
    /// A score supplied as such (a PAPI sub-dimension, a PCI sub-index), with an
    /// optional nominal range that is checked but not enforced.
    Score {
        /// Nominal range; values outside it are kept and flagged.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        nominal: Option<Interval>,
    },
}

/// The result of applying a rule to a value.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Points on the node scale, with the explanation.
    Scored {
        /// Points.
        points: Decimal,
        /// Why, in the words of the criterion.
        explanation: Text,
    },
    /// The value makes the criterion not applicable (zero denominator policy).
    NotApplicable {
        /// Why.
        explanation: Text,
    },
}

const HUNDRED: Decimal = Decimal::ONE_HUNDRED;

/// Largest magnitude accepted for any number in an assessment (10^15). Keeps every
/// product the engine forms far inside `Decimal`'s range, so arithmetic never overflows.
pub const INPUT_LIMIT: Decimal = Decimal::from_parts(2_764_472_320, 232_830, 0, false, 0);

/// Rejects numbers beyond [`INPUT_LIMIT`].
pub(crate) fn bounded(v: Decimal) -> Result<Decimal, Problem> {
    if v.abs() > INPUT_LIMIT {
        Err(Problem::TooLarge {
            value: v,
            limit: INPUT_LIMIT,
        })
    } else {
        Ok(v)
    }
}

/// An [`Problem::Overflow`] naming `what` ("english / tiếng Việt").
fn overflow(what: &str) -> Problem {
    Problem::Overflow { what: what.into() }
}

/// `m × pc / 100`, or an overflow error naming `what`.
fn share(m: Decimal, pc: Decimal, what: &str) -> Result<Decimal, Problem> {
    m.checked_mul(pc)
        .and_then(|x| x.checked_div(HUNDRED))
        .ok_or_else(|| overflow(what))
}

fn check_magnitudes(value: &Value) -> Result<(), Problem> {
    match value {
        Value::YesNo(_) | Value::Conditions(_) | Value::Option(_) => Ok(()),
        Value::Number(x) | Value::Percent(x) | Value::Points(x) => bounded(*x).map(|_| ()),
        Value::Ratio {
            numerator,
            denominator,
        } => bounded(*numerator).and(bounded(*denominator)).map(|_| ()),
        Value::Counts(m) | Value::Answers(m) => {
            m.values().try_for_each(|x| bounded(*x).map(|_| ()))
        }
    }
}

fn award_points(
    points: Option<Decimal>,
    pct: Option<Decimal>,
    max: Option<Decimal>,
) -> Result<Decimal, Problem> {
    match (points, pct) {
        (Some(p), None) => Ok(p),
        (None, Some(pc)) => {
            let m = max.ok_or(Problem::MaxRequired)?;
            share(m, pc, "percent of the maximum / tỷ lệ % của điểm tối đa")
        }
        _ => Err(Problem::AwardSpec {
            what: "award".into(),
        }),
    }
}

fn wrong(expected: &[ValueKind], found: &Value) -> Problem {
    Problem::WrongValueKind {
        expected: expected.to_vec(),
        found: found.kind(),
    }
}

fn non_negative(v: Decimal, what: &str) -> Result<(), Problem> {
    if v.is_sign_negative() && !v.is_zero() {
        Err(Problem::Negative {
            what: what.into(),
            value: v,
        })
    } else {
        Ok(())
    }
}

fn whole(v: Decimal) -> Result<(), Problem> {
    if v.fract().is_zero() {
        Ok(())
    } else {
        Err(Problem::NotWhole { value: v })
    }
}

fn percent_range() -> Interval {
    Interval {
        from: Some(Bound::incl(Decimal::ZERO)),
        to: Some(Bound::incl(HUNDRED)),
    }
}

/// A share as an exact fraction `(numerator, denominator)` of a ratio or percent value
/// (a percent p is p/100); `None` for a zero denominator.
fn fraction_of(value: &Value, accept_number: bool) -> Result<Option<(Decimal, Decimal)>, Problem> {
    match value {
        Value::Ratio {
            numerator,
            denominator,
        } => {
            non_negative(*numerator, "numerator / tử số")?;
            non_negative(*denominator, "denominator / mẫu số")?;
            if denominator.is_zero() {
                return Ok(None);
            }
            if numerator > denominator {
                return Err(Problem::NumeratorAboveDenominator {
                    numerator: *numerator,
                    denominator: *denominator,
                });
            }
            Ok(Some((*numerator, *denominator)))
        }
        Value::Percent(p) | Value::Number(p)
            if accept_number || matches!(value, Value::Percent(_)) =>
        {
            if !percent_range().contains(*p) {
                return Err(Problem::OutOfRange {
                    value: *p,
                    range: percent_range().describe(Lang::Vi, "%"),
                });
            }
            Ok(Some((*p, HUNDRED)))
        }
        other => Err(wrong(&[ValueKind::Ratio, ValueKind::Percent], other)),
    }
}

/// The percent of a fraction, with one division.
fn percent_value((n, d): (Decimal, Decimal)) -> Decimal {
    // The one ratio percent; d > 0 and n ≤ 10¹⁵ here (checked before), so it cannot fail.
    crate::engine::ratio_percent(n, d).unwrap_or_default()
}

/// `Ok(Outcome::Scored)` with these points and explanation.
fn scored(points: Decimal, explanation: Text) -> Result<Outcome, Problem> {
    Ok(Outcome::Scored {
        points,
        explanation,
    })
}

/// The node's maximum, which the rule needs.
fn need_max(max: Option<Decimal>) -> Result<Decimal, Problem> {
    max.ok_or(Problem::MaxRequired)
}

impl Rule {
    /// The rule's kind as the JSON `type` field writes it (`"yes_no"`, `"proportional"`…),
    /// for messages and files that name a rule's kind.
    ///
    /// ```
    /// use chiso::rule::Rule;
    /// let rule: Rule = serde_json::from_str(r#"{"type":"discretionary","step":"0.25"}"#).unwrap();
    /// assert_eq!(rule.type_name(), "discretionary");
    /// ```
    pub fn type_name(&self) -> &'static str {
        match self {
            Rule::YesNo { .. } => "yes_no",
            Rule::Timeliness { .. } => "timeliness",
            Rule::Tiers { .. } => "tiers",
            Rule::Proportional { .. } => "proportional",
            Rule::Levels { .. } => "levels",
            Rule::Deductions { .. } => "deductions",
            Rule::Discretionary { .. } => "discretionary",
            Rule::Survey { .. } => "survey",
            Rule::Score { .. } => "score",
        }
    }

    /// Value kinds the rule accepts.
    pub fn accepts(&self) -> &'static [ValueKind] {
        use ValueKind::*;
        match self {
            Rule::YesNo { .. } => &[YesNo, Conditions],
            Rule::Timeliness { .. } | Rule::Levels { .. } => &[Option],
            Rule::Tiers {
                measure: Measure::Percent,
                ..
            } => &[Percent, Ratio, Number],
            Rule::Tiers { .. } => &[Number],
            Rule::Proportional { .. } => &[Ratio, Percent],
            Rule::Deductions { .. } => &[Counts],
            Rule::Discretionary { .. } => &[Points],
            Rule::Survey { .. } => &[Answers, Percent, Points],
            Rule::Score { .. } => &[Number, Points],
        }
    }

    /// Whether the rule needs the node's maximum points.
    pub fn needs_max(&self) -> bool {
        match self {
            Rule::Proportional { .. }
            | Rule::Deductions { .. }
            | Rule::Discretionary { .. }
            | Rule::Survey { .. } => true,
            Rule::YesNo { yes, no, .. } => {
                yes.percent_of_max.is_some() || no.percent_of_max.is_some()
            }
            Rule::Timeliness {
                on_time,
                late,
                not_done,
            } => [on_time, late, not_done]
                .iter()
                .any(|a| a.percent_of_max.is_some()),
            Rule::Tiers { tiers, .. } => tiers.iter().any(|t| t.percent_of_max.is_some()),
            Rule::Levels { levels } => levels.iter().any(|l| l.percent_of_max.is_some()),
            Rule::Score { .. } => false,
        }
    }

    /// Applies the rule to `value` for a node whose maximum is `max`.
    ///
    /// ```
    /// use chiso::rule::{Rule, Outcome};
    /// use chiso::assessment::Value;
    /// let rule: Rule = serde_json::from_str(r#"{"type":"tiers","measure":"percent","tiers":[
    ///   {"range":{"from":{"value":"90","inclusive":false}},"label":{"vi":"trên 90%"},"points":"2"},
    ///   {"range":{"from":{"value":"70","inclusive":true},"to":{"value":"90","inclusive":true}},"label":{"vi":"từ 70% - 90%"},"points":"1"},
    ///   {"range":{"to":{"value":"70","inclusive":false}},"label":{"vi":"dưới 70%"},"points":"0"}]}"#).unwrap();
    /// let Outcome::Scored { points, explanation } = rule.evaluate(Some(2.into()), &Value::Percent(90.into())).unwrap() else { panic!() };
    /// assert_eq!(points, 1.into());
    /// assert_eq!(explanation.vi, "tỷ lệ 90% thuộc mức từ 70% đến 90% (từ 70% - 90%) → 1 điểm");
    /// ```
    pub fn evaluate(&self, max: Option<Decimal>, value: &Value) -> Result<Outcome, Problem> {
        self.apply(max, value, true)
    }

    /// The points [`Rule::evaluate`] gives, without building the explanation: `Ok(None)`
    /// when the value makes the criterion not applicable. Same checks, same arithmetic,
    /// same errors; this is the path used for re-scoring, planning and Monte-Carlo runs.
    ///
    /// ```
    /// use chiso::rule::Rule;
    /// use chiso::assessment::Value;
    /// let rule: Rule = serde_json::from_str(r#"{"type":"proportional","zero_denominator":"not_applicable"}"#).unwrap();
    /// let ratio = |n: i64, d: i64| Value::Ratio { numerator: n.into(), denominator: d.into() };
    /// assert_eq!(rule.points(Some(2.into()), &ratio(3, 4)).unwrap(), Some("1.5".parse().unwrap()));
    /// assert_eq!(rule.points(Some(2.into()), &ratio(0, 0)).unwrap(), None);
    /// ```
    pub fn points(&self, max: Option<Decimal>, value: &Value) -> Result<Option<Decimal>, Problem> {
        Ok(match self.apply(max, value, false)? {
            Outcome::Scored { points, .. } => Some(points),
            Outcome::NotApplicable { .. } => None,
        })
    }

    /// Checks the value's kind and magnitudes and the maximum, then scores the value with
    /// the function of the rule's kind; `explain` false skips the explanation.
    fn apply(
        &self,
        max: Option<Decimal>,
        value: &Value,
        explain: bool,
    ) -> Result<Outcome, Problem> {
        if !self.accepts().contains(&value.kind()) {
            return Err(wrong(self.accepts(), value));
        }
        check_magnitudes(value)?;
        if let Some(m) = max {
            bounded(m)?;
        }
        match (self, value) {
            (
                Rule::YesNo {
                    conditions,
                    yes,
                    no,
                },
                v,
            ) => choice::yes_no(conditions, yes, no, self.accepts(), max, v, explain),
            (
                Rule::Timeliness {
                    on_time,
                    late,
                    not_done,
                },
                Value::Option(o),
            ) => choice::timeliness([on_time, late, not_done], max, o, explain),
            (Rule::Levels { levels }, Value::Option(o)) => choice::levels(levels, max, o, explain),
            (Rule::Discretionary { step }, Value::Points(p)) => {
                choice::discretionary(*step, max, p, explain)
            }
            (Rule::Tiers { measure, tiers }, v) => {
                tiers::apply(*measure, tiers, self.accepts(), max, v, explain)
            }
            (
                Rule::Proportional {
                    threshold_percent,
                    gate,
                    zero_denominator,
                    ..
                },
                v,
            ) => proportional::apply(
                *threshold_percent,
                *gate,
                *zero_denominator,
                max,
                v,
                explain,
            ),
            (Rule::Deductions { severities }, Value::Counts(counts)) => {
                deductions::apply(severities, max, counts, explain)
            }
            (Rule::Survey { options }, v) => {
                entered::survey(options, self.accepts(), max, v, explain)
            }
            (Rule::Score { .. }, Value::Number(x) | Value::Points(x)) => {
                entered::score(max, x, explain)
            }
            (_, v) => Err(wrong(self.accepts(), v)),
        }
    }

    /// Warnings about a value that is accepted but worth checking (nominal range).
    pub fn warnings(&self, value: &Value) -> Vec<Problem> {
        match (self, value) {
            (Rule::Score { nominal: Some(r) }, Value::Number(x) | Value::Points(x))
                if !r.contains(*x) =>
            {
                vec![Problem::OutsideNominalRange {
                    value: *x,
                    range: r.describe(Lang::Vi, ""),
                }]
            }
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::Rule;

    /// [`Rule::type_name`] is the JSON `type` serde writes, for every kind.
    #[test]
    fn type_name_is_the_json_type() {
        let award = r#"{"label":{"vi":"x"},"points":"1"}"#;
        let rules = [
            format!(r#"{{"type":"yes_no","yes":{award},"no":{award}}}"#),
            format!(
                r#"{{"type":"timeliness","on_time":{award},"late":{award},"not_done":{award}}}"#
            ),
            r#"{"type":"tiers","measure":"count","tiers":[]}"#.into(),
            r#"{"type":"proportional","zero_denominator":"zero"}"#.into(),
            r#"{"type":"levels","levels":[]}"#.into(),
            r#"{"type":"deductions","severities":[]}"#.into(),
            r#"{"type":"discretionary"}"#.into(),
            r#"{"type":"survey"}"#.into(),
            r#"{"type":"score"}"#.into(),
        ];
        for text in rules {
            let rule: Rule = serde_json::from_str(&text).unwrap();
            let json = serde_json::to_value(&rule).unwrap();
            assert_eq!(json["type"], rule.type_name(), "{text}");
        }
    }
}
