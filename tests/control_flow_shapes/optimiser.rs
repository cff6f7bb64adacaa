//! What the optimiser does to loops: dead carry leaves, invariant code,
//! captures through several regions, branches that pass values through,
//! loops over literals only.

use jit::prelude::*;

use crate::common::{agrees, div_i32, rem_i32};

#[jit]
fn dead_carry_leaves(n: i32, x: i32) -> (i32, i32, i32) {
    // A leaf nobody reads, a leaf read only by the condition, and leaves
    // read only by other leaves.
    let (_, b, _) = lax::while_loop(
        |(k, _, _)| k < n,
        |(k, s, dead)| (k + 1, s * 2 + x, dead * 7 + k),
        (0, 1, 5),
    );
    let (a, _) = lax::fori_loop(0, n, |_, (a, b)| (a + b, b + 1), (0, x));
    let (_, c) = lax::fori_loop(0, n, |_, (a, b)| (a + 1, b + a), (x, 0));
    (b, a, c)
}

fn dead_carry_leaves_ref(n: i32, x: i32) -> (i32, i32, i32) {
    let (mut k, mut s) = (0i32, 1i32);
    while k < n {
        k += 1;
        s = s.wrapping_mul(2).wrapping_add(x);
    }
    let (mut a, mut b) = (0i32, x);
    for _ in 0..n {
        a = a.wrapping_add(b);
        b = b.wrapping_add(1);
    }
    let (mut a2, mut c) = (x, 0i32);
    for _ in 0..n {
        c = c.wrapping_add(a2);
        a2 = a2.wrapping_add(1);
    }
    (s, a, c)
}

#[jit]
fn invariant_code(x: f32, y: f32, n: i32) -> (f32, f32, f32) {
    // Invariant values in a body, in a condition, inside a branch inside a
    // body, and computed from a leaf the body passes through.
    let (a, _, _) = lax::while_loop(
        |(a, k, p)| (a < x * y + 100.0) & (k < n) & (p * 2.0 > -1e30),
        |(a, k, p)| {
            let inv = x * y - 1.0;
            let pp = p * 3.0;
            let b = lax::cond(k % 2 == 0, || a + inv + pp, || a - (x / y));
            (b, k + 1, p)
        },
        (Tracer::from(0.0f32), 0, y),
    );
    let s = lax::fori_loop(0, n, |i, s| s + (x + y) * (i as f32), 0.0);
    let t = lax::fori_loop(0, n, |_, t| t * 0.5 + (x * 2.0), 1.0);
    (a, s, t)
}

fn invariant_code_ref(x: f32, y: f32, n: i32) -> (f32, f32, f32) {
    let (mut a, mut k, p) = (0.0f32, 0i32, y);
    while a < x * y + 100.0 && k < n && p * 2.0 > -1e30 {
        let inv = x * y - 1.0;
        let pp = p * 3.0;
        a = if k % 2 == 0 { a + inv + pp } else { a - x / y };
        k += 1;
    }
    let mut s = 0.0f32;
    for i in 0..n {
        s += (x + y) * i as f32;
    }
    let mut t = 1.0f32;
    for _ in 0..n {
        t = t * 0.5 + x * 2.0;
    }
    (a, s, t)
}

#[jit]
fn invariant_division(x: i32, y: i32, n: i32) -> i32 {
    // Invariant divisions by a divisor that may be zero, one of them in a
    // branch that only runs when it is.
    lax::fori_loop(
        0,
        n,
        |i, s| s + x / y + (x % y) * i + lax::cond(y == 0, || x / y, || y / (x + 1)),
        0,
    )
}

fn invariant_division_ref(x: i32, y: i32, n: i32) -> i32 {
    let mut s = 0i32;
    for i in 0..n {
        let c = if y == 0 {
            div_i32(x, y)
        } else {
            div_i32(y, x.wrapping_add(1))
        };
        s = s
            .wrapping_add(div_i32(x, y))
            .wrapping_add(rem_i32(x, y).wrapping_mul(i))
            .wrapping_add(c);
    }
    s
}

