//! What the sections share: results flattened to scalars and compared by
//! bits, the `agrees!` check of a program against its plain-Rust
//! reference through four paths, XLA's integer division and remainder,
//! NaN-propagating `max`, and edge values of `f32`.

#[path = "../support/flat.rs"]
mod flat;
pub(crate) use flat::{expect_same, scalars};

/// Checks program `$f` against `$reference` on every input: the cached call,
/// `$f::lower(..).compile()`, and the interpreter on the traced and on the
/// optimised graph all give the reference's bits, and one compile serves
/// every input.
macro_rules! agrees {
    ($f:ident, $reference:expr, |$a:ident: $t:ty| [$($input:expr),+ $(,)?]) => {
        $crate::common::agrees!($f, $reference, |$a: $t,| [$(($input,)),+])
    };
    ($f:ident, $reference:expr, |$($a:ident: $t:ty),+ $(,)?| [$($input:expr),+ $(,)?]) => {{
        let inputs: Vec<($($t,)+)> = vec![$($input),+];
        let reference = $reference;
        let ($($a,)+) = inputs[0];
        let graph = $f::make_jaxpr($($a),+).graph().clone();
        let mut optimised = graph.clone();
        jit::internals::opt::optimize(&mut optimised);
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
            let want = $crate::common::scalars(&reference($($a),+));
            let args = vec![$(jit::Element::to_scalar($a)),+];
            $crate::common::expect_same(&program, "the cached call", &$crate::common::scalars(&$f($($a),+)), &want);
            $crate::common::expect_same(&program, "f::lower(..).compile()", &compiled.run_scalars(&args), &want);
            $crate::common::expect_same(&program, "the interpreter (traced graph)", &jit::internals::interp::run(&graph, &args), &want);
            $crate::common::expect_same(&program, "the interpreter (optimised graph)", &jit::internals::interp::run(&optimised, &args), &want);
        }
        assert_eq!($f::cache_size(), 1, "{}: a new traced value recompiled", stringify!($f));
    }};
}
pub(crate) use agrees;

// XLA's integer division and remainder (`jax-reference.md`): `x / 0 == -1`
// (all ones for `u32`), `x % 0 == x`, `MIN / -1 == MIN`, `MIN % -1 == 0`.

pub(crate) fn div_i32(a: i32, b: i32) -> i32 {
    if b == 0 { -1 } else { a.wrapping_div(b) }
}

pub(crate) fn rem_i32(a: i32, b: i32) -> i32 {
    if b == 0 { a } else { a.wrapping_rem(b) }
}

pub(crate) fn div_u32(a: u32, b: u32) -> u32 {
    a.checked_div(b).unwrap_or(u32::MAX)
}

pub(crate) fn rem_u32(a: u32, b: u32) -> u32 {
    a.checked_rem(b).unwrap_or(a)
}

pub(crate) fn div_i64(a: i64, b: i64) -> i64 {
    if b == 0 { -1 } else { a.wrapping_div(b) }
}

pub(crate) fn rem_i64(a: i64, b: i64) -> i64 {
    if b == 0 { a } else { a.wrapping_rem(b) }
}

/// `jnp.maximum` on floats: NaN if either operand is NaN, -0 below +0.
pub(crate) fn max_f32(a: f32, b: f32) -> f32 {
    if a.is_nan() || b.is_nan() {
        f32::NAN
    } else if a > b || (a == b && b.is_sign_negative()) {
        a
    } else {
        b
    }
}

pub(crate) const F32_EDGES: [f32; 8] = [
    0.0,
    -0.0,
    1.5,
    -2.25,
    f32::NAN,
    f32::INFINITY,
    f32::NEG_INFINITY,
    3.0e38,
];
