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
mod points;
pub use edit::{compare, Comparison, Edit, NodeDelta};
use points::Points;

/// The format tag of scenario files.
pub const SCENARIO_FORMAT: &str = "chiso.scenario/1";
/// The format tag of what-if outputs.
pub const WHATIF_FORMAT: &str = "chiso.whatif/1";
/// What [`crate::limits::MAX_WHATIF_CELLS`] bounds, as a [`Problem::LimitExceeded`] names it.
pub const WHATIF_CELLS_WHAT: &str =
    "units × criteria of a what-if / số đơn vị × số tiêu chí của kịch bản";

/// A scenario: a base and overrides applied in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Format tag, always `chiso.scenario/1`.
    pub format: String,
    /// `id` of the index the scenario is for.
    pub index: String,
    /// Name of the scenario.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<Text>,
    /// Notes (assumptions, sources of the hypothetical values).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Text>,
    /// What the overrides apply to; may be left out by the second and later scenarios
    /// of a composition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<BaseRef>,
    /// Which layers are scored (default `final`).
    #[serde(default)]
    pub view: View,
    /// The overrides, applied in order.
    pub overrides: Vec<Override>,
}

/// Where the base comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum BaseRef {
    /// An assessment file (path relative to the scenario file).
    Assessment(String),
    /// A batch of units: CSV or JSON lines, as for `chiso batch` (path relative to the
    /// scenario file).
    Units(String),
    /// An assessment written in the scenario.
    Inline(Box<Assessment>),
}

/// One change, addressed by criterion code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum Override {
    /// Sets a leaf's value (or the points of a bonus/penalty block).
    SetValue {
        /// Leaf or adjustment code.
        code: String,
        /// The new value.
        value: Value,
        /// Layer written; default: the layer the view reads for the leaf, else `self`
        /// (`survey` for survey leaves).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        layer: Option<Layer>,
        /// Batch only: the units (by name) changed; empty = every unit.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        units: Vec<String>,
    },
    /// Marks a criterion not applicable (không áp dụng).
    NotApplicable {
        /// Criterion code (any level).
        code: String,
        /// Why.
        #[serde(default)]
        reason: String,
        /// Batch only: the units changed; empty = every unit.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        units: Vec<String>,
    },
    /// Removes a not-applicable mark.
    Applicable {
        /// Criterion code.
        code: String,
        /// Batch only: the units changed; empty = every unit.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        units: Vec<String>,
    },
    /// Changes the weight of a child in its parent's weighted aggregation.
    SetWeight {
        /// The child's code.
        code: String,
        /// The new weight (> 0).
        weight: Decimal,
    },
    /// Changes a parameter of a leaf's rule.
    SetParameter {
        /// Leaf code.
        code: String,
        /// The parameter and its new value.
        parameter: Parameter,
    },
}

impl Override {
    /// The criterion code the override addresses.
    pub fn code(&self) -> &str {
        match self {
            Override::SetValue { code, .. }
            | Override::NotApplicable { code, .. }
            | Override::Applicable { code, .. }
            | Override::SetWeight { code, .. }
            | Override::SetParameter { code, .. } => code,
        }
    }
}

/// Which end of a tier's range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum End {
    /// The lower end.
    From,
    /// The upper end.
    To,
}

/// A rule parameter and its new value. The `name` field names the variant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "name", rename_all = "snake_case", deny_unknown_fields)]
pub enum Parameter {
    /// `proportional`: the percent at which full marks are given.
    ThresholdPercent {
        /// New threshold (percent).
        value: Decimal,
    },
    /// `proportional`: the gate below which the criterion scores 0 (`null` removes it).
    Gate {
        /// New gate.
        bound: Option<Bound>,
    },
    /// `tiers`: one end of a tier's range (`null` = unbounded). A neighbouring tier
    /// that shares the old bound (its opposite end at the same value with the other
    /// inclusivity, e.g. "trên 90%" / "đến 90%") moves with it, so the tiers stay
    /// without gap or overlap.
    TierBound {
        /// Position of the tier in the rule (0-based).
        tier: usize,
        /// Which end.
        end: End,
        /// New bound.
        bound: Option<Bound>,
    },
    /// `tiers`: the points of a tier.
    TierPoints {
        /// Position of the tier (0-based).
        tier: usize,
        /// New points.
        points: Decimal,
    },
    /// Points of a named option: a level (`levels`), a severity's deduction per
    /// occurrence (`deductions`), `on_time`/`late`/`not_done` (`timeliness`) or
    /// `yes`/`no` (`yes_no`); a survey option's percent (`survey`).
    OptionPoints {
        /// Option key.
        key: String,
        /// New points (survey: percent).
        points: Decimal,
    },
    /// `discretionary`: the step.
    Step {
        /// New step.
        value: Decimal,
    },
}

