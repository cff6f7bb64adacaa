//! The AArch64 backend (AAPCS64, NEON scalar instructions), written with
//! `dynasm!`: the [`MacroAssembler`](super::masm::MacroAssembler) of AArch64.
//!
//! Code map (the same names as `x64/`): `asm.rs` (the `dynasm!` wrapper,
//! moves, loads, stores, immediates), `regs.rs` (register roles and the
//! regalloc2 environment), `abi.rs` (frame, prologue/epilogue, argument and
//! result slots, the helper call itself), `int.rs`, `float.rs`,
//! `convert.rs` (instruction selection for each operation), `masm.rs` (the
//! rest of the trait: labels and jumps), `tests/` (encodings, checked byte
//! for byte on any host).
//!
//! Terms: AArch64 has one ISA level here (the base architecture with its
//! mandatory FP/NEON); [`IsaLevel`](super::IsaLevel) changes nothing. Each
//! operation expands to a short sequence that may use the scratch
//! registers of `regs.rs` and local labels.
//!
//! Invariant: sequences are correct for any assignment of their operands to
//! registers, including a destination equal to a source (every instruction
//! has separate destination and source fields, and sequences write their
//! destination last).

#![expect(
    clippy::useless_conversion,
    reason = "dynasm! turns each run-time register number into a register with `.into()`, even when it already is a `u8`"
)]

#[macro_use]
mod asm;
mod abi;
mod convert;
mod float;
mod int;
mod masm;
mod regs;
#[cfg(test)]
mod tests;
mod vector;

use dynasmrt::VecAssembler;
use dynasmrt::aarch64::Aarch64Relocation;

use super::Frame;
use super::masm::Registers;

/// Emits AArch64 machine code for one function.
pub struct A64Backend {
    ops: VecAssembler<Aarch64Relocation>,
    regs: Registers,
    frame: Frame,
    /// Bytes `sp` is lowered by in the prologue.
    frame_bytes: u32,
}

impl Default for A64Backend {
    fn default() -> Self {
        Self::new()
    }
}

impl A64Backend {
    /// A backend emitting base AArch64 code.
    pub fn new() -> Self {
        A64Backend {
            // Room for a few hundred instructions without regrowing.
            ops: VecAssembler::new_with_capacity(0, 4096, 8, 0, 16, 8, 16),
            regs: regs::registers(),
            frame: Frame::default(),
            frame_bytes: 0,
        }
    }
}
