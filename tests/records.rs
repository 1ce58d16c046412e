//! Dossier records → QĐ 766 indicators (`chiso::records`): hand-worked files, every
//! policy variant, the unit tree, every class of bad input, CSV = JSON lines, and
//! properties (row order, numerator ≤ denominator, monotonicity of 2.1).
//!
//! The working calendar is the shipped 2026 table: Tết Bính Ngọ Mon 16 – Fri 20/02/2026
//! are days off; working hours 07:00–11:30 and 13:30–17:00 (8 h a day).
#![allow(clippy::unwrap_used)]

mod common;

use chiso::records::{
    analyse, details, Comparison, CostModel, EndEvent, FinishedAfterPeriod, Indicator, MissingDue,
    OpenAtEnd, Options, Outcome, Policies, RecordFormat, RepeatedSupplements, Report, Supplements,
    Withdrawn,
};
use chiso::{Decimal, Index, Lang};
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    common::repo().join("tests/fixtures/records").join(name)
}

fn read(name: &str) -> String {
    std::fs::read_to_string(fixture(name)).unwrap()
}

fn six_groups() -> Index {
    Index::from_file(&common::repo().join("criteria/service-766/qd766-portal-six-groups.json"))
        .unwrap()
}

fn options(format: RecordFormat, period: &str) -> Options {
    Options::new(format, "dossiers", period.parse().unwrap())
}

fn run_text(text: &str, opts: &Options) -> Result<Report, chiso::Diagnostics> {
    analyse(&mut || Ok(text.as_bytes()), opts)
}

fn run(name: &str, period: &str, policies: Policies) -> Report {
    let text = read(name);
    let mut o = options(RecordFormat::from_path(&fixture(name)), period);
    o.policies = policies;
    run_text(&text, &o).unwrap_or_else(|d| panic!("{}", d.render(Lang::En)))
}

fn frac(r: &Report, unit: &str, i: Indicator) -> Option<(u64, u64)> {
    r.fraction(r.units.id(unit).unwrap(), 0, i)
}

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

// ---------------------------------------------------------------------------------
// tet-2026.csv, period 2026-02 (evaluation at 01/03/2026 00:00). Worked by hand:
//
// Unit X01.1 (Sở Thử nghiệm A):
// D01 received Fri 13/02 16:30, no NgayHenTra, TTHC 3 ngày làm việc → due = the same
//     time on the 3rd working day after 13/02 skipping Tết (16–20/02) and the weekends:
//     Mon 23, Tue 24, Wed 25/02 → Wed 25/02 16:30. Finished Thu 26/02 09:00 → late by
//     30 min (Wed 16:30–17:00) + 2 h (Thu 07:00–09:00) = 150 working minutes.
// D02 due Wed 04/02 08:00, finished Tue 03/02 15:00 → early.
// D03 due Thu 05/02 17:00, finished Thu 05/02 16:00 → on time (same day).
// D04 due Fri 06/02 10:00; supplement requested Thu 05/02 10:00, received Mon 09/02
//     10:00: the citizen's time is Thu 90 + 210 min, Fri 480, Mon 180 = 960 working
//     minutes (16 h); due + 16 h = Fri 10:00 +300 min (to 17:00), Mon +480, Tue 07:00
//     +180 → Tue 10/02 10:00. Finished Mon 09/02 16:00 → early.
// D05 two supplement requests → overdue by default (formula document) → late.
// D06 withdrawn (status 7), due Thu 12/02 08:00, ended Fri 13/02 08:00 → late by 8 h
//     (judged by its end, the default).
// D10 received in January → outside the period.
//     2.1 = {D02, D03, D04} = 3/6.
//
// Unit X01.2 (UBND xã Thử nghiệm B):
// D07 open, due Fri 27/02 16:00 < 01/03 00:00 → open overdue.
// D08 open, due Wed 04/03 09:00 → open, not yet due.
// D09 status 1 (Mới đăng ký) → never received, not counted.
// D11 due Mon 02/03 10:00, finished Tue 03/03 (after the period) → open at the period's
//     end, not yet due (default "finished = end event in the period").
// D12 due Tue 24/02 10:00, finished Tue 24/02 15:00 → late by 90 + 90 = 180 minutes.
// D13 status 5, due Thu 26/02 08:00, supplement requested Fri 27/02 09:00 and not yet
//     received → judged at the request time: late by Thu 420 + Fri 120 = 540 minutes.
//     2.1 = {D08, D11} = 2/5.
// ---------------------------------------------------------------------------------

