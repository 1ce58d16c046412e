//! Every unit's points kept in step with the overrides, so that each override's effect
//! is checked at the cost of what it touches.
//!
//! An override must change something — a node's points or maximum, a total, a percent or
//! a band of some unit ([`Problem::OverrideNoEffect`]). Scoring every unit in full after
//! every override made a scenario of n overrides on an index of n criteria quadratic
//! (20,000 overrides: hours). Here each unit keeps its resolved [`Inputs`] and its cells
//! from the points-only path ([`Index::evaluate`], property-tested equal to
//! [`Index::score`]); a value override re-reads one leaf of the units it names
//! ([`Inputs::refresh`]) and re-aggregates that leaf's ancestors
//! ([`Index::reevaluate`]). Only those nodes and the total can have changed, so only they
//! are compared. Overrides that change the index (a weight, a rule parameter) re-evaluate
//! every unit.

use super::Base;
use crate::diagnostics::{Diagnostic, Diagnostics, Problem};
use crate::engine::{Cell, Index};
use crate::inputs::Inputs;
use crate::result::View;
use rust_decimal::Decimal;

/// The points-only state of every unit of a base.
#[derive(Debug, Clone)]
pub(super) struct Points {
    view: View,
    inputs: Vec<Inputs>,
    cells: Vec<Vec<Cell>>,
    totals: Vec<Option<Decimal>>,
    /// Whether each unit's appraisal has started (an entry with an appraisal round).
    started: Vec<bool>,
}

/// What a node shows of its cell: points and applicable maximum (as [`Index::score`]
/// reports them).
fn shown(c: &Cell) -> (Option<Decimal>, Option<Decimal>) {
    (c.achieved(), c.max())
}

impl Points {
    /// Resolves and evaluates every unit of `base`; each unit's errors.
    pub(super) fn new(
        index: &Index,
        base: &Base,
        view: View,
    ) -> Result<Points, Vec<(usize, Diagnostics)>> {
        let n = index.nodes().len();
        let mut p = Points {
            view,
            inputs: Vec::with_capacity(base.units().len()),
            cells: Vec::with_capacity(base.units().len()),
            totals: Vec::with_capacity(base.units().len()),
            started: base
                .units()
                .iter()
                .map(crate::engine::appraisal_started)
                .collect(),
        };
        let mut errors = Vec::new();
        for (u, a) in base.units().iter().enumerate() {
            let inputs = match Inputs::resolve(index, a, view) {
                Ok(i) => i,
                Err(d) => {
                    errors.push((u, d));
                    continue;
                }
            };
            let mut cells = vec![Cell::Missing; n];
            match index.evaluate(&inputs, &mut cells) {
                Ok(t) => {
                    p.inputs.push(inputs);
                    p.cells.push(cells);
                    p.totals.push(t);
                }
                Err(d) => errors.push((u, Diagnostics(vec![*d]))),
            }
        }
        if errors.is_empty() {
            Ok(p)
        } else {
            Err(errors)
        }
    }

    /// Whether the appraisal of the unit at `u` has started.
    pub(super) fn started(&self, u: usize) -> bool {
        self.started.get(u).copied().unwrap_or(false)
    }

    /// Every unit's [`Points::started`].
    pub(super) fn started_all(&self) -> &[bool] {
        &self.started
    }

    /// Sets [`Points::started`] of the unit at `u`.
    pub(super) fn set_started(&mut self, u: usize, started: bool) {
        if let Some(s) = self.started.get_mut(u) {
            *s = started;
        }
    }

