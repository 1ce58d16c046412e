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

// ------------------------------------------------------------------ hostile workbooks

/// One DEFLATE block (dynamic Huffman: literal 0 in 2 bits, length 258 in 1 bit, distance 1
/// in 1 bit) that inflates to `1 + 258·reps` zero bytes from about `reps / 4` bytes: the
/// classic zip bomb, 1,032 : 1. The 105-bit header was written bit by bit (see
/// tests/hostile/tools/xlsx.py for the same construction) and checked with zlib:
/// BFINAL=1, BTYPE=2, HLIT=29, HDIST=0, HCLEN=14; code-length codes 18→"0", 1→"10",
/// 2→"11"; lengths: 0→2, 255 zeros (18×2), 256→2, 28 zeros (18), 285→1, distance 0→1;
/// then literal 0. Each repetition is "0" + "0" (length 258, distance 1); the block ends
/// with end-of-block "11".
fn zero_bomb(reps: u64) -> Vec<u8> {
    const HEADER: [u8; 13] = [
        0xed, 0xc0, 0x81, 0x00, 0x00, 0x00, 0x00, 0x80, 0xa0, 0xfd, 0xa9, 0x17, 0xa9,
    ];
    let end = 105 + 2 * reps; // first bit of end-of-block
    let mut out = vec![0u8; (end + 2).div_ceil(8) as usize];
    out[..13].copy_from_slice(&HEADER);
    for bit in [end, end + 1] {
        out[(bit / 8) as usize] |= 1 << (bit % 8);
    }
    out
}

/// A zip holding one deflated part `name` with `data`, declaring `declared` bytes once
/// inflated (the truth, or a lie), CRC 0.
fn zip_with(name: &str, data: &[u8], declared: u64) -> Vec<u8> {
    let le16 = |v: u16| v.to_le_bytes();
    let le32 = |v: u32| v.to_le_bytes();
    let size = u32::try_from(declared).unwrap();
    let mut z = Vec::new();
    // Local header.
    z.extend(le32(0x0403_4b50));
    z.extend(le16(20));
    z.extend(le16(0));
    z.extend(le16(8)); // deflate
    z.extend(le32(0)); // time, date
    z.extend(le32(0)); // crc
    z.extend(le32(u32::try_from(data.len()).unwrap()));
    z.extend(le32(size));
    z.extend(le16(name.len() as u16));
    z.extend(le16(0));
    z.extend(name.as_bytes());
    z.extend(data);
    let cd = z.len() as u32;
    z.extend(le32(0x0201_4b50));
    z.extend(le16(20));
    z.extend(le16(20));
    z.extend(le16(0));
    z.extend(le16(8));
    z.extend(le32(0));
    z.extend(le32(0));
    z.extend(le32(u32::try_from(data.len()).unwrap()));
    z.extend(le32(size));
    z.extend(le16(name.len() as u16));
    z.extend([0u8; 8]); // extra and comment lengths, disk, internal attributes
    z.extend(le32(0)); // external attributes
    z.extend(le32(0)); // local header offset
    z.extend(name.as_bytes());
    let cd_len = z.len() as u32 - cd;
    z.extend(le32(0x0605_4b50));
    z.extend([0u8; 4]);
    z.extend(le16(1));
    z.extend(le16(1));
    z.extend(le32(cd_len));
    z.extend(le32(cd));
    z.extend(le16(0));
    z
}

