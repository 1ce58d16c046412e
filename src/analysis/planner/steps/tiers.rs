//! Steps of the `tiers` kind: each better-paid tier, at the value nearest the current one
//! inside it; one step per tier climbed.

use super::{
    both, distance_text, just_inside, max_numerator, min_numerator, share, value_words, Acc,
};
use crate::assessment::Value;
use crate::interval::Interval;
use crate::rule::{Measure, Tier};
use crate::text::Lang;
use rust_decimal::Decimal;

/// Each better-paid tier, at its bound nearest the current value (for a ratio, the fewest
/// extra units of the numerator with the same denominator).
pub(super) fn steps(acc: &mut Acc, measure: Measure, tiers: &[Tier], current: Option<&Value>) {
    let (max, now) = (acc.max, acc.now);
    let measure = &measure;
    let cur = current.and_then(share);
    let mut better: Vec<(Decimal, &Tier)> = tiers
        .iter()
        .filter_map(|t| t.points(max).ok().map(|p| (p, t)))
        .filter(|(p, _)| *p > now)
        .collect();
    better.sort_by_key(|a| a.0);
    let whole = *measure == Measure::Count;
    for (k, (_, t)) in better.iter().enumerate() {
        let x = cur.map(|c| c.0);
        let upward = match (x, t.range.from) {
            (Some(x), Some(b)) => {
                !Interval {
                    from: Some(b),
                    to: None,
                }
                .contains(x)
                    || t.range.to.is_none()
            }
            (None, _) => true,
            (Some(_), None) => false,
        };
        let bound = if upward { t.range.from } else { t.range.to };
        let value = match (bound, cur) {
            (None, _) => match t.range.to.or(t.range.from) {
                Some(b) => Value::Number(just_inside(b, false, whole)),
                None => Value::Number(Decimal::ZERO),
            },
            (Some(b), Some((_, Some((_, d))))) if *measure == Measure::Percent => {
                let n = if upward {
                    min_numerator(b, d)
                } else {
                    max_numerator(b, d)
                };
                Value::Ratio {
                    numerator: n.max(Decimal::ZERO).min(d),
                    denominator: d,
                }
            }
            (Some(b), _) if *measure == Measure::Percent => {
                Value::Percent(just_inside(b, upward, false))
            }
            (Some(b), _) => Value::Number(just_inside(b, upward, whole)),
        };
        let Some(p) = acc.eval(&value) else { continue };
        let unit = if *measure == Measure::Percent {
            "%"
        } else {
            ""
        };
        let text = both(|l| {
            let what = match (measure, l) {
                (Measure::Percent, Lang::Vi) => "tỷ lệ",
                (Measure::Percent, Lang::En) => "the rate",
                (Measure::Count, Lang::Vi) => "số lượng",
                (Measure::Count, Lang::En) => "the count",
                (Measure::Number, Lang::Vi) => "giá trị",
                (Measure::Number, Lang::En) => "the value",
            };
            let from = current.map(|v| value_words(v, l)).filter(|s| !s.is_empty());
            let verb = match (l, upward) {
                (Lang::Vi, true) => "nâng",
                (Lang::Vi, false) => "giảm",
                (Lang::En, true) => "raise",
                (Lang::En, false) => "lower",
            };
            let range = t.range.describe(l, unit);
            let to_word = match l {
                Lang::Vi => {
                    if upward {
                        "lên"
                    } else {
                        "xuống"
                    }
                }
                Lang::En => "to",
            };
            match (l, from) {
                (Lang::Vi, Some(f)) => format!(
                    "{verb} {what} từ {f} {to_word} {} — mức \"{}\" ({range})",
                    value_words(&value, l),
                    t.label.get(l)
                ),
                (Lang::En, Some(f)) => format!(
                    "{verb} {what} from {f} {to_word} {} — tier \"{}\" ({range})",
                    value_words(&value, l),
                    t.label.get(l)
                ),
                (Lang::Vi, None) => format!(
                    "đạt {what} {} — mức \"{}\" ({range})",
                    value_words(&value, l),
                    t.label.get(l)
                ),
                (Lang::En, None) => format!(
                    "reach {what} {} — tier \"{}\" ({range})",
                    value_words(&value, l),
                    t.label.get(l)
                ),
            }
        });
        let distance = distance_text(current, &value);
        acc.push(p, k as u32 + 1, value, text, distance);
    }
}
