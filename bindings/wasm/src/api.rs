//! The binding's logic in plain Rust (strings in, strings out), so it is tested natively
//! as well as in WASM. `lib.rs` only wraps it for JavaScript.

// An error is built once per failed call and handed to JavaScript; boxing it would only
// add an allocation.
#![allow(clippy::result_large_err)]

use chiso::assessment::{Assessment, Entry, Layer, LayerEntry, NotApplicable, Value};
use chiso::diagnostics::{Diagnostic, Diagnostics, Problem, Severity};
use chiso::inputs::Inputs;
use chiso::{Cell, Decimal, Index, Lang, View};
use serde::Serialize;
use std::rc::Rc;

pub(crate) use crate::common::{parse_json, to_json, usage};
pub use crate::common::{ApiError, ApiResult, DiagnosticView};

/// Parses a view name: `self`, `appraised` or `final` (empty = final).
pub fn parse_view(s: &str) -> ApiResult<View> {
    if s.is_empty() {
        return Ok(View::Final);
    }
    s.parse().map_err(|_| {
        usage(
            "view",
            format!("chế độ xem \"{s}\" không hợp lệ; dùng self, appraised hoặc final"),
            format!("unknown view \"{s}\"; use self, appraised or final"),
        )
    })
}

fn parse_layer(s: &str) -> ApiResult<Layer> {
    match s {
        "self" => Ok(Layer::SelfAssessment),
        "appraisal_1" => Ok(Layer::Appraisal1),
        "appraisal_2" => Ok(Layer::Appraisal2),
        "survey" => Ok(Layer::Survey),
        _ => Err(usage(
            "layer",
            format!(
                "lớp điểm \"{s}\" không hợp lệ; dùng self, appraisal_1, appraisal_2 hoặc survey"
            ),
            format!("unknown layer \"{s}\"; use self, appraisal_1, appraisal_2 or survey"),
        )),
    }
}

/// Parses a language: `vi` or `en` (any case; empty = `vi`). Anything else is a `usage`
/// error at `lang`, in both languages — never silently Vietnamese.
pub fn parse_lang(s: &str) -> ApiResult<Lang> {
    if s.is_empty() || s.eq_ignore_ascii_case("vi") {
        Ok(Lang::Vi)
    } else if s.eq_ignore_ascii_case("en") {
        Ok(Lang::En)
    } else {
        let s = chiso::text::excerpt(s);
        Err(usage(
            "lang",
            format!("ngôn ngữ \"{s}\" không hợp lệ; dùng vi hoặc en"),
            format!("unknown language \"{s}\"; use vi or en"),
        ))
    }
}

/// A loaded, validated index (parse once, score many times).
#[derive(Debug, Clone)]
pub struct Engine {
    index: Rc<Index>,
}

impl Engine {
    /// Loads an index file's text; every problem at once on failure.
    pub fn load(text: &str) -> ApiResult<Engine> {
        #[cfg(feature = "lean")]
        let index = crate::load::index(text).map_err(|ds| ApiError::from(ds).mark_unlocated())?;
        #[cfg(not(feature = "lean"))]
        let index = Index::from_json(text)?;
        Ok(Engine {
            index: Rc::new(index),
        })
    }

    /// The index.
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// `id` of the index.
    pub fn id(&self) -> String {
        self.index.definition().id.clone()
    }

    /// The definition as JSON (as written, decimals as strings).
    pub fn definition(&self) -> String {
        chiso::write::definition(self.index.definition())
    }

    /// Validation warnings of the index as JSON.
    pub fn warnings(&self) -> String {
        to_json(
            &self
                .index
                .warnings()
                .0
                .iter()
                .map(DiagnosticView::of)
                .collect::<Vec<_>>(),
        )
    }

    /// The flattened tree (pre-order, without the root) as JSON: what a form renders.
    pub fn nodes(&self) -> String {
        chiso::write::nodes(&self.index)
    }

    /// Checks an assessment: every error and warning as JSON (an empty list when clean).
    /// Malformed JSON is reported as a diagnostic too, never thrown.
    pub fn validate(&self, assessment: &str) -> String {
        let (ds, unlocated) = match read_assessment(assessment) {
            Ok(a) => (self.index.check_assessment(&a), false),
            Err(ds) => (ds, true),
        };
        let views = ds.0.iter().map(DiagnosticView::of);
        to_json(
            &views
                .map(|v| if unlocated { v.mark_unlocated() } else { v })
                .collect::<Vec<_>>(),
        )
    }

