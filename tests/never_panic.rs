//! Never panic on input: every library entry point that reads text or bytes returns `Ok`
//! or `Err`, whatever it is given — fully arbitrary bytes, and shipped valid files mutated
//! (bytes flipped, inserted, deleted; numbers swapped for huge, negative or NaN-like text;
//! lines duplicated or dropped; the file cut short) so the input gets past the syntax
//! check into the deep code (validation, scoring, judging, estimating).
//!
//! `tests/properties.rs` already feeds random text to `load::index_definition` and
//! `load::assessment`; this file covers every other reader and drives both of those
//! further (validate → score). [`mutations_reach_deep_code`] checks that the mutated inputs
//! really get there: a share of them must be accepted and go all the way, otherwise the
//! properties would only test the syntax errors.
#![cfg(not(target_arch = "wasm32"))]

use chiso::assessment::Assessment;
use chiso::authoring::{import, Grid};
use chiso::batch::{run_in_memory, InputFormat, Options as BatchOptions};
use chiso::calendar::{parse_local_time, NaiveDate, WorkingCalendar};
use chiso::index::IndexDefinition;
use chiso::planner::{plan, Costs, Target};
use chiso::records::publications;
use chiso::records::{analyse, Mapping, Options as RecordOptions, Period, RecordFormat};
use chiso::scenario::{self, Base};
use chiso::sensitivity::{self, parse_spec, RunOptions, Units};
use chiso::survey::{estimate, read_csv, read_json_lines, ReadOptions, Survey};
use chiso::{Index, Lang, View};
use proptest::prelude::*;
use std::path::PathBuf;
use std::sync::OnceLock;

// ---------------------------------------------------------------------------------------
// Shipped files (read from the repository at run time)
// ---------------------------------------------------------------------------------------

fn read(path: &str) -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn text(path: &str) -> String {
    String::from_utf8(read(path)).expect("shipped files are UTF-8")
}

struct Shipped {
    dept_index_text: String,
    dept: Index,
    dept_assessment: Assessment,
    dept_assessment_text: String,
    dept_scenario: String,
    dept_costs: String,
    dept_jsonl: String,
    papi: Index,
    papi_csv: Vec<u8>,
    papi_units: Units,
    papi_spec: String,
    dossiers_csv: Vec<u8>,
    dossiers_jsonl: Vec<u8>,
    publications_csv: String,
    publications_jsonl: String,
    sipas_text: String,
    sipas: Survey,
    sipas_csv: Vec<u8>,
    sipas_jsonl: Vec<u8>,
    calendar: String,
    annex: Vec<u8>,
    annex_template: IndexDefinition,
}

fn shipped() -> &'static Shipped {
    static S: OnceLock<Shipped> = OnceLock::new();
    S.get_or_init(|| {
        let dept_index_text = text("criteria/examples/department-example.json");
        let dept = Index::from_json(&dept_index_text).expect("department example");
        let dept_assessment_text = text("criteria/examples/department-example.assessment.json");
        let dept_assessment =
            chiso::load::assessment(&dept_assessment_text).expect("department assessment");
        // Three units as JSON lines (one document per line).
        let mut dept_jsonl = String::new();
        for name in ["Sở A", "Sở B", "Sở C"] {
            let mut a = dept_assessment.clone();
            a.unit.name = name.into();
            dept_jsonl.push_str(&serde_json::to_string(&a).expect("serialise"));
            dept_jsonl.push('\n');
        }
        let papi = Index::from_json(&text("criteria/papi/papi-2021-2024.json")).expect("papi");
        let papi_csv = read("examples-data/papi-2023-sample.csv");
        let papi_units = Units::from_csv(&papi, &papi_csv, Lang::En).expect("papi units");
        let sipas_text = text("criteria/sipas/sipas-1001-2023-q9.survey.json");
        let sipas = Survey::from_json(&sipas_text).expect("sipas");
        let sipas_csv = read("examples-data/sipas-sample.csv");
        let sipas_jsonl = csv_to_jsonl(&sipas_csv);
        let mut annex_template =
            chiso::load::index_definition(&text("criteria/par-index/camau-1880-2013-area1.json"))
                .expect("template");
        annex_template.nodes.clear();
        annex_template.id = "never-panic-import".into();
        Shipped {
            dept_index_text,
            dept,
            dept_assessment,
            dept_assessment_text,
            dept_scenario: text("criteria/examples/department-example.scenario.json"),
            dept_costs: text("criteria/examples/department-example.costs.json"),
            dept_jsonl,
            papi,
            papi_csv,
            papi_units,
            papi_spec: text("criteria/examples/papi-sensitivity.spec.json"),
            dossiers_csv: read("examples-data/dossiers-sample.csv"),
            dossiers_jsonl: read("tests/fixtures/records/tet-2026.jsonl"),
            publications_csv: text("examples-data/publications-sample.csv"),
            publications_jsonl: text("tests/fixtures/publications/tet-and-may-2026.jsonl"),
            sipas_text,
            sipas,
            sipas_csv,
            sipas_jsonl,
            calendar: text("data/calendar/vn_civil_service_calendar_2018_2026.csv"),
            annex: read("criteria/examples/par-2025-commune.csv"),
            annex_template,
        }
    })
}

