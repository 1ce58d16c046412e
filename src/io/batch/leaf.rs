//! Leaf cells: what a CSV cell means for the rule of its leaf ([`leaf_input`]).

use super::number::parse_decimal;
use crate::assessment::Value;
use crate::rule::{Measure, Rule};
use crate::text::Lang;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// A leaf's input read from one cell.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum LeafInput {
    /// Empty cell.
    Missing,
    /// `n/a`.
    NotApplicable,
    /// A value for the rule.
    Value(Value),
}

pub(super) fn number(s: &str, lang: Lang) -> Result<Decimal, String> {
    parse_decimal(s.as_bytes()).ok_or_else(|| match lang {
        Lang::Vi => "không phải là số (dùng dấu chấm thập phân: 0.5)".into(),
        Lang::En => "is not a number (use a decimal point: 0.5)".into(),
    })
}

pub(super) fn percent_text(s: &str) -> Option<&str> {
    s.strip_suffix('%').map(str::trim_end)
}

pub(super) fn ratio(s: &str, lang: Lang) -> Option<Result<Value, String>> {
    let (n, d) = s.split_once('/')?;
    Some(number(n.trim(), lang).and_then(|n| {
        number(d.trim(), lang).map(|d| Value::Ratio {
            numerator: n,
            denominator: d,
        })
    }))
}

pub(super) fn pairs(s: &str, lang: Lang) -> Result<BTreeMap<String, Decimal>, String> {
    let mut map = BTreeMap::new();
    for part in s.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((k, v)) = part.split_once('=') else {
            return Err(match lang {
                Lang::Vi => format!("cần dạng khóa=số;khóa=số (phần '{part}')"),
                Lang::En => format!("expected key=number;key=number (part '{part}')"),
            });
        };
        map.insert(k.trim().to_owned(), number(v.trim(), lang)?);
    }
    Ok(map)
}

pub(super) fn yes_no(s: &str) -> Option<bool> {
    match s.to_lowercase().as_str() {
        "yes" | "y" | "true" | "1" | "có" | "co" | "x" => Some(true),
        "no" | "n" | "false" | "0" | "không" | "khong" => Some(false),
        _ => None,
    }
}

/// Reads a CSV cell for a leaf scored by `rule` (see the module docs for the mapping).
pub(crate) fn leaf_input(rule: &Rule, cell: &str, lang: Lang) -> Result<LeafInput, String> {
    let s = cell.trim();
    if s.is_empty() {
        return Ok(LeafInput::Missing);
    }
    if s.eq_ignore_ascii_case("n/a") {
        return Ok(LeafInput::NotApplicable);
    }
    let need = |what_vi: &str, what_en: &str| match lang {
        Lang::Vi => format!("không đọc được: cần {what_vi}"),
        Lang::En => format!("cannot be read: expected {what_en}"),
    };
    let v = match rule {
        Rule::Score { .. } => Value::Number(number(s, lang)?),
        Rule::Discretionary { .. } => Value::Points(number(s, lang)?),
        Rule::Survey { .. } => {
            if let Some(p) = percent_text(s) {
                Value::Percent(number(p, lang)?)
            } else if s.contains('=') {
                Value::Answers(pairs(s, lang)?)
            } else {
                Value::Points(number(s, lang)?)
            }
        }
        Rule::Proportional { .. } => {
            if let Some(p) = percent_text(s) {
                Value::Percent(number(p, lang)?)
            } else if let Some(r) = ratio(s, lang) {
                r?
            } else {
                return Err(need(
                    "tử số/mẫu số (45/50) hoặc tỷ lệ phần trăm (90%)",
                    "numerator/denominator (45/50) or a percent (90%)",
                ));
            }
        }
        Rule::Tiers {
            measure: Measure::Percent,
            ..
        } => {
            if let Some(p) = percent_text(s) {
                Value::Percent(number(p, lang)?)
            } else if let Some(r) = ratio(s, lang) {
                r?
            } else {
                Value::Number(number(s, lang)?)
            }
        }
        Rule::Tiers { .. } => Value::Number(number(s, lang)?),
        Rule::YesNo { .. } => {
            Value::YesNo(yes_no(s).ok_or_else(|| need("có/không (yes/no)", "yes/no"))?)
        }
        Rule::Timeliness { .. } | Rule::Levels { .. } => Value::Option(s.to_owned()),
        Rule::Deductions { .. } => Value::Counts(pairs(s, lang)?),
    };
    Ok(LeafInput::Value(v))
}
