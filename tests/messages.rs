//! Snapshot tests of the messages people read when an index file or an assessment is
//! wrong: every snapshot holds the Vietnamese and the English rendering.
//!
//! Each case also asserts the problem types and criterion codes it must report, so a
//! case fails on a wrong diagnosis even when its snapshot is updated carelessly.
//! Review snapshots with `cargo insta review` (or `INSTA_UPDATE=always` and `git diff`).

use chiso::{Diagnostics, Index, Lang, Severity};
use serde_json::{json, Value};

/// A small valid index used as the base of most cases (illustrative numbers, not an
/// official criteria set).
const BASE: &str = r#"{
  "format": "chiso.index/1",
  "id": "bad-test",
  "title": {"vi": "Bộ chỉ số thử", "en": "Test index"},
  "version": "1",
  "legal_basis": [{"decision": "0/TEST", "issuer": "test", "url": "https://example.invalid"}],
  "unit_levels": ["department"],
  "years": {"from": 2024, "to": 2024},
  "completeness": "example",
  "max_points": "10",
  "bands": [
    {"code": "tot", "label": {"vi": "Tốt", "en": "Good"}, "range": {"from": {"value": "80", "inclusive": true}}},
    {"code": "kha", "label": {"vi": "Khá", "en": "Fair"}, "range": {"to": {"value": "80", "inclusive": false}}}
  ],
  "adjustments": [{"code": "thuong", "title": {"vi": "Điểm thưởng", "en": "Bonus"}, "kind": "bonus", "cap": "1"}],
  "nodes": [
    {"code": "1", "title": {"vi": "Công tác chỉ đạo, điều hành", "en": "Direction"}, "max_points": "10", "children": [
      {"code": "1.1", "title": {"vi": "Ban hành kế hoạch CCHC", "en": "PAR plan"}, "max_points": "1",
       "rule": {"type": "timeliness",
         "on_time": {"label": {"vi": "Ban hành kịp thời"}, "points": "1"},
         "late": {"label": {"vi": "Ban hành không kịp thời"}, "points": "0.5"},
         "not_done": {"label": {"vi": "Không ban hành"}, "points": "0"}}},
      {"code": "1.2", "title": {"vi": "Tỷ lệ hoàn thành kế hoạch", "en": "Plan completion"}, "max_points": "2",
       "rule": {"type": "tiers", "measure": "percent", "tiers": [
         {"range": {"from": {"value": "90", "inclusive": false}}, "label": {"vi": "trên 90%"}, "points": "2"},
         {"range": {"from": {"value": "70", "inclusive": true}, "to": {"value": "90", "inclusive": true}}, "label": {"vi": "từ 70% - 90%"}, "points": "1"},
         {"range": {"to": {"value": "70", "inclusive": false}}, "label": {"vi": "dưới 70%"}, "points": "0"}]}},
      {"code": "1.3", "title": {"vi": "Hồ sơ giải quyết đúng hạn", "en": "Dossiers on time"}, "max_points": "2",
       "rule": {"type": "proportional", "zero_denominator": "invalid"}},
      {"code": "1.4", "title": {"vi": "Mức độ thực hiện", "en": "Degree of implementation"}, "max_points": "2",
       "rule": {"type": "levels", "levels": [
         {"key": "tot", "label": {"vi": "Thực hiện tốt"}, "points": "2"},
         {"key": "chua_day_du", "label": {"vi": "Thực hiện chưa đầy đủ"}, "points": "1"},
         {"key": "khong", "label": {"vi": "Không thực hiện"}, "points": "0"}]}},
      {"code": "1.5", "title": {"vi": "Hội đồng đánh giá", "en": "Council judgement"}, "max_points": "1",
       "rule": {"type": "discretionary", "step": "0.25"}},
      {"code": "1.6", "title": {"vi": "Xác định nhiệm vụ và bố trí kinh phí", "en": "Tasks and funding"}, "max_points": "1",
       "rule": {"type": "yes_no",
         "conditions": [
           {"key": "nhiem_vu", "label": {"vi": "Xác định đầy đủ nhiệm vụ"}},
           {"key": "kinh_phi", "label": {"vi": "Có bố trí kinh phí"}}],
         "yes": {"label": {"vi": "Đạt"}, "points": "1"},
         "no": {"label": {"vi": "Không đạt"}, "points": "0"}}},
      {"code": "1.7", "title": {"vi": "Điểm khảo sát được công bố", "en": "Published survey score"}, "max_points": "1",
       "rule": {"type": "score", "nominal": {"from": {"value": "0.2", "inclusive": true}, "to": {"value": "0.8", "inclusive": true}}}}
    ]}
  ]
}"#;

