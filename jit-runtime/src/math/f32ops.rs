//! Steps shared by the functions computed in `f32` (`sincosf.rs`,
//! `expf.rs`): polynomials by fused steps, rounding to an integer, the
//! exact sum of two values, clamping and conditional negation. Each is
//! exact in the sense the callers rely on: `round32` returns an integral
//! `f32` exactly, `horner32` rounds once per step, `fast_two_sum32`'s
//! error term is exact.

use super::MathOps;

/// `1.5 * 2^23`: `(v + MAGIC) - MAGIC` is `v` rounded to an integer.
const MAGIC: f32 = 12_582_912.0;

/// `c[0] + z c[1] + z^2 c[2] + ...` in `f32`, by fused steps.
pub(super) fn horner32<O: MathOps>(o: &mut O, z: O::F32, c: &[f32]) -> O::F32 {
    let mut acc = o.f32_const(c[c.len() - 1]);
    for &ci in c.iter().rev().skip(1) {
        let k = o.f32_const(ci);
        acc = o.f32_fma(acc, z, k);
    }
    acc
}

/// `v` rounded to an integer, ties to even, for `|v| <= 2^22`.
pub(super) fn round32<O: MathOps>(o: &mut O, v: O::F32) -> O::F32 {
    let magic = o.f32_const(MAGIC);
    let biased = o.f32_add(v, magic);
    o.f32_sub(biased, magic)
}

/// `(s, e)` with `s = a + b` rounded and `s + e = a + b` exactly, for
/// `|a| >= |b|` (or `a` zero): Dekker's Fast2Sum, three operations.
pub(super) fn fast_two_sum32<O: MathOps>(o: &mut O, a: O::F32, b: O::F32) -> (O::F32, O::F32) {
    let s = o.f32_add(a, b);
    let taken = o.f32_sub(a, s);
    let e = o.f32_add(taken, b);
    (s, e)
}

/// `min(a, hi)`; NaN stays NaN.
pub(super) fn at_most32<O: MathOps>(o: &mut O, a: O::F32, hi: f32) -> O::F32 {
    let hi = o.f32_const(hi);
    let over = o.f32_lt(hi, a);
    o.f32_select(over, hi, a)
}

/// `-v` where `m`, else `v`.
pub(super) fn negate_if32<O: MathOps>(o: &mut O, m: O::M, v: O::F32) -> O::F32 {
    let flipped = o.f32_neg(v);
    o.f32_select(m, flipped, v)
}