impl Parameter {
    fn name(&self) -> &'static str {
        match self {
            Parameter::ThresholdPercent { .. } => "threshold_percent",
            Parameter::Gate { .. } => "gate",
            Parameter::TierBound { .. } => "tier_bound",
            Parameter::TierPoints { .. } => "tier_points",
            Parameter::OptionPoints { .. } => "option_points",
            Parameter::Step { .. } => "step",
        }
    }
}

/// The type name of a rule, as in index files.
pub fn rule_type(rule: &Rule) -> &'static str {
    match rule {
        Rule::YesNo { .. } => "yes_no",
        Rule::Timeliness { .. } => "timeliness",
        Rule::Tiers { .. } => "tiers",
        Rule::Proportional { .. } => "proportional",
        Rule::Levels { .. } => "levels",
        Rule::Deductions { .. } => "deductions",
        Rule::Discretionary { .. } => "discretionary",
        Rule::Survey { .. } => "survey",
        Rule::Score { .. } => "score",
    }
}

/// The resolved base.
#[derive(Debug, Clone, PartialEq)]
pub enum Base {
    /// One assessment.
    Assessment(Box<Assessment>),
    /// A batch of units (ranked).
    Units(Vec<Assessment>),
}

impl Base {
    fn units(&self) -> &[Assessment] {
        match self {
            Base::Assessment(a) => std::slice::from_ref(a.as_ref()),
            Base::Units(u) => u,
        }
    }
    fn units_mut(&mut self) -> &mut [Assessment] {
        match self {
            Base::Assessment(a) => std::slice::from_mut(a.as_mut()),
            Base::Units(u) => u,
        }
    }
    fn is_batch(&self) -> bool {
        matches!(self, Base::Units(_))
    }
}

/// Parses a scenario; every malformed override is reported with its path.
///
/// ```
/// let s = chiso::scenario::parse(r#"{"format":"chiso.scenario/1","index":"x",
///   "overrides":[{"op":"set_weight","code":"A","weight":"2"}]}"#).unwrap();
/// assert_eq!(s.overrides.len(), 1);
/// let e = chiso::scenario::parse(r#"{"format":"chiso.scenario/1","index":"x",
///   "overrides":[{"op":"set_weight","code":"A"},{"op":"nope","code":"B"}]}"#).unwrap_err();
/// assert_eq!(e.len(), 2);
/// assert!(e.0[1].path.starts_with("$.overrides[1]"));
/// ```
pub fn parse(text: &str) -> Result<Scenario, Diagnostics> {
    let mut v = crate::load::parse(text)?;
    if let Some(d) = crate::load::check_format(&v, SCENARIO_FORMAT) {
        return Err(Diagnostics(vec![d]));
    }
    let raw = match v.as_object_mut().and_then(|o| o.get_mut("overrides")) {
        Some(serde_json::Value::Array(items)) => Some(std::mem::take(items)),
        _ => None,
    };
    let mut errors = Diagnostics::default();
    let mut s: Option<Scenario> = match crate::load::typed(v, "$", None) {
        Ok(s) => Some(s),
        Err(d) => {
            errors.push(*d);
            None
        }
    };
    let mut overrides = Vec::new();
    for (i, item) in raw.into_iter().flatten().enumerate() {
        let code = item.get("code").and_then(|c| c.as_str()).map(str::to_owned);
        match crate::load::typed::<Override>(item, &format!("$.overrides[{i}]"), code.as_deref()) {
            Ok(o) => overrides.push(o),
            Err(d) => errors.push(*d),
        }
    }
    if let Some(s) = s.as_mut() {
        s.overrides = overrides;
    }
    match s {
        Some(s) if errors.is_empty() => Ok(s),
        _ => Err(errors),
    }
}

