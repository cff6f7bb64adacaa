//! Staged control flow on shapes and dtypes of carries that
//! `tests/control_flow.rs` does not use: `#[derive(Pytree)]` structs of mixed
//! dtypes, nested tuples and arrays, `Vec`s of tuples, `u32` and `i64`
//! counters, `bool` flags, weak initial values that promote, traced, `i64`,
//! mixed-dtype and plain bounds, `cond`/`switch` returning tuples, arrays and
//! structs, one and eight branches, out-of-range indices of every integer
//! dtype, nesting, inlined `#[jit]` calls, `select` with weak literals, and
//! integer wrapping, division by zero, NaN and infinities flowing through
//! carries.
//!
//! Every program is checked against a hand-written plain-Rust reference (the
//! semantics written out: `wrapping_*`, XLA's `x / 0 == -1` and `x % 0 == x`,
//! NaN-propagating `max`), on several inputs including edge values, through
//! four paths that must all give the reference's bits (any NaN equals any
//! NaN): the cached `#[jit]` call, `f::lower(..).compile()` run on scalars,
//! the reference interpreter on the traced graph, and the interpreter on the
//! optimised graph (what `JIT_DISABLE=1` runs). New traced values never
//! recompile: `f::cache_size() == 1` after all the calls.

use jit::Element;
use jit::interp;
use jit::prelude::*;
use jit::scalar::Scalar;

/// A result flattened to scalars, for comparing bits.
trait Flat {
    fn flat(&self, out: &mut Vec<Scalar>);
}

macro_rules! flat_scalar {
    ($($t:ty),*) => {$(
        impl Flat for $t {
            fn flat(&self, out: &mut Vec<Scalar>) {
                out.push(self.to_scalar());
            }
        }
    )*};
}
flat_scalar!(f32, f64, i32, i64, u32, bool);

macro_rules! flat_tuple {
    ($($T:ident $i:tt),+) => {
        impl<$($T: Flat),+> Flat for ($($T,)+) {
            fn flat(&self, out: &mut Vec<Scalar>) {
                $(self.$i.flat(out);)+
            }
        }
    };
}
flat_tuple!(A 0, B 1);
flat_tuple!(A 0, B 1, C 2);
flat_tuple!(A 0, B 1, C 2, D 3);
flat_tuple!(A 0, B 1, C 2, D 3, E 4);
flat_tuple!(A 0, B 1, C 2, D 3, E 4, F 5);
flat_tuple!(A 0, B 1, C 2, D 3, E 4, F 5, G 6);
flat_tuple!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);

fn scalars(value: &impl Flat) -> Vec<Scalar> {
    let mut out = Vec::new();
    value.flat(&mut out);
    out
}

fn expect_same(program: &str, path: &str, got: &[Scalar], want: &[Scalar]) {
    let same = got.len() == want.len() && got.iter().zip(want).all(|(g, w)| g.same_bits(*w));
    assert!(
        same,
        "{program} through {path}:\n got  {got:?}\n want {want:?}"
    );
}

/// Checks program `$f` against `$reference` on every input: the cached call,
/// `$f::lower(..).compile()`, and the interpreter on the traced and on the
/// optimised graph all give the reference's bits, and one compile serves
/// every input.
macro_rules! agrees {
    ($f:ident, $reference:expr, |$a:ident: $t:ty| [$($input:expr),+ $(,)?]) => {
        agrees!($f, $reference, |$a: $t,| [$(($input,)),+])
    };
    ($f:ident, $reference:expr, |$($a:ident: $t:ty),+ $(,)?| [$($input:expr),+ $(,)?]) => {{
        let inputs: Vec<($($t,)+)> = vec![$($input),+];
        let reference = $reference;
        let ($($a,)+) = inputs[0];
        let graph = $f::make_jaxpr($($a),+).graph().clone();
        let mut optimised = graph.clone();
        jit::opt::optimize(&mut optimised);
        let compiled = $f::lower($($a),+).compile();
        if !jit::config::disabled() {
            assert!(
                compiled.is_native(),
                "{}: {:?}",
                stringify!($f),
                compiled.fallback_reason()
            );
        }
        for &($($a,)+) in &inputs {
            let program = format!("{}{:?}", stringify!($f), ($($a,)+));
            let want = scalars(&reference($($a),+));
            let args = vec![$($a.to_scalar()),+];
            expect_same(&program, "the cached call", &scalars(&$f($($a),+)), &want);
            expect_same(&program, "f::lower(..).compile()", &compiled.run_scalars(&args), &want);
            expect_same(&program, "the interpreter (traced graph)", &interp::run(&graph, &args), &want);
            expect_same(&program, "the interpreter (optimised graph)", &interp::run(&optimised, &args), &want);
        }
        assert_eq!($f::cache_size(), 1, "{}: a new traced value recompiled", stringify!($f));
    }};
}

