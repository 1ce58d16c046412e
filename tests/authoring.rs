//! Criteria authoring from tables: headers, STT codes, decimal commas, the rule column
//! syntax, the usual Vietnamese wording, located problems, and diff between sets.

mod common;

use chiso::assessment::Value;
use chiso::authoring::{
    header_field, import, parse_rule, read_number, recognise, rule_syntax, Field, Grid,
};
use chiso::diff::{diff, ChangeKind};
use chiso::index::IndexDefinition;
use chiso::rule::{Outcome, Rule};
use chiso::{Decimal, Problem};

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn points(rule: &Rule, max: &str, v: Value) -> Decimal {
    match rule.evaluate(Some(d(max)), &v).unwrap() {
        Outcome::Scored { points, .. } => points,
        o => panic!("{o:?}"),
    }
}

fn shipped(name: &str) -> IndexDefinition {
    let p = common::repo().join("criteria/par-index").join(name);
    chiso::load::index_definition(&std::fs::read_to_string(p).unwrap()).unwrap()
}

fn template() -> IndexDefinition {
    let mut t = shipped("camau-1880-2013-area1.json");
    t.nodes.clear();
    t.id = "test-import".into();
    t
}

fn grid(name: &str, rows: &[&[&str]]) -> Grid {
    Grid {
        name: name.into(),
        rows: rows
            .iter()
            .map(|r| r.iter().map(|s| s.to_string()).collect())
            .collect(),
    }
}

#[test]
fn headers_with_or_without_diacritics() {
    assert_eq!(header_field("STT"), Some(Field::Code));
    assert_eq!(header_field("Số TT"), Some(Field::Code));
    assert_eq!(
        header_field("Lĩnh vực/Tiêu chí/Tiêu chí thành phần"),
        Some(Field::Name)
    );
    assert_eq!(header_field("NOI DUNG"), Some(Field::Name));
    assert_eq!(header_field("Diem toi da"), Some(Field::Max));
    assert_eq!(header_field("Điểm\ntối đa"), Some(Field::Max));
    assert_eq!(header_field("Cach tinh diem"), Some(Field::Scoring));
    assert_eq!(header_field("Thang điểm"), Some(Field::Scoring));
    assert_eq!(header_field("Tài liệu kiểm chứng"), Some(Field::Evidence));
    assert_eq!(header_field("Quy tac cham"), Some(Field::Rule));
    assert_eq!(header_field("Điểm tự chấm"), None);
    assert_eq!(header_field("Điểm thẩm định"), None);
}

#[test]
fn vietnamese_decimal_commas() {
    assert_eq!(read_number("0,5").unwrap(), Some(d("0.5")));
    assert_eq!(read_number("1,0").unwrap(), Some(d("1")));
    assert_eq!(read_number("2,25 điểm").unwrap(), Some(d("2.25")));
    assert_eq!(read_number(" 2.5 ").unwrap(), Some(d("2.5")));
    assert_eq!(read_number("").unwrap(), None);
    assert!(read_number("1 điểm rưỡi").is_err());
}

#[test]
fn plan_completion_wording_becomes_tiers() {
    // Hand-worked: 100% → 1; 80% ≤ x < 100% → 0,5; under 80% → 0.
    let r = recognise(
        "Hoàn thành 100% kế hoạch: 1 điểm; từ 80% đến dưới 100%: 0,5 điểm; dưới 80%: 0 điểm",
        Some(d("1")),
    )
    .unwrap();
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    let p = |x: &str| points(&r.rule, "1", Value::Percent(d(x)));
    assert_eq!(p("100"), d("1"));
    assert_eq!(p("99.99"), d("0.5"));
    assert_eq!(p("80"), d("0.5"));
    assert_eq!(p("79.99"), d("0"));
}

#[test]
fn timeliness_wording() {
    let r = recognise(
        "Ban hành kịp thời: 1 / không kịp thời: 0,5 / không ban hành: 0",
        Some(d("1")),
    )
    .unwrap();
    let p = |k: &str| points(&r.rule, "1", Value::Option(k.into()));
    assert_eq!(p("on_time"), d("1"));
    assert_eq!(p("late"), d("0.5"));
    assert_eq!(p("not_done"), d("0"));
}

#[test]
fn ambiguous_bound_is_reported_and_read_like_the_camau_file() {
    // Cà Mau 1.1.4 (par-index.md §8): "trên 90%" next to "từ 70% - 90%".
    let text = "Thực hiện trên 90% kế hoạch: 2 / Thực hiện từ 70% - 90% kế hoạch: 1 / Dưới 70% kế hoạch: 0";
    let r = recognise(text, Some(d("2"))).unwrap();
    assert!(
        r.warnings
            .iter()
            .any(|w| matches!(w, Problem::AmbiguousBound { value, .. } if *value == d("90"))),
        "{:?}",
        r.warnings
    );
    let camau = shipped("camau-1880-2013-area1.json");
    let n114 = &camau.nodes[0].children[0].children[3];
    assert_eq!(n114.code, "1.1.4");
    let (Rule::Tiers { tiers: got, .. }, Some(Rule::Tiers { tiers: want, .. })) =
        (&r.rule, &n114.rule)
    else {
        panic!("tiers expected")
    };
    let ranges =
        |t: &[chiso::rule::Tier]| t.iter().map(|x| (x.range, x.points)).collect::<Vec<_>>();
    assert_eq!(ranges(got), ranges(want));
}

