//! The working calendar (`chiso::calendar`): hand-worked cases read against the shipped
//! table `data/calendar/vn_civil_service_calendar_2018_2026.csv` (the working is in the
//! comments; weekdays checked with `date -d … +%a`), the table read independently with
//! the README's counting rule, messages (insta snapshots) and properties (proptest).

mod common;
#[path = "calendar/parsing.rs"]
mod parsing;
#[path = "calendar/properties.rs"]
mod properties;

use chiso::calendar::{
    parse_local_time, CalendarError, DayKind, Duration, HoursProblem, NaiveDate, NaiveDateTime,
    NaiveTime, TimeParseProblem, WorkingCalendar, WorkingHours,
};
use chiso::Lang;
use chrono::{Datelike, Days, TimeDelta, Weekday};
use proptest::prelude::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn at(y: i32, m: u32, day: u32, h: u32, mi: u32) -> NaiveDateTime {
    d(y, m, day).and_hms_opt(h, mi, 0).unwrap()
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

fn cal() -> &'static WorkingCalendar {
    WorkingCalendar::vietnam()
}

const TABLE: &str = "data/calendar/vn_civil_service_calendar_2018_2026.csv";

// ---------------------------------------------------------------- the table itself

/// The shipped copy never drifts from the reference data.
#[test]
fn shipped_table_equals_reference_data() {
    let Some(data) = common::reference_data() else {
        return;
    };
    let shipped = std::fs::read(common::repo().join(TABLE)).unwrap();
    let reference =
        std::fs::read(data.join("calendar/vn_civil_service_calendar_2018_2026.csv")).unwrap();
    assert!(
        shipped == reference,
        "{TABLE} differs from the reference copy"
    );
}

/// Every day 2018–2026 read with the README's rule straight from the CSV rows: "a date is
/// a working day if (it is Monday–Friday and it is not in the table with kind holiday,
/// compensatory_day_off or swapped_day_off) or (it is in the table with kind
/// makeup_working_day)".
#[test]
fn every_day_follows_the_readme_rule() {
    let rows = common::read_csv(&common::repo().join(TABLE));
    let listed: std::collections::HashMap<NaiveDate, String> = rows
        .iter()
        .map(|r| (r["date"].parse().unwrap(), r["kind"].clone()))
        .collect();
    assert_eq!(listed.len(), 108, "README: 108 rows, no duplicate date");
    let mut day = d(2018, 1, 1);
    while day <= d(2026, 12, 31) {
        let weekday = !matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
        let expected = match listed.get(&day).map(String::as_str) {
            Some("makeup_working_day") => true,
            Some("holiday" | "compensatory_day_off" | "swapped_day_off") => false,
            Some(other) => panic!("unknown kind {other}"),
            None => weekday,
        };
        assert_eq!(cal().is_working_day(day), Ok(expected), "{day}");
        if let Some(k) = listed.get(&day) {
            assert_eq!(
                cal().day_kind(day).unwrap().column_value(),
                Some(k.as_str())
            );
        }
        day = day.succ_opt().unwrap();
    }
}

/// Row counts per year from the README (holiday / compensatory / swapped / make-up).
#[test]
fn listed_days_per_year_match_the_readme() {
    let expected = [
        (2018, [7, 3, 1, 0]),
        (2019, [9, 1, 1, 2]),
        (2020, [8, 2, 0, 0]),
        (2021, [8, 3, 0, 0]),
        (2022, [7, 4, 0, 0]),
        (2023, [5, 6, 0, 0]),
        (2024, [9, 2, 1, 1]),
        (2025, [11, 0, 1, 1]),
        (2026, [10, 1, 2, 2]),
    ];
    assert_eq!(cal().years(), 2018..=2026);
    for (year, counts) in expected {
        let mut got = [0; 4];
        let mut day = d(year, 1, 1);
        while day.year() == year {
            match cal().day_kind(day).unwrap() {
                DayKind::Holiday => got[0] += 1,
                DayKind::CompensatoryDayOff => got[1] += 1,
                DayKind::SwappedDayOff => got[2] += 1,
                DayKind::MakeupWorkingDay => got[3] += 1,
                DayKind::Working | DayKind::Weekend => {}
            }
            day = day.succ_opt().unwrap();
        }
        assert_eq!(got, counts, "{year}");
    }
}

