//! One streaming pass over the XML parts of a workbook, before calamine reads them.
//!
//! What calamine would otherwise discover only by allocating it is bounded here, from the
//! bytes as they are inflated:
//! - worksheets (.xlsx): cells holding a formula but no saved result (calamine reads them
//!   as empty), cell text longer than [`MAX_CELL_CHARS`];
//! - shared strings (.xlsx): the declared count calamine reserves room for, string length;
//! - content (.ods): the cells calamine expands from repeat counts (`number-columns-
//!   repeated`, `number-rows-repeated`) and blank runs (`text:s`), and formulas without a
//!   saved result;
//! - every element: at most [`MAX_ATTRIBUTES`] attributes (attribute lists are checked
//!   for duplicates pairwise by the XML reader).
//!
//! The workbook's sheet list and relationships are kept to map sheet names to parts.

use super::{bad, limit, Format};
use chiso::authoring::column_letters;
use chiso::limits::{MAX_CELL_CHARS, MAX_SHEET_CELLS, MAX_SHEET_COLUMNS, MAX_SHEET_ROWS};
use chiso::Diagnostics;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::collections::HashMap;
use std::io::BufRead;

/// Most attributes on one element.
const MAX_ATTRIBUTES: usize = 256;
/// Characters of a formula kept for a message.
const FORMULA_EXCERPT: usize = 60;
/// Excel's and LibreOffice's own largest row and column counts (calamine caps ODS repeats
/// at these).
const SHEET_ROWS: u64 = 1 << 20;
const SHEET_COLUMNS: u64 = 1 << 14;

/// A formula cell without a saved result: 0-based row and column, formula excerpt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Uncached {
    pub row: u32,
    pub col: u32,
    pub formula: String,
}

/// What the pass found.
#[derive(Debug, Default)]
pub(crate) struct Facts {
    /// `<sheet name r:id>` of `xl/workbook.xml`, in order.
    pub sheets: Vec<(String, String)>,
    /// Relationship id → target, from `xl/_rels/workbook.xml.rels`.
    pub rels: HashMap<String, String>,
    /// Formulas without a saved result, by lower-cased part name (.xlsx) or table name (.ods).
    pub uncached: HashMap<String, Vec<Uncached>>,
    /// Cells calamine will hold for an .ods (all tables are read when the file is opened).
    pub ods_cells: u64,
}

/// Whether a part is XML the pass reads.
pub(super) fn is_xml(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.ends_with(".xml") || n.ends_with(".rels")
}

/// Reads one XML part to its end.
pub(super) fn part(
    name: &str,
    size: u64,
    r: &mut impl BufRead,
    format: Format,
    facts: &mut Facts,
) -> Result<(), Diagnostics> {
    let mut xml = Reader::from_reader(r);
    let config = xml.config_mut();
    config.expand_empty_elements = true;
    config.check_end_names = false;
    config.trim_text(false);
    let mut p = Pass {
        name,
        format,
        buf: Vec::with_capacity(1024),
    };
    // The root element says what the part is.
    let (root, count) = loop {
        match p.next(&mut xml)? {
            Event::Start(e) => {
                break (
                    e.local_name().as_ref().to_vec(),
                    attr(&e, b"uniqueCount").as_deref().and_then(number),
                )
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
    };
    // calamine reserves room for `uniqueCount` strings before reading one; a string takes
    // at least 13 bytes (`<si><t/></si>`), so a truthful count is below size / 13.
    if let (b"sst", Some(n)) = (root.as_slice(), count) {
        let most = (size / 13 + 1).min(MAX_SHEET_CELLS);
        if n > most {
            return Err(limit(
                name,
                "shared strings the workbook declares, more than its size can hold / số chuỗi dùng chung tệp khai báo, nhiều hơn dung lượng của tệp có thể chứa",
                most,
                Some(n),
                "",
            ));
        }
    }
    let lower = name.to_lowercase();
    match root.as_slice() {
        b"worksheet" => {
            let found = p.worksheet(&mut xml)?;
            if !found.is_empty() {
                facts.uncached.insert(lower, found);
            }
            Ok(())
        }
        b"sst" => p.shared_strings(&mut xml),
        b"workbook" if lower == "xl/workbook.xml" => {
            facts.sheets = p.workbook(&mut xml)?;
            Ok(())
        }
        b"Relationships" if lower == "xl/_rels/workbook.xml.rels" => {
            facts.rels = p.relationships(&mut xml)?;
            Ok(())
        }
        b"document-content" => p.ods_content(&mut xml, facts),
        _ => p.rest(&mut xml),
    }
}

struct Pass<'n> {
    name: &'n str,
    format: Format,
    buf: Vec<u8>,
}

/// An attribute's value by local name.
fn attr(e: &BytesStart<'_>, local: &[u8]) -> Option<Vec<u8>> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .map(|a| a.value.into_owned())
}

fn number(v: &[u8]) -> Option<u64> {
    std::str::from_utf8(v).ok()?.trim().parse().ok()
}

/// "C12" → (11, 2), 0-based.
pub(crate) fn parse_ref(r: &[u8]) -> Option<(u32, u32)> {
    let letters = r.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let mut col = 0u32;
    for b in &r[..letters] {
        col = col * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1);
    }
    let row: u32 = std::str::from_utf8(&r[letters..]).ok()?.parse().ok()?;
    Some((row.checked_sub(1)?, col - 1))
}

