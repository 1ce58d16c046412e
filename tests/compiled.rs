//! The compiled evaluator ([`chiso::engine::Compiled`]) equals [`Index::evaluate`] —
//! totals, every cell, errors — value and scale, on random trees (every rule kind and
//! aggregation, weights, rescaling, bonus / penalty, not-applicable leaves, missing
//! values, leaf rounding, values the rules reject) and on every shipped index with random
//! valid assessments. The generators are checked to reach both the integer path and the
//! `Decimal` fallback.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use chiso::assessment::{Assessment, Entry, LayerEntry};
use chiso::display::Rounding;
use chiso::engine::{Compiled, Scratch};
use chiso::index::{
    Adjustment, AdjustmentKind, Completeness, IndexDefinition, LeafRounding, LegalBasis,
    MissingEvidencePolicy, MissingValuePolicy, Policies, UnitLevel, YearRange,
};
use chiso::inputs::Inputs;
use chiso::interval::{Bound, Interval};
use chiso::node::{Aggregation, Channel, Node};
use chiso::rule::{Award, Condition, Level, Measure, Rule, SurveyOption, Tier, ZeroDenominator};
use chiso::{Cell, Decimal, Index, Text, Value, View};
use common::Gen;
use proptest::prelude::*;
use std::collections::BTreeMap;

// `Gen` (splitmix64: `next`, `below`, `chance`) is shared in tests/common; the draws
// this file needs beside them:
impl Gen {
    /// A decimal in [0, hi] with `scale` decimals (trailing zeros kept).
    fn dec_scaled(&mut self, hi: Decimal, scale: u32) -> Decimal {
        let units = (hi * Decimal::from(10u64.pow(scale))).trunc();
        let n = u64::try_from(units.mantissa() / 10i128.pow(units.scale())).unwrap_or(0);
        Decimal::new(self.below(n + 1) as i64, scale)
    }
    /// A decimal in [0, hi] with 0 to 4 decimals.
    fn dec(&mut self, hi: Decimal) -> Decimal {
        let s = self.below(5) as u32;
        self.dec_scaled(hi, s)
    }
    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len() as u64) as usize]
    }
}

fn d(s: &str) -> Decimal {
    s.parse().expect("decimal")
}

fn t(s: &str) -> Text {
    Text::new(s, s)
}

fn award(g: &mut Gen, label: &str, max: Decimal, share: u32) -> Award {
    if g.chance(50) {
        Award {
            label: t(label),
            points: None,
            percent_of_max: Some(Decimal::from(share)),
        }
    } else {
        Award {
            label: t(label),
            points: Some(max * Decimal::from(share) / Decimal::ONE_HUNDRED),
            percent_of_max: None,
        }
    }
}

fn level(key: &str, points: Option<Decimal>, pct: Option<Decimal>) -> Level {
    Level {
        key: key.into(),
        label: t(key),
        points,
        percent_of_max: pct,
    }
}

fn tier(from: Option<Bound>, to: Option<Bound>, points: Decimal) -> Tier {
    Tier {
        range: Interval { from, to },
        label: t("mức"),
        points: Some(points),
        percent_of_max: None,
    }
}

