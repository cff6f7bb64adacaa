//! `f32` `exp`, `exp2`, `exp_m1`, `tanh` and `sigmoid` through one short
//! `exp` kernel in `f64`.
//!
//! An `f32` result rounded once from an `f64` value with a relative error
//! below 2^-34 is within 0.5 + 2^-10 `f32` ulp of the exact value: the
//! full `f64` algorithms (< 1 `f64` ulp, with double-double steps and up to
//! three divisions) are far more than an `f32` result needs. These
//! functions share one kernel instead:
//!
//! * [`exp_short`]: `e^y = s (1 + p)` with `y = k ln2 + r`, `|r| <= ln2 / 2`
//!   (`ln2` in two parts, `k * LN2_HI` exact), `s = 2^k` exact, and
//!   `p = r + r^2 Q(r)` with `Q` a degree-6 polynomial fitted for the
//!   relative error of `p` (below 2^-37.4 over the range, so `p` is
//!   accurate relative to itself, which `exp_m1` and `tanh` near 0 need).
//!   `fit_f32_kernels.py` beside this file made and checks the coefficients.
//! * `exp`: `s p + s` (the product is exact), the argument clamped to
//!   `[-160, 100]` first, where `f32` results are 0 and inf anyway, so
//!   `2^k` stays a normal `f64`.
//! * `exp_m1`: `(s - 1) + s p`: `s - 1` is exact, and for `k != 0` the two
//!   terms cancel by at most a factor of 2.4; for `k = 0` the result is `p`
//!   (and a zero argument is returned itself, keeping `exp_m1(-0) = -0`).
//! * `exp2`: `x = k + t` with `k` the nearest integer and `t` exact, then
//!   the kernel's polynomial on `r = t ln2`: exact at integers (`t = 0`).
//! * `tanh`: `m / (m + 2)` with `m = exp_m1(2 |x|)`, which has no
//!   cancellation (the relative error of `m` passes through damped), the
//!   sign copied from `x`; `|x|` is clamped to 10, where `f32` `tanh` is 1.
//! * `sigmoid`: `1 / (1 + t)` for `x >= 0` and `t / (1 + t)` for `x < 0`
//!   with `t = e^-|x|`, `|x|` clamped to 120 (where the result is 1 or
//!   rounds to 0).
//!
//! One division at most, against three in the `f64` algorithms: `tanh` 43
//! primitives instead of 113, `sigmoid` 39 instead of 98, `exp2` 32
//! instead of 59. NaN in gives the
//! input NaN out (quieted by the final rounding), as everywhere in `math`.

use super::MathOps;
use super::dd::horner;
use super::explog::{clamp, exp_reduce, pow2};
use super::inverse::copy_sign;

/// `(e^r - 1 - r) / r^2` on `|r| <= ln2 / 2` (relative error of
/// `r + r^2 Q(r)` below 2^-37.4), lowest degree first: `fit_f32_kernels.py`.
const Q: [f64; 7] = [
    0.500000000010541,
    0.1666666675417945,
    0.041666665952387674,
    0.0083332890391973,
    0.0013888985332794952,
    0.00019904919694935689,
    2.4796366936629442e-05,
];

/// `e^y` as `(s, p)`, `e^y = s (1 + p)`, `s = 2^k` exact, `p` within a
/// relative 2^-37 of `e^r - 1`. `y` must lie in `[-700, 700]` (or be NaN,
/// giving unspecified values).
fn exp_short<O: MathOps>(o: &mut O, y: O::F) -> (O::F, O::F) {
    let (k, hi, lo) = exp_reduce(o, y);
    let r = o.fsub(hi, lo);
    let p = exp_m1_poly(o, r);
    let ki = o.f_to_i(k);
    let s = pow2(o, ki);
    (s, p)
}

/// `e^r - 1` as `r + r^2 Q(r)`, for `|r| <= ln2 / 2`.
fn exp_m1_poly<O: MathOps>(o: &mut O, r: O::F) -> O::F {
    let q = horner(o, r, &Q);
    let rr = o.fmul(r, r);
    let rrq = o.fmul(rr, q);
    o.fadd(r, rrq)
}

