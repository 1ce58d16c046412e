//! The holiday table (lịch nghỉ lễ): reading the CSV of `data/calendar/` and the
//! per-day index built from it (kind of every day, running counts of working days and
//! of calendar days that are not days off), so that every question is answered in
//! constant or logarithmic time.

use super::error::CalendarError;
use super::{MAX_CALENDAR_BYTES, MAX_CALENDAR_ERRORS, MAX_CALENDAR_ROWS, MAX_CALENDAR_YEARS};
use crate::diagnostics::{Diagnostic, Diagnostics, Location, Problem};
use crate::text::Text;
use chrono::{Datelike, NaiveDate, Weekday};
use std::collections::{BTreeMap, HashMap};

/// What kind of day a date is for civil servants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayKind {
    /// Monday–Friday, not in the table: a working day.
    Working,
    /// Saturday or Sunday, not in the table: weekly rest (QĐ 188/1999/QĐ-TTg).
    Weekend,
    /// A statutory holiday on a weekday (`holiday`; nghỉ lễ, Tết).
    Holiday,
    /// A weekday off because a holiday fell on a weekend (`compensatory_day_off`; nghỉ bù).
    CompensatoryDayOff,
    /// A weekday off under a swap decided by the Prime Minister (`swapped_day_off`;
    /// nghỉ hoán đổi).
    SwappedDayOff,
    /// A Saturday worked in exchange for a swapped day off (`makeup_working_day`; làm bù).
    MakeupWorkingDay,
}

impl DayKind {
    /// Whether civil servants work that day.
    pub fn is_working(self) -> bool {
        matches!(self, DayKind::Working | DayKind::MakeupWorkingDay)
    }

    /// Whether the day is a listed day off (holiday, compensatory or swapped day off):
    /// the days a calendar-day duration skips when it skips holidays.
    pub fn is_listed_day_off(self) -> bool {
        matches!(
            self,
            DayKind::Holiday | DayKind::CompensatoryDayOff | DayKind::SwappedDayOff
        )
    }

    /// The `kind` column value of a listed day (`None` for ordinary days).
    pub fn column_value(self) -> Option<&'static str> {
        match self {
            DayKind::Holiday => Some("holiday"),
            DayKind::CompensatoryDayOff => Some("compensatory_day_off"),
            DayKind::SwappedDayOff => Some("swapped_day_off"),
            DayKind::MakeupWorkingDay => Some("makeup_working_day"),
            DayKind::Working | DayKind::Weekend => None,
        }
    }

    fn from_column(s: &str) -> Option<DayKind> {
        [
            DayKind::Holiday,
            DayKind::CompensatoryDayOff,
            DayKind::SwappedDayOff,
            DayKind::MakeupWorkingDay,
        ]
        .into_iter()
        .find(|k| k.column_value() == Some(s))
    }
}

/// Columns of the table, in the order of the shipped file.
pub const COLUMNS: [&str; 6] = ["date", "kind", "name_vi", "name_en", "source", "status"];

/// Values of the `status` column.
const STATUSES: [&str; 2] = ["announced", "derived"];

/// The per-day index of a holiday table. Day `i` is `i` days after 1 January of the
/// first year; the table covers every day of `first..=last`.
#[derive(Clone)]
pub(crate) struct Table {
    pub(crate) first: i32,
    pub(crate) last: i32,
    /// Day number (from the common era) of 1 January of `first`.
    start_ce: i32,
    kinds: Vec<DayKind>,
    /// `working[i]` = working days among days `0..i` (length days + 1).
    working: Vec<u32>,
    /// `counted[i]` = days among `0..i` that are not listed days off.
    counted: Vec<u32>,
    names: HashMap<NaiveDate, Text>,
}

impl std::fmt::Debug for Table {
    /// Short: the years and the number of listed days, not every day.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Table")
            .field("years", &(self.first..=self.last))
            .field("listed_days", &self.names.len())
            .finish_non_exhaustive()
    }
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

impl Table {
    /// A table that covers no year (every date is out of range).
    pub(crate) fn empty() -> Table {
        Table {
            first: 1,
            last: 0,
            start_ce: 0,
            kinds: Vec::new(),
            working: vec![0],
            counted: vec![0],
            names: HashMap::new(),
        }
    }

