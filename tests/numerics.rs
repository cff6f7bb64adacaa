//! Accuracy of native transcendental functions over dense sweeps, against
//! `std`'s `f64` functions (glibc).
//!
//! - `f32` functions: within 1 ulp of the correctly rounded result; the
//!   reference is `std`'s `f64` function at the `f32` input, which is within
//!   a tiny fraction of an `f32` ulp of the exact value.
//! - `f64` functions: within 1 ulp of `std`'s result (itself within 1 ulp),
//!   except `tanh`, where glibc itself is up to 2 ulp off (at
//!   x = -0.22697058991792574 ours is the correctly rounded value and glibc's
//!   is 2 ulp away): there the allowance against `std` is 2 steps, and the
//!   `math` module's unit tests hold it to < 1 ulp against a 106-bit
//!   reference sample.
//!
//! Special values are checked exactly.

use jit::prelude::*;

#[jit]
fn sin32(x: f32) -> f32 {
    x.sin()
}
#[jit]
fn cos32(x: f32) -> f32 {
    x.cos()
}
#[jit]
fn tan32(x: f32) -> f32 {
    x.tan()
}
#[jit]
fn exp32(x: f32) -> f32 {
    x.exp()
}
#[jit]
fn ln32(x: f32) -> f32 {
    x.ln()
}
#[jit]
fn tanh32(x: f32) -> f32 {
    x.tanh()
}
#[jit]
fn sin64(x: f64) -> f64 {
    x.sin()
}
#[jit]
fn cos64(x: f64) -> f64 {
    x.cos()
}
#[jit]
fn exp64(x: f64) -> f64 {
    x.exp()
}
#[jit]
fn ln64(x: f64) -> f64 {
    x.ln()
}
#[jit]
fn tanh64(x: f64) -> f64 {
    x.tanh()
}

/// Error of `y` in ulps of the `f32` nearest `reference`.
fn ulps32(y: f32, reference: f64) -> f64 {
    if y.is_nan() || reference.is_nan() {
        return if y.is_nan() && reference.is_nan() {
            0.0
        } else {
            f64::INFINITY
        };
    }
    if y as f64 == reference {
        return 0.0;
    }
    let r = reference as f32;
    if r.is_infinite() {
        return if y == r { 0.0 } else { f64::INFINITY };
    }
    let exp = if r == 0.0 || r.abs() < f32::MIN_POSITIVE {
        -149
    } else {
        (r.abs().log2().floor() as i32 - 23).max(-149)
    };
    (y as f64 - reference).abs() / 2f64.powi(exp)
}

/// Distance between two `f64`s in representable steps.
fn steps64(a: f64, b: f64) -> u64 {
    if a.is_nan() || b.is_nan() {
        return if a.is_nan() && b.is_nan() {
            0
        } else {
            u64::MAX
        };
    }
    let key = |x: f64| {
        let bits = x.to_bits() as i64;
        if bits < 0 { i64::MIN - bits } else { bits }
    };
    key(a).abs_diff(key(b))
}

fn points(lo: f64, hi: f64) -> impl Iterator<Item = f64> {
    let n = support::scaled(if cfg!(debug_assertions) {
        200_000
    } else {
        1_000_000
    });
    (0..=n).map(move |i| lo + (hi - lo) * i as f64 / n as f64)
}

fn log_points(lo: f64, hi: f64) -> impl Iterator<Item = f64> {
    points(lo.ln(), hi.ln()).map(f64::exp)
}

fn check32(
    name: &str,
    f: fn(f32) -> f32,
    reference: fn(f64) -> f64,
    xs: impl Iterator<Item = f64>,
) {
    let mut worst = (0.0, 0.0f32);
    for x in xs {
        let x = x as f32;
        let e = ulps32(f(x), reference(x as f64));
        if e > worst.0 {
            worst = (e, x);
        }
    }
    println!("{name}: max {:.3} ulp at {}", worst.0, worst.1);
    assert!(
        worst.0 <= 1.0,
        "{name}: {:.3} ulp at x = {:e}",
        worst.0,
        worst.1
    );
}

fn check64(
    name: &str,
    f: fn(f64) -> f64,
    reference: fn(f64) -> f64,
    xs: impl Iterator<Item = f64>,
) {
    check64_within(name, 1, f, reference, xs);
}

fn check64_within(
    name: &str,
    steps: u64,
    f: fn(f64) -> f64,
    reference: fn(f64) -> f64,
    xs: impl Iterator<Item = f64>,
) {
    let mut worst = (0, 0.0);
    for x in xs {
        let e = steps64(f(x), reference(x));
        if e > worst.0 {
            worst = (e, x);
        }
    }
    println!("{name}: max {} ulp from std at {}", worst.0, worst.1);
    assert!(
        worst.0 <= steps,
        "{name}: {} ulp from std at x = {:e}",
        worst.0,
        worst.1
    );
}

#[test]
fn f32_functions_are_within_one_ulp() {
    check32("sin f32", sin32, f64::sin, points(-100.0, 100.0));
    check32("cos f32", cos32, f64::cos, points(-100.0, 100.0));
    check32("tan f32", tan32, f64::tan, points(-100.0, 100.0));
    check32("exp f32", exp32, f64::exp, points(-104.0, 89.0));
    check32("ln f32", ln32, f64::ln, log_points(1e-45, 3.4e38));
    check32("tanh f32", tanh32, f64::tanh, points(-10.0, 10.0));
    check32("sin f32 huge", sin32, f64::sin, log_points(100.0, 3.4e38));
}

#[test]
fn f64_functions_are_within_one_ulp_of_std() {
    check64("sin f64", sin64, f64::sin, points(-100.0, 100.0));
    check64("cos f64", cos64, f64::cos, points(-100.0, 100.0));
    check64("exp f64", exp64, f64::exp, points(-745.0, 709.0));
    check64("ln f64", ln64, f64::ln, log_points(5e-324, 1.7e308));
    check64_within("tanh f64", 2, tanh64, f64::tanh, points(-20.0, 20.0));
    check64("sin f64 huge", sin64, f64::sin, log_points(100.0, 1e300));
}

#[test]
fn special_values_are_exact() {
    assert!(sin32(f32::INFINITY).is_nan());
    assert!(cos32(f32::NEG_INFINITY).is_nan());
    assert!(sin32(f32::NAN).is_nan());
    assert_eq!(sin32(-0.0).to_bits(), (-0.0f32).to_bits());
    assert_eq!(exp32(f32::INFINITY), f32::INFINITY);
    assert_eq!(exp32(f32::NEG_INFINITY), 0.0);
    assert_eq!(exp32(100.0), f32::INFINITY);
    assert_eq!(ln32(0.0), f32::NEG_INFINITY);
    assert!(ln32(-1.0).is_nan());
    assert_eq!(ln32(f32::INFINITY), f32::INFINITY);
    assert_eq!(tanh32(f32::INFINITY), 1.0);
    assert_eq!(tanh32(f32::NEG_INFINITY), -1.0);
    assert_eq!(exp64(f64::NEG_INFINITY), 0.0);
    assert_eq!(ln64(0.0), f64::NEG_INFINITY);
}

/// The C library's functions, the references where `std` has none or a
/// less accurate one.
// The sweeps shrink with `JIT_TEST_SCALE` (under qemu and memcheck).
#[allow(dead_code)]
#[path = "support/mod.rs"]
mod support;

#[path = "../jit-runtime/src/math/tests/libm.rs"]
mod libm;

#[path = "numerics/explog.rs"]
mod explog;
#[path = "numerics/inverse.rs"]
mod inverse;
