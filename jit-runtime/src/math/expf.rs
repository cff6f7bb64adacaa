//! `f32` `exp`, `tanh` and `sigmoid` in `f32` arithmetic, and `exp2` and
//! `exp_m1` through one short `exp` kernel in `f64`.
//!
//! `exp` ([`exp_f32`]), `tanh` ([`tanh_f32`]) and `sigmoid`
//! ([`sigmoid_f32`]) compute in `f32` with fused multiply-adds, so that
//! vector code runs them on every lane of an `f32` vector (eight with
//! AVX2) instead of on `f64` halves; over every finite `f32`, `exp` is
//! within 0.8 ulp, `tanh` within 0.76 and `sigmoid` within 0.79 (the
//! module table of `math` has the figures; `Q32` is `fit_f32_kernels.py`'s,
//! `tanh`'s tables `fit_tanh_f32.py`'s):
//!
//! * `exp`: `x = n ln2 + r` (`x - n LN2_HI` exact), `e^r = hi + tail`
//!   with `hi + lo = 1 + r` exactly and `tail = lo + r^2 Q32(r)`, the sum
//!   rounded once and scaled by `2^n` in two exact steps.
//! * `tanh`: piecewise polynomials of degree 7 in `|x|` (clamped to 9.02),
//!   eight intervals, the interval of each lane picked by the half binade
//!   of `|x| 1.66 + 1` and its coefficients looked up per lane
//!   ([`MathOps::f32_half_binade`]: with AVX2 one `vpermps` per
//!   coefficient, eight lanes at once; on NEON a `tbl` and a `tbx`, four
//!   lanes). Each is centered where `tanh` is nearly an `f32`, so that its
//!   constant term is almost exact, and the one at 0 is `v + v t(v)`,
//!   exact in its leading term. 25 primitives and no division, against 52
//!   with one for `1 - 2 / (e^(2|x|) + 1)` in two-part arithmetic.
//! * `sigmoid`: `q = 1 / (1 + t)` for `x >= 0` and `t q` for `x < 0`, with
//!   `t = e^-|x|`, `1 + t` and `q` each in two parts; `t`'s error reaches
//!   the result damped by `1 / (1 + t)` either way.
//!
//! The others: an `f32` result rounded once from an `f64` value with a
//! relative error below 2^-34 is within 0.5 + 2^-10 `f32` ulp of the exact
//! value: the full `f64` algorithms (< 1 `f64` ulp, with double-double
//! steps and up to three divisions) are far more than an `f32` result
//! needs. These functions share one kernel instead:
//!
//! * [`exp_short`]: `e^y = s (1 + p)` with `y = k ln2 + r`, `|r| <= ln2 / 2`
//!   (`ln2` in two parts, `k * LN2_HI` exact), `s = 2^k` exact, and
//!   `p = r + r^2 Q(r)` with `Q` a degree-6 polynomial fitted for the
//!   relative error of `p` (below 2^-37.4 over the range, so `p` is
//!   accurate relative to itself, which `exp_m1` near 0 needs).
//!   `fit_f32_kernels.py` beside this file made and checks the coefficients.
//! * `exp_m1`: `(s - 1) + s p`: `s - 1` is exact, and for `k != 0` the two
//!   terms cancel by at most a factor of 2.4; for `k = 0` the result is `p`
//!   (and a zero argument is returned itself, keeping `exp_m1(-0) = -0`).
//! * `exp2`: `x = k + t` with `k` the nearest integer and `t` exact, then
//!   the kernel's polynomial on `r = t ln2`: exact at integers (`t = 0`).
//!
//! No division, against one in the `f64` algorithms: `exp_m1` 38
//! primitives instead of 60, `exp2` 32 instead of 57. NaN in gives the
//! input NaN out (quieted), as everywhere in `math`.

use super::MathOps;
use super::dd::horner;
use super::explog::{clamp, exp_reduce, pow2};
use super::f32ops::{at_most32, fast_two_sum32, horner32, round32};

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

