//! Batch scoring: many units in (CSV or JSON lines), every node's points, rank and band out.
//!
//! # Input
//!
//! **CSV** (header row required):
//! - `unit` — the unit's name (required, not empty);
//! - `block` — optional ranking block (khối): units are ranked separately per block
//!   (e.g. departments vs districts);
//! - `unit_type` — optional ([`UNIT_TYPE_COLUMN`]): the code of one of the index's
//!   `unit_types` (loại đơn vị, e.g. `khong_co_mau_khao_sat`: a department without a
//!   survey sample, scored out of 84); empty = every criterion applies. The criteria the
//!   type leaves out are not applicable (out of the points and the maximum): their cells
//!   must be empty or `n/a` — a value there is an error, since it would be ignored;
//!   an unknown type is an error;
//! - one column per **leaf** code of the index (every leaf must have a column);
//! - optionally one column per **adjustment** code (bonus / penalty points).
//!
//! Any other column is an error (it is usually a typo in a code). A cell maps to the
//! value the leaf's rule needs; the value is the unit's **final** value (as the latest
//! appraisal round for appraised leaves, as the survey for survey leaves), so the
//! result equals [`Index::score`] with [`View::Final`] on that assessment:
//!
//! | rule | accepted cell | value |
//! |---|---|---|
//! | `score` | a number `3.2154` | `number` |
//! | `discretionary` | a number | `points` |
//! | `survey` | a number (points) / `85%` / answers `A=10;B=5` | `points` / `percent` / `answers` |
//! | `proportional` | `num/den` (`45/50`) or a percent `90%` | `ratio` / `percent` |
//! | `tiers` (percent) | `num/den`, `90%` or a plain number (a percent) | `ratio` / `percent` / `number` |
//! | `tiers` (count, number) | a number | `number` |
//! | `yes_no` | `yes`/`no`, `có`/`không`, `true`/`false`, `1`/`0` | `yes_no` |
//! | `timeliness`, `levels` | the option key (`on_time`, `late`, `not_done`, a level key) | `option` |
//! | `deductions` | counts per severity `minor=2;severe=1` | `counts` |
//! | adjustment column | a number | `points` |
//! | `unit_type` | a unit type code of the index, or empty | `unit_type` |
//!
//! Numbers use `.` as the decimal separator (`0.5`, not `0,5`) and are read exactly.
//! A leaf's points are rounded as the index's `policies.leaf_rounding` declares (the
//! QĐ 766 portal: 2 decimals, half up), on every path, as [`Index::score`] does.
//! An empty cell is a missing value (the index's `missing_value` policy applies);
//! `n/a` marks the leaf not applicable.
//!
//! **JSON lines**: one `chiso.assessment/1` document per line (blank lines skipped),
//! scored with [`Index::score`] ([`View::Final`]); `unit.block` is the block and
//! `unit_type` the unit type.
//!
//! # Output
//!
//! Columns: `unit`, `block` (only when the input has blocks), one column per node code
//! in [`Index::nodes`] pre-order without the root (points), `total` (points after
//! adjustments), `percent` (of the applicable maximum; empty when the index has no
//! maximum), `rank`, `band`. Decimals are exact and normalized (`3.7`, never `3.70`
//! nor a float). A missing value is an empty cell (`null` in JSON); a unit without a
//! total is not ranked.
//!
//! Ranks use exact totals and the index's `tie_policy` (competition 1, 2, 2, 4, dense
//! 1, 2, 2, 3 or ordinal 1, 2, 3, 4 — equal totals in input order), within each block.
//! In a block whose units have **different applicable maxima** (unit types, or criteria
//! marked `n/a`), points are not comparable — 78.54 of 84 (93.5 %) is better than
//! 92.14 of 100 — so that block is ranked on `percent` instead, with the same tie
//! policy (the PAR INDEX is a percent of the applicable maximum, reference
//! `par-index.md` §4; ranking raw points across different maxima is the defect its §6
//! warns of); see [`crate::ranking::rank_on_scales`]. Blocks of one maximum keep the
//! exact totals (same order). JSON says which in `rank_basis` (`total`, or `percent`
//! when at least one block was ranked on percent).
//! Unless disabled, a last row with unit `__mean__` ([`MEAN_UNIT`]) gives the unweighted
//! mean over units of every column (over the units that have a value; rank and band
//! empty). In JSON the mean is the `mean` member. Sums are kept exactly (wider than a
//! `Decimal` when needed: `6.8333333333333333333333333333 + 34.58` has 30 digits); the
//! mean is the exact sum / count rounded once, half to even, to a `Decimal`'s precision
//! (28–29 significant digits), so a column with a value always has a mean.
//!
//! # Errors and streaming
//!
//! Every row is validated and scored before anything is written; errors name the row
//! (line number in the file, header = row 1) and the column, all bad rows are
//! reported (up to [`Options::max_errors`]) and nothing is written to the output.
//! Memory does not grow with the rows beyond the ranking keys: each scored row is
//! written to a spool (a temporary file in the CLI) and only its total, block, band and
//! applicable maximum (an index into the few distinct maxima) are kept; the spool is streamed to the output with the ranks once all rows are in.

use crate::assessment::{Assessment, Entry, LayerEntry, NotApplicable, Unit, Value};
use crate::band::TiePolicy;
use crate::engine::{Cell, Index};
use crate::index::{AdjustmentKind, MissingValuePolicy};
use crate::limits::MAX_BATCH_LINE_BYTES;
use crate::node::{Aggregation, Channel};
use crate::result::View;
use crate::rule::{Measure, Outcome, Rule};
use crate::text::Lang;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};
use std::io::{self, BufRead, BufReader, BufWriter, Read, Seek, SeekFrom, Write};

mod cut;
mod dup;
mod mean;
mod units;
use mean::Means;
pub use units::{read_units, UnitRow, UnitsRead};

/// Unit name of the row of means.
pub const MEAN_UNIT: &str = "__mean__";

/// Name of the optional CSV column naming each unit's type ([`crate::index::UnitType`]).
pub const UNIT_TYPE_COLUMN: &str = "unit_type";

/// Format tag of the JSON output.
pub const BATCH_FORMAT: &str = "chiso.batch/1";

/// Input kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// CSV with a header row.
    Csv,
    /// One assessment (JSON) per line.
    JsonLines,
}

impl InputFormat {
    /// Guesses from a file name: `.jsonl`, `.ndjson` and `.json` are JSON lines, anything else CSV.
    pub fn from_path(path: &std::path::Path) -> InputFormat {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("jsonl" | "ndjson" | "json") => InputFormat::JsonLines,
            _ => InputFormat::Csv,
        }
    }
}

/// Output kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// CSV with a header row.
    Csv,
    /// One JSON document (`chiso.batch/1`), one unit per line.
    Json,
    /// An aligned text table.
    Table,
}

/// Options of a batch run.
#[derive(Debug, Clone)]
pub struct Options {
    /// Output format.
    pub output: OutputFormat,
    /// Language of error messages.
    pub lang: Lang,
    /// Name of the input in error messages (e.g. the file name).
    pub source: String,
    /// Tie policy; `None` = the index's declared one.
    pub tie_policy: Option<TiePolicy>,
    /// Whether to write the row (or member) of means.
    pub mean: bool,
    /// Most errors listed (all are counted).
    pub max_errors: usize,
    /// Scoring threads for CSV input (1 = score on the reading thread).
    pub threads: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            output: OutputFormat::Csv,
            lang: Lang::En,
            source: "units".into(),
            tie_policy: None,
            mean: true,
            max_errors: 50,
            threads: 1,
        }
    }
}

/// One input problem, located by row and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// Line number in the input (header = 1); 0 for the file as a whole.
    pub row: u64,
    /// Column (leaf code, `unit`, …) when known.
    pub column: Option<String>,
    /// The offending text, when there is one.
    pub value: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl RowError {
    fn new(
        row: u64,
        column: Option<&str>,
        value: Option<&str>,
        message: impl Into<String>,
    ) -> Self {
        RowError {
            row,
            column: column.map(excerpt),
            value: value.map(excerpt),
            message: message.into(),
        }
    }

    /// `units.csv row 17, column D5.2: '1,2x' is not a number`.
    pub fn render(&self, source: &str, lang: Lang) -> String {
        let (row, col) = match lang {
            Lang::Vi => ("dòng", "cột"),
            Lang::En => ("row", "column"),
        };
        let mut s = source.to_owned();
        if self.row > 0 {
            s.push_str(&format!(" {row} {}", self.row));
        }
        if let Some(c) = &self.column {
            s.push_str(&format!(
                "{} {col} {c}",
                if self.row > 0 { "," } else { "" }
            ));
        }
        s.push_str(": ");
        if let Some(v) = &self.value {
            s.push_str(&format!("'{v}' "));
        }
        s.push_str(&self.message);
        s
    }
}

/// Longest excerpt of a cell a message quotes, in characters.
const EXCERPT_CHARS: usize = 60;

/// A short, escaped excerpt of input text for a message: at most [`EXCERPT_CHARS`]
/// characters, control characters written as escapes (`\u{1b}`), `…` when cut.
fn excerpt(s: &str) -> String {
    let mut out = String::new();
    for (k, c) in s.chars().enumerate() {
        if k == EXCERPT_CHARS {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// Why a batch failed.
#[derive(Debug)]
pub enum BatchError {
    /// The input has errors; nothing was written.
    Input {
        /// Name of the input.
        source: String,
        /// The first errors (at most [`Options::max_errors`]).
        errors: Vec<RowError>,
        /// How many errors there are in all.
        total: usize,
        /// Language of the messages.
        lang: Lang,
    },
    /// Reading or writing failed.
    Io(io::Error),
}

impl BatchError {
    /// All messages, one per line, with a final count when the list was cut.
    pub fn render(&self) -> String {
        match self {
            BatchError::Input {
                source,
                errors,
                total,
                lang,
            } => render_list(errors, *total, source, *lang, false),
            BatchError::Io(e) => e.to_string(),
        }
    }
}

impl std::fmt::Display for BatchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render())
    }
}

impl std::error::Error for BatchError {}

impl From<io::Error> for BatchError {
    fn from(e: io::Error) -> Self {
        BatchError::Io(e)
    }
}

impl From<csv::Error> for BatchError {
    fn from(e: csv::Error) -> Self {
        BatchError::Io(e.into())
    }
}

/// What a batch run did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Units scored.
    pub units: u64,
    /// Units with a rank.
    pub ranked: u64,
    /// Number of blocks (1 without a block column).
    pub blocks: usize,
    /// Blocks ranked on percent because their units have different applicable maxima.
    pub percent_blocks: usize,
    /// Warnings, located like errors: a unit that repeats an earlier row of its block
    /// (both rows are scored and ranked; the warning names both). At most
    /// [`Options::max_errors`].
    pub warnings: Vec<RowError>,
    /// How many warnings there are in all.
    pub warning_count: usize,
}

impl Summary {
    /// The warnings, one per line, with a final count when the list was cut; empty
    /// when there are none.
    pub fn render_warnings(&self, source: &str, lang: Lang) -> String {
        render_list(&self.warnings, self.warning_count, source, lang, true)
    }
}

/// Messages one per line, and "… and N more" when `total` exceeds the list.
fn render_list(
    list: &[RowError],
    total: usize,
    source: &str,
    lang: Lang,
    warnings: bool,
) -> String {
    let mut lines: Vec<String> = list.iter().map(|e| e.render(source, lang)).collect();
    if total > list.len() {
        let more = total - list.len();
        lines.push(match (lang, warnings) {
            (Lang::Vi, false) => format!("… và {more} lỗi khác ({total} lỗi tất cả)"),
            (Lang::En, false) => format!("… and {more} more errors ({total} in all)"),
            (Lang::Vi, true) => format!("… và {more} cảnh báo khác ({total} cảnh báo tất cả)"),
            (Lang::En, true) => format!("… and {more} more warnings ({total} in all)"),
        });
    }
    lines.join("\n")
}

// ---------------------------------------------------------------------------
// Exact decimal reading and writing without allocation.

/// Parses `[+-]digits[.digits]` exactly; `None` if the text is not such a number.
///
/// ```
/// use chiso::batch::parse_decimal;
/// assert_eq!(parse_decimal(b"3.7000").map(|d| d.to_string()), Some("3.7000".into()));
/// assert!(parse_decimal(b"1,2x").is_none());
/// ```
pub fn parse_decimal(s: &[u8]) -> Option<Decimal> {
    match parse_number(s) {
        Some((d, _, _)) => Some(d),
        None if plain_number_text(s) => parse_long(s),
        None => None,
    }
}

/// `[+-]digits[.digits]` with at least one digit.
fn plain_number_text(s: &[u8]) -> bool {
    let body = s
        .strip_prefix(b"-")
        .or_else(|| s.strip_prefix(b"+"))
        .unwrap_or(s);
    body.iter().any(u8::is_ascii_digit)
        && body.iter().all(|&b| b.is_ascii_digit() || b == b'.')
        && body.iter().filter(|&&b| b == b'.').count() <= 1
}

/// Where the normalized text of a parsed number lies in its input: an optional `-`,
/// an optional `0` (for `.5` or `0.5`), then `text[start..end]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Norm {
    neg: bool,
    lead0: bool,
    start: usize,
    end: usize,
}

/// A plain number as read by [`parse_parts`]: `±mantissa × 10^-scale`.
#[derive(Debug, Clone, Copy)]
struct Parts {
    mantissa: u64,
    scale: u32,
    neg: bool,
    /// |x| ≤ [`crate::rule::INPUT_LIMIT`] (10^15).
    within: bool,
    norm: Norm,
}

impl Parts {
    /// A number read as `mantissa × 10^-scale`, given (relative to the number's first
    /// byte) its first non-zero integer digit, its dot (or end) and the end of its last
    /// non-zero fraction digit — all a reader needs to find the normalized text.
    fn new(
        mantissa: u64,
        scale: u32,
        neg: bool,
        first_nonzero_int: Option<usize>,
        dot_pos: usize,
        frac_end: Option<usize>,
    ) -> Parts {
        // |x| ≤ 10^15 ⇔ mantissa ≤ 10^(15 + scale); always true from scale 5 (mantissa < 1.9e19).
        let within = scale >= 5 || mantissa <= 10u64.pow(15 + scale);
        let norm = match (mantissa, first_nonzero_int) {
            (0, _) => Norm {
                neg: false,
                lead0: true,
                start: 0,
                end: 0,
            },
            (_, Some(a)) => Norm {
                neg,
                lead0: false,
                start: a,
                end: frac_end.unwrap_or(dot_pos),
            },
            (_, None) => Norm {
                neg,
                lead0: true,
                start: dot_pos,
                end: frac_end.unwrap_or(0),
            },
        };
        Parts {
            mantissa,
            scale,
            neg,
            within,
            norm,
        }
    }

    /// The exact value (`-0` is `0`).
    fn decimal(&self) -> Decimal {
        // lo and mid words of the 96-bit mantissa; the truncations are the intended split.
        #[allow(clippy::cast_possible_truncation)]
        Decimal::from_parts(
            self.mantissa as u32,
            (self.mantissa >> 32) as u32,
            0,
            self.neg && self.mantissa != 0,
            self.scale,
        )
    }

    /// The signed mantissa, as `Decimal::mantissa` of [`Parts::decimal`].
    fn signed(&self) -> i128 {
        if self.neg {
            -i128::from(self.mantissa)
        } else {
            i128::from(self.mantissa)
        }
    }
}

/// [`parse_decimal`] for up to 19 significant digits and scale 28, in one pass: the
/// value, whether it lies within [`crate::rule::INPUT_LIMIT`] (10^15), and where its
/// normalized text is. `None` for anything else (longer numbers take the general path).
fn parse_number(s: &[u8]) -> Option<(Decimal, bool, Norm)> {
    parse_parts(s).map(|p| (p.decimal(), p.within, p.norm))
}

/// The reader behind [`parse_number`], without building the `Decimal`.
fn parse_parts(s: &[u8]) -> Option<Parts> {
    match scan_number(s, 0) {
        Some((p, end)) if end == s.len() => Some(p),
        _ => None,
    }
}

/// Reads the number that starts at `at` in `text` and ends at the first byte that is
/// not a digit or the (first) dot: the number and where it ends. Equal to
/// [`parse_parts_long`] on `text[at..end]` (tested); short numbers (at most 19
/// characters after the sign, hence at most 19 digits) are read in one tight loop.
#[inline]
fn scan_number(text: &[u8], at: usize) -> Option<(Parts, usize)> {
    let (neg, off) = match text.get(at)? {
        b'-' => (true, at + 1),
        b'+' => (false, at + 1),
        _ => (false, at),
    };
    let mut mantissa: u64 = 0;
    let mut dot = usize::MAX;
    let mut i = off;
    while let Some(&b) = text.get(i) {
        let d = b.wrapping_sub(b'0');
        if d < 10 {
            mantissa = mantissa.wrapping_mul(10).wrapping_add(u64::from(d));
        } else if b == b'.' && dot == usize::MAX {
            dot = i;
        } else {
            break;
        }
        i += 1;
    }
    if i - off > 19 {
        return parse_parts_long(&text[at..i]).map(|p| (p, i));
    }
    let (int, frac) = if dot == usize::MAX {
        (&text[off..i], &text[i..i])
    } else {
        (&text[off..dot], &text[dot + 1..i])
    };
    if int.is_empty() && frac.is_empty() {
        return None; // no digit
    }
    let scale = frac.len() as u32;
    // Positions relative to the number's first byte (`at`).
    let dot_pos = off + int.len() - at; // the dot, or the end
    let first_nonzero = int.iter().position(|&b| b != b'0').map(|a| off - at + a);
    let frac_end = frac
        .iter()
        .rposition(|&b| b != b'0')
        .map(|p| dot_pos + 2 + p);
    let parts = Parts::new(mantissa, scale, neg, first_nonzero, dot_pos, frac_end);
    Some((parts, i))
}

