//! What each node can score, checked bottom-up while the tree is validated: the maximum
//! it declares or implies, and a bound on the magnitude of its points.
//!
//! Two kinds of tree are refused here, both found by a hostile-input review (issue 12):
//! - **silently wrong maxima**: a declared maximum that its children do not add up to —
//!   counting, for a child that declares no maximum, what its own children or its rule
//!   can award (a parent without a maximum between a root of 3 and leaves of 10 used to
//!   score 20 "of 3"); a leaf whose rule can never reach its maximum; a rescaled node
//!   without the maxima rescaling needs;
//! - **arithmetic beyond `Decimal`'s range**: weights and maxima near 10¹⁵ multiply to
//!   about 10³⁰. Every node's points are bounded here from the index alone (a leaf by its
//!   maximum, or by [`INPUT_LIMIT`] for a value supplied as such), so the engine's
//!   aggregation ([`crate::engine`]) cannot overflow on an index that validates.

use super::Checker;
use crate::diagnostics::{Diagnostic, Problem};
use crate::engine::ROOT_CODE;
use crate::index::LeafRounding;
use crate::node::{Aggregation, Node};
use crate::rule::{Rule, INPUT_LIMIT};
use rust_decimal::Decimal;

/// Largest magnitude the points of any node — and the total with its bonus and penalty
/// points — may reach on a valid index: half of `Decimal`'s range (≈ 3.96·10²⁸), so a
/// sum of two such numbers, or their difference (appraised − self), stays exact.
///
/// ```
/// assert!(chiso::validate::POINTS_LIMIT > chiso::Decimal::from(10u64.pow(18)));
/// ```
pub const POINTS_LIMIT: Decimal = Decimal::from_parts(u32::MAX, u32::MAX, u32::MAX >> 1, false, 0);

/// What validation learnt about one node.
#[derive(Debug, Clone, Copy)]
pub(super) struct Reach {
    /// The most points the node can score: declared, else implied by its children (or,
    /// for a leaf, by its rule); `None` when unknown (a `score` leaf without maximum
    /// below it).
    max: Option<Decimal>,
    /// Whether the engine knows the node's maximum while scoring: every leaf below it
    /// declares one (needed by a parent that rescales).
    engine_max: bool,
    /// Largest magnitude its points can take; `None` once an error about the node (or
    /// below it) has been reported, so ancestors do not repeat it.
    bound: Option<Decimal>,
}

impl Reach {
    /// A node whose own errors stop the reasoning (too deep, malformed, bad maximum).
    pub(super) const UNKNOWN: Reach = Reach {
        max: None,
        engine_max: false,
        bound: None,
    };

    /// A malformed node (neither rule nor children, or both): its declared maximum still
    /// counts in its parent's sum, nothing else is known.
    pub(super) fn declared(max: Option<Decimal>) -> Reach {
        Reach {
            max,
            engine_max: max.is_some(),
            bound: None,
        }
    }
}

/// A parent being checked: its place, declared maximum, aggregation and children.
pub(super) struct Parent<'a> {
    /// JSON path (`$` for the root).
    pub path: &'a str,
    /// Criterion code (`None` for the root).
    pub code: Option<&'a str>,
    /// Declared maximum (already checked to be within the input limit).
    pub max: Option<Decimal>,
    /// How the children add up.
    pub agg: &'a Aggregation,
    /// The children.
    pub children: &'a [Node],
    /// What each child can score, in order.
    pub reaches: &'a [Reach],
    /// Whether every child has a valid weight (when the aggregation is weighted).
    pub weights_ok: bool,
}

impl Parent<'_> {
    fn weight(&self, i: usize) -> Decimal {
        self.agg
            .weights()
            .and_then(|w| w.get(&self.children[i].code).copied())
            .unwrap_or(Decimal::ONE)
    }

    fn at(&self, field: &str) -> String {
        if self.path == "$" {
            format!("$.{field}")
        } else {
            format!("{}.{field}", self.path)
        }
    }

    fn child_path(&self, i: usize) -> String {
        if self.path == "$" {
            format!("$.nodes[{i}]")
        } else {
            format!("{}.children[{i}]", self.path)
        }
    }
}

/// `what` for an overflow of the children's weighted points.
fn sum_words(agg: &Aggregation, of_maxima: bool) -> &'static str {
    match (agg.weights().is_some(), of_maxima) {
        (true, true) => "weighted sum of the sub-criteria maxima / tổng có trọng số của điểm tối đa các tiêu chí thành phần",
        (false, true) => "sum of the sub-criteria maxima / tổng điểm tối đa các tiêu chí thành phần",
        (true, false) => "weighted sum of the sub-criteria points / tổng có trọng số của điểm các tiêu chí thành phần",
        (false, false) => "sum of the sub-criteria points / tổng điểm các tiêu chí thành phần",
    }
}

