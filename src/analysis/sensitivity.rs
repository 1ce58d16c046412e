//! Uncertainty and sensitivity analysis of a batch's ranking (in the manner of COINr).
//!
//! A [`Spec`] lists the uncertain **assumptions**:
//! - [`Assumption::Weights`]: every weight in scope (a node's weight in its parent) is
//!   multiplied by an independent uniform factor in `[1 − noise, 1 + noise]`;
//! - [`Assumption::Inputs`]: the points of each leaf in scope, for each unit
//!   independently, are shifted by a uniform amount in `[from, to]` (`mode: add`) or
//!   multiplied by `1 + u`, `u` uniform in `[from, to]` (`mode: scale`), then clamped
//!   to `[0, max]` (a leaf has no negative points);
//! - [`Assumption::Aggregation`]: one of the listed aggregations is picked uniformly
//!   and used for every parent in scope: the index's declared one, a weighted sum, a
//!   weighted arithmetic mean or a weighted geometric mean.
//!
//! **Uncertainty analysis**: `reps` independent replications; in each, every
//! assumption is drawn, every unit is re-scored through the tree and the batch is
//! re-ranked (the index's tie policy, within blocks). Each unit gets its nominal rank
//! (no assumption varied), its median rank and its 5th–95th percentile rank interval
//! (nearest-rank percentiles: the ⌈p·m⌉-th smallest of the `m` ranks, so
//! `p05 ≤ median ≤ p95` always holds).
//!
//! **Sensitivity analysis** (optional, `sensitivity.n = N`): the design COINr uses
//! (Saltelli et al. 2010): two independent sample matrices `A` and `B` of `N` rows and,
//! for each assumption `i`, `A_B^i` = `A` with assumption `i` taken from `B`, in all
//! `N·(d+2)` runs. The output of one run is the **mean absolute rank shift** of the
//! units against their nominal ranks. With `V` the (sample) variance of `y(A) ∪ y(B)`:
//! first-order `S_i = mean(y(B)·(y(A_B^i) − y(A))) / V` (Saltelli 2010) and total
//! `ST_i = mean((y(A) − y(A_B^i))²) / 2 / V` (Jansen 1999). An assumption whose
//! alternatives are identical gives `y(A_B^i) = y(A)` in every row and so exactly 0.
//! When `V = 0` (nothing moves any rank) both indices are reported as 0.
//!
//! **Exactness.** Scores stay exact decimals: uniform draws are taken on a grid of
//! 10⁻⁶ of the range (integers from the generator), so a perturbed weight or input is
//! an exact decimal and sums, products, means and ranks are exact and identical on
//! every platform. The one exception is the geometric mean, which has no exact decimal
//! form: it is computed in `f64` (`exp(Σ wᵢ ln xᵢ / Σ wᵢ)`) and rounded to 12 decimal
//! places. The sensitivity indices themselves are statistics and are `f64`.
//!
//! **Reproducibility.** Each (matrix, row, assumption) draws from its own ChaCha8
//! stream of the seed, so results are identical whatever the number of threads, and
//! a replication's draws do not depend on the other assumptions. With the `rayon`
//! dependency (every target but `wasm32`) runs are spread over threads; on `wasm32`
//! they run on the calling thread.
//!
//! Ranks are on the total after the unit's adjustments (bonus − penalty, as read from
//! the batch, held fixed) floored at 0; the criteria points vary.

use crate::batch::{Fields, RowError, Scorer};
use crate::engine::{Cell, Index};
use crate::node::Aggregation;
use crate::ranking::rank_in_blocks;
use crate::text::Lang;
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};

mod bounds;
pub use bounds::{Limit, MAX_RESULT_BYTES, MAX_WORK};

/// Format tag of a spec file.
pub const SPEC_FORMAT: &str = "chiso.sensitivity/1";
/// Format tag of a report.
pub const REPORT_FORMAT: &str = "chiso.sensitivity-result/1";
/// Replications when neither the spec nor the caller gives a number.
pub const DEFAULT_REPS: u32 = 1000;
/// Most problems of a spec listed (then one more entry, at `$`, counting the rest).
pub const MAX_SPEC_PROBLEMS: usize = 100;
/// Most model runs one analysis may ask for (replications plus `N·(d+2)`).
pub const MAX_RUNS: u64 = 50_000_000;
/// Uniform draws are `k / GRID` of the range, `k` in `0..=GRID`.
const GRID: u32 = 1_000_000;

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