/// `x` unless it is NaN, then `res`, rounded to `f32`.
fn finish<O: MathOps>(o: &mut O, x: O::F, res: O::F) -> O::F32 {
    let nan = o.funord(x, x);
    let res = o.fselect(nan, x, res);
    o.f64_to_f32(res)
}

/// `ln 2` in two parts (`LN2_HI` the `f32` nearest) and `1 / ln 2`.
const LN2_HI: f32 = f32::from_bits(0x3F31_7218);
const LN2_LO: f32 = f32::from_bits(0xB102_E308);
const LOG2E: f32 = f32::from_bits(0x3FB8_AA3B);
/// `(e^r - 1 - r) / r^2` on `|r| <= ln2 / 2`, `f32` coefficients (relative
/// error of `1 + r + r^2 Q32(r)` below 2^-28.2), lowest degree first:
/// `fit_f32_kernels.py`.
const Q32: [f32; 5] = [
    f32::from_bits(0x3EFF_FFFE),
    f32::from_bits(0x3E2A_AA48),
    f32::from_bits(0x3D2A_AC52),
    f32::from_bits(0x3C09_1D75),
    f32::from_bits(0x3AB5_2E39),
];

/// `min(max(a, lo), hi)` in `f32`; NaN stays NaN.
fn clamp32<O: MathOps>(o: &mut O, a: O::F32, lo: f32, hi: f32) -> O::F32 {
    let lo = o.f32_const(lo);
    let below = o.f32_lt(a, lo);
    let a = o.f32_select(below, lo, a);
    at_most32(o, a, hi)
}

/// `e^x` for `f32`, computed in `f32` (so that vector code runs it on every
/// lane of an `f32` vector): `x = n ln2 + r` (`x - n LN2_HI` exact, one
/// rounding for `LN2_LO`), `e^r = hi + (lo + r^2 Q32(r))` with
/// `hi + lo = 1 + r` exactly, and the result scaled by `2^n` in two exact
/// steps (one rounding for a subnormal result). The argument is clamped to
/// `[-104, 89]` first, where the results are 0 and inf; a NaN gives `x + x`
/// (the input NaN, quieted). See the module table for measurements.
pub fn exp_f32<O: MathOps>(o: &mut O, x: O::F32) -> O::F32 {
    let xc = clamp32(o, x, -104.0, 89.0);
    let (n, hi, tail) = exp_parts32(o, xc);
    let mant = o.f32_add(hi, tail);
    let res = scale_by_pow2(o, mant, n);
    unless_nan32(o, x, res)
}

/// `v 2^n` for an integral `n` in `[-150, 128]`, as `v 2^n1 2^n2` with
/// both factors within the normal exponents: exact unless the result is
/// subnormal (then rounded once) or overflows.
fn scale_by_pow2<O: MathOps>(o: &mut O, v: O::F32, n: O::F32) -> O::F32 {
    let half = o.f32_const(0.5);
    let n_half = o.f32_mul(n, half);
    let n1 = round32(o, n_half);
    let n2 = o.f32_sub(n, n1);
    let s1 = o.f32_pow2(n1);
    let s2 = o.f32_pow2(n2);
    let scaled = o.f32_mul(v, s1);
    o.f32_mul(scaled, s2)
}

/// `e^y = 2^n (hi + tail)` in `f32`, for `y` in `[-104, 89]`: `n` an
/// integral `f32`, `hi + tail` unrounded (within a relative 2^-26 of
/// `e^r`, `|r| <= ln2 / 2`), `hi = 1 + r` rounded and `|tail| < 0.06`.
fn exp_parts32<O: MathOps>(o: &mut O, y: O::F32) -> (O::F32, O::F32, O::F32) {
    let log2e = o.f32_const(LOG2E);
    let t = o.f32_mul(y, log2e);
    let n = round32(o, t);
    let minus_ln2_hi = o.f32_const(-LN2_HI);
    let r = o.f32_fma(n, minus_ln2_hi, y); // exact
    let minus_ln2_lo = o.f32_const(-LN2_LO);
    let r = o.f32_fma(n, minus_ln2_lo, r);
    let one = o.f32_const(1.0);
    let (hi, lo) = fast_two_sum32(o, one, r);
    let q = horner32(o, r, &Q32);
    let rr = o.f32_mul(r, r);
    let tail = o.f32_fma(rr, q, lo);
    (n, hi, tail)
}

