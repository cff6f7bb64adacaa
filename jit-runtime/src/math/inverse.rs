//! `asin`, `acos` and `atan2`, for `f64` and (computed in `f64`) for `f32`.
//!
//! * `asin` and `acos`: fdlibm's `e_asin.c` and `e_acos.c`, branch-free.
//!   Both use the rational approximation `R(t) = (asin(x) - x) / x^3`,
//!   `t = x^2`, on `|x| < 1/2`; above, the identity
//!   `asin(|x|) = pi/2 - 2 asin(sqrt((1 - |x|) / 2))` with `t = (1 - |x|)/2`.
//!   The argument `t` is selected first, so `R` is evaluated once (one
//!   division), and the forms of each interval (for `asin`: `|x| < 1/2`,
//!   `1/2 <= |x| < 0.975`, where `sqrt(t)` is split into a 32-bit head and a
//!   correction, and `|x| >= 0.975`) are blended by selects. `|x| > 1` gives
//!   NaN; `asin` copies the sign of `x` last (so `asin(-0) = -0`).
//! * `atan2(y, x)`: fdlibm's `e_atan2.c`: `z = atan(|y / x|)` (the `atan`
//!   kernel of `atan.rs`, told the quotient's rounding error, so that it
//!   costs no extra half ulp), `pi - z` when `x` is negative (formed from
//!   `z`'s unrounded parts), the sign of `y` copied last. The special cases (C99 Annex F, as `std` gives
//!   them) are selected over that in fdlibm's order of precedence: a NaN
//!   operand (returned itself, `x` when both are), `y = ±0` (`±0` or `±pi` by the sign of `x`), `x = ±0` (`±pi/2`),
//!   `x` and `y` infinite (`±pi/4`, `±3pi/4`), `y` infinite (`±pi/2`).

use super::atan::atan_parts;
use super::dd::horner;
use super::dd::{two_prod, two_sum};
use super::{MathOps, in_f64, in_f64_2};

const PIO2_HI: f64 = f64::from_bits(0x3FF9_21FB_5444_2D18);
const PIO2_LO: f64 = f64::from_bits(0x3C91_A626_3314_5C07);
const PIO4_HI: f64 = f64::from_bits(0x3FE9_21FB_5444_2D18);
const PI: f64 = f64::from_bits(0x4009_21FB_5444_2D18);
const PI_LO: f64 = f64::from_bits(0x3CA1_A626_3314_5C07);
/// fdlibm pS0..pS5 (numerator of `R`, times `t`).
const PS: [f64; 6] = [
    f64::from_bits(0x3FC5_5555_5555_5555),
    f64::from_bits(0xBFD4_D612_03EB_6F7D),
    f64::from_bits(0x3FC9_C155_0E88_4455),
    f64::from_bits(0xBFA4_8228_B568_8F3B),
    f64::from_bits(0x3F49_EFE0_7501_B288),
    f64::from_bits(0x3F02_3DE1_0DFD_F709),
];
/// fdlibm 1, qS1..qS4 (denominator of `R`).
const QS: [f64; 5] = [
    1.0,
    f64::from_bits(0xC003_3A27_1C8A_2D4B),
    f64::from_bits(0x4000_2AE5_9C59_8AC8),
    f64::from_bits(0xBFE6_066C_1B8D_0159),
    f64::from_bits(0x3FB3_B8C5_B12E_9282),
];

/// `R(t) = t P(t) / Q(t)`.
fn r<O: MathOps>(o: &mut O, t: O::F) -> O::F {
    let p = horner(o, t, &PS);
    let p = o.fmul(t, p);
    let q = horner(o, t, &QS);
    o.fdiv(p, q)
}

/// `a` with the sign bit of `s` (`a` non-negative or NaN).
pub(super) fn copy_sign<O: MathOps>(o: &mut O, a: O::F, s: O::F) -> O::F {
    let ab = o.f_to_bits(a);
    let sb = o.f_to_bits(s);
    let sign = o.iconst(i64::MIN);
    let sb = o.iand(sb, sign);
    let rb = o.ior(ab, sb);
    o.bits_to_f(rb)
}

/// `a` with the low 32 bits of its pattern cleared (fdlibm's
/// `SET_LOW_WORD(a, 0)`): a head whose square is exact.
fn high_word<O: MathOps>(o: &mut O, a: O::F) -> O::F {
    let b = o.f_to_bits(a);
    let mask = o.iconst(!0xFFFF_FFFF);
    let b = o.iand(b, mask);
    o.bits_to_f(b)
}

/// The shared reduction: `(|x|, t, R(t), sqrt(t), small)` where `small` is
/// `|x| < 1/2`, `t = x^2` there and `(1 - |x|) / 2` above.
struct Reduced<O: MathOps> {
    ax: O::F,
    t: O::F,
    r: O::F,
    s: O::F,
    small: O::M,
}

