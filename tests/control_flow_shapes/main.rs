//! Staged control flow on shapes and dtypes of carries that
//! `tests/control_flow.rs` does not use: `#[derive(Pytree)]` structs of mixed
//! dtypes, nested tuples and arrays, `Vec`s of tuples, `u32` and `i64`
//! counters, `bool` flags, weak initial values that promote, traced, `i64`,
//! mixed-dtype and plain bounds, `cond`/`switch` returning tuples, arrays and
//! structs, one and eight branches, out-of-range indices of every integer
//! dtype, nesting, inlined `#[jit]` calls, `select` with weak literals, and
//! integer wrapping, division by zero, NaN and infinities flowing through
//! carries.
//!
//! Every program is checked against a hand-written plain-Rust reference (the
//! semantics written out: `wrapping_*`, XLA's `x / 0 == -1` and `x % 0 == x`,
//! NaN-propagating `max`), on several inputs including edge values, through
//! four paths that must all give the reference's bits (any NaN equals any
//! NaN): the cached `#[jit]` call, `f::lower(..).compile()` run on scalars,
//! the reference interpreter on the traced graph, and the interpreter on the
//! optimised graph (what `JIT_DISABLE=1` runs). New traced values never
//! recompile: `f::cache_size() == 1` after all the calls.
//!
//! One module per kind of program; `common` holds the checks they share.

mod common;

mod bounds;
mod branches;
mod carries;
mod casts;
mod conditions;
mod counters;
mod nesting;
mod optimiser;
mod select;
mod typing;
mod wrapping;
