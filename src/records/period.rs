//! Periods: a span of whole months (`2026`, `2026-Q3`, `2026-05`, `2026-01..2026-09`)
//! cut into buckets by month, quarter, year or as a whole. A dossier belongs to the
//! bucket holding its receipt date; a bucket ends at 00:00 of the day after its last
//! day (the evaluation time of open dossiers, unless an earlier "as of" time is given).

use crate::calendar::{NaiveDate, NaiveDateTime};
use crate::records::limits::MAX_PERIOD_MONTHS;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Month {
    /// Year.
    pub year: i32,
    /// Month, 1–12.
    pub month: u32,
}

impl Month {
    /// Months since year 0 (a linear index).
    fn ordinal(self) -> i64 {
        i64::from(self.year) * 12 + i64::from(self.month) - 1
    }

    fn from_ordinal(o: i64) -> Option<Month> {
        Some(Month {
            year: i32::try_from(o.div_euclid(12)).ok()?,
            month: u32::try_from(o.rem_euclid(12)).ok()? + 1,
        })
    }

    /// The first day of the month.
    pub fn first_day(self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year, self.month, 1)
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// How a period is cut into buckets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum By {
    /// One bucket per month.
    Month,
    /// One bucket per calendar quarter.
    Quarter,
    /// One bucket per year.
    Year,
    /// One bucket for the whole period (default).
    #[default]
    Whole,
}

impl std::str::FromStr for By {
    type Err = String;
    fn from_str(s: &str) -> Result<By, String> {
        match s {
            "month" => Ok(By::Month),
            "quarter" => Ok(By::Quarter),
            "year" => Ok(By::Year),
            "whole" => Ok(By::Whole),
            _ => Err(format!(
                "unknown --by '{s}' (use month, quarter, year or whole)"
            )),
        }
    }
}

/// A span of whole months, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    /// First month.
    pub from: Month,
    /// Last month.
    pub to: Month,
}

/// A text that is not a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodError(pub String);

impl fmt::Display for PeriodError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot read the period \"{}\"; write 2026, 2026-Q3, 2026-05 or 2026-01..2026-09 / không đọc được kỳ \"{}\"; viết 2026, 2026-Q3, 2026-05 hoặc 2026-01..2026-09",
            self.0, self.0
        )
    }
}

impl std::error::Error for PeriodError {}

/// One end: `yyyy`, `yyyy-Qn` or `yyyy-MM`, as (first month, last month).
fn span(s: &str) -> Option<(Month, Month)> {
    let year = |y: &str| -> Option<i32> {
        (y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()))
            .then(|| y.parse().ok())
            .flatten()
    };
    if let Some(y) = year(s) {
        return Some((Month { year: y, month: 1 }, Month { year: y, month: 12 }));
    }
    let (y, rest) = s.split_once('-')?;
    let y = year(y)?;
    if let Some(q) = rest.strip_prefix('Q').or_else(|| rest.strip_prefix('q')) {
        let q: u32 = match q {
            "1" | "2" | "3" | "4" => q.parse().ok()?,
            _ => return None,
        };
        return Some((
            Month {
                year: y,
                month: q * 3 - 2,
            },
            Month {
                year: y,
                month: q * 3,
            },
        ));
    }
    if rest.len() != 2 || !rest.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let m: u32 = rest.parse().ok()?;
    (1..=12)
        .contains(&m)
        .then_some((Month { year: y, month: m }, Month { year: y, month: m }))
}

impl std::str::FromStr for Period {
    type Err = PeriodError;

    /// ```
    /// use chiso::records::Period;
    /// let p: Period = "2026-Q3".parse().unwrap();
    /// assert_eq!(p.to_string(), "2026-07..2026-09");
    /// assert_eq!("2026-01..2026-09".parse::<Period>().unwrap().months(), 9);
    /// assert!("2026-13".parse::<Period>().is_err());
    /// ```
    fn from_str(s: &str) -> Result<Period, PeriodError> {
        let err = || PeriodError(s.to_owned());
        let t = s.trim();
        let (a, b) = match t.split_once("..") {
            Some((a, b)) => (
                span(a.trim()).ok_or_else(err)?,
                span(b.trim()).ok_or_else(err)?,
            ),
            None => {
                let x = span(t).ok_or_else(err)?;
                (x, x)
            }
        };
        let p = Period { from: a.0, to: b.1 };
        if p.to < p.from || p.months() > MAX_PERIOD_MONTHS {
            return Err(err());
        }
        Ok(p)
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.from, self.to)
    }
}

/// One bucket of a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bucket {
    /// Label: `2026-05`, `2026-Q2`, `2026`, or the period `2026-01..2026-09`.
    pub label: String,
    /// First day.
    pub first_day: NaiveDate,
    /// Last day.
    pub last_day: NaiveDate,
}

impl Bucket {
    /// 00:00 of the day after the last day: the bucket's end instant (exclusive).
    pub fn end(&self) -> NaiveDateTime {
        self.last_day
            .succ_opt()
            .unwrap_or(self.last_day)
            .and_time(crate::calendar::NaiveTime::MIN)
    }
}

impl Period {
    /// The period as people write it: `2026`, `2026-Q3`, `2026-05`, or
    /// `2026-01..2026-09`.
    pub fn label(&self) -> String {
        let (f, t) = (self.from, self.to);
        if f.year == t.year && f.month == 1 && t.month == 12 {
            format!("{:04}", f.year)
        } else if f.year == t.year && f.month % 3 == 1 && t.month == f.month + 2 {
            format!("{:04}-Q{}", f.year, (f.month - 1) / 3 + 1)
        } else if f == t {
            f.to_string()
        } else {
            self.to_string()
        }
    }

