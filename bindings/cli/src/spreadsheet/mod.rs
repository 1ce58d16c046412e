//! Spreadsheet commands: import, export-template, read-form, sheet, diff.
//! The spreadsheet crates (calamine, rust_xlsxwriter) live only here, in the CLI.

pub mod diff;
pub mod export;
pub mod import;
pub mod sheet;
pub(crate) mod workbook;

use calamine::Data;
use chiso::authoring::{cell_ref, Grid, META_TAG};
use chiso::limits::{MAX_CELL_CHARS, MAX_SHEET_CELLS, MAX_SHEET_COLUMNS, MAX_SHEET_ROWS};
use chiso::{Diagnostic, Diagnostics, Problem};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use std::path::Path;
use workbook::{Visibility, Workbook};

/// One I/O-style problem on `path`.
pub(crate) fn io_error(path: &Path, detail: impl ToString) -> Diagnostics {
    Diagnostics(vec![Diagnostic::error(
        "$",
        None,
        Problem::Io {
            detail: detail.to_string(),
        },
    )
    .in_file(path.display().to_string())])
}

/// Writes `value` as pretty JSON to `path` (atomically: the old file stays whole on
/// failure), or to stdout when there is none.
pub(crate) fn write_json(
    value: &impl serde::Serialize,
    path: Option<&Path>,
) -> Result<(), Diagnostics> {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    match path {
        Some(p) => crate::output::write_atomic(p, text.as_bytes()),
        None => crate::commands::out(&text),
    }
}

/// Saves a workbook to `path` atomically: built in memory, then written through
/// [`crate::output::write_atomic`], so a failure leaves the old file whole and no partial one.
///
/// rust_xlsxwriter assembles every worksheet on a thread of its own and panics when the
/// system refuses one (thousands of sheets under a process or memory limit); that panic is
/// caught here, quietly, and reported as a write error naming the number of sheets.
pub(crate) fn save_workbook(
    wb: &mut rust_xlsxwriter::Workbook,
    path: &Path,
) -> Result<(), Diagnostics> {
    let sheets = wb.worksheets().len();
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let saved = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| wb.save_to_buffer()));
    std::panic::set_hook(hook);
    let bytes = match saved {
        Ok(r) => r.map_err(xlsx_error(path))?,
        Err(_) => {
            return Err(crate::output::cannot_write(
                &path.display().to_string(),
                &std::io::Error::other(format!(
                    "the system refused the threads the spreadsheet writer starts, one per sheet ({sheets} sheets); write fewer units per workbook"
                )),
            ))
        }
    };
    crate::output::write_atomic(path, &bytes)
}

fn is_csv(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
}

/// The sheets of a spreadsheet as text grids, and the warnings of reading it.
#[derive(Debug, Default)]
pub(crate) struct Grids {
    /// The visible sheets (and chiso's own metadata sheet), in workbook order.
    pub grids: Vec<Grid>,
    /// Hidden sheets skipped, each named.
    pub warnings: Diagnostics,
}

/// A cell's value as text: numbers written plainly ("0.5"), blank as "".
pub(crate) fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

/// Reads every sheet of an .xlsx/.xlsm/.ods/.xls workbook, or a CSV file, as text grids,
/// through the bounded reader ([`workbook::Workbook`]).
///
/// Hidden and very hidden sheets are not read into the grids: criteria a user cannot see
/// must not be imported silently, so each is skipped with a warning naming it (`--strict`
/// turns warnings into a failure). The one exception is the metadata sheet chiso itself
/// writes into its forms (A1 = [`META_TAG`]), which it hides on purpose.
pub(crate) fn read_grids(path: &Path) -> Result<Grids, Diagnostics> {
    if is_csv(path) {
        return csv_grid(path);
    }
    let file = path.display().to_string();
    let mut wb = Workbook::open(path)?;
    let mut out = Grids::default();
    for i in 0..wb.sheets().len() {
        let info = wb.sheets()[i].clone();
        if !info.cells {
            continue;
        }
        let read = wb.read(i, &cell_text);
        if info.visibility != Visibility::Visible {
            let meta = read.as_ref().ok().is_some_and(|s| {
                s.rows.first().is_some_and(|(r, cells)| {
                    *r == 0 && cells.first().is_some_and(|c| c.trim() == META_TAG)
                })
            });
            if !meta {
                out.warnings.push(
                    Diagnostic::warning(
                        format!("'{}'", info.name),
                        None,
                        Problem::HiddenSheetSkipped {
                            sheet: info.name.clone(),
                            very_hidden: info.visibility == Visibility::VeryHidden,
                        },
                    )
                    .in_file(&file),
                );
                continue;
            }
        }
        let sheet = read?;
        // Dense rows from sheet row 1: the rows without a value cost a slot each.
        let height = sheet.rows.last().map_or(0, |(r, _)| *r as usize + 1);
        let empty = (height - sheet.rows.len()) as u64;
        wb.hold(&format!("'{}'", sheet.name), empty)?;
        let mut rows: Vec<Vec<String>> = Vec::with_capacity(height);
        for (r, cells) in sheet.rows {
            rows.resize_with(r as usize, Vec::new);
            rows.push(cells);
        }
        out.grids.push(Grid {
            name: sheet.name,
            rows,
        });
    }
    Ok(out)
}