/// [`parse_parts`] for any length: counts significant digits (at most 19).
fn parse_parts_long(s: &[u8]) -> Option<Parts> {
    let (neg, off) = match s.first()? {
        b'-' => (true, 1),
        b'+' => (false, 1),
        _ => (false, 0),
    };
    let mut mantissa: u64 = 0;
    let mut digits = 0u32; // significant digits so far
    let mut any_digit = false;
    let mut scale = 0u32;
    let mut dot: Option<usize> = None;
    let mut int_start: Option<usize> = None;
    let mut frac_end = 0usize;
    for (i, &b) in s.iter().enumerate().skip(off) {
        let d = b.wrapping_sub(b'0');
        if d < 10 {
            any_digit = true;
            if d != 0 {
                if dot.is_none() {
                    int_start.get_or_insert(i);
                } else {
                    frac_end = i + 1;
                }
            }
            if mantissa != 0 || d != 0 {
                digits += 1;
                if digits > 19 {
                    return None;
                }
            }
            mantissa = mantissa * 10 + u64::from(d);
            scale += u32::from(dot.is_some());
        } else if b == b'.' && dot.is_none() {
            dot = Some(i);
        } else {
            return None;
        }
    }
    if !any_digit || scale > 28 {
        return None;
    }
    let dot_pos = dot.unwrap_or(s.len());
    let frac_end = (frac_end > dot_pos).then_some(frac_end);
    Some(Parts::new(
        mantissa, scale, neg, int_start, dot_pos, frac_end,
    ))
}

fn write_norm(out: &mut Vec<u8>, text: &[u8], n: Norm) {
    if n.neg {
        out.push(b'-');
    }
    if n.lead0 {
        out.push(b'0');
    }
    out.extend_from_slice(&text[n.start..n.end]);
}

fn parse_long(s: &[u8]) -> Option<Decimal> {
    // Only called on text that is digits, one dot and a sign: exact or refused.
    std::str::from_utf8(s)
        .ok()
        .and_then(|t| Decimal::from_str_exact(t.trim_start_matches('+')).ok())
}

/// Appends `d` normalized (as `d.normalize().to_string()`: no trailing zeros, no `-0`).
///
/// ```
/// let mut out = Vec::new();
/// chiso::batch::write_decimal(&mut out, "-0.0500".parse().unwrap());
/// assert_eq!(out, b"-0.05");
/// ```
pub fn write_decimal(out: &mut Vec<u8>, d: Decimal) {
    write_fixed(out, d.mantissa(), d.scale());
}

/// [`write_decimal`] of `m × 10^-scale` (a valid `Decimal`: |m| < 2^96, scale ≤ 28).
fn write_fixed(out: &mut Vec<u8>, m: i128, scale: u32) {
    if m == 0 {
        out.push(b'0');
        return;
    }
    let mut buf = [0u8; 40];
    let mut i = buf.len();
    let mut scale = scale;
    let u = m.unsigned_abs();
    if let Ok(mut v) = u64::try_from(u) {
        while scale > 0 && v % 10 == 0 {
            v /= 10;
            scale -= 1;
        }
        while v >= 100 {
            let r = (v % 100) as usize;
            v /= 100;
            i -= 2;
            buf[i..i + 2].copy_from_slice(&DIGITS2[2 * r..2 * r + 2]);
        }
        if v >= 10 {
            let r = v as usize;
            i -= 2;
            buf[i..i + 2].copy_from_slice(&DIGITS2[2 * r..2 * r + 2]);
        } else {
            i -= 1;
            buf[i] = b'0' + v as u8;
        }
    } else {
        let mut u = u;
        while scale > 0 && u % 10 == 0 {
            u /= 10;
            scale -= 1;
        }
        while u > 0 {
            i -= 1;
            buf[i] = b'0' + (u % 10) as u8;
            u /= 10;
        }
    }
    if m < 0 {
        out.push(b'-');
    }
    let digits = &buf[i..];
    let scale = scale as usize;
    if scale == 0 {
        out.extend_from_slice(digits);
    } else if digits.len() > scale {
        let (int, frac) = digits.split_at(digits.len() - scale);
        out.extend_from_slice(int);
        out.push(b'.');
        out.extend_from_slice(frac);
    } else {
        out.extend_from_slice(b"0.");
        out.resize(out.len() + scale - digits.len(), b'0');
        out.extend_from_slice(digits);
    }
}

const DIGITS2: &[u8; 200] = b"00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899";

fn write_u32(out: &mut Vec<u8>, mut v: u32) {
    let mut buf = [0u8; 10];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

fn write_csv_field(out: &mut Vec<u8>, s: &[u8]) {
    if s.iter().any(|&b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        out.push(b'"');
        for &b in s {
            if b == b'"' {
                out.push(b'"');
            }
            out.push(b);
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(s);
    }
}

/// Splits one spooled CSV row (only text fields may be quoted).
fn split_row(row: &[u8]) -> Vec<String> {
    let mut fields = Vec::new();
    let mut i = 0;
    loop {
        let mut field = Vec::new();
        if row.get(i) == Some(&b'"') {
            i += 1;
            while i < row.len() {
                if row[i] == b'"' {
                    if row.get(i + 1) == Some(&b'"') {
                        field.push(b'"');
                        i += 2;
                        continue;
                    }
                    i += 1;
                    break;
                }
                field.push(row[i]);
                i += 1;
            }
        } else {
            while i < row.len() && row[i] != b',' {
                field.push(row[i]);
                i += 1;
            }
        }
        fields.push(String::from_utf8_lossy(&field).into_owned());
        if i >= row.len() {
            break;
        }
        i += 1; // the comma
    }
    fields
}

// ---------------------------------------------------------------------------
// Cell → value mapping.

/// A leaf's input read from one cell.
#[derive(Debug, Clone, PartialEq)]
pub enum LeafInput {
    /// Empty cell.
    Missing,
    /// `n/a`.
    NotApplicable,
    /// A value for the rule.
    Value(Value),
}

fn number(s: &str, lang: Lang) -> Result<Decimal, String> {
    parse_decimal(s.as_bytes()).ok_or_else(|| match lang {
        Lang::Vi => "không phải là số (dùng dấu chấm thập phân: 0.5)".into(),
        Lang::En => "is not a number (use a decimal point: 0.5)".into(),
    })
}

fn percent_text(s: &str) -> Option<&str> {
    s.strip_suffix('%').map(str::trim_end)
}

fn ratio(s: &str, lang: Lang) -> Option<Result<Value, String>> {
    let (n, d) = s.split_once('/')?;
    Some(number(n.trim(), lang).and_then(|n| {
        number(d.trim(), lang).map(|d| Value::Ratio {
            numerator: n,
            denominator: d,
        })
    }))
}

fn pairs(s: &str, lang: Lang) -> Result<BTreeMap<String, Decimal>, String> {
    let mut map = BTreeMap::new();
    for part in s.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((k, v)) = part.split_once('=') else {
            return Err(match lang {
                Lang::Vi => format!("cần dạng khóa=số;khóa=số (phần '{part}')"),
                Lang::En => format!("expected key=number;key=number (part '{part}')"),
            });
        };
        map.insert(k.trim().to_owned(), number(v.trim(), lang)?);
    }
    Ok(map)
}

fn yes_no(s: &str) -> Option<bool> {
    match s.to_lowercase().as_str() {
        "yes" | "y" | "true" | "1" | "có" | "co" | "x" => Some(true),
        "no" | "n" | "false" | "0" | "không" | "khong" => Some(false),
        _ => None,
    }
}

/// Reads a CSV cell for a leaf scored by `rule` (see the module docs for the mapping).
///
/// ```
/// use chiso::batch::{leaf_input, LeafInput};
/// use chiso::{rule::Rule, Value, Lang};
/// let rule: Rule = serde_json::from_str(r#"{"type":"proportional","zero_denominator":"zero"}"#).unwrap();
/// assert_eq!(leaf_input(&rule, "45/50", Lang::En),
///     Ok(LeafInput::Value(Value::Ratio { numerator: 45.into(), denominator: 50.into() })));
/// assert_eq!(leaf_input(&rule, "", Lang::En), Ok(LeafInput::Missing));
/// ```
pub fn leaf_input(rule: &Rule, cell: &str, lang: Lang) -> Result<LeafInput, String> {
    let s = cell.trim();
    if s.is_empty() {
        return Ok(LeafInput::Missing);
    }
    if s.eq_ignore_ascii_case("n/a") {
        return Ok(LeafInput::NotApplicable);
    }
    let need = |what_vi: &str, what_en: &str| match lang {
        Lang::Vi => format!("không đọc được: cần {what_vi}"),
        Lang::En => format!("cannot be read: expected {what_en}"),
    };
    let v = match rule {
        Rule::Score { .. } => Value::Number(number(s, lang)?),
        Rule::Discretionary { .. } => Value::Points(number(s, lang)?),
        Rule::Survey { .. } => {
            if let Some(p) = percent_text(s) {
                Value::Percent(number(p, lang)?)
            } else if s.contains('=') {
                Value::Answers(pairs(s, lang)?)
            } else {
                Value::Points(number(s, lang)?)
            }
        }
        Rule::Proportional { .. } => {
            if let Some(p) = percent_text(s) {
                Value::Percent(number(p, lang)?)
            } else if let Some(r) = ratio(s, lang) {
                r?
            } else {
                return Err(need(
                    "tử số/mẫu số (45/50) hoặc tỷ lệ phần trăm (90%)",
                    "numerator/denominator (45/50) or a percent (90%)",
                ));
            }
        }
        Rule::Tiers {
            measure: Measure::Percent,
            ..
        } => {
            if let Some(p) = percent_text(s) {
                Value::Percent(number(p, lang)?)
            } else if let Some(r) = ratio(s, lang) {
                r?
            } else {
                Value::Number(number(s, lang)?)
            }
        }
        Rule::Tiers { .. } => Value::Number(number(s, lang)?),
        Rule::YesNo { .. } => {
            Value::YesNo(yes_no(s).ok_or_else(|| need("có/không (yes/no)", "yes/no"))?)
        }
        Rule::Timeliness { .. } | Rule::Levels { .. } => Value::Option(s.to_owned()),
        Rule::Deductions { .. } => Value::Counts(pairs(s, lang)?),
    };
    Ok(LeafInput::Value(v))
}

// ---------------------------------------------------------------------------
// The scorer: a plan for one index and one CSV header.

#[derive(Debug, Clone)]
struct LeafPlan {
    node: usize,
    column: usize,
    /// `score` rule: the number is the points (range-checked against the maximum).
    fast_score: bool,
}

#[derive(Debug, Clone)]
struct AdjPlan {
    code: String,
    column: usize,
    kind: AdjustmentKind,
    cap: Decimal,
}

/// The fields of one input row.
pub trait Fields {
    /// Number of fields.
    fn count(&self) -> usize;
    /// Field `i` (empty when absent).
    fn field(&self, i: usize) -> &[u8];
}

impl Fields for [&[u8]] {
    fn count(&self) -> usize {
        self.len()
    }
    fn field(&self, i: usize) -> &[u8] {
        self.get(i).copied().unwrap_or(b"")
    }
}

impl Fields for Vec<&[u8]> {
    fn count(&self) -> usize {
        self.len()
    }
    fn field(&self, i: usize) -> &[u8] {
        self.get(i).copied().unwrap_or(b"")
    }
}

impl Fields for csv::ByteRecord {
    fn count(&self) -> usize {
        self.len()
    }
    fn field(&self, i: usize) -> &[u8] {
        self.get(i).unwrap_or(b"")
    }
}

/// The scores of one unit (node points are in [`Scorer::cells`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scored {
    /// Total after adjustments (floored at 0), when the unit has one.
    pub total: Option<Decimal>,
    /// Percent of the applicable maximum.
    pub percent: Option<Decimal>,
    /// The applicable maximum (unit types can make it differ between units).
    pub max: Option<Decimal>,
    /// Position of the band in the index's `bands`.
    pub band: Option<usize>,
}

/// Scores CSV rows of one header against one index, reusing its buffers.
///
/// Leaves with a `score` rule are read straight into their cells (range-checked like
/// the rule does); every other rule goes through [`Rule::evaluate`]; parents are
/// formed by [`Index::aggregate`]. The result equals [`Index::score`] ([`View::Final`])
/// on [`Scorer::assessment`] of the same row (tested).
#[derive(Debug, Clone)]
pub struct Scorer<'a> {
    index: &'a Index,
    lang: Lang,
    unit_column: usize,
    block_column: Option<usize>,
    /// The optional `unit_type` column.
    unit_type_column: Option<usize>,
    /// Per declared unit type (the index's order), the nodes it leaves out.
    excluded: Vec<Vec<bool>>,
    leaves: Vec<LeafPlan>,
    adjustments: Vec<AdjPlan>,
    cells: Vec<Cell>,
    width: usize,
    /// Every parent is a plain sum: aggregate without the (unit) weights.
    plain_sums: bool,
    /// Input column of each leaf node (`usize::MAX` for parents).
    column_of: Vec<usize>,
    /// Whether each node's cell was read straight from its text in the last row.
    from_text: Vec<Option<Norm>>,
    /// Applicable maximum of each parent when every leaf has a value (plain sums).
    static_max: Vec<Option<Decimal>>,
    /// Scratch for [`aggregate_fixed`].
    sums: Vec<(i128, u32)>,
    /// Plan of [`Scorer::fast_row`], when the index and the header allow it.
    fast: Option<FastPlan>,
    /// Where each leaf's field lies in the line of the last [`Scorer::fast_row`].
    spans: Vec<(usize, usize)>,
}

/// What an input column holds, for [`Scorer::fast_row`].
#[derive(Debug, Clone, Copy)]
enum Role {
    Unit,
    Block,
    Leaf(usize),
}

/// [`Scorer::fast_row`] needs a plain-sum tree of `score` leaves and no adjustment
/// columns; then a row of plain numbers within range is scored with integers only.
#[derive(Debug, Clone)]
struct FastPlan {
    /// Role of each input column.
    roles: Vec<Role>,
    /// Each leaf's maximum as (mantissa, scale), for integer range checks.
    max: Vec<Option<(u128, u32)>>,
    /// Decimals of the index's leaf rounding: a number with more goes the general way
    /// (which rounds it); fewer are left as they are by any rounding mode.
    round_dp: Option<u32>,
}

