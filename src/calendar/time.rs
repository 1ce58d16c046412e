//! Reading local times from records: the national sync form `yyyyMMddHHmmss`, ISO 8601
//! and the Vietnamese `dd/MM/yyyy`. Every result is Asia/Ho_Chi_Minh local time
//! (UTC+7, no daylight saving since 1975); an explicit offset is converted to +07:00.

use crate::diagnostics::{Diagnostic, Location, Problem};
use crate::text::Lang;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};
use std::fmt;

/// Offset of Asia/Ho_Chi_Minh from UTC, in seconds: +07:00 all year (no DST since 1975).
pub const VIETNAM_UTC_OFFSET_SECONDS: i32 = 7 * 3600;

/// Characters of the given text quoted in a parse error (longer input is cut with "…").
pub const MAX_QUOTED_CHARS: usize = 40;

/// A moment read from a record, local time (Asia/Ho_Chi_Minh). Date-only input → 00:00,
/// `has_time = false`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LocalTime {
    /// The local date and time (00:00 when only a date was given).
    pub at: NaiveDateTime,
    /// Whether the text gave a time of day.
    pub has_time: bool,
}

impl LocalTime {
    /// The local date.
    pub fn date(&self) -> NaiveDate {
        self.at.date()
    }
}

/// Why a text is not a local time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeParseProblem {
    /// Empty (or only spaces).
    Empty,
    /// Not one of the accepted forms.
    Format,
    /// The form is right but the date does not exist (e.g. 30/02/2026).
    NoSuchDate,
    /// The form is right but the time of day does not exist (e.g. 24:00, 10:61).
    NoSuchTime,
    /// The UTC offset is not `Z` or `±HH:MM` with HH ≤ 23 and MM ≤ 59.
    BadOffset,
    /// Converting the offset to +07:00 leaves the representable range.
    OutOfRange,
}

/// A text that is not a local time in an accepted form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeParseError {
    given: String,
    problem: TimeParseProblem,
}

/// The accepted forms, as listed in messages.
const FORMS: &str = "yyyyMMddHHmmss (20260216083000), yyyyMMdd (20260216), YYYY-MM-DD, \
YYYY-MM-DD HH:MM[:SS], YYYY-MM-DDTHH:MM[:SS][.fff][Z|±HH:MM], dd/MM/yyyy, dd/MM/yyyy HH:mm[:ss]";

impl TimeParseError {
    /// The text given, escaped and cut to [`MAX_QUOTED_CHARS`] characters.
    pub fn given(&self) -> &str {
        &self.given
    }

    /// Why it was refused.
    pub fn problem(&self) -> TimeParseProblem {
        self.problem
    }

    /// Stable code, meant for programs.
    pub fn code(&self) -> &'static str {
        "calendar_unreadable_time"
    }

    /// Message in `lang`: what was given, why it was refused, and the accepted forms.
    ///
    /// ```
    /// let e = chiso::calendar::parse_local_time("16-02-2026").unwrap_err();
    /// assert!(e.message(chiso::Lang::En).contains("\"16-02-2026\""));
    /// assert!(e.message(chiso::Lang::Vi).contains("dd/MM/yyyy"));
    /// ```
    pub fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::Vi => format!(
                "Không đọc được thời điểm \"{}\": {}",
                self.given,
                self.detail(lang)
            ),
            Lang::En => format!(
                "Cannot read the time \"{}\": {}",
                self.given,
                self.detail(lang)
            ),
        }
    }

    /// Why it was refused and the accepted forms, in `lang`.
    fn detail(&self, lang: Lang) -> String {
        use TimeParseProblem::*;
        let why = match (self.problem, lang) {
            (Empty, Lang::Vi) => "ô trống",
            (Empty, Lang::En) => "it is empty",
            (Format, Lang::Vi) => "không đúng dạng nào được chấp nhận",
            (Format, Lang::En) => "it is not in an accepted form",
            (NoSuchDate, Lang::Vi) => "ngày không tồn tại",
            (NoSuchDate, Lang::En) => "no such date",
            (NoSuchTime, Lang::Vi) => "giờ không tồn tại",
            (NoSuchTime, Lang::En) => "no such time of day",
            (BadOffset, Lang::Vi) => "độ lệch múi giờ không hợp lệ (dùng Z hoặc ±HH:MM)",
            (BadOffset, Lang::En) => "invalid UTC offset (use Z or ±HH:MM)",
            (OutOfRange, Lang::Vi) => "ngoài phạm vi ngày giờ biểu diễn được",
            (OutOfRange, Lang::En) => "outside the representable range of dates",
        };
        match lang {
            Lang::Vi => format!("{why}. Các dạng được chấp nhận (giờ Việt Nam, UTC+7): {FORMS}"),
            Lang::En => format!("{why}. Accepted forms (Vietnam time, UTC+7): {FORMS}"),
        }
    }

    /// This error as a located [`Diagnostic`] (a [`Problem::Coded`]) at `at`.
    pub fn to_diagnostic(&self, at: impl Into<Location>) -> Diagnostic {
        Diagnostic::error_at(
            at.into(),
            None,
            Problem::Coded {
                code: self.code().to_owned(),
                text: self.given.clone(),
                vi: self.detail(Lang::Vi),
                en: self.detail(Lang::En),
            },
        )
    }
}