    fn build(first: i32, last: i32, rows: BTreeMap<NaiveDate, (DayKind, Text)>) -> Table {
        let (Some(start), Some(end)) = (
            NaiveDate::from_ymd_opt(first, 1, 1),
            NaiveDate::from_ymd_opt(last, 12, 31),
        ) else {
            return Table::empty();
        };
        let mut kinds = Vec::new();
        let mut working = vec![0u32];
        let mut counted = vec![0u32];
        let mut names = HashMap::new();
        for d in start.iter_days().take_while(|d| *d <= end) {
            let kind = match rows.get(&d) {
                Some((k, name)) => {
                    names.insert(d, name.clone());
                    *k
                }
                None if is_weekend(d) => DayKind::Weekend,
                None => DayKind::Working,
            };
            kinds.push(kind);
            let (w, c) = (working[working.len() - 1], counted[counted.len() - 1]);
            working.push(w + u32::from(kind.is_working()));
            counted.push(c + u32::from(!kind.is_listed_day_off()));
        }
        Table {
            first,
            last,
            start_ce: start.num_days_from_ce(),
            kinds,
            working,
            counted,
            names,
        }
    }

    /// The error for a year outside the table.
    pub(crate) fn not_covered(&self, year: i32) -> CalendarError {
        CalendarError::YearNotCovered {
            year,
            first: self.first,
            last: self.last,
        }
    }

    /// Leaving the table going forward.
    pub(crate) fn past_end(&self) -> CalendarError {
        self.not_covered(self.last.saturating_add(1))
    }

    /// Leaving the table going back.
    pub(crate) fn before_start(&self) -> CalendarError {
        self.not_covered(self.first.saturating_sub(1))
    }

    /// Day number of `d` in the table.
    pub(crate) fn index(&self, d: NaiveDate) -> Result<usize, CalendarError> {
        usize::try_from(i64::from(d.num_days_from_ce()) - i64::from(self.start_ce))
            .ok()
            .filter(|&i| i < self.kinds.len())
            .ok_or_else(|| self.not_covered(d.year()))
    }

    /// The date of day number `i`.
    pub(crate) fn date(&self, i: usize) -> Result<NaiveDate, CalendarError> {
        i32::try_from(i)
            .ok()
            .filter(|&i| (i as usize) < self.kinds.len())
            .and_then(|i| NaiveDate::from_num_days_from_ce_opt(self.start_ce + i))
            .ok_or_else(|| self.past_end())
    }

    pub(crate) fn kind(&self, i: usize) -> DayKind {
        self.kinds.get(i).copied().unwrap_or(DayKind::Weekend)
    }

    pub(crate) fn name(&self, d: NaiveDate) -> Option<&Text> {
        self.names.get(&d)
    }

    /// Working days among days `0..i`.
    pub(crate) fn working_before(&self, i: usize) -> i128 {
        i128::from(self.working.get(i).copied().unwrap_or(0))
    }

    /// Calendar days that are not listed days off, among days `0..i`.
    pub(crate) fn counted_before(&self, i: usize) -> i128 {
        i128::from(self.counted.get(i).copied().unwrap_or(0))
    }

    /// The day `j` whose running count (through `j`) first reaches `c`: with `c ≥ 1` it
    /// is the `c`-th day of its kind in the table.
    fn nth(&self, prefix: &[u32], c: i128) -> Result<usize, CalendarError> {
        let total = i128::from(prefix.last().copied().unwrap_or(0));
        if c < 1 {
            return Err(self.before_start());
        }
        if c > total {
            return Err(self.past_end());
        }
        Ok(prefix[1..].partition_point(|&w| i128::from(w) < c))
    }

    /// The `c`-th working day of the table (1-based).
    pub(crate) fn nth_working(&self, c: i128) -> Result<usize, CalendarError> {
        self.nth(&self.working, c)
    }

    /// The `c`-th day of the table that is not a listed day off (1-based).
    pub(crate) fn nth_counted(&self, c: i128) -> Result<usize, CalendarError> {
        self.nth(&self.counted, c)
    }

    /// Reads a table in the format of `data/calendar/` (see its README): every problem
    /// at once, located by file, row (line number, header = row 1) and column.
    pub(crate) fn from_csv(text: &str, file: &str) -> Result<Table, Diagnostics> {
        let mut out = Problems::default();
        if text.len() > MAX_CALENDAR_BYTES {
            out.push(bad(
                Location::File,
                &format!("{} bytes", text.len()),
                "calendar_table_too_large",
                &format!("the file is larger than {MAX_CALENDAR_BYTES} bytes"),
                &format!("tệp lớn hơn {MAX_CALENDAR_BYTES} byte"),
            ));
            return Err(out.finish(file));
        }
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes());
        let header: Vec<String> = match reader.headers() {
            Ok(h) => h.iter().map(|s| s.trim().to_owned()).collect(),
            Err(e) => {
                out.push(csv_error(Location::row(1), &e));
                return Err(out.finish(file));
            }
        };
        let mut col = HashMap::new();
        for (i, h) in header.iter().enumerate() {
            if col.insert(h.as_str(), i).is_some() {
                out.push(Diagnostic::error_at(
                    Location::row(1).column(h.as_str()),
                    None,
                    Problem::DuplicateKey { key: h.clone() },
                ));
            }
        }
        let missing: Vec<String> = COLUMNS
            .iter()
            .filter(|c| !col.contains_key(*c))
            .map(|c| (*c).to_owned())
            .collect();
        if !missing.is_empty() {
            out.push(Diagnostic::error_at(
                Location::row(1),
                None,
                Problem::MissingColumns { missing },
            ));
        }
        if !out.list.is_empty() {
            return Err(out.finish(file));
        }
        let at = |name: &str| col.get(name).copied().unwrap_or(0);
        let [c_date, c_kind, c_vi, c_en, c_source, c_status] = COLUMNS.map(at);

