//! Tests of whole runs and of pass 1: ranks, blocks, means, errors; the block
//! pipeline equals the `csv` crate on the whole input; `read_units` reports as the batch.

#![allow(clippy::unwrap_used)]

use super::collect::*;
use super::pass1::*;
use super::read::BLOCK;
use super::scorer::*;
use super::tests_scorer::{mixed, PLAIN};
use super::*;
use crate::engine::Index;
use crate::text::Lang;
use proptest::prelude::*;
use std::io::{self, BufWriter};

#[test]
fn ranks_blocks_means_and_missing() {
    // Score-only tree, propagate: a missing leaf leaves the unit unranked.
    let index = Index::from_json(
        r#"{"format":"chiso.index/1","id":"p","title":{"vi":"P"},"version":"1","legal_basis":[],
        "unit_levels":["province"],"years":{"from":2021},"completeness":"example",
        "policies":{"missing_value":"propagate"},"tie_policy":"dense",
        "nodes":[{"code":"D1","title":{"vi":"D1"},"children":[
          {"code":"D1.1","title":{"vi":"a"},"rule":{"type":"score"}},
          {"code":"D1.2","title":{"vi":"b"},"rule":{"type":"score"}}]}]}"#,
    )
    .unwrap();
    let input = "unit,block,D1.1,D1.2\nA,x,1,2\nB,x,2.5,0.5\nC,x,0.5,0.5\nD,y,1,\nE,y,0.25,0.75\n";
    let out = run_in_memory(
        &index,
        input.as_bytes(),
        InputFormat::Csv,
        &Options::default(),
    )
    .unwrap();
    // A 3, B 3 (tie, dense → 1, 1), C 1 → 2; block y: D missing, E 1 → 1.
    // Means over units with a value: D1.1 (1+2.5+0.5+1+0.25)/5 = 1.05; D1.2 (2+0.5+0.5+0.75)/4 = 0.9375;
    // D1 and total (3+3+1+1)/4 = 2.
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "unit,block,D1,D1.1,D1.2,total,percent,rank,band\n\
         A,x,3,1,2,3,,1,\nB,x,3,2.5,0.5,3,,1,\nC,x,1,0.5,0.5,1,,2,\nD,y,,1,,,,,\nE,y,1,0.25,0.75,1,,1,\n\
         __mean__,,2,1.05,0.9375,2,,,\n"
    );
    let opts = Options {
        tie_policy: Some(TiePolicy::Competition),
        mean: false,
        ..Options::default()
    };
    let out = run_in_memory(&index, input.as_bytes(), InputFormat::Csv, &opts).unwrap();
    assert!(String::from_utf8(out)
        .unwrap()
        .contains("C,x,1,0.5,0.5,1,,3,\n"));
}

#[test]
fn means_of_sums_wider_than_a_decimal() {
    // A: 6.8333333333333333333333333333 + 34.58 = 41.4133333333333333333333333333
    // needs 30 significant digits (a Decimal holds 28–29), so the sum cannot be a
    // Decimal; the mean is the exact 20.70666666666666666666666666665 rounded half to
    // even to 29 digits: …667. Both through the general path (threads 1 and 2, the
    // cells read as text, i.e. the integer fast path) and as JSON lines.
    let index = Index::from_json(
        r#"{"format":"chiso.index/1","id":"w","title":{"vi":"W"},"version":"1","legal_basis":[],
        "unit_levels":["province"],"years":{"from":2021},"completeness":"example",
        "nodes":[{"code":"A","title":{"vi":"A"},"rule":{"type":"score"}}]}"#,
    )
    .unwrap();
    let input = "unit,A\nX,6.8333333333333333333333333333\nY,34.58\n";
    let mean_row = "__mean__,20.706666666666666666666666667,20.706666666666666666666666667,,,\n";
    for threads in [1, 2] {
        let opts = Options {
            threads,
            ..Options::default()
        };
        let out = run_in_memory(&index, input.as_bytes(), InputFormat::Csv, &opts).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(out.ends_with(mean_row), "{out}");
    }
    let jsonl = "{\"format\":\"chiso.assessment/1\",\"index\":\"w\",\"unit\":{\"name\":\"X\"},\"entries\":{\"A\":{\"self\":{\"value\":{\"number\":\"6.8333333333333333333333333333\"}}}}}\n\
                 {\"format\":\"chiso.assessment/1\",\"index\":\"w\",\"unit\":{\"name\":\"Y\"},\"entries\":{\"A\":{\"self\":{\"value\":{\"number\":\"34.58\"}}}}}\n";
    let out = run_in_memory(
        &index,
        jsonl.as_bytes(),
        InputFormat::JsonLines,
        &Options::default(),
    )
    .unwrap();
    let out = String::from_utf8(out).unwrap();
    assert!(
        out.ends_with(
            "__mean__,,20.706666666666666666666666667,20.706666666666666666666666667,,,\n"
        ),
        "{out}"
    );
}

