//! SIPAS from answer sheets (`chiso::survey`) for JavaScript: a survey definition and an
//! answer sheet's text in, the `chiso.survey-result/1` document out — what
//! `chiso survey <definition> <answers> --format json` writes with the same options.
//!
//! Options are one JSON object, named like the CLI's flags:
//!
//! ```json
//! { "format": "csv", "source": "answers.csv", "by": null, "bootstrap": 1000,
//!   "seed": 1, "level": "0.95", "margin": "0.05", "max_errors": 100 }
//! ```
//!
//! All are optional: `format` defaults from `source`'s extension (`.jsonl`, `.ndjson`,
//! `.json` → JSON lines, else CSV). The bootstrap runs on one thread; its intervals
//! depend only on the seed, so they equal the CLI's on any number of threads.

// An error is built once per failed call and handed to JavaScript (as in `api`).
#![allow(clippy::result_large_err)]

use crate::api::{parse_json, to_json, usage, ApiError, ApiResult, DiagnosticView};
use chiso::survey::sample_size::add_sample_sizes;
use chiso::survey::{
    bootstrap, estimate, read_csv, read_json_lines, BootstrapOptions, ReadOptions, Survey,
    SurveyError,
};
use chiso::{Decimal, Lang};
use serde::Deserialize;

/// The options of a survey run (see the module documentation).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyOptions {
    /// `csv` or `jsonl` (default: from `source`'s extension, else CSV).
    #[serde(default)]
    pub format: Option<String>,
    /// The sheet's name in messages (default `answers.csv`).
    #[serde(default)]
    pub source: Option<String>,
    /// Column naming the units (default: the definition's `columns.unit`).
    #[serde(default)]
    pub by: Option<String>,
    /// Bootstrap replications for intervals of every unit's index and rank.
    #[serde(default)]
    pub bootstrap: Option<u32>,
    /// Seed of the bootstrap draws (default 0).
    #[serde(default)]
    pub seed: Option<u64>,
    /// Confidence level of the intervals and of the sample size (default 0.95).
    #[serde(default)]
    pub level: Option<Decimal>,
    /// Margin of error as a proportion (0.05 = ±5 points): respondents needed per unit.
    #[serde(default)]
    pub margin: Option<Decimal>,
    /// Most errors listed (default 100; all are counted).
    #[serde(default)]
    pub max_errors: Option<usize>,
}

fn is_json_lines(source: &str) -> bool {
    let ext = std::path::Path::new(source)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    matches!(ext.as_str(), "jsonl" | "ndjson" | "json")
}

/// A survey error for JavaScript: each bad row of a sheet is one diagnostic whose
/// messages are the CLI's lines (`answers.csv row 17, column q9_sat_3 (respondent R017):
/// …`), located by row, column and respondent id.
fn survey_error(e: SurveyError) -> ApiError {
    match e {
        SurveyError::Definition(d) => d.into(),
        SurveyError::Option(p) => usage(
            "$options",
            format!("lỗi tùy chọn: {} [{}]", p.message(Lang::Vi), p.code()),
            format!("invalid option: {} [{}]", p.message(Lang::En), p.code()),
        ),
        SurveyError::Input {
            source,
            errors,
            total,
        } => {
            let mut views: Vec<DiagnosticView> = errors
                .iter()
                .map(|r| {
                    let d = r.to_diagnostic(&source);
                    DiagnosticView {
                        severity: "error",
                        code: r.problem.code().to_owned(),
                        path: d.path,
                        criterion: None,
                        file: Some(source.clone()),
                        vi: r.render(&source, Lang::Vi),
                        en: r.render(&source, Lang::En),
                        row: (r.row > 0).then_some(r.row),
                        column: r.column.clone(),
                        record: r.respondent.clone(),
                        unlocated: false,
                    }
                })
                .collect();
            if total > errors.len() {
                let more = total - errors.len();
                views.push(DiagnosticView {
                    severity: "error",
                    code: "survey_more_errors".into(),
                    path: "$".into(),
                    criterion: None,
                    file: Some(source.clone()),
                    vi: format!("… và {more} lỗi khác ({total} lỗi tất cả)"),
                    en: format!("… and {more} more errors ({total} in all)"),
                    row: None,
                    column: None,
                    record: None,
                    unlocated: false,
                });
            }
            let first = views.first().cloned().unwrap_or(DiagnosticView {
                severity: "error",
                code: "invalid".into(),
                path: "$".into(),
                criterion: None,
                file: Some(source),
                vi: "dữ liệu không hợp lệ".into(),
                en: "invalid input".into(),
                row: None,
                column: None,
                record: None,
                unlocated: false,
            });
            ApiError {
                code: first.code,
                path: first.path,
                criterion: None,
                message_vi: first.vi,
                message_en: first.en,
                diagnostics: views,
                unlocated: false,
            }
        }
    }
}

/// `chiso survey <definition> <answers> --format json`: the satisfaction rate and mean
/// score of every item, block, component and of the index, per unit and for all units
/// (`chiso.survey-result/1`, JSON text), with bootstrap intervals and sample sizes when
/// asked for. Every bad row of the sheet is reported at once.
pub fn survey(definition: &str, answers: &str, options: &str) -> ApiResult<String> {
    let o: SurveyOptions = if options.trim().is_empty() {
        SurveyOptions::default()
    } else {
        parse_json(options, "$options")?
    };
    let survey =
        Survey::from_json(definition).map_err(|d| ApiError::from(d.in_file("definition")))?;
    let source = o.source.clone().unwrap_or_else(|| "answers.csv".into());
    let jsonl = match o.format.as_deref() {
        None => is_json_lines(&source),
        Some("csv") => false,
        Some("jsonl") => true,
        Some(f) => {
            return Err(usage(
                "$options.format",
                format!("định dạng \"{f}\" không hợp lệ; dùng csv hoặc jsonl"),
                format!("unknown format \"{f}\"; use csv or jsonl"),
            ))
        }
    };
    let read = ReadOptions {
        source,
        max_errors: o
            .max_errors
            .unwrap_or(chiso::survey::DEFAULT_MAX_ERRORS)
            .max(1),
        unit_column: o.by.clone(),
    };
    let sheet = if jsonl {
        read_json_lines(&survey, answers.as_bytes(), &read)
    } else {
        read_csv(&survey, answers.as_bytes(), &read)
    }
    .map_err(survey_error)?;
    let mut result = estimate(&survey, &sheet).map_err(survey_error)?;
    let level = o.level.unwrap_or(Decimal::new(95, 2));
    if let Some(replications) = o.bootstrap {
        let opts = BootstrapOptions {
            replications,
            seed: o.seed.unwrap_or(0),
            level,
            threads: 1,
        };
        bootstrap(&survey, &sheet, &mut result, &opts).map_err(survey_error)?;
    }
    if let Some(margin) = o.margin {
        add_sample_sizes(&sheet, &mut result, margin, level).map_err(survey_error)?;
    }
    Ok(to_json(&result))
}
