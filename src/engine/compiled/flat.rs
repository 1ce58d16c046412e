//! The flat path of a compiled plan: a whole index in 64-bit integers, laid out
//! breadth-first so that every parent sums a contiguous run of its children.
//!
//! An index takes this path when every parent is computed in integers that fit an
//! `i64` and every leaf has a hot form ([`hot`](super::hot)); an evaluation takes it
//! when every leaf holds a value the hot path reads. Nodes are numbered breadth-first
//! (the root is slot 0, a parent's children are consecutive slots), each slot holding a
//! node's integer at the plan's scale for the node and the scale `Decimal` gives it, in
//! two plain arrays; parents are summed from the deepest slot up. Anything this path
//! cannot decide — a leaf the hot path leaves to the general kernels, a missing or
//! not-applicable value, an overflow — abandons it, and the evaluation starts again on
//! the general path, so results and errors are those of the general path.

use super::hot::{self, at_scale, Pt};
use super::plan::Plan;
use super::{Compiled, LeafValues, Scratch};
use crate::engine::Index;

/// A plan's flat layout ([module docs](self)).
#[derive(Debug, Clone)]
pub(super) struct Flat {
    /// Slot of each node position.
    pub slot: Vec<u32>,
    /// The leaves, grouped by their kernel's hot form (each group one tight loop).
    choice: Vec<Choice>,
    tiers: Vec<Tiers>,
    entered: Vec<Entered>,
    shares: Vec<Share>,
    deductions: Vec<Deduction>,
    /// Parents, deepest slot first.
    parents: Vec<FlatParent>,
    /// Per slot (as a child): its coefficient in its parent's sum.
    coef: Vec<i64>,
    /// Per slot (as a child): the scale of its weight in its parent's sum.
    wscale: Vec<u8>,
}

/// An outcome leaf: its leaf number, slot, and first point in [`Plan::pts`].
#[derive(Debug, Clone, Copy)]
struct Choice {
    leaf: u32,
    slot: u32,
    pts: u32,
    /// How many outcomes.
    len: u32,
}

/// A tiers leaf: its points from `pts`, its limits from `ranges` in [`Plan::ranges`].
#[derive(Debug, Clone, Copy)]
struct Tiers {
    leaf: u32,
    slot: u32,
    pts: u32,
    ranges: u32,
    len: u32,
}

/// An entered-points leaf and the scale of its integers.
#[derive(Debug, Clone, Copy)]
struct Entered {
    leaf: u32,
    slot: u32,
    scale: u32,
}

/// A share leaf (proportional, no gate): its constants as they are, and what a zero
/// denominator gives ([`hot::ZERO_POINTS`] with `zero`, [`hot::ZERO_NA`], else the
/// general path).
#[derive(Debug, Clone, Copy)]
struct Share {
    leaf: u32,
    slot: u32,
    scale: u32,
    max: hot::D64,
    threshold: hot::D64,
    policy: u8,
    zero: Pt,
}

/// A deductions leaf: its maximum, and its severities' points from `per` in
/// [`Plan::pts`].
#[derive(Debug, Clone, Copy)]
struct Deduction {
    leaf: u32,
    slot: u32,
    scale: u32,
    max: hot::D64,
    per: u32,
    len: u32,
}

/// One parent: its slot and its children's slots `from..to`.
#[derive(Debug, Clone, Copy)]
struct FlatParent {
    slot: u32,
    from: u32,
    to: u32,
    /// A weighted sum ([`Parent::weighted`](super::plan::Parent)).
    weighted: bool,
    /// A plain sum whose children are all at its scale (every coefficient 1).
    unit: bool,
}

