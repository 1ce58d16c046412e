//! Numbers without core's float parsing and printing, for the browser's form module
//! (feature `lean`), where those two cost about 35 KB of WebAssembly with their tables.
//!
//! The strict reader's two questions about a long JSON number are answered with integer
//! arithmetic: does it reach a binary float beyond the decimal range ([`too_large`]), and
//! does the float it becomes print back as the same digits ([`float_keeps`]) — the native
//! reader asks `str::parse::<f64>` and `f64::to_string`. `display` writes a float as
//! `f64::to_string` does, for `rust_decimal`'s visitor (which reads a float from that
//! text) in the untracked readers. The answers are the same on every input (tests: random
//! numbers of 16 to 18 digits at every scale, printed floats and their neighbours, ties,
//! powers of two and the range's edge against the `f64` answers; `display` against
//! `to_string` on random bit patterns and ties).

/// The significant digits of a number Rust's `f64` parser accepts (no leading or trailing
/// zeros, ASCII) and the power of ten of the last one, the exponent saturated far beyond
/// any float's range; `None` where `str::parse::<f64>` refuses the text.
fn float_parts(text: &str) -> Option<(Vec<u8>, i64)> {
    const FAR: i64 = 1 << 40;
    let b = text.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let (mut digits, mut places, mut any, mut point) = (Vec::new(), 0i64, false, false);
    while let Some(&c) = b.get(i) {
        match c {
            b'0'..=b'9' => {
                any = true;
                places += i64::from(point);
                if !(digits.is_empty() && c == b'0') {
                    digits.push(c);
                }
            }
            b'.' if !point => point = true,
            _ => break,
        }
        i += 1;
    }
    if !any {
        return None;
    }
    let mut exponent = 0i64;
    if i < b.len() {
        if !matches!(b[i], b'e' | b'E') {
            return None;
        }
        i += 1;
        let negative = b.get(i) == Some(&b'-');
        i += usize::from(matches!(b.get(i), Some(b'+' | b'-')));
        if i == b.len() {
            return None;
        }
        for &c in &b[i..] {
            if !c.is_ascii_digit() {
                return None;
            }
            exponent = (exponent * 10 + i64::from(c - b'0')).min(FAR);
        }
        if negative {
            exponent = -exponent;
        }
    }
    let trailing = digits.iter().rev().take_while(|&&c| c == b'0').count();
    digits.truncate(digits.len() - trailing);
    Some((digits, exponent - places.min(FAR) + trailing as i64))
}

/// 2⁹⁶ + 2⁴³: the binary float nearest to a number above this is above 2⁹⁶ (the decimal's
/// range as an `f64`); exactly this rounds to even, to 2⁹⁶.
const HALF_ABOVE_RANGE: &[u8] = b"79228162514264346389636972544";

/// Whether `text.parse::<f64>()` gives a number above the decimal range in magnitude
/// (the native check: `Ok(x)` with `x.abs() > 79_228_162_514_264_337_593_543_950_335.0`).
pub(crate) fn too_large(text: &str) -> bool {
    let Some((digits, exponent)) = float_parts(text) else {
        return false;
    };
    if digits.is_empty() {
        return false;
    }
    let whole = digits.len() as i64 + exponent; // digits before the point
    let edge = HALF_ABOVE_RANGE.len() as i64;
    if whole != edge {
        return whole > edge;
    }
    for (i, &c) in HALF_ABOVE_RANGE.iter().enumerate() {
        let d = digits.get(i).copied().unwrap_or(b'0');
        if d != c {
            return d > c;
        }
    }
    digits.len() > HALF_ABOVE_RANGE.len()
}

/// A non-negative integer of 32-bit limbs, least significant first (only what
/// [`float_keeps`] needs: shifts, small products, sums, differences, comparisons).
#[derive(Clone, PartialEq, Eq)]
struct Big(Vec<u32>);

