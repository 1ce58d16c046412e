//! Unit-type scales (issue 11 §2): a criteria set declares once, in the index, the blocks
//! that do not apply to a unit type (Thanh Hóa 2024: agencies without a survey sample are
//! scored out of 84, par-index.md §4 and §10); an assessment names its `unit_type`;
//! percent and band use the applicable maximum; the declaration is validated with located
//! errors; and every path — `Index::score`, the points-only `Index::evaluate` /
//! `reevaluate` and batch — gives what marking the same nodes not applicable by hand gives.

mod common;
use common::Gen;

use chiso::assessment::{Assessment, Entry, LayerEntry, NotApplicable};
use chiso::batch::{run_in_memory, InputFormat, Options, OutputFormat};
use chiso::index::{
    Completeness, IndexDefinition, LegalBasis, UnitLevel, UnitType, YearRange, INDEX_FORMAT,
};
use chiso::inputs::Inputs;
use chiso::node::{Aggregation, Channel, Node};
use chiso::rule::{Award, Rule, ZeroDenominator};
use chiso::{Cell, Decimal, Index, Lang, Problem, Severity, Status, Text, Value, View};
use proptest::prelude::*;

fn d(s: &str) -> Decimal {
    s.parse().unwrap_or_else(|_| panic!("decimal {s:?}"))
}

const NO_SURVEY: &str = "khong_co_mau_khao_sat";

fn thanhhoa() -> Index {
    let p = common::repo().join("criteria/par-index/thanhhoa-2024-department-parts.json");
    Index::from_file(&p).unwrap_or_else(|e| panic!("{e}"))
}

fn appraised(points: &str) -> Entry {
    Entry {
        appraisal_2: Some(LayerEntry::new(Value::Points(d(points)))),
        ..Default::default()
    }
}

fn survey(points: &str) -> Entry {
    Entry {
        survey: Some(LayerEntry::new(Value::Points(d(points)))),
        ..Default::default()
    }
}

fn thanhhoa_unit(name: &str, unit_type: Option<&str>, entries: &[(&str, Entry)]) -> Assessment {
    Assessment {
        year: Some(2024),
        unit_type: unit_type.map(str::to_owned),
        entries: entries
            .iter()
            .map(|(c, e)| (c.to_string(), e.clone()))
            .collect(),
        ..Assessment::new("par-thanhhoa-2024-department-parts", name)
    }
}

#[test]
fn thanhhoa_agency_without_survey_is_scored_out_of_84() {
    let index = thanhhoa();
    // The declaration: area 8 (16 survey points) does not apply; 100 − 16 = 84.
    let t = index.unit_type(NO_SURVEY).expect("declared");
    assert_eq!(t.not_applicable, ["8"]);
    assert_eq!(t.max_points, Some(d("84")));
    assert_eq!(index.applicable_max(None), Some(d("100")));
    assert_eq!(index.applicable_max(Some(NO_SURVEY)), Some(d("84")));

    // Hand-worked, an agency without a survey sample: areas 1–7 appraised 78.54 of 84;
    // area 8 out of both the points and the maximum → 78.54 / 84 × 100 = 93.5 %.
    let agency = thanhhoa_unit("Sở Nội vụ", Some(NO_SURVEY), &[("1-7", appraised("78.54"))]);
    let r = index.score(&agency, View::Final).expect("score");
    assert_eq!(r.total.achieved, Some(d("78.54")));
    assert_eq!(r.total.applicable_max, Some(d("84")));
    assert_eq!(r.total.max_points, Some(d("100")));
    assert_eq!(r.total.percent, Some(d("93.5")));
    let area8 = r.node("8").expect("area 8");
    assert_eq!(area8.status, Status::NotApplicable);
    assert_eq!((area8.achieved, area8.applicable_max), (None, None));
    let why = area8.explanation.as_ref().expect("area 8 says why");
    assert!(
        why.vi.contains("không áp dụng cho loại đơn vị")
            && why.vi.contains("không có mẫu điều tra xã hội học")
            && why.vi.contains(NO_SURVEY),
        "{}",
        why.vi
    );
    assert!(
        why.en.contains("not applicable to the unit type")
            && why.en.contains("no survey sample")
            && why.en.contains(NO_SURVEY),
        "{}",
        why.en
    );
    let declared = r.unit_type.as_ref().expect("result names the unit type");
    assert_eq!(
        (declared.code.as_str(), declared.not_applicable.clone()),
        (NO_SURVEY, vec!["8".to_string()])
    );

    // A department with a survey sample: 78.54 + 13.6 = 92.14 of 100 → 92.14 %.
    let dept = thanhhoa_unit(
        "Sở Xây dựng",
        None,
        &[("1-7", appraised("78.54")), ("8", survey("13.6"))],
    );
    let r = index.score(&dept, View::Final).expect("score");
    assert_eq!(r.total.achieved, Some(d("92.14")));
    assert_eq!(
        (r.total.applicable_max, r.total.percent),
        (Some(d("100")), Some(d("92.14")))
    );
    assert!(r.unit_type.is_none());

    // Survey points given anyway for the agency are ignored, with a located warning.
    let with_survey = thanhhoa_unit(
        "Sở Nội vụ",
        Some(NO_SURVEY),
        &[("1-7", appraised("78.54")), ("8", survey("13.6"))],
    );
    let r = index.score(&with_survey, View::Final).expect("score");
    assert_eq!(r.total.achieved, Some(d("78.54")));
    let w: Vec<_> = r.diagnostics.warnings().collect();
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].path, "$.entries[\"8\"]");
    assert!(matches!(
        &w[0].problem,
        Problem::ValuesIgnoredUnitType { unit_type } if unit_type == NO_SURVEY
    ));
}

