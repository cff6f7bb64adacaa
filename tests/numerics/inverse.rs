//! Inverse trigonometric and hyperbolic functions (`asin`, `acos`, `atan`,
//! `atan2`, `sinh`, `cosh`, `asinh`, `acosh`, `atanh`, `hypot`) through
//! native code, one `#[jit]` call per 2^20 elements of an `Array`.
//!
//! - `f32`: every function's finite domain walked by a stride over its bit
//!   patterns (at least 2^24 inputs in an optimised build, `cargo test
//!   --release --test numerics`, and 2^21 in a debug build; all signs and
//!   exponents, subnormals included), plus 2^20 uniform points of the main
//!   range; the error in
//!   ulps against `std`'s `f64` function at the `f32` input must stay within
//!   the documented bound (0.5 ulp, plus the 2^-29 ulp the reference itself
//!   may be off, plus a rounding tie: `<= 0.5 + 2^-20`). `atan2` and `hypot`
//!   pair each walked pattern with a scrambled one.
//! - `f64`: 2^20 points per function (2^18 in a debug build; uniform in the main range and random
//!   bit patterns over all finite values) within 1 ulp of `std`, 2 for
//!   `sinh` (glibc's own error) and for `asinh`, `acosh`, `atanh`, measured
//!   against the C library's functions (within 2 ulp of them): `std`'s own
//!   are formulas over `ln_1p`, several ulp off in places and overflowing
//!   early (`f64::MAX.asinh()` is `inf`). The true error, below 1 ulp, is
//!   checked against 106-bit references in the `math` unit tests.
//! - Native code and the interpreter agree bit for bit on every 256th input
//!   of each `f32` walk and on the `f64` points (the interpreter is slow in
//!   a debug build, so not on all of them).

use super::{libm, steps64, ulps32};
use jit::Array;
use jit::internals::interp;
use jit::internals::ir::Op;
use jit::prelude::*;
use jit::scalar::Scalar;

/// Elements per native call.
const CHUNK: usize = 1 << 20;

macro_rules! unary_kernels {
    ($($name:ident => $method:ident;)*) => {$(
        #[jit]
        fn $name(x: &Array) -> Array {
            x.$method()
        }
    )*};
}

unary_kernels! {
    asin_a => asin;
    acos_a => acos;
    atan_a => atan;
    sinh_a => sinh;
    cosh_a => cosh;
    asinh_a => asinh;
    acosh_a => acosh;
    atanh_a => atanh;
}

#[jit]
fn atan2_a(y: &Array, x: &Array) -> Array {
    y.atan2(x)
}

#[jit]
fn hypot_a(x: &Array, y: &Array) -> Array {
    x.hypot(y)
}

/// The bound the `f32` functions are documented with, plus room for the
/// reference's own error (about 2^-29 ulp).
const BOUND32: f64 = 0.5 + 1.0 / (1 << 20) as f64;

/// Inputs per bit walk (times `JIT_TEST_SCALE`): 2^24 in an optimised build; 2^21 in a debug build,
/// where moving elements in and out of `Array`s (not the compiled code)
/// costs about half a microsecond each.
fn walk_points() -> u64 {
    let n = if cfg!(debug_assertions) {
        1 << 21
    } else {
        1 << 24
    };
    crate::support::scaled(n) as u64
}

/// Finite bit patterns of non-negative `f32`s from `lo` to `hi`
/// (inclusive), and of their negations when `signed`, walked with a stride
/// that gives at least [`walk_points`] of them; the two ends are included.
fn walk(lo: u32, hi: u32, signed: bool) -> Vec<f32> {
    let count = u64::from(hi - lo + 1) * if signed { 2 } else { 1 };
    let stride = (count / walk_points()).max(1) as usize;
    let mut xs: Vec<f32> = (lo..=hi).step_by(stride).map(f32::from_bits).collect();
    xs.push(f32::from_bits(hi));
    if signed {
        let negated: Vec<f32> = xs.iter().map(|x| -x).collect();
        xs.extend(negated);
    }
    assert!(xs.len() as u64 >= walk_points());
    xs
}

fn uniform32(lo: f64, hi: f64) -> Vec<f32> {
    (0..CHUNK)
        .map(|i| (lo + (hi - lo) * i as f64 / (CHUNK - 1) as f64) as f32)
        .collect()
}

/// `f` on `xs` in native calls of [`CHUNK`] elements.
fn native1(f: fn(&Array) -> Array, xs: &[f32]) -> Vec<f32> {
    xs.chunks(CHUNK)
        .flat_map(|c| f(&Array::from(c.to_vec())).to_vec::<f32>().unwrap())
        .collect()
}

