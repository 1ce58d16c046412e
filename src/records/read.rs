//! Streaming readers of dossier files: CSV (header row, `,` `;` or tab, read with one
//! reused `csv::ByteRecord`, header mapped to column positions once) and JSON lines (one
//! object per line, keys named like CSV headers; `DanhSachHoSoBoSung` as an array of
//! `{NgayBoSung, NgayTiepNhanBoSung}`). Both fill the same [`RowCells`], so a CSV file
//! and its JSON-lines twin give identical results. No row is kept.
//!
//! Limits ([`limits`](crate::records::limits)): a CSV record or JSON line longer than
//! [`MAX_LINE_BYTES`] stops the reading (the bytes are never buffered); more than
//! [`MAX_COLUMNS`] columns or a cell over [`MAX_CELL_BYTES`] is an error.

use crate::diagnostics::{Diagnostic, Location, Problem};
use crate::records::columns::{Column, HeaderTarget, Resolver, COLUMN_COUNT};
use crate::records::error::{cell, location, Code, Problems};
use crate::records::limits::{MAX_CELL_BYTES, MAX_COLUMNS, MAX_LINE_BYTES};
use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, Read};

/// The kind of a dossier file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordFormat {
    /// CSV with a header row.
    Csv,
    /// One JSON object per line.
    JsonLines,
}

impl RecordFormat {
    /// From a file name: `.jsonl`, `.ndjson`, `.json` are JSON lines, anything else CSV.
    pub fn from_path(path: &std::path::Path) -> RecordFormat {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("jsonl" | "ndjson" | "json") => RecordFormat::JsonLines,
            _ => RecordFormat::Csv,
        }
    }
}

/// The cells of one row chiso reads, by [`Column`].
#[derive(Debug, Clone, Default)]
pub struct RowCells {
    /// Row number (header = row 1; JSON lines: the line number).
    pub row: u64,
    /// Whether the row could be read (a problem was reported otherwise).
    pub ok: bool,
    buf: String,
    spans: [Option<(u32, u32)>; COLUMN_COUNT],
}

impl RowCells {
    fn clear(&mut self, row: u64) {
        self.row = row;
        self.ok = true;
        self.buf.clear();
        self.spans = [None; COLUMN_COUNT];
    }

    fn set(&mut self, c: Column, text: &str) {
        let start = self.buf.len() as u32;
        self.buf.push_str(text.trim()); // trimmed once, here
        self.spans[c.index()] = Some((start, self.buf.len() as u32));
    }

    /// The cell of `c`, trimmed; `None` when the file has no such column (JSON lines:
    /// a key missing in this line reads as an empty cell).
    pub fn get(&self, c: Column) -> Option<&str> {
        self.spans[c.index()].map(|(a, b)| &self.buf[a as usize..b as usize])
    }
}

/// Stops a read at a record longer than [`MAX_LINE_BYTES`] (newlines inside quotes do
/// not end a record), before the csv reader buffers it.
struct RecordLimit<R> {
    inner: R,
    since_break: usize,
    in_quotes: bool,
}

impl<R: Read> Read for RecordLimit<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let chunk = &buf[..n];
        // Fast path: outside quotes, a chunk without quotes only needs its
        // first and last line breaks (memchr-backed `contains`, then short scans).
        if !self.in_quotes && n <= MAX_LINE_BYTES && !chunk.contains(&b'"') {
            match chunk.iter().position(|&b| b == b'\n') {
                None => self.since_break += n,
                Some(first) => {
                    if self.since_break + first > MAX_LINE_BYTES {
                        return Err(io::Error::new(
                            io::ErrorKind::InvalidData,
                            LineTooLong(MAX_LINE_BYTES),
                        ));
                    }
                    let last = chunk.iter().rposition(|&b| b == b'\n').unwrap_or(first);
                    self.since_break = n - last;
                }
            }
            if self.since_break > MAX_LINE_BYTES {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    LineTooLong(MAX_LINE_BYTES),
                ));
            }
            return Ok(n);
        }
        for &b in chunk {
            match b {
                b'"' => self.in_quotes = !self.in_quotes,
                b'\n' if !self.in_quotes => self.since_break = 0,
                _ => {}
            }
            self.since_break += 1;
            if self.since_break > MAX_LINE_BYTES {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    LineTooLong(MAX_LINE_BYTES),
                ));
            }
        }
        Ok(n)
    }
}

#[derive(Debug)]
struct LineTooLong(usize);

