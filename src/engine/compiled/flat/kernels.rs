//! Leaf kernels of the flat path computed straight at the leaf's scale, with the scale
//! `Decimal` gives the result worked out beside the integers.
//!
//! [`hot::deductions`](super::hot::deductions) followed by
//! [`hot::at_scale`](super::hot::at_scale) aligns every term to the larger scale of the
//! two (a power of ten looked up and multiplied per addition) and then to the leaf's
//! scale. With whole counts and the severities' points written at the leaf's scale once
//! (when the index is compiled), the same value is two products and two additions at
//! the leaf's scale; `Decimal`'s scale of each step (a zero product has scale 0, `0 + b`
//! takes `b`'s, `a + 0` keeps `a`'s, else the larger) is a few byte operations. Every
//! intermediate is the hot path's own times a power of ten, so this overflows whenever
//! the hot path would (and then the general path decides). The unit tests check it
//! against the hot path's functions.

use super::hot::D64;

/// Most severities a deductions leaf has for [`deductions`] (more: the hot path's
/// functions).
pub(super) const MAX_SEVERITIES: usize = 4;

/// A deductions leaf's constants at its leaf's scale `L`: the maximum `(m × 10^(L − s),
/// s)` and each severity's points the same way.
#[derive(Debug, Clone, Copy)]
pub(super) struct DedAt {
    pub max: D64,
    pub per: [D64; MAX_SEVERITIES],
    /// How many severities.
    pub len: u32,
}

impl DedAt {
    /// The constants at the leaf's `scale`, when they fit.
    pub fn new(max: D64, per: &[D64], scale: u32) -> Option<DedAt> {
        let mut d = DedAt {
            max: at(max, scale)?,
            per: [(0, 0); MAX_SEVERITIES],
            len: u32::try_from(per.len()).ok()?,
        };
        for (x, &p) in d.per.iter_mut().zip(per) {
            *x = at(p, scale)?;
        }
        (per.len() <= MAX_SEVERITIES).then_some(d)
    }
}

/// A constant `(m, s)` at scale `scale` (its own scale kept), when it fits and the
/// scale is at most 18 (so any result's scale is within 18 places of it, as
/// [`hot::at_scale`](super::hot::at_scale) needs).
pub(super) fn at(p: D64, scale: u32) -> Option<D64> {
    (scale <= 18).then_some(())?;
    let up = scale.checked_sub(u32::from(p.1))?;
    (u32::from(p.1) <= super::super::fx::MAX_SCALE).then_some(())?;
    Some((p.0.checked_mul(super::hot::pow64(up)?)?, p.1))
}

/// Points of a deductions leaf at its scale, with their `Decimal` scale: `max − Σ per ×
/// count` floored at 0, for up to two whole counts `(severity, count)` (`len` of them).
/// `None` on overflow or an unknown severity.
#[inline(always)]
pub(super) fn deductions(d: &DedAt, items: [(u32, i64); 2], len: u32) -> Option<D64> {
    let term = |(k, c): (u32, i64)| -> Option<D64> {
        let &(p, ps) = d.per.get(k as usize).filter(|_| k < d.len)?;
        let t = p.checked_mul(c)?;
        Some((t, ps & u8::from(t != 0).wrapping_neg()))
    };
    let (t1, s1) = if len > 0 { term(items[0])? } else { (0, 0) };
    let (t2, s2) = if len > 1 { term(items[1])? } else { (0, 0) };
    let total = t1.checked_add(t2)?;
    let ts = sum_scale(t1, s1, t2, s2);
    let r = d.max.0.checked_sub(total)?;
    let rs = sum_scale(d.max.0, d.max.1, total, ts);
    Some(if r < 0 { (0, 0) } else { (r, rs) })
}

/// A share leaf's constants for whole numerators and denominators: the maximum as it
/// is and at the leaf's scale, the maximum's mantissa times 100, a whole threshold, and
/// the power of ten that takes a quotient at the maximum's scale to the leaf's.
#[derive(Debug, Clone, Copy)]
pub(super) struct ShareAt {
    pub max: D64,
    pub max_at: i64,
    pub max100: i64,
    pub threshold: i64,
    pub up: i64,
    pub scale: u32,
}

impl ShareAt {
    /// The constants at the leaf's `scale`, when the threshold is whole and they fit.
    pub fn new(max: D64, threshold: D64, scale: u32) -> Option<ShareAt> {
        (threshold.1 == 0 && u32::from(max.1) <= super::super::fx::MAX_SCALE).then_some(())?;
        let up = super::hot::pow64(scale.checked_sub(u32::from(max.1))?)?;
        Some(ShareAt {
            max,
            max_at: max.0.checked_mul(up)?,
            max100: max.0.checked_mul(100)?,
            threshold: threshold.0,
            up,
            scale,
        })
    }
}

