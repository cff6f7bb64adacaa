//! Accuracy sweeps and special values for the transcendental functions.
//!
//! `f32` functions are measured against `std`'s `f64` function at the same
//! (exactly widened) input, which is within about 2^-29 `f32` ulp of the exact
//! value; the error reported is `|got - ref| / ulp_f32(ref)`, and the bar is
//! `< 1` (within one ulp of the exact value, hence at most one ulp from the
//! correctly rounded one). `f64` functions are measured as the integer ulp
//! distance to `std` (glibc, itself within 1 ulp), and against a 100+ bit
//! reference on the sample in `testdata/` (read by `testdata.rs`). Run with
//! `--nocapture` to see the figures; release builds sweep 10^6 points per
//! row, debug builds 5 * 10^4.

use super::eval::*;

mod libm;

fn points() -> usize {
    if cfg!(debug_assertions) {
        50_000
    } else {
        1_000_000
    }
}

/// xorshift64*: deterministic, good enough for sampling.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// Uniform in `[lo, hi)`.
    fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        lo + (hi - lo) * u
    }
}

/// The spacing of `f32` values at the magnitude of `v`.
fn ulp32(v: f64) -> f64 {
    let a = v.abs();
    let e = if a < f64::from(f32::MIN_POSITIVE) {
        -126
    } else {
        ((a.to_bits() >> 52) as i32) - 1023
    };
    f64::powi(2.0, e - 23)
}

/// The spacing of `f64` values at the magnitude of `v`.
fn ulp64(v: f64) -> f64 {
    let a = v.abs();
    let e = if a < f64::MIN_POSITIVE {
        -1022
    } else {
        ((a.to_bits() >> 52) as i32) - 1023
    };
    // 2^(e - 52), built from bits (it may be subnormal).
    let u = e - 52;
    if u >= -1022 {
        f64::from_bits(((u + 1023) as u64) << 52)
    } else {
        f64::from_bits(1u64 << (u + 1074))
    }
}

/// Error of `got` in `f32` ulps of `exact`; NaN/inf must match exactly.
fn err32(got: f32, exact: f64) -> f64 {
    let cr = exact as f32;
    if !cr.is_finite() || !got.is_finite() {
        let same = (cr.is_nan() && got.is_nan()) || cr == got;
        return if same { 0.0 } else { f64::INFINITY };
    }
    (f64::from(got) - exact).abs() / ulp32(exact)
}

/// Integer distance in `f64` ulps; NaN/inf must match exactly.
fn dist64(a: f64, b: f64) -> u64 {
    if !a.is_finite() || !b.is_finite() {
        let same = (a.is_nan() && b.is_nan()) || a == b;
        return if same { 0 } else { u64::MAX };
    }
    fn ord(x: f64) -> i128 {
        let m = i128::from(x.abs().to_bits());
        if x.is_sign_negative() { -m } else { m }
    }
    (ord(a) - ord(b)).unsigned_abs() as u64
}

struct Max32 {
    name: &'static str,
    err: f64,
    at: f32,
}

impl Max32 {
    fn new(name: &'static str) -> Self {
        Max32 {
            name,
            err: 0.0,
            at: 0.0,
        }
    }
    fn check(&mut self, x: f32, got: f32, exact: f64) {
        let e = err32(got, exact);
        if e > self.err || e.is_nan() {
            self.err = e;
            self.at = x;
        }
    }
    fn report(&self, range: &str) {
        println!(
            "{:<10} {:<28} max err {:.6} ulp at x = {:e} ({:#010x})",
            self.name,
            range,
            self.err,
            self.at,
            self.at.to_bits()
        );
        assert!(self.err < 1.0, "{} exceeds 1 ulp on {range}", self.name);
    }
}

fn sweep32(
    name: &'static str,
    range: &str,
    f: fn(f32) -> f32,
    reference: fn(f64) -> f64,
    mut gen_x: impl FnMut(&mut Rng) -> f32,
) {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut m = Max32::new(name);
    for _ in 0..points() {
        let x = gen_x(&mut rng);
        m.check(x, f(x), reference(f64::from(x)));
    }
    m.report(range);
}

fn uniform32(lo: f64, hi: f64) -> impl FnMut(&mut Rng) -> f32 {
    move |r| r.uniform(lo, hi) as f32
}

/// Random finite `f32` bit patterns (both signs): log-uniform over the range.
fn any_finite32(r: &mut Rng) -> f32 {
    loop {
        let x = f32::from_bits(r.next() as u32);
        if x.is_finite() {
            return x;
        }
    }
}

fn positive_finite32(r: &mut Rng) -> f32 {
    any_finite32(r).abs()
}

fn any_finite64(r: &mut Rng) -> f64 {
    loop {
        let x = f64::from_bits(r.next());
        if x.is_finite() {
            return x;
        }
    }
}

#[test]
fn math_f32_sin_cos() {
    sweep32(
        "sin_f32",
        "[-100, 100]",
        sin_f32,
        f64::sin,
        uniform32(-100.0, 100.0),
    );
    sweep32("sin_f32", "all finite", sin_f32, f64::sin, any_finite32);
    sweep32(
        "cos_f32",
        "[-100, 100]",
        cos_f32,
        f64::cos,
        uniform32(-100.0, 100.0),
    );
    sweep32("cos_f32", "all finite", cos_f32, f64::cos, any_finite32);
}

#[test]
fn math_f32_tan() {
    sweep32(
        "tan_f32",
        "[-100, 100]",
        tan_f32,
        f64::tan,
        uniform32(-100.0, 100.0),
    );
    sweep32("tan_f32", "all finite", tan_f32, f64::tan, any_finite32);
}

#[test]
fn math_f32_exp2_log2_atan() {
    sweep32(
        "exp2_f32",
        "[-150, 128]",
        exp2_f32,
        f64::exp2,
        uniform32(-150.0, 128.0),
    );
    sweep32(
        "log2_f32",
        "(0, MAX] log-uniform",
        log2_f32,
        f64::log2,
        positive_finite32,
    );
    sweep32(
        "atan_f32",
        "[-10, 10]",
        atan_f32,
        f64::atan,
        uniform32(-10.0, 10.0),
    );
    sweep32("atan_f32", "all finite", atan_f32, f64::atan, any_finite32);
}

