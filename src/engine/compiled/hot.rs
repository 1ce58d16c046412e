//! The hot path of a compiled plan: the commonest leaves in 64-bit integers with one
//! table look-up or a few comparisons each.
//!
//! A leaf takes this path when its node is computed in integers that fit an `i64`, no
//! leaf rounding applies, and its kernel is a finite set of outcomes (yes/no,
//! timeliness, levels), tiers on a number, or an entered number. The outcomes' points
//! are written once, when the index is compiled, at the leaf's scale ([`Pt`]); tier
//! bounds are written at one scale as inclusive integer limits. A value is read into a
//! [`Hot`] record only when its kernel's general form ([`Input`]) is the fast one, so the
//! hot path gives exactly what [`leaf::run`](super::leaf::run) gives; whatever it cannot
//! decide (an outcome with an error, a number beyond every tier, a value with more
//! places) goes to the general path of the leaf.

use super::fx::{Fx, POW10};
use super::leaf::{FxInterval, Input, Kernel};
use super::{plan, Leaf};

/// The kernel has no hot form.
pub(super) const K_NONE: u8 = 0;
/// [`Kernel::Outcomes`]: `pts` holds each outcome's points.
pub(super) const K_CHOICE: u8 = 1;
/// [`Kernel::Tiers`]: `ranges` holds each tier's limits, `pts` its points.
pub(super) const K_TIERS: u8 = 2;
/// [`Kernel::Entered`]: the value is the points.
pub(super) const K_ENTERED: u8 = 3;
/// [`Kernel::Proportional`] without a gate: `pts` holds the maximum and the threshold
/// (as they are), then the zero denominator's points at the leaf's scale; `cmp` says
/// what a zero denominator gives ([`ZERO_POINTS`], [`ZERO_NA`], else the general path).
pub(super) const K_PROP: u8 = 4;
/// [`Kernel::Deductions`]: `pts` holds the maximum, then each severity's points (as they
/// are).
pub(super) const K_DED: u8 = 5;

/// A zero denominator gives points.
pub(super) const ZERO_POINTS: u8 = 1;
/// A zero denominator makes the criterion not applicable.
pub(super) const ZERO_NA: u8 = 2;

/// The general path decides (the leaf's [`Leaf`]).
pub(super) const H_GENERAL: u8 = 0;
/// No value.
pub(super) const H_MISSING: u8 = 1;
/// Not appraised (missing whatever the policy).
pub(super) const H_NOT_APPRAISED: u8 = 2;
/// Not applicable.
pub(super) const H_NA: u8 = 3;
/// Outcome number `k`.
pub(super) const H_CHOICE: u8 = 4;
/// A number `a` at the tiers' comparison scale.
pub(super) const H_TIER: u8 = 5;
/// Points `a` at scale `s`.
pub(super) const H_NUM: u8 = 6;
/// A share `a / b` (scales `s`, `s2`).
pub(super) const H_FRAC: u8 = 7;
/// `k & 0xFFFF` counts (at most two): severity `k >> 16 & 0xFF` counted `a` (scale
/// `s`), severity `k >> 24` counted `b` (scale `s2`).
pub(super) const H_DED: u8 = 8;
/// An [`H_DED`] record of a credited leaf the flat path's whole-count kernel takes as
/// it is (only in the flat path's copy of the records: `flat::Flat::refine`).
pub(super) const H_DED_AT: u8 = 9;
/// An [`H_FRAC`] record of a credited leaf the flat path's whole-share kernel takes as
/// it is (only in the flat path's copy of the records: `flat::Flat::refine`).
pub(super) const H_FRAC_AT: u8 = 10;
/// An [`H_CHOICE`] record whose `k` is the place of its points (credited or not) in the
/// flat path's table of outcomes (only in the flat path's copy of the records:
/// `flat::Flat::refine`).
pub(super) const H_CHOICE_AT: u8 = 11;
/// A record of a `flat::Tiers4` leaf whose `k` is the first place of its row of points
/// (credited, not credited, or undecided: only in the flat path's copy of the records:
/// `flat::Flat::refine`).
pub(super) const H_TIER_AT: u8 = 12;

