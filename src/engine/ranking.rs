//! Ranking on exact values, with a declared tie policy, optionally within blocks.
//!
//! Units are ordered by block, then by value (highest first), then by input order; the
//! tie policy turns that order into ranks: competition (1, 2, 2, 4), dense (1, 2, 2, 3)
//! or ordinal (1, 2, 3, 4 — equal values ranked in input order). Units of one block
//! scored on different maxima are ranked on their percent ([`rank_on_scales`]).

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
///
/// Ordinal ranks are consecutive; equal values are ranked in input order (QĐ 766 units
/// of Gia Lai: 69.95 → 100, 101, 102):
///
/// ```
/// use chiso::{ranking::rank, band::TiePolicy, Decimal};
/// let v: Vec<Option<Decimal>> = [Some("69.95"), Some("70.9"), Some("69.950"), None, Some("69.95"), Some("58.08")]
///     .iter().map(|s| s.and_then(|s| s.parse().ok())).collect();
/// assert_eq!(rank(&v, TiePolicy::Ordinal), vec![Some(2), Some(1), Some(3), None, Some(4), Some(5)]);
/// assert_eq!(rank(&v, TiePolicy::Competition), vec![Some(2), Some(1), Some(2), None, Some(2), Some(5)]);
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
    if let Some(ranks) = packed_ranks(values, &block, policy) {
        return ranks;
    }
    // Units with a value, by block, then value descending, then input order (the sort
    // is stable, the fast path's keys end with the input position).
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
        // Position in the block, position of the first of the current equal values,
        // and the number of distinct values so far.
        let (mut position, mut first, mut dense) = (0u32, 0u32, 0u32);
        let mut prev: Option<Decimal> = None;
        while i < order.len() && block(order[i]) == current_block {
            position += 1;
            let v = values[order[i]];
            if v != prev {
                dense += 1;
                first = position;
                prev = v;
            }
            ranks[order[i]] = Some(match policy {
                TiePolicy::Competition => first,
                TiePolicy::Dense => dense,
                TiePolicy::Ordinal => position,
            });
            i += 1;
        }
    }
    ranks
}

/// 10^e for e ≤ 38, from a table.
fn pow10(e: u32) -> Option<i128> {
    const P: [i128; 39] = {
        let mut p = [1i128; 39];
        let mut i = 1;
        while i < 39 {
            p[i] = p[i - 1] * 10;
            i += 1;
        }
        p
    };
    P.get(e as usize).copied()
}

/// Bits needed to write `x` (0 for 0).
fn bits(x: u128) -> u32 {
    128 - x.leading_zeros()
}