#[test]
fn unknown_unit_type_is_a_located_error() {
    let index = thanhhoa();
    let a = thanhhoa_unit("Sở Nội vụ", Some("khong_khao_sat"), &[]);
    let e = index.score(&a, View::Final).expect_err("unknown type");
    let err = e.errors().next().expect("an error");
    assert_eq!(err.path, "$.unit_type");
    assert!(matches!(
        &err.problem,
        Problem::UnknownUnitType { unit_type, allowed }
            if unit_type == "khong_khao_sat" && allowed == &[NO_SURVEY.to_string()]
    ));
    // The points-only path refuses it the same way.
    assert!(Inputs::resolve(&index, &a, View::Final).is_err());
    // An index without unit types says it declares none.
    let p = common::repo().join("criteria/par-index/national-876-2022-province-parts.json");
    let plain = Index::from_file(&p).expect("valid");
    let mut b = Assessment::new("par-876-2022-province-parts", "Tỉnh");
    b.unit_type = Some(NO_SURVEY.into());
    let e = plain.check_assessment(&b);
    insta::assert_snapshot!(
        "unknown_unit_type",
        format!(
            "{}\n{}\n{}",
            index.check_assessment(&a).render(Lang::Vi),
            index.check_assessment(&a).render(Lang::En),
            e.render(Lang::En)
        )
    );
}

/// A small valid index (areas 1 and 2 with sub-criteria, area 3 a leaf) whose unit types
/// are replaced by each test.
fn small(unit_types: serde_json::Value) -> IndexDefinition {
    let mut v = serde_json::json!({
        "format": "chiso.index/1", "id": "small", "version": "1",
        "title": { "vi": "Bộ thử", "en": "Test set" },
        "legal_basis": [ { "decision": "test", "issuer": "test", "url": "https://example.invalid" } ],
        "unit_levels": ["department"], "years": { "from": 2025 }, "completeness": "example",
        "max_points": "10",
        "nodes": [
            { "code": "1", "title": { "vi": "Lĩnh vực 1", "en": "Area 1" }, "max_points": "4", "children": [
                { "code": "1.1", "title": { "vi": "1.1", "en": "1.1" }, "max_points": "2", "rule": { "type": "discretionary" } },
                { "code": "1.2", "title": { "vi": "1.2", "en": "1.2" }, "max_points": "2", "rule": { "type": "discretionary" } } ] },
            { "code": "2", "title": { "vi": "Lĩnh vực 2", "en": "Area 2" }, "max_points": "4", "children": [
                { "code": "2.1", "title": { "vi": "2.1", "en": "2.1" }, "max_points": "4", "rule": { "type": "discretionary" } } ] },
            { "code": "3", "title": { "vi": "Lĩnh vực 3", "en": "Area 3" }, "max_points": "2", "channel": "survey", "rule": { "type": "score" } }
        ]
    });
    v["unit_types"] = unit_types;
    serde_json::from_value(v).expect("shape")
}

