//! The one-scale row kernel: [`Scorer::fast_row`]'s common case — every leaf a plain
//! number at one scale, small enough that every sum fits a `u64` — with compact
//! per-row state (a `u64` per node, the leaves' text positions) and the per-column
//! work planned once ([`OneScale`]). Anything else returns `None` having changed
//! nothing, and the row takes [`Scorer::fast_row`]'s general integer path.

use super::collect::Part;
use super::fast::{put_csv_field, record_row, Role};
use super::number::{digit_run, digits_value, put_fixed, word, ONES, POW10_U64};
use super::pass1::trim_bytes;
use super::row::finish;
use super::scorer::Scorer;
use crate::engine::{Cell, Index};
use rust_decimal::Decimal;

/// What an input column is, for the kernel: a leaf's slot, or one of these.
const UNIT: u32 = u32::MAX;
const BLOCK: u32 = u32::MAX - 1;

/// Scales a bound is kept for (a `Decimal`'s 0 to 28).
const SCALES: usize = 29;

/// The kernel's plan for one header (see the module).
#[derive(Debug, Clone)]
pub(super) struct OneScale {
    /// Per input column: the leaf's node, [`UNIT`] or [`BLOCK`]; the leaves' slots are
    /// their order in the input.
    cols: Vec<u32>,
    /// Per slot: its node.
    node: Vec<u32>,
    /// Per slot and scale (`slot * SCALES + scale`): the largest mantissa within the
    /// leaf's maximum, saturated to `u64` (mantissas are `u64`: same comparison).
    bound: Vec<u64>,
    /// Scales above this are rounded by the index's leaf rounding (general path).
    round_dp: u32,
    /// Each node's parent (the root's: 0).
    parent: Vec<u32>,
    /// The nodes with children (the root first).
    parents: Vec<u32>,
    /// The node columns in output order (pre-order without the root): a leaf's slot
    /// (`slot`), or a parent (`node | PARENT`).
    out: Vec<u32>,
    /// Bits no leaf mantissa may have, so that every sum fits a `u64`.
    high: u64,
}

const PARENT: u32 = 1 << 31;

/// The kernel's per-row state.
#[derive(Debug, Clone, Default)]
pub(super) struct Scratch {
    /// Per node: its mantissa at the row's scale.
    val: Vec<u64>,
    /// Per slot: where the leaf's normalized text starts in the row's text, and its
    /// length with [`LEAD0`] set when a `0` goes before it (`.5` is written `0.5`).
    text: Vec<(usize, usize)>,
}

const LEAD0: usize = 1 << (usize::BITS - 1);

/// A number as [`super::number::scan_number`] reads it — the same value, scale, end and
/// normalized text — for an unsigned number of at most 7 integer and 7 fraction digits
/// with 16 bytes of text from `at`; `None` otherwise. Returns the mantissa, the scale,
/// the end, and the normalized text as (start relative to `at`, length | [`LEAD0`]).
#[inline(always)]
fn scan_leaf(text: &[u8], at: usize) -> Option<(u64, u32, usize, (usize, usize))> {
    let w = word(text, at)?;
    let k = digit_run(w);
    if k == 8 {
        return None;
    }
    let dot = (w >> (8 * k)) as u8 == b'.';
    let (f, kf) = if dot {
        let f = word(text, at + k + 1)?;
        let kf = digit_run(f);
        if kf == 8 {
            return None;
        }
        (f, kf)
    } else {
        (0, 0)
    };
    if k + kf == 0 {
        return None; // a sign, or no digit
    }
    let low = |n: usize| (1u64 << (8 * n)) - 1;
    // Up to 8 digits in all: the fraction's digits moved next to the integer's (`k < 8`;
    // the bytes after them are shifted out), one conversion.
    let m = if k + kf <= 8 {
        digits_value((w & low(k)) | (f << (8 * k)), k + kf)
    } else {
        digits_value(w, k) * POW10_U64[kf] + digits_value(f, kf)
    };
    let end = at + k + usize::from(dot) + kf;
    // First non-zero integer digit; end of the last non-zero fraction digit.
    let nz = (w ^ (ONES * u64::from(b'0'))) & low(k);
    let fz = (f ^ (ONES * u64::from(b'0'))) & low(kf);
    let frac_end = if fz != 0 {
        k + 2 + (63 - fz.leading_zeros() as usize) / 8
    } else {
        k
    };
    let norm = if m == 0 {
        (0, LEAD0)
    } else if nz != 0 {
        let a = nz.trailing_zeros() as usize / 8;
        (a, frac_end - a)
    } else {
        (k, (frac_end - k) | LEAD0)
    };
    Some((m, kf as u32, end, norm))
}