/// A leaf rule for a node of maximum `max`; with `flat`, only rules with a hot form
/// (no survey, no gate).
fn random_rule(g: &mut Gen, max: Decimal, flat: bool) -> Rule {
    let half = max / Decimal::TWO;
    let kind = g.below(11);
    let kind = if flat && kind == 8 { 9 } else { kind };
    match kind {
        0 => Rule::YesNo {
            conditions: vec![],
            yes: award(g, "có", max, 100),
            no: award(g, "không", max, 0),
        },
        1 => Rule::YesNo {
            conditions: vec![
                Condition {
                    key: "a".into(),
                    label: t("a"),
                },
                Condition {
                    key: "b".into(),
                    label: t("b"),
                },
            ],
            yes: award(g, "có", max, 100),
            no: award(g, "không", max, 25),
        },
        2 => Rule::Timeliness {
            on_time: award(g, "kịp thời", max, 100),
            late: award(g, "muộn", max, 50),
            not_done: award(g, "không", max, 0),
        },
        3 => {
            let a = g.dec(d("50"));
            let b = a + Decimal::from(g.below(49) + 1);
            let measure = g.pick(&[Measure::Percent, Measure::Count, Measure::Number]);
            Rule::Tiers {
                measure,
                tiers: vec![
                    tier(None, Some(Bound::excl(a)), Decimal::ZERO),
                    tier(Some(Bound::incl(a)), Some(Bound::incl(b)), half),
                    tier(Some(Bound::excl(b)), None, max),
                ],
            }
        }
        4 => Rule::Proportional {
            threshold_percent: g.chance(50).then(|| Decimal::from(g.below(100) + 1)),
            gate: g
                .chance(if flat { 0 } else { 30 })
                .then(|| Bound::incl(Decimal::from(g.below(100)))),
            zero_denominator: g.pick(&[
                ZeroDenominator::Zero,
                ZeroDenominator::FullMarks,
                ZeroDenominator::NotApplicable,
                ZeroDenominator::Invalid,
            ]),
            numerator: None,
            denominator: None,
        },
        5 => Rule::Levels {
            levels: vec![
                level("tot", None, Some(Decimal::ONE_HUNDRED)),
                level("kha", None, Some(d("75"))),
                level("tb", Some(half), None),
                level("dat", Some(Decimal::ZERO), None),
            ],
        },
        6 => Rule::Deductions {
            severities: vec![
                level("nhe", None, Some(d("50"))),
                level("lan", Some(d("0.25")), None),
                level("nang", None, Some(Decimal::ONE_HUNDRED)),
            ],
        },
        7 => Rule::Discretionary {
            step: g.chance(70).then(|| d("0.25")),
        },
        8 => Rule::Survey {
            options: vec![
                SurveyOption {
                    key: "A".into(),
                    percent: Decimal::ONE_HUNDRED,
                    label: None,
                },
                SurveyOption {
                    key: "B".into(),
                    percent: d("60"),
                    label: None,
                },
                SurveyOption {
                    key: "C".into(),
                    percent: d("33.3"),
                    label: None,
                },
                SurveyOption {
                    key: "D".into(),
                    percent: Decimal::ZERO,
                    label: None,
                },
            ],
        },
        _ => Rule::Score { nominal: None },
    }
}

/// A value for `rule` (max `max`): mostly valid, sometimes not (errors must agree too).
fn random_value(g: &mut Gen, rule: &Rule, max: Decimal) -> Value {
    if g.chance(3) {
        // Any kind, any number: mostly rejected by the rule.
        return match g.below(4) {
            0 => Value::Number(Decimal::new(g.below(10_000) as i64 - 5000, 2)),
            1 => Value::Option("khác".into()),
            2 => Value::Ratio {
                numerator: Decimal::from(g.below(10)),
                denominator: Decimal::from(g.below(5)),
            },
            _ => Value::Points(max + Decimal::ONE),
        };
    }
    match rule {
        Rule::YesNo { conditions, .. } if !conditions.is_empty() && g.chance(70) => {
            Value::Conditions(
                conditions
                    .iter()
                    .map(|c| (c.key.clone(), g.chance(60)))
                    .collect(),
            )
        }
        Rule::YesNo { .. } => Value::YesNo(g.chance(50)),
        Rule::Timeliness { .. } => Value::Option(g.pick(&["on_time", "late", "not_done"]).into()),
        Rule::Tiers { measure, .. } => match measure {
            Measure::Percent => match g.below(3) {
                0 => Value::Percent(g.dec(Decimal::ONE_HUNDRED)),
                1 => Value::Number(g.dec(Decimal::ONE_HUNDRED)),
                _ => {
                    let den = Decimal::from(g.below(300) + 1);
                    let n = g.below(u64::try_from(den.mantissa()).unwrap_or(0) + 1);
                    Value::Ratio {
                        numerator: Decimal::from(n),
                        denominator: den,
                    }
                }
            },
            Measure::Count => Value::Number(Decimal::new(g.below(120) as i64, 0)),
            Measure::Number => Value::Number(g.dec(d("120"))),
        },
        Rule::Proportional { .. } => {
            if g.chance(25) {
                return Value::Percent(g.dec(Decimal::ONE_HUNDRED));
            }
            let den = Decimal::from(g.below(1000));
            let num = if den.is_zero() {
                Decimal::ZERO
            } else {
                Decimal::from(g.below(u64::try_from(den.mantissa()).unwrap_or(0) + 1))
            };
            // Sometimes with decimals (kept as written).
            if g.chance(20) {
                Value::Ratio {
                    numerator: Decimal::new(i64::try_from(num.mantissa()).unwrap_or(0) * 10, 1),
                    denominator: Decimal::new(i64::try_from(den.mantissa()).unwrap_or(0) * 100, 2),
                }
            } else {
                Value::Ratio {
                    numerator: num,
                    denominator: den,
                }
            }
        }
        Rule::Levels { .. } => Value::Option(g.pick(&["tot", "kha", "tb", "dat"]).into()),
        Rule::Deductions { .. } => {
            let mut m = BTreeMap::new();
            for k in ["nhe", "lan", "nang"] {
                if g.chance(60) {
                    let c = g.below(4) as i64;
                    let v = if g.chance(20) {
                        Decimal::new(c * 10, 1)
                    } else {
                        Decimal::from(c)
                    };
                    m.insert(k.to_string(), v);
                }
            }
            Value::Counts(m)
        }
        Rule::Discretionary { .. } => {
            let quarters = u64::try_from((max * Decimal::from(4)).trunc().mantissa()).unwrap_or(0);
            Value::Points(Decimal::new((g.below(quarters + 1) * 25) as i64, 2))
        }
        Rule::Survey { .. } => match g.below(4) {
            0 => Value::Percent(g.dec(Decimal::ONE_HUNDRED)),
            1 => Value::Points(g.dec(max)),
            _ => {
                let mut m = BTreeMap::new();
                for k in ["A", "B", "C", "D"] {
                    m.insert(k.to_string(), Decimal::from(g.below(20)));
                }
                m.insert("A".into(), Decimal::from(g.below(20) + 1));
                Value::Answers(m)
            }
        },
        Rule::Score { .. } => Value::Points(g.dec(max)),
    }
}

