//! `chiso records`: a dossier export (CSV, JSON lines, or .xlsx read here with calamine)
//! → QĐ 766 indicators per unit and period, scored with the index, the dossiers that
//! cost points, and explanations dossier by dossier.

use chiso::records::{
    self, analyse, batch_csv, details, By, CostModel, Details, Indicator, Mapping, Options, Period,
    Policies, RecordFormat, Report, Values,
};
use chiso::{Diagnostics, Index, Lang};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod publications;
mod table;

/// The default index: the six-group portal index, built into the binary so that
/// `chiso records` works from any directory.
const DEFAULT_INDEX_JSON: &str =
    include_str!("../../../criteria/service-766/qd766-portal-six-groups.json");
/// The default index's file name (in diagnostics and the table's header).
const DEFAULT_INDEX_NAME: &str = "criteria/service-766/qd766-portal-six-groups.json";

/// Output formats of `chiso records`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RecordsFormat {
    /// Readable tables (figures rounded to 2 places for display).
    Table,
    /// Everything, exact (`chiso.records/1`).
    Json,
    /// One row per unit and period: counts and `n/d` per indicator.
    Csv,
    /// A batch CSV for `chiso batch <index>` (`n/d` cells, empty = missing).
    Batch,
}

/// Kinds of input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RecordsInput {
    /// CSV with a header row (`,`, `;` or tab).
    Csv,
    /// One JSON object per line.
    Jsonl,
    /// The first sheet of an .xlsx/.xls/.ods workbook, header in the first row.
    Xlsx,
}