impl Big {
    fn from(mut n: u128) -> Big {
        let mut v = Vec::new();
        while n > 0 {
            v.push(n as u32);
            n >>= 32;
        }
        Big(v)
    }
    fn trim(mut self) -> Big {
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
        self
    }
    fn bits(&self) -> i64 {
        match self.0.last() {
            Some(&top) => 32 * self.0.len() as i64 - i64::from(top.leading_zeros()),
            None => 0,
        }
    }
    fn shl(&self, n: i64) -> Big {
        let (words, bits) = ((n / 32) as usize, (n % 32) as u32);
        let mut v = vec![0u32; words];
        let mut carry = 0u32;
        for &w in &self.0 {
            v.push(if bits == 0 { w } else { (w << bits) | carry });
            carry = if bits == 0 { 0 } else { w >> (32 - bits) };
        }
        v.push(carry);
        Big(v).trim()
    }
    fn mul(&self, m: u32) -> Big {
        let mut carry = 0u64;
        let mut v: Vec<u32> = self
            .0
            .iter()
            .map(|&w| {
                let x = u64::from(w) * u64::from(m) + carry;
                carry = x >> 32;
                x as u32
            })
            .collect();
        v.push(carry as u32);
        Big(v).trim()
    }
    fn pow10(n: i64) -> Big {
        (0..n).fold(Big::from(1), |b, _| b.mul(10))
    }
    fn add(&self, o: &Big) -> Big {
        let mut carry = 0u64;
        let v = (0..self.0.len().max(o.0.len()) + 1)
            .map(|i| {
                let x = u64::from(*self.0.get(i).unwrap_or(&0))
                    + u64::from(*o.0.get(i).unwrap_or(&0))
                    + carry;
                carry = x >> 32;
                x as u32
            })
            .collect();
        Big(v).trim()
    }
    /// `self − o`, zero when `o` is larger.
    fn sub(&self, o: &Big) -> Big {
        if *self < *o {
            return Big(Vec::new());
        }
        let mut borrow = 0i64;
        let v = self
            .0
            .iter()
            .enumerate()
            .map(|(i, &w)| {
                let mut x = i64::from(w) - i64::from(*o.0.get(i).unwrap_or(&0)) - borrow;
                borrow = i64::from(x < 0);
                if x < 0 {
                    x += 1 << 32;
                }
                x as u32
            })
            .collect();
        Big(v).trim()
    }
}

impl PartialOrd for Big {
    fn partial_cmp(&self, o: &Big) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}

impl Ord for Big {
    fn cmp(&self, o: &Big) -> std::cmp::Ordering {
        let (a, b) = (self.clone().trim(), o.clone().trim());
        a.0.len()
            .cmp(&b.0.len())
            .then_with(|| a.0.iter().rev().cmp(b.0.iter().rev()))
    }
}

