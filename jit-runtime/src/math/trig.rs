//! `sin`, `cos` and `tan` for `f64`, and `tan` (computed in `f64`) for
//! `f32`; the `f64` path of the `f32` `sin` and `cos` beyond their `f32`
//! kernels' range (`sincosf.rs`).
//!
//! # Argument reduction
//!
//! The argument is reduced to `x = n (pi/2) + y`, `|y| <~ pi/4`, with `y`
//! returned as a double-double `y0 + y1` and `n` as a float; `n mod 4` picks
//! the kernel and the sign. The medium reduction runs for every argument,
//! the large one inside [`MathOps::only_if`] (for `|x| >= 2^20` or not
//! finite), and the result is selected by `|x| < 2^20`:
//!
//! * *medium* (`|x| < 2^20`, so `|n| < 2^20`): Cody–Waite with `pi/2` split
//!   into three 33-bit parts and a 53-bit tail (fdlibm's `pio2_1`, `pio2_2`,
//!   `pio2_3`, `pio2_3t`): every `n * part` is exact, and the two
//!   subtractions that can be inexact are done with `two_sum`, so the
//!   reduction is good to about 150 bits of `pi/2` without branches.
//! * *large* (Payne–Hanek style, all in floating point): `2/pi` is stored as
//!   25-bit integer chunks. For `f64`, `x` is split into a 26-bit and a 27-bit
//!   half, the nine chunks that matter for `x`'s exponent are fetched with
//!   [`MathOps::ftable`], and every product half × chunk is exact (at most 52
//!   bits). Products that may carry bits at or above `2^2` are reduced modulo
//!   4 exactly and summed exactly in double-double, taking out the integer
//!   part as it grows; the remaining small products are summed in
//!   double-double; the fraction is multiplied by `pi/2` in double-double.
//!   For `f32` inputs (24-bit significand, `|x| < 2^128`) the first nine chunks
//!   are always enough, so no table lookup is needed at all; all nine
//!   residues are accumulated with the integer part taken out as it grows,
//!   which is accurate to about 2^-100 absolute (ample for `f32`).
//!
//! # Kernels
//!
//! fdlibm's `__kernel_sin`, `__kernel_cos` and `__kernel_tan` (FreeBSD
//! versions), written branch-free: `tan`'s two forms (near and far from
//! `pi/4`) and its `-1/tan` form are all computed and selected.

use super::dd::{dd_add, fast_two_sum, horner, two_prod, two_sum};
use super::{MathOps, in_f64};

const INVPIO2: f64 = f64::from_bits(0x3FE4_5F30_6DC9_C883);
const PIO2_1: f64 = f64::from_bits(0x3FF9_21FB_5440_0000);
const PIO2_2: f64 = f64::from_bits(0x3DD0_B461_1A60_0000);
const PIO2_3: f64 = f64::from_bits(0x3BA3_198A_2E00_0000);
const PIO2_3T: f64 = f64::from_bits(0x397B_839A_2520_49C1);
const PIO2_HI: f64 = f64::from_bits(0x3FF9_21FB_5444_2D18);
const PIO2_LO: f64 = f64::from_bits(0x3C91_A626_3314_5C07);
/// Below this magnitude the medium reduction is used.
/// Below this magnitude the medium reduction is exact and the large one is
/// skipped; code generators may test it to branch around the rare path.
pub const MEDIUM_LIMIT: f64 = 1_048_576.0; // 2^20

/// `2/pi = sum_j C[j] 2^(-25 (j+1))`, `C[j]` 25-bit integers, preceded by two
/// zero chunks (entry `j + 2` holds `C[j]`), so that arguments in
/// `[2^20, 2^54)` use the same window arithmetic as larger ones.
static TWO_OVER_PI_25: [f64; 49] = [
    0.0, 0.0, 21361414.0, 28915984.0, 11096033.0, 7699743.0, 10918840.0, 3594405.0, 13409825.0,
    26231294.0, 10667863.0, 24833813.0, 17676579.0, 14918692.0, 28990464.0, 26364858.0, 17098953.0,
    1900061.0, 30816610.0, 10919163.0, 21238191.0, 22211508.0, 9477427.0, 18614701.0, 3129120.0,
    20550102.0, 7538342.0, 15192690.0, 2292829.0, 31429251.0, 23330578.0, 33552257.0, 13371383.0,
    19861899.0, 11801818.0, 8238297.0, 32930110.0, 11574132.0, 32032748.0, 27760634.0, 18266771.0,
    29018091.0, 30139126.0, 15998183.0, 29119124.0, 19834559.0, 23852579.0, 31676226.0, 2818456.0,
];
/// Number of 25-bit chunks multiplied in the large reductions.
const CHUNKS: usize = 9;

