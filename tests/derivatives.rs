//! `f::grad` and `f::value_and_grad`: reverse mode through every kind of
//! op, checked against central finite differences in `f64`, and a training
//! step that calls `loss::grad` inside its own `#[jit]` body compiling to
//! one native function.

use jit::numpy as jnp;
use jit::prelude::*;
use jit::{Array, DType, lax};

/// Central differences of `f` at `x`, one per element.
fn numeric_gradient(f: impl Fn(&Array) -> f64, x: &Array) -> Vec<f64> {
    let base: Vec<f64> = x.to_vec().unwrap();
    let h = 1e-6;
    (0..base.len())
        .map(|k| {
            let at = |d: f64| {
                let mut v = base.clone();
                v[k] += d;
                f(&Array::from_shape_vec(x.shape(), v).unwrap())
            };
            (at(h) - at(-h)) / (2.0 * h)
        })
        .collect()
}

#[track_caller]
fn assert_close(name: &str, got: &[f64], want: &[f64]) {
    assert_eq!(got.len(), want.len(), "{name}");
    for (k, (g, w)) in got.iter().zip(want).enumerate() {
        assert!(
            (g - w).abs() <= 1e-5 * (1.0 + w.abs()),
            "{name}[{k}]: gradient {g}, finite differences {w}"
        );
    }
}

macro_rules! check_against_differences {
    ($($f:ident),* $(,)?) => {$(
        {
            let x = input();
            let g: Vec<f64> = $f::grad(&x).to_vec().unwrap();
            let (value, g2) = $f::value_and_grad(&x);
            assert_eq!(value, $f(&x), "{}: value_and_grad's value", stringify!($f));
            assert_eq!(g2.to_vec::<f64>().unwrap(), g, "{}: value_and_grad's gradient", stringify!($f));
            assert_close(stringify!($f), &g, &numeric_gradient(|x| $f(x), &x));
        }
    )*};
}

/// A 2x3 `f64` input away from the functions' kinks.
fn input() -> Array {
    Array::from_shape_vec(&[2, 3], vec![0.3f64, -1.2, 0.7, 1.9, -0.4, 0.25]).unwrap()
}

#[jit]
fn elementwise(x: &Array) -> f64 {
    let y = x.sin() * x.cos() + x.tanh() - (x * 0.5).exp() + (x * x + 1.0).ln();
    let z = (x * x + 0.1).sqrt() / (x.abs() + 2.0) + (x * 0.3).tan() - x.recip() * 0.01;
    jnp::sum(y + z + x.powi(3) - x.powi(-2) * 0.001, ..)
}

#[jit]
fn choices(x: &Array) -> f64 {
    let m = jnp::maximum(x, 0.1) + jnp::minimum(x * 2.0, 0.5);
    let w = jnp::where_(x.gt(0.0), x * 3.0, -x);
    let c = jnp::clip(x, -1.0, 1.0);
    jnp::sum(m * w + c + x.floor(), ..)
}

#[jit]
fn reductions(x: &Array) -> f64 {
    let rows = jnp::sum(x * x, 1);
    let cols = jnp::max(x, 0);
    let m = jnp::mean(x, ..);
    jnp::sum(rows, ..) * m + jnp::sum(cols * cols, ..) + jnp::min(x, ..) + jnp::prod(x, 1).sum()
}

#[jit]
fn shapes(x: &Array) -> f64 {
    let t = x.transpose();
    let r = x.reshape([3, 2]);
    let b = jnp::broadcast_to(jnp::sum(x, 0), [4, 3]);
    let e = jnp::expand_dims(x, 0);
    let s = jnp::squeeze(e, 0);
    jnp::sum(t * r + 1.0, ..) + jnp::sum(b.sin(), ..) + jnp::sum(s * s * s, ..)
}

