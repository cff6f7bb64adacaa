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
//!
//! Every function here is staged: it is called inside a `#[jit]` body (or a
//! `lax` closure) and returns a [`Tracer`]. The arrays a `#[jit]` function
//! takes and returns are [`Array`](crate::Array)s.
//!
//! | kind | functions |
//! |---|---|
//! | elementwise | [`sin`], [`cos`], [`tan`], [`arcsin`], [`arccos`], [`arctan`], [`arctan2`], [`sinh`], [`cosh`], [`arcsinh`], [`arccosh`], [`arctanh`], [`hypot`], [`exp`], [`log`], [`exp2`], [`expm1`], [`log1p`], [`log2`], [`log10`], [`power`], [`cbrt`], [`erf`], [`sigmoid`], [`sqrt`], [`tanh`], [`abs`], [`negative`], [`floor`], [`ceil`], [`add`], [`subtract`], [`multiply`], [`divide`], [`floor_divide`], [`maximum`], [`minimum`], [`clip`], [`where_`], comparisons ([`less`], [`equal`], ...) |
//! | reductions (`..` for every axis, an axis, or a list of axes) | [`sum`], [`mean`], [`max`], [`min`], [`prod`], [`argmax`], [`argmin`], [`any`], [`all`] |
//! | products | [`dot`], [`matmul`] |
//! | shapes | [`reshape`], [`transpose`], [`broadcast_to`], [`expand_dims`], [`squeeze`], [`concatenate`], [`stack`] |
//! | bits (JAX's semantics; the `i32`-named methods of [`Tracer`] have Rust's) | [`left_shift`], [`right_shift`], [`bitwise_count`], [`trunc`] |
//! | creation | [`arange`], [`linspace`], [`zeros`], [`ones`], [`full`], [`zeros_like`], [`ones_like`], [`full_like`], [`eye`], [`asarray`] |
//!
//! ```
//! use jit::prelude::*;
//!
//! #[jit]
//! fn softmax(x: &Array) -> Array {
//!     let e = jnp::exp(x - jnp::max(x, ..));
//!     e / jnp::sum(e, ..)
//! }
//!
//! # fn main() -> Result<(), jit::Error> {
//! let p = softmax(&Array::from(vec![0.0f32, 0.0, 0.0, 0.0]));
//! assert_eq!(p.to_vec::<f32>()?, vec![0.25; 4]);
//! # Ok(())
//! # }
//! ```

use crate::ir::Op;
use crate::trace::ops::binary;
use crate::trace::{IntoTracer, Tracer};

