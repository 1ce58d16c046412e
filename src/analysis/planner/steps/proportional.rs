//! Steps of the `proportional` kind: the rate raised to the gate, to each multiple of the
//! rate step and to the threshold of full marks.

use super::{both, distance_text, just_inside, min_numerator, pct, share, value_words, Acc};
use crate::assessment::Value;
use crate::interval::{Bound, Interval};
use crate::text::{Lang, Text};
use rust_decimal::Decimal;

/// The rate raised to the gate, to each multiple of `step_pct` and to the threshold; one
/// step per grid point; for a ratio the smallest numerator reaching the rate with the same
/// denominator.
pub(super) fn steps(
    acc: &mut Acc,
    threshold_percent: Option<Decimal>,
    gate: Option<Bound>,
    numerator: Option<&Text>,
    current: Option<&Value>,
    step_pct: Decimal,
) {
    let (rate, parts) = match current.and_then(share) {
        Some(s) => s,
        None if current.is_none() => (Decimal::ZERO, None),
        None => return,
    };
    let t = threshold_percent
        .unwrap_or(Decimal::ONE_HUNDRED)
        .min(Decimal::ONE_HUNDRED);
    let mut grid: Vec<Bound> = Vec::new();
    if let Some(g) = gate {
        if !(Interval {
            from: Some(g),
            to: None,
        })
        .contains(rate)
        {
            grid.push(g);
        }
    }
    // The next multiple of the step above the rate, then every step to the
    // threshold (at most 1,000 points); a step too small for exact arithmetic
    // leaves only the gate and the threshold.
    let first = rate
        .checked_div(step_pct)
        .and_then(|q| q.floor().checked_mul(step_pct))
        .and_then(|x| x.checked_add(step_pct));
    if let (true, Some(mut r)) = (step_pct > Decimal::ZERO, first) {
        let mut guard = 0;
        while r < t && guard < 1000 {
            grid.push(Bound::incl(r));
            let Some(next) = r.checked_add(step_pct) else {
                break;
            };
            r = next;
            guard += 1;
        }
    }
    grid.push(Bound::incl(t));
    grid.sort_by(|a, b| {
        a.value
            .cmp(&b.value)
            .then(a.inclusive.cmp(&b.inclusive).reverse())
    });
    grid.dedup();
    let mut k = 0u32;
    for b in grid {
        if b.value < rate || (b.value == rate && b.inclusive) {
            continue;
        }
        k += 1;
        let value = match parts {
            Some((_, d)) => Value::Ratio {
                numerator: min_numerator(b, d).min(d),
                denominator: d,
            },
            None => Value::Percent(just_inside(b, true, false).min(Decimal::ONE_HUNDRED)),
        };
        let Some(p) = acc.eval(&value) else { continue };
        let text = both(|l| {
            let what = numerator
                .as_ref()
                .map(|n| format!(" {}", n.get(l)))
                .unwrap_or_default();
            let from = current
                .map(|v| value_words(v, l))
                .unwrap_or_else(|| pct(Decimal::ZERO, l));
            match l {
                Lang::Vi => {
                    format!("nâng tỷ lệ{what} từ {from} lên {}", value_words(&value, l))
                }
                Lang::En => format!(
                    "raise the rate of{what} from {from} to {}",
                    value_words(&value, l)
                ),
            }
        });
        let distance = distance_text(current, &value);
        acc.push(p, k, value, text, distance);
    }
}
