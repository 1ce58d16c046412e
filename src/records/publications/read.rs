//! Reading a publications file: CSV (header row, `,` `;` or tab) or JSON lines (one object
//! per line, keys named like CSV headers), column names with or without diacritics, in
//! any order, and every row checked, every problem located.

use super::columns::{Column, COLUMN_COUNT, IGNORED_COLUMNS};
use super::error::{cell, location, Code, Problems};
use super::limits::{MAX_CELL_BYTES, MAX_COLUMNS, MAX_ROWS, MAX_TTHC_PER_ROW};
use super::rules::Kind;
use crate::authoring::fold;
use crate::calendar::{parse_local_time, NaiveDate};
use crate::diagnostics::{Diagnostic, Location, Problem};
use crate::records::read::Entries;
use crate::records::{header_key, RecordFormat};
use serde::Serialize;
use std::collections::HashMap;

/// A decision: its number and date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    /// Number as written (e.g. `123/QĐ-BYT`).
    pub number: String,
    /// Date of issue.
    #[serde(serialize_with = "super::judge::ser_date")]
    pub date: NaiveDate,
}

/// One row of a publications file, read and checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Publication {
    /// Row number (CSV: header = row 1; JSON lines: the line number).
    pub row: u64,
    /// The provincial act.
    pub kind: Kind,
    /// The ministry's decision announcing the TTHC.
    pub ministry: Decision,
    /// The provincial decision; `None`: not yet issued.
    pub provincial: Option<Decision>,
    /// Effective date of the legal basis (portal 1.1).
    #[serde(serialize_with = "super::judge::ser_opt_date")]
    pub effective: Option<NaiveDate>,
    /// Date "công khai" was clicked (portal 1.2).
    #[serde(serialize_with = "super::judge::ser_opt_date")]
    pub made_public: Option<NaiveDate>,
    /// Codes of the TTHC announced (may be empty).
    pub tthc: Vec<String>,
}

/// A row's cells by column (`None`: the column is absent).
struct RawRow {
    row: u64,
    cells: [Option<String>; COLUMN_COUNT],
}

/// What a header or JSON key denotes.
enum Target {
    Column(Column),
    Ignored,
    Unknown,
}

fn target(name: &str) -> Target {
    if let Some(c) = Column::from_header(name) {
        return Target::Column(c);
    }
    let key = header_key(name);
    if IGNORED_COLUMNS.iter().any(|i| header_key(i) == key) {
        Target::Ignored
    } else {
        Target::Unknown
    }
}

fn unknown_column(row: u64, name: &str) -> Diagnostic {
    let valid: Vec<String> = Column::ALL
        .iter()
        .map(|c| c.name())
        .chain(IGNORED_COLUMNS.iter().copied())
        .map(|v| format!("`{v}`"))
        .collect();
    Diagnostic::error_at(
        location(row, Some(name), None),
        None,
        Problem::Structure {
            detail: format!(
                "unknown field `{}`, expected one of {}",
                name.replace('`', "'"),
                valid.join(", ")
            ),
        },
    )
}

fn too_many_rows(row: u64) -> Diagnostic {
    cell(
        location(row, None, None),
        "",
        Code::TooLarge,
        &format!("more than {MAX_ROWS} rows; reading stopped here"),
        &format!("nhiều hơn {MAX_ROWS} dòng; dừng đọc tại đây"),
    )
}

fn too_long_cell(row: u64, column: &str, bytes: usize) -> Diagnostic {
    cell(
        location(row, Some(column), None),
        "",
        Code::TooLarge,
        &format!("the cell has {bytes} bytes, more than the {MAX_CELL_BYTES} allowed"),
        &format!("ô dài {bytes} byte, vượt giới hạn {MAX_CELL_BYTES} byte"),
    )
}

/// The delimiter of a CSV file from its first line: the most frequent of `,` `;` tab.
fn sniff_delimiter(text: &str) -> u8 {
    let line = text.lines().next().unwrap_or("");
    let count = |d: char| line.chars().filter(|&c| c == d).count();
    [(b',', ','), (b';', ';'), (b'\t', '\t')]
        .into_iter()
        .max_by_key(|&(b, c)| (count(c), b == b','))
        .map_or(b',', |(b, _)| b)
}

/// Reads every row of `text`; problems go to `problems`, good rows are returned.
pub(crate) fn read_rows(
    text: &str,
    format: RecordFormat,
    problems: &mut Problems,
) -> Vec<Publication> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let raw = match format {
        RecordFormat::Csv => csv_rows(text, problems),
        RecordFormat::JsonLines => json_rows(text, problems),
    };
    let mut seen = Seen::default();
    raw.into_iter()
        .filter_map(|r| parse_row(r, &mut seen, problems))
        .collect()
}