/// fdlibm `k_sin.c` S1..S6.
const S: [f64; 6] = [
    -0.16666666666666632,
    0.00833333333332249,
    -0.0001984126982985795,
    2.7557313707070068e-06,
    -2.5050760253406863e-08,
    1.58969099521155e-10,
];
/// fdlibm `k_cos.c` C1..C6.
const C: [f64; 6] = [
    0.0416666666666666,
    -0.001388888888887411,
    2.480158728947673e-05,
    -2.7557314351390663e-07,
    2.087572321298175e-09,
    -1.1359647557788195e-11,
];
/// fdlibm `k_tan.c` T0..T12.
const T: [f64; 13] = [
    0.3333333333333341,
    0.13333333333320124,
    0.05396825397622605,
    0.021869488294859542,
    0.0088632398235993,
    0.0035920791075913124,
    0.0014562094543252903,
    0.0005880412408202641,
    0.0002464631348184699,
    7.817944429395571e-05,
    7.140724913826082e-05,
    -1.8558637485527546e-05,
    2.590730518636337e-05,
];
const PIO4: f64 = f64::from_bits(0x3FE9_21FB_5444_2D18);
const PIO4_LO: f64 = f64::from_bits(0x3C81_A626_3314_5C07);
/// `|x| >= TAN_FAR` uses `tan(pi/4 - y)`.
const TAN_FAR: f64 = f64::from_bits(0x3FE5_9428_0000_0000);

/// FreeBSD `e_rem_pio2f.c`: the first 25 bits of `pi/2`, and the rest.
const PIO2F_1: f64 = f64::from_bits(0x3FF9_21FB_5000_0000);
const PIO2F_1T: f64 = f64::from_bits(0x3E51_10B4_611A_6263);
/// FreeBSD `k_sinf.c` S1..S4: `|sin(x)/x - s(x)| < 2^-37.5` on `[-pi/4, pi/4]`.
const SF: [f64; 4] = [
    f64::from_bits(0xBFC5_5555_54CB_AC77),
    f64::from_bits(0x3F81_1110_896E_FBB2),
    f64::from_bits(0xBF2A_00F9_E2CA_E774),
    f64::from_bits(0x3EC6_CD87_8C3B_46A7),
];
/// FreeBSD `k_cosf.c` C0..C3: `|cos(x) - c(x)| < 2^-34.1` on `[-pi/4, pi/4]`.
const CF: [f64; 4] = [
    f64::from_bits(0xBFDF_FFFF_FD0C_5E81),
    f64::from_bits(0x3FA5_5553_E105_3A42),
    f64::from_bits(0xBF56_C087_E80F_1E27),
    f64::from_bits(0x3EF9_9342_E0EE_5069),
];

/// A reduced argument: `x = n pi/2 + (y0 + y1)`.
struct Reduced<O: MathOps> {
    y0: O::F,
    y1: O::F,
    n: O::F,
}

/// Medium reduction, exact enough for `|x| < 2^20`.
fn rem_pio2_medium<O: MathOps>(o: &mut O, x: O::F) -> Reduced<O> {
    let inv = o.fconst(INVPIO2);
    let t = o.fmul(x, inv);
    let n = o.round_ties_even(t);
    let p1 = o.fconst(PIO2_1);
    let p2 = o.fconst(PIO2_2);
    let p3 = o.fconst(PIO2_3);
    let p3t = o.fconst(PIO2_3T);
    let np1 = o.fmul(n, p1);
    let a = o.fsub(x, np1); // exact (Sterbenz)
    let np2 = o.fmul(n, p2);
    let np2 = o.fneg(np2);
    let (b, eb) = two_sum(o, a, np2);
    let np3 = o.fmul(n, p3);
    let np3 = o.fneg(np3);
    let (c, ec) = two_sum(o, b, np3);
    let lo = o.fadd(eb, ec);
    let np3t = o.fmul(n, p3t);
    let lo = o.fsub(lo, np3t);
    let (y0, y1) = fast_two_sum(o, c, lo);
    Reduced { y0, y1, n }
}

