//! The points-only path: an assessment resolved against an index for one view.
//!
//! [`Index::score`] explains every point in two languages; that is what a score sheet
//! needs, but re-scoring after each keystroke, planning and Monte-Carlo runs only need
//! the numbers. [`Inputs::resolve`] does the per-assessment work once (which layer each
//! view reads, not-applicable subtrees, evidence that is not credited, adjustment
//! points); [`Index::evaluate`] then turns the inputs into points with the rules' own
//! arithmetic ([`Rule::points`](crate::rule::Rule::points)), the index's leaf rounding
//! ([`Index::round_leaf`]) and the same aggregation as [`Index::score`]. A property test
//! keeps the two paths equal.
//!
//! ```
//! use chiso::{inputs::Inputs, Cell, Index, View};
//! let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/criteria/examples/");
//! let index = Index::from_file(format!("{dir}department-example.json").as_ref()).unwrap();
//! let text = std::fs::read_to_string(format!("{dir}department-example.assessment.json")).unwrap();
//! let assessment = chiso::load::assessment(&text).unwrap();
//! let inputs = Inputs::resolve(&index, &assessment, View::Final).unwrap();
//! let mut cells = vec![Cell::Missing; index.nodes().len()];
//! let total = index.evaluate(&inputs, &mut cells).unwrap();
//! let full = index.score(&assessment, View::Final).unwrap();
//! assert_eq!(total, full.total.achieved);
//! ```

use crate::assessment::{Assessment, Entry, Layer, Value};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::engine::{appraisal_started, pick_layer, Cell, FlatNode, Index};
use crate::index::{MissingEvidencePolicy, MissingValuePolicy};
use crate::node::Channel;
use crate::result::View;
use rust_decimal::Decimal;

/// What one leaf contributes in one view, before its rule is applied. Internal: read
/// by [`Index::evaluate`] and the compiled evaluator, never handed out.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Slot {
    /// No value for this view (scored per the index's missing-value policy).
    Missing,
    /// The appraised view before any appraisal was entered: no value, whatever the
    /// missing-value policy says.
    NotAppraised,
    /// The leaf, or an ancestor, is marked not applicable.
    NotApplicable,
    /// A value to score.
    Value {
        /// The value read from the chosen layer.
        value: Value,
        /// `false` when required evidence is missing and the policy withholds the points.
        credited: bool,
    },
}

/// An assessment resolved for one [`View`]: for each leaf, what it contributes (the
/// value of the layer the view reads, whether it is credited, or no value / not
/// applicable), and the bonus / penalty points of each adjustment.
#[derive(Debug, Clone, PartialEq)]
pub struct Inputs {
    view: View,
    slots: Vec<Slot>,
    adjustments: Vec<Decimal>,
    started: bool,
    /// The assessment's unit type when it names a declared one.
    unit_type: Option<String>,
}

impl Inputs {
    /// One slot per node position (parents are `Slot::Missing`): what the compiled
    /// evaluator reads instead of resolving the assessment again.
    pub(crate) fn slots(&self) -> &[Slot] {
        &self.slots
    }

    /// Bonus / penalty points, one per adjustment of the definition.
    pub(crate) fn adjustment_points(&self) -> &[Decimal] {
        &self.adjustments
    }

    /// Resolves `a` for `view`. The assessment is checked first
    /// ([`Index::check_assessment`]); errors are returned all at once.
    pub fn resolve(index: &Index, a: &Assessment, view: View) -> Result<Inputs, Diagnostics> {
        let checks = index.check_assessment(a);
        if checks.has_errors() {
            return Err(checks);
        }
        Ok(Inputs::resolve_unchecked(index, a, view))
    }

