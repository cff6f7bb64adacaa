//! A tracer method named like a method of Rust's `f32`/`i32` behaves like
//! that method: every one against Rust's own on edge values (NaN, ±0, ±inf,
//! subnormals, MIN/MAX, shift amounts around the width), bit for bit,
//! through the cached call, native code at both ISA levels and the
//! interpreter on the traced and the optimised graph; the same methods on
//! arrays; `mul_add` rounding once; xorshift32 and PCG32 generators written
//! in `#[jit]` bodies against the plain Rust ones; the new ops' jaxprs.

use expect_test::expect;
use jit::Element;
use jit::config::IsaLevel;
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

/// Checks `$f` against `$reference` on every input: the cached call,
/// `$f::lower(..)` compiled at the native and at the baseline ISA level,
/// and the interpreter on the traced and on the optimised graph all give
/// the reference's bits (any NaN equal to any NaN), and one compile serves
/// every input.
macro_rules! agrees {
    ($f:ident, $reference:expr, |$($a:ident: $t:ty),+ $(,)?| $inputs:expr) => {{
        let inputs: Vec<($($t,)+)> = $inputs;
        let reference = $reference;
        let ($($a,)+) = inputs[0];
        let graph = $f::make_jaxpr($($a),+).graph().clone();
        let mut optimised = graph.clone();
        jit::internals::opt::optimize(&mut optimised);
        let native = $f::lower($($a),+).compile();
        let baseline = $f::lower($($a),+).compile_at(IsaLevel::Baseline);
        if !jit::config::disabled() {
            for compiled in [&native, &baseline] {
                assert!(
                    compiled.is_native(),
                    "{}: {:?}",
                    stringify!($f),
                    compiled.fallback_reason()
                );
            }
        }
        for &($($a,)+) in &inputs {
            let program = format!("{}{:?}", stringify!($f), ($($a,)+));
            let want = scalars(&reference($($a),+));
            let args = vec![$(Element::to_scalar($a)),+];
            expect_same(&program, "the cached call", &scalars(&$f($($a),+)), &want);
            expect_same(&program, "native code", &native.run_scalars(&args), &want);
            expect_same(&program, "baseline code", &baseline.run_scalars(&args), &want);
            let traced = jit::internals::interp::run(&graph, &args);
            expect_same(&program, "the interpreter (traced graph)", &traced, &want);
            let opt = jit::internals::interp::run(&optimised, &args);
            expect_same(&program, "the interpreter (optimised graph)", &opt, &want);
        }
        assert_eq!($f::cache_size(), 1, "{}: recompiled", stringify!($f));
    }};
}

fn f32_edges() -> Vec<f32> {
    vec![
        0.0,
        -0.0,
        1.0,
        -1.0,
        0.5,
        -0.5,
        1.5,
        -2.5,
        0.3,
        -7.25,
        3.0,
        1e10,
        -123456.79,
        8388607.5,
        f32::EPSILON,
        f32::MIN_POSITIVE,
        f32::MIN_POSITIVE / 4.0,
        -f32::from_bits(1),
        f32::MAX,
        f32::MIN,
        f32::INFINITY,
        f32::NEG_INFINITY,
        f32::NAN,
        -f32::NAN,
    ]
}

fn f64_edges() -> Vec<f64> {
    vec![
        0.0,
        -0.0,
        1.0,
        -1.0,
        0.5,
        -0.5,
        1.5,
        -2.5,
        0.3,
        -7.25,
        3.0,
        1e300,
        -123456.789,
        4503599627370495.5,
        f64::EPSILON,
        f64::MIN_POSITIVE,
        f64::MIN_POSITIVE / 4.0,
        -f64::from_bits(1),
        f64::MAX,
        f64::MIN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
        -f64::NAN,
    ]
}

fn pairs<T: Copy>(xs: &[T]) -> Vec<(T, T)> {
    xs.iter()
        .flat_map(|&a| xs.iter().map(move |&b| (a, b)))
        .collect()
}

fn pairs_with<T: Copy, U: Copy>(xs: &[T], ys: &[U]) -> Vec<(T, U)> {
    xs.iter()
        .flat_map(|&a| ys.iter().map(move |&b| (a, b)))
        .collect()
}

