//! The spec of an analysis (what varies, how often), its parsing and the errors of a run.

use super::Limit;
use crate::diagnostics::Location;
use crate::text::Lang;
use crate::{Diagnostic, Diagnostics, Problem};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[cfg(doc)]
use super::run;

/// An uncertainty (and optionally sensitivity) analysis: what varies, how often.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// Format tag, always `chiso.sensitivity/1`.
    pub format: String,
    /// Free notes: where the ranges come from, caveats.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Replications of the uncertainty analysis (default 1000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reps: Option<u32>,
    /// Seed of the random draws (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// The uncertain assumptions.
    pub assumptions: Vec<Assumption>,
    /// Variance-based sensitivity analysis; omitted = uncertainty analysis only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensitivity: Option<SensitivityDesign>,
}

/// Size of the sensitivity design.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SensitivityDesign {
    /// Base sample size `N`; the design runs the model `N·(d+2)` times.
    pub n: u32,
}

/// One uncertain assumption. The JSON `kind` field names the variant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Assumption {
    /// Multiplicative uniform noise on weights.
    Weights {
        /// Name shown in the report.
        name: String,
        /// Relative half-width: `0.2` = each weight × U(0.8, 1.2). In `[0, 1)`.
        noise: Decimal,
        /// Codes whose weight (in their parent) varies; empty = every node.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        codes: Vec<String>,
    },
    /// Uncertain inputs: the points of leaves, per unit.
    Inputs {
        /// Name shown in the report.
        name: String,
        /// Leaf codes whose points vary (each independently, per unit).
        codes: Vec<String>,
        /// Lower end of the shift (points for `add`, a fraction for `scale`).
        from: Decimal,
        /// Upper end of the shift.
        to: Decimal,
        /// Whether the shift adds points or scales them.
        #[serde(default)]
        mode: InputMode,
    },
    /// Alternative aggregations, one picked uniformly per replication.
    Aggregation {
        /// Name shown in the report.
        name: String,
        /// The alternatives (at least one).
        alternatives: Vec<AggregationChoice>,
        /// Parent codes (`total` for the root) using the pick; empty = every parent.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        codes: Vec<String>,
    },
}

impl Assumption {
    /// The assumption's name.
    pub fn name(&self) -> &str {
        match self {
            Assumption::Weights { name, .. }
            | Assumption::Inputs { name, .. }
            | Assumption::Aggregation { name, .. } => name,
        }
    }
}

/// How an input shift applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum InputMode {
    /// `points + u`.
    #[default]
    Add,
    /// `points × (1 + u)`.
    Scale,
}

/// An aggregation a parent can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AggregationChoice {
    /// The index's own aggregation (sum, weighted sum or weighted mean, with its rescaling).
    Declared,
    /// Σ wᵢ·xᵢ.
    Sum,
    /// Σ wᵢ·xᵢ / Σ wᵢ.
    Mean,
    /// (Π xᵢ^wᵢ)^(1/Σ wᵢ); 0 when any child has 0 points (computed in `f64`).
    GeometricMean,
}

/// A problem in a spec, located by its JSON path.
///
/// Every problem has a stable [`code`](SpecProblem::code) for programs: a
/// `sensitivity_*` code for what the spec says ([`codes`] lists them), or the shared
/// problem's tag (`syntax`, `structure`, `duplicate_key`, `limit_exceeded`, …) when the
/// text is not readable JSON of the right shape. [`SpecProblem::to_diagnostic`] gives it
/// as a [`Diagnostic`](crate::Diagnostic).
#[derive(Debug, Clone, PartialEq)]
pub struct SpecProblem {
    /// JSON path, e.g. `$.assumptions[1].codes[0]`.
    pub path: String,
    /// What is wrong, in English.
    pub message: String,
    /// What is wrong, in Vietnamese.
    pub vi: String,
    /// Stable code, e.g. [`codes::UNKNOWN_CODE`] (`sensitivity_unknown_code`).
    pub code: &'static str,
    /// The shared problem, when the spec could not be read (JSON syntax, shape).
    shared: Option<Problem>,
}