/// Points of a share leaf (`max × min(1, share / threshold)`) at the leaf's scale, for
/// the share `a / b` of whole numbers (`b ≠ 0`), as
/// [`hot::proportional`](super::hot::proportional) and
/// [`hot::at_scale`](super::hot::at_scale) give them: with every scale 0 the
/// comparison is `a × 100 ≥ threshold × b` and the quotient's operands are
/// `max × 100 × a` (scale of `max`) and `b × threshold`. A positive quotient that is a
/// whole number of units of the maximum's scale is that number times `up`; any other
/// takes [`hot::div`](super::hot::div).
#[inline(always)]
pub(super) fn share(c: &ShareAt, a: i64, b: i64) -> Option<D64> {
    let den = c.threshold.checked_mul(b)?;
    if a.checked_mul(100)? >= den {
        return Some((c.max_at, c.max.1));
    }
    let num = if a == 0 || c.max.0 == 0 {
        0
    } else {
        c.max100.checked_mul(a)?
    };
    if num > 0 && den > 0 {
        let (x, y) = (num.unsigned_abs(), den.unsigned_abs());
        if x % y == 0 {
            // x / y ≤ x < 2⁶³.
            return Some((((x / y) as i64).checked_mul(c.up)?, c.max.1));
        }
    }
    let num = if num == 0 { (0, 0) } else { (num, c.max.1) };
    super::hot::div(num, (den, 0)).and_then(|p| super::hot::at_scale(p, c.scale))
}

/// `Decimal`'s scale of `a + b` (values `a`, `b` at one scale, scales `sa`, `sb`): `b`'s
/// when `a` is zero, `a`'s when `b` is zero, else the larger.
#[inline(always)]
fn sum_scale(a: i64, sa: u8, b: i64, sb: u8) -> u8 {
    if a == 0 {
        sb
    } else if b == 0 {
        sa
    } else {
        sa.max(sb)
    }
}

#[cfg(test)]
mod tests {
    use super::super::hot;
    use super::*;
    use proptest::prelude::*;

    fn d64() -> impl Strategy<Value = D64> {
        prop_oneof![
            (0i64..3, 0u8..4),
            (-50i64..2000, 0u8..5),
            (any::<i64>(), 0u8..20),
            Just((i64::MAX / 1000, 2)),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(5000))]
        /// The share of whole numbers is the hot path's, wherever either gives points.
        #[test]
        fn shares_are_the_hot_paths(
            max in d64(),
            threshold in prop_oneof![Just(100i64), 0i64..200, any::<i64>()],
            a in prop_oneof![0i64..60, -5i64..5, any::<i64>()],
            b in prop_oneof![1i64..60, -5i64..5, any::<i64>()],
            scale in 0u32..22,
        ) {
            if b == 0 {
                return Ok(());
            }
            let Some(c) = ShareAt::new(max, (threshold, 0), scale) else { return Ok(()); };
            let fast = share(&c, a, b);
            let slow = hot::proportional(max, (threshold, 0), (a, 0), (b, 0))
                .and_then(|p| hot::at_scale(p, scale));
            prop_assert_eq!(fast, slow);
        }

        /// Whenever the fast form gives points, the hot path gives the same at the leaf's
        /// scale; and it gives them whenever the hot path does with small numbers.
        #[test]
        fn deductions_are_the_hot_paths(
            max in d64(),
            per in proptest::collection::vec(d64(), 1..5),
            counts in proptest::collection::vec((0u32..4, prop_oneof![0i64..5, -3i64..3, any::<i64>()]), 0..3),
            scale in 0u32..20,
        ) {
            let Some(d) = DedAt::new(max, &per, scale) else { return Ok(()); };
            let len = counts.len() as u32;
            let item = |j: usize| counts.get(j).copied().unwrap_or((0, 0));
            let fast = deductions(&d, [item(0), item(1)], len);
            let pick = |k: u32| per.get(k as usize).copied();
            let hot_items = (0..2).map(|j| {
                let (k, c) = item(j);
                Some((if j < counts.len() { pick(k)? } else { (0, 0) }, (c, 0)))
            }).collect::<Option<Vec<_>>>();
            let slow = hot_items
                .and_then(|it| hot::deductions(max, [it[0], it[1]], counts.len()))
                .and_then(|p| hot::at_scale(p, scale));
            match fast {
                Some(f) => prop_assert_eq!(Some(f), slow),
                None => {
                    let small = max.0.abs() < 1 << 20 && per.iter().all(|p| p.0.abs() < 1 << 20)
                        && counts.iter().all(|c| c.1.abs() < 1 << 20 && (c.0 as usize) < per.len())
                        && scale < 4;
                    prop_assert!(!small || slow.is_none(), "fast gave up: {slow:?}");
                }
            }
        }
    }
}