/// One sheet as a table, the way a calamine range gives it: from the first row holding a
/// value to the last (from column A, or from the first column holding a value), every row
/// as wide as the widest.
#[derive(Debug, Default)]
pub(crate) struct Table {
    /// 0-based row of the table's first row.
    pub first_row: u32,
    /// Rows, each of the table's width.
    pub rows: Vec<Vec<String>>,
}

/// The sheet named `sheet`, else the first visible sheet of the workbook, as a [`Table`];
/// `text` writes each value; `from_column_a` starts every row at column A rather than at
/// the first column holding a value. Bounded like [`read_grids`]: the blank cells the
/// padding adds count against [`MAX_SHEET_CELLS`] before any row is widened.
pub(crate) fn sheet_table(
    path: &Path,
    sheet: Option<&str>,
    text: &dyn Fn(&Data) -> String,
    from_column_a: bool,
) -> Result<Table, Diagnostics> {
    let mut wb = Workbook::open(path)?;
    let sheets = wb.sheets();
    let index = match sheet {
        Some(name) => sheets.iter().position(|s| s.name == name),
        None => sheets
            .iter()
            .position(|s| s.cells && s.visibility == Visibility::Visible),
    };
    let Some(index) = index else {
        let names: Vec<String> = sheets.iter().map(|s| format!("\"{}\"", s.name)).collect();
        let detail = match sheet {
            Some(name) => format!(
                "no sheet is named \"{name}\"; the sheets are {} / không có trang tính tên \"{name}\"; các trang tính: {}",
                names.join(", "),
                names.join(", ")
            ),
            None => "the workbook has no visible sheet / tệp không có trang tính nào đang hiện".into(),
        };
        return Err(Diagnostics(vec![Diagnostic::error(
            "$",
            None,
            Problem::UnreadableWorkbook {
                format: path
                    .extension()
                    .and_then(|e| e.to_str())
                    .unwrap_or("")
                    .to_ascii_lowercase(),
                detail,
            },
        )
        .in_file(path.display().to_string())]));
    };
    let s = wb.read(index, text)?;
    let (Some(first), Some(last)) = (s.rows.first(), s.rows.last()) else {
        return Ok(Table::default());
    };
    let (first_row, last_row) = (first.0, last.0);
    let first_col = if from_column_a {
        0
    } else {
        s.rows
            .iter()
            .filter_map(|(_, c)| c.iter().position(|x| !x.is_empty()))
            .min()
            .unwrap_or(0)
    };
    let width = s.rows.iter().map(|(_, c)| c.len()).max().unwrap_or(0) - first_col;
    let height = (last_row - first_row) as u64 + 1;
    // Padding every row to the table's width costs a slot per blank cell.
    let held: u64 = s.rows.iter().map(|(_, c)| c.len() as u64).sum();
    wb.hold(
        &format!("'{}'", s.name),
        (height * width as u64).saturating_sub(held),
    )?;
    let mut rows = Vec::with_capacity(height as usize);
    let mut given = s.rows.into_iter().peekable();
    for r in first_row..=last_row {
        let mut row = match given.next_if(|(x, _)| *x == r) {
            Some((_, mut c)) => {
                c.drain(..first_col.min(c.len()));
                c
            }
            None => Vec::new(),
        };
        row.resize(width, String::new());
        rows.push(row);
    }
    Ok(Table { first_row, rows })
}

