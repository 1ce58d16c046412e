//! Result bands (xếp loại) and tie policies.

use crate::interval::Interval;
use crate::text::Text;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A named band of the index percent, e.g. A: `from 90 inclusive`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Band {
    /// Short code, e.g. `A` or `tot`.
    pub code: String,
    /// Name, e.g. "Nhóm A" / "Group A".
    pub label: Text,
    /// Range of the index percent (explicit inclusivity).
    pub range: Interval,
}

/// Finds the band whose range holds `percent`.
///
/// ```
/// use chiso::band::{band_of, Band};
/// use chiso::interval::{Bound, Interval};
/// use chiso::Text;
/// let a = Band { code: "A".into(), label: Text::new("A", "A"),
///     range: Interval { from: Some(Bound::incl(90.into())), to: None } };
/// assert_eq!(band_of(&[a.clone()], 90.into()).map(|b| b.code.as_str()), Some("A"));
/// assert!(band_of(&[a], "89.99".parse().unwrap()).is_none());
/// ```
pub fn band_of(bands: &[Band], percent: Decimal) -> Option<&Band> {
    bands.iter().find(|b| b.range.contains(percent))
}

/// How equal values are ranked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TiePolicy {
    /// Shared rank, next rank skipped: 5, 5, 7 (the QĐ 766 portal's province table).
    #[default]
    Competition,
    /// Shared rank, next rank follows: 5, 5, 6 (provincial PAR scoring apps).
    Dense,
    /// Consecutive ranks, never shared: 5, 6, 7 (thứ hạng liên tiếp; the QĐ 766
    /// portal's tables of departments and communes, e.g. Gia Lai 10/10/2026: three units
    /// on 69.95 ranked 100, 101, 102). Within a group of equal values the unit that
    /// comes first in the input (within its block) gets the smaller rank (thứ tự trong
    /// nhóm bằng điểm theo thứ tự đầu vào); nothing else — not the name, the code nor
    /// any unrounded score — breaks the tie. Equal means equal exact values (`69.95` =
    /// `69.950`). The portal's own order within a tie is not explained by its published
    /// figures, so a tie group receives exactly the portal's set of ranks, and the same
    /// ranks unit by unit only when the input lists the units in the portal's order.
    Ordinal,
}

impl TiePolicy {
    /// The name used in index files, the batch output and `chiso batch --ties`.
    ///
    /// ```
    /// use chiso::band::TiePolicy;
    /// assert_eq!(TiePolicy::Ordinal.name(), "ordinal");
    /// assert_eq!(serde_json::to_string(&TiePolicy::Ordinal).unwrap(), "\"ordinal\"");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            TiePolicy::Competition => "competition",
            TiePolicy::Dense => "dense",
            TiePolicy::Ordinal => "ordinal",
        }
    }
}
