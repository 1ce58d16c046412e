//! The most points a rule can award: what validation compares with a leaf's maximum, and
//! counts for a leaf that declares none.

use super::{award_points, Rule};
use rust_decimal::Decimal;

impl Rule {
    /// The most points the rule can award on a node whose maximum is `max`: the best
    /// outcome of a yes/no, timeliness, levels or tiers rule; for a discretionary rule on a
    /// step, the largest multiple of the step up to the maximum; the maximum itself for the
    /// rules that reach it (proportional, deductions, survey, a score with a maximum).
    /// `None` when nothing bounds the points (a `score` without a maximum) or an award
    /// cannot be computed (an error validation reports).
    ///
    /// Validation uses it twice: a leaf whose rule can never reach its maximum is an error,
    /// and a leaf without a maximum counts for what its rule can award when its parent's
    /// maximum is checked.
    ///
    /// ```
    /// use chiso::rule::Rule;
    /// let levels: Rule = serde_json::from_str(r#"{"type":"levels","levels":[
    ///   {"key":"tot","label":{"vi":"Tốt"},"points":"2.5"},
    ///   {"key":"du","label":{"vi":"Đầy đủ"},"percent_of_max":"50"}]}"#).unwrap();
    /// assert_eq!(levels.most_points(Some(3.into())), Some("2.5".parse().unwrap()));
    /// // 0.3, 0.6, 0.9: a step of 0.3 never reaches a maximum of 1.
    /// let step: Rule = serde_json::from_str(r#"{"type":"discretionary","step":"0.3"}"#).unwrap();
    /// assert_eq!(step.most_points(Some(1.into())), Some("0.9".parse().unwrap()));
    /// let score: Rule = serde_json::from_str(r#"{"type":"score"}"#).unwrap();
    /// assert_eq!(score.most_points(None), None);
    /// ```
    pub fn most_points(&self, max: Option<Decimal>) -> Option<Decimal> {
        let best = |awards: Vec<(Option<Decimal>, Option<Decimal>)>| {
            let mut top: Option<Decimal> = None;
            for (p, pc) in awards {
                let x = award_points(p, pc, max).ok()?;
                top = Some(top.map_or(x, |t| t.max(x)));
            }
            top
        };
        match self {
            Rule::YesNo { yes, no, .. } => best(vec![
                (yes.points, yes.percent_of_max),
                (no.points, no.percent_of_max),
            ]),
            Rule::Timeliness {
                on_time,
                late,
                not_done,
            } => best(
                [on_time, late, not_done]
                    .iter()
                    .map(|a| (a.points, a.percent_of_max))
                    .collect(),
            ),
            Rule::Levels { levels } => best(
                levels
                    .iter()
                    .map(|l| (l.points, l.percent_of_max))
                    .collect(),
            ),
            Rule::Tiers { tiers, .. } => {
                best(tiers.iter().map(|t| (t.points, t.percent_of_max)).collect())
            }
            Rule::Discretionary { step: Some(s) } if *s > Decimal::ZERO => {
                let m = max?;
                m.checked_rem(*s).map(|r| m - r)
            }
            Rule::Discretionary { .. }
            | Rule::Proportional { .. }
            | Rule::Deductions { .. }
            | Rule::Survey { .. }
            | Rule::Score { .. } => max,
        }
    }
}
