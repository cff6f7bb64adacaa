//! Every traced scalar type, JAX's promotion between them, weak literals,
//! the `f32`-named methods, and integer division by literals (shifts and
//! multiplies), through native code.

use expect_test::expect;
use jit::prelude::*;

#[jit]
fn logic(a: bool, b: bool, x: i32) -> (bool, i32, bool) {
    (!a & b | (x > 3), x ^ 5, a ^ b)
}

#[test]
fn bool_parameters_and_bitwise_ops() {
    assert_eq!(logic(false, true, 0), (true, 5, true));
    assert_eq!(logic(true, true, 7), (true, 2, false));
    assert_eq!(logic(true, false, 1), (false, 4, true));
}

#[jit]
fn mixed_ints(a: u32, b: i32) -> i64 {
    // u32 and i32 meet at i64 in JAX's lattice.
    a + b
}

#[jit]
fn int_and_float(k: i64, x: f32) -> f32 {
    // Any integer meets f32 at f32.
    k * x
}

#[jit]
fn weak_literals(x: u32) -> u32 {
    // A literal takes the dtype of the tracer it meets: no promotion to i32.
    x * 3 + 1
}

#[test]
fn promotion_follows_jax() {
    assert_eq!(mixed_ints(u32::MAX, 1), u32::MAX as i64 + 1);
    assert_eq!(mixed_ints(0, -5), -5);
    assert_eq!(int_and_float(3, 0.5), 1.5);
    assert_eq!(weak_literals(7), 22);
    assert_eq!(
        weak_literals(u32::MAX),
        u32::MAX.wrapping_mul(3).wrapping_add(1)
    );
    expect![[r#"
        { lambda ; a:u32[] b:i32[]. let
            c:i64[] = convert_element_type[new_dtype=int64 weak_type=False] a
            d:i64[] = convert_element_type[new_dtype=int64 weak_type=False] b
            e:i64[] = add c d
          in (e,) }"#]]
    .assert_eq(&mixed_ints::make_jaxpr(1, 2).to_string());
}

#[jit]
fn methods(x: f64, y: f64) -> (f64, f64, f64, f64, f64, f64, f64, f64) {
    (
        x.abs().sqrt(),
        x.floor() + x.ceil(),
        x.round(),
        x.min(y),
        x.max(y),
        x.clamp(-1.0, 1.0),
        x.powi(3) + y.recip(),
        x.mul_add(2.0, y),
    )
}

#[test]
fn f64_methods_match_rust() {
    for &(x, y) in &[
        (2.5, -0.5),
        (-2.5, 4.0),
        (0.49999999999999994, 3.0),
        (-7.25, 0.125),
    ] {
        let got = methods(x, y);
        let want = (
            x.abs().sqrt(),
            x.floor() + x.ceil(),
            x.round(),
            x.min(y),
            x.max(y),
            x.clamp(-1.0, 1.0),
            x * x * x + 1.0 / y,
            x * 2.0 + y,
        );
        assert_eq!(got, want, "x = {x}, y = {y}");
    }
}

#[jit]
fn nan_aware(x: f32, y: f32) -> (f32, f32, bool, bool) {
    (jnp::maximum(x, y), jnp::minimum(x, y), x == y, x != y)
}

#[test]
fn jnp_maximum_and_minimum_propagate_nan_like_jax() {
    for (x, y) in [(f32::NAN, 1.0), (1.0, f32::NAN), (f32::NAN, f32::NAN)] {
        let (max, min, eq, ne) = nan_aware(x, y);
        assert!(max.is_nan() && min.is_nan(), "{x}, {y}");
        assert!(!eq && ne);
    }
    assert_eq!(nan_aware(1.0, 2.0), (2.0, 1.0, false, true));
}

#[jit]
fn jnp_extremes(x: f32, y: f64) -> (f32, f32, f64, f64) {
    (
        jnp::maximum(x, -x),
        jnp::minimum(x, -x),
        jnp::maximum(-y, y),
        jnp::minimum(-y, y),
    )
}

#[jit]
fn method_extremes(x: f32, y: f32) -> (f32, f32, f64, f64) {
    (x.max(y), x.min(y), (x as f64).max(y), (x as f64).min(y))
}

/// Bit patterns, so that the sign of a zero and NaN count.
fn bits4(v: (f32, f32, f64, f64)) -> (u32, u32, u64, u64) {
    (v.0.to_bits(), v.1.to_bits(), v.2.to_bits(), v.3.to_bits())
}

#[test]
fn zeros_of_two_signs_order_negative_first_in_either_order() {
    // JAX 0.10.2 (`tests/jax_values.py`): maximum(0.0, -0.0) and
    // maximum(-0.0, 0.0) are 0.0, the minimums -0.0.
    for x in [0.0, -0.0] {
        assert_eq!(
            bits4(jnp_extremes(x, x as f64)),
            bits4((0.0, -0.0, 0.0, -0.0)),
            "x = {x:?}"
        );
    }
    for (x, y) in [(0.0, -0.0), (-0.0, 0.0)] {
        assert_eq!(
            bits4(method_extremes(x, y)),
            bits4((0.0, -0.0, 0.0, -0.0)),
            "{x:?}, {y:?}"
        );
    }
}

#[test]
fn rust_named_max_and_min_return_the_operand_that_is_not_nan() {
    let nan = f32::NAN;
    assert_eq!(method_extremes(nan, 2.0), (2.0, 2.0, 2.0, 2.0));
    assert_eq!(method_extremes(-1.0, nan), (-1.0, -1.0, -1.0, -1.0));
    let (a, b, c, d) = method_extremes(nan, nan);
    assert!(a.is_nan() && b.is_nan() && c.is_nan() && d.is_nan());
    assert_eq!(method_extremes(1.0, 2.0), (2.0, 1.0, 2.0, 1.0));
    for (x, y) in [(3.5, -7.25), (f32::INFINITY, 1.0), (0.0, f32::NEG_INFINITY)] {
        let want = (
            x.max(y),
            x.min(y),
            (x as f64).max(y as f64),
            (x as f64).min(y as f64),
        );
        assert_eq!(method_extremes(x, y), want, "{x}, {y}");
    }
}

#[jit]
fn relu(x: f32) -> f32 {
    x.max(0.0)
}

#[test]
fn a_literal_operand_needs_no_nan_test() {
    assert_eq!(relu(-2.0), 0.0);
    assert_eq!(relu(3.0), 3.0);
    assert_eq!(relu(f32::NAN), 0.0);
    // Only `x` may be NaN: one test and one select beside the `max`.
    let jaxpr = relu::make_jaxpr(1.0).to_string();
    assert_eq!(jaxpr.matches(" ne ").count(), 1, "{jaxpr}");
    assert_eq!(jaxpr.matches("select_n").count(), 1, "{jaxpr}");
}

#[jit]
fn clamped(x: f32, lo: f32, hi: f32) -> f32 {
    x.clamp(lo, hi)
}

#[test]
fn clamp_keeps_nan_like_jnp_clip() {
    assert_eq!(clamped(5.0, 0.0, 1.0), 1.0);
    assert_eq!(clamped(-5.0, 0.0, 1.0), 0.0);
    assert!(clamped(f32::NAN, 0.0, 1.0).is_nan());
}

#[jit]
fn logs(x: f32) -> (f32, f32, f32) {
    (x.ln(), x.log2(), x.log10())
}

#[test]
fn logarithms_as_jnp_computes_them() {
    let (ln, log2, log10) = logs(8.0);
    assert_eq!(ln, 8.0f32.ln());
    assert!((log2 - 3.0).abs() <= f32::EPSILON * 4.0);
    assert!((log10 - 8.0f32.log10()).abs() <= f32::EPSILON * 4.0);
}

#[jit]
fn div_i32_a(x: i32) -> (i32, i32, i32, i32, i32, i32, i32, i32) {
    (x / 2, x % 2, x / 3, x % 3, x / -8, x % -8, x / 7, x % -7)
}

#[jit]
fn div_i32_b(x: i32) -> (i32, i32, i32, i32, i32, i32, i32, i32) {
    (
        x / i32::MIN,
        x % i32::MIN,
        x / 1000,
        x % 641,
        x / i32::MAX,
        x % 1_073_741_824,
        x / -1_073_741_824,
        x % 10,
    )
}

#[jit]
fn div_u32(x: u32) -> (u32, u32, u32, u32, u32, u32, u32, u32) {
    (
        x / 3,
        x % 7,
        x / u32::MAX,
        x % 0x8000_0001,
        x / 0x8000_0000,
        x % 16,
        x / 1,
        x % 641,
    )
}

#[jit]
fn div_i64(x: i64) -> (i64, i64, i64, i64, i64, i64, i64, i64) {
    (
        x / 4,
        x % 4,
        x / i64::MIN,
        x % i64::MIN,
        x / -4_611_686_018_427_387_904,
        x % 1_099_511_627_776,
        x / 3,
        x % -5,
    )
}

#[test]
fn integer_division_by_literals_matches_the_interpreter() {
    use jit::Element;
    fn check<T: Element + Copy + std::fmt::Debug>(
        name: &str,
        jaxpr: jit::Jaxpr,
        divides: bool,
        xs: impl IntoIterator<Item = T>,
    ) {
        let graph = jaxpr.graph().clone();
        let native = jit::internals::pipeline::compile_graph(graph.clone(), name);
        assert!(native.is_native(), "{name}: {:?}", native.fallback_reason());
        if cfg!(target_arch = "x86_64") {
            // Only x86-64 code is disassembled to text.
            let text = native.as_text();
            assert_eq!(text.contains("div "), divides, "{name}: {text}");
        }
        for x in xs {
            let args = [x.to_scalar()];
            assert_eq!(
                native.run_scalars(&args),
                jit::internals::interp::run(&graph, &args),
                "{name}({x:?})"
            );
        }
    }
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut i32s: Vec<i32> = vec![0, 1, -1, 2, -2, 3, -3, 7, -7, 8, -8, 641, -641, 1 << 30];
    i32s.extend([
        i32::MIN,
        i32::MIN + 1,
        i32::MAX,
        i32::MAX - 1,
        -(1 << 30),
        999,
        -1000,
    ]);
    i32s.extend((0..2000).map(|_| next() as i32));
    check("div_i32_a", div_i32_a::make_jaxpr(0), false, i32s.clone());
    check("div_i32_b", div_i32_b::make_jaxpr(0), false, i32s.clone());
    let mut u32s: Vec<u32> = vec![0, 1, 2, 3, 6, 7, 640, 641, u32::MAX, u32::MAX - 1];
    u32s.extend([0x8000_0000, 0x8000_0001, 0x8000_0002, 0x7fff_ffff]);
    u32s.extend((0..2000).map(|_| next() as u32));
    check("div_u32", div_u32::make_jaxpr(0), false, u32s);
    let mut i64s: Vec<i64> = vec![0, 1, -1, 4, -4, 5, -5, i64::MIN, i64::MAX, i64::MIN + 1];
    i64s.extend([1 << 62, -(1 << 62), (1 << 40) - 1, -(1 << 40)]);
    i64s.extend((0..2000).map(|_| next() as i64));
    // 64-bit divisors other than powers of two keep `idiv`.
    check("div_i64", div_i64::make_jaxpr(0), true, i64s);
}

// Inverse trigonometric and hyperbolic functions.
#[jit]
fn inverse_of_ints(n: i32, m: i32) -> (f32, f32, f32, f64) {
    (
        jnp::arcsin(n),
        jnp::arctan2(n, m),
        jnp::hypot(n, 4),
        (m as f64).acosh(),
    )
}

#[test]
fn inverse_functions_promote_integers_like_jax() {
    // JAX 0.10.2: `jnp.arcsin(int32)`, `jnp.arctan2(int32, int32)` and
    // `jnp.hypot(int32, 4)` are float32.
    let (a, t, h, c) = inverse_of_ints(1, 1);
    assert_eq!(a, std::f32::consts::FRAC_PI_2);
    assert_eq!(t, std::f32::consts::FRAC_PI_4);
    assert_eq!(h, 1.0f32.hypot(4.0));
    assert_eq!(c, 0.0);
    let text = inverse_of_ints::make_jaxpr(1, 1).to_string();
    for op in ["asin", "atan2", "hypot", "acosh"] {
        assert!(text.contains(&format!(" = {op} ")), "{op} in {text}");
    }
    assert!(
        text.contains("convert_element_type[new_dtype=float32"),
        "{text}"
    );
}
