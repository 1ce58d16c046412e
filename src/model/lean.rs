//! An index definition, its nodes and an assessment read by hand from the JSON value, for
//! the browser's form module (feature `lean`: [`crate::load::index_definition_untracked`],
//! [`crate::load::assessment_untracked`]).
//!
//! serde derives, for every struct, a map visitor generic over the deserializer, a field
//! identifier visitor and one `next_value` per field type, and inlines them into the
//! loader (in the form's module `Engine::load` was 39 KB, the untracked deserializer's
//! `next_value_seed` 16 KB and 15 smaller copies). Here each struct is one plain function
//! of a [`Json`] value: its members are walked in key order (as the derived visitor walks
//! the map), each field read by the deserializer the rest of the document uses
//! (`io/json/untracked.rs`), or by the readers below for the structs of the definition;
//! lists and options of those structs by [`list`] and [`option`], not by serde's visitors.
//!
//! The derived implementations stay (the JSON Schema and every other reader use them);
//! these functions give exactly what they give through the untracked deserializer — the
//! same values and the same refusals with the same messages: a value of the wrong kind,
//! an unknown field (at its place in key order, with the list of fields), a missing field
//! (after the members, in declaration order), a struct written as an array of its fields.
//! The tests compare both on every shipped index and assessment, every node, and their
//! malformed neighbours.

use crate::assessment::{Assessment, Entry, EvidenceRef, LayerEntry, NotApplicable, Unit, Value};
use crate::band::Band;
use crate::index::{
    Adjustment, AdjustmentKind, Completeness, IndexDefinition, LeafRounding, LegalBasis, Policies,
    UnitType, YearRange,
};
use crate::interval::{Bound, Interval};
use crate::json::untracked::{fields, invalid_type, Error, Untracked};
use crate::node::Node;
use crate::rule::lean::{aggregation, rule};
use crate::text::Text;
use serde::de::{DeserializeOwned, Error as _};
use serde_json::{map, Value as Json};
use std::collections::BTreeMap;

/// A value of a type serde reads (a string, a decimal, an enum of names, a rule …), by the
/// untracked deserializer; one copy per type for every field of that type.
#[inline(never)]
pub(crate) fn de<T: DeserializeOwned>(v: Json) -> Result<T, Error> {
    T::deserialize(Untracked(v))
}

/// A list, each element read by `f`; anything else refused as serde's `Vec` refuses it.
pub(crate) fn list<T>(v: Json, f: fn(Json) -> Result<T, Error>) -> Result<Vec<T>, Error> {
    match v {
        Json::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                out.push(f(item)?);
            }
            Ok(out)
        }
        other => Err(invalid_type(&other, &"a sequence")),
    }
}

/// `null` as `None`, anything else read by `f` (serde's `Option`).
pub(crate) fn option<T>(v: Json, f: fn(Json) -> Result<T, Error>) -> Result<Option<T>, Error> {
    match v {
        Json::Null => Ok(None),
        v => f(v).map(Some),
    }
}

/// The members of a struct, in key order, each with its field's position in the struct's
/// declaration (not generic: one copy for every struct).
pub(crate) struct Members {
    entries: map::IntoIter,
    names: &'static [&'static str],
    /// The fields met so far, one bit per position.
    seen: u32,
    /// A key passed over (an internally tagged enum's tag, read before the members).
    tag: Option<&'static str>,
}

impl Members {
    /// The members of `v` read as the struct `expecting` (`"struct Node"`) with the fields
    /// `names`: an object, or an array of its fields in order (as the untracked
    /// deserializer reads one).
    pub(crate) fn of(
        v: Json,
        expecting: &'static str,
        names: &'static [&'static str],
    ) -> Result<Members, Error> {
        let map = match v {
            Json::Object(m) => m,
            Json::Array(items) => fields(items, names)?,
            other => return Err(invalid_type(&other, &expecting)),
        };
        Ok(Members::map(map, names, None))
    }

    /// The members of the object `map` with the fields `names`, passing over `tag`.
    pub(crate) fn map(
        map: serde_json::Map<String, Json>,
        names: &'static [&'static str],
        tag: Option<&'static str>,
    ) -> Members {
        Members {
            entries: map.into_iter(),
            names,
            seen: 0,
            tag,
        }
    }

    /// The next member: its field's position and its value; a key that is no field is
    /// refused (the structs deny unknown fields).
    #[allow(clippy::should_implement_trait)]
    pub(crate) fn next(&mut self) -> Result<Option<(usize, Json)>, Error> {
        let Some((key, value)) = self.entries.next() else {
            return Ok(None);
        };
        if self.tag == Some(key.as_str()) {
            return self.next();
        }
        match self.names.iter().position(|n| *n == key) {
            Some(i) => {
                self.seen |= 1 << i;
                Ok(Some((i, value)))
            }
            None => Err(Error::unknown_field(&key, self.names)),
        }
    }

    /// After the last member: the first field of `required` (one bit per position) that
    /// was not met, in declaration order, is missing (serde's check).
    pub(crate) fn end(&self, required: u32) -> Result<(), Error> {
        match (0..self.names.len()).find(|&i| required & !self.seen & (1 << i) != 0) {
            Some(i) => Err(Error::missing_field(self.names[i])),
            None => Ok(()),
        }
    }
}

