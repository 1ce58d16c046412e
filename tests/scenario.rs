//! What-if scenarios: hand-worked effects on the example index, validation errors
//! (all at once, located, in both languages), weights, batches and ranks, and the
//! properties "no override = baseline" and "composition = sequential application".
#![cfg(not(target_arch = "wasm32"))]

mod common;

use chiso::batch::InputFormat;
use chiso::scenario::{self, Base, Scenario, WhatIf};
use chiso::{Assessment, Decimal, Diagnostics, Index, Lang, View};
use proptest::prelude::*;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn example() -> (Index, Assessment) {
    let dir = common::repo().join("criteria/examples");
    let index = Index::from_file(&dir.join("department-example.json")).unwrap();
    let text = std::fs::read_to_string(dir.join("department-example.assessment.json")).unwrap();
    (index, chiso::load::assessment(&text).unwrap())
}

fn scenario(overrides: &str) -> Scenario {
    scenario::parse(&format!(
        r#"{{"format":"chiso.scenario/1","index":"par-example-department","overrides":[{overrides}]}}"#
    ))
    .unwrap()
}

fn run_one(index: &Index, a: &Assessment, overrides: &str) -> Result<WhatIf, Diagnostics> {
    scenario::run(
        index,
        Base::Assessment(Box::new(a.clone())),
        &[scenario(overrides)],
    )
}

fn node<'a>(w: &'a WhatIf, code: &str) -> &'a scenario::NodeChange {
    w.units[0].nodes.iter().find(|n| n.code == code).unwrap()
}

