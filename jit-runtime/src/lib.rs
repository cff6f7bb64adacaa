//! The runtime of the `jit` crate.

/// Re-exported by `jit::prelude`.
pub mod prelude {}
