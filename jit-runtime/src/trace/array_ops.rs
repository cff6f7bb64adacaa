//! Array operations on [`Tracer`]s: shape changes, reductions, `dot`,
//! slices, concatenation and array creation, each checked while tracing and
//! recorded as JAX's primitives record them.
//!
//! Terms: an *axis* argument counts from the front, or from the back when
//! negative (`-1` is the last); a *static* argument is one whose value is
//! known while tracing: a Rust integer, or a literal written in the body
//! (which the macro passes as a weak literal tracer).
//!
//! Shape and axis mistakes are trace-time errors naming the operation and
//! the shapes, in JAX's words where JAX has them.

use super::ops::{binary, broadcast_shapes, cast_recorded, shape_text};
use super::{IntoTracer, Tracer, trace_error};
use crate::dtype::{DType, Ty, float_result};
use crate::ir::{AVal, Op, ReduceKind, dot_free_dims};
use crate::scalar::Scalar;

/// The value of a static integer argument (`what` names it in errors).
pub(crate) fn static_int(t: Tracer, what: &str) -> i64 {
    match t.literal_value() {
        Some(Scalar::I32(v)) => i64::from(v),
        Some(Scalar::I64(v)) => v,
        Some(Scalar::U32(v)) => i64::from(v),
        _ => trace_error(format_args!(
            "{what} must be an integer known while tracing (a literal or a Rust integer), \
             not a traced value"
        )),
    }
}

/// An axis argument of a reduction: one axis, several, or every one (`..`).
pub trait Axes {
    /// The axes, each in `0..ndim`, in the order written; `None` for all.
    fn axes(self, ndim: usize) -> Option<Vec<usize>>;
}

/// An axis counted from the back when negative, checked against `ndim`.
pub(crate) fn normalize_axis(axis: i64, ndim: usize) -> usize {
    let n = ndim as i64;
    if axis < -n || axis >= n {
        trace_error(format_args!(
            "axis {axis} is out of bounds for array of dimension {ndim}"
        ));
    }
    (if axis < 0 { axis + n } else { axis }) as usize
}

impl Axes for std::ops::RangeFull {
    fn axes(self, _: usize) -> Option<Vec<usize>> {
        None
    }
}

macro_rules! int_axes {
    ($($t:ty),*) => {$(
        impl Axes for $t {
            fn axes(self, ndim: usize) -> Option<Vec<usize>> {
                Some(vec![normalize_axis(self as i64, ndim)])
            }
        }
        impl<const N: usize> Axes for [$t; N] {
            fn axes(self, ndim: usize) -> Option<Vec<usize>> {
                Some(self.iter().map(|&a| normalize_axis(a as i64, ndim)).collect())
            }
        }
    )*};
}
int_axes!(i32, i64, usize);

impl Axes for Tracer {
    fn axes(self, ndim: usize) -> Option<Vec<usize>> {
        Some(vec![normalize_axis(static_int(self, "an axis"), ndim)])
    }
}

impl<const N: usize> Axes for [Tracer; N] {
    fn axes(self, ndim: usize) -> Option<Vec<usize>> {
        Some(
            self.iter()
                .map(|&a| normalize_axis(static_int(a, "an axis"), ndim))
                .collect(),
        )
    }
}

/// A shape argument: sizes known while tracing (`-1` in a reshape stands
/// for the size that keeps the element count).
pub trait Shape {
    /// The sizes, as written.
    fn sizes(self) -> Vec<i64>;
}

macro_rules! int_shape {
    ($($t:ty),*) => {$(
        impl<const N: usize> Shape for [$t; N] {
            fn sizes(self) -> Vec<i64> {
                self.iter().map(|&d| d as i64).collect()
            }
        }
        impl Shape for &[$t] {
            fn sizes(self) -> Vec<i64> {
                self.iter().map(|&d| d as i64).collect()
            }
        }
        impl Shape for Vec<$t> {
            fn sizes(self) -> Vec<i64> {
                self.iter().map(|&d| d as i64).collect()
            }
        }
        impl Shape for $t {
            fn sizes(self) -> Vec<i64> {
                vec![self as i64]
            }
        }
    )*};
}
int_shape!(i32, i64, usize);

impl<const N: usize> Shape for [Tracer; N] {
    fn sizes(self) -> Vec<i64> {
        self.iter().map(|&d| static_int(d, "a size")).collect()
    }
}

impl Shape for Tracer {
    fn sizes(self) -> Vec<i64> {
        vec![static_int(self, "a size")]
    }
}

/// Sizes that must all be known and non-negative (no `-1`).
fn plain_sizes(shape: impl Shape, what: &str) -> Vec<usize> {
    shape
        .sizes()
        .into_iter()
        .map(|d| {
            usize::try_from(d).unwrap_or_else(|_| {
                trace_error(format_args!("{what}: a size cannot be negative, got {d}"))
            })
        })
        .collect()
}

fn with_shape(t: Tracer, ty: Ty, shape: Vec<usize>) -> AVal {
    let _ = t;
    AVal { ty, shape }
}

/// `x` reshaped to `sizes` (one of which may be `-1`).
pub fn reshape(x: Tracer, sizes: impl Shape) -> Tracer {
    let shape = x.shape();
    let count: usize = shape.iter().product();
    let sizes = sizes.sizes();
    let unknown: Vec<usize> = (0..sizes.len()).filter(|&k| sizes[k] == -1).collect();
    if unknown.len() > 1 {
        let texts: Vec<String> = sizes.iter().map(i64::to_string).collect();
        trace_error(format_args!(
            "can only specify one unknown axis size with a `-1` value, got ({})",
            texts.join(", ")
        ));
    }
    let known: i64 = sizes.iter().filter(|&&d| d != -1).product();
    let mut new_shape: Vec<usize> = sizes.iter().map(|&d| d.max(0) as usize).collect();
    if let Some(&k) = unknown.first()
        && known > 0
        && count as i64 % known == 0
    {
        new_shape[k] = count / known as usize;
    }
    let new_count: usize = new_shape.iter().product();
    if sizes.iter().any(|&d| d < -1) || new_count != count || (unknown.len() == 1 && known == 0) {
        trace_error(format_args!(
            "cannot reshape array of shape {} (size {count}) into shape {} (size {new_count})",
            shape_text(&shape),
            shape_text(&new_shape)
        ));
    }
    if new_shape == shape {
        return x;
    }
    let aval = with_shape(x, x.ty(), new_shape.clone());
    Tracer::record(
        Op::Reshape {
            new_sizes: new_shape,
        },
        &[x],
        aval,
    )
}

