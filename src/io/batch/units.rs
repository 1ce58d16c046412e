//! The batch reader for the commands that need each unit's assessment: `chiso plan
//! --batch` (the other units of a rank target) and the units of a what-if scenario.
//!
//! It is `chiso batch`'s reader: the same cutting of the input into records, the same
//! limits ([`crate::limits`]), the same header checks ([`Scorer::new`]) and the same
//! row validation ([`Scorer::score_row`]; JSON lines: [`crate::load::assessment`] and
//! [`Index::score`]), so a bad row gets the same message and the same row number from
//! the three commands, and a file `chiso batch` rejects (ragged rows, no header, no
//! unit) is rejected here too. Units stream by one at a time: nothing is kept but what
//! the duplicate check needs (each unit's name and block).

use super::error::{render_list, RowCode};
use super::pass1::{csv_header, json_unit, scored_of};
use super::read::{read_line_bounded, Blocks, Line, BLOCK};
use super::{BatchError, Fields, InputFormat, Options, RowError, Scored, Scorer};
use crate::assessment::Assessment;
use crate::engine::{Cell, Index};
use crate::limits::MAX_BATCH_LINE_BYTES;
use crate::text::Lang;
use std::collections::HashMap;
use std::io::{BufReader, Read};
use std::ops::ControlFlow;

/// One unit of a batch.
#[derive(Debug, Clone)]
pub struct UnitRow {
    /// Line of the unit in the input (CSV header = 1), as `chiso batch` numbers rows.
    pub line: u64,
    /// The unit's name (trimmed).
    pub name: String,
    /// Its block, when it names one.
    pub block: Option<String>,
    /// The assessment the row stands for (the scorer's assessment; JSON lines: the
    /// line), when asked for (`assessments` of [`read_units`]; JSON lines: always).
    pub assessment: Option<Assessment>,
    /// Its score in the final view, as `chiso batch` scores it.
    pub scored: Scored,
    /// Its points and maxima in the final view, one cell per node in [`Index::nodes`]
    /// order (root first), when asked for ([`read_unit_cells`]; CSV rows only).
    pub cells: Option<Vec<Cell>>,
}

/// What [`read_units`] read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitsRead {
    /// Units read.
    pub units: u64,
    /// Warnings (a unit repeating an earlier row of its block), at most
    /// [`Options::max_errors`].
    pub warnings: Vec<RowError>,
    /// How many warnings there are in all.
    pub warning_count: usize,
}

impl UnitsRead {
    /// The warnings, one per line (empty when there are none), as [`super::Summary`]
    /// renders them.
    pub fn render_warnings(&self, source: &str, lang: Lang) -> String {
        render_list(&self.warnings, self.warning_count, source, lang, true)
    }
}

/// Reads the units of a batch as `chiso batch` reads them and passes each valid one to
/// `each`, in input order; `each` returns [`ControlFlow::Break`] to stop reading (the
/// caller has what it needs, or too much). Every problem is collected
/// ([`Options::max_errors`] listed, all counted) and returned at the end as
/// [`BatchError::Input`], rendered as `chiso batch` renders it; once a problem is found no
/// more units are passed. An input without units is an error (nothing to compare with).
/// Only `opts.lang`, `opts.source` and `opts.max_errors` are used. A CSV row's
/// assessment is built only when `assessments` is true (what-if needs it; a rank target
/// in the final view needs the batch's own totals only).
///
/// ```
/// use chiso::batch::{read_units, InputFormat, Options};
/// let index = chiso::Index::from_json(r#"{"format":"chiso.index/1","id":"t","title":{"vi":"T"},
///   "version":"1","legal_basis":[],"unit_levels":["province"],"years":{"from":2024},
///   "completeness":"example","nodes":[{"code":"A","title":{"vi":"A"},"rule":{"type":"score"}}]}"#).unwrap();
/// let mut names = Vec::new();
/// read_units(&index, &b"unit,A\nX,1.5\nY,2\n"[..], InputFormat::Csv, &Options::default(), false, |u| {
///     names.push((u.line, u.name, u.scored.total));
///     std::ops::ControlFlow::Continue(())
/// }).unwrap();
/// assert_eq!(names[1], (3, "Y".to_owned(), Some(2.into())));
/// // A ragged row is the error `chiso batch` gives.
/// let e = read_units(&index, &b"unit,A\nX,1,2\n"[..], InputFormat::Csv, &Options::default(),
///     false, |_| std::ops::ControlFlow::Continue(())).unwrap_err();
/// assert_eq!(e.render(), "units row 2: has 3 fields, the header has 2");
/// ```
pub fn read_units<R: Read>(
    index: &Index,
    input: R,
    format: InputFormat,
    opts: &Options,
    assessments: bool,
    each: impl FnMut(UnitRow) -> ControlFlow<()>,
) -> Result<UnitsRead, BatchError> {
    read(index, input, format, opts, assessments, false, each)
}

