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

use crate::engine::Index;
use rust_decimal::Decimal;
use serde::Serialize;

mod bounds;
mod fixed;
mod model;
mod spec;
mod units;
pub use bounds::{Limit, MAX_RESULT_BYTES, MAX_WORK};
use model::{Model, MATRIX_A, MATRIX_B, MATRIX_UA};
pub use spec::{
    codes, parse_spec, AggregationChoice, Assumption, Error, InputMode, SensitivityDesign, Spec,
    SpecProblem,
};
pub use units::Units;

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
    let mut buf = model::Buffers::default();
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
