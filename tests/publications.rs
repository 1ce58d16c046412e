//! TTHC publication deadlines (`chiso::records::publications`): hand-worked cases read
//! against the shipped table `data/calendar/vn_civil_service_calendar_2018_2026.csv` (the
//! working is in the comments), the portal's 1.1 and 1.2, ratios per period, messages
//! (insta snapshots, vi and en) and properties (proptest).
//!
//! The 2026 days off used below, from the shipped table: Thu 1/1 (holiday), Fri 2/1
//! (swapped day off), Sat 10/1 (make-up working day); Mon 16 – Fri 20/2 (Tết Bính Ngọ);
//! Mon 27/4 (compensatory day off for Giỗ Tổ on Sun 26/4); Thu 30/4 and Fri 1/5
//! (holidays). Weekdays: 1/1/2026 is a Thursday, 1/2 a Sunday, 1/3 a Sunday, 1/4 a
//! Wednesday, 1/5 a Friday, 1/6 a Monday, 1/7 a Wednesday.

mod common;
#[path = "publications/feed.rs"]
mod feed;

use chiso::calendar::{NaiveDate, WorkingCalendar};
use chiso::diagnostics::Location;
use chiso::records::publications::{
    check, check_file, summarise, FirstDay, Judged, Kind, Options, Timeliness,
};
use chiso::records::{By, Period, RecordFormat};
use chiso::{Decimal, Lang, Value};
use proptest::prelude::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn cal() -> &'static WorkingCalendar {
    WorkingCalendar::vietnam()
}

const HEADER: &str =
    "SoQuyetDinhBo,NgayQuyetDinhBo,SoQuyetDinhTinh,NgayQuyetDinhTinh,LoaiQuyetDinh";

/// One row: ministry decision date, provincial decision date ("" = not issued), kind.
fn one(ministry: &str, provincial: &str, kind: &str, options: &Options) -> Judged {
    let number = if provincial.is_empty() {
        ""
    } else {
        "9/QĐ-UBND"
    };
    let csv = format!("{HEADER}\n1/QĐ-BX,{ministry},{number},{provincial},{kind}\n");
    let mut v = check(&csv, RecordFormat::Csv, "t.csv", options, cal())
        .unwrap_or_else(|e| panic!("{}", e.render(Lang::En)));
    assert_eq!(v.len(), 1);
    v.remove(0)
}

fn list(ministry: &str, provincial: &str) -> Judged {
    one(ministry, provincial, "danh mục", &Options::default())
}

fn procedure(ministry: &str, provincial: &str) -> Judged {
    one(
        ministry,
        provincial,
        "quy trình nội bộ",
        &Options::default(),
    )
}

fn fixture(name: &str) -> std::path::PathBuf {
    common::repo()
        .join("tests/fixtures/publications")
        .join(name)
}

fn fixture_options() -> Options {
    Options {
        as_of: Some(d(2026, 5, 15)),
        ..Options::default()
    }
}

// ---------------------------------------------------------------- Tết Bính Ngọ 2026

/// Ministry decision Thu 12/2/2026; the list is due 5 working days later.
/// Fri 13/2 = 1; Sat 14, Sun 15 off; Tết Mon 16 – Fri 20/2 off; Sat 21, Sun 22 off;
/// Mon 23 = 2, Tue 24 = 3, Wed 25 = 4, Thu 26/2 = 5 → due at the end of Thu 26/2.
#[test]
fn tet_list_exactly_on_the_deadline() {
    let j = list("12/02/2026", "26/02/2026");
    assert_eq!(j.due, Some(d(2026, 2, 26)));
    assert_eq!(j.elapsed, Some(5));
    assert_eq!(j.deadline_days, 5);
    assert_eq!(j.timeliness, Timeliness::OnTime);
}

/// Same ministry decision; Fri 27/2 is working day 6 → one day late.
#[test]
fn tet_list_one_day_late() {
    let j = list("12/02/2026", "27/02/2026");
    assert_eq!(j.elapsed, Some(6));
    assert_eq!(j.timeliness, Timeliness::Late { working_days: 1 });
    assert_eq!(j.timeliness.late_by(), 1);
}

/// Sat 28/2 and Sun 1/3 are off; Mon 2/3 is working day 7 → two days late (the wording of
/// the directive, verbatim).
#[test]
fn tet_list_two_days_late_in_the_words_of_the_directive() {
    let j = list("12/02/2026", "02/03/2026");
    assert_eq!(j.timeliness, Timeliness::Late { working_days: 2 });
    assert_eq!(
        j.explanation.vi,
        "Quyết định công bố danh mục TTHC số 9/QĐ-UBND ngày 02/03/2026 ban hành sau 7 ngày làm \
         việc kể từ Quyết định số 1/QĐ-BX ngày 12/02/2026 của Bộ (hạn 5 ngày làm việc, đến hết \
         ngày 26/02/2026): trễ 2 ngày làm việc"
    );
}