// `Problem` holds no floating-point number: its equality is an equivalence.
impl Eq for SpecProblem {}

/// The stable codes of the spec problems and of an overflow ([`SpecProblem::code`],
/// [`Problem::stable_code`] of [`Error::diagnostics`]).
pub mod codes {
    /// `format` is not `chiso.sensitivity/1`.
    pub const WRONG_FORMAT: &str = "sensitivity_wrong_format";
    /// More than 65,535 assumptions.
    pub const TOO_MANY_ASSUMPTIONS: &str = "sensitivity_too_many_assumptions";
    /// `reps` is 0.
    pub const REPS_BELOW_ONE: &str = "sensitivity_reps_below_one";
    /// `sensitivity.n` is below 2.
    pub const N_BELOW_TWO: &str = "sensitivity_n_below_two";
    /// A sensitivity design without any assumption.
    pub const NO_ASSUMPTION: &str = "sensitivity_no_assumption";
    /// An assumption's name is empty.
    pub const EMPTY_NAME: &str = "sensitivity_empty_name";
    /// Two assumptions have the same name.
    pub const DUPLICATE_NAME: &str = "sensitivity_duplicate_name";
    /// A code the index does not have.
    pub const UNKNOWN_CODE: &str = "sensitivity_unknown_code";
    /// An `inputs` code that is not a leaf.
    pub const NOT_A_LEAF: &str = "sensitivity_not_a_leaf";
    /// An `aggregation` code that is a leaf.
    pub const NOT_A_PARENT: &str = "sensitivity_not_a_parent";
    /// A `weights` code that is the root (it has no weight).
    pub const ROOT_HAS_NO_WEIGHT: &str = "sensitivity_root_has_no_weight";
    /// A code listed twice in one assumption.
    pub const CODE_LISTED_TWICE: &str = "sensitivity_code_listed_twice";
    /// A `weights` noise outside `[0, 1)`.
    pub const NOISE_OUT_OF_RANGE: &str = "sensitivity_noise_out_of_range";
    /// An `inputs` assumption without any code.
    pub const NO_LEAF_CODE: &str = "sensitivity_no_leaf_code";
    /// An `inputs` range with `from` above `to`.
    pub const RANGE_REVERSED: &str = "sensitivity_range_reversed";
    /// A `scale` shift below −1 (points would turn negative).
    pub const SCALE_BELOW_MINUS_ONE: &str = "sensitivity_scale_below_minus_one";
    /// An `aggregation` assumption without any alternative.
    pub const NO_ALTERNATIVE: &str = "sensitivity_no_alternative";
    /// The last entry of a long list: how many more problems were not listed.
    pub const MORE_ERRORS: &str = "sensitivity_more_errors";
    /// A unit's arithmetic overflowed the decimal range ([`super::Error::Overflow`]).
    pub const OVERFLOW: &str = "sensitivity_overflow";
}

impl SpecProblem {
    /// A problem of what the spec says, with its `sensitivity_*` code.
    pub(crate) fn coded(path: String, code: &'static str, en: String, vi: String) -> Self {
        SpecProblem {
            path,
            message: en,
            vi,
            code,
            shared: None,
        }
    }

    /// A problem of reading the spec (syntax, shape): the shared problem.
    fn shared(path: String, problem: Problem) -> Self {
        SpecProblem {
            path,
            message: problem.message(Lang::En),
            vi: problem.message(Lang::Vi),
            code: problem.tag(),
            shared: Some(problem),
        }
    }

    /// What is wrong in `lang`.
    pub fn message(&self, lang: crate::Lang) -> &str {
        lang.pick(&self.vi, &self.message)
    }