#[test]
fn bad_rows_are_all_reported_and_nothing_is_written() {
    let index = mixed();
    let mut input = String::from("unit,1.1,1.2,1.3,1.4,2.1,2.2,2.3,2.4\n");
    for i in 0..70 {
        input.push_str(&format!("U{i},yes,late,1/2,x{i},95%,fair,2,0\n"));
    }
    let mut out = Vec::new();
    let opts = Options {
        max_errors: 5,
        ..Options::default()
    };
    let e = run(
        &index,
        input.as_bytes(),
        InputFormat::Csv,
        io::Cursor::new(Vec::new()),
        &mut out,
        &opts,
    )
    .unwrap_err();
    assert!(out.is_empty());
    let text = e.render();
    assert!(
        text.starts_with("units row 2, column 1.4: 'x0' is not a number"),
        "{text}"
    );
    assert!(text.contains("units row 6, column 1.4: 'x4'"), "{text}");
    assert!(text.ends_with("… and 65 more errors (70 in all)"), "{text}");
}

/// Pass 1 of `input` on PLAIN: by the block pipeline (`Some((block size,
/// threads))`) or by the reference, the `csv` crate on the whole input and the
/// general path for every record. Returns everything pass 2 would use.
fn pass1_of(input: &[u8], pipeline: Option<(usize, usize)>) -> String {
    let index = Index::from_json(PLAIN).unwrap();
    let n = index.nodes().len();
    let mut p = Pass1::new(BufWriter::new(io::Cursor::new(Vec::new())), n, 1000);
    let opts = Options::default();
    match pipeline {
        Some((size, threads)) => {
            let opts = Options { threads, ..opts };
            let max = crate::limits::MAX_BATCH_IN_FLIGHT_BYTES;
            pass1_csv_blocks(&index, input, &mut p, &opts, size, max).unwrap();
        }
        None => {
            let mut rdr = csv::ReaderBuilder::new()
                .has_headers(true)
                .flexible(true)
                .from_reader(input);
            let header = rdr.byte_headers().unwrap().clone();
            let names: Vec<String> = header
                .iter()
                .map(|h| String::from_utf8_lossy(h).into_owned())
                .collect();
            let refs: Vec<&str> = names.iter().map(String::as_str).collect();
            match Scorer::new(&index, &refs, Lang::En) {
                Err(e) => p.fail(e),
                Ok(mut scorer) => {
                    p.has_blocks = scorer.has_blocks();
                    let mut part = Part::new(n + 1, None);
                    for rec in rdr.byte_records() {
                        let rec = rec.unwrap();
                        let line = rec.position().unwrap().line();
                        score_one(&mut scorer, line, &rec, &mut part, 1000);
                    }
                    p.merge(&mut part).unwrap();
                }
            }
        }
    }
    if p.error_count > 0 {
        // Nothing is written then; only the errors count.
        return format!("errors {} {:?}", p.error_count, p.errors);
    }
    let spool = p.spool.into_inner().unwrap().into_inner();
    format!(
        "spool {:?}\ntotals {:?}\nbands {:?}\nblocks {:?} {:?}\nerrors {} {:?}\nmeans {:?}",
        String::from_utf8_lossy(&spool),
        p.totals,
        p.bands,
        p.blocks,
        p.block_ids.len(),
        p.error_count,
        p.errors,
        mean_fields(&p.means, n + 1)
    )
}

