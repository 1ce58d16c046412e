//! Runs the built `chiso` binary: every subcommand, every format, languages, layers,
//! exit codes, and garbage inputs that must be refused without a panic.
//!
//! Numbers checked here are worked by hand from the small index below (see the
//! comments next to each figure), not copied from the program's output.

use chiso::Decimal;
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

fn code(o: &Output) -> i32 {
    o.status
        .code()
        .expect("exited normally, not killed by a signal")
}

/// Exit code `want`, and never a panic.
fn expect(o: &Output, want: i32) {
    let err = stderr(o);
    assert!(!err.contains("panicked"), "panic:\n{err}");
    assert_eq!(code(o), want, "stdout:\n{}\nstderr:\n{err}", stdout(o));
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn example(suffix: &str) -> String {
    repo()
        .join(format!("criteria/examples/department-example{suffix}"))
        .display()
        .to_string()
}

/// A scratch folder for one test.
fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("chiso-cli-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn write(dir: &Path, name: &str, content: impl AsRef<[u8]>) -> String {
    let p = dir.join(name);
    std::fs::write(&p, content).unwrap();
    p.display().to_string()
}

/// A small index worked by hand (illustrative numbers, not an official set).
const INDEX: &str = r#"{
  "format": "chiso.index/1", "id": "cli-test", "version": "1",
  "title": {"vi": "Bộ chỉ số thử", "en": "Test index"},
  "legal_basis": [{"decision": "0/TEST", "issuer": "test", "url": "https://example.invalid"}],
  "unit_levels": ["department"], "years": {"from": 2024}, "completeness": "example",
  "max_points": "10",
  "bands": [
    {"code": "A", "label": {"vi": "Tốt", "en": "Good"}, "range": {"from": {"value": "80", "inclusive": true}}},
    {"code": "B", "label": {"vi": "Khá", "en": "Fair"}, "range": {"to": {"value": "80", "inclusive": false}}}
  ],
  "adjustments": [{"code": "bonus", "title": {"vi": "Điểm thưởng", "en": "Bonus"}, "kind": "bonus", "cap": "1"}],
  "nodes": [
    {"code": "1", "title": {"vi": "Chỉ đạo, điều hành", "en": "Direction"}, "max_points": "6", "children": [
      {"code": "1.1", "title": {"vi": "Kế hoạch CCHC", "en": "PAR plan"}, "max_points": "1",
       "scoring_text": {"vi": "Ban hành kịp thời: 1 / không kịp thời: 0,5 / Không ban hành: 0", "en": "On time: 1 / late: 0.5 / not issued: 0"},
       "evidence": [{"vi": "Kế hoạch CCHC", "en": "PAR plan"}],
       "rule": {"type": "timeliness", "on_time": {"label": {"vi": "Ban hành kịp thời"}, "points": "1"},
         "late": {"label": {"vi": "không kịp thời"}, "points": "0.5"}, "not_done": {"label": {"vi": "Không ban hành"}, "points": "0"}}},
      {"code": "1.2", "title": {"vi": "Tỷ lệ hoàn thành", "en": "Completion rate"}, "max_points": "2",
       "rule": {"type": "tiers", "measure": "percent", "tiers": [
         {"range": {"from": {"value": "90", "inclusive": false}}, "label": {"vi": "trên 90%"}, "points": "2"},
         {"range": {"from": {"value": "70", "inclusive": true}, "to": {"value": "90", "inclusive": true}}, "label": {"vi": "từ 70% - 90%"}, "points": "1"},
         {"range": {"to": {"value": "70", "inclusive": false}}, "label": {"vi": "dưới 70%"}, "points": "0"}]}},
      {"code": "1.3", "title": {"vi": "Hồ sơ đúng hạn", "en": "Dossiers on time"}, "max_points": "3",
       "rule": {"type": "proportional", "zero_denominator": "full_marks"}}
    ]},
    {"code": "2", "title": {"vi": "Thủ tục hành chính", "en": "Procedures"}, "max_points": "4",
     "aggregation": {"method": "weighted_sum", "weights": {"2.1": "1", "2.2": "1"}}, "children": [
      {"code": "2.1", "title": {"vi": "Mức độ", "en": "Level"}, "max_points": "2.5",
       "rule": {"type": "levels", "levels": [
         {"key": "good", "label": {"vi": "Thực hiện tốt", "en": "Done well"}, "points": "2.5"},
         {"key": "ok", "label": {"vi": "Có thực hiện", "en": "Done"}, "points": "1"},
         {"key": "no", "label": {"vi": "Không thực hiện", "en": "Not done"}, "points": "0"}]}},
      {"code": "2.2", "title": {"vi": "Hội đồng chấm", "en": "Council judgement"}, "max_points": "1.5",
       "rule": {"type": "discretionary", "step": "0.25"}}
    ]}
  ]
}"#;

