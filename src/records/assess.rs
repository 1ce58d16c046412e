//! From counts to the 766 index: an [`Assessment`] per unit and period whose leaves
//! computable from records carry [`Value::Ratio`] (exact integers), scored with the
//! engine ([`Index::score`]); and a batch CSV (cells `n/d`) for [`crate::batch`].
//!
//! **Indicators records cannot give** (1.1–1.3, 3.1, 3.2, 3.5a, 3.5b, 4.5a, 4.6, 5.2,
//! 5.3; [`NOT_FROM_DOSSIERS`](crate::records::NOT_FROM_DOSSIERS)) are never invented.
//! Two treatments, both declared in the output:
//! - by default they stay missing: the index's `missing_value = propagate` leaves the
//!   groups and the total without a value, and the records part is reported on its
//!   own — "x of M points assessable from records" (the points of the computable
//!   indicators out of their maxima);
//! - an optional values file supplies them: a CSV with `unit` (a `DonViXuLy` code, or
//!   `*` for every unit) and one column per leaf code, cells in the batch syntax
//!   (`45/50`, `90%`, `n/a`); a value for an indicator computed from the records is an
//!   error, never a silent override.

use crate::assessment::{Assessment, Entry, LayerEntry, NotApplicable, Value};
use crate::batch::{leaf_input, LeafInput};
use crate::diagnostics::{Diagnostic, Diagnostics, Problem};
use crate::engine::Index;
use crate::records::analyse::Report;
use crate::records::error::{cell, location, Code};
use crate::records::indicator::Indicator;
use crate::result::{ScoreResult, View};
use crate::text::Lang;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// Values of indicators not computable from records, per unit (`*` = every unit).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Values {
    cells: BTreeMap<String, BTreeMap<String, String>>,
}

impl Values {
    /// Reads a values CSV for `index`; `computed` are the indicators the records give
    /// (a column for one of them is an error). Every problem is reported at once.
    pub fn from_csv(
        text: &str,
        file: &str,
        index: &Index,
        computed: &[Indicator],
    ) -> Result<Values, Diagnostics> {
        let mut bad = Diagnostics::default();
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let mut rows = rdr.records();
        let header: Vec<String> = match rows.next() {
            Some(Ok(h)) => h.iter().map(|s| s.trim().to_owned()).collect(),
            _ => Vec::new(),
        };
        if header.first().map(String::as_str) != Some("unit") {
            bad.push(Diagnostic::error(
                "row 1",
                None,
                Problem::MissingColumns {
                    missing: vec!["unit".into()],
                },
            ));
            return Err(bad.in_file(file));
        }
        for (k, h) in header.iter().enumerate().skip(1) {
            let leaf = index.node(h).is_some_and(|n| n.rule.is_some());
            if !leaf {
                bad.push(cell(
                    location(1, Some(h), None),
                    h,
                    Code::Unreadable,
                    "not a leaf code of the index",
                    "không phải mã tiêu chí lá của bộ chỉ số",
                ));
            } else if computed.iter().any(|i| i.code() == h) {
                bad.push(cell(location(1, Some(h), None), h, Code::Unreadable, "this indicator is computed from the records; a value for it would override them", "chỉ số này được tính từ hồ sơ; không được ghi đè bằng giá trị nhập"));
            } else if header[1..k].contains(h) {
                bad.push(Diagnostic::error(
                    location(1, Some(h), None),
                    Some(h),
                    Problem::DuplicateKey { key: h.clone() },
                ));
            }
        }
        let mut v = Values::default();
        for (r, rec) in rows.enumerate() {
            let row = r as u64 + 2;
            let rec = match rec {
                Ok(rec) => rec,
                Err(e) => {
                    bad.push(cell(
                        location(row, None, None),
                        "",
                        Code::Unreadable,
                        &format!("not CSV ({e})"),
                        "không đọc được dạng CSV",
                    ));
                    break;
                }
            };
            let unit = rec.get(0).unwrap_or("").trim().to_owned();
            if unit.is_empty() {
                bad.push(cell(
                    location(row, Some("unit"), None),
                    "",
                    Code::Empty,
                    "unit must not be empty",
                    "unit không được để trống",
                ));
                continue;
            }
            if v.cells.contains_key(&unit) {
                bad.push(Diagnostic::error(
                    location(row, Some("unit"), None),
                    None,
                    Problem::DuplicateKey { key: unit.clone() },
                ));
                continue;
            }
            let mut m = BTreeMap::new();
            for (k, h) in header.iter().enumerate().skip(1) {
                let text = rec.get(k).unwrap_or("").trim();
                if text.is_empty() {
                    continue;
                }
                if let Some(rule) = index.node(h).and_then(|n| n.rule.as_ref()) {
                    if let Err(e) = leaf_input(rule, text, Lang::En) {
                        let vi = leaf_input(rule, text, Lang::Vi).err().unwrap_or_default();
                        bad.push(cell(
                            location(row, Some(h), None),
                            text,
                            Code::Unreadable,
                            &e,
                            &vi,
                        ));
                        continue;
                    }
                }
                m.insert(h.clone(), text.to_owned());
            }
            v.cells.insert(unit, m);
        }
        if bad.is_empty() {
            Ok(v)
        } else {
            Err(bad.in_file(file))
        }
    }

    /// The cell for `code` of unit `unit` (its own row first, then `*`).
    pub fn get(&self, unit: &str, code: &str) -> Option<&str> {
        self.cells
            .get(unit)
            .and_then(|m| m.get(code))
            .or_else(|| self.cells.get("*").and_then(|m| m.get(code)))
            .map(String::as_str)
    }

