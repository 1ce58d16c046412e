//! `chiso batch`: stream units in, rank, write every node's score.

use chiso::band::TiePolicy;
use chiso::batch::{BatchError, InputFormat, Options, OutputFormat};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Tie policies on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Ties {
    /// 1, 2, 2, 4 (shared rank, next rank skipped).
    Competition,
    /// 1, 2, 2, 3 (shared rank, next rank follows).
    Dense,
    /// 1, 2, 3, 4 (consecutive ranks; equal totals ranked in input order).
    Ordinal,
}

/// Input kinds on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Input {
    /// CSV with a header row.
    Csv,
    /// One chiso.assessment/1 JSON document per line.
    Jsonl,
}

/// Arguments of `chiso batch`.
#[derive(Debug, clap::Args)]
#[command(after_help = "
INPUT. CSV with a header row: `unit` (name, required), optional `block` (units are ranked \
separately per block, e.g. departments vs districts), optional `unit_type` (a code of the index's \
unit_types, e.g. khong_co_mau_khao_sat; empty = every criterion applies; the criteria the type \
leaves out must be empty or n/a), one column per LEAF code of the index \
(all leaves required; unknown columns are errors) and optional adjustment columns (bonus/penalty \
points). Or JSON lines (.jsonl): one chiso.assessment/1 document per line, scored in the final view.\n\n\
CELL VALUES (the unit's final values; '.' is the decimal point): score, discretionary: a number; \
survey: points, a percent `85%` or answers `A=10;B=5`; proportional: `num/den` (45/50) or `90%`; \
tiers: a number (percent tiers also `num/den`, `90%`); yes_no: yes/no, có/không, true/false, 1/0; \
timeliness, levels: the option key (on_time, late, not_done, a level key); deductions: `minor=2;severe=1`. \
An empty cell is a missing value (the index's missing_value policy applies); `n/a` = not applicable.\n\n\
OUTPUT. Columns: unit, block (when the input has one; always for JSON lines), one column per node \
code in tree order without the root (points), total (after bonus/penalty), percent (of the applicable \
maximum; empty when the index has none), rank, band. Decimals are exact and normalized (never floats); \
a missing value is an empty cell (null in JSON); a unit without a total is not ranked. Ranks use exact \
totals and the index's tie_policy (override with --ties: competition 1, 2, 2, 4; dense 1, 2, 2, 3; \
ordinal 1, 2, 3, 4 with equal totals in input order), within each block; a block whose units have \
different applicable maxima (unit types, n/a criteria) is ranked on percent instead (78.54 of 84 = \
93.5 % before 92.14 of 100; JSON rank_basis says which). Leaf points are rounded as the index's \
policies.leaf_rounding declares (QĐ 766 portal: 2 decimals, half up).\n\n\
MEANS. A last row with unit `__mean__` (in JSON: the `mean` member) holds the unweighted mean over \
units of every column, over the units that have a value (exact sum, divided once and rounded half to \
even to 28-29 significant digits); its rank and band are empty. --no-mean drops it.\n\n\
ERRORS. Every row is checked before anything is written. Errors name the row (line number in the \
file, header = row 1) and the column; all bad rows are reported (the first --max-errors listed, all \
counted) and nothing is written to stdout.\n\n\
EXIT CODES: 0 ok, 1 invalid input, 2 usage.")]
pub struct BatchArgs {
    /// Index definition.
    pub index: PathBuf,
    /// Units: CSV (`unit`, optional `block` and `unit_type`, one column per leaf code) or JSON lines.
    pub units: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "csv")]
    pub format: crate::Format,
    /// Input kind (default: from the extension; .jsonl/.ndjson/.json = JSON lines, else CSV).
    #[arg(long, value_enum)]
    pub input: Option<Input>,
    /// Tie policy for ranks (default: the index's `tie_policy`).
    #[arg(long, value_enum)]
    pub ties: Option<Ties>,
    /// Do not write the `__mean__` row.
    #[arg(long)]
    pub no_mean: bool,
    /// Most errors listed (all are counted).
    #[arg(long, default_value_t = 50)]
    pub max_errors: usize,
    /// Scoring threads for CSV input (default: the number of cores, at most 4).
    #[arg(long)]
    pub threads: Option<usize>,
}

