//! `sinh`, `cosh`, `asinh`, `acosh`, `atanh` and `hypot`, for `f64` and
//! (computed in `f64`) for `f32`.
//!
//! * `sinh`, `cosh`: `e^|x| = 2^k A` with `A = 1 + u` kept unrounded as a
//!   double-double (the reduction and kernel of `exp` in `explog.rs`), its
//!   reciprocal `B = 1/A` in double-double, and
//!   `(e^|x| -+ e^-|x|) / 2 = 2^(k-1) (A -+ 2^(-2k) B)`: the difference or
//!   sum is formed in double-double and rounded once, then scaled by
//!   `2^(k-1)` in two exact steps, so overflow happens exactly where the
//!   rounded result exceeds `f64::MAX` (`|x|` is clamped to 711 first, which
//!   keeps `k` in range and sends `±inf` to `inf`). `sinh` of `|x| < 1/2` is
//!   the Taylor series `x + x z P(z)`, `z = x^2`, through `x^19 / 19!`
//!   (truncation below 2^-70 relative). The sign of `x` is copied last.
//! * `asinh`, `acosh`, `atanh`: a logarithm of a double-double argument
//!   `h + l`: `ln(h) + l/h`, the correction `l/h` added where fdlibm's
//!   `log1p` adds its own (beside `k * ln2_lo`), so `ln(1 + tiny)` keeps its
//!   relative accuracy. The arguments: `asinh`: `1 + (|x| + x^2 / (1 +
//!   sqrt(1 + x^2)))` up to `|x| = 2`, `2|x| + 1 / (sqrt(x^2 + 1) + |x|)` up
//!   to 2^28, `|x|` with `k + 1` above (`ln(2|x|)`); `acosh`: `x + sqrt(t (2
//!   + t))` with `t = x - 1` (exact) and the square root of the
//!   double-double product corrected to double-double, up to 2^28, then
//!   `ln(2x)` as `asinh`; `atanh`: `ln((1 + |x|) / (1 - |x|)) / 2` with the
//!   quotient in double-double. `asinh` and `atanh` return `x` below 2^-28
//!   (where it is the rounded value) and copy the sign of `x`.
//! * `hypot(x, y)`: `a = max(|x|, |y|)`, `b = min`, both scaled by 2^-600
//!   when `a > 2^500` and by 2^600 when `a < 2^-500` (exact), `a^2 + b^2` in
//!   double-double, its square root `r` corrected by
//!   `(a^2 + b^2 - r^2) / 2r`, rounded once and scaled back (overflow to inf
//!   exactly where the result exceeds `f64::MAX`; a subnormal result is
//!   rounded a second time there). An infinite operand gives `inf` even
//!   with a NaN beside it; otherwise a NaN operand is the result.

use super::dd::{dd_add, fast_two_sum, horner, two_prod, two_sum};
use super::explog::{ExpParts, LN2_HI, LN2_LO, LogParts, exp_parts, log_parts, log_specials, pow2};
use super::inverse::copy_sign;
use super::{MathOps, in_f64, in_f64_2};

/// `1 / (2n + 1)!` for `n = 1..=9`: `sinh(x) = x + x z P(z)`. Each factorial
/// is exact in `f64`, so each coefficient is correctly rounded.
const SINH_P: [f64; 9] = [
    1.0 / 6.0,
    1.0 / 120.0,
    1.0 / 5040.0,
    1.0 / 362_880.0,
    1.0 / 39_916_800.0,
    1.0 / 6_227_020_800.0,
    1.0 / 1_307_674_368_000.0,
    1.0 / 355_687_428_096_000.0,
    1.0 / 121_645_100_408_832_000.0,
];
/// Below this `|x|`, `asinh(x)` and `atanh(x)` round to `x`.
const TINY: f64 = f64::from_bits(0x3E30_0000_0000_0000); // 2^-28
/// Above this, `asinh` and `acosh` are `ln(2|x|)` to working precision.
const HUGE: f64 = 268_435_456.0; // 2^28

