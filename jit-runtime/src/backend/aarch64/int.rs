//! The [`Int`] part of the macro-assembler on AArch64: integer and `bool`
//! arithmetic, total division, comparisons, select, jumps on flags.
//!
//! Terms: `w64` selects the 64-bit `x` form (`I64`); `I32`, `U32` and `Bool`
//! use the 32-bit `w` form, which zero-extends its result. Every instruction
//! has three operands, so any aliasing of destination and sources is fine.
//!
//! Invariant: division never traps (AArch64 `sdiv`/`udiv` do not: `x / 0 ==
//! 0`, `MIN / -1 == MIN`); the MIR's other results are made explicitly:
//! `x / 0 == -1` (or `u32::MAX`) by a `csinv` on the divisor, and the
//! remainder `a - (a / b) * b` is already `x` for `b == 0` and `0` for
//! `MIN % -1`.

use dynasmrt::{DynamicLabel, DynasmApi, DynasmLabelApi};

use super::A64Backend;
use crate::backend::masm::{Int, IntCond};
use crate::mir::{BinOp, CmpOp, Ty, UnOp};

/// The AArch64 condition code of an integer comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Cond {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Lo,
    Ls,
    Hi,
    Hs,
    /// Float `<` (ordered).
    Mi,
}

impl Cond {
    /// The condition under which `cond` holds after `cmp a, b`.
    fn of(cond: IntCond) -> Cond {
        match (cond.op, cond.signed) {
            (CmpOp::Lt, true) => Cond::Lt,
            (CmpOp::Le, true) => Cond::Le,
            (CmpOp::Gt, true) => Cond::Gt,
            (CmpOp::Ge, true) => Cond::Ge,
            (CmpOp::Lt, false) => Cond::Lo,
            (CmpOp::Le, false) => Cond::Ls,
            (CmpOp::Gt, false) => Cond::Hi,
            (CmpOp::Ge, false) => Cond::Hs,
            (CmpOp::Eq, _) => Cond::Eq,
            (CmpOp::Ne, _) => Cond::Ne,
        }
    }
}

impl A64Backend {
    /// `wd = cond ? 1 : 0` from the flags.
    pub(super) fn cset(&mut self, cond: Cond, d: u8) {
        match cond {
            Cond::Eq => a64!(self.ops; cset W(d), eq),
            Cond::Ne => a64!(self.ops; cset W(d), ne),
            Cond::Lt => a64!(self.ops; cset W(d), lt),
            Cond::Le => a64!(self.ops; cset W(d), le),
            Cond::Gt => a64!(self.ops; cset W(d), gt),
            Cond::Ge => a64!(self.ops; cset W(d), ge),
            Cond::Lo => a64!(self.ops; cset W(d), lo),
            Cond::Ls => a64!(self.ops; cset W(d), ls),
            Cond::Hi => a64!(self.ops; cset W(d), hi),
            Cond::Hs => a64!(self.ops; cset W(d), hs),
            Cond::Mi => a64!(self.ops; cset W(d), mi),
        }
    }
}

impl Int for A64Backend {
    fn int_unary(&mut self, op: UnOp, ty: Ty, d: u8, s: u8) {
        match (op, ty) {
            (UnOp::Not, Ty::Bool) => a64!(self.ops; eor WSP(d), W(s), 1),
            (UnOp::Not, Ty::I64) => a64!(self.ops; mvn X(d), X(s)),
            (UnOp::Not, _) => a64!(self.ops; mvn W(d), W(s)),
            (UnOp::Neg, Ty::I64) => a64!(self.ops; neg X(d), X(s)),
            (UnOp::Neg, _) => a64!(self.ops; neg W(d), W(s)),
            _ => unreachable!("{op:?} on {ty}"),
        }
    }

