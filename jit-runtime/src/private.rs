//! `__private`: the runtime items the macros' output calls, and nothing a
//! user writes by hand. Every path the macros emit is
//! `::jit::__private::...`, so they work whatever the user imported.

pub use crate::Error;
pub use crate::cache::{Cache, call, lower, make_jaxpr};
pub use crate::explain::{Describe, DescribeDebug, DescribeOther};
pub use crate::ir::AVal;
pub use crate::ir::Jaxpr;
pub use crate::pipeline::{Compiled, Lowered};
pub use crate::trace::Tracer;
pub use crate::trace::pytree::TracedForm;
pub use crate::trace::signature::{
    ArgList, ArgType, Concrete, JitArg, JitReturn, Mode, ResultType, ReturnValue, Traced,
};
pub use crate::value::Value;

use crate::ir::Op;
use crate::scalar::{Element, Scalar};
use crate::trace::IntoTracer;
use crate::trace::ops;
use std::fmt;
use std::sync::Arc;

/// An unsuffixed float literal in a traced position: a weak float.
pub fn weak_float(value: f64) -> Tracer {
    Tracer::weak(Scalar::F64(value))
}

/// An unsuffixed integer literal in a traced position: a weak integer.
pub fn weak_int(value: i64) -> Tracer {
    Tracer::weak(Scalar::I64(value))
}

macro_rules! comparisons {
    ($($name:ident => $op:ident),*) => {$(
        /// A comparison with a traced side, as the macro rewrites it.
        pub fn $name(a: impl IntoTracer, b: impl IntoTracer) -> Tracer {
            ops::compare(Op::$op, a, b)
        }
    )*};
}
comparisons!(lt => Lt, le => Le, gt => Gt, ge => Ge, eq => Eq, ne => Ne);

/// `x as T` with a traced `x`.
pub fn cast<T: Element>(x: impl IntoTracer) -> Tracer {
    ops::cast(x, T::DTYPE)
}

/// A returned value, lifted to the declared return type's traced form.
pub fn ret<R: JitReturn>(value: impl ReturnValue<R>) -> R::Traced {
    value.into_traced()
}

/// A `#[jit]` function called with tracers inside another function's trace:
/// runs its staged body there. A fallible function (`-> Result<T, jit::Error>`)
/// gets the body's trace-time errors as `Err`.
pub fn inline<R: JitReturn>(body: impl FnOnce() -> R::Traced) -> R::Traced {
    match crate::trace::fallible_scope(R::FALLIBLE, || Ok(body())) {
        Ok(traced) => traced,
        Err(error) => R::traced_error(error),
    }
}

/// Records a `debug_print!`: prints `format` with the values on every call.
pub fn debug_print(format: &'static str, values: &[Tracer]) {
    crate::trace::record_effect(
        Op::DebugPrint {
            format: Arc::from(format),
        },
        values,
    );
}

/// Stands in for each value when `debug_print!` has rustc check its format
/// string against its arguments.
pub struct FormatCheck;

impl fmt::Display for FormatCheck {
    fn fmt(&self, _: &mut fmt::Formatter<'_>) -> fmt::Result {
        Ok(())
    }
}

impl fmt::Debug for FormatCheck {
    fn fmt(&self, _: &mut fmt::Formatter<'_>) -> fmt::Result {
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// Purity guards.
//
// The macro wraps every `if`/`while` condition and every range bound of a
// `for` head in one of these identity functions, spanned at the user's
// expression. Each requires a trait implemented for plain Rust values only,
// so a `Tracer` that reached the condition where the macro could not see it
// (through a helper function, a method call, a macro) is a compile error
// whose message names the staged replacement. `Tracer` implements none of
// these traits, and no trait (`PartialEq`, `PartialOrd`, `Into<bool>`, ...)
// that would let it become a Rust `bool` or integer silently.
// ---------------------------------------------------------------------------

/// A value an `if` condition may be: a Rust `bool`, known while tracing.
#[diagnostic::on_unimplemented(
    message = "`if` on a traced value: the condition is unknown while tracing",
    label = "this is `{Self}`, not a Rust `bool`",
    note = "use `lax::cond(pred, || .., || ..)` to stage both branches, or `lax::select(pred, a, b)`"
)]
pub trait ConcreteIf {
    /// The plain condition.
    fn into_bool(self) -> bool;
}

impl ConcreteIf for bool {
    fn into_bool(self) -> bool {
        self
    }
}

/// `if concrete_if(cond)`: `cond` unchanged, or a compile error for a tracer.
#[inline(always)]
pub fn concrete_if<B: ConcreteIf>(cond: B) -> bool {
    cond.into_bool()
}

/// A value a `while` condition may be: a Rust `bool`, known while tracing.
#[diagnostic::on_unimplemented(
    message = "`while` on a traced value: the condition is unknown while tracing",
    label = "this is `{Self}`, not a Rust `bool`",
    note = "use `lax::while_loop(cond, body, init)`"
)]
pub trait ConcreteWhile {
    /// The plain condition.
    fn into_bool(self) -> bool;
}

impl ConcreteWhile for bool {
    fn into_bool(self) -> bool {
        self
    }
}

/// `while concrete_while(cond)`: `cond` unchanged, or a compile error for a tracer.
#[inline(always)]
pub fn concrete_while<B: ConcreteWhile>(cond: B) -> bool {
    cond.into_bool()
}

