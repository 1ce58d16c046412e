//! Tests of the number text: reading and writing decimals exactly.

#![allow(clippy::unwrap_used)]

use super::number::*;
use proptest::prelude::*;
use rust_decimal::Decimal;

#[test]
fn decimal_text_round_trips() {
    for s in [
        "0",
        "1",
        "-1",
        "3.70",
        "0.000123",
        "123456789.123456789",
        "-0.0",
        "79228162514264337593543950335",
        "1.0000000000000000000000000001",
    ] {
        let d: Decimal = s.parse().unwrap();
        assert_eq!(parse_decimal(s.as_bytes()), Some(d), "{s}");
        let mut b = Vec::new();
        write_decimal(&mut b, d);
        assert_eq!(
            String::from_utf8(b).unwrap(),
            d.normalize().to_string(),
            "{s}"
        );
    }
    for s in [
        "", "-", ".", "1,2", "1e3", "1_000", "1.2.3", " 1", "0x1", "--1", "NaN",
    ] {
        assert_eq!(parse_decimal(s.as_bytes()), None, "{s}");
    }
    assert_eq!(parse_decimal(b".5"), Some("0.5".parse().unwrap()));
    assert_eq!(parse_decimal(b"+2.50"), Some("2.50".parse().unwrap()));
}

proptest! {
    #[test]
    fn write_decimal_is_normalized_display(m in any::<i64>(), hi in any::<u32>(), scale in 0u32..=28) {
        let d = Decimal::from_i128_with_scale((i128::from(hi) << 64) | i128::from(m), scale);
        let mut b = Vec::new();
        write_decimal(&mut b, d);
        prop_assert_eq!(String::from_utf8(b).unwrap(), d.normalize().to_string());
    }

    #[test]
    fn normalized_text_equals_written_value(
        sign in proptest::sample::select(vec!["", "-", "+"]),
        int in "0{0,3}[0-9]{0,12}",
        frac in proptest::option::of("[0-9]{0,14}0{0,3}"),
    ) {
        let text = format!("{sign}{int}{}", frac.map(|f| format!(".{f}")).unwrap_or_default());
        if let Some(d) = parse_decimal(text.as_bytes()) {
            let (mut a, mut b) = (Vec::new(), Vec::new());
            let Some((value, _, norm)) = parse_number(text.as_bytes()) else { return Ok(()) };
            prop_assert_eq!(value, d);
            write_norm(&mut a, text.as_bytes(), norm);
            write_decimal(&mut b, d);
            prop_assert_eq!(String::from_utf8(a).unwrap(), String::from_utf8(b).unwrap(), "{}", text);
        }
    }

    #[test]
    fn parse_decimal_equals_from_str(int in 0u64..10_000_000_000, frac in 0u64..1_000_000, places in 0usize..7, neg in any::<bool>()) {
        let s = if places == 0 { format!("{}{int}", if neg { "-" } else { "" }) }
            else { format!("{}{int}.{:0>places$}", if neg { "-" } else { "" }, frac % 10u64.pow(places as u32)) };
        let expected: Decimal = s.parse().unwrap();
        prop_assert_eq!(parse_decimal(s.as_bytes()), Some(expected));
        prop_assert_eq!(parse_decimal(s.as_bytes()).unwrap().scale(), expected.scale());
    }
}

proptest! {
    /// The short-number loop equals the digit-counting reader.
    #[test]
    fn scan_number_equals_long_reader(text in "[-+]?[0-9]{0,12}[.]?[0-9]{0,10}[.x,]?[0-9]{0,3}") {
        let b = text.as_bytes();
        let long = parse_parts_long(b).map(|p| (p.mantissa, p.scale, p.neg, p.within, p.norm));
        let short = parse_parts(b).map(|p| (p.mantissa, p.scale, p.neg, p.within, p.norm));
        prop_assert_eq!(short, long);
    }
}

proptest! {
    /// Eight bytes at a time equals one byte at a time, wherever the number starts and
    /// whatever follows it (the word reader needs 16 bytes: short texts test the
    /// fallback, long ones the words).
    #[test]
    fn scan_number_equals_scalar(
        text in "[-+]?0{0,2}[0-9]{0,8}[.]?[0-9]{0,8}0{0,2}[.x,\n]?[0-9.]{0,3}",
        pad in "[0-9a,.é]{0,20}",
    ) {
        let buf = format!("{text}{pad}");
        let b = buf.as_bytes();
        let view = |r: Option<(Parts, usize)>| {
            r.map(|(p, end)| (p.mantissa, p.scale, p.neg, p.within, p.norm, end))
        };
        for at in 0..b.len() {
            prop_assert_eq!(view(scan_number(b, at)), view(scan_scalar(b, at)), "{:?} at {}", buf, at);
        }
    }
}

#[test]
fn scan_number_reads_words() {
    let b = b"0.978624,1.072800,12.5,.5,5.,0000.0000,x,1234567.7654321,12345678,";
    let mut at = 0;
    let mut got = Vec::new();
    while at < b.len() {
        let end = b[at..]
            .iter()
            .position(|&c| c == b',')
            .map_or(b.len(), |p| at + p);
        if let Some((p, e)) = scan_number(b, at) {
            let mut t = Vec::new();
            write_norm(&mut t, &b[at..e], p.norm);
            got.push(format!(
                "{}/{}:{}",
                p.mantissa,
                p.scale,
                String::from_utf8(t).unwrap()
            ));
        } else {
            got.push("-".into());
        }
        at = end + 1;
    }
    assert_eq!(
        got,
        [
            "978624/6:0.978624",
            "1072800/6:1.0728",
            "125/1:12.5",
            "5/1:0.5",
            "5/0:5",
            "0/4:0",
            "-",
            "12345677654321/7:1234567.7654321",
            "12345678/0:12345678"
        ]
    );
}

proptest! {
    /// The fixed-size writer equals the `Vec` writer: values of every magnitude, scales
    /// 0 to 28, either sign.
    #[test]
    fn put_fixed_equals_write_fixed(m in any::<i64>(), digits in 0u32..19, scale in 0u32..=28) {
        let m = i128::from(m) % 10i128.pow(digits + 1);
        let mut out = vec![b'#'; 100];
        let end = put_fixed(&mut out, 3, m, scale).unwrap();
        let mut reference = Vec::new();
        write_fixed(&mut reference, m, scale);
        prop_assert_eq!(String::from_utf8_lossy(&out[3..end]), String::from_utf8_lossy(&reference));
    }
}

#[test]
fn put_fixed_edges() {
    for (m, scale, text) in [
        (0, 5, "0"),
        (5, 3, "0.005"),
        (1000, 3, "1"),
        (-1230, 3, "-1.23"),
        (9_999_999_999_999_999, 8, "99999999.99999999"),
        (1_000_000_000_000_000, 8, "10000000"),
        (3_695_620, 6, "3.69562"),
        (1, 8, "0.00000001"),
        (1, 9, "0.000000001"),
    ] {
        let mut out = vec![0; 100];
        let end = put_fixed(&mut out, 0, m, scale).unwrap();
        assert_eq!(
            std::str::from_utf8(&out[..end]).unwrap(),
            text,
            "{m} {scale}"
        );
    }
}
