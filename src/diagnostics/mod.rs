//! Typed problems found in index files and assessments, with messages in Vietnamese
//! and English that name the file, the JSON path and the criterion code.
//!
//! - [`Diagnostic`] / [`Diagnostics`] (`diagnostic.rs`): one located problem, a set of them;
//! - [`Location`] (`location.rs`): where: a JSON path, a row and column of a table, a
//!   spreadsheet cell, the whole file;
//! - [`Problem`] (`problem.rs`): what is wrong, with a stable `type` tag;
//! - the messages in Vietnamese and English, as data (`messages.json`, filled by
//!   `messages.rs`; served beside the form's WebAssembly module, [`set_messages`]), and the
//!   plain words for the parts that come from elsewhere: parser details, operating-system
//!   errors, field names (`words.rs`).

mod diagnostic;
mod location;
mod messages;
mod problem;
pub(crate) mod words;

pub use diagnostic::{Diagnostic, Diagnostics, Severity};
pub use location::{Location, RecordKey};
pub use messages::set_messages;
pub use problem::Problem;

#[cfg(test)]
pub(crate) mod samples;
#[cfg(test)]
mod tests_messages;
