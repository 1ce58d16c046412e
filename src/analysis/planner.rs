//! "What does it take": the least-cost set of improvements that reaches a target
//! (an index percent, a total, a band, or a rank within a batch), and the table of
//! points still available per leaf.
//!
//! # Steps
//!
//! Each leaf's achievable improvements come from its rule, starting from the value the
//! view reads (the latest appraisal, else the self-assessment, in the `final` view):
//!
//! | rule | improvements (each is one or more *steps*) |
//! |---|---|
//! | `yes_no` | "yes": one step, or one step per unmet condition |
//! | `timeliness`, `levels` | each better-paid outcome; one step per outcome climbed |
//! | `tiers` | each better-paid tier, at the value nearest the current one inside it (the tier's bound; for a ratio, the fewest extra units of the numerator with the same denominator); one step per tier climbed |
//! | `proportional` | the rate raised to the gate, to each multiple of the rate step (10 percentage points unless the costs file says otherwise) and to the threshold of full marks; one step per grid point; for a ratio the numerator needed is the smallest reaching that rate with the same denominator |
//! | `deductions` | one occurrence fewer, largest deduction first; one step per occurrence |
//! | `discretionary` | one rule step (or straight to full marks when the rule has no step) per step |
//! | `survey`, `score` | none: not in the unit's hands (see below) |
//!
//! A leaf not credited for missing evidence (policy `not_credited`) gets the step
//! "attach the evidence" (its points come back), and every other improvement of that
//! leaf includes it. A step costs 1 unless the costs file ([`Costs`]) says otherwise
//! per leaf; leaves listed as `fixed` are never changed. Not-applicable leaves stay so.
//!
//! # Outside the unit's control
//!
//! Survey-fed leaves (rule `survey`, or a leaf read from the survey layer, channel
//! `survey`) that the planner cannot act on are listed apart, in
//! [`Plan::outside_control`] and [`Headroom::outside_control`] ("ngoài tầm kiểm soát
//! của đơn vị / outside the unit's control"): the leaf points still available
//! (max − current), what full marks would add to the total and, for a `survey` rule,
//! the next step in the rule's terms: the survey percent raised to the next multiple
//! of the grid (the costs file's `proportional_step_percent`, 10 percentage points
//! unless it says otherwise), e.g. "nâng kết quả điều tra từ 71% lên 80% (+1,8 điểm)".
//! They are never counted in a plan's cost, steps or reached total. A unit's survey
//! result (SIPAS from answer sheets) enters the assessment through
//! [`crate::survey::par::criterion_entry`], which gives the entry to insert under the
//! criterion's code.
//!
//! # Optimality
//!
//! With the applicable set fixed, the total is a monotone (affine) function of each
//! leaf's points, and the leaves are independent, so choosing at most one improvement
//! per leaf is a multiple-choice knapsack: minimise the cost subject to the gain
//! reaching the gap. Each improvement's gain on the total is computed exactly by
//! [`Index::aggregate`] (weights, weighted means and rescaling included). The solver is
//! a dynamic programme over the cost, scaled to integers by the costs' common decimal
//! scale and bounded by a feasible (greedy) cost, so it is exact and polynomial in the
//! number of improvements × the cost bound; when that table would be too large it
//! falls back to an exact depth-first branch and bound. Among plans of least cost the
//! one with the largest gain is chosen. The plan is then applied to the assessment and
//! scored by the engine, so the reported result is the engine's.
//!
//! Targets: `percent` and `band` (its lower bound, inclusive or not, meaning "this
//! band or better") are on the index percent; `points` on the total after bonus and
//! penalty (which the planner does not change); `rank` r within a batch (the unit's
//! block), under the index's tie policy: with competition ties the total must reach the
//! r-th highest total of the other units (a tie shares that rank); with dense ties the
//! r-th highest distinct total; with ordinal ties (consecutive ranks, equal totals in
//! input order) it must reach that total if the unit comes before that r-th unit in the
//! batch, and **exceed** it otherwise — reaching it would leave the unit (r+1)-th. When
//! the units of the block have different applicable maxima the batch ranks them on
//! percent, and so does the target (turned back into the unit's own points).

use crate::assessment::{Assessment, EvidenceRef, Layer, LayerEntry, Value};
use crate::band::TiePolicy;
use crate::diagnostics::{Diagnostic, Diagnostics, Problem};
use crate::display::plain;
use crate::engine::{Cell, Index};
use crate::interval::{Bound, Interval};
use crate::node::Channel;
use crate::result::{ScoreResult, Status, View};
use crate::rule::{num, Measure, Outcome, Rule};
use crate::scenario::Standing;
use crate::text::{Lang, Text};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

mod gain;
mod knapsack;
mod outside;
mod rivals;
use gain::Gains;
use knapsack::solve;
use outside::outside_control;
pub use outside::{OutsideControl, SurveyStep};
pub use rivals::Rivals;

/// The format tag of plans.
pub const PLAN_FORMAT: &str = "chiso.plan/1";
/// The format tag of costs files.
pub const COSTS_FORMAT: &str = "chiso.costs/1";
/// The format tag of the points-still-available table.
pub const HEADROOM_FORMAT: &str = "chiso.headroom/1";

/// Largest dynamic-programming table (improvements × cost levels, the work of one pass)
/// before the exact branch and bound is used instead: 500,000,000 cells when the gains
/// add as integers (about a second), a fifth of it when they add as `Decimal`s. The
/// table is never held whole (rows every √(8 × groups) groups, choices recomputed per
/// segment): with [`DP_LEVELS`] this keeps it under a few hundred MB.
pub const DP_LIMIT: u64 = 500_000_000;

/// Most cost levels of the dynamic programme (costs in units of their greatest common
/// divisor): rows of this many exact gains are kept (16 bytes each), so the table's
/// width stays bounded whatever the costs file says.
pub const DP_LEVELS: u64 = 1_000_000;

/// Cost of improvements per leaf (`chiso.costs/1`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Costs {
    /// Format tag, always `chiso.costs/1`.
    pub format: String,
    /// Index id the costs are for (checked when given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<String>,
    /// Cost of one step of a leaf not listed (default 1).
    #[serde(default = "one")]
    pub default: Decimal,
    /// Cost of one step per leaf code.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub leaves: BTreeMap<String, Decimal>,
    /// Leaves that cannot be changed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fixed: Vec<String>,
    /// Grid of `proportional` rates, in percentage points (default 10).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proportional_step_percent: Option<Decimal>,
    /// Notes (where the costs come from).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Text>,
}

fn one() -> Decimal {
    Decimal::ONE
}

impl Default for Costs {
    fn default() -> Self {
        Costs {
            format: COSTS_FORMAT.into(),
            index: None,
            default: Decimal::ONE,
            leaves: BTreeMap::new(),
            fixed: Vec::new(),
            proportional_step_percent: None,
            notes: Vec::new(),
        }
    }
}

impl Costs {
    /// Parses a costs file.
    pub fn parse(text: &str) -> Result<Costs, Diagnostics> {
        let v = crate::load::parse(text)?;
        let c: Costs = crate::load::typed(v, "$", None).map_err(|d| Diagnostics(vec![*d]))?;
        if c.format != COSTS_FORMAT {
            return Err(Diagnostics(vec![Diagnostic::error(
                "$.format",
                None,
                Problem::WrongFormat {
                    expected: COSTS_FORMAT.into(),
                    found: c.format,
                },
            )]));
        }
        Ok(c)
    }

