//! Plain words for the parts of messages that come from elsewhere: parser details,
//! operating-system errors, field names and ranges written in Vietnamese.

use crate::text::{Lang, Text};
use rust_decimal::Decimal;

/// A limit written as `10¹⁵` when it is a power of ten (as the README states the
/// limits), otherwise as a plain number.
pub(super) fn power_of_ten(d: Decimal, lang: Lang) -> String {
    const SUPERSCRIPT: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    let text = d.normalize().to_string();
    match text.strip_prefix('1') {
        Some(zeros) if zeros.len() >= 3 && zeros.bytes().all(|b| b == b'0') => {
            let exp = zeros.len().to_string();
            let sup: String = exp
                .bytes()
                .map(|b| SUPERSCRIPT[usize::from(b - b'0')])
                .collect();
            format!("10{sup}")
        }
        _ => crate::display::plain(d, lang),
    }
}

/// A field, option, tier or band name as people read it.
pub(super) fn what(what: &str, lang: Lang) -> String {
    // Bilingual labels written "english / tiếng Việt".
    if what.contains(" / ") {
        return both(what, lang);
    }
    if let Some(n) = what.strip_prefix("tier ") {
        return match lang {
            Lang::Vi => format!("mức {n}"),
            Lang::En => format!("tier {n}"),
        };
    }
    if let Some(b) = what.strip_prefix("band ") {
        return match lang {
            Lang::Vi => format!("xếp loại \"{b}\""),
            Lang::En => format!("band \"{b}\""),
        };
    }
    let vi = match what {
        "yes" => "phương án \"có\" (yes)",
        "no" => "phương án \"không\" (no)",
        "on_time" => "phương án \"kịp thời\" (on_time)",
        "late" => "phương án \"không kịp thời\" (late)",
        "not_done" => "phương án \"không thực hiện\" (not_done)",
        "levels" => "danh sách mức chấm điểm (levels)",
        "tiers" => "danh sách mức chấm điểm (tiers)",
        "severities" => "danh sách mức vi phạm (severities)",
        "conditions" => "danh sách điều kiện (conditions)",
        "options" => "danh sách phương án trả lời (options)",
        "nodes" => "danh sách tiêu chí (nodes)",
        "cap" => "mức tối đa (cap)",
        "max_points" => "điểm tối đa (max_points)",
        "gate" => "ngưỡng tối thiểu (gate)",
        "threshold_percent" => "ngưỡng đạt điểm tối đa (threshold_percent)",
        "nominal" => "khoảng danh nghĩa (nominal)",
        "award" => "phương án",
        _ => "",
    };
    let en = match what {
        "yes" | "no" | "on_time" | "late" | "not_done" => Some(format!("outcome \"{what}\"")),
        "levels" | "tiers" | "severities" | "conditions" | "options" | "nodes" | "cap"
        | "max_points" | "gate" | "threshold_percent" | "nominal" => Some(what.to_owned()),
        "award" => Some("outcome".to_owned()),
        _ => None,
    };
    match lang {
        Lang::Vi if !vi.is_empty() => vi.to_owned(),
        Lang::Vi => format!("mức \"{what}\""),
        Lang::En => en.unwrap_or_else(|| format!("option \"{what}\"")),
    }
}

/// A range described in Vietnamese (`từ 70% đến dưới 90%`), in English.
pub(super) fn range_en(range: &str) -> String {
    let mut s = range.to_owned();
    for (vi, en) in [
        ("mọi giá trị", "any value"),
        ("đúng ", "exactly "),
        (" đến dưới ", " to under "),
        (" đến ", " to "),
        ("từ ", "from "),
        ("trên ", "over "),
        ("không quá ", "at most "),
        ("dưới ", "under "),
    ] {
        s = s.replace(vi, en);
    }
    // Decimal comma between digits → decimal point.
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        let between_digits = c == ','
            && i > 0
            && chars[i - 1].is_ascii_digit()
            && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit());
        out.push(if between_digits { '.' } else { c });
    }
    out
}

/// A phrase written "english / tiếng Việt" in `lang`; any other text verbatim (names
/// of limits, units and encodings in `LimitExceeded` and `NotUtf8`).
pub(super) fn both(s: &str, lang: Lang) -> String {
    let t = Text::from_en_vi(s);
    lang.pick(t.vi, t.en)
}

/// A unit after a number: " bytes", " byte"…; nothing for a plain count.
pub(super) fn unit(unit: &str, lang: Lang) -> String {
    match both(unit, lang) {
        u if u.is_empty() => u,
        u => format!(" {u}"),
    }
}

/// The plain-words rendering of the first known phrase `detail` contains, else `detail`:
/// the catalog's list `table` (`@io`, `@io_write`, `@syntax` in `messages.json`) of
/// `[phrase, vi, en]`.
fn first_known(table: &str, detail: &str, lang: Lang) -> String {
    super::messages::catalog()
        .and_then(|c| c[table].as_array())
        .into_iter()
        .flatten()
        .filter_map(|row| Some((row[0].as_str()?, row[lang.pick(1, 2)].as_str()?)))
        .find(|(phrase, _)| detail.contains(phrase))
        .map_or_else(|| detail.to_owned(), |(_, words)| words.to_owned())
}

/// Operating-system error text of a failed write (never worded as a read).
pub(super) fn io_write(detail: &str, lang: Lang) -> String {
    first_known("@io_write", detail, lang)
}

/// Operating-system error text.
pub(crate) fn io(detail: &str, lang: Lang) -> String {
    first_known("@io", detail, lang)
}

