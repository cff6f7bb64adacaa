//! The [`Vector`] part of the macro-assembler on x86-64: lanewise
//! arithmetic on 128-bit vectors with SSE2's packed instructions (`ps` for
//! `F32x4`, `pd` for `F64x2`), so the same code runs at every ISA level.
//!
//! Terms: SSE2 instructions are destructive (`d op= s`); each operation
//! copies into a scratch register first when its destination is also an
//! operand it still needs.
//!
//! Invariant: every lane gets exactly the bits the scalar operation of
//! `float.rs` gives it: `min`/`max` propagate NaN and order `-0` below `+0`
//! (`minps`/`maxps` alone do neither), comparisons are ordered except `Ne`.

use dynasmrt::DynasmApi;

use super::X64Backend;
use super::regs::{XMM13, XMM14, XMM15};
use crate::backend::masm::{Float, Moves, Vector};
use crate::mir::{BinOp, CmpOp, Ty, UnOp};

/// `ps` or `pd` form of a two-register SSE instruction.
macro_rules! packed {
    ($s:ident, $ty:expr, $ps:ident, $pd:ident, $d:expr, $x:expr) => {
        if $ty == Ty::F64x2 {
            x64!($s.ops; $pd Rx($d), Rx($x))
        } else {
            x64!($s.ops; $ps Rx($d), Rx($x))
        }
    };
}

impl X64Backend {
    /// `d op= s`, lanewise, for the instructions with a packed form.
    fn packed(&mut self, op: BinOp, ty: Ty, d: u8, s: u8) {
        match op {
            BinOp::Add => packed!(self, ty, addps, addpd, d, s),
            BinOp::Sub => packed!(self, ty, subps, subpd, d, s),
            BinOp::Mul => packed!(self, ty, mulps, mulpd, d, s),
            BinOp::Div => packed!(self, ty, divps, divpd, d, s),
            BinOp::Min => packed!(self, ty, minps, minpd, d, s),
            BinOp::Max => packed!(self, ty, maxps, maxpd, d, s),
            BinOp::And => x64!(self.ops; andps Rx(d), Rx(s)),
            BinOp::Or => x64!(self.ops; orps Rx(d), Rx(s)),
            BinOp::Xor => x64!(self.ops; xorps Rx(d), Rx(s)),
            _ => unreachable!("{op:?} has no packed form"),
        }
    }

    /// `d = a <pred> b` per lane as a mask, with `cmpps`'s predicate number.
    fn packed_cmp(&mut self, ty: Ty, d: u8, a: u8, b: u8, pred: i8) {
        self.mov_fpr(XMM15, a);
        if ty == Ty::F64x2 {
            x64!(self.ops; cmppd xmm15, Rx(b), pred);
        } else {
            x64!(self.ops; cmpps xmm15, Rx(b), pred);
        }
        self.mov_fpr(d, XMM15);
    }

    /// `d` = the scalar `bits` in every lane of `ty`.
    fn splat_bits(&mut self, ty: Ty, d: u8, bits: u64) {
        let w64 = ty == Ty::F64x2;
        self.float_imm(d, w64, bits);
        self.vec_splat(ty, d, d);
    }
}

impl Vector for X64Backend {
    fn vec_splat(&mut self, ty: Ty, d: u8, s: u8) {
        self.mov_fpr(d, s);
        if ty == Ty::F64x2 {
            x64!(self.ops; movlhps Rx(d), Rx(d));
        } else {
            x64!(self.ops; shufps Rx(d), Rx(d), 0);
        }
    }

    fn vec_unary(&mut self, op: UnOp, ty: Ty, d: u8, s: u8) {
        let w64 = ty == Ty::F64x2;
        match op {
            UnOp::Sqrt => packed!(self, ty, sqrtps, sqrtpd, d, s),
            UnOp::Neg | UnOp::Abs => {
                let (sign, abs) = if w64 {
                    (1u64 << 63, !(1u64 << 63))
                } else {
                    (1 << 31, 0x7fff_ffff)
                };
                self.splat_bits(ty, XMM15, if op == UnOp::Neg { sign } else { abs });
                let bitwise = if op == UnOp::Neg {
                    BinOp::Xor
                } else {
                    BinOp::And
                };
                self.packed(bitwise, ty, XMM15, s);
                self.mov_fpr(d, XMM15);
            }
            _ => unreachable!("{op:?} is not a vector operation"),
        }
    }

