//! The [`Float`] part of the macro-assembler on x86-64: arithmetic,
//! min/max, sign operations, square root, rounding, comparisons, select.
//!
//! Terms: `w64` selects the `sd` (f64) form over the `ss` (f32) form.
//! Rounding has two implementations: SSE4.1 `roundss`/`roundsd` when
//! [`super::Features::sse41`] is set, and an SSE2 sequence otherwise (integer
//! conversion below 2^23 / 2^52, where every float is already an integer
//! above, with the sign restored so that -0.0 and small negatives keep it).
//! Round-half-away-from-zero is `trunc(x + copysign(0.5 - ulp/2, x))` in both.
//!
//! Invariant: NaN, ±inf and ±0.0 pass through every rounding unchanged;
//! comparisons are ordered (false on NaN) except `Ne`.

use dynasmrt::{DynasmApi, DynasmLabelApi};

use super::X64Backend;
use super::regs::{XMM13, XMM14, XMM15};
use crate::backend::masm::{Float, Moves};
use crate::mir::{BinOp, CmpOp, UnOp};

/// Bit patterns used by the float sequences, per width.
struct Bits {
    sign: u64,
    abs_mask: u64,
    /// 2^23 (f32) or 2^52 (f64): from here on every float is an integer.
    integral: u64,
    one: u64,
    /// The largest float below 0.5.
    below_half: u64,
}

const F32_BITS: Bits = Bits {
    sign: 0x8000_0000,
    abs_mask: 0x7fff_ffff,
    integral: 0x4b00_0000,
    one: 0x3f80_0000,
    below_half: 0x3eff_ffff,
};
const F64_BITS: Bits = Bits {
    sign: 0x8000_0000_0000_0000,
    abs_mask: 0x7fff_ffff_ffff_ffff,
    integral: 0x4330_0000_0000_0000,
    one: 0x3ff0_0000_0000_0000,
    below_half: 0x3fdf_ffff_ffff_ffff,
};

fn bits(w64: bool) -> &'static Bits {
    if w64 { &F64_BITS } else { &F32_BITS }
}

/// `ss` or `sd` form of a two-register SSE instruction.
macro_rules! sse {
    ($s:ident, $w64:expr, $ss:ident, $sd:ident, $d:expr, $x:expr) => {
        if $w64 {
            x64!($s.ops; $sd Rx($d), Rx($x))
        } else {
            x64!($s.ops; $ss Rx($d), Rx($x))
        }
    };
}

impl X64Backend {
    fn ucomis(&mut self, w64: bool, a: u8, b: u8) {
        sse!(self, w64, ucomiss, ucomisd, a, b);
    }

    /// `d op= s` for add/sub/mul/div.
    fn arith(&mut self, op: BinOp, w64: bool, d: u8, s: u8) {
        match op {
            BinOp::Add => sse!(self, w64, addss, addsd, d, s),
            BinOp::Sub => sse!(self, w64, subss, subsd, d, s),
            BinOp::Mul => sse!(self, w64, mulss, mulsd, d, s),
            BinOp::Div => sse!(self, w64, divss, divsd, d, s),
            BinOp::Min => sse!(self, w64, minss, minsd, d, s),
            BinOp::Max => sse!(self, w64, maxss, maxsd, d, s),
            _ => unreachable!("{op:?} is not a float arithmetic instruction"),
        }
    }

