//! [`Rule`] and [`Aggregation`] read by hand from the JSON value, for the browser's form
//! module (feature `lean`; `model/lean.rs` reads a node's `rule` and `aggregation` here).
//!
//! serde derives an internally tagged enum (`#[serde(tag = "type")]`) by first buffering
//! the whole object in its private `Content` tree (the tag may come last) and then reading
//! the variant from that buffer, so every type under a rule (awards, tiers, levels, texts,
//! decimals, intervals …) is compiled a second time for the buffer's deserializer. Here,
//! on `model/lean.rs`'s pattern, the tag is read first (as the derived visitor finds it
//! before it reads any field), then the variant's members are walked in key order with
//! [`Members`] (passing over the tag), the value built with its defaults first and the
//! required fields checked from a bit mask after the members; the structs under a rule
//! (awards, levels, tiers, conditions, survey options) are plain functions too.
//!
//! The derived implementations stay (the JSON Schema, the native readers and the tests use
//! them); these functions give what they give through the untracked deserializer — the
//! same values and the same messages: the tag missing, of the wrong kind or unknown; a
//! field of the wrong kind, an unknown field at its place in key order, a missing field in
//! declaration order — except that an array given for a struct is paired with its field
//! names (as the untracked deserializer pairs one), so an array of the wrong length names
//! the missing field or "fewer elements in array" where the derived reader, reading the
//! buffered array by position, counts its length. `model/lean/tests.rs` compares both on
//! every shipped rule and aggregation and their malformed neighbours.

use super::{entered, Award, Condition, Level, Rule, SurveyOption, Tier};
use crate::json::untracked::{fields, invalid_type, Error};
use crate::model::lean::{bound, de, interval, list, option, text, Members};
use crate::node::Aggregation;
use crate::text::Text;
use serde::de::Error as _;
use serde_json::Value as Json;

/// The JSON `type` of each [`Rule`] variant, in declaration order.
const RULE_TYPES: &[&str] = &[
    "yes_no",
    "timeliness",
    "tiers",
    "proportional",
    "levels",
    "deductions",
    "discretionary",
    "survey",
    "score",
];

/// The fields of each [`Rule`] variant, in [`RULE_TYPES`] order.
const RULE_FIELDS: [&[&str]; 9] = [
    &["conditions", "yes", "no"],
    &["on_time", "late", "not_done"],
    &["measure", "tiers"],
    &[
        "threshold_percent",
        "gate",
        "zero_denominator",
        "numerator",
        "denominator",
    ],
    &["levels"],
    &["severities"],
    &["step"],
    &["options"],
    &["nominal"],
];

/// The JSON `method` of each [`Aggregation`] variant.
const METHODS: &[&str] = &["sum", "weighted_sum", "weighted_mean"];

/// The fields of each [`Aggregation`] variant, in [`METHODS`] order.
const METHOD_FIELDS: [&[&str]; 3] = [
    &["rescale_to_max"],
    &["weights", "rescale_to_max"],
    &["weights", "rescale_to_max"],
];

/// The variant of an internally tagged enum (`expecting`: `"internally tagged enum
/// Rule"`) and its members: the tag under `tag` is read first, as the derived visitor
/// reads it while buffering the object (no other member can fail there); an array holds
/// the tag first, then the variant's fields in order.
fn tagged(
    v: Json,
    tag: &'static str,
    kinds: &'static [&'static str],
    names: &[&'static [&'static str]],
    expecting: &'static str,
) -> Result<(usize, Members), Error> {
    let kind = |t: &Json| match t {
        Json::String(s) => kinds
            .iter()
            .position(|k| k == s)
            .ok_or_else(|| Error::unknown_variant(s, kinds)),
        other => Err(invalid_type(other, &"variant identifier")),
    };
    match v {
        Json::Object(m) => {
            let k = kind(m.get(tag).ok_or_else(|| Error::missing_field(tag))?)?;
            Ok((k, Members::map(m, names[k], Some(tag))))
        }
        Json::Array(items) => {
            let mut items = items.into_iter();
            let k = kind(&items.next().ok_or_else(|| Error::missing_field(tag))?)?;
            let m = fields(items.collect(), names[k])?;
            Ok((k, Members::map(m, names[k], None)))
        }
        other => Err(invalid_type(&other, &expecting)),
    }
}

