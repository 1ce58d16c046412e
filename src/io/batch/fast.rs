//! The fixed-point fast path: a row of plain numbers for the `score` leaves of a
//! plain-sum tree is scored with integers only ([`Scorer::fast_row`], [`aggregate_fixed`]),
//! and `proportional` text is read without the rule's explanation ([`fast_proportional`]).

use super::collect::Part;
use super::kernel::OneScale;
use super::mean::Means;
use super::number::{
    parse_decimal, parse_parts, pow10, pow10_u128, put_fixed, scan_number, write_csv_field,
    write_decimal, write_fixed, Norm,
};
use super::pass1::trim_bytes;
use super::row::finish;
use super::scorer::{LeafPlan, Scored, Scorer};
use crate::engine::{Cell, Index};
use rust_decimal::Decimal;

/// What an input column holds, for [`Scorer::fast_row`].
#[derive(Debug, Clone, Copy)]
pub(super) enum Role {
    Unit,
    Block,
    Leaf(usize),
}

/// [`Scorer::fast_row`] needs a plain-sum tree of `score` leaves and no adjustment
/// columns; then a row of plain numbers within range is scored with integers only.
#[derive(Debug, Clone)]
pub(super) struct FastPlan {
    /// Role of each input column.
    pub(super) roles: Vec<Role>,
    /// Each leaf's maximum as the largest mantissa allowed at each scale 0 to 28
    /// (`m × 10^-s ≤ M × 10^-S` ⇔ `m ≤ ⌊M × 10^(s − S)⌋`), for integer range checks.
    pub(super) max: Vec<Option<[u128; 29]>>,
    /// Decimals of the index's leaf rounding: a number with more goes the general way
    /// (which rounds it); fewer are left as they are by any rounding mode.
    pub(super) round_dp: Option<u32>,
    /// Each node's parent (the root's: 0), for the sums of a row at one scale.
    pub(super) parent: Vec<usize>,
    /// The nodes with children.
    pub(super) parents: Vec<usize>,
    /// Whether each node is a leaf.
    pub(super) leaf: Vec<bool>,
    /// The one-scale kernel's plan ([`super::kernel`]).
    pub(super) one: Option<OneScale>,
}

impl FastPlan {
    /// The plan for a header of `width` columns whose leaves are `leaves` (all `score`
    /// leaves of a plain-sum tree, no adjustment column); `None` when a leaf's maximum
    /// is negative (it never passes the range check: general path).
    pub(super) fn new(
        index: &Index,
        width: usize,
        leaves: &[LeafPlan],
        block_column: Option<usize>,
    ) -> Option<FastPlan> {
        // Every column is the unit, the block or a leaf (no adjustments; any
        // other column is a header error).
        let mut roles = vec![Role::Unit; width];
        for l in leaves {
            roles[l.column] = Role::Leaf(l.node);
        }
        if let Some(b) = block_column {
            roles[b] = Role::Block;
        }
        let mut max = vec![None; index.nodes().len()];
        for l in leaves {
            if let Some(m) = index.nodes()[l.node].max {
                // A negative maximum never passes the range check: general path.
                let (m, ms) = (u128::try_from(m.mantissa()).ok()?, m.scale());
                let mut bounds = [0u128; 29];
                for (s, b) in (0u32..).zip(bounds.iter_mut()) {
                    *b = if s >= ms {
                        // Beyond u128: every mantissa (at most 19 digits) is within.
                        m.saturating_mul(pow10_u128(s - ms)?)
                    } else {
                        m / pow10_u128(ms - s)?
                    };
                }
                max[l.node] = Some(bounds);
            }
        }
        let round_dp = index
            .definition()
            .policies
            .leaf_rounding
            .as_ref()
            .filter(|r| r.mode != crate::display::Rounding::Exact)
            .map(|r| r.decimals);
        let mut parent = vec![0; index.nodes().len()];
        for (p, n) in index.nodes().iter().enumerate() {
            for &c in &n.children {
                parent[c] = p;
            }
        }
        let one = OneScale::new(index, &roles, &max, round_dp);
        Some(FastPlan {
            one,
            roles,
            max,
            round_dp,
            parent,
            parents: (0..index.nodes().len())
                .filter(|&p| !index.nodes()[p].is_leaf())
                .collect(),
            leaf: index.nodes().iter().map(|n| n.is_leaf()).collect(),
        })
    }
}

