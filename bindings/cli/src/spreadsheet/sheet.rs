//! `chiso sheet`: score sheets in the official layout, one sheet per unit, and a
//! ranking sheet: STT | Tiêu chí | Điểm tối đa | Điểm tự chấm | Điểm thẩm định | Ghi chú.

use super::{cell_text_out, f64_of, xlsx_error, SheetNames};
use crate::commands::{index_or_exit, load_assessment, report, INVALID};
use chiso::assessment::Layer;
use chiso::result::Status;
use chiso::{Diagnostics, Index, Lang, ScoreResult, View};
use clap::Args;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `chiso sheet`.
#[derive(Debug, Args)]
pub struct SheetArgs {
    /// Index definition.
    pub index: PathBuf,
    /// Assessment files (JSON), one per unit.
    #[arg(required = true)]
    pub assessments: Vec<PathBuf>,
    /// Where to write the workbook (.xlsx).
    #[arg(long)]
    pub out: PathBuf,
}

/// Column headers of a unit sheet.
pub const HEADERS: [&str; 6] = [
    "STT",
    "Tiêu chí",
    "Điểm tối đa",
    "Điểm tự chấm",
    "Điểm thẩm định",
    "Ghi chú",
];

/// Name of the ranking sheet.
const RANKING: &str = "Xếp hạng";

/// Column headers of the ranking sheet.
pub const RANK_HEADERS: [&str; 7] = [
    "Hạng",
    "Đơn vị",
    "Điểm tối đa",
    "Điểm tự chấm",
    "Điểm thẩm định",
    "Chỉ số (%)",
    "Xếp loại",
];

struct Formats {
    bold: Format,
    wrap: Format,
    num: Format,
    bold_num: Format,
    head: Format,
}

fn put(
    ws: &mut Worksheet,
    r: u32,
    c: u16,
    v: Option<Decimal>,
    f: &Format,
) -> Result<(), XlsxError> {
    if let Some(v) = v {
        ws.write_number_with_format(r, c, f64_of(v), f)?;
    }
    Ok(())
}

fn unit_sheet(
    ws: &mut Worksheet,
    index: &Index,
    res: &ScoreResult,
    f: &Formats,
) -> Result<(), XlsxError> {
    let def = index.definition();
    let title = format!("BẢNG ĐIỂM: {}", res.unit.name);
    ws.write_string_with_format(0, 0, cell_text_out(&title), &f.bold)?;
    let year = res.year.map(|y| format!(" — năm {y}")).unwrap_or_default();
    let line = format!("{} ({}){year}", def.title.vi, def.version);
    ws.write_string(1, 0, cell_text_out(&line))?;
    for (c, h) in HEADERS.iter().enumerate() {
        ws.write_string_with_format(3, c as u16, *h, &f.head)?;
    }
    for (c, w) in [8.0, 60.0, 12.0, 12.0, 14.0, 40.0].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    let mut r = 4u32;
    for n in &res.nodes {
        let top = n.depth == 1;
        let (tf, nf) = if top {
            (&f.bold, &f.bold_num)
        } else {
            (&f.wrap, &f.num)
        };
        let indent = "  ".repeat(n.depth.saturating_sub(1));
        ws.write_string_with_format(r, 0, cell_text_out(&n.code), tf)?;
        let title = format!("{indent}{}", n.title.vi);
        ws.write_string_with_format(r, 1, cell_text_out(&title), tf)?;
        put(ws, r, 2, n.max_points.or(n.applicable_max), nf)?;
        put(ws, r, 3, n.self_points, nf)?;
        put(ws, r, 4, n.appraised_points, nf)?;
        if n.status != Status::Scored {
            ws.write_string_with_format(r, 5, n.status.label(Lang::Vi), &f.wrap)?;
        }
        r += 1;
    }
    for a in &res.adjustments {
        let label = a.kind.name(Lang::Vi);
        ws.write_string_with_format(r, 0, cell_text_out(&a.code), &f.bold)?;
        let title = format!("{} ({label})", a.title.vi);
        ws.write_string_with_format(r, 1, cell_text_out(&title), &f.bold)?;
        put(ws, r, 2, Some(a.cap), &f.bold_num)?;
        let signed = a.kind.signed(a.points);
        let col = match a.source {
            Some(Layer::Appraisal1 | Layer::Appraisal2) => 4,
            _ => 3,
        };
        put(ws, r, col, Some(signed), &f.bold_num)?;
        r += 1;
    }
    let t = &res.total;
    ws.write_string_with_format(r, 1, "TỔNG ĐIỂM", &f.bold)?;
    put(ws, r, 2, t.max_points.or(t.applicable_max), &f.bold_num)?;
    put(ws, r, 3, t.self_points, &f.bold_num)?;
    put(ws, r, 4, t.appraised_points, &f.bold_num)?;
    r += 1;
    ws.write_string_with_format(r, 1, "CHỈ SỐ (%)", &f.bold)?;
    put(ws, r, 4, t.percent, &f.bold_num)?;
    if let Some(b) = &t.band {
        ws.write_string_with_format(r, 5, cell_text_out(&b.label.vi), &f.bold)?;
    }
    ws.set_freeze_panes(4, 2)?;
    Ok(())
}

