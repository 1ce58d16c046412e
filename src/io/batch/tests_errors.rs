//! The batch's row errors as diagnostics: stable codes, structured locations, both
//! languages.

#![allow(clippy::unwrap_used)]

use super::tests_scorer::mixed;
use super::*;
use crate::diagnostics::{Location, Problem, Severity};

fn codes(e: &[RowError]) -> Vec<&'static str> {
    e.iter().map(|e| e.code.as_str()).collect()
}

#[test]
fn row_errors_carry_a_stable_code_and_a_location() {
    let index = mixed();
    let header = [
        "unit", "block", "1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "2.4", "bonus", "penalty",
    ];
    let mut s = Scorer::new(&index, &header, Lang::Vi).unwrap();
    let row: Vec<&[u8]> = vec![
        b" ", b"", b"maybe", b"late", b"1/2", b"1", b"95%", b"fair", b"2.1", b"0", b"9", b"",
    ];
    let e = s.score_row(17, &row).unwrap_err();
    assert_eq!(
        codes(&e),
        [
            "batch_empty_unit",
            "batch_unreadable_value",
            "batch_points_above_max"
        ]
    );
    let bad = &e[1];
    assert_eq!(bad.location(), Location::row(17).column("1.1"));
    assert_eq!(bad.value.as_deref(), Some("maybe"));
    // Both languages kept; `message` is the run's language.
    assert_eq!(bad.message, bad.vi);
    assert_ne!(bad.vi, bad.en);
    assert!(bad
        .render("u.csv", Lang::En)
        .starts_with("u.csv row 17, column 1.1: 'maybe' "));
    assert!(bad
        .render("u.csv", Lang::Vi)
        .starts_with("u.csv dòng 17, cột 1.1: 'maybe' "));
    let d = bad.to_diagnostic("u.csv");
    assert_eq!(d.problem.stable_code(), "batch_unreadable_value");
    assert_eq!(d.severity, Severity::Error);
    assert_eq!(d.file.as_deref(), Some("u.csv"));
    assert_eq!(d.location, Some(Location::row(17).column("1.1")));
    assert_eq!(d.path, "row 17, column \"1.1\"");
    let Problem::Coded { text, vi, en, .. } = &d.problem else {
        panic!("{d:?}")
    };
    assert_eq!((text.as_str(), vi, en), ("maybe", &bad.vi, &bad.en));

    // A row of the wrong width: the row, no column.
    let e = s.score_row(5, &row[..3]).unwrap_err();
    assert_eq!(codes(&e), ["batch_wrong_width"]);
    assert_eq!(e[0].location(), Location::row(5));
}

#[test]
fn header_and_file_errors_have_their_codes() {
    let index = mixed();
    let e = Scorer::new(&index, &["name", "1", "zzz", ""], Lang::En).unwrap_err();
    assert_eq!(
        codes(&e),
        [
            "batch_unknown_column",
            "batch_bad_header",
            "batch_unknown_column",
            "batch_bad_header",
            "batch_missing_columns",
            "batch_missing_columns"
        ]
    );
    assert_eq!(e[2].location(), Location::row(1).column("zzz"));
    // The file as a whole.
    let none = RowError::no_units(Lang::En);
    assert_eq!(none.location(), Location::File);
    assert_eq!(
        none.to_diagnostic("u.csv").problem.stable_code(),
        "batch_no_units"
    );
}

#[test]
fn a_duplicate_unit_is_a_warning_at_both_rows() {
    let index = Index::from_json(
        r#"{"format":"chiso.index/1","id":"t","title":{"vi":"T"},"version":"1",
      "legal_basis":[],"unit_levels":["province"],"years":{"from":2024},"completeness":"example",
      "nodes":[{"code":"A","title":{"vi":"A"},"rule":{"type":"score"}}]}"#,
    )
    .unwrap();
    let mut out = Vec::new();
    let s = run(
        &index,
        &b"unit,A\nX,1\nY,2\nX,3\n"[..],
        InputFormat::Csv,
        io::Cursor::new(Vec::new()),
        &mut out,
        &Options::default(),
    )
    .unwrap();
    let w = &s.warnings[0];
    assert_eq!(w.code, RowCode::DuplicateUnit);
    assert_eq!(w.location(), Location::row(2).and_row(4).column("unit"));
    let d = w.to_diagnostic("u.csv");
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!(d.problem.stable_code(), "batch_duplicate_unit");
}

#[test]
fn a_json_line_that_is_no_assessment_is_unreadable() {
    let index = mixed();
    let mut out = Vec::new();
    let e = run(
        &index,
        &b"{\"unit\": \n"[..],
        InputFormat::JsonLines,
        io::Cursor::new(Vec::new()),
        &mut out,
        &Options::default(),
    )
    .unwrap_err();
    let BatchError::Input { errors, .. } = e else {
        panic!("{e}")
    };
    assert_eq!(codes(&errors), ["batch_unreadable"]);
    assert_eq!(errors[0].location(), Location::row(1));
}
