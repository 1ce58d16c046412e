//! Uncertainty and sensitivity analysis: hand-worked answers on tiny batches, the
//! known-answer "identical alternatives ⇒ sensitivity exactly 0", spec validation,
//! reproducibility and invariants, and real PAPI data.

mod common;

use chiso::sensitivity::{parse_spec, run, Error, Report, RunOptions, Spec, UnitRanks, Units};
use chiso::{Decimal, Index, Lang};
use proptest::prelude::*;

/// Root (plain sum) over leaves A and B, each a supplied score out of 10.
fn two_leaf_index() -> Index {
    Index::from_json(
        r#"{
  "format": "chiso.index/1",
  "id": "test-two",
  "title": {"vi": "Thử", "en": "Test"},
  "version": "1",
  "legal_basis": [{"decision": "test", "issuer": "test", "url": "https://example.invalid"}],
  "unit_levels": ["province"],
  "years": {"from": 2020, "to": null},
  "completeness": "example",
  "max_points": "20",
  "nodes": [
    {"code": "A", "title": {"vi": "A", "en": "A"}, "max_points": "10", "rule": {"type": "score"}},
    {"code": "B", "title": {"vi": "B", "en": "B"}, "max_points": "10", "rule": {"type": "score"}}
  ]
}"#,
    )
    .unwrap()
}

fn units(index: &Index, csv: &str) -> Units {
    Units::from_csv(index, csv.as_bytes(), Lang::En).unwrap()
}

fn spec(json: &str) -> Spec {
    parse_spec(json).unwrap()
}

fn go(index: &Index, units: &Units, spec: &Spec, threads: usize) -> Report {
    let opts = RunOptions {
        threads,
        ..RunOptions::default()
    };
    run(index, units, spec, &opts, &|_| {}).unwrap()
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn unit<'a>(r: &'a Report, name: &str) -> &'a UnitRanks {
    r.units.iter().find(|u| u.unit == name).unwrap()
}

/// (median, p05, p95)
fn interval(u: &UnitRanks) -> (u32, u32, u32) {
    (
        u.median_rank.unwrap(),
        u.p05_rank.unwrap(),
        u.p95_rank.unwrap(),
    )
}

#[test]
fn nominal_totals_and_ranks_are_the_plain_sums() {
    let index = two_leaf_index();
    let u = units(&index, "unit,A,B\nX,4,0\nY,1.5,1.5\n");
    let s = spec(r#"{"format": "chiso.sensitivity/1", "reps": 10, "assumptions": []}"#);
    let r = go(&index, &u, &s, 1);
    // X = 4 + 0 = 4, Y = 1.5 + 1.5 = 3.
    assert_eq!(unit(&r, "X").nominal_total, Some(d("4")));
    assert_eq!(unit(&r, "Y").nominal_total, Some(d("3")));
    assert_eq!(unit(&r, "X").nominal_rank, Some(1));
    // Nothing varies: every replication gives the nominal ranks.
    assert_eq!(interval(unit(&r, "X")), (1, 1, 1));
    assert_eq!(interval(unit(&r, "Y")), (2, 2, 2));
    assert_eq!(unit(&r, "Y").ranked, 10);
}

#[test]
fn geometric_mean_reverses_a_lopsided_unit() {
    // Geometric mean: X = √(4·0) = 0, Y = √(1.5·1.5) = 1.5, so Y is first in every replication.
    let index = two_leaf_index();
    let u = units(&index, "unit,A,B\nX,4,0\nY,1.5,1.5\n");
    let s = spec(
        r#"{"format": "chiso.sensitivity/1", "reps": 100, "assumptions": [
        {"kind": "aggregation", "name": "geo", "alternatives": ["geometric_mean"]}]}"#,
    );
    let r = go(&index, &u, &s, 1);
    assert_eq!(unit(&r, "X").nominal_rank, Some(1));
    assert_eq!(interval(unit(&r, "X")), (2, 2, 2));
    assert_eq!(interval(unit(&r, "Y")), (1, 1, 1));
}