fn csv_rows(text: &str, problems: &mut Problems) -> Vec<RawRow> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(sniff_delimiter(text))
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|s| s.trim().to_owned()).collect(),
        Err(e) => {
            problems.push(csv_problem(1, &e));
            return Vec::new();
        }
    };
    if header.len() > MAX_COLUMNS {
        problems.push(cell(
            location(1, None, None),
            "",
            Code::TooLarge,
            &format!(
                "{} columns, more than the {MAX_COLUMNS} allowed",
                header.len()
            ),
            &format!("{} cột, vượt giới hạn {MAX_COLUMNS} cột", header.len()),
        ));
        return Vec::new();
    }
    let before = problems.count();
    let mut positions: Vec<(usize, Column)> = Vec::new();
    let mut first: HashMap<Column, &str> = HashMap::new();
    for (i, name) in header.iter().enumerate() {
        match target(name) {
            Target::Column(c) => {
                if let Some(prev) = first.insert(c, name) {
                    problems.push(Diagnostic::error_at(
                        location(1, Some(name), None),
                        None,
                        Problem::DuplicateKey {
                            key: format!("{} ({prev} | {name})", c.name()),
                        },
                    ));
                }
                positions.push((i, c));
            }
            Target::Ignored => {}
            Target::Unknown => problems.push(unknown_column(1, name)),
        }
    }
    let missing: Vec<String> = Column::ALL
        .iter()
        .filter(|c| c.info().required && !first.contains_key(c))
        .map(|c| c.name().to_owned())
        .collect();
    if !missing.is_empty() {
        problems.push(Diagnostic::error_at(
            Location::row(1),
            None,
            Problem::MissingColumns { missing },
        ));
    }
    if problems.count() > before {
        return Vec::new();
    }
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        let row = match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => record.position().map_or(0, csv::Position::line),
            Err(e) => {
                let line = e.position().map_or(0, csv::Position::line);
                problems.push(csv_problem(line, &e));
                break;
            }
        };
        if record.iter().all(|f| f.trim().is_empty()) {
            continue; // a blank line
        }
        if rows.len() >= MAX_ROWS {
            problems.push(too_many_rows(row));
            break;
        }
        if record.len() != header.len() {
            problems.push(cell(
                location(row, None, None),
                "",
                Code::Unreadable,
                &format!(
                    "the row has {} cells, the header {}",
                    record.len(),
                    header.len()
                ),
                &format!(
                    "dòng có {} ô, dòng tiêu đề có {} ô",
                    record.len(),
                    header.len()
                ),
            ));
            continue;
        }
        let mut raw = RawRow {
            row,
            cells: Default::default(),
        };
        let mut ok = true;
        for &(i, c) in &positions {
            let text = record.get(i).unwrap_or("");
            if text.len() > MAX_CELL_BYTES {
                problems.push(too_long_cell(row, c.name(), text.len()));
                ok = false;
                continue;
            }
            raw.cells[c.index()] = Some(text.to_owned());
        }
        if ok {
            rows.push(raw);
        }
    }
    rows
}

fn csv_problem(row: u64, e: &csv::Error) -> Diagnostic {
    let (en, vi) = match e.kind() {
        csv::ErrorKind::Utf8 { .. } => (
            "the file is not UTF-8 text (save it as CSV UTF-8)".to_owned(),
            "tệp không phải văn bản UTF-8 (hãy lưu dạng CSV UTF-8)".to_owned(),
        ),
        _ => (
            format!("the CSV cannot be read ({e})"),
            "không đọc được tệp CSV (kiểm tra dấu ngoặc kép)".to_owned(),
        ),
    };
    cell(location(row, None, None), "", Code::Unreadable, &en, &vi)
}

