//! `chiso import`: a criteria table (.xlsx or .csv) → an index definition (JSON).

use super::{read_grids, xlsx_error, Grids};
use crate::commands::{report, INVALID};
use chiso::authoring::{import, meta_from_grids, Field};
use chiso::index::{Completeness, IndexDefinition, LegalBasis, UnitLevel, YearRange, INDEX_FORMAT};
use chiso::{Diagnostics, Lang, Text};
use clap::Args;
use rust_xlsxwriter::{Format, Workbook};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `chiso import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Criteria table: .xlsx, .xlsm, .ods or .csv (.xls: save it as .xlsx first).
    #[arg(required_unless_present = "write_template")]
    pub table: Option<PathBuf>,
    /// Where to write the index (JSON); stdout when absent.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Metadata sidecar: an index JSON whose nodes are ignored (id, title, legal basis…).
    #[arg(long)]
    pub meta: Option<PathBuf>,
    /// Index id, e.g. par-camau-2024-department.
    #[arg(long)]
    pub id: Option<String>,
    /// Title of the index (Vietnamese).
    #[arg(long)]
    pub title: Option<String>,
    /// Version of the criteria set, e.g. 1880/QĐ-UBND-2013.
    #[arg(long)]
    pub version: Option<String>,
    /// Legal basis: decision number, e.g. 1880/QĐ-UBND.
    #[arg(long)]
    pub decision: Option<String>,
    /// Legal basis: date of signing (YYYY-MM-DD).
    #[arg(long)]
    pub date: Option<String>,
    /// Legal basis: issuer, e.g. "UBND tỉnh Cà Mau".
    #[arg(long)]
    pub issuer: Option<String>,
    /// Legal basis: where the text can be read.
    #[arg(long)]
    pub url: Option<String>,
    /// Unit level(s): department, district, commune, province, ministry…
    #[arg(long = "unit-level")]
    pub unit_levels: Vec<String>,
    /// First year in force.
    #[arg(long)]
    pub from_year: Option<i32>,
    /// Last year in force.
    #[arg(long)]
    pub to_year: Option<i32>,
    /// Completeness to declare: provisional (default: not yet checked against the
    /// decision), partial or complete.
    #[arg(long, default_value = "provisional")]
    pub completeness: String,
    /// Fail when there are warnings (ambiguous bounds, wording not recognised).
    #[arg(long)]
    pub strict: bool,
    /// Write a blank criteria template with instructions (.xlsx, or .csv) and exit.
    #[arg(long)]
    pub write_template: Option<PathBuf>,
}

fn usage(msg: &str) -> ExitCode {
    eprintln!("{msg}");
    ExitCode::from(crate::commands::USAGE)
}

/// Every unit level `--unit-level` accepts.
const UNIT_LEVELS: &str = "ministry, province, department, district, commune, district_division, central_agency, public_service_unit";

/// The index metadata from flags. Every missing flag and every unknown unit level is
/// reported at once, in one message, so one run tells the whole story.
fn template_from_flags(
    a: &ImportArgs,
    table: &Path,
    lang: Lang,
) -> Result<IndexDefinition, String> {
    let mut missing: Vec<&str> = [
        (&a.id, "--id"),
        (&a.title, "--title"),
        (&a.version, "--version"),
        (&a.decision, "--decision"),
        (&a.issuer, "--issuer"),
        (&a.url, "--url"),
    ]
    .iter()
    .filter(|(v, _)| v.is_none())
    .map(|(_, flag)| *flag)
    .collect();
    if a.unit_levels.is_empty() {
        missing.push("--unit-level");
    }
    if a.from_year.is_none() {
        missing.push("--from-year");
    }
    let mut levels = Vec::new();
    let mut unknown = Vec::new();
    for l in &a.unit_levels {
        match serde_json::from_value::<UnitLevel>(serde_json::Value::String(l.clone())) {
            Ok(v) => levels.push(v),
            Err(_) => unknown.push(format!("'{l}'")),
        }
    }
    if !missing.is_empty() || !unknown.is_empty() {
        let mut lines = Vec::new();
        if !missing.is_empty() {
            lines.push(match lang {
                Lang::Vi => format!(
                    "chiso import: thiếu thông tin bắt buộc của bộ chỉ số: {}; hãy ghi đủ các cờ này, hoặc dùng --meta <index.json> (một tệp bộ chỉ số đã có các thông tin đó)",
                    missing.join(", ")
                ),
                Lang::En => format!(
                    "chiso import: required index metadata is missing: {}; give all of these flags, or --meta <index.json> (an index file that carries them)",
                    missing.join(", ")
                ),
            });
        }
        if !unknown.is_empty() {
            lines.push(match lang {
                Lang::Vi => format!(
                    "chiso import: --unit-level không hợp lệ: {}; các cấp đơn vị: {UNIT_LEVELS}",
                    unknown.join(", ")
                ),
                Lang::En => format!(
                    "chiso import: unknown --unit-level {}; the unit levels are: {UNIT_LEVELS}",
                    unknown.join(", ")
                ),
            });
        }
        return Err(lines.join("\n"));
    }
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let table_name = table.file_name().and_then(|s| s.to_str()).unwrap_or("");
    Ok(IndexDefinition {
        format: INDEX_FORMAT.into(),
        id: text(&a.id),
        title: Text::new(text(&a.title), ""),
        version: text(&a.version),
        legal_basis: vec![LegalBasis {
            decision: text(&a.decision),
            date: a.date.clone(),
            issuer: text(&a.issuer),
            url: text(&a.url),
            part: None,
        }],
        unit_levels: levels,
        years: YearRange {
            from: a.from_year.unwrap_or_default(),
            to: a.to_year,
        },
        completeness: Completeness::Provisional,
        notes: vec![Text::new(
            format!(
                "Nhập từ bảng \"{table_name}\" bằng chiso import; quy tắc chấm nhận dạng từ lời văn cần được đối chiếu với quyết định trước khi dùng chính thức."
            ),
            format!(
                "Imported from the table \"{table_name}\" by chiso import; rules recognised from the wording must be checked against the decision before official use."
            ),
        )],
        max_points: None,
        aggregation: Default::default(),
        policies: Default::default(),
        bands: Vec::new(),
        tie_policy: Default::default(),
        adjustments: Vec::new(),
        unit_types: Vec::new(),
        nodes: Vec::new(),
    })
}

/// Runs `chiso import`.
pub fn run(a: &ImportArgs, lang: Lang) -> ExitCode {
    if let Some(t) = &a.write_template {
        return match write_template(t) {
            Ok(()) => ExitCode::SUCCESS,
            Err(d) => {
                report(&d, lang);
                ExitCode::from(INVALID)
            }
        };
    }
    let Some(table) = &a.table else {
        return usage("give a table to import");
    };
    let Grids {
        grids,
        warnings: read_warnings,
    } = match read_grids(table) {
        Ok(g) => g,
        Err(d) => {
            report(&d, lang);
            return ExitCode::from(INVALID);
        }
    };
    report(&read_warnings, lang);
    let template = if let Some(m) = meta_from_grids(&grids) {
        match m {
            Ok(t) => t,
            Err(d) => {
                report(&d.in_file(&table.display().to_string()), lang);
                return ExitCode::from(INVALID);
            }
        }
    } else if let Some(meta) = &a.meta {
        match chiso::load::read_file(meta).and_then(|t| chiso::load::index_definition(&t)) {
            Ok(t) => t,
            Err(d) => {
                report(&d.in_file(&meta.display().to_string()), lang);
                return ExitCode::from(INVALID);
            }
        }
    } else {
        match template_from_flags(a, table, lang) {
            Ok(t) => t,
            Err(m) => return usage(&m),
        }
    };
    let mut template = template;
    match a.completeness.as_str() {
        "provisional" => {
            if template.completeness == Completeness::Complete {
                template.completeness = Completeness::Provisional;
            }
        }
        "partial" => template.completeness = Completeness::Partial,
        "complete" => template.completeness = Completeness::Complete,
        other => return usage(&format!("unknown completeness '{other}'")),
    }
    let file = table.display().to_string();
    match import(&grids, &template) {
        Ok(imp) => {
            let warnings = imp.warnings.clone().in_file(&file);
            report(&warnings, lang);
            let count = warnings.len() + read_warnings.len();
            if a.strict && count > 0 {
                return ExitCode::from(INVALID);
            }
            if let Err(d) = super::write_json(&imp.definition, a.out.as_deref()) {
                report(&d, lang);
                return ExitCode::from(INVALID);
            }
            if let Some(p) = &a.out {
                eprintln!(
                    "{}: {}",
                    p.display(),
                    match (lang, count) {
                        (Lang::Vi, 0) => "đã ghi bộ tiêu chí (không có cảnh báo)".to_owned(),
                        (Lang::Vi, n) => format!("đã ghi bộ tiêu chí ({n} cảnh báo)"),
                        (Lang::En, 0) => "index written (no warnings)".to_owned(),
                        (Lang::En, 1) => "index written (1 warning)".to_owned(),
                        (Lang::En, n) => format!("index written ({n} warnings)"),
                    }
                );
            }
            ExitCode::SUCCESS
        }
        Err(d) => {
            report(&d.in_file(&file), lang);
            ExitCode::from(INVALID)
        }
    }
}

/// Instructions written beside the template.
pub const INSTRUCTIONS: &[&str] = &[
    "Hướng dẫn soạn bảng tiêu chí cho chiso (chiso import bang.xlsx --out index.json)",
    "1. Mỗi tiêu chí một dòng. Cột STT: 1, 1.1, 1.1.4 (hoặc I, 1, a). Tiêu chí cha (lĩnh vực) có điểm tối đa bằng tổng các tiêu chí thành phần.",
    "2. Tên cột có thể viết có dấu hoặc không dấu, theo thứ tự bất kỳ: STT; Tiêu chí; Điểm tối đa; Cách chấm điểm; Tài liệu kiểm chứng; Quy tắc chấm; Ghi chú.",
    "3. Điểm viết 0,5 hoặc 0.5. Dòng trống được bỏ qua; dòng chỉ có chữ ở cột Cách chấm điểm được nối vào tiêu chí phía trên (ô gộp).",
    "4. Cách chấm điểm: ghi nguyên văn, ví dụ \"Hoàn thành 100% kế hoạch: 1 điểm; từ 80% đến dưới 100%: 0,5 điểm; dưới 80%: 0 điểm\"; chiso nhận dạng và báo những mốc chưa rõ.",
    "5. Quy tắc chấm (không bắt buộc, ưu tiên hơn lời văn): tiers: >=100%: 1; >=80%: 0,5; else: 0 | proportional | levels: Tốt=2,5; Đầy đủ=2; Chưa đầy đủ=1; Không=0 | yes_no | timeliness: Kịp thời=1; Không kịp thời=0,5; Không thực hiện=0 | deduct 0,25 per incident | discretionary step 0,25",
    "6. Điểm thưởng / điểm trừ: ghi ở cột Loại \"Điểm thưởng\" hoặc \"Điểm trừ\", cột Điểm tối đa là mức tối đa được cộng/trừ. Dòng \"Tổng cộng\" (không có STT) ghi tổng điểm tối đa.",
    "Instructions (English): one criterion per row; headers in any order, with or without diacritics; decimal commas accepted; the rule column syntax is documented in the README (Authoring criteria from a spreadsheet).",
];

fn example_rows() -> Vec<[&'static str; 6]> {
    vec![
        ["1", "Công tác chỉ đạo, điều hành CCHC", "", "", "", ""],
        [
            "1.1",
            "Ban hành kế hoạch CCHC năm",
            "1",
            "Ban hành kịp thời: 1 / Ban hành không kịp thời: 0,5 / Không ban hành: 0",
            "Kế hoạch CCHC năm",
            "",
        ],
        [
            "1.2",
            "Mức độ thực hiện kế hoạch CCHC",
            "1",
            "Hoàn thành 100% kế hoạch: 1 điểm; từ 80% đến dưới 100%: 0,5 điểm; dưới 80%: 0 điểm",
            "Báo cáo kết quả thực hiện",
            "",
        ],
        [
            "1.3",
            "Tỷ lệ văn bản được xử lý đúng hạn",
            "1",
            "Tỷ lệ % x điểm tối đa",
            "",
            "proportional",
        ],
    ]
}

/// Writes the blank template (.xlsx with an instructions sheet, or a .csv twin).
pub fn write_template(path: &Path) -> Result<(), Diagnostics> {
    let headers = [
        Field::Code,
        Field::Name,
        Field::Max,
        Field::Scoring,
        Field::Evidence,
        Field::Rule,
    ];
    if super::is_csv(path) {
        let mut w = csv::Writer::from_writer(Vec::new());
        let _ = w.write_record(headers.iter().map(|f| f.header()));
        for r in example_rows() {
            let _ = w.write_record(r);
        }
        let bytes = w.into_inner().unwrap_or_default();
        return crate::output::write_atomic(path, &bytes);
    }
    let err = xlsx_error(path);
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold().set_text_wrap();
    let wrap = Format::new().set_text_wrap();
    let ws = wb.add_worksheet();
    ws.set_name("Tiêu chí").map_err(&err)?;
    for (c, f) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, f.header(), &bold)
            .map_err(&err)?;
    }
    for (c, w) in [8.0, 45.0, 10.0, 60.0, 30.0, 30.0].iter().enumerate() {
        ws.set_column_width(c as u16, *w).map_err(&err)?;
    }
    for (r, row) in example_rows().iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if c == 2 && !v.is_empty() {
                ws.write_number(r as u32 + 1, 2, v.parse::<f64>().unwrap_or(0.0))
                    .map_err(&err)?;
            } else {
                ws.write_string_with_format(r as u32 + 1, c as u16, *v, &wrap)
                    .map_err(&err)?;
            }
        }
    }
    let ws = wb.add_worksheet();
    ws.set_name("Hướng dẫn").map_err(&err)?;
    ws.set_column_width(0, 140).map_err(&err)?;
    for (r, line) in INSTRUCTIONS.iter().enumerate() {
        ws.write_string_with_format(r as u32, 0, *line, &wrap)
            .map_err(&err)?;
    }
    super::save_workbook(&mut wb, path)
}