#[test]
fn input_range_with_clamping_flips_the_order() {
    // X: A = 10 (the maximum), B = 0 → 10; Y: A = 9, B = 0.5 → 9.5.
    // A + U(0.8, 1): X's A is clamped at 10 (total 10); Y's A is 9.8 … 10, total 10.3 … 10.5.
    let index = two_leaf_index();
    let u = units(&index, "unit,A,B\nX,10,0\nY,9,0.5\n");
    let s = spec(
        r#"{"format": "chiso.sensitivity/1", "reps": 200, "seed": 7, "assumptions": [
        {"kind": "inputs", "name": "A measured", "codes": ["A"], "from": "0.8", "to": "1"}]}"#,
    );
    let r = go(&index, &u, &s, 1);
    assert_eq!(unit(&r, "X").nominal_rank, Some(1));
    assert_eq!(interval(unit(&r, "X")), (2, 2, 2));
    assert_eq!(interval(unit(&r, "Y")), (1, 1, 1));
    // Scaling A by 1 + U(-0.5, -0.4): X = 10 × (0.5 … 0.6) = 5 … 6, Y = 9 × (0.5 … 0.6)
    // + 0.5 = 5 … 5.9: the ranges overlap, so both units reach both ranks.
    let s = spec(
        r#"{"format": "chiso.sensitivity/1", "reps": 200, "assumptions": [
        {"kind": "inputs", "name": "A scaled", "codes": ["A"], "from": "-0.5", "to": "-0.4", "mode": "scale"}]}"#,
    );
    let r = go(&index, &u, &s, 1);
    assert_eq!(unit(&r, "X").best_rank, Some(1));
    assert_eq!(unit(&r, "Y").best_rank, Some(1));
    assert_eq!(unit(&r, "X").worst_rank, Some(2));
}

#[test]
fn weight_noise_moves_ranks_with_the_expected_frequency() {
    // X = 6 (A only), Y = 5 (B only). B's weight × U(0.5, 1.5): Y = 5f beats X when
    // f > 1.2, probability (1.5 − 1.2) / 1 = 0.3. So Y is first in ~30% of replications:
    // Y's ranks: 2 (70%), 1 (30%) → median 2, p05 1, p95 2; X: median 1, p05 1, p95 2.
    let index = two_leaf_index();
    let u = units(&index, "unit,A,B\nX,6,0\nY,0,5\n");
    let s = spec(
        r#"{"format": "chiso.sensitivity/1", "reps": 4000, "seed": 11, "assumptions": [
        {"kind": "weights", "name": "B weight", "noise": "0.5", "codes": ["B"]}]}"#,
    );
    let r = go(&index, &u, &s, 2);
    assert_eq!(interval(unit(&r, "X")), (1, 1, 2));
    assert_eq!(interval(unit(&r, "Y")), (2, 1, 2));
    // The frequency itself: one replication per seed, 2000 seeds (binomial sd ≈ 0.01).
    let s = spec(
        r#"{"format": "chiso.sensitivity/1", "assumptions": [
        {"kind": "weights", "name": "B weight", "noise": "0.5", "codes": ["B"]}]}"#,
    );
    let mut first = 0;
    for seed in 0..2000u64 {
        let opts = RunOptions {
            reps: Some(1),
            seed: Some(seed),
            threads: 1,
        };
        let r = run(&index, &u, &s, &opts, &|_| {}).unwrap();
        first += u32::from(unit(&r, "Y").median_rank == Some(1));
    }
    let share = f64::from(first) / 2000.0;
    assert!((share - 0.3).abs() < 0.04, "share {share}");
}

#[test]
fn identical_alternatives_have_sensitivity_exactly_zero() {
    let index = two_leaf_index();
    let u = units(&index, "unit,A,B\nX,4,0\nY,1.5,1.5\nZ,2,1.2\n");
    let s = spec(
        r#"{"format": "chiso.sensitivity/1", "reps": 100, "seed": 3,
        "sensitivity": {"n": 2000},
        "assumptions": [
        {"kind": "aggregation", "name": "same aggregation", "alternatives": ["sum", "sum"]},
        {"kind": "weights", "name": "no weight noise", "noise": "0"},
        {"kind": "inputs", "name": "empty input range", "codes": ["A", "B"], "from": "0", "to": "0"},
        {"kind": "aggregation", "name": "sum or geometric", "alternatives": ["sum", "geometric_mean"]}]}"#,
    );
    let r = go(&index, &u, &s, 2);
    let sa = r.sensitivity.as_ref().unwrap();
    assert_eq!(sa.runs, 2000 * 6);
    for ix in &sa.indices[..3] {
        assert_eq!(ix.first_order, 0.0, "{}", ix.assumption);
        assert_eq!(ix.total, 0.0, "{}", ix.assumption);
    }
    // The output depends on the last assumption alone, so S = ST = 1 in theory:
    // sums: X 4, Z 3.2, Y 3 → ranks X 1, Z 2, Y 3; geometric: Z √2.4 ≈ 1.55, Y 1.5, X 0
    // → ranks Z 1, Y 2, X 3. Mean shift: sum 0, geometric (2 + 1 + 1) / 3 = 4/3 → mean ≈ 2/3.
    let last = &sa.indices[3];
    assert_eq!(last.assumption, "sum or geometric");
    assert!((last.total - 1.0).abs() < 0.1, "{last:?}");
    assert!((last.first_order - 1.0).abs() < 0.1, "{last:?}");
    assert!((sa.mean - 2.0 / 3.0).abs() < 0.05, "{}", sa.mean);
}

