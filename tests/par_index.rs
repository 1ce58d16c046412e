//! PAR INDEX criteria files shipped in `criteria/par-index/`: they validate, their maxima
//! match the published tables in `../shared/data/criteria-tables/`, and the ministry
//! "appraised + survey" set reproduces the published PAR INDEX 2023 ministry table.

mod common;

use chiso::assessment::{Assessment, Entry, LayerEntry};
use chiso::band::TiePolicy;
use chiso::display::{round, Rounding};
use chiso::index::{Completeness, UnitLevel};
use chiso::ranking::rank;
use chiso::{Decimal, Index, Value, View};
use std::collections::BTreeMap;
use std::path::PathBuf;

fn d(s: &str) -> Decimal {
    s.parse().unwrap_or_else(|_| panic!("decimal {s:?}"))
}

fn par_dir() -> PathBuf {
    common::repo().join("criteria/par-index")
}

fn load(name: &str) -> Index {
    let p = par_dir().join(name);
    Index::from_file(&p).unwrap_or_else(|e| panic!("{} must validate:\n{e}", p.display()))
}

/// Rows of a criteria-table CSV: (code, level, name_vi, max_points, scoring_rule_vi).
fn table(file: &str) -> Option<Vec<[String; 5]>> {
    let data = common::reference_data()?;
    let mut r = csv::Reader::from_path(data.join("criteria-tables").join(file))
        .expect("open criteria table");
    let h = r.headers().expect("headers").clone();
    let col = |n: &str| {
        h.iter()
            .position(|x| x == n)
            .unwrap_or_else(|| panic!("column {n}"))
    };
    let cols = [
        col("code"),
        col("level"),
        col("name_vi"),
        col("max_points"),
        col("scoring_rule_vi"),
    ];
    Some(
        r.records()
            .map(|rec| {
                let rec = rec.expect("record");
                cols.map(|c| rec[c].to_owned())
            })
            .collect(),
    )
}

const SHIPPED: [&str; 9] = [
    "camau-1880-2013-area1.json",
    "national-892-2024-province-structure.json",
    "national-876-2022-province-parts.json",
    "thanhhoa-2024-department-parts.json",
    "national-2948-2017-province-areas.json",
    "national-2948-2017-ministry-areas.json",
    "national-876-2022-province-structure.json",
    "national-876-2022-ministry-structure.json",
    "national-876-2022-ministry-parts.json",
];

#[test]
fn every_par_index_file_validates_and_names_its_basis() {
    let mut found = Vec::new();
    for e in std::fs::read_dir(par_dir()).expect("criteria/par-index") {
        let p = e.expect("entry").path();
        let name = p
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        if !name.ends_with(".json") || name.ends_with(".assessment.json") {
            continue;
        }
        let index = load(&name);
        let def = index.definition();
        assert!(index.warnings().is_empty(), "{name}: {}", index.warnings());
        assert!(!def.legal_basis.is_empty(), "{name}: legal basis");
        for lb in &def.legal_basis {
            assert!(
                !lb.decision.is_empty() && !lb.issuer.is_empty(),
                "{name}: decision and issuer"
            );
            assert!(lb.url.starts_with("http"), "{name}: url {}", lb.url);
        }
        assert!(!def.version.is_empty(), "{name}: version");
        assert!(!def.unit_levels.is_empty(), "{name}: unit levels");
        assert!(def.years.from >= 2012, "{name}: years");
        assert!(!def.notes.is_empty(), "{name}: notes");
        assert_ne!(
            def.completeness,
            Completeness::Example,
            "{name}: real sets are not examples"
        );
        found.push(name);
    }
    for s in SHIPPED {
        assert!(found.iter().any(|f| f == s), "{s} is shipped");
    }
}