/// 2026 starts on a Thursday and has 365 days = 52 weeks + 1 day (a Thursday):
/// 52 × 5 + 1 = 261 weekdays; minus 13 weekdays off (10 holidays, 1 compensatory,
/// 2 swapped), plus 2 make-up Saturdays (10/1, 22/8) = 250 working days.
#[test]
fn working_days_in_2026() {
    // (31/12/2025, 31/12/2026] is the whole of 2026.
    assert_eq!(
        cal().working_days_between(d(2025, 12, 31), d(2026, 12, 31)),
        Ok(250)
    );
    // (1/1, 31/12] leaves out 1/1, a holiday: still 250.
    assert_eq!(cal().day_kind(d(2026, 1, 1)), Ok(DayKind::Holiday));
    assert_eq!(
        cal().working_days_between(d(2026, 1, 1), d(2026, 12, 31)),
        Ok(250)
    );
}

#[test]
fn names_come_from_the_table() {
    let name = cal().day_name(d(2025, 5, 2)).unwrap();
    assert!(name
        .vi
        .starts_with("Nghỉ hoán đổi ngày làm việc dịp Ngày Chiến thắng 30/4"));
    assert!(name.en.starts_with("Swapped day off"));
    assert_eq!(cal().day_name(d(2025, 5, 5)), None); // ordinary Monday
    assert_eq!(cal().day_name(d(2031, 1, 1)), None); // outside the table
}

// ---------------------------------------------------------------- working days

/// Tết Bính Ngọ 2026: Sat 14/2 – Sun 22/2 off; Mon 16 – Fri 20 are the listed holidays.
#[test]
fn across_tet_2026() {
    let c = cal();
    for day in 16..=20 {
        assert_eq!(c.day_kind(d(2026, 2, day)), Ok(DayKind::Holiday), "{day}/2");
    }
    assert_eq!(c.day_kind(d(2026, 2, 21)), Ok(DayKind::Weekend));
    // Thu 12/2 + 3: Fri 13 (1), [14–22 off], Mon 23 (2), Tue 24 (3).
    assert_eq!(c.add_working_days(d(2026, 2, 12), 3), Ok(d(2026, 2, 24)));
    // Back from Tue 24/2 by 2: Mon 23 (1), Fri 13 (2).
    assert_eq!(c.add_working_days(d(2026, 2, 24), -2), Ok(d(2026, 2, 13)));
    // From a day off the day itself is not counted either: Sat 21/2 − 1 → Fri 13/2,
    // Sat 21/2 + 1 → Mon 23/2.
    assert_eq!(c.add_working_days(d(2026, 2, 21), -1), Ok(d(2026, 2, 13)));
    assert_eq!(c.add_working_days(d(2026, 2, 21), 1), Ok(d(2026, 2, 23)));
    // (Fri 13/2, Fri 27/2]: Mon 23 … Fri 27 = 5 (a weekday-only count would say 10).
    assert_eq!(
        c.working_days_between(d(2026, 2, 13), d(2026, 2, 27)),
        Ok(5)
    );
    assert_eq!(
        c.working_days_between(d(2026, 2, 27), d(2026, 2, 13)),
        Ok(-5)
    );
    assert_eq!(c.next_working_day(d(2026, 2, 14)), Ok(d(2026, 2, 23)));
    assert_eq!(c.next_working_day(d(2026, 2, 23)), Ok(d(2026, 2, 23)));
}

/// Tết Dương lịch 2026: Thu 1/1 holiday, Fri 2/1 swapped, worked back on Sat 10/1.
#[test]
fn new_year_2026_swap_and_makeup_saturday() {
    let c = cal();
    assert_eq!(c.day_kind(d(2026, 1, 2)), Ok(DayKind::SwappedDayOff));
    assert_eq!(c.day_kind(d(2026, 1, 10)), Ok(DayKind::MakeupWorkingDay));
    // Wed 31/12/2025 + 1: Thu 1/1, Fri 2/1, Sat 3, Sun 4 off → Mon 5/1.
    assert_eq!(c.add_working_days(d(2025, 12, 31), 1), Ok(d(2026, 1, 5)));
    // Fri 9/1 + 1 → Sat 10/1 (make-up); + 2 → Mon 12/1.
    assert_eq!(c.add_working_days(d(2026, 1, 9), 1), Ok(d(2026, 1, 10)));
    assert_eq!(c.add_working_days(d(2026, 1, 9), 2), Ok(d(2026, 1, 12)));
    // (Fri 2/1, Sun 11/1]: Mon 5 – Fri 9 (5) + Sat 10 (1) = 6.
    assert_eq!(c.working_days_between(d(2026, 1, 2), d(2026, 1, 11)), Ok(6));
}