/// The SIPAS sample sheet as JSON lines (answers as numbers, empty cells as null).
fn csv_to_jsonl(csv_bytes: &[u8]) -> Vec<u8> {
    let mut rdr = csv::Reader::from_reader(csv_bytes);
    let header: Vec<String> = rdr
        .headers()
        .expect("header")
        .iter()
        .map(str::to_owned)
        .collect();
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec.expect("row");
        let mut obj = serde_json::Map::new();
        for (h, v) in header.iter().zip(rec.iter()) {
            let value = match v.parse::<u64>() {
                Ok(n) if h.starts_with('q') => serde_json::Value::from(n),
                _ if v.is_empty() => serde_json::Value::Null,
                _ => serde_json::Value::from(v),
            };
            obj.insert(h.clone(), value);
        }
        out.extend(serde_json::to_vec(&obj).expect("json"));
        out.push(b'\n');
    }
    out
}

// ---------------------------------------------------------------------------------------
// Mutations
// ---------------------------------------------------------------------------------------

/// A small deterministic generator (splitmix64), driven by a proptest seed.
struct Gen(u64);
impl Gen {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

/// Text put in place of a number: beyond the decimal range, at the 10¹⁵ limit, negative,
/// NaN-like, exponents, fractions by zero, other digits.
const HOSTILE_NUMBERS: &[&str] = &[
    "99999999999999999999999999999999",
    "79228162514264337593543950336",
    "1000000000000000",
    "999999999999999.9999",
    "1e308",
    "1e-400",
    "-1",
    "-0",
    "-999999999999999",
    "NaN",
    "inf",
    "-Infinity",
    "0.0000000000000000000000000001",
    "18446744073709551616",
    "4294967296",
    "0",
    "",
    "1/0",
    "0/0",
    "١٢",
    "１２",
    "1,5",
    "0x10",
    "+5",
    "12:99",
    "2026-02-30",
    "99991231235959",
];

/// Numbers that keep a file meaningful (for the "reaches deep code" check).
const PLAIN_NUMBERS: &[&str] = &["0", "1", "2", "3", "5", "10", "50", "90", "100", "0.5"];

/// Bytes inserted by the byte-level mutations.
const HOSTILE_BYTES: &[u8] = b"\"{}[],:;\n\r\0-.e9%/\\ \t\xff\xc3\xa1\x80";

/// Byte ranges of the numbers (digits, with `.`) in `b`.
fn numbers(b: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() {
            let start = i;
            while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
                i += 1;
            }
            out.push((start, i));
        } else {
            i += 1;
        }
    }
    out
}

fn line_starts(b: &[u8]) -> Vec<usize> {
    std::iter::once(0)
        .chain(
            b.iter()
                .enumerate()
                .filter(|(_, c)| **c == b'\n')
                .map(|(i, _)| i + 1),
        )
        .filter(|&i| i < b.len())
        .collect()
}

fn line_at(b: &[u8], starts: &[usize], k: usize) -> (usize, usize) {
    let s = starts[k];
    let e = starts.get(k + 1).copied().unwrap_or(b.len());
    (s, e)
}

