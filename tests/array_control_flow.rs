//! `lax` control flow over arrays compiled natively: `scan` with array
//! carries, consts and rows, `fori_loop`/`while_loop` carrying arrays,
//! `cond`/`switch` choosing arrays, nested loops, and loops over scalars
//! that read arrays. Each program must compile to native code (no
//! interpreter fallback), and its results must equal the reference
//! interpreter's bit for bit on several inputs, including trip counts of
//! 0 and 1 and indices out of range.

use jit::internals::value::Value;
use jit::numpy as jnp;
use jit::prelude::*;
use jit::{Array, DType, lax};

/// A recurrent cell: `h' = tanh(W·h + x)`, the sum of each `h'` stacked.
#[jit]
fn rnn(w: &Array, h0: &Array, xs: &Array) -> (Array, Array) {
    lax::scan(
        |h, x| {
            let next = (w.dot(h) + x).tanh();
            (next, jnp::sum(next, ..))
        },
        h0,
        xs,
    )
}

/// Power iteration: `n` normalised products with `a`.
#[jit]
fn power_iteration(a: &Array, v: &Array, n: i32) -> Array {
    lax::fori_loop(
        0,
        n,
        |_i, v| {
            let w = a.dot(v);
            w / jnp::sum(w * w, ..).sqrt()
        },
        v,
    )
}

/// Halves `x` until its largest element is at most 1, counting the steps.
#[jit]
fn halve_until_small(x: &Array) -> (Array, i32) {
    lax::while_loop(
        |(x, _k)| jnp::max(x, ..).gt(1.0),
        |(x, k)| (x * 0.5, k + 1),
        (x, 0),
    )
}

/// An array result chosen by a traced predicate, from operands of two shapes.
#[jit]
fn choose(p: bool, m: &Array, v: &Array) -> (Array, f32) {
    lax::cond(
        p,
        || (jnp::sum(m, 0) + v, jnp::sum(v, ..)),
        || (jnp::max(m, 0) * v, 0.0),
    )
}

/// `switch` among three array expressions; the index clamps.
#[jit]
fn pick(i: i32, m: &Array) -> Array {
    lax::switch(
        i,
        (
            || m.transpose(),
            || m.transpose() * 2.0,
            || jnp::ones([3, 2], DType::F32),
        ),
    )
}

/// A scan inside a `fori_loop`: `n` cumulative sums of the rows.
#[jit]
fn repeated_cumsum(m: &Array, n: i32) -> Array {
    lax::fori_loop(
        0,
        n,
        |_i, m| {
            let (_, ys) = lax::scan(|c, row| (c + row, c + row), jnp::zeros([3], DType::F32), m);
            ys
        },
        m,
    )
}

/// A loop over scalars that reads an array at a traced index.
#[jit]
fn weighted_sum(x: &Array, n: i32) -> f32 {
    lax::fori_loop(0, n, |i, acc| acc + lax::dynamic_index(x, i) * i, 0.0f32)
}

/// A scan over a matrix's rows with an array and a scalar carry and
/// integer rows.
#[jit]
fn running_argmax(m: &Array) -> (Array, i32, Array) {
    let ((best, count), firsts) = lax::scan(
        |(best, count), row| {
            let better = jnp::maximum(best, row);
            ((better, count + 1), jnp::argmax(row, 0))
        },
        (jnp::full([4], f32::NEG_INFINITY), 0),
        m,
    );
    (best, count, firsts)
}

fn matrix(rows: usize, cols: usize, seed: f32) -> Array {
    let data: Vec<f32> = (0..rows * cols)
        .map(|k| ((k as f32 + seed) * 0.37).sin())
        .collect();
    Array::from_shape_vec(&[rows, cols], data).unwrap()
}

/// Compiles `graph`, requires native code, and checks it against the
/// interpreter on each argument list.
fn native_agrees(name: &str, graph: &jit::internals::ir::Graph, cases: &[Vec<Value>]) {
    let compiled = jit::internals::pipeline::compile_graph(graph.clone(), name);
    assert!(
        compiled.is_native(),
        "{name} is interpreted: {:?}",
        compiled.fallback_reason()
    );
    for (k, args) in cases.iter().enumerate() {
        let want = jit::internals::interp::run_values(graph, args);
        let got = compiled.run_values(args);
        assert_eq!(want.len(), got.len(), "{name} case {k}");
        for (r, (w, g)) in want.iter().zip(&got).enumerate() {
            assert_eq!(w.shape(), g.shape(), "{name} case {k} result {r}");
            let (w, g) = (w.elements(), g.elements());
            let same = w.iter().zip(&g).all(|(a, b)| {
                a.to_slot() == b.to_slot() || (a.as_f64().is_nan() && b.as_f64().is_nan())
            });
            assert!(same, "{name} case {k} result {r}: want {w:?}, got {g:?}");
        }
    }
}

