//! Errors of the working calendar: a year outside the table, invalid working hours, a
//! pause that ends before it starts. Stable codes, messages in Vietnamese and English,
//! and a conversion to [`Diagnostic`] (`type` `coded`, the code in `code`).

use crate::diagnostics::{Diagnostic, Location, Problem};
use crate::text::Lang;
use chrono::{NaiveDateTime, NaiveTime};
use std::fmt;

/// What went wrong in a calendar computation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CalendarError {
    /// The date's year is not in the calendar table: chiso never guesses weekday-only.
    /// Also returned when a computation would leave the table (the year it would enter:
    /// `last + 1` going forward, `first - 1` going back), and when a result would
    /// overflow the date range.
    YearNotCovered {
        /// The year asked for (or entered by the computation).
        year: i32,
        /// First year of the table.
        first: i32,
        /// Last year of the table.
        last: i32,
    },
    /// The working-hour windows are not valid.
    BadWorkingHours {
        /// What is wrong.
        problem: HoursProblem,
    },
    /// A supplement pause whose end comes before its start.
    PauseEndsBeforeStart {
        /// When the clock was paused (supplement requested).
        paused_from: NaiveDateTime,
        /// When it resumed (supplement received).
        resumed_at: NaiveDateTime,
    },
}

/// Why a set of working-hour windows is refused (window numbers are 0-based here and
/// 1-based in messages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HoursProblem {
    /// No window at all.
    NoWindows,
    /// More windows than [`MAX_WINDOWS`](super::MAX_WINDOWS).
    TooManyWindows {
        /// Windows given.
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// A window whose end is not after its start (a window never spans midnight).
    EndNotAfterStart {
        /// Window position (0-based).
        window: usize,
        /// Its start.
        start: NaiveTime,
        /// Its end.
        end: NaiveTime,
    },
    /// A bound with seconds (windows are in whole minutes).
    NotWholeMinute {
        /// Window position (0-based).
        window: usize,
        /// The bound.
        time: NaiveTime,
    },
    /// A window starting before the previous one ends (windows must be in order).
    Overlap {
        /// Window position (0-based).
        window: usize,
        /// End of the previous window.
        previous_end: NaiveTime,
        /// Start of this window.
        start: NaiveTime,
    },
}

fn hm(t: &NaiveTime) -> String {
    t.format("%H:%M").to_string()
}

fn years(first: i32, last: i32, lang: Lang) -> String {
    match lang {
        _ if first > last => match lang {
            Lang::Vi => "lịch chưa có năm nào".to_owned(),
            Lang::En => "the calendar covers no year".to_owned(),
        },
        Lang::Vi => format!("có {first}–{last}"),
        Lang::En => format!("it covers {first}–{last}"),
    }
}

impl HoursProblem {
    fn message(&self, lang: Lang) -> String {
        use HoursProblem::*;
        match (self, lang) {
            (NoWindows, Lang::Vi) => "chưa khai báo khung giờ làm việc nào".to_owned(),
            (NoWindows, Lang::En) => "no working-hour window is given".to_owned(),
            (TooManyWindows { count, limit }, Lang::Vi) => {
                format!("có {count} khung giờ làm việc, tối đa {limit}")
            }
            (TooManyWindows { count, limit }, Lang::En) => {
                format!("{count} working-hour windows given, at most {limit} allowed")
            }
            (EndNotAfterStart { window, start, end }, Lang::Vi) => format!(
                "khung giờ thứ {}: giờ kết thúc {} phải sau giờ bắt đầu {} (một khung không được qua nửa đêm)",
                window + 1,
                hm(end),
                hm(start)
            ),
            (EndNotAfterStart { window, start, end }, Lang::En) => format!(
                "window {}: the end {} must come after the start {} (a window cannot span midnight)",
                window + 1,
                hm(end),
                hm(start)
            ),
            (NotWholeMinute { window, time }, Lang::Vi) => format!(
                "khung giờ thứ {}: mốc {} phải là số phút tròn (không có giây)",
                window + 1,
                time.format("%H:%M:%S%.f")
            ),
            (NotWholeMinute { window, time }, Lang::En) => format!(
                "window {}: the bound {} must be a whole minute (no seconds)",
                window + 1,
                time.format("%H:%M:%S%.f")
            ),
            (Overlap { window, previous_end, start }, Lang::Vi) => format!(
                "khung giờ thứ {} bắt đầu lúc {}, trước khi khung trước kết thúc ({}); các khung phải theo thứ tự và không chồng nhau",
                window + 1,
                hm(start),
                hm(previous_end)
            ),
            (Overlap { window, previous_end, start }, Lang::En) => format!(
                "window {} starts at {}, before the previous window ends ({}); windows must be in order and must not overlap",
                window + 1,
                hm(start),
                hm(previous_end)
            ),
        }
    }
}