/// JSON parser detail.
pub(super) fn syntax(detail: &str, lang: Lang) -> String {
    first_known("@syntax", detail, lang)
}

/// Text between backticks, in order: "unknown field `a`, expected one of `b`, `c`" → [a, b, c].
fn ticked(s: &str) -> Vec<&str> {
    s.split('`').skip(1).step_by(2).collect()
}

/// A Rust type name as people read it.
fn expected(e: &str, lang: Lang) -> String {
    let e = e.trim();
    let (vi, en) = if e.contains("Decimal") {
        (
            "một số thập phân, nên viết trong ngoặc kép, ví dụ \"2.5\"",
            "a decimal number, best written as a string, e.g. \"2.5\"",
        )
    } else if e == "struct Text" {
        (
            "một đối tượng {\"vi\": \"…\", \"en\": \"…\"}",
            "an object {\"vi\": \"…\", \"en\": \"…\"}",
        )
    } else if e.starts_with("struct ") || e.starts_with("a map") || e.contains("enum") {
        ("một đối tượng JSON {…}", "a JSON object {…}")
    } else if e.contains("sequence") || e.starts_with("a Vec") {
        ("một danh sách JSON […]", "a JSON list […]")
    } else if e.contains("string") {
        ("một chuỗi trong ngoặc kép", "a string in double quotes")
    } else if e.contains("boolean") {
        ("true hoặc false", "true or false")
    } else if e.starts_with('i') || e.starts_with('u') || e.contains("integer") {
        ("một số nguyên", "a whole number")
    } else {
        return e.to_owned();
    };
    lang.pick(vi, en).to_owned()
}

/// What was found, from "string \"x\"", "boolean `true`", "integer `5`", "map"…
fn found(f: &str, lang: Lang) -> String {
    let f = f.trim();
    let (kind, rest) = f.split_once(' ').unwrap_or((f, ""));
    let rest = rest.trim_matches('`');
    let vi = match kind {
        "string" => format!("chuỗi {rest}"),
        "boolean" => format!("giá trị {rest}"),
        "integer" | "floating" => {
            format!("số {}", rest.trim_start_matches("point ").trim_matches('`'))
        }
        "map" => "một đối tượng {…}".to_owned(),
        "sequence" => "một danh sách […]".to_owned(),
        "null" => "null".to_owned(),
        _ => f.to_owned(),
    };
    let en = match kind {
        "string" => format!("the string {rest}"),
        "boolean" => format!("the value {rest}"),
        "integer" | "floating" => format!(
            "the number {}",
            rest.trim_start_matches("point ").trim_matches('`')
        ),
        "map" => "an object {…}".to_owned(),
        "sequence" => "a list […]".to_owned(),
        "null" => "null".to_owned(),
        _ => f.to_owned(),
    };
    lang.pick(vi, en)
}

/// Shape detail from the deserializer.
pub(super) fn structure(detail: &str, lang: Lang) -> String {
    let names = ticked(detail);
    let list = |v: &[&str]| {
        v.iter()
            .map(|x| format!("\"{x}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if detail.starts_with("missing field") {
        if let Some(f) = names.first() {
            return match lang {
                Lang::Vi => format!("thiếu trường bắt buộc \"{f}\""),
                Lang::En => format!("missing field \"{f}\", which is required"),
            };
        }
    }
    if detail.starts_with("unknown field") {
        if let Some((f, allowed)) = names.split_first() {
            return match (lang, allowed.is_empty()) {
                (Lang::Vi, false) => format!("trường \"{f}\" không được dùng ở đây (có thể viết sai tên); các trường hợp lệ: {}", list(allowed)),
                (Lang::En, false) => format!("field \"{f}\" is not allowed here (perhaps misspelt); valid fields: {}", list(allowed)),
                (Lang::Vi, true) => format!("trường \"{f}\" không được dùng ở đây"),
                (Lang::En, true) => format!("field \"{f}\" is not allowed here"),
            };
        }
    }
    if detail.starts_with("unknown variant") {
        if let Some((f, allowed)) = names.split_first() {
            return match lang {
                Lang::Vi => format!(
                    "\"{f}\" không phải là giá trị hợp lệ; các giá trị hợp lệ: {}",
                    list(allowed)
                ),
                Lang::En => format!(
                    "\"{f}\" is not a valid choice; valid choices: {}",
                    list(allowed)
                ),
            };
        }
    }
    if let Some(rest) = detail.strip_prefix("invalid type: ") {
        if let Some((f, e)) = rest.split_once(", expected ") {
            return match lang {
                Lang::Vi => format!(
                    "sai kiểu dữ liệu: đang là {}, cần {}",
                    found(f, lang),
                    expected(e, lang)
                ),
                Lang::En => format!(
                    "wrong kind of value: found {}, expected {}",
                    found(f, lang),
                    expected(e, lang)
                ),
            };
        }
    }
    if let Some(rest) = detail.strip_prefix("invalid value: ") {
        if let Some((f, e)) = rest.split_once(", expected ") {
            return match lang {
                Lang::Vi => format!(
                    "giá trị không hợp lệ: đang là {}, cần {}",
                    found(f, lang),
                    expected(e, lang)
                ),
                Lang::En => format!(
                    "invalid value: found {}, expected {}",
                    found(f, lang),
                    expected(e, lang)
                ),
            };
        }
    }
    if detail.starts_with("duplicate field") {
        if let Some(f) = names.first() {
            return match lang {
                Lang::Vi => format!("trường \"{f}\" được ghi hai lần"),
                Lang::En => format!("field \"{f}\" is written twice"),
            };
        }
    }
    detail.to_owned()
}
