//! The x86-64 assembler: the one `dynasm!` wrapper, and the
//! [`Moves`] part of the macro-assembler (moves, loads and stores at
//! `[rsp + off]`, immediates) that every other file builds on.
//!
//! Terms: `x64!(ops; ...)` is `dynasm!` with `.arch x64` fixed (the assembler
//! would otherwise follow the host when cross-compiling) and the pinned
//! registers aliased: `args` (`rdi`, argument slots) and `results` (`rsi`,
//! result slots), where the entry ABI delivers them. Registers chosen at run
//! time are written `Rq(n)` (64-bit), `Rd(n)` (32-bit), `Rx(n)` (xmm),
//! `Ry(n)` (ymm). In a function holding 256-bit vectors (`Frame::wide`),
//! where one may be live (`Vector::vec_wide_live`), register moves, spills
//! and reloads carry whole ymm registers; elsewhere SSE moves keep the
//! upper halves clean after a `vzeroupper`.
//!
//! Invariant: operations here never touch a register they were not given,
//! except `rax` where they say so. Moves, loads and stores never change the
//! flags (a compare fused into its branch relies on it); immediates may
//! (`xor`).

use dynasmrt::DynasmApi;

use super::X64Backend;
use super::regs::{R11, RAX};
use crate::backend::masm::Moves;
use crate::mir::Ty;

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
    /// `mov d32, s32` (zero-extends).
    pub(super) fn mov_rr32(&mut self, d: u8, s: u8) {
        x64!(self.ops; mov Rd(d), Rd(s));
    }
}

impl Moves for X64Backend {
    const SCRATCH: u8 = R11;

    /// `mov d, s` (64-bit; a 32-bit value moves with its zero upper half).
    fn mov_gpr(&mut self, d: u8, s: u8) {
        if d != s {
            x64!(self.ops; mov Rq(d), Rq(s));
        }
    }

    /// `movaps d, s`; `vmovaps` of the whole 256-bit register where a
    /// wide value may be live.
    fn mov_fpr(&mut self, d: u8, s: u8) {
        if d != s {
            if self.frame.wide && self.wide_live {
                x64!(self.ops; vmovaps Ry(d), Ry(s));
            } else {
                x64!(self.ops; movaps Rx(d), Rx(s));
            }
        }
    }