    /// Unit codes named (other than `*`).
    pub fn units(&self) -> impl Iterator<Item = &str> {
        self.cells.keys().map(String::as_str).filter(|u| *u != "*")
    }
}

/// The unit's label in outputs: `code` or `code name`.
pub fn unit_label(report: &Report, unit: u32) -> String {
    let u = report.units.get(unit);
    if u.name.is_empty() {
        u.code.clone()
    } else {
        format!("{} {}", u.code, u.name)
    }
}

/// The assessment of `unit` in `bucket` for `index`: a ratio per computable indicator
/// the index has, plus the values file's cells.
pub fn assessment(
    report: &Report,
    unit: u32,
    bucket: usize,
    index: &Index,
    values: Option<&Values>,
) -> Assessment {
    let mut a = Assessment::new(&index.definition().id, unit_label(report, unit));
    a.unit.id = Some(report.units.get(unit).code.clone());
    a.unit.block = Some(format!("{}", report.units.get(unit).depth));
    a.index_version = Some(index.definition().version.clone());
    use chrono::Datelike;
    let b = &report.buckets[bucket];
    if b.first_day.year() == b.last_day.year() {
        a.year = Some(b.first_day.year());
    }
    for i in Indicator::ALL {
        if index.node(i.code()).is_none() {
            continue;
        }
        if let Some((n, d)) = report.fraction(unit, bucket, i) {
            a.entries.insert(
                i.code().to_owned(),
                Entry::self_value(Value::Ratio {
                    numerator: Decimal::from(n),
                    denominator: Decimal::from(d),
                }),
            );
        }
    }
    if let Some(v) = values {
        let code = &report.units.get(unit).code;
        for leaf in index.leaves() {
            let node = &index.nodes()[leaf];
            let (Some(text), Some(rule)) = (v.get(code, &node.code), node.rule.as_ref()) else {
                continue;
            };
            match leaf_input(rule, text, Lang::En) {
                Ok(LeafInput::Value(val)) => {
                    a.entries.insert(
                        node.code.clone(),
                        Entry {
                            self_assessment: Some(LayerEntry::new(val)),
                            ..Default::default()
                        },
                    );
                }
                Ok(LeafInput::NotApplicable) => {
                    a.entries.insert(
                        node.code.clone(),
                        Entry {
                            not_applicable: Some(NotApplicable {
                                reason: "values file: n/a".into(),
                            }),
                            ..Default::default()
                        },
                    );
                }
                _ => {}
            }
        }
    }
    a
}

/// A unit's score in one period.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitScore {
    /// Unit id.
    pub unit: u32,
    /// Bucket.
    pub bucket: usize,
    /// The engine's result (groups and total missing unless a values file completes it).
    pub result: ScoreResult,
    /// Σ points of the indicators computed from the records.
    pub records_points: Decimal,
    /// Σ maxima of those indicators: "records_points of records_max points assessable
    /// from records".
    pub records_max: Decimal,
}

/// Scores `unit` in `bucket` with the engine.
pub fn score(
    report: &Report,
    unit: u32,
    bucket: usize,
    index: &Index,
    values: Option<&Values>,
) -> Result<UnitScore, Diagnostics> {
    let a = assessment(report, unit, bucket, index, values);
    let result = index.score(&a, View::Final)?;
    let (mut pts, mut max) = (Decimal::ZERO, Decimal::ZERO);
    for i in Indicator::ALL.into_iter().filter(|i| report.computable(*i)) {
        if let Some(n) = result.node(i.code()) {
            pts += n.achieved.unwrap_or_default();
            max += n.max_points.unwrap_or_default();
        }
    }
    Ok(UnitScore {
        unit,
        bucket,
        result,
        records_points: pts,
        records_max: max,
    })
}

/// A batch CSV for [`crate::batch`] and `chiso batch`: `unit` (`code@bucket` when the
/// period is cut), `block` (depth in the unit tree, and the bucket), one column per
/// leaf of `index`: `n/d` for the indicators computed from records, the values file's
/// cell, or empty (missing).
pub fn batch_csv(report: &Report, index: &Index, values: Option<&Values>, units: &[u32]) -> String {
    let leaves: Vec<&str> = index
        .leaves()
        .map(|i| index.nodes()[i].code.as_str())
        .collect();
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    let mut header = vec!["unit", "block"];
    header.extend(leaves.iter());
    let _ = w.write_record(&header);
    let cut = report.buckets.len() > 1;
    for (b, bucket) in report.buckets.iter().enumerate() {
        for &u in units {
            let node = report.units.get(u);
            let unit = if cut {
                format!("{}@{}", node.code, bucket.label)
            } else {
                node.code.clone()
            };
            let block = if cut {
                format!("{} {}", bucket.label, node.depth)
            } else {
                node.depth.to_string()
            };
            let mut row = vec![unit, block];
            for code in &leaves {
                let from_records =
                    Indicator::from_code(code).and_then(|i| report.fraction(u, b, i));
                row.push(match from_records {
                    Some((n, d)) => format!("{n}/{d}"),
                    None => values
                        .and_then(|v| v.get(&node.code, code))
                        .unwrap_or("")
                        .to_owned(),
                });
            }
            let _ = w.write_record(&row);
        }
    }
    w.into_inner()
        .map(|v| String::from_utf8_lossy(&v).into_owned())
        .unwrap_or_default()
}