/// `x` with its dimensions permuted: result dimension `k` is `x`'s
/// dimension `permutation[k]`.
pub fn transpose(x: Tracer, permutation: impl Shape) -> Tracer {
    let shape = x.shape();
    let permutation: Vec<usize> = permutation
        .sizes()
        .iter()
        .map(|&a| normalize_axis(a, shape.len()))
        .collect();
    let mut sorted = permutation.clone();
    sorted.sort_unstable();
    if sorted != (0..shape.len()).collect::<Vec<_>>() {
        trace_error(format_args!(
            "transpose permutation isn't a permutation of operand dimensions, got permutation \
             {} for operand shape {}.",
            shape_text(&permutation),
            shape_text(&shape)
        ));
    }
    if permutation.iter().enumerate().all(|(k, &p)| k == p) {
        return x;
    }
    let new_shape = permutation.iter().map(|&p| shape[p]).collect();
    let aval = with_shape(x, x.ty(), new_shape);
    Tracer::record(Op::Transpose { permutation }, &[x], aval)
}

/// `x` with its dimensions reversed (`x.T`).
pub fn reverse_axes(x: Tracer) -> Tracer {
    let n = x.shape().len();
    transpose(x, (0..n).rev().collect::<Vec<usize>>())
}

/// `x` broadcast to `shape` by NumPy's rules.
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn f(x: &Array) -> Array {
///     jnp::broadcast_to(x, [2, 3])
/// }
///
/// # fn main() -> Result<(), jit::Error> {
/// let x = Array::from(vec![1, 2, 3]);
/// let y = f(&x);
/// assert_eq!(y.shape(), &[2, 3]);
/// assert_eq!(y.to_vec::<i32>()?, vec![1, 2, 3, 1, 2, 3]);
/// # Ok(())
/// # }
/// ```
pub fn broadcast_to(x: Tracer, shape: impl Shape) -> Tracer {
    let target = plain_sizes(shape, "broadcast_to");
    let current = x.shape();
    let fits = current.len() <= target.len()
        && current
            .iter()
            .rev()
            .zip(target.iter().rev())
            .all(|(&c, &t)| c == t || c == 1);
    if !fits {
        trace_error(format_args!(
            "Incompatible types for broadcasting: input type={} and requested type={}",
            x.aval(),
            AVal {
                ty: x.ty(),
                shape: target.clone()
            }
        ));
    }
    if current == target {
        return x;
    }
    let lead = target.len() - current.len();
    // Size-1 dimensions that grow are repeated by the broadcast itself.
    let aval = with_shape(x, x.ty(), target.clone());
    Tracer::record(
        Op::BroadcastInDim {
            shape: target,
            broadcast_dimensions: (lead..lead + current.len()).collect(),
        },
        &[x],
        aval,
    )
}

/// `x` with a new dimension of size 1 at `axis`.
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn f(x: &Array) -> (Array, Array) {
///     (jnp::expand_dims(x, 0), jnp::expand_dims(x, 1))
/// }
///
/// # fn main() -> Result<(), jit::Error> {
/// let x = Array::from(vec![1, 2, 3]);
/// let (row, col) = f(&x);
/// assert_eq!(row.shape(), &[1, 3]);
/// assert_eq!(col.shape(), &[3, 1]);
/// # Ok(())
/// # }
/// ```
pub fn expand_dims(x: Tracer, axis: impl Shape) -> Tracer {
    let mut shape = x.shape();
    let axes = axis.sizes();
    let ndim = shape.len() + axes.len();
    let mut axes: Vec<usize> = axes.iter().map(|&a| normalize_axis(a, ndim)).collect();
    axes.sort_unstable();
    for &a in &axes {
        shape.insert(a, 1);
    }
    let kept: Vec<usize> = (0..ndim).filter(|k| !axes.contains(k)).collect();
    let aval = with_shape(x, x.ty(), shape.clone());
    Tracer::record(
        Op::BroadcastInDim {
            shape,
            broadcast_dimensions: kept,
        },
        &[x],
        aval,
    )
}

/// `x` without the listed dimensions, each of size 1.
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn f(x: &Array) -> Array {
///     jnp::squeeze(x, 0)
/// }
///
/// # fn main() -> Result<(), jit::Error> {
/// let x = Array::from_shape_vec(&[1, 3], vec![1, 2, 3])?;
/// assert_eq!(f(&x).shape(), &[3]);
/// # Ok(())
/// # }
/// ```
pub fn squeeze(x: Tracer, axis: impl Axes) -> Tracer {
    let shape = x.shape();
    let mut dims = axis
        .axes(shape.len())
        .unwrap_or_else(|| (0..shape.len()).filter(|&k| shape[k] == 1).collect());
    dims.sort_unstable();
    dims.dedup();
    if dims.iter().any(|&d| shape[d] != 1) {
        trace_error(format_args!(
            "cannot select an axis to squeeze out which has size not equal to one, got \
             shape={} and dimensions={}",
            shape_text(&shape),
            shape_text(&dims)
        ));
    }
    if dims.is_empty() {
        return x;
    }
    let new_shape = (0..shape.len())
        .filter(|k| !dims.contains(k))
        .map(|k| shape[k])
        .collect();
    let aval = with_shape(x, x.ty(), new_shape);
    Tracer::record(Op::Squeeze { dimensions: dims }, &[x], aval)
}

/// Records a reduction of `x` over `axes` (all when `None`).
fn reduce(kind: ReduceKind, x: Tracer, axes: Option<Vec<usize>>) -> Tracer {
    let shape = x.shape();
    let mut axes = axes.unwrap_or_else(|| (0..shape.len()).collect());
    axes.sort_unstable();
    axes.dedup();
    let new_shape: Vec<usize> = (0..shape.len())
        .filter(|k| !axes.contains(k))
        .map(|k| shape[k])
        .collect();
    if axes.is_empty() {
        return x;
    }
    if shape.iter().product::<usize>() == 0 && matches!(kind, ReduceKind::Max | ReduceKind::Min) {
        trace_error(format_args!(
            "zero-size array to reduction operation {} which has no identity",
            if kind == ReduceKind::Max {
                "max"
            } else {
                "min"
            }
        ));
    }
    let aval = with_shape(x, x.ty(), new_shape);
    Tracer::record(Op::Reduce { kind, axes }, &[x], aval)
}

/// Records `kind` over `axes` of `x`; a sum or product of bools counts
/// them as `i32`, as `jnp` does.
fn reduce_axes(kind: ReduceKind, x: impl IntoTracer, axes: impl Axes) -> Tracer {
    let x = x.into_tracer();
    let axes = axes.axes(x.shape().len());
    let counts = matches!(kind, ReduceKind::Sum | ReduceKind::Prod);
    let x = if counts && x.dtype() == DType::Bool {
        cast_recorded(x, DType::I32)
    } else {
        x
    };
    reduce(kind, x, axes)
}

/// The sum over `axes` (`..` for every axis), as `jnp.sum`: bools count as
/// `i32`.
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn sums(m: &Array) -> (f32, Array, Array) {
///     (jnp::sum(m, ..), jnp::sum(m, 0), jnp::sum(m, -1))
/// }
///
/// # fn main() -> Result<(), jit::Error> {
/// let m = Array::from_shape_vec(&[2, 3], vec![1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0])?;
/// let (all, cols, rows) = sums(&m);
/// assert_eq!(all, 21.0);
/// assert_eq!(cols.to_vec::<f32>()?, vec![5.0, 7.0, 9.0]);
/// assert_eq!(rows.to_vec::<f32>()?, vec![6.0, 15.0]);
/// # Ok(())
/// # }
/// ```
pub fn sum(x: impl IntoTracer, axes: impl Axes) -> Tracer {
    reduce_axes(ReduceKind::Sum, x, axes)
}

/// The product over `axes`, as `jnp.prod`.
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn f(m: &Array) -> Array {
///     jnp::prod(m, 1)
/// }
///
/// # fn main() -> Result<(), jit::Error> {
/// let m = Array::from_shape_vec(&[2, 3], vec![1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0])?;
/// assert_eq!(f(&m).to_vec::<f32>()?, vec![6.0, 120.0]);
/// # Ok(())
/// # }
/// ```
pub fn prod(x: impl IntoTracer, axes: impl Axes) -> Tracer {
    reduce_axes(ReduceKind::Prod, x, axes)
}

/// The largest element over `axes` (NaN if any is NaN), as `jnp.max`.
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn f(m: &Array) -> (f32, Array) {
///     (jnp::max(m, ..), jnp::max(m, 0))
/// }
///
/// # fn main() -> Result<(), jit::Error> {
/// let m = Array::from_shape_vec(&[2, 3], vec![1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0])?;
/// let (all, cols) = f(&m);
/// assert_eq!(all, 6.0);
/// assert_eq!(cols.to_vec::<f32>()?, vec![4.0, 5.0, 6.0]);
/// # Ok(())
/// # }
/// ```
pub fn max(x: impl IntoTracer, axes: impl Axes) -> Tracer {
    reduce_axes(ReduceKind::Max, x, axes)
}

/// The smallest element over `axes` (NaN if any is NaN), as `jnp.min`.
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn f(m: &Array) -> (f32, Array) {
///     (jnp::min(m, ..), jnp::min(m, 1))
/// }
///
/// # fn main() -> Result<(), jit::Error> {
/// let m = Array::from_shape_vec(&[2, 3], vec![1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0])?;
/// let (all, rows) = f(&m);
/// assert_eq!(all, 1.0);
/// assert_eq!(rows.to_vec::<f32>()?, vec![1.0, 4.0]);
/// # Ok(())
/// # }
/// ```
pub fn min(x: impl IntoTracer, axes: impl Axes) -> Tracer {
    reduce_axes(ReduceKind::Min, x, axes)
}

/// Whether any element over `axes` is true (non-zero), as `jnp.any`.
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn f(m: &Array) -> (bool, Array) {
///     (jnp::any(m > 5.5, ..), jnp::any(m > 2.5, 1))
/// }
///
/// # fn main() -> Result<(), jit::Error> {
/// let m = Array::from_shape_vec(&[2, 3], vec![1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0])?;
/// let (all, rows) = f(&m);
/// assert!(all);
/// assert_eq!(rows.to_vec::<bool>()?, vec![true, true]);
/// # Ok(())
/// # }
/// ```
pub fn any(x: impl IntoTracer, axes: impl Axes) -> Tracer {
    let x = x.into_tracer();
    let axes = axes.axes(x.shape().len());
    reduce(ReduceKind::Or, to_bool(x), axes)
}

/// Whether every element over `axes` is true (non-zero), as `jnp.all`.
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn f(m: &Array) -> (bool, Array) {
///     (jnp::all(m > 0.0, ..), jnp::all(m > 2.5, 1))
/// }
///
/// # fn main() -> Result<(), jit::Error> {
/// let m = Array::from_shape_vec(&[2, 3], vec![1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0])?;
/// let (all, rows) = f(&m);
/// assert!(all);
/// assert_eq!(rows.to_vec::<bool>()?, vec![false, true]);
/// # Ok(())
/// # }
/// ```
pub fn all(x: impl IntoTracer, axes: impl Axes) -> Tracer {
    let x = x.into_tracer();
    let axes = axes.axes(x.shape().len());
    reduce(ReduceKind::And, to_bool(x), axes)
}

fn to_bool(x: Tracer) -> Tracer {
    if x.dtype() == DType::Bool {
        x
    } else {
        binary(Op::Ne, x, Tracer::weak(Scalar::I32(0)))
    }
}

/// The mean over `axes`, as `jnp.mean`: integers and bools become the
/// default float first; the sum is divided by the element count.
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn f(m: &Array) -> (f32, Array) {
///     (jnp::mean(m, ..), jnp::mean(m, 0))
/// }
///
/// # fn main() -> Result<(), jit::Error> {
/// let m = Array::from_shape_vec(&[2, 3], vec![1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0])?;
/// let (all, cols) = f(&m);
/// assert_eq!(all, 3.5);
/// assert_eq!(cols.to_vec::<f32>()?, vec![2.5, 3.5, 4.5]);
/// # Ok(())
/// # }
/// ```
pub fn mean(x: impl IntoTracer, axes: impl Axes) -> Tracer {
    let x = x.into_tracer();
    let shape = x.shape();
    let axes = axes.axes(shape.len());
    let count: usize = match &axes {
        None => shape.iter().product(),
        Some(axes) => axes.iter().map(|&a| shape[a]).product(),
    };
    let ty = x.ty();
    let x = if ty.dtype.is_float() {
        x
    } else {
        cast_recorded(x, float_result(Ty::strong(ty.dtype)).dtype)
    };
    let total = reduce(ReduceKind::Sum, x, axes);
    let n = Tracer::constant(Scalar::F64(count as f64).convert(total.dtype()));
    binary(Op::Div, total, n)
}

fn arg_reduce(max: bool, x: impl IntoTracer, axis: Option<i64>) -> Tracer {
    let mut x = x.into_tracer();
    let axis = match axis {
        Some(a) => normalize_axis(a, x.shape().len()),
        None => {
            // Every axis: the index into the flattened array.
            let n: usize = x.shape().iter().product();
            x = reshape(x, [n]);
            0
        }
    };
    let shape = x.shape();
    if shape[axis] == 0 {
        trace_error(format_args!(
            "attempt to get {} of an empty sequence",
            if max { "argmax" } else { "argmin" }
        ));
    }
    let new_shape = (0..shape.len())
        .filter(|&k| k != axis)
        .map(|k| shape[k])
        .collect();
    Tracer::record(
        Op::ArgReduce {
            max,
            axis,
            index_dtype: DType::I32,
        },
        &[x],
        AVal {
            ty: Ty::strong(DType::I32),
            shape: new_shape,
        },
    )
}

/// An axis argument of `argmax`/`argmin`: one axis, or `..` for the index
/// into the flattened array.
pub trait OneAxis {
    /// The axis as written, `None` for all.
    fn axis(self) -> Option<i64>;
}

impl OneAxis for std::ops::RangeFull {
    fn axis(self) -> Option<i64> {
        None
    }
}

macro_rules! one_axis {
    ($($t:ty),*) => {$(
        impl OneAxis for $t {
            fn axis(self) -> Option<i64> {
                Some(self as i64)
            }
        }
    )*};
}
one_axis!(i32, i64, usize);

impl OneAxis for Tracer {
    fn axis(self) -> Option<i64> {
        Some(static_int(self, "an axis"))
    }
}

/// The index of the first largest element along `axis`, as `jnp.argmax`.
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn f(x: &Array, m: &Array) -> (i32, Array) {
///     (jnp::argmax(x, ..), jnp::argmax(m, 1))
/// }
///
/// # fn main() -> Result<(), jit::Error> {
/// let x = Array::from(vec![3, 9, 2, 9]);
/// let m = Array::from_shape_vec(&[2, 3], vec![1, 7, 3, 8, 5, 6])?;
/// let (i, rows) = f(&x, &m);
/// assert_eq!(i, 1); // the first of the largest
/// assert_eq!(rows.to_vec::<i32>()?, vec![1, 0]);
/// # Ok(())
/// # }
/// ```
pub fn argmax(x: impl IntoTracer, axis: impl OneAxis) -> Tracer {
    arg_reduce(true, x, axis.axis())
}

/// The index of the first smallest element along `axis`, as `jnp.argmin`.
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn f(x: &Array) -> i32 {
///     jnp::argmin(x, 0)
/// }
///
/// # fn main() -> Result<(), jit::Error> {
/// let x = Array::from(vec![3.0f32, -1.0, 2.0, -1.0]);
/// assert_eq!(f(&x), 1);
/// # Ok(())
/// # }
/// ```
pub fn argmin(x: impl IntoTracer, axis: impl OneAxis) -> Tracer {
    arg_reduce(false, x, axis.axis())
}

/// `jnp.matmul` (and `jnp.dot` up to two dimensions): vectors, matrices and
/// stacks of matrices batched over the leading dimensions.
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn f(a: &Array, b: &Array) -> Array {
///     jnp::matmul(a, b)
/// }
///
/// # fn main() -> Result<(), jit::Error> {
/// // two stacked 2x2 matrices times one 2x2 matrix, batched
/// let a = Array::from_shape_vec(&[2, 2, 2], vec![1.0f32, 0.0, 0.0, 1.0, 1.0, 2.0, 3.0, 4.0])?;
/// let b = Array::from_shape_vec(&[2, 2], vec![5.0f32, 6.0, 7.0, 8.0])?;
/// let c = f(&a, &b);
/// assert_eq!(c.shape(), &[2, 2, 2]);
/// assert_eq!(c.to_vec::<f32>()?, vec![5.0, 6.0, 7.0, 8.0, 19.0, 22.0, 43.0, 50.0]);
/// # Ok(())
/// # }
/// ```
pub fn matmul(a: impl IntoTracer, b: impl IntoTracer) -> Tracer {
    let (a, b) = (a.into_tracer(), b.into_tracer());
    let ty = crate::dtype::promote(a.ty(), b.ty());
    let (mut a, mut b) = (a.coerce(ty), b.coerce(ty));
    let (sa, sb) = (a.shape(), b.shape());
    if sa.is_empty() || sb.is_empty() {
        return binary(Op::Mul, a, b);
    }
    let (ra, rb) = (sa.len(), sb.len());
    if ra == 1 && rb == 1 {
        return dot_general(a, b, (vec![0], vec![0]), (vec![], vec![]), ty);
    }
    if ra <= 2 && rb <= 2 {
        return dot_general(a, b, (vec![ra - 1], vec![0]), (vec![], vec![]), ty);
    }
    // Batched: vectors become matrices, the batch dimensions broadcast.
    let (a_vec, b_vec) = (ra == 1, rb == 1);
    if a_vec {
        a = reshape(a, [1, sa[0]]);
    }
    if b_vec {
        b = reshape(b, [sb[0], 1]);
    }
    let (sa, sb) = (a.shape(), b.shape());
    let batch = broadcast_shapes("matmul", &[&sa[..sa.len() - 2], &sb[..sb.len() - 2]]);
    let full = |t: Tracer, s: &[usize]| {
        let mut target = batch.clone();
        target.extend_from_slice(&s[s.len() - 2..]);
        broadcast_to(t, target)
    };
    let (a, b) = (full(a, &sa), full(b, &sb));
    let nb = batch.len();
    let batch_dims: Vec<usize> = (0..nb).collect();
    let mut out = dot_general(
        a,
        b,
        (vec![nb + 1], vec![nb]),
        (batch_dims.clone(), batch_dims),
        ty,
    );
    if a_vec {
        out = squeeze(out, [nb]);
    }
    if b_vec {
        let n = out.shape().len();
        out = squeeze(out, [n - 1]);
    }
    out
}

/// `jnp.dot`: `matmul` up to two dimensions; for more, the last axis of
/// `a` against the second-to-last of `b` (NumPy's `dot`).
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn f(m: &Array, v: &Array) -> (Array, f32) {
///     (jnp::dot(m, v), jnp::dot(v, v))
/// }
///
/// # fn main() -> Result<(), jit::Error> {
/// let m = Array::from_shape_vec(&[2, 3], vec![1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0])?;
/// let v = Array::from(vec![1.0f32, 0.0, -1.0]);
/// let (mv, vv) = f(&m, &v);
/// assert_eq!(mv.to_vec::<f32>()?, vec![-2.0, -2.0]);
/// assert_eq!(vv, 2.0);
/// # Ok(())
/// # }
/// ```
pub fn dot(a: impl IntoTracer, b: impl IntoTracer) -> Tracer {
    let (a, b) = (a.into_tracer(), b.into_tracer());
    let (ra, rb) = (a.shape().len(), b.shape().len());
    if ra <= 2 && rb <= 2 {
        return matmul(a, b);
    }
    let ty = crate::dtype::promote(a.ty(), b.ty());
    let (a, b) = (a.coerce(ty), b.coerce(ty));
    let rhs_axis = if rb == 1 { 0 } else { rb - 2 };
    dot_general(a, b, (vec![ra - 1], vec![rhs_axis]), (vec![], vec![]), ty)
}

/// Records `dot_general` after checking the dimension numbers.
pub(crate) fn dot_general(
    a: Tracer,
    b: Tracer,
    contracting: (Vec<usize>, Vec<usize>),
    batch: (Vec<usize>, Vec<usize>),
    ty: Ty,
) -> Tracer {
    let (sa, sb) = (a.shape(), b.shape());
    let sizes =
        |s: &[usize], dims: &[usize]| -> Vec<usize> { dims.iter().map(|&d| s[d]).collect() };
    let (ca, cb) = (sizes(&sa, &contracting.0), sizes(&sb, &contracting.1));
    if ca != cb {
        trace_error(format_args!(
            "dot_general requires contracting dimensions to have the same shape, got {} and {}.",
            shape_text(&ca),
            shape_text(&cb)
        ));
    }
    let mut shape = sizes(&sa, &batch.0);
    shape.extend(sizes(
        &sa,
        &dot_free_dims(sa.len(), &contracting.0, &batch.0),
    ));
    shape.extend(sizes(
        &sb,
        &dot_free_dims(sb.len(), &contracting.1, &batch.1),
    ));
    if ty.dtype == DType::Bool {
        trace_error("dot_general is not defined on bool operands; convert them first");
    }
    Tracer::record(
        Op::DotGeneral { contracting, batch },
        &[a, b],
        AVal {
            ty: Ty::strong(ty.dtype),
            shape,
        },
    )
}

/// `x[start..limit]` along each dimension (static bounds, checked).
pub(crate) fn slice(x: Tracer, start: Vec<usize>, limit: Vec<usize>) -> Tracer {
    let shape = x.shape();
    for k in 0..shape.len() {
        if start[k] > limit[k] || limit[k] > shape[k] {
            trace_error(format_args!(
                "slice {}..{} of dimension {k} is out of bounds for shape {}",
                start[k],
                limit[k],
                shape_text(&shape)
            ));
        }
    }
    if start.iter().all(|&s| s == 0) && limit == shape {
        return x;
    }
    let new_shape = start.iter().zip(&limit).map(|(s, l)| l - s).collect();
    let aval = with_shape(x, x.ty(), new_shape);
    Tracer::record(
        Op::Slice {
            start_indices: start,
            limit_indices: limit,
        },
        &[x],
        aval,
    )
}

/// The elements `range` of dimension `axis`.
pub(crate) fn slice_axis(x: Tracer, axis: usize, range: std::ops::Range<usize>) -> Tracer {
    let shape = x.shape();
    if axis >= shape.len() {
        trace_error(format_args!(
            "axis {axis} is out of bounds for array of dimension {}",
            shape.len()
        ));
    }
    let mut start = vec![0; shape.len()];
    let mut limit = shape.clone();
    start[axis] = range.start;
    limit[axis] = range.end;
    slice(x, start, limit)
}

/// The operands joined along `axis` (promoted to one dtype).
pub fn concatenate(parts: &[Tracer], axis: i64) -> Tracer {
    if parts.is_empty() {
        trace_error("Need at least one array to concatenate.");
    }
    let ty = parts
        .iter()
        .map(|t| t.ty())
        .reduce(crate::dtype::promote)
        .expect("non-empty");
    let parts: Vec<Tracer> = parts.iter().map(|t| t.coerce(ty)).collect();
    let first = parts[0].shape();
    if first.is_empty() {
        trace_error("zero-dimensional arrays cannot be concatenated.");
    }
    let d = normalize_axis(axis, first.len());
    let mut total = 0;
    for p in &parts {
        let s = p.shape();
        let agrees = s.len() == first.len() && (0..s.len()).all(|k| k == d || s[k] == first[k]);
        if !agrees {
            let texts: Vec<String> = parts.iter().map(|p| shape_text(&p.shape())).collect();
            trace_error(format_args!(
                "Cannot concatenate arrays with shapes that differ in dimensions other than the \
                 one being concatenated: concatenating along dimension {d} for shapes {}.",
                texts.join(", ")
            ));
        }
        total += s[d];
    }
    if parts.len() == 1 {
        return parts[0];
    }
    let mut shape = first;
    shape[d] = total;
    Tracer::record(Op::Concatenate { dimension: d }, &parts, AVal { ty, shape })
}

/// The operands stacked along a new axis `axis`.
pub fn stack(parts: &[Tracer], axis: i64) -> Tracer {
    if parts.is_empty() {
        trace_error("Need at least one array to stack.");
    }
    let ndim = parts[0].shape().len() + 1;
    let a = normalize_axis(axis, ndim);
    let expanded: Vec<Tracer> = parts.iter().map(|&p| expand_dims(p, [a])).collect();
    concatenate(&expanded, a as i64)
}

/// `iota`: `0, 1, ..` along `dimension` of `shape`, of `dtype`.
pub(crate) fn iota(dtype: DType, shape: Vec<usize>, dimension: usize) -> Tracer {
    Tracer::record(
        Op::Iota {
            dtype,
            shape: shape.clone(),
            dimension,
        },
        &[],
        AVal {
            ty: Ty::strong(dtype),
            shape,
        },
    )
}

/// A scalar broadcast to `shape` (shape `[]` stays a scalar).
pub(crate) fn fill(value: Tracer, shape: Vec<usize>) -> Tracer {
    if shape.is_empty() {
        return value;
    }
    let ty = value.ty();
    Tracer::record(
        Op::BroadcastInDim {
            shape: shape.clone(),
            broadcast_dimensions: Vec::new(),
        },
        &[value],
        AVal { ty, shape },
    )
}

/// `plain_sizes` for the creation functions.
pub(crate) fn creation_shape(shape: impl Shape, what: &str) -> Vec<usize> {
    plain_sizes(shape, what)
}

/// Array methods, named as on `jax.Array` where Rust allows.
impl Tracer {
    /// The sum of every element, as `x.sum()`.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(m: &Array) -> f32 {
    ///     m.sum()
    /// }
    ///
    /// # fn main() -> Result<(), jit::Error> {
    /// let m = Array::from_shape_vec(&[2, 3], vec![1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0])?;
    /// assert_eq!(f(&m), 21.0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn sum(self) -> Tracer {
        sum(self, ..)
    }

    /// The mean of every element, as `x.mean()`.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(m: &Array) -> f32 {
    ///     m.mean()
    /// }
    ///
    /// # fn main() -> Result<(), jit::Error> {
    /// let m = Array::from_shape_vec(&[2, 3], vec![1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0])?;
    /// assert_eq!(f(&m), 3.5);
    /// # Ok(())
    /// # }
    /// ```
    pub fn mean(self) -> Tracer {
        mean(self, ..)
    }

    /// The same elements in a new shape (one size may be `-1`), as
    /// `x.reshape(..)`.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: &Array) -> Array {
    ///     x.reshape([-1, 2])
    /// }
    ///
    /// # fn main() -> Result<(), jit::Error> {
    /// let x = Array::from(vec![1, 2, 3, 4, 5, 6]);
    /// assert_eq!(f(&x).shape(), &[3, 2]);
    /// # Ok(())
    /// # }
    /// ```
    pub fn reshape(self, shape: impl Shape) -> Tracer {
        reshape(self, shape)
    }

    /// The dimensions reversed, as `x.T`.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(m: &Array) -> Array {
    ///     m.transpose()
    /// }
    ///
    /// # fn main() -> Result<(), jit::Error> {
    /// let m = Array::from_shape_vec(&[2, 3], vec![1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0])?;
    /// let t = f(&m);
    /// assert_eq!(t.shape(), &[3, 2]);
    /// assert_eq!(t.to_vec::<f32>()?, vec![1.0, 4.0, 2.0, 5.0, 3.0, 6.0]);
    /// # Ok(())
    /// # }
    /// ```
    pub fn transpose(self) -> Tracer {
        reverse_axes(self)
    }

    /// `jnp.dot(self, other)`.
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(m: &Array, v: &Array) -> Array {
    ///     m.dot(v)
    /// }
    ///
    /// # fn main() -> Result<(), jit::Error> {
    /// let m = Array::from_shape_vec(&[2, 3], vec![1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0])?;
    /// let v = Array::from(vec![1.0f32, 1.0, 1.0]);
    /// assert_eq!(f(&m, &v).to_vec::<f32>()?, vec![6.0, 15.0]);
    /// # Ok(())
    /// # }
    /// ```
    pub fn dot(self, other: impl IntoTracer) -> Tracer {
        dot(self, other)
    }

    /// `x[range]` along the leading axis (static bounds, checked while
    /// tracing).
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: &Array) -> Array {
    ///     x.slice(1..3)
    /// }
    ///
    /// # fn main() -> Result<(), jit::Error> {
    /// let x = Array::from(vec![10, 20, 30, 40]);
    /// assert_eq!(f(&x).to_vec::<i32>()?, vec![20, 30]);
    /// # Ok(())
    /// # }
    /// ```
    pub fn slice(self, range: std::ops::Range<usize>) -> Tracer {
        slice_axis(self, 0, range)
    }

    /// `x[:, .., range]` along `axis` (static bounds).
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(m: &Array) -> Array {
    ///     m.slice_axis(1, 0..2) // m[:, 0:2]
    /// }
    ///
    /// # fn main() -> Result<(), jit::Error> {
    /// let m = Array::from_shape_vec(&[2, 3], vec![1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0])?;
    /// let y = f(&m);
    /// assert_eq!(y.shape(), &[2, 2]);
    /// assert_eq!(y.to_vec::<f32>()?, vec![1.0, 2.0, 4.0, 5.0]);
    /// # Ok(())
    /// # }
    /// ```
    pub fn slice_axis(self, axis: usize, range: std::ops::Range<usize>) -> Tracer {
        slice_axis(self, axis, range)
    }

    /// `x[i]`: the sub-array at index `i` of the leading axis (negative
    /// counts from the end; static, checked while tracing).
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(m: &Array) -> (Array, Array) {
    ///     (m.at(0), m.at(-1))
    /// }
    ///
    /// # fn main() -> Result<(), jit::Error> {
    /// let m = Array::from_shape_vec(&[2, 3], vec![1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0])?;
    /// let (first, last) = f(&m);
    /// assert_eq!(first.to_vec::<f32>()?, vec![1.0, 2.0, 3.0]);
    /// assert_eq!(last.to_vec::<f32>()?, vec![4.0, 5.0, 6.0]);
    /// # Ok(())
    /// # }
    /// ```
    pub fn at(self, i: i64) -> Tracer {
        let shape = self.shape();
        if shape.is_empty() {
            trace_error("`at` needs an array of at least one dimension, not a scalar");
        }
        let n = shape[0] as i64;
        if i < -n || i >= n {
            trace_error(format_args!(
                "index {i} is out of bounds for axis 0 with size {n}"
            ));
        }
        let i = if i < 0 { i + n } else { i } as usize;
        squeeze(slice_axis(self, 0, i..i + 1), [0usize])
    }

    /// `self < other`, elementwise (for helpers outside a `#[jit]` body,
    /// where `<` would ask for a Rust `bool`).
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// // A plain helper: `x < lo` here would not compile.
    /// fn below(x: Tracer, lo: f32) -> Tracer {
    ///     x.lt(lo)
    /// }
    ///
    /// #[jit]
    /// fn f(x: &Array) -> Array {
    ///     below(x, 2.0)
    /// }
    ///
    /// # fn main() -> Result<(), jit::Error> {
    /// let x = Array::from(vec![1.0f32, 2.0, 3.0]);
    /// assert_eq!(f(&x).to_vec::<bool>()?, vec![true, false, false]);
    /// # Ok(())
    /// # }
    /// ```
    pub fn lt(self, other: impl IntoTracer) -> Tracer {
        binary(Op::Lt, self, other.into_tracer())
    }

    /// `self <= other`, elementwise.
    pub fn le(self, other: impl IntoTracer) -> Tracer {
        binary(Op::Le, self, other.into_tracer())
    }

    /// `self > other`, elementwise.
    pub fn gt(self, other: impl IntoTracer) -> Tracer {
        binary(Op::Gt, self, other.into_tracer())
    }

    /// `self >= other`, elementwise.
    pub fn ge(self, other: impl IntoTracer) -> Tracer {
        binary(Op::Ge, self, other.into_tracer())
    }

    /// `self == other`, elementwise.
    pub fn eq(self, other: impl IntoTracer) -> Tracer {
        binary(Op::Eq, self, other.into_tracer())
    }

    /// `self != other`, elementwise.
    pub fn ne(self, other: impl IntoTracer) -> Tracer {
        binary(Op::Ne, self, other.into_tracer())
    }
}

/// `t` as an `i32` index (JAX converts indices to `int32`).
fn index_i32(t: Tracer, what: &str) -> Tracer {
    let ty = t.ty();
    if !matches!(ty.dtype, DType::I32 | DType::I64 | DType::U32) || !t.shape().is_empty() {
        trace_error(format_args!(
            "{what} must be an integer scalar, got {}",
            t.aval()
        ));
    }
    if ty.dtype == DType::I32 {
        t
    } else {
        t.coerce(Ty::strong(DType::I32))
    }
}

/// The block of `sizes` of `x` at `starts` (one per dimension), each start
/// counted from the end when negative, then clamped so the block stays
/// inside, as `lax.dynamic_slice`.
pub fn dynamic_slice(x: Tracer, starts: &[Tracer], sizes: Vec<usize>) -> Tracer {
    let shape = x.shape();
    if starts.len() != shape.len() || sizes.len() != shape.len() {
        trace_error(format_args!(
            "dynamic_slice needs one start and one size per dimension of {}, got {} starts \
             and {} sizes",
            x.aval(),
            starts.len(),
            sizes.len()
        ));
    }
    if let Some(k) = (0..shape.len()).find(|&k| sizes[k] > shape[k]) {
        trace_error(format_args!(
            "dynamic_slice: size {} of dimension {k} is larger than {}",
            sizes[k],
            x.aval()
        ));
    }
    let mut operands = vec![x];
    operands.extend(
        starts
            .iter()
            .zip(&shape)
            .map(|(&s, &n)| wrap_negative(index_i32(s, "a dynamic_slice start"), n)),
    );
    Tracer::record(
        Op::DynamicSlice {
            slice_sizes: sizes.clone(),
        },
        &operands,
        AVal {
            ty: x.ty(),
            shape: sizes,
        },
    )
}

/// `x` with `update` written at `starts` (negative counts from the end, then
/// clamped so it stays inside), as `lax.dynamic_update_slice`.
pub fn dynamic_update_slice(x: Tracer, update: Tracer, starts: &[Tracer]) -> Tracer {
    let (shape, ushape) = (x.shape(), update.shape());
    let fits = ushape.len() == shape.len() && ushape.iter().zip(&shape).all(|(u, s)| u <= s);
    if !fits || starts.len() != shape.len() {
        trace_error(format_args!(
            "dynamic_update_slice: an update of {} with {} starts does not fit {}",
            update.aval(),
            starts.len(),
            x.aval()
        ));
    }
    let update = update.coerce(Ty::strong(x.dtype()));
    let mut operands = vec![x, update];
    operands.extend(
        starts
            .iter()
            .zip(&shape)
            .map(|(&s, &n)| wrap_negative(index_i32(s, "a dynamic_update_slice start"), n)),
    );
    Tracer::record(Op::DynamicUpdateSlice, &operands, x.aval())
}

/// `i` counted from the end when negative (once), as JAX's indexing.
fn wrap_negative(i: Tracer, n: usize) -> Tracer {
    let i = index_i32(i, "an index");
    let zero = Tracer::weak(Scalar::I32(0));
    let wrapped = binary(Op::Add, i, Tracer::weak(Scalar::I64(n as i64)));
    super::ops::select(binary(Op::Lt, i, zero), wrapped, i)
}

/// `x[i]` along the leading axis with a traced `i`: negative counts from
/// the end, then clamped into range, as `lax.dynamic_index_in_dim`.
pub fn dynamic_index(x: Tracer, i: Tracer) -> Tracer {
    let shape = x.shape();
    if shape.is_empty() {
        trace_error("dynamic_index needs an array of at least one dimension, not a scalar");
    }
    let mut starts = vec![i];
    starts.extend((1..shape.len()).map(|_| Tracer::constant(Scalar::I32(0))));
    let mut sizes = shape.clone();
    sizes[0] = 1;
    squeeze(dynamic_slice(x, &starts, sizes), [0usize])
}

/// `x.at[i].set(v)` (`add` false) or `x.at[i].add(v)` (`add` true) along the
/// leading axis: `i` may be traced; negative counts from the end; an index
/// out of range leaves `x` unchanged, as JAX's default (dropping) mode.
pub(crate) fn at_update(x: Tracer, i: Tracer, v: Tracer, add: bool) -> Tracer {
    let shape = x.shape();
    if shape.is_empty() {
        trace_error("`at_set`/`at_add` need an array of at least one dimension, not a scalar");
    }
    let n = shape[0];
    let w = wrap_negative(i, n);
    let zero = Tracer::weak(Scalar::I32(0));
    let in_bounds = binary(
        Op::And,
        binary(Op::Ge, w, zero),
        binary(Op::Lt, w, Tracer::weak(Scalar::I64(n as i64))),
    );
    let row_shape = shape[1..].to_vec();
    let v = v.coerce(Ty::strong(x.dtype()));
    let row = if add {
        binary(Op::Add, dynamic_index(x, w), v)
    } else {
        broadcast_to(v, row_shape.clone())
    };
    let row = broadcast_to(row.coerce(Ty::strong(x.dtype())), row_shape);
    let mut starts = vec![w];
    starts.extend((1..shape.len()).map(|_| Tracer::constant(Scalar::I32(0))));
    let updated = dynamic_update_slice(x, expand_dims(row, [0usize]), &starts);
    super::ops::select(in_bounds, updated, x)
}

/// Functional updates, as `x.at[i].set(v)` and `x.at[i].add(v)`.
impl Tracer {
    /// A copy of `self` with `self[i] = v` (`i` static or traced; negative
    /// counts from the end; out of range changes nothing, as JAX).
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: &Array, i: i32) -> Array {
    ///     x.at_set(i, 9.0)
    /// }
    ///
    /// # fn main() -> Result<(), jit::Error> {
    /// let x = Array::from(vec![1.0f32, 2.0, 3.0]);
    /// assert_eq!(f(&x, 1).to_vec::<f32>()?, vec![1.0, 9.0, 3.0]);
    /// assert_eq!(f(&x, -1).to_vec::<f32>()?, vec![1.0, 2.0, 9.0]);
    /// assert_eq!(f(&x, 5).to_vec::<f32>()?, vec![1.0, 2.0, 3.0]);
    /// # Ok(())
    /// # }
    /// ```
    pub fn at_set(self, i: impl IntoTracer, v: impl IntoTracer) -> Tracer {
        at_update(self, i.into_tracer(), v.into_tracer(), false)
    }

    /// A copy of `self` with `self[i] += v` (as `at_set` for the index).
    ///
    /// ```
    /// use jit::prelude::*;
    ///
    /// #[jit]
    /// fn f(x: &Array) -> Array {
    ///     x.at_add(0, 10.0)
    /// }
    ///
    /// # fn main() -> Result<(), jit::Error> {
    /// let x = Array::from(vec![1.0f32, 2.0, 3.0]);
    /// assert_eq!(f(&x).to_vec::<f32>()?, vec![11.0, 2.0, 3.0]);
    /// # Ok(())
    /// # }
    /// ```
    pub fn at_add(self, i: impl IntoTracer, v: impl IntoTracer) -> Tracer {
        at_update(self, i.into_tracer(), v.into_tracer(), true)
    }
}
