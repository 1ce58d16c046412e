//! QĐ 766 service index: the criteria in `criteria/service-766/` reproduce the
//! dichvucong.gov.vn portal values.
//!
//! Reads the reference data at run time (`tests/common::reference_data()`):
//! - `qd766/qd766_2026_phutho_metrics.csv`: metric numerators/denominators and portal
//!   scores of UBND tỉnh Phú Thọ and five subordinate units (26/09/2026);
//! - `qd766/qd766_2026_provinces_34.csv`: group scores, totals and ranks of the 34
//!   provinces (05/10/2026);
//! - `qd766/qd766_2026_national.csv`: published national values and the mean of the 34.
//!
//! Expected values come from those files and `reference/service-index-766.md`. The
//! six-group index declares the portal's rounding step (`policies.leaf_rounding`: each
//! indicator score to 2 decimals, half up, before adding), so the engine's indicator,
//! group and total scores are compared with the published ones as they are.

#![allow(clippy::unwrap_used)] // tests may unwrap (preamble)

mod common;
use common::{dec, read_csv, Row};

use chiso::band::band_of;
use chiso::display::{round, Rounding};
use chiso::ranking::{mean, rank};
use chiso::rule::{Rule, ZeroDenominator};
use chiso::{Assessment, Decimal, Entry, Index, ScoreResult, Status, Value, View};
use std::collections::BTreeMap;
use std::path::Path;

fn load(name: &str) -> Index {
    let p = common::repo().join(format!("criteria/service-766/{name}.json"));
    Index::from_file(&p).unwrap_or_else(|d| panic!("{}", d.render(chiso::Lang::En)))
}

fn assessment(index: &Index, unit: &str, entries: BTreeMap<String, Entry>) -> Assessment {
    Assessment {
        year: Some(2026),
        entries,
        ..Assessment::new(&index.definition().id, unit)
    }
}

fn cent() -> Decimal {
    Decimal::new(1, 2)
}

/// The input of a metric row: numerator/denominator. A null numerator and denominator
/// (4.6, "numerator and denominator null") is entered as the ratio 0/0: nothing to
/// count, which the criteria file scores by its `zero_denominator` rule (4.6: full
/// marks, reference §5). `None` when only one part is given.
fn metric_value(r: &Row) -> Option<Value> {
    match (r["numerator"].as_str(), r["denominator"].as_str()) {
        ("", "") => Some(Value::Ratio {
            numerator: Decimal::ZERO,
            denominator: Decimal::ZERO,
        }),
        (n, d) if !n.is_empty() && !d.is_empty() => Some(Value::Ratio {
            numerator: dec(n),
            denominator: dec(d),
        }),
        _ => None,
    }
}

/// The published ratio of a metric row as a percent input, when there is one.
fn published_percent(r: &Row) -> Option<Value> {
    let p = r["ratio_percent"].as_str();
    (!p.is_empty()).then(|| Value::Percent(dec(p)))
}

struct UnitScore {
    rows: Vec<Row>,
    result: ScoreResult,
}

/// Scores every unit of the Phú Thọ file against the six-group portal index. Metrics
/// a unit's rows do not give stay without a value (their group is then missing).
fn score_phutho(data: &Path, index: &Index) -> Vec<(String, UnitScore)> {
    let rows = read_csv(&data.join("qd766/qd766_2026_phutho_metrics.csv"));
    assert_eq!(rows.len(), 44);
    let mut units: Vec<(String, Vec<Row>)> = Vec::new();
    for r in rows {
        match units.iter_mut().find(|(u, _)| *u == r["unit"]) {
            Some((_, v)) => v.push(r),
            None => units.push((r["unit"].clone(), vec![r])),
        }
    }
    units
        .into_iter()
        .map(|(unit, rows)| {
            let mut entries = BTreeMap::new();
            for r in &rows {
                let code = &r["metric_code"];
                if code.is_empty() {
                    continue;
                }
                assert!(
                    index.node(code).is_some_and(|n| n.is_leaf()),
                    "metric {code} must be a leaf"
                );
                if let Some(v) = metric_value(r) {
                    entries.insert(code.clone(), Entry::self_value(v));
                }
            }
            let a = assessment(index, &unit, entries);
            let result = index
                .score(&a, View::Final)
                .unwrap_or_else(|d| panic!("{unit}: {}", d.render(chiso::Lang::En)));
            (unit, UnitScore { rows, result })
        })
        .collect()
}

