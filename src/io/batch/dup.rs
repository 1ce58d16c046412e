//! Duplicate units in a batch: a warning naming both rows, never a silent choice.
//!
//! A unit is its name within its block. While the rows stream by, only a 64-bit hash of
//! each unit is kept (and, sparsely, the line numbers: one mark where a unit's line is not
//! the previous unit's + 1). At the end the hashes that occur twice are found by sorting a
//! copy; only then, and only when there are some, the spool is read once more to compare
//! the names themselves, so a hash collision never makes a false warning. Both rows are
//! scored and ranked as given: the warning says so.

use super::error::{excerpt, RowCode, RowError};
use super::write::next_record;
use crate::text::Lang;
use foldhash::fast::FixedState;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, Hasher};
use std::io::{self, BufRead};

/// The first unit of a repeated hash: its position, name and block.
type First = (usize, Vec<u8>, Option<Vec<u8>>);

/// The units seen, in input order.
#[derive(Debug, Default)]
pub(super) struct Keys {
    /// Hash of each unit's block and name.
    hashes: Vec<u64>,
    /// `(unit position, line)` where a unit's line is not the previous one's + 1.
    marks: Vec<(usize, u64)>,
    /// Line of the last unit.
    last: u64,
}

/// The hash of a unit (its block, then its name), by `foldhash` with a fixed seed (the
/// same on every run; names are compared before any warning, so a collision costs only a
/// second look at the spool, never a false warning; SipHash was 1 % of a batch's time).
fn hash(block: Option<&[u8]>, unit: &[u8]) -> u64 {
    let mut h = FixedState::with_seed(0x243F_6A88_85A3_08D3).build_hasher();
    h.write(block.unwrap_or_default());
    h.write_u8(0xff);
    h.write(unit);
    h.finish()
}

impl Keys {
    /// Notes the unit at `line` (block and name as written to the spool).
    pub(super) fn push(&mut self, block: Option<&[u8]>, unit: &[u8], line: u64) {
        let at = self.hashes.len();
        if at == 0 || line != self.last + 1 {
            self.marks.push((at, line));
        }
        self.last = line;
        self.hashes.push(hash(block, unit));
    }

    /// Forgets every unit (keeping the capacity).
    pub(super) fn clear(&mut self) {
        self.hashes.clear();
        self.marks.clear();
        self.last = 0;
    }

    /// Appends the units of a later part of the input.
    pub(super) fn append(&mut self, other: &Keys) {
        let base = self.hashes.len();
        for (k, &(at, line)) in other.marks.iter().enumerate() {
            // The first unit of `other` keeps its mark only when it breaks the sequence.
            if k == 0 && at == 0 && base > 0 && line == self.last + 1 && !other.hashes.is_empty() {
                continue;
            }
            self.marks.push((base + at, line));
        }
        if !other.hashes.is_empty() {
            self.last = other.last;
        }
        self.hashes.extend_from_slice(&other.hashes);
    }

    /// The line of the unit at position `i`.
    fn line_of(&self, i: usize) -> u64 {
        let k = self.marks.partition_point(|&(at, _)| at <= i);
        match k.checked_sub(1).and_then(|k| self.marks.get(k)) {
            Some(&(at, line)) => line + (i - at) as u64,
            None => i as u64,
        }
    }

    /// The hashes that occur more than once (found by sorting a copy; the batch does
    /// this while it ranks).
    pub(super) fn repeated(&self) -> HashSet<u64> {
        let mut sorted = self.hashes.clone();
        sorted.sort_unstable();
        sorted
            .windows(2)
            .filter(|w| w[0] == w[1])
            .map(|w| w[0])
            .collect()
    }

