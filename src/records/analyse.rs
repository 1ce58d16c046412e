//! The records run: read every row once, parse and judge it, count it for its unit and
//! period, keep no row. Duplicate `MaHoSo` detection keeps 64-bit hashes only (in 256
//! vectors by the top byte, sorted at the end); hashes that collide are verified by a
//! second read that names both rows of every real duplicate. Memory grows with the
//! units and periods, and by 8 bytes per row for the hashes; time is linear in rows.

use crate::calendar::{NaiveDateTime, WorkingCalendar};
use crate::diagnostics::{Diagnostic, Diagnostics, Location, Problem};
use crate::records::columns::{Column, Mapping, Resolver, COLUMN_COUNT};
use crate::records::error::{cell, location, Code, Problems};
use crate::records::indicator::Indicator;
use crate::records::judge::{judge, Evaluation, JudgeError};
use crate::records::limits::MAX_ROWS;
use crate::records::parse;
use crate::records::period::{Bucket, BucketIndex, By, Period};
use crate::records::policy::Policies;
use crate::records::read::{Reader, RecordFormat, RowCells};
use crate::records::tally::{marks, roll_up, Counts, Tally};
use crate::records::units::{UnitCodeProblem, UnitTree};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::io::{self, Read};

/// What a records run needs besides the file.
#[derive(Debug, Clone)]
pub struct Options {
    /// CSV or JSON lines.
    pub format: RecordFormat,
    /// Name of the file in messages.
    pub source: String,
    /// The period.
    pub period: Period,
    /// How the period is cut.
    pub by: By,
    /// The policies.
    pub policies: Policies,
    /// A mapping for exports with other column names or codes.
    pub mapping: Option<Mapping>,
    /// Evaluation time for a period that has not ended (exclusive instant): open
    /// dossiers are judged at the earlier of it and the period's end.
    pub as_of: Option<NaiveDateTime>,
}

impl Options {
    /// Options with default policies, cut as a whole.
    pub fn new(format: RecordFormat, source: impl Into<String>, period: Period) -> Options {
        Options {
            format,
            source: source.into(),
            period,
            by: By::Whole,
            policies: Policies::default(),
            mapping: None,
            as_of: None,
        }
    }
}

/// Rows read and set aside.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct RowStats {
    /// Dossier rows read (blank lines not counted).
    pub rows: u64,
    /// Rows in status 1 or 3 (never received).
    pub not_received: u64,
    /// Received rows outside the period.
    pub outside_period: u64,
    /// Rows counted in a unit and period.
    pub counted: u64,
}

/// Everything a run found: units, periods, counts (rolled up), the columns present.
#[derive(Debug, Clone)]
pub struct Report {
    /// The options used.
    pub options: Options,
    /// The buckets of the period.
    pub buckets: Vec<Bucket>,
    /// The evaluation of each bucket.
    pub evaluations: Vec<Evaluation>,
    /// Columns the file has.
    pub present: [bool; COLUMN_COUNT],
    /// The unit tree.
    pub units: UnitTree,
    /// Counts per (unit, bucket), rolled up to ancestors.
    pub tally: Tally,
    /// Row counts.
    pub stats: RowStats,
}

impl Report {
    /// The counts of a unit in a bucket (zero when it had no dossier there).
    pub fn counts(&self, unit: u32, bucket: usize) -> Counts {
        let b = u16::try_from(bucket).unwrap_or(u16::MAX);
        self.tally.get(&(unit, b)).copied().unwrap_or_default()
    }

    /// The column groups `i` needs that the file lacks (empty: computable).
    pub fn missing_for(&self, i: Indicator) -> Vec<&'static [Column]> {
        i.needs()
            .iter()
            .filter(|group| !group.iter().any(|c| self.present[c.index()]))
            .copied()
            .collect()
    }

    /// Whether `i` is computable from these records.
    pub fn computable(&self, i: Indicator) -> bool {
        self.missing_for(i).is_empty()
    }

    /// `(numerator, denominator)` of `i` for a unit and bucket; `None` when the file
    /// lacks a column `i` needs.
    pub fn fraction(&self, unit: u32, bucket: usize, i: Indicator) -> Option<(u64, u64)> {
        self.computable(i)
            .then(|| self.counts(unit, bucket).fraction(i))
    }

    /// Whether the file had supplement columns (without them no dossier is taken to
    /// have had a supplement request — said in every output).
    pub fn has_supplement_columns(&self) -> bool {
        self.present[Column::NgayYeuCauBoSung.index()]
    }
}

