//! Integer division and remainder by a literal divisor, without a divide
//! instruction.
//!
//! MIR's `Div`/`Rem` are total and truncating (see [`crate::mir::BinOp`]);
//! with a known divisor `d` they are rewritten into shifts and multiplies
//! that give the same result for every dividend:
//!
//! - `d = ±2^k` (`k >= 1`; signed `I32`/`I64`): `t = x + bias`, where the
//!   bias `(x >> (w-1)) >>> (w-k)` is `2^k - 1` for a negative `x` and 0
//!   otherwise, so `t >> k` rounds toward zero; `x % d = x - (t & -2^k)`,
//!   `x / d = t >> k`, negated for a negative `d`.
//! - `d = 2^k` (`U32`, `k >= 0`): `x >>> k` and `x & (d - 1)`.
//! - Other `d` with `|d| >= 3` on 32-bit types: the quotient of magnitudes
//!   `|x| / |d|` is `(|x| * m) >>> (32 + l)` in 64-bit arithmetic, with
//!   `l = ceil(log2 |d|)` and `m = ceil(2^(32+l) / |d|)` (Granlund and
//!   Montgomery: exact for `|x| < 2^32`); when `m >= 2^32` the product may
//!   need 65 bits, so it is taken as `(((|x| * (m - 2^32)) >>> 32) + |x|) >>> l`.
//!   The sign is put back and `x % d = x - (x / d) * d`.
//!
//! Anything else (`d` in `{-1, 0, 1}`, 64-bit divisors that are no power of
//! two) keeps the MIR instruction.

use super::Lowering;
use crate::mir::{BinOp, Ty, Value};

impl Lowering<'_> {
    /// `x / d` (or `x % d` when `rem`) by the literal `d` in shifts and
    /// multiplies, or `None` when no such rewrite applies.
    pub(super) fn div_by_literal(&mut self, rem: bool, x: Value, d: i64) -> Option<Value> {
        let ty = self.b.ty(x);
        let mag = d.unsigned_abs();
        match ty {
            Ty::I32 | Ty::I64 if mag.is_power_of_two() && mag >= 2 => {
                Some(self.signed_pow2(rem, x, ty, d < 0, mag.trailing_zeros()))
            }
            Ty::U32 if mag.is_power_of_two() => {
                let b = &mut self.b;
                Some(if rem {
                    let mask = b.iconst(Ty::U32, d - 1);
                    b.binary(BinOp::And, x, mask)
                } else {
                    let k = b.iconst(Ty::U32, i64::from(mag.trailing_zeros()));
                    b.binary(BinOp::ShrU, x, k)
                })
            }
            Ty::I32 | Ty::U32 if mag >= 3 => Some(self.magic32(rem, x, ty, d)),
            _ => None,
        }
    }

    fn signed_pow2(&mut self, rem: bool, x: Value, ty: Ty, negative: bool, k: u32) -> Value {
        let b = &mut self.b;
        let w = if ty == Ty::I64 { 64 } else { 32 };
        let sign_shift = b.iconst(ty, w - 1);
        let sign = b.binary(BinOp::ShrS, x, sign_shift);
        let bias_shift = b.iconst(ty, w - i64::from(k));
        let bias = b.binary(BinOp::ShrU, sign, bias_shift);
        let t = b.binary(BinOp::Add, x, bias);
        if rem {
            let mask = b.iconst(ty, (1i64 << k).wrapping_neg());
            let rounded = b.binary(BinOp::And, t, mask);
            b.binary(BinOp::Sub, x, rounded)
        } else {
            let shift = b.iconst(ty, i64::from(k));
            let q = b.binary(BinOp::ShrS, t, shift);
            if negative { b.neg(q) } else { q }
        }
    }

    fn magic32(&mut self, rem: bool, x: Value, ty: Ty, d: i64) -> Value {
        let mag = d.unsigned_abs();
        let l = 64 - (mag - 1).leading_zeros();
        let m = (1u128 << (32 + l)).div_ceil(u128::from(mag)) as i64;
        let b = &mut self.b;
        let x64 = b.convert(x, Ty::I64);
        let signed = ty == Ty::I32;
        let (a, sign) = if signed {
            let s63 = b.iconst(Ty::I64, 63);
            let s = b.binary(BinOp::ShrS, x64, s63);
            let flipped = b.binary(BinOp::Xor, x64, s);
            (b.binary(BinOp::Sub, flipped, s), Some(s))
        } else {
            (x64, None)
        };
        let mut q = if m < 1 << 32 {
            let mv = b.iconst(Ty::I64, m);
            let prod = b.binary(BinOp::Mul, a, mv);
            let shift = b.iconst(Ty::I64, i64::from(32 + l));
            b.binary(BinOp::ShrU, prod, shift)
        } else {
            // `a * m` may need 65 bits: `(((a * (m - 2^32)) >>> 32) + a) >>> l`.
            let mv = b.iconst(Ty::I64, m - (1 << 32));
            let prod = b.binary(BinOp::Mul, a, mv);
            let s32 = b.iconst(Ty::I64, 32);
            let high = b.binary(BinOp::ShrU, prod, s32);
            let sum = b.binary(BinOp::Add, high, a);
            let shift = b.iconst(Ty::I64, i64::from(l));
            b.binary(BinOp::ShrU, sum, shift)
        };
        if let Some(s) = sign {
            // The quotient is negative when exactly one of `x` and `d` is.
            let s = if d < 0 { b.not(s) } else { s };
            let flipped = b.binary(BinOp::Xor, q, s);
            q = b.binary(BinOp::Sub, flipped, s);
        }
        let q = b.convert(q, ty);
        if rem {
            let dv = b.iconst(ty, d);
            let qd = b.binary(BinOp::Mul, q, dv);
            b.binary(BinOp::Sub, x, qd)
        } else {
            q
        }
    }
}
