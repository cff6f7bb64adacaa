//! `exp`, `exp2`, `ln`, `log2` and `tanh` for `f64` (the `f32` forms are
//! in `expf.rs` and `logf.rs`).
//!
//! * `exp`: `x = k ln2 + r`, `|r| <= ln2 / 2`, with `ln2` split in two parts
//!   so that `k * LN2_HI` is exact; fdlibm's rational form
//!   `exp(r) = 1 + r + r c / (2 - c)`; the scaling by `2^k` is done with two
//!   exact powers of two (`2^(k >> 1)` and `2^(k - (k >> 1))`) so that one
//!   rounding produces an overflow to infinity or a correctly rounded
//!   subnormal. The argument is clamped to `[-746, 710]` first, which keeps
//!   `k` in range for every input and turns `±inf` into the right limits.
//! * `ln`: subnormals are scaled by `2^54`; `x = 2^k (1 + f)` with
//!   `sqrt(2)/2 <= 1 + f < sqrt(2)`; `ln(1 + f)` from fdlibm's series in
//!   `s = f / (2 + f)`, in its two forms (the `hfsq` form near `sqrt(2)`).
//! * `tanh`: for `|x| < 0.5625` the odd polynomial `x + x z P(z)`, `z = x^2`
//!   (a degree-11 Chebyshev fit of `(tanh(x)/x - 1)/z`, relative error below
//!   2^-62); above, `1 - 2 / (exp(2|x|) + 1)` with `exp` kept unrounded as
//!   `2^k (1 + u_hi + u_lo)` and the division done in double-double (a plain
//!   evaluation loses up to 2 ulp near `|x| = 0.8`); the sign is copied from
//!   `x`.

use super::MathOps;
use super::dd::{horner, two_prod, two_sum};
use super::inverse::copy_sign;

pub(super) const LN2_HI: f64 = f64::from_bits(0x3FE6_2E42_FEE0_0000);
pub(super) const LN2_LO: f64 = f64::from_bits(0x3DEA_39EF_3579_3C76);
const INV_LN2: f64 = f64::from_bits(0x3FF7_1547_652B_82FE);
/// `ln 2` rounded, and the rounded remainder.
const LN2: f64 = f64::from_bits(0x3FE6_2E42_FEFA_39EF);
const LN2_TAIL: f64 = f64::from_bits(0x3C7A_BC9E_3B39_803F);
/// `1/ln 2` in two parts, the first with 32 significant bits (fdlibm).
const IVLN2_HI: f64 = f64::from_bits(0x3FF7_1547_6520_0000);
const IVLN2_LO: f64 = f64::from_bits(0x3DE7_05FC_2EEF_A200);
/// fdlibm `e_exp.c` P1..P5.
pub(super) const EXP_P: [f64; 5] = [
    0.16666666666666602,
    -0.0027777777777015593,
    6.613756321437934e-05,
    -1.6533902205465252e-06,
    4.1381367970572385e-08,
];
/// fdlibm `e_log.c` Lg1..Lg7.
pub(super) const LG: [f64; 7] = [
    0.6666666666666735,
    0.3999999999940942,
    0.2857142874366239,
    0.22222198432149784,
    0.1818357216161805,
    0.15313837699209373,
    0.14798198605116586,
];
/// `(tanh(x)/x - 1) / x^2` as a polynomial in `z = x^2` on `[0, 0.5625^2]`,
/// lowest degree first.
const TANH_P: [f64; 12] = [
    -0.333_333_333_333_333_3,
    0.133_333_333_333_333,
    -0.053_968_253_968_202_91,
    0.021_869_488_533_130_33,
    -0.008_863_235_437_120_377,
    0.003_592_126_352_822_234,
    -0.001_455_814_943_624_965_4,
    0.000_589_878_818_750_234_1,
    -0.000_238_364_590_393_762_14,
    9.427778828319503e-05,
    -3.333062013997152e-05,
    7.634414185118713e-06,
];
const TANH_SMALL: f64 = 0.5625;

