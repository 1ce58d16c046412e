//! SIPAS answer sheets through the binding, natively: item estimates against a count by
//! hand of the shipped sheet, the bootstrap reproducible and equal to a multi-threaded
//! library run (what the CLI does), bad rows located with the respondent, options checked.
//! The same calls against the native CLI: `bindings/wasm/js/records.test.mjs`.
#![cfg(not(target_arch = "wasm32"))]

use chiso::Decimal;
use chiso_wasm::survey::survey;
use serde_json::{json, Value as Json};
use std::path::PathBuf;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(repo().join(rel)).unwrap()
}

const DEFINITION: &str = "criteria/sipas/sipas-1001-2023-q9.survey.json";
const SHEET: &str = "examples-data/sipas-sample.csv";

fn json(s: &str) -> Json {
    serde_json::from_str(s).unwrap()
}

fn dec(v: &Json) -> Decimal {
    v.as_str().expect("decimals are strings").parse().unwrap()
}

fn unit<'a>(r: &'a Json, name: &str) -> &'a Json {
    r["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit"] == name)
        .unwrap()
}

fn node<'a>(u: &'a Json, code: &str) -> &'a Json {
    u["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["code"] == code)
        .unwrap()
}

#[test]
fn item_estimates_equal_a_count_by_hand() {
    let sheet = read(SHEET);
    let r = json(&survey(&read(DEFINITION), &sheet, "").unwrap());
    assert_eq!(r["format"], "chiso.survey-result/1");
    let mut lines = sheet.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    for name in ["Phường mẫu A", "Xã mẫu C"] {
        let u = unit(&r, name);
        let mine: Vec<&Vec<&str>> = rows.iter().filter(|r| r[col("unit")] == name).collect();
        assert_eq!(u["respondents"], mine.len());
        for item in ["q9_sat_1", "q9_sat_16", "q9_sat_39"] {
            let answers: Vec<i64> = mine
                .iter()
                .filter_map(|r| r[col(item)].parse().ok())
                .collect();
            let n = answers.len() as i64;
            let satisfied = answers.iter().filter(|a| **a >= 4).count() as i64;
            let sum: i64 = answers.iter().sum();
            let e = node(u, item);
            assert_eq!(e["answers"], n, "{name} {item}");
            // Rate = 100 × satisfied / answered; mean = Σ answers / answered (no weights).
            assert_eq!(
                dec(&e["satisfaction_rate"]),
                Decimal::from(100 * satisfied) / Decimal::from(n),
                "{name} {item}"
            );
            assert_eq!(
                dec(&e["mean_score"]),
                Decimal::from(sum) / Decimal::from(n),
                "{name} {item}"
            );
        }
    }
}

#[test]
fn the_bootstrap_is_the_librarys_on_any_number_of_threads() {
    let def = read(DEFINITION);
    let sheet = read(SHEET);
    let opts = json!({"bootstrap": 200, "seed": 7, "margin": "0.05"}).to_string();
    let a = json(&survey(&def, &sheet, &opts).unwrap());
    assert_eq!(a, json(&survey(&def, &sheet, &opts).unwrap()));
    // What `chiso survey --bootstrap 200 --seed 7 --threads 2` computes.
    use chiso::survey::{bootstrap, estimate, read_csv, BootstrapOptions, ReadOptions, Survey};
    let s = Survey::from_json(&def).unwrap();
    let answers = read_csv(
        &s,
        sheet.as_bytes(),
        &ReadOptions {
            source: "answers.csv".into(),
            ..Default::default()
        },
    )
    .unwrap();
    let mut lib = estimate(&s, &answers).unwrap();
    let o = BootstrapOptions {
        replications: 200,
        seed: 7,
        threads: 2,
        ..Default::default()
    };
    bootstrap(&s, &answers, &mut lib, &o).unwrap();
    for (x, y) in a["units"].as_array().unwrap().iter().zip(&lib.units) {
        assert_eq!(x["interval"], serde_json::to_value(&y.interval).unwrap());
        let ci = &x["interval"];
        assert!(dec(&ci["low"]) <= dec(&x["index"]) && dec(&x["index"]) <= dec(&ci["high"]));
        assert!(x["sample_size"]["required"].as_u64().unwrap() >= 385);
    }
    let other = json(
        &survey(
            &def,
            &sheet,
            &json!({"bootstrap": 200, "seed": 8}).to_string(),
        )
        .unwrap(),
    );
    assert_ne!(other["units"], a["units"], "another seed, other draws");
}

