//! Problems in a dossier file, as [`Diagnostics`]: every bad row is named by its row
//! number (header = row 1; JSON lines: the line), its column and its `MaHoSo`, all at
//! once up to [`MAX_ERRORS`] (then "… and N more"). Nothing is produced on error.
//!
//! Stable codes, meant for programs:
//! - column problems use the shared problem tags: `missing_columns` (a required column
//!   is absent), `duplicate_key` (two columns map to one chiso column; also a duplicate
//!   `MaHoSo`, naming both rows), `structure` (an unknown column, with the valid names);
//! - cell and row problems are [`Problem::Coded`] diagnostics (`type` `coded`) whose
//!   `code` is one of the `records_*` codes of [`Code`], or the calendar's
//!   (`calendar_unreadable_time`, `calendar_year_not_covered`); their message ends with
//!   the code in brackets.
//!
//! Every diagnostic is located by a [`Location`] (row, column, `MaHoSo`), rendered in
//! the message's language (`dòng 12, cột "NgayHenTra"` / `row 12, column "NgayHenTra"`).

use crate::diagnostics::{Diagnostic, Diagnostics, Location, Problem};
use crate::records::limits::MAX_ERRORS;

/// Stable codes of cell and row problems.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    /// `TrangThaiHoSo` is not 1–10.
    UnknownStatus,
    /// `KenhThucHien` is not 1, 2, 3 or empty.
    UnknownChannel,
    /// `DuocThanhToanTrucTuyen` is not 0, 1, 2 or empty.
    UnknownPayment,
    /// A yes/no column holds something else.
    NotAFlag,
    /// A number column holds something else (or a negative fee).
    NotANumber,
    /// `DonViTinh` is not a known unit, or the time is not whole working hours.
    UnknownDurationUnit,
    /// A required cell is empty.
    Empty,
    /// A received dossier has neither `NgayTiepNhan` nor `NgayNopHoSo`.
    NoReceipt,
    /// `NgayHenTra` is before the receipt.
    DueBeforeReceipt,
    /// The end time is before the receipt.
    EndBeforeReceipt,
    /// A finished dossier (end status) has no end time.
    NoEndTime,
    /// No `NgayHenTra` and no `ThoiGianGiaiQuyet` + `DonViTinh` to compute it.
    NoDue,
    /// The supplement lists have different lengths.
    SupplementListsUnequal,
    /// A supplement was received before it was requested, or requested before receipt.
    SupplementOutOfOrder,
    /// A `DonViXuLy` code that cannot be a unit code.
    BadUnitCode,
    /// More units, columns, supplements or bytes than the limits allow.
    TooLarge,
    /// The file cannot be read as CSV / JSON lines / UTF-8.
    Unreadable,
    /// A values-file cell for an indicator that publication decisions feed for the same
    /// unit (`chiso records --values … --publications …`).
    Conflict,
    /// A `MaHoSo` asked for (`--explain`) that no dossier of the file has.
    UnknownDossier,
}

impl Code {
    /// The code's text.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::UnknownStatus => "records_unknown_status",
            Code::UnknownChannel => "records_unknown_channel",
            Code::UnknownPayment => "records_unknown_payment",
            Code::NotAFlag => "records_not_a_flag",
            Code::NotANumber => "records_not_a_number",
            Code::UnknownDurationUnit => "records_unknown_duration_unit",
            Code::Empty => "records_empty",
            Code::NoReceipt => "records_no_receipt",
            Code::DueBeforeReceipt => "records_due_before_receipt",
            Code::EndBeforeReceipt => "records_end_before_receipt",
            Code::NoEndTime => "records_no_end_time",
            Code::NoDue => "records_no_due",
            Code::SupplementListsUnequal => "records_supplement_lists_unequal",
            Code::SupplementOutOfOrder => "records_supplement_out_of_order",
            Code::BadUnitCode => "records_bad_unit_code",
            Code::TooLarge => "records_too_large",
            Code::Unreadable => "records_unreadable",
            Code::Conflict => "records_value_conflict",
            Code::UnknownDossier => "records_unknown_dossier",
        }
    }
}

