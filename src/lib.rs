//! `jit`: trace plain Rust numeric functions into a graph on their first call
//! with a new signature, optimise it, and run native machine code afterwards.
//!
//! See the README for a tour; `ARCHITECTURE.md` for how the pieces fit.

pub use jit_macros::jit;
pub use jit_runtime::*;

/// The names most programs want: `use jit::prelude::*;`.
pub mod prelude {
    pub use jit_macros::jit;
    pub use jit_runtime::prelude::*;
}