    /// Resolves `a` for every view (self-assessment, appraised, final), the assessment
    /// checked once: each view with what [`Inputs::resolve`] gives for it.
    pub(crate) fn resolve_views(
        index: &Index,
        a: &Assessment,
    ) -> Result<[(View, Inputs); 3], Diagnostics> {
        let checks = index.check_assessment(a);
        if checks.has_errors() {
            return Err(checks);
        }
        Ok([View::SelfAssessment, View::Appraised, View::Final]
            .map(|v| (v, Inputs::resolve_unchecked(index, a, v))))
    }

    /// Re-reads the entry of `code` after the caller changed it in `a` (the assessment
    /// these inputs were resolved from). Only that leaf is re-read, unless the change
    /// affects more (a parent marked not applicable, the first appraisal entered), in which
    /// case everything is. Returns the position of the only leaf re-read (then
    /// [`Index::reevaluate`] can update the points along its path), or `None` when
    /// everything was. Values are not checked here: [`Index::evaluate`] reports a value
    /// its rule rejects.
    ///
    /// ```
    /// use chiso::{inputs::Inputs, Cell, Index, LayerEntry, Value, View};
    /// let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/criteria/examples/");
    /// let index = Index::from_file(format!("{dir}department-example.json").as_ref()).unwrap();
    /// let text = std::fs::read_to_string(format!("{dir}department-example.assessment.json")).unwrap();
    /// let mut a = chiso::load::assessment(&text).unwrap();
    /// let mut inputs = Inputs::resolve(&index, &a, View::SelfAssessment).unwrap();
    /// a.entries.get_mut("1.1.4").unwrap().self_assessment = Some(LayerEntry::new(Value::Percent(50.into())));
    /// inputs.refresh(&index, &a, "1.1.4").unwrap();
    /// let mut cells = vec![Cell::Missing; index.nodes().len()];
    /// let total = index.evaluate(&inputs, &mut cells).unwrap();
    /// assert_eq!(total, index.score(&a, View::SelfAssessment).unwrap().total.achieved);
    /// ```
    pub fn refresh(
        &mut self,
        index: &Index,
        a: &Assessment,
        code: &str,
    ) -> Result<Option<usize>, Box<Diagnostic>> {
        if index
            .definition()
            .adjustments
            .iter()
            .any(|x| x.code == code)
        {
            *self = Inputs::resolve_unchecked(index, a, self.view);
            return Ok(None);
        }
        let Some(i) = index.position(code).filter(|&i| i != 0) else {
            return Err(Box::new(Diagnostic::error(
                crate::json::path::keyed("entries", code),
                Some(code),
                crate::diagnostics::Problem::UnknownCode,
            )));
        };
        let nodes = index.nodes();
        // Only the entry of `code` changed: before any appraisal, one can only have started
        // there (no scan of every entry per keystroke or what-if override).
        let started = if self.started {
            appraisal_started(a)
        } else {
            a.entries
                .get(code)
                .is_some_and(|e| e.latest_appraisal().is_some())
        };
        if self.slots.len() != nodes.len()
            || !nodes[i].is_leaf()
            || started != self.started
            || declared_unit_type(index, a) != self.unit_type
        {
            *self = Inputs::resolve_unchecked(index, a, self.view);
            return Ok(None);
        }
        let mut na = index.excluded_at(self.unit_type.as_deref(), i);
        let mut at = Some(i);
        while let Some(p) = at.filter(|&p| p != 0) {
            na |= a
                .entries
                .get(&nodes[p].code)
                .is_some_and(|e| e.not_applicable.is_some());
            at = nodes[p].parent;
        }
        self.slots[i] = if na {
            Slot::NotApplicable
        } else {
            slot(index, &nodes[i], a.entries.get(code), self.view, started)
        };
        Ok(Some(i))
    }

