//! Working calendar (lịch làm việc): weekends, public holidays, compensatory and swapped
//! days off, make-up working Saturdays, working-hour windows, and due-date arithmetic in
//! working days and working hours.
//!
//! **Time zone.** Every time is local time of Asia/Ho_Chi_Minh, which is UTC+7 all year
//! with no daylight saving since 1975; chiso therefore needs no time-zone database: a
//! time with an explicit offset is converted to +07:00 ([`parse_local_time`]) and all
//! arithmetic is on naive local times ([`NaiveDateTime`]).
//!
//! **Days.** The official table 2018–2026 (`data/calendar/`, see its README: days off on
//! weekdays and make-up Saturdays for cán bộ, công chức, viên chức) is embedded
//! ([`WorkingCalendar::vietnam`]); other tables read with [`WorkingCalendar::from_csv`].
//! A date is a working day if it is Monday–Friday and not a listed day off, or a listed
//! make-up working day. Years outside the table are an error naming the year
//! ([`CalendarError::YearNotCovered`]), never a weekday-only guess.
//!
//! **Hours.** Working-hour windows ([`WorkingHours`], standard 07:00–11:30 and
//! 13:30–17:00); receipts outside them roll forward; durations follow the DVC systems'
//! rules (a whole day is 8 h), reference `service-index-766.md` §11.4.
//!
//! ```
//! use chiso::calendar::{parse_local_time, Duration, WorkingCalendar};
//! let cal = WorkingCalendar::vietnam();
//! // Received Friday 13/2/2026 at 17:45, the eve of Tết Bính Ngọ (off 16–20/2).
//! let received = parse_local_time("20260213174500").unwrap().at;
//! let due = cal.due(received, Duration::WorkingDays(2)).unwrap();
//! // Rolled to Mon 23/2 07:00; two working days later: Wed 25/2 07:00.
//! assert_eq!(due, parse_local_time("2026-02-25 07:00").unwrap().at);
//! ```

mod clock;
mod days;
mod error;
mod hours;
mod table;
mod time;

pub use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
pub use clock::{Duration, HOURS_PER_DURATION_DAY};
pub use days::{WorkingCalendar, EMBEDDED_TABLE_FILE};
pub use error::{CalendarError, HoursProblem};
pub use hours::WorkingHours;
pub use table::{DayKind, COLUMNS};
pub use time::{
    parse_local_time, LocalTime, TimeParseError, TimeParseProblem, MAX_QUOTED_CHARS,
    VIETNAM_UTC_OFFSET_SECONDS,
};

/// Largest holiday table read by [`WorkingCalendar::from_csv`], in bytes (the shipped
/// one is about 38 kB).
pub const MAX_CALENDAR_BYTES: usize = 4 << 20;
/// Most data rows in a holiday table (the shipped one has 108 for nine years).
pub const MAX_CALENDAR_ROWS: usize = 20_000;
/// Most years a holiday table may span (first to last year).
pub const MAX_CALENDAR_YEARS: usize = 200;
/// Most problems listed by [`WorkingCalendar::from_csv`]; the rest are counted.
pub const MAX_CALENDAR_ERRORS: usize = 1000;
/// Most working-hour windows in a day.
pub const MAX_WINDOWS: usize = 24;