#[test]
fn camau_maxima_and_wording_match_the_published_fragment() {
    let index = load("camau-1880-2013-area1.json");
    assert_eq!(index.definition().completeness, Completeness::Partial);
    let Some(rows) = table("camau_1880_2013_area1_PARTIAL.csv") else {
        return;
    };
    assert_eq!(rows.len(), 10);
    for [code, level, name, max, rule] in &rows {
        let node = index
            .node(code)
            .unwrap_or_else(|| panic!("Cà Mau node {code}"));
        assert_eq!(node.title.vi, *name, "{code} title verbatim");
        if level == "area" {
            // The source's 20 cannot be checked against criteria 1.4+ (not public): the area
            // maximum is left empty and the note says so.
            assert_eq!(max, "20");
            assert_eq!(node.max, None, "area 1 maximum is null");
            let def_node = &index.definition().nodes[0];
            assert!(def_node
                .notes
                .iter()
                .any(|n| n.vi.contains("20") && n.en.contains("20")));
        } else {
            assert_eq!(node.max, Some(d(max)), "{code} maximum");
        }
        match level.as_str() {
            "sub_criterion" => {
                let text = node
                    .scoring_text
                    .as_ref()
                    .unwrap_or_else(|| panic!("{code} scoring text"));
                assert_eq!(
                    text.vi.replace(" / ", " | "),
                    *rule,
                    "{code} scoring wording verbatim"
                );
                assert!(node.is_leaf());
            }
            "criterion" if code == "1.3" => {
                assert!(node.is_leaf(), "1.3 has no public sub-criteria: a leaf");
                assert!(matches!(
                    node.rule,
                    Some(chiso::rule::Rule::Discretionary { .. })
                ));
            }
            _ => {}
        }
    }
    // Hand checks from the table: 1.1 = 1 + 1 + 1 + 2 = 5; 1.2 = 1 + 1 = 2.
    assert_eq!(index.node("1.1").and_then(|n| n.max), Some(d("5")));
    assert_eq!(index.node("1.2").and_then(|n| n.max), Some(d("2")));
    let sum = |c: &str| -> Decimal {
        let n = index.node(c).expect("node");
        n.children
            .iter()
            .map(|&i| index.nodes()[i].max.expect("child max"))
            .sum()
    };
    assert_eq!(sum("1.1"), d("5"));
    assert_eq!(sum("1.2"), d("2"));
}

#[test]
fn camau_tier_1_1_4_bounds_are_explicit() {
    // "Thực hiện trên 90% kế hoạch: 2 / Thực hiện từ 70% - 90% kế hoạch: 1 / Dưới 70% kế hoạch: 0";
    // 90% exactly → middle tier (inferred, par-index.md §8).
    let index = load("camau-1880-2013-area1.json");
    let rule = index
        .node("1.1.4")
        .and_then(|n| n.rule.clone())
        .expect("rule");
    for (pct, expected) in [
        ("100", "2"),
        ("90.01", "2"),
        ("90", "1"),
        ("70", "1"),
        ("69.99", "0"),
        ("0", "0"),
    ] {
        match rule.evaluate(Some(d("2")), &Value::Percent(d(pct))) {
            Ok(chiso::rule::Outcome::Scored { points, .. }) => {
                assert_eq!(points, d(expected), "{pct}%")
            }
            other => panic!("{pct}%: {other:?}"),
        }
    }
}

fn check_2948(file: &str, csv: &str, level: UnitLevel, areas: usize) {
    let index = load(file);
    let def = index.definition();
    assert_eq!(def.unit_levels, vec![level]);
    assert_eq!(def.legal_basis[0].decision, "2948/QĐ-BNV");
    assert_eq!(def.nodes.len(), areas);
    let Some(rows) = table(csv) else { return };
    let total = rows.iter().find(|r| r[1] == "total").expect("total row");
    assert_eq!(def.max_points, Some(d(&total[3])));
    let area_rows: Vec<_> = rows.iter().filter(|r| r[1] == "area").collect();
    assert_eq!(area_rows.len(), areas);
    let mut sum = Decimal::ZERO;
    for r in &area_rows {
        let node = index.node(&r[0]).unwrap_or_else(|| panic!("area {}", r[0]));
        assert_eq!(node.max, Some(d(&r[3])), "{file} area {} maximum", r[0]);
        assert!(
            r[2].starts_with(&node.title.vi),
            "{file} area {} title: {:?} vs {:?}",
            r[0],
            node.title.vi,
            r[2]
        );
        assert!(node.is_leaf(), "areas are leaves scored by supplied points");
        sum += d(&r[3]);
    }
    assert_eq!(sum, d("100"), "{csv}: area maxima sum to 100");
    let encoded: Decimal = def
        .nodes
        .iter()
        .map(|n| n.max_points.expect("area max"))
        .sum();
    assert_eq!(encoded, d("100"));
}