/// An award, level or tier's label and points, defaults first.
fn award_parts() -> (Text, Option<crate::Decimal>, Option<crate::Decimal>) {
    (Text::default(), None, None)
}

const AWARD: &[&str] = &["label", "points", "percent_of_max"];

/// An [`Award`].
fn award(v: Json) -> Result<Award, Error> {
    let mut m = Members::of(v, "struct Award", AWARD)?;
    let (label, points, percent_of_max) = award_parts();
    let mut a = Award {
        label,
        points,
        percent_of_max,
    };
    while let Some((i, v)) = m.next()? {
        match i {
            0 => a.label = text(v)?,
            1 => a.points = de(v)?,
            _ => a.percent_of_max = de(v)?,
        }
    }
    m.end(0b1)?;
    Ok(a)
}

const LEVEL: &[&str] = &["key", "label", "points", "percent_of_max"];

/// A [`Level`] (of a levels rule, or a severity of deductions).
fn level(v: Json) -> Result<Level, Error> {
    let mut m = Members::of(v, "struct Level", LEVEL)?;
    let (label, points, percent_of_max) = award_parts();
    let mut l = Level {
        key: String::new(),
        label,
        points,
        percent_of_max,
    };
    while let Some((i, v)) = m.next()? {
        match i {
            0 => l.key = de(v)?,
            1 => l.label = text(v)?,
            2 => l.points = de(v)?,
            _ => l.percent_of_max = de(v)?,
        }
    }
    m.end(0b11)?;
    Ok(l)
}

const TIER: &[&str] = &["range", "label", "points", "percent_of_max"];

/// A [`Tier`].
fn tier(v: Json) -> Result<Tier, Error> {
    let mut m = Members::of(v, "struct Tier", TIER)?;
    let (label, points, percent_of_max) = award_parts();
    let mut t = Tier {
        range: Default::default(),
        label,
        points,
        percent_of_max,
    };
    while let Some((i, v)) = m.next()? {
        match i {
            0 => t.range = interval(v)?,
            1 => t.label = text(v)?,
            2 => t.points = de(v)?,
            _ => t.percent_of_max = de(v)?,
        }
    }
    m.end(0b11)?;
    Ok(t)
}

const CONDITION: &[&str] = &["key", "label"];

/// A [`Condition`] of a yes/no rule.
fn condition(v: Json) -> Result<Condition, Error> {
    let mut m = Members::of(v, "struct Condition", CONDITION)?;
    let mut c = Condition {
        key: String::new(),
        label: Text::default(),
    };
    while let Some((i, v)) = m.next()? {
        match i {
            0 => c.key = de(v)?,
            _ => c.label = text(v)?,
        }
    }
    m.end(0b11)?;
    Ok(c)
}

const SURVEY_OPTION: &[&str] = &["key", "percent", "label"];

/// A [`SurveyOption`].
fn survey_option(v: Json) -> Result<SurveyOption, Error> {
    let mut m = Members::of(v, "struct SurveyOption", SURVEY_OPTION)?;
    let mut o = SurveyOption {
        key: String::new(),
        percent: Default::default(),
        label: None,
    };
    while let Some((i, v)) = m.next()? {
        match i {
            0 => o.key = de(v)?,
            1 => o.percent = de(v)?,
            _ => o.label = option(v, text)?,
        }
    }
    m.end(0b11)?;
    Ok(o)
}

/// The placeholder of a required award until its member is read.
fn no_award() -> Award {
    let (label, points, percent_of_max) = award_parts();
    Award {
        label,
        points,
        percent_of_max,
    }
}

