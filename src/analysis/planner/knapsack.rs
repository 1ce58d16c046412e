//! The planner's solver: a multiple-choice knapsack (one option per leaf, least total cost
//! reaching a gain), exact by dynamic programming over integer-scaled costs, with a
//! branch-and-bound fallback under a node limit.

use crate::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

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

/// One option of a group: what it costs and what it gains (> 0).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Item {
    /// Cost (≥ 0).
    pub(super) cost: Decimal,
    /// Gain.
    pub(super) gain: Decimal,
}

/// Options of which at most one is chosen (one leaf's improvements, in the planner).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Group {
    /// The options.
    pub(super) options: Vec<Item>,
}

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
    // Gains are points of an index whose numbers are below 10¹⁵: their sum fits.
    let best = groups
        .iter()
        .map(|g| g.options.iter().map(|o| o.gain).max().unwrap_or_default())
        .try_fold(Decimal::ZERO, |a, b| a.checked_add(b))?;
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
        let x = c.checked_mul(factor)?;
        if x.fract().is_zero() {
            // `Decimal` keeps the scale of the product (0.1 × 10 = "1.0"): read the value.
            rust_decimal::prelude::ToPrimitive::to_u64(&x)
        } else {
            None
        }
    };
    let ints: Option<Vec<Vec<u64>>> = groups
        .iter()
        .map(|g| g.options.iter().map(|o| to_int(o.cost)).collect())
        .collect();
    // Costs in units of their greatest common divisor: the same plans, a smaller table
    // (steps of 1,000,000 cost 1 each).
    let unit = ints
        .iter()
        .flatten()
        .flatten()
        .fold(0u64, |g, &c| gcd(g, c))
        .max(1);
    let cap = bound.and_then(to_int).map(|c| c / unit);
    let options: u64 = groups.iter().map(|g| g.options.len() as u64).sum();
    let few = groups
        .iter()
        .all(|g| g.options.len() < usize::from(u16::MAX));
    // Integer gains add ~5× faster than `Decimal`s: a larger table in the same time.
    let limit = if integer_gains(groups).is_some() {
        DP_LIMIT
    } else {
        DP_LIMIT / 5
    };
    if let (Some(cap), Some(ints)) = (cap, ints) {
        if scale <= 18
            && few
            && cap < DP_LEVELS
            && (options + groups.len() as u64).saturating_mul(cap + 1) <= limit
        {
            let ints: Vec<Vec<u64>> = ints
                .into_iter()
                .map(|g| g.into_iter().map(|c| c / unit).collect())
                .collect();
            return Some((
                dp(groups, &ints, cap as usize, &ok),
                Method::DynamicProgramming,
            ));
        }
    }
    let (chosen, complete) = branch_and_bound(groups, need, strict);
    let method = if complete {
        Method::BranchAndBound
    } else {
        Method::BranchAndBoundStopped
    };
    Some((chosen, method))
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// Whether `a_gain / a_cost` is larger than `b_gain / b_cost` (costs ≥ 0, gains > 0; a
/// zero cost is an infinite ratio). Exact by cross-multiplication when the products
/// fit, else by the quotients (this only orders the greedy bound's choices).
fn better_ratio(a_gain: Decimal, a_cost: Decimal, b_gain: Decimal, b_cost: Decimal) -> bool {
    match (a_gain.checked_mul(b_cost), b_gain.checked_mul(a_cost)) {
        (Some(x), Some(y)) => x > y,
        _ => {
            let q = |g: Decimal, c: Decimal| {
                if c.is_zero() {
                    None // infinite
                } else {
                    Some(g.checked_div(c).unwrap_or(Decimal::MAX))
                }
            };
            match (q(a_gain, a_cost), q(b_gain, b_cost)) {
                (None, Some(_)) => true,
                (None, None) | (Some(_), None) => false,
                (Some(x), Some(y)) => x > y,
            }
        }
    }
}

