//! The SYNTHETIC 150-leaf PAR-like index of `benches/common/synthetic.rs` (not an
//! official criteria set) expressed as a GoRules ZEN decision model (JDM graph), for a
//! side-by-side benchmark with chiso (`cargo bench -p chiso-peer-bench`).
//!
//! The graph: input → an expression node with one expression per leaf (its rule as a
//! ZEN expression, in decimals) → an expression node summing each criterion → one
//! summing each section → one for the total → output. The inputs are the same values
//! as the chiso assessment, as one flat JSON object.

#[path = "../../common/synthetic.rs"]
pub mod synthetic;

use serde_json::{json, Value};
use synthetic::{Input, Kind, LEVELS};

fn id(code: &str) -> String {
    code.replace('.', "_")
}

fn milli(m: u32) -> String {
    format!("{}.{:03}", m / 1000, m % 1000)
}

/// The ZEN expression giving a leaf's points.
pub fn leaf_expression(leaf: &synthetic::Leaf) -> String {
    let k = id(&leaf.code);
    let max = milli(leaf.max_milli);
    match leaf.kind {
        Kind::YesNo => format!("y{k} ? {max} : 0"),
        Kind::Tiers => format!(
            "t{k} >= 90 ? {max} : (t{k} >= 70 ? {} : 0)",
            milli(leaf.max_milli / 2)
        ),
        Kind::Proportional => format!("d{k} == 0 ? 0 : {max} * min([1, n{k} / d{k}])"),
        Kind::Levels => {
            let mut e = String::new();
            for (key, pct) in LEVELS.iter().take(LEVELS.len() - 1) {
                e.push_str(&format!(
                    "v{k} == '{key}' ? {} : ",
                    milli(leaf.max_milli * pct / 100)
                ));
            }
            e.push('0');
            e
        }
        Kind::Deductions => {
            format!("max([0, {max} - minor{k} * {max} * 0.25 - severe{k} * {max}])")
        }
    }
}

fn expression_node(node_id: &str, exprs: Vec<(String, String)>) -> Value {
    let expressions: Vec<Value> = exprs
        .into_iter()
        .enumerate()
        .map(
            |(i, (key, value))| json!({"id": format!("{node_id}-{i}"), "key": key, "value": value}),
        )
        .collect();
    json!({
        "id": node_id,
        "name": node_id,
        "type": "expressionNode",
        "position": {"x": 0, "y": 0},
        "content": {"expressions": expressions}
    })
}

/// The decision model (JDM graph JSON).
pub fn zen_model() -> Value {
    let leaves = synthetic::leaves();
    let leaf_exprs = leaves
        .iter()
        .map(|l| (format!("p{}", id(&l.code)), leaf_expression(l)))
        .collect();
    let mut criteria = Vec::new();
    let mut sections = Vec::new();
    for s in 1..=synthetic::SECTIONS {
        let mut cs = Vec::new();
        for c in 1..=synthetic::CRITERIA {
            let parts: Vec<String> = (1..=synthetic::LEAVES)
                .map(|l| format!("p{s}_{c}_{l}"))
                .collect();
            criteria.push((format!("c{s}_{c}"), parts.join(" + ")));
            cs.push(format!("c{s}_{c}"));
        }
        sections.push((format!("s{s}"), cs.join(" + ")));
    }
    let total = (
        "total".to_owned(),
        (1..=synthetic::SECTIONS)
            .map(|s| format!("s{s}"))
            .collect::<Vec<_>>()
            .join(" + "),
    );
    let nodes = vec![
        json!({"id": "in", "name": "request", "type": "inputNode", "position": {"x": 0, "y": 0}}),
        expression_node("leaves", leaf_exprs),
        expression_node("criteria", criteria),
        expression_node("sections", sections),
        expression_node("total", vec![total]),
        json!({"id": "out", "name": "response", "type": "outputNode", "position": {"x": 0, "y": 0}}),
    ];
    let chain = ["in", "leaves", "criteria", "sections", "total", "out"];
    let edges: Vec<Value> = chain
        .windows(2)
        .enumerate()
        .map(|(i, w)| json!({"id": format!("e{i}"), "sourceId": w[0], "targetId": w[1], "type": "edge"}))
        .collect();
    json!({"nodes": nodes, "edges": edges})
}

/// The inputs of the synthetic assessment as one flat JSON object (decimals as numbers).
pub fn zen_context() -> Value {
    let mut m = serde_json::Map::new();
    for l in synthetic::leaves() {
        let k = id(&l.code);
        match l.input {
            Input::YesNo(b) => {
                m.insert(format!("y{k}"), json!(b));
            }
            Input::PercentTenths(t) => {
                m.insert(format!("t{k}"), json!(f64::from(t) / 10.0));
            }
            Input::Ratio(n, d) => {
                m.insert(format!("n{k}"), json!(n));
                m.insert(format!("d{k}"), json!(d));
            }
            Input::Level(i) => {
                m.insert(format!("v{k}"), json!(LEVELS[i].0));
            }
            Input::Counts(minor, severe) => {
                m.insert(format!("minor{k}"), json!(minor));
                m.insert(format!("severe{k}"), json!(severe));
            }
        }
    }
    Value::Object(m)
}