    /// Checks the costs against an index: unknown codes, parents, negative costs.
    pub fn check(&self, index: &Index) -> Diagnostics {
        let mut d = Diagnostics::default();
        if let Some(id) = &self.index {
            if id != &index.definition().id {
                d.push(Diagnostic::error(
                    "$.index",
                    None,
                    Problem::IndexMismatch {
                        expected: index.definition().id.clone(),
                        found: id.clone(),
                    },
                ));
            }
        }
        let neg = |v: Decimal| v.is_sign_negative() && !v.is_zero();
        if neg(self.default) {
            d.push(Diagnostic::error(
                "$.default",
                None,
                Problem::Negative {
                    what: "cost / chi phí".into(),
                    value: self.default,
                },
            ));
        }
        // Costs, like every number chiso reads, stay below 10¹⁵: sums of steps and
        // plans then cannot overflow.
        let too_large = |v: Decimal| Problem::TooLarge {
            value: v,
            limit: crate::rule::INPUT_LIMIT,
        };
        if crate::rule::bounded(self.default).is_err() {
            d.push(Diagnostic::error(
                "$.default",
                None,
                too_large(self.default),
            ));
        }
        if let Some(s) = self.proportional_step_percent {
            if crate::rule::bounded(s).is_err() {
                d.push(Diagnostic::error(
                    "$.proportional_step_percent",
                    None,
                    too_large(s),
                ));
            }
            if s <= Decimal::ZERO {
                d.push(Diagnostic::error(
                    "$.proportional_step_percent",
                    None,
                    Problem::StepNotPositive,
                ));
            }
        }
        let leaf = |code: &str| index.node(code).map(|n| n.is_leaf() && n.parent.is_some());
        for (code, v) in &self.leaves {
            let path = format!("$.leaves[\"{code}\"]");
            match leaf(code) {
                None => d.push(Diagnostic::error(path, Some(code), Problem::UnknownCode)),
                Some(false) => d.push(Diagnostic::error(path, Some(code), Problem::ValueOnParent)),
                Some(true) if neg(*v) => d.push(Diagnostic::error(
                    path,
                    Some(code),
                    Problem::Negative {
                        what: "cost / chi phí".into(),
                        value: *v,
                    },
                )),
                Some(true) if crate::rule::bounded(*v).is_err() => {
                    d.push(Diagnostic::error(path, Some(code), too_large(*v)))
                }
                Some(true) => {}
            }
        }
        for (i, code) in self.fixed.iter().enumerate() {
            let path = format!("$.fixed[{i}]");
            match leaf(code) {
                None => d.push(Diagnostic::error(path, Some(code), Problem::UnknownCode)),
                Some(false) => d.push(Diagnostic::error(path, Some(code), Problem::ValueOnParent)),
                Some(true) => {}
            }
        }
        d
    }

    fn unit_cost(&self, code: &str) -> Decimal {
        self.leaves.get(code).copied().unwrap_or(self.default)
    }

    /// Where the cost of a step of `code` is written in the costs file.
    fn path_of(&self, code: &str) -> String {
        if self.leaves.contains_key(code) {
            format!("$.leaves[\"{code}\"]")
        } else {
            "$.default".into()
        }
    }
}

/// An [`Problem::Overflow`] error at `path` (`what` written "english / tiếng Việt").
fn overflow(path: &str, what: &str) -> Diagnostics {
    Diagnostics(vec![Diagnostic::error(
        path,
        None,
        Problem::Overflow { what: what.into() },
    )])
}

/// What the plan must reach.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Target {
    /// The index percent, at least.
    Percent {
        /// Percent.
        value: Decimal,
    },
    /// The total points (after bonus and penalty), at least.
    Points {
        /// Points.
        value: Decimal,
    },
    /// This band or a better one (the band's lower bound).
    Band {
        /// Band code.
        code: String,
    },
    /// This rank or better within the batch (and the unit's block).
    Rank {
        /// Rank (1 = first).
        rank: u32,
    },
}

/// How the plan was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Nothing to do (the target is met) or nothing can be done.
    Trivial,
    /// Dynamic programme over integer-scaled costs.
    DynamicProgramming,
    /// Depth-first branch and bound.
    BranchAndBound,
    /// Branch and bound stopped at its node limit (50,000,000): the cheapest plan found,
    /// **not proven optimal** (an index of thousands of leaves with costs that do not
    /// scale to integers).
    BranchAndBoundStopped,
}

/// One improvement of one leaf.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PlanStep {
    /// Leaf code.
    pub code: String,
    /// Name of the criterion.
    pub title: Text,
    /// Number of steps.
    pub steps: u32,
    /// Cost (steps × the leaf's cost of a step).
    pub cost: Decimal,
    /// Leaf points now.
    pub from_points: Decimal,
    /// Leaf points after.
    pub to_points: Decimal,
    /// Gain of the total.
    pub total_gain: Decimal,
    /// The value now (none when missing).
    pub from_value: Option<Value>,
    /// The value needed (unchanged when only evidence is attached).
    pub to_value: Value,
    /// Whether evidence must be attached.
    pub attach_evidence: bool,
    /// The improvement alone, in the words of the criterion.
    pub action: Text,
    /// The whole step: code, criterion, improvement and points gained.
    pub text: Text,
    /// Distance to the bound reached (rates, counts), in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distance: Option<Text>,
}

/// The least-cost plan (`chiso.plan/1`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Plan {
    /// Format tag.
    pub format: String,
    /// Index id.
    pub index: String,
    /// Unit name.
    pub unit: String,
    /// Layers scored.
    pub view: View,
    /// The target.
    pub target: Target,
    /// The total the target needs.
    pub required_total: Decimal,
    /// Whether the total must be strictly above `required_total`.
    pub strict: bool,
    /// Standing now.
    pub baseline: Standing,
    /// Whether the target is met now.
    pub already_met: bool,
    /// Whether the plan reaches the target.
    pub reached: bool,
    /// When unreachable: points of the total still missing with every improvement made.
    pub shortfall: Option<Decimal>,
    /// Total cost.
    pub cost: Decimal,
    /// The improvements (tree order). When unreachable: every improvement's best.
    pub steps: Vec<PlanStep>,
    /// Standing after the plan, as scored by the engine.
    pub result: Standing,
    /// How the plan was found.
    pub method: Method,
    /// Survey-fed leaves with points left, outside the unit's control: not in `steps`,
    /// `cost` or `result` (omitted when there are none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outside_control: Vec<OutsideControl>,
}

/// One row of the points-still-available table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct HeadroomRow {
    /// Leaf code.
    pub code: String,
    /// Name.
    pub title: Text,
    /// Points now.
    pub points: Decimal,
    /// Maximum.
    pub max: Decimal,
    /// Leaf points still available (max − points).
    pub available: Decimal,
    /// What full marks on this leaf would add to the total.
    pub total_available: Decimal,
    /// Whether the unit can act on it (not survey / supplied score, not fixed).
    pub plannable: bool,
    /// The cheapest next improvement.
    pub next: Option<PlanStep>,
}

/// The points-still-available table (`chiso.headroom/1`), largest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Headroom {
    /// Format tag.
    pub format: String,
    /// Index id.
    pub index: String,
    /// Unit name.
    pub unit: String,
    /// Standing now.
    pub baseline: Standing,
    /// Leaves with points still available, by `total_available` descending.
    pub rows: Vec<HeadroomRow>,
    /// Survey-fed leaves with points left, outside the unit's control (omitted when
    /// there are none); they are in `rows` too, with `plannable: false`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outside_control: Vec<OutsideControl>,
}

