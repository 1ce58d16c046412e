//! The on-time judgement of one dossier (2.1, and the overdue part of 5.4) under the
//! named [`Policies`], with the working-time arithmetic of [`crate::calendar`]: the due
//! time (given, or computed from the procedure's maximum time), supplement pauses, the
//! end event, and the five OpenCPS outcomes (reference §11.3: early, on time, late,
//! open not yet due, open overdue).
//!
//! **Early / on time / late.** With timestamps, a dossier finished on a date before the
//! due date is early, on the due date at or before the due time on time, after the due
//! time late; with calendar dates (TD), <, =, >. A date without a time compares as a
//! date. **Open** dossiers are judged at the evaluation time (the end of the period, or
//! an earlier "as of" time): overdue when the due time is before it.

use crate::calendar::{CalendarError, LocalTime, NaiveDate, NaiveDateTime, WorkingCalendar};
use crate::records::dossier::{Dossier, TrangThaiHoSo};
use crate::records::policy::{
    Comparison, EndEvent, Finished, FinishedAfterPeriod, MissingDue, OpenAtEnd, Policies,
    RepeatedSupplements, Supplements, Withdrawn,
};
use crate::text::Lang;
use serde::Serialize;

/// The five OpenCPS counts, and dossiers counted apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Finished before the due date (OpenCPS `betimesCount`).
    Early,
    /// Finished on the due date, in time (`ontimeCount`).
    OnTime,
    /// Finished after the due time (`overtimeCount`).
    Late,
    /// Open at the evaluation time, not yet due (`undueCount`).
    OpenNotDue,
    /// Open at the evaluation time and past due (`overdueCount`).
    OpenOverdue,
    /// Withdrawn, counted apart (OpenCPS policy): outside 2.1.
    Excluded,
}

impl Outcome {
    /// Whether 2.1 counts the dossier in its numerator.
    pub fn is_on_time(self) -> bool {
        matches!(self, Outcome::Early | Outcome::OnTime | Outcome::OpenNotDue)
    }

    /// Whether the dossier is overdue (late or open overdue).
    pub fn is_overdue(self) -> bool {
        matches!(self, Outcome::Late | Outcome::OpenOverdue)
    }

    /// Name in `lang`.
    pub fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Outcome::Early, Lang::Vi) => "trước hạn",
            (Outcome::OnTime, Lang::Vi) => "đúng hạn",
            (Outcome::Late, Lang::Vi) => "quá hạn",
            (Outcome::OpenNotDue, Lang::Vi) => "đang xử lý, chưa đến hạn",
            (Outcome::OpenOverdue, Lang::Vi) => "đang xử lý, quá hạn",
            (Outcome::Excluded, Lang::Vi) => "rút hồ sơ, tính riêng",
            (Outcome::Early, Lang::En) => "early",
            (Outcome::OnTime, Lang::En) => "on time",
            (Outcome::Late, Lang::En) => "late",
            (Outcome::OpenNotDue, Lang::En) => "open, not yet due",
            (Outcome::OpenOverdue, Lang::En) => "open, overdue",
            (Outcome::Excluded, Lang::En) => "withdrawn, counted apart",
        }
    }
}

/// Where the due time came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DueSource {
    /// `NgayHenTra`.
    Given,
    /// Receipt + the procedure's maximum time.
    Computed(crate::calendar::Duration),
    /// No due time: on time by policy ([`MissingDue::OnTime`]).
    NoneOnTimeByPolicy,
}

/// What the outcome rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// The end event at this time.
    Finished(NaiveDateTime),
    /// Open at the evaluation time.
    Open(NaiveDateTime),
    /// Waiting for the citizen's supplement: judged at the request time.
    WaitingSupplement(NaiveDateTime),
    /// More than one supplement request: overdue by policy.
    RepeatedSupplements(usize),
    /// Status 5 under [`Supplements::WaitingOnTime`].
    WaitingOnTimeByPolicy,
    /// Withdrawn, on time by policy.
    WithdrawnOnTime,
    /// Withdrawn, counted apart by policy.
    WithdrawnExcluded,
    /// No due time, on time by policy.
    NoDueOnTime,
}

/// The judgement of one dossier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Judgement {
    /// The outcome.
    pub outcome: Outcome,
    /// What it rests on.
    pub basis: Basis,
    /// The due time as given or computed, before pauses.
    pub due_initial: Option<LocalTime>,
    /// The due time after supplement pauses.
    pub due: Option<LocalTime>,
    /// How the due time was found.
    pub due_source: DueSource,
    /// Working minutes excluded for supplements (the citizen's time).
    pub paused_minutes: i64,
    /// Working minutes from the due time to the judged time (positive: late by).
    pub margin_minutes: Option<i64>,
}

