//! Integer wrapping, division by zero, NaN and infinities in carries.

use jit::prelude::*;

use crate::common::{
    F32_EDGES, agrees, div_i32, div_i64, div_u32, expect_same, max_f32, rem_i32, rem_i64, rem_u32,
    scalars,
};

#[jit]
fn wrapping_product(x: i32, n: i32) -> (i32, u32) {
    lax::fori_loop(
        1,
        n,
        |i, (p, q)| (p * (i + x), q * 3 - (i as u32)),
        (1, Tracer::from(1u32)),
    )
}

fn wrapping_product_ref(x: i32, n: i32) -> (i32, u32) {
    let (mut p, mut q) = (1i32, 1u32);
    for i in 1..n {
        p = p.wrapping_mul(i.wrapping_add(x));
        q = q.wrapping_mul(3).wrapping_sub(i as u32);
    }
    (p, q)
}

#[test]
fn i32_and_u32_carries_wrap() {
    agrees!(wrapping_product, wrapping_product_ref, |x: i32, n: i32| [
        (0, 5),
        (0, 40),
        (3, 1),
        (i32::MAX, 3),
        (-20, 50),
    ]);
}

#[jit]
fn div_sweep(x: i32, lo: i32, hi: i32) -> (i32, i32) {
    // The divisor crosses zero (and -1, for MIN / -1) inside the loop.
    lax::fori_loop(lo, hi, |i, (q, r)| (q + x / i, r ^ (x % i)), (0, 0))
}

fn div_sweep_ref(x: i32, lo: i32, hi: i32) -> (i32, i32) {
    let (mut q, mut r) = (0i32, 0i32);
    for i in lo..hi {
        q = q.wrapping_add(div_i32(x, i));
        r ^= rem_i32(x, i);
    }
    (q, r)
}

#[jit]
fn div_sweep_u32_i64(x: u32, y: i64, n: i32) -> (u32, u32, i64, i64) {
    lax::fori_loop(
        0,
        n,
        |i, (q, r, q64, r64)| {
            let d = (i % 3) as u32;
            let d64 = (i % 4 - 1) as i64;
            (q + x / d, r + x % d, q64 + y / d64, r64 + y % d64)
        },
        (Tracer::from(0u32), Tracer::from(0u32), 0, 0),
    )
}

fn div_sweep_u32_i64_ref(x: u32, y: i64, n: i32) -> (u32, u32, i64, i64) {
    let (mut q, mut r, mut q64, mut r64) = (0u32, 0u32, 0i64, 0i64);
    for i in 0..n {
        let d = (i % 3) as u32;
        let d64 = (i % 4 - 1) as i64;
        q = q.wrapping_add(div_u32(x, d));
        r = r.wrapping_add(rem_u32(x, d));
        q64 = q64.wrapping_add(div_i64(y, d64));
        r64 = r64.wrapping_add(rem_i64(y, d64));
    }
    (q, r, q64, r64)
}

#[test]
fn integer_division_by_zero_inside_loops_gives_xlas_values() {
    agrees!(div_sweep, div_sweep_ref, |x: i32, lo: i32, hi: i32| [
        (7, -3, 3),
        (-7, -2, 2),
        (i32::MIN, -3, 3),
        (0, -1, 1),
        (i32::MAX, 0, 1),
        (5, 1, 0),
    ]);
    agrees!(
        div_sweep_u32_i64,
        div_sweep_u32_i64_ref,
        |x: u32, y: i64, n: i32| [
            (7, 7, 12),
            (u32::MAX, i64::MIN, 9),
            (0, -1, 5),
            (100, i64::MAX, 0),
        ]
    );
}

#[jit]
fn float_specials(x: f32, n: i32) -> (f32, f32, i32) {
    lax::fori_loop(
        0,
        n,
        |i, (p, m, nans)| {
            let next = p * x - (i as f32);
            (
                next,
                jnp::maximum(m, next),
                nans + lax::select(next != next, 1, 0),
            )
        },
        (1.0, f32::NEG_INFINITY, 0),
    )
}

fn float_specials_ref(x: f32, n: i32) -> (f32, f32, i32) {
    let (mut p, mut m, mut nans) = (1.0f32, f32::NEG_INFINITY, 0i32);
    for i in 0..n {
        let next = p * x - i as f32;
        (p, m, nans) = (next, max_f32(m, next), nans + next.is_nan() as i32);
    }
    (p, m, nans)
}

#[jit]
fn nan_stops_the_loop(x: f64) -> (f64, i32) {
    lax::while_loop(
        |(c, k)| (c < 1000.0) & (k < 64),
        |(c, k)| (c * 2.0 + 1.0, k + 1),
        (x, 0),
    )
}

fn nan_stops_the_loop_ref(x: f64) -> (f64, i32) {
    let (mut c, mut k) = (x, 0i32);
    while c < 1000.0 && k < 64 {
        (c, k) = (c * 2.0 + 1.0, k + 1);
    }
    (c, k)
}

#[test]
fn nan_and_infinities_flow_through_carries() {
    let mut inputs = Vec::new();
    for x in F32_EDGES {
        for n in [0, 1, 2, 5, 40] {
            inputs.push((x, n));
        }
    }
    for &(x, n) in &inputs {
        expect_same(
            &format!("float_specials({x}, {n})"),
            "the cached call",
            &scalars(&float_specials(x, n)),
            &scalars(&float_specials_ref(x, n)),
        );
    }
    agrees!(float_specials, float_specials_ref, |x: f32, n: i32| [
        (2.0, 5),
        (f32::NAN, 3),
        (f32::INFINITY, 4),
        (-0.0, 3),
        (3.0e38, 6),
    ]);
    agrees!(nan_stops_the_loop, nan_stops_the_loop_ref, |x: f64| [
        1.0,
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        -0.0,
        999.5,
        -1e308,
    ]);
}