/// Points at a leaf's scale: `m / 10^scale` with `Decimal`'s scale `s`; `ok` is false
/// when they do not fit (the general path then decides).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Pt {
    pub m: i64,
    pub s: u8,
    pub ok: bool,
}

impl Pt {
    fn at(p: Option<Fx>, scale: u32) -> Pt {
        let Some(p) = p.filter(|p| p.s <= scale) else {
            return Pt::default();
        };
        let m = i64::try_from(p.m)
            .ok()
            .and_then(|m| m.checked_mul(pow64(scale - p.s)?));
        match m {
            Some(m) => Pt {
                m,
                s: p.s as u8,
                ok: true,
            },
            None => Pt::default(),
        }
    }
}

/// One leaf's value in the hot form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Hot {
    pub tag: u8,
    pub credited: bool,
    /// Scale of `a`.
    pub s: u8,
    /// Scale of `b`.
    pub s2: u8,
    /// Outcome number ([`H_CHOICE`]), counts ([`H_DED`]).
    pub k: u32,
    /// The number ([`H_TIER`], [`H_NUM`]), numerator, first count.
    pub a: i64,
    /// Denominator, second count.
    pub b: i64,
}

impl Hot {
    pub(super) const GENERAL: Hot = Hot::tag(H_GENERAL);

    const fn tag(tag: u8) -> Hot {
        Hot {
            tag,
            credited: false,
            s: 0,
            s2: 0,
            k: 0,
            a: 0,
            b: 0,
        }
    }
}

/// 10^e as an `i64` (e ≤ 18).
#[inline(always)]
pub(super) fn pow64(e: u32) -> Option<i64> {
    (e <= 18).then(|| POW10[e as usize] as i64)
}

/// What a leaf's kernel becomes on the hot path: its kind, the start of its points in
/// `pts`, of its limits in `ranges`, and the tiers' comparison scale.
pub(super) struct Compiled {
    pub kind: u8,
    pub pts: u32,
    pub ranges: u32,
    pub cmp: u8,
}

/// The hot form of `kernel` at a leaf's `scale`; its points and limits are appended to
/// `pts` and `ranges`. `K_NONE` unless `eligible` (integers fitting an `i64`, no leaf
/// rounding).
pub(super) fn compile(
    kernel: &Kernel,
    scale: u32,
    eligible: bool,
    pts: &mut Vec<Pt>,
    ranges: &mut Vec<(i64, i64)>,
) -> Compiled {
    let mut out = Compiled {
        kind: K_NONE,
        pts: pts.len() as u32,
        ranges: ranges.len() as u32,
        cmp: 0,
    };
    if !eligible {
        return out;
    }
    match kernel {
        Kernel::Outcomes(o) => {
            pts.extend(o.iter().map(|p| Pt::at(*p, scale)));
            out.kind = K_CHOICE;
        }
        Kernel::Tiers {
            scale: bounds_scale,
            ranges: rs,
            points,
            ..
        } => {
            // The largest scale (up to 6 places) at which every limit fits an i64, so
            // numbers with that many places compare as integers.
            let Some((cmp, limits)) =
                (*bounds_scale..=(*bounds_scale).max(6))
                    .rev()
                    .find_map(|c| {
                        Some((
                            c,
                            rs.iter()
                                .map(|r| limits(r, c))
                                .collect::<Option<Vec<_>>>()?,
                        ))
                    })
            else {
                return out;
            };
            ranges.extend(limits);
            pts.extend(points.iter().map(|p| Pt::at(*p, scale)));
            out.kind = K_TIERS;
            out.cmp = cmp as u8;
        }
        Kernel::Entered => out.kind = K_ENTERED,
        Kernel::Proportional {
            max,
            threshold,
            gate: None,
            zero,
        } => {
            pts.extend([raw(Some(*max)), raw(Some(*threshold))]);
            pts.push(Pt::at(zero.flatten(), scale));
            out.cmp = match zero {
                Some(Some(_)) => ZERO_POINTS,
                Some(None) => ZERO_NA,
                None => 0,
            };
            out.kind = K_PROP;
        }
        Kernel::Deductions { max, per } if per.len() < 256 => {
            pts.push(raw(Some(*max)));
            pts.extend(per.iter().map(|p| raw(*p)));
            out.kind = K_DED;
        }
        _ => {}
    }
    out
}

