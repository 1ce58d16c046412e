//! Exact decimals as integers: [`Fx`] mirrors `rust_decimal`'s arithmetic — value *and*
//! scale — for the cases where `Decimal` neither rounds nor overflows, and says `None`
//! for every other case so the caller computes it with `Decimal` instead.
//!
//! `Decimal` keeps a 96-bit mantissa and a scale of at most 28; its `+`, `−`, `×` and
//! `÷` have rules for the scale of the result that are visible in outputs (`0.50` is not
//! printed as `0.5`), so a fast path must follow them exactly:
//! - `a + b`: if `a` is zero the result is `b` (with `b`'s scale; `−b` for `a − b`), if
//!   `b` is zero it is `a`, otherwise both at the larger scale;
//! - `a × b`: zero if either is zero (scale 0), otherwise the scales add;
//! - `a ÷ b`: the quotient at scale `sa − sb` when it is a whole number of those units,
//!   otherwise further digits nine at a time, then trailing zeros removed in steps of
//!   8 (repeatedly, while the low 32 bits are zero), 4, 2 and 1 (each at most once).

use rust_decimal::Decimal;

/// Largest mantissa a `Decimal` holds (2⁹⁶ − 1).
pub(crate) const MAX_MANTISSA: i128 = (1i128 << 96) - 1;
/// Largest scale a `Decimal` holds.
pub(crate) const MAX_SCALE: u32 = 28;

/// 10^e for e ≤ 38.
pub(crate) const POW10: [i128; 39] = {
    let mut p = [1i128; 39];
    let mut i = 1;
    while i < 39 {
        p[i] = p[i - 1] * 10;
        i += 1;
    }
    p
};

/// An exact decimal `m / 10^s`, always a valid `Decimal` (|m| < 2⁹⁶, s ≤ 28).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Fx {
    /// Signed mantissa.
    pub m: i128,
    /// Scale (decimal places).
    pub s: u32,
}

/// `a × b` for `a` and `b` within `i64`: one 64 × 64 → 128-bit multiplication.
#[inline(always)]
fn wide_mul(a: i128, b: i128) -> i128 {
    i128::from(a as i64) * i128::from(b as i64)
}

/// Strips trailing zeros from the quotient `q` while the scale `s` allows, as `Decimal`
/// division does: steps of 8, 4, 2, 1 digits (cheap tests on the low bits first). One
/// body for the 128-bit and the 64-bit division.
macro_rules! strip_zeros {
    ($q:ident, $s:ident) => {
        while $q as u32 == 0 && $s >= 8 && $q % 100_000_000 == 0 {
            $q /= 100_000_000;
            $s -= 8;
        }
        if $q & 0xF == 0 && $s >= 4 && $q % 10_000 == 0 {
            $q /= 10_000;
            $s -= 4;
        }
        if $q & 0x3 == 0 && $s >= 2 && $q % 100 == 0 {
            $q /= 100;
            $s -= 2;
        }
        if $q & 0x1 == 0 && $s >= 1 && $q % 10 == 0 {
            $q /= 10;
            $s -= 1;
        }
    };
}

impl Fx {
    /// Zero at scale 0 (`Decimal::ZERO`).
    pub const ZERO: Fx = Fx { m: 0, s: 0 };

    /// The decimal's mantissa and scale; `None` for a negative zero (which `Decimal` can
    /// hold but this type cannot), so such a value takes the `Decimal` path.
    #[inline]
    pub fn of(d: Decimal) -> Option<Fx> {
        if d.is_zero() && d.is_sign_negative() {
            return None;
        }
        Some(Fx {
            m: d.mantissa(),
            s: d.scale(),
        })
    }

    /// The `Decimal` (same mantissa, same scale).
    #[inline]
    pub fn dec(self) -> Decimal {
        Decimal::from_i128_with_scale(self.m, self.s)
    }

    /// Whether the mantissa fits 63 bits (then products with another such mantissa, or
    /// with 10^18, fit an i128 without a check).
    #[inline(always)]
    fn small(self) -> bool {
        self.m == i128::from(self.m as i64)
    }

    /// `m × 10^k`, checked unless it cannot overflow.
    #[inline(always)]
    fn shifted(self, k: u32) -> Option<i128> {
        if k == 0 {
            Some(self.m)
        } else if k <= 18 && self.small() {
            Some(wide_mul(self.m, POW10[k as usize]))
        } else {
            self.m.checked_mul(POW10[k as usize])
        }
    }

