//! `chiso survey`: SIPAS from answer sheets — the satisfaction rate and mean score of
//! every item, block, component and of the index, per unit and for all units, with
//! bootstrap intervals and the sample size needed for a margin.

use crate::report::{align_right, new_table, num2, rounding_note};
use chiso::survey::sample_size::add_sample_sizes;
use chiso::survey::{
    bootstrap, estimate, read_csv, read_json_lines, read_rows, Answers, BootstrapOptions, Level,
    ReadOptions, Survey, SurveyError, SurveyResult, UnitResult,
};
use chiso::{Decimal, Lang};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Output formats of `chiso survey`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SurveyFormat {
    /// One line per unit: index, components, rank, intervals (rounded for reading).
    Table,
    /// One row per unit and node, exact decimals.
    Csv,
    /// The whole result (`chiso.survey-result/1`), exact decimals as strings.
    Json,
}

/// Arguments of `chiso survey`.
#[derive(Debug, clap::Args)]
#[command(after_help = "
DEFINITION. A chiso.survey/1 file (schema: `chiso schema survey`), e.g. \
criteria/sipas/sipas-1001-2023-q9.survey.json: the items (Q-codes) in blocks and components, the \
answer scale and which values count as satisfied, the no-answer / out-of-range / empty-item \
policies and the aggregation (declared: the official SIPAS formula is not published).\n\n\
ANSWERS. One row per respondent: respondent id and unit (required), optional stratum and sampling \
weight, one column per item code. CSV (header row), JSON lines (.jsonl: one object per line) or a \
spreadsheet (.xlsx, .xlsm or .ods: the first sheet, or --sheet; header in the first row; .xls and .xlsb are refused, save them as .xlsx). Other columns are \
ignored. Every bad row is reported (row, column, respondent id; the first --max-errors listed, all \
counted) and nothing is written.\n\n\
OUTPUT. table: one line per unit and one for all units, rounded to 2 decimals for reading; csv: one \
row per unit and node (unit, code, level, satisfaction_rate, mean_score, answers, no_answers, \
respondents, rank, ci_low, ci_high, rank_best, rank_worst, required_n), exact decimals; json: \
everything (chiso.survey-result/1). --out writes to a file (through a temporary file, renamed when \
complete).\n\n\
UNCERTAINTY. --bootstrap N resamples respondents within each unit (and stratum) N times: percentile \
intervals of every unit's index and rank at --level; the same --seed gives the same intervals \
whatever --threads is. --margin 0.05 adds the respondents needed for ±5 points at --level (0.90, \
0.95 or 0.99), p = 0.5, times the design effect of the unit's weights.\n\n\
EXIT CODES: 0 ok, 1 invalid input or the output cannot be written, 2 usage.")]
pub struct SurveyArgs {
    /// Survey definition (chiso.survey/1 JSON).
    pub definition: PathBuf,
    /// Answer sheet: .csv, .jsonl (.ndjson, .json) or .xlsx (.xlsm, .ods; .xls and .xlsb refused).
    pub answers: PathBuf,
    /// Column naming the units (default: the definition's `columns.unit`).
    #[arg(long, value_name = "COLUMN")]
    pub by: Option<String>,
    /// Bootstrap replications for intervals of every unit's index and rank.
    #[arg(long, value_name = "N")]
    pub bootstrap: Option<u32>,
    /// Seed of the bootstrap draws.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Confidence level of the intervals and of the sample size.
    #[arg(long, default_value = "0.95")]
    pub level: Decimal,
    /// Bootstrap threads (default: every core; the result does not depend on it; more than
    /// the machine's cores is reduced to their number, with a warning).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Margin of error as a proportion (0.05 = ±5 points): respondents needed per unit.
    #[arg(long)]
    pub margin: Option<Decimal>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: SurveyFormat,
    /// Write to this file instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Sheet of a spreadsheet (default: the first).
    #[arg(long)]
    pub sheet: Option<String>,
    /// Most errors listed (all are counted).
    #[arg(long, default_value_t = 100)]
    pub max_errors: usize,
}

