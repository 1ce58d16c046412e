//! The zip container of an .xlsx or .ods workbook, checked before calamine sees it.
//!
//! 1. The end-of-central-directory records are read from the file's tail and every entry
//!    count they declare is bounded ([`MAX_WORKBOOK_PARTS`]) before the zip crate sizes
//!    its directory from them.
//! 2. Every part's declared size, the total, and the compression ratio are bounded
//!    ([`MAX_WORKBOOK_PART_BYTES`], [`MAX_WORKBOOK_INFLATED_BYTES`],
//!    [`MAX_WORKBOOK_RATIO`]) from the central directory, before anything is inflated.
//! 3. Every part is inflated once through [`Capped`], which stops one byte past the
//!    declared size: a header that lies is refused, so the declared sizes checked in 2
//!    are the real ones when calamine inflates the parts again. The XML parts pass
//!    through [`super::scan`] on the way (formulas without a saved value, shared-string
//!    counts, ODS repeats), which costs one parse and no extra memory.

use super::scan::{self, Facts};
use super::{bad, limit, Format};
use chiso::limits::{
    MAX_WORKBOOK_INFLATED_BYTES, MAX_WORKBOOK_PARTS, MAX_WORKBOOK_PART_BYTES, MAX_WORKBOOK_RATIO,
};
use chiso::Diagnostics;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};

/// Parts smaller than this are not held to [`MAX_WORKBOOK_RATIO`] (tiny XML files
/// compress very well and cost nothing).
const RATIO_FLOOR: u64 = 1 << 20;

/// Where a problem of the zip container itself is located in messages.
pub(super) const ZIP: &str = "[zip]";

/// Signature of the end-of-central-directory record.
const EOCD: [u8; 4] = [0x50, 0x4b, 0x05, 0x06];
/// Signature of the zip64 end-of-central-directory locator.
const ZIP64_LOCATOR: [u8; 4] = [0x50, 0x4b, 0x06, 0x07];
/// Signature of the zip64 end-of-central-directory record.
const ZIP64_EOCD: [u8; 4] = [0x50, 0x4b, 0x06, 0x06];

/// Checks the archive and inflates every part once; returns what the scanners found.
/// `file` is left at an unspecified position.
pub(super) fn check<R: Read + Seek>(file: &mut R, format: Format) -> Result<Facts, Diagnostics> {
    let declared = directory_entries(file, format)?;
    file.seek(SeekFrom::Start(0))
        .map_err(|e| bad(format, ZIP, &e.to_string()))?;
    let mut zip = zip::ZipArchive::new(BufReader::new(&mut *file))
        .map_err(|e| bad(format, ZIP, &e.to_string()))?;
    if let Some(n) = declared {
        if (zip.len() as u64) < n {
            return Err(bad(
                format,
                ZIP,
                "the archive lists a part twice (two parts of one name) / tệp nén liệt kê một phần hai lần (hai phần trùng tên)",
            ));
        }
    }
    // Sizes from the central directory, before inflating anything.
    let mut total = 0u64;
    let mut parts = Vec::with_capacity(zip.len());
    for i in 0..zip.len() {
        let f = zip
            .by_index_raw(i)
            .map_err(|e| bad(format, ZIP, &e.to_string()))?;
        let (name, size, packed) = (f.name().to_owned(), f.size(), f.compressed_size());
        if f.is_dir() {
            continue;
        }
        if size > MAX_WORKBOOK_PART_BYTES {
            return Err(limit(
                &name,
                "inflated size of one part of the workbook / dung lượng giải nén của một phần trong tệp",
                MAX_WORKBOOK_PART_BYTES,
                Some(size),
                "bytes / byte",
            ));
        }
        total = total.saturating_add(size);
        if total > MAX_WORKBOOK_INFLATED_BYTES {
            return Err(limit(
                &name,
                "inflated size of the workbook / dung lượng giải nén của tệp",
                MAX_WORKBOOK_INFLATED_BYTES,
                Some(total),
                "bytes / byte",
            ));
        }
        parts.push((i, name, size, packed));
    }
    // The ratio once the totals are known (a bomb of many parts is named by its total).
    for (_, name, size, packed) in &parts {
        let (size, packed) = (*size, *packed);
        if size > RATIO_FLOOR && size / packed.max(1) > MAX_WORKBOOK_RATIO {
            return Err(limit(
                name,
                "compression ratio of one part of the workbook / tỷ lệ nén của một phần trong tệp",
                MAX_WORKBOOK_RATIO,
                Some(size / packed.max(1)),
                "",
            ));
        }
    }
    // Inflate every part once, through the cap and the scanners.
    let mut facts = Facts::default();
    for (i, name, size, _) in parts {
        let f = zip
            .by_index(i)
            .map_err(|e| bad(format, &name, &e.to_string()))?;
        let mut capped = Capped {
            inner: f,
            left: size,
            over: false,
        };
        let result = {
            let mut reader = BufReader::with_capacity(64 << 10, &mut capped);
            if scan::is_xml(&name) {
                scan::part(&name, size, &mut reader, format, &mut facts)
            } else {
                drain(&mut reader).map_err(|e| bad(format, &name, &e.to_string()))
            }
        };
        if capped.over {
            return Err(bad(
                format,
                &name,
                &format!(
                    "the part inflates to more than the {size} bytes its header declares / phần này giải nén ra nhiều hơn {size} byte mà tệp khai báo"
                ),
            ));
        }
        result?;
    }
    Ok(facts)
}

