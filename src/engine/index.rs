//! The engine: a validated, flattened index that scores assessments exactly.

use crate::assessment::{Assessment, Entry, Layer, LayerEntry, Value};
use crate::band::band_of;
use crate::diagnostics::{Diagnostic, Diagnostics, Problem, Severity};
use crate::index::{
    listed_positions, unit_type_reason, IndexDefinition, MissingEvidencePolicy, MissingValuePolicy,
};
use crate::node::{Aggregation, Channel, Node};
use crate::ranking::percent_of;
use crate::result::{
    AdjustmentResult, BandRef, NodeResult, ScoreResult, Status, Total, UnitTypeRef, View,
    RESULT_FORMAT,
};
use crate::rule::{Outcome, Rule};
use crate::text::{Lang, Text};
use rust_decimal::Decimal;

mod check;
mod maxima;
mod total;
use maxima::unverified_maxima;
pub use total::{ratio_percent, total_after_adjustments};

/// Code used for the root (the whole index) in outputs.
pub const ROOT_CODE: &str = "total";

/// One criterion of an index as scoring sees it: the tree of the definition flattened
/// in pre-order, position 0 the root ([`ROOT_CODE`]), parents and children as positions,
/// weights resolved, the path of the node in the index file.
///
/// This is the public, read-only view of an [`Index`]'s tree ([`Index::nodes`],
/// [`Index::node`]): what a form renders, what the points-only path's cells
/// ([`Index::evaluate`]) are aligned with, and a way to walk the tree without recursion.
/// Only [`Index`] builds it (the struct is `#[non_exhaustive]`); the definition's own tree
/// is [`crate::node::Node`].
///
/// ```
/// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/criteria/examples/department-example.json");
/// let index = chiso::Index::from_file(path.as_ref()).unwrap();
/// let root = &index.nodes()[0];
/// assert_eq!(root.code, chiso::engine::ROOT_CODE);
/// let first = &index.nodes()[root.children[0]];
/// assert_eq!(first.parent, Some(0));
/// assert_eq!(first.path, "$.nodes[0]");
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct FlatNode {
    /// Criterion code ([`ROOT_CODE`] for the root).
    pub code: String,
    /// Name.
    pub title: Text,
    /// Parent position.
    pub parent: Option<usize>,
    /// Children positions.
    pub children: Vec<usize>,
    /// Depth (root 0).
    pub depth: usize,
    /// JSON path in the index file.
    pub path: String,
    /// Declared maximum.
    pub max: Option<Decimal>,
    /// Channel.
    pub channel: Channel,
    /// Whether evidence is required.
    pub evidence_required: bool,
    /// Rule (leaves).
    pub rule: Option<Rule>,
    /// Aggregation (parents).
    pub aggregation: Aggregation,
    /// Weights aligned with `children` (1 for plain sums).
    pub weights: Vec<Decimal>,
    /// Verbatim scoring text.
    pub scoring_text: Option<Text>,
}

impl FlatNode {
    /// Whether the node is scored by a rule.
    pub fn is_leaf(&self) -> bool {
        self.children.is_empty()
    }
}

/// The value of one node in one view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    /// Points achieved and the applicable maximum.
    Value {
        /// Points.
        achieved: Decimal,
        /// Applicable maximum (`None` when the index gives none).
        max: Option<Decimal>,
    },
    /// No value (and, under the propagate policy, neither has any ancestor).
    Missing,
    /// Not applicable: out of both achieved and maximum.
    NotApplicable,
}

impl Cell {
    /// Points, when there is a value.
    pub fn achieved(&self) -> Option<Decimal> {
        match self {
            Cell::Value { achieved, .. } => Some(*achieved),
            _ => None,
        }
    }
    /// Applicable maximum, when known.
    pub fn max(&self) -> Option<Decimal> {
        match self {
            Cell::Value { max, .. } => *max,
            _ => None,
        }
    }
}

/// A validated index, ready to score many assessments.
///
/// ```
/// let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/criteria/examples/department-example.json")).unwrap();
/// let index = chiso::Index::from_json(&text).unwrap();
/// assert!(index.node("1.1.1").is_some());
/// ```
#[derive(Debug, Clone)]
pub struct Index {
    def: IndexDefinition,
    nodes: Vec<FlatNode>,
    by_code: crate::index::Positions,
    /// Per declared unit type (same order), the positions it lists as not applicable.
    pub(crate) unit_types: Vec<Vec<usize>>,
    /// Parents whose declared maximum validation could not check against their children
    /// (a child without a known maximum), checked against the points at scoring instead.
    unverified: Vec<usize>,
    warnings: Diagnostics,
}