/// Hand-worked scores:
/// - 1.1: self on_time = 1; appraisal round 1 late = 0.5 → final 0.5, appraised 0.5.
/// - 1.2: 19/20 = 95% > 90% → 2 (self only; the council did not re-score it, so the
///   appraised view recognises the self score: 2).
/// - 1.3: 3 × 2/3 = 2 (self only).
/// - 2.1: self good = 2.5; appraisal round 2 ok = 1 → final 1.
/// - 2.2: self 1.25.
/// - node 1 final 0.5 + 2 + 2 = 4.5; node 2 final 1 + 1.25 = 2.25; criteria 6.75;
///   bonus (appraisal round 1) 0.5 → total 7.25 of 10 = 72.5% → band B.
/// - self view: 1 + 2 + 2 + 2.5 + 1.25 = 8.75, no self bonus → 8.75 = 87.5% → band A.
/// - appraised view (appraisal recognises or adjusts the self score): 0.5 + 2 + 2 + 1 + 1.25
///   = 6.75, bonus 0.5 → 7.25 (the same as final once appraisal has started).
const ASSESSMENT: &str = r#"{
  "format": "chiso.assessment/1", "index": "cli-test", "unit": {"name": "Sở Tư pháp"}, "year": 2024,
  "entries": {
    "1.1": {"self": {"value": {"option": "on_time"}, "evidence": [{"title": "Kế hoạch CCHC năm 2024", "number": "12/KH-STP"}], "note": "đã ban hành"},
            "appraisal_1": {"value": {"option": "late"}, "note": "ban hành trễ hạn"}},
    "1.2": {"self": {"value": {"ratio": {"numerator": "19", "denominator": "20"}}}},
    "1.3": {"self": {"value": {"ratio": {"numerator": "2", "denominator": "3"}}}},
    "2.1": {"self": {"value": {"option": "good"}}, "appraisal_2": {"value": {"option": "ok"}}},
    "2.2": {"self": {"value": {"points": "1.25"}}}
  },
  "adjustments": {"bonus": {"appraisal_1": {"value": {"points": "0.5"}}}}
}"#;

fn fixture(name: &str) -> (PathBuf, String, String) {
    let d = scratch(name);
    let i = write(&d, "index.json", INDEX);
    let a = write(&d, "index.assessment.json", ASSESSMENT);
    (d, i, a)
}

fn dec(s: &str) -> Decimal {
    s.parse().unwrap_or_else(|_| panic!("not a decimal: {s:?}"))
}

fn csv_rows(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header = r.headers().unwrap().iter().map(str::to_owned).collect();
    let rows = r
        .records()
        .map(|x| x.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (header, rows)
}

fn row<'a>(rows: &'a [Vec<String>], code: &str) -> &'a [String] {
    rows.iter()
        .find(|r| r[0] == code)
        .unwrap_or_else(|| panic!("no row {code}"))
}

const HEADER: &str = "code,parent,depth,title,max_points,applicable_max,self,appraised,final,achieved,percent,status,source";

// ------------------------------------------------------------------ validate

#[test]
fn validate_example_files() {
    let o = chiso(&["validate", &example(".json"), &example(".assessment.json")]);
    expect(&o, 0);
    assert_eq!(
        stdout(&o).lines().filter(|l| l.starts_with("OK ")).count(),
        2,
        "{}",
        stdout(&o)
    );
}

