//! Reverse mode through `cond`, `switch` and `scan`.
//!
//! `cond`: a `cond` on the same index whose branch `k` replays branch `k`
//! of the forward `cond` on its operands and runs the backward pass over
//! that replay, returning the operands' cotangents (zeros where the branch
//! does not depend on one).
//!
//! `scan`: a forward scan that replays the body and stacks the carry each
//! iteration starts from (the residuals), then a backward scan over the
//! iterations in reverse order: iteration `j` replays the body on carry
//! `j` and `xs[j]`, and its backward pass turns the cotangent of the next
//! carry and of `ys[j]` into the cotangents of carry `j` (carried on),
//! of the consts (summed over iterations) and of `xs[j]` (written into
//! row `j` of a buffer).
//!
//! Replaying recomputes the branch's primal values inside the new branch
//! (JAX instead saves them as residuals of the forward `cond`); a branch is
//! usually cheap next to the data it chooses between, and this keeps the
//! forward graph untouched.

use super::vjp::{convert, zeros};
use crate::ir::{Eqn, Region, ValueId};
use crate::scalar::Scalar;
use crate::trace::array_ops::{dynamic_index, dynamic_update_slice, expand_dims};
use crate::trace::control::scan_steps;
use crate::trace::control::{Branch, cond as stage_cond};
use crate::trace::pytree::TreeDef;
use crate::trace::{Tracer, tape_mark};
use std::collections::HashMap;

/// The VJP of a `cond` equation with `branches`, given its outputs'
/// cotangents.
pub(super) fn cond(
    eqn: &Eqn,
    branches: &[Region],
    outputs: &[Option<Tracer>],
) -> Result<Vec<Option<Tracer>>, String> {
    let index = Tracer::of(eqn.inputs[0]);
    let operands: Vec<Tracer> = eqn.inputs[1..].iter().map(|&v| Tracer::of(v)).collect();
    let differentiable: Vec<bool> = operands.iter().map(|t| t.dtype().is_float()).collect();
    let seeds: Vec<(usize, Tracer)> = outputs
        .iter()
        .enumerate()
        .filter_map(|(k, g)| g.map(|g| (k, g)))
        .collect();
    if branches
        .iter()
        .any(|b| b.eqns.iter().any(|e| e.op.has_regions()))
    {
        return Err("a loop or branch inside a `cond` branch is not differentiated yet".into());
    }
    let staged: Vec<Branch<'_>> = branches
        .iter()
        .map(|branch| {
            let (operands, seeds, differentiable) = (&operands, &seeds, &differentiable);
            Box::new(move || {
                let mark = tape_mark();
                let results = replay(branch, operands);
                let seeds: Vec<(Tracer, Tracer)> =
                    seeds.iter().map(|&(k, g)| (results[k], g)).collect();
                let cotangents = super::backward(mark, &seeds);
                let leaves: Vec<Tracer> = operands
                    .iter()
                    .zip(differentiable)
                    .filter(|&(_, &d)| d)
                    .map(|(t, _)| match cotangents.get(&t.value()) {
                        Some(&c) => super::vjp::convert(c, t.dtype()),
                        None => zeros(t.dtype(), &t.shape()),
                    })
                    .collect();
                let def = TreeDef::Tuple(vec![TreeDef::Leaf; leaves.len()]);
                (leaves, def)
            }) as Branch<'_>
        })
        .collect();
    let names: Vec<String> = (0..branches.len()).map(|k| format!("branch {k}")).collect();
    let (leaves, _) = stage_cond("the gradient of `cond`", index, staged, &names);
    let mut leaves = leaves.into_iter();
    let mut out = vec![None];
    out.extend(
        differentiable
            .iter()
            .map(|&d| if d { leaves.next() } else { None }),
    );
    Ok(out)
}

/// Records `region`'s equations again in the current trace, on `inputs`
/// for its inputs; returns its results.
pub(super) fn replay(region: &Region, inputs: &[Tracer]) -> Vec<Tracer> {
    let mut env: HashMap<ValueId, Tracer> = region
        .inputs
        .iter()
        .copied()
        .zip(inputs.iter().copied())
        .collect();
    let get = |env: &HashMap<ValueId, Tracer>, v: ValueId| {
        env.get(&v).copied().unwrap_or_else(|| Tracer::of(v))
    };
    for eqn in &region.eqns {
        let ins: Vec<Tracer> = eqn.inputs.iter().map(|&v| get(&env, v)).collect();
        let outs = eqn.outputs.iter().map(|&o| Tracer::of(o).aval()).collect();
        let made = Tracer::record_many(eqn.op.clone(), &ins, outs);
        env.extend(eqn.outputs.iter().copied().zip(made));
    }
    region.results.iter().map(|&r| get(&env, r)).collect()
}

