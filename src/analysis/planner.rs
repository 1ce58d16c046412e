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
//!
//! # Files
//!
//! This file holds the API (targets, plans, the headroom table, [`plan`], [`headroom`]
//! and their JSON forms). Beside it: `costs.rs` (the costs file and its checks),
//! `context.rs` (a unit's scores and each leaf's costed improvements), `steps.rs` with
//! `steps/` (candidate improvements, one function per rule kind: `choice.rs`, `tiers.rs`,
//! `proportional.rs`, `deductions.rs`), `gain.rs` (an improvement's gain on the total),
//! `knapsack.rs` (the solver, self-contained), `target.rs` (the total a target needs),
//! `assemble.rs` (the plan applied and written as steps), `outside.rs` (survey-fed
//! leaves outside the unit's control), `rivals.rs` (a rank target's batch) and
//! `words.rs` (points and percents in words).

use crate::assessment::{Assessment, Value};
use crate::diagnostics::{Diagnostic, Diagnostics, Problem};
use crate::engine::{Cell, Index};
use crate::result::View;
use crate::scenario::Standing;
use crate::text::{Lang, Text};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

mod assemble;
mod context;
mod costs;
mod gain;
mod knapsack;
mod outside;
mod rivals;
mod steps;
mod target;
mod words;
use assemble::{apply, step_of};
use context::{context, standing, Context, Group, Opt};
use gain::Gains;
use outside::outside_control;
use target::{meets, required};
use words::{both, pct, pts_text};

pub use costs::Costs;
pub use knapsack::{Method, DP_LEVELS, DP_LIMIT};
pub use outside::{OutsideControl, SurveyStep};
pub use rivals::Rivals;

/// The format tag of plans.
pub const PLAN_FORMAT: &str = "chiso.plan/1";
/// The format tag of costs files.
pub const COSTS_FORMAT: &str = "chiso.costs/1";
/// The format tag of the points-still-available table.
pub const HEADROOM_FORMAT: &str = "chiso.headroom/1";

/// The file of problems of the costs (the caller names the costs file).
pub const COSTS_FILE: &str = "(costs)";

/// The location of a problem of the target itself (not of the assessment).
pub const TARGET_PATH: &str = "target";

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
        match knapsack::solve(&choices(&ctx.groups), need_gain, strict) {
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

/// The knapsack's view of the leaves' options: each option's cost and gain.
fn choices(groups: &[Group]) -> Vec<knapsack::Group> {
    groups
        .iter()
        .map(|g| knapsack::Group {
            options: g
                .options
                .iter()
                .map(|o| knapsack::Item {
                    cost: o.cost,
                    gain: o.gain,
                })
                .collect(),
        })
        .collect()
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