// XLA's integer division and remainder (`jax-reference.md`): `x / 0 == -1`
// (all ones for `u32`), `x % 0 == x`, `MIN / -1 == MIN`, `MIN % -1 == 0`.

fn div_i32(a: i32, b: i32) -> i32 {
    if b == 0 { -1 } else { a.wrapping_div(b) }
}

fn rem_i32(a: i32, b: i32) -> i32 {
    if b == 0 { a } else { a.wrapping_rem(b) }
}

fn div_u32(a: u32, b: u32) -> u32 {
    a.checked_div(b).unwrap_or(u32::MAX)
}

fn rem_u32(a: u32, b: u32) -> u32 {
    a.checked_rem(b).unwrap_or(a)
}

fn div_i64(a: i64, b: i64) -> i64 {
    if b == 0 { -1 } else { a.wrapping_div(b) }
}

fn rem_i64(a: i64, b: i64) -> i64 {
    if b == 0 { a } else { a.wrapping_rem(b) }
}

/// `jnp.maximum` on floats: NaN if either operand is NaN, -0 below +0.
fn max_f32(a: f32, b: f32) -> f32 {
    if a.is_nan() || b.is_nan() {
        f32::NAN
    } else if a > b || (a == b && b.is_sign_negative()) {
        a
    } else {
        b
    }
}

const F32_EDGES: [f32; 8] = [
    0.0,
    -0.0,
    1.5,
    -2.25,
    f32::NAN,
    f32::INFINITY,
    f32::NEG_INFINITY,
    3.0e38,
];

// ---------------------------------------------------------------------------
// Carries of other shapes.

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

// ---------------------------------------------------------------------------
// Counters, flags and weak initial values.

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

// ---------------------------------------------------------------------------
// fori_loop bounds.

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

// ---------------------------------------------------------------------------
// cond and switch results of other shapes.

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

// ---------------------------------------------------------------------------
// Nesting.

#[jit]
fn pred_from_loop(x: i32, n: i32) -> (i32, i32) {
    lax::fori_loop(
        0,
        n,
        |i, (a, b)| lax::cond((a + i) % 3 == 0, || (a + 1, b * 2), || (a * 2 + 1, b - i)),
        (x, 1),
    )
}

fn pred_from_loop_ref(x: i32, n: i32) -> (i32, i32) {
    let (mut a, mut b) = (x, 1i32);
    for i in 0..n {
        (a, b) = if rem_i32(a.wrapping_add(i), 3) == 0 {
            (a.wrapping_add(1), b.wrapping_mul(2))
        } else {
            (a.wrapping_mul(2).wrapping_add(1), b.wrapping_sub(i))
        };
    }
    (a, b)
}

#[test]
fn cond_on_a_predicate_computed_in_the_loop() {
    agrees!(pred_from_loop, pred_from_loop_ref, |x: i32, n: i32| [
        (0, 10),
        (5, 0),
        (-7, 33),
        (i32::MAX, 64),
        (i32::MIN, 5),
    ]);
}

#[jit]
fn deep_nest(x: f32, n: i32, m: i32) -> (f32, i32) {
    // cond inside fori_loop inside while_loop; the inner loop's weak
    // carry comes from the outer one.
    lax::while_loop(
        |(_, k)| k < m,
        |(acc, k)| {
            let inner = lax::fori_loop(
                0,
                n,
                |i, s| lax::cond((i + k) % 2 == 0, || s + x, || s * 0.5),
                acc,
            );
            (inner, k + 1)
        },
        (0.0, 0),
    )
}

fn deep_nest_ref(x: f32, n: i32, m: i32) -> (f32, i32) {
    let (mut acc, mut k) = (0.0f32, 0i32);
    while k < m {
        let mut s = acc;
        for i in 0..n {
            s = if (i + k) % 2 == 0 { s + x } else { s * 0.5 };
        }
        (acc, k) = (s, k + 1);
    }
    (acc, k)
}

#[test]
fn cond_inside_fori_loop_inside_while_loop() {
    agrees!(deep_nest, deep_nest_ref, |x: f32, n: i32, m: i32| [
        (1.5, 3, 4),
        (1.5, 0, 4),
        (1.5, 3, 0),
        (-2.0, 7, 9),
        (f32::NAN, 2, 2),
        (f32::INFINITY, 5, 3),
    ]);
}

