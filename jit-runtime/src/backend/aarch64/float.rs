//! The [`Float`] part of the macro-assembler on AArch64: arithmetic,
//! min/max, sign operations, square root, rounding, comparisons, select.
//!
//! Terms: `w64` selects the `d` (f64) view of a vector register over the `s`
//! (f32) view. Every rounding of the MIR has its own instruction
//! (`frintm`/`frintp`/`frintz`/`frintn`/`frinta`), and `fneg`/`fabs` only
//! touch the sign bit, as the MIR defines.
//!
//! Invariant: min/max follow the MIR, not `fmin`/`fmax` (which differ on
//! `±0`): `a < b ? a : b` by `fcsel`, and a NaN operand gives a NaN (the
//! sum of the operands) through a second `fcsel` on the unordered flag.
//! Comparisons are ordered (false on NaN) except `Ne`.

use dynasmrt::DynasmApi;

use super::A64Backend;
use super::int::Cond;
use crate::backend::masm::Float;
use crate::mir::{BinOp, CmpOp, UnOp};

/// The `s` or `d` form of a vector instruction with the given register operands.
macro_rules! fp {
    ($s:ident, $w64:expr, $op:ident $d:expr, $a:expr) => {
        if $w64 {
            a64!($s.ops; $op D($d), D($a))
        } else {
            a64!($s.ops; $op S($d), S($a))
        }
    };
    ($s:ident, $w64:expr, $op:ident $d:expr, $a:expr, $b:expr) => {
        if $w64 {
            a64!($s.ops; $op D($d), D($a), D($b))
        } else {
            a64!($s.ops; $op S($d), S($a), S($b))
        }
    };
}

impl Float for A64Backend {
    fn float_binary(&mut self, op: BinOp, w64: bool, d: u8, a: u8, b: u8) {
        match op {
            BinOp::Add => fp!(self, w64, fadd d, a, b),
            BinOp::Sub => fp!(self, w64, fsub d, a, b),
            BinOp::Mul => fp!(self, w64, fmul d, a, b),
            BinOp::Div => fp!(self, w64, fdiv d, a, b),
            // FMIN/FMAX are IEEE 754-2019 minimum/maximum: NaN if either
            // is NaN, -0 below +0, as MIR's Min/Max.
            BinOp::Min => fp!(self, w64, fmin d, a, b),
            BinOp::Max => fp!(self, w64, fmax d, a, b),
            _ => unreachable!("{op:?} on floats is not emitted here"),
        }
    }

    fn float_unary(&mut self, op: UnOp, w64: bool, d: u8, s: u8) {
        match op {
            UnOp::Neg => fp!(self, w64, fneg d, s),
            UnOp::Abs => fp!(self, w64, fabs d, s),
            UnOp::Sqrt => fp!(self, w64, fsqrt d, s),
            UnOp::Floor => fp!(self, w64, frintm d, s),
            UnOp::Ceil => fp!(self, w64, frintp d, s),
            UnOp::Trunc => fp!(self, w64, frintz d, s),
            UnOp::RoundEven => fp!(self, w64, frintn d, s),
            UnOp::Round => fp!(self, w64, frinta d, s),
            UnOp::Not => unreachable!("not on floats"),
        }
    }

    fn has_fma(&self) -> bool {
        true
    }

    fn float_fma(&mut self, w64: bool, d: u8, a: u8, b: u8, c: u8) {
        if w64 {
            a64!(self.ops; fmadd D(d), D(a), D(b), D(c));
        } else {
            a64!(self.ops; fmadd S(d), S(a), S(b), S(c));
        }
    }

    fn float_cmp(&mut self, op: CmpOp, w64: bool, d: u8, a: u8, b: u8) {
        fp!(self, w64, fcmp a, b);
        // After `fcmp`, unordered sets C and V: `mi`, `ls`, `gt`, `ge` and
        // `eq` are false on it, `ne` true.
        let cond = match op {
            CmpOp::Lt => Cond::Mi,
            CmpOp::Le => Cond::Ls,
            CmpOp::Gt => Cond::Gt,
            CmpOp::Ge => Cond::Ge,
            CmpOp::Eq => Cond::Eq,
            CmpOp::Ne => Cond::Ne,
        };
        self.cset(cond, d);
    }

    fn float_select(&mut self, d: u8, c: u8, t: u8, f: u8) {
        a64!(self.ops
            ; cmp WSP(c), 0
            ; fcsel D(d), D(t), D(f), ne
        );
    }
}
