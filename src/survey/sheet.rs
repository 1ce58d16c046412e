//! Answer sheets: one row per respondent, as exported from survey tools.
//!
//! # Columns
//!
//! Named in the definition's `columns` (defaults in parentheses):
//! - respondent id (`id`) — required, not empty; the same id twice in one unit is an
//!   error (the same id in two units is allowed: tools often number per unit);
//! - unit (`unit`) — required, not empty (`ReadOptions::unit_column` overrides the name,
//!   e.g. to group by another column);
//! - stratum (`stratum`) — optional; when present, not empty (the bootstrap resamples
//!   within strata);
//! - weight (`weight`) — optional; when present, a decimal number `0 < w ≤ 1,000,000`
//!   with at most 12 decimal places, read exactly (`.` is the decimal point);
//! - one column per item, named by the item code (`q9_sat_1` …).
//!
//! Other columns (the rest of the questionnaire, the respondent profile) are ignored
//! and listed in the result.
//!
//! # Answer cells
//!
//! A whole number of the scale (`4`, also `4.0`) is an answer. An empty cell or one of
//! the scale's `no_answer_codes` is a no-answer (the `no_answer` policy applies). Any
//! other number is off the scale (the `out_of_range` policy applies). Any other text is
//! an error.
//!
//! # Formats
//!
//! - **CSV** with a header row (row numbers are line numbers, header = row 1; a UTF-8
//!   byte-order mark is skipped);
//! - **JSON lines**: one object per line, keys = column names, values numbers, strings
//!   or `null` (= no answer); an item key absent from a line is a no-answer, but an item
//!   absent from every line is an error. The first line decides whether the sheet has
//!   strata and weights (like a header): a later line with a stratum or weight key the
//!   first line lacks is an error, one lacking it is an empty cell;
//! - **rows** already split into cells ([`read_rows`], used by the CLI for .xlsx).
//!
//! # Errors
//!
//! Every row is checked; all problems are collected (the first
//! [`ReadOptions::max_errors`] listed in row order, all counted), each naming the row,
//! the column and the respondent id. Nothing is estimated from a sheet with errors.

use super::error::{RowError, RowProblem, SurveyError};
use super::policy::{NoAnswerPolicy, OutOfRangePolicy};
use super::questionnaire::Survey;
use super::{
    DEFAULT_MAX_ERRORS, MAX_ANSWER_CELLS, MAX_RESPONDENTS, MAX_SCALE_VALUE, MAX_STRATA,
    MAX_TEXT_BYTES, MAX_UNITS, MAX_WEIGHT, WEIGHT_DECIMALS,
};
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::io::Read;

/// How a sheet is read.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Name of the sheet in messages (e.g. the file name).
    pub source: String,
    /// Most errors listed (all are counted).
    pub max_errors: usize,
    /// Column naming the units, instead of the definition's `columns.unit`.
    pub unit_column: Option<String>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            source: "answers".into(),
            max_errors: DEFAULT_MAX_ERRORS,
            unit_column: None,
        }
    }
}

/// Weights are summed as integers: `w × 10^WEIGHT_DECIMALS`.
pub(crate) const WEIGHT_SCALE: u32 = WEIGHT_DECIMALS;

/// The respondents of a sheet, checked and stored compactly (one byte per answer).
#[derive(Debug, Clone, Default)]
pub struct Answers {
    /// Items per respondent (the survey's item count).
    pub(crate) n_items: usize,
    /// Scale position of each answer (0 = no answer), respondent-major.
    pub(crate) codes: Vec<u8>,
    /// Weight × 10¹² of each respondent; empty when the sheet has no weight column.
    pub(crate) weights: Vec<i128>,
    /// Unit of each respondent (index into `units`).
    pub(crate) unit_of: Vec<u32>,
    /// Stratum of each respondent (index into `strata`); empty without a stratum column.
    pub(crate) stratum_of: Vec<u32>,
    /// Unit names in order of first appearance.
    pub(crate) units: Vec<String>,
    /// Stratum names in order of first appearance.
    pub(crate) strata: Vec<String>,
    /// Respondents left out per unit (no-answer policy `drop_respondent`).
    pub(crate) dropped: Vec<u64>,
    /// Data rows read.
    pub(crate) rows: u64,
    /// Off-scale answers treated as no-answers (policy `out_of_range: no_answer`).
    pub(crate) recoded: u64,
    /// Columns of the sheet the survey does not use.
    pub(crate) ignored_columns: Vec<String>,
    /// Whether the sheet has a weight column.
    pub(crate) weighted: bool,
}

