//! The runtime of the `jit` crate: tracing, the graph IR, the reference
//! interpreter, the compile pipeline and the per-function cache.
//!
//! `ARCHITECTURE.md` at the repository root maps the modules; each module's
//! doc states what it owns and its invariants.
//!
//! Programs use it through the `jit` crate, which re-exports everything here
//! with the macros (`#[jit]` expands to paths under `::jit`):
//!
//! ```
//! use jit::prelude::*;
//!
//! #[jit]
//! fn f(x: &Array) -> f32 {
//!     jnp::sum(x * x, ..)
//! }
//!
//! # fn main() {
//! assert_eq!(f(&Array::from(vec![1.0f32, 2.0, 3.0])), 14.0);
//! # }
//! ```
//!
//! The user-facing parts: [`lax`], [`numpy`] (`jnp`), [`Array`], [`Tracer`],
//! [`Pytree`], [`DType`], [`Error`], [`config`], [`trace_print!`] and
//! [`debug_print!`].

mod ad;
pub mod array;
pub(crate) mod backend;
pub(crate) mod cache;
mod callconv;
pub mod config;
mod dot;
pub mod dtype;
pub mod error;
pub(crate) mod exec;
mod explain;
pub(crate) mod interp;
pub(crate) mod ir;
pub mod lax;
pub(crate) mod lower;
pub(crate) mod math;
pub(crate) mod mir;
pub mod numpy;
pub(crate) mod opt;
pub(crate) mod pipeline;
#[doc(hidden)]
pub mod private;
pub mod scalar;
pub(crate) mod trace;
pub(crate) mod value;

pub use array::Array;
pub use dtype::DType;
pub use error::Error;
pub use ir::Jaxpr;
pub use pipeline::{Compiled, Lowered};
pub use private as __private;
pub use scalar::Element;
pub use trace::pytree::Pytree;
pub use trace::{IntoTracer, Tracer};

/// The compiler's stages, for this crate's own integration tests, benches
/// and tools: not part of the API, and free to change in any release.
#[doc(hidden)]
pub mod internals {
    /// The graph IR.
    pub mod ir {
        pub use crate::ir::*;
    }
    /// The compile pipeline.
    pub mod pipeline {
        pub use crate::pipeline::*;
    }
    /// The reference interpreter.
    pub mod interp {
        pub use crate::interp::*;
    }
    /// Values the interpreter computes.
    pub mod value {
        pub use crate::value::*;
    }
    /// The optimisation passes.
    pub mod opt {
        pub use crate::opt::*;
    }
    /// The widest vector, in bits, compiled code uses at the current ISA
    /// level ([`crate::config::isa`]): 256 on x86-64 with AVX2 at the
    /// native level, else 128.
    pub fn vector_bits() -> u32 {
        crate::backend::vector_bits(crate::config::isa())
    }
}

/// Re-exported by `jit::prelude`.
pub mod prelude {
    pub use crate::array::Array;
    pub use crate::dtype::DType;
    pub use crate::lax;
    pub use crate::numpy as jnp;
    pub use crate::trace::Tracer;
    pub use crate::trace::pytree::Pytree;
}

/// Prints while tracing only: once per compile, never when compiled code
/// runs. Shows exactly when a `#[jit]` function is (re)traced.
///
/// ```ignore
/// jit::trace_print!("I have side effects!");
/// ```
#[macro_export]
macro_rules! trace_print {
    ($($arg:tt)*) => {
        ::std::println!($($arg)*)
    };
}

/// Prints the run-time values of tracers on every call of the compiled
/// function. The format string takes `{}` or `{:?}` per value, checked by
/// rustc like `println!`'s.
///
/// ```ignore
/// jit::debug_print!("x = {}", x);
/// ```
#[macro_export]
macro_rules! debug_print {
    ($format:literal $(, $value:expr)* $(,)?) => {{
        if false {
            let _ = ::std::format!($format $(, { let _ = &$value; $crate::__private::FormatCheck })*);
        }
        $crate::__private::debug_print(
            $format,
            &[$($crate::IntoTracer::into_tracer($value)),*],
        )
    }};
}