fn native2(f: fn(&Array, &Array) -> Array, a: &[f32], b: &[f32]) -> Vec<f32> {
    a.chunks(CHUNK)
        .zip(b.chunks(CHUNK))
        .flat_map(|(a, b)| {
            f(&Array::from(a.to_vec()), &Array::from(b.to_vec()))
                .to_vec::<f32>()
                .unwrap()
        })
        .collect()
}

/// Both NaN, or the same bits.
fn same32(a: f32, b: f32) -> bool {
    (a.is_nan() && b.is_nan()) || a.to_bits() == b.to_bits()
}

fn same64(a: f64, b: f64) -> bool {
    (a.is_nan() && b.is_nan()) || a.to_bits() == b.to_bits()
}

/// The worst error of `got` on `xs` (a second operand in `ys` when given)
/// against `reference`, asserted within [`BOUND32`].
fn check_errors32(
    name: &str,
    xs: &[f32],
    ys: Option<&[f32]>,
    got: &[f32],
    reference: impl Fn(f64, f64) -> f64,
) {
    let mut worst = (0.0f64, 0usize);
    for (i, (&x, &g)) in xs.iter().zip(got).enumerate() {
        let y = ys.map_or(0.0, |ys| f64::from(ys[i]));
        let e = ulps32(g, reference(f64::from(x), y));
        if e > worst.0 || e.is_nan() {
            worst = (e, i);
        }
    }
    let at = worst.1;
    let y = ys.map(|ys| ys[at]);
    println!(
        "{name}: max {:.6} ulp at x = {:e}{} ({} points)",
        worst.0,
        xs[at],
        y.map_or(String::new(), |y| format!(", y = {y:e}")),
        xs.len()
    );
    assert!(
        worst.0 <= BOUND32,
        "{name}: {} ulp at x = {:e} y = {y:?}",
        worst.0,
        xs[at]
    );
}

/// Native against the interpreter's scalar op on every 256th input.
fn check_interpreter32(name: &str, op: &Op, xs: &[f32], ys: Option<&[f32]>, got: &[f32]) {
    for i in (0..xs.len()).step_by(256) {
        let mut args = vec![Scalar::F32(xs[i])];
        if let Some(ys) = ys {
            args.push(Scalar::F32(ys[i]));
        }
        let Scalar::F32(want) = interp::eval(op, &args) else {
            panic!("{name}: the interpreter returned another dtype")
        };
        assert!(
            same32(want, got[i]),
            "{name}({args:?}): interpreter {want:e}, native {:e}",
            got[i]
        );
    }
}

fn sweep32(
    name: &str,
    f: fn(&Array) -> Array,
    op: Op,
    reference: fn(f64) -> f64,
    domain: (u32, u32, bool),
    main: (f64, f64),
) {
    let (lo, hi, signed) = domain;
    for (part, xs) in [
        ("bit walk", walk(lo, hi, signed)),
        ("uniform", uniform32(main.0, main.1)),
    ] {
        let got = native1(f, &xs);
        let label = format!("{name} f32 {part}");
        check_errors32(&label, &xs, None, &got, |x, _| reference(x));
        check_interpreter32(&label, &op, &xs, None, &got);
    }
}

/// A finite `f32` pattern scrambled from `bits`.
fn scrambled(bits: u32) -> f32 {
    let s = bits.wrapping_mul(0x9E37_79B1).rotate_left(13);
    let x = f32::from_bits(s);
    if x.is_finite() {
        x
    } else {
        f32::from_bits(s ^ 0x4000_0000)
    }
}

fn sweep32_binary(
    name: &str,
    f: fn(&Array, &Array) -> Array,
    op: Op,
    reference: fn(f64, f64) -> f64,
) {
    let a = walk(0, f32::MAX.to_bits(), true);
    let b: Vec<f32> = a.iter().map(|x| scrambled(x.to_bits())).collect();
    let ua = uniform32(-10.0, 10.0);
    let ub: Vec<f32> = ua.iter().rev().map(|x| x * 0.75 + 0.125).collect();
    for (part, xs, ys) in [("bit walk", a, b), ("uniform", ua, ub)] {
        let got = native2(f, &xs, &ys);
        let label = format!("{name} f32 {part}");
        check_errors32(&label, &xs, Some(&ys), &got, reference);
        check_interpreter32(&label, &op, &xs, Some(&ys), &got);
    }
}

const ONE: u32 = 0x3F80_0000;
const MAX: u32 = 0x7F7F_FFFF;

/// One `#[test]` per unary function: its name, kernel, op, reference,
/// walked domain and main range, as [`sweep32`] takes them.
macro_rules! sweep32_tests {
    ($($test:ident: $name:literal, $kernel:ident, $op:ident, $reference:path, $domain:expr, $main:expr;)*) => {$(
        #[test]
        fn $test() {
            sweep32($name, |x| $kernel(x), Op::$op, $reference, $domain, $main);
        }
    )*};
}

