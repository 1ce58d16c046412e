//! Property tests: invariants of the engine over random criteria trees and assessments.
#![cfg(not(target_arch = "wasm32"))]

mod common;
use chiso::assessment::{Assessment, Entry, LayerEntry, NotApplicable};
use chiso::batch::{run_in_memory, InputFormat, Options};
use chiso::display::{round, Rounding};
use chiso::index::{
    Completeness, IndexDefinition, LeafRounding, LegalBasis, MissingEvidencePolicy,
    MissingValuePolicy, Policies, UnitLevel, YearRange,
};
use chiso::inputs::Inputs;
use chiso::interval::{Bound, Interval};
use chiso::node::{Aggregation, Channel, Node};
use chiso::rule::{Award, Level, Measure, Outcome, Rule, Tier, ZeroDenominator};
use chiso::{Cell, Decimal, Index, Text, Value, View};
use common::Gen;
use proptest::prelude::*;
use std::collections::BTreeMap;

// `Gen` (splitmix64: `next`, `below`, `chance`) is shared in tests/common; the draws
// this file needs beside them:
impl Gen {
    /// A decimal in [0, hi] with two decimals.
    fn dec(&mut self, hi: Decimal) -> Decimal {
        let cents = (hi * Decimal::ONE_HUNDRED).trunc();
        let c = u64::try_from(cents.mantissa()).unwrap_or(0) / 10u64.pow(cents.scale());
        Decimal::new(self.below(c + 1) as i64, 2)
    }
}

fn d(s: &str) -> Decimal {
    s.parse().expect("decimal")
}

fn t(s: &str) -> Text {
    Text::new(s, s)
}

fn award(label: &str, p: Decimal) -> Award {
    Award {
        label: t(label),
        points: Some(p),
        percent_of_max: None,
    }
}

