//! Parents' sums on the flat path: runs of parents with the same number of children,
//! each run one loop over contiguous slices of the slot arrays.
//!
//! Breadth-first, consecutive parents have consecutive slots and their children follow
//! one another, so parents `slot..slot + count` of one width `w` sum the children
//! `from..from + count × w` in chunks of `w`; a run's parents never read one another
//! (their slots lie before the run's children), so a run is one loop with no index
//! per parent. Plain sums of 2–5 children are unrolled. Each slot is an integer and a
//! scale word ([`Num`]); when no leaf is negative or large, a plain sum is the sum and
//! the OR of the children's words ([`run_fast`]), else every step is checked ([`run`]).

#[cfg(test)]
use super::POISON;
use super::{word, Num};

/// A run of parents summed by one loop ([module docs](self)).
#[derive(Debug, Clone, Copy)]
pub(super) struct Run {
    /// The run's parents are slots `slot..slot + count`.
    pub slot: u32,
    pub count: u32,
    /// Parent `slot + j` sums the children `from + j × width..from + (j + 1) × width`.
    pub from: u32,
    pub width: u32,
    /// Plain sums of children at the parent's scale (every coefficient 1); otherwise a
    /// run of one parent summed with its coefficients.
    pub unit: bool,
    /// A weighted sum ([`Parent::weighted`](super::super::plan::Parent)).
    pub weighted: bool,
}

impl Run {
    /// Adds a parent (`slot`, children `from..to`) met after this run's parents in the
    /// deepest-first order, when it joins the run: both plain sums of the same width,
    /// its slot just before the run's, its children just before the run's, and no
    /// child of the run among the run's parents.
    pub fn join(&mut self, slot: u32, from: u32, to: u32, unit: bool) -> bool {
        let joins = unit
            && self.unit
            && to.checked_sub(from) == Some(self.width)
            && slot.checked_add(1) == Some(self.slot)
            && to == self.from
            && from >= self.slot + self.count;
        if joins {
            self.slot = slot;
            self.from = from;
            self.count += 1;
        }
        joins
    }
}

/// The bits of a scale word that hold the scales of nonzero terms ([`Num`]).
const SCALES: u64 = 0x7FFF_FFFF_0000_0000;

/// Sums one run into `f` without a check per child: only when every leaf's integer is in
/// `0..=i64::MAX / leaves` and every parent is a plain sum (so every parent's integer
/// is a sum of leaves that fits). `false` for a run outside the array.
#[inline(always)]
pub(super) fn run_fast(r: &Run, f: &mut [Num]) -> bool {
    let Some((parents, kids)) = split(r, f) else {
        return false;
    };
    match r.width {
        2 => fast::<2>(parents, kids),
        3 => fast::<3>(parents, kids),
        4 => fast::<4>(parents, kids),
        5 => fast::<5>(parents, kids),
        w => {
            for (p, k) in parents.iter_mut().zip(kids.chunks_exact(w.max(1) as usize)) {
                *p = sum_fast(k);
            }
        }
    }
    true
}

/// The run's parents and their children, disjoint (the children lie after the run).
#[inline(always)]
fn split<'a>(r: &Run, f: &'a mut [Num]) -> Option<(&'a mut [Num], &'a [Num])> {
    let (slot, count, from) = (r.slot as usize, r.count as usize, r.from as usize);
    let kids = count.checked_mul(r.width as usize)?;
    (from <= f.len()).then_some(())?;
    let (p, c) = f.split_at_mut(from);
    Some((p.get_mut(slot..slot.checked_add(count)?)?, c.get(..kids)?))
}

/// A run of plain sums of exactly `N` children, unchecked ([`run_fast`]).
#[inline(always)]
fn fast<const N: usize>(parents: &mut [Num], kids: &[Num]) {
    for (p, k) in parents.iter_mut().zip(kids.chunks_exact(N)) {
        if let Ok(k) = <&[Num; N]>::try_from(k) {
            *p = sum_fast(k);
        }
    }
}

/// A plain sum of children none of which is negative and whose sum fits: the sum, and
/// as its word the OR of the children's words — or, when the sum is zero (every child
/// zero), the last child's word. With no negative term, `Decimal`'s scale of the sum is
/// the largest scale of a nonzero term ([`scale_of`] the OR: the top of its bits 32–60;
/// its low byte, an OR of scales, is not read), or the last term's when all are zero
/// ([`sum_scale`]). A sum's word is read only by [`scale_of`] and by further sums of
/// [`run_fast`] (an evaluation sums all its parents one way or the other).
#[inline(always)]
fn sum_fast(kids: &[Num]) -> Num {
    let (mut total, mut scales) = (0i64, 0u64);
    for &(m, w) in kids {
        total = total.wrapping_add(m);
        scales |= w;
    }
    let last = kids.last().map_or(0, |k| k.1);
    (total, if total != 0 { scales } else { last })
}