const TEXT: &[&str] = &["vi", "en"];

/// A [`Text`].
pub(crate) fn text(v: Json) -> Result<Text, Error> {
    let mut m = Members::of(v, "struct Text", TEXT)?;
    let mut t = Text::default();
    while let Some((i, v)) = m.next()? {
        match i {
            0 => t.vi = de(v)?,
            _ => t.en = de(v)?,
        }
    }
    m.end(0b1)?;
    Ok(t)
}

const NODE: &[&str] = &[
    "code",
    "title",
    "max_points",
    "scoring_text",
    "evidence",
    "channel",
    "verifier",
    "notes",
    "aggregation",
    "children",
    "rule",
];

/// A [`Node`] and its subtree.
pub(crate) fn node(v: Json) -> Result<Node, Error> {
    let mut m = Members::of(v, "struct Node", NODE)?;
    let mut n = Node {
        code: String::new(),
        title: Text::default(),
        max_points: None,
        scoring_text: None,
        evidence: Vec::new(),
        channel: Default::default(),
        verifier: None,
        notes: Vec::new(),
        aggregation: None,
        children: Vec::new(),
        rule: None,
    };
    while let Some((i, v)) = m.next()? {
        match i {
            0 => n.code = de(v)?,
            1 => n.title = text(v)?,
            2 => n.max_points = de(v)?,
            3 => n.scoring_text = option(v, text)?,
            4 => n.evidence = list(v, text)?,
            5 => n.channel = de(v)?,
            6 => n.verifier = de(v)?,
            7 => n.notes = list(v, text)?,
            8 => n.aggregation = option(v, aggregation)?,
            9 => n.children = list(v, node)?,
            _ => n.rule = option(v, rule)?,
        }
    }
    m.end(0b11)?;
    Ok(n)
}

const INDEX: &[&str] = &[
    "format",
    "id",
    "title",
    "version",
    "legal_basis",
    "unit_levels",
    "years",
    "completeness",
    "notes",
    "max_points",
    "aggregation",
    "policies",
    "bands",
    "tie_policy",
    "adjustments",
    "unit_types",
    "nodes",
];

/// An [`IndexDefinition`].
pub(crate) fn index_definition(v: Json) -> Result<IndexDefinition, Error> {
    let mut m = Members::of(v, "struct IndexDefinition", INDEX)?;
    let mut d = IndexDefinition {
        format: String::new(),
        id: String::new(),
        title: Text::default(),
        version: String::new(),
        legal_basis: Vec::new(),
        unit_levels: Vec::new(),
        years: YearRange { from: 0, to: None },
        completeness: Completeness::Complete,
        notes: Vec::new(),
        max_points: None,
        aggregation: Default::default(),
        policies: Policies::default(),
        bands: Vec::new(),
        tie_policy: Default::default(),
        adjustments: Vec::new(),
        unit_types: Vec::new(),
        nodes: Vec::new(),
    };
    while let Some((i, v)) = m.next()? {
        match i {
            0 => d.format = de(v)?,
            1 => d.id = de(v)?,
            2 => d.title = text(v)?,
            3 => d.version = de(v)?,
            4 => d.legal_basis = list(v, legal_basis)?,
            5 => d.unit_levels = de(v)?,
            6 => d.years = year_range(v)?,
            7 => d.completeness = de(v)?,
            8 => d.notes = list(v, text)?,
            9 => d.max_points = de(v)?,
            10 => d.aggregation = aggregation(v)?,
            11 => d.policies = policies(v)?,
            12 => d.bands = list(v, band)?,
            13 => d.tie_policy = de(v)?,
            14 => d.adjustments = list(v, adjustment)?,
            15 => d.unit_types = list(v, unit_type)?,
            _ => d.nodes = list(v, node)?,
        }
    }
    // format … completeness, nodes.
    m.end(0b1_0000_0000_1111_1111)?;
    Ok(d)
}

const UNIT_TYPE: &[&str] = &[
    "code",
    "title",
    "not_applicable",
    "reason",
    "max_points",
    "notes",
];

