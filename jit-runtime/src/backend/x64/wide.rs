//! 256-bit vectors on x86-64 (`F32x8`, `F64x4`, `I64x4`) with AVX2: the
//! wide half of the [`Vector`](crate::backend::masm::Vector) part, which
//! `vector.rs` hands every operation on a wide type to. Only compiled
//! code of a CPU with AVX2 at the native level holds wide values
//! (`backend::vector_bits`).
//!
//! Terms: VEX encodings are non-destructive (`vaddps ymm d, ymm a, ymm b`),
//! so no operation copies its operands first; `ps` serves `F32x8`, `pd`
//! `F64x4`, the integer forms (`vpaddq`, ...) `I64x4`.
//!
//! Invariant: every lane gets exactly the bits the scalar operation of
//! `float.rs` gives it, as in `vector.rs`: `min`/`max` propagate NaN and
//! order `-0` below `+0`, comparisons are ordered except `Ne`. A sequence
//! uses only the scratch registers `ymm13`-`ymm15`, and reads its operands
//! before it writes its destination, so `d` may be any operand.
//!
//! Also here: the fused multiply-add of every float vector width
//! (`vex_fma_lanes`, FMA3's VEX forms, which `vector.rs` uses for the
//! 128-bit types too).

use dynasmrt::DynasmApi;

use super::X64Backend;
use super::regs::{XMM13, XMM14, XMM15};
use crate::backend::masm::Vector;
use crate::mir::{BinOp, CmpOp, Ty, UnOp};

/// `ins d, a, b` on ymm registers when `$wide`, else on xmm (VEX.128).
macro_rules! vex3 {
    ($s:ident, $wide:expr, $ins:ident, $d:expr, $a:expr, $b:expr) => {
        if $wide {
            x64!($s.ops; $ins Ry($d), Ry($a), Ry($b))
        } else {
            x64!($s.ops; $ins Rx($d), Rx($a), Rx($b))
        }
    };
}

/// `ps` or `pd` form (by `$pd`) of a three-operand VEX instruction.
macro_rules! vfloat {
    ($s:ident, $pd:expr, $wide:expr, $ps_ins:ident, $pd_ins:ident, $d:expr, $a:expr, $b:expr) => {
        if $pd {
            vex3!($s, $wide, $pd_ins, $d, $a, $b)
        } else {
            vex3!($s, $wide, $ps_ins, $d, $a, $b)
        }
    };
}

impl X64Backend {
    /// `d = a op b` lanewise with one VEX instruction on lanes of type
    /// `lane`: float arithmetic, bitwise operations, and `I64` lanes' `Add`
    /// and `Sub`; on ymm registers when `wide`, else xmm. `Min` and `Max`
    /// are the raw `vminp`/`vmaxp` (the second operand on equal or NaN
    /// lanes).
    fn vex_packed(&mut self, op: BinOp, lane: Ty, wide: bool, d: u8, a: u8, b: u8) {
        let (pd, int) = (lane == Ty::F64, lane == Ty::I64);
        match op {
            BinOp::Add if int => vex3!(self, wide, vpaddq, d, a, b),
            BinOp::Sub if int => vex3!(self, wide, vpsubq, d, a, b),
            BinOp::Add => vfloat!(self, pd, wide, vaddps, vaddpd, d, a, b),
            BinOp::Sub => vfloat!(self, pd, wide, vsubps, vsubpd, d, a, b),
            BinOp::Mul => vfloat!(self, pd, wide, vmulps, vmulpd, d, a, b),
            BinOp::Div => vfloat!(self, pd, wide, vdivps, vdivpd, d, a, b),
            BinOp::Min => vfloat!(self, pd, wide, vminps, vminpd, d, a, b),
            BinOp::Max => vfloat!(self, pd, wide, vmaxps, vmaxpd, d, a, b),
            BinOp::And => vex3!(self, wide, vandps, d, a, b),
            BinOp::Or => vex3!(self, wide, vorps, d, a, b),
            BinOp::Xor => vex3!(self, wide, vxorps, d, a, b),
            _ => unreachable!("{op:?} has no packed form"),
        }
    }