    fn int_binary(&mut self, op: BinOp, ty: Ty, d: u8, a: u8, b: u8) {
        if ty == Ty::I64 {
            match op {
                BinOp::Add => a64!(self.ops; add X(d), X(a), X(b)),
                BinOp::Sub => a64!(self.ops; sub X(d), X(a), X(b)),
                BinOp::Mul => a64!(self.ops; mul X(d), X(a), X(b)),
                BinOp::And => a64!(self.ops; and X(d), X(a), X(b)),
                BinOp::Or => a64!(self.ops; orr X(d), X(a), X(b)),
                BinOp::Xor => a64!(self.ops; eor X(d), X(a), X(b)),
                BinOp::Shl => a64!(self.ops; lsl X(d), X(a), X(b)),
                BinOp::ShrS => a64!(self.ops; asr X(d), X(a), X(b)),
                BinOp::ShrU => a64!(self.ops; lsr X(d), X(a), X(b)),
                BinOp::Div => a64!(self.ops
                    ; sdiv x16, X(a), X(b)
                    ; cmp XSP(b), 0
                    ; csinv X(d), x16, xzr, ne
                ),
                BinOp::Rem => a64!(self.ops
                    ; sdiv x16, X(a), X(b)
                    ; msub X(d), x16, X(b), X(a)
                ),
                BinOp::Min | BinOp::Max => unreachable!("{op:?} on {ty}"),
            }
            return;
        }
        match op {
            BinOp::Add => a64!(self.ops; add W(d), W(a), W(b)),
            BinOp::Sub => a64!(self.ops; sub W(d), W(a), W(b)),
            BinOp::Mul => a64!(self.ops; mul W(d), W(a), W(b)),
            BinOp::And => a64!(self.ops; and W(d), W(a), W(b)),
            BinOp::Or => a64!(self.ops; orr W(d), W(a), W(b)),
            BinOp::Xor => a64!(self.ops; eor W(d), W(a), W(b)),
            BinOp::Shl => a64!(self.ops; lsl W(d), W(a), W(b)),
            BinOp::ShrS => a64!(self.ops; asr W(d), W(a), W(b)),
            BinOp::ShrU => a64!(self.ops; lsr W(d), W(a), W(b)),
            BinOp::Div | BinOp::Rem => {
                if ty == Ty::U32 {
                    a64!(self.ops; udiv w16, W(a), W(b));
                } else {
                    a64!(self.ops; sdiv w16, W(a), W(b));
                }
                if op == BinOp::Div {
                    a64!(self.ops; cmp WSP(b), 0; csinv W(d), w16, wzr, ne);
                } else {
                    a64!(self.ops; msub W(d), w16, W(b), W(a));
                }
            }
            BinOp::Min | BinOp::Max => unreachable!("{op:?} on {ty}"),
        }
    }

    fn int_cmp_flags(&mut self, ty: Ty, a: u8, b: u8) {
        if ty == Ty::I64 {
            a64!(self.ops; cmp X(a), X(b));
        } else {
            a64!(self.ops; cmp W(a), W(b));
        }
    }

    fn int_cmp(&mut self, op: CmpOp, ty: Ty, d: u8, a: u8, b: u8) {
        self.int_cmp_flags(ty, a, b);
        // `cset` keeps the flags of the `cmp`.
        self.cset(Cond::of(IntCond::of(op, ty)), d);
    }

    fn int_select(&mut self, d: u8, c: u8, t: u8, f: u8) {
        a64!(self.ops
            ; cmp WSP(c), 0
            ; csel X(d), X(t), X(f), ne
        );
    }

    fn mask_bool(&mut self, r: u8) {
        a64!(self.ops; and WSP(r), W(r), 1);
    }

    fn jump_if(&mut self, cond: IntCond, l: DynamicLabel) {
        match Cond::of(cond) {
            Cond::Eq => a64!(self.ops; b.eq =>l),
            Cond::Ne => a64!(self.ops; b.ne =>l),
            Cond::Lt => a64!(self.ops; b.lt =>l),
            Cond::Le => a64!(self.ops; b.le =>l),
            Cond::Gt => a64!(self.ops; b.gt =>l),
            Cond::Ge => a64!(self.ops; b.ge =>l),
            Cond::Lo => a64!(self.ops; b.lo =>l),
            Cond::Ls => a64!(self.ops; b.ls =>l),
            Cond::Hi => a64!(self.ops; b.hi =>l),
            Cond::Hs => a64!(self.ops; b.hs =>l),
            Cond::Mi => unreachable!("an integer condition is never `mi`"),
        }
    }

    fn jump_if_bool(&mut self, c: u8, value: bool, l: DynamicLabel) {
        if value {
            a64!(self.ops; cbnz W(c), =>l);
        } else {
            a64!(self.ops; cbz W(c), =>l);
        }
    }
}