/// 30/4 – 1/5 2025: Sat 26/4 worked (make-up), Wed 30/4 and Thu 1/5 holidays, Fri 2/5
/// swapped; 2026: Mon 27/4 compensatory (Giỗ Tổ on Sun 26/4), Thu 30/4, Fri 1/5.
#[test]
fn across_30_april_1_may() {
    let c = cal();
    // 2025. Fri 25/4 + 1 → Sat 26/4 (make-up day).
    assert_eq!(c.add_working_days(d(2025, 4, 25), 1), Ok(d(2025, 4, 26)));
    // Tue 29/4 + 1: Wed 30, Thu 1, Fri 2 (swapped), Sat 3, Sun 4 → Mon 5/5.
    assert_eq!(c.add_working_days(d(2025, 4, 29), 1), Ok(d(2025, 5, 5)));
    // (Thu 24/4, Mon 5/5]: Fri 25, Sat 26, Mon 28, Tue 29, Mon 5 = 5
    // (weekday-only: Fri 25, Mon 28, Tue 29, Wed 30, Thu 1, Fri 2, Mon 5 = 7).
    assert_eq!(c.working_days_between(d(2025, 4, 24), d(2025, 5, 5)), Ok(5));
    // 2026. Fri 24/4 + 1: Sat, Sun, Mon 27 (compensatory) → Tue 28/4.
    assert_eq!(c.add_working_days(d(2026, 4, 24), 1), Ok(d(2026, 4, 28)));
    // Wed 29/4 + 1: Thu 30, Fri 1, Sat 2, Sun 3 → Mon 4/5.
    assert_eq!(c.add_working_days(d(2026, 4, 29), 1), Ok(d(2026, 5, 4)));
    assert_eq!(c.add_working_days(d(2026, 5, 4), -1), Ok(d(2026, 4, 29)));
}

/// Quốc khánh: 2025 Mon 1/9 + Tue 2/9; 2026 Sat 22/8 worked, Mon 31/8 swapped,
/// Tue 1/9 + Wed 2/9.
#[test]
fn across_2_september() {
    let c = cal();
    // Fri 29/8/2025 + 1: Sat, Sun, Mon 1/9, Tue 2/9 → Wed 3/9.
    assert_eq!(c.add_working_days(d(2025, 8, 29), 1), Ok(d(2025, 9, 3)));
    // Fri 21/8/2026 + 1 → Sat 22/8 (make-up).
    assert_eq!(c.add_working_days(d(2026, 8, 21), 1), Ok(d(2026, 8, 22)));
    // Fri 28/8/2026 + 1: Sat 29, Sun 30, Mon 31 (swapped), Tue 1/9, Wed 2/9 → Thu 3/9.
    assert_eq!(c.add_working_days(d(2026, 8, 28), 1), Ok(d(2026, 9, 3)));
    // (Fri 21/8, Fri 4/9]: Sat 22, Mon 24 – Fri 28 (5), Thu 3, Fri 4 = 8.
    assert_eq!(c.working_days_between(d(2026, 8, 21), d(2026, 9, 4)), Ok(8));
}

/// Publication deadline of the seed directive (reference §11.6): 5 working days after
/// a ministry decision of Wed 29/4/2026, the decision day not counted:
/// Mon 4/5 (1), Tue 5 (2), Wed 6 (3), Thu 7 (4), Fri 8/5 (5).
#[test]
fn five_working_days_after_a_decision() {
    assert_eq!(cal().add_working_days(d(2026, 4, 29), 5), Ok(d(2026, 5, 8)));
    // A provincial decision of Mon 11/5 is 1 working day late: (8/5, 11/5] = 1.
    assert_eq!(
        cal().working_days_between(d(2026, 5, 8), d(2026, 5, 11)),
        Ok(1)
    );
}

// ---------------------------------------------------------------- outside the table

