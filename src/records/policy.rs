//! The choices real DVC systems disagree on, as explicit named policies (reference
//! `service-index-766.md` §11.3). The default of each is the formula document's rule
//! ("Mô tả công thức tính chỉ số 766", reference §4 Definitions), which the portal
//! applies; every result records the policies it used.
//!
//! ```
//! use chiso::records::{Policies, RepeatedSupplements};
//! let p: Policies = serde_json::from_str(r#"{"repeated_supplements": "pause_each"}"#).unwrap();
//! assert_eq!(p.repeated_supplements, RepeatedSupplements::PauseEach);
//! assert_eq!(p.withdrawn, Policies::default().withdrawn); // unnamed ones keep the default
//! ```

use crate::text::Lang;
use serde::{Deserialize, Serialize};

/// Which time ends a dossier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndEvent {
    /// Default (formula document; TD): the highest-priority end event, Đã xử lý xong >
    /// Đã trả kết quả > Dừng / Từ chối > Công dân rút: `NgayKetThucXuLy`, or `NgayTra`
    /// when `NgayKetThucXuLy` is empty.
    #[default]
    ProcessingEnd,
    /// OpenCPS: the result's release, `NgayTra` ("late if releaseDate > due date"); a
    /// dossier without `NgayTra` is still open.
    ResultReturned,
}

/// How the end is compared with the due time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Comparison {
    /// Default (formula document): timestamps, `end ≤ due` is on time. When either side
    /// is a date without a time, the dates are compared.
    #[default]
    Timestamp,
    /// TD (`CAST(… AS DATE)`): calendar dates; early <, on time =, late >.
    CalendarDate,
}

/// Withdrawn dossiers (status 7, Công dân yêu cầu rút hồ sơ).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Withdrawn {
    /// Default (formula document): judged by its end time like any other dossier.
    #[default]
    JudgedByEnd,
    /// TD: always on time.
    OnTime,
    /// OpenCPS: counted apart, outside the on-time figures (2.1's denominator; for 5.4
    /// it is not overdue).
    Excluded,
}

/// One supplement request (yêu cầu bổ sung).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Supplements {
    /// Default (formula document): the citizen's supplement time is excluded — the due
    /// time moves later by the working time between the request and the supplement's
    /// receipt; while the unit still waits (no `NgayTiepNhanBoSung`, or received after
    /// the evaluation time) the dossier is judged at the request time.
    #[default]
    PauseClock,
    /// TD: every dossier in status 5 (Yêu cầu bổ sung giấy tờ) counts as on time; other
    /// dossiers as the default (TD's own due-date arithmetic — calendar days − 1, then
    /// + 8 working hours — is not reproduced).
    WaitingOnTime,
}

/// More than one supplement request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RepeatedSupplements {
    /// Default (formula document): overdue (late when finished, open overdue otherwise).
    #[default]
    Overdue,
    /// TD (no such rule) and OpenCPS issue #1254: every pause is excluded as for one
    /// request.
    PauseEach,
}

/// A dossier without `NgayHenTra`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MissingDue {
    /// Default (formula document): the due time is the receipt plus the procedure's
    /// maximum time (`ThoiGianGiaiQuyet` in `DonViTinh`); without those the row is an
    /// error.
    #[default]
    MaximumTime,
    /// TD: on time.
    OnTime,
}

/// A dossier still open at the evaluation time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OpenAtEnd {
    /// Default (formula document): on time if not overdue at the period's end (the due
    /// time is at or after the end instant).
    #[default]
    NotOverdueAtEnd,
    /// TD: on time if the due date (`NgayHenTra`, as a date) is on or after the period's
    /// last day.
    DueDateOnOrAfterLastDay,
}

/// Which dossiers count as finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Finished {
    /// Default (formula document): an end status (7, 8, 9, 10) with its end time; such a
    /// row without an end time is an error.
    #[default]
    EndStatus,
    /// TD: the end time (`NgayKetThucXuLy`, or `NgayTra` under
    /// [`EndEvent::ResultReturned`]) is given, whatever the status.
    EndTimeGiven,
}

/// A dossier received in the period whose end event falls after the period (or after
/// the evaluation time).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FinishedAfterPeriod {
    /// Default (formula document: "finished = end event in the period"): judged as open
    /// at the period's end.
    #[default]
    OpenAtPeriodEnd,
    /// Judged by its actual end (the state of the export, not of the period's end).
    ActualEnd,
}

/// What an electronic result (4.1) requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ElectronicResult {
    /// Default (formula document, §11.5): a result file is attached
    /// (`DuongDanTepTinKetQua`).
    #[default]
    FileAttached,
    /// Attached and digitally signed (`KetQuaDaKySo = 1`).
    FileAttachedAndSigned,
}