    /// `d = a <pred> b` per float lane as a mask (`vcmpps`'s predicate).
    ///
    /// dynasm (5.1) encodes `vcmpps`/`vcmppd` (and `vblendps`/`vblendpd`)
    /// with their two source registers swapped, so they are written here
    /// in the order that assembles to `vcmpps d, a, b`; the disassembly
    /// test `wide_kernels_use_vex_and_clear_the_upper_halves` pins it.
    fn vex_cmp(&mut self, pd: bool, wide: bool, d: u8, a: u8, b: u8, pred: i8) {
        match (pd, wide) {
            (true, true) => x64!(self.ops; vcmppd Ry(d), Ry(b), Ry(a), pred),
            (false, true) => x64!(self.ops; vcmpps Ry(d), Ry(b), Ry(a), pred),
            (true, false) => x64!(self.ops; vcmppd Rx(d), Rx(b), Rx(a), pred),
            (false, false) => x64!(self.ops; vcmpps Rx(d), Rx(b), Rx(a), pred),
        }
    }

    /// The MIR's `min`/`max` lanewise: `vminp` in both operand orders
    /// gives each operand once where the lanes are equal or one is NaN, so
    /// or-ing the two orders (`min`) orders `-0` below `+0` and keeps a NaN
    /// a NaN; and-ing them (`max`) orders `+0` above `-0`, and the
    /// unordered lanes are then set to all ones, a NaN. Uses `ymm14` and
    /// `ymm15` only, so `a` or `b` may be `ymm13`.
    fn vex_min_max(&mut self, op: BinOp, pd: bool, wide: bool, d: u8, a: u8, b: u8) {
        let lane = if pd { Ty::F64 } else { Ty::F32 };
        self.vex_packed(op, lane, wide, XMM15, a, b);
        self.vex_packed(op, lane, wide, XMM14, b, a);
        if op == BinOp::Min {
            self.vex_packed(BinOp::Or, lane, wide, d, XMM15, XMM14);
        } else {
            self.vex_packed(BinOp::And, lane, wide, XMM15, XMM15, XMM14);
            self.vex_cmp(pd, wide, XMM14, a, b, 3);
            self.vex_packed(BinOp::Or, lane, wide, d, XMM15, XMM14);
        }
    }

    /// `d = a op b` on `I64x4` lanes as a mask (AVX2's `vpcmpeqq` and
    /// `vpcmpgtq`; the other compares are their complements).
    fn wide_i64_cmp(&mut self, op: CmpOp, d: u8, a: u8, b: u8) {
        match op {
            CmpOp::Eq => x64!(self.ops; vpcmpeqq Ry(d), Ry(a), Ry(b)),
            CmpOp::Gt => x64!(self.ops; vpcmpgtq Ry(d), Ry(a), Ry(b)),
            CmpOp::Lt => x64!(self.ops; vpcmpgtq Ry(d), Ry(b), Ry(a)),
            CmpOp::Ne | CmpOp::Le | CmpOp::Ge => {
                let complement = match op {
                    CmpOp::Ne => CmpOp::Eq,
                    CmpOp::Le => CmpOp::Gt,
                    _ => CmpOp::Lt,
                };
                self.wide_i64_cmp(complement, XMM15, a, b);
                x64!(self.ops
                    ; vpcmpeqq ymm14, ymm14, ymm14
                    ; vpxor Ry(d), ymm15, ymm14
                );
            }
        }
    }

    /// `d` = the scalar in lane 0 of `s` in every lane of the wide `ty`.
    fn wide_broadcast(&mut self, ty: Ty, d: u8, s: u8) {
        if ty.lane() == Ty::F32 {
            x64!(self.ops; vbroadcastss Ry(d), Rx(s));
        } else {
            x64!(self.ops; vbroadcastsd Ry(d), Rx(s));
        }
    }
}

/// The [`Vector`] operations on wide types; `vector.rs` calls these for
/// every `ty` with `ty.is_wide()`, with the same contracts.
impl X64Backend {
    pub(super) fn wide_splat(&mut self, ty: Ty, d: u8, s: u8) {
        self.wide_broadcast(ty, d, s);
    }