    fn round(&mut self, op: UnOp, w64: bool, d: u8, s: u8) {
        let k = bits(w64);
        if op == UnOp::Round {
            // xmm13 = s + copysign(below_half, s); then truncate it.
            self.float_imm(XMM13, w64, k.sign);
            x64!(self.ops; andps xmm13, Rx(s));
            self.float_imm(XMM15, w64, k.below_half);
            x64!(self.ops; orps xmm13, xmm15);
            sse!(self, w64, addss, addsd, XMM13, s);
            return self.round(UnOp::Trunc, w64, d, XMM13);
        }
        if self.features.sse41 {
            let mode: i8 = match op {
                UnOp::RoundEven => 0x8,
                UnOp::Floor => 0x9,
                UnOp::Ceil => 0xA,
                _ => 0xB,
            };
            if w64 {
                x64!(self.ops; roundsd Rx(d), Rx(s), mode);
            } else {
                x64!(self.ops; roundss Rx(d), Rx(s), mode);
            }
            return;
        }
        match op {
            UnOp::RoundEven => self.round_even_sse2(w64, s),
            _ => {
                self.trunc_sse2(w64, s);
                if op != UnOp::Trunc {
                    // floor: t > s -> t - 1; ceil: t < s -> t + 1 (never on NaN).
                    if op == UnOp::Floor {
                        self.ucomis(w64, XMM14, s);
                    } else {
                        self.ucomis(w64, s, XMM14);
                    }
                    x64!(self.ops; jbe >exact);
                    self.float_imm(XMM15, w64, k.one);
                    if op == UnOp::Floor {
                        sse!(self, w64, subss, subsd, XMM14, XMM15);
                    } else {
                        sse!(self, w64, addss, addsd, XMM14, XMM15);
                    }
                    x64!(self.ops; exact:);
                }
            }
        }
        self.mov_fpr(d, XMM14);
    }

    /// `xmm14 = trunc(s)` with SSE2 only; uses `rax`, `xmm15`; `s` is not xmm14/xmm15.
    fn trunc_sse2(&mut self, w64: bool, s: u8) {
        let k = bits(w64);
        self.float_imm(XMM15, w64, k.abs_mask);
        x64!(self.ops; andps xmm15, Rx(s));
        self.float_imm(XMM14, w64, k.integral);
        self.ucomis(w64, XMM14, XMM15);
        x64!(self.ops; jbe >integral);
        if w64 {
            x64!(self.ops; cvttsd2si rax, Rx(s); xorps xmm14, xmm14; cvtsi2sd xmm14, rax);
        } else {
            x64!(self.ops; cvttss2si eax, Rx(s); xorps xmm14, xmm14; cvtsi2ss xmm14, eax);
        }
        self.float_imm(XMM15, w64, k.sign);
        x64!(self.ops
            ; andps xmm15, Rx(s)
            ; orps xmm14, xmm15
            ; jmp >done
            ; integral:
            ; movaps xmm14, Rx(s)
            ; done:
        );
    }

    /// `xmm14 = round_ties_even(s)` with SSE2 only: `(|s| + 2^23) - 2^23`, sign restored.
    fn round_even_sse2(&mut self, w64: bool, s: u8) {
        let k = bits(w64);
        self.float_imm(XMM15, w64, k.abs_mask);
        x64!(self.ops; andps xmm15, Rx(s));
        self.float_imm(XMM14, w64, k.integral);
        self.ucomis(w64, XMM14, XMM15);
        x64!(self.ops; jbe >integral);
        sse!(self, w64, addss, addsd, XMM15, XMM14);
        sse!(self, w64, subss, subsd, XMM15, XMM14);
        self.float_imm(XMM14, w64, k.sign);
        x64!(self.ops
            ; andps xmm14, Rx(s)
            ; orps xmm14, xmm15
            ; jmp >done
            ; integral:
            ; movaps xmm14, Rx(s)
            ; done:
        );
    }
}