        let mut rows: BTreeMap<NaiveDate, (DayKind, Text)> = BTreeMap::new();
        let mut first_row: HashMap<NaiveDate, u64> = HashMap::new();
        let mut record = csv::StringRecord::new();
        let mut count = 0usize;
        loop {
            let row = match reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => record.position().map_or(0, csv::Position::line),
                Err(e) => {
                    let line = e.position().map_or(0, csv::Position::line);
                    out.push(csv_error(Location::row(line), &e));
                    break;
                }
            };
            count += 1;
            if count > MAX_CALENDAR_ROWS {
                out.push(bad(
                    Location::row(row),
                    "",
                    "calendar_table_too_large",
                    &format!("the table has more than {MAX_CALENDAR_ROWS} rows"),
                    &format!("bảng có hơn {MAX_CALENDAR_ROWS} dòng"),
                ));
                break;
            }
            if record.len() != header.len() {
                out.push(bad(
                    Location::row(row),
                    &record.iter().collect::<Vec<_>>().join(","),
                    "calendar_table_field_count",
                    &format!(
                        "the row has {} fields, the header {}",
                        record.len(),
                        header.len()
                    ),
                    &format!(
                        "dòng có {} cột, dòng tiêu đề có {}",
                        record.len(),
                        header.len()
                    ),
                ));
                continue;
            }
            let cell = |c: usize| record.get(c).unwrap_or("").trim();
            let path = |name: &str| Location::row(row).column(name);
            let date = match parse_iso_date(cell(c_date)) {
                Ok(d) => Some(d),
                Err(shape_ok) => {
                    let (en, vi) = if shape_ok {
                        ("no such date", "ngày không tồn tại")
                    } else {
                        (
                            "a date written YYYY-MM-DD is expected",
                            "cần một ngày viết dạng YYYY-MM-DD",
                        )
                    };
                    out.push(bad(
                        path("date"),
                        cell(c_date),
                        "calendar_table_bad_date",
                        en,
                        vi,
                    ));
                    None
                }
            };
            let kind = match DayKind::from_column(cell(c_kind)) {
                Some(k) => Some(k),
                None => {
                    out.push(bad(
                        path("kind"),
                        cell(c_kind),
                        "calendar_table_unknown_kind",
                        "the kind must be one of holiday, compensatory_day_off, swapped_day_off, makeup_working_day",
                        "loại ngày phải là một trong: holiday, compensatory_day_off, swapped_day_off, makeup_working_day",
                    ));
                    None
                }
            };
            if cell(c_vi).is_empty() {
                out.push(Diagnostic::error_at(
                    path("name_vi"),
                    None,
                    Problem::Empty {
                        what: "the Vietnamese name (name_vi) / tên tiếng Việt (name_vi)".into(),
                    },
                ));
            }
            if cell(c_source).is_empty() {
                out.push(Diagnostic::error_at(
                    path("source"),
                    None,
                    Problem::Empty {
                        what: "the source (source) / nguồn (source)".into(),
                    },
                ));
            }
            if !STATUSES.contains(&cell(c_status)) {
                out.push(bad(
                    path("status"),
                    cell(c_status),
                    "calendar_table_unknown_status",
                    "the status must be announced or derived",
                    "trạng thái phải là announced hoặc derived",
                ));
            }
            let (Some(date), Some(kind)) = (date, kind) else {
                continue;
            };
            // Every row flips the default status of its date (README of data/calendar).
            if kind.is_listed_day_off() && is_weekend(date) {
                out.push(bad(
                    path("kind"),
                    &format!("{date} {}", cell(c_kind)),
                    "calendar_table_day_off_on_weekend",
                    "a listed day off must be a weekday (a holiday on a Saturday or Sunday is not listed; its compensatory weekday is)",
                    "ngày nghỉ trong bảng phải là ngày từ thứ Hai đến thứ Sáu (ngày lễ trùng thứ Bảy, Chủ nhật không ghi; ghi ngày nghỉ bù)",
                ));
                continue;
            }
            if kind == DayKind::MakeupWorkingDay && !is_weekend(date) {
                out.push(bad(
                    path("kind"),
                    &format!("{date} {}", cell(c_kind)),
                    "calendar_table_makeup_on_weekday",
                    "a make-up working day must be a Saturday or Sunday",
                    "ngày làm bù phải là thứ Bảy hoặc Chủ nhật",
                ));
                continue;
            }
            if let Some(first) = first_row.get(&date) {
                out.push(Diagnostic::error_at(
                    Location::row(*first).and_row(row).column("date"),
                    None,
                    Problem::DuplicateKey {
                        key: date.to_string(),
                    },
                ));
                continue;
            }
            first_row.insert(date, row);
            rows.insert(date, (kind, Text::new(cell(c_vi), cell(c_en))));
        }
        if !out.list.is_empty() {
            return Err(out.finish(file));
        }
        let (Some(first), Some(last)) = (
            rows.keys().next().map(Datelike::year),
            rows.keys().next_back().map(Datelike::year),
        ) else {
            out.push(Diagnostic::error_at(
                Location::File,
                None,
                Problem::Empty {
                    what: "the table (no data row) / bảng (không có dòng dữ liệu)".into(),
                },
            ));
            return Err(out.finish(file));
        };
        if i64::from(last) - i64::from(first) >= MAX_CALENDAR_YEARS as i64 {
            out.push(bad(
                Location::row(0).column("date"),
                &format!("{first}–{last}"),
                "calendar_table_too_large",
                &format!("the table spans more than {MAX_CALENDAR_YEARS} years"),
                &format!("bảng trải dài hơn {MAX_CALENDAR_YEARS} năm"),
            ));
            return Err(out.finish(file));
        }
        for year in first..=last {
            if rows
                .range(
                    NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN)
                        ..=NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX),
                )
                .next()
                .is_none()
            {
                out.push(bad(
                    Location::row(0).column("date"),
                    &year.to_string(),
                    "calendar_table_year_missing",
                    &format!("no row is in {year}; the covered years are the first to the last year of the table, and each needs its rows"),
                    &format!("không có dòng nào thuộc năm {year}; các năm được tính là từ năm đầu đến năm cuối của bảng, năm nào cũng phải có dòng"),
                ));
            }
        }
        if !out.list.is_empty() {
            return Err(out.finish(file));
        }
        Ok(Table::build(first, last, rows))
    }
}

