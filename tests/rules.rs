//! Worked examples for every rule type, including every tier boundary. Expected points are
//! worked out by hand from the wording of the criteria quoted in the reference
//! (`par-index.md` §8–§9, `service-index-766.md` §3–§5).

use chiso::rule::{Outcome, Rule};
use chiso::{Decimal, Problem, Value};
use std::collections::BTreeMap;

fn d(s: &str) -> Decimal {
    s.parse().expect("test decimal")
}

fn rule(json: &str) -> Rule {
    serde_json::from_str(json).expect("test rule parses")
}

fn points(r: &Rule, max: &str, v: Value) -> Decimal {
    match r.evaluate(Some(d(max)), &v) {
        Ok(Outcome::Scored { points, .. }) => points,
        other => panic!("expected points, got {other:?}"),
    }
}

fn explanation(r: &Rule, max: &str, v: Value) -> (String, String) {
    match r.evaluate(Some(d(max)), &v) {
        Ok(Outcome::Scored { explanation, .. }) => (explanation.vi, explanation.en),
        other => panic!("expected points, got {other:?}"),
    }
}

fn pct(s: &str) -> Value {
    Value::Percent(d(s))
}

fn ratio(n: &str, den: &str) -> Value {
    Value::Ratio {
        numerator: d(n),
        denominator: d(den),
    }
}

/// Cà Mau 1.1.4: "Thực hiện trên 90% kế hoạch: 2 / Thực hiện từ 70% - 90% kế hoạch: 1 / Dưới 70% kế hoạch: 0".
const CAMAU_114: &str = r#"{"type":"tiers","measure":"percent","tiers":[
  {"range":{"from":{"value":"90","inclusive":false}},"label":{"vi":"Thực hiện trên 90% kế hoạch"},"points":"2"},
  {"range":{"from":{"value":"70","inclusive":true},"to":{"value":"90","inclusive":true}},"label":{"vi":"Thực hiện từ 70% - 90% kế hoạch"},"points":"1"},
  {"range":{"to":{"value":"70","inclusive":false}},"label":{"vi":"Dưới 70% kế hoạch"},"points":"0"}]}"#;

#[test]
fn tiers_percent_every_boundary() {
    let r = rule(CAMAU_114);
    for (v, want) in [
        ("0", "0"),
        ("69.99", "0"),
        ("70", "1"),
        ("85", "1"),
        ("90", "1"),
        ("90.0001", "2"),
        ("100", "2"),
    ] {
        assert_eq!(points(&r, "2", pct(v)), d(want), "at {v}%");
    }
    // A ratio is turned into a percent: 9/10 = 90% exactly → middle tier.
    assert_eq!(points(&r, "2", ratio("9", "10")), d("1"));
    assert_eq!(points(&r, "2", ratio("91", "100")), d("2"));
}

#[test]
fn tiers_explanation_names_the_tier_in_both_languages() {
    let r = rule(
        r#"{"type":"tiers","measure":"percent","tiers":[
        {"range":{"from":{"value":"80","inclusive":true},"to":{"value":"100","inclusive":false}},"label":{"vi":"từ 80% đến dưới 100%","en":"80% to under 100%"},"points":"0.5"},
        {"range":{"from":{"value":"100","inclusive":true}},"label":{"vi":"đạt 100%","en":"100%"},"points":"1"},
        {"range":{"to":{"value":"80","inclusive":false}},"label":{"vi":"dưới 80%","en":"under 80%"},"points":"0"}]}"#,
    );
    let (vi, en) = explanation(&r, "1", pct("85"));
    assert_eq!(
        vi,
        "tỷ lệ 85% thuộc mức từ 80% đến dưới 100% (từ 80% đến dưới 100%) → 0,5 điểm"
    );
    assert_eq!(
        en,
        "rate 85% is in the tier from 80% to under 100% (80% to under 100%) → 0.5 points"
    );
}

