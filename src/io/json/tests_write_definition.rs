//! The hand-written definition and node-list writers against `serde_json::to_string` of
//! the derived `Serialize`, byte for byte: every shipped index (its definition and its
//! node list), every rule kind and aggregation, and random definitions (every optional
//! field present and absent, escapes, Vietnamese, decimals of every scale and negative
//! zero).

use super::tests::{dec, odec, ostr, t, text_strategy};
use super::{definition, nodes};
use crate::band::{Band, TiePolicy};
use crate::display::Rounding;
use crate::index::{
    Adjustment, AdjustmentKind, Completeness, IndexDefinition, LeafRounding, LegalBasis,
    MissingEvidencePolicy, MissingValuePolicy, Policies, UnitLevel, UnitType, YearRange,
};
use crate::interval::{Bound, Interval};
use crate::node::{Aggregation, Channel, Node};
use crate::rule::{Award, Condition, Level, Measure, Rule, SurveyOption, Tier, ZeroDenominator};
use crate::{Decimal, Index, Text};
use proptest::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// The node list as the WASM binding's `Engine::nodes` documented it, with the derived
/// `Serialize` (the writer's reference).
#[derive(Serialize)]
struct NodeInfo<'a> {
    code: &'a str,
    parent: Option<&'a str>,
    depth: usize,
    leaf: bool,
    title: &'a Text,
    max_points: Option<Decimal>,
    channel: Channel,
    evidence_required: bool,
    rule: Option<&'a Rule>,
    accepts: Vec<String>,
    scoring_text: Option<&'a Text>,
    path: &'a str,
}

fn derived_nodes(index: &Index) -> String {
    let nodes = index.nodes();
    let out: Vec<NodeInfo> = nodes
        .iter()
        .skip(1)
        .map(|n| NodeInfo {
            code: &n.code,
            parent: n.parent.filter(|&p| p != 0).map(|p| nodes[p].code.as_str()),
            depth: n.depth,
            leaf: n.is_leaf(),
            title: &n.title,
            max_points: n.max,
            channel: n.channel,
            evidence_required: n.evidence_required,
            rule: n.rule.as_ref(),
            accepts: n
                .rule
                .as_ref()
                .map(|r| r.accepts().iter().map(|k| k.key().to_owned()).collect())
                .unwrap_or_default(),
            scoring_text: n.scoring_text.as_ref(),
            path: &n.path,
        })
        .collect();
    serde_json::to_string(&out).unwrap()
}

/// Every index file under `dir`.
fn shipped(dir: &Path, out: &mut Vec<(String, String)>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            shipped(&p, out);
        } else if p.extension().is_some_and(|x| x == "json") {
            let text = std::fs::read_to_string(&p).unwrap();
            let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
            if v.get("format").and_then(|f| f.as_str()) == Some("chiso.index/1") {
                out.push((p.display().to_string(), text));
            }
        }
    }
}

#[test]
fn every_shipped_definition_and_node_list() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["criteria", "examples-data"] {
        shipped(&root.join(dir), &mut files);
    }
    assert!(files.len() >= 5);
    let (mut kinds, mut methods) = (BTreeMap::new(), BTreeMap::new());
    for (p, text) in &files {
        let index = Index::from_json(text).unwrap_or_else(|e| panic!("{p}: {e:?}"));
        let d = index.definition();
        assert_eq!(definition(d), serde_json::to_string(d).unwrap(), "{p}");
        assert_eq!(nodes(&index), derived_nodes(&index), "{p}");
        for n in index.nodes() {
            if let Some(r) = &n.rule {
                let k = serde_json::to_value(r).unwrap()["type"].clone();
                *kinds.entry(k.as_str().unwrap().to_owned()).or_insert(0) += 1;
            }
            let m = serde_json::to_value(&n.aggregation).unwrap()["method"].clone();
            *methods.entry(m.as_str().unwrap().to_owned()).or_insert(0) += 1;
        }
    }
    // The shipped indices hold every rule kind and two of the three aggregations; the
    // random definitions below hold every kind of both.
    assert_eq!(kinds.len(), 9, "{kinds:?}");
    assert!(methods.len() >= 2, "{methods:?}");
}

fn ot() -> impl Strategy<Value = Option<Text>> {
    proptest::option::of(t())
}

fn texts() -> impl Strategy<Value = Vec<Text>> {
    proptest::collection::vec(t(), 0..3)
}

