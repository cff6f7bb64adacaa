//! `Error`: what can go wrong while tracing or compiling.

use crate::dtype::DType;
use thiserror::Error;

/// A failure found while tracing or compiling a `#[jit]` function.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum Error {
    /// The traced program is invalid: a dtype or shape mismatch, a tracer
    /// used outside its trace. The message names the function.
    #[error("{0}")]
    Trace(String),
    /// Code generation failed.
    #[error("jit: compiling `{function}` failed: {message}")]
    Compile {
        /// The `#[jit]` function.
        function: String,
        /// What went wrong.
        message: String,
    },
    /// An array's element count does not match its shape.
    #[error("jit: {len} elements cannot have shape {shape:?} ({} elements)", .shape.iter().product::<usize>())]
    ShapeMismatch {
        /// The shape asked for.
        shape: Vec<usize>,
        /// The number of elements given.
        len: usize,
    },
    /// An array was read as another element type than its dtype.
    #[error("jit: the array holds {found} elements, not {expected}")]
    DTypeMismatch {
        /// The dtype asked for.
        expected: DType,
        /// The array's dtype.
        found: DType,
    },
    /// `item` on an array that is not one element.
    #[error("jit: `item` needs an array of one element, this one has shape {shape:?}")]
    NotAScalar {
        /// The array's shape.
        shape: Vec<usize>,
    },
}