/// One mutation of `b`, chosen by `g`.
fn mutate_once(b: &mut Vec<u8>, g: &mut Gen) {
    let len = b.len();
    match g.below(9) {
        0 if len > 0 => {
            let i = g.below(len);
            b[i] ^= 1 << g.below(8);
        }
        1 => {
            let i = g.below(len + 1);
            b.insert(i, *g.pick(HOSTILE_BYTES));
        }
        2 if len > 0 => {
            let i = g.below(len);
            let n = (1 + g.below(16)).min(len - i);
            b.drain(i..i + n);
        }
        3..=5 => {
            let ns = numbers(b);
            if !ns.is_empty() {
                let (s, e) = *g.pick(&ns);
                let with = g.pick(HOSTILE_NUMBERS).as_bytes();
                b.splice(s..e, with.iter().copied());
            }
        }
        6 => {
            let starts = line_starts(b);
            if !starts.is_empty() {
                let (s, e) = line_at(b, &starts, g.below(starts.len()));
                let line = b[s..e].to_vec();
                b.splice(s..s, line);
            }
        }
        7 => {
            let starts = line_starts(b);
            if starts.len() > 1 {
                let (s, e) = line_at(b, &starts, 1 + g.below(starts.len() - 1));
                b.drain(s..e);
            }
        }
        _ => {
            let cut = g.below(len + 1);
            b.truncate(cut);
        }
    }
}

/// `base` with one to `ops` mutations.
fn mutate(base: &[u8], seed: u64, ops: usize) -> Vec<u8> {
    let mut g = Gen(seed);
    let mut b = base.to_vec();
    for _ in 0..1 + g.below(ops.max(1)) {
        mutate_once(&mut b, &mut g);
    }
    b
}

/// `base` with one number replaced by a plain one: usually still a valid file.
fn mutate_lightly(base: &[u8], seed: u64) -> Vec<u8> {
    let mut g = Gen(seed);
    let mut b = base.to_vec();
    let ns = numbers(&b);
    if !ns.is_empty() {
        let (s, e) = *g.pick(&ns);
        b.splice(s..e, g.pick(PLAIN_NUMBERS).bytes());
    }
    b
}

fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

// ---------------------------------------------------------------------------------------
// Entry points: each returns how far the input got
// ---------------------------------------------------------------------------------------

/// How far an input went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Depth {
    /// Refused by the reader (syntax, shape, encoding, limits).
    Refused,
    /// Read, then refused by a later step (validation, checks).
    Read,
    /// Went all the way (scored, judged, estimated, imported).
    Deep,
}

fn depth<T, E>(r: &Result<T, E>) -> Depth {
    if r.is_ok() {
        Depth::Deep
    } else {
        Depth::Read
    }
}

/// Index text → validate → check and score the example assessment → batch.
fn index_entry(b: &[u8]) -> Depth {
    let s = shipped();
    let _ = chiso::load::read_bytes(b);
    let Ok(def) = chiso::load::index_definition(&lossy(b)) else {
        return Depth::Refused;
    };
    let Ok(index) = Index::new(def) else {
        return Depth::Read;
    };
    let _ = index.check_assessment(&s.dept_assessment);
    let scored = index.score(&s.dept_assessment, View::Final);
    let _ = run_in_memory(
        &index,
        s.dept_jsonl.as_bytes(),
        InputFormat::JsonLines,
        &BatchOptions::default(),
    );
    depth(&scored)
}

/// Assessment text → check and score against the department example, every view.
fn assessment_entry(b: &[u8]) -> Depth {
    let s = shipped();
    let Ok(a) = chiso::load::assessment(&lossy(b)) else {
        return Depth::Refused;
    };
    let _ = s.dept.check_assessment(&a);
    let _ = s.dept.score(&a, View::SelfAssessment);
    let _ = s.dept.score(&a, View::Appraised);
    depth(&s.dept.score(&a, View::Final))
}

/// Scenario text → what-if on the example assessment.
fn scenario_entry(b: &[u8]) -> Depth {
    let s = shipped();
    let Ok(sc) = scenario::parse(&lossy(b)) else {
        return Depth::Refused;
    };
    let base = Base::Assessment(Box::new(s.dept_assessment.clone()));
    depth(&scenario::run(&s.dept, base, &[sc]))
}

/// Costs text → checked against the index → a plan to 90 %.
fn costs_entry(b: &[u8]) -> Depth {
    let s = shipped();
    let Ok(costs) = Costs::parse(&lossy(b)) else {
        return Depth::Refused;
    };
    if !costs.check(&s.dept).0.is_empty() {
        return Depth::Read;
    }
    let target = Target::Percent { value: 90.into() };
    depth(&plan(
        &s.dept,
        &s.dept_assessment,
        View::Final,
        &target,
        &costs,
        None,
    ))
}

