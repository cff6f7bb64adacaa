//! The [`Abi`] part of the macro-assembler on AArch64 (AAPCS64): frame
//! layout, prologue/epilogue, argument and result slots, and the call itself
//! of a runtime helper (the sequence around it is `backend/emit.rs`).
//!
//! Frame (growing down from the caller's `sp`):
//! ```text
//! padding to keep sp 16-byte aligned
//! x30 (link register), only when the function calls a helper
//! used callee-saved register k   at [sp + 8 * (call_slots + spill_slots + k)]
//! spill slot k                   at [sp + 8 * (call_slots + 2k)] (16 bytes each)
//! outgoing call slot i           at [sp + 8 * i]          <- sp
//! ```
//! Entry: `x0` = argument slots, `x1` = result slots, kept there (pinned)
//! for the whole function, and saved around a helper call, which takes
//! (data, &slots[0], &slots[nargs]) in (x0, x1, x2) and is called through
//! `x16`.
//!
//! Invariant: `sp` is 16-byte aligned everywhere (AArch64 faults on an
//! unaligned `sp` used as a base), so a helper call needs no adjustment.

use dynasmrt::DynasmApi;

use super::A64Backend;
use super::regs::{X0, X1, X16};
use crate::backend::Frame;
use crate::backend::masm::{Abi, Moves};
use crate::mir::{Helper, Ty};

/// The largest offset a 4-byte `ldr`/`str` reaches in one instruction.
const MAX_SCALED_32: u32 = 4095 * 4;

impl A64Backend {
    /// `sp -= bytes` or `sp += bytes` (`bytes` below 2^24).
    fn adjust_sp(&mut self, bytes: u32, down: bool) {
        let (hi, lo) = (bytes >> 12, bytes & 0xfff);
        if hi != 0 {
            if down {
                a64!(self.ops; sub sp, sp, hi, LSL #12);
            } else {
                a64!(self.ops; add sp, sp, hi, LSL #12);
            }
        }
        if lo != 0 || bytes == 0 {
            if down {
                a64!(self.ops; sub sp, sp, lo);
            } else {
                a64!(self.ops; add sp, sp, lo);
            }
        }
    }

    fn saved_offset(&self, k: usize) -> u32 {
        (8 * (self.frame.call_slots + self.frame.spill_slots + k)) as u32
    }

    /// The base register and offset addressing byte `off` of the slots at
    /// `base` (`args` or `results`) for an access of `size` bytes.
    fn slot_address(&mut self, base: u8, off: u32, size: u32) -> (u8, u32) {
        let max = if size == 8 { 4095 * 8 } else { MAX_SCALED_32 };
        if off <= max {
            (base, off)
        } else {
            self.mov_imm(X16, u64::from(off));
            a64!(self.ops; add x16, X(base), x16);
            (X16, 0)
        }
    }
}

impl Abi for A64Backend {
    const ARGS: u8 = X0;
    const RESULTS: u8 = X1;

    fn prologue(&mut self, frame: &Frame) {
        self.frame = frame.clone();
        let link = usize::from(frame.call_slots > 0);
        let words = frame.call_slots + frame.spill_slots + frame.saved.len() + link;
        let bytes = (8 * words).next_multiple_of(16) as u32;
        self.frame_bytes = bytes;
        if bytes == 0 {
            return;
        }
        self.adjust_sp(bytes, true);
        for k in 0..frame.saved.len() {
            let (r, off) = (frame.saved[k].hw_enc() as u8, self.saved_offset(k));
            self.store_gpr(off, r);
        }
        if link == 1 {
            let off = self.saved_offset(frame.saved.len());
            self.store_gpr(off, 30);
        }
    }

    fn epilogue(&mut self) {
        if self.frame_bytes != 0 {
            for k in 0..self.frame.saved.len() {
                let (r, off) = (self.frame.saved[k].hw_enc() as u8, self.saved_offset(k));
                self.load_gpr(r, off);
            }
            if self.frame.call_slots > 0 {
                let off = self.saved_offset(self.frame.saved.len());
                self.load_gpr(30, off);
            }
            self.adjust_sp(self.frame_bytes, false);
        }
        a64!(self.ops; ret);
    }

    fn load_arg(&mut self, ty: Ty, d: u8, slot: u32) {
        let size = ty.bits() / 8;
        let (b, off) = self.slot_address(X0, 8 * slot, size);
        match ty {
            Ty::I64 => a64!(self.ops; ldr X(d), [X(b), off]),
            Ty::I32 | Ty::U32 => a64!(self.ops; ldr W(d), [X(b), off]),
            Ty::Bool => a64!(self.ops; ldr W(d), [X(b), off]; and WSP(d), W(d), 1),
            Ty::F32 => a64!(self.ops; ldr S(d), [X(b), off]),
            Ty::F64 => a64!(self.ops; ldr D(d), [X(b), off]),
            Ty::F32x4 | Ty::F64x2 | Ty::I64x2 | Ty::F32x8 | Ty::F64x4 | Ty::I64x4 => {
                unreachable!("slots hold no vectors")
            }
        }
    }

    fn store_result(&mut self, ty: Ty, s: u8, slot: u32) {
        let (b, off) = self.slot_address(X1, 8 * slot, 8);
        match ty {
            Ty::I64 => a64!(self.ops; str X(s), [X(b), off]),
            Ty::I32 | Ty::U32 | Ty::Bool => {
                a64!(self.ops; mov w17, W(s); str x17, [X(b), off])
            }
            Ty::F32 => a64!(self.ops; fmov w17, S(s); str x17, [X(b), off]),
            Ty::F64 => a64!(self.ops; str D(s), [X(b), off]),
            Ty::F32x4 | Ty::F64x2 | Ty::I64x2 | Ty::F32x8 | Ty::F64x4 | Ty::I64x4 => {
                unreachable!("slots hold no vectors")
            }
        }
    }

    /// `(data, &slots[0], &slots[results])` in `(x0, x1, x2)`, the call through `x16`.
    fn call_helper(&mut self, helper: Helper, results_off: u32) {
        self.mov_imm(X0, helper.data as u64);
        a64!(self.ops
            ; add x1, sp, 0
            ; add x2, sp, results_off
        );
        self.mov_imm(X16, helper.func as usize as u64);
        a64!(self.ops; blr x16);
    }
}
