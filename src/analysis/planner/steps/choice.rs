//! Steps of the choice kinds: yes/no, timeliness, levels (a ladder of better-paid
//! options) and discretionary points.

use super::super::pts_text;
use super::{both, ladder, num, Acc};
use crate::assessment::Value;
use crate::rule::{Award, Condition, Level};
use crate::text::{Lang, Text};
use rust_decimal::Decimal;

/// "Yes": one step, or one step per unmet condition.
pub(super) fn yes_no(
    acc: &mut Acc,
    conditions: &[Condition],
    yes: &Award,
    current: Option<&Value>,
) {
    let (value, steps, unmet): (Value, u32, Vec<&Condition>) = if conditions.is_empty() {
        (Value::YesNo(true), 1, Vec::new())
    } else {
        let unmet: Vec<_> = conditions
            .iter()
            .filter(|c| match current {
                Some(Value::Conditions(m)) => !m.get(&c.key).copied().unwrap_or(false),
                Some(Value::YesNo(true)) => false,
                _ => true,
            })
            .collect();
        let all = conditions.iter().map(|c| (c.key.clone(), true)).collect();
        (Value::Conditions(all), unmet.len().max(1) as u32, unmet)
    };
    if let Some(p) = acc.eval(&value) {
        let text = both(|l| {
            let base = match l {
                Lang::Vi => format!("đạt \"{}\"", yes.label.get(l)),
                Lang::En => format!("reach \"{}\"", yes.label.get(l)),
            };
            if unmet.is_empty() {
                base
            } else {
                let list = unmet
                    .iter()
                    .map(|c| c.label.get(l).to_owned())
                    .collect::<Vec<_>>()
                    .join("; ");
                match l {
                    Lang::Vi => format!("{base}: bảo đảm {list}"),
                    Lang::En => format!("{base}: ensure {list}"),
                }
            }
        });
        acc.push(p, steps, value, text, None);
    }
}

/// Each better-paid outcome of on time / late / not done; one step per outcome climbed.
pub(super) fn timeliness(
    acc: &mut Acc,
    [on_time, late, not_done]: [&Award; 3],
    current: Option<&Value>,
) {
    let now = acc.now;
    let opts = [("not_done", not_done), ("late", late), ("on_time", on_time)];
    let mut list: Vec<(String, Decimal, Text)> = opts
        .iter()
        .filter_map(|(k, a)| {
            acc.eval(&Value::Option((*k).into()))
                .map(|p| (k.to_string(), p, a.label.clone()))
        })
        .collect();
    list.sort_by_key(|a| a.1);
    ladder(&list, current, now, acc);
}

/// Each better-paid level; one step per level climbed.
pub(super) fn levels(acc: &mut Acc, levels: &[Level], current: Option<&Value>) {
    let now = acc.now;
    let mut list: Vec<(String, Decimal, Text)> = levels
        .iter()
        .filter_map(|lv| {
            acc.eval(&Value::Option(lv.key.clone()))
                .map(|p| (lv.key.clone(), p, lv.label.clone()))
        })
        .collect();
    list.sort_by_key(|a| a.1);
    ladder(&list, current, now, acc);
}

/// One rule step (or straight to full marks when the rule has no step) per step.
pub(super) fn discretionary(acc: &mut Acc, step: Option<Decimal>) {
    let (max, now) = (acc.max, acc.now);
    let Some(m) = max else { return };
    let s = step.filter(|s| *s > Decimal::ZERO).unwrap_or(m);
    if s.is_zero() {
        return;
    }
    let mut k = 0u32;
    let mut p = now;
    while p < m && k < 10_000 {
        let Some(next) = p
            .checked_div(s)
            .and_then(|q| q.floor().checked_add(Decimal::ONE))
            .and_then(|q| q.checked_mul(s))
        else {
            break;
        };
        p = next.min(m);
        k += 1;
        let value = Value::Points(p);
        if acc.eval(&value).is_none() {
            continue;
        }
        let text = both(|l| match l {
            Lang::Vi => format!(
                "được Hội đồng chấm {} (hiện {})",
                pts_text(p, l),
                num(now, l)
            ),
            Lang::En => format!(
                "be awarded {} by the appraiser (now {})",
                pts_text(p, l),
                num(now, l)
            ),
        });
        acc.push(p, k, value, text, None);
    }
}
