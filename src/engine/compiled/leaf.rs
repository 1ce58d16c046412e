//! Leaves of a compiled plan: each rule turned into a kernel over integer-scaled values
//! ([`Fx`]), and each assessed value read once into the form its kernel takes.
//!
//! A value goes the fast way only when the rule accepts it without a word: every check
//! the rule makes (kind, range, whole counts, known keys, magnitudes) is made when the
//! value is read, and anything the rule would reject, flag or compute with rounding is
//! kept as a [`Value`] and scored by [`Rule::points`] itself — so errors are the rule's
//! own and points are identical.

use super::fx::Fx;
use crate::assessment::Value;
use crate::engine::FlatNode;
use crate::interval::{Bound, Interval};
use crate::rule::{Measure, Rule, ZeroDenominator, INPUT_LIMIT};
use rust_decimal::Decimal;

const HUNDRED: Fx = Fx { m: 100, s: 0 };

/// A bound of an interval as integers.
#[derive(Debug, Clone, Copy)]
pub(super) struct FxBound {
    pub value: Fx,
    pub inclusive: bool,
}

impl FxBound {
    fn of(b: Bound) -> Option<FxBound> {
        Some(FxBound {
            value: Fx::of(b.value)?,
            inclusive: b.inclusive,
        })
    }
}

/// An interval as integers ([`Interval::contains`]).
#[derive(Debug, Clone, Copy)]
pub(super) struct FxInterval {
    pub from: Option<FxBound>,
    pub to: Option<FxBound>,
}

impl FxInterval {
    fn of(i: &Interval) -> Option<FxInterval> {
        Some(FxInterval {
            from: match i.from {
                Some(b) => Some(FxBound::of(b)?),
                None => None,
            },
            to: match i.to {
                Some(b) => Some(FxBound::of(b)?),
                None => None,
            },
        })
    }

    /// The same interval with its bounds written at `scale` where they fit.
    fn aligned(self, scale: u32) -> FxInterval {
        let at = |b: Option<FxBound>| {
            b.map(|b| FxBound {
                value: align(b.value, scale),
                inclusive: b.inclusive,
            })
        };
        FxInterval {
            from: at(self.from),
            to: at(self.to),
        }
    }

    #[inline]
    fn contains(&self, x: Fx) -> bool {
        let lower = self.from.is_none_or(|b| {
            let o = x.cmp_value(b.value);
            o.is_gt() || (b.inclusive && o.is_eq())
        });
        let upper = self.to.is_none_or(|b| {
            let o = x.cmp_value(b.value);
            o.is_lt() || (b.inclusive && o.is_eq())
        });
        lower && upper
    }
}

/// What a rule becomes in the plan.
#[derive(Debug, Clone)]
pub(super) enum Kernel {
    /// A finite set of outcomes (yes/no, timeliness, levels): the points of each, `None`
    /// where the rule reports an error for it.
    Outcomes(Vec<Option<Fx>>),
    /// Tiers: the first tier containing the number gives its points.
    Tiers {
        measure: Measure,
        /// The scale of the bounds (values are read at it when they have fewer places).
        scale: u32,
        ranges: Vec<FxInterval>,
        points: Vec<Option<Fx>>,
    },
    /// `max × min(1, share / threshold)`, gated.
    Proportional {
        max: Fx,
        threshold: Fx,
        gate: Option<FxBound>,
        /// What a zero denominator yields: `Some(Some(points))`, `Some(None)` not
        /// applicable, `None` an input error.
        zero: Option<Option<Fx>>,
    },
    /// `max − Σ points per incident × incidents`, floored at 0.
    Deductions { max: Fx, per: Vec<Option<Fx>> },
    /// Survey answers: `max × (Σ percent × answers / Σ answers) / 100`.
    Answers { max: Fx, percent: Vec<Fx> },
    /// The points are the value itself (score, discretionary, survey points).
    Entered,
    /// Scored by the rule itself, always.
    Rule,
}

/// An assessed value in the form its kernel reads.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Input {
    /// Outcome number `k` of [`Kernel::Outcomes`].
    Choice(u32),
    /// A number (the points, a count, a percent for tiers).
    Num(Fx),
    /// A share `n / d` (a ratio; a percent is `p / 100`).
    Frac(Fx, Fx),
    /// A percent given as such (kept apart from a ratio for the rule's path).
    Pct(Fx),
    /// (key number, count) in the order of the assessment's map.
    Counts(Vec<(u32, Fx)>),
    /// Anything else: scored by [`Rule::points`].
    Slow(Value),
}

