//! Dossier records (`chiso::records`) for JavaScript: a DVC export's text in, QĐ 766
//! indicators per unit and period, their scores, the dossiers that cost points and
//! explanations dossier by dossier out, as the `chiso.records/1` document that
//! `chiso records --format json` writes (same options, the same library
//! [`document`](fn@chiso::records::document)).
//!
//! Options are one JSON object, named like the CLI's flags:
//!
//! ```json
//! { "period": "2026-02..2026-05", "format": "csv", "source": "dossiers.csv",
//!   "by": "whole", "unit_level": "all", "policies": {"withdrawn": "excluded"},
//!   "mapping": null, "as_of": "2026-05-20", "index": null, "values": null,
//!   "costs": 10, "explain": ["Z99.202-2026-0003"], "explain_costs": false }
//! ```
//!
//! `period` is required; `format` defaults from `source`'s extension (`.jsonl`,
//! `.ndjson`, `.json` → JSON lines, else CSV); `index` is an index document (object or
//! JSON text), by default the shipped six-group portal index; `values` is the text of a
//! values CSV (`--values`); `explain_costs` explains every dossier of the cost lists, as
//! if each were named with `--explain`.

// An error is built once per failed call and handed to JavaScript (as in `api`).
#![allow(clippy::result_large_err)]

use crate::api::{parse_json, to_json, usage, ApiError, ApiResult};
use chiso::diagnostics::{Diagnostic, Diagnostics};
use chiso::records::{
    self, analyse, details, document, By, CostModel, Details, Explanation, Indicator, Mapping,
    Options, Period, Policies, RecordFormat, Report, Values,
};
use chiso::{Decimal, Index, Lang};
use serde::Deserialize;
use serde_json::Value as Json;

// The shipped six-group portal index (criteria/service-766/qd766-portal-six-groups.json),
// minified by build.rs: the default index of a records run.
include!(concat!(env!("OUT_DIR"), "/default_index.rs"));

/// The options of a records run (see the module documentation).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordsOptions {
    /// Period: `2026`, `2026-Q3`, `2026-05` or `2026-01..2026-09`.
    pub period: String,
    /// `csv` or `jsonl` (default: from `source`'s extension, else CSV).
    #[serde(default)]
    pub format: Option<String>,
    /// The file's name in messages and in the document (default `dossiers.csv`).
    #[serde(default)]
    pub source: Option<String>,
    /// `month`, `quarter`, `year` or `whole` (default).
    #[serde(default)]
    pub by: Option<String>,
    /// `all` (default), `leaves`, or a depth (`1` = codes without a dot).
    #[serde(default)]
    pub unit_level: Option<String>,
    /// Policies; unnamed ones keep the formula document's default.
    #[serde(default)]
    pub policies: Option<Policies>,
    /// A `chiso.records-mapping/1` document for other column names and codes.
    #[serde(default)]
    pub mapping: Option<Mapping>,
    /// Evaluate open dossiers as of the end of this day (`YYYY-MM-DD`) or this time.
    #[serde(default)]
    pub as_of: Option<String>,
    /// The index to score with (object or JSON text); default the six-group portal index.
    #[serde(default)]
    pub index: Option<Json>,
    /// Text of a values CSV for the indicators records cannot give.
    #[serde(default)]
    pub values: Option<String>,
    /// List the dossiers that cost points, this many per unit and period.
    #[serde(default)]
    pub costs: Option<usize>,
    /// Explain these dossiers (`MaHoSo`).
    #[serde(default)]
    pub explain: Vec<String>,
    /// Explain every dossier of the cost lists too.
    #[serde(default)]
    pub explain_costs: bool,
}

/// A records run kept resident: the file's text, its counts and the index, so the
/// document, one dossier's explanation or a unit's full score come without re-counting.
#[derive(Debug, Clone)]
pub struct Records {
    text: String,
    report: Report,
    index: Index,
    model: CostModel,
    values: Option<Values>,
    units: Vec<u32>,
    costs: Option<usize>,
    explain: Vec<String>,
    explain_costs: bool,
}

fn split_message(both: &str) -> (String, String) {
    // Library messages written "english / tiếng Việt".
    let t = chiso::Text::from_en_vi(both);
    (t.vi, t.en)
}

fn option_error(key: &str, (vi, en): (String, String)) -> ApiError {
    usage(&format!("$options.{key}"), vi, en)
}