#[jit]
fn products(x: &Array) -> f64 {
    let w = (jnp::arange(6) * 0.1 - 0.2).reshape([3, 2]);
    let h = x.dot(w).tanh();
    let v = jnp::linspace(0.5, -0.5, 2);
    let batched = jnp::matmul(jnp::stack([x, x * 2.0], 0), jnp::stack([w, w], 0));
    jnp::sum(h.dot(v), ..) + jnp::sum(batched * batched, ..) + x.at(1).dot(x.at(0))
}

#[jit]
fn indexing(x: &Array) -> f64 {
    let s = x.slice_axis(1, 1..3);
    let d = lax::dynamic_slice(x, [1, 5], [1, 2]);
    let u = lax::dynamic_update_slice(x, jnp::full([1, 2], 0.5), [0, 1]);
    let c = jnp::concatenate([x, x * x], 1);
    let i = lax::dynamic_index(x, 1);
    jnp::sum(s * s, ..)
        + jnp::sum(d.exp(), ..)
        + jnp::sum(u * x, ..)
        + jnp::sum(c, ..)
        + (x.at_set(0, 1.0) * x).sum()
        + i.sum()
}

// Inverse trigonometric and hyperbolic functions, each argument kept
// inside its domain (and away from its ends).
#[jit]
fn inverse_hyperbolic(x: &Array) -> f64 {
    let u = x * 0.4;
    let trig =
        u.asin() + u.acos() * 0.5 + x.atan() + x.atan2(x * x + 0.5) + (x * 0.3 - 0.6).atan2(x);
    let hyp = x.sinh() + x.cosh() * 0.5 + x.asinh() + (x * x + 1.5).acosh() + u.atanh();
    let h = x.hypot(0.7 - x * 0.5) + jnp::hypot(2.0, x);
    let n = jnp::arcsin(u) * jnp::arctan2(1.5, x) + jnp::arccosh(x * x + 2.0) * jnp::arctanh(u);
    jnp::sum(trig + hyp + h + n, ..)
}

#[jit]
fn explog(x: &Array) -> f64 {
    let q = x * x + 0.5;
    let a = x.exp2() + (x * 0.5).exp_m1() + (x * x).ln_1p() + q.log2() + q.log10();
    let b = q.powf(x) + (x + 3.0).powf(1.5) + jnp::power(2.0, x) + q.cbrt() + x.cbrt();
    let (s, c) = x.sin_cos();
    jnp::sum(a + b + x.erf() + (x * 3.0).sigmoid() + s * c, ..)
}

#[test]
fn gradients_match_finite_differences() {
    check_against_differences!(elementwise, choices, reductions, shapes, products, indexing);
    check_against_differences!(inverse_hyperbolic);
    check_against_differences!(explog);
}

#[jit]
fn square_by_pow(x: f64) -> f64 {
    x.powf(2.0)
}

#[jit]
fn pow_zero(x: f64) -> f64 {
    jnp::power(x, 0.0)
}

#[jit]
fn zero_to_the(y: f64) -> f64 {
    jnp::power(0.0, y)
}

/// JAX's conventions for `pow` at a zero base or exponent: `d/dx x^0 = 0`
/// (not `0 * 0^-1`), `d/dy 0^y = ln(1) 0^y = 0`.
#[test]
fn pow_gradients_follow_jax_at_zero() {
    assert_eq!(square_by_pow::grad(0.0), 0.0);
    assert_eq!(square_by_pow::grad(3.0), 6.0);
    assert_eq!(pow_zero::grad(0.0), 0.0);
    assert_eq!(zero_to_the::grad(2.0), 0.0);
}

#[jit]
fn scalar(x: f32) -> f32 {
    x * x.sin() + 2.0 * x
}

#[jit]
fn through_f32(x: f64) -> f64 {
    (x as f32).sin() as f64
}

