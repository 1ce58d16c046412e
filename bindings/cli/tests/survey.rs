//! `chiso survey` end to end on the synthetic sample sheet (`examples-data/sipas-sample.csv`)
//! and the shipped definition: formats, inputs (CSV, JSON lines, xlsx), errors, exit
//! codes, writing through a temporary file, and seeds.
#![allow(clippy::unwrap_used)]

use serde_json::Value;
use std::path::PathBuf;
use std::process::{Command, Output};

const DEF: &str = "criteria/sipas/sipas-1001-2023-q9.survey.json";
const SAMPLE: &str = "examples-data/sipas-sample.csv";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn chiso(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chiso"))
        .current_dir(repo())
        .args(args)
        .output()
        .unwrap()
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

fn json(args: &[&str]) -> Value {
    let mut a = args.to_vec();
    a.extend(["--format", "json"]);
    serde_json::from_str(&ok(&a)).unwrap()
}

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("chiso-cli-survey-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn json_table_and_csv_agree() {
    let r = json(&["survey", DEF, SAMPLE]);
    assert_eq!(r["format"], "chiso.survey-result/1");
    assert_eq!(r["survey"], "sipas-1001-2023-q9");
    assert_eq!(r["aggregation"]["method"], "hierarchical");
    let units = r["units"].as_array().unwrap();
    assert_eq!(units.len(), 3);
    assert_eq!(r["respondents"], 18);
    assert_eq!(r["ignored_columns"], serde_json::json!(["gioi_tinh"]));
    // Every unit has 1 + 2 + 9 + 39 nodes and a rank.
    for u in units {
        assert_eq!(u["nodes"].as_array().unwrap().len(), 51);
        assert!(u["rank"].is_u64());
    }
    // The table shows each index rounded half up to 2 places (Vietnamese comma).
    let table = ok(&["survey", DEF, SAMPLE]);
    for u in units {
        let exact: chiso::Decimal = u["index"].as_str().unwrap().parse().unwrap();
        let shown =
            chiso::display::fixed(exact, 2, chiso::display::Rounding::HalfUp).replace('.', ",");
        let line = table
            .lines()
            .find(|l| l.contains(u["unit"].as_str().unwrap()))
            .unwrap();
        assert!(line.contains(&shown), "{line} should show {shown}");
    }
    assert!(table.contains("suy luận"));
    let en = ok(&["--lang", "en", "survey", DEF, SAMPLE]);
    assert!(en.contains("All units") && en.contains("inferred"));
    // CSV: one row per unit and node, plus all units; exact values equal to the JSON.
    let csv = ok(&["survey", DEF, SAMPLE, "--format", "csv"]);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 1 + 4 * 51);
    assert!(lines[0].starts_with("unit,code,level,satisfaction_rate,mean_score"));
    let first = format!(
        "{},total,index,{}",
        units[0]["unit"].as_str().unwrap(),
        units[0]["index"].as_str().unwrap()
    );
    assert!(lines[1].starts_with(&first), "{} vs {first}", lines[1]);
}

#[test]
fn json_lines_and_xlsx_give_the_same_result() {
    let base = json(&["survey", DEF, SAMPLE]);
    let dir = temp_dir("formats");
    let text = std::fs::read_to_string(repo().join(SAMPLE)).unwrap();
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = rdr.headers().unwrap().iter().map(str::to_owned).collect();
    let records: Vec<Vec<String>> = rdr
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();

    // JSON lines: answers as numbers, no-answers as null.
    let mut jsonl = String::new();
    for rec in &records {
        let mut obj = serde_json::Map::new();
        for (h, c) in header.iter().zip(rec) {
            let v = if h.starts_with("q9_") {
                c.parse::<u64>().map_or(Value::Null, Value::from)
            } else {
                Value::from(c.as_str())
            };
            obj.insert(h.clone(), v);
        }
        jsonl.push_str(&Value::Object(obj).to_string());
        jsonl.push('\n');
    }
    let jsonl_path = dir.join("answers.jsonl");
    std::fs::write(&jsonl_path, jsonl).unwrap();
    let from_jsonl = json(&["survey", DEF, jsonl_path.to_str().unwrap()]);

    // xlsx: answers as numbers (floats in the file), as survey tools export them.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, h).unwrap();
    }
    for (r, rec) in records.iter().enumerate() {
        for (c, v) in rec.iter().enumerate() {
            match v.parse::<f64>() {
                Ok(x) => ws.write_number(r as u32 + 1, c as u16, x).unwrap(),
                Err(_) => ws.write_string(r as u32 + 1, c as u16, v).unwrap(),
            };
        }
    }
    let xlsx_path = dir.join("answers.xlsx");
    wb.save(&xlsx_path).unwrap();
    let from_xlsx = json(&["survey", DEF, xlsx_path.to_str().unwrap()]);
    let _ = std::fs::remove_dir_all(&dir);

    for other in [&from_jsonl, &from_xlsx] {
        assert_eq!(other["units"], base["units"]);
        assert_eq!(other["all"], base["all"]);
    }
}

