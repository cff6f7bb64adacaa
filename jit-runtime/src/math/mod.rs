//! Transcendental functions, written once over primitive operations.
//!
//! Native code cannot call libm, so every transcendental function is emitted
//! inline. Each algorithm here is a generic function over [`MathOps`], a small
//! set of primitive operations that map to one machine instruction (or a short
//! fixed sequence) in SSE2 on x86-64 and in base AArch64: no SSE4.1
//! rounding, no loads by computed index except through [`MathOps::ftable`],
//! and one fused multiply-add, [`MathOps::f32_fma`] (an instruction with
//! FMA3 and on AArch64, a correctly rounded call elsewhere: exact either
//! way, so the bits do not depend on the CPU).
//! The same algorithm is instantiated twice:
//!
//! * by [`eval::Eval`], over plain `f32`/`f64`/`i64`/`bool` values — the
//!   reference interpreter calls the wrappers in [`eval`];
//! * by a code generator, over virtual registers, which emits the identical
//!   sequence of operations. Because every primitive has exactly specified
//!   semantics (IEEE 754 round-to-nearest-even everywhere), interpreter and
//!   native code give bit-identical results for non-NaN outputs, and return
//!   the input NaN itself (for `f32`: widened and narrowed again, i.e.
//!   quieted) for a NaN input.
//!
//! # Terms
//!
//! * *working precision*: all algorithms but the `f32` `sin`, `cos`, `exp`,
//!   `tanh` and `sigmoid` compute in `f64`. Those five compute in `f32`
//!   with fused multiply-adds (`sincosf.rs`: `sin` and `cos`, the reduced
//!   argument in two parts; `expf.rs`: the others), so that vector code
//!   runs them on every lane of an `f32` vector (eight with AVX2): within
//!   0.79 ulp (`exp` 0.8, `tanh` 0.76). The other `f32`
//!   functions widen their argument exactly, run the `f64` algorithm and round
//!   the result once to `f32`; the `f64` error (< 1 ulp of `f64`, i.e.
//!   < 2^-29 ulp of `f32`) plus the final rounding keeps them within one `f32`
//!   ulp of the exact result. `f32` `exp2` and `exp_m1`
//!   (`expf.rs`) and `ln`, `log2`, `log10` and `ln_1p` (`logf.rs`) run a
//!   shorter `f64` kernel instead, with a relative error below 2^-37, which
//!   is all an `f32` result needs (within 0.5 + 2^-13 ulp), at a third to
//!   a half of the primitives and one division at most.
//! * *ulp error*: `|computed - exact| / ulp(exact)`; "within 1 ulp" means the
//!   result is the correctly rounded value or one of its two neighbours.
//! * *branch-free*: the algorithms contain no data-dependent control flow.
//!   Alternative paths are all computed and blended with
//!   [`MathOps::fselect`]. The one expensive rare path, the huge-argument
//!   reduction of `sin`/`cos`/`tan`, goes through [`MathOps::only_if`], which
//!   an implementation with control flow may turn into a branch.
//!
//! # Functions and measured accuracy
//!
//! `sin`, `cos`, `tan`, `exp`, `exp2`, `exp_m1`, `ln`, `ln_1p`, `log2`,
//! `log10`, `powf`, `cbrt`, `erf`, `sigmoid`, `tanh`, `atan`, `asin`,
//! `acos`, `atan2`, `sinh`, `cosh`, `asinh`, `acosh`, `atanh` and `hypot`,
//! each as `*_f32` and `*_f64` (generic, re-exported here) and as plain
//! scalar functions in [`eval`]. Files: `trig.rs`, `explog.rs` (`exp`,
//! `exp2`, `ln`, `log2`, `tanh`), `expm1.rs` (`exp_m1`, `sigmoid`),
//! `logs.rs` (`ln_1p`, `log10`), `powers.rs` (`powf`, `cbrt`), `erf.rs`,
//! `atan.rs`, `inverse.rs` (`asin`, `acos`, `atan2`), `hyperbolic.rs`
//! (`sinh`, `cosh`, `asinh`, `acosh`, `atanh`, `hypot`), `expf.rs` (the
//! `f32` `exp`, `exp2`, `exp_m1`, `tanh` and `sigmoid`), `logf.rs` (the `f32`
//! `ln`, `log2`, `log10` and `ln_1p`), `sincosf.rs` (the `f32` `sin` and
//! `cos`), `f32ops.rs` (steps the functions computed in `f32` share).
//!
//! Measured by the unit tests in `tests.rs` (release build, 10^6 points per
//! sweep; `cargo test -p jit-runtime --release math -- --nocapture` prints
//! them). `f32`: maximum of `|got - ref| / ulp(ref)` with `ref` = `std`'s
//! `f64` function at the `f32` input (off from the exact value by about 2^-29
//! `f32` ulp). `f64`: (a) maximum integer ulp distance to `std` (glibc, whose
//! own error is below 1 ulp except `tanh`, see below) over the sweep; (b)
//! maximum true error `|got - exact| / ulp(exact)` on a sample of about 400
//! points per function with 106-bit reference values computed offline
//! (`testdata/*.txt`, made and checked by `testdata/generate.py` with
//! `mpmath`: uniform points of the main ranges, random bit patterns over all
//! finite values, doubles nearest to multiples of `pi/2` up to 2^60 and the
//! hardest case for `pi/2` reduction, `6381956970095103 * 2^797`).
//!
//! `f32` `sin` and `cos` run `f32` kernels (`sincosf.rs`) for `|x| < 2^16`:
//! a four-part Cody–Waite reduction with an exact two-sum, degree-3 and
//! degree-2 polynomials with `f32` coefficients; 54 primitives for both
//! together on the common path, on `f32` lanes (the `f64` algorithm takes
//! 91 on `f64` lanes). `math_f32_every_kernel_argument` (ignored by
//! default, about seven minutes in release) checks every `f32` of that
//! range, and `exp`, `tanh` and `sigmoid` of every finite `f32`.
//!
//! | function | range swept | `f32` max err | `f64` dist to std | `f64` true err (sample) |
//! |---|---|---|---|---|
//! | `sin` | [-100, 100]; all finite; f32: every value below 2^16 | 0.752; 0.746; 0.782 | 1; 1 | 0.62 |
//! | `cos` | [-100, 100]; all finite; f32: every value below 2^16 | 0.763; 0.732; 0.783 | 1; 1 | 0.70 |
//! | `tan` | [-100, 100]; all finite (poles included) | 0.500; 0.500 | 1; 1 | 0.70 |
//! | `exp` | f32 [-104, 89]; every finite f32; f64 [-746, 710], [-1, 1] | 0.783; 0.799 | 1; 1 | 0.72 |
//! | `exp2` | f32 [-150, 128]; f64 [-1075, 1024], [-1, 1] | 0.50001 | 1; 1 | 0.68 |
//! | `ln` | (0, MAX] log-uniform, subnormals included; f64 also [0.5, 2] | 0.50003 | 1; 1 | 0.67 |
//! | `log2` | (0, MAX] log-uniform, subnormals included; f64 also [0.5, 2] | 0.50005 | 1; 1 | 0.57 |
//! | `tanh` | f32 [-10, 10]; every finite f32; f64 [-20, 20], [-1, 1] | 0.750; 0.756 | 2 (glibc's error); 2 | 0.65 |
//! | `atan` | [-10, 10]; all finite | 0.500; 0.500 | 1; 1 | 0.68 |
//! | `asin` | [-1, 1]; all finite | 0.500; 0.500 | 1; 1 | 0.75 |
//! | `acos` | [-1, 1]; all finite | 0.500; 0.500 | 1; 1 | 0.72 |
//! | `atan2` | [-10, 10]^2 and random pairs of all finite | 0.500 | 1 | 0.65 |
//! | `sinh` | f32 [-90, 90], all finite; f64 [-20, 20], [-1, 1], all finite | 0.500; 0.500 | 2 (glibc's error); 2 | 0.52 |
//! | `cosh` | f32 [-90, 90], all finite; f64 [-20, 20], all finite | 0.500; 0.500 | 1; 1 | 0.59 |
//! | `asinh` | [-10, 10]; all finite | 0.500; 0.500 | 2 (C library's); 2 | 0.79 |
//! | `acosh` | [1, 10]; all finite >= 1; f64 also [1, 1.01] | 0.500; 0.500 | 2 (C library's); 1; 2 | 0.62 |
//! | `atanh` | [-1, 1]; all finite | 0.500; 0.500 | 2 (C library's); 2 | 0.78 |
//! | `hypot` | [-10, 10]^2 and random pairs of all finite | 0.500 | 1 | 0.50 |
//! | `exp_m1` | f32 [-20, 89], [-1, 1], all finite; f64 [-40, 710], [-1, 1], all finite | 0.50002; 0.50008; 0.50005 | 1; 1 | 0.59 |
//! | `ln_1p` | [-1, 1], all finite | 0.50005; 0.50001 | 1; 1 | 0.66 |
//! | `log10` | (0, MAX] log-uniform; f64 also [0.5, 2] | 0.50006 | 2 (glibc's error); 2 | 0.56 |
//! | `powf` | f32: x > 0 all magnitudes with y in [-60, 60], x in [-30, 0] with integral y; f64: x > 0 all magnitudes with y in [-2, 2], x in [0, 10] with y in [-300, 300], x = 1 ± 1e-6 with y in ±1e9 | 0.500; 0.500 | 1 | not sampled |
//! | `cbrt` | all finite; f64 also [-2, 2] | 0.500 | 1; 1 | 0.65 |
//! | `erf` | [-6, 6]; all finite (reference: the C library's `erf`) | 0.500; 0.500 | 1; 1 | 0.60 |
//! | `sigmoid` | f32 [-110, 90], every finite f32; f64 [-709, 710] (reference `1/(1 + exp(-x))` in `f64`, itself a few ulp off) | 0.776; 0.790 | 2 | 0.67 |
//!
//! In addition, `math_f32_strided_all_bits` (ignored by default, about a
//! minute in release) runs every `f32` function on every 61st bit pattern
//! (7 * 10^7 inputs over all finite values): maximum 0.500000 ulp for each
//! but the five computed in `f32`, `sin` (0.776), `cos` (0.768), `exp`
//! (0.786), `tanh` (0.751) and `sigmoid` (0.776), and the short-kernel
//! ones: `exp2` (0.50001), `exp_m1` (0.50008), `ln` (0.50003),
//! `log2` (0.50005), `log10` (0.50006) and `ln_1p` (0.50006). The table's `f32` column gives the same maxima over its
//! sweeps (the strided walk included).
//!
//! `asinh`, `acosh` and `atanh` are measured against the C library's
//! functions (glibc), not `std`'s: those are formulas of `std`'s own over
//! `ln_1p`, `sqrt` and `hypot`, several ulp off in places and overflowing
//! early (`f64::MAX.asinh()` is `inf`, where this crate gives
//! `710.4758600739439`; `f64::MAX.acosh()` likewise). glibc's `sinh`,
//! `asinh`, `acosh` and `atanh` are themselves up to 2 ulp off, hence the
//! distances of 2; against the 106-bit sample every one is below 0.79 ulp.
//! The two-argument samples hold pairs: uniform, random bit patterns, one
//! operand about 2^-30 of the other (fdlibm's `atan2`, `atan` of the
//! rounded quotient and `pi - (z - pi_lo)`, reaches 0.96 ulp there; with
//! the quotient's rounding error passed to `atan` and `pi - z` formed from
//! `z`'s unrounded parts, 0.65). `hypot` of a subnormal result is rounded twice (to 53 bits, then to the
//! subnormal grid on scaling back), so there it can be 1 ulp off.
//! `powf` has no 106-bit sample (the sample files hold functions of one
//! argument); its `f64` bound is the distance of 1 to glibc's `pow`
//! (correctly rounded in glibc 2.28 and later) over the sweep, and `std`'s
//! `powf(x, 0.5)` (glibc takes `sqrt`) is matched within that ulp, not bit
//! for bit.
//!
//! So every `f32` result measured is within 0.501 ulp of the exact value
//! (within 0.5 + 2^-29, correctly rounded except in rare double-rounding
//! cases, for all but the five computed in `f32` and the short-kernel
//! functions), `sin`, `cos` and `sigmoid` within 0.79 ulp, `exp` within
//! 0.8 ulp, `tanh` within 0.76 ulp, and every
//! `f64` result measured against the exact value is within 0.79 ulp. The `tanh` distance of
//! 2 to `std` is glibc's error: at `x = -0.22697058991792574` this crate's
//! result is the correctly rounded one and glibc's is 2 ulp away. The bounds
//! are expected to hold for all finite inputs (not proven here; fdlibm's
//! error analyses cover the kernels): the `f32` functions inherit them from the
//! `f64` algorithm (error below 1 `f64` ulp, i.e. 2^-29 `f32` ulp, plus
//! one final rounding); for `sin`, `cos` and `tan` both argument reductions
//! keep the reduced argument accurate to at least 2^-64 relative even for the
//! worst cancellation among all doubles (a reduced argument of about 2^-61
//! times `pi/2`, computed with an absolute error below about 2^-125).
//!
//! # Cost
//!
//! Primitives per call, constants not counted (`math_primitive_counts`
//! prints them): `f32` `exp` 30 (in `f32`, no division), `exp2` 32, `exp_m1` 38, `tanh` 25 (in `f32`, no division; ten of them table lookups, which
//! `math_primitive_counts` counts as the default's 14 compares and selects each: 154),
//! `sigmoid` 56 (in `f32`, one), `ln` and `log2` 34 (one), `log10` 34 (one),
//! `ln_1p` 43 (one); `f64`: `exp` 40, `exp2` 57, `ln` 64, `log2` 66, `log10` 69,
//! `atan` 66 (one division each), `exp_m1` 60 (one), `ln_1p` 77 (two),
//! `cbrt` 50 (three), `sigmoid` 98 (three), `tanh` 113 (three divisions),
//! `erf` 214 (seven, two inline `exp`s), `powf` 239 (two), `asin` 63,
//! `acos` 55 (two divisions each), `atan2` 130 (four), `sinh` 123, `cosh` 93
//! (three each), `asinh` 122, `atanh` 120 (four each), `acosh` 149 (three),
//! `hypot` 105 (one, and two square roots); `sin`/`cos` 91 and `tan` 114
//! (one or three divisions) when the huge-argument path of
//! [`MathOps::only_if`] is branched around, and when it is evaluated:
//! `f32` `sin`/`cos` 298 (54 on the `f32` path), `tan` 308 (table-free
//! reduction), `f64`
//! `sin`/`cos` about 416, `tan` 439 with an indexed-load `ftable` (1271 and
//! 1294 with the default select chains). The `f32` functions add two
//! conversions to these counts.
//!
//! # Special values
//!
//! As Rust's `std` gives them: NaN in gives NaN out (the input NaN itself);
//! `sin`/`cos`/`tan(±inf)` = NaN; `sin`/`tan(±0)` = ±0; `exp(+inf)` = inf,
//! `exp(-inf)` = 0, overflow gives inf and underflow gives a correctly scaled
//! subnormal or 0; `ln(±0)` = -inf, `ln(x < 0)` = NaN, `ln(+inf)` = inf;
//! `tanh(±inf)` = ±1, `tanh(±0)` = ±0; `exp2` like `exp` (and exact at
//! integers); `log2` like `ln` (and exact at powers of two); `atan(±inf)` =
//! ±pi/2, `atan(±0)` = ±0; `asin`/`acos`/`atanh` outside `[-1, 1]` and
//! `acosh` below 1 give NaN, `asin(±0)` = ±0, `acos(1)` = +0, `atanh(±1)` =
//! ±inf, `acosh(1)` = +0; `sinh`/`asinh(±0)` = ±0, `sinh(±inf)` = ±inf,
//! `cosh(±inf)` = inf (and overflow past 710.4758600739439);
//! `atan2` as C99 Annex F (`atan2(±0, +0)` = ±0, `atan2(±0, -0)` = ±pi,
//! `atan2(±y, ±inf)`, `atan2(±inf, ±inf)` = ±pi/4 or ±3pi/4, a NaN operand
//! itself); `hypot(±inf, NaN)` = inf.
//! `log10` like `ln` and exact at powers of ten;
//! `exp_m1(-inf)` = -1, `exp_m1(±0)` = ±0; `ln_1p(-1)` = -inf,
//! `ln_1p(x < -1)` = NaN, `ln_1p(±0)` = ±0; `cbrt` of ±0, ±inf is itself;
//! `erf(±inf)` = ±1, `erf(±0)` = ±0; `sigmoid(-inf)` = 0, `sigmoid(inf)` =
//! 1; `powf` as C99 `pow` (see `powers.rs`), a NaN operand giving `x` if it
//! is NaN, else `y`, except `powf(x, ±0)` = 1 and `powf(1, y)` = 1.
//!
//! # Origin
//!
//! The kernels and their coefficients follow fdlibm (Sun Microsystems), by
//! way of FreeBSD msun: "Copyright (C) 1993 by Sun Microsystems, Inc. All
//! rights reserved. Developed at SunSoft, a Sun Microsystems, Inc. business.
//! Permission to use, copy, modify, and distribute this software is freely
//! granted, provided that this notice is preserved." (`e_pow.c`:
//! "Copyright (C) 2004 by Sun Microsystems, Inc. All rights reserved.",
//! same permission; `s_cbrt.c` as optimised by Bruce D. Evans for FreeBSD.)
//! The branch-free structure, the argument reductions for large arguments,
//! `exp2`, `exp_m1` and `sigmoid` in double-double and the `tanh` method and
//! polynomial are this crate's own.

