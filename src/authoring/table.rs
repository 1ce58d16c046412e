//! The criteria table of an index: rows for writing a spreadsheet or a CSV.

use super::header::Field;
use super::syntax::rule_syntax;
use crate::index::IndexDefinition;
use crate::node::{Channel, Node};
use crate::text::{Lang, Text};
use rust_decimal::Decimal;

/// The criteria table as rows (header first), for writing a spreadsheet or a CSV:
/// every node in tree order, then bonus and penalty blocks. Reading it back with
/// [`import`](super::import) gives the same nodes.
pub fn criteria_table(def: &IndexDefinition) -> Vec<CriteriaRow> {
    fn walk(n: &Node, depth: usize, out: &mut Vec<CriteriaRow>) {
        let rule = match (&n.rule, &n.aggregation) {
            (Some(r), _) => rule_syntax(r, n.max_points),
            (None, Some(a)) => format!(
                "aggregate: {}",
                serde_json::to_string(a).unwrap_or_default()
            ),
            _ => String::new(),
        };
        let join = |v: &[Text], lang: Lang| {
            v.iter()
                .map(|t| match lang {
                    Lang::Vi => t.vi.clone(),
                    Lang::En => t.en.clone(),
                })
                .collect::<Vec<_>>()
                .join("\n")
        };
        let notes_en = join(&n.notes, Lang::En);
        out.push(CriteriaRow {
            depth,
            code: n.code.clone(),
            name: n.title.vi.clone(),
            name_en: n.title.en.clone(),
            max: n.max_points,
            scoring: n
                .scoring_text
                .as_ref()
                .map(|t| t.vi.clone())
                .unwrap_or_default(),
            scoring_en: n
                .scoring_text
                .as_ref()
                .map(|t| t.en.clone())
                .unwrap_or_default(),
            evidence: join(&n.evidence, Lang::Vi),
            evidence_en: {
                let e = join(&n.evidence, Lang::En);
                if e.trim().is_empty() {
                    String::new()
                } else {
                    e
                }
            },
            rule,
            notes: join(&n.notes, Lang::Vi),
            notes_en: if notes_en.trim().is_empty() {
                String::new()
            } else {
                notes_en
            },
            kind: String::new(),
            channel: match n.channel {
                Channel::Survey => "Điều tra xã hội học".into(),
                Channel::Appraised => String::new(),
            },
            leaf: n.children.is_empty(),
        });
        for c in &n.children {
            walk(c, depth + 1, out);
        }
    }
    let mut out = Vec::new();
    for n in &def.nodes {
        walk(n, 1, &mut out);
    }
    for a in &def.adjustments {
        out.push(CriteriaRow {
            depth: 1,
            code: a.code.clone(),
            name: a.title.vi.clone(),
            name_en: a.title.en.clone(),
            max: Some(a.cap),
            scoring: a
                .scoring_text
                .as_ref()
                .map(|t| t.vi.clone())
                .unwrap_or_default(),
            scoring_en: a
                .scoring_text
                .as_ref()
                .map(|t| t.en.clone())
                .unwrap_or_default(),
            kind: a.kind.name(crate::Lang::Vi).into(),
            ..Default::default()
        });
    }
    out
}

/// One row of [`criteria_table`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CriteriaRow {
    /// Depth (top level 1).
    pub depth: usize,
    /// STT.
    pub code: String,
    /// Name.
    pub name: String,
    /// English name.
    pub name_en: String,
    /// Maximum points.
    pub max: Option<Decimal>,
    /// Scoring text.
    pub scoring: String,
    /// English scoring text.
    pub scoring_en: String,
    /// Evidence, one per line.
    pub evidence: String,
    /// English evidence, one per line.
    pub evidence_en: String,
    /// Rule column.
    pub rule: String,
    /// Notes, one per line.
    pub notes: String,
    /// English notes.
    pub notes_en: String,
    /// Loại (bonus / penalty).
    pub kind: String,
    /// Channel.
    pub channel: String,
    /// Whether the row is a scored criterion.
    pub leaf: bool,
}

impl CriteriaRow {
    /// The text of `field` (the maximum as plain text).
    pub fn text(&self, field: Field) -> String {
        match field {
            Field::Code => self.code.clone(),
            Field::Name => self.name.clone(),
            Field::NameEn => self.name_en.clone(),
            Field::Max => self
                .max
                .map(|m| m.normalize().to_string())
                .unwrap_or_default(),
            Field::Scoring => self.scoring.clone(),
            Field::ScoringEn => self.scoring_en.clone(),
            Field::Evidence => self.evidence.clone(),
            Field::EvidenceEn => self.evidence_en.clone(),
            Field::Rule => self.rule.clone(),
            Field::Notes => self.notes.clone(),
            Field::NotesEn => self.notes_en.clone(),
            Field::Kind => self.kind.clone(),
            Field::Channel => self.channel.clone(),
        }
    }
}