#[test]
fn national_2948_province_area_maxima() {
    check_2948(
        "national-2948-2017-province-areas.json",
        "national_province_2948_2017_areas.csv",
        UnitLevel::Province,
        8,
    );
}

#[test]
fn national_2948_ministry_area_maxima() {
    check_2948(
        "national-2948-2017-ministry-areas.json",
        "national_ministry_2948_2017_areas.csv",
        UnitLevel::Ministry,
        7,
    );
}

fn points_entry(v: &str) -> Entry {
    Entry {
        appraisal_2: Some(LayerEntry::new(Value::Points(d(v)))),
        ..Default::default()
    }
}

fn assessment(index: &str, unit: &str, entries: BTreeMap<String, Entry>) -> Assessment {
    Assessment {
        year: Some(2023),
        entries,
        ..Assessment::new(index, unit)
    }
}

#[test]
fn national_2948_scores_area_points() {
    // Hand-worked: 8 + 7.5 + 12 + 9 + 14.25 + 6 + 13 + 12.5 = 82.25 of 100.
    let index = load("national-2948-2017-province-areas.json");
    let pts = ["8", "7.5", "12", "9", "14.25", "6", "13", "12.5"];
    let entries = (1..=8)
        .map(|i| (i.to_string(), points_entry(pts[i - 1])))
        .collect();
    let r = index
        .score(
            &assessment("par-2948-2017-province-areas", "Tỉnh ví dụ", entries),
            View::Final,
        )
        .expect("score");
    assert_eq!(r.total.achieved, Some(d("82.25")));
    assert_eq!(r.total.percent, Some(d("82.25")));
    assert_eq!(
        r.node("3").and_then(|n| n.percent),
        Some(d("12") / d("14.5") * d("100")).map(|x| x.normalize())
    );
    // An area above its maximum is refused (area 3 max 14.50).
    let mut bad: BTreeMap<String, Entry> = BTreeMap::new();
    bad.insert("3".into(), points_entry("14.51"));
    assert!(index
        .score(
            &assessment("par-2948-2017-province-areas", "x", bad),
            View::Final
        )
        .is_err());
}

#[test]
fn national_876_structures_total_area_points() {
    for (file, id, areas, level, survey) in [
        (
            "national-876-2022-province-structure.json",
            "par-876-2022-province-structure",
            8,
            UnitLevel::Province,
            "32",
        ),
        (
            "national-876-2022-ministry-structure.json",
            "par-876-2022-ministry-structure",
            7,
            UnitLevel::Ministry,
            "31,5",
        ),
    ] {
        let index = load(file);
        let def = index.definition();
        assert_eq!(def.completeness, Completeness::Partial);
        assert_eq!(def.unit_levels, vec![level]);
        assert_eq!(def.max_points, Some(d("100")));
        assert_eq!(def.nodes.len(), areas);
        assert!(
            def.nodes.iter().all(|n| n.max_points.is_none()),
            "{file}: per-area maxima are not public"
        );
        assert!(
            def.notes.iter().any(|n| n.vi.contains(survey)),
            "{file}: survey share {survey} in the notes"
        );
        // Hand-worked total from area points: 1 + 2 + … + areas.
        let entries = (1..=areas)
            .map(|i| (i.to_string(), points_entry(&i.to_string())))
            .collect();
        let r = index
            .score(&assessment(id, "Đơn vị ví dụ", entries), View::Final)
            .expect("score");
        let expected = Decimal::from(areas * (areas + 1) / 2);
        assert_eq!(r.total.achieved, Some(expected), "{file}");
        assert_eq!(r.total.percent, None, "{file}: no percent without maxima");
    }
    let prov = load("national-876-2022-province-structure.json");
    let bands = &prov.definition().bands;
    let code_at = |p: &str| chiso::band::band_of(bands, d(p)).map(|b| b.code.clone());
    // par-index.md §5: A ≥ 90; B 80 to < 90; C 70 to < 80.
    assert_eq!(code_at("90"), Some("A".into()));
    assert_eq!(code_at("89.99"), Some("B".into()));
    assert_eq!(code_at("80"), Some("B".into()));
    assert_eq!(code_at("79.99"), Some("C".into()));
    assert_eq!(code_at("70"), Some("C".into()));
    assert_eq!(code_at("69.99"), None);
}

