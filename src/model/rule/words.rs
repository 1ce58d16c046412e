//! The words of explanations: numbers, points, and the text in both languages.

use crate::display::{plain, round, Rounding};
use crate::text::{Lang, Text};
use rust_decimal::Decimal;

/// Writes a number for an explanation: exact when short, otherwise "≈" and 4 decimals
/// rounded half up (presentation only).
pub(crate) fn num(d: Decimal, lang: Lang) -> String {
    let d = d.normalize();
    if d.scale() <= 4 {
        plain(d, lang)
    } else {
        format!("≈{}", plain(round(d, 4, Rounding::HalfUp), lang))
    }
}

pub(crate) fn pts(d: Decimal, lang: Lang) -> String {
    match lang {
        Lang::Vi => format!("{} điểm", num(d, lang)),
        Lang::En if d == Decimal::ONE => "1 point".into(),
        Lang::En => format!("{} points", num(d, lang)),
    }
}

/// The explanation in both languages, or an empty text when the caller wants points only.
pub(super) fn both(explain: bool, f: impl Fn(Lang) -> String) -> Text {
    if explain {
        Text::from_fn(f)
    } else {
        Text::default()
    }
}
