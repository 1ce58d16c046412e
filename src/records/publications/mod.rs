//! Publication deadlines of TTHC decisions (hạn công bố danh mục TTHC và phê duyệt quy
//! trình nội bộ): for each provincial decision, on time or late by N working days, and
//! the ratios that feed the matching criteria.
//!
//! **The deadlines** (seed directive, Hưng Yên Sở KH&CN 5/2024; reference
//! `service-index-766.md` §11.6), counted from the ministry's decision announcing the TTHC
//! (quyết định công bố của Bộ):
//!
//! | Provincial act | Deadline |
//! |---|---|
//! | Quyết định công bố danh mục TTHC ([`Kind::List`]) | 5 working days |
//! | Quyết định phê duyệt quy trình nội bộ ([`Kind::InternalProcedure`]) | 10 working days |
//!
//! **Counting** ([`Options`], every choice configurable). By default the day of the
//! ministry's decision is not counted and the period ends at the end of its last day
//! (Bộ luật Dân sự 2015, Điều 147–148, reference §11.6; [`FirstDay::DayAfter`]); the
//! alternative of counting the decision day is [`FirstDay::DecisionDay`]. Only working
//! days of the official calendar (`data/calendar/`, [`WorkingCalendar::vietnam`]) are
//! counted, so a deadline never ends on a day off: the rule of BLDS Điều 148 that a period
//! ending on a day off ends on the next working day is built into the count. A decision
//! is late by N when `N = elapsed − deadline > 0`, where `elapsed` is the number of
//! working days from the ministry's decision to the provincial decision (the working days
//! in `(ministry date, provincial date]`); so a decision dated on a day off right after
//! the last day has not used a working day more and is on time. Years outside the
//! calendar are an error naming the year.
//!
//! **The portal's own rules** (optional columns; reference §4, Definitions, secondary
//! source: the formula document), judged for decisions announcing the list:
//! - 1.1 `PUBLISH_ON_TIME`: ngày QĐCB ≤ ngày hiệu lực − 5 ngày làm việc (Tỉnh; Bộ: 20),
//!   column `NgayHieuLuc`. The limit is the 5th working day before the effective date
//!   (the effective day itself not counted, like the calendar's
//!   [`WorkingCalendar::add_working_days`]) — the formula document does not say how it
//!   counts, so this reading is inferred.
//! - 1.2 `PUBLIC_UPDATE_ON_TIME`: ngày bấm "công khai" ≤ ngày QĐCB + 5 ngày làm việc
//!   (Tỉnh; Bộ: 10), column `NgayCongKhai`.
//!
//! These are not the directive's deadlines (reference §11.6 says so): both are reported
//! side by side.
//!
//! **What the ratios feed** ([`summarise`], each an [`OnTimeCount`] whose
//! [`OnTimeCount::value`] is a `Value::Ratio`):
//! - [`PeriodSummary::portal_1_1`] and [`PeriodSummary::portal_1_2`] feed the criteria
//!   `1.1` and `1.2` of `criteria/service-766/qd766-portal-six-groups.json` (TTHC counted
//!   once per period, late if one of their decisions is late; give `MaTTHC`, otherwise
//!   each decision counts as one item and the summary says so). The portal computes them
//!   from the national TTHC database; these counts reproduce its rule from the unit's own
//!   records and have not been checked against published 1.1 or 1.2 values. In a records
//!   run ([`feed`], [`Values::with_publications`](crate::records::Values::with_publications),
//!   `chiso records --publications`) they become the values of the province — the root
//!   of the dossiers' unit tree — and, inherited, of every unit below it, as the portal
//!   shows the province's 1.1–1.3 for its departments and communes (reference §8.4);
//!   a bucket where nothing was counted feeds nothing (the indicator stays missing).
//! - [`PeriodSummary::list`] and [`PeriodSummary::internal_procedure`] (the directive's
//!   deadlines) feed no shipped criterion: no PAR INDEX criterion on timely publication
//!   is publicly available — the criteria of area 3 "Cải cách thủ tục hành chính" of
//!   876/QĐ-BNV and 892/QĐ-BNV are not published (reference `par-index.md` §2) and no
//!   file under `criteria/par-index/` has one. The ratios are ready for such a criterion
//!   when a source gives it. (The illustrative, non-official
//!   `criteria/examples/par-2025-department.json` has a criterion 3.1 "Công bố, công khai
//!   thủ tục hành chính" with a `timeliness` rule — kịp thời / không kịp thời / không công
//!   bố — but how many late decisions make a period "không kịp thời" is not stated there,
//!   so no outcome is derived for it.)
//!
//! **Input**: a CSV (`,` `;` or tab) or JSON-lines file, one row per provincial act;
//! columns in [`Column`] (table: [`column_table_markdown`]), with or without diacritics,
//! in any order; dates in the forms of [`parse_local_time`](crate::calendar::parse_local_time).
//! Every problem is reported at once (see [`error`]); nothing is judged on error.