fn unit_type(code: &str, na: &[&str], max: Option<&str>) -> serde_json::Value {
    serde_json::json!({
        "code": code,
        "title": { "vi": format!("Loại {code}"), "en": format!("Type {code}") },
        "not_applicable": na,
        "reason": { "vi": "không có", "en": "none" },
        "max_points": max
    })
}

#[test]
fn a_valid_declaration_checks_its_maximum() {
    // 10 − area 3 (2) = 8; 10 − 1.2 (2) − area 2 (4) = 4.
    let def = small(serde_json::json!([
        unit_type("a", &["3"], Some("8")),
        unit_type("b", &["1.2", "2"], Some("4")),
        unit_type("c", &[], None)
    ]));
    let index = Index::new(def).unwrap_or_else(|e| panic!("{e}"));
    assert!(index.warnings().is_empty());
    assert_eq!(index.applicable_max(Some("a")), Some(d("8")));
    assert_eq!(index.applicable_max(Some("b")), Some(d("4")));
    assert_eq!(index.applicable_max(Some("c")), Some(d("10")));
    let mask = index.excluded(Some("b"));
    let excluded: Vec<&str> = index
        .nodes()
        .iter()
        .zip(&mask)
        .filter(|(_, &x)| x)
        .map(|(n, _)| n.code.as_str())
        .collect();
    assert_eq!(excluded, ["1.2", "2", "2.1"]);
}