/// Pass 1 keeps about `in_flight_max` input bytes in flight, not `QUEUE` blocks a
/// scoring thread whatever their size: 300 rows of 8 KiB (long unit names; the first
/// block holds 64 KiB, the others one row) under a 20 KiB bound never pass it by more
/// than one block, and give what an unbounded run gives, which holds its queues' 48
/// blocks at once (~440 KB).
#[test]
fn long_rows_are_bounded_in_flight() {
    if crate::limits::max_threads() < 2 {
        eprintln!("one core: pass 1 has no pipeline here");
        return;
    }
    let index = Index::from_json(PLAIN).unwrap();
    let n = index.nodes().len();
    let mut text = String::from("unit,D1.1,D1.2,D2.1,D2.2,D2.3\n");
    for i in 0..300 {
        text.push_str(&format!("u{i}{},1,2,3,4,5\n", "x".repeat(8000)));
    }
    let run = |max: usize| {
        let mut p = Pass1::new(BufWriter::new(io::Cursor::new(Vec::new())), n, 1000);
        let opts = Options {
            threads: 2,
            ..Options::default()
        };
        pass1_csv_blocks(&index, text.as_bytes(), &mut p, &opts, 1024, max).unwrap();
        let peak = p.peak_in_flight;
        (p.spool.into_inner().unwrap().into_inner(), p.totals, peak)
    };
    let (spool, totals, peak) = run(20 << 10);
    let (spool_all, totals_all, peak_all) = run(usize::MAX);
    assert_eq!(totals.len(), 300);
    assert!(spool == spool_all && totals == totals_all);
    assert!(peak <= (20 << 10) + (80 << 10), "{peak} bytes in flight");
    assert!(peak_all > 300 << 10, "{peak_all} bytes in flight unbounded");
}

