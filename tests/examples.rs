//! The shipped example assessments score as worked out by hand from the wording of each
//! criterion: `criteria/examples/department-example*.json` (an illustration that uses
//! every rule type) and `criteria/par-index/camau-1880-2013-area1*.json` (the public part
//! of Cà Mau 1880/QĐ-UBND, 2013).

mod common;

use chiso::assessment::{Layer, LayerEntry};
use chiso::index::Completeness;
use chiso::rule::{Measure, Rule};
use chiso::{Assessment, Decimal, Diagnostics, Index, Problem, ScoreResult, Status, Value, View};
use std::collections::{BTreeSet, HashSet};

fn d(s: &str) -> Decimal {
    s.parse().unwrap_or_else(|_| panic!("decimal {s:?}"))
}

fn load(index: &str, assessment: &str) -> (Index, Assessment) {
    let repo = common::repo();
    let i = Index::from_file(&repo.join(index)).unwrap_or_else(|e| panic!("{index}:\n{e}"));
    let text = std::fs::read_to_string(repo.join(assessment)).expect("read assessment");
    let a = chiso::load::assessment(&text).unwrap_or_else(|e| panic!("{assessment}:\n{e}"));
    (i, a)
}

fn example() -> (Index, Assessment) {
    load(
        "criteria/examples/department-example.json",
        "criteria/examples/department-example.assessment.json",
    )
}

fn camau() -> (Index, Assessment) {
    load(
        "criteria/par-index/camau-1880-2013-area1.json",
        "criteria/par-index/camau-1880-2013-area1.assessment.json",
    )
}

fn score(i: &Index, a: &Assessment, view: View) -> ScoreResult {
    i.score(a, view)
        .unwrap_or_else(|e| panic!("scoring failed:\n{e}"))
}

fn achieved(r: &ScoreResult, code: &str) -> Option<Decimal> {
    r.node(code)
        .unwrap_or_else(|| panic!("node {code}"))
        .achieved
}

/// Every leaf has an explanation in both languages.
fn explanations_complete(r: &ScoreResult) {
    for n in r.nodes.iter().filter(|n| n.leaf) {
        let e = n
            .explanation
            .as_ref()
            .unwrap_or_else(|| panic!("{}: explanation", n.code));
        assert!(
            !e.vi.trim().is_empty(),
            "{}: Vietnamese explanation",
            n.code
        );
        assert!(!e.en.trim().is_empty(), "{}: English explanation", n.code);
    }
}

// Final view, worked out by hand from the wording (criterion: points, why).
const EXAMPLE_FINAL: [(&str, &str); 17] = [
    ("1.1.1", "0.5"), // appraisal_1 "late": "Ban hành không kịp thời: 0,5"
    ("1.1.2", "1"),   // appraisal_2 after giải trình: both conditions hold → 1
    ("1.1.3", "1"),   // self "Đạt yêu cầu: 1", evidence attached
    ("1.1.4", "1"),   // appraisal_1 27/30 = 90% → "từ 70% - 90%": 1 (90 → middle tier)
    ("1.2.1", "0"),   // appraisal_1: not on time → "… hoặc không đúng thời gian quy định: 0"
    ("1.2.2", "0"),   // self yes, no evidence, only the self layer → not credited
    ("1.3", "2.75"),  // appraisal_2: 2.75 (step 0.25)
    ("1.4", "15"),    // appraisal_1: 3 meetings → "3 lần: 15"
    ("2.1", "2.97"),  // 990/1000 = 99% ≥ 98% → 990 × 3 / 1000
    ("2.2", "3"),     // 45/60 = 75% × 4
    ("2.3", "5.4"),   // 810/1000 = 81%; 6 × 81/90
    ("3.1", "2"),     // appraisal_1 "Có thực hiện đầy đủ: 2,0"
    ("3.2", "7.5"),   // appraisal_1 "Hoàn thành tốt: 75% điểm" of 10
    ("3.3", "3.75"),  // 7.5 − 1 × 50% × 7.5
    ("4.1", "14.2"),  // (50×100 + 30×60 + 15×20 + 5×0) / 100 = 71% × 20
    ("4.2", "8.5"),   // supplied survey score
    ("2.4", "n/a"),   // Hà Nam exemption: không áp dụng
];

