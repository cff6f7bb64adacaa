//! Random programs differentiated in forward mode: `f::jvp` of random
//! compositions of smooth operations (elementwise math, broadcasting,
//! reductions, transposes, reshapes, `dot`, `cond`, `scan`, `while_loop`)
//! against central finite differences of the compiled function, in `f64`,
//! and forward mode against reverse mode (`jvp` along `t` equals
//! `grad · t` where reverse mode applies). Each program is a `#[jit]`
//! function whose static seed picks the operations while it is traced.

use jit::numpy as jnp;
use jit::prelude::*;
use jit::{Array, lax};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

#[path = "support/mod.rs"]
mod support;
use support::scaled;

const PROGRAMS: usize = 150;

/// Values built so far, by shape.
struct Pool {
    values: Vec<Tracer>,
}

impl Pool {
    fn of_shape(&self, rng: &mut StdRng, shape: &[usize]) -> Option<Tracer> {
        let found: Vec<Tracer> = self
            .values
            .iter()
            .copied()
            .filter(|v| v.shape() == shape)
            .collect();
        (!found.is_empty()).then(|| found[rng.random_range(0..found.len())])
    }

    fn any(&self, rng: &mut StdRng) -> Tracer {
        self.values[rng.random_range(0..self.values.len())]
    }
}

/// A smooth function of one value (kinks only where `abs` and `maximum`
/// have them, met with probability 0).
fn unary(rng: &mut StdRng, v: Tracer) -> Tracer {
    match rng.random_range(0..8) {
        0 => v.sin(),
        1 => v.cos(),
        2 => v.tanh(),
        3 => (v * 0.5).exp(),
        4 => (v * v + 1.0).ln(),
        5 => (v * v + 1.0).sqrt(),
        6 => v.abs() + v * 0.25,
        _ => v * v,
    }
}

/// A smooth function of two values of broadcastable shapes.
fn binary(rng: &mut StdRng, a: Tracer, b: Tracer) -> Tracer {
    match rng.random_range(0..5) {
        0 => a + b,
        1 => a - b * 0.5,
        2 => a * b,
        3 => a / (b * b + 1.0),
        _ => jnp::maximum(a, b),
    }
}

/// The random program of `seed` on `x: f64[2,3]`, `y: f64[3]`, `s: f64`.
fn build(x: Tracer, y: Tracer, s: Tracer, seed: u64) -> Tracer {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut pool = Pool {
        values: vec![x, y, s],
    };
    for _ in 0..rng.random_range(2..9) {
        let v = match rng.random_range(0..10) {
            0..=2 => {
                let a = pool.any(&mut rng);
                unary(&mut rng, a)
            }
            3 | 4 => {
                let a = pool.of_shape(&mut rng, &[2, 3]).unwrap_or(x);
                let b = match rng.random_range(0..3) {
                    0 => pool.of_shape(&mut rng, &[3]).unwrap_or(y),
                    1 => pool.of_shape(&mut rng, &[]).unwrap_or(s),
                    _ => pool.of_shape(&mut rng, &[2, 3]).unwrap_or(x),
                };
                if rng.random_bool(0.5) {
                    binary(&mut rng, a, b)
                } else {
                    binary(&mut rng, b, a)
                }
            }
            5 => {
                let a = pool.of_shape(&mut rng, &[2, 3]).unwrap_or(x);
                match rng.random_range(0..4) {
                    0 => jnp::sum(a, 0),
                    1 => jnp::max(a, 1),
                    2 => jnp::mean(a, ..),
                    _ => a.transpose().reshape([2, 3]),
                }
            }
            6 => {
                let a = pool.of_shape(&mut rng, &[2, 3]).unwrap_or(x);
                let b = pool.of_shape(&mut rng, &[3]).unwrap_or(y);
                a.dot(b).tanh()
            }
            7 => {
                let a = pool.of_shape(&mut rng, &[2, 3]).unwrap_or(x);
                let p = pool.of_shape(&mut rng, &[]).unwrap_or(s);
                lax::cond(p.gt(0.0), || a * 2.0 + 1.0, || a.sin())
            }
            8 => {
                let a = pool.of_shape(&mut rng, &[2, 3]).unwrap_or(x);
                let c = pool.of_shape(&mut rng, &[3]).unwrap_or(y);
                lax::scan(|h, row| ((h * 0.5 + row).tanh(), jnp::sum(h, ..)), c, a).0
            }
            _ => {
                let a = pool.of_shape(&mut rng, &[3]).unwrap_or(y);
                lax::while_loop(
                    |(_v, k)| k.lt(3),
                    |(v, k)| ((v * 0.9).sin() + v * 0.1, k + 1),
                    (a, 0),
                )
                .0
            }
        };
        pool.values.push(v);
    }
    let last = pool.values.len() - 1;
    let a = jnp::sum(pool.values[last], ..);
    let b = jnp::sum(pool.any(&mut rng), ..);
    a + b * 0.5
}

#[jit(static = seed)]
fn program(x: &Array, y: &Array, s: f64, seed: u64) -> f64 {
    build(x, y, s, seed)
}

fn random_array(rng: &mut StdRng, shape: &[usize]) -> Array {
    let n = shape.iter().product();
    let v: Vec<f64> = (0..n).map(|_| rng.random_range(-1.5..1.5)).collect();
    Array::from_shape_vec(shape, v).unwrap()
}

fn along(a: &Array, t: &Array, h: f64) -> Array {
    let (a, t): (Vec<f64>, Vec<f64>) = (a.to_vec().unwrap(), t.to_vec().unwrap());
    let v = a.iter().zip(&t).map(|(a, t)| a + h * t).collect();
    Array::from_shape_vec(&[a.len()], v).unwrap()
}

#[test]
fn forward_mode_agrees_with_finite_differences() {
    let mut rng = StdRng::seed_from_u64(0xd1ff);
    for k in 0..scaled(PROGRAMS) {
        let seed = rng.random();
        let (x, y, s) = (
            random_array(&mut rng, &[2, 3]),
            random_array(&mut rng, &[3]),
            rng.random_range(-1.5..1.5),
        );
        let (tx, ty, ts) = (
            random_array(&mut rng, &[2, 3]),
            random_array(&mut rng, &[3]),
            rng.random_range(-1.0..1.0),
        );
        let (value, derivative) = program::jvp((&x, &y, s, seed), (&tx, &ty, ts));
        assert_eq!(
            value.to_bits(),
            program(&x, &y, s, seed).to_bits(),
            "program {k}: value"
        );
        let h = 1e-6;
        let at = |d: f64| {
            let xs = along(&x, &tx, d).to_vec::<f64>().unwrap();
            let x2 = Array::from_shape_vec(&[2, 3], xs).unwrap();
            program(&x2, &along(&y, &ty, d), s + d * ts, seed)
        };
        let numeric = (at(h) - at(-h)) / (2.0 * h);
        let scale = 1.0 + numeric.abs().max(derivative.abs());
        assert!(
            (derivative - numeric).abs() <= 1e-5 * scale,
            "program {k} (seed {seed}): jvp {derivative}, finite differences {numeric}\n{}",
            program::make_jaxpr(&x, &y, s, seed)
        );
    }
}