impl<'a> Scorer<'a> {
    /// Plans the columns of `header`. Errors: no `unit` column, a leaf without a
    /// column, an unknown or duplicated column.
    pub fn new(index: &'a Index, header: &[&str], lang: Lang) -> Result<Scorer<'a>, Vec<RowError>> {
        let mut errors = Vec::new();
        let mut unit_column = None;
        let mut block_column = None;
        let mut unit_type_column = None;
        let mut by_node: HashMap<usize, usize> = HashMap::new();
        let mut adjustments = Vec::new();
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (c, raw) in header.iter().enumerate() {
            let name = raw.trim();
            if name.is_empty() {
                errors.push(RowError::new(
                    1,
                    None,
                    None,
                    match lang {
                        Lang::Vi => {
                            format!("cột thứ {} không có tên: hãy đặt tên hoặc xóa cột", c + 1)
                        }
                        Lang::En => format!("column {} has no name: name it or delete it", c + 1),
                    },
                ));
                continue;
            }
            if let Some(first) = seen.insert(name, c) {
                // Never a silent choice between the two: name both.
                errors.push(RowError::new(
                    1,
                    Some(name),
                    None,
                    match lang {
                        Lang::Vi => format!(
                            "cột bị trùng: cột thứ {} và cột thứ {} cùng tên; mỗi tiêu chí chỉ được có một cột",
                            first + 1,
                            c + 1
                        ),
                        Lang::En => format!(
                            "duplicate column: columns {} and {} have the same name; give each criterion one column",
                            first + 1,
                            c + 1
                        ),
                    },
                ));
                continue;
            }
            match name {
                "unit" => unit_column = Some(c),
                "block" => block_column = Some(c),
                UNIT_TYPE_COLUMN => unit_type_column = Some(c),
                _ => match index.position(name).filter(|&p| p != 0) {
                    Some(p) if index.nodes()[p].is_leaf() => {
                        by_node.insert(p, c);
                    }
                    Some(_) => errors.push(RowError::new(
                        1,
                        Some(name),
                        None,
                        msg(lang, "là tiêu chí cha: điểm được tính từ các tiêu chí con, không nhập", "is a parent criterion: its points are computed from its children, not entered"),
                    )),
                    None => match index.definition().adjustments.iter().find(|a| a.code == name) {
                        Some(a) => adjustments.push(AdjPlan { code: a.code.clone(), column: c, kind: a.kind, cap: a.cap }),
                        None => errors.push(RowError::new(
                            1,
                            Some(name),
                            None,
                            msg(lang, "không phải mã tiêu chí lá của bộ chỉ số", "is not a leaf code of the index"),
                        )),
                    },
                },
            }
        }
        if unit_column.is_none() {
            errors.push(RowError::new(
                1,
                Some("unit"),
                None,
                msg(
                    lang,
                    "thiếu cột tên đơn vị",
                    "the unit name column is missing",
                ),
            ));
        }
        let mut leaves = Vec::new();
        let mut absent = Vec::new();
        for p in index.leaves() {
            let node = &index.nodes()[p];
            match by_node.get(&p) {
                Some(&column) => leaves.push(LeafPlan {
                    node: p,
                    column,
                    fast_score: matches!(node.rule, Some(Rule::Score { .. })),
                }),
                None => absent.push(node.code.clone()),
            }
        }
        if !absent.is_empty() {
            errors.push(RowError::new(
                1,
                None,
                None,
                match lang {
                    Lang::Vi => format!("thiếu cột cho tiêu chí: {}", absent.join(", ")),
                    Lang::En => format!("no column for criteria: {}", absent.join(", ")),
                },
            ));
        }
        adjustments.sort_by_key(|a: &AdjPlan| {
            index
                .definition()
                .adjustments
                .iter()
                .position(|x| x.code == a.code)
        });
        let mut full = vec![Cell::Missing; index.nodes().len()];
        for p in index.leaves() {
            full[p] = Cell::Value {
                achieved: Decimal::ZERO,
                max: index.nodes()[p].max,
            };
        }
        index.aggregate(&mut full);
        let static_max = full.iter().map(Cell::max).collect();
        let mut column_of = vec![usize::MAX; index.nodes().len()];
        for l in &leaves {
            column_of[l.node] = l.column;
        }
        let plain_sums = index.nodes().iter().all(|n| {
            n.is_leaf()
                || matches!(
                    n.aggregation,
                    Aggregation::Sum {
                        rescale_to_max: false
                    }
                )
        });
        let fast = (plain_sums
            && adjustments.is_empty()
            && !index.has_unverified_maxima()
            && unit_type_column.is_none()
            && leaves.iter().all(|l| l.fast_score))
        .then(|| {
            // Every column is the unit, the block or a leaf (no adjustments; any
            // other column is a header error).
            let mut roles = vec![Role::Unit; header.len()];
            for l in &leaves {
                roles[l.column] = Role::Leaf(l.node);
            }
            if let Some(b) = block_column {
                roles[b] = Role::Block;
            }
            let mut max = vec![None; index.nodes().len()];
            for l in &leaves {
                if let Some(m) = index.nodes()[l.node].max {
                    // A negative maximum never passes the range check: general path.
                    max[l.node] = Some((u128::try_from(m.mantissa()).ok()?, m.scale()));
                }
            }
            let round_dp = index
                .definition()
                .policies
                .leaf_rounding
                .as_ref()
                .filter(|r| r.mode != crate::display::Rounding::Exact)
                .map(|r| r.decimals);
            Some(FastPlan {
                roles,
                max,
                round_dp,
            })
        })
        .flatten();
        match unit_column {
            Some(unit_column) if errors.is_empty() => Ok(Scorer {
                index,
                lang,
                unit_column,
                block_column,
                unit_type_column,
                excluded: index
                    .definition()
                    .unit_types
                    .iter()
                    .map(|t| index.excluded(Some(&t.code)))
                    .collect(),
                leaves,
                adjustments,
                cells: vec![Cell::Missing; index.nodes().len()],
                width: header.len(),
                column_of,
                from_text: vec![None; index.nodes().len()],
                static_max,
                sums: vec![(0, 0); index.nodes().len()],
                plain_sums,
                fast,
                spans: vec![(0, 0); index.nodes().len()],
            }),
            _ => Err(errors),
        }
    }

    /// Scores and records the CSV record (without quotes) that starts at `at` in `text`
    /// when every field is as the common case has it: a plain number within its leaf's
    /// range for every leaf (see [`FastPlan`]); returns where the record ends (its
    /// terminator or the end of `text`). Same text, sums and means as
    /// [`Scorer::score_row`] followed by [`Part::record`] (tested). Returns `None`,
    /// having changed nothing in `part`, for anything else: the caller takes the general
    /// path.
    fn fast_row(&mut self, text: &[u8], at: usize, row: u64, part: &mut Part) -> Option<usize> {
        let plan = self.fast.as_ref()?;
        if part.error_count > 0 || part.widths.is_some() {
            return None;
        }
        let nodes = self.index.nodes();
        let (mut unit, mut block): (&[u8], Option<&[u8]>) = (b"", None);
        let mut column = 0;
        let mut start = at;
        let line_end = loop {
            let role = *plan.roles.get(column)?; // `None`: too many fields
            let end = match role {
                Role::Leaf(node) => {
                    let (x, end) = scan_number(text, start)?;
                    // 0 ≤ x ≤ max, as `m × 10^-s ≤ M × 10^-S` ⇔ `m × 10^S ≤ M × 10^s`.
                    let in_range = !(x.neg && x.mantissa != 0)
                        && match plan.max[node] {
                            None => true,
                            Some((m, ms)) => {
                                let a = u128::from(x.mantissa).checked_mul(pow10_u128(ms)?);
                                let b = m.checked_mul(pow10_u128(x.scale)?);
                                matches!((a, b), (Some(a), Some(b)) if a <= b)
                            }
                        };
                    let rounds = plan.round_dp.is_some_and(|dp| x.scale > dp);
                    if !(in_range && x.within) || rounds {
                        return None;
                    }
                    self.sums[node] = (x.signed(), x.scale);
                    self.from_text[node] = Some(x.norm);
                    self.spans[node] = (start, end);
                    end
                }
                Role::Unit | Role::Block => {
                    let end = text[start..]
                        .iter()
                        .position(|&b| matches!(b, b',' | b'\n' | b'\r'))
                        .map_or(text.len(), |p| start + p);
                    if let Role::Unit = role {
                        unit = &text[start..end];
                    } else {
                        block = Some(&text[start..end]);
                    }
                    end
                }
            };
            column += 1;
            match text.get(end) {
                Some(b',') => start = end + 1,
                Some(b'\n' | b'\r') | None => break end,
                Some(_) => return None, // not a plain number
            }
        };
        let line = text;
        let unit = trim_bytes(unit);
        if column != self.width || unit.is_empty() || !fixed_sums(nodes, &mut self.sums) {
            return None;
        }
        // Every parent must be a valid `Decimal`, as in [`aggregate_fixed`].
        let root = Decimal::try_from_i128_with_scale(self.sums[0].0, self.sums[0].1).ok()?;
        if self
            .sums
            .iter()
            .any(|&(m, s)| Decimal::try_from_i128_with_scale(m, s).is_err())
        {
            return None;
        }
        let scored = finish(
            self.index,
            Cell::Value {
                achieved: root,
                max: self.static_max[0],
            },
            &[],
        );
        // As `Part::record`.
        let block = block.map(trim_bytes);
        part.keys.push(block, unit, row);
        let buf = &mut part.bytes;
        let at = buf.len();
        buf.extend_from_slice(&[0; 4]);
        write_csv_field(buf, unit);
        if let Some(b) = block {
            buf.push(b',');
            write_csv_field(buf, b);
            part.blocks.extend_from_slice(b);
            part.block_ends.push(part.blocks.len());
        }
        for (node, acc) in (1..nodes.len()).zip(part.means.0.iter_mut()) {
            buf.push(b',');
            let (m, scale) = self.sums[node];
            match (nodes[node].children.is_empty(), self.from_text[node]) {
                (true, Some(norm)) => {
                    let (a, b) = self.spans[node];
                    write_norm(buf, &line[a..b], norm);
                }
                _ => write_fixed(buf, m, scale),
            }
            acc.n += 1;
            acc.add_scaled(m, scale);
        }
        let n = nodes.len() - 1;
        for (k, v) in [scored.total, scored.percent].into_iter().enumerate() {
            buf.push(b',');
            if let Some(v) = v {
                write_decimal(buf, v);
                part.means.0[n + k].add(v);
            }
        }
        let len = u32::try_from(buf.len() - at - 4).unwrap_or(u32::MAX);
        buf[at..at + 4].copy_from_slice(&len.to_le_bytes());
        part.totals.push(scored.total);
        part.maxima.push(scored.max);
        part.bands.push(
            scored
                .band
                .and_then(|b| u16::try_from(b).ok())
                .unwrap_or(u16::MAX),
        );
        Some(line_end)
    }

    /// Whether the header has a `block` column.
    pub fn has_blocks(&self) -> bool {
        self.block_column.is_some()
    }

    /// The cells of the last scored row, in [`Index::nodes`] order (root first).
    pub fn cells(&self) -> &[Cell] {
        &self.cells
    }

    /// Scores one row. `row` is its line number (for messages); errors list every bad cell.
    pub fn score_row<F: Fields + ?Sized>(
        &mut self,
        row: u64,
        fields: &F,
    ) -> Result<Scored, Vec<RowError>> {
        let index = self.index;
        let nodes = index.nodes();
        let lang = self.lang;
        let mut errors = Vec::new();
        if fields.count() != self.width {
            errors.push(RowError::new(
                row,
                None,
                None,
                match lang {
                    Lang::Vi => {
                        format!("có {} cột, dòng tiêu đề có {}", fields.count(), self.width)
                    }
                    Lang::En => format!(
                        "has {} fields, the header has {}",
                        fields.count(),
                        self.width
                    ),
                },
            ));
            return Err(errors);
        }
        if fields
            .field(self.unit_column)
            .iter()
            .all(u8::is_ascii_whitespace)
        {
            errors.push(RowError::new(
                row,
                Some("unit"),
                None,
                msg(lang, "tên đơn vị trống", "the unit name is empty"),
            ));
        }
        let unit_type = self.unit_type_of(fields).unwrap_or_else(|(text, m)| {
            errors.push(RowError::new(row, Some(UNIT_TYPE_COLUMN), Some(&text), m));
            None
        });
        let policy = index.definition().policies.missing_value;
        for li in 0..self.leaves.len() {
            let LeafPlan {
                node,
                column,
                fast_score,
            } = self.leaves[li];
            let n = &nodes[node];
            let raw = fields.field(column);
            // Not applicable to the unit's type: no points, no maximum.
            if let Some(k) = unit_type.filter(|&k| self.excluded[k][node]) {
                if let Err(m) = self.excluded_cell(k, raw) {
                    let text = String::from_utf8_lossy(raw);
                    errors.push(RowError::new(row, Some(&n.code), Some(&text), m));
                }
                self.cells[node] = Cell::NotApplicable;
                self.from_text[node] = None;
                continue;
            }
            // Fast path: a plain number for a `score` leaf.
            if fast_score {
                if let Some((x, within, norm)) = parse_number(raw) {
                    let in_range = match n.max {
                        Some(m) => x >= Decimal::ZERO && x <= m,
                        None => true,
                    };
                    // Anything else goes through the rule for its own message.
                    if in_range && within {
                        // The index's leaf rounding; the text is written as read only
                        // when the rounding leaves the value as it is.
                        let achieved = index.round_leaf(x);
                        self.cells[node] = Cell::Value {
                            achieved,
                            max: n.max,
                        };
                        self.from_text[node] = (achieved == x).then_some(norm);
                        continue;
                    }
                }
            }
            self.from_text[node] = None;
            if let Some(Rule::Proportional {
                threshold_percent,
                gate,
                zero_denominator,
                ..
            }) = &n.rule
            {
                if let Some(cell) = fast_proportional(
                    raw,
                    n.max,
                    *threshold_percent,
                    gate.as_ref(),
                    *zero_denominator,
                ) {
                    self.cells[node] = match cell {
                        Cell::Value { achieved, max } => Cell::Value {
                            achieved: index.round_leaf(achieved),
                            max,
                        },
                        other => other,
                    };
                    continue;
                }
            }
            let cell = match self.slow_leaf(node, raw) {
                Ok(c) => c,
                Err(m) => {
                    errors.push(RowError::new(
                        row,
                        Some(&n.code),
                        Some(&String::from_utf8_lossy(raw)),
                        m,
                    ));
                    continue;
                }
            };
            self.cells[node] = match cell {
                None => match policy {
                    MissingValuePolicy::Zero => Cell::Value {
                        achieved: Decimal::ZERO,
                        max: n.max,
                    },
                    MissingValuePolicy::Propagate => Cell::Missing,
                },
                Some(c) => c,
            };
        }
        // Signed adjustment points in the index's order (the engine's order of additions).
        let mut adj: Vec<Decimal> = Vec::new();
        for a in &self.adjustments {
            let raw = fields.field(a.column);
            let s = String::from_utf8_lossy(raw);
            if s.trim().is_empty() {
                continue;
            }
            match number(s.trim(), lang) {
                Ok(p) if !p.is_sign_negative() && p <= a.cap || p.is_zero() => match a.kind {
                    AdjustmentKind::Bonus => adj.push(p),
                    AdjustmentKind::Penalty => adj.push(-p),
                },
                Ok(p) => {
                    let problem = crate::diagnostics::Problem::OutOfRange {
                        value: p,
                        range: format!("0 – {}", crate::display::plain(a.cap, Lang::Vi)),
                    };
                    errors.push(RowError::new(
                        row,
                        Some(&a.code),
                        Some(&s),
                        problem.message(lang),
                    ));
                }
                Err(m) => errors.push(RowError::new(row, Some(&a.code), Some(&s), m)),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let all_from_text = self.leaves.iter().all(|l| self.from_text[l.node].is_some());
        if self.plain_sums
            && all_from_text
            && aggregate_fixed(
                index.nodes(),
                &mut self.cells,
                &self.static_max,
                &mut self.sums,
            )
        {
            // done: integer sums
        } else {
            index.aggregate(&mut self.cells);
        }
        // A parent whose maximum validation could not prove (a child without a known
        // maximum): the row's values can break it, as in `Index::score`.
        let above = index.points_above_declared_max(&self.cells);
        if !above.is_empty() {
            return Err(above
                .0
                .iter()
                .map(|d| RowError::new(row, d.code.as_deref(), None, d.problem.message(lang)))
                .collect());
        }
        Ok(self.finish(&adj))
    }

    /// Total, percent and band from the aggregated cells and the adjustment sum.
    fn finish(&self, adj: &[Decimal]) -> Scored {
        finish(self.index, self.cells[0], adj)
    }

    /// The declared unit type a row names in its `unit_type` cell (its position in the
    /// index's `unit_types`); `None` without the column or with an empty cell. Errors give
    /// the text and the message (an unknown type).
    fn unit_type_of<F: Fields + ?Sized>(
        &self,
        fields: &F,
    ) -> Result<Option<usize>, (String, String)> {
        let Some(c) = self.unit_type_column else {
            return Ok(None);
        };
        let text = String::from_utf8_lossy(fields.field(c));
        let t = text.trim();
        if t.is_empty() {
            return Ok(None);
        }
        let types = &self.index.definition().unit_types;
        match types.iter().position(|x| x.code == t) {
            Some(k) => Ok(Some(k)),
            None => Err((
                t.to_owned(),
                crate::diagnostics::Problem::UnknownUnitType {
                    unit_type: t.to_owned(),
                    allowed: types.iter().map(|x| x.code.clone()).collect(),
                }
                .message(self.lang),
            )),
        }
    }

    /// A cell of a leaf that does not apply to the unit type at `k`: empty or `n/a`;
    /// a value is an error (it would be ignored, and a batch has no warnings).
    fn excluded_cell(&self, k: usize, raw: &[u8]) -> Result<(), String> {
        let text = String::from_utf8_lossy(raw);
        let t = text.trim();
        if t.is_empty() || t.eq_ignore_ascii_case("n/a") {
            return Ok(());
        }
        let code = self
            .index
            .definition()
            .unit_types
            .get(k)
            .map_or("", |x| x.code.as_str());
        Err(match self.lang {
            Lang::Vi => format!(
                "không áp dụng cho loại đơn vị \"{code}\" (bộ chỉ số khai báo): để trống hoặc ghi n/a"
            ),
            Lang::En => format!(
                "does not apply to the unit type \"{code}\" (declared by the index): leave it empty or write n/a"
            ),
        })
    }

    /// `Ok(None)` = missing.
    fn slow_leaf(&self, node: usize, raw: &[u8]) -> Result<Option<Cell>, String> {
        let n = &self.index.nodes()[node];
        let Some(rule) = &n.rule else { return Ok(None) };
        let s = std::str::from_utf8(raw)
            .map_err(|_| msg(self.lang, "không phải UTF-8", "is not valid UTF-8"))?;
        match leaf_input(rule, s, self.lang)? {
            LeafInput::Missing => Ok(None),
            LeafInput::NotApplicable => Ok(Some(Cell::NotApplicable)),
            LeafInput::Value(v) => match rule.evaluate(n.max, &v) {
                Ok(Outcome::Scored { points, .. }) => Ok(Some(Cell::Value {
                    achieved: self.index.round_leaf(points),
                    max: n.max,
                })),
                Ok(Outcome::NotApplicable { .. }) => Ok(Some(Cell::NotApplicable)),
                Err(p) => Err(p.message(self.lang)),
            },
        }
    }

    /// The assessment a row stands for (see the module docs); `Index::score` of it with
    /// [`View::Final`] gives the same points as [`Scorer::score_row`].
    pub fn assessment<F: Fields + ?Sized>(&self, fields: &F) -> Result<Assessment, String> {
        let index = self.index;
        let text_of = |c: usize| String::from_utf8_lossy(fields.field(c)).trim().to_owned();
        let mut a = Assessment {
            format: crate::assessment::ASSESSMENT_FORMAT.into(),
            index: index.definition().id.clone(),
            unit: Unit {
                name: text_of(self.unit_column),
                id: None,
                block: self.block_column.map(text_of).filter(|b| !b.is_empty()),
            },
            ..Default::default()
        };
        let unit_type = self.unit_type_of(fields).map_err(|(_, m)| m)?;
        a.unit_type = unit_type
            .and_then(|k| index.definition().unit_types.get(k))
            .map(|t| t.code.clone());
        for l in &self.leaves {
            let n = &index.nodes()[l.node];
            let Some(rule) = &n.rule else { continue };
            if let Some(k) = unit_type.filter(|&k| self.excluded[k][l.node]) {
                self.excluded_cell(k, fields.field(l.column))?;
                continue;
            }
            let entry = match leaf_input(rule, &text_of(l.column), self.lang)? {
                LeafInput::Missing => continue,
                LeafInput::NotApplicable => Entry {
                    not_applicable: Some(NotApplicable::default()),
                    ..Default::default()
                },
                LeafInput::Value(v) => final_entry(n.channel, v),
            };
            a.entries.insert(n.code.clone(), entry);
        }
        for adj in &self.adjustments {
            let s = text_of(adj.column);
            if !s.is_empty() {
                let p = number(&s, self.lang)?;
                a.adjustments.insert(
                    adj.code.clone(),
                    final_entry(Channel::Appraised, Value::Points(p)),
                );
            }
        }
        Ok(a)
    }
}

/// [`Rule::evaluate`] of a `proportional` rule on `num/den` or `p%` text, for the
/// valid cases only and without the explanation text; `None` sends the cell to the
/// general path (empty cells, `n/a`, and every error, so messages stay the rule's own).
/// The arithmetic is the rule's, in the same order (tested equal).
fn fast_proportional(
    raw: &[u8],
    max: Option<Decimal>,
    threshold: Option<Decimal>,
    gate: Option<&crate::interval::Bound>,
    zero: crate::rule::ZeroDenominator,
) -> Option<Cell> {
    let m = max?;
    let raw = trim_bytes(raw);
    let limit = crate::rule::INPUT_LIMIT;
    let hundred = Decimal::ONE_HUNDRED;
    // The share as an exact fraction (n, d), as the rule forms it; anything unusual
    // (negative, beyond the input limit, n > d, invalid zero denominator) goes the slow
    // way so the message is the rule's own.
    let share = if let Some(p) = raw.iter().position(|&b| b == b'/') {
        let n = parse_decimal(trim_bytes(&raw[..p]))?;
        let d = parse_decimal(trim_bytes(&raw[p + 1..]))?;
        if n.is_sign_negative() && !n.is_zero()
            || d.is_sign_negative() && !d.is_zero()
            || n.abs() > limit
            || d.abs() > limit
        {
            return None;
        }
        if d.is_zero() {
            return match zero.points(m).ok()? {
                Some(points) => Some(Cell::Value {
                    achieved: points,
                    max,
                }),
                None => Some(Cell::NotApplicable),
            };
        }
        if n > d {
            return None;
        }
        (n, d)
    } else {
        let p = parse_decimal(trim_bytes(raw.strip_suffix(b"%")?))?;
        if p < Decimal::ZERO || p > hundred {
            return None;
        }
        (p, hundred)
    };
    let achieved = crate::rule::proportional_points(m, share, threshold, gate.copied());
    Some(Cell::Value { achieved, max })
}

/// [`Index::aggregate`] on plain-sum trees when every leaf has a value: the sums in integers (each node at the
/// largest scale of its children, as `Decimal` addition keeps it), giving the same
/// values with the same scales. Returns `false` (cells untouched above the leaves) if
/// a sum would not fit, so the caller falls back to `Decimal` arithmetic.
fn aggregate_fixed(
    nodes: &[crate::engine::FlatNode],
    cells: &mut [Cell],
    static_max: &[Option<Decimal>],
    sums: &mut Vec<(i128, u32)>,
) -> bool {
    sums.resize(nodes.len(), (0, 0));
    for (i, n) in nodes.iter().enumerate() {
        if n.children.is_empty() {
            match cells[i] {
                Cell::Value { achieved, .. } => sums[i] = (achieved.mantissa(), achieved.scale()),
                _ => return false,
            }
        }
    }
    if !fixed_sums(nodes, sums) {
        return false;
    }
    for i in 0..nodes.len() {
        if nodes[i].children.is_empty() {
            continue;
        }
        let (m, s) = sums[i];
        match Decimal::try_from_i128_with_scale(m, s) {
            Ok(d) => {
                cells[i] = Cell::Value {
                    achieved: d,
                    max: static_max[i],
                }
            }
            Err(_) => return false,
        }
    }
    true
}

/// The parents' sums from the leaves' `(mantissa, scale)` in `sums`: each parent at the
/// largest scale of its children (as `Decimal` addition keeps it). `false` on overflow.
fn fixed_sums(nodes: &[crate::engine::FlatNode], sums: &mut [(i128, u32)]) -> bool {
    for i in (0..nodes.len()).rev() {
        let n = &nodes[i];
        if n.children.is_empty() {
            continue;
        }
        let scale = n.children.iter().map(|&c| sums[c].1).max().unwrap_or(0);
        let mut total: i128 = 0;
        for &c in &n.children {
            let (m, s) = sums[c];
            let Some(v) = (if s == scale {
                Some(m)
            } else {
                pow10(scale - s).and_then(|p| m.checked_mul(p))
            }) else {
                return false;
            };
            let Some(t) = total.checked_add(v) else {
                return false;
            };
            total = t;
        }
        sums[i] = (total, scale);
    }
    true
}

fn final_entry(channel: Channel, v: Value) -> Entry {
    match channel {
        Channel::Survey => Entry {
            survey: Some(LayerEntry::new(v)),
            ..Default::default()
        },
        Channel::Appraised => Entry {
            appraisal_2: Some(LayerEntry::new(v)),
            ..Default::default()
        },
    }
}

fn finish(index: &Index, root: Cell, adj: &[Decimal]) -> Scored {
    let total = root
        .achieved()
        .map(|t| adj.iter().fold(t, |t, a| t + a).max(Decimal::ZERO));
    let max = root.max();
    let percent = total.and_then(|x| crate::ranking::percent_of(x, max));
    let band = percent.and_then(|p| {
        index
            .definition()
            .bands
            .iter()
            .position(|b| b.range.contains(p))
    });
    Scored {
        total,
        percent,
        max,
        band,
    }
}

fn msg(lang: Lang, vi: &str, en: &str) -> String {
    match lang {
        Lang::Vi => vi.to_owned(),
        Lang::En => en.to_owned(),
    }
}

// ---------------------------------------------------------------------------
// The batch run.

fn pow10(e: u32) -> Option<i128> {
    10i128.checked_pow(e)
}

/// 10^e for e ≤ 38, from a table.
fn pow10_u128(e: u32) -> Option<u128> {
    const P: [u128; 39] = {
        let mut p = [1u128; 39];
        let mut i = 1;
        while i < 39 {
            p[i] = p[i - 1] * 10;
            i += 1;
        }
        p
    };
    P.get(e as usize).copied()
}

/// The scored rows of one chunk of input: spooled text and ranking keys.
#[derive(Debug)]
struct Part {
    bytes: Vec<u8>,
    totals: Vec<Option<Decimal>>,
    /// Each unit's applicable maximum.
    maxima: Vec<Option<Decimal>>,
    bands: Vec<u16>,
    blocks: Vec<u8>,
    block_ends: Vec<usize>,
    means: Means,
    widths: Option<Vec<usize>>,
    errors: Vec<RowError>,
    error_count: usize,
    /// The units, for the duplicate check.
    keys: dup::Keys,
}

impl Part {
    fn new(columns: usize, widths: Option<&Vec<usize>>) -> Part {
        Part {
            bytes: Vec::new(),
            totals: Vec::new(),
            maxima: Vec::new(),
            bands: Vec::new(),
            blocks: Vec::new(),
            block_ends: Vec::new(),
            means: Means::new(columns),
            widths: widths.cloned(),
            errors: Vec::new(),
            error_count: 0,
            keys: dup::Keys::default(),
        }
    }

    fn fail(&mut self, errs: Vec<RowError>, max: usize) {
        self.error_count += errs.len();
        for e in errs {
            if self.errors.len() < max {
                self.errors.push(e);
            }
        }
    }

    /// Formats one scored unit (length-prefixed CSV text) and keeps its ranking key.
    fn record<'t>(
        &mut self,
        line: u64,
        unit: &[u8],
        block: Option<&[u8]>,
        cells: &[Cell],
        s: Scored,
        text_of: impl Fn(usize) -> Option<(&'t [u8], Norm)>,
    ) {
        if self.error_count > 0 {
            return; // nothing will be written; keep validating
        }
        self.keys.push(block, unit, line);
        let buf = &mut self.bytes;
        let start = buf.len();
        buf.extend_from_slice(&[0; 4]);
        write_csv_field(buf, unit);
        let mut ends = self.widths.as_ref().map(|_| vec![buf.len()]);
        if let Some(b) = block {
            buf.push(b',');
            write_csv_field(buf, b);
            if let Some(f) = ends.as_mut() {
                f.push(buf.len());
            }
            self.blocks.extend_from_slice(b);
            self.block_ends.push(self.blocks.len());
        }
        let n = cells.len() - 1;
        let extra = [s.total, s.percent];
        for (i, v) in cells
            .iter()
            .skip(1)
            .map(Cell::achieved)
            .chain(extra)
            .enumerate()
        {
            buf.push(b',');
            if let Some(v) = v {
                match text_of(i + 1) {
                    Some((t, norm)) => write_norm(buf, t, norm),
                    None => write_decimal(buf, v),
                }
                self.means.0[i].add(v);
            }
            if let Some(f) = ends.as_mut() {
                f.push(buf.len());
            }
        }
        debug_assert_eq!(self.means.0.len(), n + 2);
        let len = (buf.len() - start - 4) as u32;
        buf[start..start + 4].copy_from_slice(&len.to_le_bytes());
        if let (Some(w), Some(ends)) = (self.widths.as_mut(), ends) {
            // Text fields are measured in characters; numbers are ASCII.
            let mut prev = start + 4;
            for (k, end) in ends.into_iter().enumerate() {
                let len = match (k, block) {
                    (0, _) => String::from_utf8_lossy(unit).chars().count(),
                    (1, Some(b)) => String::from_utf8_lossy(b).chars().count(),
                    _ => end - prev - 1,
                };
                w[k] = w[k].max(len);
                prev = end;
            }
        }
        self.totals.push(s.total);
        self.maxima.push(s.max);
        self.bands.push(
            s.band
                .and_then(|b| u16::try_from(b).ok())
                .unwrap_or(u16::MAX),
        );
    }
}

/// State of pass 1: the spool and what ranking needs.
struct Pass1<S: Write> {
    spool: BufWriter<S>,
    totals: Vec<Option<Decimal>>,
    /// Each unit's applicable maximum, as a position in `maxima` (few distinct values).
    max_ids: Vec<u32>,
    maxima: Vec<Option<Decimal>>,
    max_positions: HashMap<Option<Decimal>, u32>,
    blocks: Vec<u32>,
    bands: Vec<u16>,
    block_ids: HashMap<Vec<u8>, u32>,
    has_blocks: bool,
    means: Means,
    widths: Option<Vec<usize>>,
    errors: Vec<RowError>,
    error_count: usize,
    max_errors: usize,
    /// The units, for the duplicate check.
    keys: dup::Keys,
}

impl<S: Write> Pass1<S> {
    /// An empty pass 1 over an index of `nodes` nodes, writing to `spool`.
    fn new(spool: BufWriter<S>, nodes: usize, max_errors: usize) -> Self {
        Pass1 {
            spool,
            totals: Vec::new(),
            max_ids: Vec::new(),
            maxima: Vec::new(),
            max_positions: HashMap::new(),
            blocks: Vec::new(),
            bands: Vec::new(),
            block_ids: HashMap::new(),
            has_blocks: false,
            means: Means::new(nodes + 1),
            widths: None,
            errors: Vec::new(),
            error_count: 0,
            max_errors,
            keys: dup::Keys::default(),
        }
    }

    fn fail(&mut self, errs: Vec<RowError>) {
        self.error_count += errs.len();
        for e in errs {
            if self.errors.len() < self.max_errors {
                self.errors.push(e);
            }
        }
    }

    /// Takes in a scored chunk, in input order.
    fn merge(&mut self, part: Part) -> io::Result<()> {
        let Part {
            bytes,
            totals,
            maxima,
            bands,
            blocks,
            block_ends,
            means,
            widths,
            errors,
            error_count,
            keys,
        } = part;
        if error_count > 0 {
            self.error_count += error_count;
            for e in errors {
                if self.errors.len() < self.max_errors {
                    self.errors.push(e);
                }
            }
        }
        if self.error_count > 0 {
            return Ok(());
        }
        self.spool.write_all(&bytes)?;
        self.keys.append(keys);
        self.totals.extend_from_slice(&totals);
        for m in maxima {
            // Consecutive units nearly always share a maximum: no lookup then.
            let id = match self.max_ids.last() {
                Some(&last) if self.maxima.get(last as usize) == Some(&m) => last,
                _ => {
                    let next = u32::try_from(self.maxima.len()).unwrap_or(u32::MAX);
                    *self.max_positions.entry(m).or_insert_with(|| {
                        self.maxima.push(m);
                        next
                    })
                }
            };
            self.max_ids.push(id);
        }
        self.bands.extend_from_slice(&bands);
        if self.has_blocks {
            let mut start = 0;
            for end in block_ends {
                let b = &blocks[start..end];
                let id = match self.block_ids.get(b) {
                    Some(&id) => id,
                    None => {
                        let id = u32::try_from(self.block_ids.len()).unwrap_or(u32::MAX);
                        self.block_ids.insert(b.to_vec(), id);
                        id
                    }
                };
                self.blocks.push(id);
                start = end;
            }
        } else {
            self.blocks.resize(self.totals.len(), 0);
        }
        self.means.merge(&means);
        if let (Some(w), Some(o)) = (self.widths.as_mut(), widths) {
            for (a, b) in w.iter_mut().zip(o) {
                *a = (*a).max(b);
            }
        }
        Ok(())
    }
}

/// Number of scoring threads used by default (the machine's parallelism, at most 4).
pub fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(4))
}

/// Scores every unit of `input`, then writes them with ranks to `out`.
///
/// `spool` holds the formatted rows between the two passes (a temporary file, or a
/// `Cursor<Vec<u8>>` in memory). On an input error nothing is written to `out`.
///
/// ```
/// use chiso::batch::{run, InputFormat, Options};
/// let index = chiso::Index::from_json(r#"{"format":"chiso.index/1","id":"t","title":{"vi":"T"},
///   "version":"1","legal_basis":[],"unit_levels":["province"],"years":{"from":2024},
///   "completeness":"example","nodes":[{"code":"A","title":{"vi":"A"},"rule":{"type":"score"}}]}"#).unwrap();
/// let mut out = Vec::new();
/// run(&index, &b"unit,A\nX,1.50\nY,2\nZ,1.5\n"[..], InputFormat::Csv,
///     std::io::Cursor::new(Vec::new()), &mut out, &Options::default()).unwrap();
/// assert_eq!(String::from_utf8(out).unwrap(),
///   "unit,A,total,percent,rank,band\nX,1.5,1.5,,2,\nY,2,2,,1,\nZ,1.5,1.5,,2,\n__mean__,1.6666666666666666666666666667,1.6666666666666666666666666667,,,\n");
/// ```
pub fn run<R: Read, S: Read + Write + Seek + Send, W: Write>(
    index: &Index,
    input: R,
    format: InputFormat,
    spool: S,
    out: W,
    opts: &Options,
) -> Result<Summary, BatchError> {
    let n = index.nodes().len();
    // Small buffer: whole chunks (~0.5 MB) go straight to the spool.
    let mut p = Pass1::new(BufWriter::with_capacity(1 << 16, spool), n, opts.max_errors);
    match format {
        InputFormat::Csv => pass1_csv(index, input, &mut p, opts)?,
        InputFormat::JsonLines => pass1_jsonl(index, input, &mut p, opts)?,
    }
    if p.error_count > 0 {
        p.errors.sort_by_key(|e| e.row);
        return Err(BatchError::Input {
            source: opts.source.clone(),
            errors: p.errors,
            total: p.error_count,
            lang: opts.lang,
        });
    }
    let policy = opts.tie_policy.unwrap_or(index.definition().tie_policy);
    // Within a block, units of different applicable maxima are ranked on percent.
    let max_of = |i: usize| {
        let id = p.max_ids.get(i).map_or(0, |&k| k as usize);
        p.maxima.get(id).copied().flatten()
    };
    let scaled = crate::ranking::rank_on_scales(&p.totals, &max_of, &p.blocks, policy);
    let ranks = scaled.ranks;
    let units = p.totals.len() as u64;
    drop(p.totals);
    drop(p.blocks);
    drop(p.max_ids);
    let mut spool = p.spool.into_inner().map_err(|e| e.into_error())?;
    spool.seek(SeekFrom::Start(0))?;
    // Units that repeat an earlier row: warnings (the names are read back from the
    // spool only when hashes repeat).
    let (warnings, warning_count) = {
        let column = (format == InputFormat::Csv).then_some("unit");
        let mut r = BufReader::with_capacity(1 << 16, &mut spool);
        p.keys
            .duplicates(&mut r, p.has_blocks, column, opts.lang, opts.max_errors)?
    };
    drop(p.keys);
    spool.seek(SeekFrom::Start(0))?;
    let summary = Summary {
        units,
        ranked: ranks.iter().filter(|r| r.is_some()).count() as u64,
        blocks: p.block_ids.len().max(1),
        percent_blocks: scaled.percent_blocks.len(),
        warnings,
        warning_count,
    };
    let mut w = Writer {
        index,
        out: BufWriter::with_capacity(1 << 20, out),
        has_blocks: p.has_blocks,
        policy,
    };
    let mean_row = opts.mean.then(|| mean_fields(&p.means, n + 1));
    match opts.output {
        OutputFormat::Csv => w.csv(spool, &ranks, &p.bands, mean_row.as_deref())?,
        OutputFormat::Json => {
            let spool = BufReader::with_capacity(1 << 20, spool);
            w.json(spool, &ranks, &p.bands, mean_row.as_deref(), &summary)?
        }
        OutputFormat::Table => {
            let widths = p.widths.unwrap_or_default();
            let spool = BufReader::with_capacity(1 << 20, spool);
            w.table(spool, &ranks, &p.bands, mean_row.as_deref(), widths)?
        }
    }
    w.out.flush()?;
    Ok(summary)
}

/// Formatted means: node columns, total, percent (empty = no value).
fn mean_fields(m: &Means, count: usize) -> Vec<String> {
    (0..count)
        .map(|i| {
            let mut b = Vec::new();
            if let Some(v) = m.mean(i) {
                write_decimal(&mut b, v);
            }
            String::from_utf8_lossy(&b).into_owned()
        })
        .collect()
}

const CHUNK: usize = 512;

/// The CSV input is cut into blocks of about this many bytes, at record boundaries;
/// the scoring threads split the records into fields.
const BLOCK: usize = 1 << 17;

/// Cuts a CSV stream into blocks of whole records, so that the records can be split
/// on the scoring threads. A block starts where a record starts; its `line` is the
/// line number the `csv` crate gives the block's first record (1 + the `\n`s
/// before it, blank lines counting for the next record).
struct Blocks<R> {
    input: R,
    /// Bytes read past the last cut.
    carry: Vec<u8>,
    /// Line of the next block.
    line: u64,
    eof: bool,
}

impl<R: Read> Blocks<R> {
    fn new(input: R) -> Self {
        Blocks {
            input,
            carry: Vec::new(),
            line: 1,
            eof: false,
        }
    }