#[test]
fn sum_and_mean_at_the_root_rank_alike_so_sensitivity_is_zero() {
    // Mean = sum / 2 with equal weights: the same order, every replication.
    let index = two_leaf_index();
    let u = units(&index, "unit,A,B\nX,4,0\nY,1.5,1.5\nZ,2,1.2\n");
    let s = spec(
        r#"{"format": "chiso.sensitivity/1", "sensitivity": {"n": 200}, "reps": 50, "assumptions": [
        {"kind": "aggregation", "name": "sum or mean", "alternatives": ["sum", "mean"], "codes": ["total"]},
        {"kind": "weights", "name": "weights", "noise": "0.9"}]}"#,
    );
    let r = go(&index, &u, &s, 1);
    let sa = r.sensitivity.unwrap();
    assert_eq!(sa.indices[0].total, 0.0);
    assert_eq!(sa.indices[0].first_order, 0.0);
    assert!(sa.indices[1].total > 0.0);
}

#[test]
fn zero_variance_reports_zero_indices() {
    let index = two_leaf_index();
    let u = units(&index, "unit,A,B\nX,4,0\nY,1.5,1.5\n");
    let s = spec(
        r#"{"format": "chiso.sensitivity/1", "sensitivity": {"n": 10}, "assumptions": [
        {"kind": "weights", "name": "w", "noise": "0"}]}"#,
    );
    let sa = go(&index, &u, &s, 1).sensitivity.unwrap();
    assert_eq!(sa.variance, 0.0);
    assert_eq!((sa.indices[0].first_order, sa.indices[0].total), (0.0, 0.0));
}

#[test]
fn spec_errors_name_every_problem() {
    let index = two_leaf_index();
    let u = units(&index, "unit,A,B\nX,4,0\n");
    let s = spec(
        r#"{"format": "chiso.sensitivity/2", "reps": 0, "assumptions": [
        {"kind": "weights", "name": "w", "noise": "1", "codes": ["C"]},
        {"kind": "inputs", "name": "w", "codes": ["total"], "from": "1", "to": "0"},
        {"kind": "aggregation", "name": "", "alternatives": [], "codes": ["A"]}]}"#,
    );
    let Err(Error::Spec(problems)) = run(&index, &u, &s, &RunOptions::default(), &|_| {}) else {
        panic!("expected spec errors");
    };
    let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
    for want in [
        "$.format",
        "$.reps",
        "$.assumptions[0].noise",
        "$.assumptions[0].codes[0]",
        "$.assumptions[1].name",
        "$.assumptions[1].from",
        "$.assumptions[1].codes[0]",
        "$.assumptions[2].name",
        "$.assumptions[2].alternatives",
        "$.assumptions[2].codes[0]",
    ] {
        assert!(paths.contains(&want), "{want} not in {paths:?}");
    }
    // Shape errors come from the parser with their path.
    let Err(Error::Spec(p)) = parse_spec(
        r#"{"format": "chiso.sensitivity/1", "assumptions": [{"kind": "weights", "name": "w", "noise": "0.1", "typo": 1}]}"#,
    ) else {
        panic!("expected a parse error");
    };
    assert!(p[0].path.starts_with("$.assumptions[0]"), "{p:?}");
}