/// The units of a batch: each unit's leaf cells, ready to be re-aggregated.
#[derive(Debug, Clone)]
pub struct Units {
    names: Vec<String>,
    blocks: Vec<u32>,
    block_names: Vec<String>,
    cells: Vec<Vec<Cell>>,
    adjust: Vec<Decimal>,
}

impl Units {
    /// Reads a batch CSV (the format of [`crate::batch`]): every row is scored, errors
    /// list every bad row.
    pub fn from_csv(index: &Index, text: &[u8], lang: Lang) -> Result<Units, Vec<RowError>> {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text);
        let mut records = rdr.byte_records();
        let header: Vec<String> = match records.next() {
            Some(Ok(h)) => h
                .iter()
                .map(|f| String::from_utf8_lossy(f).into_owned())
                .collect(),
            Some(Err(e)) => return Err(vec![csv_error(1, &e)]),
            None => {
                return Err(vec![RowError {
                    row: 0,
                    column: None,
                    value: None,
                    message: "empty input".into(),
                }])
            }
        };
        let names: Vec<&str> = header.iter().map(String::as_str).collect();
        let mut scorer = Scorer::new(index, &names, lang)?;
        let unit_col = names.iter().position(|h| h.trim() == "unit");
        let block_col = names.iter().position(|h| h.trim() == "block");
        let mut units = Units {
            names: Vec::new(),
            blocks: Vec::new(),
            block_names: Vec::new(),
            cells: Vec::new(),
            adjust: Vec::new(),
        };
        let mut block_ids: HashMap<String, u32> = HashMap::new();
        let mut errors = Vec::new();
        for (k, rec) in records.enumerate() {
            let row = k as u64 + 2;
            let rec = match rec {
                Ok(r) => r,
                Err(e) => {
                    errors.push(csv_error(row, &e));
                    continue;
                }
            };
            let row = rec.position().map_or(row, |p| p.line());
            match scorer.score_row(row, &rec) {
                Ok(scored) => {
                    let cells = scorer.cells().to_vec();
                    let adjust = match (scored.total, cells.first().and_then(Cell::achieved)) {
                        (Some(t), Some(r)) => t - r,
                        _ => Decimal::ZERO,
                    };
                    let text = |c: Option<usize>| {
                        c.map(|c| String::from_utf8_lossy(rec.field(c)).trim().to_owned())
                    };
                    units.names.push(text(unit_col).unwrap_or_default());
                    let block = text(block_col).unwrap_or_default();
                    let next = block_ids.len() as u32;
                    let id = *block_ids.entry(block.clone()).or_insert_with(|| {
                        units.block_names.push(block);
                        next
                    });
                    units.blocks.push(id);
                    units.cells.push(cells);
                    units.adjust.push(adjust);
                }
                Err(mut e) => errors.append(&mut e),
            }
        }
        if errors.is_empty() {
            Ok(units)
        } else {
            Err(errors)
        }
    }

    /// Units from their cells (one cell per node of `index`, in [`Index::nodes`] order;
    /// leaves must be filled, parents are ignored). One block, no adjustments.
    pub fn from_cells(index: &Index, units: Vec<(String, Vec<Cell>)>) -> Option<Units> {
        let n = index.nodes().len();
        if units.iter().any(|(_, c)| c.len() != n) {
            return None;
        }
        let count = units.len();
        let (names, cells) = units.into_iter().unzip();
        Some(Units {
            names,
            blocks: vec![0; count],
            block_names: vec![String::new()],
            cells,
            adjust: vec![Decimal::ZERO; count],
        })
    }

    /// Number of units.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether there are no units.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Unit names, in input order.
    pub fn names(&self) -> &[String] {
        &self.names
    }
}

fn csv_error(row: u64, e: &csv::Error) -> RowError {
    RowError {
        row,
        column: None,
        value: None,
        message: e.to_string(),
    }
}

/// How to run an analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunOptions {
    /// Replications; `None` = the spec's (or [`DEFAULT_REPS`]).
    pub reps: Option<u32>,
    /// Seed; `None` = the spec's (or 0).
    pub seed: Option<u64>,
    /// Threads (1 = the calling thread only; clamped to [`crate::limits::max_threads`];
    /// ignored on `wasm32`).
    pub threads: usize,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            reps: None,
            seed: None,
            threads: 1,
        }
    }
}