#[test]
fn scalar_gradients() {
    // The cotangent goes back through both conversions, in f32 between.
    assert_eq!(through_f32::grad(0.7), f64::from(0.7f32.cos()));
    let want = 1.5f32.sin() + 1.5 * 1.5f32.cos() + 2.0;
    assert!((scalar::grad(1.5) - want).abs() < 1e-6);
    assert_eq!(scalar::value_and_grad(1.5).0, scalar(1.5));
}

#[derive(Pytree, Clone)]
struct Params<T = Array> {
    w: T,
    b: T,
}

#[jit]
fn loss(p: &Params, x: &Array, y: &Array) -> f32 {
    let e = (x.dot(p.w) + p.b).tanh() - y;
    jnp::mean(e * e, ..)
}

#[jit]
fn step(p: Params, x: &Array, y: &Array) -> Params {
    let g = loss::grad(&p, x, y);
    Params {
        w: p.w - 0.1 * g.w,
        b: p.b - 0.1 * g.b,
    }
}

#[test]
fn a_training_step_compiles_once_to_native_code_and_lowers_the_loss() {
    let mut p = Params {
        w: Array::from_shape_vec(&[3, 2], vec![0.1f32, -0.2, 0.3, 0.4, -0.5, 0.6]).unwrap(),
        b: Array::from(vec![0.01f32, -0.02]),
    };
    let x = Array::from_shape_vec(&[4, 3], (0..12).map(|k| k as f32 * 0.1).collect()).unwrap();
    let y =
        Array::from_shape_vec(&[4, 2], (0..8).map(|k| (k as f32 * 0.3).sin()).collect()).unwrap();
    assert!(step::lower(p.clone(), &x, &y).compile().is_native());
    let mut losses = vec![loss(&p, &x, &y)];
    for _ in 0..20 {
        p = step(p, &x, &y);
        losses.push(loss(&p, &x, &y));
    }
    assert_eq!(step::cache_size(), 1);
    assert!(losses.windows(2).all(|w| w[1] < w[0]), "{losses:?}");
    // The gradient's structure is the parameter's.
    let g = loss::grad(&p, &x, &y);
    assert_eq!((g.w.shape(), g.b.shape()), (&[3, 2][..], &[2][..]));
    assert_eq!(g.w.dtype(), DType::F32);
}

#[jit]
fn counted(x: f32, n: i32) -> f32 {
    lax::fori_loop(0, n, |_i, a| a * x, 1.0f32)
}

#[jit]
fn integer_first(n: i32, x: f32) -> f32 {
    x * n as f32
}

#[test]
#[should_panic(expected = "reverse-mode differentiation does not go through `while_loop`")]
fn reverse_mode_through_a_while_loop_is_an_error() {
    counted::grad(2.0, 3);
}

#[test]
#[should_panic(expected = "only float inputs have gradients")]
fn the_gradient_of_an_integer_parameter_is_an_error() {
    integer_first::grad(3, 2.0);
}

/// The values `tests/derivatives_jax.py` printed for `name`.
fn jax(name: &str) -> Vec<f64> {
    let text = include_str!("derivatives_jax.txt");
    let line = text
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{name}: ")))
        .unwrap_or_else(|| panic!("no `{name}` in derivatives_jax.txt"));
    line.split(' ').map(|v| v.parse().unwrap()).collect()
}

fn jax_f32(name: &str, shape: &[usize]) -> Array {
    let v: Vec<f32> = jax(name).iter().map(|&v| v as f32).collect();
    Array::from_shape_vec(shape, v).unwrap()
}

#[jit]
fn ties(x: &Array) -> f64 {
    let corner = x.at(0).at(0);
    jnp::sum(jnp::maximum(x, 0.25), ..)
        + jnp::max(jnp::stack([corner, corner, x.at(1).at(1)], 0), ..)
}

#[test]
fn gradients_match_jax() {
    let x = input();
    for (name, got) in [
        ("grad_elementwise", elementwise::grad(&x)),
        ("grad_choices", choices::grad(&x)),
        ("grad_ties", ties::grad(&x)),
        ("grad_inverse_hyperbolic", inverse_hyperbolic::grad(&x)),
    ] {
        assert_close(name, &got.to_vec::<f64>().unwrap(), &jax(name));
    }
}