/// Text of a JSON value: scalars as text, a list of strings (codes) joined with `;`.
fn json_text(v: &serde_json::Value) -> Option<String> {
    use serde_json::Value as J;
    match v {
        J::Null => Some(String::new()),
        J::Number(n) => Some(n.to_string()),
        J::String(s) => Some(s.clone()),
        J::Array(items) => items
            .iter()
            .map(|i| i.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()
            .map(|v| v.join(";")),
        J::Bool(_) | J::Object(_) => None,
    }
}

fn json_rows(text: &str, problems: &mut Problems) -> Vec<RawRow> {
    let mut rows = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let row = i as u64 + 1;
        if line.trim().is_empty() {
            continue;
        }
        if rows.len() >= MAX_ROWS {
            problems.push(too_many_rows(row));
            break;
        }
        let entries = match serde_json::from_str::<Entries<MAX_COLUMNS>>(line) {
            Ok(e) => e,
            Err(e) => {
                problems.push(cell(
                    location(row, None, None),
                    "",
                    Code::Unreadable,
                    &format!("the line is not a JSON object ({e})"),
                    "dòng không phải một đối tượng JSON {…}",
                ));
                continue;
            }
        };
        let mut raw = RawRow {
            row,
            cells: Default::default(),
        };
        let mut ok = true;
        let mut first: HashMap<Column, String> = HashMap::new();
        for (key, value) in &entries.0 {
            let c = match target(key) {
                Target::Column(c) => c,
                Target::Ignored => continue,
                Target::Unknown => {
                    problems.push(unknown_column(row, key));
                    ok = false;
                    continue;
                }
            };
            if let Some(prev) = first.insert(c, key.clone()) {
                problems.push(Diagnostic::error_at(
                    location(row, Some(key), None),
                    None,
                    Problem::DuplicateKey {
                        key: format!("{} ({prev} | {key})", c.name()),
                    },
                ));
                ok = false;
                continue;
            }
            let Some(text) = json_text(value) else {
                problems.push(cell(
                    location(row, Some(c.name()), None),
                    &value.to_string(),
                    Code::Unreadable,
                    "expected text, a number, null or (MaTTHC) a list of strings",
                    "cần một chuỗi, một số, null hoặc (MaTTHC) một danh sách chuỗi",
                ));
                ok = false;
                continue;
            };
            if text.len() > MAX_CELL_BYTES {
                problems.push(too_long_cell(row, c.name(), text.len()));
                ok = false;
                continue;
            }
            raw.cells[c.index()] = Some(text);
        }
        if ok {
            rows.push(raw);
        }
    }
    rows
}

/// What earlier rows declared: (ministry decision, kind) → row; ministry decision →
/// (date, row).
#[derive(Default)]
struct Seen {
    pairs: HashMap<(String, Kind), u64>,
    dates: HashMap<String, (NaiveDate, u64)>,
}

/// A decision number folded for comparison: no diacritics, lower case, no spaces.
fn number_key(s: &str) -> String {
    fold(s).chars().filter(|c| !c.is_whitespace()).collect()
}