    pub(super) fn wide_unary(&mut self, op: UnOp, ty: Ty, d: u8, s: u8) {
        let pd = ty.lane() == Ty::F64;
        match op {
            UnOp::Sqrt if pd => x64!(self.ops; vsqrtpd Ry(d), Ry(s)),
            UnOp::Sqrt => x64!(self.ops; vsqrtps Ry(d), Ry(s)),
            UnOp::Neg | UnOp::Abs => {
                // The sign bits, all ones shifted left: no constant, and
                // no SSE instruction inside VEX code.
                x64!(self.ops; vpcmpeqd ymm15, ymm15, ymm15);
                if pd {
                    x64!(self.ops; vpsllq ymm15, ymm15, 63);
                } else {
                    x64!(self.ops; vpslld ymm15, ymm15, 31);
                }
                if op == UnOp::Neg {
                    x64!(self.ops; vxorps Ry(d), ymm15, Ry(s));
                } else {
                    x64!(self.ops; vandnps Ry(d), ymm15, Ry(s));
                }
            }
            _ => unreachable!("{op:?} is not a vector operation"),
        }
    }

    pub(super) fn wide_binary(&mut self, op: BinOp, ty: Ty, d: u8, a: u8, b: u8) {
        let pd = ty.lane() == Ty::F64;
        match op {
            BinOp::Min | BinOp::Max => self.vex_min_max(op, pd, true, d, a, b),
            _ => self.vex_packed(op, ty.lane(), true, d, a, b),
        }
    }

    pub(super) fn wide_cmp(&mut self, op: CmpOp, ty: Ty, d: u8, a: u8, b: u8) {
        if ty == Ty::I64x4 {
            return self.wide_i64_cmp(op, d, a, b);
        }
        let pd = ty == Ty::F64x4;
        // Predicates: 0 eq, 1 lt, 2 le (ordered), 4 neq (unordered).
        match op {
            CmpOp::Eq => self.vex_cmp(pd, true, d, a, b, 0),
            CmpOp::Lt => self.vex_cmp(pd, true, d, a, b, 1),
            CmpOp::Le => self.vex_cmp(pd, true, d, a, b, 2),
            CmpOp::Ne => self.vex_cmp(pd, true, d, a, b, 4),
            CmpOp::Gt => self.vex_cmp(pd, true, d, b, a, 1),
            CmpOp::Ge => self.vex_cmp(pd, true, d, b, a, 2),
        }
    }

    /// One `vblendvps d, f, t, c`: each 32-bit lane of `t` where the sign
    /// bit of that lane of the mask `c` is set, else of `f`. A MIR mask's
    /// lanes (32 or 64 bits) are all ones or all zeros, so every 32-bit
    /// piece of it is too and this is the bitwise select, whatever the
    /// mask's type (`vblendvpd` would read only the upper sign of a 64-bit
    /// lane). dynasm (5.1) encodes `vblendvps` in operand order (unlike
    /// `vblendps`): the select lane tests of `backend/tests/vector.rs` fail
    /// with the sources swapped, and `wide_select_is_one_blend` checks
    /// that the select is this one instruction.
    pub(super) fn wide_select(&mut self, d: u8, c: u8, t: u8, f: u8) {
        x64!(self.ops; vblendvps Ry(d), Ry(f), Ry(t), Ry(c));
    }

    /// The upper half combined into the lower one lanewise (`lane[k] op
    /// lane[k + half]`, the first halving step), then the 128-bit
    /// reduction of `vector.rs` on the result.
    pub(super) fn wide_reduce(&mut self, op: BinOp, ty: Ty, d: u8, s: u8) {
        let pd = ty.lane() == Ty::F64;
        x64!(self.ops; vextractf128 xmm13, Ry(s), 1);
        match op {
            BinOp::Min | BinOp::Max => self.vex_min_max(op, pd, false, d, s, XMM13),
            _ => self.vex_packed(op, ty.lane(), false, d, s, XMM13),
        }
        let narrow = if pd { Ty::F64x2 } else { Ty::F32x4 };
        self.vec_reduce(op, narrow, d, d);
    }

    pub(super) fn wide_load(&mut self, d: u8, base: u8, offset: u32) {
        let offset = offset as i32;
        x64!(self.ops; vmovups Ry(d), YWORD [Rq(base) + offset]);
    }