impl fmt::Display for TimeParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for TimeParseError {}

/// `text` escaped (control characters, quotes, backslashes) and cut to
/// [`MAX_QUOTED_CHARS`] characters.
pub(crate) fn quote(text: &str) -> String {
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == MAX_QUOTED_CHARS {
            out.push('…');
            break;
        }
        out.extend(c.escape_debug());
    }
    out
}

/// Reads a local time (Asia/Ho_Chi_Minh).
///
/// Accepts: `yyyyMMddHHmmss` (national sync), `yyyyMMdd`, `YYYY-MM-DD`,
/// `YYYY-MM-DD HH:MM[:SS]`, `YYYY-MM-DDTHH:MM[:SS][.fff][Z|±HH:MM]` (1–9 fraction
/// digits; an offset is converted to +07:00), `dd/MM/yyyy`, `dd/MM/yyyy HH:mm[:ss]`
/// (day and month may have one digit: `5/3/2026`); surrounding spaces trimmed.
/// Anything else is an error whose message lists the accepted forms and quotes
/// (escaped, at most 40 characters) what was given.
///
/// ```
/// use chiso::calendar::{parse_local_time, NaiveDate};
/// let t = parse_local_time("20260216083000").unwrap();
/// assert_eq!(t.at, NaiveDate::from_ymd_opt(2026, 2, 16).unwrap().and_hms_opt(8, 30, 0).unwrap());
/// assert!(t.has_time);
/// // UTC is converted to Vietnam time (+7 h).
/// assert_eq!(parse_local_time("2026-02-16T01:30:00Z").unwrap().at, t.at);
/// assert!(!parse_local_time(" 16/02/2026 ").unwrap().has_time);
/// assert!(parse_local_time("30/02/2026").is_err());
/// ```
pub fn parse_local_time(text: &str) -> Result<LocalTime, TimeParseError> {
    parse(text.trim()).map_err(|problem| TimeParseError {
        given: quote(text),
        problem,
    })
}

type P<T> = Result<T, TimeParseProblem>;

/// Hours, minutes, seconds.
type Hms = (u32, u32, u32);

/// A run of exactly `n` ASCII digits at the start of `s`, as a number.
fn digits(s: &[u8], n: usize) -> Option<u32> {
    if s.len() < n || !s[..n].iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(s[..n].iter().fold(0, |a, &d| a * 10 + u32::from(d - b'0')))
}

fn date(y: u32, m: u32, d: u32) -> P<NaiveDate> {
    let y = i32::try_from(y).map_err(|_| TimeParseProblem::NoSuchDate)?;
    NaiveDate::from_ymd_opt(y, m, d).ok_or(TimeParseProblem::NoSuchDate)
}

fn time(h: u32, m: u32, s: u32, nanos: u32) -> P<NaiveTime> {
    NaiveTime::from_hms_nano_opt(h, m, s, nanos)
        .filter(|_| s < 60 && nanos < 1_000_000_000)
        .ok_or(TimeParseProblem::NoSuchTime)
}

/// `HH:MM[:SS]` at the start of `s`; returns the fields and the rest.
fn hms(s: &[u8]) -> P<(Hms, &[u8])> {
    let h = digits(s, 2).ok_or(TimeParseProblem::Format)?;
    if s.get(2) != Some(&b':') {
        return Err(TimeParseProblem::Format);
    }
    let m = digits(&s[3..], 2).ok_or(TimeParseProblem::Format)?;
    let rest = &s[5..];
    if rest.first() == Some(&b':') {
        let sec = digits(&rest[1..], 2).ok_or(TimeParseProblem::Format)?;
        return Ok(((h, m, sec), &rest[3..]));
    }
    Ok(((h, m, 0), rest))
}

