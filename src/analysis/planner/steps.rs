//! Each leaf's candidate improvements, from its rule and current value: one function per
//! rule kind (the table in the [module docs](super)); the kinds the unit cannot act on
//! (`survey`, `score`) have none.

use super::{both, pct};
use crate::assessment::Value;
use crate::interval::Bound;
use crate::rule::{num, Outcome, Rule};
use crate::text::{Lang, Text};
use rust_decimal::Decimal;

mod choice;
mod deductions;
mod proportional;
mod tiers;

/// One candidate improvement of a leaf (before costing).
#[derive(Debug, Clone)]
pub(super) struct Cand {
    pub(super) points: Decimal,
    pub(super) steps: u32,
    pub(super) value: Value,
    pub(super) evidence: bool,
    pub(super) text: Text,
    pub(super) distance: Option<Text>,
}

/// Smallest whole `n` with `n / d × 100` in the lower bound `b`.
fn min_numerator(b: Bound, d: Decimal) -> Decimal {
    let exact = b.value * d / Decimal::ONE_HUNDRED;
    let mut n = exact.ceil();
    if !b.inclusive && n * Decimal::ONE_HUNDRED == b.value * d {
        n += Decimal::ONE;
    }
    n
}

/// Largest whole `n` with `n / d × 100` under the upper bound `b`.
fn max_numerator(b: Bound, d: Decimal) -> Decimal {
    let exact = b.value * d / Decimal::ONE_HUNDRED;
    let mut n = exact.floor();
    if !b.inclusive && n * Decimal::ONE_HUNDRED == b.value * d {
        n -= Decimal::ONE;
    }
    n
}

/// A value just inside a lower / upper bound on a continuous scale (one more decimal
/// place than the bound has, at least one).
fn just_inside(b: Bound, upward: bool, whole: bool) -> Decimal {
    if b.inclusive {
        return if whole {
            if upward {
                b.value.ceil()
            } else {
                b.value.floor()
            }
        } else {
            b.value
        };
    }
    if whole {
        return if upward {
            b.value.floor() + Decimal::ONE
        } else {
            b.value.ceil() - Decimal::ONE
        };
    }
    let e = Decimal::new(1, b.value.normalize().scale().max(1));
    if upward {
        b.value + e
    } else {
        b.value - e
    }
}

/// The share in percent and the parts of a proportional/percent value.
fn share(v: &Value) -> Option<(Decimal, Option<(Decimal, Decimal)>)> {
    match v {
        Value::Ratio {
            numerator,
            denominator,
        } if !denominator.is_zero() => Some((
            numerator * Decimal::ONE_HUNDRED / denominator,
            Some((*numerator, *denominator)),
        )),
        Value::Percent(p) | Value::Number(p) => Some((*p, None)),
        _ => None,
    }
}

fn value_words(v: &Value, lang: Lang) -> String {
    match v {
        Value::Ratio {
            numerator,
            denominator,
        } if !denominator.is_zero() => format!(
            "{} ({}/{})",
            pct(numerator * Decimal::ONE_HUNDRED / denominator, lang),
            num(*numerator, lang),
            num(*denominator, lang)
        ),
        Value::Percent(p) => pct(*p, lang),
        Value::Number(x) | Value::Points(x) => num(*x, lang),
        _ => String::new(),
    }
}

/// The candidates of one leaf being gathered: its rule, maximum and points now.
struct Acc<'a> {
    rule: &'a Rule,
    max: Option<Decimal>,
    now: Decimal,
    round: &'a dyn Fn(Decimal) -> Decimal,
    out: Vec<Cand>,
}

impl Acc<'_> {
    /// The points of the value by the rule (none when it does not score).
    fn eval(&self, v: &Value) -> Option<Decimal> {
        match self.rule.evaluate(self.max, v) {
            Ok(Outcome::Scored { points, .. }) => Some(points),
            _ => None,
        }
    }

    /// Adds an improvement, its points rounded as the index rounds a leaf, when it pays
    /// more than now.
    fn push(
        &mut self,
        points: Decimal,
        steps: u32,
        value: Value,
        text: Text,
        distance: Option<Text>,
    ) {
        let points = (self.round)(points);
        if points > self.now {
            self.out.push(Cand {
                points,
                steps,
                value,
                evidence: false,
                text,
                distance,
            });
        }
    }
}