    /// The shortest encoding.
    fn mov_imm(&mut self, d: u8, bits: u64) {
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

    /// Through `rax`, except for `+0.0`; VEX-encoded in a function holding
    /// 256-bit vectors, where an SSE instruction would run with dirty
    /// upper halves (loop-invariant constants are made in front of the
    /// loop, but sequences make theirs inside it).
    fn float_imm(&mut self, x: u8, w64: bool, bits: u64) {
        if self.frame.wide {
            if bits == 0 {
                x64!(self.ops; vxorps Rx(x), Rx(x), Rx(x));
            } else if w64 {
                self.mov_imm(RAX, bits);
                x64!(self.ops; vmovq Rx(x), rax);
            } else {
                self.mov_imm(RAX, bits);
                x64!(self.ops; vmovd Rx(x), eax);
            }
        } else if bits == 0 {
            x64!(self.ops; xorps Rx(x), Rx(x));
        } else if w64 {
            self.mov_imm(RAX, bits);
            x64!(self.ops; movq Rx(x), rax);
        } else {
            self.mov_imm(RAX, bits);
            x64!(self.ops; movd Rx(x), eax);
        }
    }

    fn store_gpr(&mut self, off: u32, s: u8) {
        let off = off as i32;
        x64!(self.ops; mov QWORD [rsp + off], Rq(s));
    }

    /// 32 bytes where a wide value may be live.
    fn store_fpr(&mut self, off: u32, s: u8) {
        let off = off as i32;
        if self.frame.wide && self.wide_live {
            x64!(self.ops; vmovups YWORD [rsp + off], Ry(s));
        } else {
            x64!(self.ops; movups OWORD [rsp + off], Rx(s));
        }
    }

    fn store_fpr64(&mut self, off: u32, s: u8) {
        let off = off as i32;
        x64!(self.ops; movsd QWORD [rsp + off], Rx(s));
    }

    /// Through `rax`.
    fn store_f32_slot(&mut self, off: u32, s: u8) {
        let off = off as i32;
        x64!(self.ops; movd eax, Rx(s); mov QWORD [rsp + off], rax);
    }

    fn load_gpr(&mut self, d: u8, off: u32) {
        let off = off as i32;
        x64!(self.ops; mov Rq(d), QWORD [rsp + off]);
    }

    fn load_gpr32(&mut self, d: u8, off: u32) {
        let off = off as i32;
        x64!(self.ops; mov Rd(d), DWORD [rsp + off]);
    }

    /// 32 bytes where a wide value may be live.
    fn load_fpr(&mut self, d: u8, off: u32) {
        let off = off as i32;
        if self.frame.wide && self.wide_live {
            x64!(self.ops; vmovups Ry(d), YWORD [rsp + off]);
        } else {
            x64!(self.ops; movups Rx(d), OWORD [rsp + off]);
        }
    }

    fn load_fpr64(&mut self, d: u8, off: u32) {
        let off = off as i32;
        x64!(self.ops; movsd Rx(d), QWORD [rsp + off]);
    }

    fn load_fpr32(&mut self, d: u8, off: u32) {
        let off = off as i32;
        x64!(self.ops; movss Rx(d), DWORD [rsp + off]);
    }

    /// One instruction with a scaled-index address; a 32-bit `mov` clears
    /// the upper half, `movzx` widens a `bool`'s byte.
    fn load_element(&mut self, ty: Ty, d: u8, base: u8, index: u8) {
        match ty {
            Ty::Bool => x64!(self.ops; movzx Rd(d), BYTE [Rq(base) + Rq(index)]),
            Ty::I32 | Ty::U32 => x64!(self.ops; mov Rd(d), DWORD [Rq(base) + Rq(index) * 4]),
            Ty::I64 => x64!(self.ops; mov Rq(d), QWORD [Rq(base) + Rq(index) * 8]),
            Ty::F32 => x64!(self.ops; movss Rx(d), DWORD [Rq(base) + Rq(index) * 4]),
            Ty::F64 => x64!(self.ops; movsd Rx(d), QWORD [Rq(base) + Rq(index) * 8]),
            Ty::F32x4 => x64!(self.ops; movups Rx(d), OWORD [Rq(base) + Rq(index) * 4]),
            Ty::F64x2 | Ty::I64x2 => x64!(self.ops; movupd Rx(d), OWORD [Rq(base) + Rq(index) * 8]),
            Ty::F32x8 => x64!(self.ops; vmovups Ry(d), YWORD [Rq(base) + Rq(index) * 4]),
            Ty::F64x4 | Ty::I64x4 => {
                x64!(self.ops; vmovups Ry(d), YWORD [Rq(base) + Rq(index) * 8])
            }
        }
    }

    /// One instruction with a scaled-index address (a `bool` as the low
    /// byte of its register, which always carries a REX prefix, so
    /// registers 4-7 are `spl`..`dil`, never `ah`..`bh`).
    fn store_element(&mut self, ty: Ty, base: u8, index: u8, s: u8) {
        match ty {
            Ty::Bool => x64!(self.ops; mov BYTE [Rq(base) + Rq(index)], Rb(s)),
            Ty::I32 | Ty::U32 => x64!(self.ops; mov DWORD [Rq(base) + Rq(index) * 4], Rd(s)),
            Ty::I64 => x64!(self.ops; mov QWORD [Rq(base) + Rq(index) * 8], Rq(s)),
            Ty::F32 => x64!(self.ops; movss DWORD [Rq(base) + Rq(index) * 4], Rx(s)),
            Ty::F64 => x64!(self.ops; movsd QWORD [Rq(base) + Rq(index) * 8], Rx(s)),
            Ty::F32x4 => x64!(self.ops; movups OWORD [Rq(base) + Rq(index) * 4], Rx(s)),
            Ty::F64x2 | Ty::I64x2 => x64!(self.ops; movupd OWORD [Rq(base) + Rq(index) * 8], Rx(s)),
            Ty::F32x8 => x64!(self.ops; vmovups YWORD [Rq(base) + Rq(index) * 4], Ry(s)),
            Ty::F64x4 | Ty::I64x4 => {
                x64!(self.ops; vmovups YWORD [Rq(base) + Rq(index) * 8], Ry(s))
            }
        }
    }
}
