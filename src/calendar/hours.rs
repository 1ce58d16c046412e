//! Working-hour windows of one day (giờ làm việc), the same on every working day.

use super::error::{CalendarError, HoursProblem};
use super::MAX_WINDOWS;
use chrono::{NaiveTime, Timelike};

/// Nanoseconds in a second.
pub(crate) const NANOS_PER_SECOND: i128 = 1_000_000_000;
/// Nanoseconds in a minute.
pub(crate) const NANOS_PER_MINUTE: i128 = 60 * NANOS_PER_SECOND;

/// Ordered, non-overlapping working-hour windows within one day, each `[start, end)` in
/// whole minutes; windows may touch but not overlap, and none spans midnight (so the
/// last one ends at 23:59 at the latest).
///
/// ```
/// use chiso::calendar::{NaiveTime, WorkingHours};
/// let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
/// let std = WorkingHours::standard();
/// assert_eq!(std.windows(), &[(t(7, 0), t(11, 30)), (t(13, 30), t(17, 0))]);
/// assert_eq!(std.minutes_per_day(), 480);
/// let short = WorkingHours::new(vec![(t(8, 0), t(12, 0))]).unwrap();
/// assert_eq!(short.minutes_per_day(), 240);
/// assert!(WorkingHours::new(vec![(t(13, 0), t(12, 0))]).is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkingHours {
    windows: Vec<(NaiveTime, NaiveTime)>,
}

/// A time of day in nanoseconds since midnight (a leap second counts as the last
/// nanosecond of its minute's 59th second).
pub(crate) fn nanos_of_day(t: NaiveTime) -> i128 {
    i128::from(t.num_seconds_from_midnight()) * NANOS_PER_SECOND
        + i128::from(t.nanosecond().min(999_999_999))
}

/// The time of day `n` nanoseconds after midnight (`0 ≤ n < 24 h`).
pub(crate) fn time_of_nanos(n: i128) -> Option<NaiveTime> {
    let secs = u32::try_from(n / NANOS_PER_SECOND).ok()?;
    let nanos = u32::try_from(n % NANOS_PER_SECOND).ok()?;
    NaiveTime::from_num_seconds_from_midnight_opt(secs, nanos)
}

impl WorkingHours {
    /// Windows checked: at least one, at most [`MAX_WINDOWS`], each ending after it
    /// starts, bounds on whole minutes, in order without overlap.
    pub fn new(windows: Vec<(NaiveTime, NaiveTime)>) -> Result<Self, CalendarError> {
        let bad = |problem| Err(CalendarError::BadWorkingHours { problem });
        if windows.is_empty() {
            return bad(HoursProblem::NoWindows);
        }
        if windows.len() > MAX_WINDOWS {
            return bad(HoursProblem::TooManyWindows {
                count: windows.len(),
                limit: MAX_WINDOWS,
            });
        }
        for (i, &(start, end)) in windows.iter().enumerate() {
            for time in [start, end] {
                if time.second() != 0 || time.nanosecond() != 0 {
                    return bad(HoursProblem::NotWholeMinute { window: i, time });
                }
            }
            if end <= start {
                return bad(HoursProblem::EndNotAfterStart {
                    window: i,
                    start,
                    end,
                });
            }
            if i > 0 && start < windows[i - 1].1 {
                return bad(HoursProblem::Overlap {
                    window: i,
                    previous_end: windows[i - 1].1,
                    start,
                });
            }
        }
        Ok(WorkingHours { windows })
    }

    /// 07:00–11:30 and 13:30–17:00 (8 h), the default of the DVC systems (TD settings
    /// `DEFAULT_GIOLAMVIECBUOISANG` 7, `DEFAULT_GIONGHIBUOISANG` 11.5,
    /// `DEFAULT_GIOLAMVIECBUOICHIEU` 13.5, `DEFAULT_GIONGHIBUOICHIEU` 17).
    pub fn standard() -> Self {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN);
        WorkingHours {
            windows: vec![(t(7, 0), t(11, 30)), (t(13, 30), t(17, 0))],
        }
    }

    /// Working minutes in one working day (480 for [`WorkingHours::standard`]).
    pub fn minutes_per_day(&self) -> u32 {
        self.windows
            .iter()
            .map(|(s, e)| (e.num_seconds_from_midnight() - s.num_seconds_from_midnight()) / 60)
            .sum()
    }

    /// The windows, in order.
    pub fn windows(&self) -> &[(NaiveTime, NaiveTime)] {
        &self.windows
    }

    /// Working nanoseconds in one day.
    pub(crate) fn day_nanos(&self) -> i128 {
        i128::from(self.minutes_per_day()) * NANOS_PER_MINUTE
    }

    /// Windows in nanoseconds since midnight.
    fn spans(&self) -> impl Iterator<Item = (i128, i128)> + '_ {
        self.windows
            .iter()
            .map(|&(s, e)| (nanos_of_day(s), nanos_of_day(e)))
    }

    /// Working nanoseconds of a working day elapsed at time of day `tod` (nanoseconds).
    pub(crate) fn elapsed(&self, tod: i128) -> i128 {
        self.spans().map(|(s, e)| (tod.clamp(s, e)) - s).sum()
    }

    /// The earliest time of day at which `r` working nanoseconds have elapsed
    /// (`0 < r ≤ day_nanos`); a point at a window's end is that end.
    pub(crate) fn at_elapsed(&self, r: i128) -> Option<NaiveTime> {
        let mut before = 0;
        for (s, e) in self.spans() {
            if r <= before + (e - s) {
                return time_of_nanos(s + (r - before));
            }
            before += e - s;
        }
        None
    }

    /// Rolled within a working day: the time itself when inside a window `[start, end)`,
    /// the next window's start when before it; `None` after the last window.
    pub(crate) fn roll_within_day(&self, t: NaiveTime) -> Option<NaiveTime> {
        self.windows
            .iter()
            .find(|&&(_, e)| t < e)
            .map(|&(s, _)| t.max(s))
    }

    /// Start of the first window.
    pub(crate) fn first_start(&self) -> NaiveTime {
        self.windows.first().map_or(NaiveTime::MIN, |w| w.0)
    }
}

impl Default for WorkingHours {
    /// [`WorkingHours::standard`].
    fn default() -> Self {
        Self::standard()
    }
}
