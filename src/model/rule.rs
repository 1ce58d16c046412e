//! The rule library: typed scoring rules, evaluated exactly, each explaining its points.
//!
//! Every rule turns one [`Value`] into points on the node's scale (0 ≤ points ≤ max)
//! and an explanation in the words of the criterion, in Vietnamese and English.

use crate::assessment::{Value, ValueKind};
use crate::diagnostics::Problem;
use crate::display::{plain, round, Rounding};
use crate::interval::{Bound, Interval};
use crate::text::{Lang, Text};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A scoring rule. The JSON `type` field names the variant.
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
        #[serde(default = "default_survey_options")]
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

/// A named condition of a yes/no rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// Key used in the assessment.
    pub key: String,
    /// Wording of the condition.
    pub label: Text,
}

/// An outcome worth points or a percent of the maximum.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Award {
    /// Wording of the outcome, verbatim.
    pub label: Text,
    /// Points.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<Decimal>,
    /// Percent of the node maximum.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percent_of_max: Option<Decimal>,
}

/// A named level (or a deduction severity).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Level {
    /// Key used in the assessment.
    pub key: String,
    /// Wording, verbatim.
    pub label: Text,
    /// Points (for deductions: points deducted per occurrence).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<Decimal>,
    /// Percent of the maximum (for deductions: deducted per occurrence).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percent_of_max: Option<Decimal>,
}

/// One tier of a [`Rule::Tiers`] rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    /// Values in this tier.
    pub range: Interval,
    /// Wording, verbatim.
    pub label: Text,
    /// Points.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<Decimal>,
    /// Percent of the node maximum.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percent_of_max: Option<Decimal>,
}

/// What a tiered number measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// A percent (tỷ lệ %); accepts `percent`, `ratio` or `number` values.
    Percent,
    /// A whole count (số lần, số văn bản).
    Count,
    /// Any other number.
    Number,
}

/// What a zero denominator yields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ZeroDenominator {
    /// 0 points (766: payment ratios; no dossiers for 5.4).
    Zero,
    /// Full marks (766: no complaints → full marks for 5.2 and 5.3).
    FullMarks,
    /// The criterion does not apply (leaves achieved and max).
    NotApplicable,
    /// A zero denominator is an input error.
    Invalid,
}

/// An answer option of a survey question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SurveyOption {
    /// Option key, e.g. `A`.
    pub key: String,
    /// Percent of the maximum this answer is worth.
    pub percent: Decimal,
    /// Wording of the answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<Text>,
}