fn leaf(code: &str, max: Decimal, rule: Rule) -> Node {
    Node {
        code: code.into(),
        title: t(code),
        max_points: Some(max),
        scoring_text: None,
        evidence: vec![],
        channel: Channel::Appraised,
        verifier: None,
        notes: vec![],
        aggregation: None,
        children: vec![],
        rule: Some(rule),
    }
}

/// A parent's aggregation; with `flat`, only sums that keep the parent in integers
/// (no mean, no rescaling).
fn random_aggregation(g: &mut Gen, kids: &[Node], flat: bool) -> Aggregation {
    let rescale_to_max = !flat && g.chance(12);
    let weights = |g: &mut Gen| -> BTreeMap<String, Decimal> {
        kids.iter()
            .map(|k| {
                let w = g.pick(&["1", "2", "0.5", "1.0", "0.25", "3", "0.125", "1.5"]);
                (k.code.clone(), d(w))
            })
            .collect()
    };
    match g.below(if flat { 9 } else { 10 }) {
        0..=5 => Aggregation::Sum { rescale_to_max },
        6..=8 => Aggregation::WeightedSum {
            weights: weights(g),
            rescale_to_max,
        },
        _ => Aggregation::WeightedMean {
            weights: weights(g),
            rescale_to_max,
        },
    }
}

/// The largest points `agg` over `kids` can give (a parent's declared maximum).
fn aggregate_max(agg: &Aggregation, kids: &[Node]) -> Decimal {
    let w = |code: &str| {
        agg.weights()
            .and_then(|w| w.get(code).copied())
            .unwrap_or(Decimal::ONE)
    };
    let sum: Decimal = kids
        .iter()
        .map(|k| w(&k.code) * k.max_points.unwrap_or_default())
        .sum();
    match agg {
        Aggregation::WeightedMean { .. } => {
            let ws: Decimal = kids.iter().map(|k| w(&k.code)).sum();
            sum / ws
        }
        _ => sum,
    }
}