/// [`rank_in_blocks`] on one `u64` key per unit, when block, value and position fit in
/// 64 bits together (a million totals of 6 decimals below 10⁶ need 27 + 20 bits): the
/// block in the high bits, then the value as a distance below the largest one (every
/// value brought exactly to the largest scale present, so equal keys are equal
/// values), then the input position. One integer sort gives the order of the `Decimal`
/// sort (tested), and ties are found on the keys. `None` (the general path) when the
/// keys do not fit.
fn packed_ranks(
    values: &[Option<Decimal>],
    block: &dyn Fn(usize) -> u32,
    policy: TiePolicy,
) -> Option<Vec<Option<u32>>> {
    // One pass: the largest scale, the smallest and largest mantissa at each scale and
    // the last block. Bringing a mantissa to a larger scale multiplies it by a positive
    // power of ten, which keeps the order: the range at the common scale is that of the
    // scales' extremes brought to it, and when those fit an `i128`, every value does.
    // (The highest block, too.)
    let mut range = [(i128::MAX, i128::MIN); 29];
    let mut top_block = 0u32;
    for (i, v) in values.iter().enumerate() {
        let Some(v) = v else { continue };
        let m = v.mantissa();
        let r = range.get_mut(v.scale() as usize)?;
        r.0 = r.0.min(m);
        r.1 = r.1.max(m);
        top_block = top_block.max(block(i));
    }
    let Some(scale) = range.iter().rposition(|&(lo, hi)| lo <= hi) else {
        return Some(vec![None; values.len()]); // no value
    };
    let scale = scale as u32;
    let (mut lo, mut hi) = (i128::MAX, i128::MIN);
    for (s, &(a, b)) in (0u32..).zip(&range) {
        if a <= b {
            let p = pow10(scale - s)?;
            lo = lo.min(p.checked_mul(a)?);
            hi = hi.max(p.checked_mul(b)?);
        }
    }
    let position_bits = bits(values.len().saturating_sub(1) as u128);
    let value_bits = bits(u128::try_from(hi.checked_sub(lo)?).ok()?);
    let block_bits = bits(u128::from(top_block));
    if position_bits + value_bits + block_bits > 64 {
        return None;
    }
    let mut keys: Vec<u64> = Vec::with_capacity(values.len());
    for (i, v) in values.iter().enumerate() {
        if let Some(v) = v {
            // Highest value first: its distance below the largest value, ascending
            // (exact: within the range checked above).
            let k = pow10(scale - v.scale())?.checked_mul(v.mantissa())?;
            let below = u64::try_from(hi - k).ok()?;
            let key = u64::from(block(i))
                .checked_shl(value_bits + position_bits)
                .unwrap_or(0)
                | (below << position_bits)
                | i as u64;
            keys.push(key);
        }
    }
    // The keys are in input order: a stable sort on block and value alone leaves the
    // positions ascending within equal values (3 passes instead of 5 for a million units).
    radix_sort(
        &mut keys,
        position_bits,
        position_bits + value_bits + block_bits,
    );
    let mask = (1u64 << position_bits) - 1;
    let mut ranks = vec![None; values.len()];
    let (mut group, mut current_block) = (u64::MAX, u64::MAX);
    let (mut position, mut first, mut dense) = (0u32, 0u32, 0u32);
    for key in keys {
        let b = key.checked_shr(value_bits + position_bits).unwrap_or(0);
        if b != current_block {
            current_block = b;
            (position, first, dense) = (0, 0, 0);
            group = u64::MAX;
        }
        position += 1;
        // Block and value: equal exactly when the values are equal.
        if key >> position_bits != group {
            group = key >> position_bits;
            dense += 1;
            first = position;
        }
        ranks[(key & mask) as usize] = Some(match policy {
            TiePolicy::Competition => first,
            TiePolicy::Dense => dense,
            TiePolicy::Ordinal => position,
        });
    }
    Some(ranks)
}

/// Sorts distinct keys whose set bits are all below bit `width` and whose bits below
/// `from` already ascend in the given order: least significant digit first from bit
/// `from` (stable), 11 bits a pass (a million keys in a few passes, no comparisons); a
/// comparison sort for few keys.
fn radix_sort(keys: &mut Vec<u64>, from: u32, width: u32) {
    const DIGIT: u32 = 11;
    const MASK: u64 = (1 << DIGIT) - 1;
    if keys.len() < 4096 {
        keys.sort_unstable();
        return;
    }
    // Every pass's counts in one read of the keys.
    let passes = width.saturating_sub(from).div_ceil(DIGIT) as usize;
    let mut counts = vec![[0usize; 1 << DIGIT]; passes];
    for &k in keys.iter() {
        for (p, c) in (0u32..).zip(counts.iter_mut()) {
            c[((k >> (from + p * DIGIT)) & MASK) as usize] += 1;
        }
    }
    let mut other = vec![0u64; keys.len()];
    for (p, c) in (0u32..).zip(counts.iter_mut()) {
        let shift = from + p * DIGIT;
        let mut sum = 0;
        for c in c.iter_mut() {
            let n = *c;
            *c = sum;
            sum += n;
        }
        for &k in keys.iter() {
            let d = ((k >> shift) & MASK) as usize;
            other[c[d]] = k;
            c[d] += 1;
        }
        std::mem::swap(keys, &mut other);
    }
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

/// `points / max × 100` as the engine writes a percent (normalized); `None` without a
/// maximum, with a zero maximum, or if the arithmetic would overflow.
///
/// ```
/// use chiso::{ranking::percent_of, Decimal};
/// let p = |s: &str| s.parse::<Decimal>().unwrap();
/// assert_eq!(percent_of(p("78.54"), Some(p("84"))), Some(p("93.5")));
/// assert_eq!(percent_of(p("1"), Some(Decimal::ZERO)), None);
/// ```
pub fn percent_of(points: Decimal, max: Option<Decimal>) -> Option<Decimal> {
    let m = max.filter(|m| !m.is_zero())?;
    points
        .checked_div(m)?
        .checked_mul(Decimal::ONE_HUNDRED)
        .map(|p| p.normalize())
}

/// Ranks that put units scored on different maxima on one scale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScaledRanks {
    /// Rank of each unit (`None`: no value, or no percent in a block ranked on percent).
    pub ranks: Vec<Option<u32>>,
    /// The blocks ranked on percent (sorted).
    pub percent_blocks: Vec<u32>,
}