    /// Number of months.
    pub fn months(&self) -> usize {
        usize::try_from(self.to.ordinal() - self.from.ordinal() + 1).unwrap_or(usize::MAX)
    }

    /// The buckets of the period cut `by`, in time order; a quarter or year bucket is
    /// clipped to the period (its label says so when clipped: `2026-Q1 (02..03)`).
    pub fn buckets(&self, by: By) -> Vec<Bucket> {
        let mut out: Vec<(String, Month, Month)> = Vec::new();
        let (f, t) = (self.from.ordinal(), self.to.ordinal());
        for o in f..=t {
            let Some(m) = Month::from_ordinal(o) else {
                continue;
            };
            let key = match by {
                By::Month => m.to_string(),
                By::Quarter => format!("{:04}-Q{}", m.year, (m.month - 1) / 3 + 1),
                By::Year => format!("{:04}", m.year),
                By::Whole => self.label(),
            };
            match out.last_mut() {
                Some((k, _, last)) if *k == key => *last = m,
                _ => out.push((key, m, m)),
            }
        }
        out.into_iter()
            .filter_map(|(label, a, b)| {
                let first_day = a.first_day()?;
                let next = Month::from_ordinal(b.ordinal() + 1)?.first_day()?;
                let last_day = next.pred_opt()?;
                let whole = match by {
                    By::Quarter => a.month % 3 == 1 && b.month % 3 == 0,
                    By::Year => a.month == 1 && b.month == 12,
                    _ => true,
                };
                let label = if whole {
                    label
                } else {
                    format!("{label} ({:02}..{:02})", a.month, b.month)
                };
                Some(Bucket {
                    label,
                    first_day,
                    last_day,
                })
            })
            .collect()
    }
}

/// Finds the bucket of a date in O(1): month offset → bucket.
#[derive(Debug, Clone)]
pub struct BucketIndex {
    first: i64,
    by_month: Vec<u16>,
}

impl BucketIndex {
    /// The index of `period` cut `by` (the same cut as [`Period::buckets`]).
    pub fn new(period: &Period, by: By) -> BucketIndex {
        let buckets = period.buckets(by);
        let mut by_month = Vec::with_capacity(period.months());
        let mut b = 0usize;
        for o in period.from.ordinal()..=period.to.ordinal() {
            let Some(m) = Month::from_ordinal(o).and_then(Month::first_day) else {
                continue;
            };
            while b + 1 < buckets.len() && buckets[b].last_day < m {
                b += 1;
            }
            by_month.push(u16::try_from(b).unwrap_or(u16::MAX));
        }
        BucketIndex {
            first: period.from.ordinal(),
            by_month,
        }
    }

    /// The bucket holding `d`, or `None` outside the period.
    pub fn of(&self, d: NaiveDate) -> Option<usize> {
        use chrono::Datelike;
        let o = i64::from(d.year()) * 12 + i64::from(d.month()) - 1 - self.first;
        usize::try_from(o)
            .ok()
            .and_then(|i| self.by_month.get(i))
            .map(|b| usize::from(*b))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn parses_every_form() {
        let p = |s: &str| s.parse::<Period>().map(|p| p.to_string());
        assert_eq!(p("2026").unwrap(), "2026-01..2026-12");
        assert_eq!(p("2026-Q1").unwrap(), "2026-01..2026-03");
        assert_eq!(p("2026-q4").unwrap(), "2026-10..2026-12");
        assert_eq!(p("2026-05").unwrap(), "2026-05..2026-05");
        assert_eq!(p("2025-11..2026-02").unwrap(), "2025-11..2026-02");
        assert_eq!(p("2025..2026-Q1").unwrap(), "2025-01..2026-03");
        for bad in [
            "",
            "26",
            "2026-5",
            "2026-Q5",
            "2026-00",
            "2026-09..2026-01",
            "x..y",
            "2026-01..",
            "1000..2026",
        ] {
            assert!(p(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn buckets_by_each_cut() {
        let p: Period = "2026-02..2026-08".parse().unwrap();
        let labels = |by| {
            p.buckets(by)
                .into_iter()
                .map(|b| b.label)
                .collect::<Vec<_>>()
        };
        assert_eq!(labels(By::Whole), ["2026-02..2026-08"]);
        assert_eq!(labels(By::Year), ["2026 (02..08)"]);
        assert_eq!(
            labels(By::Quarter),
            ["2026-Q1 (02..03)", "2026-Q2", "2026-Q3 (07..08)"]
        );
        assert_eq!(labels(By::Month).len(), 7);
        let b = &p.buckets(By::Quarter)[0];
        assert_eq!((b.first_day, b.last_day), (d(2026, 2, 1), d(2026, 3, 31)));
        assert_eq!(b.end(), d(2026, 4, 1).and_hms_opt(0, 0, 0).unwrap());
        let idx = BucketIndex::new(&p, By::Quarter);
        assert_eq!(idx.of(d(2026, 1, 31)), None);
        assert_eq!(idx.of(d(2026, 2, 1)), Some(0));
        assert_eq!(idx.of(d(2026, 4, 30)), Some(1));
        assert_eq!(idx.of(d(2026, 8, 31)), Some(2));
        assert_eq!(idx.of(d(2026, 9, 1)), None);
        let idx = BucketIndex::new(&p, By::Month);
        assert_eq!(idx.of(d(2026, 5, 15)), Some(3));
    }
}