#[test]
fn math_f32_exp_ln_tanh() {
    sweep32(
        "exp_f32",
        "[-104, 89]",
        exp_f32,
        f64::exp,
        uniform32(-104.0, 89.0),
    );
    sweep32(
        "ln_f32",
        "(0, MAX] log-uniform",
        ln_f32,
        f64::ln,
        positive_finite32,
    );
    sweep32(
        "tanh_f32",
        "[-10, 10]",
        tanh_f32,
        f64::tanh,
        uniform32(-10.0, 10.0),
    );
    sweep32("tanh_f32", "all finite", tanh_f32, f64::tanh, any_finite32);
}

fn sweep64(
    name: &str,
    range: &str,
    allowed: u64,
    f: fn(f64) -> f64,
    reference: fn(f64) -> f64,
    mut gen_x: impl FnMut(&mut Rng) -> f64,
) {
    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    let (mut worst, mut at) = (0u64, 0.0f64);
    for _ in 0..points() {
        let x = gen_x(&mut rng);
        let d = dist64(f(x), reference(x));
        if d > worst {
            worst = d;
            at = x;
        }
    }
    println!(
        "{name:<10} {range:<28} max dist to std {worst} ulp at x = {at:e} ({:#018x})",
        at.to_bits()
    );
    assert!(
        worst <= allowed,
        "{name} is more than {allowed} ulp from std on {range}"
    );
}

#[test]
fn math_f64_sin_cos_tan() {
    let u = |r: &mut Rng| r.uniform(-100.0, 100.0);
    sweep64("sin_f64", "[-100, 100]", 1, sin_f64, f64::sin, u);
    sweep64("sin_f64", "all finite", 1, sin_f64, f64::sin, any_finite64);
    sweep64("cos_f64", "[-100, 100]", 1, cos_f64, f64::cos, u);
    sweep64("cos_f64", "all finite", 1, cos_f64, f64::cos, any_finite64);
    sweep64("tan_f64", "[-100, 100]", 1, tan_f64, f64::tan, u);
    sweep64("tan_f64", "all finite", 1, tan_f64, f64::tan, any_finite64);
}

#[test]
fn math_f64_exp2_log2_atan() {
    let u = |lo: f64, hi: f64| move |r: &mut Rng| r.uniform(lo, hi);
    sweep64(
        "exp2_f64",
        "[-1075, 1024]",
        1,
        exp2_f64,
        f64::exp2,
        u(-1075.0, 1024.0),
    );
    sweep64("exp2_f64", "[-1, 1]", 1, exp2_f64, f64::exp2, u(-1.0, 1.0));
    sweep64(
        "log2_f64",
        "(0, MAX] log-uniform",
        1,
        log2_f64,
        f64::log2,
        |r| any_finite64(r).abs(),
    );
    sweep64("log2_f64", "[0.5, 2]", 1, log2_f64, f64::log2, u(0.5, 2.0));
    sweep64(
        "atan_f64",
        "[-10, 10]",
        1,
        atan_f64,
        f64::atan,
        u(-10.0, 10.0),
    );
    sweep64(
        "atan_f64",
        "all finite",
        1,
        atan_f64,
        f64::atan,
        any_finite64,
    );
}

#[test]
fn math_f64_exp_ln_tanh() {
    sweep64("exp_f64", "[-746, 710]", 1, exp_f64, f64::exp, |r| {
        r.uniform(-746.0, 710.0)
    });
    sweep64("exp_f64", "[-1, 1]", 1, exp_f64, f64::exp, |r| {
        r.uniform(-1.0, 1.0)
    });
    sweep64("ln_f64", "(0, MAX] log-uniform", 1, ln_f64, f64::ln, |r| {
        any_finite64(r).abs()
    });
    sweep64("ln_f64", "[0.5, 2]", 1, ln_f64, f64::ln, |r| {
        r.uniform(0.5, 2.0)
    });
    sweep64("tanh_f64", "[-20, 20]", 2, tanh_f64, f64::tanh, |r| {
        r.uniform(-20.0, 20.0)
    });
    sweep64("tanh_f64", "[-1, 1]", 2, tanh_f64, f64::tanh, |r| {
        r.uniform(-1.0, 1.0)
    });
}

// glibc's own `tanh` is up to 2 ulp off (for example at
// x = -0.22697058991792574, where this crate's result is correctly rounded),
// so `tanh_f64` is held to 2 ulp against `std` and to < 1 ulp against the
// high-precision sample.

/// Errors against the high-precision sample in `testdata/`.
#[test]
fn math_f64_vs_high_precision() {
    use super::testdata::SAMPLES;
    for &(name, f, data) in SAMPLES {
        let mut worst = 0.0f64;
        let mut at = 0.0f64;
        let mut subnormal_worst = 0u64;
        for &[xb, hb, lb] in data {
            let (x, hi, lo) = (f64::from_bits(xb), f64::from_bits(hb), f64::from_bits(lb));
            let got = f(x);
            let e = if hi.abs() < f64::MIN_POSITIVE {
                // Subnormal result: `lo` is meaningless (it underflows), so
                // hold the result to at most one ulp from the correctly
                // rounded `hi`, counted as 0.5 below 1.
                let d = dist64(got, hi);
                subnormal_worst = subnormal_worst.max(d);
                0.5 * d as f64
            } else {
                ((got - hi) - lo).abs() / ulp64(hi)
            };
            if e > worst {
                worst = e;
                at = x;
            }
        }
        println!(
            "{name:<10} {:<28} max err {worst:.6} ulp at x = {at:e} ({} points)",
            "high-precision sample",
            data.len()
        );
        if subnormal_worst > 0 {
            println!(
                "{name:<10} subnormal results: max dist to correctly rounded {subnormal_worst}"
            );
        }
        assert!(worst < 1.0, "{name} exceeds 1 ulp against the exact value");
    }
    // Inverse trigonometric and hyperbolic functions: two arguments.
    for &(name, f, data) in super::testdata::SAMPLES2 {
        let (mut worst, mut at) = (0.0f64, (0.0, 0.0));
        for &[ab, bb, hb, lb] in data {
            let (a, b) = (f64::from_bits(ab), f64::from_bits(bb));
            let (hi, lo) = (f64::from_bits(hb), f64::from_bits(lb));
            let got = f(a, b);
            let e = if hi.abs() < f64::MIN_POSITIVE {
                0.5 * dist64(got, hi) as f64
            } else {
                ((got - hi) - lo).abs() / ulp64(hi)
            };
            if e > worst {
                worst = e;
                at = (a, b);
            }
        }
        println!(
            "{name:<10} {:<28} max err {worst:.6} ulp at ({:e}, {:e}) ({} points)",
            "high-precision sample",
            at.0,
            at.1,
            data.len()
        );
        assert!(worst < 1.0, "{name} exceeds 1 ulp against the exact value");
    }
}