    /// Re-reads the entry `code` of the units at `units` after their assessments in
    /// `base` changed (or changed back); whether any node's points or maximum, or any
    /// total, changed. An error is the problem the rule or the assessment reports.
    pub(super) fn update(
        &mut self,
        index: &Index,
        base: &Base,
        units: &[usize],
        code: &str,
    ) -> Result<bool, Vec<Problem>> {
        let nodes = index.nodes();
        let mut changed = false;
        let mut path = Vec::new();
        for &u in units {
            let (Some(a), Some(inputs), Some(cells)) = (
                base.units().get(u),
                self.inputs.get_mut(u),
                self.cells.get_mut(u),
            ) else {
                continue;
            };
            let refreshed = inputs
                .refresh(index, a, code)
                .map_err(|d| vec![d.problem.clone()])?;
            let total = match refreshed {
                Some(pos) => {
                    // Only the leaf and its ancestors can change.
                    path.clear();
                    let mut at = Some(pos);
                    while let Some(p) = at {
                        path.push((p, shown(&cells[p])));
                        at = nodes[p].parent;
                    }
                    let t = index
                        .reevaluate(inputs, cells, pos)
                        .map_err(|d| vec![d.problem.clone()])?;
                    changed |= path.iter().any(|&(p, old)| shown(&cells[p]) != old);
                    t
                }
                None => {
                    *inputs = Inputs::resolve(index, a, self.view).map_err(problems)?;
                    let old: Vec<_> = cells.iter().map(shown).collect();
                    let t = index
                        .evaluate(inputs, cells)
                        .map_err(|d| vec![d.problem.clone()])?;
                    changed |= cells.iter().map(shown).ne(old);
                    t
                }
            };
            changed |= self.totals[u] != total;
            self.totals[u] = total;
        }
        Ok(changed)
    }

    /// Re-evaluates every unit after the index changed (same nodes, other weights or
    /// rules); whether anything changed.
    pub(super) fn reevaluate_all(&mut self, index: &Index) -> Result<bool, Vec<Problem>> {
        let mut changed = false;
        for ((inputs, cells), total) in self
            .inputs
            .iter()
            .zip(self.cells.iter_mut())
            .zip(self.totals.iter_mut())
        {
            let old: Vec<_> = cells.iter().map(shown).collect();
            let t = index
                .evaluate(inputs, cells)
                .map_err(|d| vec![d.problem.clone()])?;
            changed |= cells.iter().map(shown).ne(old) || *total != t;
            *total = t;
        }
        Ok(changed)
    }
}

