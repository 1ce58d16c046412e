//! Working-time arithmetic: rolling a receipt into working time, adding and counting
//! working minutes, due dates of procedures and supplement pauses.
//!
//! Every instant `t` has a *working clock* value `W(t)`: the working nanoseconds from
//! the start of the table to `t` (working days before `t`'s date × the day's working
//! time, plus the working time elapsed on `t`'s date if it is a working day). `W` never
//! decreases and is flat outside the windows; adding working time means finding the
//! earliest instant with a given clock value, counting means subtracting two values.
//! Both are constant or logarithmic in time whatever the amounts.

use super::days::WorkingCalendar;
use super::error::CalendarError;
use super::hours::{nanos_of_day, NANOS_PER_MINUTE};
use chrono::NaiveDateTime;

/// A duration of a procedure (thời hạn giải quyết).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Duration {
    /// Working days (ngày làm việc): each is 8 working hours.
    WorkingDays(u32),
    /// Working hours (giờ làm việc): whole days of 8 h, the rest in hours.
    WorkingHours(u32),
    /// Calendar days (ngày): listed days off are skipped only if `skip_holidays`; a due
    /// date on a day off moves to the next working day.
    CalendarDays {
        /// Number of days.
        days: u32,
        /// Whether listed days off (holidays, compensatory and swapped days off) are
        /// not counted (TD setting `TinhNgayHenTraLoaiThoiGianNgayBoQuaNgayLe`).
        skip_holidays: bool,
    },
}

/// Hours in a whole day of a duration (TD `CaculateTime`: `ThoiGianXuLy / 8`;
/// OpenCPS `DueDateUtils.DAY_TO_HOURS = 8`).
pub const HOURS_PER_DURATION_DAY: u32 = 8;

impl WorkingCalendar {
    /// The working clock `W(t)` in nanoseconds.
    fn clock(&self, t: NaiveDateTime) -> Result<i128, CalendarError> {
        let table = &self.table;
        let i = table.index(t.date())?;
        let today = if table.kind(i).is_working() {
            self.hours.elapsed(nanos_of_day(t.time()))
        } else {
            0
        };
        Ok(table.working_before(i) * self.hours.day_nanos() + today)
    }

    /// The earliest instant `s` with `W(s) = w`.
    fn instant(&self, w: i128) -> Result<NaiveDateTime, CalendarError> {
        let table = &self.table;
        let day = self.hours.day_nanos();
        // W = 0 also holds before the table (unknown days): refuse rather than guess.
        if w <= 0 || day <= 0 {
            return Err(table.before_start());
        }
        let q = (w - 1) / day; // whole working days before the one holding the instant
        let r = w - q * day; // 0 < r ≤ day
        let date = table.date(table.nth_working(q + 1)?)?;
        let time = self.hours.at_elapsed(r).ok_or_else(|| table.past_end())?;
        Ok(date.and_time(time))
    }

    /// The first window's start on the first working day after `t`'s date.
    fn next_morning(&self, t: NaiveDateTime) -> Result<NaiveDateTime, CalendarError> {
        let table = &self.table;
        let i = table.index(t.date())?;
        let j = table.nth_working(table.working_before(i + 1) + 1)?;
        Ok(table.date(j)?.and_time(self.hours.first_start()))
    }

    /// A receipt outside working time rolls forward: before the first window → its
    /// start; in a break → the next window's start; at or after the last window's end, or
    /// on a day off → the first window of the next working day. An instant inside a
    /// window (`start ≤ t < end`) is returned as is.
    ///
    /// ```
    /// use chiso::calendar::{NaiveDate, WorkingCalendar};
    /// let at = |d, h, m| NaiveDate::from_ymd_opt(2026, 2, d).unwrap().and_hms_opt(h, m, 0).unwrap();
    /// let cal = WorkingCalendar::vietnam();
    /// assert_eq!(cal.roll_to_working_time(at(23, 12, 0)).unwrap(), at(23, 13, 30)); // lunch
    /// // Fri 13/2/2026 after 17:00 → Tết (16–20/2) and the weekends → Mon 23/2 07:00.
    /// assert_eq!(cal.roll_to_working_time(at(13, 17, 30)).unwrap(), at(23, 7, 0));
    /// ```
    pub fn roll_to_working_time(&self, t: NaiveDateTime) -> Result<NaiveDateTime, CalendarError> {
        if self.is_working_day(t.date())? {
            if let Some(time) = self.hours.roll_within_day(t.time()) {
                return Ok(t.date().and_time(time));
            }
        }
        self.next_morning(t)
    }

