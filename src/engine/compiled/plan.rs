//! The plan of a compiled index: per node, the scale its integers are kept at and
//! whether it is computed in integers at all; per parent, its children with their
//! coefficients (weight × the power of ten aligning the child's scale).

use super::fx::{Fx, MAX_MANTISSA, MAX_SCALE, POW10};
use super::hot::{self, Pt};
use super::leaf::{self, Kernel};
use super::Scratch;
use crate::engine::{combine, Cell, Index};
use crate::index::MissingValuePolicy;
use crate::node::Aggregation;
use rust_decimal::Decimal;

/// Most decimal places given to a leaf's integers beyond what its constants need.
const MAX_EXTRA_SCALE: u32 = 12;

/// One parent, in evaluation order (children before parents).
#[derive(Debug, Clone)]
pub(super) struct Parent {
    /// Node position.
    pub node: u32,
    /// Its children's range in [`Plan::child`] / [`Plan::coef`].
    pub from: u32,
    pub to: u32,
    /// Computed in integers (else always with `Decimal`).
    pub fixed: bool,
    /// A weighted sum (children multiplied by their weight, as `Decimal` does).
    pub weighted: bool,
    /// Its sum, its children's integers and its coefficients fit an `i64` (checked
    /// anyway: an overflow sends the node to `Decimal`).
    pub narrow: bool,
}

/// One leaf, in tree order: what its evaluation needs next to its kernel.
#[derive(Debug, Clone, Copy)]
pub(super) struct LeafPlan {
    /// Node position.
    pub node: u32,
    /// Scale of the node's integers.
    pub scale: u32,
    /// Computed in integers when its value allows it.
    pub fixed: bool,
    /// Its integers fit an `i64` (checked anyway).
    pub narrow: bool,
    /// Its kernel's hot form ([`hot::K_NONE`] for none).
    pub hot: u8,
    /// Tiers: the scale of their limits.
    pub cmp: u8,
    /// Start of its points in [`Plan::pts`].
    pub pts: u32,
    /// Start of its tiers' limits in [`Plan::ranges`].
    pub ranges: u32,
    /// How many tiers.
    pub tiers: u32,
}

#[derive(Debug, Clone)]
pub(super) struct Plan {
    /// Leaf positions, in tree order.
    pub leaves: Vec<usize>,
    /// Leaf number of each position.
    pub leaf_of: Vec<Option<usize>>,
    /// Kernel of each leaf (leaf number).
    pub kernels: Vec<Kernel>,
    /// Position, scale and integer-ness of each leaf (leaf number).
    pub leaf_plan: Vec<LeafPlan>,
    /// Hot path: points of outcomes and tiers at their leaf's scale.
    pub pts: Vec<Pt>,
    /// Hot path: tiers' inclusive limits.
    pub ranges: Vec<(i64, i64)>,
    /// Scale of each node's integers.
    pub scale: Vec<u32>,
    /// Whether each node is computed in integers when its values allow it.
    pub fixed: Vec<bool>,
    pub parents: Vec<Parent>,
    pub child: Vec<u32>,
    pub coef: Vec<i128>,
    /// `coef` as an `i64` (0 where it does not fit; then the parent is not narrow).
    pub coef64: Vec<i64>,
    /// Scale of each child's weight (weighted sums).
    pub wscale: Vec<u8>,
    /// Each node's maximum when every leaf applies.
    pub static_max: Vec<Option<Decimal>>,
    pub zero_if_missing: bool,
    pub rounding: bool,
    pub unverified: bool,
}