impl Flat {
    /// The flat layout of `plan`, when every parent is narrow and every leaf hot.
    pub fn new(index: &Index, plan: &Plan) -> Option<Flat> {
        let nodes = index.nodes();
        let n = nodes.len();
        if n < 2 || nodes[0].is_leaf() || u32::try_from(n).is_err() {
            return None;
        }
        let all_narrow = plan.parents.iter().all(|p| p.fixed && p.narrow);
        let all_hot = plan.leaf_plan.iter().all(|lp| lp.hot != hot::K_NONE);
        if !all_narrow || !all_hot {
            return None;
        }
        // Breadth-first: a parent's children get consecutive slots.
        let mut order = vec![0usize];
        let mut slot = vec![u32::MAX; n];
        slot[0] = 0;
        let mut next = 0;
        while let Some(&i) = order.get(next) {
            next += 1;
            for &c in &nodes[i].children {
                slot[c] = order.len() as u32;
                order.push(c);
            }
        }
        if order.len() != n {
            return None;
        }
        let mut coef = vec![1i64; n];
        let mut wscale = vec![0u8; n];
        let mut by_node = vec![None; n];
        for (k, p) in plan.parents.iter().enumerate() {
            by_node[p.node as usize] = Some(k);
        }
        let mut parents = Vec::new();
        for &i in order.iter().rev() {
            let Some(k) = by_node[i] else {
                continue;
            };
            let p = &plan.parents[k];
            let edges = p.from as usize..p.to as usize;
            let first = slot[*nodes[i].children.first()?];
            for (j, e) in edges.clone().enumerate() {
                let c = slot[plan.child[e] as usize];
                if c != first + j as u32 {
                    return None;
                }
                coef[c as usize] = plan.coef64[e];
                wscale[c as usize] = plan.wscale[e];
            }
            let to = first + edges.len() as u32;
            let unit = !p.weighted && plan.coef64[edges].iter().all(|&k| k == 1);
            parents.push(FlatParent {
                slot: slot[i],
                from: first,
                to,
                weighted: p.weighted,
                unit,
            });
        }
        let mut flat = Flat {
            slot,
            choice: Vec::new(),
            tiers: Vec::new(),
            entered: Vec::new(),
            shares: Vec::new(),
            deductions: Vec::new(),
            parents,
            coef,
            wscale,
        };
        let pts = &plan.pts;
        for (k, lp) in plan.leaf_plan.iter().enumerate() {
            let (leaf, slot) = (k as u32, flat.slot[lp.node as usize]);
            // Points not written after this leaf's start belong to the next leaves.
            let end = plan
                .leaf_plan
                .get(k + 1)
                .map_or(pts.len(), |l| l.pts as usize);
            let len = (end - lp.pts as usize) as u32;
            let raw = |j: u32| -> Option<hot::D64> {
                let p = pts.get((lp.pts + j) as usize)?;
                p.ok.then_some((p.m, p.s))
            };
            match lp.hot {
                hot::K_CHOICE => flat.choice.push(Choice {
                    leaf,
                    slot,
                    pts: lp.pts,
                    len,
                }),
                hot::K_TIERS => flat.tiers.push(Tiers {
                    leaf,
                    slot,
                    pts: lp.pts,
                    ranges: lp.ranges,
                    len: lp.tiers.min(len),
                }),
                hot::K_ENTERED => flat.entered.push(Entered {
                    leaf,
                    slot,
                    scale: lp.scale,
                }),
                hot::K_PROP => flat.shares.push(Share {
                    leaf,
                    slot,
                    scale: lp.scale,
                    max: raw(0)?,
                    threshold: raw(1)?,
                    policy: lp.cmp,
                    zero: *pts.get(lp.pts as usize + 2)?,
                }),
                hot::K_DED => flat.deductions.push(Deduction {
                    leaf,
                    slot,
                    scale: lp.scale,
                    max: raw(0)?,
                    per: lp.pts + 1,
                    len: len.checked_sub(1)?,
                }),
                _ => return None,
            }
        }
        Some(flat)
    }
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
        top = top.max(if t != 0 { ts } else { 0 });
        let (x, o) = total.overflowing_add(t);
        total = x;
        over |= o;
    }
    if signs < 0 {
        return sum_steps(m.iter().copied().zip(s.iter().copied()));
    }
    match (over, total) {
        (true, _) => None,
        (false, 0) => Some((0, *s.last()?)),
        (false, _) => Some((total, top)),
    }
}