#[test]
fn years_outside_the_table_are_errors_naming_the_year() {
    let c = cal();
    let not = |year| CalendarError::YearNotCovered {
        year,
        first: 2018,
        last: 2026,
    };
    assert_eq!(c.is_working_day(d(2031, 3, 3)), Err(not(2031)));
    assert_eq!(c.day_kind(d(2017, 12, 29)), Err(not(2017)));
    // Walking out of the table names the year entered.
    assert_eq!(c.add_working_days(d(2026, 12, 31), 1), Err(not(2027)));
    assert_eq!(c.add_working_days(d(2018, 1, 2), -1), Err(not(2017))); // 1/1/2018 holiday
    assert_eq!(c.next_working_day(d(2026, 12, 31)), Ok(d(2026, 12, 31)));
    // Huge amounts fail at once, without overflow.
    assert_eq!(c.add_working_days(d(2020, 6, 1), i64::MAX), Err(not(2027)));
    assert_eq!(c.add_working_days(d(2020, 6, 1), i64::MIN), Err(not(2017)));
    assert_eq!(
        c.add_working_minutes(at(2020, 6, 1, 8, 0), i64::MAX),
        Err(not(2027))
    );
    assert_eq!(
        c.add_working_minutes(at(2020, 6, 1, 8, 0), i64::MIN),
        Err(not(2017))
    );
    let far = Duration::CalendarDays {
        days: u32::MAX,
        skip_holidays: false,
    };
    assert_eq!(c.due(at(2020, 6, 1, 8, 0), far), Err(not(2027)));
    let far = Duration::CalendarDays {
        days: u32::MAX,
        skip_holidays: true,
    };
    assert_eq!(c.due(at(2020, 6, 1, 8, 0), far), Err(not(2027)));
    assert_eq!(
        c.due(at(2020, 6, 1, 8, 0), Duration::WorkingHours(u32::MAX)),
        Err(not(2027))
    );
    // After 17:00 on the last working day of 2026 the next morning is in 2027.
    assert_eq!(
        c.roll_to_working_time(at(2026, 12, 31, 17, 0)),
        Err(not(2027))
    );
    assert_eq!(
        c.working_minutes_between(at(2026, 12, 31, 8, 0), at(2027, 1, 4, 8, 0)),
        Err(not(2027))
    );
}

#[test]
fn year_not_covered_messages() {
    let c = cal();
    let e2031 = c.is_working_day(d(2031, 3, 3)).unwrap_err();
    let e2017 = c.add_working_days(d(2018, 1, 2), -1).unwrap_err();
    assert_eq!(e2031.code(), "calendar_year_not_covered");
    let mut text = String::new();
    for e in [&e2031, &e2017] {
        for lang in [Lang::Vi, Lang::En] {
            text.push_str(&e.message(lang));
            text.push('\n');
        }
        let diag = e.to_diagnostic(chiso::diagnostics::Location::row(12).column("NgayHenTra"));
        for lang in [Lang::Vi, Lang::En] {
            text.push_str(&diag.message(lang));
            text.push('\n');
        }
    }
    assert!(text.contains("Năm 2031 không có trong lịch làm việc (có 2018–2026)"));
    assert!(text.contains("The year 2017 is not in the working calendar (it covers 2018–2026)"));
    insta::assert_snapshot!("year_not_covered", text);
}

// ---------------------------------------------------------------- working hours

#[test]
fn rolling_receipts_into_working_time() {
    let c = cal();
    // Mon 9/3/2026.
    assert_eq!(
        c.roll_to_working_time(at(2026, 3, 9, 6, 15)),
        Ok(at(2026, 3, 9, 7, 0))
    );
    assert_eq!(
        c.roll_to_working_time(at(2026, 3, 9, 9, 41)),
        Ok(at(2026, 3, 9, 9, 41))
    );
    // A window is [start, end): 11:30 is the lunch break, 17:00 is after hours.
    assert_eq!(
        c.roll_to_working_time(at(2026, 3, 9, 11, 30)),
        Ok(at(2026, 3, 9, 13, 30))
    );
    assert_eq!(
        c.roll_to_working_time(at(2026, 3, 9, 12, 10)),
        Ok(at(2026, 3, 9, 13, 30))
    );
    assert_eq!(
        c.roll_to_working_time(at(2026, 3, 9, 17, 0)),
        Ok(at(2026, 3, 10, 7, 0))
    );
    // Sat 7/3 → Mon 9/3 07:00; Sat 10/1/2026 is a make-up day: kept.
    assert_eq!(
        c.roll_to_working_time(at(2026, 3, 7, 10, 0)),
        Ok(at(2026, 3, 9, 7, 0))
    );
    assert_eq!(
        c.roll_to_working_time(at(2026, 1, 10, 10, 0)),
        Ok(at(2026, 1, 10, 10, 0))
    );
    // Seconds kept.
    let t = d(2026, 3, 9).and_hms_opt(8, 0, 30).unwrap();
    assert_eq!(c.roll_to_working_time(t), Ok(t));
}

