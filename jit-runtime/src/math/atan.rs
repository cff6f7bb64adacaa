//! `atan`, for `f64` and (computed in `f64`) for `f32`.
//!
//! fdlibm's `s_atan.c`, branch-free: `|x|` is mapped into `[-7/16, 7/16]` by
//! one of five transformations, chosen by comparing `|x|` with 7/16, 11/16,
//! 19/16 and 39/16:
//!
//! | `|x|` in | `t` | base `atan` |
//! |---|---|---|
//! | [0, 7/16) | `|x|` | 0 |
//! | [7/16, 11/16) | `(2|x| - 1) / (2 + |x|)` | `atan(1/2)` |
//! | [11/16, 19/16) | `(|x| - 1) / (|x| + 1)` | `atan(1)` |
//! | [19/16, 39/16) | `(|x| - 3/2) / (1 + 3/2 |x|)` | `atan(3/2)` |
//! | [39/16, inf] | `-1 / |x|` | `atan(inf) = pi/2` |
//!
//! The numerator and denominator are selected (one division), the base is
//! selected as a double-double `(hi, lo)`, and
//! `atan(|x|) = hi - ((t P(t^2) - lo) - t)`; the sign of `x` is copied last.
//! Arguments below 2^-27 return `x` itself (keeping `atan(-0) = -0`).

use super::dd::horner;
use super::inverse::copy_sign;
use super::{MathOps, in_f64};

const ATAN_HI: [f64; 4] = [
    f64::from_bits(0x3FDD_AC67_0561_BB4F),
    f64::from_bits(0x3FE9_21FB_5444_2D18),
    f64::from_bits(0x3FEF_730B_D281_F69B),
    f64::from_bits(0x3FF9_21FB_5444_2D18),
];
const ATAN_LO: [f64; 4] = [
    f64::from_bits(0x3C7A_2B7F_222F_65E2),
    f64::from_bits(0x3C81_A626_3314_5C07),
    f64::from_bits(0x3C70_0788_7AF0_CBBD),
    f64::from_bits(0x3C91_A626_3314_5C07),
];
/// fdlibm aT[0..10].
const AT: [f64; 11] = [
    f64::from_bits(0x3FD5_5555_5555_550D),
    f64::from_bits(0xBFC9_9999_9998_EBC4),
    f64::from_bits(0x3FC2_4924_9200_83FF),
    f64::from_bits(0xBFBC_71C6_FE23_1671),
    f64::from_bits(0x3FB7_45CD_C54C_206E),
    f64::from_bits(0xBFB3_B0F2_AF74_9A6D),
    f64::from_bits(0x3FB1_0D66_A0D0_3D51),
    f64::from_bits(0xBFAD_DE2D_52DE_FD9A),
    f64::from_bits(0x3FA9_7B4B_2476_0DEB),
    f64::from_bits(0xBFA2_B444_2C6A_6C2F),
    f64::from_bits(0x3F90_AD3A_E322_DA11),
];

/// The unrounded `atan(|x| + dx)` as `hi - a`, and `|x|`: the base angle's
/// high part and the rest, so that `atan2` can subtract it from `pi` in
/// extra precision. `dx` is a small correction (`|dx| <= ulp(x)`, with
/// `x >= 0`), entering as `dx / (1 + x^2)` beside the base angle's low
/// part: `atan2` passes the rounding error of its quotient. Meaningless
/// for NaN; for `|x| < 2^-27` `hi - a` is `|x|` rounded.
pub(super) fn atan_parts<O: MathOps>(o: &mut O, x: O::F, dx: Option<O::F>) -> (O::F, O::F, O::F) {
    let ax = o.fabs(x);
    let one = o.fconst(1.0);
    let two = o.fconst(2.0);
    let c15 = o.fconst(1.5);
    let zero = o.fconst(0.0);

    // Candidates, from the outermost interval inwards.
    let mut num = o.fconst(-1.0);
    let mut den = ax;
    let mut hi = o.fconst(ATAN_HI[3]);
    let mut lo = o.fconst(ATAN_LO[3]);
    let cands = [
        (39.0 / 16.0, 2usize),
        (19.0 / 16.0, 1usize),
        (11.0 / 16.0, 0usize),
    ];
    for (lim, id) in cands {
        let (n, d) = match id {
            2 => {
                let n = o.fsub(ax, c15);
                let t = o.fmul(c15, ax);
                let d = o.fadd(one, t);
                (n, d)
            }
            1 => {
                let n = o.fsub(ax, one);
                let d = o.fadd(ax, one);
                (n, d)
            }
            _ => {
                let t = o.fmul(two, ax);
                let n = o.fsub(t, one);
                let d = o.fadd(two, ax);
                (n, d)
            }
        };
        let l = o.fconst(lim);
        let below = o.flt(ax, l);
        num = o.fselect(below, n, num);
        den = o.fselect(below, d, den);
        let h = o.fconst(ATAN_HI[id]);
        let lw = o.fconst(ATAN_LO[id]);
        hi = o.fselect(below, h, hi);
        lo = o.fselect(below, lw, lo);
    }
    let l = o.fconst(7.0 / 16.0);
    let below = o.flt(ax, l);
    num = o.fselect(below, ax, num);
    den = o.fselect(below, one, den);
    hi = o.fselect(below, zero, hi);
    lo = o.fselect(below, zero, lo);
    let t = o.fdiv(num, den);
    if let Some(dx) = dx {
        // atan(|x| + dx) - atan(|x|) = dx / (1 + x^2) to first order; with
        // |dx| <= ulp(x) the second order is far below an ulp.
        let xx = o.fmul(x, x);
        let d = o.fadd(one, xx);
        let c = o.fdiv(dx, d);
        lo = o.fadd(lo, c);
    }

    let z = o.fmul(t, t);
    let w = o.fmul(z, z);
    let s1 = horner(o, w, &[AT[0], AT[2], AT[4], AT[6], AT[8], AT[10]]);
    let s1 = o.fmul(z, s1);
    let s2 = horner(o, w, &[AT[1], AT[3], AT[5], AT[7], AT[9]]);
    let s2 = o.fmul(w, s2);
    let s = o.fadd(s1, s2);
    // hi - ((t*s - lo) - t)
    let a = o.fmul(t, s);
    let a = o.fsub(a, lo);
    let a = o.fsub(a, t);
    (ax, hi, a)
}

/// `atan(x)` for `f64`.
pub fn atan_f64<O: MathOps>(o: &mut O, x: O::F) -> O::F {
    let (ax, hi, a) = atan_parts(o, x, None);
    let res = o.fsub(hi, a);

    // Copy the sign of x (res >= 0 here).
    let res = copy_sign(o, res, x);
    let tiny = o.fconst(f64::from_bits(0x3E40_0000_0000_0000)); // 2^-27
    let is_tiny = o.flt(ax, tiny);
    let res = o.fselect(is_tiny, x, res);
    let nan = o.funord(x, x);
    o.fselect(nan, x, res)
}

/// `atan(x)` for `f32`, computed in `f64` and rounded once.
pub fn atan_f32<O: MathOps>(o: &mut O, x: O::F32) -> O::F32 {
    in_f64(o, x, atan_f64)
}