/// Internal procedure, 10 working days from Thu 12/2: days 1–6 as above (13/2, 23–27/2),
/// Mon 2/3 = 7, Tue 3 = 8, Wed 4 = 9, Thu 5/3 = 10 → due Thu 5/3; Fri 6/3 = 11.
#[test]
fn tet_internal_procedure() {
    let on = procedure("12/02/2026", "05/03/2026");
    assert_eq!(on.due, Some(d(2026, 3, 5)));
    assert_eq!((on.elapsed, on.timeliness), (Some(10), Timeliness::OnTime));
    let late = procedure("12/02/2026", "06/03/2026");
    assert_eq!(late.timeliness, Timeliness::Late { working_days: 1 });
}

/// A ministry decision dated during Tết (Tue 17/2, mùng 1, a day off): the count starts
/// the next day all the same — Mon 23 = 1 … Fri 27/2 = 5.
#[test]
fn ministry_decision_on_a_day_off() {
    let j = list("17/02/2026", "27/02/2026");
    assert_eq!(j.due, Some(d(2026, 2, 27)));
    assert_eq!(j.timeliness, Timeliness::OnTime);
    assert_eq!(list("17/02/2026", "02/03/2026").timeliness.late_by(), 1);
}

/// Ministry decision Fri 13/2: Mon 23 = 1 … Fri 27/2 = 5 (due). A provincial decision
/// dated Sat 28/2 — a day off right after the last day — has used no sixth working day:
/// on time under the working-day count (documented in the module); Mon 2/3 = 6 is late.
#[test]
fn provincial_decision_dated_on_the_weekend_after_the_deadline() {
    let sat = list("13/02/2026", "28/02/2026");
    assert_eq!(sat.due, Some(d(2026, 2, 27)));
    assert_eq!((sat.elapsed, sat.timeliness), (Some(5), Timeliness::OnTime));
    let mon = list("13/02/2026", "02/03/2026");
    assert_eq!(mon.timeliness, Timeliness::Late { working_days: 1 });
}

/// Counting the day of the ministry's decision (the alternative, not BLDS): Thu 12/2 = 1,
/// Fri 13/2 = 2, Mon 23 = 3, Tue 24 = 4, Wed 25/2 = 5 → due Wed 25/2; Thu 26/2 is day 6.
#[test]
fn counting_the_decision_day() {
    let o = Options {
        first_day: FirstDay::DecisionDay,
        ..Options::default()
    };
    let j = one("12/02/2026", "26/02/2026", "danh mục", &o);
    assert_eq!(j.due, Some(d(2026, 2, 25)));
    assert_eq!(
        (j.elapsed, j.timeliness),
        (Some(6), Timeliness::Late { working_days: 1 })
    );
    assert!(j
        .explanation
        .vi
        .contains("tính cả ngày ban hành quyết định của Bộ"));
    // A decision on a day off is not a first day: Tue 17/2 (Tết) → Mon 23 = 1 … Fri 27/2 = 5.
    assert_eq!(
        one("17/02/2026", "", "danh mục", &o).due,
        Some(d(2026, 2, 27))
    );
}

// ---------------------------------------------------------------- 30/4 – 1/5 2026

/// Ministry decision Fri 24/4/2026. Sat 25, Sun 26 off; Mon 27/4 off (nghỉ bù Giỗ Tổ);
/// Tue 28 = 1, Wed 29 = 2; Thu 30/4, Fri 1/5 holidays; Sat 2, Sun 3 off; Mon 4/5 = 3,
/// Tue 5 = 4, Wed 6/5 = 5 → due Wed 6/5; Thu 7/5 = 6.
///
/// A deadline on a day off: counted Monday to Friday only, the fifth day would be Fri 1/5
/// (27, 28, 29, 30/4, 1/5), a holiday; counting the working days of the calendar moves it
/// past the days off to a working day — the rule of BLDS 2015 Điều 148 is built in.
#[test]
fn may_2026_deadline_past_the_days_off() {
    let weekdays_only = {
        let (mut day, mut n) = (d(2026, 4, 24), 0);
        while n < 5 {
            day = day.succ_opt().unwrap();
            if !matches!(
                chrono::Datelike::weekday(&day),
                chrono::Weekday::Sat | chrono::Weekday::Sun
            ) {
                n += 1;
            }
        }
        day
    };
    assert_eq!(weekdays_only, d(2026, 5, 1));
    assert_eq!(cal().is_working_day(weekdays_only), Ok(false));
    let on = list("24/04/2026", "06/05/2026");
    assert_eq!(on.due, Some(d(2026, 5, 6)));
    assert_eq!(cal().is_working_day(d(2026, 5, 6)), Ok(true));
    assert_eq!(on.timeliness, Timeliness::OnTime);
    assert_eq!(
        list("24/04/2026", "07/05/2026").timeliness,
        Timeliness::Late { working_days: 1 }
    );
    // Dated on the holiday 1/5 itself: two working days used (28, 29/4) → on time.
    assert_eq!(list("24/04/2026", "01/05/2026").elapsed, Some(2));
}