#[test]
fn portal_parameters_follow_the_reference() {
    let index = load("qd766-portal-six-groups");
    let def = index.definition();
    assert_eq!(def.max_points, Some(Decimal::from(100)));
    // Groups and maxima (reference §2, verified against portal data).
    let groups: Vec<(String, Option<Decimal>)> = def
        .nodes
        .iter()
        .map(|n| (n.code.clone(), n.max_points))
        .collect();
    let expected: Vec<(String, Option<Decimal>)> = [
        ("CKMB", 18),
        ("TDGQ", 20),
        ("CLGQ", 12),
        ("TTTT", 10),
        ("MDSH", 22),
        ("MDHL", 18),
    ]
    .iter()
    .map(|(c, m)| (c.to_string(), Some(Decimal::from(*m))))
    .collect();
    assert_eq!(groups, expected);
    // Indicator maxima, thresholds (§3, §4) and zero-denominator rules (§5).
    let table: [(&str, i64, i64, ZeroDenominator); 21] = [
        ("1.1", 6, 100, ZeroDenominator::Zero),
        ("1.2", 4, 100, ZeroDenominator::Zero),
        ("1.3", 2, 100, ZeroDenominator::Zero),
        ("1.4", 6, 100, ZeroDenominator::Zero),
        ("2.1", 20, 100, ZeroDenominator::Zero),
        ("3.1", 2, 80, ZeroDenominator::Zero),
        ("3.2", 4, 100, ZeroDenominator::Zero),
        ("3.3", 6, 50, ZeroDenominator::Zero),
        ("3.6", 6, 100, ZeroDenominator::Zero),
        ("3.5b", 2, 80, ZeroDenominator::Zero),
        ("3.5a", 2, 80, ZeroDenominator::Zero),
        ("4.1", 6, 100, ZeroDenominator::Zero),
        ("4.2", 4, 100, ZeroDenominator::Zero),
        ("4.3", 2, 80, ZeroDenominator::Zero),
        ("4.4", 4, 100, ZeroDenominator::Zero),
        ("4.5b", 2, 100, ZeroDenominator::Zero),
        ("4.5a", 2, 100, ZeroDenominator::Zero),
        // 4.6 null/null → 2 (§5: a zero policy gave Văn phòng UBND tỉnh MDSH 2.43, not 4.43).
        ("4.6", 2, 100, ZeroDenominator::FullMarks),
        ("5.2", 6, 100, ZeroDenominator::FullMarks),
        ("5.3", 6, 100, ZeroDenominator::FullMarks),
        ("5.4", 6, 90, ZeroDenominator::Zero),
    ];
    let leaves: Vec<&str> = index
        .leaves()
        .map(|i| index.nodes()[i].code.as_str())
        .collect();
    assert_eq!(leaves, table.iter().map(|t| t.0).collect::<Vec<_>>());
    for (code, max, threshold, zd) in table {
        let n = index.node(code).unwrap();
        assert_eq!(n.max, Some(Decimal::from(max)), "{code}: max");
        let Some(Rule::Proportional {
            threshold_percent,
            zero_denominator,
            gate: None,
            ..
        }) = &n.rule
        else {
            panic!("{code}: proportional rule expected")
        };
        assert_eq!(
            *threshold_percent,
            Some(Decimal::from(threshold)),
            "{code}: threshold"
        );
        assert_eq!(*zero_denominator, zd, "{code}: zero denominator");
    }
    // 4.2 is max × ratio, no threshold at the top either (§5, §8.4: Gia Lai H21.17
    // 603/654 = 92.2 % → 3.69, not 4); the notes cite the evidence.
    let notes: String = def
        .nodes
        .iter()
        .flat_map(|g| &g.children)
        .filter(|c| c.code == "4.2")
        .flat_map(|c| c.notes.iter().flat_map(|t| [t.vi.clone(), t.en.clone()]))
        .collect();
    for needle in ["§8.4", "3.69", "3,69", "92.2", "92,2"] {
        assert!(notes.contains(needle), "4.2 notes must cite {needle}");
    }
    // Display-only indicators (max 0) are left out.
    for code in ["2.2", "5.1", "5.0"] {
        assert!(index.node(code).is_none());
    }
}