/// One candidate improvement of a leaf (before costing).
#[derive(Debug, Clone)]
struct Cand {
    points: Decimal,
    steps: u32,
    value: Value,
    evidence: bool,
    text: Text,
    distance: Option<Text>,
}

fn pts_text(d: Decimal, lang: Lang) -> String {
    match lang {
        Lang::Vi => format!("{} điểm", num(d, lang)),
        Lang::En if d == Decimal::ONE => "1 point".into(),
        Lang::En => format!("{} points", num(d, lang)),
    }
}

fn both(f: impl Fn(Lang) -> String) -> Text {
    Text::new(f(Lang::Vi), f(Lang::En))
}

fn pct(d: Decimal, lang: Lang) -> String {
    format!("{}%", num(d, lang))
}

/// Smallest whole `n` with `n / d × 100` in the lower bound `b`.
fn min_numerator(b: Bound, d: Decimal) -> Decimal {
    let exact = b.value * d / Decimal::ONE_HUNDRED;
    let mut n = exact.ceil();
    if !b.inclusive && n * Decimal::ONE_HUNDRED == b.value * d {
        n += Decimal::ONE;
    }
    n
}

/// Largest whole `n` with `n / d × 100` under the upper bound `b`.
fn max_numerator(b: Bound, d: Decimal) -> Decimal {
    let exact = b.value * d / Decimal::ONE_HUNDRED;
    let mut n = exact.floor();
    if !b.inclusive && n * Decimal::ONE_HUNDRED == b.value * d {
        n -= Decimal::ONE;
    }
    n
}

/// A value just inside a lower / upper bound on a continuous scale (one more decimal
/// place than the bound has, at least one).
fn just_inside(b: Bound, upward: bool, whole: bool) -> Decimal {
    if b.inclusive {
        return if whole {
            if upward {
                b.value.ceil()
            } else {
                b.value.floor()
            }
        } else {
            b.value
        };
    }
    if whole {
        return if upward {
            b.value.floor() + Decimal::ONE
        } else {
            b.value.ceil() - Decimal::ONE
        };
    }
    let e = Decimal::new(1, b.value.normalize().scale().max(1));
    if upward {
        b.value + e
    } else {
        b.value - e
    }
}

/// The share in percent and the parts of a proportional/percent value.
fn share(v: &Value) -> Option<(Decimal, Option<(Decimal, Decimal)>)> {
    match v {
        Value::Ratio {
            numerator,
            denominator,
        } if !denominator.is_zero() => Some((
            numerator * Decimal::ONE_HUNDRED / denominator,
            Some((*numerator, *denominator)),
        )),
        Value::Percent(p) | Value::Number(p) => Some((*p, None)),
        _ => None,
    }
}

fn value_words(v: &Value, lang: Lang) -> String {
    match v {
        Value::Ratio {
            numerator,
            denominator,
        } if !denominator.is_zero() => format!(
            "{} ({}/{})",
            pct(numerator * Decimal::ONE_HUNDRED / denominator, lang),
            num(*numerator, lang),
            num(*denominator, lang)
        ),
        Value::Percent(p) => pct(*p, lang),
        Value::Number(x) | Value::Points(x) => num(*x, lang),
        _ => String::new(),
    }
}