fn base() -> Value {
    serde_json::from_str(BASE).unwrap()
}

/// The base index with one change.
fn with(change: impl FnOnce(&mut Value)) -> String {
    let mut v = base();
    change(&mut v);
    serde_json::to_string_pretty(&v).unwrap()
}

fn at<'a>(v: &'a mut Value, pointer: &str) -> &'a mut Value {
    v.pointer_mut(pointer)
        .unwrap_or_else(|| panic!("no {pointer} in the base index"))
}

/// Diagnostics of an index text: errors when it fails, warnings when it loads.
fn index_diags(text: &str, file: &str) -> Diagnostics {
    match Index::from_json(text) {
        Ok(i) => i.warnings().clone(),
        Err(d) => d,
    }
    .in_file(file)
}

fn fixture(name: &str) -> Diagnostics {
    let rel = format!("tests/fixtures/bad/{name}");
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(&rel);
    let text = std::fs::read_to_string(&path).unwrap();
    index_diags(&text, &rel)
}

/// Diagnostics of an assessment against the base index.
fn assessment_diags(a: Value) -> Diagnostics {
    let index = Index::from_json(BASE).unwrap();
    let text = serde_json::to_string_pretty(&a).unwrap();
    match chiso::load::assessment(&text) {
        Ok(a) => index.check_assessment(&a),
        Err(d) => d,
    }
    .in_file("assessment.json")
}

fn assessment(entries: Value) -> Value {
    json!({"format": "chiso.assessment/1", "index": "bad-test", "unit": {"name": "Sở Tư pháp"}, "year": 2024, "entries": entries})
}

