//! Embeds the checked-in JSON Schemas (`criteria/schema/*.schema.json`) minified, so the
//! browser gets them without the schema generator and without the indentation; and the
//! shipped six-group QĐ 766 index, minified, as the default index of a records run.

use std::path::PathBuf;

fn main() {
    // Read at run time: a build script compiled in another checkout (a worktree sharing
    // the target directory) must not look in that checkout.
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let dir = manifest.join("../../criteria/schema");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .expect("criteria/schema exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".schema.json"))
        .collect();
    entries.sort();
    let mut out = String::from("/// (name, minified schema) of every checked-in schema.\npub const SCHEMAS: &[(&str, &str)] = &[\n");
    for p in entries {
        println!("cargo:rerun-if-changed={}", p.display());
        let name = p
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .trim_end_matches(".schema.json")
            .to_owned();
        let text = std::fs::read_to_string(&p).expect("schema readable");
        let v: serde_json::Value = serde_json::from_str(&text).expect("schema is JSON");
        let min = serde_json::to_string(&v).expect("serialisable");
        out.push_str(&format!("    ({name:?}, {min:?}),\n"));
    }
    out.push_str("];\n");
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    std::fs::write(out_dir.join("schemas.rs"), out).expect("write schemas.rs");

    let index = manifest.join("../../criteria/service-766/qd766-portal-six-groups.json");
    println!("cargo:rerun-if-changed={}", index.display());
    let text = std::fs::read_to_string(&index).expect("six-group index readable");
    let v: serde_json::Value = serde_json::from_str(&text).expect("six-group index is JSON");
    let min = serde_json::to_string(&v).expect("serialisable");
    std::fs::write(
        out_dir.join("default_index.rs"),
        format!("/// The shipped six-group portal index, minified.\npub const DEFAULT_INDEX: &str = {min:?};\n"),
    )
    .expect("write default_index.rs");
}