mod atan;
mod dd;
mod erf;
pub mod eval;
mod expf;
mod explog;
mod expm1;
mod f32ops;
mod hyperbolic;
mod inverse;
mod logf;
mod logs;
mod powers;
mod sincosf;
mod trig;

#[cfg(test)]
mod testdata;
#[cfg(test)]
mod tests;

pub use atan::{atan_f32, atan_f64};
pub use erf::{erf_f32, erf_f64};
pub use expf::{exp_f32, exp_m1_f32, exp2_f32, sigmoid_f32, tanh_f32};
pub use explog::{exp_f64, exp2_f64, ln_f64, log2_f64, tanh_f64};
pub use expm1::{exp_m1_f64, sigmoid_f64};
pub use hyperbolic::{
    acosh_f32, acosh_f64, asinh_f32, asinh_f64, atanh_f32, atanh_f64, cosh_f32, cosh_f64,
    hypot_f32, hypot_f64, sinh_f32, sinh_f64,
};
pub use inverse::{acos_f32, acos_f64, asin_f32, asin_f64, atan2_f32, atan2_f64};
pub use logf::{ln_1p_f32, ln_f32, log2_f32, log10_f32};
pub use logs::{ln_1p_f64, log10_f64};
pub use powers::{cbrt_f32, cbrt_f64, powf_f32, powf_f64};
pub use sincosf::{F32_KERNEL_LIMIT, cos_f32, sin_f32};
pub use trig::{MEDIUM_LIMIT, cos_f64, sin_f64, tan_f32, tan_f64};

