//! A dense layer `tanh(x @ W + b)` and its matrix product, beside the same
//! work written in Rust around the same `gemm` call.
//!
//! Throughput is in FLOP/s: criterion's elements are the `2·m·k·n`
//! multiply-adds of the product (the bias and `tanh` are not counted), so
//! its "elem/s" reads as FLOP/s.
//!
//! - `dense_f32_256x512x512/*`, `dense_f32_64x128x128/*`: `x` f32[m, k],
//!   `W` f32[k, n], `b` f32[n]: the `#[jit]` function (native code calling
//!   `gemm` through a runtime helper, then one pass adding the bias and
//!   applying `tanh`) against `gemm` called directly from Rust exactly as
//!   the runtime calls it (single-threaded, row-major, no `read_dst`), then
//!   one loop adding the bias and applying `f32::tanh` in place.
//! - `affine_f32_256x512x512/*`: `x @ W + b` without the activation: the
//!   pass after the product alone, against the Rust loop adding the bias.
//! - `matmul_f32_256x512x512/*`, `matmul_f32_64x128x128/*`: `x @ W` alone,
//!   the `#[jit]` function against the direct `gemm` call.
//!
//! `benches/reference.py` times the same layer under JAX (single core);
//! its output is `benches/reference.txt`.
//!
//! What to expect: the `#[jit]` product runs within a few percent of the
//! direct call (the same `gemm`, plus the call path and a fresh result
//! array), and the product is written into the result, the bias and
//! activation then applied in place (`lower/nest`), on vectors
//! (`lower/nest/vector.rs`: the bias row loaded beside the product, eight
//! `f32` lanes at a time with AVX2, else four). What remains is `tanh`:
//! the runtime's own algorithm (`math/expf.rs`, the same bits as the
//! interpreter), computed in `f32` on eight lanes at a time (four without
//! AVX2): piecewise polynomials whose coefficients each lane looks up
//! with one `vpermps`, 25 primitives per vector and no division (the ten
//! tables outnumber the free registers, and x86-64 reads the spilled ones
//! straight from their slots), against the C library's `tanhf`.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gemm::Parallelism;
use jit::prelude::*;
use std::hint::black_box;

#[jit]
fn dense(x: &Array, w: &Array, b: &Array) -> Array {
    (x.dot(w) + b).tanh()
}

#[jit]
fn affine(x: &Array, w: &Array, b: &Array) -> Array {
    x.dot(w) + b
}

#[jit]
fn matmul(x: &Array, w: &Array) -> Array {
    x.dot(w)
}

/// `x` (`m × k`) times `w` (`k × n`), row-major, by `gemm` as the runtime
/// calls it: single-threaded, the destination not read.
#[inline(never)]
fn matmul_rust(x: &[f32], w: &[f32], m: usize, k: usize, n: usize) -> Vec<f32> {
    assert_eq!((x.len(), w.len()), (m * k, k * n));
    let mut out = vec![0.0f32; m * n];
    // SAFETY: `x`, `w` and `out` hold exactly the three row-major matrices
    // (checked above); `out` is not read and aliases neither operand.
    unsafe {
        gemm::gemm(
            m,
            n,
            k,
            out.as_mut_ptr(),
            1,
            n as isize,
            false,
            x.as_ptr(),
            1,
            k as isize,
            w.as_ptr(),
            1,
            n as isize,
            0.0,
            1.0,
            false,
            false,
            false,
            Parallelism::None,
        );
    }
    out
}

/// `tanh(x @ w + b)`: the product, then one pass adding the bias to each
/// row and applying `f32::tanh` in place.
#[inline(never)]
fn dense_rust(x: &[f32], w: &[f32], b: &[f32], m: usize, k: usize, n: usize) -> Vec<f32> {
    let mut out = matmul_rust(x, w, m, k, n);
    for row in out.chunks_exact_mut(n) {
        for (o, &bias) in row.iter_mut().zip(b) {
            *o = (*o + bias).tanh();
        }
    }
    out
}

/// `x @ w + b`: the product, then one pass adding the bias in place.
#[inline(never)]
fn affine_rust(x: &[f32], w: &[f32], b: &[f32], m: usize, k: usize, n: usize) -> Vec<f32> {
    let mut out = matmul_rust(x, w, m, k, n);
    for row in out.chunks_exact_mut(n) {
        for (o, &bias) in row.iter_mut().zip(b) {
            *o += bias;
        }
    }
    out
}

/// Deterministic operands of a `m × k` by `k × n` product with a bias of
/// `n`, of moderate size so that `tanh` is not saturated everywhere.
fn operands(m: usize, k: usize, n: usize) -> (Vec<f32>, Vec<f32>, Vec<f32>) {
    let x = (0..m * k)
        .map(|i| ((i * 7919 % 1000) as f32 - 500.0) / 500.0)
        .collect();
    let w = (0..k * n)
        .map(|i| ((i * 104_729 % 997) as f32 - 498.0) / (498.0 * (k as f32).sqrt()))
        .collect();
    let b = (0..n).map(|j| (j % 11) as f32 * 0.05 - 0.25).collect();
    (x, w, b)
}