/// Candidate improvements of one leaf, from its rule and current value; `round` is the
/// index's leaf rounding ([`Index::round_leaf`]), applied to every candidate's points.
fn candidates(
    rule: &Rule,
    max: Option<Decimal>,
    current: Option<&Value>,
    now: Decimal,
    step_pct: Decimal,
    round: &dyn Fn(Decimal) -> Decimal,
) -> Vec<Cand> {
    let eval = |v: &Value| -> Option<Decimal> {
        match rule.evaluate(max, v) {
            Ok(Outcome::Scored { points, .. }) => Some(points),
            _ => None,
        }
    };
    let mut out: Vec<Cand> = Vec::new();
    let mut push =
        |points: Decimal, steps: u32, value: Value, text: Text, distance: Option<Text>| {
            let points = round(points);
            if points > now {
                out.push(Cand {
                    points,
                    steps,
                    value,
                    evidence: false,
                    text,
                    distance,
                });
            }
        };
    match rule {
        Rule::YesNo {
            conditions, yes, ..
        } => {
            let (value, steps, unmet): (Value, u32, Vec<&crate::rule::Condition>) =
                if conditions.is_empty() {
                    (Value::YesNo(true), 1, Vec::new())
                } else {
                    let unmet: Vec<_> = conditions
                        .iter()
                        .filter(|c| match current {
                            Some(Value::Conditions(m)) => !m.get(&c.key).copied().unwrap_or(false),
                            Some(Value::YesNo(true)) => false,
                            _ => true,
                        })
                        .collect();
                    let all = conditions.iter().map(|c| (c.key.clone(), true)).collect();
                    (Value::Conditions(all), unmet.len().max(1) as u32, unmet)
                };
            if let Some(p) = eval(&value) {
                let text = both(|l| {
                    let base = match l {
                        Lang::Vi => format!("đạt \"{}\"", yes.label.get(l)),
                        Lang::En => format!("reach \"{}\"", yes.label.get(l)),
                    };
                    if unmet.is_empty() {
                        base
                    } else {
                        let list = unmet
                            .iter()
                            .map(|c| c.label.get(l).to_owned())
                            .collect::<Vec<_>>()
                            .join("; ");
                        match l {
                            Lang::Vi => format!("{base}: bảo đảm {list}"),
                            Lang::En => format!("{base}: ensure {list}"),
                        }
                    }
                });
                push(p, steps, value, text, None);
            }
        }
        Rule::Timeliness {
            on_time,
            late,
            not_done,
        } => {
            let opts = [("not_done", not_done), ("late", late), ("on_time", on_time)];
            let mut list: Vec<(String, Decimal, Text)> = opts
                .iter()
                .filter_map(|(k, a)| {
                    eval(&Value::Option((*k).into())).map(|p| (k.to_string(), p, a.label.clone()))
                })
                .collect();
            list.sort_by_key(|a| a.1);
            ladder(&list, current, now, &mut push);
        }
        Rule::Levels { levels } => {
            let mut list: Vec<(String, Decimal, Text)> = levels
                .iter()
                .filter_map(|lv| {
                    eval(&Value::Option(lv.key.clone()))
                        .map(|p| (lv.key.clone(), p, lv.label.clone()))
                })
                .collect();
            list.sort_by_key(|a| a.1);
            ladder(&list, current, now, &mut push);
        }
        Rule::Tiers { measure, tiers } => {
            let cur = current.and_then(share);
            let mut better: Vec<(Decimal, &crate::rule::Tier)> = tiers
                .iter()
                .filter_map(|t| t.points(max).ok().map(|p| (p, t)))
                .filter(|(p, _)| *p > now)
                .collect();
            better.sort_by_key(|a| a.0);
            let whole = *measure == Measure::Count;
            for (k, (_, t)) in better.iter().enumerate() {
                let x = cur.map(|c| c.0);
                let upward = match (x, t.range.from) {
                    (Some(x), Some(b)) => {
                        !Interval {
                            from: Some(b),
                            to: None,
                        }
                        .contains(x)
                            || t.range.to.is_none()
                    }
                    (None, _) => true,
                    (Some(_), None) => false,
                };
                let bound = if upward { t.range.from } else { t.range.to };
                let value = match (bound, cur) {
                    (None, _) => match t.range.to.or(t.range.from) {
                        Some(b) => Value::Number(just_inside(b, false, whole)),
                        None => Value::Number(Decimal::ZERO),
                    },
                    (Some(b), Some((_, Some((_, d))))) if *measure == Measure::Percent => {
                        let n = if upward {
                            min_numerator(b, d)
                        } else {
                            max_numerator(b, d)
                        };
                        Value::Ratio {
                            numerator: n.max(Decimal::ZERO).min(d),
                            denominator: d,
                        }
                    }
                    (Some(b), _) if *measure == Measure::Percent => {
                        Value::Percent(just_inside(b, upward, false))
                    }
                    (Some(b), _) => Value::Number(just_inside(b, upward, whole)),
                };
                let Some(p) = eval(&value) else { continue };
                let unit = if *measure == Measure::Percent {
                    "%"
                } else {
                    ""
                };
                let text = both(|l| {
                    let what = match (measure, l) {
                        (Measure::Percent, Lang::Vi) => "tỷ lệ",
                        (Measure::Percent, Lang::En) => "the rate",
                        (Measure::Count, Lang::Vi) => "số lượng",
                        (Measure::Count, Lang::En) => "the count",
                        (Measure::Number, Lang::Vi) => "giá trị",
                        (Measure::Number, Lang::En) => "the value",
                    };
                    let from = current.map(|v| value_words(v, l)).filter(|s| !s.is_empty());
                    let verb = match (l, upward) {
                        (Lang::Vi, true) => "nâng",
                        (Lang::Vi, false) => "giảm",
                        (Lang::En, true) => "raise",
                        (Lang::En, false) => "lower",
                    };
                    let range = t.range.describe(l, unit);
                    let to_word = match l {
                        Lang::Vi => {
                            if upward {
                                "lên"
                            } else {
                                "xuống"
                            }
                        }
                        Lang::En => "to",
                    };
                    match (l, from) {
                        (Lang::Vi, Some(f)) => format!(
                            "{verb} {what} từ {f} {to_word} {} — mức \"{}\" ({range})",
                            value_words(&value, l),
                            t.label.get(l)
                        ),
                        (Lang::En, Some(f)) => format!(
                            "{verb} {what} from {f} {to_word} {} — tier \"{}\" ({range})",
                            value_words(&value, l),
                            t.label.get(l)
                        ),
                        (Lang::Vi, None) => format!(
                            "đạt {what} {} — mức \"{}\" ({range})",
                            value_words(&value, l),
                            t.label.get(l)
                        ),
                        (Lang::En, None) => format!(
                            "reach {what} {} — tier \"{}\" ({range})",
                            value_words(&value, l),
                            t.label.get(l)
                        ),
                    }
                });
                let distance = distance_text(current, &value);
                push(p, k as u32 + 1, value, text, distance);
            }
        }
        Rule::Proportional {
            threshold_percent,
            gate,
            numerator,
            ..
        } => {
            let (rate, parts) = match current.and_then(share) {
                Some(s) => s,
                None if current.is_none() => (Decimal::ZERO, None),
                None => return out,
            };
            let t = threshold_percent
                .unwrap_or(Decimal::ONE_HUNDRED)
                .min(Decimal::ONE_HUNDRED);
            let mut grid: Vec<Bound> = Vec::new();
            if let Some(g) = gate {
                if !(Interval {
                    from: Some(*g),
                    to: None,
                })
                .contains(rate)
                {
                    grid.push(*g);
                }
            }
            // The next multiple of the step above the rate, then every step to the
            // threshold (at most 1,000 points); a step too small for exact arithmetic
            // leaves only the gate and the threshold.
            let first = rate
                .checked_div(step_pct)
                .and_then(|q| q.floor().checked_mul(step_pct))
                .and_then(|x| x.checked_add(step_pct));
            if let (true, Some(mut r)) = (step_pct > Decimal::ZERO, first) {
                let mut guard = 0;
                while r < t && guard < 1000 {
                    grid.push(Bound::incl(r));
                    let Some(next) = r.checked_add(step_pct) else {
                        break;
                    };
                    r = next;
                    guard += 1;
                }
            }
            grid.push(Bound::incl(t));
            grid.sort_by(|a, b| {
                a.value
                    .cmp(&b.value)
                    .then(a.inclusive.cmp(&b.inclusive).reverse())
            });
            grid.dedup();
            let mut k = 0u32;
            for b in grid {
                if b.value < rate || (b.value == rate && b.inclusive) {
                    continue;
                }
                k += 1;
                let value = match parts {
                    Some((_, d)) => Value::Ratio {
                        numerator: min_numerator(b, d).min(d),
                        denominator: d,
                    },
                    None => Value::Percent(just_inside(b, true, false).min(Decimal::ONE_HUNDRED)),
                };
                let Some(p) = eval(&value) else { continue };
                let text = both(|l| {
                    let what = numerator
                        .as_ref()
                        .map(|n| format!(" {}", n.get(l)))
                        .unwrap_or_default();
                    let from = current
                        .map(|v| value_words(v, l))
                        .unwrap_or_else(|| pct(Decimal::ZERO, l));
                    match l {
                        Lang::Vi => {
                            format!("nâng tỷ lệ{what} từ {from} lên {}", value_words(&value, l))
                        }
                        Lang::En => format!(
                            "raise the rate of{what} from {from} to {}",
                            value_words(&value, l)
                        ),
                    }
                });
                let distance = distance_text(current, &value);
                push(p, k, value, text, distance);
            }
        }
        Rule::Deductions { severities } => {
            let Some(Value::Counts(counts)) = current else {
                if current.is_none() {
                    let value = Value::Counts(BTreeMap::new());
                    if let Some(p) = eval(&value) {
                        push(
                            p,
                            1,
                            value,
                            both(|l| match l {
                                Lang::Vi => "không để xảy ra vi phạm".into(),
                                Lang::En => "no incidents".into(),
                            }),
                            None,
                        );
                    }
                }
                return out;
            };
            let mut occ: Vec<(Decimal, String, Text)> = Vec::new();
            for (k, c) in counts {
                let Some(s) = severities.iter().find(|s| &s.key == k) else {
                    continue;
                };
                let Ok(d) = s.points(max) else { continue };
                let n = c.trunc().to_string().parse::<u32>().unwrap_or(0).min(1000);
                for _ in 0..n {
                    occ.push((d, k.clone(), s.label.clone()));
                }
            }
            occ.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            let mut left = counts.clone();
            let mut removed: Vec<(String, Text)> = Vec::new();
            for (k, (_, key, label)) in occ.iter().enumerate() {
                if let Some(c) = left.get_mut(key) {
                    *c -= Decimal::ONE;
                }
                removed.push((key.clone(), label.clone()));
                let value = Value::Counts(left.clone());
                let Some(p) = eval(&value) else { continue };
                let mut tally: Vec<(Text, u32)> = Vec::new();
                for (_, lab) in &removed {
                    match tally.iter_mut().find(|(t, _)| t == lab) {
                        Some((_, n)) => *n += 1,
                        None => tally.push((lab.clone(), 1)),
                    }
                }
                let text = both(|l| {
                    let items = tally
                        .iter()
                        .map(|(t, n)| format!("{n} × \"{}\"", t.get(l)))
                        .collect::<Vec<_>>()
                        .join("; ");
                    match l {
                        Lang::Vi => format!("khắc phục để không bị trừ điểm: bớt {items}"),
                        Lang::En => format!("remedy so as not to lose points: {items} fewer"),
                    }
                });
                push(p, k as u32 + 1, value, text, None);
            }
        }
        Rule::Discretionary { step } => {
            let Some(m) = max else { return out };
            let s = step.filter(|s| *s > Decimal::ZERO).unwrap_or(m);
            if s.is_zero() {
                return out;
            }
            let mut k = 0u32;
            let mut p = now;
            while p < m && k < 10_000 {
                let Some(next) = p
                    .checked_div(s)
                    .and_then(|q| q.floor().checked_add(Decimal::ONE))
                    .and_then(|q| q.checked_mul(s))
                else {
                    break;
                };
                p = next.min(m);
                k += 1;
                let value = Value::Points(p);
                if eval(&value).is_none() {
                    continue;
                }
                let text = both(|l| match l {
                    Lang::Vi => format!(
                        "được Hội đồng chấm {} (hiện {})",
                        pts_text(p, l),
                        num(now, l)
                    ),
                    Lang::En => format!(
                        "be awarded {} by the appraiser (now {})",
                        pts_text(p, l),
                        num(now, l)
                    ),
                });
                push(p, k, value, text, None);
            }
        }
        Rule::Survey { .. } | Rule::Score { .. } => {}
    }
    out
}