fn bound() -> impl Strategy<Value = Bound> {
    (dec(), any::<bool>()).prop_map(|(value, inclusive)| Bound { value, inclusive })
}

fn interval() -> impl Strategy<Value = Interval> {
    (proptest::option::of(bound()), proptest::option::of(bound()))
        .prop_map(|(from, to)| Interval { from, to })
}

fn award() -> impl Strategy<Value = Award> {
    (t(), odec(), odec()).prop_map(|(label, points, percent_of_max)| Award {
        label,
        points,
        percent_of_max,
    })
}

fn level() -> impl Strategy<Value = Level> {
    (text_strategy(), t(), odec(), odec()).prop_map(|(key, label, points, percent_of_max)| Level {
        key,
        label,
        points,
        percent_of_max,
    })
}

fn levels() -> impl Strategy<Value = Vec<Level>> {
    proptest::collection::vec(level(), 0..3)
}

fn rule() -> impl Strategy<Value = Rule> {
    let condition = (text_strategy(), t()).prop_map(|(key, label)| Condition { key, label });
    let tier =
        (interval(), t(), odec(), odec()).prop_map(|(range, label, points, percent_of_max)| Tier {
            range,
            label,
            points,
            percent_of_max,
        });
    let option = (text_strategy(), dec(), ot()).prop_map(|(key, percent, label)| SurveyOption {
        key,
        percent,
        label,
    });
    prop_oneof![
        (proptest::collection::vec(condition, 0..3), award(), award()).prop_map(
            |(conditions, yes, no)| Rule::YesNo {
                conditions,
                yes,
                no
            }
        ),
        (award(), award(), award()).prop_map(|(on_time, late, not_done)| Rule::Timeliness {
            on_time,
            late,
            not_done
        }),
        (
            prop_oneof![
                Just(Measure::Percent),
                Just(Measure::Count),
                Just(Measure::Number)
            ],
            proptest::collection::vec(tier, 0..3)
        )
            .prop_map(|(measure, tiers)| Rule::Tiers { measure, tiers }),
        (
            odec(),
            proptest::option::of(bound()),
            prop_oneof![
                Just(ZeroDenominator::Zero),
                Just(ZeroDenominator::FullMarks),
                Just(ZeroDenominator::NotApplicable),
                Just(ZeroDenominator::Invalid)
            ],
            ot(),
            ot()
        )
            .prop_map(
                |(threshold_percent, gate, zero_denominator, numerator, denominator)| {
                    Rule::Proportional {
                        threshold_percent,
                        gate,
                        zero_denominator,
                        numerator,
                        denominator,
                    }
                }
            ),
        levels().prop_map(|levels| Rule::Levels { levels }),
        levels().prop_map(|severities| Rule::Deductions { severities }),
        odec().prop_map(|step| Rule::Discretionary { step }),
        proptest::collection::vec(option, 0..3).prop_map(|options| Rule::Survey { options }),
        proptest::option::of(interval()).prop_map(|nominal| Rule::Score { nominal }),
    ]
}

fn aggregation() -> impl Strategy<Value = Aggregation> {
    let weights = proptest::collection::btree_map(text_strategy(), dec(), 0..3);
    (0..3u8, weights, any::<bool>()).prop_map(|(k, weights, rescale_to_max)| match k {
        0 => Aggregation::Sum { rescale_to_max },
        1 => Aggregation::WeightedSum {
            weights,
            rescale_to_max,
        },
        _ => Aggregation::WeightedMean {
            weights,
            rescale_to_max,
        },
    })
}

fn channel() -> impl Strategy<Value = Channel> {
    prop_oneof![Just(Channel::Appraised), Just(Channel::Survey)]
}

fn node() -> impl Strategy<Value = Node> {
    let leaf = (
        (text_strategy(), t(), odec(), ot(), texts()),
        (
            channel(),
            ostr(),
            texts(),
            proptest::option::of(aggregation()),
        ),
        proptest::option::of(rule()),
    )
        .prop_map(
            |(
                (code, title, max_points, scoring_text, evidence),
                (channel, verifier, notes, aggregation),
                rule,
            )| Node {
                code,
                title,
                max_points,
                scoring_text,
                evidence,
                channel,
                verifier,
                notes,
                aggregation,
                children: Vec::new(),
                rule,
            },
        );
    leaf.prop_recursive(2, 8, 3, |inner| {
        (inner.clone(), proptest::collection::vec(inner, 0..3)).prop_map(|(mut n, children)| {
            n.children = children;
            n
        })
    })
}