/// `res`, or `x + x` (the NaN `x`, quieted) when `x` is NaN.
fn unless_nan32<O: MathOps>(o: &mut O, x: O::F32, res: O::F32) -> O::F32 {
    let ordered = o.f32_eq(x, x);
    let nan = o.f32_add(x, x);
    o.f32_select(ordered, res, nan)
}

/// A row of eight `f32` bit patterns.
macro_rules! row {
    ($($bits:literal),*) => { [$(f32::from_bits($bits)),*] };
}

/// `tanh`'s piecewise polynomials, one column per half binade of
/// `key = |x| 1.66 + 1` in index order ([`MathOps::f32_half_binade`]):
/// the rows are the center `m`, `g` (1 only in the interval at 0), and
/// `c0` to `c7` of `tanh(m + v) = c0 + g v + v (c1 + c2 v + ... + c7 v^6)`.
/// `fit_tanh_f32.py` beside this file made them and prints them.
#[rustfmt::skip]
static TANH_TABLES: [[f32; 8]; 10] = [
    row!(0x3F69C1D7, 0x3FC0DEDD, 0x4018386C, 0x406826DA, 0x40AA9652, 0x40FB8203, 0x00000000, 0x3EE8A49C), // m
    row!(0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x3F800000, 0x00000000), // g
    row!(0x3F38FDDB, 0x3F6807D9, 0x3F7BA362, 0x3F7FA36C, 0x3F7FFCEE, 0x3F7FFFFB, 0x00000000, 0x3ED9DA46), // c0
    row!(0x3EF4A432, 0x3E36C71A, 0x3D0A6357, 0x3B39067A, 0x38C487E0, 0x351FF2C5, 0x00000000, 0x3F51A70F), // c1
    row!(0xBEB0C8C4, 0xBE25AA02, 0xBD0806EB, 0xBB38C4B2, 0xB8C4D0CE, 0xB5204EC7, 0xB410DE84, 0xBEB2695D), // c2
    row!(0x3DB8CFCB, 0x3DB27439, 0x3CAF2AD5, 0x3AF5AB00, 0x3882B3A2, 0x34D6391B, 0xBEAAA991, 0xBDFF6E34), // c3
    row!(0x3D4CAA92, 0xBCCD4791, 0xBC2333D7, 0xBA73FB50, 0xB800225C, 0xB4503328, 0xB9351C87, 0x3E2D472C), // c4
    row!(0xBD63E1CC, 0xBB1B913C, 0x3B5F141E, 0x39C0CECA, 0x37546F93, 0x33A36A35, 0x3E0A2CB2, 0xBC41E5D3), // c5
    row!(0x3C697876, 0x3BE7D322, 0xBA38A749, 0xB9034096, 0xB6A73A9E, 0xB309EE8A, 0xBBEAC8F6, 0xBD6FB25C), // c6
    row!(0x3C18212F, 0xBB7EB82C, 0xB5A0355D, 0x3811190B, 0x35A11A4F, 0x32298526, 0xBD2635EE, 0x3C670B99), // c7
];
/// `key = |x| TANH_KEY_SCALE + 1` selects `tanh`'s interval.
const TANH_KEY_SCALE: f32 = 1.66;
/// Above this magnitude `f32` `tanh` is 1 (`1 - 2 e^(-2a)` is within half
/// an ulp of it); the last interval ends here.
const TANH_CLAMP: f32 = 9.02;

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