#[test]
fn declaration_errors_are_located_all_at_once() {
    let def = small(serde_json::json!([
        unit_type("a", &["9", "3", "3"], None),
        unit_type("a", &["2", "2.1"], None),
        unit_type("all", &["1", "2", "3"], None),
        unit_type("", &["1.1"], None),
        unit_type("b", &["3"], Some("7.5"))
    ]));
    let e = Index::new(def.clone()).expect_err("invalid");
    let found: Vec<(String, Option<String>, String)> =
        e.0.iter()
            .map(|x| {
                assert_eq!(x.severity, Severity::Error);
                let tag = serde_json::to_value(&x.problem).expect("tag")["type"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned();
                (x.path.clone(), x.code.clone(), tag)
            })
            .collect();
    let want = [
        (
            "$.unit_types[0].not_applicable[0]",
            Some("9"),
            "unknown_code",
        ),
        (
            "$.unit_types[0].not_applicable[2]",
            Some("3"),
            "duplicate_key",
        ),
        ("$.unit_types[1].code", None, "duplicate_key"),
        (
            "$.unit_types[1].not_applicable[1]",
            Some("2.1"),
            "excluded_with_ancestor",
        ),
        (
            "$.unit_types[2].not_applicable",
            None,
            "unit_type_excludes_all",
        ),
        ("$.unit_types[3].code", None, "empty"),
    ];
    let want: Vec<(String, Option<String>, String)> = want
        .iter()
        .map(|(p, c, t)| (p.to_string(), c.map(str::to_owned), t.to_string()))
        .collect();
    assert_eq!(found, want);
    // The maximum is checked once the rest is valid: 10 − 2 = 8, not 7.5.
    let def = small(serde_json::json!([unit_type("b", &["3"], Some("7.5"))]));
    let e2 = Index::new(def).expect_err("max");
    assert_eq!(e2.len(), 1);
    assert_eq!(e2.0[0].path, "$.unit_types[0].max_points");
    assert!(matches!(
        e2.0[0].problem,
        Problem::UnitTypeMaxMismatch { declared, computed, .. }
            if declared == d("7.5") && computed == d("8")
    ));
    insta::assert_snapshot!(
        "declaration_errors",
        format!(
            "{}\n{}\n{}\n{}",
            e.render(Lang::Vi),
            e.render(Lang::En),
            e2.render(Lang::Vi),
            e2.render(Lang::En)
        )
    );
}

#[test]
fn excluded_parent_block_explains_itself_in_both_languages() {
    let index =
        Index::new(small(serde_json::json!([unit_type("b", &["2"], None)]))).expect("valid");
    let mut a = Assessment::new("small", "Đơn vị");
    a.unit_type = Some("b".into());
    a.entries
        .insert("1.1".into(), Entry::self_value(Value::Points(d("2"))));
    let r = index.score(&a, View::SelfAssessment).expect("score");
    for code in ["2", "2.1"] {
        let n = r.node(code).expect("node");
        let e = n.explanation.as_ref().expect("explained");
        assert!(e
            .vi
            .starts_with("không áp dụng cho loại đơn vị \"Loại b\" (b)"));
        assert!(e
            .en
            .starts_with("not applicable to the unit type \"Type b\" (b)"));
        assert_eq!(n.status, Status::NotApplicable);
    }
    // Area 1 keeps no explanation (parents are explained by their leaves).
    assert!(r.node("1").and_then(|n| n.explanation.as_ref()).is_none());
    // 2 (1.1) + 0 (1.2) + 0 (3, no survey value) of 4 + 2 = 6 → 33.33… %.
    assert_eq!(r.total.applicable_max, Some(d("6")));
    assert_eq!(r.total.achieved, Some(d("2")));
}

fn batch_rows(index: &Index, units: &[Assessment]) -> Vec<(String, String, String, String)> {
    let input: String = units
        .iter()
        .map(|a| serde_json::to_string(a).expect("json") + "\n")
        .collect();
    let opts = Options {
        output: OutputFormat::Csv,
        mean: false,
        ..Options::default()
    };
    let out = run_in_memory(index, input.as_bytes(), InputFormat::JsonLines, &opts)
        .unwrap_or_else(|e| panic!("{}", e.render()));
    let text = String::from_utf8(out).expect("utf-8");
    let mut rows = csv::Reader::from_reader(text.as_bytes());
    let h = rows.headers().expect("header").clone();
    let col = |n: &str| h.iter().position(|x| x == n).expect(n);
    rows.records()
        .map(|r| {
            let r = r.expect("row");
            (
                r[col("unit")].to_owned(),
                r[col("total")].to_owned(),
                r[col("percent")].to_owned(),
                r[col("rank")].to_owned(),
            )
        })
        .collect()
}

fn two_thanhhoa_units() -> [Assessment; 2] {
    [
        thanhhoa_unit(
            "Sở Xây dựng",
            None,
            &[("1-7", appraised("78.54")), ("8", survey("13.6"))],
        ),
        thanhhoa_unit("Sở Nội vụ", Some(NO_SURVEY), &[("1-7", appraised("78.54"))]),
    ]
}

#[test]
fn batch_json_lines_scores_each_unit_on_its_scale() {
    let rows = batch_rows(&thanhhoa(), &two_thanhhoa_units());
    let got: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| (r.0.as_str(), r.1.as_str(), r.2.as_str()))
        .collect();
    // Same points and percents as `Index::score` (hand-worked above).
    assert_eq!(
        got,
        [
            ("Sở Xây dựng", "92.14", "92.14"),
            ("Sở Nội vụ", "78.54", "93.5")
        ]
    );
}

/// par-index.md §6 names "ranks on raw points although tier maxima differ" as a defect to
/// avoid, and §4 defines the index as a percent of the applicable maximum: units of one
/// block scored on different maxima rank on their percent (src/ranking.rs,
/// `rank_on_scales`).
#[test]
fn batch_ranks_units_of_different_maxima_on_percent() {
    let rows = batch_rows(&thanhhoa(), &two_thanhhoa_units());
    let ranks: Vec<(&str, &str)> = rows.iter().map(|r| (r.0.as_str(), r.3.as_str())).collect();
    // 93.5 % (78.54 of 84) before 92.14 % (92.14 of 100).
    assert_eq!(ranks, [("Sở Xây dựng", "2"), ("Sở Nội vụ", "1")]);
}