#[jit]
fn capture_chain(x: f32, n: i32) -> (f32, i32) {
    // Values defined at each level of while / while / fori_loop / cond
    // captured by the levels inside it.
    lax::while_loop(
        |(_, k)| k < n,
        |(acc, k)| {
            let t = acc * 0.5 + x;
            let inner = lax::while_loop(
                |(v, j)| (j < k) & (v < t + 10.0),
                |(v, j)| {
                    let w = lax::fori_loop(0, j, |i, w| w + t - (i as f32) + (k as f32), v);
                    (lax::cond(w > x, || w - t, || w + 1.0), j + 1)
                },
                (acc, 0),
            );
            (inner.0, k + 1)
        },
        (x, 0),
    )
}

fn capture_chain_ref(x: f32, n: i32) -> (f32, i32) {
    let (mut acc, mut k) = (x, 0i32);
    while k < n {
        let t = acc * 0.5 + x;
        let (mut v, mut j) = (acc, 0i32);
        while j < k && v < t + 10.0 {
            let mut w = v;
            for i in 0..j {
                w = w + t - i as f32 + k as f32;
            }
            v = if w > x { w - t } else { w + 1.0 };
            j += 1;
        }
        acc = v;
        k += 1;
    }
    (acc, k)
}

#[jit]
fn triangle(n: i32) -> (i32, i64) {
    // Inner bounds from the outer counter and the outer bound.
    lax::fori_loop(
        0,
        n,
        |i, (s, t)| {
            let inner = lax::fori_loop(i, n, |j, u| u + j * i, s);
            let w = lax::fori_loop(0, i, |j, v| v + (j as i64), t);
            (inner, w)
        },
        (0, Tracer::from(0i64)),
    )
}

fn triangle_ref(n: i32) -> (i32, i64) {
    let (mut s, mut t) = (0i32, 0i64);
    for i in 0..n {
        let mut u = s;
        for j in i..n {
            u = u.wrapping_add(j.wrapping_mul(i));
        }
        let mut v = t;
        for j in 0..i {
            v += j as i64;
        }
        (s, t) = (u, v);
    }
    (s, t)
}

#[jit]
fn one_value_in_many_places(x: f32, n: i32) -> (f32, f32, f32) {
    // The same tracer as three initial leaves and as a capture.
    lax::fori_loop(0, n, |_, (a, b, c)| (a + x, b * x, c - a), (x, x, x))
}

fn one_value_in_many_places_ref(x: f32, n: i32) -> (f32, f32, f32) {
    let (mut a, mut b, mut c) = (x, x, x);
    for _ in 0..n {
        (a, b, c) = (a + x, b * x, c - a);
    }
    (a, b, c)
}

#[jit]
fn passthrough_branches(p: bool, x: f32, y: f32, z: f32) -> (f32, f32, f64, i64) {
    // Both branches return x; literal-only branches; weak results
    // converted to the declared dtypes.
    let (a, b) = lax::cond(p, || (x, y), || (x, z));
    let c = lax::cond(p, || 1.5, || x as f64);
    let d = lax::cond(p, || 1, || 2);
    (a, b, c, d)
}

fn passthrough_branches_ref(p: bool, x: f32, y: f32, z: f32) -> (f32, f32, f64, i64) {
    if p {
        (x, y, 1.5, 1)
    } else {
        (x, z, x as f64, 2)
    }
}

#[jit]
fn disjoint_captures(i: i32, a: f32, b: i64, c: u32, d: bool) -> f32 {
    // Each branch captures values of its own dtype the others do not use.
    lax::switch(
        i,
        (
            || a,
            || b as f32,
            || (c as f32) * 0.5,
            || lax::select(d, 1.0, 2.0),
            || a * (b as f32),
        ),
    )
}