    /// The warnings of units that repeat an earlier unit of the same block (the first
    /// `max`, and how many in all), given the repeated hashes (`twice`,
    /// [`Keys::repeated`]), reading names from `spool` (the formatted rows, unit
    /// first, then the block when `has_blocks`) only when hashes repeat.
    pub(super) fn warnings<R: BufRead>(
        &self,
        twice: &HashSet<u64>,
        spool: &mut R,
        has_blocks: bool,
        column: Option<&str>,
        lang: Lang,
        max: usize,
    ) -> io::Result<(Vec<RowError>, usize)> {
        if twice.is_empty() {
            return Ok((Vec::new(), 0));
        }
        let mut first: HashMap<u64, First> = HashMap::new();
        let mut warnings = Vec::new();
        let mut count = 0;
        let mut buf = Vec::new();
        let mut i = 0;
        while next_record(spool, &mut buf)? {
            let h = self.hashes.get(i).copied();
            let at = i;
            i += 1;
            let Some(h) = h.filter(|h| twice.contains(h)) else {
                continue;
            };
            let (unit, block) = names(&buf, has_blocks);
            match first.get(&h) {
                None => {
                    first.insert(h, (at, unit, block));
                }
                Some((f, u, b)) if *u == unit && *b == block => {
                    count += 1;
                    if warnings.len() < max {
                        warnings.push(warning(
                            self.line_of(at),
                            self.line_of(*f),
                            &unit,
                            block.as_deref(),
                            column,
                            lang,
                        ));
                    }
                }
                Some(_) => {} // a hash collision, not the same unit
            }
        }
        Ok((warnings, count))
    }
}

/// The unit and block fields of a spooled row.
fn names(row: &[u8], has_blocks: bool) -> (Vec<u8>, Option<Vec<u8>>) {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(row);
    let mut rec = csv::ByteRecord::new();
    if !matches!(rdr.read_byte_record(&mut rec), Ok(true)) {
        return (row.to_vec(), None);
    }
    let unit = rec.get(0).unwrap_or_default().to_vec();
    let block = has_blocks.then(|| rec.get(1).unwrap_or_default().to_vec());
    (unit, block)
}

