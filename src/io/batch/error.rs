//! The batch's errors: [`RowError`] (one problem, located by row and column),
//! [`BatchError`] (why a run failed) and the rendering of their lists.

use crate::diagnostics::{Diagnostic, Location, Problem};
use crate::text::Lang;
use std::io;

/// What kind of problem a [`RowError`] is: its stable code ([`RowCode::as_str`]), meant
/// for programs (the messages may change, the codes do not).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RowCode {
    /// `batch_unreadable`: the file or a row cannot be read (not UTF-8, broken CSV
    /// quoting, a JSON line that is not an assessment).
    Unreadable,
    /// `batch_limit_exceeded`: a line, cell, header or column count beyond chiso's limits.
    LimitExceeded,
    /// `batch_no_units`: the file holds no unit.
    NoUnits,
    /// `batch_bad_header`: a header column without a name, named twice, or a parent
    /// criterion's code.
    BadHeader,
    /// `batch_unknown_column`: a header column that is neither a leaf, a bonus/penalty
    /// block nor `unit`, `block`, `unit_type`.
    UnknownColumn,
    /// `batch_missing_columns`: the `unit` column or a leaf's column is missing.
    MissingColumns,
    /// `batch_wrong_width`: a row with more or fewer cells than the header.
    WrongWidth,
    /// `batch_empty_unit`: a row without a unit name.
    EmptyUnit,
    /// `batch_unknown_unit_type`: a `unit_type` the index does not declare.
    UnknownUnitType,
    /// `batch_unreadable_value`: a cell its criterion's rule cannot read, or a value it
    /// refuses.
    UnreadableValue,
    /// `batch_not_applicable`: a value for a criterion that does not apply to the unit's
    /// type.
    NotApplicable,
    /// `batch_points_above_max`: points above a declared maximum (a bonus/penalty beyond
    /// its cap, a node above its maximum).
    PointsAboveMax,
    /// `batch_duplicate_unit` (a warning): a unit that repeats an earlier unit of its block.
    DuplicateUnit,
}

impl RowCode {
    /// The stable code.
    ///
    /// ```
    /// assert_eq!(chiso::batch::RowCode::WrongWidth.as_str(), "batch_wrong_width");
    /// ```
    pub fn as_str(self) -> &'static str {
        use RowCode::*;
        match self {
            Unreadable => "batch_unreadable",
            LimitExceeded => "batch_limit_exceeded",
            NoUnits => "batch_no_units",
            BadHeader => "batch_bad_header",
            UnknownColumn => "batch_unknown_column",
            MissingColumns => "batch_missing_columns",
            WrongWidth => "batch_wrong_width",
            EmptyUnit => "batch_empty_unit",
            UnknownUnitType => "batch_unknown_unit_type",
            UnreadableValue => "batch_unreadable_value",
            NotApplicable => "batch_not_applicable",
            PointsAboveMax => "batch_points_above_max",
            DuplicateUnit => "batch_duplicate_unit",
        }
    }
}

/// One input problem, located by row and column, under a stable [`RowCode`], with its
/// message in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// Line number in the input (header = 1); 0 for the file as a whole.
    pub row: u64,
    /// Column (leaf code, `unit`, …) when known.
    pub column: Option<String>,
    /// The offending text, when there is one.
    pub value: Option<String>,
    /// What is wrong, in the language of the run (one of [`RowError::vi`] and
    /// [`RowError::en`]).
    pub message: String,
    /// What kind of problem: the stable code.
    pub code: RowCode,
    /// What is wrong, in Vietnamese.
    pub vi: String,
    /// What is wrong, in English.
    pub en: String,
    /// The earlier row a duplicate repeats.
    pub first_row: Option<u64>,
}

