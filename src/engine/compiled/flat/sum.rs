//! Parents' sums on the flat path: runs of parents with the same number of children,
//! each run one loop over contiguous slices of the slot arrays.
//!
//! Breadth-first, consecutive parents have consecutive slots and their children follow
//! one another, so parents `slot..slot + count` of one width `w` sum the children
//! `from..from + count × w` in chunks of `w`; a run's parents never read one another
//! (their slots lie before the run's children), so a run is one loop with no index
//! per parent. Plain sums of 2–5 children are unrolled.

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

/// Sums one run into `fm` / `fs` (each slot's integer and `Decimal` scale); `coef` and
/// `wscale` are each child slot's coefficient and weight scale. `false` on overflow or
/// a run outside the arrays.
#[inline(always)]
pub(super) fn run(r: &Run, fm: &mut [i64], fs: &mut [u8], coef: &[i64], wscale: &[u8]) -> bool {
    let (slot, count, from, w) = (
        r.slot as usize,
        r.count as usize,
        r.from as usize,
        r.width as usize,
    );
    let end = from + count * w;
    if !r.unit {
        let (Some(m), Some(s), Some(k), Some(ws)) = (
            fm.get(from..end),
            fs.get(from..end),
            coef.get(from..end),
            wscale.get(from..end),
        ) else {
            return false;
        };
        let Some((m, s)) = sum_scaled(m, s, k, ws, r.weighted) else {
            return false;
        };
        return match (fm.get_mut(slot), fs.get_mut(slot)) {
            (Some(x), Some(y)) => {
                (*x, *y) = (m, s);
                true
            }
            _ => false,
        };
    }
    if from > fm.len() || from > fs.len() {
        return false;
    }
    let (pm, cm) = fm.split_at_mut(from);
    let (ps, cs) = fs.split_at_mut(from);
    let (Some(pm), Some(ps), Some(cm), Some(cs)) = (
        pm.get_mut(slot..slot + count),
        ps.get_mut(slot..slot + count),
        cm.get(..count * w),
        cs.get(..count * w),
    ) else {
        return false;
    };
    match w {
        2 => sums::<2>(pm, ps, cm, cs),
        3 => sums::<3>(pm, ps, cm, cs),
        4 => sums::<4>(pm, ps, cm, cs),
        5 => sums::<5>(pm, ps, cm, cs),
        _ => {
            let kids = cm.chunks_exact(w.max(1)).zip(cs.chunks_exact(w.max(1)));
            for ((x, y), (m, s)) in pm.iter_mut().zip(ps.iter_mut()).zip(kids) {
                let Some((m, s)) = sum_unit(m, s) else {
                    return false;
                };
                (*x, *y) = (m, s);
            }
            true
        }
    }
}

/// A run of plain sums of exactly `N` children.
#[inline(always)]
fn sums<const N: usize>(pm: &mut [i64], ps: &mut [u8], cm: &[i64], cs: &[u8]) -> bool {
    let kids = cm.chunks_exact(N).zip(cs.chunks_exact(N));
    for ((x, y), (m, s)) in pm.iter_mut().zip(ps.iter_mut()).zip(kids) {
        let (Ok(m), Ok(s)) = (<&[i64; N]>::try_from(m), <&[u8; N]>::try_from(s)) else {
            return false;
        };
        let Some((m, s)) = sum_unit(m, s) else {
            return false;
        };
        (*x, *y) = (m, s);
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
fn sum_unit(m: &[i64], s: &[u8]) -> Option<(i64, u8)> {
    let (mut total, mut top, mut signs, mut over) = (0i64, 0u8, 0i64, false);
    for (&t, &ts) in m.iter().zip(s) {
        signs |= t;
        // The scale when the term is not zero, else 0 (no branch).
        top = top.max(ts & u8::from(t != 0).wrapping_neg());
        let (x, o) = total.overflowing_add(t);
        total = x;
        over |= o;
    }
    // A negative term, or an overflow (`sum_steps` says `None` then).
    if signs < 0 || over {
        return sum_steps(m.iter().copied().zip(s.iter().copied()));
    }
    let last = *s.last()?;
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
fn sum_scaled(
    m: &[i64],
    s: &[u8],
    coef: &[i64],
    wscale: &[u8],
    weighted: bool,
) -> Option<(i64, u8)> {
    let term = |((&cm, &cs), (&k, &ws)): ((&i64, &u8), (&i64, &u8))| {
        let (t, o) = cm.overflowing_mul(k);
        let ts = if weighted && t == 0 {
            0
        } else {
            cs.wrapping_add(ws)
        };
        (t, ts, o)
    };
    let terms = || m.iter().zip(s).zip(coef.iter().zip(wscale)).map(term);
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
        /// where the i64 overflows; negatives take the step-by-step rule.
        #[test]
        fn unit_sum_is_decimal_addition(kids in children()) {
            let m: Vec<i64> = kids.iter().map(|&(a, s)| a.saturating_mul(10i64.pow(u32::from(4 - s)))).collect();
            let s: Vec<u8> = kids.iter().map(|k| k.1).collect();
            let exact = (kids.iter())
                .try_fold(Decimal::ZERO, |t, &(a, sc)| t.checked_add(Decimal::new(a, u32::from(sc))));
            let steps = sum_steps(m.iter().copied().zip(s.iter().copied()));
            let fits = m.iter().zip(&kids).all(|(&x, k)| x / 10i64.pow(u32::from(4 - k.1)) == k.0);
            // Children whose integers do not fit are not children of a narrow parent.
            prop_assume!(fits);
            match sum_unit(&m, &s) {
                Some((total, sc)) => {
                    prop_assert_eq!(Some((total, sc)), steps);
                    let d = exact.unwrap();
                    let got = Decimal::from_i128_with_scale(
                        i128::from(total / 10i64.pow(u32::from(4 - sc))),
                        u32::from(sc),
                    );
                    prop_assert_eq!((got.mantissa(), got.scale()), (d.mantissa(), d.scale()));
                }
                None => prop_assert!(steps.is_none()),
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
            prop_assert_eq!(sum_scaled(&m, &s, coef, ws, weighted), want);
        }
    }
}