#[test]
fn example_scenario_file_hand_worked() {
    // Baseline (final view): criteria 68.57, bonus 2, penalty 1 → 69.57 of 93 (2.4 not
    // applicable) = 74.81% → band C.
    // 1.4: appraised 3 meetings → 4: tier "từ 4" = 20 instead of 15 (+5).
    // 2.3: 810/1000 = 81% → 900/1000 = 90% = the 90% threshold: 6 × 81/90 = 5.4 → 6 (+0.6).
    // 1.1.4: appraised 27/30 = 90%; the top tier now starts "từ 90%" → 2 instead of 1 (+1).
    // Total 69.57 + 6.6 = 76.17; 76.17 / 93 = 81.9032…% → band B.
    let (index, _) = example();
    let path = common::repo().join("criteria/examples/department-example.scenario.json");
    let s = scenario::parse(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let Some(scenario::BaseRef::Assessment(p)) = &s.base else {
        panic!("the example names an assessment")
    };
    let text = std::fs::read_to_string(path.parent().unwrap().join(p)).unwrap();
    let a = chiso::load::assessment(&text).unwrap();
    let w = scenario::run(&index, Base::Assessment(Box::new(a)), &[s]).unwrap();
    let u = &w.units[0];
    assert_eq!(u.baseline.total, Some(d("69.57")));
    assert_eq!(u.scenario.total, Some(d("76.17")));
    assert_eq!(u.delta, Some(d("6.6")));
    assert_eq!(u.baseline.band.as_deref(), Some("C"));
    assert_eq!(u.scenario.band.as_deref(), Some("B"));
    assert!(u.band_changed);
    assert_eq!(node(&w, "1.4").delta, Some(d("5")));
    assert_eq!(node(&w, "2.3").delta, Some(d("0.6")));
    assert_eq!(node(&w, "1.1.4").delta, Some(d("1")));
    assert_eq!(node(&w, "1").delta, Some(d("6")));
    assert_eq!(node(&w, "2").delta, Some(d("0.6")));
    assert!(!node(&w, "3").changed);
    let p = u.scenario.percent.unwrap();
    assert!(p > d("81.90") && p < d("81.91"), "{p}");
}

#[test]
fn not_applicable_and_applicable_change_the_maximum() {
    let (index, a) = example();
    // 2.2 (4 points, 45/60 → 3) not applicable: criteria 68.57 − 3 = 65.57, max 93 − 4 = 89.
    let w = run_one(
        &index,
        &a,
        r#"{"op":"not_applicable","code":"2.2","reason":"x"}"#,
    )
    .unwrap();
    let u = &w.units[0];
    assert_eq!(u.scenario.total, Some(d("66.57")));
    assert_eq!(u.scenario.applicable_max, Some(d("89")));
    assert_eq!(node(&w, "2.2").scenario, None);
    // 2.4 applicable again with no value: missing → 0 points (policy zero), max 93 + 7 = 100.
    let w = run_one(&index, &a, r#"{"op":"applicable","code":"2.4"}"#).unwrap();
    assert_eq!(w.units[0].scenario.applicable_max, Some(d("100")));
    assert_eq!(w.units[0].scenario.total, Some(d("69.57")));
    assert_eq!(node(&w, "2.4").scenario, Some(d("0")));
}

#[test]
fn every_bad_override_is_an_error_with_its_path_and_code() {
    let (index, a) = example();
    let err = run_one(
        &index,
        &a,
        r#"
        {"op":"set_value","code":"9.9","value":{"yes_no":true}},
        {"op":"set_value","code":"1.4","value":{"yes_no":true}},
        {"op":"set_value","code":"2.3","value":{"ratio":{"numerator":"810","denominator":"1000"}}},
        {"op":"set_value","code":"1.1.4","value":{"ratio":{"numerator":"26","denominator":"30"}}},
        {"op":"set_weight","code":"1.1","weight":"2"},
        {"op":"set_parameter","code":"3.1","parameter":{"name":"threshold_percent","value":"80"}},
        {"op":"set_value","code":"1","value":{"points":"3"}},
        {"op":"set_value","code":"1.3","layer":"survey","value":{"points":"3"}},
        {"op":"not_applicable","code":"2.4"},
        {"op":"set_parameter","code":"1.1.4","parameter":{"name":"tier_points","tier":7,"points":"1"}}
        "#,
    )
    .unwrap_err();
    let got: Vec<(String, Option<String>, String)> = err
        .0
        .iter()
        .map(|x| {
            let tag = serde_json::to_value(&x.problem).unwrap()["type"]
                .as_str()
                .unwrap()
                .to_owned();
            (x.path.clone(), x.code.clone(), tag)
        })
        .collect();
    let want = [
        ("$.overrides[0]", "9.9", "unknown_code"),
        ("$.overrides[1]", "1.4", "wrong_value_kind"),
        // 810/1000 is what the assessment has already.
        ("$.overrides[2]", "2.3", "override_same_as_base"),
        // 26/30 = 86.7% stays in the tier "từ 70% - 90%": no point changes.
        ("$.overrides[3]", "1.1.4", "override_no_effect"),
        ("$.overrides[4]", "1.1", "not_weighted"),
        ("$.overrides[5]", "3.1", "parameter_not_in_rule"),
        ("$.overrides[6]", "1", "value_on_parent"),
        ("$.overrides[7]", "1.3", "layer_ignored"),
        ("$.overrides[8]", "2.4", "override_same_as_base"),
        ("$.overrides[9]", "1.1.4", "no_such_tier"),
    ];
    assert_eq!(got.len(), want.len(), "{}", err.render(Lang::En));
    for (g, w) in got.iter().zip(want) {
        assert_eq!(
            (g.0.as_str(), g.1.as_deref(), g.2.as_str()),
            (w.0, Some(w.1), w.2)
        );
    }
    insta::assert_snapshot!(
        "scenario_errors",
        format!("{}\n\n{}", err.render(Lang::Vi), err.render(Lang::En))
    );
}

#[test]
fn an_override_that_breaks_the_index_is_an_error() {
    let (index, a) = example();
    // A tier bound beyond the next tier's upper bound makes the tiers overlap.
    let err = run_one(
        &index,
        &a,
        r#"{"op":"set_parameter","code":"1.1.4","parameter":{"name":"tier_bound","tier":2,"end":"to","bound":null}}"#,
    )
    .unwrap_err();
    assert_eq!(err.0[0].path, "$.overrides[0]");
    assert!(
        err.render(Lang::En).contains("overlap"),
        "{}",
        err.render(Lang::En)
    );
}

#[test]
fn malformed_overrides_are_reported_together() {
    let e = scenario::parse(
        r#"{"format":"chiso.scenario/1","index":"x","overrides":[
        {"op":"set_value","code":"1"},
        {"op":"set_weight","code":"2","weight":"1"},
        {"op":"fly","code":"3"}]}"#,
    )
    .unwrap_err();
    let paths: Vec<&str> = e.0.iter().map(|x| x.path.as_str()).collect();
    assert_eq!(paths, ["$.overrides[0]", "$.overrides[2].op"]);
    assert_eq!(e.0[1].code.as_deref(), Some("3"));
    let wrong = scenario::parse(r#"{"format":"chiso.assessment/1","index":"x","overrides":[]}"#)
        .unwrap_err();
    assert_eq!(wrong.0[0].path, "$.format");
}

const WEIGHTED: &str = r#"{
  "format": "chiso.index/1", "id": "w", "title": {"vi": "w", "en": "w"}, "version": "1",
  "legal_basis": [{"decision": "test", "issuer": "test", "url": "https://example.invalid"}],
  "unit_levels": ["province"], "years": {"from": 2020}, "completeness": "example",
  "aggregation": {"method": "weighted_mean", "weights": {"A": "1", "B": "3"}},
  "nodes": [
    {"code": "A", "title": {"vi": "A", "en": "A"}, "rule": {"type": "score"}},
    {"code": "B", "title": {"vi": "B", "en": "B"}, "rule": {"type": "score"}}
  ]
}"#;

