//! Constant folding: a scalar elementwise equation whose operands are all
//! literals becomes a literal, computed by the interpreter (so folding never changes a result).
//! Folding works inside loop and branch regions too (literals are shared by
//! every region); loops and branches themselves are kept.

use crate::interp;
use crate::ir::{Graph, Region, ValueDef};
use crate::scalar::Scalar;

/// Folds every foldable equation, in order (so chains fold completely).
pub fn run(graph: &mut Graph) {
    let mut body = std::mem::take(&mut graph.body);
    fold_region(graph, &mut body);
    graph.body = body;
}

fn fold_region(graph: &mut Graph, region: &mut Region) {
    let mut eqns = std::mem::take(&mut region.eqns);
    eqns.retain_mut(|eqn| {
        if eqn.op.has_regions() {
            for r in eqn.op.regions_mut() {
                fold_region(graph, r);
            }
            return true;
        }
        // Only scalar elementwise ops: the interpreter's scalar `eval`
        // defines them on literals (array ops have array results).
        if eqn.op.has_effect()
            || eqn.outputs.len() != 1
            || !eqn.op.is_elementwise()
            || !graph.aval(eqn.outputs[0]).shape.is_empty()
        {
            return true;
        }
        let literals: Option<Vec<Scalar>> =
            eqn.inputs.iter().map(|&v| graph.literal_value(v)).collect();
        let Some(args) = literals else {
            return true;
        };
        let value = interp::eval(&eqn.op, &args);
        graph.values[eqn.outputs[0].index()].def = ValueDef::Literal(value);
        false
    });
    region.eqns = eqns;
}

#[cfg(test)]
mod tests {
    use crate::dtype::{DType, Ty};
    use crate::ir::{AVal, Graph, Op};
    use crate::scalar::Scalar;

    #[test]
    fn folds_chains_of_literals() {
        let f32 = AVal::scalar(Ty::strong(DType::F32));
        let mut g = Graph::default();
        let x = g.add_input(f32.clone());
        let two = g.literal(Scalar::F32(2.0), false);
        let four = g.push_eqn(Op::Mul, vec![two, two], vec![f32.clone()])[0];
        let eight = g.push_eqn(Op::Add, vec![four, four], vec![f32.clone()])[0];
        let y = g.push_eqn(Op::Add, vec![x, eight], vec![f32])[0];
        g.body.results.push(y);
        super::run(&mut g);
        assert_eq!(g.body.eqns.len(), 1);
        assert_eq!(g.literal_value(eight), Some(Scalar::F32(8.0)));
    }
}
