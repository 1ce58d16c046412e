//! Why a criterion has its points, in words (vi/en): the one explanation the CLI
//! (`chiso explain`), the web form and a Rust service give.
//!
//! - [`explain()`]: the full explanation of one node — its maximum and verbatim scoring
//!   text, each layer's value with the points its rule gives, evidence and notes, the
//!   layer used; for a parent, how the sub-criteria are aggregated, term by term; for the
//!   index, bonus/penalty blocks, total, percent and band. `chiso explain` prints it.
//! - [`line()`]: one line per node, `code title: points/max — why`.
//! - [`Explanation`]: the node's result, its assessment entry and both texts, as one
//!   serializable value (what the WASM binding returns as JSON).
//!
//! Numbers are exact when they have at most 4 decimals, otherwise "≈" and 4 decimals
//! rounded half up; nothing here changes a score.
//!
//! ```
//! use chiso::{explain, Index, Lang, View};
//! let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/criteria/examples/");
//! let index = Index::from_file(format!("{dir}department-example.json").as_ref()).unwrap();
//! let text = std::fs::read_to_string(format!("{dir}department-example.assessment.json")).unwrap();
//! let a = chiso::load::assessment(&text).unwrap();
//! let result = index.score(&a, View::Final).unwrap();
//! let code = &result.nodes[0].code;
//! let full = explain::explain(&index, &a, &result, code, Lang::En).unwrap();
//! assert!(full.starts_with(&format!("Criterion {code}:")));
//! let e = explain::Explanation::of(&index, &a, &result, code, Lang::Vi).unwrap();
//! assert!(e.text.starts_with(code.as_str()));
//! assert_eq!(e.detail, explain::explain(&index, &a, &result, code, Lang::Vi).unwrap());
//! assert!(explain::explain(&index, &a, &result, "no such code", Lang::En).is_none());
//! ```

use crate::assessment::{Assessment, Entry, LayerEntry, Value};
use crate::display::{plain, round, Rounding};
use crate::engine::{FlatNode, Index};
use crate::index::AdjustmentKind;
use crate::node::Aggregation;
use crate::result::{NodeResult, ScoreResult};
use crate::rule::{Outcome, Rule};
use crate::text::Lang;
use rust_decimal::Decimal;
use serde::Serialize;
use std::fmt::Write;

/// One node explained: its result, the assessment's entry for it, the one-line summary
/// ([`line()`]) and the full explanation ([`explain()`]), in one language.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation<'a> {
    /// The node's result.
    pub node: &'a NodeResult,
    /// The assessment's entry for the node, if any.
    pub entry: Option<&'a Entry>,
    /// One line: `code title: points/max — why` ([`line()`]).
    pub text: String,
    /// The full explanation, as `chiso explain` prints it ([`explain()`]).
    pub detail: String,
}

impl<'a> Explanation<'a> {
    /// The explanation of the criterion `code` of `result` (scored from `a` on `index`);
    /// `None` when the result has no such criterion (also for the index as a whole,
    /// which has no node result: use [`explain()`]).
    pub fn of(
        index: &Index,
        a: &'a Assessment,
        result: &'a ScoreResult,
        code: &str,
        lang: Lang,
    ) -> Option<Explanation<'a>> {
        let node = result.node(code)?;
        Some(Explanation {
            node,
            entry: a.entries.get(code),
            text: line(node, lang),
            detail: explain(index, a, result, code, lang)?,
        })
    }
}

