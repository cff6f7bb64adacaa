//! The [`Abi`] part of the macro-assembler on x86-64: frame layout,
//! prologue/epilogue, argument and result slots, and the call itself of a
//! runtime helper (the sequence around it is `backend/emit.rs`).
//!
//! Frame (growing down from the caller's `rsp`):
//! ```text
//! return address
//! used callee-saved registers (rbx, rbp, r12, r13, r14, r15)
//! padding to keep rsp 16-byte aligned
//! spill slot k            at [rsp + 8 * (call_slots + 2k)] (16 bytes each;
//!                         32 at [rsp + 8 * (call_slots + 4k)] in a wide function)
//! outgoing call slot i    at [rsp + 8 * i]          <- rsp
//! ```
//! Entry: `rdi` = argument slots, `rsi` = result slots, kept there (pinned)
//! for the whole function, and saved around a helper call, which takes
//! (data, &slots[0], &slots[nargs]) in (rdi, rsi, rdx).
//!
//! Invariant: `rsp` is 16-byte aligned everywhere after the prologue, so a
//! helper call needs no adjustment. A function holding 256-bit vectors
//! executes `vzeroupper` before each helper call and before its return,
//! so that the SSE code of the helper and of the caller never runs with
//! dirty upper halves (the AVX-SSE transition penalty); every vector
//! register is caller-saved, so nothing live is lost.

use dynasmrt::DynasmApi;

use super::X64Backend;
use super::regs::{RDI, RSI};
use crate::backend::Frame;
use crate::backend::masm::{Abi, Moves};
use crate::mir::{Helper, Ty};

impl Abi for X64Backend {
    const ARGS: u8 = RDI;
    const RESULTS: u8 = RSI;

    fn prologue(&mut self, frame: &Frame) {
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

    fn epilogue(&mut self) {
        if self.frame.wide {
            x64!(self.ops; vzeroupper);
        }
        if self.frame_bytes != 0 {
            x64!(self.ops; add rsp, self.frame_bytes);
        }
        for r in self.frame.saved.clone().iter().rev() {
            let r = r.hw_enc() as u8;
            x64!(self.ops; pop Rq(r));
        }
        x64!(self.ops; ret);
    }

    fn load_arg(&mut self, ty: Ty, d: u8, slot: u32) {
        let off = 8 * slot as i32;
        match ty {
            Ty::I64 => x64!(self.ops; mov Rq(d), QWORD [args + off]),
            Ty::I32 | Ty::U32 => x64!(self.ops; mov Rd(d), DWORD [args + off]),
            Ty::Bool => x64!(self.ops; mov Rd(d), DWORD [args + off]; and Rd(d), 1),
            Ty::F32 => x64!(self.ops; movss Rx(d), DWORD [args + off]),
            Ty::F64 => x64!(self.ops; movsd Rx(d), QWORD [args + off]),
            Ty::F32x4 | Ty::F64x2 | Ty::I64x2 | Ty::F32x8 | Ty::F64x4 | Ty::I64x4 => {
                unreachable!("slots hold no vectors")
            }
        }
    }

    fn store_result(&mut self, ty: Ty, s: u8, slot: u32) {
        let off = 8 * slot as i32;
        match ty {
            Ty::I64 => x64!(self.ops; mov QWORD [results + off], Rq(s)),
            Ty::I32 | Ty::U32 | Ty::Bool => {
                x64!(self.ops; mov eax, Rd(s); mov QWORD [results + off], rax)
            }
            Ty::F32 => x64!(self.ops; movd eax, Rx(s); mov QWORD [results + off], rax),
            Ty::F64 => x64!(self.ops; movsd QWORD [results + off], Rx(s)),
            Ty::F32x4 | Ty::F64x2 | Ty::I64x2 | Ty::F32x8 | Ty::F64x4 | Ty::I64x4 => {
                unreachable!("slots hold no vectors")
            }
        }
    }

    /// `(data, &slots[0], &slots[results])` in `(rdi, rsi, rdx)`, the call through `rax`.
    fn call_helper(&mut self, helper: Helper, results_off: u32) {
        let results_off = results_off as i32;
        self.mov_imm(RDI, helper.data as u64);
        x64!(self.ops
            ; lea rsi, [rsp]
            ; lea rdx, [rsp + results_off]
            ; mov rax, QWORD helper.func as usize as i64
        );
        if self.frame.wide {
            x64!(self.ops; vzeroupper);
        }
        x64!(self.ops; call rax);
    }
}