/// The best upgrade of one group from its current choice: the option with the largest
/// extra gain per extra cost (the first among equals), with that extra gain and cost.
fn best_upgrade(g: &Group, chosen: Option<usize>) -> Option<(usize, Decimal, Decimal)> {
    let (c0, g0) = chosen
        .map(|j| (g.options[j].cost, g.options[j].gain))
        .unwrap_or((Decimal::ZERO, Decimal::ZERO));
    let mut best: Option<(usize, Decimal, Decimal)> = None;
    for (j, o) in g.options.iter().enumerate() {
        if o.gain <= g0 {
            continue;
        }
        let dc = o.cost.checked_sub(c0)?.max(Decimal::ZERO);
        let dg = o.gain.checked_sub(g0)?;
        let better = match best {
            None => true,
            Some((_, bg, bc)) => better_ratio(dg, dc, bg, bc),
        };
        if better {
            best = Some((j, dg, dc));
        }
    }
    best
}

/// A group's best upgrade, ordered for the heap: larger ratio first, then the earlier
/// group (the order a scan of every group in turn would pick).
struct Upgrade {
    group: usize,
    option: usize,
    gain: Decimal,
    cost: Decimal,
    /// The group's choice count when this upgrade was computed (stale when it moved on).
    version: u32,
}

impl PartialEq for Upgrade {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == std::cmp::Ordering::Equal
    }
}
impl Eq for Upgrade {}
impl PartialOrd for Upgrade {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Upgrade {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        use std::cmp::Ordering;
        if better_ratio(self.gain, self.cost, other.gain, other.cost) {
            Ordering::Greater
        } else if better_ratio(other.gain, other.cost, self.gain, self.cost) {
            Ordering::Less
        } else {
            other.group.cmp(&self.group)
        }
    }
}

/// The cost of a feasible plan (an upper bound of the optimal cost): repeatedly take the
/// upgrade with the best extra gain per extra cost, over all groups — each group's best
/// upgrade kept in a heap, so each step costs a logarithm, not a scan of every group.
fn greedy_cost(groups: &[Group], ok: &dyn Fn(Decimal) -> bool) -> Option<Decimal> {
    let mut chosen: Vec<Option<usize>> = vec![None; groups.len()];
    let mut version = vec![0u32; groups.len()];
    let mut heap = std::collections::BinaryHeap::new();
    for (gi, g) in groups.iter().enumerate() {
        if let Some((j, dg, dc)) = best_upgrade(g, None) {
            heap.push(Upgrade {
                group: gi,
                option: j,
                gain: dg,
                cost: dc,
                version: 0,
            });
        }
    }
    let mut gain = Decimal::ZERO;
    let mut cost = Decimal::ZERO;
    while !ok(gain) {
        let u = heap.pop()?;
        if u.version != version[u.group] {
            continue;
        }
        chosen[u.group] = Some(u.option);
        version[u.group] += 1;
        gain = gain.checked_add(u.gain)?;
        cost = cost.checked_add(u.cost)?;
        if let Some((j, dg, dc)) = best_upgrade(&groups[u.group], Some(u.option)) {
            heap.push(Upgrade {
                group: u.group,
                option: j,
                gain: dg,
                cost: dc,
                version: version[u.group],
            });
        }
    }
    Some(cost)
}

/// The dynamic programme: `best[c]` = the largest gain with cost ≤ `c` over the groups
/// seen so far; the plan is the least `c` whose gain reaches the target, traced back.
///
/// Gains are added as integers at their common scale when they fit (the same exact
/// values as `Decimal`s, many times faster), else as `Decimal`s. The table of choices is
/// not kept whole: the rows at every `seg`-th group are, and each segment's choices are
/// recomputed from its row while tracing back — the same choices, in memory
/// O((groups / seg + seg) × cost levels) instead of O(groups × cost levels).
fn dp(
    groups: &[Group],
    costs: &[Vec<u64>],
    cap: usize,
    ok: &dyn Fn(Decimal) -> bool,
) -> Vec<Option<usize>> {
    let costs: Vec<Vec<usize>> = costs
        .iter()
        .map(|g| {
            g.iter()
                .map(|&c| usize::try_from(c).unwrap_or(usize::MAX))
                .collect()
        })
        .collect();
    if let Some((gains, scale)) = integer_gains(groups) {
        let ok = |g: i128| Decimal::try_from_i128_with_scale(g, scale).is_ok_and(ok);
        return dp_table(&gains, &costs, cap, &ok);
    }
    let gains: Vec<Vec<Decimal>> = groups
        .iter()
        .map(|g| g.options.iter().map(|o| o.gain).collect())
        .collect();
    dp_table(&gains, &costs, cap, ok)
}