#[test]
fn json_lines_give_the_same_result_as_csv() {
    let sheet = read(SHEET);
    let mut lines = sheet.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let jsonl: String = lines
        .map(|l| {
            let obj: serde_json::Map<String, Json> = header
                .iter()
                .zip(l.split(','))
                .filter(|(_, v)| !v.is_empty())
                .map(|(h, v)| {
                    let v = v.parse::<u64>().map_or(json!(v), |n| json!(n));
                    (h.to_string(), v)
                })
                .collect();
            format!("{}\n", Json::Object(obj))
        })
        .collect();
    let def = read(DEFINITION);
    let a = json(&survey(&def, &sheet, "").unwrap());
    let b = json(&survey(&def, &jsonl, r#"{"source":"answers.jsonl"}"#).unwrap());
    assert_eq!(a["units"], b["units"]);
    assert_eq!(a["all"], b["all"]);
}

#[test]
fn bad_rows_are_located_with_the_respondent() {
    let sheet = read(SHEET);
    let mut lines: Vec<String> = sheet.lines().map(str::to_owned).collect();
    let header: Vec<&str> = lines[0].split(',').collect();
    let q3 = header.iter().position(|h| *h == "q9_sat_3").unwrap();
    let q5 = header.iter().position(|h| *h == "q9_sat_5").unwrap();
    let mut cells: Vec<String> = lines[3].split(',').map(str::to_owned).collect();
    cells[q3] = "7".into();
    let r4 = cells[0].clone();
    lines[3] = cells.join(",");
    let mut cells: Vec<String> = lines[5].split(',').map(str::to_owned).collect();
    cells[q5] = "tốt".into();
    let r6 = cells[0].clone();
    lines[5] = cells.join(",");
    let err = survey(
        &read(DEFINITION),
        &lines.join("\n"),
        r#"{"source":"sipas.csv"}"#,
    )
    .unwrap_err();
    let at: Vec<_> = err
        .diagnostics
        .iter()
        .map(|d| (d.row, d.column.as_deref(), d.record.as_deref()))
        .collect();
    assert_eq!(
        at,
        [
            (Some(4), Some("q9_sat_3"), Some(r4.as_str())),
            (Some(6), Some("q9_sat_5"), Some(r6.as_str()))
        ]
    );
    assert!(
        err.message_en
            .starts_with("sipas.csv row 4, column q9_sat_3"),
        "{}",
        err.message_en
    );
    assert!(
        err.message_vi.starts_with("sipas.csv dòng 4"),
        "{}",
        err.message_vi
    );
    // max_errors lists fewer and counts the rest.
    let err = survey(&read(DEFINITION), &lines.join("\n"), r#"{"max_errors":1}"#).unwrap_err();
    assert_eq!(err.diagnostics.len(), 2);
    assert!(
        err.diagnostics[1].en.contains("1 more"),
        "{}",
        err.diagnostics[1].en
    );
}

#[test]
fn definitions_and_options_are_checked() {
    let def = read(DEFINITION);
    let sheet = read(SHEET);
    let err = survey("{", &sheet, "").unwrap_err();
    assert_eq!(err.code, "syntax");
    assert_eq!(err.diagnostics[0].file.as_deref(), Some("definition"));
    let err = survey(&def, &sheet, r#"{"margin":"0.05","level":"0.8"}"#).unwrap_err();
    assert!(
        err.message_en.contains("survey_unsupported_level"),
        "{}",
        err.message_en
    );
    let err = survey(&def, &sheet, r#"{"bootstrap":0}"#).unwrap_err();
    assert!(err.message_vi.contains("survey_no_replications"));
    let err = survey(&def, &sheet, r#"{"seeds":1}"#).unwrap_err();
    // Feature `lean` (the form's module only, never built with the survey) reads shape
    // errors without path tracking: marked unlocated at the argument.
    let path = if cfg!(feature = "lean") {
        assert!(err.unlocated);
        "$options"
    } else {
        "$options.seeds"
    };
    assert_eq!((err.code.as_str(), err.path.as_str()), ("structure", path));
    let err = survey(&def, &sheet, r#"{"format":"xlsx"}"#).unwrap_err();
    assert_eq!(err.path, "$options.format");
    // Grouping by another column: the strata become the units.
    let r = json(&survey(&def, &sheet, r#"{"by":"stratum"}"#).unwrap());
    let names: Vec<&str> = r["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["unit"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["thôn 1", "thôn 2"]);
}