/// Candidate improvements of one leaf, from its rule and current value; `round` is the
/// index's leaf rounding ([`Index::round_leaf`](crate::engine::Index::round_leaf)),
/// applied to every candidate's points.
pub(super) fn candidates(
    rule: &Rule,
    max: Option<Decimal>,
    current: Option<&Value>,
    now: Decimal,
    step_pct: Decimal,
    round: &dyn Fn(Decimal) -> Decimal,
) -> Vec<Cand> {
    let mut acc = Acc {
        rule,
        max,
        now,
        round,
        out: Vec::new(),
    };
    match rule {
        Rule::YesNo {
            conditions, yes, ..
        } => choice::yes_no(&mut acc, conditions, yes, current),
        Rule::Timeliness {
            on_time,
            late,
            not_done,
        } => choice::timeliness(&mut acc, [on_time, late, not_done], current),
        Rule::Levels { levels } => choice::levels(&mut acc, levels, current),
        Rule::Discretionary { step } => choice::discretionary(&mut acc, *step),
        Rule::Tiers { measure, tiers } => tiers::steps(&mut acc, *measure, tiers, current),
        Rule::Proportional {
            threshold_percent,
            gate,
            numerator,
            ..
        } => proportional::steps(
            &mut acc,
            *threshold_percent,
            *gate,
            numerator.as_ref(),
            current,
            step_pct,
        ),
        Rule::Deductions { severities } => deductions::steps(&mut acc, severities, current),
        Rule::Survey { .. } | Rule::Score { .. } => {}
    }
    acc.out
}

/// Options ordered by points: every better-paid one, one step per option climbed.
fn ladder(list: &[(String, Decimal, Text)], current: Option<&Value>, now: Decimal, acc: &mut Acc) {
    let cur_label = match current {
        Some(Value::Option(k)) => list
            .iter()
            .find(|(key, _, _)| key == k)
            .map(|x| x.2.clone()),
        _ => None,
    };
    let mut k = 0u32;
    let mut last = now;
    for (key, p, label) in list {
        if *p <= now {
            continue;
        }
        if *p > last {
            k += 1;
            last = *p;
        }
        let text = both(|l| match (&cur_label, l) {
            (Some(c), Lang::Vi) => format!("chuyển từ \"{}\" lên \"{}\"", c.get(l), label.get(l)),
            (Some(c), Lang::En) => format!("move from \"{}\" up to \"{}\"", c.get(l), label.get(l)),
            (None, Lang::Vi) => format!("đạt \"{}\"", label.get(l)),
            (None, Lang::En) => format!("reach \"{}\"", label.get(l)),
        });
        acc.push(*p, k, Value::Option(key.clone()), text, None);
    }
}

fn distance_text(from: Option<&Value>, to: &Value) -> Option<Text> {
    match (from, to) {
        (
            Some(Value::Ratio {
                numerator: a,
                denominator: d,
            }),
            Value::Ratio { numerator: b, .. },
        ) if !d.is_zero() => {
            let dp = (b - a) * Decimal::ONE_HUNDRED / d;
            Some(both(|l| match l {
                Lang::Vi => format!(
                    "+{} điểm phần trăm (+{} trên {})",
                    num(dp, l),
                    num(b - a, l),
                    num(*d, l)
                ),
                Lang::En => format!(
                    "+{} percentage points (+{} of {})",
                    num(dp, l),
                    num(b - a, l),
                    num(*d, l)
                ),
            }))
        }
        (Some(v), w) => {
            let (a, _) = share(v)?;
            let (b, _) = share(w)?;
            let d = b - a;
            let unit_pct = matches!(v, Value::Percent(_)) || matches!(w, Value::Percent(_));
            Some(both(|l| {
                let sign = if d >= Decimal::ZERO { "+" } else { "" };
                match (unit_pct, l) {
                    (true, Lang::Vi) => format!("{sign}{} điểm phần trăm", num(d, l)),
                    (true, Lang::En) => format!("{sign}{} percentage points", num(d, l)),
                    (false, _) => format!("{sign}{}", num(d, l)),
                }
            }))
        }
        _ => None,
    }
}