impl Answers {
    /// Respondents kept (after the `drop_respondent` policy).
    pub fn respondents(&self) -> usize {
        self.unit_of.len()
    }
    /// Unit names, in order of first appearance.
    pub fn units(&self) -> &[String] {
        &self.units
    }
    /// Whether the sheet has a weight column.
    pub fn is_weighted(&self) -> bool {
        self.weighted
    }
    /// Whether the sheet has a stratum column.
    pub fn has_strata(&self) -> bool {
        !self.stratum_of.is_empty()
    }
    /// Data rows read (kept and dropped).
    pub fn rows(&self) -> u64 {
        self.rows
    }
    /// Columns the survey does not use.
    pub fn ignored_columns(&self) -> &[String] {
        &self.ignored_columns
    }
    /// Weight × 10¹² of respondent `r` (1 when unweighted: only ratios use it then).
    #[inline]
    pub(crate) fn weight(&self, r: usize) -> i128 {
        self.weights.get(r).copied().unwrap_or(1)
    }
    /// Scale factor of [`Answers::weight`]: 10¹² when weighted, 1 otherwise.
    pub(crate) fn weight_unit(&self) -> Decimal {
        if self.weighted {
            Decimal::new(10i64.pow(WEIGHT_SCALE), 0)
        } else {
            Decimal::ONE
        }
    }
    /// The answers of respondent `r`.
    #[inline]
    pub(crate) fn row(&self, r: usize) -> &[u8] {
        &self.codes[r * self.n_items..(r + 1) * self.n_items]
    }
}

/// Where each used column sits in a record.
#[derive(Debug, Clone)]
pub(super) struct Layout {
    respondent: usize,
    unit: usize,
    stratum: Option<usize>,
    weight: Option<usize>,
    items: Vec<usize>,
    width: usize,
}

impl Layout {
    /// Finds the used columns in `header`; every missing or duplicated column at once.
    pub(super) fn from_header(
        survey: &Survey,
        header: &[String],
        opts: &ReadOptions,
        ignored: &mut Vec<String>,
    ) -> Result<Layout, Vec<RowError>> {
        let cols = &survey.definition().columns;
        let unit_name = opts.unit_column.as_deref().unwrap_or(&cols.unit);
        let mut first: HashMap<&str, usize> = HashMap::new();
        let mut errors = Vec::new();
        let used = |name: &str| {
            name == cols.respondent
                || name == unit_name
                || name == cols.stratum
                || name == cols.weight
                || survey.item_codes().iter().any(|c| c == name)
        };
        for (i, h) in header.iter().enumerate() {
            match first.get(h.as_str()) {
                Some(f) if used(h) => errors.push(RowError::new(
                    1,
                    Some(h),
                    RowProblem::DuplicateColumn { first: f + 1 },
                )),
                Some(_) => {}
                None => {
                    first.insert(h.as_str(), i);
                    if !used(h) && !h.is_empty() && ignored.len() < 1000 {
                        ignored.push(h.clone());
                    }
                }
            }
        }
        let mut need = |name: &str| match first.get(name) {
            Some(&i) => i,
            None => {
                errors.push(RowError::new(1, Some(name), RowProblem::MissingColumn));
                0
            }
        };
        let respondent = need(&cols.respondent);
        let unit = need(unit_name);
        let items = survey.item_codes().iter().map(|c| need(c)).collect();
        let layout = Layout {
            respondent,
            unit,
            stratum: first.get(cols.stratum.as_str()).copied(),
            weight: first.get(cols.weight.as_str()).copied(),
            items,
            width: header.len(),
        };
        if errors.is_empty() {
            Ok(layout)
        } else {
            Err(errors)
        }
    }
}