    fn parse_assessment(&self, text: &str) -> ApiResult<Assessment> {
        read_assessment(text).map_err(|ds| ApiError::from(ds).mark_unlocated())
    }

    /// Scores an assessment in `view` (`self`, `appraised`, `final`): the full result
    /// (every node, explanation, status) as JSON, decimals as strings.
    pub fn score(&self, assessment: &str, view: &str) -> ApiResult<String> {
        let view = parse_view(view)?;
        let a = self.parse_assessment(assessment)?;
        Ok(chiso::write::result(&self.index.score(&a, view)?))
    }

    /// Why a criterion got its points: the node's result, the assessment's entry, the
    /// one-line `text` and the full `detail` (as `chiso explain` prints it), as JSON;
    /// `lang` picks the language of the texts. The library's [`chiso::explain`].
    pub fn explain(&self, assessment: &str, code: &str, lang: &str) -> ApiResult<String> {
        let lang = parse_lang(lang)?;
        let a = self.parse_assessment(assessment)?;
        let result = self.index.score(&a, View::Final)?;
        match chiso::explain::Explanation::of(&self.index, &a, &result, code, lang) {
            Some(e) => Ok(to_json(&e)),
            None => Err(Diagnostic::error("code", Some(code), Problem::UnknownCode).into()),
        }
    }

    /// Applies what-if edits ([`chiso::scenario::Edit`]:
    /// `{"code":"1.1.4","layer":"self","value":{"percent":"85"}}`,
    /// `{"code":"2","not_applicable":"lý do"}`, `{"code":"2","applicable":true}` or
    /// `{"code":"1.1.4","layer":"appraisal_1","clear":true}`) to a copy of the assessment
    /// and returns baseline and scenario totals and every node that changed, as JSON
    /// ([`chiso::scenario::compare`]). The assessment itself is not modified.
    pub fn what_if(&self, assessment: &str, overrides: &str, view: &str) -> ApiResult<String> {
        let view = parse_view(view)?;
        let base = self.parse_assessment(assessment)?;
        let edits: Vec<chiso::scenario::Edit> = chiso::load::json_at(overrides, "$overrides")?;
        Ok(to_json(&chiso::scenario::compare(
            &self.index,
            &base,
            &edits,
            view,
            "$overrides",
        )?))
    }

    /// Runs what-if scenario files (`chiso.scenario/1`, applied in order) on an
    /// assessment: the `chiso.whatif/1` document (baseline vs scenario for every node,
    /// band change) as JSON. Every problem of every scenario is reported at once.
    pub fn scenarios(&self, assessment: &str, scenarios: &[String]) -> ApiResult<String> {
        let a = self.parse_assessment(assessment)?;
        let mut list = Vec::new();
        let mut errors = Diagnostics::default();
        for (k, text) in scenarios.iter().enumerate() {
            match chiso::scenario::parse(text) {
                Ok(s) => list.push(s),
                Err(ds) => errors.0.extend(
                    ds.0.into_iter()
                        .map(|d| d.in_file(format!("scenario {}", k + 1))),
                ),
            }
        }
        if errors.has_errors() {
            return Err(errors.into());
        }
        let base = chiso::scenario::Base::Assessment(Box::new(a));
        Ok(to_json(&chiso::scenario::run(&self.index, base, &list)?))
    }

    /// The least-cost improvements reaching `target` (`{"kind":"percent","value":"90"}`,
    /// `{"kind":"points",…}` or `{"kind":"band","code":"A"}`), with optional per-leaf
    /// costs (`chiso.costs/1`, empty = 1 per step): the `chiso.plan/1` document as JSON.
    pub fn plan(
        &self,
        assessment: &str,
        target: &str,
        costs: &str,
        view: &str,
    ) -> ApiResult<String> {
        let view = parse_view(view)?;
        let a = self.parse_assessment(assessment)?;
        let target: chiso::planner::Target = parse_json(target, "$target")?;
        let costs = self.costs(costs)?;
        Ok(to_json(&chiso::planner::plan(
            &self.index,
            &a,
            view,
            &target,
            &costs,
            None,
        )?))
    }

