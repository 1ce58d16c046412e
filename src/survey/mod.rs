//! Survey answer sheets → SIPAS (Chỉ số hài lòng về sự phục vụ hành chính).
//!
//! Provinces and departments run their own SIPAS surveys every year and need the index
//! from the answer sheets, per unit, with its uncertainty. This module reads a survey
//! definition ([`Questionnaire`], `chiso.survey/1`, e.g. `criteria/sipas/`), reads answer
//! sheets (one row per respondent), and estimates the **satisfaction rate** and the
//! **mean score** of every item, block, component and of the index, per unit and for all
//! units, with exact decimals; then bootstrap confidence intervals, the minimum sample
//! size for a margin, and the hand-off to a PAR INDEX criterion.
//!
//! ```text
//! definition.json ──Survey::from_json──▶ Survey (validated)
//! answers.csv / .jsonl ──read_csv / read_json_lines──▶ Answers (one row per respondent)
//!                                  │
//!                      estimate(&survey, &answers) ──▶ SurveyResult (per unit, all units, ranks)
//!                      bootstrap(…)                ──▶ intervals of every unit's index and rank
//!                      minimum_sample_size(…)      ──▶ respondents needed for a margin
//!                      par::criterion_entry(…)     ──▶ the PAR INDEX SIPAS criterion's value and points
//! ```
//!
//! # What is computed (reference `sipas.md` §3)
//!
//! With `wᵣ` the sampling weight of respondent `r` (1 when the sheet has no weight
//! column), for item `i` of a unit:
//! - `A_i = Σ wᵣ` over valid answers; `S_i = Σ wᵣ` over answers in the declared
//!   `satisfied` set (4 and 5 on the 1001 form: **inferred**, the 1001 rule is not public);
//! - satisfaction rate `100 × S_i / D_i`, where `D_i = A_i` (no-answer policy `exclude`)
//!   or `A_i` plus the weight of the no-answers (policy `unsatisfied`);
//! - mean score `Σ wᵣ·answer / A_i` (no-answers never have a score).
//!
//! Blocks, components and the index follow the aggregation **declared** in the
//! definition (no official formula is published, so none is hard-wired): see
//! [`Aggregation`]. Every result names the aggregation and the policies used.
//!
//! Arithmetic: weights are read as exact decimals and summed as integers (scaled by
//! 10¹²); every ratio and mean is a `Decimal` (28 significant digits). Nothing is
//! rounded except for display.
//!
//! # Limits
//!
//! Memory and time are bounded by the constants below, checked before allocating.

pub mod bootstrap;
pub mod error;
pub mod estimate;
mod ids;
pub mod jsonl;
pub mod par;
pub mod policy;
pub mod questionnaire;
pub mod sample_size;
pub mod sheet;

pub use bootstrap::{bootstrap, BootstrapOptions, IndexInterval};
pub use error::{RowError, RowProblem, SurveyError};
pub use estimate::{estimate, NodeEstimate, SurveyResult, UnitResult};
pub use jsonl::read_json_lines;
pub use policy::{EmptyItemPolicy, NoAnswerPolicy, OutOfRangePolicy, Policies};
pub use questionnaire::{Aggregation, Level, Questionnaire, Survey, Weighting};
pub use sample_size::{minimum_sample_size, SampleSize};
pub use sheet::{read_csv, read_rows, Answers, ReadOptions};

use rust_decimal::Decimal;

/// Most items (scored and overall) a definition may declare.
pub const MAX_ITEMS: usize = 250;
/// Most options of the answer scale (answers are stored as one byte).
pub const MAX_SCALE_OPTIONS: usize = 20;
/// Largest value of a scale option (values are whole numbers `0..=MAX_SCALE_VALUE`).
pub const MAX_SCALE_VALUE: u16 = 100;
/// Most respondents (rows) one sheet may hold.
pub const MAX_RESPONDENTS: usize = 10_000_000;
/// Most answer cells (respondents × items) kept in memory (one byte each).
pub const MAX_ANSWER_CELLS: usize = 500_000_000;
/// Most distinct units in one sheet.
pub const MAX_UNITS: usize = 100_000;
/// Most distinct strata in one sheet.
pub const MAX_STRATA: usize = 1_000_000;
/// Longest respondent id, unit name or stratum, in bytes.
pub const MAX_TEXT_BYTES: usize = 1024;
/// Longest line of a JSON-lines sheet, in bytes.
pub const MAX_LINE_BYTES: usize = 1 << 20;
/// Largest sampling weight.
pub const MAX_WEIGHT: Decimal = Decimal::from_parts(1_000_000, 0, 0, false, 0);
/// Most decimal places of a sampling weight (weights are summed as integers × 10¹²).
pub const WEIGHT_DECIMALS: u32 = 12;
/// Errors listed by default (all are counted).
pub const DEFAULT_MAX_ERRORS: usize = 100;
/// Most bootstrap replications.
pub const MAX_BOOTSTRAP_REPS: u32 = 100_000;
/// Most replicated index values kept (replications × units).
pub const MAX_BOOTSTRAP_VALUES: u64 = 10_000_000;
/// Most respondent draws of one bootstrap run (replications × respondents).
pub const MAX_BOOTSTRAP_DRAWS: u64 = 5_000_000_000;