impl<'a> Scorer<'a> {
    /// Scores and records the CSV record (without quotes) that starts at `at` in `text`
    /// when every field is as the common case has it: a plain number within its leaf's
    /// range for every leaf (see [`FastPlan`]); returns where the record ends (its
    /// terminator or the end of `text`). Same text, sums and means as
    /// [`Scorer::score_row`] followed by [`Part::record`] (tested). Returns `None`,
    /// having changed nothing in `part`, for anything else: the caller takes the general
    /// path.
    pub(super) fn fast_row(
        &mut self,
        text: &[u8],
        at: usize,
        row: u64,
        part: &mut Part,
    ) -> Option<usize> {
        if let Some(end) = self.one_scale_row(text, at, row, part) {
            return Some(end);
        }
        let plan = self.fast.as_ref()?;
        if part.error_count > 0 || part.widths.is_some() {
            return None;
        }
        let nodes = self.index.nodes();
        let (mut unit, mut block): (&[u8], Option<&[u8]>) = (b"", None);
        let mut column = 0;
        let mut start = at;
        // Whether every leaf has the scale of the first (then the sums are plain).
        let (mut first_scale, mut uniform) = (None, true);
        let line_end = loop {
            let role = *plan.roles.get(column)?; // `None`: too many fields
            let end = match role {
                Role::Leaf(node) => {
                    let (x, end) = scan_number(text, start)?;
                    // 0 ≤ x ≤ max, as `m × 10^-s ≤ M × 10^-S` ⇔ `m × 10^S ≤ M × 10^s`.
                    let in_range = !(x.neg && x.mantissa != 0)
                        && match &plan.max[node] {
                            None => true,
                            Some(bounds) => bounds
                                .get(x.scale as usize)
                                .is_some_and(|&b| u128::from(x.mantissa) <= b),
                        };
                    let rounds = plan.round_dp.is_some_and(|dp| x.scale > dp);
                    if !(in_range && x.within) || rounds {
                        return None;
                    }
                    uniform &= *first_scale.get_or_insert(x.scale) == x.scale;
                    self.sums[node] = (i128::from(x.mantissa), x.scale);
                    self.from_text[node] = Some(x.norm);
                    self.spans[node] = (start, end);
                    end
                }
                Role::Unit | Role::Block => {
                    let end = text[start..]
                        .iter()
                        .position(|&b| matches!(b, b',' | b'\n' | b'\r'))
                        .map_or(text.len(), |p| start + p);
                    if let Role::Unit = role {
                        unit = &text[start..end];
                    } else {
                        block = Some(&text[start..end]);
                    }
                    end
                }
            };
            column += 1;
            match text.get(end) {
                Some(b',') => start = end + 1,
                Some(b'\n' | b'\r') | None => break end,
                Some(_) => return None, // not a plain number
            }
        };
        let unit = trim_bytes(unit);
        if column != self.width || unit.is_empty() {
            return None;
        }
        let one_scale = first_scale.filter(|_| uniform);
        match one_scale {
            // Every leaf at one scale, none negative: each parent is the plain sum of
            // its leaves at that scale (what `fixed_sums` forms then), the partial sums
            // grow towards the root's, so the root alone must be a `Decimal`.
            Some(scale) => {
                for &p in &plan.parents {
                    self.sums[p] = (0, scale);
                }
                for i in (1..nodes.len()).rev() {
                    let m = self.sums[i].0;
                    self.sums[plan.parent[i]].0 += m;
                }
                if self.sums[0].0 >= 1 << 96 {
                    return None;
                }
            }
            _ => {
                // Every parent must be a valid `Decimal`, as in [`aggregate_fixed`].
                if !fixed_sums(nodes, &mut self.sums)
                    || self
                        .sums
                        .iter()
                        .any(|&(m, s)| s > 28 || m.unsigned_abs() >= 1 << 96)
                {
                    return None;
                }
            }
        }
        let root = Decimal::try_from_i128_with_scale(self.sums[0].0, self.sums[0].1).ok()?;
        let scored = finish(
            self.index,
            Cell::Value {
                achieved: root,
                max: self.static_max[0],
            },
            &[],
        );
        // As `Part::record`, formed in `self.row` with fixed-size copies: room for the
        // unit and block quoted (twice their length), every leaf's text, and 64 bytes
        // per node and for the total and percent.
        let block = block.map(trim_bytes);
        let room = 2 * (line_end - at) + 64 * (nodes.len() + 3);
        if self.row.len() < room {
            self.row.resize(room, 0);
        }
        let out = &mut self.row[..];
        let mut pos = put_csv_field(out, 0, unit);
        if let Some(b) = block {
            out[pos] = b',';
            pos = put_csv_field(out, pos + 1, b);
        }
        for node in 1..nodes.len() {
            out[pos] = b',';
            pos += 1;
            let (m, scale) = self.sums[node];
            match (plan.leaf[node], self.from_text[node]) {
                (true, Some(norm)) => {
                    let (a, _) = self.spans[node];
                    pos = put_norm(out, pos, text, a, norm);
                }
                _ => match put_fixed(out, pos, m, scale) {
                    Some(p) => pos = p,
                    None => {
                        let mut v = Vec::new();
                        write_fixed(&mut v, m, scale);
                        out[pos..pos + v.len()].copy_from_slice(&v);
                        pos += v.len();
                    }
                },
            }
        }
        // The node columns' means: rows of one scale add their integers (moved into the
        // exact means at the end of the block); other rows add to the means directly.
        match one_scale {
            Some(scale) => self.fast_means.add(scale, &self.sums, &mut part.means),
            None => {
                for (&(m, scale), acc) in self.sums[1..].iter().zip(part.means.0.iter_mut()) {
                    acc.n += 1;
                    acc.add_scaled(m, scale);
                }
            }
        }
        record_row(out, pos, &scored, nodes.len() - 1, (block, unit, row), part);
        Some(line_end)
    }
}

