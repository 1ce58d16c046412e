//! Recognising the usual Vietnamese wording of scoring columns.
//!
//! "Hoàn thành 100% kế hoạch: 1 điểm; từ 80% đến dưới 100%: 0,5 điểm; dưới 80%: 0 điểm"
//! becomes tiers over a percent; "Ban hành kịp thời: 1 / không kịp thời: 0,5 / không ban
//! hành: 0" becomes a timeliness rule; "Đạt: 1 / Không đạt: 0" a yes/no rule; "mỗi văn
//! bản chậm trừ 0,25 điểm" a deduction; other labelled lists become levels.

use super::cell_text::{fold, read_number, slug, unique};
use super::syntax::{cascade, Cond};
use crate::diagnostics::Problem;
use crate::interval::{Bound, Interval};
use crate::rule::{Award, Level, Measure, Rule, Tier};
use crate::text::{Lang, Text};
use rust_decimal::Decimal;

/// What the wording gave.
#[derive(Debug, Clone, PartialEq)]
pub struct Recognised {
    /// The rule.
    pub rule: Rule,
    /// Readings to settle (ambiguous bounds).
    pub warnings: Vec<Problem>,
}

/// One "label: points" item of the wording.
#[derive(Debug, Clone)]
struct Item {
    label: String,
    folded: String,
    points: Option<Decimal>,
    percent: Option<Decimal>,
    deduction: bool,
}

/// Splits the wording into items at line breaks, ';' and '/' (not inside "3/[Tổng số]").
fn split_items(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut cur = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let split = match c {
            '\n' | '\r' | ';' => true,
            '/' => {
                let prev = chars[..i].iter().rev().find(|c| !c.is_whitespace());
                let next = chars[i + 1..].iter().find(|c| !c.is_whitespace());
                !(prev.is_some_and(|p| p.is_ascii_digit())
                    && next.is_some_and(|n| n.is_ascii_digit() || *n == '['))
            }
            _ => false,
        };
        if split {
            out.push(std::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
    }
    out.push(cur);
    out.into_iter()
        .map(|s| {
            s.trim()
                .trim_start_matches(['-', '+', '•', '*', '–'])
                .trim()
                .trim_end_matches(['.', ','])
                .trim()
                .to_owned()
        })
        .filter(|s| !s.is_empty())
        .collect()
}

/// Numbers in folded text: (start, end, value, followed by '%').
fn numbers(f: &str) -> Vec<(usize, usize, Decimal, bool)> {
    let b = f.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() {
            let s = i;
            while i < b.len()
                && (b[i].is_ascii_digit()
                    || ((b[i] == b',' || b[i] == b'.')
                        && b.get(i + 1).is_some_and(|c| c.is_ascii_digit())))
            {
                i += 1;
            }
            let mut j = i;
            while j < b.len() && b[j] == b' ' {
                j += 1;
            }
            let pct = b.get(j) == Some(&b'%');
            if let Ok(Some(v)) = read_number(&f[s..i]) {
                out.push((s, i, v, pct));
            }
        } else {
            i += 1;
        }
    }
    out
}

