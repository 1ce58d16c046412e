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
use super::{word, Num};

/// Most severities a deductions leaf has for [`deductions`] (more: the hot path's
/// functions).
pub(super) const MAX_SEVERITIES: usize = 4;

/// The place in [`DedAt::per`] of a zero severity (points 0, scale 0): where
/// [`DedAt::normal`] sends a zero count.
const NONE: u32 = MAX_SEVERITIES as u32;

/// The length of [`DedAt::per`]: the severities, then zeros (a power of two, so that a
/// place masked by `SLOTS − 1` needs no bounds check).
const SLOTS: usize = 8;

/// The largest magnitude of a deductions leaf's constants at its scale and of each
/// product of a severity's points and a count [`deductions`] takes: two such products,
/// their sum and the maximum less that sum fit an `i64`, so nothing is checked for
/// overflow.
const BIG: u64 = 1 << 61;

/// A deductions leaf's constants at its leaf's scale `L`: the maximum `m × 10^(L − s)`
/// and each severity's points the same way (each at most [`BIG`] in magnitude), their
/// `Decimal` scales, and the largest count [`deductions`] takes.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct DedAt {
    pub max: i64,
    /// The maximum's scale; 0 when the maximum is zero.
    pub ms: u32,
    /// The severities' points, then zeros ([`SLOTS`]).
    pub per: [i64; SLOTS],
    /// Each one's scale; 0 for points of zero (a zero product has scale 0).
    pub ps: [u32; SLOTS],
    /// How many severities.
    pub len: u32,
    /// The largest count: `BIG / (the largest severity's points)`.
    pub counts: u64,
}

impl DedAt {
    /// The constants at the leaf's `scale`, when they fit [`BIG`].
    pub fn new(max: D64, per: &[D64], scale: u32) -> Option<DedAt> {
        let small = |p: D64| at(p, scale).filter(|p| p.0.unsigned_abs() <= BIG);
        let (m, ms) = small(max)?;
        let mut d = DedAt {
            max: m,
            ms: if m == 0 { 0 } else { u32::from(ms) },
            per: [0; SLOTS],
            ps: [0; SLOTS],
            len: u32::try_from(per.len()).ok()?,
            counts: 0,
        };
        for ((x, xs), &p) in d.per.iter_mut().zip(&mut d.ps).zip(per) {
            let (pm, ps) = small(p)?;
            (*x, *xs) = (pm, if pm == 0 { 0 } else { u32::from(ps) });
        }
        let largest = d.per.iter().map(|p| p.unsigned_abs()).max().unwrap_or(0);
        d.counts = BIG / largest.max(1);
        (per.len() <= MAX_SEVERITIES).then_some(d)
    }

    /// [`deductions`] takes `k & 0xFFFF` counts (at most two), `a` of severity
    /// `k >> 16 & 0xFF` and `b` of severity `k >> 24` (a hot record's `k`, `a`, `b`):
    /// known severities, whole counts from 0 to [`DedAt::counts`], and no severity and no
    /// count past the first `k & 0xFFFF` (as `hot::read` writes them).
    pub fn takes(&self, k: u32, a: i64, b: i64) -> bool {
        let len = k & 0xFFFF;
        let item = |j: u32, k: u32, c: i64| {
            if j < len {
                k < self.len && c >= 0 && c as u64 <= self.counts
            } else {
                k == 0 && c == 0
            }
        };
        len <= 2 && item(0, (k >> 16) & 0xFF, a) && item(1, k >> 24, b)
    }

