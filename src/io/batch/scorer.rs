//! The scorer: a plan for one index and one CSV header ([`Scorer::new`]), the row
//! [`Fields`] it reads and the [`Scored`] result of a unit. Scoring a row is in
//! [`super::row`] (general path) and [`super::fast`] (fixed-point fast path).

use super::error::{RowCode, RowError};
use super::fast::FastPlan;
use super::number::Norm;
use super::UNIT_TYPE_COLUMN;
use crate::engine::{Cell, Index};
use crate::index::AdjustmentKind;
use crate::node::Aggregation;
use crate::rule::Rule;
use crate::text::Lang;
use rust_decimal::Decimal;
use std::collections::HashMap;

#[derive(Debug, Clone)]
pub(super) struct LeafPlan {
    pub(super) node: usize,
    pub(super) column: usize,
    /// `score` rule: the number is the points (range-checked against the maximum).
    pub(super) fast_score: bool,
}

#[derive(Debug, Clone)]
pub(super) struct AdjPlan {
    pub(super) code: String,
    pub(super) column: usize,
    pub(super) kind: AdjustmentKind,
    pub(super) cap: Decimal,
}

/// The fields of one input row.
pub(crate) trait Fields {
    /// Number of fields.
    fn count(&self) -> usize;
    /// Field `i` (empty when absent).
    fn field(&self, i: usize) -> &[u8];
}

impl Fields for [&[u8]] {
    fn count(&self) -> usize {
        self.len()
    }
    fn field(&self, i: usize) -> &[u8] {
        self.get(i).copied().unwrap_or(b"")
    }
}

impl Fields for Vec<&[u8]> {
    fn count(&self) -> usize {
        self.len()
    }
    fn field(&self, i: usize) -> &[u8] {
        self.get(i).copied().unwrap_or(b"")
    }
}

impl Fields for csv::ByteRecord {
    fn count(&self) -> usize {
        self.len()
    }
    fn field(&self, i: usize) -> &[u8] {
        self.get(i).unwrap_or(b"")
    }
}

/// The scores of one unit (node points are in the scorer's cells).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scored {
    /// Total after adjustments (floored at 0), when the unit has one.
    pub total: Option<Decimal>,
    /// Percent of the applicable maximum.
    pub percent: Option<Decimal>,
    /// The applicable maximum (unit types can make it differ between units).
    pub max: Option<Decimal>,
    /// Position of the band in the index's `bands`.
    pub band: Option<usize>,
}

/// Scores CSV rows of one header against one index, reusing its buffers.
///
/// Leaves with a `score` rule are read straight into their cells (range-checked like
/// the rule does); every other rule goes through [`Rule::evaluate`]; parents are
/// formed by [`Index::aggregate`]. The result equals [`Index::score`] ([`View::Final`](crate::result::View::Final))
/// on [`Scorer::assessment`] of the same row (tested).
#[derive(Debug, Clone)]
pub(crate) struct Scorer<'a> {
    pub(super) index: &'a Index,
    pub(super) lang: Lang,
    pub(super) unit_column: usize,
    pub(super) block_column: Option<usize>,
    /// The optional `unit_type` column.
    pub(super) unit_type_column: Option<usize>,
    /// Per declared unit type (the index's order), the nodes it leaves out.
    pub(super) excluded: Vec<Vec<bool>>,
    pub(super) leaves: Vec<LeafPlan>,
    pub(super) adjustments: Vec<AdjPlan>,
    pub(super) cells: Vec<Cell>,
    pub(super) width: usize,
    /// Every parent is a plain sum: aggregate without the (unit) weights.
    pub(super) plain_sums: bool,
    /// Input column of each leaf node (`usize::MAX` for parents).
    pub(super) column_of: Vec<usize>,
    /// Whether each node's cell was read straight from its text in the last row.
    pub(super) from_text: Vec<Option<Norm>>,
    /// Applicable maximum of each parent when every leaf has a value (plain sums).
    pub(super) static_max: Vec<Option<Decimal>>,
    /// Scratch for [`aggregate_fixed`].
    pub(super) sums: Vec<(i128, u32)>,
    /// Decimals of the index's leaf rounding when it is half up ([`super::fast::fixed_proportional`]).
    pub(super) half_up_dp: Option<u32>,
    /// Plan of [`Scorer::fast_row`], when the index and the header allow it.
    pub(super) fast: Option<FastPlan>,
    /// Where each leaf's field lies in the line of the last [`Scorer::fast_row`].
    pub(super) spans: Vec<(usize, usize)>,
    /// The text of the last [`Scorer::fast_row`], formed with fixed-size copies.
    pub(super) row: Vec<u8>,
    /// The fast rows' node sums, not yet in the part's means.
    pub(super) fast_means: super::fast::FastMeans,
    /// Scratch of [`Scorer::one_scale_row`].
    pub(super) one: super::kernel::Scratch,
}

