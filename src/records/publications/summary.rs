//! Ratios per period: decisions issued on time over decisions issued, for each kind (the
//! seed directive), and TTHC announced / published on time over TTHC announced for the
//! portal's 1.1 and 1.2 — each a numerator and a denominator ready for `Value::Ratio`.

use super::judge::{Judged, Timeliness};
use super::rules::Kind;
use crate::calendar::NaiveDate;
use crate::records::{BucketIndex, By, Period};
use crate::text::Text;
use crate::{Decimal, Value};
use serde::Serialize;
use std::collections::BTreeMap;

/// On time over all, as whole counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct OnTimeCount {
    /// Numerator (tử số): on time.
    pub on_time: u64,
    /// Denominator (mẫu số): all counted.
    pub total: u64,
}

impl OnTimeCount {
    /// Counted but not on time.
    pub fn late(&self) -> u64 {
        self.total - self.on_time
    }

    /// The ratio as a criterion value (`0/0` when nothing was counted: the criteria file
    /// decides what a zero denominator scores).
    ///
    /// ```
    /// use chiso::records::publications::OnTimeCount;
    /// use chiso::{Decimal, Value};
    /// let v = OnTimeCount { on_time: 3, total: 4 }.value();
    /// assert_eq!(v, Value::Ratio { numerator: Decimal::from(3), denominator: Decimal::from(4) });
    /// ```
    pub fn value(&self) -> Value {
        Value::Ratio {
            numerator: Decimal::from(self.on_time),
            denominator: Decimal::from(self.total),
        }
    }

    fn add(&mut self, on_time: bool) {
        self.total += 1;
        self.on_time += u64::from(on_time);
    }
}

/// The portal's 1.1 or 1.2 over TTHC: each TTHC counts once per period and is late if one
/// of its decisions is late (reference `service-index-766.md` §4, Definitions: "1 TTHC
/// với nhiều QĐCB counts once; 1 late = late for the period").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct PortalCount {
    /// TTHC on time over TTHC counted.
    pub count: OnTimeCount,
    /// Decisions without `MaTTHC`, each counted as one item (the count is then of
    /// decisions, not TTHC: give the codes to match the portal).
    pub decisions_without_codes: u64,
}

/// One bucket of the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PeriodSummary {
    /// `2026-05`, `2026-Q2`, `2026`, or the whole period `2026-01..2026-09`.
    pub label: String,
    /// First day.
    #[serde(serialize_with = "super::judge::ser_date")]
    pub first_day: NaiveDate,
    /// Last day.
    #[serde(serialize_with = "super::judge::ser_date")]
    pub last_day: NaiveDate,
    /// Decisions announcing the list of TTHC issued in the bucket: on time / issued.
    pub list: OnTimeCount,
    /// Decisions approving the internal procedure issued in the bucket: on time / issued.
    pub internal_procedure: OnTimeCount,
    /// Portal 1.1 over the TTHC of the list decisions issued in the bucket with a
    /// `NgayHieuLuc`.
    pub portal_1_1: PortalCount,
    /// Portal 1.2 over the TTHC of the list decisions issued in the bucket with a
    /// `NgayCongKhai`.
    pub portal_1_2: PortalCount,
}

impl PeriodSummary {
    /// The count of `kind`.
    pub fn of(&self, kind: Kind) -> &OnTimeCount {
        match kind {
            Kind::List => &self.list,
            Kind::InternalProcedure => &self.internal_procedure,
        }
    }

    /// The counts in words (parts with nothing counted are left out).
    pub fn explanation(&self) -> Text {
        let mut vi = vec![format!("Kỳ {}", self.label)];
        let mut en = vec![format!("Period {}", self.label)];
        for k in Kind::ALL {
            let c = self.of(k);
            vi.push(format!(
                "{}: {}/{} quyết định ban hành đúng hạn",
                k.label().vi,
                c.on_time,
                c.total
            ));
            en.push(format!(
                "{}: {} of {} decisions issued on time",
                k.label().en,
                c.on_time,
                c.total
            ));
        }
        for (code, p, vi_what, en_what) in [
            (
                "1.1",
                &self.portal_1_1,
                "công bố đúng hạn",
                "announced on time",
            ),
            (
                "1.2",
                &self.portal_1_2,
                "công khai đúng hạn",
                "published on time",
            ),
        ] {
            if p.count.total == 0 {
                continue;
            }
            let (unit_vi, unit_en) = if p.decisions_without_codes > 0 {
                (
                    "mục (TTHC hoặc quyết định không ghi mã TTHC)",
                    "items (TTHC, or decisions without TTHC codes)",
                )
            } else {
                ("TTHC", "TTHC")
            };
            vi.push(format!(
                "chỉ số {code}: {}/{} {unit_vi} {vi_what}",
                p.count.on_time, p.count.total
            ));
            en.push(format!(
                "indicator {code}: {} of {} {unit_en} {en_what}",
                p.count.on_time, p.count.total
            ));
        }
        Text::new(vi.join("; "), en.join("; "))
    }
}

