//! A **SYNTHETIC** 150-leaf PAR-like index and one assessment, for benchmarks only.
//!
//! This is not an official criteria set and none of its numbers come from a legal text:
//! 10 sections × 5 criteria × 3 leaves, every section worth 10 points (root 100),
//! every criterion 2 points (leaves 0.5 + 0.75 + 0.75), leaf rules cycling through
//! yes/no, percent tiers, proportional, levels and deductions — the mix of rules a
//! PAR INDEX table has. Inputs are deterministic functions of the leaf number.
//!
//! Shared by `benches/evaluate.rs`, `benches/planner.rs` and the peer benchmark
//! (`benches/peer`), which expresses the same tree and inputs as a ZEN decision model.
#![allow(dead_code)]

/// Sections, criteria per section, leaves per criterion.
pub const SECTIONS: usize = 10;
/// Criteria per section.
pub const CRITERIA: usize = 5;
/// Leaves per criterion.
pub const LEAVES: usize = 3;

/// Rule kind of a leaf.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// yes → max, no → 0.
    YesNo,
    /// ≥ 90 % → max, [70, 90) → half, < 70 → 0.
    Tiers,
    /// max × min(1, num / den).
    Proportional,
    /// good 100 %, full 80 %, partial 40 %, none 0 % of max.
    Levels,
    /// max − 25 % of max per minor, − 100 % per severe; floored at 0.
    Deductions,
}

/// Level keys and their share of the maximum (percent).
pub const LEVELS: [(&str, u32); 4] = [("good", 100), ("full", 80), ("partial", 40), ("none", 0)];

/// The input of one leaf.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Input {
    /// Yes / no.
    YesNo(bool),
    /// Percent in tenths (875 = 87.5 %).
    PercentTenths(u32),
    /// numerator / denominator.
    Ratio(u32, u32),
    /// Index into [`LEVELS`].
    Level(usize),
    /// (minor, severe) counts.
    Counts(u32, u32),
}

/// One leaf.
#[derive(Debug, Clone)]
pub struct Leaf {
    /// Code `s.c.l` (1-based).
    pub code: String,
    /// Rule kind.
    pub kind: Kind,
    /// Maximum in thousandths (500 = 0.5).
    pub max_milli: u32,
    /// The assessed value.
    pub input: Input,
}

/// The 150 leaves in tree order.
pub fn leaves() -> Vec<Leaf> {
    let mut out = Vec::new();
    for s in 1..=SECTIONS {
        for c in 1..=CRITERIA {
            for l in 1..=LEAVES {
                let i = out.len() as u32;
                let kind = match i % 5 {
                    0 => Kind::YesNo,
                    1 => Kind::Tiers,
                    2 => Kind::Proportional,
                    3 => Kind::Levels,
                    _ => Kind::Deductions,
                };
                let input = match kind {
                    Kind::YesNo => Input::YesNo(i % 3 != 0),
                    Kind::Tiers => Input::PercentTenths((i * 373) % 1001),
                    Kind::Proportional => Input::Ratio((i * 13) % 50 + 1, 50),
                    Kind::Levels => Input::Level((i as usize / 5) % 4),
                    Kind::Deductions => Input::Counts(i % 3, u32::from(i % 7 == 0)),
                };
                out.push(Leaf {
                    code: format!("{s}.{c}.{l}"),
                    kind,
                    max_milli: if l == 1 { 500 } else { 750 },
                    input,
                });
            }
        }
    }
    out
}

fn milli(m: u32) -> String {
    format!("{}.{:03}", m / 1000, m % 1000)
}

fn text(s: &str) -> String {
    format!(r#"{{"vi": "{s}", "en": "{s}"}}"#)
}

fn rule_json(kind: Kind) -> String {
    match kind {
        Kind::YesNo => format!(
            r#"{{"type": "yes_no", "yes": {{"label": {}, "percent_of_max": "100"}}, "no": {{"label": {}, "points": "0"}}}}"#,
            text("yes"),
            text("no")
        ),
        Kind::Tiers => format!(
            r#"{{"type": "tiers", "measure": "percent", "tiers": [
              {{"range": {{"from": {{"value": "90", "inclusive": true}}, "to": {{"value": "100", "inclusive": true}}}}, "label": {}, "percent_of_max": "100"}},
              {{"range": {{"from": {{"value": "70", "inclusive": true}}, "to": {{"value": "90", "inclusive": false}}}}, "label": {}, "percent_of_max": "50"}},
              {{"range": {{"from": {{"value": "0", "inclusive": true}}, "to": {{"value": "70", "inclusive": false}}}}, "label": {}, "points": "0"}}]}}"#,
            text(">= 90%"),
            text("70-90%"),
            text("< 70%")
        ),
        Kind::Proportional => r#"{"type": "proportional", "zero_denominator": "zero"}"#.into(),
        Kind::Levels => {
            let levels: Vec<String> = LEVELS
                .iter()
                .map(|(k, p)| {
                    format!(
                        r#"{{"key": "{k}", "label": {}, "percent_of_max": "{p}"}}"#,
                        text(k)
                    )
                })
                .collect();
            format!(r#"{{"type": "levels", "levels": [{}]}}"#, levels.join(", "))
        }
        Kind::Deductions => format!(
            r#"{{"type": "deductions", "severities": [
              {{"key": "minor", "label": {}, "percent_of_max": "25"}},
              {{"key": "severe", "label": {}, "percent_of_max": "100"}}]}}"#,
            text("minor"),
            text("severe")
        ),
    }
}