/// The primitive operations every transcendental algorithm is written in.
///
/// Values of type [`F`](MathOps::F) are IEEE 754 binary64, values of type
/// [`F32`](MathOps::F32) binary32, values of type [`I`](MathOps::I) 64-bit
/// two's-complement integers, values of type [`M`](MathOps::M) booleans
/// (comparison masks). Every floating-point operation rounds to nearest,
/// ties to even, with no traps, and handles subnormals (no flush-to-zero).
/// Unless a method says otherwise, a NaN operand gives *some* quiet NaN; the
/// algorithms never let the payload of a computed NaN reach their result.
///
/// Methods documented as *unspecified* for some inputs may return any value
/// of the right type (but must not trap or fault); the algorithms only call
/// them with such inputs on paths whose results are discarded by a select, so
/// the outputs stay bit-identical across implementations.
pub trait MathOps {
    /// An `f32` value.
    type F32: Copy;
    /// An `f64` value.
    type F: Copy;
    /// An `i64` value (often the bit pattern of an `f64`).
    type I: Copy;
    /// A boolean, the result of a comparison.
    type M: Copy;

    /// `a` widened to `f64`: exact. (`cvtss2sd`; `fcvt d, s`.)
    fn f32_to_f64(&mut self, a: Self::F32) -> Self::F;
    /// `a` rounded to `f32`, ties to even; overflow gives ±inf, tiny values
    /// round to subnormals or ±0. (`cvtsd2ss`; `fcvt s, d`.)
    fn f64_to_f32(&mut self, a: Self::F) -> Self::F32;

