//! The spec of an analysis (what varies, how often), its parsing and the errors of a run.

use super::Limit;
use crate::text::Lang;
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecProblem {
    /// JSON path, e.g. `$.assumptions[1].codes[0]`.
    pub path: String,
    /// What is wrong, in English.
    pub message: String,
    /// What is wrong, in Vietnamese.
    pub vi: String,
}

impl SpecProblem {
    /// What is wrong in `lang`.
    pub fn message(&self, lang: crate::Lang) -> &str {
        match lang {
            crate::Lang::Vi => &self.vi,
            crate::Lang::En => &self.message,
        }
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
    /// The analysis would break a resource limit ([`MAX_RUNS`], [`MAX_WORK`],
    /// [`MAX_RESULT_BYTES`]); nothing was computed. [`Limit::diagnostic`] gives the
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
            d.0.iter()
                .map(|d| SpecProblem {
                    path: d.path.clone(),
                    message: d.problem.message(crate::Lang::En),
                    vi: d.problem.message(crate::Lang::Vi),
                })
                .collect(),
        )
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let de = &mut serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let detail = e.into_inner().to_string();
        let structure = crate::Problem::Structure { detail };
        Error::Spec(vec![SpecProblem {
            path: if path == "." {
                "$".into()
            } else {
                format!("$.{path}")
            },
            message: structure.message(crate::Lang::En),
            vi: structure.message(crate::Lang::Vi),
        }])
    })
}
