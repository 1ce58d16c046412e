//! What the files say: an index definition and its criteria, the rules that score them,
//! the bands, an assessment, a score result and the bilingual text they carry. Plain data
//! (serde + JSON Schema), no scoring.

pub mod assessment;
pub mod band;
pub mod definition;
pub mod interval;
#[cfg(any(feature = "lean", test))]
pub(crate) mod lean;
pub mod node;
pub mod result;
pub mod rule;
pub mod text;