/// The node columns' sums of the fast rows of one scale: a plain `u64` add per node
/// and row, moved into the part's exact means ([`Means`]) when the scale changes, every
/// 2^20 rows, and at the end of a block ([`FastMeans::flush`]). A row whose root is
/// below 2^43 (every node is at most the root: no leaf is negative) adds to them, so
/// the sums stay below 2^63; a larger row is added to the exact means directly. Exact
/// sums do not depend on the order of the additions.
#[derive(Debug, Clone, Default)]
pub(super) struct FastMeans {
    scale: u32,
    rows: u64,
    /// Per node (the root's unused).
    sums: Vec<u64>,
}

/// The end of a row scored in integers, shared by [`Scorer::fast_row`] and the one-scale
/// kernel: the total and the percent written after the node columns (`out[..pos]`) and
/// added to their means (columns `k0` and `k0 + 1`), then the row recorded in `part`
/// (its key, its text, total, maximum and band).
pub(super) fn record_row(
    out: &mut [u8],
    mut pos: usize,
    scored: &Scored,
    k0: usize,
    (block, unit, row): (Option<&[u8]>, &[u8], u64),
    part: &mut Part,
) {
    for (k, v) in [scored.total, scored.percent].into_iter().enumerate() {
        out[pos] = b',';
        pos += 1;
        if let Some(v) = v {
            match put_fixed(out, pos, v.mantissa(), v.scale()) {
                Some(p) => pos = p,
                None => {
                    let mut t = Vec::new();
                    write_decimal(&mut t, v);
                    out[pos..pos + t.len()].copy_from_slice(&t);
                    pos += t.len();
                }
            }
            part.means.0[k0 + k].add(v);
        }
    }
    part.keys.push(block, unit, row);
    if let Some(b) = block {
        part.blocks.extend_from_slice(b);
        part.block_ends.push(part.blocks.len());
    }
    let len = u32::try_from(pos).unwrap_or(u32::MAX);
    part.bytes.extend_from_slice(&len.to_le_bytes());
    part.bytes.extend_from_slice(&out[..pos]);
    part.totals.push(scored.total);
    part.maxima.push(scored.max);
    part.bands.push(
        scored
            .band
            .and_then(|b| u16::try_from(b).ok())
            .unwrap_or(u16::MAX),
    );
}