fn fmt_vi(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

fn parse_row(raw: RawRow, seen: &mut Seen, problems: &mut Problems) -> Option<Publication> {
    let row = raw.row;
    let get = |c: Column| raw.cells[c.index()].as_deref().unwrap_or("").trim();
    let number = get(Column::SoQuyetDinhBo);
    let at = |c: Column| location(row, Some(c.name()), Some(number));
    let before = problems.count();
    let empty = |c: Column, en: &str, vi: &str| cell(at(c), "", Code::Empty, en, vi);
    let date = |c: Column, problems: &mut Problems| -> Option<NaiveDate> {
        let text = get(c);
        if text.is_empty() {
            return None;
        }
        match parse_local_time(text) {
            Ok(t) => Some(t.date()),
            Err(e) => {
                problems.push(e.to_diagnostic(at(c)));
                None
            }
        }
    };

    if number.is_empty() {
        problems.push(empty(
            Column::SoQuyetDinhBo,
            "the number of the ministry's decision is empty",
            "chưa ghi số quyết định của Bộ",
        ));
    }
    let ministry_date = date(Column::NgayQuyetDinhBo, problems);
    if get(Column::NgayQuyetDinhBo).is_empty() {
        problems.push(empty(
            Column::NgayQuyetDinhBo,
            "the date of the ministry's decision is empty",
            "chưa ghi ngày quyết định của Bộ",
        ));
    }
    let kind = Kind::from_cell(get(Column::LoaiQuyetDinh));
    if kind.is_none() {
        let text = get(Column::LoaiQuyetDinh);
        problems.push(cell(
            at(Column::LoaiQuyetDinh),
            text,
            if text.is_empty() { Code::Empty } else { Code::UnknownKind },
            &format!("the kind must be one of: {}", Kind::accepted()),
            "loại quyết định phải là công bố danh mục TTHC (danh mục, công bố, QĐCB) hoặc phê duyệt quy trình nội bộ (quy trình nội bộ, QTNB)",
        ));
    }
    let (p_number, p_text) = (get(Column::SoQuyetDinhTinh), get(Column::NgayQuyetDinhTinh));
    let p_date = date(Column::NgayQuyetDinhTinh, problems);
    match (p_number.is_empty(), p_text.is_empty()) {
        (false, true) => problems.push(empty(
            Column::NgayQuyetDinhTinh,
            "the provincial decision has a number but no date (leave both empty for a decision not yet issued)",
            "quyết định của tỉnh có số nhưng chưa ghi ngày (để trống cả hai nếu chưa ban hành)",
        )),
        (true, false) => problems.push(empty(
            Column::SoQuyetDinhTinh,
            "the provincial decision has a date but no number (leave both empty for a decision not yet issued)",
            "quyết định của tỉnh có ngày nhưng chưa ghi số (để trống cả hai nếu chưa ban hành)",
        )),
        _ => {}
    }
    if let (Some(m), Some(p)) = (ministry_date, p_date) {
        if p < m {
            problems.push(cell(
                at(Column::NgayQuyetDinhTinh),
                p_text,
                Code::ProvincialBeforeMinistry,
                &format!(
                    "the provincial decision is dated before the ministry's decision ({})",
                    m.format("%Y-%m-%d")
                ),
                &format!(
                    "quyết định của tỉnh ghi ngày trước quyết định của Bộ ({})",
                    fmt_vi(m)
                ),
            ));
        }
    }
    let effective = date(Column::NgayHieuLuc, problems);
    let made_public = date(Column::NgayCongKhai, problems);
    if kind == Some(Kind::InternalProcedure) {
        for c in [Column::NgayHieuLuc, Column::NgayCongKhai] {
            if !get(c).is_empty() {
                problems.push(cell(
                    at(c),
                    get(c),
                    Code::NotForKind,
                    &format!("{} applies to the decision announcing the list of TTHC (portal 1.1, 1.2), not to the internal procedure; leave it empty", c.name()),
                    &format!("{} chỉ dùng cho quyết định công bố danh mục TTHC (chỉ số 1.1, 1.2 của cổng), không dùng cho quy trình nội bộ; để trống", c.name()),
                ));
            }
        }
    }
    if !get(Column::NgayCongKhai).is_empty() && p_number.is_empty() && p_text.is_empty() {
        problems.push(cell(
            at(Column::NgayCongKhai),
            get(Column::NgayCongKhai),
            Code::PublicWithoutDecision,
            "a publication date is given but the provincial decision announcing the TTHC is not",
            "có ngày công khai nhưng chưa có quyết định công bố của tỉnh",
        ));
    }
    if let (Some(p), Some(c)) = (p_date, made_public) {
        if c < p {
            problems.push(cell(
                at(Column::NgayCongKhai),
                get(Column::NgayCongKhai),
                Code::PublicBeforeDecision,
                &format!(
                    "\"công khai\" is dated before the provincial decision ({})",
                    p.format("%Y-%m-%d")
                ),
                &format!(
                    "ngày công khai trước ngày quyết định công bố của tỉnh ({})",
                    fmt_vi(p)
                ),
            ));
        }
    }
    let mut tthc: Vec<String> = Vec::new();
    let codes = get(Column::MaTTHC);
    let listed = codes
        .split([';', ','])
        .map(str::trim)
        .filter(|s| !s.is_empty());
    for (i, code) in listed.enumerate() {
        if i >= MAX_TTHC_PER_ROW {
            problems.push(cell(
                at(Column::MaTTHC),
                "",
                Code::TooLarge,
                &format!("more than {MAX_TTHC_PER_ROW} TTHC codes"),
                &format!("nhiều hơn {MAX_TTHC_PER_ROW} mã TTHC"),
            ));
            break;
        }
        if tthc.iter().any(|t| t == code) {
            problems.push(Diagnostic::error_at(
                at(Column::MaTTHC),
                None,
                Problem::DuplicateKey {
                    key: code.to_owned(),
                },
            ));
            continue;
        }
        tthc.push(code.to_owned());
    }
    if let (false, Some(k)) = (number.is_empty(), kind) {
        let key = number_key(number);
        match seen.pairs.get(&(key.clone(), k)) {
            Some(first) => problems.push(Diagnostic::error_at(
                location(*first, Some(Column::SoQuyetDinhBo.name()), Some(number)).and_row(row),
                None,
                Problem::DuplicateKey {
                    key: format!("{number} · {} ({})", k.label().vi, k.label().en),
                },
            )),
            None => {
                seen.pairs.insert((key.clone(), k), row);
            }
        }
        if let Some(m) = ministry_date {
            match seen.dates.get(&key) {
                Some(&(d, first)) if d != m => problems.push(cell(
                    at(Column::NgayQuyetDinhBo),
                    get(Column::NgayQuyetDinhBo),
                    Code::MinistryDateDiffers,
                    &format!(
                        "row {first} gives this decision the date {}",
                        d.format("%Y-%m-%d")
                    ),
                    &format!("dòng {first} ghi quyết định này ngày {}", fmt_vi(d)),
                )),
                Some(_) => {}
                None => {
                    seen.dates.insert(key, (m, row));
                }
            }
        }
    }
    if problems.count() > before {
        return None;
    }
    let (Some(kind), Some(ministry_date)) = (kind, ministry_date) else {
        return None;
    };
    let provincial = p_date.map(|date| Decision {
        number: p_number.to_owned(),
        date,
    });
    Some(Publication {
        row,
        kind,
        ministry: Decision {
            number: number.to_owned(),
            date: ministry_date,
        },
        provincial,
        effective,
        made_public,
        tthc,
    })
}