/// Due in working days from a receipt after 17:00 on the eve of a holiday.
#[test]
fn due_after_hours_on_the_eve_of_a_holiday() {
    let c = cal();
    // Received Fri 13/2/2026 17:45, eve of Tết: rolled to Mon 23/2 07:00 (16–20/2 Tết,
    // 14–15 and 21–22 weekends). 5 working days at the same time of day (TD: whole
    // days of 8 h): Tue 24 (1), Wed 25 (2), Thu 26 (3), Fri 27 (4), Mon 2/3 (5) 07:00.
    assert_eq!(
        c.due(at(2026, 2, 13, 17, 45), Duration::WorkingDays(5)),
        Ok(at(2026, 3, 2, 7, 0))
    );
    // The same working time as 40 working hours from Mon 23/2 07:00 (5 × 8 h, ending
    // Fri 27/2 17:00, reported as that window end).
    assert_eq!(
        c.add_working_minutes(at(2026, 2, 23, 7, 0), 40 * 60),
        Ok(at(2026, 2, 27, 17, 0))
    );
    assert_eq!(
        c.working_minutes_between(at(2026, 2, 27, 17, 0), at(2026, 3, 2, 7, 0)),
        Ok(0)
    );
    // Received Wed 29/4/2026 17:15, eve of 30/4: rolled to Mon 4/5 07:00 (Thu 30/4,
    // Fri 1/5, weekend). 12 working hours = 1 whole day + 4 h: Tue 5/5 07:00 + 4 h
    // = 11:00.
    assert_eq!(
        c.due(at(2026, 4, 29, 17, 15), Duration::WorkingHours(12)),
        Ok(at(2026, 5, 5, 11, 0))
    );
}

#[test]
fn due_when_received_in_the_lunch_break() {
    // Mon 9/3/2026 12:10 → 13:30. 6 h: 13:30–17:00 is 3 h 30; 2 h 30 remain from Tue
    // 10/3 07:00 → 09:30 (TD: 13.5 + 6 = 19.5 > 17 → 19.5 − 17 + 7 = 9.5, next day).
    assert_eq!(
        cal().due(at(2026, 3, 9, 12, 10), Duration::WorkingHours(6)),
        Ok(at(2026, 3, 10, 9, 30))
    );
    // 4 h from 13:30: 3 h 30 to 17:00, 30 min from Tue 07:00 → 07:30.
    assert_eq!(
        cal().due(at(2026, 3, 9, 12, 10), Duration::WorkingHours(4)),
        Ok(at(2026, 3, 10, 7, 30))
    );
    // 5 h from 10:00: 1 h 30 to 11:30, 3 h 30 from 13:30 → 17:00 exactly, the window's
    // end, the same day (TD: 10 + 5 + 2 = 17, not > 17).
    assert_eq!(
        cal().due(at(2026, 3, 9, 10, 0), Duration::WorkingHours(5)),
        Ok(at(2026, 3, 9, 17, 0))
    );
    // 3 h from 10:00 crosses lunch: 1 h 30 to 11:30, 1 h 30 from 13:30 → 15:00.
    assert_eq!(
        cal().due(at(2026, 3, 9, 10, 0), Duration::WorkingHours(3)),
        Ok(at(2026, 3, 9, 15, 0))
    );
}

