//! `chiso records --publications`: the shipped publications sample with the shipped
//! dossier sample (hand-worked below), the JSON document, periods without dated
//! decisions, conflicts with --values, bad input, JSON lines.

use super::{fails, ok, repo, s, scratch};
use std::path::Path;

// ---------------------------------------------------------------------------------
// --publications: examples-data/publications-sample.csv with the dossier sample over
// 2026-01..2026-06 by quarter (the dossiers run February–May; the decisions January–
// September). Worked by hand on the shipped 2026 calendar (Thu 1/1 and Fri 2/1 off,
// Sat 10/1 a make-up working day, Tết Mon 16 – Fri 20/2, Mon 27/4, Thu 30/4, Fri 1/5 off);
// "elapsed" = working days in (ministry date, provincial date]; rows as in the file
// (header = row 1):
//
// row 2 list, Bộ Mon 05/01, tỉnh Fri 09/01: Tue 6, Wed 7, Thu 8, Fri 9 = 4 ≤ 5 → on time;
//       due = 5th working day = Sat 10/01 (make-up day). 1.1: effective Sun 01/03, limit
//       5 working days before = Fri 27, Thu 26, Wed 25, Tue 24, Mon 23/02 → 09/01 on time.
//       1.2: công khai Wed 14/01 = Sat 10, Mon 12, Tue 13, Wed 14 = 4 ≤ 5 → on time.
//       TTHC 1.001001, 1.001002.
// row 3 procedure, Bộ 05/01, tỉnh Tue 20/01: Tue 6 … Fri 16/01 is day 10 (due), Mon 19
//       11, Tue 20 12 → late by 2.
// row 4 list, Bộ Thu 12/02, tỉnh Mon 02/03: Fri 13 (1), Tết, Mon 23 – Thu 26 (2–5, due
//       Thu 26/02), Fri 27 (6), Mon 2/3 (7) → late by 2. 1.1: effective Sun 15/03, limit
//       Mon 09/03 → on time. 1.2: công khai Tue 10/03 = Tue 3, Wed 4, Thu 5, Fri 6, Mon 9,
//       Tue 10 = 6 > 5 → late by 1. TTHC 1.001003.
// row 5 procedure, Bộ 12/02, tỉnh Thu 05/03: day 10 = Thu 05/03 → on time.
// row 6 list, Bộ Fri 24/04, tỉnh Wed 06/05: Tue 28, Wed 29/4, Mon 4, Tue 5, Wed 6/5 = 5
//       → on time (due 06/05). 1.1: effective Wed 01/07, limit Wed 24/06 → on time. 1.2:
//       công khai Wed 13/05 = Thu 7, Fri 8, Mon 11, Tue 12, Wed 13 = 5 → on time. TTHC
//       2.002001, 2.002002.
// row 7 procedure, Bộ 24/04, tỉnh Fri 15/05: day 10 = Wed 13/05 (due), Thu 14, Fri 15 →
//       late by 2.
// rows 8–10: issued in August–September, outside the period; row 11: not issued.
//
// Q1 (rows 2–5): list 1/2 on time, procedure 1/2; 1.1 over TTHC {1.001001, 1.001002,
//   1.001003} = 3/3 → 6 × 1 = 6 points; 1.2 = 2/3 (1.001003 late) → 4 × 2/3 = 2.666…,
//   2.67 (the index rounds each leaf to 2 places, half up).
// Q2 (rows 6–7): list 1/1, procedure 0/1; 1.1 = 2/2 → 6; 1.2 = 2/2 → 4.
// The province is Z99 (the root of Z99.10, Z99.201, Z99.202); each unit below inherits.
// ---------------------------------------------------------------------------------

const PUBS: &str = "examples-data/publications-sample.csv";
const SAMPLE: &str = "examples-data/dossiers-sample.csv";