/// Random CSV text for PLAIN: quoted and unquoted fields (quotes inside, commas and
/// line breaks in quotes), numbers the fast path takes and ones it leaves, empty
/// fields, wrong field counts, LF / CRLF / CR and blank lines, with or without a
/// final line break, and with or without a block column.
fn csv_text() -> impl Strategy<Value = String> {
    let number = proptest::sample::select(vec![
        "1",
        "0.50",
        "-0",
        "+2",
        "007",
        "10.000",
        ".5",
        "5.",
        "3.25",
        "0",
        "9.999999",
        "12345678901234567.5",
        "0.0000000000000000000001",
        "1e3",
        "",
        " 2",
        "n/a",
        "-1",
        "11",
        "\"4\"",
        "2.5.1",
    ]);
    let unit = proptest::sample::select(vec![
        "U",
        "V w",
        "\"a,b\"",
        "\"q\"\"x\"",
        "a\"b",
        "\"line\nbreak\"",
        " ",
        "",
        "Ü",
        "\"\"",
    ]);
    let block = proptest::sample::select(vec!["k1", "k2", "\"k,3\"", ""]);
    let term = proptest::sample::select(vec![
        "\n", "\n", "\n", "\r\n", "\r\n", "\r", "\n\n", "\r\n\r\n",
    ]);
    let row = (
        unit,
        block,
        proptest::collection::vec(number, 4..=6),
        term.clone(),
    );
    (
        any::<bool>(),
        proptest::sample::select(vec!["", "\n", "\r\n"]),
        term,
        proptest::collection::vec(row, 0..10),
        any::<bool>(),
    )
        .prop_map(|(with_block, lead, head_term, rows, final_term)| {
            let mut s = String::from(lead);
            s.push_str(if with_block {
                "unit,block,D1.1,D1.2,D2.1,D2.2,D2.3"
            } else {
                "\"unit\",D1.1,D1.2,D2.1,D2.2,D2.3"
            });
            s.push_str(head_term);
            let count = rows.len();
            for (k, (u, b, nums, t)) in rows.into_iter().enumerate() {
                s.push_str(u);
                if with_block {
                    s.push(',');
                    s.push_str(b);
                }
                for x in nums {
                    s.push(',');
                    s.push_str(x);
                }
                if k + 1 < count || final_term {
                    s.push_str(t);
                }
            }
            s
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]
    /// The block pipeline (records split on the workers, the fast row path) gives
    /// the same spool, keys, means and errors (with their line numbers) as the
    /// `csv` crate reading the whole input, for any block size and thread count.
    #[test]
    fn blocks_equal_csv_crate(text in csv_text(), size in 1usize..80, threads in 1usize..=2) {
        let reference = pass1_of(text.as_bytes(), None);
        prop_assert_eq!(pass1_of(text.as_bytes(), Some((size, threads))), reference.clone());
        prop_assert_eq!(pass1_of(text.as_bytes(), Some((BLOCK, 1))), reference);
    }

    /// `read_units` (plan, what-if) rejects what the batch rejects, with the same
    /// messages and row numbers, and reads as many units when both accept.
    #[test]
    fn read_units_reports_as_the_batch(text in csv_text(), threads in 1usize..=2) {
        let index = Index::from_json(PLAIN).unwrap();
        let opts = Options { threads, max_errors: 1000, ..Options::default() };
        let batch = run_in_memory(&index, text.as_bytes(), InputFormat::Csv, &opts);
        let mut units = 0u64;
        let read = read_units(&index, text.as_bytes(), InputFormat::Csv, &opts, false, |_| {
            units += 1;
            std::ops::ControlFlow::Continue(())
        });
        match (batch, read) {
            (Err(b), Err(r)) => prop_assert_eq!(b.render(), r.render()),
            (Ok(out), Ok(r)) => {
                prop_assert_eq!(r.units, units);
                // The output's rows: units, then the mean row.
                let rows = String::from_utf8(out).unwrap();
                let mut rdr = csv::ReaderBuilder::new().from_reader(rows.as_bytes());
                prop_assert_eq!(rdr.records().count() as u64, units + 1);
            }
            // An input without units: the batch writes an empty table, the reader
            // (nothing to compare with) refuses it.
            (Ok(_), Err(r)) => prop_assert!(r.render().contains("no units"), "{}", r.render()),
            (Err(b), Ok(_)) => prop_assert!(false, "batch refused what read_units took: {}", b.render()),
        }
    }
}

#[test]
fn fast_means_of_small_and_large_rows_are_exact() {
    // The fast path adds rows whose root is below 2^43 in `u64` and the larger ones
    // exactly: mixed, the means equal those of the general path (JSON lines).
    let index = Index::from_json(
        r#"{"format":"chiso.index/1","id":"w","title":{"vi":"W"},"version":"1","legal_basis":[],
        "unit_levels":["province"],"years":{"from":2021},"completeness":"example",
        "nodes":[{"code":"P","title":{"vi":"P"},"children":[
          {"code":"A","title":{"vi":"A"},"rule":{"type":"score"}},
          {"code":"B","title":{"vi":"B"},"rule":{"type":"score"}}]}]}"#,
    )
    .unwrap();
    let rows = [
        ("X", "1.000001", "2.5"),
        ("Y", "9999999999.999999", "4398046.511104"),
        ("Z", "0.000003", "8796093.022207"),
        ("W", "3", "4.25"),
    ];
    let mut csv = "unit,A,B\n".to_owned();
    let mut jsonl = String::new();
    for (u, a, b) in rows {
        csv.push_str(&format!("{u},{a},{b}\n"));
        jsonl.push_str(&format!(
            "{{\"format\":\"chiso.assessment/1\",\"index\":\"w\",\"unit\":{{\"name\":\"{u}\"}},\"entries\":{{\"A\":{{\"self\":{{\"value\":{{\"number\":\"{a}\"}}}}}},\"B\":{{\"self\":{{\"value\":{{\"number\":\"{b}\"}}}}}}}}}}\n"
        ));
    }
    let mean_of = |out: Vec<u8>, skip: usize| {
        let out = String::from_utf8(out).unwrap();
        let last = out.lines().last().unwrap().to_owned();
        let mut f: Vec<&str> = last.split(',').collect();
        f.drain(1..1 + skip);
        f.join(",")
    };
    let general = mean_of(
        run_in_memory(
            &index,
            jsonl.as_bytes(),
            InputFormat::JsonLines,
            &Options::default(),
        )
        .unwrap(),
        1,
    );
    assert!(
        general.starts_with("__mean__,2503298537.5708285,"),
        "{general}"
    );
    for threads in [1, 2] {
        let opts = Options {
            threads,
            ..Options::default()
        };
        let fast = mean_of(
            run_in_memory(&index, csv.as_bytes(), InputFormat::Csv, &opts).unwrap(),
            0,
        );
        assert_eq!(fast, general);
    }
}

