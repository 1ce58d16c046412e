//! Scoring: a validated definition flattened into an [`Index`], the checks of an
//! assessment against it, the points-only path ([`inputs`]), ranking on exact values and
//! the validation of a definition; the [`Compiled`](crate::engine::Compiled) evaluator (the index as an
//! integer plan, same results).

mod compiled;
mod index;
pub mod inputs;
pub mod ranking;
pub mod validate;

pub use compiled::{Compiled, LeafValues, Scratch};
pub(crate) use compiled::{Fx, FX_POW10};
pub use index::*;
