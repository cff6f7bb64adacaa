//! The exponential/logarithmic family (`exp2`, `exp_m1`, `ln_1p`, `log2`,
//! `log10`, `powf`, `cbrt`, `erf`, `sigmoid`, `sin_cos`) through native code,
//! over dense sweeps of `f32` and `f64` arrays: each `#[jit]` call covers
//! 2^20 elements; for `f32` also `sin`, `cos`, `tan`, `exp`, `ln` and
//! `tanh`, so that every `f32` function of the vector loops is measured on
//! vector lanes.
//!
//! - `f32`: every function on 2^22 bit patterns strided over all of them
//!   (every `f32` magnitude and sign, NaN and infinities included), plus a
//!   dense uniform sweep of 2^19 points of its main range (`powf`: a 2-D
//!   grid of 2^21 points); the `math` unit tests add a walk over every 61st
//!   bit pattern (ignored by default);
//!   error in ulps against `std`'s `f64` function at the `f32` input
//!   (`erf`: the C library's `erf`; `sigmoid`: `1 / (1 + e^-x)` in `f64`),
//!   within each function's documented bound: 0.5001 ulp (0.5 + 2^-29
//!   for the full `f64` algorithms, at most 0.5001 for the short-kernel
//!   `exp2`, `exp_m1`, `ln_1p`, `ln`, `log2` and `log10`), and for the
//!   functions computed in `f32` their measured maxima over every argument
//!   (`sin`, `cos` 0.79, `exp` and `sigmoid` 0.8, `tanh` 0.76).
//! - `f64`: uniform and bit-pattern sweeps against `std`, within 1 ulp
//!   (`log10`: 2, glibc's own error; `sigmoid`: 4 against the `f64` formula,
//!   which is itself a few ulp off); the `math` unit tests hold each to
//!   < 1 ulp against 106-bit reference values.
//! - native code agrees with the interpreter bit for bit on a subsample
//!   of every sweep.
//! - `log10` is exact at powers of ten and `log2` at powers of two.

use super::libm;
use jit::internals::interp;
use jit::internals::value::Value;
use jit::prelude::*;

/// Elements per `#[jit]` call.
const CHUNK: usize = 1 << 20;

#[jit]
fn exp2_32(x: &Array) -> Array {
    x.exp2()
}
#[jit]
fn exp_m1_32(x: &Array) -> Array {
    x.exp_m1()
}
#[jit]
fn ln_1p_32(x: &Array) -> Array {
    x.ln_1p()
}
#[jit]
fn log2_32(x: &Array) -> Array {
    x.log2()
}
#[jit]
fn log10_32(x: &Array) -> Array {
    x.log10()
}
#[jit]
fn cbrt_32(x: &Array) -> Array {
    x.cbrt()
}
#[jit]
fn erf_32(x: &Array) -> Array {
    x.erf()
}
#[jit]
fn sigmoid_32(x: &Array) -> Array {
    x.sigmoid()
}
#[jit]
fn sin_32(x: &Array) -> Array {
    x.sin()
}
#[jit]
fn cos_32(x: &Array) -> Array {
    x.cos()
}
#[jit]
fn tan_32(x: &Array) -> Array {
    x.tan()
}
#[jit]
fn exp_32(x: &Array) -> Array {
    x.exp()
}
#[jit]
fn ln_32(x: &Array) -> Array {
    x.ln()
}
#[jit]
fn tanh_32(x: &Array) -> Array {
    x.tanh()
}
#[jit]
fn powf_32(x: &Array, y: &Array) -> Array {
    x.powf(y)
}
#[jit]
fn exp2_64(x: &Array) -> Array {
    x.exp2()
}
#[jit]
fn exp_m1_64(x: &Array) -> Array {
    x.exp_m1()
}
#[jit]
fn ln_1p_64(x: &Array) -> Array {
    x.ln_1p()
}
#[jit]
fn log2_64(x: &Array) -> Array {
    x.log2()
}
#[jit]
fn log10_64(x: &Array) -> Array {
    x.log10()
}
#[jit]
fn cbrt_64(x: &Array) -> Array {
    x.cbrt()
}
#[jit]
fn erf_64(x: &Array) -> Array {
    x.erf()
}
#[jit]
fn sigmoid_64(x: &Array) -> Array {
    x.sigmoid()
}
#[jit]
fn powf_64(x: &Array, y: &Array) -> Array {
    x.powf(y)
}
#[jit]
fn sin_cos_32(x: f32) -> (f32, f32) {
    x.sin_cos()
}
#[jit]
fn sin_cos_64(x: f64) -> (f64, f64) {
    x.sin_cos()
}

