//! Pass 2, the writers: the spooled rows with ranks and bands as CSV (formed on a
//! helper thread), one JSON document (`chiso.batch/1`) or an aligned text table.

use super::number::{write_csv_field, write_u32};
use super::{Summary, BATCH_FORMAT, MEAN_UNIT};
use crate::band::TiePolicy;
use crate::engine::Index;
use std::io::{self, BufRead, BufWriter, Read, Write};

/// Splits one spooled CSV row (only text fields may be quoted).
pub(super) fn split_row(row: &[u8]) -> Vec<String> {
    let mut fields = Vec::new();
    let mut i = 0;
    loop {
        let mut field = Vec::new();
        if row.get(i) == Some(&b'"') {
            i += 1;
            while i < row.len() {
                if row[i] == b'"' {
                    if row.get(i + 1) == Some(&b'"') {
                        field.push(b'"');
                        i += 2;
                        continue;
                    }
                    i += 1;
                    break;
                }
                field.push(row[i]);
                i += 1;
            }
        } else {
            while i < row.len() && row[i] != b',' {
                field.push(row[i]);
                i += 1;
            }
        }
        fields.push(String::from_utf8_lossy(&field).into_owned());
        if i >= row.len() {
            break;
        }
        i += 1; // the comma
    }
    fields
}

pub(super) fn header_fields(index: &Index, has_blocks: bool) -> Vec<String> {
    let mut h = vec!["unit".to_owned()];
    if has_blocks {
        h.push("block".into());
    }
    h.extend(index.nodes().iter().skip(1).map(|n| n.code.clone()));
    h.extend([
        "total".into(),
        "percent".into(),
        "rank".into(),
        "band".into(),
    ]);
    h
}

pub(super) fn initial_widths(index: &Index, has_blocks: bool) -> Vec<usize> {
    header_fields(index, has_blocks)
        .iter()
        .map(|h| h.chars().count())
        .collect()
}

pub(super) struct Writer<'i, W: Write> {
    pub(super) index: &'i Index,
    pub(super) out: BufWriter<W>,
    pub(super) has_blocks: bool,
    pub(super) policy: TiePolicy,
}

pub(super) fn next_record<R: BufRead>(r: &mut R, buf: &mut Vec<u8>) -> io::Result<bool> {
    let mut len = [0u8; 4];
    match r.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(false),
        Err(e) => return Err(e),
    }
    buf.resize(u32::from_le_bytes(len) as usize, 0);
    r.read_exact(buf)?;
    Ok(true)
}