/// Runs the batch command.
pub fn run(args: &BatchArgs, lang: chiso::Lang) -> ExitCode {
    let output = match args.format {
        crate::Format::Csv => OutputFormat::Csv,
        crate::Format::Json => OutputFormat::Json,
        crate::Format::Table => OutputFormat::Table,
        crate::Format::Md => {
            eprintln!(
                "{}",
                match lang {
                    chiso::Lang::Vi =>
                        "chiso batch: không hỗ trợ --format md; hãy dùng csv, json hoặc table",
                    chiso::Lang::En =>
                        "chiso batch: --format md is not supported; use csv, json or table",
                }
            );
            return ExitCode::from(2);
        }
    };
    let index = match chiso::Index::from_file(&args.index) {
        Ok(i) => i,
        Err(d) => return crate::output::failed(&d, lang),
    };
    let units_name = args.units.display().to_string();
    let file = match std::fs::File::open(&args.units) {
        Ok(f) => f,
        Err(e) => return crate::output::failed(&read_error(&units_name, &e), lang),
    };
    let spool = match tempfile::tempfile() {
        Ok(f) => f,
        Err(e) => return crate::output::failed(&spool_error(&e, lang), lang),
    };
    let format = match args.input {
        Some(Input::Csv) => InputFormat::Csv,
        Some(Input::Jsonl) => InputFormat::JsonLines,
        None => InputFormat::from_path(&args.units),
    };
    let source = args.units.file_name().map_or_else(
        || args.units.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let opts = Options {
        output,
        lang,
        source,
        tie_policy: args.ties.map(|t| match t {
            Ties::Competition => TiePolicy::Competition,
            Ties::Dense => TiePolicy::Dense,
            Ties::Ordinal => TiePolicy::Ordinal,
        }),
        mean: !args.no_mean,
        max_errors: args.max_errors.max(1),
        threads: crate::commands::threads(args.threads, chiso::batch::default_threads(), lang),
    };
    // Both writers note a failure, so an I/O error is worded as a write failure (of the
    // output or of the temporary file) or a read failure of the input.
    let mut out = Noted::new(std::io::stdout().lock());
    let mut spool = Noted::new(spool);
    // CSV is read in blocks of whole records straight into the scoring buffers (a
    // buffer in between would only copy them); JSON lines line by line, buffered.
    let result = match format {
        InputFormat::Csv => chiso::batch::run(&index, file, format, &mut spool, &mut out, &opts),
        InputFormat::JsonLines => chiso::batch::run(
            &index,
            std::io::BufReader::with_capacity(1 << 20, file),
            format,
            &mut spool,
            &mut out,
            &opts,
        ),
    }
    .and_then(|s| out.flush().map(|()| s).map_err(BatchError::Io));
    match result {
        Ok(s) => {
            if s.warning_count > 0 {
                eprintln!("{}", s.render_warnings(&opts.source, lang));
            }
            ExitCode::SUCCESS
        }
        Err(BatchError::Io(e)) if crate::output::is_closed_pipe(&e) => ExitCode::SUCCESS,
        Err(e @ BatchError::Input { .. }) => {
            let mut err = std::io::stderr().lock();
            let _ = writeln!(err, "{}", e.render());
            ExitCode::from(1)
        }
        Err(BatchError::Io(e)) => {
            let d = if out.failed {
                crate::output::cannot_write(crate::output::STDOUT, &e)
            } else if spool.failed {
                spool_error(&e, lang)
            } else {
                read_error(&units_name, &e)
            };
            crate::output::failed(&d, lang)
        }
    }
}

/// The input could not be read.
fn read_error(file: &str, e: &std::io::Error) -> chiso::Diagnostics {
    chiso::Diagnostics(vec![chiso::Diagnostic::error(
        "$",
        None,
        chiso::Problem::Io {
            detail: e.to_string(),
        },
    )
    .in_file(file)])
}

/// The temporary file between the two passes could not be made or written.
fn spool_error(e: &std::io::Error, lang: chiso::Lang) -> chiso::Diagnostics {
    let name = match lang {
        chiso::Lang::Vi => "tệp tạm của chiso batch",
        chiso::Lang::En => "chiso batch's temporary file",
    };
    crate::output::cannot_write(name, e)
}

/// A reader/writer that notes whether any of its operations failed.
struct Noted<T> {
    inner: T,
    failed: bool,
}

impl<T> Noted<T> {
    fn new(inner: T) -> Self {
        Noted {
            inner,
            failed: false,
        }
    }
    fn note<R>(&mut self, r: std::io::Result<R>) -> std::io::Result<R> {
        if r.is_err() {
            self.failed = true;
        }
        r
    }
}

impl<T: Write> Write for Noted<T> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let r = self.inner.write(buf);
        self.note(r)
    }
    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        let r = self.inner.write_all(buf);
        self.note(r)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        let r = self.inner.flush();
        self.note(r)
    }
}

impl<T: std::io::Read> std::io::Read for Noted<T> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let r = self.inner.read(buf);
        self.note(r)
    }
}

impl<T: std::io::Seek> std::io::Seek for Noted<T> {
    fn seek(&mut self, pos: std::io::SeekFrom) -> std::io::Result<u64> {
        let r = self.inner.seek(pos);
        self.note(r)
    }
}