/// Result of an analysis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Always `chiso.sensitivity-result/1`.
    pub format: String,
    /// Index id.
    pub index: String,
    /// Replications of the uncertainty analysis.
    pub reps: u32,
    /// Seed used.
    pub seed: u64,
    /// Assumption names, in spec order.
    pub assumptions: Vec<String>,
    /// One entry per unit, in input order.
    pub units: Vec<UnitRanks>,
    /// The sensitivity indices, when a design was asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sensitivity: Option<SensitivityReport>,
}

/// Rank distribution of one unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitRanks {
    /// Unit name.
    pub unit: String,
    /// Ranking block (empty when the batch has none).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub block: String,
    /// Total with nothing varied.
    pub nominal_total: Option<Decimal>,
    /// Rank with nothing varied.
    pub nominal_rank: Option<u32>,
    /// Median rank over the replications (nearest rank).
    pub median_rank: Option<u32>,
    /// 5th percentile rank (nearest rank).
    pub p05_rank: Option<u32>,
    /// 95th percentile rank (nearest rank).
    pub p95_rank: Option<u32>,
    /// Best rank seen.
    pub best_rank: Option<u32>,
    /// Worst rank seen.
    pub worst_rank: Option<u32>,
    /// Replications in which the unit had a rank.
    pub ranked: u32,
}

/// Variance-based sensitivity indices.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SensitivityReport {
    /// Base sample size `N`.
    pub n: u32,
    /// Model runs, `N·(d+2)`.
    pub runs: u64,
    /// What the output is: `mean_absolute_rank_shift`.
    pub target: String,
    /// Mean of the output over `A ∪ B`.
    pub mean: f64,
    /// Sample variance of the output over `A ∪ B`.
    pub variance: f64,
    /// One entry per assumption, in spec order.
    pub indices: Vec<SensitivityIndex>,
}

/// First-order and total sensitivity of one assumption.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SensitivityIndex {
    /// Assumption name.
    pub assumption: String,
    /// First-order index `S_i`.
    pub first_order: f64,
    /// Total index `ST_i`.
    pub total: f64,
}

/// Number of model runs [`run`] makes (for progress bars).
pub fn total_runs(spec: &Spec, opts: &RunOptions) -> u64 {
    let reps = u64::from(opts.reps.or(spec.reps).unwrap_or(DEFAULT_REPS));
    let sa = spec
        .sensitivity
        .map_or(0, |s| u64::from(s.n) * (spec.assumptions.len() as u64 + 2));
    reps + sa
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Sum,
    Mean,
    Geometric,
}

#[derive(Debug, Clone)]
enum Group {
    Weights {
        noise: Decimal,
        nodes: Vec<usize>,
    },
    Inputs {
        nodes: Vec<usize>,
        from: Decimal,
        width: Decimal,
        mode: InputMode,
    },
    Aggregation {
        alternatives: Vec<AggregationChoice>,
        nodes: Vec<usize>,
    },
}

/// The compiled model: the tree, the assumptions, the units.
struct Model<'a> {
    index: &'a Index,
    units: &'a Units,
    parents_rev: Vec<usize>,
    declared: Vec<Kind>,
    nominal_weight: Vec<Decimal>,
    groups: Vec<Group>,
    seed: u64,
}

/// One replication's draws.
struct Scenario {
    weight: Vec<Decimal>,
    choice: Vec<Option<AggregationChoice>>,
    /// (leaf, mode, shift per unit).
    inputs: Vec<(usize, InputMode, Vec<Decimal>)>,
}

const MATRIX_UA: u64 = 0;
const MATRIX_A: u64 = 1;
const MATRIX_B: u64 = 2;

fn uniform_below(rng: &mut ChaCha8Rng, n: u32) -> u32 {
    // Rejection sampling: exactly uniform in 0..n.
    let zone = u32::MAX - (u32::MAX - n + 1) % n;
    loop {
        let x = rng.next_u32();
        if x <= zone {
            return x % n;
        }
    }
}

/// A uniform point of `[0, 1]` on the 10⁻⁶ grid, exact.
fn grid(rng: &mut ChaCha8Rng) -> Decimal {
    Decimal::new(i64::from(uniform_below(rng, GRID + 1)), 6)
}

