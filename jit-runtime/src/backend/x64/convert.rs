//! The [`Convert`] part of the macro-assembler on x86-64: conversions
//! between the six scalar types, and bit casts.
//!
//! Terms: float -> integer conversions start from `cvttss2si`/`cvttsd2si`,
//! which yield the "integer indefinite" value (`MIN`) on NaN and overflow;
//! that value is then checked and replaced by Rust's saturating result
//! (NaN -> 0, too large -> MAX, too small -> MIN). Integer -> float goes
//! through a 64-bit signed conversion, exact for every `u32`, so it rounds once.
//!
//! Invariant: no conversion traps or depends on the MXCSR rounding mode
//! except through the default round-to-nearest.

use dynasmrt::{DynasmApi, DynasmLabelApi};

use super::X64Backend;
use super::regs::{RAX, XMM15};
use crate::backend::masm::{Convert, Moves};
use crate::mir::Ty;

impl X64Backend {
    fn cvtt32(&mut self, w64: bool, s: u8) {
        if w64 {
            x64!(self.ops; cvttsd2si eax, Rx(s));
        } else {
            x64!(self.ops; cvttss2si eax, Rx(s));
        }
    }

    fn cvtt64(&mut self, w64: bool, s: u8) {
        if w64 {
            x64!(self.ops; cvttsd2si rax, Rx(s));
        } else {
            x64!(self.ops; cvttss2si rax, Rx(s));
        }
    }

    /// Flags for `s` against `+0.0` (`xmm15` is cleared).
    fn compare_with_zero(&mut self, w64: bool, s: u8) {
        x64!(self.ops; xorps xmm15, xmm15);
        if w64 {
            x64!(self.ops; ucomisd Rx(s), xmm15);
        } else {
            x64!(self.ops; ucomiss Rx(s), xmm15);
        }
    }

    /// Parity flag set iff `s` is NaN.
    fn test_nan(&mut self, w64: bool, s: u8) {
        if w64 {
            x64!(self.ops; ucomisd Rx(s), Rx(s));
        } else {
            x64!(self.ops; ucomiss Rx(s), Rx(s));
        }
    }

    fn float_to_i32(&mut self, w64: bool, d: u8, s: u8) {
        self.cvtt32(w64, s);
        x64!(self.ops; cmp eax, i32::MIN; jne >done);
        self.test_nan(w64, s);
        x64!(self.ops; jp >nan);
        self.compare_with_zero(w64, s);
        x64!(self.ops
            ; jbe >done
            ; mov eax, i32::MAX
            ; jmp >done
            ; nan:
            ; xor eax, eax
            ; done:
            ; mov Rd(d), eax
        );
    }

    fn float_to_i64(&mut self, w64: bool, d: u8, s: u8) {
        self.cvtt64(w64, s);
        x64!(self.ops; mov r11, QWORD i64::MIN; cmp rax, r11; jne >done);
        self.test_nan(w64, s);
        x64!(self.ops; jp >nan);
        self.compare_with_zero(w64, s);
        x64!(self.ops
            ; jbe >done
            ; mov rax, QWORD i64::MAX
            ; jmp >done
            ; nan:
            ; xor eax, eax
            ; done:
            ; mov Rq(d), rax
        );
    }

    fn float_to_u32(&mut self, w64: bool, d: u8, s: u8) {
        // s >= 2^32 -> u32::MAX; otherwise the 64-bit conversion is exact
        // enough, and a negative result (negative input, NaN) becomes 0.
        let two_32 = if w64 {
            0x41f0_0000_0000_0000
        } else {
            0x4f80_0000
        };
        self.float_imm(XMM15, w64, two_32);
        if w64 {
            x64!(self.ops; ucomisd Rx(s), xmm15);
        } else {
            x64!(self.ops; ucomiss Rx(s), xmm15);
        }
        x64!(self.ops; jae >saturate);
        self.cvtt64(w64, s);
        x64!(self.ops
            ; test rax, rax
            ; jns >done
            ; xor eax, eax
            ; jmp >done
            ; saturate:
            ; mov eax, -1
            ; done:
            ; mov Rd(d), eax
        );
    }
}

impl Convert for X64Backend {
    fn convert(&mut self, from: Ty, to: Ty, d: u8, s: u8) {
        match (from, to) {
            (_, Ty::Bool) if from.is_float() => {
                // x != 0.0, NaN counts as nonzero.
                x64!(self.ops; xorps xmm15, xmm15);
                if from == Ty::F64 {
                    x64!(self.ops; ucomisd Rx(s), xmm15);
                } else {
                    x64!(self.ops; ucomiss Rx(s), xmm15);
                }
                x64!(self.ops; setne al; setp dl; or al, dl; movzx Rd(d), al);
            }
            (Ty::I64, Ty::Bool) => x64!(self.ops; test Rq(s), Rq(s); setne al; movzx Rd(d), al),
            (_, Ty::Bool) => x64!(self.ops; test Rd(s), Rd(s); setne al; movzx Rd(d), al),
            (Ty::I32, Ty::I64) => x64!(self.ops; movsxd Rq(d), Rd(s)),
            (Ty::I32 | Ty::U32 | Ty::Bool | Ty::I64, Ty::I32 | Ty::U32 | Ty::I64) => {
                self.mov_rr32(d, s)
            }
            (Ty::I32 | Ty::U32 | Ty::Bool | Ty::I64, Ty::F32 | Ty::F64) => {
                match from {
                    Ty::I32 => x64!(self.ops; movsxd rax, Rd(s)),
                    Ty::I64 => self.mov_gpr(RAX, s),
                    _ => x64!(self.ops; mov eax, Rd(s)),
                }
                x64!(self.ops; xorps Rx(d), Rx(d));
                if to == Ty::F64 {
                    x64!(self.ops; cvtsi2sd Rx(d), rax);
                } else {
                    x64!(self.ops; cvtsi2ss Rx(d), rax);
                }
            }
            (Ty::F32, Ty::F64) => x64!(self.ops; cvtss2sd Rx(d), Rx(s)),
            (Ty::F64, Ty::F32) => x64!(self.ops; cvtsd2ss Rx(d), Rx(s)),
            (Ty::F32 | Ty::F64, Ty::I32) => self.float_to_i32(from == Ty::F64, d, s),
            (Ty::F32 | Ty::F64, Ty::I64) => self.float_to_i64(from == Ty::F64, d, s),
            (Ty::F32 | Ty::F64, Ty::U32) => self.float_to_u32(from == Ty::F64, d, s),
            _ => unreachable!("conversion {from} -> {to}"),
        }
    }

    fn bitcast(&mut self, from: Ty, to: Ty, d: u8, s: u8) {
        match (from, to) {
            (Ty::F32, _) => x64!(self.ops; movd Rd(d), Rx(s)),
            (Ty::F64, _) => x64!(self.ops; movq Rq(d), Rx(s)),
            (_, Ty::F32) => x64!(self.ops; movd Rx(d), Rd(s)),
            (_, Ty::F64) => x64!(self.ops; movq Rx(d), Rq(s)),
            _ => unreachable!("bitcast {from} -> {to}"),
        }
    }
}
