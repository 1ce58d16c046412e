//! Where CSV records end, found in one pass over a growing buffer.
//!
//! The batch reader cuts its input into blocks of whole records. A block that ends in the
//! middle of a record is read on; [`Scan`] remembers how far it has looked (and whether
//! it is inside quotes), so each byte is examined once however long a record is — a
//! 40 MB cell costs 40 MB of reading, not 40 MB per block read. It also knows where the
//! last field started, so a record is refused as soon as one of its cells passes
//! [`crate::limits::MAX_BATCH_CELL_BYTES`], before more of it is buffered.
//!
//! Quotes are followed as `csv_core` reads them (RFC 4180): a field that starts with `"`
//! is quoted, `""` inside it is a quote; elsewhere `"` is a character. A `\r` or `\n`
//! outside quotes ends a record or a blank line. A block ends just after the first
//! terminator byte of its last whole record, where the `csv` crate stops reading that
//! record (blank lines after it go to the next block, whose first record they precede).

/// Whether `b` ends a record (outside quotes).
fn is_term(b: u8) -> bool {
    b == b'\n' || b == b'\r'
}

/// The state of a scan over a buffer that starts at the start of a record.
#[derive(Debug, Clone, Copy)]
pub(super) struct Scan {
    /// Bytes of the buffer already scanned.
    pos: usize,
    in_quotes: bool,
    /// At the start of a field: a `"` here opens a quoted field.
    field_start: bool,
    /// Just after a closing `"`: `""` is an escaped quote.
    closed: bool,
    /// Just after the first terminator byte of the last whole record seen.
    pub(super) cut: Option<usize>,
    /// Where the field being read starts (after the last comma or terminator outside
    /// quotes).
    pub(super) field: usize,
    /// Commas outside quotes before the first cut (the header's columns − 1).
    pub(super) first_commas: usize,
    /// Whether a `"` was among the bytes scanned.
    pub(super) quoted: bool,
}

impl Scan {
    /// A scan of nothing yet.
    pub(super) fn new() -> Scan {
        Scan {
            pos: 0,
            in_quotes: false,
            field_start: true,
            closed: false,
            cut: None,
            field: 0,
            first_commas: 0,
            quoted: false,
        }
    }

    /// The cut a terminator outside quotes at `i` makes: just after it when a record
    /// ends there, else (a blank line) the cut of the terminator before it.
    fn terminator(&mut self, buf: &[u8], i: usize) {
        if i > 0 && !is_term(buf[i - 1]) {
            self.cut = Some(i + 1);
        }
    }

    /// Scans the bytes of `buf` not seen yet (`buf` only grows between calls). With
    /// `first`, stops at the first cut (a header).
    pub(super) fn advance(&mut self, buf: &[u8], first: bool) {
        let new = &buf[self.pos.min(buf.len())..];
        if new.is_empty() {
            return;
        }
        if !first && !self.in_quotes && !has_quote(new) {
            // Quote-free: only the last terminator and the last field start matter.
            let base = self.pos;
            if let Some(t) = new.iter().rposition(|&b| is_term(b)) {
                let t = base + t;
                // The record before `t` ends at the last non-terminator byte; a run of
                // terminators reaching back before `base` continues the chain there.
                match buf[base..t].iter().rposition(|&b| !is_term(b)) {
                    Some(k) => self.cut = Some(base + k + 2),
                    None => self.terminator(buf, base),
                }
            }
            if let Some(f) = new.iter().rposition(|&b| b == b',' || is_term(b)) {
                self.field = base + f + 1;
            }
            let last = buf[buf.len() - 1];
            self.field_start = last == b',' || is_term(last);
            self.closed = false;
            self.pos = buf.len();
            return;
        }
        for i in self.pos..buf.len() {
            let b = buf[i];
            self.pos = i + 1;
            self.quoted |= b == b'"';
            if self.in_quotes {
                if b == b'"' {
                    self.in_quotes = false;
                    self.closed = true;
                }
                continue;
            }
            match b {
                b'"' if self.field_start || self.closed => {
                    self.in_quotes = true;
                    self.field_start = false;
                }
                b',' => {
                    self.field_start = true;
                    self.field = i + 1;
                    if self.cut.is_none() {
                        self.first_commas += 1;
                    }
                }
                b'\r' | b'\n' => {
                    self.field_start = true;
                    self.field = i + 1;
                    self.terminator(buf, i);
                    if first && self.cut.is_some() {
                        return;
                    }
                }
                _ => self.field_start = false,
            }
            self.closed = false;
        }
    }
}