impl OneScale {
    /// The plan from the fast path's column roles and leaf maxima; `None` when the tree
    /// is too wide for the sums' bound (never for a real index).
    pub(super) fn new(
        index: &Index,
        roles: &[Role],
        max: &[Option<[u128; 29]>],
        round_dp: Option<u32>,
    ) -> Option<OneScale> {
        let nodes = index.nodes();
        let mut cols = Vec::with_capacity(roles.len());
        let mut node = Vec::new();
        let mut slot_of = vec![u32::MAX; nodes.len()];
        let mut bound = Vec::new();
        for r in roles {
            cols.push(match *r {
                Role::Unit => UNIT,
                Role::Block => BLOCK,
                Role::Leaf(n) => {
                    let slot = u32::try_from(node.len()).ok()?;
                    node.push(u32::try_from(n).ok()?);
                    slot_of[n] = slot;
                    match max.get(n).copied().flatten() {
                        Some(b) => {
                            bound.extend(b.iter().map(|&x| u64::try_from(x).unwrap_or(u64::MAX)))
                        }
                        None => bound.extend([u64::MAX; SCALES]),
                    }
                    u32::try_from(n).ok().filter(|&n| n < BLOCK)?
                }
            });
        }
        let mut parent = vec![0u32; nodes.len()];
        for (p, n) in nodes.iter().enumerate() {
            for &c in &n.children {
                parent[c] = u32::try_from(p).ok()?;
            }
        }
        let mut out = Vec::with_capacity(nodes.len());
        for (i, n) in nodes.iter().enumerate().skip(1) {
            let i = u32::try_from(i).ok()?;
            out.push(if n.is_leaf() {
                slot_of[i as usize]
            } else {
                i | PARENT
            });
        }
        // Every leaf below 2^k, n leaves: every sum is below n × 2^k ≤ 2^64.
        let leaves = node.len().max(1) as u64;
        let bits = 64 - (leaves - 1).checked_ilog2().map_or(0, |b| b + 1);
        if bits < 8 || out.contains(&u32::MAX) {
            return None;
        }
        Some(OneScale {
            cols,
            node,
            bound,
            round_dp: round_dp.unwrap_or(u32::MAX),
            parent,
            parents: (0..nodes.len())
                .filter(|&p| !nodes[p].is_leaf())
                .map(|p| p as u32)
                .collect(),
            out,
            high: if bits >= 64 { 0 } else { !((1u64 << bits) - 1) },
        })
    }
}