impl<'a> Model<'a> {
    fn new(index: &'a Index, units: &'a Units, spec: &Spec, seed: u64) -> Result<Self, Error> {
        let nodes = index.nodes();
        let mut problems = Vec::new();
        let mut more = 0usize;
        let mut push = |path: String, message: String, vi: String| {
            if problems.len() < MAX_SPEC_PROBLEMS {
                problems.push(SpecProblem { path, message, vi });
            } else {
                more += 1;
            }
        };
        if spec.format != SPEC_FORMAT {
            push(
                "$.format".into(),
                format!(
                    "expected '{SPEC_FORMAT}', found '{}'",
                    crate::text::excerpt(&spec.format)
                ),
                format!(
                    "phải là '{SPEC_FORMAT}', nhưng là '{}'",
                    crate::text::excerpt(&spec.format)
                ),
            );
        }
        if spec.assumptions.len() > 0xFFFF {
            push(
                "$.assumptions".into(),
                "too many assumptions (at most 65,535)".into(),
                "quá nhiều giả định (tối đa 65.535)".into(),
            );
        }
        if spec.reps == Some(0) {
            push(
                "$.reps".into(),
                "must be at least 1".into(),
                "phải từ 1 trở lên".into(),
            );
        }
        if let Some(sa) = spec.sensitivity {
            if sa.n < 2 {
                push(
                    "$.sensitivity.n".into(),
                    "must be at least 2".into(),
                    "phải từ 2 trở lên".into(),
                );
            }
            if spec.assumptions.is_empty() {
                push(
                    "$.sensitivity".into(),
                    "a sensitivity analysis needs at least one assumption".into(),
                    "phân tích độ nhạy cần ít nhất một giả định".into(),
                );
            }
        }
        let mut names = BTreeSet::new();
        let mut groups = Vec::new();
        for (i, a) in spec.assumptions.iter().enumerate() {
            let at = format!("$.assumptions[{i}]");
            if a.name().trim().is_empty() {
                push(
                    format!("{at}.name"),
                    "the name is empty".into(),
                    "tên đang để trống".into(),
                );
            } else if !names.insert(a.name().to_owned()) {
                push(
                    format!("{at}.name"),
                    format!("duplicate name '{}'", crate::text::excerpt(a.name())),
                    format!("tên '{}' bị trùng", crate::text::excerpt(a.name())),
                );
            }
            let resolve = |codes: &[String],
                           want: &str,
                           push: &mut dyn FnMut(String, String, String)| {
                let mut out = Vec::new();
                let mut seen = BTreeSet::new();
                for (k, c) in codes.iter().enumerate() {
                    let path = format!("{at}.codes[{k}]");
                    let Some(p) = index.position(c) else {
                        push(
                            path,
                            format!("unknown code '{}'", crate::text::excerpt(c)),
                            format!("bộ chỉ số không có mã '{}'", crate::text::excerpt(c)),
                        );
                        continue;
                    };
                    let leaf = nodes[p].is_leaf() && p != 0;
                    let ok = match want {
                        "leaf" => leaf,
                        "parent" => !leaf,
                        _ => p != 0,
                    };
                    if !ok {
                        let (what, vi) = match want {
                            "leaf" => (
                                "is not a leaf (inputs vary leaf points)",
                                "không phải tiêu chí lá (giả định đầu vào thay đổi điểm của tiêu chí lá)",
                            ),
                            "parent" => (
                                "is a leaf (aggregations apply to parents)",
                                "là tiêu chí lá (cách tổng hợp chỉ áp dụng cho tiêu chí có tiêu chí con)",
                            ),
                            _ => (
                                "is the root (it has no weight)",
                                "là gốc của cây (không có trọng số)",
                            ),
                        };
                        let c = crate::text::excerpt(c);
                        push(path, format!("'{c}' {what}"), format!("'{c}' {vi}"));
                        continue;
                    }
                    if !seen.insert(p) {
                        push(
                            path,
                            format!("'{}' is listed twice", crate::text::excerpt(c)),
                            format!("'{}' được liệt kê hai lần", crate::text::excerpt(c)),
                        );
                        continue;
                    }
                    out.push(p);
                }
                out
            };
            match a {
                Assumption::Weights { noise, codes, .. } => {
                    if *noise < Decimal::ZERO || *noise >= Decimal::ONE {
                        push(
                            format!("{at}.noise"),
                            format!("{noise} is not in [0, 1)"),
                            format!("{noise} không thuộc khoảng [0, 1)"),
                        );
                    }
                    let nodes_in = if codes.is_empty() {
                        (1..nodes.len()).collect()
                    } else {
                        resolve(codes, "node", &mut push)
                    };
                    groups.push(Group::Weights {
                        noise: *noise,
                        nodes: nodes_in,
                    });
                }
                Assumption::Inputs {
                    codes,
                    from,
                    to,
                    mode,
                    ..
                } => {
                    if codes.is_empty() {
                        push(
                            format!("{at}.codes"),
                            "no leaf code given".into(),
                            "chưa nêu mã tiêu chí lá nào".into(),
                        );
                    }
                    if from > to {
                        push(
                            format!("{at}.from"),
                            format!("{from} is above 'to' ({to})"),
                            format!("{from} lớn hơn 'to' ({to})"),
                        );
                    }
                    if *mode == InputMode::Scale && *from < Decimal::NEGATIVE_ONE {
                        push(
                            format!("{at}.from"),
                            format!("a scale below -1 ({from}) makes points negative"),
                            format!("hệ số nhỏ hơn -1 ({from}) làm điểm bị âm"),
                        );
                    }
                    let leaves = resolve(codes, "leaf", &mut push);
                    groups.push(Group::Inputs {
                        nodes: leaves,
                        from: *from,
                        width: *to - *from,
                        mode: *mode,
                    });
                }
                Assumption::Aggregation {
                    alternatives,
                    codes,
                    ..
                } => {
                    if alternatives.is_empty() {
                        push(
                            format!("{at}.alternatives"),
                            "no alternative given".into(),
                            "chưa nêu cách tổng hợp nào".into(),
                        );
                    }
                    let parents = if codes.is_empty() {
                        (0..nodes.len()).filter(|&p| !nodes[p].is_leaf()).collect()
                    } else {
                        resolve(codes, "parent", &mut push)
                    };
                    groups.push(Group::Aggregation {
                        alternatives: alternatives.clone(),
                        nodes: parents,
                    });
                }
            }
        }
        if more > 0 {
            problems.push(SpecProblem {
                path: "$".into(),
                message: if more == 1 {
                    "… and 1 more error".into()
                } else {
                    format!("… and {more} more errors")
                },
                vi: format!("… và {more} lỗi khác"),
            });
        }
        if !problems.is_empty() {
            return Err(Error::Spec(problems));
        }
        let mut nominal_weight = vec![Decimal::ONE; nodes.len()];
        for n in nodes {
            for (&c, &w) in n.children.iter().zip(&n.weights) {
                nominal_weight[c] = w;
            }
        }
        let declared = nodes
            .iter()
            .map(|n| match n.aggregation {
                Aggregation::WeightedMean { .. } => Kind::Mean,
                _ => Kind::Sum,
            })
            .collect();
        let parents_rev = (0..nodes.len())
            .rev()
            .filter(|&p| !nodes[p].children.is_empty())
            .collect();
        Ok(Model {
            index,
            units,
            parents_rev,
            declared,
            nominal_weight,
            groups,
            seed,
        })
    }

