//! Criteria authoring: turning the table of a decision's annex into an index definition.
//!
//! This part is free of any spreadsheet format: callers (the CLI) read `.xlsx` or `.csv`
//! into [`Grid`]s of text and pass them here. It recognises the header row (any order,
//! with or without diacritics), STT codes and their hierarchy, Vietnamese decimal
//! commas, the rule column syntax ([`parse_rule`]) and the usual Vietnamese wording
//! ([`recognise`]), and reports every problem with its sheet, row and column.

mod form;
mod header;
mod import;
mod syntax;
mod table;
mod wording;
mod words;

pub use form::{parse_value, value_choices, value_hint};
pub use header::{header_field, Field};
pub use import::{import, meta_from_grids, Grid, Imported, META_TAG};
pub use syntax::{parse_rule, rule_syntax, SyntaxError};
pub use table::{criteria_table, CriteriaRow};
pub use wording::{recognise, Recognised};
pub use words::{
    cell_ref, column_letters, fold, parse_decimal, parse_stt, slug, CodeStyle, NotANumber, Stt,
};
