//! Runs the built `chiso` binary: `whatif` and `plan` on the shipped examples, errors
//! and usage mistakes. Expected figures are worked by hand (see tests/scenario.rs and
//! tests/planner.rs of the library for the arithmetic).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn chiso(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chiso"))
        .args(args)
        .output()
        .expect("the chiso binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn expect(o: &Output, want: i32) {
    let err = stderr(o);
    assert!(!err.contains("panicked"), "panic:\n{err}");
    assert_eq!(
        o.status.code(),
        Some(want),
        "stdout:\n{}\nstderr:\n{err}",
        stdout(o)
    );
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn p(rel: &str) -> String {
    repo().join(rel).display().to_string()
}

const INDEX: &str = "criteria/examples/department-example.json";
const ASSESSMENT: &str = "criteria/examples/department-example.assessment.json";
const SCENARIO: &str = "criteria/examples/department-example.scenario.json";

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("chiso-whatif-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn write(dir: &Path, name: &str, content: &str) -> String {
    let f = dir.join(name);
    std::fs::write(&f, content).unwrap();
    f.display().to_string()
}

#[test]
fn whatif_example_table_and_json() {
    // 69.57 → 76.17 (+6.6), band C → B.
    let o = chiso(&["whatif", &p(INDEX), &p(SCENARIO), "--lang", "en"]);
    expect(&o, 0);
    let out = stdout(&o);
    assert!(out.contains("Band: C → B"), "{out}");
    assert!(out.contains("+6.60"), "{out}");
    assert!(
        !out.contains("Civil-service reform"),
        "unchanged nodes are hidden:\n{out}"
    );
    let o = chiso(&["whatif", &p(INDEX), &p(SCENARIO), "--all"]);
    expect(&o, 0);
    assert!(stdout(&o).contains("Cải cách chế độ công vụ") || stdout(&o).contains("3.3"));
    let o = chiso(&["whatif", &p(INDEX), &p(SCENARIO), "--format", "json"]);
    expect(&o, 0);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["format"], "chiso.whatif/1");
    assert_eq!(v["units"][0]["scenario"]["total"], "76.17");
    assert_eq!(v["units"][0]["delta"], "6.6");
}

#[test]
fn whatif_qd766_portal_example() {
    // 3.3: 6 × 30%/50% = 3.6 → 6 (+2.4); 5.4: 6 × 81%/90% = 5.4 → 6 (+0.6): +3.
    let o = chiso(&[
        "whatif",
        &p("criteria/service-766/qd766-portal-six-groups.json"),
        &p("criteria/examples/qd766-portal.scenario.json"),
        "--format",
        "json",
    ]);
    expect(&o, 0);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["units"][0]["delta"], "3");
}

#[test]
fn composed_scenarios_and_errors_name_the_file() {
    let dir = scratch("compose");
    let second = write(
        &dir,
        "second.scenario.json",
        r#"{"format":"chiso.scenario/1","index":"par-example-department","overrides":[
            {"op":"set_value","code":"1.3","value":{"points":"3"}}]}"#,
    );
    // + 1.3: 2.75 → 3 on top of the example: 76.17 + 0.25 = 76.42.
    let o = chiso(&[
        "whatif",
        &p(INDEX),
        &p(SCENARIO),
        &second,
        "--format",
        "json",
    ]);
    expect(&o, 0);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["units"][0]["scenario"]["total"], "76.42");
    let bad = write(
        &dir,
        "bad.scenario.json",
        r#"{"format":"chiso.scenario/1","index":"par-example-department","overrides":[
            {"op":"set_value","code":"1.3","value":{"points":"2.75"}},
            {"op":"set_value","code":"7.7","value":{"points":"1"}}]}"#,
    );
    let o = chiso(&["whatif", &p(INDEX), &p(SCENARIO), &bad, "--lang", "en"]);
    expect(&o, 1);
    let err = stderr(&o);
    assert!(
        err.contains("bad.scenario.json: error at $.overrides[0] (criterion 1.3)"),
        "{err}"
    );
    assert!(
        err.contains("$.overrides[1] (criterion 7.7): the index has no criterion"),
        "{err}"
    );
    // No base anywhere: usage.
    let o = chiso(&["whatif", &p(INDEX), &second]);
    expect(&o, 2);
}

#[test]
fn plan_band_a_and_available() {
    let o = chiso(&[
        "plan",
        &p(INDEX),
        &p(ASSESSMENT),
        "--target-band",
        "A",
        "--format",
        "json",
    ]);
    expect(&o, 0);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["cost"], "6");
    assert_eq!(v["result"]["band"], "A");
    let o = chiso(&["plan", &p(INDEX), &p(ASSESSMENT), "--target", "90%"]);
    expect(&o, 0);
    let out = stdout(&o);
    assert!(out.contains("Tổng chi phí: 6"), "{out}");
    assert!(out.contains("(+5 điểm)"), "{out}");
    let o = chiso(&[
        "plan",
        &p(INDEX),
        &p(ASSESSMENT),
        "--target-band",
        "A",
        "--costs",
        &p("criteria/examples/department-example.costs.json"),
        "--lang",
        "en",
    ]);
    expect(&o, 0);
    assert!(stdout(&o).contains("Total cost: 14"), "{}", stdout(&o));
    let o = chiso(&[
        "plan",
        &p(INDEX),
        &p(ASSESSMENT),
        "--target-points",
        "90",
        "--lang",
        "en",
    ]);
    expect(&o, 0);
    assert!(stdout(&o).contains("3.30 points short"), "{}", stdout(&o));
    let o = chiso(&[
        "plan",
        &p(INDEX),
        &p(ASSESSMENT),
        "--available",
        "--lang",
        "en",
    ]);
    expect(&o, 0);
    let out = stdout(&o);
    assert!(out.contains("Points still available"), "{out}");
    assert!(out.contains("+9 percentage points (+90 of 1000)"), "{out}");
}

#[test]
fn plan_usage_errors() {
    // No target; two targets; a rank without a batch; an unknown band.
    expect(&chiso(&["plan", &p(INDEX), &p(ASSESSMENT)]), 2);
    expect(
        &chiso(&[
            "plan",
            &p(INDEX),
            &p(ASSESSMENT),
            "--target",
            "90",
            "--target-band",
            "A",
        ]),
        2,
    );
    expect(
        &chiso(&["plan", &p(INDEX), &p(ASSESSMENT), "--target-rank", "1"]),
        2,
    );
    expect(
        &chiso(&["plan", &p(INDEX), &p(ASSESSMENT), "--target", "abc"]),
        2,
    );
    let o = chiso(&[
        "plan",
        &p(INDEX),
        &p(ASSESSMENT),
        "--target-band",
        "Z",
        "--lang",
        "en",
    ]);
    expect(&o, 1);
    assert!(stderr(&o).contains("no band \"Z\""), "{}", stderr(&o));
}
