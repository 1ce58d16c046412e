//! # chiso — scoring engine for Vietnam's public-administration indices
//!
//! chiso ("chỉ số", index) encodes each index — PAR INDEX (Chỉ số cải cách hành chính),
//! PAPI, PCI, SIPAS and the QĐ 766 service index — as a versioned, validated tree of
//! criteria, and scores units exactly with [`rust_decimal::Decimal`], explaining every
//! point in Vietnamese and English.
//!
//! ```
//! use chiso::{Index, View};
//! let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/criteria/examples/");
//! let index = Index::from_file(format!("{dir}department-example.json").as_ref()).unwrap();
//! let text = std::fs::read_to_string(format!("{dir}department-example.assessment.json")).unwrap();
//! let assessment = chiso::load::assessment(&text).unwrap();
//! let result = index.score(&assessment, View::Final).unwrap();
//! assert!(result.total.percent.is_some());
//! ```
//!
//! Data flow: index file → [`load`] (JSON syntax and shape) → [`validate`] (semantics)
//! → [`Index`] → assessment checked by [`Index::check_assessment`] → [`Index::score`]
//! → [`ScoreResult`] with per-node explanations → rendered by callers, rounding only
//! there ([`display`]); why a criterion has its points, in words: [`explain`].
//!
//! The API, by layer:
//! - what the files say: [`definition`] (the index file; also `chiso::index`),
//!   [`node`], [`rule`], [`interval`], [`band`], [`assessment`], [`result`], [`text`];
//! - scoring: [`Index`] and [`engine`] (the flattened tree [`engine::FlatNode`], the
//!   points-only path [`inputs`], the total after bonus/penalty
//!   [`engine::total_after_adjustments`]), [`validate`], [`ranking`];
//! - reading and writing: [`load`], [`schema`], [`display`], [`explain`], [`batch`];
//! - problems: [`diagnostics`]; bounds: [`limits`];
//! - analysis: [`scenario`] (scenario files and the form's edits), [`planner`],
//!   [`sensitivity`], [`diff`]; authoring an index from a decision's annex: [`authoring`];
//! - other sources: [`records`], [`survey`], [`calendar`].

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

// Layers, following the data flow (DESIGN.md, "Where things live"). The folders are
// private; the API is the modules and names re-exported below.
mod analysis;
pub mod authoring;
pub mod calendar;
pub mod diagnostics;
mod io;
pub mod limits;
mod model;
pub mod records;
pub mod survey;

pub use analysis::{diff, planner, scenario, sensitivity};
pub use io::display::explain;
pub(crate) use io::json;
pub use io::json::write;
pub use io::{batch, display, load, schema};
// The definition of an index (the file's content) is `chiso::definition`; `chiso::index`
// is its older name, kept for every caller (`chiso::Index` is the scoring engine).
pub use model::definition;
pub use model::definition as index;
pub use model::{assessment, band, interval, node, result, rule, text};

/// The scoring engine: [`Index`], its cells and flattened criteria.
pub mod engine;
pub use engine::{inputs, ranking, validate};

pub use assessment::{Assessment, Entry, Layer, LayerEntry, Value};
pub use diagnostics::{Diagnostic, Diagnostics, Problem, Severity};
pub use engine::{Cell, Index};
pub use index::IndexDefinition;
pub use result::{NodeResult, ScoreResult, Status, View};
pub use rust_decimal::Decimal;
pub use text::{Lang, Text};