fn excerpt(s: &str) -> String {
    let mut out: String = s.chars().take(FORMULA_EXCERPT).collect();
    if s.chars().nth(FORMULA_EXCERPT).is_some() {
        out.push('…');
    }
    out
}

/// A cell text longer than the scan allows (4 bytes a character: the exact count is
/// checked when the cell is read).
fn text_too_long(at: &str) -> Diagnostics {
    limit(
        at,
        "characters in one cell / số ký tự trong một ô",
        MAX_CELL_CHARS as u64,
        None,
        "",
    )
}

/// Bytes of text one cell may hold in the XML (the characters are counted exactly later).
const CELL_TEXT_BYTES: u64 = MAX_CELL_CHARS as u64 * 4;

impl Pass<'_> {
    fn next<'b, R: BufRead>(&'b mut self, xml: &mut Reader<R>) -> Result<Event<'b>, Diagnostics> {
        self.buf.clear();
        let (name, format) = (self.name, self.format);
        let ev = xml
            .read_event_into(&mut self.buf)
            .map_err(|e| bad(format, name, &e.to_string()))?;
        if let Event::Start(e) = &ev {
            if e.attributes().with_checks(false).count() > MAX_ATTRIBUTES {
                return Err(limit(
                    name,
                    "attributes of one XML element / số thuộc tính của một phần tử XML",
                    MAX_ATTRIBUTES as u64,
                    None,
                    "",
                ));
            }
        }
        Ok(ev)
    }

    fn rest<R: BufRead>(&mut self, xml: &mut Reader<R>) -> Result<(), Diagnostics> {
        while !matches!(self.next(xml)?, Event::Eof) {}
        Ok(())
    }

    /// Formula cells without `<v>` (or `<is>`), and over-long cell text.
    fn worksheet<R: BufRead>(&mut self, xml: &mut Reader<R>) -> Result<Vec<Uncached>, Diagnostics> {
        let mut found = Vec::new();
        let (mut row, mut col) = (0u32, 0u32);
        // Inside a cell: its position, whether it has a formula / a value, formula text.
        let mut cell: Option<(u32, u32)> = None;
        let (mut has_f, mut has_v, mut in_f) = (false, false, false);
        let mut formula = String::new();
        let mut text_len = 0u64;
        loop {
            let name = self.name;
            match self.next(xml)? {
                Event::Start(e) => match e.local_name().as_ref() {
                    b"row" => {
                        if let Some(r) = attr(&e, b"r").as_deref().and_then(number) {
                            row = u32::try_from(r.saturating_sub(1)).unwrap_or(u32::MAX);
                        }
                        col = 0;
                    }
                    b"c" => {
                        let pos = attr(&e, b"r")
                            .as_deref()
                            .and_then(parse_ref)
                            .unwrap_or((row, col));
                        col = pos.1.saturating_add(1);
                        cell = Some(pos);
                        (has_f, has_v, in_f) = (false, false, false);
                        formula.clear();
                        text_len = 0;
                    }
                    b"f" if cell.is_some() => (has_f, in_f) = (true, true),
                    b"v" | b"is" if cell.is_some() => has_v = true,
                    _ => {}
                },
                Event::Text(t) if cell.is_some() => {
                    text_len += t.len() as u64;
                    if text_len > CELL_TEXT_BYTES {
                        let (r, c) = cell.unwrap_or_default();
                        return Err(text_too_long(&format!(
                            "{name}!{}{}",
                            column_letters(c as usize),
                            r + 1
                        )));
                    }
                    if in_f && formula.chars().count() <= FORMULA_EXCERPT {
                        formula.push_str(&String::from_utf8_lossy(&t));
                    }
                }
                Event::End(e) => match e.local_name().as_ref() {
                    b"row" => {
                        row = row.saturating_add(1);
                        col = 0;
                    }
                    b"f" => in_f = false,
                    b"c" => {
                        if let (Some((r, c)), true, false) = (cell, has_f, has_v) {
                            found.push(Uncached {
                                row: r,
                                col: c,
                                formula: if formula.is_empty() {
                                    String::new()
                                } else {
                                    format!("={}", excerpt(&formula))
                                },
                            });
                        }
                        cell = None;
                    }
                    _ => {}
                },
                Event::Eof => return Ok(found),
                _ => {}
            }
        }
    }

    /// The length of each shared string (the declared count is checked by [`part`]).
    fn shared_strings<R: BufRead>(&mut self, xml: &mut Reader<R>) -> Result<(), Diagnostics> {
        let mut index = 0u64;
        let mut len = 0u64;
        loop {
            let name = self.name;
            match self.next(xml)? {
                Event::Start(e) if e.local_name().as_ref() == b"si" => len = 0,
                Event::Text(t) => {
                    len += t.len() as u64;
                    if len > CELL_TEXT_BYTES {
                        return Err(text_too_long(&format!("{name} (<si> {})", index + 1)));
                    }
                }
                Event::End(e) if e.local_name().as_ref() == b"si" => index += 1,
                Event::Eof => return Ok(()),
                _ => {}
            }
        }
    }

    fn workbook<R: BufRead>(
        &mut self,
        xml: &mut Reader<R>,
    ) -> Result<Vec<(String, String)>, Diagnostics> {
        let mut sheets = Vec::new();
        loop {
            match self.next(xml)? {
                Event::Start(e) if e.local_name().as_ref() == b"sheet" => {
                    let name = e
                        .attributes()
                        .with_checks(false)
                        .flatten()
                        .find(|a| a.key.as_ref() == b"name")
                        .and_then(|a| {
                            a.decode_and_unescape_value(xml.decoder())
                                .ok()
                                .map(|v| v.into_owned())
                        })
                        .unwrap_or_default();
                    let id = attr(&e, b"id")
                        .map(|v| String::from_utf8_lossy(&v).into_owned())
                        .unwrap_or_default();
                    sheets.push((name, id));
                }
                Event::Eof => return Ok(sheets),
                _ => {}
            }
        }
    }

    fn relationships<R: BufRead>(
        &mut self,
        xml: &mut Reader<R>,
    ) -> Result<HashMap<String, String>, Diagnostics> {
        let mut rels = HashMap::new();
        loop {
            match self.next(xml)? {
                Event::Start(e) if e.local_name().as_ref() == b"Relationship" => {
                    let get = |k: &[u8]| {
                        attr(&e, k)
                            .map(|v| String::from_utf8_lossy(&v).into_owned())
                            .unwrap_or_default()
                    };
                    rels.insert(get(b"Id"), get(b"Target"));
                }
                Event::Eof => return Ok(rels),
                _ => {}
            }
        }
    }

    /// The cells calamine expands from an .ods content part (see `calamine::ods`: every row
    /// element is widened to its last value, then each table's used area is expanded with
    /// the row repeats), bounded by [`MAX_SHEET_CELLS`] before calamine starts.
    fn ods_content<R: BufRead>(
        &mut self,
        xml: &mut Reader<R>,
        facts: &mut Facts,
    ) -> Result<(), Diagnostics> {
        let mut t = OdsTable::default();
        loop {
            match self.next(xml)? {
                Event::Start(e) => match e.local_name().as_ref() {
                    b"table" => {
                        t = OdsTable {
                            name: attr(&e, b"name")
                                .map(|v| String::from_utf8_lossy(&v).into_owned())
                                .unwrap_or_default(),
                            ..OdsTable::default()
                        };
                    }
                    b"table-row" => {
                        let reps = attr(&e, b"number-rows-repeated")
                            .as_deref()
                            .and_then(number)
                            .unwrap_or(1)
                            .min(SHEET_ROWS.saturating_sub(t.rows));
                        t.row_start(reps);
                    }
                    b"table-cell" | b"covered-table-cell" => {
                        let reps = attr(&e, b"number-columns-repeated")
                            .as_deref()
                            .and_then(number)
                            .unwrap_or(1);
                        let mut value = false;
                        let mut string = false;
                        let mut formula = None;
                        for a in e.attributes().with_checks(false).flatten() {
                            match a.key.local_name().as_ref() {
                                b"value" | b"string-value" | b"date-value" | b"time-value"
                                | b"boolean-value" => value = true,
                                b"value-type" => string = &*a.value == b"string",
                                b"formula" => {
                                    formula = Some(excerpt(&String::from_utf8_lossy(&a.value)))
                                }
                                _ => {}
                            }
                        }
                        let filled = value || string || formula.is_some();
                        let (row, col) = (t.rows.saturating_sub(t.reps), t.col);
                        t.cell(reps, filled);
                        if filled
                            && (row >= u64::from(MAX_SHEET_ROWS)
                                || col >= u64::from(MAX_SHEET_COLUMNS))
                        {
                            let at = ods_ref(&t.name, row, col);
                            return Err(if col >= u64::from(MAX_SHEET_COLUMNS) {
                                limit(
                                    &at,
                                    "columns of a sheet / số cột của trang tính",
                                    u64::from(MAX_SHEET_COLUMNS),
                                    Some(col + 1),
                                    "",
                                )
                            } else {
                                limit(
                                    &at,
                                    "rows of a sheet / số dòng của trang tính",
                                    u64::from(MAX_SHEET_ROWS),
                                    Some(row + 1),
                                    "",
                                )
                            });
                        }
                        if let (Some(f), false, false) = (&formula, value, string) {
                            let list = facts.uncached.entry(t.name.clone()).or_default();
                            list.push(Uncached {
                                row: row as u32,
                                col: col as u32,
                                formula: f.trim_start_matches("of:").to_owned(),
                            });
                        }
                        t.cell_text = 0;
                        t.cell_at = (row, col);
                    }
                    b"s" => {
                        // `text:s text:c="N"`: N spaces, written out by calamine.
                        let n = attr(&e, b"c").as_deref().and_then(number).unwrap_or(1);
                        t.cell_text = t.cell_text.saturating_add(n);
                        if t.cell_text > CELL_TEXT_BYTES {
                            let (r, c) = t.cell_at;
                            return Err(text_too_long(&ods_ref(&t.name, r, c)));
                        }
                    }
                    _ => {}
                },
                Event::Text(x) => {
                    t.cell_text = t.cell_text.saturating_add(x.len() as u64);
                    if t.cell_text > CELL_TEXT_BYTES {
                        let (r, c) = t.cell_at;
                        return Err(text_too_long(&ods_ref(&t.name, r, c)));
                    }
                }
                Event::End(e) => match e.local_name().as_ref() {
                    b"table-row" => t.row_end(),
                    b"table" => {
                        facts.ods_cells = facts.ods_cells.saturating_add(t.cells());
                        if facts.ods_cells > MAX_SHEET_CELLS {
                            return Err(limit(
                                &format!("'{}'", t.name),
                                "cells of the workbook / số ô của tệp",
                                MAX_SHEET_CELLS,
                                Some(facts.ods_cells),
                                "",
                            ));
                        }
                    }
                    _ => {}
                },
                Event::Eof => return Ok(()),
                _ => {}
            }
        }
    }
}