/// `words` ("english / tiếng Việt") followed by why a sum that `Decimal` can hold is
/// still refused: it could reach `x`, above [`POINTS_LIMIT`].
fn beyond_half(words: &str, x: Decimal) -> String {
    let crate::text::Text { vi, en } = crate::text::Text::from_en_vi(words);
    format!(
        "{en}, which could reach about {} (more than half the limit, kept so that totals add up and compare exactly) / {vi}, có thể lên tới khoảng {} (quá một nửa giới hạn, phần giữ lại để cộng và so sánh các tổng điểm cho chính xác)",
        scientific(x, '.'),
        scientific(x, ',')
    )
}

/// `x` (≥ 1) in scientific notation with two significant digits: 4.0·10²⁸.
fn scientific(x: Decimal, point: char) -> String {
    let digits = x.abs().trunc().normalize().to_string();
    let exp = digits.len().saturating_sub(1);
    let lead: String = digits.chars().take(3).collect();
    let mut m = lead.parse::<u32>().unwrap_or(0);
    // Round the third digit half up into two.
    m = (m + if lead.len() == 3 { 5 } else { 0 }) / if lead.len() == 3 { 10 } else { 1 };
    let (mut a, mut b, mut e) = (m / 10, m % 10, exp);
    if a >= 10 {
        (a, b, e) = (1, 0, e + 1);
    }
    let sup: String = e
        .to_string()
        .chars()
        .map(|c| match c {
            '0' => '⁰',
            '1' => '¹',
            '2' => '²',
            '3' => '³',
            '4' => '⁴',
            '5' => '⁵',
            '6' => '⁶',
            '7' => '⁷',
            '8' => '⁸',
            _ => '⁹',
        })
        .collect();
    format!("{a}{point}{b}·10{sup}")
}

/// Σ wᵢ·xᵢ with every step checked; `None` on overflow.
fn weighted_sum(mut terms: impl Iterator<Item = (Decimal, Decimal)>) -> Option<Decimal> {
    terms.try_fold(Decimal::ZERO, |s, (w, x)| s.checked_add(w.checked_mul(x)?))
}

/// The maximum the children imply, as the engine aggregates them: `Err` on overflow,
/// `Ok(None)` for a weighted mean whose weights add up to 0.
fn implied_max(agg: &Aggregation, maxima: &[(Decimal, Decimal)]) -> Result<Option<Decimal>, ()> {
    let total = weighted_sum(maxima.iter().copied()).ok_or(())?;
    match agg {
        Aggregation::Sum { .. } | Aggregation::WeightedSum { .. } => Ok(Some(total)),
        Aggregation::WeightedMean { .. } => {
            let ws = maxima
                .iter()
                .try_fold(Decimal::ZERO, |s, (w, _)| s.checked_add(*w))
                .ok_or(())?;
            if ws.is_zero() {
                return Ok(None);
            }
            total.checked_div(ws).map(Some).ok_or(())
        }
    }
}

/// `x` or, when the index rounds each leaf, the larger of `x` and `x` rounded (a leaf of
/// maximum 0.5 rounded half up to a whole number scores 1).
fn rounded_up(x: Decimal, rounding: Option<&LeafRounding>) -> Decimal {
    rounding.map_or(x, |r| x.max(r.apply(x)))
}

impl Checker {
    /// What a leaf can score, and the error when its rule can never reach its maximum.
    /// `max` is the declared maximum, already checked.
    pub(super) fn leaf_reach(
        &mut self,
        rule: &Rule,
        max: Option<Decimal>,
        path: &str,
        code: Option<&str>,
    ) -> Reach {
        let best = rule.most_points(max);
        if let (Some(m), Some(b)) = (max, best) {
            if b < m {
                self.err(
                    &format!("{path}.rule"),
                    code,
                    Problem::MaxUnreachable { max: m, best: b },
                );
            }
        }
        let most = max.or(best);
        // A score supplied as such, without a maximum, is bounded by the input limit.
        let magnitude = most.map_or(INPUT_LIMIT, |m| m.abs());
        Reach {
            max: most,
            engine_max: max.is_some(),
            bound: Some(rounded_up(magnitude, self.rounding.as_ref())),
        }
    }