/// `p mod 4` in `[-2, 2]`, exact, for `p` with at most 52 significant bits
/// (then `|p / 4| >= 2^51` implies `p` is a multiple of 4).
fn mod4<O: MathOps>(o: &mut O, p: O::F) -> O::F {
    let quarter = o.fconst(0.25);
    let q = o.fmul(p, quarter);
    let rq = o.round_ties_even(q);
    let fr = o.fsub(q, rq);
    let four = o.fconst(4.0);
    let r = o.fmul(fr, four);
    let aq = o.fabs(q);
    let lim = o.fconst(2_251_799_813_685_248.0); // 2^51
    let ok = o.flt(aq, lim);
    let zero = o.fconst(0.0);
    o.fselect(ok, r, zero)
}

/// Adds `t` to the exact double-double `(s, e)` and moves the integer part
/// of the sum to `n`.
fn acc_exact<O: MathOps>(o: &mut O, acc: (O::F, O::F, O::F), t: O::F) -> (O::F, O::F, O::F) {
    let (s, e, n) = acc;
    let (s, err) = two_sum(o, s, t);
    let e = o.fadd(e, err);
    let k = o.round_ties_even(s);
    let s = o.fsub(s, k);
    let n = o.fadd(n, k);
    (s, e, n)
}

/// `frac * pi/2` for the double-double fraction `(f, fl)`.
fn times_pio2<O: MathOps>(o: &mut O, f: O::F, fl: O::F, n: O::F) -> Reduced<O> {
    let ph = o.fconst(PIO2_HI);
    let pl = o.fconst(PIO2_LO);
    let (p, e) = two_prod(o, f, ph);
    let a = o.fmul(f, pl);
    let b = o.fmul(fl, ph);
    let ab = o.fadd(a, b);
    let e = o.fadd(e, ab);
    let (y0, y1) = fast_two_sum(o, p, e);
    Reduced { y0, y1, n }
}

/// Large reduction for any finite `f64` with `|x| >= 2^20` (also evaluated,
/// harmlessly, for other inputs). Uses [`MathOps::ftable`].
fn rem_pio2_large_f64<O: MathOps>(o: &mut O, x: O::F) -> Reduced<O> {
    let bits = o.f_to_bits(x);
    let eb = o.ishr_u(bits, 52);
    let c7ff = o.iconst(0x7ff);
    let eb = o.iand(eb, c7ff);
    let ebf = o.i_to_f(eb);
    // The lsb of x is 2^ex, ex = eb - 1075. First chunk that matters:
    // j0 = floor((ex - 2) / 25), clamped to [-2, 38] (clamping only acts on
    // inputs whose result is discarded).
    let c1077 = o.fconst(1077.0);
    let t = o.fsub(ebf, c1077);
    let c25 = o.fconst(25.0);
    let t = o.fdiv(t, c25);
    let c048 = o.fconst(0.48);
    let t = o.fsub(t, c048);
    let j0 = o.round_ties_even(t);
    let jmin = o.fconst(-2.0);
    let jmax = o.fconst(38.0);
    let m = o.flt(j0, jmin);
    let j0 = o.fselect(m, jmin, j0);
    let m = o.flt(jmax, j0);
    let j0 = o.fselect(m, jmax, j0);
    // scale = 2^(-25 (j0 + 1)), exponent field 1023 - 25 (j0 + 1).
    let one = o.fconst(1.0);
    let j1 = o.fadd(j0, one);
    let sh = o.fmul(j1, c25);
    let c1023 = o.fconst(1023.0);
    let se = o.fsub(c1023, sh);
    let se = o.f_to_i(se);
    let se = o.ishl(se, 52);
    let scale = o.bits_to_f(se);
    // x = x_hi (26 bits) + x_lo (27 bits), both scaled exactly.
    let mask = o.iconst(!0x7FF_FFFF);
    let hb = o.iand(bits, mask);
    let x_hi = o.bits_to_f(hb);
    let x_lo = o.fsub(x, x_hi);
    let xs = [o.fmul(x_hi, scale), o.fmul(x_lo, scale)];
    let base = o.f_to_i(j0);

    let zero = o.fconst(0.0);
    let mut big = (zero, zero, zero);
    let mut small = (zero, zero);
    for k in 0..CHUNKS {
        let off = o.iconst(k as i64 + 2);
        let idx = o.iadd(base, off);
        let chunk = o.ftable(&TWO_OVER_PI_25, idx);
        let sc = o.fconst(f64::powi(2.0, -25 * k as i32));
        let c = o.fmul(chunk, sc);
        for &h in &xs {
            let p = o.fmul(h, c); // exact
            if k < 4 {
                // |p| may reach 2^80: keep only p mod 4, exactly.
                let r = mod4(o, p);
                big = acc_exact(o, big, r);
            } else {
                // |p| < 2^-20.
                let (s, e) = small;
                let (s, err) = two_sum(o, s, p);
                let e = o.fadd(e, err);
                small = (s, e);
            }
        }
    }
    let (s, e, n) = big;
    let (s, e) = two_sum(o, s, e);
    let (f, fl) = dd_add(o, (s, e), small);
    times_pio2(o, f, fl, n)
}

