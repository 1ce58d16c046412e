//! What is counted: the two kinds of provincial act and their deadlines (the seed
//! directive), the first-day convention, the portal's 1.1 and 1.2 deadlines, and the
//! working-day arithmetic shared by the judgement and the tests.

use crate::calendar::{CalendarError, NaiveDate, WorkingCalendar};
use crate::records::header_key;
use crate::text::Text;
use serde::Serialize;

/// Deadline of the decision announcing the list of TTHC: 5 working days from the
/// ministry's decision (seed directive, reference `service-index-766.md` §11.6).
pub const LIST_DEADLINE_DAYS: i64 = 5;
/// Deadline of the decision approving the internal procedure: 10 working days from the
/// ministry's decision (seed directive, reference §11.6).
pub const PROCEDURE_DEADLINE_DAYS: i64 = 10;
/// Portal 1.1, province (Tỉnh): ngày QĐCB ≤ ngày hiệu lực − 5 ngày làm việc (reference §4,
/// Definitions).
pub const PROVINCE_BEFORE_EFFECTIVE_DAYS: i64 = 5;
/// Portal 1.1, ministry (Bộ): ngày QĐCB ≤ ngày hiệu lực − 20 ngày làm việc (reference §4).
pub const MINISTRY_BEFORE_EFFECTIVE_DAYS: i64 = 20;
/// Portal 1.2, province: ngày bấm "công khai" ≤ ngày QĐCB + 5 ngày làm việc (reference §4).
pub const PROVINCE_PUBLIC_AFTER_DAYS: i64 = 5;
/// Portal 1.2, ministry: ngày bấm "công khai" ≤ ngày QĐCB + 10 ngày làm việc (reference §4).
pub const MINISTRY_PUBLIC_AFTER_DAYS: i64 = 10;

/// The provincial act a row is about (cột `LoaiQuyetDinh`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Quyết định công bố danh mục TTHC: the decision announcing the list of procedures.
    List,
    /// Quyết định phê duyệt quy trình nội bộ giải quyết TTHC: the decision approving the
    /// internal procedure.
    InternalProcedure,
}

/// Values of `LoaiQuyetDinh`, compared after folding diacritics, case and punctuation.
const LIST_WORDS: &[&str] = &[
    "danh mục",
    "danh mục TTHC",
    "công bố",
    "công bố danh mục",
    "công bố danh mục TTHC",
    "quyết định công bố",
    "QĐCB",
    "list",
];
const PROCEDURE_WORDS: &[&str] = &[
    "quy trình",
    "quy trình nội bộ",
    "quy trình nội bộ giải quyết TTHC",
    "phê duyệt quy trình nội bộ",
    "QTNB",
    "internal procedure",
    "internal_procedure",
    "procedure",
];

impl Kind {
    /// Both kinds, in the order of the summaries.
    pub const ALL: [Kind; 2] = [Kind::List, Kind::InternalProcedure];

    /// The kind a `LoaiQuyetDinh` cell names (with or without diacritics, any case).
    ///
    /// ```
    /// use chiso::records::publications::Kind;
    /// assert_eq!(Kind::from_cell("Danh mục TTHC"), Some(Kind::List));
    /// assert_eq!(Kind::from_cell("quy_trinh_noi_bo"), Some(Kind::InternalProcedure));
    /// assert_eq!(Kind::from_cell("khác"), None);
    /// ```
    pub fn from_cell(text: &str) -> Option<Kind> {
        let key = header_key(text);
        if key.is_empty() {
            return None;
        }
        let hit = |words: &[&str]| words.iter().any(|w| header_key(w) == key);
        if hit(LIST_WORDS) {
            Some(Kind::List)
        } else if hit(PROCEDURE_WORDS) {
            Some(Kind::InternalProcedure)
        } else {
            None
        }
    }

    /// The accepted cell values, for messages.
    pub fn accepted() -> String {
        format!(
            "{} (list); {} (internal procedure)",
            LIST_WORDS.join(", "),
            PROCEDURE_WORDS.join(", ")
        )
    }

    /// The act, as the directive names it.
    pub fn act(self) -> Text {
        match self {
            Kind::List => Text::new(
                "Quyết định công bố danh mục TTHC",
                "decision announcing the list of administrative procedures",
            ),
            Kind::InternalProcedure => Text::new(
                "Quyết định phê duyệt quy trình nội bộ giải quyết TTHC",
                "decision approving the internal procedure for handling administrative procedures",
            ),
        }
    }

