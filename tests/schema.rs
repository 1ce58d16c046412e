//! The checked-in JSON Schemas are up to date, and every criteria file in the
//! repository loads and validates (criteria files added later are picked up
//! automatically).
//!
//! Regenerate the schemas with:
//!
//! ```text
//! CHISO_UPDATE_SCHEMAS=1 cargo test --test schema
//! ```

use chiso::schema::{schema_json, Document};
use chiso::{Index, Lang};
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

const REGENERATE: &str = "CHISO_UPDATE_SCHEMAS=1 cargo test --test schema";

#[test]
fn checked_in_schemas_are_current() {
    let dir = repo().join("criteria/schema");
    let update =
        std::env::var_os("CHISO_UPDATE_SCHEMAS").is_some_and(|v| !v.is_empty() && v != "0");
    let mut stale = Vec::new();
    for doc in Document::ALL {
        let path = dir.join(doc.file_name());
        let fresh = schema_json(doc);
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &fresh).unwrap();
            eprintln!("wrote {}", path.display());
            continue;
        }
        match std::fs::read_to_string(&path) {
            Ok(old) if old == fresh => {}
            Ok(_) => stale.push(format!("{} is stale", path.display())),
            Err(e) => stale.push(format!("{} cannot be read ({e})", path.display())),
        }
    }
    assert!(
        stale.is_empty(),
        "{}\nRegenerate the schemas with:\n    {REGENERATE}",
        stale.join("\n")
    );
}

#[test]
fn schemas_describe_the_documents() {
    // Hand-picked facts about the formats, so the check above cannot pass on empty files.
    let index: serde_json::Value = serde_json::from_str(&schema_json(Document::Index)).unwrap();
    let required = index["required"].as_array().unwrap();
    for field in [
        "format",
        "id",
        "title",
        "version",
        "legal_basis",
        "years",
        "nodes",
    ] {
        assert!(
            required.iter().any(|r| r == field),
            "index schema must require {field}"
        );
    }
    let assessment: serde_json::Value =
        serde_json::from_str(&schema_json(Document::Assessment)).unwrap();
    assert!(assessment["properties"]["entries"].is_object());
    let result: serde_json::Value = serde_json::from_str(&schema_json(Document::Result)).unwrap();
    assert!(result["properties"]["total"].is_object());
    assert!(result["properties"]["nodes"].is_object());
}

/// Every `*.json` under `criteria/`, except `criteria/schema/`.
fn criteria_files() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![repo().join("criteria")];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                if p != repo().join("criteria/schema") {
                    stack.push(p);
                }
            } else if p.extension().is_some_and(|x| x == "json") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn is_assessment(p: &Path) -> bool {
    p.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.ends_with(".assessment.json"))
}

/// Scenario, costs, sensitivity spec (`*.spec.json`) and survey definition
/// (`*.survey.json`) files live beside the criteria but are other documents (checked by
/// tests/scenario.rs, planner.rs, sensitivity.rs, survey.rs).
fn is_other_document(p: &Path) -> bool {
    p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
        n.ends_with(".scenario.json")
            || n.ends_with(".costs.json")
            || n.ends_with(".spec.json")
            || n.ends_with(".survey.json")
    })
}

fn rel(p: &Path) -> String {
    p.strip_prefix(repo()).unwrap_or(p).display().to_string()
}

#[test]
fn schema_folder_is_skipped_but_criteria_are_found() {
    let files = criteria_files();
    assert!(files
        .iter()
        .all(|p| !p.starts_with(repo().join("criteria/schema"))));
    eprintln!(
        "criteria files: {}",
        files.iter().map(|p| rel(p)).collect::<Vec<_>>().join(", ")
    );
}

#[test]
fn every_index_file_loads_without_errors() {
    let mut failures = Vec::new();
    let mut n = 0;
    for p in criteria_files()
        .iter()
        .filter(|p| !is_assessment(p) && !is_other_document(p))
    {
        n += 1;
        match Index::from_file(p) {
            Ok(index) => {
                for w in index.warnings().0.iter() {
                    eprintln!("{}: {}", rel(p), w.message(Lang::En));
                }
            }
            Err(d) => failures.push(d.render(Lang::En)),
        }
    }
    eprintln!("{n} index files checked");
    assert!(
        failures.is_empty(),
        "index files with errors:\n{}",
        failures.join("\n")
    );
}

#[test]
fn every_assessment_validates_against_its_index() {
    let mut failures = Vec::new();
    for p in criteria_files().iter().filter(|p| is_assessment(p)) {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let index_path = p.with_file_name(name.replace(".assessment.json", ".json"));
        if !index_path.is_file() {
            eprintln!(
                "NOTE: {} skipped: no sibling index {}",
                rel(p),
                rel(&index_path)
            );
            continue;
        }
        let index = match Index::from_file(&index_path) {
            Ok(i) => i,
            Err(d) => {
                failures.push(format!(
                    "{}: its index has errors:\n{}",
                    rel(p),
                    d.render(Lang::En)
                ));
                continue;
            }
        };
        let text = std::fs::read_to_string(p).unwrap();
        let a = match chiso::load::assessment(&text) {
            Ok(a) => a,
            Err(d) => {
                failures.push(d.in_file(&rel(p)).render(Lang::En));
                continue;
            }
        };
        let d = index.check_assessment(&a).in_file(&rel(p));
        for w in d.warnings() {
            eprintln!("{}", w.message(Lang::En));
        }
        if d.has_errors() {
            failures.push(d.render(Lang::En));
            continue;
        }
        if let Err(d) = index.score(&a, chiso::View::Final) {
            failures.push(d.in_file(&rel(p)).render(Lang::En));
        }
    }
    assert!(
        failures.is_empty(),
        "assessments with errors:\n{}",
        failures.join("\n")
    );
}
