//! `powf` and `cbrt`, for `f64` and (computed in `f64`) for `f32`.
//!
//! * `powf` (fdlibm `e_pow.c`, branch-free): `log2|x|` in two pieces
//!   `t1 + t2` (`t1` with 21 significant bits) from the series in
//!   `s = (x - b)/(x + b)`, `b` = 1 or 1.5 by the interval of the
//!   significand; `y log2|x| = p_h + p_l` with `y` split the same way so that
//!   `p_h` is exact; over- and underflow decided on that sum; `2^(p_h + p_l)`
//!   as `2^n e^r`, `|r| <= ln2 / 2`, with fdlibm's `exp` kernel, scaled by
//!   two exact powers of two so that one rounding gives infinities and
//!   subnormals. `|y|` is clamped to 2^64 first: beyond it every `x != 1`
//!   over- or underflows, as fdlibm's huge-`y` branch decides. Special
//!   values follow C99 `pow` (and Rust's `powf`): `pow(x, ±0) = 1` even for
//!   NaN `x`, `pow(1, y) = 1` even for NaN `y`, `pow(-1, ±inf) = 1`, a
//!   negative `x` gives NaN unless `y` is an integer, the sign is negative
//!   for a negative `x` (also `-0` and `-inf`) and an odd integer `y`;
//!   zeros and infinities of `x` or `y` give the limits of `|x|^y`.
//! * `cbrt` (fdlibm `s_cbrt.c` as revised in FreeBSD): a 5-bit estimate from
//!   the exponent divided by 3 (done in `f64`: `floor(hx / 3)` as
//!   `round((hx - 1) / 3)`), a degree-4 polynomial to 23 bits, rounded away
//!   from zero to 23 bits so that its square is exact, and one Newton step.
//!   Subnormals are scaled by 2^54 first; `±0`, `±inf` and NaN return `x`.

use super::dd::horner;
use super::explog::{EXP_P, clamp, pow2};
use super::{MathOps, in_f64, in_f64_2};

const DP_H: f64 = f64::from_bits(0x3FE2_B803_4000_0000);
const DP_L: f64 = f64::from_bits(0x3E4C_FDEB_43CF_D006);
/// fdlibm `e_pow.c` L1..L6.
const POW_L: [f64; 6] = [
    f64::from_bits(0x3FE3_3333_3333_3303),
    f64::from_bits(0x3FDB_6DB6_DB6F_ABFF),
    f64::from_bits(0x3FD5_5555_518F_264D),
    f64::from_bits(0x3FD1_7460_A91D_4101),
    f64::from_bits(0x3FCD_864A_93C9_DB65),
    f64::from_bits(0x3FCA_7E28_4A45_4EEF),
];
const LG2: f64 = f64::from_bits(0x3FE6_2E42_FEFA_39EF);
const LG2_H: f64 = f64::from_bits(0x3FE6_2E43_0000_0000);
const LG2_L: f64 = f64::from_bits(0xBE20_5C61_0CA8_6C39);
/// `-(1024 - log2(MAX + ulp/2))`.
const OVT: f64 = 8.008_566_259_537_294e-17;
/// `2 / (3 ln2)`, and in two parts.
const CP: f64 = f64::from_bits(0x3FEE_C709_DC3A_03FD);
const CP_H: f64 = f64::from_bits(0x3FEE_C709_E000_0000);
const CP_L: f64 = f64::from_bits(0xBE3E_2FE0_145B_01F5);

/// fdlibm `s_cbrt.c`: `(1023 - 1023/3 - 0.03306235651) * 2^20`, and the same
/// for inputs scaled by 2^54.
const CBRT_B1: i64 = 715_094_163;
const CBRT_B2: i64 = 696_219_795;
/// `|1/cbrt(x) - p(x)| < 2^-23.5`.
const CBRT_P: [f64; 5] = [
    f64::from_bits(0x3FFE_03E6_0F61_E692),
    f64::from_bits(0xBFFE_28E0_92F0_2420),
    f64::from_bits(0x3FF9_F160_4A49_D6C2),
    f64::from_bits(0xBFE8_44CB_BEE7_51D9),
    f64::from_bits(0x3FC2_B000_D4E4_EDD7),
];

