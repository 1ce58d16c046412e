//! Arithmetic at the limits (issue 12, classes 1 and 5): weights, maxima and values near
//! 10¹⁵ never panic — they validate and score exactly, or are refused with a located
//! `Overflow` — and maxima that do not add up are errors, never silently wrong scores.
//! Every expected number is worked out by hand in the comments.
#![cfg(not(target_arch = "wasm32"))]

mod common;
use chiso::inputs::Inputs;
use chiso::rule::{Outcome, Rule};
use chiso::{Cell, Decimal, Diagnostics, Index, Problem, Value, View};
use common::Gen;
use serde_json::{json, Value as Json};

fn d(s: &str) -> Decimal {
    s.parse().expect("decimal")
}

/// 10¹⁵, the input limit.
const E15: &str = "1000000000000000";

fn yes_no() -> Json {
    json!({"type": "yes_no",
        "yes": {"label": {"vi": "Có", "en": "Yes"}, "percent_of_max": "100"},
        "no": {"label": {"vi": "Không", "en": "No"}, "points": "0"}})
}

fn leaf(code: &str, max: Option<&str>, rule: Json) -> Json {
    let mut n = json!({"code": code, "title": {"vi": code, "en": code}, "rule": rule});
    if let Some(m) = max {
        n["max_points"] = json!(m);
    }
    n
}

fn parent(code: &str, max: Option<&str>, aggregation: Option<Json>, children: Vec<Json>) -> Json {
    let mut n = json!({"code": code, "title": {"vi": code, "en": code}, "children": children});
    if let Some(m) = max {
        n["max_points"] = json!(m);
    }
    if let Some(a) = aggregation {
        n["aggregation"] = a;
    }
    n
}

/// An index document; `extra` fields (aggregation, adjustments…) are merged in.
fn index_json(max: Option<&str>, nodes: Vec<Json>, extra: Json) -> String {
    let mut doc = json!({"format": "chiso.index/1", "id": "t", "title": {"vi": "Thử", "en": "Test"},
        "version": "1", "legal_basis": [], "unit_levels": ["department"], "years": {"from": 2024},
        "completeness": "example", "nodes": nodes});
    if let Some(m) = max {
        doc["max_points"] = json!(m);
    }
    if let (Some(d), Some(e)) = (doc.as_object_mut(), extra.as_object()) {
        d.extend(e.clone());
    }
    doc.to_string()
}

fn build(text: &str) -> Result<Index, Diagnostics> {
    Index::from_json(text)
}

fn errors(text: &str) -> Vec<(String, Option<String>, Problem)> {
    match build(text) {
        Ok(_) => Vec::new(),
        Err(ds) => ds
            .errors()
            .map(|e| (e.path.clone(), e.code.clone(), e.problem.clone()))
            .collect(),
    }
}

fn assessment(entries: Json, adjustments: Json) -> chiso::Assessment {
    let doc = json!({"format": "chiso.assessment/1", "index": "t", "unit": {"name": "Sở A"},
        "entries": entries, "adjustments": adjustments});
    chiso::load::assessment(&doc.to_string()).expect("assessment")
}

fn all_yes(codes: &[&str]) -> Json {
    Json::Object(
        codes
            .iter()
            .map(|c| (c.to_string(), json!({"self": {"value": {"yes_no": true}}})))
            .collect(),
    )
}

fn weighted(method: &str, weights: &[(&str, &str)]) -> Json {
    let w: serde_json::Map<String, Json> = weights
        .iter()
        .map(|(c, w)| (c.to_string(), json!(w)))
        .collect();
    json!({"method": method, "weights": w})
}

// ---------------------------------------------------------------- class 1: overflow

#[test]
fn weights_and_maxima_near_the_limit_are_a_located_overflow_not_a_panic() {
    // 10¹⁵ × 10¹⁵ + 10¹⁵ × 10¹⁵ = 2·10³⁰ > Decimal's 7.9·10²⁸: the issue's panic.
    for method in ["weighted_sum", "weighted_mean"] {
        let text = index_json(
            Some("5"),
            vec![
                leaf("1", Some(E15), yes_no()),
                leaf("2", Some(E15), yes_no()),
            ],
            json!({"aggregation": weighted(method, &[("1", E15), ("2", E15)])}),
        );
        let errs = errors(&text);
        assert_eq!(errs.len(), 1, "{method}: {errs:?}");
        assert_eq!(errs[0].0, "$");
        assert!(matches!(&errs[0].2, Problem::Overflow { what } if what.contains("weighted sum")));
    }
    // The same one level down names the criterion.
    let text = index_json(
        None,
        vec![parent(
            "A",
            None,
            Some(weighted("weighted_sum", &[("A.1", E15), ("A.2", E15)])),
            vec![
                leaf("A.1", Some(E15), yes_no()),
                leaf("A.2", Some(E15), yes_no()),
            ],
        )],
        json!({}),
    );
    let errs = errors(&text);
    assert_eq!(
        (errs[0].0.as_str(), errs[0].1.as_deref()),
        ("$.nodes[0]", Some("A"))
    );
}

