//! Number text: exact decimal reading ([`parse_decimal`] and the one-pass scanner the
//! fast path uses) and writing ([`write_decimal`], CSV fields) without allocation.

use rust_decimal::Decimal;

/// Parses `[+-]digits[.digits]` exactly; `None` if the text is not such a number.
///
/// ```
/// use chiso::batch::parse_decimal;
/// assert_eq!(parse_decimal(b"3.7000").map(|d| d.to_string()), Some("3.7000".into()));
/// assert!(parse_decimal(b"1,2x").is_none());
/// ```
pub fn parse_decimal(s: &[u8]) -> Option<Decimal> {
    match parse_number(s) {
        Some((d, _, _)) => Some(d),
        None if plain_number_text(s) => parse_long(s),
        None => None,
    }
}

/// `[+-]digits[.digits]` with at least one digit.
pub(super) fn plain_number_text(s: &[u8]) -> bool {
    let body = s
        .strip_prefix(b"-")
        .or_else(|| s.strip_prefix(b"+"))
        .unwrap_or(s);
    body.iter().any(u8::is_ascii_digit)
        && body.iter().all(|&b| b.is_ascii_digit() || b == b'.')
        && body.iter().filter(|&&b| b == b'.').count() <= 1
}

/// Where the normalized text of a parsed number lies in its input: an optional `-`,
/// an optional `0` (for `.5` or `0.5`), then `text[start..end]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Norm {
    pub(super) neg: bool,
    pub(super) lead0: bool,
    pub(super) start: usize,
    pub(super) end: usize,
}

/// A plain number as read by [`parse_parts`]: `±mantissa × 10^-scale`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Parts {
    pub(super) mantissa: u64,
    pub(super) scale: u32,
    pub(super) neg: bool,
    /// |x| ≤ [`crate::rule::INPUT_LIMIT`] (10^15).
    pub(super) within: bool,
    pub(super) norm: Norm,
}

impl Parts {
    /// A number read as `mantissa × 10^-scale`, given (relative to the number's first
    /// byte) its first non-zero integer digit, its dot (or end) and the end of its last
    /// non-zero fraction digit — all a reader needs to find the normalized text.
    #[inline(always)]
    pub(super) fn new(
        mantissa: u64,
        scale: u32,
        neg: bool,
        first_nonzero_int: Option<usize>,
        dot_pos: usize,
        frac_end: Option<usize>,
    ) -> Parts {
        // |x| ≤ 10^15 ⇔ mantissa ≤ 10^(15 + scale); always true from scale 5 (mantissa < 1.9e19).
        let within = scale >= 5 || mantissa <= 10u64.pow(15 + scale);
        let norm = match (mantissa, first_nonzero_int) {
            (0, _) => Norm {
                neg: false,
                lead0: true,
                start: 0,
                end: 0,
            },
            (_, Some(a)) => Norm {
                neg,
                lead0: false,
                start: a,
                end: frac_end.unwrap_or(dot_pos),
            },
            (_, None) => Norm {
                neg,
                lead0: true,
                start: dot_pos,
                end: frac_end.unwrap_or(0),
            },
        };
        Parts {
            mantissa,
            scale,
            neg,
            within,
            norm,
        }
    }

    /// The exact value (`-0` is `0`).
    pub(super) fn decimal(&self) -> Decimal {
        // lo and mid words of the 96-bit mantissa; the truncations are the intended split.
        #[allow(clippy::cast_possible_truncation)]
        Decimal::from_parts(
            self.mantissa as u32,
            (self.mantissa >> 32) as u32,
            0,
            self.neg && self.mantissa != 0,
            self.scale,
        )
    }
}

/// [`parse_decimal`] for up to 19 significant digits and scale 28, in one pass: the
/// value, whether it lies within [`crate::rule::INPUT_LIMIT`] (10^15), and where its
/// normalized text is. `None` for anything else (longer numbers take the general path).
pub(super) fn parse_number(s: &[u8]) -> Option<(Decimal, bool, Norm)> {
    parse_parts(s).map(|p| (p.decimal(), p.within, p.norm))
}

/// The reader behind [`parse_number`], without building the `Decimal`.
pub(super) fn parse_parts(s: &[u8]) -> Option<Parts> {
    match scan_number(s, 0) {
        Some((p, end)) if end == s.len() => Some(p),
        _ => None,
    }
}