/// The larger of `a` and `b`, elementwise, as `jnp.maximum`: NaN if either
/// is NaN, and `-0.0` orders below `+0.0` (`maximum(0.0, -0.0)` is `0.0` in
/// either order). [`Tracer::max`] instead follows `f32::max`, which returns
/// the operand that is not NaN.
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn relu(x: &Array) -> Array {
///     jnp::maximum(x, 0.0)
/// }
///
/// #[jit]
/// fn max_nan(x: f32) -> f32 {
///     jnp::maximum(x, f32::NAN)
/// }
///
/// # fn main() -> Result<(), jit::Error> {
/// let x = Array::from(vec![-1.0f32, 0.5, 2.0]);
/// assert_eq!(relu(&x).to_vec::<f32>()?, vec![0.0, 0.5, 2.0]);
/// assert!(max_nan(1.0).is_nan()); // `x.max(f32::NAN)` would give 1.0
/// # Ok(())
/// # }
/// ```
pub fn maximum(a: impl IntoTracer, b: impl IntoTracer) -> Tracer {
    binary(Op::Max, a.into_tracer(), b.into_tracer())
}

/// The smaller of `a` and `b`, elementwise, as `jnp.minimum`: NaN if either
/// is NaN, and `-0.0` orders below `+0.0` (`minimum(0.0, -0.0)` is `-0.0`).
/// [`Tracer::min`] instead follows `f32::min`.
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn smaller(a: &Array, b: &Array) -> Array {
///     jnp::minimum(a, b)
/// }
///
/// # fn main() -> Result<(), jit::Error> {
/// let a = Array::from(vec![1, 5, 3]);
/// let b = Array::from(vec![4, 2, 3]);
/// assert_eq!(smaller(&a, &b).to_vec::<i32>()?, vec![1, 2, 3]);
/// # Ok(())
/// # }
/// ```
pub fn minimum(a: impl IntoTracer, b: impl IntoTracer) -> Tracer {
    binary(Op::Min, a.into_tracer(), b.into_tracer())
}

// Rust semantics: NumPy's bit functions, with JAX's semantics.

/// `a << b`, elementwise, as `jnp.left_shift` (`lax.shift_left`): integer
/// operands promoted to one dtype; a shift by the width or more (the
/// amount read as unsigned, so negative amounts too) gives 0. `a << b` on
/// tracers is Rust's `wrapping_shl` instead (the amount modulo the width).
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn f(x: i32, n: i32) -> i32 {
///     jnp::left_shift(x, n)
/// }
///
/// # fn main() {
/// assert_eq!(f(3, 2), 12);
/// assert_eq!(f(3, 32), 0); // `3 << 32` in a `#[jit]` body gives 3
/// # }
/// ```
pub fn left_shift(a: impl IntoTracer, b: impl IntoTracer) -> Tracer {
    shift("left_shift", a.into_tracer(), b.into_tracer(), true)
}

/// `a >> b`, elementwise, as `jnp.right_shift`: arithmetic on signed
/// integers (`shift_right_arithmetic`, the sign fill for amounts of the
/// width or more), logical on `u32` (`shift_right_logical`, 0 for them).
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn f(x: i32, n: i32) -> i32 {
///     jnp::right_shift(x, n)
/// }
///
/// # fn main() {
/// assert_eq!(f(-16, 2), -4);
/// assert_eq!(f(-16, 40), -1);
/// # }
/// ```
pub fn right_shift(a: impl IntoTracer, b: impl IntoTracer) -> Tracer {
    shift("right_shift", a.into_tracer(), b.into_tracer(), false)
}

fn shift(name: &str, a: Tracer, b: Tracer, left: bool) -> Tracer {
    let ty = crate::dtype::promote(a.ty(), b.ty());
    if !ty.dtype.is_int() {
        crate::trace::trace_error(format_args!(
            "`{name}` needs integer operands, got {} and {}",
            a.dtype(),
            b.dtype()
        ));
    }
    let op = match (left, ty.dtype.is_signed_int()) {
        (true, _) => Op::ShiftLeft,
        (false, true) => Op::ShiftRightArithmetic,
        (false, false) => Op::ShiftRightLogical,
    };
    binary(op, a, b)
}

/// The number of one bits of `|x|`, elementwise, as `jnp.bitwise_count`
/// (`population_count` of `abs`, so `-1` has one bit, and `i32::MIN`,
/// whose `abs` wraps to itself, one). The result is `u32`: JAX's is
/// `uint8`, which the crate does not have.
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn f(x: i32) -> u32 {
///     jnp::bitwise_count(x)
/// }
///
/// # fn main() {
/// assert_eq!(f(7), 3);
/// assert_eq!(f(-1), 1); // `(-1i32).count_ones()` is 32
/// # }
/// ```
pub fn bitwise_count(x: impl IntoTracer) -> Tracer {
    let x = x.into_tracer();
    if !x.dtype().is_int() {
        crate::trace::trace_error(format_args!(
            "`bitwise_count` needs an integer operand, got {}",
            x.dtype()
        ));
    }
    let magnitude = unary(Op::Abs, x);
    crate::trace::ops::cast(unary(Op::PopulationCount, magnitude), crate::DType::U32)
}

/// Rounds toward zero, elementwise, as `jnp.trunc` (`ceil` below zero,
/// `floor` elsewhere; integers as they are): the same as [`Tracer::trunc`].
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn f(x: &Array) -> Array {
///     jnp::trunc(x)
/// }
///
/// # fn main() -> Result<(), jit::Error> {
/// let x = Array::from(vec![-1.5f32, 2.5]);
/// assert_eq!(f(&x).to_vec::<f32>()?, vec![-1.0, 2.0]);
/// # Ok(())
/// # }
/// ```
pub fn trunc(x: impl IntoTracer) -> Tracer {
    x.into_tracer().trunc()
}

pub use crate::trace::array_ops::{
    Axes, OneAxis, Shape, all, any, argmax, argmin, broadcast_to, dot, expand_dims, matmul, max,
    mean, min, prod, squeeze, sum,
};

use crate::dtype::{DType, Ty, float_result};
use crate::scalar::Scalar;
use crate::trace::array_ops::{self, creation_shape, fill, iota, static_int};
use crate::trace::ops::{cast_recorded, float_binary, select, unary};

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
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: f32) -> f32 {
    ///     jnp::sin(x)
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(0.0), 0.0);
    /// assert!((f(1.0) - 1.0f32.sin()).abs() < 1e-6);
    /// # }
    /// ```
    sin => Sin;
    /// Cosine, elementwise.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: f32) -> f32 {
    ///     jnp::cos(x)
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(0.0), 1.0);
    /// assert!((f(1.0) - 1.0f32.cos()).abs() < 1e-6);
    /// # }
    /// ```
    cos => Cos;
    /// Tangent, elementwise.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: f32) -> f32 {
    ///     jnp::tan(x)
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(0.0), 0.0);
    /// assert!((f(1.0) - 1.0f32.tan()).abs() < 1e-6);
    /// # }
    /// ```
    tan => Tan;
    /// `e^x`, elementwise.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: f32) -> f32 {
    ///     jnp::exp(x)
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(0.0), 1.0);
    /// assert!((f(1.0) - std::f32::consts::E).abs() < 1e-6);
    /// # }
    /// ```
    exp => Exp;
    /// Natural logarithm, elementwise.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: f32) -> f32 {
    ///     jnp::log(x)
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(1.0), 0.0);
    /// assert!((f(std::f32::consts::E) - 1.0).abs() < 1e-6);
    /// # }
    /// ```
    log => Log;
    // Exponential/logarithmic family: exp2 .. sigmoid.
    /// `2^x`, elementwise (`jnp.exp2`); exact at integers.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: f32) -> f32 {
    ///     jnp::exp2(x)
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(10.0), 1024.0);
    /// # }
    /// ```
    exp2 => Exp2;
    /// `e^x - 1`, elementwise (`jnp.expm1`), accurate near 0.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: f32) -> f32 {
    ///     jnp::expm1(x)
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(1e-10), 1e-10);
    /// # }
    /// ```
    expm1 => Expm1;
    /// `ln(1 + x)`, elementwise (`jnp.log1p`), accurate near 0.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: f32) -> f32 {
    ///     jnp::log1p(x)
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(1e-10), 1e-10);
    /// # }
    /// ```
    log1p => Log1p;
    /// Base-2 logarithm, elementwise (`jnp.log2`), exact at powers of two
    /// (JAX computes `log(x) / log(2)`).
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: f32) -> f32 {
    ///     jnp::log2(x)
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(1024.0), 10.0);
    /// # }
    /// ```
    log2 => Log2;
    /// Base-10 logarithm, elementwise (`jnp.log10`), exact at powers of ten
    /// (JAX computes `log(x) / log(10)`).
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: f32) -> f32 {
    ///     jnp::log10(x)
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(1e6), 6.0);
    /// # }
    /// ```
    log10 => Log10;
    /// Cube root, elementwise (`jnp.cbrt`).
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: f32) -> f32 {
    ///     jnp::cbrt(x)
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(-27.0), -3.0);
    /// # }
    /// ```
    cbrt => Cbrt;
    /// The error function, elementwise. JAX has it as
    /// `jax.scipy.special.erf`, not in `jnp`; it is here with the other
    /// elementwise functions.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: f32) -> f32 {
    ///     jnp::erf(x)
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(0.0), 0.0);
    /// assert_eq!(f(-10.0), -1.0);
    /// # }
    /// ```
    erf => Erf;
    /// The logistic sigmoid `1 / (1 + e^-x)`, elementwise, accurate in both
    /// tails. JAX has it as `jax.nn.sigmoid` (the `logistic` primitive), not
    /// in `jnp`; it is here with the other elementwise functions.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: f32) -> f32 {
    ///     jnp::sigmoid(x)
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(0.0), 0.5);
    /// # }
    /// ```
    sigmoid => Logistic;
    /// Square root, elementwise.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: f32) -> f32 {
    ///     jnp::sqrt(x)
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(6.25), 2.5);
    /// # }
    /// ```
    sqrt => Sqrt;
    /// Hyperbolic tangent, elementwise.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: f32) -> f32 {
    ///     jnp::tanh(x)
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(0.0), 0.0);
    /// assert!((f(1.0) - 1.0f32.tanh()).abs() < 1e-6);
    /// # }
    /// ```
    tanh => Tanh;
    /// Absolute value, elementwise (integers wrap).
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: f32) -> f32 {
    ///     jnp::abs(x)
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(-2.5), 2.5);
    /// # }
    /// ```
    abs => Abs;
    /// `-x`, elementwise.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: f32) -> f32 {
    ///     jnp::negative(x)
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(2.5), -2.5);
    /// # }
    /// ```
    negative => Neg;
}

