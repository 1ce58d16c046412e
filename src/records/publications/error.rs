//! Problems in a publications file, as [`Diagnostics`](crate::Diagnostics): every bad row is named by its row
//! number (CSV: header = row 1; JSON lines: the line), its column and the ministry's
//! decision number (`SoQuyetDinhBo`), all at once up to
//! [`MAX_ERRORS`] (then "… and N more").
//!
//! Stable codes, meant for programs:
//! - header problems use the shared problem tags: `missing_columns`, `duplicate_key` (two
//!   headers name one column; also two rows for one ministry decision and kind, naming
//!   both rows), `structure` (an unknown column, with the valid names);
//! - dates that cannot be read and years outside the calendar are the calendar's
//!   [`Problem::Coded`](crate::Problem::Coded) diagnostics (`calendar_unreadable_time`,
//!   `calendar_year_not_covered`, which names the year);
//! - every other cell or row problem is a `coded` diagnostic whose `code` is one of the
//!   `publications_*` codes of [`Code`] (the message ends with it in brackets).

use super::limits::MAX_ERRORS;
use crate::diagnostics::{Diagnostic, Location};

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
pub fn location(row: u64, column: Option<&str>, ministry_decision: Option<&str>) -> Location {
    crate::records::error::location_keyed(row, column, "SoQuyetDinhBo", ministry_decision)
}

/// A cell problem: a `coded` problem with the value, both messages and the code.
pub fn cell(at: Location, text: &str, code: Code, en: &str, vi: &str) -> Diagnostic {
    crate::records::error::coded(at, text, code.as_str(), en, vi)
}

/// Problems collected up to [`MAX_ERRORS`], then counted ("… and N more" carries
/// `publications_too_large`).
pub(crate) type Problems = crate::records::error::Problems;

/// An empty problem list with the publications limit.
pub(crate) fn problems() -> Problems {
    Problems::limited(MAX_ERRORS, Code::TooLarge.as_str())
}