/// Every gain as an integer at the largest scale among them, when every sum of gains
/// fits a `Decimal` at that scale (so the integers add exactly as the `Decimal`s do).
fn integer_gains(groups: &[Group]) -> Option<(Vec<Vec<i128>>, u32)> {
    let scale = groups
        .iter()
        .flat_map(|g| g.options.iter())
        .map(|o| o.gain.scale())
        .max()
        .unwrap_or(0);
    let mut total: i128 = 0;
    let mut out = Vec::with_capacity(groups.len());
    for g in groups {
        let mut row = Vec::with_capacity(g.options.len());
        let mut top: i128 = 0;
        for o in &g.options {
            let m = o
                .gain
                .mantissa()
                .checked_mul(10i128.checked_pow(scale - o.gain.scale())?)?;
            if m < 0 {
                return None;
            }
            top = top.max(m);
            row.push(m);
        }
        total = total.checked_add(top)?;
        out.push(row);
    }
    (total < 1i128 << 96).then_some((out, scale))
}

/// The table over `gains` (per group, per option) and integer `costs`, up to cost `cap`.
fn dp_table<T>(
    gains: &[Vec<T>],
    costs: &[Vec<usize>],
    cap: usize,
    ok: &dyn Fn(T) -> bool,
) -> Vec<Option<usize>>
where
    T: Copy + PartialOrd + std::ops::Add<Output = T> + Default,
{
    // Rows kept every `seg` groups; a segment's choices (2 bytes a cell) recomputed.
    let n = gains.len();
    let seg = ((8.0 * n as f64).sqrt() as usize).clamp(1, n.max(1));
    dp_segments(gains, costs, cap, ok, seg)
}

/// [`dp_table`] with rows kept every `seg` groups.
fn dp_segments<T>(
    gains: &[Vec<T>],
    costs: &[Vec<usize>],
    cap: usize,
    ok: &dyn Fn(T) -> bool,
    seg: usize,
) -> Vec<Option<usize>>
where
    T: Copy + PartialOrd + std::ops::Add<Output = T> + Default,
{
    let n = gains.len();
    let seg = seg.max(1);
    let step = |row: &[T], next: &mut Vec<T>, pick: Option<&mut Vec<u16>>, gi: usize| {
        next.clear();
        next.extend_from_slice(row);
        let mut pick = pick;
        if let Some(p) = pick.as_deref_mut() {
            p.clear();
            p.resize(cap + 1, 0);
        }
        for (j, (&gain, &c)) in gains[gi].iter().zip(&costs[gi]).enumerate() {
            if c > cap {
                continue;
            }
            for x in c..=cap {
                let v = row[x - c] + gain;
                if v > next[x] {
                    next[x] = v;
                    if let Some(p) = pick.as_deref_mut() {
                        p[x] = (j + 1) as u16;
                    }
                }
            }
        }
    };
    let mut best = vec![T::default(); cap + 1];
    let mut next = Vec::with_capacity(cap + 1);
    let mut rows: Vec<Vec<T>> = Vec::new();
    for gi in 0..n {
        if gi % seg == 0 {
            rows.push(best.clone());
        }
        step(&best, &mut next, None, gi);
        std::mem::swap(&mut best, &mut next);
    }
    let Some(mut c) = (0..=cap).find(|&c| ok(best[c])) else {
        return vec![None; n];
    };
    let mut out = vec![None; n];
    let mut picks: Vec<Vec<u16>> = Vec::new();
    for (k, row) in rows.into_iter().enumerate().rev() {
        let start = k * seg;
        let end = (start + seg).min(n);
        picks.resize_with(end - start, Vec::new);
        let mut cur = row;
        for gi in start..end {
            let mut pick = std::mem::take(&mut picks[gi - start]);
            step(&cur, &mut next, Some(&mut pick), gi);
            picks[gi - start] = pick;
            std::mem::swap(&mut cur, &mut next);
        }
        for gi in (start..end).rev() {
            let p = picks[gi - start][c];
            if p > 0 {
                let j = (p - 1) as usize;
                out[gi] = Some(j);
                c -= costs[gi][j];
            }
        }
    }
    out
}

/// Most nodes the branch and bound visits before it stops with the best plan found.
pub(super) const BB_NODES: u64 = 50_000_000;

