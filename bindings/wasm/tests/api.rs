//! The binding's logic, natively: errors are typed and located, sessions re-score
//! exactly like a full score, bad input changes nothing, schemas are the checked-in ones.
#![cfg(not(target_arch = "wasm32"))]

use chiso_wasm::api::{schema, Engine, SCHEMAS};
use serde_json::Value as Json;
use std::path::PathBuf;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(repo().join(rel)).unwrap()
}

fn example() -> (Engine, String) {
    let e = Engine::load(&read("criteria/examples/department-example.json")).unwrap();
    (
        e,
        read("criteria/examples/department-example.assessment.json"),
    )
}

fn json(s: &str) -> Json {
    serde_json::from_str(s).unwrap()
}

/// Every shipped `*.assessment.json` with the index file whose `id` it names.
fn shipped_pairs() -> Vec<(PathBuf, PathBuf)> {
    let mut files = Vec::new();
    let mut stack = vec![repo().join("criteria")];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "json") {
                files.push(p);
            }
        }
    }
    let format_of = |p: &PathBuf| {
        let v: Json =
            serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap_or_default();
        (
            v["format"].as_str().unwrap_or("").to_owned(),
            v["id"]
                .as_str()
                .or(v["index"].as_str())
                .unwrap_or("")
                .to_owned(),
        )
    };
    let mut pairs = Vec::new();
    for a in &files {
        let (fmt, id) = format_of(a);
        if fmt != "chiso.assessment/1" {
            continue;
        }
        let index = files
            .iter()
            .find(|i| format_of(i) == ("chiso.index/1".to_owned(), id.clone()))
            .unwrap_or_else(|| panic!("no index with id {id} for {}", a.display()));
        pairs.push((index.clone(), a.clone()));
    }
    pairs.sort();
    pairs
}

#[test]
fn scores_every_shipped_assessment_like_the_library() {
    let pairs = shipped_pairs();
    assert!(pairs.len() >= 2, "{pairs:?}");
    for (index, assessment) in pairs {
        let text = std::fs::read_to_string(&assessment).unwrap();
        let e = Engine::load(&std::fs::read_to_string(&index).unwrap()).unwrap();
        let lib = chiso::Index::from_file(&index).unwrap();
        let a = chiso::load::assessment(&text).unwrap();
        for view in ["self", "appraised", "final"] {
            let native = lib.score(&a, view.parse().unwrap()).unwrap();
            let through = e.score(&text, view).unwrap();
            assert_eq!(through, serde_json::to_string(&native).unwrap(), "{view}");
        }
    }
}

#[test]
fn load_errors_are_typed_and_located() {
    let err = Engine::load("{ not json").unwrap_err();
    assert_eq!(err.code, "syntax");
    assert!(err.message_vi.contains("dòng 1"), "{}", err.message_vi);
    let mut def = json(&read("criteria/examples/department-example.json"));
    def["nodes"][0]["children"][0]["max_points"] = Json::String("99".into());
    let err = Engine::load(&def.to_string()).unwrap_err();
    assert_eq!(err.code, "max_mismatch");
    assert!(
        err.diagnostics.iter().any(|d| d.code == "max_mismatch"
            && d.criterion.as_deref() == Some("1.1")
            && d.path == "$.nodes[0].children[0].max_points"),
        "{:?}",
        err.diagnostics
    );
    assert!(err
        .diagnostics
        .iter()
        .all(|d| !d.vi.is_empty() && !d.en.is_empty()));
}

#[test]
fn score_errors_name_the_criterion() {
    let (e, a) = example();
    let mut bad = json(&a);
    bad["entries"]["1.1.4"]["self"]["value"] = serde_json::json!({"percent": "120"});
    bad["entries"]["9.9"] = serde_json::json!({"self": {"value": {"yes_no": true}}});
    let err = e.score(&bad.to_string(), "final").unwrap_err();
    let codes: Vec<_> = err
        .diagnostics
        .iter()
        .map(|d| (d.code.as_str(), d.criterion.as_deref()))
        .collect();
    assert!(
        codes.contains(&("out_of_range", Some("1.1.4"))),
        "{codes:?}"
    );
    assert!(codes.contains(&("unknown_code", Some("9.9"))), "{codes:?}");
    assert_eq!(e.score(&a, "sideways").unwrap_err().code, "usage");
    let other = json(&a);
    let mut other = other.clone();
    other["index"] = Json::String("another-index".into());
    assert_eq!(
        e.score(&other.to_string(), "final").unwrap_err().code,
        "index_mismatch"
    );
    // validate never throws, even on garbage.
    let v = json(&e.validate("]["));
    assert_eq!(v[0]["code"], "syntax");
    assert_eq!(
        json(&e.validate(&a))
            .as_array()
            .map(|x| x.iter().filter(|d| d["severity"] == "error").count()),
        Some(0)
    );
}

