//! fori_loop bounds.

use jit::prelude::*;

use crate::common::agrees;

#[jit]
fn traced_bounds(lo: i32, hi: i32) -> (i32, i32) {
    lax::fori_loop(lo, hi, |i, (acc, _)| (acc * 31 + i, i), (7, -1))
}

fn traced_bounds_ref(lo: i32, hi: i32) -> (i32, i32) {
    let (mut acc, mut last) = (7i32, -1i32);
    for i in lo..hi {
        (acc, last) = (acc.wrapping_mul(31).wrapping_add(i), i);
    }
    (acc, last)
}

#[test]
fn fori_loop_with_traced_lower_and_upper_bounds() {
    agrees!(traced_bounds, traced_bounds_ref, |lo: i32, hi: i32| [
        (0, 10),
        (10, 0),
        (5, 5),
        (-5, 5),
        (i32::MAX - 3, i32::MAX),
        (i32::MIN, i32::MIN + 4),
        (i32::MAX, i32::MIN),
        (-1, 0),
    ]);
}

#[jit]
fn i64_bounds(lo: i64, hi: i64) -> (i64, i64, i32) {
    lax::fori_loop(
        lo,
        hi,
        |i, (sum, _, trips)| (sum + i, i, trips + 1),
        (0, -1, 0),
    )
}

fn i64_bounds_ref(lo: i64, hi: i64) -> (i64, i64, i32) {
    let (mut sum, mut last, mut trips) = (0i64, -1i64, 0i32);
    for i in lo..hi {
        (sum, last, trips) = (sum.wrapping_add(i), i, trips + 1);
    }
    (sum, last, trips)
}

#[test]
fn fori_loop_with_i64_bounds_counts_in_i64() {
    agrees!(i64_bounds, i64_bounds_ref, |lo: i64, hi: i64| [
        (0, 10),
        (4_294_967_290, 4_294_967_300),
        (i32::MAX as i64 - 2, i32::MAX as i64 + 3),
        (i64::MAX - 3, i64::MAX),
        (i64::MIN, i64::MIN + 2),
        (10, -10),
        (i64::MAX, i64::MIN),
    ]);
}

#[jit]
fn mixed_dtype_bounds(lo: u32, hi: i32) -> (i32, i64) {
    // u32 and i32 bounds count in i64 (JAX's lattice): a lower bound past
    // i32::MAX is above every i32 upper bound.
    lax::fori_loop(lo, hi, |i, (n, s)| (n + 1, s + i), (0, 0))
}

fn mixed_dtype_bounds_ref(lo: u32, hi: i32) -> (i32, i64) {
    let (mut n, mut s) = (0i32, 0i64);
    for i in lo as i64..hi as i64 {
        (n, s) = (n + 1, s + i);
    }
    (n, s)
}

#[test]
fn fori_loop_with_u32_and_i32_bounds_counts_in_i64() {
    agrees!(
        mixed_dtype_bounds,
        mixed_dtype_bounds_ref,
        |lo: u32, hi: i32| [
            (2, 7),
            (4_000_000_000, 5),
            (u32::MAX, i32::MAX),
            (0, -1),
            (0, 0),
            (2_147_483_640, i32::MAX),
        ]
    );
}

#[jit]
fn plain_bounds(x: i64) -> (i64, i64, i64, f32) {
    let up = lax::fori_loop(3, 11, |i, s| s * 2 + i, x);
    let down = lax::fori_loop(10, 2, |i, s| s * 2 + i, x);
    // Bounds straddling i32::MAX: the upper one is a weak i64, so the
    // counter is i64.
    let wide = lax::fori_loop(2_147_483_640i64, 2_147_483_650i64, |i, s| s + i, x);
    let floats = lax::fori_loop(-2, 3, |i, s| s * 0.5 + (i as f32), 1.0);
    (up, down, wide, floats)
}

fn plain_bounds_ref(x: i64) -> (i64, i64, i64, f32) {
    let mut up = x;
    for i in 3..11 {
        up = up.wrapping_mul(2).wrapping_add(i);
    }
    let mut wide = x;
    for i in 2_147_483_640i64..2_147_483_650 {
        wide = wide.wrapping_add(i);
    }
    let mut floats = 1.0f32;
    for i in -2..3 {
        floats = floats * 0.5 + i as f32;
    }
    (up, x, wide, floats)
}

#[test]
fn fori_loop_with_plain_rust_bounds() {
    agrees!(plain_bounds, plain_bounds_ref, |x: i64| [
        0,
        -1,
        i64::MAX,
        i64::MIN
    ]);
}

#[jit]
fn plain_lower_traced_upper(n: i64, k: i32) -> (i64, i32) {
    let a = lax::fori_loop(-3, n, |i, s| s + i * i, 0);
    let b = lax::fori_loop(k, 10, |i, s| s - i, 100);
    (a, b)
}

fn plain_lower_traced_upper_ref(n: i64, k: i32) -> (i64, i32) {
    let mut a = 0i64;
    for i in -3..n {
        a = a.wrapping_add(i.wrapping_mul(i));
    }
    let mut b = 100i32;
    for i in k..10 {
        b = b.wrapping_sub(i);
    }
    (a, b)
}

#[test]
fn fori_loop_with_one_plain_and_one_traced_bound() {
    agrees!(
        plain_lower_traced_upper,
        plain_lower_traced_upper_ref,
        |n: i64, k: i32| [
            (5, 0),
            (-10, 10),
            (-3, 11),
            (1000, -5000),
            (i64::MIN, -100_000),
        ]
    );
}
