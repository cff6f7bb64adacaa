//! The evaluator: [`MathOps`] over plain values, and the scalar functions the
//! reference interpreter calls.
//!
//! [`Eval`] implements every primitive with the Rust operation of the same
//! IEEE 754 semantics, so these functions return bit for bit what the native
//! code generated from the same algorithms returns. Operations the trait
//! leaves unspecified for some inputs use Rust's defined behaviour (for
//! example `f_to_i` saturates); the algorithms never let those values reach a
//! result. [`MathOps::only_if`] skips its path when the mask is false.

use super::MathOps;

/// [`MathOps`] over `f32`, `f64`, `i64` and `bool`.
#[derive(Debug, Default, Clone, Copy)]
pub struct Eval;

impl MathOps for Eval {
    type F32 = f32;
    type F = f64;
    type I = i64;
    type M = bool;

    #[inline]
    fn f32_to_f64(&mut self, a: f32) -> f64 {
        f64::from(a)
    }
    #[inline]
    fn f64_to_f32(&mut self, a: f64) -> f32 {
        a as f32
    }
    #[inline]
    fn fconst(&mut self, v: f64) -> f64 {
        v
    }
    #[inline]
    fn iconst(&mut self, v: i64) -> i64 {
        v
    }
    #[inline]
    fn fadd(&mut self, a: f64, b: f64) -> f64 {
        a + b
    }
    #[inline]
    fn fsub(&mut self, a: f64, b: f64) -> f64 {
        a - b
    }
    #[inline]
    fn fmul(&mut self, a: f64, b: f64) -> f64 {
        a * b
    }
    #[inline]
    fn fdiv(&mut self, a: f64, b: f64) -> f64 {
        a / b
    }
    #[inline]
    fn fneg(&mut self, a: f64) -> f64 {
        -a
    }
    #[inline]
    fn fabs(&mut self, a: f64) -> f64 {
        a.abs()
    }
    #[inline]
    fn fsqrt(&mut self, a: f64) -> f64 {
        a.sqrt()
    }
    #[inline]
    fn round_ties_even(&mut self, a: f64) -> f64 {
        const MAGIC: f64 = 6_755_399_441_055_744.0; // 1.5 * 2^52
        (a + MAGIC) - MAGIC
    }
    #[inline]
    fn f_to_i(&mut self, a: f64) -> i64 {
        a as i64
    }
    #[inline]
    fn i_to_f(&mut self, a: i64) -> f64 {
        a as f64
    }
    #[inline]
    fn f_to_bits(&mut self, a: f64) -> i64 {
        a.to_bits() as i64
    }
    #[inline]
    fn bits_to_f(&mut self, a: i64) -> f64 {
        f64::from_bits(a as u64)
    }
    #[inline]
    fn iadd(&mut self, a: i64, b: i64) -> i64 {
        a.wrapping_add(b)
    }
    #[inline]
    fn isub(&mut self, a: i64, b: i64) -> i64 {
        a.wrapping_sub(b)
    }
    #[inline]
    fn iand(&mut self, a: i64, b: i64) -> i64 {
        a & b
    }
    #[inline]
    fn ior(&mut self, a: i64, b: i64) -> i64 {
        a | b
    }
    #[inline]
    fn ixor(&mut self, a: i64, b: i64) -> i64 {
        a ^ b
    }
    #[inline]
    fn ishl(&mut self, a: i64, sh: u32) -> i64 {
        a << sh
    }
    #[inline]
    fn ishr_s(&mut self, a: i64, sh: u32) -> i64 {
        a >> sh
    }
    #[inline]
    fn ishr_u(&mut self, a: i64, sh: u32) -> i64 {
        ((a as u64) >> sh) as i64
    }
    #[inline]
    fn flt(&mut self, a: f64, b: f64) -> bool {
        a < b
    }
    #[inline]
    fn fle(&mut self, a: f64, b: f64) -> bool {
        a <= b
    }
    #[inline]
    fn feq(&mut self, a: f64, b: f64) -> bool {
        a == b
    }
    #[inline]
    fn funord(&mut self, a: f64, b: f64) -> bool {
        a.is_nan() || b.is_nan()
    }
    #[inline]
    fn ilt(&mut self, a: i64, b: i64) -> bool {
        a < b
    }
    #[inline]
    fn ieq(&mut self, a: i64, b: i64) -> bool {
        a == b
    }
    #[inline]
    fn mand(&mut self, a: bool, b: bool) -> bool {
        a & b
    }

