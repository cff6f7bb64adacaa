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

#[path = "support/flat.rs"]
mod flat;
use flat::{expect_same, scalars};

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

/// The float methods of one dtype, traced (`$unary`, `$bits`, `$binary`,
/// `$fma`), and the test `$test` holding them to Rust's on `$edges`:
/// `$from_bits` is the tracer's constructor, `$to_bits` the reference's
/// `to_bits` in the traced result's dtype `$b` (the crate has no `u64`).
macro_rules! float_methods {
    (
        $test:ident, $t:ty, $b:ty, $edges:ident, $unary:ident, $bits:ident, $binary:ident,
        $fma:ident, $from_bits:ident, $to_bits:expr
    ) => {
        #[jit]
        fn $unary(x: $t) -> ($t, $t, $t, $t, bool, bool, bool, bool) {
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
        fn $bits(x: $t) -> (bool, $b, $t, $t) {
            let bits = x.to_bits();
            (
                x.is_sign_negative(),
                bits,
                Tracer::$from_bits(bits),
                jnp::trunc(x),
            )
        }

        #[jit]
        fn $binary(x: $t, y: $t) -> ($t, $t, $t, $t) {
            (
                x.copysign(y),
                x.rem_euclid(y),
                x.div_euclid(y),
                x.mul_add(y, y),
            )
        }

        #[jit]
        fn $fma(x: $t, y: $t, z: $t) -> $t {
            x.mul_add(y, z)
        }

        #[test]
        fn $test() {
            let edges = $edges();
            let to_bits: fn($t) -> $b = $to_bits;
            agrees!(
                $unary,
                |x: $t| (
                    x.trunc(),
                    x.fract(),
                    x.to_degrees(),
                    x.to_radians(),
                    x.is_nan(),
                    x.is_finite(),
                    x.is_infinite(),
                    x.is_sign_positive(),
                ),
                |x: $t| singles(&edges)
            );
            agrees!(
                $bits,
                |x: $t| (
                    x.is_sign_negative(),
                    to_bits(x),
                    <$t>::from_bits(x.to_bits()),
                    x.trunc()
                ),
                |x: $t| singles(&edges)
            );
            // The sign of a NaN survives `to_bits` exactly (no arithmetic on it).
            assert_eq!($bits(-<$t>::NAN).1, to_bits(-<$t>::NAN));
            agrees!(
                $binary,
                |x: $t, y: $t| (
                    x.copysign(y),
                    x.rem_euclid(y),
                    x.div_euclid(y),
                    x.mul_add(y, y)
                ),
                |x: $t, y: $t| pairs(&edges)
            );
            agrees!(
                $fma,
                |x: $t, y: $t, z: $t| x.mul_add(y, z),
                |x: $t, y: $t, z: $t| triples(&edges)
            );
        }
    };
}

float_methods!(
    f32_methods_are_rusts,
    f32,
    u32,
    f32_edges,
    unary_f32,
    bits_f32,
    binary_f32,
    fma_f32,
    f32_from_bits,
    f32::to_bits
);
float_methods!(
    f64_methods_are_rusts,
    f64,
    i64,
    f64_edges,
    unary_f64,
    bits_f64,
    binary_f64,
    fma_f64,
    f64_from_bits,
    |x| x.to_bits() as i64
);

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

// ---- integer methods ----

fn i32_edges() -> Vec<i32> {
    vec![
        0,
        1,
        -1,
        2,
        7,
        -7,
        100,
        31,
        32,
        33,
        63,
        64,
        0x1234_5678,
        -0x0f0f_0f10,
        i32::MIN,
        i32::MAX,
        i32::MIN + 1,
    ]
}

fn u32_edges() -> Vec<u32> {
    vec![
        0,
        1,
        2,
        7,
        100,
        31,
        32,
        33,
        63,
        64,
        0x1234_5678,
        0x8000_0000,
        0x7fff_ffff,
        u32::MAX,
        u32::MAX - 1,
    ]
}

fn i64_edges() -> Vec<i64> {
    vec![
        0,
        1,
        -1,
        2,
        7,
        -7,
        31,
        32,
        33,
        63,
        64,
        65,
        0x1234_5678_9abc_def0,
        -0x0f0f_0f0f_0f0f_0f10,
        i64::from(i32::MIN),
        i64::from(u32::MAX),
        i64::MIN,
        i64::MAX,
    ]
}

/// XLA's shifts, as `jnp.left_shift`/`jnp.right_shift` give them: the
/// amount read as unsigned; at the width or more, every bit is shifted out.
macro_rules! xla_shifts {
    ($left:ident, $right:ident, $t:ty, $u:ty) => {
        fn $left(x: $t, n: $t) -> $t {
            if (n as $u) >= <$t>::BITS as $u {
                0
            } else {
                x << n
            }
        }
        fn $right(x: $t, n: $t) -> $t {
            match (n as $u) < <$t>::BITS as $u {
                true => x >> n,
                // Signed: the sign fill; unsigned: every bit shifted out.
                false if <$t>::MIN != 0 => x >> (<$t>::BITS - 1),
                false => 0,
            }
        }
    };
}
xla_shifts!(xla_shl_i32, xla_shr_i32, i32, u32);
xla_shifts!(xla_shl_u32, xla_shr_u32, u32, u32);
xla_shifts!(xla_shl_i64, xla_shr_i64, i64, u64);

/// `div_euclid` and `rem_euclid` that never trap: `x.div_euclid(0) == x /
/// 0` (XLA's `-1`, `u32::MAX`) and `x.rem_euclid(0) == x`, as documented.
macro_rules! total_euclid {
    ($div:ident, $rem:ident, $t:ty, $zero_div:expr) => {
        fn $div(x: $t, y: $t) -> $t {
            if y == 0 {
                $zero_div
            } else {
                x.wrapping_div_euclid(y)
            }
        }
        fn $rem(x: $t, y: $t) -> $t {
            if y == 0 { x } else { x.wrapping_rem_euclid(y) }
        }
    };
}
total_euclid!(div_euclid_i32, rem_euclid_i32, i32, -1);
total_euclid!(div_euclid_u32, rem_euclid_u32, u32, u32::MAX);
total_euclid!(div_euclid_i64, rem_euclid_i64, i64, -1);

/// The integer methods of one dtype, traced (`$counts`, `$shifts`,
/// `$arith`), and the test `$test` holding them to Rust's on `$edges`:
/// `$amount` makes a shift amount Rust's `u32`, `$popcount` is
/// `jnp::bitwise_count`'s reference (of the absolute value when signed).
macro_rules! integer_methods {
    (
        $test:ident, $t:ty, $edges:ident, $counts:ident, $shifts:ident, $arith:ident,
        $amount:expr, $popcount:expr, $shl:ident, $shr:ident, $rem:ident, $div:ident
    ) => {
        #[jit]
        fn $counts(x: $t) -> (u32, u32, u32, u32, $t, $t, $t, u32) {
            (
                x.count_ones(),
                x.count_zeros(),
                x.leading_zeros(),
                x.trailing_zeros(),
                x.wrapping_neg(),
                x.pow(3),
                x.pow(0) + x.pow(13),
                jnp::bitwise_count(x),
            )
        }

        #[jit]
        fn $shifts(x: $t, n: $t) -> ($t, $t, $t, $t, $t, $t, $t, $t) {
            (
                x << n,
                x >> n,
                x.wrapping_shl(n),
                x.wrapping_shr(n),
                x.rotate_left(n),
                x.rotate_right(n),
                jnp::left_shift(x, n),
                jnp::right_shift(x, n),
            )
        }

        #[jit]
        fn $arith(x: $t, y: $t) -> ($t, $t, $t, $t, $t) {
            (
                x.rem_euclid(y),
                x.div_euclid(y),
                x.wrapping_add(y),
                x.wrapping_sub(y),
                x.wrapping_mul(y),
            )
        }

        #[test]
        fn $test() {
            let edges = $edges();
            let amount: fn($t) -> u32 = $amount;
            let popcount: fn($t) -> u32 = $popcount;
            agrees!(
                $counts,
                |x: $t| (
                    x.count_ones(),
                    x.count_zeros(),
                    x.leading_zeros(),
                    x.trailing_zeros(),
                    x.wrapping_neg(),
                    x.wrapping_pow(3),
                    x.wrapping_pow(0).wrapping_add(x.wrapping_pow(13)),
                    popcount(x),
                ),
                |x: $t| singles(&edges)
            );
            agrees!(
                $shifts,
                |x: $t, n: $t| (
                    x.wrapping_shl(amount(n)),
                    x.wrapping_shr(amount(n)),
                    x.wrapping_shl(amount(n)),
                    x.wrapping_shr(amount(n)),
                    x.rotate_left(amount(n)),
                    x.rotate_right(amount(n)),
                    $shl(x, n),
                    $shr(x, n),
                ),
                |x: $t, n: $t| pairs(&edges)
            );
            agrees!(
                $arith,
                |x: $t, y: $t| (
                    $rem(x, y),
                    $div(x, y),
                    x.wrapping_add(y),
                    x.wrapping_sub(y),
                    x.wrapping_mul(y),
                ),
                |x: $t, y: $t| pairs(&edges)
            );
        }
    };
}

integer_methods!(
    i32_methods_are_rusts,
    i32,
    i32_edges,
    counts_i32,
    shifts_i32,
    arith_i32,
    |n| n as u32,
    |x| x.wrapping_abs().count_ones(),
    xla_shl_i32,
    xla_shr_i32,
    rem_euclid_i32,
    div_euclid_i32
);
integer_methods!(
    u32_methods_are_rusts,
    u32,
    u32_edges,
    counts_u32,
    shifts_u32,
    arith_u32,
    |n| n,
    u32::count_ones,
    xla_shl_u32,
    xla_shr_u32,
    rem_euclid_u32,
    div_euclid_u32
);
integer_methods!(
    i64_methods_are_rusts,
    i64,
    i64_edges,
    counts_i64,
    shifts_i64,
    arith_i64,
    |n| n as u32,
    |x| x.wrapping_abs().count_ones(),
    xla_shl_i64,
    xla_shr_i64,
    rem_euclid_i64,
    div_euclid_i64
);

/// Amounts of another dtype convert to the shifted value's (as Rust's
/// `i64 << u32` keeps `i64`); literals and a Rust integer on the left.
#[jit]
fn mixed_shifts(x: i64, n: u32, m: i32) -> (i64, i64, i32, u32, i32, i64) {
    let mut y = x;
    y <<= 1;
    (x << n, x >> m, m << 3, 1 << n, m >> 33, y >> 70)
}

#[test]
fn shift_amounts_take_the_left_operands_dtype() {
    for (x, n, m) in [
        (-5i64, 3u32, 2i32),
        (i64::MIN, 63, 64),
        (7, 64, -1),
        (0x1234, 65, 33),
    ] {
        let mut y = x;
        y = y.wrapping_shl(1);
        assert_eq!(
            mixed_shifts(x, n, m),
            (
                x.wrapping_shl(n),
                x.wrapping_shr(m as u32),
                m.wrapping_shl(3),
                1u32.wrapping_shl(n),
                m.wrapping_shr(33),
                y.wrapping_shr(70),
            ),
            "{x} {n} {m}"
        );
    }
}

// ---- arrays: the fused kernel and the loop nests ----

/// Checks array results: the cached call's `native`, baseline code and the
/// interpreter on the traced graph give `want`'s elements, bit for bit.
fn arrays_agree(
    program: &str,
    graph: &jit::internals::ir::Graph,
    baseline: &jit::internals::pipeline::Compiled,
    inputs: &[Array],
    native: &[Array],
    want: &[Vec<Scalar>],
) {
    use jit::internals::value::Value;
    let values: Vec<Value> = inputs.iter().map(|a| Value::Array(a.clone())).collect();
    if !jit::config::disabled() {
        assert!(
            baseline.is_native(),
            "{program}: {:?}",
            baseline.fallback_reason()
        );
    }
    let paths = [
        (
            "the cached call",
            native.iter().map(|a| Value::Array(a.clone())).collect(),
        ),
        ("baseline code", baseline.run_values(&values)),
        (
            "the interpreter",
            jit::internals::interp::run_values(graph, &values),
        ),
    ];
    for (path, got) in paths {
        assert_eq!(got.len(), want.len(), "{program} through {path}");
        for (k, (g, w)) in got.iter().zip(want).enumerate() {
            expect_same(&format!("{program}, result {k}"), path, &g.elements(), w);
        }
    }
}

fn elements<T: Copy, R: Element>(xs: &[T], f: impl Fn(T) -> R) -> Vec<Scalar> {
    xs.iter().map(|&x| f(x).to_scalar()).collect()
}

fn elements2<T: Copy, U: Copy, R: Element>(
    xs: &[T],
    ys: &[U],
    f: impl Fn(T, U) -> R,
) -> Vec<Scalar> {
    xs.iter()
        .zip(ys)
        .map(|(&x, &y)| f(x, y).to_scalar())
        .collect()
}

#[jit]
fn float_arrays(x: &Array, y: &Array) -> (Array, Array, Array, Array, Array, Array, Array) {
    (
        x.trunc(),
        x.fract(),
        x.copysign(y),
        x.rem_euclid(y),
        x.mul_add(y, x),
        x.is_sign_negative(),
        x.to_bits(),
    )
}

#[test]
fn float_methods_on_arrays_in_one_kernel() {
    let edges = f32_edges();
    let (xs, ys): (Vec<f32>, Vec<f32>) = pairs(&edges).into_iter().unzip();
    let (x, y) = (Array::from(xs.clone()), Array::from(ys.clone()));
    let native = float_arrays(&x, &y);
    let want = [
        elements(&xs, f32::trunc),
        elements(&xs, f32::fract),
        elements2(&xs, &ys, f32::copysign),
        elements2(&xs, &ys, f32::rem_euclid),
        elements2(&xs, &ys, |a, b| a.mul_add(b, a)),
        elements(&xs, f32::is_sign_negative),
        elements(&xs, f32::to_bits),
    ];
    arrays_agree(
        "float_arrays",
        float_arrays::make_jaxpr(&x, &y).graph(),
        &float_arrays::lower(&x, &y).compile_at(IsaLevel::Baseline),
        &[x, y],
        &[
            native.0, native.1, native.2, native.3, native.4, native.5, native.6,
        ],
        &want,
    );
}

/// The operands of a loop-nest test from `n` edge values: `m`, `[2, n]`,
/// whose rows are the edges and the edges reversed (`rows`, flat), and `y`,
/// `[n]`, the edges reversed (`yy`: `y` once per row of `m`).
struct Nest<T> {
    rows: Vec<T>,
    n: usize,
    yy: Vec<T>,
    m: Array,
    y: Array,
}

impl<T: Element + Copy> Nest<T> {
    fn of(edges: &[T]) -> Nest<T> {
        let n = edges.len();
        let ys: Vec<T> = edges.iter().rev().copied().collect();
        let rows: Vec<T> = edges.iter().chain(&ys).copied().collect();
        let yy: Vec<T> = ys.iter().chain(&ys).copied().collect();
        Nest {
            m: Array::from_shape_vec(&[2, n], rows.clone()).unwrap(),
            y: Array::from(ys),
            rows,
            n,
            yy,
        }
    }
}

/// A `[2, n]` operand meeting an `[n]` one: not one kernel, so the loop nests.
#[jit]
fn float_nests(m: &Array, y: &Array) -> (Array, Array, Array, Array) {
    (
        m.mul_add(y, m),
        m.div_euclid(y),
        m.copysign(y),
        jnp::sum(m.fract(), 1),
    )
}

#[test]
fn float_methods_on_arrays_in_loop_nests() {
    let Nest { rows, n, yy, m, y } = Nest::of(&f64_edges());
    let native = float_nests(&m, &y);
    let fract_sums: Vec<f64> = rows
        .chunks(n)
        .map(|row| row.iter().fold(0.0, |acc, x| acc + x.fract()))
        .collect();
    let want = [
        elements2(&rows, &yy, |a, b| a.mul_add(b, a)),
        elements2(&rows, &yy, f64::div_euclid),
        elements2(&rows, &yy, f64::copysign),
        elements(&fract_sums, |s| s),
    ];
    arrays_agree(
        "float_nests",
        float_nests::make_jaxpr(&m, &y).graph(),
        &float_nests::lower(&m, &y).compile_at(IsaLevel::Baseline),
        &[m, y],
        &[native.0, native.1, native.2, native.3],
        &want,
    );
}

#[jit]
fn int_arrays(x: &Array, n: &Array) -> (Array, Array, Array, Array, Array, Array, Array) {
    (
        x << n,
        x >> n,
        x.rotate_left(n),
        x.count_ones(),
        x.leading_zeros(),
        x.trailing_zeros(),
        jnp::right_shift(x, n),
    )
}

#[test]
fn integer_methods_on_arrays_in_one_kernel() {
    let edges = i32_edges();
    let (xs, ns): (Vec<i32>, Vec<i32>) = pairs(&edges).into_iter().unzip();
    let (x, n) = (Array::from(xs.clone()), Array::from(ns.clone()));
    let native = int_arrays(&x, &n);
    let want = [
        elements2(&xs, &ns, |a, b| a.wrapping_shl(b as u32)),
        elements2(&xs, &ns, |a, b| a.wrapping_shr(b as u32)),
        elements2(&xs, &ns, |a, b| a.rotate_left(b as u32)),
        elements(&xs, i32::count_ones),
        elements(&xs, i32::leading_zeros),
        elements(&xs, i32::trailing_zeros),
        elements2(&xs, &ns, xla_shr_i32),
    ];
    arrays_agree(
        "int_arrays",
        int_arrays::make_jaxpr(&x, &n).graph(),
        &int_arrays::lower(&x, &n).compile_at(IsaLevel::Baseline),
        &[x, n],
        &[
            native.0, native.1, native.2, native.3, native.4, native.5, native.6,
        ],
        &want,
    );
}

#[jit]
fn int_nests(m: &Array, n: &Array) -> (Array, Array, Array, Array) {
    (
        m.rotate_right(n),
        m.wrapping_shr(n),
        jnp::left_shift(m, n),
        jnp::sum(m.count_zeros(), 1),
    )
}

#[test]
fn integer_methods_on_arrays_in_loop_nests() {
    let Nest {
        rows,
        n: k,
        yy: nn,
        m,
        y: n,
    } = Nest::of(&u32_edges());
    let native = int_nests(&m, &n);
    let zero_sums: Vec<u32> = rows
        .chunks(k)
        .map(|row| row.iter().map(|x| x.count_zeros()).sum())
        .collect();
    let want = [
        elements2(&rows, &nn, u32::rotate_right),
        elements2(&rows, &nn, u32::wrapping_shr),
        elements2(&rows, &nn, xla_shl_u32),
        elements(&zero_sums, |s| s),
    ];
    arrays_agree(
        "int_nests",
        int_nests::make_jaxpr(&m, &n).graph(),
        &int_nests::lower(&m, &n).compile_at(IsaLevel::Baseline),
        &[m, n],
        &[native.0, native.1, native.2, native.3],
        &want,
    );
}

// ---- generators ----

fn xorshift32_step(mut x: u32) -> u32 {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    x
}

/// Marsaglia's xorshift32, the same body as the plain Rust one.
#[jit]
fn xorshift32_stream(seed: u32, steps: &Array) -> (u32, Array) {
    lax::scan(
        |x, _step| {
            let mut x = x;
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x, x)
        },
        seed,
        steps,
    )
}