impl<W: Write> Writer<'_, W> {
    pub(super) fn band_code(&self, b: u16) -> Option<&str> {
        self.index
            .definition()
            .bands
            .get(usize::from(b))
            .map(|x| x.code.as_str())
    }

    /// The CSV output: the spooled rows with rank and band. A helper thread reads the
    /// spool and forms the rows ([`csv_rows`]) while this one writes them.
    pub(super) fn csv<S: Read + Send>(
        &mut self,
        spool: S,
        ranks: &[Option<u32>],
        bands: &[u16],
        mean: Option<&[String]>,
    ) -> io::Result<()> {
        let mut line = Vec::with_capacity(1024);
        for (k, h) in header_fields(self.index, self.has_blocks)
            .iter()
            .enumerate()
        {
            if k > 0 {
                line.push(b',');
            }
            write_csv_field(&mut line, h.as_bytes());
        }
        line.push(b'\n');
        self.out.write_all(&line)?;
        let codes: Vec<Vec<u8>> = self
            .index
            .definition()
            .bands
            .iter()
            .map(|b| {
                let mut v = Vec::new();
                write_csv_field(&mut v, b.code.as_bytes());
                v
            })
            .collect();
        std::thread::scope(|sc| -> io::Result<()> {
            let (tx, rx) = std::sync::mpsc::sync_channel(2);
            let (back_tx, back_rx) = std::sync::mpsc::channel();
            let codes = &codes;
            sc.spawn(move || csv_rows(spool, ranks, bands, codes, &tx, &back_rx));
            for rows in rx {
                let rows: Vec<u8> = rows?;
                self.out.write_all(&rows)?;
                // The helper may have stopped already.
                let _ = back_tx.send(rows);
            }
            Ok(())
        })?;
        if let Some(m) = mean {
            line.clear();
            line.extend_from_slice(MEAN_UNIT.as_bytes());
            if self.has_blocks {
                line.push(b',');
            }
            for v in m {
                line.push(b',');
                line.extend_from_slice(v.as_bytes());
            }
            line.extend_from_slice(b",,\n");
            self.out.write_all(&line)?;
        }
        Ok(())
    }

    pub(super) fn json<R: BufRead>(
        &mut self,
        mut spool: R,
        ranks: &[Option<u32>],
        bands: &[u16],
        mean: Option<&[String]>,
        summary: &Summary,
    ) -> io::Result<()> {
        let def = self.index.definition();
        let codes: Vec<&str> = self
            .index
            .nodes()
            .iter()
            .skip(1)
            .map(|n| n.code.as_str())
            .collect();
        let js = |v: &str| serde_json::to_string(v).unwrap_or_else(|_| "\"\"".into());
        let num = |v: &str| {
            if v.is_empty() {
                "null".to_owned()
            } else {
                js(v)
            }
        };
        let policy = self.policy.name();
        let basis = if summary.percent_blocks > 0 {
            "percent"
        } else {
            "total"
        };
        writeln!(
            self.out,
            "{{\"format\":{},\"index\":{},\"index_version\":{},\"tie_policy\":\"{policy}\",\"rank_basis\":\"{basis}\",\"units_count\":{},\"ranked\":{},",
            js(BATCH_FORMAT),
            js(&def.id),
            js(&def.version),
            summary.units,
            summary.ranked
        )?;
        writeln!(
            self.out,
            "\"columns\":[{}],",
            codes.iter().map(|c| js(c)).collect::<Vec<_>>().join(",")
        )?;
        self.out.write_all(b"\"units\":[")?;
        let off = 1 + usize::from(self.has_blocks);
        let mut buf = Vec::new();
        let mut i = 0;
        let points = |f: &[String]| {
            codes
                .iter()
                .zip(f)
                .map(|(c, v)| format!("{}:{}", js(c), num(v)))
                .collect::<Vec<_>>()
                .join(",")
        };
        while next_record(&mut spool, &mut buf)? {
            let f = split_row(&buf);
            let mut s = String::new();
            s.push_str(if i == 0 { "\n" } else { ",\n" });
            s.push_str(&format!("{{\"unit\":{}", js(&f[0])));
            if self.has_blocks {
                s.push_str(&format!(
                    ",\"block\":{}",
                    if f[1].is_empty() {
                        "null".into()
                    } else {
                        js(&f[1])
                    }
                ));
            }
            let n = codes.len();
            s.push_str(&format!(",\"points\":{{{}}}", points(&f[off..off + n])));
            s.push_str(&format!(
                ",\"total\":{},\"percent\":{}",
                num(&f[off + n]),
                num(&f[off + n + 1])
            ));
            match ranks.get(i).copied().flatten() {
                Some(r) => s.push_str(&format!(",\"rank\":{r}")),
                None => s.push_str(",\"rank\":null"),
            }
            match bands.get(i).and_then(|&b| self.band_code(b)) {
                Some(b) => s.push_str(&format!(",\"band\":{}}}", js(b))),
                None => s.push_str(",\"band\":null}"),
            }
            self.out.write_all(s.as_bytes())?;
            i += 1;
        }
        self.out.write_all(b"\n]")?;
        if let Some(m) = mean {
            let n = codes.len();
            write!(
                self.out,
                ",\n\"mean\":{{\"points\":{{{}}},\"total\":{},\"percent\":{}}}",
                points(&m[..n]),
                num(&m[n]),
                num(&m[n + 1])
            )?;
        }
        self.out.write_all(b"}\n")
    }

    pub(super) fn table<R: BufRead>(
        &mut self,
        mut spool: R,
        ranks: &[Option<u32>],
        bands: &[u16],
        mean: Option<&[String]>,
        mut widths: Vec<usize>,
    ) -> io::Result<()> {
        let header = header_fields(self.index, self.has_blocks);
        widths.resize(header.len(), 0);
        let rank_col = header.len() - 2;
        let band_col = header.len() - 1;
        widths[0] = widths[0].max(header[0].chars().count());
        if mean.is_some() {
            widths[0] = widths[0].max(MEAN_UNIT.len());
        }
        if let Some(m) = mean {
            let off = 1 + usize::from(self.has_blocks);
            for (k, v) in m.iter().enumerate() {
                widths[off + k] = widths[off + k].max(v.len());
            }
        }
        let max_rank = ranks.iter().flatten().max().copied().unwrap_or(0);
        widths[rank_col] = widths[rank_col].max(max_rank.to_string().len());
        for b in &self.index.definition().bands {
            widths[band_col] = widths[band_col].max(b.code.chars().count());
        }
        for (k, h) in header.iter().enumerate() {
            widths[k] = widths[k].max(h.chars().count());
        }
        let text_cols = 1 + usize::from(self.has_blocks);
        let line = |fields: &[String]| -> String {
            let mut s = String::new();
            for (k, f) in fields.iter().enumerate() {
                if k > 0 {
                    s.push_str("  ");
                }
                let pad = widths[k].saturating_sub(f.chars().count());
                let left = k < text_cols || k == band_col;
                if left {
                    s.push_str(f);
                    if k + 1 < fields.len() {
                        s.push_str(&" ".repeat(pad));
                    }
                } else {
                    s.push_str(&" ".repeat(pad));
                    s.push_str(f);
                }
            }
            s.truncate(s.trim_end().len());
            s.push('\n');
            s
        };
        self.out.write_all(line(&header).as_bytes())?;
        let rule: String = widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .join("  ");
        writeln!(self.out, "{rule}")?;
        let mut buf = Vec::new();
        let mut i = 0;
        while next_record(&mut spool, &mut buf)? {
            let mut f = split_row(&buf);
            f.push(
                ranks
                    .get(i)
                    .copied()
                    .flatten()
                    .map(|r| r.to_string())
                    .unwrap_or_default(),
            );
            f.push(
                bands
                    .get(i)
                    .and_then(|&b| self.band_code(b))
                    .unwrap_or("")
                    .to_owned(),
            );
            self.out.write_all(line(&f).as_bytes())?;
            i += 1;
        }
        if let Some(m) = mean {
            writeln!(self.out, "{rule}")?;
            let mut f = vec![MEAN_UNIT.to_owned()];
            if self.has_blocks {
                f.push(String::new());
            }
            f.extend(m.iter().cloned());
            f.push(String::new());
            f.push(String::new());
            self.out.write_all(line(&f).as_bytes())?;
        }
        Ok(())
    }
}