    fn vec_binary(&mut self, op: BinOp, ty: Ty, d: u8, a: u8, b: u8) {
        match op {
            BinOp::Min | BinOp::Max => {
                // minps/maxps give the second operand when the lanes are
                // equal or either is NaN. Equal lanes: the bits and-ed (max)
                // or or-ed (min), so that -0 orders below +0; NaN lanes:
                // `a + b`, a NaN.
                self.packed_cmp(ty, XMM14, a, b, 0);
                self.mov_fpr(XMM15, a);
                self.packed(op, ty, XMM15, b);
                self.mov_fpr(XMM13, a);
                let zeros = if op == BinOp::Max {
                    BinOp::And
                } else {
                    BinOp::Or
                };
                self.packed(zeros, ty, XMM13, b);
                x64!(self.ops
                    ; andps xmm13, xmm14
                    ; andnps xmm14, xmm15
                    ; orps xmm14, xmm13
                );
                self.mov_fpr(XMM13, a);
                if ty == Ty::F64x2 {
                    x64!(self.ops; cmppd xmm13, Rx(b), 3);
                } else {
                    x64!(self.ops; cmpps xmm13, Rx(b), 3);
                }
                self.mov_fpr(XMM15, a);
                self.packed(BinOp::Add, ty, XMM15, b);
                x64!(self.ops
                    ; andps xmm15, xmm13
                    ; andnps xmm13, xmm14
                    ; orps xmm13, xmm15
                );
                self.mov_fpr(d, XMM13);
            }
            _ => {
                let commutes = matches!(
                    op,
                    BinOp::Add | BinOp::Mul | BinOp::And | BinOp::Or | BinOp::Xor
                );
                if d == a {
                    self.packed(op, ty, d, b);
                } else if d == b && commutes {
                    self.packed(op, ty, d, a);
                } else if d == b {
                    self.mov_fpr(XMM15, a);
                    self.packed(op, ty, XMM15, b);
                    self.mov_fpr(d, XMM15);
                } else {
                    self.mov_fpr(d, a);
                    self.packed(op, ty, d, b);
                }
            }
        }
    }

    fn vec_cmp(&mut self, op: CmpOp, ty: Ty, d: u8, a: u8, b: u8) {
        // cmpps predicates: 0 eq, 1 lt, 2 le (ordered), 4 neq (unordered).
        match op {
            CmpOp::Eq => self.packed_cmp(ty, d, a, b, 0),
            CmpOp::Lt => self.packed_cmp(ty, d, a, b, 1),
            CmpOp::Le => self.packed_cmp(ty, d, a, b, 2),
            CmpOp::Ne => self.packed_cmp(ty, d, a, b, 4),
            CmpOp::Gt => self.packed_cmp(ty, d, b, a, 1),
            CmpOp::Ge => self.packed_cmp(ty, d, b, a, 2),
        }
    }

    fn vec_select(&mut self, d: u8, c: u8, t: u8, f: u8) {
        self.mov_fpr(XMM15, c);
        self.mov_fpr(XMM14, c);
        x64!(self.ops
            ; andps xmm15, Rx(t)
            ; andnps xmm14, Rx(f)
            ; orps xmm15, xmm14
        );
        self.mov_fpr(d, XMM15);
    }

    fn vec_reduce(&mut self, op: BinOp, ty: Ty, d: u8, s: u8) {
        // Each step is a scalar operation on lane 0; `d` may be `s`, so it
        // is written only once `s` is no longer read.
        let w64 = ty == Ty::F64x2;
        self.mov_fpr(XMM13, s);
        if w64 {
            // l0 op l1.
            x64!(self.ops; unpckhpd xmm13, xmm13);
            self.mov_fpr(XMM14, s);
            return self.float_binary(op, w64, d, XMM14, XMM13);
        }
        // (l0 op l2) op (l1 op l3).
        x64!(self.ops; movhlps xmm13, Rx(s));
        self.mov_fpr(XMM14, s);
        self.float_binary(op, w64, XMM14, XMM14, XMM13);
        self.mov_fpr(XMM13, s);
        x64!(self.ops; shufps xmm13, xmm13, 0x55);
        self.mov_fpr(d, s);
        x64!(self.ops; shufps Rx(d), Rx(d), -1);
        self.float_binary(op, w64, XMM13, XMM13, d);
        self.float_binary(op, w64, d, XMM14, XMM13);
    }
}
