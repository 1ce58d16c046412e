//! Intervals with explicit bound inclusivity ("trên 90%" ≠ "từ 90%").

use crate::display::plain;
use crate::text::Lang;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One end of an interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Bound {
    /// The bound value.
    pub value: Decimal,
    /// Whether the value itself belongs to the interval ("từ 70%" is inclusive,
    /// "trên 90%" is not).
    pub inclusive: bool,
}

impl Bound {
    /// An inclusive bound.
    pub fn incl(value: Decimal) -> Self {
        Self {
            value,
            inclusive: true,
        }
    }
    /// An exclusive bound.
    pub fn excl(value: Decimal) -> Self {
        Self {
            value,
            inclusive: false,
        }
    }
}

/// A range of values; a missing end is unbounded.
///
/// ```
/// use chiso::interval::{Bound, Interval};
/// use rust_decimal::Decimal;
/// // "từ 70% - 90%": 70 ≤ x ≤ 90
/// let i = Interval { from: Some(Bound::incl(Decimal::from(70))), to: Some(Bound::incl(Decimal::from(90))) };
/// assert!(i.contains(Decimal::from(90)));
/// assert_eq!(i.describe(chiso::Lang::Vi, "%"), "từ 70% đến 90%");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Interval {
    /// Lower end; `null` = no lower limit.
    #[serde(default)]
    pub from: Option<Bound>,
    /// Upper end; `null` = no upper limit.
    #[serde(default)]
    pub to: Option<Bound>,
}

impl Interval {
    /// Whether `x` lies in the interval.
    pub fn contains(&self, x: Decimal) -> bool {
        let lower_ok = match self.from {
            None => true,
            Some(b) if b.inclusive => x >= b.value,
            Some(b) => x > b.value,
        };
        let upper_ok = match self.to {
            None => true,
            Some(b) if b.inclusive => x <= b.value,
            Some(b) => x < b.value,
        };
        lower_ok && upper_ok
    }

    /// Whether no value can lie in the interval.
    pub fn is_empty(&self) -> bool {
        match (self.from, self.to) {
            (Some(a), Some(b)) => {
                a.value > b.value || (a.value == b.value && !(a.inclusive && b.inclusive))
            }
            _ => false,
        }
    }

    /// Describes the interval in words, e.g. "từ 80% đến dưới 100%" / "from 80% to under 100%".
    pub fn describe(&self, lang: Lang, unit: &str) -> String {
        let n = |b: Bound| format!("{}{unit}", plain(b.value, lang));
        if let (Some(a), Some(b)) = (self.from, self.to) {
            if a.value == b.value && a.inclusive && b.inclusive {
                return match lang {
                    Lang::Vi => format!("đúng {}", n(a)),
                    Lang::En => format!("exactly {}", n(a)),
                };
            }
        }
        let lower = self.from.map(|b| match (lang, b.inclusive) {
            (Lang::Vi, true) => format!("từ {}", n(b)),
            (Lang::Vi, false) => format!("trên {}", n(b)),
            (Lang::En, true) => format!("from {}", n(b)),
            (Lang::En, false) => format!("over {}", n(b)),
        });
        let upper = self.to.map(|b| match (lang, b.inclusive, lower.is_some()) {
            (Lang::Vi, true, true) => format!("đến {}", n(b)),
            (Lang::Vi, true, false) => format!("không quá {}", n(b)),
            (Lang::Vi, false, true) => format!("đến dưới {}", n(b)),
            (Lang::Vi, false, false) => format!("dưới {}", n(b)),
            (Lang::En, true, true) => format!("to {}", n(b)),
            (Lang::En, true, false) => format!("at most {}", n(b)),
            (Lang::En, false, true) => format!("to under {}", n(b)),
            (Lang::En, false, false) => format!("under {}", n(b)),
        });
        match (lower, upper) {
            (Some(l), Some(u)) => format!("{l} {u}"),
            (Some(l), None) => l,
            (None, Some(u)) => u,
            (None, None) => match lang {
                Lang::Vi => "mọi giá trị".into(),
                Lang::En => "any value".into(),
            },
        }
    }
}

/// Orders intervals by their lower end (unbounded first; inclusive before exclusive).
pub(crate) fn lower_key(i: &Interval) -> (bool, Decimal, bool) {
    match i.from {
        None => (false, Decimal::MIN, false),
        Some(b) => (true, b.value, !b.inclusive),
    }
}

/// The gap between two intervals sorted by lower end, if any: values above `a` and
/// below `b` that neither covers.
pub(crate) fn gap_between(a: &Interval, b: &Interval) -> Option<Interval> {
    let (au, bl) = (a.to?, b.from?);
    let gap = Interval {
        from: Some(Bound {
            value: au.value,
            inclusive: !au.inclusive,
        }),
        to: Some(Bound {
            value: bl.value,
            inclusive: !bl.inclusive,
        }),
    };
    (!gap.is_empty()).then_some(gap)
}

/// The values two intervals share (possibly empty).
pub(crate) fn intersection(a: &Interval, b: &Interval) -> Interval {
    let from = match (a.from, b.from) {
        (None, x) | (x, None) => x,
        (Some(x), Some(y)) => Some(
            if x.value > y.value || (x.value == y.value && !x.inclusive) {
                x
            } else {
                y
            },
        ),
    };
    let to = match (a.to, b.to) {
        (None, x) | (x, None) => x,
        (Some(x), Some(y)) => Some(
            if x.value < y.value || (x.value == y.value && !x.inclusive) {
                x
            } else {
                y
            },
        ),
    };
    Interval { from, to }
}

/// Whether two intervals share at least one value.
pub(crate) fn overlaps(a: &Interval, b: &Interval) -> bool {
    !intersection(a, b).is_empty()
}
