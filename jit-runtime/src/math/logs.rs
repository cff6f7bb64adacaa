//! `ln_1p` and `log10` for `f64`, on the `ln` reduction and kernel of
//! `explog.rs` (the `f32` forms are in `logf.rs`).
//!
//! * `ln_1p` (fdlibm `s_log1p.c`, branch-free): for `x` in
//!   `(-0.2929, 0.4142)`, `ln(1 + f)` with `f = x` itself (exact); otherwise
//!   `u = 1 + x` is reduced to `2^k (1 + f)` and the rounding error of `u` is
//!   carried as the correction `c = ((1 + x) - u) / u`, added to the low part
//!   `k ln2_lo`. `|x| < 2^-54` returns `x` (keeping `ln_1p(-0) = -0`).
//! * `log10` (fdlibm `e_log10.c`, as `log2` in `explog.rs`): `ln(1 + f)` is
//!   split into a head with 21 significant bits and a tail before the
//!   multiplication by `1/ln10` (in two parts), and `k log10(2)` (in two
//!   parts) is added in extra precision, so powers of ten give exact results
//!   (`log10(1e22) == 22`).

use super::MathOps;
use super::explog::{
    LN2_HI, LN2_LO, LogParts, add_hi_lo, log_kernel, log_parts, log_reduce, log_specials,
    log1p_hi_lo,
};

const IVLN10_HI: f64 = f64::from_bits(0x3FDB_CB7B_1520_0000);
const IVLN10_LO: f64 = f64::from_bits(0x3DBB_9438_CA9A_ADD5);
const LOG10_2_HI: f64 = f64::from_bits(0x3FD3_4413_509F_6000);
const LOG10_2_LO: f64 = f64::from_bits(0x3D59_FEF3_11F1_2B36);

/// `ln(1 + x)` for `f64`. See the module table for measurements.
pub fn ln_1p_f64<O: MathOps>(o: &mut O, x: O::F) -> O::F {
    let one = o.fconst(1.0);
    let two = o.fconst(2.0);
    let zero = o.fconst(0.0);
    let u = o.fadd(one, x);
    let (dk_u, f_u, _) = log_reduce(o, u);
    // c: the rounding error of u, relative to u (u - 1 is exact below 2,
    // u - x above).
    let big = o.fle(two, u);
    let um1 = o.fsub(u, one);
    let c_small = o.fsub(x, um1);
    let ux = o.fsub(u, x);
    let c_big = o.fsub(one, ux);
    let c = o.fselect(big, c_big, c_small);
    let c = o.fdiv(c, u);
    let two53 = o.fconst(9_007_199_254_740_992.0);
    let huge = o.fle(two53, x);
    let c = o.fselect(huge, zero, c);
    // Near 0: f = x, k = 0, no correction.
    let lo = o.fconst(-0.292_893_218_813_452_4);
    let hi = o.fconst(0.414_213_562_373_095_03);
    let above = o.flt(lo, x);
    let below = o.flt(x, hi);
    let near = o.mand(above, below);
    let f = o.fselect(near, x, f_u);
    let dk = o.fselect(near, zero, dk_u);
    let c = o.fselect(near, zero, c);
    let (s, r) = log_kernel(o, f);
    // dk*ln2_hi - ((hfsq - (s*(hfsq+R) + (dk*ln2_lo + c))) - f)
    let half = o.fconst(0.5);
    let hf = o.fmul(half, f);
    let hfsq = o.fmul(hf, f);
    let c_hi = o.fconst(LN2_HI);
    let c_lo = o.fconst(LN2_LO);
    let dkh = o.fmul(dk, c_hi);
    let dkl = o.fmul(dk, c_lo);
    let low = o.fadd(dkl, c);
    let t = o.fadd(hfsq, r);
    let t = o.fmul(s, t);
    let t = o.fadd(t, low);
    let t = o.fsub(hfsq, t);
    let t = o.fsub(t, f);
    let res = o.fsub(dkh, t);
    let ax = o.fabs(x);
    let tiny = o.fconst(f64::from_bits(0x3C90_0000_0000_0000)); // 2^-54
    let is_tiny = o.flt(ax, tiny);
    let res = o.fselect(is_tiny, x, res);
    // u = 0 (x = -1) gives -inf, u < 0 NaN, +inf itself; NaN is x itself.
    let res = log_specials(o, u, res);
    let nan = o.funord(x, x);
    o.fselect(nan, x, res)
}

/// `log10(x)` for `f64` (fdlibm `e_log10.c`). Exact for powers of ten
/// that are doubles.
pub fn log10_f64<O: MathOps>(o: &mut O, x: O::F) -> O::F {
    let LogParts { dk, f, s, r, .. } = log_parts(o, x);
    let (hi, lo) = log1p_hi_lo(o, f, s, r);
    let ih = o.fconst(IVLN10_HI);
    let il = o.fconst(IVLN10_LO);
    let l2h = o.fconst(LOG10_2_HI);
    let l2l = o.fconst(LOG10_2_LO);
    let val_hi = o.fmul(hi, ih);
    let y2 = o.fmul(dk, l2h);
    let a = o.fmul(dk, l2l);
    let lh = o.fadd(lo, hi);
    let b = o.fmul(lh, il);
    let a = o.fadd(a, b);
    let b = o.fmul(lo, ih);
    let val_lo = o.fadd(a, b);
    let res = add_hi_lo(o, y2, val_hi, val_lo);
    log_specials(o, x, res)
}