fn reduce<O: MathOps>(o: &mut O, x: O::F) -> Reduced<O> {
    let ax = o.fabs(x);
    let half = o.fconst(0.5);
    let one = o.fconst(1.0);
    let small = o.flt(ax, half);
    let sq = o.fmul(x, x);
    let w = o.fsub(one, ax);
    let big = o.fmul(w, half);
    let t = o.fselect(small, sq, big);
    let r = r(o, t);
    let s = o.fsqrt(t);
    Reduced { ax, t, r, s, small }
}

/// `asin(x)` for `f64`. See the module table for measurements.
pub fn asin_f64<O: MathOps>(o: &mut O, x: O::F) -> O::F {
    let Reduced { ax, t, r, s, small } = reduce(o, x);
    let two = o.fconst(2.0);
    let pio2_hi = o.fconst(PIO2_HI);
    let pio2_lo = o.fconst(PIO2_LO);
    // |x| < 1/2: |x| + |x| R(x^2).
    let xr = o.fmul(ax, r);
    let res_small = o.fadd(ax, xr);
    // |x| >= 0.975: pio2_hi - (2 (s + s R) - pio2_lo).
    let sr = o.fmul(s, r);
    let a = o.fadd(s, sr);
    let a = o.fmul(two, a);
    let a = o.fsub(a, pio2_lo);
    let res_near_one = o.fsub(pio2_hi, a);
    // Otherwise: s = w + c with w's square exact;
    // pio4_hi - ((2 s R - (pio2_lo - 2 c)) - (pio4_hi - 2 w)).
    let w = high_word(o, s);
    let ww = o.fmul(w, w);
    let num = o.fsub(t, ww);
    let den = o.fadd(s, w);
    let c = o.fdiv(num, den);
    let p = o.fmul(two, sr);
    let c2 = o.fmul(two, c);
    let lo = o.fsub(pio2_lo, c2);
    let p = o.fsub(p, lo);
    let pio4_hi = o.fconst(PIO4_HI);
    let w2 = o.fmul(two, w);
    let q = o.fsub(pio4_hi, w2);
    let pq = o.fsub(p, q);
    let res_mid = o.fsub(pio4_hi, pq);
    let lim = o.fconst(0.975);
    let near_one = o.fle(lim, ax);
    let res = o.fselect(near_one, res_near_one, res_mid);
    let res = o.fselect(small, res_small, res);
    let res = copy_sign(o, res, x);
    // Below 2^-27 asin(x) rounds to x (keeps the sign of zero).
    let tiny = o.fconst(f64::from_bits(0x3E40_0000_0000_0000));
    let is_tiny = o.flt(ax, tiny);
    let res = o.fselect(is_tiny, x, res);
    let one = o.fconst(1.0);
    let outside = o.flt(one, ax);
    let qnan = o.fconst(f64::NAN);
    let res = o.fselect(outside, qnan, res);
    let nan = o.funord(x, x);
    o.fselect(nan, x, res)
}

/// `acos(x)` for `f64`. See the module table for measurements.
pub fn acos_f64<O: MathOps>(o: &mut O, x: O::F) -> O::F {
    let Reduced { ax, t, r, s, small } = reduce(o, x);
    let two = o.fconst(2.0);
    let pio2_hi = o.fconst(PIO2_HI);
    let pio2_lo = o.fconst(PIO2_LO);
    // |x| < 1/2: pio2_hi - (x - (pio2_lo - x R(x^2))).
    let xr = o.fmul(x, r);
    let a = o.fsub(pio2_lo, xr);
    let a = o.fsub(x, a);
    let res_small = o.fsub(pio2_hi, a);
    // x <= -1/2: 2 (pio2_hi - (s + (R s - pio2_lo))).
    let rs = o.fmul(r, s);
    let w = o.fsub(rs, pio2_lo);
    let a = o.fadd(s, w);
    let a = o.fsub(pio2_hi, a);
    let res_neg = o.fmul(two, a);
    // x >= 1/2: 2 (df + (R s + c)), s = df + c with df's square exact.
    let df = high_word(o, s);
    let dd = o.fmul(df, df);
    let num = o.fsub(t, dd);
    let den = o.fadd(s, df);
    let c = o.fdiv(num, den);
    let w = o.fadd(rs, c);
    let a = o.fadd(df, w);
    let res_pos = o.fmul(two, a);
    let zero = o.fconst(0.0);
    let neg = o.flt(x, zero);
    let res = o.fselect(neg, res_neg, res_pos);
    let res = o.fselect(small, res_small, res);
    // acos(1) = +0 (the form above divides 0 by 0 there).
    let one = o.fconst(1.0);
    let is_one = o.feq(x, one);
    let res = o.fselect(is_one, zero, res);
    let outside = o.flt(one, ax);
    let qnan = o.fconst(f64::NAN);
    let res = o.fselect(outside, qnan, res);
    let nan = o.funord(x, x);
    o.fselect(nan, x, res)
}