/// `s (1 + p)`, one rounding.
fn scaled<O: MathOps>(o: &mut O, (s, p): (O::F, O::F)) -> O::F {
    let sp = o.fmul(s, p);
    o.fadd(sp, s)
}

/// `s (1 + p) - 1`, one rounding after the exact `s - 1`.
fn scaled_minus_one<O: MathOps>(o: &mut O, (s, p): (O::F, O::F)) -> O::F {
    let one = o.fconst(1.0);
    let s1 = o.fsub(s, one);
    let sp = o.fmul(s, p);
    o.fadd(s1, sp)
}

/// `min(a, hi)`; NaN stays NaN.
fn at_most<O: MathOps>(o: &mut O, a: O::F, hi: f64) -> O::F {
    let hi = o.fconst(hi);
    let over = o.flt(hi, a);
    o.fselect(over, hi, a)
}

/// `x` unless it is NaN, then `res`, rounded to `f32`.
fn finish<O: MathOps>(o: &mut O, x: O::F, res: O::F) -> O::F32 {
    let nan = o.funord(x, x);
    let res = o.fselect(nan, x, res);
    o.f64_to_f32(res)
}

/// `e^x` for `f32`. See the module table for measurements.
pub fn exp_f32<O: MathOps>(o: &mut O, x: O::F32) -> O::F32 {
    let x = o.f32_to_f64(x);
    let xc = clamp(o, x, -160.0, 100.0);
    let parts = exp_short(o, xc);
    let res = scaled(o, parts);
    finish(o, x, res)
}

/// `e^x - 1` for `f32`. See the module table for measurements.
pub fn exp_m1_f32<O: MathOps>(o: &mut O, x: O::F32) -> O::F32 {
    let x = o.f32_to_f64(x);
    let xc = clamp(o, x, -160.0, 100.0);
    let parts = exp_short(o, xc);
    let res = scaled_minus_one(o, parts);
    // `p` of `-0` is `+0`: keep the sign of a zero.
    let zero = o.fconst(0.0);
    let is_zero = o.feq(x, zero);
    let res = o.fselect(is_zero, x, res);
    finish(o, x, res)
}

/// `tanh(x)` for `f32`. See the module table for measurements.
pub fn tanh_f32<O: MathOps>(o: &mut O, x: O::F32) -> O::F32 {
    let x = o.f32_to_f64(x);
    let ax = o.fabs(x);
    let ac = at_most(o, ax, 10.0);
    let y = o.fadd(ac, ac);
    let parts = exp_short(o, y);
    let m = scaled_minus_one(o, parts);
    let two = o.fconst(2.0);
    let den = o.fadd(m, two);
    let t = o.fdiv(m, den);
    let res = copy_sign(o, t, x);
    finish(o, x, res)
}

/// `1 / (1 + e^-x)` for `f32`. See the module table for measurements.
pub fn sigmoid_f32<O: MathOps>(o: &mut O, x: O::F32) -> O::F32 {
    let x = o.f32_to_f64(x);
    let ax = o.fabs(x);
    let ac = at_most(o, ax, 120.0);
    let nac = o.fneg(ac);
    let parts = exp_short(o, nac);
    let t = scaled(o, parts);
    let one = o.fconst(1.0);
    let den = o.fadd(one, t);
    let zero = o.fconst(0.0);
    let negative = o.flt(x, zero);
    let num = o.fselect(negative, t, one);
    let res = o.fdiv(num, den);
    finish(o, x, res)
}

/// `2^x` for `f32`, exact at integers. See the module table.
pub fn exp2_f32<O: MathOps>(o: &mut O, x: O::F32) -> O::F32 {
    let x = o.f32_to_f64(x);
    let xc = clamp(o, x, -200.0, 200.0);
    let k = o.round_ties_even(xc);
    let t = o.fsub(xc, k); // exact
    let ln2 = o.fconst(std::f64::consts::LN_2);
    let r = o.fmul(t, ln2);
    let p = exp_m1_poly(o, r);
    let ki = o.f_to_i(k);
    let s = pow2(o, ki);
    let res = scaled(o, (s, p));
    finish(o, x, res)
}