/// PAR INDEX 2023, ministries: rank, ministry, thẩm định, ĐTXHH, published index.
/// Published figures from par-index.md §11.2, source:
/// https://xaydungchinhsach.chinhphu.vn/chi-tiet-bang-xep-hang-par-index-2023-cua-cac-bo-co-quan-ngang-bo-119240417175319406.htm
const MINISTRIES_2023: [(u32, &str, &str, &str, &str); 17] = [
    (1, "Bộ Tư pháp", "61.86", "28.10", "89.95"),
    (2, "NHNN", "62.67", "27.21", "89.89"),
    (3, "Bộ Tài chính", "61.52", "27.66", "89.18"),
    (4, "Bộ Nội vụ", "60.65", "26.38", "87.04"),
    (5, "Bộ TN&MT", "61.15", "25.85", "87.01"),
    (6, "Bộ NN&PTNT", "60.25", "26.17", "86.41"),
    (7, "Bộ Xây dựng", "61.18", "25.10", "86.28"),
    (8, "Bộ GTVT", "60.27", "25.91", "86.18"),
    (9, "Bộ TT&TT", "60.50", "25.33", "85.83"),
    (10, "Bộ LĐ-TB&XH", "60.99", "24.81", "85.81"),
    (11, "Bộ VH-TT&DL", "58.10", "25.47", "83.56"),
    (12, "Bộ GD&ĐT", "55.46", "25.07", "80.53"),
    (13, "Bộ KH&CN", "56.49", "23.88", "80.38"),
    (14, "Bộ KH&ĐT", "54.59", "25.48", "80.07"),
    (15, "Bộ Y tế", "55.81", "23.99", "79.80"),
    (16, "Bộ Ngoại giao", "52.12", "26.35", "78.48"),
    (17, "Bộ Công Thương", "54.21", "23.82", "78.03"),
];

#[test]
fn ministry_2023_table_is_reproduced() {
    let index = load("national-876-2022-ministry-parts.json");
    assert_eq!(index.node("survey").and_then(|n| n.max), Some(d("31.5")));
    // 68.5 is not published: it is 100 − 31.5, and the file says so.
    let appraised = &index.definition().nodes[0];
    assert_eq!(appraised.max_points, Some(d("100") - d("31.5")));
    assert!(appraised
        .notes
        .iter()
        .any(|n| n.en.contains("inferred") && n.vi.contains("suy luận")));
    assert_eq!(index.definition().max_points, Some(d("100")));
    let tolerance = d("0.01");
    let mut sums = Vec::new();
    let mut off_by_rounding = 0;
    for (rank_published, name, appraised, survey, published) in MINISTRIES_2023 {
        let mut entries = BTreeMap::new();
        entries.insert("appraised".to_owned(), points_entry(appraised));
        entries.insert(
            "survey".to_owned(),
            Entry {
                survey: Some(LayerEntry::new(Value::Points(d(survey)))),
                ..Default::default()
            },
        );
        let r = index
            .score(
                &assessment("par-876-2022-ministry-parts", name, entries),
                View::Final,
            )
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let total = r.total.achieved.expect("total");
        assert_eq!(total, d(appraised) + d(survey), "{name}: thẩm định + ĐTXHH");
        // Index (%) = (thẩm định + ĐTXHH) / 100 × 100.
        let pct = r.total.percent.expect("percent");
        assert_eq!(
            pct,
            total.normalize(),
            "{name}: index over a maximum of 100"
        );
        let diff = (pct - d(published)).abs();
        assert!(
            diff <= tolerance,
            "{name} (rank {rank_published}): {pct} vs published {published}"
        );
        if !diff.is_zero() {
            off_by_rounding += 1;
        }
        sums.push(Some(total));
    }
    // par-index.md §4: rounded parts differ from the published index by ±0.01 in 9 of 17 rows.
    assert_eq!(off_by_rounding, 9);
    let ranks = rank(&sums, TiePolicy::Competition);
    let published_ranks: Vec<Option<u32>> = MINISTRIES_2023.iter().map(|m| Some(m.0)).collect();
    assert_eq!(
        ranks, published_ranks,
        "ranks on the exact sums reproduce the published order"
    );
    let published: Vec<Option<Decimal>> = MINISTRIES_2023.iter().map(|m| Some(d(m.4))).collect();
    let mean = chiso::ranking::mean(&published).expect("mean");
    assert_eq!(
        round(mean, 2, Rounding::HalfUp),
        d("84.38"),
        "published average 84.38"
    );
}

