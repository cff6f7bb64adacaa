//! cond and switch results of other shapes.

use jit::prelude::*;

use crate::common::{F32_EDGES, agrees, div_i32, expect_same, rem_i32, scalars};

#[jit]
fn cond_captures(p: bool, a: i32, b: f64, c: u32, d: f32) -> (i32, f64, bool) {
    lax::cond(
        p,
        || (a * 2, b + (d as f64), c > 10),
        || (a - (c as i32), b * 0.5, d < 0.0),
    )
}

fn cond_captures_ref(p: bool, a: i32, b: f64, c: u32, d: f32) -> (i32, f64, bool) {
    if p {
        (a.wrapping_mul(2), b + d as f64, c > 10)
    } else {
        (a.wrapping_sub(c as i32), b * 0.5, d < 0.0)
    }
}

#[test]
fn cond_returns_a_tuple_of_three_dtypes_from_four_captures() {
    agrees!(
        cond_captures,
        cond_captures_ref,
        |p: bool, a: i32, b: f64, c: u32, d: f32| [
            (true, 3, 1.5, 11, -2.0),
            (false, 3, 1.5, 11, -2.0),
            (true, i32::MAX, f64::NAN, 10, f32::INFINITY),
            (false, i32::MIN, -0.0, u32::MAX, f32::NAN),
            (false, 0, 1e308, 0x8000_0000, -0.0),
        ]
    );
}

#[jit]
fn cond_array(x: i64, y: i64) -> (i64, i64, i64) {
    let [hi, lo, gap] = lax::cond(x > y, || [x, y, x - y], || [y, x, y - x]);
    (hi, lo, gap)
}

fn cond_array_ref(x: i64, y: i64) -> (i64, i64, i64) {
    if x > y {
        (x, y, x.wrapping_sub(y))
    } else {
        (y, x, y.wrapping_sub(x))
    }
}

/// An interval and its width, returned by branches.
#[derive(Pytree, Clone, Copy)]
struct Interval {
    lo: Tracer,
    hi: Tracer,
    empty: Tracer,
}

#[jit]
fn cond_struct(a: f32, b: f32) -> (f32, f32, bool) {
    let r = lax::cond(
        a <= b,
        || Interval {
            lo: a,
            hi: b,
            empty: a == b,
        },
        || Interval {
            lo: b,
            hi: a,
            empty: a != a,
        },
    );
    (r.lo, r.hi, r.empty)
}

fn cond_struct_ref(a: f32, b: f32) -> (f32, f32, bool) {
    if a <= b {
        (a, b, a == b)
    } else {
        (b, a, a.is_nan())
    }
}

#[test]
fn cond_returns_arrays_and_structs() {
    agrees!(cond_array, cond_array_ref, |x: i64, y: i64| [
        (3, 5),
        (5, 3),
        (4, 4),
        (i64::MAX, i64::MIN),
        (i64::MIN, i64::MAX),
    ]);
    let mut inputs = Vec::new();
    for a in F32_EDGES {
        for b in [0.0, -0.0, 1.5, f32::NAN, f32::NEG_INFINITY] {
            inputs.push((a, b));
        }
    }
    for (a, b) in inputs {
        let want = scalars(&cond_struct_ref(a, b));
        expect_same(
            &format!("cond_struct({a}, {b})"),
            "the cached call",
            &scalars(&cond_struct(a, b)),
            &want,
        );
    }
    agrees!(cond_struct, cond_struct_ref, |a: f32, b: f32| [
        (1.0, 2.0),
        (2.0, 1.0),
        (f32::NAN, 1.0),
        (-0.0, 0.0),
    ]);
}

#[jit]
fn switch_one_branch(i: i32, x: f32) -> (f32, i32) {
    lax::switch(i, (|| (x * 3.0 - 1.0, i + 1),))
}

fn switch_one_branch_ref(i: i32, x: f32) -> (f32, i32) {
    (x * 3.0 - 1.0, i.wrapping_add(1))
}