/// Why a dossier cannot be judged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JudgeError {
    /// A finished dossier without its end time.
    NoEndTime,
    /// No `NgayHenTra` and no maximum time.
    NoDue,
    /// A calendar computation failed (a year outside the table).
    Calendar(CalendarError),
}

impl From<CalendarError> for JudgeError {
    fn from(e: CalendarError) -> Self {
        JudgeError::Calendar(e)
    }
}

/// When the judgement is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Evaluation {
    /// The evaluation instant (exclusive): the bucket's end or an earlier "as of" time.
    pub at: NaiveDateTime,
    /// The last day it covers (for [`OpenAtEnd::DueDateOnOrAfterLastDay`]).
    pub last_day: NaiveDate,
}

/// The end time of a dossier under the policy (`None` when it has none).
pub fn end_time(d: &Dossier<'_>, p: &Policies) -> Option<LocalTime> {
    match p.end_event {
        EndEvent::ProcessingEnd => d.ket_thuc.or(d.tra),
        EndEvent::ResultReturned => match d.trang_thai {
            // Nothing to return: the end of processing ends them.
            TrangThaiHoSo::CongDanRut | TrangThaiHoSo::DungXuLy => d.ket_thuc.or(d.tra),
            _ => d.tra,
        },
    }
}

/// A date-only due time stands for the end of that working day.
fn due_instant(t: LocalTime, cal: &WorkingCalendar) -> NaiveDateTime {
    if t.has_time {
        t.at
    } else {
        let end = cal
            .hours()
            .windows()
            .last()
            .map_or(crate::calendar::NaiveTime::MIN, |w| w.1);
        t.date().and_time(end)
    }
}