/// Large reduction for `f32` arguments (24-bit significand, `|x| < 2^128`):
/// needs no table.
fn rem_pio2_large_f32<O: MathOps>(o: &mut O, x: O::F) -> Reduced<O> {
    let zero = o.fconst(0.0);
    let mut acc = (zero, zero, zero);
    for k in 0..CHUNKS {
        let cv = TWO_OVER_PI_25[k + 2] * f64::powi(2.0, -25 * (k as i32 + 1));
        let c = o.fconst(cv);
        let p = o.fmul(x, c); // exact: 24 + 25 bits
        let r = mod4(o, p);
        acc = acc_exact(o, acc, r);
    }
    let (s, e, n) = acc;
    let (f, fl) = two_sum(o, s, e);
    times_pio2(o, f, fl, n)
}

/// Reduces `x`; `f32_arg` says that `x` is a widened `f32` (chooses the
/// table-free large reduction). Returns the reduced argument and `n mod 4`.
fn rem_pio2<O: MathOps>(o: &mut O, x: O::F, f32_arg: bool) -> (O::F, O::F, O::I) {
    let med = rem_pio2_medium(o, x);
    let ax = o.fabs(x);
    let lim = o.fconst(MEDIUM_LIMIT);
    let is_med = o.flt(ax, lim);
    let not_med = o.mnot(is_med);
    let [ly0, ly1, ln] = o.only_if(not_med, |o| {
        let r = if f32_arg {
            rem_pio2_large_f32(o, x)
        } else {
            rem_pio2_large_f64(o, x)
        };
        [r.y0, r.y1, r.n]
    });
    let y0 = o.fselect(is_med, med.y0, ly0);
    let y1 = o.fselect(is_med, med.y1, ly1);
    let n = o.fselect(is_med, med.n, ln);
    let n = o.f_to_i(n);
    let three = o.iconst(3);
    let q = o.iand(n, three);
    (y0, y1, q)
}

/// Reduces a widened `f32` to `y` in about `[-pi/4, pi/4]` (one `f64`,
/// accurate far beyond what an `f32` result needs) and `n mod 4`. The medium
/// reduction is FreeBSD `e_rem_pio2f.c`'s (`n pi/2` in 25 + 53 bits, exact
/// products for `|n| < 2^28`); larger or non-finite arguments take the
/// table-free large reduction inside `only_if`.
fn rem_pio2f<O: MathOps>(o: &mut O, x: O::F) -> (O::F, O::I) {
    let (y, n) = rem_pio2f_medium(o, x);
    let ax = o.fabs(x);
    let lim = o.fconst(MEDIUM_LIMIT);
    let is_med = o.flt(ax, lim);
    let not_med = o.mnot(is_med);
    let [ly0, ly1, ln] = o.only_if(not_med, |o| {
        let r = rem_pio2_large_f32(o, x);
        [r.y0, r.y1, r.n]
    });
    let ly = o.fadd(ly0, ly1);
    let y = o.fselect(is_med, y, ly);
    let n = o.fselect(is_med, n, ln);
    let n = o.f_to_i(n);
    let three = o.iconst(3);
    (y, o.iand(n, three))
}