/// Runs chiso under an address-space limit (MiB), as the hostile suite does.
fn chiso_limited(mib: u64, args: &[&str]) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {}; exec \"$0\" \"$@\"", mib * 1024))
        .arg(env!("CARGO_BIN_EXE_chiso"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn a_3_mb_zip_bomb_of_3_gib_is_refused_before_inflating_in_bounded_memory() {
    // 3 GiB of zeros from 3.1 MB: the figures of issue 12.
    let reps = ((3u64 << 30) - 1).div_ceil(258);
    let data = zero_bomb(reps);
    let inflated = 1 + 258 * reps;
    assert!(data.len() < 3_200_000 && inflated >= 3 << 30);
    let dir = tempfile::tempdir().unwrap();
    // Honest directory: refused from the declared size, nothing inflated.
    let honest = dir.path().join("bom-that.xlsx");
    std::fs::write(
        &honest,
        zip_with("xl/worksheets/sheet1.xml", &data, inflated),
    )
    .unwrap();
    let mut args = vec!["--lang", "en", "import", honest.to_str().unwrap()];
    args.extend_from_slice(META);
    let started = std::time::Instant::now();
    let o = chiso_limited(128, &args);
    let e = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{e}");
    assert!(
        e.contains("xl/worksheets/sheet1.xml") && e.contains("exceeds the limit"),
        "{e}"
    );
    assert!(e.contains(&inflated.to_string()), "{e}");
    // Lying directory (declares 100,000 bytes): inflation stops one byte past the
    // declared size, so memory and time stay those of 100 KB.
    let lying = dir.path().join("bom-noi-doi.xlsx");
    std::fs::write(&lying, zip_with("xl/worksheets/sheet1.xml", &data, 100_000)).unwrap();
    let mut args = vec!["--lang", "en", "import", lying.to_str().unwrap()];
    args.extend_from_slice(META);
    let o = chiso_limited(128, &args);
    let e = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{e}");
    assert!(
        e.contains("more than the 100000 bytes its header declares"),
        "{e}"
    );
    // Neither run inflated the 3 GiB (about 3 s at 1 GB/s even without allocating).
    assert!(started.elapsed().as_secs() < 30);
}

#[test]
fn the_bomb_stream_really_inflates_to_zeros() {
    // The stream of the test above, small: read it back through the workbook reader's
    // own path (an honest small part that is not XML is inflated and counted).
    let data = zero_bomb(100);
    let dir = tempfile::tempdir().unwrap();
    let ok = dir.path().join("nho.xlsx");
    std::fs::write(&ok, zip_with("xl/media/zeros.bin", &data, 1 + 258 * 100)).unwrap();
    let mut args = vec!["--lang", "en", "import", ok.to_str().unwrap()];
    args.extend_from_slice(META);
    let o = chiso(&args);
    let e = String::from_utf8_lossy(&o.stderr);
    // Past the archive checks (no size, ratio or declared-size complaint): calamine then
    // finds no workbook part.
    assert_eq!(o.status.code(), Some(1), "{e}");
    assert!(!e.contains("exceeds") && !e.contains("declares"), "{e}");
    // One byte fewer declared than inflated: refused as a lying header.
    std::fs::write(&ok, zip_with("xl/media/zeros.bin", &data, 258 * 100)).unwrap();
    let o = chiso(&args);
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.contains("more than the 25800 bytes its header declares"),
        "{e}"
    );
}

/// A minimal workbook: `sheets` as (name, state, sheet XML body rows).
fn workbook(path: &Path, sheets: &[(&str, Option<&str>, &str)]) {
    let mut wb = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>"#,
    );
    let mut rels = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    for (i, (name, state, _)) in sheets.iter().enumerate() {
        let st = state
            .map(|s| format!(r#" state="{s}""#))
            .unwrap_or_default();
        wb.push_str(&format!(
            r#"<sheet name="{name}" sheetId="{}"{st} r:id="rId{}"/>"#,
            i + 1,
            i + 1
        ));
        rels.push_str(&format!(r#"<Relationship Id="rId{}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{}.xml"/>"#, i + 1, i + 1));
    }
    wb.push_str("</sheets></workbook>");
    rels.push_str("</Relationships>");
    let f = std::fs::File::create(path).unwrap();
    let mut z = zip::ZipWriter::new(f);
    let o = zip::write::SimpleFileOptions::default();
    z.start_file("_rels/.rels", o).unwrap();
    use std::io::Write;
    z.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#).unwrap();
    z.start_file("xl/workbook.xml", o).unwrap();
    z.write_all(wb.as_bytes()).unwrap();
    z.start_file("xl/_rels/workbook.xml.rels", o).unwrap();
    z.write_all(rels.as_bytes()).unwrap();
    for (i, (_, _, rows)) in sheets.iter().enumerate() {
        z.start_file(format!("xl/worksheets/sheet{}.xml", i + 1), o)
            .unwrap();
        z.write_all(format!(r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>"#).as_bytes()).unwrap();
    }
    z.finish().unwrap();
}

fn s(r: &str, v: &str) -> String {
    format!(r#"<c r="{r}" t="inlineStr"><is><t>{v}</t></is></c>"#)
}

fn criteria_rows(max_cell: &str) -> String {
    format!(
        "<row r=\"1\">{}{}{}{}</row><row r=\"2\">{}{}{max_cell}{}</row>",
        s("A1", "STT"),
        s("B1", "Tiêu chí"),
        s("C1", "Điểm tối đa"),
        s("D1", "Cách chấm điểm"),
        s("A2", "1"),
        s("B2", "Ban hành kế hoạch"),
        s("D2", "Đạt yêu cầu: 1 / Không đạt yêu cầu: 0"),
    )
}

#[test]
fn hidden_sheets_are_skipped_by_name_and_formulas_use_their_saved_result() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bang.xlsx");
    let cached = criteria_rows(r#"<c r="C2"><f>0.5*2</f><v>1</v></c>"#);
    let hidden_rows = format!(
        "<row r=\"1\">{}{}{}</row><row r=\"2\">{}{}<c r=\"C2\"><v>9</v></c></row>",
        s("A1", "STT"),
        s("B1", "Tiêu chí"),
        s("C1", "Điểm tối đa"),
        s("A2", "2"),
        s("B2", "Tiêu chí trên trang ẩn"),
    );
    workbook(
        &p,
        &[
            ("Phụ lục", None, &cached),
            ("Nháp", Some("hidden"), &hidden_rows),
        ],
    );
    let out = dir.path().join("index.json");
    let mut args = vec![
        "--lang",
        "en",
        "import",
        p.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(META);
    let o = chiso(&args);
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{e}");
    assert!(
        e.contains("warning at 'Nháp'") && e.contains("the sheet \"Nháp\" is hidden"),
        "{e}"
    );
    assert!(e.contains("index written (1 warning)"), "{e}");
    let def = chiso::load::index_definition(&std::fs::read_to_string(&out).unwrap()).unwrap();
    // Only the visible criterion, with the formula's saved result as its maximum.
    assert_eq!(def.nodes.len(), 1);
    assert_eq!(def.nodes[0].code, "1");
    assert_eq!(def.nodes[0].max_points, Some(rust_decimal::Decimal::ONE));
    // --strict turns the skipped sheet into a failure, and nothing is written.
    std::fs::remove_file(&out).unwrap();
    args.push("--strict");
    let o = chiso(&args);
    assert_eq!(o.status.code(), Some(1));
    assert!(!out.exists());
}

#[test]
fn a_formula_without_saved_result_is_an_error_at_its_cell_never_blank() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bang.xlsx");
    workbook(
        &p,
        &[(
            "Phụ lục",
            None,
            &criteria_rows(r#"<c r="C2"><f>0.5*2</f></c>"#),
        )],
    );
    let mut args = vec!["--lang", "en", "import", p.to_str().unwrap()];
    args.extend_from_slice(META);
    let o = chiso(&args);
    let e = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{e}");
    assert!(e.contains("error at 'Phụ lục'!C2"), "{e}");
    assert!(
        e.contains("formula \"=0.5*2\" whose result is not saved"),
        "{e}"
    );
}

#[test]
fn two_max_columns_are_an_error_naming_both_cells() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bang.csv");
    std::fs::write(&p, "STT,Tiêu chí,Điểm tối đa,Cách chấm điểm,Điểm\n1,A,1,Đạt yêu cầu: 1 / Không đạt yêu cầu: 0,2\n").unwrap();
    let mut args = vec!["--lang", "en", "import", p.to_str().unwrap()];
    args.extend_from_slice(META);
    let o = chiso(&args);
    let e = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{e}");
    assert!(e.contains("error at 'bang'!E1: the column \"Điểm\" appears twice in the header row (first at 'bang'!C1, \"Điểm tối đa\")"), "{e}");
    // Only that error: no echo of an empty tree.
    assert_eq!(e.lines().count(), 1, "{e}");
}

#[test]
fn missing_metadata_is_listed_in_one_message() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bang.csv");
    std::fs::write(&p, "STT,Tiêu chí,Điểm tối đa\n1,A,1\n").unwrap();
    let o = chiso(&[
        "--lang",
        "en",
        "import",
        p.to_str().unwrap(),
        "--id",
        "x",
        "--unit-level",
        "so",
    ]);
    let e = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{e}");
    assert!(
        e.contains("--title, --version, --decision, --issuer, --url, --from-year"),
        "{e}"
    );
    assert!(e.contains("unknown --unit-level 'so'"), "{e}");
    assert_eq!(e.lines().count(), 2, "{e}");
}

#[test]
fn legacy_xls_is_refused_with_a_way_forward() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bang.xls");
    // A compound-file header claiming 4 billion FAT sectors (calamine would reserve 16 GB).
    let mut cfb = vec![0u8; 512];
    cfb[..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    cfb[30] = 9;
    cfb[32] = 6;
    cfb[44..48].copy_from_slice(&u32::MAX.to_le_bytes());
    std::fs::write(&p, cfb).unwrap();
    let mut args = vec!["--lang", "en", "import", p.to_str().unwrap()];
    args.extend_from_slice(META);
    let o = chiso_limited(128, &args);
    let e = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{e}");
    assert!(e.contains("save it as .xlsx"), "{e}");
}
