//! Tests of `sheet`.

use super::*;

fn survey(no_answer_codes: &str) -> Survey {
    Survey::from_json(&format!(
        r#"{{"format": "chiso.survey/1", "id": "t", "title": {{"vi": "t"}}, "version": "1",
        "legal_basis": [], "unit_levels": [], "years": {{"from": 2024}}, "completeness": "example",
        "scale": {{"options": [{{"value": 1, "label": {{"vi": "1"}}}}, {{"value": 2, "label": {{"vi": "2"}}}},
            {{"value": 10, "label": {{"vi": "10"}}}}], "satisfied": [10], "no_answer_codes": [{no_answer_codes}]}},
        "policies": {{"no_answer": "exclude", "out_of_range": "error", "empty_item": "skip"}},
        "aggregation": {{"method": "respondent_pooling"}},
        "components": [{{"code": "C", "title": {{"vi": "C"}}, "blocks": [{{"code": "B", "title": {{"vi": "B"}},
            "items": [{{"code": "q", "title": {{"vi": "q"}}}}]}}]}}]}}"#
    ))
    .unwrap()
}

fn kind(s: &Survey, cell: &str) -> String {
    let layout = Layout {
        respondent: 0,
        unit: 1,
        stratum: None,
        weight: None,
        items: vec![2],
        width: 3,
    };
    let b = Builder::new(s, layout, &ReadOptions::default(), Vec::new());
    match b.classify(cell.as_bytes()) {
        CellKind::NoAnswer => "none".into(),
        CellKind::Position(p) => format!("pos {p}"),
        CellKind::OffScale => "off".into(),
        CellKind::NotAnAnswer => "text".into(),
    }
}

#[test]
fn answer_cells() {
    let s = survey(r#""99", "KTL""#);
    // Positions follow the declared order of the options: 1 → 1, 2 → 2, 10 → 3.
    for (cell, want) in [
        ("1", "pos 1"),
        (" 2 ", "pos 2"),
        ("10", "pos 3"),
        ("10.0", "pos 3"),
        ("2.00", "pos 2"),
        ("", "none"),
        ("  ", "none"),
        ("99", "none"),
        ("KTL", "none"),
        ("3", "off"),
        ("0", "off"),
        ("-1", "off"),
        ("1.5", "off"),
        ("101", "off"),
        ("70000", "off"),
        ("abc", "text"),
        ("1,5", "text"),
        ("ktl", "text"),
    ] {
        assert_eq!(kind(&s, cell), want, "cell {cell:?}");
    }
}

#[test]
fn weights_are_exact_integers_and_the_header_bom_is_skipped() {
    let s = survey("");
    let csv = "\u{feff}id,unit,weight,q\nr1,U,1.25,10\nr2,U,3,1\nr3,U,0.000000000001,2\n";
    let a = read_csv(&s, csv.as_bytes(), &ReadOptions::default()).unwrap();
    assert_eq!(a.weights, [1_250_000_000_000, 3_000_000_000_000, 1]);
    assert_eq!(a.weight_unit(), Decimal::new(1_000_000_000_000, 0));
    assert_eq!(a.codes, [3, 1, 2]);
    assert!(a.is_weighted() && !a.has_strata());
    // Without a weight column every weight is 1 and the unit is 1.
    let a = read_csv(
        &s,
        "id,unit,q,other\nr1,U,10,x\n".as_bytes(),
        &ReadOptions::default(),
    )
    .unwrap();
    assert_eq!((a.weight(0), a.weight_unit()), (1, Decimal::ONE));
    assert_eq!(a.ignored_columns(), ["other"]);
}

#[test]
fn an_empty_sheet_has_no_header() {
    let s = survey("");
    let e = read_csv(&s, "".as_bytes(), &ReadOptions::default()).unwrap_err();
    assert!(e.render(crate::Lang::En).contains("survey_no_header"));
}
