//! `jit`: trace plain Rust numeric functions into a graph on their first call
//! with a new signature, optimise it, and run native machine code afterwards.
//!
//! See the README for a tour; `ARCHITECTURE.md` for how the pieces fit.

// `#[jit]` on functions, `jit_fn!` on closures. They cannot share the name
// `jit`: attribute and function-like macros live in one macro namespace, so a
// module (and a glob import of it) holds one macro of that name, of one kind.
pub use jit_macros::{Pytree, jit, jit_fn};
pub use jit_runtime::*;

/// The names most programs want: `use jit::prelude::*;`.
pub mod prelude {
    pub use jit_macros::{Pytree, jit, jit_fn};
    pub use jit_runtime::prelude::*;
}
