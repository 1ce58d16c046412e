//! Survey-fed criteria the unit cannot act on ("ngoài tầm kiểm soát của đơn vị"): listed
//! apart from the plan with the points still available and the next survey step, never
//! counted in the plan's cost or reached total.

use super::gain::Gains;
use super::{both, pct, pts_text, Context, Costs};
use crate::engine::Cell;
use crate::node::Channel;
use crate::rule::{Outcome, Rule};
use crate::{Decimal, Lang, Text, Value, View};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// A survey-fed leaf with points still available, outside the unit's control
/// ("ngoài tầm kiểm soát của đơn vị").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct OutsideControl {
    /// Leaf code.
    pub code: String,
    /// Name of the criterion.
    pub title: Text,
    /// Points now.
    pub points: Decimal,
    /// Maximum.
    pub max: Decimal,
    /// Leaf points still available (max − points).
    pub available: Decimal,
    /// What full marks on this leaf would add to the total.
    pub total_available: Decimal,
    /// The next step in the rule's terms (`survey` rules only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<SurveyStep>,
}

/// The next step of a `survey` rule: the survey percent raised to the next grid point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SurveyStep {
    /// Survey percent now (the mean percent of the answers).
    pub from_percent: Decimal,
    /// Survey percent of the step.
    pub to_percent: Decimal,
    /// Leaf points at `to_percent`.
    pub to_points: Decimal,
    /// Leaf points gained.
    pub gain: Decimal,
    /// Gain of the total.
    pub total_gain: Decimal,
    /// The step in words.
    pub action: Text,
}

/// Survey-fed leaves (rule `survey` or channel `survey`) the planner cannot act on,
/// with points left, largest effect on the total first.
pub(super) fn outside_control(ctx: &Context, view: View, costs: &Costs) -> Vec<OutsideControl> {
    let index = ctx.index;
    let started = crate::engine::appraisal_started(ctx.a);
    let grid = costs
        .proportional_step_percent
        .filter(|g| *g > Decimal::ZERO)
        .unwrap_or(Decimal::TEN);
    let mut gains = Gains::new(index, &ctx.cells);
    let base_root = ctx.cells[0].achieved().unwrap_or_default();
    let planned: HashSet<usize> = ctx.groups.iter().map(|g| g.leaf).collect();
    let mut total_gain = |leaf: usize, to: Decimal, m: Decimal| {
        let root = gains.root_with(
            leaf,
            Cell::Value {
                achieved: to,
                max: Some(m),
            },
        );
        // Points and maxima are below 10¹⁵: the difference cannot overflow.
        root.achieved()
            .unwrap_or(base_root)
            .checked_sub(base_root)
            .unwrap_or_default()
    };
    let mut out = Vec::new();
    for leaf in index.leaves() {
        let node = &index.nodes()[leaf];
        let Some(rule) = &node.rule else { continue };
        let survey_rule = matches!(rule, Rule::Survey { .. });
        if !(survey_rule || node.channel == Channel::Survey) || planned.contains(&leaf) {
            continue;
        }
        let Cell::Value {
            achieved: now,
            max: Some(m),
        } = ctx.cells[leaf]
        else {
            continue;
        };
        if now >= m {
            continue;
        }
        let next = if survey_rule {
            survey_step(ctx, leaf, view, started, grid, now)
                .map(|(from, to, pts)| (from, to, pts, total_gain(leaf, pts, m)))
        } else {
            None
        };
        out.push(OutsideControl {
            code: node.code.clone(),
            title: node.title.clone(),
            points: now.normalize(),
            max: m,
            available: (m - now).normalize(),
            total_available: total_gain(leaf, m, m).normalize(),
            next: next.map(|(from, to, pts, tg)| {
                let gain = pts - now;
                SurveyStep {
                    from_percent: from.normalize(),
                    to_percent: to.normalize(),
                    to_points: pts.normalize(),
                    gain: gain.normalize(),
                    total_gain: tg.normalize(),
                    action: both(|l| match l {
                        Lang::Vi => format!(
                            "nâng kết quả điều tra từ {} lên {} (+{})",
                            pct(from, l),
                            pct(to, l),
                            pts_text(gain, l)
                        ),
                        Lang::En => format!(
                            "raise the survey result from {} to {} (+{})",
                            pct(from, l),
                            pct(to, l),
                            pts_text(gain, l)
                        ),
                    }),
                }
            }),
        });
    }
    out.sort_by(|x, y| {
        y.total_available
            .cmp(&x.total_available)
            .then_with(|| index.position(&x.code).cmp(&index.position(&y.code)))
    });
    out
}

/// The survey percent now, the next grid point above it and the leaf points there,
/// by the leaf's `survey` rule (none when the value is missing or cannot be read).
fn survey_step(
    ctx: &Context,
    leaf: usize,
    view: View,
    started: bool,
    grid: Decimal,
    now: Decimal,
) -> Option<(Decimal, Decimal, Decimal)> {
    let node = &ctx.index.nodes()[leaf];
    let rule = node.rule.as_ref()?;
    let m = node.max.filter(|m| !m.is_zero())?;
    let entry = ctx.a.entries.get(&node.code)?;
    let (_, le) = crate::engine::pick_layer(entry, node.channel, view, started)?;
    let Ok(Outcome::Scored { points: raw, .. }) = rule.evaluate(node.max, &le.value) else {
        return None;
    };
    let from = raw * Decimal::ONE_HUNDRED / m;
    let mut to = ((from / grid).floor() + Decimal::ONE) * grid;
    loop {
        to = to.min(Decimal::ONE_HUNDRED);
        let Ok(Outcome::Scored { points, .. }) = rule.evaluate(node.max, &Value::Percent(to))
        else {
            return None;
        };
        let p = ctx.index.round_leaf(points);
        if p > now {
            return Some((from, to, p));
        }
        if to >= Decimal::ONE_HUNDRED {
            return None;
        }
        to += grid;
    }
}
