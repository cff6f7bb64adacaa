//! Carries of other shapes.

use jit::prelude::*;

use crate::common::agrees;

/// A carry of four dtypes in one struct.
#[derive(Pytree, Clone, Copy)]
struct Mixed {
    x: Tracer,
    k: Tracer,
    odd: Tracer,
    total: Tracer,
}

#[jit]
fn mixed_struct(x: f32, n: i32) -> (f32, i32, bool, f64) {
    let init = Mixed {
        x,
        k: Tracer::from(0i32),
        odd: Tracer::from(false),
        total: Tracer::from(0.0f64),
    };
    let s = lax::while_loop(
        |s: Mixed| s.k < n,
        |s: Mixed| {
            let x = s.x;
            Mixed {
                x: x * 0.75 + 1.0,
                k: s.k + 1,
                odd: !s.odd,
                total: s.total + (x as f64) * 0.5,
            }
        },
        init,
    );
    (s.x, s.k, s.odd, s.total)
}

fn mixed_struct_ref(x0: f32, n: i32) -> (f32, i32, bool, f64) {
    let (mut x, mut k, mut odd, mut total) = (x0, 0i32, false, 0.0f64);
    while k < n {
        total += (x as f64) * 0.5;
        x = x * 0.75 + 1.0;
        k += 1;
        odd = !odd;
    }
    (x, k, odd, total)
}

#[test]
fn while_loop_carries_a_struct_of_four_dtypes() {
    agrees!(mixed_struct, mixed_struct_ref, |x: f32, n: i32| [
        (2.0, 5),
        (2.0, 0),
        (-7.5, -3),
        (0.1, 40),
        (f32::NAN, 3),
        (f32::INFINITY, 2),
        (f32::NEG_INFINITY, 7),
        (3.0e38, 4),
    ]);
}

/// A struct nesting a tuple, an array and a `Vec`.
#[derive(Pytree)]
struct Nest {
    head: (Tracer, [Tracer; 2]),
    tail: Vec<Tracer>,
}

#[jit]
fn nested_struct(a: i64, b: f64, n: i32) -> (i64, f64, f64, i64, i64, i64) {
    let init = Nest {
        head: (a, [b, -b]),
        tail: vec![a, a * 3, a - 5],
    };
    let s = lax::fori_loop(
        0,
        n,
        |i, s: Nest| {
            let (h, [p, q]) = s.head;
            let t = s.tail;
            Nest {
                head: (h ^ t[2], [q * 0.5, p + (i as f64)]),
                tail: vec![t[1], t[2], t[0] * 3 + h],
            }
        },
        init,
    );
    let (h, [p, q]) = s.head;
    (h, p, q, s.tail[0], s.tail[1], s.tail[2])
}

fn nested_struct_ref(a: i64, b: f64, n: i32) -> (i64, f64, f64, i64, i64, i64) {
    let (mut h, mut p, mut q) = (a, b, -b);
    let mut t = [a, a.wrapping_mul(3), a.wrapping_sub(5)];
    for i in 0..n {
        let nh = h ^ t[2];
        let (np, nq) = (q * 0.5, p + i as f64);
        t = [t[1], t[2], t[0].wrapping_mul(3).wrapping_add(h)];
        (h, p, q) = (nh, np, nq);
    }
    (h, p, q, t[0], t[1], t[2])
}

#[test]
fn a_struct_of_a_tuple_an_array_and_a_vec_is_a_carry() {
    agrees!(
        nested_struct,
        nested_struct_ref,
        |a: i64, b: f64, n: i32| [
            (1, 0.5, 10),
            (1, 0.5, 0),
            (-9, -2.0, 1),
            (i64::MAX, f64::INFINITY, 50),
            (i64::MIN, f64::NAN, 3),
            (123_456_789_012, -0.0, 64),
        ]
    );
}

#[jit]
fn nested_tuple_carry(a: i64, b: i64, c: f64, n: i32) -> (i64, i64, f64, f64, f64) {
    let ((a, b), [c0, c1, c2]) = lax::fori_loop(
        0,
        n,
        |i, ((a, b), [c0, c1, c2])| ((b, a + b), [c1, c2, c0 * 0.5 + (i as f64)]),
        ((a, b), [c, c, c]),
    );
    (a, b, c0, c1, c2)
}

