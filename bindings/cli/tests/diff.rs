//! `chiso diff`: national 2948/QĐ-BNV (2017) areas against the 876/QĐ-BNV (2022) frame.

use std::path::PathBuf;
use std::process::{Command, Output};

fn chiso(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chiso"))
        .args(args)
        .output()
        .unwrap()
}

fn p(f: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../criteria/par-index")
        .join(f)
        .display()
        .to_string()
}

#[test]
fn diff_2948_against_876_frames() {
    let old = p("national-2948-2017-province-areas.json");
    let new = p("national-876-2022-province-structure.json");
    let o = chiso(&["diff", &old, &new, "--format", "json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["old_version"], "2948/QĐ-BNV");
    assert_eq!(v["new_version"], "876/QĐ-BNV");
    let changes = v["changes"].as_array().unwrap();
    let has = |kind: &str, code: &str| {
        changes
            .iter()
            .any(|c| c["kind"] == kind && c["code"] == code)
    };
    // Area 2: "Xây dựng và tổ chức thực hiện văn bản quy phạm pháp luật…" → "Cải cách thể chế".
    assert!(has("renamed", "2"));
    // 2948 gives area 1 10 points; the public 876 frame gives no per-area maximum.
    assert!(has("max_changed", "1"));
    assert!(!has("added", "1") && !has("removed", "1"));
    let o = chiso(&["--lang", "en", "diff", &old, &new]);
    let t = String::from_utf8_lossy(&o.stdout);
    assert!(
        t.contains("renamed") && t.contains("maximum changed"),
        "{t}"
    );
    let o = chiso(&["diff", &old, &old, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v["changes"].as_array().unwrap().is_empty());
}

#[test]
fn a_full_stdout_is_a_write_error_not_a_silent_success() {
    let old = p("national-2948-2017-province-areas.json");
    let new = p("national-876-2022-province-structure.json");
    for format in ["table", "json"] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let o = Command::new(env!("CARGO_BIN_EXE_chiso"))
            .args(["--lang", "en", "diff", &old, &new, "--format", format])
            .stdout(full)
            .output()
            .unwrap();
        let e = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{format}: {e}");
        assert!(e.contains("cannot write"), "{format}: {e}");
    }
}
