//! The hand-written readers against serde's derived ones (through the untracked
//! deserializer, and through `serde_json`'s own): the same values, the same refusals with
//! the same messages, on every shipped index, every node in it and their malformed
//! neighbours. Runs in both builds (the derived readers exist in both).

use super::*;
use serde_json::json;
use std::fmt::Debug;
use std::path::PathBuf;

/// Every shipped index (`criteria/`, `examples-data/`), as JSON values.
fn shipped() -> Vec<Json> {
    shipped_as(crate::index::INDEX_FORMAT)
}

/// Every shipped document of `format`.
fn shipped_as(format: &str) -> Vec<Json> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    let mut dirs = vec![root.join("criteria"), root.join("examples-data")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "json") {
                let Ok(v) = serde_json::from_str::<Json>(&std::fs::read_to_string(&p).unwrap())
                else {
                    continue;
                };
                if v.get("format").and_then(Json::as_str) == Some(format) {
                    out.push(v);
                }
            }
        }
    }
    out
}

/// Every node of `nodes` and below.
fn all_nodes(nodes: &Json, out: &mut Vec<Json>) {
    for n in nodes.as_array().into_iter().flatten() {
        out.push(n.clone());
        if let Some(c) = n.get("children") {
            all_nodes(c, out);
        }
    }
}

/// The hand-written reader `ours` and the derived one agree on `v`: through the untracked
/// deserializer exactly (the same value or the same message); through `serde_json`'s, the
/// same value or both a refusal (a struct written as an array is read field by field
/// there, in the array's order, so a refusal may name another element; the untracked
/// deserializer's tests compare those two). Returns whether it was read.
fn same<T: DeserializeOwned + PartialEq + Debug>(
    v: &Json,
    ours: fn(Json) -> Result<T, Error>,
) -> bool {
    let mine = ours(v.clone()).map_err(|e| e.to_string());
    let untracked = T::deserialize(Untracked(v.clone())).map_err(|e| e.to_string());
    match (&mine, &untracked) {
        (Err(_), Err(_)) if mine != untracked && positional(v) => {}
        _ => assert_eq!(mine, untracked, "{v}"),
    }
    match (T::deserialize(v.clone()), &mine) {
        (Ok(a), Ok(b)) => assert_eq!(&a, b, "{v}"),
        (Err(_), Err(_)) => {}
        (theirs, _) => panic!("{v}: serde_json {theirs:?}, ours {mine:?}"),
    }
    mine.is_ok()
}

/// Whether `v` holds a rule or an aggregation (a member `type` or `method`, or an array
/// starting with a string, as one is written as an array) together with an array of
/// mixed kinds of values (a struct written as an array). The derived readers of those
/// internally tagged enums read such an array from their buffer by position, in the
/// declaration order of the fields, and count its length; the hand-written ones (like
/// the untracked deserializer for every other struct) pair it with the field names and
/// walk it in key order: both refuse, with messages that may name other elements.
fn positional(v: &Json) -> bool {
    fn walk(v: &Json, tagged: &mut bool, mixed: &mut bool) {
        match v {
            Json::Object(m) => {
                *tagged |= m.contains_key("type") || m.contains_key("method");
                m.values().for_each(|x| walk(x, tagged, mixed));
            }
            Json::Array(items) => {
                *tagged |= items.first().is_some_and(Json::is_string);
                *mixed |= items.is_empty() || items.iter().any(|x| !x.is_object());
                items.iter().for_each(|x| walk(x, tagged, mixed));
            }
            _ => {}
        }
    }
    let (mut tagged, mut mixed) = (false, false);
    walk(v, &mut tagged, &mut mixed);
    let relaxed = tagged && mixed;
    if relaxed {
        RELAXED.with(|c| c.set(c.get() + 1));
    }
    relaxed
}

