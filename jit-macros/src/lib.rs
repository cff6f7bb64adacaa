//! Procedural macros of the `jit` crate.