/// A [`UnitType`].
fn unit_type(v: Json) -> Result<UnitType, Error> {
    let mut m = Members::of(v, "struct UnitType", UNIT_TYPE)?;
    let mut t = UnitType {
        code: String::new(),
        title: Text::default(),
        not_applicable: Vec::new(),
        reason: Text::default(),
        max_points: None,
        notes: Vec::new(),
    };
    while let Some((i, v)) = m.next()? {
        match i {
            0 => t.code = de(v)?,
            1 => t.title = text(v)?,
            2 => t.not_applicable = de(v)?,
            3 => t.reason = text(v)?,
            4 => t.max_points = de(v)?,
            _ => t.notes = list(v, text)?,
        }
    }
    m.end(0b1111)?;
    Ok(t)
}

const LEGAL_BASIS: &[&str] = &["decision", "date", "issuer", "url", "part"];

/// A [`LegalBasis`].
fn legal_basis(v: Json) -> Result<LegalBasis, Error> {
    let mut m = Members::of(v, "struct LegalBasis", LEGAL_BASIS)?;
    let mut b = LegalBasis {
        decision: String::new(),
        date: None,
        issuer: String::new(),
        url: String::new(),
        part: None,
    };
    while let Some((i, v)) = m.next()? {
        match i {
            0 => b.decision = de(v)?,
            1 => b.date = de(v)?,
            2 => b.issuer = de(v)?,
            3 => b.url = de(v)?,
            _ => b.part = de(v)?,
        }
    }
    m.end(0b1101)?;
    Ok(b)
}

const YEAR_RANGE: &[&str] = &["from", "to"];

/// A [`YearRange`].
fn year_range(v: Json) -> Result<YearRange, Error> {
    let mut m = Members::of(v, "struct YearRange", YEAR_RANGE)?;
    let mut r = YearRange { from: 0, to: None };
    while let Some((i, v)) = m.next()? {
        match i {
            0 => r.from = de(v)?,
            _ => r.to = de(v)?,
        }
    }
    m.end(0b1)?;
    Ok(r)
}

const POLICIES: &[&str] = &["missing_value", "missing_evidence", "leaf_rounding"];

/// [`Policies`].
fn policies(v: Json) -> Result<Policies, Error> {
    let mut m = Members::of(v, "struct Policies", POLICIES)?;
    let mut p = Policies::default();
    while let Some((i, v)) = m.next()? {
        match i {
            0 => p.missing_value = de(v)?,
            1 => p.missing_evidence = de(v)?,
            _ => p.leaf_rounding = option(v, leaf_rounding)?,
        }
    }
    Ok(p)
}

const LEAF_ROUNDING: &[&str] = &["decimals", "mode", "source"];

/// A [`LeafRounding`].
fn leaf_rounding(v: Json) -> Result<LeafRounding, Error> {
    let mut m = Members::of(v, "struct LeafRounding", LEAF_ROUNDING)?;
    let mut r = LeafRounding {
        decimals: 0,
        mode: Default::default(),
        source: None,
    };
    while let Some((i, v)) = m.next()? {
        match i {
            0 => r.decimals = de(v)?,
            1 => r.mode = de(v)?,
            _ => r.source = option(v, text)?,
        }
    }
    m.end(0b11)?;
    Ok(r)
}

const ADJUSTMENT: &[&str] = &["code", "title", "kind", "cap", "scoring_text"];

/// An [`Adjustment`].
fn adjustment(v: Json) -> Result<Adjustment, Error> {
    let mut m = Members::of(v, "struct Adjustment", ADJUSTMENT)?;
    let mut a = Adjustment {
        code: String::new(),
        title: Text::default(),
        kind: AdjustmentKind::Bonus,
        cap: Default::default(),
        scoring_text: None,
    };
    while let Some((i, v)) = m.next()? {
        match i {
            0 => a.code = de(v)?,
            1 => a.title = text(v)?,
            2 => a.kind = de(v)?,
            3 => a.cap = de(v)?,
            _ => a.scoring_text = option(v, text)?,
        }
    }
    m.end(0b1111)?;
    Ok(a)
}

const BAND: &[&str] = &["code", "label", "range"];

/// A [`Band`].
fn band(v: Json) -> Result<Band, Error> {
    let mut m = Members::of(v, "struct Band", BAND)?;
    let mut b = Band {
        code: String::new(),
        label: Text::default(),
        range: Interval::default(),
    };
    while let Some((i, v)) = m.next()? {
        match i {
            0 => b.code = de(v)?,
            1 => b.label = text(v)?,
            _ => b.range = interval(v)?,
        }
    }
    m.end(0b111)?;
    Ok(b)
}

const INTERVAL: &[&str] = &["from", "to"];

/// An [`Interval`].
pub(crate) fn interval(v: Json) -> Result<Interval, Error> {
    let mut m = Members::of(v, "struct Interval", INTERVAL)?;
    let mut r = Interval::default();
    while let Some((i, v)) = m.next()? {
        match i {
            0 => r.from = option(v, bound)?,
            _ => r.to = option(v, bound)?,
        }
    }
    Ok(r)
}