#[test]
fn tet_2026_on_time_hand_worked() {
    let r = run("tet-2026.csv", "2026-02", Policies::default());
    assert_eq!(frac(&r, "X01.1", Indicator::OnTime), Some((3, 6)));
    assert_eq!(frac(&r, "X01.2", Indicator::OnTime), Some((2, 5)));
    // The parent X01 (no dossier of its own) sums its subtree.
    assert_eq!(frac(&r, "X01", Indicator::OnTime), Some((5, 11)));
    let c = r.counts(r.units.id("X01.1").unwrap(), 0);
    assert_eq!(
        (c.early, c.on_time, c.late, c.open_not_due, c.open_overdue),
        (2, 1, 3, 0, 0)
    );
    let c = r.counts(r.units.id("X01.2").unwrap(), 0);
    assert_eq!(
        (c.early, c.on_time, c.late, c.open_not_due, c.open_overdue),
        (0, 0, 2, 2, 1)
    );
    assert_eq!(r.stats.rows, 13);
    assert_eq!(r.stats.not_received, 1);
    assert_eq!(r.stats.outside_period, 1);
    assert_eq!(r.stats.counted, 11);
}

// Other indicators of tet-2026.csv (flags in the file):
// X01.1: synced D01 D02 D03 D05 D06 → 1.4 = 5/6; online D02 D03 D06 → 3.3 = 3/6;
//   fee > 0: D02 D03 D05, paid online D02 (1) D05 (2) → 3.6 = 2/3; result attached
//   D01–D04 → 4.1 = 4/6 (signed: D01 D03 D04 = 3/6); digitised and result D01 D02 D04 →
//   4.2 = 3/6; 5.4: not overdue (D02 D03 D04) and no PAKN (D03 has one) → 2/6.
// X01.2: 1.4 = 4/5 (D12 not synced); online D07 D08 D13 → 3/5 (D12's empty channel is
//   trực tiếp); 3.6 = 1/1 (D08); 4.1 = 4.2 = {D11, D12} = 2/5; 5.4 = {D08, D11} = 2/5.
#[test]
fn tet_2026_other_indicators_hand_worked() {
    let r = run("tet-2026.csv", "2026-02", Policies::default());
    use Indicator::*;
    let x1 = [
        (DossierSync, (5, 6)),
        (OnlineSubmission, (3, 6)),
        (OnlinePayment, (2, 3)),
        (ElectronicResult, (4, 6)),
        (Digitised, (3, 6)),
        (Satisfaction, (2, 6)),
    ];
    for (i, f) in x1 {
        assert_eq!(frac(&r, "X01.1", i), Some(f), "X01.1 {}", i.code());
    }
    let x2 = [
        (DossierSync, (4, 5)),
        (OnlineSubmission, (3, 5)),
        (OnlinePayment, (1, 1)),
        (ElectronicResult, (2, 5)),
        (Digitised, (2, 5)),
        (Satisfaction, (2, 5)),
    ];
    for (i, f) in x2 {
        assert_eq!(frac(&r, "X01.2", i), Some(f), "X01.2 {}", i.code());
    }
    // Columns absent from the file: never zero, not computable.
    for i in [Reused, NationalStore, PopulationData] {
        assert_eq!(frac(&r, "X01.1", i), None, "{}", i.code());
        assert!(!r.computable(i));
    }
    let signed = run(
        "tet-2026.csv",
        "2026-02",
        Policies {
            electronic_result: chiso::records::ElectronicResult::FileAttachedAndSigned,
            ..Default::default()
        },
    );
    assert_eq!(frac(&signed, "X01.1", ElectronicResult), Some((3, 6)));
}

