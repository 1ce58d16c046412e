//! SIPAS from answer sheets (`chiso::survey`): the shipped 1001-style definition,
//! hand-worked small surveys (the working is in the comments), every no-answer and
//! out-of-range policy, every aggregation, weights, the published national figures as
//! known-answer tests, located errors (insta snapshots in Vietnamese and English),
//! bootstrap properties, sample sizes and the PAR INDEX hand-off.
//!
//! One module per concept under `tests/survey/`; the independent polars comparison is
//! `tests/survey/peer.rs`.

mod common;
#[path = "survey/definition.rs"]
mod definition;
#[path = "survey/estimates.rs"]
mod estimates;
#[path = "survey/handoff.rs"]
mod handoff;
#[path = "survey/peer.rs"]
mod peer;
#[path = "survey/reading.rs"]
mod reading;
#[path = "survey/uncertainty.rs"]
mod uncertainty;

use chiso::survey::bootstrap::replicates;
use chiso::survey::par::{criterion_entry, criterion_value, HandOffError};
use chiso::survey::sample_size::{add_sample_sizes, design_effects};
use chiso::survey::{
    bootstrap, estimate, minimum_sample_size, read_csv, read_json_lines, read_rows,
    BootstrapOptions, Level, ReadOptions, Survey, SurveyError, SurveyResult, UnitResult,
};
use chiso::{Decimal, Lang};
use serde_json::{json, Value as Json};
use std::str::FromStr;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// `num / den` (an exact fraction written by hand) to 20 decimal places.
fn frac(num: i64, den: i64) -> Decimal {
    (Decimal::from(num) / Decimal::from(den)).round_dp(20)
}

/// Asserts that `actual` equals the hand-worked fraction `num / den` to 20 decimal places.
#[track_caller]
fn eq(actual: Option<Decimal>, num: i64, den: i64) {
    let a = actual.unwrap_or_else(|| panic!("no value, expected {num}/{den}"));
    assert_eq!(a.round_dp(20), frac(num, den), "{a} ≠ {num}/{den}");
}

fn shipped() -> Survey {
    let path = common::repo().join("criteria/sipas/sipas-1001-2023-q9.survey.json");
    Survey::from_file(&path).unwrap()
}

// ---------------------------------------------------------------------------
// A hand-worked mini survey

/// Two components: P (blocks P1 = items a, b; P2 = item c) and S (block S1 = items d, e);
/// scale 1–5, satisfied = 4, 5. Illustrative, not an official form.
fn mini(edit: impl FnOnce(&mut Json)) -> Survey {
    let item = |c: &str| json!({"code": c, "title": {"vi": c}});
    let options: Vec<Json> = (1..=5)
        .map(|v| json!({"value": v, "label": {"vi": v.to_string()}}))
        .collect();
    let mut def = json!({
        "format": "chiso.survey/1",
        "id": "mini",
        "title": {"vi": "Phiếu thử", "en": "Test survey"},
        "version": "1",
        "legal_basis": [],
        "unit_levels": ["commune"],
        "years": {"from": 2024, "to": 2024},
        "completeness": "example",
        "scale": {
            "options": options,
            "satisfied": [4, 5]
        },
        "policies": {"no_answer": "exclude", "out_of_range": "error", "empty_item": "skip"},
        "aggregation": {"method": "hierarchical", "block_weights": "equal", "component_weights": "equal"},
        "components": [
            {"code": "P", "title": {"vi": "P"}, "blocks": [
                {"code": "P1", "title": {"vi": "P1"}, "items": [item("a"), item("b")]},
                {"code": "P2", "title": {"vi": "P2"}, "items": [item("c")]}]},
            {"code": "S", "title": {"vi": "S"}, "blocks": [
                {"code": "S1", "title": {"vi": "S1"}, "items": [item("d"), item("e")]}]}
        ]
    });
    edit(&mut def);
    Survey::from_json(&def.to_string()).unwrap_or_else(|d| panic!("{}", d.render(Lang::En)))
}

/// Unit X: four respondents, r2 did not answer e. Unit Y: two respondents.
const MINI: &str = "\
id,unit,a,b,c,d,e
r1,X,5,4,3,2,4
r2,X,4,2,5,4,
r3,X,3,5,4,5,5
r4,X,1,4,4,3,2
r5,Y,5,5,5,5,5
r6,Y,4,3,4,4,4
";

fn run(survey: &Survey, csv: &str) -> Result<SurveyResult, SurveyError> {
    let opts = ReadOptions {
        source: "answers.csv".into(),
        ..Default::default()
    };
    let answers = read_csv(survey, csv.as_bytes(), &opts)?;
    estimate(survey, &answers)
}

fn unit<'a>(r: &'a SurveyResult, name: &str) -> &'a UnitResult {
    r.units.iter().find(|u| u.unit == name).unwrap()
}

fn rate(u: &UnitResult, code: &str) -> Option<Decimal> {
    u.node(code).unwrap().satisfaction_rate
}

fn mean(u: &UnitResult, code: &str) -> Option<Decimal> {
    u.node(code).unwrap().mean_score
}
