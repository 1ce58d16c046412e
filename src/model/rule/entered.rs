//! The entered-value kinds: a survey result (answers, a percent or a score) and a score
//! supplied as such.

use super::{
    both, need_max, non_negative, overflow, percent_range, scored, share,
    words::{num, pts},
    wrong, Outcome, Problem,
};
use crate::assessment::{Value, ValueKind};
use crate::interval::{Bound, Interval};
use crate::text::{Lang, Text};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// An answer option of a survey question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SurveyOption {
    /// Option key, e.g. `A`.
    pub key: String,
    /// Percent of the maximum this answer is worth.
    pub percent: Decimal,
    /// Wording of the answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<Text>,
}

pub(super) fn default_survey_options() -> Vec<SurveyOption> {
    [("A", 100), ("B", 60), ("C", 20), ("D", 0)]
        .into_iter()
        .map(|(k, p)| SurveyOption {
            key: k.into(),
            percent: Decimal::from(p),
            label: None,
        })
        .collect()
}

/// Scores a `survey` rule: answers per option (their mean percent × max), a survey
/// percent, or a survey score.
pub(super) fn survey(
    options: &[SurveyOption],
    accepts: &'static [ValueKind],
    max: Option<Decimal>,
    v: &Value,
    explain: bool,
) -> Result<Outcome, Problem> {
    let m = need_max(max)?;
    match v {
        Value::Answers(answers) => {
            let mut n = Decimal::ZERO;
            let mut weighted = Decimal::ZERO;
            for (k, c) in answers {
                let opt =
                    options
                        .iter()
                        .find(|o| &o.key == k)
                        .ok_or_else(|| Problem::UnknownOption {
                            option: k.clone(),
                            allowed: options.iter().map(|o| o.key.clone()).collect(),
                        })?;
                non_negative(*c, "answers / số phiếu")?;
                let what = "answers × percent / số phiếu × tỷ lệ %";
                n = n.checked_add(*c).ok_or_else(|| overflow(what))?;
                weighted = opt
                    .percent
                    .checked_mul(*c)
                    .and_then(|x| x.checked_add(weighted))
                    .ok_or_else(|| overflow(what))?;
            }
            if n.is_zero() {
                return Err(Problem::NoAnswers);
            }
            let mean = weighted
                .checked_div(n)
                .ok_or_else(|| overflow("answers × percent / số phiếu × tỷ lệ %"))?;
            let p = share(
                m,
                mean,
                "mean percent × maximum / tỷ lệ bình quân × điểm tối đa",
            )?;
            let dist = || {
                answers
                    .iter()
                    .map(|(k, c)| format!("{k}: {}", num(*c, Lang::En)))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            scored(
                p,
                both(explain, |l| match l {
                    Lang::Vi => format!(
                        "{} phiếu ({}); tỷ lệ bình quân {}% × {} → {}",
                        num(n, l),
                        dist(),
                        num(mean, l),
                        num(m, l),
                        pts(p, l)
                    ),
                    Lang::En => format!(
                        "{} answers ({}); mean {}% × {} → {}",
                        num(n, l),
                        dist(),
                        num(mean, l),
                        num(m, l),
                        pts(p, l)
                    ),
                }),
            )
        }
        Value::Percent(pc) => {
            if !percent_range().contains(*pc) {
                return Err(Problem::OutOfRange {
                    value: *pc,
                    range: percent_range().describe(Lang::Vi, "%"),
                });
            }
            let p = share(m, *pc, "percent × maximum / tỷ lệ % × điểm tối đa")?;
            scored(
                p,
                both(explain, |l| match l {
                    Lang::Vi => format!(
                        "kết quả điều tra {}% × {} → {}",
                        num(*pc, l),
                        num(m, l),
                        pts(p, l)
                    ),
                    Lang::En => format!(
                        "survey result {}% × {} → {}",
                        num(*pc, l),
                        num(m, l),
                        pts(p, l)
                    ),
                }),
            )
        }
        Value::Points(p) => {
            let range = Interval {
                from: Some(Bound::incl(Decimal::ZERO)),
                to: Some(Bound::incl(m)),
            };
            if !range.contains(*p) {
                return Err(Problem::OutOfRange {
                    value: *p,
                    range: range.describe(Lang::Vi, ""),
                });
            }
            scored(
                *p,
                both(explain, |l| match l {
                    Lang::Vi => format!("điểm điều tra xã hội học → {}", pts(*p, l)),
                    Lang::En => format!("survey score → {}", pts(*p, l)),
                }),
            )
        }
        other => Err(wrong(accepts, other)),
    }
}

/// Scores a `score` rule: the number as such, in [0, max] when the node has a maximum.
pub(super) fn score(max: Option<Decimal>, x: &Decimal, explain: bool) -> Result<Outcome, Problem> {
    if let Some(m) = max {
        let range = Interval {
            from: Some(Bound::incl(Decimal::ZERO)),
            to: Some(Bound::incl(m)),
        };
        if !range.contains(*x) {
            return Err(Problem::OutOfRange {
                value: *x,
                range: range.describe(Lang::Vi, ""),
            });
        }
    }
    scored(
        *x,
        both(explain, |l| match l {
            Lang::Vi => format!("điểm được công bố/nhập trực tiếp → {}", pts(*x, l)),
            Lang::En => format!("score supplied as such → {}", pts(*x, l)),
        }),
    )
}