    /// The earliest instant at which `minutes` working minutes have elapsed after `t`
    /// (`t` rolled first); a negative amount goes back. An instant at a window's end is
    /// reported as that end: 8 h from Monday 07:00 is Monday 17:00, not Tuesday 07:00,
    /// and 60 minutes back from Tuesday 08:00 is Monday 17:00. `minutes = 0` gives `t`
    /// rolled. Seconds of `t` are kept.
    ///
    /// ```
    /// use chiso::calendar::{NaiveDate, WorkingCalendar};
    /// let at = |d, h, m| NaiveDate::from_ymd_opt(2026, 2, d).unwrap().and_hms_opt(h, m, 0).unwrap();
    /// let cal = WorkingCalendar::vietnam();
    /// // Mon 9/2/2026 10:00 + 3 h: 1 h 30 to 11:30, lunch, 1 h 30 from 13:30 → 15:00.
    /// assert_eq!(cal.add_working_minutes(at(9, 10, 0), 180).unwrap(), at(9, 15, 0));
    /// assert_eq!(cal.add_working_minutes(at(9, 7, 0), 480).unwrap(), at(9, 17, 0));
    /// ```
    pub fn add_working_minutes(
        &self,
        t: NaiveDateTime,
        minutes: i64,
    ) -> Result<NaiveDateTime, CalendarError> {
        if minutes == 0 {
            return self.roll_to_working_time(t);
        }
        // W(t) equals W(t rolled): rolling only crosses non-working time.
        self.instant(self.clock(t)? + i128::from(minutes) * NANOS_PER_MINUTE)
    }

    /// Working minutes from `a` to `b` (negative when `b < a`), counting only time inside
    /// the windows of working days; seconds are counted and the result truncated toward
    /// zero to whole minutes.
    ///
    /// ```
    /// use chiso::calendar::{NaiveDate, WorkingCalendar};
    /// let at = |d, h, m| NaiveDate::from_ymd_opt(2026, 2, d).unwrap().and_hms_opt(h, m, 0).unwrap();
    /// let cal = WorkingCalendar::vietnam();
    /// // Fri 13/2 16:00 → Mon 23/2 08:00: 1 h on Friday, Tết and weekends, 1 h on Monday.
    /// assert_eq!(cal.working_minutes_between(at(13, 16, 0), at(23, 8, 0)).unwrap(), 120);
    /// ```
    pub fn working_minutes_between(
        &self,
        a: NaiveDateTime,
        b: NaiveDateTime,
    ) -> Result<i64, CalendarError> {
        let n = (self.clock(b)? - self.clock(a)?) / NANOS_PER_MINUTE;
        i64::try_from(n).map_err(|_| self.table.past_end())
    }