/// The warning of the unit at `line` that repeats the one at `first`, located at
/// `column` (`unit` in a CSV file; none in JSON lines).
pub(super) fn warning(
    line: u64,
    first: u64,
    unit: &[u8],
    block: Option<&[u8]>,
    column: Option<&str>,
    lang: Lang,
) -> RowError {
    let unit = excerpt(&String::from_utf8_lossy(unit));
    let block = block
        .filter(|b| !b.is_empty())
        .map(|b| excerpt(&String::from_utf8_lossy(b)));
    let words = |l: Lang| {
        match (l, block.as_ref()) {
        (Lang::Vi, Some(b)) => format!(
            "cảnh báo: đơn vị \"{unit}\" của khối \"{b}\" trùng với dòng {first}; cả hai dòng đều được chấm điểm và xếp hạng — hãy kiểm tra lại"
        ),
        (Lang::Vi, None) => format!(
            "cảnh báo: đơn vị \"{unit}\" trùng với dòng {first}; cả hai dòng đều được chấm điểm và xếp hạng — hãy kiểm tra lại"
        ),
        (Lang::En, Some(b)) => format!(
            "warning: unit \"{unit}\" of block \"{b}\" repeats row {first}; both rows are scored and ranked — check the file"
        ),
        (Lang::En, None) => format!(
            "warning: unit \"{unit}\" repeats row {first}; both rows are scored and ranked — check the file"
        ),
    }
    };
    RowError {
        first_row: Some(first),
        ..RowError::new(line, column, None, RowCode::DuplicateUnit, lang, words)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::batch::{run, InputFormat, Options, Summary};
    use crate::Index;

    const INDEX: &str = r#"{"format":"chiso.index/1","id":"t","title":{"vi":"T"},"version":"1",
      "legal_basis":[],"unit_levels":["province"],"years":{"from":2024},"completeness":"example",
      "nodes":[{"code":"A","title":{"vi":"A"},"rule":{"type":"score"}}]}"#;

    fn summary(input: &str, format: InputFormat, threads: usize) -> Summary {
        summary_in(input, format, threads, Lang::En)
    }

    fn summary_in(input: &str, format: InputFormat, threads: usize, lang: Lang) -> Summary {
        let index = Index::from_json(INDEX).unwrap();
        let opts = Options {
            threads,
            lang,
            max_errors: 2,
            ..Options::default()
        };
        let mut out = Vec::new();
        run(
            &index,
            input.as_bytes(),
            format,
            io::Cursor::new(Vec::new()),
            &mut out,
            &opts,
        )
        .unwrap()
    }

    #[test]
    fn a_repeated_unit_is_a_warning_naming_both_rows() {
        // Lines: header 1, X 2, Y 3, blank 4, "X" quoted 5, Z 6, X 7. A record after a
        // blank line is numbered as the `csv` crate numbers it, and as the batch's errors
        // number it: the line after the previous record (4).
        let s = summary(
            "unit,A\nX,1\nY,2\n\n\"X\",3\nZ,4\nX,5\n",
            InputFormat::Csv,
            1,
        );
        assert_eq!(s.units, 5);
        assert_eq!(s.warning_count, 2);
        assert_eq!(
            s.render_warnings("u.csv", Lang::En),
            "u.csv row 4, column unit: warning: unit \"X\" repeats row 2; both rows are scored and ranked — check the file\n\
             u.csv row 7, column unit: warning: unit \"X\" repeats row 2; both rows are scored and ranked — check the file"
        );
        // The same with two threads and the general path.
        let t = summary(
            "unit,A\nX,1\nY,2\n\n\"X\",3\nZ,4\nX,5\n",
            InputFormat::Csv,
            2,
        );
        assert_eq!(t.warnings, s.warnings);
    }

    #[test]
    fn the_same_name_in_two_blocks_is_two_units() {
        let s = summary_in(
            "unit,block,A\nX,k1,1\nX,k2,2\nX,k1,3\n",
            InputFormat::Csv,
            1,
            Lang::Vi,
        );
        assert_eq!(s.warning_count, 1);
        assert_eq!(
            s.render_warnings("u.csv", Lang::Vi),
            "u.csv dòng 4, cột unit: cảnh báo: đơn vị \"X\" của khối \"k1\" trùng với dòng 2; cả hai dòng đều được chấm điểm và xếp hạng — hãy kiểm tra lại"
        );
    }

    #[test]
    fn the_list_is_cut_and_counted() {
        let s = summary("unit,A\nX,1\nX,1\nX,1\nX,1\n", InputFormat::Csv, 1);
        assert_eq!((s.warnings.len(), s.warning_count), (2, 3));
        assert!(s
            .render_warnings("u.csv", Lang::En)
            .ends_with("… and 1 more warnings (3 in all)"));
        let none = summary("unit,A\nX,1\nY,1\n", InputFormat::Csv, 1);
        assert_eq!(
            (none.warning_count, none.render_warnings("u", Lang::En)),
            (0, String::new())
        );
    }

    #[test]
    fn json_lines_units_repeat_too() {
        let a = |name: &str| {
            format!(
                r#"{{"format":"chiso.assessment/1","index":"t","unit":{{"name":"{name}"}},"entries":{{"A":{{"self":{{"value":{{"number":"1"}}}}}}}}}}"#
            )
        };
        let text = format!("{}\n{}\n\n{}\n", a("P"), a("Q"), a("P"));
        let s = summary(&text, InputFormat::JsonLines, 1);
        assert_eq!(s.warning_count, 1);
        assert_eq!(s.warnings[0].row, 4);
        assert!(s.warnings[0].message.contains("repeats row 1"));
    }

    #[test]
    fn lines_are_kept_sparsely() {
        let mut a = Keys::default();
        a.push(None, b"A", 2);
        a.push(None, b"B", 3);
        a.push(None, b"C", 7);
        let mut b = Keys::default();
        b.push(None, b"D", 8);
        b.push(None, b"E", 10);
        a.append(&b);
        let lines: Vec<u64> = (0..5).map(|i| a.line_of(i)).collect();
        assert_eq!(lines, [2, 3, 7, 8, 10]);
        assert_eq!(a.marks, [(0, 2), (2, 7), (4, 10)]);
    }
}
