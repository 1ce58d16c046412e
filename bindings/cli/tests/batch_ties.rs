//! `chiso batch --ties ordinal`: consecutive ranks, equal totals in input order (the QĐ 766
//! portal's tables of departments and communes), on the synthetic example file.
#![allow(clippy::unwrap_used)]

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::{Command, Output};

const QD766: &str = "criteria/service-766/qd766-portal-groups.json";
const QD766_UNITS: &str = "examples-data/qd766-groups-sample.csv";

fn chiso(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chiso"))
        .current_dir(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.."))
        .args(args)
        .output()
        .unwrap()
}

/// Unit → rank from a batch CSV output.
fn ranks(out: &Output) -> HashMap<String, String> {
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let headers = r.headers().unwrap().clone();
    let unit = headers.iter().position(|h| h == "unit").unwrap();
    let rank = headers.iter().position(|h| h == "rank").unwrap();
    r.records()
        .map(|x| x.unwrap())
        .map(|x| (x[unit].to_owned(), x[rank].to_owned()))
        .collect()
}

#[test]
fn ordinal_ties_in_input_order() {
    // Provinces (block tỉnh): T3 92 > T1 84 = T2 84 > T4 54.5. Competition: 1, 2, 2, 4;
    // ordinal: T1 comes before T2 in the file → 2, 3; T4 keeps 4.
    let competition = ranks(&chiso(&["batch", QD766, QD766_UNITS]));
    let ordinal = ranks(&chiso(&["batch", QD766, QD766_UNITS, "--ties", "ordinal"]));
    let get = |m: &HashMap<String, String>, u: &str| m[u].clone();
    assert_eq!(
        ["Tỉnh mẫu 3", "Tỉnh mẫu 1", "Tỉnh mẫu 2", "Tỉnh mẫu 4"].map(|u| get(&competition, u)),
        ["1", "2", "2", "4"]
    );
    assert_eq!(
        ["Tỉnh mẫu 3", "Tỉnh mẫu 1", "Tỉnh mẫu 2", "Tỉnh mẫu 4"].map(|u| get(&ordinal, u)),
        ["1", "2", "3", "4"]
    );
    // Ministries (block bộ) have no tie: the same ranks under both policies; the unit
    // without a total stays unranked.
    for u in ["Bộ mẫu 1", "Bộ mẫu 2", "Bộ mẫu 3"] {
        assert_eq!(get(&ordinal, u), get(&competition, u), "{u}");
    }
    assert_eq!(get(&ordinal, "Bộ mẫu 2"), "");

    // The JSON output names the policy.
    let out = chiso(&[
        "batch",
        QD766,
        QD766_UNITS,
        "--ties",
        "ordinal",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["tie_policy"], "ordinal");
}

#[test]
fn unknown_tie_policy_is_a_usage_error() {
    let out = chiso(&["batch", QD766, QD766_UNITS, "--ties", "random"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("ordinal"), "{err}");
}
