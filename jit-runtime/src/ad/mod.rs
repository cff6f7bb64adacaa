//! Derivatives as graph transformations: reverse mode over the tape of a
//! traced function.
//!
//! Terms:
//! - the *tape* is the list of equations a function's body recorded into
//!   the trace that calls `f::grad` (`trace::tape_mark`/`tape_since`): the
//!   forward pass, already part of the graph, so its values (the
//!   *primals*) are there for the backward pass to use.
//! - a *cotangent* of a float value is the derivative of the function's
//!   result with respect to it, a tracer of the value's dtype and shape.
//!   The backward pass walks the tape in reverse, starting from a
//!   cotangent of 1 for the result, and each equation's VJP rule
//!   (`vjp.rs`) turns its outputs' cotangents into its inputs'; cotangents
//!   of a value used several times add up.
//!
//! Reverse mode is built from per-op VJP rules rather than JAX's
//! linearise-then-transpose: every rule is a few traced operations on the
//! primals, written once here, and needs no second kind of graph; since the
//! rules record ordinary equations, the gradient is optimised and compiled
//! like any other graph, on every backend, and never touches MIR.
//!
//! **Invariant:** integer and boolean values have no cotangent (JAX's
//! `float0`); asking for the gradient of an integer parameter is a
//! trace-time error, as in JAX.

mod control;
mod forward;
mod vjp;

use crate::ir::{Eqn, ValueId};
use crate::trace::{Tracer, tape_since, trace_error};
use std::collections::HashMap;

/// The gradient of the scalar float `out` with respect to each of `wrt`
/// (tracers of the current trace), through the equations recorded since
/// `mark`.
pub(crate) fn grad(wrt: &[Tracer], mark: usize, out: Tracer) -> Vec<Tracer> {
    if !out.shape().is_empty() || !out.dtype().is_float() {
        trace_error(format_args!(
            "`grad` requires a scalar float result, but the function returns {}; use \
             `vjp` for other results",
            out.aval()
        ));
    }
    for w in wrt {
        if !w.dtype().is_float() {
            trace_error(format_args!(
                "`grad` of an integer or boolean input ({}): only float inputs have \
                 gradients (JAX's float0); differentiate with respect to float parameters",
                w.aval()
            ));
        }
    }
    let one = crate::private::weak_float(1.0);
    let seed = vjp::convert(one, out.dtype());
    let cotangents = backward(mark, &[(out, seed)]);
    wrt.iter()
        .map(|&w| match cotangents.get(&w.value()) {
            Some(&c) => vjp::convert(c, w.dtype()),
            None => vjp::zeros(w.dtype(), &w.shape()),
        })
        .collect()
}

/// The cotangents of the leaves `wrt` from the cotangent `cotangent` of
/// `out` (its dtype and shape), through the equations recorded since
/// `mark`: a vector-Jacobian product. Leaves that `out` does not depend on,
/// and integer leaves, get zeros.
pub(crate) fn vjp(wrt: &[Tracer], mark: usize, out: Tracer, cotangent: Tracer) -> Vec<Tracer> {
    if !out.dtype().is_float() {
        trace_error(format_args!(
            "`vjp` requires a float result, but the function returns {}",
            out.aval()
        ));
    }
    if cotangent.shape() != out.shape() {
        trace_error(format_args!(
            "`vjp`: the cotangent must have the result's shape {}, got {}",
            out.aval(),
            cotangent.aval()
        ));
    }
    let seed = vjp::convert(cotangent, out.dtype());
    let cotangents = backward(mark, &[(out, seed)]);
    wrt.iter()
        .map(|&w| match cotangents.get(&w.value()) {
            Some(&c) if w.dtype().is_float() => vjp::convert(c, w.dtype()),
            _ => vjp::zeros(w.dtype(), &w.shape()),
        })
        .collect()
}

pub(crate) use forward::jvp;

/// Runs the backward pass over the tape since `mark`, from the given
/// cotangents of some of its values; returns every value's cotangent.
pub(super) fn backward(mark: usize, seeds: &[(Tracer, Tracer)]) -> HashMap<ValueId, Tracer> {
    let tape = tape_since(mark);
    let is_float = |v: ValueId| Tracer::of(v).dtype().is_float();
    let mut cotangents: HashMap<ValueId, Tracer> = HashMap::new();
    for &(value, seed) in seeds {
        add(&mut cotangents, value.value(), seed);
    }
    for eqn in tape.iter().rev() {
        let outputs: Vec<Option<Tracer>> = eqn
            .outputs
            .iter()
            .map(|o| cotangents.get(o).copied())
            .collect();
        if outputs.iter().all(Option::is_none) {
            continue;
        }
        let inputs = vjp::rule(eqn, &outputs).unwrap_or_else(|why| unsupported(eqn, &why));
        for (&input, c) in eqn.inputs.iter().zip(inputs) {
            if let Some(c) = c
                && is_float(input)
                && !crate::trace::is_literal(input)
            {
                add(&mut cotangents, input, c);
            }
        }
    }
    cotangents
}

/// Adds `c` to the cotangent of `value`.
fn add(cotangents: &mut HashMap<ValueId, Tracer>, value: ValueId, c: Tracer) {
    let total = match cotangents.get(&value) {
        Some(&sum) => sum + c,
        None => c,
    };
    cotangents.insert(value, total);
}

fn unsupported(eqn: &Eqn, why: &str) -> ! {
    trace_error(format_args!(
        "reverse-mode differentiation of `{}`: {why}",
        eqn.op.name()
    ))
}
