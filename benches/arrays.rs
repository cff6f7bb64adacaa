//! Array throughput, beside a hand-written Rust baseline.
//!
//! - `poly_f32_1e6/*`: `x*x + 2.0*x + 1.0` over a million `f32`s: the
//!   `#[jit]` function (one fused native loop writing a fresh array)
//!   against a plain Rust loop over a `Vec<f32>` writing a new `Vec`.

use criterion::{Criterion, criterion_group, criterion_main};
use jit::prelude::*;
use std::hint::black_box;

const N: usize = 1_000_000;

#[jit]
fn poly(x: &Array) -> Array {
    x * x + 2.0 * x + 1.0
}

#[inline(never)]
fn poly_rust(x: &[f32]) -> Vec<f32> {
    x.iter().map(|&x| x * x + 2.0 * x + 1.0).collect()
}

fn poly_f32_1e6(c: &mut Criterion) {
    let data: Vec<f32> = (0..N).map(|k| k as f32 * 1e-3 - 500.0).collect();
    let x = Array::from(data.clone());
    assert_eq!(poly(&x).to_vec::<f32>().unwrap(), poly_rust(&data));
    let mut g = c.benchmark_group("poly_f32_1e6");
    g.bench_function("jit", |b| b.iter(|| poly(black_box(&x))));
    g.bench_function("rust", |b| b.iter(|| poly_rust(black_box(&data))));
    g.finish();
}

criterion_group!(benches, poly_f32_1e6);
criterion_main!(benches);