/// Sensitivity spec text → a short run on the PAPI sample (replications and design
/// size kept small so a mutated `reps` cannot make the test slow).
fn spec_entry(b: &[u8]) -> Depth {
    let s = shipped();
    let Ok(mut spec) = parse_spec(&lossy(b)) else {
        return Depth::Refused;
    };
    if let Some(d) = spec.sensitivity.as_mut() {
        d.n = d.n.min(8);
    }
    let opts = RunOptions {
        reps: Some(8),
        seed: None,
        threads: 1,
    };
    depth(&sensitivity::run(
        &s.papi,
        &s.papi_units,
        &spec,
        &opts,
        &|_| {},
    ))
}

/// Batch units (CSV on the PAPI index, JSON lines on the department example), and the
/// sensitivity reader of the same CSV.
fn batch_entry(b: &[u8], format: InputFormat) -> Depth {
    let s = shipped();
    let (index, opts) = match format {
        InputFormat::Csv => {
            let _ = Units::from_csv(&s.papi, b, Lang::Vi);
            (&s.papi, BatchOptions::default())
        }
        InputFormat::JsonLines => (&s.dept, BatchOptions::default()),
    };
    let mut vi = opts.clone();
    vi.lang = Lang::Vi;
    let _ = chiso::batch::read_units(index, b, format, &vi, true, |_| {
        std::ops::ControlFlow::Continue(())
    });
    depth(&run_in_memory(index, b, format, &opts)).max(Depth::Read)
}

/// Dossier records → indicators per unit for 2026 (monthly buckets), with a mapping.
fn records_entry(b: &[u8], format: RecordFormat) -> Depth {
    let period: Period = "2026".parse().expect("period");
    let mut opts = RecordOptions::new(format, "dossiers", period);
    opts.by = "month".parse().expect("by");
    depth(&analyse(&mut || Ok(b), &opts)).max(Depth::Read)
}

/// Publication decisions → judged against their deadlines.
fn publications_entry(b: &[u8], format: RecordFormat) -> Depth {
    let r = publications::check(
        &lossy(b),
        format,
        "publications",
        &publications::Options::default(),
        WorkingCalendar::vietnam(),
    );
    depth(&r).max(Depth::Read)
}

/// A survey definition → the SIPAS sample read against it and estimated.
fn survey_definition_entry(b: &[u8]) -> Depth {
    let s = shipped();
    let Ok(survey) = Survey::from_json(&lossy(b)) else {
        return Depth::Refused;
    };
    let Ok(answers) = read_csv(&survey, s.sipas_csv.as_slice(), &ReadOptions::default()) else {
        return Depth::Read;
    };
    depth(&estimate(&survey, &answers))
}

/// Answer sheets (CSV or JSON lines) → estimated with the SIPAS definition.
fn survey_answers_entry(b: &[u8], jsonl: bool) -> Depth {
    let s = shipped();
    let read = if jsonl {
        read_json_lines(&s.sipas, b, &ReadOptions::default())
    } else {
        read_csv(&s.sipas, b, &ReadOptions::default())
    };
    let Ok(answers) = read else {
        return Depth::Refused;
    };
    depth(&estimate(&s.sipas, &answers))
}

/// A holiday table → working-day arithmetic; local times and periods from text.
fn calendar_entry(b: &[u8]) -> Depth {
    let t = lossy(b);
    for line in t.lines().take(8) {
        let _ = parse_local_time(line);
        let _ = line.parse::<Period>();
        for cell in line.split(',').take(4) {
            let _ = parse_local_time(cell);
            let _ = cell.parse::<Period>();
        }
    }
    let Ok(cal) = WorkingCalendar::from_csv(&t, "calendar.csv") else {
        return Depth::Refused;
    };
    let mut ok = true;
    for (y, m, d) in [(2019, 3, 1), (2022, 2, 1), (2026, 2, 13), (2025, 12, 1)] {
        let day = NaiveDate::from_ymd_opt(y, m, d).expect("date");
        ok &= cal.add_working_days(day, 10).is_ok();
        ok &= cal.add_working_days(day, -10).is_ok();
        let _ = cal.next_working_day(day);
        let _ = cal.working_days_between(day, NaiveDate::from_ymd_opt(y, 12, 31).expect("date"));
    }
    if ok {
        Depth::Deep
    } else {
        Depth::Read
    }
}

/// An annex table (CSV cells) → an index definition → validated.
fn annex_entry(b: &[u8]) -> Depth {
    let s = shipped();
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(b);
    let mut rows = Vec::new();
    for rec in rdr.byte_records() {
        let Ok(rec) = rec else {
            return Depth::Refused;
        };
        rows.push(rec.iter().map(lossy).collect::<Vec<_>>());
    }
    for cell in rows.iter().flatten().take(200) {
        let _ = chiso::authoring::parse_rule(cell, Some(5.into()));
        let _ = chiso::authoring::recognise(cell, Some(2.into()));
    }
    let grid = Grid {
        name: "Phụ lục".into(),
        rows,
    };
    match import(&[grid], &s.annex_template) {
        Err(_) => Depth::Read,
        Ok(imported) => depth(&Index::new(imported.definition)),
    }
}

