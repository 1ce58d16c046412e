//! One evaluation of a SYNTHETIC 150-leaf PAR-like index (`benches/common/synthetic.rs`,
//! not an official criteria set) with mixed rules, from a parsed assessment:
//!
//! - `evaluate/chiso_compiled_150`: the compiled plan ([`Compiled::evaluate`]) on the
//!   assessment's values read once into the plan's form ([`Compiled::values`]); the
//!   target: ≤ 2 µs median and within 3× of the `f64` floor;
//! - `evaluate/chiso_compiled_read_and_points_150`: reading resolved [`Inputs`] into the
//!   plan's form ([`Compiled::read`]) plus evaluating;
//! - `evaluate/chiso_points_150`: [`Index::evaluate`] on [`Inputs`] resolved once from the
//!   parsed assessment (the `Decimal` points-only path);
//! - `evaluate/f64_floor_150`: the same tree and inputs as a hand-written `f64`
//!   evaluation (the floor; chiso should be within 3×);
//! - `evaluate/chiso_resolve_and_points_150`: resolving the assessment plus evaluating;
//! - `evaluate/chiso_score_explained_150`: [`Index::score`] with every explanation, for
//!   comparison.
//!
//! Run: `cargo bench --bench evaluate`.
#![allow(missing_docs, clippy::unwrap_used)]

#[path = "common/synthetic.rs"]
mod synthetic;

use chiso::engine::{Compiled, Scratch};
use chiso::inputs::Inputs;
use chiso::{Cell, Index, View};
use criterion::{criterion_group, criterion_main, Criterion};
use rust_decimal::prelude::ToPrimitive;
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let index = Index::from_json(&synthetic::index_json()).unwrap();
    assert_eq!(index.leaves().count(), 150);
    let a = chiso::load::assessment(&synthetic::assessment_json()).unwrap();
    let inputs = Inputs::resolve(&index, &a, View::Final).unwrap();
    let mut cells = vec![Cell::Missing; index.nodes().len()];
    let total = index.evaluate(&inputs, &mut cells).unwrap().unwrap();
    let floor_leaves = synthetic::f64_leaves();
    let floor = synthetic::f64_total(&floor_leaves);
    // Both paths compute the same thing (the f64 one up to rounding).
    assert!(
        (total.to_f64().unwrap() - floor).abs() < 1e-9,
        "{total} vs {floor}"
    );
    assert_eq!(
        index.score(&a, View::Final).unwrap().total.achieved,
        Some(total)
    );
    eprintln!("synthetic-150 total: {total} (f64 floor {floor})");
    let plan = Compiled::new(&index);
    let values = plan.values(&a, View::Final).unwrap();
    let mut scratch = Scratch::default();
    assert_eq!(plan.evaluate(&values, &mut scratch).unwrap(), Some(total));
    assert_eq!(Compiled::decimal_nodes(&scratch), 0, "all in integers");
    assert_eq!(values.hot_leaves(), 150, "every leaf on the hot path");
    assert!(
        Compiled::took_flat_path(&scratch),
        "the whole tree on the flat path"
    );

    let mut g = c.benchmark_group("evaluate");
    g.bench_function("chiso_compiled_150", |b| {
        b.iter(|| plan.evaluate(black_box(&values), &mut scratch).unwrap())
    });
    g.bench_function("chiso_compiled_read_and_points_150", |b| {
        b.iter(|| {
            let values = plan.read(black_box(&inputs));
            plan.evaluate(&values, &mut scratch).unwrap()
        })
    });
    g.bench_function("chiso_points_150", |b| {
        b.iter(|| index.evaluate(black_box(&inputs), &mut cells).unwrap())
    });
    g.bench_function("f64_floor_150", |b| {
        b.iter(|| synthetic::f64_total(black_box(&floor_leaves)))
    });
    g.bench_function("chiso_resolve_and_points_150", |b| {
        b.iter(|| {
            let inputs = Inputs::resolve(&index, black_box(&a), View::Final).unwrap();
            index.evaluate(&inputs, &mut cells).unwrap()
        })
    });
    g.bench_function("chiso_score_explained_150", |b| {
        b.iter(|| index.score(black_box(&a), View::Final).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