/// The CSV batch's optional `unit_type` column gives what the JSON lines give.
fn csv_rows(index: &Index, csv: &str, lang: Lang) -> Result<Vec<Vec<String>>, String> {
    let opts = Options {
        mean: false,
        lang,
        source: "units.csv".into(),
        ..Options::default()
    };
    let out =
        run_in_memory(index, csv.as_bytes(), InputFormat::Csv, &opts).map_err(|e| e.render())?;
    let mut r = csv::Reader::from_reader(out.as_slice());
    let h = r.headers().expect("header").clone();
    let want = ["unit", "total", "percent", "rank"];
    Ok(r.records()
        .map(|x| {
            let x = x.expect("row");
            want.iter()
                .map(|w| x[h.iter().position(|c| c == *w).expect("column")].to_owned())
                .collect()
        })
        .collect())
}

#[test]
fn csv_unit_type_column_scores_and_ranks_like_json_lines() {
    let index = thanhhoa();
    // Sở Xây dựng: 78.54 + 13.6 = 92.14 of 100; Sở Nội vụ (no survey sample): 78.54 of 84
    // = 93.5 % → first. The survey cell of the agency is empty (or n/a).
    for cell in ["", "n/a", " N/A "] {
        let csv = format!(
            "unit,unit_type,1-7,8\nSở Xây dựng,,78.54,13.6\nSở Nội vụ,{NO_SURVEY},78.54,{cell}\n"
        );
        let rows = csv_rows(&index, &csv, Lang::En).unwrap();
        let json = batch_rows(&index, &two_thanhhoa_units());
        let as_tuples: Vec<(String, String, String, String)> = rows
            .into_iter()
            .map(|r| (r[0].clone(), r[1].clone(), r[2].clone(), r[3].clone()))
            .collect();
        assert_eq!(as_tuples, json, "{cell:?}");
        // The assessments a row stands for (what-if, planner) carry the type too.
        let units =
            chiso::scenario::units_from_text(&index, &csv, InputFormat::Csv, Lang::En).unwrap();
        assert_eq!(units[1].unit_type.as_deref(), Some(NO_SURVEY));
        let r = index.score(&units[1], View::Final).unwrap();
        assert_eq!(r.total.percent, Some(d("93.5")));
        assert_eq!(
            as_tuples,
            [
                (
                    "Sở Xây dựng".into(),
                    "92.14".into(),
                    "92.14".into(),
                    "2".into()
                ),
                (
                    "Sở Nội vụ".into(),
                    "78.54".into(),
                    "93.5".into(),
                    "1".into()
                )
            ]
        );
    }
    // The same units in two blocks: each block has one maximum and ranks on points.
    let csv = format!(
        "unit,block,unit_type,1-7,8\nSở Xây dựng,A,,78.54,13.6\nSở Nội vụ,B,{NO_SURVEY},78.54,\n\
         Sở Tài chính,B,{NO_SURVEY},80,\n"
    );
    let ranks: Vec<String> = csv_rows(&index, &csv, Lang::En)
        .unwrap()
        .into_iter()
        .map(|r| r[3].clone())
        .collect();
    assert_eq!(ranks, ["1", "2", "1"]);
}

#[test]
fn csv_unit_type_errors_are_located() {
    let index = thanhhoa();
    // A survey value for an agency without a survey sample would be ignored: an error;
    // an unknown type: an error listing the declared ones. Every bad row at once.
    let csv = format!(
        "unit,unit_type,1-7,8\nSở Tài chính,{NO_SURVEY},70,12\nSở Y tế,khong_khao_sat,70,10\nSở Xây dựng,,78.54,13.6\n"
    );
    let en = csv_rows(&index, &csv, Lang::En).unwrap_err();
    assert_eq!(
        en,
        "units.csv row 2, column 8: '12' does not apply to the unit type \"khong_co_mau_khao_sat\" \
         (declared by the index): leave it empty or write n/a\n\
         units.csv row 3, column unit_type: 'khong_khao_sat' the index declares no unit type \
         \"khong_khao_sat\"; unit types: khong_co_mau_khao_sat"
    );
    let vi = csv_rows(&index, &csv, Lang::Vi).unwrap_err();
    assert!(
        vi.contains("dòng 2, cột 8: '12' không áp dụng cho loại đơn vị \"khong_co_mau_khao_sat\""),
        "{vi}"
    );
    // An index without unit types: any type is unknown; an empty cell is fine.
    let plain = Index::from_file(
        &common::repo().join("criteria/par-index/national-876-2022-province-parts.json"),
    )
    .unwrap();
    let leaves: Vec<String> = plain
        .leaves()
        .map(|i| plain.nodes()[i].code.clone())
        .collect();
    let header = format!("unit,unit_type,{}\n", leaves.join(","));
    let row = |t: &str| format!("X,{t},{}\n", vec!["1"; leaves.len()].join(","));
    assert!(csv_rows(&plain, &format!("{header}{}", row("")), Lang::En).is_ok());
    let e = csv_rows(&plain, &format!("{header}{}", row(NO_SURVEY)), Lang::En).unwrap_err();
    assert!(
        e.contains("column unit_type: 'khong_co_mau_khao_sat' the index declares no unit types"),
        "{e}"
    );
}

