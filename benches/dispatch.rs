//! Dispatch and compile latency, each beside a hand-written Rust baseline.
//!
//! - `dispatch/*`: a cache hit of a scalar `#[jit]` function against the same
//!   function written in plain Rust (the bar: at most 10x).
//! - `first_call/*`: trace + compile + run of `sin(x) + cos(x)` after
//!   clearing the cache, against one plain call (the bar: at most 50 us).
//! - `recompile/*`: a new static value, compiled.

#![allow(
    clippy::assign_op_pattern,
    reason = "the lecture writes its loops as `y = y + x`"
)]

use criterion::{Criterion, criterion_group, criterion_main};
use jit::prelude::*;
use std::hint::black_box;

#[jit]
fn sin_cos(x: f32) -> f32 {
    x.sin() + x.cos()
}

#[inline(never)]
fn sin_cos_rust(x: f32) -> f32 {
    x.sin() + x.cos()
}

#[jit]
fn axpy(a: f32, x: f32, y: f32) -> f32 {
    a * x + y
}

#[inline(never)]
fn axpy_rust(a: f32, x: f32, y: f32) -> f32 {
    a * x + y
}

#[jit(static = n)]
fn f_loop(x: f32, n: usize) -> f32 {
    let mut y = 0.0;
    for _ in 0..n {
        y = y + x;
    }
    y
}

fn dispatch(c: &mut Criterion) {
    let mut g = c.benchmark_group("dispatch");
    sin_cos(1.0);
    axpy(1.0, 2.0, 3.0);
    g.bench_function("sin_cos/jit", |b| b.iter(|| sin_cos(black_box(2.0))));
    g.bench_function("sin_cos/rust", |b| b.iter(|| sin_cos_rust(black_box(2.0))));
    g.bench_function("axpy/jit", |b| {
        b.iter(|| axpy(black_box(2.0), black_box(3.0), black_box(1.0)))
    });
    g.bench_function("axpy/rust", |b| {
        b.iter(|| axpy_rust(black_box(2.0), black_box(3.0), black_box(1.0)))
    });
    g.finish();
}

fn first_call(c: &mut Criterion) {
    let mut g = c.benchmark_group("first_call");
    g.bench_function("sin_cos/jit", |b| {
        b.iter(|| {
            sin_cos::clear_cache();
            sin_cos(black_box(2.0))
        })
    });
    g.bench_function("sin_cos/rust", |b| b.iter(|| sin_cos_rust(black_box(2.0))));
    g.finish();

    let mut g = c.benchmark_group("recompile");
    let mut n = 0usize;
    g.bench_function("f_loop_new_static/jit", |b| {
        b.iter(|| {
            n = n % 64 + 1;
            f_loop::clear_cache();
            f_loop(black_box(2.0), n)
        })
    });
    g.bench_function("f_loop_new_static/rust", |b| {
        b.iter(|| {
            let mut y = 0.0f32;
            for _ in 0..black_box(32) {
                y += black_box(2.0f32);
            }
            y
        })
    });
    g.finish();
}

criterion_group!(benches, dispatch, first_call);
criterion_main!(benches);