/// Points of a kernel.
pub(super) enum Out {
    /// Points.
    Points(Fx),
    /// The value makes the criterion not applicable.
    NotApplicable,
    /// Not computed here: the rule's own path gives the points (or the error).
    Slow,
}

fn fx(d: Option<Decimal>) -> Option<Fx> {
    d.and_then(Fx::of)
}

/// The kernel of a leaf, with the largest scale its constants need.
pub(super) fn compile(node: &FlatNode) -> (Kernel, u32) {
    let Some(rule) = &node.rule else {
        return (Kernel::Rule, 0);
    };
    let max = node.max;
    if max.is_some_and(|m| m.abs() > INPUT_LIMIT || Fx::of(m).is_none()) {
        return (Kernel::Rule, 0);
    }
    let points = |v: Value| fx(rule.points(max, &v).ok().flatten());
    let kernel = match rule {
        Rule::YesNo { .. } => Kernel::Outcomes(vec![
            points(Value::YesNo(true)),
            points(Value::YesNo(false)),
        ]),
        Rule::Timeliness { .. } => Kernel::Outcomes(
            ["on_time", "late", "not_done"]
                .iter()
                .map(|k| points(Value::Option((*k).into())))
                .collect(),
        ),
        Rule::Levels { levels } => Kernel::Outcomes(
            levels
                .iter()
                .map(|l| points(Value::Option(l.key.clone())))
                .collect(),
        ),
        Rule::Tiers { measure, tiers } => {
            let ranges: Option<Vec<FxInterval>> =
                tiers.iter().map(|t| FxInterval::of(&t.range)).collect();
            // Bounds and values at one scale, so a comparison is one integer comparison.
            let scale = ranges
                .iter()
                .flatten()
                .flat_map(|r| [r.from, r.to])
                .flatten()
                .map(|b| b.value.s)
                .max()
                .unwrap_or(0);
            let ranges = ranges.map(|rs| rs.into_iter().map(|r| r.aligned(scale)).collect());
            match ranges {
                Some(ranges) => Kernel::Tiers {
                    measure: *measure,
                    scale,
                    ranges,
                    points: tiers.iter().map(|t| fx(t.points(max).ok())).collect(),
                },
                None => Kernel::Rule,
            }
        }
        Rule::Proportional {
            threshold_percent,
            gate,
            zero_denominator,
            ..
        } => {
            let parts = (
                max.and_then(Fx::of),
                Fx::of(threshold_percent.unwrap_or(Decimal::ONE_HUNDRED)),
                gate.map(FxBound::of),
            );
            match parts {
                (Some(m), Some(threshold), g) if !matches!(g, Some(None)) => {
                    let zero = match zero_denominator {
                        ZeroDenominator::Invalid => None,
                        z => match z.points(m.dec()) {
                            Ok(Some(p)) => Fx::of(p).map(Some),
                            Ok(None) => Some(None),
                            Err(_) => None,
                        },
                    };
                    Kernel::Proportional {
                        max: m,
                        threshold,
                        gate: g.flatten(),
                        zero,
                    }
                }
                _ => Kernel::Rule,
            }
        }
        Rule::Deductions { severities } => match max.and_then(Fx::of) {
            Some(m) => Kernel::Deductions {
                max: m,
                per: severities.iter().map(|s| fx(s.points(max).ok())).collect(),
            },
            None => Kernel::Rule,
        },
        Rule::Survey { options } => match (max.and_then(Fx::of), options.len() < u32::MAX as usize)
        {
            (Some(m), true) => {
                let percent: Option<Vec<Fx>> = options.iter().map(|o| Fx::of(o.percent)).collect();
                match percent {
                    Some(percent) => Kernel::Answers { max: m, percent },
                    None => Kernel::Rule,
                }
            }
            _ => Kernel::Rule,
        },
        Rule::Discretionary { .. } | Rule::Score { .. } => Kernel::Entered,
    };
    let scale = match &kernel {
        Kernel::Outcomes(o) => o.iter().flatten().map(|x| x.s).max().unwrap_or(0),
        Kernel::Tiers { points, .. } => points.iter().flatten().map(|x| x.s).max().unwrap_or(0),
        Kernel::Proportional { max, zero, .. } => max.s.max(zero.flatten().map_or(0, |z| z.s)),
        Kernel::Deductions { max, .. } => max.s,
        _ => 0,
    };
    (kernel, scale)
}

