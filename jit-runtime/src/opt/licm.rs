//! Loop-invariant code motion: an equation of a `while` body whose operands
//! are all loop-invariant (the body's consts, literals, or other hoisted
//! equations) moves in front of the loop, and its value enters the body as a
//! new const. The value is the same on every iteration, so moving it never
//! changes a result (ops are pure and never trap); only ops with effects and
//! nested loops and branches stay where they are.

use crate::ir::{Eqn, Graph, Op, Region, ValueDef, ValueId};
use std::collections::HashMap;

/// Hoists invariant equations out of every loop, innermost loops first.
pub fn run(graph: &mut Graph) {
    let mut body = std::mem::take(&mut graph.body);
    hoist_in(graph, &mut body);
    graph.body = body;
}

fn hoist_in(graph: &mut Graph, region: &mut Region) {
    let eqns = std::mem::take(&mut region.eqns);
    for mut eqn in eqns {
        for r in eqn.op.regions_mut() {
            hoist_in(graph, r);
        }
        if let Op::While {
            body,
            cond_nconsts,
            body_nconsts,
            ..
        } = &mut eqn.op
        {
            // Inner value -> the outer value it equals.
            let mut outer: HashMap<ValueId, ValueId> = body.inputs[..*body_nconsts]
                .iter()
                .zip(&eqn.inputs[*cond_nconsts..])
                .map(|(&inner, &out)| (inner, out))
                .collect();
            let mut kept = Vec::with_capacity(body.eqns.len());
            for inner in std::mem::take(&mut body.eqns) {
                let invariant = !inner.op.has_effect()
                    && !inner.op.has_regions()
                    && inner
                        .inputs
                        .iter()
                        .all(|v| outer.contains_key(v) || graph.literal_value(*v).is_some());
                if !invariant {
                    kept.push(inner);
                    continue;
                }
                let outputs: Vec<ValueId> = inner
                    .outputs
                    .iter()
                    .map(|&v| {
                        let aval = graph.aval(v).clone();
                        let new = graph.new_value(aval, ValueDef::Eqn);
                        graph.values[v.index()].def = ValueDef::Input;
                        outer.insert(v, new);
                        new
                    })
                    .collect();
                region.eqns.push(Eqn {
                    op: inner.op,
                    inputs: inner
                        .inputs
                        .iter()
                        .map(|v| *outer.get(v).unwrap_or(v))
                        .collect(),
                    outputs: outputs.clone(),
                });
                for (&old, &new) in inner.outputs.iter().zip(&outputs) {
                    body.inputs.insert(*body_nconsts, old);
                    eqn.inputs.insert(*cond_nconsts + *body_nconsts, new);
                    *body_nconsts += 1;
                }
            }
            body.eqns = kept;
        }
        region.eqns.push(eqn);
    }
}

#[cfg(test)]
mod tests {
    use crate::dtype::{DType, Ty};
    use crate::interp;
    use crate::ir::{AVal, Graph, Op, Region, ValueDef};
    use crate::scalar::Scalar;

    #[test]
    fn hoists_a_product_of_consts() {
        let f32 = AVal::scalar(Ty::strong(DType::F32));
        let b = AVal::scalar(Ty::strong(DType::Bool));
        let mut g = Graph::default();
        let x = g.add_input(f32.clone());
        // body(k; y) = y + k * 2.0 ; cond(y) = y < 10.0
        let k = g.new_value(f32.clone(), ValueDef::Input);
        let y = g.new_value(f32.clone(), ValueDef::Input);
        let two = g.literal(Scalar::F32(2.0), false);
        let ten = g.literal(Scalar::F32(10.0), false);
        let k2 = g.new_value(f32.clone(), ValueDef::Eqn);
        let y2 = g.new_value(f32.clone(), ValueDef::Eqn);
        let body = Region {
            inputs: vec![k, y],
            eqns: vec![
                crate::ir::Eqn {
                    op: Op::Mul,
                    inputs: vec![k, two],
                    outputs: vec![k2],
                },
                crate::ir::Eqn {
                    op: Op::Add,
                    inputs: vec![y, k2],
                    outputs: vec![y2],
                },
            ],
            results: vec![y2],
        };
        let cy = g.new_value(f32.clone(), ValueDef::Input);
        let p = g.new_value(b, ValueDef::Eqn);
        let cond = Region {
            inputs: vec![cy],
            eqns: vec![crate::ir::Eqn {
                op: Op::Lt,
                inputs: vec![cy, ten],
                outputs: vec![p],
            }],
            results: vec![p],
        };
        let zero = g.literal(Scalar::F32(0.0), false);
        let out = g.push_eqn(
            Op::While {
                cond: Box::new(cond),
                body: Box::new(body),
                cond_nconsts: 0,
                body_nconsts: 1,
            },
            vec![x, zero],
            vec![f32],
        );
        g.body.results = out;
        let before = interp::run(&g, &[Scalar::F32(1.5)]);
        super::run(&mut g);
        crate::ir::verify(&g).expect("valid after hoisting");
        assert_eq!(
            g.body.eqns.len(),
            2,
            "the product moved in front of the loop"
        );
        assert_eq!(interp::run(&g, &[Scalar::F32(1.5)]), before);
    }
}
