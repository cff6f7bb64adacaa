//! Casts and methods on carries; a carry whose shape is a static argument.

use jit::Element;
use jit::internals::interp;
use jit::prelude::*;

use crate::common::{agrees, expect_same, scalars};

#[jit]
fn casts_in_loop(x: f32, n: i32) -> (f32, i32, u32, i64, f32, i32) {
    // Float to integer saturates (NaN gives 0), integer narrowing wraps,
    // i64 to f32 rounds.
    lax::fori_loop(
        0,
        n,
        |i, (c, _, cu, cl, _, w)| {
            let c2 = c * x;
            (
                c2,
                c2 as i32,
                c2 as u32,
                c2 as i64,
                ((i as i64) * 3_000_000_000 + cl) as f32,
                w - 1_000_000_000 + (cu as i32),
            )
        },
        (
            Tracer::from(1.0f32),
            Tracer::from(0i32),
            Tracer::from(0u32),
            Tracer::from(0i64),
            Tracer::from(0.0f32),
            Tracer::from(0i32),
        ),
    )
}

fn casts_in_loop_ref(x: f32, n: i32) -> (f32, i32, u32, i64, f32, i32) {
    let (mut c, mut ci, mut cu, mut cl, mut big, mut w) = (1.0f32, 0i32, 0u32, 0i64, 0.0f32, 0i32);
    for i in 0..n {
        let c2 = c * x;
        let next_big = ((i as i64).wrapping_mul(3_000_000_000).wrapping_add(cl)) as f32;
        let next_w = w.wrapping_sub(1_000_000_000).wrapping_add(cu as i32);
        (c, ci, cu, cl, big, w) = (c2, c2 as i32, c2 as u32, c2 as i64, next_big, next_w);
    }
    (c, ci, cu, cl, big, w)
}

#[jit]
fn float_rem_loop(x: f32, y: f32, n: i32) -> (f32, f32) {
    lax::fori_loop(
        0,
        n,
        |i, (a, b)| (a % y + (i as f32), (b * x) % (a - 2.0)),
        (x, y),
    )
}

fn float_rem_loop_ref(x: f32, y: f32, n: i32) -> (f32, f32) {
    let (mut a, mut b) = (x, y);
    for i in 0..n {
        (a, b) = (a % y + i as f32, (b * x) % (a - 2.0));
    }
    (a, b)
}

#[jit]
fn int_methods(x: i32, y: i32, n: i32) -> (i32, i32, i32) {
    lax::fori_loop(
        0,
        n,
        |i, (a, b, c)| (a.abs() - i, b.min(a).max(y), (c + a).clamp(-1000, y)),
        (x, y, 0),
    )
}

fn int_methods_ref(x: i32, y: i32, n: i32) -> (i32, i32, i32) {
    let (mut a, mut b, mut c) = (x, y, 0i32);
    for i in 0..n {
        let next_a = a.wrapping_abs().wrapping_sub(i);
        let next_b = b.min(a).max(y);
        // `clamp` is max then min (a lower bound above the upper gives the upper).
        let next_c = c.wrapping_add(a).max(-1000).min(y);
        (a, b, c) = (next_a, next_b, next_c);
    }
    (a, b, c)
}

#[test]
fn casts_remainders_and_methods_on_carries() {
    agrees!(casts_in_loop, casts_in_loop_ref, |x: f32, n: i32| [
        (10.0, 12),
        (-10.0, 12),
        (f32::NAN, 3),
        (1.5, 0),
        (-0.5, 5),
        (3.0, 40),
    ]);
    agrees!(
        float_rem_loop,
        float_rem_loop_ref,
        |x: f32, y: f32, n: i32| [
            (7.5, 2.0, 5),
            (-7.5, 0.0, 3),
            (f32::INFINITY, 3.0, 3),
            (1.0, f32::INFINITY, 4),
            (0.3, -0.7, 20),
        ]
    );
    agrees!(int_methods, int_methods_ref, |x: i32, y: i32, n: i32| [
        (i32::MIN, 5, 3),
        (7, -3, 10),
        (-5, 2000, 30),
        (0, 0, 0),
    ]);
}

/// `k` lanes built outside the body.
fn multiples(x: Tracer, k: usize) -> Vec<Tracer> {
    (0..k).map(|j| x * (j as i32 + 1)).collect()
}

/// Lane `j` takes lane `j + 1` (cyclically) plus `i * j`.
fn rotate_add(i: Tracer, v: Vec<Tracer>) -> Vec<Tracer> {
    let k = v.len();
    (0..k).map(|j| v[(j + 1) % k] + i * (j as i32)).collect()
}

#[jit(static = k)]
fn k_lanes(x: i32, n: i32, k: usize) -> (i32, i32) {
    let v = lax::fori_loop(0, n, |i, v: Vec<Tracer>| rotate_add(i, v), multiples(x, k));
    (v[0], v[k - 1])
}

fn k_lanes_ref(x: i32, n: i32, k: usize) -> (i32, i32) {
    let mut v: Vec<i32> = (0..k).map(|j| x.wrapping_mul(j as i32 + 1)).collect();
    for i in 0..n {
        v = (0..k)
            .map(|j| v[(j + 1) % k].wrapping_add(i.wrapping_mul(j as i32)))
            .collect();
    }
    (v[0], v[k - 1])
}

#[test]
fn a_static_argument_sets_the_carrys_shape() {
    for k in [1usize, 2, 3, 7, 20] {
        for (x, n) in [(1, 5), (-3, 0), (i32::MAX, 13)] {
            assert_eq!(
                k_lanes(x, n, k),
                k_lanes_ref(x, n, k),
                "k_lanes({x}, {n}, {k})"
            );
        }
        let graph = k_lanes::make_jaxpr(1, 5, k).graph().clone();
        let compiled = k_lanes::lower(1, 5, k).compile();
        for (x, n) in [(2, 9), (-1, 1)] {
            let args = [x.to_scalar(), n.to_scalar()];
            let want = scalars(&k_lanes_ref(x, n, k));
            let program = format!("k_lanes({x}, {n}, {k})");
            expect_same(
                &program,
                "f::lower(..).compile()",
                &compiled.run_scalars(&args),
                &want,
            );
            expect_same(
                &program,
                "the interpreter",
                &interp::run(&graph, &args),
                &want,
            );
        }
    }
    assert_eq!(k_lanes::cache_size(), 5, "one compile per carry shape");
}
