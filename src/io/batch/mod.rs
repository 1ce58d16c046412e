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
//! result equals [`Index::score`] with [`View::Final`](crate::result::View::Final) on that assessment:
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
//! scored with [`Index::score`] ([`View::Final`](crate::result::View::Final)); `unit.block` is the block and
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

use crate::band::TiePolicy;
use crate::engine::Index;
use crate::text::Lang;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};

mod collect;
mod cut;
mod dup;
mod error;
mod fast;
mod kernel;
mod leaf;
mod mean;
mod number;
mod pass1;
mod read;
mod row;
mod scorer;
#[cfg(test)]
mod tests_errors;
#[cfg(test)]
mod tests_number;
#[cfg(test)]
mod tests_run;
#[cfg(test)]
mod tests_scorer;
mod units;
mod write;

use collect::{mean_fields, Pass1};
use error::render_list;
use pass1::{pass1_csv, pass1_jsonl};
use write::Writer;

pub use error::{BatchError, RowCode, RowError};
pub(crate) use leaf::{leaf_input, LeafInput};
pub use number::{parse_decimal, write_decimal};
pub use scorer::Scored;
pub(crate) use scorer::{Fields, Scorer};
pub use units::{read_unit_cells, read_units, UnitRow, UnitsRead};

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
    let mut clock = Phases::new();
    let n = index.nodes().len();
    // Small buffer: whole chunks (~0.5 MB) go straight to the spool.
    let mut p = Pass1::new(BufWriter::with_capacity(1 << 16, spool), n, opts.max_errors);
    match format {
        InputFormat::Csv => pass1_csv(index, input, &mut p, opts)?,
        InputFormat::JsonLines => pass1_jsonl(index, input, &mut p, opts)?,
    }
    clock.mark("pass 1 (read, score, spool)");
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
    // The units' repeated hashes are sought on a second thread while this one ranks
    // (on this one after ranking with a single thread).
    let rank = || crate::ranking::rank_on_scales(&p.totals, &max_of, &p.blocks, policy);
    let (scaled, twice) = if crate::limits::threads(opts.threads) > 1 {
        let keys = &p.keys;
        std::thread::scope(|sc| {
            let twice = sc.spawn(|| keys.repeated());
            let scaled = rank();
            (scaled, twice.join().unwrap_or_else(|_| keys.repeated()))
        })
    } else {
        (rank(), p.keys.repeated())
    };
    let ranks = scaled.ranks;
    clock.mark("rank (and repeated units)");
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
        p.keys.warnings(
            &twice,
            &mut r,
            p.has_blocks,
            column,
            opts.lang,
            opts.max_errors,
        )?
    };
    drop(p.keys);
    clock.mark("duplicates");
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
    clock.mark("pass 2 (write)");
    Ok(summary)
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

/// Wall time of each phase of [`run`], and the CPU time the process used in it (user
/// and system, all threads, from `/proc/self/stat` where there is one), written to
/// standard error when the environment variable `CHISO_BATCH_PHASES` is set (for
/// profiling; nothing otherwise).
struct Phases {
    last: Option<(std::time::Instant, Option<f64>)>,
}

impl Phases {
    fn new() -> Phases {
        Phases {
            last: std::env::var_os("CHISO_BATCH_PHASES")
                .map(|_| (std::time::Instant::now(), cpu_seconds())),
        }
    }

    fn mark(&mut self, phase: &str) {
        if let Some((last, cpu)) = self.last {
            let now = std::time::Instant::now();
            let cpu_now = cpu_seconds();
            match cpu.zip(cpu_now) {
                Some((a, b)) => eprintln!(
                    "{phase}: {:.3} s (cpu {:.2} s)",
                    (now - last).as_secs_f64(),
                    b - a
                ),
                None => eprintln!("{phase}: {:.3} s", (now - last).as_secs_f64()),
            }
            self.last = Some((now, cpu_now));
        }
    }
}

/// The process's user + system CPU time so far, in seconds (Linux; clock ticks of
/// 1/100 s), for [`Phases`].
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command name (which is in parentheses and may hold spaces):
    // utime and stime are the 14th and 15th fields of the line.
    let rest = stat.get(stat.rfind(')')? + 2..)?;
    let mut f = rest.split(' ').skip(11);
    let utime: f64 = f.next()?.parse().ok()?;
    let stime: f64 = f.next()?.parse().ok()?;
    Some((utime + stime) / 100.0)
}