#[test]
fn the_largest_products_that_fit_score_exactly_and_one_more_child_does_not_validate() {
    // Three children of maximum 10¹⁵ weighted 10¹³: 3 × 10¹³ × 10¹⁵ = 3·10²⁸, inside the
    // points limit (2⁹⁵ − 1 ≈ 3.96·10²⁸); a fourth makes 4·10²⁸, beyond it.
    let w = "10000000000000";
    let tree = |n: usize| {
        let codes: Vec<String> = (1..=n).map(|i| i.to_string()).collect();
        let weights: Vec<(&str, &str)> = codes.iter().map(|c| (c.as_str(), w)).collect();
        index_json(
            None,
            codes.iter().map(|c| leaf(c, Some(E15), yes_no())).collect(),
            json!({"aggregation": weighted("weighted_sum", &weights)}),
        )
    };
    let index = build(&tree(3)).expect("3·10²⁸ validates");
    let a = assessment(all_yes(&["1", "2", "3"]), json!({}));
    let r = index.score(&a, View::Final).expect("scores");
    assert_eq!(r.total.achieved, Some(d("30000000000000000000000000000")));
    assert_eq!(
        r.total.applicable_max,
        Some(d("30000000000000000000000000000"))
    );
    assert_eq!(r.total.percent, Some(d("100")));
    let errs = errors(&tree(4));
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(matches!(&errs[0].2, Problem::Overflow { .. }));
    assert!(chiso::validate::POINTS_LIMIT < d("40000000000000000000000000000"));
}

#[test]
fn bonus_caps_are_bounded_and_counted_in_the_total() {
    // A cap beyond the input limit is refused where it is written.
    let cap = |c: &str| {
        json!({"adjustments": [{"code": "thuong", "title": {"vi": "Điểm thưởng", "en": "Bonus"},
            "kind": "bonus", "cap": c}]})
    };
    let text = index_json(
        Some("10"),
        vec![leaf("1", Some("10"), yes_no())],
        cap("99999999999999999999"),
    );
    let errs = errors(&text);
    assert_eq!(errs[0].0, "$.adjustments[0].cap");
    assert!(matches!(errs[0].2, Problem::TooLarge { .. }));
    // A root bounded exactly at the points limit: one weight of 39614081257132.168796771975167
    // × a leaf of 10¹⁵ = 39614081257132168796771975167 = 2⁹⁵ − 1. Adding a bonus of up to
    // 1 point could leave the limit.
    let limit_weight = "39614081257132.168796771975167";
    let at_limit = |adj: Json| {
        index_json(
            None,
            vec![leaf("1", Some(E15), yes_no())],
            json!({"aggregation": weighted("weighted_sum", &[("1", limit_weight)]),
                "adjustments": adj["adjustments"].clone()}),
        )
    };
    let index = build(&at_limit(json!({"adjustments": []}))).expect("exactly at the limit");
    let r = index
        .score(&assessment(all_yes(&["1"]), json!({})), View::Final)
        .expect("scores");
    assert_eq!(r.total.achieved, Some(chiso::validate::POINTS_LIMIT));
    let errs = errors(&at_limit(cap("1")));
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].0, "$.adjustments");
    assert!(matches!(&errs[0].2, Problem::Overflow { what } if what.contains("bonus")));
}

#[test]
fn a_total_percent_beyond_the_range_is_an_error() {
    // Maximum 10⁻²⁸, bonus 10¹⁵: 10¹⁵ / 10⁻²⁸ × 100 = 10⁴⁵.
    let tiny = "0.0000000000000000000000000001";
    let text = index_json(
        Some(tiny),
        vec![leaf("1", Some(tiny), yes_no())],
        json!({"adjustments": [{"code": "thuong", "title": {"vi": "Điểm thưởng", "en": "Bonus"},
            "kind": "bonus", "cap": E15}]}),
    );
    let index = build(&text).expect("valid");
    let a = assessment(
        all_yes(&["1"]),
        json!({"thuong": {"self": {"value": {"points": E15}}}}),
    );
    let errs = index.score(&a, View::Final).expect_err("percent overflows");
    assert!(matches!(&errs.0[0].problem, Problem::Overflow { what } if what.contains("percent")));
}

