//! `chiso sensitivity`: the example spec on the PAPI sample, JSON and table output,
//! the SVG plot, seeds and threads, and refused inputs.
//!
//! Figures are worked by hand from tiny inputs (see comments), not copied from output.

use std::path::PathBuf;
use std::process::{Command, Output};

fn chiso(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chiso"))
        .args(args)
        .output()
        .expect("the chiso binary runs")
}

fn expect(o: &Output, want: i32) {
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!err.contains("panicked"), "panic:\n{err}");
    assert_eq!(
        o.status.code(),
        Some(want),
        "stdout:\n{}\nstderr:\n{err}",
        String::from_utf8_lossy(&o.stdout)
    );
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn p(rel: &str) -> String {
    repo().join(rel).display().to_string()
}

const PAPI: &str = "criteria/papi/papi-2021-2024.json";
const SAMPLE: &str = "examples-data/papi-2023-sample.csv";
const SPEC: &str = "criteria/examples/papi-sensitivity.spec.json";

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).expect("JSON output")
}

#[test]
fn example_spec_runs_and_is_reproducible_across_threads() {
    let run = |threads: &str| {
        let o = chiso(&[
            "sensitivity",
            &p(PAPI),
            &p(SAMPLE),
            "--spec",
            &p(SPEC),
            "--reps",
            "200",
            "--seed",
            "9",
            "--threads",
            threads,
            "--format",
            "json",
        ]);
        expect(&o, 0);
        json(&o)
    };
    let one = run("1");
    let two = run("2");
    assert_eq!(one, two);
    assert_eq!(one["format"], "chiso.sensitivity-result/1");
    assert_eq!(one["reps"], 200);
    assert_eq!(one["seed"], 9);
    let units = one["units"].as_array().unwrap();
    assert_eq!(units.len(), 6);
    // Synthetic E has no D5.2: PAPI propagates a missing sub-dimension, so no total, no rank.
    let e = units.iter().find(|u| u["unit"] == "Synthetic E").unwrap();
    assert!(
        e["nominal_total"].is_null() && e["median_rank"].is_null(),
        "{e}"
    );
    assert_eq!(e["ranked"], 0);
    // Synthetic D is 1.75/2.25 everywhere: 16 × 1.75 + 12 × 2.25 = 28 + 27 = 55, the top.
    let d = units.iter().find(|u| u["unit"] == "Synthetic D").unwrap();
    assert_eq!(d["nominal_total"], "55");
    assert_eq!(d["nominal_rank"], 1);
    for u in units.iter().filter(|u| u["unit"] != "Synthetic E") {
        let (lo, m, hi) = (
            u["p05_rank"].as_u64().unwrap(),
            u["median_rank"].as_u64().unwrap(),
            u["p95_rank"].as_u64().unwrap(),
        );
        assert!(lo <= m && m <= hi && hi <= 5, "{u}");
    }
    let sa = &one["sensitivity"];
    assert_eq!(sa["n"], 500);
    assert_eq!(sa["runs"], 500 * 5);
    assert_eq!(sa["indices"].as_array().unwrap().len(), 3);
}

#[test]
fn table_output_and_svg_plot() {
    let dir = std::env::temp_dir().join(format!("chiso-sens-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let svg = dir.join("ranks.svg");
    let o = chiso(&[
        "--lang",
        "en",
        "sensitivity",
        &p(PAPI),
        &p(SAMPLE),
        "--spec",
        &p(SPEC),
        "--reps",
        "100",
        "--svg",
        svg.to_str().unwrap(),
    ]);
    expect(&o, 0);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("100 replications"), "{out}");
    assert!(out.contains("median rank"), "{out}");
    assert!(out.contains("first-order S"), "{out}");
    // Nominal order: D (55) first; B: 16 × 1.5 + 12 × 2 − 0.1 + 0.1 = 48 (D8.1 1.9, D8.2 2.1).
    let first = out.lines().nth(3).unwrap();
    assert!(first.contains("Synthetic D"), "{out}");
    // No progress bar when stderr is not a terminal.
    assert!(
        o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.starts_with("<svg"));
    assert!(text.trim_end().ends_with("</svg>"));
    assert_eq!(text.matches("Synthetic").count(), 6);
    // One interval bar per ranked unit (E has none).
    assert_eq!(text.matches("stroke-width=\"6\"").count(), 5);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_spec_and_units_are_refused() {
    let dir = std::env::temp_dir().join(format!("chiso-sens-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let spec = dir.join("bad.spec.json");
    std::fs::write(
        &spec,
        r#"{"format": "chiso.sensitivity/1", "assumptions": [
        {"kind": "inputs", "name": "x", "codes": ["D9.9"], "from": "0", "to": "1"}]}"#,
    )
    .unwrap();
    let o = chiso(&[
        "sensitivity",
        &p(PAPI),
        &p(SAMPLE),
        "--spec",
        spec.to_str().unwrap(),
    ]);
    expect(&o, 1);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("$.assumptions[0].codes[0]"), "{err}");
    assert!(err.contains("D9.9"), "{err}");

    std::fs::write(&spec, "{not json").unwrap();
    let o = chiso(&[
        "sensitivity",
        &p(PAPI),
        &p(SAMPLE),
        "--spec",
        spec.to_str().unwrap(),
    ]);
    expect(&o, 1);

    let units = dir.join("units.csv");
    std::fs::write(&units, "unit,D1.1\nA,1\n").unwrap();
    let o = chiso(&[
        "sensitivity",
        &p(PAPI),
        units.to_str().unwrap(),
        "--spec",
        &p(SPEC),
    ]);
    expect(&o, 1);
    assert!(String::from_utf8_lossy(&o.stderr).contains("D8.3"));

    let o = chiso(&["sensitivity", &p(PAPI), &p(SAMPLE)]);
    expect(&o, 2);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn schema_command_prints_the_spec_schema() {
    let o = chiso(&["schema", "sensitivity"]);
    expect(&o, 0);
    let v = json(&o);
    assert_eq!(v["title"], "Spec");
    assert!(v["required"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f == "assumptions"));
}