#[derive(Pytree, Clone)]
struct Mlp<T = Array> {
    w1: T,
    b1: T,
    w2: T,
    b2: T,
}

#[jit]
fn mlp_loss(p: &Mlp, x: &Array, y: &Array) -> f32 {
    let h = (x.dot(p.w1) + p.b1).tanh();
    let e = h.dot(p.w2) + p.b2 - y;
    jnp::mean(e * e, ..)
}

#[jit]
fn mlp_step(p: Mlp, x: &Array, y: &Array) -> Mlp {
    let g = mlp_loss::grad(&p, x, y);
    Mlp {
        w1: p.w1 - 0.1 * g.w1,
        b1: p.b1 - 0.1 * g.b1,
        w2: p.w2 - 0.1 * g.w2,
        b2: p.b2 - 0.1 * g.b2,
    }
}

#[test]
fn fifty_sgd_steps_follow_jax() {
    let mut p = Mlp {
        w1: jax_f32("mlp_w1", &[3, 4]),
        b1: jax_f32("mlp_b1", &[4]),
        w2: jax_f32("mlp_w2", &[4, 2]),
        b2: jax_f32("mlp_b2", &[2]),
    };
    let (x, y) = (jax_f32("mlp_x", &[8, 3]), jax_f32("mlp_y", &[8, 2]));
    let g: Vec<f64> = mlp_loss::grad(&p, &x, &y)
        .w1
        .to_vec::<f32>()
        .unwrap()
        .iter()
        .map(|&v| f64::from(v))
        .collect();
    let close = |name: &str, got: &[f64], want: &[f64], tolerance: f64| {
        for (k, (g, w)) in got.iter().zip(want).enumerate() {
            assert!(
                (g - w).abs() <= tolerance * (1e-3 + w.abs()),
                "{name}[{k}]: {g} against JAX's {w}"
            );
        }
    };
    close("grad w1", &g, &jax("mlp_grad_w1"), 1e-5);
    let mut losses = Vec::new();
    for _ in 0..50 {
        losses.push(f64::from(mlp_loss(&p, &x, &y)));
        p = mlp_step(p, &x, &y);
    }
    losses.push(f64::from(mlp_loss(&p, &x, &y)));
    close("losses", &losses, &jax("mlp_losses"), 1e-5);
    let w2: Vec<f64> =
        p.w2.to_vec::<f32>()
            .unwrap()
            .iter()
            .map(|&v| f64::from(v))
            .collect();
    close("w2 after 50 steps", &w2, &jax("mlp_w2_after_50"), 1e-5);
    assert_eq!(mlp_step::cache_size(), 1);
}

#[jit]
fn branches(x: &Array, k: i32) -> f64 {
    let picked = lax::switch(
        k,
        (
            || x.sin(),
            || x * x * 3.0,
            || jnp::broadcast_to(jnp::sum(x, ..), [2, 3]),
        ),
    );
    let positive = lax::cond(jnp::sum(x, ..).gt(0.0), || picked.exp(), || picked * 2.0);
    jnp::sum(positive * x, ..)
}

#[test]
fn gradients_through_cond_and_switch() {
    let x = input();
    for k in [-1, 0, 1, 2, 5] {
        for scale in [1.0, -1.0] {
            let x = Array::from_shape_vec(
                &[2, 3],
                x.to_vec::<f64>()
                    .unwrap()
                    .iter()
                    .map(|v| v * scale)
                    .collect(),
            )
            .unwrap();
            let g: Vec<f64> = branches::grad(&x, k).to_vec().unwrap();
            let want = numeric_gradient(|x| branches(x, k), &x);
            assert_close(&format!("branches(k = {k}, scale {scale})"), &g, &want);
        }
    }
}