/// A CSV annex table as one grid, with the limits of a sheet: the record boundaries are
/// found first (quotes respected) so a row of a million empty fields is refused before the
/// CSV reader stores a position for each.
fn csv_grid(path: &Path) -> Result<Grids, Diagnostics> {
    let text = chiso::load::read_file(path)?;
    let text = text.trim_start_matches('\u{feff}');
    let name = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("csv")
        .to_owned();
    let file = path.display().to_string();
    let fail = |d: Diagnostics| d.in_file(&file);
    let (mut row, mut fields, mut quoted, mut cells) = (0usize, 1u64, false, 0u64);
    for b in text.bytes() {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => {
                fields += 1;
                if fields > u64::from(MAX_SHEET_COLUMNS) {
                    return Err(fail(workbook::limit(
                        &cell_ref(&name, row, Some(MAX_SHEET_COLUMNS as usize)),
                        "columns of a sheet / số cột của trang tính",
                        u64::from(MAX_SHEET_COLUMNS),
                        None,
                        "",
                    )));
                }
            }
            b'\n' if !quoted => {
                cells += fields + 1;
                row += 1;
                fields = 1;
                if row > MAX_SHEET_ROWS as usize {
                    return Err(fail(workbook::limit(
                        &cell_ref(&name, row, None),
                        "rows of a sheet / số dòng của trang tính",
                        u64::from(MAX_SHEET_ROWS),
                        None,
                        "",
                    )));
                }
                if cells > MAX_SHEET_CELLS {
                    return Err(fail(workbook::limit(
                        &cell_ref(&name, row, None),
                        "cells read from the workbook (blank cells inside a row included) / số ô đọc từ tệp (kể cả ô trống trong một dòng)",
                        MAX_SHEET_CELLS,
                        None,
                        "",
                    )));
                }
            }
            _ => {}
        }
    }
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (r, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| io_error(path, e))?;
        let mut cells = Vec::with_capacity(rec.len());
        for (c, v) in rec.iter().enumerate() {
            if v.len() > MAX_CELL_CHARS && v.chars().count() > MAX_CELL_CHARS {
                return Err(fail(workbook::limit(
                    &cell_ref(&name, r, Some(c)),
                    "characters in one cell / số ký tự trong một ô",
                    MAX_CELL_CHARS as u64,
                    Some(v.chars().count() as u64),
                    "",
                )));
            }
            cells.push(v.to_owned());
        }
        rows.push(cells);
    }
    Ok(Grids {
        grids: vec![Grid { name, rows }],
        warnings: Diagnostics::default(),
    })
}

/// A decimal as an f64 for a spreadsheet cell (display only: the exact value is
/// what chiso computed; the cell shows it with 2 decimals).
pub(crate) fn f64_of(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(f64::NAN)
}

/// Maps a spreadsheet-writer error to a write error on `path` ("cannot write", never
/// "cannot read").
pub(crate) fn xlsx_error(path: &Path) -> impl Fn(rust_xlsxwriter::XlsxError) -> Diagnostics + '_ {
    move |e| crate::output::cannot_write(&path.display().to_string(), &std::io::Error::other(e))
}

/// Whether a character may not stand in a cell or a sheet name: the C0 controls but tab,
/// line feed and carriage return (XML 1.0 forbids most of them; Excel shows none), DEL,
/// the C1 controls and the non-characters U+FFFE, U+FFFF.
fn unwritable(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{fffe}' | '\u{ffff}')
}