fn random_children(g: &mut Gen, prefix: &str, depth: usize, flat: bool, out: &mut Vec<Node>) {
    let n = g.below(4) + 1;
    for i in 1..=n {
        let code = if prefix.is_empty() {
            i.to_string()
        } else {
            format!("{prefix}.{i}")
        };
        if depth < 4 && g.chance(45) {
            let mut kids = Vec::new();
            random_children(g, &code, depth + 1, flat, &mut kids);
            let agg = random_aggregation(g, &kids, flat);
            let max = if agg.rescales() {
                Decimal::from(g.below(20) + 1)
            } else {
                aggregate_max(&agg, &kids)
            };
            out.push(Node {
                code: code.clone(),
                title: t(&code),
                max_points: Some(max),
                scoring_text: None,
                evidence: vec![],
                channel: Channel::Appraised,
                verifier: None,
                notes: vec![],
                aggregation: Some(agg),
                children: kids,
                rule: None,
            });
        } else {
            let max = Decimal::new((g.below(16) as i64 + 1) * 25, 2);
            let rule = random_rule(g, max, flat);
            let mut node = leaf(&code, max, rule);
            if !flat && g.chance(15) {
                node.channel = Channel::Survey;
                node.rule = Some(Rule::Survey {
                    options: match serde_json::from_str::<Rule>(r#"{"type":"survey"}"#) {
                        Ok(Rule::Survey { options }) => options,
                        _ => vec![],
                    },
                });
            }
            if g.chance(30) {
                node.evidence = vec![t("tài liệu kiểm chứng")];
            }
            out.push(node);
        }
    }
}

fn random_index(g: &mut Gen) -> IndexDefinition {
    random_index_shaped(g, false)
}

/// A random index; with `flat`, one the flat path takes whole ([`random_rule`],
/// [`random_aggregation`]).
fn random_index_shaped(g: &mut Gen, flat: bool) -> IndexDefinition {
    let mut nodes = Vec::new();
    random_children(g, "", 1, flat, &mut nodes);
    let aggregation = if g.chance(80) {
        Aggregation::default()
    } else {
        random_aggregation(g, &nodes, flat)
    };
    let max = if aggregation.rescales() {
        Decimal::ONE_HUNDRED
    } else {
        aggregate_max(&aggregation, &nodes)
    };
    let adjustments = if g.chance(30) {
        vec![
            Adjustment {
                code: "bonus".into(),
                title: t("cộng"),
                kind: AdjustmentKind::Bonus,
                cap: d("5"),
                scoring_text: None,
            },
            Adjustment {
                code: "penalty".into(),
                title: t("trừ"),
                kind: AdjustmentKind::Penalty,
                cap: d("3"),
                scoring_text: None,
            },
        ]
    } else {
        vec![]
    };
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
        aggregation,
        policies: Policies::default(),
        bands: vec![],
        tie_policy: Default::default(),
        adjustments,
        unit_types: vec![],
        nodes,
    }
}

/// A random assessment of `index`: values from `value`, some leaves missing, some
/// subtrees not applicable, appraisal layers, evidence or none.
fn random_assessment(
    index: &Index,
    g: &mut Gen,
    value: &dyn Fn(&mut Gen, &Rule, Decimal) -> Value,
) -> Assessment {
    let mix = common::Mix {
        not_applicable: 4,
        missing: 8,
        evidence: 70,
        appraisal_1: 40,
        appraisal_2: 20,
    };
    random_assessment_with(index, g, value, &mix)
}

/// [`random_assessment`] with its own mix of missing and not-applicable leaves.
fn random_assessment_with(
    index: &Index,
    g: &mut Gen,
    value: &dyn Fn(&mut Gen, &Rule, Decimal) -> Value,
    mix: &common::Mix,
) -> Assessment {
    let entries = common::random_entries(index, g, mix, value);
    let mut adjustments = BTreeMap::new();
    for adj in &index.definition().adjustments {
        if g.chance(60) {
            adjustments.insert(
                adj.code.clone(),
                Entry {
                    self_assessment: Some(LayerEntry::new(Value::Points(g.dec(adj.cap)))),
                    ..Default::default()
                },
            );
        }
    }
    Assessment {
        index: index.definition().id.clone(),
        year: Some(2024),
        entries,
        adjustments,
        ..Assessment::new("prop", "Sở thử")
    }
}

/// What one comparison reached.
#[derive(Default, Debug)]
struct Reached {
    runs: usize,
    all_integer: usize,
    some_decimal: usize,
    errors: usize,
    /// Leaves read for the hot path / values read for the kernels but not the hot path.
    hot_leaves: usize,
    general_leaves: usize,
    /// Evaluations on the flat path / that tried it and left it for the general path.
    flat: usize,
    flat_left: usize,
    /// Flat evaluations whose parents were summed without a check per child.
    flat_unchecked: usize,
}