/// Options ordered by points: every better-paid one, one step per option climbed.
fn ladder(
    list: &[(String, Decimal, Text)],
    current: Option<&Value>,
    now: Decimal,
    push: &mut impl FnMut(Decimal, u32, Value, Text, Option<Text>),
) {
    let cur_label = match current {
        Some(Value::Option(k)) => list
            .iter()
            .find(|(key, _, _)| key == k)
            .map(|x| x.2.clone()),
        _ => None,
    };
    let mut k = 0u32;
    let mut last = now;
    for (key, p, label) in list {
        if *p <= now {
            continue;
        }
        if *p > last {
            k += 1;
            last = *p;
        }
        let text = both(|l| match (&cur_label, l) {
            (Some(c), Lang::Vi) => format!("chuyển từ \"{}\" lên \"{}\"", c.get(l), label.get(l)),
            (Some(c), Lang::En) => format!("move from \"{}\" up to \"{}\"", c.get(l), label.get(l)),
            (None, Lang::Vi) => format!("đạt \"{}\"", label.get(l)),
            (None, Lang::En) => format!("reach \"{}\"", label.get(l)),
        });
        push(*p, k, Value::Option(key.clone()), text, None);
    }
}

fn distance_text(from: Option<&Value>, to: &Value) -> Option<Text> {
    match (from, to) {
        (
            Some(Value::Ratio {
                numerator: a,
                denominator: d,
            }),
            Value::Ratio { numerator: b, .. },
        ) if !d.is_zero() => {
            let dp = (b - a) * Decimal::ONE_HUNDRED / d;
            Some(both(|l| match l {
                Lang::Vi => format!(
                    "+{} điểm phần trăm (+{} trên {})",
                    num(dp, l),
                    num(b - a, l),
                    num(*d, l)
                ),
                Lang::En => format!(
                    "+{} percentage points (+{} of {})",
                    num(dp, l),
                    num(b - a, l),
                    num(*d, l)
                ),
            }))
        }
        (Some(v), w) => {
            let (a, _) = share(v)?;
            let (b, _) = share(w)?;
            let d = b - a;
            let unit_pct = matches!(v, Value::Percent(_)) || matches!(w, Value::Percent(_));
            Some(both(|l| {
                let sign = if d >= Decimal::ZERO { "+" } else { "" };
                match (unit_pct, l) {
                    (true, Lang::Vi) => format!("{sign}{} điểm phần trăm", num(d, l)),
                    (true, Lang::En) => format!("{sign}{} percentage points", num(d, l)),
                    (false, _) => format!("{sign}{}", num(d, l)),
                }
            }))
        }
        _ => None,
    }
}

/// One leaf's improvements, costed, with their gain on the total.
#[derive(Debug, Clone)]
struct Group {
    leaf: usize,
    options: Vec<Opt>,
}

#[derive(Debug, Clone)]
struct Opt {
    cand: Cand,
    cost: Decimal,
    gain: Decimal,
}

/// Everything the planner knows about one unit.
struct Context<'a> {
    index: &'a Index,
    a: &'a Assessment,
    result: ScoreResult,
    cells: Vec<Cell>,
    criteria: Decimal,
    adj_net: Decimal,
    groups: Vec<Group>,
    layers: BTreeMap<usize, (Layer, Option<Value>)>,
}

fn standing(r: &ScoreResult, rank: Option<u32>) -> Standing {
    Standing {
        total: r.total.achieved.map(|d| d.normalize()),
        applicable_max: r.total.applicable_max.map(|d| d.normalize()),
        percent: r.total.percent.map(|d| d.normalize()),
        band: r.total.band.as_ref().map(|b| b.code.clone()),
        rank,
    }
}