/// What an answer cell holds.
enum CellKind {
    NoAnswer,
    Position(u8),
    OffScale,
    NotAnAnswer,
}

/// Trims ASCII whitespace.
pub(super) fn trim(b: &[u8]) -> &[u8] {
    b.trim_ascii()
}

/// Checks rows and stores respondents.
pub(super) struct Builder<'a> {
    survey: &'a Survey,
    layout: Layout,
    unit_col: String,
    pub(super) out: Answers,
    unit_index: HashMap<String, u32>,
    stratum_index: HashMap<String, u32>,
    /// Respondent ids seen, with their first row.
    seen: super::ids::Ids,
    /// The unit of the previous row (rows of a unit usually come together).
    last_unit: Option<(String, u32)>,
    errors: Vec<RowError>,
    total_errors: usize,
    max_errors: usize,
    scratch: Vec<u8>,
    pub(super) fatal: bool,
    accepted: String,
    scale_text: String,
}

impl<'a> Builder<'a> {
    pub(super) fn new(
        survey: &'a Survey,
        layout: Layout,
        opts: &ReadOptions,
        ignored: Vec<String>,
    ) -> Self {
        let scale_text = survey
            .scale_values()
            .iter()
            .map(u16::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        let mut accepted = format!("{scale_text}, ô trống");
        for c in &survey.definition().scale.no_answer_codes {
            accepted.push_str(&format!(" hoặc \"{}\"", c.trim()));
        }
        let unit_col = opts
            .unit_column
            .clone()
            .unwrap_or_else(|| survey.definition().columns.unit.clone());
        Builder {
            survey,
            out: Answers {
                n_items: layout.items.len(),
                ignored_columns: ignored,
                weighted: layout.weight.is_some(),
                ..Default::default()
            },
            layout,
            unit_col,
            unit_index: HashMap::new(),
            stratum_index: HashMap::new(),
            seen: super::ids::Ids::default(),
            last_unit: None,
            errors: Vec::new(),
            total_errors: 0,
            max_errors: opts.max_errors.max(1),
            scratch: Vec::new(),
            fatal: false,
            accepted,
            scale_text,
        }
    }

    pub(super) fn error(&mut self, e: RowError) {
        if e.problem.is_fatal() {
            self.fatal = true;
        }
        self.total_errors += 1;
        if self.errors.len() < self.max_errors {
            self.errors.push(e);
        } else if e.row == 0 {
            // Problems of the sheet as a whole are listed before any row's.
            if let Some(last_row_error) = self.errors.iter().rposition(|x| x.row > 0) {
                self.errors.remove(last_row_error);
                self.errors.push(e);
            }
        }
    }

    /// Counts `n` more errors that are not listed.
    pub(super) fn count_more(&mut self, n: usize) {
        self.total_errors += n;
    }

    fn classify(&self, cell: &[u8]) -> CellKind {
        let t = trim(cell);
        if t.is_empty() {
            return CellKind::NoAnswer;
        }
        let codes = &self.survey.definition().scale.no_answer_codes;
        if !codes.is_empty() && codes.iter().any(|c| c.trim().as_bytes() == t) {
            return CellKind::NoAnswer;
        }
        let value = if t.len() == 1 && t[0].is_ascii_digit() {
            Some(u16::from(t[0] - b'0'))
        } else {
            match crate::batch::parse_decimal(t) {
                None => return CellKind::NotAnAnswer,
                Some(d)
                    if d.fract().is_zero()
                        && d >= Decimal::ZERO
                        && d <= Decimal::from(MAX_SCALE_VALUE) =>
                {
                    u16::try_from(d.normalize().mantissa()).ok()
                }
                Some(_) => None,
            }
        };
        match value
            .filter(|v| *v <= MAX_SCALE_VALUE)
            .map(|v| self.survey.position_of[usize::from(v)])
        {
            Some(p) if p > 0 => CellKind::Position(p),
            _ => CellKind::OffScale,
        }
    }

    /// A required text cell: trimmed, not empty, UTF-8, bounded.
    fn text<'r>(
        &mut self,
        row: u64,
        column: &str,
        cell: &'r [u8],
        respondent: Option<&str>,
    ) -> Option<&'r str> {
        let t = trim(cell);
        let problem = if t.is_empty() {
            RowProblem::EmptyCell
        } else if t.len() > MAX_TEXT_BYTES {
            RowProblem::TooLong {
                limit: MAX_TEXT_BYTES,
            }
        } else {
            match std::str::from_utf8(t) {
                Ok(s) => return Some(s.trim()),
                Err(_) => RowProblem::NotUtf8,
            }
        };
        let mut e = RowError::new(row, Some(column), problem);
        e.respondent = respondent.map(str::to_owned);
        if matches!(e.problem, RowProblem::TooLong { .. }) {
            e = e.with_value(&String::from_utf8_lossy(t));
        }
        self.error(e);
        None
    }

    fn weight(&mut self, row: u64, cell: &[u8], respondent: Option<&str>) -> Option<i128> {
        let t = trim(cell);
        let problem = if t.is_empty() {
            RowProblem::EmptyCell
        } else {
            match crate::batch::parse_decimal(t) {
                None => RowProblem::WeightNotANumber,
                Some(w) if w <= Decimal::ZERO => RowProblem::WeightNotPositive,
                Some(w) if w > MAX_WEIGHT => RowProblem::WeightTooLarge { limit: MAX_WEIGHT },
                Some(w) => {
                    // "1.50" and "1.5" are the same weight; only trailing zeros beyond
                    // 12 places need normalising.
                    let w = if w.scale() > WEIGHT_SCALE {
                        w.normalize()
                    } else {
                        w
                    };
                    if w.scale() > WEIGHT_SCALE {
                        RowProblem::WeightTooPrecise {
                            limit: WEIGHT_SCALE,
                        }
                    } else {
                        // w ≤ 10⁶ with ≤ 12 decimals: the scaled mantissa is below 10¹⁸.
                        return Some(w.mantissa() * 10i128.pow(WEIGHT_SCALE - w.scale()));
                    }
                }
            }
        };
        let column = &self.survey.definition().columns.weight;
        let mut e = RowError::new(row, Some(column), problem);
        if !t.is_empty() {
            e = e.with_value(&String::from_utf8_lossy(t));
        }
        e.respondent = respondent.map(str::to_owned);
        self.error(e);
        None
    }

    /// Checks one record; `get(i)` is the cell of column `i` (empty when absent);
    /// `width` is the record's cell count when it must match the header.
    pub(super) fn push<'r>(
        &mut self,
        row: u64,
        width: Option<usize>,
        get: impl Fn(usize) -> &'r [u8],
    ) {
        if self.fatal {
            return;
        }
        self.out.rows += 1;
        let before = self.total_errors;
        if let Some(w) = width.filter(|w| *w != self.layout.width) {
            self.error(RowError::new(
                row,
                None,
                RowProblem::FieldCount {
                    found: w,
                    expected: self.layout.width,
                },
            ));
            return;
        }
        let survey: &'a Survey = self.survey;
        let cols = &survey.definition().columns;
        let id = self.text(row, &cols.respondent, get(self.layout.respondent), None);
        let unit_col = std::mem::take(&mut self.unit_col);
        let unit = self.text(row, &unit_col, get(self.layout.unit), id);
        self.unit_col = unit_col;
        let stratum = match self.layout.stratum {
            Some(i) => self.text(row, &cols.stratum, get(i), id).map(Some),
            None => Some(None),
        };
        let weight = match self.layout.weight {
            Some(i) => self.weight(row, get(i), id).map(Some),
            None => Some(None),
        };

        // Answers.
        let policies = survey.definition().policies;
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        let mut no_answer = false;
        let mut recoded = 0u64;
        for k in 0..self.layout.items.len() {
            let cell = get(self.layout.items[k]);
            let mut kind = self.classify(cell);
            if matches!(kind, CellKind::OffScale)
                && policies.out_of_range == OutOfRangePolicy::NoAnswer
            {
                recoded += 1;
                kind = CellKind::NoAnswer;
            }
            let problem = match kind {
                CellKind::Position(p) => {
                    scratch.push(p);
                    continue;
                }
                CellKind::NoAnswer if policies.no_answer == NoAnswerPolicy::Error => {
                    RowProblem::NoAnswerNotAllowed
                }
                CellKind::NoAnswer => {
                    no_answer = true;
                    scratch.push(0);
                    continue;
                }
                CellKind::OffScale => RowProblem::OffScale {
                    scale: self.scale_text.clone(),
                },
                CellKind::NotAnAnswer => RowProblem::NotAnAnswer {
                    accepted: self.accepted.clone(),
                },
            };
            scratch.push(0);
            let mut e = RowError::new(row, Some(&survey.item_codes()[k]), problem);
            if !trim(cell).is_empty() {
                e = e.with_value(&String::from_utf8_lossy(trim(cell)));
            }
            e.respondent = id.map(str::to_owned);
            self.error(e);
        }
        self.scratch = scratch;

        let (Some(id), Some(unit)) = (id, unit) else {
            return;
        };
        let cached = match &self.last_unit {
            Some((name, u)) if name == unit => Some(*u),
            _ => None,
        };
        let unit_ix = match cached.or_else(|| self.unit_index.get(unit).copied()) {
            Some(u) => u,
            None => {
                if self.out.units.len() >= MAX_UNITS {
                    let e = RowError::new(
                        row,
                        Some(&self.unit_col.clone()),
                        RowProblem::TooManyUnits { limit: MAX_UNITS },
                    );
                    self.error(e);
                    return;
                }
                let u = self.out.units.len() as u32;
                self.unit_index.insert(unit.to_owned(), u);
                self.out.units.push(unit.to_owned());
                self.out.dropped.push(0);
                u
            }
        };
        if cached.is_none() {
            self.last_unit = Some((unit.to_owned(), unit_ix));
        }
        if let Some(first_row) = self.seen.insert(unit_ix, id, row) {
            let mut e = RowError::new(
                row,
                Some(&cols.respondent),
                RowProblem::DuplicateRespondent { first_row },
            )
            .with_value(id);
            e.respondent = Some(id.to_owned());
            self.error(e);
            return;
        }
        if self.total_errors > before {
            return;
        }
        let (Some(stratum), Some(weight)) = (stratum, weight) else {
            return;
        };
        self.out.recoded += recoded;
        if no_answer && policies.no_answer == NoAnswerPolicy::DropRespondent {
            self.out.dropped[unit_ix as usize] += 1;
            return;
        }
        if self.out.unit_of.len() >= MAX_RESPONDENTS {
            self.error(RowError::new(
                row,
                None,
                RowProblem::TooManyRespondents {
                    limit: MAX_RESPONDENTS,
                },
            ));
            return;
        }
        if self.out.codes.len() + self.scratch.len() > MAX_ANSWER_CELLS {
            self.error(RowError::new(
                row,
                None,
                RowProblem::TooManyCells {
                    limit: MAX_ANSWER_CELLS,
                },
            ));
            return;
        }
        if let Some(s) = stratum {
            let ix = match self.stratum_index.get(s) {
                Some(&ix) => ix,
                None => {
                    if self.out.strata.len() >= MAX_STRATA {
                        self.error(RowError::new(
                            row,
                            Some(&cols.stratum),
                            RowProblem::TooManyStrata { limit: MAX_STRATA },
                        ));
                        return;
                    }
                    let ix = self.out.strata.len() as u32;
                    self.stratum_index.insert(s.to_owned(), ix);
                    self.out.strata.push(s.to_owned());
                    ix
                }
            };
            self.out.stratum_of.push(ix);
        }
        if let Some(w) = weight {
            self.out.weights.push(w);
        }
        self.out.unit_of.push(unit_ix);
        self.out.codes.extend_from_slice(&self.scratch);
    }

    pub(super) fn finish(mut self, source: &str) -> Result<Answers, SurveyError> {
        if self.total_errors > 0 {
            self.errors.sort_by_key(|e| e.row);
            return Err(SurveyError::Input {
                source: source.to_owned(),
                errors: self.errors,
                total: self.total_errors,
            });
        }
        Ok(self.out)
    }
}

