//! Shared helpers for integration tests.
#![allow(dead_code)]

use chiso::Decimal;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// The published reference data folder (`../shared/data`, or `$CHISO_REFERENCE_DATA`).
///
/// Returns `None` (and says so loudly) when the folder is missing; when
/// `CHISO_REQUIRE_REFERENCE_DATA` is set (CI), a missing folder fails the test instead.
pub fn reference_data() -> Option<PathBuf> {
    let p = std::env::var_os("CHISO_REFERENCE_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data"));
    if p.is_dir() {
        Some(p)
    } else if std::env::var_os("CHISO_REQUIRE_REFERENCE_DATA").is_some() {
        panic!(
            "reference data not found at {} (CHISO_REQUIRE_REFERENCE_DATA is set)",
            p.display()
        );
    } else {
        eprintln!("SKIPPED: reference data not found at {}", p.display());
        None
    }
}

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// One CSV row keyed by column name (values trimmed).
pub type Row = BTreeMap<String, String>;

/// Reads a whole CSV file with a header row.
pub fn read_csv(path: &Path) -> Vec<Row> {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let headers = r.headers().expect("CSV header").clone();
    r.records()
        .map(|rec| {
            let rec = rec.expect("CSV record");
            headers
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.to_owned(), v.trim().to_owned()))
                .collect()
        })
        .collect()
}

/// Parses a published number exactly (plain or scientific notation).
pub fn dec(s: &str) -> Decimal {
    Decimal::from_str(s)
        .or_else(|_| Decimal::from_scientific(s))
        .unwrap_or_else(|e| panic!("not a number: {s:?}: {e}"))
}

/// A tiny deterministic generator (splitmix64), driven by a proptest seed so that failures
/// replay: the random trees and assessments of the property tests.
pub struct Gen(pub u64);

impl Gen {
    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// True with a chance of `pct` percent.
    pub fn chance(&mut self, pct: u64) -> bool {
        self.below(100) < pct
    }
}
