//! The [`Int`] part of the macro-assembler on x86-64: integer and `bool`
//! arithmetic, total division, comparisons, select, jumps on flags.
//!
//! Terms: `w64` selects the 64-bit form (`I64`); `I32`, `U32` and `Bool` use
//! the 32-bit form, which zero-extends its result.
//!
//! Invariant: division never traps: the divisor is tested for 0 and -1
//! before `idiv`/`div` and the MIR results for those cases are produced
//! directly (`x/0 = -1` or `u32::MAX`, `x%0 = x`, `MIN/-1 = MIN`, `MIN%-1 = 0`).

use dynasmrt::{DynamicLabel, DynasmApi, DynasmLabelApi};

use super::X64Backend;
use super::regs::R11;
use crate::backend::masm::{Int, IntCond, Moves};
use crate::mir::{BinOp, CmpOp, Ty, UnOp};

/// Two-operand ALU operations with one encoding each.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Alu {
    Add,
    Sub,
    Imul,
    And,
    Or,
    Xor,
}

impl X64Backend {
    /// `d op= s` in the given width.
    fn alu(&mut self, op: Alu, w64: bool, d: u8, s: u8) {
        match (op, w64) {
            (Alu::Add, true) => x64!(self.ops; add Rq(d), Rq(s)),
            (Alu::Add, false) => x64!(self.ops; add Rd(d), Rd(s)),
            (Alu::Sub, true) => x64!(self.ops; sub Rq(d), Rq(s)),
            (Alu::Sub, false) => x64!(self.ops; sub Rd(d), Rd(s)),
            (Alu::Imul, true) => x64!(self.ops; imul Rq(d), Rq(s)),
            (Alu::Imul, false) => x64!(self.ops; imul Rd(d), Rd(s)),
            (Alu::And, true) => x64!(self.ops; and Rq(d), Rq(s)),
            (Alu::And, false) => x64!(self.ops; and Rd(d), Rd(s)),
            (Alu::Or, true) => x64!(self.ops; or Rq(d), Rq(s)),
            (Alu::Or, false) => x64!(self.ops; or Rd(d), Rd(s)),
            (Alu::Xor, true) => x64!(self.ops; xor Rq(d), Rq(s)),
            (Alu::Xor, false) => x64!(self.ops; xor Rd(d), Rd(s)),
        }
    }

    /// `d = a op b` for any aliasing of `d` with `a` or `b`.
    fn alu3(&mut self, op: Alu, w64: bool, d: u8, a: u8, b: u8) {
        if d == a {
            self.alu(op, w64, d, b);
        } else if d == b {
            if op == Alu::Sub {
                self.mov_gpr(R11, a);
                self.alu(op, w64, R11, b);
                self.mov_gpr(d, R11);
            } else {
                self.alu(op, w64, d, a);
            }
        } else if op == Alu::Add {
            // One instruction for a sum into a third register (an address
            // for the next load, mostly). `lea` sets no flags, which no
            // consumer of a sum reads; its 32-bit form zero-extends as
            // `add` does.
            if w64 {
                x64!(self.ops; lea Rq(d), [Rq(a) + Rq(b)]);
            } else {
                x64!(self.ops; lea Rd(d), [Rq(a) + Rq(b)]);
            }
        } else {
            self.mov_gpr(d, a);
            self.alu(op, w64, d, b);
        }
    }

    /// `d = a shift b`: the count must be in `cl`, so `rcx` is saved in
    /// `r11` around the shift, which runs in `rax`. Any of `d`, `a`, `b` may
    /// be `rcx`; the hardware masks the count to the width, as MIR defines.
    fn int_shift(&mut self, op: BinOp, w64: bool, d: u8, a: u8, b: u8) {
        x64!(self.ops
            ; mov rax, Rq(a)
            ; mov r11, rcx
            ; mov rcx, Rq(b)
        );
        match (op, w64) {
            (BinOp::Shl, true) => x64!(self.ops; shl rax, cl),
            (BinOp::Shl, false) => x64!(self.ops; shl eax, cl),
            (BinOp::ShrS, true) => x64!(self.ops; sar rax, cl),
            (BinOp::ShrS, false) => x64!(self.ops; sar eax, cl),
            (BinOp::ShrU, true) => x64!(self.ops; shr rax, cl),
            (BinOp::ShrU, false) => x64!(self.ops; shr eax, cl),
            _ => unreachable!("{op:?} is not a shift"),
        }
        x64!(self.ops; mov rcx, r11);
        self.mov_gpr(d, 0);
    }

    /// Total division / remainder through `rax`/`rdx`.
    fn int_divrem(&mut self, rem: bool, ty: Ty, d: u8, a: u8, b: u8) {
        match ty {
            Ty::U32 => {
                x64!(self.ops
                    ; mov eax, Rd(a)
                    ; test Rd(b), Rd(b)
                    ; jz >zero
                    ; xor edx, edx
                    ; div Rd(b)
                );
                if rem {
                    x64!(self.ops; mov eax, edx; zero:);
                } else {
                    x64!(self.ops; jmp >done; zero:; mov eax, -1; done:);
                }
                self.mov_rr32(d, 0);
            }
            Ty::I32 => {
                x64!(self.ops
                    ; mov eax, Rd(a)
                    ; test Rd(b), Rd(b)
                    ; jz >zero
                    ; cmp Rd(b), -1
                    ; je >minus1
                    ; cdq
                    ; idiv Rd(b)
                );
                if rem {
                    x64!(self.ops; mov eax, edx; jmp >done; minus1:; xor eax, eax; zero:; done:);
                } else {
                    x64!(self.ops; jmp >done; minus1:; neg eax; jmp >done; zero:; mov eax, -1; done:);
                }
                self.mov_rr32(d, 0);
            }
            Ty::I64 => {
                x64!(self.ops
                    ; mov rax, Rq(a)
                    ; test Rq(b), Rq(b)
                    ; jz >zero
                    ; cmp Rq(b), -1
                    ; je >minus1
                    ; cqo
                    ; idiv Rq(b)
                );
                if rem {
                    x64!(self.ops; mov rax, rdx; jmp >done; minus1:; xor eax, eax; zero:; done:);
                } else {
                    x64!(self.ops; jmp >done; minus1:; neg rax; jmp >done; zero:; mov rax, -1; done:);
                }
                self.mov_gpr(d, 0);
            }
            _ => unreachable!("division on {ty}"),
        }
    }
}