    /// A record's `k` (one [`DedAt::takes`]) as [`deductions`] reads it: a zero count's
    /// severity is the zero one ([`NONE`]), so a product is zero exactly when its
    /// severity's scale is 0 (no test of the product in the kernel).
    pub fn normal(k: u32, a: i64, b: i64) -> u32 {
        let j1 = if a == 0 { NONE } else { (k >> 16) & 0xFF };
        let j2 = if b == 0 { NONE } else { k >> 24 };
        (k & 0xFFFF) | j1 << 16 | j2 << 24
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

/// Points of a deductions leaf at its scale as a slot ([`Num`]: the integer and its
/// scale word): `max − Σ per × count` floored at 0, for `k & 0xFFFF` (at most two)
/// counts, `a` of severity `k >> 16 & 0xFF` and `b` of severity `k >> 24` — values
/// [`DedAt::takes`] (so nothing overflows), `k` made [`DedAt::normal`] (so a product
/// is zero exactly when its severity's scale in `ps` is 0). `Decimal`'s scale of each
/// step: a zero product has scale 0, so the terms' sum has the larger of their scales;
/// `max − total` takes the total's when the maximum is zero, the maximum's when the
/// total is zero, else the larger; a negative result is `(0, 0)`.
#[inline(always)]
pub(super) fn deductions(d: &DedAt, k: u32, a: i64, b: i64) -> Num {
    let (j1, j2) = (((k >> 16) as usize) % SLOTS, ((k >> 24) as usize) % SLOTS);
    // Exact for values `takes` (wrapping: no overflow check in the code).
    let (t1, t2) = (d.per[j1].wrapping_mul(a), d.per[j2].wrapping_mul(b));
    let total = t1.wrapping_add(t2);
    let r = d.max.wrapping_sub(total);
    // A zero maximum: `max − total` has the total's scale.
    let ts = if total != 0 || d.max == 0 {
        d.ps[j1].max(d.ps[j2])
    } else {
        0
    };
    let s = if r < 0 { 0 } else { d.ms.max(ts) };
    let m = r.max(0);
    // Every scale here is at most 28 (`DedAt::new`): a valid word.
    (m, u64::from(s) | (u64::from(m != 0) << (32 + s)))
}

/// A share leaf's constants for whole numerators and denominators: the maximum as it
/// is and at the leaf's scale, the maximum's mantissa times 100, a whole threshold, and
/// the power of ten that takes a quotient at the maximum's scale to the leaf's.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct ShareAt {
    pub max: D64,
    pub max_at: i64,
    pub max100: i64,
    pub threshold: i64,
    pub up: i64,
    pub scale: u32,
    /// The largest numerator and denominator [`share_at`] takes.
    pub amax: i64,
    pub bmax: i64,
    /// The maximum at the leaf's scale as a slot.
    pub full: Num,
    /// The word of a nonzero quotient at the maximum's scale.
    pub qword: u64,
}

impl ShareAt {
    /// The constants at the leaf's `scale`, when the threshold is whole and they fit.
    pub fn new(max: D64, threshold: D64, scale: u32) -> Option<ShareAt> {
        (threshold.1 == 0 && u32::from(max.1) <= super::super::fx::MAX_SCALE).then_some(())?;
        let up = super::hot::pow64(scale.checked_sub(u32::from(max.1))?)?;
        let max_at = max.0.checked_mul(up)?;
        Some(ShareAt {
            max,
            max_at,
            max100: max.0.checked_mul(100)?,
            threshold: threshold.0,
            up,
            scale,
            // None past 18 places (a zero quotient at the leaf's scale is `hot::at_scale`'s).
            amax: match scale {
                0..=18 => (i64::MAX / 100).min(i64::MAX / max.0.saturating_mul(100).max(1)),
                _ => -1,
            },
            bmax: i64::MAX / threshold.0.saturating_abs().max(1),
            full: (max_at, word(max_at, max.1)),
            qword: word(1, max.1),
        })
    }

