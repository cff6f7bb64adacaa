//! Staged loops and branches, each beside the same loop written by hand in
//! Rust (inputs through `black_box`, so nothing is known at compile time).
//!
//! - `fori_loop/*`: `y = y + x` over 1e7 iterations, f32 (the bar: at most
//!   1.05x the Rust loop, which LLVM unrolls but cannot shorten: each add
//!   waits for the one before).
//! - `while_loop/*`: `sum_up_to(1e7)` in i32 (the bar: at most 1.05x), with
//!   two baselines. `sum_up_to/rust` is the same `while` written plainly;
//!   LLVM turns it into SSE code adding eight terms per trip, so it is not a
//!   loop of dependent adds any more.
//!   `sum_up_to_loop/rust` is the natural scalar loop: the same `while`, with
//!   the step `1` taken as an argument so that LLVM can neither vectorise nor
//!   sum it in closed form; it compiles to `add; add; cmp; jle` per
//!   iteration, the loop one writes by hand in assembly, and is the baseline
//!   of the bar.
//! - `cond_in_loop/*`, `switch_in_loop/*`: a branch inside a 1e6-trip loop.

use criterion::{Criterion, criterion_group, criterion_main};
use jit::prelude::*;
use std::hint::black_box;

const N: i32 = 10_000_000;

#[jit]
fn fori(x: f32, n: i32) -> f32 {
    lax::fori_loop(0, n, |_i, y| y + x, 0.0)
}

#[inline(never)]
fn fori_rust(x: f32, n: i32) -> f32 {
    let mut y = 0.0f32;
    for _ in 0..n {
        y += x;
    }
    y
}

#[jit]
fn sum_up_to(x: i32) -> i32 {
    lax::while_loop(|(_, n)| n <= x, |(s, n)| (s + n, n + 1), (0, 1)).0
}

#[inline(never)]
fn sum_up_to_rust(x: i32) -> i32 {
    let (mut s, mut n) = (0i32, 1i32);
    while n <= x {
        s = s.wrapping_add(n);
        n += 1;
    }
    s
}

#[inline(never)]
fn sum_up_to_loop_rust(x: i32, one: i32) -> i32 {
    // `one` is 1 at run time; taking it as an argument keeps the loop a loop.
    let (mut s, mut n) = (0i32, 1i32);
    while n <= x {
        s = s.wrapping_add(n);
        n = n.wrapping_add(one);
    }
    s
}

#[jit]
fn cond_in_loop(x: f32, n: i32) -> f32 {
    lax::fori_loop(
        0,
        n,
        |i, y| lax::cond(i % 2 == 0, || y + x, || y - 0.5),
        0.0,
    )
}

#[inline(never)]
fn cond_in_loop_rust(x: f32, n: i32) -> f32 {
    let mut y = 0.0f32;
    for i in 0..n {
        y = if i % 2 == 0 { y + x } else { y - 0.5 };
    }
    y
}

#[jit]
fn switch_in_loop(x: f32, n: i32) -> f32 {
    lax::fori_loop(
        0,
        n,
        |i, y| lax::switch(i % 3, (|| y + x, || y * 0.5, || y - x)),
        0.0,
    )
}

#[inline(never)]
fn switch_in_loop_rust(x: f32, n: i32) -> f32 {
    let mut y = 0.0f32;
    for i in 0..n {
        y = match i % 3 {
            0 => y + x,
            1 => y * 0.5,
            _ => y - x,
        };
    }
    y
}

fn loops(c: &mut Criterion) {
    assert_eq!(fori(1.0, 1000), fori_rust(1.0, 1000));
    assert_eq!(sum_up_to(N), sum_up_to_rust(N));
    assert_eq!(cond_in_loop(1.5, 1001), cond_in_loop_rust(1.5, 1001));
    assert_eq!(switch_in_loop(1.5, 1001), switch_in_loop_rust(1.5, 1001));

    let mut g = c.benchmark_group("fori_loop");
    g.bench_function("jit", |b| b.iter(|| fori(black_box(1.0), black_box(N))));
    g.bench_function("rust", |b| {
        b.iter(|| fori_rust(black_box(1.0), black_box(N)))
    });
    g.finish();

    let mut g = c.benchmark_group("while_loop");
    g.bench_function("sum_up_to/jit", |b| b.iter(|| sum_up_to(black_box(N))));
    g.bench_function("sum_up_to/rust", |b| {
        b.iter(|| sum_up_to_rust(black_box(N)))
    });
    g.bench_function("sum_up_to_loop/rust", |b| {
        b.iter(|| sum_up_to_loop_rust(black_box(N), black_box(1)))
    });
    g.finish();

    const M: i32 = 1_000_000;
    let mut g = c.benchmark_group("branch_in_loop");
    g.bench_function("cond/jit", |b| {
        b.iter(|| cond_in_loop(black_box(1.5), black_box(M)))
    });
    g.bench_function("cond/rust", |b| {
        b.iter(|| cond_in_loop_rust(black_box(1.5), black_box(M)))
    });
    g.bench_function("switch/jit", |b| {
        b.iter(|| switch_in_loop(black_box(1.5), black_box(M)))
    });
    g.bench_function("switch/rust", |b| {
        b.iter(|| switch_in_loop_rust(black_box(1.5), black_box(M)))
    });
    g.finish();
}

criterion_group!(benches, loops);
criterion_main!(benches);