/// Internal procedure from Fri 24/4: 28/4 = 1, 29 = 2, 4/5 = 3, 5 = 4, 6 = 5, 7 = 6,
/// Fri 8 = 7, Mon 11 = 8, Tue 12 = 9, Wed 13/5 = 10 → due 13/5; Thu 14 = 11, Fri 15/5 = 12.
#[test]
fn may_2026_internal_procedure_two_days_late() {
    let j = procedure("24/04/2026", "15/05/2026");
    assert_eq!(j.due, Some(d(2026, 5, 13)));
    assert_eq!(j.timeliness, Timeliness::Late { working_days: 2 });
}

/// New Year 2026 and the make-up Saturday: ministry decision Mon 5/1; Tue 6 = 1, Wed 7 = 2,
/// Thu 8 = 3, Fri 9 = 4, Sat 10/1 (làm bù) = 5 → due Sat 10/1; Mon 12/1 is late by 1.
#[test]
fn make_up_saturday_is_a_working_day() {
    let j = list("05/01/2026", "12/01/2026");
    assert_eq!(j.due, Some(d(2026, 1, 10)));
    assert_eq!(j.timeliness, Timeliness::Late { working_days: 1 });
}

// ---------------------------------------------------------------- not yet issued

/// Ministry decision Tue 5/5/2026: Wed 6 = 1, Thu 7 = 2, Fri 8 = 3, Mon 11 = 4, Tue 12/5 = 5
/// (due). As of Fri 15/5: Wed 13 = 6, Thu 14 = 7, Fri 15 = 8 → overdue by 3; as of
/// 12/5: still within; without a date: due date only.
#[test]
fn not_issued_yet() {
    let at = |as_of| Options {
        as_of,
        ..Options::default()
    };
    let j = one("05/05/2026", "", "danh mục", &at(Some(d(2026, 5, 15))));
    assert_eq!(j.due, Some(d(2026, 5, 12)));
    assert_eq!(
        j.timeliness,
        Timeliness::NotIssued {
            overdue_working_days: Some(3)
        }
    );
    assert!(j
        .explanation
        .vi
        .ends_with("tính đến ngày 15/05/2026: quá hạn 3 ngày làm việc"));
    let within = one("05/05/2026", "", "danh mục", &at(Some(d(2026, 5, 12))));
    assert_eq!(
        within.timeliness,
        Timeliness::NotIssued {
            overdue_working_days: Some(0)
        }
    );
    let unknown = one("05/05/2026", "", "danh mục", &at(None));
    assert_eq!(
        unknown.timeliness,
        Timeliness::NotIssued {
            overdue_working_days: None
        }
    );
}

/// At the end of the table: Mon 28/12/2026, decision on Wed 30/12 (Tue 29 = 1, Wed 30 = 2)
/// is on time although the fifth working day lies in 2027 (not in the table: not shown).
#[test]
fn on_time_near_the_end_of_the_calendar() {
    let j = list("28/12/2026", "30/12/2026");
    assert_eq!((j.due, j.timeliness), (None, Timeliness::OnTime));
    assert!(!j.explanation.vi.contains("đến hết ngày"));
}

// ---------------------------------------------------------------- the fixture

fn fixture_judged() -> Vec<Judged> {
    check_file(&fixture("tet-and-may-2026.csv"), &fixture_options(), cal())
        .unwrap_or_else(|e| panic!("{}", e.render(Lang::En)))
}

/// Every row of the fixture, worked out by hand (CSV row = line; header = row 1).
#[test]
fn fixture_outcomes() {
    let got: Vec<(u64, Kind, i64, Option<NaiveDate>)> = fixture_judged()
        .iter()
        .map(|j| {
            (
                j.publication.row,
                j.publication.kind,
                j.timeliness.late_by(),
                j.due,
            )
        })
        .collect();
    use Kind::*;
    let want = [
        (2, List, 0, Some(d(2026, 2, 26))),              // 26/2 = day 5
        (3, List, 1, Some(d(2026, 2, 26))),              // 27/2 = day 6
        (4, List, 2, Some(d(2026, 2, 26))),              // 2/3 = day 7
        (5, InternalProcedure, 0, Some(d(2026, 3, 5))),  // 5/3 = day 10
        (6, InternalProcedure, 1, Some(d(2026, 3, 5))),  // 6/3 = day 11
        (7, List, 0, Some(d(2026, 5, 6))),               // 6/5 = day 5
        (8, List, 1, Some(d(2026, 5, 6))),               // 7/5 = day 6
        (9, InternalProcedure, 2, Some(d(2026, 5, 13))), // 15/5 = day 12
        (10, List, 3, Some(d(2026, 5, 12))),             // not issued; as of 15/5: day 8
    ];
    assert_eq!(got, want);
}