#[jit]
fn xorshift32_nth(seed: u32, n: i32) -> u32 {
    lax::fori_loop(
        0,
        n,
        |_, x| {
            let x = x ^ (x << 13);
            let x = x ^ (x >> 17);
            x ^ (x << 5)
        },
        seed,
    )
}

#[test]
fn xorshift32_gives_rusts_stream() {
    let steps = Array::from(vec![0u32; 1000]);
    for seed in [1u32, 2463534242, 0xdead_beef] {
        let mut x = seed;
        let want: Vec<u32> = (0..1000)
            .map(|_| {
                x = xorshift32_step(x);
                x
            })
            .collect();
        let (last, stream) = xorshift32_stream(seed, &steps);
        assert_eq!(stream.to_vec::<u32>().unwrap(), want);
        assert_eq!(last, want[999]);
        assert_eq!(xorshift32_nth(seed, 1000), want[999]);
        assert_eq!(xorshift32_nth(seed, 0), seed);
    }
}

/// O'Neill's PCG32 (XSH-RR, 64-bit state, the reference `pcg32_random_r`).
struct Pcg32 {
    state: u64,
    inc: u64,
}

impl Pcg32 {
    fn new(seed: u64, seq: u64) -> Pcg32 {
        let mut rng = Pcg32 {
            state: 0,
            inc: (seq << 1) | 1,
        };
        rng.next();
        rng.state = rng.state.wrapping_add(seed);
        rng.next();
        rng
    }