#[test]
fn pass_two_reads_rows_across_and_beyond_its_buffer() {
    // Rows of every length around the 1 MiB read buffer, and one of 2.5 MiB (the buffer
    // grows for it): each comes out whole, in order, with its rank and band.
    let lens = [10, (1 << 20) - 7, 3, (5 << 19) + 1, 1 << 20, 0, 17];
    let mut spool = Vec::new();
    let mut expected = Vec::new();
    let ranks: Vec<Option<u32>> = (0..lens.len())
        .map(|k| (k % 3 != 1).then_some(k as u32 + 1))
        .collect();
    let bands: Vec<u16> = (0..lens.len())
        .map(|k| if k % 2 == 0 { 0 } else { u16::MAX })
        .collect();
    let codes = vec![b"A".to_vec()];
    for (k, &len) in lens.iter().enumerate() {
        let text: Vec<u8> = (0..len).map(|j| b'a' + ((j + k) % 26) as u8).collect();
        spool.extend_from_slice(&(len as u32).to_le_bytes());
        spool.extend_from_slice(&text);
        expected.extend_from_slice(&text);
        expected.push(b',');
        if let Some(r) = ranks[k] {
            expected.extend_from_slice(r.to_string().as_bytes());
        }
        expected.push(b',');
        if bands[k] == 0 {
            expected.push(b'A');
        }
        expected.push(b'\n');
    }
    // Pass 2 over `spool`: what it sends, in order.
    let pass_two = |spool: &[u8]| -> Vec<std::io::Result<Vec<u8>>> {
        let (tx, rx) = std::sync::mpsc::sync_channel(2);
        let (_back_tx, back_rx) = std::sync::mpsc::channel();
        std::thread::scope(|sc| {
            let (r, b, c) = (&ranks, &bands, &codes);
            sc.spawn(move || super::write::csv_rows(spool, r, b, c, &tx, &back_rx));
            rx.iter().collect()
        })
    };
    let out: Vec<u8> = pass_two(&spool)
        .into_iter()
        .flat_map(|rows| rows.unwrap())
        .collect();
    assert!(
        out == expected,
        "{} bytes, expected {}",
        out.len(),
        expected.len()
    );
    // A spool cut inside a row is an error.
    assert!(pass_two(&spool[..spool.len() - 3])
        .iter()
        .any(|r| r.is_err()));
}

/// A reader giving `data` a few bytes a call, `Interrupted` before every other call,
/// then an error or the end.
struct Trickle {
    data: Vec<u8>,
    at: usize,
    calls: usize,
    fail_at_end: bool,
}

impl Trickle {
    /// A reader of `data` that fails with an error at its end when `fail_at_end`.
    fn new(data: &[u8], fail_at_end: bool) -> Self {
        Trickle {
            data: data.to_vec(),
            at: 0,
            calls: 0,
            fail_at_end,
        }
    }
}

impl std::io::Read for Trickle {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.calls += 1;
        if self.calls % 2 == 0 {
            return Err(std::io::ErrorKind::Interrupted.into());
        }
        if self.at == self.data.len() && self.fail_at_end {
            return Err(std::io::Error::other("gone"));
        }
        let n = buf
            .len()
            .min(self.data.len() - self.at)
            .min(1 + self.calls % 7);
        buf[..n].copy_from_slice(&self.data[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

#[test]
fn read_some_reads_up_to_want_within_its_reserve() {
    use super::read::{read_some, Block};
    let data: Vec<u8> = (0..1000u32).map(|i| (i % 251) as u8).collect();
    let mut r = Trickle::new(&data, false);
    let mut out = Block::from_slice(b"ab");
    let n = read_some(&mut r, &mut out, 300).unwrap();
    assert_eq!(n, 300);
    assert_eq!(out[..2], *b"ab");
    assert_eq!(out[2..], data[..300]);
    // Nothing read past what was wanted.
    assert_eq!(r.at, 300);
    // The rest, then 0 at the end; a cleared block reuses its buffer (what it held
    // before is not part of the block).
    out.clear();
    assert_eq!(read_some(&mut r, &mut out, 5000).unwrap(), 700);
    assert_eq!(*out, data[300..]);
    assert_eq!(read_some(&mut r, &mut out, 10).unwrap(), 0);
    assert_eq!(*out, data[300..]);
    out.clear();
    assert!(out.is_empty());
    // An error drops what the call read.
    let mut r = Trickle::new(&data, true);
    let mut out = Block::from_slice(b"ab");
    assert!(read_some(&mut r, &mut out, 2000).is_err());
    assert_eq!(*out, *b"ab");
}