#[test]
fn tiers_value_in_a_gap_is_an_error_not_zero() {
    // "trên 90%" and "từ 70% đến dưới 90%" leave exactly 90% unassigned.
    let r = rule(
        r#"{"type":"tiers","measure":"percent","tiers":[
        {"range":{"from":{"value":"90","inclusive":false}},"label":{"vi":"trên 90%"},"points":"2"},
        {"range":{"from":{"value":"70","inclusive":true},"to":{"value":"90","inclusive":false}},"label":{"vi":"từ 70% đến dưới 90%"},"points":"1"},
        {"range":{"to":{"value":"70","inclusive":false}},"label":{"vi":"dưới 70%"},"points":"0"}]}"#,
    );
    assert_eq!(
        r.evaluate(Some(d("2")), &pct("90")),
        Err(Problem::NoTier { value: d("90") })
    );
}

/// "BCĐ họp 4 lần/năm: 20 điểm; 3 lần: 15; 2 lần: 10; 1 lần: 5; Còn lại: 0" (par-index.md §8, type 6).
const MEETINGS: &str = r#"{"type":"tiers","measure":"count","tiers":[
  {"range":{"from":{"value":"4","inclusive":true}},"label":{"vi":"BCĐ họp 4 lần/năm"},"points":"20"},
  {"range":{"from":{"value":"3","inclusive":true},"to":{"value":"3","inclusive":true}},"label":{"vi":"3 lần"},"points":"15"},
  {"range":{"from":{"value":"2","inclusive":true},"to":{"value":"2","inclusive":true}},"label":{"vi":"2 lần"},"points":"10"},
  {"range":{"from":{"value":"1","inclusive":true},"to":{"value":"1","inclusive":true}},"label":{"vi":"1 lần"},"points":"5"},
  {"range":{"to":{"value":"1","inclusive":false}},"label":{"vi":"Còn lại"},"points":"0"}]}"#;

#[test]
fn count_tiers() {
    let r = rule(MEETINGS);
    for (n, want) in [(0, 0), (1, 5), (2, 10), (3, 15), (4, 20), (12, 20)] {
        assert_eq!(
            points(&r, "20", Value::Number(n.into())),
            Decimal::from(want),
            "{n} meetings"
        );
    }
    assert_eq!(
        r.evaluate(Some(d("20")), &Value::Number(d("2.5"))),
        Err(Problem::NotWhole { value: d("2.5") })
    );
    assert!(matches!(
        r.evaluate(Some(d("20")), &Value::Number(d("-1"))),
        Err(Problem::Negative { .. })
    ));
}

/// Cà Mau 1.1.1: "Ban hành kịp thời: 1 / Ban hành không kịp thời: 0,5 / Không ban hành: 0".
#[test]
fn timeliness() {
    let r = rule(
        r#"{"type":"timeliness","on_time":{"label":{"vi":"Ban hành kịp thời"},"points":"1"},
        "late":{"label":{"vi":"Ban hành không kịp thời"},"points":"0.5"},
        "not_done":{"label":{"vi":"Không ban hành"},"points":"0"}}"#,
    );
    assert_eq!(points(&r, "1", Value::Option("on_time".into())), d("1"));
    assert_eq!(points(&r, "1", Value::Option("late".into())), d("0.5"));
    assert_eq!(points(&r, "1", Value::Option("not_done".into())), d("0"));
    assert_eq!(
        explanation(&r, "1", Value::Option("late".into())).0,
        "Ban hành không kịp thời → 0,5 điểm"
    );
    assert!(matches!(
        r.evaluate(Some(d("1")), &Value::Option("soon".into())),
        Err(Problem::UnknownOption { .. })
    ));
    assert!(matches!(
        r.evaluate(Some(d("1")), &Value::YesNo(true)),
        Err(Problem::WrongValueKind { .. })
    ));
}