fn exact(c: &Cell) -> String {
    match c {
        Cell::Value { achieved, max } => {
            format!(
                "{achieved} / {}",
                max.map(|m| m.to_string()).unwrap_or_default()
            )
        }
        other => format!("{other:?}"),
    }
}

/// Compiled == Index::evaluate on `a`, every view: totals and cells, value and scale.
fn same_as_engine(index: &Index, a: &Assessment, reached: &mut Reached) -> Result<(), String> {
    let plan = Compiled::new(index);
    let mut scratch = Scratch::default();
    for view in [View::SelfAssessment, View::Appraised, View::Final] {
        let inputs = Inputs::resolve(index, a, view);
        let values = plan.values(a, view);
        let (inputs, values) = match (inputs, values) {
            (Ok(i), Ok(v)) => (i, v),
            (Err(x), Err(y)) if format!("{x:?}") == format!("{y:?}") => {
                reached.errors += 1;
                continue;
            }
            (x, y) => return Err(format!("resolve differs: {x:?} vs {y:?}")),
        };
        let mut cells = vec![Cell::Missing; index.nodes().len()];
        let want = index.evaluate(&inputs, &mut cells);
        let got = plan.evaluate(&values, &mut scratch);
        reached.runs += 1;
        if Compiled::took_flat_path(&scratch) {
            reached.flat += 1;
            reached.flat_unchecked += usize::from(Compiled::took_unchecked_sums(&scratch));
        } else if plan.has_flat_path() && values.hot_leaves() == values.len() {
            reached.flat_left += 1;
        }
        reached.hot_leaves += values.hot_leaves();
        reached.general_leaves += values.fast_leaves() - values.hot_leaves();
        match (&want, &got) {
            (Ok(w), Ok(g)) => {
                let show = |x: &Option<Decimal>| x.map(|x| x.to_string());
                if show(w) != show(g) {
                    return Err(format!(
                        "{view:?}: total {:?} vs compiled {:?}",
                        show(w),
                        show(g)
                    ));
                }
                for (i, (n, c)) in index.nodes().iter().zip(&cells).enumerate() {
                    let mine = plan.cell(&scratch, i);
                    if exact(c) != exact(&mine) {
                        return Err(format!(
                            "{view:?}: node {} cell {} vs compiled {}",
                            n.code,
                            exact(c),
                            exact(&mine)
                        ));
                    }
                }
                if Compiled::decimal_nodes(&scratch) == 0 {
                    reached.all_integer += 1;
                } else {
                    reached.some_decimal += 1;
                }
            }
            (Err(w), Err(g)) if format!("{w:?}") == format!("{g:?}") => reached.errors += 1,
            _ => return Err(format!("{view:?}: {want:?} vs compiled {got:?}")),
        }
    }
    Ok(())
}

fn policies(def: &mut IndexDefinition, g: &mut Gen) {
    def.policies.missing_value = g.pick(&[MissingValuePolicy::Zero, MissingValuePolicy::Propagate]);
    def.policies.missing_evidence = g.pick(&[
        MissingEvidencePolicy::NotCredited,
        MissingEvidencePolicy::Flag,
        MissingEvidencePolicy::Ignore,
    ]);
    if g.chance(15) {
        def.policies.leaf_rounding = Some(LeafRounding {
            decimals: g.below(4) as u32,
            mode: g.pick(&[
                Rounding::HalfUp,
                Rounding::HalfEven,
                Rounding::Truncate,
                Rounding::Exact,
            ]),
            source: None,
        });
    }
}

fn random_case(seed: u64, reached: &mut Reached) -> Result<(), String> {
    let mut g = Gen(seed);
    let mut def = random_index(&mut g);
    policies(&mut def, &mut g);
    let Ok(index) = Index::new(def) else {
        return Ok(()); // a tree validation refuses (rare): nothing to compare
    };
    let a = random_assessment(&index, &mut g, &random_value);
    same_as_engine(&index, &a, reached)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]
    #[test]
    fn compiled_equals_index_evaluate_on_random_trees(seed in any::<u64>()) {
        let mut reached = Reached::default();
        random_case(seed, &mut reached).map_err(TestCaseError::fail)?;
    }
}

