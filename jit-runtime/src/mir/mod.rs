//! MIR: the machine-level IR every backend consumes.
//!
//! A [`Function`] is SSA over virtual registers ([`Value`]s, each of one
//! scalar [`Ty`] and hence one register class), organised in [`Block`]s with
//! block parameters, ending in `Jump`, `Branch` or `Return`. Build one with
//! [`Builder`]; run it with [`eval::eval`] (the reference semantics); compile
//! it with [`crate::backend::compile`].
//!
//! Code map: `types.rs` (types and indices), `inst.rs` (instructions and their
//! semantics), `function.rs` (container and text form), `builder.rs`,
//! `eval.rs` (reference evaluator), `regalloc.rs` (regalloc2 adapter),
//! `linear_scan.rs` (one-pass allocator for loop-free functions).
//!
//! **Architecture Invariant:** nothing here knows a target ISA; targets
//! describe their registers through [`regalloc::OperandRules`].

pub mod builder;
pub mod dce;
#[cfg(test)]
pub mod eval;
pub mod function;
pub mod inst;
pub mod linear_scan;
pub mod regalloc;
pub mod types;

pub use builder::Builder;
pub use function::Function;
pub use inst::{BinOp, CmpOp, Helper, HelperFn, Inst, UnOp};
pub use types::{Block, Ty, Value};