impl Index {
    /// Validates a definition and builds the index. Errors list every problem found.
    pub fn new(def: IndexDefinition) -> Result<Index, Diagnostics> {
        let diags = crate::validate::check_index(&def);
        if diags.has_errors() {
            return Err(diags);
        }
        let nodes = flat_nodes(&def);
        let by_code = crate::index::positions(&nodes);
        let unit_types = def
            .unit_types
            .iter()
            .map(|t| listed_positions(&by_code, &t.not_applicable))
            .collect();
        let unverified = unverified_maxima(&nodes);
        Ok(Index {
            def,
            nodes,
            by_code,
            unit_types,
            unverified,
            warnings: diags,
        })
    }

    /// Parses and validates an index file's text.
    pub fn from_json(text: &str) -> Result<Index, Diagnostics> {
        Index::new(crate::load::index_definition(text)?)
    }

    /// Reads, parses and validates an index file; diagnostics name the file.
    pub fn from_file(path: &std::path::Path) -> Result<Index, Diagnostics> {
        let name = path.display().to_string();
        let text = crate::load::read_file(path)?;
        Index::from_json(&text).map_err(|d| d.in_file(&name))
    }

    /// The definition.
    pub fn definition(&self) -> &IndexDefinition {
        &self.def
    }

    /// Warnings found while validating the definition.
    pub fn warnings(&self) -> &Diagnostics {
        &self.warnings
    }

    /// All nodes in pre-order, root first.
    pub fn nodes(&self) -> &[FlatNode] {
        &self.nodes
    }

    /// The node with `code`.
    pub fn node(&self, code: &str) -> Option<&FlatNode> {
        self.by_code.get(code).map(|&i| &self.nodes[i])
    }

    /// Position of the node with `code`.
    pub fn position(&self, code: &str) -> Option<usize> {
        self.by_code.get(code).copied()
    }