/// `2^k` for an integer `k` in `[-1022, 1023]`, from its bit pattern.
pub(super) fn pow2<O: MathOps>(o: &mut O, k: O::I) -> O::F {
    let bias = o.iconst(1023);
    let e = o.iadd(k, bias);
    let b = o.ishl(e, 52);
    o.bits_to_f(b)
}

/// The reduced pieces of `e^x`: `e^x = 2^k (1 + (hi - w))` with `w = lo - q`,
/// the sum `hi - w` not yet rounded. `x` must already lie in `[-746, 710]`
/// (or be NaN).
pub(super) struct ExpParts<O: MathOps> {
    pub(super) k: O::F,
    pub(super) hi: O::F,
    pub(super) w: O::F,
}

/// fdlibm's exp kernel on `r = hi - lo`, `|r| <= ln2 / 2`: returns
/// `w = lo - r c / (2 - c)` with `e^r = 1 + (hi - w)`.
fn exp_kernel<O: MathOps>(o: &mut O, hi: O::F, lo: O::F) -> O::F {
    let r = o.fsub(hi, lo);
    // c = r - r^2 (P1 + r^2 (P2 + ...)); exp(r) = 1 - ((lo - r c / (2 - c)) - hi)
    let rr = o.fmul(r, r);
    let p = horner(o, rr, &EXP_P);
    let rrp = o.fmul(rr, p);
    let c = o.fsub(r, rrp);
    let two = o.fconst(2.0);
    let rc = o.fmul(r, c);
    let den = o.fsub(two, c);
    let q = o.fdiv(rc, den);
    o.fsub(lo, q)
}

/// `x = k ln2 + (hi - lo)` as `(k, hi, lo)`: `k` the integer nearest
/// `x / ln2` (as an `f64`), `hi = x - k LN2_HI` exact, `lo = k LN2_LO`.
pub(super) fn exp_reduce<O: MathOps>(o: &mut O, x: O::F) -> (O::F, O::F, O::F) {
    let inv = o.fconst(INV_LN2);
    let t = o.fmul(x, inv);
    let k = o.round_ties_even(t);
    let c_hi = o.fconst(LN2_HI);
    let c_lo = o.fconst(LN2_LO);
    let kh = o.fmul(k, c_hi);
    let hi = o.fsub(x, kh); // exact
    let lo = o.fmul(k, c_lo);
    (k, hi, lo)
}

pub(super) fn exp_parts<O: MathOps>(o: &mut O, xc: O::F) -> ExpParts<O> {
    let (kf, hi, lo) = exp_reduce(o, xc);
    let w = exp_kernel(o, hi, lo);
    ExpParts { k: kf, hi, w }
}

/// `(1 - (w - hi)) * 2^k` for integral `k` in `[-2044, 2046]`, with one
/// rounding (overflow to inf, correctly rounded subnormals).
fn exp_finish<O: MathOps>(o: &mut O, ExpParts { k, hi, w }: ExpParts<O>) -> O::F {
    let one = o.fconst(1.0);
    let u = o.fsub(w, hi);
    let y = o.fsub(one, u);
    let k = o.f_to_i(k);
    let k1 = o.ishr_s(k, 1);
    let k2 = o.isub(k, k1);
    let s1 = pow2(o, k1);
    let s2 = pow2(o, k2);
    let y = o.fmul(y, s1);
    o.fmul(y, s2)
}

/// `x` clamped to `[lo, hi]`; NaN stays NaN.
pub(super) fn clamp<O: MathOps>(o: &mut O, x: O::F, lo: f64, hi: f64) -> O::F {
    let hi = o.fconst(hi);
    let lo = o.fconst(lo);
    let over = o.flt(hi, x);
    let xc = o.fselect(over, hi, x);
    let under = o.flt(xc, lo);
    o.fselect(under, lo, xc)
}

/// `e^x` for `f64`. Within 1 ulp; see the module table for measurements.
pub fn exp_f64<O: MathOps>(o: &mut O, x: O::F) -> O::F {
    let xc = clamp(o, x, -746.0, 710.0);
    let parts = exp_parts(o, xc);
    let res = exp_finish(o, parts);
    let nan = o.funord(x, x);
    o.fselect(nan, x, res)
}

