//! A training step and the cost of a gradient, beside hand-written Rust.
//!
//! - `train_step/*`: one SGD step of a two-layer perceptron (256 samples,
//!   8 features, 32 hidden units, 1 output, `tanh`): the `#[jit]` step,
//!   whose body calls `loss::grad` and compiles to one native function,
//!   against the same forward and backward pass written by hand in Rust
//!   (plain loops, no crate).
//! - `gradient_cost/*`: `loss` against `loss::grad` (forward and backward)
//!   on the same inputs: reverse mode's promise is a small constant
//!   multiple of the forward pass.

use criterion::{Criterion, criterion_group, criterion_main};
use jit::numpy as jnp;
use jit::prelude::*;
use std::hint::black_box;

/// Samples, features, hidden units.
const N: usize = 256;
const F: usize = 8;
const H: usize = 32;

#[derive(Pytree, Clone)]
struct Mlp<T = Array> {
    w1: T,
    b1: T,
    w2: T,
    b2: T,
}

#[jit]
fn loss(p: &Mlp, x: &Array, y: &Array) -> f32 {
    let h = (x.dot(p.w1) + p.b1).tanh();
    let e = h.dot(p.w2) + p.b2 - y;
    jnp::mean(e * e, ..)
}

#[jit]
fn step(p: Mlp, x: &Array, y: &Array) -> Mlp {
    let g = loss::grad(&p, x, y);
    Mlp {
        w1: p.w1 - 0.1 * g.w1,
        b1: p.b1 - 0.1 * g.b1,
        w2: p.w2 - 0.1 * g.w2,
        b2: p.b2 - 0.1 * g.b2,
    }
}

/// The same network as plain vectors (row-major).
#[derive(Clone)]
struct RustMlp {
    w1: Vec<f32>,
    b1: Vec<f32>,
    w2: Vec<f32>,
    b2: f32,
}

/// One SGD step by hand: forward, backward, update.
#[inline(never)]
fn step_rust(p: &RustMlp, x: &[f32], y: &[f32]) -> RustMlp {
    let mut h = vec![0.0f32; N * H];
    for i in 0..N {
        for j in 0..H {
            let mut s = p.b1[j];
            for k in 0..F {
                s += x[i * F + k] * p.w1[k * H + j];
            }
            h[i * H + j] = s.tanh();
        }
    }
    // d loss / d out = 2 e / N.
    let mut de = vec![0.0f32; N];
    for i in 0..N {
        let mut out = p.b2;
        for j in 0..H {
            out += h[i * H + j] * p.w2[j];
        }
        de[i] = 2.0 * (out - y[i]) / N as f32;
    }
    let (mut gw1, mut gb1, mut gw2, mut gb2) = (
        vec![0.0f32; F * H],
        vec![0.0f32; H],
        vec![0.0f32; H],
        0.0f32,
    );
    for i in 0..N {
        gb2 += de[i];
        for j in 0..H {
            let hij = h[i * H + j];
            gw2[j] += hij * de[i];
            let dpre = de[i] * p.w2[j] * (1.0 - hij * hij);
            gb1[j] += dpre;
            for k in 0..F {
                gw1[k * H + j] += x[i * F + k] * dpre;
            }
        }
    }
    let update = |w: &[f32], g: &[f32]| w.iter().zip(g).map(|(w, g)| w - 0.1 * g).collect();
    RustMlp {
        w1: update(&p.w1, &gw1),
        b1: update(&p.b1, &gb1),
        w2: update(&p.w2, &gw2),
        b2: p.b2 - 0.1 * gb2,
    }
}

fn data(n: usize, seed: f32) -> Vec<f32> {
    (0..n)
        .map(|k| ((k as f32 + seed) * 0.37).sin() * 0.5)
        .collect()
}

fn inputs() -> (Mlp, RustMlp, Array, Array, Vec<f32>, Vec<f32>) {
    let (w1, w2, x, y) = (
        data(F * H, 1.0),
        data(H, 2.0),
        data(N * F, 3.0),
        data(N, 4.0),
    );
    let rust = RustMlp {
        w1: w1.clone(),
        b1: vec![0.0; H],
        w2: w2.clone(),
        b2: 0.0,
    };
    let p = Mlp {
        w1: Array::from_shape_vec(&[F, H], w1).unwrap(),
        b1: Array::from(vec![0.0f32; H]),
        w2: Array::from_shape_vec(&[H, 1], w2).unwrap(),
        b2: Array::from(vec![0.0f32; 1]),
    };
    let (xa, ya) = (
        Array::from_shape_vec(&[N, F], x.clone()).unwrap(),
        Array::from_shape_vec(&[N, 1], y.clone()).unwrap(),
    );
    (p, rust, xa, ya, x, y)
}

fn train_step(c: &mut Criterion) {
    let (p, rust, xa, ya, x, y) = inputs();
    // Both steps agree (to rounding: sums run in different orders).
    let (a, b) = (step(p.clone(), &xa, &ya), step_rust(&rust, &x, &y));
    let w1: Vec<f32> = a.w1.to_vec().unwrap();
    assert!(w1.iter().zip(&b.w1).all(|(u, v)| (u - v).abs() < 1e-5));
    let mut g = c.benchmark_group("train_step");
    g.bench_function("jit", |bch| {
        bch.iter(|| step(black_box(p.clone()), black_box(&xa), black_box(&ya)))
    });
    g.bench_function("rust", |bch| {
        bch.iter(|| step_rust(black_box(&rust), black_box(&x), black_box(&y)))
    });
    g.finish();
}

fn gradient_cost(c: &mut Criterion) {
    let (p, _, xa, ya, _, _) = inputs();
    let mut g = c.benchmark_group("gradient_cost");
    g.bench_function("forward", |bch| {
        bch.iter(|| loss(black_box(&p), black_box(&xa), black_box(&ya)))
    });
    g.bench_function("grad", |bch| {
        bch.iter(|| loss::grad(black_box(&p), black_box(&xa), black_box(&ya)))
    });
    g.finish();
}

criterion_group!(benches, train_step, gradient_cost);
criterion_main!(benches);
