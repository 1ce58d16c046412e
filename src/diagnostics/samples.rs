//! Sample problems for tests: every [`Problem`] variant built from its JSON Schema
//! (`tests_write.rs` checks the hand-written JSON writer with them, `tests_messages.rs`
//! pins the messages).

use super::Problem;
use serde_json::{json, Value};

/// A value for a property of `Problem`'s schema, chosen so escaping, signs, scales and
/// lists show: the `k`-th kind of a `$ref` enum, else a value of its first type.
fn filler(prop: &Value, defs: &Value, k: usize) -> Value {
    if let Some(r) = prop["$ref"].as_str() {
        let def = &defs[r.trim_start_matches("#/$defs/")];
        let kinds: Vec<Value> = match def["oneOf"].as_array() {
            Some(v) => v.iter().map(|x| x["const"].clone()).collect(),
            None => def["enum"].as_array().cloned().unwrap_or_default(),
        };
        return kinds[k % kinds.len()].clone();
    }
    let ty = match &prop["type"] {
        Value::Array(kinds) => kinds[0].as_str().unwrap_or("null").to_owned(),
        t => t.as_str().unwrap_or("null").to_owned(),
    };
    let decimal = prop["pattern"].is_string();
    match ty.as_str() {
        "string" if decimal => {
            json!(["-1.50", "0", "79228162514264337593543950335", "0.0000001"][k % 4])
        }
        "string" => json!(["tiêu chí \"1.1\"\\\n\t\u{1}", "", "x"][k % 3]),
        "integer" => json!([i32::MAX, 0, 17][k % 3]),
        "number" => json!(["-2.5", "3"][k % 2]),
        "boolean" => json!(k % 2 == 0),
        "array" => {
            let item = filler(&prop["items"], defs, k + 1);
            json!([item.clone(), filler(&prop["items"], defs, k + 2), item])
        }
        _ => Value::Null,
    }
}

/// Four instances of every variant of [`Problem`], from its JSON Schema, with their tags;
/// optional fields are absent every other time.
pub(crate) fn every_problem() -> Vec<(String, Problem)> {
    let schema = serde_json::to_value(schemars::schema_for!(Problem)).unwrap_or_default();
    let defs = &schema["$defs"];
    let variants = schema["oneOf"].as_array().cloned().unwrap_or_default();
    assert!(variants.len() >= 79, "{}", variants.len());
    let mut out = Vec::new();
    for v in &variants {
        let tag = v["properties"]["type"]["const"]
            .as_str()
            .unwrap_or_default();
        for k in 0..4 {
            let mut instance = serde_json::Map::new();
            for (name, prop) in v["properties"].as_object().into_iter().flatten() {
                let required = v["required"]
                    .as_array()
                    .is_some_and(|r| r.iter().any(|x| x == name));
                if name != "type" && (required || k % 2 == 0) {
                    instance.insert(name.clone(), filler(prop, defs, k));
                }
            }
            instance.insert("type".into(), tag.into());
            let p: Problem = serde_json::from_value(Value::Object(instance))
                .unwrap_or_else(|e| panic!("{tag}: {e}"));
            out.push((tag.to_owned(), p));
        }
    }
    out
}