/// Cà Mau 1.1.2: "Xác định đầy đủ nhiệm vụ và có bố trí kinh phí: 1 / Không xác định đầy đủ nhiệm vụ hoặc không bố trí kinh phí: 0".
#[test]
fn yes_no_with_and_conditions() {
    let r = rule(
        r#"{"type":"yes_no","conditions":[
          {"key":"nhiem_vu","label":{"vi":"Xác định đầy đủ nhiệm vụ"}},
          {"key":"kinh_phi","label":{"vi":"có bố trí kinh phí"}}],
        "yes":{"label":{"vi":"Xác định đầy đủ nhiệm vụ và có bố trí kinh phí"},"points":"1"},
        "no":{"label":{"vi":"Không xác định đầy đủ nhiệm vụ hoặc không bố trí kinh phí"},"points":"0"}}"#,
    );
    let cond = |a: bool, b: bool| {
        Value::Conditions(BTreeMap::from([
            ("nhiem_vu".into(), a),
            ("kinh_phi".into(), b),
        ]))
    };
    assert_eq!(points(&r, "1", cond(true, true)), d("1"));
    assert_eq!(points(&r, "1", cond(true, false)), d("0"));
    assert_eq!(points(&r, "1", cond(false, true)), d("0"));
    assert_eq!(points(&r, "1", Value::YesNo(true)), d("1"));
    let (vi, _) = explanation(&r, "1", cond(true, false));
    assert!(vi.ends_with("(chưa đạt: có bố trí kinh phí)"), "{vi}");
    let missing = Value::Conditions(BTreeMap::from([("nhiem_vu".into(), true)]));
    assert_eq!(
        r.evaluate(Some(d("1")), &missing),
        Err(Problem::MissingCondition {
            key: "kinh_phi".into()
        })
    );
}

/// Xuân Lộc: "Đạt từ 98% trở lên … [số văn bản điện tử] x 3/[Tổng số văn bản phát hành] / Đạt dưới 98%: 0 điểm".
#[test]
fn proportional_gated() {
    let r = rule(
        r#"{"type":"proportional","gate":{"value":"98","inclusive":true},"zero_denominator":"invalid"}"#,
    );
    assert_eq!(points(&r, "3", ratio("97", "100")), d("0"));
    assert_eq!(points(&r, "3", ratio("98", "100")), d("2.94"));
    assert_eq!(points(&r, "3", ratio("99", "100")), d("2.97"));
    assert_eq!(points(&r, "3", ratio("100", "100")), d("3"));
    assert_eq!(
        r.evaluate(Some(d("3")), &ratio("0", "0")),
        Err(Problem::ZeroDenominator)
    );
}

/// QĐ 766 primitive `max × min(1, ratio / threshold)`, with the Phú Thọ figures of
/// `service-index-766.md` §8.2 (api_score published to 2 decimals).
#[test]
fn proportional_capped_matches_portal_examples() {
    let r43 = rule(r#"{"type":"proportional","threshold_percent":"80","zero_denominator":"zero"}"#);
    // 4.3: 136827 / 597918 = 22.88 % → 2 × 0.2288/0.8 = 0.572 → 0.57.
    let p = points(&r43, "2", ratio("136827", "597918"));
    assert_eq!(
        chiso::display::fixed(p, 2, chiso::display::Rounding::HalfUp),
        "0.57"
    );
    // At and above the threshold: full marks.
    assert_eq!(points(&r43, "2", pct("80")), d("2"));
    assert_eq!(points(&r43, "2", pct("93")), d("2"));
    let r54 = rule(r#"{"type":"proportional","threshold_percent":"90","zero_denominator":"zero"}"#);
    // 5.4: 528464 / 597918 = 88.38 % → 6 × 0.8838/0.9 = 5.89.
    let p = points(&r54, "6", ratio("528464", "597918"));
    assert_eq!(
        chiso::display::fixed(p, 2, chiso::display::Rounding::HalfUp),
        "5.89"
    );
    assert_eq!(points(&r54, "6", ratio("0", "0")), d("0"));
    // 5.2 / 5.3: no complaints → full marks.
    let r52 = rule(r#"{"type":"proportional","zero_denominator":"full_marks"}"#);
    assert_eq!(points(&r52, "6", ratio("0", "0")), d("6"));
    assert_eq!(points(&r52, "6", ratio("296", "570")), d("1776") / d("570"));
    assert_eq!(
        r52.evaluate(Some(d("6")), &ratio("5", "4")),
        Err(Problem::NumeratorAboveDenominator {
            numerator: d("5"),
            denominator: d("4")
        })
    );
    let na = rule(r#"{"type":"proportional","zero_denominator":"not_applicable"}"#);
    assert!(matches!(
        na.evaluate(Some(d("6")), &ratio("0", "0")),
        Ok(Outcome::NotApplicable { .. })
    ));
}

/// "Thực hiện tốt: 2,5 / Có thực hiện đầy đủ: 2,0 / … chưa đầy đủ: 1 / Không thực hiện: 0" and
/// "Hoàn thành xuất sắc: Điểm tối đa / Hoàn thành tốt: 75% điểm / Hoàn thành: 50% điểm".
#[test]
fn levels_points_and_percent_of_max() {
    let graded = rule(
        r#"{"type":"levels","levels":[
        {"key":"tot","label":{"vi":"Thực hiện tốt"},"points":"2.5"},
        {"key":"day_du","label":{"vi":"Có thực hiện đầy đủ"},"points":"2.0"},
        {"key":"chua_day_du","label":{"vi":"Có thực hiện nhưng chưa đầy đủ"},"points":"1"},
        {"key":"khong","label":{"vi":"Không thực hiện"},"points":"0"}]}"#,
    );
    for (k, want) in [
        ("tot", "2.5"),
        ("day_du", "2"),
        ("chua_day_du", "1"),
        ("khong", "0"),
    ] {
        assert_eq!(points(&graded, "2.5", Value::Option(k.into())), d(want));
    }
    let pct_levels = rule(
        r#"{"type":"levels","levels":[
        {"key":"xuat_sac","label":{"vi":"Hoàn thành xuất sắc"},"percent_of_max":"100"},
        {"key":"tot","label":{"vi":"Hoàn thành tốt"},"percent_of_max":"75"},
        {"key":"hoan_thanh","label":{"vi":"Hoàn thành"},"percent_of_max":"50"}]}"#,
    );
    assert_eq!(
        points(&pct_levels, "3", Value::Option("xuat_sac".into())),
        d("3")
    );
    assert_eq!(
        points(&pct_levels, "3", Value::Option("tot".into())),
        d("2.25")
    );
    assert_eq!(
        points(&pct_levels, "3", Value::Option("hoan_thanh".into())),
        d("1.5")
    );
}

