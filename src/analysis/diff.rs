//! What changed between two criteria sets (two years' decisions): added, removed,
//! re-pointed (same criterion under a new code), moved, renamed, changed maxima,
//! rules, scoring wording and evidence. Pure, so it runs anywhere (CLI, WASM).

use crate::authoring::{fold, rule_syntax};
use crate::index::IndexDefinition;
use crate::node::Node;
use crate::text::Lang;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Kind of change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// A criterion only in the new set.
    Added,
    /// A criterion only in the old set.
    Removed,
    /// The same criterion (same name) under another code.
    Repointed,
    /// Same code, another parent.
    Moved,
    /// Same code, another name.
    Renamed,
    /// Maximum points changed.
    MaxChanged,
    /// Scoring rule changed.
    RuleChanged,
    /// Verbatim scoring wording changed.
    ScoringTextChanged,
    /// Evidence requirements changed.
    EvidenceChanged,
    /// Maximum of the whole index changed.
    TotalMaxChanged,
    /// A bonus/penalty block only in the new set.
    AdjustmentAdded,
    /// A bonus/penalty block only in the old set.
    AdjustmentRemoved,
    /// A bonus/penalty block's cap, kind or name changed.
    AdjustmentChanged,
}

impl ChangeKind {
    /// Short label.
    pub fn label(self, lang: Lang) -> &'static str {
        use ChangeKind::*;
        match (self, lang) {
            (Added, Lang::Vi) => "thêm mới",
            (Added, Lang::En) => "added",
            (Removed, Lang::Vi) => "bỏ",
            (Removed, Lang::En) => "removed",
            (Repointed, Lang::Vi) => "đổi mã",
            (Repointed, Lang::En) => "re-pointed",
            (Moved, Lang::Vi) => "chuyển nhóm",
            (Moved, Lang::En) => "moved",
            (Renamed, Lang::Vi) => "đổi tên",
            (Renamed, Lang::En) => "renamed",
            (MaxChanged, Lang::Vi) => "đổi điểm tối đa",
            (MaxChanged, Lang::En) => "maximum changed",
            (RuleChanged, Lang::Vi) => "đổi cách chấm",
            (RuleChanged, Lang::En) => "rule changed",
            (ScoringTextChanged, Lang::Vi) => "đổi lời văn cách chấm",
            (ScoringTextChanged, Lang::En) => "scoring wording changed",
            (EvidenceChanged, Lang::Vi) => "đổi tài liệu kiểm chứng",
            (EvidenceChanged, Lang::En) => "evidence changed",
            (TotalMaxChanged, Lang::Vi) => "đổi tổng điểm tối đa",
            (TotalMaxChanged, Lang::En) => "index maximum changed",
            (AdjustmentAdded, Lang::Vi) => "thêm mục thưởng/trừ",
            (AdjustmentAdded, Lang::En) => "bonus/penalty added",
            (AdjustmentRemoved, Lang::Vi) => "bỏ mục thưởng/trừ",
            (AdjustmentRemoved, Lang::En) => "bonus/penalty removed",
            (AdjustmentChanged, Lang::Vi) => "đổi mục thưởng/trừ",
            (AdjustmentChanged, Lang::En) => "bonus/penalty changed",
        }
    }
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Change {
    /// What changed.
    pub kind: ChangeKind,
    /// Code (in the old set for removed/re-pointed; else in the new set).
    pub code: String,
    /// New code, for re-pointed criteria.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_code: Option<String>,
    /// Name (new set's when there is one).
    pub title: String,
    /// Old value, as text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<String>,
    /// New value, as text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<String>,
}

/// The changes between two sets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct IndexDiff {
    /// Old set id.
    pub old_id: String,
    /// New set id.
    pub new_id: String,
    /// Old version.
    pub old_version: String,
    /// New version.
    pub new_version: String,
    /// The changes, in the new set's tree order (removals last).
    pub changes: Vec<Change>,
}

struct Flat<'a> {
    node: &'a Node,
    parent: Option<String>,
}

fn flatten<'a>(nodes: &'a [Node], parent: Option<&str>, out: &mut Vec<Flat<'a>>) {
    for n in nodes {
        out.push(Flat {
            node: n,
            parent: parent.map(str::to_owned),
        });
        flatten(&n.children, Some(&n.code), out);
    }
}

fn max_text(m: Option<Decimal>) -> String {
    m.map(|d| d.normalize().to_string())
        .unwrap_or_else(|| "—".into())
}

fn rule_text(n: &Node) -> Option<String> {
    n.rule.as_ref().map(|r| rule_syntax(r, n.max_points))
}

fn name_key(n: &Node) -> String {
    fold(&n.title.vi)
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ')
        .collect()
}

