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

/// How often each thing happens in [`random_entries`], in percent.
pub struct Mix {
    /// A criterion (leaf or subtree) marked not applicable.
    pub not_applicable: u64,
    /// A leaf left without a value.
    pub missing: u64,
    /// A layer with evidence.
    pub evidence: u64,
    /// An appraised leaf with a first / a second appraisal round.
    pub appraisal_1: u64,
    /// See `appraisal_1`.
    pub appraisal_2: u64,
}

impl Mix {
    /// Every leaf valued and applicable, no appraisal round; `evidence` per 100 layers
    /// with evidence.
    pub fn self_assessed(evidence: u64) -> Mix {
        Mix {
            not_applicable: 0,
            missing: 0,
            evidence,
            appraisal_1: 0,
            appraisal_2: 0,
        }
    }
}

/// Random entries of an assessment of `index` for the property tests: some criteria not
/// applicable, some leaves missing, the others with a self-assessment (or a survey layer)
/// whose value comes from `value(g, rule, max)` (max 1 when the leaf has none), appraisal
/// rounds and evidence as `mix` says.
pub fn random_entries(
    index: &chiso::Index,
    g: &mut Gen,
    mix: &Mix,
    value: &dyn Fn(&mut Gen, &chiso::rule::Rule, Decimal) -> chiso::Value,
) -> BTreeMap<String, chiso::Entry> {
    use chiso::assessment::{EvidenceRef, NotApplicable};
    use chiso::{Entry, LayerEntry};
    let mut entries = BTreeMap::new();
    for n in index.nodes().iter().skip(1) {
        if g.chance(mix.not_applicable) {
            let na = NotApplicable {
                reason: "không có".into(),
            };
            entries.insert(
                n.code.clone(),
                Entry {
                    not_applicable: Some(na),
                    ..Default::default()
                },
            );
            continue;
        }
        let Some(rule) = &n.rule else { continue };
        let max = n.max.unwrap_or(Decimal::ONE);
        if g.chance(mix.missing) {
            continue;
        }
        let layer = |g: &mut Gen| {
            let mut le = LayerEntry::new(value(g, rule, max));
            if g.chance(mix.evidence) {
                le.evidence.push(EvidenceRef {
                    title: "Báo cáo".into(),
                    number: None,
                    link: None,
                });
            }
            le
        };
        let e = if n.channel == chiso::node::Channel::Survey {
            Entry {
                survey: Some(layer(g)),
                ..Default::default()
            }
        } else {
            let s = layer(g);
            Entry {
                self_assessment: Some(s),
                appraisal_1: g.chance(mix.appraisal_1).then(|| layer(g)),
                appraisal_2: g.chance(mix.appraisal_2).then(|| layer(g)),
                ..Default::default()
            }
        };
        entries.insert(n.code.clone(), e);
    }
    entries
}
