//! `chiso export-template` (a fill-in form that is also a criteria table) and
//! `chiso read-form` (the filled form → an assessment).

use super::{cell_text_out, f64_of, read_grids, xlsx_error};
use crate::commands::{index_or_exit, load_index, report, INVALID};
use chiso::assessment::{EvidenceRef, LayerEntry, NotApplicable};
use chiso::authoring::{
    cell_ref, criteria_table, fold, parse_value, read_number, value_choices, value_hint, Field,
    Grid, META_TAG,
};
use chiso::{Assessment, Diagnostic, Diagnostics, Entry, Index, Lang, Problem, Value};
use clap::Args;
use rust_xlsxwriter::{DataValidation, Format, Workbook};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Fill-in columns of the form, after the criteria columns.
pub const FILL: [&str; 7] = [
    "Cách nhập giá trị",
    "Tự chấm: giá trị",
    "Tự chấm: văn bản đính kèm",
    "Tự chấm: giải trình",
    "Thẩm định: giá trị",
    "Thẩm định: ghi chú",
    "Không áp dụng (lý do)",
];

/// Row (0-based) of the header in forms chiso writes.
const HEADER_ROW: u32 = 3;

/// Arguments of `chiso export-template`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Index definition.
    pub index: PathBuf,
    /// Where to write the form (.xlsx).
    #[arg(long)]
    pub out: PathBuf,
    /// Unit name to pre-fill.
    #[arg(long)]
    pub unit: Option<String>,
    /// Year to pre-fill.
    #[arg(long)]
    pub year: Option<i32>,
}

/// Arguments of `chiso read-form`.
#[derive(Debug, Args)]
pub struct ReadFormArgs {
    /// Index definition.
    pub index: PathBuf,
    /// Filled form (.xlsx or .csv).
    pub form: PathBuf,
    /// Where to write the assessment (JSON); stdout when absent.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Unit name (overrides the form's "Đơn vị" cell).
    #[arg(long)]
    pub unit: Option<String>,
}

