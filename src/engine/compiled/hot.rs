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
use super::Leaf;

/// The kernel has no hot form.
pub(super) const K_NONE: u8 = 0;
/// [`Kernel::Outcomes`]: `pts` holds each outcome's points.
pub(super) const K_CHOICE: u8 = 1;
/// [`Kernel::Tiers`]: `ranges` holds each tier's limits, `pts` its points.
pub(super) const K_TIERS: u8 = 2;
/// [`Kernel::Entered`]: the value is the points.
pub(super) const K_ENTERED: u8 = 3;

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
    /// Scale of `a` ([`H_NUM`]).
    pub s: u8,
    /// Outcome number ([`H_CHOICE`]).
    pub k: u32,
    /// The number ([`H_TIER`], [`H_NUM`]).
    pub a: i64,
}

impl Hot {
    const GENERAL: Hot = Hot::tag(H_GENERAL);

    const fn tag(tag: u8) -> Hot {
        Hot {
            tag,
            credited: false,
            s: 0,
            k: 0,
            a: 0,
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
        _ => {}
    }
    out
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
        k,
        a,
    };
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
        _ => Hot::GENERAL,
    }
}
