//! The flat path of a compiled plan: a whole index in 64-bit integers, laid out
//! breadth-first so that every parent sums a contiguous run of its children.
//!
//! An index takes this path when every parent is computed in integers that fit an
//! `i64` and every leaf has a hot form ([`hot`](super::hot)); an evaluation takes it
//! when every leaf holds a value the hot path reads. Nodes are numbered breadth-first
//! (the root is slot 0, a parent's children are consecutive slots), each slot holding a
//! node's integer at the plan's scale for the node and its scale word ([`Num`]) in one
//! plain array; parents are summed from the deepest slot up. Anything this path cannot
//! decide — a leaf the hot path leaves to the general kernels, a missing or
//! not-applicable value, an overflow — abandons it, and the evaluation starts again on
//! the general path, so results and errors are those of the general path.
//!
//! A leaf's kernel never stops its group's loop: what it cannot decide is a word with
//! [`POISON`] set, and the group returns the OR of its words (one test per group) and
//! of its integers. When every parent is a plain sum and that OR of integers is at most
//! `i64::MAX / leaves`, no leaf is negative and no sum of leaves overflows, so parents
//! are summed without a check per child ([`sum::run_fast`]); otherwise each sum is
//! checked ([`sum::run`]).

mod kernels;
mod sum;

pub(super) use sum::scale_of;

use super::hot::{self, at_scale, Pt, D64};
use super::plan::Plan;
use super::{Compiled, LeafValues, Scratch};
use crate::engine::Index;

/// One slot: a node's integer at the plan's scale for the node, and its scale word —
/// when the integer is not zero, bits 32–60 hold a set of scales whose largest is the
/// scale `Decimal` gives the node (a leaf's own, or the union of a parent's nonzero
/// children), else they are zero and the low byte is the scale ([`scale_of`]). A
/// leaf's word and a checked sum's ([`word`]) have the scale in the low byte too; an
/// unchecked sum's low byte is not its scale ([`sum`]).
pub(super) type Num = (i64, u64);

/// A word's bit for "the flat path cannot decide this leaf".
pub(super) const POISON: u64 = 1 << 63;

/// The scale word of `m` at `Decimal` scale `s` ([`Num`]); [`POISON`] for a scale
/// beyond `Decimal`'s 28.
#[inline(always)]
pub(super) fn word(m: i64, s: u8) -> u64 {
    if s > 28 {
        return POISON;
    }
    u64::from(s) | (u64::from(m != 0) << (32 + u32::from(s)))
}

/// Points (or `None`: the general path decides) as a slot.
#[inline(always)]
fn num(p: Option<D64>) -> Num {
    match p {
        Some((m, s)) => (m, word(m, s)),
        None => (0, POISON),
    }
}

/// A plan's flat layout ([module docs](self)).
#[derive(Debug, Clone)]
pub(super) struct Flat {
    /// Slot of each node position.
    pub slot: Vec<u32>,
    /// Leaf numbers in group order (the groups one after another, as `flat_run` reads
    /// them): [`LeafValues`] keeps the leaves' hot records in this order too, so each
    /// group reads its records as one slice.
    pub order: Vec<u32>,
    /// Per leaf number: its place in `order`.
    pub place: Vec<u32>,
    /// The leaves, grouped by their kernel's hot form (each group one tight loop).
    choice: Vec<Choice>,
    /// Outcome leaves' points as slots: [`ZERO_AT`] and [`POISON_AT`], then each leaf's
    /// `len` outcomes and a poisoned one.
    outcomes: Vec<Num>,
    /// Tiers leaves of at most [`TIERS`] tiers, with their limits and points.
    tiers4: Vec<Tiers4>,
    tiers: Vec<Tiers>,
    entered: Vec<Entered>,
    shares: Vec<Share>,
    deductions: Vec<Deduction>,
    /// Parents, deepest slot first, in runs of one loop each ([`sum`]).
    runs: Vec<sum::Run>,
    /// Per slot (as a child): its coefficient in its parent's sum.
    coef: Vec<i64>,
    /// Per slot (as a child): the scale of its weight in its parent's sum.
    wscale: Vec<u8>,
    /// Every parent is a plain sum (every run [`sum::Run::unit`]).
    unit: bool,
    /// The largest OR of the leaves' integers for the unchecked sums: `i64::MAX /
    /// leaves`.
    limit: u64,
}

