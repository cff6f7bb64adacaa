//! `jit::numpy` (`jnp` in the prelude): NumPy's names for staged operations,
//! with JAX's semantics where they differ from the `f32`-named methods of
//! [`Tracer`].
//!
//! Arguments are anything an operator takes ([`IntoTracer`]): tracers, Rust
//! scalars (strong, with their Rust dtype) and `Array`s; an unsuffixed
//! literal written in a `#[jit]` body as an argument of a `jnp::` function
//! is weak, as in an operator. Structural arguments (axes, shapes, counts)
//! take Rust integers or literals written in the body, whose values are
//! known while tracing.

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

pub use crate::trace::array_ops::{
    Axes, OneAxis, Shape, all, any, argmax, argmin, broadcast_to, dot, expand_dims, matmul, max,
    mean, min, prod, squeeze, sum,
};

use crate::dtype::{DType, Ty, float_result};
use crate::scalar::Scalar;
use crate::trace::array_ops::{self, creation_shape, fill, iota, static_int};
use crate::trace::ops::{cast_recorded, select, unary};

macro_rules! ufuncs {
    ($($(#[$doc:meta])* $name:ident => $op:ident;)*) => {$(
        $(#[$doc])*
        pub fn $name(x: impl IntoTracer) -> Tracer {
            unary(Op::$op, x.into_tracer())
        }
    )*};
}

ufuncs! {
    /// Sine, elementwise; integers become the default float first.
    sin => Sin;
    /// Cosine, elementwise.
    cos => Cos;
    /// Tangent, elementwise.
    tan => Tan;
    /// `e^x`, elementwise.
    exp => Exp;
    /// Natural logarithm, elementwise.
    log => Log;
    /// Square root, elementwise.
    sqrt => Sqrt;
    /// Hyperbolic tangent, elementwise.
    tanh => Tanh;
    /// Absolute value, elementwise (integers wrap).
    abs => Abs;
    /// `-x`, elementwise.
    negative => Neg;
}

/// Largest integer not above `x`, elementwise (integers as they are).
pub fn floor(x: impl IntoTracer) -> Tracer {
    x.into_tracer().floor()
}

/// Smallest integer not below `x`, elementwise (integers as they are).
pub fn ceil(x: impl IntoTracer) -> Tracer {
    x.into_tracer().ceil()
}

macro_rules! binaries {
    ($($(#[$doc:meta])* $name:ident => $op:ident;)*) => {$(
        $(#[$doc])*
        pub fn $name(a: impl IntoTracer, b: impl IntoTracer) -> Tracer {
            binary(Op::$op, a.into_tracer(), b.into_tracer())
        }
    )*};
}

binaries! {
    /// `a + b`, elementwise with broadcasting.
    add => Add;
    /// `a - b`, elementwise with broadcasting.
    subtract => Sub;
    /// `a * b`, elementwise with broadcasting.
    multiply => Mul;
    /// `a < b`, elementwise.
    less => Lt;
    /// `a <= b`, elementwise.
    less_equal => Le;
    /// `a > b`, elementwise.
    greater => Gt;
    /// `a >= b`, elementwise.
    greater_equal => Ge;
    /// `a == b`, elementwise.
    equal => Eq;
    /// `a != b`, elementwise.
    not_equal => Ne;
}

/// True division, as `jnp.divide` (JAX's `/`): integers and bools become
/// the default float first.
pub fn divide(a: impl IntoTracer, b: impl IntoTracer) -> Tracer {
    let (a, b) = (a.into_tracer(), b.into_tracer());
    let ty = crate::dtype::promote(a.ty(), b.ty());
    let to_float = |t: Tracer| {
        if ty.dtype.is_float() {
            t
        } else {
            t.coerce(float_result(ty))
        }
    };
    binary(Op::Div, to_float(a), to_float(b))
}

/// Division rounded toward negative infinity, as `jnp.floor_divide`
/// (JAX's `//`): `floor(a / b)` for floats; for integers the truncated
/// quotient less one where the remainder is non-zero and its sign differs
/// from the divisor's.
pub fn floor_divide(a: impl IntoTracer, b: impl IntoTracer) -> Tracer {
    let (a, b) = (a.into_tracer(), b.into_tracer());
    let ty = crate::dtype::promote(a.ty(), b.ty());
    let (a, b) = (a.coerce(ty), b.coerce(ty));
    if ty.dtype.is_float() {
        return binary(Op::Div, a, b).floor();
    }
    let q = binary(Op::Div, a, b);
    if ty.dtype == DType::U32 || ty.dtype == DType::Bool {
        return q;
    }
    let r = binary(Op::Rem, a, b);
    let zero = Tracer::weak(Scalar::I32(0));
    let r_nonzero = binary(Op::Ne, r, zero);
    let signs_differ = binary(Op::Ne, binary(Op::Lt, r, zero), binary(Op::Lt, b, zero));
    let adjust = binary(Op::And, r_nonzero, signs_differ);
    select(adjust, binary(Op::Sub, q, Tracer::weak(Scalar::I32(1))), q)
}

/// `on_true` where `pred`, else `on_false`, elementwise with broadcasting,
/// as `jnp.where`.
pub fn where_(
    pred: impl IntoTracer,
    on_true: impl IntoTracer,
    on_false: impl IntoTracer,
) -> Tracer {
    select(pred, on_true, on_false)
}

/// `x` limited to `[lo, hi]`, as `jnp.clip`: NaN stays NaN.
pub fn clip(x: impl IntoTracer, lo: impl IntoTracer, hi: impl IntoTracer) -> Tracer {
    x.into_tracer().clamp(lo, hi)
}

/// `x` with dimensions permuted: result dimension `k` is `x`'s dimension
/// `axes[k]`, as `jnp.transpose(x, axes)`.
pub fn transpose(x: impl IntoTracer, axes: impl Shape) -> Tracer {
    array_ops::transpose(x.into_tracer(), axes)
}

/// `x` in a new shape (one size may be `-1`), as `jnp.reshape`.
pub fn reshape(x: impl IntoTracer, shape: impl Shape) -> Tracer {
    array_ops::reshape(x.into_tracer(), shape)
}

/// The arrays joined along `axis`, as `jnp.concatenate`.
pub fn concatenate<T: IntoTracer, const N: usize>(parts: [T; N], axis: impl OneAxis) -> Tracer {
    let parts: Vec<Tracer> = parts.into_iter().map(IntoTracer::into_tracer).collect();
    array_ops::concatenate(&parts, axis.axis().unwrap_or(0))
}

/// The arrays stacked along a new axis `axis`, as `jnp.stack`.
pub fn stack<T: IntoTracer, const N: usize>(parts: [T; N], axis: impl OneAxis) -> Tracer {
    let parts: Vec<Tracer> = parts.into_iter().map(IntoTracer::into_tracer).collect();
    array_ops::stack(&parts, axis.axis().unwrap_or(0))
}

/// A Rust scalar or `Array` (or a tracer) as a value of the trace, as
/// `jnp.asarray`.
pub fn asarray(x: impl IntoTracer) -> Tracer {
    x.into_tracer()
}

/// What `arange` counts to: an integer (an `i32` result) or a float (the
/// default float).
pub trait ArangeStop {
    /// The count and the result's dtype.
    fn count_and_dtype(self) -> (usize, DType);
}

macro_rules! arange_int {
    ($($t:ty),*) => {$(
        impl ArangeStop for $t {
            fn count_and_dtype(self) -> (usize, DType) {
                ((self as i64).max(0) as usize, DType::I32)
            }
        }
    )*};
}
arange_int!(i32, i64, usize);

impl ArangeStop for f64 {
    fn count_and_dtype(self) -> (usize, DType) {
        (self.ceil().max(0.0) as usize, DType::F32)
    }
}

impl ArangeStop for Tracer {
    fn count_and_dtype(self) -> (usize, DType) {
        match self.literal_value() {
            Some(v) if v.dtype().is_float() => v.as_f64().count_and_dtype(),
            _ => (
                (static_int(self, "arange's stop")).max(0) as usize,
                DType::I32,
            ),
        }
    }
}

/// `0, 1, .., stop - 1`, as `jnp.arange(stop)`: `i32` for an integer
/// `stop`, `f32` for a float one.
pub fn arange(stop: impl ArangeStop) -> Tracer {
    let (n, dtype) = stop.count_and_dtype();
    iota(dtype, vec![n], 0)
}

/// `num` evenly spaced values from `start` to `stop` inclusive, as
/// `jnp.linspace` (the default float unless an operand is wider), computed
/// as JAX does: `start * (1 - i / (num - 1)) + stop * (i / (num - 1))`,
/// with `stop` itself last.
pub fn linspace(start: impl IntoTracer, stop: impl IntoTracer, num: impl Shape) -> Tracer {
    let num = creation_shape(num, "linspace");
    let num = num.first().copied().unwrap_or(0);
    let (start, stop) = (start.into_tracer(), stop.into_tracer());
    let ty = float_result(crate::dtype::promote(start.ty(), stop.ty()));
    let ty = Ty::strong(ty.dtype);
    let (start, stop) = (
        cast_recorded(start, ty.dtype),
        cast_recorded(stop, ty.dtype),
    );
    if num == 0 {
        return fill(
            Tracer::constant(Scalar::F64(0.0).convert(ty.dtype)),
            vec![0],
        );
    }
    if num == 1 {
        return array_ops::reshape(start, [1]);
    }
    let div = Tracer::constant(Scalar::F64((num - 1) as f64).convert(ty.dtype));
    let steps = binary(Op::Div, iota(ty.dtype, vec![num - 1], 0), div);
    let one = Tracer::constant(Scalar::F64(1.0).convert(ty.dtype));
    let start1 = array_ops::reshape(start, [1]);
    let stop1 = array_ops::reshape(stop, [1]);
    let body = binary(
        Op::Add,
        binary(Op::Mul, start1, binary(Op::Sub, one, steps)),
        binary(Op::Mul, stop1, steps),
    );
    array_ops::concatenate(&[body, stop1], 0)
}

/// An array of `shape` filled with `value`'s dtype zero.
pub fn zeros(shape: impl Shape, dtype: DType) -> Tracer {
    full_of(shape, Scalar::I32(0).convert(dtype), "zeros")
}

/// An array of `shape` filled with ones of `dtype`.
pub fn ones(shape: impl Shape, dtype: DType) -> Tracer {
    full_of(shape, Scalar::I32(1).convert(dtype), "ones")
}

fn full_of(shape: impl Shape, value: Scalar, what: &str) -> Tracer {
    fill(Tracer::constant(value), creation_shape(shape, what))
}

/// An array of `shape` filled with `value`, as `jnp.full` (a weak literal
/// stays weak: `full([2], 7.0)` is a weak `f32`, as in JAX).
pub fn full(shape: impl Shape, value: impl IntoTracer) -> Tracer {
    fill(value.into_tracer(), creation_shape(shape, "full"))
}

/// Zeros of `x`'s shape and dtype, as `jnp.zeros_like`.
pub fn zeros_like(x: impl IntoTracer) -> Tracer {
    let x = x.into_tracer();
    zeros(x.shape(), x.dtype())
}

/// Ones of `x`'s shape and dtype, as `jnp.ones_like`.
pub fn ones_like(x: impl IntoTracer) -> Tracer {
    let x = x.into_tracer();
    ones(x.shape(), x.dtype())
}

/// `value` in `x`'s shape and dtype, as `jnp.full_like`.
pub fn full_like(x: impl IntoTracer, value: impl IntoTracer) -> Tracer {
    let x = x.into_tracer();
    let value = value.into_tracer().coerce(Ty::strong(x.dtype()));
    fill(value, x.shape())
}

/// The `n`-by-`n` identity matrix of the default float, as `jnp.eye(n)`.
pub fn eye(n: impl Shape) -> Tracer {
    let n = creation_shape(n, "eye");
    let n = n.first().copied().unwrap_or(0);
    let rows = iota(DType::I32, vec![n, n], 0);
    let cols = iota(DType::I32, vec![n, n], 1);
    cast_recorded(binary(Op::Eq, rows, cols), DType::F32)
}
