//! The web form's what-if: edits of one assessment, addressed by criterion code, and
//! the comparison of the edited assessment with the original ([`compare`]).
//!
//! An [`Edit`] is what a person changes by hand in the form — a layer's value, a layer
//! cleared, a criterion marked (not) applicable — where a scenario file's
//! [`Override`](super::Override) also changes weights and rule parameters and addresses
//! batches of units. Edits are checked only for what the form cannot prevent: an
//! unknown code, and an edit that sets what is already there.

use crate::assessment::{Assessment, Layer, LayerEntry, NotApplicable, Value};
use crate::diagnostics::{Diagnostic, Diagnostics, Problem};
use crate::engine::Index;
use crate::result::{Total, View};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One edit of an assessment, addressed by criterion (or bonus/penalty block) code:
/// `{"code":"1.1.4","layer":"self","value":{"percent":"85"}}`,
/// `{"code":"2","not_applicable":"lý do"}`, `{"code":"2","applicable":true}` or
/// `{"code":"1.1.4","layer":"appraisal_1","clear":true}`. Several fields combine, in the
/// order not applicable, applicable, clear, value.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Edit {
    /// Criterion or adjustment code.
    pub code: String,
    /// Layer written or cleared (default `self`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layer: Option<Layer>,
    /// New value for the layer (evidence and notes of the layer are kept).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
    /// Marks the criterion not applicable with this reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_applicable: Option<String>,
    /// `true` makes a criterion marked not applicable applicable again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applicable: Option<bool>,
    /// `true` removes the layer's record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clear: Option<bool>,
}

impl Edit {
    /// Applies the edit to `a`. Errors (path `$`, the edit's code): a code that is
    /// neither a criterion nor a bonus/penalty block of `index`
    /// ([`Problem::UnknownCode`]), an edit that changes nothing
    /// ([`Problem::OverrideSameAsBase`]); `a` is then unchanged.
    pub fn apply(&self, index: &Index, a: &mut Assessment) -> Result<(), Box<Diagnostic>> {
        let error = |p| Box::new(Diagnostic::error("$", Some(&self.code), p));
        let block = (index.definition().adjustments.iter()).any(|x| x.code == self.code);
        let criterion = index.position(&self.code).is_some_and(|i| i != 0);
        if !criterion && !block {
            return Err(error(Problem::UnknownCode));
        }
        let layer = self.layer.unwrap_or(Layer::SelfAssessment);
        let map = if block {
            &mut a.adjustments
        } else {
            &mut a.entries
        };
        let existed = map.contains_key(&self.code);
        let entry = map.entry(self.code.clone()).or_default();
        let before = entry.clone();
        if let Some(reason) = &self.not_applicable {
            entry.not_applicable = Some(NotApplicable {
                reason: reason.clone(),
            });
        }
        if self.applicable == Some(true) {
            entry.not_applicable = None;
        }
        if self.clear == Some(true) {
            *entry.layer_mut(layer) = None;
        }
        if let Some(v) = &self.value {
            match entry.layer_mut(layer) {
                Some(le) => le.value = v.clone(),
                slot => *slot = Some(LayerEntry::new(v.clone())),
            }
        }
        if *entry == before {
            if !existed {
                map.remove(&self.code);
            }
            return Err(error(Problem::OverrideSameAsBase));
        }
        Ok(())
    }
}

/// A node whose points or applicable maximum an edit changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct NodeDelta {
    /// Criterion code.
    pub code: String,
    /// Points before the edits.
    pub before: Option<Decimal>,
    /// Points after the edits.
    pub after: Option<Decimal>,
    /// `after − before`, when both are scored.
    pub delta: Option<Decimal>,
}

/// The original assessment against the edited one ([`compare`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Comparison {
    /// Total of the original assessment.
    pub baseline: Total,
    /// Total of the edited assessment.
    pub scenario: Total,
    /// `scenario.achieved − baseline.achieved`, when both are scored.
    pub delta: Option<Decimal>,
    /// Every node whose points or applicable maximum changed, in tree order.
    pub nodes: Vec<NodeDelta>,
    /// The edited assessment.
    pub assessment: Assessment,
}

/// Applies `edits` in order to a copy of `a` and scores both in `view`. An edit's error
/// is located at `{at}[i]` (`at`: the JSON path of the list of edits, `$` for a document
/// of its own, `$overrides` in the WASM binding); `a` itself is never modified.
///
/// ```
/// use chiso::scenario::{compare, Edit};
/// use chiso::{assessment::Value, Index, View};
/// let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/criteria/examples/");
/// let index = Index::from_file(format!("{dir}department-example.json").as_ref()).unwrap();
/// let text = std::fs::read_to_string(format!("{dir}department-example.assessment.json")).unwrap();
/// let a = chiso::load::assessment(&text).unwrap();
/// let edits: Vec<Edit> = chiso::load::json_at(r#"[{"code":"2.2","not_applicable":"Không phát sinh"}]"#, "$overrides").unwrap();
/// let c = compare(&index, &a, &edits, View::Final, "$overrides").unwrap();
/// assert!(c.nodes.iter().any(|n| n.code == "2.2" && n.after.is_none()));
/// assert_eq!(c.assessment.entries["2.2"].not_applicable.as_ref().unwrap().reason, "Không phát sinh");
///
/// let unknown = Edit { code: "9.9".into(), value: Some(Value::YesNo(true)), ..Edit::default() };
/// let e = compare(&index, &a, &[unknown], View::Final, "$overrides").unwrap_err();
/// assert_eq!(e.0[0].path, "$overrides[0]");
/// ```
pub fn compare(
    index: &Index,
    a: &Assessment,
    edits: &[Edit],
    view: View,
    at: &str,
) -> Result<Comparison, Diagnostics> {
    let mut changed = a.clone();
    for (i, e) in edits.iter().enumerate() {
        e.apply(index, &mut changed).map_err(|mut d| {
            d.path = format!("{at}[{i}]");
            Diagnostics(vec![*d])
        })?;
    }
    let before = index.score(a, view)?;
    let after = index.score(&changed, view)?;
    let nodes = (before.nodes.iter())
        .zip(&after.nodes)
        .filter(|(b, a)| b.achieved != a.achieved || b.applicable_max != a.applicable_max)
        .map(|(b, a)| NodeDelta {
            code: b.code.clone(),
            before: b.achieved,
            after: a.achieved,
            delta: a.achieved.zip(b.achieved).map(|(x, y)| x - y),
        })
        .collect();
    Ok(Comparison {
        delta: (after.total.achieved)
            .zip(before.total.achieved)
            .map(|(x, y)| x - y),
        baseline: before.total,
        scenario: after.total,
        nodes,
        assessment: changed,
    })
}
