//! chiso vs GoRules ZEN (`zen-engine` 2.1.6) on the same SYNTHETIC 150-leaf PAR-like
//! index and inputs, in the same criterion run:
//!
//! - `peer/chiso_compiled_150`: the compiled plan (`Compiled::evaluate`) on the
//!   assessment's values read once (`Compiled::values`); target ≥ 20× ZEN;
//! - `peer/chiso_points_150`: `Index::evaluate` on inputs resolved from the parsed
//!   assessment (the `Decimal` points-only path);
//! - `peer/zen_150`: the precompiled ZEN decision (`Decision::compile`) evaluated on the
//!   same values, driven by a current-thread tokio runtime;
//! - `peer/f64_floor_150`: the hand-written `f64` evaluation.
//!
//! Throughput is one evaluation per iteration, so criterion prints evaluations/s.
//!
//! Build and run with its own target dir (zen-engine takes ~11 minutes to build):
//! `CARGO_TARGET_DIR=/work/target-peer cargo bench -p chiso-peer-bench`.
#![allow(missing_docs, clippy::unwrap_used)]

use chiso::engine::{Compiled, Scratch};
use chiso::inputs::Inputs;
use chiso::{Cell, Index, View};
use chiso_peer_bench::{synthetic, zen_context, zen_model};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rust_decimal::prelude::ToPrimitive;
use std::hint::black_box;
use zen_engine::model::GraphContent;
use zen_engine::{Decision, Variable};

fn bench(c: &mut Criterion) {
    let index = Index::from_json(&synthetic::index_json()).unwrap();
    let a = chiso::load::assessment(&synthetic::assessment_json()).unwrap();
    let inputs = Inputs::resolve(&index, &a, View::Final).unwrap();
    let mut cells = vec![Cell::Missing; index.nodes().len()];
    let total = index
        .evaluate(&inputs, &mut cells)
        .unwrap()
        .unwrap()
        .to_f64()
        .unwrap();

    let content: GraphContent = serde_json::from_value(zen_model()).unwrap();
    let mut decision = Decision::from(content);
    decision.compile();
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let context: Variable = zen_context().into();
    let response = rt.block_on(decision.evaluate(context.clone())).unwrap();
    let out = serde_json::to_value(&response.result).unwrap();
    let zen_total = out["total"]
        .as_f64()
        .or_else(|| out["total"].as_str().and_then(|s| s.parse().ok()))
        .unwrap_or_else(|| panic!("no total in {out}"));
    assert!(
        (zen_total - total).abs() < 1e-9,
        "ZEN total {zen_total} differs from chiso {total}"
    );
    eprintln!("synthetic-150 total: chiso {total}, ZEN {zen_total}");

    let plan = Compiled::new(&index);
    let values = plan.values(&a, View::Final).unwrap();
    let mut scratch = Scratch::default();
    let compiled = plan.evaluate(&values, &mut scratch).unwrap().unwrap();
    assert_eq!(compiled.to_f64().unwrap(), total);

    let floor_leaves = synthetic::f64_leaves();
    let mut g = c.benchmark_group("peer");
    g.throughput(Throughput::Elements(1));
    g.bench_function("chiso_compiled_150", |b| {
        b.iter(|| plan.evaluate(black_box(&values), &mut scratch).unwrap())
    });
    g.bench_function("chiso_points_150", |b| {
        b.iter(|| index.evaluate(black_box(&inputs), &mut cells).unwrap())
    });
    g.bench_function("zen_150", |b| {
        b.iter(|| {
            rt.block_on(decision.evaluate(black_box(context.clone())))
                .unwrap()
        })
    });
    g.bench_function("f64_floor_150", |b| {
        b.iter(|| synthetic::f64_total(black_box(&floor_leaves)))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
