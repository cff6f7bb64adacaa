//! Steps shared by the functions computed in `f32` (`sincosf.rs`,
//! `expf.rs`): polynomials by fused steps and rounding to an integer.
//! Both are exact in the sense the callers rely on: `round32` returns an
//! integral `f32` exactly, `horner32` rounds once per step.

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