    pub(super) fn wide_store(&mut self, base: u8, offset: u32, s: u8) {
        let offset = offset as i32;
        x64!(self.ops; vmovups YWORD [Rq(base) + offset], Ry(s));
    }

    pub(super) fn wide_shift_imm(&mut self, op: BinOp, d: u8, s: u8, amount: u32) {
        let n = amount as i8;
        if amount == 0 {
            if d != s {
                x64!(self.ops; vmovaps Ry(d), Ry(s));
            }
            return;
        }
        match op {
            BinOp::Shl => x64!(self.ops; vpsllq Ry(d), Ry(s), n),
            BinOp::ShrU => self.vex_shift_right_imm(d, s, amount as u8),
            BinOp::ShrS => {
                // The logical shift, or-ed with the sign's copies (`0 > s`,
                // AVX2 has no `vpsraq`) shifted into the vacated bits.
                let fill = (64 - amount) as i8;
                x64!(self.ops
                    ; vpxor ymm15, ymm15, ymm15
                    ; vpcmpgtq ymm15, ymm15, Ry(s)
                    ; vpsllq ymm15, ymm15, fill
                );
                self.vex_shift_right_imm(d, s, amount as u8);
                x64!(self.ops; vpor Ry(d), Ry(d), ymm15);
            }
            _ => unreachable!("{op:?} is not a shift"),
        }
    }

    pub(super) fn wide_widen(&mut self, half: u8, d: u8, s: u8) {
        if half == 0 {
            x64!(self.ops; vcvtps2pd Ry(d), Rx(s));
        } else {
            x64!(self.ops
                ; vextractf128 xmm15, Ry(s), 1
                ; vcvtps2pd Ry(d), xmm15
            );
        }
    }

    /// `vcvtpd2ps` writes the low half and clears the upper one.
    pub(super) fn wide_narrow(&mut self, d: u8, s: u8) {
        x64!(self.ops; vcvtpd2ps Rx(d), Ry(s));
    }

    pub(super) fn wide_concat_low(&mut self, d: u8, lo: u8, hi: u8) {
        x64!(self.ops; vinsertf128 Ry(d), Ry(lo), Rx(hi), 1);
    }

    /// `vpermps`: lane `k` of `d` = lane `idx[k] & 7` of `table`.
    pub(super) fn wide_permute(&mut self, d: u8, table: u8, idx: u8) {
        x64!(self.ops; vpermps Ry(d), Ry(idx), Ry(table));
    }

    pub(super) fn wide_any_lane(&mut self, d: u8, s: u8) {
        // Masks: each lane all ones or all zeros, so any bit tells.
        x64!(self.ops
            ; vptest Ry(s), Ry(s)
            ; setne al
            ; movzx Rd(d), al
        );
    }

    pub(super) fn wide_extract_lane(&mut self, ty: Ty, d: u8, s: u8, lane: u8) {
        let half = (ty.lanes() / 2) as u8;
        let (src, lane) = if lane >= half {
            x64!(self.ops; vextractf128 xmm15, Ry(s), 1);
            (XMM15, lane - half)
        } else {
            (s, lane)
        };
        match (ty.lane(), lane) {
            (_, 0) => {
                if d != src {
                    x64!(self.ops; vmovaps Rx(d), Rx(src));
                }
            }
            (Ty::F32, _) => {
                let all = (lane * 0x55) as i8;
                x64!(self.ops; vshufps Rx(d), Rx(src), Rx(src), all);
            }
            _ => x64!(self.ops; vunpckhpd Rx(d), Rx(src), Rx(src)),
        }
    }

    /// Lane 0 of `v` broadcast, then blended into lane `lane` of `s`.
    pub(super) fn wide_insert_lane(&mut self, ty: Ty, d: u8, s: u8, v: u8, lane: u8) {
        self.wide_broadcast(ty, XMM15, v);
        let mask = 1i8 << lane;
        // Sources swapped for dynasm: this is `vblendps d, s, ymm15`.
        if ty.lane() == Ty::F32 {
            x64!(self.ops; vblendps Ry(d), ymm15, Ry(s), mask);
        } else {
            x64!(self.ops; vblendpd Ry(d), ymm15, Ry(s), mask);
        }
    }

    // ---- vector fma ----