/// A value a range bound in a `for` head may be: a Rust integer or `char`,
/// known while tracing, so the loop unrolls. `A` is the type of the range's
/// other bound (`Self` for a lone bound): one impl per type, with `A = Self`,
/// so an unsuffixed literal bound takes the other bound's type.
#[diagnostic::on_unimplemented(
    message = "`for` over a range with a traced bound: the trip count is unknown while tracing",
    label = "this is `{Self}`, not a Rust integer",
    note = "use `lax::fori_loop(lower, upper, body, init)`, or make the bound a static argument: `#[jit(static = n)]`"
)]
pub trait ConcreteBound<A = Self> {
    /// The plain bound.
    fn into_bound(self) -> A;
}

macro_rules! concrete_bounds {
    ($($t:ty),*) => {$(
        impl ConcreteBound for $t {
            fn into_bound(self) -> $t {
                self
            }
        }
    )*};
}
concrete_bounds!(
    u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize, char
);

/// A lone range bound of a `for` head (`a..`, `..b`), unchanged, or a
/// compile error for a tracer.
#[inline(always)]
pub fn concrete_bound<T: ConcreteBound>(bound: T) -> T {
    bound.into_bound()
}

/// `start..end` in a `for` head, or a compile error naming the traced bound.
/// The bounds are separate parameters, so a traced one is reported by the
/// trait bound rather than as a mismatch with the other bound's type.
#[inline(always)]
pub fn concrete_range<A: ConcreteBound, B: ConcreteBound<A>>(
    start: A,
    end: B,
) -> std::ops::Range<A> {
    start.into_bound()..end.into_bound()
}

/// `start..=end` in a `for` head, or a compile error naming the traced bound.
#[inline(always)]
pub fn concrete_range_inclusive<A: ConcreteBound, B: ConcreteBound<A>>(
    start: A,
    end: B,
) -> std::ops::RangeInclusive<A> {
    start.into_bound()..=end.into_bound()
}
// `#[derive(Pytree)]`'s output.
pub use crate::trace::pytree::{Pytree, TreeDef, children as pytree_children};

/// The staged body of `f::value_and_grad`: runs `body` (the function's
/// staged body) on `wrt`, its first traced parameter, in the current
/// trace, and differentiates the scalar float result with respect to
/// `wrt`'s leaves (`crate::ad`). Returns the value and the gradient, with
/// `wrt`'s structure.
pub fn value_and_grad<W: Pytree, R: JitReturn>(
    wrt: W,
    body: impl FnOnce(W) -> R::Traced,
) -> (Tracer, W::Traced) {
    let mut leaves = Vec::new();
    let def = wrt.flatten(&mut leaves);
    let mark = crate::trace::tape_mark();
    let traced = body(wrt);
    let mut results = Vec::new();
    if let Err(e) = R::flatten(traced, &mut results) {
        crate::trace::reraise(e);
    }
    let [out] = results[..] else {
        crate::trace::trace_error(format_args!(
            "`grad` requires one scalar float result, but the function returns {} values",
            results.len()
        ));
    };
    let grads = crate::ad::grad(&leaves, mark, out);
    (out, W::unflatten(&def, &mut grads.into_iter()))
}

/// The staged body of `f::grad`: [`value_and_grad`] without the value.
pub fn grad<W: Pytree, R: JitReturn>(wrt: W, body: impl FnOnce(W) -> R::Traced) -> W::Traced {
    value_and_grad::<W, R>(wrt, body).1
}

/// The staged body of `f::jvp`: runs `body` (the function's staged body,
/// on the primals) in the current trace and returns its result and the
/// derivative in the direction of `tangents` (`crate::ad::jvp`).
/// `primals` and `tangents` are the leaves of the traced parameters and of
/// their tangents, in order.
pub fn jvp(
    primals: &[Tracer],
    tangents: &[Tracer],
    body: impl FnOnce() -> Tracer,
) -> (Tracer, Tracer) {
    let mark = crate::trace::tape_mark();
    let out = body();
    let derivative = crate::ad::jvp(primals, tangents, mark, out);
    (out, derivative)
}

/// The leaves of a traced parameter, appended to `leaves` (for `f::jvp`).
pub fn leaves_of<P: Pytree>(p: &P, leaves: &mut Vec<Tracer>) {
    p.flatten(leaves);
}

/// The staged body of `f::vjp`'s pullback: runs `body` (the function's
/// staged body) on `wrt` (the tuple of its traced parameters) in the
/// current trace and returns the cotangents of `wrt`'s leaves, with its
/// structure, for the cotangent `cotangent` of the result.
pub fn vjp_apply<W: Pytree, R: JitReturn>(
    wrt: W,
    cotangent: Tracer,
    body: impl FnOnce(W) -> R::Traced,
) -> W::Traced {
    let mut leaves = Vec::new();
    let def = wrt.flatten(&mut leaves);
    let mark = crate::trace::tape_mark();
    let mut results = Vec::new();
    if let Err(e) = R::flatten(body(wrt), &mut results) {
        crate::trace::reraise(e);
    }
    let [out] = results[..] else {
        crate::trace::trace_error(format_args!(
            "`vjp` requires one result, but the function returns {} values",
            results.len()
        ));
    };
    let cotangents = crate::ad::vjp(&leaves, mark, out, cotangent);
    W::unflatten(&def, &mut cotangents.into_iter())
}