/// The place in [`Flat::outcomes`] of the points of a leaf not credited: `(0, 0)`.
const ZERO_AT: u32 = 0;
/// The place in [`Flat::outcomes`] of a poisoned slot.
const POISON_AT: u32 = 1;

/// An outcome leaf: its leaf number, slot, and first outcome in [`Flat::outcomes`].
#[derive(Debug, Clone, Copy)]
struct Choice {
    leaf: u32,
    slot: u32,
    at: u32,
    /// How many outcomes.
    len: u32,
}

/// Most tiers of a [`Tiers4`] leaf.
const TIERS: usize = 4;

/// The length of a row of [`Tiers4::pts`]: the tiers' points and the poisoned one past
/// the last.
const ROW: usize = TIERS + 1;

/// The length of [`Tiers4::pts`]: three rows and a poisoned padding (a power of two, so
/// that a place masked by `PTS − 1` needs no bounds check).
const PTS: usize = 16;

/// A tiers leaf of 1 to [`TIERS`] tiers, none empty: each tier's lower limit and width
/// (inclusive limits `lo..=lo + width`: a number `a` is in the tier when `a − lo`,
/// wrapping, is at most `width` as an unsigned number; past the last tier the last one
/// again, which the first match never reaches) and points as slots in three rows of
/// [`ROW`], one of which [`Flat::refine`] picks for a record: a credited leaf's points
/// (poisoned past the last and where the points do not fit), a leaf not credited
/// (`(0, 0)`, poisoned where the first row is), a record the hot path did not read as a
/// number (all poisoned).
#[derive(Debug, Clone, Copy)]
struct Tiers4 {
    leaf: u32,
    slot: u32,
    lo: [i64; TIERS],
    width: [u64; TIERS],
    pts: [Num; PTS],
}

impl Tiers4 {
    /// The limits of 1 to [`TIERS`] tiers `rs` (inclusive, none empty); no points yet
    /// (every one poisoned).
    fn new(rs: &[(i64, i64)]) -> Option<Tiers4> {
        let ok = (1..=TIERS).contains(&rs.len()) && rs.iter().all(|(lo, hi)| lo <= hi);
        let mut t = Tiers4 {
            leaf: 0,
            slot: 0,
            lo: [0; TIERS],
            width: [0; TIERS],
            pts: [(0, POISON); PTS],
        };
        for j in 0..TIERS {
            let &(lo, hi) = rs.get(j.min(rs.len().saturating_sub(1)))?;
            (t.lo[j], t.width[j]) = (lo, hi.wrapping_sub(lo) as u64);
        }
        ok.then_some(t)
    }

