//! Plain-text helpers: diacritic folding, Vietnamese decimal commas, STT codes, keys.

use rust_decimal::Decimal;

/// Lower-cases and removes Vietnamese diacritics ("Điểm tối đa" → "diem toi da"),
/// both precomposed and combining forms; collapses runs of white space.
///
/// ```
/// assert_eq!(chiso::authoring::fold("Điểm  TỐI đa"), "diem toi da");
/// ```
pub fn fold(s: &str) -> String {
    const GROUPS: [(&str, char); 7] = [
        ("àáảãạăằắẳẵặâầấẩẫậ", 'a'),
        ("èéẻẽẹêềếểễệ", 'e'),
        ("ìíỉĩị", 'i'),
        ("òóỏõọôồốổỗộơờớởỡợ", 'o'),
        ("ùúủũụưừứửữự", 'u'),
        ("ỳýỷỹỵ", 'y'),
        ("đ", 'd'),
    ];
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for ch in s.chars().flat_map(char::to_lowercase) {
        if ('\u{300}'..='\u{36f}').contains(&ch) {
            continue;
        }
        let c = GROUPS
            .iter()
            .find(|(set, _)| set.contains(ch))
            .map(|(_, base)| *base)
            .unwrap_or(ch);
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(c);
    }
    out
}

/// Reads a number written the Vietnamese way or the English way: "0,5", "1,0", "2.5",
/// "1.234,5", "3 điểm". Blank, "-" and "—" read as `Ok(None)`.
///
/// ```
/// use chiso::authoring::read_number;
/// assert_eq!(read_number("0,5").unwrap(), Some("0.5".parse().unwrap()));
/// assert_eq!(read_number("1,0 điểm").unwrap(), Some(1.into()));
/// assert!(read_number("một").is_err());
/// ```
pub fn read_number(s: &str) -> Result<Option<Decimal>, NotANumber> {
    let f = fold(s);
    let mut t = f.trim();
    for suffix in ["diem", "d"] {
        if let Some(x) = t.strip_suffix(suffix) {
            if x.is_empty() || x.ends_with(|c: char| c.is_ascii_digit() || c == ' ') {
                t = x.trim_end();
            }
        }
    }
    let t: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    if t.is_empty() || t == "-" || t == "—" || t == "–" {
        return Ok(None);
    }
    let normal = match (t.contains(','), t.contains('.')) {
        (true, true) => t.replace('.', "").replace(',', "."),
        (true, false) => t.replace(',', "."),
        _ => t,
    };
    if normal
        .chars()
        .any(|c| !(c.is_ascii_digit() || c == '.' || c == '-'))
        || !normal.chars().any(|c| c.is_ascii_digit())
    {
        return Err(NotANumber);
    }
    normal
        .parse::<Decimal>()
        .map(|d| Some(d.normalize()))
        .map_err(|_| NotANumber)
}

/// The text is not a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotANumber;

/// `base`, or `base_2`, `base_3`, … the first that is not `taken`.
pub(crate) fn unique(base: &str, taken: impl Fn(&str) -> bool) -> String {
    let mut key = base.to_owned();
    let mut n = 2;
    while taken(&key) {
        key = format!("{base}_{n}");
        n += 1;
    }
    key
}

/// A key for an option, from its wording: "Đạt yêu cầu" → "dat_yeu_cau".
pub fn slug(s: &str) -> String {
    let f = fold(s);
    let mut out = String::new();
    for c in f.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
    if out.is_empty() {
        "option".into()
    } else {
        out
    }
}

/// How an STT component is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeStyle {
    /// I, II, IV…
    Roman,
    /// 1, 2, 3…
    Number,
    /// a, b, c, đ…
    Letter,
    /// A, B, C…
    UpperLetter,
    /// 1.1, 1.1.4… with this many components.
    Dotted(usize),
}

/// A code read from the STT column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stt {
    /// The code as written, cleaned of trailing "." or ")".
    pub code: String,
    /// Its style.
    pub style: CodeStyle,
}

fn is_roman(s: &str) -> bool {
    const ROMANS: [&str; 20] = [
        "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV",
        "XV", "XVI", "XVII", "XVIII", "XIX", "XX",
    ];
    ROMANS.contains(&s)
}

fn component_ok(c: &str) -> bool {
    !c.is_empty()
        && c.len() <= 12
        && c.chars()
            .all(|ch| ch.is_alphanumeric() || ch == '_' || ch == '-')
}

/// Reads an STT: "1", "1.1", "1.1.4", "I", "a", "a)", "2.", "I.1.a".
///
/// ```
/// use chiso::authoring::{parse_stt, CodeStyle};
/// assert_eq!(parse_stt("1.1.4").unwrap().style, CodeStyle::Dotted(3));
/// assert_eq!(parse_stt("II.").unwrap().style, CodeStyle::Roman);
/// assert_eq!(parse_stt("b)").unwrap().code, "b");
/// assert!(parse_stt("Tổng cộng").is_none());
/// ```
pub fn parse_stt(s: &str) -> Option<Stt> {
    let t = s
        .trim()
        .trim_end_matches(['.', ')', ':', ' '])
        .trim_start_matches('(');
    if t.is_empty() {
        return None;
    }
    if t.contains('.') {
        let parts: Vec<&str> = t.split('.').collect();
        if parts.iter().all(|p| component_ok(p)) && parts.len() <= 12 {
            return Some(Stt {
                code: t.into(),
                style: CodeStyle::Dotted(parts.len()),
            });
        }
        return None;
    }
    let style = if t.chars().all(|c| c.is_ascii_digit()) && t.len() <= 4 {
        CodeStyle::Number
    } else if is_roman(t) {
        CodeStyle::Roman
    } else if t.chars().count() == 1 && t.chars().all(|c| c.is_lowercase()) {
        CodeStyle::Letter
    } else if t.chars().count() == 1 && t.chars().all(|c| c.is_uppercase()) {
        CodeStyle::UpperLetter
    } else {
        return None;
    };
    Some(Stt {
        code: t.into(),
        style,
    })
}

/// Excel column letters for a 0-based column: 0 → A, 27 → AB.
pub fn column_letters(mut col: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// An A1 reference with its sheet: `'Tiêu chí'!D12` (row 0-based in, 1-based out).
pub fn cell_ref(sheet: &str, row: usize, col: Option<usize>) -> String {
    match col {
        Some(c) => format!("'{sheet}'!{}{}", column_letters(c), row + 1),
        None => format!("'{sheet}'!{}:{}", row + 1, row + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::unique;

    #[test]
    fn unique_takes_the_first_free_suffix() {
        assert_eq!(unique("bonus", |_| false), "bonus");
        assert_eq!(
            unique("bonus", |k| k == "bonus" || k == "bonus_2"),
            "bonus_3"
        );
    }
}
