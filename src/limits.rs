//! Every resource limit chiso enforces, declared in one place.
//!
//! Each limit is checked **before** the memory or time it guards is spent, and breaking one
//! is a located, bilingual error naming the limit — never a panic, an abort or a hang.
//! The README section "Limits and guarantees" lists the same figures; a test keeps the two
//! in step. Domain readers keep their detailed limits beside their code and are re-exported
//! here so this module is the single list.
//!
//! ```
//! assert!(chiso::limits::MAX_INPUT_BYTES >= 64 << 20);
//! assert!(chiso::limits::MAX_NODES >= 1_000);
//! ```

// ---------------------------------------------------------------- input files
/// Largest JSON document read whole (index, assessment, scenario, costs, spec, mapping):
/// 64 MiB. Larger files — or endless streams such as `/dev/zero` — are refused after
/// reading at most this many bytes plus one.
pub const MAX_INPUT_BYTES: u64 = 64 << 20;

// ---------------------------------------------------------------- JSON documents
// Checked by one pass over the text that allocates nothing per value (`chiso::load::json`),
// before any `serde_json::Value` or typed structure is built. The shipped documents hold at
// most ~1,700 values and nest 12 levels; a 20,000-criterion index stays well inside.
/// Deepest nesting of JSON objects and arrays in one document: 64 (a criteria tree at
/// [`MAX_DEPTH`] levels nests about 30 deep; below `serde_json`'s own 128).
pub const MAX_JSON_DEPTH: usize = 64;
/// Most JSON values (objects, arrays, strings, numbers, `true`/`false`/`null`) in one
/// document: 2,000,000 (a parsed value takes 32 bytes plus its text).
pub const MAX_JSON_VALUES: u64 = 2_000_000;
/// Most JSON objects and arrays in one document: 500,000 (a parsed object takes about
/// 0.7 KiB whatever its size in the file: 500,000 one-member objects peak at 354 MiB
/// parsed; a 20,000-criterion index of yes/no rules needs about 140,000).
pub const MAX_JSON_CONTAINERS: u64 = 500_000;
/// Most problems listed for one JSON document — duplicate keys, numbers out of range,
/// malformed nodes or entries — then counted ("the first 1000 are shown").
pub const MAX_JSON_PROBLEMS: usize = 1_000;

// ---------------------------------------------------------------- criteria trees
/// Deepest criteria tree (levels below the root).
pub const MAX_DEPTH: usize = crate::validate::MAX_DEPTH;
/// Most nodes in one criteria tree.
pub const MAX_NODES: usize = crate::validate::MAX_NODES;
/// Largest number of decimals a rounding policy may ask for.
pub const MAX_ROUNDING_DECIMALS: u32 = crate::validate::MAX_ROUNDING_DECIMALS;
/// Largest magnitude of any number in an index or an assessment (maxima, weights,
/// awards, bonus caps, values): 10¹⁵.
pub const MAX_INPUT_NUMBER: rust_decimal::Decimal = crate::rule::INPUT_LIMIT;
/// Largest magnitude the points of any node — and the total with its bonus and penalty
/// points — may reach on a valid index, worked out from the maxima and weights at
/// validation: half of `Decimal`'s range (≈ 3.96·10²⁸), so that scoring never overflows
/// and two totals still add and subtract exactly.
pub const MAX_POINTS: rust_decimal::Decimal = crate::validate::POINTS_LIMIT;

// ---------------------------------------------------------------- analysis
/// Most model runs of one sensitivity analysis (replications + `N·(d+2)`); see also
/// [`MAX_SENSITIVITY_WORK`], which counts the units.
pub const MAX_SENSITIVITY_RUNS: u64 = crate::sensitivity::MAX_RUNS;
/// Largest exact dynamic-programming table of the planner (cells).
pub const MAX_PLANNER_DP_CELLS: u64 = crate::planner::DP_LIMIT;

