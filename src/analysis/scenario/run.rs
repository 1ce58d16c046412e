//! Running scenarios on a base and comparing every unit and node with the baseline: the
//! `chiso.whatif/1` document.

use super::*;

/// Baseline vs scenario for one node of one unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct NodeChange {
    /// Criterion code.
    pub code: String,
    /// Name.
    pub title: Text,
    /// Depth (top-level nodes are 1).
    pub depth: usize,
    /// Points in the baseline.
    pub baseline: Option<Decimal>,
    /// Points in the scenario.
    pub scenario: Option<Decimal>,
    /// Scenario − baseline (when both have points).
    pub delta: Option<Decimal>,
    /// Percent of the applicable maximum in the baseline.
    pub baseline_percent: Option<Decimal>,
    /// Percent of the applicable maximum in the scenario.
    pub scenario_percent: Option<Decimal>,
    /// Applicable maximum in the baseline.
    pub baseline_max: Option<Decimal>,
    /// Applicable maximum in the scenario.
    pub scenario_max: Option<Decimal>,
    /// Whether anything of this node changed.
    pub changed: bool,
}

/// One unit's standing: total, percent, band, rank.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Standing {
    /// Total points (after bonus and penalty).
    pub total: Option<Decimal>,
    /// Applicable maximum.
    pub applicable_max: Option<Decimal>,
    /// Percent of the applicable maximum.
    pub percent: Option<Decimal>,
    /// Band code.
    pub band: Option<String>,
    /// Rank within the batch (and block); `null` for a single assessment.
    pub rank: Option<u32>,
}

/// Baseline vs scenario for one unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct UnitChange {
    /// Unit name.
    pub unit: String,
    /// Ranking block.
    pub block: Option<String>,
    /// Before.
    pub baseline: Standing,
    /// After.
    pub scenario: Standing,
    /// Total: scenario − baseline.
    pub delta: Option<Decimal>,
    /// Whether the band changed.
    pub band_changed: bool,
    /// Baseline rank − scenario rank (positive = moved up).
    pub rank_change: Option<i64>,
    /// Every node below the root, in tree order.
    pub nodes: Vec<NodeChange>,
}

/// The output of a what-if run (`chiso.whatif/1`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct WhatIf {
    /// Format tag.
    pub format: String,
    /// Index id.
    pub index: String,
    /// Titles of the scenarios applied, in order.
    pub scenarios: Vec<Option<Text>>,
    /// Number of overrides applied.
    pub overrides: usize,
    /// Layers scored.
    pub view: View,
    /// Every unit (one for an assessment base).
    pub units: Vec<UnitChange>,
}

fn standings(index: &Index, base: &Base, results: &[ScoreResult]) -> Vec<Standing> {
    let ranks: Vec<Option<u32>> = if base.is_batch() {
        let totals: Vec<Option<Decimal>> = results.iter().map(|r| r.total.achieved).collect();
        let mut names: HashMap<Option<String>, u32> = HashMap::new();
        let blocks: Vec<u32> = base
            .units()
            .iter()
            .map(|a| {
                let next = names.len() as u32;
                *names.entry(a.unit.block.clone()).or_insert(next)
            })
            .collect();
        crate::ranking::rank_in_blocks(&totals, &blocks, index.definition().tie_policy)
    } else {
        vec![None; results.len()]
    };
    results
        .iter()
        .zip(ranks)
        .map(|(r, rank)| Standing {
            total: r.total.achieved.map(|d| d.normalize()),
            applicable_max: r.total.applicable_max.map(|d| d.normalize()),
            percent: r.total.percent.map(|d| d.normalize()),
            band: band_code(r),
            rank,
        })
        .collect()
}

