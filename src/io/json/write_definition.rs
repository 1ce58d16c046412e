//! An [`IndexDefinition`] and the form's node list as JSON by hand
//! (`chiso::write::definition`, `chiso::write::nodes`): every field in its derived order
//! with the derived `Serialize`'s omissions, so the text is byte for byte
//! `serde_json::to_string`'s (the analysis module reads `engine.definition()` back). The
//! derived code through the serializer — the definition and the node list inlined into
//! the binding's shims, `Rule::serialize` and the serializer's per-type steps — was ~13 KB
//! of the form's WebAssembly.
//!
//! Every struct is taken apart by an exhaustive pattern and every enum by an exhaustive
//! match, so a new field or variant in a model type is a compile error here;
//! `tests_write.rs` checks the text against `serde_json` on every shipped index and on
//! random definitions.

use super::write_result::{key, leaf_rounding, list, text};
use super::{push_decimal, push_i128, push_str as s, push_u128};
use crate::band::{Band, TiePolicy};
use crate::engine::Index;
use crate::index::{
    Adjustment, AdjustmentKind, Completeness, IndexDefinition, LegalBasis, MissingEvidencePolicy,
    MissingValuePolicy, Policies, UnitLevel, UnitType, YearRange,
};
use crate::interval::{Bound, Interval};
use crate::node::{Aggregation, Channel, Node};
use crate::rule::{Award, Condition, Level, Measure, Rule, SurveyOption, Tier, ZeroDenominator};
use crate::{Decimal, Text};
use std::collections::BTreeMap;

/// `d` as compact JSON, exactly as `serde_json::to_string` writes it.
///
/// ```
/// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/criteria/examples/department-example.json");
/// let index = chiso::Index::from_file(path.as_ref()).unwrap();
/// let d = index.definition();
/// assert_eq!(chiso::write::definition(d), serde_json::to_string(d).unwrap());
/// ```
pub fn definition(d: &IndexDefinition) -> String {
    let IndexDefinition {
        format,
        id,
        title,
        version,
        legal_basis: basis,
        unit_levels,
        years,
        completeness,
        notes,
        max_points,
        aggregation: agg,
        policies,
        bands,
        tie_policy,
        adjustments,
        unit_types,
        nodes,
    } = d;
    let mut o = String::with_capacity(4096);
    o.push_str("{\"format\":");
    s(&mut o, format);
    key(&mut o, "id");
    s(&mut o, id);
    key(&mut o, "title");
    text(&mut o, title);
    key(&mut o, "version");
    s(&mut o, version);
    key(&mut o, "legal_basis");
    list(&mut o, basis, legal_basis);
    key(&mut o, "unit_levels");
    list(&mut o, unit_levels, |o, l| s(o, unit_level(*l)));
    key(&mut o, "years");
    year_range(&mut o, years);
    key(&mut o, "completeness");
    s(
        &mut o,
        match completeness {
            Completeness::Complete => "complete",
            Completeness::Partial => "partial",
            Completeness::Provisional => "provisional",
            Completeness::Example => "example",
        },
    );
    texts(&mut o, "notes", notes);
    opt_dec(&mut o, "max_points", *max_points);
    key(&mut o, "aggregation");
    aggregation(&mut o, agg);
    key(&mut o, "policies");
    policy(&mut o, policies);
    if !bands.is_empty() {
        key(&mut o, "bands");
        list(&mut o, bands, band);
    }
    key(&mut o, "tie_policy");
    s(
        &mut o,
        match tie_policy {
            TiePolicy::Competition => "competition",
            TiePolicy::Dense => "dense",
            TiePolicy::Ordinal => "ordinal",
        },
    );
    if !adjustments.is_empty() {
        key(&mut o, "adjustments");
        list(&mut o, adjustments, adjustment);
    }
    if !unit_types.is_empty() {
        key(&mut o, "unit_types");
        list(&mut o, unit_types, unit_type);
    }
    key(&mut o, "nodes");
    list(&mut o, nodes, node);
    o.push('}');
    o
}

