//! What the random differential tests share: how many programs to run,
//! which elementwise ops they draw, and how results compare. Included by each with
//! `#[path = "support/mod.rs"] mod support;` (a directory without a
//! `main.rs` is no test target of its own).

use jit::DType;
use jit::internals::ir::Op;
use jit::scalar::Scalar;

/// `n` scaled by `JIT_TEST_SCALE` (a factor, default 1, e.g. `0.25` under
/// qemu, where code runs tens of times slower), never below 1.
pub fn scaled(n: usize) -> usize {
    let factor: f64 = std::env::var("JIT_TEST_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1.0);
    ((n as f64 * factor).round() as usize).max(1)
}

/// Equal dtypes and bits, or both NaN.
#[allow(
    dead_code,
    reason = "not every test that includes this compares scalars"
)]
pub fn same(a: Scalar, b: Scalar) -> bool {
    let nan = |s: Scalar| s.dtype().is_float() && s.as_f64().is_nan();
    a.dtype() == b.dtype() && (a.to_slot() == b.to_slot() || (nan(a) && nan(b)))
}

/// The elementwise ops valid on a dtype, which the random programs draw
/// from.
#[allow(
    dead_code,
    reason = "not every test that includes this draws elementwise ops"
)]
pub fn ops_for(dtype: DType) -> Vec<Op> {
    use Op::*;
    let mut ops = vec![Lt, Le, Gt, Ge, Eq, Ne, Max, Min];
    match dtype {
        DType::Bool => ops.extend([And, Or, Xor, Not]),
        DType::F32 | DType::F64 => {
            ops.extend([Add, Sub, Mul, Div, Rem, Neg, Abs, Floor, Ceil, Round, Sqrt]);
            // Transcendentals run the same algorithm natively and in the
            // interpreter, so they too must agree bit for bit.
            ops.extend([Exp, Log, Sin, Cos, Tan, Tanh]);
            // Inverse trigonometric and hyperbolic functions.
            ops.extend([
                Asin, Acos, Atan, Atan2, Sinh, Cosh, Asinh, Acosh, Atanh, Hypot,
            ]);
            // Rust semantics: the fused multiply-add.
            ops.push(Fma);
        }
        _ => {
            ops.extend([Add, Sub, Mul, Div, Rem, And, Or, Xor, Neg, Not, Abs]);
            // Rust semantics: XLA's shifts and the bit counts.
            ops.extend([
                ShiftLeft,
                ShiftRightArithmetic,
                ShiftRightLogical,
                PopulationCount,
                Clz,
            ]);
        }
    }
    ops
}