/// `x` written with `scale` places when it has fewer and fits (same value).
fn align(x: Fx, scale: u32) -> Fx {
    if x.s >= scale || scale > 18 || x.m.unsigned_abs() >= 1 << 63 {
        return x;
    }
    Fx {
        m: x.m * super::fx::POW10[(scale - x.s) as usize],
        s: scale,
    }
}

/// Whether `x` is a number the rules accept without complaint about its size.
fn ok_num(x: Decimal) -> Option<Fx> {
    if x.abs() > INPUT_LIMIT {
        return None;
    }
    Fx::of(x)
}

fn non_negative(x: Fx) -> bool {
    x.m >= 0
}

/// Reads `value` for the leaf `node` compiled to `kernel`: the fast form when the rule
/// accepts it as it stands, else [`Input::Slow`].
pub(super) fn read(kernel: &Kernel, node: &FlatNode, value: &Value) -> Input {
    fast(kernel, node, value).unwrap_or_else(|| Input::Slow(value.clone()))
}

fn fast(kernel: &Kernel, node: &FlatNode, value: &Value) -> Option<Input> {
    let rule = node.rule.as_ref()?;
    let max = node.max.and_then(Fx::of);
    // Warnings (a nominal range) do not change the points: the fast path is fine.
    let input = match (kernel, rule, value) {
        (Kernel::Outcomes(o), Rule::YesNo { conditions, .. }, v) => {
            let yes = match v {
                Value::YesNo(b) => *b,
                Value::Conditions(map) => {
                    if map.len() != conditions.len()
                        || !map.keys().all(|k| conditions.iter().any(|c| &c.key == k))
                    {
                        return None;
                    }
                    map.values().all(|b| *b)
                }
                _ => return None,
            };
            let k = u32::from(!yes);
            o.get(k as usize)?.as_ref()?;
            Input::Choice(k)
        }
        (Kernel::Outcomes(o), Rule::Timeliness { .. }, Value::Option(s)) => {
            let k = ["on_time", "late", "not_done"]
                .iter()
                .position(|x| x == s)?;
            o.get(k)?.as_ref()?;
            Input::Choice(k as u32)
        }
        (Kernel::Outcomes(o), Rule::Levels { levels }, Value::Option(s)) => {
            let k = levels.iter().position(|l| &l.key == s)?;
            o.get(k)?.as_ref()?;
            Input::Choice(u32::try_from(k).ok()?)
        }
        (Kernel::Tiers { measure, scale, .. }, _, v) => match (measure, v) {
            (Measure::Percent, Value::Percent(p) | Value::Number(p)) => {
                let p = ok_num(*p)?;
                let in_range = non_negative(p) && p.cmp_value(HUNDRED).is_le();
                in_range.then_some(Input::Pct(align(p, *scale)))?
            }
            (
                Measure::Percent,
                Value::Ratio {
                    numerator,
                    denominator,
                },
            ) => {
                let (n, d) = (ok_num(*numerator)?, ok_num(*denominator)?);
                let ok = non_negative(n) && d.m > 0 && n.cmp_value(d).is_le();
                ok.then_some(Input::Frac(n, d))?
            }
            (Measure::Count, Value::Number(x)) => {
                let x = ok_num(*x)?;
                (non_negative(x) && numerator_whole(x)).then_some(Input::Num(align(x, *scale)))?
            }
            (Measure::Number, Value::Number(x)) => Input::Num(align(ok_num(*x)?, *scale)),
            _ => return None,
        },
        (Kernel::Proportional { zero, .. }, _, v) => match v {
            Value::Ratio {
                numerator,
                denominator,
            } => {
                let (n, d) = (ok_num(*numerator)?, ok_num(*denominator)?);
                if !non_negative(n) || !non_negative(d) {
                    return None;
                }
                if d.m == 0 {
                    // The zero-denominator policy decides; an invalid one is the rule's error.
                    zero.as_ref()?;
                } else if n.cmp_value(d).is_gt() {
                    return None;
                }
                Input::Frac(n, d)
            }
            Value::Percent(p) => {
                let p = ok_num(*p)?;
                (non_negative(p) && p.cmp_value(HUNDRED).is_le()).then_some(Input::Pct(p))?
            }
            _ => return None,
        },
        (Kernel::Deductions { per, .. }, Rule::Deductions { severities }, Value::Counts(map)) => {
            let mut items = Vec::with_capacity(map.len());
            for (k, c) in map {
                let i = severities.iter().position(|s| &s.key == k)?;
                per[i]?;
                let c = ok_num(*c)?;
                if !non_negative(c) || !numerator_whole(c) {
                    return None;
                }
                items.push((u32::try_from(i).ok()?, c));
            }
            Input::Counts(items)
        }
        (Kernel::Answers { .. }, Rule::Survey { options }, v) => match v {
            Value::Answers(map) => {
                let mut items = Vec::with_capacity(map.len());
                let mut any = false;
                for (k, c) in map {
                    let i = options.iter().position(|o| &o.key == k)?;
                    let c = ok_num(*c)?;
                    if !non_negative(c) {
                        return None;
                    }
                    any |= c.m != 0;
                    items.push((u32::try_from(i).ok()?, c));
                }
                any.then_some(Input::Counts(items))?
            }
            Value::Percent(p) => {
                let p = ok_num(*p)?;
                (non_negative(p) && p.cmp_value(HUNDRED).is_le()).then_some(Input::Pct(p))?
            }
            Value::Points(p) => {
                let p = ok_num(*p)?;
                (non_negative(p) && p.cmp_value(max?).is_le()).then_some(Input::Num(p))?
            }
            _ => return None,
        },
        (Kernel::Entered, Rule::Score { .. }, Value::Number(x) | Value::Points(x)) => {
            let x = ok_num(*x)?;
            if let Some(m) = node.max {
                let m = Fx::of(m)?;
                if !non_negative(x) || x.cmp_value(m).is_gt() {
                    return None;
                }
            }
            Input::Num(x)
        }
        (Kernel::Entered, Rule::Discretionary { step }, Value::Points(p)) => {
            let m = max?;
            let x = ok_num(*p)?;
            if !non_negative(x) || x.cmp_value(m).is_gt() {
                return None;
            }
            if let Some(s) = step.filter(|s| !s.is_zero()) {
                if p.checked_rem(s).is_none_or(|r| !r.is_zero()) {
                    return None;
                }
            }
            Input::Num(x)
        }
        _ => return None,
    };
    Some(input)
}

