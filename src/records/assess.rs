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
//!
//! **Publication decisions** ([`Values::with_publications`], a
//! [`Feed`](crate::records::publications::Feed)) give 1.1 and 1.2 to the province (the
//! root unit) and, inherited, to every unit below it, per bucket of the period; a values
//! cell for the same unit and indicator is an error. Their points count among the points
//! "assessable from records" ([`UnitScore::records_points`]).

use crate::assessment::{Assessment, Entry, LayerEntry, NotApplicable, Value};
use crate::batch::{leaf_input, LeafInput};
use crate::diagnostics::{Diagnostic, Diagnostics, Location, Problem};
use crate::engine::Index;
use crate::records::analyse::Report;
use crate::records::error::{cell, location, Code};
use crate::records::indicator::Indicator;
use crate::records::publications::{Feed, FED_INDICATORS};
use crate::result::{ScoreResult, View};
use crate::text::Lang;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// Values of indicators not computable from dossiers: a values file's cells per unit
/// (`*` = every unit), and the indicators fed by publication decisions
/// ([`Values::with_publications`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Values {
    cells: BTreeMap<String, BTreeMap<String, String>>,
    /// The row of each unit in the values file (header = 1).
    rows: BTreeMap<String, u64>,
    /// The values file's name, when read from one.
    file: Option<String>,
    /// Publication decisions feeding 1.1 and 1.2.
    publications: Option<Box<Feed>>,
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
            bad.push(Diagnostic::error_at(
                Location::row(1),
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
                bad.push(Diagnostic::error_at(
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
                bad.push(Diagnostic::error_at(
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
            v.rows.insert(unit.clone(), row);
            v.cells.insert(unit, m);
        }
        v.file = Some(file.to_owned());
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

    /// The values file's name, when these values were read from one ([`Values::from_csv`]).
    pub fn file(&self) -> Option<&str> {
        self.file.as_deref()
    }

    /// Adds publication decisions: in each bucket where [`Feed::count`] gives 1.1 or 1.2,
    /// that count becomes the value of the province and of every unit below it. A cell of
    /// the values file for a fed indicator — in the row of the province, of a unit below
    /// it, or `*` — is a conflict: every such cell is an error (`records_value_conflict`),
    /// located in the values file.
    ///
    /// ```
    /// use chiso::records::publications::{check, feed, Options};
    /// use chiso::records::{analyse, Options as RunOptions, RecordFormat, Values};
    /// let pubs = "SoQuyetDinhBo,NgayQuyetDinhBo,SoQuyetDinhTinh,NgayQuyetDinhTinh,LoaiQuyetDinh,NgayCongKhai\n\
    ///             1/QĐ-BX,02/03/2026,10/QĐ-UBND,06/03/2026,danh mục,10/03/2026\n";
    /// let cal = chiso::calendar::WorkingCalendar::vietnam();
    /// let judged = check(pubs, RecordFormat::Csv, "pubs.csv", &Options::default(), cal).unwrap();
    /// let dossiers = "MaHoSo,DonViXuLy,TrangThaiHoSo,NgayTiepNhan,NgayHenTra\nA1,H21.17,4,20260302080000,20260306080000\n";
    /// let run = RunOptions::new(RecordFormat::Csv, "dossiers.csv", "2026-03".parse().unwrap());
    /// let report = analyse(&mut || Ok(dossiers.as_bytes()), &run).unwrap();
    /// let f = feed(&report, judged, "pubs.csv", &Options::default()).unwrap();
    /// // 1.2 is fed (made public 2 working days after the decision: 1/1); 1.1 is not (no
    /// // NgayHieuLuc), so a values file may give it, but not 1.2.
    /// let index = chiso::Index::from_json(include_str!(
    ///     "../../criteria/service-766/qd766-portal-six-groups.json"
    /// ))
    /// .unwrap();
    /// let ok = Values::from_csv("unit,1.1\n*,3/4\n", "values.csv", &index, &[]).unwrap();
    /// let v = ok.with_publications(f.clone()).unwrap();
    /// assert_eq!(v.fed("H21.17", 0, "1.2"), Some((1, 1)));
    /// assert_eq!(v.get("H21.17", "1.1"), Some("3/4"));
    /// let clash = Values::from_csv("unit,1.2\nH21,1/2\n", "values.csv", &index, &[]).unwrap();
    /// let err = clash.with_publications(f).unwrap_err();
    /// assert!(err.render(chiso::Lang::En).contains("row 2, column \"1.2\""));
    /// ```
    pub fn with_publications(mut self, feed: Feed) -> Result<Values, Diagnostics> {
        let fed = feed.fed_codes();
        let mut clashes: Vec<(u64, &str, Diagnostic)> = Vec::new();
        for (unit, cells) in &self.cells {
            let covered = if unit == "*" {
                feed.province.is_some()
            } else {
                feed.covers(unit)
            };
            if !covered {
                continue;
            }
            let row = self.rows.get(unit).copied().unwrap_or(0);
            for code in &fed {
                let Some(text) = cells.get(*code) else {
                    continue;
                };
                let province = feed.province.as_deref().unwrap_or_default();
                clashes.push((
                    row,
                    code,
                    cell(
                        location(row, Some(code), None),
                        text,
                        Code::Conflict,
                        &format!(
                            "indicator {code} of {province} and of every unit below it comes from the publications file {}; a value here conflicts with it (remove the cell, or --publications)",
                            feed.source
                        ),
                        &format!(
                            "chỉ số {code} của {province} và mọi đơn vị trực thuộc được tính từ tệp công bố {}; giá trị ở đây mâu thuẫn với tệp đó (bỏ ô này, hoặc bỏ --publications)",
                            feed.source
                        ),
                    ),
                ));
            }
        }
        if !clashes.is_empty() {
            clashes.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
            let d = Diagnostics(clashes.into_iter().map(|c| c.2).collect());
            return Err(match &self.file {
                Some(f) => d.in_file(f),
                None => d,
            });
        }
        self.publications = Some(Box::new(feed));
        Ok(self)
    }

    /// The publication decisions added with [`Values::with_publications`].
    pub fn publications(&self) -> Option<&Feed> {
        self.publications.as_deref()
    }

    /// The value fed from publication decisions for `code` of `unit` in `bucket`, as
    /// `(on time, counted)`: `None` when no decision feeds it there.
    pub fn fed(&self, unit: &str, bucket: usize, code: &str) -> Option<(u64, u64)> {
        let f = self.publications.as_deref()?;
        if !f.covers(unit) {
            return None;
        }
        f.count(bucket, code)
            .map(|c| (c.count.on_time, c.count.total))
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
        for code in FED_INDICATORS {
            let leaf = index.node(code).is_some_and(|n| n.rule.is_some());
            let (Some((n, d)), true) = (v.fed(code_of(report, unit), bucket, code), leaf) else {
                continue;
            };
            let mut layer = LayerEntry::new(Value::Ratio {
                numerator: Decimal::from(n),
                denominator: Decimal::from(d),
            });
            layer.note = v
                .publications()
                .and_then(|f| f.explanation(code_of(report, unit), bucket, code))
                .map(|t| t.vi);
            a.entries.insert(
                code.to_owned(),
                Entry {
                    self_assessment: Some(layer),
                    ..Default::default()
                },
            );
        }
    }
    a
}

fn code_of(report: &Report, unit: u32) -> &str {
    &report.units.get(unit).code
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
    /// Σ points of the indicators computed from the records: the dossiers' indicators,
    /// and 1.1 and 1.2 where publication decisions feed them
    /// ([`Values::with_publications`]).
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
    let fed = FED_INDICATORS.into_iter().filter(|code| {
        values.is_some_and(|v| v.fed(code_of(report, unit), bucket, code).is_some())
    });
    let codes = fed.chain(
        Indicator::ALL
            .into_iter()
            .filter(|i| report.computable(*i))
            .map(Indicator::code),
    );
    for code in codes {
        if let Some(n) = result.node(code) {
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
/// leaf of `index`: `n/d` for the indicators computed from records or fed by
/// publication decisions, the values file's cell, or empty (missing).
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
                let from_records =
                    from_records.or_else(|| values.and_then(|v| v.fed(&node.code, b, code)));
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