    /// Appends up to `want` bytes of input to `out`; sets `eof` at the end.
    fn read_more(&mut self, out: &mut Vec<u8>, want: usize) -> io::Result<()> {
        self.eof = read_some(&mut self.input, out, want)? == 0;
        Ok(())
    }

    /// The header record (and the blank lines before it) into `out`; all of the input
    /// if it has no other record. Refused, before more is read, past
    /// [`crate::limits::MAX_BATCH_HEADER_BYTES`] or [`crate::limits::MAX_BATCH_COLUMNS`].
    fn header(&mut self, out: &mut Vec<u8>) -> Result<(), ReadError> {
        use crate::limits::{MAX_BATCH_COLUMNS, MAX_BATCH_HEADER_BYTES};
        out.clear();
        // What the file is: UTF-8 text (its byte order mark dropped), or named.
        self.read_more(out, 1 << 16)?;
        let mut head = &out[..out.len().min(4096)];
        if let Err(e) = std::str::from_utf8(head) {
            if e.error_len().is_none() {
                head = &head[..e.valid_up_to()]; // a character cut at the end
            }
        }
        if let Err(found) = crate::json::decode(head) {
            return Err(ReadError::NotText(found));
        }
        if out.starts_with(b"\xEF\xBB\xBF") {
            out.drain(..3);
        }
        let mut scan = cut::Scan::new();
        loop {
            // Blank lines before the header: dropped, their line breaks counted.
            let lead = out
                .iter()
                .position(|&b| b != b'\n' && b != b'\r')
                .unwrap_or(out.len());
            if lead > 0 {
                self.line += out[..lead].iter().filter(|&&b| b == b'\n').count() as u64;
                out.drain(..lead);
                scan = cut::Scan::new();
            }
            scan.advance(out, true);
            if scan.first_commas >= MAX_BATCH_COLUMNS {
                return Err(ReadError::TooLong {
                    line: 1,
                    field: None,
                    what: TooLong::Columns,
                });
            }
            let cut = scan.cut;
            if cut.is_some() || self.eof {
                let c = cut.unwrap_or(out.len());
                if c > MAX_BATCH_HEADER_BYTES {
                    return Err(ReadError::TooLong {
                        line: 1,
                        field: None,
                        what: TooLong::Header,
                    });
                }
                self.carry.extend_from_slice(&out[c..]);
                out.truncate(c);
                self.line += out.iter().filter(|&&b| b == b'\n').count() as u64;
                return Ok(());
            }
            if out.len() > MAX_BATCH_HEADER_BYTES {
                return Err(ReadError::TooLong {
                    line: 1,
                    field: None,
                    what: TooLong::Header,
                });
            }
            self.read_more(out, 1 << 16)?;
        }
    }