fn context<'a>(
    index: &'a Index,
    a: &'a Assessment,
    view: View,
    costs: &Costs,
) -> Result<Context<'a>, Diagnostics> {
    let d = costs.check(index);
    if d.has_errors() {
        return Err(d);
    }
    let result = index.score(a, view)?;
    let Some(criteria) = result.total.criteria_points else {
        return Err(Diagnostics(vec![Diagnostic::error(
            "$",
            None,
            Problem::TotalMissing,
        )]));
    };
    let adj_net = result
        .adjustments
        .iter()
        .map(|x| match x.kind {
            crate::index::AdjustmentKind::Bonus => x.points,
            crate::index::AdjustmentKind::Penalty => -x.points,
        })
        .sum::<Decimal>();
    let nodes = index.nodes();
    let mut cells = vec![Cell::Missing; nodes.len()];
    for (i, nr) in result.nodes.iter().enumerate() {
        cells[i + 1] = match (&nr.status, nr.achieved) {
            (Status::NotApplicable, _) => Cell::NotApplicable,
            (_, Some(x)) => Cell::Value {
                achieved: x,
                max: nr.applicable_max,
            },
            (_, None) => Cell::Missing,
        };
    }
    index.aggregate(&mut cells);
    let started = crate::engine::appraisal_started(a);
    let step_pct = costs.proportional_step_percent.unwrap_or(Decimal::TEN);
    let mut groups = Vec::new();
    let mut layers = BTreeMap::new();
    let mut gains = Gains::new(index, &cells);
    let fixed: HashSet<&str> = costs.fixed.iter().map(String::as_str).collect();
    let mut evidence_of = EvidenceText::default();
    let base_root = cells[0].achieved().unwrap_or(Decimal::ZERO);
    for leaf in index.leaves() {
        let node = &nodes[leaf];
        let nr = &result.nodes[leaf - 1];
        let Cell::Value { achieved: now, max } = cells[leaf] else {
            continue;
        };
        if fixed.contains(node.code.as_str()) {
            continue;
        }
        let Some(rule) = &node.rule else { continue };
        let entry = a.entries.get(&node.code);
        let picked = entry.and_then(|e| crate::engine::pick_layer(e, node.channel, view, started));
        let layer = picked.map(|(l, _)| l).unwrap_or(match node.channel {
            Channel::Appraised => Layer::SelfAssessment,
            Channel::Survey => Layer::Survey,
        });
        let current = picked.map(|(_, le)| le.value.clone());
        let not_credited = matches!(nr.status, Status::EvidenceMissing { .. });
        let raw = match current.as_ref().map(|v| rule.evaluate(node.max, v)) {
            Some(Ok(Outcome::Scored { points, .. })) => index.round_leaf(points),
            _ => now,
        };
        let evidence = not_credited && raw > now;
        let round = |p: Decimal| index.round_leaf(p);
        let mut cands = candidates(rule, node.max, current.as_ref(), raw, step_pct, &round);
        if evidence {
            for c in &mut cands {
                c.steps += 1;
                c.evidence = true;
                c.text = both(|l| match l {
                    Lang::Vi => format!("bổ sung tài liệu kiểm chứng và {}", c.text.get(l)),
                    Lang::En => format!("attach the evidence and {}", c.text.get(l)),
                });
            }
            if let Some(v) = current.clone() {
                cands.insert(
                    0,
                    Cand {
                        points: raw,
                        steps: 1,
                        value: v,
                        evidence: true,
                        text: {
                            let ev = evidence_of.get(index, leaf);
                            Text::new(
                                format!("bổ sung tài liệu kiểm chứng ({})", ev.vi),
                                format!("attach the evidence ({})", ev.en),
                            )
                        },
                        distance: None,
                    },
                );
            }
        }
        cands.retain(|c| c.points > now);
        if cands.is_empty() {
            layers.insert(leaf, (layer, current));
            continue;
        }
        let unit = costs.unit_cost(&node.code);
        let mut options = Vec::new();
        for c in cands {
            let root = gains.root_with(
                leaf,
                Cell::Value {
                    achieved: c.points,
                    max,
                },
            );
            let gain = root
                .achieved()
                .unwrap_or(base_root)
                .checked_sub(base_root)
                .ok_or_else(|| overflow("$", "gain on the total / điểm tăng của tổng"))?;
            let cost = unit.checked_mul(Decimal::from(c.steps)).ok_or_else(|| {
                overflow(
                    &costs.path_of(&node.code),
                    "cost of the steps / chi phí các bước",
                )
                .in_file(COSTS_FILE)
            })?;
            options.push(Opt {
                cost,
                gain,
                cand: c,
            });
        }
        // Keep only options that are not dominated (cheaper-or-equal and at least as good).
        options.sort_by(|x, y| x.cost.cmp(&y.cost).then(y.gain.cmp(&x.gain)));
        let mut kept: Vec<Opt> = Vec::new();
        for o in options {
            if o.gain <= Decimal::ZERO {
                continue;
            }
            if kept.iter().all(|k| o.gain > k.gain) {
                kept.push(o);
            }
        }
        if !kept.is_empty() {
            groups.push(Group {
                leaf,
                options: kept,
            });
        }
        layers.insert(leaf, (layer, current));
    }
    drop(gains);
    exact_costs(&groups)?;
    Ok(Context {
        index,
        a,
        result,
        cells,
        criteria,
        adj_net,
        groups,
        layers,
    })
}

/// The evidence each leaf asks for ("tài liệu kiểm chứng"), read from the index
/// definition once, on first use.
#[derive(Default)]
struct EvidenceText<'i> {
    by_code: Option<HashMap<&'i str, &'i crate::node::Node>>,
}

/// Evidence titles in Vietnamese and English.
struct Evidence {
    vi: String,
    en: String,
}

impl<'i> EvidenceText<'i> {
    fn get(&mut self, index: &'i Index, leaf: usize) -> Evidence {
        let by_code = self.by_code.get_or_insert_with(|| {
            let mut map = HashMap::new();
            let mut stack: Vec<&crate::node::Node> = index.definition().nodes.iter().collect();
            while let Some(n) = stack.pop() {
                map.entry(n.code.as_str()).or_insert(n);
                stack.extend(n.children.iter());
            }
            map
        });
        let code = index.nodes()[leaf].code.as_str();
        let titles = |l: Lang| {
            by_code
                .get(code)
                .map(|n| {
                    n.evidence
                        .iter()
                        .map(|e| e.get(l).to_owned())
                        .collect::<Vec<_>>()
                        .join("; ")
                })
                .unwrap_or_default()
        };
        Evidence {
            vi: titles(Lang::Vi),
            en: titles(Lang::En),
        }
    }
}

/// The total (after bonus/penalty) the target needs, and whether strictly above.
fn required(
    index: &Index,
    r: &ScoreResult,
    target: &Target,
    others: Option<&Rivals>,
) -> Result<(Decimal, bool), Diagnostics> {
    let err = |p: Problem| Diagnostics(vec![Diagnostic::error("$", None, p)]);
    let max = || {
        r.total
            .applicable_max
            .filter(|m| !m.is_zero())
            .ok_or_else(|| err(Problem::MaxRequired))
    };
    match target {
        Target::Points { value } => Ok((*value, false)),
        Target::Percent { value } => Ok((percent_points(*value, max()?)?, false)),
        Target::Band { code } => {
            let bands = &index.definition().bands;
            let Some(b) = bands.iter().find(|b| &b.code == code) else {
                return Err(err(Problem::UnknownBand {
                    band: code.clone(),
                    allowed: bands.iter().map(|b| b.code.clone()).collect(),
                }));
            };
            match b.range.from {
                None => Ok((Decimal::ZERO, false)),
                Some(f) => Ok((percent_points(f.value, max()?)?, !f.inclusive)),
            }
        }
        Target::Rank { rank } => {
            let Some(rivals) = others else {
                return Err(err(Problem::Empty {
                    what: "units / danh sách đơn vị".into(),
                }));
            };
            rank_requirement(index, r, *rank, rivals)
        }
    }
}

/// The file of problems of the costs (the caller names the costs file).
pub const COSTS_FILE: &str = "(costs)";

/// Every plan's total cost must be exact: the dearest option of every leaf, added at
/// the finest scale of the costs, must fit a `Decimal` (96-bit mantissa). Costs of very
/// different magnitudes (999999999999999 beside 0.000000000000001) would need more than
/// 28 significant digits: an [`Problem::Overflow`] in the costs file, not a rounded sum.
fn exact_costs(groups: &[Group]) -> Result<(), Diagnostics> {
    let scale = groups
        .iter()
        .flat_map(|g| g.options.iter())
        .map(|o| o.cost.normalize().scale())
        .max()
        .unwrap_or(0);
    let mut total: i128 = 0;
    for g in groups {
        let top = g.options.iter().map(|o| o.cost).max().unwrap_or_default();
        let n = top.normalize();
        let m = 10i128
            .checked_pow(scale - n.scale())
            .and_then(|f| n.mantissa().checked_mul(f))
            .and_then(|m| total.checked_add(m));
        match m {
            Some(t) if t < 1i128 << 96 => total = t,
            _ => {
                return Err(overflow(
                    "$",
                    "total cost of a plan: the costs need more than 28 significant digits together / tổng chi phí của một kế hoạch: các chi phí cộng lại cần hơn 28 chữ số có nghĩa",
                )
                .in_file(COSTS_FILE))
            }
        }
    }
    Ok(())
}

/// The location of a problem of the target itself (not of the assessment).
pub const TARGET_PATH: &str = "target";

