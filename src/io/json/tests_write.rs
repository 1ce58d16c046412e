//! The writer against `serde_json::to_string`, byte for byte: every shipped index, its
//! tree, every shipped assessment scored in each view with its diagnostics, random
//! results (escaping, every optional field present and absent) and random JSON trees.

use super::json;
use crate::assessment::{Layer, Unit, ValueKind};
use crate::diagnostics::{Diagnostic, Diagnostics, Location, Problem, Severity};
use crate::display::Rounding;
use crate::index::{AdjustmentKind, LeafRounding};
use crate::node::Channel;
use crate::result::{
    AdjustmentResult, BandRef, NodeResult, ScoreResult, Status, Total, UnitTypeRef, View,
};
use crate::{Decimal, Index, Text};
use proptest::prelude::*;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// Both writers on `v`: the same text, or both fail.
fn same<T: Serialize + ?Sized>(v: &T) -> String {
    let ours = json(v);
    let theirs = serde_json::to_string(v).ok();
    assert_eq!(ours, theirs);
    ours.unwrap_or_default()
}

/// Every JSON file under `dir` whose `format` is `format`.
fn shipped(dir: &Path, format: &str, out: &mut Vec<(PathBuf, String)>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            shipped(&p, format, out);
        } else if p.extension().is_some_and(|x| x == "json") {
            let text = std::fs::read_to_string(&p).unwrap();
            let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
            if v.get("format").and_then(|f| f.as_str()) == Some(format) {
                out.push((p, text));
            }
        }
    }
}

fn files(format: &str) -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in ["criteria", "examples-data"] {
        shipped(&root.join(dir), format, &mut out);
    }
    out.sort();
    out
}

#[test]
fn every_shipped_index_its_tree_and_its_scored_assessments() {
    let indexes = files("chiso.index/1");
    let assessments = files("chiso.assessment/1");
    assert!(indexes.len() >= 5 && assessments.len() >= 5);
    let mut scored = 0;
    for (p, text) in &indexes {
        let index = Index::from_json(text).unwrap_or_else(|e| panic!("{}: {e:?}", p.display()));
        let def = same(index.definition());
        assert!(def.len() > 100, "{}", p.display());
        same(&index.warnings());
        same(index.definition().nodes.as_slice());
        for (q, a) in &assessments {
            let a = crate::load::assessment(a).unwrap();
            if a.index != index.definition().id {
                continue;
            }
            same(&a);
            same(&index.check_assessment(&a));
            for view in [View::SelfAssessment, View::Appraised, View::Final] {
                let r = index
                    .score(&a, view)
                    .unwrap_or_else(|e| panic!("{}: {e}", q.display()));
                same(&r);
                let text = same_result(&r);
                assert!(text.contains("\"nodes\":[{"), "{}", q.display());
                scored += 1;
            }
        }
    }
    assert!(scored >= 15, "{scored} results");
}