/// Reads the number that starts at `at` in `text` and ends at the first byte that is
/// not a digit or the (first) dot: the number and where it ends. Equal to
/// [`parse_parts_long`] on `text[at..end]` (tested); short numbers (at most 19
/// characters after the sign, hence at most 19 digits) are read in one tight loop.
/// Always inlined: returned through memory, its result stalled the fast path's loads.
/// An unsigned number of at most 7 integer and 7 fraction digits with 16 bytes of text
/// from its start is read eight bytes at a time ([`scan_swar`]).
#[inline(always)]
pub(super) fn scan_number(text: &[u8], at: usize) -> Option<(Parts, usize)> {
    match scan_swar(text, at) {
        Some(x) => x,
        None => scan_scalar(text, at),
    }
}

/// The bytes `text[at..at + 8]` as a little-endian word (the first byte lowest).
#[inline(always)]
pub(super) fn word(text: &[u8], at: usize) -> Option<u64> {
    let b: [u8; 8] = text.get(at..at + 8)?.try_into().ok()?;
    Some(u64::from_le_bytes(b))
}

pub(super) const ONES: u64 = 0x0101_0101_0101_0101;

/// How many of the word's first bytes are ASCII digits (8 when all are).
#[inline(always)]
pub(super) fn digit_run(w: u64) -> usize {
    // A byte is not a digit when it is below `0` (the subtraction borrows: its high bit
    // set), above `9` (adding 0x46 sets the high bit) or not ASCII (its own high bit).
    // Carries and borrows only reach the bytes after the first non-digit.
    let high =
        (w.wrapping_sub(ONES * b'0' as u64) | w.wrapping_add(ONES * 0x46) | w) & (ONES * 0x80);
    high.trailing_zeros() as usize / 8
}

/// The value of the first `k` (at most 8) bytes of `w`, all digits.
#[inline(always)]
pub(super) fn digits_value(w: u64, k: usize) -> u64 {
    if k == 0 {
        return 0;
    }
    // The digits moved to the high bytes (the leading ones zero), then combined in
    // pairs, fours and eights.
    let v = w.wrapping_sub(ONES * b'0' as u64) << (8 * (8 - k));
    let v = v.wrapping_mul(10).wrapping_add(v >> 8);
    let v = ((v & 0x0000_00FF_0000_00FF)
        .wrapping_mul(0x000F_4240_0000_0064)
        .wrapping_add(((v >> 16) & 0x0000_00FF_0000_00FF).wrapping_mul(0x0000_2710_0000_0001)))
        >> 32;
    v & 0xFFFF_FFFF
}

/// [`scan_scalar`] eight bytes at a time, for an unsigned number of at most 7 integer
/// digits and 7 fraction digits with 16 bytes of `text` from `at`; `None` (nothing
/// decided) otherwise. Equal to [`scan_scalar`] (tested).
#[inline(always)]
#[allow(clippy::option_option)]
fn scan_swar(text: &[u8], at: usize) -> Option<Option<(Parts, usize)>> {
    let w = word(text, at)?;
    let k = digit_run(w);
    if k == 8 {
        return None;
    }
    let low = |n: usize| (1u64 << (8 * n)) - 1;
    let (f, kf, dot) = if (w >> (8 * k)) as u8 == b'.' {
        let f = word(text, at + k + 1)?;
        let kf = digit_run(f);
        if kf == 8 {
            return None;
        }
        (f, kf, true)
    } else {
        (0, 0, false)
    };
    if k == 0 && kf == 0 {
        // A sign, or no digit: the scalar reader decides.
        return None;
    }
    let mantissa = digits_value(w, k) * POW10_U64[kf] + digits_value(f, kf);
    // First non-zero integer digit; end of the last non-zero fraction digit.
    let nz = (w ^ (ONES * b'0' as u64)) & low(k);
    let first_nonzero = (nz != 0).then(|| nz.trailing_zeros() as usize / 8);
    let fz = (f ^ (ONES * b'0' as u64)) & low(kf);
    let frac_end = (fz != 0).then(|| k + 2 + (63 - fz.leading_zeros() as usize) / 8);
    let end = at + k + usize::from(dot) + kf;
    let parts = Parts::new(mantissa, kf as u32, false, first_nonzero, k, frac_end);
    Some(Some((parts, end)))
}

/// 10^e for e < 8.
pub(super) const POW10_U64: [u64; 8] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000];