impl Float for X64Backend {
    fn float_binary(&mut self, op: BinOp, w64: bool, d: u8, a: u8, b: u8) {
        match op {
            BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div => {
                let commutes = matches!(op, BinOp::Add | BinOp::Mul);
                if d == a {
                    self.arith(op, w64, d, b);
                } else if d == b && commutes {
                    self.arith(op, w64, d, a);
                } else if d == b {
                    self.mov_fpr(XMM15, a);
                    self.arith(op, w64, XMM15, b);
                    self.mov_fpr(d, XMM15);
                } else {
                    self.mov_fpr(d, a);
                    self.arith(op, w64, d, b);
                }
            }
            BinOp::Min | BinOp::Max => {
                // minss/maxss give the second operand when the operands are
                // equal or either is NaN; MIR wants NaN, and for equal zeros
                // -0 below +0 (the two zeros' bits and-ed for max, or-ed for
                // min; equal non-zeros have equal bits).
                self.mov_fpr(XMM15, a);
                self.arith(op, w64, XMM15, b);
                self.ucomis(w64, a, b);
                x64!(self.ops; jne >done; jp >unordered);
                if op == BinOp::Max {
                    x64!(self.ops; andps xmm15, Rx(a));
                } else {
                    x64!(self.ops; orps xmm15, Rx(a));
                }
                x64!(self.ops; jmp >done; unordered:);
                self.mov_fpr(XMM15, a);
                self.arith(BinOp::Add, w64, XMM15, b);
                x64!(self.ops; done:);
                self.mov_fpr(d, XMM15);
            }
            _ => unreachable!("{op:?} on floats is not emitted here"),
        }
    }

    fn float_unary(&mut self, op: UnOp, w64: bool, d: u8, s: u8) {
        let k = bits(w64);
        match op {
            UnOp::Neg | UnOp::Abs => {
                let mask = if op == UnOp::Neg { k.sign } else { k.abs_mask };
                self.float_imm(XMM15, w64, mask);
                self.mov_fpr(d, s);
                if op == UnOp::Neg {
                    x64!(self.ops; xorps Rx(d), xmm15);
                } else {
                    x64!(self.ops; andps Rx(d), xmm15);
                }
            }
            UnOp::Sqrt => sse!(self, w64, sqrtss, sqrtsd, d, s),
            UnOp::Floor | UnOp::Ceil | UnOp::Trunc | UnOp::RoundEven | UnOp::Round => {
                self.round(op, w64, d, s)
            }
            UnOp::Not => unreachable!("not on floats"),
        }
    }

    fn has_fma(&self) -> bool {
        self.features.fma
    }

    fn float_fma(&mut self, w64: bool, d: u8, a: u8, b: u8, c: u8) {
        // 231: `d = a * b + d`; 213: `d = other * d + c` (the product commutes).
        macro_rules! vfma {
            ($ss:ident, $sd:ident, $x:expr, $y:expr, $z:expr) => {
                if w64 {
                    x64!(self.ops; $sd Rx($x), Rx($y), Rx($z))
                } else {
                    x64!(self.ops; $ss Rx($x), Rx($y), Rx($z))
                }
            };
        }
        if d == c {
            vfma!(vfmadd231ss, vfmadd231sd, d, a, b);
        } else if d == a {
            vfma!(vfmadd213ss, vfmadd213sd, d, b, c);
        } else if d == b {
            vfma!(vfmadd213ss, vfmadd213sd, d, a, c);
        } else {
            self.mov_fpr(d, c);
            vfma!(vfmadd231ss, vfmadd231sd, d, a, b);
        }
    }

    fn float_cmp(&mut self, op: CmpOp, w64: bool, d: u8, a: u8, b: u8) {
        match op {
            CmpOp::Gt | CmpOp::Ge | CmpOp::Eq | CmpOp::Ne => self.ucomis(w64, a, b),
            CmpOp::Lt | CmpOp::Le => self.ucomis(w64, b, a),
        }
        match op {
            CmpOp::Gt | CmpOp::Lt => x64!(self.ops; seta al),
            CmpOp::Ge | CmpOp::Le => x64!(self.ops; setae al),
            CmpOp::Eq => x64!(self.ops; sete al; setnp dl; and al, dl),
            CmpOp::Ne => x64!(self.ops; setne al; setp dl; or al, dl),
        }
        x64!(self.ops; movzx Rd(d), al);
    }

    fn float_select(&mut self, d: u8, c: u8, t: u8, f: u8) {
        x64!(self.ops; test Rd(c), Rd(c); jz >otherwise);
        self.mov_fpr(XMM15, t);
        x64!(self.ops; jmp >done; otherwise:);
        self.mov_fpr(XMM15, f);
        x64!(self.ops; done:);
        self.mov_fpr(d, XMM15);
    }
}