/// The portal's 1.1 and 1.2 on the list rows of the fixture.
///
/// - Row 2 (QĐCB Thu 26/2): effective Tue 10/3 → 5 working days before: Mon 9/3, Fri 6,
///   Thu 5, Wed 4, Tue 3/3 → limit 3/3, on time. Công khai Thu 5/3: Fri 27/2, Mon 2, Tue 3,
///   Wed 4, Thu 5/3 = 5 working days → on time, exactly on the limit.
/// - Row 3 (QĐCB Fri 27/2): effective Thu 5/3 → Wed 4, Tue 3, Mon 2/3, Fri 27, Thu 26/2 →
///   limit 26/2; 27/2 is one working day later → late 1. Công khai Fri 6/3: Mon 2 … Fri 6/3
///   = 5 → on time.
/// - Row 7 (QĐCB Wed 6/5): effective Fri 8/5 → Thu 7, Wed 6, Tue 5, Mon 4/5, (1/5, 30/4
///   off) Wed 29/4 → limit 29/4; 4/5, 5/5, 6/5 → late 3. Công khai Thu 14/5: Thu 7, Fri 8,
///   Mon 11, Tue 12, Wed 13, Thu 14 = 6 → late 1.
/// - Row 8 (QĐCB Thu 7/5): effective Wed 1/7 → Tue 30/6, Mon 29, Fri 26, Thu 25, Wed 24/6 →
///   limit 24/6 → on time.
#[test]
fn fixture_portal_checks() {
    let judged = fixture_judged();
    let by_row = |r: u64| judged.iter().find(|j| j.publication.row == r).unwrap();
    let one_one = |r: u64| by_row(r).portal_1_1.as_ref().map(|c| (c.limit, c.late_by));
    let one_two = |r: u64| by_row(r).portal_1_2.as_ref().map(|c| (c.limit, c.late_by));
    assert_eq!(one_one(2), Some((Some(d(2026, 3, 3)), 0)));
    assert_eq!(one_two(2), Some((Some(d(2026, 3, 5)), 0)));
    assert_eq!(one_one(3), Some((Some(d(2026, 2, 26)), 1)));
    assert_eq!(one_two(3), Some((Some(d(2026, 3, 6)), 0)));
    assert_eq!(one_one(7), Some((Some(d(2026, 4, 29)), 3)));
    assert_eq!(one_two(7), Some((Some(d(2026, 5, 13)), 1)));
    assert_eq!(one_one(8), Some((Some(d(2026, 6, 24)), 0)));
    assert_eq!(one_two(8), None);
    assert_eq!(one_one(4), None); // no effective date
    assert_eq!(one_one(5), None); // internal procedure
}

/// Ratios per quarter over 2026-01..2026-06 (a decision in the quarter of its provincial
/// date):
/// - Q1: list rows 2 (on time), 3, 4 (late) → 1/3; internal procedure rows 5 (on time),
///   6 (late) → 1/2. 1.1 per TTHC: 1.000001 (row 2, on time), 1.000002 (rows 2 and 3: late
///   once → late), 1.000003 (row 3, late) → 1/3. 1.2: all three on time → 3/3.
/// - Q2: list rows 7 (on time), 8 (late) → 1/2; internal procedure row 9 (late) → 0/1.
///   1.1: row 7 without codes (late, counted as one item) and 2.000001 (row 8, on time)
///   → 1/2 with one decision without codes; 1.2: row 7 late → 0/1.
/// - Row 10 is not issued (overdue as of 15/5): outside every ratio.
#[test]
fn fixture_ratios_per_quarter() {
    let s = summarise(
        &fixture_judged(),
        &"2026-01..2026-06".parse::<Period>().unwrap(),
        By::Quarter,
    );
    assert_eq!(s.periods.len(), 2);
    let (q1, q2) = (&s.periods[0], &s.periods[1]);
    assert_eq!(q1.label, "2026-Q1");
    let pair = |c: &chiso::records::publications::OnTimeCount| (c.on_time, c.total);
    assert_eq!(pair(&q1.list), (1, 3));
    assert_eq!(pair(&q1.internal_procedure), (1, 2));
    assert_eq!(pair(&q1.portal_1_1.count), (1, 3));
    assert_eq!(q1.portal_1_1.decisions_without_codes, 0);
    assert_eq!(pair(&q1.portal_1_2.count), (3, 3));
    assert_eq!(pair(&q2.list), (1, 2));
    assert_eq!(pair(&q2.internal_procedure), (0, 1));
    assert_eq!(pair(&q2.portal_1_1.count), (1, 2));
    assert_eq!(q2.portal_1_1.decisions_without_codes, 1);
    assert_eq!(pair(&q2.portal_1_2.count), (0, 1));
    assert_eq!(s.outside_period, 0);
    let list_pending = s.not_issued.iter().find(|n| n.kind == Kind::List).unwrap();
    assert_eq!((list_pending.count, list_pending.overdue), (1, 1));
    assert_eq!(
        q1.list.value(),
        Value::Ratio {
            numerator: Decimal::from(1),
            denominator: Decimal::from(3)
        }
    );
    // Only Q1 asked for: the Q2 decisions are outside the period.
    let q1_only = summarise(
        &fixture_judged(),
        &"2026-Q1".parse::<Period>().unwrap(),
        By::Whole,
    );
    assert_eq!(q1_only.outside_period, 3);
}