    /// Positions of the leaves, in tree order.
    pub fn leaves(&self) -> impl Iterator<Item = usize> + '_ {
        self.nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.is_leaf() && n.parent.is_some())
            .map(|(i, _)| i)
    }

    /// The points a leaf contributes for `points` from its rule: rounded as the index's
    /// `policies.leaf_rounding` declares (the QĐ 766 portal: 2 decimals, half up),
    /// unchanged without that policy. Every scoring path ([`Index::score`],
    /// [`Index::evaluate`], the batch, the planner) rounds leaves through this.
    ///
    /// ```
    /// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/criteria/service-766/qd766-portal-six-groups.json");
    /// let index = chiso::Index::from_file(path.as_ref()).unwrap();
    /// // 4.2 of Gia Lai's Sở VH-TT-DL: 4 × 603/654 = 3.688… → 3.69 (reference §8.4).
    /// let exact = chiso::Decimal::from(4 * 603) / chiso::Decimal::from(654);
    /// assert_eq!(index.round_leaf(exact), "3.69".parse().unwrap());
    /// ```
    pub fn round_leaf(&self, points: Decimal) -> Decimal {
        match &self.def.policies.leaf_rounding {
            Some(r) => r.apply(points),
            None => points,
        }
    }

    /// Aggregates bottom-up: `cells` holds one cell per node in [`Index::nodes`] order;
    /// leaf cells must be filled, parent cells are overwritten.
    ///
    /// Exposed so batch scorers can fill leaves their own way and share the arithmetic.
    pub fn aggregate(&self, cells: &mut [Cell]) {
        aggregate(&self.nodes, cells);
    }

    /// Scores one assessment. The assessment is checked first; errors are returned
    /// all at once and nothing is scored.
    pub fn score(&self, a: &Assessment, view: View) -> Result<ScoreResult, Diagnostics> {
        let checks = self.check_assessment(a);
        if checks.has_errors() {
            return Err(checks);
        }
        let n = self.nodes.len();
        let unit_type = a.unit_type.as_deref().and_then(|t| self.unit_type(t));
        let excluded = self.excluded(unit_type.map(|t| t.code.as_str()));
        // Why each node is not applicable: its unit type (declared in the index) first,
        // else an entry marking it or an ancestor.
        let mut na_reason: Vec<Option<Text>> = vec![None; n];
        for i in 1..n {
            na_reason[i] = match unit_type.filter(|_| excluded[i]) {
                Some(t) => Some(unit_type_reason(t)),
                None => self.nodes[i]
                    .parent
                    .and_then(|p| na_reason[p].clone())
                    .or_else(|| {
                        a.entries
                            .get(&self.nodes[i].code)
                            .and_then(|e| e.not_applicable.as_ref())
                            .map(|r| {
                                Text::new(
                                    format!("không áp dụng{}", suffix(&r.reason)),
                                    format!("not applicable{}", suffix(&r.reason)),
                                )
                            })
                    }),
            };
        }
        let views = [View::SelfAssessment, View::Appraised, View::Final];
        let started = appraisal_started(a);
        let mut cells: [Vec<Cell>; 3] = std::array::from_fn(|_| vec![Cell::Missing; n]);
        let mut leaf_info: Vec<Option<LeafInfo>> = vec![None; n];
        let mut problems = Diagnostics::default();
        for i in self.leaves() {
            let node = &self.nodes[i];
            let entry = a.entries.get(&node.code);
            for (vi, &v) in views.iter().enumerate() {
                let info = self
                    .leaf(node, entry, na_reason[i].as_ref(), v, started)
                    .unwrap_or_else(|p| {
                        problems.push(Diagnostic::error(node.path.clone(), Some(&node.code), p));
                        LeafInfo::missing(node, self.def.policies.missing_value)
                    });
                cells[vi][i] = info.cell;
                if v == view {
                    leaf_info[i] = Some(info);
                }
            }
        }
        if problems.has_errors() {
            return Err(problems);
        }
        for c in cells.iter_mut() {
            self.aggregate(c);
            problems.0.extend(self.points_above_declared_max(c).0);
        }
        if problems.has_errors() {
            // One error per node, the first view that breaks it.
            let (mut seen, mut uncoded) = (crate::validate::Codes::new(), false);
            problems.0.retain(|d| match &d.code {
                Some(code) => crate::validate::first_time(&mut seen, code),
                None => !std::mem::replace(&mut uncoded, true),
            });
            return Err(problems);
        }
        let chosen = views.iter().position(|&v| v == view).unwrap_or(2);
        let mut nodes = Vec::with_capacity(n - 1);
        for i in 1..n {
            let node = &self.nodes[i];
            let cell = cells[chosen][i];
            let (status, source, explanation) = match &leaf_info[i] {
                Some(li) => (li.status.clone(), li.source, Some(li.explanation.clone())),
                // A block excluded for the unit type says why, like its leaves.
                None => (
                    Status::of_cell(&cell),
                    None,
                    na_reason[i].clone().filter(|_| excluded[i]),
                ),
            };
            let self_points = cells[0][i].achieved();
            let appraised_points = cells[1][i].achieved();
            nodes.push(NodeResult {
                code: node.code.clone(),
                title: node.title.clone(),
                depth: node.depth,
                parent: node
                    .parent
                    .filter(|&p| p != 0)
                    .map(|p| self.nodes[p].code.clone()),
                leaf: node.is_leaf(),
                channel: node.channel,
                max_points: node.max,
                applicable_max: cell.max(),
                achieved: cell.achieved(),
                percent: percent(cell),
                self_points,
                appraised_points,
                final_points: cells[2][i].achieved(),
                delta: appraised_points.zip(self_points).map(|(ap, sp)| ap - sp),
                status,
                source,
                explanation,
                scoring_text: node.scoring_text.clone(),
            });
        }
        let (adjustments, totals) = self.adjust(a, &cells, chosen);
        let root = cells[chosen][0];
        let achieved = totals[chosen];
        let applicable_max = root.max();
        let pct = match (achieved, applicable_max) {
            (Some(x), Some(m)) if !m.is_zero() => match percent_of(x, Some(m)) {
                Some(p) => Some(p),
                // Bonus points far above a tiny maximum.
                None => {
                    return Err(Diagnostics(vec![Diagnostic::error(
                        "$",
                        None,
                        Problem::Overflow {
                            what: "percent of the total / tỷ lệ phần trăm của tổng điểm".into(),
                        },
                    )]))
                }
            },
            _ => None,
        };
        let band = pct
            .and_then(|p| band_of(&self.def.bands, p))
            .map(|b| BandRef {
                code: b.code.clone(),
                label: b.label.clone(),
            });
        let mut diagnostics = checks;
        diagnostics.0.retain(|d| d.severity == Severity::Warning);
        Ok(ScoreResult {
            format: RESULT_FORMAT.into(),
            index: self.def.id.clone(),
            index_version: self.def.version.clone(),
            unit: a.unit.clone(),
            year: a.year,
            view,
            total: Total {
                criteria_points: root.achieved(),
                achieved,
                applicable_max,
                max_points: self.def.max_points,
                percent: pct,
                band,
                self_points: totals[0],
                appraised_points: totals[1],
                final_points: totals[2],
                status: Status::of_cell(&root),
            },
            nodes,
            adjustments,
            diagnostics,
            leaf_rounding: self.def.policies.leaf_rounding.clone(),
            unit_type: unit_type.map(|t| UnitTypeRef {
                code: t.code.clone(),
                title: t.title.clone(),
                not_applicable: t.not_applicable.clone(),
                reason: t.reason.clone(),
            }),
        })
    }

    fn adjust(
        &self,
        a: &Assessment,
        cells: &[Vec<Cell>; 3],
        chosen: usize,
    ) -> (Vec<AdjustmentResult>, [Option<Decimal>; 3]) {
        let started = appraisal_started(a);
        let mut signed: [Vec<Decimal>; 3] = Default::default();
        let mut results = Vec::new();
        for adj in &self.def.adjustments {
            let entry = a.adjustments.get(&adj.code);
            let mut per_view = [Decimal::ZERO; 3];
            let mut source = None;
            for (v, view) in [View::SelfAssessment, View::Appraised, View::Final]
                .into_iter()
                .enumerate()
            {
                let pick = entry.and_then(|e| pick_layer(e, Channel::Appraised, view, started));
                if let Some((layer, le)) = pick {
                    if let Value::Points(p) = le.value {
                        per_view[v] = p.min(adj.cap);
                        if v == chosen {
                            source = Some(layer);
                        }
                    }
                }
                signed[v].push(adj.kind.signed(per_view[v]));
            }
            results.push(AdjustmentResult {
                code: adj.code.clone(),
                title: adj.title.clone(),
                kind: adj.kind,
                cap: adj.cap,
                points: per_view[chosen],
                source,
            });
        }
        let totals = std::array::from_fn(|v| {
            let criteria = cells[v][0].achieved()?;
            Some(total_after_adjustments(criteria, signed[v].iter().copied()))
        });
        (results, totals)
    }

    fn leaf(
        &self,
        node: &FlatNode,
        entry: Option<&Entry>,
        na: Option<&Text>,
        view: View,
        started: bool,
    ) -> Result<LeafInfo, Problem> {
        if let Some(why) = na {
            return Ok(LeafInfo {
                cell: Cell::NotApplicable,
                status: Status::NotApplicable,
                source: None,
                explanation: why.clone(),
            });
        }
        let policy = self.def.policies.missing_value;
        if view == View::Appraised && node.channel == Channel::Appraised && !started {
            return Ok(LeafInfo {
                cell: Cell::Missing,
                status: Status::Missing,
                source: None,
                explanation: Text::new("chưa thẩm định", "not appraised yet"),
            });
        }
        let Some((e, (layer, le))) =
            entry.and_then(|e| Some((e, pick_layer(e, node.channel, view, started)?)))
        else {
            return Ok(LeafInfo::missing(node, policy));
        };
        let Some(rule) = &node.rule else {
            return Ok(LeafInfo::missing(node, policy));
        };
        match rule.evaluate(node.max, &le.value)? {
            Outcome::NotApplicable { explanation } => Ok(LeafInfo {
                cell: Cell::NotApplicable,
                status: Status::NotApplicable,
                source: Some(layer),
                explanation,
            }),
            Outcome::Scored {
                points,
                mut explanation,
            } => {
                let points = self.rounded_leaf(points, &mut explanation);
                let mut status = Status::Scored;
                if started && layer == Layer::SelfAssessment && view != View::SelfAssessment {
                    explanation
                        .vi
                        .push_str(" (Hội đồng thẩm định công nhận điểm tự chấm)");
                    explanation
                        .en
                        .push_str(" (self score recognised by the appraisal)");
                }
                let mut points = points;
                let evidence_checked = node.evidence_required
                    && node.channel == Channel::Appraised
                    && self.def.policies.missing_evidence != MissingEvidencePolicy::Ignore;
                if evidence_checked && e.layers().all(|(_, l)| l.evidence.is_empty()) {
                    let explained = e.layers().any(|(_, l)| {
                        l.explanation
                            .as_deref()
                            .is_some_and(|s| !s.trim().is_empty())
                    });
                    status = Status::EvidenceMissing { explained };
                    let not_credited = self.def.policies.missing_evidence
                        == MissingEvidencePolicy::NotCredited
                        && layer == Layer::SelfAssessment
                        && view != View::SelfAssessment;
                    if not_credited {
                        points = Decimal::ZERO;
                        explanation.vi.push_str(
                            "; thiếu tài liệu kiểm chứng → không được tính điểm (0 điểm)",
                        );
                        explanation
                            .en
                            .push_str("; no evidence attached → not credited (0 points)");
                    } else {
                        explanation.vi.push_str("; thiếu tài liệu kiểm chứng");
                        explanation.en.push_str("; no evidence attached");
                    }
                    if !explained {
                        explanation.vi.push_str(", cần giải trình");
                        explanation.en.push_str(", an explanation is required");
                    }
                }
                Ok(LeafInfo {
                    cell: Cell::Value {
                        achieved: points,
                        max: node.max,
                    },
                    status,
                    source: Some(layer),
                    explanation,
                })
            }
        }
    }
}

