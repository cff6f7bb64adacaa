//! The integer bit operations of the graph that have no single MIR
//! instruction, as branch-free MIR sequences every backend already runs:
//! XLA's shifts (an amount of at least the width shifts every bit out,
//! where MIR's shifts take it modulo the width), population count (the
//! SWAR sum of bit fields) and leading zeros (the bits below the highest
//! one smeared down, then the zeros counted).
//!
//! Invariant: each sequence gives the interpreter's result
//! (`interp::shift`, `count_ones`, `leading_zeros`) for every operand,
//! on `I32`, `U32` and `I64`.

use crate::mir::{BinOp, Builder, CmpOp, Ty, Value};

/// The width of an integer type, in bits.
fn width(ty: Ty) -> u32 {
    ty.bits()
}

/// Whether the shift amount `n`, read as unsigned, is below the width of
/// its type: no bit above the low `log2(width)` ones is set.
fn in_range(b: &mut Builder, n: Value) -> Value {
    let ty = b.ty(n);
    let high = b.iconst(ty, !(i64::from(width(ty)) - 1));
    let above = b.binary(BinOp::And, n, high);
    let zero = b.iconst(ty, 0);
    b.cmp(CmpOp::Eq, above, zero)
}

/// `lax.shift_left`: `x << n`, 0 once `n` reaches the width.
pub(super) fn shift_left(b: &mut Builder, x: Value, n: Value) -> Value {
    let ok = in_range(b, n);
    let shifted = b.binary(BinOp::Shl, x, n);
    let zero = b.iconst(b.ty(x), 0);
    b.select(ok, shifted, zero)
}

/// `lax.shift_right_logical`: zeros shifted in, 0 once `n` reaches the width.
pub(super) fn shift_right_logical(b: &mut Builder, x: Value, n: Value) -> Value {
    let ok = in_range(b, n);
    let shifted = b.binary(BinOp::ShrU, x, n);
    let zero = b.iconst(b.ty(x), 0);
    b.select(ok, shifted, zero)
}

/// `lax.shift_right_arithmetic`: the sign bit shifted in, the amount
/// limited to `width - 1` (the sign fill). `U32` shifts its bits as `I32`.
pub(super) fn shift_right_arithmetic(b: &mut Builder, x: Value, n: Value) -> Value {
    let ty = b.ty(x);
    let ok = in_range(b, n);
    let last = b.iconst(ty, i64::from(width(ty)) - 1);
    let n = b.select(ok, n, last);
    if ty == Ty::U32 {
        // `as` between `u32` and `i32` keeps the bits.
        let (x, n) = (b.convert(x, Ty::I32), b.convert(n, Ty::I32));
        let shifted = b.binary(BinOp::ShrS, x, n);
        return b.convert(shifted, Ty::U32);
    }
    b.binary(BinOp::ShrS, x, n)
}

/// `lax.population_count`: the one bits, summed in fields of 2, 4 and 8
/// bits, then the bytes summed by a multiply into the top byte.
pub(super) fn population_count(b: &mut Builder, x: Value) -> Value {
    let ty = b.ty(x);
    let w = width(ty);
    // A byte pattern repeated over the width.
    let mask = |b: &mut Builder, byte: u64| {
        let bits = byte * (u64::MAX / 0xff);
        let bits = if w == 32 { bits as u32 as u64 } else { bits };
        b.const_bits(ty, bits)
    };
    let shr = |b: &mut Builder, v: Value, k: i64| {
        let k = b.iconst(ty, k);
        b.binary(BinOp::ShrU, v, k)
    };
    // Pairs: each 2-bit field holds its count (x - (x >> 1 & 0b01..)).
    let m1 = mask(b, 0x55);
    let half = shr(b, x, 1);
    let half = b.binary(BinOp::And, half, m1);
    let pairs = b.binary(BinOp::Sub, x, half);
    // Nibbles.
    let m2 = mask(b, 0x33);
    let low = b.binary(BinOp::And, pairs, m2);
    let high = shr(b, pairs, 2);
    let high = b.binary(BinOp::And, high, m2);
    let nibbles = b.binary(BinOp::Add, low, high);
    // Bytes.
    let m4 = mask(b, 0x0f);
    let shifted = shr(b, nibbles, 4);
    let sum = b.binary(BinOp::Add, nibbles, shifted);
    let bytes = b.binary(BinOp::And, sum, m4);
    // Every byte's count added into the top byte.
    let ones = mask(b, 0x01);
    let total = b.binary(BinOp::Mul, bytes, ones);
    shr(b, total, i64::from(w) - 8)
}

/// `lax.clz`: the highest one bit smeared into every bit below it, so
/// that the zeros left are exactly the leading zeros, counted by
/// [`population_count`] of the complement.
pub(super) fn clz(b: &mut Builder, x: Value) -> Value {
    let ty = b.ty(x);
    let mut v = x;
    let mut k = 1;
    while k < width(ty) {
        let amount = b.iconst(ty, i64::from(k));
        let shifted = b.binary(BinOp::ShrU, v, amount);
        v = b.binary(BinOp::Or, v, shifted);
        k *= 2;
    }
    let zeros = b.unary(crate::mir::UnOp::Not, v);
    population_count(b, zeros)
}