/// `e^a = 2^k (hi + lo)`, `hi + lo` a normalised double-double near 1, `k`
/// an integer. `a` must lie in `[0, 711]` (or be NaN).
fn exp_dd<O: MathOps>(o: &mut O, a: O::F) -> (O::I, O::F, O::F) {
    let ExpParts { k, hi, w } = exp_parts(o, a);
    let nw = o.fneg(w);
    let (u_hi, u_lo) = two_sum(o, hi, nw);
    let one = o.fconst(1.0);
    // |u| < sqrt(2) - 1, so 1 is the larger operand.
    let (a_hi, a_lo) = fast_two_sum(o, one, u_hi);
    let a_lo = o.fadd(a_lo, u_lo);
    let (a_hi, a_lo) = fast_two_sum(o, a_hi, a_lo);
    let k = o.f_to_i(k);
    (k, a_hi, a_lo)
}

/// `(e^|x| - e^-|x|) / 2` when `minus`, else `(e^|x| + e^-|x|) / 2`, for
/// `|x|` in `[0, 711]`: one rounding, then exact scaling.
fn exp_pair<O: MathOps>(o: &mut O, ax: O::F, minus: bool) -> O::F {
    let (k, a_hi, a_lo) = exp_dd(o, ax);
    // B = 1 / A in double-double.
    let one = o.fconst(1.0);
    let b_hi = o.fdiv(one, a_hi);
    let (p, pe) = two_prod(o, b_hi, a_hi);
    let rem = o.fsub(one, p);
    let rem = o.fsub(rem, pe);
    let ba = o.fmul(b_hi, a_lo);
    let rem = o.fsub(rem, ba);
    let b_lo = o.fdiv(rem, a_hi);
    // C = 2^(-2k) B; below 2^-200 it no longer matters (and 2^-2k would
    // leave the range of `pow2`).
    let k2 = o.iadd(k, k);
    let izero = o.iconst(0);
    let m = o.isub(izero, k2);
    let floor = o.iconst(-200);
    let low = o.ilt(m, floor);
    let m = o.iselect(low, floor, m);
    let scale = pow2(o, m);
    let c_hi = o.fmul(b_hi, scale);
    let c_lo = o.fmul(b_lo, scale);
    let (c_hi, c_lo) = if minus {
        (o.fneg(c_hi), o.fneg(c_lo))
    } else {
        (c_hi, c_lo)
    };
    // D = A -+ C, rounded once.
    let (s, e) = two_sum(o, a_hi, c_hi);
    let lo = o.fadd(a_lo, c_lo);
    let e = o.fadd(e, lo);
    let d = o.fadd(s, e);
    // d * 2^(k-1), in two exact steps.
    let ione = o.iconst(1);
    let k = o.isub(k, ione);
    let k1 = o.ishr_s(k, 1);
    let k2 = o.isub(k, k1);
    let s1 = pow2(o, k1);
    let s2 = pow2(o, k2);
    let d = o.fmul(d, s1);
    o.fmul(d, s2)
}

/// `|x|` clamped to 711 (NaN stays NaN): `e^711 / 2` already overflows.
fn clamped_abs<O: MathOps>(o: &mut O, x: O::F) -> O::F {
    let ax = o.fabs(x);
    let cap = o.fconst(711.0);
    let over = o.flt(cap, ax);
    o.fselect(over, cap, ax)
}

/// `sinh(x)` for `f64`. See the module table for measurements.
pub fn sinh_f64<O: MathOps>(o: &mut O, x: O::F) -> O::F {
    let ax = o.fabs(x);
    let z = o.fmul(ax, ax);
    let p = horner(o, z, &SINH_P);
    let zp = o.fmul(z, p);
    let corr = o.fmul(ax, zp);
    let small = o.fadd(ax, corr);
    let axc = clamped_abs(o, x);
    let large = exp_pair(o, axc, true);
    let half = o.fconst(0.5);
    let is_small = o.flt(ax, half);
    let res = o.fselect(is_small, small, large);
    let res = copy_sign(o, res, x);
    let nan = o.funord(x, x);
    o.fselect(nan, x, res)
}

