//! `Error`: what can go wrong while tracing or compiling.

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
}