    fn rng(&self, matrix: u64, row: u64, group: usize) -> ChaCha8Rng {
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        rng.set_stream((matrix << 62) | (row << 16) | group as u64);
        rng
    }

    fn nominal(&self) -> Scenario {
        Scenario {
            weight: self.nominal_weight.clone(),
            choice: vec![None; self.nominal_weight.len()],
            inputs: Vec::new(),
        }
    }

    /// The scenario of a row: group `g` drawn from `matrix_of(g)`.
    fn scenario(&self, row: u64, matrix_of: &dyn Fn(usize) -> u64) -> Scenario {
        let mut sc = self.nominal();
        let n_units = self.units.len();
        for (g, group) in self.groups.iter().enumerate() {
            let mut rng = self.rng(matrix_of(g), row, g);
            match group {
                Group::Weights { noise, nodes } => {
                    let low = Decimal::ONE - noise;
                    let span = noise + noise;
                    for &p in nodes {
                        let factor = low + span * grid(&mut rng);
                        sc.weight[p] = self.nominal_weight[p] * factor;
                    }
                }
                Group::Inputs {
                    nodes,
                    from,
                    width,
                    mode,
                } => {
                    for &p in nodes {
                        let shifts = (0..n_units)
                            .map(|_| *from + *width * grid(&mut rng))
                            .collect();
                        sc.inputs.push((p, *mode, shifts));
                    }
                }
                Group::Aggregation {
                    alternatives,
                    nodes,
                } => {
                    let k = uniform_below(&mut rng, alternatives.len().max(1) as u32) as usize;
                    let pick = alternatives.get(k).copied();
                    for &p in nodes {
                        sc.choice[p] = pick;
                    }
                }
            }
        }
        sc
    }

