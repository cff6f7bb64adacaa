//! `f32` `sin` and `cos` with `f32` polynomials, so that a vector
//! implementation runs them on all the lanes of its `f32` vectors at once
//! (eight on AVX2) instead of on `f64` halves.
//!
//! # Method
//!
//! * *Reduction, in `f64`*: `x = n pi/2 + y` by FreeBSD's medium reduction
//!   (`trig::rem_pio2f_medium`, `pi/2` in 25 + 53 bits), on the `f64`
//!   parts of `x` ([`MathOps::f64_parts`]). `y` is then split into two
//!   `f32`s, `y = hi + lo` (`hi` the rounded `y`, `lo` the rest, rounded:
//!   `|lo| <= ulp(hi) / 2`), so that the reduced argument keeps about 48
//!   bits even where `x` is close to a multiple of `pi/2` (the closest
//!   `f32` below 2^20, 252.898..., leaves `|y|` about 2^-27.8).
//! * *Kernels, in `f32`*: with `z = hi^2` and `h = z / 2`,
//!   `sin(hi + lo) ~ hi + (hi z S(z) + lo (1 - h))` and
//!   `cos(hi + lo) ~ (1 - h) + (z^2 C(z) - hi lo)`, where `1 - h` is kept in
//!   two parts (its rounding error recovered exactly, `1 >= h`). `S` (degree
//!   3) and `C` (degree 2) have `f32` coefficients fitted by
//!   `fit_f32_kernels.py`: `|sin(r)/r - 1 - z S(z)| < 2^-32.5` and
//!   `|cos(r) - 1 + z/2 - z^2 C(z)| < 2^-33.1` on `|r| <= pi/4`. The terms
//!   the `f32` roundings touch are at most a tenth (`sin`) or a twentieth
//!   (`cos`, beside the rounding of `z`) of the result, so the error stays
//!   below one ulp: the module table of `math` gives the measured maxima.
//! * *Quadrant*: `q = n mod 4` in `f32` (`n - 4 floor(n / 4)`, exact), then
//!   compares on `q` pick the kernel and the sign.
//! * *Rare arguments*: `|x| >= MEDIUM_LIMIT` and non-finite `x` take the `f64`
//!   algorithm of `trig.rs` inside [`MathOps::only_if`]; `|x| < 2^-12`
//!   gives `sin(x) = x` (exact to the `f32` rounding, and it keeps `-0`).
//!
//! Everything is shared between `sin` and `cos` of one argument but the
//! final selects, so the two together cost little more than one.

use super::MathOps;
use super::f32ops::{horner32, negate_if32, round32};
use super::trig::sin_cos_f32_core;

/// The `f32` kernels take `|x| < F32_KERNEL_LIMIT`; larger and non-finite
/// arguments the `f64` algorithm (`|n| < 2^15.4` keeps the rounding of
/// `x 2/pi` from moving `|y|` past `pi/4 (1 + 2^-7.2)`, the range the
/// polynomials are fitted on).
pub const F32_KERNEL_LIMIT: f32 = 65536.0;
/// `2/pi` and `pi/2 = P1 + P2 + P3 + P4` (24 bits each, to 2^-103).
const INVPIO2: f32 = f32::from_bits(0x3F22_F983);
const P1: f32 = f32::from_bits(0x3FC9_0FDB);
const P2: f32 = f32::from_bits(0xB33B_BD2E);
const P3: f32 = f32::from_bits(0xA6F7_2CED);
const P4: f32 = f32::from_bits(0x194C_C470);
/// `sin(r)/r - 1 = z S(z)`, `z = r^2`, lowest degree first.
const S: [f32; 4] = [
    f32::from_bits(0xBE2A_AAAB),
    f32::from_bits(0x3C08_88BA),
    f32::from_bits(0xB950_2D84),
    f32::from_bits(0x363E_04DE),
];
/// `cos(r) - 1 + z/2 = z^2 C(z)`, lowest degree first.
const C: [f32; 3] = [
    f32::from_bits(0x3D2A_AAA5),
    f32::from_bits(0xBAB6_060F),
    f32::from_bits(0x37CC_F176),
];
/// Below this magnitude `sin(x)` rounds to `x`.
const SIN_TINY: f32 = 1.0 / 4096.0;

