//! Every scalar example of the lecture, with JAX's exact values
//! (`jax-reference.md`): the values, the jaxprs, when tracing happens, and
//! XLA's integer and cast semantics.

#![allow(
    clippy::assign_op_pattern,
    reason = "the lecture writes its loops as `y = y + x`"
)]

use jit::prelude::*;

#[jit]
fn f(x: f32) -> f32 {
    x.sin() + x.cos()
}

#[test]
fn sin_plus_cos_is_jaxs_value() {
    // Array(0.49315056, dtype=float32)
    assert_eq!(f(2.0), 0.49315056);
    assert_eq!(
        f::make_jaxpr(2.0).to_string(),
        "{ lambda ; a:f32[]. let\n    b:f32[] = sin a\n    c:f32[] = cos a\n    d:f32[] = add b c\n  in (d,) }"
    );
}

#[jit]
fn bad_f(x: f32) -> f32 {
    jit::trace_print!("I have side effects!");
    x.sin() + x.cos() + x
}

#[jit]
fn other_order(x: f32) -> f32 {
    x + x.sin() + x.cos()
}

#[test]
fn float_additions_follow_the_source_order() {
    assert_eq!(bad_f(2.0), 2.4931505);
    assert_eq!(bad_f(2.0), 2.4931505);
    assert_eq!(bad_f::cache_size(), 1, "the second call hits the cache");
    assert_eq!(other_order(2.0), 2.4931507);
    assert_eq!(
        bad_f::make_jaxpr(2.0).to_string(),
        "{ lambda ; a:f32[]. let\n    b:f32[] = sin a\n    c:f32[] = cos a\n    d:f32[] = add b c\n    e:f32[] = add d a\n  in (e,) }"
    );
}

#[jit(static = n)]
fn f_loop(x: f32, n: usize) -> f32 {
    let mut y = 0.0;
    for _ in 0..n {
        y = y + x;
    }
    y
}

#[test]
fn static_argument_unrolls_and_recompiles_per_value() {
    assert_eq!(f_loop(2.0, 10), 20.0);
    assert_eq!(f_loop(2.0, 11), 22.0);
    assert_eq!(f_loop(2.0, 15), 30.0);
    assert_eq!(f_loop(3.0, 15), 45.0);
    assert_eq!(f_loop::cache_size(), 3, "one specialisation per value of n");
    assert_eq!(
        f_loop::make_jaxpr(2.0, 3).to_string(),
        "{ lambda ; a:f32[]. let\n    b:f32[] = add 0.0:f32[] a\n    c:f32[] = add b a\n    d:f32[] = add c a\n  in (d,) }"
    );
    f_loop::clear_cache();
    assert_eq!(f_loop::cache_size(), 0);
    assert_eq!(f_loop(2.0, 10), 20.0);
}

#[test]
fn closures_are_jitted_with_their_own_cache() {
    let g = jit_fn!(|x: f64, k: i32| x * (k as f64) + 1.5);
    assert_eq!(g(2.0, 3), 7.5);
    assert_eq!(g(0.1, 3), 0.1 * 3.0 + 1.5);
    let h = jit_fn!(|x: f32| x.sin() + x.cos());
    assert_eq!(h(2.0), 0.49315056);
}

#[jit]
fn div_rem(a: i32, b: i32) -> (i32, i32) {
    (a / b, a % b)
}

#[jit]
fn div_rem_u32(a: u32, b: u32) -> (u32, u32) {
    (a / b, a % b)
}

#[test]
fn integer_division_gives_xlas_values() {
    let table = [
        (7, 2, 3, 1),
        (-7, 2, -3, -1),
        (7, -2, -3, 1),
        (7, 0, -1, 7),
        (-7, 0, -1, -7),
        (0, 0, -1, 0),
        (i32::MIN, -1, i32::MIN, 0),
    ];
    for (a, b, q, r) in table {
        assert_eq!(div_rem(a, b), (q, r), "{a} / {b}");
    }
    assert_eq!(div_rem_u32(7, 0), (u32::MAX, 7));
}

#[jit]
fn wrap_add(x: i32) -> i32 {
    x + 1
}

#[jit]
fn to_i32(x: f32) -> i32 {
    x as i32
}

#[jit]
fn to_u32(x: f32) -> u32 {
    x as u32
}

#[jit]
fn float_rem(x: f32, y: f32) -> f32 {
    x % y
}

#[test]
fn casts_saturate_and_integers_wrap() {
    assert_eq!(wrap_add(i32::MAX), i32::MIN);
    assert_eq!(to_i32(1e10), i32::MAX);
    assert_eq!(to_i32(f32::NEG_INFINITY), i32::MIN);
    assert_eq!(to_i32(f32::NAN), 0);
    assert_eq!(to_i32(2.7), 2);
    assert_eq!(to_i32(-2.7), -2);
    assert_eq!(to_u32(f32::NAN), 0);
    assert_eq!(to_u32(-3.0), 0);
    assert_eq!(to_u32(1e10), u32::MAX);
    assert_eq!(float_rem(-7.5, 2.0), -1.5);
}

#[jit]
fn reciprocal(x: f32) -> (f32, f32) {
    (1.0 / x, 0.0 / x)
}

#[test]
fn float_division_by_zero() {
    let (inf, nan) = reciprocal(0.0);
    assert_eq!(inf, f32::INFINITY);
    assert!(nan.is_nan());
}