fn kind(d: &chiso::Diagnostic) -> String {
    serde_json::to_value(&d.problem).unwrap()["type"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Checks the diagnosis, then snapshots both languages.
///
/// `expected`: (severity, problem type, criterion code) of every diagnostic, in order.
fn check(name: &str, d: &Diagnostics, expected: &[(Severity, &str, Option<&str>)]) {
    let got: Vec<(Severity, String, Option<String>)> =
        d.0.iter()
            .map(|x| (x.severity, kind(x), x.code.clone()))
            .collect();
    let want: Vec<(Severity, String, Option<String>)> = expected
        .iter()
        .map(|(s, k, c)| (*s, (*k).to_owned(), c.map(str::to_owned)))
        .collect();
    assert_eq!(
        got,
        want,
        "{name}: unexpected diagnosis:\n{}",
        d.render(Lang::En)
    );
    for x in &d.0 {
        assert!(x.file.is_some(), "{name}: a message must name the file");
        assert!(
            x.path.starts_with('$'),
            "{name}: a message must give a JSON path"
        );
    }
    let text = format!(
        "vi:\n{}\n\nen:\n{}\n",
        d.render(Lang::Vi),
        d.render(Lang::En)
    );
    insta::assert_snapshot!(name, text);
}

use Severity::{Error as E, Warning as W};

// ---------------------------------------------------------------- JSON and shape

#[test]
fn json_syntax_error() {
    check(
        "json_syntax_error",
        &fixture("syntax.json"),
        &[(E, "syntax", None)],
    );
}

#[test]
fn empty_file() {
    check(
        "empty_file",
        &index_diags("", "empty.json"),
        &[(E, "syntax", None)],
    );
}

#[test]
fn number_too_large() {
    let text = with(|v| *at(v, "/nodes/0/children/0/max_points") = json!("1e999"));
    let text = text.replace("\"1e999\"", "1e999");
    check(
        "number_too_large",
        &index_diags(&text, "index.json"),
        &[(E, "unreadable_value", Some("1.1"))],
    );
}

#[test]
fn wrong_format_tag() {
    let text = with(|v| v["format"] = json!("chiso.index/2"));
    check(
        "wrong_format_tag",
        &index_diags(&text, "index.json"),
        &[(E, "wrong_format", None)],
    );
}

#[test]
fn missing_field() {
    let text = with(|v| {
        v.as_object_mut().unwrap().remove("version");
    });
    check(
        "missing_field",
        &index_diags(&text, "index.json"),
        &[(E, "structure", None)],
    );
}

#[test]
fn missing_field_in_node() {
    let text = with(|v| {
        at(v, "/nodes/0/children/2")
            .as_object_mut()
            .unwrap()
            .remove("title");
    });
    check(
        "missing_field_in_node",
        &index_diags(&text, "index.json"),
        &[(E, "structure", Some("1.3"))],
    );
}

#[test]
fn unknown_field() {
    let text = with(|v| at(v, "/nodes/0/children/1")["maxpoints"] = json!("2"));
    check(
        "unknown_field",
        &index_diags(&text, "index.json"),
        &[(E, "structure", Some("1.2"))],
    );
}

#[test]
fn wrong_type() {
    let text = with(|v| at(v, "/nodes/0/children/3")["max_points"] = json!(true));
    check(
        "wrong_type",
        &index_diags(&text, "index.json"),
        &[(E, "structure", Some("1.4"))],
    );
}

#[test]
fn unknown_rule_type() {
    let text = with(|v| at(v, "/nodes/0/children/4/rule")["type"] = json!("guess"));
    check(
        "unknown_rule_type",
        &index_diags(&text, "index.json"),
        &[(E, "structure", Some("1.5"))],
    );
}

#[test]
fn all_shape_errors_reported_at_once() {
    check(
        "all_shape_errors_reported_at_once",
        &fixture("multi-structure.json"),
        &[
            (E, "structure", Some("1.1")),
            (E, "structure", Some("1.2")),
            (E, "structure", None),
            (E, "structure", Some("1.4")),
        ],
    );
}

// ---------------------------------------------------------------- tree

#[test]
fn duplicate_code() {
    let text = with(|v| at(v, "/nodes/0/children/1")["code"] = json!("1.1"));
    check(
        "duplicate_code",
        &index_diags(&text, "index.json"),
        &[(E, "duplicate_code", Some("1.1"))],
    );
}

#[test]
fn children_maxima_differ_from_parent() {
    let text = with(|v| at(v, "/nodes/0")["max_points"] = json!("12"));
    check(
        "children_maxima_differ_from_parent",
        &index_diags(&text, "index.json"),
        // The root (10) still matches; node 1 (12) does not, and then the root's sum does not either.
        &[(E, "max_mismatch", None), (E, "max_mismatch", Some("1"))],
    );
}

#[test]
fn rule_and_children() {
    let text = with(|v| at(v, "/nodes/0")["rule"] = json!({"type": "discretionary"}));
    check(
        "rule_and_children",
        &index_diags(&text, "index.json"),
        &[(E, "rule_and_children", Some("1"))],
    );
}

#[test]
fn no_rule_no_children() {
    let text = with(|v| {
        at(v, "/nodes/0/children/4")
            .as_object_mut()
            .unwrap()
            .remove("rule");
    });
    check(
        "no_rule_no_children",
        &index_diags(&text, "index.json"),
        &[(E, "no_rule_no_children", Some("1.5"))],
    );
}

// ---------------------------------------------------------------- weights

fn weighted(weights: Value) -> String {
    with(|v| {
        at(v, "/nodes/0")["aggregation"] = json!({"method": "weighted_sum", "weights": weights})
    })
}

fn ones() -> serde_json::Map<String, Value> {
    (1..=7).map(|i| (format!("1.{i}"), json!("1"))).collect()
}

#[test]
fn missing_weight() {
    let mut w = ones();
    w.remove("1.3");
    check(
        "missing_weight",
        &index_diags(&weighted(Value::Object(w)), "index.json"),
        &[(E, "weight_missing", Some("1"))],
    );
}

#[test]
fn weight_for_unknown_child() {
    let mut w = ones();
    w.insert("1.9".into(), json!("1"));
    check(
        "weight_for_unknown_child",
        &index_diags(&weighted(Value::Object(w)), "index.json"),
        &[(E, "weight_unknown_child", Some("1"))],
    );
}

#[test]
fn non_positive_weight() {
    let mut w = ones();
    w.insert("1.2".into(), json!("0"));
    check(
        "non_positive_weight",
        &index_diags(&weighted(Value::Object(w)), "index.json"),
        &[(E, "weight_not_positive", Some("1"))],
    );
}

// ---------------------------------------------------------------- rules

#[test]
fn rule_needs_max() {
    let text = with(|v| at(v, "/nodes/0/children/2")["max_points"] = Value::Null);
    check(
        "rule_needs_max",
        &index_diags(&text, "index.json"),
        &[(E, "max_required", Some("1.3"))],
    );
}

#[test]
fn award_with_points_and_percent() {
    let text = with(|v| at(v, "/nodes/0/children/0/rule/on_time")["percent_of_max"] = json!("100"));
    check(
        "award_with_points_and_percent",
        &index_diags(&text, "index.json"),
        &[(E, "award_spec", Some("1.1"))],
    );
}

#[test]
fn points_above_max() {
    let text = with(|v| at(v, "/nodes/0/children/3/rule/levels/0")["points"] = json!("2.5"));
    check(
        "points_above_max",
        &index_diags(&text, "index.json"),
        &[(E, "points_above_max", Some("1.4"))],
    );
}

#[test]
fn overlapping_tiers() {
    // "từ 90%" in the first tier and "đến 90%" in the second: 90% would score twice.
    let text =
        with(|v| at(v, "/nodes/0/children/1/rule/tiers/0/range/from")["inclusive"] = json!(true));
    check(
        "overlapping_tiers",
        &index_diags(&text, "index.json"),
        &[(E, "overlap", Some("1.2"))],
    );
}

#[test]
fn uncovered_tier_gap_is_a_warning() {
    // "trên 90%" and "từ 70% đến dưới 90%": exactly 90% falls in no tier.
    check(
        "uncovered_tier_gap_is_a_warning",
        &fixture("camau-gap.json"),
        &[(W, "uncovered", Some("1.2.1"))],
    );
}

#[test]
fn empty_levels() {
    let text = with(|v| at(v, "/nodes/0/children/3/rule")["levels"] = json!([]));
    check(
        "empty_levels",
        &index_diags(&text, "index.json"),
        &[(E, "empty", Some("1.4"))],
    );
}

#[test]
fn duplicate_level_keys() {
    let text = with(|v| at(v, "/nodes/0/children/3/rule/levels/1")["key"] = json!("tot"));
    check(
        "duplicate_level_keys",
        &index_diags(&text, "index.json"),
        &[(E, "duplicate_key", Some("1.4"))],
    );
}

#[test]
fn overlapping_bands() {
    let text = with(|v| at(v, "/bands/1/range/to")["inclusive"] = json!(true));
    check(
        "overlapping_bands",
        &index_diags(&text, "index.json"),
        &[(E, "overlap", None)],
    );
}

#[test]
fn step_not_positive() {
    let text = with(|v| at(v, "/nodes/0/children/4/rule")["step"] = json!("-0.25"));
    check(
        "step_not_positive",
        &index_diags(&text, "index.json"),
        &[(E, "step_not_positive", Some("1.5"))],
    );
}

#[test]
fn all_semantic_errors_reported_at_once() {
    check(
        "all_semantic_errors_reported_at_once",
        &fixture("multi-semantic.json"),
        &[
            (E, "max_mismatch", Some("1")),
            (E, "points_above_max", Some("1.1")),
            (E, "award_spec", Some("1.1")),
            (E, "duplicate_code", Some("1.1")),
            (E, "step_not_positive", Some("1.1")),
            (E, "no_rule_no_children", Some("1.3")),
        ],
    );
}

// ---------------------------------------------------------------- assessments

fn self_value(v: Value) -> Value {
    json!({"self": {"value": v}})
}

#[test]
fn assessment_for_another_index() {
    let mut a = assessment(json!({}));
    a["index"] = json!("par-2024-province");
    check(
        "assessment_for_another_index",
        &assessment_diags(a),
        &[(E, "index_mismatch", None)],
    );
}

#[test]
fn assessment_unknown_field() {
    let a = assessment(json!({"1.1": {"self": {"value": {"option": "on_time"}, "evidense": []}}}));
    check(
        "assessment_unknown_field",
        &assessment_diags(a),
        &[(E, "structure", Some("1.1"))],
    );
}

#[test]
fn unknown_code() {
    let a = assessment(json!({"1.9": self_value(json!({"yes_no": true}))}));
    check(
        "unknown_code",
        &assessment_diags(a),
        &[(E, "unknown_code", Some("1.9"))],
    );
}

#[test]
fn value_on_parent() {
    let a = assessment(json!({"1": self_value(json!({"points": "8"}))}));
    check(
        "value_on_parent",
        &assessment_diags(a),
        &[(E, "value_on_parent", Some("1"))],
    );
}

#[test]
fn wrong_value_kind() {
    let a = assessment(json!({"1.1": self_value(json!({"points": "1"}))}));
    check(
        "wrong_value_kind",
        &assessment_diags(a),
        &[(E, "wrong_value_kind", Some("1.1"))],
    );
}

#[test]
fn unknown_option() {
    let a = assessment(json!({"1.4": self_value(json!({"option": "xuat_sac"}))}));
    check(
        "unknown_option",
        &assessment_diags(a),
        &[(E, "unknown_option", Some("1.4"))],
    );
}

#[test]
fn missing_condition() {
    let a = assessment(json!({"1.6": self_value(json!({"conditions": {"nhiem_vu": true}}))}));
    check(
        "missing_condition",
        &assessment_diags(a),
        &[(E, "missing_condition", Some("1.6"))],
    );
}

#[test]
fn out_of_range_percent() {
    let a = assessment(json!({"1.2": self_value(json!({"percent": "120"}))}));
    check(
        "out_of_range_percent",
        &assessment_diags(a),
        &[(E, "out_of_range", Some("1.2"))],
    );
}

#[test]
fn numerator_above_denominator() {
    let a = assessment(
        json!({"1.3": self_value(json!({"ratio": {"numerator": "45", "denominator": "40"}}))}),
    );
    check(
        "numerator_above_denominator",
        &assessment_diags(a),
        &[(E, "numerator_above_denominator", Some("1.3"))],
    );
}

#[test]
fn zero_denominator_invalid() {
    let a = assessment(
        json!({"1.3": self_value(json!({"ratio": {"numerator": "0", "denominator": "0"}}))}),
    );
    check(
        "zero_denominator_invalid",
        &assessment_diags(a),
        &[(E, "zero_denominator", Some("1.3"))],
    );
}

#[test]
fn not_on_step() {
    let a = assessment(json!({"1.5": self_value(json!({"points": "0.3"}))}));
    check(
        "not_on_step",
        &assessment_diags(a),
        &[(E, "not_on_step", Some("1.5"))],
    );
}

#[test]
fn nominal_range_warning() {
    let a = assessment(json!({"1.7": self_value(json!({"number": "0.95"}))}));
    check(
        "nominal_range_warning",
        &assessment_diags(a),
        &[(W, "outside_nominal_range", Some("1.7"))],
    );
}

#[test]
fn adjustment_above_cap() {
    let mut a = assessment(json!({}));
    a["adjustments"] = json!({"thuong": {"appraisal_1": {"value": {"points": "1.5"}}}});
    check(
        "adjustment_above_cap",
        &assessment_diags(a),
        &[(E, "out_of_range", Some("thuong"))],
    );
}

#[test]
fn all_assessment_errors_reported_at_once() {
    let mut a = assessment(json!({
        "1": self_value(json!({"points": "8"})),
        "1.1": self_value(json!({"option": "som"})),
        "1.3": {"self": {"value": {"ratio": {"numerator": "3", "denominator": "2"}}},
                "appraisal_1": {"value": {"percent": "-5"}}},
        "1.5": self_value(json!({"points": "2"})),
        "9": self_value(json!({"yes_no": true}))
    }));
    a["index"] = json!("another-index");
    check(
        "all_assessment_errors_reported_at_once",
        &assessment_diags(a),
        &[
            (E, "index_mismatch", None),
            (E, "value_on_parent", Some("1")),
            (E, "unknown_option", Some("1.1")),
            (E, "numerator_above_denominator", Some("1.3")),
            (E, "out_of_range", Some("1.3")),
            (E, "out_of_range", Some("1.5")),
            (E, "unknown_code", Some("9")),
        ],
    );
}

#[test]
fn the_base_index_and_a_good_assessment_have_no_diagnostics() {
    // Guards the cases above: each problem comes from its one change, not from the base.
    let index = Index::from_json(BASE).unwrap();
    assert!(
        index.warnings().is_empty(),
        "{}",
        index.warnings().render(Lang::En)
    );
    let a = assessment(json!({
        "1.1": self_value(json!({"option": "on_time"})),
        "1.2": self_value(json!({"percent": "90"})),
        "1.3": self_value(json!({"ratio": {"numerator": "39", "denominator": "40"}})),
        "1.4": self_value(json!({"option": "tot"})),
        "1.5": self_value(json!({"points": "0.75"})),
        "1.6": self_value(json!({"conditions": {"nhiem_vu": true, "kinh_phi": true}})),
        "1.7": self_value(json!({"number": "0.5"}))
    }));
    let d = assessment_diags(a);
    assert!(d.is_empty(), "{}", d.render(Lang::En));
}

#[test]
fn decimal_that_is_not_a_number() {
    let text = with(|v| at(v, "/nodes/0/children/0")["max_points"] = json!("1,5"));
    check(
        "decimal_that_is_not_a_number",
        &index_diags(&text, "index.json"),
        &[(E, "structure", Some("1.1"))],
    );
}

#[test]
fn unterminated_string() {
    check(
        "unterminated_string",
        &index_diags("{\"format\": \"chiso.index/1", "index.json"),
        &[(E, "syntax", None)],
    );
}

/// Problems in tables (dossiers, publications, answer sheets, the calendar) are located by
/// row, column and record key, rendered in the language of the line, and carry their own
/// stable code; a problem of the whole file names no `$`.
#[test]
fn located_table_problems_read_in_one_language() {
    use chiso::diagnostics::Location;
    use chiso::{Diagnostic, Problem};
    let coded = |code: &str, text: &str| Problem::Coded {
        code: code.into(),
        text: text.into(),
        vi: "ngày hẹn trả trước ngày tiếp nhận".into(),
        en: "the due time is before the receipt".into(),
    };
    let d = Diagnostics(vec![
        Diagnostic::error_at(
            Location::row(12)
                .column("NgayHenTra")
                .key("MaHoSo", "H21-0001"),
            None,
            coded("records_due_before_receipt", "27/02/2026"),
        ),
        Diagnostic::error_at(
            Location::row(7).and_row(9).column("MaHoSo"),
            None,
            Problem::DuplicateKey { key: "B06".into() },
        ),
        Diagnostic::warning_at(
            Location::cell("Phụ lục", "C3"),
            None,
            coded("records_no_due", ""),
        ),
        Diagnostic::error_at(Location::File, None, coded("records_too_large", "…")),
    ])
    .in_file("hoso.csv");
    let vi = d.render(Lang::Vi);
    assert_eq!(
        vi,
        "hoso.csv: lỗi tại dòng 12, cột \"NgayHenTra\", MaHoSo \"H21-0001\": giá trị \"27/02/2026\": ngày hẹn trả trước ngày tiếp nhận [records_due_before_receipt]\n\
         hoso.csv: lỗi tại dòng 7 và 9, cột \"MaHoSo\": khóa \"B06\" bị trùng\n\
         hoso.csv: cảnh báo tại 'Phụ lục'!C3: ngày hẹn trả trước ngày tiếp nhận [records_no_due]\n\
         hoso.csv: lỗi: ngày hẹn trả trước ngày tiếp nhận [records_too_large]"
    );
    let en = d.render(Lang::En);
    assert_eq!(
        en.lines().next().unwrap(),
        "hoso.csv: error at row 12, column \"NgayHenTra\", MaHoSo \"H21-0001\": the value \"27/02/2026\": the due time is before the receipt [records_due_before_receipt]"
    );
    assert!(en.ends_with("hoso.csv: error: the due time is before the receipt [records_too_large]"));
    // JSON: `path` stays a string (the English location), `location` is structured.
    let v = serde_json::to_value(&d).unwrap();
    assert_eq!(
        v[0]["path"],
        "row 12, column \"NgayHenTra\", MaHoSo \"H21-0001\""
    );
    assert_eq!(v[0]["location"]["key"]["value"], "H21-0001");
    assert_eq!(v[1]["location"]["and_row"], 9);
    assert_eq!(v[3]["path"], "$");
    assert_eq!(v[3]["location"]["kind"], "file");
    // Older JSON (no `location`) still reads.
    let old: Diagnostics = serde_json::from_value(json!([{
        "severity": "error", "path": "$.nodes[0]", "problem": {"type": "unknown_code"}
    }]))
    .unwrap();
    assert_eq!(old.0[0].location, None);
    assert_eq!(old.0[0].located(), Location::json("$.nodes[0]"));
}