/// `tanh(x)` for `f32`, computed in `f32` (every lane of a vector): with
/// `a = |x|` clamped to 9.02, a polynomial of degree 7 in `v = a - m` on
/// the interval `a` falls in, eight intervals chosen by the half binade of
/// `a 1.66 + 1`, the coefficients looked up per lane
/// ([`MathOps::f32_half_binade`]: one `vpermps` each with AVX2); `x`'s
/// sign copied onto the result. 25 primitives, each a fused multiply-add
/// or cheaper (no division). Within 0.76 ulp over every finite `f32`; see
/// the module table.
pub fn tanh_f32<O: MathOps>(o: &mut O, x: O::F32) -> O::F32 {
    let ax = o.f32_abs(x);
    let a = at_most32(o, ax, TANH_CLAMP);
    let scale = o.f32_const(TANH_KEY_SCALE);
    let one = o.f32_const(1.0);
    let key = o.f32_fma(a, scale, one);
    let [m, g, c0, coefficients @ ..] = &TANH_TABLES;
    let m = o.f32_half_binade(key, m);
    // Exact: `m` is within a factor of 2 of every `a` of its interval
    // (zero in the first).
    let v = o.f32_sub(a, m);
    let g = o.f32_half_binade(key, g);
    let c0 = o.f32_half_binade(key, c0);
    let u = o.f32_fma(v, g, c0);
    let (last, rest) = coefficients.split_last().expect("coefficients");
    let mut t = o.f32_half_binade(key, last);
    for c in rest.iter().rev() {
        let c = o.f32_half_binade(key, c);
        t = o.f32_fma(t, v, c);
    }
    let magnitude = o.f32_fma(t, v, u);
    o.f32_or_sign(magnitude, x)
}

/// `1 / (1 + e^-x)` for `f32`, computed in `f32` (every lane of a vector):
/// with `t = e^-|x|` in two parts, `2^n (m + m_err)`, and `q = 1 / (1 + t)`
/// in two parts (the quotient corrected by its exact remainder), the result
/// is `q` for `x >= 0` and `t q` for `x < 0`, each rounded once (the
/// product formed at `2^0` and scaled by `2^n` in two exact steps, one
/// rounding more for a subnormal result). Both forms carry `t`'s error
/// damped by `1 / (1 + t)`. `|x|` is clamped to 104, where the result is 1
/// or rounds to 0. See the module table for measurements.
pub fn sigmoid_f32<O: MathOps>(o: &mut O, x: O::F32) -> O::F32 {
    let ax = o.f32_abs(x);
    let ac = at_most32(o, ax, 104.0);
    let y = o.f32_neg(ac);
    let (n, hi, tail) = exp_parts32(o, y);
    let (m, m_err) = fast_two_sum32(o, hi, tail);
    // d = 1 + t = d_hi + d_lo; below 2^-64, t only needs to be tiny.
    let floor = o.f32_const(-64.0);
    let too_small = o.f32_lt(n, floor);
    let n_d = o.f32_select(too_small, floor, n);
    let scale = o.f32_pow2(n_d);
    let t_hi = o.f32_mul(m, scale);
    let t_lo = o.f32_mul(m_err, scale);
    let one = o.f32_const(1.0);
    let (d_hi, d_err) = fast_two_sum32(o, one, t_hi);
    let d_lo = o.f32_add(d_err, t_lo);
    let q_hi = o.f32_div(one, d_hi);
    let neg_q = o.f32_neg(q_hi);
    let rem = o.f32_fma(neg_q, d_hi, one);
    let rem = o.f32_fma(neg_q, d_lo, rem);
    let q_lo = o.f32_mul(rem, q_hi);
    let positive = o.f32_add(q_hi, q_lo);
    // t q at 2^0: (m + m_err)(q_hi + q_lo), the leading product exact.
    let p = o.f32_mul(m, q_hi);
    let neg_p = o.f32_neg(p);
    let p_err = o.f32_fma(m, q_hi, neg_p);
    let cross = o.f32_mul(m_err, q_hi);
    let low = o.f32_fma(m, q_lo, cross);
    let low = o.f32_add(p_err, low);
    let u = o.f32_add(p, low);
    let negative = scale_by_pow2(o, u, n);
    let zero = o.f32_const(0.0);
    let is_negative = o.f32_lt(x, zero);
    let res = o.f32_select(is_negative, negative, positive);
    unless_nan32(o, x, res)
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
