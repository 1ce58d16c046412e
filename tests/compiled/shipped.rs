//! The compiled evaluator on every shipped index, with random valid assessments (part of
//! `tests/compiled.rs`).

use super::*;

/// A valid value for any rule of a shipped index.
fn valid_value(g: &mut Gen, rule: &Rule, max: Decimal) -> Value {
    match rule {
        Rule::YesNo { conditions, .. } if !conditions.is_empty() && g.chance(50) => {
            Value::Conditions(
                conditions
                    .iter()
                    .map(|c| (c.key.clone(), g.chance(70)))
                    .collect(),
            )
        }
        Rule::YesNo { .. } => Value::YesNo(g.chance(60)),
        Rule::Timeliness { .. } => Value::Option(g.pick(&["on_time", "late", "not_done"]).into()),
        Rule::Levels { levels } => {
            Value::Option(levels[g.below(levels.len() as u64) as usize].key.clone())
        }
        Rule::Tiers { measure, tiers } => {
            // A number inside a random tier (its bounds, or just above / below them).
            let t = &tiers[g.below(tiers.len() as u64) as usize];
            let base = t
                .range
                .from
                .map(|b| b.value)
                .or(t.range.to.map(|b| b.value))
                .unwrap_or_default();
            let x = (base + g.dec(d("5"))).max(Decimal::ZERO);
            match measure {
                Measure::Percent => {
                    if g.chance(40) {
                        let den = Decimal::from(g.below(500) + 1);
                        let n = g.below(u64::try_from(den.mantissa()).unwrap_or(0) + 1);
                        Value::Ratio {
                            numerator: Decimal::from(n),
                            denominator: den,
                        }
                    } else {
                        Value::Percent(x.min(Decimal::ONE_HUNDRED))
                    }
                }
                Measure::Count => Value::Number(x.trunc()),
                Measure::Number => Value::Number(x),
            }
        }
        Rule::Proportional { .. } => {
            if g.chance(30) {
                return Value::Percent(g.dec(Decimal::ONE_HUNDRED));
            }
            let den = Decimal::from(g.below(2000) + u64::from(g.chance(90)));
            let n = g.below(u64::try_from(den.mantissa()).unwrap_or(0) + 1);
            Value::Ratio {
                numerator: Decimal::from(n),
                denominator: den,
            }
        }
        Rule::Deductions { severities } => {
            let mut m = BTreeMap::new();
            for s in severities {
                if g.chance(50) {
                    m.insert(s.key.clone(), Decimal::from(g.below(3)));
                }
            }
            Value::Counts(m)
        }
        Rule::Discretionary { step } => {
            let s = step.filter(|s| !s.is_zero()).unwrap_or(d("0.01"));
            let steps = u64::try_from((max / s).trunc().mantissa()).unwrap_or(0);
            Value::Points(s * Decimal::from(g.below(steps + 1)))
        }
        Rule::Survey { options } => match g.below(3) {
            0 => Value::Percent(g.dec(Decimal::ONE_HUNDRED)),
            1 => Value::Points(g.dec(max)),
            _ => {
                let mut m: BTreeMap<String, Decimal> = options
                    .iter()
                    .map(|o| (o.key.clone(), Decimal::from(g.below(30))))
                    .collect();
                if let Some(o) = options.first() {
                    m.insert(o.key.clone(), Decimal::from(g.below(30) + 1));
                }
                Value::Answers(m)
            }
        },
        Rule::Score { nominal } => {
            let hi = nominal
                .as_ref()
                .and_then(|r| r.to.map(|b| b.value))
                .unwrap_or(max)
                .min(max);
            let scale = g.below(7) as u32;
            Value::Points(g.dec_scaled(hi.max(Decimal::ZERO), scale))
        }
    }
}

fn shipped_indexes() -> Vec<(String, Index)> {
    let mut out = Vec::new();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("criteria");
    let mut dirs = vec![root];
    while let Some(dir) = dirs.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
                continue;
            }
            let name = p.display().to_string();
            if !name.ends_with(".json") {
                continue;
            }
            let text = std::fs::read_to_string(&p).unwrap();
            if !text.contains("\"chiso.index/1\"") {
                continue;
            }
            if let Ok(index) = Index::from_json(&text) {
                out.push((name, index));
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn compiled_equals_index_evaluate_on_every_shipped_index() {
    let indexes = shipped_indexes();
    assert!(indexes.len() >= 15, "{} shipped indexes", indexes.len());
    let mut reached = Reached::default();
    for (name, index) in &indexes {
        for seed in 0..40u64 {
            let mut g = Gen(seed ^ (name.len() as u64 * 1_000_003));
            let mut a = random_assessment(index, &mut g, &valid_value);
            if let Some(t) = index
                .definition()
                .unit_types
                .first()
                .filter(|_| g.chance(30))
            {
                a.unit_type = Some(t.code.clone());
            }
            same_as_engine(index, &a, &mut reached)
                .unwrap_or_else(|e| panic!("{name}, seed {seed}: {e}"));
        }
        let plan = Compiled::new(index);
        eprintln!(
            "{name}: {} of {} nodes in integers",
            plan.fixed_nodes(),
            index.nodes().len()
        );
    }
    eprintln!("{reached:?}");
    assert!(reached.all_integer > reached.runs / 4, "{reached:?}");
}