/// Whether a count is whole (`fract() == 0`).
fn numerator_whole(x: Fx) -> bool {
    x.m % super::fx::POW10[x.s as usize] == 0
}

/// `n/d × 100` reaches `b` (d > 0), as the rule compares it; `None` when the products
/// would round (the rule's path decides then).
#[inline]
fn reaches(n: Fx, d: Fx, b: FxBound) -> Option<bool> {
    let lhs = n.mul(HUNDRED)?;
    let rhs = b.value.mul(d)?;
    let o = lhs.cmp_value(rhs);
    Some(if b.inclusive { o.is_ge() } else { o.is_gt() })
}

/// Points of `input` under `kernel`, before crediting and leaf rounding.
#[inline]
pub(super) fn run(kernel: &Kernel, input: &Input) -> Out {
    run_opt(kernel, input).unwrap_or(Out::Slow)
}

#[inline]
fn run_opt(kernel: &Kernel, input: &Input) -> Option<Out> {
    let p = match (kernel, input) {
        (Kernel::Outcomes(o), Input::Choice(k)) => (*o.get(*k as usize)?)?,
        (Kernel::Tiers { ranges, points, .. }, x) => {
            let x = match x {
                Input::Num(x) | Input::Pct(x) => *x,
                Input::Frac(n, d) => {
                    if d.cmp_value(HUNDRED).is_eq() {
                        *n
                    } else {
                        n.mul(HUNDRED)?.div(*d)?
                    }
                }
                _ => return None,
            };
            let t = ranges.iter().position(|r| r.contains(x))?;
            (*points.get(t)?)?
        }
        (
            Kernel::Proportional {
                max,
                threshold,
                gate,
                zero,
            },
            x,
        ) => {
            let (n, d) = match x {
                Input::Frac(n, d) => (*n, *d),
                Input::Pct(p) => (*p, HUNDRED),
                _ => return None,
            };
            if d.m == 0 {
                return Some(match (*zero)? {
                    Some(p) => Out::Points(p),
                    None => Out::NotApplicable,
                });
            }
            if let Some(g) = gate {
                if !reaches(n, d, *g)? {
                    return Some(Out::Points(Fx::ZERO));
                }
            }
            let t = FxBound {
                value: *threshold,
                inclusive: true,
            };
            if reaches(n, d, t)? {
                *max
            } else {
                let num = max.mul(n)?.mul(HUNDRED)?;
                num.div(d.mul(*threshold)?)?
            }
        }
        (Kernel::Deductions { max, per }, Input::Counts(items)) => {
            let mut total = Fx::ZERO;
            for &(k, c) in items {
                let d = (*per.get(k as usize)?)?.mul(c)?;
                total = total.add(d)?;
            }
            max.sub(total)?.max(Fx::ZERO)
        }
        (Kernel::Answers { max, percent }, Input::Counts(items)) => {
            let (mut n, mut weighted) = (Fx::ZERO, Fx::ZERO);
            for &(k, c) in items {
                n = n.add(c)?;
                weighted = percent.get(k as usize)?.mul(c)?.add(weighted)?;
            }
            let mean = weighted.div(n)?;
            max.mul(mean)?.div(HUNDRED)?
        }
        (Kernel::Answers { max, .. }, Input::Pct(pc)) => max.mul(*pc)?.div(HUNDRED)?,
        (Kernel::Answers { .. } | Kernel::Entered, Input::Num(x)) => *x,
        _ => return None,
    };
    Some(Out::Points(p))
}