pub(super) fn input_error(source: &str, errors: Vec<RowError>) -> SurveyError {
    let total = errors.len();
    SurveyError::Input {
        source: source.to_owned(),
        errors,
        total,
    }
}

fn header_names(raw: impl Iterator<Item = String>) -> Vec<String> {
    raw.enumerate()
        .map(|(i, h)| {
            let h = if i == 0 {
                h.trim_start_matches('\u{feff}').to_owned()
            } else {
                h
            };
            h.trim().to_owned()
        })
        .collect()
}

/// Reads a CSV answer sheet (header row required).
///
/// ```
/// use chiso::survey::{read_csv, ReadOptions, Survey};
/// let survey = Survey::from_file(concat!(env!("CARGO_MANIFEST_DIR"), "/criteria/sipas/sipas-1001-2023-q9.survey.json").as_ref()).unwrap();
/// let csv = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/examples-data/sipas-sample.csv")).unwrap();
/// let answers = read_csv(&survey, csv.as_slice(), &ReadOptions::default()).unwrap();
/// assert!(answers.respondents() > 0);
/// ```
pub fn read_csv<R: Read>(
    survey: &Survey,
    reader: R,
    opts: &ReadOptions,
) -> Result<Answers, SurveyError> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(reader);
    let mut rec = csv::ByteRecord::new();
    let unreadable = |row: u64, e: &csv::Error| {
        input_error(
            &opts.source,
            vec![RowError::new(
                row,
                None,
                RowProblem::Unreadable {
                    detail: e.to_string(),
                },
            )],
        )
    };
    match rdr.read_byte_record(&mut rec) {
        Ok(true) => {}
        Ok(false) => {
            return Err(input_error(
                &opts.source,
                vec![RowError::new(0, None, RowProblem::NoHeader)],
            ))
        }
        Err(e) => return Err(unreadable(1, &e)),
    }
    let header = header_names(rec.iter().map(|h| String::from_utf8_lossy(h).into_owned()));
    let mut ignored = Vec::new();
    let layout = Layout::from_header(survey, &header, opts, &mut ignored)
        .map_err(|e| input_error(&opts.source, e))?;
    let mut b = Builder::new(survey, layout, opts, ignored);
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(true) => {
                let row = rec.position().map_or(0, |p| p.line());
                b.push(row, Some(rec.len()), |i| rec.get(i).unwrap_or(b""));
            }
            Ok(false) => break,
            Err(e) => {
                let row = e.position().map_or(0, |p| p.line());
                b.error(RowError::new(
                    row,
                    None,
                    RowProblem::Unreadable {
                        detail: e.to_string(),
                    },
                ));
                break;
            }
        }
        if b.fatal {
            break;
        }
    }
    b.finish(&opts.source)
}

/// Reads a sheet already split into cells (e.g. a spreadsheet): `header` is the first
/// row, `rows` yields (row number, cells). Cells beyond the header are ignored; missing
/// cells are empty.
pub fn read_rows<I>(
    survey: &Survey,
    header: &[String],
    rows: I,
    opts: &ReadOptions,
) -> Result<Answers, SurveyError>
where
    I: IntoIterator<Item = (u64, Vec<String>)>,
{
    let header = header_names(header.iter().cloned());
    if header.iter().all(String::is_empty) {
        return Err(input_error(
            &opts.source,
            vec![RowError::new(0, None, RowProblem::NoHeader)],
        ));
    }
    let mut ignored = Vec::new();
    let layout = Layout::from_header(survey, &header, opts, &mut ignored)
        .map_err(|e| input_error(&opts.source, e))?;
    let mut b = Builder::new(survey, layout, opts, ignored);
    for (row, cells) in rows {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        b.push(row, None, |i| {
            cells.get(i).map_or(&b""[..], |c| c.as_bytes())
        });
        if b.fatal {
            break;
        }
    }
    b.finish(&opts.source)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
