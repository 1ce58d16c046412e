//! Tests of `read`.

#![allow(clippy::unwrap_used)]
use super::*;

fn read_all(text: &str, format: RecordFormat) -> (Vec<Vec<(Column, String)>>, Problems) {
    let resolver = Resolver::new(None).unwrap();
    let mut problems = Problems::default();
    let mut out = Vec::new();
    let Some(mut r) = Reader::new(text.as_bytes(), format, &resolver, &mut problems).unwrap()
    else {
        return (out, problems);
    };
    let mut cells = RowCells::default();
    while r.next(&mut cells, &mut problems).unwrap() {
        if cells.ok {
            out.push(
                Column::ALL
                    .into_iter()
                    .filter_map(|c| {
                        cells
                            .get(c)
                            .filter(|s| !s.is_empty())
                            .map(|s| (c, s.to_owned()))
                    })
                    .collect(),
            );
        }
    }
    (out, problems)
}

#[test]
fn csv_and_json_lines_fill_the_same_cells() {
    let csv = "\u{feff}Mã hồ sơ;DonViXuLy;TrangThaiHoSo;NgayTiepNhan;NgayYeuCauBoSung;NgayTiepNhanBoSung;Email\n\
               A1;H21.17;4;20260105080000;20260106080000;20260107080000;x@y\n";
    let json = "{\"MaHoSo\":\"A1\",\"DonViXuLy\":\"H21.17\",\"TrangThaiHoSo\":4,\"NgayTiepNhan\":\"20260105080000\",\
                \"DanhSachHoSoBoSung\":[{\"NgayBoSung\":\"20260106080000\",\"NgayTiepNhanBoSung\":\"20260107080000\",\"TrangThaiBoSung\":1}],\"Email\":\"x@y\"}\n\n";
    let (a, pa) = read_all(csv, RecordFormat::Csv);
    let (b, pb) = read_all(json, RecordFormat::JsonLines);
    assert!(pa.is_empty() && pb.is_empty());
    assert_eq!(a, b);
    assert_eq!(a[0].len(), 6);
}

#[test]
fn header_problems_all_at_once() {
    let (_, p) = read_all(
        "MaHoSo,KenhThucHien,HinhThuc,Emial\nA,1,1,x\n",
        RecordFormat::Csv,
    );
    let d = p.finish("f.csv");
    let text = d.render(crate::Lang::En);
    assert_eq!(d.len(), 3, "{text}");
    assert!(
        text.contains("\"KenhThucHien (KenhThucHien, HinhThuc)\" is used twice"),
        "{text}"
    );
    assert!(
        text.contains("field \"Emial\" is not allowed here"),
        "{text}"
    );
    assert!(
        text.contains("missing: DonViXuLy, TrangThaiHoSo, NgayTiepNhan"),
        "{text}"
    );
}

#[test]
fn rows_of_the_wrong_width_and_long_lines_are_reported() {
    let (rows, p) = read_all(
        "MaHoSo,DonViXuLy,TrangThaiHoSo,NgayTiepNhan\nA,H,4\nB,H,4,20260105\n",
        RecordFormat::Csv,
    );
    assert_eq!(rows.len(), 1);
    assert_eq!(p.count(), 1);
    let long = format!(
        "MaHoSo,DonViXuLy,TrangThaiHoSo,NgayTiepNhan\n{}\n",
        "x".repeat(MAX_LINE_BYTES + 10)
    );
    let (rows, p) = read_all(&long, RecordFormat::Csv);
    assert!(rows.is_empty());
    assert!(p
        .finish("f")
        .render(crate::Lang::En)
        .contains("longer than"));
    let (rows, p) = read_all(
        &format!("{{\"MaHoSo\":\"{}\"}}\n", "x".repeat(MAX_LINE_BYTES)),
        RecordFormat::JsonLines,
    );
    assert!(rows.is_empty());
    assert_eq!(p.count(), 1);
}

#[test]
fn json_duplicate_keys_are_errors() {
    let (rows, p) = read_all(
        "{\"MaHoSo\":\"A\",\"mahoso\":\"B\"}\n",
        RecordFormat::JsonLines,
    );
    assert!(rows.is_empty());
    assert_eq!(p.count(), 1);
}
