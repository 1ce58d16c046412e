//! `chiso import`: a messy .xlsx annex table generated here (merged cells, blank
//! spacer rows, "1,0", diacritic-less headers) → a valid index; round trip
//! import → export-template → import gives the same index.

use rust_xlsxwriter::{Format, Workbook};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn chiso(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chiso"))
        .args(args)
        .output()
        .unwrap()
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

const META: &[&str] = &[
    "--id", "par-test-import", "--title", "Bảng thử", "--version", "1880/QĐ-UBND-2013",
    "--decision", "1880/QĐ-UBND", "--issuer", "UBND tỉnh Cà Mau",
    "--url", "https://thuvienphapluat.vn/van-ban/Bo-may-hanh-chinh/Quyet-dinh-1880-QD-UBND-nam-2013-xac-dinh-Chi-so-Cai-cach-hanh-chinh-Ca-Mau-229973.aspx",
    "--unit-level", "department", "--from-year", "2013",
];

/// The public part of Cà Mau's area-1 table (par-index.md §9.1), laid out like an annex.
fn write_messy(path: &Path) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Phụ lục").unwrap();
    let bold = Format::new().set_bold();
    ws.merge_range(0, 0, 0, 4, "BẢNG TIÊU CHÍ XÁC ĐỊNH CHỈ SỐ CCHC", &bold)
        .unwrap();
    for (c, h) in [
        "STT",
        "Linh vuc/Tieu chi/Tieu chi thanh phan",
        "Diem toi da",
        "Cach cham diem",
        "Ghi chu",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    let rows: &[(&str, &str, &str, &str)] = &[
        ("1", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC", "", ""),
        ("1.1", "Kế hoạch CCHC năm", "5,0", ""),
        ("1.1.1", "Ban hành kế hoạch CCHC năm", "1,0", "Ban hành kịp thời: 1 / Ban hành không kịp thời: 0,5 / Không ban hành: 0"),
        ("1.1.2", "Xác định đầy đủ các nhiệm vụ CCHC", "1", "Xác định đầy đủ nhiệm vụ và có bố trí kinh phí: 1 / Không xác định đầy đủ nhiệm vụ hoặc không bố trí kinh phí: 0"),
        ("1.1.3", "Các kết quả phải đạt được xác định rõ ràng", "1", "Đạt yêu cầu: 1 / Không đạt yêu cầu: 0"),
        ("1.1.4", "Mức độ thực hiện kế hoạch CCHC", "2", "Thực hiện trên 90% kế hoạch: 2 / Thực hiện từ 70% - 90% kế hoạch: 1 / Dưới 70% kế hoạch: 0"),
    ];
    let mut r = 3u32;
    for (code, name, max, scoring) in rows {
        if *code == "1.1.1" {
            // Merged STT/name/max over three rows, wording one line per row.
            ws.merge_range(r, 0, r + 2, 0, code, &Format::new())
                .unwrap();
            ws.merge_range(r, 1, r + 2, 1, name, &Format::new())
                .unwrap();
            ws.merge_range(r, 2, r + 2, 2, max, &Format::new()).unwrap();
            for (k, line) in scoring.split(" / ").enumerate() {
                ws.write_string(r + k as u32, 3, line).unwrap();
            }
            r += 4; // and a blank spacer row
            continue;
        }
        ws.write_string(r, 0, *code).unwrap();
        ws.write_string(r, 1, *name).unwrap();
        if *max == "1" || *max == "2" {
            ws.write_number(r, 2, max.parse::<f64>().unwrap()).unwrap();
        } else {
            ws.write_string(r, 2, *max).unwrap();
        }
        ws.write_string(r, 3, *scoring).unwrap();
        r += 1;
    }
    wb.save(path).unwrap();
}

#[test]
fn messy_xlsx_imports_validates_and_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let table = dir.path().join("annex.xlsx");
    write_messy(&table);
    let out1 = dir.path().join("index.json");
    let mut args = vec![
        "import",
        table.to_str().unwrap(),
        "--out",
        out1.to_str().unwrap(),
    ];
    args.extend_from_slice(META);
    let o = chiso(&args);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{stderr}");
    // The ambiguous 90% bound is reported with its cell.
    assert!(stderr.contains("'Phụ lục'!D"), "{stderr}");
    assert!(stderr.contains("90"), "{stderr}");
    let text = std::fs::read_to_string(&out1).unwrap();
    let index = chiso::Index::from_json(&text).unwrap();
    let def = index.definition();
    assert_eq!(def.completeness, chiso::index::Completeness::Provisional);
    assert_eq!(
        def.nodes[0].children[0].max_points,
        Some("5".parse().unwrap())
    );
    let n111 = index.node("1.1.1").unwrap();
    assert_eq!(n111.max, Some(1.into()));
    assert!(matches!(
        n111.rule,
        Some(chiso::rule::Rule::Timeliness { .. })
    ));
    assert!(index.node("1.1.4").is_some());

    // Round trip: export the form, import it again → the same index.
    let form = dir.path().join("form.xlsx");
    let o = chiso(&[
        "export-template",
        out1.to_str().unwrap(),
        "--out",
        form.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out2 = dir.path().join("index2.json");
    let o = chiso(&[
        "import",
        form.to_str().unwrap(),
        "--out",
        out2.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let a = chiso::load::index_definition(&text).unwrap();
    let b = chiso::load::index_definition(&std::fs::read_to_string(&out2).unwrap()).unwrap();
    assert_eq!(a, b);
}

#[test]
fn shipped_sets_round_trip_through_the_form() {
    let dir = tempfile::tempdir().unwrap();
    for f in [
        "criteria/par-index/camau-1880-2013-area1.json",
        "criteria/examples/department-example.json",
        "criteria/service-766/qd766-2022-five-groups.json",
    ] {
        let src = repo().join(f);
        let form = dir.path().join("form.xlsx");
        let o = chiso(&[
            "export-template",
            src.to_str().unwrap(),
            "--out",
            form.to_str().unwrap(),
        ]);
        assert!(
            o.status.success(),
            "{f}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let back = dir.path().join("back.json");
        let o = chiso(&[
            "import",
            form.to_str().unwrap(),
            "--out",
            back.to_str().unwrap(),
            "--completeness",
            "partial",
        ]);
        assert!(
            o.status.success(),
            "{f}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let mut a = chiso::load::index_definition(&std::fs::read_to_string(&src).unwrap()).unwrap();
        let b = chiso::load::index_definition(&std::fs::read_to_string(&back).unwrap()).unwrap();
        a.completeness = b.completeness;
        assert_eq!(a.nodes, b.nodes, "{f}");
        assert_eq!(a.adjustments, b.adjustments, "{f}");
        assert_eq!(a.id, b.id);
    }
}

#[test]
fn csv_template_imports_and_errors_are_located_all_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("bang.csv");
    std::fs::write(
        &csv,
        "Noi dung,STT,Diem toi da,Quy tac cham\nLĩnh vực,1,,\nA,1.1,\"0,5\",yes_no\nB,1.2,một,yes_no\nC,??,1,yes_no\nD,1.3,1,tiers: >=100%: 2\n",
    )
    .unwrap();
    let mut args = vec!["import", csv.to_str().unwrap()];
    args.extend_from_slice(META);
    let o = chiso(&args);
    assert_eq!(o.status.code(), Some(1));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("'bang'!C4"), "{e}");
    assert!(e.contains("'bang'!B5"), "{e}");
    assert!(e.contains("'bang'!D6"), "{e}");
    // Without legal basis metadata the import refuses (usage error).
    let o = chiso(&["import", csv.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    // The shipped CSV template imports.
    let t = repo().join("criteria/templates/criteria-template.csv");
    let mut args = vec!["import", t.to_str().unwrap()];
    args.extend_from_slice(META);
    let o = chiso(&args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}