/// Reads a reader to its end, keeping nothing.
fn drain(r: &mut impl BufRead) -> io::Result<()> {
    loop {
        let n = {
            let buf = r.fill_buf()?;
            if buf.is_empty() {
                return Ok(());
            }
            buf.len()
        };
        r.consume(n);
    }
}

/// A reader that gives at most `left` bytes and notes (`over`) when the inner reader has
/// more: a zip entry inflating past its declared size.
struct Capped<R> {
    inner: R,
    left: u64,
    over: bool,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        if self.left == 0 {
            let mut probe = [0u8; 1];
            if self.inner.read(&mut probe)? > 0 {
                self.over = true;
                return Err(io::Error::other("part larger than declared"));
            }
            return Ok(0);
        }
        let want = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        self.left -= n as u64;
        Ok(n)
    }
}

/// The largest entry count any end-of-central-directory record in the file's tail
/// declares (zip64 ones included), after checking each against [`MAX_WORKBOOK_PARTS`];
/// `None` when the tail holds no such record (the zip crate then says what is wrong).
fn directory_entries<R: Read + Seek>(
    file: &mut R,
    format: Format,
) -> Result<Option<u64>, Diagnostics> {
    let io = |e: io::Error| bad(format, ZIP, &e.to_string());
    let len = file.seek(SeekFrom::End(0)).map_err(io)?;
    // The record is 22 bytes plus a comment of at most 65,535 bytes.
    let tail_len = len.min(22 + 65_535 + 20);
    file.seek(SeekFrom::Start(len - tail_len)).map_err(io)?;
    let mut tail = vec![0u8; tail_len as usize];
    file.read_exact(&mut tail).map_err(io)?;
    let mut nearest: Option<u64> = None;
    let mut i = tail.len().saturating_sub(22);
    loop {
        if tail[i..].starts_with(&EOCD) && i + 22 <= tail.len() {
            let r = &tail[i..];
            let u16_at = |k: usize| u64::from(u16::from_le_bytes([r[k], r[k + 1]]));
            let mut entries = u16_at(10).max(u16_at(8));
            if entries == 0xFFFF || r[16..20] == [0xFF; 4] || r[12..16] == [0xFF; 4] {
                // zip64: the locator sits just before the record.
                if let Some(n) = zip64_entries(file, &tail, i, len - tail_len, format)? {
                    entries = n;
                }
            }
            if entries > MAX_WORKBOOK_PARTS {
                return Err(limit(
                    ZIP,
                    "parts in the workbook archive / số phần trong tệp nén",
                    MAX_WORKBOOK_PARTS,
                    Some(entries),
                    "",
                ));
            }
            nearest.get_or_insert(entries);
        }
        if i == 0 {
            break;
        }
        i -= 1;
    }
    Ok(nearest)
}

/// The entry count of the zip64 record a locator before `at` points to.
fn zip64_entries<R: Read + Seek>(
    file: &mut R,
    tail: &[u8],
    at: usize,
    tail_start: u64,
    format: Format,
) -> Result<Option<u64>, Diagnostics> {
    let Some(loc) = at.checked_sub(20).map(|s| &tail[s..at]) else {
        return Ok(None);
    };
    if !loc.starts_with(&ZIP64_LOCATOR) {
        return Ok(None);
    }
    let mut off = [0u8; 8];
    off.copy_from_slice(&loc[8..16]);
    let offset = u64::from_le_bytes(off);
    let io = |e: io::Error| bad(format, ZIP, &e.to_string());
    if offset >= tail_start + at as u64 {
        return Err(bad(
            format,
            ZIP,
            "the zip64 directory record lies outside the file / bản ghi thư mục zip64 nằm ngoài tệp",
        ));
    }
    file.seek(SeekFrom::Start(offset)).map_err(io)?;
    let mut rec = [0u8; 56];
    file.read_exact(&mut rec).map_err(io)?;
    if !rec.starts_with(&ZIP64_EOCD) {
        return Err(bad(
            format,
            ZIP,
            "the zip64 directory record is missing / thiếu bản ghi thư mục zip64",
        ));
    }
    let u64_at = |k: usize| {
        let mut b = [0u8; 8];
        b.copy_from_slice(&rec[k..k + 8]);
        u64::from_le_bytes(b)
    };
    Ok(Some(u64_at(24).max(u64_at(32))))
}

#[cfg(test)]
mod tests {
    use super::Capped;
    use std::io::Read;

    #[test]
    fn capped_reader_notes_a_part_longer_than_declared() {
        let mut c = Capped {
            inner: &b"abcdef"[..],
            left: 4,
            over: false,
        };
        let mut out = Vec::new();
        assert!(c.read_to_end(&mut out).is_err());
        assert!(c.over);
        assert_eq!(out, b"abcd");
        let mut c = Capped {
            inner: &b"abcd"[..],
            left: 4,
            over: false,
        };
        let mut out = Vec::new();
        c.read_to_end(&mut out).unwrap();
        assert!(!c.over);
    }
}