#[jit]
fn switch_in_cond(p: bool, i: i32, a: i64, b: i64) -> i64 {
    lax::cond(
        p,
        || lax::switch(i, (|| a, || a + b, || a * b)),
        || lax::switch(i - 1, (|| b, || -b)),
    )
}

fn switch_in_cond_ref(p: bool, i: i32, a: i64, b: i64) -> i64 {
    if p {
        match i.clamp(0, 2) {
            0 => a,
            1 => a.wrapping_add(b),
            _ => a.wrapping_mul(b),
        }
    } else {
        match i.wrapping_sub(1).clamp(0, 1) {
            0 => b,
            _ => b.wrapping_neg(),
        }
    }
}

#[test]
fn switch_inside_cond() {
    let mut inputs = Vec::new();
    for p in [false, true] {
        for i in [-1, 0, 1, 2, 3, i32::MIN, i32::MAX] {
            inputs.push((p, i));
        }
    }
    for (p, i) in inputs {
        let (a, b) = (6i64, -4i64);
        assert_eq!(
            switch_in_cond(p, i, a, b),
            switch_in_cond_ref(p, i, a, b),
            "switch_in_cond({p}, {i})"
        );
    }
    agrees!(
        switch_in_cond,
        switch_in_cond_ref,
        |p: bool, i: i32, a: i64, b: i64| [
            (true, 2, i64::MAX, 2),
            (false, i32::MIN, 1, i64::MIN),
            (false, 1, 1, 2),
            (true, -1, 3, 4),
        ]
    );
}

#[jit]
fn loop_in_branch(n: i32) -> i32 {
    lax::cond(
        n > 0,
        || lax::fori_loop(0, n, |i, s| s + i * i, 0),
        || lax::while_loop(|c| c > n, |c| c - 7, 0),
    )
}

fn loop_in_branch_ref(n: i32) -> i32 {
    if n > 0 {
        let mut s = 0i32;
        for i in 0..n {
            s = s.wrapping_add(i.wrapping_mul(i));
        }
        s
    } else {
        let mut c = 0;
        while c > n {
            c -= 7;
        }
        c
    }
}

#[test]
fn loops_inside_branches() {
    agrees!(loop_in_branch, loop_in_branch_ref, |n: i32| [
        5, 0, -1, -20, -21, 1, 100_000, -1000
    ]);
}

#[jit]
fn collatz_step(n: i64) -> i64 {
    lax::select(n % 2 == 0, n / 2, 3 * n + 1)
}

#[jit]
fn digit_sum(n: i64) -> i64 {
    lax::while_loop(|(m, _)| m != 0, |(m, s)| (m / 10, s + m % 10), (n, 0)).1
}

#[jit]
fn collatz(x: i64) -> (i64, i32, i64) {
    // Loop bodies that call other #[jit] functions (inlined), one of them
    // holding a loop of its own.
    let (n, steps, digits) = lax::while_loop(
        |(n, steps, _)| (n != 1) & (steps < 1000),
        |(n, steps, digits)| (collatz_step(n), steps + 1, digits + digit_sum(n)),
        (x, 0, 0),
    );
    (n, steps, digits)
}

fn collatz_ref(x: i64) -> (i64, i32, i64) {
    let (mut n, mut steps, mut digits) = (x, 0i32, 0i64);
    while n != 1 && steps < 1000 {
        let mut m = n;
        let mut sum = 0i64;
        while m != 0 {
            sum = sum.wrapping_add(rem_i64(m, 10));
            m = div_i64(m, 10);
        }
        digits = digits.wrapping_add(sum);
        n = if rem_i64(n, 2) == 0 {
            div_i64(n, 2)
        } else {
            n.wrapping_mul(3).wrapping_add(1)
        };
        steps += 1;
    }
    (n, steps, digits)
}

#[test]
fn loop_bodies_call_other_jit_functions() {
    agrees!(collatz, collatz_ref, |x: i64| [
        27,
        1,
        0,
        -1,
        -17,
        i64::MAX,
        i64::MIN,
        837_799,
    ]);
    assert_eq!(collatz_step::cache_size(), 0, "inlined, never dispatched");
    assert_eq!(digit_sum::cache_size(), 0, "inlined, never dispatched");
}

// ---------------------------------------------------------------------------
// select.

#[jit]
fn select_weak(p: bool, x: i64, u: u32, f: f64) -> (i64, u32, f64, f32, f64) {
    (
        lax::select(p, x, 1),
        lax::select(p, 0, u),
        lax::select(p, f, 2.5),
        lax::select(p, 1, 0.5),
        lax::select(p, 3, f),
    )
}