impl Int for X64Backend {
    fn int_unary(&mut self, op: UnOp, ty: Ty, d: u8, s: u8) {
        let w64 = ty == Ty::I64;
        self.mov_gpr(d, s);
        match (op, ty) {
            (UnOp::Not, Ty::Bool) => x64!(self.ops; xor Rd(d), 1),
            (UnOp::Not, _) if w64 => x64!(self.ops; not Rq(d)),
            (UnOp::Not, _) => x64!(self.ops; not Rd(d)),
            (UnOp::Neg, _) if w64 => x64!(self.ops; neg Rq(d)),
            (UnOp::Neg, _) => x64!(self.ops; neg Rd(d)),
            _ => unreachable!("{op:?} on {ty}"),
        }
    }

    fn int_binary(&mut self, op: BinOp, ty: Ty, d: u8, a: u8, b: u8) {
        let w64 = ty == Ty::I64;
        let alu = match op {
            BinOp::Add => Alu::Add,
            BinOp::Sub => Alu::Sub,
            BinOp::Mul => Alu::Imul,
            BinOp::And => Alu::And,
            BinOp::Or => Alu::Or,
            BinOp::Xor => Alu::Xor,
            BinOp::Div | BinOp::Rem => return self.int_divrem(op == BinOp::Rem, ty, d, a, b),
            BinOp::Shl | BinOp::ShrS | BinOp::ShrU => return self.int_shift(op, w64, d, a, b),
            BinOp::Min | BinOp::Max => unreachable!("{op:?} on {ty}"),
        };
        self.alu3(alu, w64, d, a, b);
    }

    /// `cmp a, b`: the flags of `a - b`.
    fn int_cmp_flags(&mut self, ty: Ty, a: u8, b: u8) {
        if ty == Ty::I64 {
            x64!(self.ops; cmp Rq(a), Rq(b));
        } else {
            x64!(self.ops; cmp Rd(a), Rd(b));
        }
    }

    fn int_cmp(&mut self, op: CmpOp, ty: Ty, d: u8, a: u8, b: u8) {
        self.int_cmp_flags(ty, a, b);
        // `setcc` and `movzx` keep the flags of the `cmp`.
        match (op, ty.is_signed()) {
            (CmpOp::Lt, true) => x64!(self.ops; setl al),
            (CmpOp::Le, true) => x64!(self.ops; setle al),
            (CmpOp::Gt, true) => x64!(self.ops; setg al),
            (CmpOp::Ge, true) => x64!(self.ops; setge al),
            (CmpOp::Lt, false) => x64!(self.ops; setb al),
            (CmpOp::Le, false) => x64!(self.ops; setbe al),
            (CmpOp::Gt, false) => x64!(self.ops; seta al),
            (CmpOp::Ge, false) => x64!(self.ops; setae al),
            (CmpOp::Eq, _) => x64!(self.ops; sete al),
            (CmpOp::Ne, _) => x64!(self.ops; setne al),
        }
        x64!(self.ops; movzx Rd(d), al);
    }

    fn int_select(&mut self, d: u8, c: u8, t: u8, f: u8) {
        x64!(self.ops
            ; mov r11, Rq(f)
            ; test Rd(c), Rd(c)
            ; cmovnz r11, Rq(t)
        );
        self.mov_gpr(d, R11);
    }

    fn mask_bool(&mut self, r: u8) {
        x64!(self.ops; and Rd(r), 1);
    }

    fn jump_if(&mut self, cond: IntCond, l: DynamicLabel) {
        match (cond.op, cond.signed) {
            (CmpOp::Lt, true) => x64!(self.ops; jl =>l),
            (CmpOp::Le, true) => x64!(self.ops; jle =>l),
            (CmpOp::Gt, true) => x64!(self.ops; jg =>l),
            (CmpOp::Ge, true) => x64!(self.ops; jge =>l),
            (CmpOp::Lt, false) => x64!(self.ops; jb =>l),
            (CmpOp::Le, false) => x64!(self.ops; jbe =>l),
            (CmpOp::Gt, false) => x64!(self.ops; ja =>l),
            (CmpOp::Ge, false) => x64!(self.ops; jae =>l),
            (CmpOp::Eq, _) => x64!(self.ops; je =>l),
            (CmpOp::Ne, _) => x64!(self.ops; jne =>l),
        }
    }

    fn jump_if_bool(&mut self, c: u8, value: bool, l: DynamicLabel) {
        if value {
            x64!(self.ops; test Rd(c), Rd(c); jnz =>l);
        } else {
            x64!(self.ops; test Rd(c), Rd(c); jz =>l);
        }
    }
}