    /// `d = a * b + c` per lane of the float vector `ty` (VEX.256 for a
    /// wide `ty`, VEX.128 for `F32x4`/`F64x2`, which also clears the upper
    /// half of `d`'s ymm register as any VEX.128 write does), choosing the
    /// form as the scalar `float_fma` does: 231 (`d = a * b + d`) when `d`
    /// is `c`, 213 (`d = other * d + c`, the product commutes) when `d` is
    /// `a` or `b`, else `c` copied to `d` first.
    pub(super) fn vex_fma_lanes(&mut self, ty: Ty, d: u8, a: u8, b: u8, c: u8) {
        let (pd, wide) = (ty.lane() == Ty::F64, ty.is_wide());
        if d == c {
            self.vex_fma(VFMADD231, pd, wide, d, a, b);
        } else if d == a {
            self.vex_fma(VFMADD213, pd, wide, d, b, c);
        } else if d == b {
            self.vex_fma(VFMADD213, pd, wide, d, a, c);
        } else {
            if wide {
                x64!(self.ops; vmovaps Ry(d), Ry(c));
            } else {
                x64!(self.ops; vmovaps Rx(d), Rx(c));
            }
            self.vex_fma(VFMADD231, pd, wide, d, a, b);
        }
    }

    /// `vfmadd<form>ps`/`pd` `d, x, y` (register operands), encoded here:
    /// dynasm (5.1) gives the packed `pd` forms no VEX.W bit, so they would
    /// assemble as `ps`. Three-byte VEX: `C4`, `~R ~X ~B` and the `0F38`
    /// map, `W ~vvvv L pp` (`vvvv` = `x`, `pp` = `66`), the opcode, and a
    /// register-direct ModRM (`reg` = `d`, `rm` = `y`).
    fn vex_fma(&mut self, opcode: u8, pd: bool, wide: bool, d: u8, x: u8, y: u8) {
        let rxb_map = (u8::from(d < 8) << 7) | (1 << 6) | (u8::from(y < 8) << 5) | 0b00010;
        let w_vvvv_l_pp = (u8::from(pd) << 7) | ((!x & 15) << 3) | (u8::from(wide) << 2) | 0b01;
        let modrm = 0xc0 | ((d & 7) << 3) | (y & 7);
        for byte in [0xc4, rxb_map, w_vvvv_l_pp, opcode, modrm] {
            self.ops.push(byte);
        }
    }
}

// ---- operands read from a spill slot ----
impl X64Backend {
    /// `d = a op b` on a wide type, `b` the 32 bytes at `rsp + off` (a
    /// spill slot): the VEX memory form of `vex_packed`'s instruction.
    pub(super) fn wide_binary_slot(&mut self, op: BinOp, ty: Ty, d: u8, a: u8, off: u32) {
        let off = off as i32;
        let pd = ty.lane() == Ty::F64;
        macro_rules! slot {
            ($ps:ident, $pd:ident) => {
                if pd {
                    x64!(self.ops; $pd Ry(d), Ry(a), YWORD [rsp + off])
                } else {
                    x64!(self.ops; $ps Ry(d), Ry(a), YWORD [rsp + off])
                }
            };
        }
        match op {
            BinOp::Add if ty == Ty::I64x4 => x64!(self.ops; vpaddq Ry(d), Ry(a), YWORD [rsp + off]),
            BinOp::Sub if ty == Ty::I64x4 => x64!(self.ops; vpsubq Ry(d), Ry(a), YWORD [rsp + off]),
            BinOp::Add => slot!(vaddps, vaddpd),
            BinOp::Sub => slot!(vsubps, vsubpd),
            BinOp::Mul => slot!(vmulps, vmulpd),
            BinOp::Div => slot!(vdivps, vdivpd),
            BinOp::And => x64!(self.ops; vandps Ry(d), Ry(a), YWORD [rsp + off]),
            BinOp::Or => x64!(self.ops; vorps Ry(d), Ry(a), YWORD [rsp + off]),
            BinOp::Xor => x64!(self.ops; vxorps Ry(d), Ry(a), YWORD [rsp + off]),
            _ => unreachable!("{op:?} takes no operand from a spill slot"),
        }
    }

