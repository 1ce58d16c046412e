//! The root's points after one leaf's points change, without re-aggregating the tree.
//!
//! The planner weighs every improvement of every leaf by its effect on the total. A full
//! [`Index::aggregate`] per improvement costs the whole tree each time — quadratic in the
//! number of leaves (20,000 leaves: minutes). Only the leaf's ancestors change, and each
//! of them only through one child, so [`Gains::root_with`] walks up the path and
//! recomputes each ancestor from its stored parts in O(1).
//!
//! **Same numbers as the engine, not approximately.** A parent's points are the sum of
//! its children's terms (points, or weight × points), added one by one as `Decimal`s,
//! then divided (weighted mean) and rescaled. When the terms' magnitudes, summed at the
//! largest scale among them, fit a `Decimal`'s 96-bit mantissa, no addition rounds: the
//! engine's sum is the exact sum at that scale, whatever the order. Each parent keeps that
//! exact sum as an integer (`i128`) and the largest scales of its terms, so replacing one
//! term gives the new exact sum — the very `Decimal` (value and scale) the engine's
//! additions give; the division and rescaling that follow are the engine's own
//! operations on the same operands. Where that condition does not hold (a sum that would
//! round, a term that does not fit) the parent is recomputed with the engine's
//! [`combine`] from its children: exact, O(children). A property test keeps
//! [`Gains::root_with`] equal to a full aggregation.

use crate::engine::{combine, Cell, FlatNode, Index};
use crate::node::Aggregation;
use rust_decimal::Decimal;

/// Largest mantissa of a `Decimal` (2⁹⁶ − 1).
const MANTISSA_MAX: i128 = (1i128 << 96) - 1;

/// The parts of one parent's aggregation that a one-child change needs.
#[derive(Debug, Clone, Copy)]
struct Parts {
    /// Σ of the children's terms, as a mantissa at `scale`.
    sum: i128,
    /// Σ of the terms' magnitudes at `scale` (bounds every partial sum).
    abs: i128,
    /// The largest scale among the terms.
    scale: u32,
    /// How many terms have that scale.
    at_scale: u32,
    /// The largest scale below `scale` among the terms (0 when none).
    next_scale: u32,
    /// Σ of the weights of the children with points (weighted mean).
    wsum: Decimal,
    /// The maximum before rescaling (after the weighted mean's division).
    max: Option<Decimal>,
}

/// A term's mantissa brought to scale `to` (≥ its own), when it fits an `i128`.
fn at_scale(d: Decimal, to: u32) -> Option<i128> {
    let up = to.checked_sub(d.scale())?;
    d.mantissa().checked_mul(10i128.checked_pow(up)?)
}

/// The term a child with `achieved` points and weight `w` adds to its parent's sum, as
/// the engine's [`combine`] forms it.
fn term(n: &FlatNode, w: Decimal, achieved: Decimal) -> Option<Decimal> {
    if matches!(n.aggregation, Aggregation::Sum { .. }) {
        Some(achieved)
    } else {
        w.checked_mul(achieved)
    }
}

impl Parts {
    /// The parts of parent `n` over `cells`, when every child has points or is not
    /// applicable and the exact sum fits (else `None`: the general path).
    fn of(n: &FlatNode, cells: &[Cell]) -> Option<Parts> {
        let mut terms = Vec::with_capacity(n.children.len());
        let mut wsum = Decimal::ZERO;
        let mut max_sum = Some(Decimal::ZERO);
        let plain = matches!(n.aggregation, Aggregation::Sum { .. });
        for (&c, &w) in n.children.iter().zip(&n.weights) {
            match cells[c] {
                Cell::NotApplicable => {}
                Cell::Missing => return None,
                Cell::Value { achieved, max } => {
                    terms.push(term(n, w, achieved)?);
                    wsum = wsum.checked_add(w)?;
                    max_sum = match (max_sum, max) {
                        (Some(s), Some(m)) if plain => Some(s.checked_add(m)?),
                        (Some(s), Some(m)) => Some(s.checked_add(w.checked_mul(m)?)?),
                        _ => None,
                    };
                }
            }
        }
        if terms.is_empty() {
            return None;
        }
        let scale = terms.iter().map(|t| t.scale()).max()?;
        let at = terms.iter().filter(|t| t.scale() == scale).count();
        let next_scale = terms
            .iter()
            .map(|t| t.scale())
            .filter(|&s| s < scale)
            .max()
            .unwrap_or(0);
        let (mut sum, mut abs) = (0i128, 0i128);
        for t in &terms {
            let m = at_scale(*t, scale)?;
            sum = sum.checked_add(m)?;
            abs = abs.checked_add(m.checked_abs()?)?;
        }
        if abs > MANTISSA_MAX {
            return None;
        }
        let max = match (&n.aggregation, max_sum) {
            (Aggregation::WeightedMean { .. }, Some(m)) if !wsum.is_zero() => {
                Some(m.checked_div(wsum)?)
            }
            _ => max_sum,
        };
        Some(Parts {
            sum,
            abs,
            scale,
            at_scale: u32::try_from(at).ok()?,
            next_scale,
            wsum,
            max,
        })
    }