/// "vi phạm nhẹ: Trừ 50% điểm / vi phạm nghiêm trọng: 0 điểm" — deductions floored at 0.
#[test]
fn deductions_floor_at_zero() {
    let r = rule(
        r#"{"type":"deductions","severities":[
        {"key":"nhe","label":{"vi":"vi phạm nhẹ"},"percent_of_max":"50"},
        {"key":"nghiem_trong","label":{"vi":"vi phạm nghiêm trọng"},"percent_of_max":"100"},
        {"key":"lan","label":{"vi":"mỗi lần chậm báo cáo"},"points":"0.25"}]}"#,
    );
    let counts = |pairs: &[(&str, i64)]| {
        Value::Counts(
            pairs
                .iter()
                .map(|(k, c)| ((*k).into(), Decimal::from(*c)))
                .collect(),
        )
    };
    assert_eq!(points(&r, "2", counts(&[])), d("2"));
    assert_eq!(points(&r, "2", counts(&[("nhe", 0)])), d("2"));
    assert_eq!(points(&r, "2", counts(&[("nhe", 1)])), d("1"));
    assert_eq!(points(&r, "2", counts(&[("lan", 3)])), d("1.25"));
    assert_eq!(points(&r, "2", counts(&[("nhe", 1), ("lan", 2)])), d("0.5"));
    assert_eq!(points(&r, "2", counts(&[("nhe", 3)])), d("0"));
    assert_eq!(points(&r, "2", counts(&[("nghiem_trong", 1)])), d("0"));
}