/// The medium reduction of [`rem_pio2f`] alone: `(y, n)` with
/// `x = n pi/2 + y`, `n` an integral `f64`, for a widened `f32` `x` with
/// `|x| < MEDIUM_LIMIT` (other arguments give unspecified values).
pub(super) fn rem_pio2f_medium<O: MathOps>(o: &mut O, x: O::F) -> (O::F, O::F) {
    let inv = o.fconst(INVPIO2);
    let t = o.fmul(x, inv);
    let n = o.round_ties_even(t);
    let p1 = o.fconst(PIO2F_1);
    let np1 = o.fmul(n, p1); // exact: |n| < 2^20 has at most 20 bits
    let r = o.fsub(x, np1);
    let p1t = o.fconst(PIO2F_1T);
    let w = o.fmul(n, p1t);
    (o.fsub(r, w), n)
}

/// FreeBSD `__kernel_sindf`: `sin(x)` for `|x| <= pi/4`, in `f64`.
fn k_sindf<O: MathOps>(o: &mut O, x: O::F) -> O::F {
    let z = o.fmul(x, x);
    let w = o.fmul(z, z);
    let s4 = o.fconst(SF[3]);
    let s3 = o.fconst(SF[2]);
    let zs4 = o.fmul(z, s4);
    let r = o.fadd(s3, zs4);
    let s = o.fmul(z, x);
    let s2 = o.fconst(SF[1]);
    let s1 = o.fconst(SF[0]);
    let zs2 = o.fmul(z, s2);
    let p = o.fadd(s1, zs2);
    let sp = o.fmul(s, p);
    let head = o.fadd(x, sp);
    let sw = o.fmul(s, w);
    let tail = o.fmul(sw, r);
    o.fadd(head, tail)
}

/// FreeBSD `__kernel_cosdf`: `cos(x)` for `|x| <= pi/4`, in `f64`.
fn k_cosdf<O: MathOps>(o: &mut O, x: O::F) -> O::F {
    let z = o.fmul(x, x);
    let w = o.fmul(z, z);
    let c3 = o.fconst(CF[3]);
    let c2 = o.fconst(CF[2]);
    let zc3 = o.fmul(z, c3);
    let r = o.fadd(c2, zc3);
    let one = o.fconst(1.0);
    let c0 = o.fconst(CF[0]);
    let zc0 = o.fmul(z, c0);
    let a = o.fadd(one, zc0);
    let c1 = o.fconst(CF[1]);
    let wc1 = o.fmul(w, c1);
    let a = o.fadd(a, wc1);
    let wz = o.fmul(w, z);
    let b = o.fmul(wz, r);
    o.fadd(a, b)
}

/// `sin` (`cosine == false`) or `cos` of a widened `f32`, in `f64`.
pub(super) fn sin_cos_f32_core<O: MathOps>(o: &mut O, x: O::F, cosine: bool) -> O::F {
    let (y, q) = rem_pio2f(o, x);
    let s = k_sindf(o, y);
    let c = k_cosdf(o, y);
    let r = by_quadrant(o, q, s, c, cosine);
    finish(o, x, r, !cosine)
}

