//! Frame layout, prologue/epilogue, argument and result slots, regalloc2
//! moves, and calls to runtime helpers.
//!
//! Frame (growing down from the caller's `rsp`):
//! ```text
//! return address
//! used callee-saved registers (rbx, rbp, r12, r13, r14, r15)
//! padding to keep rsp 16-byte aligned
//! spill slot k            at [rsp + 8 * (call_slots + k)]
//! outgoing call slot i    at [rsp + 8 * i]          <- rsp
//! ```
//! Entry: `rdi` = argument slots, `rsi` = result slots, kept there (pinned)
//! for the whole function. A helper call stores its arguments in the
//! outgoing slots and `rdi`/`rsi` in the two slots after its results,
//! passes (data, &slots[0], &slots[nargs]) in (rdi, rsi, rdx), reads its
//! results back from the slots after the arguments, and restores `rdi`/`rsi`.
//!
//! Invariant: `rsp` is 16-byte aligned everywhere after the prologue, so a
//! helper call needs no adjustment.

use dynasmrt::DynasmApi;
use regalloc2::{Allocation, RegClass};

use super::X64Backend;
use super::regs::R11;
use crate::backend::Frame;
use crate::mir::{Helper, Ty};

impl X64Backend {
    fn slot_offset(&self, a: Allocation) -> i32 {
        let slot = a.as_stack().expect("stack allocation").index();
        ((self.frame.call_slots + slot) * 8) as i32
    }

    pub(super) fn emit_prologue(&mut self, frame: &Frame) {
        self.frame = frame.clone();
        for r in &frame.saved {
            let r = r.hw_enc() as u8;
            x64!(self.ops; push Rq(r));
        }
        let pushed = 8 * frame.saved.len() as i32;
        let mut bytes = 8 * (frame.spill_slots + frame.call_slots) as i32;
        if (8 + pushed + bytes) % 16 != 0 {
            bytes += 8;
        }
        self.frame_bytes = bytes;
        if bytes != 0 {
            x64!(self.ops; sub rsp, bytes);
        }
    }

    pub(super) fn emit_epilogue(&mut self) {
        if self.frame_bytes != 0 {
            x64!(self.ops; add rsp, self.frame_bytes);
        }
        for r in self.frame.saved.clone().iter().rev() {
            let r = r.hw_enc() as u8;
            x64!(self.ops; pop Rq(r));
        }
        x64!(self.ops; ret);
    }

    /// `d = args[slot]` as `ty`.
    pub(super) fn emit_arg(&mut self, ty: Ty, d: u8, slot: u32) {
        let off = 8 * slot as i32;
        match ty {
            Ty::I64 => x64!(self.ops; mov Rq(d), QWORD [args + off]),
            Ty::I32 | Ty::U32 => x64!(self.ops; mov Rd(d), DWORD [args + off]),
            Ty::Bool => x64!(self.ops; mov Rd(d), DWORD [args + off]; and Rd(d), 1),
            Ty::F32 => x64!(self.ops; movss Rx(d), DWORD [args + off]),
            Ty::F64 => x64!(self.ops; movsd Rx(d), QWORD [args + off]),
        }
    }

    /// `results[slot] = s`, zero-extended to 64 bits.
    pub(super) fn emit_store_result(&mut self, ty: Ty, s: u8, slot: u32) {
        let off = 8 * slot as i32;
        match ty {
            Ty::I64 => x64!(self.ops; mov QWORD [results + off], Rq(s)),
            Ty::I32 | Ty::U32 | Ty::Bool => {
                x64!(self.ops; mov eax, Rd(s); mov QWORD [results + off], rax)
            }
            Ty::F32 => x64!(self.ops; movd eax, Rx(s); mov QWORD [results + off], rax),
            Ty::F64 => x64!(self.ops; movsd QWORD [results + off], Rx(s)),
        }
    }