fn sigmoid_ref(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// Error of `y` in ulps of the `f32` nearest `reference`; NaN, infinities
/// and zeros must match exactly (zeros up to sign).
fn ulps32(y: f32, reference: f64) -> f64 {
    let r = reference as f32;
    if !r.is_finite() || !y.is_finite() {
        let same = (r.is_nan() && y.is_nan()) || r == y;
        return if same { 0.0 } else { f64::INFINITY };
    }
    // 2^(e - 150) for the biased exponent e (subnormals: e = 1).
    let e = ((r.to_bits() >> 23) & 0xff).max(1) as u64;
    let ulp = f64::from_bits((e + 1023 - 150) << 52);
    (f64::from(y) - reference).abs() / ulp
}

/// Distance between two `f64`s in representable steps; NaN, infinities
/// must match exactly.
fn steps64(a: f64, b: f64) -> u64 {
    if !a.is_finite() || !b.is_finite() {
        let same = (a.is_nan() && b.is_nan()) || a == b;
        return if same { 0 } else { u64::MAX };
    }
    let key = |x: f64| {
        let bits = x.to_bits() as i64;
        if bits < 0 { i64::MIN - bits } else { bits }
    };
    key(a).abs_diff(key(b))
}

/// Runs `f` on `xs` in calls of `CHUNK` elements (the last one padded).
fn run32(f: fn(&Array) -> Array, xs: &[f32]) -> Vec<f32> {
    let mut out = Vec::with_capacity(xs.len());
    for chunk in xs.chunks(CHUNK) {
        let mut padded = chunk.to_vec();
        padded.resize(CHUNK, 1.0);
        let y = f(&Array::from(padded)).to_vec::<f32>().unwrap();
        out.extend_from_slice(&y[..chunk.len()]);
    }
    out
}

fn run64(f: fn(&Array) -> Array, xs: &[f64]) -> Vec<f64> {
    let mut out = Vec::with_capacity(xs.len());
    for chunk in xs.chunks(CHUNK) {
        let mut padded = chunk.to_vec();
        padded.resize(CHUNK, 1.0);
        let y = f(&Array::from(padded)).to_vec::<f64>().unwrap();
        out.extend_from_slice(&y[..chunk.len()]);
    }
    out
}

/// 2^22 bit patterns (times `JIT_TEST_SCALE`) strided over all of them,
/// with varying low bits.
fn strided32() -> Vec<f32> {
    let n = crate::support::scaled(1 << 22) as u64;
    (0..n)
        .map(|k| {
            let i = (k * (1 << 22) / n) as u32;
            f32::from_bits((i << 10) | (i.wrapping_mul(0x9E37_79B9) >> 22))
        })
        .collect()
}

fn uniform32(lo: f64, hi: f64, n: usize) -> Vec<f32> {
    (0..n)
        .map(|i| (lo + (hi - lo) * i as f64 / (n - 1) as f64) as f32)
        .collect()
}

/// xorshift64*: deterministic samples.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * ((self.next() >> 11) as f64 / (1u64 << 53) as f64)
    }
    fn finite64(&mut self) -> f64 {
        loop {
            let x = f64::from_bits(self.next());
            if x.is_finite() {
                return x;
            }
        }
    }
}

/// The worst error of `got` against `reference` on `xs`, asserted
/// `<= bound` ulp; prints it.
fn check32(
    name: &str,
    range: &str,
    bound: f64,
    xs: &[f32],
    got: &[f32],
    reference: fn(f64) -> f64,
) {
    let mut worst = (0.0, 0.0f32);
    for i in 0..xs.len() {
        let (x, y) = (xs[i], got[i]);
        let r = reference(f64::from(x));
        // The common case, the nearest f32 to the reference (within 0.5
        // ulp and a hair), is told by its bits alone.
        if (r as f32).to_bits() == y.to_bits() && worst.0 >= 0.5 {
            continue;
        }
        let e = ulps32(y, r);
        if e > worst.0 {
            worst = (e, x);
        }
    }
    println!("{name} {range}: max {:.3} ulp at {:e}", worst.0, worst.1);
    assert!(
        worst.0 <= bound,
        "{name} {range}: {:.3} ulp at x = {:e} (bound {bound})",
        worst.0,
        worst.1
    );
}