#[test]
fn math_special_values() {
    let inf = f64::INFINITY;
    for f in [sin_f64, cos_f64, tan_f64] {
        assert!(f(inf).is_nan() && f(-inf).is_nan() && f(f64::NAN).is_nan());
    }
    for f in [sin_f32, cos_f32, tan_f32] {
        assert!(f(f32::INFINITY).is_nan() && f(f32::NEG_INFINITY).is_nan());
        assert!(f(f32::NAN).is_nan());
    }
    for f in [sin_f64, tan_f64, tanh_f64] {
        assert_eq!(f(-0.0).to_bits(), (-0.0f64).to_bits());
        assert_eq!(f(0.0).to_bits(), 0.0f64.to_bits());
        assert_eq!(f(-5e-324).to_bits(), (-5e-324f64).to_bits());
    }
    for f in [sin_f32, tan_f32, tanh_f32] {
        assert_eq!(f(-0.0).to_bits(), (-0.0f32).to_bits());
    }
    assert_eq!(cos_f64(0.0), 1.0);
    assert_eq!(cos_f64(-0.0), 1.0);
    assert_eq!(exp_f64(inf), inf);
    assert_eq!(exp_f64(-inf).to_bits(), 0);
    assert_eq!(exp_f64(709.79), inf);
    assert_eq!(exp_f64(1e300), inf);
    assert_eq!(exp_f64(-1e300).to_bits(), 0);
    assert_eq!(exp_f64(-745.2).to_bits(), 0);
    assert_eq!(exp_f64(-745.0), 5e-324);
    assert_eq!(exp_f64(0.0), 1.0);
    assert_eq!(exp_f64(-740.0), (-740.0f64).exp());
    assert!(exp_f64(f64::NAN).is_nan());
    assert_eq!(exp_f32(f32::INFINITY), f32::INFINITY);
    assert_eq!(exp_f32(89.0), f32::INFINITY);
    assert_eq!(exp_f32(-104.0).to_bits(), 0);
    assert_eq!(exp_f32(-103.0), (-103.0f64).exp() as f32);
    assert_eq!(ln_f64(0.0), -inf);
    assert_eq!(ln_f64(-0.0), -inf);
    assert!(ln_f64(-1.0).is_nan() && ln_f64(-inf).is_nan() && ln_f64(f64::NAN).is_nan());
    assert_eq!(ln_f64(inf), inf);
    assert_eq!(ln_f64(1.0).to_bits(), 0);
    assert_eq!(ln_f64(5e-324), (5e-324f64).ln());
    assert_eq!(exp2_f64(-1074.0), 5e-324);
    assert_eq!(exp2_f64(-1075.0).to_bits(), 0);
    assert_eq!(exp2_f64(1023.0), f64::powi(2.0, 1023));
    assert_eq!(exp2_f64(1024.0), inf);
    assert_eq!(exp2_f64(-inf).to_bits(), 0);
    assert_eq!(exp2_f64(inf), inf);
    for k in -1074..1024 {
        assert_eq!(exp2_f64(f64::from(k)).log2(), f64::from(k));
        assert_eq!(log2_f64(f64::from(k).exp2()), f64::from(k));
    }
    assert_eq!(log2_f64(0.0), -inf);
    assert!(log2_f64(-1.0).is_nan());
    assert_eq!(log2_f64(inf), inf);
    assert_eq!(atan_f64(inf), std::f64::consts::FRAC_PI_2);
    assert_eq!(atan_f64(-inf), -std::f64::consts::FRAC_PI_2);
    assert_eq!(atan_f64(-0.0).to_bits(), (-0.0f64).to_bits());
    assert_eq!(atan_f32(f32::INFINITY), std::f32::consts::FRAC_PI_2);
    assert_eq!(ln_f32(0.0), f32::NEG_INFINITY);
    assert!(ln_f32(-1.0).is_nan());
    assert_eq!(ln_f32(f32::INFINITY), f32::INFINITY);
    assert_eq!(tanh_f64(inf), 1.0);
    assert_eq!(tanh_f64(-inf), -1.0);
    assert_eq!(tanh_f64(1e300), 1.0);
    assert!(tanh_f64(f64::NAN).is_nan());
    assert_eq!(tanh_f32(f32::NEG_INFINITY), -1.0);
    // A NaN input is returned itself.
    let nan = f64::from_bits(0x7FF8_0000_0000_1234);
    for f in [
        sin_f64, cos_f64, tan_f64, exp_f64, ln_f64, tanh_f64, exp2_f64, log2_f64, atan_f64,
    ] {
        assert_eq!(f(nan).to_bits(), nan.to_bits());
    }
}

/// A [`MathOps`](super::MathOps) over plain values that counts the primitives
/// it is asked for (constants apart) and, unlike [`super::eval::Eval`], keeps
/// the defaults (compare-and-select chains) of `ftable` and `f32_half_binade`.
#[derive(Default)]
struct Counting {
    ops: usize,
    consts: usize,
    divs: usize,
    /// Skip the `only_if` path when its mask is false (as a branch would).
    skip_rare: bool,
}

macro_rules! counted {
    ($($n:ident($($a:ident: $t:ty),*) -> $r:ty;)*) => {$(
        fn $n(&mut self, $($a: $t),*) -> $r {
            match stringify!($n) {
                "fconst" | "iconst" | "f32_const" => self.consts += 1,
                "fdiv" | "f32_div" => { self.divs += 1; self.ops += 1 }
                _ => self.ops += 1,
            }
            super::eval::Eval.$n($($a),*)
        }
    )*};
}