#[test]
fn switch_with_one_branch_always_takes_it() {
    agrees!(
        switch_one_branch,
        switch_one_branch_ref,
        |i: i32, x: f32| [
            (0, 1.0),
            (-1, 2.0),
            (1, f32::NAN),
            (i32::MAX, -0.0),
            (i32::MIN, f32::INFINITY),
        ]
    );
}

#[jit]
fn switch8_u32(i: u32, x: i32) -> (i32, bool) {
    lax::switch(
        i,
        (
            || (x, x > 0),
            || (x + 1, x < 0),
            || (x * 2, x == 0),
            || (x - 3, Tracer::from(true)),
            || (-x, x != 7),
            || (x / 3, Tracer::from(false)),
            || (x % 5, x >= 100),
            || (Tracer::from(7), x <= -100),
        ),
    )
}

/// JAX converts the index to `i32` (wrapping), then clamps.
fn switch8_u32_ref(i: u32, x: i32) -> (i32, bool) {
    match (i as i32).clamp(0, 7) {
        0 => (x, x > 0),
        1 => (x.wrapping_add(1), x < 0),
        2 => (x.wrapping_mul(2), x == 0),
        3 => (x.wrapping_sub(3), true),
        4 => (x.wrapping_neg(), x != 7),
        5 => (div_i32(x, 3), false),
        6 => (rem_i32(x, 5), x >= 100),
        _ => (7, x <= -100),
    }
}

#[jit]
fn switch5_i64(i: i64, x: f64) -> (f64, f64) {
    let picked = lax::switch(i, (|| x, || x * 2.0, || x - 1.0, || x.sqrt(), || -x));
    // A plain Rust index, out of range on the low side.
    let low = lax::switch(-3, (|| x + 0.5, || x));
    (picked, low)
}

fn switch5_i64_ref(i: i64, x: f64) -> (f64, f64) {
    let picked = match (i as i32).clamp(0, 4) {
        0 => x,
        1 => x * 2.0,
        2 => x - 1.0,
        3 => x.sqrt(),
        _ => -x,
    };
    (picked, x + 0.5)
}

#[test]
fn switch_wraps_u32_and_i64_indices_to_i32_then_clamps() {
    // JAX 0.10.2 (`tests/jax_values.py`): `u32::MAX` and `1 << 32` take the
    // first branch, 5e9 the last, -5e9, `i64::MIN` and `i64::MAX` the first.
    assert_eq!(switch8_u32(u32::MAX, 5), (5, true));
    assert_eq!(switch8_u32(0x8000_0000, 5), (5, true));
    assert_eq!(switch8_u32(100, 5), (7, false));
    for (i, want) in [
        (1i64 << 32, 2.0),
        (5_000_000_000, -2.0),
        (-5_000_000_000, 2.0),
        (i64::MIN, 2.0),
        (i64::MAX, 2.0),
    ] {
        assert_eq!(switch5_i64(i, 2.0).0, want, "switch5_i64({i})");
    }
}

#[test]
fn switch_clamps_u32_and_i64_indices_of_any_size() {
    let mut inputs = Vec::new();
    for i in [0, 1, 2, 3, 4, 5, 6, 7, 8, 100, 0x8000_0000, u32::MAX] {
        for x in [5, -5, 0, 7, 100, -100, i32::MIN, i32::MAX] {
            inputs.push((i, x));
        }
    }
    for &(i, x) in &inputs {
        assert_eq!(
            switch8_u32(i, x),
            switch8_u32_ref(i, x),
            "switch8_u32({i}, {x})"
        );
    }
    agrees!(switch8_u32, switch8_u32_ref, |i: u32, x: i32| [
        (3, 1),
        (0, -1),
        (5, i32::MIN),
        (8, 7),
        (4_000_000_000, -100),
    ]);
    agrees!(switch5_i64, switch5_i64_ref, |i: i64, x: f64| [
        (0, 2.0),
        (1, 2.0),
        (2, 2.0),
        (3, 2.0),
        (4, 2.0),
        (5, 2.0),
        (-1, 2.0),
        (-5_000_000_000, 9.0),
        (5_000_000_000, 9.0),
        (i64::MIN, f64::NAN),
        (i64::MAX, -0.0),
        (3, -1.0),
    ]);
}