/// `atan2(y, x)` for `f64`: the angle of the point `(x, y)`, as
/// `f64::atan2` (`y.atan2(x)`). See the module table for measurements.
pub fn atan2_f64<O: MathOps>(o: &mut O, y: O::F, x: O::F) -> O::F {
    let ay = o.fabs(y);
    let ax = o.fabs(x);
    let zero = o.fconst(0.0);
    let inf = o.fconst(f64::INFINITY);
    // The sign bit of x (atan2(0, -0) = pi).
    let xb = o.f_to_bits(x);
    let izero = o.iconst(0);
    let x_neg = o.ilt(xb, izero);

    let q = o.fdiv(ay, ax);
    // The quotient's rounding error, ay / ax - q = (ay - q ax) / ax, exact
    // in the numerator by Dekker's product; only where neither operand nor
    // the quotient is near overflow or underflow (elsewhere 0: fdlibm's
    // plain quotient).
    let (p, pe) = two_prod(o, q, ax);
    let rem = o.fsub(ay, p);
    let rem = o.fsub(rem, pe);
    let dq = o.fdiv(rem, ax);
    let lo_lim = o.fconst(f64::from_bits((1023 - 900) << 52));
    let hi_lim = o.fconst(f64::from_bits((1023 + 900) << 52));
    let m1 = o.flt(lo_lim, ay);
    let m2 = o.flt(ay, hi_lim);
    let m3 = o.flt(lo_lim, ax);
    let m4 = o.flt(ax, hi_lim);
    let m = o.mand(m1, m2);
    let m = o.mand(m, m3);
    let m = o.mand(m, m4);
    let m5 = o.flt(lo_lim, q);
    let m6 = o.flt(q, hi_lim);
    let m = o.mand(m, m5);
    let m = o.mand(m, m6);
    let dq = o.fselect(m, dq, zero);
    let (_, hi, a) = atan_parts(o, q, Some(dq));
    let z = o.fsub(hi, a);
    // x < 0: pi - z = (pi_hi - hi) + (pi_lo + a), one rounding at the end
    // (fdlibm's pi - (z - pi_lo) rounds z first and loses up to 1/2 ulp).
    let pi = o.fconst(PI);
    let pi_lo = o.fconst(PI_LO);
    let nhi = o.fneg(hi);
    let (s, e) = two_sum(o, pi, nhi);
    let e = o.fadd(e, pi_lo);
    let e = o.fadd(e, a);
    let left = o.fadd(s, e);
    let res = o.fselect(x_neg, left, z);

    // Special cases, from the lowest precedence up.
    let pio2 = o.fconst(PIO2_HI);
    let y_inf = o.feq(ay, inf);
    let res = o.fselect(y_inf, pio2, res);
    let x_inf = o.feq(ax, inf);
    let both_inf = o.mand(x_inf, y_inf);
    let pio4 = o.fconst(PIO4_HI);
    let three = o.fconst(3.0);
    let three_pio4 = o.fmul(three, pio4);
    let corner = o.fselect(x_neg, three_pio4, pio4);
    let res = o.fselect(both_inf, corner, res);
    let x_zero = o.feq(ax, zero);
    let res = o.fselect(x_zero, pio2, res);
    let y_zero = o.feq(ay, zero);
    let on_axis = o.fselect(x_neg, pi, zero);
    let res = o.fselect(y_zero, on_axis, res);
    let res = copy_sign(o, res, y);
    // A NaN operand is the result (`x`'s when both are).
    let y_nan = o.funord(y, y);
    let res = o.fselect(y_nan, y, res);
    let x_nan = o.funord(x, x);
    o.fselect(x_nan, x, res)
}

/// `asin(x)` for `f32`, computed in `f64` and rounded once.
pub fn asin_f32<O: MathOps>(o: &mut O, x: O::F32) -> O::F32 {
    in_f64(o, x, asin_f64)
}

/// `acos(x)` for `f32`, computed in `f64` and rounded once.
pub fn acos_f32<O: MathOps>(o: &mut O, x: O::F32) -> O::F32 {
    in_f64(o, x, acos_f64)
}

/// `atan2(y, x)` for `f32`, computed in `f64` and rounded once.
pub fn atan2_f32<O: MathOps>(o: &mut O, y: O::F32, x: O::F32) -> O::F32 {
    in_f64_2(o, y, x, atan2_f64)
}
