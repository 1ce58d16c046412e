//! The illustrative 2025+ example sets for the two-level local government (issue 11 §2):
//! `criteria/examples/par-2025-department.*` and `criteria/examples/par-2025-commune.*`.
//! Each index is what `chiso import` makes of its annex table (`*.csv`, the usual annex
//! wording); importing the table again reproduces the shipped index exactly. The example
//! assessments score as worked out by hand from the wording of each criterion, units
//! without a survey sample on their declared scale (84, 70), and an item without
//! evidence is not credited until the appraisal.

mod common;

use chiso::assessment::{EvidenceRef, Layer, LayerEntry};
use chiso::authoring::{import, Grid};
use chiso::index::{Completeness, IndexDefinition, MissingEvidencePolicy, UnitLevel};
use chiso::node::Channel;
use chiso::{Assessment, Decimal, Index, ScoreResult, Status, Value, View};
use std::path::Path;

fn d(s: &str) -> Decimal {
    s.parse().unwrap_or_else(|_| panic!("decimal {s:?}"))
}

fn examples() -> std::path::PathBuf {
    common::repo().join("criteria/examples")
}

fn index(name: &str) -> Index {
    Index::from_file(&examples().join(name)).unwrap_or_else(|e| panic!("{name}:\n{e}"))
}

fn assessment(name: &str) -> Assessment {
    let text = std::fs::read_to_string(examples().join(name)).expect("read assessment");
    chiso::load::assessment(&text).unwrap_or_else(|e| panic!("{name}:\n{e}"))
}

fn score(i: &Index, a: &Assessment, view: View) -> ScoreResult {
    i.score(a, view).unwrap_or_else(|e| panic!("{e}"))
}

/// The CSV read as `chiso import` reads it (bindings/cli/src/spreadsheet/mod.rs): UTF-8,
/// a BOM dropped, no header handling, ragged rows allowed, the sheet named after the file.
fn grid(path: &Path) -> Grid {
    let text = std::fs::read_to_string(path).expect("read table");
    let text = text.trim_start_matches('\u{feff}');
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let rows = r
        .records()
        .map(|rec| rec.expect("CSV record").iter().map(str::to_owned).collect())
        .collect();
    Grid {
        name: path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("csv")
            .to_owned(),
        rows,
    }
}

