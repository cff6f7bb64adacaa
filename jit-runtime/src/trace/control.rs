//! Staged control flow on flat lists of leaves: `while`, `fori_loop` (a
//! `while` over `(i, upper, carry..)`, as JAX builds it) and `cond`. The
//! typed front end (`lax.rs`) flattens pytrees into these.
//!
//! Carry types follow JAX: a weakly typed initial leaf whose body result has
//! another dtype is converted to the promoted dtype (strongly typed) and the
//! body is traced again; a weakly typed body result is converted to a strong
//! carry's dtype; any other change of dtype is a trace-time error naming the
//! primitive and both types. The loop's results have the body's result
//! types, weak flag included (JAX's `while` takes its output types from the
//! body). Branch results join the same way: weak results take the dtype of
//! the strong ones, strong results must agree.

use super::pytree::TreeDef;
use super::region::{TracedRegion, coerce_result, to_strong, trace_region};
use super::{Tracer, ops, trace_error};
use crate::dtype::{DType, Ty, promote};
use crate::ir::{AVal, Op};
use crate::scalar::Scalar;

fn tys(ts: &[Tracer]) -> Vec<Ty> {
    ts.iter().map(|t| t.ty()).collect()
}

fn avals(ts: &[Tracer]) -> Vec<AVal> {
    ts.iter()
        .map(|t| AVal {
            ty: t.ty(),
            shape: t.shape(),
        })
        .collect()
}

/// Describes carry types for messages (the leaves of a tree).
pub(crate) type Describe<'a> = &'a dyn Fn(&[Ty]) -> String;

/// Stages `while cond(carry) { carry = body(carry) }` and returns the final
/// carry. `prim` names the `lax` function for messages.
pub(crate) fn while_loop(
    prim: &str,
    mut init: Vec<Tracer>,
    cond: &mut dyn FnMut(&[Tracer]) -> Tracer,
    body: &mut dyn FnMut(&[Tracer]) -> Vec<Tracer>,
    describe: Describe<'_>,
) -> Vec<Tracer> {
    let (body, body_tys) = loop {
        let carry = tys(&init);
        let (mut traced, out) = trace_region(&avals(&init), |ins| {
            let outs = body(ins);
            let out = tys(&outs);
            (outs, out)
        });
        if out.len() != carry.len() {
            trace_error(format_args!(
                "`{prim}`: the body returns {} leaves but the carry has {}",
                out.len(),
                carry.len()
            ));
        }
        let mut promoted = false;
        let mut results = out.clone();
        for (k, (&c, &o)) in carry.iter().zip(&out).enumerate() {
            if c.dtype == o.dtype {
                continue;
            }
            if c.weak {
                let dtype = promote(c, o).dtype;
                init[k] = to_strong(init[k], dtype);
                promoted = true;
            } else if o.weak {
                coerce_result(&mut traced.region, k, c);
                results[k] = c;
            } else {
                trace_error(format_args!(
                    "`{prim}`: the carry's type changes: it starts as {} but the body returns {}",
                    describe(&carry),
                    describe(&out)
                ));
            }
        }
        if !promoted {
            break (traced, results);
        }
    };
    let (cond, ()) = trace_region(&avals(&init), |ins| {
        let p = cond(ins);
        let ty = p.ty();
        if ty.dtype != DType::Bool || !p.shape().is_empty() {
            trace_error(format_args!(
                "`{prim}`: the condition must return a bool scalar, got {}",
                TreeDef::Leaf.describe(&[ty])
            ));
        }
        (vec![p], ())
    });
    // The loop's results have the types the body returns, weak flag
    // included, as JAX's `while` (its abstract eval is the body's out_avals):
    // a weak initial value that the body makes strong without changing its
    // dtype (`fori_loop(0, n, |i, acc| acc + i, 0)`) stays weak inside the
    // body but comes out strong, so the result promotes as a strong value
    // afterwards (strong `i32` meeting `u32` gives `i64`, not `u32`).
    let out_avals = avals(&init)
        .into_iter()
        .zip(&body_tys)
        .map(|(aval, &ty)| AVal { ty, ..aval })
        .collect();
    let (cond_nconsts, body_nconsts) = (cond.consts.len(), body.consts.len());
    let inputs: Vec<Tracer> = cond
        .consts
        .iter()
        .chain(&body.consts)
        .chain(&init)
        .copied()
        .collect();
    Tracer::record_many(
        Op::While {
            cond: Box::new(cond.region),
            body: Box::new(body.region),
            cond_nconsts,
            body_nconsts,
        },
        &inputs,
        out_avals,
    )
}

