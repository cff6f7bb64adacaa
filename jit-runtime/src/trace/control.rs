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

/// A loop body for [`trace_carried`]: the next carry, further results, and
/// anything to hand back.
type CarriedBody<'a, T> = &'a mut dyn FnMut(&[Tracer]) -> (Vec<Tracer>, Vec<Tracer>, T);

/// A `scan` body: from the carry and the slices of `xs`, the next carry and
/// the `y`s.
pub(crate) type ScanBody<'a> =
    &'a mut dyn FnMut(&[Tracer], &[Tracer]) -> (Vec<Tracer>, Vec<Tracer>);

/// Stages `while cond(carry) { carry = body(carry) }` and returns the final
/// carry. `prim` names the `lax` function for messages.
pub(crate) fn while_loop(
    prim: &str,
    mut init: Vec<Tracer>,
    cond: &mut dyn FnMut(&[Tracer]) -> Tracer,
    body: &mut dyn FnMut(&[Tracer]) -> Vec<Tracer>,
    describe: Describe<'_>,
) -> Vec<Tracer> {
    let (body, body_tys, ()) = trace_carried(prim, &mut init, &[], describe, &mut |ins| {
        (body(ins), Vec::new(), ())
    });
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

/// Traces a loop body on the carry `init` (and, after it, inputs of
/// `extra` abstract values, which do not carry: `scan`'s slices of `xs`),
/// promoting the carry as JAX does: a weak initial leaf whose body result
/// has another dtype becomes the promoted dtype and the body is traced
/// again; a weak body result is converted to a strong carry's dtype; any
/// other change of dtype, or any change of shape, is a trace-time error.
/// The body returns the next carry and further results (`scan`'s `y`s).
/// Returns the traced region (results: carry, then the further ones), the
/// carry's result types and what the body handed back.
fn trace_carried<T>(
    prim: &str,
    init: &mut [Tracer],
    extra: &[AVal],
    describe: Describe<'_>,
    body: CarriedBody<'_, T>,
) -> (TracedRegion, Vec<Ty>, T) {
    loop {
        let carry = tys(init);
        let mut in_avals = avals(init);
        in_avals.extend_from_slice(extra);
        let (mut traced, (out, shapes, handed)) = trace_region(&in_avals, |ins| {
            let (next, further, handed) = body(ins);
            let shapes: Vec<Vec<usize>> = next.iter().map(|t| t.shape()).collect();
            let out = tys(&next);
            let mut outs = next;
            outs.extend(further);
            (outs, (out, shapes, handed))
        });
        if out.len() != carry.len() {
            trace_error(format_args!(
                "`{prim}`: the body returns {} leaves but the carry has {}",
                out.len(),
                carry.len()
            ));
        }
        for (k, shape) in shapes.iter().enumerate() {
            let start = init[k].aval();
            if *shape != start.shape {
                let got = AVal {
                    ty: out[k],
                    shape: shape.clone(),
                };
                trace_error(format_args!(
                    "`{prim}`: the carry's shape changes: a leaf starts as {start} but the \
                     body returns {got}"
                ));
            }
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
            return (traced, results, handed);
        }
    }
}

/// Stages `scan`: runs `body(carry, x)` over the leading axis of each of
/// `xs` (all of one leading length), returning the final carry and each
/// result `y` stacked along a new leading axis.
pub(crate) fn scan(
    init: Vec<Tracer>,
    xs: Vec<Tracer>,
    body: ScanBody<'_>,
    describe: Describe<'_>,
) -> (Vec<Tracer>, Vec<Tracer>) {
    scan_named("lax::scan", None, init, xs, body, describe)
}

/// [`scan`] of `length` steps, which may have no `xs`.
pub(crate) fn scan_steps(
    length: usize,
    init: Vec<Tracer>,
    xs: Vec<Tracer>,
    body: ScanBody<'_>,
    describe: Describe<'_>,
) -> (Vec<Tracer>, Vec<Tracer>) {
    scan_named("lax::scan", Some(length), init, xs, body, describe)
}

/// [`scan`], naming `prim` in messages; `steps` is the trip count when
/// there are no `xs` to take it from.
fn scan_named(
    prim: &str,
    steps: Option<usize>,
    mut init: Vec<Tracer>,
    xs: Vec<Tracer>,
    body: ScanBody<'_>,
    describe: Describe<'_>,
) -> (Vec<Tracer>, Vec<Tracer>) {
    let x_avals: Vec<AVal> = xs.iter().map(|x| x.aval()).collect();
    let length = match x_avals.first() {
        None if let Some(steps) = steps => steps,
        Some(first) if !first.shape.is_empty() => first.shape[0],
        Some(first) => trace_error(format_args!(
            "`{prim}`: xs must be arrays with a leading axis, got {first}"
        )),
        None => trace_error(format_args!("`{prim}`: xs has no arrays to scan over")),
    };
    if let Some(bad) = x_avals.iter().find(|a| a.shape.first() != Some(&length)) {
        trace_error(format_args!(
            "`{prim}`: every array of xs needs the leading size {length}, got {bad}"
        ));
    }
    let slices: Vec<AVal> = x_avals
        .iter()
        .map(|a| AVal {
            ty: a.ty,
            shape: a.shape[1..].to_vec(),
        })
        .collect();
    let n = init.len();
    let (traced, carry_tys, y_avals) =
        trace_carried(prim, &mut init, &slices, describe, &mut |ins| {
            let (carry, ys) = body(&ins[..n], &ins[n..]);
            let y_avals: Vec<AVal> = ys.iter().map(|y| y.aval()).collect();
            (carry, ys, y_avals)
        });
    let num_consts = traced.consts.len();
    let mut inputs = traced.consts.clone();
    inputs.extend_from_slice(&init);
    inputs.extend_from_slice(&xs);
    let mut out_avals: Vec<AVal> = init
        .iter()
        .zip(&carry_tys)
        .map(|(t, &ty)| AVal { ty, ..t.aval() })
        .collect();
    for y in &y_avals {
        let mut shape = vec![length];
        shape.extend_from_slice(&y.shape);
        out_avals.push(AVal { ty: y.ty, shape });
    }
    let outs = Tracer::record_many(
        Op::Scan {
            body: Box::new(traced.region),
            length,
            num_consts,
            num_carry: n,
        },
        &inputs,
        out_avals,
    );
    let (carry, ys) = outs.split_at(n);
    (carry.to_vec(), ys.to_vec())
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
    // Static bounds: a `scan` of `upper - lower` steps carrying the index,
    // as JAX stages them (so reverse-mode differentiation goes through).
    if let (Some(lo), Some(hi)) = (lower.literal_value(), upper.literal_value()) {
        let (lo, hi) = (lo.as_f64(), hi.as_f64());
        if hi > lo {
            let mut leaves = vec![to_strong(lower, ty.dtype)];
            leaves.extend(init);
            let (carry, _) = scan_named(
                "lax::fori_loop",
                Some((hi - lo) as usize),
                leaves,
                Vec::new(),
                &mut |carry, _| {
                    let next = ops::binary(Op::Add, carry[0], Tracer::weak(Scalar::I32(1)));
                    let mut outs = vec![next];
                    outs.extend(body(carry[0], &carry[1..]));
                    (outs, Vec::new())
                },
                &|tys| describe(&tys[1.min(tys.len())..]),
            );
            return carry[1..].to_vec();
        }
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
    let mut shapes: Vec<Vec<Vec<usize>>> = Vec::new();
    let mut traced: Vec<(TracedRegion, Vec<Ty>, TreeDef)> = branches
        .into_iter()
        .map(|branch| {
            let (region, (tys, def, leaf_shapes)) = trace_region(&[], |_| {
                let (leaves, def) = branch();
                let t = tys(&leaves);
                let s: Vec<Vec<usize>> = leaves.iter().map(|l| l.shape()).collect();
                (leaves, (t, def, s))
            });
            shapes.push(leaf_shapes);
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
    for (k, branch_shapes) in shapes.iter().enumerate().skip(1) {
        if let Some(leaf) = (0..branch_shapes.len()).find(|&l| branch_shapes[l] != shapes[0][l]) {
            trace_error(format_args!(
                "`{prim}`: the branches must return equal shapes, but leaf {leaf} of {} has \
                 shape {:?} and of {} shape {:?}",
                names[0], shapes[0][leaf], names[k], branch_shapes[leaf]
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
    let out_avals = joined
        .iter()
        .zip(&shapes[0])
        .map(|(&ty, shape)| AVal {
            ty,
            shape: shape.clone(),
        })
        .collect();
    let mut inputs = vec![index];
    inputs.extend(operands);
    let outs = Tracer::record_many(Op::Cond { branches }, &inputs, out_avals);
    (outs, first_def)
}