fn unit_level() -> impl Strategy<Value = UnitLevel> {
    prop_oneof![
        Just(UnitLevel::Ministry),
        Just(UnitLevel::Province),
        Just(UnitLevel::Department),
        Just(UnitLevel::District),
        Just(UnitLevel::Commune),
        Just(UnitLevel::DistrictDivision),
        Just(UnitLevel::CentralAgency),
        Just(UnitLevel::PublicServiceUnit),
    ]
}

fn policies() -> impl Strategy<Value = Policies> {
    let rounding = (
        any::<u32>(),
        prop_oneof![
            Just(Rounding::HalfUp),
            Just(Rounding::HalfEven),
            Just(Rounding::Truncate),
            Just(Rounding::Exact)
        ],
        ot(),
    )
        .prop_map(|(decimals, mode, source)| LeafRounding {
            decimals,
            mode,
            source,
        });
    (
        prop_oneof![
            Just(MissingValuePolicy::Zero),
            Just(MissingValuePolicy::Propagate)
        ],
        prop_oneof![
            Just(MissingEvidencePolicy::NotCredited),
            Just(MissingEvidencePolicy::Flag),
            Just(MissingEvidencePolicy::Ignore)
        ],
        proptest::option::of(rounding),
    )
        .prop_map(
            |(missing_value, missing_evidence, leaf_rounding)| Policies {
                missing_value,
                missing_evidence,
                leaf_rounding,
            },
        )
}

fn definition_strategy() -> impl Strategy<Value = IndexDefinition> {
    let basis = (
        text_strategy(),
        ostr(),
        text_strategy(),
        text_strategy(),
        ostr(),
    )
        .prop_map(|(decision, date, issuer, url, part)| LegalBasis {
            decision,
            date,
            issuer,
            url,
            part,
        });
    let band = (text_strategy(), t(), interval()).prop_map(|(code, label, range)| Band {
        code,
        label,
        range,
    });
    let adjustment = (text_strategy(), t(), any::<bool>(), dec(), ot()).prop_map(
        |(code, title, bonus, cap, scoring_text)| Adjustment {
            code,
            title,
            kind: if bonus {
                AdjustmentKind::Bonus
            } else {
                AdjustmentKind::Penalty
            },
            cap,
            scoring_text,
        },
    );
    let unit_type = (
        text_strategy(),
        t(),
        proptest::collection::vec(text_strategy(), 0..3),
        t(),
        odec(),
        texts(),
    )
        .prop_map(
            |(code, title, not_applicable, reason, max_points, notes)| UnitType {
                code,
                title,
                not_applicable,
                reason,
                max_points,
                notes,
            },
        );
    (
        (text_strategy(), text_strategy(), t(), text_strategy()),
        (
            proptest::collection::vec(basis, 0..3),
            proptest::collection::vec(unit_level(), 0..3),
            (any::<i32>(), proptest::option::of(any::<i32>())),
            prop_oneof![
                Just(Completeness::Complete),
                Just(Completeness::Partial),
                Just(Completeness::Provisional),
                Just(Completeness::Example)
            ],
        ),
        (texts(), odec(), aggregation(), policies()),
        (
            proptest::collection::vec(band, 0..3),
            prop_oneof![
                Just(TiePolicy::Competition),
                Just(TiePolicy::Dense),
                Just(TiePolicy::Ordinal)
            ],
            proptest::collection::vec(adjustment, 0..3),
            proptest::collection::vec(unit_type, 0..2),
            proptest::collection::vec(node(), 0..3),
        ),
    )
        .prop_map(
            |(
                (format, id, title, version),
                (legal_basis, unit_levels, (from, to), completeness),
                (notes, max_points, aggregation, policies),
                (bands, tie_policy, adjustments, unit_types, nodes),
            )| IndexDefinition {
                format,
                id,
                title,
                version,
                legal_basis,
                unit_levels,
                years: YearRange { from, to },
                completeness,
                notes,
                max_points,
                aggregation,
                policies,
                bands,
                tie_policy,
                adjustments,
                unit_types,
                nodes,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn random_definitions_are_written_as_serde_json_writes_them(d in definition_strategy()) {
        prop_assert_eq!(definition(&d), serde_json::to_string(&d).unwrap());
    }

    #[test]
    fn random_rules_are_written_as_serde_json_writes_them(r in rule()) {
        let mut o = String::new();
        super::write_definition::rule(&mut o, &r);
        prop_assert_eq!(o, serde_json::to_string(&r).unwrap());
    }
}
