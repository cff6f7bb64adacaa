//! x86-64 registers: which ones regalloc2 may use, which are pinned, which
//! are scratch.
//!
//! Terms:
//! - *pinned*: holds one thing for the whole function and is never allocated:
//!   `rdi` = argument slot pointer, `rsi` = result slot pointer (where the
//!   entry ABI passes them, so a function without helper calls needs no
//!   prologue for them), `rsp`.
//! - *scratch*: free for use inside the expansion of one MIR instruction and
//!   never allocated: `rax`, `rdx` (also `div`/`idiv`), `r11` (also regalloc2's
//!   move scratch), `xmm13`, `xmm14`, `xmm15` (`xmm15` also regalloc2's).
//! - `rdx` (2) appears only by name inside `x64!` sequences.
//! - regalloc2 `PReg` index = hardware encoding (`rax` = 0 … `r15` = 15,
//!   `xmm0` = 0 … `xmm15` = 15).
//!
//! Invariant: 32-bit values (`i32`, `u32`, `bool`) sit zero-extended in their
//! 64-bit register; every emitted sequence keeps it that way.

use crate::backend::masm::Registers;

pub(super) const RAX: u8 = 0;
pub(super) const RCX: u8 = 1;
pub(super) const RBX: u8 = 3;
pub(super) const RBP: u8 = 5;
pub(super) const RSI: u8 = 6;
pub(super) const RDI: u8 = 7;
pub(super) const R8: u8 = 8;
pub(super) const R9: u8 = 9;
pub(super) const R10: u8 = 10;
pub(super) const R11: u8 = 11;
pub(super) const R12: u8 = 12;
pub(super) const R13: u8 = 13;
pub(super) const R14: u8 = 14;
pub(super) const R15: u8 = 15;

/// Scratch vector registers (see the module doc).
pub(super) const XMM13: u8 = 13;
pub(super) const XMM14: u8 = 14;
pub(super) const XMM15: u8 = 15;

/// Caller-saved general registers regalloc2 may allocate (preferred: free to use).
const INT_CALLER_SAVED: [u8; 4] = [RCX, R8, R9, R10];
/// Callee-saved general registers regalloc2 may allocate (saved in the prologue when used).
const INT_CALLEE_SAVED: [u8; 6] = [RBX, RBP, R12, R13, R14, R15];
/// Allocatable vector registers (all caller-saved in the SysV ABI).
const FLOAT_ALLOCATABLE: std::ops::Range<u8> = 0..13;

/// The registers and their roles, as the allocator and the frame see them.
pub(super) fn registers() -> Registers {
    Registers::new(
        INT_CALLER_SAVED,
        INT_CALLEE_SAVED,
        FLOAT_ALLOCATABLE,
        (R11, XMM15),
    )
}