fn select_weak_ref(p: bool, x: i64, u: u32, f: f64) -> (i64, u32, f64, f32, f64) {
    if p {
        (x, 0, f, 1.0, 3.0)
    } else {
        (1, u, 2.5, 0.5, f)
    }
}

#[jit]
fn bounce(x: f32, v: f32, lo: f32, hi: f32, n: i32) -> (f32, f32, i32) {
    // select inside a loop: a point moving by v, reflected at lo and hi.
    lax::fori_loop(
        0,
        n,
        |_, (x, v, bounces)| {
            let next = x + v;
            let out = (next > hi) | (next < lo);
            (
                lax::select(out, x, next),
                lax::select(out, -v, v),
                bounces + lax::select(out, 1, 0),
            )
        },
        (x, v, 0),
    )
}

fn bounce_ref(x: f32, v: f32, lo: f32, hi: f32, n: i32) -> (f32, f32, i32) {
    let (mut x, mut v, mut bounces) = (x, v, 0i32);
    for _ in 0..n {
        let next = x + v;
        if next > hi || next < lo {
            (v, bounces) = (-v, bounces + 1);
        } else {
            x = next;
        }
    }
    (x, v, bounces)
}

#[test]
fn select_promotes_weak_literals_and_runs_in_loops() {
    agrees!(
        select_weak,
        select_weak_ref,
        |p: bool, x: i64, u: u32, f: f64| [
            (true, i64::MIN, u32::MAX, f64::NAN),
            (false, i64::MIN, u32::MAX, f64::NAN),
            (true, 5, 5, -0.0),
            (false, 5, 5, -0.0),
        ]
    );
    agrees!(
        bounce,
        bounce_ref,
        |x: f32, v: f32, lo: f32, hi: f32, n: i32| [
            (0.0, 0.75, -1.0, 2.0, 20),
            (0.0, 0.75, -1.0, 2.0, 0),
            (5.0, -0.3, 0.0, 10.0, 100),
            (0.0, f32::NAN, -1.0, 1.0, 3),
            (0.0, 1.0, f32::NAN, 1.0, 4),
        ]
    );
}

// ---------------------------------------------------------------------------
// Integer wrapping, division by zero, NaN and infinities in carries.

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

// ---------------------------------------------------------------------------
// Loop conditions on unsigned and NaN operands: the test before the loop
// and the back edge must both compare as the op says.

#[jit]
fn u32_bounds(lo: u32, hi: u32) -> (u32, i32) {
    lax::fori_loop(lo, hi, |i, (s, k)| (s + i, k + 1), (Tracer::from(0u32), 0))
}

fn u32_bounds_ref(lo: u32, hi: u32) -> (u32, i32) {
    let (mut s, mut k) = (0u32, 0i32);
    for i in lo..hi {
        s = s.wrapping_add(i);
        k += 1;
    }
    (s, k)
}

#[jit]
fn u32_while_lt(x: u32, limit: u32) -> u32 {
    lax::while_loop(|c| c < limit, |c| c + x, Tracer::from(1u32))
}

fn u32_while_lt_ref(x: u32, limit: u32) -> u32 {
    let mut c = 1u32;
    while c < limit {
        c = c.wrapping_add(x);
    }
    c
}

#[jit]
fn u32_while_ge(x: u32, limit: u32) -> u32 {
    lax::while_loop(|c| c >= limit, |c| c - x, Tracer::from(u32::MAX))
}

fn u32_while_ge_ref(x: u32, limit: u32) -> u32 {
    let mut c = u32::MAX;
    while c >= limit {
        c = c.wrapping_sub(x);
    }
    c
}

#[test]
fn u32_bounds_and_conditions_compare_unsigned() {
    // 0x7fff_ffff..0x8000_0001 is two trips unsigned, none signed.
    agrees!(u32_bounds, u32_bounds_ref, |lo: u32, hi: u32| [
        (0x7FFF_FFFF, 0x8000_0001),
        (0x8000_0001, 0x7FFF_FFFF),
        (u32::MAX - 2, u32::MAX),
        (0, 3),
        (3, 0),
    ]);
    agrees!(u32_while_lt, u32_while_lt_ref, |x: u32, limit: u32| [
        (0x4000_0000, 0x9000_0000),
        (0x7000_0000, 0xF000_0000),
        (1, 0),
        (3, 3),
        (0x3000_0000, 0x8000_0000),
    ]);
    agrees!(u32_while_ge, u32_while_ge_ref, |x: u32, limit: u32| [
        (0x4000_0000, 0x9000_0000),
        (0x7000_0000, 0x1000_0000),
        (1, u32::MAX),
        (0x3000_0000, 0x8000_0000),
    ]);
}

