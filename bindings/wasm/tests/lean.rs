//! The form module's lean loaders (`chiso_wasm::load`, feature `lean`: no path tracking)
//! against the library's located ones: the same index and assessment from every shipped
//! file, the same diagnostics for what the strict reader and the format check refuse, and
//! a shape error at `$` where the library names the exact path. Also: an unknown language
//! is an error, never silently Vietnamese.
#![cfg(not(target_arch = "wasm32"))]

use chiso_wasm::api::Engine;
use chiso_wasm::load;
use std::path::PathBuf;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn shipped(format: &str) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let mut stack = vec![repo().join("criteria")];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "json") {
                let text = std::fs::read_to_string(&p).unwrap();
                let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
                if v.get("format").and_then(|f| f.as_str()) == Some(format) {
                    out.push((p, text));
                }
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_shipped_index_loads_to_what_the_library_builds() {
    let files = shipped("chiso.index/1");
    assert!(files.len() >= 5, "{} index files", files.len());
    for (p, text) in files {
        let lean = load::index(&text).map(|i| i.definition().clone());
        let located = chiso::Index::from_json(&text).map(|i| i.definition().clone());
        assert_eq!(lean, located, "{}", p.display());
    }
}

#[test]
fn every_shipped_assessment_loads_to_what_the_library_builds() {
    let files = shipped("chiso.assessment/1");
    assert!(files.len() >= 2, "{} assessments", files.len());
    for (p, text) in files {
        assert_eq!(
            load::assessment(&text),
            chiso::load::assessment(&text),
            "{}",
            p.display()
        );
    }
}

#[test]
fn refusals_before_the_shape_are_the_librarys() {
    let cases = [
        r#"{"format":"chiso.index/1""#,                       // syntax
        r#"{"format":"chiso.index/1","format":"x"}"#,         // duplicate key
        r#"{"format":"chiso.assessment/1","index":"x"}"#,     // another document
        r#"{"format":"chiso.index/1","id":"x","max":1e300}"#, // number out of range
    ];
    for text in cases {
        let lean = load::index(text).map(|_| ()).unwrap_err();
        let located = chiso::Index::from_json(text).map(|_| ()).unwrap_err();
        assert_eq!(lean, located, "{text}");
    }
    // More criteria than the limit: refused before the tree is built, in the same words.
    let many = vec![r#"{"code":"x"}"#; chiso::limits::MAX_NODES + 1].join(",");
    let text = format!(r#"{{"format":"chiso.index/1","id":"x","nodes":[{many}]}}"#);
    let lean = load::index(&text).map(|_| ()).unwrap_err();
    assert_eq!(
        lean,
        chiso::Index::from_json(&text).map(|_| ()).unwrap_err()
    );
    assert_eq!(lean.0[0].path, "$.nodes");
    let text = r#"{"format":"chiso.index/1","id":"x"}"#;
    let a = load::assessment(text).unwrap_err();
    assert_eq!(a, chiso::load::assessment(text).unwrap_err());
}

#[test]
fn a_shape_error_is_at_the_root_and_marked_where_the_library_names_the_path() {
    let text =
        std::fs::read_to_string(repo().join("criteria/examples/department-example.json")).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["nodes"][0]["children"][0]["max_points"] = serde_json::json!({"x": 1});
    let bad = v.to_string();
    let lean = load::index(&bad).map(|_| ()).unwrap_err();
    assert_eq!(lean.0.len(), 1);
    assert_eq!(lean.0[0].path, "$");
    let located = chiso::Index::from_json(&bad).map(|_| ()).unwrap_err();
    assert!(
        located.0[0].path.starts_with("$.nodes[0].children[0]"),
        "{}",
        located.0[0].path
    );
    // Through the binding's error: a `structure` error, unlocated only in the lean build.
    let e = chiso_wasm::api::ApiError::from(lean);
    assert_eq!(e.code, "structure");
    assert!(
        !e.unlocated,
        "only the lean build marks it (the page then asks the analysis module)"
    );
}

#[test]
fn an_unknown_language_is_an_error_in_both_languages() {
    let e = Engine::load(
        &std::fs::read_to_string(repo().join("criteria/examples/department-example.json")).unwrap(),
    )
    .unwrap();
    let a = std::fs::read_to_string(
        repo().join("criteria/examples/department-example.assessment.json"),
    )
    .unwrap();
    let err = e.explain(&a, "1.1.4", "fr").unwrap_err();
    assert_eq!(err.code, "usage");
    assert_eq!(err.path, "lang");
    assert!(
        err.message_vi.contains("ngôn ngữ \"fr\" không hợp lệ"),
        "{}",
        err.message_vi
    );
    assert!(
        err.message_en.contains("unknown language \"fr\""),
        "{}",
        err.message_en
    );
    assert_eq!(err.diagnostics.len(), 1);
    for (lang, word) in [
        ("en", "\"text\""),
        ("EN", "\"text\""),
        ("vi", "\"text\""),
        ("", "\"text\""),
    ] {
        assert!(
            e.explain(&a, "1.1.4", lang).unwrap().contains(word),
            "{lang}"
        );
    }
    assert!(chiso_wasm::api::parse_lang("Vi").is_ok());
    assert!(chiso_wasm::api::parse_lang("vietnamese").is_err());
}

#[test]
fn decimal_text_writes_what_display_writes() {
    use chiso::Decimal;
    let mut values: Vec<Decimal> = [
        "0",
        "0.00",
        "-0.5",
        "68.570",
        "3",
        "-3",
        "0.001",
        "100",
        "1e-28",
        "-7.9228162514264337593543950335",
        "79228162514264337593543950335",
        "12345.678900",
        "0.0000000000000000000000000001",
    ]
    .iter()
    .map(|s| s.parse().or_else(|_| Decimal::from_scientific(s)).unwrap())
    .collect();
    let mut negative_zero = Decimal::new(0, 3);
    negative_zero.set_sign_negative(true);
    values.push(negative_zero);
    for k in 0..2000u32 {
        let m = (k as i64 * 7_919 - 5_000_000) * (k as i64 % 13 + 1);
        values.push(Decimal::new(m, k % 29));
    }
    for d in values {
        assert_eq!(chiso_wasm::api::decimal_text(d), d.to_string(), "{d:?}");
    }
}

#[test]
fn every_shipped_index_reloads_from_its_definition_as_the_analysis_module_does() {
    // The page loads the analysis module's copy of the index from `engine.definition()`.
    for (p, text) in shipped("chiso.index/1") {
        let Ok(form) = Engine::load(&text) else {
            continue;
        };
        let again = Engine::load(&form.definition())
            .unwrap_or_else(|e| panic!("{}: {}", p.display(), e.message_en));
        assert_eq!(again.definition(), form.definition(), "{}", p.display());
        assert_eq!(again.nodes(), form.nodes(), "{}", p.display());
    }
}