    fn next(&mut self) -> u32 {
        let old = self.state;
        self.state = old.wrapping_mul(6364136223846793005).wrapping_add(self.inc);
        let xorshifted = (((old >> 18) ^ old) >> 27) as u32;
        let rot = (old >> 59) as u32;
        xorshifted.rotate_right(rot)
    }
}

/// The same generator traced: the state is an `i64` (the crate has no
/// `u64`; wrapping arithmetic gives the same bits), so the logical shifts
/// of the reference mask the sign fill away.
#[jit]
fn pcg32_stream(state: i64, inc: i64, steps: &Array) -> (i64, Array) {
    lax::scan(
        |old, _step| {
            let next = old * 6364136223846793005i64 + inc;
            let high = (old >> 18) & 0x0000_3fff_ffff_ffffi64;
            let xorshifted = ((high ^ old) >> 27) as u32;
            let rot = ((old >> 59) & 31) as u32;
            (next, xorshifted.rotate_right(rot))
        },
        state,
        steps,
    )
}

#[test]
fn pcg32_gives_rusts_stream() {
    let steps = Array::from(vec![0u32; 500]);
    for (seed, seq) in [
        (42u64, 54u64),
        (0x853c49e6748fea9b, 0xda3e39cb94b95bdb),
        (0, 0),
    ] {
        let mut rng = Pcg32::new(seed, seq);
        let (state, inc) = (rng.state, rng.inc);
        let want: Vec<u32> = (0..500).map(|_| rng.next()).collect();
        let (last, stream) = pcg32_stream(state as i64, inc as i64, &steps);
        assert_eq!(stream.to_vec::<u32>().unwrap(), want);
        assert_eq!(last as u64, rng.state);
    }
    // The reference's published first outputs for seed 42, sequence 54.
    let mut rng = Pcg32::new(42, 54);
    let first: Vec<u32> = (0..3).map(|_| rng.next()).collect();
    assert_eq!(first, [0xa15c02b7, 0x7b47f409, 0xba1d3330]);
}