fn sample_json(extra: &[&str]) -> serde_json::Value {
    let mut args = vec![
        "records",
        SAMPLE,
        "--period",
        "2026-01..2026-06",
        "--by",
        "quarter",
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    serde_json::from_str(&ok(&args)).unwrap()
}

fn dec(v: &serde_json::Value) -> chiso::Decimal {
    v.as_str().unwrap().parse().unwrap()
}

#[test]
fn publications_are_judged_and_feed_1_1_and_1_2_to_every_unit() {
    let out = ok(&[
        "records",
        SAMPLE,
        "--period",
        "2026-01..2026-06",
        "--by",
        "quarter",
        "--publications",
        PUBS,
    ]);
    assert!(
        out.contains("Công bố TTHC — publications-sample.csv"),
        "{out}"
    );
    let row = |n: &str| {
        out.lines()
            .find(|l| l.starts_with(&format!("│ {n:>4} ┆")))
            .unwrap_or_else(|| panic!("no row {n}:\n{out}"))
            .to_owned()
    };
    for (r, needles) in [
        (
            "2",
            [
                "11/QĐ-BX 05/01/2026",
                "21/QĐ-UBND 09/01/2026",
                "10/01/2026",
                "đúng hạn",
                "2026-Q1",
            ],
        ),
        (
            "3",
            [
                "quy trình nội bộ",
                "22/QĐ-UBND 20/01/2026",
                "16/01/2026",
                "trễ 2 ngày làm việc",
                "2026-Q1",
            ],
        ),
        (
            "4",
            [
                "công bố danh mục TTHC",
                "23/QĐ-UBND 02/03/2026",
                "26/02/2026",
                "trễ 2 ngày làm việc",
                "2026-Q1",
            ],
        ),
        (
            "5",
            [
                "quy trình nội bộ",
                "24/QĐ-UBND 05/03/2026",
                "05/03/2026",
                "đúng hạn",
                "2026-Q1",
            ],
        ),
        (
            "6",
            [
                "công bố danh mục TTHC",
                "25/QĐ-UBND 06/05/2026",
                "06/05/2026",
                "đúng hạn",
                "2026-Q2",
            ],
        ),
        (
            "7",
            [
                "quy trình nội bộ",
                "26/QĐ-UBND 15/05/2026",
                "13/05/2026",
                "trễ 2 ngày làm việc",
                "2026-Q2",
            ],
        ),
        (
            "8",
            [
                "công bố danh mục TTHC",
                "27/QĐ-UBND 24/08/2026",
                "",
                "",
                "ngoài kỳ",
            ],
        ),
        (
            "11",
            [
                "quy trình nội bộ",
                "14/QĐ-BX 18/08/2026",
                "chưa ban hành",
                "",
                "",
            ],
        ),
    ] {
        let line = row(r);
        for n in needles {
            assert!(line.contains(n), "row {r} lacks {n:?}: {line}");
        }
    }
    // Explanations (the portal's checks under their decision).
    assert!(out.contains("sau 6 ngày làm việc kể từ Quyết định công bố số 23/QĐ-UBND ngày 02/03/2026 (hạn 5 ngày làm việc): trễ 1 ngày làm việc"), "{out}");
    // 1.1 and 1.2 in every unit's row, the province's and the inherited alike.
    let q2 = out.find("Kỳ 2026-Q2 —").unwrap();
    let (q1_table, q2_table) = out.split_at(q2);
    for unit in ["│ Z99 ", "│   Z99.10 ", "│   Z99.201 ", "│   Z99.202 "] {
        let l1 = q1_table.lines().find(|l| l.starts_with(unit)).unwrap();
        assert!(
            l1.contains("3/3 → 6,00") && l1.contains("2/3 → 2,67"),
            "{l1}"
        );
        let l2 = q2_table.lines().find(|l| l.starts_with(unit)).unwrap();
        assert!(
            l2.contains("2/2 → 6,00") && l2.contains("2/2 → 4,00"),
            "{l2}"
        );
    }
    assert!(out.contains("Kỳ 2026-Q1: chỉ số 1.2 của tỉnh Z99: 2/3 TTHC công khai đúng hạn (từ tệp publications-sample.csv) → 2,67 điểm"), "{out}");
    // English.
    let en = ok(&[
        "--lang",
        "en",
        "records",
        SAMPLE,
        "--period",
        "2026-01..2026-06",
        "--by",
        "quarter",
        "--publications",
        PUBS,
    ]);
    assert!(
        en.contains("Publications — publications-sample.csv"),
        "{en}"
    );
    assert!(en.contains("late by 2 working days"), "{en}");
    assert!(en.contains("outside the period"), "{en}");
}

#[test]
fn publications_in_the_json_document_with_the_points_they_add() {
    let with = sample_json(&["--publications", PUBS]);
    let without = sample_json(&[]);
    assert!(without.get("publications").is_none());
    let p = &with["publications"];
    assert_eq!(p["province"], "Z99");
    assert_eq!(p["source"], "publications-sample.csv");
    assert_eq!(p["outside_period"], 3);
    let d = p["decisions"].as_array().unwrap();
    assert_eq!(d.len(), 10);
    assert_eq!(
        d[1]["timeliness"],
        serde_json::json!({"status": "late", "working_days": 2})
    );
    assert_eq!(d[1]["period"], "2026-Q1");
    assert_eq!(d[0]["due"], "2026-01-10");
    assert_eq!(d[2]["portal_1_2"]["late_by"], 1);
    assert!(d[9]["period"].is_null());
    let fed: Vec<(String, String, u64, u64)> = p["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["period"].as_str().unwrap().to_owned(),
                i["indicator"].as_str().unwrap().to_owned(),
                i["numerator"].as_u64().unwrap(),
                i["denominator"].as_u64().unwrap(),
            )
        })
        .collect();
    let q = |p: &str, c: &str, n, d| (p.to_owned(), c.to_owned(), n, d);
    assert_eq!(
        fed,
        vec![
            q("2026-Q1", "1.1", 3, 3),
            q("2026-Q1", "1.2", 2, 3),
            q("2026-Q2", "1.1", 2, 2),
            q("2026-Q2", "1.2", 2, 2)
        ]
    );
    // Points: the feed adds 6 + 8/3 rounded to 2.67 in Q1 and 6 + 4 in Q2 to every unit's
    // points from records, and 6 + 4 to their maximum; nothing else changes.
    let added = [dec_str("8.67"), dec_str("10")];
    for (u_with, u_without) in with["units"]
        .as_array()
        .unwrap()
        .iter()
        .zip(without["units"].as_array().unwrap())
    {
        for b in 0..2 {
            let (sw, so) = (
                &u_with["periods"][b]["score"],
                &u_without["periods"][b]["score"],
            );
            assert_eq!(
                dec(&sw["records_points"]) - dec(&so["records_points"]),
                added[b],
                "{}",
                u_with["code"]
            );
            assert_eq!(
                dec(&sw["records_max"]) - dec(&so["records_max"]),
                dec_str("10")
            );
            assert_eq!(
                u_with["periods"][b]["indicators"],
                u_without["periods"][b]["indicators"]
            );
        }
        let fp = &u_with["periods"][0]["from_publications"];
        let root = u_with["code"] == "Z99";
        assert_eq!(fp["1.2"]["numerator"], 2);
        assert_eq!(fp["1.2"]["inherited"], !root);
        let text = fp["1.1"]["explanation"]["en"].as_str().unwrap();
        if root {
            assert!(
                text.starts_with("indicator 1.1 of the province Z99: 3/3"),
                "{text}"
            );
        } else {
            assert!(
                text.starts_with("inherited from the province: 3/3"),
                "{text}"
            );
        }
        assert_eq!(u_with["periods"][0]["score"]["leaves"]["1.2"], "2.67");
    }
}