    /// The problem as an error located at its JSON path (the count of problems not
    /// listed: the file as a whole), with its stable code: [`Problem::Coded`] for a
    /// `sensitivity_*` code, the shared problem otherwise.
    ///
    /// ```
    /// use chiso::sensitivity::{parse_spec, Error};
    /// let e = parse_spec(r#"{"format": "chiso.sensitivity/1", "assumptions": [], "x": 1}"#).unwrap_err();
    /// let Error::Spec(ps) = &e else { panic!() };
    /// let d = ps[0].to_diagnostic();
    /// assert_eq!((d.path.as_str(), d.problem.stable_code()), ("$.x", "structure"));
    /// ```
    pub fn to_diagnostic(&self) -> Diagnostic {
        let problem = self.shared.clone().unwrap_or_else(|| Problem::Coded {
            code: self.code.to_owned(),
            text: String::new(),
            vi: self.vi.clone(),
            en: self.message.clone(),
        });
        let at = if self.code == codes::MORE_ERRORS {
            Location::File
        } else {
            Location::json(self.path.clone())
        };
        Diagnostic::error_at(at, None, problem)
    }
}

/// Why an analysis could not run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The spec is not valid against the index (every problem is listed).
    Spec(Vec<SpecProblem>),
    /// A unit's arithmetic overflowed the decimal range.
    Overflow {
        /// The unit.
        unit: String,
    },
    /// The analysis would break a resource limit ([`MAX_SENSITIVITY_RUNS`](crate::limits::MAX_SENSITIVITY_RUNS),
    /// [`MAX_SENSITIVITY_WORK`](crate::limits::MAX_SENSITIVITY_WORK),
    /// [`MAX_SENSITIVITY_RESULT_BYTES`](crate::limits::MAX_SENSITIVITY_RESULT_BYTES)); nothing was computed. [`Limit::diagnostic`] gives the
    /// bilingual message.
    Limit(Limit),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Spec(ps) => {
                for (i, p) in ps.iter().enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    write!(f, "{}: {}", p.path, p.message)?;
                }
                Ok(())
            }
            Error::Overflow { unit } => write!(f, "{unit}: arithmetic overflow"),
            Error::Limit(l) => write!(f, "{}", l.diagnostic()),
        }
    }
}

impl std::error::Error for Error {}

impl Error {
    /// Every problem as a located error with a stable code (no file set): the spec
    /// problems at their JSON paths ([`SpecProblem::to_diagnostic`]), an overflow at the
    /// unit (`unit "…"`, [`codes::OVERFLOW`]), a limit as [`Limit::diagnostic`].
    ///
    /// ```
    /// let index = chiso::Index::from_file(concat!(env!("CARGO_MANIFEST_DIR"), "/criteria/papi/papi-2021-2024.json").as_ref()).unwrap();
    /// let csv = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/examples-data/papi-2023-sample.csv")).unwrap();
    /// let units = chiso::sensitivity::Units::from_csv(&index, &csv, chiso::Lang::En).unwrap();
    /// let spec = chiso::sensitivity::parse_spec(r#"{"format": "chiso.sensitivity/1", "assumptions": [
    ///     {"kind": "weights", "name": "w", "noise": "1.5", "codes": ["nope"]}]}"#).unwrap();
    /// let opts = chiso::sensitivity::RunOptions::default();
    /// let e = chiso::sensitivity::run(&index, &units, &spec, &opts, &|_| {}).unwrap_err();
    /// let ds = e.diagnostics();
    /// let got: Vec<_> = ds.0.iter().map(|d| (d.path.as_str(), d.problem.stable_code())).collect();
    /// assert_eq!(got, [
    ///     ("$.assumptions[0].noise", "sensitivity_noise_out_of_range"),
    ///     ("$.assumptions[0].codes[0]", "sensitivity_unknown_code"),
    /// ]);
    /// assert!(ds.render(chiso::Lang::Vi).contains("bộ chỉ số không có mã 'nope' [sensitivity_unknown_code]"));
    /// ```
    pub fn diagnostics(&self) -> Diagnostics {
        match self {
            Error::Spec(ps) => Diagnostics(ps.iter().map(SpecProblem::to_diagnostic).collect()),
            Error::Overflow { unit } => Diagnostics(vec![Diagnostic::error_at(
                Location::row(0).key("unit", crate::text::excerpt(unit)),
                None,
                Problem::Coded {
                    code: codes::OVERFLOW.to_owned(),
                    text: String::new(),
                    vi: "số quá lớn, không tính chính xác được (giới hạn khoảng 7,9·10²⁸)".into(),
                    en: "numbers too large to compute exactly (limit about 7.9·10²⁸)".into(),
                },
            )]),
            Error::Limit(l) => Diagnostics(vec![l.diagnostic()]),
        }
    }