/// `percent` % of `max` (the target's total), or an overflow error on the target.
fn percent_points(percent: Decimal, max: Decimal) -> Result<Decimal, Diagnostics> {
    percent
        .checked_mul(max)
        .and_then(|x| x.checked_div(Decimal::ONE_HUNDRED))
        .ok_or_else(|| overflow(TARGET_PATH, "target's total / tổng điểm của mục tiêu"))
}

/// What rank `rank` within the batch needs: the total to reach and whether it must be
/// exceeded, under the index's tie policy (see the module docs).
///
/// The other units of the unit's block are ordered as the batch ranks them: by total,
/// or by percent of the applicable maximum when the maxima in the block differ
/// ([`crate::ranking::rank_on_scales`]), highest first, equal values in input order.
/// Let `o` be the `rank`-th of them (none: any total will do):
/// - competition (shared ranks): reaching `o`'s value is enough (the tie shares `o`'s rank);
/// - dense: the `rank`-th distinct value, reached;
/// - ordinal (consecutive ranks, equal values in input order): reaching `o`'s value is
///   enough only if the unit comes before `o` in the batch; otherwise it must exceed
///   it. The unit's place is its position in `units` (by name, in its block); a unit not
///   in the batch counts as coming last.
///
/// On percent, the value is turned back into the unit's own points (`p × max / 100`,
/// to 28 significant digits).
fn rank_requirement(
    index: &Index,
    r: &ScoreResult,
    rank: u32,
    rivals: &Rivals,
) -> Result<(Decimal, bool), Diagnostics> {
    let own_max = r.total.applicable_max;
    let own_place = rivals.own_place.unwrap_or(usize::MAX);
    let rivals = &rivals.rivals;
    // The batch's scale: percent when the block's maxima differ (the unit's included).
    let on_percent = rivals.iter().any(|x| x.1 != own_max);
    let mut keyed: Vec<(Decimal, usize)> = rivals
        .iter()
        .filter_map(|&(t, m, place)| {
            let key = if on_percent {
                crate::ranking::percent_of(t, m)?
            } else {
                t
            };
            Some((key, place))
        })
        .collect();
    keyed.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let k = rank.max(1) as usize - 1;
    let (need, strict) = match index.definition().tie_policy {
        TiePolicy::Competition => match keyed.get(k) {
            Some(&(v, _)) => (v, false),
            None => return Ok((Decimal::ZERO, false)),
        },
        TiePolicy::Dense => {
            let mut distinct: Vec<Decimal> = keyed.iter().map(|x| x.0).collect();
            distinct.dedup();
            match distinct.get(k) {
                Some(&v) => (v, false),
                None => return Ok((Decimal::ZERO, false)),
            }
        }
        TiePolicy::Ordinal => match keyed.get(k) {
            Some(&(v, place)) => (v, place < own_place),
            None => return Ok((Decimal::ZERO, false)),
        },
    };
    if !on_percent {
        return Ok((need, strict));
    }
    let max = own_max
        .filter(|m| !m.is_zero())
        .ok_or_else(|| Diagnostics(vec![Diagnostic::error("$", None, Problem::MaxRequired)]))?;
    let points = need
        .checked_mul(max)
        .and_then(|x| x.checked_div(Decimal::ONE_HUNDRED))
        .ok_or_else(|| Diagnostics(vec![Diagnostic::error("$", None, Problem::MaxRequired)]))?;
    Ok((points.normalize(), strict))
}

fn meets(total: Decimal, need: Decimal, strict: bool) -> bool {
    if strict {
        total > need
    } else {
        total >= need
    }
}

/// Applies the chosen improvements to a copy of the assessment.
fn apply(ctx: &Context, chosen: &[(usize, &Opt)]) -> Assessment {
    let mut a = ctx.a.clone();
    for (leaf, o) in chosen {
        let code = ctx.index.nodes()[*leaf].code.clone();
        let (layer, _) = ctx
            .layers
            .get(leaf)
            .cloned()
            .unwrap_or((Layer::SelfAssessment, None));
        let e = a.entries.entry(code).or_default();
        let slot = match layer {
            Layer::SelfAssessment => &mut e.self_assessment,
            Layer::Appraisal1 => &mut e.appraisal_1,
            Layer::Appraisal2 => &mut e.appraisal_2,
            Layer::Survey => &mut e.survey,
        };
        let le = slot.get_or_insert_with(|| LayerEntry::new(o.cand.value.clone()));
        le.value = o.cand.value.clone();
        if o.cand.evidence && le.evidence.is_empty() {
            le.evidence.push(EvidenceRef {
                title: "(kế hoạch) tài liệu kiểm chứng cần bổ sung / evidence to attach".into(),
                number: None,
                link: None,
            });
        }
    }
    a
}

fn step_of(ctx: &Context, leaf: usize, o: &Opt) -> PlanStep {
    let node = &ctx.index.nodes()[leaf];
    let from = ctx.cells[leaf].achieved().unwrap_or_default();
    let gain = o.gain;
    let leaf_gain = o.cand.points - from;
    let text = both(|l| {
        let extra = if gain.normalize() == leaf_gain.normalize() {
            String::new()
        } else {
            match l {
                Lang::Vi => format!("; tổng +{}", num(gain, l)),
                Lang::En => format!("; total +{}", num(gain, l)),
            }
        };
        format!(
            "{} {}: {} (+{}{extra})",
            node.code,
            node.title.get(l),
            o.cand.text.get(l),
            pts_text(leaf_gain, l)
        )
    });
    PlanStep {
        code: node.code.clone(),
        title: node.title.clone(),
        steps: o.cand.steps,
        cost: o.cost.normalize(),
        from_points: from.normalize(),
        to_points: o.cand.points.normalize(),
        total_gain: gain.normalize(),
        from_value: ctx.layers.get(&leaf).and_then(|(_, v)| v.clone()),
        to_value: o.cand.value.clone(),
        attach_evidence: o.cand.evidence,
        action: both(|l| format!("{} (+{})", o.cand.text.get(l), pts_text(leaf_gain, l))),
        text,
        distance: o.cand.distance.clone(),
    }
}

/// Finds the least-cost plan reaching `target` for assessment `a`.
///
/// `units` is the batch for a [`Target::Rank`] (the unit itself, by name, is skipped in
/// it); other targets ignore it.
///
/// ```
/// use chiso::planner::{plan, Costs, Target};
/// let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/criteria/examples/");
/// let index = chiso::Index::from_file(format!("{dir}department-example.json").as_ref()).unwrap();
/// let a = chiso::load::assessment(&std::fs::read_to_string(format!("{dir}department-example.assessment.json")).unwrap()).unwrap();
/// let p = plan(&index, &a, chiso::View::Final, &Target::Band { code: "A".into() }, &Costs::default(), None).unwrap();
/// assert!(p.reached);
/// assert!(p.result.percent.unwrap() >= 90.into());
/// ```
pub fn plan(
    index: &Index,
    a: &Assessment,
    view: View,
    target: &Target,
    costs: &Costs,
    units: Option<&[Assessment]>,
) -> Result<Plan, Diagnostics> {
    let rivals = match units {
        Some(units) => Some(Rivals::from_assessments(index, a, units, view)?),
        None => None,
    };
    plan_with_rivals(index, a, view, target, costs, rivals.as_ref())
}