    /// The next block of at least `size` bytes (all the rest at the end of the input)
    /// into `out`, with its line; `None` at the end. Each byte is scanned once
    /// ([`cut::Scan`]); a record still open past [`crate::limits::MAX_BATCH_CELL_BYTES`]
    /// in one cell, or [`crate::limits::MAX_BATCH_RECORD_BYTES`] in all, is refused
    /// before more of it is read.
    fn next(&mut self, out: &mut Vec<u8>, size: usize) -> Result<Option<BlockLine>, ReadError> {
        use crate::limits::{MAX_BATCH_CELL_BYTES, MAX_BATCH_RECORD_BYTES};
        out.clear();
        out.append(&mut self.carry);
        let mut scan = cut::Scan::new();
        let mut target = size;
        let mut skipped = 0u64;
        loop {
            while !self.eof && out.len() < target {
                self.read_more(out, target - out.len())?;
            }
            if out.is_empty() {
                return Ok(None);
            }
            // Blank lines before the block's first record belong to no record: dropped
            // (their line breaks counted), so a long run of them costs no memory.
            let lead = out
                .iter()
                .position(|&b| b != b'\n' && b != b'\r')
                .unwrap_or(out.len());
            if lead > 0 {
                skipped += out[..lead].iter().filter(|&&b| b == b'\n').count() as u64;
                out.drain(..lead);
                if out.is_empty() {
                    if self.eof {
                        return Ok(None);
                    }
                    target = size;
                    continue;
                }
            }
            scan.advance(out, false);
            let cut = if self.eof { Some(out.len()) } else { scan.cut };
            match cut {
                Some(c) => {
                    self.carry.extend_from_slice(&out[c..]);
                    out.truncate(c);
                    let line = self.line;
                    self.line += skipped + out.iter().filter(|&&b| b == b'\n').count() as u64;
                    return Ok(Some(BlockLine { line, skipped }));
                }
                // No record ends in the block yet: read on, within the limits.
                None => {
                    let what = if out.len() - scan.field > MAX_BATCH_CELL_BYTES {
                        TooLong::Cell
                    } else if out.len() > MAX_BATCH_RECORD_BYTES {
                        TooLong::Record
                    } else {
                        target = out.len() + size;
                        continue;
                    };
                    // A cell is located by its column; a row too long in all, by its row.
                    let field = (what == TooLong::Cell).then(|| cut::field_index(out, scan.field));
                    return Err(ReadError::TooLong {
                        line: self.line,
                        field,
                        what,
                    });
                }
            }
        }
    }
}

/// Where a block's records are in the file: its first record is numbered `line` (as the
/// `csv` crate numbers it: the line after the previous record); the `skipped` line breaks
/// of blank lines dropped before it count for the block's later records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct BlockLine {
    line: u64,
    skipped: u64,
}

impl BlockLine {
    /// The line of the `k`-th record of the block, which the `csv` crate reads at line
    /// `pos` (1-based) of the block.
    fn of(self, k: usize, pos: u64) -> u64 {
        let skipped = if k == 0 { 0 } else { self.skipped };
        self.line - 1 + pos + skipped
    }
}

/// What a CSV input holds that is longer than its limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TooLong {
    /// The header row ([`crate::limits::MAX_BATCH_HEADER_BYTES`]).
    Header,
    /// The header's columns ([`crate::limits::MAX_BATCH_COLUMNS`]).
    Columns,
    /// One cell ([`crate::limits::MAX_BATCH_CELL_BYTES`]).
    Cell,
    /// One record ([`crate::limits::MAX_BATCH_RECORD_BYTES`]).
    Record,
}

/// Why the CSV reader stopped.
#[derive(Debug)]
enum ReadError {
    /// Reading failed.
    Io(io::Error),
    /// The input is not UTF-8 text (what it looks like, "english / tiếng Việt").
    NotText(String),
    /// A limit was reached at `line`, in the field at position `field` when known.
    TooLong {
        line: u64,
        field: Option<usize>,
        what: TooLong,
    },
}

impl From<io::Error> for ReadError {
    fn from(e: io::Error) -> Self {
        ReadError::Io(e)
    }
}

impl ReadError {
    /// The located error (the column named from `header` when known), or the I/O error.
    fn into_row_error(self, header: &[String], lang: Lang) -> Result<RowError, io::Error> {
        use crate::limits::{
            MAX_BATCH_CELL_BYTES, MAX_BATCH_COLUMNS, MAX_BATCH_HEADER_BYTES, MAX_BATCH_RECORD_BYTES,
        };
        let (line, field, what) = match self {
            ReadError::Io(e) => return Err(e),
            ReadError::NotText(found) => {
                let problem = crate::diagnostics::Problem::NotUtf8 { found };
                return Ok(RowError::new(0, None, None, problem.message(lang)));
            }
            ReadError::TooLong { line, field, what } => (line, field, what),
        };
        let (what, limit, unit) = match what {
            TooLong::Header => (
                "header row length / độ dài dòng tiêu đề",
                MAX_BATCH_HEADER_BYTES,
                "bytes / byte",
            ),
            TooLong::Columns => ("number of columns / số cột", MAX_BATCH_COLUMNS, ""),
            TooLong::Cell => (
                "length of one cell / độ dài một ô",
                MAX_BATCH_CELL_BYTES,
                "bytes / byte",
            ),
            TooLong::Record => (
                "length of one row / độ dài một dòng",
                MAX_BATCH_RECORD_BYTES,
                "bytes / byte",
            ),
        };
        let column = field.map(|k| match header.get(k) {
            Some(name) => name.trim().to_owned(),
            None => match lang {
                Lang::Vi => format!("thứ {}", k + 1),
                Lang::En => format!("#{}", k + 1),
            },
        });
        let problem = crate::diagnostics::Problem::LimitExceeded {
            what: what.into(),
            limit: limit as u64,
            found: None,
            unit: unit.into(),
        };
        Ok(RowError::new(
            line,
            column.as_deref(),
            None,
            problem.message(lang),
        ))
    }
}

/// Scores the records of one block (see [`Blocks`]). Without quotes, a record is a
/// run of bytes other than `\r` and `\n`, split at commas here ([`Scorer::fast_row`]
/// first); a block with a quote is read by the `csv` crate.
fn score_block(
    scorer: &mut Scorer<'_>,
    block: &[u8],
    at_line: BlockLine,
    part: &mut Part,
    max_errors: usize,
) {
    let line = at_line.line;
    // The rows take about 4/3 of their input (PAPI: 348 B per 262 B): no regrowth.
    part.bytes.reserve(block.len() + block.len() / 2);
    if block.contains(&b'"') {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(block);
        let mut rec = csv::ByteRecord::new();
        let mut k = 0;
        loop {
            match rdr.read_byte_record(&mut rec) {
                Ok(true) => {
                    let at = at_line.of(k, rec.position().map_or(1, csv::Position::line));
                    k += 1;
                    score_one(scorer, at, &rec, part, max_errors);
                }
                Ok(false) => break,
                Err(e) => {
                    let at = at_line.of(k, e.position().map_or(1, csv::Position::line));
                    part.fail(
                        vec![RowError::new(at, None, None, e.to_string())],
                        max_errors,
                    );
                    break;
                }
            }
        }
        return;
    }
    // Line numbers as the `csv` crate gives them: a record is reported at the line
    // where reading it began, i.e. just after the first terminator byte of the previous
    // record (so blank lines before a record, and the `\n` of a `\r\n`, come after).
    let mut at = line; // line of the next record
    let mut newlines = line + at_line.skipped; // 1 + the `\n`s so far
    let mut fields: Vec<&[u8]> = Vec::new();
    let mut i = 0;
    while i < block.len() {
        match block[i] {
            b'\n' => {
                newlines += 1;
                i += 1;
                continue;
            }
            b'\r' => {
                i += 1;
                continue;
            }
            _ => {}
        }
        let end = match scorer.fast_row(block, i, at, part) {
            Some(end) => end,
            None => {
                let end = block[i..]
                    .iter()
                    .position(|&b| b == b'\n' || b == b'\r')
                    .map_or(block.len(), |p| i + p);
                fields.clear();
                fields.extend(block[i..end].split(|&b| b == b','));
                score_one(scorer, at, &fields, part, max_errors);
                end
            }
        };
        // The record's first terminator byte is read with it.
        if block.get(end) == Some(&b'\n') {
            newlines += 1;
        }
        at = newlines;
        i = end + 1;
    }
}

/// Scores one record (general path) into `part`.
fn score_one<F: Fields + ?Sized>(
    scorer: &mut Scorer<'_>,
    line: u64,
    rec: &F,
    part: &mut Part,
    max_errors: usize,
) {
    match scorer.score_row(line, rec) {
        Ok(s) => {
            let unit = trim_bytes(rec.field(scorer.unit_column));
            let block = scorer.block_column.map(|c| trim_bytes(rec.field(c)));
            let text_of = |node: usize| {
                let norm = scorer.from_text.get(node).copied().flatten()?;
                Some((rec.field(scorer.column_of[node]), norm))
            };
            part.record(line, unit, block, scorer.cells(), s, text_of);
        }
        Err(e) => part.fail(e, max_errors),
    }
}

fn pass1_csv<R: Read, S: Write>(
    index: &Index,
    input: R,
    p: &mut Pass1<S>,
    opts: &Options,
) -> Result<(), BatchError> {
    pass1_csv_blocks(index, input, p, opts, BLOCK)
}

