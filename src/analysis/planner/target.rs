//! The total a target needs: a percent, a total, a band, or a rank within a batch under
//! the index's tie policy.

use super::{overflow, Rivals, Target, TARGET_PATH};
use crate::band::TiePolicy;
use crate::diagnostics::{Diagnostic, Diagnostics, Problem};
use crate::engine::Index;
use crate::result::ScoreResult;
use rust_decimal::Decimal;

/// The total (after bonus/penalty) the target needs, and whether strictly above.
pub(super) fn required(
    index: &Index,
    r: &ScoreResult,
    target: &Target,
    others: Option<&Rivals>,
) -> Result<(Decimal, bool), Diagnostics> {
    let err = |p: Problem| Diagnostics(vec![Diagnostic::error("$", None, p)]);
    let max = || {
        r.total
            .applicable_max
            .filter(|m| !m.is_zero())
            .ok_or_else(|| err(Problem::MaxRequired))
    };
    match target {
        Target::Points { value } => Ok((*value, false)),
        Target::Percent { value } => Ok((percent_points(*value, max()?)?, false)),
        Target::Band { code } => {
            let bands = &index.definition().bands;
            let Some(b) = bands.iter().find(|b| &b.code == code) else {
                return Err(err(Problem::UnknownBand {
                    band: code.clone(),
                    allowed: bands.iter().map(|b| b.code.clone()).collect(),
                }));
            };
            match b.range.from {
                None => Ok((Decimal::ZERO, false)),
                Some(f) => Ok((percent_points(f.value, max()?)?, !f.inclusive)),
            }
        }
        Target::Rank { rank } => {
            let Some(rivals) = others else {
                return Err(err(Problem::Empty {
                    what: "units / danh sách đơn vị".into(),
                }));
            };
            rank_requirement(index, r, *rank, rivals)
        }
    }
}

/// `percent` % of `max` (the target's total), or an overflow error on the target.
fn percent_points(percent: Decimal, max: Decimal) -> Result<Decimal, Diagnostics> {
    percent
        .checked_mul(max)
        .and_then(|x| x.checked_div(Decimal::ONE_HUNDRED))
        .ok_or_else(|| overflow(TARGET_PATH, "target's total / tổng điểm của mục tiêu"))
}

/// What rank `rank` within the batch needs: the total to reach and whether it must be
/// exceeded, under the index's tie policy (see the module docs).
///
/// The other units of the unit's block are ordered as the batch ranks them: by total,
/// or by percent of the applicable maximum when the maxima in the block differ
/// ([`crate::ranking::rank_on_scales`]), highest first, equal values in input order.
/// Let `o` be the `rank`-th of them (none: any total will do):
/// - competition (shared ranks): reaching `o`'s value is enough (the tie shares `o`'s rank);
/// - dense: the `rank`-th distinct value, reached;
/// - ordinal (consecutive ranks, equal values in input order): reaching `o`'s value is
///   enough only if the unit comes before `o` in the batch; otherwise it must exceed
///   it. The unit's place is its position in `units` (by name, in its block); a unit not
///   in the batch counts as coming last.
///
/// On percent, the value is turned back into the unit's own points (`p × max / 100`,
/// to 28 significant digits).
fn rank_requirement(
    index: &Index,
    r: &ScoreResult,
    rank: u32,
    rivals: &Rivals,
) -> Result<(Decimal, bool), Diagnostics> {
    let own_max = r.total.applicable_max;
    let own_place = rivals.own_place.unwrap_or(usize::MAX);
    let rivals = &rivals.rivals;
    // The batch's scale: percent when the block's maxima differ (the unit's included).
    let on_percent = rivals.iter().any(|x| x.1 != own_max);
    let mut keyed: Vec<(Decimal, usize)> = rivals
        .iter()
        .filter_map(|&(t, m, place)| {
            let key = if on_percent {
                crate::ranking::percent_of(t, m)?
            } else {
                t
            };
            Some((key, place))
        })
        .collect();
    keyed.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let k = rank.max(1) as usize - 1;
    let (need, strict) = match index.definition().tie_policy {
        TiePolicy::Competition => match keyed.get(k) {
            Some(&(v, _)) => (v, false),
            None => return Ok((Decimal::ZERO, false)),
        },
        TiePolicy::Dense => {
            let mut distinct: Vec<Decimal> = keyed.iter().map(|x| x.0).collect();
            distinct.dedup();
            match distinct.get(k) {
                Some(&v) => (v, false),
                None => return Ok((Decimal::ZERO, false)),
            }
        }
        TiePolicy::Ordinal => match keyed.get(k) {
            Some(&(v, place)) => (v, place < own_place),
            None => return Ok((Decimal::ZERO, false)),
        },
    };
    if !on_percent {
        return Ok((need, strict));
    }
    let max = own_max
        .filter(|m| !m.is_zero())
        .ok_or_else(|| Diagnostics(vec![Diagnostic::error("$", None, Problem::MaxRequired)]))?;
    let points = need
        .checked_mul(max)
        .and_then(|x| x.checked_div(Decimal::ONE_HUNDRED))
        .ok_or_else(|| Diagnostics(vec![Diagnostic::error("$", None, Problem::MaxRequired)]))?;
    Ok((points.normalize(), strict))
}

pub(super) fn meets(total: Decimal, need: Decimal, strict: bool) -> bool {
    if strict {
        total > need
    } else {
        total >= need
    }
}