    /// Due date of a procedure received at `start` (rules of the TD DVC system,
    /// `CaculateTime.TinhNgayHenTra`, reference §11.4):
    ///
    /// * the receipt is rolled into working time first ([`Self::roll_to_working_time`]);
    /// * [`Duration::WorkingDays`]`(n)`: the same time of day on the `n`-th working day
    ///   after the receipt's (rolled) date — a whole day is 8 h, so a dossier received
    ///   Monday 07:00 with one working day is due Tuesday 07:00;
    /// * [`Duration::WorkingHours`]`(h)`: `h / 8` whole days as above, then the rest
    ///   `h % 8` hours with [`Self::add_working_minutes`] (across the lunch break and the
    ///   day's end);
    /// * [`Duration::CalendarDays`]: the same time of day `days` calendar days after the
    ///   rolled date, not counting listed days off when `skip_holidays`; a due date on a
    ///   day off (weekend or listed) moves to the next working day. Unlike TD, the count
    ///   starts from the rolled receipt (TD counts from the receipt's own date and does
    ///   not roll a receipt on a day off).
    ///
    /// ```
    /// use chiso::calendar::{Duration, NaiveDate, WorkingCalendar};
    /// let at = |m, d, h, mi| NaiveDate::from_ymd_opt(2026, m, d).unwrap().and_hms_opt(h, mi, 0).unwrap();
    /// let cal = WorkingCalendar::vietnam();
    /// // Received Fri 13/2/2026 10:00, 3 working days: Mon 23, Tue 24, Wed 25/2 → 10:00.
    /// assert_eq!(cal.due(at(2, 13, 10, 0), Duration::WorkingDays(3)).unwrap(), at(2, 25, 10, 0));
    /// ```
    pub fn due(
        &self,
        start: NaiveDateTime,
        duration: Duration,
    ) -> Result<NaiveDateTime, CalendarError> {
        let r = self.roll_to_working_time(start)?;
        match duration {
            Duration::WorkingDays(n) => self.whole_days(r, n),
            Duration::WorkingHours(h) => {
                let d = self.whole_days(r, h / HOURS_PER_DURATION_DAY)?;
                match h % HOURS_PER_DURATION_DAY {
                    0 => Ok(d),
                    rest => self.add_working_minutes(d, i64::from(rest) * 60),
                }
            }
            Duration::CalendarDays {
                days,
                skip_holidays,
            } => {
                let table = &self.table;
                let i = table.index(r.date())?;
                let date = if skip_holidays {
                    // `r` is on a working day, hence counted.
                    table
                        .date(table.nth_counted(table.counted_before(i + 1) + i128::from(days))?)?
                } else {
                    r.date()
                        .checked_add_days(chrono::Days::new(u64::from(days)))
                        .ok_or_else(|| table.past_end())?
                };
                Ok(self.next_working_day(date)?.and_time(r.time()))
            }
        }
    }

    /// The same time of day `n` working days after `t`'s date.
    fn whole_days(&self, t: NaiveDateTime, n: u32) -> Result<NaiveDateTime, CalendarError> {
        Ok(self
            .add_working_days(t.date(), i64::from(n))?
            .and_time(t.time()))
    }

    /// A supplement request (yêu cầu bổ sung) pauses the clock: the due date moves later
    /// by the working time between `paused_from` and `resumed_at` (the citizen's
    /// supplement time is excluded — formula document, reference §11.4), added with
    /// [`Self::add_working_minutes`] semantics to the nanosecond. A pause with no
    /// working time leaves `due` unchanged.
    ///
    /// ```
    /// use chiso::calendar::{NaiveDate, WorkingCalendar};
    /// let at = |d, h, m| NaiveDate::from_ymd_opt(2026, 3, d).unwrap().and_hms_opt(h, m, 0).unwrap();
    /// let cal = WorkingCalendar::vietnam();
    /// // Paused Fri 6/3 15:00, resumed Mon 9/3 09:00: 2 h Friday + 2 h Monday = 4 h.
    /// let due = cal.extend_for_pause(at(10, 10, 0), at(6, 15, 0), at(9, 9, 0)).unwrap();
    /// assert_eq!(due, at(10, 16, 0)); // Tue 10/3 10:00 + 4 h: 1 h 30 to 11:30, lunch, 2 h 30 → 16:00
    /// ```
    pub fn extend_for_pause(
        &self,
        due: NaiveDateTime,
        paused_from: NaiveDateTime,
        resumed_at: NaiveDateTime,
    ) -> Result<NaiveDateTime, CalendarError> {
        if resumed_at < paused_from {
            return Err(CalendarError::PauseEndsBeforeStart {
                paused_from,
                resumed_at,
            });
        }
        let paused = self.clock(resumed_at)? - self.clock(paused_from)?;
        if paused == 0 {
            return Ok(due);
        }
        self.instant(self.clock(due)? + paused)
    }
}
