//! The README's "Limits and guarantees" table states every limit of `chiso::limits` with
//! its value: a limit added, removed or changed without the README fails here.

use chiso::limits as l;

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap()
}

/// `1234567` → `1,234,567`.
fn grouped(n: u128) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn table() -> Vec<(&'static str, u128)> {
    let dec = |d: rust_decimal::Decimal| u128::try_from(d.mantissa()).unwrap();
    vec![
        ("MAX_INPUT_BYTES", l::MAX_INPUT_BYTES.into()),
        ("MAX_JSON_DEPTH", l::MAX_JSON_DEPTH as u128),
        ("MAX_JSON_VALUES", l::MAX_JSON_VALUES.into()),
        ("MAX_JSON_CONTAINERS", l::MAX_JSON_CONTAINERS.into()),
        ("MAX_JSON_PROBLEMS", l::MAX_JSON_PROBLEMS as u128),
        ("MAX_DEPTH", l::MAX_DEPTH as u128),
        ("MAX_NODES", l::MAX_NODES as u128),
        ("MAX_ROUNDING_DECIMALS", l::MAX_ROUNDING_DECIMALS.into()),
        ("MAX_INPUT_NUMBER", dec(l::MAX_INPUT_NUMBER.normalize())),
        ("MAX_SENSITIVITY_RUNS", l::MAX_SENSITIVITY_RUNS.into()),
        ("MAX_SENSITIVITY_WORK", l::MAX_SENSITIVITY_WORK.into()),
        (
            "MAX_SENSITIVITY_RESULT_BYTES",
            l::MAX_SENSITIVITY_RESULT_BYTES.into(),
        ),
        (
            "MAX_SENSITIVITY_SPEC_PROBLEMS",
            l::MAX_SENSITIVITY_SPEC_PROBLEMS as u128,
        ),
        ("MAX_PLANNER_DP_CELLS", l::MAX_PLANNER_DP_CELLS.into()),
        ("MAX_PLANNER_DP_LEVELS", l::MAX_PLANNER_DP_LEVELS.into()),
        ("MAX_BATCH_HEADER_BYTES", l::MAX_BATCH_HEADER_BYTES as u128),
        ("MAX_BATCH_COLUMNS", l::MAX_BATCH_COLUMNS as u128),
        ("MAX_BATCH_CELL_BYTES", l::MAX_BATCH_CELL_BYTES as u128),
        ("MAX_BATCH_RECORD_BYTES", l::MAX_BATCH_RECORD_BYTES as u128),
        (
            "MAX_BATCH_IN_FLIGHT_BYTES",
            l::MAX_BATCH_IN_FLIGHT_BYTES as u128,
        ),
        ("MAX_BATCH_LINE_BYTES", l::MAX_BATCH_LINE_BYTES.into()),
        ("MAX_WHATIF_CELLS", l::MAX_WHATIF_CELLS.into()),
        ("MAX_SPREADSHEET_BYTES", l::MAX_SPREADSHEET_BYTES.into()),
        (
            "MAX_WORKBOOK_INFLATED_BYTES",
            l::MAX_WORKBOOK_INFLATED_BYTES.into(),
        ),
        ("MAX_WORKBOOK_PART_BYTES", l::MAX_WORKBOOK_PART_BYTES.into()),
        ("MAX_WORKBOOK_RATIO", l::MAX_WORKBOOK_RATIO.into()),
        ("MAX_WORKBOOK_PARTS", l::MAX_WORKBOOK_PARTS.into()),
        ("MAX_SHEETS", l::MAX_SHEETS as u128),
        ("MAX_SHEET_ROWS", l::MAX_SHEET_ROWS.into()),
        ("MAX_SHEET_COLUMNS", l::MAX_SHEET_COLUMNS.into()),
        ("MAX_SHEET_CELLS", l::MAX_SHEET_CELLS.into()),
        ("MAX_CELL_CHARS", l::MAX_CELL_CHARS as u128),
        (
            "MAX_SPREADSHEET_PROBLEMS",
            l::MAX_SPREADSHEET_PROBLEMS as u128,
        ),
        ("MAX_THREADS", l::MAX_THREADS as u128),
        ("MAX_ITEMS", l::MAX_ITEMS as u128),
        ("MAX_RESPONDENTS", l::MAX_RESPONDENTS as u128),
        ("MAX_ANSWER_CELLS", l::MAX_ANSWER_CELLS as u128),
        ("MAX_BOOTSTRAP_REPS", l::MAX_BOOTSTRAP_REPS.into()),
        ("MAX_BOOTSTRAP_VALUES", l::MAX_BOOTSTRAP_VALUES.into()),
        ("MAX_BOOTSTRAP_DRAWS", l::MAX_BOOTSTRAP_DRAWS.into()),
        ("MAX_CALENDAR_BYTES", l::MAX_CALENDAR_BYTES as u128),
        ("MAX_CALENDAR_ROWS", l::MAX_CALENDAR_ROWS as u128),
        ("MAX_CALENDAR_YEARS", l::MAX_CALENDAR_YEARS as u128),
    ]
}

#[test]
fn every_limit_is_in_the_readme_table_with_its_value() {
    let text = readme();
    let mut wrong = Vec::new();
    for (name, value) in table() {
        let row = format!("| `{name}` | {} |", grouped(value));
        if !text.contains(&row) {
            wrong.push(row);
        }
    }
    assert!(
        wrong.is_empty(),
        "README.md, section \"Limits and guarantees\", should have these rows:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn every_limit_declared_in_limits_rs_is_listed_here() {
    // A new `MAX_…` in src/limits.rs (declared or re-exported) must join the table above
    // (MAX_POINTS, derived from the decimal range, is stated in the README's text).
    let source =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/limits.rs")).unwrap();
    let listed: Vec<&str> = table().iter().map(|(n, _)| *n).collect();
    let text = readme();
    let mut declared = Vec::new();
    for line in source.lines() {
        if let Some(rest) = line.strip_prefix("pub const ") {
            declared.extend(rest.split(':').next());
        } else if line.starts_with("pub use") || line.starts_with("    MAX_") {
            declared.extend(
                line.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .filter(|w| w.starts_with("MAX_")),
            );
        }
    }
    assert!(declared.len() >= 40, "{declared:?}");
    let missing: Vec<&str> = declared
        .into_iter()
        .filter(|w| !listed.contains(w) && !text.contains(&format!("`{w}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "limits not in the README table: {missing:?}"
    );
}

#[test]
fn grouping_is_the_readme_style() {
    assert_eq!(grouped(67_108_864), "67,108,864");
    assert_eq!(grouped(200), "200");
    assert_eq!(grouped(1_000), "1,000");
}
