//! The arithmetic every reader of a score shares, written once: the total after bonus and
//! penalty blocks, and the percent a ratio value stands for. The percent of a total or a
//! node is [`crate::ranking::percent_of`].

use crate::index::AdjustmentKind;
use rust_decimal::Decimal;

impl AdjustmentKind {
    /// `points` with the block's sign: added for a bonus, subtracted for a penalty.
    ///
    /// ```
    /// use chiso::{index::AdjustmentKind, Decimal};
    /// assert_eq!(AdjustmentKind::Bonus.signed(Decimal::TWO), Decimal::TWO);
    /// assert_eq!(AdjustmentKind::Penalty.signed(Decimal::TWO), -Decimal::TWO);
    /// ```
    pub fn signed(self, points: Decimal) -> Decimal {
        match self {
            AdjustmentKind::Bonus => points,
            AdjustmentKind::Penalty => -points,
        }
    }
}

/// The total after bonus and penalty blocks: `criteria` plus each signed block's points
/// ([`AdjustmentKind::signed`]) in the index's order, floored at 0 — the one definition
/// [`crate::Index::score`], [`crate::Index::evaluate`], batch, sensitivity and the planner
/// share.
///
/// Validation bounds the criteria total plus every cap inside `Decimal`'s range, so with
/// points within 0 – cap each addition is exact; numbers beyond that (a caller's own)
/// saturate instead of overflowing.
///
/// ```
/// use chiso::{engine::total_after_adjustments, Decimal};
/// let d = |s: &str| s.parse::<Decimal>().unwrap();
/// assert_eq!(total_after_adjustments(d("80"), [d("2"), d("-3.5")]), d("78.5"));
/// assert_eq!(total_after_adjustments(d("1"), [d("-3")]), Decimal::ZERO);
/// ```
pub fn total_after_adjustments(
    criteria: Decimal,
    signed: impl IntoIterator<Item = Decimal>,
) -> Decimal {
    let t = signed
        .into_iter()
        .fold(criteria, |t, p| t.saturating_add(p));
    // `Decimal::max` gives a value with its sign bit clear itself (the compiled
    // evaluator's hot tail: no comparison for the usual total).
    if t.is_sign_negative() {
        t.max(Decimal::ZERO)
    } else {
        t
    }
}

/// The percent a ratio value `numerator / denominator` stands for, as rules read it:
/// `numerator × 100 / denominator` (one division; a denominator of 100 gives the
/// numerator itself). `None` for a zero denominator or on overflow.
///
/// ```
/// use chiso::{engine::ratio_percent, Decimal};
/// let d = |s: &str| s.parse::<Decimal>().unwrap();
/// assert_eq!(ratio_percent(d("45"), d("50")), Some(d("90")));
/// assert_eq!(ratio_percent(d("85.5"), d("100")), Some(d("85.5")));
/// assert_eq!(ratio_percent(d("1"), Decimal::ZERO), None);
/// ```
pub fn ratio_percent(numerator: Decimal, denominator: Decimal) -> Option<Decimal> {
    if denominator.is_zero() {
        None
    } else if denominator == Decimal::ONE_HUNDRED {
        Some(numerator)
    } else {
        numerator
            .checked_mul(Decimal::ONE_HUNDRED)?
            .checked_div(denominator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Sequential signed additions, floored: what the engine did before, unrolled.
        #[test]
        fn total_is_the_floored_running_sum(c in 0i64..1_000_000, ps in proptest::collection::vec((any::<bool>(), 0i64..1000), 0..5)) {
            let signed: Vec<Decimal> = ps
                .iter()
                .map(|&(bonus, p)| {
                    let k = if bonus { AdjustmentKind::Bonus } else { AdjustmentKind::Penalty };
                    k.signed(Decimal::new(p, 1))
                })
                .collect();
            let mut t = Decimal::new(c, 2);
            for p in &signed {
                t += p;
            }
            prop_assert_eq!(total_after_adjustments(Decimal::new(c, 2), signed), t.max(Decimal::ZERO));
        }
    }

    proptest! {
        /// With no term, the total is `Decimal::max(criteria, 0)` to the bit (value,
        /// scale and sign, negative zero included): the sign-bit shortcut changes nothing.
        #[test]
        fn no_term_is_decimal_max(
            m in prop_oneof![Just(0i64), -1000i64..1000, any::<i64>()],
            s in 0u32..=28,
            negative_zero in any::<bool>(),
        ) {
            let mut r = Decimal::new(m, s);
            if m == 0 && negative_zero {
                r.set_sign_negative(true);
            }
            let want = r.max(Decimal::ZERO);
            prop_assert_eq!(total_after_adjustments(r, []).serialize(), want.serialize());
        }
    }

    #[test]
    fn saturates_instead_of_overflowing() {
        let t = total_after_adjustments(Decimal::MAX, [Decimal::MAX]);
        assert_eq!(t, Decimal::MAX);
    }
}
