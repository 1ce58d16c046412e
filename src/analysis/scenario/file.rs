//! The scenario file (`chiso.scenario/1`): its shape, its parser, the resolved base and
//! the reading of a batch of units as a base.

use super::*;

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
    pub(super) fn name(&self) -> &'static str {
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
    rule.type_name()
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
    pub(super) fn units(&self) -> &[Assessment] {
        match self {
            Base::Assessment(a) => std::slice::from_ref(a.as_ref()),
            Base::Units(u) => u,
        }
    }
    pub(super) fn units_mut(&mut self) -> &mut [Assessment] {
        match self {
            Base::Assessment(a) => std::slice::from_mut(a.as_mut()),
            Base::Units(u) => u,
        }
    }
    pub(super) fn is_batch(&self) -> bool {
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
/// assessment `chiso batch` builds from it. Errors are located at `row N` (and the
/// column) with the batch's stable codes; the first 1,000 are listed, then their count.
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

/// A batch reader's error as diagnostics: one per located problem, with the batch's
/// stable code (`batch_wrong_width`…), location (`row N, column C`) and both messages
/// ([`crate::batch::RowError::to_diagnostic`]), then the count of those not listed.
pub fn batch_diagnostics(e: &crate::batch::BatchError, lang: Lang) -> Diagnostics {
    use crate::batch::BatchError;
    let structure =
        |path: String, detail: String| Diagnostic::error(path, None, Problem::Structure { detail });
    match e {
        BatchError::Input { errors, total, .. } => {
            let mut d = Diagnostics::default();
            for x in errors {
                // The caller names the file.
                d.push(x.diagnostic());
            }
            if *total > errors.len() {
                let more = total - errors.len();
                d.push(structure(
                    "$".into(),
                    lang.pick(
                        format!("… và {more} lỗi khác ({total} lỗi tất cả)"),
                        format!("… and {more} more errors ({total} in all)"),
                    ),
                ));
            }
            d
        }
        BatchError::Io(io) => Diagnostics(vec![structure("$".into(), io.to_string())]),
    }
}
