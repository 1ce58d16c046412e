//! SIPAS from answer sheets at scale.
//!
//! - `survey_1m/read_and_estimate`: 1,000,000 SYNTHETIC respondents × 45 answers
//!   (a 45-item definition: 2 components, 9 blocks of 5 items; 100 units; weights with
//!   two decimals; ~3 % no-answers), CSV bytes in memory → every unit's indices (and
//!   every node's rate and mean score, per unit and for all units);
//! - `survey_1m/estimate`: the estimation alone on the respondents already read;
//! - `survey_1m/polars_peer`: `benches/peer/survey_peer.py` on the same sheet written
//!   to a file, as a whole process (Python start-up, CSV read, the same aggregates);
//!   skipped with a message when python3/polars is missing;
//! - `survey_bootstrap/1000_reps_100_units`: 1,000 bootstrap replications of every
//!   unit's index and rank, 100 units × 300 respondents, the shipped 39-item definition,
//!   on 1 and 2 threads.
//!
//! Run: `cargo bench --bench survey`. With `-- --test` (CI) the sheets are 100 times
//! smaller and each benchmark runs once.
#![allow(missing_docs, clippy::unwrap_used)]

use chiso::survey::{bootstrap, estimate, read_csv, BootstrapOptions, ReadOptions, Survey};
use criterion::{criterion_group, criterion_main, Criterion};
use serde_json::json;
use std::path::PathBuf;
use std::time::Duration;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn test_mode() -> bool {
    std::env::args().any(|a| a == "--test")
}

/// xorshift64*: deterministic synthetic answers.
struct Rng(u64);
impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n
    }
}

/// A SYNTHETIC 45-item definition (not an official form).
fn definition_45() -> serde_json::Value {
    let block = |b: usize| {
        json!({"code": format!("B{b}"), "title": {"vi": format!("Khối {b}")},
               "items": (0..5).map(|i| json!({"code": format!("q{}", b * 5 + i + 1), "title": {"vi": "?"}})).collect::<Vec<_>>()})
    };
    json!({
        "format": "chiso.survey/1", "id": "bench-45", "title": {"vi": "Phiếu tổng hợp 45 câu"},
        "version": "bench", "legal_basis": [], "unit_levels": ["commune"],
        "years": {"from": 2024}, "completeness": "example",
        "scale": {"options": (1..=5).map(|v| json!({"value": v, "label": {"vi": v.to_string()}})).collect::<Vec<_>>(),
                  "satisfied": [4, 5]},
        "policies": {"no_answer": "exclude", "out_of_range": "error", "empty_item": "skip"},
        "aggregation": {"method": "hierarchical", "block_weights": "equal", "component_weights": "equal"},
        "components": [
            {"code": "I", "title": {"vi": "I"}, "blocks": (0..5).map(block).collect::<Vec<_>>()},
            {"code": "II", "title": {"vi": "II"}, "blocks": (5..9).map(block).collect::<Vec<_>>()}
        ]
    })
}

/// `respondents` rows over `units` units, with `items` answer columns.
fn sheet(respondents: usize, units: usize, items: usize, prefix: &str, weights: bool) -> Vec<u8> {
    let mut rng = Rng(0x5EED_2024_0611);
    let mut s = String::with_capacity(respondents * (items * 2 + 30));
    s.push_str("id,unit");
    if weights {
        s.push_str(",weight");
    }
    for i in 1..=items {
        s.push_str(&format!(",{prefix}{i}"));
    }
    s.push('\n');
    for r in 0..respondents {
        let u = r % units;
        s.push_str(&format!("R{r},Đơn vị {u:03}"));
        if weights {
            s.push_str(&format!(",{}.{:02}", rng.below(3) + 1, rng.below(100)));
        }
        for _ in 0..items {
            if rng.below(100) < 3 {
                s.push(',');
            } else {
                let bias = (u % 3) as u64;
                s.push(',');
                s.push((b'1' + (rng.below(5) + rng.below(bias + 1)).min(4) as u8) as char);
            }
        }
        s.push('\n');
    }
    s.into_bytes()
}

fn bench_1m(c: &mut Criterion) {
    let n = if test_mode() { 10_000 } else { 1_000_000 };
    let def = definition_45();
    let survey = Survey::from_json(&def.to_string()).unwrap();
    let bytes = sheet(n, 100, 45, "q", true);
    eprintln!(
        "survey bench: {n} respondents × 45 answers, {} MB of CSV",
        bytes.len() >> 20
    );
    let answers = read_csv(&survey, bytes.as_slice(), &ReadOptions::default()).unwrap();
    let mut g = c.benchmark_group("survey_1m");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    g.bench_function("read_and_estimate", |b| {
        b.iter(|| {
            let a = read_csv(&survey, bytes.as_slice(), &ReadOptions::default()).unwrap();
            estimate(&survey, &a).unwrap()
        })
    });
    g.bench_function("estimate", |b| {
        b.iter(|| estimate(&survey, &answers).unwrap())
    });

    let peer = std::process::Command::new("python3")
        .args(["-c", "import polars"])
        .output()
        .is_ok_and(|o| o.status.success());
    if peer {
        let dir = std::env::temp_dir().join(format!("chiso-survey-bench-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (def_path, csv_path, out) = (
            dir.join("def.json"),
            dir.join("answers.csv"),
            dir.join("peer.csv"),
        );
        std::fs::write(&def_path, def.to_string()).unwrap();
        std::fs::write(&csv_path, &bytes).unwrap();
        let script = repo().join("benches/peer/survey_peer.py");
        g.bench_function("polars_peer", |b| {
            b.iter(|| {
                let o = std::process::Command::new("python3")
                    .arg(&script)
                    .args([&def_path, &csv_path, &out])
                    .output()
                    .unwrap();
                assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
            })
        });
        let _ = std::fs::remove_dir_all(&dir);
    } else {
        eprintln!("survey bench: python3 with polars not found: the polars peer is skipped (pip install polars)");
    }
    g.finish();
}

fn bench_bootstrap(c: &mut Criterion) {
    let reps = if test_mode() { 10 } else { 1000 };
    let survey =
        Survey::from_file(&repo().join("criteria/sipas/sipas-1001-2023-q9.survey.json")).unwrap();
    let bytes = sheet(100 * 300, 100, 39, "q9_sat_", false);
    let answers = read_csv(&survey, bytes.as_slice(), &ReadOptions::default()).unwrap();
    let base = estimate(&survey, &answers).unwrap();
    let mut g = c.benchmark_group("survey_bootstrap");
    g.sample_size(10).measurement_time(Duration::from_secs(30));
    for threads in [1, 2] {
        g.bench_function(format!("{reps}_reps_100_units_{threads}_threads"), |b| {
            b.iter(|| {
                let mut r = base.clone();
                let opts = BootstrapOptions {
                    replications: reps,
                    seed: 1,
                    threads,
                    ..Default::default()
                };
                bootstrap(&survey, &answers, &mut r, &opts).unwrap();
                r
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench_1m, bench_bootstrap);
criterion_main!(benches);
