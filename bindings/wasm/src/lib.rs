//! chiso in WebAssembly: the same engine as the crate, behind a small JavaScript API.
//!
//! Documents cross the boundary as JSON text and every decimal inside them is a string
//! (`"3.7"`), never a JavaScript number. The index is parsed once ([`Engine::load`]) and
//! stays inside WASM; a [`Session`] keeps an assessment resident so a single change
//! re-scores in microseconds. Every failure is a JavaScript `Error` carrying a stable
//! `code`, the JSON `path`, the `criterion` code, both messages and all `diagnostics`.
//!
//! Dossier records (QĐ 766 indicators from a DVC export) and SIPAS answer sheets come in
//! a second module (feature `records`), loaded by the page only when they are used:
//! [`records`], [`explain_dossier`], [`Records`] and [`survey`].
//!
//! What-if, plan, headroom, scenarios, sensitivity and explain come in a third module
//! (feature `analysis`), loaded by the page when its analysis panels are used; the JSON
//! Schemas are files beside the modules (feature `schemas` embeds them, for native use).
//!
//! The logic lives in [`api`], [`records`](mod@records) and [`survey`](mod@survey) (plain
//! Rust, tested natively); this file only adapts it.

pub mod api;
mod common;
pub mod load;
pub mod records;
pub mod survey;

use wasm_bindgen::prelude::*;

fn js_error(e: api::ApiError) -> JsValue {
    let err = js_sys::Error::new(&e.message_vi);
    let obj: &JsValue = err.as_ref();
    let set = |k: &str, v: JsValue| {
        // Setting a property on a fresh Error object cannot fail.
        let _ = js_sys::Reflect::set(obj, &JsValue::from_str(k), &v);
    };
    set("name", JsValue::from_str("ChisoError"));
    set("code", JsValue::from_str(&e.code));
    set("path", JsValue::from_str(&e.path));
    set(
        "criterion",
        e.criterion
            .as_deref()
            .map(JsValue::from_str)
            .unwrap_or(JsValue::NULL),
    );
    set("messageVi", JsValue::from_str(&e.message_vi));
    set("messageEn", JsValue::from_str(&e.message_en));
    set("unlocated", JsValue::from_bool(e.unlocated));
    let diags = chiso::write::json(&e.diagnostics).unwrap_or_else(|| "[]".into());
    set(
        "diagnostics",
        js_sys::JSON::parse(&diags).unwrap_or(JsValue::NULL),
    );
    err.into()
}

type JsResult<T> = Result<T, JsValue>;

fn js<T>(r: api::ApiResult<T>) -> JsResult<T> {
    r.map_err(js_error)
}

/// A loaded, validated index. The form's module (feature `form`) has the calls a form
/// makes on every edit; the analysis module (feature `analysis`, loaded on demand) loads
/// the same index again and has every call: what-if, plan, headroom, scenarios,
/// sensitivity and explain besides the form's (with the library's located loaders, so it
/// also names the exact path of a shape error the lean form module leaves unlocated).
#[cfg(any(feature = "form", feature = "analysis"))]
#[wasm_bindgen]
pub struct Engine(api::Engine);

#[cfg(any(feature = "form", feature = "analysis"))]
#[wasm_bindgen]
impl Engine {
    /// Parses and validates an index file's text. Throws with every problem found.
    pub fn load(text: &str) -> JsResult<Engine> {
        js(api::Engine::load(text)).map(Engine)
    }

    /// The index `id`.
    #[wasm_bindgen(getter)]
    pub fn id(&self) -> String {
        self.0.id()
    }
}

#[cfg(any(feature = "form", feature = "analysis"))]
#[wasm_bindgen]
impl Engine {
    /// The definition as JSON text.
    pub fn definition(&self) -> String {
        self.0.definition()
    }

    /// The flattened criteria tree as JSON text (what a form renders).
    pub fn nodes(&self) -> String {
        self.0.nodes()
    }

    /// Validation warnings of the index, as JSON text.
    pub fn warnings(&self) -> String {
        self.0.warnings()
    }