    /// Points still available per leaf, sorted, with the next step: `chiso.headroom/1`.
    pub fn headroom(&self, assessment: &str, costs: &str, view: &str) -> ApiResult<String> {
        let view = parse_view(view)?;
        let a = self.parse_assessment(assessment)?;
        let costs = self.costs(costs)?;
        Ok(to_json(&chiso::planner::headroom(
            &self.index,
            &a,
            view,
            &costs,
        )?))
    }

    fn costs(&self, text: &str) -> ApiResult<chiso::planner::Costs> {
        if text.trim().is_empty() {
            return Ok(chiso::planner::Costs::default());
        }
        let costs = chiso::planner::Costs::parse(text)?;
        let problems = costs.check(&self.index);
        if problems.has_errors() {
            return Err(problems.into());
        }
        Ok(costs)
    }

    /// Monte-Carlo uncertainty and variance-based sensitivity of a batch's ranking
    /// (`units` in the CSV of `chiso batch`, `spec` a `chiso.sensitivity/1` file), on one
    /// thread: the report as JSON, with the units' `warnings` when there are some.
    pub fn sensitivity(&self, units: &str, spec: &str) -> ApiResult<String> {
        use chiso::sensitivity as sa;
        // Every problem of the units stops the analysis.
        let units =
            sa::Units::from_csv(&self.index, units.as_bytes(), Lang::Vi).map_err(|rows| {
                let ds = rows
                    .iter()
                    .map(|r| unit_row_diagnostic(r, Severity::Error))
                    .collect();
                ApiError::from(Diagnostics(ds))
            })?;
        // Stable codes (`sensitivity_*`, `structure`, `limit_exceeded`) at the spec's
        // JSON paths; an overflow at the unit (`unit "…"`).
        let spec_error = |e: sa::Error| -> ApiError { e.diagnostics().into() };
        let spec = sa::parse_spec(spec).map_err(spec_error)?;
        let report = sa::run(
            &self.index,
            &units,
            &spec,
            &sa::RunOptions::default(),
            &|_| {},
        )
        .map_err(spec_error)?;
        // The units' warnings (a repeated unit: `batch_duplicate_unit`), as the CLI prints
        // them; written only when there are some.
        let warnings = units
            .warnings()
            .iter()
            .map(|r| DiagnosticView::of(&unit_row_diagnostic(r, Severity::Warning)))
            .collect();
        Ok(to_json(&SensitivityOut {
            report: &report,
            warnings,
        }))
    }

    /// Starts a resident session on an assessment: later single-value changes re-score
    /// without re-parsing anything.
    pub fn session(&self, assessment: &str, view: &str) -> ApiResult<Session> {
        let view = parse_view(view)?;
        let a = self.parse_assessment(assessment)?;
        let inputs = Inputs::resolve(&self.index, &a, view)?;
        let mut s = Session {
            index: Rc::clone(&self.index),
            cells: vec![Cell::Missing; self.index.nodes().len()],
            total: None,
            assessment: a,
            inputs,
        };
        s.total = s.index.evaluate(&s.inputs, &mut s.cells)?;
        Ok(s)
    }
}

/// An assessment's text read by the library's located loader, or without path tracking
/// with feature `lean` ([`crate::load`]).
fn read_assessment(text: &str) -> Result<Assessment, Diagnostics> {
    #[cfg(feature = "lean")]
    return crate::load::assessment(text);
    #[cfg(not(feature = "lean"))]
    chiso::load::assessment(text)
}

/// An exact decimal as text, as `Decimal`'s `Display` writes it ("68.570", "-0.5", "3"),
/// without the `core::fmt` machinery: the session's total and points after every keystroke.
pub fn decimal_text(d: Decimal) -> String {
    let scale = d.scale() as usize;
    let mut m = d.mantissa().unsigned_abs();
    let mut digits = Vec::with_capacity(40);
    loop {
        digits.push(b'0' + (m % 10) as u8);
        m /= 10;
        if m == 0 {
            break;
        }
    }
    while digits.len() <= scale {
        digits.push(b'0');
    }
    let mut out = String::with_capacity(digits.len() + 2);
    if d.is_sign_negative() {
        out.push('-');
    }
    for (i, &c) in digits.iter().enumerate().rev() {
        out.push(c as char);
        if i == scale && scale > 0 {
            out.push('.');
        }
    }
    out
}

