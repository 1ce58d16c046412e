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

/// A scratch folder of its own for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("chiso-sens-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const TWO_LEAVES: &str = r#"{"format":"chiso.index/1","id":"t","title":{"vi":"Thử","en":"Test"},
  "version":"1","legal_basis":[],"unit_levels":["province"],"years":{"from":2024},"completeness":"example",
  "nodes":[{"code":"A","title":{"vi":"A"},"max_points":"10","rule":{"type":"score"}},
           {"code":"B","title":{"vi":"B"},"max_points":"10","rule":{"type":"score"}}]}"#;

#[test]
fn replications_are_bounded_per_unit_before_anything_runs() {
    let dir = scratch("reps");
    let (index, units, spec) = (dir.join("i.json"), dir.join("u.csv"), dir.join("s.json"));
    std::fs::write(&index, TWO_LEAVES).unwrap();
    // 2 units → at most 20,000,000 / 2 = 10,000,000 replications; 3 units → 6,666,666.
    std::fs::write(&units, "unit,A,B\nX,5,6\nY,6,5\n").unwrap();
    std::fs::write(
        &spec,
        r#"{"format": "chiso.sensitivity/1", "assumptions": [{"kind": "weights", "name": "w", "noise": "0.2"}]}"#,
    )
    .unwrap();
    let run = |reps: &str| {
        chiso(&[
            "--lang",
            "en",
            "sensitivity",
            index.to_str().unwrap(),
            units.to_str().unwrap(),
            "--spec",
            spec.to_str().unwrap(),
            "--reps",
            reps,
        ])
    };
    let started = std::time::Instant::now();
    let o = run("4000000000");
    expect(&o, 1);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("--reps") && err.contains("for 2 units") && err.contains("at most 10000000"),
        "{err}"
    );
    // Refused before any replication runs (4·10⁹ of them would take hours).
    assert!(started.elapsed().as_secs() < 30);
    std::fs::write(&units, "unit,A,B\nX,5,6\nY,6,5\nZ,1,1\n").unwrap();
    let err = String::from_utf8_lossy(&run("7000000").stderr).into_owned();
    assert!(
        err.contains("for 3 units") && err.contains("at most 6666666"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn many_spec_problems_are_listed_up_to_100_then_counted_in_the_language() {
    let dir = scratch("many");
    let spec = dir.join("s.json");
    let codes: Vec<String> = (0..150).map(|i| format!("\"Z{i}\"")).collect();
    std::fs::write(
        &spec,
        format!(
            r#"{{"format": "chiso.sensitivity/1", "assumptions": [{{"kind": "inputs", "name": "x", "codes": [{}], "from": "0", "to": "1"}}]}}"#,
            codes.join(",")
        ),
    )
    .unwrap();
    for (lang, unknown, more) in [
        ("vi", "bộ chỉ số không có mã 'Z0'", "… và 50 lỗi khác"),
        ("en", "unknown code 'Z0'", "… and 50 more errors"),
    ] {
        let o = chiso(&[
            "--lang",
            lang,
            "sensitivity",
            &p(PAPI),
            &p(SAMPLE),
            "--spec",
            spec.to_str().unwrap(),
        ]);
        expect(&o, 1);
        let err = String::from_utf8_lossy(&o.stderr);
        let lines: Vec<&str> = err.lines().collect();
        assert_eq!(lines.len(), 101, "{err}");
        // Each line carries its stable code; the count is about the spec as a whole.
        assert!(
            lines[0].ends_with(&format!("{unknown} [sensitivity_unknown_code]")),
            "{err}"
        );
        assert!(
            lines[100].ends_with(&format!("{more} [sensitivity_more_errors]")),
            "{err}"
        );
        // Language kept: no English inside the Vietnamese lines.
        // (The stable code in brackets is for programs, not a word of the line.)
        if lang == "vi" {
            let mut words = lines
                .iter()
                .map(|l| l.rsplit_once(" [").map_or(*l, |(m, _)| m));
            assert!(!words.any(|w| w.contains("unknown")), "{err}");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn svg_stays_well_formed_whatever_the_unit_names_and_is_replaced_atomically() {
    let dir = scratch("svg");
    let (index, units, spec, svg) = (
        dir.join("i.json"),
        dir.join("u.csv"),
        dir.join("s.json"),
        dir.join("plot.svg"),
    );
    std::fs::write(&index, TWO_LEAVES).unwrap();
    // ESC, SOH, a form feed, U+FFFE, markup and a quote in the names (a NUL makes the file
    // binary: refused before this point).
    std::fs::write(
        &units,
        "unit,A,B\n\"X\u{1b}[31m<b>&\"\"\",5,6\n\"Y\u{1}\u{c}\u{fffe}\",6,5\n",
    )
    .unwrap();
    std::fs::write(
        &spec,
        r#"{"format": "chiso.sensitivity/1", "reps": 20, "assumptions": [{"kind": "weights", "name": "w", "noise": "0.2"}]}"#,
    )
    .unwrap();
    std::fs::write(&svg, "old plot").unwrap();
    let o = chiso(&[
        "sensitivity",
        index.to_str().unwrap(),
        units.to_str().unwrap(),
        "--spec",
        spec.to_str().unwrap(),
        "--svg",
        svg.to_str().unwrap(),
    ]);
    expect(&o, 0);
    let text = std::fs::read_to_string(&svg).unwrap();
    // Every event parses: the document is well-formed XML.
    let mut reader = quick_xml::Reader::from_str(&text);
    let mut texts = String::new();
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(quick_xml::events::Event::Text(t)) => {
                texts.push_str(&t.decode().unwrap());
                texts.push('|');
            }
            Ok(_) => {}
            Err(e) => panic!(
                "not well-formed at {}: {e}\n{text}",
                reader.buffer_position()
            ),
        }
    }
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{1}'),
        "{text}"
    );
    assert!(text.contains("&lt;b&gt;&amp;&quot;"), "{text}");
    // Only the plot is in the folder: no temporary file left beside it.
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["i.json", "plot.svg", "s.json", "u.csv"]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn threads_beyond_the_machine_give_one_warning_and_the_same_result() {
    let run = |threads: &str| {
        chiso(&[
            "--lang",
            "en",
            "sensitivity",
            &p(PAPI),
            &p(SAMPLE),
            "--spec",
            &p(SPEC),
            "--reps",
            "50",
            "--threads",
            threads,
            "--format",
            "json",
        ])
    };
    let (one, many) = (run("1"), run("100000"));
    expect(&one, 0);
    expect(&many, 0);
    assert_eq!(one.stdout, many.stdout);
    assert!(one.stderr.is_empty());
    let err = String::from_utf8_lossy(&many.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("warning: --threads 100000"), "{err}");
}