#[test]
fn validate_index_alone() {
    let (_d, i, _) = fixture("validate-alone");
    let o = chiso(&["--lang", "en", "validate", &i]);
    expect(&o, 0);
    // 7 nodes below the root, 5 of them leaves.
    assert!(
        stdout(&o).contains("7 criteria (5 scored directly)"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn validate_reports_every_error_with_file_path_and_code() {
    let (d, i, a) = fixture("validate-errors");
    let bad = write(
        &d,
        "bad.assessment.json",
        r#"{"format":"chiso.assessment/1","index":"other","unit":{"name":"x"},
            "entries":{"1":{"self":{"value":{"points":"1"}}},"9.9":{"self":{"value":{"yes_no":true}}},
                       "2.2":{"self":{"value":{"points":"0.3"}}}}}"#,
    );
    let o = chiso(&["--lang", "en", "validate", &i, &bad, &a]);
    expect(&o, 1);
    let err = stderr(&o);
    for needle in [
        "bad.assessment.json: error at $.index",
        "$.entries[\"1\"] (criterion 1)",
        "$.entries[\"9.9\"] (criterion 9.9)",
        "$.entries[\"2.2\"].self.value (criterion 2.2)",
        "4 errors",
    ] {
        assert!(err.contains(needle), "missing {needle:?} in:\n{err}");
    }
    // The good assessment is still checked and reported OK.
    assert!(
        stdout(&o).contains("OK ") && stdout(&o).contains("index.assessment.json"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn validate_warnings_do_not_fail() {
    let d = scratch("validate-warning");
    // "trên 90%" and "từ 70% đến dưới 90%" leave exactly 90% uncovered: a warning.
    let text = INDEX.replace(
        r#""to": {"value": "90", "inclusive": true}}, "label": {"vi": "từ 70% - 90%"}"#,
        r#""to": {"value": "90", "inclusive": false}}, "label": {"vi": "từ 70% đến dưới 90%"}"#,
    );
    assert_ne!(text, INDEX);
    let i = write(&d, "gap.json", text);
    let o = chiso(&["validate", &i]);
    expect(&o, 0);
    assert!(
        stderr(&o).contains("cảnh báo") && stderr(&o).contains("(tiêu chí 1.2)"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn validate_broken_index_skips_assessments() {
    let (d, _, a) = fixture("validate-broken");
    let i = write(&d, "broken.json", "{\"format\": \"chiso.index/1\"");
    let o = chiso(&["--lang", "en", "validate", &i, &a]);
    expect(&o, 1);
    assert!(
        stderr(&o).contains("broken.json: error at $"),
        "{}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains("not checked because the index has errors"),
        "{}",
        stderr(&o)
    );
}

// ------------------------------------------------------------------ score

#[test]
fn score_table_vietnamese_by_default() {
    let (_d, i, a) = fixture("table-vi");
    let o = chiso(&["score", &i, &a]);
    expect(&o, 0);
    let out = stdout(&o);
    for needle in [
        "Tiêu chí",
        "Tự chấm",
        "Thẩm định",
        "Cuối cùng",
        "Chỉ đạo, điều hành",
        "7,25",  // total
        "72,50", // percent
        "6,75",  // criteria points
        "+0,50", // bonus
        "8,75",  // self total
        "Khá",   // band B
        "Số liệu làm tròn 2 chữ số thập phân (làm tròn nửa lên); tính toán dùng giá trị chính xác.",
    ] {
        assert!(out.contains(needle), "missing {needle:?} in:\n{out}");
    }
    // Tree indentation: 1.1 is one level below 1.
    assert!(out.lines().any(|l| l.contains("  1.1 ")), "{out}");
}

#[test]
fn score_table_english() {
    let (_d, i, a) = fixture("table-en");
    let o = chiso(&["--lang", "en", "score", &i, &a]);
    expect(&o, 0);
    let out = stdout(&o);
    for needle in [
        "Criterion",
        "Direction",
        "PAR plan",
        "7.25",
        "72.50",
        "Fair",
        "rounded to 2 decimal places",
    ] {
        assert!(out.contains(needle), "missing {needle:?} in:\n{out}");
    }
}

#[test]
fn score_layer_self() {
    let (_d, i, a) = fixture("layer-self");
    let o = chiso(&["score", &i, &a, "--layer", "self", "--format", "csv"]);
    expect(&o, 0);
    let (_, rows) = csv_rows(&stdout(&o));
    let total = row(&rows, "total");
    assert_eq!(dec(&total[9]), dec("8.75"), "achieved in the self view");
    assert_eq!(dec(&total[10]), dec("87.5"));
    let r11 = row(&rows, "1.1");
    assert_eq!((dec(&r11[9]), r11[12].as_str()), (dec("1"), "self"));
    let t = chiso(&["score", &i, &a, "--layer", "self"]);
    expect(&t, 0);
    assert!(
        stdout(&t).contains("Tốt"),
        "band A in the self view:\n{}",
        stdout(&t)
    );
}

#[test]
fn score_layer_appraised() {
    let (_d, i, a) = fixture("layer-appraised");
    let o = chiso(&["score", &i, &a, "--layer", "appraised", "--format", "json"]);
    expect(&o, 0);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["view"], "appraised");
    assert_eq!(dec(v["total"]["achieved"].as_str().unwrap()), dec("7.25"));

    // Before any appraisal round exists, the appraised view has no value at all (not 0).
    let mut only_self: serde_json::Value = serde_json::from_str(ASSESSMENT).unwrap();
    for (_, e) in only_self["entries"].as_object_mut().unwrap() {
        let e = e.as_object_mut().unwrap();
        e.remove("appraisal_1");
        e.remove("appraisal_2");
    }
    only_self["adjustments"] = serde_json::json!({});
    let d = scratch("not-appraised");
    let a2 = write(&d, "a.json", only_self.to_string());
    let o = chiso(&["score", &i, &a2, "--layer", "appraised", "--format", "json"]);
    expect(&o, 0);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(v["total"]["achieved"].is_null(), "{}", v["total"]);
    assert_eq!(
        dec(v["total"]["self_points"].as_str().unwrap()),
        dec("8.75")
    );
    assert_eq!(
        dec(v["total"]["final_points"].as_str().unwrap()),
        dec("8.75")
    );
}

#[test]
fn score_csv_is_exact_and_stable() {
    let (_d, i, a) = fixture("csv");
    let o = chiso(&["score", &i, &a, "--format", "csv"]);
    expect(&o, 0);
    let text = stdout(&o);
    assert_eq!(text.lines().next(), Some(HEADER));
    let (header, rows) = csv_rows(&text);
    assert_eq!(header.join(","), HEADER);
    let codes: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        codes,
        ["1", "1.1", "1.2", "1.3", "2", "2.1", "2.2", "total"]
    );
    // code,parent,depth,title,max,applicable,self,appraised,final,achieved,percent,status,source
    let expect_row = |code: &str,
                      parent: &str,
                      depth: &str,
                      max: &str,
                      s: &str,
                      ap: &str,
                      f: &str,
                      source: &str| {
        let r = row(&rows, code);
        assert_eq!((r[1].as_str(), r[2].as_str()), (parent, depth), "{code}");
        assert_eq!(dec(&r[4]), dec(max), "{code} max");
        assert_eq!(
            (dec(&r[6]), dec(&r[7]), dec(&r[8]), dec(&r[9])),
            (dec(s), dec(ap), dec(f), dec(f)),
            "{code}"
        );
        assert_eq!(r[11], "scored", "{code}");
        assert_eq!(r[12], source, "{code}");
    };
    expect_row("1", "", "1", "6", "5", "4.5", "4.5", "");
    expect_row("1.1", "1", "2", "1", "1", "0.5", "0.5", "appraisal_1");
    expect_row("1.2", "1", "2", "2", "2", "2", "2", "self");
    expect_row("1.3", "1", "2", "3", "2", "2", "2", "self");
    expect_row("2", "", "1", "4", "3.75", "2.25", "2.25", "");
    expect_row("2.1", "2", "2", "2.5", "2.5", "1", "1", "appraisal_2");
    expect_row("2.2", "2", "2", "1.5", "1.25", "1.25", "1.25", "self");
    // 1.3 is 2/3 of its maximum: the percent is exact, not rounded to 2 places.
    let p13 = dec(&row(&rows, "1.3")[10]);
    assert!(p13 > dec("66.666666") && p13 < dec("66.666667"), "{p13}");
    let total = row(&rows, "total");
    assert_eq!(
        (total[2].as_str(), total[3].as_str()),
        ("0", "Bộ chỉ số thử")
    );
    assert_eq!(
        (dec(&total[6]), dec(&total[7]), dec(&total[8])),
        (dec("8.75"), dec("7.25"), dec("7.25"))
    );
    assert_eq!(
        (dec(&total[9]), dec(&total[10])),
        (dec("7.25"), dec("72.5"))
    );
    // English titles with --lang en; numbers unchanged.
    let en = chiso(&["--lang", "en", "score", &i, &a, "--format", "csv"]);
    expect(&en, 0);
    let (_, en_rows) = csv_rows(&stdout(&en));
    assert_eq!(row(&en_rows, "1")[3], "Direction");
    assert_eq!(row(&en_rows, "total")[9], total[9]);
}

#[test]
fn score_json_is_the_full_result() {
    let (_d, i, a) = fixture("json");
    let o = chiso(&["score", &i, &a, "--format", "json"]);
    expect(&o, 0);
    let text = stdout(&o);
    let r: chiso::ScoreResult = serde_json::from_str(&text).expect("json output is a ScoreResult");
    assert_eq!(r.format, "chiso.result/1");
    assert_eq!(r.index, "cli-test");
    assert_eq!(r.total.achieved, Some(dec("7.25")));
    assert_eq!(r.total.criteria_points, Some(dec("6.75")));
    assert_eq!(r.total.band.as_ref().map(|b| b.code.as_str()), Some("B"));
    assert_eq!(r.nodes.len(), 7);
    // Decimals are strings, so nothing is lost to floating point.
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert!(v["total"]["achieved"].is_string());
    // Identical to what the library produces.
    let index = chiso::Index::from_file(Path::new(&i)).unwrap();
    let assessment = chiso::load::assessment(&std::fs::read_to_string(&a).unwrap()).unwrap();
    let lib = index.score(&assessment, chiso::View::Final).unwrap();
    assert_eq!(
        text,
        format!("{}\n", serde_json::to_string_pretty(&lib).unwrap())
    );
}

#[test]
fn score_markdown() {
    let (_d, i, a) = fixture("md");
    let o = chiso(&["score", &i, &a, "--format", "md"]);
    expect(&o, 0);
    let out = stdout(&o);
    assert!(
        out.contains(
            "| Mã | Tiêu chí | Tối đa | Tự chấm | Thẩm định | Cuối cùng | % | Trạng thái |"
        ),
        "{out}"
    );
    assert!(out.contains("| --- | --- | ---: |"), "{out}");
    let table_rows = out.lines().filter(|l| l.starts_with("| ")).count();
    // header, separator, 7 nodes, then criteria, bonus, total, percent, band
    assert_eq!(table_rows, 2 + 7 + 5, "{out}");
    assert!(
        out.contains("| 7,25 |") && out.contains("| 72,50 |"),
        "{out}"
    );
    assert!(out.contains("làm tròn nửa lên"), "{out}");
}

#[test]
fn score_example_files_in_every_format() {
    let (i, a) = (example(".json"), example(".assessment.json"));
    for format in ["table", "json", "csv", "md"] {
        for lang in ["vi", "en"] {
            let o = chiso(&["--lang", lang, "score", &i, &a, "--format", format]);
            expect(&o, 0);
            assert!(!stdout(&o).is_empty(), "{format} {lang}");
        }
    }
    // csv and json agree exactly on every node.
    let json = chiso(&["score", &i, &a, "--format", "json"]);
    let r: chiso::ScoreResult = serde_json::from_str(&stdout(&json)).unwrap();
    let csv = chiso(&["score", &i, &a, "--format", "csv"]);
    let (_, rows) = csv_rows(&stdout(&csv));
    assert_eq!(rows.len(), r.nodes.len() + 1);
    for n in &r.nodes {
        let x = row(&rows, &n.code);
        let cell = |s: &str| (!s.is_empty()).then(|| dec(s));
        assert_eq!(cell(&x[8]), n.final_points, "{}", n.code);
        assert_eq!(cell(&x[9]), n.achieved, "{}", n.code);
        assert_eq!(cell(&x[10]), n.percent, "{}", n.code);
    }
    assert_eq!(
        row(&rows, "total")[9].parse::<Decimal>().ok(),
        r.total.achieved
    );
}

#[test]
fn score_help_documents_the_machine_formats() {
    let o = chiso(&["score", "--help"]);
    expect(&o, 0);
    assert!(stdout(&o).contains(HEADER), "{}", stdout(&o));
    assert!(stdout(&o).contains("chiso.result/1"), "{}", stdout(&o));
}

// ------------------------------------------------------------------ explain

#[test]
fn explain_leaf() {
    let (_d, i, a) = fixture("explain-leaf");
    let o = chiso(&["explain", &i, &a, "1.1"]);
    expect(&o, 0);
    let out = stdout(&o);
    for needle in [
        "Tiêu chí 1.1: Kế hoạch CCHC",
        "Ban hành kịp thời: 1 / không kịp thời: 0,5 / Không ban hành: 0", // verbatim
        "tự chấm",
        "thẩm định lần 1",
        "Kế hoạch CCHC năm 2024 (12/KH-STP)", // evidence ref
        "đã ban hành",                        // note
        "ban hành trễ hạn",                   // appraiser's note
        "Lớp điểm được dùng: thẩm định lần 1",
        "Điểm cuối cùng: 0,5 / 1",
    ] {
        assert!(out.contains(needle), "missing {needle:?} in:\n{out}");
    }
    let en = chiso(&["--lang", "en", "explain", &i, &a, "1.1"]);
    expect(&en, 0);
    assert!(
        stdout(&en).contains("Layer used: appraisal round 1"),
        "{}",
        stdout(&en)
    );
    assert!(
        stdout(&en).contains("On time: 1 / late: 0.5 / not issued: 0"),
        "{}",
        stdout(&en)
    );
}

#[test]
fn explain_parent() {
    let (_d, i, a) = fixture("explain-parent");
    let o = chiso(&["--lang", "en", "explain", &i, &a, "2"]);
    expect(&o, 0);
    let out = stdout(&o);
    for needle in [
        "Criterion 2: Procedures",
        "weighted sum",
        "2.1 Level",
        "2.2 Council judgement",
        "1 × 1 + 1 × 1.25 = 2.25",
        "2.25 / 4",
    ] {
        assert!(out.contains(needle), "missing {needle:?} in:\n{out}");
    }
    let total = chiso(&["explain", &i, &a, "total"]);
    expect(&total, 0);
    assert!(
        stdout(&total).contains("4,5 + 2,25 = 6,75"),
        "{}",
        stdout(&total)
    );
    assert!(
        stdout(&total).contains("Tổng điểm: 7,25"),
        "{}",
        stdout(&total)
    );
}

#[test]
fn explain_example_leaf_and_parent() {
    for code in ["1.1.1", "1.1", "2.4", "total"] {
        let o = chiso(&[
            "explain",
            &example(".json"),
            &example(".assessment.json"),
            code,
        ]);
        expect(&o, 0);
        assert!(
            stdout(&o).contains(code) || code == "total",
            "{code}: {}",
            stdout(&o)
        );
    }
}

#[test]
fn explain_unknown_code() {
    let (_d, i, a) = fixture("explain-unknown");
    let o = chiso(&["explain", &i, &a, "7.7.7"]);
    expect(&o, 1);
    assert!(stderr(&o).contains("\"7.7.7\""), "{}", stderr(&o));
}

// ------------------------------------------------------------------ schema

#[test]
fn schema_documents_match_the_checked_in_files() {
    for doc in ["index", "assessment", "result"] {
        let o = chiso(&["schema", doc]);
        expect(&o, 0);
        let file =
            std::fs::read_to_string(repo().join(format!("criteria/schema/{doc}.schema.json")))
                .unwrap();
        assert_eq!(stdout(&o), file, "{doc}");
    }
}

#[test]
fn schema_unknown_document_is_usage() {
    let o = chiso(&["schema", "everything"]);
    expect(&o, 2);
    assert!(
        stderr(&o).contains("\"everything\"")
            && chiso::schema::Document::ALL
                .iter()
                .all(|d| stderr(&o).contains(d.name())),
        "{}",
        stderr(&o)
    );
}

// ------------------------------------------------------------------ usage

#[test]
fn usage_errors_exit_2() {
    let (_d, i, a) = fixture("usage");
    for args in [
        vec![],
        vec!["frobnicate"],
        vec!["score"],
        vec!["score", &i],
        vec!["score", &i, &a, "--format", "xml"],
        vec!["score", &i, &a, "--layer", "best"],
        vec!["--lang", "fr", "validate", &i],
        vec!["explain", &i, &a],
    ] {
        let o = chiso(&args);
        expect(&o, 2);
    }
    expect(&chiso(&["--help"]), 0);
    expect(&chiso(&["--version"]), 0);
}

// ------------------------------------------------------------------ garbage

#[test]
fn garbage_inputs_are_refused_without_panic() {
    let (d, i, a) = fixture("garbage");
    let mut deep_nodes =
        String::from(r#"{"code": "x", "title": {"vi": "x"}, "rule": {"type": "discretionary"}}"#);
    for k in 0..40 {
        deep_nodes =
            format!(r#"{{"code": "n{k}", "title": {{"vi": "n"}}, "children": [{deep_nodes}]}}"#);
    }
    let deep_tree = INDEX.replace(r#""nodes": ["#, &format!(r#""nodes": [{deep_nodes},"#));
    let bad: Vec<(&str, Vec<u8>)> = vec![
        ("empty.json", Vec::new()),
        ("spaces.json", b"   \n ".to_vec()),
        ("binary.bin", (0..=255u8).cycle().take(4096).collect()),
        (
            "latin1.json",
            b"{\"format\": \"chiso.index/1\", \"id\": \"S\xe1\"}".to_vec(),
        ),
        (
            "huge-number.json",
            INDEX
                .replace("\"max_points\": \"10\"", "\"max_points\": 1e999")
                .into_bytes(),
        ),
        (
            "huge-string-number.json",
            INDEX
                .replace("\"max_points\": \"10\"", "\"max_points\": \"1e999\"")
                .into_bytes(),
        ),
        (
            "long-decimal.json",
            INDEX
                .replace(
                    "\"max_points\": \"10\"",
                    "\"max_points\": \"99999999999999999999999999999999999\"",
                )
                .into_bytes(),
        ),
        (
            "deep-json.json",
            format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)).into_bytes(),
        ),
        ("deep-tree.json", deep_tree.into_bytes()),
        ("array.json", b"[1, 2, 3]".to_vec()),
        ("null.json", b"null".to_vec()),
        ("string.json", b"\"chiso\"".to_vec()),
        (
            "truncated.json",
            INDEX.as_bytes()[..INDEX.len() / 2].to_vec(),
        ),
    ];
    // A byte order mark is recognised and skipped (issue 12): not garbage.
    let bom = write(
        &d,
        "bom.json",
        [b"\xef\xbb\xbf".as_slice(), INDEX.as_bytes()].concat(),
    );
    expect(&chiso(&["validate", &bom]), 0);
    let dir = d.display().to_string();
    let missing = d.join("does-not-exist.json").display().to_string();
    let mut paths: Vec<String> = bad.iter().map(|(n, c)| write(&d, n, c)).collect();
    paths.push(dir.clone());
    paths.push(missing);
    for p in &paths {
        for args in [
            vec!["validate", p.as_str()],
            vec!["validate", &i, p.as_str()],
            vec!["score", p.as_str(), &a],
            vec!["score", &i, p.as_str(), "--format", "json"],
            vec!["explain", &i, p.as_str(), "1.1"],
            vec!["--lang", "en", "score", &i, p.as_str(), "--format", "csv"],
        ] {
            let o = chiso(&args);
            expect(&o, 1);
            let err = stderr(&o);
            assert!(!err.trim().is_empty(), "{args:?}: no message");
            // The message names the offending file.
            let name = Path::new(p)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            assert!(
                err.contains(&name),
                "{args:?}: message does not name {name}:\n{err}"
            );
        }
    }
}

#[test]
fn garbage_values_in_an_assessment() {
    let (d, i, _) = fixture("garbage-values");
    let cases = [
        r#"{"1.2": {"self": {"value": {"percent": "1e999"}}}}"#,
        r#"{"1.2": {"self": {"value": {"percent": 1e999}}}}"#,
        r#"{"1.2": {"self": {"value": {"percent": "-0"}}}}"#,
        r#"{"1.3": {"self": {"value": {"ratio": {"numerator": "79228162514264337593543950335", "denominator": "0.0000000000000000000000000001"}}}}}"#,
        r#"{"2.2": {"self": {"value": {"points": "79228162514264337593543950335"}}}}"#,
        r#"{"1.1": {"self": {"value": {"option": ""}}}}"#,
        r#"{"1.1": {"self": {"value": null}}}"#,
        r#"{"1.1": {"self": {"value": {"option": "on_time", "points": "1"}}}}"#,
        r#"{"": {"self": {"value": {"yes_no": true}}}}"#,
    ];
    for (k, entries) in cases.iter().enumerate() {
        let text = format!(
            r#"{{"format": "chiso.assessment/1", "index": "cli-test", "unit": {{"name": "x"}}, "entries": {entries}}}"#
        );
        let a = write(&d, &format!("case{k}.assessment.json"), text);
        for format in ["table", "json"] {
            let o = chiso(&["score", &i, &a, "--format", format]);
            let err = stderr(&o);
            assert!(!err.contains("panicked"), "case {k}: {err}");
            // "-0" percent is a valid value (0%); everything else is refused.
            if k == 2 {
                expect(&o, 0);
            } else {
                expect(&o, 1);
                assert!(
                    err.contains(&format!("case{k}.assessment.json")),
                    "case {k}: {err}"
                );
            }
        }
    }
}

#[test]
fn a_closed_pipe_is_not_an_error_but_a_full_disk_is() {
    use std::process::Stdio;
    let d = scratch("pipe");
    let index = write(
        &d,
        "i.json",
        r#"{"format":"chiso.index/1","id":"t","title":{"vi":"Thử"},"version":"1","legal_basis":[],
        "unit_levels":["province"],"years":{"from":2024},"completeness":"example",
        "nodes":[{"code":"A","title":{"vi":"A"},"max_points":"10","rule":{"type":"score"}}]}"#,
    );
    // 50,000 units: far more output than a pipe holds, so the write meets the closed pipe.
    let mut csv = String::from("unit,A\n");
    for i in 0..50_000 {
        csv.push_str(&format!("U{i},{}\n", i % 10));
    }
    let units = write(&d, "u.csv", csv);
    for args in [
        vec!["batch", index.as_str(), units.as_str()],
        vec!["batch", index.as_str(), units.as_str(), "--format", "table"],
        vec!["schema", "index"],
    ] {
        // `chiso … | head -c 10`: the reader stops; chiso ends quietly with 0.
        let mut child = Command::new(env!("CARGO_BIN_EXE_chiso"))
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = [0u8; 10];
        let mut out = child.stdout.take().unwrap();
        let _ = std::io::Read::read_exact(&mut out, &mut first);
        drop(out);
        let o = child.wait_with_output().unwrap();
        expect(&o, 0);
        assert!(o.stderr.is_empty(), "{args:?}: {}", stderr(&o));
        // The same command with stdout on a full disk: exit 1, worded as a write failure.
        if Path::new("/dev/full").exists() {
            let full = std::fs::OpenOptions::new()
                .write(true)
                .open("/dev/full")
                .unwrap();
            let o = Command::new(env!("CARGO_BIN_EXE_chiso"))
                .args(["--lang", "en"])
                .args(&args)
                .stdout(full)
                .output()
                .unwrap();
            expect(&o, 1);
            let err = stderr(&o);
            assert!(
                err.starts_with("standard output: error at $: cannot write the output"),
                "{args:?}: {err}"
            );
            assert!(!err.contains("read"), "{args:?}: {err}");
        }
    }
}