/// The JSON-lines twin (dates written YYYY-MM-DD, codes as lists) gives the same result.
#[test]
fn json_lines_twin_agrees() {
    let csv = fixture_judged();
    let json = check_file(
        &fixture("tet-and-may-2026.jsonl"),
        &fixture_options(),
        cal(),
    )
    .unwrap_or_else(|e| panic!("{}", e.render(Lang::En)));
    assert_eq!(csv.len(), json.len());
    for (a, b) in csv.iter().zip(&json) {
        // CSV rows start at 2 (header = row 1), JSON lines at 1.
        assert_eq!(a.publication.row, b.publication.row + 1);
        let mut b = b.clone();
        b.publication.row = a.publication.row;
        assert_eq!(a, &b);
    }
}

/// Headers without diacritics, another order, `;` as the separator, ISO and compact dates.
#[test]
fn headers_in_any_form_and_order() {
    let text = "loai_quyet_dinh;ngay_qd_cua_tinh;so qd cua tinh;NGAY QD CUA BO;So QD cua Bo\n\
                QTNB;20260305;204/QĐ-UBND;2026-02-12;101/QĐ-BX\n";
    let j = check(text, RecordFormat::Csv, "x.csv", &Options::default(), cal()).unwrap();
    assert_eq!(j[0].publication.kind, Kind::InternalProcedure);
    assert_eq!(j[0].timeliness, Timeliness::OnTime);
    assert_eq!(
        j[0].publication.provincial.as_ref().unwrap().date,
        d(2026, 3, 5)
    );
}

/// The JSON a program reads (`chiso records --publications … --format json`): ISO dates,
/// a tagged status, both explanations.
#[test]
fn judged_as_json() {
    let j = list("12/02/2026", "02/03/2026");
    let v = serde_json::to_value(&j).unwrap();
    assert_eq!(
        v["timeliness"],
        serde_json::json!({"status": "late", "working_days": 2})
    );
    assert_eq!(v["due"], "2026-02-26");
    assert_eq!(v["elapsed"], 7);
    assert_eq!(v["publication"]["kind"], "list");
    assert_eq!(v["publication"]["ministry"]["date"], "2026-02-12");
    assert_eq!(v["publication"]["provincial"]["number"], "9/QĐ-UBND");
    assert!(v["explanation"]["en"]
        .as_str()
        .unwrap()
        .ends_with("late by 2 working days"));
    let pending = one("05/05/2026", "", "danh mục", &Options::default());
    let v = serde_json::to_value(&pending).unwrap();
    assert_eq!(
        v["timeliness"],
        serde_json::json!({"status": "not_issued", "overdue_working_days": null})
    );
    assert_eq!(v["publication"]["provincial"], serde_json::Value::Null);
}

/// The column table documents every column once, required ones marked.
#[test]
fn column_table() {
    let t = chiso::records::publications::column_table_markdown();
    assert_eq!(
        t.lines().count(),
        2 + chiso::records::publications::COLUMN_COUNT
    );
    assert_eq!(t.matches("| yes |").count(), 3); // SoQuyetDinhBo, NgayQuyetDinhBo, LoaiQuyetDinh
}

// ---------------------------------------------------------------- snapshots

fn explanations(lang: Lang) -> String {
    let judged = fixture_judged();
    let mut out = Vec::new();
    for j in &judged {
        out.push(format!(
            "row {}: {}",
            j.publication.row,
            j.explanation.get(lang)
        ));
        for c in [&j.portal_1_1, &j.portal_1_2].into_iter().flatten() {
            out.push(format!(
                "row {}: {}",
                j.publication.row,
                c.explanation.get(lang)
            ));
        }
    }
    let s = summarise(
        &judged,
        &"2026-01..2026-06".parse::<Period>().unwrap(),
        By::Quarter,
    );
    for p in &s.periods {
        out.push(p.explanation().get(lang).to_owned());
    }
    out.join("\n")
}

#[test]
fn explanations_vi() {
    insta::assert_snapshot!("explanations_vi", explanations(Lang::Vi));
}

#[test]
fn explanations_en() {
    insta::assert_snapshot!("explanations_en", explanations(Lang::En));
}

