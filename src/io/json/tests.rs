//! Unit tests of the scan and its diagnostics.

use super::scan::{scan, Found, Limits, Stop};
use super::*;

const WIDE: Limits = Limits {
    values: u64::MAX,
    containers: u64::MAX,
    depth: 64,
    problems: 1000,
};

fn dups(text: &str) -> Vec<(String, String, Option<String>)> {
    scan(text, WIDE)
        .found
        .into_iter()
        .filter_map(|f| match f {
            Found::Duplicate {
                path, key, code, ..
            } => Some((path, key, code)),
            Found::TooLarge { .. } | Found::Inexact { .. } => None,
        })
        .collect()
}

#[test]
fn counts_values_containers_and_depth() {
    // {"a": [1, {"b": null}], "c": "x"}: values = object, array, 1, object, null, "x" = 6;
    // containers = 3; deepest = 3 (object → array → object).
    let r = scan(r#"{"a": [1, {"b": null}], "c": "x"}"#, WIDE);
    assert_eq!((r.values, r.containers, r.depth), (6, 3, 3));
    assert_eq!(r.stop, None);
    let r = scan("  17 ", WIDE);
    assert_eq!((r.values, r.containers, r.depth, r.stop), (1, 0, 0, None));
}

#[test]
fn duplicates_anywhere_with_their_object_path_and_code() {
    let text = r#"{"nodes": [{"code": "1", "children": [
        {"code": "1.1", "max_points": "2", "max_points": "3"},
        {"max_points": "1", "code": "1.2", "max_points": "1"}]}],
      "entries": {"1.1": {}, "1.1.4": {}, "1.1": {}},
      "a b": {"x": 1, "x": 2}, "nodes": 3,
      "o": [{"code": "2", "op": "set", "code": "3"}]}"#;
    assert_eq!(
        dups(text),
        vec![
            (
                "$.nodes[0].children[0]".into(),
                "max_points".into(),
                Some("1.1".into())
            ),
            (
                "$.nodes[0].children[1]".into(),
                "max_points".into(),
                Some("1.2".into())
            ),
            ("$.entries".into(), "1.1".into(), None),
            ("$[\"a b\"]".into(), "x".into(), None),
            ("$".into(), "nodes".into(), None),
            // Which criterion is meant is the question: none is named.
            ("$.o[0]".into(), "code".into(), None),
        ]
    );
}