// Inverse trigonometric and hyperbolic functions.
ufuncs! {
    /// Arcsine, elementwise (NaN outside `[-1, 1]`); integers become the default float first.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: f32) -> f32 {
    ///     jnp::arcsin(x)
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(0.0), 0.0);
    /// assert!((f(0.5) - 0.5f32.asin()).abs() < 1e-6);
    /// # }
    /// ```
    arcsin => Asin;
    /// Arccosine, elementwise (NaN outside `[-1, 1]`).
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: f32) -> f32 {
    ///     jnp::arccos(x)
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(1.0), 0.0);
    /// assert!((f(0.5) - 0.5f32.acos()).abs() < 1e-6);
    /// # }
    /// ```
    arccos => Acos;
    /// Arctangent, elementwise.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: f32) -> f32 {
    ///     jnp::arctan(x)
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(0.0), 0.0);
    /// assert!((f(1.0) - 1.0f32.atan()).abs() < 1e-6);
    /// # }
    /// ```
    arctan => Atan;
    /// Hyperbolic sine, elementwise.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: f32) -> f32 {
    ///     jnp::sinh(x)
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(0.0), 0.0);
    /// assert!((f(1.0) - 1.0f32.sinh()).abs() < 1e-6);
    /// # }
    /// ```
    sinh => Sinh;
    /// Hyperbolic cosine, elementwise.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: f32) -> f32 {
    ///     jnp::cosh(x)
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(0.0), 1.0);
    /// assert!((f(1.0) - 1.0f32.cosh()).abs() < 1e-6);
    /// # }
    /// ```
    cosh => Cosh;
    /// Inverse hyperbolic sine, elementwise.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: f32) -> f32 {
    ///     jnp::arcsinh(x)
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(0.0), 0.0);
    /// assert!((f(1.0) - 1.0f32.asinh()).abs() < 1e-6);
    /// # }
    /// ```
    arcsinh => Asinh;
    /// Inverse hyperbolic cosine, elementwise (NaN below 1).
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: f32) -> f32 {
    ///     jnp::arccosh(x)
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(1.0), 0.0);
    /// assert!((f(2.0) - 2.0f32.acosh()).abs() < 1e-6);
    /// # }
    /// ```
    arccosh => Acosh;
    /// Inverse hyperbolic tangent, elementwise (`±inf` at `±1`, NaN outside `[-1, 1]`).
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: f32) -> f32 {
    ///     jnp::arctanh(x)
    /// }
    ///
    /// # fn main() {
    /// assert_eq!(f(0.0), 0.0);
    /// assert!((f(0.5) - 0.5f32.atanh()).abs() < 1e-6);
    /// # }
    /// ```
    arctanh => Atanh;
}