/// Writes the workbook: one sheet per unit, then the ranking sheet.
pub fn write_sheets(
    index: &Index,
    results: &[ScoreResult],
    path: &Path,
) -> Result<(), Diagnostics> {
    let err = xlsx_error(path);
    let f = Formats {
        bold: Format::new().set_bold().set_text_wrap(),
        wrap: Format::new().set_text_wrap(),
        num: Format::new().set_num_format("0.00"),
        bold_num: Format::new().set_bold().set_num_format("0.00"),
        head: Format::new()
            .set_bold()
            .set_text_wrap()
            .set_border(rust_xlsxwriter::FormatBorder::Thin),
    };
    let mut wb = Workbook::new();
    let mut names = SheetNames::default();
    names.reserve(RANKING);
    // Excel refuses a sheet named "History" (it keeps the name for change tracking).
    names.reserve("History");
    for res in results {
        let ws = wb.add_worksheet();
        ws.set_name(names.name(&res.unit.name, "Đơn vị"))
            .map_err(&err)?;
        unit_sheet(ws, index, res, &f).map_err(&err)?;
    }
    let ws = wb.add_worksheet();
    ws.set_name(RANKING).map_err(&err)?;
    for (c, h) in RANK_HEADERS.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &f.head)
            .map_err(&err)?;
    }
    ws.set_column_width(1, 40).map_err(&err)?;
    let totals: Vec<Option<Decimal>> = results.iter().map(|r| r.total.achieved).collect();
    let ranks = chiso::ranking::rank(&totals, index.definition().tie_policy);
    let mut order: Vec<usize> = (0..results.len()).collect();
    order.sort_by_key(|&i| (ranks[i].is_none(), ranks[i]));
    for (k, &i) in order.iter().enumerate() {
        let r = k as u32 + 1;
        let res = &results[i];
        if let Some(rank) = ranks[i] {
            ws.write_number(r, 0, f64::from(rank)).map_err(&err)?;
        }
        ws.write_string(r, 1, cell_text_out(&res.unit.name))
            .map_err(&err)?;
        let t = &res.total;
        put(ws, r, 2, t.max_points.or(t.applicable_max), &f.num).map_err(&err)?;
        put(ws, r, 3, t.self_points, &f.num).map_err(&err)?;
        put(ws, r, 4, t.appraised_points, &f.num).map_err(&err)?;
        put(ws, r, 5, t.percent, &f.num).map_err(&err)?;
        if let Some(b) = &t.band {
            ws.write_string(r, 6, cell_text_out(&b.label.vi))
                .map_err(&err)?;
        }
    }
    super::save_workbook(&mut wb, path)
}

/// Runs `chiso sheet`.
pub fn run(a: &SheetArgs, lang: Lang) -> ExitCode {
    let index = match index_or_exit(&a.index, lang) {
        Ok(i) => i,
        Err(c) => return c,
    };
    let mut results = Vec::new();
    let mut failed = false;
    for p in &a.assessments {
        let file = p.display().to_string();
        match load_assessment(p)
            .and_then(|asm| index.score(&asm, View::Final).map_err(|d| d.in_file(&file)))
        {
            Ok(r) => results.push(r),
            Err(d) => {
                report(&d, lang);
                failed = true;
            }
        }
    }
    if failed {
        return ExitCode::from(INVALID);
    }
    match write_sheets(&index, &results, &a.out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(d) => {
            report(&d, lang);
            ExitCode::from(INVALID)
        }
    }
}