/// Whether the number with significant digits `written` (no leading or trailing zeros)
/// times 10^`exponent` prints back with the same digits once read as an `f64`: the native
/// check `significant(&text.parse::<f64>()?.to_string()) == (written, exponent)`. For a
/// positive number inside the decimal's range with 16 or more digits (the caller's case).
///
/// `f64::to_string` writes the shortest digits that read back as the same float, and of
/// several that short the one nearest the float (the larger one when two are as near); so
/// the written digits come back when the float's rounding interval holds no number with
/// fewer digits and neither neighbour one unit of the last digit away is a better choice.
pub(crate) fn float_keeps(written: &str, exponent: i64) -> bool {
    // An f64 prints at most 17 significant digits.
    let Ok(d) = written.parse::<u64>() else {
        return false;
    };
    if written.len() > 17 || d == 0 {
        return false;
    }
    // The number is n / den.
    let (n, den) = if exponent >= 0 {
        let n = (0..exponent).fold(Big::from(u128::from(d)), |b, _| b.mul(10));
        (n, Big::from(1))
    } else {
        (Big::from(u128::from(d)), Big::pow10(-exponent))
    };
    // The nearest float: m · 2^k with 2^52 ≤ m < 2^53.
    let quotient = |k: i64| {
        let (mut num, d) = if k <= 0 {
            (n.shl(-k), den.clone())
        } else {
            (n.clone(), den.shl(k))
        };
        let mut m = 0u64;
        for bit in (0..55).rev() {
            let part = d.shl(bit);
            if num >= part {
                num = num.sub(&part);
                m |= 1 << bit;
            }
        }
        (m, num, d)
    };
    let mut k = n.bits() - den.bits() - 52;
    let (mut m, mut rest, mut divisor) = quotient(k);
    if m < 1 << 52 {
        k -= 1;
        (m, rest, divisor) = quotient(k);
    }
    let twice = rest.shl(1);
    if twice > divisor || (twice == divisor && m & 1 == 1) {
        m += 1;
        if m == 1 << 53 {
            m = 1 << 52;
            k += 1;
        }
    }
    // Everything times den · 2^g, so that a quarter of the float's last unit is whole.
    let g = (2 - k).max(0);
    let at = |x: &Big, p: i64| x.shl(p + g);
    let value = at(&den, k).mul_big(m);
    let number = n.shl(g);
    let step = if exponent >= 0 {
        Big::pow10(exponent).shl(g)
    } else {
        Big::from(1).shl(g)
    };
    let above = at(&den, k - 1);
    let below = if m == 1 << 52 {
        at(&den, k - 2)
    } else {
        above.clone()
    };
    let (low, high) = (value.sub(&below), value.add(&above));
    let inclusive = m & 1 == 0;
    let inside = |x: &Big| {
        if inclusive {
            low <= *x && *x <= high
        } else {
            low < *x && *x < high
        }
    };
    // No number of fewer digits in the interval: the nearest multiples of ten units.
    let last = d % 10;
    let ten = step.mul(10);
    let down = number.sub(&step.mul(last as u32));
    if inside(&down) || inside(&down.add(&ten)) {
        return false;
    }
    // Neither neighbour nearer the float (the larger one wins a tie).
    let distance = |x: &Big| {
        if *x >= value {
            x.sub(&value)
        } else {
            value.sub(x)
        }
    };
    let here = distance(&number);
    let lower = number.sub(&step);
    let upper = number.add(&step);
    let beats_lower = !inside(&lower) || {
        let there = distance(&lower);
        there > here || (there == here && number > value)
    };
    let beats_upper = !inside(&upper) || distance(&upper) > here;
    beats_lower && beats_upper
}

impl Big {
    fn mul_big(&self, m: u64) -> Big {
        self.mul(m as u32).add(&self.mul((m >> 32) as u32).shl(32))
    }
}