    /// The constant `v`.
    fn fconst(&mut self, v: f64) -> Self::F;
    /// The constant `v`.
    fn iconst(&mut self, v: i64) -> Self::I;

    /// `a + b`.
    fn fadd(&mut self, a: Self::F, b: Self::F) -> Self::F;
    /// `a - b`.
    fn fsub(&mut self, a: Self::F, b: Self::F) -> Self::F;
    /// `a * b`.
    fn fmul(&mut self, a: Self::F, b: Self::F) -> Self::F;
    /// `a / b`.
    fn fdiv(&mut self, a: Self::F, b: Self::F) -> Self::F;
    /// `-a`: flips the sign bit only (also of NaN). (`xorpd` with the sign
    /// mask; `fneg`.)
    fn fneg(&mut self, a: Self::F) -> Self::F;
    /// `|a|`: clears the sign bit only. (`andpd`; `fabs`.)
    fn fabs(&mut self, a: Self::F) -> Self::F;
    /// `sqrt(a)`, correctly rounded (IEEE 754); NaN for `a < 0`, `-0` for
    /// `-0`. (`sqrtsd`; `fsqrt d`.)
    fn fsqrt(&mut self, a: Self::F) -> Self::F;

    /// Exactly `(a + C) - C` with `C = 1.5 * 2^52`, two rounded additions.
    ///
    /// For `|a| <= 2^51` this is `a` rounded to an integer, ties to even, and
    /// a zero result is `+0.0`. Other inputs give what the formula gives; the
    /// algorithms discard those results. Implement it with the two additions
    /// (not `frintn`/`roundsd`), so that every backend agrees bit for bit.
    fn round_ties_even(&mut self, a: Self::F) -> Self::F;
    /// `a`, an integral value with `|a| < 2^53`, as an integer.
    /// Unspecified for other inputs (NaN, infinities, out of range,
    /// non-integral). (`cvttsd2si`; `fcvtzs`.)
    fn f_to_i(&mut self, a: Self::F) -> Self::I;
    /// `a` converted to `f64`, rounded (exact for `|a| <= 2^53`).
    /// (`cvtsi2sd`; `scvtf`.)
    fn i_to_f(&mut self, a: Self::I) -> Self::F;
    /// The bit pattern of `a`. (`movq`; `fmov x, d`.)
    fn f_to_bits(&mut self, a: Self::F) -> Self::I;
    /// The `f64` whose bit pattern is `a`.
    fn bits_to_f(&mut self, a: Self::I) -> Self::F;