/// The flattened tree of `index` without its root, in pre-order, as the form renders it
/// (the WASM binding's `Engine::nodes`): per node `code`, `parent` (`null` below the
/// root), `depth`, `leaf`, `title`, `max_points`, `channel`, `evidence_required`, `rule`
/// (`null` for a group), `accepts` (the value kinds its rule takes), `scoring_text` and
/// `path`.
///
/// ```
/// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/criteria/examples/department-example.json");
/// let index = chiso::Index::from_file(path.as_ref()).unwrap();
/// let nodes: serde_json::Value = serde_json::from_str(&chiso::write::nodes(&index)).unwrap();
/// assert_eq!(nodes[0]["parent"], serde_json::Value::Null);
/// assert_eq!(nodes.as_array().unwrap().len(), index.nodes().len() - 1);
/// ```
pub fn nodes(index: &Index) -> String {
    let all = index.nodes();
    let mut o = String::with_capacity(512 * all.len());
    o.push('[');
    for (i, n) in all.iter().enumerate().skip(1) {
        if i > 1 {
            o.push(',');
        }
        o.push_str("{\"code\":");
        s(&mut o, &n.code);
        key(&mut o, "parent");
        match n.parent.filter(|&p| p != 0) {
            Some(p) => s(&mut o, &all[p].code),
            None => o.push_str("null"),
        }
        key(&mut o, "depth");
        push_u128(&mut o, n.depth as u128);
        key(&mut o, "leaf");
        bool(&mut o, n.is_leaf());
        key(&mut o, "title");
        text(&mut o, &n.title);
        opt_dec(&mut o, "max_points", n.max);
        key(&mut o, "channel");
        s(&mut o, channel(n.channel));
        key(&mut o, "evidence_required");
        bool(&mut o, n.evidence_required);
        key(&mut o, "rule");
        match &n.rule {
            Some(r) => rule(&mut o, r),
            None => o.push_str("null"),
        }
        key(&mut o, "accepts");
        let kinds = n.rule.as_ref().map(Rule::accepts).unwrap_or_default();
        list(&mut o, kinds, |o, k| s(o, k.key()));
        key(&mut o, "scoring_text");
        match &n.scoring_text {
            Some(t) => text(&mut o, t),
            None => o.push_str("null"),
        }
        key(&mut o, "path");
        s(&mut o, &n.path);
        o.push('}');
    }
    o.push(']');
    o
}

fn bool(o: &mut String, b: bool) {
    o.push_str(if b { "true" } else { "false" });
}

/// `,"name":` and the decimal or `null`.
fn opt_dec(o: &mut String, name: &str, v: Option<Decimal>) {
    key(o, name);
    match v {
        Some(d) => push_decimal(o, d),
        None => o.push_str("null"),
    }
}

/// `,"name":` and the decimal, only when there is one.
fn some_dec(o: &mut String, name: &str, v: Option<Decimal>) {
    if let Some(d) = v {
        key(o, name);
        push_decimal(o, d);
    }
}

/// `,"name":` and the text, only when there is one.
fn some_text(o: &mut String, name: &str, t: Option<&Text>) {
    if let Some(t) = t {
        key(o, name);
        text(o, t);
    }
}

/// `,"name":[…]`, only when the list is not empty.
fn texts(o: &mut String, name: &str, ts: &[Text]) {
    if !ts.is_empty() {
        key(o, name);
        list(o, ts, text);
    }
}

fn unit_level(l: UnitLevel) -> &'static str {
    match l {
        UnitLevel::Ministry => "ministry",
        UnitLevel::Province => "province",
        UnitLevel::Department => "department",
        UnitLevel::District => "district",
        UnitLevel::Commune => "commune",
        UnitLevel::DistrictDivision => "district_division",
        UnitLevel::CentralAgency => "central_agency",
        UnitLevel::PublicServiceUnit => "public_service_unit",
    }
}

fn channel(c: Channel) -> &'static str {
    match c {
        Channel::Appraised => "appraised",
        Channel::Survey => "survey",
    }
}

fn legal_basis(o: &mut String, b: &LegalBasis) {
    let LegalBasis {
        decision,
        date,
        issuer,
        url,
        part,
    } = b;
    o.push_str("{\"decision\":");
    s(o, decision);
    key(o, "date");
    match date {
        Some(d) => s(o, d),
        None => o.push_str("null"),
    }
    key(o, "issuer");
    s(o, issuer);
    key(o, "url");
    s(o, url);
    if let Some(p) = part {
        key(o, "part");
        s(o, p);
    }
    o.push('}');
}

fn year_range(o: &mut String, y: &YearRange) {
    let YearRange { from, to } = y;
    o.push_str("{\"from\":");
    push_i128(o, (*from).into());
    key(o, "to");
    match to {
        Some(t) => push_i128(o, (*t).into()),
        None => o.push_str("null"),
    }
    o.push('}');
}