/// 64-bit FNV-1a of a dossier code, finished with a 64-bit mixer (deterministic).
pub(crate) fn code_hash(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// The evaluation of each bucket: its end, or `as_of` when earlier.
pub(crate) fn evaluations(buckets: &[Bucket], as_of: Option<NaiveDateTime>) -> Vec<Evaluation> {
    buckets
        .iter()
        .map(|b| {
            let at = match as_of {
                Some(a) if a < b.end() => a,
                _ => b.end(),
            };
            let last_day = (at - chrono::TimeDelta::seconds(1)).date().min(b.last_day);
            Evaluation { at, last_day }
        })
        .collect()
}

fn io_problem(e: &io::Error) -> Diagnostic {
    Diagnostic::error_at(
        Location::File,
        None,
        Problem::Io {
            detail: e.to_string(),
        },
    )
}

/// A located problem of a judgement.
pub(crate) fn judge_problem(row: u64, ma_ho_so: &str, e: &JudgeError) -> Diagnostic {
    match e {
        JudgeError::NoEndTime => cell(
            location(row, Some(Column::NgayKetThucXuLy.name()), Some(ma_ho_so)),
            "",
            Code::NoEndTime,
            "a finished dossier (status 7, 8, 9 or 10) needs its end time: NgayKetThucXuLy or NgayTra",
            "hồ sơ đã kết thúc (trạng thái 7, 8, 9 hoặc 10) phải có thời điểm kết thúc: NgayKetThucXuLy hoặc NgayTra",
        ),
        JudgeError::NoDue => cell(
            location(row, Some(Column::NgayHenTra.name()), Some(ma_ho_so)),
            "",
            Code::NoDue,
            "no NgayHenTra, and no ThoiGianGiaiQuyet with DonViTinh to compute it (policy missing_due = maximum_time)",
            "không có NgayHenTra, cũng không có ThoiGianGiaiQuyet và DonViTinh để tính (chính sách missing_due = maximum_time)",
        ),
        JudgeError::Calendar(c) => c.to_diagnostic(location(row, None, Some(ma_ho_so))),
    }
}

fn unit_problem(row: u64, code: &str, ma_ho_so: &str, p: UnitCodeProblem) -> Diagnostic {
    let (en, vi) = match p {
        UnitCodeProblem::Malformed => (
            "DonViXuLy must be a unit code without spaces whose parts are separated by single dots (H21, H21.17)".to_owned(),
            "DonViXuLy phải là mã đơn vị không có dấu cách, các cấp cách nhau bởi một dấu chấm (H21, H21.17)".to_owned(),
        ),
        UnitCodeProblem::TooDeep => (
            format!("DonViXuLy has more than {} levels", crate::records::limits::MAX_UNIT_DEPTH),
            format!("DonViXuLy có quá {} cấp", crate::records::limits::MAX_UNIT_DEPTH),
        ),
        UnitCodeProblem::TooMany => (
            format!("more than {} units", crate::records::limits::MAX_UNITS),
            format!("quá {} đơn vị", crate::records::limits::MAX_UNITS),
        ),
    };
    let code_ = if p == UnitCodeProblem::TooMany {
        Code::TooLarge
    } else {
        Code::BadUnitCode
    };
    cell(
        location(row, Some(Column::DonViXuLy.name()), Some(ma_ho_so)),
        code,
        code_,
        &en,
        &vi,
    )
}

/// Reads the file (`open` may be called again to verify duplicate codes) and counts.
/// Every problem is returned at once; nothing is returned on error.
///
/// ```
/// use chiso::records::{analyse, Indicator, Options, RecordFormat};
/// let csv = "MaHoSo,DonViXuLy,TrangThaiHoSo,NgayTiepNhan,NgayHenTra,NgayKetThucXuLy,KenhThucHien\n\
///            A1,H21.17,10,20260105080000,20260107080000,20260106100000,2\n\
///            A2,H21.17,4,20260105090000,20260107090000,,1\n";
/// let opts = Options::new(RecordFormat::Csv, "d.csv", "2026-01".parse().unwrap());
/// let r = analyse(&mut || Ok(csv.as_bytes()), &opts).unwrap();
/// let unit = r.units.id("H21.17").unwrap();
/// // A1 finished early; A2 is open at the end of January, due 7/1 09:00: overdue.
/// assert_eq!(r.fraction(unit, 0, Indicator::OnTime), Some((1, 2)));
/// assert_eq!(r.fraction(unit, 0, Indicator::OnlineSubmission), Some((1, 2)));
/// assert_eq!(r.fraction(unit, 0, Indicator::DossierSync), None); // no DongBoDVCQG column
/// ```
pub fn analyse<R: Read>(
    open: &mut dyn FnMut() -> io::Result<R>,
    opts: &Options,
) -> Result<Report, Diagnostics> {
    let file = opts.source.as_str();
    let fail = |d: Diagnostic| Diagnostics(vec![d]).in_file(file);
    let resolver = Resolver::new(opts.mapping.as_ref()).map_err(|bad| {
        Diagnostics(
            bad.into_iter()
                .map(|b| {
                    cell(
                        Location::File,
                        &b,
                        Code::Unreadable,
                        "the mapping names no chiso column here (see chiso records --help for the column names)",
                        "tệp ánh xạ không chỉ đến cột nào của chiso ở đây (xem tên cột trong chiso records --help)",
                    )
                })
                .collect(),
        )
    })?;
    let cal = WorkingCalendar::vietnam();
    let buckets = opts.period.buckets(opts.by);
    let years = cal.years();
    for y in [opts.period.from.year, opts.period.to.year] {
        if !years.contains(&y) {
            return Err(fail(
                crate::calendar::CalendarError::YearNotCovered {
                    year: y,
                    first: *years.start(),
                    last: *years.end(),
                }
                .to_diagnostic("period"),
            ));
        }
    }
    let bucket_index = BucketIndex::new(&opts.period, opts.by);
    let evals = evaluations(&buckets, opts.as_of);
    let mut problems = Problems::default();
    let input = open().map_err(|e| fail(io_problem(&e)))?;
    let Some(mut reader) = Reader::new(input, opts.format, &resolver, &mut problems)
        .map_err(|e| fail(io_problem(&e)))?
    else {
        return Err(problems.finish(file));
    };
    let mut cells = RowCells::default();
    let mut units = UnitTree::new();
    let mut own: Tally = HashMap::new();
    let mut stats = RowStats::default();
    let mut hashes: Vec<Vec<u64>> = vec![Vec::new(); 256];
    let mut probe = UnitTree::new();
    while reader
        .next(&mut cells, &mut problems)
        .map_err(|e| fail(io_problem(&e)))?
    {
        if cells.row == 0 {
            continue; // blank line
        }
        stats.rows += 1;
        if stats.rows > MAX_ROWS {
            problems.push(cell(
                location(cells.row, None, None),
                "",
                Code::TooLarge,
                &format!("more than {MAX_ROWS} rows"),
                &format!("quá {MAX_ROWS} dòng"),
            ));
            break;
        }
        if let Some(code) = cells.get(Column::MaHoSo).filter(|c| !c.is_empty()) {
            let h = code_hash(code);
            hashes[(h >> 56) as usize].push(h);
        }
        if !cells.ok {
            continue;
        }
        let Some(d) = parse::dossier(&cells, &resolver, &opts.policies, &mut problems) else {
            continue;
        };
        if !d.trang_thai.is_received() {
            stats.not_received += 1;
            continue;
        }
        let Some(bucket) = d.receipt().and_then(|r| bucket_index.of(r.date())) else {
            // Outside the period: the unit code is still checked, not counted.
            if units.id(d.don_vi).is_none() {
                if let Err(p) = probe.intern(d.don_vi, "") {
                    if p != UnitCodeProblem::TooMany {
                        problems.push(unit_problem(d.row, d.don_vi, d.ma_ho_so, p));
                    }
                }
                if probe.len() > 1000 {
                    probe = UnitTree::new();
                }
            }
            stats.outside_period += 1;
            continue;
        };
        let unit = match units.intern(d.don_vi, d.ten_don_vi) {
            Ok(u) => u,
            Err(p) => {
                problems.push(unit_problem(d.row, d.don_vi, d.ma_ho_so, p));
                continue;
            }
        };
        let j = match judge(&d, &opts.policies, evals[bucket], cal) {
            Ok(j) => j,
            Err(e) => {
                problems.push(judge_problem(d.row, d.ma_ho_so, &e));
                continue;
            }
        };
        if !problems.is_empty() {
            continue; // nothing will be produced: only look for more problems
        }
        let m = marks(&d, &j, &opts.policies);
        let b = u16::try_from(bucket).unwrap_or(u16::MAX);
        own.entry((unit, b)).or_default().add(&d, &j, m);
        stats.counted += 1;
    }
    let present = reader.present();
    drop(reader);
    let collided = collisions(&mut hashes);
    drop(hashes);
    if !collided.is_empty() {
        duplicates(open, opts, &resolver, &collided, stats.rows, &mut problems)
            .map_err(|e| fail(io_problem(&e)))?;
    }
    if !problems.is_empty() {
        return Err(problems.finish(file));
    }
    let tally = roll_up(&own, &units);
    Ok(Report {
        options: opts.clone(),
        buckets,
        evaluations: evals,
        present,
        units,
        tally,
        stats,
    })
}

/// Hashes seen more than once.
fn collisions(hashes: &mut [Vec<u64>]) -> HashSet<u64> {
    let mut out = HashSet::new();
    for v in hashes.iter_mut() {
        v.sort_unstable();
        for w in v.windows(2) {
            if w[0] == w[1] {
                out.insert(w[0]);
            }
        }
    }
    out
}

/// Second read: the rows whose code hash collided; real duplicates are reported with
/// the row of their first occurrence.
fn duplicates<R: Read>(
    open: &mut dyn FnMut() -> io::Result<R>,
    opts: &Options,
    resolver: &Resolver,
    collided: &HashSet<u64>,
    rows: u64,
    problems: &mut Problems,
) -> io::Result<()> {
    let mut scratch = Problems::default();
    let Some(mut reader) = Reader::new(open()?, opts.format, resolver, &mut scratch)? else {
        problems.push(second_read_problem());
        return Ok(());
    };
    let mut cells = RowCells::default();
    let mut first: HashMap<String, u64> = HashMap::new();
    let mut seen = 0u64;
    while reader.next(&mut cells, &mut scratch)? {
        if cells.row != 0 {
            seen += 1;
        }
        let Some(code) = cells.get(Column::MaHoSo).filter(|c| !c.is_empty()) else {
            continue;
        };
        if !collided.contains(&code_hash(code)) {
            continue;
        }
        match first.get(code) {
            Some(&row) => problems.push(Diagnostic::error_at(
                location(row, Some("MaHoSo"), None).and_row(cells.row),
                None,
                Problem::DuplicateKey {
                    key: crate::records::error::quote(code),
                },
            )),
            None => {
                first.insert(code.to_owned(), cells.row);
            }
        }
    }
    if seen != rows {
        problems.push(second_read_problem());
    }
    Ok(())
}

/// The input gave other rows when read again (a pipe cannot be read twice).
pub(crate) fn second_read_problem() -> Diagnostic {
    cell(
        Location::File,
        "",
        Code::Unreadable,
        "the file must be read twice (to verify duplicate MaHoSo, or for costs and explanations) but gave other rows the second time; use a file, not a pipe",
        "tệp cần được đọc hai lần (để kiểm tra MaHoSo trùng, hoặc để tính điểm bị mất và giải thích) nhưng lần đọc sau cho kết quả khác; hãy dùng tệp, không dùng luồng (pipe)",
    )
}
