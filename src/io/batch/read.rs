//! Reading: the CSV input cut into blocks of whole records ([`Blocks`], within the
//! limits of [`crate::limits`]) and JSON lines read one bounded line at a time.

use super::cut;
use super::error::{RowCode, RowError};
use crate::limits::MAX_BATCH_LINE_BYTES;
use crate::text::Lang;
use std::io::{self, BufRead, Read};
use std::ops::Deref;

pub(super) const CHUNK: usize = 512;

/// The CSV input is cut into blocks of about this many bytes, at record boundaries;
/// the scoring threads split the records into fields. (512 KiB blocks save about 4 % of
/// the wall time in hand-offs, but with them a 17 MB row under `ulimit -v 256M` fails an
/// allocation instead of being refused: the hostile suite's `c2-batch-row-17mb`.)
pub(super) const BLOCK: usize = 1 << 17;

/// A block of input: the bytes `buf[..len]`. The rest of `buf` holds bytes of earlier
/// blocks (initialized: zeroed once, when the buffer grew), so the input is read
/// straight into it, as much as is wanted per `read` call. (Reading into a `Vec`'s
/// spare capacity through `take` + `read_to_end` made 5 `read` calls a block, from
/// 8 KiB up; zeroing before each read wrote every input byte once more.)
#[derive(Debug, Default)]
pub(super) struct Block {
    buf: Vec<u8>,
    len: usize,
}

impl Deref for Block {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        self.buf.get(..self.len).unwrap_or_default()
    }
}

impl Block {
    /// A block holding `bytes`.
    #[cfg(test)]
    pub(super) fn from_slice(bytes: &[u8]) -> Block {
        let mut b = Block::default();
        b.extend_from_slice(bytes);
        b
    }

    pub(super) fn clear(&mut self) {
        self.len = 0;
    }

    /// Bytes the block's buffer holds (its text and the room after it).
    pub(super) fn capacity(&self) -> usize {
        self.buf.len()
    }

    fn truncate(&mut self, n: usize) {
        self.len = self.len.min(n);
    }

    /// Room for `more` bytes after the block's end (zeroed where the buffer grows).
    fn reserve(&mut self, more: usize) {
        let need = self.len.saturating_add(more);
        if self.buf.len() < need {
            self.buf.resize(need, 0);
        }
    }

    fn extend_from_slice(&mut self, bytes: &[u8]) {
        self.reserve(bytes.len());
        let end = self.len + bytes.len();
        self.buf[self.len..end].copy_from_slice(bytes);
        self.len = end;
    }

    /// Drops the first `n` bytes.
    fn drain_front(&mut self, n: usize) {
        let n = n.min(self.len);
        self.buf.copy_within(n..self.len, 0);
        self.len -= n;
    }
}

/// Cuts a CSV stream into blocks of whole records, so that the records can be split
/// on the scoring threads. A block starts where a record starts; its `line` is the
/// line number the `csv` crate gives the block's first record (1 + the `\n`s
/// before it, blank lines counting for the next record).
pub(super) struct Blocks<R> {
    pub(super) input: R,
    /// Bytes read past the last cut.
    pub(super) carry: Vec<u8>,
    /// Line of the next block.
    pub(super) line: u64,
    pub(super) eof: bool,
}

impl<R: Read> Blocks<R> {
    pub(super) fn new(input: R) -> Self {
        Blocks {
            input,
            carry: Vec::new(),
            line: 1,
            eof: false,
        }
    }

    /// Appends up to `want` bytes of input to `out`; sets `eof` at the end.
    pub(super) fn read_more(&mut self, out: &mut Block, want: usize) -> io::Result<()> {
        self.eof = read_some(&mut self.input, out, want)? == 0;
        Ok(())
    }

