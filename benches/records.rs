//! Records benchmark: a synthetic dossier export (`benches/common/dossiers.rs`: 1,000
//! units of a province tree, 2026 receipts across Tết and 30/4–1/5, supplements, every
//! national status) in memory → `chiso::records::analyse` → QĐ 766 numerators and
//! denominators per unit, under the day-granularity policies of the side-by-side run
//! (`scripts/bench-records.sh`). Two sizes with element throughput: the time per row
//! should be the same at both (cost linear in rows).
//!
//! Before timing, the set-up checks that the generator's due dates are chiso's own
//! (`WorkingCalendar::due(receipt, WorkingDays(n))`) and that the file analyses without a
//! problem, so `cargo bench -- --test` catches a generator that drifted from the records
//! module.
//!
//! Run: `cargo bench --bench records` (criterion 0.8); `-- --test` runs each case once.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

#[path = "common/dossiers.rs"]
mod dossiers;

use chiso::calendar::{parse_local_time, Duration, WorkingCalendar};
use chiso::records::{analyse, Indicator, Options, RecordFormat};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

const SIZES: [usize; 2] = [20_000, 100_000];
const SEED: u64 = 2026;

fn options() -> Options {
    let mut o = Options::new(
        RecordFormat::Csv,
        "dossiers.csv",
        dossiers::PERIOD.parse().unwrap(),
    );
    o.policies = dossiers::policies();
    o
}

/// The generator's `NgayHenTra` is the receipt plus `ThoiGianGiaiQuyet` working days by
/// chiso's calendar, for every received row of `csv`.
fn check_due_dates(csv: &[u8]) {
    let cal = WorkingCalendar::vietnam();
    let text = std::str::from_utf8(csv).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (receipt, due, days) = (
        col("NgayTiepNhan"),
        col("NgayHenTra"),
        col("ThoiGianGiaiQuyet"),
    );
    let mut checked = 0;
    for line in lines {
        let cells: Vec<&str> = line.split(',').collect();
        if cells[receipt].is_empty() {
            continue;
        }
        let r = parse_local_time(cells[receipt]).unwrap().at;
        let n: u32 = cells[days].parse().unwrap();
        let expected = cal.due(r, Duration::WorkingDays(n)).unwrap();
        assert_eq!(parse_local_time(cells[due]).unwrap().at, expected, "{line}");
        checked += 1;
    }
    assert!(checked > 0);
}

fn bench(c: &mut Criterion) {
    let opts = options();
    let mut g = c.benchmark_group("records_analyse");
    g.sample_size(10);
    for rows in SIZES {
        let csv = dossiers::csv(rows, SEED);
        if rows == SIZES[0] {
            check_due_dates(&csv);
        }
        // Sanity: every indicator computable, nearly every row counted, the leaf units
        // seen (a unit of weight 1 may get no dossier in a small file).
        let report = analyse(&mut || Ok(csv.as_slice()), &opts).unwrap();
        assert_eq!(report.stats.rows, rows as u64);
        assert!(
            report.stats.counted * 10 > report.stats.rows * 9,
            "{:?}",
            report.stats
        );
        assert!(Indicator::ALL.iter().all(|i| report.computable(*i)));
        let leaves = report
            .units
            .units()
            .iter()
            .filter(|u| u.children == 0)
            .count();
        assert!(
            leaves <= dossiers::UNITS && leaves * 10 > dossiers::UNITS * 9,
            "{leaves}"
        );
        g.throughput(Throughput::Elements(rows as u64));
        g.bench_with_input(
            BenchmarkId::new("csv_to_indicators", format!("{rows} rows")),
            &csv,
            |b, csv| b.iter(|| analyse(&mut || Ok(csv.as_slice()), &opts).unwrap()),
        );
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