    #[inline]
    fn mnot(&mut self, a: bool) -> bool {
        !a
    }
    #[inline]
    fn fselect(&mut self, m: bool, a: f64, b: f64) -> f64 {
        if m { a } else { b }
    }
    #[inline]
    fn iselect(&mut self, m: bool, a: i64, b: i64) -> i64 {
        if m { a } else { b }
    }
    #[inline]
    fn f32_const(&mut self, v: f32) -> f32 {
        v
    }
    #[inline]
    fn f32_add(&mut self, a: f32, b: f32) -> f32 {
        a + b
    }
    #[inline]
    fn f32_sub(&mut self, a: f32, b: f32) -> f32 {
        a - b
    }
    #[inline]
    fn f32_mul(&mut self, a: f32, b: f32) -> f32 {
        a * b
    }
    #[inline]
    fn f32_div(&mut self, a: f32, b: f32) -> f32 {
        a / b
    }
    #[inline]
    fn f32_fma(&mut self, a: f32, b: f32, c: f32) -> f32 {
        a.mul_add(b, c)
    }
    #[inline]
    fn f32_neg(&mut self, a: f32) -> f32 {
        -a
    }
    #[inline]
    fn f32_abs(&mut self, a: f32) -> f32 {
        a.abs()
    }
    #[inline]
    fn f32_lt(&mut self, a: f32, b: f32) -> bool {
        a < b
    }
    #[inline]
    fn f32_eq(&mut self, a: f32, b: f32) -> bool {
        a == b
    }
    #[inline]
    fn f32_select(&mut self, m: bool, a: f32, b: f32) -> f32 {
        if m { a } else { b }
    }
    #[inline]
    fn f32_pow2(&mut self, n: f32) -> f32 {
        f32::from_bits(((n as i32).wrapping_add(127) as u32) << 23)
    }
    #[inline]
    fn f32_or_sign(&mut self, mag: f32, x: f32) -> f32 {
        f32::from_bits(mag.to_bits() | (x.to_bits() & 0x8000_0000))
    }
    #[inline]
    fn f32_half_binade(&mut self, key: f32, table: &'static [f32; 8]) -> f32 {
        table[((key.to_bits() >> 22) & 7) as usize]
    }
    #[inline]
    fn only_if(&mut self, m: bool, path: impl FnOnce(&mut Self) -> [f64; 3]) -> [f64; 3] {
        if m { path(self) } else { [0.0; 3] }
    }
    #[inline]
    fn ftable(&mut self, table: &'static [f64], idx: i64) -> f64 {
        table[idx as usize]
    }
}

macro_rules! scalar {
    ($($name:ident: $t:ty, $what:literal;)*) => {$(
        #[doc = concat!("`", $what, "` on a plain `", stringify!($t), "`, bit-identical to the native code.")]
        #[must_use]
        // Every function has its plain form; those no op uses are
        // used by the math tests only.
        #[cfg_attr(not(test), allow(dead_code))]
        pub fn $name(x: $t) -> $t {
            super::$name(&mut Eval, x)
        }
    )*};
}

scalar! {
    sin_f32: f32, "sin(x)";
    cos_f32: f32, "cos(x)";
    tan_f32: f32, "tan(x)";
    exp_f32: f32, "e^x";
    ln_f32: f32, "ln(x)";
    tanh_f32: f32, "tanh(x)";
    exp2_f32: f32, "2^x";
    log2_f32: f32, "log2(x)";
    atan_f32: f32, "atan(x)";
    sin_f64: f64, "sin(x)";
    cos_f64: f64, "cos(x)";
    tan_f64: f64, "tan(x)";
    exp_f64: f64, "e^x";
    ln_f64: f64, "ln(x)";
    tanh_f64: f64, "tanh(x)";
    exp2_f64: f64, "2^x";
    log2_f64: f64, "log2(x)";
    atan_f64: f64, "atan(x)";
    // Inverse trigonometric and hyperbolic functions.
    asin_f32: f32, "asin(x)";
    acos_f32: f32, "acos(x)";
    sinh_f32: f32, "sinh(x)";
    cosh_f32: f32, "cosh(x)";
    asinh_f32: f32, "asinh(x)";
    acosh_f32: f32, "acosh(x)";
    atanh_f32: f32, "atanh(x)";
    asin_f64: f64, "asin(x)";
    acos_f64: f64, "acos(x)";
    sinh_f64: f64, "sinh(x)";
    cosh_f64: f64, "cosh(x)";
    asinh_f64: f64, "asinh(x)";
    acosh_f64: f64, "acosh(x)";
    atanh_f64: f64, "atanh(x)";
    exp_m1_f32: f32, "e^x - 1";
    ln_1p_f32: f32, "ln(1 + x)";
    log10_f32: f32, "log10(x)";
    cbrt_f32: f32, "cbrt(x)";
    erf_f32: f32, "erf(x)";
    sigmoid_f32: f32, "1 / (1 + e^-x)";
    exp_m1_f64: f64, "e^x - 1";
    ln_1p_f64: f64, "ln(1 + x)";
    log10_f64: f64, "log10(x)";
    cbrt_f64: f64, "cbrt(x)";
    erf_f64: f64, "erf(x)";
    sigmoid_f64: f64, "1 / (1 + e^-x)";
}

macro_rules! scalar2 {
    ($($name:ident: $t:ty, $what:literal;)*) => {$(
        #[doc = concat!("`", $what, "` on plain `", stringify!($t), "`s, bit-identical to the native code.")]
        #[must_use]
        pub fn $name(a: $t, b: $t) -> $t {
            super::$name(&mut Eval, a, b)
        }
    )*};
}

scalar2! {
    atan2_f32: f32, "atan2(a, b)";
    hypot_f32: f32, "hypot(a, b)";
    atan2_f64: f64, "atan2(a, b)";
    hypot_f64: f64, "hypot(a, b)";
    // Exponential/logarithmic family.
    powf_f32: f32, "a^b";
    powf_f64: f64, "a^b";
}