/// [`scan_number`] one byte at a time.
#[inline(always)]
pub(super) fn scan_scalar(text: &[u8], at: usize) -> Option<(Parts, usize)> {
    let (neg, off) = match text.get(at)? {
        b'-' => (true, at + 1),
        b'+' => (false, at + 1),
        _ => (false, at),
    };
    let mut mantissa: u64 = 0;
    let mut dot = usize::MAX;
    let mut i = off;
    while let Some(&b) = text.get(i) {
        let d = b.wrapping_sub(b'0');
        if d < 10 {
            mantissa = mantissa.wrapping_mul(10).wrapping_add(u64::from(d));
        } else if b == b'.' && dot == usize::MAX {
            dot = i;
        } else {
            break;
        }
        i += 1;
    }
    if i - off > 19 {
        return parse_parts_long(&text[at..i]).map(|p| (p, i));
    }
    let (int, frac) = if dot == usize::MAX {
        (&text[off..i], &text[i..i])
    } else {
        (&text[off..dot], &text[dot + 1..i])
    };
    if int.is_empty() && frac.is_empty() {
        return None; // no digit
    }
    let scale = frac.len() as u32;
    // Positions relative to the number's first byte (`at`).
    let dot_pos = off + int.len() - at; // the dot, or the end
    let first_nonzero = int.iter().position(|&b| b != b'0').map(|a| off - at + a);
    let frac_end = frac
        .iter()
        .rposition(|&b| b != b'0')
        .map(|p| dot_pos + 2 + p);
    let parts = Parts::new(mantissa, scale, neg, first_nonzero, dot_pos, frac_end);
    Some((parts, i))
}

/// [`parse_parts`] for any length: counts significant digits (at most 19).
pub(super) fn parse_parts_long(s: &[u8]) -> Option<Parts> {
    let (neg, off) = match s.first()? {
        b'-' => (true, 1),
        b'+' => (false, 1),
        _ => (false, 0),
    };
    let mut mantissa: u64 = 0;
    let mut digits = 0u32; // significant digits so far
    let mut any_digit = false;
    let mut scale = 0u32;
    let mut dot: Option<usize> = None;
    let mut int_start: Option<usize> = None;
    let mut frac_end = 0usize;
    for (i, &b) in s.iter().enumerate().skip(off) {
        let d = b.wrapping_sub(b'0');
        if d < 10 {
            any_digit = true;
            if d != 0 {
                if dot.is_none() {
                    int_start.get_or_insert(i);
                } else {
                    frac_end = i + 1;
                }
            }
            if mantissa != 0 || d != 0 {
                digits += 1;
                if digits > 19 {
                    return None;
                }
            }
            mantissa = mantissa * 10 + u64::from(d);
            scale += u32::from(dot.is_some());
        } else if b == b'.' && dot.is_none() {
            dot = Some(i);
        } else {
            return None;
        }
    }
    if !any_digit || scale > 28 {
        return None;
    }
    let dot_pos = dot.unwrap_or(s.len());
    let frac_end = (frac_end > dot_pos).then_some(frac_end);
    Some(Parts::new(
        mantissa, scale, neg, int_start, dot_pos, frac_end,
    ))
}

pub(super) fn write_norm(out: &mut Vec<u8>, text: &[u8], n: Norm) {
    if n.neg {
        out.push(b'-');
    }
    if n.lead0 {
        out.push(b'0');
    }
    out.extend_from_slice(&text[n.start..n.end]);
}

pub(super) fn parse_long(s: &[u8]) -> Option<Decimal> {
    // Only called on text that is digits, one dot and a sign: exact or refused.
    std::str::from_utf8(s)
        .ok()
        .and_then(|t| Decimal::from_str_exact(t.trim_start_matches('+')).ok())
}

/// Appends `d` normalized (as `d.normalize().to_string()`: no trailing zeros, no `-0`).
///
/// ```
/// let mut out = Vec::new();
/// chiso::batch::write_decimal(&mut out, "-0.0500".parse().unwrap());
/// assert_eq!(out, b"-0.05");
/// ```
pub fn write_decimal(out: &mut Vec<u8>, d: Decimal) {
    write_fixed(out, d.mantissa(), d.scale());
}