/// A recurrent cell over the rows of `xs`, with a captured weight: the
/// carry, the consts and the xs all get gradients.
#[jit]
fn recurrent(xs: &Array, w: &Array) -> f64 {
    let (h, ys) = lax::scan(
        |(h, total), x| {
            let next = (x * w + h * 0.5).tanh();
            ((next, total + jnp::sum(next * x, ..)), jnp::sum(next, ..))
        },
        (jnp::zeros([3], DType::F64), 0.0f64),
        xs,
    );
    jnp::sum(h.0 * h.0, ..) + h.1 + jnp::sum(ys * ys, ..)
}

#[jit]
fn recurrent_w(w: &Array, xs: &Array) -> f64 {
    recurrent(xs, w)
}

#[test]
fn gradients_through_scan() {
    let xs = Array::from_shape_vec(&[4, 3], (0..12).map(|k| ((k as f64) * 0.7).sin()).collect())
        .unwrap();
    let w = Array::from(vec![0.5f64, -0.3, 0.8]);
    let g: Vec<f64> = recurrent::grad(&xs, &w).to_vec().unwrap();
    assert_close(
        "scan: d/dxs",
        &g,
        &numeric_gradient(|xs| recurrent(xs, &w), &xs),
    );
    let g: Vec<f64> = recurrent_w::grad(&w, &xs).to_vec().unwrap();
    assert_close(
        "scan: d/dw",
        &g,
        &numeric_gradient(|w| recurrent(&xs, w), &w),
    );
}

/// `fori_loop` with static bounds is a `scan`, as in JAX: reverse mode
/// goes through it.
#[jit]
fn static_loop(x: &Array) -> f64 {
    let y = lax::fori_loop(0, 5, |i, a| (a * x).sin() + i, x);
    jnp::sum(y, ..)
}

#[test]
fn gradients_through_fori_loop_with_static_bounds() {
    let x = input();
    let g: Vec<f64> = static_loop::grad(&x).to_vec().unwrap();
    assert_close(
        "fori_loop(0, 5)",
        &g,
        &numeric_gradient(|x| static_loop(x), &x),
    );
    assert!(static_loop::make_jaxpr(&x).to_string().contains("scan["));
}

#[jit]
fn wave(x: &Array, k: f64) -> Array {
    (x * k).sin() * x
}

#[jit]
fn wave_step(x: &Array, t: &Array) -> Array {
    // `jvp` inlines into another trace too.
    wave::jvp((x, 2.0f64), (t, 0.0f64)).1 + 1.0
}

#[test]
fn jvp_is_the_directional_derivative() {
    let x = input();
    let t = Array::from_shape_vec(&[2, 3], vec![1.0f64, 0.5, -2.0, 0.0, 3.0, 0.25]).unwrap();
    // A scalar result: the gradient's dot product with the tangent.
    let (value, d) = elementwise::jvp((&x,), (&t,));
    assert_eq!(value, elementwise(&x));
    let g: Vec<f64> = elementwise::grad(&x).to_vec().unwrap();
    let dot: f64 = g
        .iter()
        .zip(t.to_vec::<f64>().unwrap())
        .map(|(g, t)| g * t)
        .sum();
    assert!(
        (d - dot).abs() < 1e-9 * dot.abs().max(1.0),
        "{d} against {dot}"
    );
    // An array result, with a tangent for the scalar parameter too.
    let (y, dy) = wave::jvp((&x, 2.0), (&t, 0.5));
    let (xs, ts): (Vec<f64>, Vec<f64>) = (x.to_vec().unwrap(), t.to_vec().unwrap());
    let want: Vec<f64> = xs
        .iter()
        .zip(&ts)
        .map(|(&x, &t)| {
            (2.0 * (2.0 * x).cos() * x + (2.0 * x).sin()) * t + x * (2.0 * x).cos() * x * 0.5
        })
        .collect();
    assert_eq!(
        y.to_vec::<f64>().unwrap(),
        wave(&x, 2.0).to_vec::<f64>().unwrap()
    );
    assert_close("wave jvp", &dy.to_vec::<f64>().unwrap(), &want);
    let inlined: Vec<f64> = wave_step(&x, &t).to_vec().unwrap();
    let alone: Vec<f64> = wave::jvp((&x, 2.0), (&t, 0.0)).1.to_vec().unwrap();
    assert_close(
        "inlined jvp",
        &inlined,
        &alone.iter().map(|v| v + 1.0).collect::<Vec<_>>(),
    );
}

