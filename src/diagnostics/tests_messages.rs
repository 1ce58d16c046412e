//! Pins the wording of every [`Problem`] in both languages: every variant from its JSON
//! Schema (`samples.rs`), the conditional arms, the plain words of `words.rs`, decimals and
//! powers of ten, and located [`Diagnostic`]s. The snapshot is the wording people read;
//! a change of one word fails here.

#![allow(clippy::unwrap_used)]
use super::samples::every_problem;
use super::{Diagnostic, Location, Problem};
use crate::text::Lang;
use serde_json::json;
use std::fmt::Write;

/// Problems the schema's fillers do not reach: the branches of the plain words
/// (`words.rs`), the conditional arms, decimals and limits.
fn extra() -> Vec<Problem> {
    let mut v = Vec::new();
    let mut add = |j: serde_json::Value| v.push(serde_json::from_value::<Problem>(j).unwrap());
    for what in [
        "tier 2",
        "band A",
        "yes",
        "no",
        "on_time",
        "late",
        "not_done",
        "levels",
        "tiers",
        "severities",
        "conditions",
        "options",
        "nodes",
        "cap",
        "max_points",
        "gate",
        "threshold_percent",
        "nominal",
        "award",
        "đạt",
        "weighted sum / tổng có trọng số",
    ] {
        add(json!({"type": "empty", "what": what}));
    }
    for range in [
        "từ 70% đến dưới 90,5%",
        "trên 1,5 đến 2",
        "không quá 3",
        "dưới 0,25",
        "đúng 1",
        "mọi giá trị",
    ] {
        add(json!({"type": "out_of_range", "value": "0.5", "range": range}));
        add(json!({"type": "uncovered", "gap": range}));
        add(json!({"type": "ambiguous_bound", "value": "1000000000000000", "reading": range}));
    }
    add(json!({"type": "overlap", "first": "tier 0", "second": "band B", "both": "từ 1,5 đến 2"}));
    for detail in [
        "EOF while parsing a string at line 1 column 9",
        "EOF while parsing a value at line 1 column 0",
        "expected `,` or `}` at line 3 column 2",
        "expected `,` or `]` at line 3 column 2",
        "expected `:` at line 1 column 5",
        "trailing comma at line 2 column 1",
        "trailing characters at line 4 column 1",
        "key must be a string at line 1 column 2",
        "expected value at line 1 column 1",
        "expected ident at line 1 column 2",
        "number out of range at line 1 column 9",
        "invalid number at line 1 column 3",
        "recursion limit exceeded at line 1 column 129",
        "control character (\\u0000-\\u001F) found while parsing a string at line 1 column 4",
        "invalid escape at line 1 column 4",
        "something else",
    ] {
        add(json!({"type": "syntax", "line": 3, "column": 14, "detail": detail}));
    }
    for detail in [
        "missing field `id`",
        "unknown field `titel`, expected one of `title`, `id`",
        "unknown field `x`, there are no fields",
        "unknown variant `tier`, expected one of `tiers`, `choice`",
        "invalid type: string \"x\", expected a Decimal",
        "invalid type: map, expected struct Text",
        "invalid type: integer `5`, expected struct Node",
        "invalid type: sequence, expected a string",
        "invalid type: boolean `true`, expected a sequence",
        "invalid type: floating point `1.5`, expected u32",
        "invalid type: null, expected a boolean",
        "invalid value: integer `-1`, expected usize",
        "invalid value: string \"abc\", expected something odd",
        "duplicate field `code`",
        "an unexpected shape",
    ] {
        add(json!({"type": "structure", "detail": detail}));
    }
    for detail in [
        "Is a directory (os error 21)",
        "No such file or directory (os error 2)",
        "The system cannot find the file specified. (os error 2)",
        "Permission denied (os error 13)",
        "Access is denied. (os error 5)",
        "stream did not contain valid UTF-8",
        "Not a directory (os error 20)",
        "No space left on device (os error 28)",
        "Read-only file system (os error 30)",
        "Disk quota exceeded (os error 122)",
        "File too large (os error 27)",
        "Interrupted",
    ] {
        add(json!({"type": "io", "detail": detail}));
        add(json!({"type": "cannot_write", "detail": detail}));
    }
    for (what, unit) in [
        ("file size / kích thước tệp", "bytes / byte"),
        ("nodes", ""),
        ("threads / luồng", ""),
    ] {
        add(
            json!({"type": "limit_exceeded", "what": what, "limit": 1000, "found": 5000, "unit": unit}),
        );
        add(json!({"type": "limit_exceeded", "what": what, "limit": 1000, "unit": unit}));
    }
    for limit in ["1000000000000000", "100", "1000", "2000", "0.5", "1E+15"] {
        add(json!({"type": "too_large", "value": "-1234567.125", "limit": limit}));
    }
    add(json!({"type": "max_mismatch", "declared": "0.5", "computed": "1000000000000000"}));
    add(json!({"type": "unreadable_code", "text": ""}));
    add(json!({"type": "unreadable_code", "text": "Mục Ⅱ"}));
    add(json!({"type": "unknown_unit_type", "unit_type": "xã", "allowed": []}));
    add(json!({"type": "unknown_unit_type", "unit_type": "", "allowed": ["huyện", "tỉnh"]}));
    add(json!({"type": "hidden_sheet_skipped", "sheet": "Phụ lục", "very_hidden": true}));
    add(json!({"type": "hidden_sheet_skipped", "sheet": "Phụ lục", "very_hidden": false}));
    add(json!({"type": "formula_without_value", "formula": ""}));
    add(json!({"type": "formula_without_value", "formula": "=SUM(A1:A3)"}));
    for text in ["", "…", "ngày 31/02"] {
        add(
            json!({"type": "coded", "code": "records_bad_date", "text": text, "vi": "ngày không hợp lệ", "en": "not a date"}),
        );
    }
    add(json!({"type": "rescale_needs_max", "parent": "2.1"}));
    add(json!({"type": "rescale_needs_max", "parent": null}));
    for count in [0, 1, 5] {
        add(json!({"type": "no_such_tier", "tier": 7, "count": count}));
    }
    add(json!({"type": "not_an_index_for_year", "year": -2024}));
    add(
        json!({"type": "wrong_value_kind", "expected": ["number", "percent", "option"], "found": "yes_no"}),
    );
    add(json!({"type": "wrong_value_kind", "expected": [], "found": "conditions"}));
    add(
        json!({"type": "overflow", "what": "weighted sum of the children / tổng có trọng số của các tiêu chí thành phần"}),
    );
    add(json!({"type": "not_utf8", "found": "UTF-16 LE"}));
    add(
        json!({"type": "unreadable_workbook", "format": "xlsx", "detail": "damaged archive / tệp nén bị hỏng"}),
    );
    add(
        json!({"type": "rule_syntax", "text": "2 điểm nếu có", "detail": "unknown word / từ không rõ"}),
    );
    add(json!({"type": "unreadable_value", "text": "abc", "detail": "tier 1"}));
    add(json!({"type": "points_above_max", "what": "award", "points": "2.50", "max": "2"}));
    add(json!({"type": "weight_not_positive", "child": "1.1", "weight": "-0.0"}));
    v
}