mod columns;
pub mod error;
mod feed;
mod judge;
mod read;
mod rules;
mod summary;

pub use columns::{column_table_markdown, Column, ColumnInfo, COLUMN_COUNT, IGNORED_COLUMNS};
pub use feed::{feed, Feed, FED_INDICATORS};
pub use judge::{Judged, PortalCheck, Timeliness};
pub use read::{Decision, Publication};
pub use rules::{
    FirstDay, Kind, Options, PortalDeadlines, LIST_DEADLINE_DAYS, MINISTRY_BEFORE_EFFECTIVE_DAYS,
    MINISTRY_PUBLIC_AFTER_DAYS, PROCEDURE_DEADLINE_DAYS, PROVINCE_BEFORE_EFFECTIVE_DAYS,
    PROVINCE_PUBLIC_AFTER_DAYS,
};
pub use summary::{summarise, NotIssuedCount, OnTimeCount, PeriodSummary, PortalCount, Summary};

use crate::calendar::WorkingCalendar;
use crate::diagnostics::{Diagnostics, Location};
use crate::records::RecordFormat;
use error::{cell, Code};

/// Limits on input, checked before allocating (one place for all of them).
pub mod limits {
    /// Largest file, in bytes (a province issues a few hundred such decisions a year).
    pub const MAX_BYTES: usize = 32 << 20;
    /// Most data rows.
    pub const MAX_ROWS: usize = 200_000;
    /// Most columns in a header (or keys in a JSON line).
    pub const MAX_COLUMNS: usize = 64;
    /// Longest cell, in bytes.
    pub const MAX_CELL_BYTES: usize = 64 * 1024;
    /// Most TTHC codes in one row.
    pub const MAX_TTHC_PER_ROW: usize = 2_000;
    /// Longest deadline accepted in [`Options`](super::Options), in working days.
    pub const MAX_DEADLINE_DAYS: i64 = 250;
    /// Most problems listed (all are counted).
    pub const MAX_ERRORS: usize = 1000;
}

