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
    let block = |i: usize| blocks.get(i).copied().unwrap_or(0);
    // Units with a value, by block, then value descending, then input order.
    let order = integer_order(values, &block).unwrap_or_else(|| {
        let mut order: Vec<usize> = (0..values.len()).filter(|&i| values[i].is_some()).collect();
        order.sort_by(|&a, &b| {
            block(a)
                .cmp(&block(b))
                .then_with(|| values[b].cmp(&values[a]))
        });
        order
    });
    let mut ranks = vec![None; values.len()];
    let mut i = 0;
    while i < order.len() {
        let current_block = block(order[i]);
        let (mut position, mut dense, mut current) = (0u32, 0u32, 0u32);
        let mut prev: Option<Decimal> = None;
        while i < order.len() && block(order[i]) == current_block {
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

/// The same order as the `Decimal` sort, found by sorting integer keys: every value is
/// brought to the largest scale present as an integer mantissa (ranking a million totals
/// this way is several times faster). Keys are 16 bytes when the mantissas fit `i64`,
/// else 32. `None` when a value does not fit `i128` or there are more than `u32::MAX`
/// units.
fn integer_order(values: &[Option<Decimal>], block: &dyn Fn(usize) -> u32) -> Option<Vec<usize>> {
    let scale = values
        .iter()
        .flatten()
        .map(Decimal::scale)
        .max()
        .unwrap_or(0);
    let mut keys: Vec<(u32, i128, u32)> = Vec::with_capacity(values.len());
    for (i, v) in values.iter().enumerate() {
        let Some(v) = v else { continue };
        let k = 10i128
            .checked_pow(scale - v.scale())?
            .checked_mul(v.mantissa())?;
        keys.push((block(i), -k, u32::try_from(i).ok()?));
    }
    let narrow: Option<Vec<(u32, i64, u32)>> = keys
        .iter()
        .map(|&(b, k, i)| i64::try_from(k).ok().map(|k| (b, k, i)))
        .collect();
    let order = match narrow {
        Some(mut small) => {
            small.sort_unstable();
            small.into_iter().map(|(_, _, i)| i as usize).collect()
        }
        None => {
            keys.sort_unstable();
            keys.into_iter().map(|(_, _, i)| i as usize).collect()
        }
    };
    Some(order)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The reference: a plain comparison sort on `Decimal`.
    fn by_decimal_sort(values: &[Option<Decimal>], blocks: &[u32]) -> Vec<usize> {
        let mut order: Vec<usize> = (0..values.len()).filter(|&i| values[i].is_some()).collect();
        order.sort_by(|&a, &b| {
            blocks[a]
                .cmp(&blocks[b])
                .then_with(|| values[b].cmp(&values[a]))
        });
        order
    }

    proptest! {
        #[test]
        fn integer_keys_sort_like_decimals(
            vals in proptest::collection::vec(proptest::option::weighted(0.9, (-500i64..500, 0u32..6)), 0..80),
            blocks in proptest::collection::vec(0u32..3, 80),
        ) {
            let values: Vec<Option<Decimal>> = vals.iter().map(|v| v.map(|(m, s)| Decimal::new(m, s))).collect();
            let blocks = &blocks[..values.len()];
            let fast = integer_order(&values, &|i| blocks[i]).expect("small values fit");
            prop_assert_eq!(fast, by_decimal_sort(&values, blocks));
        }
    }

    #[test]
    fn wide_keys_sort_like_decimals() {
        // Mantissas beyond i64 at the common scale use the 128-bit keys.
        let values: Vec<Option<Decimal>> = [
            "12345678901234.56789",
            "0.00001",
            "-3",
            "12345678901234.5679",
        ]
        .iter()
        .map(|s| s.parse().ok())
        .collect();
        let blocks = [0u32; 4];
        assert_eq!(
            integer_order(&values, &|_| 0),
            Some(by_decimal_sort(&values, &blocks))
        );
    }

    #[test]
    fn huge_scales_fall_back_to_the_decimal_sort() {
        let values = vec![
            Some(Decimal::MAX),
            Some(Decimal::new(1, 28)),
            None,
            Some(Decimal::MAX),
        ];
        assert!(integer_order(&values, &|_| 0).is_none());
        assert_eq!(
            rank(&values, TiePolicy::Competition),
            vec![Some(1), Some(3), None, Some(1)]
        );
    }
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