/// Writes the form for `index` to `path`.
pub fn write_form(
    index: &Index,
    path: &Path,
    unit: &str,
    year: Option<i32>,
) -> Result<(), Diagnostics> {
    let err = xlsx_error(path);
    let def = index.definition();
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold().set_text_wrap();
    let wrap = Format::new().set_text_wrap();
    let bold_num = Format::new().set_bold().set_num_format("0.00");
    let num = Format::new().set_num_format("0.00");
    let fill = Format::new()
        .set_background_color(rust_xlsxwriter::Color::RGB(0xFFF2CC))
        .set_text_wrap();
    let ws = wb.add_worksheet();
    ws.set_name("Phiếu chấm").map_err(&err)?;
    ws.write_string_with_format(0, 0, "Đơn vị:", &bold)
        .map_err(&err)?;
    ws.write_string_with_format(0, 1, cell_text_out(unit), &fill)
        .map_err(&err)?;
    ws.write_string_with_format(1, 0, "Năm:", &bold)
        .map_err(&err)?;
    match year {
        Some(y) => ws.write_number_with_format(1, 1, f64::from(y), &fill),
        None => ws.write_string_with_format(1, 1, "", &fill),
    }
    .map_err(&err)?;
    ws.write_string(2, 0, cell_text_out(&def.title.vi))
        .map_err(&err)?;
    let fields = Field::ALL;
    for (c, f) in fields.iter().enumerate() {
        ws.write_string_with_format(HEADER_ROW, c as u16, f.header(), &bold)
            .map_err(&err)?;
    }
    let base = fields.len() as u16;
    for (k, h) in FILL.iter().enumerate() {
        ws.write_string_with_format(HEADER_ROW, base + k as u16, *h, &bold)
            .map_err(&err)?;
    }
    for (c, w) in [10.0, 50.0, 10.0, 50.0, 30.0, 30.0, 25.0, 10.0, 12.0]
        .iter()
        .enumerate()
    {
        ws.set_column_width(c as u16, *w).map_err(&err)?;
    }
    for k in 0..FILL.len() as u16 {
        ws.set_column_width(base + k, 22).map_err(&err)?;
    }
    ws.set_freeze_panes(HEADER_ROW + 1, 2).map_err(&err)?;
    for (i, row) in criteria_table(def).iter().enumerate() {
        let r = HEADER_ROW + 1 + i as u32;
        let parent = !row.leaf && row.kind.is_empty();
        for (c, f) in fields.iter().enumerate() {
            let c = c as u16;
            if *f == Field::Max {
                if let Some(m) = row.max {
                    ws.write_number_with_format(
                        r,
                        c,
                        f64_of(m),
                        if parent { &bold_num } else { &num },
                    )
                    .map_err(&err)?;
                }
                continue;
            }
            let text = row.text(*f);
            if text.is_empty() {
                continue;
            }
            ws.write_string_with_format(
                r,
                c,
                cell_text_out(&text),
                if parent { &bold } else { &wrap },
            )
            .map_err(&err)?;
        }
        if parent {
            continue;
        }
        let rule = index.node(&row.code).and_then(|n| n.rule.clone());
        let hint = match &rule {
            Some(rl) => value_hint(rl),
            None => "số điểm".into(),
        };
        ws.write_string_with_format(r, base, cell_text_out(&hint), &wrap)
            .map_err(&err)?;
        for k in 1..FILL.len() as u16 {
            ws.write_blank(r, base + k, &fill).map_err(&err)?;
        }
        if let Some(choices) = rule.as_ref().and_then(value_choices) {
            if choices.iter().map(|c| c.chars().count() + 1).sum::<usize>() < 250
                && !choices.iter().any(|c| c.contains(','))
            {
                if let Ok(dv) = DataValidation::new().allow_list_strings(&choices) {
                    for col in [base + 1, base + 4] {
                        ws.add_data_validation(r, col, r, col, &dv).map_err(&err)?;
                    }
                }
            }
        }
    }
    // The index's metadata, so the form reads back as the same criteria set.
    let mut meta = def.clone();
    meta.nodes.clear();
    meta.adjustments.clear();
    let ws = wb.add_worksheet();
    ws.set_name("chiso").map_err(&err)?;
    ws.write_string(0, 0, META_TAG).map_err(&err)?;
    ws.write_string(1, 0, serde_json::to_string(&meta).unwrap_or_default())
        .map_err(&err)?;
    ws.write_string(
        3,
        0,
        "Trang này lưu thông tin bộ chỉ số cho chiso; không sửa. / chiso metadata; do not edit.",
    )
    .map_err(&err)?;
    ws.set_hidden(true);
    super::save_workbook(&mut wb, path)
}

/// Runs `chiso export-template`.
pub fn run_export(a: &ExportArgs, lang: Lang) -> ExitCode {
    let index = match index_or_exit(&a.index, lang) {
        Ok(i) => i,
        Err(c) => return c,
    };
    match write_form(&index, &a.out, a.unit.as_deref().unwrap_or(""), a.year) {
        Ok(()) => ExitCode::SUCCESS,
        Err(d) => {
            report(&d, lang);
            ExitCode::from(INVALID)
        }
    }
}

fn find_form(grids: &[Grid]) -> Option<(&Grid, usize, Vec<Option<usize>>, usize)> {
    for g in grids {
        for (r, row) in g.rows.iter().enumerate().take(40) {
            let folded: Vec<String> = row.iter().map(|c| fold(c)).collect();
            let col = |h: &str| folded.iter().position(|c| *c == fold(h));
            let fill: Vec<Option<usize>> = FILL.iter().map(|h| col(h)).collect();
            let code = row
                .iter()
                .position(|c| chiso::authoring::header_field(c) == Some(Field::Code));
            if let (Some(code), Some(_)) = (code, fill[1]) {
                return Some((g, r, fill, code));
            }
        }
    }
    None
}