// ---------------------------------------------------------------- batch, plan, what-if
// The batch reader (`chiso::batch`), shared by `chiso batch`, `chiso plan --batch` and the
// units of a what-if scenario. Checked while a record is read, before more of it is
// buffered: a 1 GB cell is refused after reading about one limit of it.
/// Longest CSV header row: 1 MiB (a header names each leaf once; the codes of a
/// [`MAX_NODES`]-node index take well under 0.5 MiB).
pub const MAX_BATCH_HEADER_BYTES: usize = 1 << 20;
/// Most columns of a batch CSV: 2 × [`MAX_NODES`] (each column is the unit, the block,
/// the unit type, a leaf or a bonus/penalty block of the index, so a valid header has
/// fewer; counted before any per-column structure is built).
pub const MAX_BATCH_COLUMNS: usize = 2 * crate::validate::MAX_NODES;
/// Longest CSV cell: 64 KiB (a cell holds a number, a ratio, survey answers or a unit
/// name: a few dozen bytes).
pub const MAX_BATCH_CELL_BYTES: usize = 64 << 10;
/// Longest CSV row: 16 MiB (a row of [`MAX_NODES`] cells of 800 bytes each).
pub const MAX_BATCH_RECORD_BYTES: usize = 16 << 20;
/// Input bytes of a CSV batch in flight at once (read and not yet merged: queued,
/// being scored or waiting for their turn): 32 MiB. Pass 1 keeps up to 16 blocks a
/// scoring thread in flight, ~128 KiB each; rows near [`MAX_BATCH_RECORD_BYTES`] make
/// blocks that large, and this bound keeps two or three of them in flight, not dozens.
/// A block that grew past twice the usual size is freed once merged, not reused.
pub const MAX_BATCH_IN_FLIGHT_BYTES: usize = 32 << 20;
/// Longest line of a JSON-lines batch: one assessment, as large as an assessment file
/// ([`MAX_INPUT_BYTES`]).
pub const MAX_BATCH_LINE_BYTES: u64 = MAX_INPUT_BYTES;
/// Most units × criteria a what-if holds (its base's units times the index's nodes):
/// 250,000. Every unit is scored in full twice (baseline and scenario, with explanations)
/// and listed node by node: about 3.4 KB per unit and node measured (10,000 PAPI units,
/// 37 nodes: 1.25 GB), so about 0.85 GB at the limit. Checked while the units are read.
pub const MAX_WHATIF_CELLS: u64 = 250_000;
/// Most cost levels of the planner's dynamic programme (see [`MAX_PLANNER_DP_CELLS`]).
pub const MAX_PLANNER_DP_LEVELS: u64 = crate::planner::DP_LEVELS;

// ---------------------------------------------------------------- domain readers
/// Limits of the dossier-records reader (QĐ 766).
pub use crate::records::limits as records;
/// Limits of the TTHC publications reader.
pub use crate::records::publications::limits as publications;

// ---------------------------------------------------------------- survey
pub use crate::survey::{
    MAX_ANSWER_CELLS, MAX_BOOTSTRAP_DRAWS, MAX_BOOTSTRAP_REPS, MAX_BOOTSTRAP_VALUES, MAX_ITEMS,
    MAX_RESPONDENTS,
};

