//! Pass 1: every row read, validated and scored (CSV blocks on scoring threads in an
//! ordered pipeline, or JSON lines through [`Index::score`]) into [`Pass1`].

use super::collect::{Part, Pass1};
use super::error::{RowCode, RowError};
use super::read::{line_too_long, read_line_bounded, Block, BlockLine, Blocks, Line, BLOCK, CHUNK};
use super::scorer::{Fields, Scored, Scorer};
use super::write::initial_widths;
use super::{BatchError, Options, OutputFormat};
use crate::assessment::Assessment;
use crate::engine::{Cell, Index};
use crate::limits::{MAX_BATCH_IN_FLIGHT_BYTES, MAX_BATCH_LINE_BYTES};
use crate::result::View;
use crate::text::Lang;
use std::io::{self, BufReader, Read, Write};

/// Blocks in flight per scoring thread in pass 1's pipeline (queued or being scored).
/// On two cores the reading thread shares them with the scoring threads; with 2 a
/// thread, a scoring thread often emptied its queue while the reading thread waited
/// for a time slice, and slept (more `futex` calls, a core idle). Alternated idle
/// rounds, 1,000,000 PAPI units: 2 → 8 → 16 a thread saved ~0.03 s, then ~0.03 s more;
/// 32 no more than 16. ~300 KiB a block (its text and its rows): ~10 MiB with two
/// threads (peak RSS unchanged, ~67 MB: the ranking's vectors are the peak).
/// Long rows make large blocks: [`MAX_BATCH_IN_FLIGHT_BYTES`] bounds the bytes in flight.
const QUEUE: usize = 16;

