//! Properties of the calendar arithmetic (proptest), inside 2018–2026.

use super::*;

/// A date in 2019–2025 (so ±250 working days stays inside 2018–2026).
fn inner_date() -> impl Strategy<Value = NaiveDate> {
    (0u64..(365 * 7)).prop_map(|k| d(2019, 1, 1) + Days::new(k))
}

fn inner_instant() -> impl Strategy<Value = NaiveDateTime> {
    (inner_date(), 0u32..24 * 60).prop_map(|(day, m)| day.and_hms_opt(m / 60, m % 60, 0).unwrap())
}

/// Whether `t` lies on a working day within a window, its end included.
fn in_window_closed(t: NaiveDateTime) -> bool {
    cal().is_working_day(t.date()).unwrap()
        && cal()
            .hours()
            .windows()
            .iter()
            .any(|&(s, e)| s <= t.time() && t.time() <= e)
}

fn in_window_open(t: NaiveDateTime) -> bool {
    cal().is_working_day(t.date()).unwrap()
        && cal()
            .hours()
            .windows()
            .iter()
            .any(|&(s, e)| s <= t.time() && t.time() < e)
}

/// Oracle: minute-by-minute walk forward, the end of the `m`-th working minute.
fn walk_minutes(t: NaiveDateTime, m: i64) -> NaiveDateTime {
    let mut s = t;
    let mut n = 0;
    loop {
        if in_window_open(s) {
            n += 1;
        }
        s += TimeDelta::minutes(1);
        if n == m {
            return s;
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn working_days_round_trip(day in inner_date(), n in -250i64..=250) {
        let c = cal();
        let w = c.next_working_day(day).unwrap();
        prop_assert!(c.is_working_day(w).unwrap() && w >= day);
        prop_assert!(w == day || c.working_days_between(day, w).unwrap() == 1);
        let r = c.add_working_days(w, n).unwrap();
        prop_assert_eq!(c.add_working_days(r, -n).unwrap(), w);
        prop_assert_eq!(c.working_days_between(w, r).unwrap(), n);
        if n != 0 {
            prop_assert!(c.is_working_day(r).unwrap());
        }
        // Also from a day that may be off: the count to the result is n.
        let r2 = c.add_working_days(day, n).unwrap();
        if n > 0 {
            prop_assert_eq!(c.working_days_between(day, r2).unwrap(), n);
        }
        if n < 0 {
            // (r2, day] holds the |n| − 1 working days strictly between, and day itself
            // when it is a working day.
            let own = i64::from(c.is_working_day(day).unwrap());
            prop_assert_eq!(c.working_days_between(r2, day).unwrap(), -n - 1 + own);
        }
        // Oracle: a plain day-by-day walk, forward or back.
        if (-30..=30).contains(&n) {
            let (mut x, mut k) = (day, 0);
            while k < n.abs() {
                x = if n > 0 { x.succ_opt().unwrap() } else { x.pred_opt().unwrap() };
                if c.is_working_day(x).unwrap() { k += 1; }
            }
            prop_assert_eq!(r2, x);
        }
    }

    #[test]
    fn working_days_monotonic(day in inner_date(), a in -250i64..=250, b in -250i64..=250) {
        let c = cal();
        let (n1, n2) = (a.min(b), a.max(b));
        prop_assume!(n1 < n2);
        prop_assert!(c.add_working_days(day, n1).unwrap() < c.add_working_days(day, n2).unwrap());
    }

    #[test]
    fn results_never_land_off_hours(t in inner_instant(), h in 0u32..200, days in 0u32..200, skip in any::<bool>()) {
        let c = cal();
        let r = c.roll_to_working_time(t).unwrap();
        prop_assert!(in_window_open(r) && r >= t, "{} → {}", t, r);
        prop_assert_eq!(c.working_minutes_between(t, r).unwrap(), 0);
        for dur in [
            Duration::WorkingDays(h / 8),
            Duration::WorkingHours(h),
            Duration::CalendarDays { days, skip_holidays: skip },
        ] {
            let due = c.due(t, dur).unwrap();
            prop_assert!(in_window_closed(due) && due >= r, "{:?} {} → {}", dur, t, due);
        }
        // Working days and hours: exactly the duration's working time after the receipt.
        let due = c.due(t, Duration::WorkingHours(h)).unwrap();
        prop_assert_eq!(c.working_minutes_between(t, due).unwrap(), i64::from(h) * 60);
    }

    #[test]
    fn working_minutes_round_trip(t in inner_instant(), m in -60_000i64..60_000) {
        let c = cal();
        let r = c.add_working_minutes(t, m).unwrap();
        prop_assert_eq!(c.working_minutes_between(t, r).unwrap(), m);
        prop_assert_eq!(c.working_minutes_between(r, t).unwrap(), -m);
        prop_assert!(in_window_closed(r), "{} + {} → {}", t, m, r);
        if m > 0 {
            prop_assert!(r > t);
        }
    }

    #[test]
    fn working_minutes_match_a_walk(t in inner_instant(), m in 1i64..1500) {
        prop_assert_eq!(cal().add_working_minutes(t, m).unwrap(), walk_minutes(t, m));
    }

    #[test]
    fn working_minutes_additive(t in inner_instant(), a in -20_000i64..20_000, b in -20_000i64..20_000) {
        let c = cal();
        let s = c.add_working_minutes(t, a).unwrap();
        let two_steps = c.add_working_minutes(s, b).unwrap();
        let one_step = c.add_working_minutes(t, a + b).unwrap();
        if b != 0 && a + b != 0 {
            prop_assert_eq!(two_steps, one_step);
        } else {
            // Zero steps roll forward; the working time is the same either way.
            prop_assert_eq!(c.working_minutes_between(two_steps, one_step).unwrap(), 0);
        }
        // Between is additive over any three instants.
        let u = c.add_working_minutes(t, b).unwrap();
        prop_assert_eq!(
            c.working_minutes_between(t, s).unwrap() + c.working_minutes_between(s, u).unwrap(),
            c.working_minutes_between(t, u).unwrap()
        );
    }

    #[test]
    fn pause_adds_its_working_time(due in inner_instant(), from in inner_instant(), len in 0i64..10_000) {
        let c = cal();
        let resumed = c.add_working_minutes(from, len).unwrap().max(from);
        let paused = c.working_minutes_between(from, resumed).unwrap();
        let new_due = c.extend_for_pause(due, from, resumed).unwrap();
        prop_assert_eq!(c.working_minutes_between(due, new_due).unwrap(), paused);
        prop_assert!(new_due >= due || paused == 0);
    }

    #[test]
    fn parse_never_panics(s in "\\PC{0,60}") {
        if let Err(e) = parse_local_time(&s) {
            // At most 40 characters quoted, each escaped to at most 10 (`\u{10ffff}`), and "…".
            prop_assert!(e.given().chars().count() <= 40 * 10 + 1);
            prop_assert!(!e.message(Lang::Vi).is_empty());
        }
    }

    #[test]
    fn parse_round_trips_formatted_times(t in inner_instant(), form in 0usize..4) {
        let text = match form {
            0 => t.format("%Y%m%d%H%M%S").to_string(),
            1 => t.format("%Y-%m-%d %H:%M:%S").to_string(),
            2 => t.format("%d/%m/%Y %H:%M").to_string(),
            _ => t.format("%Y-%m-%dT%H:%M:%S+07:00").to_string(),
        };
        prop_assert_eq!(parse_local_time(&text).unwrap().at, t);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Any text, and rows built from plausible and implausible cells, read without a
    /// panic; every error is located in the file.
    #[test]
    fn from_csv_never_panics(
        junk in "\\PC{0,200}",
        rows in proptest::collection::vec(
            (
                prop_oneof![Just("2030-01-01".to_owned()), Just("2030-01-05".to_owned()), "[0-9-]{0,12}"],
                prop_oneof![Just("holiday".to_owned()), Just("makeup_working_day".to_owned()), "\\PC{0,8}"],
                "\\PC{0,6}",
                prop_oneof![Just("derived".to_owned()), "\\PC{0,6}"],
            ),
            0..8,
        ),
    ) {
        let _ = WorkingCalendar::from_csv(&junk, "junk.csv");
        let mut text = String::from("date,kind,name_vi,name_en,source,status\n");
        for (date, kind, name, status) in &rows {
            let q = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
            text.push_str(&format!("{},{},{},{},s,{}\n", q(date), q(kind), q(name), q(name), q(status)));
        }
        match WorkingCalendar::from_csv(&text, "rows.csv") {
            Ok(c) => prop_assert!(c.years().count() >= 1),
            Err(errs) => {
                prop_assert!(!errs.is_empty());
                prop_assert!(errs.0.iter().all(|e| e.file.as_deref() == Some("rows.csv")));
            }
        }
    }
}