fn disjoint_captures_ref(i: i32, a: f32, b: i64, c: u32, d: bool) -> f32 {
    match i.clamp(0, 4) {
        0 => a,
        1 => b as f32,
        2 => (c as f32) * 0.5,
        3 => {
            if d {
                1.0
            } else {
                2.0
            }
        }
        _ => a * b as f32,
    }
}

#[jit]
fn literal_loops(x: i32) -> (i32, i32, i32, i32) {
    // Loops over literals only (two of them identical), one dividing by a
    // counter that passes zero.
    let a = lax::fori_loop(0, 5, |i, s| s * 3 + i, 1);
    let b = lax::fori_loop(-2, 3, |i, s| s + 7 / i + 7 % i, 0);
    let c = lax::while_loop(|c| c < 100, |c| c * 2 + 1, 1);
    let d = lax::fori_loop(0, 5, |i, s| s * 3 + i, 1);
    (a + x, b, c, d - x)
}

fn literal_loops_ref(x: i32) -> (i32, i32, i32, i32) {
    let mut a = 1i32;
    for i in 0..5 {
        a = a * 3 + i;
    }
    let mut b = 0i32;
    for i in -2..3 {
        b = b + div_i32(7, i) + rem_i32(7, i);
    }
    let mut c = 1i32;
    while c < 100 {
        c = c * 2 + 1;
    }
    (a.wrapping_add(x), b, c, a.wrapping_sub(x))
}

#[test]
fn optimised_loops_and_branches_keep_their_values() {
    agrees!(
        dead_carry_leaves,
        dead_carry_leaves_ref,
        |n: i32, x: i32| [(0, 1), (5, 3), (40, -7), (-1, 9),]
    );
    agrees!(
        invariant_code,
        invariant_code_ref,
        |x: f32, y: f32, n: i32| [
            (1.0, 2.0, 10),
            (0.5, 0.0, 7),
            (f32::NAN, 1.0, 3),
            (3.0, -2.0, 0),
            (2.0, f32::INFINITY, 5),
        ]
    );
    agrees!(
        invariant_division,
        invariant_division_ref,
        |x: i32, y: i32, n: i32| [
            (7, 0, 3),
            (7, 2, 3),
            (i32::MIN, -1, 4),
            (-1, 5, 0),
            (i32::MAX, 0, 2),
        ]
    );
    agrees!(capture_chain, capture_chain_ref, |x: f32, n: i32| [
        (1.0, 5),
        (0.0, 0),
        (-3.0, 8),
        (f32::NAN, 3),
        (100.0, 6),
    ]);
    agrees!(triangle, triangle_ref, |n: i32| [0, 1, 5, 30, -2]);
    agrees!(
        one_value_in_many_places,
        one_value_in_many_places_ref,
        |x: f32, n: i32| [(1.5, 3), (2.0, 0), (f32::NAN, 2),]
    );
    agrees!(
        passthrough_branches,
        passthrough_branches_ref,
        |p: bool, x: f32, y: f32, z: f32| [
            (true, 1.0, 2.0, 3.0),
            (false, 1.0, 2.0, 3.0),
            (false, f32::NAN, -0.0, f32::INFINITY),
        ]
    );
    agrees!(
        disjoint_captures,
        disjoint_captures_ref,
        |i: i32, a: f32, b: i64, c: u32, d: bool| [
            (0, 1.5, 3, 5, true),
            (1, 1.5, i64::MAX, 5, true),
            (2, 1.5, 3, u32::MAX, true),
            (3, 1.5, 3, 5, false),
            (4, 1.5, -3, 5, true),
            (9, f32::NAN, 3, 5, true),
            (-9, 2.0, 3, 5, true),
        ]
    );
    agrees!(literal_loops, literal_loops_ref, |x: i32| [0, 5, i32::MAX]);
}