/// Whether `bytes` hold a `"`: 32 bytes a step without an early exit inside a step, so
/// the compiler compares them as vectors (`contains` went a word at a time: ~1
/// instruction a byte on the reading thread).
fn has_quote(bytes: &[u8]) -> bool {
    let mut steps = bytes.chunks_exact(32);
    for step in &mut steps {
        if step.iter().fold(false, |any, &b| any | (b == b'"')) {
            return true;
        }
    }
    steps.remainder().contains(&b'"')
}

/// The position (0-based) of the field that holds byte `end` of the record starting at
/// the start of `buf` (commas outside quotes before it).
pub(super) fn field_index(buf: &[u8], end: usize) -> usize {
    let mut s = Scan::new();
    s.advance(&buf[..end.min(buf.len())], true);
    s.first_commas
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The reference: every terminator outside quotes, found from the start of `buf`.
    fn unquoted_terminators(buf: &[u8], mut f: impl FnMut(usize) -> bool) {
        let mut in_quotes = false;
        let mut field_start = true;
        let mut closed = false;
        for (i, &b) in buf.iter().enumerate() {
            if in_quotes {
                if b == b'"' {
                    in_quotes = false;
                    closed = true;
                }
                continue;
            }
            match b {
                b'"' if field_start || closed => {
                    in_quotes = true;
                    field_start = false;
                }
                b',' => field_start = true,
                b'\r' | b'\n' => {
                    field_start = true;
                    if f(i) {
                        return;
                    }
                }
                _ => field_start = false,
            }
            closed = false;
        }
    }

    fn cut_before(buf: &[u8], term: usize) -> Option<usize> {
        let end = buf[..term].iter().rposition(|&b| !is_term(b))?;
        Some(end + 2)
    }

    fn record_cut(buf: &[u8]) -> Option<usize> {
        let mut last = None;
        unquoted_terminators(buf, |i| {
            last = Some(i);
            false
        });
        cut_before(buf, last?)
    }

    fn header_cut(buf: &[u8]) -> Option<usize> {
        let mut cut = None;
        unquoted_terminators(buf, |i| {
            cut = cut_before(buf, i);
            cut.is_some()
        });
        cut
    }

    fn text() -> impl Strategy<Value = Vec<u8>> {
        proptest::collection::vec(
            proptest::sample::select(vec![b'a', b'"', b',', b'\n', b'\r', b' ']),
            0..60,
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// The vector search for a quote says what `contains` says, wherever the quote is.
        #[test]
        fn has_quote_equals_contains(
            len in 0usize..200,
            at in proptest::option::of(0usize..200),
            fill in proptest::sample::select(vec![b'a', b'"', 0x22 ^ 0x80, b'\n']),
        ) {
            let mut bytes = vec![b'x'; len];
            if let Some(at) = at.filter(|&at| at < len) {
                bytes[at] = fill;
            }
            prop_assert_eq!(has_quote(&bytes), bytes.contains(&b'"'));
        }

        /// Scanning in pieces of any sizes finds the cut a scan of the whole buffer from
        /// its start finds, and the same field start.
        #[test]
        fn incremental_scan_equals_whole_scan(buf in text(), cuts in proptest::collection::vec(0usize..60, 0..6)) {
            let mut s = Scan::new();
            let mut ends: Vec<usize> = cuts.into_iter().map(|c| c.min(buf.len())).collect();
            ends.sort_unstable();
            ends.push(buf.len());
            for e in ends {
                s.advance(&buf[..e], false);
                prop_assert_eq!(s.cut, record_cut(&buf[..e]), "prefix {}", e);
            }
            // The field start: after the last comma or terminator outside quotes.
            let mut field = 0;
            let mut last_sep = |i: usize| { field = i + 1; false };
            let mut in_q = false; let mut fs = true; let mut closed = false;
            for (i, &b) in buf.iter().enumerate() {
                if in_q { if b == b'"' { in_q = false; closed = true; } continue; }
                match b {
                    b'"' if fs || closed => { in_q = true; fs = false; }
                    b',' | b'\r' | b'\n' => { fs = true; last_sep(i); }
                    _ => fs = false,
                }
                closed = false;
            }
            prop_assert_eq!(s.field, field);
        }

        /// With `first`, the scan stops at the header's end.
        #[test]
        fn first_cut_is_the_header(buf in text()) {
            let mut s = Scan::new();
            s.advance(&buf, true);
            prop_assert_eq!(s.cut, header_cut(&buf));
        }
    }

    #[test]
    fn columns_of_the_first_record() {
        let mut s = Scan::new();
        s.advance(b"unit,\"a,b\",c\nx,y", true);
        assert_eq!((s.cut, s.first_commas), (Some(13), 2));
        assert_eq!(field_index(b"x,\"1,2\",yyyy", 10), 2);
        assert_eq!(field_index(b"xxxx", 3), 0);
    }
}