/// The VJP of a `scan` equation (see the module doc).
pub(super) fn scan(
    eqn: &Eqn,
    body: &Region,
    length: usize,
    num_consts: usize,
    num_carry: usize,
    outputs: &[Option<Tracer>],
) -> Result<Vec<Option<Tracer>>, String> {
    if body.eqns.iter().any(|e| e.op.has_regions()) {
        return Err("a loop or branch inside a `scan` body is not differentiated yet".into());
    }
    let inputs: Vec<Tracer> = eqn.inputs.iter().map(|&v| Tracer::of(v)).collect();
    let (consts, rest) = inputs.split_at(num_consts);
    let (init, xs) = rest.split_at(num_carry);
    let (ct_finals, ct_ys) = outputs.split_at(num_carry);
    let float = |t: &Tracer| t.dtype().is_float();
    let describe = |_: &[crate::dtype::Ty]| String::from("the gradient's carry");

    // The residuals: the carry each iteration starts from, stacked.
    let (_, carries) = scan_steps(
        length,
        init.to_vec(),
        xs.to_vec(),
        &mut |carry, x| {
            let ins: Vec<Tracer> = consts.iter().chain(carry).chain(x).copied().collect();
            let outs = replay(body, &ins);
            (outs[..num_carry].to_vec(), carry.to_vec())
        },
        &describe,
    );

    // The backward scan's carry: the carry's cotangent, the consts' sums,
    // the xs' cotangent buffers; only float leaves have them.
    let strong = |t: Tracer, like: &Tracer| convert(t, like.dtype());
    let mut start: Vec<Tracer> = Vec::new();
    for (k, c) in init.iter().enumerate().filter(|(_, c)| float(c)) {
        start.push(match ct_finals[k] {
            Some(g) => strong(g, c),
            None => zeros(c.dtype(), &c.shape()),
        });
    }
    let n_carry = start.len();
    start.extend(
        consts
            .iter()
            .filter(|c| float(c))
            .map(|c| zeros(c.dtype(), &c.shape())),
    );
    let n_consts = start.len() - n_carry;
    start.extend(
        xs.iter()
            .filter(|x| float(x))
            .map(|x| zeros(x.dtype(), &x.shape())),
    );
    let steps = crate::trace::array_ops::iota(crate::dtype::DType::I32, vec![length], 0);
    let last = Tracer::constant(Scalar::I32(length as i32 - 1));
    let (ct, _) = scan_steps(
        length,
        start,
        vec![steps],
        &mut |acc, i| {
            let j = last - i[0];
            let (ct_next, rest) = acc.split_at(n_carry);
            let (ct_consts, ct_xs) = rest.split_at(n_consts);
            let carry: Vec<Tracer> = carries.iter().map(|c| dynamic_index(*c, j)).collect();
            let x: Vec<Tracer> = xs.iter().map(|x| dynamic_index(*x, j)).collect();
            let mark = tape_mark();
            let ins: Vec<Tracer> = consts.iter().chain(&carry).chain(&x).copied().collect();
            let outs = replay(body, &ins);
            let mut seeds: Vec<(Tracer, Tracer)> = Vec::new();
            let mut next = ct_next.iter();
            for (k, c) in init.iter().enumerate() {
                if float(c) {
                    seeds.push((outs[k], *next.next().expect("one per float carry")));
                }
            }
            for (k, g) in ct_ys.iter().enumerate() {
                if let Some(g) = g
                    && float(g)
                {
                    seeds.push((outs[num_carry + k], dynamic_index(*g, j)));
                }
            }
            let cotangents = super::backward(mark, &seeds);
            let of = |t: &Tracer| match cotangents.get(&t.value()) {
                Some(&c) => convert(c, t.dtype()),
                None => zeros(t.dtype(), &t.shape()),
            };
            let mut out: Vec<Tracer> = carry.iter().filter(|c| float(c)).map(of).collect();
            let mut sums = ct_consts.iter();
            for c in consts.iter().filter(|c| float(c)) {
                let sum = *sums.next().expect("one per float const");
                out.push(convert(sum + of(c), c.dtype()));
            }
            let mut buffers = ct_xs.iter();
            for x in x.iter().filter(|x| float(x)) {
                let buffer = *buffers.next().expect("one per float x");
                let mut starts = vec![j];
                starts.extend((0..x.shape().len()).map(|_| Tracer::constant(Scalar::I32(0))));
                out.push(dynamic_update_slice(
                    buffer,
                    expand_dims(of(x), 0usize),
                    &starts,
                ));
            }
            (out, Vec::new())
        },
        &describe,
    );
    let mut ct = ct.into_iter();
    let mut cotangents = |ts: &[Tracer]| -> Vec<Option<Tracer>> {
        ts.iter()
            .map(|t| if float(t) { ct.next() } else { None })
            .collect()
    };
    let mut result = Vec::new();
    let (ct_init, ct_consts) = (cotangents(init), cotangents(consts));
    result.extend(ct_consts);
    result.extend(ct_init);
    result.extend(cotangents(xs));
    Ok(result)
}