#[test]
fn national_892_frame_has_structure_only_and_says_so() {
    let index = load("national-892-2024-province-structure.json");
    let def = index.definition();
    // par-index.md §1: 892/QĐ-BNV, 05/12/2024, Bộ Nội vụ; cited by Sơn La 2211/QĐ-UBND.
    let lb = &def.legal_basis[0];
    assert_eq!(
        (lb.decision.as_str(), lb.date.as_deref(), lb.issuer.as_str()),
        ("892/QĐ-BNV", Some("2024-12-05"), "Bộ Nội vụ")
    );
    assert!(lb.url.contains("2211-qd-ubnd"), "{}", lb.url);
    assert!(lb.part.as_deref().is_some_and(|p| p.contains("2024–2030")));
    assert_eq!(def.version, "892/QĐ-BNV");
    assert_eq!(def.completeness, Completeness::Partial);
    assert_eq!(def.unit_levels, vec![UnitLevel::Province]);
    assert_eq!((def.years.from, def.years.to), (2024, Some(2030)));
    // Never invent a number: no maximum anywhere, not even the total.
    assert_eq!(def.max_points, None);
    assert_eq!(def.nodes.len(), 8, "8 component indices (secondary source)");
    assert!(index.nodes().iter().all(|n| n.max.is_none()));
    assert!(index.leaves().all(|i| !index.nodes()[i].evidence_required));
    assert!(
        def.bands.is_empty(),
        "2024 band thresholds are not published"
    );
    let notes = |needle_vi: &str, needle_en: &str| {
        def.notes
            .iter()
            .any(|n| n.vi.contains(needle_vi) && n.en.contains(needle_en))
    };
    assert!(notes("không công khai", "not publicly available"));
    assert!(notes("88,37%", "88.37%"));
    for n in &def.nodes {
        assert!(
            n.notes.iter().any(
                |t| t.vi.contains("không công khai") && t.en.contains("not publicly available")
            ),
            "area {} says its maximum is not public",
            n.code
        );
    }
    // Area points add up (hand-worked 1 + … + 8 = 36); no percent without a maximum.
    let entries = (1..=8)
        .map(|i| (i.to_string(), points_entry(&i.to_string())))
        .collect();
    let r = index
        .score(
            &assessment("par-892-2024-province-structure", "Tỉnh ví dụ", entries),
            View::Final,
        )
        .expect("score");
    assert_eq!(r.total.achieved, Some(d("36")));
    assert_eq!((r.total.applicable_max, r.total.percent), (None, None));
}