impl std::fmt::Display for LineTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "a record is longer than {} bytes", self.0)
    }
}

impl std::error::Error for LineTooLong {}

fn too_long_line(row: u64) -> Diagnostic {
    cell(
        location(row, None, None),
        "",
        Code::TooLarge,
        &format!("a record longer than {MAX_LINE_BYTES} bytes; reading stopped here"),
        &format!("bản ghi dài quá {MAX_LINE_BYTES} byte; dừng đọc tại đây"),
    )
}

fn unreadable(row: u64, en: &str, vi: &str) -> Diagnostic {
    cell(location(row, None, None), "", Code::Unreadable, en, vi)
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
fn sniff_delimiter(first: &[u8]) -> u8 {
    let line = first.split(|&b| b == b'\n').next().unwrap_or(first);
    let count = |d: u8| line.iter().filter(|&&b| b == d).count();
    [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|&d| (count(d), d == b','))
        .unwrap_or(b',')
}

enum Inner<R: Read> {
    Csv {
        reader: csv::Reader<RecordLimit<BufReader<R>>>,
        record: csv::ByteRecord,
        positions: Vec<(usize, Column)>,
        width: usize,
    },
    Json {
        reader: BufReader<R>,
        line: Vec<u8>,
        keys: HashMap<String, HeaderTarget>,
    },
}

/// A streaming reader of dossier rows.
pub struct Reader<'m, R: Read> {
    inner: Inner<R>,
    resolver: &'m Resolver,
    present: [bool; COLUMN_COUNT],
    row: u64,
    done: bool,
}

impl<'m, R: Read> Reader<'m, R> {
    /// Opens `input`. For CSV the header is read and checked: unknown, duplicate and
    /// missing required columns are reported to `problems`, and then no row can be
    /// read (`None`).
    pub fn new(
        input: R,
        format: RecordFormat,
        resolver: &'m Resolver,
        problems: &mut Problems,
    ) -> io::Result<Option<Reader<'m, R>>> {
        let mut buffered = BufReader::with_capacity(1 << 16, input);
        let inner = match format {
            RecordFormat::JsonLines => Inner::Json {
                reader: buffered,
                line: Vec::new(),
                keys: HashMap::new(),
            },
            RecordFormat::Csv => {
                let first = buffered.fill_buf()?;
                let first = first.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(first);
                let delimiter = sniff_delimiter(first);
                let mut reader = csv::ReaderBuilder::new()
                    .has_headers(false)
                    .flexible(true)
                    .delimiter(delimiter)
                    .from_reader(RecordLimit {
                        inner: buffered,
                        since_break: 0,
                        in_quotes: false,
                    });
                let mut record = csv::ByteRecord::new();
                match reader.read_byte_record(&mut record) {
                    Ok(true) => {}
                    Ok(false) => {
                        problems.push(Diagnostic::error_at(
                            Location::row(1),
                            None,
                            Problem::MissingColumns {
                                missing: required_names(),
                            },
                        ));
                        return Ok(None);
                    }
                    Err(e) => {
                        problems.push(csv_problem(1, &e));
                        return Ok(None);
                    }
                }
                let Some((positions, present)) = header(&record, resolver, problems) else {
                    return Ok(None);
                };
                let width = record.len();
                let mut r = Reader {
                    inner: Inner::Csv {
                        reader,
                        record,
                        positions,
                        width,
                    },
                    resolver,
                    present: [false; COLUMN_COUNT],
                    row: 1,
                    done: false,
                };
                r.present = present;
                return Ok(Some(r));
            }
        };
        Ok(Some(Reader {
            inner,
            resolver,
            present: [false; COLUMN_COUNT],
            row: 0,
            done: false,
        }))
    }

    /// Which columns the file has (JSON lines: the keys seen so far).
    pub fn present(&self) -> [bool; COLUMN_COUNT] {
        self.present
    }

    /// The mapping in use.
    pub fn resolver(&self) -> &'m Resolver {
        self.resolver
    }

    /// Reads the next row into `cells`; `false` at the end. A row that cannot be read
    /// is reported and returned with `cells.ok == false`. A record over the line limit,
    /// or bytes that are not CSV, end the reading (reported).
    pub fn next(&mut self, cells: &mut RowCells, problems: &mut Problems) -> io::Result<bool> {
        if self.done {
            return Ok(false);
        }
        self.row += 1;
        cells.clear(self.row);
        match &mut self.inner {
            Inner::Csv {
                reader,
                record,
                positions,
                width,
            } => {
                match reader.read_byte_record(record) {
                    Ok(true) => {}
                    Ok(false) => {
                        self.done = true;
                        return Ok(false);
                    }
                    Err(e) => {
                        self.done = true;
                        problems.push(csv_problem(self.row, &e));
                        return Ok(false);
                    }
                }
                if record.len() == 1 && record.get(0).is_some_and(|f| f.trim_ascii().is_empty()) {
                    cells.ok = false; // a blank line
                    cells.row = 0;
                    return Ok(true);
                }
                if record.len() != *width {
                    cells.ok = false;
                    problems.push(cell(
                        location(self.row, None, None),
                        "",
                        Code::Unreadable,
                        &format!("the row has {} cells, the header {width}", record.len()),
                        &format!("dòng có {} ô, dòng tiêu đề có {width} ô", record.len()),
                    ));
                    return Ok(true);
                }
                // One UTF-8 check per record; a bad record is checked cell by
                // cell to name the column.
                let whole = std::str::from_utf8(record.as_slice()).ok();
                for &(i, c) in positions.iter() {
                    let bytes = record.get(i).unwrap_or_default();
                    if bytes.len() > MAX_CELL_BYTES {
                        cells.ok = false;
                        problems.push(too_long_cell(self.row, c.name(), bytes.len()));
                        continue;
                    }
                    let text = whole.and_then(|w| record.range(i).and_then(|r| w.get(r)));
                    match text.map_or_else(|| std::str::from_utf8(bytes), Ok) {
                        Ok(s) => cells.set(c, s),
                        Err(_) => {
                            cells.ok = false;
                            problems.push(cell(
                                location(self.row, Some(c.name()), None),
                                &String::from_utf8_lossy(bytes),
                                Code::Unreadable,
                                "the cell is not UTF-8 text (save the file as CSV UTF-8)",
                                "ô không phải văn bản UTF-8 (hãy lưu tệp dạng CSV UTF-8)",
                            ));
                        }
                    }
                }
                Ok(true)
            }
            Inner::Json { reader, line, keys } => {
                line.clear();
                let n = reader
                    .by_ref()
                    .take(MAX_LINE_BYTES as u64 + 1)
                    .read_until(b'\n', line)?;
                if n == 0 {
                    self.done = true;
                    return Ok(false);
                }
                if line.len() > MAX_LINE_BYTES {
                    self.done = true;
                    problems.push(too_long_line(self.row));
                    return Ok(false);
                }
                let text = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
                if text.trim_ascii().is_empty() {
                    cells.ok = false;
                    cells.row = 0;
                    return Ok(true);
                }
                json_row(
                    text,
                    self.row,
                    self.resolver,
                    keys,
                    &mut self.present,
                    cells,
                    problems,
                );
                Ok(true)
            }
        }
    }
}