#[test]
fn example_is_marked_as_an_example() {
    let (i, _) = example();
    let def = i.definition();
    assert_eq!(def.completeness, Completeness::Example);
    assert!(def.title.vi.contains("VÍ DỤ") && def.title.en.contains("EXAMPLE"));
    assert!(
        def.notes[0].vi.contains("VÍ DỤ MINH HỌA")
            && def.notes[0].en.contains("ILLUSTRATIVE EXAMPLE")
    );
    assert!(i.warnings().is_empty(), "{}", i.warnings());
    // Every node cites where its wording or numbers come from.
    fn all(nodes: &[chiso::node::Node], out: &mut Vec<String>) {
        for n in nodes {
            if n.notes.is_empty() && n.rule.is_some() {
                out.push(n.code.clone());
            }
            all(&n.children, out);
        }
    }
    let mut uncited = Vec::new();
    all(&def.nodes, &mut uncited);
    assert!(
        uncited.is_empty(),
        "leaves without a source note: {uncited:?}"
    );
}

#[test]
fn example_uses_every_rule_type() {
    let (i, _) = example();
    let mut kinds = BTreeSet::new();
    for n in i.nodes() {
        let Some(rule) = &n.rule else { continue };
        let kind = match rule {
            Rule::YesNo { conditions, .. } if conditions.is_empty() => "yes_no",
            Rule::YesNo { .. } => "yes_no_and",
            Rule::Timeliness { .. } => "timeliness",
            Rule::Tiers {
                measure: Measure::Percent,
                tiers,
            } => {
                let explicit = tiers
                    .iter()
                    .any(|t| t.range.from.is_some_and(|b| !b.inclusive))
                    && tiers
                        .iter()
                        .any(|t| t.range.to.is_some_and(|b| b.inclusive));
                assert!(explicit, "{}: both exclusive and inclusive bounds", n.code);
                "tiers_percent"
            }
            Rule::Tiers {
                measure: Measure::Count,
                ..
            } => "tiers_count",
            Rule::Tiers { .. } => "tiers_number",
            Rule::Proportional { gate: Some(_), .. } => "proportional_gated",
            Rule::Proportional {
                threshold_percent: Some(_),
                ..
            } => "proportional_capped",
            Rule::Proportional { .. } => "proportional",
            Rule::Levels { levels } if levels.iter().all(|l| l.percent_of_max.is_some()) => {
                "levels_percent"
            }
            Rule::Levels { .. } => "levels_points",
            Rule::Deductions { .. } => "deductions",
            Rule::Discretionary { step: Some(s) } if *s == d("0.25") => "discretionary_0.25",
            Rule::Discretionary { .. } => "discretionary",
            Rule::Survey { .. } => "survey",
            Rule::Score { .. } => "score",
        };
        kinds.insert(kind);
        if n.channel == chiso::node::Channel::Appraised {
            assert!(
                n.evidence_required,
                "{}: appraised leaves name their evidence",
                n.code
            );
        }
    }
    for k in [
        "yes_no",
        "yes_no_and",
        "timeliness",
        "tiers_percent",
        "tiers_count",
        "proportional",
        "proportional_gated",
        "proportional_capped",
        "levels_points",
        "levels_percent",
        "deductions",
        "discretionary_0.25",
        "survey",
        "score",
    ] {
        assert!(kinds.contains(k), "rule kind {k} is used by the example");
    }
    let def = i.definition();
    assert_eq!(def.adjustments.len(), 2);
    assert_eq!(
        def.bands
            .iter()
            .map(|b| b.code.as_str())
            .collect::<Vec<_>>(),
        ["A", "B", "C"]
    );
    // The count tiers keep the source's points ("BCĐ họp 4 lần/năm: 20 điểm; 3 lần: 15; …").
    assert_eq!(i.node("1.4").and_then(|n| n.max), Some(d("20")));
}