fn default_survey_options() -> Vec<SurveyOption> {
    [("A", 100), ("B", 60), ("C", 20), ("D", 0)]
        .into_iter()
        .map(|(k, p)| SurveyOption {
            key: k.into(),
            percent: Decimal::from(p),
            label: None,
        })
        .collect()
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

mod most;

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

/// Writes a number for an explanation: exact when short, otherwise "≈" and 4 decimals
/// rounded half up (presentation only).
pub(crate) fn num(d: Decimal, lang: Lang) -> String {
    let d = d.normalize();
    if d.scale() <= 4 {
        plain(d, lang)
    } else {
        format!("≈{}", plain(round(d, 4, Rounding::HalfUp), lang))
    }
}

fn pts(d: Decimal, lang: Lang) -> String {
    match lang {
        Lang::Vi => format!("{} điểm", num(d, lang)),
        Lang::En if d == Decimal::ONE => "1 point".into(),
        Lang::En => format!("{} points", num(d, lang)),
    }
}

/// The explanation in both languages, or an empty text when the caller wants points only.
fn both(explain: bool, f: impl Fn(Lang) -> String) -> Text {
    if explain {
        Text::new(f(Lang::Vi), f(Lang::En))
    } else {
        Text::default()
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

impl Award {
    fn points(&self, max: Option<Decimal>) -> Result<Decimal, Problem> {
        award_points(self.points, self.percent_of_max, max)
    }
}

impl Level {
    /// Points of the level (or deduction per occurrence).
    pub fn points(&self, max: Option<Decimal>) -> Result<Decimal, Problem> {
        award_points(self.points, self.percent_of_max, max)
    }
}

impl Tier {
    /// Points of the tier.
    pub fn points(&self, max: Option<Decimal>) -> Result<Decimal, Problem> {
        award_points(self.points, self.percent_of_max, max)
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
    if d == HUNDRED {
        n
    } else {
        n * HUNDRED / d
    }
}

/// Whether `n/d × 100` reaches the bound `b` (d > 0), compared exactly by
/// cross-multiplication. With an index's numbers (n, d ≤ 10¹⁵, bounds within 0–100)
/// the products stay far inside `Decimal`'s range; beyond it the quotients are compared
/// (28 significant digits) rather than overflowing.
fn reaches((n, d): (Decimal, Decimal), b: Bound) -> bool {
    let (lhs, rhs) = match (n.checked_mul(HUNDRED), b.value.checked_mul(d)) {
        (Some(l), Some(r)) => (l, r),
        // n/d overflowing means a share far above any bound.
        _ => match n.checked_div(d) {
            Some(q) => (q, b.value / HUNDRED),
            None => return true,
        },
    };
    if b.inclusive {
        lhs >= rhs
    } else {
        lhs > rhs
    }
}

/// Points of a proportional rule for the share `n/d` (d > 0): 0 below the gate, else
/// `max × min(1, (n/d × 100) / threshold)`, formed with a single division so the result
/// is the correctly rounded value of the exact rational. Shared by [`Rule::evaluate`]
/// and the batch scorer. Never panics: when `max × n × 100` would leave `Decimal`'s range
/// (a maximum and a numerator both near 10¹⁵), the share is divided out first, which is
/// exact to 28 significant digits.
///
/// ```
/// use chiso::rule::proportional_points;
/// use chiso::Decimal;
/// // QĐ 766 indicator 5.4: 6 × min(1, r / 90%) at r = 45% → 3.
/// let p = proportional_points(6.into(), (45.into(), 100.into()), Some(90.into()), None);
/// assert_eq!(p, Decimal::from(3));
/// ```
pub fn proportional_points(
    max: Decimal,
    (n, d): (Decimal, Decimal),
    threshold_percent: Option<Decimal>,
    gate: Option<Bound>,
) -> Decimal {
    if gate.is_some_and(|g| !reaches((n, d), g)) {
        return Decimal::ZERO;
    }
    let t = threshold_percent.unwrap_or(HUNDRED);
    if reaches((n, d), Bound::incl(t)) {
        return max;
    }
    // Below the threshold: n × 100 < t × d, so the share q = n × 100 / (d × t) is < 1.
    let exact = max
        .checked_mul(n)
        .and_then(|x| x.checked_mul(HUNDRED))
        .zip(d.checked_mul(t))
        .and_then(|(num, den)| num.checked_div(den));
    // max × n × 100 beyond `Decimal`'s range (max and n both near 10¹⁵): the share
    // first, then the product, exact to 28 significant digits and never above max.
    exact
        .or_else(|| {
            n.checked_div(d)
                .and_then(|r| r.checked_mul(HUNDRED))
                .and_then(|r| r.checked_div(t))
                .and_then(|q| max.checked_mul(q.min(Decimal::ONE)))
        })
        .unwrap_or(max)
}

impl ZeroDenominator {
    /// What a zero denominator yields on a node of maximum `max`: `Ok(Some(points))`,
    /// `Ok(None)` when the criterion becomes not applicable, or the input error.
    pub fn points(self, max: Decimal) -> Result<Option<Decimal>, Problem> {
        match self {
            ZeroDenominator::Zero => Ok(Some(Decimal::ZERO)),
            ZeroDenominator::FullMarks => Ok(Some(max)),
            ZeroDenominator::NotApplicable => Ok(None),
            ZeroDenominator::Invalid => Err(Problem::ZeroDenominator),
        }
    }
}

impl Rule {
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
        let need_max = || max.ok_or(Problem::MaxRequired);
        let scored = |points: Decimal, explanation: Text| {
            Ok(Outcome::Scored {
                points,
                explanation,
            })
        };
        match (self, value) {
            (
                Rule::YesNo {
                    conditions,
                    yes,
                    no,
                },
                v,
            ) => {
                let (ok, unmet) = match v {
                    Value::YesNo(b) => (*b, Vec::new()),
                    Value::Conditions(map) => {
                        for k in map.keys() {
                            if !conditions.iter().any(|c| &c.key == k) {
                                return Err(Problem::UnknownCondition { key: k.clone() });
                            }
                        }
                        let mut unmet = Vec::new();
                        for c in conditions {
                            match map.get(&c.key) {
                                None => {
                                    return Err(Problem::MissingCondition { key: c.key.clone() })
                                }
                                Some(false) => unmet.push(c),
                                Some(true) => {}
                            }
                        }
                        (unmet.is_empty(), unmet)
                    }
                    other => return Err(wrong(self.accepts(), other)),
                };
                let a = if ok { yes } else { no };
                let p = a.points(max)?;
                scored(
                    p,
                    both(explain, |l| {
                        let mut s = format!("{} → {}", a.label.get(l), pts(p, l));
                        if !unmet.is_empty() {
                            let names = unmet
                                .iter()
                                .map(|c| c.label.get(l))
                                .collect::<Vec<_>>()
                                .join("; ");
                            s.push_str(&match l {
                                Lang::Vi => format!(" (chưa đạt: {names})"),
                                Lang::En => format!(" (not met: {names})"),
                            });
                        }
                        s
                    }),
                )
            }
            (
                Rule::Timeliness {
                    on_time,
                    late,
                    not_done,
                },
                Value::Option(o),
            ) => {
                let a = match o.as_str() {
                    "on_time" => on_time,
                    "late" => late,
                    "not_done" => not_done,
                    _ => {
                        return Err(Problem::UnknownOption {
                            option: o.clone(),
                            allowed: vec!["on_time".into(), "late".into(), "not_done".into()],
                        })
                    }
                };
                let p = a.points(max)?;
                scored(
                    p,
                    both(explain, |l| format!("{} → {}", a.label.get(l), pts(p, l))),
                )
            }
            (Rule::Levels { levels }, Value::Option(o)) => {
                let lv =
                    levels
                        .iter()
                        .find(|l| &l.key == o)
                        .ok_or_else(|| Problem::UnknownOption {
                            option: o.clone(),
                            allowed: levels.iter().map(|l| l.key.clone()).collect(),
                        })?;
                let p = lv.points(max)?;
                scored(
                    p,
                    both(explain, |l| format!("{} → {}", lv.label.get(l), pts(p, l))),
                )
            }
            (Rule::Tiers { measure, tiers }, v) => {
                let (x, unit) = match measure {
                    Measure::Percent => match fraction_of(v, true)? {
                        Some(f) => (percent_value(f), "%"),
                        None => return Err(Problem::ZeroDenominator),
                    },
                    Measure::Count => {
                        let Value::Number(n) = v else {
                            return Err(wrong(self.accepts(), v));
                        };
                        non_negative(*n, "count / số lượng")?;
                        whole(*n)?;
                        (*n, "")
                    }
                    Measure::Number => {
                        let Value::Number(n) = v else {
                            return Err(wrong(self.accepts(), v));
                        };
                        (*n, "")
                    }
                };
                let t = tiers
                    .iter()
                    .find(|t| t.range.contains(x))
                    .ok_or(Problem::NoTier { value: x })?;
                let p = t.points(max)?;
                scored(
                    p,
                    both(explain, |l| {
                        let what = match (measure, l) {
                            (Measure::Percent, Lang::Vi) => "tỷ lệ",
                            (Measure::Percent, Lang::En) => "rate",
                            (Measure::Count, Lang::Vi) => "số lượng",
                            (Measure::Count, Lang::En) => "count",
                            (Measure::Number, Lang::Vi) => "giá trị",
                            (Measure::Number, Lang::En) => "value",
                        };
                        let tier_word = if l == Lang::Vi {
                            "thuộc mức"
                        } else {
                            "is in the tier"
                        };
                        format!(
                            "{what} {}{unit} {tier_word} {} ({}) → {}",
                            num(x, l),
                            t.range.describe(l, unit),
                            t.label.get(l),
                            pts(p, l)
                        )
                    }),
                )
            }
            (
                Rule::Proportional {
                    threshold_percent,
                    gate,
                    zero_denominator,
                    ..
                },
                v,
            ) => {
                let m = need_max()?;
                let Some(frac) = fraction_of(v, false)? else {
                    return match zero_denominator {
                        ZeroDenominator::Zero => scored(
                            Decimal::ZERO,
                            both(explain, |l| match l {
                                Lang::Vi => "mẫu số bằng 0 → 0 điểm".into(),
                                Lang::En => "denominator is 0 → 0 points".into(),
                            }),
                        ),
                        ZeroDenominator::FullMarks => scored(
                            m,
                            both(explain, |l| match l {
                                Lang::Vi => format!(
                                    "không phát sinh (mẫu số bằng 0) → đạt điểm tối đa {}",
                                    pts(m, l)
                                ),
                                Lang::En => format!(
                                    "nothing to count (denominator 0) → full marks, {}",
                                    pts(m, l)
                                ),
                            }),
                        ),
                        ZeroDenominator::NotApplicable => Ok(Outcome::NotApplicable {
                            explanation: both(explain, |l| match l {
                                Lang::Vi => "mẫu số bằng 0 → tiêu chí không áp dụng".into(),
                                Lang::En => "denominator is 0 → criterion not applicable".into(),
                            }),
                        }),
                        ZeroDenominator::Invalid => Err(Problem::ZeroDenominator),
                    };
                };
                let pct = percent_value(frac);
                let ratio_words = |l: Lang| match v {
                    Value::Ratio {
                        numerator,
                        denominator,
                    } => {
                        format!(
                            "{}/{} = {}%",
                            num(*numerator, l),
                            num(*denominator, l),
                            num(pct, l)
                        )
                    }
                    _ => format!("{}%", num(pct, l)),
                };
                let p = proportional_points(m, frac, *threshold_percent, *gate);
                if let Some(g) = gate.filter(|g| !reaches(frac, *g)) {
                    let gi = Interval {
                        from: Some(g),
                        to: None,
                    };
                    return scored(
                        p,
                        both(explain, |l| match l {
                            Lang::Vi => format!(
                                "tỷ lệ {} chưa đạt {} → 0 điểm",
                                ratio_words(l),
                                gi.describe(l, "%")
                            ),
                            Lang::En => format!(
                                "rate {} does not reach {} → 0 points",
                                ratio_words(l),
                                gi.describe(l, "%")
                            ),
                        }),
                    );
                }
                let t = threshold_percent.unwrap_or(HUNDRED);
                scored(
                    p,
                    both(explain, |l| {
                        let formula = if t == HUNDRED {
                            format!("{} × {}%", num(m, l), num(pct, l))
                        } else {
                            format!("{} × min(1; {}% / {}%)", num(m, l), num(pct, l), num(t, l))
                        };
                        match l {
                            Lang::Vi => {
                                format!("tỷ lệ {}; {} → {}", ratio_words(l), formula, pts(p, l))
                            }
                            Lang::En => {
                                format!("rate {}; {} → {}", ratio_words(l), formula, pts(p, l))
                            }
                        }
                    }),
                )
            }
            (Rule::Deductions { severities }, Value::Counts(counts)) => {
                let m = need_max()?;
                let mut total = Decimal::ZERO;
                let mut parts: Vec<(&Level, Decimal, Decimal)> = Vec::new();
                for (k, c) in counts {
                    let sev = severities.iter().find(|s| &s.key == k).ok_or_else(|| {
                        Problem::UnknownOption {
                            option: k.clone(),
                            allowed: severities.iter().map(|s| s.key.clone()).collect(),
                        }
                    })?;
                    non_negative(*c, "count / số lần")?;
                    whole(*c)?;
                    let what = "deductions (points per incident × incidents) / điểm trừ (số điểm mỗi lần × số lần)";
                    let d = sev
                        .points(max)?
                        .checked_mul(*c)
                        .ok_or_else(|| overflow(what))?;
                    total = total.checked_add(d).ok_or_else(|| overflow(what))?;
                    if !c.is_zero() {
                        parts.push((sev, *c, d));
                    }
                }
                let p = (m - total).max(Decimal::ZERO);
                scored(
                    p,
                    both(explain, |l| {
                        if parts.is_empty() {
                            return match l {
                                Lang::Vi => format!("không có vi phạm → {}", pts(p, l)),
                                Lang::En => format!("no incidents → {}", pts(p, l)),
                            };
                        }
                        let items = parts
                            .iter()
                            .map(|(s, c, d)| {
                                format!("{} × {} (−{})", num(*c, l), s.label.get(l), num(*d, l))
                            })
                            .collect::<Vec<_>>()
                            .join("; ");
                        match l {
                            Lang::Vi => format!(
                                "{} trừ {}; {} (tối thiểu 0) → {}",
                                num(m, l),
                                num(total, l),
                                items,
                                pts(p, l)
                            ),
                            Lang::En => format!(
                                "{} minus {}; {} (floored at 0) → {}",
                                num(m, l),
                                num(total, l),
                                items,
                                pts(p, l)
                            ),
                        }
                    }),
                )
            }
            (Rule::Discretionary { step }, Value::Points(p)) => {
                let m = need_max()?;
                let range = Interval {
                    from: Some(Bound::incl(Decimal::ZERO)),
                    to: Some(Bound::incl(m)),
                };
                if !range.contains(*p) {
                    return Err(Problem::OutOfRange {
                        value: *p,
                        range: range.describe(Lang::Vi, ""),
                    });
                }
                if let Some(s) = step.filter(|s| !s.is_zero()) {
                    // The remainder, not the quotient: p / s overflows for a tiny step.
                    let off_step = p
                        .checked_rem(s)
                        .map(|r| !r.is_zero())
                        .ok_or_else(|| overflow("points ÷ step / điểm ÷ bước chấm"))?;
                    if off_step {
                        return Err(Problem::NotOnStep { value: *p, step: s });
                    }
                }
                scored(
                    *p,
                    both(explain, |l| match l {
                        Lang::Vi => format!("Hội đồng chấm {} (tối đa {})", pts(*p, l), num(m, l)),
                        Lang::En => format!(
                            "the appraiser awarded {} (maximum {})",
                            pts(*p, l),
                            num(m, l)
                        ),
                    }),
                )
            }
            (Rule::Survey { options }, v) => {
                let m = need_max()?;
                match v {
                    Value::Answers(answers) => {
                        let mut n = Decimal::ZERO;
                        let mut weighted = Decimal::ZERO;
                        for (k, c) in answers {
                            let opt = options.iter().find(|o| &o.key == k).ok_or_else(|| {
                                Problem::UnknownOption {
                                    option: k.clone(),
                                    allowed: options.iter().map(|o| o.key.clone()).collect(),
                                }
                            })?;
                            non_negative(*c, "answers / số phiếu")?;
                            let what = "answers × percent / số phiếu × tỷ lệ %";
                            n = n.checked_add(*c).ok_or_else(|| overflow(what))?;
                            weighted = opt
                                .percent
                                .checked_mul(*c)
                                .and_then(|x| x.checked_add(weighted))
                                .ok_or_else(|| overflow(what))?;
                        }
                        if n.is_zero() {
                            return Err(Problem::NoAnswers);
                        }
                        let mean = weighted
                            .checked_div(n)
                            .ok_or_else(|| overflow("answers × percent / số phiếu × tỷ lệ %"))?;
                        let p = share(
                            m,
                            mean,
                            "mean percent × maximum / tỷ lệ bình quân × điểm tối đa",
                        )?;
                        let dist = || {
                            answers
                                .iter()
                                .map(|(k, c)| format!("{k}: {}", num(*c, Lang::En)))
                                .collect::<Vec<_>>()
                                .join(", ")
                        };
                        scored(
                            p,
                            both(explain, |l| match l {
                                Lang::Vi => format!(
                                    "{} phiếu ({}); tỷ lệ bình quân {}% × {} → {}",
                                    num(n, l),
                                    dist(),
                                    num(mean, l),
                                    num(m, l),
                                    pts(p, l)
                                ),
                                Lang::En => format!(
                                    "{} answers ({}); mean {}% × {} → {}",
                                    num(n, l),
                                    dist(),
                                    num(mean, l),
                                    num(m, l),
                                    pts(p, l)
                                ),
                            }),
                        )
                    }
                    Value::Percent(pc) => {
                        if !percent_range().contains(*pc) {
                            return Err(Problem::OutOfRange {
                                value: *pc,
                                range: percent_range().describe(Lang::Vi, "%"),
                            });
                        }
                        let p = share(m, *pc, "percent × maximum / tỷ lệ % × điểm tối đa")?;
                        scored(
                            p,
                            both(explain, |l| match l {
                                Lang::Vi => format!(
                                    "kết quả điều tra {}% × {} → {}",
                                    num(*pc, l),
                                    num(m, l),
                                    pts(p, l)
                                ),
                                Lang::En => format!(
                                    "survey result {}% × {} → {}",
                                    num(*pc, l),
                                    num(m, l),
                                    pts(p, l)
                                ),
                            }),
                        )
                    }
                    Value::Points(p) => {
                        let range = Interval {
                            from: Some(Bound::incl(Decimal::ZERO)),
                            to: Some(Bound::incl(m)),
                        };
                        if !range.contains(*p) {
                            return Err(Problem::OutOfRange {
                                value: *p,
                                range: range.describe(Lang::Vi, ""),
                            });
                        }
                        scored(
                            *p,
                            both(explain, |l| match l {
                                Lang::Vi => format!("điểm điều tra xã hội học → {}", pts(*p, l)),
                                Lang::En => format!("survey score → {}", pts(*p, l)),
                            }),
                        )
                    }
                    other => Err(wrong(self.accepts(), other)),
                }
            }
            (Rule::Score { .. }, Value::Number(x) | Value::Points(x)) => {
                if let Some(m) = max {
                    let range = Interval {
                        from: Some(Bound::incl(Decimal::ZERO)),
                        to: Some(Bound::incl(m)),
                    };
                    if !range.contains(*x) {
                        return Err(Problem::OutOfRange {
                            value: *x,
                            range: range.describe(Lang::Vi, ""),
                        });
                    }
                }
                scored(
                    *x,
                    both(explain, |l| match l {
                        Lang::Vi => format!("điểm được công bố/nhập trực tiếp → {}", pts(*x, l)),
                        Lang::En => format!("score supplied as such → {}", pts(*x, l)),
                    }),
                )
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