/// `a` with the low 32 bits of its pattern cleared.
fn high_word<O: MathOps>(o: &mut O, a: O::F) -> O::F {
    let b = o.f_to_bits(a);
    let mask = o.iconst(!0xFFFF_FFFF);
    let b = o.iand(b, mask);
    o.bits_to_f(b)
}

/// `log2(ax) = t1 + t2` for positive finite `ax` (fdlibm's pow), `t1` with
/// its low word zero. Meaningless (but never trapping) for other inputs.
fn log2_split<O: MathOps>(o: &mut O, ax: O::F) -> (O::F, O::F) {
    let min_pos = o.fconst(f64::MIN_POSITIVE);
    let sub = o.flt(ax, min_pos);
    let two53 = o.fconst(9_007_199_254_740_992.0);
    let scaled = o.fmul(ax, two53);
    let axs = o.fselect(sub, scaled, ax);
    let m53 = o.fconst(-53.0);
    let zero = o.fconst(0.0);
    let nadj = o.fselect(sub, m53, zero);
    let bits = o.f_to_bits(axs);
    let ix = o.ishr_u(bits, 32);
    let e = o.ishr_u(ix, 20);
    let bias = o.iconst(0x3ff);
    let n = o.isub(e, bias);
    let fmask = o.iconst(0xfffff);
    let j = o.iand(ix, fmask);
    // |x| < sqrt(3/2): b = 1; < sqrt(3): b = 1.5; else b = 1 for x / 2.
    let lim1 = o.iconst(0x3988F);
    let lim2 = o.iconst(0xBB67A);
    let c1 = o.ilt(j, lim1);
    let c2 = o.ilt(j, lim2);
    let nc1 = o.mnot(c1);
    let k1 = o.mand(nc1, c2);
    let wrap = o.mnot(c2);
    let one_i = o.iconst(1);
    let zero_i = o.iconst(0);
    let inc = o.iselect(wrap, one_i, zero_i);
    let n = o.iadd(n, inc);
    let one_hw = o.iconst(0x3ff0_0000);
    let ixn = o.ior(j, one_hw);
    let step = o.iconst(0x10_0000);
    let dec = o.iselect(wrap, step, zero_i);
    let ixn = o.isub(ixn, dec);
    let hi = o.ishl(ixn, 32);
    let lmask = o.iconst(0xFFFF_FFFF);
    let lo = o.iand(bits, lmask);
    let axb = o.ior(hi, lo);
    let axn = o.bits_to_f(axb);
    let one = o.fconst(1.0);
    let c15 = o.fconst(1.5);
    let bp = o.fselect(k1, c15, one);
    let dph = o.fconst(DP_H);
    let dp_h = o.fselect(k1, dph, zero);
    let dpl = o.fconst(DP_L);
    let dp_l = o.fselect(k1, dpl, zero);
    // ss = s_h + s_l = (x - b) / (x + b)
    let u = o.fsub(axn, bp);
    let den = o.fadd(axn, bp);
    let v = o.fdiv(one, den);
    let ss = o.fmul(u, v);
    let s_h = high_word(o, ss);
    // t_h = x + b, high part only.
    let th = o.ishr_u(ixn, 1);
    let c2000 = o.iconst(0x2000_0000);
    let th = o.ior(th, c2000);
    let c8 = o.iconst(0x0008_0000);
    let th = o.iadd(th, c8);
    let k18 = o.iconst(1 << 18);
    let kk = o.iselect(k1, k18, zero_i);
    let th = o.iadd(th, kk);
    let th = o.ishl(th, 32);
    let t_h = o.bits_to_f(th);
    let tb = o.fsub(t_h, bp);
    let t_l = o.fsub(axn, tb);
    let a = o.fmul(s_h, t_h);
    let a = o.fsub(u, a);
    let b = o.fmul(s_h, t_l);
    let a = o.fsub(a, b);
    let s_l = o.fmul(v, a);
    // log(x)
    let s2 = o.fmul(ss, ss);
    let s4 = o.fmul(s2, s2);
    let p = horner(o, s2, &POW_L);
    let r = o.fmul(s4, p);
    let sh_ss = o.fadd(s_h, ss);
    let corr = o.fmul(s_l, sh_ss);
    let r = o.fadd(r, corr);
    let s2 = o.fmul(s_h, s_h);
    let three = o.fconst(3.0);
    let t = o.fadd(three, s2);
    let t = o.fadd(t, r);
    let t_h = high_word(o, t);
    let t = o.fsub(t_h, three);
    let t = o.fsub(t, s2);
    let t_l = o.fsub(r, t);
    let u = o.fmul(s_h, t_h);
    let a = o.fmul(s_l, t_h);
    let b = o.fmul(t_l, ss);
    let v = o.fadd(a, b);
    let p = o.fadd(u, v);
    let p_h = high_word(o, p);
    let d = o.fsub(p_h, u);
    let p_l = o.fsub(v, d);
    let cph = o.fconst(CP_H);
    let z_h = o.fmul(cph, p_h);
    let cpl = o.fconst(CP_L);
    let cp = o.fconst(CP);
    let a = o.fmul(cpl, p_h);
    let b = o.fmul(p_l, cp);
    let a = o.fadd(a, b);
    let z_l = o.fadd(a, dp_l);
    let nf = o.i_to_f(n);
    let t = o.fadd(nf, nadj);
    let a = o.fadd(z_h, z_l);
    let a = o.fadd(a, dp_h);
    let a = o.fadd(a, t);
    let t1 = high_word(o, a);
    let b = o.fsub(t1, t);
    let b = o.fsub(b, dp_h);
    let b = o.fsub(b, z_h);
    let t2 = o.fsub(z_l, b);
    (t1, t2)
}

