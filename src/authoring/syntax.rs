//! The rule column syntax: a short, documented text form of every [`Rule`].
//!
//! | text | rule |
//! |---|---|
//! | `tiers: >=100%: 1; >=80%: 0.5; else: 0` | tiers over a percent; first match wins |
//! | `tiers: [70%,90%]: 1 \| từ 70% - 90%; >90%: 2; <70%: 0` | explicit ranges, optional label after `\|` |
//! | `tiers count: >=3: 1; else: 0` | tiers over a count (`tiers number:` for any number) |
//! | `proportional` · `proportional threshold 98% gate >=98% zero full` | `max × min(1, ratio / threshold)`; `zero` = zero, full, na or invalid (default invalid) |
//! | `levels: Tốt=2.5; Đầy đủ=2; Chưa đầy đủ=1; Không=0` | named levels; `[key] label=points` sets the key; `50%` = percent of max |
//! | `yes_no` · `yes_no: Có=1; Không=0` | yes/no; alone: yes = max, no = 0 |
//! | `timeliness: Kịp thời=1; Không kịp thời=0.5; Không thực hiện=0` | on time / late / not done |
//! | `deduct 0.25 per incident` · `deductions: Nhẹ=50%; Nặng=100%` | max minus deductions, floored at 0 |
//! | `discretionary` · `discretionary step 0.25` | the appraiser enters points |
//! | `score` · `survey` | a score supplied as such · survey answers A/B/C/D |
//! | `json: {…}` | any rule in the JSON of the index file |
//!
//! Numbers take a decimal comma or point ("0,5" = "0.5").

use super::cell_text::{fold, read_number, slug, unique};
use crate::interval::{intersection, Bound, Interval};
use crate::rule::{Award, Level, Measure, Rule, Tier, ZeroDenominator};
use crate::text::{Lang, Text};
use rust_decimal::Decimal;

/// A syntax error, "english / tiếng Việt".
pub type SyntaxError = String;

fn err(en: &str, vi: &str) -> SyntaxError {
    format!("{en} / {vi}")
}

/// Points or percent of max: "1", "0,5", "50%".
fn amount(s: &str) -> Result<(Option<Decimal>, Option<Decimal>), SyntaxError> {
    let t = s.trim();
    let (body, pct) = match t.strip_suffix('%') {
        Some(b) => (b, true),
        None => (t, false),
    };
    match read_number(body) {
        Ok(Some(d)) if pct => Ok((None, Some(d))),
        Ok(Some(d)) => Ok((Some(d), None)),
        _ => Err(err(
            &format!("\"{t}\" is not a number of points"),
            &format!("\"{t}\" không phải là số điểm"),
        )),
    }
}

/// Splits "label = points" (or "label: points") at the last '=' (or ':').
fn labelled(item: &str) -> Result<(Option<String>, String, &str), SyntaxError> {
    let (left, right) = item
        .rsplit_once('=')
        .or_else(|| item.rsplit_once(':'))
        .ok_or_else(|| {
            err(
                &format!("\"{item}\" needs \"label = points\""),
                &format!("\"{item}\" cần dạng \"mức = điểm\""),
            )
        })?;
    let left = left.trim();
    let (key, label) = match left.strip_prefix('[').and_then(|r| r.split_once(']')) {
        Some((k, l)) => (Some(k.trim().to_owned()), l.trim().to_owned()),
        None => (None, left.to_owned()),
    };
    if label.is_empty() {
        return Err(err(
            &format!("\"{item}\" has no label"),
            &format!("\"{item}\" thiếu tên mức"),
        ));
    }
    Ok((key, label, right))
}

