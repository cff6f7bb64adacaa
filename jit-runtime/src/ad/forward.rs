//! Forward mode (`f::jvp`): tangents pushed through the tape in order.
//!
//! An equation's tangents come from its VJP rule (`vjp.rs`), transposed:
//! the rule, applied to stand-in cotangents `u` of the outputs, records
//! the linear map `u ↦ (cotangents of the inputs)`; a backward pass
//! through those equations, seeded with the inputs' tangents, gives the
//! cotangents of `u`, which are the outputs' tangents (the transpose of a
//! transpose is the map itself). So every op with a VJP rule has a JVP
//! with no rule of its own, and the values the stand-ins feed are dead
//! code the optimiser drops.
//!
//! `while` has no VJP rule (reverse mode cannot go through it, as in JAX)
//! but forward mode can: its JVP is a `while` carrying the tangents beside
//! the carry, whose body replays the loop body and pushes the tangents
//! through the replay.

use super::control::replay;
use super::vjp::{convert, fresh_zeros, zeros};
use crate::ir::{Eqn, Op, Region, ValueId};
use crate::trace::control::while_loop;
use crate::trace::{Tracer, tape_mark, tape_since, trace_error};
use std::collections::HashMap;

/// Tangents of values, by value; a value without one has a zero tangent.
type Tangents = HashMap<ValueId, Tracer>;

/// The tangent of `out` when the leaves `primals` move along `tangents`,
/// through the equations recorded since `mark`.
pub(crate) fn jvp(primals: &[Tracer], tangents: &[Tracer], mark: usize, out: Tracer) -> Tracer {
    if !out.dtype().is_float() {
        trace_error(format_args!(
            "`jvp` requires a float result, but the function returns {}",
            out.aval()
        ));
    }
    let mut known = Tangents::new();
    for (p, &t) in primals.iter().zip(tangents) {
        if p.shape() != t.shape() {
            trace_error(format_args!(
                "`jvp`: a tangent must have its primal's shape, got {} for {}",
                t.aval(),
                p.aval()
            ));
        }
        if p.dtype().is_float() {
            known.insert(p.value(), convert(t, p.dtype()));
        }
    }
    let tape = tape_since(mark);
    push(&tape, &mut known);
    match known.get(&out.value()) {
        Some(&t) => convert(t, out.dtype()),
        None => zeros(out.dtype(), &out.shape()),
    }
}

/// Pushes tangents through `eqns` in order.
fn push(eqns: &[Eqn], known: &mut Tangents) {
    for eqn in eqns {
        let inputs: Vec<Option<Tracer>> =
            eqn.inputs.iter().map(|v| known.get(v).copied()).collect();
        if inputs.iter().all(Option::is_none) {
            continue;
        }
        let outputs = match &eqn.op {
            Op::While {
                cond,
                body,
                cond_nconsts,
                body_nconsts,
            } => while_jvp(eqn, cond, body, *cond_nconsts, *body_nconsts, &inputs),
            _ => transposed(eqn, &inputs),
        };
        for (&o, t) in eqn.outputs.iter().zip(outputs) {
            if let Some(t) = t {
                known.insert(o, t);
            }
        }
    }
}

/// The outputs' tangents of `eqn` from its inputs' (see the module doc).
fn transposed(eqn: &Eqn, inputs: &[Option<Tracer>]) -> Vec<Option<Tracer>> {
    let stand_ins: Vec<Option<Tracer>> = eqn
        .outputs
        .iter()
        .map(|&o| {
            let t = Tracer::of(o);
            t.dtype()
                .is_float()
                .then(|| fresh_zeros(t.dtype(), &t.shape()))
        })
        .collect();
    if stand_ins.iter().all(Option::is_none) {
        return vec![None; eqn.outputs.len()];
    }
    let mark = tape_mark();
    let cotangents = super::vjp::rule(eqn, &stand_ins).unwrap_or_else(|why| {
        trace_error(format_args!(
            "forward-mode differentiation of `{}`: {why}",
            eqn.op.name()
        ))
    });
    let seeds: Vec<(Tracer, Tracer)> = cotangents
        .iter()
        .zip(inputs)
        .filter_map(|(c, t)| Some(((*c)?, (*t)?)))
        .map(|(c, t)| (c, convert(t, c.dtype())))
        .collect();
    let back = super::backward(mark, &seeds);
    stand_ins
        .iter()
        .zip(&eqn.outputs)
        .map(|(u, &o)| {
            let u = (*u)?;
            let out = Tracer::of(o);
            Some(match back.get(&u.value()) {
                Some(&t) => convert(t, out.dtype()),
                None => zeros(out.dtype(), &out.shape()),
            })
        })
        .collect()
}

/// The JVP of a `while`: a `while` over the carry and its tangents.
fn while_jvp(
    eqn: &Eqn,
    cond: &Region,
    body: &Region,
    cond_nconsts: usize,
    body_nconsts: usize,
    tangents: &[Option<Tracer>],
) -> Vec<Option<Tracer>> {
    if body
        .eqns
        .iter()
        .chain(&cond.eqns)
        .any(|e| e.op.has_regions())
    {
        trace_error(
            "forward-mode differentiation of a loop or branch inside a `while` body is not supported yet",
        );
    }
    let inputs: Vec<Tracer> = eqn.inputs.iter().map(|&v| Tracer::of(v)).collect();
    let (cond_consts, rest) = inputs.split_at(cond_nconsts);
    let (body_consts, init) = rest.split_at(body_nconsts);
    let (_, rest) = tangents.split_at(cond_nconsts);
    let (body_const_tangents, init_tangents) = rest.split_at(body_nconsts);
    let n = init.len();
    let mut carry: Vec<Tracer> = init.to_vec();
    // Every float carry gets a tangent (zeros where it has none yet).
    let floats: Vec<usize> = (0..n).filter(|&k| init[k].dtype().is_float()).collect();
    for &k in &floats {
        carry.push(match init_tangents[k] {
            Some(t) => convert(t, init[k].dtype()),
            None => zeros(init[k].dtype(), &init[k].shape()),
        });
    }
    let describe = |_: &[crate::dtype::Ty]| String::from("the tangent's carry");
    let out = while_loop(
        "the jvp of `while_loop`",
        carry,
        &mut |c| {
            let ins: Vec<Tracer> = cond_consts.iter().chain(&c[..n]).copied().collect();
            replay(cond, &ins)[0]
        },
        &mut |c| {
            let ins: Vec<Tracer> = body_consts.iter().chain(&c[..n]).copied().collect();
            let mark = tape_mark();
            let next = replay(body, &ins);
            let mut known = Tangents::new();
            for (p, t) in body_consts.iter().zip(body_const_tangents) {
                if let Some(t) = t {
                    known.insert(p.value(), *t);
                }
            }
            for (j, &k) in floats.iter().enumerate() {
                known.insert(c[k].value(), c[n + j]);
            }
            let tape = tape_since(mark);
            push(&tape, &mut known);
            let mut out = next.clone();
            for &k in &floats {
                out.push(match known.get(&next[k].value()) {
                    Some(&t) => convert(t, next[k].dtype()),
                    None => zeros(next[k].dtype(), &next[k].shape()),
                });
            }
            out
        },
        &describe,
    );
    let mut result = vec![None; n];
    for (j, &k) in floats.iter().enumerate() {
        result[k] = Some(out[n + j]);
    }
    // The loop's primal results are the forward `while`'s outputs, which
    // the rest of the tape already uses; `out[..n]` recomputes them.
    result
}