/// `2^(p_h + p_l)` for `|p_h + p_l| <= 1075` (fdlibm's pow), with
/// `p_h - n` exact for the integer `n` nearest the sum.
fn exp2_split<O: MathOps>(o: &mut O, p_h: O::F, p_l: O::F, z: O::F) -> O::F {
    let nf = o.round_ties_even(z);
    let p_h = o.fsub(p_h, nf);
    let t = o.fadd(p_l, p_h);
    let t = high_word(o, t);
    let lg2h = o.fconst(LG2_H);
    let u = o.fmul(t, lg2h);
    let d = o.fsub(t, p_h);
    let d = o.fsub(p_l, d);
    let lg2 = o.fconst(LG2);
    let a = o.fmul(d, lg2);
    let lg2l = o.fconst(LG2_L);
    let b = o.fmul(t, lg2l);
    let v = o.fadd(a, b);
    let z = o.fadd(u, v);
    let d = o.fsub(z, u);
    let w = o.fsub(v, d);
    let t = o.fmul(z, z);
    let p = horner(o, t, &EXP_P);
    let tp = o.fmul(t, p);
    let t1 = o.fsub(z, tp);
    let zt = o.fmul(z, t1);
    let two = o.fconst(2.0);
    let den = o.fsub(t1, two);
    let q = o.fdiv(zt, den);
    let zw = o.fmul(z, w);
    let wz = o.fadd(w, zw);
    let r = o.fsub(q, wz);
    let one = o.fconst(1.0);
    let rz = o.fsub(r, z);
    let z = o.fsub(one, rz);
    let n = o.f_to_i(nf);
    let n1 = o.ishr_s(n, 1);
    let n2 = o.isub(n, n1);
    let s1 = pow2(o, n1);
    let s2 = pow2(o, n2);
    let z = o.fmul(z, s1);
    o.fmul(z, s2)
}

fn mor<O: MathOps>(o: &mut O, a: O::M, b: O::M) -> O::M {
    let na = o.mnot(a);
    let nb = o.mnot(b);
    let n = o.mand(na, nb);
    o.mnot(n)
}

/// Whether `y` is an integer, and whether an odd one (`±inf` and every
/// `|y| >= 2^53` count as even integers).
fn integer_parity<O: MathOps>(o: &mut O, y: O::F) -> (O::M, O::M) {
    let ay = o.fabs(y);
    let c52 = o.fconst(4_503_599_627_370_496.0);
    let lt52 = o.flt(ay, c52);
    // Below 2^52, ay + 2^52 rounds ay to an integer in the units bit.
    let shifted = o.fadd(ay, c52);
    let s = o.fselect(lt52, shifted, ay);
    let back = o.fsub(shifted, c52);
    let same = o.feq(back, ay);
    let not_same = o.mnot(same);
    let fractional = o.mand(lt52, not_same);
    let integral = o.mnot(fractional);
    let sb = o.f_to_bits(s);
    let one = o.iconst(1);
    let low = o.iand(sb, one);
    let low_set = o.ieq(low, one);
    let c53 = o.fconst(9_007_199_254_740_992.0);
    let lt53 = o.flt(ay, c53);
    let odd = o.mand(integral, lt53);
    let odd = o.mand(odd, low_set);
    (integral, odd)
}