/// Ranks units within blocks on their points, except in a block whose units have
/// different applicable maxima (unit types: a department without a survey sample is
/// scored out of 84, the others out of 100), which is ranked on the percent of each
/// unit's applicable maximum ([`percent_of`]). The PAR INDEX is itself a percent
/// ("Chỉ số (%) = điểm đạt được / tổng điểm tối đa × 100", reference `par-index.md` §4)
/// and ranking raw points across different maxima is the known defect of §6; where the
/// maxima are equal, points and percent give the same order and the exact points are
/// used. `max_of(i)` is unit `i`'s applicable maximum; only units with points count.
///
/// ```
/// use chiso::{band::TiePolicy, ranking::rank_on_scales, Decimal};
/// let p = |s: &str| s.parse::<Decimal>().ok();
/// // 92.14 of 100 and 78.54 of 84 (93.5 %): the second is first.
/// let points = [p("92.14"), p("78.54")];
/// let maxima = [p("100"), p("84")];
/// let r = rank_on_scales(&points, &|i| maxima[i], &[0, 0], TiePolicy::Competition);
/// assert_eq!(r.ranks, [Some(2), Some(1)]);
/// assert_eq!(r.percent_blocks, [0]);
/// // In separate blocks each block has one maximum: ranked on points.
/// let r = rank_on_scales(&points, &|i| maxima[i], &[0, 1], TiePolicy::Competition);
/// assert_eq!((r.ranks, r.percent_blocks), (vec![Some(1), Some(1)], vec![]));
/// ```
pub fn rank_on_scales(
    points: &[Option<Decimal>],
    max_of: &dyn Fn(usize) -> Option<Decimal>,
    blocks: &[u32],
    policy: TiePolicy,
) -> ScaledRanks {
    let block = |i: usize| blocks.get(i).copied().unwrap_or(0);
    // The first maximum seen per block, and whether another one differs.
    let mut seen: std::collections::BTreeMap<u32, (Option<Decimal>, bool)> = Default::default();
    // Consecutive units nearly always share block and maximum: looked up once.
    let mut last = None;
    for (i, _) in points.iter().enumerate().filter(|(_, v)| v.is_some()) {
        let m = max_of(i);
        if last == Some((block(i), m)) {
            continue;
        }
        last = Some((block(i), m));
        let e = seen.entry(block(i)).or_insert((m, false));
        if e.0 != m {
            e.1 = true;
        }
    }
    let percent_blocks: Vec<u32> = seen
        .iter()
        .filter(|(_, (_, differ))| *differ)
        .map(|(b, _)| *b)
        .collect();
    if percent_blocks.is_empty() {
        return ScaledRanks {
            ranks: rank_in_blocks(points, blocks, policy),
            percent_blocks,
        };
    }
    let keys: Vec<Option<Decimal>> = points
        .iter()
        .enumerate()
        .map(|(i, v)| match v {
            Some(x) if percent_blocks.binary_search(&block(i)).is_ok() => percent_of(*x, max_of(i)),
            other => *other,
        })
        .collect();
    ScaledRanks {
        ranks: rank_in_blocks(&keys, blocks, policy),
        percent_blocks,
    }
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

    /// Ranks from the reference order (the `Decimal` sort) under any policy.
    fn ranks_by_decimal_sort(
        values: &[Option<Decimal>],
        blocks: &[u32],
        policy: TiePolicy,
    ) -> Vec<Option<u32>> {
        let mut ranks = vec![None; values.len()];
        // Per block: (position, first of the equal values, distinct values, last value).
        let mut state: std::collections::BTreeMap<u32, (u32, u32, u32, Option<Decimal>)> =
            Default::default();
        for i in by_decimal_sort(values, blocks) {
            let (position, first, dense, prev) = state.entry(blocks[i]).or_insert((0, 0, 0, None));
            *position += 1;
            if values[i] != *prev {
                *dense += 1;
                *first = *position;
                *prev = values[i];
            }
            ranks[i] = Some(match policy {
                TiePolicy::Competition => *first,
                TiePolicy::Dense => *dense,
                TiePolicy::Ordinal => *position,
            });
        }
        ranks
    }

    proptest! {
        /// The packed `u64` keys (and their radix sort, from 4,096 units) rank as the
        /// `Decimal` sort, or step aside for the general path.
        #[test]
        fn packed_keys_rank_like_decimals(
            vals in proptest::collection::vec(proptest::option::weighted(0.9, (-3000i64..3000, 0u32..7)), 0..5000),
            blocks in proptest::collection::vec(0u32..4, 5000),
            wide in any::<bool>(),
            policy in prop_oneof![Just(TiePolicy::Competition), Just(TiePolicy::Dense), Just(TiePolicy::Ordinal)],
        ) {
            let mut values: Vec<Option<Decimal>> = vals.iter().map(|v| v.map(|(m, s)| Decimal::new(m, s))).collect();
            if wide && !values.is_empty() {
                // Values too far apart for 64-bit keys: the general path.
                values[0] = Some(Decimal::new(i64::MAX, 0));
            }
            let blocks = &blocks[..values.len()];
            let expected = ranks_by_decimal_sort(&values, blocks, policy);
            match packed_ranks(&values, &|i| blocks[i], policy) {
                Some(r) => prop_assert_eq!(r, expected.clone()),
                None => prop_assert!(wide),
            }
            prop_assert_eq!(rank_in_blocks(&values, blocks, policy), expected);
        }
    }

    /// Ordinal ranks from the reference order: the position within the block.
    fn ordinal_by_decimal_sort(values: &[Option<Decimal>], blocks: &[u32]) -> Vec<Option<u32>> {
        let mut ranks = vec![None; values.len()];
        let mut seen: std::collections::BTreeMap<u32, u32> = Default::default();
        for i in by_decimal_sort(values, blocks) {
            let p = seen.entry(blocks[i]).or_default();
            *p += 1;
            ranks[i] = Some(*p);
        }
        ranks
    }

    proptest! {
        #[test]
        fn ordinal_ranks_are_positions_consistent_with_competition(
            vals in proptest::collection::vec(proptest::option::weighted(0.9, (-20i64..20, 0u32..3)), 0..80),
            blocks in proptest::collection::vec(0u32..3, 80),
        ) {
            // Few distinct values (-2.0 … 1.9 at scales 0–2, e.g. 1.5 = 1.50), so ties are common.
            let values: Vec<Option<Decimal>> = vals.iter().map(|v| v.map(|(m, s)| Decimal::new(m, s))).collect();
            let blocks = &blocks[..values.len()];
            let ordinal = rank_in_blocks(&values, blocks, TiePolicy::Ordinal);
            let competition = rank_in_blocks(&values, blocks, TiePolicy::Competition);
            // The integer fast path gives the same ranks as the plain Decimal sort.
            prop_assert_eq!(&ordinal, &ordinal_by_decimal_sort(&values, blocks));
            for b in 0u32..3 {
                let members: Vec<usize> = (0..values.len()).filter(|&i| blocks[i] == b).collect();
                // A permutation of 1..=n over the units with a value; none for the others.
                let mut got: Vec<u32> = members.iter().filter_map(|&i| ordinal[i]).collect();
                got.sort_unstable();
                let n = members.iter().filter(|&&i| values[i].is_some()).count() as u32;
                prop_assert_eq!(got, (1..=n).collect::<Vec<u32>>());
                for &i in &members {
                    prop_assert_eq!(ordinal[i].is_some(), values[i].is_some());
                    let Some(v) = values[i] else { continue };
                    let tied: Vec<usize> = members.iter().copied().filter(|&j| values[j] == Some(v)).collect();
                    let c = competition[i].unwrap();
                    // Untied values: the same rank as competition. Tied: the group's
                    // competition rank + its place among the tied units in input order.
                    let place = tied.iter().position(|&j| j == i).unwrap() as u32;
                    prop_assert_eq!(ordinal[i], Some(c + place));
                    if tied.len() == 1 {
                        prop_assert_eq!(ordinal[i], competition[i]);
                    }
                }
            }
        }
    }

    proptest! {
        #[test]
        fn scales_rank_on_points_unless_maxima_differ_within_a_block(
            vals in proptest::collection::vec(proptest::option::weighted(0.9, 0i64..200), 0..40),
            maxima in proptest::collection::vec(prop_oneof![Just(84i64), Just(100)], 40),
            blocks in proptest::collection::vec(0u32..3, 40),
            policy in prop_oneof![Just(TiePolicy::Competition), Just(TiePolicy::Dense), Just(TiePolicy::Ordinal)],
        ) {
            let points: Vec<Option<Decimal>> = vals.iter().map(|v| v.map(|x| Decimal::new(x, 1))).collect();
            let n = points.len();
            let (maxima, blocks) = (&maxima[..n], &blocks[..n]);
            let max_of = |i: usize| Some(Decimal::from(maxima[i]));
            let got = rank_on_scales(&points, &max_of, blocks, policy);
            for b in 0u32..3 {
                let members: Vec<usize> = (0..n).filter(|&i| blocks[i] == b && points[i].is_some()).collect();
                let differ = members.iter().any(|&i| maxima[i] != maxima[members[0]]);
                prop_assert_eq!(got.percent_blocks.contains(&b), differ);
                // Reference order: the key a block ranks on, compared exactly by
                // cross-multiplication (p_i / m_i vs p_j / m_j) when the maxima differ.
                for &i in &members {
                    for &j in &members {
                        let (pi, pj) = (points[i].unwrap(), points[j].unwrap());
                        let before = if differ {
                            pi * Decimal::from(maxima[j]) > pj * Decimal::from(maxima[i])
                        } else {
                            pi > pj
                        };
                        if before {
                            prop_assert!(got.ranks[i] < got.ranks[j], "{:?}", got);
                        }
                    }
                }
            }
            // Without differing maxima: exactly the plain ranks.
            let same = |_: usize| Some(Decimal::from(100));
            prop_assert_eq!(rank_on_scales(&points, &same, blocks, policy).ranks, rank_in_blocks(&points, blocks, policy));
        }
    }

    #[test]
    fn ordinal_ties_follow_input_order_on_both_paths() {
        // Fast path: 69.95 three times (one written 69.950) → 100, 101, 102 pattern.
        let v: Vec<Option<Decimal>> = ["70.9", "69.95", "69.950", "69.95", "58.08"]
            .iter()
            .map(|s| s.parse().ok())
            .collect();
        assert_eq!(
            rank(&v, TiePolicy::Ordinal),
            vec![Some(1), Some(2), Some(3), Some(4), Some(5)]
        );
        // Decimal fallback (values beyond the integer keys): the same rule.
        let values = vec![
            Some(Decimal::MAX),
            Some(Decimal::new(1, 28)),
            None,
            Some(Decimal::MAX),
        ];
        assert!(integer_order(&values, &|_| 0).is_none());
        assert_eq!(
            rank(&values, TiePolicy::Ordinal),
            vec![Some(1), Some(3), None, Some(2)]
        );
        // Within blocks: each block numbered on its own, ties in input order.
        let v: Vec<Option<Decimal>> = [5, 5, 5, 4, 5].iter().map(|&x| Some(x.into())).collect();
        assert_eq!(
            rank_in_blocks(&v, &[1, 0, 1, 0, 1], TiePolicy::Ordinal),
            vec![Some(1), Some(1), Some(2), Some(2), Some(3)]
        );
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
    let n = Decimal::from(present.len());
    let exact = present
        .iter()
        .try_fold(Decimal::ZERO, |s, x| s.checked_add(*x))
        .map(|s| s / n);
    // A sum beyond `Decimal`'s range (values near its limit): each value divided first,
    // exact to 28 significant digits (saturating at the very edge of the range).
    Some(exact.unwrap_or_else(|| {
        present
            .iter()
            .fold(Decimal::ZERO, |s, x| s.saturating_add(*x / n))
    }))
}