/// Reads a batch of units (CSV or JSON lines) into assessments with `chiso batch`'s own
/// reader ([`crate::batch::read_units`]): the same limits, header checks and row
/// validation, so a file the batch rejects (ragged rows, a missing column, no units) is
/// rejected here with the same messages and row numbers. Each CSV row stands for the
/// assessment [`crate::batch::Scorer::assessment`] gives. Errors are located at `row N` (and the
/// column); the first 1,000 are listed, then their count.
///
/// ```
/// let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/criteria/examples/");
/// let index = chiso::Index::from_file(format!("{dir}par-2025-department.json").as_ref()).unwrap();
/// let e = chiso::scenario::units_from_text(&index, "unit\nX\n", chiso::batch::InputFormat::Csv,
///     chiso::Lang::En).unwrap_err();
/// assert!(e.0[0].path.starts_with("row 1"));
/// ```
pub fn units_from_text(
    index: &Index,
    text: &str,
    format: InputFormat,
    lang: Lang,
) -> Result<Vec<Assessment>, Diagnostics> {
    let opts = crate::batch::Options {
        lang,
        max_errors: 1000,
        ..Default::default()
    };
    let mut out = Vec::new();
    match crate::batch::read_units(index, text.as_bytes(), format, &opts, true, |u| {
        out.extend(u.assessment);
        std::ops::ControlFlow::Continue(())
    }) {
        Ok(_) => Ok(out),
        Err(e) => Err(batch_diagnostics(&e, lang)),
    }
}

/// A batch reader's error as diagnostics: one per located problem (path `row N,
/// column C`), then the count of those not listed.
pub fn batch_diagnostics(e: &crate::batch::BatchError, lang: Lang) -> Diagnostics {
    use crate::batch::BatchError;
    let structure =
        |path: String, detail: String| Diagnostic::error(path, None, Problem::Structure { detail });
    let (row, col) = match lang {
        Lang::Vi => ("dòng", "cột"),
        Lang::En => ("row", "column"),
    };
    match e {
        BatchError::Input { errors, total, .. } => {
            let mut d = Diagnostics::default();
            for x in errors {
                let mut path = if x.row > 0 {
                    format!("{row} {}", x.row)
                } else {
                    "$".into()
                };
                if let Some(c) = &x.column {
                    path.push_str(&format!(", {col} {c}"));
                }
                let detail = match &x.value {
                    Some(v) => format!("'{v}' {}", x.message),
                    None => x.message.clone(),
                };
                d.push(structure(path, detail));
            }
            if *total > errors.len() {
                let more = total - errors.len();
                d.push(structure(
                    "$".into(),
                    match lang {
                        Lang::Vi => format!("… và {more} lỗi khác ({total} lỗi tất cả)"),
                        Lang::En => format!("… and {more} more errors ({total} in all)"),
                    },
                ));
            }
            d
        }
        BatchError::Io(io) => Diagnostics(vec![structure("$".into(), io.to_string())]),
    }
}

/// Baseline vs scenario for one node of one unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct NodeChange {
    /// Criterion code.
    pub code: String,
    /// Name.
    pub title: Text,
    /// Depth (top-level nodes are 1).
    pub depth: usize,
    /// Points in the baseline.
    pub baseline: Option<Decimal>,
    /// Points in the scenario.
    pub scenario: Option<Decimal>,
    /// Scenario − baseline (when both have points).
    pub delta: Option<Decimal>,
    /// Percent of the applicable maximum in the baseline.
    pub baseline_percent: Option<Decimal>,
    /// Percent of the applicable maximum in the scenario.
    pub scenario_percent: Option<Decimal>,
    /// Applicable maximum in the baseline.
    pub baseline_max: Option<Decimal>,
    /// Applicable maximum in the scenario.
    pub scenario_max: Option<Decimal>,
    /// Whether anything of this node changed.
    pub changed: bool,
}

/// One unit's standing: total, percent, band, rank.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Standing {
    /// Total points (after bonus and penalty).
    pub total: Option<Decimal>,
    /// Applicable maximum.
    pub applicable_max: Option<Decimal>,
    /// Percent of the applicable maximum.
    pub percent: Option<Decimal>,
    /// Band code.
    pub band: Option<String>,
    /// Rank within the batch (and block); `null` for a single assessment.
    pub rank: Option<u32>,
}