/// `x^y` for `f64` (fdlibm `e_pow.c`). See the module table for
/// measurements.
pub fn powf_f64<O: MathOps>(o: &mut O, x: O::F, y: O::F) -> O::F {
    let zero = o.fconst(0.0);
    let one = o.fconst(1.0);
    let inf = o.fconst(f64::INFINITY);
    let ax = o.fabs(x);
    let two64 = f64::from_bits(0x43F0_0000_0000_0000);
    let yc = clamp(o, y, -two64, two64);
    let (t1, t2) = log2_split(o, ax);
    // y log2|x| = p_h + p_l, p_h exact.
    let y1 = high_word(o, yc);
    let y2 = o.fsub(yc, y1);
    let a = o.fmul(y2, t1);
    let b = o.fmul(yc, t2);
    let p_l = o.fadd(a, b);
    let p_h = o.fmul(y1, t1);
    let z = o.fadd(p_l, p_h);
    let c1024 = o.fconst(1024.0);
    let c1075 = o.fconst(-1075.0);
    let zmh = o.fsub(z, p_h);
    let above = o.flt(c1024, z);
    let at = o.feq(z, c1024);
    let ovt = o.fconst(OVT);
    let plo = o.fadd(p_l, ovt);
    let rounds_up = o.flt(zmh, plo);
    let at_over = o.mand(at, rounds_up);
    let not_above = o.mnot(above);
    let not_at_over = o.mnot(at_over);
    let fits_top = o.mand(not_above, not_at_over);
    let below = o.flt(z, c1075);
    let at = o.feq(z, c1075);
    let rounds_down = o.fle(p_l, zmh);
    let at_under = o.mand(at, rounds_down);
    let not_below = o.mnot(below);
    let not_at_under = o.mnot(at_under);
    let fits_bottom = o.mand(not_below, not_at_under);
    let fits = o.mand(fits_top, fits_bottom);
    let p_h = o.fselect(fits, p_h, zero);
    let p_l = o.fselect(fits, p_l, zero);
    let zf = o.fselect(fits, z, zero);
    let mag = exp2_split(o, p_h, p_l, zf);
    let mag = o.fselect(fits, mag, zero);
    let over = o.mnot(fits_top);
    let mag = o.fselect(over, inf, mag);
    // |x| = 0 or inf, or y = ±inf: the limit of |x|^y.
    let big_base = o.flt(one, ax);
    let ny = o.fneg(y);
    let dir = o.fselect(big_base, y, ny);
    let grows = o.flt(zero, dir);
    let limit = o.fselect(grows, inf, zero);
    let x_zero = o.feq(ax, zero);
    let x_inf = o.feq(ax, inf);
    let ay = o.fabs(y);
    let y_inf = o.feq(ay, inf);
    let is_edge = mor(o, x_zero, x_inf);
    let is_edge = mor(o, is_edge, y_inf);
    let mag = o.fselect(is_edge, limit, mag);
    let ax_one = o.feq(ax, one);
    let mag = o.fselect(ax_one, one, mag);
    // The sign, and NaN for a negative finite x and a non-integral y.
    let (integral, odd) = integer_parity(o, y);
    let xb = o.f_to_bits(x);
    let zero_i = o.iconst(0);
    let x_neg = o.ilt(xb, zero_i);
    let flip = o.mand(x_neg, odd);
    let nmag = o.fneg(mag);
    let res = o.fselect(flip, nmag, mag);
    let x_finite = o.mnot(x_inf);
    let bad = o.mand(x_neg, x_finite);
    let not_integral = o.mnot(integral);
    let bad = o.mand(bad, not_integral);
    let not_zero = o.mnot(x_zero);
    let bad = o.mand(bad, not_zero);
    let qnan = o.fconst(f64::NAN);
    let res = o.fselect(bad, qnan, res);
    // NaN operands (x itself if NaN, else y), then the exact cases.
    let y_nan = o.funord(y, y);
    let res = o.fselect(y_nan, y, res);
    let x_nan = o.funord(x, x);
    let res = o.fselect(x_nan, x, res);
    let x_one = o.feq(x, one);
    let res = o.fselect(x_one, one, res);
    let m_one = o.fconst(-1.0);
    let x_m_one = o.feq(x, m_one);
    let m_one_inf = o.mand(x_m_one, y_inf);
    let res = o.fselect(m_one_inf, one, res);
    let y_zero = o.feq(y, zero);
    o.fselect(y_zero, one, res)
}

