//! AArch64 registers: which ones regalloc2 may use, which are pinned, which
//! are scratch.
//!
//! Terms:
//! - *pinned*: holds one thing for the whole function and is never allocated:
//!   `x0` = argument slot pointer, `x1` = result slot pointer (where the
//!   entry ABI passes them, so a function without helper calls needs no
//!   prologue for them), `sp`; and by the platform: `x18`, `x29` (frame
//!   pointer), `x30` (link register).
//! - *scratch*: free for use inside the expansion of one MIR instruction and
//!   never allocated: `x16`, `x17` (`x17` also regalloc2's move scratch),
//!   `v31` (also regalloc2's).
//! - regalloc2 `PReg` index = hardware number (`x0` = 0 … `x30` = 30,
//!   `v0` = 0 … `v31` = 31).
//!
//! Invariant: 32-bit values (`i32`, `u32`, `bool`) sit zero-extended in their
//! 64-bit register; every emitted sequence keeps it that way (any write to a
//! `w` register does).

use crate::backend::masm::Registers;

/// The pinned argument and result slot pointers (see the module doc).
pub(super) const X0: u8 = 0;
pub(super) const X1: u8 = 1;

/// Scratch general registers (see the module doc).
pub(super) const X16: u8 = 16;
pub(super) const X17: u8 = 17;

/// The scratch vector register (see the module doc).
pub(super) const V31: u8 = 31;

/// Caller-saved general registers regalloc2 may allocate (preferred: free to use).
const INT_CALLER_SAVED: std::ops::Range<u8> = 2..16;
/// Callee-saved general registers regalloc2 may allocate (saved in the prologue when used).
const INT_CALLEE_SAVED: std::ops::Range<u8> = 19..29;
/// Allocatable vector registers: all caller-saved (`v8`-`v15` are callee-saved
/// in AAPCS64 and are left alone).
const FLOAT_ALLOCATABLE: [std::ops::Range<u8>; 2] = [0..8, 16..31];

/// The registers and their roles, as the allocator and the frame see them.
pub(super) fn registers() -> Registers {
    Registers::new(
        INT_CALLER_SAVED,
        INT_CALLEE_SAVED,
        FLOAT_ALLOCATABLE.into_iter().flatten(),
        (X17, V31),
    )
}