fn required_names() -> Vec<String> {
    Column::ALL
        .into_iter()
        .filter(|c| c.info().required)
        .map(|c| c.name().to_owned())
        .collect()
}

fn csv_problem(row: u64, e: &csv::Error) -> Diagnostic {
    if let csv::ErrorKind::Io(io) = e.kind() {
        if io.get_ref().is_some_and(|i| i.is::<LineTooLong>()) {
            return too_long_line(row);
        }
    }
    unreadable(
        row,
        &format!("the file cannot be read as CSV ({e}); reading stopped here"),
        "không đọc được tệp dạng CSV (kiểm tra dấu ngoặc kép và bảng mã UTF-8); dừng đọc tại đây",
    )
}

/// Positions of the columns read, and which columns the file has.
type Header = (Vec<(usize, Column)>, [bool; COLUMN_COUNT]);

/// Maps the header to column positions; reports every unknown, duplicate and missing
/// required column.
fn header(
    record: &csv::ByteRecord,
    resolver: &Resolver,
    problems: &mut Problems,
) -> Option<Header> {
    if record.len() > MAX_COLUMNS {
        problems.push(cell(
            location(1, None, None),
            "",
            Code::TooLarge,
            &format!(
                "the header has {} columns, more than the {MAX_COLUMNS} allowed",
                record.len()
            ),
            &format!(
                "dòng tiêu đề có {} cột, vượt giới hạn {MAX_COLUMNS}",
                record.len()
            ),
        ));
        return None;
    }
    let before = problems.count();
    let mut positions = Vec::new();
    let mut seen: [Option<String>; COLUMN_COUNT] = std::array::from_fn(|_| None);
    for (i, raw) in record.iter().enumerate() {
        let name = String::from_utf8_lossy(raw);
        let name = name.trim_start_matches('\u{feff}').trim();
        match resolver.target(name) {
            HeaderTarget::Column(c) => {
                if let Some(first) = &seen[c.index()] {
                    problems.push(Diagnostic::error_at(
                        location(1, Some(name), None),
                        None,
                        Problem::DuplicateKey {
                            key: format!("{} ({first}, {name})", c.name()),
                        },
                    ));
                } else {
                    seen[c.index()] = Some(name.to_owned());
                    positions.push((i, c));
                }
            }
            HeaderTarget::Ignored => {}
            HeaderTarget::Unknown => problems.push(unknown_column(1, name)),
        }
    }
    let missing: Vec<String> = Column::ALL
        .into_iter()
        .filter(|c| c.info().required && seen[c.index()].is_none())
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
        return None;
    }
    let mut present = [false; COLUMN_COUNT];
    for (_, c) in &positions {
        present[c.index()] = true;
    }
    Some((positions, present))
}

