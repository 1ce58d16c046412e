//! Checks of a survey definition: the answer-sheet columns, the scale, and the weights
//! of blocks and components (each problem a located [`Diagnostic`]).

use super::*;

pub(super) fn check_columns(def: &Questionnaire, d: &mut Diagnostics) {
    let c = &def.columns;
    let named = [
        ("respondent", &c.respondent),
        ("unit", &c.unit),
        ("stratum", &c.stratum),
        ("weight", &c.weight),
    ];
    for (i, (field, name)) in named.iter().enumerate() {
        if name.trim().is_empty() {
            d.push(err(
                format!("$.columns.{field}"),
                None,
                Problem::Empty {
                    what: format!("column name / tên cột ({field})"),
                },
            ));
        } else if named[..i].iter().any(|(_, other)| other == name) {
            d.push(err(
                format!("$.columns.{field}"),
                None,
                Problem::DuplicateKey {
                    key: (*name).clone(),
                },
            ));
        }
    }
}

/// Checks the scale; returns (values by position, satisfied by position, position of value).
pub(super) fn check_scale(
    def: &Questionnaire,
    d: &mut Diagnostics,
) -> (Vec<u16>, Vec<bool>, Vec<u8>) {
    let s = &def.scale;
    let mut position_of = vec![0u8; usize::from(MAX_SCALE_VALUE) + 1];
    let mut values = Vec::new();
    if s.options.is_empty() {
        d.push(err(
            "$.scale.options",
            None,
            Problem::Empty {
                what: "options".into(),
            },
        ));
    }
    if s.options.len() > MAX_SCALE_OPTIONS {
        d.push(err(
            "$.scale.options",
            None,
            Problem::TooManyNodes {
                limit: MAX_SCALE_OPTIONS,
            },
        ));
        return (values, Vec::new(), position_of);
    }
    for (i, o) in s.options.iter().enumerate() {
        let path = format!("$.scale.options[{i}].value");
        if o.value > MAX_SCALE_VALUE {
            d.push(err(
                path,
                None,
                Problem::OutOfRange {
                    value: o.value.into(),
                    range: format!("từ 0 đến {MAX_SCALE_VALUE}"),
                },
            ));
        } else if position_of[usize::from(o.value)] != 0 {
            d.push(err(
                path,
                None,
                Problem::DuplicateKey {
                    key: o.value.to_string(),
                },
            ));
        } else {
            values.push(o.value);
            // At most MAX_SCALE_OPTIONS (20) positions: fits a byte.
            position_of[usize::from(o.value)] = values.len() as u8;
        }
    }
    let mut satisfied = vec![false; values.len()];
    if s.satisfied.is_empty() {
        d.push(err(
            "$.scale.satisfied",
            None,
            Problem::Empty {
                what: "satisfied values / các mức được tính là hài lòng (satisfied)".into(),
            },
        ));
    }
    for (i, v) in s.satisfied.iter().enumerate() {
        let pos = position_of.get(usize::from(*v)).copied().filter(|p| *p > 0);
        match pos {
            Some(p) if satisfied[usize::from(p) - 1] => d.push(err(
                format!("$.scale.satisfied[{i}]"),
                None,
                Problem::DuplicateKey { key: v.to_string() },
            )),
            Some(p) => satisfied[usize::from(p) - 1] = true,
            None => d.push(err(
                format!("$.scale.satisfied[{i}]"),
                None,
                Problem::UnknownOption {
                    option: v.to_string(),
                    allowed: values.iter().map(u16::to_string).collect(),
                },
            )),
        }
    }
    for (i, code) in s.no_answer_codes.iter().enumerate() {
        let t = code.trim();
        let path = format!("$.scale.no_answer_codes[{i}]");
        if t.is_empty() {
            d.push(err(
                path,
                None,
                Problem::Empty {
                    what: "no-answer code / mã không trả lời".into(),
                },
            ));
        } else if t
            .parse::<u16>()
            .ok()
            .is_some_and(|v| position_of.get(usize::from(v)).is_some_and(|p| *p > 0))
        {
            d.push(err(
                path,
                None,
                Problem::Overlap {
                    first: "no-answer codes / mã không trả lời".into(),
                    second: "scale values / các mức của thang đo".into(),
                    both: t.into(),
                },
            ));
        } else if s.no_answer_codes[..i].iter().any(|c| c.trim() == t) {
            d.push(err(path, None, Problem::DuplicateKey { key: t.into() }));
        }
    }
    (values, satisfied, position_of)
}

/// Resolves a weighting over `children` (code, item count); `None` = not used.
pub(super) fn resolve(
    w: Option<&Weighting>,
    children: &[(&str, usize)],
    path: &str,
    d: &mut Diagnostics,
) -> Vec<Decimal> {
    match w {
        None | Some(Weighting::Equal) => vec![Decimal::ONE; children.len()],
        Some(Weighting::ItemCount) => children
            .iter()
            .map(|(_, n)| Decimal::from(*n as u64))
            .collect(),
        Some(Weighting::Declared(map)) => children
            .iter()
            .map(|(code, _)| match map.get(*code) {
                Some(w) if *w > crate::rule::INPUT_LIMIT => {
                    d.push(err(
                        format!("{path}.declared.{code}"),
                        Some(code),
                        Problem::TooLarge {
                            value: *w,
                            limit: crate::rule::INPUT_LIMIT,
                        },
                    ));
                    Decimal::ONE
                }
                Some(w) if *w > Decimal::ZERO => *w,
                Some(w) => {
                    d.push(err(
                        format!("{path}.declared.{code}"),
                        Some(code),
                        Problem::WeightNotPositive {
                            child: (*code).into(),
                            weight: *w,
                        },
                    ));
                    Decimal::ONE
                }
                None => {
                    d.push(err(
                        format!("{path}.declared"),
                        Some(code),
                        Problem::WeightMissing {
                            child: (*code).into(),
                        },
                    ));
                    Decimal::ONE
                }
            })
            .collect(),
    }
}
