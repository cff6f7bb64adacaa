//! End-to-end cases of `#[jit]` and `jit_fn!`: the macros' output compiled
//! against the real runtime and run.

#![allow(
    clippy::assign_op_pattern,
    reason = "the lecture writes its loops as `y = y + x`"
)]

use jit::prelude::*;

#[jit]
fn f(x: f32) -> f32 {
    x.sin() + x.cos()
}

#[jit(static = n)]
fn f_loop(x: f32, n: usize) -> f32 {
    let mut y = 0.0;
    for _ in 0..n {
        y = y + x;
    }
    y
}

#[jit]
fn literal_range(x: f64) -> f64 {
    let mut acc = x;
    for i in 0..4 {
        acc = acc * 2.0 + i as f64;
    }
    acc
}

#[jit]
fn shadowing(x: f32) -> f32 {
    let k = 3;
    let y = x * 2.0;
    let x = k + 1; // plain from here on
    let mut z = y;
    for _ in 0..x {
        z = z + 1.0;
    }
    let x = z; // traced again
    x - 0.5
}

#[jit]
fn inner(a: f32, b: f32) -> f32 {
    a * b + 1.0
}

#[jit]
fn outer(x: f32) -> f32 {
    inner(x, x) - inner(x, 2.0)
}

#[jit(static = (scale, offset))]
fn two_statics(x: i32, scale: i32, offset: i64) -> (i32, bool) {
    let y = x * scale;
    if offset > 0 {
        return (y + 1, y > 10);
    }
    (y, x == 0)
}

#[jit]
fn mixed(x: f64, k: i32) -> f64 {
    let t: f64 = x * (k as f64);
    t + 1.5
}

#[test]
fn sin_plus_cos() {
    assert!((f(2.0) - 0.493_150_6).abs() < 1e-6);
    assert_eq!(f::cache_size(), 1);
}

#[test]
fn static_argument_recompiles() {
    assert_eq!(f_loop(2.0, 10), 20.0);
    assert_eq!(f_loop(2.0, 11), 22.0);
    assert_eq!(f_loop(3.0, 10), 30.0);
    assert_eq!(f_loop::cache_size(), 2);
    let jaxpr = f_loop::make_jaxpr(2.0, 2).to_string();
    assert!(jaxpr.starts_with("{ lambda ; a:f32[]."), "{jaxpr}");
    f_loop::clear_cache();
    assert_eq!(f_loop::cache_size(), 0);
}

#[test]
fn loops_over_literal_ranges_unroll() {
    let mut want = 1.5f64;
    for i in 0..4 {
        want = want * 2.0 + i as f64;
    }
    assert_eq!(literal_range(1.5), want);
}

#[test]
fn shadowing_switches_between_traced_and_plain() {
    assert_eq!(shadowing(1.0), 2.0 + 4.0 - 0.5);
}

#[test]
fn nested_calls_are_inlined() {
    assert_eq!(outer(3.0), (9.0 + 1.0) - (6.0 + 1.0));
    assert_eq!(inner(2.0, 5.0), 11.0);
}

#[test]
fn several_statics_and_tuple_returns() {
    assert_eq!(two_statics(4, 3, 1), (13, true));
    assert_eq!(two_statics(0, 3, 0), (0, true));
    assert_eq!(two_statics(2, 3, 0), (6, false));
    assert_eq!(two_statics::cache_size(), 2);
}

#[test]
fn casts_and_annotations() {
    assert_eq!(mixed(2.0, 3), 7.5);
}

#[test]
fn closures() {
    let g = jit_fn!(|x: f32| x.sin() + x.cos());
    assert!((g(2.0) - 0.493_150_6).abs() < 1e-6);
    let h = jit_fn!(|x: f64, k: i32| x * (k as f64) + 1.5);
    assert_eq!(h(2.0, 3), 7.5);
    let cmp = jit_fn!(|x: i32| -> (i32, bool) {
        let y = x * 2;
        (y, y >= 4)
    });
    assert_eq!(cmp(2), (4, true));
    assert_eq!(cmp(1), (2, false));
    let outer_from_closure = jit::jit_fn!(|x: f32| outer(x) + 1.0);
    assert_eq!(outer_from_closure(3.0), 4.0);
}