fn unknown_column(row: u64, name: &str) -> Diagnostic {
    let mut valid: Vec<&str> = Column::ALL.iter().map(|c| c.name()).collect();
    valid.push("DanhSachHoSoBoSung");
    Diagnostic::error_at(
        location(row, Some(name), None),
        None,
        Problem::Structure {
            detail: format!(
                "unknown field `{}`, expected one of {}",
                name.replace('`', "'"),
                valid
                    .iter()
                    .map(|v| format!("`{v}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        },
    )
}

/// A JSON object as its entries in order, duplicates kept (serde_json's map would keep
/// only the last), refused beyond `MAX` keys before they are stored. Shared by the
/// dossier and the publications readers.
pub(crate) struct Entries<const MAX: usize>(pub(crate) Vec<(String, serde_json::Value)>);

impl<'de, const MAX: usize> serde::Deserialize<'de> for Entries<MAX> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<const MAX: usize>;
        impl<'de, const MAX: usize> serde::de::Visitor<'de> for V<MAX> {
            type Value = Entries<MAX>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut m: A,
            ) -> Result<Entries<MAX>, A::Error> {
                let mut v = Vec::new();
                while let Some(e) = m.next_entry::<String, serde_json::Value>()? {
                    if v.len() >= MAX {
                        return Err(serde::de::Error::custom(format!("more than {MAX} keys")));
                    }
                    v.push(e);
                }
                Ok(Entries(v))
            }
        }
        d.deserialize_map(V::<MAX>)
    }
}

/// Text of a scalar JSON value; `None` for arrays and objects.
fn scalar(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::Null => Some(String::new()),
        serde_json::Value::Bool(b) => Some(if *b { "1" } else { "0" }.to_owned()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::String(s) => Some(s.clone()),
        _ => None,
    }
}

const SUPPLEMENT_LIST: &str = "DanhSachHoSoBoSung";

fn json_row(
    text: &[u8],
    row: u64,
    resolver: &Resolver,
    keys: &mut HashMap<String, HeaderTarget>,
    present: &mut [bool; COLUMN_COUNT],
    cells: &mut RowCells,
    problems: &mut Problems,
) {
    let entries = match serde_json::from_slice::<Entries<MAX_COLUMNS>>(text) {
        Ok(e) => e.0,
        Err(e) => {
            cells.ok = false;
            // The parser's words stay in the English message only.
            let vi = match e.classify() {
                serde_json::error::Category::Eof => {
                    "dòng JSON kết thúc giữa chừng (thiếu giá trị hoặc dấu đóng)".to_owned()
                }
                serde_json::error::Category::Syntax => {
                    format!("dòng không đúng cú pháp JSON (ở ký tự thứ {})", e.column())
                }
                _ => "dòng không phải là một đối tượng JSON {…}".to_owned(),
            };
            problems.push(unreadable(
                row,
                &format!("the line is not a JSON object ({e})"),
                &vi,
            ));
            return;
        }
    };
    let mut values: [Option<String>; COLUMN_COUNT] = std::array::from_fn(|_| None);
    let mut names: [Option<&str>; COLUMN_COUNT] = [None; COLUMN_COUNT];
    let supplement_key = crate::records::header_key(SUPPLEMENT_LIST);
    for (k, v) in &entries {
        if crate::records::header_key(k) == supplement_key {
            match supplements_of(v) {
                Ok((req, res)) => {
                    for (c, s) in [
                        (Column::NgayYeuCauBoSung, req),
                        (Column::NgayTiepNhanBoSung, res),
                    ] {
                        if names[c.index()].is_some() {
                            cells.ok = false;
                            problems.push(duplicate_key(row, k, c));
                        }
                        names[c.index()] = Some(k);
                        values[c.index()] = Some(s);
                    }
                }
                Err((en, vi)) => {
                    cells.ok = false;
                    problems.push(cell(
                        location(row, Some(k), None),
                        "",
                        Code::Unreadable,
                        &en,
                        &vi,
                    ));
                }
            }
            continue;
        }
        let target = match keys.get(k.as_str()) {
            Some(t) => t.clone(),
            None => {
                let t = resolver.target(k);
                if keys.len() < MAX_COLUMNS {
                    keys.insert(k.clone(), t.clone());
                    if t == HeaderTarget::Unknown {
                        problems.push(unknown_column(row, k)); // once per key name
                    }
                } else if t == HeaderTarget::Unknown {
                    problems.push(unknown_column(row, k));
                }
                t
            }
        };
        match target {
            HeaderTarget::Column(c) => {
                if names[c.index()].is_some() {
                    cells.ok = false;
                    problems.push(duplicate_key(row, k, c));
                    continue;
                }
                names[c.index()] = Some(k);
                match scalar(v) {
                    Some(s) if s.len() > MAX_CELL_BYTES => {
                        cells.ok = false;
                        problems.push(too_long_cell(row, k, s.len()));
                    }
                    Some(s) => values[c.index()] = Some(s),
                    None => {
                        cells.ok = false;
                        problems.push(cell(
                            location(row, Some(k), None),
                            "",
                            Code::Unreadable,
                            "expected a text, a number, true/false or null, found a list or an object",
                            "cần một chuỗi, một số, true/false hoặc null, nhưng là một danh sách hoặc đối tượng",
                        ));
                    }
                }
            }
            HeaderTarget::Ignored => {}
            HeaderTarget::Unknown => cells.ok = false,
        }
    }
    for c in Column::ALL {
        let v = values[c.index()].take();
        if v.is_some() {
            present[c.index()] = true;
        }
        cells.set(c, v.as_deref().unwrap_or(""));
    }
}

fn duplicate_key(row: u64, key: &str, c: Column) -> Diagnostic {
    Diagnostic::error_at(
        location(row, Some(key), None),
        None,
        Problem::DuplicateKey {
            key: format!("{key} ({})", c.name()),
        },
    )
}

/// `DanhSachHoSoBoSung` → the two `;`-separated lists.
fn supplements_of(v: &serde_json::Value) -> Result<(String, String), (String, String)> {
    let bad = |en: &str, vi: &str| (en.to_owned(), vi.to_owned());
    let items = match v {
        serde_json::Value::Null => return Ok((String::new(), String::new())),
        serde_json::Value::Array(a) => a,
        _ => {
            return Err(bad(
                "DanhSachHoSoBoSung must be a list of objects",
                "DanhSachHoSoBoSung phải là danh sách các đối tượng",
            ))
        }
    };
    let (mut req, mut res) = (Vec::new(), Vec::new());
    for it in items {
        let serde_json::Value::Object(o) = it else {
            return Err(bad(
                "DanhSachHoSoBoSung must be a list of objects",
                "DanhSachHoSoBoSung phải là danh sách các đối tượng",
            ));
        };
        let get = |names: &[&str]| -> Result<String, (String, String)> {
            let mut found = None;
            for (k, v) in o {
                let key = crate::records::header_key(k);
                if names.iter().any(|n| crate::records::header_key(n) == key) {
                    if found.is_some() {
                        return Err((
                            format!("the supplement has two keys for {}", names[0]),
                            format!("mục bổ sung có hai khóa cho {}", names[0]),
                        ));
                    }
                    found = Some(scalar(v).ok_or_else(|| {
                        (
                            format!("{k} must be a time"),
                            format!("{k} phải là thời điểm"),
                        )
                    })?);
                }
            }
            let s = found.unwrap_or_default();
            if s.contains(';') {
                return Err((
                    format!("{} must be one time, not a list", names[0]),
                    format!("{} phải là một thời điểm, không phải danh sách", names[0]),
                ));
            }
            Ok(s)
        };
        req.push(get(&["NgayBoSung", "NgayYeuCauBoSung"])?);
        res.push(get(&["NgayTiepNhanBoSung"])?);
    }
    Ok((req.join(";"), res.join(";")))
}

#[cfg(test)]
mod tests;