#[test]
fn zero_denominators_hand_worked() {
    // Reference §5: no PAKN → 6 + 6; no dossiers for 5.4 → 0; payment ratios 0/0 → 0;
    // 4.6 null/null → 2.
    let index = load("qd766-portal-six-groups");
    let zero = || {
        Entry::self_value(Value::Ratio {
            numerator: Decimal::ZERO,
            denominator: Decimal::ZERO,
        })
    };
    let entries: BTreeMap<String, Entry> = ["5.2", "5.3", "5.4", "3.6", "3.5b", "3.5a", "4.6"]
        .iter()
        .map(|c| (c.to_string(), zero()))
        .collect();
    let res = index
        .score(&assessment(&index, "example", entries), View::Final)
        .unwrap();
    let pts = |c: &str| res.node(c).unwrap().achieved.unwrap();
    assert_eq!(
        (pts("5.2"), pts("5.3"), pts("5.4")),
        (Decimal::from(6), Decimal::from(6), Decimal::ZERO)
    );
    assert_eq!(
        pts("MDHL"),
        Decimal::from(12),
        "unit without PAKN: group = 12 + 5.4"
    );
    assert_eq!(pts("TTTT"), Decimal::ZERO);
    // 4.6 null/null (entered as 0/0) → full marks, 2 (§5).
    assert_eq!(pts("4.6"), Decimal::from(2));
    // Groups without input are missing, and so is the total (no silent zero).
    assert_eq!(res.node("CKMB").unwrap().status, Status::Missing);
    assert_eq!(res.total.achieved, None);
}

#[test]
fn phutho_metric_scores() {
    let Some(data) = common::reference_data() else {
        return;
    };
    let index = load("qd766-portal-six-groups");
    let mut checked = 0;
    let mut full_marks = 0;
    let mut null_null = 0;
    let mut published_rows = 0;
    for (unit, u) in score_phutho(&data, &index) {
        for r in &u.rows {
            let code = &r["metric_code"];
            if code.is_empty() || r["api_score"].is_empty() {
                continue;
            }
            published_rows += 1;
            assert!(metric_value(r).is_some(), "{unit} {code}: no input");
            let n = u.result.node(code).unwrap();
            assert_eq!(n.status, Status::Scored, "{unit} {code}");
            let got = n.achieved.unwrap();
            let api = dec(&r["api_score"]);
            // The engine's own (rounded) points. The reference reports a max error of
            // 0.005 for 2.1 and 5.4 over all portal observations; every Phú Thọ row is
            // reproduced exactly.
            assert_eq!(
                got,
                api,
                "{unit} {code}: engine {got} vs portal {api}\n{}",
                n.explanation
                    .as_ref()
                    .map(|e| e.en.clone())
                    .unwrap_or_default()
            );
            if r["note"] == "no PAKN: full marks" {
                assert_eq!(
                    metric_value(r),
                    Some(Value::Ratio {
                        numerator: Decimal::ZERO,
                        denominator: Decimal::ZERO
                    })
                );
                assert_eq!(got, Decimal::from(6), "{unit} {code}: 0/0 → full marks");
                full_marks += 1;
            }
            if r["numerator"].is_empty() && r["denominator"].is_empty() {
                // 4.6 null/null, entered as 0/0 → full marks (§5).
                assert_eq!(
                    got,
                    n.max_points.unwrap(),
                    "{unit} {code}: null/null → full marks"
                );
                null_null += 1;
                // The published ratio (100, when shown) as a percent scores the same.
                if let Some(p) = published_percent(r) {
                    let mut entries = BTreeMap::new();
                    entries.insert(code.clone(), Entry::self_value(p));
                    let res = index
                        .score(&assessment(&index, &unit, entries), View::Final)
                        .unwrap();
                    assert_eq!(res.node(code).unwrap().achieved, Some(got), "{unit} {code}");
                }
            }
            checked += 1;
        }
    }
    eprintln!("Phú Thọ: {checked} metric scores reproduced");
    assert_eq!(full_marks, 2);
    // UBND tỉnh Phú Thọ and Văn phòng UBND tỉnh: 4.6 null/null, score 2.
    assert_eq!(null_null, 2);
    // Every published metric score is reproduced (none skipped).
    assert_eq!(checked, published_rows);
}