/// `x.to_string()` for a finite `f64` without core's float printing (the browser's form
/// module, where a decimal written as a JSON number is read from this text, as
/// `rust_decimal` reads it from `to_string`): the shortest digits `serde_json` writes
/// (zmij), a tie between two as short broken as core breaks it (the larger in magnitude;
/// zmij takes the even one), written as core writes them (never an exponent).
#[cfg(feature = "lean")]
pub(crate) fn display(x: f64) -> String {
    let negative = x.is_sign_negative();
    let shown = serde_json::Number::from_f64(x).map_or_else(String::new, |n| n.to_string());
    let (mut written, mut exponent) = super::scan::significant(&shown).unwrap_or_default();
    if written.is_empty() {
        return if negative { "-0" } else { "0" }.to_owned();
    }
    let bits = x.to_bits();
    let (field, fraction) = ((bits >> 52) & 0x7ff, bits & ((1 << 52) - 1));
    let (m, k) = match field {
        0 => (fraction, -1074),
        _ => (fraction | 1 << 52, field as i64 - 1075),
    };
    // A tie: x = (d + ½) · 10^exponent exactly, which only a fraction can be.
    if let (true, true, Ok(d)) = (exponent < 0, k < 0, written.parse::<u64>()) {
        let twice = Big::from(u128::from(d) * 2 + 1).shl(-k);
        if twice == Big::pow10(-exponent).mul_big(m).shl(1) {
            let up = (d + 1).to_string();
            let zeros = up.bytes().rev().take_while(|&c| c == b'0').count();
            written = up[..up.len() - zeros].to_owned();
            exponent += zeros as i64;
        }
    }
    let mut out = String::from(if negative { "-" } else { "" });
    if exponent >= 0 {
        out.push_str(&written);
        out.extend(std::iter::repeat_n('0', exponent as usize));
    } else {
        let places = (-exponent) as usize;
        if places >= written.len() {
            out.push_str("0.");
            out.extend(std::iter::repeat_n('0', places - written.len()));
            out.push_str(&written);
        } else {
            let (whole, part) = written.split_at(written.len() - places);
            out.push_str(whole);
            out.push('.');
            out.push_str(part);
        }
    }
    out
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// The native answers.
    fn native_too_large(text: &str) -> bool {
        text.parse::<f64>()
            .is_ok_and(|x| x.is_nan() || x.abs() > 79_228_162_514_264_337_593_543_950_335.0)
    }
    fn native_keeps(text: &str) -> Option<bool> {
        let (written, exponent) = super::super::scan::significant(text)?;
        let x = text.parse::<f64>().ok()?;
        Some(
            super::super::scan::significant(&x.to_string())
                .is_some_and(|(kept, e)| kept == written && e == exponent),
        )
    }
    fn mine_keeps(text: &str) -> Option<bool> {
        let (written, exponent) = super::super::scan::significant(text)?;
        Some(float_keeps(&written, exponent))
    }

    /// A seeded generator (the library's ChaCha) with a digit-string helper.
    pub(in crate::io::json) struct Rng(rand_chacha::ChaCha8Rng);
    impl Rng {
        pub(in crate::io::json) fn new(seed: u64) -> Rng {
            use rand_chacha::rand_core::SeedableRng;
            Rng(rand_chacha::ChaCha8Rng::seed_from_u64(seed))
        }
        pub(in crate::io::json) fn next(&mut self) -> u64 {
            rand_chacha::rand_core::RngCore::next_u64(&mut self.0)
        }
        fn digits(&mut self, n: usize) -> String {
            let mut s: String = (0..n)
                .map(|_| char::from(b'0' + (self.next() % 10) as u8))
                .collect();
            if s.starts_with('0') {
                s.replace_range(0..1, "7");
            }
            s
        }
    }

    /// `digits` with the point placed so the last digit is worth 10^`exponent`.
    fn place(digits: &str, exponent: i64) -> String {
        if exponent >= 0 {
            return format!("{digits}{}", "0".repeat(exponent as usize));
        }
        let places = (-exponent) as usize;
        if places >= digits.len() {
            format!("0.{}{digits}", "0".repeat(places - digits.len()))
        } else {
            let (a, b) = digits.split_at(digits.len() - places);
            format!("{a}.{b}")
        }
    }

    #[test]
    fn float_keeps_agrees_with_f64_on_random_numbers() {
        let mut rng = Rng::new(0x9e37_79b9_7f4a_7c15);
        let mut kept = 0;
        for round in 0..30_000 {
            let n = 16 + (round % 3);
            let exponent = (rng.next() % 42) as i64 - 28;
            let mut text = place(&rng.digits(n), exponent);
            if text.ends_with('0') && text.contains('.') {
                text.pop();
                text.push('3');
            }
            assert_eq!(mine_keeps(&text), native_keeps(&text), "{text}");
            kept += usize::from(native_keeps(&text) == Some(true));
        }
        assert!(kept > 500, "some random numbers round-trip ({kept})");
    }

    #[test]
    fn float_keeps_agrees_with_f64_on_floats_printed_and_their_neighbours() {
        let mut rng = Rng::new(0x2545_f491_4f6c_dd1d);
        for _ in 0..20_000 {
            // A float in the decimal's range, printed shortest, then its last digit moved.
            let bits = rng.next();
            let x = f64::from_bits((bits & ((1 << 52) - 1)) | ((957 + bits % 140) << 52));
            let shown = x.to_string();
            let Some((written, exponent)) = super::super::scan::significant(&shown) else {
                continue;
            };
            if written.len() < 16 || exponent < -28 {
                continue;
            }
            for delta in [-2i64, -1, 0, 1, 2] {
                let Ok(d) = written.parse::<i64>() else {
                    continue;
                };
                let text = place(&(d + delta).to_string(), exponent);
                assert_eq!(mine_keeps(&text), native_keeps(&text), "{text}");
            }
            assert_eq!(mine_keeps(&shown), Some(true), "{shown}");
        }
    }

    #[test]
    fn float_keeps_agrees_on_ties_and_powers_of_two() {
        for text in [
            "1125899906842624.2",
            "1125899906842624.3",
            "1125899906842624.7",
            "1125899906842624.8",
            "9007199254740992",
            "9007199254740993",
            "9007199254740994",
            "4503599627370496.5",
            "4503599627370495.5",
            "4503599627370495.75",
            "0.30000000000000004",
            "0.1000000000000000055511151231257827",
            "79228162514264337593543950336",
            "79228162514264330000000000000",
            "18014398509481984",
            "18014398509481985",
            "18014398509481983",
            "36028797018963967",
            "36028797018963968",
            "36028797018963969",
        ] {
            assert_eq!(mine_keeps(text), native_keeps(text), "{text}");
        }
        for p in 40..97 {
            let two = 2f64.powi(p);
            for y in [
                two,
                two * (1.0 + f64::EPSILON),
                two * (1.0 - f64::EPSILON / 2.0),
            ] {
                let shown = y.to_string();
                for text in [shown.clone(), format!("{shown}1"), format!("{shown}9")] {
                    assert_eq!(mine_keeps(&text), native_keeps(&text), "{text}");
                }
            }
        }
    }

    #[cfg(feature = "lean")]
    #[test]
    fn display_writes_what_to_string_writes() {
        let mut rng = Rng::new(0x853c_49e6_748f_ea9b);
        let check = |x: f64| {
            if x.is_finite() {
                assert_eq!(display(x), x.to_string(), "{x:?}");
            }
        };
        for x in [
            0.0,
            -0.0,
            0.1,
            0.5,
            85.0,
            1e21,
            1e-7,
            5e-324,
            f64::MAX,
            f64::MIN_POSITIVE,
            (1u64 << 50) as f64 + 0.25,
            (1u64 << 50) as f64 + 0.75,
            -((1u64 << 50) as f64 + 7.25),
            2f64.powi(96),
            9007199254740993.0,
        ] {
            check(x);
        }
        for _ in 0..200_000 {
            check(f64::from_bits(rng.next()));
        }
        // Ties: a quarter past a whole number of 16 digits, and such at other scales.
        for i in 0..20_000u64 {
            check((1u64 << 50) as f64 + i as f64 * 0.5 + 0.25);
            check(-((1u64 << 51) as f64 + i as f64 + 0.25));
            check(((1u64 << 50) as f64 + i as f64 * 0.5 + 0.25) / 1024.0);
        }
    }

    #[test]
    fn too_large_agrees_with_f64() {
        let mut cases: Vec<String> = [
            "79228162514264337593543950335",
            "79228162514264337593543950336",
            "79228162514264346389636972544",
            "79228162514264346389636972543",
            "79228162514264346389636972545",
            "79228162514264346389636972544.0000001",
            "79228162514264346389636972544e0",
            "7.9228162514264346389636972544e28",
            "7.9228162514264346389636972545e28",
            "-7.9228162514264346389636972545e28",
            "1e29",
            "1e28",
            "1e400",
            "1e99999999999999999999999",
            "1e-99999999999999999999999",
            "0e99999",
            "+1e40",
            "-1e40",
            ".5e40",
            "5.e40",
            "1.e",
            "e5",
            "1e+",
            "1e-",
            "--1e40",
            "1e4e4",
            "1.2.3e40",
            "-",
            ".",
            "",
            "0.000000000000000000000000000000000000001e68",
            "0.000000000000000000000000000000000000001e67",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let mut rng = Rng::new(77);
        for _ in 0..20_000 {
            let e = (rng.next() % 12) as i64 + 20;
            let n = 1 + (rng.next() % 30) as usize;
            cases.push(format!("{}e{}", place(&rng.digits(n), -(n as i64) + 1), e));
            cases.push(place(&format!("7922816251426434{}", rng.digits(13)), 0));
        }
        for text in &cases {
            assert_eq!(too_large(text), native_too_large(text), "{text}");
        }
    }
}
