//! Every traced scalar type, JAX's promotion between them, weak literals,
//! and the `f32`-named methods, through native code.

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
    assert_eq!(
        mixed_ints::make_jaxpr(1, 2).to_string(),
        "{ lambda ; a:u32[] b:i32[]. let\n    c:i64[] = convert_element_type[new_dtype=int64 weak_type=False] a\n    d:i64[] = convert_element_type[new_dtype=int64 weak_type=False] b\n    e:i64[] = add c d\n  in (e,) }"
    );
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
    (x.max(y), x.min(y), x == y, x != y)
}

#[test]
fn min_max_propagate_nan_like_jax() {
    let (max, min, eq, ne) = nan_aware(f32::NAN, 1.0);
    assert!(max.is_nan() && min.is_nan());
    assert!(!eq && ne);
    assert_eq!(nan_aware(1.0, 2.0), (2.0, 1.0, false, true));
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
