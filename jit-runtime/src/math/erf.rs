//! `erf`, for `f64` and (computed in `f64`) for `f32`.
//!
//! fdlibm's `s_erf.c`, branch-free: every interval's formula is computed
//! and the one for `|x|` selected, then the sign of `x` copied:
//!
//! | `|x|` in | formula |
//! |---|---|
//! | [0, 2^-28) | `(8|x| + efx8 |x|) / 8` (no spurious underflow) |
//! | [2^-28, 0.84375) | `|x| + |x| P(x^2)/Q(x^2)` |
//! | [0.84375, 1.25) | `erx + P1(s)/Q1(s)`, `s = |x| - 1` |
//! | [1.25, 6) | `1 - exp(-z^2 - 0.5625) exp((z - |x|)(z + |x|) + R(1/x^2)/S(1/x^2)) / |x|`, `z` = `|x|` with its low word cleared, `R/S` one of two rational fits (below and above `1/0.35`) |
//! | [6, inf] | 1 |
//!
//! The two rational fits of the tail share one evaluation with selected
//! coefficients. NaN returns `x` itself.

use super::explog::exp_f64;
use super::inverse::copy_sign;
use super::{MathOps, in_f64};

const ERX: f64 = f64::from_bits(0x3FEB_0AC1_6000_0000);
const EFX8: f64 = f64::from_bits(0x3FF0_6EBA_8214_DB69);
const PP: [f64; 5] = [
    f64::from_bits(0x3FC0_6EBA_8214_DB68),
    f64::from_bits(0xBFD4_CD7D_691C_B913),
    f64::from_bits(0xBF9D_2A51_DBD7_194F),
    f64::from_bits(0xBF77_A291_2366_68E4),
    f64::from_bits(0xBEF8_EAD6_1200_16AC),
];
const QQ: [f64; 6] = [
    1.0,
    f64::from_bits(0x3FD9_7779_CDDA_DC09),
    f64::from_bits(0x3FB0_A54C_5536_CEBA),
    f64::from_bits(0x3F74_D022_C4D3_6B0F),
    f64::from_bits(0x3F21_5DC9_221C_1A10),
    f64::from_bits(0xBED0_9C43_42A2_6120),
];
const PA: [f64; 7] = [
    f64::from_bits(0xBF63_59B8_BEF7_7538),
    f64::from_bits(0x3FDA_8D00_AD92_B34D),
    f64::from_bits(0xBFD7_D240_FBB8_C3F1),
    f64::from_bits(0x3FD4_5FCA_8051_20E4),
    f64::from_bits(0xBFBC_6398_3D3E_28EC),
    f64::from_bits(0x3FA2_2A36_5997_95EB),
    f64::from_bits(0xBF61_BF38_0A96_073F),
];
const QA: [f64; 7] = [
    1.0,
    f64::from_bits(0x3FBB_3E66_18EE_E323),
    f64::from_bits(0x3FE1_4AF0_92EB_6F33),
    f64::from_bits(0x3FB2_635C_D99F_E9A7),
    f64::from_bits(0x3FC0_2660_E763_351F),
    f64::from_bits(0x3F8B_EDC2_6B51_DD1C),
    f64::from_bits(0x3F88_8B54_5735_151D),
];
const RA: [f64; 8] = [
    f64::from_bits(0xBF84_3412_600D_6435),
    f64::from_bits(0xBFE6_3416_E4BA_7360),
    f64::from_bits(0xC025_1E04_41B0_E726),
    f64::from_bits(0xC04F_300A_E4CB_A38D),
    f64::from_bits(0xC064_4CB1_8428_2266),
    f64::from_bits(0xC067_135C_EBCC_ABB2),
    f64::from_bits(0xC054_5265_57E4_D2F2),
    f64::from_bits(0xC023_A0EF_C69A_C25C),
];
const SA: [f64; 9] = [
    1.0,
    f64::from_bits(0x4033_A6B9_BD70_7687),
    f64::from_bits(0x4061_350C_526A_E721),
    f64::from_bits(0x407B_290D_D58A_1A71),
    f64::from_bits(0x4084_2B19_21EC_2868),
    f64::from_bits(0x407A_D021_5770_0314),
    f64::from_bits(0x405B_28A3_EE48_AE2C),
    f64::from_bits(0x401A_47EF_8E48_4A93),
    f64::from_bits(0xBFAE_EFF2_EE74_9A62),
];
/// `rb0..rb6`, padded with a zero to the length of `RA`.
const RB: [f64; 8] = [
    f64::from_bits(0xBF84_3412_39E8_6F4A),
    f64::from_bits(0xBFE9_93BA_70C2_85DE),
    f64::from_bits(0xC031_C209_555F_995A),
    f64::from_bits(0xC064_145D_43C5_ED98),
    f64::from_bits(0xC083_EC88_1375_F228),
    f64::from_bits(0xC090_0461_6A2E_5992),
    f64::from_bits(0xC07E_384E_9BDC_383F),
    0.0,
];
/// `1, sb1..sb7`, padded with a zero to the length of `SA`.
const SB: [f64; 9] = [
    1.0,
    f64::from_bits(0x403E_568B_261D_5190),
    f64::from_bits(0x4074_5CAE_221B_9F0A),
    f64::from_bits(0x4098_02EB_189D_5118),
    f64::from_bits(0x40A8_FFB7_688C_246A),
    f64::from_bits(0x40A3_F219_CEDF_3BE6),
    f64::from_bits(0x407D_A874_E79F_E763),
    f64::from_bits(0xC036_70E2_4271_2D62),
    0.0,
];

