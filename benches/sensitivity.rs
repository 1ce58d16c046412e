//! Uncertainty analysis: 10,000 replications × 63 provinces through the PAPI 2021–2024
//! tree (`criteria/papi/papi-2021-2024.json`, 28 sub-dimensions, 8 dimensions), with
//! rank intervals, on 2 threads (target ≤ 3 s) and on 1 (target ≤ 1 s). Before the
//! criterion groups, three single-thread runs print their wall and thread CPU times.
//!
//! Province inputs: the published 2023 sub-dimension scores from
//! `$CHISO_REFERENCE_DATA/papi/papi_subdimensions_2011_2024_wide.csv` (default
//! `../shared/data`) when present, read at run time; otherwise 63 synthetic provinces
//! drawn inside each sub-dimension's nominal range.
//!
//! Assumptions varied in every replication: every weight × U(0.8, 1.2); every
//! sub-dimension score of every province + U(−0.05, 0.05); the dimension aggregation
//! (declared sum, mean or geometric mean).
//!
//! Run: `cargo bench --bench sensitivity`.
#![allow(missing_docs, clippy::unwrap_used)]

use chiso::sensitivity::{parse_spec, run, RunOptions, Units};
use chiso::{Index, Lang};
use criterion::{criterion_group, criterion_main, Criterion};
use std::fmt::Write;
use std::path::PathBuf;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// (leaf code, source column) from each leaf's notes ("Column SC53 of …").
fn columns(index: &Index) -> Vec<(String, String)> {
    fn walk(n: &chiso::node::Node, out: &mut Vec<(String, String)>) {
        if n.children.is_empty() {
            let col = n
                .notes
                .iter()
                .find_map(|t| t.en.strip_prefix("Column "))
                .and_then(|s| s.split_whitespace().next())
                .unwrap_or_default();
            out.push((n.code.clone(), col.to_owned()));
        }
        for c in &n.children {
            walk(c, out);
        }
    }
    let mut out = Vec::new();
    for n in &index.definition().nodes {
        walk(n, &mut out);
    }
    out
}

fn real_2023(index: &Index) -> Option<String> {
    let data = std::env::var_os("CHISO_REFERENCE_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("../shared/data"));
    let path = data.join("papi/papi_subdimensions_2011_2024_wide.csv");
    let mut rdr = csv::Reader::from_path(&path).ok()?;
    let header = rdr.headers().ok()?.clone();
    let at = |name: &str| header.iter().position(|h| h == name);
    let cols = columns(index);
    let mut s = format!(
        "unit,{}\n",
        cols.iter()
            .map(|c| c.0.as_str())
            .collect::<Vec<_>>()
            .join(",")
    );
    let mut n = 0;
    for rec in rdr.records() {
        let rec = rec.ok()?;
        if rec.get(at("year")?)? != "2023" {
            continue;
        }
        write!(s, "\"{}\"", rec.get(at("province_en")?)?).unwrap();
        for (_, col) in &cols {
            write!(s, ",{}", rec.get(at(col)?)?).unwrap();
        }
        s.push('\n');
        n += 1;
    }
    eprintln!("PAPI 2023: {n} provinces from {}", path.display());
    (n == 63).then_some(s)
}

fn synthetic(index: &Index) -> String {
    let cols = columns(index);
    let mut s = format!(
        "unit,{}\n",
        cols.iter()
            .map(|c| c.0.as_str())
            .collect::<Vec<_>>()
            .join(",")
    );
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for p in 0..63 {
        write!(s, "P{p:02}").unwrap();
        for (code, _) in &cols {
            let dim = code.split('.').next().unwrap();
            let k = index.node(dim).map_or(4, |n| n.children.len() as u64);
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            let r = x.wrapping_mul(0x2545_F491_4F6C_DD1D);
            let v = 1_000_000 / k + r % (9_000_000 / k);
            write!(s, ",{}.{:06}", v / 1_000_000, v % 1_000_000).unwrap();
        }
        s.push('\n');
    }
    eprintln!("PAPI: 63 synthetic provinces (reference data not found)");
    s
}

fn bench(c: &mut Criterion) {
    let index = Index::from_file(&repo().join("criteria/papi/papi-2021-2024.json")).unwrap();
    let csv = real_2023(&index).unwrap_or_else(|| synthetic(&index));
    let units = Units::from_csv(&index, csv.as_bytes(), Lang::En).unwrap();
    assert_eq!(units.len(), 63);
    let spec = parse_spec(
        r#"{"format": "chiso.sensitivity/1", "seed": 1, "assumptions": [
        {"kind": "weights", "name": "weights ±20%", "noise": "0.2"},
        {"kind": "inputs", "name": "sub-dimension error ±0.05", "from": "-0.05", "to": "0.05", "codes": [
          "D1.1","D1.2","D1.3","D1.4","D2.1","D2.2","D2.3","D2.4","D3.1","D3.2","D3.3",
          "D4.1","D4.2","D4.3","D4.4","D5.1","D5.2","D5.3","D6.1","D6.2","D6.3","D6.4",
          "D7.1","D7.2","D7.3","D8.1","D8.2","D8.3"]},
        {"kind": "aggregation", "name": "dimension aggregation", "alternatives": ["declared", "mean", "geometric_mean"],
         "codes": ["D1","D2","D3","D4","D5","D6","D7","D8"]}]}"#,
    )
    .unwrap();
    // One run on the calling thread, timed by the thread's own CPU clock
    // (/proc/thread-self/schedstat: time on a CPU, whatever else the machine runs) beside
    // the wall clock, so figures taken on a loaded machine can be compared.
    let one = RunOptions {
        reps: Some(10_000),
        seed: None,
        threads: 1,
    };
    for round in 0..3 {
        let (wall, cpu) = (std::time::Instant::now(), thread_cpu_ns());
        let r = run(&index, &units, &spec, &one, &|_| {}).unwrap();
        let cpu = thread_cpu_ns().zip(cpu).map(|(b, a)| (b - a) as f64 / 1e9);
        eprintln!(
            "ua_10000x63_papi_threads1 run {round}: wall {:.3} s, thread CPU {} ({} units)",
            wall.elapsed().as_secs_f64(),
            cpu.map_or("unknown".into(), |c| format!("{c:.3} s")),
            r.units.len()
        );
    }

    let mut g = c.benchmark_group("sensitivity");
    g.sample_size(10);
    for threads in [2usize, 1] {
        let opts = RunOptions {
            reps: Some(10_000),
            seed: None,
            threads,
        };
        g.bench_function(format!("ua_10000x63_papi_threads{threads}"), |b| {
            b.iter(|| {
                let r = run(&index, &units, &spec, &opts, &|_| {}).unwrap();
                assert_eq!(r.units.len(), 63);
                r
            })
        });
    }
    g.finish();
}

/// Nanoseconds this thread has run on a CPU (Linux), if known.
fn thread_cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

criterion_group!(benches, bench);
criterion_main!(benches);