/// Reads the points at the end of an item: "…: 1 điểm", "… = 2,5", "… (0,5 điểm)",
/// "… trừ 0,25 điểm".
fn item(text: &str) -> Option<Item> {
    let folded = fold(text);
    // Deduction: "trừ X điểm" / "trừ X%".
    if let Some(pos) = folded.rfind("tru ") {
        let after = &folded[pos + 4..];
        if let Some((s, _, v, pct)) = numbers(after).first().copied() {
            if after[..s].trim().is_empty() {
                return Some(Item {
                    label: text.trim().to_owned(),
                    folded,
                    points: (!pct).then_some(v),
                    percent: pct.then_some(v),
                    deduction: true,
                });
            }
        }
    }
    let (label, tail): (String, String) = match text.rfind([':', '=']) {
        Some(p) => (text[..p].to_owned(), text[p + 1..].to_owned()),
        None => {
            // "… 1 điểm" / "… (1 điểm)" at the end.
            let t = text.trim_end_matches([')', ' ']);
            let f = fold(t);
            let f = f.strip_suffix("diem")?.trim_end();
            let (s, e, _, _) = numbers(f).last().copied()?;
            if e != f.len() {
                return None;
            }
            // fold keeps one char per char (except collapsed spaces), so count chars.
            let label_chars = f[..s].chars().count();
            let label: String = t.chars().take(label_chars).collect();
            let tail: String = t.chars().skip(label_chars).collect();
            (label, tail)
        }
    };
    let tf = fold(&tail);
    let tf = tf.trim().trim_end_matches('.').trim();
    let tf = tf
        .strip_suffix("diem")
        .map(str::trim_end)
        .unwrap_or(tf)
        .trim_start_matches(['(', ' '])
        .trim_end_matches([')', ' ']);
    let v = read_number(tf).ok().flatten()?;
    let label = label.trim().trim_end_matches(['(', '-', '–', ',']).trim();
    Some(Item {
        label: label.to_owned(),
        folded: fold(label),
        points: Some(v),
        percent: None,
        deduction: false,
    })
}

/// How a tier label bounds the number, with the bound a reader could take two ways.
struct Reading {
    cond: Cond,
    /// Upper bound of a "từ X - Y" / "từ X đến Y" range (inclusive by default).
    dash_upper: Option<Decimal>,
    /// A lone "đạt X%" read as "từ X% trở lên".
    lone: Option<Decimal>,
    percent: bool,
}

fn last_words(s: &str, n: usize) -> Vec<&str> {
    let w: Vec<&str> = s.split_whitespace().collect();
    w[w.len().saturating_sub(n)..].to_vec()
}

fn has_word(ws: &[&str], word: &str) -> bool {
    ws.contains(&word)
}

fn has_phrase(s: &str, p: &str) -> bool {
    format!(" {s} ").contains(&format!(" {p} "))
}

fn is_negative(f: &str) -> bool {
    ["khong", "chua"]
        .iter()
        .any(|w| f.split_whitespace().any(|x| x == *w))
}

fn read_bound(f: &str) -> Option<Reading> {
    let nums = numbers(f);
    let percent = nums.iter().any(|n| n.3);
    let Some(&(s0, e0, v0, _)) = nums.first() else {
        return is_negative(f).then_some(Reading {
            cond: Cond::Else,
            dash_upper: None,
            lone: None,
            percent: false,
        });
    };
    let pre = last_words(&f[..s0], 3);
    let strict_low = has_word(&pre, "tren") || has_word(&pre, "hon") || has_word(&pre, "vuot");
    if let Some(&(s1, _, v1, _)) = nums.get(1) {
        let between = f[e0..s1].replace('%', " ");
        let bt = between.trim();
        let ranged = bt.is_empty()
            || bt.starts_with('-')
            || bt.starts_with('–')
            || has_phrase(bt, "den")
            || has_phrase(bt, "toi")
            || bt.starts_with("den")
            || bt.starts_with("-");
        if ranged {
            let strict_up = has_phrase(bt, "duoi") || has_phrase(bt, "chua den");
            return Some(Reading {
                cond: Cond::Range(Interval {
                    from: Some(Bound {
                        value: v0,
                        inclusive: !strict_low,
                    }),
                    to: Some(Bound {
                        value: v1,
                        inclusive: !strict_up,
                    }),
                }),
                dash_upper: (!strict_up).then_some(v1),
                lone: None,
                percent,
            });
        }
    }
    let post = f[e0..].replace('%', " ");
    let post = post.trim();
    let up = |incl: bool| Interval {
        from: None,
        to: Some(Bound {
            value: v0,
            inclusive: incl,
        }),
    };
    let down = |incl: bool| Interval {
        from: Some(Bound {
            value: v0,
            inclusive: incl,
        }),
        to: None,
    };
    let (interval, lone) = if post.starts_with("tro len") {
        (down(!strict_low), None)
    } else if post.starts_with("tro xuong") {
        (up(true), None)
    } else if strict_low {
        (down(false), None)
    } else if has_word(&pre, "duoi") || has_phrase(&pre.join(" "), "it hon") {
        (up(false), None)
    } else if has_phrase(&pre.join(" "), "khong qua") || has_phrase(&pre.join(" "), "toi da") {
        (up(true), None)
    } else if has_word(&pre, "tu")
        || has_phrase(&pre.join(" "), "toi thieu")
        || (percent && v0 == Decimal::ONE_HUNDRED)
    {
        (down(true), None)
    } else if is_negative(f) {
        return None;
    } else {
        (down(true), Some(v0))
    };
    Some(Reading {
        cond: Cond::Range(interval),
        dash_upper: None,
        lone,
        percent,
    })
}