/// Compares two criteria sets.
///
/// ```
/// let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/criteria/par-index/");
/// let read = |f: &str| chiso::load::index_definition(&std::fs::read_to_string(format!("{dir}{f}")).unwrap()).unwrap();
/// let d = chiso::diff::diff(&read("national-2948-2017-province-areas.json"), &read("national-876-2022-province-structure.json"));
/// assert!(d.changes.iter().any(|c| c.kind == chiso::diff::ChangeKind::Renamed && c.code == "2"));
/// ```
pub fn diff(old: &IndexDefinition, new: &IndexDefinition) -> IndexDiff {
    let mut a = Vec::new();
    flatten(&old.nodes, None, &mut a);
    let mut b = Vec::new();
    flatten(&new.nodes, None, &mut b);
    let old_by: HashMap<&str, &Flat> = a.iter().map(|f| (f.node.code.as_str(), f)).collect();
    let new_by: HashMap<&str, &Flat> = b.iter().map(|f| (f.node.code.as_str(), f)).collect();
    let mut changes = Vec::new();
    if old.max_points != new.max_points {
        changes.push(Change {
            kind: ChangeKind::TotalMaxChanged,
            code: "total".into(),
            new_code: None,
            title: new.title.vi.clone(),
            old: Some(max_text(old.max_points)),
            new: Some(max_text(new.max_points)),
        });
    }
    // Old codes that vanished, matched by name to new codes that appeared.
    let vanished: Vec<&Flat> = a
        .iter()
        .filter(|f| !new_by.contains_key(f.node.code.as_str()))
        .collect();
    let mut repointed: HashMap<String, String> = HashMap::new(); // new code → old code
    for f in &vanished {
        let key = name_key(f.node);
        if let Some(n) = b.iter().find(|n| {
            !old_by.contains_key(n.node.code.as_str())
                && name_key(n.node) == key
                && !repointed.contains_key(&n.node.code)
        }) {
            repointed.insert(n.node.code.clone(), f.node.code.clone());
        }
    }
    for f in &b {
        let n = f.node;
        let title = n.title.vi.clone();
        let change = |kind, old: Option<String>, new: Option<String>| Change {
            kind,
            code: n.code.clone(),
            new_code: None,
            title: title.clone(),
            old,
            new,
        };
        let o = match old_by.get(n.code.as_str()) {
            Some(o) => o.node,
            None => {
                if let Some(oc) = repointed.get(&n.code) {
                    changes.push(Change {
                        kind: ChangeKind::Repointed,
                        code: oc.clone(),
                        new_code: Some(n.code.clone()),
                        title: title.clone(),
                        old: Some(oc.clone()),
                        new: Some(n.code.clone()),
                    });
                    if let Some(o) = old_by.get(oc.as_str()) {
                        compare(o.node, n, &mut changes, &change);
                    }
                } else {
                    changes.push(change(
                        ChangeKind::Added,
                        None,
                        Some(format!("{} ({})", title, max_text(n.max_points))),
                    ));
                }
                continue;
            }
        };
        let op = old_by.get(n.code.as_str()).and_then(|x| x.parent.clone());
        if op != f.parent {
            changes.push(change(
                ChangeKind::Moved,
                Some(op.unwrap_or_else(|| "—".into())),
                Some(f.parent.clone().unwrap_or_else(|| "—".into())),
            ));
        }
        if name_key(o) != name_key(n) {
            changes.push(change(
                ChangeKind::Renamed,
                Some(o.title.vi.clone()),
                Some(n.title.vi.clone()),
            ));
        }
        compare(o, n, &mut changes, &change);
    }
    for f in &vanished {
        if repointed.values().any(|v| v == &f.node.code) {
            continue;
        }
        changes.push(Change {
            kind: ChangeKind::Removed,
            code: f.node.code.clone(),
            new_code: None,
            title: f.node.title.vi.clone(),
            old: Some(format!(
                "{} ({})",
                f.node.title.vi,
                max_text(f.node.max_points)
            )),
            new: None,
        });
    }
    for adj in &new.adjustments {
        match old.adjustments.iter().find(|o| o.code == adj.code) {
            None => changes.push(Change {
                kind: ChangeKind::AdjustmentAdded,
                code: adj.code.clone(),
                new_code: None,
                title: adj.title.vi.clone(),
                old: None,
                new: Some(adj.cap.normalize().to_string()),
            }),
            Some(o) if o.cap != adj.cap || o.kind != adj.kind || o.title.vi != adj.title.vi => {
                changes.push(Change {
                    kind: ChangeKind::AdjustmentChanged,
                    code: adj.code.clone(),
                    new_code: None,
                    title: adj.title.vi.clone(),
                    old: Some(format!("{:?} {}", o.kind, o.cap.normalize())),
                    new: Some(format!("{:?} {}", adj.kind, adj.cap.normalize())),
                })
            }
            Some(_) => {}
        }
    }
    for o in &old.adjustments {
        if !new.adjustments.iter().any(|n| n.code == o.code) {
            changes.push(Change {
                kind: ChangeKind::AdjustmentRemoved,
                code: o.code.clone(),
                new_code: None,
                title: o.title.vi.clone(),
                old: Some(o.cap.normalize().to_string()),
                new: None,
            });
        }
    }
    IndexDiff {
        old_id: old.id.clone(),
        new_id: new.id.clone(),
        old_version: old.version.clone(),
        new_version: new.version.clone(),
        changes,
    }
}

fn compare(
    o: &Node,
    n: &Node,
    changes: &mut Vec<Change>,
    change: &dyn Fn(ChangeKind, Option<String>, Option<String>) -> Change,
) {
    if o.max_points != n.max_points {
        changes.push(change(
            ChangeKind::MaxChanged,
            Some(max_text(o.max_points)),
            Some(max_text(n.max_points)),
        ));
    }
    if o.rule != n.rule {
        changes.push(change(ChangeKind::RuleChanged, rule_text(o), rule_text(n)));
    }
    let st = |x: &Node| x.scoring_text.as_ref().map(|t| t.vi.clone());
    if st(o) != st(n) {
        changes.push(change(ChangeKind::ScoringTextChanged, st(o), st(n)));
    }
    let ev = |x: &Node| {
        x.evidence
            .iter()
            .map(|t| t.vi.clone())
            .collect::<Vec<_>>()
            .join("; ")
    };
    if ev(o) != ev(n) {
        changes.push(change(
            ChangeKind::EvidenceChanged,
            Some(ev(o)),
            Some(ev(n)),
        ));
    }
}