/// `2^x` for `f64`: `x = k + t`, `|t| <= 1/2`, `e^(t ln2)` with `t ln2`
/// formed in double-double. Exact for integral `x`.
pub fn exp2_f64<O: MathOps>(o: &mut O, x: O::F) -> O::F {
    let xc = clamp(o, x, -1080.0, 1030.0);
    let k = o.round_ties_even(xc);
    let t = o.fsub(xc, k); // exact
    let ln2 = o.fconst(LN2);
    let (p, e) = two_prod(o, t, ln2);
    let tail = o.fconst(LN2_TAIL);
    let tt = o.fmul(t, tail);
    let lo = o.fadd(e, tt);
    let lo = o.fneg(lo);
    let w = exp_kernel(o, p, lo);
    let res = exp_finish(o, ExpParts { k, hi: p, w });
    let nan = o.funord(x, x);
    o.fselect(nan, x, res)
}

/// `x = 2^dk (1 + f)`, `sqrt(2)/2 <= 1 + f < sqrt(2)`, with fdlibm's
/// `s = f / (2 + f)` and `R(s^2)` (`ln(1 + f) = f - hfsq + s (hfsq + R)`).
/// Meaningless for `x` that is zero, negative, infinite or NaN.
pub(super) struct LogParts<O: MathOps> {
    pub(super) dk: O::F,
    pub(super) f: O::F,
    pub(super) s: O::F,
    pub(super) r: O::F,
    /// Top 20 bits of the significand of the normalised `x`.
    pub(super) hx: O::I,
}

pub(super) fn log_parts<O: MathOps>(o: &mut O, x: O::F) -> LogParts<O> {
    let (dk, f, hx) = log_reduce(o, x);
    let (s, r) = log_kernel(o, f);
    LogParts { dk, f, s, r, hx }
}

/// `ln(1 + f) = hi + lo` from [`LogParts`]' `f`, `s` and `r` (fdlibm's
/// `k_log1p` and the split of `e_log2.c`/`e_log10.c`): `hi` is `f - hfsq`
/// cut to a 21-bit head (the low 32 significand bits cleared), so its
/// products with the short `IVLN2_HI`/`IVLN10_HI` are exact.
pub(super) fn log1p_hi_lo<O: MathOps>(o: &mut O, f: O::F, s: O::F, r: O::F) -> (O::F, O::F) {
    let half = o.fconst(0.5);
    let hf = o.fmul(half, f);
    let hfsq = o.fmul(hf, f);
    let t = o.fadd(hfsq, r);
    let r = o.fmul(s, t); // k_log1p(f)
    let hi = o.fsub(f, hfsq);
    let hb = o.f_to_bits(hi);
    let mask = o.iconst(!0xFFFF_FFFF);
    let hb = o.iand(hb, mask);
    let hi = o.bits_to_f(hb);
    let lo = o.fsub(f, hi);
    let lo = o.fsub(lo, hfsq);
    let lo = o.fadd(lo, r);
    (hi, lo)
}

/// `y + val_hi + val_lo` with the rounding error of `y + val_hi` added to
/// `val_lo` before the last rounding (the end of `e_log2.c`/`e_log10.c`).
pub(super) fn add_hi_lo<O: MathOps>(o: &mut O, y: O::F, val_hi: O::F, val_lo: O::F) -> O::F {
    let w = o.fadd(y, val_hi);
    let d = o.fsub(y, w);
    let d = o.fadd(d, val_hi);
    let val_lo = o.fadd(val_lo, d);
    o.fadd(val_lo, w)
}