/// Arguments of `chiso records`.
#[derive(Debug, clap::Args)]
#[command(after_help = "
COLUMNS. The national sync field names (reference service-index-766.md §11.2), with or without \
diacritics, any case, any order: required MaHoSo, DonViXuLy, TrangThaiHoSo (1–10), NgayTiepNhan; \
optional MaTTHC, TenDonViXuLy, KenhThucHien (alias HinhThuc; 1 trực tiếp, 2 trực tuyến, 3 bưu chính; \
empty = 1), NgayNopHoSo, NgayHenTra, NgayKetThucXuLy, NgayTra, ThoiGianGiaiQuyet + DonViTinh, \
NgayYeuCauBoSung / NgayTiepNhanBoSung (';'-separated, same length), DongBoDVCQG, HoSoCoThanhPhanSoHoa, \
TaiSuDungDuLieuSoHoa, DuocLayTuKhoDMQG, TaiKhoanDuocXacThucVoiVNeID, SuDungDuLieuDanCu, \
DuongDanTepTinKetQua, KetQuaDaKySo, DuocThanhToanTrucTuyen (0/1/2), TongPhiLePhi, PhanAnhKhongHaiLong. \
Other national sync fields (ChuHoSo, Email, …) are ignored; any other column is an error. Times: \
yyyyMMddHHmmss, ISO 8601, dd/MM/yyyy [HH:mm[:ss]], Vietnam time. --mapping names other columns.\n\n\
INDICATORS. 1.4, 2.1, 3.3, 3.6, 4.1, 4.2, 4.3, 4.4, 4.5b, 5.4 as numerator/denominator per unit \
and period; one whose columns are absent is listed as not computable, never zero. A unit's \
figures include every unit whose code extends it after a dot (H21 ⊃ H21.17).\n\n\
POLICIES (--policies policies.json, e.g. {\"withdrawn\": \"excluded\"}): end_event \
processing_end|result_returned, comparison timestamp|calendar_date, withdrawn \
judged_by_end|on_time|excluded, supplements pause_clock|waiting_on_time, repeated_supplements \
overdue|pause_each, missing_due maximum_time|on_time, open_at_end \
not_overdue_at_end|due_date_on_or_after_last_day, finished end_status|end_time_given, \
finished_after_period open_at_period_end|actual_end, calendar_days_skip_holidays, \
electronic_result file_attached|file_attached_and_signed. Defaults: the formula document.\n\n\
SCORES. The indicators are scored with --index (default the six-group portal index \
criteria/service-766/qd766-portal-six-groups.json, built into chiso, so any working directory \
will do; the table's first line names the index, its id and version); the \
indicators records cannot give stay missing unless --values gives them (CSV: unit or *, then \
leaf codes, batch cell syntax), so the table says \"x of M points assessable from records\".\n\n\
PUBLICATIONS (--publications pubs.csv|.jsonl). One row per provincial decision: SoQuyetDinhBo, \
NgayQuyetDinhBo, SoQuyetDinhTinh, NgayQuyetDinhTinh (empty = not issued), LoaiQuyetDinh (danh mục | \
quy trình nội bộ), optional NgayHieuLuc, NgayCongKhai, MaTTHC (';'-separated). Each decision is \
judged on time or late by N working days (list 5, internal procedure 10, from the ministry's \
decision; not issued ones as of --as-of, else the period's last day). The portal's 1.1 and 1.2 \
per period become values of the province (the root unit of the dossiers) and, inherited, of \
every unit below it; a period where nothing was counted feeds nothing; a --values cell for a \
fed indicator of those units is an error.\n\n\
ERRORS. Every bad row is named (row, column, MaHoSo), all at once; nothing is written; exit 1.\n\
EXIT CODES: 0 ok, 1 invalid input or a failed write, 2 usage.")]
pub struct RecordsArgs {
    /// Dossier file: .csv, .jsonl or .xlsx.
    pub dossiers: PathBuf,
    /// Period: 2026, 2026-Q3, 2026-05 or 2026-01..2026-09.
    #[arg(long)]
    pub period: String,
    /// Cut the period by month, quarter, year or whole.
    #[arg(long, default_value = "whole")]
    pub by: String,
    /// Units shown: all, leaves, or a depth (1 = codes without a dot).
    #[arg(long, default_value = "all")]
    pub unit_level: String,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: RecordsFormat,
    /// Input kind (default: from the extension).
    #[arg(long, value_enum)]
    pub input: Option<RecordsInput>,
    /// Mapping file (chiso.records-mapping/1) for other column names and codes.
    #[arg(long)]
    pub mapping: Option<PathBuf>,
    /// Policies (JSON); unnamed policies keep the formula document's default.
    #[arg(long)]
    pub policies: Option<PathBuf>,
    /// Evaluate open dossiers as of the end of this day (YYYY-MM-DD) when the period has not ended.
    #[arg(long)]
    pub as_of: Option<String>,
    /// Index to score with (default: the six-group portal index built into chiso,
    /// criteria/service-766/qd766-portal-six-groups.json).
    #[arg(long)]
    pub index: Option<PathBuf>,
    /// Values of the indicators records cannot give (CSV: unit, leaf codes).
    #[arg(long)]
    pub values: Option<PathBuf>,
    /// Explain one dossier (repeatable).
    #[arg(long)]
    pub explain: Vec<String>,
    /// List the dossiers that cost points, N per unit and period (default 10).
    #[arg(long, num_args = 0..=1, default_missing_value = "10")]
    pub costs: Option<usize>,
    /// Write to this file (atomically) instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Publication decisions (CSV or JSON lines: ministry and provincial decisions, kind,
    /// optional NgayHieuLuc, NgayCongKhai, MaTTHC): each judged on time or late by N working
    /// days (list 5, internal procedure 10), and the portal's 1.1 and 1.2 fed to the
    /// province (the root unit) and inherited by every unit below it.
    #[arg(long)]
    pub publications: Option<PathBuf>,
}

fn usage(msg: &str) -> ExitCode {
    eprintln!("chiso records: {msg}");
    ExitCode::from(2)
}

fn invalid(d: &Diagnostics, lang: Lang) -> ExitCode {
    crate::commands::report(d, lang);
    ExitCode::from(1)
}