thread_local! {
    /// How many refusals [`positional`] let differ in their message, on this thread.
    static RELAXED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Values that are wrong for nearly every field, and some that are right for a few.
fn replacements() -> Vec<Option<Json>> {
    vec![
        None,
        Some(json!(null)),
        Some(json!("x")),
        Some(json!(3)),
        Some(json!(-2)),
        Some(json!(0.5)),
        Some(json!(true)),
        Some(json!([])),
        Some(json!(["x"])),
        Some(json!({})),
        Some(json!({"vi": "x"})),
        Some(json!({"value": "1", "inclusive": true})),
    ]
}

/// Each member of every object under `v` (down to `depth`) removed or replaced, an unknown
/// member added, each object written as the array of its values.
fn neighbours(v: &Json, depth: usize, out: &mut Vec<Json>) {
    let Some(map) = v.as_object() else { return };
    let mut extra = map.clone();
    extra.insert("unknown".into(), json!(1));
    out.push(Json::Object(extra));
    out.push(Json::Array(map.values().cloned().collect()));
    for key in map.keys() {
        for r in replacements() {
            let mut m = map.clone();
            match r {
                Some(r) => m.insert(key.clone(), r),
                None => m.remove(key),
            };
            out.push(Json::Object(m));
        }
        if depth == 0 {
            continue;
        }
        let mut inner = Vec::new();
        match &map[key] {
            Json::Array(items) => {
                for (i, item) in items.iter().enumerate().take(2) {
                    let mut below = Vec::new();
                    neighbours(item, depth - 1, &mut below);
                    inner.extend(below.into_iter().map(|b| {
                        let mut items = items.clone();
                        items[i] = b;
                        Json::Array(items)
                    }));
                }
            }
            o @ Json::Object(_) => neighbours(o, depth - 1, &mut inner),
            _ => {}
        }
        out.extend(inner.into_iter().map(|b| {
            let mut m = map.clone();
            m.insert(key.clone(), b);
            Json::Object(m)
        }));
    }
}

/// Two members of `v` made wrong at once: the first refusal in key order is the message.
fn pairs(v: &Json, out: &mut Vec<Json>) {
    let Some(map) = v.as_object() else { return };
    let keys: Vec<&String> = map.keys().collect();
    for (i, a) in keys.iter().enumerate() {
        for b in &keys[i + 1..] {
            for (x, y) in [(json!(3), json!("x")), (json!({}), json!(null))] {
                let mut m = map.clone();
                m.insert((*a).clone(), x.clone());
                m.insert((*b).clone(), y.clone());
                out.push(Json::Object(m.clone()));
                m.insert("aaa_unknown".into(), json!(1));
                out.push(Json::Object(m.clone()));
                m.insert("zzz_unknown".into(), json!(1));
                m.remove("aaa_unknown");
                out.push(Json::Object(m));
            }
        }
    }
}

#[test]
fn every_shipped_index_and_its_malformed_neighbours_read_as_derived() {
    let indices = shipped();
    assert!(indices.len() >= 5, "{} indices", indices.len());
    let (mut read, mut refused) = (0, 0);
    for v in &indices {
        assert!(same(v, index_definition));
        let mut near = Vec::new();
        neighbours(v, 3, &mut near);
        near.truncate(150);
        // Pairs of wrong members, on the index cut to its first node.
        let mut short = v.clone();
        if let Some(Json::Array(nodes)) = short.get_mut("nodes") {
            nodes.truncate(1);
        }
        pairs(&short, &mut near);
        for n in &near {
            if same(n, index_definition) {
                read += 1;
            } else {
                refused += 1;
            }
        }
    }
    eprintln!("indices: {read} read, {refused} refused");
    assert!(
        read > 100 && refused > 3000,
        "{read} read, {refused} refused"
    );
}

#[test]
fn every_shipped_node_and_its_malformed_neighbours_read_as_derived() {
    let mut nodes = Vec::new();
    for v in shipped() {
        all_nodes(&v["nodes"], &mut nodes);
    }
    assert!(nodes.len() > 300, "{} nodes", nodes.len());
    let (mut read, mut refused) = (0, 0);
    for (k, v) in nodes.iter().enumerate() {
        assert!(same(v, node));
        if k % 3 != 0 {
            continue;
        }
        // A third of the nodes: their own members; the deeper neighbours (rules,
        // children) and pairs of a sample.
        let mut near = Vec::new();
        neighbours(v, usize::from(k % 13 == 0) * 2, &mut near);
        if k % 9 == 0 {
            pairs(v, &mut near);
        }
        for n in &near {
            if same(n, node) {
                read += 1;
            } else {
                refused += 1;
            }
        }
    }
    eprintln!("nodes: {read} read, {refused} refused");
    assert!(
        read > 1000 && refused > 10_000,
        "{read} read, {refused} refused"
    );
}

#[test]
fn small_structs_read_as_derived_from_every_kind_of_value() {
    let kinds = [
        json!(null),
        json!(true),
        json!(7),
        json!(-7),
        json!(0.25),
        json!("s"),
        json!([]),
        json!({}),
        json!(["a"]),
        json!(["a", "b", "c", "d", "e", "f", "g"]),
        json!({"vi": "a", "en": "b"}),
        json!(["a", "b"]),
        json!(["1", true]),
        json!({"value": "1.5", "inclusive": false}),
        json!({"from": {"value": 1, "inclusive": true}, "to": null}),
        json!([{"value": 1, "inclusive": true}]),
        json!([null, ["2", false]]),
        json!({"from": 2020}),
        json!([2020, 2024]),
        json!({"decimals": 2, "mode": "half_up"}),
        json!({"decimals": 2, "mode": "half_up", "source": ["x"]}),
        json!({"missing_value": "propagate", "leaf_rounding": null}),
        json!({"leaf_rounding": {"decimals": -1, "mode": "half_up"}}),
        json!({"code": "A", "label": {"vi": "A"}, "range": {}}),
        json!({"code": "b", "title": {"vi": "t"}, "kind": "bonus", "cap": "5"}),
        json!({"code": "b", "title": {"vi": "t"}, "kind": "extra", "cap": "5"}),
        json!({"decision": "1/QĐ", "issuer": "x", "url": "u", "date": null}),
        json!({"code": "k", "title": {"vi": "t"}, "not_applicable": ["8"], "reason": {"vi": "r"}}),
        json!({"code": "k", "title": {"vi": "t"}, "not_applicable": "8", "reason": {"vi": "r"}}),
    ];
    let mut read = 0;
    for v in &kinds {
        let mut near = vec![v.clone()];
        neighbours(v, 1, &mut near);
        for n in &near {
            read += usize::from(same(n, text));
            read += usize::from(same(n, bound));
            read += usize::from(same(n, interval));
            read += usize::from(same(n, year_range));
            read += usize::from(same(n, policies));
            read += usize::from(same(n, leaf_rounding));
            read += usize::from(same(n, band));
            read += usize::from(same(n, adjustment));
            read += usize::from(same(n, legal_basis));
            read += usize::from(same(n, unit_type));
            read += usize::from(same(n, |v| list(v, text)));
            read += usize::from(same(n, |v| option(v, bound)));
        }
    }
    eprintln!("small structs: {read} read");
    assert!(read > 100, "{read} read");
}

#[test]
fn messages_are_serde_json_s() {
    let e = |v: Json| node(v).unwrap_err().to_string();
    assert_eq!(e(json!({"title": {"vi": "x"}})), "missing field `code`");
    assert_eq!(
        e(json!(3)),
        "invalid type: integer `3`, expected struct Node"
    );
    assert!(e(json!({"code": "1", "titel": 1}))
        .starts_with("unknown field `titel`, expected one of `code`, `title`"));
    // Key order: `channel` comes before `max_points`.
    assert_eq!(
        e(json!({"code": "1", "title": {"vi": "x"}, "max_points": true, "channel": 1})),
        "invalid type: integer `1`, expected variant identifier"
            .replace("variant identifier", "string or map")
    );
}

#[test]
fn every_shipped_assessment_and_its_malformed_neighbours_read_as_derived() {
    let assessments = shipped_as(crate::assessment::ASSESSMENT_FORMAT);
    assert!(assessments.len() >= 3, "{} assessments", assessments.len());
    let (mut read, mut refused) = (0, 0);
    for v in &assessments {
        assert!(same(v, assessment));
        let mut near = Vec::new();
        neighbours(v, 4, &mut near);
        near.truncate(3000);
        pairs(v, &mut near);
        for n in &near {
            if same(n, assessment) {
                read += 1;
            } else {
                refused += 1;
            }
        }
        // Every entry and layer entry on its own.
        for e in v["entries"]
            .as_object()
            .into_iter()
            .flat_map(|m| m.values())
        {
            same(e, entry);
            for l in e.as_object().into_iter().flat_map(|m| m.values()) {
                same(l, layer_entry);
            }
        }
    }
    eprintln!("assessments: {read} read, {refused} refused");
    assert!(
        read > 100 && refused > 1000,
        "{read} read, {refused} refused"
    );
}

#[test]
fn assessment_parts_read_as_derived_from_every_kind_of_value() {
    let kinds = [
        json!(null),
        json!(3),
        json!("s"),
        json!([]),
        json!({}),
        json!(["Sở Tư pháp", "stp", "sở"]),
        json!(["a", "b", "c", "d"]),
        json!({"name": "Sở", "block": "sở"}),
        json!({"reason": "không có"}),
        json!({"value": {"yes_no": true}, "evidence": [{"title": "KH"}], "note": "n"}),
        json!({"value": {"percent": 0.5}, "evidence": [["KH", "1/KH"]]}),
        json!({"self": {"value": {"points": "2"}}, "not_applicable": {}}),
        json!({"self": null, "survey": {"value": {"answers": {"a": 1}}}}),
        json!({"title": "KH", "number": null, "link": "http://x"}),
    ];
    let mut read = 0;
    for v in &kinds {
        let mut near = vec![v.clone()];
        neighbours(v, 2, &mut near);
        for n in &near {
            read += usize::from(same(n, unit));
            read += usize::from(same(n, entry));
            read += usize::from(same(n, not_applicable));
            read += usize::from(same(n, layer_entry));
            read += usize::from(same(n, evidence_ref));
            read += usize::from(same(n, entries));
        }
    }
    eprintln!("assessment parts: {read} read");
    assert!(read > 50, "{read} read");
}

/// Every `rule` and `aggregation` object of every shipped index.
fn shipped_rules() -> (Vec<Json>, Vec<Json>) {
    let (mut rules, mut aggregations) = (Vec::new(), Vec::new());
    for v in shipped() {
        aggregations.extend(v.get("aggregation").cloned());
        let mut nodes = Vec::new();
        all_nodes(&v["nodes"], &mut nodes);
        for n in nodes {
            rules.extend(n.get("rule").cloned());
            aggregations.extend(n.get("aggregation").cloned());
        }
    }
    (rules, aggregations)
}

#[test]
fn every_shipped_rule_and_its_malformed_neighbours_read_as_derived() {
    use crate::rule::lean::rule;
    let (rules, _) = shipped_rules();
    let mut kinds: Vec<&str> = rules.iter().filter_map(|r| r["type"].as_str()).collect();
    kinds.sort_unstable();
    kinds.dedup();
    assert_eq!(kinds.len(), 9, "every rule kind is shipped: {kinds:?}");
    // One rule of each kind and shape (the same keys) is enough for the neighbours.
    let mut shapes = std::collections::BTreeSet::new();
    let (mut read, mut refused) = (0, 0);
    for r in &rules {
        assert!(same(r, rule), "{r}");
        let keys: Vec<String> = r.as_object().unwrap().keys().cloned().collect();
        if !shapes.insert((r["type"].clone().to_string(), keys)) {
            continue;
        }
        let mut near = vec![
            json!(null),
            json!("x"),
            json!(3),
            json!([]),
            json!(["yes_no"]),
            json!(["score", null]),
            json!(["nope"]),
            json!({}),
        ];
        neighbours(r, 2, &mut near);
        pairs(r, &mut near);
        for n in &near {
            if same(n, rule) {
                read += 1;
            } else {
                refused += 1;
            }
        }
    }
    let relaxed = RELAXED.with(|c| c.get());
    eprintln!("rules: {read} read, {refused} refused ({relaxed} with another message)");
    assert!(
        read > 100 && refused > 1500,
        "{read} read, {refused} refused"
    );
    assert!(
        relaxed * 5 < refused,
        "{relaxed} of {refused} with another message"
    );
}

#[test]
fn aggregations_and_their_malformed_neighbours_read_as_derived() {
    use crate::rule::lean::aggregation;
    let (_, mut aggregations) = shipped_rules();
    assert!(aggregations.len() >= 10);
    aggregations.truncate(40);
    aggregations.extend([
        json!({"method": "weighted_mean", "weights": {"a": "1.5", "b": 2}}),
        json!({"method": "weighted_sum", "weights": {}, "rescale_to_max": true}),
        json!({"method": "sum", "rescale_to_max": true}),
        json!({"method": "hierarchical"}),
        json!({"method": 3}),
        json!({"rescale_to_max": true}),
        json!(["weighted_sum", {"a": 1}, true]),
        json!(["sum", true, 1]),
    ]);
    let (mut read, mut refused) = (0, 0);
    for a in &aggregations {
        let mut near = vec![a.clone()];
        neighbours(a, 1, &mut near);
        pairs(a, &mut near);
        for n in &near {
            if same(n, aggregation) {
                read += 1;
            } else {
                refused += 1;
            }
        }
    }
    eprintln!("aggregations: {read} read, {refused} refused");
    assert!(read > 50 && refused > 500, "{read} read, {refused} refused");
}

#[test]
fn rule_messages_are_the_derived_ones() {
    use crate::rule::lean::rule;
    let e = |v: Json| rule(v).unwrap_err().to_string();
    assert_eq!(
        e(json!({"yes": {"label": {"vi": "Có"}}})),
        "missing field `type`"
    );
    assert!(
        e(json!({"type": "nope"})).starts_with("unknown variant `nope`, expected one of `yes_no`")
    );
    assert_eq!(
        e(json!({"type": "discretionary", "step": "0.25", "extra": 1})),
        "unknown field `extra`, expected `step`"
    );
    // An unknown field before a wrong one in key order is the message, and the other way.
    assert!(e(json!({"type": "tiers", "aaa": 1, "measure": 3})).starts_with("unknown field `aaa`"));
    assert!(e(json!({"type": "tiers", "zzz": 1, "measure": 3}))
        .starts_with("invalid type: integer `3`"));
    assert_eq!(
        rule(json!({"type": "survey"})).unwrap(),
        crate::rule::Rule::Survey {
            options: crate::rule::lean::default_options()
        }
    );
}