impl Index {
    /// [`Index::round_leaf`], saying so in `explanation` when the rounding changes the
    /// points: "…→ ≈5,5321 điểm; làm tròn 2 chữ số thập phân (nửa lên), như Cổng DVCQG
    /// → 5,53 điểm".
    fn rounded_leaf(&self, points: Decimal, explanation: &mut Text) -> Decimal {
        let Some(r) = &self.def.policies.leaf_rounding else {
            return points;
        };
        let rounded = r.apply(points);
        if rounded != points {
            let source = |l: Lang| {
                r.source
                    .as_ref()
                    .map(|t| format!(", {}", t.get(l)))
                    .unwrap_or_default()
            };
            let mode = r.mode.words();
            let value = |l: Lang| crate::display::plain(rounded, l);
            explanation.vi.push_str(&format!(
                "; làm tròn {} chữ số thập phân ({}){} → {} điểm",
                r.decimals,
                mode.vi,
                source(Lang::Vi),
                value(Lang::Vi)
            ));
            explanation.en.push_str(&format!(
                "; rounded to {} decimal{} ({}){} → {} point{}",
                r.decimals,
                if r.decimals == 1 { "" } else { "s" },
                mode.en,
                source(Lang::En),
                value(Lang::En),
                if rounded == Decimal::ONE { "" } else { "s" }
            ));
        }
        rounded
    }
}