/// The location of a problem: `row 12, column "NgayHenTra", MaHoSo "H21.17-0001"`
/// (in Vietnamese `dòng 12, cột "NgayHenTra", MaHoSo "H21.17-0001"`).
pub fn location(row: u64, column: Option<&str>, ma_ho_so: Option<&str>) -> Location {
    location_keyed(row, column, "MaHoSo", ma_ho_so)
}

/// The location of a problem in any record file: the row (0 for the whole file), the
/// column and the record's key under its own name (`MaHoSo "…"`, `SoQuyetDinhBo "…"`,
/// escaped and shortened by [`quote`]).
pub fn location_keyed(
    row: u64,
    column: Option<&str>,
    key_name: &str,
    key: Option<&str>,
) -> Location {
    let mut at = Location::row(row);
    if let Some(c) = column {
        at = at.column(c);
    }
    if let Some(k) = key {
        at = at.key(key_name, quote(k));
    }
    at
}

/// A cell problem: a [`Problem::Coded`] with the value, both messages and the code.
pub fn cell(at: Location, text: &str, code: Code, en: &str, vi: &str) -> Diagnostic {
    coded(at, text, code.as_str(), en, vi)
}

/// A cell problem with any stable code (records, publications): a [`Problem::Coded`]
/// with the value (escaped and shortened by [`quote`]) and both messages.
pub fn coded(at: Location, text: &str, code: &str, en: &str, vi: &str) -> Diagnostic {
    Diagnostic::error_at(
        at,
        None,
        Problem::Coded {
            code: code.to_owned(),
            text: quote(text),
            vi: vi.to_owned(),
            en: en.to_owned(),
        },
    )
}

/// A `MaHoSo` asked to be explained that the file does not have, located by its key:
/// `MaHoSo "X": không có hồ sơ có MaHoSo này [records_unknown_dossier]`.
///
/// ```
/// let d = chiso::records::error::unknown_dossier("NOPE").in_file("hoso.csv");
/// assert_eq!(
///     d.message(chiso::Lang::Vi),
///     "hoso.csv: lỗi tại MaHoSo \"NOPE\": không có hồ sơ có MaHoSo này [records_unknown_dossier]"
/// );
/// ```
pub fn unknown_dossier(ma_ho_so: &str) -> Diagnostic {
    cell(
        location(0, None, Some(ma_ho_so)),
        "",
        Code::UnknownDossier,
        "no dossier with this MaHoSo",
        "không có hồ sơ có MaHoSo này",
    )
}

/// `text` with control characters, quotes and backslashes escaped, cut to
/// [`MAX_QUOTED_CHARS`](crate::calendar::MAX_QUOTED_CHARS) characters.
pub fn quote(text: &str) -> String {
    let max = crate::calendar::MAX_QUOTED_CHARS;
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == max {
            out.push('…');
            break;
        }
        out.extend(c.escape_debug());
    }
    out
}

/// Problems collected up to a limit ([`MAX_ERRORS`] by default), then counted.
#[derive(Debug)]
pub struct Problems {
    list: Vec<Diagnostic>,
    dropped: usize,
    limit: usize,
    too_large: &'static str,
}

impl Default for Problems {
    fn default() -> Problems {
        Problems::limited(MAX_ERRORS, Code::TooLarge.as_str())
    }
}

impl Problems {
    /// At most `limit` listed; the closing "… and N more" carries `too_large` as its code.
    pub fn limited(limit: usize, too_large: &'static str) -> Problems {
        Problems {
            list: Vec::new(),
            dropped: 0,
            limit,
            too_large,
        }
    }

    /// Adds one.
    pub fn push(&mut self, d: Diagnostic) {
        if self.list.len() < self.limit {
            self.list.push(d);
        } else {
            self.dropped += 1;
        }
    }

    /// Number of problems found (listed and dropped).
    pub fn count(&self) -> usize {
        self.list.len() + self.dropped
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.count() == 0
    }

    /// The diagnostics, with a last "… and N more" when some were dropped, all in `file`.
    pub fn finish(mut self, file: &str) -> Diagnostics {
        if self.dropped > 0 {
            let total = self.count();
            let n = self.dropped;
            self.list.push(coded(
                Location::File,
                "…",
                self.too_large,
                &format!("… and {n} more problems ({total} in all)"),
                &format!("… và {n} lỗi khác (tổng cộng {total})"),
            ));
        }
        Diagnostics(self.list).in_file(file)
    }
}