/// Whether an entry records nothing (equal to `Entry::default()`), field by field: the
/// form's module then needs no `PartialEq` of the whole assessment model.
fn is_empty(e: &Entry) -> bool {
    let Entry {
        not_applicable,
        self_assessment,
        appraisal_1,
        appraisal_2,
        survey,
    } = e;
    not_applicable.is_none()
        && self_assessment.is_none()
        && appraisal_1.is_none()
        && appraisal_2.is_none()
        && survey.is_none()
}

/// A resident assessment: the index, the assessment and its resolved inputs stay in
/// memory; [`Session::set_value`] re-scores after one change in microseconds.
#[derive(Debug, Clone)]
pub struct Session {
    index: Rc<Index>,
    assessment: Assessment,
    inputs: Inputs,
    cells: Vec<Cell>,
    total: Option<Decimal>,
}

impl Session {
    /// Current total (after bonus / penalty) of the session's view, exact, as a string;
    /// `None` while a value is missing under the propagate policy.
    pub fn total(&self) -> Option<String> {
        self.total.map(decimal_text)
    }

    /// Current points of a node, exact, as a string.
    pub fn points(&self, code: &str) -> ApiResult<Option<String>> {
        let i = self
            .index
            .position(code)
            .ok_or_else(|| Diagnostic::error("code", Some(code), Problem::UnknownCode))?;
        Ok(self.cells[i].achieved().map(decimal_text))
    }

    /// Sets the value of `code` in `layer` from JSON (e.g. `{"percent":"85"}`, or `null`
    /// to remove the layer's value) and re-scores. On any error nothing changes.
    pub fn set_value(&mut self, code: &str, layer: &str, value: &str) -> ApiResult<Option<String>> {
        let layer = parse_layer(layer)?;
        let value: Option<Value> = parse_json(value, "$value")?;
        let entry = self.entry_mut(code)?;
        let old = entry.clone();
        let s = entry.layer_mut(layer);
        match (s.as_mut(), value) {
            (Some(le), Some(v)) => le.value = v,
            (None, Some(v)) => *s = Some(LayerEntry::new(v)),
            (_, None) => *s = None,
        }
        self.commit(code, old)
    }

    /// Replaces the whole record of `code` in `layer` (value, evidence, note,
    /// explanation) from JSON, or removes it with `null`, and re-scores.
    pub fn set_layer(
        &mut self,
        code: &str,
        layer: &str,
        record: &str,
    ) -> ApiResult<Option<String>> {
        let layer = parse_layer(layer)?;
        let record: Option<LayerEntry> = parse_json(record, "$record")?;
        let entry = self.entry_mut(code)?;
        let old = entry.clone();
        *entry.layer_mut(layer) = record;
        self.commit(code, old)
    }

    /// Marks `code` not applicable with `reason`, or applicable again with `None`.
    pub fn set_not_applicable(
        &mut self,
        code: &str,
        reason: Option<String>,
    ) -> ApiResult<Option<String>> {
        let entry = self.entry_mut(code)?;
        let old = entry.clone();
        entry.not_applicable = reason.map(|reason| NotApplicable { reason });
        self.commit(code, old)
    }

    fn entry_mut(&mut self, code: &str) -> ApiResult<&mut Entry> {
        let is_adj = self
            .index
            .definition()
            .adjustments
            .iter()
            .any(|x| x.code == code);
        if is_adj {
            return Ok(self
                .assessment
                .adjustments
                .entry(code.to_owned())
                .or_default());
        }
        if self.index.position(code).filter(|&i| i != 0).is_none() {
            return Err(Diagnostic::error(
                format!("$.entries[\"{code}\"]"),
                Some(code),
                Problem::UnknownCode,
            )
            .into());
        }
        Ok(self.assessment.entries.entry(code.to_owned()).or_default())
    }