/// [`write_decimal`] of `m × 10^-scale` (a valid `Decimal`: |m| < 2^96, scale ≤ 28).
pub(super) fn write_fixed(out: &mut Vec<u8>, m: i128, scale: u32) {
    if m == 0 {
        out.push(b'0');
        return;
    }
    let mut buf = [0u8; 40];
    let mut i = buf.len();
    let mut scale = scale;
    let u = m.unsigned_abs();
    if let Ok(mut v) = u64::try_from(u) {
        while scale > 0 && v % 10 == 0 {
            v /= 10;
            scale -= 1;
        }
        i = digits_before(&mut buf, i, v);
    } else {
        let mut u = u;
        while scale > 0 && u % 10 == 0 {
            u /= 10;
            scale -= 1;
        }
        while u > 0 {
            i -= 1;
            buf[i] = b'0' + (u % 10) as u8;
            u /= 10;
        }
    }
    if m < 0 {
        out.push(b'-');
    }
    let digits = &buf[i..];
    let scale = scale as usize;
    if scale == 0 {
        out.extend_from_slice(digits);
    } else if digits.len() > scale {
        let (int, frac) = digits.split_at(digits.len() - scale);
        out.extend_from_slice(int);
        out.push(b'.');
        out.extend_from_slice(frac);
    } else {
        out.extend_from_slice(b"0.");
        out.resize(out.len() + scale - digits.len(), b'0');
        out.extend_from_slice(digits);
    }
}

/// [`write_fixed`] into `out` at `pos` (returns the new end) for a mantissa that fits a
/// `u64`, with fixed-size copies only: `out` must have 64 bytes to spare after `pos`
/// (bytes past the returned end are left overwritten). `None` for a larger mantissa.
#[inline]
pub(super) fn put_fixed(out: &mut [u8], pos: usize, m: i128, scale: u32) -> Option<usize> {
    let neg = m < 0;
    let mut v = u64::try_from(m.unsigned_abs()).ok()?;
    if v == 0 {
        out[pos] = b'0';
        return Some(pos + 1);
    }
    let mut scale = scale as usize;
    while scale > 0 && v % 10 == 0 {
        v /= 10;
        scale -= 1;
    }
    // The digits right-aligned at `END` of `d` (20 at most), two at a time.
    const END: usize = 40;
    let mut d = [b'0'; 72];
    let i = digits_before(&mut d, END, v);
    let mut pos = pos;
    out[pos] = b'-';
    pos += usize::from(neg);
    let digits = END - i;
    if scale == 0 {
        out[pos..pos + 32].copy_from_slice(&d[i..i + 32]);
        return Some(pos + digits);
    }
    if digits > scale {
        // int part, dot, fraction
        out[pos..pos + 32].copy_from_slice(&d[i..i + 32]);
        pos += digits - scale;
        out[pos] = b'.';
        out[pos + 1..pos + 33].copy_from_slice(&d[END - scale..END - scale + 32]);
        return Some(pos + 1 + scale);
    }
    // 0.000ddd: `d` is '0' before the digits (scale ≤ 28 < i).
    out[pos..pos + 2].copy_from_slice(b"0.");
    out[pos + 2..pos + 34].copy_from_slice(&d[END - scale..END - scale + 32]);
    Some(pos + 2 + scale)
}

/// Writes the decimal digits of `v` two at a time so that they end just before `end` of
/// `buf`; returns where they start (`buf` must have room: 20 digits at most).
#[inline(always)]
fn digits_before(buf: &mut [u8], end: usize, mut v: u64) -> usize {
    let mut i = end;
    while v >= 100 {
        let r = (v % 100) as usize;
        v /= 100;
        i -= 2;
        buf[i..i + 2].copy_from_slice(&DIGITS2[2 * r..2 * r + 2]);
    }
    if v >= 10 {
        let r = v as usize;
        i -= 2;
        buf[i..i + 2].copy_from_slice(&DIGITS2[2 * r..2 * r + 2]);
    } else {
        i -= 1;
        buf[i] = b'0' + v as u8;
    }
    i
}

pub(super) const DIGITS2: &[u8; 200] = b"00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899";

pub(super) fn write_u32(out: &mut Vec<u8>, mut v: u32) {
    let mut buf = [0u8; 10];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

pub(super) fn write_csv_field(out: &mut Vec<u8>, s: &[u8]) {
    if s.iter().any(|&b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        out.push(b'"');
        for &b in s {
            if b == b'"' {
                out.push(b'"');
            }
            out.push(b);
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(s);
    }
}

pub(super) fn pow10(e: u32) -> Option<i128> {
    10i128.checked_pow(e)
}

/// 10^e for e ≤ 38, from a table.
pub(super) fn pow10_u128(e: u32) -> Option<u128> {
    const P: [u128; 39] = {
        let mut p = [1u128; 39];
        let mut i = 1;
        while i < 39 {
            p[i] = p[i - 1] * 10;
            i += 1;
        }
        p
    };
    P.get(e as usize).copied()
}
