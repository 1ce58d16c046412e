//! The unit types of an index (`unit_types`): what each leaves out, checked against the
//! tree.

use super::*;

/// Checks the unit types: codes unique and not empty; every listed code a node of the
/// tree, listed once, and not below another listed node; something left to score; and,
/// once the tree itself is valid, the declared maximum equal to what applies.
pub(super) fn unit_types(c: &mut Checker, def: &IndexDefinition) {
    if def.unit_types.is_empty() {
        return;
    }
    let tree_valid = !c.out.has_errors();
    let mut parent = Codes::new();
    parents(&def.nodes, None, 1, &mut parent);
    let mut types = Codes::new();
    for (i, t) in def.unit_types.iter().enumerate() {
        let path = format!("$.unit_types[{i}]");
        if t.code.trim().is_empty() {
            c.err(
                &format!("{path}.code"),
                None,
                Problem::Empty {
                    what: "unit type code / mã loại đơn vị".into(),
                },
            );
        } else if !first_time(&mut types, &t.code) {
            c.err(
                &format!("{path}.code"),
                None,
                Problem::DuplicateKey {
                    key: t.code.clone(),
                },
            );
        }
        let mut listed = Codes::new();
        for code in &t.not_applicable {
            first_time(&mut listed, code);
        }
        let mut once = Codes::new();
        for (j, code) in t.not_applicable.iter().enumerate() {
            let at = format!("{path}.not_applicable[{j}]");
            if !first_time(&mut once, code) {
                c.err(&at, Some(code), Problem::DuplicateKey { key: code.clone() });
            } else if !c.seen.contains_key(code) {
                c.err(&at, Some(code), Problem::UnknownCode);
            } else {
                // Nearest listed ancestor; the walk is bounded (duplicate codes may loop).
                let mut up = parent.get(code.as_str());
                for _ in 0..MAX_DEPTH {
                    let Some(u) = up else { break };
                    if listed.contains_key(u) {
                        c.err(
                            &at,
                            Some(code),
                            Problem::ExcludedWithAncestor {
                                ancestor: u.to_owned(),
                            },
                        );
                        break;
                    }
                    up = parent.get(u);
                }
            }
        }
        if !def.nodes.is_empty() && !any_applies(&def.nodes, &listed, 1) {
            c.err(
                &format!("{path}.not_applicable"),
                None,
                Problem::UnitTypeExcludesAll {
                    unit_type: t.code.clone(),
                },
            );
        }
        if let Some(Err(p)) = t.max_points.map(crate::rule::bounded) {
            c.err(&format!("{path}.max_points"), None, p);
        }
    }
    if !tree_valid || c.out.has_errors() {
        return;
    }
    // The declared maxima, with the engine's own arithmetic on the flattened tree.
    let nodes = crate::engine::flat_nodes(def);
    let by_code = crate::index::positions(&nodes);
    for (i, t) in def.unit_types.iter().enumerate() {
        let mask = exclusion_mask(&nodes, &listed_positions(&by_code, &t.not_applicable));
        let computed = crate::index::applicable_root(&nodes, &mask).max();
        if let (Some(declared), Some(computed)) = (t.max_points, computed) {
            if declared != computed {
                c.err(
                    &format!("$.unit_types[{i}].max_points"),
                    None,
                    Problem::UnitTypeMaxMismatch {
                        unit_type: t.code.clone(),
                        declared,
                        computed,
                    },
                );
            }
        }
    }
}

/// Each node's parent code (first occurrence), down to [`MAX_DEPTH`].
fn parents(nodes: &[Node], up: Option<&str>, depth: usize, out: &mut Codes) {
    if depth > MAX_DEPTH {
        return;
    }
    for n in nodes {
        if let Some(u) = up {
            if !out.contains_key(&n.code) {
                out.insert(n.code.clone(), u.to_owned());
            }
        }
        parents(&n.children, Some(&n.code), depth + 1, out);
    }
}

/// Whether some leaf of `nodes` is outside the listed subtrees.
fn any_applies(nodes: &[Node], listed: &Codes, depth: usize) -> bool {
    depth > MAX_DEPTH
        || nodes.iter().any(|n| {
            !listed.contains_key(n.code.as_str())
                && (n.children.is_empty() || any_applies(&n.children, listed, depth + 1))
        })
}