fn bad_rows() -> chiso::Diagnostics {
    let text = std::fs::read_to_string(fixture("bad-rows.csv")).unwrap();
    let file = "tests/fixtures/publications/bad-rows.csv"; // relative: snapshots stay portable
    check(&text, RecordFormat::Csv, file, &Options::default(), cal()).unwrap_err()
}

/// Every bad row of `bad-rows.csv`, all at once, each named by row, column and
/// `SoQuyetDinhBo`: provincial date before the ministry's (row 2), empty ministry number
/// (3), no such date 30/02 (4), unknown kind (5), a number without a date (6), an
/// effective date on an internal procedure (7), "công khai" before the decision (8), a
/// duplicate of (307/QĐ-BX, list) written in lower case (9, naming row 8), one ministry
/// decision with two dates (11, naming row 10), the year 2031 outside the calendar (12),
/// a deadline running into 2027 for a decision not yet issued (13). Row 14 is good.
#[test]
fn bad_rows_all_at_once() {
    let e = bad_rows();
    // Structured locations: the row (a duplicate names both rows; the later one here).
    let rows: Vec<u64> =
        e.0.iter()
            .map(|d| match &d.location {
                Some(Location::Row { row, and_row, .. }) => and_row.unwrap_or(*row),
                other => panic!("{other:?}"),
            })
            .collect();
    assert_eq!(rows, [2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13]);
    assert!(e.0[7]
        .path
        .starts_with("rows 8 and 9, column \"SoQuyetDinhBo\""));
    assert!(e.0[7]
        .message(Lang::Vi)
        .contains("lỗi tại dòng 8 và 9, cột \"SoQuyetDinhBo\""));
    let text = e.render(Lang::En);
    assert!(text.contains("[publications_provincial_before_ministry]"));
    assert!(text.contains("The year 2031 is not in the working calendar"));
    assert!(text.contains("The year 2027 is not in the working calendar"));
    assert!(e.0.iter().all(|d| d
        .file
        .as_deref()
        .is_some_and(|f| f.ends_with("bad-rows.csv"))));
}

#[test]
fn bad_rows_vi() {
    insta::assert_snapshot!("bad_rows_vi", bad_rows().render(Lang::Vi));
}

#[test]
fn bad_rows_en() {
    insta::assert_snapshot!("bad_rows_en", bad_rows().render(Lang::En));
}

/// Header problems stop the reading: an unknown column, two headers for one column, a
/// required column missing.
#[test]
fn bad_header() {
    let text = "SoQuyetDinhBo,NgayQD,Loai,So QĐ Bộ\n1/QĐ-BX,12/02/2026,danh mục,1/QĐ-BX\n";
    let e = check(text, RecordFormat::Csv, "h.csv", &Options::default(), cal()).unwrap_err();
    assert_eq!(e.len(), 3);
    insta::assert_snapshot!(
        "bad_header",
        format!("{}\n---\n{}", e.render(Lang::Vi), e.render(Lang::En))
    );
}

/// JSON lines: a line that is not an object, a key given twice, a value of the wrong type.
#[test]
fn bad_json_lines() {
    let text = "{\"SoQuyetDinhBo\": \"1/QĐ-BX\", \"NgayQuyetDinhBo\": \"2026-02-12\", \"LoaiQuyetDinh\": \"list\"}\n\
                [1, 2]\n\
                {\"SoQuyetDinhBo\": \"2/QĐ-BX\", \"So QĐ của Bộ\": \"3/QĐ-BX\", \"NgayQuyetDinhBo\": \"2026-02-12\", \"LoaiQuyetDinh\": \"list\"}\n\
                {\"SoQuyetDinhBo\": \"4/QĐ-BX\", \"NgayQuyetDinhBo\": true, \"LoaiQuyetDinh\": \"list\"}\n";
    let e = check(
        text,
        RecordFormat::JsonLines,
        "p.jsonl",
        &Options::default(),
        cal(),
    )
    .unwrap_err();
    let rows: Vec<&str> =
        e.0.iter()
            .map(|d| d.path.split(',').next().unwrap())
            .collect();
    assert_eq!(rows, ["row 2", "row 3", "row 4"]);
    insta::assert_snapshot!(
        "bad_json_lines",
        format!("{}\n---\n{}", e.render(Lang::Vi), e.render(Lang::En))
    );
}

/// The list is bounded: 1,500 bad rows → 1,000 listed, then "… and 500 more".
#[test]
fn problems_are_bounded() {
    let mut text = format!("{HEADER}\n");
    for i in 0..1500 {
        text.push_str(&format!("{i}/QĐ-BX,12/02/2026,,,công văn\n"));
    }
    let e = check(
        &text,
        RecordFormat::Csv,
        "many.csv",
        &Options::default(),
        cal(),
    )
    .unwrap_err();
    assert_eq!(e.len(), 1001);
    assert!(e.0[1000]
        .message(Lang::En)
        .contains("… and 500 more problems (1500 in all)"));
    assert!(e.0[1000]
        .message(Lang::Vi)
        .contains("… và 500 lỗi khác (tổng cộng 1500)"));
}

