//! What a failing dossier costs. An indicator scored `M × min(1, r / T)` with
//! `r = n / d` gains `M / (T·d)` points when one more dossier passes, as long as the
//! ratio stays below the threshold; above it the indicator is already at its cap and a
//! failing dossier costs nothing; across the cap it costs the rest, `M − M·n/(T·d)`.
//! [`CostModel::marginal`] gives that exact difference of the engine's own points
//! ([`proportional_points`]), read from the index file — no parameter is restated here.

use crate::diagnostics::{Diagnostic, Diagnostics, Problem};
use crate::engine::Index;
use crate::interval::Bound;
use crate::records::indicator::{Indicator, IndicatorSet};
use crate::rule::{proportional_points, Rule, ZeroDenominator};
use crate::text::Lang;
use rust_decimal::Decimal;
use serde::Serialize;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// The proportional rule of one indicator, as the index file gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndicatorRule {
    /// Maximum points `M`.
    pub max: Decimal,
    /// Threshold `T` in percent (100 when the file gives none).
    pub threshold_percent: Decimal,
    /// Optional gate.
    pub gate: Option<Bound>,
    /// What a zero denominator yields.
    pub zero_denominator: ZeroDenominator,
}

/// How one failing dossier's cost arises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CostCase {
    /// Below the cap: `M / (T·d)`.
    BelowCap,
    /// The dossier would take the ratio across the threshold: the rest up to `M`.
    AcrossCap,
    /// The ratio is at or above the threshold: 0.
    AboveCap,
}

/// The rules of the indicators computable from records, from an index.
#[derive(Debug, Clone)]
pub struct CostModel {
    rules: [Option<IndicatorRule>; 10],
    /// Id of the index read.
    pub index_id: String,
}

impl CostModel {
    /// Reads the rule of every [`Indicator`] from `index` (by criterion code). A code
    /// the index lacks leaves that indicator unscored; a code whose rule is not
    /// proportional is an error.
    pub fn from_index(index: &Index) -> Result<CostModel, Diagnostics> {
        let mut rules = [None; 10];
        let mut bad = Diagnostics::default();
        for i in Indicator::ALL {
            let Some(node) = index.node(i.code()) else {
                continue;
            };
            match (&node.rule, node.max) {
                (
                    Some(Rule::Proportional {
                        threshold_percent,
                        gate,
                        zero_denominator,
                        ..
                    }),
                    Some(max),
                ) => {
                    rules[i.index()] = Some(IndicatorRule {
                        max,
                        threshold_percent: threshold_percent.unwrap_or(Decimal::ONE_HUNDRED),
                        gate: *gate,
                        zero_denominator: *zero_denominator,
                    })
                }
                _ => bad.push(Diagnostic::error(
                    format!("$.nodes[code={}]", i.code()),
                    Some(i.code()),
                    Problem::Coded {
                        code: "records_not_proportional".into(),
                        text: String::new(),
                        vi: "chỉ số tính từ hồ sơ phải chấm bằng quy tắc tỷ lệ (proportional) có max_points".into(),
                        en: "a records indicator must be scored by a proportional rule with max_points".into(),
                    },
                )),
            }
        }
        if bad.is_empty() {
            Ok(CostModel {
                rules,
                index_id: index.definition().id.clone(),
            })
        } else {
            Err(bad)
        }
    }

    /// The rule of `i`, when the index has it.
    pub fn rule(&self, i: Indicator) -> Option<&IndicatorRule> {
        self.rules[i.index()].as_ref()
    }

    /// Points of `i` at `n / d` (the zero-denominator rule when `d = 0`).
    pub fn points(&self, i: Indicator, n: u64, d: u64) -> Option<Decimal> {
        let r = self.rule(i)?;
        if d == 0 {
            return r.zero_denominator.points(r.max).ok().flatten();
        }
        Some(proportional_points(
            r.max,
            (Decimal::from(n), Decimal::from(d)),
            Some(r.threshold_percent),
            r.gate,
        ))
    }

    /// Points one more passing dossier would add to `i` at `n / d` (`n < d`): what a
    /// failing dossier costs, exactly, and which case applies.
    ///
    /// ```
    /// use chiso::records::{CostCase, CostModel, Indicator};
    /// let index = chiso::Index::from_file(concat!(env!("CARGO_MANIFEST_DIR"),
    ///     "/criteria/service-766/qd766-portal-six-groups.json").as_ref()).unwrap();
    /// let m = CostModel::from_index(&index).unwrap();
    /// // 2.1: M = 20, T = 100 %, d = 8: one late dossier costs 20 / 8 = 2.5 points.
    /// assert_eq!(m.marginal(Indicator::OnTime, 5, 8), Some(("2.5".parse().unwrap(), CostCase::BelowCap)));
    /// // 3.3: M = 6, T = 50 %: at 5/8 the ratio is above 50 %, nothing is lost.
    /// assert_eq!(m.marginal(Indicator::OnlineSubmission, 5, 8), Some((0.into(), CostCase::AboveCap)));
    /// ```
    pub fn marginal(&self, i: Indicator, n: u64, d: u64) -> Option<(Decimal, CostCase)> {
        if d == 0 || n >= d {
            return Some((Decimal::ZERO, CostCase::AboveCap));
        }
        let r = self.rule(i)?;
        let hundred = Decimal::ONE_HUNDRED;
        let td = r.threshold_percent * Decimal::from(d);
        if r.gate.is_some() {
            // A gate can make one dossier worth more than M/(T·d): the plain difference.
            let now = self.points(i, n, d)?;
            return Some((self.points(i, n + 1, d)? - now, CostCase::BelowCap));
        }
        if Decimal::from(n) * hundred >= td {
            Some((Decimal::ZERO, CostCase::AboveCap))
        } else if Decimal::from(n + 1) * hundred <= td {
            // One correctly rounded division of the exact rational M·100 / (T·d).
            Some((r.max * hundred / td, CostCase::BelowCap))
        } else {
            Some((r.max - self.points(i, n, d)?, CostCase::AcrossCap))
        }
    }