    /// Re-reads `code` and re-scores; on error restores `old` and the previous state.
    fn commit(&mut self, code: &str, old: Entry) -> ApiResult<Option<String>> {
        let attempt = self
            .check_entry(code)
            .and_then(|_| self.inputs.refresh(&self.index, &self.assessment, code))
            .and_then(|only| match only {
                Some(leaf) => self.index.reevaluate(&self.inputs, &mut self.cells, leaf),
                None => self.index.evaluate(&self.inputs, &mut self.cells),
            });
        match attempt {
            Ok(t) => {
                self.tidy(code);
                self.total = t;
                Ok(self.total())
            }
            Err(d) => {
                let map = if self.assessment.adjustments.contains_key(code) {
                    &mut self.assessment.adjustments
                } else {
                    &mut self.assessment.entries
                };
                map.insert(code.to_owned(), old);
                self.tidy(code);
                // Restoring a state that scored before cannot fail; keep the old total.
                let _ = self
                    .inputs
                    .refresh(&self.index, &self.assessment, code)
                    .and_then(|_| self.index.evaluate(&self.inputs, &mut self.cells));
                Err(d.into())
            }
        }
    }

    /// Checks the changed entry on its own (every layer, not only those the session's
    /// view reads), with the library's per-entry check.
    fn check_entry(&self, code: &str) -> Result<(), Box<Diagnostic>> {
        let ds = if let Some(e) = self.assessment.adjustments.get(code) {
            let mut probe = Assessment::new(self.assessment.index.clone(), "");
            probe.adjustments.insert(code.to_owned(), e.clone());
            self.index.check_assessment(&probe)
        } else if let Some(e) = self.assessment.entries.get(code) {
            self.index.check_entry(code, e)
        } else {
            return Ok(());
        };
        let first = ds.errors().next().cloned();
        first.map_or(Ok(()), |d| Err(Box::new(d)))
    }

    /// Drops an entry left empty by a change, so exports stay clean.
    fn tidy(&mut self, code: &str) {
        for map in [
            &mut self.assessment.entries,
            &mut self.assessment.adjustments,
        ] {
            if map.get(code).is_some_and(is_empty) {
                map.remove(code);
            }
        }
    }

    /// The assessment as it stands, as JSON (the CLI's format).
    pub fn assessment(&self) -> String {
        to_json(&self.assessment)
    }

    /// The full result (every node explained) in `view`, as JSON.
    pub fn result(&self, view: &str) -> ApiResult<String> {
        let view = parse_view(view)?;
        Ok(chiso::write::result(
            &self.index.score(&self.assessment, view)?,
        ))
    }
}

// The checked-in JSON Schemas (`criteria/schema/`), minified by build.rs: identical in
// content to what the crate generates (a test checks both), without shipping the
// generator. Only with feature `schemas`: the browser modules leave them out (build.sh
// writes them beside the modules, `schemas/<name>.schema.json`).
#[cfg(feature = "schemas")]
include!(concat!(env!("OUT_DIR"), "/schemas.rs"));

/// The JSON Schema of `name` (`index`, `assessment`, `result`, …).
#[cfg(feature = "schemas")]
pub fn schema(name: &str) -> ApiResult<String> {
    SCHEMAS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, s)| (*s).to_owned())
        .ok_or_else(|| {
            let names = SCHEMAS
                .iter()
                .map(|(n, _)| *n)
                .collect::<Vec<_>>()
                .join(", ");
            usage(
                "name",
                format!("không có lược đồ \"{name}\"; có: {names}"),
                format!("no schema named \"{name}\"; available: {names}"),
            )
        })
}

/// A sensitivity report with the units' warnings beside its own fields.
#[derive(Serialize)]
struct SensitivityOut<'a> {
    #[serde(flatten)]
    report: &'a chiso::sensitivity::Report,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    warnings: Vec<DiagnosticView>,
}

/// A problem of a sensitivity's units CSV: the batch's stable code (`batch_*`), both
/// messages and the row/column location; the path names the argument
/// (`$units[row].column`).
fn unit_row_diagnostic(r: &chiso::batch::RowError, severity: Severity) -> Diagnostic {
    Diagnostic {
        path: format!(
            "$units[{}]{}",
            r.row,
            r.column
                .as_deref()
                .map(|c| format!(".{c}"))
                .unwrap_or_default()
        ),
        code: r.column.clone(),
        severity,
        ..r.to_diagnostic("units.csv")
    }
}
