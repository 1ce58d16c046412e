//! Shared helpers for integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

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