/// Văn phòng UBND tỉnh Phú Thọ, MDSH (reference §5, §8.2), worked by hand:
/// 4.1 7/161 → 6 × 0.0435 = 0.26; 4.2 7/161 → 4 × 0.0435 = 0.17; 4.5b 161/161 → 2;
/// 4.5a 0/3 → 0; 4.6 null/null → 2 (full marks): 0.26 + 0.17 + 2 + 0 + 2 = 4.43, the
/// published group. A `zero` policy for 4.6 gives 2.43.
#[test]
fn phutho_office_mdsh_needs_full_marks_for_4_6() {
    let Some(data) = common::reference_data() else {
        return;
    };
    let index = load("qd766-portal-six-groups");
    let units = score_phutho(&data, &index);
    let (_, office) = units
        .iter()
        .find(|(u, _)| u == "Văn phòng UBND tỉnh")
        .unwrap();
    let mdsh: Vec<&Row> = office
        .rows
        .iter()
        .filter(|r| r["group_code"] == "MDSH")
        .collect();
    let published = dec(&mdsh.last().unwrap()["group_score"]);
    let sum_of = |res: &ScoreResult| -> Decimal {
        mdsh.iter()
            .map(|r| res.node(&r["metric_code"]).unwrap().achieved.unwrap())
            .sum()
    };
    assert_eq!(sum_of(&office.result), published);

    // The same unit under the former rule (4.6 with `zero`): 2 points short.
    let mut def = index.definition().clone();
    let mdsh_node = def.nodes.iter_mut().find(|n| n.code == "MDSH").unwrap();
    let n46 = mdsh_node
        .children
        .iter_mut()
        .find(|n| n.code == "4.6")
        .unwrap();
    let Some(Rule::Proportional {
        zero_denominator, ..
    }) = &mut n46.rule
    else {
        panic!("4.6: proportional rule expected")
    };
    *zero_denominator = ZeroDenominator::Zero;
    let old = Index::new(def).unwrap();
    let entries = mdsh
        .iter()
        .map(|r| {
            (
                r["metric_code"].clone(),
                Entry::self_value(metric_value(r).unwrap()),
            )
        })
        .collect();
    let res = old
        .score(
            &assessment(&old, "Văn phòng UBND tỉnh", entries),
            View::Final,
        )
        .unwrap();
    assert_eq!(sum_of(&res), published - Decimal::from(2));
}

#[test]
fn phutho_group_scores_and_total() {
    let Some(data) = common::reference_data() else {
        return;
    };
    let index = load("qd766-portal-six-groups");
    let mut checked = Vec::new();
    let mut partial = Vec::new();
    let mut published_groups = 0;
    for (unit, u) in score_phutho(&data, &index) {
        let mut group_rows: Vec<&Row> = Vec::new();
        for r in &u.rows {
            let g = &r["group_code"];
            if g == "TOTAL" {
                // UBND tỉnh Phú Thọ: sum of the 6 groups = 61.89, reproduced exactly.
                let published = dec(&r["group_score"]);
                let total = u.result.total.achieved.unwrap();
                assert_eq!(total, published, "{unit}: total");
                let sum_published: Decimal = u
                    .rows
                    .iter()
                    .filter(|x| x["group_code"] != "TOTAL" && !x["group_score"].is_empty())
                    .map(|x| dec(&x["group_score"]))
                    .sum();
                assert_eq!(
                    sum_published, published,
                    "published groups add up to the published total"
                );
                checked.push(format!("{unit} TOTAL"));
                published_groups += 1;
                continue;
            }
            group_rows.push(r);
            if r["group_score"].is_empty() {
                continue;
            }
            published_groups += 1;
            let published = dec(&r["group_score"]);
            let members: Vec<&Row> = group_rows
                .drain(..)
                .filter(|x| x["group_code"] == *g)
                .collect();
            assert!(members.iter().all(|m| metric_value(m).is_some()));
            let leaves = index
                .leaves()
                .filter(|&i| {
                    index.nodes()[i]
                        .parent
                        .is_some_and(|p| index.nodes()[p].code == *g)
                })
                .count();
            let got = if members.len() == leaves {
                let n = u.result.node(g).unwrap();
                assert_eq!(n.status, Status::Scored, "{unit} {g}");
                n.achieved.unwrap()
            } else {
                // The source lists only some metrics of the group (Văn phòng UBND tỉnh
                // MDSH: no 4.3, 4.4 rows); the published group is the sum of those.
                partial.push(format!("{unit} {g}"));
                members
                    .iter()
                    .map(|m| u.result.node(&m["metric_code"]).unwrap().achieved.unwrap())
                    .sum()
            };
            // Σ of the rounded indicator scores, as the portal adds them: TTTT 6.67 =
            // 5.18 + 0.95 + 0.54 (the exact formula gives 6.672), CLGQ 8.56 (fit 8.556).
            assert_eq!(got, published, "{unit} {g}");
            checked.push(format!("{unit} {g}"));
        }
    }
    eprintln!("groups checked: {checked:?}; from listed metrics only: {partial:?}");
    assert_eq!(partial, vec!["Văn phòng UBND tỉnh MDSH".to_string()]);
    for g in ["CKMB", "TDGQ", "CLGQ", "TTTT", "MDSH", "MDHL", "TOTAL"] {
        assert!(
            checked.contains(&format!("UBND tỉnh Phú Thọ {g}")),
            "Phú Thọ {g} checked"
        );
    }
    // Every published group score (and the total) is checked.
    assert_eq!(checked.len(), published_groups);
}