impl super::MathOps for Counting {
    type F32 = f32;
    type F = f64;
    type I = i64;
    type M = bool;
    counted! {
        f32_to_f64(a: f32) -> f64; f64_to_f32(a: f64) -> f32;
        fconst(v: f64) -> f64; iconst(v: i64) -> i64;
        fadd(a: f64, b: f64) -> f64; fsub(a: f64, b: f64) -> f64;
        fmul(a: f64, b: f64) -> f64; fdiv(a: f64, b: f64) -> f64;
        fneg(a: f64) -> f64; fabs(a: f64) -> f64; fsqrt(a: f64) -> f64;
        round_ties_even(a: f64) -> f64; f_to_i(a: f64) -> i64; i_to_f(a: i64) -> f64;
        f_to_bits(a: f64) -> i64; bits_to_f(a: i64) -> f64;
        iadd(a: i64, b: i64) -> i64; isub(a: i64, b: i64) -> i64;
        iand(a: i64, b: i64) -> i64; ior(a: i64, b: i64) -> i64; ixor(a: i64, b: i64) -> i64;
        ishl(a: i64, sh: u32) -> i64; ishr_s(a: i64, sh: u32) -> i64; ishr_u(a: i64, sh: u32) -> i64;
        flt(a: f64, b: f64) -> bool; fle(a: f64, b: f64) -> bool;
        feq(a: f64, b: f64) -> bool; funord(a: f64, b: f64) -> bool;
        ilt(a: i64, b: i64) -> bool; ieq(a: i64, b: i64) -> bool;
        mand(a: bool, b: bool) -> bool; mnot(a: bool) -> bool;
        fselect(m: bool, a: f64, b: f64) -> f64; iselect(m: bool, a: i64, b: i64) -> i64;
        f32_const(v: f32) -> f32; f32_add(a: f32, b: f32) -> f32; f32_sub(a: f32, b: f32) -> f32;
        f32_mul(a: f32, b: f32) -> f32; f32_div(a: f32, b: f32) -> f32; f32_fma(a: f32, b: f32, c: f32) -> f32; f32_neg(a: f32) -> f32; f32_abs(a: f32) -> f32;
        f32_lt(a: f32, b: f32) -> bool; f32_eq(a: f32, b: f32) -> bool;
        f32_select(m: bool, a: f32, b: f32) -> f32; f32_pow2(n: f32) -> f32;
        f32_or_sign(mag: f32, x: f32) -> f32;
    }
    fn only_if(&mut self, m: bool, path: impl FnOnce(&mut Self) -> [f64; 3]) -> [f64; 3] {
        if m || !self.skip_rare {
            path(self)
        } else {
            [0.0; 3]
        }
    }
}

/// The defaults of [`super::MathOps::ftable`] and
/// [`super::MathOps::f32_half_binade`] (compare-and-select chains) and
/// [`super::MathOps::only_if`] (always evaluate) give the same results as the
/// evaluator's indexed load and skipped path.
#[test]
fn math_defaults_match_evaluator() {
    let mut rng = Rng(42);
    for i in 0..points() / 20 {
        let x = if i % 2 == 0 {
            any_finite64(&mut rng)
        } else {
            rng.uniform(-100.0, 100.0)
        };
        let c = &mut Counting::default();
        let pairs: [(f64, f64); 9] = [
            (super::sin_f64(c, x), sin_f64(x)),
            (super::cos_f64(c, x), cos_f64(x)),
            (super::tan_f64(c, x), tan_f64(x)),
            (super::exp_f64(c, x), exp_f64(x)),
            (super::exp2_f64(c, x), exp2_f64(x)),
            (super::ln_f64(c, x), ln_f64(x)),
            (super::log2_f64(c, x), log2_f64(x)),
            (super::tanh_f64(c, x), tanh_f64(x)),
            (super::atan_f64(c, x), atan_f64(x)),
        ];
        for (k, (a, b)) in pairs.into_iter().enumerate() {
            assert_eq!(a.to_bits(), b.to_bits(), "function {k}, x = {x:e}");
        }
        let xf = x as f32;
        for (a, b) in [
            (super::sin_f32(c, xf), sin_f32(xf)),
            (super::cos_f32(c, xf), cos_f32(xf)),
            (super::tan_f32(c, xf), tan_f32(xf)),
            // The half-binade lookup by compares, against the bits.
            (super::tanh_f32(c, xf), tanh_f32(xf)),
            (super::tanh_f32(c, xf / 16.0), tanh_f32(xf / 16.0)),
        ] {
            assert_eq!(a.to_bits(), b.to_bits(), "x = {xf:e}");
        }
    }
}

/// Prints how many primitives (constants not counted) each function emits:
/// evaluating every path, and skipping the rare path of `only_if` for a
/// small argument. The `f64` trigonometric rows use the default 49-entry
/// `ftable` chains (9 x 96 primitives), which indexed loads replace by 9.
#[test]
fn math_primitive_counts() {
    macro_rules! row {
        ($($f:ident: $x:expr;)*) => {$(
            let mut c = Counting::default();
            let _ = super::$f(&mut c, $x);
            let mut b = Counting { skip_rare: true, ..Counting::default() };
            let _ = super::$f(&mut b, $x);
            println!(
                "{:<10} {:>5} primitives ({:>4} when branching), {:>2} divisions, {:>4} constants",
                stringify!($f), c.ops, b.ops, c.divs, c.consts
            );
        )*};
    }
    row! {
        sin_f32: 1.0f32; cos_f32: 1.0f32; tan_f32: 1.0f32; exp_f32: 1.0f32; exp2_f32: 1.0f32;
        ln_f32: 1.0f32; log2_f32: 1.0f32; tanh_f32: 1.0f32; atan_f32: 1.0f32;
        sin_f64: 1.0f64; cos_f64: 1.0f64; tan_f64: 1.0f64; exp_f64: 1.0f64; exp2_f64: 1.0f64;
        ln_f64: 1.0f64; log2_f64: 1.0f64; tanh_f64: 1.0f64; atan_f64: 1.0f64;
        // Inverse trigonometric and hyperbolic functions.
        asin_f64: 0.5f64; acos_f64: 0.5f64; sinh_f64: 1.0f64; cosh_f64: 1.0f64;
        asinh_f64: 1.0f64; acosh_f64: 2.0f64; atanh_f64: 0.5f64;
        // Exponential/logarithmic family.
        exp_m1_f64: 1.0f64; ln_1p_f64: 1.0f64; log10_f64: 1.0f64; cbrt_f64: 1.0f64;
        erf_f64: 1.0f64; sigmoid_f64: 1.0f64;
        // The `f32` functions of the short `exp` kernel (`expf.rs`).
        exp_m1_f32: 1.0f32; sigmoid_f32: 1.0f32;
        // The `f32` functions of the short `ln` kernel (`logf.rs`).
        log10_f32: 1.0f32; ln_1p_f32: 1.0f32;
    }
    let mut c = Counting::default();
    let _ = super::atan2_f64(&mut c, 1.0, 2.0);
    println!(
        "atan2_f64  {:>5} primitives, {:>2} divisions",
        c.ops, c.divs
    );
    let mut c = Counting::default();
    let _ = super::hypot_f64(&mut c, 1.0, 2.0);
    println!(
        "hypot_f64  {:>5} primitives, {:>2} divisions",
        c.ops, c.divs
    );
    let mut c = Counting::default();
    let _ = super::powf_f64(&mut c, 1.5, 2.5);
    println!(
        "powf_f64   {:>5} primitives, {:>2} divisions",
        c.ops, c.divs
    );
}