/// `x = 2^dk (1 + f)` with `sqrt(2)/2 <= 1 + f < sqrt(2)` (`f` exact), and
/// the top 20 significand bits of `1 + f`.
pub(super) fn log_reduce<O: MathOps>(o: &mut O, x: O::F) -> (O::F, O::F, O::I) {
    // Scale subnormals (and, harmlessly, zero and negatives) by 2^54.
    let min_pos = o.fconst(f64::MIN_POSITIVE);
    let sub = o.flt(x, min_pos);
    let two54 = o.fconst(18_014_398_509_481_984.0);
    let xs = o.fmul(x, two54);
    let xs = o.fselect(sub, xs, x);
    let m54 = o.fconst(-54.0);
    let zero = o.fconst(0.0);
    let kadj = o.fselect(sub, m54, zero);

    // x = 2^k * xn, xn in [sqrt(2)/2, sqrt(2))
    let bits = o.f_to_bits(xs);
    let eb = o.ishr_u(bits, 52);
    let c7ff = o.iconst(0x7ff);
    let eb = o.iand(eb, c7ff);
    let c1023 = o.iconst(1023);
    let k = o.isub(eb, c1023);
    let mmask = o.iconst(0x000F_FFFF_FFFF_FFFF);
    let mant = o.iand(bits, mmask);
    let c95 = o.iconst(0x95F64 << 32);
    let i = o.iadd(mant, c95);
    let bit52 = o.iconst(1 << 52);
    let i = o.iand(i, bit52);
    let one_bits = o.iconst(0x3FF0_0000_0000_0000);
    let ex = o.ixor(i, one_bits);
    let xn_bits = o.ior(mant, ex);
    let xn = o.bits_to_f(xn_bits);
    let i52 = o.ishr_u(i, 52);
    let k = o.iadd(k, i52);
    let kf = o.i_to_f(k);
    let dk = o.fadd(kf, kadj);
    let one = o.fconst(1.0);
    let f = o.fsub(xn, one);
    let hx = o.ishr_u(mant, 32);
    (dk, f, hx)
}

/// fdlibm's `s = f / (2 + f)` and `R(s^2)`, with
/// `ln(1 + f) = f - hfsq + s (hfsq + R)`.
pub(super) fn log_kernel<O: MathOps>(o: &mut O, f: O::F) -> (O::F, O::F) {
    let two = o.fconst(2.0);
    let d = o.fadd(two, f);
    let s = o.fdiv(f, d);
    let z = o.fmul(s, s);
    let w = o.fmul(z, z);
    let pe = horner(o, w, &[LG[1], LG[3], LG[5]]);
    let t1 = o.fmul(w, pe);
    let po = horner(o, w, &[LG[0], LG[2], LG[4], LG[6]]);
    let t2 = o.fmul(z, po);
    let r = o.fadd(t2, t1);
    (s, r)
}

/// The special values shared by `ln` and `log2`: 0 gives -inf, negatives
/// NaN, +inf itself, NaN itself.
pub(super) fn log_specials<O: MathOps>(o: &mut O, x: O::F, res: O::F) -> O::F {
    let zero = o.fconst(0.0);
    let inf = o.fconst(f64::INFINITY);
    let is_inf = o.feq(x, inf);
    let res = o.fselect(is_inf, inf, res);
    let is_zero = o.feq(x, zero);
    let ninf = o.fconst(f64::NEG_INFINITY);
    let res = o.fselect(is_zero, ninf, res);
    let neg = o.flt(x, zero);
    let qnan = o.fconst(f64::NAN);
    let res = o.fselect(neg, qnan, res);
    let nan = o.funord(x, x);
    o.fselect(nan, x, res)
}

/// `ln(x)` for `f64`. Within 1 ulp; see the module table for measurements.
pub fn ln_f64<O: MathOps>(o: &mut O, x: O::F) -> O::F {
    let LogParts { dk, f, s, r, hx } = log_parts(o, x);
    let c_hi = o.fconst(LN2_HI);
    let c_lo = o.fconst(LN2_LO);
    let dkh = o.fmul(dk, c_hi);
    let dkl = o.fmul(dk, c_lo);
    // Form A (f near sqrt(2) - 1): dk*ln2_hi - ((hfsq - (s*(hfsq+R) + dk*ln2_lo)) - f)
    let half = o.fconst(0.5);
    let hf = o.fmul(half, f);
    let hfsq = o.fmul(hf, f);
    let a = o.fadd(hfsq, r);
    let a = o.fmul(s, a);
    let a = o.fadd(a, dkl);
    let a = o.fsub(hfsq, a);
    let a = o.fsub(a, f);
    let res_a = o.fsub(dkh, a);
    // Form B: dk*ln2_hi - ((s*(f-R) - dk*ln2_lo) - f)
    let b = o.fsub(f, r);
    let b = o.fmul(s, b);
    let b = o.fsub(b, dkl);
    let b = o.fsub(b, f);
    let res_b = o.fsub(dkh, b);
    // Form A when the top 20 significand bits lie in (0x6147a, 0x6b851).
    let lo_b = o.iconst(0x6147A);
    let hi_b = o.iconst(0x6B851);
    let m1 = o.ilt(lo_b, hx);
    let m2 = o.ilt(hx, hi_b);
    let use_a = o.mand(m1, m2);
    let res = o.fselect(use_a, res_a, res_b);
    log_specials(o, x, res)
}

