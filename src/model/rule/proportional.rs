//! The `proportional` kind: points proportional to a ratio, with a threshold of full
//! marks, an optional gate and a policy for a zero denominator.

#[cfg(doc)]
use super::Rule;
use super::{
    both, fraction_of, need_max, percent_value, scored,
    words::{num, pts},
    Outcome, Problem, HUNDRED,
};
use crate::assessment::Value;
use crate::interval::{Bound, Interval};
use crate::text::Lang;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

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

/// Scores a `proportional` rule: a ratio or percent, the zero-denominator policy, the
/// gate, then `max × min(1, rate / threshold)`.
pub(super) fn apply(
    threshold_percent: Option<Decimal>,
    gate: Option<Bound>,
    zero_denominator: ZeroDenominator,
    max: Option<Decimal>,
    v: &Value,
    explain: bool,
) -> Result<Outcome, Problem> {
    let m = need_max(max)?;
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
    let p = proportional_points(m, frac, threshold_percent, gate);
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