/// A leaf rule for a node of maximum `max` (a multiple of 0.25).
fn random_rule(g: &mut Gen, max: Decimal) -> Rule {
    let half = max / Decimal::TWO;
    match g.below(9) {
        0 => Rule::YesNo {
            conditions: vec![],
            yes: award("có", max),
            no: award("không", Decimal::ZERO),
        },
        1 => Rule::Timeliness {
            on_time: award("kịp thời", max),
            late: award("muộn", half),
            not_done: award("không", Decimal::ZERO),
        },
        2 => {
            let a = Decimal::from(g.below(50) + 1);
            let b = a + Decimal::from(g.below(49) + 1);
            Rule::Tiers {
                measure: Measure::Percent,
                tiers: vec![
                    Tier {
                        range: Interval {
                            from: None,
                            to: Some(Bound::excl(a)),
                        },
                        label: t("thấp"),
                        points: Some(Decimal::ZERO),
                        percent_of_max: None,
                    },
                    Tier {
                        range: Interval {
                            from: Some(Bound::incl(a)),
                            to: Some(Bound::excl(b)),
                        },
                        label: t("giữa"),
                        points: Some(half),
                        percent_of_max: None,
                    },
                    Tier {
                        range: Interval {
                            from: Some(Bound::incl(b)),
                            to: None,
                        },
                        label: t("cao"),
                        points: Some(max),
                        percent_of_max: None,
                    },
                ],
            }
        }
        3 => Rule::Proportional {
            threshold_percent: if g.chance(50) {
                Some(Decimal::from(g.below(100) + 1))
            } else {
                None
            },
            gate: if g.chance(30) {
                Some(Bound::incl(Decimal::from(g.below(100))))
            } else {
                None
            },
            zero_denominator: [
                ZeroDenominator::Zero,
                ZeroDenominator::FullMarks,
                ZeroDenominator::NotApplicable,
            ][g.below(3) as usize],
            numerator: None,
            denominator: None,
        },
        4 => Rule::Levels {
            levels: vec![
                Level {
                    key: "tot".into(),
                    label: t("tốt"),
                    points: None,
                    percent_of_max: Some(Decimal::ONE_HUNDRED),
                },
                Level {
                    key: "kha".into(),
                    label: t("khá"),
                    points: None,
                    percent_of_max: Some(d("75")),
                },
                Level {
                    key: "dat".into(),
                    label: t("đạt"),
                    points: Some(Decimal::ZERO),
                    percent_of_max: None,
                },
            ],
        },
        5 => Rule::Deductions {
            severities: vec![
                Level {
                    key: "nhe".into(),
                    label: t("nhẹ"),
                    points: None,
                    percent_of_max: Some(d("50")),
                },
                Level {
                    key: "lan".into(),
                    label: t("lần"),
                    points: Some(d("0.25")),
                    percent_of_max: None,
                },
            ],
        },
        6 => Rule::Discretionary {
            step: Some(d("0.25")),
        },
        7 => Rule::Survey {
            options: serde_json::from_str::<Rule>(r#"{"type":"survey"}"#)
                .map(|r| match r {
                    Rule::Survey { options } => options,
                    _ => vec![],
                })
                .unwrap_or_default(),
        },
        _ => Rule::Score { nominal: None },
    }
}

/// A random value for `rule` on a node of maximum `max`.
fn random_value(g: &mut Gen, rule: &Rule, max: Decimal) -> Value {
    match rule {
        Rule::YesNo { .. } => Value::YesNo(g.chance(50)),
        Rule::Timeliness { .. } => {
            Value::Option(["on_time", "late", "not_done"][g.below(3) as usize].into())
        }
        Rule::Tiers { .. } => Value::Percent(g.dec(Decimal::ONE_HUNDRED)),
        Rule::Proportional { .. } => {
            let den = Decimal::from(g.below(1000));
            let num = if den.is_zero() {
                Decimal::ZERO
            } else {
                Decimal::from(g.below(u64::try_from(den.mantissa()).unwrap_or(0) + 1))
            };
            Value::Ratio {
                numerator: num,
                denominator: den,
            }
        }
        Rule::Levels { .. } => Value::Option(["tot", "kha", "dat"][g.below(3) as usize].into()),
        Rule::Deductions { .. } => Value::Counts(BTreeMap::from([
            ("nhe".into(), Decimal::from(g.below(3))),
            ("lan".into(), Decimal::from(g.below(6))),
        ])),
        Rule::Discretionary { .. } => Value::Points(Decimal::new(
            (g.below(u64::try_from((max * Decimal::from(4)).trunc().mantissa()).unwrap_or(0) + 1)
                * 25) as i64,
            2,
        )),
        Rule::Survey { .. } => {
            let mut m = BTreeMap::new();
            for k in ["A", "B", "C", "D"] {
                m.insert(k.to_string(), Decimal::from(g.below(20)));
            }
            m.insert("A".into(), Decimal::from(g.below(20) + 1));
            Value::Answers(m)
        }
        Rule::Score { .. } => Value::Points(g.dec(max)),
    }
}

fn random_children(g: &mut Gen, prefix: &str, depth: usize, out: &mut Vec<Node>) {
    let n = g.below(4) + 1;
    for i in 1..=n {
        let code = if prefix.is_empty() {
            i.to_string()
        } else {
            format!("{prefix}.{i}")
        };
        if depth < 3 && g.chance(45) {
            let mut kids = Vec::new();
            random_children(g, &code, depth + 1, &mut kids);
            let max = kids.iter().filter_map(|k| k.max_points).sum();
            out.push(node(&code, Some(max), None, kids, g.chance(10)));
        } else {
            let max = Decimal::new((g.below(16) as i64 + 1) * 25, 2);
            let rule = random_rule(g, max);
            let mut leaf = node(&code, Some(max), Some(rule), vec![], false);
            if g.chance(20) {
                leaf.channel = Channel::Survey;
                leaf.rule = Some(Rule::Survey {
                    options: match serde_json::from_str::<Rule>(r#"{"type":"survey"}"#) {
                        Ok(Rule::Survey { options }) => options,
                        _ => vec![],
                    },
                });
            }
            if g.chance(30) {
                leaf.evidence = vec![t("tài liệu kiểm chứng")];
            }
            out.push(leaf);
        }
    }
}

fn node(
    code: &str,
    max: Option<Decimal>,
    rule: Option<Rule>,
    children: Vec<Node>,
    _flag: bool,
) -> Node {
    Node {
        code: code.into(),
        title: t(&format!("Tiêu chí {code}")),
        max_points: max,
        scoring_text: None,
        evidence: vec![],
        channel: Channel::Appraised,
        verifier: None,
        notes: vec![],
        aggregation: if children.is_empty() {
            None
        } else {
            Some(Aggregation::default())
        },
        children,
        rule,
    }
}

fn random_index(seed: u64) -> IndexDefinition {
    let mut g = Gen(seed);
    let mut nodes = Vec::new();
    random_children(&mut g, "", 1, &mut nodes);
    let max = nodes.iter().filter_map(|n| n.max_points).sum();
    IndexDefinition {
        format: chiso::index::INDEX_FORMAT.into(),
        id: "prop".into(),
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
            from: 2024,
            to: None,
        },
        completeness: Completeness::Example,
        notes: vec![],
        max_points: Some(max),
        aggregation: Aggregation::default(),
        policies: Policies::default(),
        bands: vec![],
        tie_policy: Default::default(),
        adjustments: vec![],
        unit_types: vec![],
        nodes,
    }
}

