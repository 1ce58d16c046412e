//! Values typed into a fill-in form, read according to the criterion's rule.

use super::cell_text::{fold, read_number};
use crate::assessment::Value;
use crate::rule::{Measure, Rule};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// The options a form offers for the rule (for a drop-down list), if it has a fixed set.
pub fn value_choices(rule: &Rule) -> Option<Vec<String>> {
    match rule {
        Rule::YesNo { conditions, .. } if conditions.is_empty() => {
            Some(vec!["Có".into(), "Không".into()])
        }
        Rule::Timeliness {
            on_time,
            late,
            not_done,
        } => Some(vec![
            on_time.label.vi.clone(),
            late.label.vi.clone(),
            not_done.label.vi.clone(),
        ]),
        Rule::Levels { levels } => Some(levels.iter().map(|l| l.label.vi.clone()).collect()),
        _ => None,
    }
}

/// How to write the value, in Vietnamese.
pub fn value_hint(rule: &Rule) -> String {
    match rule {
        Rule::YesNo { conditions, .. } if !conditions.is_empty() => format!(
            "ghi từng điều kiện: {}",
            conditions
                .iter()
                .map(|c| format!("{}=Có", c.key))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        Rule::YesNo { .. } | Rule::Timeliness { .. } | Rule::Levels { .. } => {
            format!(
                "chọn: {}",
                value_choices(rule).unwrap_or_default().join(" / ")
            )
        }
        Rule::Tiers {
            measure: Measure::Percent,
            ..
        } => "tỷ lệ % (0–100), hoặc tử số/mẫu số".into(),
        Rule::Tiers { .. } => "số".into(),
        Rule::Proportional { .. } => "tử số/mẫu số (ví dụ 45/50) hoặc tỷ lệ %".into(),
        Rule::Deductions { severities } => match severities.as_slice() {
            [_] => "số lần vi phạm".into(),
            _ => format!(
                "số lần theo mức: {}",
                severities
                    .iter()
                    .map(|s| format!("{}=0", s.key))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        },
        Rule::Discretionary { .. } | Rule::Score { .. } => "số điểm".into(),
        Rule::Survey { .. } => "tỷ lệ % kết quả điều tra".into(),
    }
}

fn yes(s: &str) -> Option<bool> {
    match fold(s).as_str() {
        "co" | "yes" | "x" | "1" | "dat" | "true" => Some(true),
        "khong" | "no" | "0" | "khong dat" | "false" => Some(false),
        _ => None,
    }
}

fn number(s: &str) -> Result<Decimal, String> {
    let t = s.trim().trim_end_matches('%');
    read_number(t)
        .ok()
        .flatten()
        .ok_or_else(|| format!("\"{s}\" is not a number / \"{s}\" không phải là số"))
}

fn pairs(s: &str) -> Result<BTreeMap<String, String>, String> {
    s.split([';', '\n'])
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(|x| {
            x.split_once('=')
                .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
                .ok_or_else(|| format!("\"{x}\" needs key=value / \"{x}\" cần dạng khóa=giá trị"))
        })
        .collect()
}

/// Reads the value typed for a criterion with `rule`.
///
/// ```
/// use chiso::authoring::{parse_rule, parse_value};
/// use chiso::Value;
/// let r = parse_rule("proportional", Some(2.into())).unwrap();
/// assert_eq!(parse_value(&r, "45/50").unwrap(), Value::Ratio { numerator: 45.into(), denominator: 50.into() });
/// ```
pub fn parse_value(rule: &Rule, text: &str) -> Result<Value, String> {
    let t = text.trim();
    let option =
        |labels: Vec<(String, String)>| -> Result<Value, String> {
            let f = fold(t);
            labels
                .iter()
                .find(|(key, label)| fold(key) == f || fold(label) == f)
                .map(|(key, _)| Value::Option(key.clone()))
                .ok_or_else(|| {
                    format!(
                    "\"{t}\" is not one of the options / \"{t}\" không phải là một phương án: {}",
                    labels.iter().map(|(_, l)| l.as_str()).collect::<Vec<_>>().join(" / ")
                )
                })
        };
    let ratio = |t: &str| -> Result<Value, String> {
        if let Some((n, d)) = t.split_once('/') {
            Ok(Value::Ratio {
                numerator: number(n)?,
                denominator: number(d)?,
            })
        } else {
            Ok(Value::Percent(number(t)?))
        }
    };
    match rule {
        Rule::YesNo { conditions, .. } if !conditions.is_empty() => {
            if let Some(b) = yes(t) {
                return Ok(Value::YesNo(b));
            }
            let mut m = BTreeMap::new();
            for (k, v) in pairs(t)? {
                let b = yes(&v)
                    .ok_or_else(|| format!("\"{v}\": write Có or Không / ghi Có hoặc Không"))?;
                m.insert(k, b);
            }
            Ok(Value::Conditions(m))
        }
        Rule::YesNo { yes: y, no: n, .. } => {
            let f = fold(t);
            if f == fold(&y.label.vi) {
                return Ok(Value::YesNo(true));
            }
            if f == fold(&n.label.vi) {
                return Ok(Value::YesNo(false));
            }
            yes(t)
                .map(Value::YesNo)
                .ok_or_else(|| format!("\"{t}\": write Có or Không / ghi Có hoặc Không"))
        }
        Rule::Timeliness { .. } => option(vec![
            (
                "on_time".into(),
                value_choices(rule)
                    .unwrap_or_default()
                    .first()
                    .cloned()
                    .unwrap_or_default(),
            ),
            (
                "late".into(),
                value_choices(rule)
                    .unwrap_or_default()
                    .get(1)
                    .cloned()
                    .unwrap_or_default(),
            ),
            (
                "not_done".into(),
                value_choices(rule)
                    .unwrap_or_default()
                    .get(2)
                    .cloned()
                    .unwrap_or_default(),
            ),
        ]),
        Rule::Levels { levels } => option(
            levels
                .iter()
                .map(|l| (l.key.clone(), l.label.vi.clone()))
                .collect(),
        ),
        Rule::Tiers {
            measure: Measure::Percent,
            ..
        } => ratio(t),
        Rule::Tiers { .. } => Ok(Value::Number(number(t)?)),
        Rule::Proportional { .. } => ratio(t),
        Rule::Deductions { severities } => {
            if let [one] = severities.as_slice() {
                if !t.contains('=') {
                    return Ok(Value::Counts(BTreeMap::from([(
                        one.key.clone(),
                        number(t)?,
                    )])));
                }
            }
            let mut m = BTreeMap::new();
            for (k, v) in pairs(t)? {
                m.insert(k, number(&v)?);
            }
            Ok(Value::Counts(m))
        }
        Rule::Discretionary { .. } => Ok(Value::Points(number(t)?)),
        Rule::Score { .. } => Ok(Value::Number(number(t)?)),
        Rule::Survey { .. } => Ok(Value::Percent(number(t)?)),
    }
}