/// A records mapping file (JSON) → the column resolver.
fn mapping_entry(b: &[u8]) -> Depth {
    let Ok(m) = serde_json::from_slice::<Mapping>(b) else {
        return Depth::Refused;
    };
    depth(&chiso::records::Resolver::new(Some(&m)))
}

// ---------------------------------------------------------------------------------------
// The properties: arbitrary bytes, and mutations of shipped files
// ---------------------------------------------------------------------------------------

/// Either fully arbitrary bytes or `base` mutated one to eight times.
fn hostile(base: BaseFile) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        1 => prop::collection::vec(any::<u8>(), 0..600),
        1 => prop::collection::vec(prop::sample::select(HOSTILE_BYTES.to_vec()), 0..200),
        4 => (any::<u64>(), 1usize..8).prop_map(move |(seed, ops)| mutate(base(), seed, ops)),
    ]
}

fn dept_index() -> &'static [u8] {
    shipped().dept_index_text.as_bytes()
}
fn dept_assessment() -> &'static [u8] {
    shipped().dept_assessment_text.as_bytes()
}
fn dept_scenario() -> &'static [u8] {
    shipped().dept_scenario.as_bytes()
}
fn dept_costs() -> &'static [u8] {
    shipped().dept_costs.as_bytes()
}
fn dept_jsonl() -> &'static [u8] {
    shipped().dept_jsonl.as_bytes()
}
fn papi_spec() -> &'static [u8] {
    shipped().papi_spec.as_bytes()
}
fn papi_csv() -> &'static [u8] {
    &shipped().papi_csv
}
fn dossiers_csv() -> &'static [u8] {
    &shipped().dossiers_csv
}
fn dossiers_jsonl() -> &'static [u8] {
    &shipped().dossiers_jsonl
}
fn publications_csv() -> &'static [u8] {
    shipped().publications_csv.as_bytes()
}
fn publications_jsonl() -> &'static [u8] {
    shipped().publications_jsonl.as_bytes()
}
fn sipas_definition() -> &'static [u8] {
    shipped().sipas_text.as_bytes()
}
fn sipas_csv() -> &'static [u8] {
    &shipped().sipas_csv
}
fn sipas_jsonl() -> &'static [u8] {
    &shipped().sipas_jsonl
}
fn calendar() -> &'static [u8] {
    shipped().calendar.as_bytes()
}
fn annex() -> &'static [u8] {
    &shipped().annex
}
fn mapping() -> &'static [u8] {
    br#"{"format": "chiso.records-mapping/1", "columns": {"Ma ho so": "MaHoSo", "Don vi": "DonViXuLy"}, "values": {"TrangThaiHoSo": {"Da tra": "10"}}}"#
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn index_files_never_panic(b in hostile(dept_index)) { index_entry(&b); }

    #[test]
    fn assessments_never_panic(b in hostile(dept_assessment)) { assessment_entry(&b); }

    #[test]
    fn scenarios_never_panic(b in hostile(dept_scenario)) { scenario_entry(&b); }

    #[test]
    fn costs_never_panic(b in hostile(dept_costs)) { costs_entry(&b); }

    #[test]
    fn sensitivity_specs_never_panic(b in hostile(papi_spec)) { spec_entry(&b); }

    #[test]
    fn batch_csv_never_panics(b in hostile(papi_csv)) { batch_entry(&b, InputFormat::Csv); }

    #[test]
    fn batch_json_lines_never_panic(b in hostile(dept_jsonl)) { batch_entry(&b, InputFormat::JsonLines); }

    #[test]
    fn dossier_csv_never_panics(b in hostile(dossiers_csv)) { records_entry(&b, RecordFormat::Csv); }

    #[test]
    fn dossier_json_lines_never_panic(b in hostile(dossiers_jsonl)) { records_entry(&b, RecordFormat::JsonLines); }

    #[test]
    fn publications_csv_never_panics(b in hostile(publications_csv)) { publications_entry(&b, RecordFormat::Csv); }

    #[test]
    fn publications_json_lines_never_panic(b in hostile(publications_jsonl)) { publications_entry(&b, RecordFormat::JsonLines); }

    #[test]
    fn survey_definitions_never_panic(b in hostile(sipas_definition)) { survey_definition_entry(&b); }

    #[test]
    fn survey_answer_csv_never_panics(b in hostile(sipas_csv)) { survey_answers_entry(&b, false); }

    #[test]
    fn survey_answer_json_lines_never_panic(b in hostile(sipas_jsonl)) { survey_answers_entry(&b, true); }

    #[test]
    fn calendars_times_and_periods_never_panic(b in hostile(calendar)) { calendar_entry(&b); }

    #[test]
    fn annex_tables_never_panic(b in hostile(annex)) { annex_entry(&b); }

    #[test]
    fn records_mappings_never_panic(b in hostile(mapping)) { mapping_entry(&b); }
}