fn unit(name: &str, a: &str, b: &str) -> Assessment {
    let mut x = Assessment::new("w", name);
    for (c, v) in [("A", a), ("B", b)] {
        x.entries.insert(
            c.into(),
            chiso::Entry::self_value(chiso::Value::Number(d(v))),
        );
    }
    x
}

#[test]
fn weight_changes_in_a_weighted_mean() {
    let index = Index::from_json(WEIGHTED).unwrap();
    let s = scenario::parse(
        r#"{"format":"chiso.scenario/1","index":"w","overrides":[{"op":"set_weight","code":"A","weight":"3"}]}"#,
    )
    .unwrap();
    // (1·8 + 3·4) / 4 = 5  →  (3·8 + 3·4) / 6 = 6
    let w = scenario::run(
        &index,
        Base::Assessment(Box::new(unit("u", "8", "4"))),
        &[s],
    )
    .unwrap();
    assert_eq!(w.units[0].baseline.total, Some(d("5")));
    assert_eq!(w.units[0].scenario.total, Some(d("6")));
}

#[test]
fn batch_ranks_move_and_units_can_be_selected() {
    let index = Index::from_json(WEIGHTED).unwrap();
    // Totals (A + 3B)/4: P = (8 + 12)/4 = 5, Q = (6 + 18)/4 = 6, R = (10 + 15)/4 = 6.25.
    // Ranks before: R 1, Q 2, P 3. P's B → 8: (8 + 24)/4 = 8 → P 1, R 2, Q 3.
    let csv = "unit,A,B\nP,8,4\nQ,6,6\nR,10,5\n";
    let units = scenario::units_from_text(&index, csv, InputFormat::Csv, Lang::En).unwrap();
    let s = scenario::parse(
        r#"{"format":"chiso.scenario/1","index":"w","overrides":[{"op":"set_value","code":"B","units":["P"],"value":{"number":"8"}}]}"#,
    )
    .unwrap();
    let w = scenario::run(&index, Base::Units(units.clone()), &[s]).unwrap();
    let by = |n: &str| w.units.iter().find(|u| u.unit == n).unwrap();
    assert_eq!(by("P").baseline.rank, Some(3));
    assert_eq!(by("P").scenario.rank, Some(1));
    assert_eq!(by("P").rank_change, Some(2));
    assert_eq!(by("R").rank_change, Some(-1));
    assert_eq!(by("Q").rank_change, Some(-1));
    assert_eq!(by("Q").delta, Some(d("0")));
    assert_eq!(by("P").scenario.total, Some(d("8")));
    // A unit that is not in the batch is an error.
    let s = scenario::parse(
        r#"{"format":"chiso.scenario/1","index":"w","overrides":[{"op":"set_value","code":"B","units":["Z"],"value":{"number":"8"}}]}"#,
    )
    .unwrap();
    let e = scenario::run(&index, Base::Units(units), &[s]).unwrap_err();
    assert!(matches!(e.0[0].problem, chiso::Problem::UnknownUnit { .. }));
}

