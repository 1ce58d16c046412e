//! Working calendar (lịch làm việc): weekends, public holidays, compensatory and swapped
//! days off, make-up working Saturdays, working-hour windows, and due-date arithmetic in
//! working days and working hours, Asia/Ho_Chi_Minh local time (UTC+7, no DST).
//!
//! The official table 2018–2026 (`data/calendar/`) is embedded. Years outside the table
//! are an error naming the year, never a weekday-only guess.