#[test]
fn calendar_day_durations() {
    let c = cal();
    let days = |n, skip_holidays| Duration::CalendarDays {
        days: n,
        skip_holidays,
    };
    // Wed 4/3/2026 09:00 + 4 days = Sun 8/3 → next working day Mon 9/3 09:00.
    assert_eq!(
        c.due(at(2026, 3, 4, 9, 0), days(4, false)),
        Ok(at(2026, 3, 9, 9, 0))
    );
    // Fri 24/4/2026 10:00 + 6 days = Thu 30/4, a holiday → Mon 4/5 10:00.
    assert_eq!(
        c.due(at(2026, 4, 24, 10, 0), days(6, false)),
        Ok(at(2026, 5, 4, 10, 0))
    );
    // + 5 days = Wed 29/4 (a working day) without skipping holidays; skipping them:
    // Sat 25 (1), Sun 26 (2), [Mon 27 compensatory], Tue 28 (3), Wed 29 (4),
    // [Thu 30, Fri 1 holidays], Sat 2/5 (5) → a Saturday → Mon 4/5 10:00.
    assert_eq!(
        c.due(at(2026, 4, 24, 10, 0), days(5, false)),
        Ok(at(2026, 4, 29, 10, 0))
    );
    assert_eq!(
        c.due(at(2026, 4, 24, 10, 0), days(5, true)),
        Ok(at(2026, 5, 4, 10, 0))
    );
    // Fri 13/2/2026 09:00 + 10 days = Mon 23/2; skipping Tết (16–20): Sat 14, Sun 15,
    // Sat 21, Sun 22, Mon 23 … Sat 28 (10) → Mon 2/3 09:00.
    assert_eq!(
        c.due(at(2026, 2, 13, 9, 0), days(10, false)),
        Ok(at(2026, 2, 23, 9, 0))
    );
    assert_eq!(
        c.due(at(2026, 2, 13, 9, 0), days(10, true)),
        Ok(at(2026, 3, 2, 9, 0))
    );
    // A receipt on Sunday 8/3 is rolled to Mon 9/3 07:00 first: + 2 days = Wed 11/3.
    assert_eq!(
        c.due(at(2026, 3, 8, 15, 0), days(2, false)),
        Ok(at(2026, 3, 11, 7, 0))
    );
}

#[test]
fn supplement_pause_over_a_weekend() {
    let c = cal();
    // Paused Fri 20/3/2026 16:30, resumed Mon 23/3 07:45: 30 min Friday + 45 min Monday
    // = 75 working minutes (the weekend does not count).
    assert_eq!(
        c.working_minutes_between(at(2026, 3, 20, 16, 30), at(2026, 3, 23, 7, 45)),
        Ok(75)
    );
    // Due Wed 25/3 16:30 + 75 min: 30 min to 17:00, 45 min from Thu 26/3 07:00 → 07:45.
    assert_eq!(
        c.extend_for_pause(
            at(2026, 3, 25, 16, 30),
            at(2026, 3, 20, 16, 30),
            at(2026, 3, 23, 7, 45)
        ),
        Ok(at(2026, 3, 26, 7, 45))
    );
    // A pause inside non-working time moves nothing.
    assert_eq!(
        c.extend_for_pause(
            at(2026, 3, 25, 16, 30),
            at(2026, 3, 20, 17, 30),
            at(2026, 3, 23, 6, 0)
        ),
        Ok(at(2026, 3, 25, 16, 30))
    );
    let err = c
        .extend_for_pause(
            at(2026, 3, 25, 16, 30),
            at(2026, 3, 23, 7, 45),
            at(2026, 3, 20, 16, 30),
        )
        .unwrap_err();
    assert_eq!(err.code(), "calendar_pause_ends_before_start");
}

#[test]
fn working_minutes_back_and_at_window_ends() {
    let c = cal();
    // 60 min back from Tue 10/3/2026 08:00: 07:00–08:00 → the earliest instant with
    // that working time is Mon 9/3 17:00 (a window end is reported as such).
    assert_eq!(
        c.add_working_minutes(at(2026, 3, 10, 8, 0), -60),
        Ok(at(2026, 3, 9, 17, 0))
    );
    assert_eq!(
        c.add_working_minutes(at(2026, 3, 10, 8, 0), -61),
        Ok(at(2026, 3, 9, 16, 59))
    );
    // 4 h 30 from 07:00 ends at 11:30 (not 13:30).
    assert_eq!(
        c.add_working_minutes(at(2026, 3, 9, 7, 0), 270),
        Ok(at(2026, 3, 9, 11, 30))
    );
    assert_eq!(
        c.add_working_minutes(at(2026, 3, 9, 7, 0), 271),
        Ok(at(2026, 3, 9, 13, 31))
    );
    // 0 minutes: the instant rolled.
    assert_eq!(
        c.add_working_minutes(at(2026, 3, 9, 12, 0), 0),
        Ok(at(2026, 3, 9, 13, 30))
    );
    // Seconds are kept and counted.
    let t = d(2026, 3, 9).and_hms_opt(11, 29, 30).unwrap();
    assert_eq!(
        c.add_working_minutes(t, 1),
        Ok(d(2026, 3, 9).and_hms_opt(13, 30, 30).unwrap())
    );
    assert_eq!(c.working_minutes_between(t, at(2026, 3, 9, 13, 31)), Ok(1)); // 90 s → 1
}