#[test]
fn whatif_json_round_trip() {
    let dir = common::repo().join("criteria/examples");
    let index = std::fs::read_to_string(dir.join("department-example.json")).unwrap();
    let a = std::fs::read_to_string(dir.join("department-example.assessment.json")).unwrap();
    let s = r#"{"format":"chiso.scenario/1","index":"par-example-department","overrides":[{"op":"set_value","code":"1.3","value":{"points":"3"}}]}"#;
    let out = scenario::whatif_json(&index, &a, &[s]).unwrap();
    let w: WhatIf = serde_json::from_str(&out).unwrap();
    // 1.3: 2.75 (appraisal round 2) → 3.
    assert_eq!(w.units[0].delta, Some(d("0.25")));
}

/// Random final values for 2.2 (ratio n/60) and 1.3 (points on the 0.25 step).
fn assessment_with(a: &Assessment, n22: u32, p13: u32) -> Assessment {
    let mut a = a.clone();
    let e = a.entries.get_mut("2.2").unwrap();
    e.appraisal_1.as_mut().unwrap().value = chiso::Value::Ratio {
        numerator: n22.into(),
        denominator: 60.into(),
    };
    let e = a.entries.get_mut("1.3").unwrap();
    e.appraisal_2.as_mut().unwrap().value =
        chiso::Value::Points(Decimal::new(i64::from(p13) * 25, 2));
    a
}