/// Every policy of a records run. Missing members in JSON take their default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Policies {
    /// Which time ends a dossier.
    pub end_event: EndEvent,
    /// Timestamps or calendar dates.
    pub comparison: Comparison,
    /// Withdrawn dossiers (status 7).
    pub withdrawn: Withdrawn,
    /// One supplement request.
    pub supplements: Supplements,
    /// More than one supplement request.
    pub repeated_supplements: RepeatedSupplements,
    /// A dossier without `NgayHenTra`.
    pub missing_due: MissingDue,
    /// A dossier open at the evaluation time.
    pub open_at_end: OpenAtEnd,
    /// Which dossiers count as finished.
    pub finished: Finished,
    /// A dossier finished after the period.
    pub finished_after_period: FinishedAfterPeriod,
    /// Whether calendar-day durations (`DonViTinh` = ngày) skip listed days off (TD
    /// setting `TinhNgayHenTraLoaiThoiGianNgayBoQuaNgayLe`; default false: only a due
    /// date on a day off moves to the next working day, reference §11.4).
    pub calendar_days_skip_holidays: bool,
    /// What an electronic result (4.1) requires.
    pub electronic_result: ElectronicResult,
}

/// The JSON name of a policy value (its serde name).
fn key<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| {
            v.as_str()
                .map(str::to_owned)
                .or_else(|| Some(v.to_string()))
        })
        .unwrap_or_default()
}

impl Policies {
    /// `(name, value, is_default)` of every policy, for reports.
    pub fn entries(&self) -> Vec<(&'static str, String, bool)> {
        let d = Policies::default();
        vec![
            (
                "end_event",
                key(&self.end_event),
                self.end_event == d.end_event,
            ),
            (
                "comparison",
                key(&self.comparison),
                self.comparison == d.comparison,
            ),
            (
                "withdrawn",
                key(&self.withdrawn),
                self.withdrawn == d.withdrawn,
            ),
            (
                "supplements",
                key(&self.supplements),
                self.supplements == d.supplements,
            ),
            (
                "repeated_supplements",
                key(&self.repeated_supplements),
                self.repeated_supplements == d.repeated_supplements,
            ),
            (
                "missing_due",
                key(&self.missing_due),
                self.missing_due == d.missing_due,
            ),
            (
                "open_at_end",
                key(&self.open_at_end),
                self.open_at_end == d.open_at_end,
            ),
            ("finished", key(&self.finished), self.finished == d.finished),
            (
                "finished_after_period",
                key(&self.finished_after_period),
                self.finished_after_period == d.finished_after_period,
            ),
            (
                "calendar_days_skip_holidays",
                key(&self.calendar_days_skip_holidays),
                self.calendar_days_skip_holidays == d.calendar_days_skip_holidays,
            ),
            (
                "electronic_result",
                key(&self.electronic_result),
                self.electronic_result == d.electronic_result,
            ),
        ]
    }

    /// One line naming every policy and whether it is the default, in `lang`.
    ///
    /// ```
    /// let s = chiso::records::Policies::default().summary(chiso::Lang::En);
    /// assert!(s.starts_with("policies (all defaults: formula document)"));
    /// ```
    pub fn summary(&self, lang: Lang) -> String {
        let changed: Vec<String> = self
            .entries()
            .into_iter()
            .filter(|(_, _, d)| !d)
            .map(|(n, v, _)| format!("{n} = {v}"))
            .collect();
        match (lang, changed.is_empty()) {
            (Lang::Vi, true) => "chính sách (tất cả mặc định: tài liệu mô tả công thức)".into(),
            (Lang::En, true) => "policies (all defaults: formula document)".into(),
            (Lang::Vi, false) => format!(
                "chính sách: mặc định (tài liệu mô tả công thức) trừ {}",
                changed.join(", ")
            ),
            (Lang::En, false) => format!(
                "policies: defaults (formula document) except {}",
                changed.join(", ")
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn json_round_trip_and_unknown_names_refused() {
        let p = Policies {
            withdrawn: Withdrawn::Excluded,
            comparison: Comparison::CalendarDate,
            ..Default::default()
        };
        let text = serde_json::to_string(&p).unwrap();
        assert!(text.contains("\"withdrawn\":\"excluded\""));
        assert_eq!(serde_json::from_str::<Policies>(&text).unwrap(), p);
        assert!(serde_json::from_str::<Policies>(r#"{"withdrawn":"never"}"#).is_err());
        assert!(serde_json::from_str::<Policies>(r#"{"withdrwan":"excluded"}"#).is_err());
        assert_eq!(
            p.summary(Lang::En),
            "policies: defaults (formula document) except comparison = calendar_date, withdrawn = excluded"
        );
    }
}
