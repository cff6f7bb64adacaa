//! The runtime of the `jit` crate.

pub mod math;

/// Re-exported by `jit::prelude`.
pub mod prelude {}
