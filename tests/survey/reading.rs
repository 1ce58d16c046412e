//! Reading answer sheets: CSV, JSON lines and rows agree; located errors, bounded.

#![allow(clippy::unwrap_used)]
use super::*;

// ---------------------------------------------------------------------------
// Reading: formats and located errors

#[test]
fn csv_json_lines_and_rows_read_the_same() {
    let s = mini(|_| {});
    let from_csv = run(&s, MINI).unwrap();
    let mut jsonl = String::new();
    let mut rows = Vec::new();
    let mut lines = MINI.lines();
    let header: Vec<String> = lines
        .next()
        .unwrap()
        .split(',')
        .map(str::to_owned)
        .collect();
    for (i, line) in lines.enumerate() {
        let cells: Vec<&str> = line.split(',').collect();
        let mut obj = serde_json::Map::new();
        for (h, c) in header.iter().zip(&cells) {
            let v = match c.parse::<u64>() {
                Ok(n) => json!(n),
                Err(_) if c.is_empty() => Json::Null,
                Err(_) => json!(c),
            };
            obj.insert(h.clone(), v);
        }
        jsonl.push_str(&Json::Object(obj).to_string());
        jsonl.push('\n');
        rows.push((i as u64 + 2, cells.iter().map(|c| c.to_string()).collect()));
    }
    let a = read_json_lines(&s, jsonl.as_bytes(), &ReadOptions::default()).unwrap();
    assert_eq!(estimate(&s, &a).unwrap(), from_csv);
    let a = read_rows(&s, &header, rows, &ReadOptions::default()).unwrap();
    assert_eq!(estimate(&s, &a).unwrap(), from_csv);
}

/// Every kind of bad row at once, in both languages.
fn messages(e: &SurveyError) -> String {
    format!("{}\n---\n{}", e.render(Lang::Vi), e.render(Lang::En))
}

#[test]
fn bad_rows_are_all_reported_with_row_column_and_respondent() {
    let csv = "\
id,unit,weight,a,b,c,d,e,note
r1,X,1,5,4,3,2,4,ok
r2,X,1,4,2,5,4,,no answer is fine
r1,X,1,3,5,4,5,5,duplicate id
,X,1,1,4,4,3,2,no id
r5,,1,5,5,5,5,5,no unit
r6,Y,0,4,3,4,4,4,zero weight
r7,Y,abc,4,3,4,4,4,weight not a number
r8,Y,1.5,7,3,x,4,4,off scale and not an answer
r9,Y,1,4,3
r10,Y,2000000,4,4,4,4,4,weight too large
r11,Y,0.0000000000001,4,4,4,4,4,too many decimals
r1,Y,1,4,4,4,4,4,same id in another unit is allowed
";
    let e = run(&mini(|_| {}), csv).unwrap_err();
    let SurveyError::Input { errors, total, .. } = &e else {
        panic!("{e}")
    };
    assert_eq!(*total, 10);
    let rows: Vec<u64> = errors.iter().map(|e| e.row).collect();
    assert_eq!(rows, [4, 5, 6, 7, 8, 9, 9, 10, 11, 12]);
    assert_eq!(errors[0].problem.code(), "survey_duplicate_respondent");
    assert_eq!(errors[0].respondent.as_deref(), Some("r1"));
    // As a diagnostic: a structured location, the code, messages in one language each.
    let d = errors[5].to_diagnostic("answers.csv");
    assert_eq!(
        d.location,
        Some(chiso::diagnostics::Location::row(9).column("a"))
    );
    assert_eq!(d.path, "row 9, column \"a\"");
    assert_eq!(d.problem.stable_code(), errors[5].problem.code());
    let vi = d.message(Lang::Vi);
    assert!(
        vi.starts_with("answers.csv: lỗi tại dòng 9, cột \"a\": giá trị \"7\": "),
        "{vi}"
    );
    assert!(!vi.contains("row") && !vi.contains("is not"), "{vi}");
    assert!(d
        .message(Lang::En)
        .starts_with("answers.csv: error at row 9, column \"a\": the value \"7\": "));
    insta::assert_snapshot!("bad_rows", messages(&e));
}

