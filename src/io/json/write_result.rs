//! A [`ScoreResult`] as JSON by hand, field by field in the order and with the omissions
//! of its derived `Serialize` (`chiso::write::result`): the form writes one after every
//! change, and the derived code through a serializer (the result's warnings hold any
//! [`Problem`](crate::Problem)) was ~15 KB of its WebAssembly. `tests_write.rs` checks it
//! against `serde_json` on every shipped assessment and on random results.

use super::write_problem::problem;
use super::{push_decimal, push_i128, push_str as s, push_u128};
use crate::assessment::{Layer, Unit};
use crate::diagnostics::{Diagnostic, Location, Severity};
use crate::display::Rounding;
use crate::index::{AdjustmentKind, LeafRounding};
use crate::node::Channel;
use crate::result::{
    AdjustmentResult, BandRef, NodeResult, ScoreResult, Status, Total, UnitTypeRef, View,
};
use crate::{Decimal, Text};

/// `r` as compact JSON, exactly as `serde_json::to_string` writes it.
///
/// ```
/// let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/criteria/examples/");
/// let index = chiso::Index::from_file(format!("{dir}department-example.json").as_ref()).unwrap();
/// let text = std::fs::read_to_string(format!("{dir}department-example.assessment.json")).unwrap();
/// let a = chiso::load::assessment(&text).unwrap();
/// let r = index.score(&a, chiso::View::Final).unwrap();
/// assert_eq!(chiso::write::result(&r), serde_json::to_string(&r).unwrap());
/// ```
pub fn result(r: &ScoreResult) -> String {
    let mut o = String::with_capacity(512 + 1024 * r.nodes.len());
    o.push_str("{\"format\":");
    s(&mut o, &r.format);
    key(&mut o, "index");
    s(&mut o, &r.index);
    key(&mut o, "index_version");
    s(&mut o, &r.index_version);
    key(&mut o, "unit");
    unit(&mut o, &r.unit);
    if let Some(t) = &r.unit_type {
        key(&mut o, "unit_type");
        unit_type(&mut o, t);
    }
    if let Some(l) = &r.leaf_rounding {
        key(&mut o, "leaf_rounding");
        leaf_rounding(&mut o, l);
    }
    key(&mut o, "year");
    match r.year {
        Some(y) => push_i128(&mut o, y.into()),
        None => o.push_str("null"),
    }
    key(&mut o, "view");
    s(
        &mut o,
        match r.view {
            View::SelfAssessment => "self",
            View::Appraised => "appraised",
            View::Final => "final",
        },
    );
    key(&mut o, "total");
    total(&mut o, &r.total);
    key(&mut o, "nodes");
    list(&mut o, &r.nodes, node);
    key(&mut o, "adjustments");
    list(&mut o, &r.adjustments, adjustment);
    key(&mut o, "diagnostics");
    list(&mut o, &r.diagnostics.0, diagnostic);
    o.push('}');
    o
}

/// `,"name":`
pub(super) fn key(o: &mut String, name: &str) {
    o.push(',');
    s(o, name);
    o.push(':');
}

/// `[a,b,…]`, each item written by `f`.
pub(super) fn list<T>(o: &mut String, items: &[T], f: fn(&mut String, &T)) {
    o.push('[');
    for (i, x) in items.iter().enumerate() {
        if i > 0 {
            o.push(',');
        }
        f(o, x);
    }
    o.push(']');
}

fn opt_str(o: &mut String, v: Option<&str>) {
    match v {
        Some(x) => s(o, x),
        None => o.push_str("null"),
    }
}

fn opt_dec(o: &mut String, name: &str, v: Option<Decimal>) {
    key(o, name);
    match v {
        Some(d) => push_decimal(o, d),
        None => o.push_str("null"),
    }
}

pub(super) fn text(o: &mut String, t: &Text) {
    let Text { vi, en } = t;
    o.push_str("{\"vi\":");
    s(o, vi);
    key(o, "en");
    s(o, en);
    o.push('}');
}

fn opt_text(o: &mut String, name: &str, t: Option<&Text>) {
    key(o, name);
    match t {
        Some(t) => text(o, t),
        None => o.push_str("null"),
    }
}

fn layer(o: &mut String, name: &str, l: Option<Layer>) {
    key(o, name);
    let Some(l) = l else {
        return o.push_str("null");
    };
    s(
        o,
        match l {
            Layer::SelfAssessment => "self",
            Layer::Appraisal1 => "appraisal_1",
            Layer::Appraisal2 => "appraisal_2",
            Layer::Survey => "survey",
        },
    );
}

fn unit(o: &mut String, u: &Unit) {
    o.push_str("{\"name\":");
    s(o, &u.name);
    if let Some(id) = &u.id {
        key(o, "id");
        s(o, id);
    }
    if let Some(b) = &u.block {
        key(o, "block");
        s(o, b);
    }
    o.push('}');
}

fn unit_type(o: &mut String, t: &UnitTypeRef) {
    o.push_str("{\"code\":");
    s(o, &t.code);
    key(o, "title");
    text(o, &t.title);
    key(o, "not_applicable");
    list(o, &t.not_applicable, |o, x| s(o, x));
    key(o, "reason");
    text(o, &t.reason);
    o.push('}');
}