/// [`pass1_csv`] with blocks of `block_size` bytes (small in tests, to cut everywhere).
fn pass1_csv_blocks<R: Read, S: Write>(
    index: &Index,
    input: R,
    p: &mut Pass1<S>,
    opts: &Options,
    block_size: usize,
) -> Result<(), BatchError> {
    let mut blocks = Blocks::new(input);
    let (scorer, names) = match csv_header(index, &mut blocks, opts.lang)? {
        Ok(x) => x,
        Err(e) => {
            p.fail(e);
            return Ok(());
        }
    };
    p.has_blocks = scorer.has_blocks();
    if opts.output == OutputFormat::Table {
        p.widths = Some(initial_widths(index, p.has_blocks));
    }
    let columns = index.nodes().len() + 1;
    let max_errors = opts.max_errors;
    let threads = crate::limits::threads(opts.threads);
    if threads == 1 {
        let mut scorer = scorer;
        let mut block = Vec::new();
        loop {
            let line = match blocks.next(&mut block, block_size) {
                Ok(Some(line)) => line,
                Ok(None) => return Ok(()),
                Err(e) => {
                    p.fail(vec![e.into_row_error(&names, opts.lang)?]);
                    return Ok(());
                }
            };
            let mut part = Part::new(columns, p.widths.as_ref());
            score_block(&mut scorer, &block, line, &mut part, max_errors);
            p.merge(part)?;
        }
    }
    // Ordered pipeline: this thread cuts the input into blocks and spools; block k is
    // scored by worker k mod threads, and results are taken back in the same
    // round-robin order.
    type Job = (Vec<u8>, BlockLine);
    type Done = (Vec<u8>, Part);
    let widths = p.widths.clone();
    std::thread::scope(|sc| -> Result<(), BatchError> {
        let mut to_workers = Vec::new();
        let mut from_workers = Vec::new();
        for _ in 0..threads {
            let (tx, rx) = std::sync::mpsc::sync_channel::<Job>(2);
            let (rtx, rrx) = std::sync::mpsc::sync_channel::<Done>(2);
            let mut scorer = scorer.clone();
            let widths = widths.clone();
            sc.spawn(move || {
                for (block, line) in rx {
                    let mut part = Part::new(columns, widths.as_ref());
                    score_block(&mut scorer, &block, line, &mut part, max_errors);
                    if rtx.send((block, part)).is_err() {
                        break;
                    }
                }
            });
            to_workers.push(tx);
            from_workers.push(rrx);
        }
        let gone = || BatchError::Io(io::Error::other("a scoring thread stopped"));
        let (mut sent, mut received) = (0usize, 0usize);
        let mut free: Vec<Vec<u8>> = Vec::new();
        let mut stopped = None;
        loop {
            let mut block = free.pop().unwrap_or_default();
            let line = match blocks.next(&mut block, block_size) {
                Ok(Some(line)) => line,
                Ok(None) => break,
                Err(e) => {
                    stopped = Some(e.into_row_error(&names, opts.lang)?);
                    break;
                }
            };
            to_workers[sent % threads]
                .send((block, line))
                .map_err(|_| gone())?;
            sent += 1;
            while sent - received >= 2 * threads {
                let (block, part) = from_workers[received % threads]
                    .recv()
                    .map_err(|_| gone())?;
                p.merge(part)?;
                free.push(block);
                received += 1;
            }
        }
        drop(to_workers);
        while received < sent {
            let (_, part) = from_workers[received % threads]
                .recv()
                .map_err(|_| gone())?;
            p.merge(part)?;
            received += 1;
        }
        if let Some(e) = stopped {
            p.fail(vec![e]);
        }
        Ok(())
    })?;
    Ok(())
}

/// A CSV header read: the scorer and the column names, or the header's errors (row 1).
type Header<'i> = Result<(Scorer<'i>, Vec<String>), Vec<RowError>>;

/// Reads the header record of a CSV batch and plans its columns: the scorer and the
/// column names, or the header's errors (row 1).
fn csv_header<'i, R: Read>(
    index: &'i Index,
    blocks: &mut Blocks<R>,
    lang: Lang,
) -> Result<Header<'i>, io::Error> {
    // The header: the first record (read by the `csv` crate, like every quoted row).
    let mut head = Vec::new();
    if let Err(e) = blocks.header(&mut head) {
        return Ok(Err(vec![e.into_row_error(&[], lang)?]));
    }
    let header = match csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(&head[..])
        .byte_headers()
    {
        Ok(h) => h.clone(),
        Err(e) => return Ok(Err(vec![RowError::new(1, None, None, e.to_string())])),
    };
    let names: Vec<String> = header
        .iter()
        .map(|h| String::from_utf8_lossy(h).into_owned())
        .collect();
    let name_refs: Vec<&str> = names.iter().map(String::as_str).collect();
    Ok(Scorer::new(index, &name_refs, lang).map(|s| (s, names)))
}

fn trim_bytes(b: &[u8]) -> &[u8] {
    let start = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    let end = b
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(start, |e| e + 1);
    &b[start..end.max(start)]
}

fn pass1_jsonl<R: Read, S: Write>(
    index: &Index,
    input: R,
    p: &mut Pass1<S>,
    opts: &Options,
) -> Result<(), BatchError> {
    let mut cells = vec![Cell::Missing; index.nodes().len()];
    let columns = index.nodes().len() + 1;
    // Blocks cannot be known before the end of a stream: JSON lines output always
    // has the block column.
    p.has_blocks = true;
    if opts.output == OutputFormat::Table {
        p.widths = Some(initial_widths(index, true));
    }
    let mut reader = BufReader::new(input);
    let mut line_no = 0u64;
    let mut buffered: Vec<u8> = Vec::new();
    let mut part = Part::new(columns, p.widths.as_ref());
    loop {
        buffered.clear();
        let read = read_line_bounded(&mut reader, &mut buffered, MAX_BATCH_LINE_BYTES)?;
        if read == Line::End {
            break;
        }
        line_no += 1;
        if part.totals.len() + part.error_count >= CHUNK {
            p.merge(std::mem::replace(
                &mut part,
                Part::new(columns, p.widths.as_ref()),
            ))?;
        }
        let (a, r) = match json_unit(index, read, &buffered, line_no, opts.lang) {
            Ok(Some(x)) => x,
            Ok(None) => continue,
            Err(e) => {
                part.fail(e, opts.max_errors);
                continue;
            }
        };
        for (i, nr) in r.nodes.iter().enumerate() {
            cells[i + 1] = match nr.achieved {
                Some(x) => Cell::Value {
                    achieved: x,
                    max: nr.applicable_max,
                },
                None => Cell::Missing,
            };
        }
        let block = a.unit.block.as_deref().unwrap_or("");
        part.record(
            line_no,
            a.unit.name.as_bytes(),
            Some(block.as_bytes()),
            &cells,
            scored_of(index, &r),
            |_| None,
        );
    }
    p.merge(part)?;
    Ok(())
}

/// One line of a JSON-lines batch (as read by [`read_line_bounded`]): the assessment
/// and its score in the final view; `None` for a blank line; the line's errors.
fn json_unit(
    index: &Index,
    read: Line,
    bytes: &[u8],
    line_no: u64,
    lang: Lang,
) -> Result<Option<(Assessment, crate::ScoreResult)>, Vec<RowError>> {
    if read == Line::TooLong {
        return Err(vec![line_too_long(line_no, lang)]);
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Err(vec![RowError::new(
            line_no,
            None,
            None,
            msg(lang, "không phải UTF-8", "is not valid UTF-8"),
        )]);
    };
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let diag_errors = |d: &crate::Diagnostics| -> Vec<RowError> {
        d.errors()
            .map(|x| RowError::new(line_no, x.code.as_deref(), None, x.message(lang)))
            .collect()
    };
    let a = crate::load::assessment(text).map_err(|d| diag_errors(&d))?;
    match index.score(&a, View::Final) {
        Ok(r) => Ok(Some((a, r))),
        Err(d) => Err(diag_errors(&d)),
    }
}

/// A unit's total, percent, applicable maximum and band from its full score.
fn scored_of(index: &Index, r: &crate::ScoreResult) -> Scored {
    let band = r.total.band.as_ref().and_then(|b| {
        index
            .definition()
            .bands
            .iter()
            .position(|x| x.code == b.code)
    });
    Scored {
        total: r.total.achieved,
        percent: r.total.percent,
        max: r.total.applicable_max,
        band,
    }
}

/// What [`read_line_bounded`] read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Line {
    /// A line (with its `\n`, if any).
    Read,
    /// A line longer than the limit: skipped to its end, not kept.
    TooLong,
    /// The end of the input.
    End,
}

/// Reads one line (up to and including `\n`) into `buf`, keeping at most `max` bytes: a
/// longer line is read to its end without being kept ([`Line::TooLong`]).
fn read_line_bounded<R: BufRead>(r: &mut R, buf: &mut Vec<u8>, max: u64) -> io::Result<Line> {
    let mut seen = 0u64;
    let mut too_long = false;
    loop {
        let chunk = match r.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            return Ok(match (seen, too_long) {
                (0, _) => Line::End,
                (_, true) => Line::TooLong,
                _ => Line::Read,
            });
        }
        let (take, done) = match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (chunk.len(), false),
        };
        seen += take as u64;
        if seen > max {
            too_long = true;
            buf.clear();
        } else {
            buf.extend_from_slice(&chunk[..take]);
        }
        r.consume(take);
        if done {
            return Ok(if too_long { Line::TooLong } else { Line::Read });
        }
    }
}

/// The error of a JSON line longer than [`MAX_BATCH_LINE_BYTES`].
fn line_too_long(line: u64, lang: Lang) -> RowError {
    let problem = crate::diagnostics::Problem::LimitExceeded {
        what: "length of one line / độ dài một dòng".into(),
        limit: MAX_BATCH_LINE_BYTES,
        found: None,
        unit: "bytes / byte".into(),
    };
    RowError::new(line, None, None, problem.message(lang))
}

fn header_fields(index: &Index, has_blocks: bool) -> Vec<String> {
    let mut h = vec!["unit".to_owned()];
    if has_blocks {
        h.push("block".into());
    }
    h.extend(index.nodes().iter().skip(1).map(|n| n.code.clone()));
    h.extend([
        "total".into(),
        "percent".into(),
        "rank".into(),
        "band".into(),
    ]);
    h
}

fn initial_widths(index: &Index, has_blocks: bool) -> Vec<usize> {
    header_fields(index, has_blocks)
        .iter()
        .map(|h| h.chars().count())
        .collect()
}

struct Writer<'i, W: Write> {
    index: &'i Index,
    out: BufWriter<W>,
    has_blocks: bool,
    policy: TiePolicy,
}

fn next_record<R: BufRead>(r: &mut R, buf: &mut Vec<u8>) -> io::Result<bool> {
    let mut len = [0u8; 4];
    match r.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(false),
        Err(e) => return Err(e),
    }
    buf.resize(u32::from_le_bytes(len) as usize, 0);
    r.read_exact(buf)?;
    Ok(true)
}

impl<W: Write> Writer<'_, W> {
    fn band_code(&self, b: u16) -> Option<&str> {
        self.index
            .definition()
            .bands
            .get(usize::from(b))
            .map(|x| x.code.as_str())
    }

    /// The CSV output: the spooled rows with rank and band. A helper thread reads the
    /// spool and forms the rows ([`csv_rows`]) while this one writes them.
    fn csv<S: Read + Send>(
        &mut self,
        spool: S,
        ranks: &[Option<u32>],
        bands: &[u16],
        mean: Option<&[String]>,
    ) -> io::Result<()> {
        let mut line = Vec::with_capacity(1024);
        for (k, h) in header_fields(self.index, self.has_blocks)
            .iter()
            .enumerate()
        {
            if k > 0 {
                line.push(b',');
            }
            write_csv_field(&mut line, h.as_bytes());
        }
        line.push(b'\n');
        self.out.write_all(&line)?;
        let codes: Vec<Vec<u8>> = self
            .index
            .definition()
            .bands
            .iter()
            .map(|b| {
                let mut v = Vec::new();
                write_csv_field(&mut v, b.code.as_bytes());
                v
            })
            .collect();
        std::thread::scope(|sc| -> io::Result<()> {
            let (tx, rx) = std::sync::mpsc::sync_channel(2);
            let (back_tx, back_rx) = std::sync::mpsc::channel();
            let codes = &codes;
            sc.spawn(move || csv_rows(spool, ranks, bands, codes, &tx, &back_rx));
            for rows in rx {
                let rows: Vec<u8> = rows?;
                self.out.write_all(&rows)?;
                // The helper may have stopped already.
                let _ = back_tx.send(rows);
            }
            Ok(())
        })?;
        if let Some(m) = mean {
            line.clear();
            line.extend_from_slice(MEAN_UNIT.as_bytes());
            if self.has_blocks {
                line.push(b',');
            }
            for v in m {
                line.push(b',');
                line.extend_from_slice(v.as_bytes());
            }
            line.extend_from_slice(b",,\n");
            self.out.write_all(&line)?;
        }
        Ok(())
    }

    fn json<R: BufRead>(
        &mut self,
        mut spool: R,
        ranks: &[Option<u32>],
        bands: &[u16],
        mean: Option<&[String]>,
        summary: &Summary,
    ) -> io::Result<()> {
        let def = self.index.definition();
        let codes: Vec<&str> = self
            .index
            .nodes()
            .iter()
            .skip(1)
            .map(|n| n.code.as_str())
            .collect();
        let js = |v: &str| serde_json::to_string(v).unwrap_or_else(|_| "\"\"".into());
        let num = |v: &str| {
            if v.is_empty() {
                "null".to_owned()
            } else {
                js(v)
            }
        };
        let policy = self.policy.name();
        let basis = if summary.percent_blocks > 0 {
            "percent"
        } else {
            "total"
        };
        writeln!(
            self.out,
            "{{\"format\":{},\"index\":{},\"index_version\":{},\"tie_policy\":\"{policy}\",\"rank_basis\":\"{basis}\",\"units_count\":{},\"ranked\":{},",
            js(BATCH_FORMAT),
            js(&def.id),
            js(&def.version),
            summary.units,
            summary.ranked
        )?;
        writeln!(
            self.out,
            "\"columns\":[{}],",
            codes.iter().map(|c| js(c)).collect::<Vec<_>>().join(",")
        )?;
        self.out.write_all(b"\"units\":[")?;
        let off = 1 + usize::from(self.has_blocks);
        let mut buf = Vec::new();
        let mut i = 0;
        let points = |f: &[String]| {
            codes
                .iter()
                .zip(f)
                .map(|(c, v)| format!("{}:{}", js(c), num(v)))
                .collect::<Vec<_>>()
                .join(",")
        };
        while next_record(&mut spool, &mut buf)? {
            let f = split_row(&buf);
            let mut s = String::new();
            s.push_str(if i == 0 { "\n" } else { ",\n" });
            s.push_str(&format!("{{\"unit\":{}", js(&f[0])));
            if self.has_blocks {
                s.push_str(&format!(
                    ",\"block\":{}",
                    if f[1].is_empty() {
                        "null".into()
                    } else {
                        js(&f[1])
                    }
                ));
            }
            let n = codes.len();
            s.push_str(&format!(",\"points\":{{{}}}", points(&f[off..off + n])));
            s.push_str(&format!(
                ",\"total\":{},\"percent\":{}",
                num(&f[off + n]),
                num(&f[off + n + 1])
            ));
            match ranks.get(i).copied().flatten() {
                Some(r) => s.push_str(&format!(",\"rank\":{r}")),
                None => s.push_str(",\"rank\":null"),
            }
            match bands.get(i).and_then(|&b| self.band_code(b)) {
                Some(b) => s.push_str(&format!(",\"band\":{}}}", js(b))),
                None => s.push_str(",\"band\":null}"),
            }
            self.out.write_all(s.as_bytes())?;
            i += 1;
        }
        self.out.write_all(b"\n]")?;
        if let Some(m) = mean {
            let n = codes.len();
            write!(
                self.out,
                ",\n\"mean\":{{\"points\":{{{}}},\"total\":{},\"percent\":{}}}",
                points(&m[..n]),
                num(&m[n]),
                num(&m[n + 1])
            )?;
        }
        self.out.write_all(b"}\n")
    }

    fn table<R: BufRead>(
        &mut self,
        mut spool: R,
        ranks: &[Option<u32>],
        bands: &[u16],
        mean: Option<&[String]>,
        mut widths: Vec<usize>,
    ) -> io::Result<()> {
        let header = header_fields(self.index, self.has_blocks);
        widths.resize(header.len(), 0);
        let rank_col = header.len() - 2;
        let band_col = header.len() - 1;
        widths[0] = widths[0].max(header[0].chars().count());
        if mean.is_some() {
            widths[0] = widths[0].max(MEAN_UNIT.len());
        }
        if let Some(m) = mean {
            let off = 1 + usize::from(self.has_blocks);
            for (k, v) in m.iter().enumerate() {
                widths[off + k] = widths[off + k].max(v.len());
            }
        }
        let max_rank = ranks.iter().flatten().max().copied().unwrap_or(0);
        widths[rank_col] = widths[rank_col].max(max_rank.to_string().len());
        for b in &self.index.definition().bands {
            widths[band_col] = widths[band_col].max(b.code.chars().count());
        }
        for (k, h) in header.iter().enumerate() {
            widths[k] = widths[k].max(h.chars().count());
        }
        let text_cols = 1 + usize::from(self.has_blocks);
        let line = |fields: &[String]| -> String {
            let mut s = String::new();
            for (k, f) in fields.iter().enumerate() {
                if k > 0 {
                    s.push_str("  ");
                }
                let pad = widths[k].saturating_sub(f.chars().count());
                let left = k < text_cols || k == band_col;
                if left {
                    s.push_str(f);
                    if k + 1 < fields.len() {
                        s.push_str(&" ".repeat(pad));
                    }
                } else {
                    s.push_str(&" ".repeat(pad));
                    s.push_str(f);
                }
            }
            s.truncate(s.trim_end().len());
            s.push('\n');
            s
        };
        self.out.write_all(line(&header).as_bytes())?;
        let rule: String = widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .join("  ");
        writeln!(self.out, "{rule}")?;
        let mut buf = Vec::new();
        let mut i = 0;
        while next_record(&mut spool, &mut buf)? {
            let mut f = split_row(&buf);
            f.push(
                ranks
                    .get(i)
                    .copied()
                    .flatten()
                    .map(|r| r.to_string())
                    .unwrap_or_default(),
            );
            f.push(
                bands
                    .get(i)
                    .and_then(|&b| self.band_code(b))
                    .unwrap_or("")
                    .to_owned(),
            );
            self.out.write_all(line(&f).as_bytes())?;
            i += 1;
        }
        if let Some(m) = mean {
            writeln!(self.out, "{rule}")?;
            let mut f = vec![MEAN_UNIT.to_owned()];
            if self.has_blocks {
                f.push(String::new());
            }
            f.extend(m.iter().cloned());
            f.push(String::new());
            f.push(String::new());
            self.out.write_all(line(&f).as_bytes())?;
        }
        Ok(())
    }
}