#[test]
fn same_seed_same_report_whatever_the_threads() {
    let index =
        Index::from_file(&common::repo().join("criteria/papi/papi-2021-2024.json")).unwrap();
    let csv = std::fs::read(common::repo().join("examples-data/papi-2023-sample.csv")).unwrap();
    let u = Units::from_csv(&index, &csv, Lang::En).unwrap();
    let text = std::fs::read_to_string(
        common::repo().join("criteria/examples/papi-sensitivity.spec.json"),
    )
    .unwrap();
    let s = parse_spec(&text).unwrap();
    let opts = |threads| RunOptions {
        reps: Some(300),
        seed: Some(5),
        threads,
    };
    let one = run(&index, &u, &s, &opts(1), &|_| {}).unwrap();
    let two = run(&index, &u, &s, &opts(2), &|_| {}).unwrap();
    let again = run(&index, &u, &s, &opts(2), &|_| {}).unwrap();
    assert_eq!(one, two);
    assert_eq!(two, again);
    // Synthetic A's row: 16 sub-dimensions at 1.25 and 12 at 1.5 = 20 + 18 = 38.
    assert_eq!(unit(&one, "Synthetic A").nominal_total, Some(d("38")));
}

#[test]
fn nominal_totals_equal_batch_scoring() {
    let index =
        Index::from_file(&common::repo().join("criteria/papi/papi-2021-2024.json")).unwrap();
    let csv = std::fs::read(common::repo().join("examples-data/papi-2023-sample.csv")).unwrap();
    let u = Units::from_csv(&index, &csv, Lang::En).unwrap();
    let s = spec(r#"{"format": "chiso.sensitivity/1", "reps": 1, "assumptions": []}"#);
    let r = go(&index, &u, &s, 1);
    let opts = chiso::batch::Options {
        mean: false,
        ..Default::default()
    };
    let out =
        chiso::batch::run_in_memory(&index, &csv, chiso::batch::InputFormat::Csv, &opts).unwrap();
    let mut rdr = csv::Reader::from_reader(out.as_slice());
    let h = rdr.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|c| c == n).unwrap();
    for rec in rdr.records() {
        let rec = rec.unwrap();
        let ur = unit(&r, &rec[col("unit")]);
        assert_eq!(ur.nominal_total, rec[col("total")].parse().ok());
        assert_eq!(ur.nominal_rank, rec[col("rank")].parse().ok());
    }
}

/// PAPI 2021–2024 sub-dimensions of 63 provinces from the published data; the nominal
/// totals and ranks must match what the press printed (headline checks file).
#[test]
fn papi_real_provinces_match_published_totals_and_ranks() {
    let Some(data) = common::reference_data() else {
        return;
    };
    let index =
        Index::from_file(&common::repo().join("criteria/papi/papi-2021-2024.json")).unwrap();
    // Each leaf names its source column in its notes ("Column SC53 of …").
    let (leaves, columns): (Vec<String>, Vec<String>) = source_columns(&index).into_iter().unzip();
    let rows = common::read_csv(&data.join("papi/papi_subdimensions_2011_2024_wide.csv"));
    let checks = common::read_csv(&data.join("papi/papi_published_headline_checks.csv"));
    let mut checked = 0;
    for year in 2021..=2024 {
        let mut csv = format!("unit,{}\n", leaves.join(","));
        for row in rows.iter().filter(|r| r["year"] == year.to_string()) {
            let cells: Vec<&str> = columns.iter().map(|c| row[c].as_str()).collect();
            csv.push_str(&format!("{},{}\n", row["province_en"], cells.join(",")));
        }
        let u = Units::from_csv(&index, csv.as_bytes(), Lang::En).unwrap();
        assert_eq!(u.len(), 63, "{year}");
        let s = spec(
            r#"{"format": "chiso.sensitivity/1", "reps": 200, "assumptions": [
            {"kind": "weights", "name": "w", "noise": "0.2"}]}"#,
        );
        let r = go(&index, &u, &s, 2);
        for c in checks
            .iter()
            .filter(|c| c["year"] == year.to_string() && c["what"] == "total")
        {
            let Some(ur) = r.units.iter().find(|x| x.unit == c["province_en"]) else {
                continue;
            };
            let published = common::dec(&c["published_value"]);
            let total = ur.nominal_total.unwrap();
            assert!(
                (total - published).abs() <= d("0.01"),
                "{year} {}: {total} vs published {published}",
                c["province_en"]
            );
            let digits: String = c["note"]
                .strip_prefix("rank ")
                .unwrap_or("")
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            if let Ok(rank) = digits.parse::<u32>() {
                assert_eq!(ur.nominal_rank, Some(rank), "{year} {}", c["province_en"]);
            }
            let (m, lo, hi) = interval(ur);
            assert!(lo <= m && m <= hi);
            checked += 1;
        }
    }
    assert!(checked > 0, "no published total for 2021–2024 was checked");
}