/// `x = n pi/2 + hi + lo` for `|x| < F32_KERNEL_LIMIT`: `(hi, lo, n)` with
/// `n` an integral `f32`, `|lo| <= ulp(hi)` and `hi + lo` within about
/// 2^-45 of the exact `x - n pi/2` (relative to the smallest `|y|` of any
/// `f32` in range).
fn reduce<O: MathOps>(o: &mut O, x: O::F32) -> (O::F32, O::F32, O::F32) {
    let inv = o.f32_const(INVPIO2);
    let t = o.f32_mul(x, inv);
    let n = round32(o, t);
    let neg_n = o.f32_neg(n);
    // x - n P1 is exact (x and n P1 agree in their leading bits).
    let p1 = o.f32_const(P1);
    let r1 = o.f32_fma(neg_n, p1, x);
    // n P2 = ph + pl exactly.
    let p2 = o.f32_const(P2);
    let ph = o.f32_mul(n, p2);
    let neg_ph = o.f32_neg(ph);
    let pl = o.f32_fma(n, p2, neg_ph);
    // r1 - ph = hi + e exactly (TwoSum: near a multiple of pi/2 r1 and ph
    // cancel, elsewhere r1 is the larger).
    let hi = o.f32_sub(r1, ph);
    let b_part = o.f32_sub(hi, r1);
    let a_part = o.f32_sub(hi, b_part);
    let b_err = o.f32_sub(neg_ph, b_part);
    let a_err = o.f32_sub(r1, a_part);
    let e = o.f32_add(a_err, b_err);
    // The rest: - pl - n P3 - n P4.
    let lo = o.f32_sub(e, pl);
    let p3 = o.f32_const(P3);
    let lo = o.f32_fma(neg_n, p3, lo);
    let p4 = o.f32_const(P4);
    let lo = o.f32_fma(neg_n, p4, lo);
    (hi, lo, n)
}

/// `sin` (`cosine == false`) or `cos` of `x`.
fn sin_cos<O: MathOps>(o: &mut O, x: O::F32, cosine: bool) -> O::F32 {
    let (hi, lo, n) = reduce(o, x);
    let z = o.f32_mul(hi, hi);
    let minus_half = o.f32_const(-0.5);
    let one = o.f32_const(1.0);

    // sin(hi + lo) ~ hi + (hi z S(z) + lo (1 - z/2))
    let sp = horner32(o, z, &S);
    let w = o.f32_mul(z, sp);
    let lo_h = o.f32_mul(lo, minus_half);
    let lo_cos = o.f32_fma(lo_h, z, lo);
    let sin_tail = o.f32_fma(hi, w, lo_cos);
    let sin = o.f32_add(hi, sin_tail);

    // cos(hi + lo) ~ (1 - z/2) + (z^2 C(z) - hi lo), 1 - z/2 in two parts
    let head = o.f32_fma(z, minus_half, one);
    let taken = o.f32_sub(one, head);
    let head_err = o.f32_fma(z, minus_half, taken); // exact: 1 - z/2 - head
    let cp = horner32(o, z, &C);
    let zz = o.f32_mul(z, z);
    let tail = o.f32_fma(zz, cp, head_err);
    let hi_lo = o.f32_mul(hi, lo);
    let cos_tail = o.f32_sub(tail, hi_lo);
    let cos = o.f32_add(head, cos_tail);

    // q = n mod 4 = n - 4 floor(n / 4), where n / 4 - 3/8 rounds to the floor.
    let quarter = o.f32_const(0.25);
    let eighths = o.f32_const(-0.375);
    let below = o.f32_fma(n, quarter, eighths);
    let floor = round32(o, below);
    let minus_four = o.f32_const(-4.0);
    let q = o.f32_fma(floor, minus_four, n);
    // Odd quadrants swap the kernels: |q - 2| == 1.
    let two = o.f32_const(2.0);
    let q_2 = o.f32_sub(q, two);
    let dist = o.f32_abs(q_2);
    let odd = o.f32_eq(dist, one);
    let mid = o.f32_const(1.5);
    let (res, negative) = if cosine {
        // Negative in quadrants 1 and 2: |q - 3/2| == 1/2.
        let q_mid = o.f32_sub(q, mid);
        let dist = o.f32_abs(q_mid);
        let half = o.f32_const(0.5);
        (o.f32_select(odd, sin, cos), o.f32_eq(dist, half))
    } else {
        (o.f32_select(odd, cos, sin), o.f32_lt(mid, q))
    };
    let res = negate_if32(o, negative, res);

    let ax = o.f32_abs(x);
    let res = if cosine {
        res
    } else {
        let tiny = o.f32_const(SIN_TINY);
        let is_tiny = o.f32_lt(ax, tiny);
        o.f32_select(is_tiny, x, res)
    };
    let limit = o.f32_const(F32_KERNEL_LIMIT);
    let common = o.f32_lt(ax, limit);
    let rare = o.mnot(common);
    let [rare_res, _, _] = o.only_if(rare, |o| {
        let xd = o.f32_to_f64(x);
        let zero = o.fconst(0.0);
        [sin_cos_f32_core(o, xd, cosine), zero, zero]
    });
    let rare_res = o.f64_to_f32(rare_res);
    o.f32_select(common, res, rare_res)
}

/// `sin(x)` for `f32`. See the module doc and the table of `math`.
pub fn sin_f32<O: MathOps>(o: &mut O, x: O::F32) -> O::F32 {
    sin_cos(o, x, false)
}

/// `cos(x)` for `f32`. See the module doc and the table of `math`.
pub fn cos_f32<O: MathOps>(o: &mut O, x: O::F32) -> O::F32 {
    sin_cos(o, x, true)
}