/// `x^y` for `f32`, computed in `f64` and rounded once.
pub fn powf_f32<O: MathOps>(o: &mut O, x: O::F32, y: O::F32) -> O::F32 {
    in_f64_2(o, x, y, powf_f64)
}

/// `cbrt(x)` for `f64` (fdlibm `s_cbrt.c`). See the module table for
/// measurements.
pub fn cbrt_f64<O: MathOps>(o: &mut O, x: O::F) -> O::F {
    let ax = o.fabs(x);
    let min_pos = o.fconst(f64::MIN_POSITIVE);
    let sub = o.flt(ax, min_pos);
    let two54 = o.fconst(18_014_398_509_481_984.0);
    let scaled = o.fmul(ax, two54);
    let axs = o.fselect(sub, scaled, ax);
    let bits = o.f_to_bits(axs);
    let hx = o.ishr_u(bits, 32);
    // floor(hx / 3) = round((hx - 1) / 3) for 0 < hx < 2^31.
    let hf = o.i_to_f(hx);
    let one = o.fconst(1.0);
    let hf = o.fsub(hf, one);
    let third = o.fconst(1.0 / 3.0);
    let q = o.fmul(hf, third);
    let q = o.round_ties_even(q);
    let q = o.f_to_i(q);
    let b1 = o.iconst(CBRT_B1);
    let b2 = o.iconst(CBRT_B2);
    let bias = o.iselect(sub, b2, b1);
    let th = o.iadd(q, bias);
    let th = o.ishl(th, 32);
    let xb = o.f_to_bits(x);
    let sign = o.iconst(i64::MIN);
    let sb = o.iand(xb, sign);
    let th = o.ior(th, sb);
    let t = o.bits_to_f(th);
    // To 23 bits: t * P(t^3 / x).
    let tt = o.fmul(t, t);
    let tx = o.fdiv(t, x);
    let r = o.fmul(tt, tx);
    let a = horner(o, r, &CBRT_P[..3]);
    let rr = o.fmul(r, r);
    let rrr = o.fmul(rr, r);
    let b = horner(o, r, &CBRT_P[3..]);
    let b = o.fmul(rrr, b);
    let p = o.fadd(a, b);
    let t = o.fmul(t, p);
    // Round away from zero to 23 bits.
    let tb = o.f_to_bits(t);
    let half = o.iconst(0x8000_0000);
    let tb = o.iadd(tb, half);
    let mask = o.iconst(0xFFFF_FFFF_C000_0000_u64 as i64);
    let tb = o.iand(tb, mask);
    let t = o.bits_to_f(tb);
    // One Newton step.
    let s = o.fmul(t, t);
    let r = o.fdiv(x, s);
    let w = o.fadd(t, t);
    let num = o.fsub(r, t);
    let den = o.fadd(w, r);
    let r = o.fdiv(num, den);
    let tr = o.fmul(t, r);
    let res = o.fadd(t, tr);
    // ±0, ±inf and NaN are their own cube roots.
    let zero = o.fconst(0.0);
    let inf = o.fconst(f64::INFINITY);
    let is_zero = o.feq(ax, zero);
    let res = o.fselect(is_zero, x, res);
    let is_inf = o.feq(ax, inf);
    let res = o.fselect(is_inf, x, res);
    let nan = o.funord(x, x);
    o.fselect(nan, x, res)
}

/// `cbrt(x)` for `f32`, computed in `f64` and rounded once.
pub fn cbrt_f32<O: MathOps>(o: &mut O, x: O::F32) -> O::F32 {
    in_f64(o, x, cbrt_f64)
}