    /// Every problem in `lang`, one line each (`path: message`); [`Display`](std::fmt::Display)
    /// is the English form.
    ///
    /// ```
    /// let e = chiso::sensitivity::parse_spec(r#"{"format": "chiso.sensitivity/1", "assumptions": [], "x": 1}"#).unwrap_err();
    /// assert!(e.render(chiso::Lang::Vi).starts_with("$"));
    /// assert!(e.render(chiso::Lang::Vi).contains("không đúng cấu trúc"));
    /// ```
    pub fn render(&self, lang: Lang) -> String {
        match self {
            Error::Spec(ps) => ps
                .iter()
                .map(|p| format!("{}: {}", p.path, p.message(lang)))
                .collect::<Vec<_>>()
                .join("\n"),
            Error::Overflow { unit } => {
                let unit = crate::text::excerpt(unit);
                match lang {
                    Lang::Vi => format!(
                        "đơn vị \"{unit}\": số quá lớn, không tính chính xác được (giới hạn khoảng 7,9·10²⁸)"
                    ),
                    Lang::En => format!(
                        "unit \"{unit}\": numbers too large to compute exactly (limit about 7.9·10²⁸)"
                    ),
                }
            }
            Error::Limit(l) => l.diagnostic().message(lang),
        }
    }
}

