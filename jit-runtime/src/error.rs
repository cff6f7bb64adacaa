//! `Error`: what can go wrong while tracing or compiling.

use crate::dtype::DType;
use thiserror::Error;

/// A failure found while tracing or compiling a `#[jit]` function, or a
/// bad conversion of an [`Array`](crate::Array).
///
/// A trace-time mistake (a carry whose type changes, shapes that do not
/// broadcast) panics with a message naming the function; a `#[jit]`
/// function declared `-> Result<T, jit::Error>` returns it as
/// [`Error::Trace`] instead, and nothing is cached.
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn add(x: &Array, y: &Array) -> Result<Array, jit::Error> {
///     Ok(x + y)
/// }
///
/// # fn main() -> Result<(), jit::Error> {
/// let a = Array::from(vec![1.0f32, 2.0, 3.0]);
/// let b = Array::from(vec![1.0f32, 2.0, 3.0, 4.0]);
/// assert_eq!(add(&a, &a)?.to_vec::<f32>()?, vec![2.0, 4.0, 6.0]);
///
/// let err = add(&a, &b).unwrap_err();
/// assert!(matches!(err, jit::Error::Trace(_)));
/// assert!(err.to_string().contains("incompatible shapes for broadcasting: (3,), (4,)"));
///
/// let err = a.to_vec::<i32>().unwrap_err();
/// assert_eq!(err, jit::Error::DTypeMismatch { expected: DType::I32, found: DType::F32 });
/// # Ok(())
/// # }
/// ```
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