impl FastMeans {
    /// Adds one row's node values (`sums`: mantissas, all at `scale`, none negative).
    fn add(&mut self, scale: u32, sums: &[(i128, u32)], means: &mut Means) {
        let Some((&(root, _), nodes)) = sums.split_first() else {
            return;
        };
        if root >= 1 << 43 {
            for (&(m, scale), acc) in nodes.iter().zip(means.0.iter_mut()) {
                acc.n += 1;
                acc.add_scaled(m, scale);
            }
            return;
        }
        if self.rows > 0 && (self.scale != scale || self.rows >= 1 << 20) {
            self.flush(means);
        }
        if self.sums.len() != sums.len() {
            self.flush(means);
            self.sums = vec![0; sums.len()];
        }
        self.scale = scale;
        self.rows += 1;
        // Below 2^43: the truncation keeps the value.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        for (a, &(m, _)) in self.sums.iter_mut().zip(sums).skip(1) {
            *a += m as u64;
        }
    }

    /// [`FastMeans::add`] of one row's node values given as `u64` mantissas (root
    /// first), all at `scale`.
    pub(super) fn add_u64(&mut self, scale: u32, vals: &[u64], means: &mut Means) {
        let Some((&root, nodes)) = vals.split_first() else {
            return;
        };
        if root >= 1 << 43 {
            for (&m, acc) in nodes.iter().zip(means.0.iter_mut()) {
                acc.n += 1;
                acc.add_scaled(i128::from(m), scale);
            }
            return;
        }
        if self.rows > 0 && (self.scale != scale || self.rows >= 1 << 20) {
            self.flush(means);
        }
        if self.sums.len() != vals.len() {
            self.flush(means);
            self.sums = vec![0; vals.len()];
        }
        self.scale = scale;
        self.rows += 1;
        for (a, &m) in self.sums[1..].iter_mut().zip(&vals[1..]) {
            *a += m;
        }
    }

    /// Moves the sums into `means` (node columns first, as [`Means`] holds them).
    pub(super) fn flush(&mut self, means: &mut Means) {
        if self.rows == 0 {
            return;
        }
        for (acc, s) in means.0.iter_mut().zip(self.sums.iter_mut().skip(1)) {
            acc.n += self.rows;
            acc.add_scaled(i128::from(*s), self.scale);
            *s = 0;
        }
        self.rows = 0;
    }
}

/// [`write_csv_field`] into `out` at `pos` (with room for `s` quoted); the new end.
pub(super) fn put_csv_field(out: &mut [u8], pos: usize, s: &[u8]) -> usize {
    if s.iter().any(|&b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        let mut v = Vec::with_capacity(s.len() + 2);
        write_csv_field(&mut v, s);
        out[pos..pos + v.len()].copy_from_slice(&v);
        pos + v.len()
    } else {
        out[pos..pos + s.len()].copy_from_slice(s);
        pos + s.len()
    }
}

/// [`write_norm`] of the number at `at` in `text` into `out` at `pos` (with 64 bytes to
/// spare beyond the text); the new end. Short texts are copied 16 bytes at a time.
#[inline]
fn put_norm(out: &mut [u8], pos: usize, text: &[u8], at: usize, n: Norm) -> usize {
    let mut pos = pos;
    out[pos] = b'-';
    pos += usize::from(n.neg);
    out[pos] = b'0';
    pos += usize::from(n.lead0);
    let (a, b) = (at + n.start, at + n.end);
    let len = b - a;
    match text.get(a..a + 16) {
        Some(src) if len <= 16 => out[pos..pos + 16].copy_from_slice(src),
        _ => out[pos..pos + len].copy_from_slice(&text[a..b]),
    }
    pos + len
}

