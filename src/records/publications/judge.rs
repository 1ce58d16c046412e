//! The judgement of each provincial decision: working days elapsed since the ministry's
//! decision, on time or late by N working days, the portal's 1.1 and 1.2 where their
//! dates are given, and the explanation in Vietnamese and English.

use super::columns::Column;
use super::error::{cell, location, Code, Problems};
use super::limits::MAX_DEADLINE_DAYS;
use super::read::Publication;
use super::rules::{FirstDay, Kind, Options};
use crate::calendar::{CalendarError, NaiveDate, WorkingCalendar};
use crate::diagnostics::Location;
use crate::text::Text;
use serde::{Serialize, Serializer};

/// Whether a provincial decision met its deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Timeliness {
    /// Issued within the deadline (on its last day included).
    OnTime,
    /// Issued this many working days (≥ 1) after the deadline.
    Late {
        /// Working days beyond the deadline.
        working_days: i64,
    },
    /// Not issued yet. With an "as of" date: how many working days overdue at that date
    /// (0: still within the deadline); without one: `None`.
    NotIssued {
        /// Working days overdue at the "as of" date.
        overdue_working_days: Option<i64>,
    },
}

impl Timeliness {
    /// Working days late (issued late, or overdue when not issued); 0 otherwise.
    pub fn late_by(self) -> i64 {
        match self {
            Timeliness::OnTime => 0,
            Timeliness::Late { working_days } => working_days,
            Timeliness::NotIssued {
                overdue_working_days,
            } => overdue_working_days.unwrap_or(0),
        }
    }
}

/// One of the portal's checks (1.1 or 1.2) on a decision announcing the list of TTHC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PortalCheck {
    /// The indicator: `1.1` or `1.2` (criteria/service-766/qd766-portal-six-groups.json).
    pub indicator: &'static str,
    /// The last day allowed, when inside the calendar.
    #[serde(serialize_with = "ser_opt_date")]
    pub limit: Option<NaiveDate>,
    /// Working days late (0: on time).
    pub late_by: i64,
    /// Why, in Vietnamese and English.
    pub explanation: Text,
}

impl PortalCheck {
    /// Whether the check is met.
    pub fn on_time(&self) -> bool {
        self.late_by == 0
    }
}

/// A provincial decision judged against its deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Judged {
    /// The row read.
    pub publication: Publication,
    /// The deadline in working days (5 for the list, 10 for the internal procedure).
    pub deadline_days: i64,
    /// The last day of the deadline (a working day), when inside the calendar.
    #[serde(serialize_with = "ser_opt_date")]
    pub due: Option<NaiveDate>,
    /// Working days from the ministry's decision to the provincial decision.
    pub elapsed: Option<i64>,
    /// On time, late by N working days, or not issued.
    pub timeliness: Timeliness,
    /// Why, in the words of the directive.
    pub explanation: Text,
    /// Portal 1.1 (QĐCB before the effective date), when `NgayHieuLuc` is given.
    pub portal_1_1: Option<PortalCheck>,
    /// Portal 1.2 ("công khai" after the QĐCB), when `NgayCongKhai` is given.
    pub portal_1_2: Option<PortalCheck>,
}

pub(crate) fn ser_date<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&d.format("%Y-%m-%d"))
}

pub(crate) fn ser_opt_date<S: Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => ser_date(d, s),
        None => s.serialize_none(),
    }
}