/// Pass 2 of the CSV output, on a helper thread: reads the spool in blocks of about
/// 1 MiB and sends the rows of each block, with rank and band (`codes`: the bands'
/// CSV text), to the writing thread; takes used buffers back from `back`.
fn csv_rows<S: Read>(
    mut spool: S,
    ranks: &[Option<u32>],
    bands: &[u16],
    codes: &[Vec<u8>],
    tx: &std::sync::mpsc::SyncSender<io::Result<Vec<u8>>>,
    back: &std::sync::mpsc::Receiver<Vec<u8>>,
) {
    const SPOOL_BLOCK: usize = 1 << 20;
    let mut raw = Vec::new();
    let mut carry = Vec::new();
    let mut i = 0usize;
    loop {
        raw.clear();
        raw.append(&mut carry);
        let target = raw.len() + SPOOL_BLOCK;
        let mut eof = false;
        while !eof && raw.len() < target {
            let want = target - raw.len();
            match read_some(&mut spool, &mut raw, want) {
                Ok(n) => eof = n == 0,
                Err(e) => {
                    let _ = tx.send(Err(e));
                    return;
                }
            }
        }
        let mut rows = back.try_recv().unwrap_or_default();
        rows.clear();
        rows.reserve(raw.len() + raw.len() / 8);
        // Whole records: a 4-byte length, then the row text.
        let mut pos = 0;
        while let Some(len) = raw
            .get(pos..pos + 4)
            .map(|l| u32::from_le_bytes([l[0], l[1], l[2], l[3]]) as usize)
        {
            let Some(text) = raw.get(pos + 4..pos + 4 + len) else {
                break;
            };
            rows.extend_from_slice(text);
            rows.push(b',');
            if let Some(r) = ranks.get(i).copied().flatten() {
                write_u32(&mut rows, r);
            }
            rows.push(b',');
            if let Some(code) = bands.get(i).and_then(|&b| codes.get(usize::from(b))) {
                rows.extend_from_slice(code);
            }
            rows.push(b'\n');
            i += 1;
            pos += 4 + len;
        }
        carry.extend_from_slice(&raw[pos..]);
        if !rows.is_empty() && tx.send(Ok(rows)).is_err() {
            return;
        }
        if eof {
            if !carry.is_empty() {
                let _ = tx.send(Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the spool ends inside a row",
                )));
            }
            return;
        }
    }
}

