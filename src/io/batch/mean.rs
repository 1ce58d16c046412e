//! Exact column means for the batch's `__mean__` row.
//!
//! Each column's sum is kept exactly: an `i128` mantissa at the largest scale seen (the
//! common case, a few integer additions per row), moved to a 320-bit integer
//! ([`Wide`]) as soon as the `i128` would overflow. Nothing is rounded while adding, so
//! the sum of `6.8333333333333333333333333333` and `34.58` — 30 significant digits, more
//! than a [`Decimal`] holds — is still exact.
//!
//! The mean is that exact sum divided by the count, **rounded once, half to even, to the
//! precision of a `Decimal`** (scale at most 28, mantissa below 2⁹⁶: 28 or 29 significant
//! digits) — the rounding `rust_decimal`'s own division uses, so when the sum fits a
//! `Decimal` the mean is exactly `sum / n` (property-tested). A column with at least one
//! value therefore always has a mean.

use super::number::pow10;
use rust_decimal::Decimal;

/// One column's exact running sum and count.
#[derive(Debug, Clone)]
pub(super) struct Acc {
    m: i128,
    scale: u32,
    /// Values added.
    pub(super) n: u64,
    /// The exact sum once it no longer fits the `i128` (then `m` and `scale` are unused).
    wide: Option<Box<Wide>>,
}

impl Acc {
    pub(super) const ZERO: Acc = Acc {
        m: 0,
        scale: 0,
        n: 0,
        wide: None,
    };

    /// Adds `m × 10^-scale` (the count is the caller's: see [`Acc::add`]).
    #[inline]
    pub(super) fn add_scaled(&mut self, m: i128, scale: u32) {
        // The common case, inline: the sum's own scale, no overflow.
        if self.wide.is_none() && scale == self.scale {
            if let Some(x) = self.m.checked_add(m) {
                self.m = x;
                return;
            }
        }
        self.add_other(m, scale);
    }

    /// [`Acc::add_scaled`] beyond the common case.
    #[inline(never)]
    fn add_other(&mut self, m: i128, scale: u32) {
        if let Some(w) = self.wide.as_mut() {
            w.add(&Wide::from_i128(m, scale));
            return;
        }
        let aligned = if scale > self.scale {
            pow10(scale - self.scale)
                .and_then(|p| self.m.checked_mul(p))
                .map(|own| (own, m, scale))
        } else {
            pow10(self.scale - scale)
                .and_then(|p| m.checked_mul(p))
                .map(|v| (self.m, v, self.scale))
        };
        match aligned.and_then(|(a, b, s)| a.checked_add(b).map(|x| (x, s))) {
            Some((x, s)) => {
                self.m = x;
                self.scale = s;
            }
            None => {
                let mut w = Wide::from_i128(self.m, self.scale);
                w.add(&Wide::from_i128(m, scale));
                self.wide = Some(Box::new(w));
            }
        }
    }

    /// Adds one value.
    pub(super) fn add(&mut self, v: Decimal) {
        self.n += 1;
        self.add_scaled(v.mantissa(), v.scale());
    }

    /// Adds another column's sum and count.
    pub(super) fn merge(&mut self, o: &Acc) {
        self.n += o.n;
        match &o.wide {
            None => self.add_scaled(o.m, o.scale),
            Some(w) => {
                let own = self
                    .wide
                    .get_or_insert_with(|| Box::new(Wide::from_i128(self.m, self.scale)));
                own.add(w);
            }
        }
    }

    /// The mean (see the module docs); `None` only when no value was added.
    pub(super) fn mean(&self) -> Option<Decimal> {
        if self.n == 0 {
            return None;
        }
        match &self.wide {
            None => Decimal::try_from_i128_with_scale(self.m, self.scale)
                .ok()
                .and_then(|sum| sum.checked_div(Decimal::from(self.n)))
                .or_else(|| exact_mean(&Wide::from_i128(self.m, self.scale), self.n)),
            Some(w) => exact_mean(w, self.n),
        }
    }
}

/// Per-column accumulators for the means (node columns, total, percent).
#[derive(Debug, Clone)]
pub(super) struct Means(pub(super) Vec<Acc>);

impl Means {
    pub(super) fn new(n: usize) -> Self {
        Means(vec![Acc::ZERO; n])
    }
    pub(super) fn merge(&mut self, o: &Means) {
        for (a, b) in self.0.iter_mut().zip(&o.0) {
            a.merge(b);
        }
    }
    pub(super) fn mean(&self, i: usize) -> Option<Decimal> {
        self.0.get(i).and_then(Acc::mean)
    }
}

const LIMBS: usize = 5;

/// `v × 10^-scale` with `v` a 320-bit two's-complement integer (little-endian limbs).
///
/// Bounds: a term is below 2¹²⁷ × 10²⁸ < 2²²¹ (an `i128` at scale ≤ 28, the largest a
/// `Decimal` has), and at most 2⁶⁴ terms are added (the count is a `u64`), so every sum
/// stays below 2²⁸⁵: no overflow is possible.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Wide {
    v: [u64; LIMBS],
    scale: u32,
}

