//! `jit::lax`: staged primitives, as `jax.lax`.
//!
//! Inside a `#[jit]` body, Rust `if`, `while`, `for` and `match` on traced
//! values do not compile: the values are unknown while tracing. These
//! functions stage the loop or branch instead, so that it runs in the
//! compiled code, once per call, and a new trip count or predicate never
//! recompiles:
//!
//! | JAX | here |
//! |---|---|
//! | `lax.fori_loop` | [`fori_loop`] |
//! | `lax.while_loop` | [`while_loop`] |
//! | `lax.scan` | [`scan`] |
//! | `lax.cond` | [`cond`] |
//! | `lax.switch` | [`switch`] |
//! | `lax.select` | [`select`] |
//! | `lax.dynamic_index_in_dim` | [`dynamic_index`] |
//! | `lax.dynamic_slice` | [`dynamic_slice`] |
//! | `lax.dynamic_update_slice` | [`dynamic_update_slice`] |
//!
//! Loop carries and branch results are any [`Pytree`]: tracers, Rust
//! scalars, `Array`s, tuples, `[T; N]`, `Vec`s and `#[derive(Pytree)]`
//! structs. A carry keeps its structure, dtypes and shapes from one
//! iteration to the next; a weakly typed initial value such as `0.0` takes
//! the dtype the body returns.
//!
//! ```
//! use jit::prelude::*;
//!
//! #[jit]
//! fn sum_up_to(x: i32) -> i32 {
//!     lax::while_loop(|(_, n)| n <= x, |(s, n)| (s + n, n + 1), (0, 1)).0
//! }
//!
//! # fn main() {
//! assert_eq!(sum_up_to(10), 55);
//! assert_eq!(sum_up_to(100), 5050); // the same compiled loop
//! assert_eq!(sum_up_to::cache_size(), 1);
//! # }
//! ```
//!
//! The typed front end of control flow: each function flattens its pytrees
//! (`trace/pytree.rs`), stages the loop or branch on flat leaves
//! (`trace/control.rs`) and rebuilds the result's shape. Closures may use
//! tracers of the enclosing body; they become the regions' consts.
//!
//! The signatures take the carry's type from `init` (rustc checks closure
//! arguments after the other arguments), so `|(_, n)|` and `|i, [a, b]|`
//! patterns type-check with no annotation.

use crate::dtype::DType;
use crate::ir::Op;
use crate::scalar::Scalar;
use crate::trace::control::{self, Branch};
use crate::trace::pytree::TreeDef;
use crate::trace::{IntoTracer, Tracer, array_ops, ops, trace_error};

pub use crate::trace::ops::select;
pub use crate::trace::pytree::Pytree;

fn flatten<P: Pytree>(value: &P) -> (Vec<Tracer>, TreeDef) {
    let mut leaves = Vec::new();
    let def = value.flatten(&mut leaves);
    (leaves, def)
}

fn unflatten<P: Pytree>(def: &TreeDef, leaves: &[Tracer]) -> P::Traced {
    P::unflatten(def, &mut leaves.iter().copied())
}

/// Flattens a body's result, checking it has the structure `def` of the
/// carry it was given (`carry`, its leaves).
fn flatten_carry<P: Pytree>(prim: &str, value: &P, def: &TreeDef, carry: &[Tracer]) -> Vec<Tracer> {
    let (leaves, got) = flatten(value);
    if got != *def {
        let want_tys: Vec<_> = carry.iter().map(|t| t.ty()).collect();
        let got_tys: Vec<_> = leaves.iter().map(|t| t.ty()).collect();
        trace_error(format_args!(
            "`{prim}`: the body must return the carry's structure {}, but returns {}",
            def.describe(&want_tys),
            got.describe(&got_tys)
        ));
    }
    leaves
}