/// The problems of diagnostics (their errors).
fn problems(d: Diagnostics) -> Vec<Problem> {
    d.errors().map(|x: &Diagnostic| x.problem.clone()).collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::super::*;
    use proptest::prelude::*;

    /// The reference: each override on a copy of the state, every unit scored in full
    /// before and after (the definition of an override's effect).
    fn reference(state: &mut State, scenario: &Scenario) -> Result<(), Diagnostics> {
        let view = scenario.view;
        let signature = |r: &ScoreResult| {
            let mut s: Vec<Option<Decimal>> = Vec::new();
            for n in &r.nodes {
                s.push(n.achieved.map(|d| d.normalize()));
                s.push(n.applicable_max.map(|d| d.normalize()));
            }
            s.push(r.total.achieved.map(|d| d.normalize()));
            s.push(r.total.applicable_max.map(|d| d.normalize()));
            s.push(r.total.percent.map(|d| d.normalize()));
            (s, band_code(r))
        };
        let names = unit_names(&state.base);
        let mut errors = Diagnostics::default();
        let mut before = score_all(&state.index, &state.base, view).unwrap();
        for (i, o) in scenario.overrides.iter().enumerate() {
            let path = format!("$.overrides[{i}]");
            let code = Some(o.code());
            let mut trial = state.clone();
            match apply_one(&mut trial, o, view, &names, None) {
                Err(problems) => {
                    for p in problems {
                        errors.push(Diagnostic::error(path.clone(), code, p));
                    }
                    continue;
                }
                Ok(false) => {
                    errors.push(Diagnostic::error(path, code, Problem::OverrideSameAsBase));
                    continue;
                }
                Ok(true) => {}
            }
            let after = match score_all(&trial.index, &trial.base, view) {
                Ok(r) => r,
                Err(errs) => {
                    for (_, d) in errs {
                        for x in d.errors() {
                            errors.push(Diagnostic::error(path.clone(), code, x.problem.clone()));
                        }
                    }
                    continue;
                }
            };
            if before
                .iter()
                .zip(&after)
                .all(|(b, a)| signature(b) == signature(a))
            {
                errors.push(Diagnostic::error(path, code, Problem::OverrideNoEffect));
                continue;
            }
            *state = trial;
            before = after;
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    fn example() -> (Index, Assessment) {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/criteria/examples/");
        let index = Index::from_file(format!("{dir}department-example.json").as_ref()).unwrap();
        let text =
            std::fs::read_to_string(format!("{dir}department-example.assessment.json")).unwrap();
        (index, crate::load::assessment(&text).unwrap())
    }

    fn overrides(codes: Vec<String>) -> impl Strategy<Value = Vec<Override>> {
        let value = prop_oneof![
            (0u32..=100).prop_map(|p| Value::Percent(p.into())),
            any::<bool>().prop_map(Value::YesNo),
            proptest::sample::select(vec!["on_time", "late", "not_done", "good", "x"])
                .prop_map(|k| Value::Option(k.into())),
            (0u32..12).prop_map(|n| Value::Number(n.into())),
            (0u32..12).prop_map(|n| Value::Points(n.into())),
            (0u32..=10, 1u32..=10).prop_map(|(n, d)| Value::Ratio {
                numerator: n.min(d).into(),
                denominator: d.into()
            }),
        ];
        let code = proptest::sample::select(codes);
        let one = prop_oneof![
            4 => (code.clone(), value, 0u8..4).prop_map(|(code, value, l)| Override::SetValue {
                code,
                value,
                // Now and then an appraisal round, which may start the appraisal.
                layer: match l {
                    0 => Some(Layer::Appraisal1),
                    1 => Some(Layer::Appraisal2),
                    _ => None,
                },
                units: vec![]
            }),
            1 => code.clone().prop_map(|code| Override::NotApplicable {
                code,
                reason: String::new(),
                units: vec![]
            }),
            1 => code.clone().prop_map(|code| Override::Applicable { code, units: vec![] }),
            1 => (code, 1u32..4).prop_map(|(code, w)| Override::SetWeight { code, weight: w.into() }),
        ];
        proptest::collection::vec(one, 0..12)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// The incremental check accepts and rejects exactly the overrides the full
        /// scoring of every unit does, with the same errors and the same final state.
        #[test]
        fn incremental_apply_equals_full_scoring(
            list in overrides({
                let (index, _) = example();
                let mut c: Vec<String> = index.nodes().iter().skip(1).map(|n| n.code.clone()).collect();
                c.push("nope".into());
                c
            }),
            batch in any::<bool>(),
            self_only in any::<bool>(),
            view in proptest::sample::select(vec![View::Final, View::Appraised, View::SelfAssessment]),
        ) {
            let (index, mut a) = example();
            if self_only {
                // No appraisal yet: the first one written starts it.
                for e in a.entries.values_mut().chain(a.adjustments.values_mut()) {
                    e.appraisal_1 = None;
                    e.appraisal_2 = None;
                }
            }
            let base = if batch {
                let mut b = a.clone();
                b.unit.name = "Other".into();
                b.entries.retain(|k, _| k.starts_with('1'));
                Base::Units(vec![a, b])
            } else {
                Base::Assessment(Box::new(a))
            };
            let scenario = Scenario {
                format: SCENARIO_FORMAT.into(),
                index: index.definition().id.clone(),
                title: None,
                notes: vec![],
                base: None,
                view,
                overrides: list,
            };
            let mut fast = State { index: index.clone(), base: base.clone() };
            let mut full = State { index, base };
            let got = apply(&mut fast, &scenario);
            let want = reference(&mut full, &scenario);
            prop_assert_eq!(got, want);
            prop_assert_eq!(fast.base, full.base);
            prop_assert_eq!(fast.index.definition(), full.index.definition());
        }
    }
}