/// The index definition (`chiso.index/1`), labelled synthetic.
pub fn index_json() -> String {
    let leaves = leaves();
    let mut sections = Vec::new();
    for s in 0..SECTIONS {
        let mut criteria = Vec::new();
        for c in 0..CRITERIA {
            let mut ls = Vec::new();
            for l in 0..LEAVES {
                let leaf = &leaves[(s * CRITERIA + c) * LEAVES + l];
                ls.push(format!(
                    r#"{{"code": "{}", "title": {}, "max_points": "{}", "rule": {}}}"#,
                    leaf.code,
                    text(&format!("synthetic leaf {}", leaf.code)),
                    milli(leaf.max_milli),
                    rule_json(leaf.kind)
                ));
            }
            criteria.push(format!(
                r#"{{"code": "{}.{}", "title": {}, "max_points": "2", "children": [{}]}}"#,
                s + 1,
                c + 1,
                text("synthetic criterion"),
                ls.join(",\n")
            ));
        }
        sections.push(format!(
            r#"{{"code": "{}", "title": {}, "max_points": "10", "children": [{}]}}"#,
            s + 1,
            text("synthetic section"),
            criteria.join(",\n")
        ));
    }
    format!(
        r#"{{
  "format": "chiso.index/1",
  "id": "synthetic-150",
  "title": {{"vi": "TỔNG HỢP (SYNTHETIC) — chỉ dùng cho benchmark", "en": "SYNTHETIC — benchmark fixture only, not an official criteria set"}},
  "version": "bench-1",
  "legal_basis": [{{"decision": "none (synthetic benchmark fixture)", "issuer": "chiso benchmarks", "url": "https://example.invalid/synthetic"}}],
  "unit_levels": ["department"],
  "years": {{"from": 2024, "to": null}},
  "completeness": "example",
  "max_points": "100",
  "nodes": [{}]
}}"#,
        sections.join(",\n")
    )
}

/// The value JSON of one input.
pub fn value_json(input: Input) -> String {
    match input {
        Input::YesNo(b) => format!(r#"{{"yes_no": {b}}}"#),
        Input::PercentTenths(t) => format!(r#"{{"percent": "{}.{}"}}"#, t / 10, t % 10),
        Input::Ratio(n, d) => {
            format!(r#"{{"ratio": {{"numerator": "{n}", "denominator": "{d}"}}}}"#)
        }
        Input::Level(k) => format!(r#"{{"option": "{}"}}"#, LEVELS[k].0),
        Input::Counts(m, s) => format!(r#"{{"counts": {{"minor": "{m}", "severe": "{s}"}}}}"#),
    }
}

/// The assessment (`chiso.assessment/1`): every leaf self-assessed.
pub fn assessment_json() -> String {
    let entries: Vec<String> = leaves()
        .iter()
        .map(|l| {
            format!(
                r#""{}": {{"self": {{"value": {}}}}}"#,
                l.code,
                value_json(l.input)
            )
        })
        .collect();
    format!(
        r#"{{"format": "chiso.assessment/1", "index": "synthetic-150", "unit": {{"name": "Synthetic unit"}}, "year": 2024, "entries": {{{}}}}}"#,
        entries.join(",\n")
    )
}

/// A leaf ready for the plain `f64` evaluation: the same inputs as plain numbers.
#[derive(Debug, Clone, Copy)]
pub enum F64Leaf {
    /// max, yes?
    YesNo(f64, bool),
    /// max, percent
    Tiers(f64, f64),
    /// max, numerator, denominator
    Proportional(f64, f64, f64),
    /// max, share of max
    Levels(f64, f64),
    /// max, minor, severe
    Deductions(f64, f64, f64),
}

/// The leaves as plain numbers (done once, like parsing).
pub fn f64_leaves() -> Vec<F64Leaf> {
    leaves()
        .iter()
        .map(|l| {
            let max = f64::from(l.max_milli) / 1000.0;
            match l.input {
                Input::YesNo(b) => F64Leaf::YesNo(max, b),
                Input::PercentTenths(t) => F64Leaf::Tiers(max, f64::from(t) / 10.0),
                Input::Ratio(n, d) => F64Leaf::Proportional(max, f64::from(n), f64::from(d)),
                Input::Level(k) => F64Leaf::Levels(max, f64::from(LEVELS[k].1) / 100.0),
                Input::Counts(m, s) => F64Leaf::Deductions(max, f64::from(m), f64::from(s)),
            }
        })
        .collect()
}

/// Hand-written `f64` evaluation of the same tree: the floor.
#[inline(never)]
pub fn f64_total(leaves: &[F64Leaf]) -> f64 {
    let mut total = 0.0;
    for section in leaves.chunks(CRITERIA * LEAVES) {
        let mut s = 0.0;
        for criterion in section.chunks(LEAVES) {
            let mut c = 0.0;
            for leaf in criterion {
                c += match *leaf {
                    F64Leaf::YesNo(max, yes) => {
                        if yes {
                            max
                        } else {
                            0.0
                        }
                    }
                    F64Leaf::Tiers(max, p) => {
                        if p >= 90.0 {
                            max
                        } else if p >= 70.0 {
                            max * 0.5
                        } else {
                            0.0
                        }
                    }
                    F64Leaf::Proportional(max, n, d) => {
                        if d == 0.0 {
                            0.0
                        } else {
                            max * (n / d).min(1.0)
                        }
                    }
                    F64Leaf::Levels(max, share) => max * share,
                    F64Leaf::Deductions(max, minor, severe) => {
                        (max - minor * max * 0.25 - severe * max).max(0.0)
                    }
                };
            }
            s += c;
        }
        total += s;
    }
    total
}