    /// Totals of every unit under `sc`.
    fn totals(&self, sc: &Scenario, buf: &mut Vec<Cell>) -> Result<Vec<Option<Decimal>>, Error> {
        (0..self.units.len())
            .map(|u| {
                self.total(u, sc, buf).ok_or_else(|| Error::Overflow {
                    unit: self.units.names[u].clone(),
                })
            })
            .collect()
    }

    fn total(&self, u: usize, sc: &Scenario, buf: &mut Vec<Cell>) -> Option<Option<Decimal>> {
        buf.clear();
        buf.extend_from_slice(&self.units.cells[u]);
        for (p, mode, shifts) in &sc.inputs {
            if let Cell::Value { achieved, max } = buf[*p] {
                let d = shifts[u];
                let mut v = match mode {
                    InputMode::Add => achieved.checked_add(d)?,
                    InputMode::Scale => achieved.checked_mul(Decimal::ONE.checked_add(d)?)?,
                };
                if v < Decimal::ZERO {
                    v = Decimal::ZERO;
                }
                if let Some(m) = max {
                    v = v.min(m);
                }
                buf[*p] = Cell::Value { achieved: v, max };
            }
        }
        for &p in &self.parents_rev {
            buf[p] = self.combine(p, buf, sc)?;
        }
        Some(match buf[0].achieved() {
            Some(t) => {
                let t = t.checked_add(self.units.adjust[u])?;
                Some(t.max(Decimal::ZERO))
            }
            None => None,
        })
    }

    fn combine(&self, p: usize, cells: &[Cell], sc: &Scenario) -> Option<Cell> {
        let node = &self.index.nodes()[p];
        let kind = match sc.choice[p] {
            None | Some(AggregationChoice::Declared) => self.declared[p],
            Some(AggregationChoice::Sum) => Kind::Sum,
            Some(AggregationChoice::Mean) => Kind::Mean,
            Some(AggregationChoice::GeometricMean) => Kind::Geometric,
        };
        let (mut all_na, mut missing, mut zero) = (true, false, false);
        let mut sum = Decimal::ZERO;
        let mut max_sum = Some(Decimal::ZERO);
        let mut wsum = Decimal::ZERO;
        let (mut lsum, mut lmax, mut wf) = (0f64, Some(0f64), 0f64);
        for &c in &node.children {
            let w = sc.weight[c];
            match cells[c] {
                Cell::NotApplicable => {}
                Cell::Missing => {
                    all_na = false;
                    missing = true;
                }
                Cell::Value { achieved, max } => {
                    all_na = false;
                    wsum = wsum.checked_add(w)?;
                    if kind == Kind::Geometric {
                        let wv = w.to_f64()?;
                        wf += wv;
                        if achieved <= Decimal::ZERO {
                            zero = true;
                        } else {
                            lsum += wv * achieved.to_f64()?.ln();
                        }
                        lmax = match (lmax, max) {
                            (Some(l), Some(m)) if m > Decimal::ZERO => {
                                Some(l + wv * m.to_f64()?.ln())
                            }
                            _ => None,
                        };
                    } else if w == Decimal::ONE {
                        sum = sum.checked_add(achieved)?;
                        max_sum = match (max_sum, max) {
                            (Some(s), Some(m)) => Some(s.checked_add(m)?),
                            _ => None,
                        };
                    } else {
                        sum = sum.checked_add(w.checked_mul(achieved)?)?;
                        max_sum = match (max_sum, max) {
                            (Some(s), Some(m)) => Some(s.checked_add(w.checked_mul(m)?)?),
                            _ => None,
                        };
                    }
                }
            }
        }
        if all_na {
            return Some(Cell::NotApplicable);
        }
        if missing {
            return Some(Cell::Missing);
        }
        let (mut achieved, mut max) = match kind {
            Kind::Sum => (sum, max_sum),
            Kind::Mean if !wsum.is_zero() => (
                sum.checked_div(wsum)?,
                match max_sum {
                    Some(m) => Some(m.checked_div(wsum)?),
                    None => None,
                },
            ),
            Kind::Mean => (sum, max_sum),
            Kind::Geometric => {
                let g = |l: f64| -> Option<Decimal> {
                    if wf > 0.0 {
                        f64_to_decimal_12((l / wf).exp())
                    } else {
                        Some(Decimal::ZERO)
                    }
                };
                let a = if zero { Decimal::ZERO } else { g(lsum)? };
                let m = match lmax {
                    Some(l) => Some(g(l)?),
                    None => None,
                };
                (a, m)
            }
        };
        if node.aggregation.rescales() {
            if let (Some(target), Some(m)) = (node.max, max) {
                if !m.is_zero() {
                    achieved = achieved.checked_div(m)?.checked_mul(target)?;
                }
                max = Some(target);
            }
        }
        Some(Cell::Value { achieved, max })
    }