/// The `Decimal` scale of a slot of word `w` ([`Num`]): the largest scale in bits
/// 32–60 when any is set (a nonzero integer), else the low byte.
#[inline]
pub(in super::super) fn scale_of(w: u64) -> u8 {
    let scales = (w & SCALES) >> 32;
    if scales != 0 {
        (63 - scales.leading_zeros()) as u8
    } else {
        w as u8
    }
}

/// Sums one run into `f` (each slot's integer and scale word), checking every step;
/// `coef` and `wscale` are each child slot's coefficient and weight scale. `false` on
/// overflow or a run outside the arrays.
#[inline(always)]
pub(super) fn run(r: &Run, f: &mut [Num], coef: &[i64], wscale: &[u8]) -> bool {
    let (slot, count, from, w) = (
        r.slot as usize,
        r.count as usize,
        r.from as usize,
        r.width as usize,
    );
    if !r.unit {
        let end = from + count * w;
        let (Some(kids), Some(k), Some(ws)) =
            (f.get(from..end), coef.get(from..end), wscale.get(from..end))
        else {
            return false;
        };
        let Some((m, s)) = sum_scaled(kids, k, ws, r.weighted) else {
            return false;
        };
        return match f.get_mut(slot) {
            Some(x) => {
                *x = (m, word(m, s));
                true
            }
            None => false,
        };
    }
    let Some((parents, kids)) = split(r, f) else {
        return false;
    };
    for (p, k) in parents.iter_mut().zip(kids.chunks_exact(w.max(1))) {
        let Some((m, s)) = sum_unit(k) else {
            return false;
        };
        *p = (m, word(m, s));
    }
    true
}

/// `Decimal`'s scale after adding a term of scale `ts` (value `t`) to `total` of scale
/// `s`: the term's when the total is zero, the total's when the term is zero, else the
/// larger.
#[inline(always)]
fn sum_scale(total: i64, s: u8, t: i64, ts: u8) -> u8 {
    if total == 0 {
        ts
    } else if t == 0 {
        s
    } else {
        s.max(ts)
    }
}

/// A plain sum of children at the parent's scale; `None` on overflow.
///
/// With no negative child (the usual case) the sum never returns to zero once it has
/// left it, so `Decimal`'s scale ([`sum_scale`]) is the largest scale of a nonzero
/// child, or the last child's when every child is zero: two independent chains (the
/// sum, the largest scale) instead of one branch per child. A negative child takes the
/// step-by-step rule.
#[inline(always)]
fn sum_unit(kids: &[Num]) -> Option<(i64, u8)> {
    let (mut total, mut top, mut signs, mut over) = (0i64, 0u8, 0i64, false);
    for &(t, w) in kids {
        let ts = w as u8;
        signs |= t;
        // The scale when the term is not zero, else 0 (no branch).
        top = top.max(ts & u8::from(t != 0).wrapping_neg());
        let (x, o) = total.overflowing_add(t);
        total = x;
        over |= o;
    }
    // A negative term, or an overflow (`sum_steps` says `None` then).
    if signs < 0 || over {
        return sum_steps(kids.iter().map(|&(t, w)| (t, w as u8)));
    }
    let last = kids.last()?.1 as u8;
    Some((total, if total == 0 { last } else { top }))
}

/// A sum term by term with [`sum_scale`] (terms and their scales); `None` on overflow.
#[inline]
fn sum_steps(terms: impl Iterator<Item = (i64, u8)>) -> Option<(i64, u8)> {
    let (mut total, mut scale) = (0i64, 0u8);
    for (t, ts) in terms {
        scale = sum_scale(total, scale, t, ts);
        total = total.checked_add(t)?;
    }
    Some((total, scale))
}