/// `arctan(x1 / x2)` in the right quadrant, elementwise, as `jnp.arctan2`
/// (the same operand order as `x1.atan2(x2)`); operands broadcast and
/// promote together, integers then become the default float.
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn angle(y: &Array, x: &Array) -> Array {
///     jnp::arctan2(y, x)
/// }
///
/// # fn main() -> Result<(), jit::Error> {
/// let y = Array::from(vec![0.0f32, 1.0, 0.0]);
/// let x = Array::from(vec![1.0f32, 0.0, -1.0]);
/// let pi = std::f32::consts::PI;
/// assert_eq!(angle(&y, &x).to_vec::<f32>()?, vec![0.0, pi / 2.0, pi]);
/// # Ok(())
/// # }
/// ```
pub fn arctan2(x1: impl IntoTracer, x2: impl IntoTracer) -> Tracer {
    float_binary(Op::Atan2, x1.into_tracer(), x2.into_tracer())
}

/// `sqrt(x1^2 + x2^2)`, elementwise, without overflow or underflow in
/// between, as `jnp.hypot` (`inf` if either operand is infinite, even
/// beside a NaN); operands broadcast and promote together, integers then
/// become the default float.
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn norm(x: &Array, y: &Array) -> Array {
///     jnp::hypot(x, y)
/// }
///
/// # fn main() -> Result<(), jit::Error> {
/// let x = Array::from(vec![3.0f32, 5.0, 1e30]);
/// let y = Array::from(vec![4.0f32, 12.0, 1e30]);
/// let h = norm(&x, &y).to_vec::<f32>()?;
/// assert_eq!(h[..2], [5.0, 13.0]);
/// assert_eq!(h[2], 1e30f32.hypot(1e30));
/// # Ok(())
/// # }
/// ```
pub fn hypot(x1: impl IntoTracer, x2: impl IntoTracer) -> Tracer {
    float_binary(Op::Hypot, x1.into_tracer(), x2.into_tracer())
}

/// `a` raised to the power `b`, elementwise (`jnp.power`). Both operands
/// promote together. Floats follow C99 `pow`'s special values, as
/// [`Tracer::powf`]; `bool` operands become the default float. Two
/// integers stay integral, as in JAX: binary exponentiation over the six
/// low bits of the exponent (more would overflow for any base above 1),
/// wrapping on overflow, `0^0 = 1`; a negative exponent gives what its low
/// bits give (JAX calls that result implementation-defined).
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn f(x: f32) -> f32 {
///     jnp::power(x, 3)
/// }
///
/// #[jit]
/// fn g(x: i32, n: i32) -> i32 {
///     jnp::power(x, n)
/// }
///
/// # fn main() {
/// assert_eq!(f(-2.0), -8.0);
/// assert_eq!(g(-3, 5), -243);
/// assert_eq!(g(0, 0), 1);
/// assert_eq!(g(7, 0), 1);
/// # }
/// ```
pub fn power(a: impl IntoTracer, b: impl IntoTracer) -> Tracer {
    let (a, b) = (a.into_tracer(), b.into_tracer());
    let ty = crate::dtype::promote(a.ty(), b.ty());
    if ty.dtype.is_int() {
        return integer_power(a.coerce(ty), b.coerce(ty));
    }
    crate::trace::ops::pow(a, b)
}

/// JAX's power of two integers of one dtype (`_pow_int_int`): the
/// accumulator starts at 1 (0 for a zero base and a non-zero exponent) and
/// takes six squaring steps, one per low bit of the exponent.
fn integer_power(mut x: Tracer, mut y: Tracer) -> Tracer {
    let dtype = x.dtype();
    let int = |v: i64| Tracer::constant(Scalar::I64(v).convert(dtype));
    let zero_base = x.eq(int(0)) & y.ne(int(0));
    let mut acc = select(zero_base, int(0), int(1));
    for _ in 0..6 {
        let odd = (y & int(1)).ne(int(0));
        acc = select(odd, acc * x, acc);
        x = x * x;
        y = binary(Op::ShiftRightLogical, y, int(1));
    }
    acc
}

/// Largest integer not above `x`, elementwise (integers as they are).
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn f(x: &Array) -> Array {
///     jnp::floor(x)
/// }
///
/// # fn main() -> Result<(), jit::Error> {
/// let x = Array::from(vec![-1.5f32, 0.5, 2.0]);
/// assert_eq!(f(&x).to_vec::<f32>()?, vec![-2.0, 0.0, 2.0]);
/// # Ok(())
/// # }
/// ```
pub fn floor(x: impl IntoTracer) -> Tracer {
    x.into_tracer().floor()
}

/// Smallest integer not below `x`, elementwise (integers as they are).
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn f(x: &Array) -> Array {
///     jnp::ceil(x)
/// }
///
/// # fn main() -> Result<(), jit::Error> {
/// let x = Array::from(vec![-1.5f32, 0.5, 2.0]);
/// assert_eq!(f(&x).to_vec::<f32>()?, vec![-1.0, 1.0, 2.0]);
/// # Ok(())
/// # }
/// ```
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
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(a: &Array, b: f32) -> Array {
    ///     jnp::add(a, b)
    /// }
    ///
    /// # fn main() -> Result<(), jit::Error> {
    /// let a = Array::from(vec![1.0f32, 2.0]);
    /// assert_eq!(f(&a, 10.0).to_vec::<f32>()?, vec![11.0, 12.0]);
    /// # Ok(())
    /// # }
    /// ```
    add => Add;
    /// `a - b`, elementwise with broadcasting.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(a: &Array, b: f32) -> Array {
    ///     jnp::subtract(a, b)
    /// }
    ///
    /// # fn main() -> Result<(), jit::Error> {
    /// let a = Array::from(vec![1.0f32, 2.0]);
    /// assert_eq!(f(&a, 10.0).to_vec::<f32>()?, vec![-9.0, -8.0]);
    /// # Ok(())
    /// # }
    /// ```
    subtract => Sub;
    /// `a * b`, elementwise with broadcasting.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(a: &Array, b: f32) -> Array {
    ///     jnp::multiply(a, b)
    /// }
    ///
    /// # fn main() -> Result<(), jit::Error> {
    /// let a = Array::from(vec![1.0f32, 2.0]);
    /// assert_eq!(f(&a, 10.0).to_vec::<f32>()?, vec![10.0, 20.0]);
    /// # Ok(())
    /// # }
    /// ```
    multiply => Mul;
    /// `a < b`, elementwise.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(a: &Array) -> Array {
    ///     jnp::less(a, 2)
    /// }
    ///
    /// # fn main() -> Result<(), jit::Error> {
    /// let a = Array::from(vec![1, 2, 3]);
    /// assert_eq!(f(&a).to_vec::<bool>()?, vec![true, false, false]);
    /// # Ok(())
    /// # }
    /// ```
    less => Lt;
    /// `a <= b`, elementwise.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(a: &Array) -> Array {
    ///     jnp::less_equal(a, 2)
    /// }
    ///
    /// # fn main() -> Result<(), jit::Error> {
    /// let a = Array::from(vec![1, 2, 3]);
    /// assert_eq!(f(&a).to_vec::<bool>()?, vec![true, true, false]);
    /// # Ok(())
    /// # }
    /// ```
    less_equal => Le;
    /// `a > b`, elementwise.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(a: &Array) -> Array {
    ///     jnp::greater(a, 2)
    /// }
    ///
    /// # fn main() -> Result<(), jit::Error> {
    /// let a = Array::from(vec![1, 2, 3]);
    /// assert_eq!(f(&a).to_vec::<bool>()?, vec![false, false, true]);
    /// # Ok(())
    /// # }
    /// ```
    greater => Gt;
    /// `a >= b`, elementwise.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(a: &Array) -> Array {
    ///     jnp::greater_equal(a, 2)
    /// }
    ///
    /// # fn main() -> Result<(), jit::Error> {
    /// let a = Array::from(vec![1, 2, 3]);
    /// assert_eq!(f(&a).to_vec::<bool>()?, vec![false, true, true]);
    /// # Ok(())
    /// # }
    /// ```
    greater_equal => Ge;
    /// `a == b`, elementwise.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(a: &Array) -> Array {
    ///     jnp::equal(a, 2)
    /// }
    ///
    /// # fn main() -> Result<(), jit::Error> {
    /// let a = Array::from(vec![1, 2, 3]);
    /// assert_eq!(f(&a).to_vec::<bool>()?, vec![false, true, false]);
    /// # Ok(())
    /// # }
    /// ```
    equal => Eq;
    /// `a != b`, elementwise.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(a: &Array) -> Array {
    ///     jnp::not_equal(a, 2)
    /// }
    ///
    /// # fn main() -> Result<(), jit::Error> {
    /// let a = Array::from(vec![1, 2, 3]);
    /// assert_eq!(f(&a).to_vec::<bool>()?, vec![true, false, true]);
    /// # Ok(())
    /// # }
    /// ```
    not_equal => Ne;
}

/// True division, as `jnp.divide` (JAX's `/`): integers and bools become
/// the default float first.
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn f(a: i32, b: i32) -> f32 {
///     jnp::divide(a, b)
/// }
///
/// # fn main() {
/// assert_eq!(f(7, 2), 3.5); // `7 / 2` on `i32` tracers is 3, as in Rust
/// # }
/// ```
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
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn f(a: i32, b: i32) -> i32 {
///     jnp::floor_divide(a, b)
/// }
///
/// # fn main() {
/// assert_eq!(f(7, 2), 3);
/// assert_eq!(f(-7, 2), -4); // `-7 / 2` is -3
/// # }
/// ```
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
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn f(x: &Array) -> Array {
///     jnp::where_(x > 0.0, x, -1.0)
/// }
///
/// # fn main() -> Result<(), jit::Error> {
/// let x = Array::from(vec![3.0f32, -2.0, 0.5]);
/// assert_eq!(f(&x).to_vec::<f32>()?, vec![3.0, -1.0, 0.5]);
/// # Ok(())
/// # }
/// ```
pub fn where_(
    pred: impl IntoTracer,
    on_true: impl IntoTracer,
    on_false: impl IntoTracer,
) -> Tracer {
    select(pred, on_true, on_false)
}

/// `x` limited to `[lo, hi]`, as `jnp.clip`: NaN stays NaN.
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn f(x: &Array) -> Array {
///     jnp::clip(x, 0.0, 1.0)
/// }
///
/// # fn main() -> Result<(), jit::Error> {
/// let x = Array::from(vec![-0.5f32, 0.25, 3.0]);
/// assert_eq!(f(&x).to_vec::<f32>()?, vec![0.0, 0.25, 1.0]);
/// # Ok(())
/// # }
/// ```
pub fn clip(x: impl IntoTracer, lo: impl IntoTracer, hi: impl IntoTracer) -> Tracer {
    x.into_tracer().clamp(lo, hi)
}

/// `x` with dimensions permuted: result dimension `k` is `x`'s dimension
/// `axes[k]`, as `jnp.transpose(x, axes)`.
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn f(x: &Array) -> Array {
///     jnp::transpose(x, [1, 0, 2])
/// }
///
/// # fn main() -> Result<(), jit::Error> {
/// let x = Array::from_shape_vec(&[2, 3, 4], vec![0.0f32; 24])?;
/// assert_eq!(f(&x).shape(), &[3, 2, 4]);
/// # Ok(())
/// # }
/// ```
pub fn transpose(x: impl IntoTracer, axes: impl Shape) -> Tracer {
    array_ops::transpose(x.into_tracer(), axes)
}

/// `x` in a new shape (one size may be `-1`), as `jnp.reshape`.
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn f(x: &Array) -> Array {
///     jnp::reshape(x, [2, -1])
/// }
///
/// # fn main() -> Result<(), jit::Error> {
/// let x = Array::from(vec![1, 2, 3, 4, 5, 6]);
/// let y = f(&x);
/// assert_eq!(y.shape(), &[2, 3]);
/// assert_eq!(y.to_vec::<i32>()?, vec![1, 2, 3, 4, 5, 6]);
/// # Ok(())
/// # }
/// ```
pub fn reshape(x: impl IntoTracer, shape: impl Shape) -> Tracer {
    array_ops::reshape(x.into_tracer(), shape)
}

/// The arrays joined along `axis`, as `jnp.concatenate`.
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn f(a: &Array, b: &Array) -> Array {
///     jnp::concatenate([a, b], 0)
/// }
///
/// # fn main() -> Result<(), jit::Error> {
/// let a = Array::from(vec![1, 2]);
/// let b = Array::from(vec![3, 4, 5]);
/// assert_eq!(f(&a, &b).to_vec::<i32>()?, vec![1, 2, 3, 4, 5]);
/// # Ok(())
/// # }
/// ```
pub fn concatenate<T: IntoTracer, const N: usize>(parts: [T; N], axis: impl OneAxis) -> Tracer {
    let parts: Vec<Tracer> = parts.into_iter().map(IntoTracer::into_tracer).collect();
    array_ops::concatenate(&parts, axis.axis().unwrap_or(0))
}

/// The arrays stacked along a new axis `axis`, as `jnp.stack`.
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn f(a: &Array, b: &Array) -> (Array, Array) {
///     (jnp::stack([a, b], 0), jnp::stack([a, b], 1))
/// }
///
/// # fn main() -> Result<(), jit::Error> {
/// let a = Array::from(vec![1, 2, 3]);
/// let b = Array::from(vec![4, 5, 6]);
/// let (rows, cols) = f(&a, &b);
/// assert_eq!(rows.shape(), &[2, 3]);
/// assert_eq!(rows.to_vec::<i32>()?, vec![1, 2, 3, 4, 5, 6]);
/// assert_eq!(cols.shape(), &[3, 2]);
/// assert_eq!(cols.to_vec::<i32>()?, vec![1, 4, 2, 5, 3, 6]);
/// # Ok(())
/// # }
/// ```
pub fn stack<T: IntoTracer, const N: usize>(parts: [T; N], axis: impl OneAxis) -> Tracer {
    let parts: Vec<Tracer> = parts.into_iter().map(IntoTracer::into_tracer).collect();
    array_ops::stack(&parts, axis.axis().unwrap_or(0))
}

/// A Rust scalar or `Array` (or a tracer) as a value of the trace, as
/// `jnp.asarray`. A Rust scalar keeps its Rust dtype (strong), an `Array`
/// becomes a constant of the compiled code.
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn f(x: f32) -> (f64, f32) {
///     let table = Array::from(vec![1.0f32, 2.0, 3.0]);
///     (x * jnp::asarray(2.0f64), x + jnp::sum(jnp::asarray(table), ..))
/// }
///
/// # fn main() {
/// assert_eq!(f(1.5), (3.0, 7.5)); // `f32 * f64` is an `f64`
/// # }
/// ```
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
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn f() -> (Array, Array) {
///     (jnp::arange(4), jnp::arange(3.0))
/// }
///
/// # fn main() -> Result<(), jit::Error> {
/// let (i, x) = f();
/// assert_eq!(i.to_vec::<i32>()?, vec![0, 1, 2, 3]);
/// assert_eq!(x.to_vec::<f32>()?, vec![0.0, 1.0, 2.0]);
/// # Ok(())
/// # }
/// ```
pub fn arange(stop: impl ArangeStop) -> Tracer {
    let (n, dtype) = stop.count_and_dtype();
    iota(dtype, vec![n], 0)
}

/// `num` evenly spaced values from `start` to `stop` inclusive, as
/// `jnp.linspace` (the default float unless an operand is wider), computed
/// as JAX does: `start * (1 - i / (num - 1)) + stop * (i / (num - 1))`,
/// with `stop` itself last.
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn f() -> Array {
///     jnp::linspace(0.0, 1.0, 5)
/// }
///
/// # fn main() -> Result<(), jit::Error> {
/// assert_eq!(f().to_vec::<f32>()?, vec![0.0, 0.25, 0.5, 0.75, 1.0]);
/// # Ok(())
/// # }
/// ```
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

/// An array of `shape` filled with zeros of `dtype`, as `jnp.zeros`.
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn f() -> Array {
///     jnp::zeros([2, 3], DType::F32)
/// }
///
/// # fn main() -> Result<(), jit::Error> {
/// let z = f();
/// assert_eq!(z.shape(), &[2, 3]);
/// assert_eq!(z.to_vec::<f32>()?, vec![0.0; 6]);
/// # Ok(())
/// # }
/// ```
pub fn zeros(shape: impl Shape, dtype: DType) -> Tracer {
    full_of(shape, Scalar::I32(0).convert(dtype), "zeros")
}

/// An array of `shape` filled with ones of `dtype`, as `jnp.ones`.
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn f() -> Array {
///     jnp::ones([3], DType::I32)
/// }
///
/// # fn main() -> Result<(), jit::Error> {
/// assert_eq!(f().to_vec::<i32>()?, vec![1, 1, 1]);
/// # Ok(())
/// # }
/// ```
pub fn ones(shape: impl Shape, dtype: DType) -> Tracer {
    full_of(shape, Scalar::I32(1).convert(dtype), "ones")
}

fn full_of(shape: impl Shape, value: Scalar, what: &str) -> Tracer {
    fill(Tracer::constant(value), creation_shape(shape, what))
}

/// An array of `shape` filled with `value`, as `jnp.full` (a weak literal
/// stays weak: `full([2], 7.0)` is a weak `f32`, as in JAX).
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn f() -> Array {
///     jnp::full([2], 7.0)
/// }
///
/// # fn main() -> Result<(), jit::Error> {
/// assert_eq!(f().to_vec::<f32>()?, vec![7.0, 7.0]);
/// # Ok(())
/// # }
/// ```
pub fn full(shape: impl Shape, value: impl IntoTracer) -> Tracer {
    fill(value.into_tracer(), creation_shape(shape, "full"))
}

/// Zeros of `x`'s shape and dtype, as `jnp.zeros_like`.
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn f(x: &Array) -> Array {
///     jnp::zeros_like(x)
/// }
///
/// # fn main() -> Result<(), jit::Error> {
/// let x = Array::from(vec![1, 2, 3]);
/// assert_eq!(f(&x).to_vec::<i32>()?, vec![0, 0, 0]);
/// # Ok(())
/// # }
/// ```
pub fn zeros_like(x: impl IntoTracer) -> Tracer {
    let x = x.into_tracer();
    zeros(x.shape(), x.dtype())
}

/// Ones of `x`'s shape and dtype, as `jnp.ones_like`.
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn f(x: &Array) -> Array {
///     jnp::ones_like(x)
/// }
///
/// # fn main() -> Result<(), jit::Error> {
/// let x = Array::from(vec![1.5f64, 2.5]);
/// assert_eq!(f(&x).to_vec::<f64>()?, vec![1.0, 1.0]);
/// # Ok(())
/// # }
/// ```
pub fn ones_like(x: impl IntoTracer) -> Tracer {
    let x = x.into_tracer();
    ones(x.shape(), x.dtype())
}

/// `value` in `x`'s shape and dtype, as `jnp.full_like`.
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn f(x: &Array) -> Array {
///     jnp::full_like(x, 7)
/// }
///
/// # fn main() -> Result<(), jit::Error> {
/// let x = Array::from(vec![1.5f32, 2.5]);
/// assert_eq!(f(&x).to_vec::<f32>()?, vec![7.0, 7.0]);
/// # Ok(())
/// # }
/// ```
pub fn full_like(x: impl IntoTracer, value: impl IntoTracer) -> Tracer {
    let x = x.into_tracer();
    let value = value.into_tracer().coerce(Ty::strong(x.dtype()));
    fill(value, x.shape())
}

/// The `n`-by-`n` identity matrix of the default float, as `jnp.eye(n)`.
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn f() -> Array {
///     jnp::eye(2)
/// }
///
/// # fn main() -> Result<(), jit::Error> {
/// let i = f();
/// assert_eq!(i.shape(), &[2, 2]);
/// assert_eq!(i.to_vec::<f32>()?, vec![1.0, 0.0, 0.0, 1.0]);
/// # Ok(())
/// # }
/// ```
pub fn eye(n: impl Shape) -> Tracer {
    let n = creation_shape(n, "eye");
    let n = n.first().copied().unwrap_or(0);
    let rows = iota(DType::I32, vec![n, n], 0);
    let cols = iota(DType::I32, vec![n, n], 1);
    cast_recorded(binary(Op::Eq, rows, cols), DType::F32)
}