/// fdlibm `__kernel_sin(x, y, 1)`.
fn k_sin<O: MathOps>(o: &mut O, x: O::F, y: O::F) -> O::F {
    let z = o.fmul(x, x);
    let w = o.fmul(z, z);
    let r1 = horner(o, z, &S[1..4]);
    let r2 = horner(o, z, &S[4..6]);
    let zw = o.fmul(z, w);
    let r2 = o.fmul(zw, r2);
    let r = o.fadd(r1, r2);
    let v = o.fmul(z, x);
    // x - ((z*(half*y - v*r) - y) - v*S1)
    let half = o.fconst(0.5);
    let hy = o.fmul(half, y);
    let vr = o.fmul(v, r);
    let a = o.fsub(hy, vr);
    let a = o.fmul(z, a);
    let a = o.fsub(a, y);
    let s1 = o.fconst(S[0]);
    let vs = o.fmul(v, s1);
    let a = o.fsub(a, vs);
    o.fsub(x, a)
}

/// fdlibm `__kernel_cos(x, y)`.
fn k_cos<O: MathOps>(o: &mut O, x: O::F, y: O::F) -> O::F {
    let z = o.fmul(x, x);
    let w = o.fmul(z, z);
    let r1 = horner(o, z, &C[0..3]);
    let r1 = o.fmul(z, r1);
    let r2 = horner(o, z, &C[3..6]);
    let ww = o.fmul(w, w);
    let r2 = o.fmul(ww, r2);
    let r = o.fadd(r1, r2);
    let half = o.fconst(0.5);
    let hz = o.fmul(half, z);
    let one = o.fconst(1.0);
    let w = o.fsub(one, hz);
    // w + (((1 - w) - hz) + (z*r - x*y))
    let a = o.fsub(one, w);
    let a = o.fsub(a, hz);
    let zr = o.fmul(z, r);
    let xy = o.fmul(x, y);
    let b = o.fsub(zr, xy);
    let a = o.fadd(a, b);
    o.fadd(w, a)
}

/// fdlibm `__kernel_tan(x, y, iy)`: `tan(x + y)` if `odd` is false,
/// `-1 / tan(x + y)` if it is true.
fn k_tan<O: MathOps>(o: &mut O, x: O::F, y: O::F, odd: O::M) -> O::F {
    let zero = o.fconst(0.0);
    let ax = o.fabs(x);
    let far_lim = o.fconst(TAN_FAR);
    let far = o.fle(far_lim, ax);
    let neg = o.flt(x, zero);
    // Far from 0: x <- pi/4 - |x| (with tails), y <- 0.
    let nx = o.fneg(x);
    let ny = o.fneg(y);
    let xa = o.fselect(neg, nx, x);
    let ya = o.fselect(neg, ny, y);
    let pio4 = o.fconst(PIO4);
    let pio4lo = o.fconst(PIO4_LO);
    let zf = o.fsub(pio4, xa);
    let wf = o.fsub(pio4lo, ya);
    let xf = o.fadd(zf, wf);
    let x = o.fselect(far, xf, x);
    let y = o.fselect(far, zero, y);

    let z = o.fmul(x, x);
    let w = o.fmul(z, z);
    let r = horner(o, w, &[T[1], T[3], T[5], T[7], T[9], T[11]]);
    let v = horner(o, w, &[T[2], T[4], T[6], T[8], T[10], T[12]]);
    let v = o.fmul(z, v);
    let s = o.fmul(z, x);
    // r = y + z*(s*(r + v) + y); r += T0*s; w = x + r
    let rv = o.fadd(r, v);
    let a = o.fmul(s, rv);
    let a = o.fadd(a, y);
    let a = o.fmul(z, a);
    let r = o.fadd(y, a);
    let t0 = o.fconst(T[0]);
    let t0s = o.fmul(t0, s);
    let r = o.fadd(r, t0s);
    let w = o.fadd(x, r);

    // Far: sign * (v - 2*(x - (w*w/(w + v) - r))), v = iy = ±1.
    let one = o.fconst(1.0);
    let mone = o.fconst(-1.0);
    let iy = o.fselect(odd, mone, one);
    let ww = o.fmul(w, w);
    let wv = o.fadd(w, iy);
    let q = o.fdiv(ww, wv);
    let q = o.fsub(q, r);
    let q = o.fsub(x, q);
    let two = o.fconst(2.0);
    let q = o.fmul(two, q);
    let q = o.fsub(iy, q);
    let sign = o.fselect(neg, mone, one);
    let far_res = o.fmul(sign, q);

    // Near, odd: -1/(x + r) accurately.
    let hi_mask = o.iconst(!0xFFFF_FFFF);
    let wb = o.f_to_bits(w);
    let wb = o.iand(wb, hi_mask);
    let zz = o.bits_to_f(wb);
    let d = o.fsub(zz, x);
    let v = o.fsub(r, d); // zz + v = r + x
    let a = o.fdiv(mone, w);
    let ab = o.f_to_bits(a);
    let ab = o.iand(ab, hi_mask);
    let t = o.bits_to_f(ab);
    let tz = o.fmul(t, zz);
    let s = o.fadd(one, tz);
    let tv = o.fmul(t, v);
    let s = o.fadd(s, tv);
    let s = o.fmul(a, s);
    let near_odd = o.fadd(t, s);

    let near = o.fselect(odd, near_odd, w);
    o.fselect(far, far_res, near)
}

