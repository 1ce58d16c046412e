//! The choice kinds: yes/no (optionally an AND of named conditions), timeliness, named
//! levels, and the appraiser's discretionary points.

use super::words::{num, pts};
use super::{award_points, both, need_max, overflow, scored, wrong, Outcome, Problem};
use crate::assessment::{Value, ValueKind};
use crate::interval::{Bound, Interval};
use crate::text::{Lang, Text};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

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

/// Scores a `yes_no` rule: a yes/no value, or the conditions (all must hold).
pub(super) fn yes_no(
    conditions: &[Condition],
    yes: &Award,
    no: &Award,
    accepts: &'static [ValueKind],
    max: Option<Decimal>,
    v: &Value,
    explain: bool,
) -> Result<Outcome, Problem> {
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
                    None => return Err(Problem::MissingCondition { key: c.key.clone() }),
                    Some(false) => unmet.push(c),
                    Some(true) => {}
                }
            }
            (unmet.is_empty(), unmet)
        }
        other => return Err(wrong(accepts, other)),
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

/// Scores a `timeliness` rule: the option `on_time`, `late` or `not_done`.
pub(super) fn timeliness(
    [on_time, late, not_done]: [&Award; 3],
    max: Option<Decimal>,
    o: &str,
    explain: bool,
) -> Result<Outcome, Problem> {
    let a = match o {
        "on_time" => on_time,
        "late" => late,
        "not_done" => not_done,
        _ => {
            return Err(Problem::UnknownOption {
                option: o.to_owned(),
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

/// Scores a `levels` rule: the option names the level.
pub(super) fn levels(
    levels: &[Level],
    max: Option<Decimal>,
    o: &str,
    explain: bool,
) -> Result<Outcome, Problem> {
    let lv = levels
        .iter()
        .find(|l| l.key == o)
        .ok_or_else(|| Problem::UnknownOption {
            option: o.to_owned(),
            allowed: levels.iter().map(|l| l.key.clone()).collect(),
        })?;
    let p = lv.points(max)?;
    scored(
        p,
        both(explain, |l| format!("{} → {}", lv.label.get(l), pts(p, l))),
    )
}

/// Scores a `discretionary` rule: the points entered, in [0, max] and on the step.
pub(super) fn discretionary(
    step: Option<Decimal>,
    max: Option<Decimal>,
    p: &Decimal,
    explain: bool,
) -> Result<Outcome, Problem> {
    let m = need_max(max)?;
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