/// [`sum_unit`] of exactly `N` children (unrolled).
#[inline(always)]
fn sum_unit_n<const N: usize>(m: &[i64], s: &[u8]) -> Option<(i64, u8)> {
    match (<&[i64; N]>::try_from(m), <&[u8; N]>::try_from(s)) {
        (Ok(m), Ok(s)) => sum_unit(m, s),
        _ => sum_unit(m, s),
    }
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

/// A leaf of a group: its leaf number and its slot.
trait Place: Copy {
    fn place(self) -> (u32, u32);
}

macro_rules! place {
    ($($t:ty),*) => {$(
        impl Place for $t {
            #[inline(always)]
            fn place(self) -> (u32, u32) {
                (self.leaf, self.slot)
            }
        }
    )*};
}
place!(Choice, Tiers, Entered, Share, Deduction);

/// One group of leaves (one loop, one kind): each leaf's points at its scale from
/// `points`, zero when not credited; `false` when a leaf cannot be decided.
#[inline(never)]
fn group<T: Place>(
    list: &[T],
    hots: &[hot::Hot],
    fm: &mut [i64],
    fs: &mut [u8],
    points: impl Fn(T, &hot::Hot) -> Option<hot::D64>,
) -> bool {
    for &l in list {
        let (leaf, slot) = l.place();
        let Some(h) = hots.get(leaf as usize) else {
            return false;
        };
        let Some((m, s)) = points(l, h) else {
            return false;
        };
        // All ones when credited, else zero: (0, 0) for a leaf not credited.
        let keep = -i64::from(h.credited);
        let (Some(x), Some(y)) = (fm.get_mut(slot as usize), fs.get_mut(slot as usize)) else {
            return false;
        };
        *x = m & keep;
        *y = s & keep as u8;
    }
    true
}

impl Compiled {
    /// Evaluates `values` on the flat path; `false` when it cannot decide (the general
    /// path then evaluates from the start).
    #[inline(never)]
    pub(super) fn flat_run(&self, flat: &Flat, values: &LeafValues, sc: &mut Scratch) -> bool {
        let n = flat.slot.len();
        if sc.fm.len() != n {
            sc.fm = vec![0; n];
            sc.fs = vec![0; n];
        }
        let (fm, fs) = (&mut sc.fm[..], &mut sc.fs[..]);
        let (hots, plan) = (&values.hot[..], &self.plan);
        let (pts, ranges) = (&plan.pts[..], &plan.ranges[..]);
        // Each group: the points at the leaf's scale, or the general path.
        macro_rules! group {
            ($list:expr, |$l:ident, $h:ident| $points:expr) => {
                if !group(&$list, hots, fm, fs, |$l, $h| $points) {
                    return false;
                }
            };
        }
        let ok_pt = |p: Option<&Pt>| p.filter(|p| p.ok).map(|p| (p.m, p.s));
        group!(flat.choice, |l, h| {
            (h.tag == hot::H_CHOICE && h.k < l.len)
                .then(|| ok_pt(pts.get((l.pts + h.k) as usize)))
                .flatten()
        });
        group!(flat.tiers, |l, h| {
            let from = l.ranges as usize;
            let rs = ranges.get(from..from + l.len as usize).unwrap_or(&[]);
            let t = hot::tier_of(rs, h.a);
            match t {
                Some(t) if h.tag == hot::H_TIER => ok_pt(pts.get(l.pts as usize + t)),
                _ => None,
            }
        });
        group!(flat.entered, |l, h| {
            at_scale((h.a, h.s), l.scale).filter(|_| h.tag == hot::H_NUM)
        });
        group!(flat.shares, |l, h| {
            if h.tag != hot::H_FRAC {
                None
            } else if h.b == 0 {
                (l.policy == hot::ZERO_POINTS)
                    .then(|| ok_pt(Some(&l.zero)))
                    .flatten()
            } else {
                hot::proportional(l.max, l.threshold, (h.a, h.s), (h.b, h.s2))
                    .and_then(|p| at_scale(p, l.scale))
            }
        });
        group!(flat.deductions, |l, h| {
            let per = |k: u32| ok_pt(pts.get((l.per + k) as usize).filter(|_| k < l.len));
            (h.tag == hot::H_DED)
                .then(|| hot::deduction_items(h, per))
                .flatten()
                .and_then(|(items, len)| hot::deductions(l.max, items, len))
                .and_then(|p| at_scale(p, l.scale))
        });
        for p in &flat.parents {
            let r = p.from as usize..p.to as usize;
            let sum = if p.unit {
                let (m, s) = (&fm[r.clone()], &fs[r]);
                // The commonest widths unrolled (no loop for a criterion of 3 leaves).
                match m.len() {
                    2 => sum_unit_n::<2>(m, s),
                    3 => sum_unit_n::<3>(m, s),
                    4 => sum_unit_n::<4>(m, s),
                    5 => sum_unit_n::<5>(m, s),
                    _ => sum_unit(m, s),
                }
            } else {
                sum_scaled(
                    &fm[r.clone()],
                    &fs[r.clone()],
                    &flat.coef[r.clone()],
                    &flat.wscale[r],
                    p.weighted,
                )
            };
            let Some((m, s)) = sum else {
                return false;
            };
            fm[p.slot as usize] = m;
            fs[p.slot as usize] = s;
        }
        true
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
