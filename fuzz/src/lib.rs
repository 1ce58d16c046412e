//! The fuzz targets' bodies: one function per reader of chiso, each driving its input as
//! far into the library as it goes (read → validate → score / judge / estimate / import).
//! A target fails only by panicking (or by an abort, a timeout or running out of memory);
//! every `Err` is a correct answer to a bad input.
//!
//! The shipped files the inputs are combined with (an index, an assessment, the SIPAS
//! definition…) are compiled in from `criteria/` and `examples-data/`.

use chiso::assessment::Assessment;
use chiso::batch::{run_in_memory, InputFormat, Options as BatchOptions};
use chiso::calendar::{parse_local_time, NaiveDate, WorkingCalendar};
use chiso::index::IndexDefinition;
use chiso::planner::{plan, Costs, Target};
use chiso::records::{analyse, publications, Options as RecordOptions, Period, RecordFormat};
use chiso::scenario::{self, Base};
use chiso::sensitivity::{self, parse_spec, RunOptions, Units};
use chiso::survey::{estimate, read_csv, read_json_lines, ReadOptions, Survey};
use chiso::{Index, Lang, View};
use std::sync::OnceLock;

const DEPT_INDEX: &str = include_str!("../../criteria/examples/department-example.json");
const DEPT_ASSESSMENT: &str =
    include_str!("../../criteria/examples/department-example.assessment.json");
const CAMAU_INDEX: &str = include_str!("../../criteria/par-index/camau-1880-2013-area1.json");
const CAMAU_ASSESSMENT: &str =
    include_str!("../../criteria/par-index/camau-1880-2013-area1.assessment.json");
const PAPI_INDEX: &str = include_str!("../../criteria/papi/papi-2021-2024.json");
const PAPI_CSV: &str = include_str!("../../examples-data/papi-2023-sample.csv");
const SIPAS: &str = include_str!("../../criteria/sipas/sipas-1001-2023-q9.survey.json");
const SIPAS_CSV: &str = include_str!("../../examples-data/sipas-sample.csv");

struct Fixtures {
    dept: Index,
    dept_assessment: Assessment,
    camau_assessment: Assessment,
    papi: Index,
    papi_units: Units,
    sipas: Survey,
    template: IndexDefinition,
}

fn fixtures() -> &'static Fixtures {
    static F: OnceLock<Fixtures> = OnceLock::new();
    F.get_or_init(|| {
        let papi = Index::from_json(PAPI_INDEX).expect("papi index");
        let papi_units = Units::from_csv(&papi, PAPI_CSV.as_bytes(), Lang::En).expect("papi");
        let mut template = chiso::load::index_definition(CAMAU_INDEX).expect("camau");
        template.nodes.clear();
        template.id = "fuzz-import".into();
        Fixtures {
            dept: Index::from_json(DEPT_INDEX).expect("department index"),
            dept_assessment: chiso::load::assessment(DEPT_ASSESSMENT).expect("assessment"),
            camau_assessment: chiso::load::assessment(CAMAU_ASSESSMENT).expect("assessment"),
            papi,
            papi_units,
            sipas: Survey::from_json(SIPAS).expect("sipas"),
            template,
        }
    })
}

fn text(data: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(data)
}

/// An index file → validated → both example assessments checked and scored in every
/// view → three units as JSON lines through the batch path.
pub fn index(data: &[u8]) {
    let f = fixtures();
    let _ = chiso::load::read_bytes(data);
    let Ok(def) = chiso::load::index_definition(&text(data)) else {
        return;
    };
    let Ok(index) = Index::new(def) else {
        return;
    };
    for a in [&f.dept_assessment, &f.camau_assessment] {
        let _ = index.check_assessment(a);
        for view in [View::SelfAssessment, View::Appraised, View::Final] {
            let _ = index.score(a, view);
        }
    }
    let mut lines = String::new();
    for a in [&f.dept_assessment, &f.camau_assessment] {
        if let Ok(l) = serde_json::to_string(a) {
            lines.push_str(&l);
            lines.push('\n');
        }
    }
    let _ = run_in_memory(
        &index,
        lines.as_bytes(),
        InputFormat::JsonLines,
        &BatchOptions::default(),
    );
}

/// An assessment → checked and scored against the department example.
pub fn assessment(data: &[u8]) {
    let f = fixtures();
    let Ok(a) = chiso::load::assessment(&text(data)) else {
        return;
    };
    let _ = f.dept.check_assessment(&a);
    for view in [View::SelfAssessment, View::Appraised, View::Final] {
        let _ = f.dept.score(&a, view);
    }
}

/// A scenario → applied to the example assessment.
pub fn scenario(data: &[u8]) {
    let f = fixtures();
    let Ok(s) = scenario::parse(&text(data)) else {
        return;
    };
    let base = Base::Assessment(Box::new(f.dept_assessment.clone()));
    let _ = scenario::run(&f.dept, base, &[s]);
}

/// A costs file → checked → plans to a percent and to a band.
pub fn costs(data: &[u8]) {
    let f = fixtures();
    let Ok(costs) = Costs::parse(&text(data)) else {
        return;
    };
    if !costs.check(&f.dept).0.is_empty() {
        return;
    }
    for target in [
        Target::Percent { value: 95.into() },
        Target::Band { code: "A".into() },
    ] {
        let _ = plan(&f.dept, &f.dept_assessment, View::Final, &target, &costs, None);
    }
}

