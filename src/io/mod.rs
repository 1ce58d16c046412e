//! Reading and writing: the strict JSON reader and typed loading ([`load`]), the JSON
//! Schemas ([`schema`]), rounding and number formatting for people ([`display`]) and the
//! streaming batch of many units ([`batch`]).

pub mod batch;
pub mod display;
pub(crate) mod json;
pub mod load;
pub mod schema;
