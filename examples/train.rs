//! A two-layer perceptron fitted to a synthetic regression problem with a
//! jitted SGD step: `step` calls `loss::grad` inside its own `#[jit]` body,
//! so the forward pass, the backward pass and the update compile to one
//! native function, once. Prints the loss every few steps and the time per
//! step.
//!
//! Run with `cargo run --release --example train`.

use jit::numpy as jnp;
use jit::prelude::*;
use std::time::Instant;

#[derive(Pytree, Clone)]
struct Mlp<T = Array> {
    w1: T,
    b1: T,
    w2: T,
    b2: T,
}

#[jit]
fn predict(p: &Mlp, x: &Array) -> Array {
    let h = (x.dot(p.w1) + p.b1).tanh();
    h.dot(p.w2) + p.b2
}

#[jit]
fn loss(p: &Mlp, x: &Array, y: &Array) -> f32 {
    let e = predict(p, x) - y;
    jnp::mean(e * e, ..)
}

#[jit]
fn step(p: Mlp, x: &Array, y: &Array, lr: f32) -> Mlp {
    let g = loss::grad(&p, x, y);
    Mlp {
        w1: p.w1 - lr * g.w1,
        b1: p.b1 - lr * g.b1,
        w2: p.w2 - lr * g.w2,
        b2: p.b2 - lr * g.b2,
    }
}

/// A deterministic pseudo-random matrix with entries in [-scale, scale].
fn matrix(rows: usize, cols: usize, seed: u32, scale: f32) -> Array {
    let mut state = seed.wrapping_mul(2_654_435_761).max(1);
    let data = (0..rows * cols)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            (state as f32 / u32::MAX as f32 * 2.0 - 1.0) * scale
        })
        .collect();
    Array::from_shape_vec(&[rows, cols], data).unwrap()
}

fn main() {
    let (n, features, hidden) = (256, 8, 32);
    let x = matrix(n, features, 1, 1.0);
    // The target: a smooth function of the inputs the network can learn.
    let xs: Vec<f32> = x.to_vec().unwrap();
    let y: Vec<f32> = xs
        .chunks(features)
        .map(|row| (row[0] * 2.0).sin() + row[1] * row[2] - 0.5 * row[3])
        .collect();
    let y = Array::from_shape_vec(&[n, 1], y).unwrap();
    let mut p = Mlp {
        w1: matrix(features, hidden, 2, 0.5),
        b1: Array::from(vec![0.0f32; hidden]),
        w2: matrix(hidden, 1, 3, 0.5),
        b2: Array::from(vec![0.0f32; 1]),
    };
    let start = Instant::now();
    p = step(p, &x, &y, 0.1);
    println!(
        "first step (trace and compile included): {:?}",
        start.elapsed()
    );
    let steps = 2000;
    let start = Instant::now();
    for k in 1..=steps {
        p = step(p, &x, &y, 0.1);
        if k % 400 == 0 {
            println!("step {k:5}: loss {:.5}", loss(&p, &x, &y));
        }
    }
    let per_step = start.elapsed() / steps;
    println!(
        "{per_step:?} per step ({} compiled step)",
        step::cache_size()
    );
}
