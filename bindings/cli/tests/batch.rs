//! Golden tests for `chiso batch` on the synthetic example files in `examples-data/`.
//!
//! Expected outputs are in `tests/golden/`; every number in them was checked by hand
//! (the sums and ranks are worked out in the comments and asserted separately below,
//! so a wrong golden file cannot pass on its own). To regenerate after an intended
//! change: `CHISO_BLESS=1 cargo test -p chiso-cli --test batch`, then review the diff.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;
use std::process::{Command, Output};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn golden(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name)
}

const PAPI: &str = "criteria/papi/papi-2021-2024.json";
const QD766: &str = "criteria/service-766/qd766-portal-groups.json";
const PAPI_UNITS: &str = "examples-data/papi-2023-sample.csv";
const QD766_UNITS: &str = "examples-data/qd766-groups-sample.csv";

fn chiso(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chiso"))
        .current_dir(repo())
        .args(args)
        .output()
        .unwrap()
}

fn check_golden(name: &str, actual: &[u8]) {
    let path = golden(name);
    if std::env::var_os("CHISO_BLESS").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(
        String::from_utf8_lossy(actual),
        String::from_utf8_lossy(&expected),
        "output differs from {}",
        path.display()
    );
}

fn ok(args: &[&str]) -> String {
    let out = chiso(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Rows of a CSV output as (unit → row map).
fn rows(csv_text: &str) -> Vec<std::collections::HashMap<String, String>> {
    let mut r = csv::Reader::from_reader(csv_text.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_owned).collect();
    r.records()
        .map(|rec| {
            header
                .iter()
                .cloned()
                .zip(rec.unwrap().iter().map(str::to_owned))
                .collect()
        })
        .collect()
}

fn row<'a>(
    rows: &'a [std::collections::HashMap<String, String>],
    unit: &str,
) -> &'a std::collections::HashMap<String, String> {
    rows.iter().find(|r| r["unit"] == unit).unwrap()
}

#[test]
fn papi_csv_competition_ranks_missing_and_means() {
    let out = ok(&["batch", PAPI, PAPI_UNITS]);
    check_golden("papi-2023-sample.csv", out.as_bytes());
    let rows = rows(&out);
    // Column order: unit, D1, D1.1 … D1.4, D2, …, D8.3, total, percent, rank, band.
    let header = out.lines().next().unwrap();
    assert!(
        header.starts_with("unit,D1,D1.1,D1.2,D1.3,D1.4,D2,D2.1,"),
        "{header}"
    );
    assert!(
        header.ends_with(",D8,D8.1,D8.2,D8.3,total,percent,rank,band"),
        "{header}"
    );
    // Hand sums: A = 4×1.25 (D1) + 4×1.25 + 3×1.5 + 4×1.25 + 3×1.5 + 4×1.25 + 3×1.5 + 3×1.5 = 38;
    // B = 8 dimensions × 6 = 48; C = A with D1 = 2+0.5+1.25+1.25 = 5, D2 = 1+1.5+1.25+1.25 = 5 → 38;
    // D = 7+7+6.75+7+6.75+7+6.75+6.75 = 55; F = 2+2+3+2+3+2+3+3 = 20.
    let expect = [
        ("Synthetic A", "38", "3"),
        ("Synthetic B", "48", "2"),
        ("Synthetic C", "38", "3"),
        ("Synthetic D", "55", "1"),
        ("Synthetic F", "20", "5"),
    ];
    for (unit, total, rank) in expect {
        assert_eq!(row(&rows, unit)["total"], total, "{unit}");
        assert_eq!(
            row(&rows, unit)["rank"],
            rank,
            "{unit} (competition: 1, 2, 3, 3, 5)"
        );
    }
    // Exact sums: F's D1 = 0.3 + 0.6 + 0.55 + 0.55 = 2 (a float sum gives 1.9999999999999998).
    assert_eq!(row(&rows, "Synthetic F")["D1"], "2");
    // Input "0.50" and "2.0" are written normalized.
    assert_eq!(row(&rows, "Synthetic C")["D1.2"], "0.5");
    assert_eq!(row(&rows, "Synthetic C")["D1.1"], "2");
    // E has no D5.2: D5 and the total are empty (PAPI does not impute), E is unranked,
    // its other dimensions are still shown.
    let e = row(&rows, "Synthetic E");
    assert_eq!(
        (
            e["D5.2"].as_str(),
            e["D5"].as_str(),
            e["total"].as_str(),
            e["rank"].as_str()
        ),
        ("", "", "", "")
    );
    assert_eq!(e["D1"], "8");
    // PAPI has no maximum: no percent, no band.
    assert!(rows
        .iter()
        .all(|r| r["percent"].is_empty() && r["band"].is_empty()));
    // Means over the units that have a value: total (38+48+38+55+20)/5 = 39.8;
    // D5 (4.5+6+4.5+6.75+3)/5 = 4.95; D1.1 over six units (1.25+1.5+2+1.75+2+0.3)/6 = 1.4666…
    let m = row(&rows, "__mean__");
    assert_eq!(m["total"], "39.8");
    assert_eq!(m["D5"], "4.95");
    assert!(m["D1.1"].starts_with("1.4666666666"), "{}", m["D1.1"]);
    assert_eq!((m["rank"].as_str(), m["band"].as_str()), ("", ""));
    assert_eq!(
        out.lines().last().unwrap().split(',').next(),
        Some("__mean__")
    );
}