#[test]
fn province_split_2022_2023_is_a_secondary_source_template() {
    let index = load("national-876-2022-province-parts.json");
    let def = index.definition();
    assert_eq!(def.completeness, Completeness::Partial);
    assert_eq!((def.years.from, def.years.to), (2022, Some(2023)));
    // par-index.md §2.2: 61.5 + 6.5 appraised, 10 + 22 survey, total 100.
    let max = |c: &str| index.node(c).and_then(|n| n.max);
    assert_eq!(max("appraised"), Some(d("61.5")));
    assert_eq!(max("impact"), Some(d("6.5")));
    assert_eq!(max("sipas"), Some(d("10")));
    assert_eq!(max("officials_survey"), Some(d("22")));
    assert_eq!(def.max_points, Some(d("100")));
    let by = |ch: chiso::node::Channel| -> Decimal {
        index
            .leaves()
            .map(|i| &index.nodes()[i])
            .filter(|n| n.channel == ch)
            .filter_map(|n| n.max)
            .sum()
    };
    // The verified totals: 68 appraised + 32 survey (Báo cáo tóm tắt PAR INDEX 2023).
    assert_eq!(by(chiso::node::Channel::Appraised), d("68"));
    assert_eq!(by(chiso::node::Channel::Survey), d("32"));
    assert!(def
        .notes
        .iter()
        .any(|n| n.vi.contains("NGUỒN THỨ CẤP") && n.en.contains("SECONDARY SOURCE")));
    assert!(def
        .legal_basis
        .iter()
        .any(|l| l.url.contains("baohoabinh") && l.decision.contains("nguồn thứ cấp")));
    // Hòa Bình's printed values are not encoded anywhere (one of them is misprinted).
    let text = std::fs::read_to_string(par_dir().join("national-876-2022-province-parts.json"))
        .expect("read");
    assert!(!text.contains("\"57.04\"") && !text.contains("\"86.89\""));
    // Hand-worked: 55 + 5 + 8 + 18 = 86 of 100 → 86 %, band B (80 to < 90).
    let mut entries = BTreeMap::new();
    entries.insert("appraised".to_owned(), points_entry("55"));
    entries.insert("impact".to_owned(), points_entry("5"));
    for (c, v) in [("sipas", "8"), ("officials_survey", "18")] {
        entries.insert(
            c.to_owned(),
            Entry {
                survey: Some(LayerEntry::new(Value::Points(d(v)))),
                ..Default::default()
            },
        );
    }
    let r = index
        .score(
            &assessment("par-876-2022-province-parts", "Tỉnh ví dụ", entries),
            View::Final,
        )
        .expect("score");
    assert_eq!(r.total.achieved, Some(d("86")));
    assert_eq!(r.total.percent, Some(d("86")));
    assert_eq!(r.total.band.map(|b| b.code), Some("B".to_owned()));
}

#[test]
fn thanhhoa_2024_declares_its_84_point_unit_type() {
    let index = load("thanhhoa-2024-department-parts.json");
    let def = index.definition();
    assert_eq!(def.unit_levels, vec![UnitLevel::Department]);
    assert_eq!(def.max_points, Some(d("100")));
    // par-index.md §10: area 8 = 16 survey points; six agencies scored out of 84.
    assert_eq!(index.node("8").and_then(|n| n.max), Some(d("16")));
    assert_eq!(
        index.node("8").map(|n| n.channel),
        Some(chiso::node::Channel::Survey)
    );
    let t = &def.unit_types[0];
    assert_eq!(t.max_points, Some(d("84")));
    assert_eq!(index.applicable_max(Some(&t.code)), Some(d("84")));
    for unit in [
        "Văn phòng UBND tỉnh",
        "Sở Nội vụ",
        "Sở Tài chính",
        "Sở Ngoại vụ",
        "Ban Dân tộc",
        "Thanh tra tỉnh",
    ] {
        assert!(t.notes.iter().any(|n| n.vi.contains(unit)), "{unit}");
    }
    // 84 is 100 − 16, inferred; the node says so.
    let n17 = &def.nodes[0];
    assert_eq!(n17.max_points, Some(d("100") - d("16")));
    assert!(n17
        .notes
        .iter()
        .any(|n| n.vi.contains("suy luận") && n.en.contains("inferred")));
}

