//! Spreadsheet commands: import, export-template, read-form, sheet, diff.
//! The spreadsheet crates (calamine, rust_xlsxwriter) live only here, in the CLI.

pub mod diff;
pub mod export;
pub mod import;
pub mod sheet;

use calamine::{open_workbook_auto, Data, Reader};
use chiso::authoring::Grid;
use chiso::{Diagnostic, Diagnostics, Problem};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use std::path::Path;

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

/// Writes `value` as pretty JSON to `path`, or to stdout when there is none.
pub(crate) fn write_json(
    value: &impl serde::Serialize,
    path: Option<&Path>,
) -> Result<(), Diagnostics> {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    match path {
        Some(p) => std::fs::write(p, text).map_err(|e| io_error(p, e)),
        None => crate::commands::out(&text),
    }
}

fn is_csv(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
}

/// Reads every sheet of an .xlsx/.xls/.ods workbook, or a CSV file, as text grids.
pub(crate) fn read_grids(path: &Path) -> Result<Vec<Grid>, Diagnostics> {
    if is_csv(path) {
        let text = chiso::load::read_file(path)?;
        let text = text.trim_start_matches('\u{feff}');
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut rows = Vec::new();
        for rec in rdr.records() {
            let rec = rec.map_err(|e| io_error(path, e))?;
            rows.push(rec.iter().map(str::to_owned).collect());
        }
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("csv")
            .to_owned();
        return Ok(vec![Grid { name, rows }]);
    }
    let mut wb = open_workbook_auto(path).map_err(|e| io_error(path, e))?;
    let mut out = Vec::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).map_err(|e| io_error(path, e))?;
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let mut rows: Vec<Vec<String>> = vec![Vec::new(); r0 as usize];
        for row in range.rows() {
            let mut cells = vec![String::new(); c0 as usize];
            cells.extend(row.iter().map(|d| match d {
                Data::Empty => String::new(),
                other => other.to_string(),
            }));
            rows.push(cells);
        }
        out.push(Grid { name, rows });
    }
    Ok(out)
}

/// A decimal as an f64 for a spreadsheet cell (display only: the exact value is
/// what chiso computed; the cell shows it with 2 decimals).
pub(crate) fn f64_of(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(f64::NAN)
}

/// Maps a spreadsheet-writer error to diagnostics on `path`.
pub(crate) fn xlsx_error(path: &Path) -> impl Fn(rust_xlsxwriter::XlsxError) -> Diagnostics + '_ {
    move |e| io_error(path, e)
}