#[test]
fn keys_compare_after_unescaping() {
    // "a\u0062" is the key "ab"; "\u00e1" is "á" (serde_json would keep only the last).
    assert_eq!(dups(r#"{"ab": 1, "a\u0062": 2}"#).len(), 1);
    assert_eq!(dups(r#"{"á": 1, "\u00e1": 2}"#).len(), 1);
    // Different keys, equal prefixes, and equal keys in different objects are fine.
    assert!(dups(r#"{"a": {"k": 1}, "b": {"k": 1}, "ab": 1, "a\"": 2}"#).is_empty());
    assert!(dups(r#"[{"k": 1}, {"k": 2}]"#).is_empty());
}

#[test]
fn large_objects_switch_to_a_map_and_still_find_every_duplicate() {
    // 200 distinct keys, then key 7 and key 150 again: 2 duplicates.
    let mut text = String::from("{");
    for i in 0..200 {
        text.push_str(&format!("\"k{i}\": {i}, "));
    }
    text.push_str("\"k7\": 0, \"k150\": 0}");
    let found = dups(&text);
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].1, "k7");
    assert_eq!(found[1].1, "k150");
}

#[test]
fn numbers_beyond_the_decimal_range() {
    let r = scan(
        r#"{"a": 1e15, "b": [1e30], "c": -123456789012345678901234567890, "d": 79228162514264337593543950335, "e": 1e400}"#,
        WIDE,
    );
    let big: Vec<_> = r
        .found
        .iter()
        .filter_map(|f| match f {
            Found::TooLarge { path, text, .. } => Some((path.as_str(), text.as_str())),
            Found::Duplicate { .. } | Found::Inexact { .. } => None,
        })
        .collect();
    assert_eq!(
        big,
        vec![
            ("$.b[0]", "1e30"),
            ("$.c", "-123456789012345678901234567890"),
            ("$.e", "1e400")
        ]
    );
}

#[test]
fn stops_at_syntax_errors_without_guessing() {
    for (text, at) in [
        ("", 0),
        ("{", 1),
        (r#"{"a" 1}"#, 5),
        (r#"{"a": 1,}"#, 8),
        ("[1 2]", 3),
        ("[1] x", 4),
        ("nul", 0),
        (r#"{"a": "x}"#, 9),
        ("{a: 1}", 1),
    ] {
        assert_eq!(scan(text, WIDE).stop, Some(Stop::Syntax(at)), "{text}");
        assert!(serde_json::from_str::<Value>(text).is_err(), "{text}");
    }
}

#[test]
fn depth_limit_names_the_path() {
    let deep = format!("{}{}", "[".repeat(70), "]".repeat(70));
    let r = scan(&deep, WIDE);
    match r.stop {
        Some(Stop::Depth(p)) => assert!(p.starts_with("$[0][0]"), "{p}"),
        other => panic!("{other:?}"),
    }
    let err = parse(&deep).unwrap_err();
    assert!(err
        .render(crate::Lang::En)
        .contains("JSON nesting depth exceeds the limit of 64 levels"));
}

#[test]
fn counts_past_a_limit_and_reports_the_total() {
    let small = Limits {
        values: 5,
        containers: 2,
        depth: 64,
        problems: 10,
    };
    let r = scan("[[1],[2],[3]]", small);
    assert_eq!((r.values, r.containers), (7, 4));
    let d = diagnose(&r, &small).unwrap_err();
    assert_eq!(d.len(), 2);
}

#[test]
fn problems_are_listed_up_to_the_limit_then_counted() {
    let few = Limits {
        problems: 2,
        ..WIDE
    };
    let r = scan(r#"{"a":1,"a":2,"a":3,"a":4,"a":5}"#, few);
    assert_eq!((r.found.len(), r.found_total), (2, 4));
    let d = diagnose(&r, &few).unwrap_err();
    assert_eq!(d.len(), 3);
    assert!(
        d.render(crate::Lang::En)
            .contains("problems listed (the first 2 are shown) exceeds the limit: 4, at most 2"),
        "{}",
        d.render(crate::Lang::En)
    );
}

#[test]
fn parse_skips_a_bom_and_words_syntax_like_serde() {
    assert_eq!(parse("\u{feff}[1]").unwrap(), serde_json::json!([1]));
    let e = parse("{\n  \"a\": ,\n}").unwrap_err();
    assert_eq!(e.0[0].path, "$");
    assert!(matches!(
        e.0[0].problem,
        Problem::Syntax {
            line: 2,
            column: 8,
            ..
        }
    ));
}

#[test]
fn problems_name_the_nearest_enclosing_criterion() {
    let r = scan(
        r#"{"code": "1", "children": [{"code": "1.1", "rule": {"tiers": [{"points": 1e30}]}}],
            "max_points": 1e99, "rule": {"type": "a", "type": "b"}}"#,
        WIDE,
    );
    let got: Vec<(String, Option<String>)> = r
        .found
        .into_iter()
        .map(|f| match f {
            Found::TooLarge { path, code, .. }
            | Found::Duplicate { path, code, .. }
            | Found::Inexact { path, code, .. } => (path, code),
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "$.children[0].rule.tiers[0].points".into(),
                Some("1.1".into())
            ),
            ("$.max_points".into(), Some("1".into())),
            ("$.rule".into(), Some("1".into())),
        ]
    );
}

#[test]
fn numbers_a_json_number_cannot_carry_exactly_are_refused() {
    let inexact = |text: &str| {
        let r = scan::scan(&format!("{{\"x\": {text}}}"), WIDE);
        r.found
            .iter()
            .any(|f| matches!(f, Found::Inexact { path, .. } if path == "$.x"))
    };
    // Kept exactly: integers of 64 bits, up to 15 significant digits, float-exact forms.
    for ok in [
        "0",
        "-0.0",
        "12",
        "0.1",
        "1e3",
        "2.5E-3",
        "123456789012345",
        "0.30000000000000004",
        "9007199254740993",
        "1e-28",
        "100000000000000000000",
    ] {
        assert!(!inexact(ok), "{ok}");
    }
    // Digits lost: beyond the float's precision, or past the 28th decimal place.
    for lost in [
        "0.12345678901234567890",
        "1234567890.1234567891",
        "1e-30",
        "0.00000000000000000000000000001",
        "123456789012345678901",
        "18446744073709551617",
    ] {
        assert!(inexact(lost), "{lost}");
    }
}

#[test]
fn an_inexact_number_is_located_and_says_to_quote_it() {
    let d = parse("{\"a\": [1, 0.12345678901234567890]}").unwrap_err();
    let text = d.render(crate::Lang::En);
    assert!(text.contains("$.a[1]"), "{text}");
    assert!(text.contains("in quotes"), "{text}");
    // In quotes the decimal keeps every digit.
    let v = parse("{\"a\": \"0.12345678901234567890\"}").unwrap();
    let d: rust_decimal::Decimal = serde_json::from_value(v["a"].clone()).unwrap();
    assert_eq!(d.to_string(), "0.12345678901234567890");
}