// Each policy variant of reference §11.3 flips exactly the dossier the reference says.
#[test]
fn policy_variants_change_the_result_as_the_reference_says() {
    let on_time =
        |p: Policies, unit: &str| frac(&run("tet-2026.csv", "2026-02", p), unit, Indicator::OnTime);
    let d = Policies::default();
    // D05, two supplement requests. PauseEach: pause 1 = Mon 09/02 14:00–17:00 (180) +
    // Tue 07:00–08:00 (60) = 240 min → due Wed 11/02 08:00 + 240 = 14:00; pause 2 = Tue
    // 14:00–17:00 (180) + Wed 07:00–09:00 (120) = 300 → Wed 14:00 + 300 = Thu 12/02
    // 09:00. Finished Wed 11/02 15:00 → early.
    assert_eq!(
        on_time(
            Policies {
                repeated_supplements: RepeatedSupplements::PauseEach,
                ..d
            },
            "X01.1"
        ),
        Some((4, 6))
    );
    // D06 withdrawn: TD counts it on time; OpenCPS counts it apart.
    assert_eq!(
        on_time(
            Policies {
                withdrawn: Withdrawn::OnTime,
                ..d
            },
            "X01.1"
        ),
        Some((4, 6))
    );
    assert_eq!(
        on_time(
            Policies {
                withdrawn: Withdrawn::Excluded,
                ..d
            },
            "X01.1"
        ),
        Some((3, 5))
    );
    // D01 has no NgayHenTra: TD counts it on time.
    assert_eq!(
        on_time(
            Policies {
                missing_due: MissingDue::OnTime,
                ..d
            },
            "X01.1"
        ),
        Some((4, 6))
    );
    // OpenCPS: NgayTra ends a dossier. D03 returned Fri 06/02 08:00 > due Thu 05/02 17:00.
    assert_eq!(
        on_time(
            Policies {
                end_event: EndEvent::ResultReturned,
                ..d
            },
            "X01.1"
        ),
        Some((2, 6))
    );
    // D12 finished 15:00 on its due date (due 10:00): TD compares calendar dates.
    assert_eq!(
        on_time(
            Policies {
                comparison: Comparison::CalendarDate,
                ..d
            },
            "X01.2"
        ),
        Some((3, 5))
    );
    // D13 in status 5: TD counts every dossier waiting for a supplement as on time.
    assert_eq!(
        on_time(
            Policies {
                supplements: Supplements::WaitingOnTime,
                ..d
            },
            "X01.2"
        ),
        Some((3, 5))
    );
    // D11 finished Tue 03/03 10:00, after the period, due Mon 02/03 10:00: by its actual
    // end it is late by 8 working hours (not yet due at the period's end by default).
    assert_eq!(
        on_time(
            Policies {
                finished_after_period: FinishedAfterPeriod::ActualEnd,
                ..d
            },
            "X01.2"
        ),
        Some((1, 5))
    );
    // Withdrawn apart: 5.4 does not count D06 as overdue.
    let r = run(
        "tet-2026.csv",
        "2026-02",
        Policies {
            withdrawn: Withdrawn::Excluded,
            ..d
        },
    );
    assert_eq!(frac(&r, "X01.1", Indicator::Satisfaction), Some((3, 6)));
}

// Open at the period's end, with an evaluation "as of" the end of Fri 27/02/2026
// (instant Sat 28/02 00:00, last day 27/02). D07 is due Fri 27/02 16:00 and still open:
// overdue by default (16:00 < 28/02 00:00); TD (NgayHenTra ≥ the last day, as dates):
// on time. X01.2 then: D07, D08, D11 not due; D12 late; D13 judged at its request
// (27/02 09:00, before the evaluation time) → late.
#[test]
fn open_at_end_policy_with_as_of() {
    let text = read("tet-2026.csv");
    let mut o = options(RecordFormat::Csv, "2026-02");
    o.as_of = Some(chiso::calendar::parse_local_time("2026-02-28").unwrap().at);
    let r = run_text(&text, &o).unwrap();
    assert_eq!(frac(&r, "X01.2", Indicator::OnTime), Some((2, 5)));
    o.policies.open_at_end = OpenAtEnd::DueDateOnOrAfterLastDay;
    let r = run_text(&text, &o).unwrap();
    assert_eq!(frac(&r, "X01.2", Indicator::OnTime), Some((3, 5)));
}

#[test]
fn unit_tree_sums_its_subtree() {
    // Three levels and a parent with dossiers of its own.
    let text =
        "MaHoSo,DonViXuLy,TrangThaiHoSo,NgayTiepNhan,NgayHenTra,NgayKetThucXuLy,KenhThucHien\n\
                P1,H99,10,20260302080000,20260303080000,20260302090000,2\n\
                P2,H99.17,10,20260302080000,20260303080000,20260304090000,1\n\
                P3,H99.17.1,4,20260302080000,20260303080000,,2\n\
                P4,H99.227,10,20260302080000,20260303080000,20260303070000,2\n\
                P5,H99.227,4,20260330080000,20260410080000,,1\n";
    let r = run_text(text, &options(RecordFormat::Csv, "2026-03")).unwrap();
    let codes: Vec<_> = r
        .units
        .tree_order()
        .into_iter()
        .map(|u| r.units.get(u).code.clone())
        .collect();
    assert_eq!(codes, ["H99", "H99.17", "H99.17.1", "H99.227"]);
    // P1 early, P2 late, P3 open overdue, P4 early (date before the due date), P5 not due.
    assert_eq!(frac(&r, "H99.17.1", Indicator::OnTime), Some((0, 1)));
    assert_eq!(frac(&r, "H99.17", Indicator::OnTime), Some((0, 2)));
    assert_eq!(frac(&r, "H99.227", Indicator::OnTime), Some((2, 2)));
    assert_eq!(frac(&r, "H99", Indicator::OnTime), Some((3, 5)));
    // Every parent = its own dossiers + Σ children, for every counter.
    for u in 0..r.units.len() as u32 {
        let node = r.units.get(u);
        let kids: Vec<u32> = (0..r.units.len() as u32)
            .filter(|&k| r.units.get(k).parent == Some(u))
            .collect();
        if kids.is_empty() {
            continue;
        }
        let mut sum = chiso::records::Counts::default();
        for k in &kids {
            sum.merge(&r.counts(*k, 0));
        }
        let own = text
            .lines()
            .filter(|l| l.split(',').nth(1) == Some(node.code.as_str()))
            .count() as u64;
        assert_eq!(r.counts(u, 0).received, sum.received + own, "{}", node.code);
        for i in Indicator::ALL {
            let (n, d) = r.counts(u, 0).fraction(i);
            let (sn, sd) = sum.fraction(i);
            assert!(
                n >= sn && d >= sd && d - sd == own * u64::from(d > sd),
                "{} {}",
                node.code,
                i.code()
            );
        }
    }
}

