//! The planner on the SYNTHETIC 150-leaf PAR-like index (`benches/common/synthetic.rs`,
//! not an official criteria set): the least-cost plan for a 10-point gap (target =
//! the unit's total + 10 points), default costs (1 per step). Target ≤ 100 ms.
//!
//! Run: `cargo bench --bench planner`.
#![allow(missing_docs, clippy::unwrap_used)]

#[path = "common/synthetic.rs"]
mod synthetic;

use chiso::planner::{plan, Costs, Target};
use chiso::{Index, View};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let index = Index::from_json(&synthetic::index_json()).unwrap();
    let a = chiso::load::assessment(&synthetic::assessment_json()).unwrap();
    let now = index
        .score(&a, View::Final)
        .unwrap()
        .total
        .achieved
        .unwrap();
    let target = Target::Points {
        value: now + rust_decimal::Decimal::TEN,
    };
    let costs = Costs::default();
    let p = plan(&index, &a, View::Final, &target, &costs, None).unwrap();
    assert!(p.reached, "a 10-point gap is reachable on this index");
    eprintln!(
        "synthetic-150: total {now}, plan of {} steps, cost {}, method {:?}",
        p.steps.len(),
        p.cost,
        p.method
    );
    let mut g = c.benchmark_group("planner");
    g.sample_size(20);
    g.bench_function("plan_150_leaves_gap_10_points", |b| {
        b.iter(|| plan(&index, black_box(&a), View::Final, &target, &costs, None).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