/// A constant as it is (mantissa and scale), when it fits an `i64`.
fn raw(p: Option<Fx>) -> Pt {
    match p.map(|p| (i64::try_from(p.m), u8::try_from(p.s))) {
        Some((Ok(m), Ok(s))) => Pt { m, s, ok: true },
        _ => Pt::default(),
    }
}

/// An interval as inclusive integer limits at scale `c`.
fn limits(r: &FxInterval, c: u32) -> Option<(i64, i64)> {
    let at = |x: Fx| -> Option<i64> {
        let up = c.checked_sub(x.s)?;
        i64::try_from(x.m).ok()?.checked_mul(pow64(up)?)
    };
    let lo = match r.from {
        None => i64::MIN,
        Some(b) if b.inclusive => at(b.value)?,
        Some(b) => at(b.value)?.checked_add(1)?,
    };
    let hi = match r.to {
        None => i64::MAX,
        Some(b) if b.inclusive => at(b.value)?,
        Some(b) => at(b.value)?.checked_sub(1)?,
    };
    Some((lo, hi))
}

/// The hot form of a leaf's value for a kernel compiled to `kind` (tiers compared at
/// `cmp` places).
pub(super) fn read(kind: u8, cmp: u8, leaf: &Leaf) -> Hot {
    let (input, credited) = match leaf {
        Leaf::Missing => return Hot::tag(H_MISSING),
        Leaf::NotAppraised => return Hot::tag(H_NOT_APPRAISED),
        Leaf::NotApplicable => return Hot::tag(H_NA),
        Leaf::Value { input, credited } => (input, *credited),
    };
    let hot = |tag, s, k, a| Hot {
        tag,
        credited,
        s,
        s2: 0,
        k,
        a,
        b: 0,
    };
    let small = |x: &Fx| Some((i64::try_from(x.m).ok()?, u8::try_from(x.s).ok()?));
    match (kind, input) {
        (K_CHOICE, Input::Choice(k)) => hot(H_CHOICE, 0, *k, 0),
        (K_TIERS, Input::Num(x) | Input::Pct(x)) => {
            let a = u32::from(cmp)
                .checked_sub(x.s)
                .and_then(pow64)
                .and_then(|p| i64::try_from(x.m).ok()?.checked_mul(p));
            match a {
                Some(a) => hot(H_TIER, 0, 0, a),
                None => Hot::GENERAL,
            }
        }
        (K_ENTERED, Input::Num(x)) => match (i64::try_from(x.m), u8::try_from(x.s)) {
            (Ok(a), Ok(s)) => hot(H_NUM, s, 0, a),
            _ => Hot::GENERAL,
        },
        (K_PROP, Input::Frac(n, d)) => match (small(n), small(d)) {
            (Some((a, s)), Some((b, s2))) => Hot {
                s2,
                b,
                ..hot(H_FRAC, s, 0, a)
            },
            _ => Hot::GENERAL,
        },
        (K_PROP, Input::Pct(p)) => match small(p) {
            Some((a, s)) => Hot {
                b: 100,
                ..hot(H_FRAC, s, 0, a)
            },
            None => Hot::GENERAL,
        },
        (K_DED, Input::Counts(items)) if items.len() <= 2 => {
            let mut h = hot(H_DED, 0, items.len() as u32, 0);
            for (j, (k, c)) in items.iter().enumerate() {
                let (Ok(k), Some((m, s))) = (u8::try_from(*k), small(c)) else {
                    return Hot::GENERAL;
                };
                if j == 0 {
                    (h.a, h.s) = (m, s);
                    h.k |= u32::from(k) << 16;
                } else {
                    (h.b, h.s2) = (m, s);
                    h.k |= u32::from(k) << 24;
                }
            }
            h
        }
        _ => Hot::GENERAL,
    }
}