/// Native results on `xs` equal the interpreter's bit for bit (NaNs as
/// NaNs), on every 256th element.
fn same_as_interpreter32(name: &str, g: &Graph32, xs: &[f32]) {
    let sub: Vec<f32> = xs.iter().step_by(256).copied().collect();
    let native = f_of(g, &sub);
    let interpreted = interpret(g, &sub);
    for ((&x, a), b) in sub.iter().zip(native).zip(interpreted) {
        assert!(
            a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()),
            "{name}({x:e}): native {a:e}, interpreter {b:e}"
        );
    }
}

/// A traced `f32` array function: its native form and its traced graph
/// (for an argument of a given length).
struct Graph32 {
    native: fn(&Array) -> Array,
    trace: fn(&Array) -> jit::internals::ir::Graph,
}

impl Graph32 {
    fn graph_for(&self, x: &Array) -> jit::internals::ir::Graph {
        (self.trace)(x)
    }
}

fn f_of(g: &Graph32, xs: &[f32]) -> Vec<f32> {
    (g.native)(&Array::from(xs.to_vec()))
        .to_vec::<f32>()
        .unwrap()
}

fn interpret(g: &Graph32, xs: &[f32]) -> Vec<f32> {
    let arg = Array::from(xs.to_vec());
    let graph = g.graph_for(&arg);
    let out = interp::run_values(&graph, &[Value::from(arg)]);
    let aval = graph.aval(graph.body.results[0]).clone();
    out[0].clone().into_array(&aval).to_vec::<f32>().unwrap()
}

macro_rules! graph32 {
    ($f:ident) => {
        Graph32 {
            native: |x| $f(x),
            trace: |x| $f::make_jaxpr(x).graph().clone(),
        }
    };
}