/// A [`Rule`], as the derived impl reads it through the untracked deserializer.
pub(crate) fn rule(v: Json) -> Result<Rule, Error> {
    let (k, mut m) = tagged(
        v,
        "type",
        RULE_TYPES,
        &RULE_FIELDS,
        "internally tagged enum Rule",
    )?;
    // The variant with its defaults (and placeholders for its required fields).
    let (mut r, required) = match k {
        0 => (
            Rule::YesNo {
                conditions: Vec::new(),
                yes: no_award(),
                no: no_award(),
            },
            0b110,
        ),
        1 => (
            Rule::Timeliness {
                on_time: no_award(),
                late: no_award(),
                not_done: no_award(),
            },
            0b111,
        ),
        2 => (
            Rule::Tiers {
                measure: super::Measure::Percent,
                tiers: Vec::new(),
            },
            0b11,
        ),
        3 => (
            Rule::Proportional {
                threshold_percent: None,
                gate: None,
                zero_denominator: super::ZeroDenominator::Zero,
                numerator: None,
                denominator: None,
            },
            0b100,
        ),
        4 => (Rule::Levels { levels: Vec::new() }, 0b1),
        5 => (
            Rule::Deductions {
                severities: Vec::new(),
            },
            0b1,
        ),
        6 => (Rule::Discretionary { step: None }, 0),
        7 => (
            Rule::Survey {
                options: entered::default_survey_options(),
            },
            0,
        ),
        _ => (Rule::Score { nominal: None }, 0),
    };
    while let Some((i, v)) = m.next()? {
        match (&mut r, i) {
            (Rule::YesNo { conditions, .. }, 0) => *conditions = list(v, condition)?,
            (Rule::YesNo { yes, .. }, 1) => *yes = award(v)?,
            (Rule::YesNo { no, .. }, _) => *no = award(v)?,
            (Rule::Timeliness { on_time, .. }, 0) => *on_time = award(v)?,
            (Rule::Timeliness { late, .. }, 1) => *late = award(v)?,
            (Rule::Timeliness { not_done, .. }, _) => *not_done = award(v)?,
            (Rule::Tiers { measure, .. }, 0) => *measure = de(v)?,
            (Rule::Tiers { tiers, .. }, _) => *tiers = list(v, tier)?,
            (
                Rule::Proportional {
                    threshold_percent, ..
                },
                0,
            ) => *threshold_percent = de(v)?,
            (Rule::Proportional { gate, .. }, 1) => *gate = option(v, bound)?,
            (
                Rule::Proportional {
                    zero_denominator, ..
                },
                2,
            ) => *zero_denominator = de(v)?,
            (Rule::Proportional { numerator, .. }, 3) => *numerator = option(v, text)?,
            (Rule::Proportional { denominator, .. }, _) => *denominator = option(v, text)?,
            (Rule::Levels { levels }, _) => *levels = list(v, level)?,
            (Rule::Deductions { severities }, _) => *severities = list(v, level)?,
            (Rule::Discretionary { step }, _) => *step = de(v)?,
            (Rule::Survey { options }, _) => *options = list(v, survey_option)?,
            (Rule::Score { nominal }, _) => *nominal = option(v, interval)?,
        }
    }
    m.end(required)?;
    Ok(r)
}

/// An [`Aggregation`], as the derived impl reads it through the untracked deserializer.
pub(crate) fn aggregation(v: Json) -> Result<Aggregation, Error> {
    let (k, mut m) = tagged(
        v,
        "method",
        METHODS,
        &METHOD_FIELDS,
        "internally tagged enum Aggregation",
    )?;
    let (mut weights, mut rescale_to_max) = (Default::default(), false);
    while let Some((i, v)) = m.next()? {
        match (k, i) {
            (0, _) | (_, 1) => rescale_to_max = de(v)?,
            _ => weights = de(v)?,
        }
    }
    m.end(u32::from(k > 0))?;
    Ok(match k {
        0 => Aggregation::Sum { rescale_to_max },
        1 => Aggregation::WeightedSum {
            weights,
            rescale_to_max,
        },
        _ => Aggregation::WeightedMean {
            weights,
            rescale_to_max,
        },
    })
}

/// The survey options a `survey` rule without `options` gets.
#[cfg(test)]
pub(crate) fn default_options() -> Vec<SurveyOption> {
    entered::default_survey_options()
}