    /// A short label.
    pub fn label(self) -> Text {
        match self {
            Kind::List => Text::new("công bố danh mục TTHC", "list of procedures"),
            Kind::InternalProcedure => Text::new("quy trình nội bộ", "internal procedure"),
        }
    }
}

/// Which day the count of working days starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FirstDay {
    /// The day of the ministry's decision is not counted; the period starts the next day
    /// and ends at the end of its last day (Bộ luật Dân sự 2015, Điều 147–148; reference
    /// §11.6). Default.
    #[default]
    DayAfter,
    /// The day of the ministry's decision counts as the first day when it is a working
    /// day (a practice some offices follow; not the rule of the Civil Code).
    DecisionDay,
}

/// The portal's own deadlines for 1.1 and 1.2 (reference §4, Definitions), in working
/// days, applied to the decision in the `SoQuyetDinhTinh` / `NgayQuyetDinhTinh` columns.
/// [`PortalDeadlines::province`] is the default, since rows are provincial acts;
/// [`PortalDeadlines::ministry`] holds the Bộ deadlines for a caller that puts a
/// ministry's own announcing decisions in those columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PortalDeadlines {
    /// 1.1: the QĐCB must be dated at least this many working days before the effective
    /// date of the legal basis.
    pub before_effective: i64,
    /// 1.2: "công khai" must be clicked at most this many working days after the QĐCB.
    pub public_after: i64,
}

impl PortalDeadlines {
    /// Tỉnh: 5 and 5 working days.
    pub const fn province() -> PortalDeadlines {
        PortalDeadlines {
            before_effective: PROVINCE_BEFORE_EFFECTIVE_DAYS,
            public_after: PROVINCE_PUBLIC_AFTER_DAYS,
        }
    }

    /// Bộ: 20 and 10 working days.
    pub const fn ministry() -> PortalDeadlines {
        PortalDeadlines {
            before_effective: MINISTRY_BEFORE_EFFECTIVE_DAYS,
            public_after: MINISTRY_PUBLIC_AFTER_DAYS,
        }
    }
}

impl Default for PortalDeadlines {
    fn default() -> Self {
        PortalDeadlines::province()
    }
}

/// How deadlines are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Options {
    /// Working days for the list of TTHC ([`LIST_DEADLINE_DAYS`] = 5).
    pub list_days: i64,
    /// Working days for the internal procedure ([`PROCEDURE_DEADLINE_DAYS`] = 10).
    pub procedure_days: i64,
    /// Whether the day of the ministry's decision counts ([`FirstDay::DayAfter`]: no).
    pub first_day: FirstDay,
    /// The portal's 1.1 and 1.2 deadlines (province by default).
    pub portal: PortalDeadlines,
    /// The date at which decisions not yet issued are judged (overdue or still within
    /// the deadline); `None`: they are listed with their due date only.
    #[serde(serialize_with = "super::judge::ser_opt_date")]
    pub as_of: Option<NaiveDate>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            list_days: LIST_DEADLINE_DAYS,
            procedure_days: PROCEDURE_DEADLINE_DAYS,
            first_day: FirstDay::DayAfter,
            portal: PortalDeadlines::province(),
            as_of: None,
        }
    }
}

impl Options {
    /// The deadline of `kind`, in working days.
    pub fn deadline(&self, kind: Kind) -> i64 {
        match kind {
            Kind::List => self.list_days,
            Kind::InternalProcedure => self.procedure_days,
        }
    }

    /// Working days counted from the ministry's decision (`from`) to `to`: the working
    /// days in `(from, to]`, plus `from` itself under [`FirstDay::DecisionDay`] when it is
    /// a working day. Negative when `to` is before `from`.
    pub fn elapsed(
        &self,
        cal: &WorkingCalendar,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<i64, CalendarError> {
        Ok(cal.working_days_between(from, to)? + self.first_counted(cal, from)?)
    }

    /// The last day of a period of `n ≥ 1` working days from `from`: the day on which
    /// [`Options::elapsed`] reaches `n`, always a working day — a deadline never falls on
    /// a day off, because only working days are counted (the move to the next working
    /// day of BLDS 2015 Điều 148 is built in).
    pub fn due(
        &self,
        cal: &WorkingCalendar,
        from: NaiveDate,
        n: i64,
    ) -> Result<NaiveDate, CalendarError> {
        cal.add_working_days(from, n - self.first_counted(cal, from)?)
    }

    fn first_counted(&self, cal: &WorkingCalendar, from: NaiveDate) -> Result<i64, CalendarError> {
        Ok(match self.first_day {
            FirstDay::DayAfter => 0,
            FirstDay::DecisionDay => i64::from(cal.is_working_day(from)?),
        })
    }
}
