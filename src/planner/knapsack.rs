//! The planner's solver: a multiple-choice knapsack (one option per leaf, least total cost
//! reaching a gain), exact by dynamic programming over integer-scaled costs, with a
//! branch-and-bound fallback under a node limit.

use super::{Group, Method, DP_LIMIT};
use crate::Decimal;

/// Solves the multiple-choice knapsack: least cost with Σ gain ≥ `need` (or > when
/// `strict`). Returns the chosen option per group (`None` = unchanged) and the method,
/// or `None` when unreachable.
pub(super) fn solve(
    groups: &[Group],
    need: Decimal,
    strict: bool,
) -> Option<(Vec<Option<usize>>, Method)> {
    let ok = |g: Decimal| if strict { g > need } else { g >= need };
    if ok(Decimal::ZERO) {
        return Some((vec![None; groups.len()], Method::Trivial));
    }
    let best: Decimal = groups
        .iter()
        .map(|g| g.options.iter().map(|o| o.gain).max().unwrap_or_default())
        .sum();
    if !ok(best) {
        return None;
    }
    // A feasible plan bounds the optimal cost: greedy by gain per cost.
    let bound = greedy_cost(groups, &ok);
    let scale = groups
        .iter()
        .flat_map(|g| g.options.iter())
        .map(|o| o.cost.normalize().scale())
        .max()
        .unwrap_or(0);
    let factor = Decimal::from_i128_with_scale(10i128.pow(scale.min(18)), 0);
    let to_int = |c: Decimal| -> Option<u64> {
        let x = c * factor;
        if x.fract().is_zero() {
            x.to_string().parse::<u64>().ok()
        } else {
            None
        }
    };
    let cap = bound.and_then(to_int);
    let options: u64 = groups.iter().map(|g| g.options.len() as u64).sum();
    let ints: Option<Vec<Vec<u64>>> = groups
        .iter()
        .map(|g| g.options.iter().map(|o| to_int(o.cost)).collect())
        .collect();
    if let (Some(cap), Some(ints)) = (cap, ints) {
        if scale <= 18 && (options + groups.len() as u64).saturating_mul(cap + 1) <= DP_LIMIT {
            return Some((
                dp(groups, &ints, cap as usize, &ok),
                Method::DynamicProgramming,
            ));
        }
    }
    Some((
        branch_and_bound(groups, need, strict),
        Method::BranchAndBound,
    ))
}

fn greedy_cost(groups: &[Group], ok: &dyn Fn(Decimal) -> bool) -> Option<Decimal> {
    // Repeatedly take the upgrade with the best extra gain per extra cost.
    let mut chosen: Vec<Option<usize>> = vec![None; groups.len()];
    let mut gain = Decimal::ZERO;
    let mut cost = Decimal::ZERO;
    while !ok(gain) {
        let mut best: Option<(usize, usize, Decimal, Decimal)> = None;
        for (gi, g) in groups.iter().enumerate() {
            let (c0, g0) = chosen[gi]
                .map(|j| (g.options[j].cost, g.options[j].gain))
                .unwrap_or((Decimal::ZERO, Decimal::ZERO));
            for (j, o) in g.options.iter().enumerate() {
                if o.gain <= g0 {
                    continue;
                }
                let dc = (o.cost - c0).max(Decimal::ZERO);
                let dg = o.gain - g0;
                let better = match best {
                    None => true,
                    // dg/dc > bg/bc  ⇔  dg·bc > bg·dc (costs may be 0).
                    Some((_, _, bg, bc)) => dg * bc > bg * dc,
                };
                if better {
                    best = Some((gi, j, dg, dc));
                }
            }
        }
        let (gi, j, dg, dc) = best?;
        chosen[gi] = Some(j);
        gain += dg;
        cost += dc;
    }
    Some(cost)
}

fn dp(
    groups: &[Group],
    costs: &[Vec<u64>],
    cap: usize,
    ok: &dyn Fn(Decimal) -> bool,
) -> Vec<Option<usize>> {
    // best[c] = largest gain with cost ≤ c over the groups seen so far.
    let mut best = vec![Decimal::ZERO; cap + 1];
    let mut choice: Vec<Vec<u16>> = Vec::with_capacity(groups.len());
    for (g, cs) in groups.iter().zip(costs) {
        let mut next = best.clone();
        let mut pick = vec![0u16; cap + 1];
        for (j, (o, &c)) in g.options.iter().zip(cs).enumerate() {
            let c = c as usize;
            if c > cap {
                continue;
            }
            for x in c..=cap {
                let v = best[x - c] + o.gain;
                if v > next[x] {
                    next[x] = v;
                    pick[x] = (j + 1) as u16;
                }
            }
        }
        best = next;
        choice.push(pick);
    }
    let Some(mut c) = (0..=cap).find(|&c| ok(best[c])) else {
        return vec![None; groups.len()];
    };
    let mut out = vec![None; groups.len()];
    for gi in (0..groups.len()).rev() {
        let p = choice[gi][c];
        if p > 0 {
            let j = (p - 1) as usize;
            out[gi] = Some(j);
            c -= costs[gi][j] as usize;
        }
    }
    out
}

fn branch_and_bound(groups: &[Group], need: Decimal, strict: bool) -> Vec<Option<usize>> {
    let ok = |g: Decimal| if strict { g > need } else { g >= need };
    // Suffix sums of the best gain: what the remaining groups can add at most.
    let mut rest = vec![Decimal::ZERO; groups.len() + 1];
    for i in (0..groups.len()).rev() {
        rest[i] = rest[i + 1]
            + groups[i]
                .options
                .iter()
                .map(|o| o.gain)
                .max()
                .unwrap_or_default();
    }
    struct S<'g> {
        groups: &'g [Group],
        rest: Vec<Decimal>,
        best_cost: Option<Decimal>,
        best_gain: Decimal,
        best: Vec<Option<usize>>,
        cur: Vec<Option<usize>>,
        nodes: u64,
    }
    fn go(s: &mut S, i: usize, cost: Decimal, gain: Decimal, ok: &dyn Fn(Decimal) -> bool) {
        s.nodes += 1;
        if s.nodes > 50_000_000 {
            return;
        }
        if let Some(b) = s.best_cost {
            if cost > b {
                return;
            }
        }
        if ok(gain) {
            let better = match s.best_cost {
                None => true,
                Some(b) => cost < b || (cost == b && gain > s.best_gain),
            };
            if better {
                s.best_cost = Some(cost);
                s.best_gain = gain;
                s.best = s.cur.clone();
            }
            return;
        }
        if i == s.groups.len() || !ok(gain + s.rest[i]) {
            return;
        }
        let g = &s.groups[i];
        for j in (0..g.options.len()).rev() {
            let o = &g.options[j];
            s.cur[i] = Some(j);
            go(s, i + 1, cost + o.cost, gain + o.gain, ok);
        }
        s.cur[i] = None;
        go(s, i + 1, cost, gain, ok);
    }
    let mut s = S {
        groups,
        rest,
        best_cost: None,
        best_gain: Decimal::ZERO,
        best: vec![None; groups.len()],
        cur: vec![None; groups.len()],
        nodes: 0,
    };
    go(&mut s, 0, Decimal::ZERO, Decimal::ZERO, &ok);
    s.best
}
