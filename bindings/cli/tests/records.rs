//! `chiso records` end to end: formats, explanations, cost lists, policies, mapping,
//! xlsx input, bad input (exit 1, nothing written), atomic --out.
//!
//! Figures are the hand-worked ones of `tests/fixtures/records/tet-2026.csv` (see the
//! comments in `tests/records.rs`): X01.1 2.1 = 3/6 → 20 × 1/2 = 10 points; X01.2 2.1 =
//! 2/5 → 8; their parent X01 = 5/11 → 9.09…; X01.1 assessable from records 31 + 20/9 =
//! 33.22… of 54.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

const TET: &str = "tests/fixtures/records/tet-2026.csv";
const TET_JSONL: &str = "tests/fixtures/records/tet-2026.jsonl";
const SIX: &str = "criteria/service-766/qd766-portal-six-groups.json";

#[path = "records/publications.rs"]
mod publications;

fn chiso(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chiso"))
        .current_dir(repo())
        .args(args)
        .output()
        .unwrap()
}

fn ok(args: &[&str]) -> String {
    let o = chiso(args);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(o.status.code(), Some(0), "stderr: {err}");
    String::from_utf8(o.stdout).unwrap()
}

fn fails(args: &[&str], code: i32) -> (String, String) {
    let o = chiso(args);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(o.status.code(), Some(code), "stderr: {err}");
    (String::from_utf8_lossy(&o.stdout).into_owned(), err)
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("chiso-records-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn s(p: &Path) -> String {
    p.display().to_string()
}

#[test]
fn table_shows_the_hand_worked_figures() {
    let out = ok(&["records", TET, "--period", "2026-02"]);
    for needle in [
        "3/6 → 10,00",
        "2/5 → 8,00",
        "5/11 → 9,09",
        "33,22 / 54,00",
        "X01.1 Sở Thử nghiệm A",
        "chính sách (tất cả mặc định",
    ] {
        assert!(out.contains(needle), "missing {needle}:\n{out}");
    }
    // Columns absent from the fixture are named, never shown as zero.
    assert!(out.contains("4.3 (TaiSuDungDuLieuSoHoa)"), "{out}");
    let en = ok(&["--lang", "en", "records", TET, "--period", "2026-02"]);
    assert!(
        en.contains("3/6 → 10.00") && en.contains("Points from records"),
        "{en}"
    );
}

#[test]
fn json_is_exact_and_records_the_policies() {
    let out = ok(&[
        "records", TET, "--period", "2026-02", "--format", "json", "--costs", "2",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["format"], "chiso.records/1");
    assert_eq!(v["policies"]["repeated_supplements"], "overdue");
    let x1 = v["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["code"] == "X01.1")
        .unwrap();
    let p = &x1["periods"][0];
    assert_eq!(
        p["indicators"]["2.1"],
        serde_json::json!({"numerator": 3, "denominator": 6})
    );
    assert_eq!(p["score"]["leaves"]["2.1"], "10");
    // 31 + 20/9, or 31 + 2.22 when the index rounds each indicator's points (portal).
    let pts = p["score"]["records_points"].as_str().unwrap();
    assert!(
        pts.starts_with("33.2222222") || pts == "33.22",
        "{}",
        p["score"]
    );
    assert_eq!(p["counts"]["late"], 3);
    assert_eq!(p["costs"].as_array().unwrap().len(), 2);
    assert_eq!(p["costs"][0]["ma_ho_so"], "D06");
    let ind = v["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == "4.3")
        .unwrap();
    assert_eq!(ind["computable"], false);
}

#[test]
fn csv_and_batch_formats_feed_chiso_batch() {
    let out = ok(&["records", TET, "--period", "2026-02", "--format", "csv"]);
    assert!(out.starts_with("unit,name,depth,parent,period,received,early,on_time,late,open_not_due,open_overdue,withdrawn_apart,1.4,2.1,"), "{out}");
    assert!(
        out.contains(
            "\nX01.1,Sở Thử nghiệm A,2,X01,2026-02,6,2,1,3,0,0,0,5/6,3/6,3/6,2/3,4/6,3/6,,,,2/6\n"
        ),
        "{out}"
    );
    let dir = scratch("batch");
    let file = dir.join("units.csv");
    ok(&[
        "records",
        TET,
        "--period",
        "2026-02",
        "--format",
        "batch",
        "--unit-level",
        "2",
        "--out",
        &s(&file),
    ]);
    let batch = ok(&["batch", SIX, &s(&file)]);
    let header: Vec<&str> = batch.lines().next().unwrap().split(',').collect();
    let row: Vec<&str> = batch
        .lines()
        .find(|l| l.starts_with("X01.1,"))
        .unwrap()
        .split(',')
        .collect();
    let col = |c: &str| row[header.iter().position(|h| *h == c).unwrap()];
    assert_eq!(col("2.1"), "10");
    assert_eq!(col("4.1"), "4");
    assert!(
        !batch.contains("\nX01,"),
        "--unit-level 2 leaves the province out:\n{batch}"
    );
}

#[test]
fn explain_and_costs() {
    let out = ok(&[
        "--lang",
        "en",
        "records",
        TET,
        "--period",
        "2026-02",
        "--explain",
        "D01",
    ]);
    assert!(
        out.contains("Due: 25/02/2026 16:30 (no NgayHenTra: receipt + 3 working days"),
        "{out}"
    );
    assert!(
        out.contains("Finished: 26/02/2026 09:00 → late (by 2 working hours 30 min)"),
        "{out}"
    );
    assert!(
        out.contains("costs 20 / (100% × 6) = 10/3 ≈ 3.3333 points"),
        "{out}"
    );
    let (_, err) = fails(
        &["records", TET, "--period", "2026-02", "--explain", "NOPE"],
        1,
    );
    assert!(
        err.contains(
            "lỗi tại MaHoSo \"NOPE\": không có hồ sơ có MaHoSo này [records_unknown_dossier]"
        ),
        "{err}"
    );
    let out = ok(&[
        "records",
        TET,
        "--period",
        "2026-02",
        "--costs",
        "3",
        "--unit-level",
        "leaves",
    ]);
    assert!(
        out.contains("Hồ sơ làm mất điểm — X01.1 Sở Thử nghiệm A"),
        "{out}"
    );
    assert!(out.contains("2 giờ 30 phút làm việc"), "{out}");
}

#[test]
fn policies_file_changes_the_figures() {
    let dir = scratch("policies");
    let p = dir.join("p.json");
    std::fs::write(&p, r#"{"withdrawn": "excluded"}"#).unwrap();
    let out = ok(&["records", TET, "--period", "2026-02", "--policies", &s(&p)]);
    // D06 withdrawn leaves 2.1: X01.1 3/5 → 12.
    assert!(out.contains("3/5 → 12,00"), "{out}");
    assert!(out.contains("withdrawn = excluded"), "{out}");
    std::fs::write(&p, r#"{"withdrawn": "sometimes"}"#).unwrap();
    fails(
        &["records", TET, "--period", "2026-02", "--policies", &s(&p)],
        1,
    );
}

#[test]
fn json_lines_and_xlsx_give_the_same_table() {
    let csv = ok(&["records", TET, "--period", "2026-02", "--format", "csv"]);
    let jsonl = ok(&[
        "records", TET_JSONL, "--period", "2026-02", "--format", "csv",
    ]);
    assert_eq!(csv, jsonl);
    // The same file as a workbook (text cells).
    let dir = scratch("xlsx");
    let book = dir.join("tet.xlsx");
    let text = std::fs::read_to_string(repo().join(TET)).unwrap();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let sheet = wb.add_worksheet();
    for (r, line) in csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .enumerate()
    {
        for (c, cell) in line.unwrap().iter().enumerate() {
            if !cell.is_empty() {
                sheet.write_string(r as u32, c as u16, cell).unwrap();
            }
        }
    }
    wb.save(&book).unwrap();
    let xlsx = ok(&[
        "records",
        &s(&book),
        "--period",
        "2026-02",
        "--format",
        "csv",
    ]);
    assert_eq!(csv, xlsx);
}

#[test]
fn bad_input_exits_1_names_every_row_and_writes_nothing() {
    let dir = scratch("bad");
    let out = dir.join("out.csv");
    let (stdout, err) = fails(
        &[
            "--lang",
            "en",
            "records",
            "tests/fixtures/records/bad-rows.csv",
            "--period",
            "2026",
            "--out",
            &s(&out),
        ],
        1,
    );
    assert!(stdout.is_empty());
    assert!(!out.exists());
    assert_eq!(err.lines().count(), 13, "{err}");
    assert!(
        err.contains("row 2, column \"TrangThaiHoSo\", MaHoSo \"B01\""),
        "{err}"
    );
    assert!(
        err.contains("The year 2027 is not in the working calendar"),
        "{err}"
    );
    let (_, err) = fails(
        &[
            "records",
            "tests/fixtures/records/bad-header.csv",
            "--period",
            "2026",
        ],
        1,
    );
    assert!(err.contains("NgayHenTraa"), "{err}");
    fails(&["records", "no-such-file.csv", "--period", "2026"], 1);
}

#[test]
fn usage_errors_exit_2() {
    fails(&["records", TET, "--period", "2026-13"], 2);
    fails(&["records", TET, "--period", "2026", "--by", "week"], 2);
    fails(
        &["records", TET, "--period", "2026", "--unit-level", "top"],
        2,
    );
}

#[test]
fn out_is_written_atomically_and_a_failed_write_is_an_error() {
    let dir = scratch("out");
    let out = dir.join("r.json");
    ok(&[
        "records",
        TET,
        "--period",
        "2026-02",
        "--format",
        "json",
        "--out",
        &s(&out),
    ]);
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(v["format"], "chiso.records/1");
    // No temporary file left beside it.
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
    let (_, err) = fails(
        &[
            "records",
            TET,
            "--period",
            "2026-02",
            "--out",
            &s(&dir.join("missing/dir/r.txt")),
        ],
        1,
    );
    // A write failure, worded as one (never "cannot read"), naming the file and the reason.
    assert!(
        err.contains("r.txt") && err.contains("không ghi được kết quả"),
        "{err}"
    );
    assert!(err.contains("thư mục chứa tệp không tồn tại"), "{err}");
    assert!(!err.contains("không đọc được"), "{err}");
}

#[test]
fn mapping_file_and_periods_cut_by_month() {
    let dir = scratch("mapping");
    let data = dir.join("export.csv");
    std::fs::write(&data, "So ho so,Co quan,Ngay nhan,Hen tra,Xong,Trang thai\nM1,X01.1,20260302080000,20260304080000,20260303080000,Đã trả kết quả\nM2,X01.1,20260402080000,20260403080000,,Đang xử lý\n").unwrap();
    let map = dir.join("map.json");
    std::fs::write(&map, r#"{"format": "chiso.records-mapping/1",
        "columns": {"So ho so": "MaHoSo", "Co quan": "DonViXuLy", "Ngay nhan": "NgayTiepNhan", "Hen tra": "NgayHenTra", "Xong": "NgayKetThucXuLy", "Trang thai": "TrangThaiHoSo"},
        "values": {"TrangThaiHoSo": {"Đã trả kết quả": "10", "Đang xử lý": "4"}}}"#).unwrap();
    let out = ok(&[
        "records",
        &s(&data),
        "--period",
        "2026-03..2026-04",
        "--by",
        "month",
        "--mapping",
        &s(&map),
        "--format",
        "csv",
    ]);
    // March: M1 early (1/1); April: M2 open and overdue at the end of April (0/1).
    assert!(
        out.contains("\nX01.1,,2,X01,2026-03,1,1,0,0,0,0,0,,1/1,"),
        "{out}"
    );
    assert!(
        out.contains("\nX01.1,,2,X01,2026-04,1,0,0,0,0,1,0,,0/1,"),
        "{out}"
    );
    fails(&["records", &s(&data), "--period", "2026-03"], 1);
}

#[test]
fn the_shipped_sample_runs() {
    let out = ok(&[
        "records",
        "examples-data/dossiers-sample.csv",
        "--period",
        "2026-02..2026-05",
        "--costs",
        "3",
    ]);
    assert!(out.contains("Z99.202 UBND xã Mẫu B (tổng hợp)"), "{out}");
    let out = ok(&[
        "records",
        "examples-data/dossiers-sample.csv",
        "--period",
        "2026-02..2026-05",
        "--explain",
        "Z99.202-2026-0003",
    ]);
    // Received Thu 12/02 09:00, due Tue 24/02 09:00 (3 working days across Tết);
    // finished Wed 25/02 08:00: Tue 09:00–17:00 is 6 h, Wed 07:00–08:00 1 h.
    assert!(
        out.contains("Kết thúc: 25/02/2026 08:00 → quá hạn (trễ 7 giờ làm việc)"),
        "{out}"
    );
}

#[test]
fn a_values_file_completes_the_index() {
    let dir = scratch("values");
    let v = dir.join("values.csv");
    // The indicators records cannot give, for every unit (*), in batch cell syntax.
    std::fs::write(&v, "unit,1.1,1.2,1.3,3.1,3.2,3.5b,3.5a,4.3,4.4,4.5b,4.5a,4.6,5.2,5.3\n*,1/47,43/47,47/47,0/0,0/0,0/0,0/0,1/2,0/2,1/2,0/3,100%,0/0,0/0\n").unwrap();
    let out = ok(&[
        "--lang",
        "en",
        "records",
        TET,
        "--period",
        "2026-02",
        "--values",
        &s(&v),
    ]);
    // X01.1: records 33.22 (31 + 20/9) + values 6·1/47 + 4·43/47 + 2 + 0 + 0 + 0 + 0
    // + 2·min(1, 0.5/0.8) + 0 + 2·1/2 + 0 + 2 (4.6 at 100 %) + 6 + 6 (no petitions, 0/0 →
    // full marks) = 0.13 + 3.66 + 2 + 1.25 + 1 + 2 + 12 = 22.04 → 55.26.
    assert!(out.contains("Total (with --values)"), "{out}");
    let row = out.lines().find(|l| l.contains("X01.1 Sở")).unwrap();
    assert!(row.trim_end_matches(['│', ' ']).ends_with("55.26"), "{row}");
    std::fs::write(&v, "unit,2.1\n*,1/1\n").unwrap();
    let (_, err) = fails(
        &[
            "--lang",
            "en",
            "records",
            TET,
            "--period",
            "2026-02",
            "--values",
            &s(&v),
        ],
        1,
    );
    assert!(err.contains("computed from the records"), "{err}");
}

#[test]
fn the_json_is_the_library_document_byte_for_byte() {
    // The shipped example with everything the document can carry: cost lists, an
    // explanation, a values file, months, an as-of date.
    use chiso::records::{self, CostModel, Options, RecordFormat};
    let dir = scratch("document");
    let v = dir.join("values.csv");
    std::fs::write(&v, "unit,1.1,1.3,3.1\nZ99,1/2,3/4,1/1\n*,,1/1,\n").unwrap();
    let cli = ok(&[
        "records",
        "examples-data/dossiers-sample.csv",
        "--period",
        "2026-02..2026-05",
        "--by",
        "month",
        "--as-of",
        "2026-04-15",
        "--costs",
        "3",
        "--explain",
        "Z99.202-2026-0003",
        "--values",
        &s(&v),
        "--format",
        "json",
    ]);
    let path = repo().join("examples-data/dossiers-sample.csv");
    let mut o = Options::new(
        RecordFormat::Csv,
        "dossiers-sample.csv",
        "2026-02..2026-05".parse().unwrap(),
    );
    o.by = "month".parse().unwrap();
    // --as-of D judges open dossiers at the end of day D (00:00 of the next day).
    o.as_of = Some(
        chiso::calendar::NaiveDate::from_ymd_opt(2026, 4, 16)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap(),
    );
    let mut open = || std::fs::File::open(&path);
    let report = records::analyse(&mut open, &o).unwrap();
    let index = chiso::Index::from_file(&repo().join(SIX)).unwrap();
    let model = CostModel::from_index(&index).unwrap();
    let computed: Vec<records::Indicator> = records::Indicator::ALL
        .into_iter()
        .filter(|i| report.computable(*i))
        .collect();
    let values = records::Values::from_csv(
        &std::fs::read_to_string(&v).unwrap(),
        "values.csv",
        &index,
        &computed,
    )
    .unwrap();
    let det = records::details(
        &mut open,
        &report,
        &model,
        Some(3),
        &["Z99.202-2026-0003".to_owned()],
    )
    .unwrap();
    let units = report.units.tree_order();
    let doc =
        records::document(&report, &index, Some(&values), &units, Some(&det), &model).unwrap();
    assert_eq!(doc.to_json(), cli);
    // Not an empty document: every unit, four months, the explanation, the costs.
    assert_eq!(doc.units.len(), 4);
    assert_eq!(doc.units[0].periods.len(), 4);
    assert_eq!(doc.explanations.len(), 1);
    assert!(doc
        .units
        .iter()
        .any(|u| u.periods.iter().any(|p| !p.costs.is_empty())));
}

#[test]
fn the_default_index_is_built_in_and_works_from_any_directory() {
    let dir = scratch("elsewhere");
    let tet = s(&repo().join(TET));
    let run = |args: &[&str]| {
        let o = Command::new(env!("CARGO_BIN_EXE_chiso"))
            .current_dir(&dir)
            .args(args)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr).into_owned();
        assert!(!err.contains("panicked"), "{err}");
        (o.status.code(), String::from_utf8(o.stdout).unwrap(), err)
    };
    // No criteria/ here: the built-in index scores the same hand-worked figures.
    assert!(!dir.join("criteria").exists());
    let (code, out, err) = run(&["records", &tet, "--period", "2026-02"]);
    assert_eq!(code, Some(0), "{err}");
    let first = out.lines().next().unwrap();
    assert!(first.starts_with("Bộ chỉ số: "), "{first}");
    assert!(
        first.contains("(\"qd766-portal\", phiên bản Cổng DVCQG: 6 nhóm chỉ số")
            && first.ends_with("— có sẵn trong chiso (--index để dùng tệp khác)"),
        "{first}"
    );
    assert!(
        out.contains("3/6 → 10,00") && out.contains("33,22 / 54,00"),
        "{out}"
    );
    // The same document as from the repository root with the file named explicitly.
    let (_, here, _) = run(&["records", &tet, "--period", "2026-02", "--format", "json"]);
    let root = ok(&[
        "records", TET, "--period", "2026-02", "--format", "json", "--index", SIX,
    ]);
    assert_eq!(here, root);
    // --index still overrides: a copy of the index under another id.
    let text = std::fs::read_to_string(repo().join(SIX)).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["id"] = "qd766-portal-copy".into();
    std::fs::write(dir.join("copy.json"), v.to_string()).unwrap();
    let (code, out, err) = run(&[
        "--lang",
        "en",
        "records",
        &tet,
        "--period",
        "2026-02",
        "--index",
        "copy.json",
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        out.lines()
            .next()
            .unwrap()
            .contains("(\"qd766-portal-copy\", version ")
            && out.lines().next().unwrap().ends_with("— file copy.json"),
        "{out}"
    );
    let (_, json, _) = run(&[
        "records",
        &tet,
        "--period",
        "2026-02",
        "--index",
        "copy.json",
        "--format",
        "json",
    ]);
    let j: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(j["index"], "qd766-portal-copy");
    // A relative --index that is not there is an error (exit 1), never the built-in one.
    let (code, _, err) = run(&["records", &tet, "--period", "2026-02", "--index", SIX]);
    assert_eq!(code, Some(1), "{err}");
}

#[test]
fn a_read_only_out_file_is_left_as_it_was() {
    let dir = scratch("read-only");
    let out = dir.join("result.txt");
    std::fs::write(&out, "kết quả cũ\n").unwrap();
    let mut perm = std::fs::metadata(&out).unwrap().permissions();
    perm.set_readonly(true);
    std::fs::set_permissions(&out, perm).unwrap();
    let (_, err) = fails(
        &["records", TET, "--period", "2026-02", "--out", &s(&out)],
        1,
    );
    // Refused as the shell refuses `> result.txt` (even though a rename could replace it).
    assert!(
        err.contains("result.txt") && err.contains("không có quyền ghi tệp"),
        "{err}"
    );
    assert!(err.contains("tệp cũ (nếu có) được giữ nguyên"), "{err}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "kết quả cũ\n");
    // Nothing else in the folder: no temporary file left.
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
}
