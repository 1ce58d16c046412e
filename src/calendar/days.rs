//! The working calendar and its day-level questions: what kind of day a date is, the
//! next working day, adding and counting working days.

use super::error::CalendarError;
use super::hours::WorkingHours;
use super::table::{DayKind, Table};
use crate::diagnostics::Diagnostics;
use crate::text::Text;
use chrono::NaiveDate;
use std::sync::{Arc, OnceLock};

/// The official table shipped in `data/calendar/`.
const EMBEDDED_TABLE: &str =
    include_str!("../../data/calendar/vn_civil_service_calendar_2018_2026.csv");

/// Name of the embedded table, as it appears in diagnostics.
pub const EMBEDDED_TABLE_FILE: &str = "data/calendar/vn_civil_service_calendar_2018_2026.csv";

/// A holiday table and working hours: which days and hours civil servants work.
///
/// A year is *covered* when it lies between the first and the last year that have rows
/// in the table (both included); [`WorkingCalendar::from_csv`] refuses a table with a
/// year without rows inside that range. Any date outside the covered years is an error
/// ([`CalendarError::YearNotCovered`]) naming the year — chiso never falls back to
/// "Monday to Friday", because Tết, the Quốc khánh adjacent day and the swaps are fixed
/// anew every year.
///
/// Every question is answered from running counts of working days, so the time does
/// not depend on the distances asked for: a huge `n` fails at once with
/// `YearNotCovered` (the year the walk would enter), never loops and never overflows.
#[derive(Debug, Clone)]
pub struct WorkingCalendar {
    pub(crate) table: Arc<Table>,
    pub(crate) hours: WorkingHours,
}