const BOUND: &[&str] = &["value", "inclusive"];

/// A [`Bound`].
pub(crate) fn bound(v: Json) -> Result<Bound, Error> {
    let mut m = Members::of(v, "struct Bound", BOUND)?;
    let mut b = Bound::incl(Default::default());
    while let Some((i, v)) = m.next()? {
        match i {
            0 => b.value = de(v)?,
            _ => b.inclusive = de(v)?,
        }
    }
    m.end(0b11)?;
    Ok(b)
}

const ASSESSMENT: &[&str] = &[
    "format",
    "index",
    "index_version",
    "unit",
    "unit_type",
    "year",
    "entries",
    "adjustments",
];

/// An [`Assessment`].
pub(crate) fn assessment(v: Json) -> Result<Assessment, Error> {
    let mut m = Members::of(v, "struct Assessment", ASSESSMENT)?;
    let mut a = Assessment::default();
    while let Some((i, v)) = m.next()? {
        match i {
            0 => a.format = de(v)?,
            1 => a.index = de(v)?,
            2 => a.index_version = de(v)?,
            3 => a.unit = unit(v)?,
            4 => a.unit_type = de(v)?,
            5 => a.year = de(v)?,
            6 => a.entries = entries(v)?,
            _ => a.adjustments = entries(v)?,
        }
    }
    m.end(0b1011)?;
    Ok(a)
}

/// Entries keyed by code (serde's `BTreeMap`: "a map").
fn entries(v: Json) -> Result<BTreeMap<String, Entry>, Error> {
    match v {
        Json::Object(m) => {
            let mut out = BTreeMap::new();
            for (code, v) in m {
                out.insert(code, entry(v)?);
            }
            Ok(out)
        }
        other => Err(invalid_type(&other, &"a map")),
    }
}

const UNIT: &[&str] = &["name", "id", "block"];

/// A [`Unit`].
fn unit(v: Json) -> Result<Unit, Error> {
    let mut m = Members::of(v, "struct Unit", UNIT)?;
    let mut u = Unit::default();
    while let Some((i, v)) = m.next()? {
        match i {
            0 => u.name = de(v)?,
            1 => u.id = de(v)?,
            _ => u.block = de(v)?,
        }
    }
    m.end(0b1)?;
    Ok(u)
}

const ENTRY: &[&str] = &[
    "not_applicable",
    "self",
    "appraisal_1",
    "appraisal_2",
    "survey",
];

/// An [`Entry`].
fn entry(v: Json) -> Result<Entry, Error> {
    let mut m = Members::of(v, "struct Entry", ENTRY)?;
    let mut e = Entry::default();
    while let Some((i, v)) = m.next()? {
        match i {
            0 => e.not_applicable = option(v, not_applicable)?,
            1 => e.self_assessment = option(v, layer_entry)?,
            2 => e.appraisal_1 = option(v, layer_entry)?,
            3 => e.appraisal_2 = option(v, layer_entry)?,
            _ => e.survey = option(v, layer_entry)?,
        }
    }
    Ok(e)
}

const NOT_APPLICABLE: &[&str] = &["reason"];

/// A [`NotApplicable`].
fn not_applicable(v: Json) -> Result<NotApplicable, Error> {
    let mut m = Members::of(v, "struct NotApplicable", NOT_APPLICABLE)?;
    let mut n = NotApplicable::default();
    while let Some((_, v)) = m.next()? {
        n.reason = de(v)?;
    }
    Ok(n)
}

const LAYER_ENTRY: &[&str] = &["value", "evidence", "note", "explanation"];

/// A [`LayerEntry`].
pub(crate) fn layer_entry(v: Json) -> Result<LayerEntry, Error> {
    let mut m = Members::of(v, "struct LayerEntry", LAYER_ENTRY)?;
    let mut e = LayerEntry::new(Value::YesNo(false));
    while let Some((i, v)) = m.next()? {
        match i {
            0 => e.value = de(v)?,
            1 => e.evidence = list(v, evidence_ref)?,
            2 => e.note = de(v)?,
            _ => e.explanation = de(v)?,
        }
    }
    m.end(0b1)?;
    Ok(e)
}

const EVIDENCE_REF: &[&str] = &["title", "number", "link"];

/// An [`EvidenceRef`].
fn evidence_ref(v: Json) -> Result<EvidenceRef, Error> {
    let mut m = Members::of(v, "struct EvidenceRef", EVIDENCE_REF)?;
    let mut r = EvidenceRef {
        title: String::new(),
        number: None,
        link: None,
    };
    while let Some((i, v)) = m.next()? {
        match i {
            0 => r.title = de(v)?,
            1 => r.number = de(v)?,
            _ => r.link = de(v)?,
        }
    }
    m.end(0b1)?;
    Ok(r)
}

#[cfg(test)]
mod tests;