#[test]
fn rule_column_syntax() {
    let r = parse_rule("tiers: >=100%: 1; >=80%: 0,5; else: 0", Some(d("1"))).unwrap();
    assert_eq!(points(&r, "1", Value::Percent(d("100"))), d("1"));
    assert_eq!(points(&r, "1", Value::Percent(d("80"))), d("0.5"));
    assert_eq!(points(&r, "1", Value::Percent(d("79"))), d("0"));
    let r = parse_rule("deduct 0,25 per incident", Some(d("1"))).unwrap();
    let counts = Value::Counts([("incident".to_string(), d("3"))].into());
    assert_eq!(points(&r, "1", counts), d("0.25"));
    let r = parse_rule(
        "levels: Tốt=2,5; Đầy đủ=2; Chưa đầy đủ=1; Không=0",
        Some(d("2.5")),
    )
    .unwrap();
    assert_eq!(points(&r, "2.5", Value::Option("day_du".into())), d("2"));
    let r = parse_rule("proportional threshold 90%", Some(d("6"))).unwrap();
    // QĐ 766 5.4 style: 6 × min(1, 45% / 90%) = 3.
    assert_eq!(
        points(
            &r,
            "6",
            Value::Ratio {
                numerator: d("45"),
                denominator: d("100")
            }
        ),
        d("3")
    );
    assert!(parse_rule("tiers: >=100%: một", None).is_err());
    assert!(parse_rule("magic", None).is_err());
    // Every rule of a shipped set writes and reads back the same.
    let camau = shipped("camau-1880-2013-area1.json");
    fn leaves(n: &chiso::node::Node, out: &mut Vec<(Rule, Option<Decimal>)>) {
        if let Some(r) = &n.rule {
            out.push((r.clone(), n.max_points));
        }
        n.children.iter().for_each(|c| leaves(c, out));
    }
    let mut all = Vec::new();
    camau.nodes.iter().for_each(|n| leaves(n, &mut all));
    assert!(all.len() >= 7);
    for (r, m) in all {
        assert_eq!(parse_rule(&rule_syntax(&r, m), m).unwrap(), r);
    }
}

/// A hand-made table in the messy style of real annexes (Cà Mau 1880/QĐ-UBND area 1):
/// a title row, diacritic-less headers in another order, the "(1) (2) (3)" numbering
/// row, merged cells (wording continued on blank rows), blank spacer rows, "1,0".
fn messy() -> Grid {
    grid(
        "Phu luc",
        &[
            &["BẢNG TIÊU CHÍ XÁC ĐỊNH CHỈ SỐ CCHC", "", "", "", ""],
            &["", "", "", "", ""],
            &["Noi dung", "STT", "Cach cham diem", "Diem toi da", "Tai lieu kiem chung"],
            &["(2)", "(1)", "(4)", "(3)", "(5)"],
            &["CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC", "1", "", "", ""],
            &["Kế hoạch CCHC năm", "1.1", "", "5,0", ""],
            &["Ban hành kế hoạch CCHC năm", "1.1.1", "Ban hành kịp thời: 1", "1,0", "Kế hoạch"],
            &["", "", "Ban hành không kịp thời: 0,5", "", ""],
            &["", "", "Không ban hành: 0", "", ""],
            &["", "", "", "", ""],
            &["Xác định đầy đủ các nhiệm vụ CCHC", "1.1.2", "Đạt yêu cầu: 1 / Không đạt yêu cầu: 0", "1", ""],
            &["Các kết quả phải đạt được xác định rõ ràng", "1.1.3", "Đạt yêu cầu: 1 / Không đạt yêu cầu: 0", "1", ""],
            &["Mức độ thực hiện kế hoạch CCHC", "1.1.4", "Thực hiện trên 90% kế hoạch: 2 / Thực hiện từ 70% - 90% kế hoạch: 1 / Dưới 70% kế hoạch: 0", "2", ""],
            &["Báo cáo CCHC", "1.2", "", "2", ""],
            &["Tất cả báo cáo được gửi đúng thời gian quy định", "1.2.1", "Đủ số lượng và đúng thời gian quy định: 1 / Không đủ số lượng báo cáo hoặc không đúng thời gian quy định: 0", "1", ""],
            &["Tất cả báo cáo có đầy đủ nội dung theo hướng dẫn", "1.2.2", "Đạt yêu cầu: 1 / Không đạt yêu cầu: 0", "1", ""],
            &["", "", "", "", ""],
            &["Tổng cộng", "", "", "7", ""],
        ],
    )
}