    /// `M / (T·d)` as a reduced fraction of integers (`"10/3"`), the exact value of a
    /// below-cap cost.
    ///
    /// ```
    /// # let index = chiso::Index::from_file(concat!(env!("CARGO_MANIFEST_DIR"),
    /// #     "/criteria/service-766/qd766-portal-six-groups.json").as_ref()).unwrap();
    /// let m = chiso::records::CostModel::from_index(&index).unwrap();
    /// // 5.4: 6 / (90% × 6) = 10/9.
    /// assert_eq!(m.exact_fraction(chiso::records::Indicator::Satisfaction, 6).as_deref(), Some("10/9"));
    /// ```
    pub fn exact_fraction(&self, i: Indicator, d: u64) -> Option<String> {
        let r = self.rule(i)?;
        let parts = |x: Decimal| (x.mantissa(), x.scale());
        let (mm, ms) = parts(r.max);
        let (tm, ts) = parts(r.threshold_percent);
        // M·100 / (T·d) = mm·10^ts·100 / (tm·10^ms·d)
        let num = mm.checked_mul(10i128.checked_pow(ts)?)?.checked_mul(100)?;
        let den = tm
            .checked_mul(10i128.checked_pow(ms)?)?
            .checked_mul(i128::from(d))?;
        if den == 0 {
            return None;
        }
        let g = gcd(num.unsigned_abs(), den.unsigned_abs());
        let g = i128::try_from(g).ok()?;
        let (n, d) = (num / g, den / g);
        Some(if d == 1 {
            n.to_string()
        } else {
            format!("{n}/{d}")
        })
    }

    /// Σ of [`Self::marginal`] over the indicators in `failed`, each at its own `n / d`.
    pub fn cost(
        &self,
        failed: IndicatorSet,
        fraction: impl Fn(Indicator) -> Option<(u64, u64)>,
    ) -> Decimal {
        failed
            .iter()
            .filter_map(|i| {
                let (n, d) = fraction(i)?;
                self.marginal(i, n, d).map(|(c, _)| c)
            })
            .sum()
    }
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a.max(1)
}

/// The cost formula in words: `20 / (100% × 654)`.
pub fn formula(r: &IndicatorRule, d: u64, lang: Lang) -> String {
    let p = |x: Decimal| crate::display::plain(x, lang);
    format!("{} / ({}% × {d})", p(r.max), p(r.threshold_percent))
}

/// One dossier of a "dossiers that cost points" list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CostEntry {
    /// `MaHoSo`.
    pub ma_ho_so: String,
    /// Row in the file.
    pub row: u64,
    /// The dossier's own unit (`DonViXuLy`).
    pub unit: String,
    /// Indicators it failed (computable ones).
    #[serde(serialize_with = "codes")]
    pub failed: IndicatorSet,
    /// Points it costs the unit of the list, exactly.
    pub cost: Decimal,
    /// Working minutes late (2.1), when late or open overdue.
    pub late_minutes: Option<i64>,
}

fn codes<S: serde::Serializer>(s: &IndicatorSet, ser: S) -> Result<S::Ok, S::Error> {
    ser.collect_seq(s.iter().map(Indicator::code))
}

impl Ord for CostEntry {
    /// Greater = costs more: by cost, then working minutes late, then earlier row.
    fn cmp(&self, o: &Self) -> Ordering {
        self.cost
            .cmp(&o.cost)
            .then(
                self.late_minutes
                    .unwrap_or(i64::MIN)
                    .cmp(&o.late_minutes.unwrap_or(i64::MIN)),
            )
            .then(o.row.cmp(&self.row))
    }
}

impl PartialOrd for CostEntry {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

/// The `n` costliest entries seen, in bounded memory.
#[derive(Debug, Clone)]
pub struct TopN {
    n: usize,
    heap: BinaryHeap<std::cmp::Reverse<CostEntry>>,
}

impl TopN {
    /// Keeps at most `n`.
    pub fn new(n: usize) -> TopN {
        TopN {
            n,
            heap: BinaryHeap::new(),
        }
    }

    /// Offers one entry; `make` builds it only when it enters.
    pub fn offer(&mut self, key: (Decimal, Option<i64>, u64), make: impl FnOnce() -> CostEntry) {
        if self.n == 0 {
            return;
        }
        if self.heap.len() == self.n {
            if let Some(std::cmp::Reverse(min)) = self.heap.peek() {
                let probe = (key.0, key.1.unwrap_or(i64::MIN), std::cmp::Reverse(key.2));
                let least = (
                    min.cost,
                    min.late_minutes.unwrap_or(i64::MIN),
                    std::cmp::Reverse(min.row),
                );
                if probe <= least {
                    return;
                }
            }
            self.heap.pop();
        }
        self.heap.push(std::cmp::Reverse(make()));
    }

    /// The entries, costliest first.
    pub fn into_sorted(self) -> Vec<CostEntry> {
        let mut v: Vec<CostEntry> = self.heap.into_iter().map(|r| r.0).collect();
        v.sort_by(|a, b| b.cmp(a));
        v
    }
}