/// Baseline vs scenario for one unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct UnitChange {
    /// Unit name.
    pub unit: String,
    /// Ranking block.
    pub block: Option<String>,
    /// Before.
    pub baseline: Standing,
    /// After.
    pub scenario: Standing,
    /// Total: scenario − baseline.
    pub delta: Option<Decimal>,
    /// Whether the band changed.
    pub band_changed: bool,
    /// Baseline rank − scenario rank (positive = moved up).
    pub rank_change: Option<i64>,
    /// Every node below the root, in tree order.
    pub nodes: Vec<NodeChange>,
}

/// The output of a what-if run (`chiso.whatif/1`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct WhatIf {
    /// Format tag.
    pub format: String,
    /// Index id.
    pub index: String,
    /// Titles of the scenarios applied, in order.
    pub scenarios: Vec<Option<Text>>,
    /// Number of overrides applied.
    pub overrides: usize,
    /// Layers scored.
    pub view: View,
    /// Every unit (one for an assessment base).
    pub units: Vec<UnitChange>,
}

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

fn set_parameter(rule: &mut Rule, p: &Parameter) -> Result<bool, Problem> {
    let not_in = || Problem::ParameterNotInRule {
        parameter: p.name().into(),
        rule: rule_type(rule).into(),
    };
    let err = not_in();
    let changed = match (rule, p) {
        (
            Rule::Proportional {
                threshold_percent, ..
            },
            Parameter::ThresholdPercent { value },
        ) => {
            let old = threshold_percent.unwrap_or(Decimal::ONE_HUNDRED);
            *threshold_percent = Some(*value);
            old != *value
        }
        (Rule::Proportional { gate, .. }, Parameter::Gate { bound }) => {
            let same = *gate == *bound;
            *gate = *bound;
            !same
        }
        (Rule::Tiers { tiers, .. }, Parameter::TierBound { tier, end, bound }) => {
            let count = tiers.len();
            let t = tiers
                .get_mut(*tier)
                .ok_or(Problem::NoSuchTier { tier: *tier, count })?;
            let slot = match end {
                End::From => &mut t.range.from,
                End::To => &mut t.range.to,
            };
            let old = *slot;
            *slot = *bound;
            // The neighbouring tier that shares the old bound (its opposite end, with
            // the complementary inclusivity) moves with it.
            if let (Some(o), Some(n)) = (old, *bound) {
                let shared = Some(Bound {
                    value: o.value,
                    inclusive: !o.inclusive,
                });
                for (k, other) in tiers.iter_mut().enumerate() {
                    let opposite = match end {
                        End::From => &mut other.range.to,
                        End::To => &mut other.range.from,
                    };
                    if k != *tier && *opposite == shared {
                        *opposite = Some(Bound {
                            value: n.value,
                            inclusive: !n.inclusive,
                        });
                    }
                }
            }
            old != *bound
        }
        (Rule::Tiers { tiers, .. }, Parameter::TierPoints { tier, points }) => {
            let count = tiers.len();
            let t = tiers
                .get_mut(*tier)
                .ok_or(Problem::NoSuchTier { tier: *tier, count })?;
            set_fixed(&mut t.points, &mut t.percent_of_max, *points)
        }
        (
            Rule::Levels { levels: list, .. } | Rule::Deductions { severities: list },
            Parameter::OptionPoints { key, points },
        ) => {
            let l = keyed(list, key, |l| &l.key)?;
            set_fixed(&mut l.points, &mut l.percent_of_max, *points)
        }
        (
            Rule::Timeliness {
                on_time,
                late,
                not_done,
            },
            Parameter::OptionPoints { key, points },
        ) => {
            let a = named_award(
                key,
                [("on_time", on_time), ("late", late), ("not_done", not_done)],
            )?;
            set_fixed(&mut a.points, &mut a.percent_of_max, *points)
        }
        (Rule::YesNo { yes, no, .. }, Parameter::OptionPoints { key, points }) => {
            let a = named_award(key, [("yes", yes), ("no", no)])?;
            set_fixed(&mut a.points, &mut a.percent_of_max, *points)
        }
        (Rule::Survey { options }, Parameter::OptionPoints { key, points }) => {
            let o = keyed(options, key, |o| &o.key)?;
            let same = o.percent == *points;
            o.percent = *points;
            !same
        }
        (Rule::Discretionary { step }, Parameter::Step { value }) => {
            let same = *step == Some(*value);
            *step = Some(*value);
            !same
        }
        _ => return Err(err),
    };
    Ok(changed)
}