fn dec_str(s: &str) -> chiso::Decimal {
    s.parse().unwrap()
}

#[test]
fn a_period_without_dated_list_decisions_feeds_nothing() {
    // Q3 holds rows 8–10 (issued in August and September) but no NgayHieuLuc or
    // NgayCongKhai: 1.1 and 1.2 stay missing there, never 0/0.
    let out = ok(&[
        "--lang",
        "en",
        "records",
        SAMPLE,
        "--period",
        "2026-01..2026-09",
        "--by",
        "quarter",
        "--publications",
        PUBS,
    ]);
    assert!(out.contains("indicator 1.1, period 2026-Q3: no decision announcing a list of TTHC issued in the period has NgayHieuLuc in publications-sample.csv: the indicator stays missing, not 0/0"), "{out}");
    let q3 = &out[out.find("Period 2026-Q3 —").unwrap()..];
    let z99 = q3.lines().find(|l| l.starts_with("│ Z99 ")).unwrap();
    let cells: Vec<&str> = z99.split('┆').map(str::trim).collect();
    assert_eq!((cells[7], cells[8]), ("—", "—"), "{z99}");
}

#[test]
fn a_values_cell_for_a_fed_indicator_is_a_conflict() {
    let dir = scratch("conflict");
    let v = dir.join("values.csv");
    // 1.2 of a commune and 1.1 for every unit (*): both fed by the publications.
    std::fs::write(&v, "unit,1.1,1.2,1.3\n*,1/2,,1/1\nZ99.201,,3/4,\n").unwrap();
    let out = dir.join("out.txt");
    let args = |v: &Path, o: &Path| {
        vec![
            "--lang".to_owned(),
            "en".into(),
            "records".into(),
            SAMPLE.into(),
            "--period".into(),
            "2026-01..2026-06".into(),
            "--publications".into(),
            PUBS.into(),
            "--values".into(),
            s(v),
            "--out".into(),
            s(o),
        ]
    };
    let a = args(&v, &out);
    let (_, err) = fails(&a.iter().map(String::as_str).collect::<Vec<_>>(), 1);
    assert!(!out.exists());
    assert_eq!(err.lines().count(), 2, "{err}");
    assert!(
        err.contains("values.csv: error at row 2, column \"1.1\""),
        "{err}"
    );
    assert!(
        err.contains("values.csv: error at row 3, column \"1.2\""),
        "{err}"
    );
    assert!(err.contains("[records_value_conflict]"), "{err}");
    assert!(
        err.contains("comes from the publications file publications-sample.csv"),
        "{err}"
    );
    // A value for an indicator the publications do not give (1.3) is fine, and the
    // total column appears with it.
    std::fs::write(&v, "unit,1.3\n*,1/1\n").unwrap();
    let a = args(&v, &out);
    ok(&a.iter().map(String::as_str).collect::<Vec<_>>());
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("Total (with --values)"), "{text}");
}