    /// `a + b`, wrapping.
    fn iadd(&mut self, a: Self::I, b: Self::I) -> Self::I;
    /// `a - b`, wrapping.
    fn isub(&mut self, a: Self::I, b: Self::I) -> Self::I;
    /// Bitwise and.
    fn iand(&mut self, a: Self::I, b: Self::I) -> Self::I;
    /// Bitwise or.
    fn ior(&mut self, a: Self::I, b: Self::I) -> Self::I;
    /// Bitwise exclusive or.
    fn ixor(&mut self, a: Self::I, b: Self::I) -> Self::I;
    /// `a << sh`, `sh` a constant in `0..64`.
    fn ishl(&mut self, a: Self::I, sh: u32) -> Self::I;
    /// Arithmetic (sign-filling) `a >> sh`, `sh` a constant in `0..64`.
    fn ishr_s(&mut self, a: Self::I, sh: u32) -> Self::I;
    /// Logical (zero-filling) `a >> sh`, `sh` a constant in `0..64`.
    fn ishr_u(&mut self, a: Self::I, sh: u32) -> Self::I;

    /// `a < b`; false if either is NaN.
    fn flt(&mut self, a: Self::F, b: Self::F) -> Self::M;
    /// `a <= b`; false if either is NaN.
    fn fle(&mut self, a: Self::F, b: Self::F) -> Self::M;
    /// `a == b`; false if either is NaN, true for `+0 == -0`.
    fn feq(&mut self, a: Self::F, b: Self::F) -> Self::M;
    /// True iff `a` or `b` is NaN.
    fn funord(&mut self, a: Self::F, b: Self::F) -> Self::M;
    /// Signed `a < b`.
    fn ilt(&mut self, a: Self::I, b: Self::I) -> Self::M;
    /// `a == b`.
    fn ieq(&mut self, a: Self::I, b: Self::I) -> Self::M;
    /// Logical and.
    fn mand(&mut self, a: Self::M, b: Self::M) -> Self::M;
    /// Logical not.
    fn mnot(&mut self, a: Self::M) -> Self::M;
    /// `if m { a } else { b }`, bit-exact (NaN payloads and zero signs kept).
    fn fselect(&mut self, m: Self::M, a: Self::F, b: Self::F) -> Self::F;
    /// `if m { a } else { b }`.
    fn iselect(&mut self, m: Self::M, a: Self::I, b: Self::I) -> Self::I;