    /// Every error and warning of an assessment, as JSON text (`[]` when clean).
    pub fn validate(&self, assessment: &str) -> String {
        self.0.validate(assessment)
    }

    /// The full score result as JSON text; `view` is `self`, `appraised` or `final`.
    pub fn score(&self, assessment: &str, view: Option<String>) -> JsResult<String> {
        js(self.0.score(assessment, view.as_deref().unwrap_or("")))
    }

    /// Keeps an assessment resident for fast re-scoring.
    pub fn session(&self, assessment: &str, view: Option<String>) -> JsResult<Session> {
        js(self.0.session(assessment, view.as_deref().unwrap_or(""))).map(Session)
    }
}

#[cfg(feature = "analysis")]
#[wasm_bindgen]
impl Engine {
    /// Why a criterion got its points, as JSON text.
    pub fn explain(&self, assessment: &str, code: &str, lang: Option<String>) -> JsResult<String> {
        js(self
            .0
            .explain(assessment, code, lang.as_deref().unwrap_or("vi")))
    }

    /// Baseline vs what-if totals and changed nodes, as JSON text.
    #[wasm_bindgen(js_name = whatIf)]
    pub fn what_if(
        &self,
        assessment: &str,
        overrides: &str,
        view: Option<String>,
    ) -> JsResult<String> {
        js(self
            .0
            .what_if(assessment, overrides, view.as_deref().unwrap_or("")))
    }

    /// Runs scenario files (JSON texts, applied in order): the what-if document as JSON text.
    pub fn scenarios(&self, assessment: &str, scenarios: Vec<String>) -> JsResult<String> {
        js(self.0.scenarios(assessment, &scenarios))
    }

    /// The least-cost plan reaching `target` (JSON text), with optional costs (JSON text or
    /// empty): the plan document as JSON text.
    pub fn plan(
        &self,
        assessment: &str,
        target: &str,
        costs: Option<String>,
        view: Option<String>,
    ) -> JsResult<String> {
        js(self.0.plan(
            assessment,
            target,
            costs.as_deref().unwrap_or(""),
            view.as_deref().unwrap_or(""),
        ))
    }

    /// Points still available per leaf, sorted: the headroom document as JSON text.
    pub fn headroom(
        &self,
        assessment: &str,
        costs: Option<String>,
        view: Option<String>,
    ) -> JsResult<String> {
        js(self.0.headroom(
            assessment,
            costs.as_deref().unwrap_or(""),
            view.as_deref().unwrap_or(""),
        ))
    }

    /// Uncertainty and sensitivity of a batch's ranking (units CSV text, spec JSON text),
    /// single-threaded: the report as JSON text, with `warnings` (a repeated unit,
    /// `batch_duplicate_unit`, at `$units[row].unit`) when the units have some.
    pub fn sensitivity(&self, units: &str, spec: &str) -> JsResult<String> {
        js(self.0.sensitivity(units, spec))
    }
}

/// A resident assessment.
#[cfg(any(feature = "form", feature = "analysis"))]
#[wasm_bindgen]
pub struct Session(api::Session);

#[cfg(any(feature = "form", feature = "analysis"))]
#[wasm_bindgen]
impl Session {
    /// Current total as an exact decimal string (`undefined` when missing).
    pub fn total(&self) -> Option<String> {
        self.0.total()
    }

    /// Current points of a node as an exact decimal string.
    pub fn points(&self, code: &str) -> JsResult<Option<String>> {
        js(self.0.points(code))
    }

    /// Sets one value (JSON, e.g. `{"percent":"85"}`, or `null`) and returns the new total.
    #[wasm_bindgen(js_name = setValue)]
    pub fn set_value(&mut self, code: &str, layer: &str, value: &str) -> JsResult<Option<String>> {
        js(self.0.set_value(code, layer, value))
    }

    /// Replaces a layer record (JSON with value, evidence, note, explanation, or `null`).
    #[wasm_bindgen(js_name = setLayer)]
    pub fn set_layer(&mut self, code: &str, layer: &str, record: &str) -> JsResult<Option<String>> {
        js(self.0.set_layer(code, layer, record))
    }