/// A `while_loop` on `c OP y` whose carry may become NaN or infinite on
/// the way: NaN makes every ordered comparison false and `!=` true.
macro_rules! float_condition {
    ($name:ident, $reference:ident, $op:tt) => {
        #[jit]
        fn $name(x: f32, y: f32) -> (f32, i32) {
            lax::while_loop(
                |(c, k)| (c $op y) & (k < 20),
                |(c, k)| (c * x + 1.0, k + 1),
                (Tracer::from(1.0f32), 0),
            )
        }

        fn $reference(x: f32, y: f32) -> (f32, i32) {
            let (mut c, mut k) = (1.0f32, 0);
            while (c $op y) && k < 20 {
                c = c * x + 1.0;
                k += 1;
            }
            (c, k)
        }
    };
}

/// The same with the comparison alone as the condition (so it can live in
/// the flags); after 20 trips the body stores NaN, which stops it.
macro_rules! bare_float_condition {
    ($name:ident, $reference:ident, $op:tt) => {
        #[jit]
        fn $name(x: f32, y: f32) -> (f32, i32) {
            lax::while_loop(
                |(c, _)| c $op y,
                |(c, k)| (lax::select(k < 20, c * x + 1.0, f32::NAN), k + 1),
                (Tracer::from(1.0f32), 0),
            )
        }

        fn $reference(x: f32, y: f32) -> (f32, i32) {
            let (mut c, mut k) = (1.0f32, 0);
            while c $op y {
                c = if k < 20 { c * x + 1.0 } else { f32::NAN };
                k += 1;
            }
            (c, k)
        }
    };
}

float_condition!(while_lt, while_lt_ref, <);
float_condition!(while_le, while_le_ref, <=);
float_condition!(while_gt, while_gt_ref, >);
float_condition!(while_ge, while_ge_ref, >=);
float_condition!(while_eq, while_eq_ref, ==);
float_condition!(while_ne, while_ne_ref, !=);
bare_float_condition!(bare_lt, bare_lt_ref, <);
bare_float_condition!(bare_le, bare_le_ref, <=);
bare_float_condition!(bare_gt, bare_gt_ref, >);
bare_float_condition!(bare_ge, bare_ge_ref, >=);

#[jit]
fn bare_ne(x: f32, y: f32) -> (f32, i32) {
    lax::while_loop(
        |(c, _)| c != y,
        |(c, k)| (lax::select(k < 20, c * x + 1.0, y), k + 1),
        (Tracer::from(1.0f32), 0),
    )
}

fn bare_ne_ref(x: f32, y: f32) -> (f32, i32) {
    let (mut c, mut k) = (1.0f32, 0);
    while c != y {
        c = if k < 20 { c * x + 1.0 } else { y };
        k += 1;
    }
    (c, k)
}

#[test]
fn float_loop_conditions_with_nan_and_infinities() {
    macro_rules! each {
        ($($f:ident $r:ident),*) => {$(
            agrees!($f, $r, |x: f32, y: f32| [
                (f32::NAN, 100.0),
                (2.0, 100.0),
                (2.0, f32::NAN),
                (-3.0, -100.0),
                (f32::INFINITY, 1e30),
                (0.0, 1.0),
                (1.0, 1.0),
                (-1.0, -1e10),
            ]);
        )*};
    }
    each!(
        while_lt while_lt_ref, while_le while_le_ref, while_gt while_gt_ref,
        while_ge while_ge_ref, while_eq while_eq_ref, while_ne while_ne_ref,
        bare_lt bare_lt_ref, bare_le bare_le_ref, bare_gt bare_gt_ref, bare_ge bare_ge_ref
    );
    // `c != NaN` never ends, so no NaN bound here.
    agrees!(bare_ne, bare_ne_ref, |x: f32, y: f32| [
        (f32::NAN, 100.0),
        (2.0, 100.0),
        (-3.0, -100.0),
        (f32::INFINITY, 1e30),
        (0.0, 1.0),
        (1.0, 1.0),
    ]);
}

// ---------------------------------------------------------------------------
// JAX's typing of loop results and predicates.

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

// ---------------------------------------------------------------------------
// What the optimiser does to loops: dead carry leaves, invariant code,
// captures through several regions, branches that pass values through,
// loops over literals only.

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

// ---------------------------------------------------------------------------
// Casts and methods on carries; a carry whose shape is a static argument.

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
