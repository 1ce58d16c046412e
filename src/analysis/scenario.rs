//! What-if scenarios: a base (one assessment or a batch of units) plus overrides
//! addressed by criterion code, scored against the baseline node by node.
//!
//! # The file (`chiso.scenario/1`)
//!
//! ```json
//! {
//!   "format": "chiso.scenario/1",
//!   "index": "par-example-department",
//!   "title": { "vi": "Nâng tỷ lệ hồ sơ đúng hạn", "en": "More dossiers on time" },
//!   "base": { "assessment": "department-example.assessment.json" },
//!   "overrides": [
//!     { "op": "set_value", "code": "2.3", "value": { "ratio": { "numerator": "900", "denominator": "1000" } } },
//!     { "op": "not_applicable", "code": "2.2", "reason": "Không phát sinh" },
//!     { "op": "applicable", "code": "2.4" },
//!     { "op": "set_weight", "code": "D1", "weight": "2" },
//!     { "op": "set_parameter", "code": "1.1.4", "parameter": { "name": "tier_bound", "tier": 0, "end": "from", "bound": { "value": "85", "inclusive": false } } }
//!   ]
//! }
//! ```
//!
//! `base` names an assessment file, a batch of units (`{"units": "units.csv"}`, CSV or
//! JSON lines as read by `chiso batch`, see [`crate::batch`]) or holds an assessment
//! inline (`{"inline": {…}}`). Paths are resolved by the caller (the CLI: relative to
//! the scenario file); this module never touches files, so it runs the same in WASM.
//!
//! # Overrides
//!
//! | `op` | does | fields |
//! |---|---|---|
//! | `set_value` | sets a leaf's value (or a bonus/penalty block's points) | `code`, `value`, optional `layer` (default: the layer the view reads for the leaf, else `self`, `survey` for survey leaves), optional `units` (batch: only these units) |
//! | `not_applicable` | marks a criterion (any level) not applicable | `code`, optional `reason`, `units` |
//! | `applicable` | removes a not-applicable mark | `code`, `units` |
//! | `set_weight` | changes a child's weight in its parent's weighted aggregation | `code` (the child), `weight` |
//! | `set_parameter` | changes a rule parameter of a leaf | `code`, `parameter` (see [`Parameter`]) |
//!
//! Every override is validated against the index and **errors are never skipped**: an
//! unknown code, a value the rule cannot take, a parameter the rule does not have, an
//! index made invalid by the change, an override that sets what is already there
//! ([`Problem::OverrideSameAsBase`]) and one that changes no node's points or maximum,
//! nor any total, percent or band of any unit ([`Problem::OverrideNoEffect`]) are all
//! errors located at `$.overrides[i]` with the criterion code. Every error is reported
//! at once.
//!
//! Scenarios compose: [`run`] applies each scenario's overrides in order on the result
//! of the previous ones; the same inputs always give the same output.

use crate::assessment::{Assessment, Entry, Layer, LayerEntry, NotApplicable, Value};
use crate::batch::InputFormat;
use crate::diagnostics::{Diagnostic, Diagnostics, Problem};
use crate::engine::{Index, ROOT_CODE};
use crate::index::IndexDefinition;
use crate::interval::Bound;
use crate::node::{Aggregation, Channel, Node};
use crate::result::{ScoreResult, View};
use crate::rule::{Award, Rule};
use crate::text::{Lang, Text};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

mod edit;
mod file;
mod parameter;
mod points;
mod run;
pub use edit::{compare, Comparison, Edit, NodeDelta};
pub use file::{
    batch_diagnostics, parse, rule_type, units_from_text, Base, BaseRef, End, Override, Parameter,
    Scenario,
};
use parameter::set_parameter;
use points::Points;
pub use run::{run, whatif_json, NodeChange, Standing, UnitChange, WhatIf};

/// The format tag of scenario files.
pub const SCENARIO_FORMAT: &str = "chiso.scenario/1";
/// The format tag of what-if outputs.
pub const WHATIF_FORMAT: &str = "chiso.whatif/1";
/// What [`crate::limits::MAX_WHATIF_CELLS`] bounds, as a [`Problem::LimitExceeded`] names it.
pub const WHATIF_CELLS_WHAT: &str =
    "units × criteria of a what-if / số đơn vị × số tiêu chí của kịch bản";

/// The state a scenario works on: the index (weights and rules may change) and the units.
#[derive(Debug, Clone)]
pub struct State {
    /// The index, as changed so far.
    pub index: Index,
    /// The units, as changed so far.
    pub base: Base,
}

fn band_code(r: &ScoreResult) -> Option<String> {
    r.total.band.as_ref().map(|b| b.code.clone())
}