/// One line for a node's result: `code title: points/max`, then ` — ` and the rule's
/// explanation when there is one. A missing number is written "—".
///
/// ```
/// use chiso::{explain::line, Index, Lang, View};
/// let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/criteria/examples/");
/// let index = Index::from_file(format!("{dir}department-example.json").as_ref()).unwrap();
/// let text = std::fs::read_to_string(format!("{dir}department-example.assessment.json")).unwrap();
/// let a = chiso::load::assessment(&text).unwrap();
/// let mut n = index.score(&a, View::Final).unwrap().nodes[0].clone();
/// n.achieved = None;
/// n.explanation = Some(chiso::Text::new("chưa chấm", "not scored"));
/// let max = chiso::display::plain(n.applicable_max.unwrap().normalize(), Lang::En);
/// let title = n.title.get(Lang::En);
/// assert_eq!(line(&n, Lang::En), format!("{} {title}: —/{max} — not scored", n.code));
/// ```
pub fn line(node: &NodeResult, lang: Lang) -> String {
    let mut text = format!(
        "{} {}: {}/{}",
        node.code,
        node.title.get(lang),
        opt(node.achieved, lang),
        opt(node.applicable_max, lang)
    );
    if let Some(e) = &node.explanation {
        text.push_str(" — ");
        text.push_str(e.get(lang));
    }
    text
}

/// A number for reading: exact when it has at most 4 decimals, otherwise "≈" and 4
/// decimals rounded half up.
fn num(d: Decimal, lang: Lang) -> String {
    let d = d.normalize();
    if d.scale() <= 4 {
        plain(d, lang)
    } else {
        format!("≈{}", plain(round(d, 4, Rounding::HalfUp), lang))
    }
}

fn opt(d: Option<Decimal>, lang: Lang) -> String {
    d.map(|x| num(x, lang)).unwrap_or_else(|| "—".into())
}

fn yes_no(b: bool, lang: Lang) -> &'static str {
    if b {
        lang.pick("có", "yes")
    } else {
        lang.pick("không", "no")
    }
}