#[test]
fn escapes_quotes_backslashes_controls_and_keeps_vietnamese() {
    let mut all = String::from("Điểm \"đạt\" \\ tiêu chí 1.1 – ≥ 90% ✓ 😀");
    all.extend((0u8..0x20).map(char::from));
    all.push('\u{7f}');
    all.push('\u{2028}');
    let t = Text::new(all.clone(), all.clone());
    let out = same(&t);
    assert!(out.contains(r#"\"đạt\" \\ tiêu"#));
    assert!(out.contains(r"\u0000\u0001"));
    assert!(out.contains(r"\b\t\n\u000b\f\r\u000e"));
    for c in [',', ':', '[', '{', '"'] {
        same(&c);
        same(&vec![c.to_string()]);
    }
    same("");
    same(&String::new());
}

#[test]
fn numbers_maps_and_refusals_as_serde_json_writes_them() {
    same(&(i64::MIN, u64::MAX, i128::MIN, u128::MAX, 0u8, -1i8));
    same(&(
        0.1f64,
        1e300f64,
        -0.0f64,
        f64::NAN,
        f64::INFINITY,
        1.5f32,
        f32::NAN,
    ));
    let mut m = std::collections::BTreeMap::new();
    m.insert(7u32, "seven");
    m.insert(0, "zero");
    same(&m);
    let mut m = std::collections::BTreeMap::new();
    m.insert(i64::MIN, ());
    m.insert(-7, ());
    same(&m);
    let mut m = std::collections::BTreeMap::new();
    m.insert(true, 1);
    same(&m);
    let mut m = std::collections::BTreeMap::new();
    m.insert(Layer::Appraisal1, 1);
    m.insert(Layer::SelfAssessment, 2);
    same(&m);
    let mut m = std::collections::BTreeMap::new();
    m.insert(Some('x'), 1);
    same(&m);
    // Keys serde_json refuses: both fail.
    let mut m = std::collections::BTreeMap::new();
    m.insert(vec![1], 1);
    same(&m);
    let mut m = std::collections::BTreeMap::new();
    m.insert((), 1);
    same(&m);
    let mut m = std::collections::HashMap::new();
    m.insert(f64::NAN.to_bits(), 1);
    same(&m);
    same(&serde_bytes_like(b"\x00\xff"));
    same(&Option::<u8>::None);
    same(&());
    same(&Vec::<u8>::new());
    same(&std::collections::BTreeMap::<String, u8>::new());
    same(&Decimal::new(-5, 1));
    same(&Decimal::ZERO);
    same(&-Decimal::new(0, 3));
    same(&Decimal::MAX);
    same(&Decimal::MIN);
}

/// Bytes written through `serialize_bytes`.
fn serde_bytes_like(b: &'static [u8]) -> impl Serialize {
    struct B(&'static [u8]);
    impl Serialize for B {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_bytes(self.0)
        }
    }
    B(b)
}

#[test]
fn enum_variants_of_every_shape() {
    #[derive(Serialize)]
    enum E {
        Unit,
        New(String),
        Tuple(u8, Option<Decimal>),
        Struct { a: Vec<u8>, b: Option<Text> },
    }
    #[derive(Serialize)]
    struct Tup(u8, &'static str);
    #[derive(Serialize)]
    struct Empty {}
    #[derive(Serialize)]
    struct UnitS;
    same(&[
        E::Unit,
        E::New("x\ny".into()),
        E::Tuple(3, Some(Decimal::new(15, 1))),
        E::Struct { a: vec![], b: None },
        E::Struct {
            a: vec![1, 2],
            b: Some(Text::new("a", "b")),
        },
    ]);
    same(&(Tup(1, "a"), Empty {}, UnitS));
}

pub(super) fn text_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-zA-Z0-9 àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễđơớờởỡợưứừửữự\"\\\\\u{0}-\u{1f}\u{7f}]{0,24}",
    ]
}

pub(super) fn t() -> impl Strategy<Value = Text> {
    (text_strategy(), text_strategy()).prop_map(|(vi, en)| Text::new(vi, en))
}

pub(super) fn dec() -> impl Strategy<Value = Decimal> {
    (any::<i128>(), 0u32..=28, any::<bool>()).prop_map(|(m, scale, neg)| {
        let m = m % (1i128 << 96);
        let mut d = Decimal::try_from_i128_with_scale(m, scale).unwrap_or_default();
        if neg && m == 0 {
            d.set_sign_negative(true);
        }
        d
    })
}

pub(super) fn odec() -> impl Strategy<Value = Option<Decimal>> {
    proptest::option::of(dec())
}

pub(super) fn ostr() -> impl Strategy<Value = Option<String>> {
    proptest::option::of(text_strategy())
}

fn status() -> impl Strategy<Value = Status> {
    prop_oneof![
        Just(Status::Scored),
        Just(Status::Missing),
        Just(Status::NotApplicable),
        any::<bool>().prop_map(|explained| Status::EvidenceMissing { explained }),
    ]
}

fn layer() -> impl Strategy<Value = Option<Layer>> {
    proptest::option::of(prop_oneof![
        Just(Layer::SelfAssessment),
        Just(Layer::Appraisal1),
        Just(Layer::Appraisal2),
        Just(Layer::Survey),
    ])
}

fn node() -> impl Strategy<Value = NodeResult> {
    (
        (text_strategy(), t(), any::<usize>(), ostr(), any::<bool>()),
        (any::<bool>(), odec(), odec(), odec(), odec()),
        (odec(), odec(), odec(), odec(), status(), layer()),
        (proptest::option::of(t()), proptest::option::of(t())),
    )
        .prop_map(
            |(
                (code, title, depth, parent, leaf),
                (survey, max_points, applicable_max, achieved, percent),
                (self_points, appraised_points, final_points, delta, status, source),
                (explanation, scoring_text),
            )| NodeResult {
                code,
                title,
                depth,
                parent,
                leaf,
                channel: if survey {
                    Channel::Survey
                } else {
                    Channel::Appraised
                },
                max_points,
                applicable_max,
                achieved,
                percent,
                self_points,
                appraised_points,
                final_points,
                delta,
                status,
                source,
                explanation,
                scoring_text,
            },
        )
}

fn problem() -> impl Strategy<Value = Problem> {
    prop_oneof![
        text_strategy().prop_map(|detail| Problem::Structure { detail }),
        Just(Problem::UnknownCode),
        (any::<usize>(), any::<usize>(), text_strategy()).prop_map(|(line, column, detail)| {
            Problem::Syntax {
                line,
                column,
                detail,
            }
        }),
        (
            text_strategy(),
            any::<u64>(),
            proptest::option::of(any::<u64>())
        )
            .prop_map(|(what, limit, found)| Problem::LimitExceeded {
                what,
                limit,
                found,
                unit: "bytes / byte".into(),
            }),
        (dec(), text_strategy())
            .prop_map(|(value, reading)| Problem::AmbiguousBound { value, reading }),
        proptest::collection::vec(text_strategy(), 0..3).prop_map(|allowed| {
            Problem::UnknownOption {
                option: "x".into(),
                allowed,
            }
        }),
        Just(Problem::WrongValueKind {
            expected: vec![ValueKind::YesNo, ValueKind::Percent],
            found: ValueKind::Counts,
        }),
        any::<i32>().prop_map(|year| Problem::NotAnIndexForYear { year }),
    ]
}

fn location() -> impl Strategy<Value = Option<Location>> {
    prop_oneof![
        Just(None),
        Just(Some(Location::File)),
        text_strategy().prop_map(|p| Some(Location::json(p))),
        (any::<u64>(), proptest::option::of(any::<u64>()), ostr()).prop_map(|(r, and, col)| {
            let mut l = Location::row(r);
            if let Some(a) = and {
                l = l.and_row(a);
            }
            if let Some(c) = col {
                l = l.column(c);
            }
            Some(l)
        }),
        (text_strategy(), text_strategy()).prop_map(|(s, c)| Some(Location::cell(s, c))),
    ]
}

fn diagnostic() -> impl Strategy<Value = Diagnostic> {
    (
        any::<bool>(),
        ostr(),
        text_strategy(),
        location(),
        ostr(),
        problem(),
    )
        .prop_map(|(warn, file, path, location, code, problem)| Diagnostic {
            severity: if warn {
                Severity::Warning
            } else {
                Severity::Error
            },
            file,
            path,
            location,
            code,
            problem,
        })
}

fn result() -> impl Strategy<Value = ScoreResult> {
    let unit =
        (text_strategy(), ostr(), ostr()).prop_map(|(name, id, block)| Unit { name, id, block });
    let unit_type = proptest::option::of(
        (
            text_strategy(),
            t(),
            proptest::collection::vec(text_strategy(), 0..3),
            t(),
        )
            .prop_map(|(code, title, not_applicable, reason)| UnitTypeRef {
                code,
                title,
                not_applicable,
                reason,
            }),
    );
    let rounding =
        proptest::option::of((0u32..=28, 0..4usize, proptest::option::of(t())).prop_map(
            |(decimals, mode, source)| LeafRounding {
                decimals,
                mode: [
                    Rounding::HalfUp,
                    Rounding::HalfEven,
                    Rounding::Truncate,
                    Rounding::Exact,
                ][mode],
                source,
            },
        ));
    let band = proptest::option::of(
        (text_strategy(), t()).prop_map(|(code, label)| BandRef { code, label }),
    );
    let total = (
        (odec(), odec(), odec(), odec(), odec()),
        (band, odec(), odec(), odec(), status()),
    )
        .prop_map(
            |(
                (criteria_points, achieved, applicable_max, max_points, percent),
                (band, self_points, appraised_points, final_points, status),
            )| Total {
                criteria_points,
                achieved,
                applicable_max,
                max_points,
                percent,
                band,
                self_points,
                appraised_points,
                final_points,
                status,
            },
        );
    let adjustment = (text_strategy(), t(), any::<bool>(), dec(), dec(), layer()).prop_map(
        |(code, title, bonus, cap, points, source)| AdjustmentResult {
            code,
            title,
            kind: if bonus {
                AdjustmentKind::Bonus
            } else {
                AdjustmentKind::Penalty
            },
            cap,
            points,
            source,
        },
    );
    (
        (
            text_strategy(),
            text_strategy(),
            text_strategy(),
            unit,
            unit_type,
        ),
        (
            rounding,
            proptest::option::of(any::<i32>()),
            0..3usize,
            total,
        ),
        (
            proptest::collection::vec(node(), 0..4),
            proptest::collection::vec(adjustment, 0..3),
            proptest::collection::vec(diagnostic(), 0..3),
        ),
    )
        .prop_map(
            |(
                (format, index, index_version, unit, unit_type),
                (leaf_rounding, year, view, total),
                (nodes, adjustments, diagnostics),
            )| ScoreResult {
                format,
                index,
                index_version,
                unit,
                unit_type,
                leaf_rounding,
                year,
                view: [View::SelfAssessment, View::Appraised, View::Final][view],
                total,
                nodes,
                adjustments,
                diagnostics: Diagnostics(diagnostics),
            },
        )
}

fn value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value as V;
    let leaf = prop_oneof![
        Just(V::Null),
        any::<bool>().prop_map(V::Bool),
        any::<i64>().prop_map(V::from),
        any::<u64>().prop_map(V::from),
        any::<f64>().prop_map(V::from),
        text_strategy().prop_map(V::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(V::Array),
            proptest::collection::vec((text_strategy(), inner), 0..6)
                .prop_map(|kv| V::Object(kv.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn random_results_are_written_as_serde_json_writes_them(r in result()) {
        let theirs = serde_json::to_string(&r).ok();
        prop_assert_eq!(json(&r), theirs.clone());
        prop_assert_eq!(Some(super::result(&r)), theirs);
    }

    #[test]
    fn random_json_trees_are_written_as_serde_json_writes_them(v in value()) {
        prop_assert_eq!(json(&v), serde_json::to_string(&v).ok());
    }
}

/// The hand-written result writer against `serde_json`.
fn same_result(r: &ScoreResult) -> String {
    let ours = super::result(r);
    assert_eq!(Some(&ours), serde_json::to_string(r).ok().as_ref());
    ours
}

#[test]
fn every_problem_variant_as_its_derived_serialize_writes_it() {
    let mut written = 0;
    for (tag, p) in crate::diagnostics::samples::every_problem() {
        let d = Diagnostic::warning("$.x", Some("1.1"), p);
        let mut o = String::new();
        super::write_result::diagnostic(&mut o, &d);
        assert_eq!(o, serde_json::to_string(&d).unwrap(), "{tag}");
        written += 1;
    }
    assert!(written >= 316);
}