    /// The first tier holding `a`, else [`TIERS`] (a select per tier, no branch).
    #[inline(always)]
    fn tier(&self, a: i64) -> usize {
        let mut t = TIERS;
        for j in (0..TIERS).rev() {
            t = if a.wrapping_sub(self.lo[j]) as u64 <= self.width[j] {
                j
            } else {
                t
            };
        }
        t
    }
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
    /// Its constants for whole shares ([`kernels::share`]), when `has_whole` (else
    /// zeros: no record is tagged for them, [`Flat::refine`]).
    whole: kernels::ShareAt,
    has_whole: bool,
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
    /// Its constants at the leaf's scale, when they fit ([`kernels::deductions`]).
    /// (When `has_at`; else zeros: no record is tagged for them, [`Flat::refine`].)
    at: kernels::DedAt,
    has_at: bool,
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
        let mut runs: Vec<sum::Run> = Vec::new();
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
            let joined = (runs.last_mut()).is_some_and(|r| r.join(slot[i], first, to, unit));
            if !joined {
                runs.push(sum::Run {
                    slot: slot[i],
                    count: 1,
                    from: first,
                    width: to - first,
                    unit,
                    weighted: p.weighted,
                });
            }
        }
        let unit = runs.iter().all(|r| r.unit);
        let leaves = plan.leaf_plan.len().max(1) as u64;
        let mut flat = Flat {
            slot,
            order: Vec::new(),
            place: Vec::new(),
            choice: Vec::new(),
            outcomes: vec![(0, 0), (0, POISON)],
            tiers4: Vec::new(),
            tiers: Vec::new(),
            entered: Vec::new(),
            shares: Vec::new(),
            deductions: Vec::new(),
            runs,
            coef,
            wscale,
            unit,
            limit: i64::MAX as u64 / leaves,
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
            let pt = |j: u32| pts.get((lp.pts + j) as usize).copied().unwrap_or_default();
            let as_num = |p: Pt| {
                if p.ok {
                    (p.m, word(p.m, p.s))
                } else {
                    (0, POISON)
                }
            };
            let tiers = lp.tiers.min(len);
            // 1 to `TIERS` tiers, none empty: a `Tiers4` leaf.
            let four = (plan.ranges.get(lp.ranges as usize..))
                .and_then(|r| r.get(..tiers as usize))
                .filter(|r| (1..=TIERS).contains(&r.len()) && r.iter().all(|(lo, hi)| lo <= hi));
            match lp.hot {
                hot::K_CHOICE => {
                    flat.choice.push(Choice {
                        leaf,
                        slot,
                        at: u32::try_from(flat.outcomes.len()).ok()?,
                        len,
                    });
                    flat.outcomes.extend((0..len).map(|j| as_num(pt(j))));
                    flat.outcomes.push((0, POISON));
                }
                hot::K_TIERS if four.is_some() => {
                    let rs = four.unwrap_or(&[]);
                    let pts = (0..TIERS).map(|j| match j < rs.len() {
                        true => as_num(pt(j as u32)),
                        false => (0, POISON),
                    });
                    let mut t = Tiers4::new(rs)?;
                    (t.leaf, t.slot) = (leaf, slot);
                    for (j, p) in pts.enumerate() {
                        // Credited; not credited (still poisoned where undecided).
                        t.pts[j] = p;
                        t.pts[ROW + j] = (0, p.1 & POISON);
                    }
                    flat.tiers4.push(t);
                }
                hot::K_TIERS => flat.tiers.push(Tiers {
                    leaf,
                    slot,
                    pts: lp.pts,
                    ranges: lp.ranges,
                    len: tiers,
                }),
                hot::K_ENTERED => flat.entered.push(Entered {
                    leaf,
                    slot,
                    scale: lp.scale,
                }),
                hot::K_PROP => {
                    let whole = kernels::ShareAt::new(raw(0)?, raw(1)?, lp.scale);
                    flat.shares.push(Share {
                        leaf,
                        slot,
                        scale: lp.scale,
                        max: raw(0)?,
                        threshold: raw(1)?,
                        policy: lp.cmp,
                        zero: *pts.get(lp.pts as usize + 2)?,
                        whole: whole.unwrap_or_default(),
                        has_whole: whole.is_some(),
                    })
                }
                hot::K_DED => {
                    let (max, per_len) = (raw(0)?, len.checked_sub(1)?);
                    let per = (1..=per_len).map(raw).collect::<Option<Vec<_>>>();
                    let at = per.and_then(|per| kernels::DedAt::new(max, &per, lp.scale));
                    flat.deductions.push(Deduction {
                        leaf,
                        slot,
                        scale: lp.scale,
                        max,
                        per: lp.pts + 1,
                        len: per_len,
                        at: at.unwrap_or_default(),
                        has_at: at.is_some(),
                    })
                }
                _ => return None,
            }
        }
        let order = (flat.choice.iter().map(|l| l.leaf))
            .chain(flat.tiers4.iter().map(|l| l.leaf))
            .chain(flat.tiers.iter().map(|l| l.leaf))
            .chain(flat.entered.iter().map(|l| l.leaf))
            .chain(flat.shares.iter().map(|l| l.leaf))
            .chain(flat.deductions.iter().map(|l| l.leaf));
        flat.order = order.collect();
        flat.place = vec![u32::MAX; plan.leaf_plan.len()];
        for (j, &k) in flat.order.iter().enumerate() {
            *flat.place.get_mut(k as usize)? = j as u32;
        }
        (flat.order.len() == plan.leaf_plan.len()).then_some(flat)
    }
}

/// A leaf of a group: its slot.
trait Place {
    fn slot(&self) -> u32;
}