fn award(i: &Item) -> Award {
    Award {
        label: Text::new(i.label.clone(), ""),
        points: i.points,
        percent_of_max: i.percent,
    }
}

fn levels(items: &[Item]) -> Vec<Level> {
    let mut out: Vec<Level> = Vec::new();
    for i in items {
        let key = unique(&slug(&i.label), |k| out.iter().any(|l| l.key == k));
        out.push(Level {
            key,
            label: Text::new(i.label.clone(), ""),
            points: i.points,
            percent_of_max: i.percent,
        });
    }
    out
}

fn tiers(items: &[Item]) -> Option<Recognised> {
    let readings: Vec<Reading> = items
        .iter()
        .map(|i| read_bound(&i.folded))
        .collect::<Option<_>>()?;
    let percent = readings.iter().any(|r| r.percent);
    if !readings.iter().any(|r| matches!(r.cond, Cond::Range(_))) {
        return None;
    }
    let unit = if percent { "%" } else { "" };
    let mut conds: Vec<Cond> = readings.iter().map(|r| r.cond).collect();
    let mut warnings = Vec::new();
    // A "từ X - Y" upper bound Y that another tier starts at can be read two ways.
    for (k, r) in readings.iter().enumerate() {
        let Some(y) = r.dash_upper else { continue };
        let neighbour = readings.iter().enumerate().find_map(|(j, o)| match o.cond {
            Cond::Range(Interval { from: Some(b), .. }) if j != k && b.value == y => Some(b),
            _ => None,
        });
        if let Some(b) = neighbour {
            if b.inclusive {
                // "từ 90%" elsewhere: 90 cannot be in both; read "từ X - Y" as under Y.
                if let Cond::Range(i) = &mut conds[k] {
                    i.to = Some(Bound::excl(y));
                }
            }
            if let Cond::Range(i) = conds[k] {
                warnings.push(Problem::AmbiguousBound {
                    value: y,
                    reading: format!("\"{}\" = {}", items[k].label, i.describe(Lang::Vi, unit)),
                });
            }
        }
    }
    for (k, r) in readings.iter().enumerate() {
        if let (Some(v), Cond::Range(i)) = (r.lone, conds[k]) {
            warnings.push(Problem::AmbiguousBound {
                value: v,
                reading: format!("\"{}\" = {}", items[k].label, i.describe(Lang::Vi, unit)),
            });
        }
    }
    // Ranges as written must not overlap (else first match would hide it): check
    // explicit ranges pairwise before the cascade only resolves `Else` items.
    let explicit: Vec<Interval> = conds
        .iter()
        .filter_map(|c| match c {
            Cond::Range(i) => Some(*i),
            Cond::Else => None,
        })
        .collect();
    for a in 0..explicit.len() {
        for b in a + 1..explicit.len() {
            if crate::interval::overlaps(&explicit[a], &explicit[b]) {
                return None;
            }
        }
    }
    // Else items go last so they take what the others leave.
    let mut order: Vec<usize> = (0..conds.len()).collect();
    order.sort_by_key(|&k| matches!(conds[k], Cond::Else));
    let sorted: Vec<Cond> = order.iter().map(|&k| conds[k]).collect();
    let ranges = cascade(&sorted).ok()?;
    let mut tiers: Vec<Option<Tier>> = vec![None; items.len()];
    for (pos, &k) in order.iter().enumerate() {
        tiers[k] = Some(Tier {
            range: ranges[pos],
            label: Text::new(items[k].label.clone(), ""),
            points: items[k].points,
            percent_of_max: items[k].percent,
        });
    }
    let measure = if percent {
        Measure::Percent
    } else if readings.iter().all(|r| match r.cond {
        Cond::Range(i) => [i.from, i.to]
            .iter()
            .flatten()
            .all(|b| b.value.fract().is_zero()),
        Cond::Else => true,
    }) {
        Measure::Count
    } else {
        Measure::Number
    };
    Some(Recognised {
        rule: Rule::Tiers {
            measure,
            tiers: tiers.into_iter().flatten().collect(),
        },
        warnings,
    })
}

