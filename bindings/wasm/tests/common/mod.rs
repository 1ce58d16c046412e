//! Shared checks for the Node and Chromium suites (`wasm-bindgen-test`).
#![allow(dead_code)]

use chiso_wasm::{schema, Engine};
use wasm_bindgen::{JsCast, JsValue};

pub const INDEX: &str = include_str!("../../../../criteria/examples/department-example.json");
pub const ASSESSMENT: &str =
    include_str!("../../../../criteria/examples/department-example.assessment.json");

fn prop(v: &JsValue, k: &str) -> JsValue {
    js_sys::Reflect::get(v, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED)
}

fn prop_str(v: &JsValue, k: &str) -> Option<String> {
    prop(v, k).as_string()
}

fn json(s: &str) -> serde_json::Value {
    serde_json::from_str(s).unwrap()
}

/// A decimal string from a result, compared by value ("68.570" = "68.57").
fn dec(v: &serde_json::Value) -> chiso::Decimal {
    v.as_str().expect("decimals are strings").parse().unwrap()
}

fn d(s: &str) -> chiso::Decimal {
    s.parse().unwrap()
}

/// The hand-worked totals of the example (tests/examples.rs), through the JS API.
pub fn scores_the_example() {
    let e = Engine::load(INDEX).unwrap();
    assert_eq!(e.id(), "par-example-department");
    let r = json(&e.score(ASSESSMENT, Some("final".into())).unwrap());
    // Decimals arrive as strings: no float on the way.
    assert_eq!(dec(&r["total"]["criteria_points"]), d("68.57"));
    assert_eq!(dec(&r["total"]["applicable_max"]), d("93"));
    assert_eq!(dec(&r["total"]["achieved"]), d("69.57"));
    let s = json(&e.score(ASSESSMENT, Some("self".into())).unwrap());
    assert_eq!(dec(&s["total"]["criteria_points"]), d("84.07"));
}

/// Errors are real `Error`s with a stable code, a path and the criterion.
pub fn errors_are_js_errors() {
    let err = Engine::load("{ \"format\": ").err().unwrap();
    assert!(err.is_instance_of::<js_sys::Error>());
    assert_eq!(prop_str(&err, "code").as_deref(), Some("syntax"));
    assert!(prop_str(&err, "messageEn").unwrap().contains("line 1"));
    let e = Engine::load(INDEX).unwrap();
    let mut bad = json(ASSESSMENT);
    bad["entries"]["1.1.4"]["self"]["value"] = serde_json::json!({"percent": "120"});
    let err = e.score(&bad.to_string(), None).err().unwrap();
    assert!(err.is_instance_of::<js_sys::Error>());
    assert_eq!(prop_str(&err, "code").as_deref(), Some("out_of_range"));
    assert_eq!(prop_str(&err, "criterion").as_deref(), Some("1.1.4"));
    assert_eq!(
        prop_str(&err, "path").as_deref(),
        Some("$.entries[\"1.1.4\"].self.value")
    );
    let diags = prop(&err, "diagnostics");
    assert!(js_sys::Array::is_array(&diags));
    // The module survives bad input of every kind and keeps working.
    for garbage in [
        "",
        "null",
        "[]",
        "{}",
        "\u{0}",
        "{\"format\":\"chiso.assessment/1\"}",
        "1e999",
    ] {
        assert!(e.score(garbage, None).is_err(), "{garbage:?}");
        let v = json(&e.validate(garbage));
        assert!(v.as_array().is_some_and(|a| !a.is_empty()), "{garbage:?}");
        assert!(Engine::load(garbage).is_err(), "{garbage:?}");
    }
    assert!(e.score(ASSESSMENT, Some("sideways".into())).is_err());
    assert!(e.score(ASSESSMENT, None).is_ok());
}

/// A resident session re-scores exactly like a full score and refuses bad input
/// without changing anything.
pub fn session_matches_full_scoring() {
    let e = Engine::load(INDEX).unwrap();
    let mut s = e.session(ASSESSMENT, Some("final".into())).unwrap();
    let t = s
        .set_value(
            "1.1.4",
            "appraisal_1",
            r#"{"ratio":{"numerator":"3","denominator":"7"}}"#,
        )
        .unwrap();
    let full = json(&s.result(Some("final".into())).unwrap());
    assert_eq!(t.as_deref(), full["total"]["achieved"].as_str());
    let before = s.assessment();
    let err = s
        .set_value("1.1.4", "appraisal_1", r#"{"percent":"101"}"#)
        .err()
        .unwrap();
    assert_eq!(prop_str(&err, "code").as_deref(), Some("out_of_range"));
    assert_eq!(s.assessment(), before);
    assert_eq!(s.total(), t);
}

/// Schemas come out as JSON.
pub fn schemas() {
    for name in ["index", "assessment", "result"] {
        let v = json(&schema(name).unwrap());
        assert!(v["$schema"].is_string(), "{name}");
    }
    assert!(schema("nope").is_err());
}

/// The same four checks as `#[wasm_bindgen_test]`s, for each runner's file.
#[macro_export]
macro_rules! suite {
    ($($name:ident),* $(,)?) => {
        $(
            #[wasm_bindgen_test::wasm_bindgen_test]
            fn $name() {
                common::$name();
            }
        )*
    };
}