/// [`plan`] with the batch of a rank target given as [`Rivals`] (the other units'
/// totals, gathered while the batch streams by) instead of every unit's assessment.
pub fn plan_with_rivals(
    index: &Index,
    a: &Assessment,
    view: View,
    target: &Target,
    costs: &Costs,
    rivals: Option<&Rivals>,
) -> Result<Plan, Diagnostics> {
    let ctx = context(index, a, view, costs)?;
    let (need_total, strict) = required(index, &ctx.result, target, rivals)?;
    let baseline = standing(&ctx.result, None);
    let now_total = ctx.result.total.achieved.unwrap_or_default();
    let already_met = meets(now_total, need_total, strict);
    // Gap on the criteria sum (bonus and penalty are fixed); the floor at 0 only
    // matters for targets ≤ 0, which are met already.
    let need_gain = need_total
        .checked_sub(ctx.adj_net)
        .and_then(|x| x.checked_sub(ctx.criteria))
        .ok_or_else(|| overflow(TARGET_PATH, "points still needed / số điểm còn thiếu"))?;
    let (chosen, method, reached) = if already_met {
        (vec![None; ctx.groups.len()], Method::Trivial, true)
    } else {
        match solve(&ctx.groups, need_gain, strict) {
            Some((c, m)) => (c, m, true),
            None => {
                let best = ctx
                    .groups
                    .iter()
                    .map(|g| {
                        g.options
                            .iter()
                            .enumerate()
                            .max_by(|x, y| x.1.gain.cmp(&y.1.gain).then(y.1.cost.cmp(&x.1.cost)))
                            .map(|(j, _)| j)
                    })
                    .collect();
                (best, Method::Trivial, false)
            }
        }
    };
    let picked: Vec<(usize, &Opt)> = ctx
        .groups
        .iter()
        .zip(&chosen)
        .filter_map(|(g, c)| c.map(|j| (g.leaf, &g.options[j])))
        .collect();
    let after = apply(&ctx, &picked);
    let scored = index.score(&after, view)?;
    let result = standing(&scored, None);
    let after_total = scored.total.achieved.unwrap_or_default();
    let reached = reached && meets(after_total, need_total, strict);
    let shortfall = match reached {
        true => None,
        false => Some(
            need_total
                .checked_sub(after_total)
                .ok_or_else(|| overflow(TARGET_PATH, "points still needed / số điểm còn thiếu"))?
                .max(Decimal::ZERO)
                .normalize(),
        ),
    };
    let mut steps: Vec<PlanStep> = picked
        .iter()
        .map(|(leaf, o)| step_of(&ctx, *leaf, o))
        .collect();
    steps.sort_by_key(|s| index.position(&s.code));
    let cost = steps
        .iter()
        .try_fold(Decimal::ZERO, |a, s| a.checked_add(s.cost))
        .ok_or_else(|| overflow("$", "cost of the plan / chi phí của kế hoạch"))?
        .normalize();
    Ok(Plan {
        format: PLAN_FORMAT.into(),
        index: index.definition().id.clone(),
        unit: a.unit.name.clone(),
        view,
        target: target.clone(),
        required_total: need_total.normalize(),
        strict,
        baseline,
        already_met,
        reached,
        shortfall,
        cost,
        steps,
        result,
        method,
        outside_control: outside_control(&ctx, view, costs),
    })
}

/// The points-still-available table: every leaf with points left, largest effect on
/// the total first, with its cheapest next improvement.
pub fn headroom(
    index: &Index,
    a: &Assessment,
    view: View,
    costs: &Costs,
) -> Result<Headroom, Diagnostics> {
    let ctx = context(index, a, view, costs)?;
    let mut gains = Gains::new(index, &ctx.cells);
    let group_of: HashMap<usize, &Group> = ctx.groups.iter().map(|g| (g.leaf, g)).collect();
    let base_root = ctx.cells[0].achieved().unwrap_or_default();
    let mut rows = Vec::new();
    for leaf in index.leaves() {
        let node = &index.nodes()[leaf];
        let Cell::Value {
            achieved,
            max: Some(m),
        } = ctx.cells[leaf]
        else {
            continue;
        };
        if achieved >= m {
            continue;
        }
        let root = gains.root_with(
            leaf,
            Cell::Value {
                achieved: m,
                max: Some(m),
            },
        );
        let total_available = root
            .achieved()
            .unwrap_or(base_root)
            .checked_sub(base_root)
            .ok_or_else(|| overflow("$", "gain on the total / điểm tăng của tổng"))?;
        let group = group_of.get(&leaf).copied();
        let next = group.and_then(|g| {
            g.options
                .iter()
                .min_by(|x, y| x.cost.cmp(&y.cost).then(y.gain.cmp(&x.gain)))
                .map(|o| step_of(&ctx, leaf, o))
        });
        rows.push(HeadroomRow {
            code: node.code.clone(),
            title: node.title.clone(),
            points: achieved.normalize(),
            max: m,
            available: (m - achieved).normalize(),
            total_available: total_available.normalize(),
            plannable: group.is_some(),
            next,
        });
    }
    rows.sort_by(|x, y| {
        y.total_available
            .cmp(&x.total_available)
            .then_with(|| index.position(&x.code).cmp(&index.position(&y.code)))
    });
    Ok(Headroom {
        format: HEADROOM_FORMAT.into(),
        index: index.definition().id.clone(),
        unit: a.unit.name.clone(),
        baseline: standing(&ctx.result, None),
        rows,
        outside_control: outside_control(&ctx, view, costs),
    })
}

/// JSON in, JSON out (for the WASM binding): the index text, the assessment text, the
/// target as JSON (`{"kind":"band","code":"A"}`), an optional costs text and an
/// optional batch (JSON lines of assessments, for a rank target). Returns a
/// `chiso.plan/1` document.
pub fn plan_json(
    index: &str,
    assessment: &str,
    target: &str,
    costs: Option<&str>,
    units_jsonl: Option<&str>,
) -> Result<String, Diagnostics> {
    let index = Index::from_json(index)?;
    let a = crate::load::assessment(assessment)?;
    let target: Target = crate::load::parse(target)
        .and_then(|v| crate::load::typed(v, "$", None).map_err(|d| Diagnostics(vec![*d])))?;
    let costs = match costs {
        Some(c) => Costs::parse(c)?,
        None => Costs::default(),
    };
    let units = match units_jsonl {
        Some(t) => Some(crate::scenario::units_from_text(
            &index,
            t,
            crate::batch::InputFormat::JsonLines,
            Lang::En,
        )?),
        None => None,
    };
    let p = plan(&index, &a, View::Final, &target, &costs, units.as_deref())?;
    serde_json::to_string(&p).map_err(|e| structure(e.to_string()))
}

/// JSON in, JSON out: the points-still-available table (`chiso.headroom/1`).
pub fn headroom_json(
    index: &str,
    assessment: &str,
    costs: Option<&str>,
) -> Result<String, Diagnostics> {
    let index = Index::from_json(index)?;
    let a = crate::load::assessment(assessment)?;
    let costs = match costs {
        Some(c) => Costs::parse(c)?,
        None => Costs::default(),
    };
    let h = headroom(&index, &a, View::Final, &costs)?;
    serde_json::to_string(&h).map_err(|e| structure(e.to_string()))
}

fn structure(detail: String) -> Diagnostics {
    Diagnostics(vec![Diagnostic::error(
        "$",
        None,
        Problem::Structure { detail },
    )])
}

/// Writes a decimal for people (exact, Vietnamese decimal comma).
pub fn show(d: Decimal, lang: Lang) -> String {
    plain(d, lang)
}