#[test]
fn example_scores_as_worked_by_hand() {
    let (i, a) = example();
    let r = score(&i, &a, View::Final);
    explanations_complete(&r);
    for (code, expected) in EXAMPLE_FINAL {
        if expected == "n/a" {
            continue;
        }
        assert_eq!(achieved(&r, code), Some(d(expected)), "{code}");
    }
    // Every leaf is listed above.
    let leaves = r.nodes.iter().filter(|n| n.leaf).count();
    assert_eq!(leaves, EXAMPLE_FINAL.len());
    // Parents: 1.1 = 0.5 + 1 + 1 + 1; 1.2 = 0 + 0; area 1 = 3.5 + 0 + 2.75 + 15.
    assert_eq!(achieved(&r, "1.1"), Some(d("3.5")));
    assert_eq!(achieved(&r, "1.2"), Some(d("0")));
    assert_eq!(achieved(&r, "1"), Some(d("21.25")));
    assert_eq!(achieved(&r, "2"), Some(d("11.37")));
    assert_eq!(achieved(&r, "3"), Some(d("13.25")));
    assert_eq!(achieved(&r, "4"), Some(d("22.7")));
    // Criteria 68.57 of an applicable 93 (100 − 7 for 2.4); + bonus 2 − penalty 1 = 69.57.
    assert_eq!(r.total.criteria_points, Some(d("68.57")));
    assert_eq!(r.total.applicable_max, Some(d("93")));
    assert_eq!(r.total.max_points, Some(d("100")));
    assert_eq!(r.total.achieved, Some(d("69.57")));
    // 69.57 / 93 × 100 = 74.806451612903225806…%: band C (70 to < 80).
    let pct = r.total.percent.expect("percent");
    assert!(
        (pct - d("74.80645161290322580645")).abs() < d("0.00000000000000000001"),
        "{pct}"
    );
    assert_eq!(r.total.band.as_ref().map(|b| b.code.as_str()), Some("C"));
    // Self view: 1+1+1+2 + 1+1 + 3 + 20 + 2.97+3+5.4 + 2.5+10+7.5 + 14.2+8.5 = 84.07; + bonus 3 = 87.07.
    assert_eq!(r.total.self_points, Some(d("87.07")));
    let s = score(&i, &a, View::SelfAssessment);
    assert_eq!(s.total.criteria_points, Some(d("84.07")));
    assert_eq!(s.total.achieved, Some(d("87.07")));
    // Layers: the latest appraisal round wins; the delta is appraised − self.
    let n = r.node("1.3").expect("1.3");
    assert_eq!(
        (n.self_points, n.appraised_points, n.source),
        (Some(d("3")), Some(d("2.75")), Some(Layer::Appraisal2))
    );
    assert_eq!(n.delta, Some(d("-0.25")));
    assert_eq!(r.node("4.1").and_then(|n| n.source), Some(Layer::Survey));
    // Explanations use the criterion's words.
    let e = r
        .node("1.1.4")
        .and_then(|n| n.explanation.clone())
        .expect("1.1.4 explanation");
    assert!(
        e.vi.contains("90%") && e.vi.contains("Thực hiện từ 70% - 90% kế hoạch"),
        "{}",
        e.vi
    );
    let e = r
        .node("1.1.2")
        .and_then(|n| n.explanation.clone())
        .expect("1.1.2 explanation");
    assert!(
        e.vi.starts_with("Xác định đầy đủ nhiệm vụ và có bố trí kinh phí"),
        "{}",
        e.vi
    );
}

#[test]
fn example_not_applicable_leaves_achieved_and_max() {
    let (i, a) = example();
    let r = score(&i, &a, View::Final);
    let n = r.node("2.4").expect("2.4");
    assert_eq!(n.status, Status::NotApplicable);
    assert_eq!((n.achieved, n.applicable_max), (None, None));
    assert_eq!(n.max_points, Some(d("7")));
    assert!(n
        .explanation
        .as_ref()
        .is_some_and(|e| e.vi.contains("không thực hiện đánh giá")));
    let area = r.node("2").expect("area 2");
    assert_eq!(area.max_points, Some(d("20")));
    assert_eq!(area.applicable_max, Some(d("13")));
    // 11.37 / 13 of the applicable maximum, not of 20.
    assert_eq!(
        area.percent,
        Some((d("11.37") / d("13") * d("100")).normalize())
    );
}

#[test]
fn example_missing_evidence_is_flagged_and_not_credited() {
    let (i, a) = example();
    let r = score(&i, &a, View::Final);
    let n = r.node("1.2.2").expect("1.2.2");
    assert_eq!(n.status, Status::EvidenceMissing { explained: true });
    assert_eq!(n.achieved, Some(d("0")));
    assert_eq!(
        n.self_points,
        Some(d("1")),
        "the self view still shows the unit's own claim"
    );
    let e = n.explanation.as_ref().expect("explanation");
    assert!(
        e.vi.contains("thiếu tài liệu kiểm chứng") && e.en.contains("not credited"),
        "{e:?}"
    );
    // Only 1.2.2 lacks evidence.
    let flagged: Vec<_> = r
        .nodes
        .iter()
        .filter(|n| matches!(n.status, Status::EvidenceMissing { .. }))
        .map(|n| n.code.as_str())
        .collect();
    assert_eq!(flagged, ["1.2.2"]);
    // Without the explanation, an explanation is demanded.
    let mut b = a.clone();
    if let Some(le) = b
        .entries
        .get_mut("1.2.2")
        .and_then(|e| e.self_assessment.as_mut())
    {
        le.explanation = None;
    }
    let r = score(&i, &b, View::Final);
    let n = r.node("1.2.2").expect("1.2.2");
    assert_eq!(n.status, Status::EvidenceMissing { explained: false });
    assert!(n
        .explanation
        .as_ref()
        .is_some_and(|e| e.vi.contains("cần giải trình")));
}

