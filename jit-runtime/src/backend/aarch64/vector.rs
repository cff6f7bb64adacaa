//! The [`Vector`] part of the macro-assembler on AArch64: lanewise
//! arithmetic on 128-bit vectors with NEON (`.4s` for `F32x4`, `.2d` for
//! `F64x2`), the fused multiply-add as `fmla`.
//!
//! Invariant: every lane gets exactly the bits the scalar operation of
//! `float.rs` gives it. NEON's `fmin`/`fmax` are the scalar ones per lane
//! (NaN if either is NaN, `-0` below `+0`), and its compares are ordered
//! (false on NaN), so `Ne` is the complement of `fcmeq`.

use dynasmrt::DynasmApi;

use super::A64Backend;
use super::regs::V31;
use crate::backend::masm::{Float, Moves, Vector};
use crate::mir::{BinOp, CmpOp, Ty, UnOp};

/// The `.4s` or `.2d` form of a vector instruction.
macro_rules! lanes {
    ($s:ident, $ty:expr, $op:ident $d:expr, $a:expr) => {
        if $ty == Ty::F64x2 {
            a64!($s.ops; $op V($d).D2, V($a).D2)
        } else {
            a64!($s.ops; $op V($d).S4, V($a).S4)
        }
    };
    ($s:ident, $ty:expr, $op:ident $d:expr, $a:expr, $b:expr) => {
        if $ty == Ty::F64x2 {
            a64!($s.ops; $op V($d).D2, V($a).D2, V($b).D2)
        } else {
            a64!($s.ops; $op V($d).S4, V($a).S4, V($b).S4)
        }
    };
}

impl Vector for A64Backend {
    fn vec_splat(&mut self, ty: Ty, d: u8, s: u8) {
        if ty == Ty::F64x2 {
            a64!(self.ops; dup V(d).D2, V(s).D[0]);
        } else {
            a64!(self.ops; dup V(d).S4, V(s).S[0]);
        }
    }

    fn vec_unary(&mut self, op: UnOp, ty: Ty, d: u8, s: u8) {
        match op {
            UnOp::Neg => lanes!(self, ty, fneg d, s),
            UnOp::Abs => lanes!(self, ty, fabs d, s),
            UnOp::Sqrt => lanes!(self, ty, fsqrt d, s),
            _ => unreachable!("{op:?} is not a vector operation"),
        }
    }

    fn vec_binary(&mut self, op: BinOp, ty: Ty, d: u8, a: u8, b: u8) {
        if ty == Ty::I64x2 {
            match op {
                BinOp::Add => a64!(self.ops; add V(d).D2, V(a).D2, V(b).D2),
                BinOp::Sub => a64!(self.ops; sub V(d).D2, V(a).D2, V(b).D2),
                BinOp::And => a64!(self.ops; and V(d).B16, V(a).B16, V(b).B16),
                BinOp::Or => a64!(self.ops; orr V(d).B16, V(a).B16, V(b).B16),
                BinOp::Xor => a64!(self.ops; eor V(d).B16, V(a).B16, V(b).B16),
                _ => unreachable!("{op:?} on i64x2"),
            }
            return;
        }
        match op {
            BinOp::Add => lanes!(self, ty, fadd d, a, b),
            BinOp::Sub => lanes!(self, ty, fsub d, a, b),
            BinOp::Mul => lanes!(self, ty, fmul d, a, b),
            BinOp::Div => lanes!(self, ty, fdiv d, a, b),
            BinOp::Min => lanes!(self, ty, fmin d, a, b),
            BinOp::Max => lanes!(self, ty, fmax d, a, b),
            BinOp::And => a64!(self.ops; and V(d).B16, V(a).B16, V(b).B16),
            BinOp::Or => a64!(self.ops; orr V(d).B16, V(a).B16, V(b).B16),
            BinOp::Xor => a64!(self.ops; eor V(d).B16, V(a).B16, V(b).B16),
            _ => unreachable!("{op:?} is not a vector operation"),
        }
    }

    fn vec_cmp(&mut self, op: CmpOp, ty: Ty, d: u8, a: u8, b: u8) {
        if ty == Ty::I64x2 {
            match op {
                CmpOp::Eq => a64!(self.ops; cmeq V(d).D2, V(a).D2, V(b).D2),
                CmpOp::Gt => a64!(self.ops; cmgt V(d).D2, V(a).D2, V(b).D2),
                CmpOp::Ge => a64!(self.ops; cmge V(d).D2, V(a).D2, V(b).D2),
                CmpOp::Lt => a64!(self.ops; cmgt V(d).D2, V(b).D2, V(a).D2),
                CmpOp::Le => a64!(self.ops; cmge V(d).D2, V(b).D2, V(a).D2),
                CmpOp::Ne => {
                    a64!(self.ops; cmeq V(d).D2, V(a).D2, V(b).D2; mvn V(d).B16, V(d).B16)
                }
            }
            return;
        }
        match op {
            CmpOp::Eq => lanes!(self, ty, fcmeq d, a, b),
            CmpOp::Gt => lanes!(self, ty, fcmgt d, a, b),
            CmpOp::Ge => lanes!(self, ty, fcmge d, a, b),
            CmpOp::Lt => lanes!(self, ty, fcmgt d, b, a),
            CmpOp::Le => lanes!(self, ty, fcmge d, b, a),
            CmpOp::Ne => {
                lanes!(self, ty, fcmeq d, a, b);
                a64!(self.ops; mvn V(d).B16, V(d).B16);
            }
        }
    }