fn suffix(reason: &str) -> String {
    if reason.trim().is_empty() {
        String::new()
    } else {
        format!(": {reason}")
    }
}

/// A node's percent. Validation bounds a node's points by about twice its maximum (leaf
/// rounding), so the quotient cannot overflow; the checked form costs nothing.
fn percent(c: Cell) -> Option<Decimal> {
    match c {
        Cell::Value { achieved, max } => percent_of(achieved, max),
        _ => None,
    }
}

/// Which layer a view reads for a leaf of `channel`.
///
/// The appraisal "recognises or adjusts" the self score (thẩm định: "xem xét, công nhận
/// hoặc điều chỉnh nếu cần thiết", 1149/QĐ-BNV): once any appraisal layer exists in the
/// assessment (`appraisal_started`), a leaf the council did not re-score keeps its self
/// score in the appraised view. Before that, the appraised view has no value.
pub(crate) fn pick_layer(
    e: &Entry,
    channel: Channel,
    view: View,
    appraisal_started: bool,
) -> Option<(Layer, &LayerEntry)> {
    let own = || {
        e.self_assessment
            .as_ref()
            .map(|s| (Layer::SelfAssessment, s))
    };
    match (channel, view) {
        (Channel::Survey, _) => e.survey.as_ref().map(|s| (Layer::Survey, s)),
        (Channel::Appraised, View::SelfAssessment) => own(),
        (Channel::Appraised, View::Appraised) if !appraisal_started => None,
        (Channel::Appraised, View::Appraised | View::Final) => e.latest_appraisal().or_else(own),
    }
}

/// Whether any entry or adjustment carries an appraisal round.
pub(crate) fn appraisal_started(a: &Assessment) -> bool {
    a.entries
        .values()
        .chain(a.adjustments.values())
        .any(|e| e.latest_appraisal().is_some())
}

#[derive(Debug, Clone)]
struct LeafInfo {
    cell: Cell,
    status: Status,
    source: Option<Layer>,
    explanation: Text,
}