    /// What a parent can score from its children's reaches; reports, at the position
    /// `slot` of the diagnostics (where the parent's own errors belong, before its
    /// children's), a declared maximum the children do not add up to, rescaling without
    /// the maxima it needs, and sums that could leave `Decimal`'s range.
    pub(super) fn parent_reach(&mut self, p: &Parent, slot: usize) -> Reach {
        let mut errs: Vec<Diagnostic> = Vec::new();
        let rescale = p.agg.rescales();
        let mut overflowed = false;
        if rescale {
            match p.max {
                None => errs.push(Diagnostic::error(
                    p.at("aggregation.rescale_to_max"),
                    p.code,
                    Problem::RescaleNeedsMax { parent: None },
                )),
                Some(_) => {
                    for (i, (ch, r)) in p.children.iter().zip(p.reaches).enumerate() {
                        // A rule that needs a maximum has already said so.
                        let said = ch.rule.as_ref().is_some_and(Rule::needs_max);
                        if !r.engine_max && ch.max_points.is_none() && !said {
                            errs.push(Diagnostic::error(
                                format!("{}.max_points", p.child_path(i)),
                                Some(&ch.code),
                                Problem::RescaleNeedsMax {
                                    parent: Some(p.code.unwrap_or(ROOT_CODE).to_owned()),
                                },
                            ));
                        }
                    }
                }
            }
        }
        let maxima: Option<Vec<(Decimal, Decimal)>> = p
            .reaches
            .iter()
            .enumerate()
            .map(|(i, r)| r.max.map(|m| (p.weight(i), m)))
            .collect();
        let implied = match maxima.filter(|_| p.weights_ok) {
            Some(ms) => match implied_max(p.agg, &ms) {
                Ok(v) => v,
                Err(()) => {
                    overflowed = true;
                    errs.push(Diagnostic::error(
                        p.path,
                        p.code,
                        Problem::Overflow {
                            what: sum_words(p.agg, true).into(),
                        },
                    ));
                    None
                }
            },
            None => None,
        };
        if let (Some(declared), Some(computed), false) = (p.max, implied, rescale) {
            if declared != computed {
                errs.push(Diagnostic::error(
                    p.at("max_points"),
                    p.code,
                    Problem::MaxMismatch { declared, computed },
                ));
            }
        }
        let engine_max = p.reaches.iter().all(|r| r.engine_max);
        let bound = self.parent_bound(p, engine_max, overflowed, &mut errs);
        self.out.0.splice(slot..slot, errs);
        Reach {
            max: if rescale { p.max } else { p.max.or(implied) },
            engine_max,
            bound,
        }
    }

    /// The bound of a parent's points: the weighted sum of its children's bounds (for a
    /// weighted mean, that sum is formed too before it is divided), the declared maximum
    /// when the node rescales.
    fn parent_bound(
        &self,
        p: &Parent,
        engine_max: bool,
        overflowed: bool,
        errs: &mut Vec<Diagnostic>,
    ) -> Option<Decimal> {
        if !p.weights_ok {
            return None;
        }
        let bounds: Vec<Decimal> = p.reaches.iter().map(|r| r.bound).collect::<Option<_>>()?;
        let sum = weighted_sum(bounds.iter().enumerate().map(|(i, b)| (p.weight(i), *b)));
        let Some(sum) = sum.filter(|s| *s <= POINTS_LIMIT) else {
            if !overflowed {
                let what = match sum {
                    // Inside `Decimal` but above the half kept for sums and differences.
                    Some(s) => beyond_half(sum_words(p.agg, false), s),
                    None => sum_words(p.agg, false).to_owned(),
                };
                errs.push(Diagnostic::error(
                    p.path,
                    p.code,
                    Problem::Overflow { what },
                ));
            }
            return None;
        };
        let mut bound = match p.agg {
            Aggregation::WeightedMean { .. } => bounds.iter().copied().max().unwrap_or_default(),
            _ => sum,
        };
        if let (true, true, Some(target)) = (p.agg.rescales(), engine_max, p.max) {
            // achieved / max × target, with achieved ≤ max (twice max after rounding).
            let factor = if self.rounding.is_some() {
                Decimal::TWO
            } else {
                Decimal::ONE
            };
            bound = bound.max(target.abs() * factor);
        }
        Some(bound)
    }

    /// The total's bound with every bonus and penalty cap; an overflow error at
    /// `$.adjustments` when it leaves the limit.
    pub(super) fn total_bound(&mut self, root: &Reach, caps: &[Decimal]) {
        let Some(b) = root.bound else { return };
        let words =
            "total with the bonus and penalty points / tổng điểm cộng điểm thưởng và trừ điểm phạt";
        let what = match caps.iter().try_fold(b, |s, c| s.checked_add(c.abs())) {
            Some(t) if t <= POINTS_LIMIT => return,
            Some(t) => beyond_half(words, t),
            None => words.to_owned(),
        };
        self.err("$.adjustments", None, Problem::Overflow { what });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scientific_rounds_to_two_significant_digits() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        // 2⁹⁵ = 39614081257132168796771975168 ≈ 3.96·10²⁸ → 4.0·10²⁸.
        assert_eq!(
            scientific(d("39614081257132168796771975168"), '.'),
            "4.0·10²⁸"
        );
        assert_eq!(
            scientific(d("43000000000000000000000000000"), ','),
            "4,3·10²⁸"
        );
        // 9.96·10²⁷ rounds up into the next power of ten.
        assert_eq!(
            scientific(d("9960000000000000000000000000"), '.'),
            "1.0·10²⁸"
        );
        assert_eq!(scientific(d("123"), '.'), "1.2·10²");
    }
}