/// Applies `scenarios` in order to `base` and compares every unit and node with the
/// baseline. The view of the first scenario is used (default `final`).
///
/// ```
/// use chiso::scenario::{parse, run, Base};
/// let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/criteria/examples/");
/// let index = chiso::Index::from_file(format!("{dir}department-example.json").as_ref()).unwrap();
/// let a = chiso::load::assessment(&std::fs::read_to_string(format!("{dir}department-example.assessment.json")).unwrap()).unwrap();
/// let s = parse(r#"{"format":"chiso.scenario/1","index":"par-example-department",
///   "overrides":[{"op":"set_value","code":"2.3","value":{"ratio":{"numerator":"900","denominator":"1000"}}}]}"#).unwrap();
/// let w = run(&index, Base::Assessment(Box::new(a)), &[s]).unwrap();
/// let n = w.units[0].nodes.iter().find(|n| n.code == "2.3").unwrap();
/// // 6 × min(1; 81% / 90%) = 5.4 → 6 × min(1; 90% / 90%) = 6
/// assert_eq!(n.delta, Some("0.6".parse().unwrap()));
/// ```
pub fn run(index: &Index, base: Base, scenarios: &[Scenario]) -> Result<WhatIf, Diagnostics> {
    let cells = (base.units().len() as u64).saturating_mul(index.nodes().len() as u64);
    if cells > crate::limits::MAX_WHATIF_CELLS {
        return Err(Diagnostics(vec![Diagnostic::error(
            "$.base",
            None,
            Problem::LimitExceeded {
                what: WHATIF_CELLS_WHAT.into(),
                limit: crate::limits::MAX_WHATIF_CELLS,
                found: Some(cells),
                unit: String::new(),
            },
        )]));
    }
    let view = scenarios.first().map(|s| s.view).unwrap_or_default();
    let baseline = score_all(index, &base, view).map_err(|e| base_errors(&base, e))?;
    let before = standings(index, &base, &baseline);
    let mut state = State {
        index: index.clone(),
        base,
    };
    let mut errors = Diagnostics::default();
    for (k, s) in scenarios.iter().enumerate() {
        if let Err(d) = apply(&mut state, s) {
            for mut x in d.0 {
                if scenarios.len() > 1 && x.file.is_none() {
                    x.file = Some(format!("scenario {}", k + 1));
                }
                errors.push(x);
            }
        }
    }
    if errors.has_errors() {
        return Err(errors);
    }
    let scenario =
        score_all(&state.index, &state.base, view).map_err(|e| base_errors(&state.base, e))?;
    let after = standings(&state.index, &state.base, &scenario);
    let units = baseline
        .iter()
        .zip(&scenario)
        .zip(before.into_iter().zip(after))
        .map(|((b, s), (sb, ss))| unit_change(b, s, sb, ss))
        .collect();
    Ok(WhatIf {
        format: WHATIF_FORMAT.into(),
        index: index.definition().id.clone(),
        scenarios: scenarios.iter().map(|s| s.title.clone()).collect(),
        overrides: scenarios.iter().map(|s| s.overrides.len()).sum(),
        view,
        units,
    })
}

fn unit_change(b: &ScoreResult, s: &ScoreResult, sb: Standing, ss: Standing) -> UnitChange {
    let nodes = b
        .nodes
        .iter()
        .zip(&s.nodes)
        .map(|(x, y)| NodeChange {
            code: x.code.clone(),
            title: x.title.clone(),
            depth: x.depth,
            baseline: x.achieved.map(|d| d.normalize()),
            scenario: y.achieved.map(|d| d.normalize()),
            delta: y.achieved.zip(x.achieved).map(|(a, b)| (a - b).normalize()),
            baseline_percent: x.percent.map(|d| d.normalize()),
            scenario_percent: y.percent.map(|d| d.normalize()),
            baseline_max: x.applicable_max.map(|d| d.normalize()),
            scenario_max: y.applicable_max.map(|d| d.normalize()),
            changed: x.achieved.map(|d| d.normalize()) != y.achieved.map(|d| d.normalize())
                || x.applicable_max.map(|d| d.normalize())
                    != y.applicable_max.map(|d| d.normalize()),
        })
        .collect();
    UnitChange {
        unit: b.unit.name.clone(),
        block: b.unit.block.clone(),
        delta: ss.total.zip(sb.total).map(|(a, b)| (a - b).normalize()),
        band_changed: sb.band != ss.band,
        rank_change: sb
            .rank
            .zip(ss.rank)
            .map(|(a, b)| i64::from(a) - i64::from(b)),
        baseline: sb,
        scenario: ss,
        nodes,
    }
}

/// JSON in, JSON out (for a caller that holds texts, not an [`Index`]; the WASM binding
/// keeps a loaded index and calls [`run`]): `index` is an index file's text,
/// `base` an assessment's text, `scenarios` the scenario files' texts in order.
/// The output is a `chiso.whatif/1` document; errors are the diagnostics.
pub fn whatif_json(index: &str, base: &str, scenarios: &[&str]) -> Result<String, Diagnostics> {
    let index = Index::from_json(index)?;
    let a = crate::load::assessment(base)?;
    let mut list = Vec::new();
    let mut errors = Diagnostics::default();
    for (k, s) in scenarios.iter().enumerate() {
        match parse(s) {
            Ok(s) => list.push(s),
            Err(d) => {
                for mut x in d.0 {
                    if scenarios.len() > 1 {
                        x.file = Some(format!("scenario {}", k + 1));
                    }
                    errors.push(x);
                }
            }
        }
    }
    if errors.has_errors() {
        return Err(errors);
    }
    let w = run(&index, Base::Assessment(Box::new(a)), &list)?;
    serde_json::to_string(&w).map_err(|e| {
        Diagnostics(vec![Diagnostic::error(
            "$",
            None,
            Problem::Structure {
                detail: e.to_string(),
            },
        )])
    })
}
