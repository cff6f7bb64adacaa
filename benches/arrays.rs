//! Array throughput, beside a hand-written Rust baseline.
//!
//! - `poly_f32_1e6/*`: `x*x + 2.0*x + 1.0` over a million `f32`s: the
//!   `#[jit]` function (one fused native loop writing a fresh array)
//!   against a plain Rust loop over a `Vec<f32>` writing a new `Vec`.
//! - `compile_poly/*`: tracing, optimising, lowering and assembling `poly`
//!   for an `f32[1e6]` (`poly::lower(&x).compile()`), beside one run of the
//!   Rust loop: what a first call costs, in runs of the work itself.
//!   `copy` is copying the array into a fresh `Vec`: the floor for any
//!   pass that reads one array and writes another.
//! - `sum_f32_1e6/*`: `jnp::sum` (a native vector loop adding in 32
//!   stripes, the order `ReduceKind` defines) against the same stripes
//!   written in Rust (`rust_striped`, which the compiler vectorises),
//!   `iter().sum()` (`rust_sequential`, one dependent chain of adds) and
//!   `copy`.
//! - `cumsum_f32_1e4/*`: a `lax::scan` cumulative sum (one native loop,
//!   the carry in a register) against a Rust loop.
//! - `softmax_f32_256x1024/*`: a row-wise softmax (`max` and `sum` along
//!   an axis, broadcast back: loop nests over buffers, each pass's row
//!   loop on vectors) against the same
//!   three passes per row written in Rust.
//! - `sin_plus_cos_f32_1e6/*`, `exp_f32_1e6/*`, `tanh_f32_1e6/*`: the
//!   vector loop running the `math` algorithms (`sin`, `cos`, `exp` and
//!   `tanh` in `f32` on every lane, eight with AVX2) against `std`'s `f32`
//!   functions mapped over a `Vec`.
//! - `dot_256x512x512/*`: `a.dot(b)` (native code calling `gemm` through a
//!   runtime helper) against a hand-written `i-k-j` triple loop.

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
    g.bench_function("copy", |b| b.iter(|| black_box(&data).to_vec()));
    g.finish();
}

fn compile_poly(c: &mut Criterion) {
    let data: Vec<f32> = (0..N).map(|k| k as f32 * 1e-3 - 500.0).collect();
    let x = Array::from(data.clone());
    assert!(poly::lower(&x).compile().is_native());
    let mut g = c.benchmark_group("compile_poly");
    g.bench_function("jit", |b| b.iter(|| poly::lower(black_box(&x)).compile()));
    g.bench_function("rust_run", |b| b.iter(|| poly_rust(black_box(&data))));
    g.finish();
}

#[jit]
fn total(x: &Array) -> f32 {
    jnp::sum(x, ..)
}

/// `ReduceKind`'s order: 32 stripes, halved, then the tail.
#[inline(never)]
fn sum_striped_rust(x: &[f32]) -> f32 {
    let mut stripes = [0.0f32; 32];
    let mut chunks = x.chunks_exact(32);
    for chunk in &mut chunks {
        for (s, &v) in stripes.iter_mut().zip(chunk) {
            *s += v;
        }
    }
    let mut half = 16;
    while half >= 1 {
        for k in 0..half {
            stripes[k] += stripes[k + half];
        }
        half /= 2;
    }
    chunks
        .remainder()
        .iter()
        .fold(stripes[0], |acc, &v| acc + v)
}

fn sum_f32_1e6(c: &mut Criterion) {
    let data: Vec<f32> = (0..N).map(|k| (k % 1000) as f32 * 1e-3).collect();
    let x = Array::from(data.clone());
    assert_eq!(total(&x).to_bits(), sum_striped_rust(&data).to_bits());
    let mut g = c.benchmark_group("sum_f32_1e6");
    g.bench_function("jit", |b| b.iter(|| total(black_box(&x))));
    g.bench_function("rust_striped", |b| {
        b.iter(|| sum_striped_rust(black_box(&data)))
    });
    g.bench_function("rust_sequential", |b| {
        b.iter(|| black_box(&data).iter().sum::<f32>())
    });
    g.bench_function("copy", |b| b.iter(|| black_box(&data).to_vec()));
    g.finish();
}

#[jit]
fn cumsum(xs: &Array) -> Array {
    lax::scan(|c, x| (c + x, c + x), 0.0, xs).1
}

#[inline(never)]
fn cumsum_rust(xs: &[f32]) -> Vec<f32> {
    let mut c = 0.0f32;
    xs.iter()
        .map(|&x| {
            c += x;
            c
        })
        .collect()
}

fn cumsum_f32_1e4(c: &mut Criterion) {
    let data: Vec<f32> = (0..10_000).map(|k| (k % 7) as f32).collect();
    let x = Array::from(data.clone());
    assert_eq!(cumsum(&x).to_vec::<f32>().unwrap(), cumsum_rust(&data));
    let mut g = c.benchmark_group("cumsum_f32_1e4");
    g.bench_function("jit", |b| b.iter(|| cumsum(black_box(&x))));
    g.bench_function("rust", |b| b.iter(|| cumsum_rust(black_box(&data))));
    g.finish();
}

#[jit]
fn matmul(a: &Array, b: &Array) -> Array {
    a.dot(b)
}

#[jit]
fn softmax(x: &Array) -> Array {
    let e = (x - jnp::max(x, 1).reshape([-1, 1])).exp();
    e / jnp::sum(e, 1).reshape([-1, 1])
}

