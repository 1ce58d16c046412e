//! Problems in a publications file, as [`Diagnostics`]: every bad row is named by its row
//! number (CSV: header = row 1; JSON lines: the line), its column and the ministry's
//! decision number (`SoQuyetDinhBo`), all at once up to
//! [`MAX_ERRORS`] (then "… and N more").
//!
//! Stable codes, meant for programs:
//! - header problems use the shared problem tags: `missing_columns`, `duplicate_key` (two
//!   headers name one column; also two rows for one ministry decision and kind, naming
//!   both rows), `structure` (an unknown column, with the valid names);
//! - dates that cannot be read and years outside the calendar are the calendar's
//!   `unreadable_value` diagnostics (`calendar_unreadable_time`,
//!   `calendar_year_not_covered`, which names the year);
//! - every other cell or row problem is an `unreadable_value` diagnostic whose detail
//!   carries one of the `publications_*` codes of [`Code`] in brackets.

use super::limits::MAX_ERRORS;
use crate::diagnostics::{Diagnostic, Diagnostics, Problem};
use crate::records::error::quote;

/// Stable codes of cell and row problems.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    /// A required cell is empty (or only one of the provincial number and date is given).
    Empty,
    /// `LoaiQuyetDinh` is neither the list of TTHC nor the internal procedure.
    UnknownKind,
    /// The provincial decision is dated before the ministry's decision.
    ProvincialBeforeMinistry,
    /// One ministry decision number appears with two different dates.
    MinistryDateDiffers,
    /// `NgayHieuLuc` or `NgayCongKhai` on an internal-procedure row (the portal's 1.1 and
    /// 1.2 concern the decision announcing the list).
    NotForKind,
    /// `NgayCongKhai` without a provincial decision (nothing announced yet to publish).
    PublicWithoutDecision,
    /// `NgayCongKhai` before the provincial decision.
    PublicBeforeDecision,
    /// The options are out of range (a deadline of 0 working days, or too many).
    BadOptions,
    /// More rows, columns, codes or bytes than the limits allow.
    TooLarge,
    /// The dossiers of a records run belong to more than one top-level unit: a
    /// publications file is one province's decisions.
    SeveralProvinces,
    /// The file cannot be read as CSV / JSON lines / UTF-8.
    Unreadable,
}

impl Code {
    /// The code's text.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Empty => "publications_empty",
            Code::UnknownKind => "publications_unknown_kind",
            Code::ProvincialBeforeMinistry => "publications_provincial_before_ministry",
            Code::MinistryDateDiffers => "publications_ministry_date_differs",
            Code::NotForKind => "publications_not_for_kind",
            Code::PublicWithoutDecision => "publications_public_without_decision",
            Code::PublicBeforeDecision => "publications_public_before_decision",
            Code::BadOptions => "publications_bad_options",
            Code::TooLarge => "publications_too_large",
            Code::SeveralProvinces => "publications_several_provinces",
            Code::Unreadable => "publications_unreadable",
        }
    }
}

/// The location of a problem: `row 7, column "NgayQuyetDinhTinh", SoQuyetDinhBo "12/QĐ-BYT"`.
pub fn location(row: u64, column: Option<&str>, ministry_decision: Option<&str>) -> String {
    let mut s = if row == 0 {
        "$".to_owned()
    } else {
        format!("row {row}")
    };
    if let Some(c) = column {
        s.push_str(&format!(", column \"{c}\""));
    }
    if let Some(m) = ministry_decision.filter(|m| !m.is_empty()) {
        s.push_str(&format!(", SoQuyetDinhBo \"{}\"", quote(m)));
    }
    s
}

/// A cell problem: `unreadable_value` with the value, both messages and the code.
pub fn cell(path: String, text: &str, code: Code, en: &str, vi: &str) -> Diagnostic {
    Diagnostic::error(
        path,
        None,
        Problem::UnreadableValue {
            text: quote(text),
            // "english / tiếng Việt" (the English part never contains " / "), the code in
            // both, like the calendar's messages.
            detail: format!(
                "{} [{code}] / {vi} [{code}]",
                en.replace(" / ", "/"),
                code = code.as_str()
            ),
        },
    )
}

/// Problems collected up to [`MAX_ERRORS`], then counted.
#[derive(Debug, Default)]
pub(crate) struct Problems {
    list: Vec<Diagnostic>,
    dropped: usize,
}

impl Problems {
    pub(crate) fn push(&mut self, d: Diagnostic) {
        if self.list.len() < MAX_ERRORS {
            self.list.push(d);
        } else {
            self.dropped += 1;
        }
    }

    pub(crate) fn count(&self) -> usize {
        self.list.len() + self.dropped
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.count() == 0
    }

    /// The diagnostics, with a last "… and N more" when some were dropped, all in `file`.
    pub(crate) fn finish(mut self, file: &str) -> Diagnostics {
        if self.dropped > 0 {
            let total = self.count();
            let n = self.dropped;
            self.list.push(cell(
                "$".into(),
                "…",
                Code::TooLarge,
                &format!("… and {n} more problems ({total} in all)"),
                &format!("… và {n} lỗi khác (tổng cộng {total})"),
            ));
        }
        Diagnostics(self.list).in_file(file)
    }
}
