//! Publication decisions in a records run: the decisions judged, their counts per bucket
//! of the run's period, and the portal's 1.1 and 1.2 fed as values of the province — the
//! root of the dossiers' unit tree — and of every unit below it.
//!
//! **Why every unit.** The portal computes 1.1–1.3 at province level and shows the
//! province's values for its departments and communes (reference `service-index-766.md`
//! §8.4: "Child units carry the province's 1.1–1.3 values", 1/47, 43/47, 47/47 for the 149
//! Gia Lai units alike; the rule is inferred from the published data). So a unit below the
//! province inherits the province's 1.1 and 1.2, and says so in its explanation
//! ("inherited from the province: 1/47").
//!
//! **When a value is fed.** In a bucket where the count of 1.1 (or 1.2) is `0/0` — no list
//! decision issued in the bucket with `NgayHieuLuc` (or `NgayCongKhai`) — nothing is fed
//! and the indicator stays missing: the reference gives no rule for a zero denominator of
//! 1.1 or 1.2, and a `0/0` from a file that may simply lack the dates is not evidence of
//! anything ([`Feed::unfed`] lists these). A values file (`--values`) may not give a value
//! for a fed indicator of a unit the feed covers ([`Values::with_publications`](crate::records::Values::with_publications)):
//! that is a conflict, reported as an error, never a silent choice.

use super::error::{self, cell, Code};
use super::judge::Judged;
use super::rules::Options;
use super::summary::{summarise, PortalCount, Summary};
use crate::diagnostics::{Diagnostics, Location};
use crate::records::analyse::Report;
use crate::text::Text;
use serde::Serialize;

/// The indicators a publications file feeds, in the order of [`Feed::count`].
pub const FED_INDICATORS: [&str; 2] = ["1.1", "1.2"];

/// The publication decisions of a records run (see the module documentation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Feed {
    /// The publications file's name.
    pub source: String,
    /// How the deadlines were counted.
    pub options: Options,
    /// The province: the root unit of the dossiers' tree (`None` when the dossier file has
    /// no unit). The values are fed to it and to every unit whose code extends it.
    pub province: Option<String>,
    /// Every decision judged, in file order.
    pub judged: Vec<Judged>,
    /// The counts per bucket of the run's period (same buckets as the report's).
    pub summary: Summary,
}

/// The feed of `judged` (from [`check`](super::check) or [`check_file`](super::check_file)
/// with `options`) into the records run `report`, whose period and cut it takes. The
/// dossiers must belong to one province: a unit tree with two roots is an error (a
/// publications file is one province's decisions), located in `source`.
///
/// ```
/// use chiso::records::publications::{check, feed, Options};
/// use chiso::records::{analyse, Options as RunOptions, RecordFormat};
/// let cal = chiso::calendar::WorkingCalendar::vietnam();
/// // Ministry Mon 02/03/2026; the province announces the list Fri 06/03 (4 working days),
/// // made public Tue 10/03 (2 working days later); effective Wed 01/04: the limit of 1.1 is
/// // Wed 25/03, 5 working days before — on time on both counts.
/// let pubs = "SoQuyetDinhBo,NgayQuyetDinhBo,SoQuyetDinhTinh,NgayQuyetDinhTinh,LoaiQuyetDinh,NgayHieuLuc,NgayCongKhai,MaTTHC\n\
///             1/QĐ-BX,02/03/2026,10/QĐ-UBND,06/03/2026,danh mục,01/04/2026,10/03/2026,1.0001\n";
/// let judged = check(pubs, RecordFormat::Csv, "pubs.csv", &Options::default(), cal).unwrap();
/// let dossiers = "MaHoSo,DonViXuLy,TrangThaiHoSo,NgayTiepNhan,NgayHenTra\nA1,H21.17,4,20260302080000,20260306080000\n";
/// let run = RunOptions::new(RecordFormat::Csv, "dossiers.csv", "2026-03".parse().unwrap());
/// let report = analyse(&mut || Ok(dossiers.as_bytes()), &run).unwrap();
/// let f = feed(&report, judged, "pubs.csv", &Options::default()).unwrap();
/// assert_eq!(f.province.as_deref(), Some("H21"));
/// assert_eq!(f.count(0, "1.1").map(|c| (c.count.on_time, c.count.total)), Some((1, 1)));
/// assert!(f.covers("H21.17"));
/// assert_eq!(
///     f.explanation("H21.17", 0, "1.2").unwrap().en,
///     "inherited from the province: 1/1 (indicator 1.2 of H21, from pubs.csv; the portal \
///      shows the province's 1.1–1.3 for its departments and communes)"
/// );
/// ```
pub fn feed(
    report: &Report,
    judged: Vec<Judged>,
    source: &str,
    options: &Options,
) -> Result<Feed, Diagnostics> {
    let roots: Vec<&str> = report
        .units
        .tree_order()
        .into_iter()
        .map(|u| report.units.get(u))
        .filter(|n| n.parent.is_none())
        .map(|n| n.code.as_str())
        .collect();
    if roots.len() > 1 {
        let mut p = error::problems();
        let list = roots.join(", ");
        p.push(cell(
            Location::File,
            "",
            Code::SeveralProvinces,
            &format!(
                "a publications file is one province's decisions, but the dossiers of {} belong to {} top-level units ({list}); give the dossiers of one province",
                report.options.source,
                roots.len()
            ),
            &format!(
                "tệp công bố là các quyết định của một tỉnh, nhưng hồ sơ trong {} thuộc {} đơn vị cấp cao nhất ({list}); hãy dùng hồ sơ của một tỉnh",
                report.options.source,
                roots.len()
            ),
        ));
        return Err(p.finish(source));
    }
    let summary = summarise(&judged, &report.options.period, report.options.by);
    Ok(Feed {
        source: source.to_owned(),
        options: *options,
        province: roots.first().map(|r| (*r).to_owned()),
        judged,
        summary,
    })
}

