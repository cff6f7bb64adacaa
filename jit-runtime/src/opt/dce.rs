//! Dead-code elimination: equations none of whose outputs are used, and
//! that have no effect, are removed (walking backwards, so chains go too).

use crate::ir::Graph;

/// Removes dead equations.
pub fn run(graph: &mut Graph) {
    let mut live = vec![false; graph.values.len()];
    for &r in &graph.body.results {
        live[r.index()] = true;
    }
    let mut keep = vec![false; graph.body.eqns.len()];
    for (i, eqn) in graph.body.eqns.iter().enumerate().rev() {
        if eqn.op.has_effect() || eqn.outputs.iter().any(|o| live[o.index()]) {
            keep[i] = true;
            for &input in &eqn.inputs {
                live[input.index()] = true;
            }
        }
    }
    let mut keep = keep.into_iter();
    graph
        .body
        .eqns
        .retain(|_| keep.next().expect("one flag per equation"));
}