/// Reads a publications file and judges every provincial decision against its deadline.
///
/// `file` names the file in diagnostics. Every problem — unreadable rows, bad cells,
/// duplicates, dates outside the calendar, bad options — is returned at once.
///
/// ```
/// use chiso::records::publications::{check, Options, Timeliness};
/// use chiso::records::RecordFormat;
/// use chiso::calendar::WorkingCalendar;
/// // Ministry decision Thu 12/2/2026. Fri 13/2 is working day 1; Tết Bính Ngọ closes
/// // Mon 16 – Fri 20/2; Mon 23, Tue 24, Wed 25, Thu 26/2 are days 2–5 (deadline of the
/// // list: end of Thu 26/2); Fri 27/2 and Mon 2/3 are days 6 and 7.
/// let csv = "Số QĐ của Bộ,Ngày QĐ của Bộ,Số QĐ của tỉnh,Ngày QĐ của tỉnh,Loại quyết định\n\
///            120/QĐ-BX,12/02/2026,250/QĐ-UBND,02/03/2026,Danh mục TTHC\n";
/// let judged = check(csv, RecordFormat::Csv, "pubs.csv", &Options::default(), WorkingCalendar::vietnam()).unwrap();
/// assert_eq!(judged[0].timeliness, Timeliness::Late { working_days: 2 });
/// assert_eq!(
///     judged[0].explanation.vi,
///     "Quyết định công bố danh mục TTHC số 250/QĐ-UBND ngày 02/03/2026 ban hành sau 7 ngày làm việc \
///      kể từ Quyết định số 120/QĐ-BX ngày 12/02/2026 của Bộ (hạn 5 ngày làm việc, đến hết ngày \
///      26/02/2026): trễ 2 ngày làm việc"
/// );
/// ```
pub fn check(
    text: &str,
    format: RecordFormat,
    file: &str,
    options: &Options,
    calendar: &WorkingCalendar,
) -> Result<Vec<Judged>, Diagnostics> {
    let mut problems = error::problems();
    judge::check_options(options, calendar, &mut problems);
    if text.len() > limits::MAX_BYTES {
        problems.push(too_large(Some(text.len() as u64)));
        return Err(problems.finish(file));
    }
    let rows = read::read_rows(text, format, &mut problems);
    if !problems.is_empty() && rows.is_empty() {
        return Err(problems.finish(file));
    }
    // Judge the good rows too, so that calendar problems are reported with the others
    // (an "as of" date outside the calendar is reported once, above, and not used).
    let judged = if options_invalid(options) {
        Vec::new()
    } else {
        let mut o = *options;
        o.as_of = o.as_of.filter(|d| calendar.is_working_day(*d).is_ok());
        judge::judge_rows(rows, &o, calendar, &mut problems)
    };
    if problems.is_empty() {
        Ok(judged)
    } else {
        Err(problems.finish(file))
    }
}

/// [`check`] on a file: the format from the extension (`.jsonl`, `.ndjson`, `.json`:
/// JSON lines; anything else: CSV), the size checked before reading.
pub fn check_file(
    path: &std::path::Path,
    options: &Options,
    calendar: &WorkingCalendar,
) -> Result<Vec<Judged>, Diagnostics> {
    let file = path.display().to_string();
    let io = |e: std::io::Error| {
        Diagnostics(vec![crate::Diagnostic::error_at(
            Location::File,
            None,
            crate::Problem::Io {
                detail: e.to_string(),
            },
        )])
        .in_file(&file)
    };
    let len = std::fs::metadata(path).map_err(io)?.len();
    if len > limits::MAX_BYTES as u64 {
        let mut p = error::problems();
        p.push(too_large(Some(len)));
        return Err(p.finish(&file));
    }
    // Bounded even when the size is unknown (a pipe, /dev/zero): at most one byte past
    // the limit is read.
    let mut bytes = Vec::new();
    {
        use std::io::Read;
        std::fs::File::open(path)
            .map_err(io)?
            .take(limits::MAX_BYTES as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(io)?;
    }
    if bytes.len() > limits::MAX_BYTES {
        let mut p = error::problems();
        p.push(too_large(None));
        return Err(p.finish(&file));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            e.utf8_error(),
        ))
    })?;
    check(
        &text,
        RecordFormat::from_path(path),
        &file,
        options,
        calendar,
    )
}

fn too_large(bytes: Option<u64>) -> crate::Diagnostic {
    let max = limits::MAX_BYTES;
    let (en, vi) = match bytes {
        Some(b) => (
            format!("the file has {b} bytes, more than the {max} allowed"),
            format!("tệp dài {b} byte, vượt giới hạn {max} byte"),
        ),
        None => (
            format!("the input is longer than the {max} bytes allowed"),
            format!("dữ liệu đọc vào dài hơn giới hạn {max} byte"),
        ),
    };
    cell(Location::File, "", Code::TooLarge, &en, &vi)
}

/// Whether a deadline in `options` is out of range (judging would be meaningless).
fn options_invalid(o: &Options) -> bool {
    [
        o.list_days,
        o.procedure_days,
        o.portal.before_effective,
        o.portal.public_after,
    ]
    .iter()
    .any(|n| !(1..=limits::MAX_DEADLINE_DAYS).contains(n))
}