fn nested_tuple_carry_ref(a: i64, b: i64, c: f64, n: i32) -> (i64, i64, f64, f64, f64) {
    let ((mut a, mut b), mut cs) = ((a, b), [c, c, c]);
    for i in 0..n {
        (a, b) = (b, a.wrapping_add(b));
        cs = [cs[1], cs[2], cs[0] * 0.5 + i as f64];
    }
    (a, b, cs[0], cs[1], cs[2])
}

#[test]
fn nested_tuple_and_array_carry_fibonacci_wraps_in_i64() {
    // Fibonacci passes i64::MAX after 92 steps: the sum wraps.
    agrees!(
        nested_tuple_carry,
        nested_tuple_carry_ref,
        |a: i64, b: i64, c: f64, n: i32| [
            (0, 1, 1.0, 10),
            (0, 1, 1.0, 100),
            (0, 1, -3.5, 0),
            (i64::MAX, 1, f64::NAN, 2),
            (-1, i64::MIN, f64::NEG_INFINITY, 7),
        ]
    );
}

#[jit]
fn lcg_lanes(seed: u32, n: i32) -> (u32, u32, u32, u32) {
    let [a, b, c, d] = lax::fori_loop(
        0,
        n,
        |i, [a, b, c, d]: [Tracer; 4]| [b, c, d, (a * 1664525 + 1013904223) ^ (d + (i as u32))],
        [seed, seed + 1, seed * 3, seed ^ 12345],
    );
    (a, b, c, d)
}

fn lcg_lanes_ref(seed: u32, n: i32) -> (u32, u32, u32, u32) {
    let mut s = [
        seed,
        seed.wrapping_add(1),
        seed.wrapping_mul(3),
        seed ^ 12345,
    ];
    for i in 0..n {
        let next =
            s[0].wrapping_mul(1664525).wrapping_add(1013904223) ^ s[3].wrapping_add(i as u32);
        s = [s[1], s[2], s[3], next];
    }
    (s[0], s[1], s[2], s[3])
}

#[test]
fn an_array_of_four_u32_lanes_rotates_and_wraps() {
    agrees!(lcg_lanes, lcg_lanes_ref, |seed: u32, n: i32| [
        (1, 3),
        (0, 0),
        (u32::MAX, 17),
        (0x8000_0000, 1000),
        (42, -1),
    ]);
}

/// Five `(i32, f32)` pairs built outside the body.
fn five_pairs(x: Tracer) -> Vec<(Tracer, Tracer)> {
    (0..5).map(|k| (Tracer::from(k), x + k as f32)).collect()
}

/// One step of the pairs: pair `k` scales its count by `k + 1`. (A plain
/// helper's literals have Rust's types: `0.5f32` keeps the carry `f32`.)
fn step_pairs(i: Tracer, y: Tracer, v: Vec<(Tracer, Tracer)>) -> Vec<(Tracer, Tracer)> {
    v.into_iter()
        .enumerate()
        .map(|(k, (c, s))| (c * (k as i32 + 1) + i, s * 0.5f32 - y * k as f32))
        .collect()
}

#[jit]
fn vec_of_pairs(x: f32, y: f32, n: i32) -> (i32, f32, i32, f32, i32, f32) {
    let v = lax::fori_loop(0, n, |i, v| step_pairs(i, y, v), five_pairs(x));
    (v[0].0, v[0].1, v[3].0, v[3].1, v[4].0, v[4].1)
}

fn vec_of_pairs_ref(x: f32, y: f32, n: i32) -> (i32, f32, i32, f32, i32, f32) {
    let mut v: Vec<(i32, f32)> = (0..5).map(|k| (k, x + k as f32)).collect();
    for i in 0..n {
        for (k, (c, s)) in v.iter_mut().enumerate() {
            *c = c.wrapping_mul(k as i32 + 1).wrapping_add(i);
            *s = *s * 0.5 - y * k as f32;
        }
    }
    (v[0].0, v[0].1, v[3].0, v[3].1, v[4].0, v[4].1)
}

#[test]
fn a_vec_of_five_tuple_carries() {
    agrees!(vec_of_pairs, vec_of_pairs_ref, |x: f32, y: f32, n: i32| [
        (1.0, 0.25, 3),
        (1.0, 0.25, 0),
        (-2.5, 3.0, 40),
        (f32::NAN, 1.0, 2),
        (f32::INFINITY, f32::INFINITY, 5),
    ]);
}

