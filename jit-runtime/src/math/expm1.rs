//! `exp_m1` and the logistic function `sigmoid` for `f64`, built on the
//! `exp` reduction of `explog.rs` (the `f32` forms are in `expf.rs`).
//!
//! * `exp_m1`: `e^x = 2^k (1 + u)` with `u = hi - w` kept unrounded as a
//!   double-double (`exp_parts`), then `e^x - 1 = 2 (2^(k-1) - 1/2 +
//!   2^(k-1) u)` summed in double-double and rounded once: the halving keeps
//!   `2^(k-1)` finite up to the overflow threshold, and the subtraction of 1
//!   is exact, so there is no cancellation error near 0 (where `k = 0` and
//!   the result is `u` itself). The argument is clamped to `[-40, 710]`
//!   (below -40 the result rounds to -1); `|x| < 2^-54` returns `x` (which
//!   keeps `exp_m1(-0) = -0` and subnormals exact).
//! * `sigmoid`: `1 / (1 + e^-x)` for `x >= 0` and `e^x / (1 + e^x)` for
//!   `x < 0`, so `t = e^-|x|` never overflows; `t` is kept unrounded as
//!   `2^k (1 + u)` and the sum and division are done in double-double, so
//!   the result is rounded once. For `|x| > 40` the result is 1 (`x > 0`)
//!   or `e^x` itself (`x < 0`; `e^x / (1 + e^x)` differs from `e^x` by a
//!   relative `e^x < 2^-57`), computed with `exp`'s subnormal-safe scaling.

use super::MathOps;
use super::dd::{fast_two_sum, two_prod, two_sum};
use super::explog::{ExpParts, clamp, exp_parts, pow2};

/// `e^x - 1` for `f64`. See the module table for measurements.
pub fn exp_m1_f64<O: MathOps>(o: &mut O, x: O::F) -> O::F {
    let xc = clamp(o, x, -40.0, 710.0);
    let ExpParts { k, hi, w } = exp_parts(o, xc);
    let nw = o.fneg(w);
    let (u_hi, u_lo) = two_sum(o, hi, nw);
    // h = 2^(k-1), k in [-58, 1024].
    let ki = o.f_to_i(k);
    let one_i = o.iconst(1);
    let km1 = o.isub(ki, one_i);
    let h = pow2(o, km1);
    let mhalf = o.fconst(-0.5);
    let (a, ae) = two_sum(o, h, mhalf);
    let hu = o.fmul(h, u_hi);
    let hl = o.fmul(h, u_lo);
    let (s, se) = two_sum(o, a, hu);
    let e = o.fadd(ae, hl);
    let e = o.fadd(se, e);
    let r = o.fadd(s, e);
    let two = o.fconst(2.0);
    let r = o.fmul(r, two);
    let ax = o.fabs(x);
    let tiny = o.fconst(f64::from_bits(0x3C90_0000_0000_0000)); // 2^-54
    let is_tiny = o.flt(ax, tiny);
    let r = o.fselect(is_tiny, x, r);
    let nan = o.funord(x, x);
    o.fselect(nan, x, r)
}

/// `1 / (1 + e^-x)` for `f64`. See the module table for measurements.
pub fn sigmoid_f64<O: MathOps>(o: &mut O, x: O::F) -> O::F {
    let ax = o.fabs(x);
    let nax = o.fneg(ax);
    let a = clamp(o, nax, -746.0, 0.0);
    let ExpParts { k, hi, w } = exp_parts(o, a);
    // The far tail: e^x with exp's own scaling (one rounding).
    let one = o.fconst(1.0);
    let wmh = o.fsub(w, hi);
    let y = o.fsub(one, wmh);
    let ki = o.f_to_i(k);
    let k1 = o.ishr_s(ki, 1);
    let k2 = o.isub(ki, k1);
    let s1 = pow2(o, k1);
    let s2 = pow2(o, k2);
    let tail = o.fmul(y, s1);
    let tail = o.fmul(tail, s2);
    // t = 2^k (1 + u) in double-double; k is clamped to stay a normal
    // power of two (the clamped cases take the tail above).
    let m60 = o.iconst(-60);
    let low = o.ilt(ki, m60);
    let kd = o.iselect(low, m60, ki);
    let e = pow2(o, kd);
    let nw = o.fneg(w);
    let (u_hi, u_lo) = two_sum(o, hi, nw);
    let eu_hi = o.fmul(e, u_hi);
    let eu_lo = o.fmul(e, u_lo);
    let (t_hi, t_lo) = fast_two_sum(o, e, eu_hi);
    let t_lo = o.fadd(t_lo, eu_lo);
    // d = 1 + t, n = t (x < 0) or 1.
    let (d_hi, d_lo) = two_sum(o, one, t_hi);
    let d_lo = o.fadd(d_lo, t_lo);
    let zero = o.fconst(0.0);
    let neg = o.flt(x, zero);
    let n_hi = o.fselect(neg, t_hi, one);
    let n_lo = o.fselect(neg, t_lo, zero);
    // q = n / d in double-double, rounded once.
    let q_hi = o.fdiv(n_hi, d_hi);
    let (p, pe) = two_prod(o, q_hi, d_hi);
    let rem = o.fsub(n_hi, p);
    let rem = o.fsub(rem, pe);
    let rem = o.fadd(rem, n_lo);
    let qd = o.fmul(q_hi, d_lo);
    let rem = o.fsub(rem, qd);
    let q_lo = o.fdiv(rem, d_hi);
    let q = o.fadd(q_hi, q_lo);
    let far = o.fconst(40.0);
    let is_far = o.flt(far, ax);
    let far_res = o.fselect(neg, tail, one);
    let res = o.fselect(is_far, far_res, q);
    let nan = o.funord(x, x);
    o.fselect(nan, x, res)
}
