//! Writes a **SYNTHETIC** dossier export (CSV, national sync column names) for the records
//! benchmark: `ROWS` rows after the header, seeded, deterministic. What the rows look
//! like, and the invariants the polars peer relies on: `benches/common/dossiers.rs`.
//!
//! ```text
//! cargo run --release --example gen_dossiers -- ROWS [SEED] > dossiers.csv
//! ```
//!
//! Prints the period and the policies to use, the rows and the bytes written, on
//! standard error.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/dossiers.rs"]
mod dossiers;

use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let parsed = match args.as_slice() {
        [rows] => rows.parse::<u64>().ok().map(|r| (r, 2026)),
        [rows, seed] => rows.parse::<u64>().ok().zip(seed.parse::<u64>().ok()),
        _ => None,
    };
    let Some((rows, seed)) = parsed else {
        eprintln!("usage: gen_dossiers ROWS [SEED] > dossiers.csv");
        return ExitCode::from(2);
    };
    let started = std::time::Instant::now();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut g = dossiers::Generator::new(seed);
    let mut buf = dossiers::header().into_bytes();
    let mut bytes = 0u64;
    for _ in 0..rows {
        g.row(&mut buf);
        if buf.len() >= 1 << 22 {
            if let Err(e) = out.write_all(&buf) {
                eprintln!("gen_dossiers: {e}");
                return ExitCode::from(1);
            }
            bytes += buf.len() as u64;
            buf.clear();
        }
    }
    bytes += buf.len() as u64;
    if let Err(e) = out.write_all(&buf).and_then(|()| out.flush()) {
        eprintln!("gen_dossiers: {e}");
        return ExitCode::from(1);
    }
    eprintln!(
        "gen_dossiers: {rows} rows, {bytes} bytes, seed {seed}, {:.1} s; period {}, policies {}",
        started.elapsed().as_secs_f64(),
        dossiers::PERIOD,
        dossiers::POLICIES_JSON
    );
    ExitCode::SUCCESS
}