    fn vec_select(&mut self, _ty: Ty, d: u8, c: u8, t: u8, f: u8) {
        // bsl: v31 = (v31 & t) | (!v31 & f), v31 the mask.
        self.mov_fpr(V31, c);
        a64!(self.ops; bsl V(V31).B16, V(t).B16, V(f).B16);
        self.mov_fpr(d, V31);
    }

    fn vec_byte_table(&mut self, d: u8, table: u8, bytes: u8) {
        a64!(self.ops; tbl V(d).B16, {V(table).B16 * 1}, V(bytes).B16);
    }

    fn vec_byte_table_into(&mut self, d: u8, acc: u8, table: u8, bytes: u8) {
        // `tbx` writes into its destination: `acc` there first, through
        // v31 when `d` holds the table or the indices.
        let into = if d == acc || (d != table && d != bytes) {
            d
        } else {
            V31
        };
        self.mov_fpr(into, acc);
        a64!(self.ops; tbx V(into).B16, {V(table).B16 * 1}, V(bytes).B16);
        self.mov_fpr(d, into);
    }

    fn vec_reduce(&mut self, op: BinOp, ty: Ty, d: u8, s: u8) {
        // v31 = s with its halves swapped: lane 0 is lane `half` of `s`.
        // `d` may be `s`: it is written only once `s` is no longer read.
        a64!(self.ops; ext V(V31).B16, V(s).B16, V(s).B16, 8);
        if ty == Ty::F64x2 {
            return self.float_binary(op, true, d, s, V31);
        }
        // v31 = (l0 op l2, l1 op l3, ..); then its lane 0 op its lane 1.
        self.vec_binary(op, ty, V31, s, V31);
        a64!(self.ops; dup S(d), V(V31).S[1]);
        self.float_binary(op, false, d, V31, d);
    }

    fn vec_load(&mut self, _ty: Ty, d: u8, base: u8, offset: u32) {
        // The scaled form reaches 65520 bytes; a loop's offsets are a few
        // vectors.
        assert!(offset <= 4095 * 16, "vector offset {offset} out of reach");
        a64!(self.ops; ldr Q(d), [X(base), offset]);
    }

    fn vec_store(&mut self, _ty: Ty, base: u8, offset: u32, s: u8) {
        assert!(offset <= 4095 * 16, "vector offset {offset} out of reach");
        a64!(self.ops; str Q(s), [X(base), offset]);
    }

    fn vec_shift_imm(&mut self, op: BinOp, _ty: Ty, d: u8, s: u8, amount: u32) {
        if amount == 0 {
            return self.mov_fpr(d, s);
        }
        match op {
            BinOp::Shl => a64!(self.ops; shl V(d).D2, V(s).D2, amount),
            BinOp::ShrU => a64!(self.ops; ushr V(d).D2, V(s).D2, amount),
            BinOp::ShrS => a64!(self.ops; sshr V(d).D2, V(s).D2, amount),
            _ => unreachable!("{op:?} is not a shift"),
        }
    }

    fn vec_widen(&mut self, _ty: Ty, half: u8, d: u8, s: u8) {
        if half == 0 {
            a64!(self.ops; fcvtl V(d).D2, V(s).S2);
        } else {
            a64!(self.ops; fcvtl2 V(d).D2, V(s).S4);
        }
    }

    fn vec_narrow(&mut self, _ty: Ty, d: u8, s: u8) {
        // Writes the low 64 bits and clears the high ones.
        a64!(self.ops; fcvtn V(d).S2, V(s).D2);
    }

    fn vec_concat_low(&mut self, _ty: Ty, d: u8, lo: u8, hi: u8) {
        let hi = if d == hi && d != lo {
            self.mov_fpr(V31, hi);
            V31
        } else {
            hi
        };
        self.mov_fpr(d, lo);
        a64!(self.ops; mov V(d).D[1], V(hi).D[0]);
    }

    fn vec_any_lane(&mut self, _ty: Ty, d: u8, s: u8) {
        a64!(self.ops
            ; umov x16, V(s).D[0]
            ; umov x17, V(s).D[1]
            ; orr x16, x16, x17
            ; cmp x16, 0
            ; cset W(d), ne
        );
    }

    fn vec_extract_lane(&mut self, ty: Ty, d: u8, s: u8, lane: u8) {
        if ty == Ty::F32x4 {
            a64!(self.ops; dup S(d), V(s).S[u32::from(lane)]);
        } else {
            a64!(self.ops; dup D(d), V(s).D[u32::from(lane)]);
        }
    }

    /// AArch64 has no 256-bit values, so this is never reached.
    fn vec_wide_dead(&mut self) {}

    /// Never `true` on AArch64.
    fn vec_wide_live(&mut self, _live: bool) {}

    fn vec_insert_lane(&mut self, ty: Ty, d: u8, s: u8, v: u8, lane: u8) {
        let v = if d == v && d != s {
            self.mov_fpr(V31, v);
            V31
        } else {
            v
        };
        self.mov_fpr(d, s);
        if ty == Ty::F32x4 {
            a64!(self.ops; mov V(d).S[u32::from(lane)], V(v).S[0]);
        } else {
            a64!(self.ops; mov V(d).D[u32::from(lane)], V(v).D[0]);
        }
    }

    // ---- vector fma ----
    /// `fmla d, a, b` accumulates into `d`, so `c` goes there first; when
    /// `d` is `a` or `b` (and not `c`) the sum is made in `v31` instead.
    fn vec_fma(&mut self, ty: Ty, d: u8, a: u8, b: u8, c: u8) {
        let acc = if d != c && (d == a || d == b) { V31 } else { d };
        self.mov_fpr(acc, c);
        lanes!(self, ty, fmla acc, a, b);
        self.mov_fpr(d, acc);
    }
}