#[test]
fn bad_rows_exit_1_with_located_messages_and_write_nothing() {
    let dir = temp_dir("bad");
    let bad = dir.join("bad.csv");
    let text = std::fs::read_to_string(repo().join(SAMPLE)).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    lines[3] = lines[3].replacen(",4,", ",7,", 1); // an off-scale answer in row 4
    lines.push(lines[1].clone()); // row 20 repeats respondent R001
    std::fs::write(&bad, lines.join("\n")).unwrap();
    let out_file = dir.join("result.json");
    let out = chiso(&[
        "survey",
        DEF,
        bad.to_str().unwrap(),
        "--out",
        out_file.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.csv dòng 4, cột q9_sat_"), "{err}");
    assert!(err.contains("nằm ngoài thang đo"), "{err}");
    assert!(err.contains("bad.csv dòng 20, cột id (người trả lời R001): 'R001' mã người trả lời bị trùng trong cùng đơn vị (đã có ở dòng 2)"), "{err}");
    assert!(!out_file.exists());
    // A definition that is not one: exit 1, the file named.
    let out = chiso(&["survey", "criteria/papi/papi-2021-2024.json", SAMPLE]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("papi-2021-2024.json"));
    // A missing sheet: exit 1.
    assert_eq!(
        chiso(&["survey", DEF, "no-such.csv"]).status.code(),
        Some(1)
    );
    // Usage errors: exit 2.
    assert_eq!(
        chiso(&["survey", DEF, SAMPLE, "--format", "md"])
            .status
            .code(),
        Some(2)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn out_writes_a_complete_file_or_fails_non_zero() {
    let dir = temp_dir("out");
    let path = dir.join("result.csv");
    let stdout = ok(&[
        "survey",
        DEF,
        SAMPLE,
        "--format",
        "csv",
        "--out",
        path.to_str().unwrap(),
    ]);
    assert!(stdout.is_empty());
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        ok(&["survey", DEF, SAMPLE, "--format", "csv"])
    );
    // No temporary file is left beside it.
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
    // A folder that does not exist: non-zero, a message naming the file.
    let missing = dir.join("no/such/folder/result.csv");
    let out = chiso(&["survey", DEF, SAMPLE, "--out", missing.to_str().unwrap()]);
    assert_ne!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("result.csv"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bootstrap_depends_on_the_seed_not_the_threads() {
    let run = |seed: &str, threads: &str| {
        json(&[
            "survey",
            DEF,
            SAMPLE,
            "--bootstrap",
            "300",
            "--seed",
            seed,
            "--threads",
            threads,
        ])
    };
    let a = run("5", "1");
    assert_eq!(a, run("5", "2"));
    assert_ne!(a["units"], run("6", "1")["units"]);
    assert_eq!(a["bootstrap"]["replications"], 300);
    for u in a["units"].as_array().unwrap() {
        let i = &u["interval"];
        let d = |v: &Value| v.as_str().unwrap().parse::<chiso::Decimal>().unwrap();
        assert!(d(&i["low"]) <= d(&u["index"]) && d(&u["index"]) <= d(&i["high"]));
    }
    let out = chiso(&["survey", DEF, SAMPLE, "--bootstrap", "0"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn margin_and_grouping() {
    // ±5 points at 95 %: 385 respondents each (unweighted, design effect 1); 6 is not enough.
    let r = json(&["survey", DEF, SAMPLE, "--margin", "0.05"]);
    for u in r["units"].as_array().unwrap() {
        assert_eq!(u["sample_size"]["required"], 385);
        assert_eq!(u["sample_size"]["sufficient"], false);
    }
    assert_eq!(
        chiso(&["survey", DEF, SAMPLE, "--margin", "1.5"])
            .status
            .code(),
        Some(1)
    );
    // --by: the villages (thôn) as units.
    let r = json(&["survey", DEF, SAMPLE, "--by", "stratum"]);
    let names: Vec<&str> = r["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["unit"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["thôn 1", "thôn 2"]);
    assert_eq!(r["all"], json(&["survey", DEF, SAMPLE])["all"]);
}

#[test]
fn schemas_are_printed() {
    let s: Value = serde_json::from_str(&ok(&["schema", "survey"])).unwrap();
    assert_eq!(s["title"], "Questionnaire");
    let s: Value = serde_json::from_str(&ok(&["schema", "survey-result"])).unwrap();
    assert_eq!(s["title"], "SurveyResult");
}

#[test]
fn unreadable_answer_files_are_reported_in_one_language() {
    let dir = temp_dir("unreadable");
    let missing = dir.join("khong-co.csv");
    let missing = missing.to_str().unwrap();
    let out = chiso(&["survey", DEF, missing]);
    assert_eq!(out.status.code(), Some(1));
    let vi = String::from_utf8(out.stderr).unwrap();
    assert!(
        vi.ends_with("khong-co.csv: lỗi: không đọc được tệp (không tìm thấy tệp)\n"),
        "{vi}"
    );
    let out = chiso(&["survey", "--lang", "en", DEF, missing]);
    let en = String::from_utf8(out.stderr).unwrap();
    assert!(
        en.ends_with("khong-co.csv: error: cannot read the file (no such file)\n"),
        "{en}"
    );
    // A folder: the operating system's reason in Vietnamese words too.
    let out = chiso(&["survey", DEF, dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let vi = String::from_utf8(out.stderr).unwrap();
    assert!(vi.contains("đây là một thư mục, không phải tệp"), "{vi}");
    assert!(!vi.contains("directory"), "{vi}");
    let _ = std::fs::remove_dir_all(&dir);
}