#[test]
fn f32_explog_within_one_ulp_and_as_interpreted() {
    let all = strided32();
    // The documented bounds: 0.5 ulp plus what the short `f64` kernels
    // and the reference itself add, and the measured maxima of the
    // functions computed in `f32` (`math/sincosf.rs`, `math/expf.rs`).
    const SHORT: f64 = 0.5001;
    type Case = (&'static str, Graph32, fn(f64) -> f64, (f64, f64), f64);
    let cases: [Case; 14] = [
        ("exp2", graph32!(exp2_32), f64::exp2, (-150.0, 128.0), SHORT),
        (
            "exp_m1",
            graph32!(exp_m1_32),
            f64::exp_m1,
            (-20.0, 89.0),
            SHORT,
        ),
        (
            "ln_1p",
            graph32!(ln_1p_32),
            f64::ln_1p,
            (-1.0, 100.0),
            SHORT,
        ),
        ("log2", graph32!(log2_32), f64::log2, (0.0, 100.0), SHORT),
        ("log10", graph32!(log10_32), f64::log10, (0.0, 100.0), SHORT),
        ("cbrt", graph32!(cbrt_32), f64::cbrt, (-100.0, 100.0), SHORT),
        ("erf", graph32!(erf_32), libm::erf, (-6.0, 6.0), SHORT),
        ("ln", graph32!(ln_32), f64::ln, (0.0, 100.0), SHORT),
        ("tan", graph32!(tan_32), f64::tan, (-100.0, 100.0), SHORT),
        ("sin", graph32!(sin_32), f64::sin, (-100.0, 100.0), 0.79),
        ("cos", graph32!(cos_32), f64::cos, (-100.0, 100.0), 0.79),
        ("exp", graph32!(exp_32), f64::exp, (-104.0, 89.0), 0.8),
        ("tanh", graph32!(tanh_32), f64::tanh, (-10.0, 10.0), 0.76),
        (
            "sigmoid",
            graph32!(sigmoid_32),
            sigmoid_ref,
            (-110.0, 90.0),
            0.8,
        ),
    ];
    for (name, g, reference, (lo, hi), bound) in cases {
        let got = run32(g.native, &all);
        let range = "2^22 strided bit patterns";
        check32(name, range, bound, &all, &got, reference);
        same_as_interpreter32(name, &g, &all);
        let dense = uniform32(lo, hi, crate::support::scaled(CHUNK / 2));
        let got = run32(g.native, &dense);
        let range = format!("[{lo}, {hi}]");
        check32(name, &range, bound, &dense, &got, reference);
        same_as_interpreter32(name, &g, &dense);
    }
}

#[test]
fn f32_powf_grid_within_one_ulp() {
    // x: 2048 magnitudes strided over all positive finite f32 and [0, 4];
    // y: 512 values in [-40, 40]; then negative x with integral y.
    let mut xs = Vec::new();
    let mut ys = Vec::new();
    for i in 0..1024u32 {
        let big = f32::from_bits(i * (0x7F80_0000 / 1024) + (i % 7));
        let small = 4.0 * i as f32 / 1024.0;
        for j in 0..512 {
            let y = -40.0 + 80.0 * j as f32 / 511.0;
            xs.extend([big, small]);
            ys.extend([y, y]);
        }
    }
    for i in 0..1024 {
        for j in -40..40 {
            xs.push(-(i as f32) / 32.0);
            ys.push(j as f32);
        }
    }
    xs.resize(2 * CHUNK, 2.0);
    ys.resize(2 * CHUNK, 0.5);
    let mut worst = (0.0, 0.0f32, 0.0f32);
    for (cx, cy) in xs.chunks(CHUNK).zip(ys.chunks(CHUNK)) {
        let (ax, ay) = (Array::from(cx.to_vec()), Array::from(cy.to_vec()));
        let got = powf_32(&ax, &ay).to_vec::<f32>().unwrap();
        for ((&x, &y), &z) in cx.iter().zip(cy).zip(&got) {
            let e = ulps32(z, f64::from(x).powf(f64::from(y)));
            if e > worst.0 {
                worst = (e, x, y);
            }
        }
        // Native against the interpreter on every 64th pair.
        let (sx, sy): (Vec<f32>, Vec<f32>) =
            cx.iter().zip(cy).step_by(64).map(|(&x, &y)| (x, y)).unzip();
        let (sx, sy) = (Array::from(sx), Array::from(sy));
        let native = powf_32(&sx, &sy).to_vec::<f32>().unwrap();
        let graph = powf_32::make_jaxpr(&sx, &sy).graph().clone();
        let interpreted = interp::run_values(&graph, &[Value::from(sx), Value::from(sy)]);
        let interpreted = interpreted[0]
            .clone()
            .into_array(&graph.aval(graph.body.results[0]).clone());
        let interpreted = interpreted.to_vec::<f32>().unwrap();
        for (a, b) in native.iter().zip(&interpreted) {
            assert!(a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()));
        }
    }
    println!(
        "powf f32 grid: max {:.3} ulp at x = {:e}, y = {:e}",
        worst.0, worst.1, worst.2
    );
    assert!(worst.0 <= 1.0);
    // Special values exactly as `f32::powf`.
    let specials = [0.0, -0.0, 1.0, -1.0, 2.0, -2.0, 0.5, 3.0, -3.0, 2.5];
    let specials: Vec<f32> = specials
        .into_iter()
        .chain([f32::INFINITY, f32::NEG_INFINITY, f32::NAN])
        .collect();
    let (mut sx, mut sy) = (Vec::new(), Vec::new());
    for &x in &specials {
        for &y in &specials {
            sx.push(x);
            sy.push(y);
        }
    }
    let got = powf_32(&Array::from(sx.clone()), &Array::from(sy.clone()))
        .to_vec::<f32>()
        .unwrap();
    for ((&x, &y), z) in sx.iter().zip(&sy).zip(got) {
        let want = x.powf(y);
        assert!(
            z.to_bits() == want.to_bits() || (z.is_nan() && want.is_nan()),
            "powf({x:e}, {y:e}) = {z:e}, std {want:e}"
        );
    }
}

fn check64(
    name: &str,
    allowed: u64,
    f: fn(&Array) -> Array,
    reference: fn(f64) -> f64,
    xs: &[f64],
) {
    let got = run64(f, xs);
    let mut worst = (0, 0.0);
    for (&x, &y) in xs.iter().zip(&got) {
        let d = steps64(y, reference(x));
        if d > worst.0 {
            worst = (d, x);
        }
    }
    println!("{name} f64: max {} ulp from std at {:e}", worst.0, worst.1);
    assert!(
        worst.0 <= allowed,
        "{name} f64: {} ulp at {:e}",
        worst.0,
        worst.1
    );
}

