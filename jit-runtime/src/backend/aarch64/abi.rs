//! Frame layout, prologue/epilogue, argument and result slots, regalloc2
//! moves, and calls to runtime helpers (AAPCS64).
//!
//! Frame (growing down from the caller's `sp`):
//! ```text
//! padding to keep sp 16-byte aligned
//! x30 (link register), only when the function calls a helper
//! used callee-saved register k   at [sp + 8 * (call_slots + spill_slots + k)]
//! spill slot k                   at [sp + 8 * (call_slots + k)]
//! outgoing call slot i           at [sp + 8 * i]          <- sp
//! ```
//! Entry: `x0` = argument slots, `x1` = result slots, kept there (pinned)
//! for the whole function. A helper call stores its arguments in the
//! outgoing slots and `x0`/`x1` in the two slots after its results,
//! passes (data, &slots[0], &slots[nargs]) in (x0, x1, x2), calls through
//! `x16`, reads its results back from the slots after the arguments, and
//! restores `x0`/`x1`.
//!
//! Invariant: `sp` is 16-byte aligned everywhere (AArch64 faults on an
//! unaligned `sp` used as a base), so a helper call needs no adjustment.

use dynasmrt::DynasmApi;
use regalloc2::{Allocation, RegClass};

use super::A64Backend;
use super::regs::{X16, X17};
use crate::backend::Frame;
use crate::mir::{Helper, Ty};

/// The largest offset a 4-byte `ldr`/`str` reaches in one instruction.
const MAX_SCALED_32: u32 = 4095 * 4;

impl A64Backend {
    fn slot_offset(&self, a: Allocation) -> u32 {
        let slot = a.as_stack().expect("stack allocation").index();
        ((self.frame.call_slots + slot) * 8) as u32
    }

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

    pub(super) fn emit_prologue(&mut self, frame: &Frame) {
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

    pub(super) fn emit_epilogue(&mut self) {
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

    /// `d = args[slot]` as `ty`.
    pub(super) fn emit_arg(&mut self, ty: Ty, d: u8, slot: u32) {
        let size = ty.bits() / 8;
        let (b, off) = self.slot_address(0, 8 * slot, size);
        match ty {
            Ty::I64 => a64!(self.ops; ldr X(d), [X(b), off]),
            Ty::I32 | Ty::U32 => a64!(self.ops; ldr W(d), [X(b), off]),
            Ty::Bool => a64!(self.ops; ldr W(d), [X(b), off]; and WSP(d), W(d), 1),
            Ty::F32 => a64!(self.ops; ldr S(d), [X(b), off]),
            Ty::F64 => a64!(self.ops; ldr D(d), [X(b), off]),
        }
    }

    /// `results[slot] = s`, zero-extended to 64 bits.
    pub(super) fn emit_store_result(&mut self, ty: Ty, s: u8, slot: u32) {
        let (b, off) = self.slot_address(1, 8 * slot, 8);
        match ty {
            Ty::I64 => a64!(self.ops; str X(s), [X(b), off]),
            Ty::I32 | Ty::U32 | Ty::Bool => {
                a64!(self.ops; mov w17, W(s); str x17, [X(b), off])
            }
            Ty::F32 => a64!(self.ops; fmov w17, S(s); str x17, [X(b), off]),
            Ty::F64 => a64!(self.ops; str D(s), [X(b), off]),
        }
    }

    /// One regalloc2 move: register to register, spill or reload.
    pub(super) fn emit_edit(&mut self, from: Allocation, to: Allocation) {
        match (from.as_reg(), to.as_reg()) {
            (Some(f), Some(t)) => match f.class() {
                RegClass::Float => self.fmov_rr(t.hw_enc() as u8, f.hw_enc() as u8),
                _ => self.mov_rr(t.hw_enc() as u8, f.hw_enc() as u8),
            },
            (Some(f), None) => {
                let off = self.slot_offset(to);
                match f.class() {
                    RegClass::Float => self.store_fpr(off, f.hw_enc() as u8),
                    _ => self.store_gpr(off, f.hw_enc() as u8),
                }
            }
            (None, Some(t)) => {
                let off = self.slot_offset(from);
                match t.class() {
                    RegClass::Float => self.load_fpr(t.hw_enc() as u8, off),
                    _ => self.load_gpr(t.hw_enc() as u8, off),
                }
            }
            (None, None) => {
                let (src, dst) = (self.slot_offset(from), self.slot_offset(to));
                self.load_gpr(X17, src);
                self.store_gpr(dst, X17);
            }
        }
    }

    /// Put the value of type `ty` at `a` into `[sp + off]`, zero-extended to 64 bits.
    fn spill_to_call_slot(&mut self, ty: Ty, a: Allocation, off: u32) {
        match (a.as_reg().map(|r| r.hw_enc() as u8), ty) {
            (Some(r), Ty::F32) => {
                a64!(self.ops; fmov w17, S(r));
                self.store_gpr(off, X17);
            }
            (Some(r), Ty::F64) => self.store_fpr(off, r),
            (Some(r), _) => self.store_gpr(off, r),
            (None, _) => {
                let src = self.slot_offset(a);
                if ty.bits() == 32 {
                    self.load_gpr32(X17, src);
                } else {
                    self.load_gpr(X17, src);
                }
                self.store_gpr(off, X17);
            }
        }
    }

    /// Read the value of type `ty` at `[sp + off]` into `a`.
    fn reload_from_call_slot(&mut self, ty: Ty, a: Allocation, off: u32) {
        match (a.as_reg().map(|r| r.hw_enc() as u8), ty) {
            (Some(r), Ty::F32) => self.load_fpr32(r, off),
            (Some(r), Ty::F64) => self.load_fpr(r, off),
            (Some(r), Ty::I64) => self.load_gpr(r, off),
            (Some(r), Ty::Bool) => {
                self.load_gpr32(r, off);
                a64!(self.ops; and WSP(r), W(r), 1);
            }
            (Some(r), _) => self.load_gpr32(r, off),
            (None, _) => {
                let dst = self.slot_offset(a);
                match ty {
                    Ty::I64 | Ty::F64 => self.load_gpr(X17, off),
                    Ty::Bool => {
                        self.load_gpr32(X17, off);
                        a64!(self.ops; and w17, w17, 1);
                    }
                    _ => self.load_gpr32(X17, off),
                }
                self.store_gpr(dst, X17);
            }
        }
    }

    /// Call `helper` with the given argument values and result locations.
    pub(super) fn emit_call(
        &mut self,
        helper: Helper,
        arg_tys: &[Ty],
        args: &[Allocation],
        ret_tys: &[Ty],
        rets: &[Allocation],
    ) {
        for (i, (&ty, &a)) in arg_tys.iter().zip(args).enumerate() {
            self.spill_to_call_slot(ty, a, 8 * i as u32);
        }
        let results_off = 8 * args.len() as u32;
        let pinned_off = results_off + 8 * rets.len() as u32;
        self.store_gpr(pinned_off, 0);
        self.store_gpr(pinned_off + 8, 1);
        self.mov_imm(0, helper.data as u64);
        a64!(self.ops
            ; add x1, sp, 0
            ; add x2, sp, results_off
        );
        self.mov_imm(X16, helper.func as usize as u64);
        a64!(self.ops; blr x16);
        self.load_gpr(0, pinned_off);
        self.load_gpr(1, pinned_off + 8);
        for (j, (&ty, &a)) in ret_tys.iter().zip(rets).enumerate() {
            self.reload_from_call_slot(ty, a, results_off + 8 * j as u32);
        }
    }
}