impl CalendarError {
    /// Stable code, meant for programs.
    pub fn code(&self) -> &'static str {
        match self {
            CalendarError::YearNotCovered { .. } => "calendar_year_not_covered",
            CalendarError::BadWorkingHours { .. } => "calendar_bad_working_hours",
            CalendarError::PauseEndsBeforeStart { .. } => "calendar_pause_ends_before_start",
        }
    }

    /// Message for people, in `lang`.
    ///
    /// ```
    /// use chiso::calendar::{NaiveDate, WorkingCalendar};
    /// let err = WorkingCalendar::vietnam()
    ///     .is_working_day(NaiveDate::from_ymd_opt(2031, 3, 3).unwrap())
    ///     .unwrap_err();
    /// assert_eq!(err.code(), "calendar_year_not_covered");
    /// assert!(err.message(chiso::Lang::Vi).starts_with("Năm 2031 không có trong lịch làm việc (có 2018–2026)"));
    /// ```
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (CalendarError::YearNotCovered { year, first, last }, Lang::Vi) => format!(
                "Năm {year} không có trong lịch làm việc ({}): chưa có lịch nghỉ lễ, Tết chính thức của năm này nên không thể tính ngày làm việc",
                years(*first, *last, lang)
            ),
            (CalendarError::YearNotCovered { year, first, last }, Lang::En) => format!(
                "The year {year} is not in the working calendar ({}): without that year's official holiday schedule, working days cannot be counted",
                years(*first, *last, lang)
            ),
            (CalendarError::BadWorkingHours { problem }, Lang::Vi) => {
                format!("Giờ làm việc không hợp lệ: {}", problem.message(lang))
            }
            (CalendarError::BadWorkingHours { problem }, Lang::En) => {
                format!("Invalid working hours: {}", problem.message(lang))
            }
            (CalendarError::PauseEndsBeforeStart { paused_from, resumed_at }, Lang::Vi) => format!(
                "Thời điểm tiếp tục xử lý ({}) trước thời điểm tạm dừng để bổ sung hồ sơ ({})",
                resumed_at.format("%d/%m/%Y %H:%M:%S"),
                paused_from.format("%d/%m/%Y %H:%M:%S")
            ),
            (CalendarError::PauseEndsBeforeStart { paused_from, resumed_at }, Lang::En) => format!(
                "The clock resumes ({}) before it was paused for a supplement ({})",
                resumed_at.format("%Y-%m-%d %H:%M:%S"),
                paused_from.format("%Y-%m-%d %H:%M:%S")
            ),
        }
    }

    /// The value the error is about, as text (the year, the windows, the pause).
    fn subject(&self) -> String {
        match self {
            CalendarError::YearNotCovered { year, .. } => year.to_string(),
            CalendarError::BadWorkingHours { problem } => match problem {
                HoursProblem::NoWindows | HoursProblem::TooManyWindows { .. } => String::new(),
                HoursProblem::EndNotAfterStart { start, end, .. } => {
                    format!("{}–{}", hm(start), hm(end))
                }
                HoursProblem::NotWholeMinute { time, .. } => time.format("%H:%M:%S%.f").to_string(),
                HoursProblem::Overlap { start, .. } => hm(start),
            },
            CalendarError::PauseEndsBeforeStart {
                paused_from,
                resumed_at,
            } => format!(
                "{} – {}",
                paused_from.format("%Y-%m-%d %H:%M:%S"),
                resumed_at.format("%Y-%m-%d %H:%M:%S")
            ),
        }
    }

    /// This error as a located [`Diagnostic`] (a [`Problem::Coded`] with its code and
    /// both messages) at `at`, e.g. `Location::row(12).column("NgayHenTra")`, or at a
    /// JSON path given as text (`$` is the whole file).
    pub fn to_diagnostic(&self, at: impl Into<Location>) -> Diagnostic {
        Diagnostic::error_at(
            at.into(),
            None,
            Problem::Coded {
                code: self.code().to_owned(),
                text: self.subject(),
                vi: self.message(Lang::Vi),
                en: self.message(Lang::En),
            },
        )
    }
}

impl fmt::Display for CalendarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for CalendarError {}

impl From<CalendarError> for Diagnostic {
    /// For the whole file; use [`CalendarError::to_diagnostic`] to name the location.
    fn from(e: CalendarError) -> Self {
        e.to_diagnostic("$")
    }
}