fn name_of(p: &Path) -> String {
    p.file_name().map_or_else(
        || p.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

fn io_error(p: &Path, e: impl ToString) -> Diagnostics {
    crate::spreadsheet::io_error(p, e)
}

/// The first visible sheet of a workbook as CSV text (dates as `yyyy-MM-dd HH:mm:ss`),
/// read through the CLI's bounded workbook reader (`crate::spreadsheet::workbook`).
fn workbook_csv(path: &Path) -> Result<String, Diagnostics> {
    use calamine::Data;
    let text = |d: &Data| match d {
        Data::DateTime(t) => {
            let (y, mo, da, h, mi, s, _) = t.to_ymd_hms_milli();
            format!("{y:04}-{mo:02}-{da:02} {h:02}:{mi:02}:{s:02}")
        }
        other => crate::spreadsheet::cell_text(other),
    };
    let table = crate::spreadsheet::sheet_table(path, None, &text, false)?;
    let mut w = csv::Writer::from_writer(Vec::new());
    for row in &table.rows {
        w.write_record(row).map_err(|e| io_error(path, e))?;
    }
    let bytes = w.into_inner().map_err(|e| io_error(path, e))?;
    String::from_utf8(bytes).map_err(|e| io_error(path, e))
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, Diagnostics> {
    let text = chiso::load::read_file(path)?;
    chiso::load::check_json(&text).map_err(|d| d.in_file(&name_of(path)))?;
    serde_json::from_str(&text).map_err(|e| {
        Diagnostics(vec![chiso::Diagnostic::error(
            "$",
            None,
            chiso::Problem::Structure {
                detail: e.to_string(),
            },
        )
        .in_file(name_of(path))])
    })
}

/// Units to show, in tree order.
fn shown_units(report: &Report, level: &str, lang: Lang) -> Result<Vec<u32>, String> {
    let all = report.units.tree_order();
    Ok(match level {
        "all" => all,
        "leaves" => all
            .into_iter()
            .filter(|u| report.units.get(*u).children == 0)
            .collect(),
        n => {
            let depth: u8 = n.parse().map_err(|_| {
                let n = chiso::text::excerpt(n);
                match lang {
                    Lang::Vi => {
                        format!("--unit-level \"{n}\": dùng all, leaves hoặc một cấp (1, 2, …)")
                    }
                    Lang::En => {
                        format!("--unit-level \"{n}\": use all, leaves or a depth (1, 2, …)")
                    }
                }
            })?;
            all.into_iter()
                .filter(|u| report.units.get(*u).depth == depth)
                .collect()
        }
    })
}

/// Runs `chiso records`.
pub fn run(a: &RecordsArgs, lang: Lang) -> ExitCode {
    let period: Period = match a.period.parse::<Period>() {
        Ok(p) => p,
        Err(e) => {
            let text = chiso::text::excerpt(&e.0);
            return usage(&match lang {
                Lang::Vi => format!(
                    "không đọc được kỳ \"{text}\"; viết 2026, 2026-Q3, 2026-05 hoặc 2026-01..2026-09"
                ),
                Lang::En => format!(
                    "cannot read the period \"{text}\"; write 2026, 2026-Q3, 2026-05 or 2026-01..2026-09"
                ),
            });
        }
    };
    let by: By = match a.by.parse() {
        Ok(b) => b,
        Err(_) => {
            let text = chiso::text::excerpt(&a.by);
            return usage(&match lang {
                Lang::Vi => {
                    format!("không hiểu --by \"{text}\" (dùng month, quarter, year hoặc whole)")
                }
                Lang::En => {
                    format!("unknown --by \"{text}\" (use month, quarter, year or whole)")
                }
            });
        }
    };
    let as_of_time = match &a.as_of {
        None => None,
        Some(s) => match chiso::calendar::parse_local_time(s) {
            Ok(t) => Some(t),
            Err(e) => return usage(&e.message(lang)),
        },
    };
    let as_of = as_of_time.and_then(|t| {
        if t.has_time {
            Some(t.at)
        } else {
            t.date()
                .succ_opt()
                .map(|d| d.and_time(chiso::calendar::NaiveTime::MIN))
        }
    });
    let policies: Policies = match &a.policies {
        None => Policies::default(),
        Some(p) => match read_json(p) {
            Ok(x) => x,
            Err(d) => return invalid(&d, lang),
        },
    };
    let mapping: Option<Mapping> = match &a.mapping {
        None => None,
        Some(p) => match read_json(p) {
            Ok(x) => Some(x),
            Err(d) => return invalid(&d, lang),
        },
    };
    let index = match &a.index {
        Some(p) => match crate::commands::index_or_exit(p, lang) {
            Ok(i) => i,
            Err(code) => return code,
        },
        None => match Index::from_json(DEFAULT_INDEX_JSON) {
            Ok(i) => {
                crate::commands::report(&i.warnings().clone().in_file(DEFAULT_INDEX_NAME), lang);
                i
            }
            Err(d) => return invalid(&d.in_file(DEFAULT_INDEX_NAME), lang),
        },
    };
    let kind = a.input.unwrap_or_else(|| {
        match a
            .dossiers
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("xlsx" | "xls" | "xlsm" | "ods") => RecordsInput::Xlsx,
            _ => match RecordFormat::from_path(&a.dossiers) {
                RecordFormat::JsonLines => RecordsInput::Jsonl,
                RecordFormat::Csv => RecordsInput::Csv,
            },
        }
    });
    let mut opts = Options::new(
        if kind == RecordsInput::Jsonl {
            RecordFormat::JsonLines
        } else {
            RecordFormat::Csv
        },
        name_of(&a.dossiers),
        period,
    );
    opts.by = by;
    opts.policies = policies;
    opts.mapping = mapping;
    opts.as_of = as_of;
    // A workbook is converted once to CSV text; files are reopened for each read.
    let sheet = match kind {
        RecordsInput::Xlsx => match workbook_csv(&a.dossiers) {
            Ok(t) => Some(t),
            Err(d) => return invalid(&d, lang),
        },
        _ => None,
    };
    let path = a.dossiers.clone();
    let mut open = || -> std::io::Result<Box<dyn std::io::Read + '_>> {
        match &sheet {
            Some(t) => Ok(Box::new(t.as_bytes())),
            None => Ok(Box::new(std::fs::File::open(&path)?)),
        }
    };
    // Publication decisions are judged at the --as-of date, else at the period's last
    // day (as open dossiers are judged at the period's end).
    let pub_options = records::publications::Options {
        as_of: as_of_time
            .map(|t| t.date())
            .or_else(|| period.buckets(By::Whole).last().map(|b| b.last_day)),
        ..Default::default()
    };
    let judged = a.publications.as_deref().map(|p| {
        records::publications::check_file(
            p,
            &pub_options,
            chiso::calendar::WorkingCalendar::vietnam(),
        )
    });
    // Every problem of both files at once.
    let (report, judged) = match (analyse(&mut open, &opts), judged.transpose()) {
        (Ok(r), Ok(j)) => (r, j),
        (Err(mut d), Err(p)) => {
            d.0.extend(p.0);
            return invalid(&d, lang);
        }
        (Err(d), Ok(_)) | (Ok(_), Err(d)) => return invalid(&d, lang),
    };
    let model = match CostModel::from_index(&index) {
        Ok(m) => m,
        Err(d) => return invalid(&d, lang),
    };
    let computed: Vec<Indicator> = Indicator::ALL
        .into_iter()
        .filter(|i| report.computable(*i))
        .collect();
    let mut values = match &a.values {
        None => None,
        Some(p) => match chiso::load::read_file(p)
            .and_then(|t| Values::from_csv(&t, &name_of(p), &index, &computed))
        {
            Ok(v) => Some(v),
            Err(d) => return invalid(&d, lang),
        },
    };
    if let (Some(judged), Some(p)) = (judged, &a.publications) {
        let fed = records::publications::feed(&report, judged, &name_of(p), &pub_options)
            .and_then(|f| values.take().unwrap_or_default().with_publications(f));
        match fed {
            Ok(v) => values = Some(v),
            Err(d) => return invalid(&d, lang),
        }
    }
    let units = match shown_units(&report, &a.unit_level, lang) {
        Ok(u) => u,
        Err(e) => return usage(&e),
    };
    let det = if a.costs.is_some() || !a.explain.is_empty() {
        match details(&mut open, &report, &model, a.costs, &a.explain) {
            Ok(d) => d,
            Err(d) => return invalid(&d, lang),
        }
    } else {
        Details::default()
    };
    let missing: Vec<&String> = a
        .explain
        .iter()
        .filter(|m| !det.explanations.iter().any(|e| &e.ma_ho_so == *m))
        .collect();
    if !missing.is_empty() {
        let d = missing
            .into_iter()
            .map(|m| chiso::records::error::unknown_dossier(m).in_file(opts.source.as_str()))
            .collect();
        return invalid(&Diagnostics(d), lang);
    }
    let text = match render(
        a,
        &report,
        &index,
        values.as_ref(),
        &units,
        &det,
        &model,
        lang,
    ) {
        Ok(t) => t,
        Err(d) => return invalid(&d, lang),
    };
    write_out(a.out.as_deref(), &text, lang)
}

/// Writes `text` to `out` atomically (a failed write leaves the old file and no partial
/// file), or to standard output.
fn write_out(out: Option<&Path>, text: &str, lang: Lang) -> ExitCode {
    let written = match out {
        Some(path) => crate::output::write_atomic(path, text.as_bytes()),
        None => crate::commands::out(text),
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(d) => crate::output::failed(&d, lang),
    }
}

#[allow(clippy::too_many_arguments)]
fn render(
    a: &RecordsArgs,
    report: &Report,
    index: &Index,
    values: Option<&Values>,
    units: &[u32],
    det: &Details,
    model: &CostModel,
    lang: Lang,
) -> Result<String, Diagnostics> {
    if !a.explain.is_empty() && a.format == RecordsFormat::Table {
        let texts: Vec<String> = det.explanations.iter().map(|e| e.text(lang)).collect();
        return Ok(format!("{}\n", texts.join("\n\n")));
    }
    match a.format {
        RecordsFormat::Batch => Ok(batch_csv(report, index, values, units)),
        RecordsFormat::Csv => Ok(counts_csv(report, units)),
        RecordsFormat::Json => {
            Ok(records::document(report, index, values, units, Some(det), model)?.to_json())
        }
        RecordsFormat::Table => Ok(format!(
            "{}\n{}",
            index_heading(index, a.index.as_deref(), lang),
            table::table(report, index, values, units, det, lang)?
        )),
    }
}

/// The table's first line: which index scored the indicators.
fn index_heading(index: &Index, file: Option<&Path>, lang: Lang) -> String {
    let def = index.definition();
    let from = match (file, lang) {
        (None, Lang::Vi) => "có sẵn trong chiso (--index để dùng tệp khác)".to_owned(),
        (None, Lang::En) => "built into chiso (--index for another file)".to_owned(),
        (Some(p), Lang::Vi) => format!("tệp {}", p.display()),
        (Some(p), Lang::En) => format!("file {}", p.display()),
    };
    match lang {
        Lang::Vi => format!(
            "Bộ chỉ số: {} (\"{}\", phiên bản {}) — {from}",
            def.title.get(lang),
            def.id,
            def.version
        ),
        Lang::En => format!(
            "Index: {} (\"{}\", version {}) — {from}",
            def.title.get(lang),
            def.id,
            def.version
        ),
    }
}

/// One row per unit and period.
fn counts_csv(report: &Report, units: &[u32]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = [
        "unit",
        "name",
        "depth",
        "parent",
        "period",
        "received",
        "early",
        "on_time",
        "late",
        "open_not_due",
        "open_overdue",
        "withdrawn_apart",
    ]
    .map(str::to_owned)
    .to_vec();
    header.extend(Indicator::ALL.iter().map(|i| i.code().to_owned()));
    let _ = w.write_record(&header);
    for (b, bucket) in report.buckets.iter().enumerate() {
        for &u in units {
            let n = report.units.get(u);
            let c = report.counts(u, b);
            let parent = n
                .parent
                .map(|p| report.units.get(p).code.clone())
                .unwrap_or_default();
            let mut row = vec![
                n.code.clone(),
                n.name.clone(),
                n.depth.to_string(),
                parent,
                bucket.label.clone(),
            ];
            row.extend(
                [
                    c.received,
                    c.early,
                    c.on_time,
                    c.late,
                    c.open_not_due,
                    c.open_overdue,
                    c.withdrawn_apart,
                ]
                .map(|x| x.to_string()),
            );
            row.extend(Indicator::ALL.iter().map(|i| {
                report
                    .fraction(u, b, *i)
                    .map(|(n, d)| format!("{n}/{d}"))
                    .unwrap_or_default()
            }));
            let _ = w.write_record(&row);
        }
    }
    w.into_inner()
        .map(|v| String::from_utf8_lossy(&v).into_owned())
        .unwrap_or_default()
}