impl WorkingCalendar {
    /// Vietnam's civil-service calendar 2018–2026 (the table of `data/calendar/`,
    /// embedded), with the standard working hours; parsed once.
    ///
    /// ```
    /// use chiso::calendar::{DayKind, NaiveDate, WorkingCalendar};
    /// let cal = WorkingCalendar::vietnam();
    /// assert_eq!(cal.years(), 2018..=2026);
    /// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// assert_eq!(cal.day_kind(d(2026, 2, 17)).unwrap(), DayKind::Holiday); // mùng 1 Tết Bính Ngọ
    /// assert_eq!(cal.day_kind(d(2026, 1, 10)).unwrap(), DayKind::MakeupWorkingDay);
    /// assert_eq!(cal.day_name(d(2026, 2, 17)).unwrap().vi, "Tết Âm lịch (mùng 1 tháng Giêng năm Bính Ngọ)");
    /// ```
    pub fn vietnam() -> &'static WorkingCalendar {
        static CALENDAR: OnceLock<WorkingCalendar> = OnceLock::new();
        CALENDAR.get_or_init(|| WorkingCalendar {
            // A test checks that the embedded table reads without a problem; were it
            // ever broken, the calendar would cover no year and say so on every call.
            table: Arc::new(
                Table::from_csv(EMBEDDED_TABLE, EMBEDDED_TABLE_FILE)
                    .unwrap_or_else(|_| Table::empty()),
            ),
            hours: WorkingHours::standard(),
        })
    }

    /// A calendar from a table with the columns of the shipped file (`date`, `kind`,
    /// `name_vi`, `name_en`, `source`, `status`; see `data/calendar/README.md`), with the
    /// standard working hours.
    ///
    /// Every problem is reported at once (up to [`MAX_CALENDAR_ERRORS`](super::MAX_CALENDAR_ERRORS)),
    /// located by `file`, row (line number, header = row 1) and column: a missing column,
    /// a date that is not `YYYY-MM-DD`, an unknown kind or status, an empty name or
    /// source, a day off on a weekend or a make-up day on a weekday (every row must flip
    /// its date's default status), a date listed twice (never last-wins), a year without
    /// rows between the first and the last year. The covered years are the first to the
    /// last year present in the table.
    ///
    /// ```
    /// use chiso::calendar::WorkingCalendar;
    /// let csv = "date,kind,name_vi,name_en,source,status\n\
    ///            2030-01-01,holiday,Tết Dương lịch,New Year's Day,BLLĐ 2019 Điều 112,derived\n";
    /// let cal = WorkingCalendar::from_csv(csv, "my.csv").unwrap();
    /// assert_eq!(cal.years(), 2030..=2030);
    /// let bad = "date,kind,name_vi,name_en,source,status\n2030-13-01,fête,x,x,x,derived\n";
    /// let errs = WorkingCalendar::from_csv(bad, "bad.csv").unwrap_err();
    /// assert_eq!(errs.len(), 2); // the date and the kind, both reported
    /// ```
    pub fn from_csv(text: &str, file: &str) -> Result<WorkingCalendar, Diagnostics> {
        Ok(WorkingCalendar {
            table: Arc::new(Table::from_csv(text, file)?),
            hours: WorkingHours::standard(),
        })
    }

    /// The same days with other working hours.
    pub fn with_hours(self, hours: WorkingHours) -> WorkingCalendar {
        WorkingCalendar { hours, ..self }
    }

    /// The working hours.
    pub fn hours(&self) -> &WorkingHours {
        &self.hours
    }

    /// The covered years (first to last year of the table). Empty (`1..=0`) only if the
    /// calendar has no table.
    pub fn years(&self) -> std::ops::RangeInclusive<i32> {
        self.table.first..=self.table.last
    }

    /// What kind of day `d` is.
    pub fn day_kind(&self, d: NaiveDate) -> Result<DayKind, CalendarError> {
        Ok(self.table.kind(self.table.index(d)?))
    }

    /// The holiday's name (vi/en) from the table, for listed dates; `None` for ordinary
    /// days and for dates outside the table.
    pub fn day_name(&self, d: NaiveDate) -> Option<Text> {
        self.table.name(d).cloned()
    }

    /// Whether civil servants work on `d`.
    pub fn is_working_day(&self, d: NaiveDate) -> Result<bool, CalendarError> {
        Ok(self.day_kind(d)?.is_working())
    }

    /// `d` itself when it is a working day, else the first working day after it.
    ///
    /// ```
    /// use chiso::calendar::{NaiveDate, WorkingCalendar};
    /// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// // Thu 30/4 and Fri 1/5/2026 are holidays; the weekend follows.
    /// assert_eq!(WorkingCalendar::vietnam().next_working_day(d(2026, 4, 30)).unwrap(), d(2026, 5, 4));
    /// ```
    pub fn next_working_day(&self, d: NaiveDate) -> Result<NaiveDate, CalendarError> {
        let t = &self.table;
        let i = t.index(d)?;
        if t.kind(i).is_working() {
            return Ok(d);
        }
        t.date(t.nth_working(t.working_before(i + 1) + 1)?)
    }

    /// The `n`-th working day after `d` (`n > 0`) or before it (`n < 0`); `d` itself is
    /// not counted, whether or not it is a working day (Bộ luật Dân sự 2015, Điều
    /// 147–148: a period in days starts the day after the event); `n = 0` gives `d`.
    ///
    /// ```
    /// use chiso::calendar::{NaiveDate, WorkingCalendar};
    /// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// let cal = WorkingCalendar::vietnam();
    /// // Fri 13/2/2026 + 1 working day: Tết runs Mon 16/2 – Fri 20/2 → Mon 23/2.
    /// assert_eq!(cal.add_working_days(d(2026, 2, 13), 1).unwrap(), d(2026, 2, 23));
    /// assert_eq!(cal.add_working_days(d(2026, 2, 23), -1).unwrap(), d(2026, 2, 13));
    /// assert!(cal.add_working_days(d(2026, 12, 30), 5).is_err()); // would enter 2027
    /// ```
    pub fn add_working_days(&self, d: NaiveDate, n: i64) -> Result<NaiveDate, CalendarError> {
        let t = &self.table;
        let i = t.index(d)?;
        let n = i128::from(n);
        let c = match n {
            0 => return Ok(d),
            n if n > 0 => t.working_before(i + 1) + n,
            // The first working day before d has the running count of the days before d.
            n => t.working_before(i) + n + 1,
        };
        t.date(t.nth_working(c)?)
    }

    /// Working days in `(from, to]` (the first day not counted, the last counted);
    /// negative — minus the count in `(to, from]` — when `to < from`.
    ///
    /// ```
    /// use chiso::calendar::{NaiveDate, WorkingCalendar};
    /// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// let cal = WorkingCalendar::vietnam();
    /// assert_eq!(cal.working_days_between(d(2026, 2, 13), d(2026, 2, 23)).unwrap(), 1);
    /// assert_eq!(cal.working_days_between(d(2026, 2, 23), d(2026, 2, 13)).unwrap(), -1);
    /// ```
    pub fn working_days_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<i64, CalendarError> {
        let t = &self.table;
        let (a, b) = (t.index(from)?, t.index(to)?);
        let n = t.working_before(b + 1) - t.working_before(a + 1);
        // Bounded by the table's days.
        i64::try_from(n).map_err(|_| t.past_end())
    }
}