    #[inline]
    fn valid(m: i128, s: u32) -> Option<Fx> {
        (m.abs() <= MAX_MANTISSA && s <= MAX_SCALE).then_some(Fx { m, s })
    }

    /// `self + other` as `Decimal` computes it; `None` if `Decimal` would round.
    #[inline]
    pub fn add(self, other: Fx) -> Option<Fx> {
        if self.m == 0 {
            return Some(other);
        }
        if other.m == 0 {
            return Some(self);
        }
        if self.s == other.s && self.small() && other.small() {
            // |a + b| < 2⁶⁴ < 2⁹⁶: no rounding.
            return Some(Fx {
                m: self.m + other.m,
                s: self.s,
            });
        }
        let s = self.s.max(other.s);
        let a = self.shifted(s - self.s)?;
        let b = other.shifted(s - other.s)?;
        if a.abs() > MAX_MANTISSA || b.abs() > MAX_MANTISSA {
            return None;
        }
        Fx::valid(a + b, s)
    }

    /// `self − other` as `Decimal` computes it.
    #[inline]
    pub fn sub(self, other: Fx) -> Option<Fx> {
        self.add(Fx {
            m: -other.m,
            s: other.s,
        })
    }

    /// `self × other` as `Decimal` computes it; `None` if `Decimal` would round.
    #[inline]
    pub fn mul(self, other: Fx) -> Option<Fx> {
        if self.m == 0 || other.m == 0 {
            return Some(Fx::ZERO);
        }
        let m = if self.small() && other.small() {
            wide_mul(self.m, other.m)
        } else {
            self.m.checked_mul(other.m)?
        };
        Fx::valid(m, self.s + other.s)
    }

    /// `self ÷ other` as `Decimal` computes it, when the quotient is exact within
    /// `Decimal`'s range; `None` when `Decimal` would round (or the divisor is zero).
    #[inline]
    pub fn div(self, other: Fx) -> Option<Fx> {
        if other.m == 0 {
            return None;
        }
        if self.m == 0 {
            return Some(Fx::ZERO);
        }
        let negative = (self.m < 0) != (other.m < 0);
        let (a, b) = (self.m.unsigned_abs(), other.m.unsigned_abs());
        if let (Ok(a), Ok(b)) = (u64::try_from(a), u64::try_from(b)) {
            if let Some((q, s)) = div64(a, b, self.s as i32 - other.s as i32) {
                let m = i128::from(q);
                return Fx::valid(if negative { -m } else { m }, s);
            }
        }
        let mut scale = self.s as i32 - other.s as i32;
        let mut q = a / b;
        let mut r = a % b;
        let limit = MAX_MANTISSA as u128;
        let mut unscale = false;
        if r != 0 || scale < 0 {
            loop {
                let step: u32;
                if r == 0 {
                    if scale >= 0 {
                        break;
                    }
                    step = 9.min((-scale) as u32);
                } else {
                    unscale = true;
                    if scale >= MAX_SCALE as i32 {
                        return None; // Decimal rounds here
                    }
                    // Decimal scales by 10⁹ while the quotient allows it (at most up to
                    // scale 28); nearer its limits it takes smaller steps: not followed.
                    step = if scale > MAX_SCALE as i32 - 9 {
                        if q >= 1u128 << 64 {
                            return None;
                        }
                        (MAX_SCALE as i32 - scale) as u32
                    } else if q <= limit / 1_000_000_000 {
                        9
                    } else {
                        return None;
                    };
                }
                let p = POW10[step as usize] as u128;
                scale += step as i32;
                q = q.checked_mul(p).filter(|&x| x <= limit)?;
                let rs = r * p;
                q += rs / b;
                r = rs % b;
                if q > limit {
                    return None;
                }
            }
        }
        let mut s = u32::try_from(scale).ok()?;
        if unscale {
            strip_zeros!(q, s);
        }
        let m = q as i128;
        Fx::valid(if negative { -m } else { m }, s)
    }

    /// `Decimal::max(self, other)`: `self` unless `self < other`.
    #[inline]
    pub fn max(self, other: Fx) -> Fx {
        if self.cmp_value(other).is_lt() {
            other
        } else {
            self
        }
    }