#[test]
fn missing_and_duplicated_columns_are_reported_together() {
    let csv = "id,a,b,c,d,b\nr1,5,4,3,2,4\n";
    let e = run(&mini(|_| {}), csv).unwrap_err();
    insta::assert_snapshot!("missing_columns", messages(&e));
    let SurveyError::Input { total, .. } = e else {
        panic!()
    };
    // `b` twice, `unit` and `e` missing.
    assert_eq!(total, 3);
}

#[test]
fn errors_are_bounded_and_counted() {
    let mut csv = String::from("id,unit,a,b,c,d,e\n");
    for i in 0..120 {
        csv.push_str(&format!("r{i},X,9,4,4,4,4\n"));
    }
    let s = mini(|_| {});
    let opts = ReadOptions {
        source: "big.csv".into(),
        max_errors: 5,
        ..Default::default()
    };
    let e = read_csv(&s, csv.as_bytes(), &opts).unwrap_err();
    let text = e.render(Lang::En);
    assert_eq!(text.lines().count(), 6);
    assert!(
        text.ends_with("… and 115 more errors (120 in all)"),
        "{text}"
    );
    assert!(e
        .render(Lang::Vi)
        .ends_with("… và 115 lỗi khác (120 lỗi tất cả)"));
    // The same as diagnostics: five located rows, then the count on the whole sheet.
    let d = e.diagnostics();
    assert_eq!(d.len(), 6);
    assert!(d.0[..5]
        .iter()
        .all(|x| x.problem.stable_code() == "survey_off_scale"
            || x.problem.stable_code() == "survey_not_an_answer"));
    assert_eq!(d.0[5].problem.stable_code(), "survey_more_errors");
    assert_eq!(d.0[5].location, Some(chiso::diagnostics::Location::File));
    assert_eq!(
        d.0[5].message(Lang::Vi),
        "big.csv: lỗi: … và 115 lỗi khác (120 lỗi tất cả) [survey_more_errors]"
    );
}

#[test]
fn bad_json_lines() {
    let s = mini(|_| {});
    let text = r#"{"id": "r1", "unit": "X", "a": 5, "b": 4, "c": 3, "d": 2}
{"id": "r2", "unit": "X", "a": 4, "a": 5, "b": 4, "c": 3, "d": 2}
not json
[1, 2]
{"id": "r3", "unit": "X", "a": [1], "b": true, "c": 3, "d": 2}
{"id": "r4", "unit": "X", "weight": "2", "a": 4, "b": 4, "c": 3, "d": 2}
"#;
    let opts = ReadOptions {
        source: "answers.jsonl".into(),
        ..Default::default()
    };
    let e = read_json_lines(&s, text.as_bytes(), &opts).unwrap_err();
    insta::assert_snapshot!("bad_json_lines", messages(&e));
    let SurveyError::Input { errors, .. } = &e else {
        panic!()
    };
    // Item e is in no line (row 0, first); then lines 2–6 in order.
    assert_eq!(errors[0].problem.code(), "survey_item_never_present");
    let rows: Vec<u64> = errors.iter().map(|e| e.row).collect();
    assert_eq!(rows, [0, 2, 3, 4, 5, 5, 6]);
}

#[test]
fn json_lines_errors_are_bounded_too() {
    let s = mini(|_| {});
    let opts = ReadOptions {
        source: "junk.jsonl".into(),
        max_errors: 2,
        ..Default::default()
    };
    // Three lines that are not objects, then nothing valid: no header either.
    let e = read_json_lines(&s, "1\n2\n3\n".as_bytes(), &opts).unwrap_err();
    let SurveyError::Input { errors, total, .. } = &e else {
        panic!("{e}")
    };
    assert_eq!((errors.len(), *total), (3, 4));
    assert_eq!(errors[0].problem.code(), "survey_no_header");
    // After a valid first line: row errors capped, the items absent from every line
    // (sheet-level, row 0) listed first.
    let text = "{\"id\": \"r1\", \"unit\": \"X\", \"a\": 5}\nx\ny\nz\n";
    let e = read_json_lines(&s, text.as_bytes(), &opts).unwrap_err();
    let SurveyError::Input { errors, total, .. } = &e else {
        panic!("{e}")
    };
    // 3 syntax errors + b, c, d, e never present.
    assert_eq!(*total, 7);
    assert_eq!(errors.len(), 2);
    assert!(errors.iter().all(|e| e.row == 0), "{errors:?}");
}
