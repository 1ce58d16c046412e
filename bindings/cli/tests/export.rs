//! `chiso export-template` → a filled form (written here) → `chiso read-form` → an
//! assessment; `chiso sheet` writes the official score sheet with numbers as numbers.

use calamine::{open_workbook_auto, Data, Reader};
use rust_xlsxwriter::Workbook;
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

fn sheet(path: &Path, name: &str) -> Vec<Vec<Data>> {
    let mut wb = open_workbook_auto(path).unwrap();
    let range = wb.worksheet_range(name).unwrap();
    let (r0, _) = range.start().unwrap_or((0, 0));
    let mut rows = vec![Vec::new(); r0 as usize];
    rows.extend(range.rows().map(|r| r.to_vec()));
    rows
}

fn text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        o => o.to_string(),
    }
}

/// Copies the form, typing `values` (code → self value) into "Tự chấm: giá trị".
fn fill(form: &Path, out: &Path, unit: &str, values: &[(&str, &str)]) {
    let mut wb_in = open_workbook_auto(form).unwrap();
    let names = wb_in.sheet_names();
    let mut wb = Workbook::new();
    for name in names {
        let range = wb_in.worksheet_range(&name).unwrap();
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let ws = wb.add_worksheet();
        ws.set_name(&name).unwrap();
        let rows: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
        let header = rows
            .iter()
            .position(|r| r.iter().any(|c| text(c) == "Tự chấm: giá trị"));
        let value_col =
            header.and_then(|h| rows[h].iter().position(|c| text(c) == "Tự chấm: giá trị"));
        for (i, row) in rows.iter().enumerate() {
            let r = r0 + i as u32;
            for (j, c) in row.iter().enumerate() {
                let col = (c0 + j as u32) as u16;
                match c {
                    Data::Float(f) => {
                        ws.write_number(r, col, *f).unwrap();
                    }
                    Data::Int(n) => {
                        ws.write_number(r, col, *n as f64).unwrap();
                    }
                    Data::Empty => {}
                    o => {
                        ws.write_string(r, col, o.to_string()).unwrap();
                    }
                }
            }
            if name == "Phiếu chấm" && r == 0 {
                ws.write_string(0, 1, unit).unwrap();
            }
            if let (Some(h), Some(vc)) = (header, value_col) {
                if i > h {
                    let code = text(&row[0]);
                    if let Some((_, v)) = values.iter().find(|(c, _)| *c == code) {
                        ws.write_string(r, (c0 as usize + vc) as u16, *v).unwrap();
                    }
                }
            }
        }
    }
    wb.save(out).unwrap();
}