    // ---- `f32` arithmetic, for the kernels that compute in `f32` lanes ----

    /// The `f32` constant `v`.
    fn f32_const(&mut self, v: f32) -> Self::F32;
    /// `a + b` in `f32`.
    fn f32_add(&mut self, a: Self::F32, b: Self::F32) -> Self::F32;
    /// `a - b` in `f32`.
    fn f32_sub(&mut self, a: Self::F32, b: Self::F32) -> Self::F32;
    /// `a * b` in `f32`.
    fn f32_mul(&mut self, a: Self::F32, b: Self::F32) -> Self::F32;
    /// `a / b` in `f32`.
    fn f32_div(&mut self, a: Self::F32, b: Self::F32) -> Self::F32;
    /// `a * b + c` rounded once (IEEE `fusedMultiplyAdd`, `f32::mul_add`).
    /// (`vfmadd`; `fmla`/`fmadd`; a correctly rounded library call where
    /// the CPU has no fused multiply-add.)
    fn f32_fma(&mut self, a: Self::F32, b: Self::F32, c: Self::F32) -> Self::F32;
    /// `-a`: flips the sign bit only.
    fn f32_neg(&mut self, a: Self::F32) -> Self::F32;
    /// `|a|`: clears the sign bit only.
    fn f32_abs(&mut self, a: Self::F32) -> Self::F32;
    /// `a < b`; false if either is NaN.
    fn f32_lt(&mut self, a: Self::F32, b: Self::F32) -> Self::M;
    /// `a == b`; false if either is NaN.
    fn f32_eq(&mut self, a: Self::F32, b: Self::F32) -> Self::M;
    /// `if m { a } else { b }`, bit-exact; `m` from an `f32` comparison.
    fn f32_select(&mut self, m: Self::M, a: Self::F32, b: Self::F32) -> Self::F32;
    /// `mag` with the sign bit of `x` or-ed into its own (clear) sign bit:
    /// `copysign(mag, x)` for a `mag` of clear sign, as `|y|` has. `mag`
    /// with its sign bit set gives an unspecified value.
    fn f32_or_sign(&mut self, mag: Self::F32, x: Self::F32) -> Self::F32;
    /// `2^n` for an integral `n` in `[-126, 127]`, exact (the exponent
    /// field built from `n`); unspecified for other `n`.
    fn f32_pow2(&mut self, n: Self::F32) -> Self::F32;