/// (leaf code, source column) in tree order, from the leaves' notes.
fn source_columns(index: &Index) -> Vec<(String, String)> {
    fn walk(n: &chiso::node::Node, out: &mut Vec<(String, String)>) {
        if n.children.is_empty() {
            let col = n
                .notes
                .iter()
                .find_map(|t| t.en.strip_prefix("Column "))
                .and_then(|s| s.split_whitespace().next())
                .expect("leaf names its column");
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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn intervals_contain_the_median_and_seeds_reproduce(
        rows in prop::collection::vec((0u32..=1000, 0u32..=1000), 2..7),
        noise in 0u32..=9,
        width in 0u32..=300,
        seed in any::<u64>(),
    ) {
        let index = two_leaf_index();
        let mut csv = String::from("unit,A,B\n");
        for (i, (a, b)) in rows.iter().enumerate() {
            csv.push_str(&format!("U{i},{},{}\n", Decimal::new((*a).into(), 2), Decimal::new((*b).into(), 2)));
        }
        let u = units(&index, &csv);
        let s = spec(&format!(
            r#"{{"format": "chiso.sensitivity/1", "reps": 60, "seed": {seed}, "sensitivity": {{"n": 8}}, "assumptions": [
            {{"kind": "weights", "name": "w", "noise": "0.{noise}"}},
            {{"kind": "inputs", "name": "in", "codes": ["A"], "from": "-{w}", "to": "{w}"}},
            {{"kind": "aggregation", "name": "agg", "alternatives": ["declared", "mean", "geometric_mean"]}}]}}"#,
            w = Decimal::new(width.into(), 2)
        ));
        let one = go(&index, &u, &s, 1);
        let two = go(&index, &u, &s, 2);
        prop_assert_eq!(&one, &two);
        for ur in &one.units {
            let (m, lo, hi) = interval(ur);
            prop_assert!(ur.best_rank.unwrap() <= lo && lo <= m && m <= hi && hi <= ur.worst_rank.unwrap());
            prop_assert!(hi as usize <= rows.len());
            prop_assert_eq!(ur.ranked, 60);
        }
    }
}

/// The units of an analysis are read by the batch's reader: a bad row has the same
/// code, row, column and words as `chiso batch`/`plan --batch`/what-if give it (a quoted
/// line break makes a record's line differ from its record number), and a unit repeated
/// in its block is a warning naming both rows.
#[test]
fn units_are_read_as_the_batch_reads_them() {
    use chiso::batch::{read_units, InputFormat, Options};
    let index = two_leaf_index();
    let bad = "unit,A,B\n\"X\nY\",4,0\nZ,11,1\nW,1\nV,x,2\n";
    let errs = Units::from_csv(&index, bad.as_bytes(), Lang::En).unwrap_err();
    let opts = Options {
        lang: Lang::En,
        ..Options::default()
    };
    let chiso::batch::BatchError::Input { errors, .. } = read_units(
        &index,
        bad.as_bytes(),
        InputFormat::Csv,
        &opts,
        false,
        |_| std::ops::ControlFlow::Continue(()),
    )
    .unwrap_err() else {
        panic!("not an input error")
    };
    let key =
        |e: &chiso::batch::RowError| (e.code, e.row, e.column.clone(), e.render("u.csv", Lang::En));
    assert_eq!(errs.len(), 3, "{errs:?}");
    assert_eq!(
        errs.iter().map(key).collect::<Vec<_>>(),
        errors.iter().map(key).collect::<Vec<_>>()
    );
    assert_eq!(errs.iter().map(|e| e.row).collect::<Vec<_>>(), [4, 5, 6]);

    let twice = units(&index, "unit,A,B\nX,1,1\nY,2,2\nX,3,3\n");
    assert_eq!(twice.len(), 3);
    let w = twice.warnings();
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!((w[0].code.as_str(), w[0].row), ("batch_duplicate_unit", 4));
}
