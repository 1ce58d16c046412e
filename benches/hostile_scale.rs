//! Scale of the planner and of what-if on the largest index chiso accepts (issue 12,
//! class 3): a GENERATED index of about 20,000 yes/no leaves of 1 point (not a criteria
//! set; two shapes: 100 sections × 198 leaves, and 19,999 leaves straight under the
//! root), one unit answering "no" everywhere.
//!
//! - `plan_20000_leaves_*`: the least-cost plan to 60 % (about 12,000 steps of cost 1:
//!   an exact dynamic programme over 20,000 improvements);
//! - `whatif_20000_overrides_*`: 20,000 `set_value` overrides (every leaf to "yes", then
//!   the first ones back to "no"), each checked for an effect.
//!
//! Before issue 12 one plan took 9.5 s (flat) and 18.8 s (sections) and the what-if did
//! not finish in 300 s (release CLI, same inputs); see the README.
//!
//! Run: `cargo bench --bench hostile_scale`.
#![allow(missing_docs, clippy::unwrap_used)]

use chiso::planner::{plan, Costs, Target};
use chiso::scenario::{self, Base};
use chiso::{Index, View};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

/// Leaf codes of the generated index: `sections` × `per` under sections, or `per`
/// straight under the root when `sections` is 0.
fn codes(sections: usize, per: usize) -> Vec<String> {
    if sections == 0 {
        (0..per).map(|i| format!("L{i}")).collect()
    } else {
        (0..sections)
            .flat_map(|s| (0..per).map(move |i| format!("S{s}.{i}")))
            .collect()
    }
}

fn index_json(sections: usize, per: usize) -> String {
    let leaf = |code: &str| {
        format!(
            r#"{{"code":"{code}","title":{{"vi":"Tiêu chí {code}"}},"max_points":"1","rule":{{"type":"yes_no","yes":{{"label":{{"vi":"có"}},"percent_of_max":"100"}},"no":{{"label":{{"vi":"không"}},"points":"0"}}}}}}"#
        )
    };
    let nodes: Vec<String> = if sections == 0 {
        codes(0, per).iter().map(|c| leaf(c)).collect()
    } else {
        (0..sections)
            .map(|s| {
                let children: Vec<String> =
                    (0..per).map(|i| leaf(&format!("S{s}.{i}"))).collect();
                format!(
                    r#"{{"code":"S{s}","title":{{"vi":"Phần {s}"}},"max_points":"{per}","children":[{}]}}"#,
                    children.join(",")
                )
            })
            .collect()
    };
    let total = if sections == 0 { per } else { sections * per };
    format!(
        r#"{{"format":"chiso.index/1","id":"gen","title":{{"vi":"SINH TỰ ĐỘNG"}},"version":"1",
        "legal_basis":[],"unit_levels":["province"],"years":{{"from":2024}},"completeness":"example",
        "max_points":"{total}","nodes":[{}]}}"#,
        nodes.join(",")
    )
}

fn assessment_json(codes: &[String]) -> String {
    let entries: Vec<String> = codes
        .iter()
        .map(|c| format!(r#""{c}":{{"self":{{"value":{{"yes_no":false}}}}}}"#))
        .collect();
    format!(
        r#"{{"format":"chiso.assessment/1","index":"gen","unit":{{"name":"Đơn vị"}},"entries":{{{}}}}}"#,
        entries.join(",")
    )
}

/// 20,000 overrides: every leaf to "yes", then the first ones back to "no".
fn scenario_json(codes: &[String]) -> String {
    let mut list = Vec::new();
    for (k, c) in codes.iter().cycle().take(20_000).enumerate() {
        let yes = k < codes.len();
        list.push(format!(
            r#"{{"op":"set_value","code":"{c}","value":{{"yes_no":{yes}}}}}"#
        ));
    }
    format!(
        r#"{{"format":"chiso.scenario/1","index":"gen","overrides":[{}]}}"#,
        list.join(",")
    )
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("hostile_scale");
    g.sample_size(10);
    for (name, sections, per) in [("sections", 100, 198), ("flat", 0, 19_999)] {
        let index = Index::from_json(&index_json(sections, per)).unwrap();
        let codes = codes(sections, per);
        let a = chiso::load::assessment(&assessment_json(&codes)).unwrap();
        let target = Target::Percent { value: 60.into() };
        let costs = Costs::default();
        let p = plan(&index, &a, View::Final, &target, &costs, None).unwrap();
        assert!(p.reached);
        eprintln!(
            "{name}: {} leaves, plan of {} steps, cost {}, method {:?}",
            codes.len(),
            p.steps.len(),
            p.cost,
            p.method
        );
        g.bench_function(format!("plan_20000_leaves_{name}"), |b| {
            b.iter(|| plan(&index, black_box(&a), View::Final, &target, &costs, None).unwrap())
        });
        let s = scenario::parse(&scenario_json(&codes)).unwrap();
        let w = scenario::run(
            &index,
            Base::Assessment(Box::new(a.clone())),
            std::slice::from_ref(&s),
        )
        .unwrap();
        assert_eq!(w.overrides, 20_000);
        g.bench_function(format!("whatif_20000_overrides_{name}"), |b| {
            b.iter(|| {
                scenario::run(
                    &index,
                    Base::Assessment(Box::new(a.clone())),
                    std::slice::from_ref(&s),
                )
                .unwrap()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
