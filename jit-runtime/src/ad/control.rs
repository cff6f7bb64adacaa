//! Reverse mode through `cond` and `switch`: a `cond` on the same index
//! whose branch `k` replays branch `k` of the forward `cond` on its
//! operands and runs the backward pass over that replay, returning the
//! operands' cotangents (zeros where the branch does not depend on one).
//!
//! Replaying recomputes the branch's primal values inside the new branch
//! (JAX instead saves them as residuals of the forward `cond`); a branch is
//! usually cheap next to the data it chooses between, and this keeps the
//! forward graph untouched.

use super::vjp::zeros;
use crate::ir::{Eqn, Region, ValueId};
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
    if branches.iter().any(|b| b.eqns.iter().any(|e| e.op.has_regions())) {
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
    out.extend(differentiable.iter().map(|&d| if d { leaves.next() } else { None }));
    Ok(out)
}

/// Records `region`'s equations again in the current trace, on `inputs`
/// for its inputs; returns its results.
fn replay(region: &Region, inputs: &[Tracer]) -> Vec<Tracer> {
    let mut env: HashMap<ValueId, Tracer> = region
        .inputs
        .iter()
        .copied()
        .zip(inputs.iter().copied())
        .collect();
    let (_, avals) = crate::trace::tape_since(tape_mark());
    let get = |env: &HashMap<ValueId, Tracer>, v: ValueId| env.get(&v).copied().unwrap_or_else(|| Tracer::of(v));
    for eqn in &region.eqns {
        let ins: Vec<Tracer> = eqn.inputs.iter().map(|&v| get(&env, v)).collect();
        let outs = eqn.outputs.iter().map(|o| avals[o.index()].clone()).collect();
        let made = Tracer::record_many(eqn.op.clone(), &ins, outs);
        env.extend(eqn.outputs.iter().copied().zip(made));
    }
    region.results.iter().map(|&r| get(&env, r)).collect()
}
