//! The one workbook reader of the CLI: every spreadsheet chiso reads (`import`,
//! `read-form`, `records`, `survey`) goes through [`Workbook`].
//!
//! Memory follows the cells present, never what the file declares:
//! - the file size is bounded ([`MAX_SPREADSHEET_BYTES`]);
//! - an .xlsx or .ods archive is checked and every part inflated once through a cap
//!   before calamine opens it (`archive`), its XML scanned on the way (`scan`);
//! - Excel 97–2003 (.xls) and binary (.xlsb) workbooks are refused with a message asking
//!   for .xlsx: calamine reads their containers with unchecked chains, counts and offsets
//!   (a 2-cell .xls can ask for a 137 GB rectangle, a cyclic sector chain never ends), so
//!   no bound could be promised for them;
//! - .xlsx sheets are streamed cell by cell (calamine's cells reader), so a lone cell at
//!   XFD1048576 costs one cell, not a 17-billion-cell rectangle;
//! - every cell kept is counted against [`MAX_SHEET_CELLS`], blank slots included, and
//!   its position and text are checked ([`MAX_SHEET_ROWS`], [`MAX_SHEET_COLUMNS`],
//!   [`MAX_CELL_CHARS`]) before it is stored.
//!
//! Formula cells whose result is not saved in the file are errors naming the cell, never
//! read as blank. Sheets report their visibility; what to do with hidden ones is the
//! caller's choice (import skips them with a warning).

mod archive;
mod scan;

use calamine::{Data, DataRef, Ods, Reader, SheetType, SheetVisible, Xlsx};
use chiso::authoring::cell_ref;
use chiso::limits::{
    MAX_CELL_CHARS, MAX_SHEETS, MAX_SHEET_CELLS, MAX_SHEET_COLUMNS, MAX_SHEET_ROWS,
    MAX_SPREADSHEET_BYTES, MAX_SPREADSHEET_PROBLEMS,
};
use chiso::{Diagnostic, Diagnostics, Problem};
use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Seek, SeekFrom};
use std::path::Path;

/// The formats chiso reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// Office Open XML (.xlsx, .xlsm).
    Xlsx,
    /// OpenDocument (.ods).
    Ods,
    /// Excel 97–2003 (.xls) or binary (.xlsb): recognised, to be refused by name.
    Xls,
}

impl Format {
    /// The format of a file, from its extension.
    pub(crate) fn of(path: &Path) -> Option<Format> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)?;
        match ext.as_str() {
            "xlsx" | "xlsm" | "xltx" | "xltm" => Some(Format::Xlsx),
            "ods" => Some(Format::Ods),
            "xls" | "xla" | "xlsb" => Some(Format::Xls),
            _ => None,
        }
    }

    /// The part that lists the sheets, where a problem with the list is located.
    fn sheet_list(self) -> &'static str {
        match self {
            Format::Xlsx => "xl/workbook.xml",
            Format::Ods => "content.xml",
            Format::Xls => "Workbook",
        }
    }

    fn ext(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Ods => "ods",
            Format::Xls => "xls",
        }
    }
}

/// Whether a sheet shows in the spreadsheet program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Visibility {
    /// Shown.
    Visible,
    /// Hidden (Format ▸ Sheet ▸ Unhide shows it again).
    Hidden,
    /// Very hidden (only the VBA editor shows it again).
    VeryHidden,
}

/// A sheet of the workbook.
#[derive(Debug, Clone)]
pub(crate) struct SheetInfo {
    /// The sheet's name.
    pub name: String,
    /// Whether it is shown.
    pub visibility: Visibility,
    /// Whether it holds cells (not a chart or a macro sheet).
    pub cells: bool,
}

/// The cells of one sheet: the rows that hold a value, in order, each as the 0-based row
/// and its cells from column A to its last value (blank cells as empty strings).
#[derive(Debug, Clone, Default)]
pub(crate) struct Sheet {
    /// The sheet's name.
    pub name: String,
    /// Rows with a value.
    pub rows: Vec<(u32, Vec<String>)>,
}

enum Inner {
    Xlsx(Box<Xlsx<BufReader<File>>>),
    Ods(Ods<BufReader<File>>),
}