/// A value in words, with the labels the rule gives its options.
fn describe_value(v: &Value, rule: Option<&Rule>, lang: Lang) -> String {
    let map = |m: &std::collections::BTreeMap<String, Decimal>| {
        m.iter()
            .map(|(k, c)| format!("{k}: {}", num(*c, lang)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match v {
        Value::YesNo(b) => yes_no(*b, lang).into(),
        Value::Conditions(m) => {
            let label = |k: &str| match rule {
                Some(Rule::YesNo { conditions, .. }) => conditions
                    .iter()
                    .find(|c| c.key == k)
                    .map(|c| c.label.get(lang).to_owned())
                    .unwrap_or_else(|| k.to_owned()),
                _ => k.to_owned(),
            };
            m.iter()
                .map(|(k, b)| format!("{}: {}", label(k), yes_no(*b, lang)))
                .collect::<Vec<_>>()
                .join("; ")
        }
        Value::Option(o) => {
            let label = match rule {
                Some(Rule::Levels { levels }) => levels
                    .iter()
                    .find(|l| &l.key == o)
                    .map(|l| l.label.get(lang).to_owned()),
                Some(Rule::Timeliness {
                    on_time,
                    late,
                    not_done,
                }) => match o.as_str() {
                    "on_time" => Some(on_time.label.get(lang).to_owned()),
                    "late" => Some(late.label.get(lang).to_owned()),
                    "not_done" => Some(not_done.label.get(lang).to_owned()),
                    _ => None,
                },
                _ => None,
            };
            match label {
                Some(l) => format!("\"{o}\" ({l})"),
                None => format!("\"{o}\""),
            }
        }
        Value::Number(x) => num(*x, lang),
        Value::Percent(x) => format!("{}%", num(*x, lang)),
        Value::Ratio {
            numerator,
            denominator,
        } => format!("{}/{}", num(*numerator, lang), num(*denominator, lang)),
        Value::Counts(m) | Value::Answers(m) => map(m),
        Value::Points(p) => match lang {
            Lang::Vi => format!("{} điểm", num(*p, lang)),
            Lang::En if *p == Decimal::ONE => format!("{} point", num(*p, lang)),
            Lang::En => format!("{} points", num(*p, lang)),
        },
    }
}

/// Explains the node `code` of `result` (scored from `a` on `index`; the index as a
/// whole for [`crate::engine::ROOT_CODE`]), in `lang`; `None` when the index has no such
/// code. Every line ends with a newline.
pub fn explain(
    index: &Index,
    a: &Assessment,
    result: &ScoreResult,
    code: &str,
    lang: Lang,
) -> Option<String> {
    let pos = index.position(code)?;
    let node = &index.nodes()[pos];
    let mut s = String::new();
    if pos == 0 {
        let _ = writeln!(
            s,
            "{}: {}",
            lang.pick("Bộ chỉ số", "Index"),
            node.title.get(lang)
        );
    } else {
        let _ = writeln!(
            s,
            "{} {}: {}",
            lang.pick("Tiêu chí", "Criterion"),
            node.code,
            node.title.get(lang)
        );
    }
    let _ = writeln!(
        s,
        "{}: {}",
        lang.pick("Điểm tối đa", "Maximum points"),
        opt(node.max, lang)
    );
    if let Some(t) = &node.scoring_text {
        let _ = writeln!(
            s,
            "{}:\n  {}",
            lang.pick("Cách chấm điểm (nguyên văn)", "Scoring text (verbatim)"),
            t.get(lang).replace('\n', "\n  ")
        );
    }
    if node.is_leaf() && pos != 0 {
        leaf(index, a, result, node, lang, &mut s);
    } else {
        parent(index, result, pos, lang, &mut s);
    }
    Some(s)
}

fn layer_block(
    le: &LayerEntry,
    rule: Option<&Rule>,
    max: Option<Decimal>,
    lang: Lang,
    s: &mut String,
) {
    let _ = writeln!(
        s,
        "    {}: {}",
        lang.pick("giá trị", "value"),
        describe_value(&le.value, rule, lang)
    );
    if let Some(r) = rule {
        match r.evaluate(max, &le.value) {
            Ok(Outcome::Scored {
                points,
                explanation,
            }) => {
                let _ = writeln!(
                    s,
                    "    {}: {}",
                    lang.pick("điểm theo cách chấm", "points by the rule"),
                    num(points, lang)
                );
                let _ = writeln!(
                    s,
                    "    {}: {}",
                    lang.pick("giải thích", "explanation"),
                    explanation.get(lang)
                );
            }
            Ok(Outcome::NotApplicable { explanation }) => {
                let _ = writeln!(
                    s,
                    "    {}: {}",
                    lang.pick("giải thích", "explanation"),
                    explanation.get(lang)
                );
            }
            Err(p) => {
                let _ = writeln!(s, "    {}: {}", lang.pick("lỗi", "error"), p.message(lang));
            }
        }
    }
    if le.evidence.is_empty() {
        let _ = writeln!(
            s,
            "    {}: {}",
            lang.pick("tài liệu kiểm chứng", "evidence"),
            lang.pick("không có", "none")
        );
    } else {
        let _ = writeln!(s, "    {}:", lang.pick("tài liệu kiểm chứng", "evidence"));
        for e in &le.evidence {
            let mut line = e.title.clone();
            if let Some(n) = &e.number {
                let _ = write!(line, " ({n})");
            }
            if let Some(l) = &e.link {
                let _ = write!(line, " <{l}>");
            }
            let _ = writeln!(s, "      - {line}");
        }
    }
    if let Some(n) = &le.note {
        let _ = writeln!(s, "    {}: {n}", lang.pick("ghi chú", "note"));
    }
    if let Some(x) = &le.explanation {
        let _ = writeln!(
            s,
            "    {}: {x}",
            lang.pick("giải trình", "explanation given by the unit")
        );
    }
}

fn leaf(
    index: &Index,
    a: &Assessment,
    result: &ScoreResult,
    node: &FlatNode,
    lang: Lang,
    s: &mut String,
) {
    let def_node = find_def(&index.definition().nodes, &node.code);
    if let Some(n) = def_node {
        if !n.evidence.is_empty() {
            let _ = writeln!(
                s,
                "{}:",
                lang.pick("Tài liệu kiểm chứng yêu cầu", "Evidence required")
            );
            for e in &n.evidence {
                let _ = writeln!(s, "  - {}", e.get(lang));
            }
        }
        for note in &n.notes {
            let _ = writeln!(
                s,
                "{}: {}",
                lang.pick("Ghi chú của bộ chỉ số", "Index note"),
                note.get(lang)
            );
        }
    }
    let entry = a.entries.get(&node.code);
    match entry {
        None => {
            let _ = writeln!(
                s,
                "{}",
                lang.pick(
                    "Bản chấm điểm không có giá trị cho tiêu chí này.",
                    "The assessment has no value for this criterion."
                )
            );
        }
        Some(e) => {
            if let Some(na) = &e.not_applicable {
                let _ = writeln!(
                    s,
                    "{}: {}",
                    lang.pick("Không áp dụng", "Not applicable"),
                    na.reason
                );
            }
            let mut any = false;
            for (layer, le) in e.layers() {
                if !any {
                    let _ = writeln!(s, "{}:", lang.pick("Các lớp điểm", "Layers"));
                    any = true;
                }
                let _ = writeln!(s, "  - {}:", layer.name(lang));
                layer_block(le, node.rule.as_ref(), node.max, lang, s);
            }
        }
    }
    if let Some(r) = result.node(&node.code) {
        summary(r, lang, s);
    }
}

fn summary(r: &NodeResult, lang: Lang, s: &mut String) {
    let used = r
        .source
        .map(|l| l.name(lang))
        .unwrap_or_else(|| lang.pick("không có", "none"));
    let _ = writeln!(
        s,
        "{}: {used}",
        lang.pick("Lớp điểm được dùng", "Layer used")
    );
    let _ = writeln!(
        s,
        "{}: {} / {}",
        lang.pick("Điểm cuối cùng", "Final points"),
        opt(r.final_points, lang),
        opt(r.applicable_max.or(r.max_points), lang)
    );
    let _ = writeln!(
        s,
        "{}: {} {}, {} {}",
        lang.pick("So sánh", "Compare"),
        lang.pick("tự chấm", "self-assessed"),
        opt(r.self_points, lang),
        lang.pick("thẩm định", "appraised"),
        opt(r.appraised_points, lang)
    );
    let _ = writeln!(
        s,
        "{}: {}",
        lang.pick("Trạng thái", "Status"),
        r.status.label(lang)
    );
    if let Some(e) = &r.explanation {
        let _ = writeln!(
            s,
            "{}: {}",
            lang.pick("Giải thích", "Explanation"),
            e.get(lang)
        );
    }
}

fn find_def<'a>(nodes: &'a [crate::node::Node], code: &str) -> Option<&'a crate::node::Node> {
    // Iterative search: the tree depth is bounded by validation, but avoid recursion anyway.
    let mut stack: Vec<&crate::node::Node> = nodes.iter().collect();
    while let Some(n) = stack.pop() {
        if n.code == code {
            return Some(n);
        }
        stack.extend(n.children.iter());
    }
    None
}

fn aggregation_words(agg: &Aggregation, lang: Lang) -> String {
    let base = match agg {
        Aggregation::Sum { .. } => lang.pick(
            "cộng điểm các tiêu chí thành phần",
            "sum of the sub-criteria",
        ),
        Aggregation::WeightedSum { .. } => lang.pick(
            "tổng có trọng số của các tiêu chí thành phần",
            "weighted sum of the sub-criteria",
        ),
        Aggregation::WeightedMean { .. } => lang.pick(
            "bình quân có trọng số của các tiêu chí thành phần áp dụng",
            "weighted mean of the applicable sub-criteria",
        ),
    };
    if agg.rescales() {
        format!(
            "{base}, {}",
            lang.pick(
                "quy đổi về thang điểm tối đa của tiêu chí",
                "converted to the criterion's maximum"
            )
        )
    } else {
        base.to_owned()
    }
}

fn parent(index: &Index, result: &ScoreResult, pos: usize, lang: Lang, s: &mut String) {
    let node = &index.nodes()[pos];
    let _ = writeln!(
        s,
        "{}: {}",
        lang.pick("Cách tổng hợp", "Aggregation"),
        aggregation_words(&node.aggregation, lang)
    );
    let _ = writeln!(s, "{}:", lang.pick("Tiêu chí thành phần", "Sub-criteria"));
    let weighted = node.aggregation.weights().is_some();
    let mut terms = Vec::new();
    let mut weights = Vec::new();
    for (&c, &wt) in node.children.iter().zip(&node.weights) {
        let child = &index.nodes()[c];
        let Some(r) = result.node(&child.code) else {
            continue;
        };
        let weight = if weighted {
            format!(" [{} {}]", lang.pick("trọng số", "weight"), num(wt, lang))
        } else {
            String::new()
        };
        let _ = writeln!(
            s,
            "  - {} {}: {} / {}{weight} ({})",
            child.code,
            child.title.get(lang),
            opt(r.achieved, lang),
            opt(r.applicable_max.or(r.max_points), lang),
            r.status.label(lang)
        );
        if let Some(x) = r.achieved {
            terms.push(if weighted {
                format!("{} × {}", num(wt, lang), num(x, lang))
            } else {
                num(x, lang)
            });
            weights.push(num(wt, lang));
        }
    }
    let (achieved, max, status) = if pos == 0 {
        let t = &result.total;
        (t.criteria_points, t.applicable_max, t.status.label(lang))
    } else {
        match result.node(&node.code) {
            Some(r) => (r.achieved, r.applicable_max, r.status.label(lang)),
            None => (None, None, ""),
        }
    };
    if !terms.is_empty() {
        let sum = terms.join(" + ");
        let formula = match node.aggregation {
            Aggregation::WeightedMean { .. } => format!("({sum}) / ({})", weights.join(" + ")),
            _ => sum,
        };
        let rescale = if node.aggregation.rescales() {
            lang.pick(
                ", rồi quy đổi về thang điểm tối đa",
                ", then converted to the maximum",
            )
        } else {
            ""
        };
        let _ = writeln!(
            s,
            "{}: {formula}{rescale} = {}",
            lang.pick("Tổng hợp", "Aggregate"),
            opt(achieved, lang)
        );
    }
    let _ = writeln!(
        s,
        "{}: {} / {} ({status})",
        lang.pick("Điểm", "Points"),
        opt(achieved, lang),
        opt(max, lang)
    );
    if pos == 0 {
        let t = &result.total;
        for adj in &result.adjustments {
            let (word, sign) = match adj.kind {
                AdjustmentKind::Bonus => (adj.kind.name(lang), "+"),
                AdjustmentKind::Penalty => (adj.kind.name(lang), "−"),
            };
            let _ = writeln!(
                s,
                "{word} {} ({}): {sign}{} ({} {})",
                adj.code,
                adj.title.get(lang),
                num(adj.points, lang),
                lang.pick("tối đa", "at most"),
                num(adj.cap, lang)
            );
        }
        let _ = writeln!(
            s,
            "{}: {}",
            lang.pick("Tổng điểm", "Total"),
            opt(t.achieved, lang)
        );
        if let Some(p) = t.percent {
            let _ = writeln!(
                s,
                "{}: {}%",
                lang.pick("Tỷ lệ đạt", "Percent achieved"),
                num(p, lang)
            );
        }
        if let Some(b) = &t.band {
            let _ = writeln!(
                s,
                "{}: {}",
                lang.pick("Xếp loại", "Band"),
                b.label.get(lang)
            );
        }
    } else if let Some(r) = result.node(&node.code) {
        let _ = writeln!(
            s,
            "{}: {} {}, {} {}, {} {}",
            lang.pick("So sánh", "Compare"),
            lang.pick("tự chấm", "self-assessed"),
            opt(r.self_points, lang),
            lang.pick("thẩm định", "appraised"),
            opt(r.appraised_points, lang),
            lang.pick("cuối cùng", "final"),
            opt(r.final_points, lang)
        );
    }
}