#[test]
fn messy_annex_table_imports() {
    let imp = import(&[messy()], &template()).unwrap();
    let def = &imp.definition;
    assert_eq!(def.max_points, Some(d("7")));
    let area = &def.nodes[0];
    assert_eq!(area.code, "1");
    assert_eq!(area.max_points, None);
    let c11 = &area.children[0];
    assert_eq!((c11.code.as_str(), c11.max_points), ("1.1", Some(d("5"))));
    let codes: Vec<&str> = c11.children.iter().map(|n| n.code.as_str()).collect();
    assert_eq!(codes, ["1.1.1", "1.1.2", "1.1.3", "1.1.4"]);
    let c111 = &c11.children[0];
    assert_eq!(c111.max_points, Some(d("1")));
    assert_eq!(
        c111.scoring_text.as_ref().unwrap().vi,
        "Ban hành kịp thời: 1\nBan hành không kịp thời: 0,5\nKhông ban hành: 0"
    );
    // Same points as the hand-encoded Cà Mau file for 1.1.1.
    let camau = shipped("camau-1880-2013-area1.json");
    let want = camau.nodes[0].children[0].children[0].rule.clone().unwrap();
    let got = c111.rule.clone().unwrap();
    for k in ["on_time", "late", "not_done"] {
        assert_eq!(
            points(&got, "1", Value::Option(k.into())),
            points(&want, "1", Value::Option(k.into()))
        );
    }
    // The ambiguous 90% bound is a located warning on the scoring cell (column C, row 13).
    let w: Vec<_> = imp
        .warnings
        .0
        .iter()
        .filter(|w| matches!(w.problem, Problem::AmbiguousBound { .. }))
        .collect();
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].path, "'Phu luc'!C13");
    assert_eq!(w[0].code.as_deref(), Some("1.1.4"));
    // The result is a valid index.
    chiso::Index::new(def.clone()).unwrap();
}

#[test]
fn every_problem_is_reported_with_sheet_row_column() {
    let g = grid(
        "Bang",
        &[
            &[
                "STT",
                "Tiêu chí",
                "Điểm tối đa",
                "Cách chấm điểm",
                "Quy tắc chấm",
            ],
            &["1", "Lĩnh vực", "2", "", ""],
            &["1.1", "Tiêu chí A", "một", "", "discretionary"],
            &["??", "Tiêu chí B", "1", "", "discretionary"],
            &["1.2", "Tiêu chí C", "1", "", "tiers: >=100%: 3"],
            &["1.3", "Tiêu chí D", "1", "", "magic"],
            &["", "Tiêu chí không STT", "1", "", ""],
        ],
    );
    let err = import(&[g], &template()).unwrap_err();
    let at = |p: &str| err.0.iter().any(|d| d.path == p);
    assert!(at("'Bang'!C3"), "{}", err.render(chiso::Lang::En)); // "một"
    assert!(at("'Bang'!A4")); // "??"
    assert!(at("'Bang'!E5")); // 3 points above max 1
    assert!(at("'Bang'!E6")); // unknown rule
    assert!(at("'Bang'!A7")); // no STT
    assert!(err.errors().count() >= 5);
}

#[test]
fn roman_arabic_letter_codes_nest() {
    let g = grid(
        "S",
        &[
            &["TT", "Nội dung", "Điểm tối đa", "Quy tắc chấm"],
            &["I", "Phần I", "", ""],
            &["1", "Tiêu chí 1", "", ""],
            &["a", "Ý a", "1", "yes_no"],
            &["b", "Ý b", "1", "yes_no"],
            &["2", "Tiêu chí 2", "1", "discretionary"],
            &["II", "Phần II", "", ""],
            &["1", "Tiêu chí 1 phần II", "0,5", "yes_no"],
        ],
    );
    let def = import(&[g], &template()).unwrap().definition;
    let codes: Vec<&str> = def.nodes.iter().map(|n| n.code.as_str()).collect();
    assert_eq!(codes, ["I", "II"]);
    let i1: Vec<&str> = def.nodes[0].children[0]
        .children
        .iter()
        .map(|n| n.code.as_str())
        .collect();
    assert_eq!(i1, ["I.1.a", "I.1.b"]);
    assert_eq!(def.nodes[0].children[1].code, "I.2");
    assert_eq!(def.nodes[1].children[0].code, "II.1");
    assert_eq!(def.nodes[1].children[0].max_points, Some(d("0.5")));
}

#[test]
fn diff_between_2948_and_876_province_frames() {
    let old = shipped("national-2948-2017-province-areas.json");
    let new = shipped("national-876-2022-province-structure.json");
    let dd = diff(&old, &new);
    let has = |k: ChangeKind, code: &str| dd.changes.iter().any(|c| c.kind == k && c.code == code);
    // 2948: area 2 is "Xây dựng và tổ chức thực hiện văn bản quy phạm pháp luật…" (10);
    // 876: area 2 is "Cải cách thể chế" with no public maximum.
    assert!(has(ChangeKind::Renamed, "2"));
    assert!(has(ChangeKind::MaxChanged, "1"));
    let c = dd
        .changes
        .iter()
        .find(|c| c.kind == ChangeKind::MaxChanged && c.code == "1")
        .unwrap();
    assert_eq!(c.old.as_deref(), Some("10"));
    assert_eq!(c.new.as_deref(), Some("—"));
    // Same set against itself: nothing changed.
    assert!(diff(&old, &old).changes.is_empty());
}