fn policy(o: &mut String, p: &Policies) {
    let Policies {
        missing_value,
        missing_evidence,
        leaf_rounding: rounding,
    } = p;
    o.push_str("{\"missing_value\":");
    s(
        o,
        match missing_value {
            MissingValuePolicy::Zero => "zero",
            MissingValuePolicy::Propagate => "propagate",
        },
    );
    key(o, "missing_evidence");
    s(
        o,
        match missing_evidence {
            MissingEvidencePolicy::NotCredited => "not_credited",
            MissingEvidencePolicy::Flag => "flag",
            MissingEvidencePolicy::Ignore => "ignore",
        },
    );
    if let Some(r) = rounding {
        key(o, "leaf_rounding");
        leaf_rounding(o, r);
    }
    o.push('}');
}

fn band(o: &mut String, b: &Band) {
    let Band { code, label, range } = b;
    o.push_str("{\"code\":");
    s(o, code);
    key(o, "label");
    text(o, label);
    key(o, "range");
    interval(o, range);
    o.push('}');
}

fn interval(o: &mut String, i: &Interval) {
    let Interval { from, to } = i;
    o.push_str("{\"from\":");
    opt_bound(o, from.as_ref());
    key(o, "to");
    opt_bound(o, to.as_ref());
    o.push('}');
}

fn opt_bound(o: &mut String, b: Option<&Bound>) {
    match b {
        Some(b) => bound(o, b),
        None => o.push_str("null"),
    }
}

fn bound(o: &mut String, b: &Bound) {
    let Bound { value, inclusive } = b;
    o.push_str("{\"value\":");
    push_decimal(o, *value);
    key(o, "inclusive");
    bool(o, *inclusive);
    o.push('}');
}

fn adjustment(o: &mut String, a: &Adjustment) {
    let Adjustment {
        code,
        title,
        kind,
        cap,
        scoring_text,
    } = a;
    o.push_str("{\"code\":");
    s(o, code);
    key(o, "title");
    text(o, title);
    key(o, "kind");
    s(
        o,
        match kind {
            AdjustmentKind::Bonus => "bonus",
            AdjustmentKind::Penalty => "penalty",
        },
    );
    key(o, "cap");
    push_decimal(o, *cap);
    some_text(o, "scoring_text", scoring_text.as_ref());
    o.push('}');
}

fn unit_type(o: &mut String, t: &UnitType) {
    let UnitType {
        code,
        title,
        not_applicable,
        reason,
        max_points,
        notes,
    } = t;
    o.push_str("{\"code\":");
    s(o, code);
    key(o, "title");
    text(o, title);
    key(o, "not_applicable");
    list(o, not_applicable, |o, c| s(o, c));
    key(o, "reason");
    text(o, reason);
    opt_dec(o, "max_points", *max_points);
    texts(o, "notes", notes);
    o.push('}');
}

fn node(o: &mut String, n: &Node) {
    let Node {
        code,
        title,
        max_points,
        scoring_text,
        evidence,
        channel: ch,
        verifier,
        notes,
        aggregation: agg,
        children,
        rule: r,
    } = n;
    o.push_str("{\"code\":");
    s(o, code);
    key(o, "title");
    text(o, title);
    opt_dec(o, "max_points", *max_points);
    some_text(o, "scoring_text", scoring_text.as_ref());
    texts(o, "evidence", evidence);
    key(o, "channel");
    s(o, channel(*ch));
    if let Some(v) = verifier {
        key(o, "verifier");
        s(o, v);
    }
    texts(o, "notes", notes);
    if let Some(a) = agg {
        key(o, "aggregation");
        aggregation(o, a);
    }
    if !children.is_empty() {
        key(o, "children");
        list(o, children, node);
    }
    if let Some(r) = r {
        key(o, "rule");
        rule(o, r);
    }
    o.push('}');
}

/// `{"method":…}` as the derived internally tagged `Serialize` writes it.
fn aggregation(o: &mut String, a: &Aggregation) {
    o.push_str("{\"method\":");
    let (rescale, weights) = match a {
        Aggregation::Sum { rescale_to_max } => {
            s(o, "sum");
            (rescale_to_max, None)
        }
        Aggregation::WeightedSum {
            weights,
            rescale_to_max,
        } => {
            s(o, "weighted_sum");
            (rescale_to_max, Some(weights))
        }
        Aggregation::WeightedMean {
            weights,
            rescale_to_max,
        } => {
            s(o, "weighted_mean");
            (rescale_to_max, Some(weights))
        }
    };
    if let Some(w) = weights {
        key(o, "weights");
        decimal_map(o, w);
    }
    key(o, "rescale_to_max");
    bool(o, *rescale);
    o.push('}');
}

