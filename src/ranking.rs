//! Ranking on exact values, with a declared tie policy, optionally within blocks.

use crate::band::TiePolicy;
use rust_decimal::Decimal;

/// Ranks `values` from highest to lowest. Units without a value get no rank.
///
/// ```
/// use chiso::{ranking::rank, band::TiePolicy, Decimal};
/// let v: Vec<Option<Decimal>> = ["68.11", "65.47", "65.47", "65.13"].iter().map(|s| s.parse().ok()).collect();
/// assert_eq!(rank(&v, TiePolicy::Competition), vec![Some(1), Some(2), Some(2), Some(4)]);
/// assert_eq!(rank(&v, TiePolicy::Dense), vec![Some(1), Some(2), Some(2), Some(3)]);
/// ```
pub fn rank(values: &[Option<Decimal>], policy: TiePolicy) -> Vec<Option<u32>> {
    let blocks = vec![0u32; values.len()];
    rank_in_blocks(values, &blocks, policy)
}

/// Ranks `values` separately within each block (`blocks[i]` is the block of unit `i`).
///
/// ```
/// use chiso::{ranking::rank_in_blocks, band::TiePolicy, Decimal};
/// let v: Vec<Option<Decimal>> = [Some(90.into()), Some(80.into()), Some(85.into()), None].to_vec();
/// assert_eq!(rank_in_blocks(&v, &[0, 0, 1, 1], TiePolicy::Dense), vec![Some(1), Some(2), Some(1), None]);
/// ```
pub fn rank_in_blocks(
    values: &[Option<Decimal>],
    blocks: &[u32],
    policy: TiePolicy,
) -> Vec<Option<u32>> {
    let mut order: Vec<usize> = (0..values.len()).filter(|&i| values[i].is_some()).collect();
    // Sort by block, then value descending; stable so equal values keep input order.
    order.sort_by(|&a, &b| {
        blocks[a]
            .cmp(&blocks[b])
            .then_with(|| values[b].cmp(&values[a]))
    });
    let mut ranks = vec![None; values.len()];
    let mut i = 0;
    while i < order.len() {
        let block = blocks[order[i]];
        let mut position = 0u32;
        let mut dense = 0u32;
        let mut prev: Option<Decimal> = None;
        let mut current = 0u32;
        while i < order.len() && blocks[order[i]] == block {
            position += 1;
            let v = values[order[i]];
            if v != prev {
                dense += 1;
                current = match policy {
                    TiePolicy::Competition => position,
                    TiePolicy::Dense => dense,
                };
                prev = v;
            }
            ranks[order[i]] = Some(current);
            i += 1;
        }
    }
    ranks
}

/// Unweighted mean of the values present (the national QĐ 766 figure is the mean of
/// the provinces); `None` when no value is present.
///
/// ```
/// use chiso::{ranking::mean, Decimal};
/// assert_eq!(mean(&[Some(Decimal::from(1)), None, Some(Decimal::from(2))]), Some("1.5".parse().unwrap()));
/// ```
pub fn mean(values: &[Option<Decimal>]) -> Option<Decimal> {
    let present: Vec<Decimal> = values.iter().flatten().copied().collect();
    if present.is_empty() {
        return None;
    }
    Some(present.iter().sum::<Decimal>() / Decimal::from(present.len()))
}