/// `c[0] + c[1] z + ...` with `c = if m { a } else { b }`.
fn horner_sel<O: MathOps>(o: &mut O, m: O::M, z: O::F, a: &[f64], b: &[f64]) -> O::F {
    let n = a.len();
    let ca = o.fconst(a[n - 1]);
    let cb = o.fconst(b[n - 1]);
    let mut acc = o.fselect(m, ca, cb);
    for i in (0..n - 1).rev() {
        let t = o.fmul(acc, z);
        let ca = o.fconst(a[i]);
        let cb = o.fconst(b[i]);
        let c = o.fselect(m, ca, cb);
        acc = o.fadd(t, c);
    }
    acc
}

/// `erf(x)` for `f64`. See the module table for measurements.
pub fn erf_f64<O: MathOps>(o: &mut O, x: O::F) -> O::F {
    use super::dd::horner;
    let ax = o.fabs(x);
    let one = o.fconst(1.0);
    // Tiny.
    let eight = o.fconst(8.0);
    let a8 = o.fmul(eight, ax);
    let efx8 = o.fconst(EFX8);
    let e8 = o.fmul(efx8, ax);
    let t = o.fadd(a8, e8);
    let inv8 = o.fconst(0.125);
    let tiny = o.fmul(t, inv8);
    // Small.
    let z = o.fmul(ax, ax);
    let r = horner(o, z, &PP);
    let s = horner(o, z, &QQ);
    let y = o.fdiv(r, s);
    let xy = o.fmul(ax, y);
    let small = o.fadd(ax, xy);
    // Middle.
    let s = o.fsub(ax, one);
    let p = horner(o, s, &PA);
    let q = horner(o, s, &QA);
    let pq = o.fdiv(p, q);
    let erx = o.fconst(ERX);
    let mid = o.fadd(erx, pq);
    // Tail, |x| clamped to 6 (beyond, erf rounds to 1).
    let six = o.fconst(6.0);
    let beyond = o.fle(six, ax);
    let xt = o.fselect(beyond, six, ax);
    let xx = o.fmul(xt, xt);
    let s = o.fdiv(one, xx);
    let split = o.fconst(f64::from_bits(0x4006_DB6E_0000_0000)); // about 1/0.35
    let near = o.flt(xt, split);
    let rr = horner_sel(o, near, s, &RA, &RB);
    let ss = horner_sel(o, near, s, &SA, &SB);
    let zb = o.f_to_bits(xt);
    let mask = o.iconst(!0xFFFF_FFFF);
    let zb = o.iand(zb, mask);
    let zh = o.bits_to_f(zb);
    let zz = o.fmul(zh, zh);
    let nzz = o.fneg(zz);
    let c = o.fconst(0.5625);
    let e1 = o.fsub(nzz, c);
    let e1 = exp_f64(o, e1);
    let d = o.fsub(zh, xt);
    let sum = o.fadd(zh, xt);
    let d = o.fmul(d, sum);
    let rs = o.fdiv(rr, ss);
    let e2 = o.fadd(d, rs);
    let e2 = exp_f64(o, e2);
    let r = o.fmul(e1, e2);
    let rx = o.fdiv(r, xt);
    let tail = o.fsub(one, rx);
    let tail = o.fselect(beyond, one, tail);
    // Select by interval.
    let c1 = o.fconst(1.25);
    let lt125 = o.flt(ax, c1);
    let res = o.fselect(lt125, mid, tail);
    let c0 = o.fconst(0.84375);
    let lt084 = o.flt(ax, c0);
    let res = o.fselect(lt084, small, res);
    let c28 = o.fconst(f64::from_bits(0x3E30_0000_0000_0000)); // 2^-28
    let lt28 = o.flt(ax, c28);
    let res = o.fselect(lt28, tiny, res);
    // Copy the sign of x (res >= 0 here): keeps erf(-0) = -0.
    let res = copy_sign(o, res, x);
    let nan = o.funord(x, x);
    o.fselect(nan, x, res)
}

/// `erf(x)` for `f32`, computed in `f64` and rounded once.
pub fn erf_f32<O: MathOps>(o: &mut O, x: O::F32) -> O::F32 {
    in_f64(o, x, erf_f64)
}