    fn ranks(&self, totals: &[Option<Decimal>]) -> Vec<Option<u32>> {
        rank_in_blocks(
            totals,
            &self.units.blocks,
            self.index.definition().tie_policy,
        )
    }

    /// Ranks of one scenario.
    fn run_ranks(&self, sc: &Scenario, buf: &mut Vec<Cell>) -> Result<Vec<Option<u32>>, Error> {
        Ok(self.ranks(&self.totals(sc, buf)?))
    }
}

/// `x` rounded to 12 decimal places as a decimal (`x·10¹²` rounded half away from zero
/// in `f64`, then scaled exactly); falls back to the slower exact conversion when
/// `x·10¹²` does not fit an `i64`.
fn f64_to_decimal_12(x: f64) -> Option<Decimal> {
    let scaled = (x * 1e12).round();
    if scaled.is_finite() && scaled.abs() < 9.0e18 {
        Some(Decimal::new(scaled as i64, 12))
    } else {
        Decimal::from_f64(x).map(|d| d.round_dp(12))
    }
}

/// Mean absolute rank shift against the nominal ranks (units ranked in both).
fn mean_shift(nominal: &[Option<u32>], ranks: &[Option<u32>]) -> f64 {
    let (mut sum, mut count) = (0u64, 0u64);
    for (a, b) in nominal.iter().zip(ranks) {
        if let (Some(a), Some(b)) = (a, b) {
            sum += u64::from(a.abs_diff(*b));
            count += 1;
        }
    }
    if count == 0 {
        0.0
    } else {
        sum as f64 / count as f64
    }
}