fn contains_any(f: &str, words: &[&str]) -> bool {
    words.iter().any(|w| has_phrase(f, w))
}

/// Recognises the usual Vietnamese wording of a scoring column; `None` when it is not
/// one of the known shapes (the caller then asks the author for a rule).
///
/// ```
/// use chiso::authoring::recognise;
/// use chiso::rule::Rule;
/// let r = recognise("Ban hành kịp thời: 1 / Ban hành không kịp thời: 0,5 / Không ban hành: 0", Some(1.into())).unwrap();
/// assert!(matches!(r.rule, Rule::Timeliness { .. }));
/// ```
pub fn recognise(text: &str, max: Option<Decimal>) -> Option<Recognised> {
    let items: Vec<Item> = split_items(text).iter().filter_map(|s| item(s)).collect();
    let pieces = split_items(text).len();
    if items.len() != pieces || items.is_empty() {
        return None;
    }
    let plain = |rule| {
        Some(Recognised {
            rule,
            warnings: Vec::new(),
        })
    };
    if items.iter().any(|i| i.deduction) {
        let (ded, other): (Vec<Item>, Vec<Item>) = items.iter().cloned().partition(|i| i.deduction);
        // A "no incident: full marks" item may stand beside the deductions.
        if other.iter().all(|o| o.points.is_some() && o.points == max) {
            return plain(Rule::Deductions {
                severities: levels(&ded),
            });
        }
        return None;
    }
    let any_number = items.iter().any(|i| !numbers(&i.folded).is_empty());
    if any_number {
        if let Some(t) = tiers(&items) {
            return Some(t);
        }
    }
    if items.len() == 3 {
        let on = contains_any(
            &items[0].folded,
            &[
                "kip thoi",
                "dung han",
                "dung thoi han",
                "dung thoi gian",
                "dung quy dinh",
            ],
        ) && !is_negative(&items[0].folded);
        let late = contains_any(
            &items[1].folded,
            &[
                "khong kip thoi",
                "cham",
                "qua han",
                "khong dung han",
                "khong dung thoi han",
                "khong dung thoi gian",
            ],
        );
        let none = is_negative(&items[2].folded);
        if on && late && none {
            return plain(Rule::Timeliness {
                on_time: award(&items[0]),
                late: award(&items[1]),
                not_done: award(&items[2]),
            });
        }
    }
    if items.len() == 2
        && !is_negative(&items[0].folded)
        && is_negative(&items[1].folded)
        && items[0].points > items[1].points
    {
        return plain(Rule::YesNo {
            conditions: Vec::new(),
            yes: award(&items[0]),
            no: award(&items[1]),
        });
    }
    if items.len() >= 2 {
        return plain(Rule::Levels {
            levels: levels(&items),
        });
    }
    None
}