fn render(out: &mut String, p: &Problem) {
    writeln!(out, "{}", p.tag()).unwrap();
    writeln!(out, "  vi: {}", p.message(Lang::Vi)).unwrap();
    writeln!(out, "  en: {}", p.message(Lang::En)).unwrap();
}

#[test]
fn every_problem_in_both_languages() {
    let mut out = String::new();
    for (_, p) in every_problem() {
        render(&mut out, &p);
    }
    out.push_str("---- plain words, conditional arms, numbers ----\n");
    for p in extra() {
        render(&mut out, &p);
    }
    out.push_str("---- located ----\n");
    let located = [
        Diagnostic::error(
            "$.nodes[0].max_points",
            Some("1.1"),
            Problem::StepNotPositive,
        ),
        Diagnostic::warning("$", None, Problem::NoAnswers).in_file("khảo sát.csv"),
        Diagnostic::error_at(
            Location::row(4).column("Điểm"),
            Some("2"),
            Problem::UnknownCode,
        )
        .in_file("tiêu chí.xlsx"),
        Diagnostic::warning_at(Location::cell("Phụ lục", "C3"), None, Problem::TotalMissing),
        Diagnostic::error_at(Location::json("$"), None, Problem::NoAnswers).in_file("a.csv"),
        Diagnostic::error_at(
            Location::row(2).and_row(9).key("MaHoSo", "H-01"),
            None,
            Problem::EmptyCode,
        ),
    ];
    for d in &located {
        writeln!(out, "vi: {}", d.message(Lang::Vi)).unwrap();
        writeln!(out, "en: {}", d.message(Lang::En)).unwrap();
    }
    insta::assert_snapshot!(out);
}