fn definition(name: &str) -> IndexDefinition {
    let text = std::fs::read_to_string(examples().join(name)).expect("read index");
    chiso::load::index_definition(&text).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn importing_the_tables_reproduces_the_shipped_indexes() {
    for stem in ["par-2025-department", "par-2025-commune"] {
        let shipped = definition(&format!("{stem}.json"));
        // The metadata (titles, legal basis, notes, bands, unit types) is the `--meta`
        // sidecar: the shipped file itself, whose nodes the import replaces.
        let mut meta = shipped.clone();
        meta.nodes.clear();
        meta.adjustments.clear();
        meta.max_points = None;
        let imported = import(&[grid(&examples().join(format!("{stem}.csv")))], &meta)
            .unwrap_or_else(|e| panic!("{stem}.csv:\n{e}"));
        assert!(
            imported.warnings.is_empty(),
            "{stem}.csv: {}",
            imported.warnings
        );
        assert_eq!(
            imported.definition, shipped,
            "{stem}: the shipped index is what chiso import makes of {stem}.csv"
        );
        // Every node of the index comes from a row of the table.
        assert!(imported
            .sources
            .iter()
            .all(|(_, at)| at.starts_with(&format!("'{stem}'!"))));
    }
}

#[test]
fn tables_use_the_annex_wording_and_sets_are_marked_illustrative() {
    for (stem, level) in [
        ("par-2025-department", UnitLevel::Department),
        ("par-2025-commune", UnitLevel::Commune),
    ] {
        let g = grid(&examples().join(format!("{stem}.csv")));
        let header = g
            .rows
            .iter()
            .find(|r| r.first().is_some_and(|c| c == "STT"))
            .expect("header row");
        for col in [
            "Tiêu chí, tiêu chí thành phần",
            "Điểm tối đa",
            "Cách chấm điểm",
            "Tài liệu kiểm chứng",
        ] {
            assert!(header.iter().any(|h| h == col), "{stem}: column {col}");
        }
        let i = index(&format!("{stem}.json"));
        let def = i.definition();
        assert_eq!(def.completeness, Completeness::Example);
        assert_eq!(def.unit_levels, vec![level]);
        assert_eq!((def.years.from, def.years.to), (2025, None));
        assert!(def.title.vi.starts_with("VÍ DỤ MINH HỌA"));
        assert!(def.title.en.starts_with("ILLUSTRATIVE EXAMPLE"));
        assert!(
            def.notes[0].vi.contains("VÍ DỤ MINH HỌA")
                && def.notes[0].en.contains("ILLUSTRATIVE EXAMPLE")
        );
        assert!(i.warnings().is_empty(), "{}", i.warnings());
        assert_eq!(def.max_points, Some(d("100")));
        assert!(def
            .legal_basis
            .iter()
            .any(|l| l.decision == "5666/QĐ-UBND" && l.date.as_deref() == Some("2025-11-17")));
    }
}

#[test]
fn unit_types_carry_the_maxima_of_their_sources() {
    let dept = index("par-2025-department.json");
    // Thanh Hóa 2024: 100 − 16 (survey) = 84; Hà Nam 2023-style exemption: − area 3 (16),
    // 7.3 (4), 7.6 (3) = 77; both: 61.
    for (t, max) in [
        ("khong_co_mau_khao_sat", "84"),
        ("khong_co_tthc", "77"),
        ("khong_co_mau_khao_sat_va_tthc", "61"),
    ] {
        assert_eq!(dept.applicable_max(Some(t)), Some(d(max)), "{t}");
        assert_eq!(dept.unit_type(t).and_then(|u| u.max_points), Some(d(max)));
    }
    assert_eq!(dept.applicable_max(None), Some(d("100")));
    let commune = index("par-2025-commune.json");
    // Hà Tĩnh 52/2019 communes: 70 appraised + 30 survey.
    assert_eq!(
        commune.applicable_max(Some("chua_co_mau_khao_sat")),
        Some(d("70"))
    );
    let survey: Decimal = commune
        .leaves()
        .map(|i| &commune.nodes()[i])
        .filter(|n| n.channel == Channel::Survey)
        .filter_map(|n| n.max)
        .sum();
    assert_eq!(survey, d("30"));
}

/// Department, final view, worked out by hand from the wording (criterion, points, why).
const DEPARTMENT_FINAL: [(&str, &str); 33] = [
    ("1.1", "1"),     // "Ban hành kịp thời: 1"
    ("1.2", "1"),     // appraisal 26/30 = 86.67% → "từ 70% đến dưới 90%": 1
    ("1.3", "2"),     // yes → "Đủ số lượng và đúng thời gian quy định: 2"
    ("1.4", "2"),     // 4/4 = 100% → "Hoàn thành 100% kế hoạch kiểm tra: 2"
    ("1.5", "2"),     // appraisal "Có thực hiện đầy đủ: 2,0"
    ("1.6", "1.875"), // "Hoàn thành tốt: 75% điểm" of 2.5
    ("2.1", "4"),     // 100% → 4
    ("2.2", "1"),     // "Thực hiện không đúng thời hạn: 1"
    ("2.3", "0"),     // self yes, no evidence, not appraised → not credited
    ("2.4", "1.5"),   // 2 − 1 × 0.5
    ("3.1", "3"),     // on time → 3
    ("3.2", "3"),     // 1183/1200 = 98.58% → "từ 95% đến dưới 100%": 3
    ("3.3", "2.8"),   // 420/1200 = 35%; 4 × 35 / 50
    ("3.4", "2"),     // yes → 2
    ("3.5", "1"),     // 19/20 = 95% → "từ 90% đến dưới 100%": 1
    ("4.1", "3"),     // on time → 3
    ("4.2", "3"),     // yes → 3
    ("4.3", "1.5"),   // "Có thực hiện đầy đủ: 1,5"
    ("5.1", "3"),     // yes → 3
    ("5.2", "3"),     // on time → 3
    ("5.3", "2"),     // 45/50 = 90% → "từ 80% đến dưới 100%": 2
    ("5.4", "1.5"),   // 3 − 1 × 50% × 3
    ("6.1", "3"),     // yes → 3
    ("6.2", "2"),     // appraisal 93.1% → "từ 80% đến dưới 95%": 2
    ("6.3", "2"),     // on time → 2
    ("7.1", "2.95"),  // 2950/3000 = 98.33% ≥ 98% → 2950 × 3 / 3000
    ("7.2", "3"),     // on time → 3
    ("7.3", "3"),     // 60/80 × 4
    ("7.4", "2"),     // 2990/3000 = 99.67% → "từ 90% đến dưới 100%": 2
    ("7.5", "2"),     // yes → 2
    ("7.6", "2.625"), // 700/1000 = 70%; 3 × 70 / 80
    ("8.1", "8.75"),  // 87.5% × 10
    ("8.2", "4.47"),  // (20×100 + 15×60 + 4×20 + 1×0) / 40 = 74.5% × 6
];

#[test]
fn department_example_scores_as_worked_by_hand() {
    let i = index("par-2025-department.json");
    let a = assessment("par-2025-department.assessment.json");
    let r = score(&i, &a, View::Final);
    for (code, pts) in DEPARTMENT_FINAL {
        assert_eq!(
            r.node(code).and_then(|n| n.achieved),
            Some(d(pts)),
            "criterion {code}"
        );
    }
    assert_eq!(DEPARTMENT_FINAL.len(), i.leaves().count());
    // Areas: 9.875 + 6.5 + 11.8 + 7.5 + 9.5 + 7 + 15.575 + 13.22 = 80.97; + bonus 1
    // (appraisal round 1 recognised 1 of the 2 claimed) = 81.97 of 100 → 81.97 %, band B.
    let sum: Decimal = DEPARTMENT_FINAL.iter().map(|(_, p)| d(p)).sum();
    assert_eq!(sum, d("80.97"));
    assert_eq!(r.total.criteria_points, Some(d("80.97")));
    assert_eq!(r.total.achieved, Some(d("81.97")));
    assert_eq!(
        (r.total.applicable_max, r.total.percent),
        (Some(d("100")), Some(d("81.97")))
    );
    assert_eq!(r.total.band.as_ref().map(|b| b.code.as_str()), Some("B"));
    // Self view: 1.2 → 2 (+1), 1.5 → 2.5 (+0.5), 2.3 → 2 (+2), 6.2 → 3 (+1): 85.47;
    // bonus as claimed 2 → 87.47.
    let s = score(&i, &a, View::SelfAssessment);
    assert_eq!(s.total.criteria_points, Some(d("85.47")));
    assert_eq!(s.total.achieved, Some(d("87.47")));
    assert!(r.unit_type.is_none());

    // The department without a survey sample: same entries without area 8, scored out of
    // 84: 80.97 − 13.22 = 67.75 + 1 = 68.75; 68.75 / 84 × 100 = 81.845238…% → band B.
    let nv = assessment("par-2025-department-no-survey.assessment.json");
    assert_eq!(nv.unit_type.as_deref(), Some("khong_co_mau_khao_sat"));
    let r = score(&i, &nv, View::Final);
    assert_eq!(r.total.achieved, Some(d("68.75")));
    assert_eq!(r.total.applicable_max, Some(d("84")));
    assert_eq!(
        r.total.percent,
        Some((d("68.75") / d("84") * d("100")).normalize())
    );
    assert_eq!(r.total.band.as_ref().map(|b| b.code.as_str()), Some("B"));
    let area8 = r.node("8").expect("area 8");
    assert_eq!(area8.status, Status::NotApplicable);
    assert!(area8
        .explanation
        .as_ref()
        .is_some_and(|e| e.vi.contains("không có mẫu điều tra xã hội học")
            && e.en.contains("no survey sample")));
    // Areas 1–7 are scored exactly as for the department with a survey.
    let full = score(&i, &a, View::Final);
    for code in ["1", "2", "3", "4", "5", "6", "7"] {
        assert_eq!(
            r.node(code).and_then(|n| n.achieved),
            full.node(code).and_then(|n| n.achieved)
        );
    }
}

/// Commune, final view, worked out by hand.
const COMMUNE_FINAL: [(&str, &str); 24] = [
    ("1.1", "1"),     // "Ban hành không kịp thời: 1"
    ("1.2", "1.5"),   // 85% → "từ 80% đến dưới 100%: 1,5"
    ("1.3", "2"),     // yes → 2
    ("1.4", "1"),     // appraisal "Thực hiện chưa đầy đủ: 1"
    ("2.1", "3"),     // no wrong document → 3
    ("2.2", "0"),     // self yes, no evidence, no explanation → not credited
    ("3.1", "3"),     // yes → 3
    ("3.2", "4"),     // 396/400 = 99% → "từ 95% đến dưới 100%: 4"
    ("3.3", "3"),     // 150/400 = 37.5%; 4 × 37.5 / 50
    ("3.4", "3"),     // yes → 3
    ("4.1", "3"),     // on time → 3
    ("4.2", "0"),     // no → "Không đạt yêu cầu: 0"
    ("5.1", "3"),     // on time → 3
    ("5.2", "2"),     // 18/20 = 90% → "từ 80% đến dưới 100%: 2"
    ("5.3", "3"),     // no violation → 3
    ("6.1", "3"),     // on time → 3
    ("6.2", "2"),     // appraisal 98.5% → "từ 90% đến dưới 100%: 2"
    ("7.1", "2.97"),  // 990/1000 = 99% ≥ 98% → 990 × 3 / 1000
    ("7.2", "3"),     // 100% → 3
    ("7.3", "3.75"),  // 300/400 = 75%; 4 × 75 / 80
    ("7.4", "2.25"),  // 45/60 × 3
    ("7.5", "3"),     // yes → 3
    ("8.1", "18.24"), // 91.2% × 20
    ("8.2", "8"),     // (12×100 + 6×60 + 2×20) / 20 = 80% × 10
];

#[test]
fn commune_example_scores_as_worked_by_hand() {
    let i = index("par-2025-commune.json");
    let a = assessment("par-2025-commune.assessment.json");
    let r = score(&i, &a, View::Final);
    for (code, pts) in COMMUNE_FINAL {
        assert_eq!(
            r.node(code).and_then(|n| n.achieved),
            Some(d(pts)),
            "criterion {code}"
        );
    }
    assert_eq!(COMMUNE_FINAL.len(), i.leaves().count());
    // 5.5 + 3 + 13 + 3 + 8 + 5 + 14.97 + 26.24 = 78.71; penalty 0.5 (appraisal) → 78.21.
    assert_eq!(r.total.criteria_points, Some(d("78.71")));
    assert_eq!(r.total.achieved, Some(d("78.21")));
    assert_eq!(r.total.percent, Some(d("78.21")));
    assert_eq!(r.total.band.as_ref().map(|b| b.code.as_str()), Some("C"));
    // The ward without a survey sample: 78.71 − 26.24 = 52.47 − 0.5 = 51.97 of 70
    // → 74.242857…% ("quy về thang điểm 100"), band C.
    let w = assessment("par-2025-commune-no-survey.assessment.json");
    let r = score(&i, &w, View::Final);
    assert_eq!(r.total.achieved, Some(d("51.97")));
    assert_eq!(r.total.applicable_max, Some(d("70")));
    assert_eq!(
        r.total.percent,
        Some((d("51.97") / d("70") * d("100")).normalize())
    );
    assert_eq!(r.total.band.as_ref().map(|b| b.code.as_str()), Some("C"));
    assert_eq!(
        r.unit_type.as_ref().map(|t| t.code.as_str()),
        Some("chua_co_mau_khao_sat")
    );
}

#[test]
fn every_appraised_criterion_lists_its_evidence_and_the_policy_withholds_points() {
    for stem in ["par-2025-department", "par-2025-commune"] {
        let i = index(&format!("{stem}.json"));
        assert_eq!(
            i.definition().policies.missing_evidence,
            MissingEvidencePolicy::NotCredited
        );
        for p in i.leaves() {
            let n = &i.nodes()[p];
            if n.channel == Channel::Appraised {
                assert!(n.evidence_required, "{stem} {}: evidence listed", n.code);
            }
        }
    }
}

fn evidence(title: &str) -> EvidenceRef {
    EvidenceRef {
        title: title.into(),
        number: None,
        link: None,
    }
}

#[test]
fn an_item_without_evidence_is_not_credited_until_the_appraisal() {
    let i = index("par-2025-commune.json");
    let mut a = assessment("par-2025-commune.assessment.json");
    // Before any appraisal: only self scores in the file.
    for e in a.entries.values_mut() {
        e.appraisal_1 = None;
        e.appraisal_2 = None;
    }
    a.adjustments.clear();
    // 2.2 "Đạt yêu cầu: 3" claimed without evidence and without giải trình.
    let r = score(&i, &a, View::Final);
    let n = r.node("2.2").expect("2.2");
    assert_eq!(n.self_points, Some(d("3")), "the unit's claim is shown");
    assert_eq!(n.achieved, Some(d("0")), "not credited in the score");
    assert_eq!(n.source, Some(Layer::SelfAssessment));
    assert_eq!(n.status, Status::EvidenceMissing { explained: false });
    let e = n.explanation.as_ref().expect("explanation");
    assert!(
        e.vi.contains("thiếu tài liệu kiểm chứng → không được tính điểm (0 điểm), cần giải trình"),
        "{}",
        e.vi
    );
    assert!(
        e.en.contains("no evidence attached → not credited (0 points), an explanation is required"),
        "{}",
        e.en
    );
    // The self view keeps the claim, flagged: the unit sees what it must document.
    let s = score(&i, &a, View::SelfAssessment);
    let sn = s.node("2.2").expect("2.2");
    assert_eq!(
        (sn.achieved, &sn.status),
        (Some(d("3")), &Status::EvidenceMissing { explained: false })
    );
    // The points-only path (form, planner) agrees.
    let inputs = chiso::inputs::Inputs::resolve(&i, &a, View::Final).expect("inputs");
    let mut cells = vec![chiso::Cell::Missing; i.nodes().len()];
    i.evaluate(&inputs, &mut cells).expect("evaluate");
    let p = i.position("2.2").expect("2.2");
    assert_eq!(cells[p].achieved(), Some(d("0")));

    // Appraisal round 1: the unit supplied the report during giải trình; the council
    // recognises 3 points.
    let mut appraised = LayerEntry::new(Value::YesNo(true));
    appraised
        .evidence
        .push(evidence("Báo cáo theo dõi thi hành pháp luật năm 2025"));
    a.entries.get_mut("2.2").expect("2.2").appraisal_1 = Some(appraised);
    let r = score(&i, &a, View::Final);
    let n = r.node("2.2").expect("2.2");
    assert_eq!(
        (n.achieved, &n.status, n.source),
        (Some(d("3")), &Status::Scored, Some(Layer::Appraisal1))
    );
}
