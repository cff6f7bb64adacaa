//! `jit::numpy` (`jnp` in the prelude): NumPy's names for staged operations,
//! with JAX's semantics where they differ from the `f32`-named methods of
//! [`Tracer`].
//!
//! Arguments are anything an operator takes ([`IntoTracer`]): tracers and
//! Rust scalars (strong, with their Rust dtype); an unsuffixed literal
//! written in a `#[jit]` body as an argument of a `jnp::` function is weak,
//! as in an operator.

use crate::ir::Op;
use crate::trace::ops::binary;
use crate::trace::{IntoTracer, Tracer};

/// The larger of `a` and `b`, elementwise, as `jnp.maximum`: NaN if either
/// is NaN, and `-0.0` orders below `+0.0` (`maximum(0.0, -0.0)` is `0.0` in
/// either order). [`Tracer::max`] instead follows `f32::max`, which returns
/// the operand that is not NaN.
pub fn maximum(a: impl IntoTracer, b: impl IntoTracer) -> Tracer {
    binary(Op::Max, a.into_tracer(), b.into_tracer())
}

/// The smaller of `a` and `b`, elementwise, as `jnp.minimum`: NaN if either
/// is NaN, and `-0.0` orders below `+0.0` (`minimum(0.0, -0.0)` is `-0.0`).
/// [`Tracer::min`] instead follows `f32::min`.
pub fn minimum(a: impl IntoTracer, b: impl IntoTracer) -> Tracer {
    binary(Op::Min, a.into_tracer(), b.into_tracer())
}
