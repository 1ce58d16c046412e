//! `chiso batch --ties ordinal`: consecutive ranks, equal totals in input order (the QĐ 766
//! portal's tables of departments and communes), on the synthetic example files; the
//! child-unit tree `qd766-portal-units.json` on `examples-data/qd766-units-sample.csv`,
//! worked by hand.
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

const UNITS: &str = "criteria/service-766/qd766-portal-units.json";
const UNITS_SAMPLE: &str = "examples-data/qd766-units-sample.csv";

/// Rows of a batch CSV output keyed by unit.
fn table(out: &Output) -> HashMap<String, HashMap<String, String>> {
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut r = csv::Reader::from_reader(out.stdout.as_slice());
    let headers = r.headers().unwrap().clone();
    r.records()
        .map(|x| {
            let x = x.unwrap();
            let row: HashMap<String, String> = headers
                .iter()
                .zip(x.iter())
                .map(|(h, v)| (h.to_owned(), v.to_owned()))
                .collect();
            (row["unit"].clone(), row)
        })
        .collect()
}

#[test]
fn qd766_units_sample_hand_worked() {
    // The synthetic child-unit sample against the portal's tree for departments and
    // communes (tie_policy ordinal). Inherited 1.1–1.3 in every unit: 6 × 1/2 + 4 × 3/4
    // + 2 × 1/1 = 3 + 3 + 2 = 8.
    // Sở mẫu A: CKMB 8 + 1.4 10/10 → 6 = 14; TDGQ 20 × 90% = 18; CLGQ 8 (group score);
    //   TTTT 6 × 1/2 + 2 × 40%/80% + 2 × 20%/80% = 3 + 1 + 0.5 = 4.5; MDSH 6 × 1/2 +
    //   4 × 1/4 + 2 × 40%/80% + 0 + 2 × 1/2 + 2 × 1/4 + 4.6 0/0 → 2 = 3 + 1 + 1 + 0 + 1 +
    //   0.5 + 2 = 8.5; MDHL 6 × 81%/90% + PAKN 0/0 → 6 + 6 = 17.4. Total 70.4.
    // Sở mẫu B (no dossiers, as Gia Lai H21.20): CKMB 8 (1.4 0/0 → 0); TDGQ 0; CLGQ 0;
    //   TTTT 0; MDSH 2 (4.6 alone); MDHL 0 + 6 + 6 = 12. Total 22.
    // Xã mẫu 1: CKMB 14; TDGQ 20 × 95% = 19; CLGQ 6.5; TTTT 6 × 3/4 + 2 (80% → capped) +
    //   2 × 40%/80% = 4.5 + 2 + 1 = 7.5; MDSH 4.5 + 2 + 2 (80% → capped) + 4 × 1% = 0.04 +
    //   0.5 + 1 + 2 = 12.04; MDHL 6 (90% → capped) + 3 + 1.5 = 10.5. Total 69.54.
    // Xã mẫu 2: as Xã mẫu 1 but TDGQ 20 (1/1) and CLGQ 5.5: 69.54, a tie.
    // Xã mẫu 3: thirds, each indicator rounded half up to 2 decimals before adding (the
    //   index's leaf_rounding, as the portal does): TDGQ 20 × 2/3 = 13.333… → 13.33; MDSH
    //   2 + 4/3 → 1.33 + 5/6 → 0.83 + 0 + 2/3 → 0.67 + 0 + 2 = 6.83; MDHL 6 × (2/3)/0.9 =
    //   40/9 = 4.444… → 4.44, + 12 = 16.44; total 23 + 13.33 + 6.83 + 16.44 = 59.6 (exact
    //   scores would give 23 + 659/18 = 59.6111…).
    let t = table(&chiso(&["batch", UNITS, UNITS_SAMPLE, "--no-mean"]));
    let cols = [
        "CKMB", "TDGQ", "CLGQ", "TTTT", "MDSH", "MDHL", "total", "rank",
    ];
    let expect = [
        (
            "Sở mẫu A",
            ["14", "18", "8", "4.5", "8.5", "17.4", "70.4", "1"],
        ),
        (
            "Sở mẫu B (không có hồ sơ)",
            ["8", "0", "0", "0", "2", "12", "22", "2"],
        ),
        (
            "Xã mẫu 1",
            ["14", "19", "6.5", "7.5", "12.04", "10.5", "69.54", "1"],
        ),
        (
            "Xã mẫu 2",
            ["14", "20", "5.5", "7.5", "12.04", "10.5", "69.54", "2"],
        ),
    ];
    for (unit, values) in expect {
        let row = &t[unit];
        assert_eq!(cols.map(|c| row[c].as_str()), values, "{unit}");
    }
    let x3 = &t["Xã mẫu 3"];
    assert_eq!(
        ["TDGQ", "MDSH", "MDHL", "total", "rank"].map(|c| x3[c].as_str()),
        ["13.33", "6.83", "16.44", "59.6", "3"]
    );
    // Competition instead: the tie shares rank 1, the next commune is 3rd.
    let c = table(&chiso(&[
        "batch",
        UNITS,
        UNITS_SAMPLE,
        "--no-mean",
        "--ties",
        "competition",
    ]));
    assert_eq!(
        ["Xã mẫu 1", "Xã mẫu 2", "Xã mẫu 3"].map(|u| c[u]["rank"].as_str()),
        ["1", "1", "3"]
    );
}