fn cap_error(d: &Diagnostics) -> bool {
    d.errors()
        .any(|x| matches!(x.problem, Problem::OutOfRange { .. }) && x.path.contains("bonus"))
}

#[test]
fn example_bonus_and_penalty_caps_apply() {
    let (i, a) = example();
    let r = score(&i, &a, View::Final);
    let bonus = r
        .adjustments
        .iter()
        .find(|x| x.code == "bonus")
        .expect("bonus");
    let penalty = r
        .adjustments
        .iter()
        .find(|x| x.code == "penalty")
        .expect("penalty");
    assert_eq!(
        (bonus.points, bonus.cap, bonus.source),
        (d("2"), d("5"), Some(Layer::Appraisal1))
    );
    assert_eq!((penalty.points, penalty.cap), (d("1"), d("5")));

    // Above the cap of 5: refused, nothing is scored.
    let mut over = a.clone();
    over.adjustments
        .get_mut("bonus")
        .expect("bonus")
        .appraisal_1 = Some(LayerEntry::new(Value::Points(d("5.5"))));
    let err = i
        .score(&over, View::Final)
        .expect_err("a bonus above its cap is an error");
    assert!(cap_error(&err), "{err}");

    // At the cap: 68.57 + 5 − 1 = 72.57.
    let mut at = a.clone();
    at.adjustments.get_mut("bonus").expect("bonus").appraisal_1 =
        Some(LayerEntry::new(Value::Points(d("5"))));
    assert_eq!(score(&i, &at, View::Final).total.achieved, Some(d("72.57")));

    // A penalty can take the total to 0 but not below: no criteria values (each 0 under
    // the missing-value policy), penalty 5 → 0, not −5.
    let mut empty = a.clone();
    empty.entries.retain(|code, _| code == "2.4");
    empty.adjustments.remove("bonus");
    empty
        .adjustments
        .get_mut("penalty")
        .expect("penalty")
        .appraisal_1 = Some(LayerEntry::new(Value::Points(d("5"))));
    let r = score(&i, &empty, View::Final);
    assert_eq!(r.total.criteria_points, Some(d("0")));
    assert_eq!(r.total.achieved, Some(d("0")));
}

#[test]
fn camau_scores_as_worked_by_hand() {
    let (i, a) = camau();
    let r = score(&i, &a, View::Final);
    explanations_complete(&r);
    for (code, expected) in [
        ("1.1.1", "1"), // "Ban hành kịp thời: 1"
        ("1.1.2", "0"), // no funding → "… hoặc không bố trí kinh phí: 0"
        ("1.1.3", "1"), // "Đạt yêu cầu: 1"
        ("1.1.4", "1"), // 90% → "Thực hiện từ 70% - 90% kế hoạch: 1"
        ("1.2.1", "1"), // both conditions hold
        ("1.2.2", "0"), // appraisal_2 "Không đạt yêu cầu: 0"
        ("1.3", "2.5"), // appraisal_1 2.5 of 3
        ("1.1", "3"),
        ("1.2", "1"),
        ("1", "6.5"),
    ] {
        assert_eq!(achieved(&r, code), Some(d(expected)), "{code}");
    }
    assert_eq!(r.nodes.iter().filter(|n| n.leaf).count(), 7);
    // Every rule type of the file is exercised by the assessment.
    let used: HashSet<_> = i
        .nodes()
        .iter()
        .filter_map(|n| n.rule.as_ref())
        .map(std::mem::discriminant)
        .collect();
    assert_eq!(
        used.len(),
        5,
        "timeliness, yes_no, levels, tiers, discretionary"
    );
    for n in i.nodes().iter().filter(|n| n.is_leaf()) {
        assert!(a.entries.contains_key(&n.code), "{} is assessed", n.code);
    }
    // The area maximum is unknown (20 in the source, criteria 1.4+ not public): the
    // applicable maximum is that of the encoded criteria, 5 + 2 + 3 = 10.
    assert_eq!(r.node("1").and_then(|n| n.max_points), None);
    assert_eq!(r.node("1").and_then(|n| n.applicable_max), Some(d("10")));
    assert_eq!(r.total.achieved, Some(d("6.5")));
    assert_eq!(r.total.applicable_max, Some(d("10")));
    assert_eq!(r.total.percent, Some(d("65")));
    assert_eq!(r.total.band, None);
    // Self view: 1 + 1 + 1 + 2 (92%) + 1 + 1 + 3 = 10.
    assert_eq!(r.total.self_points, Some(d("10")));
}