/// A decimal as `(mantissa, scale)` in 64 bits, with `Decimal`'s rules for the scale
/// of results ([`Fx`] in 64 bits); `None` where an `i64` would overflow (the general
/// path decides then).
pub(super) type D64 = (i64, u8);

/// `a × b` ([`Fx::mul`]).
#[inline(always)]
fn mul(a: D64, b: D64) -> Option<D64> {
    if a.0 == 0 || b.0 == 0 {
        return Some((0, 0));
    }
    let s = a.1 + b.1;
    (u32::from(s) <= super::fx::MAX_SCALE).then_some(())?;
    Some((a.0.checked_mul(b.0)?, s))
}

/// `a + b` ([`Fx::add`]).
#[inline(always)]
fn add(a: D64, b: D64) -> Option<D64> {
    if a.0 == 0 {
        return Some(b);
    }
    if b.0 == 0 {
        return Some(a);
    }
    if a.1 == b.1 {
        return Some((a.0.checked_add(b.0)?, a.1));
    }
    let s = a.1.max(b.1);
    let x = a.0.checked_mul(pow64(u32::from(s - a.1))?)?;
    let y = b.0.checked_mul(pow64(u32::from(s - b.1))?)?;
    Some((x.checked_add(y)?, s))
}

/// `a` compared with `b` by value.
#[inline(always)]
fn cmp(a: D64, b: D64) -> Option<std::cmp::Ordering> {
    if a.1 == b.1 {
        return Some(a.0.cmp(&b.0));
    }
    let s = a.1.max(b.1);
    let x = i128::from(a.0) * i128::from(pow64(u32::from(s - a.1))?);
    let y = i128::from(b.0) * i128::from(pow64(u32::from(s - b.1))?);
    Some(x.cmp(&y))
}

/// `a ÷ b` ([`Fx::div`]) when the 64-bit division decides.
#[inline(always)]
pub(super) fn div(a: D64, b: D64) -> Option<D64> {
    if b.0 == 0 {
        return None;
    }
    if a.0 == 0 {
        return Some((0, 0));
    }
    let negative = (a.0 < 0) != (b.0 < 0);
    let (x, y) = (a.0.unsigned_abs(), b.0.unsigned_abs());
    let scale = i32::from(a.1) - i32::from(b.1);
    // A whole number of units of the quotient's scale: the quotient as it is (the first
    // step of `div64`, inline); otherwise `div64` goes on.
    let (q, s) = match u32::try_from(scale) {
        Ok(s) if x % y == 0 => (x / y, s),
        _ => super::fx::div64(x, y, scale)?,
    };
    let q = i64::try_from(q).ok()?;
    Some((if negative { -q } else { q }, u8::try_from(s).ok()?))
}

/// Points of a proportional leaf (`max × min(1, share / threshold)`, no gate) for the
/// share `n / d` with `d ≠ 0`, as [`leaf::run`](super::leaf::run) computes them.
#[inline(always)]
pub(super) fn proportional(max: D64, threshold: D64, n: D64, d: D64) -> Option<D64> {
    const HUNDRED: D64 = (100, 0);
    // n / d × 100 ≥ threshold ⇔ n × 100 ≥ threshold × d (d > 0).
    if cmp(mul(n, HUNDRED)?, mul(threshold, d)?)?.is_ge() {
        return Some(max);
    }
    div(mul(mul(max, n)?, HUNDRED)?, mul(d, threshold)?)
}

/// Points of a deductions leaf: `max − Σ per × count`, floored at 0.
#[inline(always)]
pub(super) fn deductions(max: D64, items: [(D64, D64); 2], len: usize) -> Option<D64> {
    let mut total: D64 = (0, 0);
    for &(per, count) in items.iter().take(len) {
        total = add(total, mul(per, count)?)?;
    }
    let r = add(max, (total.0.checked_neg()?, total.1))?;
    Some(if r.0 < 0 { (0, 0) } else { r })
}

/// Points `p` written at a leaf's `scale` (their `Decimal` scale kept beside them);
/// `None` on overflow.
#[inline(always)]
pub(super) fn at_scale(p: D64, scale: u32) -> Option<D64> {
    let k = pow64(scale.checked_sub(u32::from(p.1))?)?;
    Some((p.0.checked_mul(k)?, p.1))
}

