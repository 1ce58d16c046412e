//! Presentation of exact decimals: rounding happens here and only here.
//!
//! Scores are kept at full precision through the whole engine. Official tables print
//! two decimals rounded half away from zero ([`Rounding::HalfUp`]); the press often
//! truncates ([`Rounding::Truncate`]). Ranking never uses these functions. The one
//! exception to "display only" is a rounding the source itself applies to each leaf's
//! points before adding them, declared by the index ([`crate::index::LeafRounding`]).

use crate::text::{Lang, Text};

pub mod explain;
use rust_decimal::{Decimal, RoundingStrategy};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How a number is shortened for display.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    /// Round half away from zero (official tables: 89.955 → 89.96).
    #[default]
    HalfUp,
    /// Banker's rounding (half to even).
    HalfEven,
    /// Cut the extra digits (press style: 45.7875 → 45.78).
    Truncate,
    /// Keep every digit.
    Exact,
}

impl Rounding {
    /// The mode in words, for explanations.
    ///
    /// ```
    /// use chiso::display::Rounding;
    /// assert_eq!(Rounding::HalfUp.words().vi, "nửa lên");
    /// assert_eq!(Rounding::HalfEven.words().en, "half to even");
    /// ```
    pub fn words(self) -> Text {
        let (vi, en) = match self {
            Rounding::HalfUp => ("nửa lên", "half up"),
            Rounding::HalfEven => ("nửa về số chẵn", "half to even"),
            Rounding::Truncate => ("bỏ phần thừa", "truncated"),
            Rounding::Exact => ("giữ mọi chữ số", "exact"),
        };
        Text::new(vi, en)
    }
}

/// Rounds `value` to `dp` decimal places with `mode` (for display, and for a leaf
/// rounding an index declares: [`crate::index::LeafRounding`]).
///
/// ```
/// use chiso::display::{round, Rounding};
/// use rust_decimal::Decimal;
/// let v: Decimal = "45.7875".parse().unwrap();
/// assert_eq!(round(v, 2, Rounding::Truncate).to_string(), "45.78");
/// assert_eq!(round(v, 2, Rounding::HalfUp).to_string(), "45.79");
/// ```
pub fn round(value: Decimal, dp: u32, mode: Rounding) -> Decimal {
    match mode {
        Rounding::HalfUp => {
            value.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
        }
        Rounding::HalfEven => {
            value.round_dp_with_strategy(dp, RoundingStrategy::MidpointNearestEven)
        }
        Rounding::Truncate => value.round_dp_with_strategy(dp, RoundingStrategy::ToZero),
        Rounding::Exact => value,
    }
}

/// Writes an exact decimal without trailing zeros, with the decimal separator of
/// `lang` (Vietnamese uses a comma: `0,5`).
///
/// ```
/// use chiso::{display::plain, Lang};
/// assert_eq!(plain("0.50".parse().unwrap(), Lang::Vi), "0,5");
/// assert_eq!(plain("2.00".parse().unwrap(), Lang::En), "2");
/// ```
pub fn plain(value: Decimal, lang: Lang) -> String {
    let s = value.normalize().to_string();
    match lang {
        Lang::Vi => s.replace('.', ","),
        Lang::En => s,
    }
}

/// Formats `value` rounded to `dp` places, keeping exactly `dp` digits ("89.90").
///
/// ```
/// use chiso::display::{fixed, Rounding};
/// assert_eq!(fixed("89.9".parse().unwrap(), 2, Rounding::HalfUp), "89.90");
/// ```
pub fn fixed(value: Decimal, dp: u32, mode: Rounding) -> String {
    let mut r = round(value, dp, mode);
    if mode != Rounding::Exact {
        r.rescale(dp);
    }
    r.to_string()
}
