//! The `deductions` kind: the maximum minus a deduction per incident of each severity,
//! floored at 0.

use super::{
    both, need_max, non_negative, overflow, scored, whole,
    words::{num, pts},
    Level, Outcome, Problem,
};
use crate::text::Lang;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// Scores a `deductions` rule: the counts of incidents per severity.
pub(super) fn apply(
    severities: &[Level],
    max: Option<Decimal>,
    counts: &BTreeMap<String, Decimal>,
    explain: bool,
) -> Result<Outcome, Problem> {
    let m = need_max(max)?;
    let mut total = Decimal::ZERO;
    let mut parts: Vec<(&Level, Decimal, Decimal)> = Vec::new();
    for (k, c) in counts {
        let sev =
            severities
                .iter()
                .find(|s| &s.key == k)
                .ok_or_else(|| Problem::UnknownOption {
                    option: k.clone(),
                    allowed: severities.iter().map(|s| s.key.clone()).collect(),
                })?;
        non_negative(*c, "count / số lần")?;
        whole(*c)?;
        let what =
            "deductions (points per incident × incidents) / điểm trừ (số điểm mỗi lần × số lần)";
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
                .map(|(s, c, d)| format!("{} × {} (−{})", num(*c, l), s.label.get(l), num(*d, l)))
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