/// `cosh(x)` for `f64`. See the module table for measurements.
pub fn cosh_f64<O: MathOps>(o: &mut O, x: O::F) -> O::F {
    let axc = clamped_abs(o, x);
    let res = exp_pair(o, axc, false);
    let nan = o.funord(x, x);
    o.fselect(nan, x, res)
}

/// `ln(h + l) + kadd ln 2` for a double-double `h + l` (`|l| <= ulp(h)`),
/// fdlibm's `ln` with the correction `l / h` added beside `k ln2_lo`, as
/// its `log1p` does. Special values follow `h`.
fn ln_dd<O: MathOps>(o: &mut O, h: O::F, l: O::F, kadd: O::F) -> O::F {
    let LogParts { dk, f, s, r, hx } = log_parts(o, h);
    let dk = o.fadd(dk, kadd);
    let c = o.fdiv(l, h);
    let c_hi = o.fconst(LN2_HI);
    let c_lo = o.fconst(LN2_LO);
    let dkh = o.fmul(dk, c_hi);
    let dkl = o.fmul(dk, c_lo);
    let dkl = o.fadd(dkl, c);
    // Form A: dk*ln2_hi - ((hfsq - (s*(hfsq+R) + dk*ln2_lo + c)) - f)
    let half = o.fconst(0.5);
    let hf = o.fmul(half, f);
    let hfsq = o.fmul(hf, f);
    let a = o.fadd(hfsq, r);
    let a = o.fmul(s, a);
    let a = o.fadd(a, dkl);
    let a = o.fsub(hfsq, a);
    let a = o.fsub(a, f);
    let res_a = o.fsub(dkh, a);
    // Form B: dk*ln2_hi - ((s*(f-R) - (dk*ln2_lo + c)) - f)
    let b = o.fsub(f, r);
    let b = o.fmul(s, b);
    let b = o.fsub(b, dkl);
    let b = o.fsub(b, f);
    let res_b = o.fsub(dkh, b);
    let lo_b = o.iconst(0x6147A);
    let hi_b = o.iconst(0x6B851);
    let m1 = o.ilt(lo_b, hx);
    let m2 = o.ilt(hx, hi_b);
    let use_a = o.mand(m1, m2);
    let res = o.fselect(use_a, res_a, res_b);
    log_specials(o, h, res)
}

/// The square root of a double-double `p + pe` (`p > 0`), as a
/// double-double: `r = sqrt(p)` corrected by `(p + pe - r^2) / 2r`.
fn sqrt_dd<O: MathOps>(o: &mut O, p: O::F, pe: O::F) -> (O::F, O::F) {
    let r = o.fsqrt(p);
    let (q, qe) = two_prod(o, r, r);
    let d = o.fsub(p, q); // exact: q is within an ulp of p
    let d = o.fsub(d, qe);
    let d = o.fadd(d, pe);
    let r2 = o.fadd(r, r);
    let corr = o.fdiv(d, r2);
    fast_two_sum(o, r, corr)
}

/// `x` for `|x| < 2^-28`, the sign of `x` copied onto `res` otherwise, and a
/// NaN `x` itself: the common ending of `asinh` and `atanh`.
fn odd_finish<O: MathOps>(o: &mut O, x: O::F, res: O::F) -> O::F {
    let res = copy_sign(o, res, x);
    let ax = o.fabs(x);
    let tiny = o.fconst(TINY);
    let is_tiny = o.flt(ax, tiny);
    let res = o.fselect(is_tiny, x, res);
    let nan = o.funord(x, x);
    o.fselect(nan, x, res)
}

