//! `set_parameter`: one rule parameter changed in place, checked against the rule.

use super::*;

pub(super) fn set_parameter(rule: &mut Rule, p: &Parameter) -> Result<bool, Problem> {
    let not_in = || Problem::ParameterNotInRule {
        parameter: p.name().into(),
        rule: rule_type(rule).into(),
    };
    let err = not_in();
    let changed = match (rule, p) {
        (
            Rule::Proportional {
                threshold_percent, ..
            },
            Parameter::ThresholdPercent { value },
        ) => {
            let old = threshold_percent.unwrap_or(Decimal::ONE_HUNDRED);
            *threshold_percent = Some(*value);
            old != *value
        }
        (Rule::Proportional { gate, .. }, Parameter::Gate { bound }) => {
            let same = *gate == *bound;
            *gate = *bound;
            !same
        }
        (Rule::Tiers { tiers, .. }, Parameter::TierBound { tier, end, bound }) => {
            let count = tiers.len();
            let t = tiers
                .get_mut(*tier)
                .ok_or(Problem::NoSuchTier { tier: *tier, count })?;
            let slot = match end {
                End::From => &mut t.range.from,
                End::To => &mut t.range.to,
            };
            let old = *slot;
            *slot = *bound;
            // The neighbouring tier that shares the old bound (its opposite end, with
            // the complementary inclusivity) moves with it.
            if let (Some(o), Some(n)) = (old, *bound) {
                let shared = Some(Bound {
                    value: o.value,
                    inclusive: !o.inclusive,
                });
                for (k, other) in tiers.iter_mut().enumerate() {
                    let opposite = match end {
                        End::From => &mut other.range.to,
                        End::To => &mut other.range.from,
                    };
                    if k != *tier && *opposite == shared {
                        *opposite = Some(Bound {
                            value: n.value,
                            inclusive: !n.inclusive,
                        });
                    }
                }
            }
            old != *bound
        }
        (Rule::Tiers { tiers, .. }, Parameter::TierPoints { tier, points }) => {
            let count = tiers.len();
            let t = tiers
                .get_mut(*tier)
                .ok_or(Problem::NoSuchTier { tier: *tier, count })?;
            set_fixed(&mut t.points, &mut t.percent_of_max, *points)
        }
        (
            Rule::Levels { levels: list, .. } | Rule::Deductions { severities: list },
            Parameter::OptionPoints { key, points },
        ) => {
            let l = keyed(list, key, |l| &l.key)?;
            set_fixed(&mut l.points, &mut l.percent_of_max, *points)
        }
        (
            Rule::Timeliness {
                on_time,
                late,
                not_done,
            },
            Parameter::OptionPoints { key, points },
        ) => {
            let a = named_award(
                key,
                [("on_time", on_time), ("late", late), ("not_done", not_done)],
            )?;
            set_fixed(&mut a.points, &mut a.percent_of_max, *points)
        }
        (Rule::YesNo { yes, no, .. }, Parameter::OptionPoints { key, points }) => {
            let a = named_award(key, [("yes", yes), ("no", no)])?;
            set_fixed(&mut a.points, &mut a.percent_of_max, *points)
        }
        (Rule::Survey { options }, Parameter::OptionPoints { key, points }) => {
            let o = keyed(options, key, |o| &o.key)?;
            let same = o.percent == *points;
            o.percent = *points;
            !same
        }
        (Rule::Discretionary { step }, Parameter::Step { value }) => {
            let same = *step == Some(*value);
            *step = Some(*value);
            !same
        }
        _ => return Err(err),
    };
    Ok(changed)
}

/// Sets fixed points and drops any percent of the maximum; true when that changed the rule.
pub(super) fn set_fixed(
    points: &mut Option<Decimal>,
    percent_of_max: &mut Option<Decimal>,
    value: Decimal,
) -> bool {
    let same = *points == Some(value) && percent_of_max.is_none();
    *points = Some(value);
    *percent_of_max = None;
    !same
}

/// The item whose key is `key`, or which keys are allowed.
pub(super) fn keyed<'a, T>(
    items: &'a mut [T],
    key: &str,
    key_of: fn(&T) -> &String,
) -> Result<&'a mut T, Problem> {
    let allowed = items.iter().map(|i| key_of(i).clone()).collect();
    items
        .iter_mut()
        .find(|i| key_of(i) == key)
        .ok_or(Problem::UnknownOption {
            option: key.to_owned(),
            allowed,
        })
}

/// The award named `key` among a rule's fixed outcomes, or which names are allowed.
pub(super) fn named_award<'a, const N: usize>(
    key: &str,
    named: [(&str, &'a mut Award); N],
) -> Result<&'a mut Award, Problem> {
    let allowed = named.iter().map(|(n, _)| (*n).to_owned()).collect();
    named
        .into_iter()
        .find(|(n, _)| *n == key)
        .map(|(_, a)| a)
        .ok_or(Problem::UnknownOption {
            option: key.to_owned(),
            allowed,
        })
}