fn score_all(
    index: &Index,
    base: &Base,
    view: View,
) -> Result<Vec<ScoreResult>, Vec<(usize, Diagnostics)>> {
    let mut out = Vec::new();
    let mut errs = Vec::new();
    for (i, a) in base.units().iter().enumerate() {
        match index.score(a, view) {
            Ok(r) => out.push(r),
            Err(d) => errs.push((i, d)),
        }
    }
    if errs.is_empty() {
        Ok(out)
    } else {
        Err(errs)
    }
}

fn find_node_mut<'a>(nodes: &'a mut [Node], code: &str) -> Option<&'a mut Node> {
    for n in nodes.iter_mut() {
        if n.code == code {
            return Some(n);
        }
        if let Some(x) = find_node_mut(&mut n.children, code) {
            return Some(x);
        }
    }
    None
}

/// The aggregation holding `code`'s weight: the parent node's, or the index's.
fn parent_aggregation_mut<'a>(
    def: &'a mut IndexDefinition,
    parent_code: &str,
) -> Option<&'a mut Aggregation> {
    if parent_code == ROOT_CODE {
        return Some(&mut def.aggregation);
    }
    find_node_mut(&mut def.nodes, parent_code).and_then(|n| n.aggregation.as_mut())
}

/// Each unit name's positions in the base (names do not change during a scenario).
type Names = HashMap<String, Vec<usize>>;

fn unit_names(base: &Base) -> Names {
    let mut names: Names = HashMap::new();
    for (i, a) in base.units().iter().enumerate() {
        names.entry(a.unit.name.clone()).or_default().push(i);
    }
    names
}