impl RowError {
    /// A problem of `code` at `row` (and `column`, about `value`), with its message
    /// written once per language by `words`; `message` is the one in `lang`.
    pub(super) fn new(
        row: u64,
        column: Option<&str>,
        value: Option<&str>,
        code: RowCode,
        lang: Lang,
        words: impl Fn(Lang) -> String,
    ) -> Self {
        let (vi, en) = (words(Lang::Vi), words(Lang::En));
        RowError {
            row,
            column: column.map(excerpt),
            value: value.map(excerpt),
            message: lang.pick(&vi, &en).clone(),
            code,
            vi,
            en,
            first_row: None,
        }
    }

    /// The problem in `lang`.
    pub fn text(&self, lang: Lang) -> &str {
        lang.pick(&self.vi, &self.en)
    }

    /// Where the problem is: the row (the file as a whole for row 0), the column, and for
    /// a duplicate the earlier row first.
    ///
    /// ```
    /// use chiso::{batch::RowError, diagnostics::Location};
    /// assert_eq!(RowError::unreadable(3, "bad quote").location(), Location::row(3));
    /// assert!(RowError::no_units(chiso::Lang::En).location().is_whole_file());
    /// ```
    pub fn location(&self) -> Location {
        let at = match self.first_row {
            Some(first) => Location::row(first).and_row(self.row),
            None => Location::row(self.row),
        };
        match &self.column {
            Some(c) => at.column(c.clone()),
            None if self.row == 0 => Location::File,
            None => at,
        }
    }

    /// The problem as a [`Diagnostic`] of `file`: at [`RowError::location`], a
    /// [`Problem::Coded`] under the stable code with both messages (a warning for a
    /// duplicate unit, an error otherwise).
    ///
    /// ```
    /// use chiso::{batch::RowError, Lang};
    /// let d = RowError::no_units(Lang::En).to_diagnostic("units.csv");
    /// assert_eq!(d.problem.stable_code(), "batch_no_units");
    /// assert_eq!(d.file.as_deref(), Some("units.csv"));
    /// ```
    pub fn to_diagnostic(&self, file: &str) -> Diagnostic {
        self.diagnostic().in_file(file)
    }

    /// The same diagnostic without a file, for a caller that names the file itself
    /// (a what-if's units base, a sensitivity's units inside a JSON call).
    ///
    /// ```
    /// use chiso::{batch::RowError, Lang};
    /// let d = RowError::no_units(Lang::En).diagnostic();
    /// assert_eq!(d.problem.stable_code(), "batch_no_units");
    /// assert_eq!(d.file, None);
    /// ```
    pub fn diagnostic(&self) -> Diagnostic {
        let problem = Problem::Coded {
            code: self.code.as_str().to_owned(),
            text: self.value.clone().unwrap_or_default(),
            vi: self.vi.clone(),
            en: self.en.clone(),
        };
        match self.code {
            RowCode::DuplicateUnit => Diagnostic::warning_at(self.location(), None, problem),
            _ => Diagnostic::error_at(self.location(), None, problem),
        }
    }

    /// A row that could not be read (`row` 0: the file), in the reader's own words
    /// (a CSV parser's message, say).
    ///
    /// ```
    /// let e = chiso::batch::RowError::unreadable(3, "found record with 2 fields");
    /// assert_eq!(e.row, 3);
    /// assert_eq!(e.code.as_str(), "batch_unreadable");
    /// ```
    pub fn unreadable(row: u64, message: impl Into<String>) -> Self {
        let message = message.into();
        RowError::new(row, None, None, RowCode::Unreadable, Lang::Vi, |_| {
            message.clone()
        })
    }

    /// The file holds no unit (empty, or only a header or blank lines).
    ///
    /// ```
    /// use chiso::{batch::RowError, Lang};
    /// assert_eq!(RowError::no_units(Lang::En).row, 0);
    /// ```
    pub fn no_units(lang: Lang) -> Self {
        RowError::new(0, None, None, RowCode::NoUnits, lang, |l| {
            l.pick(
                "không có đơn vị nào (tệp trống, hoặc chỉ có dòng tiêu đề hay dòng trống)",
                "no units (the file is empty, or holds only a header or blank lines)",
            )
            .to_owned()
        })
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
        s.push_str(self.text(lang));
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