    /// The header record (and the blank lines before it) into `out`; all of the input
    /// if it has no other record. Refused, before more is read, past
    /// [`crate::limits::MAX_BATCH_HEADER_BYTES`] or [`crate::limits::MAX_BATCH_COLUMNS`].
    pub(super) fn header(&mut self, out: &mut Block) -> Result<(), ReadError> {
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
            out.drain_front(3);
        }
        let mut scan = cut::Scan::new();
        loop {
            // Blank lines before the header: dropped, their line breaks counted.
            let lead = out
                .iter()
                .position(|&b| b != b'\n' && b != b'\r')
                .unwrap_or(out.len());
            if lead > 0 {
                self.line += newlines(&out[..lead]);
                out.drain_front(lead);
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
                self.line += newlines(out);
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
    pub(super) fn next(
        &mut self,
        out: &mut Block,
        size: usize,
    ) -> Result<Option<BlockLine>, ReadError> {
        use crate::limits::{MAX_BATCH_CELL_BYTES, MAX_BATCH_RECORD_BYTES};
        out.clear();
        out.extend_from_slice(&self.carry);
        self.carry.clear();
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
                skipped += newlines(&out[..lead]);
                out.drain_front(lead);
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
                    self.line += skipped + newlines(out);
                    return Ok(Some(BlockLine {
                        line,
                        skipped,
                        quoted: scan.quoted,
                    }));
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
pub(super) struct BlockLine {
    pub(super) line: u64,
    pub(super) skipped: u64,
    /// Whether the block may hold a `"` (the cut found none: it has none).
    pub(super) quoted: bool,
}

impl BlockLine {
    /// The line of the `k`-th record of the block, which the `csv` crate reads at line
    /// `pos` (1-based) of the block.
    pub(super) fn of(self, k: usize, pos: u64) -> u64 {
        let skipped = if k == 0 { 0 } else { self.skipped };
        self.line - 1 + pos + skipped
    }
}

/// What a CSV input holds that is longer than its limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TooLong {
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
pub(super) enum ReadError {
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
    pub(super) fn into_row_error(
        self,
        header: &[String],
        lang: Lang,
    ) -> Result<RowError, io::Error> {
        use crate::limits::{
            MAX_BATCH_CELL_BYTES, MAX_BATCH_COLUMNS, MAX_BATCH_HEADER_BYTES, MAX_BATCH_RECORD_BYTES,
        };
        let (line, field, what) = match self {
            ReadError::Io(e) => return Err(e),
            ReadError::NotText(found) => {
                let problem = crate::diagnostics::Problem::NotUtf8 { found };
                return Ok(RowError::new(
                    0,
                    None,
                    None,
                    RowCode::Unreadable,
                    lang,
                    |l| problem.message(l),
                ));
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
            RowCode::LimitExceeded,
            lang,
            |l| problem.message(l),
        ))
    }
}

/// What [`read_line_bounded`] read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Line {
    /// A line (with its `\n`, if any).
    Read,
    /// A line longer than the limit: skipped to its end, not kept.
    TooLong,
    /// The end of the input.
    End,
}

/// Reads one line (up to and including `\n`) into `buf`, keeping at most `max` bytes: a
/// longer line is read to its end without being kept ([`Line::TooLong`]).
pub(super) fn read_line_bounded<R: BufRead>(
    r: &mut R,
    buf: &mut Vec<u8>,
    max: u64,
) -> io::Result<Line> {
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
pub(super) fn line_too_long(line: u64, lang: Lang) -> RowError {
    let problem = crate::diagnostics::Problem::LimitExceeded {
        what: "length of one line / độ dài một dòng".into(),
        limit: MAX_BATCH_LINE_BYTES,
        found: None,
        unit: "bytes / byte".into(),
    };
    RowError::new(line, None, None, RowCode::LimitExceeded, lang, |l| {
        problem.message(l)
    })
}

/// The number of `\n` bytes in `bytes`. Counted in runs of at most 255 bytes into a
/// `u8` per lane, so the compiler adds 16 or 32 bytes at a time (a `usize` count per
/// byte, as `filter().count()` makes it, adds 4: this was 5 % of a batch's time).
pub(super) fn newlines(bytes: &[u8]) -> u64 {
    let mut n = 0u64;
    for run in bytes.chunks(255) {
        let c: u8 = run
            .iter()
            .fold(0u8, |c, &b| c.wrapping_add(u8::from(b == b'\n')));
        n += u64::from(c);
    }
    n
}

/// Appends up to `want` bytes read from `r` to `out`; returns how many (0 at the end).
/// Reads until `want` bytes or the end of the input, straight into the block's buffer
/// (grown, and zeroed where it grows, to `want` past its end: no more); on an error the
/// bytes read before it are dropped.
pub(super) fn read_some<R: Read>(r: &mut R, out: &mut Block, want: usize) -> io::Result<usize> {
    let start = out.len;
    out.reserve(want);
    let end = start.saturating_add(want).min(out.buf.len());
    let room = out.buf.get_mut(start..end).unwrap_or_default();
    let mut n = 0;
    while n < room.len() {
        match r.read(&mut room[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    out.len = start + n;
    Ok(n)
}