sweep32_tests! {
    asin_f32: "asin", asin_a, Asin, f64::asin, (0, ONE, true), (-1.0, 1.0);
    acos_f32: "acos", acos_a, Acos, f64::acos, (0, ONE, true), (-1.0, 1.0);
    atan_f32: "atan", atan_a, Atan, f64::atan, (0, MAX, true), (-10.0, 10.0);
    sinh_f32: "sinh", sinh_a, Sinh, f64::sinh, (0, MAX, true), (-90.0, 90.0);
    cosh_f32: "cosh", cosh_a, Cosh, f64::cosh, (0, MAX, true), (-90.0, 90.0);
    asinh_f32: "asinh", asinh_a, Asinh, f64::asinh, (0, MAX, true), (-10.0, 10.0);
    acosh_f32: "acosh", acosh_a, Acosh, f64::acosh, (ONE, MAX, false), (1.0, 10.0);
    atanh_f32: "atanh", atanh_a, Atanh, f64::atanh, (0, ONE, true), (-1.0, 1.0);
}

#[test]
fn atan2_f32() {
    sweep32_binary("atan2", |a, b| atan2_a(a, b), Op::Atan2, f64::atan2);
}

#[test]
fn hypot_f32() {
    sweep32_binary("hypot", |a, b| hypot_a(a, b), Op::Hypot, f64::hypot);
}

/// xorshift64*.
fn next(state: &mut u64) -> u64 {
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    state.wrapping_mul(0x2545_F491_4F6C_DD1D)
}

/// Half uniform points of `[lo, hi]`, half random finite bit patterns
/// (made non-negative when `positive`): 2^20 in all in an optimised build,
/// 2^18 in a debug build (times `JIT_TEST_SCALE`).
fn points64(seed: u64, lo: f64, hi: f64, positive: bool) -> Vec<f64> {
    let n = crate::support::scaled(if cfg!(debug_assertions) {
        1 << 18
    } else {
        CHUNK
    });
    let mut s = seed;
    let half = n / 2;
    let mut xs: Vec<f64> = (0..half)
        .map(|i| lo + (hi - lo) * i as f64 / (half - 1) as f64)
        .collect();
    while xs.len() < n {
        let x = f64::from_bits(next(&mut s));
        if x.is_finite() {
            xs.push(if positive { x.abs() } else { x });
        }
    }
    xs
}

#[allow(clippy::too_many_arguments)]
fn check64(
    name: &str,
    allowed: u64,
    op: Op,
    xs: &[f64],
    ys: Option<&[f64]>,
    got: &[f64],
    reference: impl Fn(f64, f64) -> f64,
    interpreted: usize,
) {
    let mut worst = (0u64, 0usize);
    for (i, (&x, &g)) in xs.iter().zip(got).enumerate() {
        let y = ys.map_or(0.0, |ys| ys[i]);
        let d = steps64(g, reference(x, y));
        if d > worst.0 {
            worst = (d, i);
        }
    }
    println!(
        "{name} f64: max {} ulp from the reference at x = {:e}{}",
        worst.0,
        xs[worst.1],
        ys.map_or(String::new(), |ys| format!(", y = {:e}", ys[worst.1]))
    );
    assert!(
        worst.0 <= allowed,
        "{name} f64: {} ulp at x = {:e}",
        worst.0,
        xs[worst.1]
    );
    let step = (xs.len() / interpreted).max(1);
    for i in (0..xs.len()).step_by(step) {
        let mut args = vec![Scalar::F64(xs[i])];
        if let Some(ys) = ys {
            args.push(Scalar::F64(ys[i]));
        }
        let Scalar::F64(want) = interp::eval(&op, &args) else {
            panic!("{name}: the interpreter returned another dtype")
        };
        assert!(
            same64(want, got[i]),
            "{name}({args:?}): interpreter {want:e}, native {:e}",
            got[i]
        );
    }
}

