//! Batch scoring benchmarks: synthetic units, CSV in → CSV out with ranks, all in memory.
//!
//! - PAPI 2021+ tree (`criteria/papi/papi-2021-2024.json`): 28 `score` leaves, 8 sums;
//!   values drawn like `gen-papi-units.py` (inside each sub-dimension's nominal range
//!   [1/k, 10/k], 6 decimals).
//! - QĐ 766 portal tree (`criteria/service-766/qd766-portal-six-groups.json`): 21
//!   `proportional` leaves given as `numerator/denominator`, with provinces and
//!   ministries in two ranking blocks.
//!
//! Run: `cargo bench --bench batch` (criterion 0.8).
#![allow(missing_docs, clippy::unwrap_used)]

use chiso::batch::{run_in_memory, InputFormat, Options};
use chiso::Index;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::fmt::Write;

const ROWS: usize = 10_000;

/// A small deterministic generator (xorshift64*), so runs are comparable.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// Uniform in [lo, hi] with 6 decimals.
    fn micro(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
}

fn index(path: &str) -> Index {
    Index::from_file(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

fn papi_units(index: &Index, rows: usize) -> String {
    let leaves: Vec<&str> = index
        .leaves()
        .map(|i| index.nodes()[i].code.as_str())
        .collect();
    let mut s = format!("unit,{}\n", leaves.join(","));
    let mut rng = Rng(7);
    for u in 0..rows {
        write!(s, "U{u:07}").unwrap();
        for code in &leaves {
            let dim = code.split('.').next().unwrap();
            let k = index.node(dim).map_or(4, |n| n.children.len() as u64);
            // [1/k, 10/k] in millionths.
            let v = rng.micro(1_000_000 / k, 10_000_000 / k);
            write!(s, ",{}.{:06}", v / 1_000_000, v % 1_000_000).unwrap();
        }
        s.push('\n');
    }
    s
}

fn qd766_units(index: &Index, rows: usize) -> String {
    let leaves: Vec<&str> = index
        .leaves()
        .map(|i| index.nodes()[i].code.as_str())
        .collect();
    let mut s = format!("unit,block,{}\n", leaves.join(","));
    let mut rng = Rng(766);
    for u in 0..rows {
        write!(s, "Unit {u},{}", if u % 5 == 0 { "bộ" } else { "tỉnh" }).unwrap();
        for _ in &leaves {
            let den = rng.micro(1, 5000);
            let num = rng.micro(0, den);
            write!(s, ",{num}/{den}").unwrap();
        }
        s.push('\n');
    }
    s
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("batch_csv_to_csv");
    g.sample_size(20);
    g.throughput(Throughput::Elements(ROWS as u64));
    let papi = index("criteria/papi/papi-2021-2024.json");
    let qd766 = index("criteria/service-766/qd766-portal-six-groups.json");
    let cases = [
        ("papi-2021", &papi, papi_units(&papi, ROWS)),
        ("qd766-portal", &qd766, qd766_units(&qd766, ROWS)),
    ];
    for (name, index, input) in &cases {
        for threads in [1, 2] {
            let opts = Options {
                threads,
                ..Options::default()
            };
            // Sanity: every unit is scored and ranked.
            let out = run_in_memory(index, input.as_bytes(), InputFormat::Csv, &opts).unwrap();
            assert_eq!(out.iter().filter(|&&b| b == b'\n').count(), ROWS + 2);
            g.bench_with_input(
                BenchmarkId::new(*name, format!("{ROWS} rows, {threads} thread(s)")),
                input,
                |b, input| {
                    b.iter(|| {
                        run_in_memory(index, input.as_bytes(), InputFormat::Csv, &opts).unwrap()
                    })
                },
            );
        }
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