fn ods_ref(table: &str, row: u64, col: u64) -> String {
    format!(
        "'{table}'!{}{}",
        column_letters(usize::try_from(col).unwrap_or(usize::MAX)),
        row + 1
    )
}

/// Counters of one .ods table, following calamine's expansion.
#[derive(Debug, Default)]
struct OdsTable {
    name: String,
    /// Rows so far (repeats expanded), including the current row element.
    rows: u64,
    /// Repeats of the current row element.
    reps: u64,
    /// Column reached in the current row element.
    col: u64,
    /// End column of the last filled cell of the current row element.
    row_width: u64,
    /// Cells widened row element by row element (calamine's first step).
    pushed: u64,
    /// First row and end row of the used area; its first and end column.
    first_row: Option<u64>,
    end_row: u64,
    col_min: Option<u64>,
    col_end: u64,
    /// Characters of the current cell's text; the current cell.
    cell_text: u64,
    cell_at: (u64, u64),
}

impl OdsTable {
    fn row_start(&mut self, reps: u64) {
        self.reps = reps;
        self.rows = self.rows.saturating_add(reps);
        self.col = 0;
        self.row_width = 0;
    }

    fn cell(&mut self, reps: u64, filled: bool) {
        let start = self.col;
        self.col = self.col.saturating_add(reps).min(SHEET_COLUMNS);
        if filled {
            self.col_min = Some(self.col_min.map_or(start, |m| m.min(start)));
            self.row_width = self.col;
            self.col_end = self.col_end.max(self.col);
        }
    }

