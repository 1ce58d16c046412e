//! The `tiers` kind: tiers over a percent, a count or a number, with explicit bounds.

#[cfg(doc)]
use super::Rule;
use super::{
    award_points, both, fraction_of, non_negative, percent_value, scored, whole,
    words::{num, pts},
    wrong, Outcome, Problem,
};
use crate::assessment::{Value, ValueKind};
use crate::interval::Interval;
use crate::text::Lang;
use crate::text::Text;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

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

impl Tier {
    /// Points of the tier.
    pub fn points(&self, max: Option<Decimal>) -> Result<Decimal, Problem> {
        award_points(self.points, self.percent_of_max, max)
    }
}

/// Scores a `tiers` rule: the value's tier (a percent from a ratio, percent or number; a
/// whole count; a number).
pub(super) fn apply(
    measure: Measure,
    tiers: &[Tier],
    accepts: &'static [ValueKind],
    max: Option<Decimal>,
    v: &Value,
    explain: bool,
) -> Result<Outcome, Problem> {
    let (x, unit) = match measure {
        Measure::Percent => match fraction_of(v, true)? {
            Some(f) => (percent_value(f), "%"),
            None => return Err(Problem::ZeroDenominator),
        },
        Measure::Count => {
            let Value::Number(n) = v else {
                return Err(wrong(accepts, v));
            };
            non_negative(*n, "count / số lượng")?;
            whole(*n)?;
            (*n, "")
        }
        Measure::Number => {
            let Value::Number(n) = v else {
                return Err(wrong(accepts, v));
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
