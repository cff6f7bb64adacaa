//! Counters, flags and weak initial values.

use jit::prelude::*;

use crate::common::agrees;

#[jit]
fn u32_countdown(start: u32, step: u32, m: i32) -> (u32, i32) {
    lax::while_loop(|(_, k)| k < m, |(u, k)| (u - step, k + 1), (start, 0))
}

fn u32_countdown_ref(start: u32, step: u32, m: i32) -> (u32, i32) {
    let (mut u, mut k) = (start, 0);
    while k < m {
        u = u.wrapping_sub(step);
        k += 1;
    }
    (u, k)
}

#[test]
fn a_u32_counter_underflows_and_wraps() {
    agrees!(
        u32_countdown,
        u32_countdown_ref,
        |start: u32, step: u32, m: i32| [
            (10, 3, 3),
            (10, 3, 4),
            (0, 1, 1),
            (5, 7, 0),
            (u32::MAX, u32::MAX, 9),
            (0, 0x8000_0001, 5),
        ]
    );
}

#[jit]
fn i64_counter(limit: i64, step: i64) -> (i64, i32) {
    // The weak `0` takes the body's i64: values past i32 stay exact.
    lax::while_loop(
        |(c, k)| (c < limit) & (k < 100),
        |(c, k)| (c + step, k + 1),
        (0, 0),
    )
}

fn i64_counter_ref(limit: i64, step: i64) -> (i64, i32) {
    let (mut c, mut k) = (0i64, 0i32);
    while c < limit && k < 100 {
        c = c.wrapping_add(step);
        k += 1;
    }
    (c, k)
}

#[test]
fn a_weak_zero_becomes_an_i64_counter() {
    agrees!(i64_counter, i64_counter_ref, |limit: i64, step: i64| [
        (10_000_000_000, 3_000_000_000),
        (0, 1),
        (5, 1),
        (-5, 1),
        (i64::MAX, i64::MAX / 3),
        (1 << 40, -1),
        (i64::MAX, 0),
    ]);
}

#[jit]
fn bool_flags(x: i32, limit: i32) -> (i32, bool, bool) {
    // Stops at the first k with k * k > x; `wrapped` records an i32
    // overflow of the square on the way.
    lax::while_loop(
        |(k, found, _)| !found & (k < limit),
        |(k, _, wrapped)| {
            let next = k + 1;
            let square = next * next;
            (next, square > x, wrapped | (square < 0))
        },
        (0, false, false),
    )
}

fn bool_flags_ref(x: i32, limit: i32) -> (i32, bool, bool) {
    let (mut k, mut found, mut wrapped) = (0i32, false, false);
    while !found && k < limit {
        let next = k.wrapping_add(1);
        let square = next.wrapping_mul(next);
        (k, found, wrapped) = (next, square > x, wrapped | (square < 0));
    }
    (k, found, wrapped)
}

#[test]
fn bool_flags_in_the_carry() {
    agrees!(bool_flags, bool_flags_ref, |x: i32, limit: i32| [
        (10, 100),
        (10, 2),
        (-1, 5),
        (0, 0),
        (i32::MAX, 50_000),
        (2_000_000_000, 46_341),
    ]);
}

#[jit]
fn weak_int_becomes_f32(n: i32) -> f32 {
    lax::fori_loop(0, n, |i, c| c + (i as f32) * 0.5, 0)
}

fn weak_int_becomes_f32_ref(n: i32) -> f32 {
    let mut c = 0.0f32;
    for i in 0..n {
        c += (i as f32) * 0.5;
    }
    c
}

#[jit]
fn weak_float_becomes_f64(x: f64, n: i32) -> f64 {
    lax::fori_loop(0, n, |_, c| c * 1.1 + x, 0.0)
}

fn weak_float_becomes_f64_ref(x: f64, n: i32) -> f64 {
    let mut c = 0.0f64;
    for _ in 0..n {
        c = c * 1.1 + x;
    }
    c
}

#[jit]
fn partly_weak_tuple(x: f32, big: i64, n: i32) -> (f32, i64, i32) {
    // Only the leaves the body makes strong promote; the count stays i32.
    lax::fori_loop(0, n, |_, (a, b, k)| (a + x, b + big, k + 1), (0, 0, 0))
}

fn partly_weak_tuple_ref(x: f32, big: i64, n: i32) -> (f32, i64, i32) {
    let (mut a, mut b, mut k) = (0.0f32, 0i64, 0i32);
    for _ in 0..n {
        (a, b, k) = (a + x, b.wrapping_add(big), k + 1);
    }
    (a, b, k)
}

#[test]
fn weak_initial_values_take_the_bodys_dtype() {
    agrees!(weak_int_becomes_f32, weak_int_becomes_f32_ref, |n: i32| [
        10, 0, -4, 1000, 100_000
    ]);
    // 0.1 summed in f64 differs from f32 in the last bits.
    agrees!(
        weak_float_becomes_f64,
        weak_float_becomes_f64_ref,
        |x: f64, n: i32| [(0.1, 10), (0.1, 0), (-1e300, 20), (f64::NAN, 1),]
    );
    agrees!(
        partly_weak_tuple,
        partly_weak_tuple_ref,
        |x: f32, big: i64, n: i32| [
            (0.1, 3_000_000_000, 5),
            (0.1, 3_000_000_000, 0),
            (-1.0, i64::MAX, 3),
        ]
    );
}