fn rule(text: &str) -> Rule {
    serde_json::from_str(text).expect("rule")
}

fn points(r: &Rule, max: Option<Decimal>, v: &Value) -> Result<Decimal, Problem> {
    match r.evaluate(max, v)? {
        Outcome::Scored { points, .. } => Ok(points),
        Outcome::NotApplicable { .. } => panic!("not applicable"),
    }
}

#[test]
fn rules_at_the_limits_compute_or_refuse() {
    let max = Some(d(E15));
    let ratio = |n: &str, den: &str| Value::Ratio {
        numerator: d(n),
        denominator: d(den),
    };
    // Proportional: max × n × 100 = 10¹⁵ × 5·10¹⁴ × 100 = 5·10³¹ does not fit; the share
    // first: 10¹⁵ × (5·10¹⁴ / 10¹⁵) = 5·10¹⁴, and 10¹⁵ × 333333333333333/10¹⁵ = 333333333333333.
    let p = rule(r#"{"type":"proportional","zero_denominator":"zero"}"#);
    assert_eq!(
        points(&p, max, &ratio("500000000000000", E15)),
        Ok(d("500000000000000"))
    );
    assert_eq!(
        points(&p, max, &ratio("333333333333333", E15)),
        Ok(d("333333333333333"))
    );
    // Threshold 90%: 10¹⁵ × 0.45 / 0.9 = 5·10¹⁴.
    let t = rule(r#"{"type":"proportional","threshold_percent":"90","zero_denominator":"zero"}"#);
    assert_eq!(
        points(&t, max, &ratio("450000000000000", E15)),
        Ok(d("500000000000000"))
    );
    // Deductions: 10¹⁵ incidents × 10¹⁵ points = 10³⁰: located overflow, not a panic.
    let ded = rule(
        r#"{"type":"deductions","severities":[{"key":"nhe","label":{"vi":"Nhẹ"},"points":"1000000000000000"}]}"#,
    );
    let counts = Value::Counts([("nhe".to_owned(), d(E15))].into());
    assert!(matches!(
        points(&ded, max, &counts),
        Err(Problem::Overflow { .. })
    ));
    // 2 incidents × 10¹⁵ fit: 10¹⁵ − 2·10¹⁵ floored at 0.
    let two = Value::Counts([("nhe".to_owned(), d("2"))].into());
    assert_eq!(points(&ded, max, &two), Ok(Decimal::ZERO));
    // Discretionary on a step of 10⁻²⁸: 10¹⁵ / 10⁻²⁸ = 10⁴³ does not fit, the remainder does.
    let step = rule(r#"{"type":"discretionary","step":"0.0000000000000000000000000001"}"#);
    assert_eq!(points(&step, max, &Value::Points(d(E15))), Ok(d(E15)));
    let third = rule(r#"{"type":"discretionary","step":"0.0000000000000000000000000003"}"#);
    assert!(matches!(
        points(&third, max, &Value::Points(d("1"))),
        Err(Problem::NotOnStep { .. })
    ));
    // Survey: 10¹⁵ answers A (100%) and 10¹⁵ answers D (0%): mean 50% of 10¹⁵.
    let s = rule(r#"{"type":"survey"}"#);
    let answers = Value::Answers([("A".to_owned(), d(E15)), ("D".to_owned(), d(E15))].into());
    assert_eq!(points(&s, max, &answers), Ok(d("500000000000000")));
    // A maximum beyond the input limit, given directly to a rule, is refused.
    let big = Some(d("10000000000000000000000000"));
    assert!(matches!(
        points(
            &rule(r#"{"type":"survey"}"#),
            big,
            &Value::Percent(d("100"))
        ),
        Err(Problem::TooLarge { .. })
    ));
}

#[test]
fn the_mean_of_values_near_the_range_does_not_overflow() {
    // (MAX + MAX) / 2 = MAX: the sum does not fit, the divided values do.
    let m = chiso::ranking::mean(&[Some(Decimal::MAX), Some(Decimal::MAX)]).expect("mean");
    assert!(Decimal::MAX - m <= d("1"), "{m}");
    assert_eq!(
        chiso::ranking::mean(&[Some(d("1")), Some(d("2"))]),
        Some(d("1.5"))
    );
}

// ---------------------------------------------------------------- class 5: wrong maxima

#[test]
fn a_parent_without_a_maximum_counts_for_what_its_children_add_up_to() {
    // The issue: root 3, area 1 without a maximum, leaves of 10 and 10 → 20, not 3.
    let text = index_json(
        Some("3"),
        vec![parent(
            "1",
            None,
            None,
            vec![
                leaf("1.1", Some("10"), yes_no()),
                leaf("1.2", Some("10"), yes_no()),
            ],
        )],
        json!({}),
    );
    let errs = errors(&text);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].0, "$.max_points");
    assert_eq!(
        errs[0].2,
        Problem::MaxMismatch {
            declared: d("3"),
            computed: d("20")
        }
    );
    // Weighted: 0.1 × 10 + 0.1 × 10 = 2 under a parent without a maximum.
    let text = index_json(
        Some("3"),
        vec![parent(
            "1",
            None,
            Some(weighted("weighted_sum", &[("1.1", "0.1"), ("1.2", "0.1")])),
            vec![
                leaf("1.1", Some("10"), yes_no()),
                leaf("1.2", Some("10"), yes_no()),
            ],
        )],
        json!({}),
    );
    assert_eq!(
        errors(&text)[0].2,
        Problem::MaxMismatch {
            declared: d("3"),
            computed: d("2")
        }
    );
    // Leaves without a maximum count for their best award: yes = 3 points each → 6 ≠ 3.
    let three = json!({"type": "yes_no", "yes": {"label": {"vi": "Có"}, "points": "3"},
        "no": {"label": {"vi": "Không"}, "points": "0"}});
    let text = index_json(
        Some("3"),
        vec![parent(
            "1",
            None,
            None,
            vec![leaf("1.1", None, three.clone()), leaf("1.2", None, three)],
        )],
        json!({}),
    );
    assert_eq!(
        errors(&text)[0].2,
        Problem::MaxMismatch {
            declared: d("3"),
            computed: d("6")
        }
    );
}

#[test]
fn a_leaf_that_can_never_reach_its_maximum_is_an_error() {
    // Levels up to 5 under a maximum of 10; a step of 0.3 reaches 0.9 of 1.
    let levels = json!({"type": "levels", "levels": [
        {"key": "tot", "label": {"vi": "Tốt"}, "points": "5"},
        {"key": "kem", "label": {"vi": "Kém"}, "points": "0"}]});
    let text = index_json(
        Some("11"),
        vec![
            leaf("1", Some("10"), levels),
            leaf(
                "2",
                Some("1"),
                json!({"type": "discretionary", "step": "0.3"}),
            ),
        ],
        json!({}),
    );
    let errs = errors(&text);
    assert_eq!(errs.len(), 2, "{errs:?}");
    assert_eq!(
        (errs[0].0.as_str(), &errs[0].2),
        (
            "$.nodes[0].rule",
            &Problem::MaxUnreachable {
                max: d("10"),
                best: d("5")
            }
        )
    );
    assert_eq!(
        errs[1].2,
        Problem::MaxUnreachable {
            max: d("1"),
            best: d("0.9")
        }
    );
}

#[test]
fn rescaling_needs_every_maximum() {
    let text = index_json(
        None,
        vec![
            parent(
                "1",
                None,
                Some(json!({"method": "sum", "rescale_to_max": true})),
                vec![leaf("1.1", Some("10"), yes_no())],
            ),
            parent(
                "2",
                Some("5"),
                Some(json!({"method": "sum", "rescale_to_max": true})),
                vec![leaf("2.1", None, json!({"type": "score"}))],
            ),
        ],
        json!({}),
    );
    let errs = errors(&text);
    assert_eq!(errs.len(), 2, "{errs:?}");
    assert_eq!(errs[0].0, "$.nodes[0].aggregation.rescale_to_max");
    assert_eq!(errs[0].2, Problem::RescaleNeedsMax { parent: None });
    assert_eq!(
        (errs[1].0.as_str(), errs[1].1.as_deref()),
        ("$.nodes[1].children[0].max_points", Some("2.1"))
    );
    assert_eq!(
        errs[1].2,
        Problem::RescaleNeedsMax {
            parent: Some("2".into())
        }
    );
}

#[test]
fn points_above_a_maximum_only_the_values_can_break_are_an_error_on_every_path() {
    // A frame: three areas scored as such, no area maximum published, total 100.
    let text = index_json(
        Some("100"),
        (1..=3)
            .map(|i| leaf(&i.to_string(), None, json!({"type": "score"})))
            .collect(),
        json!({}),
    );
    let index = build(&text).expect("a frame validates");
    let entries = |p: &str| {
        json!({"1": {"self": {"value": {"points": p}}}, "2": {"self": {"value": {"points": p}}},
               "3": {"self": {"value": {"points": p}}}})
    };
    // 3 × 40 = 120 > 100.
    let over = assessment(entries("40"), json!({}));
    let errs = index.score(&over, View::Final).expect_err("120 of 100");
    assert_eq!(errs.len(), 1);
    assert_eq!(errs.0[0].path, "$");
    assert_eq!(
        errs.0[0].problem,
        Problem::PointsAboveMax {
            what: "the sub-criteria's points added up / tổng điểm các tiêu chí thành phần".into(),
            points: d("120"),
            max: d("100")
        }
    );
    let inputs = Inputs::resolve(&index, &over, View::Final).expect("inputs");
    let mut cells = vec![Cell::Missing; index.nodes().len()];
    assert!(index.evaluate(&inputs, &mut cells).is_err());
    // 3 × 33.34 = 100.02 > 100 too; 3 × 33 = 99 scores.
    assert!(index
        .score(&assessment(entries("33.34"), json!({})), View::Final)
        .is_err());
    let ok = assessment(entries("33"), json!({}));
    assert_eq!(
        index.score(&ok, View::Final).expect("99").total.achieved,
        Some(d("99"))
    );
}

#[test]
fn bonus_points_out_of_range_are_caught_after_a_refresh_without_checks() {
    let text = index_json(
        Some("10"),
        vec![leaf("1", Some("10"), yes_no())],
        json!({"adjustments": [{"code": "thuong", "title": {"vi": "Điểm thưởng", "en": "Bonus"},
            "kind": "bonus", "cap": "5"}]}),
    );
    let index = build(&text).expect("valid");
    let mut a = assessment(
        all_yes(&["1"]),
        json!({"thuong": {"self": {"value": {"points": "5"}}}}),
    );
    let mut inputs = Inputs::resolve(&index, &a, View::Final).expect("inputs");
    let mut cells = vec![Cell::Missing; index.nodes().len()];
    // 10 + 5 = 15.
    assert_eq!(index.evaluate(&inputs, &mut cells), Ok(Some(d("15"))));
    a = assessment(
        all_yes(&["1"]),
        json!({"thuong": {"self": {"value": {"points": "-7"}}}}),
    );
    inputs.refresh(&index, &a, "thuong").expect("refresh");
    let e = index
        .evaluate(&inputs, &mut cells)
        .expect_err("−7 is outside 0 – 5");
    assert_eq!(e.path, "$.adjustments[\"thuong\"]");
}

#[test]
fn a_maximum_of_zero_scores_zero_of_zero_without_a_percent() {
    let text = index_json(
        Some("0"),
        vec![
            leaf("1", Some("0"), yes_no()),
            leaf("2", Some("0"), yes_no()),
        ],
        json!({}),
    );
    let index = build(&text).expect("valid");
    let r = index
        .score(&assessment(all_yes(&["1"]), json!({})), View::Final)
        .expect("scores");
    assert_eq!(r.total.achieved, Some(Decimal::ZERO));
    assert_eq!(r.total.applicable_max, Some(Decimal::ZERO));
    assert_eq!(r.total.percent, None);
    assert!(r.nodes.iter().all(|n| n.percent.is_none()));
}

// ---------------------------------------------------------------- property: never panic

// `Gen` (splitmix64: `next`, `below`, `chance`) is shared in tests/common; the draws
// this file needs beside them:
impl Gen {
    /// A non-negative number from the hostile region: 0, 10⁻²⁸, ordinary points, many
    /// decimals, and (more often when `huge`) numbers at or just below 10¹⁵.
    fn number(&mut self, huge: bool) -> Decimal {
        let near_limit = if huge { 60 } else { 15 };
        match self.below(100) {
            k if k < near_limit => match self.below(5) {
                0 => d(E15),
                1 => d("999999999999999.9999999999999"),
                2 => Decimal::from(self.below(1_000_000_000_000_000) + 1),
                // 10¹¹ – 10¹⁴: a weight whose product with a large maximum still fits.
                3 => Decimal::from(10u64.pow(11 + self.below(4) as u32) * (1 + self.below(9))),
                _ => Decimal::new(self.below(i64::MAX as u64) as i64, 4).min(d(E15)),
            },
            k if k < near_limit + 5 => Decimal::ZERO,
            k if k < near_limit + 10 => d("0.0000000000000000000000000001"),
            k if k < near_limit + 20 => Decimal::new(
                self.below(i64::MAX as u64) as i64,
                18 + self.below(10) as u32,
            ),
            _ => Decimal::new(self.below(10_000) as i64 + 1, 2),
        }
    }
}

/// One random subtree: returns the node and its implied maximum (the test's own Σ wᵢ·mᵢ,
/// `None` when unknown or beyond `Decimal`).
fn random_node(g: &mut Gen, code: &str, depth: usize, huge: bool) -> (Json, Option<Decimal>) {
    if depth >= 3 || g.chance(35) {
        return random_leaf(g, code, huge);
    }
    let n = 1 + g.below(4) as usize;
    let kids: Vec<(Json, Option<Decimal>)> = (0..n)
        .map(|i| random_node(g, &format!("{code}.{}", i + 1), depth + 1, huge))
        .collect();
    let method = ["sum", "weighted_sum", "weighted_mean"][g.below(3) as usize];
    let rescale = g.chance(15);
    let weights: Vec<Decimal> = (0..n)
        .map(|_| {
            let heavy = huge && g.chance(50);
            let w = g.number(heavy);
            if w.is_zero() {
                Decimal::ONE
            } else {
                w
            }
        })
        .collect();
    let mut agg = json!({"method": method, "rescale_to_max": rescale});
    if method != "sum" {
        agg["weights"] = Json::Object(
            kids.iter()
                .zip(&weights)
                .map(|((k, _), w)| {
                    (
                        k["code"].as_str().unwrap_or("").to_owned(),
                        json!(w.to_string()),
                    )
                })
                .collect(),
        );
    }
    let implied = implied_max(method, &kids, &weights);
    let declared = if rescale {
        Some(g.number(huge))
    } else {
        match g.below(10) {
            0..=5 => implied,
            6..=8 => None,
            _ => Some(g.number(huge)),
        }
    };
    let children: Vec<Json> = kids.into_iter().map(|(k, _)| k).collect();
    let mut node =
        json!({"code": code, "title": {"vi": code}, "aggregation": agg, "children": children});
    if let Some(m) = declared {
        node["max_points"] = json!(m.to_string());
    }
    let reach = if rescale {
        declared
    } else {
        declared.or(implied)
    };
    (node, reach)
}

fn implied_max(
    method: &str,
    kids: &[(Json, Option<Decimal>)],
    weights: &[Decimal],
) -> Option<Decimal> {
    let mut sum = Decimal::ZERO;
    let mut wsum = Decimal::ZERO;
    for ((_, m), w) in kids.iter().zip(weights) {
        let w = if method == "sum" { Decimal::ONE } else { *w };
        sum = sum.checked_add(w.checked_mul((*m)?)?)?;
        wsum = wsum.checked_add(w)?;
    }
    if method == "weighted_mean" {
        sum.checked_div(wsum)
    } else {
        Some(sum)
    }
}

fn random_leaf(g: &mut Gen, code: &str, huge: bool) -> (Json, Option<Decimal>) {
    let max = g.number(huge);
    let (rule, with_max) = match g.below(8) {
        0 => (yes_no(), true),
        1 => (json!({"type": "score"}), g.chance(50)),
        2 => (
            json!({"type": "proportional", "zero_denominator": "zero",
                     "threshold_percent": (["100", "90", "0.0001"][g.below(3) as usize])}),
            true,
        ),
        3 => (
            json!({"type": "deductions", "severities": [
                {"key": "nhe", "label": {"vi": "Nhẹ"}, "percent_of_max": "50"},
                {"key": "nang", "label": {"vi": "Nặng"}, "points": max.to_string()}]}),
            true,
        ),
        4 => (
            json!({"type": "discretionary", "step": (max / Decimal::from(4)).to_string()}),
            true,
        ),
        5 => (json!({"type": "survey"}), true),
        6 => (
            json!({"type": "levels", "levels": [
                {"key": "tot", "label": {"vi": "Tốt"}, "percent_of_max": "100"},
                {"key": "kha", "label": {"vi": "Khá"}, "percent_of_max": "50"}]}),
            true,
        ),
        _ => (json!({"type": "discretionary"}), true),
    };
    let max = with_max.then_some(max);
    (leaf(code, max.map(|m| m.to_string()).as_deref(), rule), max)
}

/// A value for `node`'s rule, often at its extremes.
fn random_value(g: &mut Gen, node: &chiso::engine::FlatNode) -> Json {
    let max = node.max.unwrap_or(d(E15));
    let big = |g: &mut Gen| g.number(true).to_string();
    match node.rule.as_ref() {
        Some(Rule::YesNo { .. }) => json!({"yes_no": g.chance(70)}),
        Some(Rule::Score { .. }) if node.max.is_none() && g.chance(30) => {
            json!({"number": format!("-{}", big(g))})
        }
        Some(Rule::Score { .. }) | Some(Rule::Discretionary { step: None }) => {
            json!({"points": ([max, Decimal::ZERO, max / Decimal::TWO][g.below(3) as usize].to_string())})
        }
        Some(Rule::Discretionary { .. }) => {
            json!({"points": (max / Decimal::from(4) * Decimal::from(g.below(5))).to_string()})
        }
        Some(Rule::Proportional { .. }) => {
            let den = g.number(true).max(Decimal::ONE);
            let num = (den * Decimal::new(g.below(1001) as i64, 3))
                .round_dp(0)
                .min(den);
            json!({"ratio": {"numerator": num.to_string(), "denominator": den.to_string()}})
        }
        Some(Rule::Deductions { .. }) => {
            json!({"counts": {"nhe": big(g).split('.').next().unwrap_or("0"), "nang": g.below(3).to_string()}})
        }
        Some(Rule::Survey { .. }) => json!({"answers": {"A": big(g), "B": big(g), "D": big(g)}}),
        Some(Rule::Levels { .. }) => json!({"option": (["tot", "kha"][g.below(2) as usize])}),
        _ => json!({"yes_no": true}),
    }
}

#[derive(Default, Debug)]
struct Seen {
    indexes: usize,
    valid: usize,
    overflow_at_validation: usize,
    scored: usize,
    refused_at_scoring: usize,
    refusals: std::collections::BTreeMap<String, usize>,
    largest_total: Decimal,
}

fn one_case(seed: u64, seen: &mut Seen) -> Result<(), proptest::test_runner::TestCaseError> {
    use proptest::prelude::*;
    let mut g = Gen(seed);
    let huge = g.chance(60);
    let n = 1 + g.below(4) as usize;
    let mut kids: Vec<(Json, Option<Decimal>)> = (0..n)
        .map(|i| random_node(&mut g, &(i + 1).to_string(), 1, huge))
        .collect();
    if g.chance(30) {
        // The edge itself: one more area whose weighted sum of maxima near 10¹⁵ lands
        // between 10²⁷ and a little beyond the points limit (≈ 3.96·10²⁸).
        let k = 1 + g.below(4) as usize;
        let code = format!("{}", n + 1);
        let leaves: Vec<Json> = (0..k)
            .map(|i| leaf(&format!("{code}.{}", i + 1), Some(E15), yes_no()))
            .collect();
        let w = Decimal::from(10u64.pow(12) * (1 + g.below(15)));
        let weights: Vec<(String, String)> = (0..k)
            .map(|i| (format!("{code}.{}", i + 1), w.to_string()))
            .collect();
        let wref: Vec<(&str, &str)> = weights
            .iter()
            .map(|(c, w)| (c.as_str(), w.as_str()))
            .collect();
        let implied = w
            .checked_mul(d(E15))
            .and_then(|x| x.checked_mul(Decimal::from(k)));
        kids.push((
            parent(&code, None, Some(weighted("weighted_sum", &wref)), leaves),
            implied,
        ));
    }
    let n = kids.len();
    let implied = implied_max("sum", &kids, &vec![Decimal::ONE; n]);
    let root_max = if g.chance(70) { implied } else { None };
    let mut extra = json!({});
    if g.chance(30) {
        extra["policies"] = json!({"leaf_rounding": {"decimals": g.below(4),
            "mode": (["half_up", "half_even", "truncate"][g.below(3) as usize])}});
    }
    let caps: Vec<Decimal> = (0..g.below(3)).map(|_| g.number(huge)).collect();
    extra["adjustments"] = Json::Array(
        caps.iter()
            .enumerate()
            .map(|(i, c)| {
                json!({"code": format!("adj{i}"), "title": {"vi": "Điểm thưởng"},
                    "kind": if i % 2 == 0 { "bonus" } else { "penalty" }, "cap": c.to_string()})
            })
            .collect(),
    );
    let text = index_json(
        root_max.map(|m| m.to_string()).as_deref(),
        kids.into_iter().map(|(k, _)| k).collect(),
        extra,
    );
    seen.indexes += 1;
    let index = match Index::from_json(&text) {
        Ok(i) => i,
        Err(ds) => {
            prop_assert!(ds.has_errors());
            for e in ds.errors() {
                prop_assert!(e.path.starts_with('$'), "{:?}", e);
                let _ = e.message(chiso::Lang::Vi);
            }
            if ds
                .errors()
                .any(|e| matches!(e.problem, Problem::Overflow { .. }))
            {
                seen.overflow_at_validation += 1;
            }
            return Ok(());
        }
    };
    seen.valid += 1;
    let mut entries = serde_json::Map::new();
    for i in index.leaves().collect::<Vec<_>>() {
        let node = &index.nodes()[i];
        if g.chance(90) {
            entries.insert(
                node.code.clone(),
                json!({"self": {"value": random_value(&mut g, node)}}),
            );
        }
    }
    let adjustments: serde_json::Map<String, Json> = caps
        .iter()
        .enumerate()
        .map(|(i, c)| {
            (
                format!("adj{i}"),
                json!({"self": {"value": {"points": c.to_string()}}}),
            )
        })
        .collect();
    let a = assessment(Json::Object(entries), Json::Object(adjustments));
    for view in [View::SelfAssessment, View::Final] {
        let scored = index.score(&a, view);
        let inputs = Inputs::resolve(&index, &a, view);
        match (&scored, inputs) {
            (Ok(r), Ok(inputs)) => {
                seen.scored += 1;
                let mut cells = vec![Cell::Missing; index.nodes().len()];
                // The points-only path gives the same total.
                prop_assert_eq!(
                    index.evaluate(&inputs, &mut cells).ok().flatten(),
                    r.total.achieved
                );
                if let Some(t) = r.total.achieved {
                    seen.largest_total = seen.largest_total.max(t.abs());
                    let _ = chiso::display::fixed(t, 2, chiso::display::Rounding::HalfUp);
                }
                for node in &r.nodes {
                    for x in [node.achieved, node.percent, node.delta]
                        .into_iter()
                        .flatten()
                    {
                        let _ = chiso::display::fixed(x, 2, chiso::display::Rounding::HalfUp);
                    }
                    let _ = node.explanation.as_ref().map(|e| e.vi.len());
                }
                let totals = vec![r.total.achieved, r.total.achieved, Some(d(E15))];
                let _ = chiso::ranking::rank(&totals, chiso::band::TiePolicy::Competition);
                let _ = chiso::ranking::mean(&totals);
            }
            (Err(ds), _) => {
                seen.refused_at_scoring += 1;
                for e in ds.errors() {
                    *seen
                        .refusals
                        .entry(format!("{:?}", e.problem).chars().take(60).collect())
                        .or_default() += 1;
                }
                for e in ds.errors() {
                    prop_assert!(e.path.starts_with('$'), "{:?}", e);
                }
            }
            (Ok(_), Err(ds)) => prop_assert!(false, "scored but inputs refused: {ds:?}"),
        }
    }
    Ok(())
}

#[test]
fn validation_and_scoring_never_panic_on_trees_at_the_limits() {
    use proptest::test_runner::{Config, TestRunner};
    let mut runner = TestRunner::new(Config {
        cases: 600,
        failure_persistence: None,
        ..Config::default()
    });
    let seen = std::cell::RefCell::new(Seen::default());
    let outcome = runner.run(&proptest::prelude::any::<u64>(), |seed| {
        one_case(seed, &mut seen.borrow_mut())
    });
    let seen = seen.into_inner();
    if let Err(e) = outcome {
        panic!("{e}\n{seen:?}");
    }
    eprintln!("{seen:?}");
    // The run reached the region it is about: trees refused for overflow, trees that
    // validate and score totals beyond 10²⁷, and scoring-time refusals.
    assert!(seen.overflow_at_validation >= 20, "{seen:?}");
    assert!(seen.valid >= 100, "{seen:?}");
    assert!(
        seen.largest_total > d("1000000000000000000000000000"),
        "{seen:?}"
    );
    assert!(seen.scored >= 100, "{seen:?}");
}