#[test]
fn filled_form_reads_back_as_an_assessment() {
    let dir = tempfile::tempdir().unwrap();
    let index = repo().join("criteria/par-index/camau-1880-2013-area1.json");
    let form = dir.path().join("form.xlsx");
    let o = chiso(&[
        "export-template",
        index.to_str().unwrap(),
        "--out",
        form.to_str().unwrap(),
        "--year",
        "2013",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let filled = dir.path().join("filled.xlsx");
    // Hand-worked from the scoring wording of Cà Mau area 1 (par-index.md §9.1):
    // 1.1.1 on time 1; 1.1.2 funding missing 0; 1.1.3 meets 1; 1.1.4 at 90% → "từ 70% - 90%" 1;
    // 1.2.1 all reports on time 1; 1.2.2 does not meet 0; 1.3 appraiser gives 2,5. Total 6.5.
    fill(
        &form,
        &filled,
        "Sở Tư pháp",
        &[
            ("1.1.1", "Ban hành kịp thời"),
            ("1.1.2", "du_nhiem_vu=Có; bo_tri_kinh_phi=Không"),
            ("1.1.3", "Đạt yêu cầu"),
            ("1.1.4", "90"),
            ("1.2.1", "Có"),
            ("1.2.2", "Không đạt yêu cầu"),
            ("1.3", "2,5"),
        ],
    );
    let asm = dir.path().join("a.json");
    let o = chiso(&[
        "read-form",
        index.to_str().unwrap(),
        filled.to_str().unwrap(),
        "--out",
        asm.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let a = chiso::load::assessment(&std::fs::read_to_string(&asm).unwrap()).unwrap();
    assert_eq!(a.unit.name, "Sở Tư pháp");
    assert_eq!(a.year, Some(2013));
    let idx = chiso::Index::from_file(&index).unwrap();
    let res = idx.score(&a, chiso::View::SelfAssessment).unwrap();
    assert_eq!(res.total.achieved, Some("6.5".parse().unwrap()));

    // A value that is not an option is reported with its cell.
    let bad = dir.path().join("bad.xlsx");
    fill(&form, &bad, "X", &[("1.1.1", "Sớm"), ("1.3", "nhiều")]);
    let o = chiso(&["read-form", index.to_str().unwrap(), bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.contains("'Phiếu chấm'!") && e.contains("Sớm") && e.contains("nhiều"),
        "{e}"
    );
}

#[test]
fn score_sheet_has_the_official_layout_and_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let index = repo().join("criteria/examples/department-example.json");
    let a1 = repo().join("criteria/examples/department-example.assessment.json");
    let out = dir.path().join("scores.xlsx");
    let o = chiso(&[
        "sheet",
        index.to_str().unwrap(),
        a1.to_str().unwrap(),
        a1.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let idx = chiso::Index::from_file(&index).unwrap();
    let asm = chiso::load::assessment(&std::fs::read_to_string(&a1).unwrap()).unwrap();
    let res = idx.score(&asm, chiso::View::Final).unwrap();
    let wb = open_workbook_auto(&out).unwrap();
    let names = wb.sheet_names();
    assert_eq!(names.len(), 3, "{names:?}"); // two units (same name, made unique) + ranking
    assert_eq!(names[2], "Xếp hạng");
    let rows = sheet(&out, &names[0]);
    let header: Vec<String> = rows[3].iter().map(text).collect();
    assert_eq!(
        header,
        [
            "STT",
            "Tiêu chí",
            "Điểm tối đa",
            "Điểm tự chấm",
            "Điểm thẩm định",
            "Ghi chú"
        ]
    );
    // Every criterion appears, maxima stored as numbers.
    for n in &res.nodes {
        let row = rows
            .iter()
            .find(|r| r.first().map(text).as_deref() == Some(n.code.as_str()))
            .unwrap();
        if let Some(m) = n.max_points {
            assert_eq!(
                row[2],
                Data::Float(m.to_string().parse().unwrap()),
                "{}",
                n.code
            );
        }
    }
    let total = rows
        .iter()
        .find(|r| r.get(1).map(text).as_deref() == Some("TỔNG ĐIỂM"))
        .unwrap();
    let want: f64 = res
        .total
        .appraised_points
        .or(res.total.self_points)
        .unwrap()
        .to_string()
        .parse()
        .unwrap();
    let col = if res.total.appraised_points.is_some() {
        4
    } else {
        3
    };
    assert!(matches!(total[col], Data::Float(x) if (x - want).abs() < 1e-9));
    assert!(rows
        .iter()
        .any(|r| r.get(1).map(text).as_deref() == Some("CHỈ SỐ (%)")));
    let rank = sheet(&out, "Xếp hạng");
    assert_eq!(text(&rank[0][0]), "Hạng");
    assert_eq!(rank.len(), 3);
    assert_eq!(rank[1][0], Data::Float(1.0));
    assert_eq!(rank[2][0], Data::Float(1.0)); // tie
}

#[test]
fn a_criterion_on_two_rows_of_a_form_is_an_error_naming_both() {
    let dir = tempfile::tempdir().unwrap();
    let index = repo().join("criteria/par-index/camau-1880-2013-area1.json");
    let form = dir.path().join("form.xlsx");
    let o = chiso(&[
        "export-template",
        index.to_str().unwrap(),
        "--out",
        form.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // The form as a user might leave it: 1.3 typed twice, on its own row and on a copy.
    let filled = dir.path().join("filled.xlsx");
    fill(&form, &filled, "Sở Tư pháp", &[("1.3", "2,5")]);
    let rows = sheet(&filled, "Phiếu chấm");
    let r13 = rows
        .iter()
        .position(|r| r.first().map(text).as_deref() == Some("1.3"))
        .unwrap();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Phiếu chấm").unwrap();
    for (r, row) in rows.iter().chain([&rows[r13]]).enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !matches!(v, Data::Empty) {
                ws.write_string(r as u32, c as u16, text(v)).unwrap();
            }
        }
    }
    let last = rows.len(); // 0-based row of the copy
    let twice = dir.path().join("twice.xlsx");
    wb.save(&twice).unwrap();
    let out = dir.path().join("a.json");
    let o = chiso(&[
        "--lang",
        "en",
        "read-form",
        index.to_str().unwrap(),
        twice.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let e = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{e}");
    let want = format!(
        "error at 'Phiếu chấm'!A{} (criterion 1.3): the code is used twice (first at 'Phiếu chấm'!A{})",
        last + 1,
        r13 + 1
    );
    assert!(e.contains(&want), "{e}\nwanted: {want}");
    assert!(!out.exists());
}

#[test]
fn unit_names_with_control_characters_give_a_readable_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let index = repo().join("criteria/examples/department-example.json");
    let a1 = repo().join("criteria/examples/department-example.assessment.json");
    let mut asm: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&a1).unwrap()).unwrap();
    let nasty = "Sở\u{0} Nội\u{1b}[31m vụ: [2024]/*?'";
    asm["unit"]["name"] = nasty.into();
    let a = dir.path().join("a.json");
    std::fs::write(&a, asm.to_string()).unwrap();
    let out = dir.path().join("bang.xlsx");
    let o = chiso(&[
        "sheet",
        index.to_str().unwrap(),
        a.to_str().unwrap(),
        a.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // calamine (a strict XML reader) reads every sheet back.
    let mut wb = open_workbook_auto(&out).unwrap();
    let names = wb.sheet_names();
    // Control characters, [ ] : * ? / and the closing apostrophe removed; unique.
    assert_eq!(
        names,
        ["Sở Nội31m vụ 2024", "Sở Nội31m vụ 2024 2", "Xếp hạng"]
    );
    for n in &names {
        wb.worksheet_range(n).unwrap();
    }
    let rows = sheet(&out, &names[0]);
    assert_eq!(text(&rows[0][0]), "BẢNG ĐIỂM: Sở Nội[31m vụ: [2024]/*?'");
    let ranking = sheet(&out, "Xếp hạng");
    assert_eq!(text(&ranking[1][1]), "Sở Nội[31m vụ: [2024]/*?'");
}

#[test]
fn a_failed_write_leaves_the_old_workbook_whole() {
    let dir = tempfile::tempdir().unwrap();
    let index = repo().join("criteria/examples/department-example.json");
    let a1 = repo().join("criteria/examples/department-example.assessment.json");
    // The target is a folder: the write fails, the folder and its file are untouched,
    // no temporary file is left beside it.
    let out = dir.path().join("bang.xlsx");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("keep.txt"), "old").unwrap();
    let o = chiso(&[
        "--lang",
        "en",
        "sheet",
        index.to_str().unwrap(),
        a1.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let e = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{e}");
    assert!(
        e.contains("cannot write") && !e.contains("cannot read"),
        "{e}"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("keep.txt")).unwrap(),
        "old"
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    // export-template into a missing folder: a write error too, nothing created.
    let form = dir.path().join("khong-co/phieu.xlsx");
    let o = chiso(&[
        "--lang",
        "en",
        "export-template",
        index.to_str().unwrap(),
        "--out",
        form.to_str().unwrap(),
    ]);
    let e = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{e}");
    assert!(e.contains("cannot write"), "{e}");
    assert!(!dir.path().join("khong-co").exists());
}