    fn row_end(&mut self) {
        self.pushed = self.pushed.saturating_add(self.row_width);
        if self.row_width > 0 {
            let start = self.rows.saturating_sub(self.reps);
            self.first_row.get_or_insert(start);
            self.end_row = self.rows;
        }
    }

    /// Cells calamine holds for this table: the widened row elements and the expanded
    /// used area, each twice (values and formulas).
    fn cells(&self) -> u64 {
        let area = match self.first_row {
            Some(first) => (self.end_row - first)
                .saturating_mul(self.col_end.saturating_sub(self.col_min.unwrap_or(0))),
            None => 0,
        };
        self.pushed.saturating_add(area).saturating_mul(2)
    }
}

#[cfg(test)]
mod tests {
    use super::{parse_ref, OdsTable};

    #[test]
    fn cell_references_read_as_zero_based_positions() {
        assert_eq!(parse_ref(b"A1"), Some((0, 0)));
        assert_eq!(parse_ref(b"C12"), Some((11, 2)));
        assert_eq!(parse_ref(b"XFD1048576"), Some((1_048_575, 16_383)));
        assert_eq!(parse_ref(b"A0"), None);
        assert_eq!(parse_ref(b"12"), None);
    }

    #[test]
    fn ods_counters_follow_calamine_expansion() {
        // Row 1: a value in B (after one blank); then 998 blank rows; then row 1000 with a
        // value repeated in C..D, the row element repeated 3 times.
        let mut t = OdsTable::default();
        t.row_start(1);
        t.cell(1, false);
        t.cell(1, true);
        t.cell(1000, false);
        t.row_end();
        t.row_start(998);
        t.cell(1024, false);
        t.row_end();
        t.row_start(3);
        t.cell(2, false);
        t.cell(2, true);
        t.row_end();
        // Widened: 2 + 0 + 4 cells; used area rows 0..1002 (1002 rows) × columns B..D (3).
        assert_eq!(t.pushed, 6);
        assert_eq!(t.cells(), (6 + 1002 * 3) * 2);
    }
}