    fn resolve_unchecked(index: &Index, a: &Assessment, view: View) -> Inputs {
        let nodes = index.nodes();
        let mut na = vec![false; nodes.len()];
        let mut slots = vec![Slot::Missing; nodes.len()];
        let started = appraisal_started(a);
        let unit_type = declared_unit_type(index, a);
        let excluded = index.excluded(unit_type.as_deref());
        for (i, node) in nodes.iter().enumerate().skip(1) {
            let entry = a.entries.get(&node.code);
            na[i] = excluded[i]
                || node.parent.is_some_and(|p| na[p])
                || entry.is_some_and(|e| e.not_applicable.is_some());
            if node.is_leaf() {
                slots[i] = if na[i] {
                    Slot::NotApplicable
                } else {
                    slot(index, node, entry, view, started)
                };
            }
        }
        let adjustments = index
            .definition()
            .adjustments
            .iter()
            .map(|adj| {
                let picked = a
                    .adjustments
                    .get(&adj.code)
                    .and_then(|e| pick_layer(e, Channel::Appraised, view, started));
                // Kept as entered: `check_assessment` rejects points outside 0 – cap, and
                // `Index::evaluate` re-checks them for inputs refreshed without a check.
                match picked.map(|(_, le)| &le.value) {
                    Some(Value::Points(p)) => *p,
                    _ => Decimal::ZERO,
                }
            })
            .collect();
        Inputs {
            view,
            slots,
            adjustments,
            started,
            unit_type,
        }
    }

    /// The view these inputs were resolved for.
    pub fn view(&self) -> View {
        self.view
    }
}

/// The assessment's unit type when the index declares it (else every criterion applies;
/// [`Index::check_assessment`] reports an unknown type).
fn declared_unit_type(index: &Index, a: &Assessment) -> Option<String> {
    a.unit_type
        .as_ref()
        .filter(|t| index.unit_type(t).is_some())
        .cloned()
}

fn slot(index: &Index, node: &FlatNode, entry: Option<&Entry>, view: View, started: bool) -> Slot {
    if view == View::Appraised && node.channel == Channel::Appraised && !started {
        return Slot::NotAppraised;
    }
    let Some(e) = entry else {
        return Slot::Missing;
    };
    let Some((layer, le)) = pick_layer(e, node.channel, view, started) else {
        return Slot::Missing;
    };
    let policy = index.definition().policies.missing_evidence;
    let withheld = node.evidence_required
        && node.channel == Channel::Appraised
        && policy == MissingEvidencePolicy::NotCredited
        && layer == Layer::SelfAssessment
        && view != View::SelfAssessment
        && e.layers().all(|(_, l)| l.evidence.is_empty());
    Slot::Value {
        value: le.value.clone(),
        credited: !withheld,
    }
}

impl Index {
    /// Points of `inputs`: fills `cells` (one per node, [`Index::nodes`] order) and returns
    /// the total after bonus / penalty blocks (floored at 0), as [`Index::score`] reports
    /// it in `total.achieved`. `cells` must hold `self.nodes().len()` cells.
    ///
    /// Errors name the criterion whose value its rule rejects.
    pub fn evaluate(
        &self,
        inputs: &Inputs,
        cells: &mut [Cell],
    ) -> Result<Option<Decimal>, Box<Diagnostic>> {
        let nodes = self.nodes();
        if cells.len() != nodes.len() || inputs.slots.len() != nodes.len() {
            return Err(Box::new(Diagnostic::error(
                "$",
                None,
                crate::diagnostics::Problem::InputsMismatch {
                    expected: nodes.len(),
                    found: cells.len().min(inputs.slots.len()),
                },
            )));
        }
        for (i, node) in nodes.iter().enumerate().skip(1) {
            if node.is_leaf() {
                cells[i] = self.leaf_cell(i, inputs)?;
            }
        }
        self.aggregate(cells);
        self.checked_total(inputs, cells)
    }