/// An open workbook whose archive and sheets passed the checks.
pub(crate) struct Workbook {
    file: String,
    format: Format,
    inner: Inner,
    sheets: Vec<SheetInfo>,
    /// Lower-cased part of each sheet (.xlsx), to find its formulas without a result.
    parts: Vec<Option<String>>,
    uncached: HashMap<String, Vec<scan::Uncached>>,
    /// Cells held so far (all sheets read), blank slots included.
    held: u64,
}

/// An [`Problem::UnreadableWorkbook`] at `part` (the whole file when empty).
pub(super) fn bad(format: Format, part: &str, detail: &str) -> Diagnostics {
    Diagnostics(vec![Diagnostic::error(
        if part.is_empty() { "$" } else { part },
        None,
        Problem::UnreadableWorkbook {
            format: format.ext().into(),
            detail: detail.into(),
        },
    )])
}

/// A [`Problem::LimitExceeded`] at `at` (the whole file when empty).
pub(super) fn limit(
    at: &str,
    what: &str,
    limit: u64,
    found: Option<u64>,
    unit: &str,
) -> Diagnostics {
    Diagnostics(vec![Diagnostic::error(
        if at.is_empty() { "$" } else { at },
        None,
        Problem::LimitExceeded {
            what: what.into(),
            limit,
            found,
            unit: unit.into(),
        },
    )])
}

/// A sheet's part as calamine names it: `worksheets/sheet1.xml` → `xl/worksheets/sheet1.xml`.
fn part_of(target: &str) -> String {
    let t = target.strip_prefix('/').unwrap_or(target);
    if t.starts_with("xl/") {
        t.to_lowercase()
    } else {
        format!("xl/{t}").to_lowercase()
    }
}

impl Workbook {
    /// Opens and checks a workbook (.xlsx, .xlsm, .ods, .xls); every diagnostic names the file.
    pub(crate) fn open(path: &Path) -> Result<Workbook, Diagnostics> {
        let file = path.display().to_string();
        Self::open_checked(path, &file).map_err(|d| d.in_file(&file))
    }