/// Pass 2 of the CSV output, on a helper thread: reads the spool in blocks of about
/// 1 MiB and sends the rows of each block, with rank and band (`codes`: the bands'
/// CSV text), to the writing thread; takes used buffers back from `back`. The spool is
/// read into one buffer zeroed once (a row longer than it doubles it), the part of a
/// row left at a block's end moved to its start.
pub(super) fn csv_rows<S: Read>(
    mut spool: S,
    ranks: &[Option<u32>],
    bands: &[u16],
    codes: &[Vec<u8>],
    tx: &std::sync::mpsc::SyncSender<io::Result<Vec<u8>>>,
    back: &std::sync::mpsc::Receiver<Vec<u8>>,
) {
    const SPOOL_BLOCK: usize = 1 << 20;
    let mut raw = vec![0u8; SPOOL_BLOCK];
    let mut filled = 0usize;
    let mut i = 0usize;
    loop {
        let mut eof = false;
        while !eof && filled < raw.len() {
            match spool.read(&mut raw[filled..]) {
                Ok(n) => {
                    eof = n == 0;
                    filled += n;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    let _ = tx.send(Err(e));
                    return;
                }
            }
        }
        let mut rows = back.try_recv().unwrap_or_default();
        rows.clear();
        rows.reserve(filled + filled / 8);
        // Whole records: a 4-byte length, then the row text.
        let mut pos = 0;
        while let Some(len) = raw[..filled]
            .get(pos..pos + 4)
            .map(|l| u32::from_le_bytes([l[0], l[1], l[2], l[3]]) as usize)
        {
            let Some(text) = raw[..filled].get(pos + 4..pos + 4 + len) else {
                break;
            };
            rows.extend_from_slice(text);
            rows.push(b',');
            if let Some(r) = ranks.get(i).copied().flatten() {
                write_u32(&mut rows, r);
            }
            rows.push(b',');
            if let Some(code) = bands.get(i).and_then(|&b| codes.get(usize::from(b))) {
                rows.extend_from_slice(code);
            }
            rows.push(b'\n');
            i += 1;
            pos += 4 + len;
        }
        raw.copy_within(pos..filled, 0);
        filled -= pos;
        if !rows.is_empty() && tx.send(Ok(rows)).is_err() {
            return;
        }
        if eof {
            if filled > 0 {
                let _ = tx.send(Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the spool ends inside a row",
                )));
            }
            return;
        }
        if filled == raw.len() {
            // One row longer than the buffer: room for the rest of it.
            raw.resize(2 * raw.len(), 0);
        }
    }
}