    /// Marks a criterion not applicable (a reason) or applicable again (`null`).
    #[wasm_bindgen(js_name = setNotApplicable)]
    pub fn set_not_applicable(
        &mut self,
        code: &str,
        reason: Option<String>,
    ) -> JsResult<Option<String>> {
        js(self.0.set_not_applicable(code, reason))
    }

    /// The assessment as JSON text (the CLI's format).
    pub fn assessment(&self) -> String {
        self.0.assessment()
    }

    /// The full result in `view`, as JSON text.
    pub fn result(&self, view: Option<String>) -> JsResult<String> {
        js(self.0.result(view.as_deref().unwrap_or("")))
    }
}

/// The JSON Schema of `index`, `assessment`, `result`, … as text (feature `schemas`:
/// native builds and tests; the browser modules do not embed the schemas, which build.sh
/// writes beside them as `schemas/<name>.schema.json`).
#[cfg(feature = "schemas")]
#[wasm_bindgen]
pub fn schema(name: &str) -> JsResult<String> {
    js(api::schema(name))
}

/// The engine's version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// Hands over the problem messages' catalog (the text of `messages.json`, which build.sh
/// writes beside the modules): the form's browser module (feature `lean`) does not embed
/// it, and words a problem by its stable code until it has it. `false` when the text is
/// not a JSON object or a catalog is already in place (every other build embeds one).
#[wasm_bindgen(js_name = setMessages)]
pub fn set_messages(text: &str) -> bool {
    chiso::diagnostics::set_messages(text)
}

/// `chiso records --format json`: the `chiso.records/1` document of a dossier export's
/// text under `options` (JSON text: period, format, by, unit_level, policies, mapping,
/// as_of, index, values, costs, explain, explain_costs), as JSON text.
#[cfg(feature = "records")]
#[wasm_bindgen(js_name = records)]
pub fn records_document(text: &str, options: &str) -> JsResult<String> {
    js(records::records(text, options))
}

/// `chiso records --explain <MaHoSo> --format json`: one dossier's explanation (JSON text).
#[cfg(feature = "records")]
#[wasm_bindgen(js_name = explainDossier)]
pub fn explain_dossier(text: &str, options: &str, ma_ho_so: &str) -> JsResult<String> {
    js(records::explain_dossier(text, options, ma_ho_so))
}

/// `100 × numerator / denominator` (whole numbers as text), exact, as a decimal string;
/// `undefined` when the denominator is 0. The ratio of an indicator, so a page never divides.
#[cfg(feature = "records")]
#[wasm_bindgen(js_name = ratioPercent)]
pub fn ratio_percent(numerator: &str, denominator: &str) -> JsResult<Option<String>> {
    js(records::ratio_percent(numerator, denominator))
}

/// A records run kept resident: explanations and full scores without re-counting.
#[cfg(feature = "records")]
#[wasm_bindgen]
pub struct Records(records::Records);

#[cfg(feature = "records")]
#[wasm_bindgen]
impl Records {
    /// Reads and counts a dossier export's text under `options` (JSON text).
    pub fn analyse(text: &str, options: &str) -> JsResult<Records> {
        js(records::Records::analyse(text, options)).map(Records)
    }

    /// The `chiso.records/1` document as JSON text.
    pub fn document(&self) -> JsResult<String> {
        js(self.0.document())
    }

    /// One dossier's explanation as JSON text.
    pub fn explain(&self, ma_ho_so: &str) -> JsResult<String> {
        js(self.0.explain(ma_ho_so))
    }

    /// The engine's full result (`chiso.result/1`) of a unit in a period, as JSON text.
    pub fn result(&self, unit: &str, period: &str) -> JsResult<String> {
        js(self.0.result(unit, period))
    }
}

/// `chiso survey --format json`: the `chiso.survey-result/1` document of an answer
/// sheet's text for a definition (JSON text), under `options` (JSON text: format,
/// source, by, bootstrap, seed, level, margin, max_errors), as JSON text.
#[cfg(feature = "records")]
#[wasm_bindgen(js_name = survey)]
pub fn survey_result(definition: &str, answers: &str, options: &str) -> JsResult<String> {
    js(survey::survey(definition, answers, options))
}
