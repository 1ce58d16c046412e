//! The shipped 1001-style definition, definition files, schemas and definition errors.

#![allow(clippy::unwrap_used)]
use super::*;

// ---------------------------------------------------------------------------
// The shipped definition

#[test]
fn shipped_definition_has_the_reference_structure() {
    // sipas.md §2: Q9 has 39 items, 23 policy + 16 service, in 9 blocks of
    // 2, 2, 9, 10 | 3, 4, 3, 3, 3 items; keys q9_sat_1 … q9_sat_39.
    let s = shipped();
    let def = s.definition();
    assert_eq!(s.scored_items(), 39);
    let codes: Vec<String> = (1..=39).map(|i| format!("q9_sat_{i}")).collect();
    assert_eq!(s.item_codes(), codes.as_slice());
    let per_block: Vec<usize> = def
        .components
        .iter()
        .flat_map(|c| c.blocks.iter().map(|b| b.items.len()))
        .collect();
    assert_eq!(per_block, [2, 2, 9, 10, 3, 4, 3, 3, 3]);
    let per_component: Vec<usize> = def
        .components
        .iter()
        .map(|c| c.blocks.iter().map(|b| b.items.len()).sum())
        .collect();
    assert_eq!(per_component, [23, 16]);
    let blocks: Vec<&str> = def
        .components
        .iter()
        .flat_map(|c| c.blocks.iter().map(|b| b.code.as_str()))
        .collect();
    assert_eq!(
        blocks,
        ["I.A", "I.B", "I.C", "I.D", "II.A", "II.B", "II.C", "II.D", "II.E"]
    );
    // Scale 1–5 with the verbatim labels; satisfied = 4, 5 (inferred, said in notes).
    let labels: Vec<&str> = def
        .scale
        .options
        .iter()
        .map(|o| o.label.vi.as_str())
        .collect();
    assert_eq!(
        labels,
        [
            "Rất không hài lòng",
            "Không hài lòng",
            "Bình thường",
            "Hài lòng",
            "Rất hài lòng"
        ]
    );
    assert_eq!(def.scale.satisfied, [4, 5]);
    // Legal basis and what is not published.
    assert_eq!(def.legal_basis[0].decision, "1001/QĐ-BNV");
    assert_eq!(def.legal_basis[0].date.as_deref(), Some("2023-12-11"));
    let notes = def
        .notes
        .iter()
        .map(|n| n.en.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    for needle in [
        "not publicly available",
        "inferred",
        "83.965",
        "51 satisfaction indicators",
    ] {
        assert!(notes.contains(needle), "notes must say {needle:?}");
    }
    assert_eq!(s.nodes().len(), 1 + 2 + 9 + 39);
}

#[test]
fn every_survey_definition_under_criteria_loads() {
    let mut n = 0;
    for entry in std::fs::read_dir(common::repo().join("criteria/sipas")).unwrap() {
        let p = entry.unwrap().path();
        if p.to_string_lossy().ends_with(".survey.json") {
            Survey::from_file(&p).unwrap_or_else(|d| panic!("{}", d.render(Lang::En)));
            n += 1;
        }
    }
    assert!(n >= 1);
}

#[test]
fn checked_in_survey_schemas_are_current() {
    use chiso::schema::{schema_json, Document};
    for doc in [Document::Survey, Document::SurveyResult] {
        let path = common::repo().join("criteria/schema").join(doc.file_name());
        let old = std::fs::read_to_string(&path).unwrap();
        assert!(
            old == schema_json(doc),
            "{} is stale: CHISO_UPDATE_SCHEMAS=1 cargo test --test schema",
            path.display()
        );
    }
    let schema: Json = serde_json::from_str(&schema_json(Document::Survey)).unwrap();
    for field in ["format", "scale", "policies", "aggregation", "components"] {
        assert!(schema["required"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r == field));
    }
}

#[test]
fn definition_errors_are_all_reported() {
    let item = |c: &str| json!({"code": c, "title": {"vi": c}});
    let def = json!({
        "format": "chiso.survey/1", "id": "bad", "title": {"vi": "x"}, "version": "1",
        "legal_basis": [], "unit_levels": [], "years": {"from": 2024}, "completeness": "example",
        "scale": {"options": [{"value": 1, "label": {"vi": "1"}}, {"value": 1, "label": {"vi": "1"}}],
                  "satisfied": [4], "no_answer_codes": ["1"]},
        "policies": {"no_answer": "exclude", "out_of_range": "error", "empty_item": "skip"},
        "aggregation": {"method": "hierarchical", "block_weights": "equal",
                        "component_weights": {"declared": {"P": "0", "Q": "1"}}},
        "components": [
            {"code": "P", "title": {"vi": "P"}, "blocks": [
                {"code": "P1", "title": {"vi": "P1"}, "items": [item("a"), item("unit")]},
                {"code": "P1", "title": {"vi": "P1 again"}, "items": []}]},
            {"code": "S", "title": {"vi": "S"}, "blocks": []}
        ]
    });
    let d = Survey::from_json(&def.to_string()).unwrap_err();
    insta::assert_snapshot!(
        "definition_errors",
        format!("{}\n---\n{}", d.render(Lang::Vi), d.render(Lang::En))
    );
    assert_eq!(d.len(), 10);
}
