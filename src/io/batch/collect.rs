//! Collection of what ranking and the means need while rows stream by: each chunk's
//! scored rows ([`Part`]: spooled text, totals, maxima, bands, blocks, means) merged in
//! input order into [`Pass1`], which spools the text and keeps the ranking keys.

use super::dup;
use super::error::RowError;
use super::mean::Means;
use super::number::{write_csv_field, write_decimal, write_norm, Norm};
use super::scorer::Scored;
use crate::engine::Cell;
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::io::{self, BufWriter, Write};

/// The scored rows of one chunk of input: spooled text and ranking keys.
#[derive(Debug)]
pub(super) struct Part {
    pub(super) bytes: Vec<u8>,
    pub(super) totals: Vec<Option<Decimal>>,
    /// Each unit's applicable maximum.
    pub(super) maxima: Vec<Option<Decimal>>,
    pub(super) bands: Vec<u16>,
    pub(super) blocks: Vec<u8>,
    pub(super) block_ends: Vec<usize>,
    pub(super) means: Means,
    pub(super) widths: Option<Vec<usize>>,
    pub(super) errors: Vec<RowError>,
    pub(super) error_count: usize,
    /// The units, for the duplicate check.
    pub(super) keys: dup::Keys,
}

impl Part {
    pub(super) fn new(columns: usize, widths: Option<&Vec<usize>>) -> Part {
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

    /// `part` emptied for the next chunk ([`Part::clear`]), or a new part.
    pub(super) fn reuse(part: Option<Part>, columns: usize, widths: Option<&Vec<usize>>) -> Part {
        match part {
            Some(mut part) => {
                part.clear(widths);
                part
            }
            None => Part::new(columns, widths),
        }
    }

    /// Empties the part for the next chunk, keeping its buffers' capacity (a chunk's
    /// rows take ~190 KB: fresh buffers for each cost a page fault every 4 KiB).
    pub(super) fn clear(&mut self, widths: Option<&Vec<usize>>) {
        self.bytes.clear();
        self.totals.clear();
        self.maxima.clear();
        self.bands.clear();
        self.blocks.clear();
        self.block_ends.clear();
        self.means.0.fill(super::mean::Acc::ZERO);
        match (self.widths.as_mut(), widths) {
            (Some(w), Some(init)) => {
                w.clear();
                w.extend_from_slice(init);
            }
            _ => self.widths = widths.cloned(),
        }
        self.errors.clear();
        self.error_count = 0;
        self.keys.clear();
    }

    pub(super) fn fail(&mut self, errs: Vec<RowError>, max: usize) {
        self.error_count += errs.len();
        for e in errs {
            if self.errors.len() < max {
                self.errors.push(e);
            }
        }
    }

    /// Formats one scored unit (length-prefixed CSV text) and keeps its ranking key.
    pub(super) fn record<'t>(
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
pub(super) struct Pass1<S: Write> {
    pub(super) spool: BufWriter<S>,
    pub(super) totals: Vec<Option<Decimal>>,
    /// Each unit's applicable maximum, as a position in `maxima` (few distinct values).
    pub(super) max_ids: Vec<u32>,
    pub(super) maxima: Vec<Option<Decimal>>,
    pub(super) max_positions: HashMap<Option<Decimal>, u32>,
    pub(super) blocks: Vec<u32>,
    pub(super) bands: Vec<u16>,
    pub(super) block_ids: HashMap<Vec<u8>, u32>,
    pub(super) has_blocks: bool,
    pub(super) means: Means,
    pub(super) widths: Option<Vec<usize>>,
    pub(super) errors: Vec<RowError>,
    pub(super) error_count: usize,
    pub(super) max_errors: usize,
    /// The units, for the duplicate check.
    pub(super) keys: dup::Keys,
    /// The most input bytes pass 1's pipeline had in flight at once.
    pub(super) peak_in_flight: usize,
}

impl<S: Write> Pass1<S> {
    /// An empty pass 1 over an index of `nodes` nodes, writing to `spool`.
    pub(super) fn new(spool: BufWriter<S>, nodes: usize, max_errors: usize) -> Self {
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
            peak_in_flight: 0,
        }
    }

    pub(super) fn fail(&mut self, errs: Vec<RowError>) {
        self.error_count += errs.len();
        for e in errs {
            if self.errors.len() < self.max_errors {
                self.errors.push(e);
            }
        }
    }

    /// Takes in a scored chunk, in input order (what the part holds is left to be
    /// cleared by [`Part::clear`] before it is used again).
    pub(super) fn merge(&mut self, part: &mut Part) -> io::Result<()> {
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
        if *error_count > 0 {
            self.error_count += *error_count;
            for e in errors.drain(..) {
                if self.errors.len() < self.max_errors {
                    self.errors.push(e);
                }
            }
        }
        if self.error_count > 0 {
            return Ok(());
        }
        self.spool.write_all(bytes)?;
        self.keys.append(keys);
        self.totals.extend_from_slice(totals);
        for &mut m in maxima {
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
        self.bands.extend_from_slice(bands);
        if self.has_blocks {
            let mut start = 0;
            for &mut end in block_ends {
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
        self.means.merge(means);
        if let (Some(w), Some(o)) = (self.widths.as_mut(), widths) {
            for (a, &mut b) in w.iter_mut().zip(o) {
                *a = (*a).max(b);
            }
        }
        Ok(())
    }
}

/// Formatted means: node columns, total, percent (empty = no value).
pub(super) fn mean_fields(m: &Means, count: usize) -> Vec<String> {
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