/// The tet-2026 file with Vietnamese headers (diacritics, spaces) and columns reversed.
fn vietnamese_reversed() -> String {
    let text = read("tet-2026.csv");
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let names: Vec<String> = rdr
        .headers()
        .unwrap()
        .iter()
        .map(|h| match h {
            "MaHoSo" => "Mã hồ sơ".to_owned(),
            "DonViXuLy" => "Đơn vị xử lý".to_owned(),
            "TrangThaiHoSo" => "TRẠNG THÁI HỒ SƠ".to_owned(),
            "NgayTiepNhan" => "Ngày tiếp nhận".to_owned(),
            "NgayHenTra" => "ngày hẹn trả".to_owned(),
            "KenhThucHien" => "HinhThuc".to_owned(),
            "NgayKetThucXuLy" => "Ngày kết thúc xử lý".to_owned(),
            "ThoiGianGiaiQuyet" => "Thời gian giải quyết".to_owned(),
            "DonViTinh" => "Đơn vị tính".to_owned(),
            other => other.to_owned(),
        })
        .collect();
    let rows: Vec<Vec<String>> = rdr
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(names.iter().rev()).unwrap();
    for r in rows {
        w.write_record(r.iter().rev()).unwrap();
    }
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

/// Every computable fraction and OpenCPS count of every unit.
/// A unit's code, its fractions and its six outcome counts.
type Figures = (String, Vec<Option<(u64, u64)>>, [u64; 6]);

fn figures(r: &Report) -> Vec<Figures> {
    let mut out: Vec<_> = (0..r.units.len() as u32)
        .map(|u| {
            let c = r.counts(u, 0);
            (
                r.units.get(u).code.clone(),
                Indicator::ALL
                    .iter()
                    .map(|i| r.fraction(u, 0, *i))
                    .collect(),
                [
                    c.early,
                    c.on_time,
                    c.late,
                    c.open_not_due,
                    c.open_overdue,
                    c.withdrawn_apart,
                ],
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn headers_with_diacritics_in_any_order_and_json_lines_give_identical_results() {
    let base = run("tet-2026.csv", "2026-02", Policies::default());
    let r = run_text(
        &vietnamese_reversed(),
        &options(RecordFormat::Csv, "2026-02"),
    )
    .unwrap();
    assert_eq!(figures(&r), figures(&base));
    let j = run("tet-2026.jsonl", "2026-02", Policies::default());
    assert_eq!(figures(&j), figures(&base));
    assert_eq!(j.present, base.present);
    // A tab-separated export with a byte-order mark reads the same.
    let semi = format!("\u{feff}{}", read("tet-2026.csv").replace(',', "\t"));
    let r = run_text(&semi, &options(RecordFormat::Csv, "2026-02")).unwrap();
    assert_eq!(figures(&r), figures(&base));
}

#[test]
fn a_mapping_file_reads_another_export() {
    // Another system's names and codes: Trạng thái as words, channel as words.
    let text = "So ho so,Co quan,Kenh,Ngay nhan,Hen tra,Xong,Trang thai,Ghi chu\n\
                M1,X01.1,Trực tuyến,20260302080000,20260304080000,20260303080000,Đã trả kết quả,x\n\
                M2,X01.1,Trực tiếp,20260302080000,20260303080000,,Đang xử lý,y\n";
    let mapping: chiso::records::Mapping = serde_json::from_str(r#"{
        "format": "chiso.records-mapping/1",
        "columns": {"So ho so": "MaHoSo", "Co quan": "DonViXuLy", "Kenh": "KenhThucHien", "Ngay nhan": "NgayTiepNhan",
                    "Hen tra": "NgayHenTra", "Xong": "NgayKetThucXuLy", "Trang thai": "TrangThaiHoSo"},
        "ignore": ["Ghi chu"],
        "values": {"KenhThucHien": {"Trực tuyến": "2", "Trực tiếp": "1"},
                   "TrangThaiHoSo": {"Đã trả kết quả": "10", "Đang xử lý": "4"}}}"#).unwrap();
    let mut o = options(RecordFormat::Csv, "2026-03");
    o.mapping = Some(mapping);
    let r = run_text(text, &o).unwrap();
    assert_eq!(frac(&r, "X01.1", Indicator::OnTime), Some((1, 2)));
    assert_eq!(frac(&r, "X01.1", Indicator::OnlineSubmission), Some((1, 2)));
    // Without the mapping every column is unknown.
    assert!(run_text(text, &options(RecordFormat::Csv, "2026-03")).is_err());
}

fn errors(name: &str, period: &str) -> chiso::Diagnostics {
    let mut o = options(RecordFormat::from_path(&fixture(name)), period);
    o.source = name.to_owned();
    run_text(&read(name), &o).unwrap_err()
}

// Every bad row of bad-rows.csv named by row, column and MaHoSo, all at once:
// row 2 unknown status 11; row 3 no such date 31/02; row 4 due before receipt; row 5
// end before receipt; row 6 supplement lists 2 ≠ 1; rows 7/8 duplicate B06; row 9
// unknown channel 4 and a flag "maybe"; row 10 received 30/12/2026 + 5 working days
// enters 2027, outside the calendar (named); row 11 no due time and no maximum time;
// row 12 status 10 without an end time; row 13 unit code "X01..2"; row 14 no receipt.
// Row 15 (ISO with offset, "yyyy-MM-dd HH:mm", "dd/MM/yyyy HH:mm") is fine.
#[test]
fn bad_rows_all_at_once() {
    let d = errors("bad-rows.csv", "2026");
    let en = d.render(Lang::En);
    assert_eq!(d.len(), 13, "{en}");
    for needle in [
        "row 2, column \"TrangThaiHoSo\", MaHoSo \"B01\"",
        "row 3, column \"NgayTiepNhan\", MaHoSo \"B02\"",
        "row 4, column \"NgayHenTra\", MaHoSo \"B03\"",
        "row 5, column \"NgayKetThucXuLy\", MaHoSo \"B04\"",
        "row 6, column \"NgayTiepNhanBoSung\", MaHoSo \"B05\"",
        "rows 7 and 8, column \"MaHoSo\": key \"B06\" is used twice",
        "row 9, column \"KenhThucHien\", MaHoSo \"B07\"",
        "row 9, column \"DongBoDVCQG\", MaHoSo \"B07\"",
        "The year 2027 is not in the working calendar",
        "row 11, column \"NgayHenTra\", MaHoSo \"B09\"",
        "row 12, column \"NgayKetThucXuLy\", MaHoSo \"B10\"",
        "row 13, column \"DonViXuLy\", MaHoSo \"B11\"",
        "row 14, column \"NgayTiepNhan\", MaHoSo \"B12\"",
    ] {
        assert!(en.contains(needle), "missing {needle}:\n{en}");
    }
    assert!(!en.contains("B13"), "{en}");
    // Structured: the location (row, column, MaHoSo) and the stable code of each problem,
    // and a Vietnamese line with no English location words.
    let first = &d.0[0];
    assert_eq!(
        first.location,
        Some(
            chiso::diagnostics::Location::row(2)
                .column("TrangThaiHoSo")
                .key("MaHoSo", "B01")
        )
    );
    assert_eq!(first.problem.stable_code(), "records_unknown_status");
    let json = serde_json::to_value(first).unwrap();
    assert_eq!(
        json["path"],
        "row 2, column \"TrangThaiHoSo\", MaHoSo \"B01\""
    );
    assert_eq!(json["location"]["kind"], "row");
    assert_eq!(json["problem"]["type"], "coded");
    assert_eq!(json["problem"]["code"], "records_unknown_status");
    let vi = d.render(Lang::Vi);
    assert!(!vi.contains(" row ") && !vi.contains("column"), "{vi}");
    insta::assert_snapshot!("bad_rows_en", en);
    insta::assert_snapshot!("bad_rows_vi", d.render(Lang::Vi));
}

#[test]
fn bad_header_unknown_duplicate_and_missing_columns() {
    let d = errors("bad-header.csv", "2026");
    assert_eq!(d.len(), 3);
    insta::assert_snapshot!("bad_header_en", d.render(Lang::En));
    insta::assert_snapshot!("bad_header_vi", d.render(Lang::Vi));
}

#[test]
fn a_period_outside_the_calendar_names_the_year() {
    let d = run_text(
        &read("tet-2026.csv"),
        &options(RecordFormat::Csv, "2031-01"),
    )
    .unwrap_err();
    assert!(
        d.render(Lang::Vi)
            .contains("Năm 2031 không có trong lịch làm việc"),
        "{}",
        d.render(Lang::Vi)
    );
}

#[test]
fn a_file_that_cannot_be_read_twice_is_refused_not_trusted() {
    // Duplicates are verified by a second read; a pipe gives nothing the second time.
    let text = "MaHoSo,DonViXuLy,TrangThaiHoSo,NgayTiepNhan,NgayHenTra\nA,X01,4,20260302,20260303\nA,X01,4,20260302,20260303\n";
    let mut reads = 0;
    let mut once = || {
        reads += 1;
        Ok(if reads == 1 {
            text.as_bytes()
        } else {
            &b""[..]
        })
    };
    let d = analyse(&mut once, &options(RecordFormat::Csv, "2026-03")).unwrap_err();
    assert!(
        d.render(Lang::En).contains("use a file, not a pipe"),
        "{}",
        d.render(Lang::En)
    );
    // Read twice, the duplicate is named.
    let d = run_text(text, &options(RecordFormat::Csv, "2026-03")).unwrap_err();
    assert!(d
        .render(Lang::En)
        .contains("rows 2 and 3, column \"MaHoSo\": key \"A\" is used twice"));
}

#[test]
fn errors_are_bounded_and_counted() {
    let mut text = String::from("MaHoSo,DonViXuLy,TrangThaiHoSo,NgayTiepNhan\n");
    for k in 0..1500 {
        text.push_str(&format!("E{k},X01,99,20260302\n"));
    }
    let d = run_text(&text, &options(RecordFormat::Csv, "2026-03")).unwrap_err();
    assert_eq!(d.len(), chiso::records::limits::MAX_ERRORS + 1);
    assert!(
        d.render(Lang::En)
            .ends_with("… and 500 more problems (1500 in all) [records_too_large]"),
        "{}",
        d.0.last().unwrap().message(Lang::En)
    );
}

#[test]
fn costs_and_explanations_hand_worked() {
    let text = read("tet-2026.csv");
    let r = run_text(&text, &options(RecordFormat::Csv, "2026-02")).unwrap();
    let m = CostModel::from_index(&six_groups()).unwrap();
    let d = details(
        &mut || Ok(text.as_bytes()),
        &r,
        &m,
        Some(3),
        &["D01".into(), "D09".into()],
    )
    .unwrap();
    // D01 at X01.1: 2.1 late: 20 / (100% × 6) = 10/3; 5.4 overdue: 6 / (90% × 6) = 10/9;
    // 3.3 (not online) is at its 50 % cap (3/6): 0. Total 40/9.
    let e = &d.explanations[0];
    assert_eq!(e.ma_ho_so, "D01");
    let j = e.judgement.as_ref().unwrap();
    assert_eq!(j.outcome, Outcome::Late);
    assert_eq!(j.margin_minutes, Some(150));
    let close = |a: Decimal, b: Decimal| (a - b).abs() < dec("1e-26");
    assert!(
        close(e.chain_costs[0].1, Decimal::from(40) / Decimal::from(9)),
        "{:?}",
        e.chain_costs
    );
    // At X01 (11 dossiers): 2.1 5/11 → 20/11; 5.4 4/11 → 6/(0.9 × 11) = 20/33.
    assert!(
        close(e.chain_costs[1].1, Decimal::from(80) / Decimal::from(33)),
        "{:?}",
        e.chain_costs
    );
    let en = e.text(Lang::En);
    for needle in [
        "Due: 25/02/2026 16:30 (no NgayHenTra: receipt + 3 working days",
        "Finished: 26/02/2026 09:00 → late (by 2 working hours 30 min)",
        "2.1 finished late (dossiers handled early or on time (finished and in progress)) [3/6]",
        "costs 20 / (100% × 6) = 10/3 ≈ 3.3333 points",
        "5.4 finished late (satisfaction with receipt and handling) [2/6]: costs 6 / (90% × 6) = 10/9 ≈ 1.1111 points",
        "3.3 submitted at the desk (dossiers submitted online) [3/6]: costs 0 points: the ratio is already at the threshold",
    ] {
        assert!(en.contains(needle), "missing {needle}:\n{en}");
    }
    let vi = e.text(Lang::Vi);
    assert!(
        vi.contains("Kết thúc: 26/02/2026 09:00 → quá hạn (trễ 2 giờ 30 phút làm việc)"),
        "{vi}"
    );
    assert!(d.explanations[1]
        .text(Lang::Vi)
        .contains("chưa được tiếp nhận"));
    // Cost list of X01.1, top 3: D05 and D06 cost 10/3 (2.1) + 10/9 (5.4) + 1 (4.1) +
    // 2/3 (4.2) = 55/9 each (D06 is not online but 3.3 is at its cap; D05's 3.6 is paid
    // online) — D06 first, being late by 8 working hours; then D01 40/9.
    let x1 = r.units.id("X01.1").unwrap();
    let list = &d.costs[&(x1, 0)];
    let ids: Vec<_> = list.iter().map(|c| c.ma_ho_so.as_str()).collect();
    assert_eq!(ids, ["D06", "D05", "D01"]);
    assert!(close(list[0].cost, Decimal::from(55) / Decimal::from(9)));
    assert_eq!(list[0].late_minutes, Some(480));
}

// Scores of X01.1 with the six-group index: 1.4 6·5/6 = 5; 2.1 20·3/6 = 10;
// 3.3 6·min(1, 0.5/0.5) = 6; 3.6 6·2/3 = 4; 4.1 6·4/6 = 4; 4.2 4·3/6 = 2;
// 5.4 6·min(1, (2/6)/0.9) = 20/9. Records part: 31 + 20/9 of 54 points.
#[test]
fn scores_with_the_engine_and_the_batch_csv() {
    let r = run("tet-2026.csv", "2026-02", Policies::default());
    let index = six_groups();
    let x1 = r.units.id("X01.1").unwrap();
    let s = chiso::records::score(&r, x1, 0, &index, None).unwrap();
    assert_eq!(s.records_max, Decimal::from(54));
    // 5.4 is 20/9 exactly, or 2.22 when the index declares the portal's rounding of each
    // indicator's points to 2 places (half up); the other six are whole numbers.
    let p54 = s.result.node("5.4").unwrap().achieved.unwrap();
    let exact = Decimal::from(20) / Decimal::from(9);
    assert!(
        (p54 - exact).abs() < dec("1e-26") || p54 == dec("2.22"),
        "{p54}"
    );
    assert_eq!(s.records_points, Decimal::from(31) + p54);
    assert_eq!(
        s.result.node("2.1").unwrap().achieved,
        Some(Decimal::from(10))
    );
    assert_eq!(
        s.result.total.achieved, None,
        "the groups need indicators records cannot give"
    );
    // The batch CSV scores the same leaves through chiso::batch.
    let units: Vec<u32> = r.units.tree_order();
    let csv = chiso::records::batch_csv(&r, &index, None, &units);
    assert!(csv.starts_with("unit,block,1.1,1.2,1.3,1.4,2.1,"), "{csv}");
    assert!(
        csv.contains("\nX01.1,2,,,,5/6,3/6,,,3/6,2/3,,,4/6,3/6,,,,,,,,2/6\n"),
        "{csv}"
    );
    let out = chiso::batch::run_in_memory(
        &index,
        csv.as_bytes(),
        chiso::batch::InputFormat::Csv,
        &chiso::batch::Options::default(),
    )
    .unwrap();
    let out = String::from_utf8(out).unwrap();
    let row = out.lines().find(|l| l.starts_with("X01.1,")).unwrap();
    let header: Vec<_> = out.lines().next().unwrap().split(',').collect();
    let cell = |code: &str| {
        row.split(',')
            .nth(header.iter().position(|h| *h == code).unwrap())
            .unwrap()
            .to_owned()
    };
    assert_eq!(cell("2.1"), "10");
    assert_eq!(cell("4.2"), "2");
    // A values file completes the index: the other leaves given for every unit.
    let values = "unit,1.1,1.2,1.3,3.1,3.2,3.5b,3.5a,4.3,4.4,4.5b,4.5a,4.6,5.2,5.3\n*,1/47,43/47,47/47,0/0,0/0,0/0,0/0,1/2,0/2,1/2,0/3,100%,0/0,0/0\n";
    let computed: Vec<Indicator> = Indicator::ALL
        .into_iter()
        .filter(|i| r.computable(*i))
        .collect();
    let v = chiso::records::Values::from_csv(values, "values.csv", &index, &computed).unwrap();
    let s = chiso::records::score(&r, x1, 0, &index, Some(&v)).unwrap();
    assert!(s.result.total.achieved.is_some());
    // A value for an indicator the records give is refused.
    let clash = "unit,2.1\n*,1/1\n";
    let e = chiso::records::Values::from_csv(clash, "values.csv", &index, &computed).unwrap_err();
    assert!(e.render(Lang::En).contains("computed from the records"));
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    /// Status, receipt day and hour, due offset (days), end offset (hours), online, unit.
    type Spec = (u8, u32, u32, u32, Option<u32>, bool, u8);

    /// One synthetic dossier row of February 2026 (status, receipt day/hour, due offset
    /// in days, end offset in hours or open, channel, unit).
    fn row(
        k: usize,
        (status, day, hour, due, end, online, unit): (u8, u32, u32, u32, Option<u32>, bool, u8),
    ) -> String {
        let status = [2u8, 4, 5, 7, 8, 9, 10][usize::from(status) % 7];
        let recv = chiso::calendar::NaiveDate::from_ymd_opt(2026, 2, day)
            .unwrap()
            .and_hms_opt(hour, 0, 0)
            .unwrap();
        let due_t = recv + chrono::TimeDelta::days(i64::from(due));
        let end = match (end, status) {
            (_, 2 | 4 | 5) => String::new(),
            (None, _) => (recv + chrono::TimeDelta::hours(5))
                .format("%Y%m%d%H%M%S")
                .to_string(),
            (Some(h), _) => (recv + chrono::TimeDelta::hours(i64::from(h)))
                .format("%Y%m%d%H%M%S")
                .to_string(),
        };
        let unit = ["Q1.1", "Q1.2", "Q1.2.7"][usize::from(unit) % 3];
        format!(
            "R{k},{unit},{status},{},{},{end},{}\n",
            recv.format("%Y%m%d%H%M%S"),
            due_t.format("%Y%m%d%H%M%S"),
            if online { 2 } else { 1 }
        )
    }

    const HEADER: &str =
        "MaHoSo,DonViXuLy,TrangThaiHoSo,NgayTiepNhan,NgayHenTra,NgayKetThucXuLy,KenhThucHien\n";

    fn rows() -> impl Strategy<Value = Vec<Spec>> {
        prop::collection::vec(
            (
                0u8..7,
                1u32..=27,
                6u32..=18,
                0u32..=6,
                prop::option::of(0u32..=400),
                any::<bool>(),
                0u8..3,
            ),
            1..40,
        )
    }

    fn file(rows: &[Spec], order: &[usize]) -> String {
        let mut s = String::from(HEADER);
        for &k in order {
            s.push_str(&row(k, rows[k]));
        }
        s
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        #[test]
        fn shuffling_rows_changes_nothing(rs in rows(), seed in any::<u64>()) {
            let mut order: Vec<usize> = (0..rs.len()).collect();
            let base = run_text(&file(&rs, &order), &options(RecordFormat::Csv, "2026-02")).unwrap();
            let mut x = seed | 1;
            for i in (1..order.len()).rev() {
                x ^= x << 13; x ^= x >> 7; x ^= x << 17;
                order.swap(i, (x % (i as u64 + 1)) as usize);
            }
            let shuffled = run_text(&file(&rs, &order), &options(RecordFormat::Csv, "2026-02")).unwrap();
            prop_assert_eq!(figures(&base), figures(&shuffled));
        }

        #[test]
        fn numerators_never_exceed_denominators(rs in rows()) {
            let order: Vec<usize> = (0..rs.len()).collect();
            let r = run_text(&file(&rs, &order), &options(RecordFormat::Csv, "2026-02")).unwrap();
            for u in 0..r.units.len() as u32 {
                for i in Indicator::ALL {
                    if let Some((n, d)) = r.fraction(u, 0, i) {
                        prop_assert!(n <= d, "{} {}: {n}/{d}", r.units.get(u).code, i.code());
                    }
                }
            }
        }

        #[test]
        fn adding_an_on_time_dossier_never_lowers_2_1(rs in rows(), unit in 0u8..3, day in 1u32..=20) {
            let order: Vec<usize> = (0..rs.len()).collect();
            let before = run_text(&file(&rs, &order), &options(RecordFormat::Csv, "2026-02")).unwrap();
            // Finished early: received 08:00, due three days later, done 2 hours after receipt.
            let mut more = file(&rs, &order);
            more.push_str(&row(9999, (6, day, 8, 3, Some(2), true, unit)));
            let after = run_text(&more, &options(RecordFormat::Csv, "2026-02")).unwrap();
            for u in 0..after.units.len() as u32 {
                let code = &after.units.get(u).code;
                let (n1, d1) = after.fraction(u, 0, Indicator::OnTime).unwrap();
                let (n0, d0) = before.units.id(code).and_then(|b| before.fraction(b, 0, Indicator::OnTime)).unwrap_or((0, 0));
                // n0/d0 ≤ n1/d1, cross-multiplied (0/0 before counts as no value).
                prop_assert!(d0 == 0 || u128::from(n0) * u128::from(d1) <= u128::from(n1) * u128::from(d0), "{code}: {n0}/{d0} → {n1}/{d1}");
            }
        }
    }
}