/// Depth-first branch and bound over the groups (each option, from the last, then
/// none), pruning plans dearer than the best found and branches that cannot reach the
/// target. Iterative (an explicit stack, not recursion: 20,000 groups would overflow the
/// thread's stack). Returns the choices and whether the search finished (`false`: it
/// stopped after [`BB_NODES`] nodes, and the plan is the best found, not proven optimal).
fn branch_and_bound(groups: &[Group], need: Decimal, strict: bool) -> (Vec<Option<usize>>, bool) {
    let ok = |g: Decimal| if strict { g > need } else { g >= need };
    // Suffix sums of the best gain: what the remaining groups can add at most.
    let mut rest = vec![Decimal::ZERO; groups.len() + 1];
    for i in (0..groups.len()).rev() {
        let top = groups[i]
            .options
            .iter()
            .map(|o| o.gain)
            .max()
            .unwrap_or_default();
        rest[i] = rest[i + 1].checked_add(top).unwrap_or(Decimal::MAX);
    }
    /// What a frame does next: enter, try option `k - 1` (counting down), try none, leave.
    #[derive(Clone, Copy)]
    enum Next {
        Enter,
        Option(usize),
        Leave,
    }
    struct Frame {
        i: usize,
        cost: Decimal,
        gain: Decimal,
        next: Next,
    }
    let mut best_cost: Option<Decimal> = None;
    let mut best_gain = Decimal::ZERO;
    let mut best: Vec<Option<usize>> = vec![None; groups.len()];
    let mut cur: Vec<Option<usize>> = vec![None; groups.len()];
    let mut nodes = 0u64;
    let mut stack = vec![Frame {
        i: 0,
        cost: Decimal::ZERO,
        gain: Decimal::ZERO,
        next: Next::Enter,
    }];
    while let Some(f) = stack.last_mut() {
        let (i, cost, gain) = (f.i, f.cost, f.gain);
        match f.next {
            Next::Enter => {
                nodes += 1;
                if nodes > BB_NODES {
                    return (best, false);
                }
                let dearer = best_cost.is_some_and(|b| cost > b);
                if !dearer && ok(gain) {
                    let better = match best_cost {
                        None => true,
                        Some(b) => cost < b || (cost == b && gain > best_gain),
                    };
                    if better {
                        best_cost = Some(cost);
                        best_gain = gain;
                        best.clone_from(&cur);
                    }
                }
                let hopeless =
                    i == groups.len() || !ok(gain.checked_add(rest[i]).unwrap_or(Decimal::MAX));
                if dearer || ok(gain) || hopeless {
                    stack.pop();
                } else {
                    f.next = Next::Option(groups[i].options.len());
                }
            }
            Next::Option(0) => {
                cur[i] = None;
                f.next = Next::Leave;
                stack.push(Frame {
                    i: i + 1,
                    cost,
                    gain,
                    next: Next::Enter,
                });
            }
            Next::Option(k) => {
                let j = k - 1;
                f.next = Next::Option(j);
                let o = &groups[i].options[j];
                // Costs below 10¹⁵ per step and gains of an index's points: these sums
                // fit; a sum that does not is no plan.
                if let (Some(c), Some(n)) = (cost.checked_add(o.cost), gain.checked_add(o.gain)) {
                    cur[i] = Some(j);
                    stack.push(Frame {
                        i: i + 1,
                        cost: c,
                        gain: n,
                        next: Next::Enter,
                    });
                }
            }
            Next::Leave => {
                stack.pop();
            }
        }
    }
    (best, true)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use proptest::prelude::*;

    /// Groups of (cost in tenths, gain in hundredths).
    fn groups(spec: &[Vec<(u32, u32)>]) -> Vec<Group> {
        groups_at(spec, 1)
    }

    /// Groups of (cost in units of 10^-`cost_scale`, gain in hundredths).
    fn groups_at(spec: &[Vec<(u32, u32)>], cost_scale: u32) -> Vec<Group> {
        spec.iter()
            .map(|opts| Group {
                options: opts
                    .iter()
                    .map(|&(cost, gain)| Item {
                        cost: Decimal::new(i64::from(cost), cost_scale),
                        gain: Decimal::new(i64::from(gain), 2),
                    })
                    .collect(),
            })
            .collect()
    }

    /// Least cost, then largest gain, over every choice (one option or none per group).
    fn brute(groups: &[Group], ok: &dyn Fn(Decimal) -> bool) -> Option<(Decimal, Decimal)> {
        let mut best: Option<(Decimal, Decimal)> = None;
        let mut pick = vec![0usize; groups.len()];
        loop {
            let (mut c, mut g) = (Decimal::ZERO, Decimal::ZERO);
            for (k, &p) in pick.iter().enumerate() {
                if p > 0 {
                    c += groups[k].options[p - 1].cost;
                    g += groups[k].options[p - 1].gain;
                }
            }
            if ok(g) && best.is_none_or(|(bc, bg)| c < bc || (c == bc && g > bg)) {
                best = Some((c, g));
            }
            let mut k = 0;
            loop {
                if k == pick.len() {
                    return best;
                }
                pick[k] += 1;
                if pick[k] <= groups[k].options.len() {
                    break;
                }
                pick[k] = 0;
                k += 1;
            }
        }
    }

    fn totals(groups: &[Group], chosen: &[Option<usize>]) -> (Decimal, Decimal) {
        chosen
            .iter()
            .enumerate()
            .fold((Decimal::ZERO, Decimal::ZERO), |(c, g), (k, p)| match p {
                Some(j) => (
                    c + groups[k].options[*j].cost,
                    g + groups[k].options[*j].gain,
                ),
                None => (c, g),
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        /// The dynamic programme (whole costs) gives a plan of the least cost, then the
        /// most gain, of every plan (brute force), or none when no plan reaches the need.
        #[test]
        fn dynamic_programme_is_optimal(
            spec in proptest::collection::vec(proptest::collection::vec((0u32..30, 1u32..500), 1..4), 1..7),
            need in 1u32..1500,
            strict in any::<bool>(),
        ) {
            let groups = groups_at(&spec, 0);
            let need = Decimal::new(i64::from(need), 2);
            let ok = |g: Decimal| if strict { g > need } else { g >= need };
            let expected = brute(&groups, &ok);
            match solve(&groups, need, strict) {
                None => prop_assert!(expected.is_none()),
                Some((chosen, method)) => {
                    prop_assert_eq!(method, Method::DynamicProgramming);
                    let (c, g) = totals(&groups, &chosen);
                    prop_assert!(ok(g));
                    prop_assert_eq!(Some((c, g)), expected);
                }
            }
        }

        /// The solver on costs in tenths gives a plan of the least cost of every plan.
        #[test]
        fn solve_is_optimal(
            spec in proptest::collection::vec(proptest::collection::vec((0u32..30, 1u32..500), 1..4), 1..7),
            need in 1u32..1500,
            strict in any::<bool>(),
        ) {
            let groups = groups(&spec);
            let need = Decimal::new(i64::from(need), 2);
            let ok = |g: Decimal| if strict { g > need } else { g >= need };
            let expected = brute(&groups, &ok);
            match solve(&groups, need, strict) {
                None => prop_assert!(expected.is_none()),
                Some((chosen, _)) => {
                    let (c, g) = totals(&groups, &chosen);
                    prop_assert!(ok(g));
                    prop_assert_eq!(Some(c), expected.map(|e| e.0));
                }
            }
        }

        /// The branch and bound, called directly on the same groups, gives a plan of the
        /// least cost too.
        #[test]
        fn branch_and_bound_alone_is_optimal(
            spec in proptest::collection::vec(proptest::collection::vec((0u32..30, 1u32..500), 1..4), 1..7),
            need in 1u32..1500,
            strict in any::<bool>(),
        ) {
            let groups = groups(&spec);
            let need = Decimal::new(i64::from(need), 2);
            let ok = |g: Decimal| if strict { g > need } else { g >= need };
            let expected = brute(&groups, &ok);
            prop_assume!(expected.is_some());
            let (chosen, complete) = branch_and_bound(&groups, need, strict);
            prop_assert!(complete);
            let (c, g) = totals(&groups, &chosen);
            prop_assert!(ok(g));
            prop_assert_eq!(Some(c), expected.map(|e| e.0));
        }

        /// Rows kept every few groups give the choices of the whole table.
        #[test]
        fn segments_give_the_whole_table_choices(
            spec in proptest::collection::vec(proptest::collection::vec((0u32..6, 1u32..50), 1..4), 1..12),
            cap in 0usize..40,
            need in 0i64..200,
            seg in 1usize..6,
        ) {
            let gains: Vec<Vec<i128>> = spec.iter().map(|g| g.iter().map(|&(_, x)| i128::from(x)).collect()).collect();
            let costs: Vec<Vec<usize>> = spec.iter().map(|g| g.iter().map(|&(c, _)| c as usize).collect()).collect();
            let ok = |g: i128| g >= i128::from(need);
            let whole = dp_segments(&gains, &costs, cap, &ok, spec.len());
            prop_assert_eq!(dp_segments(&gains, &costs, cap, &ok, seg), whole);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        /// Costs that do not scale to integers (a 10⁻²⁰ part) go to the branch and
        /// bound, which is optimal too.
        #[test]
        fn branch_and_bound_is_optimal(
            spec in proptest::collection::vec(proptest::collection::vec((0u32..30, 1u32..500), 1..4), 1..7),
            need in 1u32..1500,
        ) {
            let mut groups = groups(&spec);
            for g in &mut groups {
                for o in &mut g.options {
                    o.cost += Decimal::new(1, 20);
                }
            }
            let need = Decimal::new(i64::from(need), 2);
            let ok = |g: Decimal| g >= need;
            let expected = brute(&groups, &ok);
            match solve(&groups, need, false) {
                None => prop_assert!(expected.is_none()),
                Some((chosen, method)) => {
                    prop_assert_eq!(method, Method::BranchAndBound);
                    let (c, g) = totals(&groups, &chosen);
                    prop_assert!(ok(g));
                    prop_assert_eq!(Some(c), expected.map(|e| e.0));
                }
            }
        }
    }

    #[test]
    fn thirty_thousand_groups_do_not_overflow_the_stack() {
        // The branch and bound goes 30,000 groups deep (it was recursive).
        let mut g = groups(&vec![vec![(10, 1)]; 30_000]);
        for x in &mut g {
            x.options[0].cost += Decimal::new(1, 20);
        }
        let need = Decimal::new(30_000, 2);
        let (chosen, method) = std::thread::Builder::new()
            .stack_size(256 << 10)
            .spawn(move || solve(&g, need, false).unwrap())
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(method, Method::BranchAndBound);
        assert!(chosen.iter().all(Option::is_some));
    }

    #[test]
    fn costs_with_decimals_are_solved_by_the_dynamic_programme() {
        // 0.1 × 10 is the Decimal "1.0": still the integer 1 for the table.
        let g = groups(&[vec![(1, 100)], vec![(25, 200)]]); // costs 0.1, 2.5; gains 1, 2
        let (chosen, method) = solve(&g, Decimal::from(3), false).unwrap();
        assert_eq!(method, Method::DynamicProgramming);
        assert!(chosen.iter().all(Option::is_some));
        let (chosen, method) = solve(&g, Decimal::from(2), false).unwrap();
        assert_eq!(method, Method::DynamicProgramming);
        assert_eq!(chosen, vec![None, Some(0)]);
    }

    #[test]
    fn costs_in_units_of_their_divisor() {
        // Three steps of 1,000,000 each reach 0.03: cost levels 0..=3, not 3,000,001.
        let mut g = groups(&[vec![(1, 1)], vec![(1, 1)], vec![(1, 1)], vec![(1, 1)]]);
        for x in &mut g {
            x.options[0].cost = Decimal::from(1_000_000);
        }
        let (chosen, method) = solve(&g, Decimal::new(3, 2), false).unwrap();
        assert_eq!(method, Method::DynamicProgramming);
        assert_eq!(chosen.iter().flatten().count(), 3);
    }

    #[test]
    fn huge_and_tiny_costs_do_not_overflow() {
        // 999999999999999 and 1e-15: scaled to integers the product overflows a Decimal;
        // the solver falls back to branch and bound instead of panicking.
        let mut g = groups(&[vec![(1, 1)], vec![(1, 1)]]);
        g[0].options[0].cost = Decimal::from(999_999_999_999_999u64);
        g[1].options[0].cost = Decimal::new(1, 15);
        let (chosen, _) = solve(&g, Decimal::new(2, 2), false).unwrap();
        assert_eq!(chosen, [Some(0), Some(0)]);
        let (chosen, _) = solve(&g, Decimal::new(1, 2), false).unwrap();
        assert_eq!(chosen, [None, Some(0)]);
    }
}