/// Judges a received dossier at `eval`.
///
/// ```
/// use chiso::calendar::{parse_local_time, WorkingCalendar};
/// use chiso::records::{judge, Evaluation, Outcome, Policies};
/// # let t = |s| parse_local_time(s).unwrap();
/// # let mut d = chiso::records::Dossier { row: 2, ma_ho_so: "A", ma_tthc: "", don_vi: "H21", ten_don_vi: "",
/// #   kenh: None, nop: None, tiep_nhan: Some(t("20260213163000")), hen_tra: Some(t("20260225163000")),
/// #   ket_thuc: Some(t("20260226090000")), tra: None, trang_thai: chiso::records::TrangThaiHoSo::DaXuLyXong,
/// #   thoi_han: None, bo_sung: vec![], flags: Default::default(), thanh_toan: None, phi: None };
/// let eval = Evaluation { at: t("2026-03-01").at, last_day: t("2026-02-28").date() };
/// let j = judge(&d, &Policies::default(), eval, WorkingCalendar::vietnam()).unwrap();
/// // Due Wed 25/2 16:30, finished Thu 26/2 09:00: 30 min Wednesday + 2 h Thursday.
/// assert_eq!(j.outcome, Outcome::Late);
/// assert_eq!(j.margin_minutes, Some(150));
/// ```
pub fn judge(
    d: &Dossier<'_>,
    p: &Policies,
    eval: Evaluation,
    cal: &WorkingCalendar,
) -> Result<Judgement, JudgeError> {
    let mut j = Judgement {
        outcome: Outcome::OnTime,
        basis: Basis::WithdrawnOnTime,
        due_initial: None,
        due: None,
        due_source: DueSource::Given,
        paused_minutes: 0,
        margin_minutes: None,
    };
    if d.trang_thai == TrangThaiHoSo::CongDanRut {
        match p.withdrawn {
            Withdrawn::Excluded => {
                j.outcome = Outcome::Excluded;
                j.basis = Basis::WithdrawnExcluded;
                return Ok(j);
            }
            Withdrawn::OnTime => return Ok(j),
            Withdrawn::JudgedByEnd => {}
        }
    }
    let end = end_time(d, p);
    let finished = match p.finished {
        Finished::EndStatus => {
            let ended = d.trang_thai.is_end()
                && !(p.end_event == EndEvent::ResultReturned
                    && d.trang_thai == TrangThaiHoSo::DaXuLyXong
                    && end.is_none());
            if ended && end.is_none() {
                return Err(JudgeError::NoEndTime);
            }
            ended
        }
        Finished::EndTimeGiven => end.is_some(),
    };
    // Finished by the evaluation time (else judged as open, unless the policy takes the
    // actual end).
    let done = match end {
        Some(e) if finished => {
            e.at < eval.at || p.finished_after_period == FinishedAfterPeriod::ActualEnd
        }
        _ => false,
    };
    let receipt = d.receipt().ok_or(JudgeError::NoDue)?;
    let due0 = match d.hen_tra {
        Some(h) => h,
        None => match (p.missing_due, d.thoi_han) {
            (MissingDue::OnTime, _) => {
                j.due_source = DueSource::NoneOnTimeByPolicy;
                j.basis = Basis::NoDueOnTime;
                j.outcome = if done {
                    Outcome::OnTime
                } else {
                    Outcome::OpenNotDue
                };
                return Ok(j);
            }
            (MissingDue::MaximumTime, Some(dur)) => {
                j.due_source = DueSource::Computed(dur);
                LocalTime {
                    at: cal.due(receipt.at, dur)?,
                    has_time: true,
                }
            }
            (MissingDue::MaximumTime, None) => return Err(JudgeError::NoDue),
        },
    };
    j.due_initial = Some(due0);
    j.due = Some(due0);
    // Supplements requested before the evaluation time.
    let requests: Vec<_> = d
        .bo_sung
        .iter()
        .filter(|s| s.requested.at < eval.at)
        .collect();
    if requests.len() > 1 && p.repeated_supplements == RepeatedSupplements::Overdue {
        j.basis = Basis::RepeatedSupplements(requests.len());
        j.outcome = if done {
            Outcome::Late
        } else {
            Outcome::OpenOverdue
        };
        return Ok(j);
    }
    if p.supplements == Supplements::WaitingOnTime && d.trang_thai == TrangThaiHoSo::YeuCauBoSung {
        j.basis = Basis::WaitingOnTimeByPolicy;
        j.outcome = Outcome::OpenNotDue;
        return Ok(j);
    }
    let mut due_at = due_instant(due0, cal);
    for s in &requests {
        match s.resumed.filter(|r| r.at < eval.at) {
            Some(r) => {
                let before_pause = due_at;
                due_at = cal.extend_for_pause(due_at, s.requested.at, r.at)?;
                j.paused_minutes += cal.working_minutes_between(before_pause, due_at)?;
            }
            None => {
                // The unit waits for the citizen: judged at the request time.
                j.due = Some(LocalTime {
                    at: due_at,
                    has_time: due0.has_time || j.paused_minutes > 0,
                });
                j.basis = Basis::WaitingSupplement(s.requested.at);
                let (o, m) = compare(s.requested, j.due.unwrap_or(due0), due_at, p, cal)?;
                j.outcome = o;
                j.margin_minutes = Some(m);
                return Ok(j);
            }
        }
    }
    let due = LocalTime {
        at: due_at,
        has_time: due0.has_time || j.paused_minutes > 0,
    };
    j.due = Some(due);
    match end {
        Some(e) if done => {
            j.basis = Basis::Finished(e.at);
            let (o, m) = compare(e, due, due_at, p, cal)?;
            j.outcome = o;
            j.margin_minutes = Some(m);
        }
        _ => {
            j.basis = Basis::Open(eval.at);
            let overdue = match p.open_at_end {
                OpenAtEnd::NotOverdueAtEnd => due_at < eval.at,
                OpenAtEnd::DueDateOnOrAfterLastDay => due.date() < eval.last_day,
            };
            j.outcome = if overdue {
                Outcome::OpenOverdue
            } else {
                Outcome::OpenNotDue
            };
            // At midnight, the last second of the day before holds the same working
            // time and stays inside the calendar when the period ends on 31/12.
            let point = if eval.at.time() == crate::calendar::NaiveTime::MIN {
                eval.at - chrono::TimeDelta::seconds(1)
            } else {
                eval.at
            };
            j.margin_minutes = Some(cal.working_minutes_between(due_at, point)?);
        }
    }
    Ok(j)
}

/// Early / on time / late of `t` against `due` (instant `due_at`), and the working
/// minutes from the due time to `t`.
fn compare(
    t: LocalTime,
    due: LocalTime,
    due_at: NaiveDateTime,
    p: &Policies,
    cal: &WorkingCalendar,
) -> Result<(Outcome, i64), CalendarError> {
    let by_date = p.comparison == Comparison::CalendarDate || !t.has_time || !due.has_time;
    let outcome = if by_date {
        match t.date().cmp(&due.date()) {
            std::cmp::Ordering::Less => Outcome::Early,
            std::cmp::Ordering::Equal => Outcome::OnTime,
            std::cmp::Ordering::Greater => Outcome::Late,
        }
    } else if t.at > due.at {
        Outcome::Late
    } else if t.date() < due.date() {
        Outcome::Early
    } else {
        Outcome::OnTime
    };
    Ok((outcome, cal.working_minutes_between(due_at, t.at)?))
}