/// The generator reaches both paths: evaluations entirely in integers, and evaluations
/// where some node used `Decimal` (statically or because of a value); and errors.
#[test]
fn random_trees_reach_the_integer_path_and_the_decimal_fallback() {
    let mut reached = Reached::default();
    let mut valid = 0;
    for seed in 0..300u64 {
        let mut g = Gen(seed.wrapping_mul(7919));
        let def = random_index(&mut g);
        if Index::new(def).is_ok() {
            valid += 1;
        }
        random_case(seed.wrapping_mul(7919), &mut reached).unwrap();
    }
    eprintln!("{reached:?}, {valid} valid trees of 300");
    assert!(valid > 250, "the generator makes valid trees ({valid})");
    assert!(reached.runs > 500, "{reached:?}");
    assert!(
        reached.all_integer * 5 > reached.runs,
        "integer path: {reached:?}"
    );
    assert!(
        reached.some_decimal * 10 > reached.runs,
        "Decimal fallback: {reached:?}"
    );
    assert!(reached.errors > 0, "errors compared: {reached:?}");
    assert!(
        reached.hot_leaves > 0 && reached.general_leaves > 0,
        "hot path and general integer path: {reached:?}"
    );
}

/// Random trees the flat path takes whole (sums only, rules with a hot form), assessed
/// in full: the flat path equals the engine, and whatever it cannot decide (a quotient
/// `Decimal` rounds, a zero denominator making a leaf not applicable, an overflow) goes
/// back to the general path with the same results.
fn flat_case(seed: u64, reached: &mut Reached) -> Result<(), String> {
    let mut g = Gen(seed);
    let mut def = random_index_shaped(&mut g, true);
    def.policies.missing_evidence = g.pick(&[
        MissingEvidencePolicy::NotCredited,
        MissingEvidencePolicy::Flag,
        MissingEvidencePolicy::Ignore,
    ]);
    let Ok(index) = Index::new(def) else {
        return Ok(());
    };
    let mix = common::Mix {
        not_applicable: 0,
        missing: 0,
        evidence: 70,
        appraisal_1: 40,
        appraisal_2: 20,
    };
    let a = random_assessment_with(&index, &mut g, &random_value, &mix);
    same_as_engine(&index, &a, reached)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn flat_path_equals_index_evaluate(seed in any::<u64>()) {
        let mut reached = Reached::default();
        flat_case(seed, &mut reached).map_err(TestCaseError::fail)?;
    }
}

/// The flat generator reaches the flat path (with parents summed unchecked and
/// checked), and evaluations that leave it.
#[test]
fn random_trees_reach_the_flat_path_and_leave_it() {
    let mut reached = Reached::default();
    for seed in 0..300u64 {
        flat_case(seed.wrapping_mul(104_729), &mut reached).unwrap();
    }
    eprintln!("{reached:?}");
    assert!(reached.flat * 4 > reached.runs, "flat path: {reached:?}");
    assert!(reached.flat_left > 0, "flat path left: {reached:?}");
    // Both ways of summing the parents.
    let checked = reached.flat - reached.flat_unchecked;
    assert!(
        reached.flat_unchecked * 10 > reached.flat && checked * 10 > reached.flat,
        "unchecked and checked sums: {reached:?}"
    );
}

/// Leaves not credited (missing evidence, not credited) on the flat path: most leaves
/// without evidence, so that every group meets them (the kernels' loops credit no leaf:
/// the records say which points to take).
#[test]
fn flat_path_with_leaves_not_credited() {
    let mut reached = Reached::default();
    for seed in 0..300u64 {
        let mut g = Gen(seed.wrapping_mul(7_368_787));
        let mut def = random_index_shaped(&mut g, true);
        def.policies.missing_evidence = MissingEvidencePolicy::NotCredited;
        let Ok(index) = Index::new(def) else {
            continue;
        };
        let mix = common::Mix::self_assessed(40);
        let a = random_assessment_with(&index, &mut g, &random_value, &mix);
        same_as_engine(&index, &a, &mut reached).unwrap();
    }
    assert!(reached.flat > 150, "flat path: {reached:?}");
}

// Every shipped index with random valid assessments.
#[path = "compiled/shipped.rs"]
mod shipped;