/// Units to show, in tree order (`all`, `leaves` or a depth), as `chiso records --unit-level`.
fn shown_units(report: &Report, level: &str) -> ApiResult<Vec<u32>> {
    let all = report.units.tree_order();
    Ok(match level {
        "all" => all,
        "leaves" => all
            .into_iter()
            .filter(|u| report.units.get(*u).children == 0)
            .collect(),
        n => {
            let depth: u8 = n.parse().map_err(|_| {
                option_error(
                    "unit_level",
                    (
                        format!("unit_level \"{n}\": dùng all, leaves hoặc một cấp (1, 2, …)"),
                        format!("unit_level \"{n}\": use all, leaves or a depth (1, 2, …)"),
                    ),
                )
            })?;
            all.into_iter()
                .filter(|u| report.units.get(*u).depth == depth)
                .collect()
        }
    })
}

fn parse_as_of(s: &str) -> ApiResult<chiso::calendar::NaiveDateTime> {
    let t = chiso::calendar::parse_local_time(s)
        .map_err(|e| option_error("as_of", (e.message(Lang::Vi), e.message(Lang::En))))?;
    if t.has_time {
        return Ok(t.at);
    }
    t.date()
        .succ_opt()
        .map(|d| d.and_time(chiso::calendar::NaiveTime::MIN))
        .ok_or_else(|| {
            option_error(
                "as_of",
                (
                    format!("ngày \"{s}\" quá xa"),
                    format!("the day \"{s}\" is too far"),
                ),
            )
        })
}