fn dense_group(c: &mut Criterion, m: usize, k: usize, n: usize) {
    let (x, w, b) = operands(m, k, n);
    let (xa, wa, ba) = (
        Array::from_shape_vec(&[m, k], x.clone()).unwrap(),
        Array::from_shape_vec(&[k, n], w.clone()).unwrap(),
        Array::from(b.clone()),
    );
    assert!(dense::lower(&xa, &wa, &ba).compile().is_native());
    let (got, want) = (
        dense(&xa, &wa, &ba).to_vec::<f32>().unwrap(),
        dense_rust(&x, &w, &b, m, k, n),
    );
    // The same product; `tanh` is the runtime's own, within a few ULP of
    // the C library's.
    let close = got
        .iter()
        .zip(&want)
        .all(|(g, w)| (g - w).abs() <= 4.0 * f32::EPSILON * w.abs().max(f32::MIN_POSITIVE));
    assert!(close, "dense differs from the Rust baseline");
    let mut g = c.benchmark_group(format!("dense_f32_{m}x{k}x{n}"));
    g.throughput(Throughput::Elements((2 * m * k * n) as u64));
    g.bench_function("jit", |bch| {
        bch.iter(|| dense(black_box(&xa), black_box(&wa), black_box(&ba)))
    });
    g.bench_function("rust", |bch| {
        bch.iter(|| dense_rust(black_box(&x), black_box(&w), black_box(&b), m, k, n))
    });
    g.finish();
}

fn affine_group(c: &mut Criterion, m: usize, k: usize, n: usize) {
    let (x, w, b) = operands(m, k, n);
    let (xa, wa, ba) = (
        Array::from_shape_vec(&[m, k], x.clone()).unwrap(),
        Array::from_shape_vec(&[k, n], w.clone()).unwrap(),
        Array::from(b.clone()),
    );
    assert!(affine::lower(&xa, &wa, &ba).compile().is_native());
    assert_eq!(
        affine(&xa, &wa, &ba).to_vec::<f32>().unwrap(),
        affine_rust(&x, &w, &b, m, k, n),
        "the same gemm, then the same additions"
    );
    let mut g = c.benchmark_group(format!("affine_f32_{m}x{k}x{n}"));
    g.throughput(Throughput::Elements((2 * m * k * n) as u64));
    g.bench_function("jit", |bch| {
        bch.iter(|| affine(black_box(&xa), black_box(&wa), black_box(&ba)))
    });
    g.bench_function("rust", |bch| {
        bch.iter(|| affine_rust(black_box(&x), black_box(&w), black_box(&b), m, k, n))
    });
    g.finish();
}

fn matmul_group(c: &mut Criterion, m: usize, k: usize, n: usize) {
    let (x, w, _) = operands(m, k, n);
    let (xa, wa) = (
        Array::from_shape_vec(&[m, k], x.clone()).unwrap(),
        Array::from_shape_vec(&[k, n], w.clone()).unwrap(),
    );
    assert!(matmul::lower(&xa, &wa).compile().is_native());
    assert_eq!(
        matmul(&xa, &wa).to_vec::<f32>().unwrap(),
        matmul_rust(&x, &w, m, k, n),
        "the runtime calls the same gemm"
    );
    let mut g = c.benchmark_group(format!("matmul_f32_{m}x{k}x{n}"));
    g.throughput(Throughput::Elements((2 * m * k * n) as u64));
    g.bench_function("jit", |bch| {
        bch.iter(|| matmul(black_box(&xa), black_box(&wa)))
    });
    g.bench_function("rust", |bch| {
        bch.iter(|| matmul_rust(black_box(&x), black_box(&w), m, k, n))
    });
    g.finish();
}

fn dense_f32_256x512x512(c: &mut Criterion) {
    dense_group(c, 256, 512, 512);
}

fn dense_f32_64x128x128(c: &mut Criterion) {
    dense_group(c, 64, 128, 128);
}

fn affine_f32_256x512x512(c: &mut Criterion) {
    affine_group(c, 256, 512, 512);
}

fn matmul_f32_256x512x512(c: &mut Criterion) {
    matmul_group(c, 256, 512, 512);
}

fn matmul_f32_64x128x128(c: &mut Criterion) {
    matmul_group(c, 64, 128, 128);
}

criterion_group!(
    benches,
    dense_f32_256x512x512,
    dense_f32_64x128x128,
    affine_f32_256x512x512,
    matmul_f32_256x512x512,
    matmul_f32_64x128x128
);
criterion_main!(benches);