/// Reads the units of a batch CSV as [`read_units`] does (the same records, limits,
/// checks, messages, row numbers and duplicate warnings) and passes each with its
/// [`UnitRow::cells`]: what an analysis that re-aggregates the leaves needs (the units
/// of [`crate::sensitivity`]).
///
/// ```
/// use chiso::batch::{read_unit_cells, Options};
/// let index = chiso::Index::from_json(r#"{"format":"chiso.index/1","id":"t","title":{"vi":"T"},
///   "version":"1","legal_basis":[],"unit_levels":["province"],"years":{"from":2024},
///   "completeness":"example","nodes":[{"code":"A","title":{"vi":"A"},"rule":{"type":"score"}}]}"#).unwrap();
/// let mut roots = Vec::new();
/// read_unit_cells(&index, &b"unit,A\nX,1.5\n"[..], &Options::default(), |u| {
///     roots.push(u.cells.unwrap()[0].achieved());
///     std::ops::ControlFlow::Continue(())
/// }).unwrap();
/// assert_eq!(roots, [Some("1.5".parse().unwrap())]);
/// ```
pub fn read_unit_cells<R: Read>(
    index: &Index,
    input: R,
    opts: &Options,
    each: impl FnMut(UnitRow) -> ControlFlow<()>,
) -> Result<UnitsRead, BatchError> {
    read(index, input, InputFormat::Csv, opts, false, true, each)
}

fn read<R: Read>(
    index: &Index,
    input: R,
    format: InputFormat,
    opts: &Options,
    assessments: bool,
    cells: bool,
    mut each: impl FnMut(UnitRow) -> ControlFlow<()>,
) -> Result<UnitsRead, BatchError> {
    let mut r = Reader {
        opts,
        assessments,
        cells,
        key: String::new(),
        column: (format == InputFormat::Csv).then_some("unit"),
        errors: Vec::new(),
        error_count: 0,
        seen: HashMap::new(),
        stopped: false,
        read: UnitsRead {
            units: 0,
            warnings: Vec::new(),
            warning_count: 0,
        },
    };
    match format {
        InputFormat::Csv => r.csv(index, input, &mut each)?,
        InputFormat::JsonLines => r.json_lines(index, input, &mut each)?,
    }
    if r.error_count == 0 && r.read.units == 0 && !r.stopped {
        r.fail(vec![RowError::no_units(opts.lang)]);
    }
    if r.error_count > 0 {
        r.errors.sort_by_key(|e| e.row);
        return Err(BatchError::Input {
            source: opts.source.clone(),
            errors: r.errors,
            total: r.error_count,
            lang: opts.lang,
        });
    }
    Ok(r.read)
}

struct Reader<'o> {
    opts: &'o Options,
    /// Whether CSV rows' assessments are built.
    assessments: bool,
    /// Whether CSV rows' cells are kept.
    cells: bool,
    /// The block and name of the unit being checked (a reused buffer).
    key: String,
    /// Where a unit is named: the `unit` column of a CSV file, nowhere in JSON lines.
    column: Option<&'static str>,
    errors: Vec<RowError>,
    error_count: usize,
    /// Line of the first row of each unit (block, U+001F, name).
    seen: HashMap<String, u64>,
    /// Whether `each` asked to stop.
    stopped: bool,
    read: UnitsRead,
}