fn vi(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

fn en(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// "1 working day", "2 working days".
fn wd(n: i64) -> String {
    if n == 1 {
        "1 working day".to_owned()
    } else {
        format!("{n} working days")
    }
}

/// Checks the options; problems at path `options.<field>`.
pub(crate) fn check_options(options: &Options, cal: &WorkingCalendar, problems: &mut Problems) {
    for (field, n) in [
        ("list_days", options.list_days),
        ("procedure_days", options.procedure_days),
        ("portal.before_effective", options.portal.before_effective),
        ("portal.public_after", options.portal.public_after),
    ] {
        if !(1..=MAX_DEADLINE_DAYS).contains(&n) {
            problems.push(cell(
                Location::json(format!("options.{field}")),
                &n.to_string(),
                Code::BadOptions,
                &format!("a deadline must be 1 to {MAX_DEADLINE_DAYS} working days"),
                &format!("thời hạn phải từ 1 đến {MAX_DEADLINE_DAYS} ngày làm việc"),
            ));
        }
    }
    if let Some(d) = options.as_of {
        if let Err(e) = cal.is_working_day(d) {
            problems.push(e.to_diagnostic("options.as_of"));
        }
    }
}

/// Judges every row; calendar problems go to `problems` (located at the row and column).
pub(crate) fn judge_rows(
    rows: Vec<Publication>,
    options: &Options,
    cal: &WorkingCalendar,
    problems: &mut Problems,
) -> Vec<Judged> {
    rows.into_iter()
        .filter_map(|p| match judge_one(p, options, cal) {
            Ok(j) => Some(j),
            Err((row, column, number, e)) => {
                problems.push(e.to_diagnostic(location(row, Some(column.name()), Some(&number))));
                None
            }
        })
        .collect()
}

type Located = (u64, Column, String, CalendarError);

fn judge_one(p: Publication, o: &Options, cal: &WorkingCalendar) -> Result<Judged, Located> {
    let fail = |c: Column| {
        let (row, number) = (p.row, p.ministry.number.clone());
        move |e: CalendarError| (row, c, number, e)
    };
    // Every date must be in the calendar; the error names the column and the year.
    for (c, d) in [
        (Column::NgayQuyetDinhBo, Some(p.ministry.date)),
        (
            Column::NgayQuyetDinhTinh,
            p.provincial.as_ref().map(|d| d.date),
        ),
        (Column::NgayHieuLuc, p.effective),
        (Column::NgayCongKhai, p.made_public),
    ] {
        if let Some(d) = d {
            cal.is_working_day(d).map_err(fail(c))?;
        }
    }
    let n = o.deadline(p.kind);
    let from = p.ministry.date;
    let (due, elapsed, timeliness) = match &p.provincial {
        Some(dec) => {
            let x = o
                .elapsed(cal, from, dec.date)
                .map_err(fail(Column::NgayQuyetDinhTinh))?;
            // When on time the deadline may end past the calendar: it is then not shown.
            let due = o.due(cal, from, n).ok();
            let t = if x > n {
                Timeliness::Late {
                    working_days: x - n,
                }
            } else {
                Timeliness::OnTime
            };
            (due, Some(x), t)
        }
        None => {
            let due = o.due(cal, from, n).map_err(fail(Column::NgayQuyetDinhBo))?;
            let overdue = match o.as_of {
                Some(a) => Some(
                    (o.elapsed(cal, from, a)
                        .map_err(fail(Column::NgayQuyetDinhBo))?
                        - n)
                        .max(0),
                ),
                None => None,
            };
            (
                Some(due),
                None,
                Timeliness::NotIssued {
                    overdue_working_days: overdue,
                },
            )
        }
    };
    let explanation = explain(&p, o, n, due, elapsed, timeliness);
    let (mut portal_1_1, mut portal_1_2) = (None, None);
    if let (Kind::List, Some(dec)) = (p.kind, &p.provincial) {
        if let Some(eff) = p.effective {
            let k = o.portal.before_effective;
            let limit = cal
                .add_working_days(eff, -k)
                .map_err(fail(Column::NgayHieuLuc))?;
            let late_by = cal
                .working_days_between(limit, dec.date)
                .map_err(fail(Column::NgayHieuLuc))?
                .max(0);
            let verdict = verdict(late_by);
            portal_1_1 = Some(PortalCheck {
                indicator: "1.1",
                limit: Some(limit),
                late_by,
                explanation: Text::new(
                    format!(
                        "Chỉ số 1.1: Quyết định công bố số {} ngày {} phải ban hành chậm nhất ngày {} ({k} ngày làm việc trước ngày hiệu lực {}): {}",
                        dec.number, vi(dec.date), vi(limit), vi(eff), verdict.vi
                    ),
                    format!(
                        "Indicator 1.1: announcing decision {} of {} had to be issued by {} ({} before the effective date {}): {}",
                        dec.number, en(dec.date), en(limit), wd(k), en(eff), verdict.en
                    ),
                ),
            });
        }
        if let Some(public) = p.made_public {
            let k = o.portal.public_after;
            let x = cal
                .working_days_between(dec.date, public)
                .map_err(fail(Column::NgayCongKhai))?;
            let late_by = (x - k).max(0);
            let verdict = verdict(late_by);
            portal_1_2 = Some(PortalCheck {
                indicator: "1.2",
                limit: cal.add_working_days(dec.date, k).ok(),
                late_by,
                explanation: Text::new(
                    format!(
                        "Chỉ số 1.2: công khai trên CSDL quốc gia về TTHC ngày {}, sau {x} ngày làm việc kể từ Quyết định công bố số {} ngày {} (hạn {k} ngày làm việc): {}",
                        vi(public), dec.number, vi(dec.date), verdict.vi
                    ),
                    format!(
                        "Indicator 1.2: published on the national TTHC database on {}, {} after announcing decision {} of {} (deadline {}): {}",
                        en(public), wd(x), dec.number, en(dec.date), wd(k), verdict.en
                    ),
                ),
            });
        }
    }
    Ok(Judged {
        publication: p,
        deadline_days: n,
        due,
        elapsed,
        timeliness,
        explanation,
        portal_1_1,
        portal_1_2,
    })
}

fn verdict(late_by: i64) -> Text {
    if late_by > 0 {
        Text::new(
            format!("trễ {late_by} ngày làm việc"),
            format!("late by {}", wd(late_by)),
        )
    } else {
        Text::new("đúng hạn", "on time")
    }
}

fn explain(
    p: &Publication,
    o: &Options,
    n: i64,
    due: Option<NaiveDate>,
    elapsed: Option<i64>,
    t: Timeliness,
) -> Text {
    let act = p.kind.act();
    let m = &p.ministry;
    let (first_vi, first_en) = match o.first_day {
        FirstDay::DayAfter => ("", ""),
        FirstDay::DecisionDay => (
            ", tính cả ngày ban hành quyết định của Bộ",
            ", counting the day of the ministry's decision",
        ),
    };
    let (until_vi, until_en) = match due {
        Some(d) => (
            format!(", đến hết ngày {}", vi(d)),
            format!(", until the end of {}", en(d)),
        ),
        None => (String::new(), String::new()),
    };
    match (&p.provincial, elapsed) {
        (Some(dec), Some(x)) => {
            let v = verdict(t.late_by());
            Text::new(
                format!(
                    "{} số {} ngày {} ban hành sau {x} ngày làm việc kể từ Quyết định số {} ngày {} của Bộ (hạn {n} ngày làm việc{first_vi}{until_vi}): {}",
                    act.vi, dec.number, vi(dec.date), m.number, vi(m.date), v.vi
                ),
                format!(
                    "The {} {} of {} was issued {} after the ministry's Decision {} of {} (deadline {}{first_en}{until_en}): {}",
                    act.en, dec.number, en(dec.date), wd(x), m.number, en(m.date), wd(n), v.en
                ),
            )
        }
        _ => {
            let (state_vi, state_en) = match (t, o.as_of) {
                (
                    Timeliness::NotIssued {
                        overdue_working_days: Some(k),
                    },
                    Some(a),
                ) if k > 0 => (
                    format!("; tính đến ngày {}: quá hạn {k} ngày làm việc", vi(a)),
                    format!("; as of {}: overdue by {}", en(a), wd(k)),
                ),
                (_, Some(a)) if a < m.date => (
                    format!(
                        "; tính đến ngày {}: trước ngày quyết định của Bộ, chưa tính hạn",
                        vi(a)
                    ),
                    format!(
                        "; as of {}: before the ministry's decision, no deadline running yet",
                        en(a)
                    ),
                ),
                (_, Some(a)) => (
                    format!("; tính đến ngày {}: còn trong hạn", vi(a)),
                    format!("; as of {}: still within the deadline", en(a)),
                ),
                (_, None) => (String::new(), String::new()),
            };
            Text::new(
                format!(
                    "{} theo Quyết định số {} ngày {} của Bộ chưa ban hành (hạn {n} ngày làm việc{first_vi}{until_vi}){state_vi}",
                    act.vi, m.number, vi(m.date)
                ),
                format!(
                    "The {} following the ministry's Decision {} of {} has not been issued (deadline {}{first_en}{until_en}){state_en}",
                    act.en, m.number, en(m.date), wd(n)
                ),
            )
        }
    }
}