/// Every 61st `f32` bit pattern (about 7 * 10^7 inputs, all signs and
/// exponents) for each `f32` function. Slow: run on demand with
/// `cargo test -p jit-runtime --release math_f32_strided -- --ignored --nocapture`.
#[test]
#[ignore = "takes about a minute in release"]
fn math_f32_strided_all_bits() {
    type Case = (&'static str, fn(f32) -> f32, fn(f64) -> f64);
    let fns: [Case; 15] = [
        ("sin_f32", sin_f32, f64::sin),
        ("cos_f32", cos_f32, f64::cos),
        ("tan_f32", tan_f32, f64::tan),
        ("exp_f32", exp_f32, f64::exp),
        ("exp2_f32", exp2_f32, f64::exp2),
        ("ln_f32", ln_f32, f64::ln),
        ("log2_f32", log2_f32, f64::log2),
        ("tanh_f32", tanh_f32, f64::tanh),
        ("atan_f32", atan_f32, f64::atan),
        ("exp_m1_f32", exp_m1_f32, f64::exp_m1),
        ("ln_1p_f32", ln_1p_f32, f64::ln_1p),
        ("log10_f32", log10_f32, f64::log10),
        ("cbrt_f32", cbrt_f32, f64::cbrt),
        ("erf_f32", erf_f32, libm::erf),
        ("sigmoid_f32", sigmoid_f32, sigmoid_ref),
    ];
    // Inverse trigonometric and hyperbolic functions.
    let inverse: [Case; 7] = [
        ("asin_f32", asin_f32, f64::asin),
        ("acos_f32", acos_f32, f64::acos),
        ("sinh_f32", sinh_f32, f64::sinh),
        ("cosh_f32", cosh_f32, f64::cosh),
        ("asinh_f32", asinh_f32, f64::asinh),
        ("acosh_f32", acosh_f32, f64::acosh),
        ("atanh_f32", atanh_f32, f64::atanh),
    ];
    for (name, f, reference) in fns.into_iter().chain(inverse) {
        let mut m = Max32::new(name);
        for bits in (0..=u32::MAX).step_by(61) {
            let x = f32::from_bits(bits);
            if x.is_finite() {
                m.check(x, f(x), reference(f64::from(x)));
            }
        }
        m.report("every 61st bit pattern");
    }
}

// Inverse trigonometric and hyperbolic functions.

/// Pairs for the two-argument functions: even `i` uniform in
/// `[-range, range]^2`, odd `i` random finite bit patterns (all
/// magnitudes, including pairs of very different sizes).
fn pair64(r: &mut Rng, i: usize, range: f64) -> (f64, f64) {
    if i.is_multiple_of(2) {
        (r.uniform(-range, range), r.uniform(-range, range))
    } else {
        (any_finite64(r), any_finite64(r))
    }
}

fn sweep32_2(name: &'static str, f: fn(f32, f32) -> f32, reference: fn(f64, f64) -> f64) {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut m = Max32::new(name);
    for i in 0..points() {
        let (a, b) = if i.is_multiple_of(2) {
            (
                rng.uniform(-10.0, 10.0) as f32,
                rng.uniform(-10.0, 10.0) as f32,
            )
        } else {
            (any_finite32(&mut rng), any_finite32(&mut rng))
        };
        let e = err32(f(a, b), reference(f64::from(a), f64::from(b)));
        if e > m.err || e.is_nan() {
            m.err = e;
            m.at = a;
        }
    }
    m.report("[-10, 10]^2; all finite");
}

fn sweep64_2(name: &str, allowed: u64, f: fn(f64, f64) -> f64, reference: fn(f64, f64) -> f64) {
    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    let (mut worst, mut at) = (0u64, (0.0f64, 0.0f64));
    for i in 0..points() {
        let (a, b) = pair64(&mut rng, i, 10.0);
        let d = dist64(f(a, b), reference(a, b));
        if d > worst {
            worst = d;
            at = (a, b);
        }
    }
    println!(
        "{name:<10} {:<28} max dist to std {worst} ulp at ({:e}, {:e})",
        "[-10, 10]^2; all finite", at.0, at.1
    );
    assert!(
        worst <= allowed,
        "{name} is more than {allowed} ulp from std"
    );
}

#[test]
fn math_f32_inverse_hyperbolic() {
    let u = uniform32;
    sweep32("asin_f32", "[-1, 1]", asin_f32, f64::asin, u(-1.0, 1.0));
    sweep32("acos_f32", "[-1, 1]", acos_f32, f64::acos, u(-1.0, 1.0));
    sweep32("asin_f32", "all finite", asin_f32, f64::asin, any_finite32);
    sweep32("acos_f32", "all finite", acos_f32, f64::acos, any_finite32);
    sweep32("sinh_f32", "[-90, 90]", sinh_f32, f64::sinh, u(-90.0, 90.0));
    sweep32("sinh_f32", "all finite", sinh_f32, f64::sinh, any_finite32);
    sweep32("cosh_f32", "[-90, 90]", cosh_f32, f64::cosh, u(-90.0, 90.0));
    sweep32("cosh_f32", "all finite", cosh_f32, f64::cosh, any_finite32);
    sweep32(
        "asinh_f32",
        "[-10, 10]",
        asinh_f32,
        f64::asinh,
        u(-10.0, 10.0),
    );
    sweep32(
        "asinh_f32",
        "all finite",
        asinh_f32,
        f64::asinh,
        any_finite32,
    );
    sweep32("acosh_f32", "[1, 10]", acosh_f32, f64::acosh, u(1.0, 10.0));
    sweep32(
        "acosh_f32",
        "all finite",
        acosh_f32,
        f64::acosh,
        any_finite32,
    );
    sweep32("atanh_f32", "[-1, 1]", atanh_f32, f64::atanh, u(-1.0, 1.0));
    sweep32(
        "atanh_f32",
        "all finite",
        atanh_f32,
        f64::atanh,
        any_finite32,
    );
    sweep32_2("atan2_f32", atan2_f32, f64::atan2);
    sweep32_2("hypot_f32", hypot_f32, f64::hypot);
}

#[test]
fn math_f64_inverse_hyperbolic() {
    let u = |lo: f64, hi: f64| move |r: &mut Rng| r.uniform(lo, hi);
    type Case = (&'static str, fn(f64) -> f64, fn(f64) -> f64, f64, f64, u64);
    let cases: [Case; 7] = [
        ("asin_f64", asin_f64, f64::asin, -1.0, 1.0, 1),
        ("acos_f64", acos_f64, f64::acos, -1.0, 1.0, 1),
        ("sinh_f64", sinh_f64, f64::sinh, -20.0, 20.0, 2),
        ("cosh_f64", cosh_f64, f64::cosh, -20.0, 20.0, 2),
        ("asinh_f64", asinh_f64, libm::asinh, -10.0, 10.0, 2),
        ("acosh_f64", acosh_f64, libm::acosh, 1.0, 10.0, 2),
        ("atanh_f64", atanh_f64, libm::atanh, -1.0, 1.0, 2),
    ];
    for (name, f, reference, lo, hi, allowed) in cases {
        let range = format!("[{lo}, {hi}]");
        sweep64(name, &range, allowed, f, reference, u(lo, hi));
        sweep64(name, "all finite", allowed, f, reference, any_finite64);
    }
    sweep64("sinh_f64", "[-1, 1]", 2, sinh_f64, f64::sinh, u(-1.0, 1.0));
    sweep64(
        "acosh_f64",
        "[1, 1.01]",
        2,
        acosh_f64,
        libm::acosh,
        u(1.0, 1.01),
    );
    sweep64_2("atan2_f64", 1, atan2_f64, f64::atan2);
    sweep64_2("hypot_f64", 1, hypot_f64, f64::hypot);
}

#[test]
fn math_inverse_hyperbolic_special_values() {
    let inf = f64::INFINITY;
    let specials = [
        0.0,
        -0.0,
        1.0,
        -1.0,
        0.5,
        -0.5,
        2.0,
        -2.0,
        inf,
        -inf,
        f64::NAN,
        f64::MAX,
        -f64::MAX,
        f64::MIN_POSITIVE,
        5e-324,
        -5e-324,
        1e-300,
        710.0,
        710.475_860_073_943_9,
        710.475_860_073_944,
        711.0,
        0.975,
        1.0 + f64::EPSILON,
        1.0 - f64::EPSILON / 2.0,
        268_435_456.0,
        3.7252902984e-9,
    ];
    let same = |a: f64, b: f64| (a.is_nan() && b.is_nan()) || a.to_bits() == b.to_bits();
    type Unary = (
        &'static str,
        fn(f64) -> f64,
        fn(f64) -> f64,
        fn(f32) -> f32,
        fn(f32) -> f32,
    );
    let unary: [Unary; 7] = [
        ("asin", asin_f64, f64::asin, asin_f32, f32::asin),
        ("acos", acos_f64, f64::acos, acos_f32, f32::acos),
        ("sinh", sinh_f64, f64::sinh, sinh_f32, f32::sinh),
        ("cosh", cosh_f64, f64::cosh, cosh_f32, f32::cosh),
        ("asinh", asinh_f64, libm::asinh, asinh_f32, f32::asinh),
        ("acosh", acosh_f64, libm::acosh, acosh_f32, f32::acosh),
        ("atanh", atanh_f64, libm::atanh, atanh_f32, f32::atanh),
    ];
    for (name, f, reference, f32_, reference32) in unary {
        for x in specials {
            let (got, want) = (f(x), reference(x));
            // Exact results (zeros, infinities, NaN) must match bit for
            // bit; others within an ulp (checked by the sweeps).
            if !want.is_finite() || want == 0.0 || x == 1.0 || x == -1.0 {
                assert!(same(got, want), "{name}({x:e}) = {got:e}, std {want:e}");
            } else {
                assert!(
                    dist64(got, want) <= 1,
                    "{name}({x:e}) = {got:e}, std {want:e}"
                );
            }
            let xf = x as f32;
            let (got, want) = (f32_(xf), reference32(xf));
            if !want.is_finite() || want == 0.0 {
                assert!(
                    (got.is_nan() && want.is_nan()) || got.to_bits() == want.to_bits(),
                    "{name}({xf:e}) = {got:e}, std {want:e}"
                );
            }
        }
        // The input NaN itself.
        let nan = f64::from_bits(0x7FF8_0000_0000_1234);
        assert_eq!(f(nan).to_bits(), nan.to_bits(), "{name}(NaN)");
    }
    type Binary = (&'static str, fn(f64, f64) -> f64, fn(f64, f64) -> f64);
    let binary: [Binary; 2] = [
        ("atan2", atan2_f64, f64::atan2),
        ("hypot", hypot_f64, f64::hypot),
    ];
    for (name, f, reference) in binary {
        for a in specials {
            for b in specials {
                let (got, want) = (f(a, b), reference(a, b));
                if !want.is_finite() || want == 0.0 || a == 0.0 || b == 0.0 || a.abs() == inf {
                    assert!(
                        same(got, want),
                        "{name}({a:e}, {b:e}) = {got:e}, std {want:e}"
                    );
                } else {
                    assert!(
                        dist64(got, want) <= 1,
                        "{name}({a:e}, {b:e}) = {got:e}, std {want:e}"
                    );
                }
                let (af, bf) = (a as f32, b as f32);
                let (g32, w32) = (
                    if name == "atan2" {
                        atan2_f32(af, bf)
                    } else {
                        hypot_f32(af, bf)
                    },
                    if name == "atan2" {
                        af.atan2(bf)
                    } else {
                        af.hypot(bf)
                    },
                );
                if !w32.is_finite() || w32 == 0.0 {
                    assert!(
                        (g32.is_nan() && w32.is_nan()) || g32.to_bits() == w32.to_bits(),
                        "{name}({af:e}, {bf:e}) = {g32:e}, std {w32:e}"
                    );
                }
            }
        }
    }
    assert_eq!(hypot_f64(inf, f64::NAN), inf);
    assert_eq!(hypot_f64(f64::NAN, -inf), inf);
    assert_eq!(hypot_f64(3e-320, 4e-320), f64::hypot(3e-320, 4e-320));
    assert_eq!(hypot_f64(3e300, 4e300), 5e300);
}

// exp_m1, ln_1p, log10, powf, cbrt, erf, sigmoid.

/// The `f32` sigmoid's reference: `1/(1 + e^-x)` in `f64` (its error,
/// a few `f64` ulp, is far below an `f32` ulp).
fn sigmoid_ref(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

#[test]
fn math_f32_explog_extra() {
    let u = uniform32;
    sweep32(
        "exp_m1_f32",
        "[-20, 89]",
        exp_m1_f32,
        f64::exp_m1,
        u(-20.0, 89.0),
    );
    sweep32(
        "exp_m1_f32",
        "[-1, 1]",
        exp_m1_f32,
        f64::exp_m1,
        u(-1.0, 1.0),
    );
    sweep32(
        "exp_m1_f32",
        "all finite",
        exp_m1_f32,
        f64::exp_m1,
        any_finite32,
    );
    sweep32("ln_1p_f32", "[-1, 1]", ln_1p_f32, f64::ln_1p, u(-1.0, 1.0));
    sweep32(
        "ln_1p_f32",
        "all finite",
        ln_1p_f32,
        f64::ln_1p,
        any_finite32,
    );
    sweep32(
        "log10_f32",
        "(0, MAX] log-uniform",
        log10_f32,
        f64::log10,
        positive_finite32,
    );
    sweep32("cbrt_f32", "all finite", cbrt_f32, f64::cbrt, any_finite32);
    sweep32("erf_f32", "[-6, 6]", erf_f32, libm::erf, u(-6.0, 6.0));
    sweep32("erf_f32", "all finite", erf_f32, libm::erf, any_finite32);
    sweep32(
        "sigmoid_f32",
        "[-110, 90]",
        sigmoid_f32,
        sigmoid_ref,
        u(-110.0, 90.0),
    );
    sweep32(
        "sigmoid_f32",
        "all finite",
        sigmoid_f32,
        sigmoid_ref,
        any_finite32,
    );
}

#[test]
fn math_f32_powf() {
    let mut rng = Rng(0x5851_F42D_4C95_7F2D);
    let mut m = Max32::new("powf_f32");
    let mut mi = Max32::new("powf_f32");
    for _ in 0..points() {
        // x log-uniform over the positive finite values, y in [-60, 60].
        let x = positive_finite32(&mut rng);
        let y = rng.uniform(-60.0, 60.0) as f32;
        m.check(x, powf_f32(x, y), f64::from(x).powf(f64::from(y)));
        // Negative x with an integral y.
        let x = -(rng.uniform(0.0, 30.0) as f32);
        let y = (rng.uniform(-40.0, 40.0) as f32).round();
        mi.check(x, powf_f32(x, y), f64::from(x).powf(f64::from(y)));
    }
    m.report("x > 0, y in [-60, 60]");
    mi.report("x in [-30, 0], y integral");
}

#[test]
fn math_f64_explog_extra() {
    let u = |lo: f64, hi: f64| move |r: &mut Rng| r.uniform(lo, hi);
    sweep64(
        "exp_m1_f64",
        "[-40, 710]",
        1,
        exp_m1_f64,
        f64::exp_m1,
        u(-40.0, 710.0),
    );
    sweep64(
        "exp_m1_f64",
        "[-1, 1]",
        1,
        exp_m1_f64,
        f64::exp_m1,
        u(-1.0, 1.0),
    );
    sweep64(
        "exp_m1_f64",
        "all finite",
        1,
        exp_m1_f64,
        f64::exp_m1,
        any_finite64,
    );
    sweep64(
        "ln_1p_f64",
        "[-1, 1]",
        1,
        ln_1p_f64,
        f64::ln_1p,
        u(-1.0, 1.0),
    );
    sweep64(
        "ln_1p_f64",
        "all finite",
        1,
        ln_1p_f64,
        f64::ln_1p,
        any_finite64,
    );
    // glibc's `log10` is itself up to 2 ulp off; the high-precision sample
    // holds `log10_f64` to < 1 ulp.
    sweep64(
        "log10_f64",
        "(0, MAX] log-uniform",
        2,
        log10_f64,
        f64::log10,
        |r| any_finite64(r).abs(),
    );
    sweep64(
        "log10_f64",
        "[0.5, 2]",
        2,
        log10_f64,
        f64::log10,
        u(0.5, 2.0),
    );
    sweep64(
        "cbrt_f64",
        "all finite",
        1,
        cbrt_f64,
        f64::cbrt,
        any_finite64,
    );
    sweep64("cbrt_f64", "[-2, 2]", 1, cbrt_f64, f64::cbrt, u(-2.0, 2.0));
    sweep64("erf_f64", "[-6, 6]", 1, erf_f64, libm::erf, u(-6.0, 6.0));
    sweep64("erf_f64", "all finite", 1, erf_f64, libm::erf, any_finite64);
    // The reference formula itself is a few ulp off (and 0 below -709.78,
    // where e^-x overflows); the high-precision sample holds sigmoid to
    // < 1 ulp.
    sweep64(
        "sigmoid_f64",
        "[-709, 710]",
        4,
        sigmoid_f64,
        sigmoid_ref,
        u(-709.0, 710.0),
    );
}

#[test]
fn math_f64_powf() {
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let (mut worst, mut at) = (0u64, (0.0, 0.0));
    for i in 0..points() {
        let (x, y) = match i % 3 {
            0 => (any_finite64(&mut rng).abs(), rng.uniform(-2.0, 2.0)),
            1 => (rng.uniform(0.0, 10.0), rng.uniform(-300.0, 300.0)),
            _ => (1.0 + rng.uniform(-1e-6, 1e-6), rng.uniform(-1e9, 1e9)),
        };
        let d = dist64(powf_f64(x, y), x.powf(y));
        if d > worst {
            worst = d;
            at = (x, y);
        }
    }
    println!("powf_f64   max dist to std {worst} ulp at {at:?}");
    assert!(worst <= 1, "powf_f64 is more than 1 ulp from std");
}

#[test]
fn math_special_values_explog_extra() {
    let (inf, nan) = (f64::INFINITY, f64::NAN);
    let pow = powf_f64;
    // powf: C99 pow's special cases, as Rust's `powf`.
    let ys = [
        0.0, -0.0, 1.0, -1.0, 2.0, 3.0, -3.0, 0.5, -0.5, 2.5, inf, -inf, nan, 1e300,
    ];
    let xs = [
        0.0, -0.0, 1.0, -1.0, 2.0, -2.0, 0.5, -0.5, inf, -inf, nan, 1e-310, -8.0,
    ];
    for x in xs {
        for y in ys {
            // Zeros, infinities, NaN and exact results as `std`; others
            // within 1 ulp (`std` takes `sqrt` for `y = 0.5`).
            let (got, want) = (pow(x, y), x.powf(y));
            let exact = got.to_bits() == want.to_bits() || (got.is_nan() && want.is_nan());
            let close = want != 0.0 && want.is_finite() && dist64(got, want) <= 1;
            assert!(exact || close, "powf({x:e}, {y:e}) = {got:e}, std {want:e}");
            let (xf, yf) = (x as f32, y as f32);
            let (got, want) = (powf_f32(xf, yf), xf.powf(yf));
            let exact = got.to_bits() == want.to_bits() || (got.is_nan() && want.is_nan());
            assert!(exact, "powf({xf:e}, {yf:e}) = {got:e}, std {want:e}");
        }
    }
    assert_eq!(pow(2.0, 1024.0), inf);
    assert_eq!(pow(2.0, -1074.0), 5e-324);
    assert_eq!(pow(2.0, -1075.0).to_bits(), 0);
    assert_eq!(pow(-2.0, 1023.0), -f64::powi(2.0, 1023));
    assert_eq!(pow(10.0, 22.0), 1e22);
    for k in 1..=22 {
        assert_eq!(log10_f64(10f64.powi(k)), f64::from(k), "log10(1e{k})");
    }
    for k in 0..=10 {
        assert_eq!(log10_f32(10f32.powi(k)), k as f32, "log10(1e{k})");
    }
    for k in -149..128 {
        assert_eq!(log2_f32(f64::from(k).exp2() as f32), k as f32);
    }
    assert_eq!(log10_f64(0.0), -inf);
    assert!(log10_f64(-1.0).is_nan());
    assert_eq!(log10_f64(inf), inf);
    assert_eq!(exp_m1_f64(inf), inf);
    assert_eq!(exp_m1_f64(-inf), -1.0);
    assert_eq!(exp_m1_f64(710.0), inf);
    assert_eq!(exp_m1_f64(-0.0).to_bits(), (-0.0f64).to_bits());
    assert_eq!(exp_m1_f64(-5e-324).to_bits(), (-5e-324f64).to_bits());
    assert_eq!(exp_m1_f32(f32::INFINITY), f32::INFINITY);
    assert_eq!(ln_1p_f64(-1.0), -inf);
    assert!(ln_1p_f64(-2.0).is_nan() && ln_1p_f64(-inf).is_nan());
    assert_eq!(ln_1p_f64(inf), inf);
    assert_eq!(ln_1p_f64(-0.0).to_bits(), (-0.0f64).to_bits());
    assert_eq!(ln_1p_f32(-1.0), f32::NEG_INFINITY);
    assert_eq!(cbrt_f64(-inf), -inf);
    assert_eq!(cbrt_f64(-0.0).to_bits(), (-0.0f64).to_bits());
    assert_eq!(cbrt_f64(-27.0), -3.0);
    assert_eq!(cbrt_f64(5e-324), (5e-324f64).cbrt());
    assert_eq!(cbrt_f32(-8.0), -2.0);
    assert_eq!(erf_f64(inf), 1.0);
    assert_eq!(erf_f64(-inf), -1.0);
    assert_eq!(erf_f64(-0.0).to_bits(), (-0.0f64).to_bits());
    assert_eq!(erf_f64(5e-324), libm::erf(5e-324));
    assert_eq!(erf_f32(f32::NEG_INFINITY), -1.0);
    assert_eq!(sigmoid_f64(inf), 1.0);
    assert_eq!(sigmoid_f64(-inf).to_bits(), 0);
    assert_eq!(sigmoid_f64(0.0), 0.5);
    assert_eq!(sigmoid_f64(-745.0), 5e-324);
    assert_eq!(sigmoid_f32(-100.0), (-100.0f64).exp() as f32);
    assert_eq!(sigmoid_f32(f32::INFINITY), 1.0);
    // A NaN input is returned itself.
    let nan = f64::from_bits(0x7FF8_0000_0000_1234);
    for f in [
        exp_m1_f64,
        ln_1p_f64,
        log10_f64,
        cbrt_f64,
        erf_f64,
        sigmoid_f64,
    ] {
        assert_eq!(f(nan).to_bits(), nan.to_bits());
    }
    assert_eq!(pow(nan, 2.0).to_bits(), nan.to_bits());
    assert_eq!(pow(2.0, nan).to_bits(), nan.to_bits());
}

/// The worst error of `f` against `reference` over the finite `f32`s whose
/// bit patterns are in `bits`, on two threads.
fn worst_over_bits(
    name: &'static str,
    f: fn(f32) -> f32,
    reference: fn(f64) -> f64,
    bits: std::ops::Range<u64>,
) -> Max32 {
    std::thread::scope(|s| {
        let workers: Vec<_> = (0..2u64)
            .map(|t| {
                let bits = bits.clone();
                s.spawn(move || {
                    let mut m = Max32::new(name);
                    for b in (bits.start + t..bits.end).step_by(2) {
                        let x = f32::from_bits(b as u32);
                        if x.is_finite() {
                            m.check(x, f(x), reference(f64::from(x)));
                        }
                    }
                    m
                })
            })
            .collect();
        let all: Vec<Max32> = workers.into_iter().map(|w| w.join().unwrap()).collect();
        all.into_iter()
            .max_by(|a, b| a.err.total_cmp(&b.err))
            .unwrap()
    })
}

/// The functions computed in `f32` on every argument of their `f32`
/// kernels: `sin` and `cos` of every `f32` below `F32_KERNEL_LIMIT` in
/// magnitude (the sign only flips `sin`), `exp`, `tanh` and `sigmoid` of every finite
/// `f32`.
/// Within 1 ulp of `std`'s `f64` functions. A few minutes in release, on
/// two threads:
/// `cargo test -p jit-runtime --release math_f32_every -- --ignored --nocapture`.
#[test]
#[ignore = "takes a few minutes in release"]
fn math_f32_every_kernel_argument() {
    let kernel = 0..u64::from(super::F32_KERNEL_LIMIT.to_bits());
    let sin = worst_over_bits("sin_f32", sin_f32, f64::sin, kernel.clone());
    sin.report("every f32 in [0, 2^16)");
    let cos = worst_over_bits("cos_f32", cos_f32, f64::cos, kernel);
    cos.report("every f32 in [0, 2^16)");
    let exp = worst_over_bits("exp_f32", exp_f32, f64::exp, 0..1 << 32);
    exp.report("every finite f32");
    let tanh = worst_over_bits("tanh_f32", tanh_f32, f64::tanh, 0..1 << 32);
    tanh.report("every finite f32");
    let sigmoid = worst_over_bits("sigmoid_f32", sigmoid_f32, sigmoid_ref, 0..1 << 32);
    sigmoid.report("every finite f32");
}