/// `YYYY-MM-DD`, strictly; `Err(true)` when the shape is right but the date does not
/// exist, `Err(false)` when the shape is wrong.
fn parse_iso_date(s: &str) -> Result<NaiveDate, bool> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(false);
    }
    let num = |r: std::ops::Range<usize>| -> Result<u32, bool> {
        let part = &b[r];
        if !part.iter().all(u8::is_ascii_digit) {
            return Err(false);
        }
        Ok(part.iter().fold(0, |a, &d| a * 10 + u32::from(d - b'0')))
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    i32::try_from(y)
        .ok()
        .and_then(|y| NaiveDate::from_ymd_opt(y, m, d))
        .ok_or(true)
}

/// An unreadable or wrong cell: a [`Problem::Coded`] with its stable code
/// (`calendar_table_*`) and both messages.
fn bad(at: Location, text: &str, code: &str, en: &str, vi: &str) -> Diagnostic {
    Diagnostic::error_at(
        at,
        None,
        Problem::Coded {
            code: code.to_owned(),
            text: crate::calendar::time::quote(text),
            vi: vi.to_owned(),
            en: en.to_owned(),
        },
    )
}

fn csv_error(at: Location, e: &csv::Error) -> Diagnostic {
    bad(
        at,
        "",
        "calendar_table_unreadable",
        &format!("the CSV cannot be read ({e})"),
        "không đọc được tệp CSV (kiểm tra dấu ngoặc kép và bảng mã UTF-8)",
    )
}

/// Diagnostics collected up to [`MAX_CALENDAR_ERRORS`], then counted.
#[derive(Default)]
struct Problems {
    list: Vec<Diagnostic>,
    dropped: usize,
}

impl Problems {
    fn push(&mut self, d: Diagnostic) {
        if self.list.len() < MAX_CALENDAR_ERRORS {
            self.list.push(d);
        } else {
            self.dropped += 1;
        }
    }

    fn finish(mut self, file: &str) -> Diagnostics {
        if self.dropped > 0 {
            let total = self.list.len() + self.dropped;
            let n = self.dropped;
            self.list.push(bad(
                Location::File,
                "…",
                "calendar_table_too_large",
                &format!("… and {n} more problems ({total} in all)"),
                &format!("… và {n} lỗi khác (tổng cộng {total})"),
            ));
        }
        Diagnostics(self.list).in_file(file)
    }
}