#[test]
fn discretionary_on_a_step() {
    let r = rule(r#"{"type":"discretionary","step":"0.25"}"#);
    assert_eq!(points(&r, "2", Value::Points(d("1.75"))), d("1.75"));
    assert_eq!(points(&r, "2", Value::Points(d("0"))), d("0"));
    assert_eq!(points(&r, "2", Value::Points(d("2"))), d("2"));
    assert_eq!(
        r.evaluate(Some(d("2")), &Value::Points(d("1.8"))),
        Err(Problem::NotOnStep {
            value: d("1.8"),
            step: d("0.25")
        })
    );
    assert!(matches!(
        r.evaluate(Some(d("2")), &Value::Points(d("2.25"))),
        Err(Problem::OutOfRange { .. })
    ));
    assert!(matches!(
        r.evaluate(Some(d("2")), &Value::Points(d("-0.25"))),
        Err(Problem::OutOfRange { .. })
    ));
}

/// Survey answers A/B/C/D = 100/60/20/0 % (par-index.md §10, survey component).
#[test]
fn survey_distribution() {
    let r = rule(r#"{"type":"survey"}"#);
    let answers = |a: i64, b: i64, c: i64, dd: i64| {
        Value::Answers(BTreeMap::from([
            ("A".into(), a.into()),
            ("B".into(), b.into()),
            ("C".into(), c.into()),
            ("D".into(), dd.into()),
        ]))
    };
    // 10 respondents: 5 A, 3 B, 1 C, 1 D → (500 + 180 + 20 + 0)/10 = 70 % → 0.7 × 2 = 1.4.
    assert_eq!(points(&r, "2", answers(5, 3, 1, 1)), d("1.4"));
    assert_eq!(points(&r, "2", answers(1, 0, 0, 0)), d("2"));
    assert_eq!(points(&r, "2", answers(0, 0, 0, 4)), d("0"));
    // One third: 1 A + 2 D → 33.33…% × 3 = 1 exactly up to decimal precision.
    let third = points(&r, "3", answers(1, 0, 0, 2));
    assert!(
        (third - d("1")).abs() < d("0.0000000000000000000001"),
        "{third}"
    );
    assert_eq!(
        r.evaluate(Some(d("2")), &answers(0, 0, 0, 0)),
        Err(Problem::NoAnswers)
    );
    // A survey score supplied as such, and a supplied mean percent.
    assert_eq!(points(&r, "2", Value::Points(d("1.23"))), d("1.23"));
    assert_eq!(points(&r, "2", pct("61.5")), d("1.23"));
    assert!(matches!(
        r.evaluate(Some(d("2")), &Value::Points(d("2.01"))),
        Err(Problem::OutOfRange { .. })
    ));
}

/// PAPI sub-dimension: nominal range [1/3, 10/3] is a warning, not a clamp (papi.md §3).
#[test]
fn score_nominal_range_warns_but_keeps_the_value() {
    let r = rule(
        r#"{"type":"score","nominal":{"from":{"value":"0.3333","inclusive":true},"to":{"value":"3.3333","inclusive":true}}}"#,
    );
    let v = Value::Number(d("0.3317"));
    match r.evaluate(None, &v) {
        Ok(Outcome::Scored { points, .. }) => assert_eq!(points, d("0.3317")),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        r.warnings(&v).as_slice(),
        [Problem::OutsideNominalRange { .. }]
    ));
    assert!(r.warnings(&Value::Number(d("1.2"))).is_empty());
}

#[test]
fn decimals_survive_exactly() {
    let r = rule(r#"{"type":"score"}"#);
    let v: Value = serde_json::from_str(r#"{"number":"3.70"}"#).expect("value");
    assert_eq!(points(&r, "10", v.clone()), d("3.7"));
    assert_eq!(
        serde_json::to_string(&v).expect("json"),
        r#"{"number":"3.70"}"#
    );
    // A JSON number literal is read through its shortest decimal form, not a binary float.
    let v: Value = serde_json::from_str(r#"{"number":3.7}"#).expect("value");
    assert_eq!(v, Value::Number(d("3.7")));
    // 10/3 keeps 28 significant digits.
    let third = d("10") / d("3");
    assert_eq!(third.to_string(), "3.3333333333333333333333333333");
}

#[test]
fn huge_numbers_are_rejected_not_overflowed() {
    assert_eq!(chiso::rule::INPUT_LIMIT.to_string(), "1000000000000000");
    let r = rule(r#"{"type":"proportional","zero_denominator":"zero"}"#);
    let huge = ratio(
        "70000000000000000000000000000",
        "79000000000000000000000000000",
    );
    assert!(matches!(
        r.evaluate(Some(d("6")), &huge),
        Err(Problem::TooLarge { .. })
    ));
    let s = rule(r#"{"type":"score"}"#);
    assert!(matches!(
        s.evaluate(None, &Value::Number(d("-1000000000000001"))),
        Err(Problem::TooLarge { .. })
    ));
    assert_eq!(
        points(&s, "1000000000000000", Value::Number(d("1000000000000000"))),
        d("1000000000000000")
    );
}