fn set(code: &str, v: &str) -> String {
    format!(r#"{{"op":"set_value","code":"{code}","value":{v}}}"#)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn no_override_is_the_baseline(n in 0u32..=60, p in 0u32..=12) {
        let (index, a) = example();
        let a = assessment_with(&a, n, p);
        let w = scenario::run(&index, Base::Assessment(Box::new(a.clone())), &[scenario("")]).unwrap();
        let r = index.score(&a, View::Final).unwrap();
        let u = &w.units[0];
        prop_assert_eq!(u.baseline.clone(), u.scenario.clone());
        prop_assert_eq!(u.baseline.total, r.total.achieved);
        prop_assert_eq!(u.delta, Some(Decimal::ZERO));
        prop_assert!(u.nodes.iter().all(|x| !x.changed));
        for (x, y) in u.nodes.iter().zip(&r.nodes) {
            prop_assert_eq!(x.baseline, y.achieved);
        }
    }

    #[test]
    fn composition_is_sequential_application(
        ns in proptest::collection::vec(0u32..=60, 1..4),
        ps in proptest::collection::vec(0u32..=12, 1..4),
        split in 0usize..6,
    ) {
        let (index, a) = example();
        // Consecutive values differ (so every override changes points).
        let mut ns = ns; ns.dedup(); if ns[0] == 45 { ns.remove(0); }
        let mut ps = ps; ps.dedup(); if ps.first() == Some(&11) { ps.remove(0); }
        prop_assume!(!ns.is_empty() && !ps.is_empty());
        let mut overrides: Vec<String> = Vec::new();
        for (i, n) in ns.iter().enumerate() {
            overrides.push(set("2.2", &format!(r#"{{"ratio":{{"numerator":"{n}","denominator":"60"}}}}"#)));
            if let Some(p) = ps.get(i) {
                overrides.push(set("1.3", &format!(r#"{{"points":"{}"}}"#, Decimal::new(i64::from(*p) * 25, 2))));
            }
        }
        for p in ps.iter().skip(ns.len()) {
            overrides.push(set("1.3", &format!(r#"{{"points":"{}"}}"#, Decimal::new(i64::from(*p) * 25, 2))));
        }
        let k = split.min(overrides.len());
        let whole = scenario(&overrides.join(","));
        let first = scenario(&overrides[..k].join(","));
        let second = scenario(&overrides[k..].join(","));
        let base = || Base::Assessment(Box::new(a.clone()));
        let one = scenario::run(&index, base(), &[whole]).unwrap();
        let two = scenario::run(&index, base(), &[first, second]).unwrap();
        // The last value of each leaf wins: the same as scoring the edited assessment.
        let direct = index.score(&assessment_with(&a, *ns.last().unwrap(), *ps.last().unwrap()), View::Final).unwrap();
        prop_assert_eq!(&one.units, &two.units);
        prop_assert_eq!(one.units[0].scenario.total, direct.total.achieved);
        // Reproducible.
        let again = scenario::run(&index, base(), &[scenario(&overrides.join(","))]).unwrap();
        prop_assert_eq!(one, again);
    }
}

/// A units base is read by `chiso batch`'s reader: a ragged row, a file without units
/// and a header with an unnamed column are refused with the batch's messages and rows.
#[test]
fn units_are_read_as_the_batch_reads_them() {
    let (index, _) = example();
    let leaves: Vec<String> = index
        .leaves()
        .map(|i| index.nodes()[i].code.clone())
        .collect();
    let header = format!("unit,{}\n", leaves.join(","));
    let read = |text: &str| scenario::units_from_text(&index, text, InputFormat::Csv, Lang::En);
    // A short row (two fields) is an error at its row, as `chiso batch` says.
    let e = read(&format!("{header}X,1\n")).unwrap_err();
    assert_eq!(e.0[0].path, "row 2");
    let text = e.render(Lang::En);
    assert!(text.starts_with("error at row 2: "), "{text}");
    assert!(
        text.ends_with(&format!(
            "has 2 fields, the header has {} [batch_wrong_width]",
            leaves.len() + 1
        )),
        "{text}"
    );
    // The batch's stable code, for programs (the form highlights the row).
    assert_eq!(e.0[0].problem.stable_code(), "batch_wrong_width");
    // Only a header: no units (it used to be an empty what-if).
    let e = read(&header).unwrap_err();
    assert!(
        e.render(Lang::En).contains("no units"),
        "{}",
        e.render(Lang::En)
    );
    // An empty file: the header checks of the batch.
    let e = read("").unwrap_err();
    assert!(e
        .render(Lang::En)
        .contains("the unit name column is missing"));
    // An unnamed column, then a duplicated one: each named by position.
    let e = read(&format!("unit,,{},{}\n", leaves.join(","), leaves[0])).unwrap_err();
    let text = e.render(Lang::En);
    assert!(text.contains("column 2 has no name"), "{text}");
    assert!(
        text.contains(&format!(
            "columns 3 and {} have the same name",
            leaves.len() + 3
        )),
        "{text}"
    );
}

/// A what-if holds every unit's baseline and scenario scored in full: more than
/// `limits::MAX_WHATIF_CELLS` units × criteria is refused before any scoring.
#[test]
fn too_many_units_for_a_whatif_are_refused_before_scoring() {
    let (index, a) = example();
    let per_unit = index.nodes().len() as u64;
    let most = (chiso::limits::MAX_WHATIF_CELLS / per_unit) as usize;
    let s = scenario(r#"{"op":"set_value","code":"1.4","value":{"number":"4"}}"#);
    let units = vec![a; most + 1];
    let e = scenario::run(&index, Base::Units(units), &[s]).unwrap_err();
    assert_eq!(e.0[0].path, "$.base");
    assert!(matches!(
        e.0[0].problem,
        chiso::Problem::LimitExceeded {
            limit: chiso::limits::MAX_WHATIF_CELLS,
            ..
        }
    ));
}

/// The form's what-if (`scenario::compare`, what the WASM binding's `whatIf` returns):
/// hand-worked totals, the JSON shape the web form reads, and its two errors.
#[test]
fn form_edits_compare_with_the_original() {
    use chiso::scenario::{compare, Edit};
    let (index, a) = example();
    let edits = |json: &str| chiso::load::json_at::<Vec<Edit>>(json, "$overrides").unwrap();
    // 2.3 at 900/1000: 6 × min(1; 90% / 90%) = 6 instead of 5.4 (see `run` above); the
    // penalty block appraised at 1 is cleared: +1 more on the total.
    let c = compare(
        &index,
        &a,
        &edits(
            r#"[{"code":"2.3","value":{"ratio":{"numerator":"900","denominator":"1000"}}},
                {"code":"penalty","layer":"appraisal_1","clear":true}]"#,
        ),
        View::Final,
        "$overrides",
    )
    .unwrap();
    assert_eq!(c.delta, Some(d("1.6")));
    let n = c.nodes.iter().find(|n| n.code == "2.3").unwrap();
    assert_eq!(
        (n.before, n.after, n.delta),
        (Some(d("5.4")), Some(d("6")), Some(d("0.6")))
    );
    assert!(c.nodes.iter().all(|n| n.before != n.after));
    assert!(c.assessment.adjustments["penalty"].appraisal_1.is_none());
    assert!(
        a.adjustments["penalty"].appraisal_1.is_some(),
        "the original is kept"
    );
    let json: serde_json::Value = serde_json::to_value(&c).unwrap();
    for key in ["baseline", "scenario", "delta", "nodes", "assessment"] {
        assert!(json.get(key).is_some(), "{key}");
    }
    assert_eq!(json["nodes"][0].as_object().unwrap().len(), 4);

    // Marking 2.2 not applicable and back again composes to the original.
    let back = compare(
        &index,
        &a,
        &edits(r#"[{"code":"2.2","not_applicable":"x"},{"code":"2.2","applicable":true}]"#),
        View::Final,
        "$overrides",
    )
    .unwrap();
    assert_eq!(back.delta, Some(Decimal::ZERO));
    assert!(back.nodes.is_empty());

    // Errors: located at the edit, with its code.
    for (json, at, problem) in [
        (
            r#"[{"code":"2.3","applicable":true},{"code":"9.9","applicable":true}]"#,
            "$overrides[0]",
            "override_same_as_base",
        ),
        (
            r#"[{"code":"2.2","not_applicable":"x"},{"code":"9.9","applicable":true}]"#,
            "$overrides[1]",
            "unknown_code",
        ),
        (
            r#"[{"code":"total","clear":true}]"#,
            "$overrides[0]",
            "unknown_code",
        ),
    ] {
        let e = compare(&index, &a, &edits(json), View::Final, "$overrides").unwrap_err();
        assert_eq!(e.0[0].path, at, "{json}");
        let tag = serde_json::to_value(&e.0[0].problem).unwrap()["type"].clone();
        assert_eq!(tag, problem, "{json}");
    }
    let shape =
        chiso::load::json_at::<Vec<Edit>>(r#"[{"code":"2.3","layer":"nope"}]"#, "$overrides")
            .unwrap_err();
    assert_eq!(shape.0[0].path, "$overrides[0].layer");
}

/// The explanation the form shows is the one `chiso explain` prints.
#[test]
fn the_form_and_the_cli_explain_alike() {
    let (index, a) = example();
    let result = index.score(&a, View::Final).unwrap();
    for lang in [Lang::Vi, Lang::En] {
        let e = chiso::explain::Explanation::of(&index, &a, &result, "2.3", lang).unwrap();
        assert_eq!(
            e.detail,
            chiso::explain::explain(&index, &a, &result, "2.3", lang).unwrap()
        );
        assert_eq!(e.text, chiso::explain::line(e.node, lang));
        assert!(e.text.starts_with("2.3 "), "{}", e.text);
        assert!(e.entry.is_some());
    }
    assert!(chiso::explain::Explanation::of(&index, &a, &result, "total", Lang::Vi).is_none());
    assert!(chiso::explain::explain(&index, &a, &result, "total", Lang::Vi).is_some());
}