#[test]
fn papi_dense_ties_and_no_mean() {
    let out = ok(&["batch", PAPI, PAPI_UNITS, "--ties", "dense", "--no-mean"]);
    check_golden("papi-2023-sample.dense.csv", out.as_bytes());
    let rows = rows(&out);
    // Dense: D 1, B 2, A and C 3, F 4 (not 5).
    for (unit, rank) in [
        ("Synthetic D", "1"),
        ("Synthetic B", "2"),
        ("Synthetic A", "3"),
        ("Synthetic C", "3"),
        ("Synthetic F", "4"),
    ] {
        assert_eq!(row(&rows, unit)["rank"], rank, "{unit}");
    }
    assert!(!out.contains("__mean__"));
}

#[test]
fn papi_json_output() {
    let out = ok(&["batch", PAPI, PAPI_UNITS, "--format", "json"]);
    check_golden("papi-2023-sample.json", out.as_bytes());
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["format"], "chiso.batch/1");
    assert_eq!(v["tie_policy"], "competition");
    let units = v["units"].as_array().unwrap();
    assert_eq!(units.len(), 6);
    // Decimals are JSON strings; missing values and ranks are null.
    assert_eq!(units[0]["points"]["D1"], "5");
    assert_eq!(units[0]["total"], "38");
    assert_eq!(units[0]["rank"], 3);
    assert_eq!(units[4]["total"], serde_json::Value::Null);
    assert_eq!(units[4]["rank"], serde_json::Value::Null);
    assert_eq!(units[4]["points"]["D5.2"], serde_json::Value::Null);
    assert_eq!(v["mean"]["total"], "39.8");
    assert_eq!(v["ranked"], 5);
}

#[test]
fn papi_table_output() {
    let out = ok(&["batch", PAPI, PAPI_UNITS, "--format", "table"]);
    check_golden("papi-2023-sample.table.txt", out.as_bytes());
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].starts_with("unit ")
            && lines[0].contains(" D8.3 ")
            && lines[0].ends_with("rank  band"),
        "{}",
        lines[0]
    );
    assert!(lines[1].starts_with("-----"));
    // Every unit row and the mean row; numbers right-aligned under their header.
    assert_eq!(
        lines.iter().filter(|l| l.starts_with("Synthetic ")).count(),
        6
    );
    assert!(lines.last().unwrap().starts_with("__mean__"));
}

#[test]
fn qd766_blocks_bands_and_ties() {
    let out = ok(&["batch", QD766, QD766_UNITS]);
    check_golden("qd766-groups-sample.csv", out.as_bytes());
    let rows = rows(&out);
    assert!(out.starts_with("unit,block,CKMB,TDGQ,CLGQ,TTTT,MDSH,MDHL,total,percent,rank,band\n"));
    // Hand sums (maximum 100, so percent = total): T1 15+18+10+8+18+15 = 84; T2 16.5+17.25+9.5+7.75+19+14 = 84;
    // T3 17+19+11+9+20+16 = 92; T4 10.25+12.5+6+5+11+9.75 = 54.5; B1 14+16+9+7+17+13 = 76; B3 9+10+5+4+10+8 = 46.
    // Provinces and ministries are ranked separately (competition); bands 90+ xuat_sac,
    // [80, 90) tot, [70, 80) kha, [50, 70) trung_binh, below 50 yeu.
    let expect = [
        ("Tỉnh mẫu 1", "84", "2", "tot"),
        ("Tỉnh mẫu 2", "84", "2", "tot"),
        ("Tỉnh mẫu 3", "92", "1", "xuat_sac"),
        ("Tỉnh mẫu 4", "54.5", "4", "trung_binh"),
        ("Bộ mẫu 1", "76", "1", "kha"),
        ("Bộ mẫu 3", "46", "2", "yeu"),
    ];
    for (unit, total, rank, band) in expect {
        let r = row(&rows, unit);
        assert_eq!(
            (
                r["total"].as_str(),
                r["percent"].as_str(),
                r["rank"].as_str(),
                r["band"].as_str()
            ),
            (total, total, rank, band),
            "{unit}"
        );
    }
    // A missing group: no total, no rank, no band.
    let b2 = row(&rows, "Bộ mẫu 2");
    assert_eq!(
        (
            b2["CLGQ"].as_str(),
            b2["total"].as_str(),
            b2["rank"].as_str(),
            b2["band"].as_str()
        ),
        ("", "", "", "")
    );
    // Mean total over the six ranked units: 436.5 / 6 = 72.75.
    assert_eq!(row(&rows, "__mean__")["total"], "72.75");

    let dense = ok(&["batch", QD766, QD766_UNITS, "--ties", "dense"]);
    assert_eq!(row(&rows_of(&dense), "Tỉnh mẫu 4")["rank"], "3");
    let table = ok(&["batch", QD766, QD766_UNITS, "--format", "table"]);
    check_golden("qd766-groups-sample.table.txt", table.as_bytes());
}

