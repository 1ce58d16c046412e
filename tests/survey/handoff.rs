//! Hand-off of a unit's index to the PAR INDEX SIPAS criterion.

#![allow(clippy::unwrap_used)]
use super::*;

// ---------------------------------------------------------------------------
// Hand-off to PAR INDEX

#[test]
fn a_units_index_feeds_the_par_sipas_criterion() {
    let repo = common::repo();
    let par =
        chiso::Index::from_file(&repo.join("criteria/examples/department-example.json")).unwrap();
    let r = run(&mini(|_| {}), MINI).unwrap();
    let x = unit(&r, "X");
    // 4.1 is a `survey` rule worth 20 points: 20 × 1525/24 % = 20 × 63.5417/100 = 12.7083.
    let h = criterion_entry(&par, "4.1", x, &r).unwrap();
    assert_eq!(h.value, chiso::Value::Percent(x.index.unwrap()));
    eq(h.points, 1525 * 20, 2400);
    assert!(h
        .entry
        .survey
        .as_ref()
        .unwrap()
        .note
        .as_ref()
        .unwrap()
        .contains("mini"));
    // Put into the example's assessment, the PAR total moves by the difference.
    let text =
        std::fs::read_to_string(repo.join("criteria/examples/department-example.assessment.json"))
            .unwrap();
    let mut a = chiso::load::assessment(&text).unwrap();
    let before = par.score(&a, chiso::View::Final).unwrap();
    let old = before.node("4.1").unwrap().achieved.unwrap();
    a.entries.insert("4.1".into(), h.entry.clone());
    let after = par.score(&a, chiso::View::Final).unwrap();
    assert_eq!(after.node("4.1").unwrap().achieved, h.points);
    assert_eq!(
        after.total.achieved.unwrap() - before.total.achieved.unwrap(),
        h.points.unwrap() - old
    );

    // 4.2 is a `score` rule with maximum 10: an index of 63.54 is not points of 10.
    let e = criterion_entry(&par, "4.2", x, &r).unwrap_err();
    assert!(matches!(e, HandOffError::Rule { .. }), "{e}");
    // A parent and an unknown code are refused.
    assert!(matches!(
        criterion_entry(&par, "4", x, &r),
        Err(HandOffError::NotALeaf { .. })
    ));
    assert!(matches!(
        criterion_entry(&par, "9.9", x, &r),
        Err(HandOffError::UnknownCode { .. })
    ));

    // A tiered criterion ("từ 80% trở lên: 2; từ 60% đến dưới 80%: 1; dưới 60%: 0"):
    let tiers: chiso::rule::Rule = serde_json::from_value(json!({"type": "tiers", "measure": "percent", "tiers": [
        {"range": {"from": {"value": "80", "inclusive": true}}, "label": {"vi": "từ 80% trở lên"}, "points": "2"},
        {"range": {"from": {"value": "60", "inclusive": true}, "to": {"value": "80", "inclusive": false}}, "label": {"vi": "từ 60% đến dưới 80%"}, "points": "1"},
        {"range": {"to": {"value": "60", "inclusive": false}}, "label": {"vi": "dưới 60%"}, "points": "0"}]})).unwrap();
    let v = criterion_value(&tiers, "t", x.index.unwrap()).unwrap();
    assert_eq!(tiers.points(Some(d("2")), &v).unwrap(), Some(d("1")));
    // A yes/no criterion does not take an index.
    let yes_no: chiso::rule::Rule = serde_json::from_value(json!({"type": "yes_no",
        "yes": {"label": {"vi": "Có"}, "points": "1"}, "no": {"label": {"vi": "Không"}, "points": "0"}})).unwrap();
    let e = criterion_value(&yes_no, "y", d("80")).unwrap_err();
    assert_eq!(e.code(), "survey_par_rule_takes_no_index");
    assert_eq!(
        e.message(Lang::Vi),
        "cách chấm \"yes_no\" của tiêu chí y không nhận một chỉ số (%)"
    );
}