#[test]
fn custom_working_hours() {
    let morning = WorkingHours::new(vec![(hm(8, 0), hm(12, 0))]).unwrap();
    let c = cal().clone().with_hours(morning.clone());
    assert_eq!(c.hours(), &morning);
    assert_eq!(c.hours().minutes_per_day(), 240);
    // 10 h = 1 whole day (same time next working day) + 2 h (TD: hours ÷ 8).
    // Mon 9/3/2026 09:00 → Tue 10/3 09:00 → 11:00.
    assert_eq!(
        c.due(at(2026, 3, 9, 9, 0), Duration::WorkingHours(10)),
        Ok(at(2026, 3, 10, 11, 0))
    );
    // 13:00 is after the only window → Tue 10/3 08:00.
    assert_eq!(
        c.roll_to_working_time(at(2026, 3, 9, 13, 0)),
        Ok(at(2026, 3, 10, 8, 0))
    );
    assert_eq!(WorkingHours::default(), WorkingHours::standard());

    let bad = |w: Vec<(NaiveTime, NaiveTime)>| match WorkingHours::new(w) {
        Err(CalendarError::BadWorkingHours { problem }) => problem,
        other => panic!("{other:?}"),
    };
    assert_eq!(bad(vec![]), HoursProblem::NoWindows);
    assert!(matches!(
        bad(vec![(hm(12, 0), hm(12, 0))]),
        HoursProblem::EndNotAfterStart { window: 0, .. }
    ));
    assert!(matches!(
        bad(vec![(hm(7, 0), hm(12, 0)), (hm(11, 0), hm(17, 0))]),
        HoursProblem::Overlap { window: 1, .. }
    ));
    assert!(matches!(
        bad(vec![(
            NaiveTime::from_hms_opt(7, 0, 30).unwrap(),
            hm(12, 0)
        )]),
        HoursProblem::NotWholeMinute { window: 0, .. }
    ));
    assert!(matches!(
        bad(vec![(hm(1, 0), hm(2, 0)); 25]),
        HoursProblem::TooManyWindows {
            count: 25,
            limit: 24
        }
    ));
    let e = WorkingHours::new(vec![(hm(7, 0), hm(12, 0)), (hm(11, 0), hm(17, 0))]).unwrap_err();
    assert_eq!(e.code(), "calendar_bad_working_hours");
    insta::assert_snapshot!(
        "bad_working_hours",
        format!("{}\n{}", e.message(Lang::Vi), e.message(Lang::En))
    );
}

// ---------------------------------------------------------------- from_csv

const HEADER: &str = "date,kind,name_vi,name_en,source,status\n";

