//! The [`Vector`] part of the macro-assembler on x86-64: lanewise
//! arithmetic on 128-bit vectors with SSE2's packed instructions (`ps` for
//! `F32x4`, `pd` for `F64x2`), so the same code runs at every ISA level;
//! every operation on a 256-bit type goes to `wide.rs` (AVX2), and so does
//! the fused multiply-add (FMA3's VEX.128 `vfmadd231ps`/`pd`, only with
//! FMA3: a VEX.128 write clears the upper half of its ymm register, so it
//! leaves no dirty upper state among the SSE instructions).
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
        if ty == Ty::I64x2 {
            match op {
                BinOp::Add => x64!(self.ops; paddq Rx(d), Rx(s)),
                BinOp::Sub => x64!(self.ops; psubq Rx(d), Rx(s)),
                BinOp::And => x64!(self.ops; pand Rx(d), Rx(s)),
                BinOp::Or => x64!(self.ops; por Rx(d), Rx(s)),
                BinOp::Xor => x64!(self.ops; pxor Rx(d), Rx(s)),
                _ => unreachable!("{op:?} on i64x2"),
            }
            return;
        }
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

    /// `d = a op b` on `i64` lanes as a mask, with SSE2 only (no
    /// `pcmpeqq`/`pcmpgtq`).
    fn i64_cmp(&mut self, op: CmpOp, d: u8, a: u8, b: u8) {
        match op {
            CmpOp::Eq => {
                // Both 32-bit halves equal.
                self.mov_fpr(XMM15, a);
                x64!(self.ops
                    ; pcmpeqd xmm15, Rx(b)
                    ; pshufd xmm14, xmm15, -79i8
                    ; pand xmm15, xmm14
                );
            }
            CmpOp::Lt => {
                // The sign of `a - b` corrected for overflow:
                // (a - b) ^ ((a ^ b) & ((a - b) ^ a)), broadcast.
                self.mov_fpr(XMM15, a);
                x64!(self.ops; psubq xmm15, Rx(b));
                self.mov_fpr(XMM14, a);
                x64!(self.ops; pxor xmm14, Rx(b));
                self.mov_fpr(XMM13, XMM15);
                x64!(self.ops
                    ; pxor xmm13, Rx(a)
                    ; pand xmm14, xmm13
                    ; pxor xmm15, xmm14
                    ; psrad xmm15, 31
                    ; pshufd xmm15, xmm15, -11i8
                );
            }
            CmpOp::Gt => return self.i64_cmp(CmpOp::Lt, d, b, a),
            CmpOp::Ne | CmpOp::Le | CmpOp::Ge => {
                let complement = match op {
                    CmpOp::Ne => CmpOp::Eq,
                    CmpOp::Le => CmpOp::Gt,
                    _ => CmpOp::Lt,
                };
                self.i64_cmp(complement, XMM13, a, b);
                x64!(self.ops; pcmpeqd xmm15, xmm15; pxor xmm15, xmm13);
            }
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
        if ty.is_wide() {
            return self.wide_splat(ty, d, s);
        }
        self.mov_fpr(d, s);
        if ty == Ty::F64x2 {
            x64!(self.ops; movlhps Rx(d), Rx(d));
        } else {
            x64!(self.ops; shufps Rx(d), Rx(d), 0);
        }
    }

    fn vec_unary(&mut self, op: UnOp, ty: Ty, d: u8, s: u8) {
        if ty.is_wide() {
            return self.wide_unary(op, ty, d, s);
        }
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
        if ty.is_wide() {
            return self.wide_binary(op, ty, d, a, b);
        }
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
        if ty.is_wide() {
            return self.wide_cmp(op, ty, d, a, b);
        }
        if ty == Ty::I64x2 {
            return self.i64_cmp(op, d, a, b);
        }
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

    fn vec_select(&mut self, ty: Ty, d: u8, c: u8, t: u8, f: u8) {
        if ty.is_wide() {
            return self.wide_select(d, c, t, f);
        }
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
        if ty.is_wide() {
            return self.wide_reduce(op, ty, d, s);
        }
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

    fn vec_load(&mut self, ty: Ty, d: u8, base: u8, offset: u32) {
        if ty.is_wide() {
            return self.wide_load(d, base, offset);
        }
        let offset = offset as i32;
        x64!(self.ops; movups Rx(d), OWORD [Rq(base) + offset]);
    }

    fn vec_store(&mut self, ty: Ty, base: u8, offset: u32, s: u8) {
        if ty.is_wide() {
            return self.wide_store(base, offset, s);
        }
        let offset = offset as i32;
        x64!(self.ops; movups OWORD [Rq(base) + offset], Rx(s));
    }

    fn vec_shift_imm(&mut self, op: BinOp, ty: Ty, d: u8, s: u8, amount: u32) {
        if ty.is_wide() {
            return self.wide_shift_imm(op, d, s, amount);
        }
        let n = amount as i8;
        if amount == 0 {
            return self.mov_fpr(d, s);
        }
        match op {
            BinOp::Shl => {
                self.mov_fpr(d, s);
                x64!(self.ops; psllq Rx(d), n);
            }
            BinOp::ShrU => {
                self.mov_fpr(d, s);
                x64!(self.ops; psrlq Rx(d), n);
            }
            BinOp::ShrS => {
                // The logical shift, or-ed with the sign's copies shifted
                // into the vacated bits (SSE2 has no `psraq`).
                self.mov_fpr(XMM15, s);
                let fill = (64 - amount) as i8;
                x64!(self.ops
                    ; psrad xmm15, 31
                    ; pshufd xmm15, xmm15, -11i8
                    ; psllq xmm15, fill
                );
                self.mov_fpr(d, s);
                x64!(self.ops; psrlq Rx(d), n; por Rx(d), xmm15);
            }
            _ => unreachable!("{op:?} is not a shift"),
        }
    }

    fn vec_widen(&mut self, ty: Ty, half: u8, d: u8, s: u8) {
        if ty.is_wide() {
            return self.wide_widen(half, d, s);
        }
        if half == 0 {
            x64!(self.ops; cvtps2pd Rx(d), Rx(s));
        } else {
            self.mov_fpr(XMM15, s);
            x64!(self.ops; movhlps xmm15, Rx(s); cvtps2pd Rx(d), xmm15);
        }
    }

    fn vec_narrow(&mut self, ty: Ty, d: u8, s: u8) {
        if ty.is_wide() {
            return self.wide_narrow(d, s);
        }
        x64!(self.ops; cvtpd2ps Rx(d), Rx(s));
    }

    fn vec_concat_low(&mut self, ty: Ty, d: u8, lo: u8, hi: u8) {
        if ty.is_wide() {
            return self.wide_concat_low(d, lo, hi);
        }
        let hi = if d == hi && d != lo {
            self.mov_fpr(XMM15, hi);
            XMM15
        } else {
            hi
        };
        self.mov_fpr(d, lo);
        x64!(self.ops; movlhps Rx(d), Rx(hi));
    }

    fn vec_permute(&mut self, d: u8, table: u8, idx: u8) {
        self.wide_permute(d, table, idx);
    }

    fn vec_any_lane(&mut self, ty: Ty, d: u8, s: u8) {
        if ty.is_wide() {
            return self.wide_any_lane(d, s);
        }
        // Masks: each lane all ones or all zeros, so the sign bits tell.
        x64!(self.ops
            ; movmskps eax, Rx(s)
            ; test eax, eax
            ; setne al
            ; movzx Rd(d), al
        );
    }

    fn vec_extract_lane(&mut self, ty: Ty, d: u8, s: u8, lane: u8) {
        if ty.is_wide() {
            return self.wide_extract_lane(ty, d, s, lane);
        }
        self.mov_fpr(d, s);
        match (ty, lane) {
            (_, 0) => {}
            (Ty::F32x4, _) => {
                let all = (lane * 0x55) as i8;
                x64!(self.ops; shufps Rx(d), Rx(d), all);
            }
            _ => x64!(self.ops; unpckhpd Rx(d), Rx(d)),
        }
    }

    fn vec_wide_dead(&mut self) {
        x64!(self.ops; vzeroupper);
    }

    fn vec_wide_live(&mut self, live: bool) {
        self.wide_live = live;
    }

    fn vec_insert_lane(&mut self, ty: Ty, d: u8, s: u8, v: u8, lane: u8) {
        if ty.is_wide() {
            return self.wide_insert_lane(ty, d, s, v, lane);
        }
        if ty == Ty::F32x4 {
            // SSE2 has no `insertps`: swap lanes 0 and `lane` (`pshufd`
            // with a self-inverse permutation), put `v` in lane 0, swap
            // back; `d` is written last, so it may be `s` or `v`.
            let k = u32::from(lane);
            let swap = (0..4u32)
                .map(|i| match i {
                    0 => k,
                    i if i == k => 0,
                    i => i,
                } << (2 * i))
                .sum::<u32>() as i8;
            x64!(self.ops
                ; pshufd xmm15, Rx(s), swap
                ; movss xmm15, Rx(v)
                ; pshufd Rx(d), xmm15, swap
            );
            return;
        }
        let v = if d == v && d != s {
            self.mov_fpr(XMM15, v);
            XMM15
        } else {
            v
        };
        self.mov_fpr(d, s);
        if lane == 0 {
            x64!(self.ops; movsd Rx(d), Rx(v));
        } else {
            x64!(self.ops; movlhps Rx(d), Rx(v));
        }
    }

    // ---- vector fma ----
    fn vec_fma(&mut self, ty: Ty, d: u8, a: u8, b: u8, c: u8) {
        assert!(self.features.fma, "vector fma.{ty} without FMA3");
        self.vex_fma_lanes(ty, d, a, b, c);
    }

    // The wide float types with AVX2: VEX forms take any unaligned memory
    // operand (the legacy SSE forms of the 128-bit types would fault on
    // a slot not aligned to 16).
    fn vec_slot_operands(&self, ty: Ty) -> bool {
        self.features.avx2 && ty.is_wide()
    }

    fn vec_binary_slot(&mut self, op: BinOp, ty: Ty, d: u8, a: u8, off: u32) {
        self.wide_binary_slot(op, ty, d, a, off);
    }

    fn vec_permute_slot(&mut self, d: u8, off: u32, idx: u8) {
        self.wide_permute_slot(d, off, idx);
    }

    fn vec_fma_slot(&mut self, ty: Ty, d: u8, a: u8, b: u8, off: u32) {
        assert!(self.features.fma, "vector fma.{ty} without FMA3");
        self.wide_fma_slot(ty, d, a, b, off);
    }

    fn vec_fma_factor_slot(&mut self, ty: Ty, d: u8, a: u8, c: u8, off: u32) {
        assert!(self.features.fma, "vector fma.{ty} without FMA3");
        self.wide_fma_factor_slot(ty, d, a, c, off);
    }
}