#[jit]
fn permutations(a: i32, b: i32, c: f64, d: f64, n: i32) -> (i32, i32, f64, f64, i32) {
    // A 4-cycle across both register classes, a swap, and a leaf the
    // body passes through: the loop's parallel moves.
    lax::fori_loop(
        0,
        n,
        |_, (a, b, c, d, e)| (b, e, d, c, a),
        (a, b, c, d, Tracer::from(-1i32)),
    )
}

fn permutations_ref(a: i32, b: i32, c: f64, d: f64, n: i32) -> (i32, i32, f64, f64, i32) {
    let mut s = (a, b, c, d, -1);
    for _ in 0..n {
        s = (s.1, s.4, s.3, s.2, s.0);
    }
    s
}

#[test]
fn carries_that_only_permute() {
    agrees!(
        permutations,
        permutations_ref,
        |a: i32, b: i32, c: f64, d: f64, n: i32| [
            (1, 2, 3.0, 4.0, 0),
            (1, 2, 3.0, 4.0, 1),
            (1, 2, 3.0, 4.0, 2),
            (1, 2, 3.0, 4.0, 3),
            (1, 2, 3.0, 4.0, 4),
            (7, -7, f64::NAN, -0.0, 1001),
        ]
    );
}

#[jit]
fn twelve_lanes(x: i32, n: i32) -> (i32, i32, i32, i32) {
    // More carried values than registers: a loop that spills.
    let init = [
        x,
        x + 1,
        x + 2,
        x + 3,
        x + 4,
        x + 5,
        x + 6,
        x + 7,
        x + 8,
        x + 9,
        x + 10,
        x + 11,
    ];
    let s = lax::fori_loop(
        0,
        n,
        |i, s: [Tracer; 12]| {
            [
                s[1] + s[11],
                s[2] * 3,
                s[3] - s[0],
                s[4] ^ s[5],
                s[5] + i,
                s[6] * s[7],
                s[7] - 1,
                s[8] + s[9] * 2,
                s[9] ^ i,
                s[10] + s[0],
                s[11] * 5,
                s[0] - s[6],
            ]
        },
        init,
    );
    (s[0], s[3], s[7], s[11])
}

fn twelve_lanes_ref(x: i32, n: i32) -> (i32, i32, i32, i32) {
    let mut s: [i32; 12] = std::array::from_fn(|k| x.wrapping_add(k as i32));
    for i in 0..n {
        s = [
            s[1].wrapping_add(s[11]),
            s[2].wrapping_mul(3),
            s[3].wrapping_sub(s[0]),
            s[4] ^ s[5],
            s[5].wrapping_add(i),
            s[6].wrapping_mul(s[7]),
            s[7].wrapping_sub(1),
            s[8].wrapping_add(s[9].wrapping_mul(2)),
            s[9] ^ i,
            s[10].wrapping_add(s[0]),
            s[11].wrapping_mul(5),
            s[0].wrapping_sub(s[6]),
        ];
    }
    (s[0], s[3], s[7], s[11])
}

#[test]
fn a_carry_of_twelve_lanes() {
    agrees!(twelve_lanes, twelve_lanes_ref, |x: i32, n: i32| [
        (0, 5),
        (0, 0),
        (-3, 1),
        (i32::MAX, 30),
        (i32::MIN, 200),
    ]);
}

#[jit]
fn degenerate_carries(x: f32, n: i32) -> (f32, f32) {
    // A one-tuple, a one-element array, an empty `Vec` and `()`.
    let (a,) = lax::fori_loop(0, n, |_, (a,)| (a * 2.0,), (x,));
    let [b] = lax::fori_loop(0, n, |i, [b]: [Tracer; 1]| [b - (i as f32)], [x]);
    let empty: Vec<Tracer> = lax::fori_loop(0, n, |_, v: Vec<Tracer>| v, Vec::<Tracer>::new());
    lax::fori_loop(0, n, |_, ()| (), ());
    let _ = empty;
    (a, b)
}

fn degenerate_carries_ref(x: f32, n: i32) -> (f32, f32) {
    let (mut a, mut b) = (x, x);
    for i in 0..n {
        a *= 2.0;
        b -= i as f32;
    }
    (a, b)
}

#[test]
fn one_leaf_and_empty_carries() {
    agrees!(
        degenerate_carries,
        degenerate_carries_ref,
        |x: f32, n: i32| [(1.0, 3), (1.0, 0), (-0.0, 1), (3.0, 200), (f32::NAN, 2),]
    );
}
