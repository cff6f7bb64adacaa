//! `f32` `ln`, `log2`, `log10` and `ln_1p` through one short logarithm
//! kernel in `f64`, as `expf.rs` does for the exponentials.
//!
//! * [`log_short`]: every non-zero `f32`, widened, is a normal `f64`, so
//!   `x = 2^k m` with `m` in `[sqrt(1/2), sqrt(2))` comes from the bit
//!   pattern alone: `k` is the difference of `x`'s pattern and
//!   `sqrt(1/2)`'s, shifted right by 52 (the patterns of positive floats
//!   are ordered as their values), and `m` is `x` with `k` taken from its
//!   exponent. Then `f = m - 1` (exact), `s = f / (2 + f)` in
//!   `[-0.1716, 0.1716]` and `ln m = 2 atanh(s) = 2s + 2s z R(z)`,
//!   `z = s^2`, with `R` a degree-3 polynomial fitted for the relative
//!   error of `ln m` (below 2^-37.6; `fit_f32_kernels.py` beside this file made
//!   and checks it).
//! * `ln`: `k ln2 + ln m`; the two terms cancel by at most a factor of 2
//!   (`k = -1`, `m` near `sqrt(2)`), and for `k = 0` the result is `ln m`
//!   itself, accurate relative to itself near `x = 1`.
//! * `log2`: `k + ln m / ln2`, exact at powers of two (`m = 1`, `ln m = 0`).
//! * `log10`: `k log10(2) + ln m / ln10`; exact at the powers of ten an
//!   `f32` holds, since the error is far below the final rounding's.
//! * `ln_1p`: `u = 1 + x` rounded in `f64`, its rounding error
//!   `c = x - (u - 1)` (exact), and `ln(1 + x) = ln u + c / u` to far
//!   more than `f32` precision, with `c / u` taken as `c` below `u = 2`
//!   and as 0 above (no second division); a zero argument is returned
//!   itself (`ln_1p(-0) = -0`).
//!
//! Special values as `explog.rs`'s `log_specials`: `ln(±0) = -inf`,
//! negative arguments give NaN, `ln(inf) = inf`, NaN in gives the input
//! NaN out. `ln` 39 primitives instead of 66 (one division either way).

use super::MathOps;
use super::dd::horner;
use super::explog::log_specials;

/// The bit pattern of `sqrt(1/2)` rounded to `f64`.
const SQRT_HALF_BITS: i64 = 0x3FE6_A09E_667F_3BCD;

/// `(atanh(s) / s - 1) / s^2` as a polynomial in `z = s^2` on
/// `|s| <= 0.1716` (relative error of `2s + 2s z R(z)` below 2^-37.6),
/// lowest degree first: `fit_f32_kernels.py`.
const R: [f64; 4] = [
    0.3333333282411334,
    0.20000167316371037,
    0.14268670229192604,
    0.11790800562880899,
];

/// `x = 2^k m` as `(k, ln m)`, `k` as an `f64`, for `x` a positive finite
/// normal `f64`; unspecified values for others (the callers select the
/// special values instead).
fn log_short<O: MathOps>(o: &mut O, x: O::F) -> (O::F, O::F) {
    let bits = o.f_to_bits(x);
    let base = o.iconst(SQRT_HALF_BITS);
    let above = o.isub(bits, base);
    let k = o.ishr_s(above, 52);
    let exponent = o.ishl(k, 52);
    let m_bits = o.isub(bits, exponent);
    let m = o.bits_to_f(m_bits);
    let one = o.fconst(1.0);
    let two = o.fconst(2.0);
    let f = o.fsub(m, one); // exact
    let den = o.fadd(f, two);
    let s = o.fdiv(f, den);
    let z = o.fmul(s, s);
    let r = horner(o, z, &R);
    let zr = o.fmul(z, r);
    let szr = o.fmul(s, zr);
    let half = o.fadd(s, szr);
    let ln_m = o.fadd(half, half);
    let kf = o.i_to_f(k);
    (kf, ln_m)
}

/// `k a + ln m * b`, the special values of `x` selected, rounded to `f32`.
fn combine<O: MathOps>(o: &mut O, x: O::F, (k, ln_m): (O::F, O::F), a: f64, b: f64) -> O::F32 {
    let a = o.fconst(a);
    let b = o.fconst(b);
    let ka = o.fmul(k, a);
    let lb = o.fmul(ln_m, b);
    let res = o.fadd(ka, lb);
    let res = log_specials(o, x, res);
    o.f64_to_f32(res)
}

/// `ln(x)` for `f32`. See the module table for measurements.
pub fn ln_f32<O: MathOps>(o: &mut O, x: O::F32) -> O::F32 {
    let x = o.f32_to_f64(x);
    let parts = log_short(o, x);
    combine(o, x, parts, std::f64::consts::LN_2, 1.0)
}

/// `log2(x)` for `f32`, exact at powers of two. See the module table.
pub fn log2_f32<O: MathOps>(o: &mut O, x: O::F32) -> O::F32 {
    let x = o.f32_to_f64(x);
    let parts = log_short(o, x);
    combine(o, x, parts, 1.0, std::f64::consts::LOG2_E)
}

/// `log10(x)` for `f32`, exact at powers of ten. See the module table.
pub fn log10_f32<O: MathOps>(o: &mut O, x: O::F32) -> O::F32 {
    let x = o.f32_to_f64(x);
    let parts = log_short(o, x);
    combine(
        o,
        x,
        parts,
        std::f64::consts::LOG10_2,
        std::f64::consts::LOG10_E,
    )
}

/// `ln(1 + x)` for `f32`. See the module table for measurements.
pub fn ln_1p_f32<O: MathOps>(o: &mut O, x: O::F32) -> O::F32 {
    let x = o.f32_to_f64(x);
    let one = o.fconst(1.0);
    let u = o.fadd(one, x);
    let u1 = o.fsub(u, one);
    let c = o.fsub(x, u1); // exact: the rounding error of `1 + x`
    let (k, ln_m) = log_short(o, u);
    let ln2 = o.fconst(std::f64::consts::LN_2);
    let kl = o.fmul(k, ln2);
    let ln_u = o.fadd(kl, ln_m);
    // `c / u` to within `c |1 - 1/u| <= 2^-53 |ln u|` for `u < 2`, and
    // below 2^-53 of `ln u` for `u >= 2`.
    let two = o.fconst(2.0);
    let below_two = o.flt(u, two);
    let zero = o.fconst(0.0);
    let cu = o.fselect(below_two, c, zero);
    let res = o.fadd(ln_u, cu);
    let res = log_specials(o, u, res);
    let is_zero = o.feq(x, zero);
    let res = o.fselect(is_zero, x, res);
    let nan = o.funord(x, x);
    let res = o.fselect(nan, x, res);
    o.f64_to_f32(res)
}