impl Plan {
    pub fn new(index: &Index) -> Plan {
        let nodes = index.nodes();
        let n = nodes.len();
        let leaves: Vec<usize> = (1..n).filter(|&i| nodes[i].is_leaf()).collect();
        let mut leaf_of = vec![None; n];
        for (k, &i) in leaves.iter().enumerate() {
            leaf_of[i] = Some(k);
        }
        let rounding = index.definition().policies.leaf_rounding.is_some();
        let round_scale = index
            .definition()
            .policies
            .leaf_rounding
            .as_ref()
            .map_or(0, |r| r.decimals);
        let compiled: Vec<(Kernel, u32)> =
            leaves.iter().map(|&i| leaf::compile(&nodes[i])).collect();
        let bounds: Vec<Decimal> = leaves
            .iter()
            .zip(&compiled)
            .map(|(&i, (k, _))| leaf::bound(k, &nodes[i]))
            .collect();
        // The largest extra scale for which the most nodes stay in integers.
        let mut best: Option<(usize, Layout)> = None;
        for extra in (0..=MAX_EXTRA_SCALE).rev() {
            let l = layout(index, &leaf_of, &compiled, &bounds, extra, round_scale);
            let count = l.fixed.iter().filter(|&&f| f).count();
            if best.as_ref().is_none_or(|b| count > b.0) {
                best = Some((count, l));
            }
        }
        let Layout {
            scale,
            fixed,
            narrow,
        } = best.map(|b| b.1).unwrap_or_default();
        let (mut pts, mut ranges) = (Vec::new(), Vec::new());
        let leaf_plan = leaves
            .iter()
            .zip(&compiled)
            .map(|(&i, (kernel, _))| {
                let eligible = fixed[i] && narrow[i] && !rounding;
                let h = hot::compile(kernel, scale[i], eligible, &mut pts, &mut ranges);
                LeafPlan {
                    node: i as u32,
                    scale: scale[i],
                    fixed: fixed[i],
                    narrow: narrow[i],
                    hot: h.kind,
                    cmp: h.cmp,
                    pts: h.pts,
                    ranges: h.ranges,
                    tiers: ranges.len() as u32 - h.ranges,
                }
            })
            .collect();
        let mut parents = Vec::new();
        let (mut child, mut coef, mut wscale) = (Vec::new(), Vec::new(), Vec::new());
        let mut coef64 = Vec::new();
        for i in (0..n).rev() {
            let node = &nodes[i];
            if node.is_leaf() {
                continue;
            }
            let weighted = !matches!(node.aggregation, Aggregation::Sum { .. });
            let from = child.len() as u32;
            let mut narrow_here = narrow[i];
            for (&c, &w) in node.children.iter().zip(&node.weights) {
                child.push(c as u32);
                let (k, ws) = if weighted {
                    (w.mantissa(), w.scale())
                } else {
                    (1, 0)
                };
                let shift = scale[i].saturating_sub(scale[c] + ws) as usize;
                let k = if fixed[i] {
                    k * POW10[shift.min(38)]
                } else {
                    0
                };
                coef.push(k);
                let k64 = i64::try_from(k).unwrap_or(0);
                narrow_here &= narrow[c] && i128::from(k64) == k;
                coef64.push(k64);
                wscale.push(ws.min(255) as u8);
            }
            parents.push(Parent {
                node: i as u32,
                from,
                to: child.len() as u32,
                fixed: fixed[i],
                weighted,
                narrow: fixed[i] && narrow_here,
            });
        }
        // Each node's maximum with every leaf applicable, as the engine aggregates it.
        let mut cells = vec![Cell::Missing; n];
        for &i in &leaves {
            cells[i] = Cell::Value {
                achieved: Decimal::ZERO,
                max: nodes[i].max,
            };
        }
        for i in (0..n).rev() {
            if !nodes[i].is_leaf() {
                cells[i] = combine(&nodes[i], &cells);
            }
        }
        let static_max = (0..n)
            .map(|i| {
                if nodes[i].is_leaf() {
                    nodes[i].max
                } else {
                    cells[i].max()
                }
            })
            .collect();
        Plan {
            leaves,
            leaf_of,
            kernels: compiled.into_iter().map(|(k, _)| k).collect(),
            leaf_plan,
            pts,
            ranges,
            scale,
            fixed,
            parents,
            child,
            coef,
            coef64,
            wscale,
            static_max,
            zero_if_missing: index.definition().policies.missing_value == MissingValuePolicy::Zero,
            rounding,
            unverified: index.has_unverified_maxima(),
        }
    }

    /// The exact value of node `i` in the integer state.
    pub fn fx_at(&self, sc: &Scratch, i: usize) -> Fx {
        let v = sc.v[i];
        let s = u32::from(v.s);
        let k = (self.scale[i] - s) as usize;
        let m = match i64::try_from(v.m) {
            // A 64-bit division when the integers allow it.
            Ok(m) if k <= 18 => i128::from(m / POW10[k] as i64),
            _ => v.m / POW10[k],
        };
        Fx { m, s }
    }
}

/// Per node: the scale of its integers, whether it is computed in integers, whether
/// those fit an `i64`.
#[derive(Debug, Default)]
struct Layout {
    scale: Vec<u32>,
    fixed: Vec<bool>,
    narrow: Vec<bool>,
}

/// Scales and integer-ness of every node when leaves get `extra` decimal places beyond
/// their constants.
fn layout(
    index: &Index,
    leaf_of: &[Option<usize>],
    compiled: &[(Kernel, u32)],
    bounds: &[Decimal],
    extra: u32,
    round_scale: u32,
) -> Layout {
    let nodes = index.nodes();
    let n = nodes.len();
    let mut scale = vec![0u32; n];
    let mut fixed = vec![false; n];
    let mut narrow = vec![false; n];
    let mut bound = vec![Decimal::ZERO; n];
    let fits_in = |b: Decimal, s: u32, limit: i128| -> bool {
        s <= MAX_SCALE
            && Fx::of(b).is_some_and(|b| {
                let whole = b.m / POW10[b.s as usize] + 1;
                whole
                    .checked_mul(POW10[s as usize])
                    .is_some_and(|x| x <= limit)
            })
    };
    let fits = |b: Decimal, s: u32| fits_in(b, s, MAX_MANTISSA);
    let fits64 = |b: Decimal, s: u32| fits_in(b, s, i128::from(i64::MAX));
    for i in (0..n).rev() {
        let node = &nodes[i];
        if let Some(k) = leaf_of[i] {
            let (kernel, s) = &compiled[k];
            scale[i] = (*s).max(round_scale).max(extra).min(MAX_SCALE);
            bound[i] = bounds[k];
            fixed[i] = !matches!(kernel, Kernel::Rule) && fits(bound[i], scale[i]);
            narrow[i] = fixed[i] && fits64(bound[i], scale[i]);
            continue;
        }
        if node.is_leaf() {
            continue; // the root without children
        }
        let weighted = !matches!(node.aggregation, Aggregation::Sum { .. });
        let mut ok = !node.aggregation.rescales()
            && !matches!(node.aggregation, Aggregation::WeightedMean { .. });
        let mut s = 0u32;
        let mut b = Some(Decimal::ZERO);
        for (&c, &w) in node.children.iter().zip(&node.weights) {
            ok &= fixed[c];
            let ws = if weighted { w.scale() } else { 0 };
            s = s.max(scale[c] + ws);
            let term = if weighted {
                bound[c].checked_mul(w.abs())
            } else {
                Some(bound[c])
            };
            b = b.zip(term).and_then(|(b, t)| b.checked_add(t));
        }
        scale[i] = s.min(MAX_SCALE);
        bound[i] = b.unwrap_or(Decimal::MAX);
        fixed[i] = ok && s <= MAX_SCALE && b.is_some_and(|b| fits(b, s));
        narrow[i] = fixed[i] && b.is_some_and(|b| fits64(b, s));
    }
    Layout {
        scale,
        fixed,
        narrow,
    }
}