    /// [`share_at`] takes the share `a / b`: a maximum not negative, `0 ≤ a ≤ amax` and
    /// `1 ≤ b ≤ bmax` (then `a × 100`, `threshold × b` and `max × 100 × a` fit an `i64`),
    /// a leaf scale of at most 18.
    pub fn takes(&self, a: i64, b: i64) -> bool {
        self.max.0 >= 0 && (0..=self.amax).contains(&a) && (1..=self.bmax).contains(&b)
    }
}

/// Points of a share leaf as [`share`] gives them, as a slot, for a share `a / b`
/// [`ShareAt::takes`] (so nothing overflows): the maximum when the share reaches the
/// threshold, else the quotient when it is a whole number of units of the maximum's
/// scale (below the maximum, so it fits at the leaf's scale); `None` for any other
/// quotient (then [`share`] decides).
#[inline(always)]
pub(super) fn share_at(c: &ShareAt, a: i64, b: i64) -> Option<Num> {
    let den = c.threshold.wrapping_mul(b);
    if a.wrapping_mul(100) >= den {
        return Some(c.full);
    }
    // Here `0 ≤ a × 100 < den`: `den > 0`, and the quotient is below `max`.
    let num = c.max100.wrapping_mul(a);
    let (x, y) = (num as u64, den as u64);
    if x % y != 0 {
        return None;
    }
    let q = (x / y) as i64;
    Some((
        q.wrapping_mul(c.up),
        c.qword & u64::from(q != 0).wrapping_neg(),
    ))
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

    /// Terms that cancel on a zero maximum: the result has the terms' scale (rare in the
    /// proptest below).
    #[test]
    fn deductions_cancelling_on_a_zero_maximum() {
        for (max, p1, p2) in [((0, 0), (5, 1), (-5, 1)), ((0, 2), (25, 2), (-5, 1))] {
            let d = DedAt::new(max, &[p1, p2], 4).unwrap();
            let k = 2 | 1 << 24;
            assert!(d.takes(k, 1, 1));
            let (m, w) = deductions(&d, DedAt::normal(k, 1, 1), 1, 1);
            let slow = hot::deductions(max, [(p1, (1, 0)), (p2, (1, 0))], 2)
                .and_then(|p| hot::at_scale(p, 4));
            assert_eq!(Some((m, w as u8)), slow);
            assert_eq!(w, super::super::word(m, w as u8));
        }
    }

    /// A severity of zero points at a scale, counted: its product is zero, of scale 0
    /// (rare in the proptest below: giving it its scale passed it, fails this test).
    #[test]
    fn deductions_with_a_zero_severity() {
        let cases = [
            ((3, 0), (0, 2), (1, 0), (1, 1)),
            ((0, 0), (0, 3), (-1, 1), (2, 1)),
            ((5, 1), (0, 2), (0, 3), (4, 0)),
        ];
        for (max, p1, p2, (a, b)) in cases {
            let d = DedAt::new(max, &[p1, p2], 4).unwrap();
            let k = 2 | 1 << 24;
            assert!(d.takes(k, a, b));
            let (m, w) = deductions(&d, DedAt::normal(k, a, b), a, b);
            let slow = hot::deductions(max, [(p1, (a, 0)), (p2, (b, 0))], 2)
                .and_then(|p| hot::at_scale(p, 4));
            assert_eq!(Some((m, w as u8)), slow, "{max:?} {p1:?} {p2:?} {a} {b}");
        }
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
            if let Some((m, w)) = c.takes(a, b).then(|| share_at(&c, a, b)).flatten() {
                prop_assert_eq!(Some((m, w as u8)), slow);
                prop_assert_eq!(w, word(m, w as u8));
            }
        }

        /// Whenever the fast form gives points, the hot path gives the same at the leaf's
        /// scale; and it gives them whenever the hot path does with small numbers.
        #[test]
        fn deductions_are_the_hot_paths(
            max in d64(),
            per in proptest::collection::vec(d64(), 1..5),
            items in proptest::collection::vec((0u32..5, prop_oneof![0i64..5, -3i64..3, any::<i64>()]), 2),
            len in 0u32..3,
            scale in 0u32..20,
            as_read in any::<bool>(),
        ) {
            let Some(d) = DedAt::new(max, &per, scale) else { return Ok(()); };
            // Items past `len` do not count (whatever they hold); half the cases hold
            // zeros there, as `hot::read` writes them (the case the "gave up" check needs).
            let mut items = items;
            if as_read {
                items[len as usize..].fill((0, 0));
            }
            let counts = &items[..len as usize];
            let item = |j: usize| items[j];
            let ((k1, a), (k2, b)) = (item(0), item(1));
            let k = len | k1 << 16 | k2 << 24;
            let fast = d.takes(k, a, b).then(|| deductions(&d, DedAt::normal(k, a, b), a, b));
            // A word with a scale is the word of its integer at that scale.
            if let Some((m, w)) = fast {
                prop_assert_eq!(w, super::super::word(m, w as u8));
            }
            let fast = fast.map(|(m, w)| (m, w as u8));
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
                        && counts.iter().all(|c| (0..1 << 20).contains(&c.1) && (c.0 as usize) < per.len())
                        // As `hot::read` writes them: no severity and no count past `len`.
                        && items[len as usize..].iter().all(|&i| i == (0, 0))
                        && scale < 4;
                    prop_assert!(!small || slow.is_none(), "fast gave up: {slow:?}");
                }
            }
        }
    }
}