#[test]
fn from_csv_reports_all_bad_rows_at_once() {
    let text = format!(
        "{HEADER}\
         2030-01-01,holiday,Tết Dương lịch,New Year's Day,BLLĐ 2019,derived\n\
         2030-02-30,holiday,Tết,Tet,BLLĐ 2019,derived\n\
         2030-02-04,fête,Tết,Tet,BLLĐ 2019,derived\n\
         2030-01-01,holiday,Tết Dương lịch,New Year's Day,BLLĐ 2019,derived\n\
         2030-01-05,holiday,Thứ Bảy,Saturday,BLLĐ 2019,derived\n\
         2030-01-07,makeup_working_day,Thứ Hai,Monday,BLLĐ 2019,announced\n\
         2030-04-30,holiday,,Reunification Day,,maybe\n\
         2030-05-01,holiday,Quốc tế lao động\n"
    );
    let errs = WorkingCalendar::from_csv(&text, "bad.csv").unwrap_err();
    let paths: Vec<&str> = errs.0.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "row 3, column \"date\"",        // 30 February
            "row 4, column \"kind\"",        // fête
            "rows 2 and 5, column \"date\"", // duplicate 1/1
            "row 6, column \"kind\"",        // Sat 5/1/2030 holiday
            "row 7, column \"kind\"",        // Mon 7/1/2030 make-up
            "row 8, column \"name_vi\"",
            "row 8, column \"source\"",
            "row 8, column \"status\"",
            "row 9", // 3 fields
        ]
    );
    assert!(errs.0.iter().all(|e| e.file.as_deref() == Some("bad.csv")));
    // Stable codes, structured locations, rendered in the message's language.
    let codes: Vec<&str> = errs.0.iter().map(|e| e.problem.stable_code()).collect();
    assert_eq!(
        codes,
        [
            "calendar_table_bad_date",
            "calendar_table_unknown_kind",
            "duplicate_key",
            "calendar_table_day_off_on_weekend",
            "calendar_table_makeup_on_weekday",
            "empty",
            "empty",
            "calendar_table_unknown_status",
            "calendar_table_field_count",
        ]
    );
    assert_eq!(
        errs.0[0].location,
        Some(chiso::diagnostics::Location::row(3).column("date"))
    );
    assert!(errs.0[0]
        .message(Lang::Vi)
        .starts_with("bad.csv: lỗi tại dòng 3, cột \"date\": "));
    insta::assert_snapshot!(
        "from_csv_errors",
        format!("{}\n\n{}", errs.render(Lang::Vi), errs.render(Lang::En))
    );
}

#[test]
fn from_csv_structure_and_years() {
    let missing = WorkingCalendar::from_csv("date,kind,name_vi\n", "m.csv").unwrap_err();
    assert_eq!(missing.len(), 1);
    assert!(
        missing.render(Lang::En).contains("name_en, source, status"),
        "{}",
        missing.render(Lang::En)
    );
    let empty = WorkingCalendar::from_csv(HEADER, "e.csv").unwrap_err();
    assert!(empty.render(Lang::En).contains("must not be empty"));
    // A gap year inside the table is refused (the covered years are first..=last).
    let gap =
        format!("{HEADER}2030-01-01,holiday,a,a,s,derived\n2032-01-01,holiday,a,a,s,derived\n");
    let errs = WorkingCalendar::from_csv(&gap, "g.csv").unwrap_err();
    assert_eq!(errs.len(), 1);
    assert!(
        errs.render(Lang::Vi).contains("năm 2031"),
        "{}",
        errs.render(Lang::Vi)
    );
    // Columns in another order, a BOM and CRLF line ends are fine.
    let ok = "\u{feff}kind,date,status,source,name_en,name_vi\r\n\
              holiday,2030-01-01,derived,BLLĐ 2019,New Year's Day,Tết Dương lịch\r\n";
    let c = WorkingCalendar::from_csv(ok, "ok.csv").unwrap();
    assert_eq!(c.years(), 2030..=2030);
    assert_eq!(c.day_kind(d(2030, 1, 1)), Ok(DayKind::Holiday));
    assert_eq!(c.day_name(d(2030, 1, 1)).unwrap().vi, "Tết Dương lịch");
    assert_eq!(c.is_working_day(d(2030, 1, 2)), Ok(true));
    assert!(matches!(
        c.is_working_day(d(2031, 1, 2)),
        Err(CalendarError::YearNotCovered {
            year: 2031,
            first: 2030,
            last: 2030
        })
    ));
    // The shipped file reads without a problem.
    let shipped = std::fs::read_to_string(common::repo().join(TABLE)).unwrap();
    let c = WorkingCalendar::from_csv(&shipped, TABLE).unwrap();
    assert_eq!(c.years(), 2018..=2026);
}

#[test]
fn from_csv_caps_the_error_list() {
    let mut text = HEADER.to_owned();
    for _ in 0..1200 {
        text.push_str("not a date,holiday,a,a,s,derived\n");
    }
    let errs = WorkingCalendar::from_csv(&text, "many.csv").unwrap_err();
    assert_eq!(errs.len(), 1001);
    assert!(errs
        .render(Lang::En)
        .ends_with("… and 200 more problems (1200 in all) [calendar_table_too_large]"));
}

#[test]
fn debug_output_is_short() {
    let text = format!("{:?}", cal());
    assert!(text.len() < 400, "{text}");
    assert!(
        text.contains("2018..=2026") && text.contains("listed_days: 108"),
        "{text}"
    );
}