impl Wide {
    fn from_i128(m: i128, scale: u32) -> Wide {
        let fill = if m < 0 { u64::MAX } else { 0 };
        let u = m as u128;
        Wide {
            v: [u as u64, (u >> 64) as u64, fill, fill, fill],
            scale,
        }
    }

    fn negative(&self) -> bool {
        self.v[LIMBS - 1] >> 63 == 1
    }

    fn negate(&mut self) {
        let mut carry = 1u128;
        for l in &mut self.v {
            let x = u128::from(!*l) + carry;
            *l = x as u64;
            carry = x >> 64;
        }
    }

    /// Multiplies by 10^e (e ≤ 28 here: the scales of `Decimal`s).
    fn scale_up(&mut self, e: u32) {
        let neg = self.negative();
        if neg {
            self.negate();
        }
        for _ in 0..e {
            mul_add_small(&mut self.v, 10, 0);
        }
        if neg {
            self.negate();
        }
        self.scale += e;
    }

    fn add(&mut self, o: &Wide) {
        let mut o = o.clone();
        if o.scale > self.scale {
            self.scale_up(o.scale - self.scale);
        } else if o.scale < self.scale {
            o.scale_up(self.scale - o.scale);
        }
        let mut carry = 0u128;
        for (a, b) in self.v.iter_mut().zip(o.v) {
            let x = u128::from(*a) + u128::from(b) + carry;
            *a = x as u64;
            carry = x >> 64;
        }
    }
}

/// A non-negative 320-bit integer divided by `d`: quotient in place, remainder returned.
fn div_small(v: &mut [u64; LIMBS], d: u64) -> u64 {
    let mut rem = 0u128;
    for l in v.iter_mut().rev() {
        let cur = (rem << 64) | u128::from(*l);
        *l = (cur / u128::from(d)) as u64;
        rem = cur % u128::from(d);
    }
    rem as u64
}

/// `v × mul + add` for a non-negative 320-bit integer (no overflow here: `v` < 2⁹⁶).
fn mul_add_small(v: &mut [u64; LIMBS], mul: u64, add: u64) {
    let mut carry = u128::from(add);
    for l in v.iter_mut() {
        let x = u128::from(*l) * u128::from(mul) + carry;
        *l = x as u64;
        carry = x >> 64;
    }
}

/// Whether a non-negative 320-bit integer is below 2⁹⁶ (fits a `Decimal` mantissa).
fn below_2_96(v: &[u64; LIMBS]) -> bool {
    v[1] >> 32 == 0 && v[2..].iter().all(|&l| l == 0)
}

/// Where the discarded part of a quotient lies relative to one half of the last unit kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rest {
    Zero,
    BelowHalf,
    Half,
    AboveHalf,
}