/// `log2(x)` for `f64` (fdlibm `e_log2.c`): `ln(1 + f)` is split into a
/// 21-bit head and a tail before the multiplication by `1/ln2`, and `dk` is
/// added in extra precision. Exact for powers of two.
pub fn log2_f64<O: MathOps>(o: &mut O, x: O::F) -> O::F {
    let LogParts { dk, f, s, r, .. } = log_parts(o, x);
    let (hi, lo) = log1p_hi_lo(o, f, s, r);
    let ih = o.fconst(IVLN2_HI);
    let il = o.fconst(IVLN2_LO);
    let val_hi = o.fmul(hi, ih);
    let lh = o.fadd(lo, hi);
    let a = o.fmul(lh, il);
    let b = o.fmul(lo, ih);
    let val_lo = o.fadd(a, b);
    let res = add_hi_lo(o, dk, val_hi, val_lo);
    log_specials(o, x, res)
}

/// `tanh(x)` for `f64`. See the module table for measurements.
pub fn tanh_f64<O: MathOps>(o: &mut O, x: O::F) -> O::F {
    let ax = o.fabs(x);
    // Small: ax + ax * (z * P(z)).
    let z = o.fmul(ax, ax);
    let p = horner(o, z, &TANH_P);
    let zp = o.fmul(z, p);
    let corr = o.fmul(ax, zp);
    let small = o.fadd(ax, corr);
    // Large: 1 - 2 / (e + 1), e = exp(2 ax) = 2^k (1 + u), all in
    // double-double. 2 ax is clamped to 50, where tanh rounds to 1.
    let two = o.fconst(2.0);
    let one = o.fconst(1.0);
    let ax2 = o.fmul(two, ax);
    let cap = o.fconst(50.0);
    let big = o.flt(cap, ax2);
    let ax2 = o.fselect(big, cap, ax2);
    let ExpParts { k, hi, w } = exp_parts(o, ax2);
    let nw = o.fneg(w);
    let (u_hi, u_lo) = two_sum(o, hi, nw);
    let ki = o.f_to_i(k);
    let e = pow2(o, ki);
    let d0 = o.fadd(e, one);
    let eu_hi = o.fmul(e, u_hi);
    let eu_lo = o.fmul(e, u_lo);
    let (d_hi, d_lo) = two_sum(o, d0, eu_hi);
    let d_lo = o.fadd(d_lo, eu_lo);
    // q = 2 / d in double-double.
    let q_hi = o.fdiv(two, d_hi);
    let (p, pe) = two_prod(o, q_hi, d_hi);
    let rem = o.fsub(two, p);
    let rem = o.fsub(rem, pe);
    let qd = o.fmul(q_hi, d_lo);
    let rem = o.fsub(rem, qd);
    let q_lo = o.fdiv(rem, d_hi);
    let nq = o.fneg(q_hi);
    let (s, es) = two_sum(o, one, nq);
    let t = o.fsub(es, q_lo);
    let large = o.fadd(s, t);
    let lim = o.fconst(TANH_SMALL);
    let is_small = o.flt(ax, lim);
    let res = o.fselect(is_small, small, large);
    // Copy the sign of x (res >= 0 here): keeps tanh(-0) = -0.
    let res = copy_sign(o, res, x);
    let nan = o.funord(x, x);
    o.fselect(nan, x, res)
}
