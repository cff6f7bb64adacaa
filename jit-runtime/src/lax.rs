//! `jit::lax`: staged primitives, as `jax.lax`.
//!
//! Control flow (`cond`, `fori_loop`, `while_loop`, `switch`, `scan`) joins
//! this module with nested regions in the graph.

pub use crate::trace::ops::select;
