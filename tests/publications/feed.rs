//! Publication decisions fed into a records run (`publications::feed`,
//! `Values::with_publications`): the province is the root of the dossiers' unit tree and
//! every unit below it inherits its 1.1 and 1.2; nothing is fed where nothing was counted;
//! a values cell for a fed indicator is a conflict; two provinces are an error.
//!
//! Worked by hand on the shipped 2026 calendar (March 2026: Mon 2, 9, 16, 23, 30; no
//! holiday). Period 2026-03..2026-04 by month.
//!
//! - Decision A (list, TTHC 1.0001 and 1.0002): ministry Mon 02/03, province Fri 06/03
//!   (Tue 3, Wed 4, Thu 5, Fri 6 = 4 ≤ 5: on time). 1.1: effective Wed 01/04, limit the
//!   5th working day before = Tue 31, Mon 30, Fri 27, Thu 26, Wed 25/03 → 06/03 on time.
//!   1.2: made public Fri 13/03 = Mon 9 … Fri 13 = 5 ≤ 5: on time.
//! - Decision B (list, TTHC 1.0002): ministry Mon 09/03, province Mon 16/03 (Tue 10 …
//!   Mon 16 = 5: on time). 1.1: effective Fri 20/03, limit = Thu 19, Wed 18, Tue 17,
//!   Mon 16, Fri 13/03 → 16/03 is 1 working day after: late by 1. 1.2: made public Mon
//!   23/03 = Tue 17 … Mon 23 = 5: on time.
//! - March: 1.1 over TTHC {1.0001 on time, 1.0002 late (decision B)} = 1/2 → 6 × 1/2 = 3
//!   points; 1.2 = 2/2 → 4 points. April: no decision → nothing fed.

use super::common;
use chiso::records::publications::{check, feed, Feed, Options};
use chiso::records::{
    analyse, assessment, batch_csv, document, score, By, CostModel, Options as RunOptions,
    RecordFormat, Report, Values,
};
use chiso::{Decimal, Index, Lang, Value};

const PUBS: &str = "SoQuyetDinhBo,NgayQuyetDinhBo,SoQuyetDinhTinh,NgayQuyetDinhTinh,LoaiQuyetDinh,NgayHieuLuc,NgayCongKhai,MaTTHC\n\
    1/QĐ-BX,02/03/2026,10/QĐ-UBND,06/03/2026,danh mục,01/04/2026,13/03/2026,1.0001;1.0002\n\
    2/QĐ-BX,09/03/2026,11/QĐ-UBND,16/03/2026,danh mục,20/03/2026,23/03/2026,1.0002\n";

const DOSSIERS: &str = "MaHoSo,DonViXuLy,TrangThaiHoSo,NgayTiepNhan,NgayHenTra\n\
    A1,H21.17,4,20260302080000,20260310080000\n\
    A2,H21.227,4,20260402080000,20260410080000\n";

fn index() -> Index {
    Index::from_file(&common::repo().join("criteria/service-766/qd766-portal-six-groups.json"))
        .unwrap()
}

fn report(dossiers: &str) -> Report {
    let mut o = RunOptions::new(
        RecordFormat::Csv,
        "dossiers.csv",
        "2026-03..2026-04".parse().unwrap(),
    );
    o.by = By::Month;
    analyse(&mut || Ok(dossiers.as_bytes()), &o)
        .unwrap_or_else(|d| panic!("{}", d.render(Lang::En)))
}

fn fed(r: &Report) -> Feed {
    let o = Options::default();
    let judged = check(
        PUBS,
        RecordFormat::Csv,
        "pubs.csv",
        &o,
        chiso::calendar::WorkingCalendar::vietnam(),
    )
    .unwrap();
    feed(r, judged, "pubs.csv", &o).unwrap()
}

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