fn rows_of(s: &str) -> Vec<std::collections::HashMap<String, String>> {
    rows(s)
}

#[test]
fn json_lines_input() {
    let input = golden("qd766-groups.jsonl");
    let out = ok(&["batch", QD766, input.to_str().unwrap()]);
    check_golden("qd766-groups.jsonl.csv", out.as_bytes());
    let rows = rows(&out);
    // 12.5+15+8+6.5+14+11 = 67 (trung_binh); 18+20+12+10+22+18 = 100 (xuat_sac); 13+16+9+7.5+15+12 = 72.5 (kha).
    assert_eq!(
        (
            row(&rows, "Tỉnh mẫu 5")["total"].as_str(),
            row(&rows, "Tỉnh mẫu 5")["rank"].as_str()
        ),
        ("67", "2")
    );
    assert_eq!(
        (
            row(&rows, "Tỉnh mẫu 6")["total"].as_str(),
            row(&rows, "Tỉnh mẫu 6")["rank"].as_str()
        ),
        ("72.5", "1")
    );
    assert_eq!(
        (
            row(&rows, "Bộ mẫu 4")["band"].as_str(),
            row(&rows, "Bộ mẫu 4")["rank"].as_str()
        ),
        ("xuat_sac", "1")
    );
}

#[test]
fn bad_rows_exit_1_with_every_row_and_column_named() {
    let input = golden("papi-bad.csv");
    let out = chiso(&["--lang", "en", "batch", PAPI, input.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "nothing may be written on error");
    let err = String::from_utf8(out.stderr).unwrap();
    check_golden("papi-bad.stderr.txt", err.as_bytes());
    assert!(
        err.contains("papi-bad.csv row 3, column D5.2: '1,2x' is not a number"),
        "{err}"
    );
    assert!(err.contains("row 4, column D1.1: 'abc'"), "{err}");
    assert!(err.contains("row 4, column D8.3: '-'"), "{err}");
    assert!(
        err.contains("row 5: has 10 fields, the header has 29"),
        "{err}"
    );
    assert!(err.contains("row 6, column unit"), "{err}");
    // The list is capped, the count is not.
    let capped = chiso(&[
        "--lang",
        "en",
        "batch",
        PAPI,
        input.to_str().unwrap(),
        "--max-errors",
        "2",
    ]);
    let err = String::from_utf8(capped.stderr).unwrap();
    assert_eq!(err.lines().count(), 3, "{err}");
    assert!(err.ends_with("… and 3 more errors (5 in all)\n"), "{err}");
}

#[test]
fn header_errors_and_usage() {
    // The PAPI units against the 766 index: every column is unknown, every group lacks one.
    let out = chiso(&["--lang", "en", "batch", QD766, PAPI_UNITS]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("papi-2023-sample.csv row 1, column D1.1: is not a leaf code of the index"),
        "{err}"
    );
    assert!(
        err.contains("no column for criteria: CKMB, TDGQ, CLGQ, TTTT, MDSH, MDHL"),
        "{err}"
    );
    // Usage errors exit 2.
    assert_eq!(chiso(&["batch", PAPI]).status.code(), Some(2));
    assert_eq!(
        chiso(&["batch", PAPI, PAPI_UNITS, "--format", "yaml"])
            .status
            .code(),
        Some(2)
    );
    // The help documents the mean row and the value mapping.
    let help = String::from_utf8(chiso(&["batch", "--help"]).stdout).unwrap();
    assert!(
        help.contains("__mean__") && help.contains("num/den") && help.contains("EXIT CODES"),
        "{help}"
    );
}

#[test]
fn unit_type_column_and_percent_ranking() {
    // Thanh Hóa 2024 departments (par-index.md §4, §10): Sở Nội vụ has no survey sample
    // (unit type khong_co_mau_khao_sat, area 8 out) and is scored out of 84: 78.54 of 84
    // = 93.5 % ranks before Sở Xây dựng, 92.14 of 100 (78.54 + 13.6). Points alone would
    // put them the other way round.
    let dir = std::env::temp_dir().join(format!("chiso-batch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let units = dir.join("thanhhoa.csv");
    std::fs::write(
        &units,
        "unit,unit_type,1-7,8\nSở Xây dựng,,78.54,13.6\nSở Nội vụ,khong_co_mau_khao_sat,78.54,\n",
    )
    .unwrap();
    let index = "criteria/par-index/thanhhoa-2024-department-parts.json";
    let units = units.to_str().unwrap();
    let out = ok(&["batch", index, units, "--no-mean"]);
    assert_eq!(
        out,
        "unit,1-7,8,total,percent,rank,band\n\
         Sở Xây dựng,78.54,13.6,92.14,92.14,2,\n\
         Sở Nội vụ,78.54,,78.54,93.5,1,\n"
    );
    let v: serde_json::Value =
        serde_json::from_str(&ok(&["batch", index, units, "--format", "json"])).unwrap();
    assert_eq!(v["rank_basis"], "percent");
    assert_eq!(v["units"][1]["rank"], 1);
    // One maximum per batch (PAPI sample): ranked on the totals.
    let v: serde_json::Value =
        serde_json::from_str(&ok(&["batch", PAPI, PAPI_UNITS, "--format", "json"])).unwrap();
    assert_eq!(v["rank_basis"], "total");
    // A survey value for the agency without a survey sample: exit 1, located.
    std::fs::write(
        dir.join("bad.csv"),
        "unit,unit_type,1-7,8\nSở Nội vụ,khong_co_mau_khao_sat,78.54,12\n",
    )
    .unwrap();
    let bad = dir.join("bad.csv");
    let o = chiso(&["batch", index, bad.to_str().unwrap(), "--lang", "en"]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("bad.csv row 2, column 8: '12' does not apply to the unit type"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// One reader for all three: the same bad batch file gives the same messages, with the
/// same row numbers, from `chiso batch`, `chiso plan --batch` and a what-if units base
/// (plan and whatif used to accept ragged and empty files). The PAPI sample with a short
/// row, a long row, a non-number and a duplicated unit.
#[test]
fn batch_plan_and_whatif_read_a_batch_alike() {
    let dir = tempfile::tempdir().unwrap();
    let sample = std::fs::read_to_string(repo().join(PAPI_UNITS)).unwrap();
    let mut lines: Vec<String> = sample.lines().map(str::to_owned).collect();
    lines[2] = "Short,1.5".into();
    lines[3] = format!("{},9", lines[3]);
    lines[4] = lines[4].replacen(",1.5,", ",1,5,", 1);
    let bad = dir.path().join("units.csv");
    std::fs::write(&bad, lines.join("\n") + "\n").unwrap();
    let assessment = dir.path().join("a.json");
    std::fs::write(
        &assessment,
        r#"{"format":"chiso.assessment/1","index":"papi-2021-2024","unit":{"name":"X"},"entries":{}}"#,
    )
    .unwrap();
    let scenario = dir.path().join("s.json");
    std::fs::write(
        &scenario,
        r#"{"format":"chiso.scenario/1","index":"papi-2021-2024","base":{"units":"units.csv"},
           "overrides":[{"op":"set_value","code":"D1.1","value":{"number":"2"}}]}"#,
    )
    .unwrap();
    let papi = repo().join(PAPI);
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_chiso"))
            .current_dir(dir.path())
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        String::from_utf8(out.stderr).unwrap()
    };
    let p = papi.to_str().unwrap();
    let batch = run(&["batch", p, "units.csv", "--lang", "en"]);
    let plan = run(&[
        "plan",
        p,
        "a.json",
        "--target-rank",
        "1",
        "--batch",
        "units.csv",
        "--lang",
        "en",
    ]);
    let whatif = run(&["whatif", p, "s.json", "--lang", "en"]);
    assert!(batch.contains("units.csv row 3: has 2 fields"), "{batch}");
    assert!(
        batch.contains("units.csv row 4: has 30 fields, the header has 29"),
        "{batch}"
    );
    assert_eq!(plan, batch);
    assert_eq!(whatif, batch);
    // Empty: the batch's header errors, from all three.
    std::fs::write(&bad, "").unwrap();
    let batch = run(&["batch", p, "units.csv"]);
    assert!(batch.contains("thiếu cột tên đơn vị"), "{batch}");
    let plan = run(&[
        "plan",
        p,
        "a.json",
        "--target-rank",
        "1",
        "--batch",
        "units.csv",
    ]);
    assert_eq!(plan, batch);
    assert_eq!(run(&["whatif", p, "s.json"]), batch);
}