/// The first tier of `ranges` (inclusive limits) that holds `a`. Every tier is tested
/// (a select per tier, no exit that depends on the value: a handful of tiers costs less
/// than one mispredicted branch).
#[inline(always)]
pub(super) fn tier_of(ranges: &[(i64, i64)], a: i64) -> Option<usize> {
    let mut first = ranges.len();
    for (j, &(lo, hi)) in ranges.iter().enumerate().rev() {
        first = if (lo <= a) & (a <= hi) { j } else { first };
    }
    (first < ranges.len()).then_some(first)
}

/// The counted items of a deductions leaf's value `h` — each severity's points (`per`,
/// from the severity's index) with its count — and how many count, for [`deductions`].
#[inline(always)]
pub(super) fn deduction_items(
    h: &Hot,
    per: impl Fn(u32) -> Option<D64>,
) -> Option<([(D64, D64); 2], usize)> {
    let len = (h.k & 0xFFFF) as usize;
    let first = if len > 0 {
        per((h.k >> 16) & 0xFF)?
    } else {
        (0, 0)
    };
    let second = if len > 1 { per(h.k >> 24)? } else { (0, 0) };
    Some(([(first, (h.a, h.s)), (second, (h.b, h.s2))], len))
}

/// What the hot path makes of one leaf ([`Compiled::hot_leaf`]).
pub(super) enum HotOut {
    /// Points at the leaf's scale, with their `Decimal` scale.
    Points(i64, u8),
    Missing,
    Na,
    /// The general kernel of the leaf decides.
    General,
}

impl super::Compiled {
    /// What the hot path makes of one leaf's value `h` (points before crediting).
    #[inline(always)]
    pub(super) fn hot_leaf(&self, lp: &plan::LeafPlan, h: &Hot) -> HotOut {
        let plan = &self.plan;
        let pt = match h.tag {
            H_CHOICE => plan.pts.get(lp.pts as usize + h.k as usize),
            H_TIER => {
                let from = lp.ranges as usize;
                let ranges = plan.ranges.get(from..from + lp.tiers as usize);
                ranges
                    .and_then(|r| tier_of(r, h.a))
                    .and_then(|t| plan.pts.get(lp.pts as usize + t))
            }
            H_NUM => {
                return match at_scale((h.a, h.s), lp.scale) {
                    Some((m, s)) => HotOut::Points(m, s),
                    None => HotOut::General,
                };
            }
            H_FRAC if h.b == 0 => match lp.cmp {
                // A zero denominator: its policy's points, or not applicable.
                ZERO_NA => return HotOut::Na,
                ZERO_POINTS => plan.pts.get(lp.pts as usize + 2),
                _ => None,
            },
            H_FRAC | H_DED => {
                let r = self.computed(lp, h).and_then(|p| at_scale(p, lp.scale));
                return match r {
                    Some((m, s)) => HotOut::Points(m, s),
                    None => HotOut::General,
                };
            }
            H_MISSING if plan.zero_if_missing => return HotOut::Points(0, 0),
            H_MISSING | H_NOT_APPRAISED => return HotOut::Missing,
            H_NA => return HotOut::Na,
            _ => None,
        };
        match pt {
            Some(pt) if pt.ok => HotOut::Points(pt.m, pt.s),
            _ => HotOut::General,
        }
    }

    /// Points of a proportional or deductions leaf on the hot path (`None`: the general
    /// path decides).
    #[inline]
    fn computed(&self, lp: &plan::LeafPlan, h: &Hot) -> Option<D64> {
        let at = |j: usize| -> Option<D64> {
            let p = self.plan.pts.get(lp.pts as usize + j)?;
            p.ok.then_some((p.m, p.s))
        };
        if h.tag == H_FRAC {
            proportional(at(0)?, at(1)?, (h.a, h.s), (h.b, h.s2))
        } else {
            let (items, len) = deduction_items(h, |k| at(1 + k as usize))?;
            deductions(at(0)?, items, len)
        }
    }
}