/// `for i in lower..upper { carry = body(i, carry) }`, staged as one loop:
/// the bounds may be tracers (no recompile for a new trip count) or plain
/// integers. `lower >= upper` runs the body zero times.
///
/// As `jax.lax.fori_loop(lower, upper, body, init)`. `body` gets the index
/// (an `i32` tracer) and the carry, and returns the next carry.
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn fori(x: f32, n: i32) -> f32 {
///     lax::fori_loop(0, n, |_i, y| y + x, 0.0)
/// }
///
/// #[jit]
/// fn factorial(n: i32) -> i32 {
///     lax::fori_loop(1, n + 1, |i, acc| acc * i, 1)
/// }
///
/// # fn main() {
/// assert_eq!(fori(2.0, 10), 20.0);
/// assert_eq!(fori(2.0, 0), 0.0);
/// assert_eq!(factorial(5), 120);
/// # }
/// ```
pub fn fori_loop<C: Pytree>(
    lower: impl IntoTracer,
    upper: impl IntoTracer,
    mut body: impl FnMut(Tracer, C::Traced) -> C::Traced,
    init: C,
) -> C::Traced {
    let (leaves, def) = flatten(&init);
    let out = control::fori_loop(
        lower.into_tracer(),
        upper.into_tracer(),
        leaves,
        &mut |i, carry| {
            let result = body(i, unflatten::<C>(&def, carry));
            flatten_carry("lax::fori_loop", &result, &def, carry)
        },
        &|tys| def.describe(tys),
    );
    unflatten::<C>(&def, &out)
}

/// `while cond(carry) { carry = body(carry) }`, staged as one loop.
///
/// As `jax.lax.while_loop(cond, body, init)`: `cond` returns a bool tracer
/// (a comparison in the body), `body` the next carry. Both take the carry
/// by value.
///
/// ```
/// use jit::prelude::*;
///
/// // Halve until below 1, counting the steps.
/// #[jit]
/// fn halvings(x: f32) -> i32 {
///     lax::while_loop(|(y, _)| y >= 1.0, |(y, k)| (y / 2.0, k + 1), (x, 0)).1
/// }
///
/// # fn main() {
/// assert_eq!(halvings(8.0), 4);
/// assert_eq!(halvings(0.5), 0);
/// # }
/// ```
pub fn while_loop<C: Pytree, P: IntoTracer>(
    mut cond: impl FnMut(C::Traced) -> P,
    mut body: impl FnMut(C::Traced) -> C::Traced,
    init: C,
) -> C::Traced {
    let (leaves, def) = flatten(&init);
    let out = control::while_loop(
        "lax::while_loop",
        leaves,
        &mut |carry| cond(unflatten::<C>(&def, carry)).into_tracer(),
        &mut |carry| {
            let result = body(unflatten::<C>(&def, carry));
            flatten_carry("lax::while_loop", &result, &def, carry)
        },
        &|tys| def.describe(tys),
    );
    unflatten::<C>(&def, &out)
}

fn branch<'a, R: Pytree>(f: impl FnOnce() -> R + 'a) -> Branch<'a> {
    Box::new(move || flatten(&f()))
}