// ---------------------------------------------------------------------------------------
// Property: the unit-type path equals marking the same nodes not applicable by hand.

// `Gen` (splitmix64: `next`, `below`, `chance`) is shared in tests/common; the draws
// this file needs beside them:
impl Gen {
    /// A multiple of 0.25 in [0, max].
    fn quarter(&mut self, max: Decimal) -> Decimal {
        let q = (max * Decimal::from(4)).trunc();
        let q = u64::try_from(q.mantissa()).unwrap_or(0) / 10u64.pow(q.scale());
        Decimal::new(self.below(q + 1) as i64 * 25, 2)
    }
}

fn t(s: &str) -> Text {
    Text::new(s, s)
}

fn leaf(g: &mut Gen, code: &str) -> Node {
    let max = Decimal::new((g.below(12) as i64 + 1) * 25, 2);
    let survey = g.chance(15);
    let rule = if survey {
        Rule::Score { nominal: None }
    } else {
        match g.below(3) {
            0 => Rule::YesNo {
                conditions: vec![],
                yes: Award {
                    label: t("có"),
                    points: Some(max),
                    percent_of_max: None,
                },
                no: Award {
                    label: t("không"),
                    points: Some(Decimal::ZERO),
                    percent_of_max: None,
                },
            },
            1 => Rule::Proportional {
                threshold_percent: None,
                gate: None,
                zero_denominator: ZeroDenominator::NotApplicable,
                numerator: None,
                denominator: None,
            },
            _ => Rule::Discretionary {
                step: Some(d("0.25")),
            },
        }
    };
    Node {
        code: code.into(),
        title: t(&format!("Tiêu chí {code}")),
        max_points: Some(max),
        scoring_text: None,
        evidence: if !survey && g.chance(30) {
            vec![t("tài liệu kiểm chứng")]
        } else {
            vec![]
        },
        channel: if survey {
            Channel::Survey
        } else {
            Channel::Appraised
        },
        verifier: None,
        notes: vec![],
        aggregation: None,
        children: vec![],
        rule: Some(rule),
    }
}

fn children(g: &mut Gen, prefix: &str, depth: usize) -> Vec<Node> {
    (1..=g.below(4) + 1)
        .map(|i| {
            let code = if prefix.is_empty() {
                i.to_string()
            } else {
                format!("{prefix}.{i}")
            };
            if depth < 3 && g.chance(45) {
                let kids = children(g, &code, depth + 1);
                let sum: Decimal = kids.iter().filter_map(|k| k.max_points).sum();
                let (aggregation, max) = if g.chance(20) {
                    // A weighted mean rescaled to the node's maximum (PCI-style).
                    let weights = kids
                        .iter()
                        .map(|k| (k.code.clone(), Decimal::from(g.below(3) + 1)))
                        .collect();
                    (
                        Aggregation::WeightedMean {
                            weights,
                            rescale_to_max: true,
                        },
                        Decimal::from(g.below(8) + 1),
                    )
                } else {
                    (Aggregation::default(), sum)
                };
                Node {
                    code: code.clone(),
                    title: t(&format!("Tiêu chí {code}")),
                    max_points: Some(max),
                    scoring_text: None,
                    evidence: vec![],
                    channel: Channel::Appraised,
                    verifier: None,
                    notes: vec![],
                    aggregation: Some(aggregation),
                    children: kids,
                    rule: None,
                }
            } else {
                leaf(g, &code)
            }
        })
        .collect()
}