/// `asinh(x)` for `f64`. See the module table for measurements.
pub fn asinh_f64<O: MathOps>(o: &mut O, x: O::F) -> O::F {
    let ax = o.fabs(x);
    let one = o.fconst(1.0);
    let zero = o.fconst(0.0);
    let t = o.fmul(ax, ax);
    let t1 = o.fadd(one, t);
    let st = o.fsqrt(t1);
    // |x| <= 2: 1 + (|x| + x^2 / (1 + sqrt(1 + x^2))).
    let den = o.fadd(one, st);
    let q = o.fdiv(t, den);
    let (y_hi, y_lo) = two_sum(o, ax, q);
    let (h1, l1) = dd_add(o, (one, zero), (y_hi, y_lo));
    // 2 < |x| <= 2^28: 2|x| + 1 / (sqrt(x^2 + 1) + |x|).
    let two_ax = o.fadd(ax, ax);
    let den = o.fadd(st, ax);
    let q = o.fdiv(one, den);
    let (h2, l2) = fast_two_sum(o, two_ax, q);
    let two = o.fconst(2.0);
    let mid = o.flt(two, ax);
    let h = o.fselect(mid, h2, h1);
    let l = o.fselect(mid, l2, l1);
    // Above 2^28: ln(|x|) + ln 2.
    let huge = o.fconst(HUGE);
    let big = o.flt(huge, ax);
    let h = o.fselect(big, ax, h);
    let l = o.fselect(big, zero, l);
    let kadd = o.fselect(big, one, zero);
    let res = ln_dd(o, h, l, kadd);
    odd_finish(o, x, res)
}

/// `acosh(x)` for `f64`. See the module table for measurements.
pub fn acosh_f64<O: MathOps>(o: &mut O, x: O::F) -> O::F {
    let one = o.fconst(1.0);
    let two = o.fconst(2.0);
    let zero = o.fconst(0.0);
    // x <= 2^28: x + sqrt(t (2 + t)), t = x - 1 (exact below 2^53).
    let t = o.fsub(x, one);
    let (a_hi, a_lo) = fast_two_sum(o, two, t);
    let (p, pe) = two_prod(o, t, a_hi);
    let ta = o.fmul(t, a_lo);
    let pe = o.fadd(pe, ta);
    let (p, pe) = fast_two_sum(o, p, pe);
    let (s_hi, s_lo) = sqrt_dd(o, p, pe);
    let (h, l) = dd_add(o, (x, zero), (s_hi, s_lo));
    // Above 2^28: ln(x) + ln 2.
    let huge = o.fconst(HUGE);
    let big = o.flt(huge, x);
    let h = o.fselect(big, x, h);
    let l = o.fselect(big, zero, l);
    let kadd = o.fselect(big, one, zero);
    let res = ln_dd(o, h, l, kadd);
    // acosh(1) = +0 (the square root's correction divides 0 by 0 there).
    let is_one = o.feq(x, one);
    let res = o.fselect(is_one, zero, res);
    let below = o.flt(x, one);
    let qnan = o.fconst(f64::NAN);
    let res = o.fselect(below, qnan, res);
    let nan = o.funord(x, x);
    o.fselect(nan, x, res)
}

/// `atanh(x)` for `f64`. See the module table for measurements.
pub fn atanh_f64<O: MathOps>(o: &mut O, x: O::F) -> O::F {
    let ax = o.fabs(x);
    let one = o.fconst(1.0);
    let zero = o.fconst(0.0);
    let (n_hi, n_lo) = fast_two_sum(o, one, ax);
    let nax = o.fneg(ax);
    let (d_hi, d_lo) = two_sum(o, one, nax);
    // q = n / d in double-double.
    let q_hi = o.fdiv(n_hi, d_hi);
    let (p, pe) = two_prod(o, q_hi, d_hi);
    let rem = o.fsub(n_hi, p);
    let rem = o.fsub(rem, pe);
    let rem = o.fadd(rem, n_lo);
    let qd = o.fmul(q_hi, d_lo);
    let rem = o.fsub(rem, qd);
    let q_lo = o.fdiv(rem, d_hi);
    let (q_hi, q_lo) = fast_two_sum(o, q_hi, q_lo);
    let ln = ln_dd(o, q_hi, q_lo, zero);
    let half = o.fconst(0.5);
    let res = o.fmul(half, ln);
    // atanh(±1) = ±inf, |x| > 1 gives NaN.
    let is_one = o.feq(ax, one);
    let inf = o.fconst(f64::INFINITY);
    let res = o.fselect(is_one, inf, res);
    let outside = o.flt(one, ax);
    let qnan = o.fconst(f64::NAN);
    let res = o.fselect(outside, qnan, res);
    odd_finish(o, x, res)
}