/// Sets fixed points and drops any percent of the maximum; true when that changed the rule.
fn set_fixed(
    points: &mut Option<Decimal>,
    percent_of_max: &mut Option<Decimal>,
    value: Decimal,
) -> bool {
    let same = *points == Some(value) && percent_of_max.is_none();
    *points = Some(value);
    *percent_of_max = None;
    !same
}

/// The item whose key is `key`, or which keys are allowed.
fn keyed<'a, T>(
    items: &'a mut [T],
    key: &str,
    key_of: fn(&T) -> &String,
) -> Result<&'a mut T, Problem> {
    let allowed = items.iter().map(|i| key_of(i).clone()).collect();
    items
        .iter_mut()
        .find(|i| key_of(i) == key)
        .ok_or(Problem::UnknownOption {
            option: key.to_owned(),
            allowed,
        })
}

/// The award named `key` among a rule's fixed outcomes, or which names are allowed.
fn named_award<'a, const N: usize>(
    key: &str,
    named: [(&str, &'a mut Award); N],
) -> Result<&'a mut Award, Problem> {
    let allowed = named.iter().map(|(n, _)| (*n).to_owned()).collect();
    named
        .into_iter()
        .find(|(n, _)| *n == key)
        .map(|(_, a)| a)
        .ok_or(Problem::UnknownOption {
            option: key.to_owned(),
            allowed,
        })
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

fn standings(index: &Index, base: &Base, results: &[ScoreResult]) -> Vec<Standing> {
    let ranks: Vec<Option<u32>> = if base.is_batch() {
        let totals: Vec<Option<Decimal>> = results.iter().map(|r| r.total.achieved).collect();
        let mut names: HashMap<Option<String>, u32> = HashMap::new();
        let blocks: Vec<u32> = base
            .units()
            .iter()
            .map(|a| {
                let next = names.len() as u32;
                *names.entry(a.unit.block.clone()).or_insert(next)
            })
            .collect();
        crate::ranking::rank_in_blocks(&totals, &blocks, index.definition().tie_policy)
    } else {
        vec![None; results.len()]
    };
    results
        .iter()
        .zip(ranks)
        .map(|(r, rank)| Standing {
            total: r.total.achieved.map(|d| d.normalize()),
            applicable_max: r.total.applicable_max.map(|d| d.normalize()),
            percent: r.total.percent.map(|d| d.normalize()),
            band: band_code(r),
            rank,
        })
        .collect()
}

/// Applies `scenarios` in order to `base` and compares every unit and node with the
/// baseline. The view of the first scenario is used (default `final`).
///
/// ```
/// use chiso::scenario::{parse, run, Base};
/// let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/criteria/examples/");
/// let index = chiso::Index::from_file(format!("{dir}department-example.json").as_ref()).unwrap();
/// let a = chiso::load::assessment(&std::fs::read_to_string(format!("{dir}department-example.assessment.json")).unwrap()).unwrap();
/// let s = parse(r#"{"format":"chiso.scenario/1","index":"par-example-department",
///   "overrides":[{"op":"set_value","code":"2.3","value":{"ratio":{"numerator":"900","denominator":"1000"}}}]}"#).unwrap();
/// let w = run(&index, Base::Assessment(Box::new(a)), &[s]).unwrap();
/// let n = w.units[0].nodes.iter().find(|n| n.code == "2.3").unwrap();
/// // 6 × min(1; 81% / 90%) = 5.4 → 6 × min(1; 90% / 90%) = 6
/// assert_eq!(n.delta, Some("0.6".parse().unwrap()));
/// ```
pub fn run(index: &Index, base: Base, scenarios: &[Scenario]) -> Result<WhatIf, Diagnostics> {
    let cells = (base.units().len() as u64).saturating_mul(index.nodes().len() as u64);
    if cells > crate::limits::MAX_WHATIF_CELLS {
        return Err(Diagnostics(vec![Diagnostic::error(
            "$.base",
            None,
            Problem::LimitExceeded {
                what: WHATIF_CELLS_WHAT.into(),
                limit: crate::limits::MAX_WHATIF_CELLS,
                found: Some(cells),
                unit: String::new(),
            },
        )]));
    }
    let view = scenarios.first().map(|s| s.view).unwrap_or_default();
    let baseline = score_all(index, &base, view).map_err(|e| base_errors(&base, e))?;
    let before = standings(index, &base, &baseline);
    let mut state = State {
        index: index.clone(),
        base,
    };
    let mut errors = Diagnostics::default();
    for (k, s) in scenarios.iter().enumerate() {
        if let Err(d) = apply(&mut state, s) {
            for mut x in d.0 {
                if scenarios.len() > 1 && x.file.is_none() {
                    x.file = Some(format!("scenario {}", k + 1));
                }
                errors.push(x);
            }
        }
    }
    if errors.has_errors() {
        return Err(errors);
    }
    let scenario =
        score_all(&state.index, &state.base, view).map_err(|e| base_errors(&state.base, e))?;
    let after = standings(&state.index, &state.base, &scenario);
    let units = baseline
        .iter()
        .zip(&scenario)
        .zip(before.into_iter().zip(after))
        .map(|((b, s), (sb, ss))| unit_change(b, s, sb, ss))
        .collect();
    Ok(WhatIf {
        format: WHATIF_FORMAT.into(),
        index: index.definition().id.clone(),
        scenarios: scenarios.iter().map(|s| s.title.clone()).collect(),
        overrides: scenarios.iter().map(|s| s.overrides.len()).sum(),
        view,
        units,
    })
}

fn unit_change(b: &ScoreResult, s: &ScoreResult, sb: Standing, ss: Standing) -> UnitChange {
    let nodes = b
        .nodes
        .iter()
        .zip(&s.nodes)
        .map(|(x, y)| NodeChange {
            code: x.code.clone(),
            title: x.title.clone(),
            depth: x.depth,
            baseline: x.achieved.map(|d| d.normalize()),
            scenario: y.achieved.map(|d| d.normalize()),
            delta: y.achieved.zip(x.achieved).map(|(a, b)| (a - b).normalize()),
            baseline_percent: x.percent.map(|d| d.normalize()),
            scenario_percent: y.percent.map(|d| d.normalize()),
            baseline_max: x.applicable_max.map(|d| d.normalize()),
            scenario_max: y.applicable_max.map(|d| d.normalize()),
            changed: x.achieved.map(|d| d.normalize()) != y.achieved.map(|d| d.normalize())
                || x.applicable_max.map(|d| d.normalize())
                    != y.applicable_max.map(|d| d.normalize()),
        })
        .collect();
    UnitChange {
        unit: b.unit.name.clone(),
        block: b.unit.block.clone(),
        delta: ss.total.zip(sb.total).map(|(a, b)| (a - b).normalize()),
        band_changed: sb.band != ss.band,
        rank_change: sb
            .rank
            .zip(ss.rank)
            .map(|(a, b)| i64::from(a) - i64::from(b)),
        baseline: sb,
        scenario: ss,
        nodes,
    }
}

/// JSON in, JSON out (for the WASM binding): `index` is an index file's text,
/// `base` an assessment's text, `scenarios` the scenario files' texts in order.
/// The output is a `chiso.whatif/1` document; errors are the diagnostics.
pub fn whatif_json(index: &str, base: &str, scenarios: &[&str]) -> Result<String, Diagnostics> {
    let index = Index::from_json(index)?;
    let a = crate::load::assessment(base)?;
    let mut list = Vec::new();
    let mut errors = Diagnostics::default();
    for (k, s) in scenarios.iter().enumerate() {
        match parse(s) {
            Ok(s) => list.push(s),
            Err(d) => {
                for mut x in d.0 {
                    if scenarios.len() > 1 {
                        x.file = Some(format!("scenario {}", k + 1));
                    }
                    errors.push(x);
                }
            }
        }
    }
    if errors.has_errors() {
        return Err(errors);
    }
    let w = run(&index, Base::Assessment(Box::new(a)), &list)?;
    serde_json::to_string(&w).map_err(|e| {
        Diagnostics(vec![Diagnostic::error(
            "$",
            None,
            Problem::Structure {
                detail: e.to_string(),
            },
        )])
    })
}
