//! Criteria authoring: turning the table of a decision's annex into an index definition.
//!
//! This part is free of any spreadsheet format: callers (the CLI) read `.xlsx` or `.csv`
//! into [`Grid`]s of text and pass them here. It recognises the header row (any order,
//! with or without diacritics), STT codes and their hierarchy, Vietnamese decimal
//! commas, the rule column syntax ([`parse_rule`]) and the usual Vietnamese wording
//! ([`recognise`]), and reports every problem with its sheet, row and column.

mod cell_text;
mod form;
mod header;
mod import;
mod recognise;
mod syntax;
mod table;

/// The former name of [`read_number`], kept for callers and deprecated: its name
/// collides with `chiso::batch::parse_decimal`, a different reader (ASCII bytes, no
/// separators).
///
/// ```
/// #![allow(deprecated)]
/// assert_eq!(chiso::authoring::parse_decimal("0,5"), chiso::authoring::read_number("0,5"));
/// ```
#[deprecated(
    since = "0.1.0",
    note = "renamed `read_number`; `chiso::batch::parse_decimal` is the batch's byte reader"
)]
pub fn parse_decimal(s: &str) -> Result<Option<rust_decimal::Decimal>, NotANumber> {
    read_number(s)
}
pub use cell_text::{
    cell_ref, column_letters, fold, parse_stt, read_number, slug, CodeStyle, NotANumber, Stt,
};
pub use form::{parse_value, value_choices, value_hint};
pub use header::{header_field, Field};
pub use import::{import, meta_from_grids, Grid, Imported, META_TAG};
pub use recognise::{recognise, Recognised};
pub use syntax::{parse_rule, rule_syntax, SyntaxError};
pub use table::{criteria_table, CriteriaRow};