fn random_assessment(index: &Index, seed: u64) -> Assessment {
    let mut g = Gen(seed ^ 0xABCD);
    let mix = common::Mix {
        not_applicable: 5,
        missing: 10,
        evidence: 70,
        appraisal_1: 50,
        appraisal_2: 30,
    };
    Assessment {
        year: Some(2024),
        entries: common::random_entries(index, &mut g, &mix, &random_value),
        ..Assessment::new("prop", "Sở thử")
    }
}

fn by_code(r: &chiso::ScoreResult) -> BTreeMap<String, chiso::NodeResult> {
    r.nodes
        .iter()
        .map(|n| (n.code.clone(), n.clone()))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn achieved_within_applicable_max_and_parents_sum_children(seed in any::<u64>(), aseed in any::<u64>()) {
        let index = Index::new(random_index(seed)).expect("random index is valid");
        let a = random_assessment(&index, aseed);
        for view in [View::SelfAssessment, View::Appraised, View::Final] {
            let r = index.score(&a, view).expect("scores");
            let nodes = by_code(&r);
            for n in &r.nodes {
                if let (Some(x), Some(m)) = (n.achieved, n.applicable_max) {
                    prop_assert!(x >= Decimal::ZERO && x <= m, "{} {x} > {m}", n.code);
                }
                if !n.leaf {
                    let kids: Vec<_> = nodes.values().filter(|c| c.parent.as_deref() == Some(n.code.as_str())).collect();
                    let any_missing = kids.iter().any(|k| k.achieved.is_none() && k.status == chiso::Status::Missing);
                    if any_missing || kids.iter().all(|k| k.achieved.is_none()) {
                        prop_assert!(n.achieved.is_none());
                    } else {
                        let sum: Decimal = kids.iter().filter_map(|k| k.achieved).sum();
                        let max: Decimal = kids.iter().filter_map(|k| k.applicable_max).sum();
                        prop_assert_eq!(n.achieved, Some(sum), "parent {}", n.code);
                        prop_assert_eq!(n.applicable_max, Some(max));
                    }
                }
            }
            let top: Decimal = r.nodes.iter().filter(|n| n.depth == 1).filter_map(|n| n.achieved).sum();
            if r.total.achieved.is_some() {
                prop_assert_eq!(r.total.achieved, Some(top));
            }
        }
    }

    #[test]
    fn marking_a_leaf_not_applicable_leaves_other_leaves_alone(seed in any::<u64>(), aseed in any::<u64>(), pick in any::<prop::sample::Index>()) {
        let index = Index::new(random_index(seed)).expect("valid");
        let a = random_assessment(&index, aseed);
        let leaves: Vec<String> = index.leaves().map(|i| index.nodes()[i].code.clone()).collect();
        let target = pick.get(&leaves).clone();
        let mut b = a.clone();
        b.entries.entry(target.clone()).or_default().not_applicable = Some(NotApplicable { reason: "test".into() });
        let ra = by_code(&index.score(&a, View::Final).expect("a"));
        let rb = by_code(&index.score(&b, View::Final).expect("b"));
        prop_assert_eq!(rb[&target].achieved, None);
        prop_assert_eq!(rb[&target].applicable_max, None);
        for code in &leaves {
            if code != &target {
                prop_assert_eq!(ra[code].achieved, rb[code].achieved, "leaf {}", code);
            }
        }
    }

    #[test]
    fn monotone_rules_never_lower_a_score(seed in any::<u64>(), n1 in 0u32..1000, extra in 0u32..1000, den in 1u32..2000, a in 0u32..50, b in 0u32..50, c in 0u32..50) {
        let mut g = Gen(seed);
        let max = Decimal::new((g.below(16) as i64 + 1) * 25, 2);
        let prop = random_rule(&mut Gen(3), max); // case 3 of the generator is proportional
        let rule = match prop { Rule::Proportional { .. } => prop, _ => Rule::Proportional { threshold_percent: Some(d("80")), gate: None, zero_denominator: ZeroDenominator::Zero, numerator: None, denominator: None } };
        let n1 = n1.min(den);
        let n2 = (n1 + extra).min(den);
        let score = |v: Value| match rule.evaluate(Some(max), &v) { Ok(chiso::rule::Outcome::Scored { points, .. }) => points, _ => Decimal::ZERO };
        let lo = score(Value::Ratio { numerator: n1.into(), denominator: den.into() });
        let hi = score(Value::Ratio { numerator: n2.into(), denominator: den.into() });
        prop_assert!(lo <= hi);
        // Survey: moving one respondent from B to A never lowers the score.
        let survey: Rule = serde_json::from_str(r#"{"type":"survey"}"#).expect("survey");
        let answers = |a: u32, b: u32| Value::Answers(BTreeMap::from([("A".into(), a.into()), ("B".into(), b.into()), ("C".into(), c.into()), ("D".into(), 1.into())]));
        let s = |v: Value| match survey.evaluate(Some(max), &v) { Ok(chiso::rule::Outcome::Scored { points, .. }) => points, other => panic!("{other:?}") };
        prop_assert!(s(answers(a, b + 1)) <= s(answers(a + 1, b)));
    }

    #[test]
    fn json_round_trip_is_exact(seed in any::<u64>(), aseed in any::<u64>()) {
        let def = random_index(seed);
        let text = serde_json::to_string(&def).expect("ser");
        let back = chiso::load::index_definition(&text).expect("de");
        prop_assert_eq!(&back, &def);
        let index = Index::new(def).expect("valid");
        let a = random_assessment(&index, aseed);
        let atext = serde_json::to_string(&a).expect("ser");
        prop_assert_eq!(&chiso::load::assessment(&atext).expect("de"), &a);
        let r = index.score(&a, View::Final).expect("score");
        let rtext = serde_json::to_string(&r).expect("ser");
        let rback: chiso::ScoreResult = serde_json::from_str(&rtext).expect("de");
        prop_assert_eq!(rback, r);
    }

    #[test]
    fn aggregate_matches_score(seed in any::<u64>(), aseed in any::<u64>()) {
        let index = Index::new(random_index(seed)).expect("valid");
        let a = random_assessment(&index, aseed);
        let r = index.score(&a, View::Final).expect("score");
        let nodes = by_code(&r);
        let mut cells: Vec<Cell> = index.nodes().iter().map(|n| match nodes.get(&n.code) {
            Some(res) if n.is_leaf() => match (res.achieved, res.applicable_max) {
                (Some(x), m) => Cell::Value { achieved: x, max: m },
                _ => Cell::NotApplicable,
            },
            _ => Cell::Missing,
        }).collect();
        index.aggregate(&mut cells);
        prop_assert_eq!(cells[0].achieved(), r.total.criteria_points);
    }

    #[test]
    fn points_only_path_equals_score(seed in any::<u64>(), aseed in any::<u64>(), policy in 0u8..6) {
        let mut def = random_index(seed);
        def.policies.missing_value = if policy % 2 == 0 { MissingValuePolicy::Zero } else { MissingValuePolicy::Propagate };
        def.policies.missing_evidence = match policy / 2 {
            0 => MissingEvidencePolicy::NotCredited,
            1 => MissingEvidencePolicy::Flag,
            _ => MissingEvidencePolicy::Ignore,
        };
        let index = Index::new(def).expect("valid");
        let a = random_assessment(&index, aseed);
        for view in [View::SelfAssessment, View::Appraised, View::Final] {
            let r = index.score(&a, view).expect("score");
            let inputs = Inputs::resolve(&index, &a, view).expect("resolve");
            let mut cells = vec![Cell::Missing; index.nodes().len()];
            let total = index.evaluate(&inputs, &mut cells).expect("evaluate");
            prop_assert_eq!(total, r.total.achieved);
            for (n, c) in index.nodes().iter().zip(&cells).skip(1) {
                let res = r.node(&n.code).expect("node");
                prop_assert_eq!(c.achieved(), res.achieved, "{} in {:?}", n.code, view);
                prop_assert_eq!(c.max(), res.applicable_max, "{} in {:?}", n.code, view);
            }
        }
    }

    #[test]
    fn incremental_rescoring_equals_full_scoring(seed in any::<u64>(), aseed in any::<u64>(), vseed in any::<u64>(), pick in any::<prop::sample::Index>()) {
        let index = Index::new(random_index(seed)).expect("valid");
        let mut a = random_assessment(&index, aseed);
        let leaves: Vec<usize> = index.leaves().collect();
        let i = leaves[pick.index(leaves.len())];
        let node = &index.nodes()[i];
        for view in [View::SelfAssessment, View::Appraised, View::Final] {
            let mut inputs = Inputs::resolve(&index, &a, view).expect("resolve");
            let mut cells = vec![Cell::Missing; index.nodes().len()];
            index.evaluate(&inputs, &mut cells).expect("evaluate");
            let mut g = Gen(vseed);
            let rule = node.rule.as_ref().expect("leaf rule");
            let value = random_value(&mut g, rule, node.max.unwrap_or(Decimal::ONE));
            let mut changed = a.clone();
            let e = changed.entries.entry(node.code.clone()).or_default();
            match node.channel {
                Channel::Survey => e.survey = Some(LayerEntry::new(value)),
                Channel::Appraised => e.self_assessment = Some(LayerEntry::new(value)),
            }
            let only = inputs.refresh(&index, &changed, &node.code).expect("refresh");
            let total = match only {
                Some(p) => index.reevaluate(&inputs, &mut cells, p).expect("reevaluate"),
                None => index.evaluate(&inputs, &mut cells).expect("evaluate"),
            };
            let full = index.score(&changed, view).expect("score");
            prop_assert_eq!(total, full.total.achieved, "{} in {:?}", node.code, view);
            for (n, c) in index.nodes().iter().zip(&cells).skip(1) {
                prop_assert_eq!(c.achieved(), full.node(&n.code).expect("node").achieved, "{}", n.code);
            }
            a = changed;
        }
    }

    #[test]
    fn loaders_never_panic(s in ".{0,200}") {
        let _ = chiso::load::index_definition(&s);
        let _ = chiso::load::assessment(&s);
    }

    #[test]
    fn loaders_never_panic_on_json_like_input(s in r#"\{("format":"chiso\.(index|assessment)/1",)?("[a-z_]{1,8}":(\[|\{|"[0-9.e-]{0,6}"|[0-9.e-]{1,30}|null|true)[,\]\} ]{0,3}){0,6}"#) {
        let _ = chiso::load::index_definition(&s);
        let _ = chiso::load::assessment(&s);
    }

    #[test]
    fn rules_never_panic_on_any_value(seed in any::<u64>(), x in any::<i64>(), scale in 0u32..28, y in any::<i64>()) {
        let mut g = Gen(seed);
        let max = Decimal::new((g.below(16) as i64 + 1) * 25, 2);
        let rule = random_rule(&mut g, max);
        let a = Decimal::new(x, scale);
        let b = Decimal::new(y, scale);
        for v in [
            Value::Number(a), Value::Percent(a), Value::Points(a),
            Value::Ratio { numerator: a, denominator: b },
            Value::Counts(BTreeMap::from([("nhe".into(), a)])),
            Value::Answers(BTreeMap::from([("A".into(), a), ("B".into(), b)])),
            Value::Option("x".into()), Value::YesNo(true),
        ] {
            for m in [Some(max), None] {
                let full = rule.evaluate(m, &v).map(|o| match o {
                    Outcome::Scored { points, .. } => Some(points),
                    Outcome::NotApplicable { .. } => None,
                });
                prop_assert_eq!(rule.points(m, &v), full);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Leaf rounding (`policies.leaf_rounding`): every path rounds each leaf's points alike.

fn rounding_mode(k: u8) -> Rounding {
    [
        Rounding::HalfUp,
        Rounding::HalfEven,
        Rounding::Truncate,
        Rounding::Exact,
    ][usize::from(k % 4)]
}

fn with_rounding(mut def: IndexDefinition, decimals: u32, mode: Rounding) -> Index {
    def.policies.leaf_rounding = Some(LeafRounding {
        decimals,
        mode,
        source: Some(Text::new("như nguồn", "as the source does")),
    });
    Index::new(def).expect("valid")
}

/// A tree for the batch's paths: score leaves (read straight as text, or the integer
/// fast path when every leaf is a score), proportional leaves (their own fast path) and
/// a discretionary leaf (the rule's general path).
fn batch_tree(scores_only: bool) -> IndexDefinition {
    let mixed = r#"[
      {"code":"G1","title":{"vi":"G1"},"max_points":"20","children":[
        {"code":"S1","title":{"vi":"S1"},"max_points":"10","rule":{"type":"score"}},
        {"code":"P1","title":{"vi":"P1"},"max_points":"6","rule":{"type":"proportional","threshold_percent":"90","zero_denominator":"full_marks"}},
        {"code":"P2","title":{"vi":"P2"},"max_points":"4","rule":{"type":"proportional","zero_denominator":"zero"}}]},
      {"code":"D1","title":{"vi":"D1"},"max_points":"5","rule":{"type":"discretionary"}}]"#;
    let scores = r#"[
      {"code":"G1","title":{"vi":"G1"},"max_points":"20","children":[
        {"code":"S1","title":{"vi":"S1"},"max_points":"10","rule":{"type":"score"}},
        {"code":"S2","title":{"vi":"S2"},"max_points":"10","rule":{"type":"score"}}]},
      {"code":"S3","title":{"vi":"S3"},"max_points":"5","rule":{"type":"score"}}]"#;
    let text = format!(
        r#"{{"format":"chiso.index/1","id":"r","title":{{"vi":"R"}},"version":"1","legal_basis":[],
        "unit_levels":["province"],"years":{{"from":2024}},"completeness":"example","max_points":"25",
        "nodes":{}}}"#,
        if scores_only { scores } else { mixed }
    );
    chiso::load::index_definition(&text).expect("shape")
}

/// A number in [0, max] with 0–6 decimals, as text.
fn number_text(g: &mut Gen, max: u64) -> String {
    let places = g.below(7) as u32;
    let unit = 10u64.pow(places);
    Decimal::new((g.below(max * unit + 1)) as i64, places).to_string()
}

/// A batch cell for `code` of [`batch_tree`] and the value the engine reads from it.
fn batch_cell(g: &mut Gen, code: &str) -> (String, Value) {
    match code {
        "S1" | "S2" => {
            let t = number_text(g, 10);
            let v = Value::Number(t.parse().expect("number"));
            (t, v)
        }
        "S3" => {
            let t = number_text(g, 5);
            let v = Value::Number(t.parse().expect("number"));
            (t, v)
        }
        "D1" => {
            let t = number_text(g, 5);
            let v = Value::Points(t.parse().expect("number"));
            (t, v)
        }
        _ if g.chance(30) => {
            let t = number_text(g, 100);
            let v = Value::Percent(t.parse().expect("number"));
            (format!("{t}%"), v)
        }
        _ => {
            let d = g.below(2000);
            let n = g.below(d + 1);
            let v = Value::Ratio {
                numerator: Decimal::from(n),
                denominator: Decimal::from(d),
            };
            (format!("{n}/{d}"), v)
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn leaf_rounding_is_the_same_on_every_path(
        seed in any::<u64>(), aseed in any::<u64>(), vseed in any::<u64>(),
        pick in any::<prop::sample::Index>(), mode in 0u8..4, decimals in 0u32..4,
    ) {
        let exact = Index::new(random_index(seed)).expect("valid");
        let mode = rounding_mode(mode);
        let index = with_rounding(random_index(seed), decimals, mode);
        let mut a = random_assessment(&index, aseed);
        let leaves: Vec<usize> = index.leaves().collect();
        let changed_leaf = leaves[pick.index(leaves.len())];
        for view in [View::SelfAssessment, View::Appraised, View::Final] {
            let r = index.score(&a, view).expect("score");
            let x = exact.score(&a, view).expect("score");
            prop_assert_eq!(&r.leaf_rounding, &index.definition().policies.leaf_rounding);
            // Each leaf: the exact points, rounded as declared.
            for &i in &leaves {
                let code = &index.nodes()[i].code;
                let want = x.node(code).expect("node").achieved.map(|p| round(p, decimals, mode));
                prop_assert_eq!(r.node(code).expect("node").achieved, want, "{}", code);
            }
            // Parents: the aggregation of the rounded leaves (nothing else rounded).
            let mut cells: Vec<Cell> = vec![Cell::Missing; index.nodes().len()];
            for (k, n) in r.nodes.iter().enumerate() {
                cells[k + 1] = match (n.achieved, n.status == chiso::Status::NotApplicable) {
                    (_, true) => Cell::NotApplicable,
                    (Some(p), false) => Cell::Value { achieved: p, max: n.applicable_max },
                    (None, false) => Cell::Missing,
                };
            }
            index.aggregate(&mut cells);
            prop_assert_eq!(cells[0].achieved(), r.total.criteria_points);
            // The points-only path, full and incremental.
            let mut inputs = Inputs::resolve(&index, &a, view).expect("resolve");
            let mut cells = vec![Cell::Missing; index.nodes().len()];
            prop_assert_eq!(index.evaluate(&inputs, &mut cells).expect("evaluate"), r.total.achieved);
            for (n, c) in index.nodes().iter().zip(&cells).skip(1) {
                prop_assert_eq!(c.achieved(), r.node(&n.code).expect("node").achieved, "{}", n.code);
            }
            let node = &index.nodes()[changed_leaf];
            let mut g = Gen(vseed);
            let value = random_value(&mut g, node.rule.as_ref().expect("rule"), node.max.unwrap_or(Decimal::ONE));
            let mut changed = a.clone();
            let e = changed.entries.entry(node.code.clone()).or_default();
            match node.channel {
                Channel::Survey => e.survey = Some(LayerEntry::new(value)),
                Channel::Appraised => e.self_assessment = Some(LayerEntry::new(value)),
            }
            let total = match inputs.refresh(&index, &changed, &node.code).expect("refresh") {
                Some(p) => index.reevaluate(&inputs, &mut cells, p).expect("reevaluate"),
                None => index.evaluate(&inputs, &mut cells).expect("evaluate"),
            };
            prop_assert_eq!(total, index.score(&changed, view).expect("score").total.achieved);
            a = changed;
        }
    }

    #[test]
    fn batch_rounds_leaves_like_index_score(
        seed in any::<u64>(), rows in 1usize..12, mode in 0u8..4, decimals in 0u32..4,
        scores_only in any::<bool>(), threads in 1usize..=2,
    ) {
        let index = with_rounding(batch_tree(scores_only), decimals, rounding_mode(mode));
        let leaves: Vec<String> = index.leaves().map(|i| index.nodes()[i].code.clone()).collect();
        let mut g = Gen(seed);
        let mut csv = format!("unit,{}\n", leaves.join(","));
        let mut units = Vec::new();
        for r in 0..rows {
            let cells: Vec<(String, Value)> = leaves.iter().map(|c| batch_cell(&mut g, c)).collect();
            csv.push_str(&format!("U{r},{}\n", cells.iter().map(|c| c.0.as_str()).collect::<Vec<_>>().join(",")));
            let entries = leaves.iter().zip(cells).map(|(c, (_, v))| (c.clone(), Entry::self_value(v))).collect();
            units.push(Assessment { entries, ..Assessment::new("r", format!("U{r}")) });
        }
        let opts = Options { mean: false, threads, ..Options::default() };
        let out = run_in_memory(&index, csv.as_bytes(), InputFormat::Csv, &opts).expect("batch");
        let mut reader = csv::Reader::from_reader(out.as_slice());
        let header = reader.headers().expect("header").clone();
        for (rec, a) in reader.records().zip(&units) {
            let rec = rec.expect("row");
            let r = index.score(a, View::Final).expect("score");
            for (h, cell) in header.iter().zip(rec.iter()) {
                let want = match h {
                    "unit" | "rank" | "band" | "percent" => continue,
                    "total" => r.total.achieved,
                    code => r.node(code).expect("node").achieved,
                };
                let got = (!cell.is_empty()).then(|| cell.parse::<Decimal>().expect("decimal"));
                prop_assert_eq!(got, want, "{} in {}", h, csv);
            }
        }
    }
}