    /// The parent's points when one term changes from `old` to `new`, as the engine
    /// computes them; `None` when the exact update does not apply.
    fn with(&self, n: &FlatNode, old: Decimal, new: Decimal) -> Option<Decimal> {
        let others_scale = if old.scale() == self.scale && self.at_scale == 1 {
            self.next_scale
        } else {
            self.scale
        };
        let scale = others_scale.max(new.scale());
        let old_m = at_scale(old, self.scale)?;
        let mut others = self.sum.checked_sub(old_m)?;
        let mut others_abs = self.abs.checked_sub(old_m.checked_abs()?)?;
        if scale < self.scale {
            // Every other term has a scale ≤ `scale`: the division is exact.
            let f = 10i128.checked_pow(self.scale - scale)?;
            if others % f != 0 || others_abs % f != 0 {
                return None;
            }
            others /= f;
            others_abs /= f;
        } else if scale > self.scale {
            let f = 10i128.checked_pow(scale - self.scale)?;
            others = others.checked_mul(f)?;
            others_abs = others_abs.checked_mul(f)?;
        }
        let new_m = at_scale(new, scale)?;
        let sum = others.checked_add(new_m)?;
        let abs = others_abs.checked_add(new_m.checked_abs()?)?;
        if abs > MANTISSA_MAX {
            return None;
        }
        let sum = Decimal::try_from_i128_with_scale(sum, scale).ok()?;
        // The engine's steps after the sum, on the same operands.
        let mut achieved = match n.aggregation {
            Aggregation::WeightedMean { .. } if !self.wsum.is_zero() => {
                sum.checked_div(self.wsum)?
            }
            _ => sum,
        };
        if n.aggregation.rescales() {
            if let (Some(target), Some(m)) = (n.max, self.max) {
                if !m.is_zero() {
                    achieved = achieved.checked_div(m)?.checked_mul(target)?;
                }
            }
        }
        Some(achieved)
    }
}

/// The base cells of one assessment and what one-leaf changes need.
pub(super) struct Gains<'a> {
    nodes: &'a [FlatNode],
    base: &'a [Cell],
    parts: Vec<Option<Parts>>,
    /// A copy of `base` for the general path (restored after each use).
    work: Vec<Cell>,
}