    /// `table[(key.to_bits() >> 22) & 7]`: the entry of `key`'s half
    /// binade. For `key` in `[1, 16)` the eight half binades `[1, 1.5)`,
    /// `[1.5, 2)`, `[2, 3)`, ... `[12, 16)` are the entries 6, 7, 0, 1, ..., 5;
    /// the entry is unspecified for any other `key` (a NaN's lane is
    /// discarded by the caller). `tanh` looks up its piecewise polynomials
    /// with it.
    ///
    /// The default compares `key` with the seven inner bounds (a select
    /// each); a code generator with a lane permutation (AVX2's `vpermps`,
    /// NEON's `tbl`) or an indexed load should override it.
    fn f32_half_binade(&mut self, key: Self::F32, table: &'static [f32; 8]) -> Self::F32 {
        half_binade_by_compares(self, key, table)
    }

    /// Evaluates a rarely needed path: returns `path(self)` when `m` is true;
    /// when `m` is false it may return either `path(self)` or `[0.0; 3]`, and
    /// the caller does not use the result. The default always evaluates the
    /// path (branch-free code); an implementation with control flow may
    /// branch around it, and [`eval::Eval`] skips it. Used for the
    /// huge-argument reduction of `sin`, `cos` and `tan` (`|x| >= 2^20`, or
    /// not finite).
    fn only_if(&mut self, m: Self::M, path: impl FnOnce(&mut Self) -> [Self::F; 3]) -> [Self::F; 3]
    where
        Self: Sized,
    {
        let _ = m;
        path(self)
    }