/// Scores the records of one block (see [`Blocks`]). Without quotes, a record is a
/// run of bytes other than `\r` and `\n`, split at commas here ([`Scorer::fast_row`]
/// first); a block with a quote is read by the `csv` crate.
pub(super) fn score_block(
    scorer: &mut Scorer<'_>,
    block: &[u8],
    at_line: BlockLine,
    part: &mut Part,
    max_errors: usize,
) {
    let line = at_line.line;
    // The rows take about 4/3 of their input (PAPI: 348 B per 262 B): no regrowth.
    part.bytes.reserve(block.len() + block.len() / 2);
    if at_line.quoted && block.contains(&b'"') {
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
                    part.fail(vec![RowError::unreadable(at, e.to_string())], max_errors);
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
    scorer.fast_means.flush(&mut part.means);
}

/// Scores one record (general path) into `part`.
pub(super) fn score_one<F: Fields + ?Sized>(
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

pub(super) fn pass1_csv<R: Read, S: Write>(
    index: &Index,
    input: R,
    p: &mut Pass1<S>,
    opts: &Options,
) -> Result<(), BatchError> {
    pass1_csv_blocks(index, input, p, opts, BLOCK, MAX_BATCH_IN_FLIGHT_BYTES)
}

/// [`pass1_csv`] with blocks of `block_size` bytes (small in tests, to cut everywhere)
/// and at most about `in_flight_max` input bytes in flight (the last block sent may
/// pass it).
pub(super) fn pass1_csv_blocks<R: Read, S: Write>(
    index: &Index,
    input: R,
    p: &mut Pass1<S>,
    opts: &Options,
    block_size: usize,
    in_flight_max: usize,
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
        let mut block = Block::default();
        let mut part = Part::new(columns, p.widths.as_ref());
        loop {
            let line = match blocks.next(&mut block, block_size) {
                Ok(Some(line)) => line,
                Ok(None) => return Ok(()),
                Err(e) => {
                    p.fail(vec![e.into_row_error(&names, opts.lang)?]);
                    return Ok(());
                }
            };
            part.clear(p.widths.as_ref());
            score_block(&mut scorer, &block, line, &mut part, max_errors);
            p.merge(&mut part)?;
        }
    }
    // Ordered pipeline: this thread cuts the input into blocks and spools; block k is
    // scored by worker k mod threads, and results are taken back in the same
    // round-robin order. Blocks and parts go back and forth, so their buffers are
    // allocated once.
    type Job = (Block, BlockLine, Option<Part>);
    type Done = (Block, Part);
    let widths = p.widths.clone();
    std::thread::scope(|sc| -> Result<(), BatchError> {
        let mut to_workers = Vec::new();
        let mut from_workers = Vec::new();
        for _ in 0..threads {
            let (tx, rx) = std::sync::mpsc::sync_channel::<Job>(QUEUE);
            let (rtx, rrx) = std::sync::mpsc::sync_channel::<Done>(QUEUE);
            let mut scorer = scorer.clone();
            let widths = widths.clone();
            sc.spawn(move || {
                for (block, line, part) in rx {
                    let mut part = Part::reuse(part, columns, widths.as_ref());
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
        // This thread scores every (threads + 1)-th block itself: with a thread per core
        // scoring and this one only reading and spooling, this one and a scoring thread
        // took turns on one core (each waking the other once a block) while the other
        // scoring thread emptied its queue and left its core idle for ~3 ms at a time.
        let slots = threads + 1;
        let mut scorer = scorer;
        let mut own: std::collections::VecDeque<(Block, Part)> = Default::default();
        let (mut sent, mut received) = (0usize, 0usize);
        // Input bytes sent and not yet merged (`MAX_BATCH_IN_FLIGHT_BYTES`).
        let mut in_flight = 0usize;
        let mut free: Vec<Block> = Vec::new();
        let mut free_parts: Vec<Part> = Vec::new();
        let mut stopped = None;
        let next_done = |received: usize,
                         own: &mut std::collections::VecDeque<(Block, Part)>|
         -> Result<(Block, Part), BatchError> {
            match from_workers.get(received % slots) {
                Some(rx) => rx.recv().map_err(|_| gone()),
                None => own.pop_front().ok_or_else(gone),
            }
        };
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
            in_flight += block.len();
            p.peak_in_flight = p.peak_in_flight.max(in_flight);
            match to_workers.get(sent % slots) {
                Some(tx) => tx
                    .send((block, line, free_parts.pop()))
                    .map_err(|_| gone())?,
                None => {
                    let mut part = Part::reuse(free_parts.pop(), columns, widths.as_ref());
                    score_block(&mut scorer, &block, line, &mut part, max_errors);
                    own.push_back((block, part));
                }
            }
            sent += 1;
            while sent - received >= QUEUE * slots || (sent > received && in_flight > in_flight_max)
            {
                let (block, mut part) = next_done(received, &mut own)?;
                in_flight = in_flight.saturating_sub(block.len());
                p.merge(&mut part)?;
                // A block grown by a long row is not kept for reuse.
                if block.capacity() <= 2 * block_size.max(BLOCK) {
                    free.push(block);
                    free_parts.push(part);
                }
                received += 1;
            }
        }
        drop(to_workers);
        while received < sent {
            let (_, mut part) = next_done(received, &mut own)?;
            p.merge(&mut part)?;
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
pub(super) type Header<'i> = Result<(Scorer<'i>, Vec<String>), Vec<RowError>>;

/// Reads the header record of a CSV batch and plans its columns: the scorer and the
/// column names, or the header's errors (row 1).
pub(super) fn csv_header<'i, R: Read>(
    index: &'i Index,
    blocks: &mut Blocks<R>,
    lang: Lang,
) -> Result<Header<'i>, io::Error> {
    // The header: the first record (read by the `csv` crate, like every quoted row).
    let mut head = Block::default();
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
        Err(e) => return Ok(Err(vec![RowError::unreadable(1, e.to_string())])),
    };
    let names: Vec<String> = header
        .iter()
        .map(|h| String::from_utf8_lossy(h).into_owned())
        .collect();
    let name_refs: Vec<&str> = names.iter().map(String::as_str).collect();
    Ok(Scorer::new(index, &name_refs, lang).map(|s| (s, names)))
}

pub(super) fn trim_bytes(b: &[u8]) -> &[u8] {
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

pub(super) fn pass1_jsonl<R: Read, S: Write>(
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
            p.merge(&mut part)?;
            part.clear(p.widths.as_ref());
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
    p.merge(&mut part)?;
    Ok(())
}

/// One line of a JSON-lines batch (as read by [`read_line_bounded`]): the assessment
/// and its score in the final view; `None` for a blank line; the line's errors.
pub(super) fn json_unit(
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
            RowCode::Unreadable,
            lang,
            |l| l.pick("không phải UTF-8", "is not valid UTF-8").to_owned(),
        )]);
    };
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    // Not an assessment: unreadable; an assessment the index refuses: its values.
    let diag_errors = |d: &crate::Diagnostics, code: RowCode| -> Vec<RowError> {
        d.errors()
            .map(|x| {
                RowError::new(line_no, x.code.as_deref(), None, code, lang, |l| {
                    x.message(l)
                })
            })
            .collect()
    };
    let a = crate::load::assessment(text).map_err(|d| diag_errors(&d, RowCode::Unreadable))?;
    match index.score(&a, View::Final) {
        Ok(r) => Ok(Some((a, r))),
        Err(d) => Err(diag_errors(&d, RowCode::UnreadableValue)),
    }
}

/// A unit's total, percent, applicable maximum and band from its full score.
pub(super) fn scored_of(index: &Index, r: &crate::ScoreResult) -> Scored {
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
