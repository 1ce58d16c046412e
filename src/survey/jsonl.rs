//! JSON-lines answer sheets: one object per line (see [`super::sheet`] for the columns
//! and the answer cells).

use super::error::{RowError, RowProblem, SurveyError};
use super::questionnaire::Survey;
use super::sheet::{input_error, trim, Answers, Builder, Layout, ReadOptions};

/// Errors met before the builder exists: the first `max` kept, the rest counted.
#[derive(Default)]
struct Pending {
    errors: Vec<RowError>,
    extra: usize,
}

/// Reports `e` to the builder, or keeps it until the builder exists.
fn note(b: &mut Option<Builder>, pending: &mut Pending, max: usize, e: RowError) {
    match b {
        Some(b) => b.error(e),
        None if pending.errors.len() < max => pending.errors.push(e),
        None => pending.extra += 1,
    }
}
use super::MAX_LINE_BYTES;
use std::collections::{BTreeSet, HashMap};
use std::io::{BufRead, Read};

/// One line of a JSON-lines sheet: its entries in order, duplicates kept.
struct JsonLine(Vec<(String, serde_json::Value)>);

impl<'de> serde::Deserialize<'de> for JsonLine {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = JsonLine;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<JsonLine, A::Error> {
                let mut out = Vec::new();
                while let Some(entry) = map.next_entry::<String, serde_json::Value>()? {
                    out.push(entry);
                }
                Ok(JsonLine(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// Reads a JSON-lines answer sheet: one object per line (blank lines skipped).
///
/// ```
/// use chiso::survey::{read_json_lines, ReadOptions, Survey};
/// let survey = Survey::from_file(concat!(env!("CARGO_MANIFEST_DIR"), "/criteria/sipas/sipas-1001-2023-q9.survey.json").as_ref()).unwrap();
/// let line = r#"{"id": "R1", "unit": "Phường A", "q9_sat_1": 5, "q9_sat_2": null}"#;
/// let answers = read_json_lines(&survey, line.as_bytes(), &ReadOptions::default());
/// // Items 3–39 appear in no line: every one is reported at once.
/// assert!(answers.unwrap_err().render(chiso::Lang::En).contains("no line has this item"));
/// ```
pub fn read_json_lines<R: BufRead>(
    survey: &Survey,
    mut reader: R,
    opts: &ReadOptions,
) -> Result<Answers, SurveyError> {
    let cols = &survey.definition().columns;
    let unit_name = opts
        .unit_column
        .clone()
        .unwrap_or_else(|| cols.unit.clone());
    let mut b: Option<Builder> = None;
    let mut slot: HashMap<String, usize> = HashMap::new();
    let mut present = vec![false; survey.item_codes().len()];
    let mut ignored: BTreeSet<String> = BTreeSet::new();
    // Errors before the first valid line (which sets up the builder), bounded.
    let mut pending = Pending::default();
    let max = opts.max_errors.max(1);
    let mut buf = Vec::new();
    let mut row = 0u64;
    let mut cells: Vec<String> = Vec::new();
    loop {
        buf.clear();
        row += 1;
        let n = match (&mut reader)
            .take(MAX_LINE_BYTES as u64 + 1)
            .read_until(b'\n', &mut buf)
        {
            Ok(n) => n,
            Err(e) => {
                let e = RowError::new(
                    row,
                    None,
                    RowProblem::Unreadable {
                        detail: e.to_string(),
                    },
                );
                note(&mut b, &mut pending, max, e);
                break;
            }
        };
        if n == 0 {
            break;
        }
        if buf.len() > MAX_LINE_BYTES && buf.last() != Some(&b'\n') {
            let e = RowError::new(
                row,
                None,
                RowProblem::LineTooLong {
                    limit: MAX_LINE_BYTES,
                },
            );
            note(&mut b, &mut pending, max, e);
            // Skip the rest of the line.
            let mut rest = Vec::new();
            loop {
                rest.clear();
                match (&mut reader).take(1 << 16).read_until(b'\n', &mut rest) {
                    Ok(0) => break,
                    Ok(_) if rest.last() == Some(&b'\n') => break,
                    Ok(_) => {}
                    Err(_) => break,
                }
            }
            continue;
        }
        let line = trim(&buf);
        if line.is_empty() {
            continue;
        }
        let line = if row == 1 {
            line.strip_prefix("\u{feff}".as_bytes()).unwrap_or(line)
        } else {
            line
        };
        let parsed: JsonLine = match serde_json::from_slice(line) {
            Ok(p) => p,
            Err(e) => {
                let problem = match e.classify() {
                    serde_json::error::Category::Data => RowProblem::NotAnObject,
                    _ => RowProblem::JsonSyntax { column: e.column() },
                };
                note(&mut b, &mut pending, max, RowError::new(row, None, problem));
                continue;
            }
        };
        // The first line decides the layout (like a header).
        let builder = match &mut b {
            Some(b) => b,
            None => {
                let has = |k: &str| parsed.0.iter().any(|(key, _)| key == k);
                let mut header = vec![cols.respondent.clone(), unit_name.clone()];
                if has(&cols.stratum) {
                    header.push(cols.stratum.clone());
                }
                if has(&cols.weight) {
                    header.push(cols.weight.clone());
                }
                header.extend(survey.item_codes().iter().cloned());
                for (i, h) in header.iter().enumerate() {
                    slot.insert(h.clone(), i);
                }
                let mut none = Vec::new();
                let layout = Layout::from_header(survey, &header, opts, &mut none)
                    .map_err(|e| input_error(&opts.source, e))?;
                let builder = b.insert(Builder::new(survey, layout, opts, Vec::new()));
                for e in pending.errors.drain(..) {
                    builder.error(e);
                }
                builder.count_more(std::mem::take(&mut pending.extra));
                builder
            }
        };
        cells.clear();
        cells.resize(slot.len(), String::new());
        let mut filled = vec![false; slot.len()];
        let mut line_errors = Vec::new();
        for (key, value) in parsed.0 {
            let Some(&i) = slot.get(&key) else {
                if key == cols.stratum || key == cols.weight {
                    line_errors.push(RowError::new(
                        row,
                        Some(&key),
                        RowProblem::KeyNotInFirstLine,
                    ));
                } else if ignored.len() < 1000 {
                    ignored.insert(key);
                }
                continue;
            };
            if filled[i] {
                line_errors.push(RowError::new(row, Some(&key), RowProblem::DuplicateKey));
                continue;
            }
            filled[i] = true;
            if let Some(k) = survey.item_codes().iter().position(|c| *c == key) {
                present[k] = true;
            }
            cells[i] = match value {
                serde_json::Value::Null => String::new(),
                serde_json::Value::String(s) => s,
                serde_json::Value::Number(n) => n.to_string(),
                _ => {
                    line_errors.push(RowError::new(row, Some(&key), RowProblem::WrongJsonType));
                    continue;
                }
            };
        }
        for e in line_errors {
            builder.error(e);
        }
        builder.push(row, None, |i| {
            cells.get(i).map_or(&b""[..], |c| c.as_bytes())
        });
        if builder.fatal {
            break;
        }
    }
    let Some(mut b) = b else {
        let total = pending.errors.len() + pending.extra + 1;
        let mut errors = vec![RowError::new(0, None, RowProblem::NoHeader)];
        errors.extend(pending.errors);
        return Err(SurveyError::Input {
            source: opts.source.clone(),
            errors,
            total,
        });
    };
    if b.out.rows > 0 && !b.fatal {
        for (k, seen) in present.iter().enumerate() {
            if !seen {
                b.error(RowError::new(
                    0,
                    Some(&survey.item_codes()[k]),
                    RowProblem::ItemNeverPresent,
                ));
            }
        }
    }
    b.out.ignored_columns = ignored.into_iter().collect();
    b.finish(&opts.source)
}