impl<'a> Gains<'a> {
    /// Prepares the parts of every parent of `index` over `base` (the aggregated cells).
    pub(super) fn new(index: &'a Index, base: &'a [Cell]) -> Gains<'a> {
        let nodes = index.nodes();
        let parts = nodes
            .iter()
            .map(|n| {
                if n.children.is_empty() {
                    None
                } else {
                    Parts::of(n, base)
                }
            })
            .collect();
        Gains {
            nodes,
            base,
            parts,
            work: base.to_vec(),
        }
    }

    /// The root's cell when the leaf at `leaf` has the cell `cell` instead of its base
    /// cell, every other leaf as in the base: what [`Index::aggregate`] would give.
    pub(super) fn root_with(&mut self, leaf: usize, cell: Cell) -> Cell {
        let mut child = leaf;
        let mut now = cell;
        while let Some(p) = self.nodes.get(child).and_then(|n| n.parent) {
            let n = &self.nodes[p];
            let fast = match (self.parts[p], self.base[child], now, self.base[p]) {
                (
                    Some(parts),
                    Cell::Value {
                        achieved: old,
                        max: old_max,
                    },
                    Cell::Value { achieved, max },
                    Cell::Value { max: p_max, .. },
                ) if old_max == max => {
                    let w = n
                        .children
                        .iter()
                        .position(|&c| c == child)
                        .and_then(|k| n.weights.get(k).copied());
                    w.and_then(|w| {
                        let (o, t) = (term(n, w, old)?, term(n, w, achieved)?);
                        parts.with(n, o, t)
                    })
                    .map(|a| Cell::Value {
                        achieved: a,
                        max: p_max,
                    })
                }
                _ => None,
            };
            now = match fast {
                Some(c) => c,
                None => {
                    self.work[child] = now;
                    let c = combine(n, &self.work);
                    self.work[child] = self.base[child];
                    c
                }
            };
            child = p;
        }
        now
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use proptest::prelude::*;

    /// A tree of `sections` parents under the root, with `aggregation` at every parent;
    /// leaf maxima and points from the strategy.
    fn index(aggregation: &str, rescale: bool, leaves: &[Vec<(u32, u32)>]) -> Index {
        let mut nodes = Vec::new();
        for (s, ls) in leaves.iter().enumerate() {
            let children: Vec<String> = ls
                .iter()
                .enumerate()
                .map(|(i, (max, _))| {
                    format!(
                        r#"{{"code":"L{s}.{i}","title":{{"vi":"l"}},"max_points":"{}","rule":{{"type":"score"}}}}"#,
                        Decimal::new(i64::from(*max), 2)
                    )
                })
                .collect();
            let weights: Vec<String> = (0..ls.len())
                .map(|i| format!(r#""L{s}.{i}":"{}""#, i % 3 + 1))
                .collect();
            let agg = match aggregation {
                "sum" => format!(r#"{{"method":"sum","rescale_to_max":{rescale}}}"#),
                m => format!(
                    r#"{{"method":"{m}","weights":{{{}}},"rescale_to_max":{rescale}}}"#,
                    weights.join(",")
                ),
            };
            let max: u32 = ls.iter().map(|(m, _)| m).sum();
            let max = if rescale {
                "7".to_owned()
            } else {
                Decimal::new(i64::from(max), 2).to_string()
            };
            let max = if aggregation == "sum" || rescale {
                format!(r#","max_points":"{max}""#)
            } else {
                String::new()
            };
            nodes.push(format!(
                r#"{{"code":"S{s}","title":{{"vi":"s"}}{max},"aggregation":{agg},"children":[{}]}}"#,
                children.join(",")
            ));
        }
        let text = format!(
            r#"{{"format":"chiso.index/1","id":"g","title":{{"vi":"G"}},"version":"1","legal_basis":[],
            "unit_levels":["province"],"years":{{"from":2024}},"completeness":"example","nodes":[{}]}}"#,
            nodes.join(",")
        );
        Index::from_json(&text).unwrap()
    }

    fn cells(index: &Index, leaves: &[Vec<(u32, u32)>], thirds: bool) -> Vec<Cell> {
        let mut cells = vec![Cell::Missing; index.nodes().len()];
        let flat: Vec<(u32, u32)> = leaves.iter().flatten().copied().collect();
        for (k, p) in index.leaves().enumerate() {
            let (max, pts) = flat[k];
            let max = Decimal::new(i64::from(max), 2);
            let mut achieved = Decimal::new(i64::from(pts.min(max.mantissa() as u32)), 2);
            if thirds && k % 2 == 0 {
                // A 28-digit value, as a proportional rule gives (max × n/d).
                achieved = (achieved / Decimal::from(3)).min(max);
            }
            cells[p] = Cell::Value {
                achieved,
                max: Some(max),
            };
        }
        index.aggregate(&mut cells);
        cells
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        /// Every one-leaf change gives the root a full aggregation gives, value and scale.
        #[test]
        fn root_with_equals_full_aggregation(
            leaves in proptest::collection::vec(proptest::collection::vec((1u32..400, 0u32..400), 1..6), 1..5),
            agg in proptest::sample::select(vec!["sum", "weighted_sum", "weighted_mean"]),
            rescale in any::<bool>(),
            thirds in any::<bool>(),
            new_points in proptest::collection::vec(0u32..400, 1..8),
        ) {
            let rescale = rescale && agg != "weighted_sum";
            let index = index(agg, rescale, &leaves);
            let base = cells(&index, &leaves, thirds);
            let mut g = Gains::new(&index, &base);
            for (k, leaf) in index.leaves().enumerate() {
                let Cell::Value { max, .. } = base[leaf] else { continue };
                let p = new_points[k % new_points.len()];
                let mut achieved = Decimal::new(i64::from(p), 2).min(max.unwrap());
                if thirds && p % 2 == 1 {
                    achieved /= Decimal::from(7);
                }
                let cell = Cell::Value { achieved, max };
                let mut full = base.clone();
                full[leaf] = cell;
                index.aggregate(&mut full);
                let fast = g.root_with(leaf, cell);
                prop_assert_eq!(fast, full[0]);
                prop_assert_eq!(fast.achieved().map(|d| d.scale()), full[0].achieved().map(|d| d.scale()));
            }
        }
    }
}