#[test]
fn provinces_34_totals_ranks_and_national_means() {
    let Some(data) = common::reference_data() else {
        return;
    };
    let index = load("qd766-portal-groups");
    let def = index.definition();
    let codes: Vec<String> = def.nodes.iter().map(|n| n.code.clone()).collect();
    assert_eq!(codes, ["CKMB", "TDGQ", "CLGQ", "TTTT", "MDSH", "MDHL"]);
    let rows = read_csv(&data.join("qd766/qd766_2026_provinces_34.csv"));
    assert_eq!(rows.len(), 34);
    let mut totals = Vec::new();
    for r in &rows {
        let entries = codes
            .iter()
            .map(|c| (c.clone(), Entry::self_value(Value::Points(dec(&r[c])))))
            .collect();
        let res = index
            .score(&assessment(&index, &r["province"], entries), View::Final)
            .unwrap();
        let total = res.total.achieved.unwrap();
        // Σ groups = total, exactly, on the 2-decimal values.
        assert_eq!(total, dec(&r["total"]), "{}", r["province"]);
        assert_eq!(res.total.applicable_max, Some(Decimal::from(100)));
        // All 34 totals (53.22–68.11) fall in the secondary-source band "Trung bình" [50, 70).
        assert_eq!(
            res.total.band.as_ref().map(|b| b.code.as_str()),
            Some("trung_binh"),
            "{}",
            r["province"]
        );
        totals.push(Some(total));
    }
    let published_ranks: Vec<Option<u32>> = rows.iter().map(|r| r["rank"].parse().ok()).collect();
    assert_eq!(
        rank(&totals, def.tie_policy),
        published_ranks,
        "competition ranks 5, 5, 7 and 12, 12, 14"
    );

    // National values: unweighted mean of the provinces.
    let national = read_csv(&data.join("qd766/qd766_2026_national.csv"));
    assert_eq!(national.len(), 6);
    for n in &national {
        let g = n["group_code"].as_str();
        let values: Vec<Option<Decimal>> = match g {
            "TOTAL" => totals.clone(),
            _ => rows
                .iter()
                .map(|r| Some(g.split('+').map(|c| dec(&r[c])).sum::<Decimal>()))
                .collect(),
        };
        let m = mean(&values).unwrap();
        assert_eq!(
            round(m, 3, Rounding::HalfUp),
            dec(&n["mean_of_34_provinces"]),
            "{g}: mean of the 34"
        );
        let published = dec(&n["published_national"]);
        assert!(
            (m - published).abs() <= cent(),
            "{g}: mean {m} vs published {published}"
        );
    }
}

#[test]
fn bands_and_other_published_points() {
    // Reference §7–8.3 (secondary sources): Bến Cát 83.8 "xếp loại tốt"; 2022 provinces'
    // average 61.5 "trung bình"; ministries 43 "yếu"; 90–100 excellent.
    for name in ["qd766-portal-six-groups", "qd766-portal-groups"] {
        let def = load(name).definition().clone();
        let code = |x: &str| band_of(&def.bands, dec(x)).map(|b| b.code.clone());
        assert_eq!(code("83.8").as_deref(), Some("tot"));
        assert_eq!(code("61.5").as_deref(), Some("trung_binh"));
        assert_eq!(code("43").as_deref(), Some("yeu"));
        assert_eq!(code("90").as_deref(), Some("xuat_sac"));
        assert_eq!(code("89.99").as_deref(), Some("tot"));
        assert_eq!(code("100").as_deref(), Some("xuat_sac"));
    }
}

#[test]
fn form_2022_groups() {
    // Reference §2: 2022 decision groups 18 / 20 / 22 / 22 / 18 = 100; indicator points
    // not publicly available → group-level leaves, completeness partial.
    let index = load("qd766-2022-five-groups");
    let def = index.definition();
    assert_eq!(def.completeness, chiso::index::Completeness::Partial);
    let maxima: Vec<Decimal> = def.nodes.iter().map(|n| n.max_points.unwrap()).collect();
    assert_eq!(maxima, [18, 20, 22, 22, 18].map(Decimal::from));
    assert!(def
        .nodes
        .iter()
        .all(|n| n.children.is_empty() && matches!(n.rule, Some(Rule::Score { .. }))));
    // A group score above its maximum is an input error.
    let mut entries: BTreeMap<String, Entry> = BTreeMap::new();
    entries.insert("1".into(), Entry::self_value(Value::Points(dec("18.5"))));
    assert!(index
        .check_assessment(&assessment(&index, "x", entries))
        .has_errors());
    assert_eq!(
        load("qd766-portal-six-groups").definition().completeness,
        chiso::index::Completeness::Provisional
    );
}