// ---------------------------------------------------------------------------------------
// The mutations reach deep code
// ---------------------------------------------------------------------------------------

type Entry = fn(&[u8]) -> Depth;
type BaseFile = fn() -> &'static [u8];

/// Every entry point with its shipped base file.
fn entries() -> Vec<(&'static str, BaseFile, Entry)> {
    vec![
        ("index", dept_index, index_entry),
        ("assessment", dept_assessment, assessment_entry),
        ("scenario", dept_scenario, scenario_entry),
        ("costs", dept_costs, costs_entry),
        ("sensitivity spec", papi_spec, spec_entry),
        ("batch csv", papi_csv, |b| batch_entry(b, InputFormat::Csv)),
        ("batch jsonl", dept_jsonl, |b| {
            batch_entry(b, InputFormat::JsonLines)
        }),
        ("dossiers csv", dossiers_csv, |b| {
            records_entry(b, RecordFormat::Csv)
        }),
        ("dossiers jsonl", dossiers_jsonl, |b| {
            records_entry(b, RecordFormat::JsonLines)
        }),
        ("publications csv", publications_csv, |b| {
            publications_entry(b, RecordFormat::Csv)
        }),
        ("publications jsonl", publications_jsonl, |b| {
            publications_entry(b, RecordFormat::JsonLines)
        }),
        (
            "survey definition",
            sipas_definition,
            survey_definition_entry,
        ),
        ("survey answers csv", sipas_csv, |b| {
            survey_answers_entry(b, false)
        }),
        ("survey answers jsonl", sipas_jsonl, |b| {
            survey_answers_entry(b, true)
        }),
        ("calendar", calendar, calendar_entry),
        ("annex table", annex, annex_entry),
        ("records mapping", mapping, mapping_entry),
    ]
}

/// Without this check the properties above could pass while testing only the syntax
/// errors. For every entry point: the unmutated file goes all the way; of 60 files with
/// one number changed to a plain one, at least a fifth still go all the way; of 60 heavy
/// mutations, some are refused (the mutations do break files) and at least one is read
/// past the first reader (they do not only break syntax).
#[test]
fn mutations_reach_deep_code() {
    const N: u64 = 60;
    let mut report = String::new();
    let mut failures = Vec::new();
    for (name, base, entry) in entries() {
        let clean = entry(base());
        let light: Vec<Depth> = (0..N).map(|i| entry(&mutate_lightly(base(), i))).collect();
        let heavy: Vec<Depth> = (0..N)
            .map(|i| entry(&mutate(base(), 1000 + i, 4)))
            .collect();
        let count = |v: &[Depth], d: Depth| v.iter().filter(|x| **x == d).count() as u64;
        let light_deep = count(&light, Depth::Deep);
        let heavy_refused = count(&heavy, Depth::Refused);
        let heavy_past = N - heavy_refused;
        report.push_str(&format!(
            "{name:<22} clean {clean:?}; one plain number: {light_deep}/{N} deep; heavy: {} refused, {} read, {} deep\n",
            heavy_refused,
            count(&heavy, Depth::Read),
            count(&heavy, Depth::Deep)
        ));
        if clean != Depth::Deep {
            failures.push(format!(
                "{name}: the shipped file itself does not go all the way ({clean:?})"
            ));
        }
        if light_deep * 5 < N {
            failures.push(format!(
                "{name}: only {light_deep}/{N} lightly mutated files go all the way"
            ));
        }
        if heavy_past == 0 {
            failures.push(format!(
                "{name}: no heavy mutation gets past the first reader"
            ));
        }
    }
    eprintln!("{report}");
    assert!(failures.is_empty(), "{}\n\n{report}", failures.join("\n"));
}