fn items(body: &str) -> Vec<&str> {
    body.split([';', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

fn levels_of(body: &str) -> Result<Vec<Level>, SyntaxError> {
    let mut out: Vec<Level> = Vec::new();
    for it in items(body) {
        let (key, label, amt) = labelled(it)?;
        let (points, percent_of_max) = amount(amt)?;
        let base = key.unwrap_or_else(|| slug(&label));
        let key = unique(&base, |k| out.iter().any(|l| l.key == k));
        out.push(Level {
            key,
            label: Text::new(label, ""),
            points,
            percent_of_max,
        });
    }
    Ok(out)
}

fn award(level: Level) -> Award {
    Award {
        label: level.label,
        points: level.points,
        percent_of_max: level.percent_of_max,
    }
}

/// One tier condition as written.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Cond {
    /// A range.
    Range(Interval),
    /// Everything the earlier tiers leave.
    Else,
}

fn bound_value(s: &str) -> Result<(Decimal, bool), SyntaxError> {
    let t = s.trim();
    let (b, pct) = match t.strip_suffix('%') {
        Some(b) => (b, true),
        None => (t, false),
    };
    match read_number(b) {
        Ok(Some(d)) => Ok((d, pct)),
        _ => Err(err(
            &format!("\"{t}\" is not a number"),
            &format!("\"{t}\" không phải là số"),
        )),
    }
}

fn cond(s: &str) -> Result<(Cond, bool), SyntaxError> {
    let t = s.trim();
    if fold(t) == "else" || fold(t) == "con lai" {
        return Ok((Cond::Else, false));
    }
    for (op, lower, incl) in [
        (">=", true, true),
        ("≥", true, true),
        ("<=", false, true),
        ("≤", false, true),
        (">", true, false),
        ("<", false, false),
        ("=", true, true),
    ] {
        if let Some(rest) = t.strip_prefix(op) {
            let (v, pct) = bound_value(rest)?;
            let b = Bound {
                value: v,
                inclusive: incl,
            };
            let i = if op == "=" {
                Interval {
                    from: Some(b),
                    to: Some(b),
                }
            } else if lower {
                Interval {
                    from: Some(b),
                    to: None,
                }
            } else {
                Interval {
                    from: None,
                    to: Some(b),
                }
            };
            return Ok((Cond::Range(i), pct));
        }
    }
    let open = t.chars().next();
    let close = t.chars().last();
    if let (Some(o @ ('[' | '(')), Some(c @ (']' | ')'))) = (open, close) {
        let inner = &t[1..t.len() - 1];
        // "[a..b]" or, without "..", "[a, b]" / "[a; b]".
        if let Some((a, b)) = inner
            .split_once("..")
            .or_else(|| inner.split_once([',', ';']))
        {
            let (a, pa) = bound_value(a)?;
            let (b, pb) = bound_value(b)?;
            return Ok((
                Cond::Range(Interval {
                    from: Some(Bound {
                        value: a,
                        inclusive: o == '[',
                    }),
                    to: Some(Bound {
                        value: b,
                        inclusive: c == ']',
                    }),
                }),
                pa || pb,
            ));
        }
    }
    Err(err(
        &format!("\"{t}\" is not a tier condition (>=X, >X, <X, <=X, [X,Y), else)"),
        &format!("\"{t}\" không phải điều kiện của mức (>=X, >X, <X, <=X, [X,Y), else)"),
    ))
}

/// `a` minus `b`, when the rest is one interval (else `None`); `Some(empty)` if nothing is left.
fn minus(a: &Interval, b: &Interval) -> Option<Interval> {
    if intersection(a, b).is_empty() {
        return Some(*a);
    }
    let flip = |x: Bound| Bound {
        value: x.value,
        inclusive: !x.inclusive,
    };
    let left = b.from.map(|f| {
        intersection(
            a,
            &Interval {
                from: None,
                to: Some(flip(f)),
            },
        )
    });
    let right = b.to.map(|t| {
        intersection(
            a,
            &Interval {
                from: Some(flip(t)),
                to: None,
            },
        )
    });
    let left = left.filter(|i| !i.is_empty());
    let right = right.filter(|i| !i.is_empty());
    match (left, right) {
        (Some(_), Some(_)) => None,
        (Some(x), None) | (None, Some(x)) => Some(x),
        (None, None) => Some(Interval {
            from: Some(Bound::excl(Decimal::ONE)),
            to: Some(Bound::excl(Decimal::ONE)),
        }),
    }
}

/// Turns conditions (first match wins; `else` = the rest) into disjoint ranges.
pub(crate) fn cascade(conds: &[Cond]) -> Result<Vec<Interval>, SyntaxError> {
    let mut out: Vec<Interval> = Vec::new();
    for c in conds {
        let mut r = match c {
            Cond::Range(i) => *i,
            Cond::Else => Interval::default(),
        };
        for prev in &out {
            r = minus(&r, prev).ok_or_else(|| {
                err(
                    "a tier would be split in two by an earlier tier",
                    "một mức bị mức phía trước chia làm hai khoảng",
                )
            })?;
        }
        if r.is_empty() {
            return Err(err(
                "a tier holds no value left by the earlier tiers",
                "một mức không còn giá trị nào sau các mức phía trước",
            ));
        }
        out.push(r);
    }
    Ok(out)
}

fn tiers_of(head: &str, body: &str) -> Result<Rule, SyntaxError> {
    let mut conds = Vec::new();
    let mut rest = Vec::new();
    let mut any_pct = false;
    for it in items(body) {
        let (main, label) = match it.split_once('|') {
            Some((m, l)) => (m.trim(), Some(l.trim().to_owned())),
            None => (it, None),
        };
        let (c, amt) = main.rsplit_once(':').ok_or_else(|| {
            err(
                &format!("\"{it}\" needs \"condition: points\""),
                &format!("\"{it}\" cần dạng \"điều kiện: điểm\""),
            )
        })?;
        let (cd, pct) = cond(c)?;
        any_pct |= pct;
        conds.push(cd);
        rest.push((amount(amt)?, label));
    }
    if conds.is_empty() {
        return Err(err("no tiers", "chưa có mức nào"));
    }
    let measure = match head {
        "tiers count" => Measure::Count,
        "tiers number" => Measure::Number,
        _ if any_pct => Measure::Percent,
        "tiers percent" => Measure::Percent,
        _ => Measure::Number,
    };
    let unit = if measure == Measure::Percent { "%" } else { "" };
    let ranges = cascade(&conds)?;
    let tiers = ranges
        .into_iter()
        .zip(rest)
        .map(|(range, ((points, percent_of_max), label))| Tier {
            range,
            label: Text::new(label.unwrap_or_else(|| range.describe(Lang::Vi, unit)), ""),
            points,
            percent_of_max,
        })
        .collect();
    Ok(Rule::Tiers { measure, tiers })
}

/// Reads the rule column. `max` is the criterion's maximum (used by bare `yes_no`).
///
/// ```
/// use chiso::authoring::parse_rule;
/// use chiso::rule::Rule;
/// let r = parse_rule("tiers: >=100%:1; >=80%:0,5; else:0", Some(1.into())).unwrap();
/// let Rule::Tiers { tiers, .. } = r else { panic!() };
/// assert_eq!(tiers[1].label.vi, "từ 80% đến dưới 100%");
/// ```
pub fn parse_rule(text: &str, max: Option<Decimal>) -> Result<Rule, SyntaxError> {
    let t = text.trim();
    if let Some(json) = t.strip_prefix("json:") {
        // chiso's strict JSON reader first: a key written twice is an error, not last-wins.
        if let Err(d) = crate::load::check_json(json.trim()) {
            let (en, vi) = (d.render(Lang::En), d.render(Lang::Vi));
            return Err(err(
                &format!("invalid rule JSON: {en}"),
                &format!("JSON của quy tắc không hợp lệ: {vi}"),
            ));
        }
        return serde_json::from_str(json.trim()).map_err(|e| {
            err(
                &format!("invalid rule JSON: {e}"),
                &format!("JSON của quy tắc không hợp lệ: {e}"),
            )
        });
    }
    let (head, body) = match t.split_once(':') {
        Some((h, b)) if !h.contains(['>', '<', '=', '[']) => (h.trim(), b.trim()),
        _ => (t, ""),
    };
    let head_f = fold(head).replace('-', "_");
    let words: Vec<&str> = head_f.split_whitespace().collect();
    match words.first().copied().unwrap_or("") {
        "tiers" | "bac" | "muc" => tiers_of(&words.join(" "), body),
        "levels" => {
            let levels = levels_of(body)?;
            if levels.is_empty() {
                return Err(err("no levels", "chưa có mức nào"));
            }
            Ok(Rule::Levels { levels })
        }
        "yes_no" | "yesno" | "co_khong" => {
            if body.is_empty() {
                let m = max.ok_or_else(|| {
                    err(
                        "bare yes_no needs the maximum points",
                        "yes_no không ghi điểm thì cần điểm tối đa",
                    )
                })?;
                return Ok(Rule::YesNo {
                    conditions: Vec::new(),
                    yes: Award {
                        label: Text::new("Có", "Yes"),
                        points: Some(m),
                        percent_of_max: None,
                    },
                    no: Award {
                        label: Text::new("Không", "No"),
                        points: Some(Decimal::ZERO),
                        percent_of_max: None,
                    },
                });
            }
            let mut l = levels_of(body)?.into_iter();
            match (l.next(), l.next(), l.next()) {
                (Some(y), Some(n), None) => Ok(Rule::YesNo {
                    conditions: Vec::new(),
                    yes: award(y),
                    no: award(n),
                }),
                _ => Err(err(
                    "yes_no takes two outcomes: yes then no",
                    "yes_no cần đúng hai phương án: có rồi không",
                )),
            }
        }
        "timeliness" | "kip_thoi" => {
            let mut l = levels_of(body)?.into_iter();
            match (l.next(), l.next(), l.next(), l.next()) {
                (Some(a), Some(b), Some(c), None) => Ok(Rule::Timeliness {
                    on_time: award(a),
                    late: award(b),
                    not_done: award(c),
                }),
                _ => Err(err(
                    "timeliness takes three outcomes: on time; late; not done",
                    "timeliness cần ba phương án: kịp thời; không kịp thời; không thực hiện",
                )),
            }
        }
        "deductions" => {
            let severities = levels_of(body)?;
            if severities.is_empty() {
                return Err(err("no deductions", "chưa có mức trừ nào"));
            }
            Ok(Rule::Deductions { severities })
        }
        "deduct" | "tru" => {
            // deduct X per incident
            let amt = words.get(1).copied().unwrap_or("");
            let (points, percent_of_max) = amount(amt)?;
            Ok(Rule::Deductions {
                severities: vec![Level {
                    key: "incident".into(),
                    label: Text::new("Mỗi lần vi phạm", "Each incident"),
                    points,
                    percent_of_max,
                }],
            })
        }
        "proportional" | "ty_le" => {
            let mut threshold_percent = None;
            let mut gate = None;
            let mut zero_denominator = ZeroDenominator::Invalid;
            let mut i = 1;
            while i < words.len() {
                let arg = words.get(i + 1).copied().unwrap_or("");
                match words[i] {
                    "threshold" => threshold_percent = Some(bound_value(arg)?.0),
                    "gate" => match cond(arg)?.0 {
                        Cond::Range(Interval {
                            from: Some(b),
                            to: None,
                        }) => gate = Some(b),
                        _ => {
                            return Err(err(
                                "gate takes >=X% or >X%",
                                "gate cần dạng >=X% hoặc >X%",
                            ))
                        }
                    },
                    "zero" => {
                        zero_denominator = match arg {
                            "zero" | "0" => ZeroDenominator::Zero,
                            "full" => ZeroDenominator::FullMarks,
                            "na" => ZeroDenominator::NotApplicable,
                            "invalid" => ZeroDenominator::Invalid,
                            _ => {
                                return Err(err(
                                    "zero takes zero, full, na or invalid",
                                    "zero cần một trong: zero, full, na, invalid",
                                ))
                            }
                        }
                    }
                    other => {
                        return Err(err(
                            &format!("unknown word \"{other}\""),
                            &format!("từ không hợp lệ \"{other}\""),
                        ))
                    }
                }
                i += 2;
            }
            Ok(Rule::Proportional {
                threshold_percent,
                gate,
                zero_denominator,
                numerator: None,
                denominator: None,
            })
        }
        "discretionary" | "cham_truc_tiep" => {
            let step = match (words.get(1), words.get(2)) {
                (Some(&"step"), Some(s)) => Some(bound_value(s)?.0),
                (None, _) => None,
                _ => return Err(err("write: discretionary step 0.25", "ghi: discretionary step 0.25")),
            };
            Ok(Rule::Discretionary { step })
        }
        "score" => Ok(Rule::Score { nominal: None }),
        "survey" => serde_json::from_str(r#"{"type":"survey"}"#).map_err(|e| e.to_string()),
        _ => Err(err(
            "unknown rule; use tiers, proportional, levels, yes_no, timeliness, deduct, deductions, discretionary, score, survey or json",
            "quy tắc không hợp lệ; dùng tiers, proportional, levels, yes_no, timeliness, deduct, deductions, discretionary, score, survey hoặc json",
        )),
    }
}

fn amt(points: Option<Decimal>, pct: Option<Decimal>) -> String {
    match (points, pct) {
        (Some(p), _) => p.normalize().to_string(),
        (None, Some(p)) => format!("{}%", p.normalize()),
        (None, None) => String::new(),
    }
}

fn level_items(levels: &[Level]) -> String {
    levels
        .iter()
        .map(|l| {
            let key = if l.key == slug(&l.label.vi) {
                String::new()
            } else {
                format!("[{}] ", l.key)
            };
            format!("{key}{}={}", l.label.vi, amt(l.points, l.percent_of_max))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn award_item(a: &Award) -> String {
    format!("{}={}", a.label.vi, amt(a.points, a.percent_of_max))
}

fn bound_text(b: Decimal, unit: &str) -> String {
    format!("{}{unit}", b.normalize())
}

fn range_text(i: &Interval, unit: &str) -> String {
    match (i.from, i.to) {
        (Some(a), Some(b)) if a == b && a.inclusive => format!("={}", bound_text(a.value, unit)),
        (Some(a), None) => format!(
            "{}{}",
            if a.inclusive { ">=" } else { ">" },
            bound_text(a.value, unit)
        ),
        (None, Some(b)) => format!(
            "{}{}",
            if b.inclusive { "<=" } else { "<" },
            bound_text(b.value, unit)
        ),
        (Some(a), Some(b)) => format!(
            "{}{},{}{}",
            if a.inclusive { "[" } else { "(" },
            bound_text(a.value, unit),
            bound_text(b.value, unit),
            if b.inclusive { "]" } else { ")" }
        ),
        (None, None) => "else".into(),
    }
}

fn write_plain(rule: &Rule, max: Option<Decimal>) -> Option<String> {
    Some(match rule {
        Rule::YesNo {
            conditions,
            yes,
            no,
        } if conditions.is_empty() => {
            let bare = yes.label == Text::new("Có", "Yes")
                && no.label == Text::new("Không", "No")
                && yes.points == max
                && no.points == Some(Decimal::ZERO);
            if bare {
                "yes_no".into()
            } else {
                format!("yes_no: {}; {}", award_item(yes), award_item(no))
            }
        }
        Rule::Timeliness {
            on_time,
            late,
            not_done,
        } => format!(
            "timeliness: {}; {}; {}",
            award_item(on_time),
            award_item(late),
            award_item(not_done)
        ),
        Rule::Levels { levels } => format!("levels: {}", level_items(levels)),
        Rule::Deductions { severities } => match severities.as_slice() {
            [one] if one.key == "incident" && one.label.vi == "Mỗi lần vi phạm" => {
                format!(
                    "deduct {} per incident",
                    amt(one.points, one.percent_of_max)
                )
            }
            _ => format!("deductions: {}", level_items(severities)),
        },
        Rule::Tiers { measure, tiers } => {
            let (head, unit) = match measure {
                Measure::Percent => ("tiers", "%"),
                Measure::Count => ("tiers count", ""),
                Measure::Number => ("tiers number", ""),
            };
            let items = tiers
                .iter()
                .map(|t| {
                    let label = if t.label.vi == t.range.describe(Lang::Vi, unit) {
                        String::new()
                    } else {
                        format!(" | {}", t.label.vi)
                    };
                    format!(
                        "{}: {}{label}",
                        range_text(&t.range, unit),
                        amt(t.points, t.percent_of_max)
                    )
                })
                .collect::<Vec<_>>()
                .join("; ");
            format!("{head}: {items}")
        }
        Rule::Proportional {
            threshold_percent,
            gate,
            zero_denominator,
            numerator: None,
            denominator: None,
        } => {
            let mut s = "proportional".to_owned();
            if let Some(t) = threshold_percent {
                s.push_str(&format!(" threshold {}%", t.normalize()));
            }
            if let Some(g) = gate {
                s.push_str(&format!(
                    " gate {}{}%",
                    if g.inclusive { ">=" } else { ">" },
                    g.value.normalize()
                ));
            }
            let z = match zero_denominator {
                ZeroDenominator::Zero => " zero zero",
                ZeroDenominator::FullMarks => " zero full",
                ZeroDenominator::NotApplicable => " zero na",
                ZeroDenominator::Invalid => "",
            };
            s.push_str(z);
            s
        }
        Rule::Discretionary { step: None } => "discretionary".into(),
        Rule::Discretionary { step: Some(s) } => format!("discretionary step {}", s.normalize()),
        Rule::Score { nominal: None } => "score".into(),
        Rule::Survey { .. } => "survey".into(),
        _ => return None,
    })
}

/// Writes a rule in the column syntax; falls back to `json: {…}` whenever the short
/// form would not read back as exactly the same rule (English labels, conditions…).
///
/// ```
/// use chiso::authoring::{parse_rule, rule_syntax};
/// let r = parse_rule("levels: Tốt=2,5; Không=0", Some("2.5".parse().unwrap())).unwrap();
/// assert_eq!(rule_syntax(&r, None), "levels: Tốt=2.5; Không=0");
/// ```
pub fn rule_syntax(rule: &Rule, max: Option<Decimal>) -> String {
    if let Some(s) = write_plain(rule, max) {
        if parse_rule(&s, max).ok().as_ref() == Some(rule) {
            return s;
        }
    }
    format!(
        "json: {}",
        serde_json::to_string(rule).unwrap_or_else(|_| "{}".into())
    )
}