#[test]
fn session_rescoring_equals_full_scoring_after_each_change() {
    let (e, a) = example();
    for view in ["self", "appraised", "final"] {
        let mut s = e.session(&a, view).unwrap();
        let full = |s: &chiso_wasm::api::Session| {
            let r = json(&s.result(view).unwrap());
            r["total"]["achieved"].as_str().map(str::to_owned)
        };
        assert_eq!(s.total(), full(&s));
        let changes: [(&str, &str, &str); 6] = [
            ("1.1.4", "self", r#"{"percent":"50"}"#),
            (
                "1.1.4",
                "appraisal_1",
                r#"{"ratio":{"numerator":"29","denominator":"30"}}"#,
            ),
            ("1.1.1", "self", r#"{"option":"not_done"}"#),
            ("1.1.1", "appraisal_1", "null"),
            (
                "1.2.1",
                "self",
                r#"{"conditions":{"du_so_luong":false,"dung_thoi_gian":true}}"#,
            ),
            ("1.1.3", "self", "null"),
        ];
        for (code, layer, value) in changes {
            let t = s.set_value(code, layer, value).unwrap();
            assert_eq!(t, full(&s), "{view} after {code} {layer} {value}");
        }
        let t = s
            .set_not_applicable("1.2", Some("không phát sinh".into()))
            .unwrap();
        assert_eq!(t, full(&s), "{view} after marking 1.2 not applicable");
        let t = s.set_not_applicable("1.2", None).unwrap();
        assert_eq!(t, full(&s), "{view} after 1.2 applicable again");
    }
}

#[test]
fn an_entry_left_empty_by_a_change_leaves_the_assessment() {
    let (e, _) = example();
    let blank = format!(
        r#"{{"format":"chiso.assessment/1","index":"{}","unit":{{"name":"x"}},"entries":{{}}}}"#,
        e.id()
    );
    let mut s = e.session(&blank, "final").unwrap();
    let entries = |s: &chiso_wasm::api::Session| json(&s.assessment())["entries"].clone();
    assert_eq!(entries(&s), json("{}"));
    s.set_value("1.1.4", "self", r#"{"percent":"50"}"#).unwrap();
    s.set_value("1.1.4", "appraisal_1", r#"{"percent":"60"}"#)
        .unwrap();
    assert!(entries(&s)["1.1.4"].is_object());
    // One layer removed: the entry stays (the other layer is still there).
    s.set_value("1.1.4", "self", "null").unwrap();
    assert!(entries(&s)["1.1.4"]["appraisal_1"].is_object());
    // The last layer removed: the entry goes.
    s.set_value("1.1.4", "appraisal_1", "null").unwrap();
    assert_eq!(entries(&s), json("{}"), "{}", s.assessment());
    // Not applicable and applicable again: nothing left either.
    s.set_not_applicable("1.2", Some("không phát sinh".into()))
        .unwrap();
    assert!(entries(&s)["1.2"]["not_applicable"].is_object());
    s.set_not_applicable("1.2", None).unwrap();
    assert_eq!(entries(&s), json("{}"), "{}", s.assessment());
}

#[test]
fn bad_session_input_changes_nothing() {
    let (e, a) = example();
    let mut s = e.session(&a, "final").unwrap();
    let before = (s.total(), s.assessment());
    for (code, layer, value, expected) in [
        ("1.1.4", "self", r#"{"percent":"120"}"#, "out_of_range"),
        ("1.1.4", "self", r#"{"option":"late"}"#, "wrong_value_kind"),
        ("1.1.4", "self", r#"{"percent":"#, "syntax"),
        ("1.1.4", "self", r#"{"colour":"red"}"#, "structure"),
        ("9.9.9", "self", r#"{"percent":"50"}"#, "unknown_code"),
        ("1.1.4", "appraisal_9", r#"{"percent":"50"}"#, "usage"),
        ("1", "self", r#"{"percent":"50"}"#, "value_on_parent"),
    ] {
        let err = s.set_value(code, layer, value).unwrap_err();
        assert_eq!(
            err.code, expected,
            "{code} {layer} {value}: {}",
            err.message_en
        );
        assert_eq!(
            (s.total(), s.assessment()),
            before,
            "{code} {layer} {value}"
        );
    }
}

#[test]
fn what_if_reports_deltas_and_rejects_empty_overrides() {
    let (e, a) = example();
    let out = json(
        &e.what_if(
            &a,
            r#"[{"code":"1.1.4","layer":"appraisal_1","value":{"percent":"100"}}]"#,
            "final",
        )
        .unwrap(),
    );
    let base = json(&e.score(&a, "final").unwrap());
    assert_eq!(out["baseline"], base["total"]);
    assert!(out["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["code"] == "1.1.4"));
    let err = e
        .what_if(&a, r#"[{"code":"nope","value":{"percent":"1"}}]"#, "final")
        .unwrap_err();
    assert_eq!(
        (err.code.as_str(), err.path.as_str()),
        ("unknown_code", "$overrides[0]")
    );
    let err = e.what_if(&a, r#"[{"code":"1.1.4"}]"#, "final").unwrap_err();
    assert_eq!(err.path, "$overrides[0]");
    // The caller's assessment text is untouched by construction; the scenario's is returned.
    assert_ne!(out["assessment"], json(&a));
}

#[test]
fn schemas_are_the_checked_in_and_generated_ones() {
    for doc in chiso::schema::Document::ALL {
        let name = doc.file_name().trim_end_matches(".schema.json");
        let embedded = SCHEMAS.iter().find(|(n, _)| *n == name);
        assert!(
            embedded.is_some(),
            "schema {name} is not embedded in the WASM binding"
        );
        let embedded: serde_json::Value = serde_json::from_str(&schema(name).unwrap()).unwrap();
        let generated: serde_json::Value =
            serde_json::from_str(&chiso::schema::schema_json(doc)).unwrap();
        assert_eq!(embedded, generated, "{name}");
    }
    assert_eq!(SCHEMAS.len(), chiso::schema::Document::ALL.len());
    assert_eq!(schema("nope").unwrap_err().code, "usage");
}

#[test]
fn what_if_scenarios_plans_and_headroom_through_the_binding() {
    let (e, a) = example();
    // Hand-worked in tests/scenario.rs: 69.57 → 76.17, band C → B.
    let scenario = read("criteria/examples/department-example.scenario.json");
    let w = json(&e.scenarios(&a, &[scenario]).unwrap());
    let text = w.to_string();
    assert!(text.contains("76.17"), "{text}");
    let err = e.scenarios(&a, &["{".into()]).unwrap_err();
    assert_eq!(err.code, "syntax");
    assert_eq!(err.diagnostics[0].file.as_deref(), Some("scenario 1"));
    // Planner: group A needs 90% (tests/planner.rs works the steps out by hand).
    let p = json(
        &e.plan(&a, r#"{"kind":"band","code":"A"}"#, "", "final")
            .unwrap(),
    );
    assert_eq!(p["reached"], true);
    let pct: chiso::Decimal = p["result"]["percent"].as_str().unwrap().parse().unwrap();
    assert!(pct >= chiso::Decimal::from(90), "{pct}");
    let err = e
        .plan(&a, r#"{"kind":"band","code":"Z"}"#, "", "final")
        .unwrap_err();
    assert_eq!(err.code, "unknown_band");
    let err = e.plan(&a, r#"{"kind":"colour"}"#, "", "final").unwrap_err();
    assert_eq!(err.code, "structure");
    let h = json(&e.headroom(&a, "", "final").unwrap());
    let rows = h["rows"].as_array().unwrap();
    assert!(!rows.is_empty());
    let avail: Vec<chiso::Decimal> = rows
        .iter()
        .map(|r| r["total_available"].as_str().unwrap().parse().unwrap())
        .collect();
    assert!(avail.windows(2).all(|w| w[0] >= w[1]), "sorted: {avail:?}");
}

#[test]
fn sensitivity_through_the_binding_is_reproducible() {
    let e = Engine::load(&read("criteria/papi/papi-2021-2024.json")).unwrap();
    let units = read("examples-data/papi-2023-sample.csv");
    let spec = r#"{"format":"chiso.sensitivity/1","reps":40,"seed":7,"assumptions":[{"kind":"weights","name":"weights ±20%","noise":"0.2"}]}"#;
    let first = e.sensitivity(&units, spec).unwrap();
    assert_eq!(first, e.sensitivity(&units, spec).unwrap());
    let r = json(&first);
    let rows = units.lines().filter(|l| !l.trim().is_empty()).count() - 1;
    assert_eq!(r["units"].as_array().unwrap().len(), rows);
    let err = e
        .sensitivity(&units, r#"{"format":"chiso.sensitivity/1","assumptions":[{"kind":"inputs","name":"x","ranges":{"NOPE":{"from":"0","to":"1"}}}]}"#)
        .unwrap_err();
    assert!(!err.diagnostics.is_empty());
    let err = e.sensitivity("unit,D1\nA,abc\n", spec).unwrap_err();
    assert!(err.path.starts_with("$units["), "{}", err.path);
    // A clean run carries no warnings; a repeated unit is a located warning (the CLI
    // prints the same), and the report is still made.
    assert!(r.get("warnings").is_none(), "{first}");
    let mut lines = units.lines().filter(|l| !l.trim().is_empty());
    let (header, row) = (lines.next().unwrap(), lines.next().unwrap());
    let twice = format!("{}\n{row}\n", units.trim_end());
    let r = json(&e.sensitivity(&twice, spec).unwrap());
    let warnings = r["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0]["code"], "batch_duplicate_unit");
    assert_eq!(warnings[0]["severity"], "warning");
    // The header is line 1, the units lines 2 to rows + 1.
    assert_eq!(
        warnings[0]["path"],
        format!("$units[{}].unit", rows + 2),
        "{header}"
    );
    // Both rows are kept, as the batch keeps them.
    assert_eq!(r["units"].as_array().unwrap().len(), rows + 1);
}