/// A random index and the codes of a random unit type (something always applies).
fn random_index(seed: u64) -> (IndexDefinition, Vec<String>) {
    let mut g = Gen(seed);
    let nodes = children(&mut g, "", 1);
    let max = nodes.iter().filter_map(|n| n.max_points).sum();
    fn codes(nodes: &[Node], out: &mut Vec<(String, bool)>) {
        for n in nodes {
            out.push((n.code.clone(), n.children.is_empty()));
            codes(&n.children, out);
        }
    }
    let mut all = Vec::new();
    codes(&nodes, &mut all);
    // List some nodes, none below another listed one, and keep the first leaf applicable.
    let first_leaf = all
        .iter()
        .find(|c| c.1)
        .map(|c| c.0.clone())
        .unwrap_or_default();
    let mut listed: Vec<String> = Vec::new();
    for (c, _) in &all {
        let keeps_first = first_leaf == *c || first_leaf.starts_with(&format!("{c}."));
        let under = listed.iter().any(|l| c.starts_with(&format!("{l}.")));
        if !keeps_first && !under && g.chance(25) {
            listed.push(c.clone());
        }
    }
    let def = IndexDefinition {
        format: INDEX_FORMAT.into(),
        id: "prop-ut".into(),
        title: t("Chỉ số thử"),
        version: "1".into(),
        legal_basis: vec![LegalBasis {
            decision: "test".into(),
            date: None,
            issuer: "test".into(),
            url: "https://example.invalid".into(),
            part: None,
        }],
        unit_levels: vec![UnitLevel::Department],
        years: YearRange {
            from: 2025,
            to: None,
        },
        completeness: Completeness::Example,
        notes: vec![],
        max_points: Some(max),
        aggregation: Aggregation::default(),
        policies: Default::default(),
        bands: serde_json::from_value(serde_json::json!([
            { "code": "A", "label": { "vi": "A", "en": "A" }, "range": { "from": { "value": "90", "inclusive": true } } },
            { "code": "B", "label": { "vi": "B", "en": "B" }, "range": { "from": { "value": "50", "inclusive": true }, "to": { "value": "90", "inclusive": false } } }
        ]))
        .expect("bands"),
        tie_policy: Default::default(),
        adjustments: serde_json::from_value(serde_json::json!([
            { "code": "bonus", "title": { "vi": "Điểm thưởng", "en": "Bonus" }, "kind": "bonus", "cap": "1" }
        ]))
        .expect("adjustments"),
        unit_types: vec![UnitType {
            code: "u".into(),
            title: t("Loại thử"),
            not_applicable: listed.clone(),
            reason: t("thử"),
            max_points: None,
            notes: vec![],
        }],
        nodes,
    };
    (def, listed)
}

fn random_value(g: &mut Gen, rule: &Rule, max: Decimal) -> Value {
    match rule {
        Rule::YesNo { .. } => Value::YesNo(g.chance(60)),
        Rule::Proportional { .. } => {
            let den = g.below(20);
            Value::Ratio {
                numerator: Decimal::from(g.below(den + 1)),
                denominator: Decimal::from(den),
            }
        }
        _ => Value::Points(g.quarter(max)),
    }
}

fn random_assessment(index: &Index, seed: u64) -> Assessment {
    let mut g = Gen(seed ^ 0x5EED);
    let mut a = Assessment::new("prop-ut", "Sở thử");
    let mix = common::Mix {
        not_applicable: 4,
        missing: 10,
        evidence: 60,
        appraisal_1: 40,
        appraisal_2: 0,
    };
    a.entries = common::random_entries(index, &mut g, &mix, &random_value);
    if g.chance(50) {
        a.adjustments.insert(
            "bonus".into(),
            Entry::self_value(Value::Points(g.quarter(Decimal::ONE))),
        );
    }
    a
}