/// `sum / n`, rounded half to even to the precision of a `Decimal`; `None` only if the
/// mean does not fit a `Decimal` at scale 0 (impossible for a mean of `Decimal`s).
fn exact_mean(sum: &Wide, n: u64) -> Option<Decimal> {
    if n == 0 {
        return None;
    }
    let mut mag = sum.clone();
    let negative = mag.negative();
    if negative {
        mag.negate();
    }
    // sum / n = (q + r/n) × 10^-scale; more digits of r/n while they fit.
    let mut r = u128::from(div_small(&mut mag.v, n));
    let n = u128::from(n);
    while r != 0 && mag.scale < 28 {
        let mut next = mag.v;
        mul_add_small(&mut next, 10, (r * 10 / n) as u64);
        if !below_2_96(&next) {
            break;
        }
        mag.v = next;
        r = r * 10 % n;
        mag.scale += 1;
    }
    let rest = match (r * 2).cmp(&n) {
        _ if r == 0 => Rest::Zero,
        std::cmp::Ordering::Less => Rest::BelowHalf,
        std::cmp::Ordering::Equal => Rest::Half,
        std::cmp::Ordering::Greater => Rest::AboveHalf,
    };
    // Drop k digits, fewest first, until the rounded quotient fits 96 bits and the scale 28.
    let mut k = mag.scale.saturating_sub(28);
    loop {
        if k > mag.scale {
            return None;
        }
        let mut q = mag.v;
        let mut rest = rest;
        for _ in 0..k {
            let digit = div_small(&mut q, 10);
            rest = match (digit, rest) {
                (0, Rest::Zero) => Rest::Zero,
                (0..=4, _) => Rest::BelowHalf,
                (5, Rest::Zero) => Rest::Half,
                _ => Rest::AboveHalf,
            };
        }
        let up = rest == Rest::AboveHalf || (rest == Rest::Half && q[0] & 1 == 1);
        if up {
            for l in &mut q {
                let (x, carry) = l.overflowing_add(1);
                *l = x;
                if !carry {
                    break;
                }
            }
        }
        if below_2_96(&q) {
            let m = i128::from(q[0]) | (i128::from(q[1]) << 64);
            let m = if negative { -m } else { m };
            return Decimal::try_from_i128_with_scale(m, mag.scale - k).ok();
        }
        k += 1;
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn mean_of(values: &[&str]) -> Option<Decimal> {
        let mut a = Acc::ZERO;
        for v in values {
            a.add(d(v));
        }
        a.mean()
    }

    #[test]
    fn a_sum_wider_than_a_decimal_still_has_its_mean() {
        // 6.8333333333333333333333333333 + 34.58 = 41.4133333333333333333333333333
        // (30 significant digits, scale 28: mantissa ≈ 4.1 × 10²⁹ > 2⁹⁶ ≈ 7.9 × 10²⁸).
        // Exact mean 20.70666666666666666666666666665; a Decimal holds 29 digits here
        // (20.706666666666666666666666667 has mantissa ≈ 2.07 × 10²⁸ at scale 27), and the
        // dropped "65" is above one half → …667. Adding as Decimals first would have
        // rounded the sum to …333 and given …666.
        assert_eq!(
            mean_of(&["6.8333333333333333333333333333", "34.58"]),
            Some(d("20.706666666666666666666666667"))
        );
        // In the other order, and as the merge of two chunks: the same.
        assert_eq!(
            mean_of(&["34.58", "6.8333333333333333333333333333"]),
            Some(d("20.706666666666666666666666667"))
        );
        let (mut a, mut b) = (Acc::ZERO, Acc::ZERO);
        a.add(d("6.8333333333333333333333333333"));
        b.add(d("34.58"));
        a.merge(&b);
        assert_eq!(a.mean(), Some(d("20.706666666666666666666666667")));
    }

    #[test]
    fn ties_round_to_even() {
        // 0.0000000000000000000000000001 / 2 = 0.5 × 10⁻²⁸ → 0 (even); three of them
        // (3 × 10⁻²⁸ over 2 values) → 1.5 × 10⁻²⁸ → 2 × 10⁻²⁸.
        assert_eq!(
            mean_of(&["0.0000000000000000000000000001", "0"]),
            Some(Decimal::ZERO)
        );
        assert_eq!(
            mean_of(&["0.0000000000000000000000000003", "0"]),
            Some(d("0.0000000000000000000000000002"))
        );
        // A wide tie: (79228162514264337593543950335 + 79228162514264337593543950334) / 2
        // = 79228162514264337593543950334.5 → …334 (even).
        assert_eq!(
            mean_of(&[
                "79228162514264337593543950335",
                "79228162514264337593543950334"
            ]),
            Some(d("79228162514264337593543950334"))
        );
    }

    #[test]
    fn huge_and_negative_sums_are_exact() {
        // The i128 overflows (2 × Decimal::MAX at scale 28 alongside scale 0): spilled
        // to the wide sum, mean exact.
        let max = Decimal::MAX.to_string();
        assert_eq!(
            mean_of(&[&max, &max, "0.0000000000000000000000000001"]),
            Some(d("52818775009509558395695966890"))
        );
        assert_eq!(
            mean_of(&["-6.8333333333333333333333333333", "-34.58"]),
            Some(d("-20.706666666666666666666666667"))
        );
        assert_eq!(mean_of(&[]), None);
    }

    proptest! {
        /// When the sum fits a Decimal, the exact routine gives Decimal division's result.
        #[test]
        fn exact_mean_equals_decimal_division(
            hi in 0u32..(1 << 31), lo in any::<u64>(), neg in any::<bool>(), scale in 0u32..=28,
            n in 1u64..1_000_000,
        ) {
            let m = (i128::from(hi) << 64) | i128::from(lo);
            let m = if neg { -m } else { m };
            let sum = Decimal::from_i128_with_scale(m, scale);
            let want = sum.checked_div(Decimal::from(n)).unwrap();
            let got = exact_mean(&Wide::from_i128(m, scale), n).unwrap();
            prop_assert_eq!(got, want);
        }

        /// Any mix of scales (sums often beyond the i128, then wide): the mean is within
        /// half a unit of its last place of the exact sum / n, i.e.
        /// |n × mean − sum| ≤ n/2 units, computed on the wide integers.
        #[test]
        fn means_are_within_half_a_unit_of_the_exact_value(
            values in proptest::collection::vec((any::<i64>(), 0u32..=28), 1..40),
        ) {
            let mut a = Acc::ZERO;
            let mut sum = Wide::from_i128(0, 0);
            for &(m, s) in &values {
                a.add(Decimal::new(m, s));
                sum.add(&Wide::from_i128(i128::from(m), s));
            }
            let got = a.mean().unwrap();
            let n = values.len();
            // 2 × (n × mean − sum), and n units of the mean's last place, at one scale.
            let mut twice_gap = Wide::from_i128(0, 0);
            let mut negated = sum.clone();
            negated.negate();
            for _ in 0..2 {
                for _ in 0..n {
                    twice_gap.add(&Wide::from_i128(got.mantissa(), got.scale()));
                }
                twice_gap.add(&negated);
            }
            if twice_gap.negative() {
                twice_gap.negate();
            }
            let mut slack = Wide::from_i128(n as i128, got.scale());
            twice_gap.negate();
            slack.add(&twice_gap);
            prop_assert!(!slack.negative(), "{values:?} → {got}");
        }
    }
}
