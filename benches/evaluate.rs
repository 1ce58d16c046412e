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
//! Run: `cargo bench --bench evaluate`. With `CHISO_EVALUATE_LOOPS=N` set, the bench
//! binary only evaluates the compiled plan `N` times and the floor `N` times and exits
//! (for instruction counts: `valgrind --tool=callgrind <bench binary> --bench`); with
//! `CHISO_EVALUATE_MIN=B` it times `B` batches of 1,000 evaluations alternated with
//! batches of the floor and prints each one's fastest and median batch (per evaluation)
//! and their ratios — the fastest steadier than a median on a loaded machine
//! (`CHISO_EVALUATE_SOLO=1`: the compiled batches in a row, then the floor's). With
//! `CHISO_EVALUATE_SHIFT=B` it prints the compiled plan's fastest of `B` batches below
//! stack frames of 0–2,048 bytes (criterion shifts the stack per sample).
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

    if let Some(n) = std::env::var("CHISO_EVALUATE_LOOPS")
        .ok()
        .and_then(|n| n.parse::<u64>().ok())
    {
        for _ in 0..n {
            black_box(plan.evaluate(black_box(&values), &mut scratch).unwrap());
            black_box(synthetic::f64_total(black_box(&floor_leaves)));
        }
        std::process::exit(0);
    }

    if let Some(b) = std::env::var("CHISO_EVALUATE_SHIFT")
        .ok()
        .and_then(|n| n.parse::<u32>().ok())
    {
        // The batches run below a stack frame of N bytes (criterion shifts the stack by
        // its sample number, 0–99 bytes, per sample).
        #[inline(never)]
        fn shifted<const N: usize>(f: &mut dyn FnMut()) {
            let pad = [0u8; N];
            black_box(&pad);
            f();
            black_box(&pad);
        }
        let batch = |name: &str, f: &mut dyn FnMut()| {
            let mut best = f64::MAX;
            for _ in 0..b {
                let t = std::time::Instant::now();
                f();
                best = best.min(t.elapsed().as_secs_f64() * 1e6);
            }
            print!("{name} {best:.0}  ");
        };
        macro_rules! shifts {
            ($($n:literal)*) => {$(
                batch(concat!("shift ", $n, ":"), &mut || shifted::<$n>(&mut || {
                    for _ in 0..1000 {
                        black_box(plan.evaluate(black_box(&values), &mut scratch).unwrap());
                    }
                }));
            )*};
        }
        shifts!(0 8 16 24 32 48 64 80 96 112 128 256 512 1024 2048);
        println!();
        std::process::exit(0);
    }

    if let Some(b) = std::env::var("CHISO_EVALUATE_MIN")
        .ok()
        .and_then(|n| n.parse::<u32>().ok())
    {
        let (mut compiled, mut f64_floor) = (Vec::new(), Vec::new());
        let solo = std::env::var_os("CHISO_EVALUATE_SOLO").is_some();
        for k in 0..2 * b {
            let t = std::time::Instant::now();
            if (solo && k < b) || (!solo && k % 2 == 0) {
                for _ in 0..1000 {
                    black_box(plan.evaluate(black_box(&values), &mut scratch).unwrap());
                }
                compiled.push(t.elapsed().as_secs_f64() * 1e6);
            } else {
                for _ in 0..1000 {
                    black_box(synthetic::f64_total(black_box(&floor_leaves)));
                }
                f64_floor.push(t.elapsed().as_secs_f64() * 1e6);
            }
        }
        compiled.sort_by(f64::total_cmp);
        f64_floor.sort_by(f64::total_cmp);
        let (c, f) = (compiled[0], f64_floor[0]);
        println!(
            "fastest of {b} batches: compiled {c:.1} ns, f64 floor {f:.1} ns, ratio {:.2}",
            c / f
        );
        let (c, f) = (compiled[compiled.len() / 2], f64_floor[f64_floor.len() / 2]);
        println!(
            "median of {b} batches: compiled {c:.1} ns, f64 floor {f:.1} ns, ratio {:.2}",
            c / f
        );
        std::process::exit(0);
    }

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
