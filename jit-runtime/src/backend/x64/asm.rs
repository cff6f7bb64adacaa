//! The x86-64 assembler: the one `dynasm!` wrapper and the small moves every
//! other file builds on.
//!
//! Terms: `x64!(ops; ...)` is `dynasm!` with `.arch x64` fixed (the assembler
//! would otherwise follow the host when cross-compiling) and the pinned
//! registers aliased: `args` (`rdi`, argument slots) and `results` (`rsi`,
//! result slots), where the entry ABI delivers them. Registers chosen at run time are written `Rq(n)` (64-bit),
//! `Rd(n)` (32-bit), `Rx(n)` (xmm).
//!
//! Invariant: helpers here never touch a register they were not given,
//! except `rax` and `r11` where they say so.

use dynasmrt::DynasmApi;

use super::X64Backend;
use super::regs::RAX;

/// `dynasm!` for x86-64 with the pinned registers aliased.
macro_rules! x64 {
    ($ops:expr ; $($t:tt)*) => {
        dynasm::dynasm!($ops
            ; .arch x64
            ; .alias args, rdi
            ; .alias results, rsi
            ; $($t)*
        )
    };
}

impl X64Backend {
    /// `mov d, s` (64-bit; a 32-bit value moves with its zero upper half). No-op when equal.
    pub(super) fn mov_rr(&mut self, d: u8, s: u8) {
        if d != s {
            x64!(self.ops; mov Rq(d), Rq(s));
        }
    }

    /// `mov d32, s32` (zero-extends).
    pub(super) fn mov_rr32(&mut self, d: u8, s: u8) {
        x64!(self.ops; mov Rd(d), Rd(s));
    }

    /// `movaps d, s`. No-op when equal.
    pub(super) fn movaps(&mut self, d: u8, s: u8) {
        if d != s {
            x64!(self.ops; movaps Rx(d), Rx(s));
        }
    }

    /// Load a 64-bit immediate into a general register, shortest encoding.
    pub(super) fn mov_imm(&mut self, d: u8, bits: u64) {
        if bits == 0 {
            x64!(self.ops; xor Rd(d), Rd(d));
        } else if bits <= u64::from(u32::MAX) {
            x64!(self.ops; mov Rd(d), bits as u32 as i32);
        } else if bits as i64 >= i64::from(i32::MIN) && (bits as i64) < 0 {
            x64!(self.ops; mov Rq(d), bits as i64 as i32);
        } else {
            x64!(self.ops; mov Rq(d), QWORD bits as i64);
        }
    }

    /// Load a float bit pattern into an xmm register (through `rax`).
    pub(super) fn float_imm(&mut self, x: u8, is_f64: bool, bits: u64) {
        if bits == 0 {
            x64!(self.ops; xorps Rx(x), Rx(x));
        } else if is_f64 {
            self.mov_imm(RAX, bits);
            x64!(self.ops; movq Rx(x), rax);
        } else {
            self.mov_imm(RAX, bits);
            x64!(self.ops; movd Rx(x), eax);
        }
    }

    /// Store a general register to `[rsp + off]`.
    pub(super) fn store_gpr(&mut self, off: i32, s: u8) {
        x64!(self.ops; mov QWORD [rsp + off], Rq(s));
    }

    /// Load a general register from `[rsp + off]`.
    pub(super) fn load_gpr(&mut self, d: u8, off: i32) {
        x64!(self.ops; mov Rq(d), QWORD [rsp + off]);
    }

    /// Store the low 64 bits of an xmm register to `[rsp + off]`.
    pub(super) fn store_xmm(&mut self, off: i32, s: u8) {
        x64!(self.ops; movsd QWORD [rsp + off], Rx(s));
    }

    /// Load `[rsp + off]` into the low 64 bits of an xmm register (upper cleared).
    pub(super) fn load_xmm(&mut self, d: u8, off: i32) {
        x64!(self.ops; movsd Rx(d), QWORD [rsp + off]);
    }
}
