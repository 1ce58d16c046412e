//! The words of plans: points, percents and the text in both languages.

use crate::rule::num;
use crate::text::{Lang, Text};
use rust_decimal::Decimal;

/// Points for people ("2,5 điểm" / "2.5 points"), as rule explanations write them.
pub(super) use crate::rule::pts as pts_text;

/// The text in both languages.
pub(super) fn both(f: impl Fn(Lang) -> String) -> Text {
    Text::from_fn(f)
}

/// A percent for people ("71,5%").
pub(super) fn pct(d: Decimal, lang: Lang) -> String {
    format!("{}%", num(d, lang))
}
