//! Everything the planner knows about one unit: its scores, each leaf's costed, undominated
//! improvements with their gain on the total, and the layer each leaf is read from.

use super::costs::exact_costs;
use super::steps::{candidates, Cand};
use super::{both, overflow, Costs, Gains, COSTS_FILE};
use crate::assessment::{Assessment, Layer, Value};
use crate::diagnostics::{Diagnostic, Diagnostics, Problem};
use crate::engine::{Cell, Index};
use crate::node::Channel;
use crate::result::{ScoreResult, Status, View};
use crate::rule::Outcome;
use crate::scenario::Standing;
use crate::text::{Lang, Text};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap, HashSet};

/// One leaf's improvements, costed, with their gain on the total.
#[derive(Debug, Clone)]
pub(super) struct Group {
    pub(super) leaf: usize,
    pub(super) options: Vec<Opt>,
}

#[derive(Debug, Clone)]
pub(super) struct Opt {
    pub(super) cand: Cand,
    pub(super) cost: Decimal,
    pub(super) gain: Decimal,
}

/// Everything the planner knows about one unit.
pub(super) struct Context<'a> {
    pub(super) index: &'a Index,
    pub(super) a: &'a Assessment,
    pub(super) result: ScoreResult,
    pub(super) cells: Vec<Cell>,
    pub(super) criteria: Decimal,
    pub(super) adj_net: Decimal,
    pub(super) groups: Vec<Group>,
    pub(super) layers: BTreeMap<usize, (Layer, Option<Value>)>,
}

pub(super) fn standing(r: &ScoreResult, rank: Option<u32>) -> Standing {
    Standing {
        total: r.total.achieved.map(|d| d.normalize()),
        applicable_max: r.total.applicable_max.map(|d| d.normalize()),
        percent: r.total.percent.map(|d| d.normalize()),
        band: r.total.band.as_ref().map(|b| b.code.clone()),
        rank,
    }
}

pub(super) fn context<'a>(
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
        .map(|x| x.kind.signed(x.points))
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
