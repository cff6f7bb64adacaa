//! `__private`: the runtime items the macros' output calls, and nothing a
//! user writes by hand. Every path the macros emit is
//! `::jit::__private::...`, so they work whatever the user imported.

pub use crate::cache::{Cache, call, make_jaxpr};
pub use crate::ir::Jaxpr;
pub use crate::trace::Tracer;
pub use crate::trace::signature::{
    ArgList, Concrete, JitArg, JitReturn, Mode, ReturnValue, Traced,
};

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

// `#[derive(Pytree)]`'s output.
pub use crate::trace::pytree::{Pytree, TreeDef, children as pytree_children};