fn parse(s: &str) -> P<LocalTime> {
    let b = s.as_bytes();
    if b.is_empty() {
        return Err(TimeParseProblem::Empty);
    }
    let date_only = |d: NaiveDate| LocalTime {
        at: d.and_time(NaiveTime::MIN),
        has_time: false,
    };
    let with_time = |d: NaiveDate, t: NaiveTime| LocalTime {
        at: d.and_time(t),
        has_time: true,
    };
    if b.iter().all(u8::is_ascii_digit) {
        return match b.len() {
            8 | 14 => {
                let num = |at: usize, n: usize| digits(&b[at..], n).ok_or(TimeParseProblem::Format);
                let d = date(num(0, 4)?, num(4, 2)?, num(6, 2)?)?;
                if b.len() == 8 {
                    return Ok(date_only(d));
                }
                Ok(with_time(d, time(num(8, 2)?, num(10, 2)?, num(12, 2)?, 0)?))
            }
            _ => Err(TimeParseProblem::Format),
        };
    }
    if b.len() >= 10 && b[4] == b'-' && b[7] == b'-' {
        let (y, m, d) = match (digits(b, 4), digits(&b[5..], 2), digits(&b[8..], 2)) {
            (Some(y), Some(m), Some(d)) => (y, m, d),
            _ => return Err(TimeParseProblem::Format),
        };
        let rest = &b[10..];
        match rest.first() {
            None => return Ok(date_only(date(y, m, d)?)),
            Some(b' ') => {
                let ((h, mi, sec), tail) = hms(&rest[1..])?;
                if !tail.is_empty() {
                    return Err(TimeParseProblem::Format);
                }
                return Ok(with_time(date(y, m, d)?, time(h, mi, sec, 0)?));
            }
            Some(b'T') => return iso_t(date(y, m, d), &rest[1..]),
            _ => return Err(TimeParseProblem::Format),
        }
    }
    slashed(b).map(|(d, t)| match t {
        Some(t) => with_time(d, t),
        None => date_only(d),
    })
}

/// The part after `T`: `HH:MM[:SS][.fff][Z|±HH:MM]`.
fn iso_t(d: P<NaiveDate>, s: &[u8]) -> P<LocalTime> {
    let ((h, m, sec), mut rest) = hms(s)?;
    let mut nanos = 0u32;
    if rest.first() == Some(&b'.') {
        let n = rest[1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 || n > 9 {
            return Err(TimeParseProblem::Format);
        }
        let frac = digits(&rest[1..], n).ok_or(TimeParseProblem::Format)?;
        nanos = frac * 10u32.pow(9 - n as u32);
        rest = &rest[1 + n..];
    }
    let offset_seconds: Option<i32> = match rest {
        [] => None,
        [b'Z'] => Some(0),
        [sign @ (b'+' | b'-'), ..] => {
            let tail = &rest[1..];
            let (oh, om) = match (
                digits(tail, 2),
                tail.get(2),
                digits(tail.get(3..).unwrap_or(&[]), 2),
            ) {
                (Some(oh), Some(b':'), Some(om)) if tail.len() == 5 => (oh, om),
                _ => return Err(TimeParseProblem::Format),
            };
            if oh > 23 || om > 59 {
                return Err(TimeParseProblem::BadOffset);
            }
            let secs = (oh * 3600 + om * 60) as i32;
            Some(if *sign == b'-' { -secs } else { secs })
        }
        _ => return Err(TimeParseProblem::Format),
    };
    let at = d?.and_time(time(h, m, sec, nanos)?);
    let at = match offset_seconds {
        None => at,
        Some(off) => at
            .checked_add_signed(TimeDelta::seconds(i64::from(
                VIETNAM_UTC_OFFSET_SECONDS - off,
            )))
            .ok_or(TimeParseProblem::OutOfRange)?,
    };
    Ok(LocalTime { at, has_time: true })
}

/// `d/M/yyyy` or `dd/MM/yyyy`, optionally followed by ` HH:mm[:ss]`.
fn slashed(b: &[u8]) -> P<(NaiveDate, Option<NaiveTime>)> {
    let field = |s: &[u8]| -> P<(u32, usize)> {
        let n = s.iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 || n > 2 {
            return Err(TimeParseProblem::Format);
        }
        Ok((digits(s, n).ok_or(TimeParseProblem::Format)?, n))
    };
    let (d, n1) = field(b)?;
    if b.get(n1) != Some(&b'/') {
        return Err(TimeParseProblem::Format);
    }
    let (m, n2) = field(&b[n1 + 1..])?;
    let at = n1 + 1 + n2;
    if b.get(at) != Some(&b'/') {
        return Err(TimeParseProblem::Format);
    }
    let y = digits(&b[at + 1..], 4).ok_or(TimeParseProblem::Format)?;
    let rest = &b[at + 5..];
    match rest.first() {
        None => Ok((date(y, m, d)?, None)),
        Some(b' ') => {
            let ((h, mi, sec), tail) = hms(&rest[1..])?;
            if !tail.is_empty() {
                return Err(TimeParseProblem::Format);
            }
            Ok((date(y, m, d)?, Some(time(h, mi, sec, 0)?)))
        }
        _ => Err(TimeParseProblem::Format),
    }
}
