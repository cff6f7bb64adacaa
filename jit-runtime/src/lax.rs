//! `jit::lax`: staged primitives, as `jax.lax`.
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
pub fn dynamic_index(x: impl IntoTracer, i: impl IntoTracer) -> Tracer {
    array_ops::dynamic_index(x.into_tracer(), i.into_tracer())
}

/// The block of static `sizes` of `x` at traced `starts` (one per
/// dimension), each clamped so the block stays inside, as
/// `jax.lax.dynamic_slice`.
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