#[jit(wrt = (w, b))]
fn affine(x: &Array, w: &Array, b: f64) -> f64 {
    jnp::sum((x.dot(w) + b).tanh(), ..)
}

#[jit(wrt = b)]
fn affine_b(x: &Array, w: &Array, b: f64) -> f64 {
    affine(x, w, b)
}

#[test]
fn wrt_names_the_parameters_to_differentiate() {
    let x = input();
    let w = Array::from(vec![0.5f64, -1.0, 0.25]);
    let (gw, gb): (Array, f64) = affine::grad(&x, &w, 0.3);
    let numeric_w = numeric_gradient(|w| affine(&x, w, 0.3), &w);
    assert_close("d/dw", &gw.to_vec::<f64>().unwrap(), &numeric_w);
    let numeric_b = (affine(&x, &w, 0.3 + 1e-6) - affine(&x, &w, 0.3 - 1e-6)) / 2e-6;
    assert_close("d/db", &[gb], &[numeric_b]);
    // Not a tuple: the gradient itself.
    let only_b: f64 = affine_b::grad(&x, &w, 0.3);
    assert_eq!(only_b, gb);
}

#[test]
fn vjp_pulls_cotangents_back() {
    let x = input();
    let w = Array::from(vec![0.5f64, -1.0, 0.25]);
    // A scalar result: the pullback of 1 is the gradient, for every
    // traced parameter at once.
    let (value, pullback) = affine::vjp(&x, &w, 0.3);
    assert_eq!(value, affine(&x, &w, 0.3));
    let (gx, gw, gb) = pullback(1.0);
    let (want_w, want_b) = affine::grad(&x, &w, 0.3);
    assert_eq!(gw.to_vec::<f64>().unwrap(), want_w.to_vec::<f64>().unwrap());
    assert_eq!(gb, want_b);
    assert_close(
        "d/dx",
        &gx.to_vec::<f64>().unwrap(),
        &numeric_gradient(|x| affine(x, &w, 0.3), &x),
    );
    // Linear in the cotangent.
    let (_, gw2, _) = pullback(2.0);
    let doubled: Vec<f64> = want_w
        .to_vec::<f64>()
        .unwrap()
        .iter()
        .map(|v| v * 2.0)
        .collect();
    assert_close("2 d/dw", &gw2.to_vec::<f64>().unwrap(), &doubled);
    // An array result: uᵀJ for a cotangent u of the result's shape.
    let (y, pullback) = wave::vjp(&x, 2.0);
    assert_eq!(y.shape(), &[2, 3]);
    let u = Array::from_shape_vec(&[2, 3], vec![1.0f64, 0.0, 0.0, 0.0, 0.0, 2.0]).unwrap();
    let (gx, gk) = pullback(u);
    let xs: Vec<f64> = x.to_vec().unwrap();
    let d = |x: f64| 2.0 * (2.0 * x).cos() * x + (2.0 * x).sin();
    let want = [d(xs[0]), 0.0, 0.0, 0.0, 0.0, 2.0 * d(xs[5])];
    assert_close("wave uᵀJ", &gx.to_vec::<f64>().unwrap(), &want);
    let dk = xs[0] * (2.0 * xs[0]).cos() * xs[0] + 2.0 * xs[5] * (2.0 * xs[5]).cos() * xs[5];
    assert_close("wave d/dk", &[gk], &[dk]);
}