macro_rules! place {
    ($($t:ty),*) => {$(
        impl Place for $t {
            #[inline(always)]
            fn slot(&self) -> u32 {
                self.slot
            }
        }
    )*};
}
place!(Choice, Tiers4, Tiers, Entered, Share, Deduction);

/// One group of leaves (one loop, one kind) and their hot records (`hots`, in the same
/// order): each leaf's points at its scale from `points` as a slot ([`POISON`]ed when
/// the leaf cannot be decided), zero when not credited — by this loop when `CREDIT`,
/// else by `points` itself (the shares and deductions, whose kernels take only credited
/// records, [`Flat::refine`]). Returns the OR of the integers written and the OR of the
/// words (with [`POISON`] for a leaf undecided, credited or not).
#[inline(never)]
fn group<const CREDIT: bool, T: Place>(
    list: &[T],
    hots: &[hot::Hot],
    f: &mut [Num],
    points: impl Fn(&T, &hot::Hot) -> Num,
) -> (u64, u64) {
    let (mut big, mut bad) = (0u64, 0u64);
    // By reference: a leaf's constants are not copied (a deductions leaf is 136 bytes).
    for (l, h) in list.iter().zip(hots) {
        let (m, w) = points(l, h);
        bad |= w;
        // All ones when credited, else zero: (0, 0) for a leaf not credited.
        let keep = if CREDIT { -i64::from(h.credited) } else { -1 };
        let Some(x) = f.get_mut(l.slot() as usize) else {
            return (0, POISON);
        };
        *x = (m & keep, w & keep as u64);
        big |= (m & keep) as u64;
    }
    (big, bad)
}

impl Flat {
    /// The record `h` of the leaf at `place` in [`Flat::order`] as the flat path reads
    /// it, so that the loops test at most one tag instead of the kernels' conditions and
    /// credit no leaf: every outcome record becomes [`hot::H_CHOICE_AT`] (the place of
    /// its points) and every [`Tiers4`] record [`hot::H_TIER_AT`] (its row of points);
    /// a credited deductions record the whole-count kernel takes (severities, scales
    /// and range of the counts) is tagged [`hot::H_DED_AT`], its zero counts' severity
    /// the zero one ([`kernels::DedAt::normal`]); a credited share record the
    /// whole-share kernel takes [`hot::H_FRAC_AT`]. The values are kept.
    pub fn refine(&self, place: usize, h: hot::Hot) -> hot::Hot {
        if let Some(l) = self.choice.get(place) {
            // The outcome's place in the table; `(0, 0)` or poisoned when not credited.
            let k = if h.tag == hot::H_CHOICE {
                h.k.min(l.len)
            } else {
                l.len
            };
            let at = l.at.saturating_add(k);
            let poisoned = self
                .outcomes
                .get(at as usize)
                .is_none_or(|p| p.1 & POISON != 0);
            let k = match (poisoned, h.credited) {
                (true, _) => POISON_AT,
                (false, true) => at,
                (false, false) => ZERO_AT,
            };
            return hot::Hot {
                tag: hot::H_CHOICE_AT,
                k,
                ..h
            };
        }
        let four = place.checked_sub(self.choice.len());
        if four.is_some_and(|j| j < self.tiers4.len()) {
            let row = match (h.tag == hot::H_TIER, h.credited) {
                (true, true) => 0,
                (true, false) => ROW,
                (false, _) => 2 * ROW,
            };
            return hot::Hot {
                tag: hot::H_TIER_AT,
                k: row as u32,
                ..h
            };
        }
        let first = self.order.len() - self.deductions.len();
        let ded = place
            .checked_sub(first)
            .and_then(|j| self.deductions.get(j));
        let first = first - self.shares.len();
        let share = place.checked_sub(first).and_then(|j| self.shares.get(j));
        // Whole numbers of a credited leaf (the kernels' loops do not credit).
        let ok = h.s | h.s2 == 0 && h.credited;
        let tag = match (
            ded.filter(|l| l.has_at).map(|l| &l.at),
            share.filter(|l| l.has_whole).map(|l| &l.whole),
        ) {
            (Some(d), _) if h.tag == hot::H_DED && ok && d.takes(h.k, h.a, h.b) => {
                // The kernel reads the severities of zero counts as the zero one.
                let k = kernels::DedAt::normal(h.k, h.a, h.b);
                return hot::Hot {
                    tag: hot::H_DED_AT,
                    k,
                    ..h
                };
            }
            (_, Some(c)) if h.tag == hot::H_FRAC && ok && c.takes(h.a, h.b) => hot::H_FRAC_AT,
            _ => h.tag,
        };
        hot::Hot { tag, ..h }
    }
}