/// Công văn 383/384/BNV-CCHC (par-index.md §6, §7): a self score without evidence is not
/// credited; the appraisal, which reviews the evidence, prevails. The shipped national
/// parts files declare the evidence on their appraised parts and the `not_credited`
/// policy, so this applies to them.
#[test]
fn appraised_parts_without_evidence_are_not_credited_until_appraised() {
    use chiso::assessment::EvidenceRef;
    use chiso::Status;
    for (file, id, code, other) in [
        (
            "national-876-2022-province-parts.json",
            "par-876-2022-province-parts",
            "appraised",
            Some("impact"),
        ),
        (
            "national-876-2022-ministry-parts.json",
            "par-876-2022-ministry-parts",
            "appraised",
            None,
        ),
    ] {
        let index = load(file);
        assert!(
            index.node(code).is_some_and(|n| n.evidence_required),
            "{file}: {code} requires evidence"
        );
        assert_eq!(
            index.definition().policies.missing_evidence,
            chiso::index::MissingEvidencePolicy::NotCredited
        );
        // Self-assessment only: 55 claimed without evidence; the other appraised part
        // (province set) 5 with evidence.
        let mut entries = BTreeMap::new();
        entries.insert(code.to_owned(), Entry::self_value(Value::Points(d("55"))));
        if let Some(o) = other {
            let mut le = LayerEntry::new(Value::Points(d("5")));
            le.evidence.push(EvidenceRef {
                title: "Báo cáo tự đánh giá".into(),
                number: None,
                link: None,
            });
            entries.insert(
                o.to_owned(),
                Entry {
                    self_assessment: Some(le),
                    ..Default::default()
                },
            );
        }
        let mut a = assessment(id, "Đơn vị", entries);
        let r = index.score(&a, View::Final).expect("score");
        let n = r.node(code).expect("node");
        // What enters the index while only the self score exists: 0, with the reason.
        assert_eq!(n.achieved, Some(d("0")), "{file}");
        assert_eq!(n.status, Status::EvidenceMissing { explained: false });
        let e = n.explanation.as_ref().expect("explanation");
        assert!(e.vi.contains("không được tính điểm") && e.vi.contains("cần giải trình"));
        assert!(e.en.contains("not credited") && e.en.contains("explanation is required"));
        if let Some(o) = other {
            assert_eq!(
                r.node(o).and_then(|n| n.achieved),
                Some(d("5")),
                "with evidence"
            );
        }
        // The self view shows the unit's claim, flagged (the project's documented choice).
        let s = index.score(&a, View::SelfAssessment).expect("self view");
        let sn = s.node(code).expect("node");
        assert_eq!(sn.achieved, Some(d("55")));
        assert_eq!(sn.status, Status::EvidenceMissing { explained: false });
        // A giải trình does not bring the points back, it only answers the demand.
        if let Some(le) = a
            .entries
            .get_mut(code)
            .and_then(|e| e.self_assessment.as_mut())
        {
            le.explanation = Some("Tài liệu đang được bổ sung".into());
        }
        let r = index.score(&a, View::Final).expect("score");
        let n = r.node(code).expect("node");
        assert_eq!(
            (n.achieved, &n.status),
            (Some(d("0")), &Status::EvidenceMissing { explained: true })
        );
        // Appraisal round 1 recognises 55 after reviewing the supplementary files: credited.
        let mut le = LayerEntry::new(Value::Points(d("55")));
        le.evidence.push(EvidenceRef {
            title: "Tài liệu bổ sung".into(),
            number: None,
            link: None,
        });
        a.entries.get_mut(code).expect("entry").appraisal_1 = Some(le);
        let r = index.score(&a, View::Final).expect("score");
        let n = r.node(code).expect("node");
        assert_eq!(
            (n.achieved, &n.status, n.source),
            (
                Some(d("55")),
                &Status::Scored,
                Some(chiso::assessment::Layer::Appraisal1)
            ),
            "{file}"
        );
    }
}
