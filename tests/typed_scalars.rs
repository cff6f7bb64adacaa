//! Rust values of a known type are strong, literals are weak.
//!
//! A suffixed literal, a typed binding, a constant, a static argument or a
//! `Vec<i64>` carry has its Rust dtype, strongly, as a NumPy scalar does in
//! JAX; only unsuffixed literals written in a `#[jit]` body (and names bound
//! to one, `let k = 2.0;`) are weak, as Python scalars are. Each case is
//! checked through the cached call, and its dtype while tracing.

use jit::prelude::*;

#[jit]
fn fib(n: i32) -> i64 {
    lax::fori_loop(0, n, |_i, (a, b)| (b, a + b), (0i64, 1i64)).0
}

#[jit]
fn growth(n: i32) -> f64 {
    lax::fori_loop(0, n, |_i, a| a * 1.1, 1.0f64)
}

#[test]
fn suffixed_literal_carries_keep_their_dtype() {
    let mut want = (0i64, 1i64);
    for _ in 0..90 {
        want = (want.1, want.0.wrapping_add(want.1));
    }
    assert_eq!(fib(90), want.0);
    assert_eq!(fib(90), 2880067194370816120);
    let mut a = 1.0f64;
    for _ in 0..10 {
        a *= 1.1;
    }
    assert_eq!(growth(10), a);
    assert_eq!(growth(10), 2.5937424601000023);
}

/// A weak `i32` tracer holding `n` (a loop of weak literals stays weak).
fn weak_count(n: Tracer) -> Tracer {
    let w = lax::fori_loop(0i32, n, |_i, c| c + jit::__private::weak_int(1), {
        jit::__private::weak_int(0)
    });
    assert!(w.is_weak(), "a loop of weak literals is weak");
    w
}

/// Checks a traced value's dtype and strength while tracing.
#[track_caller]
fn strong(t: Tracer, dtype: DType) -> Tracer {
    assert_eq!(t.dtype(), dtype);
    assert!(!t.is_weak(), "{dtype} value is weak");
    t
}

/// For each numeric type: a typed value as a loop carry, as an operand
/// beside a weak tracer, and as a branch result keeps its dtype, strongly.
macro_rules! numeric_cases {
    ($($module:ident: $t:ty = $value:expr, $dtype:ident;)*) => {$(
        mod $module {
            use super::*;

            #[jit]
            fn carry(n: i32) -> $t {
                let v: $t = $value;
                strong(lax::fori_loop(0, n, |_i, c| c, v), DType::$dtype)
            }

            #[jit]
            fn operand(n: i32) -> $t {
                let v: $t = $value;
                strong(weak_count(n) + v, DType::$dtype)
            }

            #[jit]
            fn branch(p: bool) -> $t {
                let (v, one): ($t, $t) = ($value, 1 as $t);
                strong(lax::cond(p, || v, || one), DType::$dtype)
            }

            #[jit]
            fn selected(p: bool) -> $t {
                let v: $t = $value;
                strong(lax::select(p, 2, v), DType::$dtype)
            }

            #[test]
            fn keeps_its_dtype_as_carry_operand_and_branch() {
                let v: $t = $value;
                assert_eq!(carry(3), v);
                assert_eq!(operand(3), v + (3 as $t));
                assert_eq!(branch(true), v);
                assert_eq!(branch(false), 1 as $t);
                assert_eq!(selected(true), 2 as $t);
                assert_eq!(selected(false), v);
            }
        }
    )*};
}

numeric_cases! {
    f32_values: f32 = 0.1f32, F32;
    f64_values: f64 = 0.1, F64;
    i32_values: i32 = -7, I32;
    i64_values: i64 = 1 << 40, I64;
    u32_values: u32 = 4_000_000_000, U32;
}

#[jit]
fn bool_values(p: bool, n: i32) -> (bool, bool, bool) {
    let t: bool = true;
    let carried = strong(lax::fori_loop(0, n, |_i, c| !c, t), DType::Bool);
    let branch = strong(lax::cond(p, || t, || false), DType::Bool);
    let selected = strong(lax::select(p, false, t), DType::Bool);
    (carried, branch, selected)
}

#[test]
fn bool_values_keep_their_dtype() {
    assert_eq!(bool_values(true, 3), (false, true, false));
    assert_eq!(bool_values(false, 2), (true, false, true));
    assert_eq!(bool_values(false, 1), (false, false, true));
}

/// A typed constant is strong: `f32 * f64` is an `f64`, as JAX computes
/// `float32 * np.float64`.
const SCALE: f64 = 1.1;

#[jit]
fn scaled(x: f32) -> f64 {
    strong(x * SCALE, DType::F64)
}

#[test]
fn a_typed_constant_promotes() {
    assert_eq!(scaled(2.0), 2.0f32 as f64 * 1.1);
}

/// A static `Vec<i64>` as a loop carry: every element stays an `i64`.
#[jit(static = start)]
fn doubled(n: i32, start: Vec<i64>) -> (i64, i64) {
    let v = lax::fori_loop(
        0,
        n,
        |_i, v: Vec<Tracer>| v.iter().map(|&e| e * 2).collect(),
        start,
    );
    (strong(v[0], DType::I64), strong(v[1], DType::I64))
}

#[test]
fn a_vec_of_i64_carry_stays_i64() {
    assert_eq!(doubled(3, vec![1 << 40, -5]), (8 << 40, -40));
}

/// Unsuffixed literals and names bound to them are weak: they take the
/// dtype of the tracer they meet, in operators, `lax` arguments, value
/// methods and `vec!` carries.
#[jit]
fn weak_literals(x: f32, u: u32, n: i32) -> (f32, u32, f32, u32, f32) {
    let lr = 0.1;
    let step = 2;
    let a = x - lr * x;
    let b = u.max(0) + step;
    let c = lax::fori_loop(0, n, |_i, c| c * 0.5, 1.0) + x;
    let d = lax::select(x > 0.0, u, 7);
    let v = lax::fori_loop(0, n, |_i, v: Vec<Tracer>| v, vec![1.0, 2.0]);
    (a, b, c, d, v[0] + v[1])
}

#[test]
fn unsuffixed_literals_and_literal_bindings_are_weak() {
    assert_eq!(
        weak_literals(2.0, 5, 2),
        (2.0f32 - 0.1f32 * 2.0f32, 7, 0.25 + 2.0, 5, 3.0)
    );
    let jaxpr = weak_literals::make_jaxpr(2.0, 5, 2).to_string();
    assert!(!jaxpr.contains("f64"), "{jaxpr}");
    assert!(!jaxpr.contains("i64"), "{jaxpr}");
}

/// A typed binding is strong: `let k: f64 = 0.1;` makes `x * k` an `f64`.
#[jit]
fn typed_binding(x: f32) -> f64 {
    let k: f64 = 0.1;
    strong(x * k, DType::F64)
}

#[test]
fn a_typed_binding_is_strong() {
    assert_eq!(typed_binding(3.0), 3.0 * 0.1);
}