/// Units an override touches (by position); errors for names not in the batch.
fn selected(base: &Base, names: &Names, list: &[String]) -> Result<Vec<usize>, Problem> {
    if list.is_empty() {
        return Ok((0..base.units().len()).collect());
    }
    let mut out = Vec::new();
    for n in list {
        match names.get(n) {
            Some(found) => out.extend_from_slice(found),
            None => return Err(Problem::UnknownUnit { unit: n.clone() }),
        }
    }
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

/// Applies one override to `state`; `Ok(false)` when it sets what is already there.
fn apply_one(
    state: &mut State,
    o: &Override,
    view: View,
    names: &Names,
    started: Option<&[bool]>,
) -> Result<bool, Vec<Problem>> {
    // Whether a unit's appraisal has started: known per unit when the caller keeps it
    // (a scan of every entry otherwise).
    let started_of = |a: &Assessment, u: usize| match started.and_then(|s| s.get(u)) {
        Some(&s) => s,
        None => crate::engine::appraisal_started(a),
    };
    let index = &state.index;
    let code = o.code();
    let pos = index.position(code).filter(|&p| p != 0);
    match o {
        Override::SetValue {
            value,
            layer,
            units,
            ..
        } => {
            let targets = selected(&state.base, names, units).map_err(|p| vec![p])?;
            if let Some(adj) = index
                .definition()
                .adjustments
                .iter()
                .find(|a| a.code == code)
            {
                let cap = adj.cap;
                match value {
                    Value::Points(p) if *p >= Decimal::ZERO && *p <= cap => {}
                    Value::Points(p) => {
                        return Err(vec![Problem::OutOfRange {
                            value: *p,
                            range: format!("0 – {}", crate::display::plain(cap, Lang::Vi)),
                        }])
                    }
                    v => {
                        return Err(vec![Problem::WrongValueKind {
                            expected: vec![crate::assessment::ValueKind::Points],
                            found: v.kind(),
                        }])
                    }
                }
                let mut changed = false;
                for &u in &targets {
                    let a = &mut state.base.units_mut()[u];
                    let started = started_of(a, u);
                    let e = a.adjustments.entry(code.to_owned()).or_default();
                    let l = layer.unwrap_or_else(|| {
                        crate::engine::pick_layer(e, Channel::Appraised, view, started)
                            .map(|(l, _)| l)
                            .unwrap_or(Layer::SelfAssessment)
                    });
                    changed |= write_layer(e, l, value);
                }
                return Ok(changed);
            }
            let Some(pos) = pos else {
                return Err(vec![Problem::UnknownCode]);
            };
            let node = &index.nodes()[pos];
            if !node.is_leaf() {
                return Err(vec![Problem::ValueOnParent]);
            }
            if let Some(rule) = &node.rule {
                rule.evaluate(node.max, value).map_err(|p| vec![p])?;
            }
            if let Some(l) = layer {
                let used = match node.channel {
                    Channel::Appraised => *l != Layer::Survey,
                    Channel::Survey => *l == Layer::Survey,
                };
                if !used {
                    return Err(vec![Problem::LayerIgnored {
                        layer: l.key().into(),
                    }]);
                }
            }
            let channel = node.channel;
            let mut changed = false;
            let mut na = 0;
            for &u in &targets {
                let a = &mut state.base.units_mut()[u];
                let started = started_of(a, u);
                let e = a.entries.entry(code.to_owned()).or_default();
                if e.not_applicable.is_some() {
                    na += 1;
                }
                let l = layer.unwrap_or_else(|| {
                    crate::engine::pick_layer(e, channel, view, started)
                        .map(|(l, _)| l)
                        .unwrap_or(match channel {
                            Channel::Appraised => Layer::SelfAssessment,
                            Channel::Survey => Layer::Survey,
                        })
                });
                changed |= write_layer(e, l, value);
            }
            if na == targets.len() && !targets.is_empty() {
                return Err(vec![Problem::ValuesIgnoredNotApplicable]);
            }
            Ok(changed)
        }
        Override::NotApplicable { reason, units, .. } => {
            if pos.is_none() {
                return Err(vec![Problem::UnknownCode]);
            }
            let targets = selected(&state.base, names, units).map_err(|p| vec![p])?;
            let mut changed = false;
            for &u in &targets {
                let a = &mut state.base.units_mut()[u];
                let e = a.entries.entry(code.to_owned()).or_default();
                if e.not_applicable.is_none() {
                    changed = true;
                    e.not_applicable = Some(NotApplicable {
                        reason: reason.clone(),
                    });
                }
            }
            Ok(changed)
        }
        Override::Applicable { units, .. } => {
            if pos.is_none() {
                return Err(vec![Problem::UnknownCode]);
            }
            let targets = selected(&state.base, names, units).map_err(|p| vec![p])?;
            let mut changed = false;
            for &u in &targets {
                let a = &mut state.base.units_mut()[u];
                if let Some(e) = a.entries.get_mut(code) {
                    if e.not_applicable.take().is_some() {
                        changed = true;
                    }
                }
            }
            Ok(changed)
        }
        Override::SetWeight { weight, .. } => {
            let Some(pos) = pos else {
                return Err(vec![Problem::UnknownCode]);
            };
            let parent = index.nodes()[pos].parent.unwrap_or(0);
            let parent_code = index.nodes()[parent].code.clone();
            let mut def = index.definition().clone();
            let Some(agg) = parent_aggregation_mut(&mut def, &parent_code) else {
                return Err(vec![Problem::NotWeighted {
                    parent: parent_code,
                }]);
            };
            let changed = match agg {
                Aggregation::WeightedSum { weights, .. }
                | Aggregation::WeightedMean { weights, .. } => {
                    weights.insert(code.to_owned(), *weight) != Some(*weight)
                }
                Aggregation::Sum { .. } => {
                    return Err(vec![Problem::NotWeighted {
                        parent: parent_code,
                    }])
                }
            };
            rebuild(state, def)?;
            Ok(changed)
        }
        Override::SetParameter { parameter, .. } => {
            let Some(pos) = pos else {
                return Err(vec![Problem::UnknownCode]);
            };
            if !index.nodes()[pos].is_leaf() {
                return Err(vec![Problem::ParameterNotInRule {
                    parameter: parameter.name().into(),
                    rule: "aggregation".into(),
                }]);
            }
            let mut def = index.definition().clone();
            let Some(rule) = find_node_mut(&mut def.nodes, code).and_then(|n| n.rule.as_mut())
            else {
                return Err(vec![Problem::UnknownCode]);
            };
            let changed = set_parameter(rule, parameter).map_err(|p| vec![p])?;
            rebuild(state, def)?;
            Ok(changed)
        }
    }
}

fn rebuild(state: &mut State, def: IndexDefinition) -> Result<(), Vec<Problem>> {
    match Index::new(def) {
        Ok(i) => {
            state.index = i;
            Ok(())
        }
        Err(d) => Err(d.errors().map(|x| x.problem.clone()).collect()),
    }
}

/// Writes `value` into layer `l` of `e`, keeping that layer's evidence and notes;
/// whether anything changed.
fn write_layer(e: &mut Entry, l: Layer, value: &Value) -> bool {
    let slot = e.layer_mut(l);
    match slot {
        Some(le) if &le.value == value => false,
        Some(le) => {
            le.value = value.clone();
            true
        }
        None => {
            *slot = Some(LayerEntry::new(value.clone()));
            true
        }
    }
}

/// Applies the overrides of `scenario` to `state` in order. Every problem is
/// returned (path `$.overrides[i]`, the criterion code); on error `state` holds the
/// overrides that were valid.
///
/// Each override's effect is checked on the points-only path kept in step with the
/// units (`scenario/points.rs`): a value override costs its leaf's ancestors in the
/// units it names, not a full scoring of every unit.
pub fn apply(state: &mut State, scenario: &Scenario) -> Result<(), Diagnostics> {
    let mut errors = Diagnostics::default();
    if scenario.index != state.index.definition().id {
        errors.push(Diagnostic::error(
            "$.index",
            None,
            Problem::IndexMismatch {
                expected: state.index.definition().id.clone(),
                found: scenario.index.clone(),
            },
        ));
        return Err(errors);
    }
    let view = scenario.view;
    let mut points = match Points::new(&state.index, &state.base, view) {
        Ok(p) => p,
        Err(errs) => return Err(base_errors(&state.base, errs)),
    };
    let names = unit_names(&state.base);
    for (i, o) in scenario.overrides.iter().enumerate() {
        let path = format!("$.overrides[{i}]");
        let code = o.code();
        let outcome = match o {
            Override::SetWeight { .. } | Override::SetParameter { .. } => {
                apply_to_index(state, &mut points, o, view, &names)
            }
            _ => apply_to_units(state, &mut points, o, view, &names),
        };
        let problems = match outcome {
            Ok(()) => continue,
            Err(p) => p,
        };
        for p in problems {
            errors.push(Diagnostic::error(path.clone(), Some(code), p));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// An override that changes units' entries: applied, checked, or undone.
fn apply_to_units(
    state: &mut State,
    points: &mut Points,
    o: &Override,
    view: View,
    names: &Names,
) -> Result<(), Vec<Problem>> {
    let code = o.code();
    let list = match o {
        Override::SetValue { units, .. }
        | Override::NotApplicable { units, .. }
        | Override::Applicable { units, .. } => units.as_slice(),
        _ => &[],
    };
    let targets = selected(&state.base, names, list).map_err(|p| vec![p])?;
    let saved: Vec<(Option<Entry>, Option<Entry>)> = targets
        .iter()
        .map(|&u| {
            let a = &state.base.units()[u];
            (
                a.entries.get(code).cloned(),
                a.adjustments.get(code).cloned(),
            )
        })
        .collect();
    let restore = |state: &mut State| {
        for (&u, (e, adj)) in targets.iter().zip(&saved) {
            let a = &mut state.base.units_mut()[u];
            match e {
                Some(e) => a.entries.insert(code.to_owned(), e.clone()),
                None => a.entries.remove(code),
            };
            match adj {
                Some(e) => a.adjustments.insert(code.to_owned(), e.clone()),
                None => a.adjustments.remove(code),
            };
        }
    };
    let was_started: Vec<bool> = targets.iter().map(|&u| points.started(u)).collect();
    let outcome = match apply_one(state, o, view, names, Some(points.started_all())) {
        Err(p) => Err(p),
        Ok(false) => Err(vec![Problem::OverrideSameAsBase]),
        Ok(true) => {
            // Only the entry of `code` changed: an appraisal there starts the appraisal.
            for &u in &targets {
                let a = &state.base.units()[u];
                let here = a
                    .entries
                    .get(code)
                    .or_else(|| a.adjustments.get(code))
                    .is_some_and(|e| e.latest_appraisal().is_some());
                points.set_started(u, points.started(u) || here);
            }
            let checked = match points.update(&state.index, &state.base, &targets, code) {
                Ok(true) => Ok(()),
                Ok(false) => Err(vec![Problem::OverrideNoEffect]),
                Err(p) => Err(p),
            };
            if checked.is_err() {
                restore(state);
                for (&u, &s) in targets.iter().zip(&was_started) {
                    points.set_started(u, s);
                }
                // The units' points as they were (recomputed from the restored entries).
                let _ = points.update(&state.index, &state.base, &targets, code);
            }
            return checked;
        }
    };
    restore(state);
    outcome
}

/// An override that changes the index (a weight, a rule parameter): every unit
/// re-evaluated, or everything undone.
fn apply_to_index(
    state: &mut State,
    points: &mut Points,
    o: &Override,
    view: View,
    names: &Names,
) -> Result<(), Vec<Problem>> {
    let saved = state.index.clone();
    let mut evaluated = false;
    let outcome = match apply_one(state, o, view, names, Some(points.started_all())) {
        Err(p) => Err(p),
        Ok(false) => Err(vec![Problem::OverrideSameAsBase]),
        Ok(true) => {
            evaluated = true;
            match points.reevaluate_all(&state.index) {
                Ok(true) => return Ok(()),
                Ok(false) => Err(vec![Problem::OverrideNoEffect]),
                Err(p) => Err(p),
            }
        }
    };
    state.index = saved;
    if evaluated {
        // The units' points under the index as it was.
        let _ = points.reevaluate_all(&state.index);
    }
    outcome
}

fn base_errors(base: &Base, errs: Vec<(usize, Diagnostics)>) -> Diagnostics {
    let mut out = Diagnostics::default();
    for (u, d) in errs {
        for mut x in d.0 {
            if base.is_batch() {
                x.path = format!("unit {} ({}): {}", u + 1, base.units()[u].unit.name, x.path);
            }
            out.push(x);
        }
    }
    out
}