/// [`Rule::evaluate`] of a `proportional` rule on `num/den` or `p%` text, for the
/// valid cases only and without the explanation text; `None` sends the cell to the
/// general path (empty cells, `n/a`, and every error, so messages stay the rule's own).
/// The arithmetic is the rule's, in the same order (tested equal).
pub(super) fn fast_proportional(
    raw: &[u8],
    max: Option<Decimal>,
    threshold: Option<Decimal>,
    gate: Option<&crate::interval::Bound>,
    zero: crate::rule::ZeroDenominator,
) -> Option<Cell> {
    let m = max?;
    let raw = trim_bytes(raw);
    let limit = crate::rule::INPUT_LIMIT;
    let hundred = Decimal::ONE_HUNDRED;
    // The share as an exact fraction (n, d), as the rule forms it; anything unusual
    // (negative, beyond the input limit, n > d, invalid zero denominator) goes the slow
    // way so the message is the rule's own.
    let share = if let Some(p) = raw.iter().position(|&b| b == b'/') {
        let n = parse_decimal(trim_bytes(&raw[..p]))?;
        let d = parse_decimal(trim_bytes(&raw[p + 1..]))?;
        if n.is_sign_negative() && !n.is_zero()
            || d.is_sign_negative() && !d.is_zero()
            || n.abs() > limit
            || d.abs() > limit
        {
            return None;
        }
        if d.is_zero() {
            return match zero.points(m).ok()? {
                Some(points) => Some(Cell::Value {
                    achieved: points,
                    max,
                }),
                None => Some(Cell::NotApplicable),
            };
        }
        if n > d {
            return None;
        }
        (n, d)
    } else {
        let p = parse_decimal(trim_bytes(raw.strip_suffix(b"%")?))?;
        if p < Decimal::ZERO || p > hundred {
            return None;
        }
        (p, hundred)
    };
    let achieved = crate::rule::proportional_points(m, share, threshold, gate.copied());
    Some(Cell::Value { achieved, max })
}

/// [`fast_proportional`] followed by the index's leaf rounding, in integers, for the
/// common case: `n/d` with whole numbers `0 ≤ n ≤ d`, `d > 0`, no gate, and a leaf
/// rounding of `dp` decimals half up (the QĐ 766 portal: 2). The points are
/// `max × n × 100 / (d × t)` (below the threshold `t`) or `max` (at or above it); the
/// rule divides once in `Decimal` (28 significant digits) and the rounding follows. The
/// exact quotient `q + r/Y` (in units of `10^-dp`) rounds the same way unless it lies
/// within `2^-40` of a half, far beyond the division's error (below `10^-13` units for
/// `q < 10^14`); then, and when `r = 0` (the rule's scale may differ), `None` sends
/// the cell the `Decimal` way. Tested equal to [`Index::score`], values and scales.
pub(super) fn fixed_proportional(
    raw: &[u8],
    max: Decimal,
    threshold: Option<Decimal>,
    dp: u32,
) -> Option<Decimal> {
    let raw = trim_bytes(raw);
    let slash = raw.iter().position(|&b| b == b'/')?;
    let n = parse_parts(trim_bytes(&raw[..slash]))?;
    let d = parse_parts(trim_bytes(&raw[slash + 1..]))?;
    if n.neg || d.neg || n.scale != 0 || d.scale != 0 || !n.within || !d.within {
        return None;
    }
    let (n, d) = (u128::from(n.mantissa), u128::from(d.mantissa));
    if d == 0 || n > d || max.is_sign_negative() {
        return None;
    }
    let t = threshold.unwrap_or(Decimal::ONE_HUNDRED);
    let (tm, e) = (u128::try_from(t.mantissa()).ok()?, t.scale());
    let (mm, a) = (u128::try_from(max.mantissa()).ok()?, max.scale());
    if tm == 0 {
        return None;
    }
    // The rule's products must be exact `Decimal`s (mantissas below 2^96), so that it
    // compares and divides them as they are.
    const M96: u128 = 1 << 96;
    let (num, den) = (mm.checked_mul(n)?.checked_mul(100)?, d.checked_mul(tm)?);
    if num >= M96 || den >= M96 {
        return None;
    }
    // At or above the threshold (n × 100 ≥ t × d): full marks, rounded as a leaf.
    if (n * 100).checked_mul(pow10_u128(e)?)? >= den {
        return Some(crate::display::round(
            max,
            dp,
            crate::display::Rounding::HalfUp,
        ));
    }
    let x = num
        .checked_mul(pow10_u128(e)?)?
        .checked_mul(pow10_u128(dp)?)?;
    let y = den.checked_mul(pow10_u128(a)?)?;
    let (q, r) = (x / y, x % y);
    let twice = r.checked_mul(2)?;
    if r == 0 || q >= 100_000_000_000_000 || twice.abs_diff(y) <= y >> 40 {
        return None;
    }
    let rounded = q + u128::from(twice > y);
    Decimal::try_from_i128_with_scale(i128::try_from(rounded).ok()?, dp).ok()
}