/// Text as it may be written in a cell: control characters removed (a unit name holding
/// NUL or ESC stays readable and the file well-formed), at most [`MAX_CELL_CHARS`]
/// characters (Excel's limit; longer text ends with "…").
pub(crate) fn cell_text_out(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(unwritable) && s.len() <= MAX_CELL_CHARS {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out: String = s.chars().filter(|&c| !unwritable(c)).collect();
    if out.chars().count() > MAX_CELL_CHARS {
        out = out.chars().take(MAX_CELL_CHARS - 1).collect();
        out.push('…');
    }
    std::borrow::Cow::Owned(out)
}

/// Sheet names that are unique in one workbook, in time linear in the number of sheets.
///
/// A name is cleaned for Excel (control characters and `[ ] : * ? / \` removed, no
/// apostrophe at either end, at most 31 characters, never blank, never a reserved name)
/// and made unique ignoring case with a numeric suffix (" 2", " 3", …); each base keeps its
/// next suffix, so 3,000 sheets of one unit name cost 3,000 look-ups, not 4.5 million.
#[derive(Debug, Default)]
pub(crate) struct SheetNames {
    used: std::collections::HashSet<String>,
    next: std::collections::HashMap<String, u32>,
}

/// Longest sheet name Excel accepts.
const SHEET_NAME_CHARS: usize = 31;

impl SheetNames {
    /// Names already taken (reserved), e.g. the ranking sheet's.
    pub(crate) fn reserve(&mut self, name: &str) {
        self.used.insert(name.to_lowercase());
    }

    /// A clean, unique sheet name for `wanted` (`fallback` when nothing is left of it).
    pub(crate) fn name(&mut self, wanted: &str, fallback: &str) -> String {
        let clean: String = wanted
            .chars()
            .filter(|&c| !unwritable(c) && !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
            .collect();
        let clean = clean.trim().trim_matches('\'').trim();
        let base: String = if clean.is_empty() { fallback } else { clean }
            .chars()
            .take(SHEET_NAME_CHARS)
            .collect();
        let base = base.trim_end().trim_end_matches('\'').to_owned();
        let key = base.to_lowercase();
        if !self.used.contains(&key) {
            self.used.insert(key);
            return base;
        }
        let mut n = self.next.get(&key).copied().unwrap_or(2);
        loop {
            let suffix = format!(" {n}");
            let head: String = base
                .chars()
                .take(SHEET_NAME_CHARS - suffix.chars().count())
                .collect();
            let name = format!("{}{suffix}", head.trim_end().trim_end_matches('\''));
            n += 1;
            if self.used.insert(name.to_lowercase()) {
                self.next.insert(key, n);
                return name;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{cell_text_out, SheetNames};
    use chiso::limits::MAX_CELL_CHARS;

    #[test]
    fn cell_text_loses_control_characters_and_keeps_line_breaks() {
        assert_eq!(
            cell_text_out("Sở\u{0}Nội\u{1b} vụ\nphòng\u{7f}"),
            "SởNội vụ\nphòng"
        );
        let long = "ă".repeat(MAX_CELL_CHARS + 5);
        let out = cell_text_out(&long);
        assert_eq!(out.chars().count(), MAX_CELL_CHARS);
        assert!(out.ends_with('…'));
    }

    #[test]
    fn sheet_names_are_clean_short_and_unique_ignoring_case() {
        let mut n = SheetNames::default();
        n.reserve("Xếp hạng");
        assert_eq!(
            n.name("Sở [Nội vụ]: 2024/25*?\u{0}\u{1b}", "Đơn vị"),
            "Sở Nội vụ 202425"
        );
        assert_eq!(n.name("xếp hạng", "Đơn vị"), "xếp hạng 2");
        assert_eq!(n.name("'\u{0}'", "Đơn vị"), "Đơn vị");
        assert_eq!(n.name("", "Đơn vị"), "Đơn vị 2");
        let long = "Ủy ban nhân dân phường Bến Nghé quận 1";
        let a = n.name(long, "Đơn vị");
        let b = n.name(long, "Đơn vị");
        assert_eq!(a.chars().count(), 31);
        assert!(b.chars().count() <= 31 && b.ends_with(" 2"), "{b}");
        // A unit really named like a suffixed one does not collide.
        let mut n = SheetNames::default();
        assert_eq!(n.name("A 2", "x"), "A 2");
        assert_eq!(n.name("A", "x"), "A");
        assert_eq!(n.name("A", "x"), "A 3");
        assert_eq!(n.name("a", "x"), "a 4");
    }

    #[test]
    fn three_thousand_sheets_of_one_name_get_distinct_names() {
        let mut n = SheetNames::default();
        let mut seen = std::collections::HashSet::new();
        for _ in 0..3_000 {
            let s = n.name("Sở Nội vụ tỉnh Ví dụ rất dài tên đơn vị", "Đơn vị");
            assert!(s.chars().count() <= 31);
            assert!(seen.insert(s.to_lowercase()));
        }
    }
}
