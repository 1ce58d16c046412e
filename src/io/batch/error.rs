//! The batch's errors: [`RowError`] (one problem, located by row and column),
//! [`BatchError`] (why a run failed) and the rendering of their lists.

use crate::text::Lang;
use std::io;

/// One input problem, located by row and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// Line number in the input (header = 1); 0 for the file as a whole.
    pub row: u64,
    /// Column (leaf code, `unit`, …) when known.
    pub column: Option<String>,
    /// The offending text, when there is one.
    pub value: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl RowError {
    pub(super) fn new(
        row: u64,
        column: Option<&str>,
        value: Option<&str>,
        message: impl Into<String>,
    ) -> Self {
        RowError {
            row,
            column: column.map(excerpt),
            value: value.map(excerpt),
            message: message.into(),
        }
    }

    /// A row that could not be read (`row` 0: the file), in the reader's own words
    /// (a CSV parser's message, say).
    ///
    /// ```
    /// let e = chiso::batch::RowError::unreadable(3, "found record with 2 fields");
    /// assert_eq!(e.row, 3);
    /// ```
    pub fn unreadable(row: u64, message: impl Into<String>) -> Self {
        RowError::new(row, None, None, message)
    }

    /// The file holds no unit (empty, or only a header or blank lines).
    ///
    /// ```
    /// use chiso::{batch::RowError, Lang};
    /// assert_eq!(RowError::no_units(Lang::En).row, 0);
    /// ```
    pub fn no_units(lang: Lang) -> Self {
        RowError::new(
            0,
            None,
            None,
            lang.pick(
                "không có đơn vị nào (tệp trống, hoặc chỉ có dòng tiêu đề hay dòng trống)",
                "no units (the file is empty, or holds only a header or blank lines)",
            ),
        )
    }

    /// `units.csv row 17, column D5.2: '1,2x' is not a number`.
    pub fn render(&self, source: &str, lang: Lang) -> String {
        let (row, col) = match lang {
            Lang::Vi => ("dòng", "cột"),
            Lang::En => ("row", "column"),
        };
        let mut s = source.to_owned();
        if self.row > 0 {
            s.push_str(&format!(" {row} {}", self.row));
        }
        if let Some(c) = &self.column {
            s.push_str(&format!(
                "{} {col} {c}",
                if self.row > 0 { "," } else { "" }
            ));
        }
        s.push_str(": ");
        if let Some(v) = &self.value {
            s.push_str(&format!("'{v}' "));
        }
        s.push_str(&self.message);
        s
    }
}

/// Longest excerpt of a cell a message quotes, in characters.
pub(super) const EXCERPT_CHARS: usize = 60;

/// A short, escaped excerpt of input text for a message: at most [`EXCERPT_CHARS`]
/// characters, control characters written as escapes (`\u{1b}`), `…` when cut.
pub(super) fn excerpt(s: &str) -> String {
    let mut out = String::new();
    for (k, c) in s.chars().enumerate() {
        if k == EXCERPT_CHARS {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// Why a batch failed.
#[derive(Debug)]
pub enum BatchError {
    /// The input has errors; nothing was written.
    Input {
        /// Name of the input.
        source: String,
        /// The first errors (at most [`Options::max_errors`](super::Options::max_errors)).
        errors: Vec<RowError>,
        /// How many errors there are in all.
        total: usize,
        /// Language of the messages.
        lang: Lang,
    },
    /// Reading or writing failed.
    Io(io::Error),
}

impl BatchError {
    /// All messages, one per line, with a final count when the list was cut.
    pub fn render(&self) -> String {
        match self {
            BatchError::Input {
                source,
                errors,
                total,
                lang,
            } => render_list(errors, *total, source, *lang, false),
            BatchError::Io(e) => e.to_string(),
        }
    }
}

impl std::fmt::Display for BatchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render())
    }
}

impl std::error::Error for BatchError {}

impl From<io::Error> for BatchError {
    fn from(e: io::Error) -> Self {
        BatchError::Io(e)
    }
}

impl From<csv::Error> for BatchError {
    fn from(e: csv::Error) -> Self {
        BatchError::Io(e.into())
    }
}

/// Messages one per line, and "… and N more" when `total` exceeds the list.
pub(super) fn render_list(
    list: &[RowError],
    total: usize,
    source: &str,
    lang: Lang,
    warnings: bool,
) -> String {
    let mut lines: Vec<String> = list.iter().map(|e| e.render(source, lang)).collect();
    if total > list.len() {
        let more = total - list.len();
        lines.push(match (lang, warnings) {
            (Lang::Vi, false) => format!("… và {more} lỗi khác ({total} lỗi tất cả)"),
            (Lang::En, false) => format!("… and {more} more errors ({total} in all)"),
            (Lang::Vi, true) => format!("… và {more} cảnh báo khác ({total} cảnh báo tất cả)"),
            (Lang::En, true) => format!("… and {more} more warnings ({total} in all)"),
        });
    }
    lines.join("\n")
}
