//! Steps of the `deductions` kind: one occurrence fewer, largest deduction first.

use super::{both, Acc};
use crate::assessment::Value;
use crate::rule::Level;
use crate::text::{Lang, Text};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// One occurrence fewer, largest deduction first; one step per occurrence.
pub(super) fn steps(acc: &mut Acc, severities: &[Level], current: Option<&Value>) {
    let max = acc.max;
    let Some(Value::Counts(counts)) = current else {
        if current.is_none() {
            let value = Value::Counts(BTreeMap::new());
            if let Some(p) = acc.eval(&value) {
                acc.push(
                    p,
                    1,
                    value,
                    both(|l| match l {
                        Lang::Vi => "không để xảy ra vi phạm".into(),
                        Lang::En => "no incidents".into(),
                    }),
                    None,
                );
            }
        }
        return;
    };
    let mut occ: Vec<(Decimal, String, Text)> = Vec::new();
    for (k, c) in counts {
        let Some(s) = severities.iter().find(|s| &s.key == k) else {
            continue;
        };
        let Ok(d) = s.points(max) else { continue };
        let n = c.trunc().to_string().parse::<u32>().unwrap_or(0).min(1000);
        for _ in 0..n {
            occ.push((d, k.clone(), s.label.clone()));
        }
    }
    occ.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut left = counts.clone();
    let mut removed: Vec<(String, Text)> = Vec::new();
    for (k, (_, key, label)) in occ.iter().enumerate() {
        if let Some(c) = left.get_mut(key) {
            *c -= Decimal::ONE;
        }
        removed.push((key.clone(), label.clone()));
        let value = Value::Counts(left.clone());
        let Some(p) = acc.eval(&value) else { continue };
        let mut tally: Vec<(Text, u32)> = Vec::new();
        for (_, lab) in &removed {
            match tally.iter_mut().find(|(t, _)| t == lab) {
                Some((_, n)) => *n += 1,
                None => tally.push((lab.clone(), 1)),
            }
        }
        let text = both(|l| {
            let items = tally
                .iter()
                .map(|(t, n)| format!("{n} × \"{}\"", t.get(l)))
                .collect::<Vec<_>>()
                .join("; ");
            match l {
                Lang::Vi => format!("khắc phục để không bị trừ điểm: bớt {items}"),
                Lang::En => format!("remedy so as not to lose points: {items} fewer"),
            }
        });
        acc.push(p, k as u32 + 1, value, text, None);
    }
}