/// The value an input was read from (for the rule's own path): the same points and
/// checks as the original value.
pub(super) fn value_of(kernel: &Kernel, node: &FlatNode, input: &Input) -> Option<Value> {
    Some(match (input, kernel, node.rule.as_ref()?) {
        (Input::Slow(v), _, _) => v.clone(),
        (Input::Num(x), Kernel::Entered, Rule::Discretionary { .. }) => Value::Points(x.dec()),
        (Input::Num(x), Kernel::Answers { .. }, _) => Value::Points(x.dec()),
        (Input::Num(x), _, _) => Value::Number(x.dec()),
        (Input::Pct(p), _, _) => Value::Percent(p.dec()),
        (Input::Frac(n, d), _, _) => Value::Ratio {
            numerator: n.dec(),
            denominator: d.dec(),
        },
        (Input::Counts(items), _, Rule::Deductions { severities }) => Value::Counts(
            items
                .iter()
                .map(|&(k, c)| Some((severities.get(k as usize)?.key.clone(), c.dec())))
                .collect::<Option<_>>()?,
        ),
        (Input::Counts(items), _, Rule::Survey { options }) => Value::Answers(
            items
                .iter()
                .map(|&(k, c)| Some((options.get(k as usize)?.key.clone(), c.dec())))
                .collect::<Option<_>>()?,
        ),
        (Input::Choice(k), _, Rule::YesNo { .. }) => Value::YesNo(*k == 0),
        (Input::Choice(k), _, Rule::Timeliness { .. }) => Value::Option(
            ["on_time", "late", "not_done"]
                .get(*k as usize)?
                .to_string(),
        ),
        (Input::Choice(k), _, Rule::Levels { levels }) => {
            Value::Option(levels.get(*k as usize)?.key.clone())
        }
        _ => return None,
    })
}

/// The most points a leaf can have in absolute value (leaf rounding included), as an
/// upper bound for the integer ranges of its ancestors.
pub(super) fn bound(kernel: &Kernel, node: &FlatNode) -> Decimal {
    let outcomes = match kernel {
        Kernel::Outcomes(o) => o.iter().flatten().map(|x| x.dec().abs()).max(),
        Kernel::Tiers { points, .. } => points.iter().flatten().map(|x| x.dec().abs()).max(),
        _ => None,
    };
    let b = match (node.max, kernel) {
        (_, Kernel::Rule) => INPUT_LIMIT,
        (Some(m), Kernel::Answers { percent, .. }) => {
            let most = percent
                .iter()
                .map(|p| p.dec().abs())
                .fold(Decimal::ONE_HUNDRED, Decimal::max);
            m.abs()
                .checked_mul(most)
                .map_or(Decimal::MAX, |x| x / Decimal::ONE_HUNDRED)
        }
        (Some(m), _) => m.abs().max(outcomes.unwrap_or(Decimal::ZERO)),
        (None, Kernel::Outcomes(_) | Kernel::Tiers { .. }) => outcomes.unwrap_or(Decimal::ZERO),
        (None, _) => INPUT_LIMIT,
    };
    b.saturating_add(Decimal::ONE)
}