/// `hypot(x, y) = sqrt(x^2 + y^2)` for `f64`, without overflow or underflow
/// in between. See the module table for measurements.
pub fn hypot_f64<O: MathOps>(o: &mut O, x: O::F, y: O::F) -> O::F {
    let ax = o.fabs(x);
    let ay = o.fabs(y);
    let swap = o.flt(ax, ay);
    let a = o.fselect(swap, ay, ax);
    let b = o.fselect(swap, ax, ay);
    // Scale into [2^-500, 2^500] (subnormal a: above 2^-475).
    let one = o.fconst(1.0);
    let down = o.fconst(f64::from_bits((1023 - 600) << 52));
    let up = o.fconst(f64::from_bits((1023 + 600) << 52));
    let hi_lim = o.fconst(f64::from_bits((1023 + 500) << 52));
    let lo_lim = o.fconst(f64::from_bits((1023 - 500) << 52));
    let large = o.flt(hi_lim, a);
    let small = o.flt(a, lo_lim);
    let scale = o.fselect(large, down, one);
    let scale = o.fselect(small, up, scale);
    let unscale = o.fselect(large, up, one);
    let unscale = o.fselect(small, down, unscale);
    let a = o.fmul(a, scale);
    let b = o.fmul(b, scale);
    let aa = two_prod(o, a, a);
    let bb = two_prod(o, b, b);
    let (s, se) = dd_add(o, aa, bb);
    let (r, corr) = sqrt_dd(o, s, se);
    let r = o.fadd(r, corr);
    let res = o.fmul(r, unscale);
    // hypot(0, 0) = 0 (the correction divides 0 by 0 there).
    let zero = o.fconst(0.0);
    let is_zero = o.feq(a, zero);
    let res = o.fselect(is_zero, zero, res);
    let y_nan = o.funord(y, y);
    let res = o.fselect(y_nan, y, res);
    let x_nan = o.funord(x, x);
    let res = o.fselect(x_nan, x, res);
    let inf = o.fconst(f64::INFINITY);
    let x_inf = o.feq(ax, inf);
    let y_inf = o.feq(ay, inf);
    let res = o.fselect(x_inf, inf, res);
    o.fselect(y_inf, inf, res)
}

/// `sinh(x)` for `f32`, computed in `f64` and rounded once.
pub fn sinh_f32<O: MathOps>(o: &mut O, x: O::F32) -> O::F32 {
    in_f64(o, x, sinh_f64)
}

/// `cosh(x)` for `f32`, computed in `f64` and rounded once.
pub fn cosh_f32<O: MathOps>(o: &mut O, x: O::F32) -> O::F32 {
    in_f64(o, x, cosh_f64)
}

/// `asinh(x)` for `f32`, computed in `f64` and rounded once.
pub fn asinh_f32<O: MathOps>(o: &mut O, x: O::F32) -> O::F32 {
    in_f64(o, x, asinh_f64)
}

/// `acosh(x)` for `f32`, computed in `f64` and rounded once.
pub fn acosh_f32<O: MathOps>(o: &mut O, x: O::F32) -> O::F32 {
    in_f64(o, x, acosh_f64)
}

/// `atanh(x)` for `f32`, computed in `f64` and rounded once.
pub fn atanh_f32<O: MathOps>(o: &mut O, x: O::F32) -> O::F32 {
    in_f64(o, x, atanh_f64)
}

/// `hypot(x, y)` for `f32`, computed in `f64` and rounded once.
pub fn hypot_f32<O: MathOps>(o: &mut O, x: O::F32, y: O::F32) -> O::F32 {
    in_f64_2(o, x, y, hypot_f64)
}
