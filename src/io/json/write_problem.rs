//! [`Problem`] as JSON, field by field in declaration order, as its derived `Serialize`
//! writes it (`{"type":"<tag>",…}`), one arm per variant (first written by a script from
//! the enum's declaration). A new variant or field fails to compile here (the patterns
//! name every field); `tests_write.rs` checks every variant against `serde_json`.

use super::{push_decimal, push_i128, push_str as s, push_u128};
use crate::assessment::ValueKind;
use crate::diagnostics::Problem;

fn strings(o: &mut String, v: &[String]) {
    o.push('[');
    for (i, x) in v.iter().enumerate() {
        if i > 0 {
            o.push(',');
        }
        s(o, x);
    }
    o.push(']');
}

fn kinds(o: &mut String, v: &[ValueKind]) {
    o.push('[');
    for (i, &k) in v.iter().enumerate() {
        if i > 0 {
            o.push(',');
        }
        s(o, k.key());
    }
    o.push(']');
}

fn opt_str(o: &mut String, v: Option<&str>) {
    match v {
        Some(x) => s(o, x),
        None => o.push_str("null"),
    }
}

/// `p` as its derived `Serialize` writes it.
pub(crate) fn problem(o: &mut String, p: &Problem) {
    o.push_str("{\"type\":");
    s(o, p.tag());
    match p {
        Problem::MissingColumns { missing } => {
            o.push_str(",\"missing\":");
            strings(o, missing);
        }
        Problem::UnreadableCode { text } => {
            o.push_str(",\"text\":");
            s(o, text);
        }
        Problem::UnreadableNumber { text } => {
            o.push_str(",\"text\":");
            s(o, text);
        }
        Problem::RuleSyntax { text, detail } => {
            o.push_str(",\"text\":");
            s(o, text);
            o.push_str(",\"detail\":");
            s(o, detail);
        }
        Problem::AmbiguousBound { value, reading } => {
            o.push_str(",\"value\":");
            push_decimal(o, *value);
            o.push_str(",\"reading\":");
            s(o, reading);
        }
        Problem::WordingNotRecognised { text } => {
            o.push_str(",\"text\":");
            s(o, text);
        }
        Problem::UnreadableValue { text, detail } => {
            o.push_str(",\"text\":");
            s(o, text);
            o.push_str(",\"detail\":");
            s(o, detail);
        }
        Problem::Io { detail } => {
            o.push_str(",\"detail\":");
            s(o, detail);
        }
        Problem::Syntax {
            line,
            column,
            detail,
        } => {
            o.push_str(",\"line\":");
            push_u128(o, *line as u128);
            o.push_str(",\"column\":");
            push_u128(o, *column as u128);
            o.push_str(",\"detail\":");
            s(o, detail);
        }
        Problem::Structure { detail } => {
            o.push_str(",\"detail\":");
            s(o, detail);
        }
        Problem::WrongFormat { expected, found } => {
            o.push_str(",\"expected\":");
            s(o, expected);
            o.push_str(",\"found\":");
            s(o, found);
        }
        Problem::EmptyCode => {}
        Problem::DuplicateCode { first_path } => {
            o.push_str(",\"first_path\":");
            s(o, first_path);
        }
        Problem::NoRuleNoChildren => {}
        Problem::RuleAndChildren => {}
        Problem::AggregationOnLeaf => {}
        Problem::MaxMismatch { declared, computed } => {
            o.push_str(",\"declared\":");
            push_decimal(o, *declared);
            o.push_str(",\"computed\":");
            push_decimal(o, *computed);
        }
        Problem::MaxRequired => {}
        Problem::WeightMissing { child } => {
            o.push_str(",\"child\":");
            s(o, child);
        }
        Problem::WeightUnknownChild { child } => {
            o.push_str(",\"child\":");
            s(o, child);
        }
        Problem::WeightNotPositive { child, weight } => {
            o.push_str(",\"child\":");
            s(o, child);
            o.push_str(",\"weight\":");
            push_decimal(o, *weight);
        }
        Problem::PointsAboveMax { what, points, max } => {
            o.push_str(",\"what\":");
            s(o, what);
            o.push_str(",\"points\":");
            push_decimal(o, *points);
            o.push_str(",\"max\":");
            push_decimal(o, *max);
        }
        Problem::Negative { what, value } => {
            o.push_str(",\"what\":");
            s(o, what);
            o.push_str(",\"value\":");
            push_decimal(o, *value);
        }
        Problem::AwardSpec { what } => {
            o.push_str(",\"what\":");
            s(o, what);
        }
        Problem::PercentOutOfRange { what, value } => {
            o.push_str(",\"what\":");
            s(o, what);
            o.push_str(",\"value\":");
            push_decimal(o, *value);
        }
        Problem::DuplicateKey { key } => {
            o.push_str(",\"key\":");
            s(o, key);
        }
        Problem::Empty { what } => {
            o.push_str(",\"what\":");
            s(o, what);
        }
        Problem::EmptyInterval { what } => {
            o.push_str(",\"what\":");
            s(o, what);
        }
        Problem::Overlap {
            first,
            second,
            both,
        } => {
            o.push_str(",\"first\":");
            s(o, first);
            o.push_str(",\"second\":");
            s(o, second);
            o.push_str(",\"both\":");
            s(o, both);
        }
        Problem::Uncovered { gap } => {
            o.push_str(",\"gap\":");
            s(o, gap);
        }
        Problem::StepNotPositive => {}
        Problem::TooDeep { limit } => {
            o.push_str(",\"limit\":");
            push_u128(o, *limit as u128);
        }
        Problem::TooManyNodes { limit } => {
            o.push_str(",\"limit\":");
            push_u128(o, *limit as u128);
        }
        Problem::IndexMismatch { expected, found } => {
            o.push_str(",\"expected\":");
            s(o, expected);
            o.push_str(",\"found\":");
            s(o, found);
        }
        Problem::UnknownCode => {}
        Problem::UnknownAdjustment => {}
        Problem::ValueOnParent => {}
        Problem::WrongValueKind { expected, found } => {
            o.push_str(",\"expected\":");
            kinds(o, expected);
            o.push_str(",\"found\":");
            s(o, found.key());
        }
        Problem::UnknownOption { option, allowed } => {
            o.push_str(",\"option\":");
            s(o, option);
            o.push_str(",\"allowed\":");
            strings(o, allowed);
        }
        Problem::MissingCondition { key } => {
            o.push_str(",\"key\":");
            s(o, key);
        }
        Problem::UnknownCondition { key } => {
            o.push_str(",\"key\":");
            s(o, key);
        }
        Problem::OutOfRange { value, range } => {
            o.push_str(",\"value\":");
            push_decimal(o, *value);
            o.push_str(",\"range\":");
            s(o, range);
        }
        Problem::NotWhole { value } => {
            o.push_str(",\"value\":");
            push_decimal(o, *value);
        }
        Problem::NotOnStep { value, step } => {
            o.push_str(",\"value\":");
            push_decimal(o, *value);
            o.push_str(",\"step\":");
            push_decimal(o, *step);
        }
        Problem::NumeratorAboveDenominator {
            numerator,
            denominator,
        } => {
            o.push_str(",\"numerator\":");
            push_decimal(o, *numerator);
            o.push_str(",\"denominator\":");
            push_decimal(o, *denominator);
        }
        Problem::ZeroDenominator => {}
        Problem::NoTier { value } => {
            o.push_str(",\"value\":");
            push_decimal(o, *value);
        }
        Problem::NoAnswers => {}
        Problem::OutsideNominalRange { value, range } => {
            o.push_str(",\"value\":");
            push_decimal(o, *value);
            o.push_str(",\"range\":");
            s(o, range);
        }
        Problem::LayerIgnored { layer } => {
            o.push_str(",\"layer\":");
            s(o, layer);
        }
        Problem::ValuesIgnoredNotApplicable => {}
        Problem::TooLarge { value, limit } => {
            o.push_str(",\"value\":");
            push_decimal(o, *value);
            o.push_str(",\"limit\":");
            push_decimal(o, *limit);
        }
        Problem::NotAnIndexForYear { year } => {
            o.push_str(",\"year\":");
            push_i128(o, (*year).into());
        }
        Problem::IndexVersionMismatch { expected, found } => {
            o.push_str(",\"expected\":");
            s(o, expected);
            o.push_str(",\"found\":");
            s(o, found);
        }
        Problem::InputsMismatch { expected, found } => {
            o.push_str(",\"expected\":");
            push_u128(o, *expected as u128);
            o.push_str(",\"found\":");
            push_u128(o, *found as u128);
        }
        Problem::ValuesOfAnotherPlan => {}
        Problem::OverrideSameAsBase => {}
        Problem::OverrideNoEffect => {}
        Problem::NotWeighted { parent } => {
            o.push_str(",\"parent\":");
            s(o, parent);
        }
        Problem::ParameterNotInRule { parameter, rule } => {
            o.push_str(",\"parameter\":");
            s(o, parameter);
            o.push_str(",\"rule\":");
            s(o, rule);
        }
        Problem::NoSuchTier { tier, count } => {
            o.push_str(",\"tier\":");
            push_u128(o, *tier as u128);
            o.push_str(",\"count\":");
            push_u128(o, *count as u128);
        }
        Problem::UnknownUnit { unit } => {
            o.push_str(",\"unit\":");
            s(o, unit);
        }
        Problem::UnknownBand { band, allowed } => {
            o.push_str(",\"band\":");
            s(o, band);
            o.push_str(",\"allowed\":");
            strings(o, allowed);
        }
        Problem::TotalMissing => {}
        Problem::UnknownUnitType { unit_type, allowed } => {
            o.push_str(",\"unit_type\":");
            s(o, unit_type);
            o.push_str(",\"allowed\":");
            strings(o, allowed);
        }
        Problem::UnitTypeExcludesAll { unit_type } => {
            o.push_str(",\"unit_type\":");
            s(o, unit_type);
        }
        Problem::UnitTypeMaxMismatch {
            unit_type,
            declared,
            computed,
        } => {
            o.push_str(",\"unit_type\":");
            s(o, unit_type);
            o.push_str(",\"declared\":");
            push_decimal(o, *declared);
            o.push_str(",\"computed\":");
            push_decimal(o, *computed);
        }
        Problem::ExcludedWithAncestor { ancestor } => {
            o.push_str(",\"ancestor\":");
            s(o, ancestor);
        }
        Problem::ValuesIgnoredUnitType { unit_type } => {
            o.push_str(",\"unit_type\":");
            s(o, unit_type);
        }
        Problem::LimitExceeded {
            what,
            limit,
            found,
            unit,
        } => {
            o.push_str(",\"what\":");
            s(o, what);
            o.push_str(",\"limit\":");
            push_u128(o, (*limit).into());
            if let Some(n) = found {
                o.push_str(",\"found\":");
                push_u128(o, (*n).into());
            }
            o.push_str(",\"unit\":");
            s(o, unit);
        }
        Problem::Overflow { what } => {
            o.push_str(",\"what\":");
            s(o, what);
        }
        Problem::NotUtf8 { found } => {
            o.push_str(",\"found\":");
            s(o, found);
        }
        Problem::CannotWrite { detail } => {
            o.push_str(",\"detail\":");
            s(o, detail);
        }
        Problem::HiddenSheetSkipped { sheet, very_hidden } => {
            o.push_str(",\"sheet\":");
            s(o, sheet);
            o.push_str(",\"very_hidden\":");
            o.push_str(if *very_hidden { "true" } else { "false" });
        }
        Problem::DuplicateColumn { header, first } => {
            o.push_str(",\"header\":");
            s(o, header);
            o.push_str(",\"first\":");
            s(o, first);
        }
        Problem::FormulaWithoutValue { formula } => {
            o.push_str(",\"formula\":");
            s(o, formula);
        }
        Problem::UnreadableWorkbook { format, detail } => {
            o.push_str(",\"format\":");
            s(o, format);
            o.push_str(",\"detail\":");
            s(o, detail);
        }
        Problem::Coded { code, text, vi, en } => {
            o.push_str(",\"code\":");
            s(o, code);
            o.push_str(",\"text\":");
            s(o, text);
            o.push_str(",\"vi\":");
            s(o, vi);
            o.push_str(",\"en\":");
            s(o, en);
        }
        Problem::MaxUnreachable { max, best } => {
            o.push_str(",\"max\":");
            push_decimal(o, *max);
            o.push_str(",\"best\":");
            push_decimal(o, *best);
        }
        Problem::RescaleNeedsMax { parent } => {
            o.push_str(",\"parent\":");
            opt_str(o, parent.as_deref());
        }
    }
    o.push('}');
}