/// Common tail: tiny arguments return `x` itself (so `±0` and subnormals are
/// kept exactly), infinities give NaN, NaN is passed through.
fn finish<O: MathOps>(o: &mut O, x: O::F, res: O::F, keep_tiny: bool) -> O::F {
    let ax = o.fabs(x);
    let res = if keep_tiny {
        let tiny = o.fconst(f64::from_bits(0x3E40_0000_0000_0000)); // 2^-27
        let is_tiny = o.flt(ax, tiny);
        o.fselect(is_tiny, x, res)
    } else {
        res
    };
    let inf = o.fconst(f64::INFINITY);
    let is_inf = o.feq(ax, inf);
    let qnan = o.fconst(f64::NAN);
    let res = o.fselect(is_inf, qnan, res);
    let nan = o.funord(x, x);
    o.fselect(nan, x, res)
}

/// `sin` (`cosine == false`) or `cos` of `x`, in `f64`.
fn sin_cos_core<O: MathOps>(o: &mut O, x: O::F, cosine: bool) -> O::F {
    let (y0, y1, q) = rem_pio2(o, x, false);
    let s = k_sin(o, y0, y1);
    let c = k_cos(o, y0, y1);
    let r = by_quadrant(o, q, s, c, cosine);
    finish(o, x, r, !cosine)
}

/// `sin(x)` (`cosine == false`) or `cos(x)` from `s = sin(y)`, `c = cos(y)`
/// and `q = n mod 4`, where `x = n pi/2 + y`.
fn by_quadrant<O: MathOps>(o: &mut O, q: O::I, s: O::F, c: O::F, cosine: bool) -> O::F {
    let one = o.iconst(1);
    let two = o.iconst(2);
    let q1 = o.iand(q, one);
    let odd = o.ieq(q1, one);
    let (r, q_sign) = if cosine {
        (o.fselect(odd, s, c), o.iadd(q, one))
    } else {
        (o.fselect(odd, c, s), q)
    };
    let q2 = o.iand(q_sign, two);
    let neg = o.ieq(q2, two);
    let nr = o.fneg(r);
    o.fselect(neg, nr, r)
}

fn tan_core<O: MathOps>(o: &mut O, x: O::F, f32_arg: bool) -> O::F {
    let (y0, y1, q) = rem_pio2(o, x, f32_arg);
    let one = o.iconst(1);
    let q1 = o.iand(q, one);
    let odd = o.ieq(q1, one);
    let r = k_tan(o, y0, y1, odd);
    finish(o, x, r, true)
}

/// `sin(x)` for `f64`.
pub fn sin_f64<O: MathOps>(o: &mut O, x: O::F) -> O::F {
    sin_cos_core(o, x, false)
}

/// `cos(x)` for `f64`.
pub fn cos_f64<O: MathOps>(o: &mut O, x: O::F) -> O::F {
    sin_cos_core(o, x, true)
}

/// `tan(x)` for `f64`.
pub fn tan_f64<O: MathOps>(o: &mut O, x: O::F) -> O::F {
    tan_core(o, x, false)
}

/// `tan(x)` for `f32`, computed in `f64` and rounded once.
pub fn tan_f32<O: MathOps>(o: &mut O, x: O::F32) -> O::F32 {
    in_f64(o, x, |o, xd| tan_core(o, xd, true))
}