/// Stages `for i in lower..upper { carry = body(i, carry) }` as JAX's
/// `while` over `(i, upper, carry..)`; returns the final carry. The counter
/// never overflows: the loop stops when `i == upper`, and a `lower` at or
/// above `upper` runs the body zero times.
pub(crate) fn fori_loop(
    lower: Tracer,
    upper: Tracer,
    init: Vec<Tracer>,
    body: &mut dyn FnMut(Tracer, &[Tracer]) -> Vec<Tracer>,
    describe: Describe<'_>,
) -> Vec<Tracer> {
    let ty = promote(lower.ty(), upper.ty());
    if !matches!(ty.dtype, DType::I32 | DType::I64 | DType::U32) {
        trace_error(format_args!(
            "`lax::fori_loop`: the bounds must be integers, got {} and {}",
            lower.dtype(),
            upper.dtype()
        ));
    }
    let mut leaves = vec![to_strong(lower, ty.dtype), to_strong(upper, ty.dtype)];
    leaves.extend(init);
    let out = while_loop(
        "lax::fori_loop",
        leaves,
        &mut |c| ops::binary(Op::Lt, c[0], c[1]),
        &mut |c| {
            let next = ops::binary(Op::Add, c[0], Tracer::weak(Scalar::I32(1)));
            let mut outs = vec![next, c[1]];
            outs.extend(body(c[0], &c[2..]));
            outs
        },
        &|tys| describe(&tys[2.min(tys.len())..]),
    );
    out[2..].to_vec()
}

/// A branch for [`cond`]: traces itself, returning its leaves and shape.
pub(crate) type Branch<'a> = Box<dyn FnOnce() -> (Vec<Tracer>, TreeDef) + 'a>;

/// Stages `branches[index](..)` with `index` clamped; `names` name the
/// branches in messages. Returns the leaves and the shape of the result.
pub(crate) fn cond(
    prim: &str,
    index: Tracer,
    branches: Vec<Branch<'_>>,
    names: &[String],
) -> (Vec<Tracer>, TreeDef) {
    let mut traced: Vec<(TracedRegion, Vec<Ty>, TreeDef)> = branches
        .into_iter()
        .map(|branch| {
            let (region, (tys, def)) = trace_region(&[], |_| {
                let (leaves, def) = branch();
                let t = tys(&leaves);
                (leaves, (t, def))
            });
            (region, tys, def)
        })
        .collect();
    let (_, first_tys, first_def) = &traced[0];
    let (first_tys, first_def) = (first_tys.clone(), first_def.clone());
    let all_tys: Vec<Vec<Ty>> = traced.iter().map(|(_, t, _)| t.clone()).collect();
    let mismatch = |j: usize, k: usize| -> ! {
        trace_error(format_args!(
            "`{prim}`: the branches must return equal types, but {} returns {} and {} returns {}",
            names[j],
            first_def.describe(&all_tys[j]),
            names[k],
            first_def.describe(&all_tys[k])
        ))
    };
    for (k, (_, tys, def)) in traced.iter().enumerate().skip(1) {
        if *def != first_def {
            trace_error(format_args!(
                "`{prim}`: the branches must return one structure, but {} returns {} and {} returns {}",
                names[0],
                first_def.describe(&first_tys),
                names[k],
                def.describe(tys)
            ));
        }
    }
    // The joined type of each leaf.
    let mut joined = Vec::with_capacity(first_tys.len());
    for leaf in 0..first_tys.len() {
        let mut strong: Option<(usize, Ty)> = None;
        let mut all = first_tys[leaf];
        for (k, (_, tys, _)) in traced.iter().enumerate() {
            let ty = tys[leaf];
            all = promote(all, ty);
            if !ty.weak {
                match strong {
                    Some((j, s)) if s.dtype != ty.dtype => mismatch(j, k),
                    Some(_) => {}
                    None => strong = Some((k, ty)),
                }
            }
        }
        joined.push(match strong {
            Some((_, s)) => Ty::strong(s.dtype),
            None => all,
        });
    }
    for (region, tys, _) in &mut traced {
        for (leaf, (&have, &want)) in tys.iter().zip(&joined).enumerate() {
            if have.dtype != want.dtype {
                coerce_result(&mut region.region, leaf, want);
            }
        }
    }
    // Every branch takes every captured value, in one order.
    let mut operands: Vec<Tracer> = Vec::new();
    for (region, _, _) in &traced {
        for c in &region.consts {
            if !operands.iter().any(|o| o.is(*c)) {
                operands.push(*c);
            }
        }
    }
    let branches = traced
        .into_iter()
        .map(|(mut t, _, _)| {
            let inputs = operands
                .iter()
                .map(|op| match t.consts.iter().position(|c| c.is(*op)) {
                    Some(j) => t.region.inputs[j],
                    None => super::region::fresh_input(*op),
                })
                .collect();
            t.region.inputs = inputs;
            t.region
        })
        .collect();
    let out_avals = joined.iter().map(|&ty| AVal::scalar(ty)).collect();
    let mut inputs = vec![index];
    inputs.extend(operands);
    let outs = Tracer::record_many(Op::Cond { branches }, &inputs, out_avals);
    (outs, first_def)
}