#[test]
fn f64_explog_within_one_ulp_of_std() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let n = 1 << 18;
    let mut uniform =
        |lo: f64, hi: f64| -> Vec<f64> { (0..n).map(|_| rng.uniform(lo, hi)).collect() };
    type Case = (
        &'static str,
        u64,
        fn(&Array) -> Array,
        fn(f64) -> f64,
        Vec<f64>,
    );
    let main: [Case; 8] = [
        (
            "exp2",
            1,
            |x| exp2_64(x),
            f64::exp2,
            uniform(-1075.0, 1024.0),
        ),
        (
            "exp_m1",
            1,
            |x| exp_m1_64(x),
            f64::exp_m1,
            uniform(-40.0, 710.0),
        ),
        ("ln_1p", 1, |x| ln_1p_64(x), f64::ln_1p, uniform(-1.0, 10.0)),
        ("log2", 1, |x| log2_64(x), f64::log2, uniform(0.0, 10.0)),
        ("log10", 2, |x| log10_64(x), f64::log10, uniform(0.0, 10.0)),
        ("cbrt", 1, |x| cbrt_64(x), f64::cbrt, uniform(-10.0, 10.0)),
        ("erf", 1, |x| erf_64(x), libm::erf, uniform(-6.0, 6.0)),
        (
            "sigmoid",
            4,
            |x| sigmoid_64(x),
            sigmoid_ref,
            uniform(-709.0, 709.0),
        ),
    ];
    for (name, allowed, f, reference, xs) in main {
        check64(name, allowed, f, reference, &xs);
        if name != "sigmoid" {
            let any: Vec<f64> = (0..n).map(|_| rng.finite64()).collect();
            check64(name, allowed, f, reference, &any);
        }
    }
    // powf: positive x over all magnitudes with small y, moderate x and y,
    // and x near 1 with huge y.
    let mut xs = Vec::new();
    let mut ys = Vec::new();
    for i in 0..n {
        let (x, y) = match i % 3 {
            0 => (rng.finite64().abs(), rng.uniform(-2.0, 2.0)),
            1 => (rng.uniform(0.0, 10.0), rng.uniform(-300.0, 300.0)),
            _ => (1.0 + rng.uniform(-1e-6, 1e-6), rng.uniform(-1e9, 1e9)),
        };
        xs.push(x);
        ys.push(y);
    }
    let got = powf_64(&Array::from(xs.clone()), &Array::from(ys.clone()))
        .to_vec::<f64>()
        .unwrap();
    let worst = xs
        .iter()
        .zip(&ys)
        .zip(&got)
        .map(|((&x, &y), &z)| steps64(z, x.powf(y)))
        .max()
        .unwrap();
    println!("powf f64: max {worst} ulp from std");
    assert!(worst <= 1);
}

#[test]
fn logs_are_exact_at_powers() {
    let tens32: Vec<f32> = (0..=10).map(|k| 10f32.powi(k)).collect();
    let got = log10_32(&Array::from(tens32)).to_vec::<f32>().unwrap();
    assert_eq!(got, (0..=10).map(|k| k as f32).collect::<Vec<_>>());
    let tens64: Vec<f64> = (0..=22)
        .map(|k| format!("1e{k}").parse().unwrap())
        .collect();
    let got = log10_64(&Array::from(tens64)).to_vec::<f64>().unwrap();
    assert_eq!(got, (0..=22).map(f64::from).collect::<Vec<_>>());
    let twos32: Vec<f32> = (-149..128).map(|k| f64::from(k).exp2() as f32).collect();
    let got = log2_32(&Array::from(twos32)).to_vec::<f32>().unwrap();
    assert_eq!(got, (-149..128).map(|k| k as f32).collect::<Vec<_>>());
    let twos64: Vec<f64> = (-1074..1024).map(|k| f64::from(k).exp2()).collect();
    let got = log2_64(&Array::from(twos64)).to_vec::<f64>().unwrap();
    assert_eq!(got, (-1074..1024).map(f64::from).collect::<Vec<_>>());
    // And on scalars.
    #[jit]
    fn log10_scalar(x: f32) -> f32 {
        x.log10()
    }
    #[jit]
    fn log2_scalar(x: f64) -> f64 {
        x.log2()
    }
    assert_eq!(log10_scalar(1e6), 6.0);
    assert_eq!(log2_scalar(8.0), 3.0);
}

#[test]
fn sin_cos_is_sin_and_cos() {
    for i in -1000..1000 {
        let x = i as f32 * 0.37;
        let (s, c) = sin_cos_32(x);
        assert!(ulps32(s, f64::from(x).sin()) <= 1.0 && ulps32(c, f64::from(x).cos()) <= 1.0);
        let x = f64::from(i) * 0.37;
        let (s, c) = sin_cos_64(x);
        assert!(steps64(s, x.sin()) <= 1 && steps64(c, x.cos()) <= 1);
    }
    let (s, c) = sin_cos_32(-0.0);
    assert_eq!((s.to_bits(), c), ((-0.0f32).to_bits(), 1.0));
}