fn singles<T: Copy>(xs: &[T]) -> Vec<(T,)> {
    xs.iter().map(|&x| (x,)).collect()
}

fn triples<T: Copy>(xs: &[T]) -> Vec<(T, T, T)> {
    pairs(xs)
        .into_iter()
        .flat_map(|(a, b)| xs.iter().map(move |&c| (a, b, c)))
        .collect()
}

// ---- float methods ----

#[jit]
fn unary_f32(x: f32) -> (f32, f32, f32, f32, bool, bool, bool, bool) {
    (
        x.trunc(),
        x.fract(),
        x.to_degrees(),
        x.to_radians(),
        x.is_nan(),
        x.is_finite(),
        x.is_infinite(),
        x.is_sign_positive(),
    )
}

#[jit]
fn bits_f32(x: f32) -> (bool, u32, f32, f32) {
    let bits = x.to_bits();
    (
        x.is_sign_negative(),
        bits,
        Tracer::f32_from_bits(bits),
        jnp::trunc(x),
    )
}

#[jit]
fn binary_f32(x: f32, y: f32) -> (f32, f32, f32, f32) {
    (
        x.copysign(y),
        x.rem_euclid(y),
        x.div_euclid(y),
        x.mul_add(y, y),
    )
}

#[jit]
fn fma_f32(x: f32, y: f32, z: f32) -> f32 {
    x.mul_add(y, z)
}

#[test]
fn f32_methods_are_rusts() {
    let edges = f32_edges();
    agrees!(
        unary_f32,
        |x: f32| (
            x.trunc(),
            x.fract(),
            x.to_degrees(),
            x.to_radians(),
            x.is_nan(),
            x.is_finite(),
            x.is_infinite(),
            x.is_sign_positive(),
        ),
        |x: f32| singles(&edges)
    );
    agrees!(
        bits_f32,
        |x: f32| (
            x.is_sign_negative(),
            x.to_bits(),
            f32::from_bits(x.to_bits()),
            x.trunc()
        ),
        |x: f32| singles(&edges)
    );
    // The sign of a NaN survives `to_bits` exactly (no arithmetic on it).
    assert_eq!(bits_f32(-f32::NAN).1, (-f32::NAN).to_bits());
    agrees!(
        binary_f32,
        |x: f32, y: f32| (
            x.copysign(y),
            x.rem_euclid(y),
            x.div_euclid(y),
            x.mul_add(y, y)
        ),
        |x: f32, y: f32| pairs(&edges)
    );
    agrees!(
        fma_f32,
        |x: f32, y: f32, z: f32| x.mul_add(y, z),
        |x: f32, y: f32, z: f32| triples(&edges)
    );
}

#[jit]
fn unary_f64(x: f64) -> (f64, f64, f64, f64, bool, bool, bool, bool) {
    (
        x.trunc(),
        x.fract(),
        x.to_degrees(),
        x.to_radians(),
        x.is_nan(),
        x.is_finite(),
        x.is_infinite(),
        x.is_sign_positive(),
    )
}

#[jit]
fn bits_f64(x: f64) -> (bool, i64, f64, f64) {
    let bits = x.to_bits();
    (
        x.is_sign_negative(),
        bits,
        Tracer::f64_from_bits(bits),
        jnp::trunc(x),
    )
}

#[jit]
fn binary_f64(x: f64, y: f64) -> (f64, f64, f64, f64) {
    (
        x.copysign(y),
        x.rem_euclid(y),
        x.div_euclid(y),
        x.mul_add(y, y),
    )
}

#[jit]
fn fma_f64(x: f64, y: f64, z: f64) -> f64 {
    x.mul_add(y, z)
}

