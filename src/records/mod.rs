//! Dossier records (hồ sơ TTHC) → QĐ 766 indicators: reading DVC exports with the national
//! sync field names, judging each dossier under named policies, counting numerators and
//! denominators per unit and period, and explaining which dossier cost which point.

mod analyse;
mod assess;
mod columns;
mod cost;
mod dossier;
pub mod error;
mod explain;
mod indicator;
mod judge;
mod parse;
mod period;
mod policy;
pub mod publications;
mod read;
mod tally;
mod units;

pub use analyse::{analyse, Options, Report, RowStats};
pub use assess::{assessment, batch_csv, score, unit_label, UnitScore, Values};
pub use columns::{
    column_table_markdown, header_key, Column, ColumnInfo, HeaderTarget, Mapping, Resolver,
    COLUMN_COUNT, IGNORED_SYNC_FIELDS, MAPPING_FORMAT,
};
pub use cost::{formula, CostCase, CostEntry, CostModel, IndicatorRule, TopN};
pub use dossier::{Dossier, Flags, KenhThucHien, Supplement, ThanhToan, TrangThaiHoSo};
pub use explain::{details, working_time, Details, Explanation, IndicatorCost};
pub use indicator::{Indicator, IndicatorSet, NOT_FROM_DOSSIERS};
pub use judge::{end_time, judge, Basis, DueSource, Evaluation, JudgeError, Judgement, Outcome};
pub use period::{Bucket, BucketIndex, By, Month, Period, PeriodError};
pub use policy::{
    Comparison, ElectronicResult, EndEvent, Finished, FinishedAfterPeriod, MissingDue, OpenAtEnd,
    Policies, RepeatedSupplements, Supplements, Withdrawn,
};
pub use read::{Reader, RecordFormat, RowCells};
pub use tally::{marks, roll_up, Counts, Marks, Tally};
pub use units::{code_order, UnitCodeProblem, UnitNode, UnitTree};

/// Limits on input, checked before allocating (one place for all of them).
pub mod limits {
    /// Most columns in a header (or keys in a JSON line).
    pub const MAX_COLUMNS: usize = 512;
    /// Longest cell, in bytes (a supplement list holds up to [`MAX_SUPPLEMENTS`] times).
    pub const MAX_CELL_BYTES: usize = 16 * 1024;
    /// Longest line (CSV record or JSON line), in bytes.
    pub const MAX_LINE_BYTES: usize = 1024 * 1024;
    /// Most units in the tree (ancestors included).
    pub const MAX_UNITS: usize = 100_000;
    /// Deepest unit code (segments separated by `.`).
    pub const MAX_UNIT_DEPTH: usize = 8;
    /// Most supplement requests of one dossier.
    pub const MAX_SUPPLEMENTS: usize = 64;
    /// Most problems listed (all are counted).
    pub const MAX_ERRORS: usize = 1000;
    /// Longest period, in months.
    pub const MAX_PERIOD_MONTHS: usize = 1200;
    /// Longest "dossiers that cost points" list per unit and period.
    pub const MAX_COST_LIST: usize = 10_000;
    /// Most dossier rows in one file.
    pub const MAX_ROWS: u64 = 1_000_000_000;
}