    /// Updates `cells` after the leaf at `position` changed in `inputs`: re-applies that
    /// leaf's rule and re-aggregates only its ancestors. `cells` must hold the result of
    /// an earlier [`Index::evaluate`] of the same inputs apart from that leaf; the total
    /// is then exactly what a full evaluation gives, at a fraction of the cost.
    pub fn reevaluate(
        &self,
        inputs: &Inputs,
        cells: &mut [Cell],
        position: usize,
    ) -> Result<Option<Decimal>, Box<Diagnostic>> {
        let nodes = self.nodes();
        let leaf = nodes.get(position).filter(|n| n.is_leaf() && position != 0);
        if leaf.is_none() || cells.len() != nodes.len() || inputs.slots.len() != nodes.len() {
            return self.evaluate(inputs, cells);
        }
        cells[position] = self.leaf_cell(position, inputs)?;
        let mut at = nodes[position].parent;
        while let Some(p) = at {
            cells[p] = crate::engine::combine(&nodes[p], cells);
            at = nodes[p].parent;
        }
        self.checked_total(inputs, cells)
    }

    /// The total of aggregated `cells`, after checking what validation could not: points
    /// above a maximum that only the values can break
    /// ([`Index::points_above_declared_max`]) and bonus / penalty points outside 0 – cap.
    fn checked_total(
        &self,
        inputs: &Inputs,
        cells: &[Cell],
    ) -> Result<Option<Decimal>, Box<Diagnostic>> {
        if let Some(d) = self.points_above_declared_max(cells).0.into_iter().next() {
            return Err(Box::new(d));
        }
        for (adj, p) in self
            .definition()
            .adjustments
            .iter()
            .zip(&inputs.adjustments)
        {
            if *p < Decimal::ZERO || *p > adj.cap {
                return Err(Box::new(Diagnostic::error(
                    crate::json::path::keyed("adjustments", &adj.code),
                    Some(&adj.code),
                    crate::diagnostics::Problem::OutOfRange {
                        value: *p,
                        range: format!("0 – {}", crate::display::plain(adj.cap, crate::Lang::Vi)),
                    },
                )));
            }
        }
        Ok(self.adjusted_total(cells[0].achieved(), &inputs.adjustments))
    }

    /// The cell of the leaf at `i` (a leaf position) for `inputs`.
    fn leaf_cell(&self, i: usize, inputs: &Inputs) -> Result<Cell, Box<Diagnostic>> {
        let node = &self.nodes()[i];
        let zero_if_missing = self.definition().policies.missing_value == MissingValuePolicy::Zero;
        Ok(match (&inputs.slots[i], &node.rule) {
            (Slot::NotApplicable, _) => Cell::NotApplicable,
            (Slot::Value { value, credited }, Some(rule)) => match rule.points(node.max, value) {
                Ok(None) => Cell::NotApplicable,
                Ok(Some(p)) => Cell::Value {
                    achieved: if *credited {
                        self.round_leaf(p)
                    } else {
                        Decimal::ZERO
                    },
                    max: node.max,
                },
                Err(p) => {
                    return Err(Box::new(Diagnostic::error(
                        node.path.clone(),
                        Some(&node.code),
                        p,
                    )))
                }
            },
            (Slot::NotAppraised, _) => Cell::Missing,
            _ if zero_if_missing => Cell::Value {
                achieved: Decimal::ZERO,
                max: node.max,
            },
            _ => Cell::Missing,
        })
    }

    /// The total after bonus / penalty points (`points[i]` for the i-th adjustment of the
    /// definition), floored at 0; `None` when the criteria total is missing.
    ///
    /// Validation bounds the criteria total plus every cap inside `Decimal`'s range, so
    /// with points within 0 – cap the sum is exact; points beyond that (a caller's own
    /// numbers) saturate instead of overflowing.
    pub fn adjusted_total(&self, criteria: Option<Decimal>, points: &[Decimal]) -> Option<Decimal> {
        let signed = (self.definition().adjustments.iter())
            .zip(points)
            .map(|(adj, p)| adj.kind.signed(*p));
        Some(crate::engine::total_after_adjustments(criteria?, signed))
    }
}