    /// `table[idx]`. The algorithms guarantee `0 <= idx < table.len()` for
    /// every input, NaN and infinities included. Only the huge-argument
    /// reduction of the `f64` trigonometric functions uses it, with a
    /// 49-entry table.
    ///
    /// The default is a chain of compares and selects (always correct, but
    /// `len` selects long); a code generator should override it with an
    /// indexed load from a constant pool (`movsd xmm, [base + idx*8]`;
    /// `ldr d, [base, idx, lsl #3]`).
    fn ftable(&mut self, table: &'static [f64], idx: Self::I) -> Self::F {
        let mut acc = self.fconst(table[0]);
        for (i, &v) in table.iter().enumerate().skip(1) {
            let iv = self.iconst(i as i64);
            let hit = self.ieq(idx, iv);
            let c = self.fconst(v);
            acc = self.fselect(hit, c, acc);
        }
        acc
    }
}

/// [`MathOps::f32_half_binade`] by compares and selects, for `key` in
/// `[1, 16)`: the entry of `[1, 1.5)`, replaced by each later half binade's
/// entry where `key` reaches its lower bound.
pub(crate) fn half_binade_by_compares<O: MathOps + ?Sized>(
    o: &mut O,
    key: O::F32,
    table: &'static [f32; 8],
) -> O::F32 {
    const LOWER_BOUNDS: [f32; 8] = [1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0];
    let mut acc = o.f32_const(table[6]);
    for (k, &bound) in LOWER_BOUNDS.iter().enumerate().skip(1) {
        // `key >= bound` as `below < key`, `below` the f32 under `bound`.
        let below = o.f32_const(f32::from_bits(bound.to_bits() - 1));
        let reached = o.f32_lt(below, key);
        let entry = o.f32_const(table[(6 + k) % 8]);
        acc = o.f32_select(reached, entry, acc);
    }
    acc
}

// ---- `f32` functions through their `f64` algorithms ----

/// `f(x)` for an `f32` `x`: widened exactly, the `f64` algorithm `f`, the
/// result rounded once (the *working precision* of the module doc). Every
/// `*_f32` function of one argument is this over its `f64` algorithm.
fn in_f64<O: MathOps>(o: &mut O, x: O::F32, f: impl FnOnce(&mut O, O::F) -> O::F) -> O::F32 {
    let xd = o.f32_to_f64(x);
    let r = f(o, xd);
    o.f64_to_f32(r)
}

/// [`in_f64`] for functions of two arguments (widened `a` first, then `b`).
fn in_f64_2<O: MathOps>(
    o: &mut O,
    a: O::F32,
    b: O::F32,
    f: impl FnOnce(&mut O, O::F, O::F) -> O::F,
) -> O::F32 {
    let ad = o.f32_to_f64(a);
    let bd = o.f32_to_f64(b);
    let r = f(o, ad, bd);
    o.f64_to_f32(r)
}