/// `f(carry, x)` for each `x` along the leading axis of `xs`, staged as
/// one loop: returns the final carry and the `y`s stacked along a new
/// leading axis, as `jax.lax.scan`. `xs` may be a pytree of arrays of one
/// leading length; `init` a pytree whose structure and types the body keeps
/// (a weak initial value takes the dtype the body returns).
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn cumsum(xs: &Array) -> Array {
///     lax::scan(|c, x| (c + x, c + x), 0.0, xs).1
/// }
///
/// #[jit]
/// fn total_and_squares(xs: &Array) -> (f32, Array) {
///     lax::scan(|c, x| (c + x, x * x), 0.0, xs)
/// }
///
/// # fn main() -> Result<(), jit::Error> {
/// let xs = Array::from(vec![1.0f32, 2.0, 3.0, 4.0]);
/// assert_eq!(cumsum(&xs).to_vec::<f32>()?, vec![1.0, 3.0, 6.0, 10.0]);
/// let (total, squares) = total_and_squares(&xs);
/// assert_eq!(total, 10.0);
/// assert_eq!(squares.to_vec::<f32>()?, vec![1.0, 4.0, 9.0, 16.0]);
/// # Ok(())
/// # }
/// ```
pub fn scan<C: Pytree, X: Pytree, Y: Pytree>(
    mut f: impl FnMut(C::Traced, X::Traced) -> (C::Traced, Y),
    init: C,
    xs: X,
) -> (C::Traced, Y::Traced) {
    let (leaves, def) = flatten(&init);
    let (x_leaves, x_def) = flatten(&xs);
    let mut y_def = None;
    let (carry, ys) = control::scan(
        leaves,
        x_leaves,
        &mut |carry, x| {
            let (next, y) = f(unflatten::<C>(&def, carry), unflatten::<X>(&x_def, x));
            let next = flatten_carry("lax::scan", &next, &def, carry);
            let (y_leaves, d) = flatten(&y);
            y_def = Some(d);
            (next, y_leaves)
        },
        &|tys| def.describe(tys),
    );
    let y_def = y_def.expect("the body was traced");
    (unflatten::<C>(&def, &carry), unflatten::<Y>(&y_def, &ys))
}

/// `x[i]` along the leading axis with a traced index: negative counts from
/// the end, then the index is clamped into range, as
/// `jax.lax.dynamic_index_in_dim(x, i, keepdims=False)`. A new value of `i`
/// never recompiles.
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn row(m: &Array, i: i32) -> Array {
///     lax::dynamic_index(m, i)
/// }
///
/// # fn main() -> Result<(), jit::Error> {
/// let m = Array::from_shape_vec(&[3, 2], vec![1, 2, 3, 4, 5, 6])?;
/// assert_eq!(row(&m, 1).to_vec::<i32>()?, vec![3, 4]);
/// assert_eq!(row(&m, -1).to_vec::<i32>()?, vec![5, 6]); // from the end
/// assert_eq!(row(&m, 7).to_vec::<i32>()?, vec![5, 6]);  // clamped
/// assert_eq!(row::cache_size(), 1);
/// # Ok(())
/// # }
/// ```
pub fn dynamic_index(x: impl IntoTracer, i: impl IntoTracer) -> Tracer {
    array_ops::dynamic_index(x.into_tracer(), i.into_tracer())
}

/// The block of static `sizes` of `x` at traced `starts` (one per
/// dimension), each clamped so the block stays inside, as
/// `jax.lax.dynamic_slice`.
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn window(x: &Array, i: i32) -> Array {
///     lax::dynamic_slice(x, [i], [3])
/// }
///
/// # fn main() -> Result<(), jit::Error> {
/// let x = Array::from(vec![0, 1, 2, 3, 4, 5]);
/// assert_eq!(window(&x, 2).to_vec::<i32>()?, vec![2, 3, 4]);
/// assert_eq!(window(&x, 5).to_vec::<i32>()?, vec![3, 4, 5]); // moved inside
/// # Ok(())
/// # }
/// ```
pub fn dynamic_slice<S: IntoTracer, const N: usize>(
    x: impl IntoTracer,
    starts: [S; N],
    sizes: impl array_ops::Shape,
) -> Tracer {
    let starts: Vec<Tracer> = starts.into_iter().map(IntoTracer::into_tracer).collect();
    let sizes = array_ops::creation_shape(sizes, "dynamic_slice");
    array_ops::dynamic_slice(x.into_tracer(), &starts, sizes)
}

/// `x` with `update` written at traced `starts`, clamped so it stays
/// inside, as `jax.lax.dynamic_update_slice`.
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn write_at(x: &Array, u: &Array, i: i32) -> Array {
///     lax::dynamic_update_slice(x, u, [i])
/// }
///
/// # fn main() -> Result<(), jit::Error> {
/// let x = Array::from(vec![0.0f32; 5]);
/// let u = Array::from(vec![1.0f32, 2.0]);
/// assert_eq!(write_at(&x, &u, 1).to_vec::<f32>()?, vec![0.0, 1.0, 2.0, 0.0, 0.0]);
/// assert_eq!(write_at(&x, &u, 9).to_vec::<f32>()?, vec![0.0, 0.0, 0.0, 1.0, 2.0]);
/// # Ok(())
/// # }
/// ```
pub fn dynamic_update_slice<S: IntoTracer, const N: usize>(
    x: impl IntoTracer,
    update: impl IntoTracer,
    starts: [S; N],
) -> Tracer {
    let starts: Vec<Tracer> = starts.into_iter().map(IntoTracer::into_tracer).collect();
    array_ops::dynamic_update_slice(x.into_tracer(), update.into_tracer(), &starts)
}

/// `on_true()` if `pred` else `on_false()`, staged: both are traced, one
/// runs. As JAX, the predicate becomes an `i32` index, false first; a
/// number is a predicate too, true when it is not zero (NaN is true).
///
/// Both closures take no arguments (they capture what they need) and
/// return pytrees of one structure and type.
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn myabs(x: i32) -> i32 {
///     lax::cond(x > 0, || x, || -x)
/// }
///
/// #[jit]
/// fn sort2(a: f32, b: f32) -> (f32, f32) {
///     lax::cond(a <= b, || (a, b), || (b, a))
/// }
///
/// # fn main() {
/// assert_eq!(myabs(-3), 3);
/// assert_eq!(myabs(4), 4);
/// assert_eq!(sort2(2.0, 1.0), (1.0, 2.0));
/// # }
/// ```
pub fn cond<R: Pytree>(
    pred: impl IntoTracer,
    on_true: impl FnOnce() -> R,
    on_false: impl FnOnce() -> R,
) -> R::Traced {
    let mut pred = pred.into_tracer();
    // JAX's `cond` accepts an integer or float scalar as `pred != 0`
    // rather than rejecting it.
    if pred.dtype() != DType::Bool && pred.shape().is_empty() {
        pred = ops::binary(Op::Ne, pred, Tracer::weak(Scalar::I32(0)));
    }
    if pred.dtype() != DType::Bool || !pred.shape().is_empty() {
        trace_error(format_args!(
            "`lax::cond` needs a bool or number scalar predicate, got {}",
            TreeDef::Leaf.describe(&[pred.ty()])
        ));
    }
    let index = ops::cast_recorded(pred, DType::I32);
    let names = ["false_fun".to_owned(), "true_fun".to_owned()];
    let (leaves, def) = control::cond(
        "lax::cond",
        index,
        vec![branch(on_false), branch(on_true)],
        &names,
    );
    unflatten::<R>(&def, &leaves)
}

/// The closures of [`switch`]: a tuple of up to 8 closures returning
/// pytrees of one type.
pub trait Branches {
    /// The traced result.
    type Output;
    /// Stages the switch on a clamped `i32` index.
    fn switch(self, index: Tracer) -> Self::Output;
}

macro_rules! branches {
    ($n:expr; $($F:ident $i:tt),+) => {
        impl<R: Pytree, $($F: FnOnce() -> R),+> Branches for ($($F,)+) {
            type Output = R::Traced;
            fn switch(self, index: Tracer) -> R::Traced {
                if $n == 1 {
                    return unflatten_single::<R>(self.0);
                }
                let hi = Tracer::constant(Scalar::I32($n - 1));
                let lo = Tracer::constant(Scalar::I32(0));
                let index = Tracer::record(Op::Clamp, &[lo, index, hi], crate::ir::AVal::scalar(crate::dtype::Ty::strong(DType::I32)));
                let names: Vec<String> = (0..$n).map(|k| format!("branch {k}")).collect();
                let (leaves, def) = control::cond(
                    "lax::switch",
                    index,
                    vec![$(branch(self.$i)),+],
                    &names,
                );
                unflatten::<R>(&def, &leaves)
            }
        }
    };
}

fn unflatten_single<R: Pytree>(f: impl FnOnce() -> R) -> R::Traced {
    let (leaves, def) = flatten(&f());
    unflatten::<R>(&def, &leaves)
}

branches!(1; F0 0);
branches!(2; F0 0, F1 1);
branches!(3; F0 0, F1 1, F2 2);
branches!(4; F0 0, F1 1, F2 2, F3 3);
branches!(5; F0 0, F1 1, F2 2, F3 3, F4 4);
branches!(6; F0 0, F1 1, F2 2, F3 3, F4 4, F5 5);
branches!(7; F0 0, F1 1, F2 2, F3 3, F4 4, F5 5, F6 6);
branches!(8; F0 0, F1 1, F2 2, F3 3, F4 4, F5 5, F6 6, F7 7);

/// `branches[index]()`, staged. As in JAX, the index is first converted
/// to `i32` (an `i64` or `u32` index wraps: `u32::MAX` becomes -1), then
/// clamped to the branches (-1 takes the first, a large index the last).
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn pick(i: i32, x: f32) -> f32 {
///     lax::switch(i, (|| x + 1.0, || x * 2.0, || -x))
/// }
///
/// # fn main() {
/// assert_eq!(pick(0, 3.0), 4.0);
/// assert_eq!(pick(1, 3.0), 6.0);
/// assert_eq!(pick(2, 3.0), -3.0);
/// assert_eq!(pick(7, 3.0), -3.0); // clamped to the last branch
/// assert_eq!(pick(-1, 3.0), 4.0); // and to the first
/// # }
/// ```
pub fn switch<B: Branches>(index: impl IntoTracer, branches: B) -> B::Output {
    let index = index.into_tracer();
    if !matches!(index.dtype(), DType::I32 | DType::I64 | DType::U32) || !index.shape().is_empty() {
        trace_error(format_args!(
            "`lax::switch` needs an integer scalar index, got {}",
            TreeDef::Leaf.describe(&[index.ty()])
        ));
    }
    let index = if index.dtype() == DType::I32 && !index.is_weak() {
        index
    } else {
        ops::cast_recorded(index, DType::I32)
    };
    branches.switch(index)
}