/// A share leaf [`kernels::share_at`] does not decide: its zero-denominator policy,
/// [`kernels::share`] for whole numbers, else the hot path's functions.
#[cold]
#[inline(never)]
fn share_steps(l: &Share, h: &hot::Hot) -> Num {
    credit(
        h,
        if h.tag != hot::H_FRAC && h.tag != hot::H_FRAC_AT {
            None
        } else if h.b == 0 {
            (l.policy == hot::ZERO_POINTS)
                .then_some(l.zero)
                .filter(|p| p.ok)
                .map(|p| (p.m, p.s))
        } else if l.has_whole && h.s | h.s2 == 0 {
            kernels::share(&l.whole, h.a, h.b)
        } else {
            hot::proportional(l.max, l.threshold, (h.a, h.s), (h.b, h.s2))
                .and_then(|p| at_scale(p, l.scale))
        },
    )
}

/// Points (or `None`) as a slot, `(0, 0)` when the leaf is not credited (still
/// [`POISON`]ed when undecided).
#[inline(always)]
fn credit(h: &hot::Hot, p: Option<D64>) -> Num {
    let (m, w) = num(p);
    if h.credited {
        (m, w)
    } else {
        (0, w & POISON)
    }
}

/// A deductions leaf the whole-count kernel does not take, step by step (the hot
/// path's functions).
#[cold]
#[inline(never)]
fn deduction_steps(l: &Deduction, h: &hot::Hot, pts: &[Pt]) -> Num {
    let per = |k: u32| {
        let p = pts
            .get((l.per + k) as usize)
            .filter(|p| p.ok && k < l.len)?;
        Some((p.m, p.s))
    };
    credit(
        h,
        (h.tag == hot::H_DED)
            .then(|| hot::deduction_items(h, per))
            .flatten()
            .and_then(|(items, len)| hot::deductions(l.max, items, len))
            .and_then(|p| at_scale(p, l.scale)),
    )
}

/// The outcome leaves: each one's slot read from `outcomes` at the place its record
/// holds ([`Flat::refine`]: credited or not, decided or not). Returns the OR of the
/// integers written and the OR of the words, as [`group`] does.
#[inline(never)]
fn outcome_group(
    list: &[Choice],
    hots: &[hot::Hot],
    outcomes: &[Num],
    f: &mut [Num],
) -> (u64, u64) {
    let (mut big, mut bad) = (0u64, 0u64);
    for (l, h) in list.iter().zip(hots) {
        // Every record of an outcome leaf in the flat copy is `H_CHOICE_AT`
        // (`Flat::refine` is the only way in): `k` is its place.
        debug_assert_eq!(h.tag, hot::H_CHOICE_AT);
        let (m, w) = outcomes.get(h.k as usize).copied().unwrap_or((0, POISON));
        let Some(x) = f.get_mut(l.slot as usize) else {
            return (0, POISON);
        };
        *x = (m, w);
        bad |= w;
        big |= m as u64;
    }
    (big, bad)
}