#[test]
fn f64_functions_against_the_reference() {
    type Case = (
        &'static str,
        fn(&Array) -> Array,
        Op,
        fn(f64) -> f64,
        f64,
        f64,
        u64,
    );
    let cases: [Case; 8] = [
        ("asin", |x| asin_a(x), Op::Asin, f64::asin, -1.0, 1.0, 1),
        ("acos", |x| acos_a(x), Op::Acos, f64::acos, -1.0, 1.0, 1),
        ("atan", |x| atan_a(x), Op::Atan, f64::atan, -10.0, 10.0, 1),
        ("sinh", |x| sinh_a(x), Op::Sinh, f64::sinh, -20.0, 20.0, 2),
        ("cosh", |x| cosh_a(x), Op::Cosh, f64::cosh, -20.0, 20.0, 1),
        (
            "asinh",
            |x| asinh_a(x),
            Op::Asinh,
            libm::asinh,
            -10.0,
            10.0,
            2,
        ),
        (
            "acosh",
            |x| acosh_a(x),
            Op::Acosh,
            libm::acosh,
            1.0,
            10.0,
            2,
        ),
        (
            "atanh",
            |x| atanh_a(x),
            Op::Atanh,
            libm::atanh,
            -1.0,
            1.0,
            2,
        ),
    ];
    for (k, (name, f, op, reference, lo, hi, allowed)) in cases.into_iter().enumerate() {
        let xs = points64(k as u64 + 1, lo, hi, false);
        let got = f(&Array::from(xs.clone())).to_vec::<f64>().unwrap();
        check64(
            name,
            allowed,
            op,
            &xs,
            None,
            &got,
            |x, _| reference(x),
            4096,
        );
    }
}

#[test]
fn f64_binary_functions_against_std() {
    type Case = (
        &'static str,
        fn(&Array, &Array) -> Array,
        Op,
        fn(f64, f64) -> f64,
    );
    let cases: [Case; 2] = [
        ("atan2", |a, b| atan2_a(a, b), Op::Atan2, f64::atan2),
        ("hypot", |a, b| hypot_a(a, b), Op::Hypot, f64::hypot),
    ];
    for (k, (name, f, op, reference)) in cases.into_iter().enumerate() {
        let xs = points64(2 * k as u64 + 11, -10.0, 10.0, false);
        let mut ys = points64(2 * k as u64 + 12, -7.0, 13.0, false);
        ys.reverse();
        let got = f(&Array::from(xs.clone()), &Array::from(ys.clone()))
            .to_vec::<f64>()
            .unwrap();
        check64(name, 1, op, &xs, Some(&ys), &got, reference, 4096);
    }
}

#[jit]
fn specials32(x: f32, y: f32) -> [f32; 10] {
    [
        x.asin(),
        x.acos(),
        x.atan(),
        x.sinh(),
        x.cosh(),
        x.asinh(),
        x.acosh(),
        x.atanh(),
        x.atan2(y),
        x.hypot(y),
    ]
}

#[jit]
fn specials64(x: f64, y: f64) -> [f64; 10] {
    [
        x.asin(),
        x.acos(),
        x.atan(),
        x.sinh(),
        x.cosh(),
        x.asinh(),
        x.acosh(),
        x.atanh(),
        x.atan2(y),
        x.hypot(y),
    ]
}

/// Zeros, infinities, NaN and the ends of the domains: exactly as `std`
/// (the C library for `f64` `asinh`/`acosh`/`atanh`, whose `std` forms
/// overflow early), and the same natively and interpreted.
#[test]
fn special_values_are_exact() {
    let inf = f64::INFINITY;
    let values = [
        0.0,
        -0.0,
        1.0,
        -1.0,
        inf,
        -inf,
        f64::NAN,
        2.0,
        -0.5,
        1e-30,
        1e30,
    ];
    for &x in &values {
        for &y in &values {
            let (xf, yf) = (x as f32, y as f32);
            let got32 = specials32(xf, yf);
            let want32 = [
                xf.asin(),
                xf.acos(),
                xf.atan(),
                xf.sinh(),
                xf.cosh(),
                xf.asinh(),
                xf.acosh(),
                xf.atanh(),
                xf.atan2(yf),
                xf.hypot(yf),
            ];
            let got64 = specials64(x, y);
            let want64 = [
                x.asin(),
                x.acos(),
                x.atan(),
                x.sinh(),
                x.cosh(),
                libm::asinh(x),
                libm::acosh(x),
                libm::atanh(x),
                x.atan2(y),
                x.hypot(y),
            ];
            for k in 0..10 {
                let exact = |w: f64| !w.is_finite() || w == 0.0;
                if exact(f64::from(want32[k])) {
                    assert!(
                        same32(got32[k], want32[k]),
                        "f32 function {k} at ({xf:e}, {yf:e}): {:e}, std {:e}",
                        got32[k],
                        want32[k]
                    );
                }
                if exact(want64[k]) {
                    assert!(
                        same64(got64[k], want64[k]),
                        "f64 function {k} at ({x:e}, {y:e}): {:e}, std {:e}",
                        got64[k],
                        want64[k]
                    );
                }
            }
        }
    }
    // hypot: an infinity wins over a NaN.
    assert_eq!(specials32(f32::NAN, f32::NEG_INFINITY)[9], f32::INFINITY);
    assert_eq!(specials64(inf, f64::NAN)[9], inf);
}
