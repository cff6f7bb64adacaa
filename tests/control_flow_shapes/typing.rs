//! JAX's typing of loop results and predicates.

use jit::prelude::*;

use crate::common::agrees;

#[jit]
fn loop_result_meets_u32(n: i32, u: u32) -> i64 {
    // The weak `0` meets the strong counter: the loop's result is a strong
    // i32 (JAX's `while` takes its output types from the body), and a strong
    // i32 with a u32 promotes to i64. A weak result would stay u32.
    let s = lax::fori_loop(-5, n, |i, acc| acc + i, 0);
    s + u
}

fn loop_result_meets_u32_ref(n: i32, u: u32) -> i64 {
    let mut s = 0i32;
    for i in -5..n {
        s = s.wrapping_add(i);
    }
    s as i64 + u as i64
}

#[jit]
fn while_result_meets_u32(x: i32, u: u32) -> i64 {
    let (s, _) = lax::while_loop(|(_, k)| k < 3, |(s, k)| (s * 2 + x, k + 1), (1, 0));
    s + u
}

fn while_result_meets_u32_ref(x: i32, u: u32) -> i64 {
    let mut s = 1i32;
    for _ in 0..3 {
        s = s.wrapping_mul(2).wrapping_add(x);
    }
    s as i64 + u as i64
}

#[test]
fn a_loop_result_is_strong_when_the_body_makes_it_strong() {
    agrees!(
        loop_result_meets_u32,
        loop_result_meets_u32_ref,
        |n: i32, u: u32| [(0, 1), (3, u32::MAX), (-10, 7), (1000, 0x8000_0000),]
    );
    agrees!(
        while_result_meets_u32,
        while_result_meets_u32_ref,
        |x: i32, u: u32| [(-100, 1), (5, u32::MAX), (i32::MIN, 0),]
    );
}

#[jit]
fn number_predicates(n: i32, x: f32, u: u32) -> (f32, f32, i32) {
    // JAX's `cond` takes a number as `pred != 0` (NaN is true).
    (
        lax::cond(n, || x, || -x),
        lax::cond(x, || 1.0, || 2.0),
        lax::cond(u, || n + 1, || n - 1),
    )
}

fn number_predicates_ref(n: i32, x: f32, u: u32) -> (f32, f32, i32) {
    (
        if n != 0 { x } else { -x },
        if x != 0.0 { 1.0 } else { 2.0 },
        if u != 0 {
            n.wrapping_add(1)
        } else {
            n.wrapping_sub(1)
        },
    )
}

#[test]
fn cond_takes_integer_and_float_predicates() {
    agrees!(
        number_predicates,
        number_predicates_ref,
        |n: i32, x: f32, u: u32| [
            (0, 1.0, 0),
            (3, 0.0, 1),
            (-1, f32::NAN, u32::MAX),
            (0, -0.0, 0x8000_0000),
            (i32::MIN, f32::NEG_INFINITY, 0),
        ]
    );
    let jaxpr = number_predicates::make_jaxpr(1, 2.0, 3).to_string();
    assert!(jaxpr.contains("= ne a 0:i32[]"), "{jaxpr}");
    assert!(jaxpr.contains("= ne b 0.0:f32[]"), "{jaxpr}");
    assert!(jaxpr.contains("= ne c 0:u32[]"), "{jaxpr}");
}