fn decimal_map(o: &mut String, m: &BTreeMap<String, Decimal>) {
    o.push('{');
    for (i, (k, v)) in m.iter().enumerate() {
        if i > 0 {
            o.push(',');
        }
        s(o, k);
        o.push(':');
        push_decimal(o, *v);
    }
    o.push('}');
}

/// `{"type":…}` as the derived internally tagged `Serialize` writes a rule.
pub(super) fn rule(o: &mut String, r: &Rule) {
    o.push_str("{\"type\":");
    match r {
        Rule::YesNo {
            conditions,
            yes,
            no,
        } => {
            s(o, "yes_no");
            if !conditions.is_empty() {
                key(o, "conditions");
                list(o, conditions, condition);
            }
            key(o, "yes");
            award(o, yes);
            key(o, "no");
            award(o, no);
        }
        Rule::Timeliness {
            on_time,
            late,
            not_done,
        } => {
            s(o, "timeliness");
            key(o, "on_time");
            award(o, on_time);
            key(o, "late");
            award(o, late);
            key(o, "not_done");
            award(o, not_done);
        }
        Rule::Tiers { measure, tiers } => {
            s(o, "tiers");
            key(o, "measure");
            s(
                o,
                match measure {
                    Measure::Percent => "percent",
                    Measure::Count => "count",
                    Measure::Number => "number",
                },
            );
            key(o, "tiers");
            list(o, tiers, tier);
        }
        Rule::Proportional {
            threshold_percent,
            gate,
            zero_denominator,
            numerator,
            denominator,
        } => {
            s(o, "proportional");
            some_dec(o, "threshold_percent", *threshold_percent);
            if let Some(g) = gate {
                key(o, "gate");
                bound(o, g);
            }
            key(o, "zero_denominator");
            s(
                o,
                match zero_denominator {
                    ZeroDenominator::Zero => "zero",
                    ZeroDenominator::FullMarks => "full_marks",
                    ZeroDenominator::NotApplicable => "not_applicable",
                    ZeroDenominator::Invalid => "invalid",
                },
            );
            some_text(o, "numerator", numerator.as_ref());
            some_text(o, "denominator", denominator.as_ref());
        }
        Rule::Levels { levels } => {
            s(o, "levels");
            key(o, "levels");
            list(o, levels, level);
        }
        Rule::Deductions { severities } => {
            s(o, "deductions");
            key(o, "severities");
            list(o, severities, level);
        }
        Rule::Discretionary { step } => {
            s(o, "discretionary");
            some_dec(o, "step", *step);
        }
        Rule::Survey { options } => {
            s(o, "survey");
            key(o, "options");
            list(o, options, survey_option);
        }
        Rule::Score { nominal } => {
            s(o, "score");
            if let Some(i) = nominal {
                key(o, "nominal");
                interval(o, i);
            }
        }
    }
    o.push('}');
}

fn condition(o: &mut String, c: &Condition) {
    let Condition { key: k, label } = c;
    o.push_str("{\"key\":");
    s(o, k);
    key(o, "label");
    text(o, label);
    o.push('}');
}

/// `"points"` and `"percent_of_max"` when present, then `}`.
fn points(o: &mut String, points: Option<Decimal>, percent_of_max: Option<Decimal>) {
    some_dec(o, "points", points);
    some_dec(o, "percent_of_max", percent_of_max);
    o.push('}');
}

fn award(o: &mut String, a: &Award) {
    let Award {
        label,
        points: p,
        percent_of_max,
    } = a;
    o.push_str("{\"label\":");
    text(o, label);
    points(o, *p, *percent_of_max);
}

fn level(o: &mut String, l: &Level) {
    let Level {
        key: k,
        label,
        points: p,
        percent_of_max,
    } = l;
    o.push_str("{\"key\":");
    s(o, k);
    key(o, "label");
    text(o, label);
    points(o, *p, *percent_of_max);
}

fn tier(o: &mut String, t: &Tier) {
    let Tier {
        range,
        label,
        points: p,
        percent_of_max,
    } = t;
    o.push_str("{\"range\":");
    interval(o, range);
    key(o, "label");
    text(o, label);
    points(o, *p, *percent_of_max);
}

fn survey_option(o: &mut String, x: &SurveyOption) {
    let SurveyOption {
        key: k,
        percent,
        label,
    } = x;
    o.push_str("{\"key\":");
    s(o, k);
    key(o, "percent");
    push_decimal(o, *percent);
    some_text(o, "label", label.as_ref());
    o.push('}');
}
