//! Dead-code elimination: equations none of whose outputs are used, and
//! that have no effect, are removed (walking backwards, so chains go too).
//! Inside loop and branch regions every region result counts as used; a
//! loop or branch with no used output and no effect goes as a whole.

use crate::ir::{Graph, Region};

/// Removes dead equations.
pub fn run(graph: &mut Graph) {
    let mut live = vec![false; graph.values.len()];
    dce_region(&mut graph.body, &mut live);
}

fn dce_region(region: &mut Region, live: &mut [bool]) {
    for &r in &region.results {
        live[r.index()] = true;
    }
    let mut keep = vec![false; region.eqns.len()];
    for (i, eqn) in region.eqns.iter_mut().enumerate().rev() {
        if eqn.op.has_effect() || eqn.outputs.iter().any(|o| live[o.index()]) {
            keep[i] = true;
            for &input in &eqn.inputs {
                live[input.index()] = true;
            }
            for r in eqn.op.regions_mut() {
                dce_region(r, live);
            }
        }
    }
    let mut keep = keep.into_iter();
    region
        .eqns
        .retain(|_| keep.next().expect("one flag per equation"));
}
