//! Every JSON document chiso reads goes through one strict reader (`chiso::load::json`):
//! bounded, duplicate-rejecting, encoding-aware. Hand-made inputs for each document kind,
//! and property tests that the reader agrees with `serde_json` on duplicate-free documents
//! and finds every injected duplicate.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use chiso::limits::{MAX_INPUT_BYTES, MAX_JSON_CONTAINERS, MAX_JSON_DEPTH, MAX_JSON_PROBLEMS};
use chiso::{Diagnostics, Lang, Problem};
use proptest::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn example(name: &str) -> String {
    std::fs::read_to_string(common::repo().join("criteria/examples").join(name)).unwrap()
}

/// `text` with the first occurrence of `member` written twice (`member, member`).
fn twice(text: &str, member: &str) -> String {
    assert!(text.contains(member), "{member} not in the text");
    text.replacen(member, &format!("{member}, {member}"), 1)
}

fn kinds(d: &Diagnostics) -> Vec<String> {
    d.0.iter()
        .map(|x| {
            serde_json::to_value(&x.problem).unwrap()["type"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect()
}

/// The only diagnostic of `d`, which must be a duplicate key: (path, key, code).
fn one_duplicate(d: &Diagnostics) -> (String, String, Option<String>) {
    assert_eq!(d.len(), 1, "{}", d.render(Lang::En));
    match &d.0[0].problem {
        Problem::DuplicateKey { key } => (d.0[0].path.clone(), key.clone(), d.0[0].code.clone()),
        other => panic!("not a duplicate key: {other:?}"),
    }
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("chiso-json-inputs-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(name: &str, bytes: &[u8]) -> PathBuf {
    let p = temp_dir(name).join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

// ---------------------------------------------------------------- duplicates, per document

#[test]
fn index_node_with_two_maxima() {
    // Leaf 1.1.1 of the example is worth 1; a second "max_points" of 5 would win silently.
    let text = example("department-example.json");
    let bad = text.replacen(
        r#""code": "1.1.1","#,
        r#""code": "1.1.1", "max_points": "5","#,
        1,
    );
    let err = chiso::Index::from_json(&bad).unwrap_err();
    let (path, key, code) = one_duplicate(&err);
    assert_eq!(path, "$.nodes[0].children[0].children[0]");
    assert_eq!(key, "max_points");
    assert_eq!(code.as_deref(), Some("1.1.1"));
    assert_eq!(
        err.render(Lang::Vi),
        "lỗi tại $.nodes[0].children[0].children[0] (tiêu chí 1.1.1): khóa \"max_points\" bị trùng"
    );
}

#[test]
fn assessment_with_two_entries_for_one_code() {
    let text = example("department-example.assessment.json");
    let bad = text.replacen(
        r#""entries": {"#,
        r#""entries": { "1.1.2": { "self": { "value": { "yes_no": true } } },"#,
        1,
    );
    let err = chiso::load::assessment(&bad).unwrap_err();
    let (path, key, code) = one_duplicate(&err);
    assert_eq!(
        (path.as_str(), key.as_str(), code),
        ("$.entries", "1.1.2", None)
    );
}

#[test]
fn every_other_document_kind() {
    // Scenario: two "index" members.
    let s = twice(
        &example("department-example.scenario.json"),
        r#""index": "par-example-department""#,
    );
    assert_eq!(
        one_duplicate(&chiso::scenario::parse(&s).unwrap_err()).1,
        "index"
    );
    // Costs: two "format" members.
    let c = twice(
        &example("department-example.costs.json"),
        r#""format": "chiso.costs/1""#,
    );
    assert_eq!(
        one_duplicate(&chiso::planner::Costs::parse(&c).unwrap_err()).1,
        "format"
    );
    // Survey definition: two "id" members.
    let text = std::fs::read_to_string(
        common::repo().join("criteria/sipas/sipas-1001-2023-q9.survey.json"),
    )
    .unwrap();
    let q = twice(&text, r#""id": "sipas-1001-2023-q9""#);
    assert_eq!(
        one_duplicate(&chiso::survey::Survey::from_json(&q).unwrap_err()).1,
        "id"
    );
    // Plan target: two "kind" members.
    let index = example("department-example.json");
    let a = example("department-example.assessment.json");
    let err = chiso::planner::plan_json(
        &index,
        &a,
        r#"{"kind":"band","kind":"points","code":"A"}"#,
        None,
        None,
    )
    .unwrap_err();
    assert_eq!(one_duplicate(&err).1, "kind");
    // Sensitivity spec: two seeds; the problem keeps the path of the object.
    let spec = twice(&example("papi-sensitivity.spec.json"), r#""seed": 2023"#);
    match chiso::sensitivity::parse_spec(&spec) {
        Err(chiso::sensitivity::Error::Spec(ps)) => {
            assert_eq!(ps.len(), 1);
            assert_eq!(ps[0].path, "$");
            assert_eq!(ps[0].message, "key \"seed\" is used twice");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn all_duplicates_at_once_and_bounded() {
    // Three duplicates in three objects: three diagnostics, in the order of the text.
    let err = chiso::load::json(r#"{"a": {"x": 1, "x": 2}, "b": [{"y": 1, "y": 1}], "a": 0}"#)
        .unwrap_err();
    let paths: Vec<_> = err.0.iter().map(|d| d.path.as_str()).collect();
    assert_eq!(paths, ["$.a", "$.b[0]", "$"]);
    // MAX_JSON_PROBLEMS + 5 duplicates: the first MAX_JSON_PROBLEMS, then one line counting all.
    let n = MAX_JSON_PROBLEMS + 5;
    let mut text = String::from("{\"k\": 0");
    for _ in 0..n {
        text.push_str(", \"k\": 0");
    }
    text.push('}');
    let err = chiso::load::json(&text).unwrap_err();
    assert_eq!(err.len(), MAX_JSON_PROBLEMS + 1);
    let last = err.0.last().unwrap().message(Lang::En);
    assert!(
        last.contains(&format!(": {n}, at most {MAX_JSON_PROBLEMS}")),
        "{last}"
    );
}

// ---------------------------------------------------------------- limits

#[test]
fn deep_nesting_is_refused_at_its_path() {
    let deep = format!("{{\"nodes\": {}{}}}", "[".repeat(5000), "]".repeat(5000));
    let err = chiso::load::index_definition(&deep).unwrap_err();
    assert_eq!(kinds(&err), ["limit_exceeded"]);
    assert!(err.0[0].path.starts_with("$.nodes[0][0]"));
    assert!(err.render(Lang::En).contains(&format!(
        "JSON nesting depth exceeds the limit of {MAX_JSON_DEPTH} levels"
    )));
    // One level less than the limit is read (then its shape is judged).
    let ok = format!(
        "{}{}",
        "[".repeat(MAX_JSON_DEPTH),
        "]".repeat(MAX_JSON_DEPTH)
    );
    assert!(chiso::load::json(&ok).is_ok());
    let over = format!("[{ok}]");
    assert!(chiso::load::json(&over).is_err());
}

#[test]
fn too_many_objects_is_refused_before_building_them() {
    // MAX_JSON_CONTAINERS objects inside one list: that many + 1 containers.
    let n = MAX_JSON_CONTAINERS as usize;
    let mut text = String::with_capacity(3 * n + 2);
    text.push('[');
    for i in 0..n {
        text.push_str(if i == 0 { "{}" } else { ",{}" });
    }
    text.push(']');
    let err = chiso::load::json(&text).unwrap_err();
    assert_eq!(
        err.render(Lang::En),
        format!(
            "error at $: number of JSON objects and lists exceeds the limit: {}, at most {} (see \"Limits and guarantees\" in the README)",
            n + 1,
            n
        )
    );
}

#[test]
fn more_criteria_than_the_tree_limit_are_counted_before_the_tree_is_built() {
    // 20,001 leaves under one area, each {"code": …}: refused with the count.
    let leaves = chiso::limits::MAX_NODES;
    let mut kids = String::new();
    for i in 0..leaves {
        if i > 0 {
            kids.push(',');
        }
        kids.push_str(&format!("{{\"code\":\"1.{i}\"}}"));
    }
    let text =
        format!(r#"{{"format":"chiso.index/1","nodes":[{{"code":"1","children":[{kids}]}}]}}"#);
    let err = chiso::load::index_definition(&text).unwrap_err();
    assert_eq!(kinds(&err), ["limit_exceeded"]);
    assert!(err.render(Lang::En).contains(&format!(
        "number of criteria exceeds the limit: {}, at most {}",
        leaves + 1,
        leaves
    )));
}

#[test]
fn files_are_read_bounded() {
    // A sparse file one byte over the limit: refused from its size, nothing read.
    let p = temp_dir("big").join("big.json");
    let f = std::fs::File::create(&p).unwrap();
    f.set_len(MAX_INPUT_BYTES + 1).unwrap();
    let err = chiso::load::read_file(&p).unwrap_err();
    assert_eq!(
        err.0[0].file.as_deref(),
        Some(p.display().to_string().as_str())
    );
    assert!(err.render(Lang::En).contains(&format!(
        "file size exceeds the limit: {} bytes, at most {MAX_INPUT_BYTES} bytes",
        MAX_INPUT_BYTES + 1
    )));
    assert!(err
        .render(Lang::Vi)
        .contains("vượt giới hạn kích thước tệp"));
    // An endless stream: at most the limit + 1 bytes are read.
    if Path::new("/dev/zero").exists() {
        let err = chiso::load::read_file(Path::new("/dev/zero")).unwrap_err();
        assert_eq!(
            err.render(Lang::En),
            format!("/dev/zero: error at $: file size exceeds the limit of {MAX_INPUT_BYTES} bytes (see \"Limits and guarantees\" in the README)")
        );
    }
    // A folder.
    let err = chiso::load::read_file(&temp_dir("folder")).unwrap_err();
    assert!(err
        .render(Lang::Vi)
        .contains("đây là một thư mục, không phải tệp"));
    // Text in memory larger than the limit.
    let big = vec![b' '; MAX_INPUT_BYTES as usize + 1];
    assert_eq!(
        kinds(&chiso::load::read_bytes(&big).unwrap_err()),
        ["limit_exceeded"]
    );
}

// ---------------------------------------------------------------- encodings

#[test]
fn bom_is_accepted_everywhere() {
    let text = example("department-example.json");
    let p = write(
        "bom.json",
        &[b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
    );
    assert!(chiso::Index::from_file(&p).is_ok());
    // A BOM in text handed to the library is skipped too.
    assert!(chiso::Index::from_json(&format!("\u{feff}{text}")).is_ok());
    let a = example("department-example.assessment.json");
    assert!(chiso::load::assessment(&format!("\u{feff}{a}")).is_ok());
    let spec = example("papi-sensitivity.spec.json");
    assert!(chiso::sensitivity::parse_spec(&format!("\u{feff}{spec}")).is_ok());
}

#[test]
fn other_encodings_are_named() {
    let text = r#"{"format": "chiso.index/1", "title": {"vi": "Sở Tư pháp"}}"#;
    let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    let with_bom = [[0xFF, 0xFE].as_slice(), &le].concat();
    for (name, bytes, found) in [
        ("le.json", le.clone(), "UTF-16 LE"),
        ("be.json", be, "UTF-16 BE"),
        ("bom16.json", with_bom, "UTF-16 LE"),
        (
            "zip.json",
            b"PK\x03\x04\x14\x00\x06\x00".to_vec(),
            "ZIP archive, such as an .xlsx workbook",
        ),
        ("bin.json", vec![0, 1, 2, 3, 0, 0, 255, 7], "binary data"),
    ] {
        let err = chiso::load::read_file(&write(name, &bytes)).unwrap_err();
        assert_eq!(kinds(&err), ["not_utf8"], "{name}");
        assert!(
            err.render(Lang::En).contains(found),
            "{name}: {}",
            err.render(Lang::En)
        );
    }
    // Windows-1258 "SỞ": S, 0xD5 ("Ơ"), then 0xD2 (the combining hook above).
    let err = chiso::load::read_file(&write("cp1258.json", b"{\n  \"vi\": \"S\xD5\xD2\"\n}"))
        .unwrap_err();
    let en = err.render(Lang::En);
    assert!(
        en.contains("byte 0xD5 at line 2, column 11, byte offset 12, is not UTF-8"),
        "{en}"
    );
    assert!(err.render(Lang::Vi).contains("byte 0xD5 ở dòng 2, cột 11"));
}

// ---------------------------------------------------------------- wording

#[test]
fn too_large_decimals_say_so() {
    let text = example("department-example.json");
    for (written, shown) in [("1e30", "1e30"), ("\"1e30\"", "1e30"), ("1e400", "1e400")] {
        let bad = text.replacen(
            r#""max_points": "100""#,
            &format!(r#""max_points": {written}"#),
            1,
        );
        let err = chiso::Index::from_json(&bad).unwrap_err();
        assert_eq!(
            err.render(Lang::En),
            format!(
                "error at $.max_points: cannot read the value \"{shown}\": too large (limit 10¹⁵)"
            ),
            "{written}"
        );
        assert!(err.render(Lang::Vi).contains("quá lớn (giới hạn 10¹⁵)"));
        assert!(!err.render(Lang::En).contains("quotes"));
    }
}

#[test]
fn messages_quote_only_short_escaped_excerpts() {
    // A 10,000-character format tag full of escape sequences.
    let junk = format!("\u{1b}[2J{}", "x".repeat(10_000));
    let text = serde_json::json!({"format": junk}).to_string();
    let err = chiso::load::index_definition(&text).unwrap_err();
    let msg = err.render(Lang::En);
    assert!(msg.contains("found \"\\u{1b}[2Jxxxxx"), "{msg}");
    assert!(!msg.contains('\u{1b}'));
    assert!(msg.len() < 200, "{msg}");
    // An unknown rule type: the deserializer's message quotes it; cut and escaped too.
    let index = example("department-example.json");
    let bad = index.replacen(
        r#""type": "yes_no""#,
        &format!(r#""type": "{}\u0007""#, "y".repeat(5000)),
        1,
    );
    let msg = chiso::Index::from_json(&bad).unwrap_err().render(Lang::En);
    assert!(!msg.contains('\u{7}'), "{msg}");
    assert!(!msg.contains(&"y".repeat(50)), "{msg}");
    // A duplicate key made of control characters and 1,000 letters.
    let key = format!("\u{0}{}", "k".repeat(1000));
    let text = format!(
        "{{{k}: 1, {k}: 2}}",
        k = serde_json::to_string(&key).unwrap()
    );
    let msg = chiso::load::json(&text).unwrap_err().render(Lang::En);
    assert!(msg.contains("key \"\\0kkk"), "{msg}");
    assert!(msg.len() < 200, "{msg}");
}

// ---------------------------------------------------------------- properties

/// A JSON value without duplicate keys, numbers inside the decimal range that a JSON
/// number carries exactly into a decimal (at most 15 significant digits: the reader
/// refuses the others, see `numbers_that_lose_digits_are_refused`).
fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (-10i64.pow(13)..10i64.pow(13)).prop_map(|cents| Value::from(cents as f64 / 100.0)),
        "\\PC{0,12}".prop_map(Value::String),
        "[\\x00-\\x1f\"\\\\/a]{0,4}".prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("\\PC{0,6}|[a-c\"\\\\]{1,3}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Writes `v` as JSON; keys fully `\u`-escaped where `escape` says so (cycling), and
/// every object whose number is in `inject` repeats its first key (written escaped or not).
fn write_json(
    v: &Value,
    escape: &[bool],
    inject: &[bool],
    out: &mut String,
    n: &mut usize,
    injected: &mut usize,
) {
    match v {
        Value::Object(m) => {
            let here = *n;
            *n += 1;
            out.push('{');
            let mut first = true;
            for (k, x) in m {
                if !first {
                    out.push(',');
                }
                first = false;
                write_key(
                    k,
                    escape
                        .get(here % escape.len().max(1))
                        .copied()
                        .unwrap_or(false),
                    out,
                );
                out.push(':');
                write_json(x, escape, inject, out, n, injected);
            }
            if let Some(k) = m.keys().next() {
                if inject
                    .get(here % inject.len().max(1))
                    .copied()
                    .unwrap_or(false)
                {
                    out.push(',');
                    write_key(
                        k,
                        !escape
                            .get(here % escape.len().max(1))
                            .copied()
                            .unwrap_or(false),
                        out,
                    );
                    out.push_str(":null");
                    *injected += 1;
                }
            }
            out.push('}');
        }
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push_str(" , ");
                }
                write_json(x, escape, inject, out, n, injected);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

fn write_key(k: &str, escape: bool, out: &mut String) {
    if escape {
        out.push('"');
        for u in k.encode_utf16() {
            out.push_str(&format!("\\u{u:04x}"));
        }
        out.push('"');
    } else {
        out.push_str(&serde_json::to_string(k).unwrap());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Duplicate-free documents, written compactly, pretty-printed or with escaped keys:
    /// the strict reader gives exactly serde_json's value.
    #[test]
    fn agrees_with_serde_json(v in value(), escape in prop::collection::vec(any::<bool>(), 1..8)) {
        let compact = v.to_string();
        let pretty = serde_json::to_string_pretty(&v).unwrap();
        let (mut escaped, mut n, mut injected) = (String::new(), 0, 0);
        write_json(&v, &escape, &[false], &mut escaped, &mut n, &mut injected);
        for text in [compact, pretty, escaped, format!("\u{feff} \n{v}\t")] {
            let ours = chiso::load::json(&text).map_err(|d| d.render(Lang::En));
            let theirs: Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).unwrap();
            prop_assert_eq!(ours, Ok(theirs));
            prop_assert!(chiso::load::check_json(&text).is_ok());
        }
    }

    /// Every key written twice is found — one diagnostic per injected duplicate, at an
    /// object, naming the key — however the two keys are escaped.
    #[test]
    fn finds_every_injected_duplicate(
        v in value(),
        escape in prop::collection::vec(any::<bool>(), 1..8),
        inject in prop::collection::vec(any::<bool>(), 1..8),
    ) {
        let (mut text, mut n, mut injected) = (String::new(), 0, 0);
        write_json(&v, &escape, &inject, &mut text, &mut n, &mut injected);
        match chiso::load::json(&text) {
            Ok(_) => prop_assert_eq!(injected, 0),
            Err(d) => {
                prop_assert_eq!(d.len(), injected, "{}", d.render(Lang::En));
                for x in &d.0 {
                    let duplicate = matches!(x.problem, Problem::DuplicateKey { .. });
                    prop_assert!(duplicate);
                }
            }
        }
        prop_assert_eq!(chiso::load::check_json(&text).is_err(), injected > 0);
    }

    /// Arbitrary text: the strict reader never panics, and accepts exactly what serde_json
    /// accepts, as long as serde_json's value has no duplicate and no huge number.
    #[test]
    fn arbitrary_text_never_panics(text in "[\\[\\]{}\",:0-9a-z.eE+\\- \\\\\n]{0,40}") {
        let ours = chiso::load::json(&text);
        let theirs = serde_json::from_str::<Value>(&text);
        if ours.is_ok() {
            prop_assert!(theirs.is_ok());
        }
        if let Err(d) = &ours {
            if kinds(d) == ["syntax"] {
                prop_assert!(theirs.is_err(), "{}", text);
            }
        }
    }
}

/// A number serde_json reads as a binary float whose shortest form is not the one
/// written (872647104361831.2 becomes 872647104361831.3 once a decimal reads it), or with
/// digits past the decimal's 28 places, is refused and located — never silently changed.
#[test]
fn numbers_that_lose_digits_are_refused() {
    for text in [
        "[{\"x\": 872647104361831.2}]",
        "[{\"x\": 0.12345678901234567890}]",
        "[{\"x\": 1e-30}]",
    ] {
        let d = chiso::load::json(text).unwrap_err().render(Lang::En);
        assert!(d.contains("$[0].x") && d.contains("in quotes"), "{d}");
    }
    for text in ["[{\"x\": \"872647104361831.2\"}]", "[{\"x\": 0.1}]"] {
        assert!(chiso::load::json(text).is_ok(), "{text}");
    }
}