/// Appends up to `want` bytes read from `r` to `out`; returns how many (0 at the end).
fn read_some<R: Read>(r: &mut R, out: &mut Vec<u8>, want: usize) -> io::Result<usize> {
    let len = out.len();
    out.resize(len + want, 0);
    loop {
        match r.read(&mut out[len..]) {
            Ok(n) => {
                out.truncate(len + n);
                return Ok(n);
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => {
                out.truncate(len);
                return Err(e);
            }
        }
    }
}

/// Runs a batch fully in memory (spool and output in memory); for tests and benchmarks.
pub fn run_in_memory(
    index: &Index,
    input: &[u8],
    format: InputFormat,
    opts: &Options,
) -> Result<Vec<u8>, BatchError> {
    let mut out = Vec::new();
    run(
        index,
        input,
        format,
        io::Cursor::new(Vec::new()),
        &mut out,
        opts,
    )?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn decimal_text_round_trips() {
        for s in [
            "0",
            "1",
            "-1",
            "3.70",
            "0.000123",
            "123456789.123456789",
            "-0.0",
            "79228162514264337593543950335",
            "1.0000000000000000000000000001",
        ] {
            let d: Decimal = s.parse().unwrap();
            assert_eq!(parse_decimal(s.as_bytes()), Some(d), "{s}");
            let mut b = Vec::new();
            write_decimal(&mut b, d);
            assert_eq!(
                String::from_utf8(b).unwrap(),
                d.normalize().to_string(),
                "{s}"
            );
        }
        for s in [
            "", "-", ".", "1,2", "1e3", "1_000", "1.2.3", " 1", "0x1", "--1", "NaN",
        ] {
            assert_eq!(parse_decimal(s.as_bytes()), None, "{s}");
        }
        assert_eq!(parse_decimal(b".5"), Some("0.5".parse().unwrap()));
        assert_eq!(parse_decimal(b"+2.50"), Some("2.50".parse().unwrap()));
    }

    proptest! {
        #[test]
        fn write_decimal_is_normalized_display(m in any::<i64>(), hi in any::<u32>(), scale in 0u32..=28) {
            let d = Decimal::from_i128_with_scale((i128::from(hi) << 64) | i128::from(m), scale);
            let mut b = Vec::new();
            write_decimal(&mut b, d);
            prop_assert_eq!(String::from_utf8(b).unwrap(), d.normalize().to_string());
        }

        #[test]
        fn normalized_text_equals_written_value(
            sign in proptest::sample::select(vec!["", "-", "+"]),
            int in "0{0,3}[0-9]{0,12}",
            frac in proptest::option::of("[0-9]{0,14}0{0,3}"),
        ) {
            let text = format!("{sign}{int}{}", frac.map(|f| format!(".{f}")).unwrap_or_default());
            if let Some(d) = parse_decimal(text.as_bytes()) {
                let (mut a, mut b) = (Vec::new(), Vec::new());
                let Some((value, _, norm)) = parse_number(text.as_bytes()) else { return Ok(()) };
                prop_assert_eq!(value, d);
                write_norm(&mut a, text.as_bytes(), norm);
                write_decimal(&mut b, d);
                prop_assert_eq!(String::from_utf8(a).unwrap(), String::from_utf8(b).unwrap(), "{}", text);
            }
        }

        #[test]
        fn parse_decimal_equals_from_str(int in 0u64..10_000_000_000, frac in 0u64..1_000_000, places in 0usize..7, neg in any::<bool>()) {
            let s = if places == 0 { format!("{}{int}", if neg { "-" } else { "" }) }
                else { format!("{}{int}.{:0>places$}", if neg { "-" } else { "" }, frac % 10u64.pow(places as u32)) };
            let expected: Decimal = s.parse().unwrap();
            prop_assert_eq!(parse_decimal(s.as_bytes()), Some(expected));
            prop_assert_eq!(parse_decimal(s.as_bytes()).unwrap().scale(), expected.scale());
        }
    }

    /// A hand-made tree exercising every CSV-mappable rule, weights, rescaling,
    /// bands, adjustments and the zero missing policy.
    const MIXED: &str = r#"{"format":"chiso.index/1","id":"mixed","title":{"vi":"Thử"},"version":"1",
      "legal_basis":[],"unit_levels":["department"],"years":{"from":2024},"completeness":"example",
      "max_points":"20",
      "bands":[{"code":"A","label":{"vi":"A"},"range":{"from":{"value":"80","inclusive":true}}},
               {"code":"B","label":{"vi":"B"},"range":{"to":{"value":"80","inclusive":false}}}],
      "adjustments":[{"code":"bonus","title":{"vi":"Thưởng"},"kind":"bonus","cap":"2"},
                     {"code":"penalty","title":{"vi":"Phạt"},"kind":"penalty","cap":"3"}],
      "nodes":[
       {"code":"1","title":{"vi":"1"},"max_points":"10","children":[
         {"code":"1.1","title":{"vi":"1.1"},"max_points":"2","rule":{"type":"yes_no","yes":{"label":{"vi":"có"},"points":"2"},"no":{"label":{"vi":"không"},"points":"0"}}},
         {"code":"1.2","title":{"vi":"1.2"},"max_points":"2","rule":{"type":"timeliness","on_time":{"label":{"vi":"kịp"},"points":"2"},"late":{"label":{"vi":"chậm"},"points":"1"},"not_done":{"label":{"vi":"không"},"points":"0"}}},
         {"code":"1.3","title":{"vi":"1.3"},"max_points":"3","rule":{"type":"proportional","zero_denominator":"not_applicable"}},
         {"code":"1.4","title":{"vi":"1.4"},"max_points":"3","rule":{"type":"discretionary","step":"0.25"}}]},
       {"code":"2","title":{"vi":"2"},"max_points":"10","aggregation":{"method":"weighted_mean","weights":{"2.1":"2","2.2":"1","2.3":"1","2.4":"1"},"rescale_to_max":true},"children":[
         {"code":"2.1","title":{"vi":"2.1"},"max_points":"4","rule":{"type":"tiers","measure":"percent","tiers":[
            {"range":{"from":{"value":"90","inclusive":false}},"label":{"vi":"trên 90%"},"points":"4"},
            {"range":{"to":{"value":"90","inclusive":true}},"label":{"vi":"đến 90%"},"points":"1"}]}},
         {"code":"2.2","title":{"vi":"2.2"},"max_points":"3","rule":{"type":"levels","levels":[
            {"key":"good","label":{"vi":"tốt"},"points":"3"},{"key":"fair","label":{"vi":"khá"},"percent_of_max":"50"}]}},
         {"code":"2.3","title":{"vi":"2.3"},"max_points":"3","channel":"survey","rule":{"type":"survey"}},
         {"code":"2.4","title":{"vi":"2.4"},"max_points":"0","rule":{"type":"score"}}]}]}"#;

    fn mixed() -> Index {
        Index::from_json(MIXED).unwrap()
    }

    const HEADER: [&str; 12] = [
        "unit", "block", "1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "2.4", "bonus", "penalty",
    ];

    fn cell_text() -> impl Strategy<Value = [String; 10]> {
        let opt = |v: Vec<&'static str>| proptest::sample::select(v).prop_map(str::to_owned);
        (
            opt(vec!["yes", "no", "có", "", "n/a"]),
            opt(vec!["on_time", "late", "not_done", ""]),
            (0u32..60, 0u32..60).prop_map(|(a, b)| {
                if a % 7 == 0 {
                    format!("{}%", a)
                } else {
                    format!("{}/{}", a.min(b), b)
                }
            }),
            (0u32..=12).prop_map(|q| {
                if q == 12 {
                    String::new()
                } else {
                    format!("{}", Decimal::from(q) / Decimal::from(4))
                }
            }),
            (0u32..=100, 1u32..100).prop_map(|(a, b)| match a % 3 {
                0 => format!("{a}%"),
                1 => format!("{}/{}", a.min(b), b),
                _ => format!("{a}"),
            }),
            opt(vec!["good", "fair", "n/a"]),
            (0u32..=300).prop_map(|x| {
                if x % 5 == 0 {
                    format!("{}%", x / 3)
                } else {
                    format!("{}", Decimal::from(x) / Decimal::from(100))
                }
            }),
            opt(vec!["0", "0.0", ""]),
            (0u32..=8).prop_map(|x| {
                if x == 8 {
                    String::new()
                } else {
                    format!("{}", Decimal::from(x) / Decimal::from(4))
                }
            }),
            (0u32..=12).prop_map(|x| {
                if x == 12 {
                    String::new()
                } else {
                    format!("{}", Decimal::from(x) / Decimal::from(4))
                }
            }),
        )
            .prop_map(|(a, b, c, d, e, f, g, h, i, j)| [a, b, c, d, e, f, g, h, i, j])
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        /// The batch scorer gives the same points as `Index::score` on the same unit.
        #[test]
        fn batch_equals_index_score(cells in cell_text()) {
            let index = mixed();
            let mut scorer = Scorer::new(&index, &HEADER, Lang::En).unwrap();
            let mut row: Vec<&[u8]> = vec!["Sở A".as_bytes(), "sở".as_bytes()];
            row.extend(cells.iter().map(|c| c.as_bytes()));
            let batch = scorer.score_row(2, &row);
            let a = scorer.assessment(&row).unwrap();
            let reference = index.score(&a, View::Final);
            match (batch, reference) {
                (Ok(s), Ok(r)) => {
                    for (i, nr) in r.nodes.iter().enumerate() {
                        prop_assert_eq!(scorer.cells()[i + 1].achieved(), nr.achieved, "node {}", nr.code);
                    }
                    prop_assert_eq!(s.total, r.total.achieved);
                    prop_assert_eq!(s.percent, r.total.percent);
                    let band = s.band.map(|b| index.definition().bands[b].code.clone());
                    prop_assert_eq!(band, r.total.band.map(|b| b.code));
                }
                (Err(_), Err(_)) => {}
                (b, r) => prop_assert!(false, "batch {:?} vs score {:?}", b, r.map(|r| r.total)),
            }
        }
    }

    #[test]
    fn a_hand_worked_row() {
        // 1.1 yes 2; 1.2 late 1; 1.3 45/50 → 3 × 90% = 2.7; 1.4 2.5 → 1 = 8.2
        // 2: weighted mean (2·4 + 1·1.5 + 1·2.1 + 1·0)/5 = 2.32, max (2·4 + 3 + 3 + 0)/5 = 2.8
        //    → 2.32 / 2.8 × 10 = 29/35 × 10 = 8.285714…
        let index = mixed();
        let mut s = Scorer::new(&index, &HEADER, Lang::En).unwrap();
        let row: Vec<&[u8]> = vec![
            b"X", b"", b"yes", b"late", b"45/50", b"2.5", b"95%", b"fair", b"2.1", b"0", b"1",
            b"0.5",
        ];
        let r = s.score_row(2, &row).unwrap();
        let c = |code: &str| s.cells()[index.position(code).unwrap()].achieved().unwrap();
        assert_eq!(c("1"), "8.2".parse().unwrap());
        assert_eq!(c("2.2"), "1.5".parse().unwrap());
        assert_eq!(
            c("2"),
            Decimal::from(29) / Decimal::from(35) * Decimal::from(10)
        );
        // total = 8.2 + 8.2857… + 1 − 0.5
        assert_eq!(
            r.total,
            Some(
                "8.2".parse::<Decimal>().unwrap() + c("2") + Decimal::from(1)
                    - "0.5".parse::<Decimal>().unwrap()
            )
        );
        assert_eq!(
            r.band.map(|b| index.definition().bands[b].code.as_str()),
            Some("A")
        );
    }

    #[test]
    fn errors_name_row_and_column() {
        let index = mixed();
        let mut s = Scorer::new(&index, &HEADER, Lang::En).unwrap();
        let row: Vec<&[u8]> = vec![
            b"X", b"", b"maybe", b"late", b"45", b"1,2x", b"95%", b"fair", b"2.1", b"0", b"", b"",
        ];
        let e = s.score_row(17, &row).unwrap_err();
        let text: Vec<String> = e.iter().map(|e| e.render("units.csv", Lang::En)).collect();
        assert_eq!(text.len(), 3, "{text:?}");
        assert!(
            text[0].starts_with("units.csv row 17, column 1.1: 'maybe' "),
            "{text:?}"
        );
        assert!(
            text[1].starts_with("units.csv row 17, column 1.3: '45' "),
            "{text:?}"
        );
        assert_eq!(
            text[2],
            "units.csv row 17, column 1.4: '1,2x' is not a number (use a decimal point: 0.5)"
        );
    }

    #[test]
    fn header_problems_are_all_reported() {
        let index = mixed();
        let e = Scorer::new(&index, &["name", "1.1", "1", "zzz", "1.1"], Lang::En).unwrap_err();
        let text: Vec<String> = e.iter().map(|e| e.render("u.csv", Lang::En)).collect();
        assert!(
            text.iter().any(|t| t.contains("column 1.1: duplicate")),
            "{text:?}"
        );
        assert!(
            text.iter().any(|t| t.contains("column 1: is a parent")),
            "{text:?}"
        );
        assert!(
            text.iter()
                .any(|t| t.contains("column zzz: is not a leaf code")),
            "{text:?}"
        );
        assert!(text.iter().any(|t| t.contains("column unit")), "{text:?}");
        assert!(
            text.iter()
                .any(|t| t.contains("no column for criteria: 1.2, 1.3, 1.4, 2.1, 2.2, 2.3, 2.4")),
            "{text:?}"
        );
    }

    #[test]
    fn ranks_blocks_means_and_missing() {
        // Score-only tree, propagate: a missing leaf leaves the unit unranked.
        let index = Index::from_json(
            r#"{"format":"chiso.index/1","id":"p","title":{"vi":"P"},"version":"1","legal_basis":[],
            "unit_levels":["province"],"years":{"from":2021},"completeness":"example",
            "policies":{"missing_value":"propagate"},"tie_policy":"dense",
            "nodes":[{"code":"D1","title":{"vi":"D1"},"children":[
              {"code":"D1.1","title":{"vi":"a"},"rule":{"type":"score"}},
              {"code":"D1.2","title":{"vi":"b"},"rule":{"type":"score"}}]}]}"#,
        )
        .unwrap();
        let input =
            "unit,block,D1.1,D1.2\nA,x,1,2\nB,x,2.5,0.5\nC,x,0.5,0.5\nD,y,1,\nE,y,0.25,0.75\n";
        let out = run_in_memory(
            &index,
            input.as_bytes(),
            InputFormat::Csv,
            &Options::default(),
        )
        .unwrap();
        // A 3, B 3 (tie, dense → 1, 1), C 1 → 2; block y: D missing, E 1 → 1.
        // Means over units with a value: D1.1 (1+2.5+0.5+1+0.25)/5 = 1.05; D1.2 (2+0.5+0.5+0.75)/4 = 0.9375;
        // D1 and total (3+3+1+1)/4 = 2.
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "unit,block,D1,D1.1,D1.2,total,percent,rank,band\n\
             A,x,3,1,2,3,,1,\nB,x,3,2.5,0.5,3,,1,\nC,x,1,0.5,0.5,1,,2,\nD,y,,1,,,,,\nE,y,1,0.25,0.75,1,,1,\n\
             __mean__,,2,1.05,0.9375,2,,,\n"
        );
        let opts = Options {
            tie_policy: Some(TiePolicy::Competition),
            mean: false,
            ..Options::default()
        };
        let out = run_in_memory(&index, input.as_bytes(), InputFormat::Csv, &opts).unwrap();
        assert!(String::from_utf8(out)
            .unwrap()
            .contains("C,x,1,0.5,0.5,1,,3,\n"));
    }

    #[test]
    fn means_of_sums_wider_than_a_decimal() {
        // A: 6.8333333333333333333333333333 + 34.58 = 41.4133333333333333333333333333
        // needs 30 significant digits (a Decimal holds 28–29), so the sum cannot be a
        // Decimal; the mean is the exact 20.70666666666666666666666666665 rounded half to
        // even to 29 digits: …667. Both through the general path (threads 1 and 2, the
        // cells read as text, i.e. the integer fast path) and as JSON lines.
        let index = Index::from_json(
            r#"{"format":"chiso.index/1","id":"w","title":{"vi":"W"},"version":"1","legal_basis":[],
            "unit_levels":["province"],"years":{"from":2021},"completeness":"example",
            "nodes":[{"code":"A","title":{"vi":"A"},"rule":{"type":"score"}}]}"#,
        )
        .unwrap();
        let input = "unit,A\nX,6.8333333333333333333333333333\nY,34.58\n";
        let mean_row =
            "__mean__,20.706666666666666666666666667,20.706666666666666666666666667,,,\n";
        for threads in [1, 2] {
            let opts = Options {
                threads,
                ..Options::default()
            };
            let out = run_in_memory(&index, input.as_bytes(), InputFormat::Csv, &opts).unwrap();
            let out = String::from_utf8(out).unwrap();
            assert!(out.ends_with(mean_row), "{out}");
        }
        let jsonl = "{\"format\":\"chiso.assessment/1\",\"index\":\"w\",\"unit\":{\"name\":\"X\"},\"entries\":{\"A\":{\"self\":{\"value\":{\"number\":\"6.8333333333333333333333333333\"}}}}}\n\
                     {\"format\":\"chiso.assessment/1\",\"index\":\"w\",\"unit\":{\"name\":\"Y\"},\"entries\":{\"A\":{\"self\":{\"value\":{\"number\":\"34.58\"}}}}}\n";
        let out = run_in_memory(
            &index,
            jsonl.as_bytes(),
            InputFormat::JsonLines,
            &Options::default(),
        )
        .unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(
            out.ends_with(
                "__mean__,,20.706666666666666666666666667,20.706666666666666666666666667,,,\n"
            ),
            "{out}"
        );
    }

    #[test]
    fn bad_rows_are_all_reported_and_nothing_is_written() {
        let index = mixed();
        let mut input = String::from("unit,1.1,1.2,1.3,1.4,2.1,2.2,2.3,2.4\n");
        for i in 0..70 {
            input.push_str(&format!("U{i},yes,late,1/2,x{i},95%,fair,2,0\n"));
        }
        let mut out = Vec::new();
        let opts = Options {
            max_errors: 5,
            ..Options::default()
        };
        let e = run(
            &index,
            input.as_bytes(),
            InputFormat::Csv,
            io::Cursor::new(Vec::new()),
            &mut out,
            &opts,
        )
        .unwrap_err();
        assert!(out.is_empty());
        let text = e.render();
        assert!(
            text.starts_with("units row 2, column 1.4: 'x0' is not a number"),
            "{text}"
        );
        assert!(text.contains("units row 6, column 1.4: 'x4'"), "{text}");
        assert!(text.ends_with("… and 65 more errors (70 in all)"), "{text}");
    }

    proptest! {
        /// On a plain-sum tree (the PAPI shape: fast leaf path and integer sums) the
        /// batch scorer equals `Index::score`, with missing and not-applicable cells.
        #[test]
        fn plain_sum_tree_equals_index_score(cells in proptest::collection::vec((0u64..4_000_000, 0u32..8), 5)) {
            let index = Index::from_json(PLAIN).unwrap();
            let header = ["unit", "D1.1", "D1.2", "D2.1", "D2.2", "D2.3"];
            let mut scorer = Scorer::new(&index, &header, Lang::En).unwrap();
            prop_assert!(scorer.plain_sums);
            let texts: Vec<String> = cells.iter().map(|&(m, s)| match s {
                6 => String::new(),
                7 => "n/a".into(),
                s => Decimal::new(m as i64, s).to_string(),
            }).collect();
            let mut row: Vec<&[u8]> = vec![b"U"];
            row.extend(texts.iter().map(|t| t.as_bytes()));
            let batch = scorer.score_row(2, &row);
            let reference = index.score(&scorer.assessment(&row).unwrap(), View::Final);
            let (s, r) = match (batch, reference) {
                (Ok(s), Ok(r)) => (s, r),
                (Err(_), Err(_)) => return Ok(()), // both refuse (a value above a maximum)
                (b, r) => { prop_assert!(false, "batch {:?} vs score {:?}", b, r.map(|r| r.total)); unreachable!() }
            };
            for (i, nr) in r.nodes.iter().enumerate() {
                prop_assert_eq!(scorer.cells()[i + 1].achieved(), nr.achieved, "node {}", nr.code);
                prop_assert_eq!(scorer.cells()[i + 1].achieved().map(|d| d.scale()), nr.achieved.map(|d| d.scale()));
                prop_assert_eq!(scorer.cells()[i + 1].max(), nr.applicable_max, "node {}", nr.code);
            }
            prop_assert_eq!(s.total, r.total.achieved);
            prop_assert_eq!(s.total.map(|d| d.scale()), r.total.achieved.map(|d| d.scale()));
            prop_assert_eq!(s.percent, r.total.percent);
        }
    }

    /// Pass 1 of `input` on PLAIN: by the block pipeline (`Some((block size,
    /// threads))`) or by the reference, the `csv` crate on the whole input and the
    /// general path for every record. Returns everything pass 2 would use.
    fn pass1_of(input: &[u8], pipeline: Option<(usize, usize)>) -> String {
        let index = Index::from_json(PLAIN).unwrap();
        let n = index.nodes().len();
        let mut p = Pass1::new(BufWriter::new(io::Cursor::new(Vec::new())), n, 1000);
        let opts = Options::default();
        match pipeline {
            Some((size, threads)) => {
                let opts = Options { threads, ..opts };
                pass1_csv_blocks(&index, input, &mut p, &opts, size).unwrap();
            }
            None => {
                let mut rdr = csv::ReaderBuilder::new()
                    .has_headers(true)
                    .flexible(true)
                    .from_reader(input);
                let header = rdr.byte_headers().unwrap().clone();
                let names: Vec<String> = header
                    .iter()
                    .map(|h| String::from_utf8_lossy(h).into_owned())
                    .collect();
                let refs: Vec<&str> = names.iter().map(String::as_str).collect();
                match Scorer::new(&index, &refs, Lang::En) {
                    Err(e) => p.fail(e),
                    Ok(mut scorer) => {
                        p.has_blocks = scorer.has_blocks();
                        let mut part = Part::new(n + 1, None);
                        for rec in rdr.byte_records() {
                            let rec = rec.unwrap();
                            let line = rec.position().unwrap().line();
                            score_one(&mut scorer, line, &rec, &mut part, 1000);
                        }
                        p.merge(part).unwrap();
                    }
                }
            }
        }
        if p.error_count > 0 {
            // Nothing is written then; only the errors count.
            return format!("errors {} {:?}", p.error_count, p.errors);
        }
        let spool = p.spool.into_inner().unwrap().into_inner();
        format!(
            "spool {:?}\ntotals {:?}\nbands {:?}\nblocks {:?} {:?}\nerrors {} {:?}\nmeans {:?}",
            String::from_utf8_lossy(&spool),
            p.totals,
            p.bands,
            p.blocks,
            p.block_ids.len(),
            p.error_count,
            p.errors,
            mean_fields(&p.means, n + 1)
        )
    }

    /// Random CSV text for PLAIN: quoted and unquoted fields (quotes inside, commas and
    /// line breaks in quotes), numbers the fast path takes and ones it leaves, empty
    /// fields, wrong field counts, LF / CRLF / CR and blank lines, with or without a
    /// final line break, and with or without a block column.
    fn csv_text() -> impl Strategy<Value = String> {
        let number = proptest::sample::select(vec![
            "1",
            "0.50",
            "-0",
            "+2",
            "007",
            "10.000",
            ".5",
            "5.",
            "3.25",
            "0",
            "9.999999",
            "12345678901234567.5",
            "0.0000000000000000000001",
            "1e3",
            "",
            " 2",
            "n/a",
            "-1",
            "11",
            "\"4\"",
            "2.5.1",
        ]);
        let unit = proptest::sample::select(vec![
            "U",
            "V w",
            "\"a,b\"",
            "\"q\"\"x\"",
            "a\"b",
            "\"line\nbreak\"",
            " ",
            "",
            "Ü",
            "\"\"",
        ]);
        let block = proptest::sample::select(vec!["k1", "k2", "\"k,3\"", ""]);
        let term = proptest::sample::select(vec![
            "\n", "\n", "\n", "\r\n", "\r\n", "\r", "\n\n", "\r\n\r\n",
        ]);
        let row = (
            unit,
            block,
            proptest::collection::vec(number, 4..=6),
            term.clone(),
        );
        (
            any::<bool>(),
            proptest::sample::select(vec!["", "\n", "\r\n"]),
            term,
            proptest::collection::vec(row, 0..10),
            any::<bool>(),
        )
            .prop_map(|(with_block, lead, head_term, rows, final_term)| {
                let mut s = String::from(lead);
                s.push_str(if with_block {
                    "unit,block,D1.1,D1.2,D2.1,D2.2,D2.3"
                } else {
                    "\"unit\",D1.1,D1.2,D2.1,D2.2,D2.3"
                });
                s.push_str(head_term);
                let count = rows.len();
                for (k, (u, b, nums, t)) in rows.into_iter().enumerate() {
                    s.push_str(u);
                    if with_block {
                        s.push(',');
                        s.push_str(b);
                    }
                    for x in nums {
                        s.push(',');
                        s.push_str(x);
                    }
                    if k + 1 < count || final_term {
                        s.push_str(t);
                    }
                }
                s
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]
        /// The block pipeline (records split on the workers, the fast row path) gives
        /// the same spool, keys, means and errors (with their line numbers) as the
        /// `csv` crate reading the whole input, for any block size and thread count.
        #[test]
        fn blocks_equal_csv_crate(text in csv_text(), size in 1usize..80, threads in 1usize..=2) {
            let reference = pass1_of(text.as_bytes(), None);
            prop_assert_eq!(pass1_of(text.as_bytes(), Some((size, threads))), reference.clone());
            prop_assert_eq!(pass1_of(text.as_bytes(), Some((BLOCK, 1))), reference);
        }

        /// `read_units` (plan, what-if) rejects what the batch rejects, with the same
        /// messages and row numbers, and reads as many units when both accept.
        #[test]
        fn read_units_reports_as_the_batch(text in csv_text(), threads in 1usize..=2) {
            let index = Index::from_json(PLAIN).unwrap();
            let opts = Options { threads, max_errors: 1000, ..Options::default() };
            let batch = run_in_memory(&index, text.as_bytes(), InputFormat::Csv, &opts);
            let mut units = 0u64;
            let read = read_units(&index, text.as_bytes(), InputFormat::Csv, &opts, false, |_| {
                units += 1;
                std::ops::ControlFlow::Continue(())
            });
            match (batch, read) {
                (Err(b), Err(r)) => prop_assert_eq!(b.render(), r.render()),
                (Ok(out), Ok(r)) => {
                    prop_assert_eq!(r.units, units);
                    // The output's rows: units, then the mean row.
                    let rows = String::from_utf8(out).unwrap();
                    let mut rdr = csv::ReaderBuilder::new().from_reader(rows.as_bytes());
                    prop_assert_eq!(rdr.records().count() as u64, units + 1);
                }
                // An input without units: the batch writes an empty table, the reader
                // (nothing to compare with) refuses it.
                (Ok(_), Err(r)) => prop_assert!(r.render().contains("no units"), "{}", r.render()),
                (Err(b), Ok(_)) => prop_assert!(false, "batch refused what read_units took: {}", b.render()),
            }
        }

        /// The short-number loop equals the digit-counting reader.
        #[test]
        fn scan_number_equals_long_reader(text in "[-+]?[0-9]{0,12}[.]?[0-9]{0,10}[.x,]?[0-9]{0,3}") {
            let b = text.as_bytes();
            let long = parse_parts_long(b).map(|p| (p.mantissa, p.scale, p.neg, p.within, p.norm));
            let short = parse_parts(b).map(|p| (p.mantissa, p.scale, p.neg, p.within, p.norm));
            prop_assert_eq!(short, long);
        }
    }

    const PLAIN: &str = r#"{"format":"chiso.index/1","id":"plain","title":{"vi":"P"},"version":"1","legal_basis":[],
      "unit_levels":["province"],"years":{"from":2021},"completeness":"example","policies":{"missing_value":"propagate"},
      "nodes":[{"code":"D1","title":{"vi":"D1"},"children":[
          {"code":"D1.1","title":{"vi":"a"},"channel":"survey","rule":{"type":"score"}},
          {"code":"D1.2","title":{"vi":"b"},"channel":"survey","rule":{"type":"score"}}]},
        {"code":"D2","title":{"vi":"D2"},"max_points":"30","children":[
          {"code":"D2.1","title":{"vi":"c"},"max_points":"10","rule":{"type":"score"}},
          {"code":"D2.2","title":{"vi":"d"},"max_points":"10","rule":{"type":"score"}},
          {"code":"D2.3","title":{"vi":"e"},"max_points":"10","rule":{"type":"score"}}]}]}"#;

    const PROPORTIONAL: &str = r#"{"format":"chiso.index/1","id":"prop","title":{"vi":"P"},"version":"1","legal_basis":[],
      "unit_levels":["province"],"years":{"from":2022},"completeness":"example","max_points":"16",
      "nodes":[{"code":"G","title":{"vi":"G"},"max_points":"16","children":[
        {"code":"a","title":{"vi":"a"},"max_points":"6","rule":{"type":"proportional","zero_denominator":"full_marks"}},
        {"code":"b","title":{"vi":"b"},"max_points":"4","rule":{"type":"proportional","threshold_percent":"80","zero_denominator":"zero"}},
        {"code":"c","title":{"vi":"c"},"max_points":"3","rule":{"type":"proportional","gate":{"value":"98","inclusive":true},"zero_denominator":"invalid"}},
        {"code":"d","title":{"vi":"d"},"max_points":"3","rule":{"type":"proportional","threshold_percent":"90","zero_denominator":"not_applicable"}}]}]}"#;

    proptest! {
        /// The `proportional` fast path equals `Index::score`, valid or not.
        #[test]
        fn proportional_fast_path_equals_index_score(
            cells in proptest::collection::vec((0u32..120, 0u32..110, 0u8..6), 4),
        ) {
            let index = Index::from_json(PROPORTIONAL).unwrap();
            let mut scorer = Scorer::new(&index, &["unit", "a", "b", "c", "d"], Lang::En).unwrap();
            let texts: Vec<String> = cells.iter().map(|&(n, d, kind)| match kind {
                0 => format!("{n}%"),
                1 => String::new(),
                2 => format!("{}/{}", Decimal::new(i64::from(n), 1), d),
                _ => format!("{} / {d}", n.min(d)),
            }).collect();
            let mut row: Vec<&[u8]> = vec![b"U"];
            row.extend(texts.iter().map(|t| t.as_bytes()));
            let batch = scorer.score_row(2, &row);
            let reference = index.score(&scorer.assessment(&row).unwrap(), View::Final);
            match (batch, reference) {
                (Ok(s), Ok(r)) => {
                    for (i, nr) in r.nodes.iter().enumerate() {
                        prop_assert_eq!(scorer.cells()[i + 1].achieved(), nr.achieved, "node {}", nr.code);
                    }
                    prop_assert_eq!(s.total, r.total.achieved);
                    prop_assert_eq!(s.percent, r.total.percent);
                }
                (Err(_), Err(_)) => {}
                (b, r) => prop_assert!(false, "{:?}: batch {:?} vs score {:?}", texts, b, r.map(|r| r.total)),
            }
        }
    }
}