/// [`Index::aggregate`] on plain-sum trees when every leaf has a value: the sums in
/// integers ([`fixed_sums`]: in child order, as `Decimal` addition forms them), giving
/// the same values with the same scales. Returns `false` (cells untouched above the leaves) if
/// a sum would not fit, so the caller falls back to `Decimal` arithmetic.
pub(super) fn aggregate_fixed(
    nodes: &[crate::engine::FlatNode],
    cells: &mut [Cell],
    static_max: &[Option<Decimal>],
    sums: &mut Vec<(i128, u32)>,
) -> bool {
    sums.resize(nodes.len(), (0, 0));
    for (i, n) in nodes.iter().enumerate() {
        if n.children.is_empty() {
            match cells[i] {
                Cell::Value { achieved, .. } => sums[i] = (achieved.mantissa(), achieved.scale()),
                _ => return false,
            }
        }
    }
    if !fixed_sums(nodes, sums) {
        return false;
    }
    for i in 0..nodes.len() {
        if nodes[i].children.is_empty() {
            continue;
        }
        let (m, s) = sums[i];
        match Decimal::try_from_i128_with_scale(m, s) {
            Ok(d) => {
                cells[i] = Cell::Value {
                    achieved: d,
                    max: static_max[i],
                }
            }
            Err(_) => return false,
        }
    }
    true
}

/// The parents' sums from the leaves' `(mantissa, scale)` in `sums`, added in child
/// order as `Decimal` addition does it — values and scales: a non-zero sum is at the
/// larger scale of its terms, `0 + x` is `x` and `x + 0` is `x` as they are (so
/// `1.5 + 0.0000` is `1.5`, and `0 + 0.0000 + 0` is `0`). `false` when a partial sum
/// is not a `Decimal` (the caller then adds in `Decimal`).
pub(super) fn fixed_sums(nodes: &[crate::engine::FlatNode], sums: &mut [(i128, u32)]) -> bool {
    for i in (0..nodes.len()).rev() {
        let n = &nodes[i];
        if n.children.is_empty() {
            continue;
        }
        let (mut total, mut scale) = (0i128, 0u32);
        for &c in &n.children {
            let (m, s) = sums[c];
            if total == 0 {
                (total, scale) = (m, s);
                continue;
            }
            if m == 0 {
                continue;
            }
            let sum = if s == scale {
                total.checked_add(m)
            } else if s > scale {
                let t = pow10(s - scale).and_then(|p| total.checked_mul(p));
                scale = s;
                t.and_then(|t| t.checked_add(m))
            } else {
                pow10(scale - s)
                    .and_then(|p| m.checked_mul(p))
                    .and_then(|v| total.checked_add(v))
            };
            // Every partial sum a `Decimal` (below 2^96), so that `Decimal` addition,
            // which would round one that is not, forms the same value.
            let Some(t) = sum.filter(|t| t.unsigned_abs() < 1 << 96) else {
                return false;
            };
            total = t;
        }
        sums[i] = (total, scale);
    }
    true
}