// ---- jaxprs ----

#[jit]
fn bit_ops(x: i32, n: i32) -> (i32, i32, u32, u32, f32, u32) {
    (
        jnp::left_shift(x, n),
        jnp::right_shift(x, n),
        x.count_ones(),
        x.leading_zeros(),
        Tracer::f32_from_bits(x),
        jnp::bitwise_count(x),
    )
}

#[jit]
fn shifted(x: u32, n: u32) -> (u32, u32) {
    (x << n, x >> 3)
}

#[jit]
fn fused(x: f32, y: f32) -> (f32, f32) {
    (x.mul_add(y, 1.0), x.trunc())
}

#[test]
fn jaxprs_print_jaxs_names() {
    expect![[r#"
        { lambda ; a:i32[] b:i32[]. let
            c:i32[] = shift_left a b
            d:i32[] = shift_right_arithmetic a b
            e:i32[] = population_count a
            f:u32[] = convert_element_type[new_dtype=uint32 weak_type=False] e
            g:i32[] = clz a
            h:u32[] = convert_element_type[new_dtype=uint32 weak_type=False] g
            i:f32[] = bitcast_convert_type[new_dtype=float32] a
            j:i32[] = abs a
            k:i32[] = population_count j
            l:u32[] = convert_element_type[new_dtype=uint32 weak_type=False] k
          in (c, d, f, h, i, l) }"#]]
    .assert_eq(&bit_ops::make_jaxpr(1, 2).to_string());
    expect![[r#"
        { lambda ; a:u32[] b:u32[]. let
            c:u32[] = and b 31:u32[]
            d:u32[] = shift_left a c
            e:u32[] = shift_right_logical a 3:u32[]
          in (d, e) }"#]]
    .assert_eq(&shifted::make_jaxpr(1, 2).to_string());
    expect![[r#"
        { lambda ; a:f32[] b:f32[]. let
            c:f32[] = fma a b 1.0:f32[]
            d:bool[] = lt a 0.0:f32[]
            e:f32[] = ceil a
            f:f32[] = floor a
            g:f32[] = select_n d f e
          in (c, g) }"#]]
    .assert_eq(&fused::make_jaxpr(1.0, 2.0).to_string());
}

#[jit]
fn weak_arguments(x: f32, n: u32) -> (f32, u32) {
    (
        x.copysign(-1.0) + x.rem_euclid(3.0) + x.div_euclid(2.0),
        n.wrapping_add(1)
            .wrapping_mul(3)
            .rotate_left(5)
            .wrapping_shl(2),
    )
}

#[test]
fn literal_arguments_of_value_methods_are_weak() {
    // An unsuffixed literal takes the receiver's dtype: nothing converts.
    let jaxpr = weak_arguments::make_jaxpr(1.0, 2).to_string();
    assert!(
        !jaxpr.contains("f64") && !jaxpr.contains("convert_element_type"),
        "{jaxpr}"
    );
    let (x, n) = (-7.5f32, 0x8000_0001u32);
    assert_eq!(
        weak_arguments(x, n),
        (
            x.copysign(-1.0) + x.rem_euclid(3.0) + x.div_euclid(2.0),
            n.wrapping_add(1)
                .wrapping_mul(3)
                .rotate_left(5)
                .wrapping_shl(2)
        )
    );
}

// ---- `jnp`'s bit functions against JAX's values ----

/// The integers of line `name` of `rust_semantics_jax.txt` (JAX 0.10.2,
/// `tests/rust_semantics_jax.py`).
fn jax_values(name: &str) -> Vec<i128> {
    include_str!("rust_semantics_jax.txt")
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{name}: ")))
        .unwrap_or_else(|| panic!("no line `{name}` in rust_semantics_jax.txt"))
        .split(", ")
        .map(|v| v.parse().expect("an integer"))
        .collect()
}

#[jit]
fn jnp_bits(x: &Array, n: &Array, xs: &Array) -> (Array, Array, Array) {
    (
        jnp::left_shift(x, n),
        jnp::right_shift(x, n),
        jnp::bitwise_count(xs),
    )
}

/// The grid of the script: every `x` with every `n`, `x` outer.
fn grid<T: Copy>(xs: &[T], ns: &[T]) -> (Vec<T>, Vec<T>) {
    xs.iter()
        .flat_map(|&x| ns.iter().map(move |&n| (x, n)))
        .unzip()
}

fn as_i128(a: &Array) -> Vec<i128> {
    jit::internals::value::Value::Array(a.clone())
        .elements()
        .iter()
        .map(|s| match *s {
            Scalar::I32(v) => i128::from(v),
            Scalar::U32(v) => i128::from(v),
            Scalar::I64(v) => i128::from(v),
            other => panic!("not an integer: {other:?}"),
        })
        .collect()
}

fn check_jnp_bits(dtype: &str, x: Array, n: Array, xs: Array) {
    let (left, right, count) = jnp_bits(&x, &n, &xs);
    assert_eq!(as_i128(&left), jax_values(&format!("left_shift {dtype}")));
    assert_eq!(as_i128(&right), jax_values(&format!("right_shift {dtype}")));
    assert_eq!(
        as_i128(&count),
        jax_values(&format!("bitwise_count {dtype}"))
    );
}

#[test]
fn jnp_bit_functions_give_jaxs_values() {
    let xs = [0, 1, -1, 7, -8, 0x12345678, i32::MIN, i32::MAX];
    let (x, n) = grid(&xs, &[0, 1, 31, 32, 33, 63, 64, -1]);
    check_jnp_bits("int32", x.into(), n.into(), xs.to_vec().into());
    let xs = [0, 1, 7, 0x12345678, 0x80000000, u32::MAX];
    let (x, n) = grid(&xs, &[0, 1, 31, 32, 33, 63, 64, u32::MAX]);
    check_jnp_bits("uint32", x.into(), n.into(), xs.to_vec().into());
    let xs = [0, 1, -1, -8, 0x123456789abcdef0, i64::MIN, i64::MAX];
    let (x, n) = grid(&xs, &[0, 1, 31, 32, 63, 64, 65, -1]);
    check_jnp_bits("int64", x.into(), n.into(), xs.to_vec().into());
}

#[jit]
fn integer_power(x: &Array, n: &Array) -> Array {
    jnp::power(x, n)
}

/// `jnp::power` of two integers stays integral, with JAX's six-bit binary
/// exponentiation: wrapping, `0^0 = 1`, and negative exponents as their
/// low bits give them.
#[test]
fn jnp_power_of_integers_gives_jaxs_values() {
    fn check(dtype: &str, x: Array, n: Array) {
        let native = integer_power(&x, &n);
        assert_eq!(as_i128(&native), jax_values(&format!("power {dtype}")));
        let graph = integer_power::make_jaxpr(&x, &n).graph().clone();
        let interpreted = jit::internals::interp::run_values(&graph, &[x.into(), n.into()]);
        let interpreted = interpreted[0]
            .clone()
            .into_array(graph.aval(graph.body.results[0]));
        assert_eq!(as_i128(&interpreted), as_i128(&native), "{dtype}");
    }
    let xs = [0, 1, -1, 2, -3, 7, 0x1234, i32::MIN, i32::MAX];
    let (x, n) = grid(&xs, &[0, 1, 2, 3, 5, 31, 63, 64, 65, -1, -2]);
    check("int32", x.into(), n.into());
    let xs = [0, 1, 2, 3, 7, 0x1234, u32::MAX];
    let (x, n) = grid(&xs, &[0, 1, 2, 3, 5, 31, 63, 64, 65, u32::MAX]);
    check("uint32", x.into(), n.into());
    let xs = [0, 1, -1, 2, -3, 7, 0x1234, i64::MIN, i64::MAX];
    let (x, n) = grid(&xs, &[0, 1, 2, 3, 5, 31, 63, 64, 65, -1, -2]);
    check("int64", x.into(), n.into());
}

#[test]
fn the_new_ops_print_as_jaxs_primitives() {
    let jax = include_str!("rust_semantics_jax.txt");
    let ours = bit_ops::make_jaxpr(1, 2).to_string();
    for eqn in [
        "shift_left a b",
        "shift_right_arithmetic a b",
        "population_count a",
        "clz a",
        "bitcast_convert_type[new_dtype=float32] a",
    ] {
        assert!(jax.contains(eqn), "JAX prints no `{eqn}`");
        assert!(ours.contains(eqn), "no `{eqn}` in\n{ours}");
    }
    let logical = shifted::make_jaxpr(1, 2).to_string();
    assert!(jax.contains("shift_right_logical a b"));
    assert!(logical.contains("shift_right_logical a"), "{logical}");
}

#[jit]
fn fma_array_loss(x: &Array, a: f32, b: &Array) -> f32 {
    // `a` and `b` broadcast against `x`: the cotangents sum back.
    jnp::sum(x.mul_add(a, b) * x, ..)
}

#[test]
fn mul_add_on_arrays_has_the_derivative_of_x_times_a_plus_b() {
    let x = Array::from(vec![1.0f32, -2.0, 0.5]);
    let b = Array::from(vec![0.25f32]);
    let a = 3.0f32;
    // d/dx_i [(x_i a + b) x_i] = 2 a x_i + b
    let g: Vec<f32> = fma_array_loss::grad(&x, a, &b).to_vec().unwrap();
    assert_eq!(g, vec![6.25, -11.75, 3.25]);
}