impl Scorer<'_> {
    /// [`Scorer::fast_row`] for the kernel's case (see the module): the record at `at`
    /// in `text` scored, formed and recorded; where it ends. `None`, with `part`
    /// unchanged, for any other row.
    pub(super) fn one_scale_row(
        &mut self,
        text: &[u8],
        at: usize,
        row: u64,
        part: &mut Part,
    ) -> Option<usize> {
        let plan = self.fast.as_ref()?.one.as_ref()?;
        if part.error_count > 0 || part.widths.is_some() {
            return None;
        }
        let s = &mut self.one;
        let n = plan.parent.len();
        if s.val.len() != n {
            s.val = vec![0; n];
            s.text = vec![(0, 0); plan.node.len()];
        }
        let (mut unit, mut block): (&[u8], Option<&[u8]>) = (b"", None);
        let mut start = at;
        let mut scale = u32::MAX;
        let mut any = 0u64;
        let (mut column, mut slot) = (0, 0);
        let line_end = loop {
            let c = *plan.cols.get(column)?; // `None`: too many fields
            let end = if c < BLOCK {
                let (m, sc, end, (a, len)) = scan_leaf(text, start)?;
                if m > *plan.bound.get(slot * SCALES + sc as usize)? || sc > plan.round_dp {
                    return None;
                }
                if scale != sc {
                    if scale != u32::MAX {
                        return None; // another scale: the general integer path
                    }
                    scale = sc;
                }
                any |= m;
                *s.val.get_mut(c as usize)? = m;
                *s.text.get_mut(slot)? = (start + a, len);
                slot += 1;
                end
            } else {
                let end = text[start..]
                    .iter()
                    .position(|&b| matches!(b, b',' | b'\n' | b'\r'))
                    .map_or(text.len(), |p| start + p);
                if c == UNIT {
                    unit = &text[start..end];
                } else {
                    block = Some(&text[start..end]);
                }
                end
            };
            column += 1;
            match text.get(end) {
                Some(b',') => start = end + 1,
                Some(b'\n' | b'\r') | None => break end,
                Some(_) => return None, // not a plain number
            }
        };
        let unit = trim_bytes(unit);
        if column != plan.cols.len() || unit.is_empty() || any & plan.high != 0 {
            return None;
        }
        if scale == u32::MAX {
            return None; // no leaf
        }
        // Every leaf at one scale, none negative: each parent is the plain sum of its
        // leaves at that scale, below 2^64 (`high`).
        for &p in &plan.parents {
            s.val[p as usize] = 0;
        }
        for i in (1..n).rev() {
            let v = s.val[i];
            s.val[plan.parent[i] as usize] += v;
        }
        let root = s.val[0];
        let lo = root as u32;
        let mid = (root >> 32) as u32;
        let scored = finish(
            self.index,
            Cell::Value {
                achieved: Decimal::from_parts(lo, mid, 0, false, scale),
                max: self.static_max[0],
            },
            &[],
        );
        let block = block.map(trim_bytes);
        let room = 2 * (line_end - at) + 64 * (n + 3);
        if self.row.len() < room {
            self.row.resize(room, 0);
        }
        let out = &mut self.row[..];
        let mut pos = put_csv_field(out, 0, unit);
        if let Some(b) = block {
            out[pos] = b',';
            pos = put_csv_field(out, pos + 1, b);
        }
        for &o in &plan.out {
            out[pos] = b',';
            pos += 1;
            if o & PARENT == 0 {
                let (a, len) = s.text[o as usize];
                out[pos] = b'0';
                pos += usize::from(len & LEAD0 != 0);
                let len = len & !LEAD0;
                match text.get(a..a + 16) {
                    Some(src) if len <= 16 => out[pos..pos + 16].copy_from_slice(src),
                    _ => out[pos..pos + len].copy_from_slice(&text[a..a + len]),
                }
                pos += len;
            } else {
                let v = s.val[(o & !PARENT) as usize];
                pos = put_fixed(out, pos, i128::from(v), scale)?;
            }
        }
        self.fast_means.add_u64(scale, &s.val, &mut part.means);
        record_row(out, pos, &scored, n - 1, (block, unit, row), part);
        Some(line_end)
    }
}

#[cfg(test)]
mod tests {
    use super::super::number::scan_number;
    use super::{scan_leaf, LEAD0};
    use proptest::prelude::*;

    proptest! {
        /// Where the kernel's reader takes a number, it reads what `scan_number` reads:
        /// value, scale, end and normalized text; it takes every unsigned number of at
        /// most 7 + 7 digits with room after it.
        #[test]
        fn scan_leaf_equals_scan_number(
            sign in proptest::sample::select(vec!["", "", "", "-", "+"]),
            int in "[0-9]{0,9}",
            dot in any::<bool>(),
            frac in "[0-9]{0,9}",
            after in proptest::sample::select(vec![",", "\n", "x", ".", ",0.5", ""]),
            room in any::<bool>(),
        ) {
            let mut text = format!("{sign}{int}{}{frac}{after}", if dot { "." } else { "" });
            if room {
                text.push_str("9999999999999999");
            }
            let t = text.as_bytes();
            let ours = scan_leaf(t, 0);
            let plain = sign.is_empty() && int.len() <= 7 && frac.len() <= 7
                && (dot || frac.is_empty()) && !(int.is_empty() && frac.is_empty());
            if let Some((m, scale, end, (a, len))) = ours {
                let (p, e) = scan_number(t, 0).expect("scan_number reads it too");
                prop_assert_eq!((m, scale, end), (p.mantissa, p.scale, e));
                prop_assert!(!p.neg && p.within);
                prop_assert_eq!(len & LEAD0 != 0, p.norm.lead0);
                prop_assert_eq!((a, len & !LEAD0), (p.norm.start, p.norm.end - p.norm.start));
            } else if room && plain && !matches!(after, "" | ".") {
                prop_assert!(false, "not read: {:?}", text);
            }
        }
    }
}