/// Runs the analysis. `progress` is called with the number of model runs just
/// finished (from any thread); [`total_runs`] gives the total.
///
/// ```
/// use chiso::sensitivity::{parse_spec, run, RunOptions, Units};
/// let index = chiso::Index::from_file(concat!(env!("CARGO_MANIFEST_DIR"), "/criteria/papi/papi-2021-2024.json").as_ref()).unwrap();
/// let csv = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/examples-data/papi-2023-sample.csv")).unwrap();
/// let units = Units::from_csv(&index, &csv, chiso::Lang::En).unwrap();
/// let spec = parse_spec(r#"{"format": "chiso.sensitivity/1", "reps": 50, "assumptions": [
///     {"kind": "weights", "name": "weights ±20%", "noise": "0.2"}]}"#).unwrap();
/// let report = run(&index, &units, &spec, &RunOptions::default(), &|_| {}).unwrap();
/// assert_eq!(report.units.len(), units.len());
/// ```
pub fn run(
    index: &Index,
    units: &Units,
    spec: &Spec,
    opts: &RunOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Report, Error> {
    let seed = opts.seed.or(spec.seed).unwrap_or(0);
    let reps = bounds::reps_of(spec, opts.reps);
    bounds::check(spec, reps, opts.reps.is_some(), units.len())?;
    let mut spec_checked = spec.clone();
    spec_checked.reps = Some(reps);
    let model = Model::new(index, units, &spec_checked, seed)?;
    let pool = bounds::Pool::new(opts.threads);
    let mut buf = Vec::new();
    let nominal_totals = model.totals(&model.nominal(), &mut buf)?;
    let nominal = model.ranks(&nominal_totals);
    let n_units = units.len();

    // Uncertainty analysis: a histogram of ranks per unit, filled a chunk of
    // replications at a time (memory does not grow with the replications).
    let width = n_units + 1;
    let mut hist = vec![0u32; n_units * width];
    let chunk = bounds::chunk_len(n_units);
    let mut from = 0u64;
    while from < u64::from(reps) {
        let to = from.saturating_add(chunk).min(u64::from(reps));
        let per_rep = pool.map(from..to, &|r, buf| {
            let sc = model.scenario(r, &|_| MATRIX_UA);
            let out = model.run_ranks(&sc, buf);
            progress(1);
            out
        });
        for ranks in per_rep {
            for (u, r) in ranks?.into_iter().enumerate() {
                if let Some(r) = r {
                    let r = (r as usize).min(n_units);
                    hist[u * width + r] += 1;
                }
            }
        }
        from = to;
    }
    let units_out = (0..n_units)
        .map(|u| {
            let h = &hist[u * width..(u + 1) * width];
            let m: u32 = h.iter().sum();
            let nearest = |pct: u64| -> Option<u32> {
                if m == 0 {
                    return None;
                }
                let k = (pct * u64::from(m)).div_ceil(100).max(1);
                let mut acc = 0u64;
                for (r, &c) in h.iter().enumerate() {
                    acc += u64::from(c);
                    if acc >= k {
                        return Some(r as u32);
                    }
                }
                None
            };
            UnitRanks {
                unit: units.names[u].clone(),
                block: units
                    .block_names
                    .get(units.blocks[u] as usize)
                    .cloned()
                    .unwrap_or_default(),
                nominal_total: nominal_totals[u].map(|t| t.normalize()),
                nominal_rank: nominal[u],
                median_rank: nearest(50),
                p05_rank: nearest(5),
                p95_rank: nearest(95),
                best_rank: h.iter().position(|&c| c > 0).map(|r| r as u32),
                worst_rank: h.iter().rposition(|&c| c > 0).map(|r| r as u32),
                ranked: m,
            }
        })
        .collect();

    let sensitivity = match spec.sensitivity {
        Some(design) => {
            let mut sa = sensitivity(&model, &nominal, design, &pool, progress)?;
            for (ix, a) in sa.indices.iter_mut().zip(&spec.assumptions) {
                ix.assumption = a.name().to_owned();
            }
            Some(sa)
        }
        None => None,
    };
    Ok(Report {
        format: REPORT_FORMAT.into(),
        index: index.definition().id.clone(),
        reps,
        seed,
        assumptions: spec
            .assumptions
            .iter()
            .map(|a| a.name().to_owned())
            .collect(),
        units: units_out,
        sensitivity,
    })
}

fn sensitivity(
    model: &Model<'_>,
    nominal: &[Option<u32>],
    design: SensitivityDesign,
    pool: &bounds::Pool,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<SensitivityReport, Error> {
    let d = model.groups.len();
    // Row j holds y(A), y(B), y(A_B^0) … y(A_B^{d-1}), one flat vector for all rows (its
    // size, N·(d+2) numbers, was checked by bounds::check); rows are scored a chunk at a time.
    let stride = d + 2;
    let n_rows = u64::from(design.n);
    let mut rows: Vec<f64> = Vec::with_capacity(design.n as usize * stride);
    let mut from = 0u64;
    while from < n_rows {
        let to = from.saturating_add(4096).min(n_rows);
        let chunk = pool.map(from..to, &|j, buf| {
            let mut y = |matrix_of: &dyn Fn(usize) -> u64| -> Result<f64, Error> {
                let sc = model.scenario(j, matrix_of);
                let r = model.run_ranks(&sc, buf)?;
                progress(1);
                Ok(mean_shift(nominal, &r))
            };
            let mut row = Vec::with_capacity(stride);
            row.push(y(&|_| MATRIX_A)?);
            row.push(y(&|_| MATRIX_B)?);
            for i in 0..d {
                row.push(y(&|g| if g == i { MATRIX_B } else { MATRIX_A })?);
            }
            Ok::<_, Error>(row)
        });
        for row in chunk {
            rows.extend(row?);
        }
        from = to;
    }
    let rows = rows.chunks_exact(stride);
    let n = rows.len() as f64;
    let all = rows.clone().flat_map(|r| [r[0], r[1]]);
    let mean = all.clone().sum::<f64>() / (2.0 * n);
    let variance = all.map(|y| (y - mean) * (y - mean)).sum::<f64>() / (2.0 * n - 1.0);
    let indices = (0..d)
        .map(|i| {
            let (mut s, mut st) = (0f64, 0f64);
            for r in rows.clone() {
                let (ya, yb, yc) = (r[0], r[1], r[2 + i]);
                s += yb * (yc - ya);
                st += (ya - yc) * (ya - yc);
            }
            let (first_order, total) = if variance > 0.0 {
                (s / n / variance, st / n / 2.0 / variance)
            } else {
                (0.0, 0.0)
            };
            SensitivityIndex {
                assumption: String::new(),
                first_order,
                total,
            }
        })
        .collect();
    Ok(SensitivityReport {
        n: design.n,
        runs: u64::from(design.n) * (d as u64 + 2),
        target: "mean_absolute_rank_shift".into(),
        mean,
        variance,
        indices,
    })
}