fn array(a: &Array) -> Value {
    Value::Array(a.clone())
}

fn scalar<T: jit::Element>(x: T) -> Value {
    Value::Scalar(x.to_scalar())
}

#[test]
fn scan_with_array_carry_consts_and_rows() {
    let (w, h0) = (
        matrix(4, 4, 1.0),
        Array::from(vec![0.5f32, -0.25, 0.0, 1.0]),
    );
    for steps in [0, 1, 2, 9] {
        let xs = matrix(steps, 4, 3.0);
        let graph = rnn::make_jaxpr(&w, &h0, &xs).graph().clone();
        native_agrees("rnn", &graph, &[vec![array(&w), array(&h0), array(&xs)]]);
    }
    let m = matrix(5, 4, 2.0);
    let graph = running_argmax::make_jaxpr(&m).graph().clone();
    native_agrees("running_argmax", &graph, &[vec![array(&m)]]);
}

#[test]
fn fori_and_while_carry_arrays() {
    let (a, v) = (matrix(3, 3, 0.0), Array::from(vec![1.0f32, 1.0, 1.0]));
    let graph = power_iteration::make_jaxpr(&a, &v, 1).graph().clone();
    let cases: Vec<Vec<Value>> = [-1, 0, 1, 2, 25]
        .iter()
        .map(|&n| vec![array(&a), array(&v), scalar(n)])
        .collect();
    native_agrees("power_iteration", &graph, &cases);

    let x = Array::from(vec![3.0f32, -40.0, 17.5, 0.25]);
    let graph = halve_until_small::make_jaxpr(&x).graph().clone();
    let small = Array::from(vec![0.5f32, 1.0, -8.0, 0.0]);
    native_agrees(
        "halve_until_small",
        &graph,
        &[vec![array(&x)], vec![array(&small)]],
    );

    let m = matrix(4, 3, 5.0);
    let graph = repeated_cumsum::make_jaxpr(&m, 1).graph().clone();
    let cases: Vec<Vec<Value>> = [0, 1, 3]
        .iter()
        .map(|&n| vec![array(&m), scalar(n)])
        .collect();
    native_agrees("repeated_cumsum", &graph, &cases);

    let x = Array::from(vec![1.5f32, 2.0, -3.0, 4.25, 8.0]);
    let graph = weighted_sum::make_jaxpr(&x, 1).graph().clone();
    let cases: Vec<Vec<Value>> = [0, 3, 5, 9]
        .iter()
        .map(|&n| vec![array(&x), scalar(n)])
        .collect();
    native_agrees("weighted_sum", &graph, &cases);
}

#[test]
fn branches_choose_arrays() {
    let (m, v) = (matrix(2, 3, 4.0), Array::from(vec![1.0f32, -2.0, 0.5]));
    let graph = choose::make_jaxpr(true, &m, &v).graph().clone();
    let cases: Vec<Vec<Value>> = [true, false]
        .iter()
        .map(|&p| vec![scalar(p), array(&m), array(&v)])
        .collect();
    native_agrees("choose", &graph, &cases);

    let graph = pick::make_jaxpr(0, &m).graph().clone();
    let cases: Vec<Vec<Value>> = [-5, 0, 1, 2, 7]
        .iter()
        .map(|&i| vec![scalar(i), array(&m)])
        .collect();
    native_agrees("pick", &graph, &cases);
}

#[test]
fn the_typed_call_path_runs_the_native_loops() {
    let m = matrix(4, 3, 5.0);
    let twice = repeated_cumsum(&m, 2);
    let graph = repeated_cumsum::make_jaxpr(&m, 2).graph().clone();
    let want = jit::internals::interp::run_values(&graph, &[array(&m), scalar(2)]);
    assert_eq!(Value::Array(twice), want[0]);
    let (x, steps) = halve_until_small(&Array::from(vec![3.0f32, -40.0]));
    assert_eq!(steps, 2);
    assert_eq!(x.to_vec::<f32>().unwrap(), vec![0.75, -10.0]);
}
