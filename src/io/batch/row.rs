//! Scoring one row on the general path: every rule through [`Rule::evaluate`] (a plain
//! number of a `score` leaf and `proportional` text read directly), parents by
//! [`Index::aggregate`] (or integer sums, [`super::fast`]); the assessment a row stands for.

use super::error::{RowCode, RowError};
use super::fast::{aggregate_fixed, fast_proportional, fixed_proportional};
use super::leaf::{leaf_input, number, LeafInput};
use super::number::parse_number;
use super::scorer::{Fields, LeafPlan, Scored, Scorer};
use super::UNIT_TYPE_COLUMN;
use crate::assessment::{Assessment, Entry, LayerEntry, NotApplicable, Unit, Value};
use crate::engine::{Cell, Index};
use crate::index::MissingValuePolicy;
use crate::node::Channel;
use crate::rule::{Outcome, Rule};
use crate::text::Lang;
use rust_decimal::Decimal;

#[cfg(test)]
thread_local! {
    /// Rows whose parents were summed in integers ([`aggregate_fixed`]), for the tests
    /// that must reach that path.
    pub(super) static FIXED_SUMS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

impl<'a> Scorer<'a> {
    /// Scores one row. `row` is its line number (for messages); errors list every bad cell.
    pub fn score_row<F: Fields + ?Sized>(
        &mut self,
        row: u64,
        fields: &F,
    ) -> Result<Scored, Vec<RowError>> {
        let index = self.index;
        let nodes = index.nodes();
        let lang = self.lang;
        let mut errors = Vec::new();
        if fields.count() != self.width {
            errors.push(RowError::new(
                row,
                None,
                None,
                RowCode::WrongWidth,
                lang,
                |l| match l {
                    Lang::Vi => {
                        format!("có {} cột, dòng tiêu đề có {}", fields.count(), self.width)
                    }
                    Lang::En => format!(
                        "has {} fields, the header has {}",
                        fields.count(),
                        self.width
                    ),
                },
            ));
            return Err(errors);
        }
        if fields
            .field(self.unit_column)
            .iter()
            .all(u8::is_ascii_whitespace)
        {
            errors.push(RowError::new(
                row,
                Some("unit"),
                None,
                RowCode::EmptyUnit,
                lang,
                |l| {
                    l.pick("tên đơn vị trống", "the unit name is empty")
                        .to_owned()
                },
            ));
        }
        let unit_type = self.unit_type_of(fields).unwrap_or_else(|(text, p)| {
            errors.push(RowError::new(
                row,
                Some(UNIT_TYPE_COLUMN),
                Some(&text),
                RowCode::UnknownUnitType,
                lang,
                |l| p.message(l),
            ));
            None
        });
        let policy = index.definition().policies.missing_value;
        for li in 0..self.leaves.len() {
            let LeafPlan {
                node,
                column,
                fast_score,
            } = self.leaves[li];
            let n = &nodes[node];
            let raw = fields.field(column);
            // Not applicable to the unit's type: no points, no maximum.
            if let Some(k) = unit_type.filter(|&k| self.excluded[k][node]) {
                if self.excluded_cell(k, raw, lang).is_err() {
                    let text = String::from_utf8_lossy(raw);
                    errors.push(RowError::new(
                        row,
                        Some(&n.code),
                        Some(&text),
                        RowCode::NotApplicable,
                        lang,
                        |l| self.excluded_cell(k, raw, l).err().unwrap_or_default(),
                    ));
                }
                self.cells[node] = Cell::NotApplicable;
                self.from_text[node] = None;
                continue;
            }
            // Fast path: a plain number for a `score` leaf.
            if fast_score {
                if let Some((x, within, norm)) = parse_number(raw) {
                    let in_range = match n.max {
                        Some(m) => x >= Decimal::ZERO && x <= m,
                        None => true,
                    };
                    // Anything else goes through the rule for its own message.
                    if in_range && within {
                        // The index's leaf rounding; the text is written as read only
                        // when the rounding leaves the value as it is.
                        let achieved = index.round_leaf(x);
                        self.cells[node] = Cell::Value {
                            achieved,
                            max: n.max,
                        };
                        self.from_text[node] = (achieved == x).then_some(norm);
                        continue;
                    }
                }
            }
            self.from_text[node] = None;
            if let Some(Rule::Proportional {
                threshold_percent,
                gate,
                zero_denominator,
                ..
            }) = &n.rule
            {
                let fixed = match (self.half_up_dp, n.max, gate) {
                    (Some(dp), Some(m), None) => fixed_proportional(raw, m, *threshold_percent, dp),
                    _ => None,
                };
                if let Some(achieved) = fixed {
                    self.cells[node] = Cell::Value {
                        achieved,
                        max: n.max,
                    };
                    continue;
                }
                if let Some(cell) = fast_proportional(
                    raw,
                    n.max,
                    *threshold_percent,
                    gate.as_ref(),
                    *zero_denominator,
                ) {
                    self.cells[node] = match cell {
                        Cell::Value { achieved, max } => Cell::Value {
                            achieved: index.round_leaf(achieved),
                            max,
                        },
                        other => other,
                    };
                    continue;
                }
            }
            let cell = match self.slow_leaf(node, raw, lang) {
                Ok(c) => c,
                Err(_) => {
                    errors.push(RowError::new(
                        row,
                        Some(&n.code),
                        Some(&String::from_utf8_lossy(raw)),
                        RowCode::UnreadableValue,
                        lang,
                        |l| self.slow_leaf(node, raw, l).err().unwrap_or_default(),
                    ));
                    continue;
                }
            };
            self.cells[node] = match cell {
                None => match policy {
                    MissingValuePolicy::Zero => Cell::Value {
                        achieved: Decimal::ZERO,
                        max: n.max,
                    },
                    MissingValuePolicy::Propagate => Cell::Missing,
                },
                Some(c) => c,
            };
        }
        // Signed adjustment points in the index's order (the engine's order of additions).
        let mut adj: Vec<Decimal> = Vec::new();
        for a in &self.adjustments {
            let raw = fields.field(a.column);
            let s = String::from_utf8_lossy(raw);
            if s.trim().is_empty() {
                continue;
            }
            match number(s.trim(), lang) {
                Ok(p) if !p.is_sign_negative() && p <= a.cap || p.is_zero() => {
                    adj.push(a.kind.signed(p))
                }
                Ok(p) => {
                    let problem = crate::diagnostics::Problem::OutOfRange {
                        value: p,
                        range: format!("0 – {}", crate::display::plain(a.cap, Lang::Vi)),
                    };
                    errors.push(RowError::new(
                        row,
                        Some(&a.code),
                        Some(&s),
                        RowCode::PointsAboveMax,
                        lang,
                        |l| problem.message(l),
                    ));
                }
                Err(_) => errors.push(RowError::new(
                    row,
                    Some(&a.code),
                    Some(&s),
                    RowCode::UnreadableValue,
                    lang,
                    |l| number(s.trim(), l).err().unwrap_or_default(),
                )),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        // Integer sums whenever every leaf has a value (`aggregate_fixed` checks).
        if self.plain_sums
            && aggregate_fixed(
                index.nodes(),
                &mut self.cells,
                &self.static_max,
                &mut self.sums,
            )
        {
            // done: integer sums
            #[cfg(test)]
            FIXED_SUMS.with(|n| n.set(n.get() + 1));
        } else {
            index.aggregate(&mut self.cells);
        }
        // A parent whose maximum validation could not prove (a child without a known
        // maximum): the row's values can break it, as in `Index::score`.
        let above = index.points_above_declared_max(&self.cells);
        if !above.is_empty() {
            return Err(above
                .0
                .iter()
                .map(|d| {
                    RowError::new(
                        row,
                        d.code.as_deref(),
                        None,
                        RowCode::PointsAboveMax,
                        lang,
                        |l| d.problem.message(l),
                    )
                })
                .collect());
        }
        Ok(self.finish(&adj))
    }

    /// Total, percent and band from the aggregated cells and the adjustment sum.
    pub(super) fn finish(&self, adj: &[Decimal]) -> Scored {
        finish(self.index, self.cells[0], adj)
    }

    /// The declared unit type a row names in its `unit_type` cell (its position in the
    /// index's `unit_types`); `None` without the column or with an empty cell. Errors give
    /// the text and the message (an unknown type).
    pub(super) fn unit_type_of<F: Fields + ?Sized>(
        &self,
        fields: &F,
    ) -> Result<Option<usize>, (String, crate::diagnostics::Problem)> {
        let Some(c) = self.unit_type_column else {
            return Ok(None);
        };
        let text = String::from_utf8_lossy(fields.field(c));
        let t = text.trim();
        if t.is_empty() {
            return Ok(None);
        }
        let types = &self.index.definition().unit_types;
        match types.iter().position(|x| x.code == t) {
            Some(k) => Ok(Some(k)),
            None => Err((
                t.to_owned(),
                crate::diagnostics::Problem::UnknownUnitType {
                    unit_type: t.to_owned(),
                    allowed: types.iter().map(|x| x.code.clone()).collect(),
                },
            )),
        }
    }

    /// A cell of a leaf that does not apply to the unit type at `k`: empty or `n/a`;
    /// a value is an error (it would be ignored, and a batch has no warnings).
    pub(super) fn excluded_cell(&self, k: usize, raw: &[u8], lang: Lang) -> Result<(), String> {
        let text = String::from_utf8_lossy(raw);
        let t = text.trim();
        if t.is_empty() || t.eq_ignore_ascii_case("n/a") {
            return Ok(());
        }
        let code = self
            .index
            .definition()
            .unit_types
            .get(k)
            .map_or("", |x| x.code.as_str());
        Err(match lang {
            Lang::Vi => format!(
                "không áp dụng cho loại đơn vị \"{code}\" (bộ chỉ số khai báo): để trống hoặc ghi n/a"
            ),
            Lang::En => format!(
                "does not apply to the unit type \"{code}\" (declared by the index): leave it empty or write n/a"
            ),
        })
    }

    /// `Ok(None)` = missing.
    pub(super) fn slow_leaf(
        &self,
        node: usize,
        raw: &[u8],
        lang: Lang,
    ) -> Result<Option<Cell>, String> {
        let n = &self.index.nodes()[node];
        let Some(rule) = &n.rule else { return Ok(None) };
        let s = std::str::from_utf8(raw).map_err(|_| {
            lang.pick("không phải UTF-8", "is not valid UTF-8")
                .to_owned()
        })?;
        match leaf_input(rule, s, lang)? {
            LeafInput::Missing => Ok(None),
            LeafInput::NotApplicable => Ok(Some(Cell::NotApplicable)),
            LeafInput::Value(v) => match rule.evaluate(n.max, &v) {
                Ok(Outcome::Scored { points, .. }) => Ok(Some(Cell::Value {
                    achieved: self.index.round_leaf(points),
                    max: n.max,
                })),
                Ok(Outcome::NotApplicable { .. }) => Ok(Some(Cell::NotApplicable)),
                Err(p) => Err(p.message(lang)),
            },
        }
    }

    /// The assessment a row stands for (see the module docs); `Index::score` of it with
    /// [`View::Final`](crate::result::View::Final) gives the same points as [`Scorer::score_row`].
    pub fn assessment<F: Fields + ?Sized>(&self, fields: &F) -> Result<Assessment, String> {
        self.assessment_in(fields, self.lang)
    }

    /// [`Scorer::assessment`] with its error in `lang`.
    pub(super) fn assessment_in<F: Fields + ?Sized>(
        &self,
        fields: &F,
        lang: Lang,
    ) -> Result<Assessment, String> {
        let index = self.index;
        let text_of = |c: usize| String::from_utf8_lossy(fields.field(c)).trim().to_owned();
        let mut a = Assessment {
            format: crate::assessment::ASSESSMENT_FORMAT.into(),
            index: index.definition().id.clone(),
            unit: Unit {
                name: text_of(self.unit_column),
                id: None,
                block: self.block_column.map(text_of).filter(|b| !b.is_empty()),
            },
            ..Default::default()
        };
        let unit_type = self
            .unit_type_of(fields)
            .map_err(|(_, p)| p.message(lang))?;
        a.unit_type = unit_type
            .and_then(|k| index.definition().unit_types.get(k))
            .map(|t| t.code.clone());
        for l in &self.leaves {
            let n = &index.nodes()[l.node];
            let Some(rule) = &n.rule else { continue };
            if let Some(k) = unit_type.filter(|&k| self.excluded[k][l.node]) {
                self.excluded_cell(k, fields.field(l.column), lang)?;
                continue;
            }
            let entry = match leaf_input(rule, &text_of(l.column), lang)? {
                LeafInput::Missing => continue,
                LeafInput::NotApplicable => Entry {
                    not_applicable: Some(NotApplicable::default()),
                    ..Default::default()
                },
                LeafInput::Value(v) => final_entry(n.channel, v),
            };
            a.entries.insert(n.code.clone(), entry);
        }
        for adj in &self.adjustments {
            let s = text_of(adj.column);
            if !s.is_empty() {
                let p = number(&s, lang)?;
                a.adjustments.insert(
                    adj.code.clone(),
                    final_entry(Channel::Appraised, Value::Points(p)),
                );
            }
        }
        Ok(a)
    }
}

pub(super) fn final_entry(channel: Channel, v: Value) -> Entry {
    match channel {
        Channel::Survey => Entry {
            survey: Some(LayerEntry::new(v)),
            ..Default::default()
        },
        Channel::Appraised => Entry {
            appraisal_2: Some(LayerEntry::new(v)),
            ..Default::default()
        },
    }
}

pub(super) fn finish(index: &Index, root: Cell, adj: &[Decimal]) -> Scored {
    let total = root
        .achieved()
        .map(|t| crate::engine::total_after_adjustments(t, adj.iter().copied()));
    let max = root.max();
    let percent = total.and_then(|x| crate::ranking::percent_of(x, max));
    let band = percent.and_then(|p| {
        index
            .definition()
            .bands
            .iter()
            .position(|b| b.range.contains(p))
    });
    Scored {
        total,
        percent,
        max,
        band,
    }
}