#[test]
fn bad_publications_are_reported_with_bad_dossiers_and_one_province_is_required() {
    let dir = scratch("badpubs");
    let pubs = dir.join("pubs.csv");
    std::fs::write(
        &pubs,
        "SoQuyetDinhBo,NgayQuyetDinhBo,SoQuyetDinhTinh,NgayQuyetDinhTinh,LoaiQuyetDinh\n1/QĐ-BX,02/03/2026,10/QĐ-UBND,31/02/2026,danh mục\n",
    )
    .unwrap();
    let (stdout, err) = fails(
        &[
            "--lang",
            "en",
            "records",
            "tests/fixtures/records/bad-rows.csv",
            "--period",
            "2026",
            "--publications",
            &s(&pubs),
        ],
        1,
    );
    assert!(stdout.is_empty());
    // The 13 dossier problems of bad_input_exits_1_… and the publication's bad date.
    assert_eq!(err.lines().count(), 14, "{err}");
    assert!(err.contains("row 2, column \"NgayQuyetDinhTinh\""), "{err}");
    // Two provinces in the dossiers: a publications file is one province's.
    let two = dir.join("two.csv");
    std::fs::write(&two, "MaHoSo,DonViXuLy,TrangThaiHoSo,NgayTiepNhan,NgayHenTra\nA1,X01.1,4,20260302080000,20260305080000\nA2,Y02.1,4,20260302080000,20260305080000\n").unwrap();
    let (_, err) = fails(
        &[
            "--lang",
            "en",
            "records",
            &s(&two),
            "--period",
            "2026-03",
            "--publications",
            PUBS,
        ],
        1,
    );
    assert!(err.contains("[publications_several_provinces]"), "{err}");
    assert!(err.contains("2 top-level units (X01, Y02)"), "{err}");
}

#[test]
fn publications_as_json_lines_give_the_same_figures() {
    // The sample rewritten as JSON lines (keys = the CSV headers, empty cells left out).
    let dir = scratch("pubs-jsonl");
    let jsonl = dir.join("pubs.jsonl");
    let mut r = csv::Reader::from_path(repo().join(PUBS)).unwrap();
    let headers = r.headers().unwrap().clone();
    let mut text = String::new();
    for rec in r.records() {
        let rec = rec.unwrap();
        let obj: serde_json::Map<String, serde_json::Value> = headers
            .iter()
            .zip(rec.iter())
            .filter(|(_, v)| !v.is_empty())
            .map(|(h, v)| (h.to_owned(), v.into()))
            .collect();
        text.push_str(&serde_json::Value::Object(obj).to_string());
        text.push('\n');
    }
    std::fs::write(&jsonl, text).unwrap();
    let from_csv = sample_json(&["--publications", PUBS]);
    let from_jsonl = sample_json(&["--publications", &s(&jsonl)]);
    assert_eq!(from_jsonl["publications"]["source"], "pubs.jsonl");
    // The same counts (the explanations name the file).
    let counts = |v: &serde_json::Value| -> Vec<String> {
        v["publications"]["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                format!(
                    "{} {} {} {}/{}",
                    i["period"], i["indicator"], i["fed"], i["numerator"], i["denominator"]
                )
            })
            .collect()
    };
    assert_eq!(counts(&from_jsonl), counts(&from_csv));
    for key in ["periods", "not_issued", "outside_period"] {
        assert_eq!(
            from_jsonl["publications"][key], from_csv["publications"][key],
            "{key}"
        );
    }
    let strip = |v: &serde_json::Value| {
        let mut v = v.clone();
        for u in v["units"].as_array_mut().unwrap() {
            for p in u["periods"].as_array_mut().unwrap() {
                p.as_object_mut().unwrap().remove("from_publications");
            }
        }
        v["units"].clone()
    };
    assert_eq!(strip(&from_jsonl), strip(&from_csv));
}