/// A file that cannot be opened is one located `io` problem, not a panic.
#[test]
fn missing_file() {
    let e = check_file(&fixture("no-such-file.csv"), &Options::default(), cal()).unwrap_err();
    assert_eq!(e.len(), 1);
    assert!(matches!(e.0[0].problem, chiso::Problem::Io { .. }));
    assert!(e.0[0]
        .file
        .as_deref()
        .unwrap()
        .ends_with("no-such-file.csv"));
}

/// Options out of range and an "as of" date outside the calendar are errors too.
#[test]
fn bad_options() {
    let o = Options {
        list_days: 0,
        as_of: Some(d(2030, 1, 2)),
        ..Options::default()
    };
    let e = check(
        &format!("{HEADER}\n"),
        RecordFormat::Csv,
        "o.csv",
        &o,
        cal(),
    )
    .unwrap_err();
    let paths: Vec<&str> = e.0.iter().map(|d| d.path.as_str()).collect();
    assert_eq!(paths, ["options.list_days", "options.as_of"]);
    assert!(e.render(Lang::En).contains("[publications_bad_options]"));
    assert!(e.render(Lang::En).contains("The year 2030"));
}

/// The shipped synthetic sample, by quarter over 2026-01..2026-09:
/// - Q1: list Mon 5/1 → Fri 9/1 (Tue 6 … Fri 9 = 4 days, on time), Thu 12/2 → Mon 2/3 (7,
///   late 2); internal procedure 5/1 → Tue 20/1 (Tue 6, 7, 8, 9, Sat 10/1 làm bù, Mon 12 …
///   Fri 16 = 10, Mon 19 = 11, Tue 20 = 12 → late 2), 12/2 → 5/3 (10, on time): 1/2, 1/2.
///   1.1: effective Sun 1/3 → limit Mon 23/2 (Fri 27, 26, 25, 24, Mon 23/2), 9/1 on time;
///   effective Sun 15/3 → limit Mon 9/3, 2/3 on time: 3 TTHC, 3/3. 1.2: 9/1 → Wed 14/1
///   (Sat 10, Mon 12, 13, 14 = 4) on time for 1.001001 and 1.001002; 2/3 → Tue 10/3 (3, 4,
///   5, 6, 9, 10 = 6) late for 1.001003: 2/3.
/// - Q2: list 24/4 → 6/5 (5, on time) 1/1; procedure 24/4 → 15/5 (12, late 2) 0/1; 1.1
///   limit 24/6 → on time, 2/2; 1.2 6/5 → 13/5 (7, 8, 11, 12, 13 = 5) on time, 2/2.
/// - Q3: list Tue 18/8 → Mon 24/8 (Wed 19, Thu 20, Fri 21, Sat 22/8 làm bù, Mon 24 = 5, on
///   time), Thu 27/8 → Wed 9/9 (Fri 28/8 = 1; Mon 31/8, Tue 1/9, Wed 2/9 off; Thu 3 = 2,
///   Fri 4 = 3, Mon 7 = 4, Tue 8 = 5, Wed 9 = 6: late 1): 1/2; procedure 27/8 → Fri 11/9 (8/9
///   = 5, 9 = 6, 10 = 7, 11 = 8, on time) 1/1.
/// - Not issued: the internal procedure of 14/QĐ-BX (due: 19, 20, 21, 22, 24, 25, 26, 27,
///   28/8, Thu 3/9 = 10).
#[test]
fn the_shipped_example() {
    let path = common::repo().join("examples-data/publications-sample.csv");
    let judged = check_file(&path, &Options::default(), cal())
        .unwrap_or_else(|e| panic!("{}", e.render(Lang::En)));
    let late: Vec<i64> = judged.iter().map(|j| j.timeliness.late_by()).collect();
    assert_eq!(late, [0, 2, 2, 0, 0, 2, 0, 1, 0, 0]);
    assert_eq!(judged[9].due, Some(d(2026, 9, 3)));
    let s = summarise(
        &judged,
        &"2026-01..2026-09".parse::<Period>().unwrap(),
        By::Quarter,
    );
    let counts: Vec<[(u64, u64); 4]> = s
        .periods
        .iter()
        .map(|p| {
            [
                &p.list,
                &p.internal_procedure,
                &p.portal_1_1.count,
                &p.portal_1_2.count,
            ]
            .map(|c| (c.on_time, c.total))
        })
        .collect();
    assert_eq!(
        counts,
        [
            [(1, 2), (1, 2), (3, 3), (2, 3)],
            [(1, 1), (0, 1), (2, 2), (2, 2)],
            [(1, 2), (1, 1), (0, 0), (0, 0)],
        ]
    );
    let pending = s
        .not_issued
        .iter()
        .find(|n| n.kind == Kind::InternalProcedure)
        .unwrap();
    assert_eq!(pending.count, 1);
}