impl LeafInfo {
    fn missing(node: &FlatNode, policy: MissingValuePolicy) -> LeafInfo {
        let (cell, vi, en) = match policy {
            MissingValuePolicy::Zero => (
                Cell::Value {
                    achieved: Decimal::ZERO,
                    max: node.max,
                },
                "chưa có điểm → 0 điểm",
                "no value → 0 points",
            ),
            MissingValuePolicy::Propagate => (
                Cell::Missing,
                "thiếu số liệu (không ước tính)",
                "missing (not imputed)",
            ),
        };
        LeafInfo {
            cell,
            status: Status::Missing,
            source: None,
            explanation: Text::new(vi, en),
        }
    }
}

fn flatten(n: &Node, parent: usize, path: &str, depth: usize, out: &mut Vec<FlatNode>) {
    let me = out.len();
    out.push(FlatNode {
        code: n.code.clone(),
        title: n.title.clone(),
        parent: Some(parent),
        children: Vec::new(),
        depth,
        path: path.to_owned(),
        max: n.max_points,
        channel: n.channel,
        evidence_required: !n.evidence.is_empty(),
        rule: n.rule.clone(),
        aggregation: n.aggregation.clone().unwrap_or_default(),
        weights: Vec::new(),
        scoring_text: n.scoring_text.clone(),
    });
    let w = weight_of(&out[parent].aggregation, &n.code);
    out[parent].children.push(me);
    out[parent].weights.push(w);
    for (i, c) in n.children.iter().enumerate() {
        flatten(c, me, &format!("{path}.children[{i}]"), depth + 1, out);
    }
}

fn weight_of(agg: &Aggregation, code: &str) -> Decimal {
    agg.weights()
        .and_then(|w| w.get(code).copied())
        .unwrap_or(Decimal::ONE)
}

/// The tree of `def` flattened in pre-order, root first (the arithmetic's layout).
pub(crate) fn flat_nodes(def: &IndexDefinition) -> Vec<FlatNode> {
    let mut nodes = vec![FlatNode {
        code: ROOT_CODE.into(),
        title: def.title.clone(),
        parent: None,
        children: Vec::new(),
        depth: 0,
        path: "$".into(),
        max: def.max_points,
        channel: Channel::Appraised,
        evidence_required: false,
        rule: None,
        aggregation: def.aggregation.clone(),
        weights: Vec::new(),
        scoring_text: None,
    }];
    for (i, n) in def.nodes.iter().enumerate() {
        flatten(n, 0, &format!("$.nodes[{i}]"), 1, &mut nodes);
    }
    nodes
}

/// Aggregates `cells` bottom-up over `nodes` (see [`Index::aggregate`]).
pub(crate) fn aggregate(nodes: &[FlatNode], cells: &mut [Cell]) {
    for i in (0..nodes.len()).rev() {
        let n = &nodes[i];
        if n.children.is_empty() {
            continue;
        }
        cells[i] = combine(n, cells);
    }
}

/// One parent's cell from its children's cells.
pub(crate) fn combine(n: &FlatNode, cells: &[Cell]) -> Cell {
    let mut all_na = true;
    let mut missing = false;
    let mut sum = Decimal::ZERO;
    let mut max_sum = Some(Decimal::ZERO);
    let mut wsum = Decimal::ZERO;
    // Plain sums (all weights 1) skip the multiplications: same values, less work
    // on the batch hot path.
    let plain = matches!(n.aggregation, Aggregation::Sum { .. });
    for (&c, &w) in n.children.iter().zip(&n.weights) {
        match cells[c] {
            Cell::NotApplicable => {}
            Cell::Missing => {
                all_na = false;
                missing = true;
            }
            Cell::Value { achieved, max } if plain => {
                all_na = false;
                sum += achieved;
                max_sum = max_sum.zip(max).map(|(s, m)| s + m);
                wsum += w;
            }
            Cell::Value { achieved, max } => {
                all_na = false;
                sum += w * achieved;
                max_sum = max_sum.zip(max).map(|(s, m)| s + w * m);
                wsum += w;
            }
        }
    }
    if all_na {
        return Cell::NotApplicable;
    }
    if missing {
        return Cell::Missing;
    }
    let (mut achieved, mut max) = match n.aggregation {
        Aggregation::WeightedMean { .. } if !wsum.is_zero() => {
            (sum / wsum, max_sum.map(|m| m / wsum))
        }
        _ => (sum, max_sum),
    };
    if n.aggregation.rescales() {
        if let (Some(target), Some(m)) = (n.max, max) {
            if !m.is_zero() {
                achieved = achieved / m * target;
            }
            max = Some(target);
        }
    }
    Cell::Value { achieved, max }
}