/// The formatters `messages.rs` knows.
const FORMATTERS: [&str; 13] = [
    "",
    "number",
    "power10",
    "what",
    "both",
    "unit",
    "range",
    "io",
    "io_write",
    "syntax",
    "structure",
    "list",
    "last",
];

#[test]
fn every_variant_has_vi_and_en_templates_naming_its_fields() {
    use serde_json::Value;
    let catalog: Value = serde_json::from_str(super::messages::EMBEDDED).unwrap();
    let schema = serde_json::to_value(schemars::schema_for!(Problem)).unwrap();
    let variants = schema["oneOf"].as_array().unwrap();
    let mut tags = Vec::new();
    for v in variants {
        let tag = v["properties"]["type"]["const"].as_str().unwrap();
        tags.push(tag);
        let fields = v["properties"].as_object().unwrap();
        let entry = &catalog[tag];
        let alternatives = match entry {
            Value::Array(a) => a.clone(),
            Value::Object(_) => vec![entry.clone()],
            _ => panic!("no message for `{tag}` in messages.json"),
        };
        assert!(!alternatives.is_empty(), "{tag}");
        for (i, alt) in alternatives.iter().enumerate() {
            let last = i + 1 == alternatives.len();
            match &alt["unless"] {
                Value::Null => assert!(last, "{tag}: only the last alternative may lack `unless`"),
                Value::Array(u) => {
                    let f = u[0].as_str().unwrap();
                    assert!(f != "type" && fields.contains_key(f), "{tag}: unless `{f}`");
                    assert!(!last, "{tag}: the last alternative is the fallback");
                }
                other => panic!("{tag}: unless {other}"),
            }
            for lang in ["vi", "en"] {
                let t = alt[lang]
                    .as_str()
                    .unwrap_or_else(|| panic!("{tag}: no `{lang}` template"));
                let names = super::messages::placeholders(t)
                    .unwrap_or_else(|| panic!("{tag} {lang}: unpaired brace"));
                for (name, format) in names {
                    assert!(
                        name != "type" && fields.contains_key(name),
                        "{tag} {lang}: `{name}` is not a field"
                    );
                    assert!(
                        FORMATTERS.contains(&format),
                        "{tag} {lang}: formatter `{format}`"
                    );
                }
            }
        }
    }
    for (key, v) in catalog.as_object().unwrap() {
        if let Some(list) = key.strip_prefix('@') {
            assert!(
                ["io", "io_write", "syntax"].contains(&list),
                "`{key}` is no word list"
            );
            for row in v.as_array().unwrap() {
                let row = row.as_array().unwrap();
                assert!(
                    row.len() == 3 && row.iter().all(Value::is_string),
                    "{key}: {row:?}"
                );
            }
            continue;
        }
        assert!(
            tags.contains(&key.as_str()),
            "`{key}` in messages.json is no problem type"
        );
    }
}

#[test]
fn without_a_fitting_template_a_message_is_the_stable_code() {
    use super::messages::render;
    let coded = Problem::Coded {
        code: "records_no_due".into(),
        text: String::new(),
        vi: "v".into(),
        en: "e".into(),
    };
    let near = Problem::TooDeep { limit: 64 };
    assert_eq!(render(None, &near, Lang::Vi), "too_deep");
    assert_eq!(render(None, &coded, Lang::En), "records_no_due");
    for broken in [
        json!({"too_deep": {"vi": "{nope}", "en": "{limit:number}"}}),
        json!({"too_deep": {"vi": "{limit", "en": "limit}"}}),
        json!({"too_deep": {"vi": 1, "en": null}}),
        json!({"too_deep": [{"unless": ["limit", 64], "vi": "x", "en": "x"}]}),
        json!({"too_deep": "x"}),
        json!([]),
    ] {
        assert_eq!(
            render(Some(&broken), &near, Lang::Vi),
            "too_deep",
            "{broken}"
        );
        assert_eq!(
            render(Some(&broken), &near, Lang::En),
            "too_deep",
            "{broken}"
        );
    }
    let braces = json!({"too_deep": {"vi": "{{{limit}}}", "en": "{{}}"}});
    assert_eq!(render(Some(&braces), &near, Lang::Vi), "{64}");
    assert_eq!(render(Some(&braces), &near, Lang::En), "{}");
    assert!(!super::set_messages("not json"));
    assert!(!super::set_messages("[1]"));
}