// ---------------------------------------------------------------- properties

/// Working days in (from, to], walked day by day (independent of the calendar's running
/// counts).
fn walk(from: NaiveDate, to: NaiveDate) -> i64 {
    let (mut day, mut n) = (from, 0);
    while day < to {
        day = day.succ_opt().unwrap();
        n += i64::from(cal().is_working_day(day).unwrap());
    }
    n
}

fn date_in_table() -> impl Strategy<Value = NaiveDate> {
    // 2018-01-01 … 2026-10-31: every deadline of ≤ 10 working days stays in the table.
    (0i64..3225).prop_map(|k| d(2018, 1, 1) + chrono::Days::new(k as u64))
}

fn iso(x: NaiveDate) -> String {
    x.format("%Y-%m-%d").to_string()
}

/// Lines the never-panics property strings together.
const PIECES: &[&str] = &[
    HEADER,
    "SoQuyetDinhBo;NgayQuyetDinhBo;LoaiQuyetDinh",
    "1/QĐ-BX,12/02/2026,2/QĐ,26/02/2026,danh mục",
    "1/QĐ-BX,12/02/2026,,,quy trình",
    ",,,,",
    "\"unterminated",
    "{\"SoQuyetDinhBo\": 1}",
    "x,31/12/2026,y,01/01/2027,list",
    "1/QĐ-BX,01/01/1900,2,02/01/1900,list",
    "a,b,c",
    "{\"LoaiQuyetDinh\": [\"list\"], \"NgayQuyetDinhBo\": {}}",
    "",
    "\u{feff}",
    "ç,é,ü\t;;",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Late by N ⇔ working_days_between − deadline = N (> 0); on time ⇔ ≤ 0; the elapsed
    /// count equals a day-by-day walk.
    #[test]
    fn late_by_is_elapsed_minus_deadline(m in date_in_table(), gap in 0u64..60, procedure in any::<bool>()) {
        let p = m + chrono::Days::new(gap);
        prop_assume!(p <= d(2026, 12, 31));
        let kind = if procedure { "quy trình" } else { "danh mục" };
        let n = if procedure { 10 } else { 5 };
        let j = one(&iso(m), &iso(p), kind, &Options::default());
        let between = cal().working_days_between(m, p).unwrap();
        prop_assert_eq!(between, walk(m, p));
        prop_assert_eq!(j.elapsed, Some(between));
        match j.timeliness {
            Timeliness::Late { working_days } => prop_assert_eq!(between - n, working_days),
            Timeliness::OnTime => prop_assert!(between - n <= 0),
            Timeliness::NotIssued { .. } => prop_assert!(false, "issued"),
        }
    }

    /// Moving the provincial decision later never turns late into on time, and never
    /// lowers the working days late.
    #[test]
    fn later_is_never_better(m in date_in_table(), a in 0u64..40, b in 0u64..40) {
        let (p1, p2) = (m + chrono::Days::new(a.min(b)), m + chrono::Days::new(a.max(b)));
        let j1 = list(&iso(m), &iso(p1));
        let j2 = list(&iso(m), &iso(p2));
        prop_assert!(j1.timeliness.late_by() <= j2.timeliness.late_by());
        if j1.timeliness != Timeliness::OnTime {
            prop_assert!(j2.timeliness != Timeliness::OnTime);
        }
    }

    /// The due date is a working day n working days after the ministry's decision; a
    /// decision on it is on time, on the next working day late by exactly 1 — under both
    /// first-day conventions.
    #[test]
    fn due_is_the_last_working_day(m in date_in_table(), decision_day in any::<bool>(), procedure in any::<bool>()) {
        let o = Options {
            first_day: if decision_day { FirstDay::DecisionDay } else { FirstDay::DayAfter },
            ..Options::default()
        };
        let kind = if procedure { "quy trình" } else { "danh mục" };
        let n = if procedure { 10 } else { 5 };
        let pending = one(&iso(m), "", kind, &o);
        let due = pending.due.unwrap();
        prop_assert!(cal().is_working_day(due).unwrap());
        let first = i64::from(decision_day && cal().is_working_day(m).unwrap());
        prop_assert_eq!(walk(m, due) + first, n);
        prop_assert_eq!(one(&iso(m), &iso(due), kind, &o).timeliness, Timeliness::OnTime);
        let next = cal().add_working_days(due, 1).unwrap();
        prop_assert_eq!(one(&iso(m), &iso(next), kind, &o).timeliness, Timeliness::Late { working_days: 1 });
    }

    /// Any text, CSV or JSON lines: an answer, never a panic.
    #[test]
    fn never_panics(lines in proptest::collection::vec(
        proptest::sample::select(PIECES), 0..12)) {
        let text = lines.join("\n");
        for format in [RecordFormat::Csv, RecordFormat::JsonLines] {
            let _ = check(&text, format, "p", &Options::default(), cal());
        }
    }
}