/// Values read by one plan are refused by another plan of as many leaves (here of the
/// same index, where they would otherwise evaluate to the other's figures): a typed
/// error from `evaluate` and `set_value`, the scratch left as it was; a clone of a plan
/// is the same plan.
#[test]
fn values_of_another_plan_are_refused() {
    let mix = common::Mix::self_assessed(100);
    let mut checked = 0;
    for seed in 0..40u64 {
        let mut g = Gen(seed.wrapping_mul(7919));
        let def = random_index_shaped(&mut g, seed % 2 == 0);
        let Ok(index) = Index::new(def) else {
            continue;
        };
        let (one, other) = (Compiled::new(&index), Compiled::new(&index));
        let same = one.clone();
        let a = random_assessment_with(&index, &mut g, &random_value, &mix);
        let Ok(mut va) = one.values(&a, View::SelfAssessment) else {
            continue;
        };
        let mut scratch = Scratch::default();
        let want = one
            .evaluate(&va, &mut scratch)
            .map_err(|e| format!("{e:?}"));
        let cells = one.cells(&scratch);
        fn code<T>(r: Result<T, Box<chiso::Diagnostic>>) -> Option<String> {
            r.err().map(|e| e.problem.stable_code().to_owned())
        }
        let refused = Some("values_of_another_plan".to_owned());
        assert_eq!(
            code(other.evaluate(&va, &mut scratch)),
            refused,
            "seed {seed}"
        );
        assert_eq!(one.cells(&scratch), cells, "seed {seed}: scratch kept");
        assert!(
            other.cells(&scratch).iter().all(|c| *c == Cell::Missing),
            "seed {seed}: another plan's cells"
        );
        let leaf = index.nodes().iter().position(|n| n.is_leaf()).unwrap();
        let value = Value::Percent(Decimal::ZERO);
        assert_eq!(code(other.set_value(&mut va, leaf, &value)), refused);
        let got = same
            .evaluate(&va, &mut scratch)
            .map_err(|e| format!("{e:?}"));
        assert_eq!(got, want, "seed {seed}: a clone is the same plan");
        assert_eq!(same.cells(&scratch), cells, "seed {seed}");
        checked += 1;
    }
    assert!(checked > 20, "{checked} cases");
}

/// `Compiled::set_value` keeps every form of the values in step (the flat path keeps its
/// own copy of the leaves' records, in its group order): setting each leaf of one
/// assessment's values to another assessment's value gives the other's values, and the
/// same evaluation.
#[test]
fn set_value_gives_what_reading_gives() {
    let mix = common::Mix::self_assessed(100);
    let (mut flat, mut set) = (0, 0);
    for seed in 0..200u64 {
        let mut g = Gen(seed.wrapping_mul(6151));
        let def = random_index_shaped(&mut g, true);
        let Ok(index) = Index::new(def) else {
            continue;
        };
        let plan = Compiled::new(&index);
        let a = random_assessment_with(&index, &mut g, &random_value, &mix);
        let mut b = a.clone();
        b.entries = random_assessment_with(&index, &mut g, &random_value, &mix).entries;
        let view = View::SelfAssessment;
        let (Ok(mut va), Ok(vb)) = (plan.values(&a, view), plan.values(&b, view)) else {
            continue;
        };
        for (position, n) in index.nodes().iter().enumerate() {
            let e = b.entries.get(&n.code);
            let layer = e.and_then(|e| e.self_assessment.as_ref().or(e.survey.as_ref()));
            if let Some(le) = layer.filter(|_| n.is_leaf()) {
                assert_eq!(
                    plan.set_value(&mut va, position, &le.value),
                    Ok(true),
                    "{}",
                    n.code
                );
                set += 1;
            }
        }
        assert_eq!(va, vb, "seed {seed}");
        let (mut s1, mut s2) = (Scratch::default(), Scratch::default());
        let got = plan.evaluate(&va, &mut s1).map_err(|e| format!("{e:?}"));
        let want = plan.evaluate(&vb, &mut s2).map_err(|e| format!("{e:?}"));
        assert_eq!(got, want, "seed {seed}");
        flat += usize::from(Compiled::took_flat_path(&s1));
    }
    assert!(
        flat > 50 && set > 500,
        "{flat} flat evaluations, {set} values set"
    );
}