fn file_name(p: &Path) -> String {
    p.file_name().map_or_else(
        || p.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

fn extension(p: &Path) -> String {
    p.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default()
}

fn read_answers(survey: &Survey, args: &SurveyArgs, lang: Lang) -> Result<Answers, ExitCode> {
    let opts = ReadOptions {
        source: file_name(&args.answers),
        max_errors: args.max_errors.max(1),
        unit_column: args.by.clone(),
    };
    // The operating system's reason in plain words of `lang` (Problem::Io), whole file.
    let cannot_read = |e: &dyn std::fmt::Display| {
        let d = chiso::Diagnostic::error_at(
            chiso::diagnostics::Location::File,
            None,
            chiso::Problem::Io {
                detail: e.to_string(),
            },
        )
        .in_file(args.answers.display().to_string());
        eprintln!("{}", d.message(lang));
        ExitCode::from(1)
    };
    let result = match extension(&args.answers).as_str() {
        "xlsx" | "xls" | "xlsm" | "xlsb" | "ods" => {
            let (header, rows) =
                spreadsheet(&args.answers, args.sheet.as_deref()).map_err(|d| {
                    crate::commands::report(&d, lang);
                    ExitCode::from(1)
                })?;
            read_rows(survey, &header, rows, &opts)
        }
        ext => {
            let file = std::fs::File::open(&args.answers).map_err(|e| cannot_read(&e))?;
            let reader = std::io::BufReader::with_capacity(1 << 20, file);
            if matches!(ext, "jsonl" | "ndjson" | "json") {
                read_json_lines(survey, reader, &opts)
            } else {
                read_csv(survey, reader, &opts)
            }
        }
    };
    result.map_err(|e| {
        eprintln!("{}", e.render(lang));
        ExitCode::from(1)
    })
}

/// Header and rows (with their sheet row numbers) of a spreadsheet's sheet.
type Rows = (Vec<String>, Vec<(u64, Vec<String>)>);

fn spreadsheet(path: &Path, sheet: Option<&str>) -> Result<Rows, chiso::Diagnostics> {
    // The CLI's bounded workbook reader; rows keep their sheet row numbers and start at
    // column A, so the blank cells before the first column are counted against its limit.
    let table = crate::spreadsheet::sheet_table(path, sheet, &crate::spreadsheet::cell_text, true)?;
    let first = u64::from(table.first_row);
    let mut rows = table
        .rows
        .into_iter()
        .enumerate()
        .map(|(i, cells)| (first + i as u64 + 1, cells));
    let header = rows.next().map(|(_, h)| h).unwrap_or_default();
    Ok((header, rows.collect()))
}

/// Runs the command.
pub fn run(args: &SurveyArgs, lang: Lang) -> ExitCode {
    match go(args, lang) {
        Ok(()) => ExitCode::SUCCESS,
        Err(c) => c,
    }
}

fn go(args: &SurveyArgs, lang: Lang) -> Result<(), ExitCode> {
    let survey = Survey::from_file(&args.definition).map_err(|d| {
        eprintln!("{}", d.render(lang));
        ExitCode::from(1)
    })?;
    let answers = read_answers(&survey, args, lang)?;
    let fail = |e: SurveyError| {
        eprintln!("{}", e.render(lang));
        ExitCode::from(1)
    };
    let mut result = estimate(&survey, &answers).map_err(fail)?;
    if let Some(replications) = args.bootstrap {
        let opts = BootstrapOptions {
            replications,
            seed: args.seed,
            level: args.level,
            threads: crate::commands::threads(
                args.threads,
                std::thread::available_parallelism().map_or(1, |n| n.get()),
                lang,
            ),
        };
        bootstrap(&survey, &answers, &mut result, &opts).map_err(fail)?;
    }
    if let Some(margin) = args.margin {
        add_sample_sizes(&answers, &mut result, margin, args.level).map_err(fail)?;
    }
    let text = match args.format {
        SurveyFormat::Json => {
            let mut s = serde_json::to_string_pretty(&result).unwrap_or_default();
            s.push('\n');
            s
        }
        SurveyFormat::Csv => csv(&result).map_err(|e| {
            eprintln!("chiso survey: {e}");
            ExitCode::from(1)
        })?,
        SurveyFormat::Table => table(&survey, &result, lang),
    };
    write(args.out.as_deref(), &text, lang)
}

/// Writes `text` to `out` atomically (a failed write leaves the old file and no partial
/// file), or to standard output.
fn write(out: Option<&Path>, text: &str, lang: Lang) -> Result<(), ExitCode> {
    let written = match out {
        Some(path) => crate::output::write_atomic(path, text.as_bytes()),
        None => crate::commands::out(text),
    };
    written.map_err(|d| crate::output::failed(&d, lang))
}

fn opt(d: Option<Decimal>) -> String {
    d.map(|d| d.normalize().to_string()).unwrap_or_default()
}

fn csv(result: &SurveyResult) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "unit",
        "code",
        "level",
        "satisfaction_rate",
        "mean_score",
        "answers",
        "no_answers",
        "respondents",
        "rank",
        "ci_low",
        "ci_high",
        "rank_best",
        "rank_worst",
        "required_n",
    ])?;
    for u in result.units.iter().chain([&result.all]) {
        for n in &u.nodes {
            let total = n.level == Level::Index;
            let on_total = |s: String| if total { s } else { String::new() };
            let ci = u.interval.as_ref().filter(|_| total);
            w.write_record([
                u.unit.clone(),
                n.code.clone(),
                serde_json::to_value(n.level)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default(),
                opt(n.satisfaction_rate),
                opt(n.mean_score),
                n.answers.to_string(),
                n.no_answers.to_string(),
                on_total(u.respondents.to_string()),
                on_total(u.rank.map(|r| r.to_string()).unwrap_or_default()),
                opt(ci.map(|c| c.low)),
                opt(ci.map(|c| c.high)),
                ci.map(|c| c.rank_best.to_string()).unwrap_or_default(),
                ci.map(|c| c.rank_worst.to_string()).unwrap_or_default(),
                on_total(
                    u.sample_size
                        .as_ref()
                        .map(|s| s.required.to_string())
                        .unwrap_or_default(),
                ),
            ])?;
        }
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn table(survey: &Survey, result: &SurveyResult, lang: Lang) -> String {
    let vi = lang == Lang::Vi;
    let components: Vec<(String, String)> = survey
        .definition()
        .components
        .iter()
        .map(|c| (c.code.clone(), c.title.get(lang).to_owned()))
        .collect();
    let mut header: Vec<String> = vec![
        (lang.pick("Đơn vị", "Unit")).into(),
        (lang.pick("Số phiếu", "Respondents")).into(),
        (lang.pick("Chỉ số (%)", "Index (%)")).into(),
        (lang.pick("Điểm TB", "Mean score")).into(),
    ];
    header.extend(components.iter().map(|(c, _)| format!("{c} (%)")));
    header.push((lang.pick("Hạng", "Rank")).into());
    let level = result
        .bootstrap
        .as_ref()
        .map(|b| chiso::display::plain(b.level * Decimal::ONE_HUNDRED, lang));
    if let Some(l) = &level {
        header.push(if vi {
            format!("Khoảng tin cậy {l}%")
        } else {
            format!("{l}% interval")
        });
        header.push(
            (if vi {
                "Khoảng hạng"
            } else {
                "Rank interval"
            })
            .into(),
        );
    }
    let margin = result.units.iter().any(|u| u.sample_size.is_some());
    if margin {
        header.push((lang.pick("Cỡ mẫu cần", "Needed n")).into());
    }
    let mut t = new_table(header.clone());
    let row = |u: &UnitResult| {
        let name = if u.unit == chiso::survey::estimate::ALL_UNITS {
            (if vi {
                "Tất cả đơn vị"
            } else {
                "All units"
            })
            .to_owned()
        } else {
            u.unit.clone()
        };
        let mut r = vec![
            name,
            u.respondents.to_string(),
            num2(u.index, lang),
            num2(u.mean_score, lang),
        ];
        r.extend(
            components
                .iter()
                .map(|(c, _)| num2(u.node(c).and_then(|n| n.satisfaction_rate), lang)),
        );
        r.push(u.rank.map_or_else(|| "—".into(), |k| k.to_string()));
        if level.is_some() {
            match &u.interval {
                Some(ci) => {
                    let mark = if ci.widened { "*" } else { "" };
                    r.push(format!(
                        "{} – {}{mark}",
                        num2(Some(ci.low), lang),
                        num2(Some(ci.high), lang)
                    ));
                    r.push(format!("{} – {}", ci.rank_best, ci.rank_worst));
                }
                None => r.extend(["—".to_owned(), "—".to_owned()]),
            }
        }
        if margin {
            r.push(match &u.sample_size {
                Some(s) if s.sufficient => format!("{} ✓", s.required),
                Some(s) => format!("{} ✗", s.required),
                None => "—".into(),
            });
        }
        r
    };
    for u in &result.units {
        t.add_row(row(u));
    }
    t.add_row(row(&result.all));
    align_right(&mut t, 1..=header.len() - 1);

    let mut out = format!(
        "{} — {}\n",
        survey.definition().title.get(lang),
        survey.definition().version
    );
    out.push_str(&t.to_string());
    out.push('\n');
    for (c, title) in &components {
        out.push_str(&format!("{c}: {title}\n"));
    }
    for n in &result.notes {
        out.push_str(n.get(lang));
        out.push('\n');
    }
    if let Some(b) = &result.bootstrap {
        out.push_str(&match lang {
            Lang::Vi => format!(
                "Bootstrap: {} lần lặp, hạt giống {}; * = khoảng được mở rộng tới giá trị ước lượng. {}\n",
                b.replications,
                b.seed,
                b.method.get(lang)
            ),
            Lang::En => format!(
                "Bootstrap: {}, seed {}; * = interval widened to the estimate. {}\n",
                crate::report::count_en(u64::from(b.replications), "replication", "replications"),
                b.seed,
                b.method.get(lang)
            ),
        });
    }
    if margin {
        if let Some(s) = result.units.iter().find_map(|u| u.sample_size.as_ref()) {
            out.push_str(&match lang {
                Lang::Vi => format!(
                    "Cỡ mẫu cần cho sai số ±{} điểm phần trăm, độ tin cậy {}% (z = {}, p = 0,5, nhân hệ số thiết kế của trọng số); ✓ đủ, ✗ chưa đủ.\n",
                    chiso::display::plain(s.margin * Decimal::ONE_HUNDRED, lang),
                    chiso::display::plain(s.level * Decimal::ONE_HUNDRED, lang),
                    chiso::display::plain(s.z, lang)
                ),
                Lang::En => format!(
                    "Respondents needed for a margin of ±{} percentage points at {}% (z = {}, p = 0.5, times the design effect of the weights); ✓ enough, ✗ not enough.\n",
                    chiso::display::plain(s.margin * Decimal::ONE_HUNDRED, lang),
                    chiso::display::plain(s.level * Decimal::ONE_HUNDRED, lang),
                    chiso::display::plain(s.z, lang)
                ),
            });
        }
    }
    if result.recoded_out_of_range > 0 {
        out.push_str(&match lang {
            Lang::Vi => format!(
                "{} câu trả lời ngoài thang đo được coi là không trả lời.\n",
                result.recoded_out_of_range
            ),
            Lang::En => format!(
                "{} off-scale answers were treated as no-answers.\n",
                result.recoded_out_of_range
            ),
        });
    }
    out.push_str(rounding_note(lang));
    out.push('\n');
    out
}