    /// The four bytes of a VEX prefix and opcode `head`, then ModRM
    /// (`reg` = `d`), SIB and disp32 for the operand `[rsp + off]`.
    fn push_rsp_operand(&mut self, head: [u8; 4], d: u8, off: u32) {
        let modrm = 0x80 | ((d & 7) << 3) | 0b100;
        for byte in head
            .into_iter()
            .chain([modrm, 0x24])
            .chain(off.to_le_bytes())
        {
            self.ops.push(byte);
        }
    }

    /// `vpsrlq d, s, imm8` on ymm registers, encoded here: dynasm (5.1)
    /// assembles the immediate form as its xmm one. VEX.256.66.0F `73 /2`:
    /// `vvvv` the destination, ModRM `rm` the source.
    fn vex_shift_right_imm(&mut self, d: u8, s: u8, amount: u8) {
        let rxb_map = (1 << 7) | (1 << 6) | (u8::from(s < 8) << 5) | 0b00001;
        let w_vvvv_l_pp = ((!d & 15) << 3) | (1 << 2) | 0b01;
        let modrm = 0xc0 | (2 << 3) | (s & 7);
        for byte in [0xc4, rxb_map, w_vvvv_l_pp, 0x73, modrm, amount] {
            self.ops.push(byte);
        }
    }

    /// `vpermps d, idx, [rsp + off]` (opcode `16`, `W0`), the table the 32
    /// bytes of a spill slot.
    pub(super) fn wide_permute_slot(&mut self, d: u8, off: u32, idx: u8) {
        self.vex256_0f38_rsp(0x16, false, d, idx, off);
    }

    /// `d = a * b + c` on a wide float type, `c` the 32 bytes at
    /// `rsp + off`: 213 (`d = other * d + c`) with `d` one factor, `a`
    /// copied to `d` first when it is neither.
    pub(super) fn wide_fma_slot(&mut self, ty: Ty, d: u8, a: u8, b: u8, off: u32) {
        let other = if d == a {
            b
        } else if d == b {
            a
        } else {
            x64!(self.ops; vmovaps Ry(d), Ry(a));
            b
        };
        self.vex_fma_rsp(VFMADD213, ty, d, other, off);
    }

    /// `d = a * b + c` on a wide float type, the factor `b` the 32 bytes at
    /// `rsp + off`: 231 (`d = a * b + d`) with `d` the addend, 132
    /// (`d = d * b + c`) with `d` the other factor, `c` copied to `d`
    /// first when it is neither.
    pub(super) fn wide_fma_factor_slot(&mut self, ty: Ty, d: u8, a: u8, c: u8, off: u32) {
        if d == a {
            return self.vex_fma_rsp(VFMADD132, ty, d, c, off);
        }
        if d != c {
            x64!(self.ops; vmovaps Ry(d), Ry(c));
        }
        self.vex_fma_rsp(VFMADD231, ty, d, a, off);
    }

    /// `vfmadd<form>ps`/`pd` `d, x, [rsp + off]` on ymm registers.
    fn vex_fma_rsp(&mut self, opcode: u8, ty: Ty, d: u8, x: u8, off: u32) {
        self.vex256_0f38_rsp(opcode, ty.lane() == Ty::F64, d, x, off);
    }

    /// A VEX.256.66.0F38 instruction `d, v, [rsp + off]` (`W` as `w`): the
    /// three-byte VEX of `vex_fma` with `~X ~B` set (no index; base `rsp`).
    fn vex256_0f38_rsp(&mut self, opcode: u8, w: bool, d: u8, v: u8, off: u32) {
        let rxb_map = (u8::from(d < 8) << 7) | (1 << 6) | (1 << 5) | 0b00010;
        let w_vvvv_l_pp = (u8::from(w) << 7) | ((!v & 15) << 3) | (1 << 2) | 0b01;
        self.push_rsp_operand([0xc4, rxb_map, w_vvvv_l_pp, opcode], d, off);
    }
}

/// Opcodes (map `0F38`) of `vfmadd231ps`/`pd`, `vfmadd213ps`/`pd` and
/// `vfmadd132ps`/`pd`.
const VFMADD231: u8 = 0xb8;
const VFMADD213: u8 = 0xa8;
const VFMADD132: u8 = 0x98;