impl Compiled {
    /// Evaluates `values` on the flat path; `false` when it cannot decide (the general
    /// path then evaluates from the start).
    #[inline(never)]
    pub(super) fn flat_run(&self, flat: &Flat, values: &LeafValues, sc: &mut Scratch) -> bool {
        let n = flat.slot.len();
        if sc.f.len() != n {
            sc.f = vec![(0, 0); n];
        }
        let (f, unchecked) = (&mut sc.f[..], &mut sc.unchecked);
        *unchecked = false;
        let plan = &self.plan;
        // Each group's hot records, in the group's order.
        let mut hots = &values.flat[..];
        if hots.len() != flat.order.len() {
            return false;
        }
        let (pts, ranges) = (&plan.pts[..], &plan.ranges[..]);
        let (mut big, mut bad) = (0u64, 0u64);
        // Each group: the points at the leaf's scale, or poisoned for the general path.
        macro_rules! group {
            ($credit:expr, $list:expr, |$l:ident, $h:ident| $points:expr) => {
                let Some((these, rest)) = hots.split_at_checked($list.len()) else {
                    return false;
                };
                hots = rest;
                let (b, p) = group::<$credit, _>(&$list, these, f, |$l, $h| $points);
                big |= b;
                bad |= p;
            };
        }
        let ok_pt = |p: Option<&Pt>| p.filter(|p| p.ok).map(|p| (p.m, p.s));
        {
            // Outcomes: their points (or `(0, 0)`, or poisoned) read from the table.
            let Some((these, rest)) = hots.split_at_checked(flat.choice.len()) else {
                return false;
            };
            hots = rest;
            let (b, p) = outcome_group(&flat.choice, these, &flat.outcomes, f);
            big |= b;
            bad |= p;
        }
        group!(false, flat.tiers4, |l, h| {
            // The first tier holding the number, else the poisoned one past the last, in
            // the record's row (`Flat::refine`: every record here is `H_TIER_AT`).
            debug_assert_eq!(h.tag, hot::H_TIER_AT);
            l.pts[(h.k as usize + l.tier(h.a)) % PTS]
        });
        group!(true, flat.tiers, |l, h| {
            let from = l.ranges as usize;
            let rs = ranges.get(from..from + l.len as usize).unwrap_or(&[]);
            let t = hot::tier_of(rs, h.a);
            num(match t {
                Some(t) if h.tag == hot::H_TIER => ok_pt(pts.get(l.pts as usize + t)),
                _ => None,
            })
        });
        group!(true, flat.entered, |l, h| {
            num(at_scale((h.a, h.s), l.scale).filter(|_| h.tag == hot::H_NUM))
        });
        group!(false, flat.shares, |l, h| match h.tag {
            // A whole share the kernel takes (`Flat::refine`) with a whole quotient.
            hot::H_FRAC_AT => match kernels::share_at(&l.whole, h.a, h.b) {
                Some(p) => p,
                None => share_steps(l, h),
            },
            _ => share_steps(l, h),
        });
        group!(false, flat.deductions, |l, h| match h.tag {
            // Whole counts the kernel takes (`Flat::refine`): at the leaf's scale directly.
            hot::H_DED_AT => kernels::deductions(&l.at, h.k, h.a, h.b),
            _ => deduction_steps(l, h, pts),
        });
        debug_assert!(hots.is_empty(), "every group read its records");
        if bad & POISON != 0 {
            return false;
        }
        if flat.unit && big <= flat.limit {
            // Every leaf in 0..=i64::MAX / leaves: no sum of leaves overflows.
            *unchecked = true;
            return flat.runs.iter().all(|r| sum::run_fast(r, f));
        }
        let (coef, wscale) = (&flat.coef[..], &flat.wscale[..]);
        flat.runs.iter().all(|r| sum::run(r, f, coef, wscale))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn limit() -> impl Strategy<Value = i64> {
        prop_oneof![-5i64..120, Just(i64::MIN), Just(i64::MAX), any::<i64>()]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(5000))]
        /// A `Tiers4` leaf finds the tier `hot::tier_of` finds (the first holding the
        /// number), at and around every limit.
        #[test]
        fn tiers4_finds_the_first_tier(
            rs in proptest::collection::vec((limit(), limit()), 1..=TIERS),
            near in proptest::collection::vec(-2i64..=2, 1..4),
            other in any::<i64>(),
        ) {
            let rs: Vec<(i64, i64)> = rs.into_iter().map(|(a, b)| (a.min(b), a.max(b))).collect();
            let t = Tiers4::new(&rs).unwrap();
            let mut probes = vec![other];
            for &(lo, hi) in &rs {
                for &d in &near {
                    probes.extend([lo.wrapping_add(d), hi.wrapping_add(d)]);
                }
            }
            for a in probes {
                let want = hot::tier_of(&rs, a).unwrap_or(TIERS);
                prop_assert_eq!(t.tier(a), want, "{:?} at {}", rs, a);
            }
        }
    }
}