#[test]
fn f64_methods_are_rusts() {
    let edges = f64_edges();
    agrees!(
        unary_f64,
        |x: f64| (
            x.trunc(),
            x.fract(),
            x.to_degrees(),
            x.to_radians(),
            x.is_nan(),
            x.is_finite(),
            x.is_infinite(),
            x.is_sign_positive(),
        ),
        |x: f64| singles(&edges)
    );
    agrees!(
        bits_f64,
        |x: f64| (
            x.is_sign_negative(),
            x.to_bits() as i64,
            f64::from_bits(x.to_bits()),
            x.trunc()
        ),
        |x: f64| singles(&edges)
    );
    assert_eq!(bits_f64(-f64::NAN).1, (-f64::NAN).to_bits() as i64);
    agrees!(
        binary_f64,
        |x: f64, y: f64| (
            x.copysign(y),
            x.rem_euclid(y),
            x.div_euclid(y),
            x.mul_add(y, y)
        ),
        |x: f64, y: f64| pairs(&edges)
    );
    agrees!(
        fma_f64,
        |x: f64, y: f64, z: f64| x.mul_add(y, z),
        |x: f64, y: f64, z: f64| triples(&edges)
    );
}

/// `x * x - p` with `p` the rounded square: only the fused product sees
/// the rounding error, so fused and unfused results differ, natively, at
/// the baseline level (a helper call on x86-64) and in the interpreter.
#[jit]
fn square_error(x: f64, p: f64) -> (f64, f64) {
    (x.mul_add(x, -p), x * x - p)
}

#[jit]
fn square_error_f32(x: f32, p: f32) -> (f32, f32) {
    (x.mul_add(x, -p), x * x - p)
}

#[test]
fn mul_add_rounds_once() {
    let x = 1.0 + f64::EPSILON;
    let (fused, unfused) = square_error(x, x * x);
    assert_eq!(unfused, 0.0);
    assert_eq!(fused, f64::EPSILON * f64::EPSILON);
    let inputs: Vec<(f64, f64)> = [1.0 + f64::EPSILON, 1.0 / 3.0, 0.1, 1e154, 3.0]
        .iter()
        .map(|&x| (x, x * x))
        .collect();
    agrees!(
        square_error,
        |x: f64, p: f64| (x.mul_add(x, -p), x * x - p),
        |x: f64, p: f64| inputs
    );
    let inputs: Vec<(f32, f32)> = [1.0 + f32::EPSILON, 1.0 / 3.0, 0.1, 1e19, 3.0]
        .iter()
        .map(|&x| (x, x * x))
        .collect();
    agrees!(
        square_error_f32,
        |x: f32, p: f32| (x.mul_add(x, -p), x * x - p),
        |x: f32, p: f32| inputs
    );
    let y = 1.0f32 + f32::EPSILON;
    assert_ne!(square_error_f32(y, y * y).0, 0.0);
}

#[jit]
fn fma_loss(x: f64, a: f64, b: f64) -> f64 {
    x.mul_add(a, b) * x
}

#[test]
fn mul_add_has_the_derivative_of_x_times_a_plus_b() {
    // d/dx [(x a + b) x] = 2 a x + b
    let (x, a, b) = (1.5, -2.0, 0.25);
    assert_eq!(fma_loss::grad(x, a, b), 2.0 * a * x + b);
    let (value, grad) = fma_loss::value_and_grad(x, a, b);
    assert_eq!(value, x.mul_add(a, b) * x);
    assert_eq!(grad, 2.0 * a * x + b);
}

#[jit]
fn copysign_loss(x: f64, s: f64) -> f64 {
    x.copysign(s) * 3.0
}

#[jit]
fn euclid_loss(x: f64) -> f64 {
    x.rem_euclid(2.0) + x.fract() + x.to_degrees()
}

#[test]
fn composed_float_methods_have_jaxs_derivatives() {
    // copysign: sign(x) * sign(s) * 3 (as `jnp.copysign`'s).
    assert_eq!(copysign_loss::grad(2.0, -1.0), -3.0);
    assert_eq!(copysign_loss::grad(-2.0, -1.0), 3.0);
    // rem_euclid and fract: slope 1 between jumps; to_degrees: 180 / pi.
    let want = 1.0 + 1.0 + 1.0f64.to_degrees();
    assert_eq!(euclid_loss::grad(-3.25), want);
    assert_eq!(euclid_loss::grad(5.5), want);
}