    /// Compares the values (not the scales), as `Decimal`'s `Ord` does.
    #[inline(always)]
    pub fn cmp_value(self, other: Fx) -> std::cmp::Ordering {
        if self.s == other.s {
            return self.m.cmp(&other.m);
        }
        let s = self.s.max(other.s);
        // |m| < 2⁹⁶ and 10^28 < 2⁹⁴: the aligned values fit an i128 only when the scale
        // gap is small; otherwise `Decimal` compares them.
        match (self.shifted(s - self.s), other.shifted(s - other.s)) {
            (Some(a), Some(b)) => a.cmp(&b),
            _ => self.dec().cmp(&other.dec()),
        }
    }
}

/// [`Fx::div`] on magnitudes while every step fits 64 bits (hardware division, and
/// divisions by constants the compiler turns into multiplications); `None` when a step
/// would not fit, or `Decimal` would round: the 128-bit path decides then.
pub(super) fn div64(a: u64, b: u64, mut scale: i32) -> Option<(u64, u32)> {
    let mut q = a / b;
    let mut r = a % b;
    let mut unscale = false;
    if r != 0 || scale < 0 {
        loop {
            let step: u32;
            if r == 0 {
                if scale >= 0 {
                    break;
                }
                step = 9.min((-scale) as u32);
            } else {
                unscale = true;
                if scale > MAX_SCALE as i32 - 9 {
                    return None;
                }
                step = 9;
            }
            let p = POW10[step as usize] as u64;
            scale += step as i32;
            let qp = q.checked_mul(p)?;
            let (add, rest) = match r.checked_mul(p) {
                Some(rs) => (rs / b, rs % b),
                None => {
                    // r < b < 2⁶⁴ and p < 2³⁰: r × p fits 94 bits.
                    let rs = u128::from(r) * u128::from(p);
                    (
                        u64::try_from(rs / u128::from(b)).ok()?,
                        (rs % u128::from(b)) as u64,
                    )
                }
            };
            q = qp.checked_add(add)?;
            r = rest;
        }
    }
    let mut s = u32::try_from(scale).ok()?;
    if unscale {
        strip_zeros!(q, s);
    }
    Some((q, s))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn dec() -> impl Strategy<Value = Decimal> {
        prop_oneof![
            (any::<i64>(), 0u32..=12).prop_map(|(m, s)| Decimal::new(m % 1_000_000_000, s)),
            (any::<i64>(), 0u32..=28).prop_map(|(m, s)| Decimal::new(m, s)),
            (-1000i64..1000, 0u32..=4).prop_map(|(m, s)| Decimal::new(m, s)),
            Just(Decimal::ZERO),
            Just(Decimal::new(0, 3)),
            Just(Decimal::ONE_HUNDRED),
        ]
    }

    fn same(fx: Option<Fx>, d: Option<Decimal>) -> Result<(), TestCaseError> {
        if let Some(fx) = fx {
            let d = d.ok_or_else(|| TestCaseError::fail("Decimal failed where Fx did not"))?;
            prop_assert_eq!(
                (fx.m, fx.s),
                (d.mantissa(), d.scale()),
                "{} vs {}",
                fx.dec(),
                d
            );
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        #[test]
        fn ops_equal_decimal_value_and_scale(a in dec(), b in dec()) {
            let (x, y) = (Fx::of(a).unwrap(), Fx::of(b).unwrap());
            same(x.add(y), a.checked_add(b))?;
            same(x.sub(y), a.checked_sub(b))?;
            same(x.mul(y), a.checked_mul(b))?;
            same(x.div(y), a.checked_div(b))?;
            prop_assert_eq!(x.cmp_value(y), a.cmp(&b));
            prop_assert_eq!(x.max(y).dec().to_string(), a.max(b).to_string());
        }
    }

    #[test]
    fn division_scales_as_decimal_does() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        for (a, b) in [
            ("975.00", "5000"),
            ("1.50", "4"),
            ("300.00", "3"),
            ("3", "0.5"),
            ("1", "3"),
            ("0.75", "50"),
            ("7", "8"),
        ] {
            let fx = Fx::of(d(a)).unwrap().div(Fx::of(d(b)).unwrap());
            if let Some(fx) = fx {
                assert_eq!(fx.dec().to_string(), (d(a) / d(b)).to_string(), "{a}/{b}");
            } else {
                assert_eq!((a, b), ("1", "3"), "only a rounded quotient is refused");
            }
        }
    }
}