// ---------------------------------------------------------------- spreadsheets
// Checked by the CLI's one workbook reader (`bindings/cli/src/spreadsheet/workbook.rs`) for
// every spreadsheet chiso reads (import, read-form, records, survey), before calamine is
// given the file: the zip directory is checked, every part is inflated once through a
// counter that stops at its declared size (a header that lies is refused), and cells are
// streamed, so memory follows the cells present, never a sheet's declared dimension.
// Excel's own limits are 1,048,576 rows, 16,384 columns and 32,767 characters a cell.
/// Largest spreadsheet file (.xlsx, .xlsm, .xls, .ods) read: 128 MiB on disk.
pub const MAX_SPREADSHEET_BYTES: u64 = 128 << 20;
/// Most bytes all parts of one workbook may inflate to together: 512 MiB (a 3 MB deflate
/// bomb declares 3 GiB). A dossier export of about 1.5 million cells fits; larger exports
/// are read as CSV, which streams.
pub const MAX_WORKBOOK_INFLATED_BYTES: u64 = 512 << 20;
/// Largest inflated part (one sheet's XML, the shared strings…): 256 MiB.
pub const MAX_WORKBOOK_PART_BYTES: u64 = 256 << 20;
/// Highest compression ratio (inflated ÷ compressed) of a part that inflates to more than
/// 1 MiB: 200. Office XML compresses 5–30×, 100× for long runs of blank styled cells;
/// deflate bombs reach 1,000×.
pub const MAX_WORKBOOK_RATIO: u64 = 200;
/// Most parts (zip entries) in one workbook: 10,000 (a workbook of [`MAX_SHEETS`] sheets
/// has about 2,000).
pub const MAX_WORKBOOK_PARTS: u64 = 10_000;
/// Most sheets in one workbook: 1,000.
pub const MAX_SHEETS: usize = 1_000;
/// Most rows of one sheet: 1,048,576 (Excel's own limit).
pub const MAX_SHEET_ROWS: u32 = 1 << 20;
/// Most columns read from one sheet: 1,024 (column AMJ). A criteria table has about 20,
/// a dossier export about 60 and a survey sheet at most [`MAX_ITEMS`] answers; a value
/// further right is refused with its cell, before any row is widened to reach it.
pub const MAX_SHEET_COLUMNS: u32 = 1_024;
/// Most cells held from one workbook: 10,000,000, counting the blank cells of a row up to
/// its last value and one per row (each costs 24 bytes before its text, so the slots stay
/// under 240 MiB).
pub const MAX_SHEET_CELLS: u64 = 10_000_000;
/// Longest cell text: 32,767 characters (Excel's own limit).
pub const MAX_CELL_CHARS: usize = 32_767;
/// Most located problems listed for one workbook (then "… and N more").
pub const MAX_SPREADSHEET_PROBLEMS: usize = 100;

// ---------------------------------------------------------------- threads and replications
/// Most worker threads any computation starts, whatever `--threads` asks: 256. The
/// effective ceiling is [`max_threads`], the machine's available parallelism capped by this
/// figure — more threads than cores only add memory (a stack each) and switching, never
/// speed, and 100,000 of them exhaust the process. Results never depend on the thread
/// count, so a larger request is clamped (the CLI says so in a warning), not refused.
pub const MAX_THREADS: usize = 256;

/// The most threads worth starting on this machine: its available parallelism (1 when
/// unknown), at most [`MAX_THREADS`].
///
/// ```
/// let n = chiso::limits::max_threads();
/// assert!((1..=chiso::limits::MAX_THREADS).contains(&n));
/// ```
pub fn max_threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, MAX_THREADS)
}

/// A requested thread count made safe: at least 1, at most [`max_threads`].
///
/// ```
/// assert_eq!(chiso::limits::threads(0), 1);
/// assert_eq!(chiso::limits::threads(100_000), chiso::limits::max_threads());
/// ```
pub fn threads(requested: usize) -> usize {
    requested.clamp(1, max_threads())
}

/// Most unit scorings of one sensitivity analysis, `(replications + N·(d+2)) × units`
/// (its time): with 2 units at most 10,000,000 replications, with 63 at most 317,460.
/// Replications are folded into the rank histogram a chunk at a time, so their number
/// costs time, never memory.
pub const MAX_SENSITIVITY_WORK: u64 = crate::sensitivity::MAX_WORK;
/// Most bytes of results one sensitivity analysis keeps (rank histogram of
/// `units × (units + 1)` counters and the `N·(d+2)` outputs of the sensitivity design).
pub const MAX_SENSITIVITY_RESULT_BYTES: u64 = crate::sensitivity::MAX_RESULT_BYTES;
/// Most problems of a sensitivity spec listed (then one line counting the rest).
pub const MAX_SENSITIVITY_SPEC_PROBLEMS: usize = crate::sensitivity::MAX_SPEC_PROBLEMS;

// ---------------------------------------------------------------- calendar
pub use crate::calendar::{MAX_CALENDAR_BYTES, MAX_CALENDAR_ROWS, MAX_CALENDAR_YEARS};