    fn open_checked(path: &Path, name: &str) -> Result<Workbook, Diagnostics> {
        let Some(format) = Format::of(path) else {
            return Err(bad(
                Format::Xlsx,
                "",
                "chiso reads .xlsx, .xlsm, .ods and .xls workbooks (and .csv) / chiso đọc bảng tính .xlsx, .xlsm, .ods, .xls (và .csv)",
            ));
        };
        let io = |e: std::io::Error| super::io_error(path, e);
        let meta = std::fs::metadata(path).map_err(io)?;
        if meta.is_dir() {
            return Err(super::io_error(path, "Is a directory"));
        }
        if meta.len() > MAX_SPREADSHEET_BYTES {
            return Err(limit(
                "",
                "spreadsheet file size / kích thước tệp bảng tính",
                MAX_SPREADSHEET_BYTES,
                Some(meta.len()),
                "bytes / byte",
            ));
        }
        if format == Format::Xls {
            return Err(bad(
                format,
                "",
                "chiso does not read Excel 97–2003 (.xls) or binary (.xlsb) workbooks, whose readers cannot be held to a memory bound / chiso không đọc bảng tính Excel 97–2003 (.xls) hay .xlsb vì không giới hạn được bộ nhớ khi đọc chúng",
            ));
        }
        let mut f = File::open(path).map_err(io)?;
        let facts = archive::check(&mut f, format)?;
        f.seek(SeekFrom::Start(0)).map_err(io)?;
        let reader = BufReader::new(f);
        let fail = |e: &dyn std::fmt::Display| bad(format, "", &e.to_string());
        let inner = match format {
            Format::Ods => Inner::Ods(Ods::new(reader).map_err(|e| fail(&e))?),
            Format::Xlsx | Format::Xls => {
                Inner::Xlsx(Box::new(Xlsx::new(reader).map_err(|e| fail(&e))?))
            }
        };
        let listed = match &inner {
            Inner::Xlsx(w) => w.sheets_metadata(),
            Inner::Ods(w) => w.sheets_metadata(),
        };
        if listed.len() > MAX_SHEETS {
            return Err(limit(
                format.sheet_list(),
                "sheets in one workbook / số trang tính trong tệp",
                MAX_SHEETS as u64,
                Some(listed.len() as u64),
                "",
            ));
        }
        let sheets: Vec<SheetInfo> = listed
            .iter()
            .map(|s| SheetInfo {
                name: s.name.clone(),
                visibility: match s.visible {
                    SheetVisible::Visible => Visibility::Visible,
                    SheetVisible::Hidden => Visibility::Hidden,
                    SheetVisible::VeryHidden => Visibility::VeryHidden,
                },
                cells: s.typ == SheetType::WorkSheet,
            })
            .collect();
        // The part of each sheet, from the workbook's own list (same order as calamine's).
        let parts = sheets
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let (n, id) = facts.sheets.get(i)?;
                (*n == s.name).then(|| facts.rels.get(id).map(|t| part_of(t)))?
            })
            .collect();
        let _ = name;
        Ok(Workbook {
            file: path.display().to_string(),
            format,
            inner,
            sheets,
            parts,
            uncached: facts.uncached,
            held: 0,
        })
    }

    /// The sheets, in workbook order.
    pub(crate) fn sheets(&self) -> &[SheetInfo] {
        &self.sheets
    }

    /// Reads sheet `index`; `text` writes a cell's value as text. Errors name the cell.
    pub(crate) fn read(
        &mut self,
        index: usize,
        text: &dyn Fn(&Data) -> String,
    ) -> Result<Sheet, Diagnostics> {
        let file = self.file.clone();
        self.read_located(index, text).map_err(|d| d.in_file(&file))
    }

    fn read_located(
        &mut self,
        index: usize,
        text: &dyn Fn(&Data) -> String,
    ) -> Result<Sheet, Diagnostics> {
        let Some(info) = self.sheets.get(index).cloned() else {
            return Ok(Sheet::default());
        };
        if !info.cells {
            return Ok(Sheet {
                name: info.name,
                rows: Vec::new(),
            });
        }
        self.formulas_without_value(index, &info.name)?;
        let name = info.name.clone();
        let format = self.format;
        let mut cells: Vec<(u32, u32, String)> = Vec::new();
        let mut held = self.held;
        let mut keep = |r: u32, c: u32, v: &Data| -> Result<(), Diagnostics> {
            let at = || cell_ref(&name, r as usize, Some(c as usize));
            if c >= MAX_SHEET_COLUMNS {
                return Err(limit(
                    &at(),
                    "columns of a sheet / số cột của trang tính",
                    u64::from(MAX_SHEET_COLUMNS),
                    Some(u64::from(c) + 1),
                    "",
                ));
            }
            if r >= MAX_SHEET_ROWS {
                return Err(limit(
                    &at(),
                    "rows of a sheet / số dòng của trang tính",
                    u64::from(MAX_SHEET_ROWS),
                    Some(u64::from(r) + 1),
                    "",
                ));
            }
            let s = text(v);
            if s.len() > MAX_CELL_CHARS && s.chars().count() > MAX_CELL_CHARS {
                return Err(limit(
                    &at(),
                    "characters in one cell / số ký tự trong một ô",
                    MAX_CELL_CHARS as u64,
                    Some(s.chars().count() as u64),
                    "",
                ));
            }
            held += 1;
            if held > MAX_SHEET_CELLS {
                return Err(too_many_cells(&at(), held));
            }
            cells.push((r, c, s));
            Ok(())
        };
        match &mut self.inner {
            Inner::Xlsx(w) => {
                let mut rd = w
                    .worksheet_cells_reader(&name)
                    .map_err(|e| bad(format, &format!("'{name}'"), &e.to_string()))?;
                loop {
                    let next = rd
                        .next_cell()
                        .map_err(|e| bad(format, &format!("'{name}'"), &e.to_string()))?;
                    let Some(cell) = next else { break };
                    if matches!(cell.get_value(), DataRef::Empty) {
                        continue;
                    }
                    let (r, c) = cell.get_position();
                    keep(r, c, &Data::from(cell.get_value().clone()))?;
                }
            }
            Inner::Ods(w) => {
                let range = w
                    .worksheet_range(&name)
                    .map_err(|e| bad(format, &format!("'{name}'"), &e.to_string()))?;
                let (r0, c0) = range.start().unwrap_or((0, 0));
                for (r, c, v) in range.used_cells() {
                    keep(r0 + r as u32, c0 + c as u32, v)?;
                }
            }
        }
        self.held = held;
        self.rows(name, cells)
    }

    /// Errors for the formula cells of sheet `index` whose result is not saved.
    fn formulas_without_value(&self, index: usize, name: &str) -> Result<(), Diagnostics> {
        let key = match self.format {
            Format::Xlsx => self.parts.get(index).cloned().flatten(),
            Format::Ods => Some(name.to_owned()),
            Format::Xls => None,
        };
        let Some(found) = key.and_then(|k| self.uncached.get(&k)) else {
            return Ok(());
        };
        if found.is_empty() {
            return Ok(());
        }
        let mut d: Diagnostics = Diagnostics(
            found
                .iter()
                .take(MAX_SPREADSHEET_PROBLEMS)
                .map(|u| {
                    Diagnostic::error(
                        cell_ref(name, u.row as usize, Some(u.col as usize)),
                        None,
                        Problem::FormulaWithoutValue {
                            formula: u.formula.clone(),
                        },
                    )
                })
                .collect(),
        );
        if found.len() > MAX_SPREADSHEET_PROBLEMS {
            d.0.extend(
                limit(
                    &format!("'{name}'"),
                    "problems listed / số lỗi được liệt kê",
                    MAX_SPREADSHEET_PROBLEMS as u64,
                    Some(found.len() as u64),
                    "",
                )
                .0,
            );
        }
        Err(d)
    }

    /// Cells (any order) → rows, checking the blank slots against the cell budget and
    /// refusing a cell written twice.
    fn rows(
        &mut self,
        name: String,
        mut cells: Vec<(u32, u32, String)>,
    ) -> Result<Sheet, Diagnostics> {
        if !cells
            .windows(2)
            .all(|w| (w[0].0, w[0].1) < (w[1].0, w[1].1))
        {
            cells.sort_by_key(|c| (c.0, c.1));
            if let Some(w) = cells
                .windows(2)
                .find(|w| (w[0].0, w[0].1) == (w[1].0, w[1].1))
            {
                return Err(bad(
                    self.format,
                    &cell_ref(&name, w[0].0 as usize, Some(w[0].1 as usize)),
                    "the cell is written twice in the sheet's XML / ô được ghi hai lần trong dữ liệu của trang tính",
                ));
            }
        }
        let mut rows: Vec<(u32, Vec<String>)> = Vec::new();
        let mut cells = cells.into_iter().peekable();
        while let Some((r, c, s)) = cells.next() {
            // The row's width is its last cell's column + 1: count the blank slots first.
            let mut last = c;
            let mut row_cells = vec![(c, s)];
            while let Some((_, c2, s2)) = cells.next_if(|x| x.0 == r) {
                last = c2;
                row_cells.push((c2, s2));
            }
            let blanks = u64::from(last) + 1 - row_cells.len() as u64 + 1;
            self.held = self.held.saturating_add(blanks);
            if self.held > MAX_SHEET_CELLS {
                return Err(too_many_cells(
                    &cell_ref(&name, r as usize, Some(last as usize)),
                    self.held,
                ));
            }
            let mut row = vec![String::new(); last as usize + 1];
            for (c, s) in row_cells {
                row[c as usize] = s;
            }
            rows.push((r, row));
        }
        Ok(Sheet { name, rows })
    }

    /// Counts `n` more cells (blank slots a caller adds, e.g. when padding rows).
    pub(crate) fn hold(&mut self, at: &str, n: u64) -> Result<(), Diagnostics> {
        self.held = self.held.saturating_add(n);
        if self.held > MAX_SHEET_CELLS {
            return Err(too_many_cells(at, self.held).in_file(&self.file));
        }
        Ok(())
    }
}

fn too_many_cells(at: &str, found: u64) -> Diagnostics {
    limit(
        at,
        "cells read from the workbook (blank cells inside a row included) / số ô đọc từ tệp (kể cả ô trống trong một dòng)",
        MAX_SHEET_CELLS,
        Some(found),
        "",
    )
}