/// Softmax of each row of a `rows × cols` row-major matrix: the maximum,
/// the exponentials and their sum, then the quotients.
#[inline(never)]
fn softmax_rust(x: &[f32], cols: usize) -> Vec<f32> {
    let mut out = vec![0.0f32; x.len()];
    for (row, out) in x.chunks(cols).zip(out.chunks_mut(cols)) {
        let max = row.iter().fold(f32::NEG_INFINITY, |m, &v| m.max(v));
        let mut sum = 0.0;
        for (o, &v) in out.iter_mut().zip(row) {
            *o = (v - max).exp();
            sum += *o;
        }
        for o in out.iter_mut() {
            *o /= sum;
        }
    }
    out
}

fn softmax_f32_256x1024(c: &mut Criterion) {
    let (rows, cols) = (256, 1024);
    let data: Vec<f32> = (0..rows * cols)
        .map(|k| ((k % 97) as f32 * 0.37).sin() * 4.0)
        .collect();
    let x = Array::from_shape_vec(&[rows, cols], data.clone()).unwrap();
    let (got, want) = (
        softmax(&x).to_vec::<f32>().unwrap(),
        softmax_rust(&data, cols),
    );
    let close = got
        .iter()
        .zip(&want)
        .all(|(a, b)| (a - b).abs() <= 1e-6 * b.abs().max(1e-30) + 1e-9);
    assert!(close, "softmax differs from the Rust baseline");
    let mut g = c.benchmark_group("softmax_f32_256x1024");
    g.bench_function("jit", |b| b.iter(|| softmax(black_box(&x))));
    g.bench_function("rust", |b| b.iter(|| softmax_rust(black_box(&data), cols)));
    g.finish();
}

/// `a` (`m × k`) times `b` (`k × n`), row-major, in `i-k-j` order.
#[inline(never)]
fn matmul_rust(a: &[f32], b: &[f32], m: usize, k: usize, n: usize) -> Vec<f32> {
    let mut out = vec![0.0f32; m * n];
    for i in 0..m {
        for l in 0..k {
            let x = a[i * k + l];
            for j in 0..n {
                out[i * n + j] += x * b[l * n + j];
            }
        }
    }
    out
}

fn dot_256x512x512(c: &mut Criterion) {
    let (m, k, n) = (256, 512, 512);
    let a: Vec<f32> = (0..m * k).map(|i| (i % 17) as f32 * 0.125).collect();
    let b: Vec<f32> = (0..k * n).map(|i| (i % 13) as f32 * 0.25).collect();
    let (aa, ba) = (
        Array::from_shape_vec(&[m, k], a.clone()).unwrap(),
        Array::from_shape_vec(&[k, n], b.clone()).unwrap(),
    );
    assert_eq!(
        matmul(&aa, &ba).to_vec::<f32>().unwrap(),
        matmul_rust(&a, &b, m, k, n)
    );
    let mut g = c.benchmark_group("dot_256x512x512");
    g.sample_size(10);
    g.bench_function("jit", |bch| {
        bch.iter(|| matmul(black_box(&aa), black_box(&ba)))
    });
    g.bench_function("rust", |bch| {
        bch.iter(|| matmul_rust(black_box(&a), black_box(&b), m, k, n))
    });
    g.finish();
}

#[jit]
fn sin_plus_cos(x: &Array) -> Array {
    x.sin() + x.cos()
}

#[jit]
fn exp_of(x: &Array) -> Array {
    x.exp()
}

#[jit]
fn tanh_of(x: &Array) -> Array {
    x.tanh()
}

/// `f` of each element into a new `Vec`, the hand-written baseline.
#[inline(never)]
fn map_rust(x: &[f32], f: impl Fn(f32) -> f32) -> Vec<f32> {
    x.iter().map(|&v| f(v)).collect()
}

/// Transcendental functions of a million `f32`s in [-10, 10): the vector
/// loop running the `math` algorithms, against `std`'s
/// functions (glibc's `sinf`, `cosf`, `expf`, `tanhf`) over a `Vec`.
fn math_f32_1e6(c: &mut Criterion) {
    let data: Vec<f32> = (0..N).map(|k| (k as f32 * 2e-5) - 10.0).collect();
    let x = Array::from(data.clone());
    let near = |got: Array, want: Vec<f32>| {
        let got = got.to_vec::<f32>().unwrap();
        got.iter()
            .zip(&want)
            .all(|(g, w)| (g - w).abs() <= 4.0 * f32::EPSILON * w.abs().max(1.0))
    };
    assert!(near(
        sin_plus_cos(&x),
        map_rust(&data, |v| v.sin() + v.cos())
    ));
    assert!(near(exp_of(&x), map_rust(&data, f32::exp)));
    assert!(near(tanh_of(&x), map_rust(&data, f32::tanh)));
    let mut g = c.benchmark_group("sin_plus_cos_f32_1e6");
    g.sample_size(20);
    g.bench_function("jit", |b| b.iter(|| sin_plus_cos(black_box(&x))));
    g.bench_function("rust", |b| {
        b.iter(|| map_rust(black_box(&data), |v| v.sin() + v.cos()))
    });
    g.finish();
    let mut g = c.benchmark_group("exp_f32_1e6");
    g.sample_size(20);
    g.bench_function("jit", |b| b.iter(|| exp_of(black_box(&x))));
    g.bench_function("rust", |b| b.iter(|| map_rust(black_box(&data), f32::exp)));
    g.finish();
    let mut g = c.benchmark_group("tanh_f32_1e6");
    g.sample_size(20);
    g.bench_function("jit", |b| b.iter(|| tanh_of(black_box(&x))));
    g.bench_function("rust", |b| b.iter(|| map_rust(black_box(&data), f32::tanh)));
    g.finish();
}

criterion_group!(
    benches,
    poly_f32_1e6,
    math_f32_1e6,
    compile_poly,
    sum_f32_1e6,
    cumsum_f32_1e4,
    softmax_f32_256x1024,
    dot_256x512x512
);
criterion_main!(benches);