impl<'a> Scorer<'a> {
    /// Plans the columns of `header`. Errors: no `unit` column, a leaf without a
    /// column, an unknown or duplicated column.
    pub fn new(index: &'a Index, header: &[&str], lang: Lang) -> Result<Scorer<'a>, Vec<RowError>> {
        let mut errors = Vec::new();
        let mut unit_column = None;
        let mut block_column = None;
        let mut unit_type_column = None;
        let mut by_node: HashMap<usize, usize> = HashMap::new();
        let mut adjustments = Vec::new();
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (c, raw) in header.iter().enumerate() {
            let name = raw.trim();
            if name.is_empty() {
                errors.push(RowError::new(
                    1,
                    None,
                    None,
                    RowCode::BadHeader,
                    lang,
                    |l| match l {
                        Lang::Vi => {
                            format!("cột thứ {} không có tên: hãy đặt tên hoặc xóa cột", c + 1)
                        }
                        Lang::En => format!("column {} has no name: name it or delete it", c + 1),
                    },
                ));
                continue;
            }
            if let Some(first) = seen.insert(name, c) {
                // Never a silent choice between the two: name both.
                errors.push(RowError::new(
                    1,
                    Some(name),
                    None,
                    RowCode::BadHeader,
                    lang,
                    |l| match l {
                        Lang::Vi => format!(
                            "cột bị trùng: cột thứ {} và cột thứ {} cùng tên; mỗi tiêu chí chỉ được có một cột",
                            first + 1,
                            c + 1
                        ),
                        Lang::En => format!(
                            "duplicate column: columns {} and {} have the same name; give each criterion one column",
                            first + 1,
                            c + 1
                        ),
                    },
                ));
                continue;
            }
            match name {
                "unit" => unit_column = Some(c),
                "block" => block_column = Some(c),
                UNIT_TYPE_COLUMN => unit_type_column = Some(c),
                _ => match index.position(name).filter(|&p| p != 0) {
                    Some(p) if index.nodes()[p].is_leaf() => {
                        by_node.insert(p, c);
                    }
                    Some(_) => errors.push(RowError::new(
                        1,
                        Some(name),
                        None,
                        RowCode::BadHeader,
                        lang,
                        |l| l.pick("là tiêu chí cha: điểm được tính từ các tiêu chí con, không nhập", "is a parent criterion: its points are computed from its children, not entered").to_owned(),
                    )),
                    None => match index.definition().adjustments.iter().find(|a| a.code == name) {
                        Some(a) => adjustments.push(AdjPlan { code: a.code.clone(), column: c, kind: a.kind, cap: a.cap }),
                        None => errors.push(RowError::new(
                            1,
                            Some(name),
                            None,
                            RowCode::UnknownColumn,
                            lang,
                            |l| l.pick("không phải mã tiêu chí lá của bộ chỉ số", "is not a leaf code of the index").to_owned(),
                        )),
                    },
                },
            }
        }
        if unit_column.is_none() {
            errors.push(RowError::new(
                1,
                Some("unit"),
                None,
                RowCode::MissingColumns,
                lang,
                |l| {
                    l.pick("thiếu cột tên đơn vị", "the unit name column is missing")
                        .to_owned()
                },
            ));
        }
        let mut leaves = Vec::new();
        let mut absent = Vec::new();
        for p in index.leaves() {
            let node = &index.nodes()[p];
            match by_node.get(&p) {
                Some(&column) => leaves.push(LeafPlan {
                    node: p,
                    column,
                    fast_score: matches!(node.rule, Some(Rule::Score { .. })),
                }),
                None => absent.push(node.code.clone()),
            }
        }
        if !absent.is_empty() {
            errors.push(RowError::new(
                1,
                None,
                None,
                RowCode::MissingColumns,
                lang,
                |l| match l {
                    Lang::Vi => format!("thiếu cột cho tiêu chí: {}", absent.join(", ")),
                    Lang::En => format!("no column for criteria: {}", absent.join(", ")),
                },
            ));
        }
        adjustments.sort_by_key(|a: &AdjPlan| {
            index
                .definition()
                .adjustments
                .iter()
                .position(|x| x.code == a.code)
        });
        let mut full = vec![Cell::Missing; index.nodes().len()];
        for p in index.leaves() {
            full[p] = Cell::Value {
                achieved: Decimal::ZERO,
                max: index.nodes()[p].max,
            };
        }
        index.aggregate(&mut full);
        let static_max = full.iter().map(Cell::max).collect();
        let mut column_of = vec![usize::MAX; index.nodes().len()];
        for l in &leaves {
            column_of[l.node] = l.column;
        }
        let plain_sums = index.nodes().iter().all(|n| {
            n.is_leaf()
                || matches!(
                    n.aggregation,
                    Aggregation::Sum {
                        rescale_to_max: false
                    }
                )
        });
        let fast = (plain_sums
            && adjustments.is_empty()
            && !index.has_unverified_maxima()
            && unit_type_column.is_none()
            && leaves.iter().all(|l| l.fast_score))
        .then(|| FastPlan::new(index, header.len(), &leaves, block_column))
        .flatten();
        match unit_column {
            Some(unit_column) if errors.is_empty() => Ok(Scorer {
                index,
                lang,
                unit_column,
                block_column,
                unit_type_column,
                excluded: index
                    .definition()
                    .unit_types
                    .iter()
                    .map(|t| index.excluded(Some(&t.code)))
                    .collect(),
                leaves,
                adjustments,
                cells: vec![Cell::Missing; index.nodes().len()],
                width: header.len(),
                column_of,
                from_text: vec![None; index.nodes().len()],
                static_max,
                sums: vec![(0, 0); index.nodes().len()],
                plain_sums,
                half_up_dp: index
                    .definition()
                    .policies
                    .leaf_rounding
                    .as_ref()
                    .filter(|r| r.mode == crate::display::Rounding::HalfUp && r.decimals <= 18)
                    .map(|r| r.decimals),
                fast,
                spans: vec![(0, 0); index.nodes().len()],
                row: Vec::new(),
                fast_means: Default::default(),
                one: Default::default(),
            }),
            _ => Err(errors),
        }
    }

    /// Whether the header has a `block` column.
    pub fn has_blocks(&self) -> bool {
        self.block_column.is_some()
    }

    /// The cells of the last scored row, in [`Index::nodes`] order (root first).
    pub fn cells(&self) -> &[Cell] {
        &self.cells
    }
}