/// A sensitivity spec → a short run on the PAPI sample (replications and design size
/// capped so that `reps` in the input cannot make every run slow).
pub fn spec(data: &[u8]) {
    let f = fixtures();
    let Ok(mut spec) = parse_spec(&text(data)) else {
        return;
    };
    if let Some(d) = spec.sensitivity.as_mut() {
        d.n = d.n.min(8);
    }
    let opts = RunOptions {
        reps: Some(spec.reps.unwrap_or(8).min(16)),
        seed: None,
        threads: 1,
    };
    let _ = sensitivity::run(&f.papi, &f.papi_units, &spec, &opts, &|_| {});
}

/// Batch units as CSV on the PAPI index (the batch and the sensitivity readers).
pub fn batch_csv(data: &[u8]) {
    let f = fixtures();
    let _ = Units::from_csv(&f.papi, data, Lang::Vi);
    let _ = run_in_memory(&f.papi, data, InputFormat::Csv, &BatchOptions::default());
}

/// Batch units as JSON lines on the department example.
pub fn batch_jsonl(data: &[u8]) {
    let f = fixtures();
    let _ = run_in_memory(
        &f.dept,
        data,
        InputFormat::JsonLines,
        &BatchOptions::default(),
    );
}

/// An annex criteria table (CSV cells) → imported → validated; every cell also through
/// the rule syntax and the wording recogniser.
pub fn annex_csv(data: &[u8]) {
    let f = fixtures();
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(data);
    let mut rows = Vec::new();
    for rec in rdr.byte_records() {
        let Ok(rec) = rec else {
            return;
        };
        rows.push(
            rec.iter()
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect::<Vec<_>>(),
        );
    }
    for cell in rows.iter().flatten().take(100) {
        let _ = chiso::authoring::parse_rule(cell, Some(5.into()));
        let _ = chiso::authoring::recognise(cell, Some(2.into()));
    }
    let grid = chiso::authoring::Grid {
        name: "Phụ lục".into(),
        rows,
    };
    if let Ok(imported) = chiso::authoring::import(&[grid], &f.template) {
        let _ = Index::new(imported.definition);
    }
}

fn records(data: &[u8], format: RecordFormat) {
    let Ok(period) = "2026".parse::<Period>() else {
        return;
    };
    let mut opts = RecordOptions::new(format, "dossiers", period);
    if let Ok(by) = "month".parse() {
        opts.by = by;
    }
    let _ = analyse(&mut || Ok(data), &opts);
}

/// Dossier records as CSV → indicators per unit and month of 2026.
pub fn records_csv(data: &[u8]) {
    records(data, RecordFormat::Csv);
}

/// Dossier records as JSON lines → indicators per unit and month of 2026.
pub fn records_jsonl(data: &[u8]) {
    records(data, RecordFormat::JsonLines);
}

/// SIPAS answers (JSON lines when the input starts with `{`, else CSV) → estimated.
pub fn survey_answers(data: &[u8]) {
    let f = fixtures();
    let read = if data.first() == Some(&b'{') {
        read_json_lines(&f.sipas, data, &ReadOptions::default())
    } else {
        read_csv(&f.sipas, data, &ReadOptions::default())
    };
    if let Ok(answers) = read {
        let _ = estimate(&f.sipas, &answers);
    }
}

/// A survey definition → the SIPAS sample read against it and estimated.
pub fn survey_definition(data: &[u8]) {
    let Ok(survey) = Survey::from_json(&text(data)) else {
        return;
    };
    if let Ok(answers) = read_csv(&survey, SIPAS_CSV.as_bytes(), &ReadOptions::default()) {
        let _ = estimate(&survey, &answers);
    }
}

/// Publication decisions (JSON lines when the input starts with `{`, else CSV) → judged.
pub fn publications(data: &[u8]) {
    let format = if data.first() == Some(&b'{') {
        RecordFormat::JsonLines
    } else {
        RecordFormat::Csv
    };
    let _ = publications::check(
        &text(data),
        format,
        "publications",
        &publications::Options::default(),
        WorkingCalendar::vietnam(),
    );
}

/// A holiday table → working-day arithmetic; its first lines and cells also as local
/// times and periods.
pub fn calendar(data: &[u8]) {
    let t = text(data);
    for line in t.lines().take(4) {
        let _ = parse_local_time(line);
        let _ = line.parse::<Period>();
        for cell in line.split(',').take(4) {
            let _ = parse_local_time(cell);
            let _ = cell.parse::<Period>();
        }
    }
    let Ok(cal) = WorkingCalendar::from_csv(&t, "calendar.csv") else {
        return;
    };
    for (y, m, d) in [(2019, 3, 1), (2022, 2, 1), (2026, 2, 13)] {
        let Some(day) = NaiveDate::from_ymd_opt(y, m, d) else {
            continue;
        };
        let _ = cal.add_working_days(day, 10);
        let _ = cal.add_working_days(day, -10);
        let _ = cal.next_working_day(day);
        if let Some(end) = NaiveDate::from_ymd_opt(y, 12, 31) {
            let _ = cal.working_days_between(day, end);
        }
    }
}