    /// One regalloc2 move: register to register, spill or reload.
    pub(super) fn emit_edit(&mut self, from: Allocation, to: Allocation) {
        match (from.as_reg(), to.as_reg()) {
            (Some(f), Some(t)) => match f.class() {
                RegClass::Float => self.movaps(t.hw_enc() as u8, f.hw_enc() as u8),
                _ => self.mov_rr(t.hw_enc() as u8, f.hw_enc() as u8),
            },
            (Some(f), None) => {
                let off = self.slot_offset(to);
                match f.class() {
                    RegClass::Float => self.store_xmm(off, f.hw_enc() as u8),
                    _ => self.store_gpr(off, f.hw_enc() as u8),
                }
            }
            (None, Some(t)) => {
                let off = self.slot_offset(from);
                match t.class() {
                    RegClass::Float => self.load_xmm(t.hw_enc() as u8, off),
                    _ => self.load_gpr(t.hw_enc() as u8, off),
                }
            }
            (None, None) => {
                let (src, dst) = (self.slot_offset(from), self.slot_offset(to));
                self.load_gpr(R11, src);
                self.store_gpr(dst, R11);
            }
        }
    }

    /// Put the value of type `ty` at `a` into `[rsp + off]`, zero-extended to 64 bits.
    fn spill_to_call_slot(&mut self, ty: Ty, a: Allocation, off: i32) {
        match (a.as_reg().map(|r| r.hw_enc() as u8), ty) {
            (Some(r), Ty::F32) => x64!(self.ops; movd eax, Rx(r); mov QWORD [rsp + off], rax),
            (Some(r), Ty::F64) => self.store_xmm(off, r),
            (Some(r), _) => self.store_gpr(off, r),
            (None, _) => {
                let src = self.slot_offset(a);
                if ty.bits() == 32 {
                    x64!(self.ops; mov r11d, DWORD [rsp + src]);
                } else {
                    self.load_gpr(R11, src);
                }
                self.store_gpr(off, R11);
            }
        }
    }

    /// Read the value of type `ty` at `[rsp + off]` into `a`.
    fn reload_from_call_slot(&mut self, ty: Ty, a: Allocation, off: i32) {
        match (a.as_reg().map(|r| r.hw_enc() as u8), ty) {
            (Some(r), Ty::F32) => x64!(self.ops; movss Rx(r), DWORD [rsp + off]),
            (Some(r), Ty::F64) => self.load_xmm(r, off),
            (Some(r), Ty::I64) => self.load_gpr(r, off),
            (Some(r), Ty::Bool) => x64!(self.ops; mov Rd(r), DWORD [rsp + off]; and Rd(r), 1),
            (Some(r), _) => x64!(self.ops; mov Rd(r), DWORD [rsp + off]),
            (None, _) => {
                let dst = self.slot_offset(a);
                match ty {
                    Ty::I64 | Ty::F64 => self.load_gpr(R11, off),
                    Ty::Bool => x64!(self.ops; mov r11d, DWORD [rsp + off]; and r11d, 1),
                    _ => x64!(self.ops; mov r11d, DWORD [rsp + off]),
                }
                self.store_gpr(dst, R11);
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
            self.spill_to_call_slot(ty, a, 8 * i as i32);
        }
        let results_off = 8 * args.len() as i32;
        let pinned_off = results_off + 8 * rets.len() as i32;
        x64!(self.ops
            ; mov QWORD [rsp + pinned_off], args
            ; mov QWORD [rsp + pinned_off + 8], results
        );
        self.mov_imm(super::regs::RDI, helper.data as u64);
        x64!(self.ops
            ; lea rsi, [rsp]
            ; lea rdx, [rsp + results_off]
            ; mov rax, QWORD helper.func as usize as i64
            ; call rax
            ; mov args, QWORD [rsp + pinned_off]
            ; mov results, QWORD [rsp + pinned_off + 8]
        );
        for (j, (&ty, &a)) in ret_tys.iter().zip(rets).enumerate() {
            self.reload_from_call_slot(ty, a, results_off + 8 * j as i32);
        }
    }
}
