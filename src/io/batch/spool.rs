//! The spool between the two passes, in segments: pass 1 writes the scored rows into
//! one spool after another ([`Segments`], a new one every `size` bytes), pass 2 reads
//! them back in order ([`Spooled`]) and, on its last read, drops each segment as soon
//! as it has been read.
//!
//! Why: a temporary file of 350 MB (a million PAPI units) costs ~25 ms to free when it
//! is closed (the kernel drops its pages one by one), which was a serial tail after
//! the output had been written. In segments, pass 2's reading thread frees them while
//! the writing thread writes, and only the last segment's pages are freed at the end.

use std::collections::VecDeque;
use std::io::{self, Read, Seek, SeekFrom, Write};

/// Bytes of one segment of the CLI's spool (a temporary file each).
pub const SPOOL_SEGMENT_BYTES: u64 = 16 << 20;

/// Pass 1's spool: segments made by `make` as they are needed, each filled with at
/// least `size` bytes before the next is made (a write is never split: a segment may
/// end inside a row; [`Spooled`] reads across).
pub(super) struct Segments<S, F> {
    segs: VecDeque<S>,
    /// Bytes written to the last segment.
    last: u64,
    size: u64,
    make: F,
}

impl<S: Write, F: FnMut() -> io::Result<S>> Segments<S, F> {
    pub(super) fn new(size: u64, make: F) -> Self {
        Segments {
            segs: VecDeque::new(),
            last: 0,
            size,
            make,
        }
    }
}

impl<S: Write + Seek, F> Segments<S, F> {
    /// The segments, flushed and rewound, to be read in order.
    pub(super) fn into_reader(mut self) -> io::Result<Spooled<S>> {
        for s in &mut self.segs {
            s.flush()?;
        }
        let mut r = Spooled {
            segs: self.segs,
            at: 0,
            consume: false,
        };
        r.rewind()?;
        Ok(r)
    }
}

impl<S: Write, F: FnMut() -> io::Result<S>> Write for Segments<S, F> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.segs.is_empty() || self.last >= self.size {
            if let Some(s) = self.segs.back_mut() {
                s.flush()?;
            }
            self.segs.push_back((self.make)()?);
            self.last = 0;
        }
        let Some(s) = self.segs.back_mut() else {
            return Ok(0); // not reached: a segment was just made
        };
        let n = s.write(buf)?;
        self.last += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        match self.segs.back_mut() {
            Some(s) => s.flush(),
            None => Ok(()),
        }
    }
}

/// The spooled rows, read in order across the segments.
pub(super) struct Spooled<S> {
    segs: VecDeque<S>,
    /// The segment being read (when not consuming).
    at: usize,
    /// Whether a segment is dropped once read (the last read).
    consume: bool,
}

impl<S: Seek> Spooled<S> {
    /// Back to the first byte.
    pub(super) fn rewind(&mut self) -> io::Result<()> {
        for s in &mut self.segs {
            s.seek(SeekFrom::Start(0))?;
        }
        self.at = 0;
        Ok(())
    }

    /// The last read: each segment is dropped (closed) once it has been read.
    pub(super) fn consuming(mut self) -> Self {
        self.consume = true;
        self
    }
}

impl<S: Read> Read for Spooled<S> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            let seg = if self.consume {
                self.segs.front_mut()
            } else {
                self.segs.get_mut(self.at)
            };
            let Some(seg) = seg else {
                return Ok(0);
            };
            let n = seg.read(buf)?;
            if n > 0 || buf.is_empty() {
                return Ok(n);
            }
            if self.consume {
                self.segs.pop_front();
            } else {
                self.at += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    /// Segments of `size` bytes, written in writes of `step` bytes, read back whole
    /// (twice, then consuming) in reads of `chunk` bytes.
    fn round_trip(data: &[u8], size: u64, step: usize, chunk: usize) -> (Vec<u8>, usize) {
        let mut made = 0;
        let mut w = Segments::new(size, || {
            made += 1;
            Ok(Cursor::new(Vec::new()))
        });
        for part in data.chunks(step.max(1)) {
            w.write_all(part).unwrap();
        }
        let mut r = w.into_reader().unwrap();
        let count = r.segs.len();
        let read = |r: &mut Spooled<Cursor<Vec<u8>>>| {
            let mut out = Vec::new();
            let mut buf = vec![0; chunk.max(1)];
            loop {
                let n = r.read(&mut buf).unwrap();
                if n == 0 {
                    break;
                }
                out.extend_from_slice(&buf[..n]);
            }
            out
        };
        let first = read(&mut r);
        r.rewind().unwrap();
        assert_eq!(read(&mut r), first, "a second read gives the same bytes");
        r.rewind().unwrap();
        let mut r = r.consuming();
        assert_eq!(read(&mut r), first);
        assert!(r.segs.is_empty(), "every segment dropped once read");
        (first, count)
    }

    #[test]
    fn segments_read_back_what_was_written() {
        let data: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();
        for (size, step, chunk) in [
            (1, 1, 1),
            (100, 7, 13),
            (1000, 333, 4096),
            (u64::MAX, 64, 100),
        ] {
            let (back, count) = round_trip(&data, size, step, chunk);
            assert_eq!(back, data, "size {size} step {step} chunk {chunk}");
            // A new segment once the last holds `size` bytes: writes never split.
            let expect = if size == u64::MAX {
                1
            } else {
                data.chunks(step)
                    .count()
                    .div_ceil((size as usize).div_ceil(step))
            };
            assert_eq!(count, expect, "size {size} step {step}");
        }
        let (back, count) = round_trip(&[], 10, 1, 1);
        assert!(back.is_empty());
        assert_eq!(count, 0, "no segment before the first byte");
    }

    #[test]
    fn a_failed_segment_is_an_error() {
        let mut n = 0;
        let mut w = Segments::new(4, || {
            n += 1;
            if n > 1 {
                Err(io::Error::other("no room"))
            } else {
                Ok(Cursor::new(Vec::new()))
            }
        });
        w.write_all(b"abcd").unwrap();
        assert!(w.write_all(b"e").is_err());
    }
}