/// The same assessment with the unit type's nodes marked not applicable by hand.
fn by_hand(a: &Assessment, listed: &[String]) -> Assessment {
    let mut b = a.clone();
    b.unit_type = None;
    for c in listed {
        b.entries.entry(c.clone()).or_default().not_applicable = Some(NotApplicable {
            reason: "không áp dụng".into(),
        });
    }
    b
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn unit_type_equals_marking_the_nodes_not_applicable_by_hand(seed in any::<u64>(), aseed in any::<u64>(), vseed in any::<u64>(), pick in any::<prop::sample::Index>()) {
        let (def, listed) = random_index(seed);
        let index = Index::new(def).expect("random index is valid");
        let mut a = random_assessment(&index, aseed);
        a.unit_type = Some("u".into());
        let b = by_hand(&a, &listed);
        for view in [View::SelfAssessment, View::Appraised, View::Final] {
            let ra = index.score(&a, view).expect("unit type scores");
            let rb = index.score(&b, view).expect("by hand scores");
            prop_assert_eq!(&ra.total.achieved, &rb.total.achieved);
            prop_assert_eq!(&ra.total.applicable_max, &rb.total.applicable_max);
            prop_assert_eq!(&ra.total.percent, &rb.total.percent);
            prop_assert_eq!(&ra.total.band, &rb.total.band);
            prop_assert_eq!(
                (&ra.total.self_points, &ra.total.appraised_points, &ra.total.final_points),
                (&rb.total.self_points, &rb.total.appraised_points, &rb.total.final_points)
            );
            for (x, y) in ra.nodes.iter().zip(&rb.nodes) {
                prop_assert_eq!(&x.code, &y.code);
                prop_assert_eq!((x.achieved, x.applicable_max, x.percent), (y.achieved, y.applicable_max, y.percent), "{} in {:?}", x.code, view);
                prop_assert_eq!(&x.status, &y.status, "{}", x.code);
                prop_assert_eq!((x.self_points, x.appraised_points, x.final_points), (y.self_points, y.appraised_points, y.final_points));
            }
            // The points-only path gives the same numbers.
            let inputs = Inputs::resolve(&index, &a, view).expect("resolve");
            let mut cells = vec![Cell::Missing; index.nodes().len()];
            let total = index.evaluate(&inputs, &mut cells).expect("evaluate");
            prop_assert_eq!(total, ra.total.achieved);
            for (n, c) in index.nodes().iter().zip(&cells).skip(1) {
                let res = ra.node(&n.code).expect("node");
                prop_assert_eq!((c.achieved(), c.max()), (res.achieved, res.applicable_max), "{} in {:?}", n.code, view);
            }
            // Re-scoring one changed leaf incrementally equals scoring the changed assessment.
            let leaves: Vec<usize> = index.leaves().collect();
            let i = leaves[pick.index(leaves.len())];
            let node = &index.nodes()[i];
            let mut g = Gen(vseed);
            let value = random_value(&mut g, node.rule.as_ref().expect("rule"), node.max.unwrap_or(Decimal::ONE));
            let mut changed = a.clone();
            let e = changed.entries.entry(node.code.clone()).or_default();
            match node.channel {
                Channel::Survey => e.survey = Some(LayerEntry::new(value)),
                Channel::Appraised => e.self_assessment = Some(LayerEntry::new(value)),
            }
            let mut inputs = inputs;
            let total = match inputs.refresh(&index, &changed, &node.code).expect("refresh") {
                Some(p) => index.reevaluate(&inputs, &mut cells, p).expect("reevaluate"),
                None => index.evaluate(&inputs, &mut cells).expect("evaluate"),
            };
            let full = index.score(&changed, view).expect("score");
            prop_assert_eq!(total, full.total.achieved, "{} in {:?}", node.code, view);
            for (n, c) in index.nodes().iter().zip(&cells).skip(1) {
                prop_assert_eq!(c.achieved(), full.node(&n.code).expect("node").achieved, "{}", n.code);
            }
        }
        // The applicable maximum the index reports is the one scoring uses.
        prop_assert_eq!(index.applicable_max(Some("u")), by_hand_max(&index, &listed));
    }
}

/// The applicable maximum when the listed nodes are marked not applicable by hand and
/// nothing else is entered (missing values score 0 of their maximum).
fn by_hand_max(index: &Index, listed: &[String]) -> Option<Decimal> {
    let b = by_hand(&Assessment::new("prop-ut", "max"), listed);
    index
        .score(&b, View::SelfAssessment)
        .ok()
        .and_then(|r| r.total.applicable_max)
}