pub(super) fn leaf_rounding(o: &mut String, l: &LeafRounding) {
    let LeafRounding {
        decimals,
        mode,
        source,
    } = l;
    o.push_str("{\"decimals\":");
    push_u128(o, (*decimals).into());
    key(o, "mode");
    s(
        o,
        match mode {
            Rounding::HalfUp => "half_up",
            Rounding::HalfEven => "half_even",
            Rounding::Truncate => "truncate",
            Rounding::Exact => "exact",
        },
    );
    if let Some(t) = source {
        key(o, "source");
        text(o, t);
    }
    o.push('}');
}

fn status(o: &mut String, st: &Status) {
    o.push_str("{\"status\":");
    match st {
        Status::Scored => s(o, "scored"),
        Status::Missing => s(o, "missing"),
        Status::NotApplicable => s(o, "not_applicable"),
        Status::EvidenceMissing { explained } => {
            s(o, "evidence_missing");
            key(o, "explained");
            o.push_str(if *explained { "true" } else { "false" });
        }
    }
    o.push('}');
}

fn total(o: &mut String, t: &Total) {
    o.push('{');
    // The first key without its comma.
    let start = o.len();
    opt_dec(o, "criteria_points", t.criteria_points);
    o.remove(start);
    opt_dec(o, "achieved", t.achieved);
    opt_dec(o, "applicable_max", t.applicable_max);
    opt_dec(o, "max_points", t.max_points);
    opt_dec(o, "percent", t.percent);
    key(o, "band");
    match &t.band {
        Some(b) => band(o, b),
        None => o.push_str("null"),
    }
    opt_dec(o, "self_points", t.self_points);
    opt_dec(o, "appraised_points", t.appraised_points);
    opt_dec(o, "final_points", t.final_points);
    key(o, "status");
    status(o, &t.status);
    o.push('}');
}

fn band(o: &mut String, b: &BandRef) {
    o.push_str("{\"code\":");
    s(o, &b.code);
    key(o, "label");
    text(o, &b.label);
    o.push('}');
}

fn node(o: &mut String, n: &NodeResult) {
    o.push_str("{\"code\":");
    s(o, &n.code);
    key(o, "title");
    text(o, &n.title);
    key(o, "depth");
    push_u128(o, n.depth as u128);
    key(o, "parent");
    opt_str(o, n.parent.as_deref());
    key(o, "leaf");
    o.push_str(if n.leaf { "true" } else { "false" });
    key(o, "channel");
    s(
        o,
        match n.channel {
            Channel::Appraised => "appraised",
            Channel::Survey => "survey",
        },
    );
    opt_dec(o, "max_points", n.max_points);
    opt_dec(o, "applicable_max", n.applicable_max);
    opt_dec(o, "achieved", n.achieved);
    opt_dec(o, "percent", n.percent);
    opt_dec(o, "self_points", n.self_points);
    opt_dec(o, "appraised_points", n.appraised_points);
    opt_dec(o, "final_points", n.final_points);
    opt_dec(o, "delta", n.delta);
    key(o, "status");
    status(o, &n.status);
    layer(o, "source", n.source);
    opt_text(o, "explanation", n.explanation.as_ref());
    opt_text(o, "scoring_text", n.scoring_text.as_ref());
    o.push('}');
}

fn adjustment(o: &mut String, a: &AdjustmentResult) {
    o.push_str("{\"code\":");
    s(o, &a.code);
    key(o, "title");
    text(o, &a.title);
    key(o, "kind");
    s(
        o,
        match a.kind {
            AdjustmentKind::Bonus => "bonus",
            AdjustmentKind::Penalty => "penalty",
        },
    );
    key(o, "cap");
    push_decimal(o, a.cap);
    key(o, "points");
    push_decimal(o, a.points);
    layer(o, "source", a.source);
    o.push('}');
}

/// A diagnostic as its derived `Serialize` writes it.
pub(super) fn diagnostic(o: &mut String, d: &Diagnostic) {
    o.push_str("{\"severity\":");
    s(
        o,
        match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        },
    );
    if let Some(f) = &d.file {
        key(o, "file");
        s(o, f);
    }
    key(o, "path");
    s(o, &d.path);
    if let Some(l) = &d.location {
        key(o, "location");
        location(o, l);
    }
    if let Some(c) = &d.code {
        key(o, "code");
        s(o, c);
    }
    key(o, "problem");
    problem(o, &d.problem);
    o.push('}');
}

fn location(o: &mut String, l: &Location) {
    o.push_str("{\"kind\":");
    match l {
        Location::File => s(o, "file"),
        Location::Json { path } => {
            s(o, "json");
            key(o, "path");
            s(o, path);
        }
        Location::Row {
            row,
            and_row,
            column,
            key: record,
        } => {
            s(o, "row");
            key(o, "row");
            push_u128(o, (*row).into());
            if let Some(r) = and_row {
                key(o, "and_row");
                push_u128(o, (*r).into());
            }
            if let Some(c) = column {
                key(o, "column");
                s(o, c);
            }
            if let Some(k) = record {
                key(o, "key");
                o.push_str("{\"name\":");
                s(o, &k.name);
                key(o, "value");
                s(o, &k.value);
                o.push('}');
            }
        }
        Location::Cell { sheet, cell } => {
            s(o, "cell");
            key(o, "sheet");
            s(o, sheet);
            key(o, "cell");
            s(o, cell);
        }
    }
    o.push('}');
}