impl Feed {
    /// The count fed for `code` (`1.1` or `1.2`) in `bucket`: `None` when nothing was
    /// counted there (the indicator is then not fed, see the module documentation).
    pub fn count(&self, bucket: usize, code: &str) -> Option<&PortalCount> {
        let p = self.summary.periods.get(bucket)?;
        let c = match code {
            "1.1" => &p.portal_1_1,
            "1.2" => &p.portal_1_2,
            _ => return None,
        };
        (c.count.total > 0).then_some(c)
    }

    /// The indicators fed in at least one bucket.
    pub fn fed_codes(&self) -> Vec<&'static str> {
        FED_INDICATORS
            .into_iter()
            .filter(|code| (0..self.summary.periods.len()).any(|b| self.count(b, code).is_some()))
            .collect()
    }

    /// `(bucket label, code)` of every indicator not fed in a bucket (nothing counted).
    pub fn unfed(&self) -> Vec<(&str, &'static str)> {
        let mut v = Vec::new();
        for (b, p) in self.summary.periods.iter().enumerate() {
            for code in FED_INDICATORS {
                if self.count(b, code).is_none() {
                    v.push((p.label.as_str(), code));
                }
            }
        }
        v
    }

    /// Why `code` is not fed in `bucket` (nothing counted there, or no unit to feed);
    /// `None` when it is fed.
    pub fn not_fed_explanation(&self, bucket: usize, code: &str) -> Option<Text> {
        let p = self.summary.periods.get(bucket)?;
        if self.province.is_none() {
            return Some(Text::new(
                format!(
                    "chỉ số {code}, kỳ {}: tệp hồ sơ không có đơn vị nào để nhận giá trị",
                    p.label
                ),
                format!(
                    "indicator {code}, period {}: the dossier file has no unit to give it to",
                    p.label
                ),
            ));
        }
        if self.count(bucket, code).is_some() {
            return None;
        }
        let column = if code == "1.1" {
            "NgayHieuLuc"
        } else {
            "NgayCongKhai"
        };
        Some(Text::new(
            format!(
                "chỉ số {code}, kỳ {}: không có quyết định công bố danh mục TTHC nào ban hành trong kỳ có {column} trong tệp {}: chỉ số để trống (thiếu), không tính là 0/0",
                p.label, self.source
            ),
            format!(
                "indicator {code}, period {}: no decision announcing a list of TTHC issued in the period has {column} in {}: the indicator stays missing, not 0/0",
                p.label, self.source
            ),
        ))
    }

    /// The label of the bucket holding the date of `j`'s provincial decision; `None` when
    /// it is not issued or issued outside the period.
    pub fn bucket_of(&self, j: &Judged) -> Option<&str> {
        let date = j.publication.provincial.as_ref()?.date;
        self.summary
            .periods
            .iter()
            .find(|p| p.first_day <= date && date <= p.last_day)
            .map(|p| p.label.as_str())
    }

    /// Whether `unit` is the province or below it (its code extends the province's after
    /// a dot).
    pub fn covers(&self, unit: &str) -> bool {
        self.province.as_deref().is_some_and(|p| {
            unit == p
                || (unit.len() > p.len() && unit.starts_with(p) && unit.as_bytes()[p.len()] == b'.')
        })
    }

    /// Whether `unit` inherits the province's value (it is below the province).
    pub fn inherits(&self, unit: &str) -> bool {
        self.covers(unit) && self.province.as_deref() != Some(unit)
    }

    /// Why `unit` has the value of `code` in `bucket`, in Vietnamese and English; `None`
    /// when nothing is fed there.
    pub fn explanation(&self, unit: &str, bucket: usize, code: &str) -> Option<Text> {
        if !self.covers(unit) {
            return None;
        }
        let c = self.count(bucket, code)?;
        let province = self.province.as_deref().unwrap_or_default();
        let (n, d) = (c.count.on_time, c.count.total);
        let src = &self.source;
        if self.inherits(unit) {
            return Some(Text::new(
                format!("kế thừa từ tỉnh: {n}/{d} (chỉ số {code} của {province}, từ tệp {src}; Cổng DVCQG hiển thị giá trị 1.1–1.3 của tỉnh cho các sở, xã)"),
                format!("inherited from the province: {n}/{d} (indicator {code} of {province}, from {src}; the portal shows the province's 1.1–1.3 for its departments and communes)"),
            ));
        }
        let (vi_what, en_what) = if code == "1.1" {
            ("công bố đúng hạn", "announced on time")
        } else {
            ("công khai đúng hạn", "published on time")
        };
        let (vi_items, en_items) = if c.decisions_without_codes > 0 {
            (
                "mục (TTHC, hoặc quyết định không ghi mã TTHC)",
                "items (TTHC, or decisions without TTHC codes)",
            )
        } else {
            ("TTHC", "TTHC")
        };
        Some(Text::new(
            format!("chỉ số {code} của tỉnh {province}: {n}/{d} {vi_items} {vi_what} (từ tệp {src})"),
            format!("indicator {code} of the province {province}: {n}/{d} {en_items} {en_what} (from {src})"),
        ))
    }
}