/// Parses a spec file's text (JSON syntax and shape; [`run`] checks it against the index).
pub fn parse_spec(text: &str) -> Result<Spec, Error> {
    // Limits, duplicate keys and numbers out of range first (chiso's strict JSON reader).
    crate::load::check_json(text).map_err(|d| {
        Error::Spec(
            d.0.into_iter()
                .map(|d| SpecProblem::shared(d.path, d.problem))
                .collect(),
        )
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let de = &mut serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let detail = e.into_inner().to_string();
        let path = if path == "." {
            "$".into()
        } else {
            format!("$.{path}")
        };
        Error::Spec(vec![SpecProblem::shared(
            path,
            Problem::Structure { detail },
        )])
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
    use super::*;
    use crate::sensitivity::{run, RunOptions, Units};
    use crate::Index;

    fn index() -> Index {
        Index::from_json(
            r#"{"format": "chiso.index/1", "id": "t", "title": {"vi": "T", "en": "T"},
  "version": "1", "legal_basis": [{"decision": "t", "issuer": "t", "url": "https://example.invalid"}],
  "unit_levels": ["province"], "years": {"from": 2020, "to": null}, "completeness": "example",
  "max_points": "20",
  "nodes": [
    {"code": "A", "title": {"vi": "A", "en": "A"}, "max_points": "10", "rule": {"type": "score"}},
    {"code": "B", "title": {"vi": "B", "en": "B"}, "max_points": "10", "rule": {"type": "score"}}
  ]}"#,
        )
        .unwrap()
    }

    fn problems(spec: &str) -> Vec<SpecProblem> {
        let index = index();
        let units = Units::from_csv(&index, b"unit,A,B\nX,4,0\n", Lang::En).unwrap();
        let spec = parse_spec(spec).unwrap();
        match run(&index, &units, &spec, &RunOptions::default(), &|_| {}) {
            Err(Error::Spec(ps)) => ps,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn spec_problems_have_stable_codes_at_their_paths() {
        let ps = problems(
            r#"{"format": "chiso.sensitivity/1", "reps": 0, "assumptions": [
            {"kind": "weights", "name": "w", "noise": "1", "codes": ["C", "total"]},
            {"kind": "inputs", "name": "w", "codes": ["A", "A", "total"], "from": "1", "to": "0"},
            {"kind": "aggregation", "name": " ", "alternatives": [], "codes": ["A"]}]}"#,
        );
        let got: Vec<(&str, &str)> = ps.iter().map(|p| (p.path.as_str(), p.code)).collect();
        assert_eq!(
            got,
            [
                ("$.reps", codes::REPS_BELOW_ONE),
                ("$.assumptions[0].noise", codes::NOISE_OUT_OF_RANGE),
                ("$.assumptions[0].codes[0]", codes::UNKNOWN_CODE),
                ("$.assumptions[0].codes[1]", codes::ROOT_HAS_NO_WEIGHT),
                ("$.assumptions[1].name", codes::DUPLICATE_NAME),
                ("$.assumptions[1].from", codes::RANGE_REVERSED),
                ("$.assumptions[1].codes[1]", codes::CODE_LISTED_TWICE),
                ("$.assumptions[1].codes[2]", codes::NOT_A_LEAF),
                ("$.assumptions[2].name", codes::EMPTY_NAME),
                ("$.assumptions[2].alternatives", codes::NO_ALTERNATIVE),
                ("$.assumptions[2].codes[0]", codes::NOT_A_PARENT),
            ]
        );
        assert_eq!(codes::NOT_A_LEAF, "sensitivity_not_a_leaf");
        // As diagnostics: located at the JSON path, coded, both languages.
        let ds = Error::Spec(ps).diagnostics();
        let d = &ds.0[2];
        assert_eq!(
            d.location,
            Some(Location::json("$.assumptions[0].codes[0]"))
        );
        assert_eq!(d.problem.stable_code(), "sensitivity_unknown_code");
        assert_eq!(
            d.message(Lang::Vi),
            "lỗi tại $.assumptions[0].codes[0]: bộ chỉ số không có mã 'C' [sensitivity_unknown_code]"
        );
        assert_eq!(
            d.message(Lang::En),
            "error at $.assumptions[0].codes[0]: unknown code 'C' [sensitivity_unknown_code]"
        );
    }

    #[test]
    fn the_count_of_problems_not_listed_is_about_the_whole_file() {
        let codes_list = vec!["\"Z\""; crate::sensitivity::MAX_SPEC_PROBLEMS + 3].join(",");
        let ps = problems(&format!(
            r#"{{"format": "chiso.sensitivity/1", "assumptions": [
            {{"kind": "inputs", "name": "x", "codes": [{codes_list}], "from": "0", "to": "1"}}]}}"#
        ));
        assert_eq!(ps.len(), crate::sensitivity::MAX_SPEC_PROBLEMS + 1);
        let last = ps.last().unwrap().to_diagnostic().in_file("spec.json");
        assert_eq!(last.problem.stable_code(), codes::MORE_ERRORS);
        assert_eq!(
            last.message(Lang::Vi),
            "spec.json: lỗi: … và 3 lỗi khác [sensitivity_more_errors]"
        );
    }

    #[test]
    fn reading_problems_keep_the_shared_problem() {
        let Err(Error::Spec(ps)) =
            parse_spec(r#"{"format": "chiso.sensitivity/1", "seed": 1, "seed": 2}"#)
        else {
            panic!("expected a duplicate key");
        };
        assert_eq!(ps[0].code, "duplicate_key");
        let d = ps[0].to_diagnostic();
        assert!(matches!(d.problem, Problem::DuplicateKey { .. }), "{d:?}");
        let Err(e) = parse_spec(r#"{"format": "chiso.sensitivity/1", "assumptions": 3}"#) else {
            panic!("expected a shape error");
        };
        let d = &e.diagnostics().0[0];
        assert_eq!(
            (d.path.as_str(), d.problem.stable_code()),
            ("$.assumptions", "structure")
        );
    }

    #[test]
    fn an_overflow_names_the_unit() {
        let ds = Error::Overflow {
            unit: "Sở A".into(),
        }
        .diagnostics();
        assert_eq!(ds.0[0].problem.stable_code(), codes::OVERFLOW);
        assert_eq!(
            ds.0[0].message(Lang::Vi),
            "lỗi tại unit \"Sở A\": số quá lớn, không tính chính xác được (giới hạn khoảng 7,9·10²⁸) [sensitivity_overflow]"
        );
    }
}