#[test]
fn the_province_is_the_root_and_every_unit_below_inherits() {
    let r = report(DOSSIERS);
    let f = fed(&r);
    assert_eq!(f.province.as_deref(), Some("H21"));
    let c = |b, code| f.count(b, code).map(|c| (c.count.on_time, c.count.total));
    assert_eq!((c(0, "1.1"), c(0, "1.2")), (Some((1, 2)), Some((2, 2))));
    assert_eq!((c(1, "1.1"), c(1, "1.2")), (None, None));
    assert_eq!(f.fed_codes(), vec!["1.1", "1.2"]);
    assert_eq!(f.unfed(), vec![("2026-04", "1.1"), ("2026-04", "1.2")]);
    assert!(f.covers("H21") && f.covers("H21.17") && !f.covers("H2") && !f.covers("H211"));
    assert!(!f.inherits("H21") && f.inherits("H21.227"));

    let idx = index();
    let v = Values::default().with_publications(f).unwrap();
    for code in ["H21", "H21.17", "H21.227"] {
        let u = r.units.id(code).unwrap();
        let a = assessment(&r, u, 0, &idx, Some(&v));
        let e = a.entries["1.1"].self_assessment.as_ref().unwrap();
        assert_eq!(
            e.value,
            Value::Ratio {
                numerator: dec("1"),
                denominator: dec("2")
            }
        );
        let note = e.note.as_deref().unwrap();
        if code == "H21" {
            assert!(
                note.starts_with("chỉ số 1.1 của tỉnh H21: 1/2 TTHC"),
                "{note}"
            );
        } else {
            assert!(note.starts_with("kế thừa từ tỉnh: 1/2"), "{note}");
        }
        // 1.1 = 6 × 1/2 = 3 points, 1.2 = 4 × 2/2 = 4: 7 more points from records, of 10.
        let with = score(&r, u, 0, &idx, Some(&v)).unwrap();
        let without = score(&r, u, 0, &idx, None).unwrap();
        assert_eq!(with.result.node("1.1").unwrap().achieved, Some(dec("3")));
        assert_eq!(with.result.node("1.2").unwrap().achieved, Some(dec("4")));
        assert_eq!(with.records_points - without.records_points, dec("7"));
        assert_eq!(with.records_max - without.records_max, dec("10"));
        // April: nothing fed, the indicators stay missing.
        let april = assessment(&r, u, 1, &idx, Some(&v));
        assert!(!april.entries.contains_key("1.1") && !april.entries.contains_key("1.2"));
    }
    // The batch CSV carries the fed values in March only.
    let units = r.units.tree_order();
    let csv = batch_csv(&r, &idx, Some(&v), &units);
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let col = |name| header.iter().position(|h| *h == name).unwrap();
    for line in csv.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        let march = cells[0].ends_with("@2026-03");
        let expect = if march { ("1/2", "2/2") } else { ("", "") };
        assert_eq!((cells[col("1.1")], cells[col("1.2")]), expect, "{line}");
    }
}

#[test]
fn the_document_carries_the_decisions_and_each_units_inherited_values() {
    let r = report(DOSSIERS);
    let idx = index();
    let v = Values::default().with_publications(fed(&r)).unwrap();
    let units = r.units.tree_order();
    let model = CostModel::from_index(&idx).unwrap();
    let doc = document(&r, &idx, Some(&v), &units, None, &model).unwrap();
    let p = doc.publications.as_ref().unwrap();
    assert_eq!(p.province.as_deref(), Some("H21"));
    assert_eq!(p.decisions.len(), 2);
    assert_eq!(p.decisions[1].period.as_deref(), Some("2026-03"));
    assert_eq!(
        p.decisions[1].judged.portal_1_1.as_ref().unwrap().late_by,
        1
    );
    let april: Vec<bool> = p.indicators.iter().map(|i| i.fed).collect();
    assert_eq!(april, vec![true, true, false, false]);
    assert!(p.indicators[2]
        .explanation
        .en
        .contains("stays missing, not 0/0"));
    let h21_227 = doc.units.iter().find(|u| u.code == "H21.227").unwrap();
    let m = &h21_227.periods[0].from_publications["1.1"];
    assert!(m.inherited);
    assert_eq!((m.numerator, m.denominator), (1, 2));
    assert!(m
        .explanation
        .en
        .starts_with("inherited from the province: 1/2 (indicator 1.1 of H21"));
    assert!(h21_227.periods[1].from_publications.is_empty());
    let json: serde_json::Value = serde_json::from_str(&doc.to_json()).unwrap();
    assert_eq!(
        json["publications"]["decisions"][0]["timeliness"]["status"],
        "on_time"
    );
    // Without publications the member is absent (the document of earlier versions).
    let plain = document(&r, &idx, None, &units, None, &model)
        .unwrap()
        .to_json();
    assert!(!plain.contains("\"publications\"") && !plain.contains("from_publications"));
}