/// A sum of children times their coefficients; `None` on overflow. The scale of a term
/// is its child's plus its weight's (0 for a zero term of a weighted sum).
#[inline(always)]
fn sum_scaled(kids: &[Num], coef: &[i64], wscale: &[u8], weighted: bool) -> Option<(i64, u8)> {
    let term = |(&(cm, cw), (&k, &ws)): (&Num, (&i64, &u8))| {
        let (t, o) = cm.overflowing_mul(k);
        let ts = if weighted && t == 0 {
            0
        } else {
            (cw as u8).wrapping_add(ws)
        };
        (t, ts, o)
    };
    let terms = || kids.iter().zip(coef.iter().zip(wscale)).map(term);
    let (mut total, mut top, mut signs, mut over) = (0i64, 0u8, 0i64, false);
    let mut last = 0u8;
    for (t, ts, o) in terms() {
        signs |= t;
        top = top.max(if t != 0 { ts } else { 0 });
        last = ts;
        let (x, o2) = total.overflowing_add(t);
        total = x;
        over |= o | o2;
    }
    if signs < 0 {
        if over && terms().any(|(_, _, o)| o) {
            return None;
        }
        return sum_steps(terms().map(|(t, ts, _)| (t, ts)));
    }
    match (over, total) {
        (true, _) => None,
        (false, 0) => Some((0, last)),
        (false, _) => Some((total, top)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    /// Children as (value mantissa, scale ≤ 4), zeros and negatives often.
    fn children() -> impl Strategy<Value = Vec<(i64, u8)>> {
        let value = prop_oneof![
            Just(0i64),
            -2000i64..2000,
            0i64..2000,
            Just(i64::MAX / 30_000),
        ];
        proptest::collection::vec((value, 0u8..=4), 1..7)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        /// A plain sum at scale 4 gives `Decimal`'s sum, value and scale, or `None`
        /// where the i64 overflows; negatives take the step-by-step rule. With no
        /// negative child, the unchecked sum gives the same integer and scale.
        #[test]
        fn unit_sum_is_decimal_addition(kids in children()) {
            let m: Vec<i64> = kids.iter().map(|&(a, s)| a.saturating_mul(10i64.pow(u32::from(4 - s)))).collect();
            let s: Vec<u8> = kids.iter().map(|k| k.1).collect();
            let nums: Vec<Num> = m.iter().zip(&s).map(|(&m, &s)| (m, word(m, s))).collect();
            let exact = (kids.iter())
                .try_fold(Decimal::ZERO, |t, &(a, sc)| t.checked_add(Decimal::new(a, u32::from(sc))));
            let steps = sum_steps(m.iter().copied().zip(s.iter().copied()));
            let fits = m.iter().zip(&kids).all(|(&x, k)| x / 10i64.pow(u32::from(4 - k.1)) == k.0);
            // Children whose integers do not fit are not children of a narrow parent.
            prop_assume!(fits);
            match sum_unit(&nums) {
                Some((total, sc)) => {
                    prop_assert_eq!(Some((total, sc)), steps);
                    let d = exact.unwrap();
                    let got = Decimal::from_i128_with_scale(
                        i128::from(total / 10i64.pow(u32::from(4 - sc))),
                        u32::from(sc),
                    );
                    prop_assert_eq!((got.mantissa(), got.scale()), (d.mantissa(), d.scale()));
                    if m.iter().all(|&x| (0..i64::MAX / 8).contains(&x)) {
                        let (t, w) = sum_fast(&nums);
                        prop_assert_eq!((t, scale_of(w)), (total, sc));
                        // The word of a sum is a valid child of the next sum.
                        prop_assert_eq!(w & SCALES != 0, t != 0);
                        // A nonzero sum carries the scales of all its children.
                        let all = nums.iter().fold(0, |a, n| a | n.1);
                        if t != 0 {
                            prop_assert_eq!(w & SCALES, all & SCALES);
                        }
                        prop_assert_eq!(w & POISON, 0);
                    }
                }
                None => prop_assert!(steps.is_none()),
            }
        }

        /// Unchecked sums of sums give what checked sums give (value and scale).
        #[test]
        fn nested_fast_sums_are_checked_sums(groups in proptest::collection::vec(children(), 1..5)) {
            let leaf = |&(a, s): &(i64, u8)| {
                let m = a.saturating_mul(10i64.pow(u32::from(4 - s))).clamp(0, i64::MAX / 64);
                (m, word(m, s))
            };
            let (mut fast, mut checked) = (Vec::new(), Vec::new());
            for g in &groups {
                let nums: Vec<Num> = g.iter().map(leaf).collect();
                fast.push(sum_fast(&nums));
                let (m, s) = sum_unit(&nums).unwrap();
                checked.push((m, word(m, s)));
            }
            let (t, w) = sum_fast(&fast);
            prop_assert_eq!(Some((t, scale_of(w))), sum_unit(&checked));
            // Every sum's scale, not only the last one's.
            for (f, c) in fast.iter().zip(&checked) {
                prop_assert_eq!((f.0, scale_of(f.1)), (c.0, c.1 as u8));
            }
        }

        /// A weighted sum gives what the step-by-step rule gives on its terms.
        #[test]
        fn scaled_sum_is_the_step_by_step_rule(
            kids in children(),
            coefs in proptest::collection::vec(prop_oneof![Just(1i64), Just(0), -30i64..30, Just(i64::MAX / 2)], 7),
            wscales in proptest::collection::vec(0u8..3, 7),
            weighted in any::<bool>(),
        ) {
            let m: Vec<i64> = kids.iter().map(|k| k.0).collect();
            let s: Vec<u8> = kids.iter().map(|k| k.1).collect();
            let nums: Vec<Num> = m.iter().zip(&s).map(|(&m, &s)| (m, word(m, s))).collect();
            let (coef, ws) = (&coefs[..m.len()], &wscales[..m.len()]);
            let mut over = false;
            let terms: Vec<(i64, u8)> = (m.iter().zip(&s).zip(coef.iter().zip(ws)))
                .map(|((&cm, &cs), (&k, &w))| {
                    let t = cm.checked_mul(k);
                    over |= t.is_none();
                    let t = t.unwrap_or(0);
                    (t, if weighted && t == 0 { 0 } else { cs + w })
                })
                .collect();
            let want = if over { None } else { sum_steps(terms.into_iter()) };
            prop_assert_eq!(sum_scaled(&nums, coef, ws, weighted), want);
        }
    }
}
