//! The runtime of the `jit` crate.

pub mod backend;
pub mod exec;
pub mod mir;

/// Re-exported by `jit::prelude`.
pub mod prelude {}