#[test]
fn a_values_cell_for_a_fed_indicator_is_a_conflict() {
    let r = report(DOSSIERS);
    let idx = index();
    // Row 2 (*) 1.1, row 3 (H21) 1.2, row 4 (H21.17) 1.1: conflicts. Row 5 (Y01, another
    // province) and 1.3 (not fed): fine.
    let text = "unit,1.1,1.2,1.3\n*,1/3,,1/1\nH21,,1/4,\nH21.17,2/3,,1/2\nY01,1/5,1/5,\n";
    let v = Values::from_csv(text, "values.csv", &idx, &[]).unwrap();
    let err = v.with_publications(fed(&r)).unwrap_err();
    let msg = err.render(Lang::En);
    assert_eq!(err.0.len(), 3, "{msg}");
    for (row, code) in [(2, "1.1"), (3, "1.2"), (4, "1.1")] {
        assert!(
            msg.contains(&format!(
                "values.csv: error at row {row}, column \"{code}\""
            )),
            "{msg}"
        );
    }
    assert!(msg.contains("[records_value_conflict]"), "{msg}");
    insta::assert_snapshot!("feed_conflict_vi", err.render(Lang::Vi));
    // The same cells are fine when the publications feed nothing (no decision in April).
    let mut o = RunOptions::new(
        RecordFormat::Csv,
        "dossiers.csv",
        "2026-04".parse().unwrap(),
    );
    o.by = By::Whole;
    let april = analyse(&mut || Ok(DOSSIERS.as_bytes()), &o).unwrap();
    let f = feed(
        &april,
        check(
            PUBS,
            RecordFormat::Csv,
            "pubs.csv",
            &Options::default(),
            chiso::calendar::WorkingCalendar::vietnam(),
        )
        .unwrap(),
        "pubs.csv",
        &Options::default(),
    )
    .unwrap();
    assert!(f.fed_codes().is_empty());
    let v = Values::from_csv(text, "values.csv", &idx, &[])
        .unwrap()
        .with_publications(f)
        .unwrap();
    // H21.227 (the April dossier's unit) takes the * row's 1.1.
    let u = april.units.id("H21.227").unwrap();
    let a = assessment(&april, u, 0, &idx, Some(&v));
    assert_eq!(
        a.entries["1.1"].self_assessment.as_ref().unwrap().value,
        Value::Ratio {
            numerator: dec("1"),
            denominator: dec("3")
        }
    );
}

#[test]
fn dossiers_of_two_provinces_are_an_error() {
    let r = report(
        "MaHoSo,DonViXuLy,TrangThaiHoSo,NgayTiepNhan,NgayHenTra\n\
         A1,H21.17,4,20260302080000,20260310080000\n\
         A2,H22.3,4,20260302080000,20260310080000\n",
    );
    let o = Options::default();
    let judged = check(
        PUBS,
        RecordFormat::Csv,
        "pubs.csv",
        &o,
        chiso::calendar::WorkingCalendar::vietnam(),
    )
    .unwrap();
    let err = feed(&r, judged, "pubs.csv", &o).unwrap_err();
    insta::assert_snapshot!("feed_two_provinces_en", err.render(Lang::En));
}

/// A records run judges decisions not issued yet at its period's last day, which may come
/// before the ministry's decision (a decision of August in a run to June): no deadline is
/// running yet, and the explanation says so rather than "still within the deadline".
#[test]
fn not_issued_judged_before_the_ministrys_decision() {
    let o = Options {
        as_of: Some(chiso::calendar::NaiveDate::from_ymd_opt(2026, 6, 30).unwrap()),
        ..Options::default()
    };
    let csv = "SoQuyetDinhBo,NgayQuyetDinhBo,SoQuyetDinhTinh,NgayQuyetDinhTinh,LoaiQuyetDinh\n\
               14/QĐ-BX,18/08/2026,,,quy trình nội bộ\n";
    let j = check(
        csv,
        RecordFormat::Csv,
        "pubs.csv",
        &o,
        chiso::calendar::WorkingCalendar::vietnam(),
    )
    .unwrap();
    assert_eq!(j[0].timeliness.late_by(), 0);
    assert!(
        j[0].explanation.en.ends_with(
            "; as of 2026-06-30: before the ministry's decision, no deadline running yet"
        ),
        "{}",
        j[0].explanation.en
    );
    assert!(j[0]
        .explanation
        .vi
        .ends_with("; tính đến ngày 30/06/2026: trước ngày quyết định của Bộ, chưa tính hạn"));
}