fn load_index(v: Option<&Json>) -> ApiResult<Index> {
    let text = match v {
        None | Some(Json::Null) => DEFAULT_INDEX.to_owned(),
        Some(Json::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    };
    Index::from_json(&text).map_err(|d| ApiError::from(d.in_file("index")))
}

impl Records {
    /// Reads and counts the dossiers of `text` under `options` (JSON); every problem of
    /// the file at once, each located by row, column and `MaHoSo`.
    pub fn analyse(text: &str, options: &str) -> ApiResult<Records> {
        let o: RecordsOptions = parse_json(options, "$options")?;
        let period: Period = o.period.parse().map_err(|e: records::PeriodError| {
            option_error("period", split_message(&e.to_string()))
        })?;
        let by: By = match o.by.as_deref() {
            None => By::Whole,
            Some(b) => b.parse().map_err(|_| {
                option_error(
                    "by",
                    (
                        format!("by \"{b}\" không hợp lệ; dùng month, quarter, year hoặc whole"),
                        format!("unknown by \"{b}\"; use month, quarter, year or whole"),
                    ),
                )
            })?,
        };
        let source = o.source.clone().unwrap_or_else(|| "dossiers.csv".into());
        let format = match o.format.as_deref() {
            None => RecordFormat::from_path(std::path::Path::new(&source)),
            Some("csv") => RecordFormat::Csv,
            Some("jsonl") => RecordFormat::JsonLines,
            Some(f) => {
                return Err(option_error(
                    "format",
                    (
                        format!("định dạng \"{f}\" không hợp lệ; dùng csv hoặc jsonl"),
                        format!("unknown format \"{f}\"; use csv or jsonl"),
                    ),
                ))
            }
        };
        let as_of = o.as_of.as_deref().map(parse_as_of).transpose()?;
        let index = load_index(o.index.as_ref())?;
        let mut opts = Options::new(format, source, period);
        opts.by = by;
        opts.policies = o.policies.unwrap_or_default();
        opts.mapping = o.mapping;
        opts.as_of = as_of;
        let report = analyse(&mut || Ok(text.as_bytes()), &opts)?;
        let model = CostModel::from_index(&index)?;
        let computed: Vec<Indicator> = Indicator::ALL
            .into_iter()
            .filter(|i| report.computable(*i))
            .collect();
        let values = match &o.values {
            None => None,
            Some(v) => Some(Values::from_csv(v, "values.csv", &index, &computed)?),
        };
        let units = shown_units(&report, o.unit_level.as_deref().unwrap_or("all"))?;
        Ok(Records {
            text: text.to_owned(),
            report,
            index,
            model,
            values,
            units,
            costs: o.costs,
            explain: o.explain,
            explain_costs: o.explain_costs,
        })
    }

    fn details(&self, top: Option<usize>, explain: &[String]) -> ApiResult<Details> {
        if top.is_none() && explain.is_empty() {
            return Ok(Details::default());
        }
        Ok(details(
            &mut || Ok(self.text.as_bytes()),
            &self.report,
            &self.model,
            top,
            explain,
        )?)
    }

    fn unknown_dossier(&self, wanted: &[String], found: &[Explanation]) -> Option<ApiError> {
        let source = &self.report.options.source;
        let ds: Vec<Diagnostic> = wanted
            .iter()
            .filter(|m| !found.iter().any(|e| &e.ma_ho_so == *m))
            .map(|m| {
                Diagnostic::error(
                    format!("MaHoSo \"{}\"", records::error::quote(m)),
                    None,
                    chiso::Problem::UnreadableValue {
                        text: records::error::quote(m),
                        detail: "no dossier with this MaHoSo [records_unknown_dossier] / không có hồ sơ có MaHoSo này [records_unknown_dossier]".into(),
                    },
                )
                .in_file(source.clone())
            })
            .collect();
        (!ds.is_empty()).then(|| ApiError::from(Diagnostics(ds)))
    }

    /// The `chiso.records/1` document, as `chiso records --format json` with the same
    /// options writes it.
    pub fn document(&self) -> ApiResult<String> {
        let mut det = self.details(self.costs, &self.explain)?;
        if let Some(e) = self.unknown_dossier(&self.explain, &det.explanations) {
            return Err(e);
        }
        if self.explain_costs {
            let mut wanted = self.explain.clone();
            for u in &self.units {
                for b in 0..self.report.buckets.len() {
                    let b16 = u16::try_from(b).unwrap_or(u16::MAX);
                    for c in det.costs.get(&(*u, b16)).into_iter().flatten() {
                        if !wanted.contains(&c.ma_ho_so) {
                            wanted.push(c.ma_ho_so.clone());
                        }
                    }
                }
            }
            det.explanations = self.details(None, &wanted)?.explanations;
        }
        Ok(to_json(&document(
            &self.report,
            &self.index,
            self.values.as_ref(),
            &self.units,
            Some(&det),
            &self.model,
        )?))
    }

    /// Why one dossier is on time or late and what it cost: one element of the
    /// document's `explanations` (as `chiso records --explain <MaHoSo> --format json`).
    pub fn explain(&self, ma_ho_so: &str) -> ApiResult<String> {
        let wanted = [ma_ho_so.to_owned()];
        let det = self.details(None, &wanted)?;
        if let Some(e) = self.unknown_dossier(&wanted, &det.explanations) {
            return Err(e);
        }
        // The document of no unit carries just the explanation, in the document's form.
        let doc = document(
            &self.report,
            &self.index,
            self.values.as_ref(),
            &[],
            Some(&det),
            &self.model,
        )?;
        Ok(to_json(&doc.explanations.first()))
    }

    /// The engine's full result (`chiso.result/1`: every group and indicator with its
    /// explanation) of one unit (`DonViXuLy` code) in one period (a bucket label of the
    /// document).
    pub fn result(&self, unit: &str, period: &str) -> ApiResult<String> {
        let u = self.report.units.id(unit).ok_or_else(|| {
            usage(
                "unit",
                format!("không có đơn vị \"{unit}\" trong tệp"),
                format!("no unit \"{unit}\" in the file"),
            )
        })?;
        let b = self
            .report
            .buckets
            .iter()
            .position(|b| b.label == period)
            .ok_or_else(|| {
                usage(
                    "period",
                    format!("không có kỳ \"{period}\""),
                    format!("no period \"{period}\""),
                )
            })?;
        let s = records::score(&self.report, u, b, &self.index, self.values.as_ref())?;
        Ok(to_json(&s.result))
    }
}

/// `chiso records --format json`: the `chiso.records/1` document of `text` (JSON text).
pub fn records(text: &str, options: &str) -> ApiResult<String> {
    Records::analyse(text, options)?.document()
}

/// `chiso records --explain <MaHoSo> --format json`: one dossier's explanation.
pub fn explain_dossier(text: &str, options: &str, ma_ho_so: &str) -> ApiResult<String> {
    Records::analyse(text, options)?.explain(ma_ho_so)
}

/// `100 × numerator / denominator`, exact to 28 significant digits (the ratio of an
/// indicator, for display: a page never divides); `None` when the denominator is 0.
/// Both are whole numbers written in decimal.
///
/// ```
/// use chiso_wasm::records::ratio_percent;
/// assert_eq!(ratio_percent("10", "12").unwrap().as_deref(), Some("83.33333333333333333333333333"));
/// assert_eq!(ratio_percent("3", "0").unwrap(), None);
/// assert!(ratio_percent("1.5", "2").is_err());
/// ```
pub fn ratio_percent(numerator: &str, denominator: &str) -> ApiResult<Option<String>> {
    let whole = |s: &str, key: &str| -> ApiResult<Decimal> {
        s.parse::<u64>().map(Decimal::from).map_err(|_| {
            usage(
                key,
                format!("\"{s}\" không phải số nguyên không âm"),
                format!("\"{s}\" is not a whole number"),
            )
        })
    };
    let (n, d) = (
        whole(numerator, "numerator")?,
        whole(denominator, "denominator")?,
    );
    // The rules' own percent of a ratio (None for a zero denominator).
    Ok(chiso::engine::ratio_percent(n, d).map(|x| x.to_string()))
}