impl Reader<'_> {
    fn fail(&mut self, errs: Vec<RowError>) {
        self.error_count += errs.len();
        for e in errs {
            if self.errors.len() < self.opts.max_errors {
                self.errors.push(e);
            }
        }
    }

    /// Passes a valid unit on, after the duplicate check.
    fn unit(&mut self, row: UnitRow, each: &mut impl FnMut(UnitRow) -> ControlFlow<()>) {
        if self.error_count > 0 {
            return;
        }
        self.read.units += 1;
        self.key.clear();
        self.key.push_str(row.block.as_deref().unwrap_or(""));
        self.key.push('\u{1f}');
        self.key.push_str(&row.name);
        match self.seen.get(self.key.as_str()) {
            Some(&first) => {
                self.read.warning_count += 1;
                if self.read.warnings.len() < self.opts.max_errors {
                    self.read.warnings.push(super::dup::warning(
                        row.line,
                        first,
                        row.name.as_bytes(),
                        row.block.as_deref().map(str::as_bytes),
                        self.column,
                        self.opts.lang,
                    ));
                }
            }
            None => {
                self.seen.insert(self.key.clone(), row.line);
            }
        }
        if each(row).is_break() {
            self.stopped = true;
        }
    }

    fn csv<R: Read>(
        &mut self,
        index: &Index,
        input: R,
        each: &mut impl FnMut(UnitRow) -> ControlFlow<()>,
    ) -> Result<(), BatchError> {
        let lang = self.opts.lang;
        let mut blocks = Blocks::new(input);
        let (mut scorer, names) = match csv_header(index, &mut blocks, lang)? {
            Ok(x) => x,
            Err(e) => {
                self.fail(e);
                return Ok(());
            }
        };
        let mut block = super::read::Block::default();
        let mut rec = csv::ByteRecord::new();
        while !self.stopped {
            let line = match blocks.next(&mut block, BLOCK) {
                Ok(Some(line)) => line,
                Ok(None) => return Ok(()),
                Err(e) => {
                    self.fail(vec![e.into_row_error(&names, lang)?]);
                    return Ok(());
                }
            };
            // Every record through the `csv` crate: the fields and line numbers the
            // batch's own paths give (property-tested equal there).
            let mut rdr = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(&block[..]);
            let mut k = 0;
            loop {
                match rdr.read_byte_record(&mut rec) {
                    Ok(true) if self.stopped => break,
                    Ok(true) => {
                        let at = line.of(k, rec.position().map_or(1, csv::Position::line));
                        k += 1;
                        self.record(&mut scorer, at, &rec, each);
                    }
                    Ok(false) => break,
                    Err(e) => {
                        let at = line.of(k, e.position().map_or(1, csv::Position::line));
                        self.fail(vec![RowError::unreadable(at, e.to_string())]);
                        break;
                    }
                }
            }
        }
        Ok(())
    }

    /// One CSV record: validated and scored as `chiso batch` does, then its assessment.
    fn record(
        &mut self,
        scorer: &mut Scorer<'_>,
        line: u64,
        rec: &csv::ByteRecord,
        each: &mut impl FnMut(UnitRow) -> ControlFlow<()>,
    ) {
        match scorer.score_row(line, rec) {
            Ok(scored) => {
                if self.error_count > 0 {
                    return; // nothing will be used; keep validating
                }
                let text = |c: usize| String::from_utf8_lossy(rec.field(c)).trim().to_owned();
                let name = text(scorer.unit_column);
                let block = scorer.block_column.map(text).filter(|b| !b.is_empty());
                let assessment = match self.assessments.then(|| scorer.assessment(rec)) {
                    None => None,
                    Some(Ok(a)) => Some(a),
                    Some(Err(_)) => {
                        let lang = scorer.lang;
                        self.fail(vec![RowError::new(
                            line,
                            None,
                            None,
                            RowCode::UnreadableValue,
                            lang,
                            |l| scorer.assessment_in(rec, l).err().unwrap_or_default(),
                        )]);
                        return;
                    }
                };
                let cells = self.cells.then(|| scorer.cells().to_vec());
                self.unit(
                    UnitRow {
                        line,
                        name,
                        block,
                        assessment,
                        scored,
                        cells,
                    },
                    each,
                );
            }
            Err(e) => self.fail(e),
        }
    }

    fn json_lines<R: Read>(
        &mut self,
        index: &Index,
        input: R,
        each: &mut impl FnMut(UnitRow) -> ControlFlow<()>,
    ) -> Result<(), BatchError> {
        let mut reader = BufReader::new(input);
        let mut buf = Vec::new();
        let mut line = 0u64;
        while !self.stopped {
            buf.clear();
            let read = read_line_bounded(&mut reader, &mut buf, MAX_BATCH_LINE_BYTES)?;
            if read == Line::End {
                break;
            }
            line += 1;
            match json_unit(index, read, &buf, line, self.opts.lang) {
                Ok(Some((assessment, r))) => {
                    let scored = scored_of(index, &r);
                    let u = &assessment.unit;
                    let name = u.name.trim().to_owned();
                    let block = u.block.clone().filter(|b| !b.is_empty());
                    self.unit(
                        UnitRow {
                            line,
                            name,
                            block,
                            assessment: Some(assessment),
                            scored,
                            cells: None,
                        },
                        each,
                    );
                }
                Ok(None) => {}
                Err(e) => self.fail(e),
            }
        }
        Ok(())
    }
}
