//! Maxima that only an assessment's values can break: a node whose declared maximum
//! validation could not check, because some child below it has no known maximum (the
//! `score` leaves of a frame whose area maxima are not published, under a total of 100).

use super::{Cell, FlatNode, Index};
use crate::diagnostics::{Diagnostic, Diagnostics, Problem};

impl Index {
    /// Points above a declared maximum that validation could not check: a node whose
    /// children's maxima are unknown (the `score` leaves of a frame whose area maxima are
    /// not published, under a total of 100) must still not score more than it declares.
    /// One error per such node, at `$` of the assessment, with the node's code (none for
    /// the total). Every
    /// scoring path of the library runs this after aggregating `cells` (one per node, as
    /// for [`Index::aggregate`]); on other nodes validation proves it cannot happen.
    ///
    /// ```
    /// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/criteria/par-index/national-876-2022-province-structure.json");
    /// let index = chiso::Index::from_file(path.as_ref()).unwrap();
    /// let mut cells = vec![chiso::Cell::Missing; index.nodes().len()];
    /// for leaf in index.leaves().collect::<Vec<_>>() {
    ///     cells[leaf] = chiso::Cell::Value { achieved: 15.into(), max: None }; // 8 areas × 15
    /// }
    /// index.aggregate(&mut cells);
    /// let errors = index.points_above_declared_max(&cells);
    /// assert_eq!(errors.len(), 1);
    /// assert!(errors.render(chiso::Lang::En).contains("120 points exceed the maximum of 100"));
    /// ```
    pub fn points_above_declared_max(&self, cells: &[Cell]) -> Diagnostics {
        self.check_unverified_maxima(cells)
    }

    /// Whether some parent's maximum could not be proven by validation, so that
    /// [`Index::points_above_declared_max`] must run after each aggregation (fast paths
    /// that skip it are only for indexes where this is false).
    pub(crate) fn has_unverified_maxima(&self) -> bool {
        !self.unverified.is_empty()
    }

    fn check_unverified_maxima(&self, cells: &[Cell]) -> Diagnostics {
        let mut out = Diagnostics::default();
        for &p in &self.unverified {
            let node = &self.nodes[p];
            let (Some(max), Some(points)) = (node.max, cells.get(p).and_then(Cell::achieved))
            else {
                continue;
            };
            if points > max {
                // The values of the assessment break it: located in the assessment, at
                // its root, with the criterion's code.
                out.push(Diagnostic::error(
                    "$",
                    (p != 0).then_some(node.code.as_str()),
                    Problem::PointsAboveMax {
                        what:
                            "the sub-criteria's points added up / tổng điểm các tiêu chí thành phần"
                                .into(),
                        points,
                        max,
                    },
                ));
            }
        }
        out
    }
}

/// Parents with a declared maximum (not rescaled) below which some child has no known
/// maximum: neither declared nor implied by its rule or its own children.
pub(super) fn unverified_maxima(nodes: &[FlatNode]) -> Vec<usize> {
    // Pre-order: children come after their parent, so a reverse sweep sees them first.
    let mut known = vec![false; nodes.len()];
    let mut out = Vec::new();
    for i in (0..nodes.len()).rev() {
        let n = &nodes[i];
        known[i] = if n.is_leaf() {
            n.max.is_some() || n.rule.as_ref().and_then(|r| r.most_points(None)).is_some()
        } else {
            let children = n.children.iter().all(|&c| known[c]);
            if n.max.is_some() && !children && !n.aggregation.rescales() {
                out.push(i);
            }
            n.max.is_some() || children
        };
    }
    out.reverse();
    out
}