/// Reads a filled form into an assessment of `index`; every problem at once.
pub fn read_form(
    index: &Index,
    grids: &[Grid],
    unit: Option<&str>,
) -> Result<Assessment, Diagnostics> {
    let mut diags = Diagnostics::default();
    let Some((g, hr, fill, code_col)) = find_form(grids) else {
        return Err(Diagnostics(vec![Diagnostic::error(
            "$",
            None,
            Problem::MissingColumns {
                missing: vec!["STT".into(), FILL[1].into()],
            },
        )]));
    };
    let cell = |r: usize, c: Option<usize>| -> String {
        c.and_then(|c| g.rows.get(r).and_then(|row| row.get(c)))
            .map(|s| s.trim().to_owned())
            .unwrap_or_default()
    };
    let unit_name = unit.map(str::to_owned).unwrap_or_else(|| cell(0, Some(1)));
    let mut a = Assessment::new(index.definition().id.clone(), unit_name);
    a.year = read_number(&cell(1, Some(1)))
        .ok()
        .flatten()
        .and_then(|d| i32::try_from(d.trunc().mantissa()).ok())
        .filter(|_| true);
    // Each criterion once: a second row of one code is an error naming both rows, never a
    // silent last-wins.
    let mut first_row: HashMap<String, usize> = HashMap::new();
    for r in hr + 1..g.rows.len() {
        let code = cell(r, Some(code_col));
        if code.is_empty() {
            continue;
        }
        if let Some(&first) = first_row.get(&code) {
            diags.push(Diagnostic::error(
                cell_ref(&g.name, r, Some(code_col)),
                Some(&code),
                Problem::DuplicateCode {
                    first_path: cell_ref(&g.name, first, Some(code_col)),
                },
            ));
            continue;
        }
        first_row.insert(code.clone(), r);
        let self_text = cell(r, fill[1]);
        let appr_text = cell(r, fill[4]);
        let na = cell(r, fill[6]);
        if self_text.is_empty() && appr_text.is_empty() && na.is_empty() {
            continue;
        }
        let adjustment = index
            .definition()
            .adjustments
            .iter()
            .any(|x| x.code == code);
        let rule = index.node(&code).and_then(|n| n.rule.clone());
        if index.node(&code).is_none() && !adjustment {
            diags.push(Diagnostic::error(
                cell_ref(&g.name, r, Some(code_col)),
                Some(&code),
                Problem::UnknownCode,
            ));
            continue;
        }
        let mut entry = Entry::default();
        let mut read = |text: &str, col: Option<usize>| -> Option<Value> {
            if text.is_empty() {
                return None;
            }
            let v = match &rule {
                Some(rl) => parse_value(rl, text),
                None => read_number(text)
                    .ok()
                    .flatten()
                    .map(Value::Points)
                    .ok_or_else(|| "write a number of points / ghi số điểm".to_owned()),
            };
            match v {
                Ok(v) => Some(v),
                Err(detail) => {
                    diags.push(Diagnostic::error(
                        cell_ref(&g.name, r, col),
                        Some(&code),
                        Problem::UnreadableValue {
                            text: text.into(),
                            detail,
                        },
                    ));
                    None
                }
            }
        };
        if let Some(v) = read(&self_text, fill[1]) {
            let mut le = LayerEntry::new(v);
            le.evidence = cell(r, fill[2])
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(|l| EvidenceRef {
                    title: l.into(),
                    number: None,
                    link: None,
                })
                .collect();
            let ex = cell(r, fill[3]);
            le.explanation = (!ex.is_empty()).then_some(ex);
            entry.self_assessment = Some(le);
        }
        if let Some(v) = read(&appr_text, fill[4]) {
            let mut le = LayerEntry::new(v);
            let note = cell(r, fill[5]);
            le.note = (!note.is_empty()).then_some(note);
            entry.appraisal_1 = Some(le);
        }
        if !na.is_empty() {
            entry.not_applicable = Some(NotApplicable { reason: na });
        }
        if adjustment {
            a.adjustments.insert(code, entry);
        } else {
            a.entries.insert(code, entry);
        }
    }
    for d in index.check_assessment(&a).0 {
        diags.push(d);
    }
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(a)
    }
}

/// Runs `chiso read-form`.
pub fn run_read(a: &ReadFormArgs, lang: Lang) -> ExitCode {
    let (index, _) = match load_index(&a.index) {
        Ok(x) => x,
        Err(d) => {
            report(&d, lang);
            return ExitCode::from(INVALID);
        }
    };
    let file = a.form.display().to_string();
    let result = read_grids(&a.form).and_then(|g| {
        report(&g.warnings, lang);
        read_form(&index, &g.grids, a.unit.as_deref())
    });
    match result {
        Ok(asm) => match super::write_json(&asm, a.out.as_deref()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(d) => {
                report(&d, lang);
                ExitCode::from(INVALID)
            }
        },
        Err(d) => {
            report(&d.in_file(&file), lang);
            ExitCode::from(INVALID)
        }
    }
}