/// Decisions not issued yet, per kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct NotIssuedCount {
    /// The kind.
    pub kind: Kind,
    /// Not issued.
    pub count: u64,
    /// Of which overdue at the "as of" date.
    pub overdue: u64,
}

/// The ratios of a set of judged decisions over a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// One entry per bucket, in time order.
    pub periods: Vec<PeriodSummary>,
    /// Decisions not issued yet (outside every ratio: the ratios count issued decisions).
    pub not_issued: Vec<NotIssuedCount>,
    /// Decisions issued outside the period (not counted).
    pub outside_period: u64,
}

/// Counts `judged` over `period` cut `by`: a decision belongs to the bucket holding the
/// date of the provincial decision (for 1.1 and 1.2 too: the date of the QĐCB).
///
/// ```
/// use chiso::records::publications::{check, summarise, Options};
/// use chiso::records::{By, Period, RecordFormat};
/// let csv = "SoQuyetDinhBo,NgayQuyetDinhBo,SoQuyetDinhTinh,NgayQuyetDinhTinh,LoaiQuyetDinh\n\
///            1/QĐ-BX,02/03/2026,10/QĐ-UBND,06/03/2026,danh mục\n\
///            2/QĐ-BX,02/03/2026,11/QĐ-UBND,12/03/2026,danh mục\n";
/// let cal = chiso::calendar::WorkingCalendar::vietnam();
/// let judged = check(csv, RecordFormat::Csv, "pubs.csv", &Options::default(), cal).unwrap();
/// let s = summarise(&judged, &"2026-Q1".parse::<Period>().unwrap(), By::Whole);
/// assert_eq!((s.periods[0].list.on_time, s.periods[0].list.total), (1, 2));
/// ```
pub fn summarise(judged: &[Judged], period: &Period, by: By) -> Summary {
    let buckets = period.buckets(by);
    let index = BucketIndex::new(period, by);
    let mut periods: Vec<PeriodSummary> = buckets
        .iter()
        .map(|b| PeriodSummary {
            label: b.label.clone(),
            first_day: b.first_day,
            last_day: b.last_day,
            list: OnTimeCount::default(),
            internal_procedure: OnTimeCount::default(),
            portal_1_1: PortalCount::default(),
            portal_1_2: PortalCount::default(),
        })
        .collect();
    // Per bucket, per TTHC (or decision): late?
    let mut items: Vec<[BTreeMap<String, bool>; 2]> = vec![Default::default(); periods.len()];
    let mut not_issued: Vec<NotIssuedCount> = Kind::ALL
        .iter()
        .map(|&kind| NotIssuedCount {
            kind,
            count: 0,
            overdue: 0,
        })
        .collect();
    let mut outside_period = 0;
    for j in judged {
        let p = &j.publication;
        let Some(dec) = &p.provincial else {
            if let Some(n) = not_issued.iter_mut().find(|n| n.kind == p.kind) {
                n.count += 1;
                n.overdue += u64::from(j.timeliness.late_by() > 0);
            }
            continue;
        };
        let Some(b) = index.of(dec.date).filter(|&b| b < periods.len()) else {
            outside_period += 1;
            continue;
        };
        let s = &mut periods[b];
        match p.kind {
            Kind::List => s.list.add(j.timeliness == Timeliness::OnTime),
            Kind::InternalProcedure => s.internal_procedure.add(j.timeliness == Timeliness::OnTime),
        }
        for (slot, check) in [&j.portal_1_1, &j.portal_1_2].into_iter().enumerate() {
            let Some(check) = check else { continue };
            let late = !check.on_time();
            if p.tthc.is_empty() {
                let count = if slot == 0 {
                    &mut s.portal_1_1
                } else {
                    &mut s.portal_1_2
                };
                count.decisions_without_codes += 1;
                *items[b][slot]
                    .entry(format!("row {}", p.row))
                    .or_insert(false) |= late;
            }
            for code in &p.tthc {
                *items[b][slot]
                    .entry(format!("TTHC {code}"))
                    .or_insert(false) |= late;
            }
        }
    }
    for (s, [one, two]) in periods.iter_mut().zip(items) {
        for (count, map) in [(&mut s.portal_1_1, one), (&mut s.portal_1_2, two)] {
            count.count.total = map.len() as u64;
            count.count.on_time = map.values().filter(|late| !**late).count() as u64;
        }
    }
    Summary {
        periods,
        not_issued,
        outside_period,
    }
}
