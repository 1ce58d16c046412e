//! Runs the built `chiso` binary: `chiso plan` lists the survey-fed leaves of the
//! example apart, "outside the unit's control", in table and JSON output, and keeps
//! them out of the plan's cost and total. Figures worked by hand in the library's
//! tests/planner.rs (`survey_leaves_are_listed_outside_control_and_left_out_of_the_plan`):
//! 4.1 at 71% of 20 = 14.2 (5.8 left; 80% → 16, +1.8), 4.2 supplied 8.5 of 10 (1.5 left).

use std::path::PathBuf;
use std::process::{Command, Output};

fn chiso(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chiso"))
        .args(args)
        .output()
        .expect("the chiso binary runs")
}

fn p(rel: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel)
        .display()
        .to_string()
}

const INDEX: &str = "criteria/examples/department-example.json";
const ASSESSMENT: &str = "criteria/examples/department-example.assessment.json";

fn run(extra: &[&str]) -> String {
    let (i, a) = (p(INDEX), p(ASSESSMENT));
    let mut args = vec!["plan", i.as_str(), a.as_str()];
    args.extend_from_slice(extra);
    let o = chiso(&args);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(0), "stderr:\n{err}");
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn plan_table_lists_survey_leaves_after_the_cost() {
    let out = run(&["--target-band", "A"]);
    let (plan, outside) = out
        .split_once("Ngoài tầm kiểm soát của đơn vị")
        .expect("the separate list");
    // The plan part is unchanged: cost 6, 83.82 points, and no survey leaf in it.
    assert!(
        plan.contains("Tổng chi phí: 6; sau cải thiện: 83,82 điểm"),
        "{out}"
    );
    assert!(!plan.contains("│ 4.1") && !plan.contains("│ 4.2"), "{out}");
    assert!(
        outside.contains("không tính vào chi phí và tổng điểm"),
        "{out}"
    );
    assert!(
        outside.contains("nâng kết quả điều tra từ 71% lên 80% (+1,8 điểm)"),
        "{out}"
    );
    assert!(outside.contains("│ 4.2"), "{out}");
    let en = run(&["--available", "--lang", "en"]);
    let (_, outside) = en
        .split_once("Outside the unit's control")
        .expect("the separate list");
    assert!(
        outside.contains("raise the survey result from 71% to 80% (+1.8 points)"),
        "{en}"
    );
}

#[test]
fn plan_json_has_the_optional_member() {
    let out = run(&["--target-band", "A", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["cost"], "6");
    assert_eq!(v["result"]["total"], "83.82");
    let oc = v["outside_control"].as_array().unwrap();
    let codes: Vec<&str> = oc.iter().map(|r| r["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["4.1", "4.2"]);
    assert_eq!(oc[0]["available"], "5.8");
    assert_eq!(oc[0]["next"]["to_points"], "16");
    assert_eq!(oc[1]["available"], "1.5");
    assert!(oc[1].get("next").is_none());
    let h: serde_json::Value =
        serde_json::from_str(&run(&["--available", "--format", "json"])).unwrap();
    assert_eq!(h["outside_control"], v["outside_control"]);
}