/// Newton's iteration for the square root of `a`, a `while_loop` with a
/// traced stopping rule: forward mode goes through it (reverse mode does
/// not, as in JAX).
#[jit]
fn newton_sqrt(a: f64) -> f64 {
    let (x, _) = lax::while_loop(
        |(_x, k)| k.lt(30),
        |(x, k)| ((x + a / x) * 0.5, k + 1),
        (a, 0),
    );
    x
}

#[jit]
fn powered(x: &Array, n: i32) -> Array {
    lax::fori_loop(0, n, |_i, y| y * x, jnp::ones_like(x))
}

#[test]
fn jvp_goes_through_while_loops() {
    let (value, d) = newton_sqrt::jvp((2.0,), (1.0,));
    assert!((value - 2.0f64.sqrt()).abs() < 1e-15);
    assert!((d - 0.5 / 2.0f64.sqrt()).abs() < 1e-12, "{d}");
    // fori_loop with a traced bound is a while loop: x^n, derivative n x^(n-1) t.
    let x = Array::from(vec![1.5f64, -0.5, 2.0]);
    let t = Array::from(vec![1.0f64, 2.0, -1.0]);
    let (y, dy) = powered::jvp((&x, 3), (&t, 0));
    assert_eq!(
        y.to_vec::<f64>().unwrap(),
        powered(&x, 3).to_vec::<f64>().unwrap()
    );
    let want: Vec<f64> = [1.5f64, -0.5, 2.0]
        .iter()
        .zip([1.0, 2.0, -1.0])
        .map(|(x, t)| 3.0 * x * x * t)
        .collect();
    assert_close("d x^3", &dy.to_vec::<f64>().unwrap(), &want);
}

#[jit]
fn cubic(x: f64) -> f64 {
    x * x * x + x.sin()
}

#[jit]
fn cubic_slope(x: f64) -> f64 {
    cubic::grad(x)
}

#[jit]
fn cubic_curvature(x: f64) -> f64 {
    cubic_slope::grad(x)
}

#[test]
fn gradients_of_gradients() {
    for x in [-1.5, 0.0, 0.7, 2.0] {
        assert!((cubic_slope(x) - (3.0 * x * x + x.cos())).abs() < 1e-12);
        assert!((cubic_curvature(x) - (6.0 * x - x.sin())).abs() < 1e-12);
        // Third order, through two nested gradients and a jvp.
        let (_, third) = cubic_curvature::jvp((x,), (1.0,));
        assert!((third - (6.0 - x.cos())).abs() < 1e-12, "{third}");
    }
}

#[test]
fn derivative_companions_have_jaxprs_and_caches() {
    let jaxpr = cubic::grad::make_jaxpr(0.5).to_string();
    assert!(jaxpr.contains("cos") && jaxpr.contains("mul"), "{jaxpr}");
    cubic::grad(0.5);
    cubic::grad(1.5);
    assert_eq!(cubic::grad::cache_size(), 1);
    assert!(
        cubic::value_and_grad::make_jaxpr(0.5)
            .to_string()
            .contains("in (")
    );
}

#[jit]
fn pulled(x: &Array, w: &Array) -> Array {
    // vjp inside another trace: the value and the pullback are inlined.
    let (value, pullback) = wave::vjp(x, 2.0f64);
    let (gx, _) = pullback(value * 0.0 + 1.0);
    gx + w * 0.0
}

#[test]
fn vjp_inlines_into_an_enclosing_trace() {
    let x = input();
    let w = input();
    let (_, pullback) = wave::vjp(&x, 2.0);
    let ones = Array::from_shape_vec(&[2, 3], vec![1.0f64; 6]).unwrap();
    let (want, _) = pullback(ones);
    assert_close(
        "inlined vjp",
        &pulled(&x, &w).to_vec::<f64>().unwrap(),
        &want.to_vec::<f64>().unwrap(),
    );
    assert!(pulled::lower(&x, &w).compile().is_native());
}
